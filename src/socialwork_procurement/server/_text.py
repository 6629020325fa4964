"""Messages in the language a request asks for, rendered exactly as the command line renders them.

The library's errors carry their message as a catalogue :class:`~.._i18n.Message`
(:class:`~.._i18n.LocalizedError`); it is rendered here with the same names of states, roles and
methods (``export._names``, shared with ``swp``) and the same rewriting of identifiers in a pack's
texts, so ``POST …/commands`` and ``swp case do`` refuse a step in the same words. The errors of
the lower layers that ``swp`` words itself (an unknown region or case, another writer first) are
worded here with the same catalogue messages.
"""

from __future__ import annotations

import enum

from .._errors import CaseNotFound, ConcurrencyConflict, ProcurementError, UnknownRegion
from .._i18n import Joined, LocalizedError, Message, render
from ..export._names import localize_identifiers, name

__all__ = ["described", "display_name", "text"]


def display_name(value: enum.Enum, lang: str) -> str:
    """The Chinese or English name of a state, role, method… as ``swp`` shows it."""
    named: str = name(value, lang)
    return named


def _name(value: enum.Enum, lang: str) -> str:
    try:
        named: str = name(value, lang)
    except KeyError:  # an enumeration no table names yet: its identifier, as swp shows it
        return str(value.value)
    return named


def text(message: Message | str | BaseException, lang: str) -> str:
    """``message`` (or an error's message) in ``lang``, as ``swp`` shows it."""
    if isinstance(message, LocalizedError):
        return message.text(lang, name=_name, rewrite=localize_identifiers)
    if isinstance(message, BaseException):
        return str(message)
    return render(message, lang, name=_name, rewrite=localize_identifiers)


def described(exc: ProcurementError, lang: str) -> str:
    """The message ``swp`` gives for ``exc`` at its error boundary, in ``lang``."""
    if isinstance(exc, UnknownRegion):
        known = Joined(exc.known) if exc.known else Message("none")
        return text(
            Message("no rule pack for region {region!r}; loaded: {known}", region=exc.region, known=known), lang
        )
    if isinstance(exc, CaseNotFound):
        return text(Message("no case {case_id!r} in the store", case_id=exc.case_id), lang)
    if isinstance(exc, ConcurrencyConflict):
        message = Message(
            "case {case_id!r}: another writer got in first (expected version {expected}, the store has {actual}); "
            "nothing was stored: try again",
            case_id=exc.case_id,
            expected=exc.expected_version,
            actual=exc.actual_version,
        )
        return text(message, lang)
    return text(exc, lang)
