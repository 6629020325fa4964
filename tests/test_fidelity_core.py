"""Issue 8, the core: unknowns that name their deciding facts, attestations, library policy, dormant regions.

Each section tests one item of the issue; the properties at the end run over generated cases for
every installed region (the national layer included).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import socialwork_procurement as swp
from socialwork_procurement.cli._main import main
from socialwork_procurement.cli._output import verdict_text
from socialwork_procurement.export._json import fee_json, finding_json, rule_json, verdict_json
from socialwork_procurement.model._schema import case_schema, declarable_values, schema_at
from socialwork_procurement.model._types import Attestation, NegativeListItem
from socialwork_procurement.rules._national import BY_ANALOGY
from socialwork_procurement.rules._rules import (
    Basis,
    DecidingFact,
    SilenceKind,
    attestation_fact,
    attested,
    facts_to_declare,
    passed_by_attestation,
)
from socialwork_procurement.testing import strategies as sst

ON = date(2021, 6, 1)
SOURCE = swp.Source(file="q.txt", title="问题地区办法", number="问〔2020〕1号")
CONDITION = "qland.contractor.specific_conditions"


# -- a small test pack: one rule per behaviour under test --------------------------------------------------------


def _specific_conditions(case: swp.Case, on: date) -> swp.RuleResult:
    # A condition the source names without defining it: only an attestation decides it.
    if case.contractor is None:
        return swp.not_applicable("$.contractor")
    attestation = attested(case, CONDITION, on)
    if attestation is not None:
        return passed_by_attestation("$.attestations", attestation)
    return swp.unknown(
        "$.contractor",
        "the source names specific conditions without defining them",
        "来源提出具体条件但未列明",
        deciding=[attestation_fact(CONDITION, "attest the conditions are met", "证明符合具体条件")],
    )


def _lawful(case: swp.Case, on: date) -> swp.RuleResult:
    c = case.contractor
    if c is None:
        return swp.not_applicable("$.contractor")
    if c.lawfully_registered is None:
        return swp.unknown("$.contractor.lawfully_registered")  # the old call: path, no deciding facts
    if not c.lawfully_registered:
        return swp.failed("$.contractor.lawfully_registered", "not lawfully established", "非依法成立",
                          declared_false=True)
    return swp.passed("$.contractor.lawfully_registered")


def _any_type(case: swp.Case, on: date) -> swp.RuleResult:
    return swp.passed("$.contractor.legal_form") if case.contractor else swp.not_applicable("$.contractor")


def _steps_in_order(case: swp.Case, on: date) -> swp.RuleResult:
    k = case.contract
    if k is None or k.signed_on is None:
        return swp.not_applicable("$.contract")
    return swp.passed("$.contract.signed_on") if k.signed_on <= on else swp.failed("$.contract.signed_on")


def _grade(case: swp.Case, on: date) -> swp.RuleResult:
    c = case.contractor
    if c is None:
        return swp.not_applicable("$.contractor")
    return swp.passed("$.contractor.evaluation_grade") if c.evaluation_grade else swp.failed("$.contractor.evaluation_grade")


def _make(rule_id: str, predicate: swp.Predicate, *, strength: swp.Strength = swp.Strength.HARD,
          question: str | None = None, start: date = date(2010, 1, 1), end: date | None = None,
          basis: Basis = Basis.SOURCE, note: str | None = None) -> swp.Rule:
    return swp.Rule(rule_id=rule_id, region=rule_id.split(".")[0], kind=swp.RuleKind.CONTRACTOR_ELIGIBILITY, strength=strength,
                    subject=swp.Subject.CONTRACTOR, effective_from=start, effective_to=end,
                    citation=swp.Citation(SOURCE, "承接主体应具备具体条件", note=note), message_zh="测试规则",
                    message_en="test rule", predicate=predicate, question=question, basis=basis)


QLAND_RULES = [
    _make("qland.contractor.specific_conditions", _specific_conditions),
    _make("qland.contractor.lawful", _lawful),
    _make("qland.contractor.any_type", _any_type, question="contractor.type"),
    _make("qland.contract.steps_in_order", _steps_in_order, basis=Basis.LIBRARY_POLICY,
          note="the source does not state it: the library's policy that a contract is not signed after the day asked"),
    _make("qland.contractor.grade_priority", _grade, strength=swp.Strength.SOFT),
]


def _pack(code: str, rules: list[swp.Rule]) -> object:
    class Pack:
        @swp.hookimpl
        def swp_regions(self) -> list[swp.Region]:
            return [swp.Region(code=code, name_zh="测试地区", name_en=code.capitalize(), sources=(SOURCE,))]

        @swp.hookimpl
        def swp_rules(self) -> list[swp.Rule]:
            return rules

    return Pack()


@pytest.fixture(scope="module")
def qland() -> swp.Registry:
    return swp.load_registry(entrypoints=False, extra_packs=[("qpack", _pack("qland", QLAND_RULES))])


@pytest.fixture(scope="module")
def installed() -> swp.Registry:
    return swp.load_registry()


AGENCY = swp.Contractor(name="某社工服务中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
                        lawfully_registered=True)


def attestation(condition: str = CONDITION, day: date = date(2021, 5, 1)) -> Attestation:
    return Attestation(condition=condition, attested_by="某区民政局 王五", basis="现场核查与材料审查", date=day)


# -- 1. every unknown names the fact that decides it ------------------------------------------------------------


def test_the_old_unknown_call_names_its_path_with_the_schema_values() -> None:
    result = swp.unknown("$.contractor.lawfully_registered", "not given", "未提供")
    assert result.deciding == (DecidingFact("$.contractor.lawfully_registered", (True, False)),)
    assert (result.detail_en, result.detail_zh) == ("not given", "未提供")
    kind = swp.unknown("$.purchaser.kind").deciding[0]
    assert kind.values == tuple(k.value for k in swp.PurchaserKind)
    # A path whose schema lists no values (a whole part) still names the path.
    assert swp.unknown("$.contractor").deciding == (DecidingFact("$.contractor"),)


def test_explicit_deciding_facts_keep_their_values_and_take_paths_too() -> None:
    result = swp.unknown("$.contract", deciding=["$.contract.written", DecidingFact("$.published", ("contract",))])
    assert result.deciding == (DecidingFact("$.contract.written", (True, False)), DecidingFact("$.published", ("contract",)))
    with pytest.raises(ValueError, match="at least one"):
        swp.unknown("$.contract", deciding=[])
    with pytest.raises(ValueError, match="JSON path"):
        DecidingFact("contract.written")


def test_the_verdict_lists_what_to_declare_once_per_path(qland: swp.Registry) -> None:
    case = swp.Case(contractor=swp.Contractor(name="某中心", legal_form=swp.LegalForm.MASS_ORGANIZATION))
    verdict = qland.check(case, region="qland", on=ON)
    assert verdict.decision is swp.Decision.UNDETERMINED
    declare = {t.path: t for t in verdict.to_decide}
    assert set(declare) == {"$.attestations", "$.contractor.lawfully_registered", "$.contractor.budget_funded"}
    assert declare["$.attestations"].values == (CONDITION,)
    assert declare["$.attestations"].rule_ids == ("qland.contractor.specific_conditions",)
    assert declare["$.contractor.budget_funded"].rule_ids == ("national.contractor.eligible_types",)
    assert declare["$.contractor.budget_funded"].notes_en  # the national rule says what each value means
    # Soft rules' unknowns never enter (they decide nothing), and neither do passes or failures.
    assert facts_to_declare(verdict.findings) == verdict.to_decide

    data = verdict_json(verdict, "en")
    assert {t["path"] for t in data["to_decide"]} == set(declare)
    entry = next(t for t in data["to_decide"] if t["path"] == "$.contractor.lawfully_registered")
    assert entry == {"path": "$.contractor.lawfully_registered", "values": [True, False],
                     "rule_ids": ["qland.contractor.lawful"], "notes": []}
    text = verdict_text(verdict, "en")
    assert "to decide this case, declare:" in text and "$.contractor.lawfully_registered (true | false)" in text
    assert "为确定本案,请申报:" in verdict_text(verdict, "zh")


def test_declaring_what_the_verdict_asks_for_decides_it(qland: swp.Registry) -> None:
    case = swp.Case(contractor=swp.Contractor(name="某中心", legal_form=swp.LegalForm.MASS_ORGANIZATION))
    asked = {t.path for t in qland.check(case, region="qland", on=ON).to_decide}
    declared = swp.Case(
        contractor=attrs.evolve(case.contractor, lawfully_registered=True, budget_funded=False),  # type: ignore[misc]
        attestations=(attestation(),),
    )
    assert asked == {"$.attestations", "$.contractor.lawfully_registered", "$.contractor.budget_funded"}
    verdict = qland.check(declared, region="qland", on=ON)
    assert verdict.to_decide == () and verdict.decision is swp.Decision.ELIGIBLE


def test_schema_paths_resolve_through_references_arrays_and_nulls() -> None:
    assert schema_at("$.contractor.staff.professional_team") == {"type": "boolean"}
    assert schema_at("$.evaluations[0].result")["enum"][-1] == "fail"  # type: ignore[index]
    assert schema_at("$.attestations[*].condition") == {"type": "string"}
    assert schema_at("$.contract.no_such_fact") is None and schema_at("contract") is None
    assert schema_at("$.contract.written.more") is None
    assert declarable_values("$.contract.negative_list_items") == tuple(i.value for i in NegativeListItem)
    assert declarable_values("$.contract.amount") == ()


# -- 2. attested conditions -------------------------------------------------------------------------------------


def test_attestations_are_strict_case_facts_in_the_schema() -> None:
    data = {"attestations": [{"condition": CONDITION, "attested_by": "某区民政局 王五", "basis": "现场核查",
                              "date": "2021-05-01"}]}
    case = swp.structure(data, swp.Case)
    assert case.attestations == (Attestation(CONDITION, "某区民政局 王五", "现场核查", date(2021, 5, 1)),)
    assert swp.unstructure(case)["attestations"] == data["attestations"]
    validator = jsonschema.Draft202012Validator(case_schema())
    validator.validate(data)
    bad = [
        {"attestations": [{"condition": CONDITION, "attested_by": "x", "basis": "y", "date": "2021-05-01", "extra": 1}]},
        {"attestations": [{"condition": CONDITION, "attested_by": "x", "basis": "y"}]},
        {"attestations": [{"condition": CONDITION, "attested_by": "x", "basis": True, "date": "2021-05-01"}]},
        {"attestations": {"condition": CONDITION}},
    ]
    for item in bad:
        assert not validator.is_valid(item)
        with pytest.raises(swp.InvalidInput):
            swp.structure(item, swp.Case)


def test_attestation_problems_are_reported_with_their_paths() -> None:
    one = {"condition": CONDITION, "attested_by": "x", "basis": "y", "date": "2021-05-01"}
    with pytest.raises(swp.InvalidInput) as twice:
        swp.structure({"attestations": [one, one]}, swp.Case)
    assert "$.attestations" in str(twice.value) and "more than once" in str(twice.value)
    with pytest.raises(swp.InvalidInput) as bad:
        swp.structure({"attestations": [{**one, "condition": "Not A Key", "attested_by": " "}]}, swp.Case)
    assert "$.attestations[0].condition" in str(bad.value) and "$.attestations[0].attested_by" in str(bad.value)


def test_attested_finds_the_condition_as_of_the_day_asked() -> None:
    case = swp.Case(attestations=(attestation(day=date(2021, 5, 1)), attestation("qland.other.condition")))
    assert attested(case, CONDITION) == case.attestations[0]
    assert attested(case, CONDITION, date(2021, 5, 1)) == case.attestations[0]
    assert attested(case, CONDITION, date(2021, 4, 30)) is None
    assert attested(case, "qland.missing.condition") is None
    with pytest.raises(ValueError, match="only a pass"):
        swp.RuleResult(swp.Outcome.FAIL, "$", attestation=attestation())


def test_an_attested_condition_passes_and_the_verdict_says_so(qland: swp.Registry) -> None:
    case = swp.Case(contractor=AGENCY, attestations=(attestation(),))
    verdict = qland.check(case, region="qland", on=ON)
    assert verdict.decision is swp.Decision.ELIGIBLE  # every hard condition checked or attested
    (finding,) = verdict.attested
    assert finding.rule_id == "qland.contractor.specific_conditions" and finding.attestation == attestation()
    assert "某区民政局 王五" in finding.message("zh") and "现场核查与材料审查" in finding.message("en")
    data = verdict_json(verdict, "en")
    assert data["attested"] == [{"rule_id": "qland.contractor.specific_conditions", "path": "$.attestations",
                                 "condition": CONDITION, "attested_by": "某区民政局 王五",
                                 "basis": "现场核查与材料审查", "date": "2021-05-01"}]
    shown = finding_json(finding, "en")
    assert shown["attestation"]["attested_by"] == "某区民政局 王五"
    assert "[attested] qland.contractor.specific_conditions" in verdict_text(verdict, "en")
    assert "[已证明]" in verdict_text(verdict, "zh")
    # An attestation dated after the day asked does not count.
    later = qland.check(case, region="qland", on=date(2021, 4, 1))
    assert later.attested == () and later.decision is swp.Decision.UNDETERMINED


# -- 3. library policy ------------------------------------------------------------------------------------------


def test_library_policy_is_labelled_in_findings_json_and_text(qland: swp.Registry) -> None:
    rule = qland.rule("qland.contract.steps_in_order")
    assert rule.basis is Basis.LIBRARY_POLICY and qland.rule("qland.contractor.lawful").basis is Basis.SOURCE
    assert rule_json(rule)["basis"] == "library_policy" and "basis" not in rule_json(qland.rule("qland.contractor.lawful"))
    case = swp.Case(contract=swp.Contract(signed_on=date(2021, 7, 1)))
    verdict = qland.check(case, region="qland", on=ON)
    finding = next(f for f in verdict.findings if f.rule_id == "qland.contract.steps_in_order")
    assert finding.basis is Basis.LIBRARY_POLICY and finding.outcome is swp.Outcome.FAIL
    assert finding_json(finding, "en")["basis"] == "library_policy"
    assert "(hard · library policy)" in verdict_text(verdict, "en")
    assert "本库规则" in verdict_text(verdict, "zh")


def test_a_library_policy_must_say_what_the_source_does_not_state() -> None:
    with pytest.raises(ValueError, match="citation note"):
        _make("qland.contract.policy", _steps_in_order, basis=Basis.LIBRARY_POLICY)


# -- 4. a date before a region's first source --------------------------------------------------------------------


LATE_RULES = [_make("lateland.contractor.lawful", _lawful, start=date(2023, 1, 1), end=date(2024, 12, 31))]


@pytest.fixture(scope="module")
def lateland() -> swp.Registry:
    return swp.load_registry(entrypoints=False, extra_packs=[("latepack", _pack("lateland", LATE_RULES))])


def test_before_the_first_source_the_verdict_says_so_and_is_never_eligible(lateland: swp.Registry) -> None:
    case = swp.Case(contractor=AGENCY)
    verdict = lateland.check(case, region="lateland", on=ON)
    gap = verdict.region_not_in_force
    assert gap is not None and gap.first_in_force == date(2023, 1, 1) and gap.before_first
    # The national layer alone passes the agency, yet lateland's rules for that day are not known.
    assert all(f.outcome is not swp.Outcome.FAIL for f in verdict.findings)
    assert verdict.decision is swp.Decision.UNDETERMINED
    assert swp.decide(verdict.findings, verdict.conflicts) is swp.Decision.ELIGIBLE  # without the flag it would be
    assert "2023-01-01" in gap.message("en") and "2023-01-01" in gap.message("zh")
    data = verdict_json(verdict, "en")
    assert data["region_not_in_force"]["first_in_force"] == "2023-01-01"
    assert "[not in force]" in verdict_text(verdict, "en")
    # A national failure is a failure anywhere: still ineligible.
    unlawful = swp.Case(contractor=attrs.evolve(AGENCY, lawfully_registered=False))
    assert lateland.check(unlawful, region="lateland", on=ON).decision is swp.Decision.INELIGIBLE
    # In force: no flag.
    assert lateland.check(case, region="lateland", on=date(2023, 6, 1)).region_not_in_force is None


def test_after_the_last_source_ends_the_verdict_names_the_last_day(lateland: swp.Registry) -> None:
    verdict = lateland.check(swp.Case(contractor=AGENCY), region="lateland", on=date(2025, 6, 1))
    gap = verdict.region_not_in_force
    assert gap is not None and not gap.before_first and gap.last_in_force == date(2024, 12, 31)
    assert "2024-12-31" in gap.message("en") and "2024-12-31" in gap.message("zh")
    assert verdict.decision is swp.Decision.UNDETERMINED


def test_the_fee_before_the_first_source_is_not_in_force_not_unspecified(lateland: swp.Registry) -> None:
    answer = lateland.evaluation_fee(region="lateland", base_amount=Decimal(1000), on=ON)
    assert answer.fee is None and answer.region_not_in_force is not None
    assert "2023-01-01" in (answer.reason_en or "") and "2023-01-01" in (answer.reason_zh or "")
    assert fee_json(answer, "en")["region_not_in_force"]["first_in_force"] == "2023-01-01"
    national = lateland.evaluation_fee(region="national", base_amount=Decimal(1000), on=date(2015, 6, 1))
    assert national.region_not_in_force is not None and national.region_not_in_force.first_in_force == date(2020, 3, 1)
    in_force = lateland.evaluation_fee(region="lateland", base_amount=Decimal(1000), on=date(2023, 6, 1))
    assert in_force.region_not_in_force is None and fee_json(in_force, "en")["region_not_in_force"] is None


def test_swp_fee_before_xiamen_s_first_source(installed: swp.Registry, capsys: pytest.CaptureFixture[str]) -> None:
    if "xiamen" not in [r.code for r in installed.regions()]:
        pytest.skip("the xiamen pack is not installed here")
    gap = installed.region_not_in_force("xiamen", date(2014, 6, 1))
    assert gap is not None
    assert main(["fee", "--region", "xiamen", "--on", "2014-06-01", "--amount", "500000", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert f"no source of xiamen encoded here is in force on 2014-06-01: the first takes effect on {gap.first_in_force}" in out
    assert "sets no" not in out


def test_swp_check_json_carries_the_new_keys(installed: swp.Registry, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"contractor": {"name": "某中心", "legal_form": "public_institution"}}), encoding="utf-8")
    code = main(["check", str(path), "--region", "national", "--on", "2015-06-01", "--format", "json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 3 and data["decision"] == "undetermined"
    assert data["region_not_in_force"]["first_in_force"] == "2020-03-01"
    assert {s["topic"] for s in data["silences"]} >= {"not_encoded.state_council_2013_96",
                                                       "not_encoded.interim_measures_2014"}
    assert data["to_decide"] == [] and data["attested"] == []


# -- national silences -------------------------------------------------------------------------------------------


def test_a_2015_verdict_says_which_national_rules_it_did_not_check(qland: swp.Registry) -> None:
    verdict = qland.check(swp.Case(contractor=AGENCY), region="qland", on=date(2015, 6, 1))
    not_encoded = [s for s in verdict.silences if s.kind is SilenceKind.NOT_ENCODED]
    assert {s.region for s in not_encoded} == {"national"}
    text = " ".join(s.statement_zh for s in not_encoded)
    for number in ("国办发〔2013〕96号", "财综〔2014〕96号", "政府采购法"):
        assert number in text
    assert all("目录 B." in s.statement_zh and "catalogue B." in s.statement_en for s in not_encoded)
    assert "[not checked] national:" in verdict_text(verdict, "en")
    # Decree 102 in force: its interim predecessor is no longer listed, and the layer's own fee silence is.
    later = qland.check(swp.Case(contractor=AGENCY), region="qland", on=ON)
    assert "not_encoded.interim_measures_2014" not in {s.topic for s in later.silences}
    assert "evaluation_fee" in {s.topic for s in later.silences if s.region == "national"}
    # Leaving the national layer out leaves its silences out.
    alone = qland.check(swp.Case(contractor=AGENCY), region="qland", on=date(2015, 6, 1), national=False)
    assert all(s.region == "qland" for s in alone.silences)


# -- 5. a declared false fact fails, never as a conflict -----------------------------------------------------------


def test_a_declared_false_condition_fails_and_is_no_conflict(qland: swp.Registry) -> None:
    unlawful = swp.Case(contractor=attrs.evolve(AGENCY, lawfully_registered=False), attestations=(attestation(),))
    verdict = qland.check(unlawful, region="qland", on=ON)
    national = next(f for f in verdict.findings if f.rule_id == "national.contractor.eligible_types")
    assert national.outcome is swp.Outcome.FAIL and national.declared_false
    # qland's type rule passes every type, but the national failure is not about the type: no conflict.
    assert verdict.conflicts == () and verdict.decision is swp.Decision.INELIGIBLE
    # A real disagreement on the type is still a conflict.
    category_1 = swp.Contractor(name="某医院", legal_form=swp.LegalForm.PUBLIC_INSTITUTION, lawfully_registered=True,
                                public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1)
    disputed = qland.check(swp.Case(contractor=category_1, attestations=(attestation(),)), region="qland", on=ON)
    assert [(c.regional.rule_id, c.national.rule_id) for c in disputed.conflicts] == [
        ("qland.contractor.any_type", "national.contractor.eligible_types")]


# -- properties over every installed region ------------------------------------------------------------------------


KNOWN_CONDITIONS = [CONDITION, BY_ANALOGY, "ningxia.contractor.specific_conditions",
                    "henan2013.contractor.professional_team", "xiamen.contractor.professional_team"]


@st.composite
def full_cases(draw: st.DrawFn) -> swp.Case:
    """Generated cases with the facts issue 8 added (the testing kit's strategies predate them)."""
    case = draw(sst.cases())
    opt_bool = st.none() | st.booleans()
    if case.contract is not None:
        contract = attrs.evolve(
            case.contract,
            budget_secured=draw(opt_bool),
            content_relatively_fixed=draw(opt_bool),
            strongly_continuous=draw(opt_bool),
            stable_funding=draw(opt_bool),
            small_price_changes=draw(opt_bool),
            contractor_conditions_non_discriminatory=draw(opt_bool),
            negative_list_items=draw(st.none() | st.frozensets(st.sampled_from(NegativeListItem), max_size=2)),
        )
        case = attrs.evolve(case, contract=contract)
    conditions = draw(st.lists(st.sampled_from(KNOWN_CONDITIONS), unique=True, max_size=3))
    days = st.dates(min_value=date(2010, 1, 1), max_value=date(2030, 12, 31))
    return attrs.evolve(case, attestations=tuple(
        Attestation(condition=c, attested_by="某证明人", basis="核查", date=draw(days)) for c in conditions))


def _regions(registry: swp.Registry) -> list[str]:
    return [r.code for r in registry.regions()]


SETTINGS = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow], deadline=None)


