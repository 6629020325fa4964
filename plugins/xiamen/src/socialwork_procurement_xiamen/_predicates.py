"""Xiamen's predicates: plain functions ``(case, on) -> RuleResult``, one per checked rule.

An absent part of the case is ``not_applicable``; a fact that is ``None`` is ``unknown``, naming
the facts that would decide it and the values that do; none of them raises for a valid case.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Final

from socialwork_procurement import (
    AdminLevel,
    Case,
    ContractTerm,
    DecidingFact,
    Evaluation,
    EvaluationStage,
    EvaluatorRole,
    LegalForm,
    ProcurementMethod,
    PublicInstitutionCategory,
    PurchaseForm,
    PurchaserKind,
    RuleResult,
    Staffing,
    attestation_fact,
    attested,
    evaluation_schedule,
    failed,
    not_applicable,
    passed,
    passed_by_attestation,
    unknown,
)


def _no_purchaser() -> RuleResult:
    return not_applicable("$.purchaser", "no purchaser in the case", "案件未包含购买主体")


def _no_contractor() -> RuleResult:
    return not_applicable("$.contractor", "no contractor in the case", "案件未包含承接主体")


def _no_contract() -> RuleResult:
    return not_applicable("$.contract", "no contract in the case", "案件未包含合同")


# -- purchaser ---------------------------------------------------------------------------------

# 「市、区、镇三级政府和街道」: the street (街道) is listed by itself, as a street office; no people's
# government sits at street level.
_LISTED_LEVELS: Final = (AdminLevel.CITY, AdminLevel.DISTRICT, AdminLevel.TOWN)
# A city's instrument governs the bodies within the city; it neither admits nor excludes a provincial
# or national body, so for those the rule does not apply and the national layer answers.
_ABOVE_THE_CITY: Final = frozenset({AdminLevel.PROVINCIAL, AdminLevel.NATIONAL})
_LEVEL_ZH: Final = {
    AdminLevel.NATIONAL: "国家级",
    AdminLevel.PROVINCIAL: "省级",
    AdminLevel.CITY: "市级",
    AdminLevel.DISTRICT: "区级",
    AdminLevel.TOWN: "镇级",
    AdminLevel.STREET: "街道级",
}
_LEVEL_FACT: Final = DecidingFact(
    "$.purchaser.level",
    tuple(level.value for level in (*_LISTED_LEVELS, AdminLevel.PROVINCIAL, AdminLevel.NATIONAL)),
    note_zh="city、district、town:所列市、区、镇三级政府,符合;provincial、national:本市文件未涉及,不适用",
    note_en="city, district, town: one of the listed city, district and town governments (pass); provincial, "
            "national: a body the city's instrument does not speak to (not applicable)",
)
_LISTED_LEVEL_FACT: Final = DecidingFact(
    "$.purchaser.level",
    tuple(level.value for level in _LISTED_LEVELS),
    note_zh="政府的实际层级:市、区或镇",
    note_en="the government's real level: city, district or town",
)
_STREET_OFFICE_FACT: Final = DecidingFact(
    "$.purchaser.kind",
    (PurchaserKind.STREET_OFFICE.value,),
    note_zh="街道办事处按 street_office 申报:「街道」本身即在所列范围内",
    note_en="a street office is declared as kind street_office: 「街道」 is listed by itself",
)
_LISTED_KINDS: Final = (
    PurchaserKind.PEOPLES_GOVERNMENT,
    PurchaserKind.STREET_OFFICE,
    PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
    PurchaserKind.PUBLIC_INSTITUTION,
    PurchaserKind.MASS_ORGANIZATION,
)
_KIND_FACT: Final = DecidingFact(
    "$.purchaser.kind",
    tuple(kind.value for kind in _LISTED_KINDS),
    note_zh="所列类型之一:人民政府、街道、行政部门、事业单位、群团组织(各有其条件)",
    note_en="one of the listed kinds: people's government, street office, administrative department, public "
            "institution, mass organisation (each with its own conditions)",
)


def purchaser_eligible_bodies(case: Case, on: date) -> RuleResult:
    """The purchaser is on Xiamen's list (三(一) 明确购买主体)."""
    p = case.purchaser
    if p is None:
        return _no_purchaser()
    kind = p.kind
    if kind is PurchaserKind.STREET_OFFICE:
        return passed("$.purchaser.kind", "a street office (街道) is listed", "街道属于所列购买主体")
    if kind is PurchaserKind.PEOPLES_GOVERNMENT:
        return _purchaser_government(p.level)
    if kind is PurchaserKind.ADMINISTRATIVE_DEPARTMENT:
        path = "$.purchaser.public_service_duties"
        if p.public_service_duties is None:
            return unknown(path, "an administrative department; whether it has public-service duties is not given",
                           "属于行政部门,但未提供是否承担公共服务职责")
        if p.public_service_duties:
            return passed(path, "an administrative department with public-service duties",
                          "承担公共服务职责的行政部门")
        return failed(path, "an administrative department without public-service duties is not listed",
                      "不承担公共服务职责的行政部门不在所列范围内", declared_false=True)
    if kind is PurchaserKind.PUBLIC_INSTITUTION:
        return _purchaser_public_institution(case)
    if kind is PurchaserKind.MASS_ORGANIZATION:
        return _purchaser_mass_organization(case)
    if kind is PurchaserKind.ENTERPRISE:
        return failed("$.purchaser.kind", "an enterprise is not on Xiamen's list of purchasers",
                      "企业不在厦门所列购买主体范围内")
    # GOVERNMENT_ORGAN, DISPATCHED_OR_AUTHORISED_BODY, OTHER: the list does not say.
    return unknown(
        "$.purchaser.kind",
        f"purchaser kind {kind.value!r} is not named in Xiamen's list (governments, street offices, "
        "administrative departments with public-service duties, civil-service-managed institutions "
        "with administrative functions, administratively staffed budget-funded mass organisations); "
        "declare it as one of those kinds if it is one",
        f"购买主体类型 {kind.value} 未在厦门所列范围中列明;如属所列类型,请按该类型申报",
        deciding=[_KIND_FACT],
    )


