"""The national layer: 《政府购买服务管理办法》 (财政部令第102号), built into the core.

Only facts that ``shared/domain/RULES.md`` (B.1) marks verified are encoded: who may purchase
(art. 5), who may contract (art. 6), the conditions a purchaser may set for contractors (art. 7),
who may do neither (art. 8), what is not a purchase of services (art. 10, the negative list), the
written contract, its terms and its publication (art. 23) and the usual contract term (art. 24).
The decree is not among the seed files, so its citations name the full-text copy the catalogue
read (``Source.url``) and quote the article as the catalogue records it, with a note where the
wording is not verified. Regional rules sit on this layer by date; an app opts out with
``national=False``.

The earlier national instruments the catalogue lists (B.2-B.4, and the decree's interim
predecessor) are not encoded: the layer contributes them as silences of kind ``not_encoded``, so
a verdict on a day they cover says which national rules it did not check.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from dateutil.relativedelta import relativedelta

from ..model._types import (
    Case,
    Contract,
    ContractTerm,
    DisclosureItem,
    LegalForm,
    NegativeListItem,
    PublicInstitutionCategory,
    PurchaseForm,
    PurchaserKind,
    Staffing,
)
from ._hookspecs import hookimpl
from ._rules import (
    Citation,
    DecidingFact,
    Question,
    Region,
    Rule,
    RuleKind,
    RuleResult,
    Silence,
    SilenceKind,
    Source,
    Strength,
    Subject,
    attestation_fact,
    attested,
    failed,
    not_applicable,
    passed,
    passed_by_attestation,
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


BY_ANALOGY: Final = "national.purchaser.by_analogy"
"""Condition key of an attestation that a purchaser which is not a state organ (a public
institution with administrative functions or managed under the Civil Servant Law, a mass
organisation on the administrative establishment) purchases under the decree by analogy
(参照执行). The catalogue has not verified the article that would say so, so only a person who
answers for it can decide it: :data:`national.purchaser.state_organs` passes on the attestation
and shows it."""


def _n_a(part: str, en: str, zh: str) -> RuleResult:
    return not_applicable(f"$.{part}", en, zh)


def _by_analogy(case: Case, on: date, path: str, en: str, zh: str) -> RuleResult:
    attestation = attested(case, BY_ANALOGY, on)
    if attestation is not None:
        return passed_by_attestation(
            path,
            attestation,
            f"{en}; attested to purchase under the decree by analogy by {attestation.attested_by} "
            f"on {attestation.date.isoformat()}: {attestation.basis}",
            f"{zh};由{attestation.attested_by}于{attestation.date.isoformat()}证明参照执行:{attestation.basis}",
        )
    return unknown(
        path,
        f"{en}: not a state organ; whether it purchases under the decree by analogy is not in the verified "
        "catalogue, so a person who answers for it must attest it",
        f"{zh}:不属于国家机关;是否参照本办法执行未经目录核实,须由有权人员证明",
        deciding=(
            attestation_fact(
                BY_ANALOGY,
                "attest that the body purchases under the decree by analogy (参照执行), with who attests and why",
                "证明该单位参照本办法执行购买服务,并写明证明人和依据",
            ),
        ),
    )


_CATEGORY_FACT: Final = DecidingFact(
    "$.purchaser.public_institution_category",
    note_en="administrative: may purchase only by analogy (attested); category 1, 2 or business: not a state organ",
    note_zh="承担行政职能:仅可参照执行(须证明);公益一类、公益二类、生产经营类:不属于国家机关",
)


def purchaser_state_organ(case: Case, on: date) -> RuleResult:
    """Art. 5: the purchaser is a state organ; public institutions and mass organisations by their facts.

    A missing fact (an institution's category, a mass organisation's staffing) is ``unknown``
    naming it, never a failure. An institution with administrative functions or managed under
    the Civil Servant Law, and a mass organisation on the administrative establishment, are not
    state organs but are never failed: whether they purchase by analogy is undecided by the
    verified catalogue, and an attestation (:data:`BY_ANALOGY`) decides it.
    """
    p = case.purchaser
    path = "$.purchaser.kind"
    if p is None:
        return _n_a("purchaser", "no purchaser in the case", "案件未包含购买主体")
    if p.kind in STATE_ORGAN_KINDS:
        return passed(path, f"{p.kind.value} is a state organ", f"{p.kind.value} 属于国家机关")
    if p.kind is PurchaserKind.PUBLIC_INSTITUTION:
        category = p.public_institution_category
        cat_path = "$.purchaser.public_institution_category"
        if category is PublicInstitutionCategory.ADMINISTRATIVE:
            return _by_analogy(
                case, on, cat_path, "a public institution with administrative functions", "承担行政职能的事业单位"
            )
        if p.civil_service_managed is True:
            return _by_analogy(
                case,
                on,
                "$.purchaser.civil_service_managed",
                "a public institution managed under the Civil Servant Law",
                "参照公务员法管理的事业单位",
            )
        if category is None:
            return unknown(
                cat_path,
                "a public institution whose category is not given: only one with administrative functions "
                "(or managed under the Civil Servant Law) could purchase, and only by analogy",
                "事业单位类别未提供:仅承担行政职能(或参照公务员法管理)的事业单位可能参照执行",
                deciding=(
                    _CATEGORY_FACT,
                    DecidingFact(
                        "$.purchaser.civil_service_managed",
                        (True,),
                        note_en="true: managed under the Civil Servant Law (may purchase only by analogy, attested)",
                        note_zh="true:参照公务员法管理(仅可参照执行,须证明)",
                    ),
                ),
            )
        return failed(
            cat_path,
            f"a {category.value} public institution is not a state organ",
            f"{category.value} 事业单位不属于国家机关",
        )
    if p.kind is PurchaserKind.MASS_ORGANIZATION:
        staffing_path = "$.purchaser.staffing"
        if p.staffing is Staffing.ADMINISTRATIVE:
            return _by_analogy(
                case,
                on,
                staffing_path,
                "a mass organisation on the administrative establishment",
                "使用行政编制的群团组织",
            )
        if p.staffing is None:
            return unknown(
                staffing_path,
                "a mass organisation whose staffing is not given: only one on the administrative establishment "
                "could purchase, and only by analogy",
                "群团组织编制类型未提供:仅使用行政编制的群团组织可能参照执行",
                deciding=(
                    DecidingFact(
                        staffing_path,
                        note_en="administrative: may purchase only by analogy (attested); institutional or none: "
                        "not a state organ",
                        note_zh="行政编制:仅可参照执行(须证明);事业编制或无编制:不属于国家机关",
                    ),
                ),
            )
        return failed(
            staffing_path,
            f"a mass organisation on {p.staffing.value} staffing is not a state organ",
            f"{p.staffing.value} 编制的群团组织不属于国家机关",
        )
    if p.kind is PurchaserKind.OTHER:
        return unknown(
            path,
            "purchaser kind 'other': cannot tell whether it is a state organ",
            "购买主体类型为其他,无法判断是否为国家机关",
            deciding=(
                DecidingFact(
                    path,
                    tuple(k.value for k in PurchaserKind if k is not PurchaserKind.OTHER),
                    note_en="a state organ (government, street office, organ, department, dispatched body) passes",
                    note_zh="国家机关(政府、街道、机关、部门、派出机构)通过",
                ),
            ),
        )
    return failed(path, f"{p.kind.value} is not a state organ", f"{p.kind.value} 不属于国家机关")


def purchaser_not_excluded(case: Case, on: date) -> RuleResult:
    """Art. 8: no category-1 public institution, nor institution-staffed, budget-funded mass organisation, purchases."""
    p = case.purchaser
    if p is None:
        return _n_a("purchaser", "no purchaser in the case", "案件未包含购买主体")
    if p.kind is PurchaserKind.PUBLIC_INSTITUTION:
        path = "$.purchaser.public_institution_category"
        category = p.public_institution_category
        if category is None:
            return unknown(
                path,
                "a public institution whose category is not given: a category-1 institution may not purchase",
                "事业单位类别未提供:公益一类事业单位不得作为购买主体",
                deciding=(
                    DecidingFact(
                        path,
                        note_en="category 1: excluded; any other: not excluded",
                        note_zh="公益一类:不得购买;其他类别:不在排除之列",
                    ),
                ),
            )
        if category is PublicInstitutionCategory.CATEGORY_1:
            return failed(path, "a category-1 public institution", "公益一类事业单位")
        return passed(path)
    if p.kind is PurchaserKind.MASS_ORGANIZATION:
        return _mass_org_excluded(p.staffing, p.budget_funded, "$.purchaser", "may not purchase", "不得作为购买主体")
    return not_applicable("$.purchaser.kind")


def _mass_org_excluded(
    staffing: Staffing | None, budget_funded: bool | None, prefix: str, en: str, zh: str
) -> RuleResult:
    # Excluded only when both hold (事业编制 and 财政拨款保障): one known to be false settles it.
    staffing_path, funded_path = f"{prefix}.staffing", f"{prefix}.budget_funded"
    if staffing is not None and staffing is not Staffing.INSTITUTIONAL:
        return passed(staffing_path, f"not on the institutional establishment ({staffing.value})", "非事业编制")
    if budget_funded is False:
        return passed(funded_path, "not funded by budget allocations", "非财政拨款保障")
    if staffing is Staffing.INSTITUTIONAL and budget_funded is True:
        return failed(
            staffing_path,
            f"an institution-staffed, budget-funded mass organisation {en}",
            f"使用事业编制且由财政拨款保障的群团组织{zh}",
        )
    missing = (
        [
            DecidingFact(
                staffing_path,
                note_en="institutional (with budget funding): excluded",
                note_zh="事业编制(且财政拨款保障):排除",
            )
        ]
        if staffing is None
        else []
    )
    if budget_funded is None:
        missing.append(
            DecidingFact(
                funded_path, note_en="true (with institutional staffing): excluded", note_zh="true(且事业编制):排除"
            )
        )
    return unknown(
        missing[0].path,
        "a mass organisation: its staffing or budget funding is not given",
        "群团组织:编制类型或是否财政拨款保障未提供",
        deciding=missing,
    )


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
    """Art. 6 (with art. 8): the contractor is of a listed type and, unless a person, lawfully established."""
    c = case.contractor
    if c is None:
        return _n_a("contractor", "no contractor in the case", "案件未包含承接主体")
    path = "$.contractor.legal_form"
    if c.legal_form is not LegalForm.INDIVIDUAL and c.lawfully_registered is False:
        # Art. 6 admits bodies 依法成立 (lawfully established) only: a condition declared unmet,
        # not a disagreement about which types may contract.
        return failed("$.contractor.lawfully_registered", "not lawfully established", "非依法成立", declared_false=True)
    if c.legal_form in _CONTRACTOR_FORMS:
        return passed(path)
    if c.legal_form is LegalForm.PUBLIC_INSTITUTION:
        cat_path = "$.contractor.public_institution_category"
        cat = c.public_institution_category
        if cat is None:
            return unknown(
                cat_path,
                "a public institution whose category is not given: only category-2 and business institutions "
                "may contract",
                "事业单位类别未提供:仅公益二类和从事生产经营活动的事业单位可以承接",
                deciding=(
                    DecidingFact(
                        cat_path,
                        note_en="category 2 or business: may contract; category 1 or administrative: may not",
                        note_zh="公益二类、生产经营类:可以承接;公益一类、行政类:不可承接",
                    ),
                ),
            )
        ok = cat in (PublicInstitutionCategory.CATEGORY_2, PublicInstitutionCategory.BUSINESS)
        return (
            passed(cat_path) if ok else failed(cat_path, f"a {cat.value} public institution", f"{cat.value} 事业单位")
        )
    if c.legal_form is LegalForm.MASS_ORGANIZATION:
        # A social organisation, unless it is a mass organisation funded by budget allocations.
        funded_path = "$.contractor.budget_funded"
        if c.budget_funded is None:
            return unknown(
                funded_path,
                "a mass organisation: whether it is funded by budget allocations is not given",
                "群团组织:是否由财政拨款保障未提供",
                deciding=(
                    DecidingFact(
                        funded_path,
                        note_en="true: may not contract; false: may",
                        note_zh="true:不可承接;false:可以承接",
                    ),
                ),
            )
        if c.budget_funded:
            return failed(funded_path, "a budget-funded mass organisation", "由财政拨款保障的群团组织")
        return passed(funded_path)
    return unknown(
        path,
        "legal form 'other' is not on the list",
        "承接主体类型为其他",
        deciding=(
            DecidingFact(
                path,
                tuple(f.value for f in LegalForm if f is not LegalForm.OTHER),
                note_en="a listed form passes (a public institution and a mass organisation by their further facts)",
                note_zh="所列类型通过(事业单位、群团组织另看其他事实)",
            ),
        ),
    )


def contractor_conditions(case: Case, on: date) -> RuleResult:
    """Art. 7: the conditions a purchaser sets for contractors may be project-specific, never discriminatory."""
    k = case.contract
    if k is None:
        return _n_a("contract", "no contract in the case", "案件未包含合同")
    path = "$.contract.contractor_conditions_non_discriminatory"
    fair = k.contractor_conditions_non_discriminatory
    if fair is None:
        return unknown(
            path,
            "whether the conditions set for contractors are free of unreasonable differential or discriminatory "
            "treatment is not declared",
            "是否以不合理的条件对承接主体实行差别待遇或者歧视待遇未申报",
            deciding=(
                DecidingFact(
                    path,
                    note_en="true: the conditions are project-specific and treat contractors alike; "
                    "false: they do not (fails)",
                    note_zh="true:条件结合项目特点、无差别或歧视待遇;false:不符合",
                ),
            ),
        )
    if not fair:
        return failed(
            path,
            "declared: the conditions treat contractors differently or discriminate by unreasonable conditions",
            "已申报:以不合理的条件对承接主体实行差别待遇或者歧视待遇",
            declared_false=True,
        )
    return passed(path)


_NEGATIVE_ZH: Final = {
    NegativeListItem.OUTSIDE_GOVERNMENT_DUTIES: "不属于政府职责范围的服务事项",
    NegativeListItem.DIRECT_GOVERNMENT_DUTY: "应当由政府直接履职的事项",
    NegativeListItem.GOODS_OR_WORKS: "货物和工程(含工程和服务打包的项目)",
    NegativeListItem.FINANCING: "融资行为",
    NegativeListItem.STAFF_HIRING: "购买主体的人员招、聘用",
    NegativeListItem.LABOUR_DISPATCH: "以劳务派遣方式用工",
    NegativeListItem.PUBLIC_WELFARE_POSTS: "设置公益性岗位",
    NegativeListItem.OTHER_PROHIBITED_BY_LAW: "法律、行政法规以及国务院规定的其他事项",
}
_POST_ITEMS: Final = (
    NegativeListItem.STAFF_HIRING,
    NegativeListItem.LABOUR_DISPATCH,
    NegativeListItem.PUBLIC_WELFARE_POSTS,
)


def negative_list(case: Case, on: date) -> RuleResult:
    """Art. 10: what is bought is none of the negative list's matters (for a post purchase above all)."""
    k = case.contract
    if k is None:
        return _n_a("contract", "no contract in the case", "案件未包含合同")
    path = "$.contract.negative_list_items"
    items = k.negative_list_items
    posts = k.purchase_form is PurchaseForm.POST
    post_en = (
        " (a post purchase: not the purchaser's own hiring, labour dispatch or a public-welfare post)" if posts else ""
    )
    post_zh = "(岗位购买:不得是购买主体的人员招聘、劳务派遣用工或公益性岗位)" if posts else ""
    if items is None:
        return unknown(
            path,
            "whether the purchase includes a matter of the negative list is not declared" + post_en,
            "是否包含不得作为政府购买服务内容的事项未申报" + post_zh,
            deciding=(
                DecidingFact(
                    path,
                    tuple(i.value for i in (_POST_ITEMS if posts else NegativeListItem)),
                    note_en="declare [] when the purchase includes none of them; any item listed fails",
                    note_zh="不包含任何此类事项时申报 [];列出任何一项即不符合",
                ),
            ),
        )
    if items:
        ordered = [i for i in NegativeListItem if i in items]
        return failed(
            path,
            "not a purchase of services: " + ", ".join(i.value for i in ordered) + post_en,
            "不得作为政府购买服务内容:" + "、".join(_NEGATIVE_ZH[i] for i in ordered) + post_zh,
            declared_false=True,
        )
    return passed(path)


