"""Xiamen's rules: 厦府办〔2015〕3号 《政府购买社会工作服务试点工作实施意见》 (seed 003).

Every ``xiamen.*`` rule of the catalogue (RULES.md A.3) is encoded here with its strength, kind,
verbatim quote and messages. Predicates are plain functions ``(case, on) -> RuleResult``: an
absent part of the case is ``not_applicable``, a fact that is ``None`` is ``unknown``, and none
of them raises for a valid case. Rules of the kinds funding, timeline, scope and info, and the
rules that bind the purchasing programme rather than one purchase, carry no predicate.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from socialwork_procurement import (
    AdminLevel,
    Case,
    Citation,
    ContractTerm,
    EvaluationStage,
    EvaluatorRole,
    FeeSchedule,
    LegalForm,
    Period,
    Predicate,
    ProcurementMethod,
    PublicInstitutionCategory,
    PurchaseForm,
    PurchaserKind,
    Question,
    Region,
    Rule,
    RuleKind,
    RuleResult,
    Silence,
    Source,
    Staffing,
    Strength,
    Subject,
    evaluation_schedule,
    failed,
    not_applicable,
    passed,
    unknown,
)

REGION_CODE: Final = "xiamen"
SEED_FILE: Final = "003_591adcebc82a76dc.txt"

XIAMEN_2015: Final = Source(
    file=SEED_FILE,
    title="政府购买社会工作服务试点工作实施意见",
    number="厦府办〔2015〕3号",
    date=date(2015, 1, 6),
    date_note=(
        "issue date stated in the seed (发布日期:2015-1-6; signed 厦门市人民政府办公厅 2015年1月6日)"
    ),
)
SOURCES: Final = (XIAMEN_2015,)

EFFECTIVE_FROM: Final = date(2015, 1, 6)
DATES_NOTE: Final = (
    "effective_from is the issue date 2015-01-06 (the notice states no separate date of effect; "
    "it asks recipients to carry it out as issued). The source sets no end date, so effective_to "
    "is None: the pilot it governs ran from January 2015 to June 2016, and later Xiamen rules "
    "(the 2022 《厦门市政府购买社会工作服务项目操作规程》 and evaluation measure, known from the news "
    "only and not in the seeds) may supersede parts of it for current projects."
)

REGION: Final = Region(
    code=REGION_CODE,
    name_zh="厦门市",
    name_en="Xiamen",
    sources=SOURCES,
)

# ---------------------------------------------------------------------------------------------
# Verbatim quotes from seed 003 (checked against the file by tests/test_xiamen_pack.py)

Q_PURCHASER: Final = (
    "政府购买社会工作服务的主体是市、区、镇三级政府和街道。承担公共服务职责的各级行政部门和参照公务员法管理、"
    "具有行政管理职能的事业单位,以及纳入行政编制管理且经费由财政负担的群团组织。"
)
Q_LEGAL_PERSON: Final = "政府购买社会工作服务的承接主体应具有独立法人资格"
Q_TEAM: Final = "拥有一支能够熟练掌握和灵活运用社会工作知识、方法和技能的专业团队"
Q_GOVERNANCE: Final = (
    "具备完善的内部治理结构、健全的规章制度、良好的社会公信力以及较强的运营管理和社会工作专业服务能力的"
    "社会团体、民办非企业单位和基金会。"
)
Q_ORG_TYPE: Final = "具备相应能力和条件的企事业单位也可作为承接主体。"
Q_PNEU_MAIN: Final = "坚持把民办社会工作服务机构作为政府购买社会工作服务的主要承接主体"
Q_FORM_PROJECTS: Final = "购买形式以购买社会工作服务项目为主"
Q_NEEDS: Final = (
    "购买主体根据需求开展摸底调查与分析评估,核算服务成本,提出政府购买社会工作服务项目的数量、规模、质量与效果"
    "等目标要求,科学编制预算。"
)
Q_PROCUREMENT_LAW: Final = "遵照政府采购相关法律法规和部门规章要求,组织开展购买社会工作服务。"
Q_CONTRACT: Final = (
    "订立购买服务合同,明确购买服务的范围、数量、质量等要求以及服务期限、资金支付方式、违约责任等内容。"
)
Q_TRIPARTITE: Final = "建立健全由购买主体、服务对象及第三方组成的综合性评审机制"
Q_FEE: Final = "评估费用按总购买资金的3%计算。"
Q_RESULTS: Final = (
    "将评价结果作为政府选择购买社会工作服务承接主体、编制后续政府购买社会工作服务内容与预算的重要参考依据。"
)
Q_MID_FINAL: Final = "要在服务周期的中期和末期,组织或委托第三方专业评估机构开展评估"
Q_FISCAL_BUDGET: Final = "将政府购买社会工作服务资金列入各级财政预算"
Q_LOTTERY: Final = (
    "要加大市级福利彩票公益金的投入,安排一定比例的资金为政府购买社会工作服务所需的基础设施建设提供经费支持。"
)
Q_FOUNDATIONS: Final = "鼓励和引导各类基金会、企业大力支持、参与政府购买社会工作服务"
Q_SPOT_CHECKS: Final = (
    "各级民政、财政、审计、监察等部门及购买主体,不定期监督、检查、抽查政府购买社会工作服务的计划执行情况、"
    "资金使用状况、服务效果等。"
)
Q_PILOT_APPROVAL: Final = (
    "各区确定第一批试点街道(镇)名单,出台相应的试点工作配套方案,报市政府购买社会工作服务领导小组办公室审批。"
    "市直试点部门直接向市民政局申报拟购买的社会工作服务项目。"
)
Q_START: Final = "2015年1月起,分步骤、分批次在全市各区部分街道(镇)及市直有关部门开展购买社会工作服务试点"
Q_PHASE_PREP: Final = "(一)试点准备阶段(2015年1月)"
Q_PHASE1: Final = "(二)试点实施第一阶段(2015年2月至8月)"
Q_MIDTERM_REVIEW: Final = "(三)试点中期总结阶段(2015年9月)"
Q_PHASE2: Final = "(四)试点实施第二阶段(2015年10月至2016年4月)"
Q_FINAL_REVIEW: Final = "(五)试点末期总结阶段(2016年5月至6月)"
Q_SCOPE: Final = (
    "市民政局、市司法局、市卫计委、团市委、市妇联、市残联、市老龄办等重点围绕问题青少年、寄养孤儿、社区服刑人员、"
    "刑满释放人员、单亲家庭、失独家庭、残疾人、孤寡空巢老人等群体"
)

# ---------------------------------------------------------------------------------------------
# Predicates


def _no_purchaser() -> RuleResult:
    return not_applicable("$.purchaser", "no purchaser in the case", "案件未包含购买主体")


def _no_contractor() -> RuleResult:
    return not_applicable("$.contractor", "no contractor in the case", "案件未包含承接主体")


def _no_contract() -> RuleResult:
    return not_applicable("$.contract", "no contract in the case", "案件未包含合同")


_LISTED_LEVELS: Final = frozenset({AdminLevel.CITY, AdminLevel.DISTRICT, AdminLevel.TOWN, AdminLevel.STREET})


def purchaser_eligible_bodies(case: Case, on: date) -> RuleResult:
    """The purchaser is on Xiamen's list (三(一) 明确购买主体)."""
    p = case.purchaser
    if p is None:
        return _no_purchaser()
    kind = p.kind
    if kind is PurchaserKind.STREET_OFFICE:
        return passed("$.purchaser.kind", "a street office (街道) is listed", "街道属于所列购买主体")
    if kind is PurchaserKind.PEOPLES_GOVERNMENT:
        path = "$.purchaser.level"
        if p.level is None:
            return unknown(path, "a government, but its level (city, district, town) is not given",
                           "属于政府,但未提供其层级(市、区、镇)")
        if p.level in _LISTED_LEVELS:
            return passed(path, f"a {p.level.value}-level government is listed",
                          f"{p.level.value} 级政府属于所列购买主体")
        return failed(path, f"the list names city, district and town governments, not {p.level.value}",
                      f"所列为市、区、镇三级政府和街道,不含 {p.level.value} 级")
    if kind is PurchaserKind.ADMINISTRATIVE_DEPARTMENT:
        path = "$.purchaser.public_service_duties"
        if p.public_service_duties is None:
            return unknown(path, "an administrative department; whether it has public-service duties is not given",
                           "属于行政部门,但未提供是否承担公共服务职责")
        if p.public_service_duties:
            return passed(path, "an administrative department with public-service duties",
                          "承担公共服务职责的行政部门")
        return failed(path, "an administrative department without public-service duties is not listed",
                      "不承担公共服务职责的行政部门不在所列范围内")
    if kind is PurchaserKind.PUBLIC_INSTITUTION:
        return _purchaser_public_institution(case)
    if kind is PurchaserKind.MASS_ORGANIZATION:
        return _purchaser_mass_organization(case)
    if kind is PurchaserKind.ENTERPRISE:
        return failed("$.purchaser.kind", "an enterprise is not on Xiamen's purchaser list",
                      "企业不在厦门所列购买主体范围内")
    # GOVERNMENT_ORGAN, DISPATCHED_OR_AUTHORISED_BODY, OTHER: the list does not say.
    return unknown(
        "$.purchaser.kind",
        f"purchaser kind {kind.value!r} is not named in Xiamen's list (governments, street offices, "
        "administrative departments with public-service duties, civil-service-managed institutions "
        "with administrative functions, administratively staffed budget-funded mass organisations); "
        "declare it as one of those kinds if it is one",
        f"购买主体类型 {kind.value} 未在厦门所列范围中列明;如属所列类型,请按该类型申报",
    )


