"""Ningxia's predicates, and the lists and helpers of the source that apps use too.

Predicates are ``(case, on) -> RuleResult``: pure, deterministic, never raising on a valid case.
What the report does NOT give is never filled in: the contractor's specific conditions are
``unknown`` unless a person who answers for them attests them, since the report says the
conditions exist but not what they are. Every ``unknown`` names the facts that would decide it
(:class:`~socialwork_procurement.DecidingFact`: a path of the case file, and the values that decide).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final, NamedTuple

from socialwork_procurement import (
    NATIONAL_BY_ANALOGY,
    Case,
    ContractTerm,
    DecidingFact,
    DisclosureItem,
    Evaluation,
    LegalForm,
    ProcurementMethod,
    PublicInstitutionCategory,
    PurchaserKind,
    RuleResult,
    ServiceDomain,
    Staffing,
    TargetGroup,
    attestation_fact,
    attested,
    failed,
    not_applicable,
    passed,
    passed_by_attestation,
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
(«等»: the list is a minimum, not exhaustive). In the source's order. 标的 is stated by either of
:data:`SUBJECT_MATTER_TERMS`."""

SUBJECT_MATTER_TERMS: Final = frozenset({ContractTerm.SUBJECT_MATTER, ContractTerm.SCOPE})
"""The terms that state 「标的」: ``subject_matter``, or ``scope`` (服务内容). Ningxia's 「标的」 and the
decree's 「服务的内容」 name one term (RULES.md A.8), and the national layer accepts either for it:
a contract worded either way states it in both layers."""

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

SPECIFIC_CONDITIONS: Final = "ningxia.contractor.specific_conditions"
"""Condition key of an attestation that the contractor meets the opinion's specific conditions
(依法成立、业务范围、专职人员、组织管理、服务能力): the rule id of the rule it decides."""

FEEDBACK_USE: Final = "ningxia.evaluation.feedback_use"
"""Condition key of an attestation that the evaluation results were fed back and applied
(绩效评价结果的反馈应用): no fact of the case file records it."""

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


def _fact(path: str, en: str, zh: str, values: Iterable[str | bool] = ()) -> DecidingFact:
    """A deciding fact with its note; without ``values`` the case schema's (true/false, the members)."""
    return DecidingFact(path, tuple(values), note_zh=zh, note_en=en)


# ---------------------------------------------------------------------------------------------
# Disclosure: when each of the eight items falls due


class DisclosureDue(NamedTuple):
    """When one of Ningxia's disclosure items is due, as a case shows it (:func:`disclosure_schedule`).

    The core's disclosure package reads these (``disclosure_items`` of the rule's predicate) to
    show each item with its state; an app can read them too.
    """

    item: DisclosureItem
    applicable: bool
    """``False``: the case part that produces the item is absent (the case is not about it)."""
    due: bool | None
    """``True``: due on the day asked; ``False``: not yet due; ``None``: the case cannot tell (a
    contract whose signing day is not given)."""
    since: date | None
    """The day it fell due, where the case says (a signing day, an evaluation's date)."""
    produced_by: str
    """The lifecycle command whose step produces it: ``approve_budget``, ``start_tender``,
    ``sign_contract`` or ``record_evaluation``."""
    step_zh: str
    """What produces it, in Chinese («签订购买服务合同»)."""
    step_en: str


_BUDGET_STEP: Final = ("approve_budget", "设计项目、提出目标并编制年度项目预算",
                       "the project designed, its targets set and its annual budget drawn up")
_TENDER_STEP: Final = ("start_tender", "开展项目采购", "the procurement started")
_CONTRACT_STEP: Final = ("sign_contract", "签订购买服务项目书面合同", "the contract signed")
_EVALUATION_STEP: Final = ("record_evaluation", "开展绩效评价", "a performance evaluation carried out")
_RESULT_STEP: Final = ("record_evaluation", "绩效评价得出结果", "an evaluation with a result")

_PRODUCED_BY: Final = {
    # 「精准设计社会工作服务项目,提出…目标,编制年度项目预算」: the project and its budget come out of one step.
    DisclosureItem.PROJECT_CONTENT: _BUDGET_STEP,
    DisclosureItem.BUDGET: _BUDGET_STEP,
    DisclosureItem.PURCHASE_PROCEDURE: _TENDER_STEP,
    DisclosureItem.SERVICE_STANDARDS: _CONTRACT_STEP,
    DisclosureItem.SERVICE_REQUIREMENTS: _CONTRACT_STEP,
    DisclosureItem.SERVICE_CONTENT: _CONTRACT_STEP,
    DisclosureItem.EVALUATION_STANDARDS: _EVALUATION_STEP,
    DisclosureItem.EVALUATION_RESULTS: _RESULT_STEP,
}
"""The step that produces each item (its lifecycle command, and its name in zh and en)."""