def _purchaser_government(level: AdminLevel | None) -> RuleResult:
    path = "$.purchaser.level"
    if level is None:
        return unknown(path, "a people's government, but its level (city, district, town) is not given",
                       "属于人民政府,但未提供其层级(市、区、镇)", deciding=[_LEVEL_FACT])
    if level in _LISTED_LEVELS:
        return passed(path, f"a {level.value}-level government is listed", f"{_LEVEL_ZH[level]}政府属于所列购买主体")
    if level in _ABOVE_THE_CITY:
        return not_applicable(
            path,
            f"a {level.value} people's government: 厦府办〔2015〕3号 is the Xiamen city government's instrument and "
            "lists the purchasers within the city (city, district and town governments, street offices); it does "
            f"not speak to a {level.value} body, so this rule does not apply and the national layer's purchaser "
            "rule answers for it",
            f"{_LEVEL_ZH[level]}人民政府:厦府办〔2015〕3号为厦门市政府文件,所列为本市市、区、镇三级政府和街道,"
            f"未涉及{_LEVEL_ZH[level]}机关,本条不适用,由国家层的购买主体规则判断",
        )
    # AdminLevel.STREET
    return unknown(
        path,
        "no people's government sits at street level: the street (街道) is a street office, the district "
        "government's dispatched body, which the source lists by itself; declare kind street_office if the "
        "purchaser is one, or the government's real level",
        "街道一级不设人民政府:街道(街道办事处)是区政府的派出机关,来源将其单独列出;如购买主体为街道办事处,"
        "请按 street_office 申报,否则请申报政府的实际层级",
        deciding=[_STREET_OFFICE_FACT, _LISTED_LEVEL_FACT],
    )


_CIVIL_SERVICE_FACT: Final = DecidingFact(
    "$.purchaser.civil_service_managed",
    note_zh="true:参照公务员法管理(还须具有行政管理职能);false:不在所列范围内",
    note_en="true: managed under the Civil Servant Law (administrative functions also needed); false: not listed",
)
_CATEGORY_FACT: Final = DecidingFact(
    "$.purchaser.public_institution_category",
    note_zh="administrative:具有行政管理职能;其他类别:不在所列范围内",
    note_en="administrative: has administrative functions; any other category: not listed",
)