def _purchaser_public_institution(case: Case) -> RuleResult:
    p = case.purchaser
    assert p is not None
    managed, category = p.civil_service_managed, p.public_institution_category
    if managed is False:
        return failed("$.purchaser.civil_service_managed",
                      "a public institution not managed under the Civil Servant Law is not listed",
                      "未参照公务员法管理的事业单位不在所列范围内")
    if category is not None and category is not PublicInstitutionCategory.ADMINISTRATIVE:
        return failed("$.purchaser.public_institution_category",
                      f"a {category.value} institution has no administrative functions",
                      f"{category.value} 事业单位不具有行政管理职能")
    if managed is None:
        return unknown("$.purchaser.civil_service_managed",
                       "whether the institution is managed under the Civil Servant Law is not given",
                       "未提供是否参照公务员法管理")
    if category is None:
        return unknown("$.purchaser.public_institution_category",
                       "whether the institution has administrative functions is not given",
                       "未提供是否具有行政管理职能")
    return passed("$.purchaser.public_institution_category",
                  "a public institution managed under the Civil Servant Law with administrative functions",
                  "参照公务员法管理、具有行政管理职能的事业单位")


def _purchaser_mass_organization(case: Case) -> RuleResult:
    p = case.purchaser
    assert p is not None
    staffing, funded = p.staffing, p.budget_funded
    if staffing is not None and staffing is not Staffing.ADMINISTRATIVE:
        return failed("$.purchaser.staffing",
                      f"a mass organisation on {staffing.value} staffing is not listed (administrative staffing only)",
                      f"使用 {staffing.value} 编制的群团组织不在所列范围内(限纳入行政编制管理)")
    if funded is False:
        return failed("$.purchaser.budget_funded", "a mass organisation not funded by the budget is not listed",
                      "经费不由财政负担的群团组织不在所列范围内")
    if staffing is None:
        return unknown("$.purchaser.staffing", "the mass organisation's staffing is not given",
                       "未提供群团组织的编制类型")
    if funded is None:
        return unknown("$.purchaser.budget_funded", "whether the budget funds the mass organisation is not given",
                       "未提供经费是否由财政负担")
    return passed("$.purchaser.staffing", "a mass organisation on administrative staffing, funded by the budget",
                  "纳入行政编制管理且经费由财政负担的群团组织")