@SETTINGS
@given(case=full_cases(), on=sst.dates(), data=st.data())
def test_every_unknown_names_a_deciding_path_in_the_schema(installed: swp.Registry, case: swp.Case, on: date,
                                                           data: st.DataObject) -> None:
    region = data.draw(st.sampled_from(_regions(installed)))
    for finding in installed.check(case, region=region, on=on).findings:
        if finding.outcome is not swp.Outcome.UNKNOWN:
            assert finding.deciding == (), finding.rule_id
            continue
        assert finding.deciding, f"{finding.rule_id} is unknown without a deciding fact"
        for fact in finding.deciding:
            assert schema_at(fact.path) is not None, f"{finding.rule_id}: {fact.path} is not in the case schema"
            allowed = declarable_values(fact.path)
            if allowed:
                assert set(fact.values) <= set(allowed), f"{finding.rule_id}: {fact.values} at {fact.path}"


@SETTINGS
@given(case=full_cases(), on=sst.dates(), data=st.data())
def test_soft_rules_never_change_a_decision(installed: swp.Registry, case: swp.Case, on: date,
                                            data: st.DataObject) -> None:
    region = data.draw(st.sampled_from(_regions(installed)))
    verdict = installed.check(case, region=region, on=on)
    gating = [f for f in verdict.findings if f.rule.strength.gates]
    flip = {swp.Outcome.PASS: swp.Outcome.FAIL, swp.Outcome.FAIL: swp.Outcome.PASS}
    # Soft findings dropped, or turned the other way: the decision stays.
    turned = [f if f.rule.strength.gates else attrs.evolve(f, outcome=flip.get(f.outcome, f.outcome))
              for f in verdict.findings]
    in_force = verdict.region_not_in_force is None
    assert swp.decide(gating, verdict.conflicts, region_in_force=in_force) is verdict.decision
    assert swp.decide(turned, verdict.conflicts, region_in_force=in_force) is verdict.decision


