"""Property tests of Ningxia's own invariants, on the core's Hypothesis strategies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import cache

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from socialwork_procurement_ningxia import (
    DISCLOSURE_ITEMS,
    EFFECTIVE,
    FEEDBACK_USE,
    REGION,
    RULES,
    SPECIFIC_CONDITIONS,
    disclosure_schedule,
    evaluation_results_due,
    pack,
)

import socialwork_procurement as swp
from socialwork_procurement import declarable_values, schema_at
from socialwork_procurement.testing import strategies as sst

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

in_force_dates = sst.dates(min_value=EFFECTIVE)
"""Dates on which the Ningxia rules are in force (the strategies go up to 2030)."""


@cache
def registry() -> swp.Registry:
    return swp.load_registry(entrypoints=False, extra_packs=[("socialwork-procurement-ningxia", pack)])


def predicate(rule_id: str) -> swp.Predicate:
    p = registry().rule(rule_id).predicate
    assert p is not None
    return p


def outcome(rule_id: str, case: swp.Case, on: date) -> swp.Outcome:
    return predicate(rule_id)(case, on).outcome


_CONDITIONS = [SPECIFIC_CONDITIONS, FEEDBACK_USE, swp.NATIONAL_BY_ANALOGY]


@st.composite
def attested_cases(draw: st.DrawFn) -> swp.Case:
    """The core's generated cases, with some of the conditions Ningxia's rules accept attested (on any day)."""
    case = draw(sst.cases())
    conditions = draw(st.lists(st.sampled_from(_CONDITIONS), unique=True, max_size=3))
    return attrs.evolve(case, attestations=tuple(
        swp.Attestation(condition=c, attested_by="某证明人", basis="核查", date=draw(sst.dates())) for c in conditions
    ))


def _attested(case: swp.Case, condition: str, on: date) -> bool:
    return any(a.condition == condition and a.date <= on for a in case.attestations)


# -- the contractor whitelist ------------------------------------------------------------------


@SETTINGS
@given(contractor=sst.contractors(), form=st.sampled_from([swp.LegalForm.INDIVIDUAL, swp.LegalForm.ENTERPRISE]),
       on=in_force_dates)
def test_individuals_and_enterprises_are_never_refused_by_the_whitelist(
    contractor: swp.Contractor, form: swp.LegalForm, on: date
) -> None:
    # Whatever else is declared (no legal person, profit-making, budget-funded …): the type decides.
    c = attrs.evolve(contractor, legal_form=form)
    assert outcome("ningxia.contractor.eligible_types", swp.Case(contractor=c), on) is swp.Outcome.PASS


@SETTINGS
@given(contractor=sst.contractors(), on=in_force_dates)
def test_rural_collectives_pass_the_whitelist(contractor: swp.Contractor, on: date) -> None:
    c = attrs.evolve(contractor, legal_form=swp.LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION)
    result = predicate("ningxia.contractor.eligible_types")(swp.Case(contractor=c), on)
    assert result.outcome is swp.Outcome.PASS
    # A USCC that does not start with N is reported, never silently accepted.
    flagged = result.detail_en is not None and "does not start with 'N'" in result.detail_en
    assert flagged == (c.uscc is not None and not c.uscc.startswith("N"))


@SETTINGS
@given(contractor=sst.contractors(), on=in_force_dates)
def test_category_1_institutions_never_contract(contractor: swp.Contractor, on: date) -> None:
    c = attrs.evolve(contractor, legal_form=swp.LegalForm.PUBLIC_INSTITUTION,
                     public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1)
    assert outcome("ningxia.contractor.eligible_types", swp.Case(contractor=c), on) is swp.Outcome.FAIL


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(contractor=sst.contractors())
def test_an_individual_passes_in_ningxia_but_fails_xiamens_legal_person_rule(contractor: swp.Contractor) -> None:
    pytest.importorskip(
        "socialwork_procurement_xiamen",
        reason="the Xiamen pack (socialwork-procurement-xiamen) is not installed",
    )
    # A natural person is not a legal person: say so, as an app would.
    person = attrs.evolve(contractor, legal_form=swp.LegalForm.INDIVIDUAL, independent_legal_person=False)
    case = swp.Case(contractor=person)
    full = swp.load_registry()
    ningxia = full.check(case, region="ningxia", on=date(2024, 3, 1))
    assert {f.rule_id: f.outcome for f in ningxia.findings}["ningxia.contractor.eligible_types"] is swp.Outcome.PASS
    xiamen = full.check(case, region="xiamen", on=date(2015, 3, 1))
    found = {f.rule_id: f.outcome for f in xiamen.findings}
    assert found.get("xiamen.contractor.independent_legal_person") is swp.Outcome.FAIL


@SETTINGS
@given(case=attested_cases(), on=in_force_dates)
def test_a_contractor_is_eligible_only_with_its_conditions_attested(case: swp.Case, on: date) -> None:
    # The contractor conditions exist but are not in the source: attested, failed on a declared false, else unknown.
    verdict = registry().check(case, region="ningxia", on=on)
    findings = {f.rule_id: f for f in verdict.findings}
    conditions = findings["ningxia.contractor.specific_conditions"]
    c = case.contractor
    if c is None:
        assert conditions.outcome is swp.Outcome.NOT_APPLICABLE
    elif c.lawfully_registered is False and c.legal_form is not swp.LegalForm.INDIVIDUAL:
        assert conditions.outcome is swp.Outcome.FAIL and conditions.declared_false
        assert verdict.decision is swp.Decision.INELIGIBLE
    elif _attested(case, SPECIFIC_CONDITIONS, on):
        assert conditions.outcome is swp.Outcome.PASS and conditions.attestation is not None
        assert conditions in verdict.attested
    else:
        assert conditions.outcome is swp.Outcome.UNKNOWN
        assert verdict.decision is not swp.Decision.ELIGIBLE


# -- the purchaser -------------------------------------------------------------------------------


@SETTINGS
@given(purchaser=sst.purchasers(), case=sst.cases(), on=in_force_dates)
def test_category_1_institutions_always_fail_as_purchaser(
    purchaser: swp.Purchaser, case: swp.Case, on: date
) -> None:
    p = attrs.evolve(purchaser, kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                     public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1)
    c = attrs.evolve(case, purchaser=p)
    assert outcome("ningxia.purchaser.excluded_types", c, on) is swp.Outcome.FAIL
    assert registry().check(c, region="ningxia", on=on).decision is swp.Decision.INELIGIBLE
    assert registry().check(c, region="ningxia", on=on, national=False).decision is swp.Decision.INELIGIBLE


_STATE_ORGANS = frozenset({
    swp.PurchaserKind.PEOPLES_GOVERNMENT, swp.PurchaserKind.STREET_OFFICE, swp.PurchaserKind.GOVERNMENT_ORGAN,
    swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT, swp.PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY,
})


@SETTINGS
@given(purchaser=sst.purchasers(), on=in_force_dates)
def test_governments_and_state_organs_pass_governments(purchaser: swp.Purchaser, on: date) -> None:
    # Read with the decree's art. 5 (RULES.md A.8); anything else passes only on an attestation (none here).
    result = outcome("ningxia.purchaser.governments", swp.Case(purchaser=purchaser), on)
    assert (result is swp.Outcome.PASS) == (purchaser.kind in _STATE_ORGANS)


@SETTINGS
@given(purchaser=sst.purchasers(), on=in_force_dates)
def test_by_analogy_passes_exactly_when_attested(purchaser: swp.Purchaser, on: date) -> None:
    attestation = swp.Attestation(condition=swp.NATIONAL_BY_ANALOGY, attested_by="某局", basis="核查", date=on)
    plain = predicate("ningxia.purchaser.governments")(swp.Case(purchaser=purchaser), on)
    attested = predicate("ningxia.purchaser.governments")(swp.Case(purchaser=purchaser, attestations=(attestation,)), on)
    if plain.outcome is swp.Outcome.UNKNOWN and [f.path for f in plain.deciding] == ["$.attestations"]:
        assert attested.outcome is swp.Outcome.PASS and attested.attestation == attestation
    else:
        assert attested == plain


# -- contract, disclosure, procedure ---------------------------------------------------------------


@SETTINGS
@given(contract=sst.contracts(), on=in_force_dates)
def test_an_unwritten_contract_always_fails(contract: swp.Contract, on: date) -> None:
    k = attrs.evolve(contract, written=False)
    assert outcome("ningxia.contract.written_required_terms", swp.Case(contract=k), on) is swp.Outcome.FAIL


@SETTINGS
@given(contract=sst.contracts(), on=in_force_dates)
def test_lawful_procurement_passes_exactly_when_a_named_method_is_stated(contract: swp.Contract, on: date) -> None:
    result = outcome("ningxia.procedure.lawful_procurement", swp.Case(contract=contract), on)
    named = contract.procurement_method not in (None, swp.ProcurementMethod.OTHER)
    assert result is (swp.Outcome.PASS if named else swp.Outcome.UNKNOWN)


@SETTINGS
@given(
    case=sst.cases(),
    published=st.none() | st.frozensets(st.sampled_from(swp.DisclosureItem)),
    on=in_force_dates,
)
def test_disclosure_rule_agrees_with_the_schedule(
    case: swp.Case, published: frozenset[swp.DisclosureItem] | None, on: date
) -> None:
    case = attrs.evolve(case, published=published)
    result = predicate("ningxia.disclosure.items")(case, on)
    schedule = disclosure_schedule(case, on)
    assert [d.item for d in schedule] == list(DISCLOSURE_ITEMS)
    # An absent part makes its items not applicable; what the part holds decides the rest.
    parts = {
        swp.DisclosureItem.PROJECT_CONTENT: case.planning, swp.DisclosureItem.BUDGET: case.planning,
        swp.DisclosureItem.PURCHASE_PROCEDURE: case.contract, swp.DisclosureItem.SERVICE_STANDARDS: case.contract,
        swp.DisclosureItem.SERVICE_REQUIREMENTS: case.contract, swp.DisclosureItem.SERVICE_CONTENT: case.contract,
        swp.DisclosureItem.EVALUATION_STANDARDS: case.evaluations or None,
        swp.DisclosureItem.EVALUATION_RESULTS: case.evaluations or None,
    }
    for d in schedule:
        assert d.applicable == (parts[d.item] is not None)
        if not d.applicable:
            assert d.due is False
    by_item = {d.item: d for d in schedule}
    results = by_item[swp.DisclosureItem.EVALUATION_RESULTS]
    assert (results.applicable and results.due) == evaluation_results_due(case.evaluations, on)
    outstanding = [d for d in schedule if d.due is not False]
    if not outstanding:
        assert result.outcome is swp.Outcome.NOT_APPLICABLE
        return
    # Never a failure: «及时» sets no deadline.
    assert result.outcome is not swp.Outcome.FAIL
    unpublished = [d.item.value for d in outstanding if published is None or d.item not in published]
    if not unpublished:
        assert result.outcome is swp.Outcome.PASS
    else:
        assert result.outcome is swp.Outcome.UNKNOWN
        assert result.deciding[0].path == "$.published"
        assert list(result.deciding[0].values) == unpublished


# -- the engine's view ---------------------------------------------------------------------------


class _SoftFlipped:
    """Ningxia with every soft rule's predicate replaced: the decision must not move."""

    def __init__(self, outcome: swp.Outcome) -> None:
        self._outcome = outcome

    def _flip(self, rule: swp.Rule) -> swp.Rule:
        if rule.strength is not swp.Strength.SOFT or rule.predicate is None:
            return rule
        fixed = swp.RuleResult(self._outcome, "$")

        def always(case: swp.Case, on: date) -> swp.RuleResult:
            return fixed

        return attrs.evolve(rule, predicate=always)

    @swp.hookimpl
    def swp_regions(self) -> Sequence[swp.Region]:
        return [REGION]

    @swp.hookimpl
    def swp_rules(self) -> Sequence[swp.Rule]:
        return [self._flip(r) for r in RULES]