def contractor_independent_legal_person(case: Case, on: date) -> RuleResult:
    """The contractor is an independent legal person (三(二))."""
    c = case.contractor
    if c is None:
        return _no_contractor()
    if c.legal_form is LegalForm.INDIVIDUAL:
        return failed("$.contractor.legal_form", "a natural person is never a legal person",
                      "个人不具有法人资格")
    path = "$.contractor.independent_legal_person"
    if c.independent_legal_person is None:
        return unknown(path)
    if c.independent_legal_person:
        return passed(path)
    return failed(path, "the contractor is not an independent legal person", "承接主体不具有独立法人资格")


def contractor_professional_team(case: Case, on: date) -> RuleResult:
    """The contractor has a professional social-work team (declared; the source gives no numbers)."""
    c = case.contractor
    if c is None:
        return _no_contractor()
    path = "$.contractor.staff.professional_team"
    team = c.staff.professional_team if c.staff is not None else None
    if team is None:
        return unknown(path, "whether the contractor has a professional social-work team is not declared "
                       "(the source sets no number or share of professionals)",
                       "未申报是否拥有专业团队(来源未规定人数或比例)")
    if team:
        return passed(path)
    return failed(path, "no professional social-work team", "不具备社会工作专业团队")


_GOVERNANCE_FIELDS: Final = (
    ("internal_governance", "sound internal governance structure", "完善的内部治理结构"),
    ("bylaws", "sound rules and regulations", "健全的规章制度"),
    ("public_credibility", "good public credibility", "良好的社会公信力"),
    ("operating_capacity", "strong operating and management capacity", "较强的运营管理能力"),
    ("professional_service_capacity", "strong professional social-work service capacity",
     "较强的社会工作专业服务能力"),
)


