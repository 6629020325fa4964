"""One test per hook: each hook's records reach the registry, attributed to their pack."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import socialwork_procurement as swp


def test_hook_swp_regions(testland: swp.Registry) -> None:
    region = testland.region("testland")
    assert region.name_en == "Testland" and region.parent == "national"
    assert testland.region_pack("testland") == "swp-test-pack"


def test_hook_swp_rules(testland: swp.Registry) -> None:
    rules = testland.rules("testland")
    assert {r.region for r in rules} == {"testland"}
    assert "testland.contractor.legal_person" in {r.rule_id for r in rules}
    assert [r.rule_id for r in testland.rules("testland", on=date(2021, 6, 1))] == sorted(
        r.rule_id for r in rules if r.rule_id != "testland.contractor.social_org"
    )


def test_hook_swp_silences(testland: swp.Registry) -> None:
    (silence,) = testland.silences("testland")
    assert silence.topic == "evaluation_fee" and silence.in_force(date(2020, 6, 1))
    assert not silence.in_force(date(2021, 1, 1))


def test_hook_swp_indicators(testland: swp.Registry) -> None:
    by_id = {i.indicator_id: i for i in testland.indicators("testland")}
    assert by_id["testland.workers_2025"].assess(Decimal(120)).met
    assert not by_id["testland.per_thousand"].assess(Decimal(5), denominator=Decimal(10000)).met


def test_hook_swp_periods(testland: swp.Registry) -> None:
    (pilot,) = testland.periods("testland")
    assert date(2020, 6, 30) in pilot and date(2020, 7, 1) not in pilot