def _purchaser_public_institution(case: Case) -> RuleResult:
    p = case.purchaser
    assert p is not None
    managed, category = p.civil_service_managed, p.public_institution_category
    if managed is False:
        return failed("$.purchaser.civil_service_managed",
                      "a public institution not managed under the Civil Servant Law is not listed",
                      "未参照公务员法管理的事业单位不在所列范围内", declared_false=True)
    if category is not None and category is not PublicInstitutionCategory.ADMINISTRATIVE:
        return failed("$.purchaser.public_institution_category",
                      f"a {category.value} institution has no administrative functions",
                      f"{category.value} 事业单位不具有行政管理职能")
    if managed is None:
        missing = [_CIVIL_SERVICE_FACT] + ([_CATEGORY_FACT] if category is None else [])
        also_en = "; nor whether it has administrative functions" if category is None else ""
        also_zh = ",也未提供是否具有行政管理职能" if category is None else ""
        return unknown("$.purchaser.civil_service_managed",
                       "whether the institution is managed under the Civil Servant Law is not given" + also_en,
                       "未提供是否参照公务员法管理" + also_zh, deciding=missing)
    if category is None:
        return unknown("$.purchaser.public_institution_category",
                       "whether the institution has administrative functions is not given",
                       "未提供是否具有行政管理职能", deciding=[_CATEGORY_FACT])
    return passed("$.purchaser.public_institution_category",
                  "a public institution managed under the Civil Servant Law with administrative functions",
                  "参照公务员法管理、具有行政管理职能的事业单位")


_STAFFING_FACT: Final = DecidingFact(
    "$.purchaser.staffing",
    note_zh="administrative:纳入行政编制管理;其他:不在所列范围内",
    note_en="administrative: on administrative staffing; any other: not listed",
)
_BUDGET_FUNDED_FACT: Final = DecidingFact(
    "$.purchaser.budget_funded",
    note_zh="true:经费由财政负担;false:不在所列范围内",
    note_en="true: funded by the budget; false: not listed",
)


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
                      "经费不由财政负担的群团组织不在所列范围内", declared_false=True)
    if staffing is None:
        missing = [_STAFFING_FACT] + ([_BUDGET_FUNDED_FACT] if funded is None else [])
        also_en = "; nor whether the budget funds it" if funded is None else ""
        also_zh = ",也未提供经费是否由财政负担" if funded is None else ""
        return unknown("$.purchaser.staffing", "the mass organisation's staffing is not given" + also_en,
                       "未提供群团组织的编制类型" + also_zh, deciding=missing)
    if funded is None:
        return unknown("$.purchaser.budget_funded", "whether the budget funds the mass organisation is not given",
                       "未提供经费是否由财政负担", deciding=[_BUDGET_FUNDED_FACT])
    return passed("$.purchaser.staffing", "a mass organisation on administrative staffing, funded by the budget",
                  "纳入行政编制管理且经费由财政负担的群团组织")


# -- contractor --------------------------------------------------------------------------------


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
        return unknown(path, "whether the contractor is an independent legal person is not declared",
                       "未申报是否具有独立法人资格")
    if c.independent_legal_person:
        return passed(path)
    return failed(path, "the contractor is not an independent legal person", "承接主体不具有独立法人资格",
                  declared_false=True)


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
    return failed(path, "no professional social-work team", "不具备社会工作专业团队", declared_false=True)


_GOVERNANCE_FIELDS: Final = (
    ("internal_governance", "sound internal governance structure", "完善的内部治理结构"),
    ("bylaws", "sound rules and regulations", "健全的规章制度"),
    ("public_credibility", "good public credibility", "良好的社会公信力"),
    ("operating_capacity", "strong operating and management capacity", "较强的运营管理能力"),
    ("professional_service_capacity", "strong professional social-work service capacity",
     "较强的社会工作专业服务能力"),
)


@functools.cache
def _governance_fact(name: str, en: str, zh: str) -> DecidingFact:
    # A frozen value, the same for every case that leaves the fact out: built once (issue 10).
    return DecidingFact(f"$.contractor.governance.{name}", note_zh=zh, note_en=en)


