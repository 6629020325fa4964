"""Xiamen's rules: every ``xiamen.*`` rule of the catalogue (RULES.md A.3) with its strength and kind.

Each cites its verbatim quote (``_sources``) and carries messages in Chinese and English. Rules of
the kinds funding, timeline, scope and info, and the rules that bind the purchasing programme rather
than one purchase, carry no predicate.

Every rule has two versions: the pilot's (2015-01-06 to 2016-06-30) and the one after it (from
2016-07-01, no end), the same rule whose message adds that the pilot instrument may have been
superseded, so a fee or a finding asked for after the pilot says so (``_sources.DATES_NOTE``).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from socialwork_procurement import (
    Citation,
    EvaluationStage,
    EvaluatorRole,
    FeeSchedule,
    Predicate,
    Question,
    Rule,
    RuleKind,
    Strength,
    Subject,
)

from ._predicates import (
    contract_required_terms,
    contractor_governance_capacity,
    contractor_independent_legal_person,
    contractor_org_type,
    contractor_pneu_main,
    contractor_professional_team,
    evaluation_mid_and_final_third_party,
    evaluation_tripartite_review,
    form_projects,
    procedure_follow_gov_procurement_law,
    procedure_needs_cost_targets_budget,
    purchaser_eligible_bodies,
)
from ._sources import (
    AFTER_PILOT,
    DATES_NOTE,
    DATES_NOTE_AFTER_PILOT,
    EFFECTIVE_FROM,
    PILOT_CAVEAT_EN,
    PILOT_CAVEAT_ZH,
    PILOT_END,
    Q_CONTRACT,
    Q_FEE,
    Q_FINAL_REVIEW,
    Q_FISCAL_BUDGET,
    Q_FORM_PROJECTS,
    Q_FOUNDATIONS,
    Q_GOVERNANCE,
    Q_LEGAL_PERSON,
    Q_LOTTERY,
    Q_MID_FINAL,
    Q_MIDTERM_REVIEW,
    Q_NEEDS,
    Q_ORG_TYPE,
    Q_PHASE1,
    Q_PHASE2,
    Q_PHASE_PREP,
    Q_PILOT_APPROVAL,
    Q_PNEU_MAIN,
    Q_PROCUREMENT_LAW,
    Q_PURCHASER,
    Q_RESULTS,
    Q_SCOPE,
    Q_SPOT_CHECKS,
    Q_START,
    Q_TEAM,
    Q_TRIPARTITE,
    REGION_CODE,
    XIAMEN_2015,
)


def _rule(rule_id: str, kind: RuleKind, strength: Strength, subject: Subject, quote: str,
          zh: str, en: str, predicate: Predicate | None = None,
          fee: FeeSchedule | None = None, question: str | None = None,
          evaluation_stages: frozenset[EvaluationStage] = frozenset(),
          evaluators: frozenset[EvaluatorRole] = frozenset()) -> tuple[Rule, Rule]:
    """The rule's pilot version and its version after the pilot (same check, message with the caveat)."""

    def version(effective_from: date, effective_to: date | None, zh: str, en: str, note: str) -> Rule:
        return Rule(
            rule_id=rule_id,
            region=REGION_CODE,
            kind=kind,
            strength=strength,
            subject=subject,
            effective_from=effective_from,
            effective_to=effective_to,
            citation=Citation(XIAMEN_2015, quote),
            message_zh=zh,
            message_en=en,
            predicate=predicate,
            fee=fee,
            dates_note=note,
            question=question,
            evaluation_stages=evaluation_stages,
            evaluators=evaluators,
        )

    return (
        version(EFFECTIVE_FROM, PILOT_END, zh, en, DATES_NOTE),
        version(AFTER_PILOT, None, f"{zh}〔{PILOT_CAVEAT_ZH}〕", f"{en} [{PILOT_CAVEAT_EN}]", DATES_NOTE_AFTER_PILOT),
    )


