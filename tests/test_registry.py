"""Verdicts: decisions, findings, dated rule versions, soft rules, conflicts, fees, silences."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

import socialwork_procurement as swp
from socialwork_procurement.testing import assert_pack_conforms
from socialwork_procurement.testing import strategies as sst

PNEU = swp.Contractor(name="某社工服务中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
                      independent_legal_person=True)


def outcomes(verdict: swp.Verdict) -> dict[str, swp.Outcome]:
    return {f.rule_id: f.outcome for f in verdict.findings}


def test_all_facts_known_and_met_is_eligible(testland: swp.Registry) -> None:
    verdict = testland.check(swp.Case(contractor=PNEU), region="testland", on=date(2020, 6, 1))
    assert verdict.decision is swp.Decision.ELIGIBLE
    assert outcomes(verdict)["testland.contractor.legal_person"] is swp.Outcome.PASS
    assert verdict.trace.layers == ("national", "testland")


def test_a_hard_failure_is_ineligible_and_names_its_path(testland: swp.Registry) -> None:
    enterprise = swp.Contractor(name="某公司", legal_form=swp.LegalForm.ENTERPRISE, independent_legal_person=True)
    verdict = testland.check(swp.Case(contractor=enterprise), region="testland", on=date(2020, 6, 1))
    assert verdict.decision is swp.Decision.INELIGIBLE
    (failure,) = [f for f in verdict.failures if f.rule.region == "testland"]
    assert failure.rule_id == "testland.contractor.social_org" and failure.path == "$.contractor.legal_form"


def test_an_unknown_fact_is_undetermined_never_pass_or_fail(testland: swp.Registry) -> None:
    unknown = swp.Contractor(name="某社工服务中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT)
    verdict = testland.check(swp.Case(contractor=unknown), region="testland", on=date(2020, 6, 1))
    assert verdict.decision is swp.Decision.UNDETERMINED
    assert outcomes(verdict)["testland.contractor.legal_person"] is swp.Outcome.UNKNOWN


def test_rules_are_resolved_by_the_date_asked(testland: swp.Registry) -> None:
    enterprise = swp.Contractor(name="某公司", legal_form=swp.LegalForm.ENTERPRISE, independent_legal_person=True)
    before = testland.check(swp.Case(contractor=enterprise), region="testland", on=date(2020, 12, 31))
    after = testland.check(swp.Case(contractor=enterprise), region="testland", on=date(2021, 1, 1))
    assert "testland.contractor.social_org" in outcomes(before)
    assert "testland.contractor.social_org" not in outcomes(after)
    assert "testland.contractor.social_org" in {r.rule_id for r in after.trace.rules_not_in_force}
    assert after.decision is swp.Decision.ELIGIBLE


def test_national_rules_apply_only_from_their_date_and_can_be_left_out(testland: swp.Registry) -> None:
    case = swp.Case(purchaser=swp.Purchaser(name="某国企", kind=swp.PurchaserKind.ENTERPRISE))
    assert testland.check(case, region="testland", on=date(2020, 1, 1)).decision is swp.Decision.ELIGIBLE
    # Before any rule is in force nothing is checked, and the case is not shown eligible: the verdict
    # says that no testland source is in force yet, with the first date.
    early = testland.check(case, region="testland", on=date(2019, 1, 1))
    assert early.decision is swp.Decision.UNDETERMINED
    assert early.region_not_in_force is not None and early.region_not_in_force.first_in_force == date(2020, 1, 1)
    assert testland.check(case, region="testland", on=date(2020, 1, 1)).region_not_in_force is None
    later = testland.check(case, region="testland", on=date(2021, 1, 1))
    # testland lets any purchaser buy; the 2020 decree admits state organs only: a conflict, not a silent pick.
    assert later.decision is swp.Decision.UNDETERMINED
    (conflict,) = later.conflicts
    assert (conflict.regional.rule_id, conflict.national.rule_id) == (
        "testland.purchaser.any", "national.purchaser.state_organs")
    assert "conflict" in conflict.message_en and "冲突" in conflict.message_zh
    alone = testland.check(case, region="testland", on=date(2021, 1, 1), national=False)
    assert alone.decision is swp.Decision.ELIGIBLE and alone.trace.layers == ("testland",)


def test_soft_rules_rank_but_never_gate(testland: swp.Registry) -> None:
    graded = swp.Contractor(name="某社工服务中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
                            independent_legal_person=True, evaluation_grade=swp.EvaluationGrade.A3)
    with_grade = testland.check(swp.Case(contractor=graded), region="testland", on=date(2020, 6, 1))
    without = testland.check(swp.Case(contractor=PNEU), region="testland", on=date(2020, 6, 1))
    assert [f.rule_id for f in with_grade.priorities] == ["testland.contractor.grade_priority"]
    assert outcomes(without)["testland.contractor.grade_priority"] is swp.Outcome.FAIL
    assert with_grade.decision is without.decision is swp.Decision.ELIGIBLE


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # the registry is immutable
@given(case=sst.cases(), on=sst.dates())
def test_the_decision_follows_from_gating_findings_alone(testland: swp.Registry, case: swp.Case, on: date) -> None:
    verdict = testland.check(case, region="testland", on=on)
    gating = [f for f in verdict.findings if f.rule.strength.gates]
    conflicted = {id(f) for c in verdict.conflicts for f in (c.regional, c.national)}
    applied = [f for f in gating if f.outcome is not swp.Outcome.NOT_APPLICABLE]
    dormant = verdict.region_not_in_force is not None  # no testland rule in force that day
    if any(f.outcome is swp.Outcome.FAIL and id(f) not in conflicted for f in applied):
        assert verdict.decision is swp.Decision.INELIGIBLE
    elif verdict.conflicts or not applied or dormant or any(f.outcome is swp.Outcome.UNKNOWN for f in applied):
        assert verdict.decision is swp.Decision.UNDETERMINED
    else:
        assert verdict.decision is swp.Decision.ELIGIBLE
    # Soft findings never enter into it: dropping them changes nothing.
    gating_only = [f for f in verdict.findings if f.rule.strength.gates]
    assert swp.decide(gating_only, verdict.conflicts, region_in_force=not dormant) is verdict.decision


def test_fee_is_exact_or_explicitly_not_specified(testland: swp.Registry) -> None:
    answer = testland.evaluation_fee(region="testland", base_amount=Decimal("123456.78"), on=date(2021, 1, 1))
    assert answer.fee == Decimal("2469.14") and answer.rule is not None  # 2469.1356 half-up
    silent = testland.evaluation_fee(region="testland", base_amount=Decimal(1000), on=date(2020, 6, 1))
    assert silent.fee is None and silent.silence is not None and "2021" in (silent.reason_zh or "")
    assert silent.region_not_in_force is None
    # Before testland's first rule: not «not specified» but «no source in force», with the first date.
    early = testland.evaluation_fee(region="testland", base_amount=Decimal(1000), on=date(2019, 6, 1))
    assert early.fee is None and early.region_not_in_force is not None
    assert "2020-01-01" in (early.reason_en or "") and "未规定" not in (early.reason_zh or "")
    national = testland.evaluation_fee(region="national", base_amount=Decimal(1000), on=date(2021, 1, 1))
    assert national.fee is None and national.reason_en


def test_fee_input_is_checked(testland: swp.Registry) -> None:
    with pytest.raises(TypeError):
        testland.evaluation_fee(region="testland", base_amount=1000.0, on=date(2021, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        testland.evaluation_fee(region="testland", base_amount=Decimal(-1), on=date(2021, 1, 1))


def test_unknown_region(testland: swp.Registry) -> None:
    with pytest.raises(swp.UnknownRegion, match="atlantis"):
        testland.check(swp.Case(), region="atlantis", on=date(2021, 1, 1))


def test_overlapping_versions_of_one_rule_are_refused(testland: swp.Registry) -> None:
    rule = testland.rule("testland.contractor.legal_person")
    with pytest.raises(swp.RuleConflict, match="two versions"):
        swp.Registry(regions={}, rules=[swp.Contribution("a", rule), swp.Contribution("b", rule)],
                     silences=[], indicators=[], periods=[], packs=[])


def test_data_records(testland: swp.Registry) -> None:
    assert [p.period_id for p in testland.periods("testland", on=date(2020, 3, 1))] == ["testland.pilot"]
    assert testland.periods("testland", on=date(2020, 7, 1)) == ()
    assert {i.indicator_id for i in testland.indicators("testland")} == {"testland.workers_2025", "testland.per_thousand"}
    assert [s.topic for s in testland.silences("testland")] == ["evaluation_fee"]


def test_the_test_pack_and_national_layer_conform(testland: swp.Registry) -> None:
    assert_pack_conforms(testland, "testland", max_examples=50)
    assert_pack_conforms(testland, "national", max_examples=50)


def test_conformance_catches_a_predicate_that_raises(testland: swp.Registry) -> None:
    from socialwork_procurement.testing import ConformanceError

    def crashes(case: swp.Case, on: date) -> swp.RuleResult:
        return swp.passed("$.contractor.name") if case.contractor is None else swp.passed(case.contractor.name[99])

    bad = swp.Rule(rule_id="testland.contractor.crash", region="testland", kind=swp.RuleKind.CONTRACTOR_ELIGIBILITY,
                   strength=swp.Strength.HARD, subject=swp.Subject.CONTRACTOR, effective_from=date(2010, 1, 1),
                   effective_to=None, citation=testland.rule("testland.contractor.legal_person").citation,
                   message_zh="会崩溃", message_en="crashes", predicate=crashes)
    rules = [swp.Contribution("x", r) for r in testland.rules("testland")] + [swp.Contribution("x", bad)]
    regions = {"testland": swp.Contribution("x", testland.region("testland"))}
    broken = swp.Registry(regions=regions, rules=rules, silences=[], indicators=[], periods=[], packs=[])
    with pytest.raises(ConformanceError, match="crash"):
        assert_pack_conforms(broken, "testland", max_examples=50, national=False)


def test_uscc_type_code_contradicting_legal_form_is_reported(testland: swp.Registry) -> None:
    code = "52350200MJ0000001" + swp.uscc_check_char("52350200MJ0000001")
    wrong = swp.Contractor(name="x", legal_form=swp.LegalForm.ENTERPRISE, uscc=code, independent_legal_person=True)
    right = swp.Contractor(name="x", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, uscc=code,
                           independent_legal_person=True)
    on = date(2021, 1, 1)
    assert "type code 52" in str(testland.check(swp.Case(contractor=wrong), region="testland", on=on).input_warnings[0])
    assert testland.check(swp.Case(contractor=right), region="testland", on=on).input_warnings == ()
    # Said in either language, with the names of the legal forms, never their identifiers.
    from socialwork_procurement.export._names import name

    (warning,) = testland.check(swp.Case(contractor=wrong), region="testland", on=on).input_warnings
    zh, en = warning.text("zh", name=name), warning.text("en", name=name)
    assert zh.startswith("$.contractor.uscc: ") and "民办非企业单位" in zh and "企业" in zh
    assert not re.search("[A-Za-z]{3,}", zh.removeprefix("$.contractor.uscc: "))
    assert "private non-enterprise unit" in en and "enterprise" in en
