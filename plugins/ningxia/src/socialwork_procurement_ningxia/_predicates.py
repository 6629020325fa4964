"""Ningxia's predicates, and the lists and helpers of the source that apps use too.

Predicates are ``(case, on) -> RuleResult``: pure, deterministic, never raising on a valid case.
What the report does NOT give is never filled in: the contractor-conditions rule reports
``unknown`` on every contractor, since the report says the conditions exist but not what they are.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final

from socialwork_procurement import (
    Case,
    ContractTerm,
    DisclosureItem,
    Evaluation,
    LegalForm,
    PublicInstitutionCategory,
    PurchaserKind,
    RuleResult,
    ServiceDomain,
    Staffing,
    TargetGroup,
    failed,
    not_applicable,
    passed,
    unknown,
)

# ---------------------------------------------------------------------------------------------
# Data the source lists (exported for apps)

REQUIRED_CONTRACT_TERMS: Final = (
    ContractTerm.SUBJECT_MATTER,
    ContractTerm.QUANTITY,
    ContractTerm.QUALITY,
    ContractTerm.SERVICE_PERIOD,
    ContractTerm.PAYMENT_METHOD,
    ContractTerm.BREACH_LIABILITY,
    ContractTerm.DISPUTE_RESOLUTION,
)
"""The seven terms a written contract states: 标的、数量、质量、服务期限、资金支付方式、违约责任、解决争议
(«等»: the list is a minimum, not exhaustive). In the source's order."""

DISCLOSURE_ITEMS: Final = (
    DisclosureItem.PROJECT_CONTENT,
    DisclosureItem.SERVICE_STANDARDS,
    DisclosureItem.SERVICE_REQUIREMENTS,
    DisclosureItem.SERVICE_CONTENT,
    DisclosureItem.BUDGET,
    DisclosureItem.PURCHASE_PROCEDURE,
    DisclosureItem.EVALUATION_STANDARDS,
    DisclosureItem.EVALUATION_RESULTS,
)
"""The eight items published: 项目内容、服务标准、服务要求、服务内容、预算安排、购买程序、绩效评价标准和结果
(the evaluation standards and the results count as two items). In the source's order."""

FIVE_FIELDS: Final = frozenset(
    {
        ServiceDomain.SOCIAL_ASSISTANCE,
        ServiceDomain.ELDERLY_CARE,
        ServiceDomain.CHILD_WELFARE,
        ServiceDomain.SOCIAL_AFFAIRS,
        ServiceDomain.CHARITY_AND_VOLUNTEERING,
    }
)
"""The five fields of the regional guiding catalogue (社会救助、养老服务、儿童福利、社会事务、慈善志愿服务)."""

PRIORITY_GROUPS: Final = frozenset(
    {
        TargetGroup.SUBSISTENCE_ALLOWANCE_RECIPIENTS,
        TargetGroup.EXTREME_POVERTY,
        TargetGroup.OLDER_PEOPLE,
        TargetGroup.ORPHANS,
        TargetGroup.LEFT_BEHIND_CHILDREN,
        TargetGroup.CHILDREN_IN_DIFFICULTY,
        TargetGroup.PEOPLE_WITH_DISABILITIES,
        TargetGroup.PEOPLE_WITH_MENTAL_DISORDERS,
    }
)
"""The groups the services centre on (低保对象、城乡特困人员、老年人、孤儿、农村留守儿童、困境儿童、残疾人、
精神障碍患者). The seed says «农村留守儿童»; :attr:`TargetGroup.LEFT_BEHIND_CHILDREN` does not say rural."""

_TERM_ZH: Final = {
    ContractTerm.SUBJECT_MATTER: "标的",
    ContractTerm.QUANTITY: "数量",
    ContractTerm.QUALITY: "质量",
    ContractTerm.SERVICE_PERIOD: "服务期限",
    ContractTerm.PAYMENT_METHOD: "资金支付方式",
    ContractTerm.BREACH_LIABILITY: "违约责任",
    ContractTerm.DISPUTE_RESOLUTION: "解决争议",
}

_ITEM_ZH: Final = {
    DisclosureItem.PROJECT_CONTENT: "项目内容",
    DisclosureItem.SERVICE_STANDARDS: "服务标准",
    DisclosureItem.SERVICE_REQUIREMENTS: "服务要求",
    DisclosureItem.SERVICE_CONTENT: "服务内容",
    DisclosureItem.BUDGET: "预算安排",
    DisclosureItem.PURCHASE_PROCEDURE: "购买程序",
    DisclosureItem.EVALUATION_STANDARDS: "绩效评价标准",
    DisclosureItem.EVALUATION_RESULTS: "绩效评价结果",
}


