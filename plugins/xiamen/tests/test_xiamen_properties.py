"""Property tests of the Xiamen pack's own invariants (Hypothesis)."""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable
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
# FAST=1 (while iterating) runs fewer examples; CI runs them all.
SETTINGS = settings(max_examples=50 if os.environ.get("FAST") == "1" else 200, deadline=None, database=None)
# The properties of issue 8 each check every rule or every prefix of a case: half as many examples.
BROAD = settings(max_examples=25 if os.environ.get("FAST") == "1" else 100, deadline=None, database=None)


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


AGENCY = "xiamen.contractor.social_work_service_agency"


@SETTINGS
@given(contractor=sst.contractors(), on=sst.dates(min_value=ISSUED), attested_on=st.none() | sst.dates())
def test_pneu_main_applies_exactly_to_attested_social_work_agencies(
    registry: swp.Registry, contractor: swp.Contractor, on: date, attested_on: date | None
) -> None:
    # 民办社会工作服务机构 is a social-work service agency registered as a PNEU, not every PNEU (A.8).
    attestations = () if attested_on is None else (swp.Attestation(AGENCY, "某区民政局", "登记证书", attested_on),)
    verdict = registry.check(swp.Case(contractor=contractor, attestations=attestations), region="xiamen", on=on)
    finding = next(f for f in verdict.findings if f.rule_id == PNEU_MAIN)
    is_pneu = contractor.legal_form is swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT
    is_attested = attested_on is not None and attested_on <= on
    expected = swp.Outcome.FAIL if not is_pneu else swp.Outcome.PASS if is_attested else swp.Outcome.UNKNOWN
    assert finding.outcome is expected
    assert (finding in verdict.priorities) == (is_pneu and is_attested)
    # Soft: it never makes the verdict undetermined on its own.
    assert finding not in verdict.unknowns


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
    # The source sets no deadline (issue 8): what is not on record is unknown, never a failure for lateness.
    expected = swp.Outcome.PASS if stages == set(swp.EvaluationStage) else swp.Outcome.UNKNOWN
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


# -- every unknown names what decides it; a declared false never passes; absent parts ------------


def _with_attestations(case: swp.Case, attest: bool) -> swp.Case:
    return attrs.evolve(case, attestations=(swp.Attestation(AGENCY, "某区民政局", "登记证书", ISSUED),) if attest else ())


@BROAD
@given(case=sst.cases(), attest=st.booleans(), on=sst.dates())
def test_every_unknown_names_deciding_paths_of_the_case_schema_with_their_values(
    case: swp.Case, attest: bool, on: date
) -> None:
    case = _with_attestations(case, attest)
    for rule in xm.RULES:
        if rule.predicate is None or not rule.in_force(on):
            continue
        result = rule.predicate(case, on)
        if result.outcome is not swp.Outcome.UNKNOWN:
            continue
        assert result.deciding, rule.rule_id
        for fact in result.deciding:
            assert swp.schema_at(fact.path) is not None, f"{rule.rule_id}: {fact.path} is not in the case schema"
            listed = swp.declarable_values(fact.path)
            if listed:  # where the schema lists values, the fact names some, and only those
                assert fact.values and set(fact.values) <= set(listed), (rule.rule_id, fact)
            else:  # a date, an amount, a free-text or an attestation: the note says what to declare
                assert fact.values or (fact.note_en and fact.note_zh), (rule.rule_id, fact)


def _false(**changes: object) -> Callable[[swp.Case], swp.Case | None]:
    """Set facts of one case part false (the part made present where needed)."""
    def apply(case: swp.Case) -> swp.Case | None:
        out = case
        for dotted, value in changes.items():
            part, _, rest = dotted.partition("__")
            current = getattr(out, part)
            if current is None:
                return None
            if "__" in rest:
                inner, _, field = rest.partition("__")
                nested = getattr(current, inner)
                if nested is None:
                    return None
                current = attrs.evolve(current, **{inner: attrs.evolve(nested, **{field: value})})
            else:
                current = attrs.evolve(current, **{rest: value})
            out = attrs.evolve(out, **{part: current})
        return out

    return apply


# A fact each rule states as a condition, declared false, with what makes the condition apply.
_DECLARED_FALSE: dict[str, list[Callable[[swp.Case], swp.Case | None]]] = {
    "xiamen.purchaser.eligible_bodies": [
        _false(purchaser__kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT, purchaser__public_service_duties=False),
        _false(purchaser__kind=swp.PurchaserKind.PUBLIC_INSTITUTION, purchaser__civil_service_managed=False),
        _false(purchaser__kind=swp.PurchaserKind.MASS_ORGANIZATION, purchaser__budget_funded=False),
    ],
    "xiamen.contractor.independent_legal_person": [_false(contractor__independent_legal_person=False)],
    "xiamen.contractor.professional_team": [
        _false(contractor__staff=swp.Staff(professional_team=False)),
    ],
    "xiamen.contractor.governance_capacity": [
        _false(contractor__governance=swp.Governance(bylaws=False)),
        _false(contractor__governance=swp.Governance(True, True, True, True, False)),
    ],
    "xiamen.contractor.org_type": [
        _false(contractor__legal_form=swp.LegalForm.ENTERPRISE, contractor__has_required_capacity=False),
        _false(contractor__legal_form=swp.LegalForm.PUBLIC_INSTITUTION, contractor__has_required_capacity=False),
    ],
    "xiamen.procedure.needs_cost_targets_budget": [
        _false(planning__needs_assessment=False), _false(planning__cost_accounting=False),
        _false(planning__targets_quantity=False), _false(planning__targets_effect=False),
    ],
}


