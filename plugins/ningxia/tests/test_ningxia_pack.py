"""The Ningxia pack: installed through its entry point, complete, conforming, and its predicates."""

from __future__ import annotations

import importlib.metadata
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import attrs
import pytest
from socialwork_procurement_ningxia import (
    DISCLOSURE_ITEMS,
    EFFECTIVE,
    FEEDBACK_USE,
    REQUIRED_CONTRACT_TERMS,
    RULES,
    SOURCE,
    SPECIFIC_CONDITIONS,
    SUBJECT_MATTER_TERMS,
    DisclosureDue,
    disclosure_schedule,
    disclosure_status,
    evaluation_results_due,
    pack,
)
from socialwork_procurement_ningxia._predicates import disclosure_items_result

import socialwork_procurement as swp
from socialwork_procurement.testing import SEEDS_MISSING, assert_pack_conforms, assert_quotes_verbatim, seeds_dir

ON = date(2024, 3, 1)
SEED = "004_0945842d0c95d02d.txt"

# Copied from shared/domain/RULES.md A.4: id -> (kind, strength as the catalogue states it).
CATALOGUE = {
    "ningxia.meta.six_norms": ("info", "info"),
    "ningxia.purchaser.governments": ("purchaser_eligibility", "hard"),
    "ningxia.purchaser.excluded_types": ("purchaser_eligibility", "hard"),
    "ningxia.contractor.eligible_types": ("contractor_eligibility", "hard"),
    "ningxia.contractor.specific_conditions": ("contractor_eligibility", "unknown – do not implement values"),
    "ningxia.scope.five_fields": ("scope", "hard"),
    "ningxia.scope.priority_groups": ("scope", "soft"),
    "ningxia.procedure.targets_and_annual_budget": ("procedure", "hard"),
    "ningxia.procedure.lawful_procurement": ("procedure", "hard"),
    "ningxia.contract.written_required_terms": ("contract_terms", "hard"),
    "ningxia.disclosure.items": ("disclosure", "hard"),
    "ningxia.evaluation.feedback_use": ("evaluation", "soft"),
    "ningxia.station.roles": ("info", "info"),
}
_STRENGTH = {"hard": swp.Strength.HARD, "soft": swp.Strength.SOFT, "info": swp.Strength.INFO,
             "unknown – do not implement values": swp.Strength.HARD}

SILENT_TOPICS = {"evaluation_fee", "evaluation_grade", "procurement_method", "contract_length",
                 "contractor_condition_values", "procurement_thresholds"}


@cache
def registry() -> swp.Registry:
    return swp.load_registry()


def rule(rule_id: str) -> swp.Rule:
    return registry().rule(rule_id)


def outcome(rule_id: str, case: swp.Case, on: date = ON) -> swp.RuleResult:
    predicate = rule(rule_id).predicate
    assert predicate is not None
    return predicate(case, on)


SEEDS = seeds_dir(Path(__file__).parent)


# -- installation -------------------------------------------------------------------------------


def test_entry_point_is_installed() -> None:
    eps = [ep for ep in importlib.metadata.entry_points(group=swp.ENTRY_POINT_GROUP) if ep.name == "ningxia"]
    assert len(eps) == 1
    ep = eps[0]
    assert ep.value == "socialwork_procurement_ningxia:pack"
    assert ep.dist is not None and ep.dist.name == "socialwork-procurement-ningxia"
    assert ep.load() is pack


def test_registry_lists_ningxia_without_problems() -> None:
    reg = registry()
    assert "ningxia" in [r.code for r in reg.regions()]
    assert not [p for p in reg.problems if "ningxia" in p]
    assert reg.region_pack("ningxia") == "socialwork-procurement-ningxia"
    assert reg.layers("ningxia") == ("national", "ningxia")
    region = reg.region("ningxia")
    assert region.parent == "national"
    assert region.sources == (SOURCE,)


def test_conforms() -> None:
    assert_pack_conforms(registry(), region="ningxia")


# -- completeness and records --------------------------------------------------------------------


def test_every_catalogue_rule_is_present_with_its_kind_and_strength() -> None:
    rules = {r.rule_id: r for r in registry().rules("ningxia")}
    assert set(rules) == set(CATALOGUE)
    for rule_id, (kind, strength) in CATALOGUE.items():
        r = rules[rule_id]
        assert r.region == "ningxia"
        assert r.kind.value == kind, rule_id
        assert r.strength is _STRENGTH[strength], rule_id


def test_data_rules_carry_no_predicate_and_checked_rules_do() -> None:
    for r in RULES:
        is_data = r.kind in (swp.RuleKind.INFO, swp.RuleKind.SCOPE)
        assert (r.predicate is None) == is_data, r.rule_id
        assert r.fee is None


def test_dates_are_the_inferred_2023_05_06() -> None:
    for r in RULES:
        assert r.effective_from == date(2023, 5, 6) == EFFECTIVE
        assert r.effective_to is None
        assert r.dates_note is not None and "inferred" in r.dates_note
        assert r.citation.source == SOURCE
    assert SOURCE.file == SEED
    assert SOURCE.number is None
    assert SOURCE.date is None
    assert SOURCE.date_note is not None and "2023" in SOURCE.date_note and "inferred" in SOURCE.date_note


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_quotes_are_verbatim_in_the_seed() -> None:
    assert SEEDS is not None
    assert assert_quotes_verbatim(pack, SEEDS) == len(RULES)


