"""Property tests of Henan's own invariants, on the core's shared strategies."""

from __future__ import annotations

from datetime import date

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st
from socialwork_procurement_henan import RULES

import socialwork_procurement as swp
from socialwork_procurement import Attestation
from socialwork_procurement.model._schema import declarable_values, schema_at
from socialwork_procurement.testing import strategies as sst

REGISTRY = swp.load_registry()
REGISTRY_NO_NATIONAL = swp.load_registry(national=False)
PRIORITY_3A = "henan2013.contractor.priority_grade_3a"
ORG_TYPE = "henan2013.contractor.registered_org_type"
OPEN_TENDER = "henan2013.procedure.open_tender_in_principle"
ALL_CONDITIONS = "henan2013.contractor.all_conditions_conjunctive"
PROFESSIONAL_TEAM = "henan2013.contractor.professional_team"
ACCEPTANCE = "henan2013.evaluation.final_acceptance"
CONDITIONS = (
    "henan2013.contractor.independent_legal_person",
    ORG_TYPE,
    "henan2013.contractor.public_welfare_nonprofit",
    "henan2013.contractor.professional_team",
)
PROPS = settings(max_examples=200, deadline=None, database=None)
HENAN_DATES = sst.dates(min_value=date(2013, 10, 22))


def _findings(verdict: swp.Verdict) -> dict[str, swp.Outcome]:
    return {f.rule_id: f.outcome for f in verdict.findings}


def _decide(findings: tuple[swp.Finding, ...], conflicts: tuple[swp.Conflict, ...]) -> swp.Decision:
    """The decision from the given findings alone (the core's rule)."""
    return swp.decide(findings, conflicts)


@PROPS
@given(case=sst.cases(), on=HENAN_DATES, grade=st.sampled_from(swp.EvaluationGrade), national=st.booleans())
def test_henan_3a_priority_never_changes_the_decision(
    case: swp.Case, on: date, grade: swp.EvaluationGrade, national: bool
) -> None:
    registry = REGISTRY if national else REGISTRY_NO_NATIONAL
    verdict = registry.check(case, region="henan", on=on, national=national)
    soft_removed = tuple(f for f in verdict.findings if f.rule.strength.gates)
    assert _decide(soft_removed, verdict.conflicts) is verdict.decision
    if case.contractor is None:
        return
    # Whatever grade (and award date) the contractor holds, the decision is the same.
    regraded = attrs.evolve(case, contractor=attrs.evolve(case.contractor, evaluation_grade=grade, grade_awarded_on=on))
    ungraded = attrs.evolve(
        case, contractor=attrs.evolve(case.contractor, evaluation_grade=None, grade_awarded_on=None)
    )
    decisions = {
        registry.check(c, region="henan", on=on, national=national).decision for c in (case, regraded, ungraded)
    }
    assert len(decisions) == 1
    priority = _findings(registry.check(regraded, region="henan", on=on, national=national))[PRIORITY_3A]
    assert priority is (swp.Outcome.PASS if grade.stars >= 3 else swp.Outcome.FAIL)


@PROPS
@given(
    contractor=sst.contractors(),
    grade=st.sampled_from([swp.EvaluationGrade.A3, swp.EvaluationGrade.A4, swp.EvaluationGrade.A5]),
    awarded=sst.dates(max_value=date(2025, 12, 31)),
    extra_days=st.integers(min_value=0, max_value=3000),
)
def test_henan_grade_older_than_five_years_never_gives_priority(
    contractor: swp.Contractor, grade: swp.EvaluationGrade, awarded: date, extra_days: int
) -> None:
    graded = attrs.evolve(contractor, evaluation_grade=grade, grade_awarded_on=awarded)
    # The first day after the five-year term (29 February's term ends on 28 February).
    feb29 = (awarded.month, awarded.day) == (2, 29)
    expiry = date(awarded.year + 5, 3, 1) if feb29 else date(awarded.year + 5, awarded.month, awarded.day)
    on = date.fromordinal(expiry.toordinal() + extra_days)
    assert not swp.grade_valid_on(awarded, on)
    verdict = REGISTRY.check(swp.Case(contractor=graded), region="henan", on=max(on, date(2013, 10, 22)))
    assert _findings(verdict)[PRIORITY_3A] is not swp.Outcome.PASS
    assert PRIORITY_3A not in {f.rule_id for f in verdict.priorities}


@PROPS
@given(
    contractor=sst.contractors(),
    form=st.sampled_from([swp.LegalForm.ENTERPRISE, swp.LegalForm.INDIVIDUAL]),
    on=HENAN_DATES,
)
def test_henan_enterprise_or_individual_fails_registered_org_type(
    contractor: swp.Contractor, form: swp.LegalForm, on: date
) -> None:
    case = swp.Case(contractor=attrs.evolve(contractor, legal_form=form, uscc=None))
    verdict = REGISTRY.check(case, region="henan", on=on)
    findings = _findings(verdict)
    assert findings[ORG_TYPE] is swp.Outcome.FAIL
    # The conjunction reports no failure of its own: it points at the conditions that fail.
    assert findings[ALL_CONDITIONS] is swp.Outcome.NOT_APPLICABLE
    assert verdict.decision is swp.Decision.INELIGIBLE


