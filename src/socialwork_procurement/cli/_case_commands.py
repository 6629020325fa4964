"""The implementations of ``swp case …`` and ``swp diagram`` (loaded only when one of them runs)."""


from __future__ import annotations

import argparse
import sys
import uuid
from pathlib import Path
from typing import Any

from .._errors import ConcurrencyConflict, InputProblem, InvalidInput
from ..export._ocds import OcdsPublisher, dumps_ocds, to_ocds_release_package, validate_ocid_prefix
from ..lifecycle._commands import Command, OpenCase, parse_command
from ..lifecycle._machine import MACHINE
from ..lifecycle._procurement import CommandUndetermined, HistoryEntry, Procurement, ProcurementState
from ..lifecycle._refusals import CommandRefused, InvalidTransition
from ..model._converter import parse_json, unstructure
from ..store._protocol import EventStore
from ..store._sqlite import SQLiteEventStore
from ._common import EXIT_INELIGIBLE, EXIT_OK, EXIT_UNDETERMINED, UsageError, dump, read_input
from ._common import registry_from as _registry
from ._output import finding_json

_RETRIES = 3
"""How often ``swp case do`` re-decides a command after another writer got in first."""


# -- JSON shapes ---------------------------------------------------------------------------------


def history_entry_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "position": entry.position,
        "recorded_at": entry.recorded_at.isoformat(),
        "event_type": entry.event_type,
        "schema_version": entry.event.SCHEMA_VERSION,
        "stored_schema_version": entry.stored_schema_version,
        "hash": entry.hash,
        "payload": unstructure(entry.event),
    }


def state_json(state: ProcurementState) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(state)
    data["final"] = state.is_final
    data["allowed_actions"] = [a.value for a in state.allowed_actions]
    return data


# -- helpers -------------------------------------------------------------------------------------


def _read_command(source: str, encoding: str | None = None) -> Command:
    # The same strict JSON reading as case files: duplicate keys, deep nesting and huge numbers are
    # problems at their path, never a crash or a silent last-one-wins.
    return parse_command(parse_json(read_input(source, encoding=encoding)))


def _open_store(args: argparse.Namespace, *, create: bool) -> EventStore:
    path = Path(args.store)
    if not create and not path.exists():
        raise UsageError(f"--store: no store at {path} (create one with `swp case new`)")
    return SQLiteEventStore(path)


def _refused(case_id: str, exc: CommandRefused, lang: str, version: int | None) -> int:
    if isinstance(exc, CommandUndetermined):
        kind, code = "undetermined", EXIT_UNDETERMINED
    elif isinstance(exc, InvalidTransition):
        kind, code = "invalid_transition", EXIT_INELIGIBLE
    else:
        kind, code = "refused", EXIT_INELIGIBLE
    dump(
        {
            "case_id": case_id,
            "version": version,
            "refused": kind,
            "message": str(exc),
            "findings": [finding_json(f, lang) for f in exc.findings],
        },
        sys.stdout,
    )
    print(f"swp: {kind.replace('_', ' ')}: {exc}", file=sys.stderr)
    return code


def _done(proc: Procurement, appended: tuple[HistoryEntry, ...]) -> int:
    dump(
        {
            "case_id": proc.case_id,
            "version": proc.version,
            "status": proc.state.status.value,
            "appended": [history_entry_json(e) for e in appended],
            "state": state_json(proc.state),
        },
        sys.stdout,
    )
    return EXIT_OK


# -- commands ------------------------------------------------------------------------------------


def cmd_case_new(args: argparse.Namespace) -> int:
    command = _read_command(args.command_file, args.encoding)
    if not isinstance(command, OpenCase):
        raise InvalidInput(
            [InputProblem("$.command", f'a case is opened by an "open" command, not "{command.command}"')]
        )
    if args.id is not None and not args.id.strip():
        # An empty id is a mistake (an unset shell variable), not a request for a random one.
        raise InvalidInput([InputProblem("--id", "a case id must not be empty; leave --id out for a new random id")])
    case_id = args.id if args.id is not None else f"case-{uuid.uuid4().hex[:12]}"
    registry = _registry(args)
    with _open_store(args, create=True) as store:
        try:
            proc = Procurement.create(store, registry, case_id, command)
        except (CommandRefused, ConcurrencyConflict) as exc:
            if isinstance(exc, ConcurrencyConflict):
                exc = InvalidTransition(f"case {case_id!r} already exists")
            return _refused(case_id, exc, args.lang, store.version(case_id) or None)
        return _done(proc, proc.history())


def cmd_case_do(args: argparse.Namespace) -> int:
    command = _read_command(args.command_file, args.encoding)
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        proc = Procurement.open(store, registry, args.case_id)
        attempts = 1
        while True:
            if args.expect_version is not None and proc.version != args.expect_version:
                conflict = CommandRefused(
                    f"case {args.case_id!r} is at version {proc.version}, not {args.expect_version}: "
                    "look at it again (swp case show) before deciding"
                )
                return _refused(args.case_id, conflict, args.lang, proc.version)
            try:
                appended = proc.execute(command)
            except CommandRefused as exc:
                return _refused(args.case_id, exc, args.lang, proc.version)
            except ConcurrencyConflict:
                if attempts >= _RETRIES:
                    raise
                attempts += 1
                proc.refresh()  # another writer got in first: decide again on what it left
                continue
            return _done(proc, appended)


def cmd_case_show(args: argparse.Namespace) -> int:
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        proc = Procurement.open(store, registry, args.case_id)
        dump(
            {
                "case_id": proc.case_id,
                "version": proc.version,
                "state": state_json(proc.state),
                "disclosures": [finding_json(f, args.lang) for f in proc.disclosures(args.on)],
            },
            sys.stdout,
        )
    return EXIT_OK


def cmd_case_history(args: argparse.Namespace) -> int:
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        proc = Procurement.open(store, registry, args.case_id)
        dump([history_entry_json(e) for e in proc.history()], sys.stdout)
    return EXIT_OK


def cmd_case_list(args: argparse.Namespace) -> int:
    if not Path(args.store).exists():
        dump([], sys.stdout)
        return EXIT_OK
    with _open_store(args, create=False) as store:
        rows = [
            {
                "case_id": c.case_id,
                "version": c.version,
                "first_recorded_at": c.first_recorded_at.isoformat(),
                "last_recorded_at": c.last_recorded_at.isoformat(),
            }
            for c in store.list_cases()
        ]
    dump(rows, sys.stdout)
    return EXIT_OK


def cmd_case_ocds(args: argparse.Namespace) -> int:
    prefix = validate_ocid_prefix(args.ocid_prefix)  # a bad prefix is exit 2 before anything is read
    if args.publisher is not None and not args.publisher.strip():
        raise UsageError("--publisher must not be empty")
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        proc = Procurement.open(store, registry, args.case_id)
        publisher = OcdsPublisher(name=args.publisher or proc.state.purchaser.name)
        package = to_ocds_release_package(proc, ocid_prefix=prefix, publisher=publisher, uri=args.uri)
    sys.stdout.write(dumps_ocds(package) + "\n")
    return EXIT_OK


def cmd_diagram(args: argparse.Namespace) -> int:
    print(MACHINE.to_mermaid() if args.format == "mermaid" else MACHINE.to_dot())
    return EXIT_OK