FEE_SCHEDULE: Final = FeeSchedule(
    rate=Decimal("0.03"),
    base_zh="总购买资金",
    base_en="total purchase funds",
    rounding=ROUND_HALF_UP,
)

_K = RuleKind
_S = Strength
_J = Subject

_VERSIONS: Final[tuple[tuple[Rule, Rule], ...]] = (
    _rule("xiamen.purchaser.eligible_bodies", _K.PURCHASER_ELIGIBILITY, _S.HARD, _J.PURCHASER, Q_PURCHASER,
          "购买主体应为市、区、镇三级政府和街道,承担公共服务职责的行政部门,参照公务员法管理、具有行政管理职能的事业单位,"
          "或纳入行政编制管理且经费由财政负担的群团组织(本市文件未涉及省级及以上机关:对其不适用)",
          "The purchaser must be a city, district or town government or a street office; an administrative "
          "department with public-service duties; a public institution managed under the Civil Servant Law "
          "with administrative functions; or a mass organisation on administrative staffing funded by the budget "
          "(the city's instrument does not speak to provincial or national bodies: not applicable to them)",
          purchaser_eligible_bodies, question=Question.PURCHASER_TYPE),
    _rule("xiamen.contractor.independent_legal_person", _K.CONTRACTOR_ELIGIBILITY, _S.HARD, _J.CONTRACTOR,
          Q_LEGAL_PERSON, "承接主体应具有独立法人资格",
          "The contractor must be an independent legal person", contractor_independent_legal_person),
    _rule("xiamen.contractor.professional_team", _K.CONTRACTOR_ELIGIBILITY, _S.HARD, _J.CONTRACTOR, Q_TEAM,
          "承接主体应拥有能够熟练运用社会工作知识、方法和技能的专业团队(来源未量化)",
          "The contractor must have a professional team skilled in social-work knowledge, methods and skills "
          "(not quantified by the source)", contractor_professional_team),
    _rule("xiamen.contractor.governance_capacity", _K.CONTRACTOR_ELIGIBILITY, _S.HARD, _J.CONTRACTOR,
          Q_GOVERNANCE,
          "承接主体应具备完善的内部治理结构、健全的规章制度、良好的社会公信力以及较强的运营管理和社会工作专业服务能力",
          "The contractor must have sound internal governance and rules, good public credibility, and strong "
          "operating and professional social-work capacity (qualitative: declared facts)",
          contractor_governance_capacity),
    _rule("xiamen.contractor.org_type", _K.CONTRACTOR_ELIGIBILITY, _S.HARD, _J.CONTRACTOR, Q_ORG_TYPE,
          "承接主体应为社会团体、民办非企业单位或基金会;具备相应能力和条件的企事业单位也可承接",
          "The contractor must be a social group, private non-enterprise unit or foundation; an enterprise or "
          "public institution may contract if it has the corresponding ability and conditions",
          contractor_org_type, question=Question.CONTRACTOR_TYPE),
    _rule("xiamen.contractor.pneu_main", _K.PRIORITY, _S.SOFT, _J.CONTRACTOR, Q_PNEU_MAIN,
          "民办社会工作服务机构是主要承接主体(政策倾向,仅用于排序;须为社会工作服务机构,并非所有民办非企业单位)",
          "Private social-work service agencies are the main contractors (a preference: ranks, never gates; a "
          "social-work service agency registered as a private non-enterprise unit, not every such unit)",
          contractor_pneu_main),
    _rule("xiamen.form.projects", _K.PROCEDURE, _S.SOFT, _J.CONTRACT, Q_FORM_PROJECTS,
          "购买形式以购买社会工作服务项目(综合性或专项)为主",
          "Purchases are mainly projects, comprehensive or specialised (a preference, not a ban on posts)",
          form_projects),
    _rule("xiamen.procedure.needs_cost_targets_budget", _K.PROCEDURE, _S.HARD, _J.PLANNING, Q_NEEDS,
          "购买主体应开展摸底调查与分析评估、核算服务成本、提出数量规模质量效果目标并编制预算",
          "The purchaser must survey needs, account for costs, set quantity, scale, quality and effect "
          "targets, and draw up a budget", procedure_needs_cost_targets_budget),
    _rule("xiamen.procedure.follow_gov_procurement_law", _K.PROCEDURE, _S.HARD, _J.CONTRACT, Q_PROCUREMENT_LAW,
          "应遵照政府采购相关法律法规和部门规章组织购买(来源未指定采购方式)",
          "Procurement must follow the government-procurement laws and rules (the source names no method)",
          procedure_follow_gov_procurement_law),
    _rule("xiamen.contract.required_terms", _K.CONTRACT_TERMS, _S.HARD, _J.CONTRACT, Q_CONTRACT,
          "购买服务合同应明确范围、数量、质量、服务期限、资金支付方式和违约责任(「等」:所列为最低要求)",
          "The contract must state scope, quantity, quality, service period, payment method and breach "
          "liability (「等」: an open list, these six are the minimum)", contract_required_terms),
    _rule("xiamen.evaluation.tripartite_review", _K.EVALUATION, _S.HARD, _J.EVALUATION, Q_TRIPARTITE,
          "应建立由购买主体、服务对象及第三方组成的综合性评审机制(依据案件的评估记录判断)",
          "A combined review mechanism of purchaser, service recipients and a third party must exist "
          "(read from the evaluations on record)", evaluation_tripartite_review),
    _rule("xiamen.evaluation.fee_3pct", _K.EVALUATION_FEE, _S.HARD, _J.EVALUATION, Q_FEE,
          "评估费用按总购买资金的3%计算;来源未说明该费用含在购买金额之内还是另计,也未说明按项目还是按整体计算,"
          "故计算基数由调用方明确给出",
          "The evaluation fee is 3% of total purchase funds; the source does not say whether the fee sits "
          "inside or on top of the purchase amount, nor whether the base is per project or per programme, so "
          "the caller gives the base explicitly", fee=FEE_SCHEDULE),
    _rule("xiamen.evaluation.results_reference", _K.EVALUATION, _S.SOFT, _J.PROGRAMME, Q_RESULTS,
          "评价结果是选择承接主体、编制后续购买内容与预算的重要参考依据",
          "Evaluation results are an important reference for choosing contractors and for later content and "
          "budgets"),
    _rule("xiamen.evaluation.mid_and_final_third_party", _K.EVALUATION, _S.HARD, _J.EVALUATION, Q_MID_FINAL,
          "应在服务周期的中期和末期组织或委托第三方专业评估机构开展评估(来源未规定具体日期和完成期限:中期日为本库的时点规则;"
          "未见中期或末期评估记录时为待定,从不因逾期判为不符合;自称第三方的承接主体或购买主体自评则不符合)",
          "A third-party professional evaluator must evaluate at mid-term and at the end of the service period "
          "(the source names no day and sets no deadline: the mid-term day is this library's scheduling policy, "
          "and an evaluation not on record is unknown, never a failure for lateness; an evaluation labelled "
          "third-party that the contractor or purchaser did itself fails)",
          evaluation_mid_and_final_third_party,
          # 「中期和末期」: the one source that schedules a mid-term, so the lifecycle asks for it here only.
          evaluation_stages=frozenset({EvaluationStage.MIDTERM, EvaluationStage.FINAL}),
          evaluators=frozenset({EvaluatorRole.THIRD_PARTY})),
    _rule("xiamen.funding.fiscal_budget", _K.FUNDING, _S.HARD, _J.PROGRAMME, Q_FISCAL_BUDGET,
          "政府购买社会工作服务资金应列入各级财政预算",
          "Purchase funds must be in the fiscal budget at each level"),
    _rule("xiamen.funding.lottery_infrastructure", _K.FUNDING, _S.SOFT, _J.PROGRAMME, Q_LOTTERY,
          "市级福利彩票公益金安排一定比例资金支持基础设施建设(比例未规定)",
          "A share of city welfare-lottery funds supports infrastructure (the share is not given)"),
    _rule("xiamen.funding.foundations_enterprises", _K.FUNDING, _S.SOFT, _J.PROGRAMME, Q_FOUNDATIONS,
          "鼓励和引导基金会、企业支持、参与政府购买社会工作服务",
          "Foundations and enterprises are encouraged to support and co-fund the purchases"),
    _rule("xiamen.supervision.spot_checks", _K.PROCEDURE, _S.INFO, _J.PROGRAMME, Q_SPOT_CHECKS,
          "民政、财政、审计、监察等部门及购买主体不定期监督、检查、抽查计划执行、资金使用和服务效果",
          "Civil-affairs, finance, audit and supervision departments and purchasers make unscheduled checks of "
          "plan execution, fund use and service effect"),
    _rule("xiamen.procedure.pilot_approval", _K.PROCEDURE, _S.HARD, _J.PROGRAMME, Q_PILOT_APPROVAL,
          "各区试点名单和配套方案报市领导小组办公室审批;市直试点部门直接向市民政局申报项目",
          "District pilot lists and plans go to the city leading-group office for approval; city departments "
          "apply directly to the city civil-affairs bureau (a programme step: not checked against a single case)"),
    _rule("xiamen.timeline.start", _K.TIMELINE, _S.INFO, _J.PROGRAMME, Q_START,
          "试点自2015年1月起分步骤、分批次开展", "The pilot starts in January 2015, in steps and batches"),
    _rule("xiamen.timeline.phase_prep", _K.TIMELINE, _S.INFO, _J.PROGRAMME, Q_PHASE_PREP,
          "试点准备阶段:2015年1月", "Preparation phase: January 2015"),
    _rule("xiamen.timeline.phase1", _K.TIMELINE, _S.INFO, _J.PROGRAMME, Q_PHASE1,
          "试点实施第一阶段:2015年2月至8月", "First implementation phase: February to August 2015"),
    _rule("xiamen.timeline.midterm_review", _K.TIMELINE, _S.INFO, _J.PROGRAMME, Q_MIDTERM_REVIEW,
          "试点中期总结阶段:2015年9月", "Mid-term review: September 2015"),
    _rule("xiamen.timeline.phase2", _K.TIMELINE, _S.INFO, _J.PROGRAMME, Q_PHASE2,
          "试点实施第二阶段:2015年10月至2016年4月", "Second implementation phase: October 2015 to April 2016"),
    _rule("xiamen.timeline.final_review", _K.TIMELINE, _S.INFO, _J.PROGRAMME, Q_FINAL_REVIEW,
          "试点末期总结阶段:2016年5月至6月", "Final review: May to June 2016"),
    _rule("xiamen.scope.pilot_depts_groups", _K.SCOPE, _S.SOFT, _J.PROGRAMME, Q_SCOPE,
          "市直试点部门重点围绕问题青少年、寄养孤儿、社区服刑人员、刑满释放人员、单亲家庭、失独家庭、残疾人、孤寡空巢老人等群体,"
          "着重在社会福利、社会救助、社区建设、婚姻家庭、收养评估、社区矫正、安置帮教、人民调解、人口计生、医疗卫生、"
          "残疾人服务等方面开展试点",
          "City pilot departments focus on troubled youth, foster orphans, people under community corrections, "
          "released prisoners, single-parent families, families that lost their only child, disabled people "
          "and elderly people living alone, in social welfare, social assistance, community building, marriage "
          "and family, adoption assessment, community corrections, resettlement and support of released "
          "prisoners, people's mediation, population and family planning, medical care and health, and "
          "services for disabled people"),
)

RULES: Final[tuple[Rule, ...]] = tuple(rule for versions in _VERSIONS for rule in versions)
"""Each rule's pilot version followed by its version after the pilot."""