def contractor_governance_capacity(case: Case, on: date) -> RuleResult:
    """Governance and capacity, as declared facts (qualitative: the source sets no measure)."""
    c = case.contractor
    if c is None:
        return _no_contractor()
    g = c.governance
    if g is None:
        return unknown("$.contractor.governance", "no governance facts declared", "未申报治理与能力情况")
    values = [(name, en, zh, getattr(g, name)) for name, en, zh in _GOVERNANCE_FIELDS]
    lacking = [(name, en, zh) for name, en, zh, value in values if value is False]
    if lacking:
        return failed(f"$.contractor.governance.{lacking[0][0]}",
                      "lacks: " + "; ".join(en for _, en, _ in lacking),
                      "不具备:" + "、".join(zh for _, _, zh in lacking))
    missing = [(name, en, zh) for name, en, zh, value in values if value is None]
    if missing:
        return unknown(f"$.contractor.governance.{missing[0][0]}",
                       "not declared: " + "; ".join(en for _, en, _ in missing),
                       "未申报:" + "、".join(zh for _, _, zh in missing))
    return passed("$.contractor.governance")


_SOCIAL_ORGANIZATIONS: Final = frozenset(
    {LegalForm.SOCIAL_GROUP, LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, LegalForm.FOUNDATION}
)
_WITH_CAPACITY: Final = frozenset({LegalForm.ENTERPRISE, LegalForm.PUBLIC_INSTITUTION})


def contractor_org_type(case: Case, on: date) -> RuleResult:
    """Whitelist: social group, PNEU, foundation; enterprises and public institutions with capacity."""
    c = case.contractor
    if c is None:
        return _no_contractor()
    form = c.legal_form
    if form in _SOCIAL_ORGANIZATIONS:
        return passed("$.contractor.legal_form", f"{form.value} is on the list", f"{form.value} 在所列类型内")
    if form in _WITH_CAPACITY:
        path = "$.contractor.has_required_capacity"
        if c.has_required_capacity is None:
            return unknown(path, f"a {form.value} may contract only «with corresponding ability and "
                           "conditions», which is not declared",
                           f"{form.value} 须具备相应能力和条件方可承接,未申报")
        if c.has_required_capacity:
            return passed(path, f"a {form.value} with corresponding ability and conditions",
                          f"具备相应能力和条件的 {form.value}")
        return failed(path, f"a {form.value} without corresponding ability and conditions",
                      f"不具备相应能力和条件的 {form.value}")
    return failed("$.contractor.legal_form",
                  f"{form.value} is not on Xiamen's list (social group, private non-enterprise unit, "
                  "foundation; enterprise or public institution with corresponding ability)",
                  f"{form.value} 不在厦门所列承接主体类型内")


def contractor_pneu_main(case: Case, on: date) -> RuleResult:
    """Soft: private social-work agencies (PNEUs) are the main contractors. Ranks, never gates."""
    c = case.contractor
    if c is None:
        return _no_contractor()
    path = "$.contractor.legal_form"
    if c.legal_form is LegalForm.PRIVATE_NON_ENTERPRISE_UNIT:
        return passed(path, "a private non-enterprise unit: the main-contractor preference applies",
                      "民办非企业单位:适用主要承接主体的政策倾向")
    return failed(path, "not a private non-enterprise unit: the preference does not apply (ranking only)",
                  "非民办非企业单位:不适用该政策倾向(仅用于排序,不影响资格)")


def form_projects(case: Case, on: date) -> RuleResult:
    """Soft: purchases are mainly projects (comprehensive or specialised)."""
    k = case.contract
    if k is None:
        return _no_contract()
    path = "$.contract.purchase_form"
    if k.purchase_form is None:
        return unknown(path)
    if k.purchase_form in (PurchaseForm.COMPREHENSIVE_PROJECT, PurchaseForm.SPECIALISED_PROJECT):
        return passed(path, "a project purchase, the main form", "项目购买,为主要购买形式")
    return failed(path, "a post purchase: allowed, but not the main form (以…为主 ranks, never gates)",
                  "岗位购买:不禁止,但非主要购买形式")


_PLANNING_STEPS: Final = (
    ("needs_assessment", "needs survey and assessment", "摸底调查与分析评估"),
    ("cost_accounting", "service cost accounting", "核算服务成本"),
    ("targets_quantity", "quantity target", "数量目标"),
    ("targets_scale", "scale target", "规模目标"),
    ("targets_quality", "quality target", "质量目标"),
    ("targets_effect", "effect target", "效果目标"),
)