@cache
def flipped(outcome: swp.Outcome) -> swp.Registry:
    return swp.load_registry(entrypoints=False, extra_packs=[(f"ningxia-soft-{outcome.value}", _SoftFlipped(outcome))])


@SETTINGS
@given(case=attested_cases(), on=sst.dates(), national=st.booleans())
def test_decisions_never_depend_on_soft_findings(case: swp.Case, on: date, national: bool) -> None:
    assert any(r.strength is swp.Strength.SOFT and r.predicate is not None for r in RULES)
    decision = registry().check(case, region="ningxia", on=on, national=national).decision
    for forced in swp.Outcome:
        other = flipped(forced).check(case, region="ningxia", on=on, national=national).decision
        assert other is decision


@SETTINGS
@given(case=sst.cases(), on=sst.dates())
def test_results_depend_only_on_case_and_date(case: swp.Case, on: date) -> None:
    rebuilt = swp.structure(swp.unstructure(case), swp.Case)
    for rule in RULES:
        if rule.predicate is None:
            continue
        assert rule.predicate(case, on) == rule.predicate(rebuilt, on) == rule.predicate(case, on)


@SETTINGS
@given(case=sst.cases(), on=sst.dates(max_value=date(2023, 5, 5)))
def test_no_ningxia_finding_before_the_inferred_date(case: swp.Case, on: date) -> None:
    verdict = registry().check(case, region="ningxia", on=on)
    assert all(f.rule.region == "national" for f in verdict.findings)


