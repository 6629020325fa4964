"""Bulk screening: one compact result per record, in constant memory, identical to ``Registry.check``.

A :class:`Screener` is built once for a (region, date, national layer) and holds the registry;
:meth:`Screener.screen_one` answers one record. Everything that is fixed for the region and the day
belongs in the screener, so the compiled check plan of the speed work can replace the per-record
``Registry.check`` call here without changing a result.
"""

from __future__ import annotations

import collections
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

import attrs

from .._errors import InvalidInput, ProcurementError
from ..model._converter import json_type, structure
from ..model._types import Case, Contractor
from ..rules._registry import Registry
from ..rules._rules import Decision, Finding, Outcome, Strength, Verdict

CASE_KEYS = frozenset(f.name for f in attrs.fields(Case))
_GATING = frozenset(s for s in Strength if s.gates)
_FAIL, _UNKNOWN = Outcome.FAIL, Outcome.UNKNOWN
"""Top-level keys of a case record; a JSON object with none of them is read as a contractor."""


class ExtraNotInstalled(ProcurementError, ImportError):
    """An optional dependency is not installed (the ``xlsx`` or ``dask`` extra): the environment, not the input."""

    caused_by_input = False

    def __init__(self, module: str, extra: str) -> None:
        self.module, self.extra = module, extra
        super().__init__(f"{module} is not installed: pip install 'socialwork-procurement[{extra}]'")


@attrs.frozen
class RecordProblem:
    """One thing wrong with a record: its JSON path, the message, and the column it came from (CSV, Excel)."""

    path: str
    message: str
    column: str | None = None

    def __str__(self) -> str:
        where = f"{self.path} ({self.column})" if self.column else self.path
        return f"{where}: {self.message}"


@attrs.frozen
class SourceRecord:
    """A record as a reader found it: where it was, its JSON-shaped data, and what could not be read.

    ``data`` is ``None`` when nothing of the record could be read (a line that is not JSON);
    ``problems`` lists what a reader refused (a cell that is not a boolean), and the rest of the
    record is still structured so that every problem is reported at once. ``columns`` maps a JSON
    path to the CSV or Excel column it was read from, for messages.
    """

    index: int
    """Position of the record in its file, from 0 (blank lines and empty rows are not records)."""
    line: int | None
    """Line (JSON Lines, CSV: where the record starts) or sheet row (Excel) of the record, from 1."""
    data: Mapping[str, Any] | None
    problems: tuple[RecordProblem, ...] = ()
    columns: Mapping[str, str] | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen
class ScreenResult:
    """What screening said about one record.

    A record that could not be read or structured has ``decision=None`` and its ``problems``; the
    others have a decision, the gating rules that fail (``failed``) or need a fact (``unknown``), the
    input paths of the facts that would decide those unknowns (``deciding``), the pairs of rules in
    conflict between layers (regional, national), and the full verdict when it was asked for.
    """

    index: int
    """Position of the record in its input: the reader's record number when a reader read it,
    else its position in the iterable (for :func:`screen_dask`, in its partition)."""
    line: int | None = None
    decision: Decision | None = None
    failed: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    deciding: tuple[str, ...] = ()
    conflicts: tuple[tuple[str, str], ...] = ()
    problems: tuple[RecordProblem, ...] = ()
    name: str | None = None
    """The contractor's name, to tell results apart (``None`` without a contractor)."""
    uscc: str | None = None
    """The contractor's unified social credit code, normalised, where given."""
    partition: int | None = None
    """The Dask partition (or cluster chunk) that screened the record; ``None`` locally."""
    verdict: Verdict | None = None
    """The full verdict, when screening was asked for it (``full=True``)."""

    @property
    def ok(self) -> bool:
        """Whether the record was screened (it could be read and structured)."""
        return self.decision is not None

    def to_json(self) -> dict[str, Any]:
        """The compact JSON shape written by ``swp screen`` (without the full verdict)."""
        data: dict[str, Any] = {
            "index": self.index,
            "line": self.line,
            "name": self.name,
            "uscc": self.uscc,
            "decision": self.decision.value if self.decision is not None else None,
            "failed": list(self.failed),
            "unknown": list(self.unknown),
            "deciding": list(self.deciding),
            "conflicts": [list(pair) for pair in self.conflicts],
            "problems": [{"path": p.path, "message": p.message, "column": p.column} for p in self.problems],
        }
        if self.partition is not None:
            data["partition"] = self.partition
        return data