_ART23_CONTENT: Final = frozenset({ContractTerm.SCOPE, ContractTerm.SUBJECT_MATTER})
"""The decree's 「服务的内容」: Xiamen's 「范围」 or Ningxia's 「标的」, the same term (RULES.md A.8)."""

_ART23_OTHER_TERMS: Final = (
    (ContractTerm.SERVICE_PERIOD, "期限"),
    (ContractTerm.QUANTITY, "数量"),
    (ContractTerm.QUALITY, "质量"),
    (ContractTerm.PRICE, "价格"),
    (ContractTerm.PAYMENT_METHOD, "资金结算方式"),
    (ContractTerm.RIGHTS_AND_OBLIGATIONS, "各方权利义务事项"),
    (ContractTerm.BREACH_LIABILITY, "违约责任"),
)


def contract_written_terms(case: Case, on: date) -> RuleResult:
    """Art. 23: a written contract stating the content (either of its two names), period, quantity … liability."""
    k = case.contract
    if k is None:
        return _n_a("contract", "no contract in the case", "案件未包含合同")
    if k.written is False:
        return failed("$.contract.written", "the contract is not written", "合同不是书面合同", declared_false=True)
    if k.stated_terms is None:
        return unknown(
            "$.contract.stated_terms",
            "the terms the contract states are not given",
            "未提供合同载明的条款",
            deciding=(
                DecidingFact(
                    "$.contract.stated_terms",
                    tuple(
                        t.value
                        for t in (ContractTerm.SUBJECT_MATTER, ContractTerm.SCOPE, *(t for t, _ in _ART23_OTHER_TERMS))
                    ),
                    note_en="the content (subject_matter or scope), service_period, quantity, quality, price, "
                    "payment_method, rights_and_obligations and breach_liability",
                    note_zh="服务的内容(标的或范围)、期限、数量、质量、价格、资金结算方式、各方权利义务事项和违约责任",
                ),
            ),
        )
    missing_en: list[str] = []
    missing_zh: list[str] = []
    if not _ART23_CONTENT & k.stated_terms:
        missing_en.append("content (subject_matter or scope)")
        missing_zh.append("服务的内容(标的或范围)")
    for term, zh in _ART23_OTHER_TERMS:
        if term not in k.stated_terms:
            missing_en.append(term.value)
            missing_zh.append(zh)
    if missing_en:
        return failed("$.contract.stated_terms", "missing: " + ", ".join(missing_en), "缺少:" + "、".join(missing_zh))
    if k.written is None:
        return unknown("$.contract.written", "whether the contract is written is not given", "是否为书面合同未提供")
    return passed("$.contract.stated_terms")


