"""The Guangdong pack: installed through its entry point, complete against RULES.md A.5/A.8, quotes, dates, silences."""

from __future__ import annotations

import importlib.metadata
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import socialwork_procurement as swp
from socialwork_procurement.testing import SEEDS_MISSING, assert_pack_conforms, assert_quotes_verbatim, seeds_dir

from socialwork_procurement_guangdong import (
    EFFECTIVE,
    INDICATORS,
    RULES,
    SEED_FILE,
    SOURCE,
    disclosure_annual_catalogue,
    pack,
)

SEEDS = seeds_dir(Path(__file__).parent)
ON = date(2012, 6, 1)

# Copied from shared/domain/RULES.md A.5 and A.8: the guangdong2012.* ids -> (kind, strength as stated there).
CATALOGUE = {
    "guangdong2012.funding.fiscal_budget": ("funding", "hard"),
    "guangdong2012.disclosure.annual_catalogue": ("disclosure", "hard"),
    "guangdong2012.target.12th_fyp": ("planning_target", "info"),
    "guangdong2012.target.civil_affairs_units_posts": ("planning_target", "info"),
    "guangdong2012.target.mass_org_units_posts": ("planning_target", "info"),
    "guangdong2012.target.training_bases_2015": ("planning_target", "info"),
    "guangdong2012.funding.lottery_pilot_subsidy": ("funding", "soft"),
    "guangdong2012.scope.prd_coverage": ("planning_target", "info"),
    "guangdong2012.baseline": ("info", "info"),
    "guangdong2012.scope.less_developed_priority_fields": ("priority", "soft"),
}

SILENT_TOPICS = {
    "purchaser_eligibility", "contractor_conditions", "evaluation_grade", "evaluation_fee", "evaluation",
    "procurement_method", "procurement_thresholds", "purchase_form", "contract_terms", "contract_length",
    "disclosure_items", "lottery_subsidy_amount",
}


@cache
def registry() -> swp.Registry:
    return swp.load_registry()


# -- installation -------------------------------------------------------------------------------


def test_the_entry_point_names_the_pack() -> None:
    (entry_point,) = [ep for ep in importlib.metadata.entry_points(group=swp.ENTRY_POINT_GROUP)
                      if ep.name == "guangdong"]
    assert entry_point.value == "socialwork_procurement_guangdong:pack"
    assert entry_point.dist is not None and entry_point.dist.name == "socialwork-procurement-guangdong"
    assert entry_point.load() is pack


def test_the_registry_loads_guangdong_over_the_national_layer() -> None:
    reg = registry()
    assert reg.region_pack("guangdong") == "socialwork-procurement-guangdong"
    assert not [p for p in reg.problems if "guangdong" in p]
    assert reg.region("guangdong").parent == "national"
    assert reg.layers("guangdong") == ("national", "guangdong")


def test_the_pack_conforms() -> None:
    assert_pack_conforms(pack, max_examples=50)


# -- completeness and records -------------------------------------------------------------------


def test_every_catalogue_rule_is_present_with_its_kind_and_strength() -> None:
    rules = {r.rule_id: r for r in RULES}
    assert set(rules) == set(CATALOGUE)
    for rule_id, (kind, strength) in CATALOGUE.items():
        assert rules[rule_id].kind.value == kind, rule_id
        assert rules[rule_id].strength.value == strength, rule_id


def test_only_the_annual_catalogue_is_checked_against_a_case() -> None:
    checked = [r.rule_id for r in RULES if r.predicate is not None]
    assert checked == ["guangdong2012.disclosure.annual_catalogue"]
    assert all(r.fee is None for r in RULES)


def test_dates_are_the_reposts_and_open_ended() -> None:
    assert EFFECTIVE == date(2012, 2, 8) == SOURCE.date
    for r in RULES:
        assert (r.effective_from, r.effective_to) == (EFFECTIVE, None), r.rule_id
        assert r.dates_note is not None and "2012-02-08" in r.dates_note
        assert r.citation.source == SOURCE
    assert SOURCE.file == SEED_FILE
    assert SOURCE.number is None
    assert SOURCE.date_note is not None and "2012-2-8" in SOURCE.date_note


def test_body_over_headline_the_260_million_is_not_guangdongs() -> None:
    # The headline gives Guangdong the 2.6亿; the body gives it to Guangzhou (the guangzhou region's pack).
    for r in RULES:
        for text in (r.citation.quote, r.message_zh, r.message_en):
            assert "2.6亿" not in text and "广州" not in text and "260" not in text, r.rule_id
    for ind in INDICATORS:
        assert ind.target != Decimal("260000000") and "广州" not in ind.description_zh, ind.indicator_id


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_every_quote_is_verbatim_in_the_seed() -> None:
    assert SEEDS is not None
    assert assert_quotes_verbatim(pack, SEEDS) == len(RULES)


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_the_source_date_and_headline_are_in_the_seed() -> None:
    assert SEEDS is not None
    text = (SEEDS / SEED_FILE).read_text(encoding="utf-8")
    assert "发表于 2012-2-8" in text
    assert "广东今年投2.6亿购买社工服务" in text
    assert "今年广州市将安排2.6亿元购买社工服务" in text  # the body: Guangzhou's