# Names under which findings may carry the facts that would decide them (issue 8 adds them). Read
# defensively: a finding without any of them is decided by the one path its rule looked at.
_DECIDING_ATTRIBUTES = ("deciding", "deciding_facts", "deciding_paths")


def deciding_paths(finding: Finding) -> tuple[str, ...]:
    """Input paths of the facts that would decide ``finding`` (an unknown): its own path at least."""
    for name in _DECIDING_ATTRIBUTES:
        extra = getattr(finding, name, None)
        if not extra or isinstance(extra, str):
            continue
        try:
            items = list(extra)
        except TypeError:
            continue
        paths = [item if isinstance(item, str) else getattr(item, "path", None) for item in items]
        found = tuple(p for p in paths if isinstance(p, str) and p)
        if found:
            return found
    return (finding.path,)


def to_case(data: Mapping[str, Any]) -> Case:
    """Structure a JSON object strictly: a case, or (with none of a case's keys) a contractor.

    A contractor-only record is read as ``{"contractor": record}``, so problems are reported at
    ``$.contractor.…`` as they would be in a case file. Raises :class:`InvalidInput`.
    """
    if data and not (CASE_KEYS & data.keys()):
        return structure({"contractor": data}, Case)
    return structure(data, Case)


class Screener:
    """Screens records against one region on one date; build it once, call :meth:`screen_one` per record.

    >>> from datetime import date
    >>> import socialwork_procurement as swp
    >>> from socialwork_procurement.screening import Screener
    >>> screener = Screener(swp.load_registry(), region="xiamen", on=date(2015, 3, 1))
    >>> result = screener.screen_one({"name": "某社会工作服务中心", "legal_form": "private_non_enterprise_unit"})
    >>> result.decision.value, result.unknown[0]
    ('undetermined', 'xiamen.contractor.governance_capacity')
    """

    def __init__(
        self, registry: Registry, *, region: str, on: date, national: bool = True, full: bool = False
    ) -> None:
        if not isinstance(on, date):
            raise TypeError("on must be a date")
        # The compiled plan of the region and day (issue 10), built once: an unknown region fails here,
        # before any record, and every record then runs only the predicates.
        self._plan = registry.plan(region, on, national=national)
        self.registry = registry
        self.region = region
        self.on = on
        self.national = national
        self.full = full

    def check(self, case: Case) -> Verdict:
        """The verdict on ``case``: exactly :meth:`Registry.check` for this screener's region and day."""
        return self._plan.check(case)

    def screen_one(
        self, record: object, *, index: int = 0, line: int | None = None, partition: int | None = None
    ) -> ScreenResult:
        """Screen one record: a :class:`Case`, a :class:`Contractor`, a JSON object or a :class:`SourceRecord`.

        A record that cannot be structured gives a result with its problems; nothing is raised for
        bad input. Errors of the environment (a rule pack that breaks) are raised.
        """
        columns: Mapping[str, str] | None = None
        problems: tuple[RecordProblem, ...] = ()
        if isinstance(record, SourceRecord):
            index, line, columns, problems = record.index, record.line, record.columns, record.problems
            if record.data is None:
                return ScreenResult(index=index, line=line, problems=problems, partition=partition)
            record = record.data
        case: Case | None = None
        if isinstance(record, Case):
            case = record
        elif isinstance(record, Contractor):
            case = Case(contractor=record)
        elif isinstance(record, Mapping):
            try:
                case = to_case(record)
            except InvalidInput as exc:
                found = tuple(RecordProblem(p.path, p.message, _column(columns, p.path)) for p in exc.problems)
                problems = problems + found
        else:
            problems = (
                *problems,
                RecordProblem("$", f"expected a case, a contractor or a JSON object, got {json_type(record)}"),
            )
        if problems or case is None:
            return ScreenResult(index=index, line=line, problems=problems, partition=partition)
        return self.result(self.check(case), case, index=index, line=line, partition=partition)

    def result(
        self, verdict: Verdict, case: Case, *, index: int, line: int | None = None, partition: int | None = None
    ) -> ScreenResult:
        """The compact result of ``verdict`` on ``case``.

        ``failed`` and ``unknown`` are :attr:`Verdict.failures` and :attr:`Verdict.unknowns`, found in one
        pass over the findings (this runs once per record of a registry).
        """
        failed: list[str] = []
        unknown: list[str] = []
        deciding: list[str] = []
        for finding in verdict.findings:
            outcome = finding.outcome
            if outcome is not _FAIL and outcome is not _UNKNOWN:
                continue  # most findings pass or do not apply: nothing to read
            rule = finding.rule
            if rule.strength not in _GATING:
                continue
            if outcome is _FAIL:
                failed.append(rule.rule_id)
                continue
            unknown.append(rule.rule_id)
            for path in deciding_paths(finding):
                if path not in deciding:
                    deciding.append(path)
        contractor = case.contractor
        return ScreenResult(
            index=index,
            line=line,
            decision=verdict.decision,
            failed=tuple(failed),
            unknown=tuple(unknown),
            deciding=tuple(deciding),
            conflicts=tuple((c.regional.rule_id, c.national.rule_id) for c in verdict.conflicts),
            name=contractor.name if contractor is not None else None,
            uscc=contractor.uscc if contractor is not None else None,
            partition=partition,
            verdict=verdict if self.full else None,
        )

    def screen(
        self, records: Iterable[object], *, partition: int | None = None, start: int = 0
    ) -> Iterator[ScreenResult]:
        """Screen ``records`` one at a time, lazily: nothing of the input is kept.

        A record is numbered by its position from ``start``, unless a reader numbered it.
        """
        for index, record in enumerate(records, start=start):
            yield self.screen_one(record, index=index, partition=partition)