def contractor_governance_capacity(case: Case, on: date) -> RuleResult:
    """Governance and capacity, as declared facts (qualitative: the source sets no measure)."""
    c = case.contractor
    if c is None:
        return _no_contractor()
    g = c.governance
    if g is None:
        return unknown("$.contractor.governance", "no governance facts declared", "未申报治理与能力情况",
                       deciding=[_governance_fact(*field) for field in _GOVERNANCE_FIELDS])
    values = [(name, en, zh, getattr(g, name)) for name, en, zh in _GOVERNANCE_FIELDS]
    lacking = [(name, en, zh) for name, en, zh, value in values if value is False]
    if lacking:
        return failed(f"$.contractor.governance.{lacking[0][0]}",
                      "lacks: " + "; ".join(en for _, en, _ in lacking),
                      "不具备:" + "、".join(zh for _, _, zh in lacking), declared_false=True)
    missing = [(name, en, zh) for name, en, zh, value in values if value is None]
    if missing:
        return unknown(f"$.contractor.governance.{missing[0][0]}",
                       "not declared: " + "; ".join(en for _, en, _ in missing),
                       "未申报:" + "、".join(zh for _, _, zh in missing),
                       deciding=[_governance_fact(*field) for field in missing])
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
                      f"不具备相应能力和条件的 {form.value}", declared_false=True)
    return failed("$.contractor.legal_form",
                  f"{form.value} is not on Xiamen's list (social group, private non-enterprise unit, "
                  "foundation; enterprise or public institution with corresponding ability)",
                  f"{form.value} 不在厦门所列承接主体类型内")


SOCIAL_WORK_AGENCY: Final = "xiamen.contractor.social_work_service_agency"
"""The condition key a caller attests for 「民办社会工作服务机构」 (a social-work service agency
registered as a private non-enterprise unit, RULES.md A.8), while the case schema has no declared
fact for it."""


def contractor_pneu_main(case: Case, on: date) -> RuleResult:
    """Soft: private social-work service agencies (民办社会工作服务机构) are the main contractors.

    Ranks, never gates. Such an agency is a private non-enterprise unit, but not every private
    non-enterprise unit is one (a private school is one too, A.8): another legal form fails the
    preference, a private non-enterprise unit passes only when the caller attests
    :data:`SOCIAL_WORK_AGENCY`, and is ``unknown`` otherwise.
    """
    c = case.contractor
    if c is None:
        return _no_contractor()
    if c.legal_form is not LegalForm.PRIVATE_NON_ENTERPRISE_UNIT:
        return failed("$.contractor.legal_form",
                      f"a {c.legal_form.value} is not a private social-work service agency (those are registered as "
                      "private non-enterprise units): the preference does not apply (ranking only)",
                      f"{c.legal_form.value} 不是民办社会工作服务机构(该类机构登记为民办非企业单位):"
                      "不适用该政策倾向(仅用于排序,不影响资格)")
    if c.social_work_service_agency is True:
        return passed("$.contractor.social_work_service_agency",
                      "a private non-enterprise unit declared to be a social-work service agency: the main-contractor "
                      "preference applies (ranking only)",
                      "申报为民办社会工作服务机构:适用主要承接主体的政策倾向(仅用于排序)")
    if c.social_work_service_agency is False:
        return failed("$.contractor.social_work_service_agency",
                      "declared not to be a social-work service agency: the preference does not apply (ranking only)",
                      "申报不是民办社会工作服务机构:不适用该政策倾向(仅用于排序,不影响资格)",
                      declared_false=True)
    attestation = attested(case, SOCIAL_WORK_AGENCY, on)
    if attestation is not None:
        day = attestation.date.isoformat()
        return passed_by_attestation(
            f"$.attestations[{case.attestations.index(attestation)}]",
            attestation,
            f"a private non-enterprise unit attested to be a social-work service agency by "
            f"{attestation.attested_by} on {day} ({attestation.basis}): the main-contractor preference applies",
            f"经{attestation.attested_by}于{day}证明为社会工作服务机构({attestation.basis}):适用主要承接主体的政策倾向",
        )
    return unknown(
        "$.attestations",
        "a private non-enterprise unit, but whether it is a social-work service agency is not declared: not every "
        "private non-enterprise unit is one (a private school is one too); declare "
        f"$.contractor.social_work_service_agency or attest the condition {SOCIAL_WORK_AGENCY} (ranking only)",
        "属于民办非企业单位,但未申报是否为社会工作服务机构:并非所有民办非企业单位都是(民办学校亦是);"
        f"请申报 $.contractor.social_work_service_agency,或证明条件 {SOCIAL_WORK_AGENCY}(仅用于排序)",
        deciding=["$.contractor.social_work_service_agency", attestation_fact(
            SOCIAL_WORK_AGENCY,
            note_en="attest that the contractor is a social-work service agency (民办社会工作服务机构)",
            note_zh="证明承接主体为民办社会工作服务机构",
        )],
    )


