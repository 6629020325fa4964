"""Refusals of lifecycle commands: they carry the findings that refused the step.

:class:`CommandRefused` (wrong role, a date out of order, a hard rule failing),
:class:`InvalidTransition` (the machine does not allow the step here) and
:class:`CommandUndetermined` (the rules cannot decide and ``accept_undetermined`` was not given).
"""

from __future__ import annotations

from collections.abc import Sequence

from .._errors import ProcurementError
from ..rules._rules import Finding


class CommandRefused(ProcurementError, ValueError):
    """A lifecycle command was refused; nothing was stored. ``findings`` says why."""

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        super().__init__(message)


class InvalidTransition(CommandRefused):
    """The command is not allowed from the case's current state."""


class CommandUndetermined(CommandRefused):
    """Refused because the rules cannot decide: a fact they need is unknown, or a regional and a
    national rule conflict. ``findings`` are the undecided ones; give the facts, or repeat the
    command with ``accept_undetermined`` set to the reason for going ahead."""