_PARTS = ("purchaser", "contractor", "contract", "planning", "evaluations", "published", "attestations")


def _present(case: swp.Case, part: str) -> bool:
    value = getattr(case, part)
    return value is not None and value != ()


ENDED_WITHOUT_EVALUATIONS = swp.Case(
    contract=swp.Contract(service_period=swp.ServicePeriod(date(2015, 3, 1), date(2016, 2, 29)))
)
"""A contract whose service period has ended, and no evaluation in the case (an absent part)."""


@pytest.mark.parametrize(
    "region",
    [
        "national",
        "henan",
        "ningxia",
        "xiamen",
    ],
)
@SETTINGS
@example(case=ENDED_WITHOUT_EVALUATIONS, on=date(2016, 4, 1))
@given(case=full_cases(), on=sst.dates())
def test_an_absent_case_part_never_makes_a_verdict_ineligible(installed: swp.Registry, region: str, case: swp.Case,
                                                              on: date) -> None:
    if region not in _regions(installed):
        pytest.skip(f"the {region} pack is not installed here")
    verdict = installed.check(case, region=region, on=on)
    for finding in verdict.failures:
        part = finding.path.removeprefix("$.").split(".")[0].split("[")[0]
        assert part in _PARTS and _present(case, part), f"{finding.rule_id} fails at {finding.path} on an absent part"
    assert installed.check(swp.Case(), region=region, on=on).decision is not swp.Decision.INELIGIBLE


