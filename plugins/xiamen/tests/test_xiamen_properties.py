"""Property tests of the Xiamen pack's own invariants (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
import socialwork_procurement_xiamen as xm
from hypothesis import given, settings
from hypothesis import strategies as st

import socialwork_procurement as swp
from socialwork_procurement.testing import strategies as sst

ISSUED = date(2015, 1, 6)
PNEU_MAIN = "xiamen.contractor.pneu_main"
MID_FINAL = "xiamen.evaluation.mid_and_final_third_party"
SETTINGS = settings(max_examples=200, deadline=None, database=None)


@pytest.fixture(scope="module")
def registry() -> swp.Registry:
    return swp.load_registry()


def _invert(rule: swp.Rule) -> swp.Rule:
    """The same rule with its pass and fail swapped."""
    original = rule.predicate
    assert original is not None

    def inverted(case: swp.Case, on: date) -> swp.RuleResult:
        result = original(case, on)
        swapped = {swp.Outcome.PASS: swp.Outcome.FAIL, swp.Outcome.FAIL: swp.Outcome.PASS}
        return attrs.evolve(result, outcome=swapped.get(result.outcome, result.outcome))

    return attrs.evolve(rule, predicate=inverted)


def _registry_with_soft_rules(flip: bool) -> swp.Registry:
    """The national layer and the Xiamen pack alone, every soft predicate (pneu_main,
    form.projects) optionally inverted."""
    soft = [r for r in xm.RULES if r.strength is swp.Strength.SOFT and r.predicate is not None]
    assert PNEU_MAIN in {r.rule_id for r in soft}
    rules = [_invert(r) if flip and r in soft else r for r in xm.RULES]

    class _Pack:
        @swp.hookimpl
        def swp_regions(self) -> list[swp.Region]:
            return [xm.REGION]

        @swp.hookimpl
        def swp_rules(self) -> list[swp.Rule]:
            return rules

    manager = swp.RulePackManager(national=True)
    manager.register(_Pack(), name="xiamen-under-test")
    return manager.registry()


ORIGINAL = _registry_with_soft_rules(flip=False)
FLIPPED = _registry_with_soft_rules(flip=True)
WITHOUT_NATIONAL = swp.load_registry(national=False)


# -- the fee ------------------------------------------------------------------------------------


@SETTINGS
@given(amount=sst.amounts(), on=sst.dates(min_value=ISSUED))
def test_fee_is_three_percent_within_one_fen(registry: swp.Registry, amount: Decimal, on: date) -> None:
    fee = registry.evaluation_fee(region="xiamen", base_amount=amount, on=on).fee
    assert fee is not None
    assert fee >= 0
    assert fee == fee.quantize(Decimal("0.01"))  # exact to the fen
    assert abs(fee - amount * Decimal("0.03")) <= Decimal("0.005")  # half a fen at most: within one fen


@SETTINGS
@given(a=sst.amounts(), b=sst.amounts(), on=sst.dates(min_value=ISSUED))
def test_fee_is_monotone_in_the_amount(registry: swp.Registry, a: Decimal, b: Decimal, on: date) -> None:
    low, high = sorted((a, b))
    fee_low = registry.evaluation_fee(region="xiamen", base_amount=low, on=on).fee
    fee_high = registry.evaluation_fee(region="xiamen", base_amount=high, on=on).fee
    assert fee_low is not None
    assert fee_high is not None
    assert fee_low <= fee_high


@SETTINGS
@given(fen=st.integers(min_value=0, max_value=10**12))
def test_fee_is_exact_where_three_percent_is_a_whole_fen(registry: swp.Registry, fen: int) -> None:
    # Amounts that are multiples of 1 yuan: 3% of them is a whole number of fen, so no rounding at all.
    amount = Decimal(fen)
    fee = registry.evaluation_fee(region="xiamen", base_amount=amount, on=date(2015, 3, 1)).fee
    assert fee == (amount * 3 / 100).quantize(Decimal("0.01"))
    assert fee is not None
    assert fee * 100 / 3 == amount


# -- individuals --------------------------------------------------------------------------------


@SETTINGS
@given(case=sst.cases(), contractor=sst.contractors(), on=sst.dates(min_value=ISSUED), national=st.booleans())
def test_an_individual_is_never_eligible(
    case: swp.Case, contractor: swp.Contractor, on: date, national: bool
) -> None:
    person = attrs.evolve(contractor, legal_form=swp.LegalForm.INDIVIDUAL, uscc=None)
    registry = ORIGINAL if national else WITHOUT_NATIONAL
    verdict = registry.check(attrs.evolve(case, contractor=person), region="xiamen", on=on, national=national)
    assert verdict.decision is swp.Decision.INELIGIBLE
    outcomes = {f.rule_id: f.outcome for f in verdict.findings}
    assert outcomes["xiamen.contractor.independent_legal_person"] is swp.Outcome.FAIL
    assert outcomes["xiamen.contractor.org_type"] is swp.Outcome.FAIL


# -- the soft rule ------------------------------------------------------------------------------


@SETTINGS
@given(case=sst.cases(), on=sst.dates())
def test_soft_rules_never_change_the_decision(case: swp.Case, on: date) -> None:
    original = ORIGINAL.check(case, region="xiamen", on=on)
    flipped = FLIPPED.check(case, region="xiamen", on=on)
    assert original.decision is flipped.decision
    assert len(original.conflicts) == len(flipped.conflicts)


@SETTINGS
@given(contractor=sst.contractors(), on=sst.dates(min_value=ISSUED))
def test_pneu_main_applies_exactly_to_pneus(registry: swp.Registry, contractor: swp.Contractor, on: date) -> None:
    verdict = registry.check(swp.Case(contractor=contractor), region="xiamen", on=on)
    finding = next(f for f in verdict.findings if f.rule_id == PNEU_MAIN)
    is_pneu = contractor.legal_form is swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT
    assert (finding.outcome is swp.Outcome.PASS) == is_pneu
    assert (finding in verdict.priorities) == is_pneu


# -- the evaluation schedule --------------------------------------------------------------------


@SETTINGS
@given(period=sst.service_periods())
def test_evaluation_schedule_lies_inside_the_period(period: swp.ServicePeriod) -> None:
    schedule = swp.evaluation_schedule(period)
    assert schedule.midterm in period
    assert schedule.final in period
    assert period.start <= schedule.midterm <= schedule.final == period.end


@SETTINGS
@given(period=sst.service_periods(), data=st.data())
def test_nothing_is_due_up_to_the_midterm(period: swp.ServicePeriod, data: st.DataObject) -> None:
    midterm = swp.evaluation_schedule(period).midterm
    on = data.draw(st.dates(min_value=period.start - timedelta(days=400), max_value=midterm))
    case = swp.Case(contract=swp.Contract(service_period=period))
    rule = next(r for r in xm.RULES if r.rule_id == MID_FINAL)
    assert rule.predicate is not None
    assert rule.predicate(case, on).outcome is swp.Outcome.PASS


@st.composite
def _period_and_evaluations(draw: st.DrawFn) -> tuple[swp.ServicePeriod, tuple[swp.Evaluation, ...]]:
    """A service period and evaluations mostly dated around it, by parties other than the contract's."""
    period = draw(sst.service_periods())
    around = st.dates(min_value=period.start - timedelta(days=30), max_value=period.end + timedelta(days=60))
    evaluations = draw(st.lists(sst.evaluations(), max_size=4))
    return period, tuple(attrs.evolve(e, date=draw(around)) for e in evaluations)