@SETTINGS
@given(case=sst.cases(), on=sst.dates(min_value=ISSUED), data=st.data())
def test_a_declared_false_condition_never_passes(case: swp.Case, on: date, data: st.DataObject) -> None:
    rule_id = data.draw(st.sampled_from(sorted(_DECLARED_FALSE)))
    changed = data.draw(st.sampled_from(_DECLARED_FALSE[rule_id]))(case)
    if changed is None:
        return  # an absent part: the rule does not apply, nothing was declared
    rule = next(r for r in xm.RULES if r.rule_id == rule_id and r.in_force(on))
    assert rule.predicate is not None
    assert rule.predicate(changed, on).outcome is swp.Outcome.FAIL


_PARTS = {"purchaser", "contractor", "contract", "planning", "evaluations", "published", "attestations"}


@BROAD
@given(case=sst.cases(), attest=st.booleans(), on=sst.dates())
def test_an_absent_case_part_never_makes_the_verdict_ineligible(case: swp.Case, attest: bool, on: date) -> None:
    case = _with_attestations(case, attest)
    verdict = WITHOUT_NATIONAL.check(case, region="xiamen", on=on, national=False)
    for finding in verdict.failures:
        part = finding.path.removeprefix("$.").split(".")[0].split("[")[0]
        assert part in _PARTS, finding
        value = getattr(case, part)
        assert value is not None and value != (), f"{finding.rule_id} fails at {finding.path} on an absent part"
    assert WITHOUT_NATIONAL.check(swp.Case(), region="xiamen", on=on, national=False).decision is not (
        swp.Decision.INELIGIBLE)


# -- the evaluation index answers as the plain walk over the evaluations did -----------------------


def _reference_self_evaluation(case: swp.Case) -> tuple[int, str, str] | None:
    """The walk the predicates did before the index (issue 8), kept to compare with."""
    def same(name: str) -> str:
        return "".join(unicodedata.normalize("NFKC", name).split()).casefold()

    names: dict[str, str] = {}
    usccs: dict[str, str] = {}
    for party, role in ((case.contractor, "contractor"), (case.purchaser, "purchaser")):
        if party is not None:
            if same(party.name):
                names[same(party.name)] = role
            if party.uscc is not None:
                usccs[party.uscc] = role
    if case.contract is not None:
        for written, role in ((case.contract.contractor, "contractor"), (case.contract.purchaser, "purchaser")):
            if written is not None and same(written):
                names.setdefault(same(written), role)
    for i, e in enumerate(case.evaluations):
        if e.evaluator_role is not swp.EvaluatorRole.THIRD_PARTY:
            continue
        by_uscc = usccs.get(e.evaluator_uscc) if e.evaluator_uscc is not None else None
        if by_uscc is not None:
            return i, by_uscc, "evaluator_uscc"
        by_name = names.get(same(e.evaluator))
        if by_name is not None:
            return i, by_name, "evaluator"
    return None


@st.composite
def _cases_with_parties_evaluating(draw: st.DrawFn) -> swp.Case:
    """Cases whose evaluations are sometimes by the contract's own parties, under variant spellings."""
    case = draw(sst.cases())
    parties = [p for p in (case.contractor, case.purchaser) if p is not None]
    extra = []
    for _ in range(draw(st.integers(0, 4))):
        e = draw(sst.evaluations())
        if parties and draw(st.booleans()):
            party = draw(st.sampled_from(parties))
            if draw(st.booleans()) and party.uscc is not None:
                e = attrs.evolve(e, evaluator_uscc=party.uscc)
            else:
                e = attrs.evolve(e, evaluator=f" {party.name.upper()} ")
        extra.append(e)
    return attrs.evolve(case, evaluations=(*case.evaluations, *extra))


@BROAD
@given(case=_cases_with_parties_evaluating(), on=sst.dates(), data=st.data())
def test_the_evaluation_index_answers_as_the_walk_did(case: swp.Case, on: date, data: st.DataObject) -> None:
    from socialwork_procurement_xiamen import _predicates as p

    start = data.draw(st.dates())
    # Each prefix in turn, as the lifecycle appends: the index is extended from the previous one.
    for n in range(len(case.evaluations) + 1):
        prefix = attrs.evolve(case, evaluations=case.evaluations[:n])
        index = p._index(prefix.evaluations)
        assert p._self_evaluation(prefix, index) == _reference_self_evaluation(prefix)
        on_record = [e for e in prefix.evaluations if e.date <= on]
        assert index.roles_on_record(on) == {e.evaluator_role for e in on_record}
        for stage in swp.EvaluationStage:
            days = [e.date for e in prefix.evaluations if e.evaluator_role is swp.EvaluatorRole.THIRD_PARTY
                    and e.stage is stage and start <= e.date <= on]
            assert index.first_third_party(stage, start, on) == (min(days) if days else None)
