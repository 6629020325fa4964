"""The Ningxia pack: installed through its entry point, complete, conforming, and its predicates."""

from __future__ import annotations

import importlib.metadata
import os
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import attrs
import pytest
from socialwork_procurement_ningxia import (
    DISCLOSURE_ITEMS,
    EFFECTIVE,
    REQUIRED_CONTRACT_TERMS,
    RULES,
    SOURCE,
    disclosure_status,
    evaluation_results_due,
    pack,
)

import socialwork_procurement as swp
from socialwork_procurement.testing import assert_pack_conforms

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


def seeds_dir() -> Path:
    configured = os.environ.get("SWP_SEEDS_DIR")
    if configured:
        return Path(configured)
    # plugins/ningxia/tests -> the repository -> its parent, where shared/ sits beside main/
    return Path(__file__).resolve().parents[4] / "shared" / "seeds"


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


def test_quotes_are_verbatim_in_the_seed() -> None:
    path = seeds_dir() / SEED
    if not path.exists():
        pytest.skip(f"seed file not found at {path} (set SWP_SEEDS_DIR)")
    text = path.read_text(encoding="utf-8")
    for r in RULES:
        pos = 0
        for part in r.citation.quote.split(" ⏎ "):
            found = text.find(part, pos)
            assert found >= 0, f"{r.rule_id}: {part!r} not found (in order) in {SEED}"
            pos = found + len(part)


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


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (swp.PurchaserKind.PEOPLES_GOVERNMENT, swp.Outcome.PASS),
        (swp.PurchaserKind.STREET_OFFICE, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.GOVERNMENT_ORGAN, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY, swp.Outcome.UNKNOWN),
        (swp.PurchaserKind.ENTERPRISE, swp.Outcome.FAIL),
        (swp.PurchaserKind.OTHER, swp.Outcome.UNKNOWN),
    ],
)
def test_governments(kind: swp.PurchaserKind, expected: swp.Outcome) -> None:
    case = swp.Case(purchaser=swp.Purchaser(name="甲", kind=kind))
    assert outcome("ningxia.purchaser.governments", case).outcome is expected


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
    assert outcome("ningxia.purchaser.governments", swp.Case(purchaser=p)).outcome is expected


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
    assert outcome("ningxia.purchaser.excluded_types", swp.Case(purchaser=p)).outcome is expected


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
    assert outcome("ningxia.contractor.eligible_types", swp.Case(contractor=c)).outcome is expected


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