@PROPS
@given(case=sst.cases(), contract=sst.contracts(), on=HENAN_DATES)
def test_henan_open_tender_always_passes_the_procurement_rule(case: swp.Case, contract: swp.Contract, on: date) -> None:
    tendered = attrs.evolve(case, contract=attrs.evolve(contract, procurement_method=swp.ProcurementMethod.OPEN_TENDER))
    assert _findings(REGISTRY.check(tendered, region="henan", on=on))[OPEN_TENDER] is swp.Outcome.PASS


@PROPS
@given(case=sst.cases(), on=HENAN_DATES)
def test_henan_conjunctive_rule_agrees_with_its_conditions(case: swp.Case, on: date) -> None:
    verdict = REGISTRY.check(case, region="henan", on=on)
    findings = {f.rule_id: f for f in verdict.findings}
    parts = {rule_id: findings[rule_id].outcome for rule_id in CONDITIONS}
    whole = findings[ALL_CONDITIONS]
    # Never a second failure or unknown: each condition reports itself once.
    assert whole.outcome in (swp.Outcome.PASS, swp.Outcome.NOT_APPLICABLE)
    if case.contractor is not None and all(p is swp.Outcome.PASS for p in parts.values()):
        assert whole.outcome is swp.Outcome.PASS
    elif case.contractor is not None:
        # It points at the conditions that fail (or, when none fails, at those still undecided).
        failing = [r for r, o in parts.items() if o is swp.Outcome.FAIL]
        pointed = failing or [r for r, o in parts.items() if o is not swp.Outcome.PASS]
        assert whole.detail_en is not None
        assert all(rule_id in whole.detail_en for rule_id in pointed)
        assert whole.path == findings[pointed[0]].path
    failures = [f.rule_id for f in verdict.failures]
    assert len(failures) == len(set(failures))


_DECLARED_CONDITIONS = (
    ("independent_legal_person", "henan2013.contractor.independent_legal_person"),
    ("lawfully_registered", ORG_TYPE),
    ("public_welfare", "henan2013.contractor.public_welfare_nonprofit"),
    ("non_profit", "henan2013.contractor.public_welfare_nonprofit"),
    ("staff.professional_team", PROFESSIONAL_TEAM),
    ("staff.mainly_social_work_professionals", PROFESSIONAL_TEAM),
)


def _attested_cases() -> st.SearchStrategy[swp.Case]:
    """The core's generated cases, with Henan's attestable conditions sometimes attested (on any day)."""
    conditions = st.lists(st.sampled_from([PROFESSIONAL_TEAM, OPEN_TENDER]), unique=True, max_size=2)

    @st.composite
    def build(draw: st.DrawFn) -> swp.Case:
        case = draw(sst.cases())
        days = st.dates(min_value=date(2013, 1, 1), max_value=date(2030, 12, 31))
        attestations = tuple(
            Attestation(condition=c, attested_by="某证明人", basis="核查", date=draw(days)) for c in draw(conditions)
        )
        return attrs.evolve(case, attestations=attestations)

    return build()


@PROPS
@given(case=_attested_cases(), on=HENAN_DATES, which=st.sampled_from(_DECLARED_CONDITIONS))
def test_henan_a_declared_false_condition_never_passes(
    case: swp.Case, on: date, which: tuple[str, str]
) -> None:
    field, rule_id = which
    c = case.contractor
    if c is None or c.legal_form not in (
        swp.LegalForm.SOCIAL_GROUP, swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, swp.LegalForm.FOUNDATION
    ):
        return  # another form fails on the form itself; the declared fact is not what decides
    if field.startswith("staff."):
        staff = c.staff or swp.Staff()
        c = attrs.evolve(c, staff=attrs.evolve(staff, **{field.removeprefix("staff."): False}))
    else:
        c = attrs.evolve(c, **{field: False})
    verdict = REGISTRY.check(attrs.evolve(case, contractor=c), region="henan", on=on)
    finding = next(f for f in verdict.findings if f.rule_id == rule_id)
    assert finding.outcome is swp.Outcome.FAIL and finding.declared_false, (rule_id, finding)
    assert verdict.decision is swp.Decision.INELIGIBLE