def contract_published(case: Case, on: date) -> RuleResult:
    """Art. 23: the contract is published (依法予以公告), due once it is signed.

    The contract part present means a contract exists; it is due from its signing day, so a
    contract signed after the day asked is not yet due. The catalogue records no deadline for the
    publication, so a due contract not yet among the published items is ``unknown`` (never late
    before a source says when it is late), naming the fact that decides it; it passes once published.
    """
    k = case.contract
    if k is None:
        return _n_a("contract", "no contract in the case: nothing to publish yet", "案件未包含合同:尚无须公告")
    if k.signed_on is not None and k.signed_on > on:
        return not_applicable(
            "$.contract.signed_on",
            f"not yet due: the contract is signed on {k.signed_on.isoformat()}",
            f"尚未到期:合同于 {k.signed_on.isoformat()} 签订",
        )
    publish = DecidingFact(
        "$.published",
        (DisclosureItem.CONTRACT.value,),
        note_en="list contract once the contract is published",
        note_zh="合同公告后列入 contract",
    )
    if case.published is None:
        return unknown("$.published", "what has been published is not given", "未提供已公开的信息", deciding=(publish,))
    if DisclosureItem.CONTRACT in case.published:
        return passed("$.published")
    return unknown(
        "$.published",
        "due since the contract was signed and not yet published; the catalogue records no deadline, so the "
        "library does not call it late",
        "合同签订后应予公告,尚未公告;目录未载明公告期限,本库不认定逾期",
        deciding=(publish,),
    )


