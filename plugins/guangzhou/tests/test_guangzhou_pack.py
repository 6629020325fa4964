"""The Guangzhou pack: its entry point, a region inside Guangdong, complete against RULES.md A.5, quotes, figures."""

from __future__ import annotations

import importlib.metadata
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import socialwork_procurement as swp
from socialwork_procurement.testing import SEEDS_MISSING, assert_pack_conforms, assert_quotes_verbatim, seeds_dir
from socialwork_procurement_guangdong import SOURCE as GUANGDONG_SOURCE

from socialwork_procurement_guangzhou import EFFECTIVE, INDICATORS, RULES, SOURCES, pack

SEEDS = seeds_dir(Path(__file__).parent)

# Copied from shared/domain/RULES.md A.5: the guangzhou2012.* ids -> (kind, strength as stated there).
CATALOGUE = {
    "guangzhou2012.funding.amount": ("info", "info"),
    "guangzhou2012.target.fsc_count": ("planning_target", "info"),
    "guangzhou2012.contractor.pneu_operates_fsc": ("contractor_eligibility", "info"),  # «info (descriptive)»
}


@cache
def registry() -> swp.Registry:
    return swp.load_registry()


def test_the_entry_point_names_the_pack() -> None:
    (entry_point,) = [ep for ep in importlib.metadata.entry_points(group=swp.ENTRY_POINT_GROUP)
                      if ep.name == "guangzhou"]
    assert entry_point.value == "socialwork_procurement_guangzhou:pack"
    assert entry_point.load() is pack


def test_guangzhou_lies_in_guangdong() -> None:
    reg = registry()
    assert reg.region_pack("guangzhou") == "socialwork-procurement-guangzhou"
    assert not [p for p in reg.problems if "guangzhou" in p]
    assert reg.region("guangzhou").parent == "guangdong"
    assert reg.layers("guangzhou") == ("national", "guangdong", "guangzhou")
    # One article, one record: the Guangdong pack's.
    assert SOURCES == (GUANGDONG_SOURCE,)


def test_the_pack_conforms() -> None:
    assert_pack_conforms(pack, max_examples=50)


def test_every_catalogue_rule_is_present_as_info_and_none_is_checked() -> None:
    rules = {r.rule_id: r for r in RULES}
    assert set(rules) == set(CATALOGUE)
    for rule_id, (kind, strength) in CATALOGUE.items():
        assert (rules[rule_id].kind.value, rules[rule_id].strength.value) == (kind, strength), rule_id
        assert rules[rule_id].predicate is None and rules[rule_id].fee is None
        assert (rules[rule_id].effective_from, rules[rule_id].effective_to) == (date(2012, 2, 8), None)
    assert date(2012, 2, 8) == EFFECTIVE


def test_body_over_headline_the_260_million_is_guangzhous() -> None:
    by_id = {i.indicator_id: i for i in INDICATORS}
    funds = by_id["guangzhou.purchase_funds_2012"]
    assert (funds.target, funds.unit, funds.due, funds.rule_id) == (
        Decimal("260000000"), "yuan", date(2012, 12, 31), "guangzhou2012.funding.amount")
    assert "广州市将安排2.6亿元" in next(r for r in RULES if r.rule_id == funds.rule_id).citation.quote
    centres = by_id["guangzhou.family_service_centres_2012_06"]
    assert (centres.target, centres.due, centres.comparison) == (Decimal(132), date(2012, 6, 30), swp.Comparison.AT_LEAST)
    assert centres.assess(131).shortfall == 1
    assert set(by_id) == {"guangzhou.purchase_funds_2012", "guangzhou.family_service_centres_2012_06"}


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_every_quote_is_verbatim_in_the_seed() -> None:
    assert SEEDS is not None
    assert assert_quotes_verbatim(pack, SEEDS) == len(RULES)


def test_a_guangzhou_case_is_checked_by_the_guangdong_layer() -> None:
    purchaser = swp.Purchaser(name="广州市民政局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT,
                              level=swp.AdminLevel.CITY, region="440100")
    case = swp.Case(purchaser=purchaser, published=frozenset())
    verdict = registry().check(case, region="guangzhou", on=date(2012, 6, 1))
    assert verdict.trace.layers == ("national", "guangdong", "guangzhou")
    assert [(f.rule_id, f.outcome.value) for f in verdict.findings] == [
        ("guangdong2012.disclosure.annual_catalogue", "fail")]
    assert verdict.decision is swp.Decision.INELIGIBLE
    # Both layers' silences are listed: neither sets a fee.
    topics = {(s.region, s.topic) for s in verdict.silences}
    assert {("guangdong", "evaluation_fee"), ("guangzhou", "evaluation_fee")} <= topics


def test_guangzhous_figures_never_reach_another_guangdong_city() -> None:
    assert not [r for r in registry().rules("guangdong") if "广州" in r.citation.quote]
    assert not [i for i in registry().indicators("guangdong") if i.region == "guangzhou"]