def test_silences_cover_what_the_article_does_not_set() -> None:
    silences = registry().silences("guangdong")
    assert {s.topic for s in silences} == SILENT_TOPICS
    for s in silences:
        assert s.sources == (SEED_FILE,) and s.effective_from == EFFECTIVE


def test_no_fee_is_set_and_the_answer_says_so() -> None:
    answer = registry().evaluation_fee(region="guangdong", base_amount=Decimal("500000"), on=ON)
    assert answer.fee is None and answer.rule is None
    assert answer.silence is not None and answer.silence.topic == "evaluation_fee"


# -- indicators ---------------------------------------------------------------------------------


def test_the_dated_targets_are_indicators() -> None:
    by_id = {i.indicator_id: i for i in INDICATORS}
    expected = {
        "guangdong.professional_social_workers_2015": (50_000, None, date(2015, 12, 31)),
        "guangdong.certified_per_10000_2015": (5, 10_000, date(2015, 12, 31)),
        "guangdong.public_service_units_post_share_2015": (20, None, date(2015, 12, 31)),
        "guangdong.private_agencies_2015": (500, None, date(2015, 12, 31)),
        "guangdong.civil_affairs_units_with_posts_2012": (20, None, date(2012, 12, 31)),
        "guangdong.provincial_training_bases_2015": (4, None, date(2015, 12, 31)),
        "guangdong.prd_central_districts_coverage_2012": (100, None, date(2012, 12, 31)),
    }
    assert set(by_id) == set(expected)
    for indicator_id, (target, per, due) in expected.items():
        ind = by_id[indicator_id]
        assert ind.target == Decimal(target) and ind.due == due, indicator_id
        assert ind.per == (None if per is None else Decimal(per)), indicator_id
        assert ind.comparison is swp.Comparison.AT_LEAST
    ratio = by_id["guangdong.certified_per_10000_2015"].assess(Decimal(48_000), denominator=100_000_000)
    assert ratio.value == Decimal("4.8") and not ratio.met and ratio.shortfall == Decimal("0.2")


# -- the annual catalogue -----------------------------------------------------------------------

_ALL = frozenset(swp.DisclosureItem)
_WITHOUT = _ALL - {swp.DisclosureItem.ANNUAL_CATALOGUE}
_L = swp.AdminLevel


@pytest.mark.parametrize(
    ("level", "published", "outcome"),
    [
        (_L.PROVINCIAL, _ALL, "pass"),
        (_L.CITY, frozenset({swp.DisclosureItem.ANNUAL_CATALOGUE}), "pass"),
        (_L.DISTRICT, _WITHOUT, "fail"),
        (_L.CITY, frozenset(), "fail"),
        (_L.CITY, None, "unknown"),
        (None, None, "unknown"),
        (None, _WITHOUT, "unknown"),
        (None, _ALL, "pass"),
        (_L.TOWN, _WITHOUT, "not_applicable"),
        (_L.STREET, None, "not_applicable"),
        (_L.NATIONAL, _ALL, "not_applicable"),
    ],
)
def test_the_annual_catalogue_duty_is_the_provincial_city_and_county_levels(
    level: swp.AdminLevel | None, published: frozenset[swp.DisclosureItem] | None, outcome: str
) -> None:
    purchaser = swp.Purchaser(name="某民政局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT, level=level)
    result = disclosure_annual_catalogue(swp.Case(purchaser=purchaser, published=published), ON)
    assert result.outcome.value == outcome
    assert result.detail_zh and result.detail_en


def test_an_unknown_names_the_facts_that_decide_it() -> None:
    case = swp.Case(purchaser=swp.Purchaser(name="某局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT))
    result = disclosure_annual_catalogue(case, ON)
    assert [(f.path, f.values) for f in result.deciding] == [
        ("$.published", ("annual_catalogue",)), ("$.purchaser.level", tuple(v.value for v in swp.AdminLevel)),
    ]


def test_no_purchaser_no_duty() -> None:
    contractor = swp.Contractor(name="某社工中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT)
    result = disclosure_annual_catalogue(swp.Case(contractor=contractor, published=frozenset()), ON)
    assert result.outcome is swp.Outcome.NOT_APPLICABLE and result.path == "$.purchaser"