_ART24_CONDITIONS: Final = (
    ("budget_secured", "the budget is secured", "在预算保障的前提下"),
    ("content_relatively_fixed", "what is bought is relatively fixed", "购买内容相对固定"),
    ("strongly_continuous", "the service is strongly continuous", "连续性强"),
    ("stable_funding", "the source of funds is stable", "经费来源稳定"),
    ("small_price_changes", "prices change little", "价格变化幅度小"),
)
"""Art. 24's conditions for a term over one year, as facts of :class:`Contract` (all must hold)."""


def contract_term_length(case: Case, on: date) -> RuleResult:
    """Art. 24: one year as a rule; up to three years when every one of the article's conditions is declared met.

    ``long_term_basis`` is shown as the caller's explanation, and decides nothing.
    """
    k = case.contract
    if k is None:
        return _n_a("contract", "no contract in the case", "案件未包含合同")
    sp = k.service_period
    path = "$.contract.service_period"
    if sp is None:
        return unknown(path, "the service period is not given", "未提供服务期限")
    # Terms are counted by last_day_of_term (month ends declared there).
    if sp.end <= last_day_of_term(sp.start, relativedelta(years=1)):
        return passed(path, "within one year", "不超过1年")
    if sp.end > last_day_of_term(sp.start, relativedelta(years=3)):
        return failed(path, "longer than three years", "超过3年")
    stated_en = f"; stated basis: {k.long_term_basis}" if k.long_term_basis else ""
    stated_zh = f";所述依据:{k.long_term_basis}" if k.long_term_basis else ""
    declared = [(name, en, zh, _contract_fact(k, name)) for name, en, zh in _ART24_CONDITIONS]
    unmet = [(name, en, zh) for name, en, zh, value in declared if value is False]
    if unmet:
        name = unmet[0][0]
        return failed(
            f"$.contract.{name}",
            "over one year, but declared not met: " + ", ".join(en for _, en, _ in unmet) + stated_en,
            "超过1年,但已申报不符合:" + "、".join(zh for _, _, zh in unmet) + stated_zh,
            declared_false=True,
        )
    missing = [(name, en, zh) for name, en, zh, value in declared if value is None]
    if missing:
        return unknown(
            f"$.contract.{missing[0][0]}",
            "over one year: allowed only when every condition of art. 24 holds; not declared: "
            + ", ".join(en for _, en, _ in missing)
            + stated_en,
            "超过1年:须符合第二十四条的全部条件;未申报:" + "、".join(zh for _, _, zh in missing) + stated_zh,
            deciding=[
                DecidingFact(
                    f"$.contract.{name}",
                    note_en=f"{en}: true for a term over one year (false fails)",
                    note_zh=f"{zh}:超过1年的合同须为 true(false 即不符合)",
                )
                for name, en, zh in missing
            ],
        )
    return passed(
        "$.contract.service_period",
        "over one year, every condition of art. 24 declared met" + stated_en,
        "超过1年,已申报符合第二十四条的全部条件" + stated_zh,
    )


