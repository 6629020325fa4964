"""Refusals of lifecycle commands: they carry the findings that refused the step."""

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