def _results_on_record(evaluations: Iterable[Evaluation], on: date) -> tuple[Evaluation, ...]:
    """The evaluations with a result (``result`` not ``None``) dated on or before ``on``."""
    return tuple(e for e in evaluations if e.result is not None and e.date <= on)


def evaluation_results_due(evaluations: Iterable[Evaluation], on: date) -> bool:
    """Whether 绩效评价结果 (``evaluation_results``) must be published on ``on``.

    Results can only be published once an evaluation has produced one: the item is due once
    ``evaluations`` holds an evaluation with a result dated on or before ``on``, and not before.
    """
    return bool(_results_on_record(evaluations, on))


def disclosure_status(
    published: frozenset[DisclosureItem] | None, *, results_due: bool = True
) -> dict[DisclosureItem, bool | None]:
    """Each of Ningxia's disclosure items that is due, and whether it is published.

    Every key is due: the eight items the source lists, except ``evaluation_results`` when
    ``results_due`` is false (no evaluation has produced a result yet, see
    :func:`evaluation_results_due`; pass ``results_due=evaluation_results_due(case.evaluations, on)``
    to follow a project). The value is ``True`` when ``published`` contains the item, ``False``
    when it does not, and ``None`` for every item when ``published`` is ``None`` (the app does
    not know what it has published). Items outside the eight (a contract, an annual catalogue)
    are not Ningxia requirements and are not reported. Keys follow the source's order.
    """
    due = [item for item in DISCLOSURE_ITEMS if results_due or item is not DisclosureItem.EVALUATION_RESULTS]
    if published is None:
        return dict.fromkeys(due)
    return {item: item in published for item in due}


# ---------------------------------------------------------------------------------------------
# Predicates: (case, on) -> RuleResult. Pure, deterministic, never raising on a valid Case.

_GOVERNMENT_ORGAN_KINDS: Final = frozenset(
    {
        PurchaserKind.STREET_OFFICE,
        PurchaserKind.GOVERNMENT_ORGAN,
        PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
        PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY,
    }
)
"""Bodies of or under a government that are not themselves «a government at some level»."""


def _no_purchaser() -> RuleResult:
    return not_applicable("$.purchaser", "no purchaser in the case", "案件未包含购买主体")


def _no_contractor() -> RuleResult:
    return not_applicable("$.contractor", "no contractor in the case", "案件未包含承接主体")


def _no_contract() -> RuleResult:
    return not_applicable("$.contract", "no contract in the case", "案件未包含合同")


def purchaser_governments(case: Case, on: date) -> RuleResult:
    """各级政府 are the purchasers: a people's government passes.

    Organs of or under a government (street offices, administrative departments such as the
    civil-affairs bureau, other government organs, dispatched or authorised bodies) are
    ``unknown``: the report names only «各级政府» and says neither that they are included nor
    that they are excluded (while it has 各级民政部门 plan the projects and budgets). Public
    institutions with administrative functions (or managed under the Civil Servant Law) and
    mass organisations on administrative staffing are ``unknown`` for the same reason; other
    public institutions, mass organisations and enterprises are not governments and fail.
    """
    p = case.purchaser
    if p is None:
        return _no_purchaser()
    path = "$.purchaser.kind"
    kind = p.kind
    if kind is PurchaserKind.PEOPLES_GOVERNMENT:
        return passed(path, "a people's government is a government at some level (各级政府)",
                      "人民政府属于各级政府")
    if kind in _GOVERNMENT_ORGAN_KINDS:
        return unknown(
            path,
            f"{kind.value} is a body of or under a government, not a government itself; the source "
            "names only «各级政府» and does not say whether such bodies may purchase",
            f"{kind.value} 是政府的组成或派出机构,本身不是一级政府;来源只写「各级政府」,未说明此类机构可否作为购买主体",
        )
    if kind is PurchaserKind.PUBLIC_INSTITUTION:
        cat_path = "$.purchaser.public_institution_category"
        if p.civil_service_managed is True or p.public_institution_category is PublicInstitutionCategory.ADMINISTRATIVE:
            return unknown(
                cat_path,
                "a public institution with administrative functions is not a government; the source "
                "does not say whether it may purchase",
                "承担行政职能(或参照公务员法管理)的事业单位不是一级政府,来源未说明可否作为购买主体",
            )
        if p.public_institution_category is None:
            return unknown(cat_path, "public-institution category not given", "未提供事业单位类别")
        return failed(path, "a public institution is not a government (各级政府)", "事业单位不属于各级政府")
    if kind is PurchaserKind.MASS_ORGANIZATION:
        staffing_path = "$.purchaser.staffing"
        if p.staffing is None:
            return unknown(staffing_path, "mass organisation: staffing not given", "群团组织:未提供编制类型")
        if p.staffing is Staffing.ADMINISTRATIVE:
            return unknown(
                staffing_path,
                "a mass organisation on administrative staffing is not a government; the source "
                "does not say whether it may purchase",
                "使用行政编制的群团组织不是一级政府,来源未说明可否作为购买主体",
            )
        return failed(path, "a mass organisation is not a government (各级政府)", "群团组织不属于各级政府")
    if kind is PurchaserKind.ENTERPRISE:
        return failed(path, "an enterprise is not a government (各级政府)", "企业不属于各级政府")
    return unknown(path, "purchaser kind 'other': cannot tell whether it is a government",
                   "购买主体类型为其他,无法判断是否为一级政府")