def _results_on_record(evaluations: Iterable[Evaluation], on: date) -> tuple[Evaluation, ...]:
    """The evaluations with a result (``result`` not ``None``) dated on or before ``on``."""
    return tuple(e for e in evaluations if e.result is not None and e.date <= on)


def evaluation_results_due(evaluations: Iterable[Evaluation], on: date) -> bool:
    """Whether 绩效评价结果 (``evaluation_results``) must be published on ``on``.

    Results can only be published once an evaluation has produced one: the item is due once
    ``evaluations`` holds an evaluation with a result dated on or before ``on``, and not before.
    """
    return bool(_results_on_record(evaluations, on))


def _due(item: DisclosureItem, applicable: bool, due: bool | None, since: date | None = None) -> DisclosureDue:
    command, zh, en = _PRODUCED_BY[item]
    return DisclosureDue(item, applicable, due if applicable else False, since, command, zh, en)


def disclosure_schedule(case: Case, on: date) -> tuple[DisclosureDue, ...]:
    """When each of the eight items is due on ``on``: each from the step that produces it.

    ======================================  ============================  =================================
    item                                    due once the case holds       not applicable without
    ======================================  ============================  =================================
    project_content, budget                 a budget (``planning.budget``)  ``planning``
    purchase_procedure                      a contract (the procurement)  ``contract``
    service_standards, _requirements,       the contract signed on or     ``contract``
    service_content                         before ``on`` (``signed_on``)
    evaluation_standards                    an evaluation dated by ``on``  ``evaluations``
    evaluation_results                      an evaluation with a result   ``evaluations``
                                            dated by ``on``
    ======================================  ============================  =================================

    A part that is present but has not produced the item yet (a plan without a budget, a contract
    signed after ``on``, evaluations without a result) makes it *not yet due*; a contract whose
    signing day is not given makes the contract's three items ``due=None`` (the case cannot tell).
    In the source's order.
    """
    pl, k = case.planning, case.contract
    budgeted = pl is not None and pl.budget is not None
    if k is None or k.signed_on is None:
        signed: bool | None = None
    else:
        signed = k.signed_on <= on
    signed_on = k.signed_on if k is not None and signed else None
    evaluated = sorted(e.date for e in case.evaluations if e.date <= on)
    resulted = sorted(e.date for e in _results_on_record(case.evaluations, on))
    has_evaluations = bool(case.evaluations)
    due = {
        DisclosureItem.PROJECT_CONTENT: _due(DisclosureItem.PROJECT_CONTENT, pl is not None, budgeted),
        DisclosureItem.BUDGET: _due(DisclosureItem.BUDGET, pl is not None, budgeted),
        DisclosureItem.PURCHASE_PROCEDURE: _due(DisclosureItem.PURCHASE_PROCEDURE, k is not None, True),
        DisclosureItem.EVALUATION_STANDARDS: _due(
            DisclosureItem.EVALUATION_STANDARDS, has_evaluations, bool(evaluated), evaluated[0] if evaluated else None
        ),
        DisclosureItem.EVALUATION_RESULTS: _due(
            DisclosureItem.EVALUATION_RESULTS, has_evaluations, bool(resulted), resulted[0] if resulted else None
        ),
    }
    for item in (DisclosureItem.SERVICE_STANDARDS, DisclosureItem.SERVICE_REQUIREMENTS, DisclosureItem.SERVICE_CONTENT):
        due[item] = _due(item, k is not None, signed, signed_on)
    return tuple(due[item] for item in DISCLOSURE_ITEMS)


def disclosure_status(
    published: frozenset[DisclosureItem] | None, *, results_due: bool = True
) -> dict[DisclosureItem, bool | None]:
    """Whether each of the eight items is published: every key an item, ``None`` throughout when not known.

    The keys are the eight items the source lists, except ``evaluation_results`` when
    ``results_due`` is false (see :func:`evaluation_results_due`). This helper does not follow a
    project's steps: for which items are due on a day, use :func:`disclosure_schedule`, as the
    rule does. The value is ``True`` when ``published`` contains the item, ``False`` when it does
    not, and ``None`` for every item when ``published`` is ``None``. Items outside the eight (a
    contract, an annual catalogue) are not Ningxia requirements and are not reported. Keys follow
    the source's order.
    """
    due = [item for item in DISCLOSURE_ITEMS if results_due or item is not DisclosureItem.EVALUATION_RESULTS]
    if published is None:
        return dict.fromkeys(due)
    return {item: item in published for item in due}


