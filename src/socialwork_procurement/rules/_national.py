"""The national layer: 《政府购买服务管理办法》 (财政部令第102号), built into the core.

Only facts that ``shared/domain/RULES.md`` (B.1) marks verified are encoded: who may purchase
(art. 5), who may contract (art. 6), who may do neither (art. 8), the written contract and its
terms (art. 23) and the usual contract term (art. 24). The decree is not among the seed files, so
its citations name the full-text copy the catalogue read (``Source.url``) and quote the article
as the catalogue records it. Regional rules sit on this layer by date; an app opts out with
``national=False``.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from dateutil.relativedelta import relativedelta

from ..model._types import (
    Case,
    ContractTerm,
    LegalForm,
    PublicInstitutionCategory,
    PurchaserKind,
    Staffing,
)
from ._hookspecs import hookimpl
from ._rules import (
    Citation,
    Question,
    Region,
    Rule,
    RuleKind,
    RuleResult,
    Silence,
    Source,
    Strength,
    Subject,
    failed,
    not_applicable,
    passed,
    unknown,
)
from ._schedule import last_day_of_term

NATIONAL_PACK_NAME: Final = "socialwork-procurement (national layer)"

DECREE_102: Final = Source(
    file=None,
    title="政府购买服务管理办法",
    number="财政部令第102号",
    date=None,
    date_note="published about January 2020 (中新社 2020-02-03 «近日公布»); in force 2020-03-01",
    url="trmuyyu.cn/sccyzb/Content/151/1/3382",
)
EFFECTIVE: Final = date(2020, 3, 1)
_DATES_NOTE: Final = (
    "in force 2020-03-01 as widely reported; the catalogue verified publication (January 2020), not the effective date"
)

GRADE_VALIDITY: Final = relativedelta(years=5)
"""A social-organisation evaluation grade is valid five years (民政部令第39号 art. 28, RULES.md B.5).

