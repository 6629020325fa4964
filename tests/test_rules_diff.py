"""What changed in a region's rules between two dates (``swp rules --diff``) and a region's timeline."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import pytest

import socialwork_procurement as swp
from socialwork_procurement.cli._main import main
from socialwork_procurement.rules._diff import ChangeKind, diff_records, region_timeline, rules_diff, timeline_dates


def changes(diff: object) -> dict[str, str]:
    return {c.rule_id: c.change.value for c in diff.rules}  # type: ignore[attr-defined]


def test_testland_rules_end_and_begin_with_the_national_layer(testland: swp.Registry) -> None:
    diff = rules_diff(testland, "testland", date(2020, 6, 1), date(2021, 6, 1))
    found = changes(diff)
    assert found["testland.contractor.social_org"] == "ended"
    assert found["testland.evaluation.fee_2pct"] == "added"
    assert "testland.contractor.legal_person" not in found  # in force on both days, unchanged
    assert [(s.change, s.topic) for s in diff.silences] == [(ChangeKind.ENDED, "evaluation_fee")]
    # Reading backwards swaps added and ended.
    back = changes(rules_diff(testland, "testland", date(2021, 6, 1), date(2020, 6, 1)))
    assert back["testland.contractor.social_org"] == "added" and back["testland.evaluation.fee_2pct"] == "ended"
    assert rules_diff(testland, "testland", date(2020, 6, 1), date(2020, 6, 1)).empty


def test_the_national_layer_can_be_left_out(testland: swp.Registry) -> None:
    with_national = rules_diff(testland, "testland", date(2019, 1, 1), date(2021, 1, 1))
    without = rules_diff(testland, "testland", date(2019, 1, 1), date(2021, 1, 1), national=False)
    assert any(c.layer == swp.NATIONAL for c in with_national.rules)
    assert all(c.layer != swp.NATIONAL for c in without.rules)
    # testland answers purchaser.type, and so does the national decree from 2020-03-01.
    assert "purchaser.type" in [str(q) for q in with_national.shared_questions]
    assert without.shared_questions == ()


def test_a_new_version_of_a_rule_is_a_change_with_its_fields(testland: swp.Registry) -> None:
    rule = testland.rule("testland.contractor.grade_priority")
    old = attrs.evolve(rule, effective_to=date(2021, 12, 31))
    new = attrs.evolve(rule, effective_from=date(2022, 1, 1), strength=swp.Strength.HARD, message_en="now hard")
    diff = diff_records("testland", ("testland",), [old, new], [], from_date=date(2021, 6, 1),
                        to_date=date(2022, 6, 1), national_layer=swp.NATIONAL)
    (change,) = diff.rules
    assert change.change is ChangeKind.CHANGED and change.before == old and change.after == new
    assert change.fields == ("strength", "message_en")


def test_timeline_dates_are_total_over_the_date_range(testland: swp.Registry) -> None:
    rule = attrs.evolve(testland.rule("testland.contractor.legal_person"), effective_to=date.max)
    assert timeline_dates([rule], []) == (rule.effective_from,)
    entries = region_timeline(testland, "testland")
    days = [e.day for e in entries]
    assert days == sorted(days) and date(2021, 1, 1) in days and date(2020, 3, 1) in days


def test_henan_between_2015_and_2023_shows_the_2022_plan_and_the_national_decree() -> None:
    registry = swp.load_registry()
    if "henan" not in {r.code for r in registry.regions()}:
        pytest.skip("the Henan pack is installed by the README's test command")
    diff = rules_diff(registry, "henan", date(2015, 1, 1), date(2023, 1, 1))
    added = {c.rule_id for c in diff.rules if c.change is ChangeKind.ADDED}
    assert any(rule_id.startswith("henan2022.") for rule_id in added)
    assert any(rule_id.startswith("national.") for rule_id in added)
    assert {"purchaser.type", "contractor.type"} <= {str(q) for q in diff.shared_questions}


def test_the_command_line_diff(install_packs: Callable[..., Path], capsys: pytest.CaptureFixture[str]) -> None:
    install_packs("swp_test_pack")
    assert main(["rules", "--region", "testland", "--diff", "2020-06-01", "2021-06-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {r["rule_id"]: r["change"] for r in data["rules"]}["testland.evaluation.fee_2pct"] == "added"
    added = next(r for r in data["rules"] if r["rule_id"] == "testland.evaluation.fee_2pct")
    assert added["before"] is None and added["after"]["citation"]["quote"] == "评估费用按总购买资金的2%计算"
    assert main(["rules", "--region", "testland", "--diff", "2020-06-01", "2021-06-01", "--format", "md"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("## testland") and "- 新增 `testland.evaluation.fee_2pct`" in md
    assert main(["rules", "--region", "testland", "--diff", "2020-06-01", "2021-06-01", "--lang", "en"]) == 0
    assert "ended testland.contractor.social_org" in capsys.readouterr().out
    # --on and --diff exclude each other; --format md is for --diff
    assert main(["rules", "--region", "testland", "--on", "2020-06-01", "--diff", "2020-06-01", "2021-06-01"]) == 2
    assert main(["rules", "--region", "testland", "--format", "md"]) == 2
