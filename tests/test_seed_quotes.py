"""Every rule's quote is found, word for word, in the seed file it cites (``assert_quotes_verbatim``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest

import socialwork_procurement as swp
from socialwork_procurement.testing import SEEDS_MISSING, QuoteMismatch, assert_quotes_verbatim, seeds_dir
from socialwork_procurement.testing._quotes import normalised_source, quote_position

SEEDS = seeds_dir(Path(__file__).parent)


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_every_seed_quote_is_verbatim() -> None:
    registry = swp.load_registry()
    region_codes = [r.code for r in registry.regions() if r.code != swp.NATIONAL]
    assert region_codes, "no region pack is installed: nothing would be checked"
    for code in region_codes:
        rules = [rule for rule in registry.rules(code) if rule.region == code]
        checked = assert_quotes_verbatim(rules, SEEDS)
        assert checked == sum(1 for rule in rules if rule.citation.source.file is not None)


def test_the_matcher_keeps_order_and_reports_the_first_difference() -> None:
    assert quote_position("甲乙 ⏎ 丙丁", "甲乙\n\n第3页\n丙丁")[0]
    ok, account = quote_position("丙丁 ⏎ 甲乙", "甲乙 丙丁")
    assert not ok and "part 2" in account
    ok, account = quote_position("甲乙丙戊", "甲乙丙丁")
    assert not ok and "matches for 3 of 4 characters" in account


def test_pinyin_is_removed_only_from_seed_002(tmp_path: Path) -> None:
    (tmp_path / "002_x.txt").write_text("指導(dǎo)意見", encoding="utf-8")
    (tmp_path / "003_x.txt").write_text("指導(dǎo)意見", encoding="utf-8")
    assert normalised_source(tmp_path, "002_x.txt") == "指導意見"
    assert normalised_source(tmp_path, "003_x.txt") == "指導(dǎo)意見"


def test_a_wrong_quote_fails_with_its_rule_id(tmp_path: Path) -> None:
    (tmp_path / "003_x.txt").write_text("承接主体应当具备相应条件。", encoding="utf-8")
    source = swp.Source(file="003_x.txt", title="测试")
    good = swp.Rule(
        rule_id="testland.contractor.good", region="testland", kind=swp.RuleKind.CONTRACTOR_ELIGIBILITY,
        strength=swp.Strength.HARD, subject=swp.Subject.CONTRACTOR, effective_from=date(2015, 1, 1),
        effective_to=None, citation=swp.Citation(source=source, quote="承接主体应当具备"),
        message_zh="承接主体应当具备相应条件", message_en="the contractor meets the conditions",
    )
    wrong = attrs.evolve(
        good, rule_id="testland.contractor.wrong", citation=swp.Citation(source=source, quote="承接主体必须具备")
    )
    assert assert_quotes_verbatim([good], tmp_path) == 1
    with pytest.raises(QuoteMismatch, match=r"testland\.contractor\.wrong"):
        assert_quotes_verbatim([good, wrong], tmp_path)


def test_nothing_to_check_is_a_failure(tmp_path: Path) -> None:
    with pytest.raises(QuoteMismatch, match="nothing to check"):
        assert_quotes_verbatim([], tmp_path)


def test_seeds_dir_honours_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWP_SEEDS_DIR", str(tmp_path))
    assert seeds_dir() == tmp_path
    monkeypatch.setenv("SWP_SEEDS_DIR", str(tmp_path / "missing"))
    assert seeds_dir() is None
