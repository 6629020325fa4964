"""One error root; every subclass also inherits the builtin it stands for.

This module is the lowest layer: it imports nothing of ours, so every layer can raise these.
The lifecycle's refusals, which carry findings, live in :mod:`.lifecycle._refusals`.
"""

from __future__ import annotations

from collections.abc import Sequence

import attrs


class ProcurementError(Exception):
    """Root of every error this library raises on purpose."""


@attrs.frozen
class InputProblem:
    """One thing wrong with an input, at its JSON path (``$.contractor.uscc``)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class InvalidInput(ProcurementError, ValueError):
    """Input data that cannot be structured; one :class:`InputProblem` per problem."""

    def __init__(self, problems: Sequence[InputProblem]) -> None:
        self.problems: tuple[InputProblem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class UnknownRegion(ProcurementError, LookupError):
    """No loaded rule pack claims this region code."""

    def __init__(self, region: str, known: Sequence[str]) -> None:
        self.region = region
        self.known = tuple(known)
        super().__init__(f"no rule pack for region {region!r}; loaded: {', '.join(self.known) or 'none'}")


class PluginError(ProcurementError, RuntimeError):
    """A rule pack failed to load or contributed something invalid."""

    def __init__(self, message: str, *, distribution: str | None = None) -> None:
        self.distribution = distribution
        super().__init__(message)


class DuplicateRegion(PluginError, ValueError):
    """Two rule packs claim one region code."""

    def __init__(self, region: str, packs: Sequence[str]) -> None:
        self.region = region
        self.packs = tuple(packs)
        super().__init__(f"region {region!r} is claimed by {' and '.join(self.packs)}")


class RuleConflict(ProcurementError, ValueError):
    """Two rules (or packs) answer the same question differently."""

    def __init__(self, message: str, *, rule_ids: Sequence[str], packs: Sequence[str]) -> None:
        self.rule_ids = tuple(rule_ids)
        self.packs = tuple(packs)
        super().__init__(message)


class ConcurrencyConflict(ProcurementError, RuntimeError):
    """Another writer appended to the case first: nothing of ours was stored."""

    def __init__(self, case_id: str, expected_version: int, actual_version: int) -> None:
        self.case_id = case_id
        self.expected_version = expected_version
        self.actual_version = actual_version
        super().__init__(f"case {case_id!r}: expected version {expected_version}, store has {actual_version}")


class TamperDetected(ProcurementError, RuntimeError):
    """A stored event does not match its hash chain."""

    def __init__(self, case_id: str, version: int, reason: str) -> None:
        self.case_id = case_id
        self.version = version
        self.reason = reason
        super().__init__(f"case {case_id!r} event {version}: {reason}")


class CaseNotFound(ProcurementError, LookupError):
    """The store holds no case with this id."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        super().__init__(f"no case {case_id!r} in the store")


class StoreError(ProcurementError, OSError):
    """The event store's database cannot be opened, read or written (a fault, not tampering).

    A file that is not a database or is corrupt, a directory or device where a file should
    be, a missing parent directory, a read-only location, a full disk, a lost connection.
    ``kind`` names the fault (``"not_a_database"``, ``"corrupt"``, ``"full"``, ...), ``where``
    the file or schema; the message is in Chinese and English. Nothing was stored by the
    call that raised it. :class:`TamperDetected` is raised instead when the data is readable
    but does not match its hash chain.
    """

    def __init__(self, where: str, kind: str, zh: str, en: str, detail: str | None = None) -> None:
        self.where = where
        self.kind = kind
        suffix = f" ({detail})" if detail else ""
        # One argument only: OSError reads two as (errno, strerror).
        super().__init__(f"{where}: {zh} / {en}{suffix}")
