"""Every Henan quote is verbatim text of its seed file (also runnable as a script: ``python test_henan_quotes.py``).

Seed 002 is checked after deleting its parenthesised pinyin (``導(dǎo)`` -> ``導``), as the catalogue
prescribes; « ⏎ » in a quote marks a page break, and its parts must appear in order.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from socialwork_procurement_henan import RULES, SOURCES

PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
BREAK = " ⏎ "


def seeds_dir() -> Path | None:
    env = os.environ.get("SWP_SEEDS_DIR")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


def seed_text(directory: Path, name: str) -> str:
    text = (directory / name).read_text(encoding="utf-8")
    return PINYIN.sub("", text) if name.startswith("002_") else text


def quote_found(quote: str, text: str) -> bool:
    """Each « ⏎ »-separated part of ``quote`` occurs in ``text``, in order."""
    position = 0
    for part in quote.split(BREAK):
        found = text.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


def problems(directory: Path) -> list[str]:
    texts = {s.file: seed_text(directory, s.file) for s in SOURCES if s.file is not None}
    out = []
    for rule in RULES:
        file = rule.citation.source.file
        if file is None or not quote_found(rule.citation.quote, texts[file]):
            out.append(f"{rule.rule_id}: quote not found in {file}: {rule.citation.quote!r}")
    return out


SEEDS = seeds_dir()


@pytest.mark.skipif(SEEDS is None, reason="shared/seeds not found (set SWP_SEEDS_DIR)")
def test_henan_every_quote_is_verbatim() -> None:
    assert SEEDS is not None
    assert problems(SEEDS) == []


def test_henan_quote_matcher_keeps_order() -> None:
    assert quote_found("甲 ⏎ 乙", "甲……乙")
    assert not quote_found("乙 ⏎ 甲", "甲……乙")
    assert PINYIN.sub("", "版面導(dǎo)航") == "版面導航"


if __name__ == "__main__":  # a small local script, as the brief asks
    if SEEDS is None:
        sys.exit("shared/seeds not found (set SWP_SEEDS_DIR)")
    found = problems(SEEDS)
    print("\n".join(found) or f"all {len(RULES)} quotes verbatim")
    sys.exit(1 if found else 0)
