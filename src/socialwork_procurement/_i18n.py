"""Translations: the gettext catalogues shipped in the package, and messages rendered in any language.

This module is in the lowest layer, beside :mod:`._errors`: it imports nothing of ours, so every
layer can raise an error whose message is rendered later, in the language of whoever reads it.

**Catalogues.** The msgids are the English texts themselves (English is the source language, so
``--lang en`` needs no catalogue); ``locale/zh/LC_MESSAGES/<domain>.mo`` holds the Chinese ones,
compiled from the ``.po`` beside it, which is updated from ``locale/<domain>.pot``. Two domains:
:data:`DOMAIN` for this library's texts and ``"argparse"`` for the standard library's parser
messages (``usage:``, ``the following arguments are required: %s``…), which argparse looks up
through :func:`gettext.gettext`. At run time only the standard library's :mod:`gettext` reads
them; Babel is the developer's tool that extracts, updates and compiles them
(``python scripts/i18n.py``; ``tests/test_i18n.py`` checks that nothing is missing or stale).

**Messages.** A :class:`Message` is a msgid with its parameters, written in the ``str.format``
style (``"{action} is not allowed in state {state}"``). It renders in any language
(:meth:`Message.render`); ``str()`` gives English. Parameters may be plain values, other
messages, :class:`Bilingual` texts (a rule pack's finding message, which carries both languages
itself), enumeration members, or :class:`Joined` lists. Enumeration members are rendered by the
``name`` hook the caller passes (the command line passes the Chinese and English names of
``export/_names.py``); without one, by their value, the identifier (``draft``).
:class:`LocalizedError` is the base of the errors whose message is a :class:`Message`.

Only literal msgids are found by the extraction: write ``Message("…", key=value)`` and
``_("…")``, never a msgid held in a variable.
"""

from __future__ import annotations

import enum
import gettext as _gettext
import string
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Final, TypeAlias

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "LOCALE_DIR",
    "SOURCE_LANGUAGE",
    "Bilingual",
    "Joined",
    "LocalizedError",
    "Message",
    "Namer",
    "Param",
    "Rewriter",
    "placeholders",
    "render",
    "translator",
]

DOMAIN: Final = "socialwork_procurement"
"""The gettext domain of this library's own texts."""
LANGUAGES: Final = ("zh", "en")
"""The languages every text exists in."""
SOURCE_LANGUAGE: Final = "en"
"""The language of the msgids: it needs no catalogue."""
LOCALE_DIR: Final = Path(__file__).with_name("locale")
"""Where the catalogues are shipped: ``<lang>/LC_MESSAGES/<domain>.mo``."""


@cache
def translator(lang: str, domain: str = DOMAIN) -> _gettext.NullTranslations:
    """The translations of ``domain`` into ``lang`` (``"zh"`` or ``"en"``).

    English is the msgids themselves (:class:`gettext.NullTranslations`). A missing Chinese
    catalogue is a broken installation and raises ``FileNotFoundError`` naming the file: it is
    never silently replaced by English.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}: expected one of {', '.join(LANGUAGES)}")
    if lang == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    # languages= is given explicitly: the environment (LANGUAGE, LC_ALL, LANG) never chooses here.
    return _gettext.translation(domain, LOCALE_DIR, languages=[lang])


Namer = Callable[[enum.Enum, str], str]
"""``(member, lang) -> name``: how a message shows an enumeration member."""
Rewriter = Callable[[str, str], str]
"""``(text, lang) -> text``: applied to :class:`Bilingual` texts, which come from elsewhere."""


class Bilingual:
    """A text that carries both languages itself (a rule's message from a pack, a reason)."""

    __slots__ = ("en", "zh")

    def __init__(self, zh: str, en: str) -> None:
        self.zh = zh
        self.en = en

    def text(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Bilingual) and (self.zh, self.en) == (other.zh, other.en)

    def __hash__(self) -> int:
        return hash((self.zh, self.en))

    def __repr__(self) -> str:
        return f"Bilingual(zh={self.zh!r}, en={self.en!r})"


class Joined:
    """Items shown as one list: ``", "`` between them in English and ``"、"`` in Chinese, or as
    clauses (``clauses=True``): ``"; "`` and ``"；"``."""

    __slots__ = ("clauses", "items")

    def __init__(self, items: Iterable[Param], *, clauses: bool = False) -> None:
        self.items: tuple[Param, ...] = tuple(items)
        self.clauses = clauses

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Joined) and (self.items, self.clauses) == (other.items, other.clauses)

    def __hash__(self) -> int:
        return hash((self.items, self.clauses))

    def __repr__(self) -> str:
        return f"Joined({self.items!r}, clauses={self.clauses})"


