"""The Xiamen pack: installation, completeness against RULES.md A.3, quotes, conformance, predicates."""

from __future__ import annotations

import importlib.metadata
import itertools
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import socialwork_procurement_xiamen as xm

import socialwork_procurement as swp
from socialwork_procurement.cli._main import main as swp_main  # the `swp` command, run in-process
from socialwork_procurement.cli._output import verdict_text as swp_verdict_text
from socialwork_procurement.testing import SEEDS_MISSING, assert_pack_conforms, assert_quotes_verbatim, seeds_dir

SEEDS = seeds_dir(Path(__file__).parent)
SEED_FILE = "003_591adcebc82a76dc.txt"
ON = date(2015, 3, 1)

# Every xiamen.* row of RULES.md A.3: id -> (kind, strength), copied from the catalogue.
CATALOGUE: dict[str, tuple[str, str]] = {
    "xiamen.purchaser.eligible_bodies": ("purchaser_eligibility", "hard"),
    "xiamen.contractor.independent_legal_person": ("contractor_eligibility", "hard"),
    "xiamen.contractor.professional_team": ("contractor_eligibility", "hard"),
    "xiamen.contractor.governance_capacity": ("contractor_eligibility", "hard"),
    "xiamen.contractor.org_type": ("contractor_eligibility", "hard"),
    "xiamen.contractor.pneu_main": ("priority", "soft"),
    "xiamen.form.projects": ("procedure", "soft"),
    "xiamen.procedure.needs_cost_targets_budget": ("procedure", "hard"),
    "xiamen.procedure.follow_gov_procurement_law": ("procedure", "hard"),
    "xiamen.contract.required_terms": ("contract_terms", "hard"),
    "xiamen.evaluation.tripartite_review": ("evaluation", "hard"),
    "xiamen.evaluation.fee_3pct": ("evaluation_fee", "hard"),
    "xiamen.evaluation.results_reference": ("evaluation", "soft"),
    "xiamen.evaluation.mid_and_final_third_party": ("evaluation", "hard"),
    "xiamen.funding.fiscal_budget": ("funding", "hard"),
    "xiamen.funding.lottery_infrastructure": ("funding", "soft"),
    "xiamen.funding.foundations_enterprises": ("funding", "soft"),
    "xiamen.supervision.spot_checks": ("procedure", "info"),
    "xiamen.procedure.pilot_approval": ("procedure", "hard"),
    "xiamen.timeline.start": ("timeline", "info"),
    "xiamen.timeline.phase_prep": ("timeline", "info"),
    "xiamen.timeline.phase1": ("timeline", "info"),
    "xiamen.timeline.midterm_review": ("timeline", "info"),
    "xiamen.timeline.phase2": ("timeline", "info"),
    "xiamen.timeline.final_review": ("timeline", "info"),
    "xiamen.scope.pilot_depts_groups": ("scope", "soft"),
}

SILENCE_TOPICS = {
    "evaluation_deadline",
    "later_instruments",
    "evaluation_grade",
    "staff_share",
    "procurement_method",
    "procurement_thresholds",
    "contract_length",
    "disclosure_items",
    "lottery_share",
    "evaluation_fee_base",
}


@pytest.fixture(scope="module")
def registry() -> swp.Registry:
    return swp.load_registry()


@pytest.fixture(scope="module")
def xiamen_only() -> swp.Registry:
    return swp.load_registry(national=False)


# -- installation ------------------------------------------------------------------------------


def test_entry_point_is_installed() -> None:
    eps = importlib.metadata.entry_points(group=swp.ENTRY_POINT_GROUP)
    ours = [ep for ep in eps if ep.name == "xiamen"]
    assert len(ours) == 1
    assert ours[0].dist is not None
    assert ours[0].dist.name == "socialwork-procurement-xiamen"
    assert ours[0].load() is xm.pack


def test_registry_lists_xiamen_without_problems(registry: swp.Registry) -> None:
    assert "xiamen" in [r.code for r in registry.regions()]
    assert not [p for p in registry.problems if "xiamen" in str(p)]
    assert registry.region_pack("xiamen") == "socialwork-procurement-xiamen"
    assert registry.layers("xiamen") == ("national", "xiamen")


def test_pack_conforms(registry: swp.Registry) -> None:
    assert_pack_conforms(registry, region="xiamen")


def test_pack_conforms_without_national_layer(xiamen_only: swp.Registry) -> None:
    assert_pack_conforms(xiamen_only, region="xiamen", max_examples=50, national=False)


# -- completeness and records -------------------------------------------------------------------


def test_every_catalogue_rule_is_present_with_its_kind_and_strength(registry: swp.Registry) -> None:
    versions: dict[str, list[swp.Rule]] = {}
    for r in registry.rules("xiamen"):
        versions.setdefault(r.rule_id, []).append(r)
    assert set(versions) == set(CATALOGUE)
    for rule_id, (kind, strength) in CATALOGUE.items():
        for rule in versions[rule_id]:
            assert (rule.kind.value, rule.strength.value) == (kind, strength), rule_id
            assert rule.region == "xiamen"
            assert rule.dates_note
            assert "2016" in rule.dates_note
            assert "2022" in rule.dates_note
            assert rule.citation.source.file == "003_591adcebc82a76dc.txt"
            assert rule.citation.source.number == "厦府办〔2015〕3号"