def test_specific_conditions_are_always_unknown() -> None:
    c = swp.Contractor(
        name="某社工中心",
        legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        lawfully_registered=True,
        staff=swp.Staff(full_time=30, social_work_professionals=25, professional_team=True),
        governance=swp.Governance(internal_governance=True, bylaws=True, operating_capacity=True,
                                  professional_service_capacity=True),
        has_required_capacity=True,
    )
    result = outcome("ningxia.contractor.specific_conditions", swp.Case(contractor=c))
    assert result.outcome is swp.Outcome.UNKNOWN
    assert result.detail_en is not None and "does not give their values" in result.detail_en
    assert result.detail_zh is not None and "未载明" in result.detail_zh
    assert outcome("ningxia.contractor.specific_conditions", swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE
    unlawful = attrs.evolve(c, lawfully_registered=False)
    result = outcome("ningxia.contractor.specific_conditions", swp.Case(contractor=unlawful))
    assert result.outcome is swp.Outcome.UNKNOWN
    assert result.detail_en is not None and "not lawfully registered" in result.detail_en


# -- contract, procedure, disclosure, evaluation -----------------------------------------------

ALL_SEVEN = frozenset(REQUIRED_CONTRACT_TERMS)


def test_seven_terms_in_source_order() -> None:
    assert [t.value for t in REQUIRED_CONTRACT_TERMS] == [
        "subject_matter", "quantity", "quality", "service_period", "payment_method", "breach_liability",
        "dispute_resolution",
    ]


@pytest.mark.parametrize("missing", REQUIRED_CONTRACT_TERMS)
def test_contract_missing_one_term_fails(missing: swp.ContractTerm) -> None:
    k = swp.Contract(written=True, stated_terms=ALL_SEVEN - {missing})
    result = outcome("ningxia.contract.written_required_terms", swp.Case(contract=k))
    assert result.outcome is swp.Outcome.FAIL
    assert result.detail_en == f"missing: {missing.value}"


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
    assert outcome("ningxia.contract.written_required_terms", swp.Case(contract=k)).outcome is expected


def test_lawful_procurement() -> None:
    for method in swp.ProcurementMethod:
        k = swp.Contract(procurement_method=method)
        assert outcome("ningxia.procedure.lawful_procurement", swp.Case(contract=k)).outcome is swp.Outcome.PASS
    k = swp.Contract()
    assert outcome("ningxia.procedure.lawful_procurement", swp.Case(contract=k)).outcome is swp.Outcome.UNKNOWN
    assert outcome("ningxia.procedure.lawful_procurement", swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE


def test_targets_and_annual_budget() -> None:
    full = swp.Planning(targets_quantity=True, targets_scale=True, targets_quality=True, targets_effect=True,
                        budget=Decimal("300000.00"))
    rid = "ningxia.procedure.targets_and_annual_budget"
    assert outcome(rid, swp.Case(planning=full)).outcome is swp.Outcome.PASS
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE
    no_scale = attrs.evolve(full, targets_scale=False, budget=None)
    result = outcome(rid, swp.Case(planning=no_scale))
    assert result.outcome is swp.Outcome.FAIL and result.path == "$.planning.targets_scale"
    no_budget = attrs.evolve(full, budget=None)
    result = outcome(rid, swp.Case(planning=no_budget))
    assert result.outcome is swp.Outcome.UNKNOWN and result.path == "$.planning.budget"
    assert outcome(rid, swp.Case(planning=swp.Planning())).outcome is swp.Outcome.UNKNOWN


def test_question_tags_pair_the_type_rules_with_the_national_layer() -> None:
    assert {r.rule_id: r.question for r in RULES if r.question is not None} == {
        "ningxia.purchaser.governments": "purchaser.type",
        "ningxia.purchaser.excluded_types": "purchaser.type",
        "ningxia.contractor.eligible_types": "contractor.type",
    }


def _evaluation(on: date, result: swp.EvaluationResult | None = swp.EvaluationResult.GOOD) -> swp.Evaluation:
    return swp.Evaluation(stage=swp.EvaluationStage.FINAL, evaluator="宁夏某第三方评估机构",
                          evaluator_role=swp.EvaluatorRole.THIRD_PARTY, date=on, result=result)


def test_disclosure_items_and_status() -> None:
    rid = "ningxia.disclosure.items"
    everything = frozenset(DISCLOSURE_ITEMS)
    assert len(DISCLOSURE_ITEMS) == 8
    evaluated = (_evaluation(date(2024, 2, 20)),)
    assert outcome(rid, swp.Case(published=everything)).outcome is swp.Outcome.PASS
    assert outcome(rid, swp.Case(published=everything, evaluations=evaluated)).outcome is swp.Outcome.PASS
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.UNKNOWN
    no_results = everything - {swp.DisclosureItem.EVALUATION_RESULTS}
    # A result is on record: all eight are due, and the missing results fail the rule.
    result = outcome(rid, swp.Case(published=no_results, evaluations=evaluated))
    assert result.outcome is swp.Outcome.FAIL
    assert result.detail_en == (
        "not published: evaluation_results; evaluation_results due: an evaluation result is on record (2024-02-20)"
    )
    assert result.detail_zh == "未公开:绩效评价结果;绩效评价结果已应公开:已有绩效评价结果(2024-02-20)"
    status = disclosure_status(no_results)
    assert list(status) == list(DISCLOSURE_ITEMS)
    assert status[swp.DisclosureItem.EVALUATION_RESULTS] is False
    assert all(status[i] for i in no_results)
    assert disclosure_status(None) == dict.fromkeys(DISCLOSURE_ITEMS)
    # Items outside Ningxia's eight are neither required nor reported.
    extra = disclosure_status(everything | {swp.DisclosureItem.CONTRACT})
    assert swp.DisclosureItem.CONTRACT not in extra and all(extra.values())


@pytest.mark.parametrize(
    ("evaluations", "due"),
    [
        ((), False),  # no evaluation yet: no result to publish
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
    seven = frozenset(DISCLOSURE_ITEMS) - {swp.DisclosureItem.EVALUATION_RESULTS}
    result = outcome(rid, swp.Case(published=seven, evaluations=evaluations))
    assert result.outcome is (swp.Outcome.FAIL if due else swp.Outcome.PASS)
    status = disclosure_status(seven, results_due=due)
    assert (swp.DisclosureItem.EVALUATION_RESULTS in status) is due
    assert all(status[i] for i in seven)
    if not due:
        assert result.detail_en == (
            "the seven items due are published; evaluation_results not yet due: no evaluation with a result is "
            "on record by 2024-03-01, so there is no result to publish"
        )
        assert result.detail_zh is not None and "绩效评价结果尚未到期" in result.detail_zh
        assert disclosure_status(None, results_due=False) == dict.fromkeys(seven)
        # Publishing the results early is fine: the item is simply not yet required.
        assert outcome(rid, swp.Case(published=frozenset(DISCLOSURE_ITEMS), evaluations=evaluations)).outcome \
            is swp.Outcome.PASS
        unknown = outcome(rid, swp.Case(evaluations=evaluations))
        assert unknown.outcome is swp.Outcome.UNKNOWN
        assert unknown.detail_en is not None and "evaluation_results not yet due" in unknown.detail_en


def test_feedback_use_is_soft() -> None:
    rid = "ningxia.evaluation.feedback_use"
    assert rule(rid).strength is swp.Strength.SOFT
    assert outcome(rid, swp.Case()).outcome is swp.Outcome.NOT_APPLICABLE
    ev = swp.Evaluation(stage=swp.EvaluationStage.FINAL, evaluator="第三方", evaluator_role=swp.EvaluatorRole.THIRD_PARTY,
                        date=date(2024, 12, 15))
    assert outcome(rid, swp.Case(evaluations=(ev,))).outcome is swp.Outcome.UNKNOWN
    done = attrs.evolve(ev, result=swp.EvaluationResult.GOOD)
    assert outcome(rid, swp.Case(evaluations=(ev, done))).outcome is swp.Outcome.PASS


# -- whole verdicts --------------------------------------------------------------------------


def test_category_1_hospital_as_purchaser_is_ineligible() -> None:
    hospital = swp.Purchaser(name="盐池县人民医院", kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                             public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1)
    verdict = registry().check(swp.Case(purchaser=hospital, published=frozenset(DISCLOSURE_ITEMS)),
                               region="ningxia", on=ON)
    assert verdict.decision is swp.Decision.INELIGIBLE
    failing = {f.rule_id for f in verdict.failures}
    assert {"ningxia.purchaser.excluded_types", "ningxia.purchaser.governments"} <= failing


def test_a_complete_case_with_a_contractor_is_undetermined_only_by_the_conditions() -> None:
    case = swp.Case(
        purchaser=swp.Purchaser(name="盐池县人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT),
        contractor=swp.Contractor(name="马某", legal_form=swp.LegalForm.INDIVIDUAL),
        published=frozenset(DISCLOSURE_ITEMS),
    )
    verdict = registry().check(case, region="ningxia", on=ON)
    assert verdict.decision is swp.Decision.UNDETERMINED
    assert [f.rule_id for f in verdict.unknowns] == ["ningxia.contractor.specific_conditions"]
    assert not verdict.failures
