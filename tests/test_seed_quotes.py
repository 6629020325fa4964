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
    seed_files = {p.name for p in SEEDS.glob("*.txt")}
    region_packs = [code for code in ("henan", "xiamen", "ningxia") if code in {r.code for r in registry.regions()}]
    rules = [rule for code in region_packs for rule in registry.rules(code)]
    problems = []
    for rule in rules:
        file = rule.citation.source.file
        if file not in seed_files:
            problems.append(f"{rule.rule_id}: cites {file!r}, which is not a seed file")
            continue
        text = normalise((SEEDS / file).read_text(encoding="utf-8"))
        if not found_in_order(rule.citation.quote, text):
            problems.append(f"{rule.rule_id}: 「{rule.citation.quote}」 not in {file}")
    assert not problems, "\n".join(problems)
    # Every rule of every installed region pack was checked (none skipped).
    assert len(rules) == sum(len(registry.rules(code)) for code in region_packs)


def test_the_matcher_itself() -> None:
    assert found_in_order("甲乙 ⏎ 丙丁", "甲乙\n\n第3页\n丙丁")
    assert not found_in_order("丙丁 ⏎ 甲乙", "甲乙 丙丁")
    assert normalise("指導(dǎo)意見") == "指導意見"