def procedure_needs_cost_targets_budget(case: Case, on: date) -> RuleResult:
    """Needs survey, cost accounting, four targets and a budget before purchasing (三(四))."""
    pl = case.planning
    if pl is None:
        return not_applicable("$.planning", "no planning facts in the case", "案件未包含预算编制前的工作情况")
    steps = [(name, en, zh, getattr(pl, name)) for name, en, zh in _PLANNING_STEPS]
    not_done = [(name, en, zh) for name, en, zh, value in steps if value is False]
    if not_done:
        return failed(f"$.planning.{not_done[0][0]}", "not done: " + "; ".join(en for _, en, _ in not_done),
                      "未完成:" + "、".join(zh for _, _, zh in not_done))
    missing = [(name, en, zh) for name, en, zh, value in steps if value is None]
    if pl.budget is None:
        missing.append(("budget", "budget", "编制预算"))
    if missing:
        return unknown(f"$.planning.{missing[0][0]}", "not given: " + "; ".join(en for _, en, _ in missing),
                       "未提供:" + "、".join(zh for _, _, zh in missing))
    return passed("$.planning", "needs survey, cost accounting, the four targets and the budget are all done",
                  "摸底调查、成本核算、四项目标与预算均已完成")


def procedure_follow_gov_procurement_law(case: Case, on: date) -> RuleResult:
    """Procurement follows procurement law; the source names no method, so only the method's kind is seen."""
    k = case.contract
    if k is None:
        return _no_contract()
    path = "$.contract.procurement_method"
    method = k.procurement_method
    if method is None:
        return unknown(path)
    if method is ProcurementMethod.OTHER:
        return unknown(path, "method 'other': whether it is a method the procurement law allows cannot be told",
                       "采购方式为其他,无法判断是否属于政府采购法律法规规定的方式")
    return passed(path,
                  f"{method.value} is a government-procurement method; Xiamen names none, and whether it fits "
                  "the procurement thresholds is not checked (not in the sources)",
                  f"{method.value} 属于政府采购方式;厦门未指定方式,是否符合限额标准未核查(来源未规定)")


_REQUIRED_TERMS: Final = (
    ContractTerm.SCOPE,
    ContractTerm.QUANTITY,
    ContractTerm.QUALITY,
    ContractTerm.SERVICE_PERIOD,
    ContractTerm.PAYMENT_METHOD,
    ContractTerm.BREACH_LIABILITY,
)
_OPEN_LIST_EN: Final = (
    "the source's 「等」 leaves the list open: these six terms are the minimum, other terms are fine"
)
_OPEN_LIST_ZH: Final = "来源用「等」字,所列并非全部:以上六项为最低要求,其他条款不受限制"


def contract_required_terms(case: Case, on: date) -> RuleResult:
    """Contract states scope, quantity, quality, service period, payment method, breach liability (三(四))."""
    k = case.contract
    if k is None:
        return _no_contract()
    path = "$.contract.stated_terms"
    if k.stated_terms is None:
        return unknown(path, "the contract's terms are not given; " + _OPEN_LIST_EN,
                       "未提供合同条款;" + _OPEN_LIST_ZH)
    missing = [t.value for t in _REQUIRED_TERMS if t not in k.stated_terms]
    if missing:
        return failed(path, "missing: " + ", ".join(missing) + "; " + _OPEN_LIST_EN,
                      "缺少:" + "、".join(missing) + ";" + _OPEN_LIST_ZH)
    extra = sorted(t.value for t in k.stated_terms if t not in _REQUIRED_TERMS)
    extra_en = f" (also states: {', '.join(extra)})" if extra else ""
    extra_zh = f"(另有:{'、'.join(extra)})" if extra else ""
    return passed(path, "all six listed terms are stated" + extra_en + "; " + _OPEN_LIST_EN,
                  "所列六项均已载明" + extra_zh + ";" + _OPEN_LIST_ZH)


