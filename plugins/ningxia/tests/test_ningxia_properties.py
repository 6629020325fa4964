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
    REGION,
    RULES,
    disclosure_status,
    evaluation_results_due,
    pack,
)

import socialwork_procurement as swp
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
@given(case=sst.cases(), on=in_force_dates)
def test_no_case_with_a_contractor_is_eligible(case: swp.Case, on: date) -> None:
    # The contractor conditions exist but are not in the source: always unknown, never eligible.
    verdict = registry().check(case, region="ningxia", on=on)
    findings = {f.rule_id: f.outcome for f in verdict.findings}
    if case.contractor is None:
        assert findings["ningxia.contractor.specific_conditions"] is swp.Outcome.NOT_APPLICABLE
    else:
        assert findings["ningxia.contractor.specific_conditions"] is swp.Outcome.UNKNOWN
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


@SETTINGS
@given(purchaser=sst.purchasers(), on=in_force_dates)
def test_only_a_peoples_government_passes_governments(purchaser: swp.Purchaser, on: date) -> None:
    result = outcome("ningxia.purchaser.governments", swp.Case(purchaser=purchaser), on)
    assert (result is swp.Outcome.PASS) == (purchaser.kind is swp.PurchaserKind.PEOPLES_GOVERNMENT)


# -- contract, disclosure, procedure ---------------------------------------------------------------


@SETTINGS
@given(contract=sst.contracts(), on=in_force_dates)
def test_an_unwritten_contract_always_fails(contract: swp.Contract, on: date) -> None:
    k = attrs.evolve(contract, written=False)
    assert outcome("ningxia.contract.written_required_terms", swp.Case(contract=k), on) is swp.Outcome.FAIL


@SETTINGS
@given(contract=sst.contracts(), on=in_force_dates)
def test_lawful_procurement_passes_exactly_when_a_method_is_stated(contract: swp.Contract, on: date) -> None:
    result = outcome("ningxia.procedure.lawful_procurement", swp.Case(contract=contract), on)
    assert result is (swp.Outcome.UNKNOWN if contract.procurement_method is None else swp.Outcome.PASS)


@SETTINGS
@given(
    published=st.none() | st.frozensets(st.sampled_from(swp.DisclosureItem)),
    evaluations=st.lists(sst.evaluations(), max_size=3),
    on=in_force_dates,
)
def test_disclosure_rule_agrees_with_disclosure_status(
    published: frozenset[swp.DisclosureItem] | None, evaluations: list[swp.Evaluation], on: date
) -> None:
    case = swp.Case(published=published, evaluations=tuple(evaluations))
    result = predicate("ningxia.disclosure.items")(case, on)
    results_due = evaluation_results_due(case.evaluations, on)
    assert results_due == any(e.result is not None and e.date <= on for e in evaluations)
    status = disclosure_status(published, results_due=results_due)
    expected_keys = [i for i in DISCLOSURE_ITEMS if results_due or i is not swp.DisclosureItem.EVALUATION_RESULTS]
    assert list(status) == expected_keys
    detail = result.detail_en or ""
    assert ("evaluation_results not yet due" in detail) == (not results_due)
    if published is None:
        assert result.outcome is swp.Outcome.UNKNOWN
        assert all(v is None for v in status.values())
    elif all(status.values()):
        assert result.outcome is swp.Outcome.PASS
    else:
        assert result.outcome is swp.Outcome.FAIL
        listed = detail.split(";")[0]
        for item, done in status.items():
            assert (item.value in listed) == (not done)


@SETTINGS
@given(evaluations=st.lists(sst.evaluations(), max_size=3), on=in_force_dates)
def test_results_are_never_due_without_an_evaluation_result_on_record(
    evaluations: list[swp.Evaluation], on: date
) -> None:
    # Everything but the results published: the rule fails exactly when a result is on record by `on`.
    seven = frozenset(DISCLOSURE_ITEMS) - {swp.DisclosureItem.EVALUATION_RESULTS}
    case = swp.Case(published=seven, evaluations=tuple(evaluations))
    on_record = [e for e in evaluations if e.result is not None and e.date <= on]
    expected = swp.Outcome.FAIL if on_record else swp.Outcome.PASS
    assert outcome("ningxia.disclosure.items", case, on) is expected


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
@given(case=sst.cases(), on=sst.dates(), national=st.booleans())
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