# -- contract and planning ---------------------------------------------------------------------


def form_projects(case: Case, on: date) -> RuleResult:
    """Soft: purchases are mainly projects (comprehensive or specialised)."""
    k = case.contract
    if k is None:
        return _no_contract()
    path = "$.contract.purchase_form"
    if k.purchase_form is None:
        return unknown(path, "the purchase form is not given", "未提供购买形式")
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
_BUDGET: Final = ("budget", "budget (the amount drawn up, in yuan)", "编制预算(预算金额,元)")


def procedure_needs_cost_targets_budget(case: Case, on: date) -> RuleResult:
    """Needs survey, cost accounting, four targets and a budget before purchasing (三(四))."""
    pl = case.planning
    if pl is None:
        return not_applicable("$.planning", "no planning facts in the case", "案件未包含预算编制前的工作情况")
    steps = [(name, en, zh, getattr(pl, name)) for name, en, zh in _PLANNING_STEPS]
    not_done = [(name, en, zh) for name, en, zh, value in steps if value is False]
    if not_done:
        return failed(f"$.planning.{not_done[0][0]}", "not done: " + "; ".join(en for _, en, _ in not_done),
                      "未完成:" + "、".join(zh for _, _, zh in not_done), declared_false=True)
    missing = [(name, en, zh) for name, en, zh, value in steps if value is None]
    if pl.budget is None:
        missing.append(_BUDGET)
    if missing:
        return unknown(f"$.planning.{missing[0][0]}", "not given: " + "; ".join(en for _, en, _ in missing),
                       "未提供:" + "、".join(zh for _, _, zh in missing),
                       deciding=[DecidingFact(f"$.planning.{name}", note_zh=zh, note_en=en)
                                 for name, en, zh in missing])
    return passed("$.planning", "needs survey, cost accounting, the four targets and the budget are all done",
                  "摸底调查、成本核算、四项目标与预算均已完成")


_NAMED_METHODS: Final = tuple(m.value for m in ProcurementMethod if m is not ProcurementMethod.OTHER)


def procedure_follow_gov_procurement_law(case: Case, on: date) -> RuleResult:
    """Procurement follows procurement law; the source names no method, so only the method's kind is seen."""
    k = case.contract
    if k is None:
        return _no_contract()
    path = "$.contract.procurement_method"
    method = k.procurement_method
    if method is None:
        return unknown(path, "the procurement method is not given", "未提供采购方式",
                       deciding=[DecidingFact(path, _NAMED_METHODS, note_zh="政府采购方式之一",
                                              note_en="one of the government-procurement methods")])
    if method is ProcurementMethod.OTHER:
        return unknown(path, "method 'other': whether it is a method the procurement law allows cannot be told",
                       "采购方式为其他,无法判断是否属于政府采购法律法规规定的方式",
                       deciding=[DecidingFact(path, _NAMED_METHODS,
                                              note_zh="申报实际采用的政府采购方式(other 无法判断)",
                                              note_en="declare the government-procurement method used ('other' "
                                                      "cannot be told to be one)")])
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
        required = ", ".join(t.value for t in _REQUIRED_TERMS)
        return unknown(path, "the contract's terms are not given; " + _OPEN_LIST_EN,
                       "未提供合同条款;" + _OPEN_LIST_ZH,
                       deciding=[DecidingFact(path, note_zh=f"合同载明的条款;须含 {required}",
                                              note_en=f"the terms the contract states; it needs {required}")])
    missing = [t.value for t in _REQUIRED_TERMS if t not in k.stated_terms]
    if missing:
        return failed(path, "missing: " + ", ".join(missing) + "; " + _OPEN_LIST_EN,
                      "缺少:" + "、".join(missing) + ";" + _OPEN_LIST_ZH)
    extra = sorted(t.value for t in k.stated_terms if t not in _REQUIRED_TERMS)
    extra_en = f" (also states: {', '.join(extra)})" if extra else ""
    extra_zh = f"(另有:{'、'.join(extra)})" if extra else ""
    return passed(path, "all six listed terms are stated" + extra_en + "; " + _OPEN_LIST_EN,
                  "所列六项均已载明" + extra_zh + ";" + _OPEN_LIST_ZH)