def test_each_rule_has_a_pilot_version_and_one_after_the_pilot(registry: swp.Registry) -> None:
    # The choice for the days after the pilot (issue 8): kept, with the caveat in every message.
    by_id: dict[str, list[swp.Rule]] = {}
    for r in xm.RULES:
        by_id.setdefault(r.rule_id, []).append(r)
    assert len(xm.RULES) == 2 * len(CATALOGUE)
    for rule_id, (pilot, later) in ((k, sorted(v, key=lambda r: r.effective_from)) for k, v in by_id.items()):
        assert (pilot.effective_from, pilot.effective_to) == (date(2015, 1, 6), date(2016, 6, 30)), rule_id
        assert (later.effective_from, later.effective_to) == (date(2016, 7, 1), None), rule_id
        assert pilot.dates_note == xm.DATES_NOTE and later.dates_note == xm.DATES_NOTE_AFTER_PILOT
        assert xm.PILOT_CAVEAT_EN not in pilot.message_en and xm.PILOT_CAVEAT_ZH not in pilot.message_zh
        assert later.message_en == f"{pilot.message_en} [{xm.PILOT_CAVEAT_EN}]"
        assert later.message_zh == f"{pilot.message_zh}〔{xm.PILOT_CAVEAT_ZH}〕"
        same = ("kind", "strength", "subject", "citation", "predicate", "fee", "question", "basis")
        assert all(getattr(pilot, f) == getattr(later, f) for f in same), rule_id
    # The pilot's end is the end of its last phase, as the periods say.
    assert next(p.end for p in registry.periods("xiamen") if p.period_id == "xiamen.pilot") == xm.PILOT_END
    assert "superseded" in xm.PILOT_CAVEAT_EN and "取代" in xm.PILOT_CAVEAT_ZH
    assert "2016-07-01" in xm.DATES_NOTE and "2016-06-30" in xm.DATES_NOTE


def test_question_tags_pair_the_type_rules_with_the_national_layer() -> None:
    assert {r.rule_id: r.question for r in xm.RULES if r.question is not None} == {
        "xiamen.purchaser.eligible_bodies": "purchaser.type",
        "xiamen.contractor.org_type": "contractor.type",
    }


def test_conflict_names_org_type_whatever_the_other_contractor_findings(registry: swp.Registry) -> None:
    institution = swp.Contractor(
        name="厦门市某公益一类事业单位",
        legal_form=swp.LegalForm.PUBLIC_INSTITUTION,
        public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1,
        has_required_capacity=True,
    )
    verdict = registry.check(swp.Case(contractor=institution), region="xiamen", on=date(2021, 6, 1))
    outcomes = {f.rule_id: f.outcome for f in verdict.findings}
    assert outcomes["xiamen.contractor.governance_capacity"] is swp.Outcome.UNKNOWN
    assert [(c.regional.rule_id, c.national.rule_id) for c in verdict.conflicts] == [
        ("xiamen.contractor.org_type", "national.contractor.eligible_types")
    ]
    assert verdict.decision is swp.Decision.UNDETERMINED


def test_data_rules_carry_no_predicate() -> None:
    for rule in xm.RULES:
        if rule.kind.value in {"funding", "timeline", "scope", "info"} or rule.strength.value == "info":
            assert rule.predicate is None, rule.rule_id


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_quotes_are_verbatim_in_the_seed() -> None:
    assert SEEDS is not None
    assert assert_quotes_verbatim(xm.pack, SEEDS) == len(xm.RULES)


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_source_number_and_date_are_in_the_seed() -> None:
    assert SEEDS is not None
    seed = (SEEDS / SEED_FILE).read_text(encoding="utf-8")
    assert "厦府办〔2015〕3号" in seed
    assert "2015年1月6日" in seed


def test_periods(registry: swp.Registry) -> None:
    periods = {p.period_id: p for p in registry.periods("xiamen")}
    rule_ids = {r.rule_id for r in registry.rules("xiamen")}
    expected = {
        "xiamen.pilot": ("xiamen.timeline.start", date(2015, 1, 1), date(2016, 6, 30)),
        "xiamen.pilot.prep": ("xiamen.timeline.phase_prep", date(2015, 1, 1), date(2015, 1, 31)),
        "xiamen.pilot.phase1": ("xiamen.timeline.phase1", date(2015, 2, 1), date(2015, 8, 31)),
        "xiamen.pilot.midterm_review": ("xiamen.timeline.midterm_review", date(2015, 9, 1), date(2015, 9, 30)),
        "xiamen.pilot.phase2": ("xiamen.timeline.phase2", date(2015, 10, 1), date(2016, 4, 30)),
        "xiamen.pilot.final_review": ("xiamen.timeline.final_review", date(2016, 5, 1), date(2016, 6, 30)),
    }
    assert {k: (p.rule_id, p.start, p.end) for k, p in periods.items()} == expected
    assert all(p.rule_id in rule_ids for p in periods.values())
    # The five phases tile the pilot with no gap and no overlap.
    phases = sorted((p for k, p in periods.items() if k != "xiamen.pilot"), key=lambda p: p.start)
    for a, b in itertools.pairwise(phases):
        assert (b.start - a.end).days == 1
    assert [p.period_id for p in registry.periods("xiamen", on=date(2015, 9, 15))] == [
        "xiamen.pilot",
        "xiamen.pilot.midterm_review",
    ]