The five years are a term counted by :func:`last_day_of_term`: a grade awarded on 1 June 2015
is valid through 31 May 2020; one awarded on 29 February 2016 through 28 February 2021.
"""

STATE_ORGAN_KINDS: Final = frozenset(
    {
        PurchaserKind.PEOPLES_GOVERNMENT,
        PurchaserKind.STREET_OFFICE,
        PurchaserKind.GOVERNMENT_ORGAN,
        PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
        PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY,
    }
)
"""Purchaser kinds that are state organs (国家机关)."""


def grade_valid_on(awarded_on: date, on: date) -> bool:
    """Whether a grade awarded on ``awarded_on`` is still valid on ``on`` (five years)."""
    return awarded_on <= on <= last_day_of_term(awarded_on, GRADE_VALIDITY)


def _excluded_art8(
    kind_is_institution: bool,
    category: PublicInstitutionCategory | None,
    is_mass_org: bool,
    staffing: Staffing | None,
    budget_funded: bool | None,
) -> bool | None:
    """Art. 8: 公益一类 institutions and institution-staffed, budget-funded mass organisations.

    Returns True (excluded), False (not excluded) or None (a needed fact is unknown).
    """
    if kind_is_institution:
        if category is None:
            return None
        return category is PublicInstitutionCategory.CATEGORY_1
    if is_mass_org:
        if staffing is None or budget_funded is None:
            return None
        return staffing is Staffing.INSTITUTIONAL and budget_funded
    return False


def purchaser_state_organ(case: Case, on: date) -> RuleResult:
    p = case.purchaser
    path = "$.purchaser.kind"
    if p is None:
        return not_applicable("$.purchaser", "no purchaser in the case", "案件未包含购买主体")
    if p.kind in STATE_ORGAN_KINDS:
        return passed(path, f"{p.kind.value} is a state organ", f"{p.kind.value} 属于国家机关")
    if (
        p.kind is PurchaserKind.PUBLIC_INSTITUTION
        and p.public_institution_category is PublicInstitutionCategory.ADMINISTRATIVE
    ) or (p.kind is PurchaserKind.MASS_ORGANIZATION and p.staffing is Staffing.ADMINISTRATIVE):
        return unknown(
            path,
            "not a state organ; whether it may purchase by analogy is not in the verified catalogue",
            "不属于国家机关;是否参照执行未经核实",
        )
    if p.kind is PurchaserKind.OTHER:
        return unknown(
            path,
            "purchaser kind 'other': cannot tell whether it is a state organ",
            "购买主体类型为其他,无法判断是否为国家机关",
        )
    return failed(path, f"{p.kind.value} is not a state organ", f"{p.kind.value} 不属于国家机关")


def purchaser_not_excluded(case: Case, on: date) -> RuleResult:
    p = case.purchaser
    if p is None:
        return not_applicable("$.purchaser", "no purchaser in the case", "案件未包含购买主体")
    is_inst = p.kind is PurchaserKind.PUBLIC_INSTITUTION
    is_mass = p.kind is PurchaserKind.MASS_ORGANIZATION
    if not (is_inst or is_mass):
        return not_applicable("$.purchaser.kind")
    path = "$.purchaser.public_institution_category" if is_inst else "$.purchaser.staffing"
    excluded = _excluded_art8(is_inst, p.public_institution_category, is_mass, p.staffing, p.budget_funded)
    if excluded is None:
        return unknown(path)
    return failed(path) if excluded else passed(path)


_CONTRACTOR_FORMS: Final = frozenset(
    {
        LegalForm.ENTERPRISE,
        LegalForm.SOCIAL_GROUP,
        LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        LegalForm.FOUNDATION,
        LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION,
        LegalForm.GRASSROOTS_SELF_GOVERNING_ORGANIZATION,
        LegalForm.INDIVIDUAL,
    }
)


def contractor_eligible_type(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", "no contractor in the case", "案件未包含承接主体")
    path = "$.contractor.legal_form"
    if c.legal_form is not LegalForm.INDIVIDUAL and c.lawfully_registered is False:
        # Art. 6 admits bodies 依法成立 (lawfully established) only.
        return failed("$.contractor.lawfully_registered", "not lawfully established", "非依法成立")
    if c.legal_form in _CONTRACTOR_FORMS:
        return passed(path)
    if c.legal_form is LegalForm.PUBLIC_INSTITUTION:
        cat = c.public_institution_category
        if cat is None:
            return unknown("$.contractor.public_institution_category")
        ok = cat in (PublicInstitutionCategory.CATEGORY_2, PublicInstitutionCategory.BUSINESS)
        return (
            passed("$.contractor.public_institution_category")
            if ok
            else failed("$.contractor.public_institution_category")
        )
    if c.legal_form is LegalForm.MASS_ORGANIZATION:
        # A social organisation, unless it is a mass organisation funded by budget allocations.
        if c.budget_funded is None:
            return unknown("$.contractor.budget_funded")
        return failed("$.contractor.budget_funded") if c.budget_funded else passed("$.contractor.budget_funded")
    return unknown(path, "legal form 'other' is not on the list", "承接主体类型为其他")


def contract_written_terms(case: Case, on: date) -> RuleResult:
    k = case.contract
    if k is None:
        return not_applicable("$.contract", "no contract in the case", "案件未包含合同")
    if k.written is False:
        return failed("$.contract.written", "the contract is not written", "合同不是书面合同")
    if k.stated_terms is None:
        return unknown("$.contract.stated_terms")
    missing = sorted(t.value for t in _ART23_TERMS - k.stated_terms)
    if missing:
        return failed("$.contract.stated_terms", "missing: " + ", ".join(missing), "缺少:" + "、".join(missing))
    if k.written is None:
        return unknown("$.contract.written")
    return passed("$.contract.stated_terms")


_ART23_TERMS: Final = frozenset(
    {
        ContractTerm.SCOPE,
        ContractTerm.SERVICE_PERIOD,
        ContractTerm.QUANTITY,
        ContractTerm.QUALITY,
        ContractTerm.PRICE,
        ContractTerm.PAYMENT_METHOD,
        ContractTerm.RIGHTS_AND_OBLIGATIONS,
        ContractTerm.BREACH_LIABILITY,
    }
)


def contract_term_length(case: Case, on: date) -> RuleResult:
    k = case.contract
    if k is None:
        return not_applicable("$.contract", "no contract in the case", "案件未包含合同")
    sp = k.service_period
    path = "$.contract.service_period"
    if sp is None:
        return unknown(path)
    # Terms are counted by last_day_of_term (month ends declared there).
    if sp.end <= last_day_of_term(sp.start, relativedelta(years=1)):
        return passed(path, "within one year", "不超过1年")
    if sp.end > last_day_of_term(sp.start, relativedelta(years=3)):
        return failed(path, "longer than three years", "超过3年")
    if k.long_term_basis is None:
        return unknown(
            "$.contract.long_term_basis",
            "over one year: allowed only for stable, budget-guaranteed services; the contract states no basis",
            "超过1年:仅限于预算有保障、内容固定、连续性强、经费稳定、价格变化小的项目;合同未说明依据",
        )
    return passed(
        "$.contract.long_term_basis",
        f"over one year, on the stated basis: {k.long_term_basis}",
        f"超过1年,所述依据:{k.long_term_basis}",
    )


_QUESTIONS: Final = {
    "national.purchaser.state_organs": Question.PURCHASER_TYPE,
    "national.purchaser.excluded_types": Question.PURCHASER_TYPE,
    "national.contractor.eligible_types": Question.CONTRACTOR_TYPE,
}
"""Questions these rules answer, shared with regional rules so that conflicts pair correctly."""


def _rule(
    rule_id: str, kind: RuleKind, strength: Strength, subject: Subject, quote: str, zh: str, en: str, predicate: object
) -> Rule:
    return Rule(
        rule_id=rule_id,
        region="national",
        kind=kind,
        strength=strength,
        subject=subject,
        effective_from=EFFECTIVE,
        effective_to=None,
        citation=Citation(DECREE_102, quote, note=_QUOTE_NOTES.get(rule_id)),
        message_zh=zh,
        message_en=en,
        predicate=predicate,  # type: ignore[arg-type]
        dates_note=_DATES_NOTE,
        question=_QUESTIONS.get(rule_id),
    )


_RECONSTRUCTED = (
    "the catalogue (RULES.md B.1) verified this article's content from a full-text copy but "
    "recorded it in summary; this wording is the decree's as we know it and is not checked "
    "against a stored copy"
)
_QUOTE_NOTES: Final = {
    "national.purchaser.excluded_types": _RECONSTRUCTED,
    "national.contractor.eligible_types": _RECONSTRUCTED,
    "national.contract.written_terms": "the catalogue's extract of art. 23 (verified, secondary)",
    "national.contract.term_length": _RECONSTRUCTED,
}

RULES: Final = (
    _rule(
        "national.purchaser.state_organs",
        RuleKind.PURCHASER_ELIGIBILITY,
        Strength.HARD,
        Subject.PURCHASER,
        "各级国家机关是政府购买服务的购买主体",
        "购买主体应为各级国家机关(第五条)",
        "The purchaser must be a state organ at some level (art. 5)",
        purchaser_state_organ,
    ),
    _rule(
        "national.purchaser.excluded_types",
        RuleKind.PURCHASER_ELIGIBILITY,
        Strength.HARD,
        Subject.PURCHASER,
        "公益一类事业单位、使用事业编制且由财政拨款保障的群团组织,不作为政府购买服务的购买主体和承接主体",
        "公益一类事业单位和使用事业编制且由财政拨款保障的群团组织不得作为购买主体(第八条)",
        "Category-1 public institutions and institution-staffed, budget-funded mass "
        "organisations may not purchase (art. 8)",
        purchaser_not_excluded,
    ),
    _rule(
        "national.contractor.eligible_types",
        RuleKind.CONTRACTOR_ELIGIBILITY,
        Strength.HARD,
        Subject.CONTRACTOR,
        "依法成立的企业、社会组织(不含由财政拨款保障的群团组织),公益二类和从事生产经营活动的事业单位,"
        "农村集体经济组织,基层群众性自治组织,以及具备条件的个人可以作为政府购买服务的承接主体",
        "承接主体应为第六条所列类型(公益一类事业单位、财政拨款保障的群团组织除外)",
        "The contractor must be of a type listed in art. 6 (not a category-1 institution or a "
        "budget-funded mass organisation)",
        contractor_eligible_type,
    ),
    _rule(
        "national.contract.written_terms",
        RuleKind.CONTRACT_TERMS,
        Strength.HARD,
        Subject.CONTRACT,
        "服务的内容、期限、数量、质量、价格,资金结算方式,各方权利义务事项和违约责任",
        "应签订书面合同,约定服务的内容、期限、数量、质量、价格、资金结算方式、各方权利义务和违约责任(第二十三条)",
        "A written contract must state the service content, period, quantity, quality, price, "
        "settlement method, rights and obligations and breach liability (art. 23)",
        contract_written_terms,
    ),
    _rule(
        "national.contract.term_length",
        RuleKind.CONTRACT_TERMS,
        Strength.HARD_DEFAULT,
        Subject.CONTRACT,
        "合同履行期限一般不超过1年;在预算保障的前提下,对于购买内容相对固定、连续性强、"
        "经费来源稳定、价格变化幅度小的政府购买服务项目,可以签订履行期限不超过3年的政府购买服务合同",
        "合同期限一般不超过1年,符合条件的最长不超过3年(第二十四条)",
        "A contract runs one year as a rule, three years at most for stable, budget-guaranteed services (art. 24)",
        contract_term_length,
    ),
)


REGION: Final = Region(
    code="national",
    name_zh="全国(财政部令第102号)",
    name_en="National layer (MoF Decree No. 102)",
    sources=(DECREE_102,),
    parent=None,
)


class _NationalPack:
    """The built-in national pack, registered by the manager unless ``national=False``."""

    @hookimpl
    def swp_regions(self) -> list[Region]:
        return [REGION]

    @hookimpl
    def swp_rules(self) -> list[Rule]:
        return list(RULES)

    @hookimpl
    def swp_silences(self) -> list[Silence]:
        return [
            Silence(
                region="national",
                topic="evaluation_fee",
                statement_zh="财政部令第102号(目录已核实部分)未规定评估费用",
                statement_en="Decree No. 102 (as far as the catalogue verified it) sets no evaluation fee",
                sources=(),
                effective_from=EFFECTIVE,
            )
        ]


national_pack: Final = _NationalPack()
