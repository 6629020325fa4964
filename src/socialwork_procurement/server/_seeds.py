"""A rule's source document with its quote marked in context, for the explorer.

The seed texts are not part of the package (they are the project's ``shared/seeds``): they are
looked up as :func:`socialwork_procurement.testing.seeds_dir` looks them up (``$SWP_SEEDS_DIR``,
else the first ``shared/seeds`` above the working directory or above this package), and where
they are absent the answer says so and carries the quote alone. Only a file a rule cites is
ever read, by its name in the rule, so no request names a path.

The quote is found as the quote tests find it: « ⏎ » splits it into parts that appear in order;
seed 002 carries pinyin after characters (``導(dǎo)``) that the catalogue's quotes leave out, so
where the plain text does not hold a part, the text with that pinyin removed is searched and the
match mapped back onto the original characters, which are shown unchanged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, Final

from ..rules._rules import Rule

PAGE_BREAK: Final = "⏎"
_PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
_MAX_SOURCE_BYTES: Final = 4 * 1024 * 1024
"""A seed file is a web page's text (about 10 kB); anything far larger is not one and is not served."""

ABSENT: Final = {
    "zh": "此处没有来源文件(设置 SWP_SEEDS_DIR,或把 shared/seeds 放在检出目录旁):只显示引文",
    "en": "the source documents are not here (set SWP_SEEDS_DIR or keep shared/seeds beside the checkout): "
    "the quote is shown alone",
}
NOT_A_SEED: Final = {
    "zh": "此来源不在种子文件中,其文本的出处见链接:只显示引文",
    "en": "this source is not among the seed documents (its text was read where the link says): "
    "the quote is shown alone",
}
MISSING_FILE: Final = {
    "zh": "来源目录中没有此文件:只显示引文",
    "en": "the sources directory does not hold this file: the quote is shown alone",
}
NOT_FOUND: Final = {
    "zh": "在来源文本中未找到引文的这一部分",
    "en": "a part of the quote was not found in the source text",
}


def find_seeds_dir(start: Path | None = None) -> Path | None:
    """``$SWP_SEEDS_DIR`` if set (``None`` if it is not a directory), else ``shared/seeds`` above
    ``start`` (the working directory) or above this package (an editable checkout)."""
    configured = os.environ.get("SWP_SEEDS_DIR")
    if configured:
        path = Path(configured)
        return path if path.is_dir() else None
    for base in ((start or Path.cwd()).resolve(), Path(__file__).resolve().parent):
        for parent in (base, *base.parents):
            candidate = parent / "shared" / "seeds"
            if candidate.is_dir():
                return candidate
    return None


def _parts(quote: str) -> list[str]:
    return [part.strip() for part in quote.split(PAGE_BREAK) if part.strip()]


def _without_pinyin(text: str) -> tuple[str, list[int]]:
    """``text`` with the pinyin artefacts deleted, and for each kept character its index in ``text``."""
    kept: list[str] = []
    where: list[int] = []
    last = 0
    for match in _PINYIN.finditer(text):
        kept.append(text[last : match.start()])
        where.extend(range(last, match.start()))
        last = match.end()
    kept.append(text[last:])
    where.extend(range(last, len(text)))
    return "".join(kept), where


def quote_spans(quote: str, text: str) -> tuple[list[tuple[int, int]], bool]:
    """Where each part of ``quote`` is in ``text`` (start, end), in order; and whether every part was found."""
    spans: list[tuple[int, int]] = []
    plain: tuple[str, list[int]] | None = None
    position = 0
    for part in _parts(quote):
        index = text.find(part, position)
        if index >= 0:
            spans.append((index, index + len(part)))
            position = index + len(part)
            continue
        if plain is None:
            plain = _without_pinyin(text)
        stripped, where = plain
        # Resume in the stripped text at the first kept character at or after ``position``.
        resume = next((i for i, original in enumerate(where) if original >= position), len(where))
        index = stripped.find(part, resume)
        if index < 0:
            return spans, False
        start, end = where[index], where[index + len(part) - 1] + 1
        spans.append((start, end))
        position = end
    return spans, bool(spans)


def segments(text: str, spans: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """The text cut at the spans: ``[{"text": …, "quote": bool}]``, in order, covering it all.

    Segments rather than offsets, so no client has to agree with Python on what an index counts
    (JavaScript counts UTF-16 units, Python code points).
    """
    out: list[dict[str, Any]] = []
    position = 0
    for start, end in spans:
        if start > position:
            out.append({"text": text[position:start], "quote": False})
        out.append({"text": text[start:end], "quote": True})
        position = end
    if position < len(text):
        out.append({"text": text[position:], "quote": False})
    return out


def source_json(rule: Rule, seeds: Path | None, lang: str) -> dict[str, Any]:
    """The rule's citation and, where the seed file is here, its whole text cut around the quote."""
    citation = rule.citation
    source = citation.source
    data: dict[str, Any] = {
        "rule_id": rule.rule_id,
        "file": source.file,
        "title": source.title,
        "number": source.number,
        "url": source.url,
        "quote": citation.quote,
        "note": citation.note,
        "available": False,
        "found": False,
        "segments": None,
        "reason": None,
    }
    if source.file is None:
        data["reason"] = NOT_A_SEED[lang]
        return data
    if seeds is None:
        data["reason"] = ABSENT[lang]
        return data
    path = seeds / source.file
    # A name from a rule pack, still never followed out of the directory (``../``) or into a link.
    if Path(source.file).name != source.file or not path.is_file() or path.is_symlink():
        data["reason"] = MISSING_FILE[lang]
        return data
    with path.open("rb") as handle:
        raw = handle.read(_MAX_SOURCE_BYTES + 1)
    if len(raw) > _MAX_SOURCE_BYTES:
        data["reason"] = MISSING_FILE[lang]
        return data
    text = raw.decode("utf-8", errors="replace")
    spans, found = quote_spans(citation.quote, text)
    data["available"] = True
    data["found"] = found
    data["segments"] = segments(text, spans)
    if not found:
        data["reason"] = NOT_FOUND[lang]
    return data