# -- issue 8: declared facts, absent parts, deciding facts ------------------------------------------


@SETTINGS
@given(case=attested_cases(), on=in_force_dates, which=st.sampled_from(["lawfully_registered", "written", "target"]))
def test_a_declared_false_condition_never_passes(case: swp.Case, on: date, which: str) -> None:
    # A condition a rule states, declared false, fails that rule (never a conflict between layers).
    if which == "lawfully_registered":
        if case.contractor is None or case.contractor.legal_form is swp.LegalForm.INDIVIDUAL:
            return  # an absent part, or a person (who is not «established»)
        case = attrs.evolve(case, contractor=attrs.evolve(case.contractor, lawfully_registered=False))
        rule_id = "ningxia.contractor.specific_conditions"
    elif which == "written":
        if case.contract is None:
            return
        case = attrs.evolve(case, contract=attrs.evolve(case.contract, written=False))
        rule_id = "ningxia.contract.written_required_terms"
    else:
        if case.planning is None:
            return
        case = attrs.evolve(case, planning=attrs.evolve(case.planning, targets_effect=False))
        rule_id = "ningxia.procedure.targets_and_annual_budget"
    result = predicate(rule_id)(case, on)
    assert result.outcome is swp.Outcome.FAIL and result.declared_false, (rule_id, result)
    verdict = registry().check(case, region="ningxia", on=on)
    assert verdict.decision is swp.Decision.INELIGIBLE
    assert not [c for c in verdict.conflicts if rule_id in (c.regional.rule_id, c.national.rule_id)]