Param: TypeAlias = "str | int | Decimal | date | enum.Enum | Message | Bilingual | Joined | None"
"""What a message's parameters may be."""


class Message:
    """A msgid and its parameters, rendered in the reader's language when it is shown.

    ``Message("{action} is not allowed in state {state}", action=Action.ACCEPT, state=State.DRAFT)``;
    ``str()`` is the English text. Two messages are equal when their msgids and parameters are.
    """

    __slots__ = ("msgid", "params")

    def __init__(self, msgid: str, /, **params: Param) -> None:
        self.msgid = msgid
        self.params: Mapping[str, Param] = params

    def render(self, lang: str, *, name: Namer | None = None, rewrite: Rewriter | None = None) -> str:
        """The text in ``lang``: the msgid's translation with every parameter rendered in ``lang``."""
        template = translator(lang).gettext(self.msgid)
        values = {key: _param(value, lang, name, rewrite) for key, value in self.params.items()}
        return template.format(**values)

    def __str__(self) -> str:
        return self.render(SOURCE_LANGUAGE)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Message) and (self.msgid, dict(self.params)) == (other.msgid, dict(other.params))

    def __hash__(self) -> int:
        return hash(self.msgid)

    def __repr__(self) -> str:
        params = "".join(f", {key}={value!r}" for key, value in self.params.items())
        return f"Message({self.msgid!r}{params})"


def render(text: Message | str, lang: str, *, name: Namer | None = None, rewrite: Rewriter | None = None) -> str:
    """``text`` in ``lang``; a plain string (a caller's own message) is shown as it is."""
    return text.render(lang, name=name, rewrite=rewrite) if isinstance(text, Message) else text


def _separator(lang: str, clauses: bool) -> str:
    t = translator(lang)
    return t.pgettext("separator", "; ") if clauses else t.pgettext("separator", ", ")


def _param(value: Param, lang: str, name: Namer | None, rewrite: Rewriter | None) -> str | int | Decimal:
    if isinstance(value, Message):
        return value.render(lang, name=name, rewrite=rewrite)
    if isinstance(value, Bilingual):
        text = value.text(lang)
        return rewrite(text, lang) if rewrite is not None else text
    if isinstance(value, Joined):
        rendered = (str(_param(item, lang, name, rewrite)) for item in value.items)
        return _separator(lang, value.clauses).join(rendered)
    if isinstance(value, enum.Enum):
        return name(value, lang) if name is not None else str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    if value is None:
        return "-"
    return value


class LocalizedError(Exception):
    """An error whose message is a :class:`Message` (or a caller's plain string).

    ``str(exc)`` is English; :meth:`text` renders it in any language. The message is kept as
    ``exc.message`` and rendered only when it is read.
    """

    def __init__(self, message: Message | str) -> None:
        self.message: Message | str = message
        super().__init__(message)

    def __str__(self) -> str:
        return render(self.message, SOURCE_LANGUAGE)

    def text(self, lang: str, *, name: Namer | None = None, rewrite: Rewriter | None = None) -> str:
        """The message in ``lang`` (see :meth:`Message.render`)."""
        return render(self.message, lang, name=name, rewrite=rewrite)


def placeholders(text: str) -> list[tuple[str, str | None, str | None]]:
    """The ``str.format`` fields of ``text`` as ``(name, conversion, format spec)``, sorted: a
    translation must have exactly the msgid's (``tests/test_i18n.py``)."""
    fields = [(f, c, s or None) for _, f, s, c in string.Formatter().parse(text) if f is not None]
    return sorted(fields, key=lambda f: (f[0], f[1] or "", f[2] or ""))