def _names_en(entries: Sequence[DisclosureDue], *, since: bool = False) -> str:
    parts = []
    for d in entries:
        when = f"due since {d.since.isoformat()}: " if since and d.since is not None else ""
        parts.append(f"{d.item.value} ({when}{d.step_en})")
    return ", ".join(parts)


def _names_zh(entries: Sequence[DisclosureDue], *, since: bool = False) -> str:
    parts = []
    for d in entries:
        when = f"自 {d.since.isoformat()} 起应公开:" if since and d.since is not None else ""
        parts.append(f"{_ITEM_ZH[d.item]}({when}{d.step_zh})")
    return "、".join(parts)


_NO_DEADLINE_EN: Final = (
    "the source asks for publication «及时» (in good time) and sets no deadline, so the library does not "
    "call an item late"
)
_NO_DEADLINE_ZH: Final = "来源要求「及时」公开,未规定期限,本库不认定逾期"


class _DisclosureItems:
    """The predicate of ``ningxia.disclosure.items``, which also itemises its answer.

    Called, it is the rule's check. :meth:`disclosure_items` is the per-item view the core's
    disclosure package reads (:func:`disclosure_schedule`).
    """

    def __call__(self, case: Case, on: date) -> RuleResult:
        return disclosure_items_result(case, on)

    def disclosure_items(self, case: Case, on: date) -> tuple[DisclosureDue, ...]:
        return disclosure_schedule(case, on)

    def __repr__(self) -> str:
        return "<predicate ningxia.disclosure.items>"


def disclosure_items_result(case: Case, on: date) -> RuleResult:
    """The items due on ``on`` (:func:`disclosure_schedule`) are published (``case.published``).

    Not applicable when the case has none of the parts that produce an item, or none is due yet;
    a pass when every item due is published; otherwise ``unknown``, naming ``$.published`` with
    the items still to publish: the source says «及时» and sets no deadline, so an item due and
    not yet published is never called late (as the national layer treats the contract's
    publication). A contract without a signing day leaves its three items undecided, and
    ``$.contract.signed_on`` decides them.
    """
    schedule = disclosure_schedule(case, on)
    applicable = [d for d in schedule if d.applicable]
    if not applicable:
        return not_applicable(
            "$.published",
            "the case has no part that produces a disclosure item (planning, contract, evaluations)",
            "案件未包含产生公开事项的部分(项目规划、合同、绩效评价)",
        )
    done = case.published if case.published is not None else frozenset()
    later = [d for d in applicable if d.due is False]
    later_en = f"; not yet due: {_names_en(later)}" if later else ""
    later_zh = f";尚未到期:{_names_zh(later)}" if later else ""
    outstanding = [d for d in applicable if d.due is not False]  # due, or undecided; in the source's order
    unsure = [d for d in outstanding if d.due is None]
    if not outstanding:
        return not_applicable("$.published", f"no item is due yet{later_en}", f"尚无到期应公开的事项{later_zh}")
    if case.published is None:
        return unknown(
            "$.published",
            f"what has been published is not given; due: {_names_en(outstanding, since=True)}{later_en}",
            f"未提供已公开的信息;应公开:{_names_zh(outstanding, since=True)}{later_zh}",
            deciding=_publish_facts(outstanding, unsure),
        )
    open_items = [d for d in outstanding if d.item not in done]
    if not open_items:
        return passed(
            "$.published",
            f"every item due is published: {', '.join(d.item.value for d in outstanding)}{later_en}",
            f"到期事项均已公开:{'、'.join(_ITEM_ZH[d.item] for d in outstanding)}{later_zh}",
        )
    open_due = [d for d in open_items if d.due is True]
    open_unsure = [d for d in open_items if d.due is None]
    en, zh = [], []
    if open_due:
        en.append(f"due and not yet published: {_names_en(open_due, since=True)}; {_NO_DEADLINE_EN}")
        zh.append(f"已到期尚未公开:{_names_zh(open_due, since=True)};{_NO_DEADLINE_ZH}")
    if open_unsure:
        en.append(f"the contract's signing day is not given: {_names_en(open_unsure)} are due from it")
        zh.append(f"未提供合同签订日期:{_names_zh(open_unsure)}自签订之日起应公开")
    return unknown(
        "$.published",
        "; ".join(en) + later_en,
        ";".join(zh) + later_zh,
        deciding=_publish_facts(open_items, open_unsure),
    )


def _publish_facts(items: Sequence[DisclosureDue], unsure: Sequence[DisclosureDue]) -> list[DecidingFact]:
    facts = [
        _fact(
            "$.published",
            "list each item once it is published",
            "各事项公开后列入",
            [d.item.value for d in items],
        )
    ]
    if unsure:
        facts.append(
            _fact(
                "$.contract.signed_on",
                "the day the contract was signed: service standards, requirements and content are due from it",
                "合同签订日期:服务标准、服务要求、服务内容自该日起应公开",
            )
        )
    return facts