def test_silences(registry: swp.Registry) -> None:
    silences = registry.silences("xiamen")
    assert {s.topic for s in silences} == SILENCE_TOPICS
    for s in silences:
        if s.topic == "later_instruments":
            # Not a silence of the seed: an instrument the library does not encode, from the pilot's end.
            assert s.kind is swp.SilenceKind.NOT_ENCODED and s.sources == ()
            assert s.effective_from == date(2016, 7, 1) and s.effective_to is None
            assert "操作规程" in s.statement_zh and "2022" in s.statement_en
        else:
            assert s.kind is swp.SilenceKind.SOURCES_SILENT
            assert s.sources == ("003_591adcebc82a76dc.txt",)
            assert s.effective_from == date(2015, 1, 6)
    base = next(s for s in silences if s.topic == "evaluation_fee_base")
    assert "inside or on top" in base.statement_en
    deadline = next(s for s in silences if s.topic == "evaluation_deadline")
    assert "the source sets no deadline for the mid-term/final evaluation" in deadline.statement_en
    assert "未规定中期评估和末期评估的完成期限" in deadline.statement_zh
    later = next(s for s in silences if s.topic == "later_instruments")
    assert not later.in_force(date(2016, 6, 30)) and later.in_force(date(2016, 7, 1))


# -- the evaluation fee ------------------------------------------------------------------------


def test_fee_on_500000(registry: swp.Registry) -> None:
    answer = registry.evaluation_fee(region="xiamen", base_amount=Decimal("500000"), on=date(2015, 3, 1))
    assert answer.fee == Decimal("15000.00")
    assert answer.rule is not None
    assert answer.rule.rule_id == "xiamen.evaluation.fee_3pct"
    assert answer.pack == "socialwork-procurement-xiamen"


def test_fee_rule_declares_its_base_and_rounding() -> None:
    assert swp.FeeSchedule(
        rate=Decimal("0.03"), base_zh="总购买资金", base_en="total purchase funds", rounding="ROUND_HALF_UP"
    ) == xm.FEE_SCHEDULE
    rule = next(r for r in xm.RULES if r.rule_id == "xiamen.evaluation.fee_3pct")
    assert rule.predicate is None
    assert rule.fee is xm.FEE_SCHEDULE
    assert "inside or on top" in rule.message_en
    assert "另计" in rule.message_zh


def test_fee_rounds_half_up(registry: swp.Registry) -> None:
    # 0.03 * 0.50 = 0.015 -> 0.02 (half up); 0.03 * 333333.33 = 9999.9999 -> 10000.00
    fee = registry.evaluation_fee(region="xiamen", base_amount=Decimal("0.50"), on=ON).fee
    assert fee == Decimal("0.02")
    fee = registry.evaluation_fee(region="xiamen", base_amount=Decimal("333333.33"), on=ON).fee
    assert fee == Decimal("10000.00")


def test_no_fee_before_the_notice(registry: swp.Registry) -> None:
    answer = registry.evaluation_fee(region="xiamen", base_amount=Decimal("500000"), on=date(2015, 1, 5))
    assert answer.fee is None


@pytest.mark.parametrize(("on", "caveat"), [(date(2016, 6, 30), False), (date(2016, 7, 1), True),
                                            (date(2024, 3, 1), True)])
def test_fee_after_the_pilot_says_the_instrument_may_be_superseded(
    registry: swp.Registry, capsys: pytest.CaptureFixture[str], on: date, caveat: bool
) -> None:
    # Before issue 8, `swp fee --region xiamen --on 2024-03-01` answered 3% with no word of the pilot.
    answer = registry.evaluation_fee(region="xiamen", base_amount=Decimal("500000"), on=on)
    assert answer.fee == Decimal("15000.00") and answer.rule is not None
    assert (xm.PILOT_CAVEAT_EN in answer.rule.message_en) is caveat
    assert (xm.PILOT_CAVEAT_ZH in answer.rule.message_zh) is caveat
    for lang, text in (("en", xm.PILOT_CAVEAT_EN), ("zh", xm.PILOT_CAVEAT_ZH)):
        code = swp_main(["fee", "--region", "xiamen", "--on", on.isoformat(), "--amount", "500000", "--lang", lang])
        out = capsys.readouterr().out
        assert code == 0 and out.startswith("15000.00  (xiamen.evaluation.fee_3pct: "), out
        assert (text in out) is caveat


def test_findings_after_the_pilot_carry_the_note_and_name_what_was_not_checked(registry: swp.Registry) -> None:
    case = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT)
    during = registry.check(case, region="xiamen", on=date(2016, 6, 30))
    after = registry.check(case, region="xiamen", on=date(2024, 3, 1))
    ours = [f for f in after.findings if f.rule.region == "xiamen"]
    assert ours and all(xm.PILOT_CAVEAT_EN in f.message("en") and xm.PILOT_CAVEAT_ZH in f.message("zh") for f in ours)
    assert not [f for f in during.findings if xm.PILOT_CAVEAT_EN in f.message("en")]
    # The outcomes are the pilot version's: the note changes what the answer says, not what it decides.
    assert {f.rule_id: f.outcome for f in registry.check(case, region="xiamen", on=date(2016, 7, 1)).findings
            if f.rule.region == "xiamen"} == {f.rule_id: f.outcome for f in during.findings if f.rule.region == "xiamen"}
    assert "later_instruments" in {s.topic for s in after.silences}
    assert "later_instruments" not in {s.topic for s in during.silences}
    # The text a person reads says both (its layout wraps lines: compare with the spaces collapsed).
    later = next(s for s in after.silences if s.topic == "later_instruments")
    for lang, statement, caveat in (("en", later.statement_en, xm.PILOT_CAVEAT_EN),
                                    ("zh", later.statement_zh, xm.PILOT_CAVEAT_ZH)):
        text = "".join(swp_verdict_text(after, lang).split())
        assert "".join(statement.split()) in text and "".join(caveat.split()) in text