# -- evaluations -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)  # evaluator and party names repeat from check to check
def _same_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


class _EvaluationIndex:
    """What the evaluation predicates read from a case's evaluations, gathered in one pass.

    The two predicates used to walk every evaluation, normalising every third-party evaluator's
    name, on each call (twice a check), so recording one more evaluation cost more the more the
    case held (12-25 ms at 10,000). The index is built once per evaluations tuple and extended
    when a later tuple only appends to the last one indexed (the lifecycle records one evaluation
    at a time): a check then costs what the new evaluations cost, plus a C-level comparison of the
    old prefix. It is never changed once built, so threads may share it.
    """

    __slots__ = ("evaluations", "first_by_name", "first_by_uscc", "first_day_by_role", "third_party_days")

    def __init__(
        self,
        evaluations: tuple[Evaluation, ...],
        first_by_name: dict[str, int],
        first_by_uscc: dict[str, int],
        first_day_by_role: dict[EvaluatorRole, date],
        third_party_days: dict[EvaluationStage, list[date]],
    ) -> None:
        self.evaluations = evaluations
        self.first_by_name = first_by_name
        """Normalised evaluator name -> index of the first third-party evaluation under it."""
        self.first_by_uscc = first_by_uscc
        """Evaluator USCC -> index of the first third-party evaluation with it."""
        self.first_day_by_role = first_day_by_role
        """Role -> the earliest date of any evaluation in that role."""
        self.third_party_days = third_party_days
        """Stage -> the dates of the third-party evaluations of that stage, sorted."""

    @classmethod
    def extended(cls, base: _EvaluationIndex | None, evaluations: tuple[Evaluation, ...]) -> _EvaluationIndex:
        """The index of ``evaluations``, whose first ``len(base.evaluations)`` are ``base``'s."""
        if base is not None and len(base.evaluations) == len(evaluations):
            return cls(evaluations, base.first_by_name, base.first_by_uscc, base.first_day_by_role,
                       base.third_party_days)
        start = 0 if base is None else len(base.evaluations)
        # Copies: the base stays as it was for whoever still holds it.
        names: dict[str, int] = {} if base is None else dict(base.first_by_name)
        usccs: dict[str, int] = {} if base is None else dict(base.first_by_uscc)
        first_days: dict[EvaluatorRole, date] = {} if base is None else dict(base.first_day_by_role)
        days: dict[EvaluationStage, list[date]] = {
            stage: [] if base is None else list(base.third_party_days[stage]) for stage in EvaluationStage
        }
        for i in range(start, len(evaluations)):
            e = evaluations[i]
            role, day = e.evaluator_role, e.date
            earliest = first_days.get(role)
            if earliest is None or day < earliest:
                first_days[role] = day
            if role is EvaluatorRole.THIRD_PARTY:
                names.setdefault(_same_name(e.evaluator), i)
                if e.evaluator_uscc is not None:
                    usccs.setdefault(e.evaluator_uscc, i)
                bisect.insort(days[e.stage], day)
        return cls(evaluations, names, usccs, first_days, days)

    def first_third_party(self, stage: EvaluationStage, start: date, on: date) -> date | None:
        """The earliest date of a third-party evaluation of ``stage`` dated from ``start`` up to ``on``."""
        days = self.third_party_days[stage]
        k = bisect.bisect_left(days, start)
        return days[k] if k < len(days) and days[k] <= on else None

    def roles_on_record(self, on: date) -> set[EvaluatorRole]:
        """The roles of the evaluations dated up to ``on``."""
        return {role for role, day in self.first_day_by_role.items() if day <= on}


_EMPTY: Final = _EvaluationIndex.extended(None, ())
_LAST: Final[list[_EvaluationIndex]] = [_EMPTY]
"""The last index built: one slot, replaced whole (so a thread reads the old or the new one). It
keeps that case's evaluations alive until another case's evaluations are indexed."""


