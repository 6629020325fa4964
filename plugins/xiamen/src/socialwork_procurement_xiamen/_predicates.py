"""Xiamen's predicates: plain functions ``(case, on) -> RuleResult``, one per checked rule.

An absent part of the case is ``not_applicable``, a fact that is ``None`` is ``unknown``, and none
of them raises for a valid case.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import Final

from socialwork_procurement import (
    AdminLevel,
    Case,
    ContractTerm,
    EvaluationStage,
    EvaluatorRole,
    LegalForm,
    ProcurementMethod,
    PublicInstitutionCategory,
    PurchaseForm,
    PurchaserKind,
    RuleResult,
    Staffing,
    evaluation_schedule,
    failed,
    not_applicable,
    passed,
    unknown,
)


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
