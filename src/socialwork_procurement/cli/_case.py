"""``swp case …`` and ``swp diagram``: drive and inspect purchases from the shell, JSON in and out.

::

    swp case new open.json --id XM-2015-001      # open a purchase (an "open" command)
    swp case do XM-2015-001 award.json           # any other command ("-" reads standard input)
    swp case show XM-2015-001                    # state, allowed actions, disclosure findings
    swp case history XM-2015-001                 # every stored event, upcast, with its envelope
    swp case list                                # the cases in the store
    swp case ocds XM-2015-001 --ocid-prefix ocds-a1b2c3   # the purchase as an OCDS 1.1 release package
    swp diagram --format mermaid                 # the lifecycle (or --format dot)

Every ``case`` command takes ``--store PATH`` (default ``swp-cases.sqlite`` in the working
directory; reading commands never create it). Exit codes follow ``swp check``: 0 done,
1 refused (not allowed in this state, wrong role, a rule failing, or ``--expect-version`` not
met), 3 refused as undetermined (repeat with ``accept_undetermined``), 2 bad input or usage (one
message per problem, with its JSON path).
"""

from __future__ import annotations

import argparse
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .._errors import ConcurrencyConflict, InputProblem, InvalidInput
from ..export._ocds import OcdsPublisher, dumps_ocds, to_ocds_release_package, validate_ocid_prefix
from ..lifecycle._commands import Command, OpenCase, parse_command
from ..lifecycle._machine import MACHINE
from ..lifecycle._procurement import CommandUndetermined, HistoryEntry, Procurement, ProcurementState
from ..lifecycle._refusals import CommandRefused, InvalidTransition
from ..model._converter import unstructure
from ..store._protocol import EventStore
from ..store._sqlite import SQLiteEventStore
from ._main import (
    EXIT_INELIGIBLE,
    EXIT_OK,
    EXIT_UNDETERMINED,
    UsageError,
    _date_arg,
    _dump,
    _Parser,
    _registry,
    finding_json,
)

__all__ = ["COMMANDS", "DEFAULT_STORE"]

DEFAULT_STORE = "swp-cases.sqlite"
"""The store ``swp case`` uses without ``--store``: an SQLite file in the working directory."""

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


def _read_command(source: str) -> Command:
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput([InputProblem("$", f"not valid JSON: {exc}")]) from None
    return parse_command(data)


def _open_store(args: argparse.Namespace, *, create: bool) -> EventStore:
    path = Path(args.store)
    if not create and not path.exists():
        raise UsageError(f"no store at {path} (create one with `swp case new`)")
    return SQLiteEventStore(path)


def _refused(case_id: str, exc: CommandRefused, lang: str, version: int | None) -> int:
    if isinstance(exc, CommandUndetermined):
        kind, code = "undetermined", EXIT_UNDETERMINED
    elif isinstance(exc, InvalidTransition):
        kind, code = "invalid_transition", EXIT_INELIGIBLE
    else:
        kind, code = "refused", EXIT_INELIGIBLE
    _dump(
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
    _dump(
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
    command = _read_command(args.command_file)
    if not isinstance(command, OpenCase):
        raise InvalidInput(
            [InputProblem("$.command", f'a case is opened by an "open" command, not "{command.command}"')]
        )
    case_id = args.id or f"case-{uuid.uuid4().hex[:12]}"
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
    command = _read_command(args.command_file)
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
        _dump(
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
        _dump([history_entry_json(e) for e in proc.history()], sys.stdout)
    return EXIT_OK


def cmd_case_list(args: argparse.Namespace) -> int:
    if not Path(args.store).exists():
        _dump([], sys.stdout)
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
    _dump(rows, sys.stdout)
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


# -- parsers -------------------------------------------------------------------------------------


def add_case(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``swp case new|do|show|history|list|ocds``."""
    case = sub.add_parser("case", help="drive and inspect a purchase (JSON in and out)")
    case_sub = case.add_subparsers(dest="case_command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--store", default=DEFAULT_STORE, help=f"SQLite event store (default: ./{DEFAULT_STORE})")
        p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of finding messages")

    p = case_sub.add_parser("new", help='open a purchase from an "open" command (JSON)')
    p.add_argument("command_file", nargs="?", default="-", help="command file (JSON), or - for standard input")
    p.add_argument("--id", help="case id (default: a new random one)")
    common(p)
    p.set_defaults(func=cmd_case_new)

    p = case_sub.add_parser("do", help="execute a command (JSON) on a purchase")
    p.add_argument("case_id")
    p.add_argument("command_file", nargs="?", default="-", help="command file (JSON), or - for standard input")
    p.add_argument(
        "--expect-version",
        type=int,
        help="refuse unless the case is still at this version (what you last looked at)",
    )
    common(p)
    p.set_defaults(func=cmd_case_do)

    p = case_sub.add_parser("show", help="a purchase's state, next actions and disclosure findings")
    p.add_argument("case_id")
    p.add_argument("--on", type=_date_arg, help="date for the disclosure findings (default: the last step's)")
    common(p)
    p.set_defaults(func=cmd_case_show)

    p = case_sub.add_parser("history", help="every stored event of a purchase")
    p.add_argument("case_id")
    common(p)
    p.set_defaults(func=cmd_case_history)

    p = case_sub.add_parser("list", help="the purchases in the store")
    common(p)
    p.set_defaults(func=cmd_case_list)

    p = case_sub.add_parser("ocds", help="a purchase as an OCDS 1.1 release package (JSON)")
    p.add_argument("case_id")
    p.add_argument("--ocid-prefix", required=True, help="your registered OCDS prefix, ocds- and six letters or digits")
    p.add_argument("--publisher", help="name of the publishing body (default: the case's purchaser)")
    p.add_argument("--uri", help="where the package is published (default: a urn:uuid: derived from the history)")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"SQLite event store (default: ./{DEFAULT_STORE})")
    p.set_defaults(func=cmd_case_ocds)


def add_diagram(sub: argparse._SubParsersAction[_Parser]) -> None:
    """``swp diagram --format mermaid|dot``."""
    p = sub.add_parser("diagram", help="print the lifecycle state machine")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.set_defaults(func=cmd_diagram)


COMMANDS: list[Callable[[argparse._SubParsersAction[_Parser]], None]] = [add_case, add_diagram]
"""Loaded by ``swp`` (``_cli._load_extra_commands``)."""