def purchaser_not_excluded(case: Case, on: date) -> RuleResult:
    """公益一类事业单位 and 使用事业编制且由财政拨款保障的群团组织 must not purchase."""
    p = case.purchaser
    if p is None:
        return _no_purchaser()
    cat_path = "$.purchaser.public_institution_category"
    if p.kind is PurchaserKind.PUBLIC_INSTITUTION or (
        p.kind is PurchaserKind.OTHER and p.public_institution_category is not None
    ):
        if p.public_institution_category is None:
            return unknown(cat_path, "public-institution category not given: it may be category 1",
                           "未提供事业单位类别,可能属于公益一类")
        if p.public_institution_category is PublicInstitutionCategory.CATEGORY_1:
            return failed(cat_path, "a category-1 public institution (公益一类) may not purchase",
                          "公益一类事业单位不得作为购买主体")
        return passed(cat_path, "not a category-1 public institution", "不属于公益一类事业单位")
    if p.kind is PurchaserKind.MASS_ORGANIZATION:
        staffing_path = "$.purchaser.staffing"
        if p.staffing is not None and p.staffing is not Staffing.INSTITUTIONAL:
            return passed(staffing_path, "not on institutional staffing (事业编制)", "未使用事业编制")
        if p.budget_funded is False:
            return passed("$.purchaser.budget_funded", "not funded by budget allocations",
                          "经费非由财政拨款保障")
        if p.staffing is None:
            return unknown(staffing_path, "mass organisation: staffing not given", "群团组织:未提供编制类型")
        if p.budget_funded is None:
            return unknown("$.purchaser.budget_funded", "mass organisation on institutional staffing: "
                           "budget funding not given", "使用事业编制的群团组织:未提供是否由财政拨款保障")
        return failed(
            staffing_path,
            "a mass organisation on institutional staffing funded by budget allocations may not purchase",
            "使用事业编制且由财政拨款保障的群团组织不得作为购买主体",
        )
    if p.kind is PurchaserKind.OTHER:
        return unknown("$.purchaser.kind", "purchaser kind 'other': cannot tell whether it is an excluded type",
                       "购买主体类型为其他,无法判断是否属于排除类型")
    return not_applicable("$.purchaser.kind", f"{p.kind.value} is not one of the excluded types",
                          f"{p.kind.value} 不属于排除类型")


_WHITELISTED_FORMS: Final = {
    LegalForm.ENTERPRISE: ("a lawfully established enterprise (企业)", "依法成立的企业"),
    LegalForm.SOCIAL_GROUP: ("a social organisation: social group (社会团体)", "社会组织:社会团体"),
    LegalForm.PRIVATE_NON_ENTERPRISE_UNIT: (
        "a social organisation: private non-enterprise unit (民办非企业单位)", "社会组织:民办非企业单位"),
    LegalForm.FOUNDATION: ("a social organisation: foundation (基金会)", "社会组织:基金会"),
    LegalForm.GRASSROOTS_SELF_GOVERNING_ORGANIZATION: (
        "a grassroots self-governing organisation (基层群众性自治组织)", "基层群众性自治组织"),
    LegalForm.INDIVIDUAL: (
        "a qualified individual (具备条件的个人); the qualifications are not given in the source",
        "具备条件的个人;来源未给出具体条件"),
}