def test_the_scope_quote_carries_the_fields() -> None:
    # Issue 8: the quote stopped at 「…等群体」 and dropped the fields the pilot concentrates on.
    rule = next(r for r in xm.RULES if r.rule_id == "xiamen.scope.pilot_depts_groups")
    assert rule.citation.quote.endswith(
        "等群体,着重在社会福利、社会救助、社区建设、婚姻家庭、收养评估、社区矫正、安置帮教、人民调解、人口计生、"
        "医疗卫生、残疾人服务等方面开展购买社会工作服务试点工作")
    assert "着重在社会福利" in rule.message_zh and "services for disabled people" in rule.message_en


# -- predicates --------------------------------------------------------------------------------

PNEU = swp.Contractor(
    name="厦门市同心社会工作服务中心",
    legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
    uscc="52350203MJ0000012X",
    independent_legal_person=True,
    staff=swp.Staff(professional_team=True),
    governance=swp.Governance(True, True, True, True, True),
)
STREET = swp.Purchaser(name="思明区筼筜街道办事处", kind=swp.PurchaserKind.STREET_OFFICE,
                       uscc="113502030036501726")
PERIOD = swp.ServicePeriod(date(2015, 3, 1), date(2016, 2, 29))
SIX = frozenset(
    {
        swp.ContractTerm.SCOPE,
        swp.ContractTerm.QUANTITY,
        swp.ContractTerm.QUALITY,
        swp.ContractTerm.SERVICE_PERIOD,
        swp.ContractTerm.PAYMENT_METHOD,
        swp.ContractTerm.BREACH_LIABILITY,
    }
)
CONTRACT = swp.Contract(contractor=PNEU.name, purchaser=STREET.name, service_period=PERIOD, stated_terms=SIX)


def outcome(rule_id: str, case: swp.Case, on: date = ON) -> swp.RuleResult:
    rule = next(r for r in xm.RULES if r.rule_id == rule_id)
    assert rule.predicate is not None
    return rule.predicate(case, on)


