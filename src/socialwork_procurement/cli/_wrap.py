"""Text for a terminal: lines wrapped to its width (a Chinese character takes two columns), colour only on one.

Shared by ``swp check`` and ``swp demo``. :func:`wrap` breaks between Chinese characters or at
spaces and never starts a line with closing punctuation; :func:`terminal_width` is the width to wrap
to (``COLUMNS`` first, as :func:`shutil.get_terminal_size` reads it); :func:`colour_enabled` says
whether a stream gets ANSI colours: only a terminal, and never when ``NO_COLOR`` is set
(https://no-color.org) or ``TERM`` is ``dumb``. Colour is added after wrapping (:func:`paint`), so
escape sequences never count as columns.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Mapping
from typing import Final, TextIO

__all__ = ["Style", "colour_enabled", "paint", "terminal_width", "text_width", "wrap"]


def _cell_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (a Chinese character takes two)."""
    return sum(_cell_width(c) for c in text)


_TOKEN = re.compile(r"[!-~]+|\s+|.", re.DOTALL)
"""A run of printable ASCII (a word, a number, a rule id), a run of spaces, or one other character."""
_NO_LINE_START = frozenset(",。、;:?!)」』》〉】〕”’,.;:!?)\uff0c\uff1a\uff1b\uff1f\uff01\uff09")
_NO_LINE_END = frozenset("(「『《〈【〔“‘(\uff08")
"""Closing punctuation (a line never starts with it) and opening brackets (a line never ends with one),
the full-width forms included: ``〔2013〕`` in a document number stays together with its digits."""


def wrap(text: str, width: int | None, indent: str = "", subsequent: str | None = None) -> list[str]:
    """``text`` broken into lines of at most ``width`` columns (Chinese characters count two).

    Lines break between Chinese characters or at spaces; closing punctuation never starts a line
    (the character before it moves down with it) and an opening bracket never ends one; a word
    longer than a line keeps a line of its own and overflows it. ``width=None`` does not wrap:
    one line, ``indent`` and ``text``.
    """
    if width is None:
        return [(indent + text).rstrip()]
    rest = indent if subsequent is None else subsequent
    lines: list[str] = []
    head = indent
    tokens: list[str] = []  # the current line's tokens after its indent

    def used() -> int:
        return text_width(head) + sum(text_width(t) for t in tokens)

    for token in _TOKEN.findall(text):
        if token.isspace():
            if tokens and used() + text_width(token) <= width:
                tokens.append(token)
            continue
        if tokens and used() + text_width(token) > width:
            carried: list[str] = []
            if token[0] in _NO_LINE_START and len(tokens) > 1 and not tokens[-1].isspace():
                carried = [tokens.pop()]
            while len(tokens) > 1 and tokens[-1] in _NO_LINE_END:
                carried.insert(0, tokens.pop())
            lines.append((head + "".join(tokens)).rstrip())
            head, tokens = rest, carried
        tokens.append(token)
    if tokens:
        lines.append((head + "".join(tokens)).rstrip())
    return lines or [indent.rstrip()]


def terminal_width(fallback: int = 100) -> int:
    """The width to wrap to: the terminal's (or ``COLUMNS``), kept between 40 and 120 columns.

    Output that is not a terminal gets ``fallback`` unless ``COLUMNS`` says otherwise. Lines wider
    than 120 columns are hard to read, and a width under 40 leaves no room for the indents.
    """
    return max(40, min(shutil.get_terminal_size((fallback, 24)).columns, 120))


def colour_enabled(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Whether ``stream`` gets ANSI colours: a terminal, without ``NO_COLOR`` (set and not empty) or ``TERM=dumb``."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty is not None and isatty())
    except ValueError:  # a closed stream
        return False


class Style:
    """ANSI Select Graphic Rendition codes."""

    BOLD: Final = "1"
    DIM: Final = "2"
    RED: Final = "1;31"
    GREEN: Final = "32"
    YELLOW: Final = "33"
    MAGENTA: Final = "35"
    CYAN: Final = "36"


def paint(text: str, style: str | None, enabled: bool) -> str:
    """``text`` in ``style`` when colour is ``enabled``; otherwise ``text`` as it is."""
    if not enabled or style is None or not text:
        return text
    return f"\x1b[{style}m{text}\x1b[0m"