def _index(evaluations: tuple[Evaluation, ...]) -> _EvaluationIndex:
    if not evaluations:
        return _EMPTY
    last = _LAST[0]
    if last.evaluations is evaluations:
        return last
    n = len(last.evaluations)
    # Compares element by element, each by identity first: cheap when the tuple extends the last one.
    base = last if 0 < n <= len(evaluations) and evaluations[:n] == last.evaluations else None
    index = _EvaluationIndex.extended(base, evaluations)
    _LAST[0] = index
    return index


def _self_evaluation(case: Case, index: _EvaluationIndex) -> tuple[int, str, str] | None:
    """The first evaluation labelled third-party that the contractor or purchaser did itself.

    Returns ``(index, "contractor" | "purchaser", field)`` where ``field`` is the evaluation's
    field that gave it away (``evaluator_uscc`` or ``evaluator``), or ``None``. Names compare
    after NFKC normalisation, without whitespace and case-folded; names come from the case's
    contractor and purchaser and from the names written in the contract. At one evaluation a
    USCC match is reported before a name match.
    """
    if not index.first_by_name:  # no third-party evaluation at all
        return None
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
    found: tuple[int, int, str, str] | None = None
    for table, given, rank, field in ((index.first_by_uscc, usccs, 0, "evaluator_uscc"),
                                      (index.first_by_name, names, 1, "evaluator")):
        for key, role in given.items():
            i = table.get(key)
            if i is not None and (found is None or (i, rank) < found[:2]):
                found = (i, rank, role, field)
    return None if found is None else (found[0], found[2], found[3])


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
    index = _index(case.evaluations)
    found = _self_evaluation(case, index)
    if found is not None:
        return _self_evaluation_failure(case, found)
    roles = index.roles_on_record(on)
    if not roles:
        return not_applicable("$.evaluations", "no evaluation on record yet", "尚无评估记录")
    absent = [(role, en, zh) for role, en, zh in _TRIPARTITE_ROLES if role not in roles]
    if absent:
        return unknown("$.evaluations",
                       "the evaluations on record do not show " + " or ".join(en for _, en, _ in absent)
                       + " taking part in the review",
                       "评估记录未显示" + "、".join(zh for _, _, zh in absent) + "参与评审",
                       deciding=[DecidingFact(
                           "$.evaluations[*].evaluator_role",
                           tuple(role.value for role, _, _ in absent),
                           note_zh="记录" + "、".join(zh for _, _, zh in absent) + "参与的评估(日期不晚于所问日期)",
                           note_en="record an evaluation by " + " and by ".join(en for _, en, _ in absent)
                                   + ", dated no later than the day asked",
                       )])
    return passed("$.evaluations", "purchaser, service recipients and a third party all took part",
                  "购买主体、服务对象和第三方均参与评审")


_STAGE_ZH: Final = {EvaluationStage.MIDTERM: "中期评估", EvaluationStage.FINAL: "末期评估"}
_NO_DEADLINE_EN: Final = "the source sets no deadline for the mid-term/final evaluation"
_NO_DEADLINE_ZH: Final = "来源未规定中期评估和末期评估的完成期限"
_PERIOD_FACTS: Final = (
    DecidingFact("$.contract.service_period.start", note_zh="服务期限首日(YYYY-MM-DD)",
                 note_en="the first service day (YYYY-MM-DD)"),
    DecidingFact("$.contract.service_period.end", note_zh="服务期限末日(YYYY-MM-DD)",
                 note_en="the last service day (YYYY-MM-DD)"),
)


def _evaluation_facts(missing: Sequence[EvaluationStage], start: date) -> list[DecidingFact]:
    names_en = " and a ".join(s.value for s in missing)
    names_zh = "、".join(_STAGE_ZH[s] for s in missing)
    return [
        DecidingFact("$.evaluations[*].stage", tuple(s.value for s in missing),
                     note_zh=f"记录第三方{names_zh},日期自 {start.isoformat()} 起、不晚于所问日期",
                     note_en=f"record a third-party {names_en}, dated from {start.isoformat()} up to the day asked"),
        DecidingFact("$.evaluations[*].evaluator_role", (EvaluatorRole.THIRD_PARTY.value,),
                     note_zh="由第三方专业评估机构开展(不得为承接主体或购买主体自身)",
                     note_en="by a third-party professional evaluator (not the contractor or purchaser itself)"),
    ]


