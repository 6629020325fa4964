"""Every rule's quote is found, word for word, in the seed file it cites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import socialwork_procurement as swp

SHARED = Path(__file__).resolve().parents[2] / "shared"

SEEDS = SHARED / "seeds"
PAGE_BREAK = "⏎"
# Seed 002 carries pinyin after characters (導(dǎo)); the catalogue's quotes are verbatim after deleting it.
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def normalise(text: str) -> str:
    return PINYIN.sub("", text)


def found_in_order(quote: str, text: str) -> bool:
    """Find each page-break-separated part of ``quote`` in ``text``, in order."""
    position = 0
    for part in (p.strip() for p in quote.split(PAGE_BREAK)):
        index = text.find(part, position)
        if index < 0:
            return False
        position = index + len(part)
    return True


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside this checkout")
def test_every_seed_quote_is_verbatim() -> None:
    registry = swp.load_registry()
    cited = [r for region in registry.regions() for r in registry.rules(region.code) if r.citation.source.file]
    seed_files = {p.name for p in SEEDS.glob("*.txt")}
    checked = 0
    missing = []
    for rule in cited:
        file = rule.citation.source.file
        if file not in seed_files:
            continue  # a test pack's own fictitious source
        text = normalise((SEEDS / file).read_text(encoding="utf-8"))
        if not found_in_order(rule.citation.quote, text):
            missing.append(f"{rule.rule_id}: 「{rule.citation.quote}」 not in {file}")
        checked += 1
    assert not missing, "\n".join(missing)
    # With the region packs installed, every one of their rules cites a seed.
    installed = {r.code for r in registry.regions()} & {"henan", "xiamen", "ningxia"}
    if installed:
        assert checked >= 1


def test_the_matcher_itself() -> None:
    assert found_in_order("甲乙 ⏎ 丙丁", "甲乙\n\n第3页\n丙丁")
    assert not found_in_order("丙丁 ⏎ 甲乙", "甲乙 丙丁")
    assert normalise("指導(dǎo)意見") == "指導意見"