def test_silences() -> None:
    silences = registry().silences("ningxia")
    assert {s.topic for s in silences} == SILENT_TOPICS
    for s in silences:
        assert s.sources == (SEED,)
        assert s.in_force(ON)


def test_no_evaluation_fee() -> None:
    answer = registry().evaluation_fee(region="ningxia", base_amount=Decimal("500000.00"), on=ON)
    assert answer.fee is None
    assert answer.silence is not None and answer.silence.region == "ningxia"


def test_nothing_ningxia_before_the_inferred_date() -> None:
    case = swp.Case(purchaser=swp.Purchaser(name="某县人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT))
    verdict = registry().check(case, region="ningxia", on=date(2023, 5, 5))
    assert not [f for f in verdict.findings if f.rule.region == "ningxia"]
    verdict = registry().check(case, region="ningxia", on=date(2023, 5, 6))
    assert [f for f in verdict.findings if f.rule.region == "ningxia"]


# -- purchaser ---------------------------------------------------------------------------------


def _attestation(condition: str, on: date = date(2024, 2, 1)) -> swp.Attestation:
    return swp.Attestation(condition=condition, attested_by="盐池县民政局 王某", basis="资格审查", date=on)


def _deciding_paths(result: swp.RuleResult) -> list[str]:
    return [f.path for f in result.deciding]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (swp.PurchaserKind.PEOPLES_GOVERNMENT, swp.Outcome.PASS),
        # RULES.md A.8: 「各级政府是…主体」 repeats the decree's art. 5 (各级国家机关).
        (swp.PurchaserKind.STREET_OFFICE, swp.Outcome.PASS),
        (swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT, swp.Outcome.PASS),
        (swp.PurchaserKind.GOVERNMENT_ORGAN, swp.Outcome.PASS),
        (swp.PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY, swp.Outcome.PASS),
        (swp.PurchaserKind.ENTERPRISE, swp.Outcome.FAIL),
        (swp.PurchaserKind.OTHER, swp.Outcome.UNKNOWN),
    ],
)
def test_governments(kind: swp.PurchaserKind, expected: swp.Outcome) -> None:
    case = swp.Case(purchaser=swp.Purchaser(name="甲", kind=kind))
    result = outcome("ningxia.purchaser.governments", case)
    assert result.outcome is expected
    if expected is swp.Outcome.UNKNOWN:
        (fact,) = result.deciding
        assert fact.path == "$.purchaser.kind" and "other" not in fact.values
        assert "street_office" in fact.values and "peoples_government" in fact.values