disclosure_items: Final = _DisclosureItems()
"""``ningxia.disclosure.items``: a predicate (``(case, on) -> RuleResult``) with ``disclosure_items(case, on)``."""


# ---------------------------------------------------------------------------------------------
# Predicates: (case, on) -> RuleResult. Pure, deterministic, never raising on a valid Case.

_STATE_ORGAN_KINDS: Final = frozenset(
    {
        PurchaserKind.STREET_OFFICE,
        PurchaserKind.GOVERNMENT_ORGAN,
        PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
        PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY,
    }
)
"""Bodies of or under a government: state organs (国家机关), as the decree's art. 5 reads them."""

_NAMED_KINDS: Final = tuple(k.value for k in PurchaserKind if k is not PurchaserKind.OTHER)
_NAMED_FORMS: Final = tuple(f.value for f in LegalForm if f is not LegalForm.OTHER)
_NAMED_METHODS: Final = tuple(m.value for m in ProcurementMethod if m is not ProcurementMethod.OTHER)


def _no_purchaser() -> RuleResult:
    return not_applicable("$.purchaser", "no purchaser in the case", "案件未包含购买主体")


def _no_contractor() -> RuleResult:
    return not_applicable("$.contractor", "no contractor in the case", "案件未包含承接主体")


def _no_contract() -> RuleResult:
    return not_applicable("$.contract", "no contract in the case", "案件未包含合同")


_READING_EN: Final = (
    "read with the catalogue's correction (RULES.md A.8): «各级政府是购买…主体» repeats the decree's art. 5 "
    "(各级国家机关), and the same report has 各级民政部门 draw up the annual project budget"
)
_READING_ZH: Final = (
    "依目录更正的读法(RULES.md A.8):「各级政府是…主体」重述第102号令第五条(各级国家机关),"
    "且同一报道由各级民政部门编制年度项目预算"
)


def _by_analogy(case: Case, on: date, path: str, en: str, zh: str) -> RuleResult:
    # The same question as the national layer's (not a state organ; by analogy?), so the same
    # attestation decides both: the caller attests it once.
    attestation = attested(case, NATIONAL_BY_ANALOGY, on)
    if attestation is not None:
        day = attestation.date.isoformat()
        return passed_by_attestation(
            path,
            attestation,
            f"{en}: not itself a government or state organ; attested to purchase by analogy (参照执行) by "
            f"{attestation.attested_by} on {day}: {attestation.basis}",
            f"{zh}:本身不是一级政府或国家机关;由{attestation.attested_by}于{day}证明参照执行:{attestation.basis}",
        )
    return unknown(
        path,
        f"{en}: not itself a government or state organ; whether it purchases by analogy (参照执行) is not in the "
        "source, so a person who answers for it must attest it",
        f"{zh}:本身不是一级政府或国家机关;是否参照执行来源未载明,须由有权人员证明",
        deciding=(
            attestation_fact(
                NATIONAL_BY_ANALOGY,
                "attest that the body purchases by analogy (参照执行), with who attests and why",
                "证明该单位参照执行购买服务,并写明证明人和依据",
            ),
        ),
    )