@pytest.mark.parametrize(
    ("purchaser", "expected"),
    [
        (STREET, "pass"),
        (swp.Purchaser(name="厦门市人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT, level=swp.AdminLevel.CITY),
         "pass"),
        (swp.Purchaser(name="同安区五显镇人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT,
                       level=swp.AdminLevel.TOWN), "pass"),
        (swp.Purchaser(name="思明区人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT,
                       level=swp.AdminLevel.DISTRICT), "pass"),
        # The city's instrument does not speak to a provincial or national body: not applicable (issue 8).
        (swp.Purchaser(name="福建省人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT,
                       level=swp.AdminLevel.PROVINCIAL), "not_applicable"),
        (swp.Purchaser(name="国务院", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT,
                       level=swp.AdminLevel.NATIONAL), "not_applicable"),
        # No people's government sits at street level: the street is listed as a street office (issue 8).
        (swp.Purchaser(name="筼筜街道", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT,
                       level=swp.AdminLevel.STREET), "unknown"),
        (swp.Purchaser(name="某政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT), "unknown"),
        (swp.Purchaser(name="厦门市民政局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
                       public_service_duties=True), "pass"),
        (swp.Purchaser(name="某局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
                       public_service_duties=False), "fail"),
        (swp.Purchaser(name="某局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT), "unknown"),
        (swp.Purchaser(name="厦门市老龄办", kind=swp.PurchaserKind.PUBLIC_INSTITUTION, civil_service_managed=True,
                       public_institution_category=swp.PublicInstitutionCategory.ADMINISTRATIVE), "pass"),
        (swp.Purchaser(name="某中心", kind=swp.PurchaserKind.PUBLIC_INSTITUTION, civil_service_managed=True),
         "unknown"),
        (swp.Purchaser(name="某中心", kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                       public_institution_category=swp.PublicInstitutionCategory.CATEGORY_2), "fail"),
        (swp.Purchaser(name="某中心", kind=swp.PurchaserKind.PUBLIC_INSTITUTION, civil_service_managed=False),
         "fail"),
        (swp.Purchaser(name="厦门市妇联", kind=swp.PurchaserKind.MASS_ORGANIZATION,
                       staffing=swp.Staffing.ADMINISTRATIVE, budget_funded=True), "pass"),
        (swp.Purchaser(name="某协会", kind=swp.PurchaserKind.MASS_ORGANIZATION,
                       staffing=swp.Staffing.INSTITUTIONAL, budget_funded=True), "fail"),
        (swp.Purchaser(name="某群团", kind=swp.PurchaserKind.MASS_ORGANIZATION,
                       staffing=swp.Staffing.ADMINISTRATIVE), "unknown"),
        (swp.Purchaser(name="某公司", kind=swp.PurchaserKind.ENTERPRISE), "fail"),
        (swp.Purchaser(name="火炬高新区管委会", kind=swp.PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY), "unknown"),
        (swp.Purchaser(name="某机构", kind=swp.PurchaserKind.OTHER), "unknown"),
    ],
)
def test_purchaser_whitelist(purchaser: swp.Purchaser, expected: str) -> None:
    assert outcome("xiamen.purchaser.eligible_bodies", swp.Case(purchaser=purchaser)).outcome.value == expected


def test_contractor_rules_for_a_full_pneu() -> None:
    case = swp.Case(contractor=PNEU)
    for rule_id in ("independent_legal_person", "professional_team", "governance_capacity", "org_type"):
        assert outcome(f"xiamen.contractor.{rule_id}", case).outcome.value == "pass", rule_id


def test_street_level_government_names_the_facts_that_decide_it() -> None:
    street_gov = swp.Purchaser(name="筼筜街道", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT, level=swp.AdminLevel.STREET)
    r = outcome("xiamen.purchaser.eligible_bodies", swp.Case(purchaser=street_gov))
    assert r.outcome is swp.Outcome.UNKNOWN and r.detail_en is not None
    assert "no people's government sits at street level" in r.detail_en
    assert [(f.path, f.values) for f in r.deciding] == [
        ("$.purchaser.kind", ("street_office",)), ("$.purchaser.level", ("city", "district", "town"))]
    provincial = swp.Purchaser(name="福建省民政厅", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT,
                               level=swp.AdminLevel.PROVINCIAL)
    r = outcome("xiamen.purchaser.eligible_bodies", swp.Case(purchaser=provincial))
    assert r.detail_en is not None and "does not speak to a provincial body" in r.detail_en
    assert r.detail_zh is not None and "未涉及省级机关" in r.detail_zh


AGENCY = swp.Attestation("xiamen.contractor.social_work_service_agency", "思明区民政局 王五",
                         "民政部门登记证书:社会工作服务机构", date(2015, 2, 1))


@pytest.mark.parametrize(
    ("form", "attestations", "on", "expected"),
    [
        # Issue 8: a private non-enterprise unit is not by that alone a social-work service agency (a private
        # school is one too): unknown until attested; before, it passed.
        (swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, (), ON, "unknown"),
        (swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, (AGENCY,), ON, "pass"),
        (swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, (AGENCY,), date(2015, 1, 31), "unknown"),  # not yet attested
        (swp.LegalForm.SOCIAL_GROUP, (AGENCY,), ON, "fail"),  # not a PNEU: never such an agency
        (swp.LegalForm.FOUNDATION, (), ON, "fail"),
        (swp.LegalForm.ENTERPRISE, (), ON, "fail"),
    ],
)
def test_pneu_main_applies_to_social_work_service_agencies(
    form: swp.LegalForm, attestations: tuple[swp.Attestation, ...], on: date, expected: str
) -> None:
    case = swp.Case(contractor=swp.Contractor(name="某机构", legal_form=form), attestations=attestations)
    r = outcome("xiamen.contractor.pneu_main", case, on)
    assert r.outcome.value == expected
    if expected == "unknown":
        assert [(f.path, f.values) for f in r.deciding] == [
            ("$.contractor.social_work_service_agency", (True, False)),
            ("$.attestations", ("xiamen.contractor.social_work_service_agency",)),
        ]
        assert r.detail_en is not None and "not every private non-enterprise unit is one" in r.detail_en
    if expected == "pass":
        assert r.attestation == AGENCY and r.path == "$.attestations[0]"
        assert r.detail_zh is not None and "思明区民政局 王五" in r.detail_zh


@pytest.mark.parametrize(("declared", "expected"), [(True, "pass"), (False, "fail"), (None, "unknown")])
def test_pneu_main_reads_the_declared_agency_fact(declared: bool | None, expected: str) -> None:
    contractor = swp.Contractor(name="某社工服务中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
                                social_work_service_agency=declared)
    r = outcome("xiamen.contractor.pneu_main", swp.Case(contractor=contractor), ON)
    assert r.outcome.value == expected
    if expected != "unknown":
        assert r.path == "$.contractor.social_work_service_agency"
    assert r.declared_false is (declared is False)


def test_individual_is_never_a_legal_person() -> None:
    person = swp.Contractor(name="陈某", legal_form=swp.LegalForm.INDIVIDUAL, independent_legal_person=True)
    result = outcome("xiamen.contractor.independent_legal_person", swp.Case(contractor=person))
    assert result.outcome.value == "fail"
    assert result.path == "$.contractor.legal_form"
    assert outcome("xiamen.contractor.org_type", swp.Case(contractor=person)).outcome.value == "fail"


@pytest.mark.parametrize(
    ("form", "capacity", "expected"),
    [
        (swp.LegalForm.ENTERPRISE, None, "unknown"),
        (swp.LegalForm.ENTERPRISE, True, "pass"),
        (swp.LegalForm.ENTERPRISE, False, "fail"),
        (swp.LegalForm.PUBLIC_INSTITUTION, None, "unknown"),
        (swp.LegalForm.PUBLIC_INSTITUTION, True, "pass"),
        (swp.LegalForm.SOCIAL_GROUP, None, "pass"),
        (swp.LegalForm.FOUNDATION, None, "pass"),
        (swp.LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION, True, "fail"),
        (swp.LegalForm.GRASSROOTS_SELF_GOVERNING_ORGANIZATION, True, "fail"),
        (swp.LegalForm.MASS_ORGANIZATION, True, "fail"),
        (swp.LegalForm.INDIVIDUAL, True, "fail"),
        (swp.LegalForm.OTHER, True, "fail"),
    ],
)
def test_org_type_whitelist(form: swp.LegalForm, capacity: bool | None, expected: str) -> None:
    c = swp.Contractor(name="某单位", legal_form=form, has_required_capacity=capacity)
    assert outcome("xiamen.contractor.org_type", swp.Case(contractor=c)).outcome.value == expected


def test_governance_any_false_fails_any_none_is_unknown() -> None:
    def gov(**kw: bool | None) -> swp.Case:
        base: dict[str, bool | None] = dict.fromkeys(
            ("internal_governance", "bylaws", "public_credibility", "operating_capacity",
             "professional_service_capacity"), True)
        base.update(kw)
        return swp.Case(contractor=swp.Contractor(name="某中心", legal_form=swp.LegalForm.SOCIAL_GROUP,
                                                   governance=swp.Governance(**base)))

    assert outcome("xiamen.contractor.governance_capacity", gov()).outcome.value == "pass"
    r = outcome("xiamen.contractor.governance_capacity", gov(bylaws=False, public_credibility=None))
    assert r.outcome.value == "fail"
    assert r.path == "$.contractor.governance.bylaws"
    r = outcome("xiamen.contractor.governance_capacity", gov(operating_capacity=None))
    assert r.outcome.value == "unknown"
    assert r.path == "$.contractor.governance.operating_capacity"
    no_gov = swp.Case(contractor=swp.Contractor(name="某中心", legal_form=swp.LegalForm.SOCIAL_GROUP))
    assert outcome("xiamen.contractor.governance_capacity", no_gov).outcome.value == "unknown"
    assert outcome("xiamen.contractor.professional_team", no_gov).outcome.value == "unknown"


def test_contract_terms_report_the_open_list() -> None:
    ok = outcome("xiamen.contract.required_terms", swp.Case(contract=CONTRACT))
    assert ok.outcome.value == "pass"
    assert ok.detail_en is not None
    assert "「等」" in ok.detail_en
    extra = swp.Contract(stated_terms=SIX | {swp.ContractTerm.DISPUTE_RESOLUTION})
    r = outcome("xiamen.contract.required_terms", swp.Case(contract=extra))
    assert r.outcome.value == "pass"
    assert r.detail_en is not None
    assert "dispute_resolution" in r.detail_en
    short = swp.Contract(stated_terms=SIX - {swp.ContractTerm.BREACH_LIABILITY})
    r = outcome("xiamen.contract.required_terms", swp.Case(contract=short))
    assert r.outcome.value == "fail"
    assert r.detail_en is not None
    assert "breach_liability" in r.detail_en
    assert outcome("xiamen.contract.required_terms", swp.Case(contract=swp.Contract())).outcome.value == "unknown"
    assert outcome("xiamen.contract.required_terms", swp.Case()).outcome.value == "not_applicable"


def test_planning_steps() -> None:
    full = swp.Planning(True, True, True, True, True, True, Decimal("500000.00"))
    assert outcome("xiamen.procedure.needs_cost_targets_budget", swp.Case(planning=full)).outcome.value == "pass"
    no_budget = swp.Planning(True, True, True, True, True, True, None)
    r = outcome("xiamen.procedure.needs_cost_targets_budget", swp.Case(planning=no_budget))
    assert r.outcome.value == "unknown"
    assert r.path == "$.planning.budget"
    skipped = swp.Planning(True, True, False, True, None, True, Decimal("1.00"))
    r = outcome("xiamen.procedure.needs_cost_targets_budget", swp.Case(planning=skipped))
    assert r.outcome.value == "fail"
    assert r.path == "$.planning.targets_quantity"
    assert outcome("xiamen.procedure.needs_cost_targets_budget", swp.Case()).outcome.value == "not_applicable"


def _evaluation(stage: str, who: str, on: date, role: str = "third_party", uscc: str | None = None
                ) -> swp.Evaluation:
    return swp.Evaluation(stage=swp.EvaluationStage(stage), evaluator=who, evaluator_role=swp.EvaluatorRole(role),
                          date=on, evaluator_uscc=uscc)


MID = "midterm_evaluation"
FINAL = "final_evaluation"
EVALUATOR = "厦门市社会工作评估研究中心"


@pytest.mark.parametrize(
    ("on", "evaluations", "expected"),
    [
        # the schedule of 2015-03-01 .. 2016-02-29 puts our mid-term day on 2015-09-01 (our policy: the
        # source names no day), so while the period runs a missing mid-term is unknown, never a fail
        (date(2015, 9, 1), (), "pass"),  # our midterm day itself: not yet due
        (date(2015, 9, 2), (), "unknown"),  # after our midterm day, nothing on record, period running
        (date(2015, 6, 1), (_evaluation(MID, EVALUATOR, date(2015, 5, 20)),), "pass"),  # early midterm counts
        (date(2015, 9, 2), (_evaluation(MID, EVALUATOR, date(2015, 8, 28)),), "pass"),
        # a purchaser evaluation is no third-party midterm: still unknown while the period runs
        (date(2015, 9, 2), (_evaluation(MID, "筼筜街道", date(2015, 8, 28), role="purchaser"),), "unknown"),
        (date(2016, 2, 29), (_evaluation(MID, EVALUATOR, date(2015, 8, 28)),), "pass"),  # last service day
        (date(2016, 2, 29), (), "unknown"),  # last service day, no midterm: the cycle has not ended
        # the period is over: the source sets no deadline, so a missing midterm or final is unknown (issue 8;
        # it failed before, and passed again once a later-dated evaluation was recorded)
        (date(2016, 3, 1), (_evaluation(MID, EVALUATOR, date(2015, 8, 28)),), "unknown"),  # final missing
        (date(2016, 3, 1), (_evaluation(FINAL, EVALUATOR, date(2016, 2, 26)),), "unknown"),  # midterm missing
        (date(2016, 3, 1), (), "unknown"),  # both missing
        (date(2018, 3, 1), (), "unknown"),  # two years later: still no deadline
        (date(2016, 3, 1), (_evaluation(MID, EVALUATOR, date(2015, 8, 28)),
                            _evaluation(FINAL, EVALUATOR, date(2016, 2, 26))), "pass"),
        (date(2016, 3, 1), (_evaluation(MID, EVALUATOR, date(2015, 8, 28)),
                            _evaluation(FINAL, EVALUATOR, date(2016, 2, 26), role="purchaser")), "unknown"),
        # a final evaluation after the last service day still counts once it is on record
        (date(2016, 3, 10), (_evaluation(MID, EVALUATOR, date(2015, 8, 28)),
                             _evaluation(FINAL, EVALUATOR, date(2016, 3, 5))), "pass"),
        # dated after the day asked: not yet on record
        (date(2015, 9, 3), (_evaluation(MID, EVALUATOR, date(2015, 9, 4)),), "unknown"),
        (date(2016, 3, 1), (_evaluation(MID, EVALUATOR, date(2015, 8, 28)),
                            _evaluation(FINAL, EVALUATOR, date(2016, 3, 2))), "unknown"),
        # dated before the service period started: not an evaluation of this cycle
        (date(2016, 3, 1), (_evaluation(MID, EVALUATOR, date(2015, 2, 20)),
                            _evaluation(FINAL, EVALUATOR, date(2016, 2, 26))), "unknown"),
        # the contractor itself, by name (NFKC, spaces and case ignored), even before anything is due
        (date(2015, 4, 1), (_evaluation(MID, " 厦门市同心社会工作服务中心 ", date(2015, 3, 30)),), "fail"),
        # the purchaser itself, by USCC under another name
        (date(2015, 9, 1), (_evaluation(MID, "街道评估小组", date(2015, 8, 29), uscc="113502030036501726"),), "fail"),
    ],
)
def test_mid_and_final_third_party(on: date, evaluations: tuple[swp.Evaluation, ...], expected: str) -> None:
    case = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT, evaluations=evaluations)
    assert outcome("xiamen.evaluation.mid_and_final_third_party", case, on).outcome.value == expected


def test_mid_and_final_matches_names_written_in_the_contract() -> None:
    # No contractor record, only the name in the contract: still recognised as not a third party.
    case = swp.Case(contract=CONTRACT, evaluations=(_evaluation(FINAL, PNEU.name, date(2016, 2, 27)),))
    r = outcome("xiamen.evaluation.mid_and_final_third_party", case, date(2016, 3, 2))
    assert r.outcome.value == "fail"
    assert r.path == "$.evaluations[0].evaluator"


def test_mid_and_final_needs_a_period() -> None:
    case = swp.Case(contract=swp.Contract())
    assert outcome("xiamen.evaluation.mid_and_final_third_party", case).outcome.value == "unknown"
    assert outcome("xiamen.evaluation.mid_and_final_third_party", swp.Case()).outcome.value == "not_applicable"


def test_not_yet_due_says_so() -> None:
    r = outcome("xiamen.evaluation.mid_and_final_third_party", swp.Case(contract=CONTRACT))
    assert r.outcome.value == "pass"
    assert r.detail_en is not None
    assert r.detail_en.startswith("not yet due")
    assert "2015-09-01" in r.detail_en and "scheduling policy" in r.detail_en
    assert r.detail_zh is not None and "本库时点规则" in r.detail_zh


def test_missed_midterm_while_running_names_our_policy_day() -> None:
    case = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT)
    r = outcome("xiamen.evaluation.mid_and_final_third_party", case, date(2015, 12, 1))
    assert r.outcome.value == "unknown"
    assert r.path == "$.evaluations"
    assert r.detail_en is not None and r.detail_zh is not None
    assert "2015-09-01" in r.detail_en and "this library's scheduling policy" in r.detail_en
    assert "names no day" in r.detail_en and "2016-02-29" in r.detail_en
    assert "2015-09-01" in r.detail_zh and "本库时点规则" in r.detail_zh


def test_missing_after_the_cycle_is_unknown_and_says_no_deadline_is_set() -> None:
    final_only = (_evaluation(FINAL, EVALUATOR, date(2016, 2, 26)),)
    case = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT, evaluations=final_only)
    r = outcome("xiamen.evaluation.mid_and_final_third_party", case, date(2016, 3, 1))
    assert r.outcome.value == "unknown"
    assert r.detail_en is not None and r.detail_zh is not None
    assert r.detail_en.startswith("the service cycle ended on 2016-02-29, and no third-party midterm_evaluation is")
    assert "the source sets no deadline for the mid-term/final evaluation" in r.detail_en
    assert "final_evaluation" not in r.detail_en
    assert "服务周期已于 2016-02-29 结束" in r.detail_zh and "中期评估" in r.detail_zh and "未规定" in r.detail_zh
    assert [(f.path, f.values) for f in r.deciding] == [
        ("$.evaluations[*].stage", ("midterm_evaluation",)), ("$.evaluations[*].evaluator_role", ("third_party",))]
    r = outcome("xiamen.evaluation.mid_and_final_third_party", swp.Case(contract=CONTRACT), date(2016, 3, 1))
    assert r.detail_en is not None
    assert "midterm_evaluation or final_evaluation" in r.detail_en
    assert r.deciding[0].values == ("midterm_evaluation", "final_evaluation")


def test_a_late_evaluation_never_turns_a_failure_into_a_pass() -> None:
    # Before issue 8 the rule failed on 2016-03-01 and passed again once the final, dated 2016-04-10, was on record.
    mid = _evaluation(MID, EVALUATOR, date(2015, 8, 28))
    late_final = _evaluation(FINAL, EVALUATOR, date(2016, 4, 10))
    case = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT, evaluations=(mid, late_final))
    rid = "xiamen.evaluation.mid_and_final_third_party"
    assert [outcome(rid, case, d).outcome.value for d in (date(2016, 3, 1), date(2016, 4, 9), date(2016, 4, 10))] == [
        "unknown", "unknown", "pass"]


@pytest.mark.parametrize(
    ("start", "end", "midterm"),
    [
        # the core's policy: start + half the whole months, month ends clamped; short periods by days
        (date(2015, 3, 1), date(2016, 2, 29), date(2015, 9, 1)),
        (date(2015, 1, 1), date(2015, 12, 31), date(2015, 7, 1)),
        (date(2015, 1, 31), date(2015, 3, 31), date(2015, 2, 28)),
        (date(2015, 5, 1), date(2015, 5, 1), date(2015, 5, 1)),
        (date(2015, 5, 1), date(2015, 5, 2), date(2015, 5, 1)),
        (date(2015, 5, 1), date(2015, 5, 3), date(2015, 5, 2)),
    ],
)
def test_evaluation_schedule_examples(start: date, end: date, midterm: date) -> None:
    assert swp.evaluation_schedule(swp.ServicePeriod(start, end)) == swp.EvaluationSchedule(midterm, end)


def test_procurement_method() -> None:
    def case(method: swp.ProcurementMethod | None) -> swp.Case:
        return swp.Case(contract=swp.Contract(procurement_method=method))

    rid = "xiamen.procedure.follow_gov_procurement_law"
    assert outcome(rid, case(swp.ProcurementMethod.OPEN_TENDER)).outcome.value == "pass"
    assert outcome(rid, case(swp.ProcurementMethod.OTHER)).outcome.value == "unknown"
    assert outcome(rid, case(None)).outcome.value == "unknown"


def test_rules_absent_before_issue_date(registry: swp.Registry) -> None:
    verdict = registry.check(swp.Case(contractor=PNEU), region="xiamen", on=date(2015, 1, 5))
    assert not [f for f in verdict.findings if f.rule.region == "xiamen"]
    verdict = registry.check(swp.Case(contractor=PNEU), region="xiamen", on=date(2015, 1, 6))
    assert [f for f in verdict.findings if f.rule.region == "xiamen"]


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        ((), "not_applicable"),
        (("third_party",), "unknown"),
        (("third_party", "service_recipient"), "unknown"),
        (("third_party", "service_recipient", "purchaser"), "pass"),
    ],
)
def test_tripartite_review(roles: tuple[str, ...], expected: str) -> None:
    names = {"third_party": EVALUATOR, "service_recipient": "居民代表", "purchaser": "街道"}
    evaluations = tuple(_evaluation(MID, names[r], date(2015, 9, 1), role=r) for r in roles)
    case = swp.Case(contract=CONTRACT, evaluations=evaluations)
    assert outcome("xiamen.evaluation.tripartite_review", case, date(2015, 9, 2)).outcome.value == expected