def contractor_eligible_types(case: Case, on: date) -> RuleResult:
    """The contractor's type is on the whitelist (copied from 财政部令第102号 art. 6).

    The whitelist is by type only: no legal-person and no non-profit requirement is inferred
    (individuals and enterprises are on it). Lawful establishment and the other conditions are
    ``ningxia.contractor.specific_conditions``.
    """
    c = case.contractor
    if c is None:
        return _no_contractor()
    path = "$.contractor.legal_form"
    form = c.legal_form
    if form in _WHITELISTED_FORMS:
        en, zh = _WHITELISTED_FORMS[form]
        if form is LegalForm.SOCIAL_GROUP and c.budget_funded is True:
            en += ("; it is budget-funded: if it is in fact a mass organisation (群团组织), "
                   "budget-funded ones are not on the list")
            zh += ";该社会团体由财政拨款保障:如其实为群团组织,则不在名单内"
        return passed(path, en, zh)
    if form is LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION:
        en, zh = "a rural collective economic organisation (农村集体经济组织)", "农村集体经济组织"
        if c.uscc is not None and not c.uscc.startswith("N"):
            en += (f"; note: its USCC {c.uscc} does not start with 'N' (the agricultural registration "
                   "authority that codes rural collectives N1-N3): check the code or the legal form")
            zh += f";注意:其统一社会信用代码 {c.uscc} 不以「N」(农业部门登记,N1-N3)开头,请核对代码或组织类型"
        return passed(path, en, zh)
    if form is LegalForm.PUBLIC_INSTITUTION:
        cat_path = "$.contractor.public_institution_category"
        cat = c.public_institution_category
        if cat is None:
            return unknown(cat_path, "public-institution category not given: only category 2 and "
                           "business institutions are on the list",
                           "未提供事业单位类别:仅公益二类和从事生产经营活动的事业单位在名单内")
        if cat is PublicInstitutionCategory.CATEGORY_2:
            return passed(cat_path, "a category-2 public institution (公益二类)", "公益二类事业单位")
        if cat is PublicInstitutionCategory.BUSINESS:
            return passed(cat_path, "a public institution engaged in business activity", "从事生产经营活动的事业单位")
        if cat is PublicInstitutionCategory.CATEGORY_1:
            return failed(cat_path, "a category-1 public institution (公益一类) is not on the list",
                          "公益一类事业单位不在承接主体名单内")
        return failed(cat_path, "a public institution with administrative functions is not on the list",
                      "承担行政职能的事业单位不在承接主体名单内")
    if form is LegalForm.MASS_ORGANIZATION:
        funded_path = "$.contractor.budget_funded"
        if c.budget_funded is None:
            return unknown(funded_path, "mass organisation: whether it is funded by budget allocations is not given",
                           "群团组织:未提供是否由财政拨款保障")
        if c.budget_funded:
            return failed(funded_path, "a mass organisation funded by budget allocations is excluded "
                          "(不含由财政拨款保障的群团组织)", "由财政拨款保障的群团组织不在承接主体名单内")
        return passed(funded_path,
                      "a mass organisation not funded by budget allocations counts as a social organisation",
                      "非财政拨款保障的群团组织按社会组织对待")
    return unknown(path, "legal form 'other': cannot tell whether it is on the list",
                   "承接主体类型为其他,无法判断是否在名单内")


def contractor_specific_conditions(case: Case, on: date) -> RuleResult:
    """The opinion sets specific conditions, but the source does not give them: always ``unknown``."""
    c = case.contractor
    if c is None:
        return _no_contractor()
    en = ("the opinion sets specific conditions on lawful establishment, business scope, full-time "
          "staff, organisational management and service capacity, but the source (a news report) "
          "does not give their values, so no contractor can be shown to meet them")
    zh = ("《意见》对依法成立、业务范围、专职人员、组织管理、服务能力等明确了具体条件,"
          "但来源(新闻报道)未载明具体内容,无法判断承接主体是否符合")
    if c.lawfully_registered is False:
        en += "; note: the contractor is declared not lawfully registered/established (依法成立)"
        zh += ";注意:该承接主体声明未依法登记/成立"
    return unknown("$.contractor", en, zh)


def contract_written_required_terms(case: Case, on: date) -> RuleResult:
    """A written contract stating the seven terms."""
    k = case.contract
    if k is None:
        return _no_contract()
    if k.written is False:
        return failed("$.contract.written", "the contract is not written (书面合同 required)", "合同不是书面合同")
    if k.stated_terms is None:
        return unknown("$.contract.stated_terms", "the terms the contract states are not given", "未提供合同载明的条款")
    missing = [t for t in REQUIRED_CONTRACT_TERMS if t not in k.stated_terms]
    if missing:
        return failed(
            "$.contract.stated_terms",
            "missing: " + ", ".join(t.value for t in missing),
            "缺少:" + "、".join(_TERM_ZH[t] for t in missing),
        )
    if k.written is None:
        return unknown("$.contract.written",
                       "all seven terms are stated, but whether the contract is written is not given",
                       "七项条款均已载明,但未提供是否为书面合同")
    return passed("$.contract.stated_terms", "written, with all seven terms", "书面合同,七项条款齐全")