def purchaser_governments(case: Case, on: date) -> RuleResult:
    """各级政府 are the purchasers, read with the decree's art. 5 (RULES.md A.8).

    The report's 「各级政府是购买民政领域社会工作服务的主体」 repeats art. 5 (「各级国家机关是…购买主体」),
    and the same report has 各级民政部门 draw up the targets and the annual project budget, so a
    people's government and the state organs of or under it (its departments such as the
    civil-affairs bureau, street offices, other organs, dispatched or authorised bodies) pass.
    A public institution with administrative functions (or managed under the Civil Servant Law)
    and a mass organisation on the administrative establishment are not state organs: an
    attestation that they purchase by analogy (``national.purchaser.by_analogy``, the national
    layer's) decides them. Other public institutions, mass organisations and enterprises fail.
    """
    p = case.purchaser
    if p is None:
        return _no_purchaser()
    path = "$.purchaser.kind"
    kind = p.kind
    if kind is PurchaserKind.PEOPLES_GOVERNMENT:
        return passed(path, "a people's government is a government at some level (各级政府)",
                      "人民政府属于各级政府")
    if kind in _STATE_ORGAN_KINDS:
        return passed(
            path,
            f"{kind.value} is a state organ of or under a government; {_READING_EN}",
            f"{kind.value} 属于政府的组成部门或派出机关(国家机关);{_READING_ZH}",
        )
    if kind is PurchaserKind.PUBLIC_INSTITUTION:
        cat_path = "$.purchaser.public_institution_category"
        category = p.public_institution_category
        if category is PublicInstitutionCategory.ADMINISTRATIVE:
            return _by_analogy(case, on, cat_path, "a public institution with administrative functions",
                               "承担行政职能的事业单位")
        if p.civil_service_managed is True:
            return _by_analogy(case, on, "$.purchaser.civil_service_managed",
                               "a public institution managed under the Civil Servant Law", "参照公务员法管理的事业单位")
        if category is None:
            return unknown(
                cat_path,
                "a public institution whose category is not given: only one with administrative functions (or "
                "managed under the Civil Servant Law) could purchase, and only by analogy",
                "事业单位类别未提供:仅承担行政职能(或参照公务员法管理)的事业单位可能参照执行",
                deciding=(
                    _fact(cat_path, "administrative: only by analogy (attested); category 1, 2 or business: fails",
                          "承担行政职能:仅可参照执行(须证明);公益一类、公益二类、生产经营类:不符合"),
                    _fact("$.purchaser.civil_service_managed",
                          "true: managed under the Civil Servant Law (only by analogy, attested)",
                          "true:参照公务员法管理(仅可参照执行,须证明)", [True]),
                ),
            )
        return failed(cat_path, f"a {category.value} public institution is not a government (各级政府)",
                      f"{category.value} 事业单位不属于各级政府")
    if kind is PurchaserKind.MASS_ORGANIZATION:
        staffing_path = "$.purchaser.staffing"
        if p.staffing is Staffing.ADMINISTRATIVE:
            return _by_analogy(case, on, staffing_path, "a mass organisation on the administrative establishment",
                               "使用行政编制的群团组织")
        if p.staffing is None:
            return unknown(
                staffing_path,
                "a mass organisation whose staffing is not given: only one on the administrative establishment "
                "could purchase, and only by analogy",
                "群团组织编制类型未提供:仅使用行政编制的群团组织可能参照执行",
                deciding=(
                    _fact(staffing_path, "administrative: only by analogy (attested); institutional or none: fails",
                          "行政编制:仅可参照执行(须证明);事业编制或无编制:不符合"),
                ),
            )
        return failed(staffing_path, f"a mass organisation on {p.staffing.value} staffing is not a government",
                      f"{p.staffing.value} 编制的群团组织不属于各级政府")
    if kind is PurchaserKind.ENTERPRISE:
        return failed(path, "an enterprise is not a government (各级政府)", "企业不属于各级政府")
    return unknown(
        path,
        "purchaser kind 'other': cannot tell whether it is a government or state organ",
        "购买主体类型为其他,无法判断是否为政府或国家机关",
        deciding=(
            _fact(path, "a government or a state organ (street office, organ, department, dispatched body) passes",
                  "政府或国家机关(街道、机关、部门、派出机构)通过", _NAMED_KINDS),
        ),
    )


_CATEGORY_EXCLUDED: Final = _fact(
    "$.purchaser.public_institution_category",
    "category 1: may not purchase; any other category: not excluded",
    "公益一类:不得作为购买主体;其他类别:不在排除之列",
)


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
                           "未提供事业单位类别,可能属于公益一类", deciding=(_CATEGORY_EXCLUDED,))
        if p.public_institution_category is PublicInstitutionCategory.CATEGORY_1:
            return failed(cat_path, "a category-1 public institution (公益一类) may not purchase",
                          "公益一类事业单位不得作为购买主体")
        return passed(cat_path, "not a category-1 public institution", "不属于公益一类事业单位")
    if p.kind is PurchaserKind.MASS_ORGANIZATION:
        # Excluded only when both hold (事业编制 and 财政拨款保障): one known otherwise settles it.
        staffing_path, funded_path = "$.purchaser.staffing", "$.purchaser.budget_funded"
        if p.staffing is not None and p.staffing is not Staffing.INSTITUTIONAL:
            return passed(staffing_path, "not on institutional staffing (事业编制)", "未使用事业编制")
        if p.budget_funded is False:
            return passed(funded_path, "not funded by budget allocations", "经费非由财政拨款保障")
        if p.staffing is Staffing.INSTITUTIONAL and p.budget_funded is True:
            return failed(
                staffing_path,
                "a mass organisation on institutional staffing funded by budget allocations may not purchase",
                "使用事业编制且由财政拨款保障的群团组织不得作为购买主体",
            )
        missing = []
        if p.staffing is None:
            missing.append(_fact(staffing_path, "institutional (and budget-funded): excluded; administrative or "
                                 "none: not excluded", "事业编制(且财政拨款保障):排除;行政编制或无编制:不在排除之列"))
        if p.budget_funded is None:
            missing.append(_fact(funded_path, "true (with institutional staffing): excluded; false: not excluded",
                                 "true(且事业编制):排除;false:不在排除之列"))
        return unknown(missing[0].path, "mass organisation: its staffing or budget funding is not given",
                       "群团组织:未提供编制类型或是否由财政拨款保障", deciding=missing)
    if p.kind is PurchaserKind.OTHER:
        return unknown(
            "$.purchaser.kind",
            "purchaser kind 'other': cannot tell whether it is an excluded type",
            "购买主体类型为其他,无法判断是否属于排除类型",
            deciding=(
                _fact("$.purchaser.kind", "public_institution or mass_organization: decided by their further facts; "
                      "any other named kind: not excluded", "事业单位、群团组织另看其他事实;其他类型:不在排除之列",
                      _NAMED_KINDS),
                _CATEGORY_EXCLUDED,
            ),
        )
    return not_applicable("$.purchaser.kind", f"{p.kind.value} is not one of the excluded types",
                          f"{p.kind.value} 不属于排除类型")