@PROPS
@given(case=_attested_cases(), on=sst.dates())
def test_henan_every_unknown_names_deciding_facts_in_the_schema(case: swp.Case, on: date) -> None:
    for finding in REGISTRY.check(case, region="henan", on=on).findings:
        if finding.rule.region != "henan" or finding.outcome is not swp.Outcome.UNKNOWN:
            continue
        assert finding.deciding, finding.rule_id
        for fact in finding.deciding:
            assert schema_at(fact.path) is not None, (finding.rule_id, fact.path)
            allowed = declarable_values(fact.path)
            if allowed:
                assert fact.values and set(fact.values) <= set(allowed), (finding.rule_id, fact)
            else:
                # No values to list (an attestation, a date, a whole part): a note says what decides.
                assert fact.values or (fact.note_en and fact.note_zh), (finding.rule_id, fact)


@PROPS
@given(case=_attested_cases(), on=HENAN_DATES)
def test_henan_final_acceptance_never_passes_without_a_passed_final_evaluation(case: swp.Case, on: date) -> None:
    outcome = _findings(REGISTRY.check(case, region="henan", on=on)).get(ACCEPTANCE)
    passed_finals = [
        e for e in case.evaluations
        if e.stage is swp.EvaluationStage.FINAL and e.date <= on and e.result is not None and e.result.passed
    ]
    if outcome is swp.Outcome.PASS:
        assert passed_finals
    assert outcome is not swp.Outcome.FAIL  # the source sets no deadline


@PROPS
@given(case=_attested_cases(), contract=sst.contracts(), on=HENAN_DATES)
def test_henan_a_departure_from_open_tender_never_passes_unattested(
    case: swp.Case, contract: swp.Contract, on: date
) -> None:
    if contract.procurement_method in (None, swp.ProcurementMethod.OPEN_TENDER):
        return
    case = attrs.evolve(case, contract=contract)
    finding = next(f for f in REGISTRY.check(case, region="henan", on=on).findings if f.rule_id == OPEN_TENDER)
    if finding.outcome is swp.Outcome.PASS:
        assert finding.attestation is not None and finding.attestation.condition == OPEN_TENDER
        assert finding.attestation.date <= on


@PROPS
@given(case=_attested_cases(), on=sst.dates())
def test_henan_programme_rules_never_give_a_finding(case: swp.Case, on: date) -> None:
    programme = {r.rule_id for r in RULES if r.subject is swp.Subject.PROGRAMME}
    assert {"henan2022.station.six_haves", "henan2022.evaluation.results_basis_for_selection"} <= programme
    assert not programme & {f.rule_id for f in REGISTRY.check(case, region="henan", on=on).findings}


@PROPS
@given(case=sst.cases(), on=HENAN_DATES)
def test_henan_professional_team_ignores_head_counts(case: swp.Case, on: date) -> None:
    c = case.contractor
    if c is None or c.staff is None:
        return
    recounted = attrs.evolve(
        case, contractor=attrs.evolve(c, staff=attrs.evolve(c.staff, full_time=1, social_work_professionals=0))
    )
    rule_id = "henan2013.contractor.professional_team"
    assert (
        _findings(REGISTRY.check(case, region="henan", on=on))[rule_id]
        is _findings(REGISTRY.check(recounted, region="henan", on=on))[rule_id]
    )


@PROPS
@given(case=sst.cases(), on=sst.dates())
def test_henan_verdict_depends_only_on_case_and_date(case: swp.Case, on: date) -> None:
    first = REGISTRY.check(case, region="henan", on=on)
    again = REGISTRY.check(swp.structure(swp.unstructure(case), swp.Case), region="henan", on=on)
    assert first.decision is again.decision
    assert [(f.rule_id, f.outcome, f.path, f.detail_en) for f in first.findings] == [
        (f.rule_id, f.outcome, f.path, f.detail_en) for f in again.findings
    ]


@PROPS
@given(case=sst.cases(), on=sst.dates(max_value=date(2022, 2, 28)))
def test_henan_2022_rules_are_absent_before_the_plan(case: swp.Case, on: date) -> None:
    ids = {f.rule_id for f in REGISTRY.check(case, region="henan", on=on).findings}
    assert not [i for i in ids if i.startswith("henan2022.")]
    if on < date(2013, 10, 22):
        assert not [i for i in ids if i.startswith("henan")]


@PROPS
@given(purchaser=sst.purchasers(), on=sst.dates(min_value=date(2020, 3, 1)))
def test_henan_purchaser_conflicts_only_name_the_2013_rule(purchaser: swp.Purchaser, on: date) -> None:
    verdict = REGISTRY.check(swp.Case(purchaser=purchaser), region="henan", on=on)
    findings = _findings(verdict)
    for conflict in verdict.conflicts:
        assert conflict.regional.rule_id == "henan2013.purchaser.eligible_bodies"
        assert conflict.national.rule.region == "national"
    if findings["henan2013.purchaser.eligible_bodies"] is swp.Outcome.PASS and (
        findings["national.purchaser.state_organs"] is swp.Outcome.FAIL
    ):
        assert verdict.conflicts and verdict.decision is swp.Decision.UNDETERMINED