def test_civil_affairs_bureau_passes_on_the_corrected_reading() -> None:
    bureau = swp.Purchaser(name="盐池县民政局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT)
    result = outcome("ningxia.purchaser.governments", swp.Case(purchaser=bureau))
    assert result.outcome is swp.Outcome.PASS
    assert result.detail_en is not None and "A.8" in result.detail_en and "art. 5" in result.detail_en
    assert result.detail_zh is not None and "各级民政部门" in result.detail_zh


@pytest.mark.parametrize(
    ("category", "civil_service", "expected"),
    [
        (None, None, swp.Outcome.UNKNOWN),
        (swp.PublicInstitutionCategory.ADMINISTRATIVE, None, swp.Outcome.UNKNOWN),
        (swp.PublicInstitutionCategory.CATEGORY_2, True, swp.Outcome.UNKNOWN),
        (swp.PublicInstitutionCategory.CATEGORY_1, None, swp.Outcome.FAIL),
        (swp.PublicInstitutionCategory.CATEGORY_2, None, swp.Outcome.FAIL),
        (swp.PublicInstitutionCategory.BUSINESS, False, swp.Outcome.FAIL),
    ],
)
def test_governments_public_institutions(
    category: swp.PublicInstitutionCategory | None, civil_service: bool | None, expected: swp.Outcome
) -> None:
    p = swp.Purchaser(name="某事业单位", kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                      public_institution_category=category, civil_service_managed=civil_service)
    result = outcome("ningxia.purchaser.governments", swp.Case(purchaser=p))
    assert result.outcome is expected
    if expected is swp.Outcome.UNKNOWN:
        assert result.deciding
    if category is None:
        assert _deciding_paths(result) == ["$.purchaser.public_institution_category", "$.purchaser.civil_service_managed"]


@pytest.mark.parametrize(
    "purchaser",
    [
        swp.Purchaser(name="某中心", kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                      public_institution_category=swp.PublicInstitutionCategory.ADMINISTRATIVE),
        swp.Purchaser(name="某中心", kind=swp.PurchaserKind.PUBLIC_INSTITUTION, civil_service_managed=True,
                      public_institution_category=swp.PublicInstitutionCategory.CATEGORY_2),
        swp.Purchaser(name="团县委", kind=swp.PurchaserKind.MASS_ORGANIZATION, staffing=swp.Staffing.ADMINISTRATIVE),
    ],
)
def test_by_analogy_is_decided_by_the_national_attestation(purchaser: swp.Purchaser) -> None:
    rid = "ningxia.purchaser.governments"
    unattested = outcome(rid, swp.Case(purchaser=purchaser))
    assert unattested.outcome is swp.Outcome.UNKNOWN
    (fact,) = unattested.deciding
    assert fact.path == "$.attestations" and fact.values == (swp.NATIONAL_BY_ANALOGY,)
    attestation = _attestation(swp.NATIONAL_BY_ANALOGY)
    attested_case = swp.Case(purchaser=purchaser, attestations=(attestation,))
    result = outcome(rid, attested_case)
    assert result.outcome is swp.Outcome.PASS and result.attestation == attestation
    assert result.detail_en is not None and "盐池县民政局 王某" in result.detail_en
    # Dated after the day asked, it did not exist yet.
    late = swp.Case(purchaser=purchaser, attestations=(_attestation(swp.NATIONAL_BY_ANALOGY, date(2024, 3, 2)),))
    assert outcome(rid, late).outcome is swp.Outcome.UNKNOWN
    # One attestation decides both layers.
    verdict = registry().check(attested_case, region="ningxia", on=ON)
    assert verdict.decision is swp.Decision.ELIGIBLE
    assert {f.rule_id for f in verdict.attested} == {"ningxia.purchaser.governments", "national.purchaser.state_organs"}


@pytest.mark.parametrize(
    ("kind", "category", "staffing", "funded", "expected"),
    [
        (swp.PurchaserKind.PUBLIC_INSTITUTION, swp.PublicInstitutionCategory.CATEGORY_1, None, None, swp.Outcome.FAIL),
        (swp.PurchaserKind.PUBLIC_INSTITUTION, swp.PublicInstitutionCategory.CATEGORY_2, None, None, swp.Outcome.PASS),
        (swp.PurchaserKind.PUBLIC_INSTITUTION, None, None, None, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.OTHER, swp.PublicInstitutionCategory.CATEGORY_1, None, None, swp.Outcome.FAIL),
        (swp.PurchaserKind.OTHER, None, None, None, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.MASS_ORGANIZATION, None, swp.Staffing.INSTITUTIONAL, True, swp.Outcome.FAIL),
        (swp.PurchaserKind.MASS_ORGANIZATION, None, swp.Staffing.INSTITUTIONAL, False, swp.Outcome.PASS),
        (swp.PurchaserKind.MASS_ORGANIZATION, None, swp.Staffing.INSTITUTIONAL, None, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.MASS_ORGANIZATION, None, swp.Staffing.ADMINISTRATIVE, True, swp.Outcome.PASS),
        (swp.PurchaserKind.MASS_ORGANIZATION, None, None, True, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.MASS_ORGANIZATION, None, None, None, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.MASS_ORGANIZATION, None, None, False, swp.Outcome.PASS),
        (swp.PurchaserKind.PEOPLES_GOVERNMENT, None, None, None, swp.Outcome.NOT_APPLICABLE),
        (swp.PurchaserKind.STREET_OFFICE, None, None, None, swp.Outcome.NOT_APPLICABLE),
    ],
)
def test_excluded_types(
    kind: swp.PurchaserKind,
    category: swp.PublicInstitutionCategory | None,
    staffing: swp.Staffing | None,
    funded: bool | None,
    expected: swp.Outcome,
) -> None:
    p = swp.Purchaser(name="甲", kind=kind, public_institution_category=category, staffing=staffing,
                      budget_funded=funded)
    result = outcome("ningxia.purchaser.excluded_types", swp.Case(purchaser=p))
    assert result.outcome is expected
    if kind is swp.PurchaserKind.MASS_ORGANIZATION and expected is swp.Outcome.UNKNOWN:
        # Each fact not given is named; the one given is not.
        expected_paths = [path for path, value in (("$.purchaser.staffing", staffing),
                                                   ("$.purchaser.budget_funded", funded)) if value is None]
        assert _deciding_paths(result) == expected_paths


def test_purchaser_rules_without_a_purchaser() -> None:
    for rule_id in ("ningxia.purchaser.governments", "ningxia.purchaser.excluded_types"):
        assert outcome(rule_id, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE


# -- contractor --------------------------------------------------------------------------------

_N2 = "N2640323MA0000007E"
_ENTERPRISE = "91640100MA76WXY14H"


@pytest.mark.parametrize(
    ("form", "category", "funded", "expected"),
    [
        (swp.LegalForm.ENTERPRISE, None, None, swp.Outcome.PASS),
        (swp.LegalForm.SOCIAL_GROUP, None, None, swp.Outcome.PASS),
        (swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, None, None, swp.Outcome.PASS),
        (swp.LegalForm.FOUNDATION, None, None, swp.Outcome.PASS),
        (swp.LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION, None, None, swp.Outcome.PASS),
        (swp.LegalForm.GRASSROOTS_SELF_GOVERNING_ORGANIZATION, None, None, swp.Outcome.PASS),
        (swp.LegalForm.INDIVIDUAL, None, None, swp.Outcome.PASS),
        (swp.LegalForm.PUBLIC_INSTITUTION, swp.PublicInstitutionCategory.CATEGORY_2, None, swp.Outcome.PASS),
        (swp.LegalForm.PUBLIC_INSTITUTION, swp.PublicInstitutionCategory.BUSINESS, None, swp.Outcome.PASS),
        (swp.LegalForm.PUBLIC_INSTITUTION, swp.PublicInstitutionCategory.CATEGORY_1, None, swp.Outcome.FAIL),
        (swp.LegalForm.PUBLIC_INSTITUTION, swp.PublicInstitutionCategory.ADMINISTRATIVE, None, swp.Outcome.FAIL),
        (swp.LegalForm.PUBLIC_INSTITUTION, None, None, swp.Outcome.UNKNOWN),
        (swp.LegalForm.MASS_ORGANIZATION, None, True, swp.Outcome.FAIL),
        (swp.LegalForm.MASS_ORGANIZATION, None, False, swp.Outcome.PASS),
        (swp.LegalForm.MASS_ORGANIZATION, None, None, swp.Outcome.UNKNOWN),
        (swp.LegalForm.OTHER, None, None, swp.Outcome.UNKNOWN),
    ],
)
def test_eligible_types(
    form: swp.LegalForm, category: swp.PublicInstitutionCategory | None, funded: bool | None,
    expected: swp.Outcome,
) -> None:
    c = swp.Contractor(name="乙", legal_form=form, public_institution_category=category, budget_funded=funded)
    result = outcome("ningxia.contractor.eligible_types", swp.Case(contractor=c))
    assert result.outcome is expected
    if expected is swp.Outcome.UNKNOWN:
        assert len(result.deciding) == 1 and result.deciding[0].path == result.path


def test_no_legal_person_or_non_profit_requirement() -> None:
    for form in (swp.LegalForm.INDIVIDUAL, swp.LegalForm.ENTERPRISE):
        c = swp.Contractor(name="乙", legal_form=form, independent_legal_person=False, non_profit=False,
                           public_welfare=False)
        assert outcome("ningxia.contractor.eligible_types", swp.Case(contractor=c)).outcome is swp.Outcome.PASS


def test_rural_collective_uscc_prefix_is_reported() -> None:
    ok = swp.Contractor(name="某村股份经济合作社", legal_form=swp.LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION,
                        uscc=_N2)
    result = outcome("ningxia.contractor.eligible_types", swp.Case(contractor=ok))
    assert result.outcome is swp.Outcome.PASS
    assert "does not start" not in (result.detail_en or "")
    odd = attrs.evolve(ok, uscc=_ENTERPRISE)
    result = outcome("ningxia.contractor.eligible_types", swp.Case(contractor=odd))
    assert result.outcome is swp.Outcome.PASS
    assert result.detail_en is not None and _ENTERPRISE in result.detail_en and "'N'" in result.detail_en
    assert result.detail_zh is not None and "N" in result.detail_zh


def test_individual_detail_says_qualifications_are_not_given() -> None:
    c = swp.Contractor(name="马某", legal_form=swp.LegalForm.INDIVIDUAL)
    result = outcome("ningxia.contractor.eligible_types", swp.Case(contractor=c))
    assert result.detail_en is not None and "not given in the source" in result.detail_en


_CENTRE = swp.Contractor(
    name="某社工中心",
    legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
    lawfully_registered=True,
    staff=swp.Staff(full_time=30, social_work_professionals=25, professional_team=True),
    governance=swp.Governance(internal_governance=True, bylaws=True, operating_capacity=True,
                              professional_service_capacity=True),
    has_required_capacity=True,
)


def test_specific_conditions_are_unknown_unless_attested() -> None:
    rid = "ningxia.contractor.specific_conditions"
    # Every declared fact, however complete: the source gives no value to compare them with.
    result = outcome(rid, swp.Case(contractor=_CENTRE))
    assert result.outcome is swp.Outcome.UNKNOWN
    assert result.detail_en is not None and "does not give their values" in result.detail_en
    assert result.detail_zh is not None and "未载明" in result.detail_zh
    (fact,) = result.deciding
    assert fact.path == "$.attestations" and fact.values == (SPECIFIC_CONDITIONS,) == (rid,)
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE


def test_specific_conditions_pass_on_an_attestation_and_show_it() -> None:
    rid = "ningxia.contractor.specific_conditions"
    attestation = _attestation(SPECIFIC_CONDITIONS)
    result = outcome(rid, swp.Case(contractor=_CENTRE, attestations=(attestation,)))
    assert result.outcome is swp.Outcome.PASS and result.attestation == attestation
    assert result.detail_en is not None and "盐池县民政局 王某" in result.detail_en and "2024-02-01" in result.detail_en
    assert result.detail_zh is not None and "资格审查" in result.detail_zh
    # Another condition's attestation, or one dated after the day asked, decides nothing.
    other = swp.Case(contractor=_CENTRE, attestations=(_attestation(FEEDBACK_USE),))
    assert outcome(rid, other).outcome is swp.Outcome.UNKNOWN
    late = swp.Case(contractor=_CENTRE, attestations=(_attestation(SPECIFIC_CONDITIONS, date(2024, 3, 2)),))
    assert outcome(rid, late).outcome is swp.Outcome.UNKNOWN


def test_declared_not_lawfully_established_fails_the_conditions_and_is_no_conflict() -> None:
    rid = "ningxia.contractor.specific_conditions"
    unlawful = attrs.evolve(_CENTRE, lawfully_registered=False)
    for attestations in ((), (_attestation(SPECIFIC_CONDITIONS),)):
        result = outcome(rid, swp.Case(contractor=unlawful, attestations=attestations))
        assert result.outcome is swp.Outcome.FAIL and result.declared_false
        assert result.path == "$.contractor.lawfully_registered"
    verdict = registry().check(swp.Case(contractor=unlawful), region="ningxia", on=ON)
    assert verdict.decision is swp.Decision.INELIGIBLE and verdict.conflicts == ()
    assert {f.rule_id for f in verdict.failures} == {rid, "national.contractor.eligible_types"}
    # A person is not «established»: the condition is a body's.
    person = swp.Contractor(name="马某", legal_form=swp.LegalForm.INDIVIDUAL, lawfully_registered=False)
    assert outcome(rid, swp.Case(contractor=person)).outcome is swp.Outcome.UNKNOWN


# -- contract, procedure, disclosure, evaluation -----------------------------------------------

ALL_SEVEN = frozenset(REQUIRED_CONTRACT_TERMS)


def test_seven_terms_in_source_order() -> None:
    assert [t.value for t in REQUIRED_CONTRACT_TERMS] == [
        "subject_matter", "quantity", "quality", "service_period", "payment_method", "breach_liability",
        "dispute_resolution",
    ]
    assert {swp.ContractTerm.SUBJECT_MATTER, swp.ContractTerm.SCOPE} == SUBJECT_MATTER_TERMS


@pytest.mark.parametrize("missing", REQUIRED_CONTRACT_TERMS)
def test_contract_missing_one_term_fails(missing: swp.ContractTerm) -> None:
    k = swp.Contract(written=True, stated_terms=ALL_SEVEN - {missing})
    result = outcome("ningxia.contract.written_required_terms", swp.Case(contract=k))
    assert result.outcome is swp.Outcome.FAIL
    if missing is swp.ContractTerm.SUBJECT_MATTER:
        assert result.detail_en == "missing: subject_matter (标的: subject_matter or scope)"
    else:
        assert result.detail_en == f"missing: {missing.value}"


def test_subject_matter_is_the_decrees_service_content() -> None:
    # RULES.md A.8: 「标的」 and 「服务的内容」 are one term; either name states it, in both layers.
    as_scope = (ALL_SEVEN - {swp.ContractTerm.SUBJECT_MATTER}) | {swp.ContractTerm.SCOPE}
    k = swp.Contract(written=True, stated_terms=as_scope)
    assert outcome("ningxia.contract.written_required_terms", swp.Case(contract=k)).outcome is swp.Outcome.PASS
    national = registry().rule("national.contract.written_terms").predicate
    assert national is not None
    decree = frozenset(swp.ContractTerm) - {swp.ContractTerm.SUBJECT_MATTER}
    assert national(swp.Case(contract=swp.Contract(written=True, stated_terms=decree)), ON).outcome is swp.Outcome.PASS
    both = swp.Case(contract=swp.Contract(written=True, stated_terms=decree))
    assert outcome("ningxia.contract.written_required_terms", both).outcome is swp.Outcome.PASS


@pytest.mark.parametrize(
    ("written", "terms", "expected"),
    [
        (True, ALL_SEVEN, swp.Outcome.PASS),
        (True, ALL_SEVEN | {swp.ContractTerm.PRICE}, swp.Outcome.PASS),
        (False, ALL_SEVEN, swp.Outcome.FAIL),
        (False, None, swp.Outcome.FAIL),
        (None, ALL_SEVEN, swp.Outcome.UNKNOWN),
        (True, None, swp.Outcome.UNKNOWN),
        (None, frozenset(), swp.Outcome.FAIL),
    ],
)
def test_contract_written(written: bool | None, terms: frozenset[swp.ContractTerm] | None,
                          expected: swp.Outcome) -> None:
    k = swp.Contract(written=written, stated_terms=terms)
    result = outcome("ningxia.contract.written_required_terms", swp.Case(contract=k))
    assert result.outcome is expected
    assert result.declared_false is (written is False)
    if expected is swp.Outcome.UNKNOWN:
        assert _deciding_paths(result) == [result.path]


def test_lawful_procurement() -> None:
    rid = "ningxia.procedure.lawful_procurement"
    for method in swp.ProcurementMethod:
        k = swp.Contract(procurement_method=method)
        result = outcome(rid, swp.Case(contract=k))
        if method is swp.ProcurementMethod.OTHER:
            # Xiamen's rule on the same words says unknown: whether 'other' is lawful cannot be told.
            assert result.outcome is swp.Outcome.UNKNOWN
            (fact,) = result.deciding
            assert fact.path == "$.contract.procurement_method" and "other" not in fact.values
            assert set(fact.values) == {m.value for m in swp.ProcurementMethod} - {"other"}
        else:
            assert result.outcome is swp.Outcome.PASS
    assert outcome(rid, swp.Case(contract=swp.Contract())).outcome is swp.Outcome.UNKNOWN
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE


def test_targets_and_annual_budget() -> None:
    full = swp.Planning(targets_quantity=True, targets_scale=True, targets_quality=True, targets_effect=True,
                        budget=Decimal("300000.00"))
    rid = "ningxia.procedure.targets_and_annual_budget"
    assert outcome(rid, swp.Case(planning=full)).outcome is swp.Outcome.PASS
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE
    no_scale = attrs.evolve(full, targets_scale=False, budget=None)
    result = outcome(rid, swp.Case(planning=no_scale))
    assert result.outcome is swp.Outcome.FAIL and result.path == "$.planning.targets_scale" and result.declared_false
    no_budget = attrs.evolve(full, budget=None)
    result = outcome(rid, swp.Case(planning=no_budget))
    assert result.outcome is swp.Outcome.UNKNOWN and result.path == "$.planning.budget"
    assert _deciding_paths(result) == ["$.planning.budget"]
    result = outcome(rid, swp.Case(planning=swp.Planning()))
    assert result.outcome is swp.Outcome.UNKNOWN
    assert _deciding_paths(result) == [
        "$.planning.targets_quantity", "$.planning.targets_scale", "$.planning.targets_quality",
        "$.planning.targets_effect", "$.planning.budget",
    ]


def test_question_tags_pair_the_type_rules_with_the_national_layer() -> None:
    assert {r.rule_id: r.question for r in RULES if r.question is not None} == {
        "ningxia.purchaser.governments": "purchaser.type",
        "ningxia.purchaser.excluded_types": "purchaser.type",
        "ningxia.contractor.eligible_types": "contractor.type",
    }


def _evaluation(on: date, result: swp.EvaluationResult | None = swp.EvaluationResult.GOOD) -> swp.Evaluation:
    return swp.Evaluation(stage=swp.EvaluationStage.FINAL, evaluator="宁夏某第三方评估机构",
                          evaluator_role=swp.EvaluatorRole.THIRD_PARTY, date=on, result=result)


_PLANNED = swp.Planning(targets_quantity=True, targets_scale=True, targets_quality=True, targets_effect=True,
                        budget=Decimal("300000.00"))
_SIGNED = swp.Contract(written=True, stated_terms=ALL_SEVEN, signed_on=date(2024, 1, 10),
                       procurement_method=swp.ProcurementMethod.OPEN_TENDER)


def _states(case: swp.Case, on: date = ON) -> dict[str, str]:
    def state(d: DisclosureDue) -> str:
        if not d.applicable:
            return "n/a"
        return {True: "due", False: "later", None: "?"}[d.due]

    return {d.item.value: state(d) for d in disclosure_schedule(case, on)}


def test_each_item_is_due_from_the_step_that_produces_it() -> None:
    # Just opened (a purchaser only): nothing is produced yet, so nothing applies.
    opened = swp.Case(purchaser=swp.Purchaser(name="盐池县人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT))
    assert set(_states(opened).values()) == {"n/a"}
    # A plan without a budget: the project content and the budget are not yet due.
    assert _states(swp.Case(planning=swp.Planning(needs_assessment=True))) == {
        "project_content": "later", "service_standards": "n/a", "service_requirements": "n/a",
        "service_content": "n/a", "budget": "later", "purchase_procedure": "n/a",
        "evaluation_standards": "n/a", "evaluation_results": "n/a",
    }
    # The budget drawn up: budget → 预算安排 (and 项目内容).
    assert {k for k, v in _states(swp.Case(planning=_PLANNED)).items() if v == "due"} == {"project_content", "budget"}
    # A contract: the procurement (购买程序); signed: 服务标准/要求/内容.
    contract_only = _states(swp.Case(contract=_SIGNED))
    assert {k for k, v in contract_only.items() if v == "due"} == {
        "purchase_procedure", "service_standards", "service_requirements", "service_content"}
    assert {k for k, v in contract_only.items() if v == "n/a"} == {
        "project_content", "budget", "evaluation_standards", "evaluation_results"}
    later = _states(swp.Case(contract=_SIGNED), on=date(2024, 1, 9))
    assert later["service_standards"] == "later" and later["purchase_procedure"] == "due"
    unsigned = _states(swp.Case(contract=attrs.evolve(_SIGNED, signed_on=None)))
    assert unsigned["service_content"] == "?"
    # An evaluation: the standards; one with a result: the results.
    evaluated = _states(swp.Case(evaluations=(_evaluation(date(2024, 2, 1), result=None),)))
    assert evaluated["evaluation_standards"] == "due" and evaluated["evaluation_results"] == "later"
    resulted = _states(swp.Case(evaluations=(_evaluation(date(2024, 2, 1)),)))
    assert resulted["evaluation_standards"] == resulted["evaluation_results"] == "due"
    # The schedule is in the source's order, and names the step and its date where the case says.
    schedule = disclosure_schedule(swp.Case(contract=_SIGNED, evaluations=(_evaluation(date(2024, 2, 1)),)), ON)
    assert [d.item for d in schedule] == list(DISCLOSURE_ITEMS)
    by_item = {d.item: d for d in schedule}
    assert by_item[swp.DisclosureItem.SERVICE_STANDARDS].since == date(2024, 1, 10)
    assert by_item[swp.DisclosureItem.EVALUATION_RESULTS].since == date(2024, 2, 1)
    assert by_item[swp.DisclosureItem.BUDGET].produced_by == "approve_budget"
    assert by_item[swp.DisclosureItem.PURCHASE_PROCEDURE].produced_by == "start_tender"
    assert by_item[swp.DisclosureItem.SERVICE_CONTENT].produced_by == "sign_contract"
    assert by_item[swp.DisclosureItem.EVALUATION_STANDARDS].produced_by == "record_evaluation"


def test_the_rule_predicate_itemises_its_answer() -> None:
    predicate = rule("ningxia.disclosure.items").predicate
    case = swp.Case(contract=_SIGNED)
    assert predicate is not None and predicate(case, ON) == disclosure_items_result(case, ON)
    assert predicate.disclosure_items(case, ON) == disclosure_schedule(case, ON)  # type: ignore[attr-defined]


def test_disclosure_items() -> None:
    rid = "ningxia.disclosure.items"
    everything = frozenset(DISCLOSURE_ITEMS)
    assert len(DISCLOSURE_ITEMS) == 8
    # No part that produces an item: not applicable, published or not.
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE
    assert outcome(rid, swp.Case(published=frozenset())).outcome is swp.Outcome.NOT_APPLICABLE
    full = swp.Case(planning=_PLANNED, contract=_SIGNED, evaluations=(_evaluation(date(2024, 2, 20)),))
    assert outcome(rid, attrs.evolve(full, published=everything)).outcome is swp.Outcome.PASS
    unknown = outcome(rid, full)
    assert unknown.outcome is swp.Outcome.UNKNOWN
    (fact,) = unknown.deciding
    assert fact.path == "$.published" and fact.values == tuple(i.value for i in DISCLOSURE_ITEMS)
    # Due and not yet published: unknown, never late («及时» sets no deadline), naming what to publish.
    missing_results = outcome(rid, attrs.evolve(full, published=everything - {swp.DisclosureItem.EVALUATION_RESULTS}))
    assert missing_results.outcome is swp.Outcome.UNKNOWN
    assert missing_results.detail_en == (
        "due and not yet published: evaluation_results (due since 2024-02-20: an evaluation with a result); "
        "the source asks for publication «及时» (in good time) and sets no deadline, so the library does not "
        "call an item late"
    )
    assert missing_results.detail_zh == (
        "已到期尚未公开:绩效评价结果(自 2024-02-20 起应公开:绩效评价得出结果);来源要求「及时」公开,未规定期限,本库不认定逾期"
    )
    (fact,) = missing_results.deciding
    assert fact.values == ("evaluation_results",)
    # A contract-only case with the contract's items published passes: nothing else applies.
    contract_items = frozenset({swp.DisclosureItem.PURCHASE_PROCEDURE, swp.DisclosureItem.SERVICE_STANDARDS,
                                swp.DisclosureItem.SERVICE_REQUIREMENTS, swp.DisclosureItem.SERVICE_CONTENT})
    assert outcome(rid, swp.Case(contract=_SIGNED, published=contract_items)).outcome is swp.Outcome.PASS
    # Without a signing day the contract's items are undecided: the signing day decides them.
    unsigned = swp.Case(contract=attrs.evolve(_SIGNED, signed_on=None), published=frozenset())
    result = outcome(rid, unsigned)
    assert result.outcome is swp.Outcome.UNKNOWN
    assert _deciding_paths(result) == ["$.published", "$.contract.signed_on"]
    # Nothing due yet (a plan without a budget): not applicable, and the detail says what comes later.
    later = outcome(rid, swp.Case(planning=swp.Planning(), published=frozenset()))
    assert later.outcome is swp.Outcome.NOT_APPLICABLE
    assert later.detail_en is not None and "not yet due: project_content" in later.detail_en


def test_disclosure_status_helper() -> None:
    no_results = frozenset(DISCLOSURE_ITEMS) - {swp.DisclosureItem.EVALUATION_RESULTS}
    status = disclosure_status(no_results)
    assert list(status) == list(DISCLOSURE_ITEMS)
    assert status[swp.DisclosureItem.EVALUATION_RESULTS] is False
    assert all(status[i] for i in no_results)
    assert disclosure_status(None) == dict.fromkeys(DISCLOSURE_ITEMS)
    assert swp.DisclosureItem.EVALUATION_RESULTS not in disclosure_status(no_results, results_due=False)
    # Items outside Ningxia's eight are neither required nor reported.
    extra = disclosure_status(frozenset(DISCLOSURE_ITEMS) | {swp.DisclosureItem.CONTRACT})
    assert swp.DisclosureItem.CONTRACT not in extra and all(extra.values())


@pytest.mark.parametrize(
    ("evaluations", "due"),
    [
        ((_evaluation(date(2024, 2, 20), result=None),), False),  # evaluated, but no result given
        ((_evaluation(date(2024, 3, 2)),), False),  # the result is dated after the day asked
        ((_evaluation(date(2024, 3, 1)),), True),  # on the day asked
        ((_evaluation(date(2024, 3, 2)), _evaluation(date(2023, 12, 1))), True),
    ],
)
def test_evaluation_results_fall_due_with_a_result_on_record(
    evaluations: tuple[swp.Evaluation, ...], due: bool
) -> None:
    rid = "ningxia.disclosure.items"
    assert evaluation_results_due(evaluations, ON) is due
    others = frozenset(DISCLOSURE_ITEMS) - {swp.DisclosureItem.EVALUATION_RESULTS}
    result = outcome(rid, swp.Case(published=others, evaluations=evaluations))
    evaluated_by_then = any(e.date <= ON for e in evaluations)
    if due:
        assert result.outcome is swp.Outcome.UNKNOWN and result.deciding[0].values == ("evaluation_results",)
    elif evaluated_by_then:
        assert result.outcome is swp.Outcome.PASS
        assert result.detail_en is not None and "not yet due: evaluation_results" in result.detail_en
    else:
        assert result.outcome is swp.Outcome.NOT_APPLICABLE
    # Publishing the results early is fine: the item is simply not yet required.
    assert outcome(rid, swp.Case(published=frozenset(DISCLOSURE_ITEMS), evaluations=evaluations)).outcome in (
        swp.Outcome.PASS, swp.Outcome.NOT_APPLICABLE)


def test_feedback_use_is_soft_and_needs_an_attestation() -> None:
    rid = "ningxia.evaluation.feedback_use"
    assert rule(rid).strength is swp.Strength.SOFT
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE
    no_result = _evaluation(date(2024, 2, 15), result=None)
    result = outcome(rid, swp.Case(evaluations=(no_result,)))
    assert result.outcome is swp.Outcome.UNKNOWN
    assert _deciding_paths(result) == ["$.evaluations[0].result", "$.attestations"]
    # A result exists: feedback is still not a fact of the case, so only an attestation decides it.
    done = _evaluation(date(2024, 2, 20))
    result = outcome(rid, swp.Case(evaluations=(no_result, done)))
    assert result.outcome is swp.Outcome.UNKNOWN
    (fact,) = result.deciding
    assert fact.path == "$.attestations" and fact.values == (FEEDBACK_USE,)
    attestation = _attestation(FEEDBACK_USE, date(2024, 2, 25))
    result = outcome(rid, swp.Case(evaluations=(no_result, done), attestations=(attestation,)))
    assert result.outcome is swp.Outcome.PASS and result.attestation == attestation
    # An evaluation dated after the day asked is not on record yet.
    assert outcome(rid, swp.Case(evaluations=(_evaluation(date(2024, 3, 5)),))).outcome is swp.Outcome.NOT_APPLICABLE


# -- whole verdicts --------------------------------------------------------------------------


def test_category_1_hospital_as_purchaser_is_ineligible() -> None:
    hospital = swp.Purchaser(name="盐池县人民医院", kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                             public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1)
    verdict = registry().check(swp.Case(purchaser=hospital), region="ningxia", on=ON)
    assert verdict.decision is swp.Decision.INELIGIBLE
    failing = {f.rule_id for f in verdict.failures}
    assert {"ningxia.purchaser.excluded_types", "ningxia.purchaser.governments"} <= failing


def test_a_case_with_a_contractor_is_undetermined_only_by_the_conditions_until_attested() -> None:
    case = swp.Case(
        purchaser=swp.Purchaser(name="盐池县人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT),
        contractor=swp.Contractor(name="马某", legal_form=swp.LegalForm.INDIVIDUAL),
    )
    verdict = registry().check(case, region="ningxia", on=ON)
    assert verdict.decision is swp.Decision.UNDETERMINED
    assert [f.rule_id for f in verdict.unknowns] == ["ningxia.contractor.specific_conditions"]
    assert [(t.path, t.values) for t in verdict.to_decide] == [("$.attestations", (SPECIFIC_CONDITIONS,))]
    assert not verdict.failures
    attested_case = attrs.evolve(case, attestations=(_attestation(SPECIFIC_CONDITIONS),))
    verdict = registry().check(attested_case, region="ningxia", on=ON)
    assert verdict.decision is swp.Decision.ELIGIBLE
    assert [f.rule_id for f in verdict.attested] == ["ningxia.contractor.specific_conditions"]


def test_a_street_office_case_is_eligible_once_its_facts_are_given() -> None:
    # Before issue 8, every real Ningxia case with a civil-affairs bureau or street office as purchaser was
    # undetermined with nothing the caller could declare.
    for kind in (swp.PurchaserKind.STREET_OFFICE, swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT):
        case = swp.Case(purchaser=swp.Purchaser(name="某街道办事处", kind=kind))
        verdict = registry().check(case, region="ningxia", on=ON)
        assert verdict.decision is swp.Decision.ELIGIBLE and verdict.conflicts == ()