def test_tripartite_review_refuses_a_self_styled_third_party() -> None:
    evaluations = (
        _evaluation(MID, PNEU.name, date(2015, 9, 1)),
        _evaluation(MID, "居民代表", date(2015, 9, 1), role="service_recipient"),
        _evaluation(MID, "街道", date(2015, 9, 1), role="purchaser"),
    )
    case = swp.Case(contractor=PNEU, contract=CONTRACT, evaluations=evaluations)
    assert outcome("xiamen.evaluation.tripartite_review", case, date(2015, 9, 2)).outcome.value == "fail"


def test_pilot_approval_is_a_programme_step(registry: swp.Registry) -> None:
    # A step of the pilot's set-up that no single case records: data, never a finding.
    rule = registry.rule("xiamen.procedure.pilot_approval")
    assert rule.subject is swp.Subject.PROGRAMME and rule.predicate is None
    case = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT)
    verdict = registry.check(case, region="xiamen", on=date(2015, 3, 1))
    assert "xiamen.procedure.pilot_approval" not in {f.rule_id for f in verdict.findings}


# -- the evaluation index: one pass, extended as evaluations are appended -----------------------


def test_one_more_evaluation_normalises_only_the_new_name(monkeypatch: pytest.MonkeyPatch) -> None:
    # The predicates used to normalise every third-party evaluator's name on every call (twice a check).
    from socialwork_procurement_xiamen import _predicates

    seen: list[str] = []
    plain = _predicates._same_name.__wrapped__

    def counting(name: str) -> str:
        seen.append(name)
        return plain(name)

    monkeypatch.setattr(_predicates, "_same_name", counting)
    monkeypatch.setattr(_predicates, "_LAST", [_predicates._EMPTY])
    evaluations = tuple(_evaluation(MID, f"评估机构{i}", date(2015, 9, 1)) for i in range(200))
    case = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT, evaluations=evaluations)
    rules = [r for r in xm.RULES if r.rule_id.startswith("xiamen.evaluation.") and r.predicate is not None
             and r.in_force(ON)]
    for rule in rules:
        assert rule.predicate is not None
        rule.predicate(case, date(2015, 9, 2))
    first = len([n for n in seen if n.startswith("评估机构")])
    assert first == 200  # once each, for both predicates together
    seen.clear()
    longer = swp.Case(purchaser=STREET, contractor=PNEU, contract=CONTRACT,
                      evaluations=(*evaluations, _evaluation(MID, "评估机构200", date(2015, 9, 2))))
    results = [rule.predicate(longer, date(2015, 9, 3)) for rule in rules if rule.predicate is not None]
    assert [n for n in seen if n.startswith("评估机构")] == ["评估机构200"]
    # and the answers are those of an index built from nothing
    monkeypatch.setattr(_predicates, "_LAST", [_predicates._EMPTY])
    assert results == [rule.predicate(longer, date(2015, 9, 3)) for rule in rules if rule.predicate is not None]