def evaluation_mid_and_final_third_party(case: Case, on: date) -> RuleResult:
    """Third-party evaluations at mid-term and at the end of the service period (五(四)).

    The source says only 「服务周期的中期和末期」: it names no day and sets no deadline. The
    mid-term day used here is :func:`evaluation_schedule`'s, which is this library's scheduling
    policy, not the source's, and an evaluation not on record is never a failure for lateness:

    - an evaluation labelled third-party that the contractor or purchaser did itself (same name
      or USCC) fails the rule whenever it is on file;
    - up to our mid-term day, with no third-party mid-term on record: ``pass`` (nothing is due);
    - a third-party mid-term on record while the period runs, or both on record after it: ``pass``;
    - otherwise (past our mid-term day without a mid-term, or the period over without either):
      ``unknown``, naming the evaluations that would decide it, until a source sets a deadline.

    Evaluations count when labelled ``third_party`` and dated from the period's start up to
    ``on`` (those dated after ``on`` are not yet on record).
    """
    k = case.contract
    if k is None:
        return _no_contract()
    index = _index(case.evaluations)
    found = _self_evaluation(case, index)
    if found is not None:
        return _self_evaluation_failure(case, found)
    sp = k.service_period
    if sp is None:
        return unknown("$.contract.service_period", "no service period: cannot tell when evaluations fall due",
                       "未提供服务期限,无法判断评估时点", deciding=_PERIOD_FACTS)
    midterm = evaluation_schedule(sp).midterm
    policy_en = (f"{midterm.isoformat()} is the mid-term day under this library's scheduling policy "
                 "(the source says only 「服务周期的中期」 and names no day)")
    policy_zh = f"{midterm.isoformat()} 为本库时点规则确定的中期日(来源仅称「服务周期的中期」,未规定具体日期)"
    mid_day = index.first_third_party(EvaluationStage.MIDTERM, sp.start, on)
    if on <= sp.end:
        if mid_day is not None:
            return passed("$.evaluations",
                          f"third-party midterm_evaluation on record ({mid_day.isoformat()}); the final evaluation "
                          f"falls due at the end of the service cycle ({sp.end.isoformat()})",
                          f"已有第三方中期评估记录({mid_day.isoformat()});末期评估在服务周期结束时"
                          f"({sp.end.isoformat()})到期")
        if on > midterm:
            return unknown("$.evaluations",
                           f"no third-party midterm_evaluation on record by {on.isoformat()}, after {policy_en}; "
                           f"the service period runs to {sp.end.isoformat()}, so it may still be done",
                           f"截至 {on.isoformat()} 无第三方中期评估记录,已过 {policy_zh};"
                           f"服务期至 {sp.end.isoformat()},仍可能开展",
                           deciding=_evaluation_facts((EvaluationStage.MIDTERM,), sp.start))
        return passed("$.contract.service_period",
                      f"not yet due: {policy_en}; the final evaluation falls due at the end of the service "
                      f"cycle ({sp.end.isoformat()})",
                      f"尚未到期:{policy_zh};末期评估在服务周期结束时({sp.end.isoformat()})到期")
    final_day = index.first_third_party(EvaluationStage.FINAL, sp.start, on)
    missing = [s for s, day in ((EvaluationStage.MIDTERM, mid_day), (EvaluationStage.FINAL, final_day))
               if day is None]
    if missing:
        names_en = " or ".join(s.value for s in missing)
        names_zh = "、".join(_STAGE_ZH[s] for s in missing)
        return unknown("$.evaluations",
                       f"the service cycle ended on {sp.end.isoformat()}, and no third-party {names_en} is on record "
                       f"by {on.isoformat()}; {_NO_DEADLINE_EN}, so this is not a failure for lateness: it may still "
                       "be recorded",
                       f"服务周期已于 {sp.end.isoformat()} 结束,截至 {on.isoformat()} 无第三方{names_zh}记录;"
                       f"{_NO_DEADLINE_ZH},不以逾期判为不符合,仍可补录",
                       deciding=_evaluation_facts(missing, sp.start))
    return passed("$.evaluations",
                  f"third-party midterm_evaluation and final_evaluation on record; the service cycle ended on "
                  f"{sp.end.isoformat()}",
                  f"已有第三方中期和末期评估记录;服务周期已于 {sp.end.isoformat()} 结束")