_NATIONAL_CONDITIONS: dict[str, tuple[str, str]] = {
    "national.contractor.eligible_types": ("contractor", "lawfully_registered"),
    "national.contract.written_terms": ("contract", "written"),
    "national.procedure.contractor_conditions": ("contract", "contractor_conditions_non_discriminatory"),
    "national.contract.term_length": ("contract", "budget_secured"),
}


@SETTINGS
@given(case=full_cases(), on=sst.dates(min_value=date(2020, 3, 1)), rule_id=st.sampled_from(sorted(_NATIONAL_CONDITIONS)))
def test_a_declared_false_condition_never_passes_a_national_rule(case: swp.Case, on: date, rule_id: str) -> None:
    registry = swp.load_registry(entrypoints=False)
    part, fact = _NATIONAL_CONDITIONS[rule_id]
    target = getattr(case, part)
    if target is None:
        return  # an absent part: not applicable, nothing declared
    case = attrs.evolve(case, **{part: attrs.evolve(target, **{fact: False})})
    if case.contractor is not None and case.contractor.legal_form is swp.LegalForm.INDIVIDUAL and part == "contractor":
        return  # a person is not 依法成立: the condition is a body's
    if rule_id == "national.contract.term_length":
        from dateutil.relativedelta import relativedelta

        from socialwork_procurement.rules._schedule import last_day_of_term

        sp = case.contract.service_period if case.contract else None
        if sp is None or sp.end <= last_day_of_term(sp.start, relativedelta(years=1)):
            return  # the article's conditions are for terms over one year only
    predicate = registry.rule(rule_id).predicate
    assert predicate is not None
    result = predicate(case, on)
    assert result.outcome is swp.Outcome.FAIL, (rule_id, result)


def test_generated_full_cases_match_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(case_schema(), format_checker=jsonschema.FormatChecker())

    @settings(max_examples=30, deadline=None)
    @given(full_cases())
    def check(case: swp.Case) -> None:
        data: Any = swp.unstructure(case)
        validator.validate(data)
        assert swp.structure(data, swp.Case) == case

    check()
