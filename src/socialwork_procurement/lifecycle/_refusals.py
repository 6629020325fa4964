"""Refusals of lifecycle commands: they carry the findings that refused the step.

:class:`CommandRefused` (wrong role, a date out of order, a hard rule failing),
:class:`InvalidTransition` (the machine does not allow the step here) and
:class:`CommandUndetermined` (the rules cannot decide and ``accept_undetermined`` was not given).
"""

from __future__ import annotations

from collections.abc import Sequence

from .._errors import ProcurementError
from .._i18n import LocalizedError, Message
from ..rules._rules import Finding


class CommandRefused(LocalizedError, ProcurementError, ValueError):
    """A lifecycle command was refused; nothing was stored. ``findings`` says why.

    ``message`` is a :class:`~socialwork_procurement._i18n.Message` (or a caller's plain
    string): ``str(exc)`` is English, ``exc.text("zh", name=...)`` Chinese, so the refusal is
    raised once and shown in the language of whoever reads it (``swp case do --lang``).
    """

    def __init__(self, message: Message | str, findings: Sequence[Finding] = ()) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        super().__init__(message)


class InvalidTransition(CommandRefused):
    """The command is not allowed from the case's current state."""


class CommandUndetermined(CommandRefused):
    """Refused because the rules cannot decide: a fact they need is unknown, or a regional and a
    national rule conflict. ``findings`` are the undecided ones; give the facts, or repeat the
    command with ``accept_undetermined`` set to the reason for going ahead."""