def _same_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _self_evaluation(case: Case) -> tuple[int, str, str] | None:
    """The first evaluation labelled third-party that the contractor or purchaser did itself.

    Returns ``(index, "contractor" | "purchaser", field)`` where ``field`` is the evaluation's
    field that gave it away (``evaluator_uscc`` or ``evaluator``), or ``None``. Names compare
    after NFKC normalisation, without whitespace and case-folded; names come from the case's
    contractor and purchaser and from the names written in the contract.
    """
    names: dict[str, str] = {}
    usccs: dict[str, str] = {}
    for party, role in ((case.contractor, "contractor"), (case.purchaser, "purchaser")):
        if party is not None:
            if _same_name(party.name):
                names[_same_name(party.name)] = role
            if party.uscc is not None:
                usccs[party.uscc] = role
    if case.contract is not None:
        for written, role in ((case.contract.contractor, "contractor"), (case.contract.purchaser, "purchaser")):
            if written is not None and _same_name(written):
                names.setdefault(_same_name(written), role)
    for i, e in enumerate(case.evaluations):
        if e.evaluator_role is not EvaluatorRole.THIRD_PARTY:
            continue
        by_uscc = usccs.get(e.evaluator_uscc) if e.evaluator_uscc is not None else None
        if by_uscc is not None:
            return i, by_uscc, "evaluator_uscc"
        by_name = names.get(_same_name(e.evaluator))
        if by_name is not None:
            return i, by_name, "evaluator"
    return None


def _self_evaluation_failure(case: Case, found: tuple[int, str, str]) -> RuleResult:
    i, who, field = found
    e = case.evaluations[i]
    who_zh = "承接主体" if who == "contractor" else "购买主体"
    return failed(f"$.evaluations[{i}].{field}",
                  f"the {e.stage.value} labelled third-party was done by the {who} itself "
                  f"({e.evaluator}): not a third party",
                  f"标为第三方的评估由{who_zh}自身({e.evaluator})开展,不属于第三方")


_TRIPARTITE_ROLES: Final = (
    (EvaluatorRole.PURCHASER, "purchaser", "购买主体"),
    (EvaluatorRole.SERVICE_RECIPIENT, "service recipients", "服务对象"),
    (EvaluatorRole.THIRD_PARTY, "a third party", "第三方"),
)


def evaluation_tripartite_review(case: Case, on: date) -> RuleResult:
    """The review involves purchaser, service recipients and a third party (三(七)).

    Read from the evaluations on record by ``on``: none on record -> ``not_applicable`` (nothing
    reviewed yet); all three roles present -> ``pass``; a role absent -> ``unknown``, because a
    record that does not list a party does not show that the mechanism lacks it (a third-party
    evaluation often surveys recipients itself). A «third party» that is the contractor or
    purchaser itself -> ``fail``.
    """
    found = _self_evaluation(case)
    if found is not None:
        return _self_evaluation_failure(case, found)
    on_record = [e for e in case.evaluations if e.date <= on]
    if not on_record:
        return not_applicable("$.evaluations", "no evaluation on record yet", "尚无评估记录")
    roles = {e.evaluator_role for e in on_record}
    absent = [(en, zh) for role, en, zh in _TRIPARTITE_ROLES if role not in roles]
    if absent:
        return unknown("$.evaluations",
                       "the evaluations on record do not show " + " or ".join(en for en, _ in absent)
                       + " taking part in the review",
                       "评估记录未显示" + "、".join(zh for _, zh in absent) + "参与评审")
    return passed("$.evaluations", "purchaser, service recipients and a third party all took part",
                  "购买主体、服务对象和第三方均参与评审")