def _contract_fact(contract: Contract, name: str) -> bool | None:
    value = getattr(contract, name)
    assert value is None or isinstance(value, bool)
    return value


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
    "national.procedure.contractor_conditions": _RECONSTRUCTED,
    "national.scope.negative_list": (
        "the catalogue (RULES.md B.1) verified art. 10's six items from a government Q&A page "
        "(117.156.67.38/zwgk-view/21708.html, 2022-09-06) and recorded them in summary; this wording is the "
        "decree's as we know it and is not checked against a stored copy"
    ),
    "national.contract.written_terms": "the catalogue's extract of art. 23 (verified, secondary)",
    "national.disclosure.contract_published": (
        "the catalogue's extract of art. 23 (verified, secondary: m.shoulawyer.com/zhishi/201717.htm) records "
        "«依法予以公告»; the sentence around it is the decree's as we know it and is not checked against a stored copy"
    ),
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
        "national.procedure.contractor_conditions",
        RuleKind.PROCEDURE,
        Strength.HARD,
        Subject.CONTRACT,
        "承接主体应当符合政府采购法律、行政法规规定的条件。购买主体可以结合购买服务项目的特点规定承接主体的具体条件,"
        "但不得违反政府采购法律、行政法规,以不合理的条件对承接主体实行差别待遇或者歧视待遇",
        "购买主体可以结合项目特点规定承接主体的具体条件,但不得以不合理的条件实行差别待遇或者歧视待遇(第七条)",
        "The purchaser may set conditions for contractors specific to the project, but never unreasonable "
        "conditions that treat them differently or discriminate against them (art. 7)",
        contractor_conditions,
    ),
    _rule(
        "national.scope.negative_list",
        RuleKind.SCOPE,
        Strength.HARD,
        Subject.CONTRACT,
        "以下各项不得作为政府购买服务内容:(一)不属于政府职责范围的服务事项;(二)应当由政府直接履职的事项;"
        "(三)政府采购法律、行政法规规定的货物和工程,以及将工程和服务打包的项目;(四)融资行为;"
        "(五)购买主体的人员招、聘用,以劳务派遣方式用工,以及设置公益性岗位等事项;"
        "(六)法律、行政法规以及国务院规定的其他不得作为政府购买服务内容的事项",
        "劳务派遣、公益性岗位、人员招聘、货物和工程、融资等不得作为政府购买服务内容(第十条,对岗位购买尤为重要)",
        "Labour dispatch, public-welfare posts, the purchaser's own hiring, goods and works, financing and the "
        "other matters of the negative list are not purchases of services (art. 10; it matters for post purchases)",
        negative_list,
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
        "national.disclosure.contract_published",
        RuleKind.DISCLOSURE,
        Strength.HARD,
        Subject.DISCLOSURE,
        "政府购买服务合同应当依法予以公告",
        "政府购买服务合同应当依法予以公告,自合同签订时起(第二十三条)",
        "The purchase contract must be published as the law requires, from the day it is signed (art. 23)",
        contract_published,
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


def _not_encoded(topic: str, zh: str, en: str, start: date, end: date | None = None) -> Silence:
    return Silence(
        region="national",
        topic=topic,
        statement_zh=zh,
        statement_en=en,
        sources=(),
        effective_from=start,
        effective_to=end,
        kind=SilenceKind.NOT_ENCODED,
    )


SILENCES: Final = (
    Silence(
        region="national",
        topic="evaluation_fee",
        statement_zh="财政部令第102号(目录已核实部分)未规定评估费用",
        statement_en="Decree No. 102 (as far as the catalogue verified it) sets no evaluation fee",
        sources=(),
        effective_from=EFFECTIVE,
    ),
    _not_encoded(
        "not_encoded.procurement_law",
        "《中华人民共和国政府采购法》(2003-01-01施行,2014年修正)未编码:国家层不核查采购方式与公开招标数额标准"
        "(数额标准由国务院或省级政府规定;目录 B.4)",
        "The Government Procurement Law (in force 2003-01-01, amended 2014) is not encoded: the national layer "
        "does not check procurement methods or open-tender thresholds (set by the State Council or each province; "
        "catalogue B.4)",
        date(2003, 1, 1),
    ),
    _not_encoded(
        "not_encoded.mca_mof_2012_guidance",
        "民政部、财政部《关于政府购买社会工作服务的指导意见》(2012年11月发布,文号未核实)未编码:全文未见,"
        "其购买主体、程序等规定未核查(目录 B.3)",
        "The MCA and MoF guiding opinion on government purchase of social work services (released November 2012, "
        "number unverified) is not encoded: its full text was not found, so its purchaser and procedure provisions "
        "are not checked (catalogue B.3)",
        date(2012, 11, 27),
    ),
    _not_encoded(
        "not_encoded.state_council_2013_96",
        "国务院办公厅《关于政府向社会力量购买服务的指导意见》(国办发〔2013〕96号,2013-09-26)未编码:"
        "其购买主体、承接主体规定仅见转载,未核查(目录 B.2)",
        "The State Council General Office guiding opinion on purchasing services from social forces "
        "(国办发〔2013〕96号, 2013-09-26) is not encoded: its purchaser and contractor provisions are known "
        "only from relays and are not checked (catalogue B.2)",
        date(2013, 9, 26),
    ),
    _not_encoded(
        "not_encoded.interim_measures_2014",
        "财政部、民政部、工商总局《政府购买服务管理办法(暂行)》(财综〔2014〕96号,2015-01-01施行)未编码,其规定未核查;"
        "本库自2020-03-01起以财政部令第102号为其后继(是否明文废止未经核实,目录 B.1)",
        "The interim measures on government purchase of services (财综〔2014〕96号, in force 2015-01-01) are not "
        "encoded, so their provisions are not checked; from 2020-03-01 the library takes Decree No. 102 as their "
        "successor (that it repealed them is unverified; catalogue B.1)",
        date(2015, 1, 1),
        date(2020, 2, 29),
    ),
)
"""What the national layer leaves unspecified, and the national instruments it does not encode."""


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
        return list(SILENCES)


national_pack: Final = _NationalPack()
