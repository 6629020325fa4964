"""The Henan pack: installation, completeness against the catalogue, conformance, and its specifics."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal

import attrs
import pytest
from socialwork_procurement_henan import HENAN_2013, HENAN_2022, INDICATORS, RULES, SILENCES, pack

import socialwork_procurement as swp
from socialwork_procurement import Attestation
from socialwork_procurement.testing import assert_pack_conforms

# Copied from RULES.md A.1, A.2 and the A.8 additions: a completeness test. A.8's corrected reading puts the
# final acceptance in the same 「我省还将建立…」 sentence as the tripartite evaluation: both soft (A.1 said hard).
CATALOGUE_IDS = {
    "henan2013.purchaser.eligible_bodies": ("purchaser_eligibility", "hard"),
    "henan2013.contractor.all_conditions_conjunctive": ("contractor_eligibility", "hard"),
    "henan2013.contractor.independent_legal_person": ("contractor_eligibility", "hard"),
    "henan2013.contractor.registered_org_type": ("contractor_eligibility", "hard"),
    "henan2013.contractor.priority_grade_3a": ("priority", "soft"),
    "henan2013.contractor.public_welfare_nonprofit": ("contractor_eligibility", "hard"),
    "henan2013.contractor.professional_team": ("contractor_eligibility", "hard"),
    "henan2013.contractor.mainly_public_service_orgs": ("contractor_eligibility", "info"),
    "henan2013.form.posts_or_projects": ("procedure", "soft"),
    "henan2013.procedure.open_tender_in_principle": ("procedure", "hard_default"),
    "henan2013.evaluation.tripartite": ("evaluation", "soft"),
    "henan2013.evaluation.final_acceptance": ("evaluation", "soft"),
    "henan2013.funding.fiscal_budget": ("funding", "hard"),
    "henan2013.funding.lottery_and_social": ("funding", "soft"),
    "henan2013.scope.priority_groups": ("scope", "soft"),
    "henan2013.scope.selection_criteria": ("scope", "soft"),
    "henan2013.scope.service_content": ("scope", "info"),
    "henan2013.meta.issuers_in_force": ("info", "info"),
    "henan2022.funding.dept_budget_and_purchase_list": ("funding", "hard"),
    "henan2022.funding.priority_township_services": ("priority", "soft"),
    "henan2022.funding.lottery": ("funding", "soft"),
    "henan2022.evaluation.results_basis_for_selection": ("evaluation", "hard"),
    "henan2022.evaluation.mechanisms": ("evaluation", "soft"),
    "henan2022.station.six_haves": ("planning_target", "hard"),
    "henan2022.target.three_tier_system_2025": ("planning_target", "info"),
    "henan2022.target.talent_total_2025": ("planning_target", "info"),
    "henan2022.target.township_station_coverage_2025": ("planning_target", "info"),
    "henan2022.target.agencies_and_certified_2025": ("planning_target", "info"),
    "henan2022.target.elderly_ratio_2025": ("planning_target", "info"),
    "henan2022.baseline.13th_fyp": ("info", "info"),
    "henan2022.talent.senior_review_committee": ("info", "info"),
    "henan2022.contractor.left_behind_women_services": ("scope", "info"),
}

SILENCE_TOPICS = {
    "evaluation_fee",
    "contract_terms",
    "contract_length",
    "staff_share",
    "disclosure_items",
    "procurement_thresholds",
    "procurement_method",
    "evaluation_grade",
    "lottery_share",
    "contractor_eligibility",
}


@pytest.fixture(scope="module")
def registry() -> swp.Registry:
    return swp.load_registry()


def _henan_pack_ref(registry: swp.Registry) -> swp.PackRef:
    return next(p for p in registry.packs if "henan" in p.regions)


# -- installation ------------------------------------------------------------------------------


def test_henan_entry_point_is_installed() -> None:
    eps = importlib.metadata.entry_points(group=swp.ENTRY_POINT_GROUP)
    henan = [ep for ep in eps if ep.name == "henan"]
    assert len(henan) == 1
    assert henan[0].value == "socialwork_procurement_henan:pack"
    assert henan[0].dist is not None and henan[0].dist.name == "socialwork-procurement-henan"
    assert henan[0].load() is pack


def test_henan_registry_lists_region_without_problems(registry: swp.Registry) -> None:
    assert "henan" in [r.code for r in registry.regions()]
    assert not [p for p in registry.problems if "henan" in p]
    assert registry.region_pack("henan") == "socialwork-procurement-henan"
    assert _henan_pack_ref(registry).version == "0.1.0"
    assert registry.region("henan").sources == (HENAN_2013, HENAN_2022)
    assert registry.layers("henan") == ("national", "henan")


def test_henan_conforms(registry: swp.Registry) -> None:
    assert_pack_conforms(registry, region="henan", max_examples=200)


def test_henan_conforms_without_national_layer() -> None:
    assert_pack_conforms(swp.load_registry(national=False), region="henan", max_examples=100, national=False)


# -- completeness against the catalogue ---------------------------------------------------------


def test_henan_every_catalogue_rule_is_present_with_its_kind_and_strength(registry: swp.Registry) -> None:
    rules = {r.rule_id: r for r in registry.rules("henan")}
    assert set(rules) == set(CATALOGUE_IDS)
    for rule_id, (kind, strength) in CATALOGUE_IDS.items():
        assert (rules[rule_id].kind.value, rules[rule_id].strength.value) == (kind, strength), rule_id
        assert rules[rule_id].region == "henan"


def test_henan_rules_carry_their_own_source_and_dates() -> None:
    for rule in RULES:
        edition = rule.rule_id.split(".", 1)[0]
        if edition == "henan2013":
            assert rule.citation.source is HENAN_2013
            assert rule.effective_from == date(2013, 10, 22)
        else:
            assert rule.citation.source is HENAN_2022
            assert rule.effective_from == date(2022, 3, 1)
        assert rule.effective_to is None
        assert rule.dates_note, rule.rule_id


def test_henan_sources_say_how_their_dates_are_known() -> None:
    assert HENAN_2013.date is None and HENAN_2013.number is None
    assert HENAN_2013.date_note is not None and "2013-10-22" in HENAN_2013.date_note
    assert "inference" in HENAN_2013.date_note and "number" in HENAN_2013.date_note
    assert HENAN_2022.date == date(2022, 3, 1) and HENAN_2022.date_note


def test_henan_data_rules_have_no_predicate_and_info_rules_are_never_checked() -> None:
    data_kinds = {"funding", "planning_target", "timeline", "scope", "info"}
    for rule in RULES:
        if rule.kind.value in data_kinds or rule.strength is swp.Strength.INFO:
            assert rule.predicate is None, rule.rule_id
        assert rule.fee is None


def test_henan_registered_org_type_mentions_the_ambiguity() -> None:
    rule = next(r for r in RULES if r.rule_id == "henan2013.contractor.registered_org_type")
    assert "企事业单位" in rule.message_zh and "企事业单位" in rule.message_en
    assert "ambiguity" in rule.message_en


# -- silences and the fee ------------------------------------------------------------------------


def test_henan_silences_cover_the_catalogue_topics(registry: swp.Registry) -> None:
    topics = [s.topic for s in registry.silences("henan")]
    assert sorted(topics) == sorted(SILENCE_TOPICS)
    assert len(topics) == len(set(topics))
    for silence in SILENCES:
        assert silence.region == "henan" and silence.sources


@pytest.mark.parametrize("on", [date(2014, 1, 1), date(2020, 3, 1), date(2023, 6, 1)])
def test_henan_evaluation_fee_is_null_with_the_reason(registry: swp.Registry, on: date) -> None:
    answer = registry.evaluation_fee(region="henan", base_amount=Decimal("500000.00"), on=on)
    assert answer.fee is None and answer.rule is None
    assert answer.silence is not None and answer.silence.region == "henan"
    assert answer.silence.topic == "evaluation_fee"
    assert answer.reason_en is not None and "evaluation fee" in answer.reason_en
    assert answer.reason_zh is not None and "评估费用" in answer.reason_zh


def test_henan_has_no_fee_rule_at_all() -> None:
    assert not [r for r in RULES if r.kind is swp.RuleKind.EVALUATION_FEE]


# -- indicators ----------------------------------------------------------------------------------


def test_henan_indicators_are_the_2025_targets(registry: swp.Registry) -> None:
    found = {i.indicator_id: i for i in registry.indicators("henan")}
    assert found["henan.professionals_2025"].target == Decimal(50000)
    assert found["henan.certified_professionals_2025"].target == Decimal(20000)
    coverage = found["henan.township_station_coverage_2025"]
    assert (coverage.target, coverage.unit) == (Decimal(100), "percent")
    older = found["henan.social_workers_per_1000_older_people_2025"]
    beds = found["henan.social_workers_per_100_elderly_care_beds_2025"]
    assert (older.target, older.per, beds.target, beds.per) == (Decimal(1), Decimal(1000), Decimal(1), Decimal(100))
    rule_ids = {r.rule_id for r in RULES}
    for indicator in INDICATORS:
        assert indicator.due == date(2025, 12, 31)
        assert indicator.rule_id in rule_ids and indicator.rule_id.startswith("henan2022.target.")


def test_henan_ratio_indicator_assesses_app_figures() -> None:
    older = next(i for i in INDICATORS if i.indicator_id == "henan.social_workers_per_1000_older_people_2025")
    # 18,000 social workers for 20 million older people: 0.9 per 1,000, short by 0.1.
    result = older.assess(Decimal(18000), denominator=Decimal(20_000_000))
    assert not result.met and result.shortfall == Decimal("0.1")
    assert older.assess(Decimal(20000), denominator=Decimal(20_000_000)).met


def test_henan_declares_no_period(registry: swp.Registry) -> None:
    # Seed 002 names the 「十四五」 period but states no dates for it.
    assert registry.periods("henan") == ()


# -- specifics -----------------------------------------------------------------------------------

AGENCY = swp.Contractor(
    name="郑州某社会工作服务中心",
    legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
    independent_legal_person=True,
    lawfully_registered=True,
    public_welfare=True,
    non_profit=True,
    evaluation_grade=swp.EvaluationGrade.A3,
    grade_awarded_on=date(2014, 6, 1),
    staff=swp.Staff(professional_team=True, mainly_social_work_professionals=True),
)


def _outcome(registry: swp.Registry, case: swp.Case, on: date, rule_id: str, *, national: bool = True) -> str:
    verdict = registry.check(case, region="henan", on=on, national=national)
    return next(f.outcome.value for f in verdict.findings if f.rule_id == rule_id)


def test_henan_grade_validity_boundary(registry: swp.Registry) -> None:
    case = swp.Case(contractor=AGENCY)
    rule_id = "henan2013.contractor.priority_grade_3a"
    assert _outcome(registry, case, date(2019, 5, 31), rule_id) == "pass"
    assert _outcome(registry, case, date(2019, 6, 1), rule_id) == "fail"
    assert _outcome(registry, case, date(2014, 5, 31), rule_id) == "fail"  # not yet awarded
    undated = swp.Case(contractor=swp.structure({**swp.unstructure(AGENCY), "grade_awarded_on": None}, swp.Contractor))
    assert _outcome(registry, undated, date(2016, 1, 1), rule_id) == "unknown"


def test_henan_grade_priority_is_reported_as_a_priority(registry: swp.Registry) -> None:
    verdict = registry.check(swp.Case(contractor=AGENCY), region="henan", on=date(2016, 1, 1))
    assert verdict.decision is swp.Decision.ELIGIBLE
    assert [f.rule_id for f in verdict.priorities] == ["henan2013.contractor.priority_grade_3a"]


@pytest.mark.parametrize(
    ("method", "reason", "outcome"),
    [
        ("open_tender", None, "pass"),
        ("open_tender", "无关", "pass"),
        # 「原则上」 lists no exceptions: a stated reason is shown for a person to judge, never a silent pass.
        ("competitive_consultation", "只有两家合格供应商,经财政部门批准", "unknown"),
        ("single_source", None, "fail"),
        ("single_source", "   ", "fail"),
        (None, "任意", "unknown"),
    ],
)
def test_henan_open_tender_in_principle(
    registry: swp.Registry, method: str | None, reason: str | None, outcome: str
) -> None:
    contract = swp.Contract(
        procurement_method=None if method is None else swp.ProcurementMethod(method),
        procurement_method_reason=reason,
    )
    verdict = registry.check(swp.Case(contract=contract), region="henan", on=date(2016, 1, 1))
    finding = next(f for f in verdict.findings if f.rule_id == "henan2013.procedure.open_tender_in_principle")
    assert finding.outcome.value == outcome
    if method not in (None, "open_tender") and outcome == "unknown":
        assert reason is not None and finding.detail_en is not None and reason in finding.detail_en
        assert finding.detail_zh is not None and reason in finding.detail_zh
        assert [(d.path, d.values) for d in finding.deciding] == [
            ("$.attestations", ("henan2013.procedure.open_tender_in_principle",))
        ]


def test_henan_professional_team_never_computes_a_share(registry: swp.Registry) -> None:
    counts_only = swp.Contractor(
        name="某社工机构",
        legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        staff=swp.Staff(full_time=10, social_work_professionals=10),
    )
    assert (
        _outcome(registry, swp.Case(contractor=counts_only), date(2016, 1, 1), "henan2013.contractor.professional_team")
        == "unknown"
    )
    none_at_all = swp.Contractor(name="某社工机构", legal_form=swp.LegalForm.FOUNDATION)
    assert (
        _outcome(registry, swp.Case(contractor=none_at_all), date(2016, 1, 1), "henan2013.contractor.professional_team")
        == "unknown"
    )


def _finding(registry: swp.Registry, case: swp.Case, on: date, rule_id: str) -> swp.Finding:
    verdict = registry.check(case, region="henan", on=on)
    return next(f for f in verdict.findings if f.rule_id == rule_id)


def test_henan_conjunction_points_at_failures_and_never_fails_twice(registry: swp.Registry) -> None:
    rule_id = "henan2013.contractor.all_conditions_conjunctive"
    company = swp.Contractor(name="某公司", legal_form=swp.LegalForm.ENTERPRISE)  # everything else unknown
    verdict = registry.check(swp.Case(contractor=company), region="henan", on=date(2016, 1, 1))
    failing = [f.rule_id for f in verdict.failures]
    # Each failure once: the org type fails; the conjunction is not among the failures but points at it.
    assert failing == ["henan2013.contractor.registered_org_type"]
    conjunction = next(f for f in verdict.findings if f.rule_id == rule_id)
    assert conjunction.outcome is swp.Outcome.NOT_APPLICABLE
    assert conjunction.path == "$.contractor.legal_form"
    assert conjunction.detail_en is not None and "henan2013.contractor.registered_org_type" in conjunction.detail_en
    assert conjunction.detail_zh is not None and "henan2013.contractor.registered_org_type" in conjunction.detail_zh
    # The unknown conditions (legal person, non-profit, team) are not named while one fails: the failure decides.
    assert "independent_legal_person" not in conjunction.detail_en
    vague = swp.Contractor(name="某社工机构", legal_form=swp.LegalForm.SOCIAL_GROUP)
    pending = _finding(registry, swp.Case(contractor=vague), date(2016, 1, 1), rule_id)
    assert pending.outcome is swp.Outcome.NOT_APPLICABLE and pending.deciding == ()
    assert pending.detail_en is not None and "henan2013.contractor.professional_team" in pending.detail_en
    assert _outcome(registry, swp.Case(contractor=AGENCY), date(2016, 1, 1), rule_id) == "pass"


ATTESTED_TEAM = swp.Case(
    contractor=swp.Contractor(
        name="某社工机构",
        legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        independent_legal_person=True,
        lawfully_registered=True,
        public_welfare=True,
        non_profit=True,
        staff=swp.Staff(full_time=12, social_work_professionals=5),
    ),
    attestations=(
        Attestation(
            condition="henan2013.contractor.professional_team",
            attested_by="郑州市民政局社会工作处 李某",
            basis="核查团队名册与服务记录",
            date=date(2016, 3, 1),
        ),
    ),
)


def test_henan_professional_team_passes_on_an_attestation_shown_in_the_finding(registry: swp.Registry) -> None:
    rule_id = "henan2013.contractor.professional_team"
    verdict = registry.check(ATTESTED_TEAM, region="henan", on=date(2016, 4, 1))
    finding = next(f for f in verdict.findings if f.rule_id == rule_id)
    assert finding.outcome is swp.Outcome.PASS and finding.path == "$.attestations"
    assert finding.attestation is ATTESTED_TEAM.attestations[0]
    assert finding.detail_zh is not None and "李某" in finding.detail_zh and "核查团队名册" in finding.detail_zh
    assert finding.detail_en is not None and "李某" in finding.detail_en
    assert [f.rule_id for f in verdict.attested] == [rule_id]
    assert verdict.decision is swp.Decision.ELIGIBLE


def test_henan_professional_team_unattested_names_the_attestation(registry: swp.Registry) -> None:
    rule_id = "henan2013.contractor.professional_team"
    bare = attrs.evolve(ATTESTED_TEAM, attestations=())
    finding = _finding(registry, bare, date(2016, 4, 1), rule_id)
    assert finding.outcome is swp.Outcome.UNKNOWN
    assert [(d.path, d.values) for d in finding.deciding] == [
        ("$.contractor.staff.professional_team", (True, False)),
        ("$.contractor.staff.mainly_social_work_professionals", (True, False)),
        ("$.attestations", (rule_id,)),
    ]
    assert all(d.note_en and d.note_zh for d in finding.deciding)
    # Before the attestation's date it does not count, and the detail says why.
    early = _finding(registry, ATTESTED_TEAM, date(2016, 2, 1), rule_id)
    assert early.outcome is swp.Outcome.UNKNOWN
    assert early.detail_en is not None and "2016-03-01" in early.detail_en
    # Once one declared fact is true, only the other and the attestation are left to decide.
    half = attrs.evolve(bare, contractor=attrs.evolve(bare.contractor, staff=swp.Staff(professional_team=True)))
    assert [d.path for d in _finding(registry, half, date(2016, 4, 1), rule_id).deciding] == [
        "$.contractor.staff.mainly_social_work_professionals",
        "$.attestations",
    ]


def test_henan_declared_false_team_fails_whatever_is_attested(registry: swp.Registry) -> None:
    rule_id = "henan2013.contractor.professional_team"
    assert ATTESTED_TEAM.contractor is not None
    for staff in (swp.Staff(professional_team=False), swp.Staff(mainly_social_work_professionals=False)):
        case = attrs.evolve(ATTESTED_TEAM, contractor=attrs.evolve(ATTESTED_TEAM.contractor, staff=staff))
        finding = _finding(registry, case, date(2016, 4, 1), rule_id)
        assert finding.outcome is swp.Outcome.FAIL and finding.declared_false
        assert finding.attestation is None


def test_henan_open_tender_departure_passes_on_an_attestation(registry: swp.Registry) -> None:
    rule_id = "henan2013.procedure.open_tender_in_principle"
    reason = "灾后紧急服务,经同级财政部门批准采用竞争性磋商"
    contract = swp.Contract(
        procurement_method=swp.ProcurementMethod.COMPETITIVE_CONSULTATION, procurement_method_reason=reason
    )
    judged = Attestation(condition=rule_id, attested_by="某区财政局政府采购科", basis="书面批复", date=date(2016, 8, 10))
    case = swp.Case(contract=contract, attestations=(judged,))
    finding = _finding(registry, case, date(2016, 8, 15), rule_id)
    assert finding.outcome is swp.Outcome.PASS and finding.attestation is judged
    assert finding.detail_en is not None and reason in finding.detail_en and "某区财政局政府采购科" in finding.detail_en
    assert finding.detail_zh is not None and reason in finding.detail_zh
    # Another condition's attestation does not stand in for this one.
    other = attrs.evolve(judged, condition="henan2013.contractor.professional_team")
    assert _finding(registry, attrs.evolve(case, attestations=(other,)), date(2016, 8, 15), rule_id).outcome is (
        swp.Outcome.UNKNOWN
    )


ENDED = swp.Contract(service_period=swp.ServicePeriod(date(2014, 3, 1), date(2015, 2, 28)))


def _final(role: str, result: str | None, day: date = date(2015, 3, 20)) -> swp.Evaluation:
    return swp.Evaluation(
        stage=swp.EvaluationStage.FINAL,
        evaluator="某评估方",
        evaluator_role=swp.EvaluatorRole(role),
        date=day,
        result=None if result is None else swp.EvaluationResult(result),
    )


@pytest.mark.parametrize(
    ("evaluations", "outcome"),
    [
        ((), "unknown"),
        ((_final("service_recipient", "fail"),), "unknown"),  # issue 8: this passed before
        ((_final("purchaser", None),), "unknown"),  # a final evaluation with no result is no acceptance
        ((_final("purchaser", "pass"),), "pass"),
        ((_final("third_party", "excellent"),), "pass"),
        ((_final("third_party", "pass", date(2015, 3, 1)), _final("purchaser", "fail", date(2015, 4, 1))), "unknown"),
        ((_final("purchaser", "fail", date(2015, 3, 1)), _final("purchaser", "good", date(2015, 4, 1))), "pass"),
        ((_final("purchaser", "pass", date(2015, 7, 1)),), "unknown"),  # recorded after the day asked
    ],
)
def test_henan_final_acceptance_needs_a_passed_final_evaluation(
    registry: swp.Registry, evaluations: tuple[swp.Evaluation, ...], outcome: str
) -> None:
    rule_id = "henan2013.evaluation.final_acceptance"
    finding = _finding(registry, swp.Case(contract=ENDED, evaluations=evaluations), date(2015, 6, 1), rule_id)
    assert finding.outcome.value == outcome
    if outcome == "unknown":
        assert [(d.path, d.values) for d in finding.deciding] == [
            ("$.evaluations[*].stage", ("final_evaluation",)),
            ("$.evaluations[*].result", ("excellent", "good", "pass")),
        ]
        assert finding.detail_en is not None and "deadline" in finding.detail_en
    else:
        assert finding.path.startswith("$.evaluations[") and finding.path.endswith("].result")


def test_henan_tripartite_and_acceptance_share_one_sentence_and_strength() -> None:
    rules = {r.rule_id: r for r in RULES}
    tripartite = rules["henan2013.evaluation.tripartite"]
    acceptance = rules["henan2013.evaluation.final_acceptance"]
    assert tripartite.strength is acceptance.strength is swp.Strength.SOFT
    for rule in (tripartite, acceptance):
        assert rule.citation.quote.startswith("我省还将")
    assert acceptance.citation.quote.startswith(tripartite.citation.quote)
    assert "结项验收" in acceptance.citation.quote


def test_henan_org_type_quote_carries_the_page_break_to_foundation() -> None:
    rule = next(r for r in RULES if r.rule_id == "henan2013.contractor.registered_org_type")
    assert rule.citation.quote == "依法登记的社会团体、民办非企业单位和 ⏎ 基金会"


@pytest.mark.parametrize(
    "rule_id", ["henan2022.station.six_haves", "henan2022.evaluation.results_basis_for_selection"]
)
def test_henan_planning_text_is_programme_data_with_the_catalogue_strength(registry: swp.Registry, rule_id: str) -> None:
    rule = next(r for r in RULES if r.rule_id == rule_id)
    assert (rule.kind.value, rule.strength.value) == CATALOGUE_IDS[rule_id]
    assert rule.subject is swp.Subject.PROGRAMME and rule.predicate is None
    assert "not checked against a single purchase" in rule.message_en and "不逐案核查" in rule.message_zh
    # Even the purchase of a township station's services gets no finding from it.
    station = swp.Case(
        purchaser=swp.Purchaser(name="某街道办事处", kind=swp.PurchaserKind.STREET_OFFICE),
        contract=swp.Contract(subject_matter="街道社会工作站运营", purchase_form=swp.PurchaseForm.POST),
    )
    assert rule_id not in {f.rule_id for f in registry.check(station, region="henan", on=date(2023, 1, 1)).findings}


STATE_FUNDED = swp.Purchaser(
    name="河南某国有投资公司",
    kind=swp.PurchaserKind.ENTERPRISE,
    budget_funded=False,
    state_owned_funded=True,
)


def test_henan_purchaser_conflict_with_decree_102(registry: swp.Registry) -> None:
    case = swp.Case(purchaser=STATE_FUNDED)
    before = registry.check(case, region="henan", on=date(2015, 6, 1))
    assert before.decision is swp.Decision.ELIGIBLE and before.conflicts == ()
    assert not [f for f in before.findings if f.rule.region == "national"]
    after = registry.check(case, region="henan", on=date(2020, 3, 1))
    assert after.decision is swp.Decision.UNDETERMINED
    assert [(c.regional.rule_id, c.national.rule_id) for c in after.conflicts] == [
        ("henan2013.purchaser.eligible_bodies", "national.purchaser.state_organs")
    ]
    assert registry.check(case, region="henan", on=date(2020, 2, 29)).conflicts == ()


def test_question_tags_pair_the_type_rules_with_the_national_layer(registry: swp.Registry) -> None:
    assert {r.rule_id: r.question for r in RULES if r.question is not None} == {
        "henan2013.purchaser.eligible_bodies": "purchaser.type",
        "henan2013.contractor.registered_org_type": "contractor.type",
    }
    national = {r.rule_id: r.question for r in registry.rules("national") if r.question is not None}
    assert set(national.values()) >= {"purchaser.type", "contractor.type"}


def test_category_1_institution_conflicts_with_both_national_purchaser_rules(registry: swp.Registry) -> None:
    institution = swp.Purchaser(
        name="河南省某儿童福利院",
        kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
        budget_funded=True,
        public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1,
        staffing=swp.Staffing.INSTITUTIONAL,
    )
    verdict = registry.check(swp.Case(purchaser=institution), region="henan", on=date(2023, 4, 1))
    assert verdict.decision is swp.Decision.UNDETERMINED
    assert sorted((c.regional.rule_id, c.national.rule_id) for c in verdict.conflicts) == [
        ("henan2013.purchaser.eligible_bodies", "national.purchaser.excluded_types"),
        ("henan2013.purchaser.eligible_bodies", "national.purchaser.state_organs"),
    ]


@pytest.mark.parametrize(
    ("kind", "budget", "state", "outcome"),
    [
        ("peoples_government", None, None, "pass"),
        ("government_organ", None, None, "pass"),
        ("administrative_department", None, None, "pass"),
        ("street_office", None, None, "pass"),
        ("dispatched_or_authorised_body", None, None, "pass"),
        ("enterprise", True, None, "pass"),
        ("public_institution", None, True, "pass"),
        ("public_institution", False, False, "fail"),
        ("enterprise", False, None, "unknown"),
        ("enterprise", None, None, "unknown"),
        ("mass_organization", True, None, "fail"),
        ("other", None, None, "unknown"),
    ],
)
def test_henan_purchaser_bodies(
    registry: swp.Registry, kind: str, budget: bool | None, state: bool | None, outcome: str
) -> None:
    purchaser = swp.Purchaser(
        name="某单位", kind=swp.PurchaserKind(kind), budget_funded=budget, state_owned_funded=state
    )
    case = swp.Case(purchaser=purchaser)
    assert _outcome(registry, case, date(2016, 1, 1), "henan2013.purchaser.eligible_bodies") == outcome


def test_henan_purchaser_outside_henan_is_not_judged_by_henan(registry: swp.Registry) -> None:
    rule_id = "henan2013.purchaser.eligible_bodies"
    kind = swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT
    xiamen = swp.Case(purchaser=swp.Purchaser(name="厦门市民政局", kind=kind, region="350200"))
    assert _outcome(registry, xiamen, date(2016, 1, 1), rule_id) == "not_applicable"
    ministry = swp.Case(purchaser=swp.Purchaser(name="民政部", kind=kind, level=swp.AdminLevel.NATIONAL))
    assert _outcome(registry, ministry, date(2016, 1, 1), rule_id) == "not_applicable"
    named = swp.Case(purchaser=swp.Purchaser(name="郑州市民政局", kind=kind, region="郑州市"))
    assert _outcome(registry, named, date(2016, 1, 1), rule_id) == "pass"


def test_henan_rules_are_not_in_force_before_their_dates(registry: swp.Registry) -> None:
    assert registry.rules("henan", on=date(2013, 10, 21)) == ()
    in_2020 = {r.rule_id for r in registry.rules("henan", on=date(2020, 1, 1))}
    assert in_2020 == {i for i in CATALOGUE_IDS if i.startswith("henan2013.")}
    assert {r.rule_id for r in registry.rules("henan", on=date(2022, 3, 1))} == set(CATALOGUE_IDS)


def test_henan_cli_fee_answers_null_with_the_reason() -> None:
    # `swp fee --region henan`: the command-line answer, through the public entry point.
    args = ["fee", "--region", "henan", "--amount", "500000", "--on", "2023-06-01", "--format", "json", "--lang", "en"]
    done = subprocess.run(
        [sys.executable, "-m", "socialwork_procurement", *args], capture_output=True, text=True, check=True
    )
    answer = json.loads(done.stdout)
    assert answer["fee"] is None and answer["rule_id"] is None
    assert "evaluation fee" in answer["reason"] and "Henan" in answer["reason"]