def evaluation_mid_and_final_third_party(case: Case, on: date) -> RuleResult:
    """Third-party evaluations at mid-term and at the end of the service period (五(四)).

    The source says only 「服务周期的中期和末期」 and names no day. The mid-term day used here is
    :func:`evaluation_schedule`'s, which is this library's scheduling policy, not the source's,
    so missing it never fails the rule on its own:

    - an evaluation labelled third-party that the contractor or purchaser did itself (same name
      or USCC) fails the rule whenever it is on file;
    - while the service period runs (``on <= period.end``): no third-party mid-term on record
      after our mid-term day is ``unknown`` (it may still be done within the cycle's middle);
      otherwise ``pass`` (not yet due, or the mid-term is on record);
    - once the period is over (``on > period.end``): no third-party mid-term, or no third-party
      final, on record is ``fail``: the service cycle has ended without it.

    Evaluations count when labelled ``third_party`` and dated from the period's start up to
    ``on`` (those dated after ``on`` are not yet on record).
    """
    k = case.contract
    if k is None:
        return _no_contract()
    found = _self_evaluation(case)
    if found is not None:
        return _self_evaluation_failure(case, found)
    sp = k.service_period
    if sp is None:
        return unknown("$.contract.service_period", "no service period: cannot tell when evaluations fall due",
                       "未提供服务期限,无法判断评估时点")
    midterm = evaluation_schedule(sp).midterm
    policy_en = (f"{midterm.isoformat()} is the mid-term day under this library's scheduling policy "
                 "(the source says only 「服务周期的中期」 and names no day)")
    policy_zh = f"{midterm.isoformat()} 为本库时点规则确定的中期日(来源仅称「服务周期的中期」,未规定具体日期)"
    counted = [
        e for e in case.evaluations
        if e.evaluator_role is EvaluatorRole.THIRD_PARTY and sp.start <= e.date <= on
    ]
    stages = {e.stage for e in counted}
    if on <= sp.end:
        if EvaluationStage.MIDTERM in stages:
            day = min(e.date for e in counted if e.stage is EvaluationStage.MIDTERM)
            return passed("$.evaluations",
                          f"third-party midterm_evaluation on record ({day.isoformat()}); the final evaluation "
                          f"falls due at the end of the service cycle ({sp.end.isoformat()})",
                          f"已有第三方中期评估记录({day.isoformat()});末期评估在服务周期结束时"
                          f"({sp.end.isoformat()})到期")
        if on > midterm:
            return unknown("$.evaluations",
                           f"no third-party midterm_evaluation on record by {on.isoformat()}, after {policy_en}; "
                           f"the service period runs to {sp.end.isoformat()}, so it may still be done",
                           f"截至 {on.isoformat()} 无第三方中期评估记录,已过 {policy_zh};"
                           f"服务期至 {sp.end.isoformat()},仍可能开展")
        return passed("$.contract.service_period",
                      f"not yet due: {policy_en}; the final evaluation falls due at the end of the service "
                      f"cycle ({sp.end.isoformat()})",
                      f"尚未到期:{policy_zh};末期评估在服务周期结束时({sp.end.isoformat()})到期")
    missing = [s for s in (EvaluationStage.MIDTERM, EvaluationStage.FINAL) if s not in stages]
    if missing:
        names_en = " or ".join(s.value for s in missing)
        names_zh = "、".join("中期评估" if s is EvaluationStage.MIDTERM else "末期评估" for s in missing)
        return failed("$.evaluations",
                      f"the service cycle ended on {sp.end.isoformat()} without a third-party {names_en} on record "
                      f"by {on.isoformat()}",
                      f"服务周期已于 {sp.end.isoformat()} 结束,截至 {on.isoformat()} 无第三方{names_zh}记录")
    return passed("$.evaluations",
                  f"third-party midterm_evaluation and final_evaluation on record; the service cycle ended on "
                  f"{sp.end.isoformat()}",
                  f"已有第三方中期和末期评估记录;服务周期已于 {sp.end.isoformat()} 结束")


# ---------------------------------------------------------------------------------------------
# Rules


def _rule(rule_id: str, kind: RuleKind, strength: Strength, subject: Subject, quote: str,
          zh: str, en: str, predicate: Predicate | None = None,
          fee: FeeSchedule | None = None, question: str | None = None) -> Rule:
    return Rule(
        rule_id=rule_id,
        region=REGION_CODE,
        kind=kind,
        strength=strength,
        subject=subject,
        effective_from=EFFECTIVE_FROM,
        effective_to=None,
        citation=Citation(XIAMEN_2015, quote),
        message_zh=zh,
        message_en=en,
        predicate=predicate,
        fee=fee,
        dates_note=DATES_NOTE,
        question=question,
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

RULES: Final[tuple[Rule, ...]] = (
    _rule("xiamen.purchaser.eligible_bodies", _K.PURCHASER_ELIGIBILITY, _S.HARD, _J.PURCHASER, Q_PURCHASER,
          "购买主体应为市、区、镇三级政府和街道,承担公共服务职责的行政部门,参照公务员法管理、具有行政管理职能的事业单位,"
          "或纳入行政编制管理且经费由财政负担的群团组织",
          "The purchaser must be a city, district or town government or a street office; an administrative "
          "department with public-service duties; a public institution managed under the Civil Servant Law "
          "with administrative functions; or a mass organisation on administrative staffing funded by the budget",
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
          "民办社会工作服务机构是主要承接主体(政策倾向,仅用于排序)",
          "Private social-work service agencies are the main contractors (a preference: ranks, never gates)",
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
          "应在服务周期的中期和末期组织或委托第三方专业评估机构开展评估(来源未规定具体日期:中期日为本库的时点规则,"
          "服务期内未见中期评估仅为待定;服务周期结束仍缺中期或末期评估则不符合)",
          "A third-party professional evaluator must evaluate at mid-term and at the end of the service period "
          "(the source names no day: the mid-term day is this library's scheduling policy, so while the period "
          "runs a missing mid-term is only unknown; once the cycle has ended without either, the rule fails)",
          evaluation_mid_and_final_third_party),
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
          "市直试点部门重点围绕问题青少年、寄养孤儿、社区服刑人员、刑满释放人员、单亲家庭、失独家庭、残疾人、孤寡空巢老人等群体",
          "City pilot departments focus on troubled youth, foster orphans, people under community corrections, "
          "released prisoners, single-parent families, families that lost their only child, disabled people "
          "and elderly people living alone"),
)

