"""Predicates of the Henan rules: plain functions ``(case, on) -> RuleResult``.

Conventions (as in the core's national layer): a part of the case that is absent gives
``not_applicable``; a fact that is ``None`` gives ``unknown``, never a pass or a fail; predicates
are pure, deterministic and never raise on a valid case. Every ``unknown`` names the facts that
would decide it (:class:`DecidingFact`: the JSON path, the values that decide, what they mean), so a
verdict can say «to decide this case, declare: …». A condition the case declares ``false`` fails
its rule with ``declared_false=True``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Final

from socialwork_procurement import (
    AdminLevel,
    Case,
    Contractor,
    DecidingFact,
    Evaluation,
    EvaluationGrade,
    EvaluationResult,
    EvaluationStage,
    EvaluatorRole,
    LegalForm,
    Outcome,
    ProcurementMethod,
    PurchaseForm,
    PurchaserKind,
    RuleResult,
    attestation_fact,
    attested,
    failed,
    grade_valid_on,
    not_applicable,
    passed,
    passed_by_attestation,
    unknown,
)

_NO_CONTRACTOR = ("no contractor in the case", "案件未包含承接主体")
_NO_PURCHASER = ("no purchaser in the case", "案件未包含购买主体")
_NO_CONTRACT = ("no contract in the case", "案件未包含合同")

PROFESSIONAL_TEAM: Final = "henan2013.contractor.professional_team"
"""Rule id, and the condition key an attestation of the 「专业团队」 condition names."""
OPEN_TENDER: Final = "henan2013.procedure.open_tender_in_principle"
"""Rule id, and the condition key of an attestation that a departure from open tender is justified."""


def _yes_no(path: str, en: str, zh: str) -> DecidingFact:
    """A yes/no fact that decides a rule: ``true`` passes it, ``false`` fails it."""
    return DecidingFact(path, (True, False), note_zh=f"true:{zh};false:不符合", note_en=f"true: {en}; false fails")


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

_FUNDING_FACTS: Final = (
    ("$.purchaser.budget_funded", "it receives fiscal funding (享受财政供给): passes", "享受财政供给:通过"),
    (
        "$.purchaser.state_owned_funded",
        "it was set up with state-owned funds (利用国有资金举办): passes",
        "利用国有资金举办:通过",
    ),
)


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
        return _enterprise_or_institution(case, p.kind.value)
    if p.kind is PurchaserKind.MASS_ORGANIZATION:
        return failed(
            path,
            "mass organisations are not named among Henan 2013's purchasers (government organs, dispatched or "
            "authorised bodies, fiscally funded or state-funded enterprises and public institutions)",
            "群团组织不在河南2013年办法列明的购买主体之内",
        )
    listed = tuple(k.value for k in PurchaserKind if k is not PurchaserKind.OTHER)
    return unknown(
        path,
        "purchaser kind 'other': cannot tell whether it is a listed body",
        "购买主体类型为其他,无法判断是否属于列明主体",
        deciding=[
            DecidingFact(
                path,
                listed,
                note_en="a government organ, department, people's government, street office or dispatched/authorised "
                "body passes; an enterprise or public institution passes if fiscally or state-funded; a mass "
                "organisation fails",
                note_zh="政府机关、行政部门、人民政府、街道办事处及派出、授权机构通过;企事业单位须享受财政供给或利用国有资金举办;"
                "群团组织不通过",
            )
        ],
    )


def _enterprise_or_institution(case: Case, kind: str) -> RuleResult:
    p = case.purchaser
    assert p is not None
    if p.budget_funded is True:
        return passed(
            "$.purchaser.budget_funded", f"{kind} that receives fiscal funding (享受财政供给)", f"{kind}:享受财政供给"
        )
    if p.state_owned_funded is True:
        return passed(
            "$.purchaser.state_owned_funded",
            f"{kind} set up with state-owned funds (利用国有资金举办)",
            f"{kind}:利用国有资金举办",
        )
    values = {"$.purchaser.budget_funded": p.budget_funded, "$.purchaser.state_owned_funded": p.state_owned_funded}
    missing = [(path, en, zh) for path, en, zh in _FUNDING_FACTS if values[path] is None]
    if missing:
        return unknown(
            missing[0][0],
            "an enterprise or public institution may purchase only if it receives fiscal funding or was set up "
            "with state-owned funds; not declared: " + ", ".join(path for path, _, _ in missing),
            "企事业单位须享受财政供给或利用国有资金举办;未申报:" + "、".join(path for path, _, _ in missing),
            deciding=[
                DecidingFact(
                    path,
                    (True, False),
                    note_en=f"true: {en}; false on both funding facts fails",
                    note_zh=f"true:{zh};两项均为 false 则不通过",
                )
                for path, en, zh in missing
            ],
        )
    return failed(
        "$.purchaser.budget_funded",
        f"{kind} neither receives fiscal funding nor was set up with state-owned funds",
        f"{kind} 既不享受财政供给,也非利用国有资金举办",
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
        return unknown(
            path,
            "whether the contractor has independent legal-person status is not declared",
            "未申报是否具有独立法人资格",
            deciding=[_yes_no(path, "an independent legal person", "具有独立法人资格")],
        )
    if c.independent_legal_person:
        return passed(path)
    return failed(path, "no independent legal-person status", "不具有独立法人资格", declared_false=True)


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
        return unknown(
            path,
            "whether it is lawfully registered (依法登记) is not known",
            "是否依法登记未提供",
            deciding=[_yes_no(path, "lawfully registered (依法登记)", "依法登记")],
        )
    if c.lawfully_registered:
        return passed(path, f"lawfully registered {c.legal_form.value}", f"依法登记的{c.legal_form.value}")
    # 「依法登记」 is a condition the rule states: declared unmet, it fails the rule and is never one
    # side of a conflict over which kinds of body may contract.
    return failed(path, "declared not lawfully registered", "已申报未依法登记", declared_false=True)


def contractor_public_welfare_nonprofit(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    if c.public_welfare is False:
        return failed(
            "$.contractor.public_welfare", "declared not public-welfare", "已申报不具有公益性", declared_false=True
        )
    if c.non_profit is False:
        return failed("$.contractor.non_profit", "declared not non-profit", "已申报不具有非营利性", declared_false=True)
    facts = (
        ("$.contractor.public_welfare", c.public_welfare, "public-welfare", "具有公益性"),
        ("$.contractor.non_profit", c.non_profit, "non-profit", "具有非营利性"),
    )
    missing = [(path, en, zh) for path, value, en, zh in facts if value is None]
    if missing:
        return unknown(
            missing[0][0],
            "not declared: " + ", ".join(en for _, en, _ in missing),
            "未申报:" + "、".join(zh for _, _, zh in missing),
            deciding=[_yes_no(path, en, zh) for path, en, zh in missing],
        )
    return passed("$.contractor.non_profit", "public-welfare and non-profit", "具有公益性、非营利性")


_TEAM_FACTS: Final = (
    (
        "$.contractor.staff.professional_team",
        "a professional team able to apply social-work knowledge, methods and skills",
        "拥有能够熟练掌握和灵活运用社会工作知识、方法和技能的专业团队",
    ),
    (
        "$.contractor.staff.mainly_social_work_professionals",
        "staff mainly social-work professionals",
        "从业人员以社会工作专业人才为主体",
    ),
)


def contractor_professional_team(case: Case, on: date) -> RuleResult:
    """「专业团队…以社会工作专业人才为主体」: declared facts, or an attestation; never a share computed from counts.

    The source names the condition without defining it (no share, no qualification), so besides the two
    declared facts a person who answers for it can attest it (condition key ``henan2013.contractor.
    professional_team``): the rule then passes with the attestation shown. A fact declared ``false``
    fails the rule whatever is attested.
    """
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    s = c.staff
    team = None if s is None else s.professional_team
    mainly = None if s is None else s.mainly_social_work_professionals
    if team is False:
        return failed(
            "$.contractor.staff.professional_team",
            "declared: no professional social-work team",
            "已申报:无社会工作专业团队",
            declared_false=True,
        )
    if mainly is False:
        return failed(
            "$.contractor.staff.mainly_social_work_professionals",
            "declared: staff are not mainly social-work professionals",
            "已申报:从业人员不以社会工作专业人才为主体",
            declared_false=True,
        )
    if team and mainly:
        return passed(
            "$.contractor.staff.mainly_social_work_professionals",
            "declared: a professional team, staff mainly social-work professionals",
            "已申报:拥有专业团队,从业人员以社会工作专业人才为主体",
        )
    attestation = attested(case, PROFESSIONAL_TEAM, on)
    if attestation is not None:
        day = attestation.date.isoformat()
        return passed_by_attestation(
            "$.attestations",
            attestation,
            f"attested by {attestation.attested_by} on {day}: {attestation.basis} (the source names the professional "
            "team without defining it; no share is computed from counts)",
            f"由{attestation.attested_by}于{day}证明:{attestation.basis}(来源提出专业团队但未界定,不依人数推算)",
        )
    declared = zip(_TEAM_FACTS, (team, mainly), strict=True)
    missing = [(path, en, zh) for (path, en, zh), value in declared if value is None]
    # An attestation dated after the day asked did not exist that day: say so rather than ignore it silently.
    later = attested(case, PROFESSIONAL_TEAM)
    late_en = late_zh = ""
    if later is not None:
        late_en = f"; the attestation dated {later.date.isoformat()} is after {on.isoformat()} and does not count"
        late_zh = f";证明日期 {later.date.isoformat()} 晚于 {on.isoformat()},不计"
    return unknown(
        missing[0][0],
        "not declared: "
        + ", ".join(en for _, en, _ in missing)
        + " (the source sets no numeric share, so none is computed from counts); or attest the condition"
        + late_en,
        "未申报:"
        + "、".join(zh for _, _, zh in missing)
        + "(来源未规定比例,不依人数推算);或由责任人出具证明"
        + late_zh,
        deciding=[
            *(_yes_no(path, en, zh) for path, en, zh in missing),
            attestation_fact(
                PROFESSIONAL_TEAM,
                "the source names the professional team without defining it: a person who answers for it attests "
                "it (who, on what basis, when), and the rule passes with the attestation shown",
                "来源提出专业团队但未界定:由责任人证明(证明人、依据、日期),本规则据此通过并显示该证明",
            ),
        ],
    )


HARD_CONTRACTOR_CONDITIONS: Final[tuple[tuple[str, Callable[[Case, date], RuleResult]], ...]] = (
    ("henan2013.contractor.independent_legal_person", contractor_independent_legal_person),
    ("henan2013.contractor.registered_org_type", contractor_registered_org_type),
    ("henan2013.contractor.public_welfare_nonprofit", contractor_public_welfare_nonprofit),
    (PROFESSIONAL_TEAM, contractor_professional_team),
)
"""The hard conditions 「承接对象须同时具备」: the 3A priority (优先) is not among them."""


def contractor_all_conditions(case: Case, on: date) -> RuleResult:
    """「须同时具备」: passes when every condition passes; otherwise it points at the conditions that decide.

    Each condition is a hard rule of its own and reports its own failure or unknown; the conjunction
    adds no failure of its own (a second failure for the same fact would report it twice), so when a
    condition fails or is unknown this rule is not_applicable and names those conditions and their paths.
    """
    if case.contractor is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    results = [(rule_id, check(case, on)) for rule_id, check in HARD_CONTRACTOR_CONDITIONS]
    failing = [(rule_id, r.path) for rule_id, r in results if r.outcome is Outcome.FAIL]
    open_ = [(rule_id, r.path) for rule_id, r in results if r.outcome not in (Outcome.PASS, Outcome.FAIL)]
    if failing or open_:
        pointed = failing or open_
        names = ", ".join(f"{rule_id} ({path})" for rule_id, path in pointed)
        if failing:
            en = f"not met at once: {names} fail; each failure is reported once, under its own rule"
            zh = f"未同时具备:{names} 不满足;各项不满足由其本身规则报告一次"
        else:
            en = f"not yet known to be met at once: {names} undecided; their own findings name the facts to declare"
            zh = f"尚不能确定同时具备:{names} 未确定;所需申报事实见各规则"
        return not_applicable(pointed[0][1], en, zh)
    return passed("$.contractor", "meets all the listed conditions at once", "同时具备全部所列条件")


def contractor_priority_grade_3a(case: Case, on: date) -> RuleResult:
    # Soft: a pass means the priority applies; it ranks bidders and never gates.
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor", *_NO_CONTRACTOR)
    return _grade_priority(c, on)


_PRIORITY_GRADES: Final = tuple(g.value for g in EvaluationGrade if g.stars >= EvaluationGrade.A3.stars)


def _grade_priority(c: Contractor, on: date) -> RuleResult:
    grade = c.evaluation_grade
    if grade is None:
        return unknown(
            "$.contractor.evaluation_grade",
            "evaluation grade not given",
            "未提供社会组织评估等级",
            deciding=[
                DecidingFact(
                    "$.contractor.evaluation_grade",
                    tuple(g.value for g in EvaluationGrade),
                    note_en=f"{', '.join(_PRIORITY_GRADES)} (with the award date) give priority; lower grades do not",
                    note_zh=f"{'、'.join(_PRIORITY_GRADES)}(并申报取得日期)享有优先;更低等级不享有",
                )
            ],
        )
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
            deciding=[
                DecidingFact(
                    path,
                    note_en="the day the grade was awarded: it gives priority for five years from then",
                    note_zh="评估等级取得日期:自该日起5年内享有优先",
                )
            ],
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
        return unknown(
            path,
            "purchase form not given",
            "未提供购买方式(岗位或项目)",
            deciding=[
                DecidingFact(
                    path,
                    tuple(f.value for f in PurchaseForm),
                    note_en="a post (post_purchase) or a project (comprehensive or specialised): the two main forms",
                    note_zh="购买岗位(post_purchase)或购买项目(综合或专项):两种主要方式",
                )
            ],
        )
    if k.purchase_form in PROJECT_OR_POST_FORMS:
        kind = "a post" if k.purchase_form is PurchaseForm.POST else "a project"
        return passed(path, f"{k.purchase_form.value}: {kind}, one of the two main forms", f"{k.purchase_form.value}")
    return failed(path, "neither a post nor a project", "既非岗位购买也非项目购买")


def open_tender_in_principle(case: Case, on: date) -> RuleResult:
    """「原则上应通过公开招标」: open tender passes; a departure with a reason is for a person to judge.

    The measures list no exceptions to 「原则上」, so no reason can be checked here: a stated
    departure is ``unknown`` with the reason shown, and passes only once someone who answers for
    it attests that the departure is justified (condition key ``henan2013.procedure.
    open_tender_in_principle``); a departure with no reason fails.
    """
    k = case.contract
    if k is None:
        return not_applicable("$.contract", *_NO_CONTRACT)
    method = k.procurement_method
    if method is None:
        return unknown(
            "$.contract.procurement_method",
            "procurement method not given",
            "未提供采购方式",
            deciding=[
                DecidingFact(
                    "$.contract.procurement_method",
                    tuple(m.value for m in ProcurementMethod),
                    note_en="open_tender passes; another method needs a stated reason, judged by a person",
                    note_zh="open_tender(公开招标)通过;其他方式须说明理由,由责任人判断",
                )
            ],
        )
    if method is ProcurementMethod.OPEN_TENDER:
        return passed("$.contract.procurement_method", "open tender (公开招标)", "公开招标")
    path = "$.contract.procurement_method_reason"
    reason = (k.procurement_method_reason or "").strip()
    if not reason:
        return failed(
            path,
            f"{method.value} instead of open tender, and no reason stated",
            f"未采用公开招标({method.value}),且未说明理由",
        )
    attestation = attested(case, OPEN_TENDER, on)
    if attestation is not None:
        day = attestation.date.isoformat()
        return passed_by_attestation(
            path,
            attestation,
            f"{method.value} instead of open tender, reason stated: {reason}; judged justified by "
            f"{attestation.attested_by} on {day}: {attestation.basis}",
            f"以{method.value}代替公开招标,所述理由:{reason};由{attestation.attested_by}于{day}认定理由成立:"
            f"{attestation.basis}",
        )
    return unknown(
        path,
        f"{method.value} instead of open tender, reason stated: {reason}. The measures say 「原则上」 and list no "
        "exceptions, so whether this reason justifies the departure is for a person to judge",
        f"以{method.value}代替公开招标,所述理由:{reason}。办法规定「原则上」公开招标,未列明例外情形,"
        "理由是否成立须由责任人判断",
        deciding=[
            attestation_fact(
                OPEN_TENDER,
                "a person who answers for the purchase (e.g. the finance department that approved the method) "
                "attests that the stated reason justifies the departure",
                "由对本次采购负责者(如批准该采购方式的财政部门)证明所述理由成立",
            )
        ],
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


_PASSING_RESULTS: Final = tuple(r.value for r in EvaluationResult if r.passed)

_ACCEPTANCE_FACTS: Final = (
    DecidingFact(
        "$.evaluations[*].stage",
        (EvaluationStage.FINAL.value,),
        note_en="a final evaluation (final_evaluation) recorded after the service, with a passing result",
        note_zh="服务完成后记录的末期评估(final_evaluation),且结果为通过",
    ),
    DecidingFact(
        "$.evaluations[*].result",
        _PASSING_RESULTS,
        note_en="a passing result of the final evaluation stands for the acceptance; fail (or no result) does not",
        note_zh="末期评估结果为通过即视为结项验收;不合格(fail)或无结果均不视为验收",
    ),
)
"""What decides an acceptance the case does not show: the case schema has no acceptance record of its
own, so a final evaluation with a passing result is the least that stands for one."""


def _latest_final(case: Case, on: date) -> tuple[int, Evaluation] | None:
    # The latest by date; on one day, the later recorded (as the lifecycle's acceptance guard reads it).
    latest: tuple[int, Evaluation] | None = None
    for index, e in enumerate(case.evaluations):
        final = e.stage is EvaluationStage.FINAL and e.result is not None and e.date <= on
        if final and (latest is None or e.date >= latest[1].date):
            latest = (index, e)
    return latest


def evaluation_final_acceptance(case: Case, on: date) -> RuleResult:
    """「及时对已完成的社会工作服务计划进行结项验收」 (soft: an intention of 「我省还将建立…」).

    Passes only on a passed final evaluation, the least that stands for an acceptance (the case
    schema holds no acceptance record); a failed or result-less final evaluation, or none, is
    ``unknown``, never a pass. Never a fail: the source says 「及时」 but sets no deadline.
    """
    k = case.contract
    if k is None:
        return not_applicable("$.contract", *_NO_CONTRACT)
    sp = k.service_period
    if sp is None:
        return unknown(
            "$.contract.service_period",
            "service period not given: cannot tell whether the service plan is completed",
            "未提供服务期限,无法判断服务计划是否已完成",
            deciding=[
                DecidingFact(
                    "$.contract.service_period",
                    note_en="its end decides: the acceptance is due once the service plan is completed",
                    note_zh="以服务期限届满判断:服务计划完成后应结项验收",
                )
            ],
        )
    if on <= sp.end:
        return not_applicable(
            "$.contract.service_period", f"service runs to {sp.end}: not yet completed", f"服务期至 {sp.end},尚未完成"
        )
    latest = _latest_final(case, on)
    no_deadline_en = "the source says «及时» without a deadline, so it is never called late"
    no_deadline_zh = "来源仅称「及时」,未规定期限,不认定逾期"
    if latest is None:
        return unknown(
            "$.evaluations",
            f"service completed on {sp.end} but no acceptance is recorded by {on}: no final evaluation with a result "
            f"(the case has no acceptance record of its own); {no_deadline_en}",
            f"服务已于 {sp.end} 完成,截至 {on} 未记录结项验收:无有结果的末期评估(案件无单独的验收记录);"
            f"{no_deadline_zh}",
            deciding=_ACCEPTANCE_FACTS,
        )
    index, e = latest
    assert e.result is not None
    who = f"{e.evaluator} ({e.evaluator_role.value})"
    if e.result.passed:
        return passed(
            f"$.evaluations[{index}].result",
            f"final evaluation by {who} on {e.date}, result {e.result.value}: taken as the acceptance "
            "(结项验收; the case has no separate acceptance record)",
            f"{e.evaluator}({e.evaluator_role.value})于 {e.date} 末期评估,结果 {e.result.value}:视为结项验收"
            "(案件无单独的验收记录)",
        )
    return unknown(
        f"$.evaluations[{index}].result",
        f"the latest final evaluation, by {who} on {e.date}, is {e.result.value}: a failed evaluation is not an "
        f"acceptance, and none that passed is recorded by {on}; {no_deadline_en}",
        f"最近一次末期评估({e.evaluator},{e.evaluator_role.value},{e.date})结果为 {e.result.value}:不合格不视为验收,"
        f"截至 {on} 无通过的末期评估;{no_deadline_zh}",
        deciding=_ACCEPTANCE_FACTS,
    )
