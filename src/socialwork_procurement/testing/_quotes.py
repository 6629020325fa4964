"""Every rule's quote is verbatim text of the source file it cites: one check for every pack (issue 12).

The normalisations are the catalogue's and nothing else:

- « ⏎ » in a quote marks a page break (or a paragraph the quote skips): the parts around it must appear
  in the file in order, each verbatim;
- seed 002 carries pinyin after characters (``導(dǎo)``): it is deleted before matching, since the
  catalogue's quotes are verbatim after deleting it.

Rules whose source is not a seed file (``file`` is ``None``: the national decree, read from its
published text) are left to their citation's ``note``; every rule that names a file is checked.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..rules._rules import Rule

PAGE_BREAK = "⏎"
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
PINYIN_FILES = ("002_",)
"""Seed files whose text carries pinyin artefacts, by name prefix."""

SEEDS_MISSING = "the source documents are not here: set SWP_SEEDS_DIR or keep ../shared/seeds beside the checkout"
"""The one skip reason every quote test gives when the seed files cannot be found."""


class QuoteMismatch(AssertionError):
    """One or more quotes are not verbatim in the file they cite; the message shows where each diverges."""


def seeds_dir(start: Path | None = None) -> Path | None:
    """Where the seed files are: ``$SWP_SEEDS_DIR`` if set, else the first ``shared/seeds`` above ``start``."""
    configured = os.environ.get("SWP_SEEDS_DIR")
    if configured:
        path = Path(configured)
        return path if path.is_dir() else None
    here = (start or Path.cwd()).resolve()
    for parent in (here, *here.parents):
        candidate = parent / "shared" / "seeds"
        if candidate.is_dir():
            return candidate
    return None


def normalised_source(directory: Path, name: str) -> str:
    text = (directory / name).read_text(encoding="utf-8")
    return PINYIN.sub("", text) if name.startswith(PINYIN_FILES) else text


def _parts(quote: str) -> list[str]:
    return [part.strip() for part in quote.split(PAGE_BREAK) if part.strip()]


def quote_position(quote: str, text: str) -> tuple[bool, str]:
    """Whether every part of ``quote`` is in ``text`` in order; if not, a diff-like account of the first miss."""
    position = 0
    for number, part in enumerate(_parts(quote), start=1):
        index = text.find(part, position)
        if index >= 0:
            position = index + len(part)
            continue
        # The longest prefix of the part that is in the text (after the previous part) shows where it diverges.
        low, high = 0, len(part)
        while low < high:
            middle = (low + high + 1) // 2
            if text.find(part[:middle], position) >= 0:
                low = middle
            else:
                high = middle - 1
        found_at = text.find(part[:low], position) if low else -1
        context = text[found_at : found_at + low + 20].replace("\n", "⏎") if found_at >= 0 else ""
        return False, (
            f"part {number}: matches for {low} of {len(part)} characters\n"
            f"      quote: {part[: low + 20]!s}\n"
            f"      file:  {context!s}\n"
            f"             {' ' * low}^ first difference"
        )
    return True, ""


def _rules_of(pack: Any) -> list[Rule]:
    rules = getattr(pack, "rules", pack)
    if callable(rules):
        rules = rules()
    found = list(rules) if isinstance(rules, Iterable) else []
    if not all(isinstance(rule, Rule) for rule in found):
        raise TypeError("pass a RulePack, a pack with a `rules` sequence, or an iterable of Rule records")
    return found


def assert_quotes_verbatim(pack: Any, sources_dir: Path | str | None = None) -> int:
    """Check that every rule's quote is verbatim in its cited file; return how many rules were checked.

    ``pack`` is a ``RulePack`` (or anything with a ``rules`` sequence) or an iterable of :class:`Rule`.
    ``sources_dir`` defaults to :func:`seeds_dir`. Raises :class:`QuoteMismatch` listing every rule whose
    quote is not found, each with the point where it diverges, and ``FileNotFoundError`` when the
    directory cannot be found. A pack without any rule citing a file fails: the check must not pass
    vacuously.
    """
    directory = Path(sources_dir) if sources_dir is not None else seeds_dir()
    if directory is None or not directory.is_dir():
        raise FileNotFoundError(SEEDS_MISSING)
    rules = [rule for rule in _rules_of(pack) if rule.citation.source.file is not None]
    if not rules:
        raise QuoteMismatch("no rule cites a source file: nothing to check")
    texts: dict[str, str] = {}
    problems: list[str] = []
    for rule in rules:
        name = rule.citation.source.file
        assert name is not None
        if name not in texts:
            if not (directory / name).is_file():
                problems.append(f"{rule.rule_id}: cites {name!r}, which is not in {directory}")
                continue
            texts[name] = normalised_source(directory, name)
        ok, account = quote_position(rule.citation.quote, texts[name])
        if not ok:
            problems.append(f"{rule.rule_id} ({name}):\n    {account}")
    if problems:
        raise QuoteMismatch(f"{len(problems)} of {len(rules)} quotes are not verbatim:\n" + "\n".join(problems))
    return len(rules)
