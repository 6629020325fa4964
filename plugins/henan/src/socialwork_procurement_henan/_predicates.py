"""Predicates of the Henan rules: plain functions ``(case, on) -> RuleResult``.

Conventions (as in the core's national layer): a part of the case that is absent gives
``not_applicable``; a fact that is ``None`` gives ``unknown``, never a pass or a fail; predicates
are pure, deterministic and never raise on a valid case.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from socialwork_procurement import (
    AdminLevel,
    Case,
    Contractor,
    EvaluationGrade,
    EvaluationStage,
    EvaluatorRole,
    LegalForm,
    Outcome,
    ProcurementMethod,
    PurchaseForm,
    PurchaserKind,
    RuleResult,
    failed,
    grade_valid_on,
    not_applicable,
    passed,
    unknown,
)

_NO_CONTRACTOR = ("no contractor in the case", "案件未包含承接主体")
_NO_PURCHASER = ("no purchaser in the case", "案件未包含购买主体")
_NO_CONTRACT = ("no contract in the case", "案件未包含合同")

# ---------------------------------------------------------------------------------------------
# Purchaser (henan2013.purchaser.eligible_bodies)

GOVERNMENT_ORGAN_KINDS: Final = frozenset(
    {
        PurchaserKind.PEOPLES_GOVERNMENT,
        PurchaserKind.GOVERNMENT_ORGAN,
        PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
    }
)
"""全省各级政府机关: people's governments, their organs and departments."""

DISPATCHED_KINDS: Final = frozenset({PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY, PurchaserKind.STREET_OFFICE})
"""派出、授权机构 (a street office is a district government's dispatched body)."""

ENTERPRISE_OR_INSTITUTION_KINDS: Final = frozenset({PurchaserKind.ENTERPRISE, PurchaserKind.PUBLIC_INSTITUTION})
"""企事业单位: eligible only if 享受财政供给 or 利用国有资金举办."""

HENAN_DIVISION_PREFIX: Final = "41"
"""GB/T 2260 code of 河南省 (410000): every division code in Henan starts with 41."""


def _outside_henan(region: str | None) -> bool:
    """True only when the purchaser's region is a division code outside Henan.

    A place name is not judged (the library keeps no gazetteer); a missing region is not held
    against the purchaser, since asking the Henan pack already says where the purchase is.
    """
    if region is None:
        return False
    code = region.strip()
    return code.isascii() and code.isdigit() and len(code) >= 2 and not code.startswith(HENAN_DIVISION_PREFIX)


def purchaser_eligible_bodies(case: Case, on: date) -> RuleResult:
    p = case.purchaser
    if p is None:
        return not_applicable("$.purchaser", *_NO_PURCHASER)
    if p.level is AdminLevel.NATIONAL:
        return not_applicable(
            "$.purchaser.level",
            "a national-level body is not one of Henan's purchasers (「全省各级」): the Henan 2013 measures do "
            "not apply to it",
            "中央(国家级)单位不属于「全省各级」购买主体,不适用河南2013年办法",
        )
    if _outside_henan(p.region):
        return not_applicable(
            "$.purchaser.region",
            f"division code {p.region} is outside Henan (41xxxx): the Henan 2013 measures do not apply",
            f"行政区划代码 {p.region} 不在河南省(41开头),不适用河南2013年办法",
        )
    path = "$.purchaser.kind"
    if p.kind in GOVERNMENT_ORGAN_KINDS:
        return passed(path, f"{p.kind.value}: a government organ (政府机关)", f"{p.kind.value}:属于政府机关")
    if p.kind in DISPATCHED_KINDS:
        return passed(
            path,
            f"{p.kind.value}: a dispatched or authorised body (派出、授权机构)",
            f"{p.kind.value}:属于派出、授权机构",
        )
    if p.kind in ENTERPRISE_OR_INSTITUTION_KINDS:
        if p.budget_funded is True:
            return passed(
                "$.purchaser.budget_funded",
                f"{p.kind.value} that receives fiscal funding (享受财政供给)",
                f"{p.kind.value}:享受财政供给",
            )
        if p.state_owned_funded is True:
            return passed(
                "$.purchaser.state_owned_funded",
                f"{p.kind.value} set up with state-owned funds (利用国有资金举办)",
                f"{p.kind.value}:利用国有资金举办",
            )
        if p.budget_funded is None or p.state_owned_funded is None:
            missing = "$.purchaser.budget_funded" if p.budget_funded is None else "$.purchaser.state_owned_funded"
            return unknown(
                missing,
                "an enterprise or public institution may purchase only if it receives fiscal funding or was set up "
                "with state-owned funds; that is not known",
                "企事业单位须享受财政供给或利用国有资金举办,该事实未提供",
            )
        return failed(
            "$.purchaser.budget_funded",
            f"{p.kind.value} neither receives fiscal funding nor was set up with state-owned funds",
            f"{p.kind.value} 既不享受财政供给,也非利用国有资金举办",
        )
    if p.kind is PurchaserKind.MASS_ORGANIZATION:
        return failed(
            path,
            "mass organisations are not named among Henan 2013's purchasers (government organs, dispatched or "
            "authorised bodies, fiscally funded or state-funded enterprises and public institutions)",
            "群团组织不在河南2013年办法列明的购买主体之内",
        )
    return unknown(
        path,
        "purchaser kind 'other': cannot tell whether it is a listed body",
        "购买主体类型为其他,无法判断是否属于列明主体",
    )