_ESTABLISHMENT_EN: Final = "lawful establishment (依法成立) is one of the specific conditions (next rule)"
_ESTABLISHMENT_ZH: Final = "依法成立属于具体条件(见下一条规则)"

_WHITELISTED_FORMS: Final = {
    LegalForm.ENTERPRISE: ("an enterprise (企业)", "企业"),
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
    (individuals and enterprises are on it). Lawful establishment (依法成立) and the other
    conditions are ``ningxia.contractor.specific_conditions``, which fails a body declared not
    lawfully established: one fact, failed once.
    """
    c = case.contractor
    if c is None:
        return _no_contractor()
    path = "$.contractor.legal_form"
    form = c.legal_form
    if form in _WHITELISTED_FORMS:
        en, zh = _WHITELISTED_FORMS[form]
        if form is not LegalForm.INDIVIDUAL:
            en, zh = f"{en}; {_ESTABLISHMENT_EN}", f"{zh};{_ESTABLISHMENT_ZH}"
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
            return unknown(
                cat_path,
                "public-institution category not given: only category 2 and business institutions are on the list",
                "未提供事业单位类别:仅公益二类和从事生产经营活动的事业单位在名单内",
                deciding=(
                    _fact(cat_path, "category 2 or business: on the list; category 1 or administrative: not",
                          "公益二类、生产经营类:在名单内;公益一类、行政类:不在名单内"),
                ),
            )
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
            return unknown(
                funded_path,
                "mass organisation: whether it is funded by budget allocations is not given",
                "群团组织:未提供是否由财政拨款保障",
                deciding=(
                    _fact(funded_path, "true: excluded (不含由财政拨款保障的群团组织); false: counts as a social "
                          "organisation", "true:不在名单内;false:按社会组织对待"),
                ),
            )
        if c.budget_funded:
            return failed(funded_path, "a mass organisation funded by budget allocations is excluded "
                          "(不含由财政拨款保障的群团组织)", "由财政拨款保障的群团组织不在承接主体名单内")
        return passed(funded_path,
                      "a mass organisation not funded by budget allocations counts as a social organisation",
                      "非财政拨款保障的群团组织按社会组织对待")
    return unknown(
        path,
        "legal form 'other': cannot tell whether it is on the list",
        "承接主体类型为其他,无法判断是否在名单内",
        deciding=(
            _fact(path, "a listed form passes (a public institution and a mass organisation by their further facts)",
                  "所列类型通过(事业单位、群团组织另看其他事实)", _NAMED_FORMS),
        ),
    )


def contractor_specific_conditions(case: Case, on: date) -> RuleResult:
    """The opinion's specific conditions: not given by the source, so attested, or ``unknown``.

    - a body declared not lawfully established (``lawfully_registered: false``; a person is not
      «established») fails: 依法成立 is one of the conditions the opinion names, and no condition
      on lawful establishment is met by a body declared not lawfully established
      (``declared_false``: never one side of a conflict between layers);
    - attested (condition :data:`SPECIFIC_CONDITIONS`, dated on or before ``on``): a pass that
      shows who attested it, on what basis and when;
    - otherwise ``unknown``, naming the attestation as the fact that decides it. No staff count or
      governance fact decides it: the source gives no value to compare them with.
    """
    c = case.contractor
    if c is None:
        return _no_contractor()
    if c.lawfully_registered is False and c.legal_form is not LegalForm.INDIVIDUAL:
        return failed(
            "$.contractor.lawfully_registered",
            "declared not lawfully established (依法成立), one of the areas the opinion sets specific conditions on",
            "已申报非依法成立;依法成立是《意见》明确具体条件的方面之一",
            declared_false=True,
        )
    attestation = attested(case, SPECIFIC_CONDITIONS, on)
    if attestation is not None:
        day = attestation.date.isoformat()
        return passed_by_attestation(
            "$.contractor",
            attestation,
            f"the opinion's specific conditions (not given in the source) attested met by {attestation.attested_by} "
            f"on {day}: {attestation.basis}",
            f"《意见》规定的具体条件(来源未载明)由{attestation.attested_by}于{day}证明符合:{attestation.basis}",
        )
    return unknown(
        "$.contractor",
        "the opinion sets specific conditions on lawful establishment, business scope, full-time staff, "
        "organisational management and service capacity, but the source (a news report) does not give their "
        "values: a person who answers for the contractor's conditions must attest them",
        "《意见》对依法成立、业务范围、专职人员、组织管理、服务能力等明确了具体条件,但来源(新闻报道)未载明具体内容,"
        "须由有权人员证明承接主体符合",
        deciding=(
            attestation_fact(
                SPECIFIC_CONDITIONS,
                "attest that the contractor meets the opinion's specific conditions, with who attests and on what "
                "basis (the opinion's text, a qualification review)",
                "证明承接主体符合《意见》规定的具体条件,并写明证明人和依据(《意见》原文、资格审查等)",
            ),
        ),
    )


_SEVEN_TERMS_FACT: Final = _fact(
    "$.contract.stated_terms",
    "the seven terms: 标的 (subject_matter or scope), quantity, quality, service_period, payment_method, "
    "breach_liability, dispute_resolution",
    "七项条款:标的(subject_matter 或 scope)、数量、质量、服务期限、资金支付方式、违约责任、解决争议",
    [t.value for t in (ContractTerm.SUBJECT_MATTER, ContractTerm.SCOPE, *REQUIRED_CONTRACT_TERMS[1:])],
)


def contract_written_required_terms(case: Case, on: date) -> RuleResult:
    """A written contract stating the seven terms; 标的 by either of :data:`SUBJECT_MATTER_TERMS`."""
    k = case.contract
    if k is None:
        return _no_contract()
    if k.written is False:
        return failed("$.contract.written", "the contract is not written (书面合同 required)", "合同不是书面合同",
                      declared_false=True)
    if k.stated_terms is None:
        return unknown("$.contract.stated_terms", "the terms the contract states are not given",
                       "未提供合同载明的条款", deciding=(_SEVEN_TERMS_FACT,))
    missing_en: list[str] = []
    missing_zh: list[str] = []
    for term in REQUIRED_CONTRACT_TERMS:
        if term is ContractTerm.SUBJECT_MATTER:
            if not SUBJECT_MATTER_TERMS & k.stated_terms:
                missing_en.append("subject_matter (标的: subject_matter or scope)")
                missing_zh.append("标的(subject_matter 或 scope)")
        elif term not in k.stated_terms:
            missing_en.append(term.value)
            missing_zh.append(_TERM_ZH[term])
    if missing_en:
        return failed("$.contract.stated_terms", "missing: " + ", ".join(missing_en), "缺少:" + "、".join(missing_zh))
    if k.written is None:
        return unknown(
            "$.contract.written",
            "all seven terms are stated, but whether the contract is written is not given",
            "七项条款均已载明,但未提供是否为书面合同",
            deciding=(_fact("$.contract.written", "true: a written contract (passes); false: fails",
                            "true:书面合同(符合);false:不符合"),),
        )
    return passed("$.contract.stated_terms", "written, with all seven terms", "书面合同,七项条款齐全")


_TARGETS: Final = (
    ("targets_quantity", "the quantity target", "数量目标"),
    ("targets_scale", "the scale target", "规模目标"),
    ("targets_quality", "the quality target", "质量目标"),
    ("targets_effect", "the effect target", "效果目标"),
)


def procedure_targets_and_annual_budget(case: Case, on: date) -> RuleResult:
    """Targets for quantity, scale, quality and effect, and an annual project budget."""
    pl = case.planning
    if pl is None:
        return not_applicable("$.planning", "no planning in the case", "案件未包含项目规划")
    facts: list[tuple[str, str, str, bool | None]] = [
        (name, en, zh, getattr(pl, name)) for name, en, zh in _TARGETS
    ]
    absent = [(name, zh) for name, _en, zh, value in facts if value is False]
    if absent:
        return failed(
            "$.planning." + absent[0][0],
            "declared not set: " + ", ".join(name for name, _ in absent),
            "已申报未提出:" + "、".join(zh for _, zh in absent),
            declared_false=True,
        )
    deciding = [
        _fact(f"$.planning.{name}", f"{en}: true (set) passes; false fails", f"{zh}:true(已提出)符合;false 不符合")
        for name, en, zh, value in facts
        if value is None
    ]
    if pl.budget is None:
        deciding.append(
            _fact("$.planning.budget", "the annual project budget drawn up, in yuan", "编制的年度项目预算(元)")
        )
    if deciding:
        names = [f.path.removeprefix("$.planning.") for f in deciding]
        target_zh = {n: z for n, _e, z in _TARGETS}
        names_zh = [target_zh.get(n, "年度项目预算") for n in names]
        return unknown(deciding[0].path, "not given: " + ", ".join(names), "未提供:" + "、".join(names_zh),
                       deciding=deciding)
    return passed("$.planning", "four targets set and an annual project budget drawn up",
                  "已提出数量、规模、质量与效果目标并编制年度项目预算")


_METHOD_FACT: Final = _fact(
    "$.contract.procurement_method",
    "the method used: a method the procurement law names passes (whether it was lawful here, thresholds and "
    "approvals, is not checked); other cannot be told",
    "所用采购方式:政府采购法律规定的方式通过(限额、审批等合法性不在此核查);其他无法判断",
    _NAMED_METHODS,
)


def procedure_lawful_procurement(case: Case, on: date) -> RuleResult:
    """Procurement «依法依规»: the source names no method, so a method the law names passes.

    ``other`` is ``unknown`` (as Xiamen's rule on the same words): whether it is a method the
    procurement law allows cannot be told, and naming the method decides it.
    """
    k = case.contract
    if k is None:
        return _no_contract()
    path = "$.contract.procurement_method"
    method = k.procurement_method
    if method is None:
        return unknown(path, "no procurement method given", "未提供采购方式", deciding=(_METHOD_FACT,))
    if method is ProcurementMethod.OTHER:
        return unknown(
            path,
            "method 'other': whether it is a method the procurement law allows cannot be told",
            "采购方式为其他,无法判断是否属于政府采购法律法规规定的方式",
            deciding=(_METHOD_FACT,),
        )
    return passed(
        path,
        f"procured by {method.value}, a method the procurement law names; the source names no method, so "
        "whether it was lawful here (thresholds, approvals) is not checked",
        f"采购方式为 {method.value},属政府采购法律规定的方式;来源未规定采购方式,本规则不核查其合法性(限额、审批)",
    )


def evaluation_feedback_use(case: Case, on: date) -> RuleResult:
    """Soft: the evaluation results were fed back and applied (绩效评价结果的反馈应用).

    No fact of the case file records feedback, so the rule passes only on an attestation
    (condition :data:`FEEDBACK_USE`) once a result is on record by ``on``; otherwise it is
    ``unknown`` naming what decides it (the attestation; the results, where none is given). Not
    applicable without an evaluation on record by ``on``. Soft: it never changes a decision.
    """
    on_record = [(i, e) for i, e in enumerate(case.evaluations) if e.date <= on]
    if not on_record:
        return not_applicable("$.evaluations", f"no evaluation on record by {on.isoformat()}",
                              f"截至 {on.isoformat()} 无绩效评价")
    attest = attestation_fact(
        FEEDBACK_USE,
        "attest that the evaluation results were fed back and applied, with who attests and on what basis",
        "证明绩效评价结果已反馈应用,并写明证明人和依据",
    )
    results = [e for _i, e in on_record if e.result is not None]
    if not results:
        return unknown(
            "$.evaluations",
            "no evaluation on record gives a result: there is no result to feed back yet",
            "已有绩效评价均未给出结果,尚无结果可反馈应用",
            deciding=[
                *(_fact(f"$.evaluations[{i}].result", "the result the evaluation gave", "该次评价的结果")
                  for i, _e in on_record),
                attest,
            ],
        )
    attestation = attested(case, FEEDBACK_USE, on)
    if attestation is not None:
        day = attestation.date.isoformat()
        return passed_by_attestation(
            "$.evaluations",
            attestation,
            f"the results were fed back and applied, attested by {attestation.attested_by} on {day}: "
            f"{attestation.basis}",
            f"绩效评价结果已反馈应用,由{attestation.attested_by}于{day}证明:{attestation.basis}",
        )
    latest = max(e.date for e in results).isoformat()
    return unknown(
        "$.evaluations",
        f"an evaluation result is on record ({latest}), but whether it was fed back and applied is not a fact of "
        "the case: it needs an attestation",
        f"已有绩效评价结果({latest}),但是否已反馈应用不是案件事实,须经证明",
        deciding=(attest,),
    )