def disclosure_items(case: Case, on: date) -> RuleResult:
    """The items due are published (checked against ``case.published``).

    All eight are due once an evaluation with a result is on record by ``on``; before that,
    绩效评价结果 cannot be published yet and the other seven are due.
    """
    results = _results_on_record(case.evaluations, on)
    if results:
        last = max(e.date for e in results)
        note_en = f"evaluation_results due: an evaluation result is on record ({last.isoformat()})"
        note_zh = f"绩效评价结果已应公开:已有绩效评价结果({last.isoformat()})"
    else:
        note_en = (f"evaluation_results not yet due: no evaluation with a result is on record by {on.isoformat()}, "
                   "so there is no result to publish")
        note_zh = f"绩效评价结果尚未到期:截至 {on.isoformat()} 无已得出结果的绩效评价,尚无结果可公开"
    status = disclosure_status(case.published, results_due=bool(results))
    if case.published is None:
        return unknown("$.published", f"what has been published is not given; {note_en}",
                       f"未提供已公开的信息;{note_zh}")
    missing = [item for item, done in status.items() if not done]
    if missing:
        return failed(
            "$.published",
            "not published: " + ", ".join(i.value for i in missing) + f"; {note_en}",
            "未公开:" + "、".join(_ITEM_ZH[i] for i in missing) + f";{note_zh}",
        )
    if results:
        return passed("$.published", f"all eight items are published; {note_en}", f"八项信息均已公开;{note_zh}")
    return passed("$.published", f"the seven items due are published; {note_en}",
                  f"应公开的七项信息均已公开;{note_zh}")


_TARGETS_ZH: Final = {
    "targets_quantity": "数量目标",
    "targets_scale": "规模目标",
    "targets_quality": "质量目标",
    "targets_effect": "效果目标",
}


def procedure_targets_and_annual_budget(case: Case, on: date) -> RuleResult:
    """Targets for quantity, scale, quality and effect, and an annual project budget."""
    pl = case.planning
    if pl is None:
        return not_applicable("$.planning", "no planning in the case", "案件未包含项目规划")
    facts: dict[str, bool | None] = {
        "targets_quantity": pl.targets_quantity,
        "targets_scale": pl.targets_scale,
        "targets_quality": pl.targets_quality,
        "targets_effect": pl.targets_effect,
    }
    absent = [name for name, value in facts.items() if value is False]
    if absent:
        return failed(
            "$.planning." + absent[0],
            "not set: " + ", ".join(absent),
            "未提出:" + "、".join(_TARGETS_ZH[n] for n in absent),
        )
    unknown_facts = [name for name, value in facts.items() if value is None]
    if pl.budget is None:
        unknown_facts.append("budget")
    if unknown_facts:
        zh_names = [_TARGETS_ZH.get(n, "年度项目预算") for n in unknown_facts]
        return unknown(
            "$.planning." + unknown_facts[0],
            "not given: " + ", ".join(unknown_facts),
            "未提供:" + "、".join(zh_names),
        )
    return passed("$.planning", "four targets set and an annual project budget drawn up",
                  "已提出数量、规模、质量与效果目标并编制年度项目预算")


def procedure_lawful_procurement(case: Case, on: date) -> RuleResult:
    """Procurement «依法依规»: the source names no method, so any stated method passes."""
    k = case.contract
    if k is None:
        return _no_contract()
    path = "$.contract.procurement_method"
    method = k.procurement_method
    if method is None:
        return unknown(path, "no procurement method given", "未提供采购方式")
    return passed(
        path,
        f"procured by {method.value}; the source names no method, so whether it was lawful "
        "(thresholds, approvals) is not checked here",
        f"采购方式为 {method.value};来源未规定采购方式,本规则不核查其合法性(限额、审批)",
    )


def evaluation_feedback_use(case: Case, on: date) -> RuleResult:
    """Soft: there are evaluation results to feed back and use (the encouragement applies)."""
    if not case.evaluations:
        return not_applicable("$.evaluations", "no evaluation in the case", "案件未包含绩效评价")
    if any(e.result is not None for e in case.evaluations):
        return passed("$.evaluations", "evaluation results exist to feed back and apply",
                      "已有绩效评价结果可供反馈应用")
    return unknown("$.evaluations", "no evaluation gives a result", "绩效评价均未给出结果")