_PARTS = ("purchaser", "contractor", "contract", "planning", "evaluations", "published", "attestations")


@SETTINGS
@given(case=attested_cases(), on=sst.dates(), national=st.booleans())
def test_an_absent_case_part_never_makes_a_verdict_ineligible(case: swp.Case, on: date, national: bool) -> None:
    verdict = registry().check(case, region="ningxia", on=on, national=national)
    for finding in verdict.failures:
        part = finding.path.removeprefix("$.").split(".")[0].split("[")[0]
        value = getattr(case, part) if part in _PARTS else None
        assert value is not None and value != (), f"{finding.rule_id} fails at {finding.path} on an absent part"
    assert registry().check(swp.Case(), region="ningxia", on=on, national=national).decision \
        is not swp.Decision.INELIGIBLE


@SETTINGS
@given(case=attested_cases(), on=in_force_dates)
def test_every_unknown_names_deciding_facts_of_the_case_schema(case: swp.Case, on: date) -> None:
    for rule in RULES:
        if rule.predicate is None:
            continue
        result = rule.predicate(case, on)
        if result.outcome is not swp.Outcome.UNKNOWN:
            assert result.deciding == (), rule.rule_id
            continue
        assert result.deciding, f"{rule.rule_id} is unknown without a deciding fact"
        for fact in result.deciding:
            assert schema_at(fact.path) is not None, f"{rule.rule_id}: {fact.path} is not in the case schema"
            assert fact.note_en and fact.note_zh, f"{rule.rule_id}: {fact.path} has no note"
            allowed = declarable_values(fact.path)
            if fact.path == "$.attestations":
                assert fact.values and all(isinstance(v, str) for v in fact.values)
            elif allowed:
                assert fact.values and set(fact.values) <= set(allowed), (rule.rule_id, fact)