def _column(columns: Mapping[str, str] | None, path: str) -> str | None:
    if not columns:
        return None
    # A problem at a nested path («$.contractor.staff.full_time») or at the part that holds it.
    probe = path
    while probe:
        if probe in columns:
            return columns[probe]
        probe = probe.rpartition(".")[0] if "." in probe else ""
    return None


def screen(
    records: Iterable[object],
    *,
    region: str,
    on: date,
    national: bool = True,
    full: bool = False,
    registry: Registry | None = None,
) -> Iterator[ScreenResult]:
    """Screen every record against ``region``'s rules in force ``on``, yielding one result per record.

    ``records`` may hold :class:`Case` objects, :class:`Contractor` objects, JSON objects (a case,
    or a contractor alone, converted strictly) or the :class:`SourceRecord` items of
    :func:`read_records`, mixed. It is consumed lazily, one record at a time, so memory stays flat
    however long it is. A bad record gives a result with its ``problems`` and the run goes on.
    ``registry`` defaults to the installed packs (:func:`load_registry`); an unknown region raises
    :class:`UnknownRegion` before the first record is read.
    """
    from ..rules._plugins import load_registry

    screener = Screener(
        registry if registry is not None else load_registry(national=national),
        region=region,
        on=on,
        national=national,
        full=full,
    )
    return screener.screen(records)


class ScreenSummary:
    """Counts of a screening run: decisions, bad records, and how often each rule failed or was unknown."""

    def __init__(self) -> None:
        self.total = 0
        self.bad = 0
        self.decisions: collections.Counter[Decision] = collections.Counter()
        self.failed: collections.Counter[str] = collections.Counter()
        self.unknown: collections.Counter[str] = collections.Counter()

    def add(self, result: ScreenResult) -> None:
        self.total += 1
        if result.decision is None:
            self.bad += 1
            return
        self.decisions[result.decision] += 1
        self.failed.update(result.failed)
        self.unknown.update(result.unknown)

    def count(self, decision: Decision) -> int:
        return self.decisions[decision]