def _mid_final(case: swp.Case, on: date) -> swp.RuleResult:
    rule = next(r for r in xm.RULES if r.rule_id == MID_FINAL)
    assert rule.predicate is not None
    return rule.predicate(case, on)


@SETTINGS
@given(drawn=_period_and_evaluations(), data=st.data())
def test_our_schedule_never_fails_a_running_period(
    drawn: tuple[swp.ServicePeriod, tuple[swp.Evaluation, ...]], data: st.DataObject
) -> None:
    # The mid-term day is the library's policy, not the source's: while the service period runs,
    # only a self-styled third party (none here: the case names no parties) can fail the rule.
    period, evaluations = drawn
    on = data.draw(st.dates(min_value=period.start - timedelta(days=400), max_value=period.end))
    case = swp.Case(contract=swp.Contract(service_period=period), evaluations=evaluations)
    assert _mid_final(case, on).outcome in (swp.Outcome.PASS, swp.Outcome.UNKNOWN)


@SETTINGS
@given(drawn=_period_and_evaluations(), data=st.data())
def test_after_the_cycle_both_third_party_evaluations_decide(
    drawn: tuple[swp.ServicePeriod, tuple[swp.Evaluation, ...]], data: st.DataObject
) -> None:
    period, evaluations = drawn
    on = data.draw(st.dates(min_value=period.end + timedelta(days=1), max_value=period.end + timedelta(days=400)))
    case = swp.Case(contract=swp.Contract(service_period=period), evaluations=evaluations)
    stages = {
        e.stage for e in evaluations
        if e.evaluator_role is swp.EvaluatorRole.THIRD_PARTY and period.start <= e.date <= on
    }
    expected = swp.Outcome.PASS if stages == set(swp.EvaluationStage) else swp.Outcome.FAIL
    assert _mid_final(case, on).outcome is expected


@SETTINGS
@given(case=sst.cases(), on=sst.dates(), data=st.data())
def test_mid_and_final_outcome_ignores_the_order_of_evaluations(
    case: swp.Case, on: date, data: st.DataObject
) -> None:
    rule = next(r for r in xm.RULES if r.rule_id == MID_FINAL)
    assert rule.predicate is not None
    shuffled = attrs.evolve(case, evaluations=tuple(data.draw(st.permutations(case.evaluations))))
    assert rule.predicate(case, on).outcome is rule.predicate(shuffled, on).outcome


@SETTINGS
@given(case=sst.cases(), on=sst.dates(min_value=ISSUED))
def test_no_rule_depends_on_anything_but_case_and_date(case: swp.Case, on: date) -> None:
    # The same question, with the case rebuilt from its JSON form, gets the same findings.
    a = ORIGINAL.check(case, region="xiamen", on=on)
    b = ORIGINAL.check(swp.structure(swp.unstructure(case), swp.Case), region="xiamen", on=on)
    assert [(f.rule_id, f.outcome, f.path) for f in a.findings] == [(f.rule_id, f.outcome, f.path) for f in b.findings]
    assert a.decision is b.decision
