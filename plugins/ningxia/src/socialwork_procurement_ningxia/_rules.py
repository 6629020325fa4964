"""Ningxia's rules: every ``ningxia.*`` rule of the catalogue (RULES.md A.4) with its strength and kind.

What the report does not give (contractor-condition values, an evaluation fee, a grade priority, a
procurement method, a contract length, thresholds) is a :class:`Silence` (``_silences``), never a rule.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Citation, Predicate, Question, Rule, RuleKind, Strength, Subject

from ._predicates import (
    contract_written_required_terms,
    contractor_eligible_types,
    contractor_specific_conditions,
    disclosure_items,
    evaluation_feedback_use,
    procedure_lawful_procurement,
    procedure_targets_and_annual_budget,
    purchaser_governments,
    purchaser_not_excluded,
)
from ._sources import (
    DATES_NOTE,
    EFFECTIVE,
    Q_CONTRACT_WRITTEN_REQUIRED_TERMS,
    Q_CONTRACTOR_ELIGIBLE_TYPES,
    Q_CONTRACTOR_SPECIFIC_CONDITIONS,
    Q_DISCLOSURE_ITEMS,
    Q_EVALUATION_FEEDBACK_USE,
    Q_META_SIX_NORMS,
    Q_PROCEDURE_LAWFUL_PROCUREMENT,
    Q_PROCEDURE_TARGETS_AND_ANNUAL_BUDGET,
    Q_PURCHASER_EXCLUDED_TYPES,
    Q_PURCHASER_GOVERNMENTS,
    Q_SCOPE_FIVE_FIELDS,
    Q_SCOPE_PRIORITY_GROUPS,
    Q_STATION_ROLES,
    REGION_CODE,
    SOURCE,
)


def _rule(rule_id: str, kind: RuleKind, strength: Strength, subject: Subject, quote: str,
          zh: str, en: str, predicate: Predicate | None = None, question: str | None = None) -> Rule:
    return Rule(
        rule_id=rule_id,
        region=REGION_CODE,
        kind=kind,
        strength=strength,
        subject=subject,
        effective_from=EFFECTIVE,
        effective_to=None,
        citation=Citation(SOURCE, quote),
        message_zh=zh,
        message_en=en,
        predicate=predicate,
        dates_note=DATES_NOTE,
        question=question,
    )


RULES: Final = (
    _rule("ningxia.meta.six_norms", RuleKind.INFO, Strength.INFO, Subject.PROGRAMME,
          Q_META_SIX_NORMS,
          "《意见》围绕购买主体、承接主体、购买内容、服务职责、购买程序、绩效管理六个方面作出规范",
          "The opinion sets norms in six areas: purchaser, contractor, content, service duties, "
          "procedure and performance management"),
    _rule("ningxia.purchaser.governments", RuleKind.PURCHASER_ELIGIBILITY, Strength.HARD, Subject.PURCHASER,
          Q_PURCHASER_GOVERNMENTS,
          "购买主体应为各级政府(依第102号令第五条读作各级国家机关,含民政部门、街道等;RULES.md A.8)",
          "The purchaser must be a government at some level (各级政府), read as the decree's art. 5 «各级国家机关»: "
          "its departments (the civil-affairs bureau), street offices and other state organs too (RULES.md A.8)",
          purchaser_governments,
          question=Question.PURCHASER_TYPE),
    _rule("ningxia.purchaser.excluded_types", RuleKind.PURCHASER_ELIGIBILITY, Strength.HARD, Subject.PURCHASER,
          Q_PURCHASER_EXCLUDED_TYPES,
          "公益一类事业单位、使用事业编制且由财政拨款保障的群团组织不得作为购买主体",
          "Category-1 public institutions and mass organisations on institutional staffing funded by "
          "budget allocations must not purchase", purchaser_not_excluded, question=Question.PURCHASER_TYPE),
    _rule("ningxia.contractor.eligible_types", RuleKind.CONTRACTOR_ELIGIBILITY, Strength.HARD, Subject.CONTRACTOR,
          Q_CONTRACTOR_ELIGIBLE_TYPES,
          "承接主体应为企业、社会组织(不含财政拨款保障的群团组织)、公益二类或从事生产经营活动的事业单位、"
          "农村集体经济组织、基层群众性自治组织或具备条件的个人",
          "The contractor must be an enterprise, a social organisation (not a budget-funded mass "
          "organisation), a category-2 or business public institution, a rural collective economic "
          "organisation, a grassroots self-governing organisation or a qualified individual",
          contractor_eligible_types, question=Question.CONTRACTOR_TYPE),
    _rule("ningxia.contractor.specific_conditions", RuleKind.CONTRACTOR_ELIGIBILITY, Strength.HARD, Subject.CONTRACTOR,
          Q_CONTRACTOR_SPECIFIC_CONDITIONS,
          "承接主体应符合《意见》在依法成立、业务范围、专职人员、组织管理、服务能力等方面规定的具体条件"
          "(来源未载明具体内容,须由有权人员证明)",
          "The contractor must meet the opinion's specific conditions on lawful establishment, business "
          "scope, full-time staff, organisational management and service capacity (not given in the source: "
          "a person who answers for them attests them)",
          contractor_specific_conditions),
    _rule("ningxia.scope.five_fields", RuleKind.SCOPE, Strength.HARD, Subject.PROGRAMME,
          Q_SCOPE_FIVE_FIELDS,
          "购买内容依自治区政府购买服务指导性目录,涵盖社会救助、养老服务、儿童福利、社会事务、慈善志愿服务五个领域",
          "Content comes from the regional guiding catalogue in five fields: social assistance, elderly "
          "care, child welfare, social affairs, charity and volunteering"),
    _rule("ningxia.scope.priority_groups", RuleKind.SCOPE, Strength.SOFT, Subject.PROGRAMME,
          Q_SCOPE_PRIORITY_GROUPS,
          "重点围绕低保对象、城乡特困人员、老年人、孤儿、农村留守儿童、困境儿童、残疾人、精神障碍患者等群体购买服务",
          "Services centre on subsistence-allowance recipients, people in extreme poverty, older people, "
          "orphans, rural left-behind children, children in difficulty, disabled people and people with "
          "mental disorders"),
    _rule("ningxia.procedure.targets_and_annual_budget", RuleKind.PROCEDURE, Strength.HARD, Subject.PLANNING,
          Q_PROCEDURE_TARGETS_AND_ANNUAL_BUDGET,
          "应提出购买服务的数量、规模、质量与效果目标,并编制年度项目预算",
          "Targets for quantity, scale, quality and effect must be set and an annual project budget "
          "drawn up", procedure_targets_and_annual_budget),
    _rule("ningxia.procedure.lawful_procurement", RuleKind.PROCEDURE, Strength.HARD, Subject.CONTRACT,
          Q_PROCEDURE_LAWFUL_PROCUREMENT,
          "项目采购应依法依规进行(来源未规定采购方式)",
          "Procurement must follow the law and rules (the source names no method)",
          procedure_lawful_procurement),
    _rule("ningxia.contract.written_required_terms", RuleKind.CONTRACT_TERMS, Strength.HARD, Subject.CONTRACT,
          Q_CONTRACT_WRITTEN_REQUIRED_TERMS,
          "应签订书面合同,明确标的(即服务内容)、数量、质量、服务期限、资金支付方式、违约责任、解决争议",
          "A written contract must state the subject matter (the service content), quantity, quality, service "
          "period, payment method, liability for breach and dispute resolution", contract_written_required_terms),
    _rule("ningxia.disclosure.items", RuleKind.DISCLOSURE, Strength.HARD, Subject.DISCLOSURE,
          Q_DISCLOSURE_ITEMS,
          "应及时向社会公开项目内容、服务标准、服务要求、服务内容、预算安排、购买程序、绩效评价标准和结果"
          "(各事项自产生它的环节起应公开)",
          "Project content, service standards, service requirements, service content, budget, purchase "
          "procedure, evaluation standards and evaluation results must be published in good time (each from the "
          "step that produces it)",
          disclosure_items),
    _rule("ningxia.evaluation.feedback_use", RuleKind.EVALUATION, Strength.SOFT, Subject.EVALUATION,
          Q_EVALUATION_FEEDBACK_USE,
          "加强项目绩效管理及绩效评价结果的反馈应用(反馈应用须经证明)",
          "Performance management is strengthened and evaluation results are fed back and used (attested)",
          evaluation_feedback_use),
    _rule("ningxia.station.roles", RuleKind.INFO, Strength.INFO, Subject.PROGRAMME,
          Q_STATION_ROLES,
          "明确乡镇(街道)社工站职能定位,厘清县(区)民政部门、受益乡镇(街道)与承接主体的关系",
          "Defines the role of township/street social-work stations and the relationship between the "
          "county civil-affairs department, the beneficiary township and the contractor"),
)

RULE_IDS: Final = tuple(r.rule_id for r in RULES)