# ---------------------------------------------------------------------------------------------
# Periods


def _period(period_id: str, rule_id: str, zh: str, en: str, start: date, end: date) -> Period:
    return Period(period_id=period_id, rule_id=rule_id, region=REGION_CODE, name_zh=zh, name_en=en,
                  start=start, end=end)


PERIODS: Final[tuple[Period, ...]] = (
    # The seed says only 「2015年1月起」; the end is the end of the last phase it schedules.
    _period("xiamen.pilot", "xiamen.timeline.start", "政府购买社会工作服务试点(2015年1月至2016年6月)",
            "Pilot of government purchase of social-work services (January 2015 to June 2016)",
            date(2015, 1, 1), date(2016, 6, 30)),
    _period("xiamen.pilot.prep", "xiamen.timeline.phase_prep", "试点准备阶段", "Preparation phase",
            date(2015, 1, 1), date(2015, 1, 31)),
    _period("xiamen.pilot.phase1", "xiamen.timeline.phase1", "试点实施第一阶段", "First implementation phase",
            date(2015, 2, 1), date(2015, 8, 31)),
    _period("xiamen.pilot.midterm_review", "xiamen.timeline.midterm_review", "试点中期总结阶段",
            "Mid-term review", date(2015, 9, 1), date(2015, 9, 30)),
    _period("xiamen.pilot.phase2", "xiamen.timeline.phase2", "试点实施第二阶段", "Second implementation phase",
            date(2015, 10, 1), date(2016, 4, 30)),
    _period("xiamen.pilot.final_review", "xiamen.timeline.final_review", "试点末期总结阶段", "Final review",
            date(2016, 5, 1), date(2016, 6, 30)),
)

# ---------------------------------------------------------------------------------------------
# Silences

_SEED: Final = (SEED_FILE,)


def _silence(topic: str, zh: str, en: str) -> Silence:
    return Silence(region=REGION_CODE, topic=topic, statement_zh=zh, statement_en=en, sources=_SEED,
                   effective_from=EFFECTIVE_FROM)


SILENCES: Final[tuple[Silence, ...]] = (
    _silence("evaluation_grade",
             "厦府办〔2015〕3号未规定社会组织评估等级(如3A级)方面的要求或优先",
             "厦府办〔2015〕3号 sets no social-organisation evaluation grade requirement or priority (no 3A rule)"),
    _silence("staff_share",
             "厦府办〔2015〕3号只要求拥有专业团队,未规定社会工作专业人才的人数、比例或资格门槛",
             "厦府办〔2015〕3号 requires a professional team but gives no number, share or qualification "
             "threshold for social-work professionals"),
    _silence("procurement_method",
             "厦府办〔2015〕3号未指定采购方式,只要求遵照政府采购相关法律法规和部门规章",
             "厦府办〔2015〕3号 names no procurement method; it defers to the government-procurement laws and rules"),
    _silence("procurement_thresholds",
             "厦府办〔2015〕3号未规定采购限额标准或金额档次",
             "厦府办〔2015〕3号 sets no procurement-value thresholds or bands"),
    _silence("contract_length",
             "厦府办〔2015〕3号要求合同明确服务期限,但未规定期限长短",
             "厦府办〔2015〕3号 requires the contract to state the service period but sets no length"),
    _silence("disclosure_items",
             "厦府办〔2015〕3号未列出须向社会公开的信息项目",
             "厦府办〔2015〕3号 lists no items that must be published"),
    _silence("lottery_share",
             "厦府办〔2015〕3号只说市级福利彩票公益金安排「一定比例」的资金,未给出比例",
             "厦府办〔2015〕3号 says only that 「一定比例」 (a certain share) of city welfare-lottery funds is "
             "used, without a figure"),
    _silence("evaluation_fee_base",
             "「评估费用按总购买资金的3%计算」未说明总购买资金按单个项目还是整体计算,也未说明评估费用含在购买金额之内还是另计;"
             "本库不替调用方选择计算基数",
             "「评估费用按总购买资金的3%计算」 does not say whether the total purchase funds are per project or "
             "per programme, nor whether the fee sits inside or on top of the purchase amount; the library does "
             "not choose the base for the caller"),
)