# ---------------------------------------------------------------------------------------------
# Contractor conditions (承接对象须同时具备下列条件)

REGISTERED_ORG_FORMS: Final = frozenset(
    {LegalForm.SOCIAL_GROUP, LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, LegalForm.FOUNDATION}
)
"""依法登记的社会团体、民办非企业单位和基金会: the only forms the conditions list names."""


def contractor_independent_legal_person(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    if c.legal_form is LegalForm.INDIVIDUAL:
        return failed("$.contractor.legal_form", "a natural person is not a legal person", "个人不具有法人资格")
    path = "$.contractor.independent_legal_person"
    if c.independent_legal_person is None:
        return unknown(path)
    if c.independent_legal_person:
        return passed(path)
    return failed(path, "no independent legal-person status", "不具有独立法人资格")


def contractor_registered_org_type(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    if c.legal_form not in REGISTERED_ORG_FORMS:
        return failed(
            "$.contractor.legal_form",
            f"{c.legal_form.value} is not a social group, private non-enterprise unit or foundation (the conditions "
            "list is applied; the official quoted in the same report also mentions 企事业单位)",
            f"{c.legal_form.value} 不属于社会团体、民办非企业单位或基金会"
            "(按条件列表适用;同文所引负责人另提及企事业单位)",
        )
    path = "$.contractor.lawfully_registered"
    if c.lawfully_registered is None:
        return unknown(path, "whether it is lawfully registered (依法登记) is not known", "是否依法登记未提供")
    if c.lawfully_registered:
        return passed(path, f"lawfully registered {c.legal_form.value}", f"依法登记的{c.legal_form.value}")
    return failed(path, "not lawfully registered", "未依法登记")


def contractor_public_welfare_nonprofit(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    if c.public_welfare is False:
        return failed("$.contractor.public_welfare", "not public-welfare", "不具有公益性")
    if c.non_profit is False:
        return failed("$.contractor.non_profit", "not non-profit", "不具有非营利性")
    if c.public_welfare is None:
        return unknown("$.contractor.public_welfare")
    if c.non_profit is None:
        return unknown("$.contractor.non_profit")
    return passed("$.contractor.non_profit", "public-welfare and non-profit", "具有公益性、非营利性")


def contractor_professional_team(case: Case, on: date) -> RuleResult:
    # Declared facts only: the source gives no numeric share (为主体), so no share is computed from counts.
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    s = c.staff
    if s is None:
        return unknown(
            "$.contractor.staff",
            "declare staff.professional_team and staff.mainly_social_work_professionals (no numeric share is set "
            "by the source, so none is computed from counts)",
            "请申报 staff.professional_team 与 staff.mainly_social_work_professionals(来源未规定比例,不依人数推算)",
        )
    if s.professional_team is False:
        return failed("$.contractor.staff.professional_team", "no professional social-work team", "无社会工作专业团队")
    if s.mainly_social_work_professionals is False:
        return failed(
            "$.contractor.staff.mainly_social_work_professionals",
            "staff are not mainly social-work professionals",
            "从业人员不以社会工作专业人才为主体",
        )
    if s.professional_team is None:
        return unknown(
            "$.contractor.staff.professional_team",
            "declared fact professional_team not given (no numeric share is computed from counts)",
            "未申报是否拥有专业团队(不依人数推算)",
        )
    if s.mainly_social_work_professionals is None:
        return unknown(
            "$.contractor.staff.mainly_social_work_professionals",
            "declared fact mainly_social_work_professionals not given (the source sets no numeric share, so none is "
            "computed from counts)",
            "未申报从业人员是否以社会工作专业人才为主体(来源未规定比例,不依人数推算)",
        )
    return passed(
        "$.contractor.staff.mainly_social_work_professionals",
        "declared: a professional team, staff mainly social-work professionals",
        "已申报:拥有专业团队,从业人员以社会工作专业人才为主体",
    )


HARD_CONTRACTOR_CONDITIONS: Final[tuple[tuple[str, Callable[[Case, date], RuleResult]], ...]] = (
    ("henan2013.contractor.independent_legal_person", contractor_independent_legal_person),
    ("henan2013.contractor.registered_org_type", contractor_registered_org_type),
    ("henan2013.contractor.public_welfare_nonprofit", contractor_public_welfare_nonprofit),
    ("henan2013.contractor.professional_team", contractor_professional_team),
)
"""The hard conditions 「承接对象须同时具备」: the 3A priority (优先) is not among them."""


def contractor_all_conditions(case: Case, on: date) -> RuleResult:
    if case.contractor is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    results = [(rule_id, check(case, on)) for rule_id, check in HARD_CONTRACTOR_CONDITIONS]
    failing = [rule_id for rule_id, r in results if r.outcome is Outcome.FAIL]
    if failing:
        names = ", ".join(failing)
        return failed("$.contractor", f"fails: {names}", f"不满足:{names}")
    unknowns = [rule_id for rule_id, r in results if r.outcome is not Outcome.PASS]
    if unknowns:
        names = ", ".join(unknowns)
        return unknown("$.contractor", f"not known: {names}", f"尚不确定:{names}")
    return passed("$.contractor", "meets all the listed conditions at once", "同时具备全部所列条件")


def contractor_priority_grade_3a(case: Case, on: date) -> RuleResult:
    # Soft: a pass means the priority applies; it ranks bidders and never gates.
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    return _grade_priority(c, on)


def _grade_priority(c: Contractor, on: date) -> RuleResult:
    grade = c.evaluation_grade
    if grade is None:
        return unknown("$.contractor.evaluation_grade", "evaluation grade not given", "未提供社会组织评估等级")
    if grade.stars < EvaluationGrade.A3.stars:
        return failed(
            "$.contractor.evaluation_grade",
            f"grade {grade.value} is below 3A: no priority",
            f"评估等级 {grade.value} 低于3A,不享有优先",
        )
    awarded = c.grade_awarded_on
    path = "$.contractor.grade_awarded_on"
    if awarded is None:
        return unknown(
            path,
            "award date of the grade not given: its 5-year validity (民政部令第39号) cannot be checked",
            "未提供评估等级取得日期,无法核对5年有效期(民政部令第39号)",
        )
    if awarded > on:
        return failed(
            path, f"grade awarded {awarded}, after {on}: no priority on {on}", f"评估等级于 {awarded} 取得,晚于 {on}"
        )
    if not grade_valid_on(awarded, on):
        return failed(
            path,
            f"grade {grade.value} awarded {awarded} is more than 5 years old on {on} "
            "(validity 5 years, 民政部令第39号): no priority",
            f"评估等级 {grade.value} 于 {awarded} 取得,至 {on} 已超过5年有效期(民政部令第39号),不享有优先",
        )
    return passed(
        path,
        f"grade {grade.value} (3A or above) awarded {awarded}, valid on {on}: priority",
        f"评估等级 {grade.value}(3A以上),{awarded} 取得,{on} 仍在有效期内:优先",
    )


# ---------------------------------------------------------------------------------------------
# Procedure and evaluation

PROJECT_OR_POST_FORMS: Final = frozenset(
    {PurchaseForm.POST, PurchaseForm.COMPREHENSIVE_PROJECT, PurchaseForm.SPECIALISED_PROJECT}
)


def form_posts_or_projects(case: Case, on: date) -> RuleResult:
    # Soft («为主»): a pass means the purchase takes one of the two main forms.
    k = case.contract
    if k is None:
        return not_applicable("$.contract", *_NO_CONTRACT)
    path = "$.contract.purchase_form"
    if k.purchase_form is None:
        return unknown(path)
    if k.purchase_form in PROJECT_OR_POST_FORMS:
        kind = "a post" if k.purchase_form is PurchaseForm.POST else "a project"
        return passed(path, f"{k.purchase_form.value}: {kind}, one of the two main forms", f"{k.purchase_form.value}")
    return failed(path, "neither a post nor a project", "既非岗位购买也非项目购买")


def open_tender_in_principle(case: Case, on: date) -> RuleResult:
    k = case.contract
    if k is None:
        return not_applicable("$.contract", *_NO_CONTRACT)
    method = k.procurement_method
    if method is None:
        return unknown("$.contract.procurement_method", "procurement method not given", "未提供采购方式")
    if method is ProcurementMethod.OPEN_TENDER:
        return passed("$.contract.procurement_method", "open tender (公开招标)", "公开招标")
    reason = (k.procurement_method_reason or "").strip()
    if reason:
        return passed(
            "$.contract.procurement_method_reason",
            f"{method.value} instead of open tender, reason stated: {reason} (the source lists no exceptions; "
            "check the reason)",
            f"以{method.value}代替公开招标,所述理由:{reason}(来源未列明例外情形,请核查理由)",
        )
    return failed(
        "$.contract.procurement_method_reason",
        f"{method.value} instead of open tender, and no reason stated",
        f"未采用公开招标({method.value}),且未说明理由",
    )


_TRIPARTITE_ROLES: Final = frozenset(EvaluatorRole)


def evaluation_tripartite(case: Case, on: date) -> RuleResult:
    # Soft («将建立»): a pass means the evaluations recorded by ``on`` involve all three parties.
    done = [e for e in case.evaluations if e.date <= on]
    if not done:
        return not_applicable("$.evaluations", "no evaluation recorded by this date", "截至该日未记录评估")
    roles = frozenset(e.evaluator_role for e in done)
    missing = sorted(r.value for r in _TRIPARTITE_ROLES - roles)
    if missing:
        return failed("$.evaluations", "missing: " + ", ".join(missing), "缺少:" + "、".join(missing))
    return passed(
        "$.evaluations", "purchaser, service recipients and a third party", "购买主体、服务对象及第三方均参与"
    )


def evaluation_final_acceptance(case: Case, on: date) -> RuleResult:
    k = case.contract
    if k is None:
        return not_applicable("$.contract", *_NO_CONTRACT)
    sp = k.service_period
    if sp is None:
        return unknown(
            "$.contract.service_period",
            "service period not given: cannot tell whether the service plan is completed",
            "未提供服务期限,无法判断服务计划是否已完成",
        )
    if on <= sp.end:
        return not_applicable(
            "$.contract.service_period", f"service runs to {sp.end}: not yet completed", f"服务期至 {sp.end},尚未完成"
        )
    finals = [e for e in case.evaluations if e.stage is EvaluationStage.FINAL and e.date <= on]
    if finals:
        last = max(finals, key=lambda e: e.date)
        return passed("$.evaluations", f"final acceptance on {last.date}", f"{last.date} 已结项验收")
    return unknown(
        "$.evaluations",
        f"service completed on {sp.end} but no final acceptance is recorded by {on}; the source says «及时» without "
        "a deadline, so it cannot be called late",
        f"服务已于 {sp.end} 完成,截至 {on} 未记录结项验收;来源仅称「及时」,未规定期限",
    )


