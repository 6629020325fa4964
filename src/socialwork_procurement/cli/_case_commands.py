"""The implementations of ``swp case …`` and ``swp diagram`` (loaded only when one of them runs).

``case show`` and ``case history`` print JSON (the default, which scripts rely on) or, with
``--format text``, a readable account in the ``--lang`` language: states, roles, methods and
events by their Chinese or English names, never their identifiers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .._errors import ConcurrencyConflict, InvalidInput, TamperDetected, UnknownRegion
from .._i18n import Bilingual, Joined, Message
from ..export._disclosure import disclosure_package, render_disclosure
from ..export._json import finding_json, history_entry_json, state_json, verification_json
from ..export._names import name as _display_name
from ..export._ocds import OcdsPublisher, dumps_ocds, to_ocds_release_package, validate_ocid_prefix
from ..lifecycle import _events as ev
from ..lifecycle._commands import Command, OpenCase, parse_command
from ..lifecycle._machine import MACHINE, State
from ..lifecycle._procurement import (
    CommandUndetermined,
    HistoryEntry,
    Procurement,
    ProcurementState,
    snapshot_matches_replay,
)
from ..lifecycle._refusals import CommandRefused, InvalidTransition
from ..model._converter import parse_json
from ..model._money import format_yuan
from ..model._types import Evaluation
from ..rules._registry import Registry
from ..rules._rules import Finding
from ..store._protocol import EventStore
from ..store._sqlite import SQLiteEventStore
from ._case import DEFAULT_STORE
from ._common import (
    EXIT_ERROR,
    EXIT_INELIGIBLE,
    EXIT_OK,
    EXIT_UNDETERMINED,
    UsageError,
    dump,
    problem,
    read_input,
    text,
)
from ._common import registry_from as _registry

_RETRIES = 3
"""How often ``swp case do`` re-decides a command after another writer got in first."""


# -- JSON shapes ---------------------------------------------------------------------------------


# -- text ----------------------------------------------------------------------------------------
#
# Every line is a catalogue message: the names of states, roles, methods, stages and outcomes are
# rendered by ``text`` in the --lang language; names, titles and reasons the actors wrote are quoted.


class _Indented:
    """A line set in under the one before it (the indent is layout, not part of the message)."""

    def __init__(self, message: Message | str, indent: int = 2) -> None:
        self.message, self.indent = message, indent


def _line(line: Message | _Indented, lang: str) -> str:
    if isinstance(line, _Indented):
        return " " * line.indent + text(line.message, lang)
    return text(line, lang)


def _region(registry: Registry, code: str) -> Bilingual:
    try:
        region = registry.region(code)
    except UnknownRegion:  # the pack is gone since the case was stored: its code still names it
        return Bilingual(code, code)
    return Bilingual(region.name_zh, region.name_en)


def _yuan(amount: Decimal | None) -> Message | None:
    return None if amount is None else Message("{amount} yuan", amount=format_yuan(amount))


def _finding_line(finding: Finding) -> Message:
    return Message(
        "[{outcome}] {rule_id}: {message}",
        outcome=finding.outcome,
        rule_id=finding.rule_id,
        message=Bilingual(finding.message("zh"), finding.message("en")),
    )


def state_lines(state: ProcurementState, disclosures: Sequence[Finding], registry: Registry, lang: str) -> list[str]:
    """``swp case show --format text``: the purchase as it stands, in ``lang``."""
    lines: list[Message | _Indented] = [
        Message(
            "case {case_id}: {title} ({region})",
            case_id=state.case_id,
            title=state.title,
            region=_region(registry, state.region),
        ),
        Message(
            "version {version}, state: {state}, last step on {last_on}",
            version=state.version,
            state=state.status,
            last_on=state.last_on,
        ),
        Message("purchaser: {name}", name=state.purchaser.name),
    ]
    if state.contractor is not None:
        lines.append(Message("contractor: {name}", name=state.contractor.name))
    contract = state.contract
    if contract is not None and contract.procurement_method is not None:
        lines.append(Message("procurement method: {method}", method=contract.procurement_method))
    if contract is not None and contract.amount is not None:
        lines.append(Message("contract amount: {amount}", amount=_yuan(contract.amount)))
    if contract is not None and contract.service_period is not None:
        period = contract.service_period
        lines.append(Message("service period: {start} to {end}", start=period.start, end=period.end))
    if state.schedule is not None and state.schedule.midterm_required:
        lines.append(
            Message(
                "evaluations due (this library's scheduling policy): mid-term on {midterm}, final on {final}",
                midterm=state.schedule.midterm,
                final=state.schedule.final,
            )
        )
    elif state.schedule is not None:
        lines.append(
            Message(
                "evaluation due (this library's scheduling policy): final on {final}; the region's rules require "
                "no mid-term evaluation",
                final=state.schedule.final,
            )
        )
    fee = state.evaluation_fee
    if fee is not None and fee.fee is not None:
        lines.append(Message("evaluation fee reserved: {fee} ({rule_id})", fee=_yuan(fee.fee), rule_id=fee.rule_id))
    elif fee is not None:
        reason = Bilingual(fee.reason_zh or "", fee.reason_en or "")
        lines.append(Message("no evaluation fee reserved: {reason}", reason=reason))
    lines += [_Indented(_evaluation_line(e)) for e in state.evaluations]
    if state.end_reason is not None:
        lines.append(Message("why it ended: {reason}", reason=state.end_reason))
    if state.is_final:
        lines.append(Message("a final state: nothing can follow"))
    else:
        lines.append(Message("next steps allowed: {actions}", actions=Joined(state.allowed_actions)))
    if disclosures:
        lines.append(Message("disclosure (信息公开):"))
        lines += [_Indented(_finding_line(f)) for f in disclosures]
    else:
        lines.append(Message("no disclosure rule of the region applies"))
    return [_line(line, lang) for line in lines]


def _evaluation_line(evaluation: Evaluation) -> Message:
    return Message(
        "{stage} on {on} by {evaluator} ({role}): {result}",
        stage=evaluation.stage,
        on=evaluation.date,
        evaluator=evaluation.evaluator,
        role=evaluation.evaluator_role,
        result=evaluation.result if evaluation.result is not None else Message("no result"),
    )


_EVENT_NAMES: dict[type[ev.Event], Message] = {
    ev.CaseOpened: Message("case opened"),
    ev.NeedsAssessed: Message("needs assessed"),
    ev.BudgetApproved: Message("budget approved"),
    ev.TenderStarted: Message("tender started"),
    ev.TenderFailed: Message("tender failed"),
    ev.ContractorAwarded: Message("contractor awarded"),
    ev.ContractSigned: Message("contract signed"),
    ev.EvaluationFeeReserved: Message("evaluation fee reserved"),
    ev.ServiceStarted: Message("service started"),
    ev.EvaluationRecorded: Message("evaluation recorded"),
    ev.CaseAccepted: Message("accepted on completion"),
    ev.CaseClosed: Message("case closed"),
    ev.CaseCancelled: Message("case cancelled"),
    ev.ContractTerminated: Message("contract terminated"),
    ev.DisclosureRecorded: Message("disclosure recorded"),
}
"""What ``case history --format text`` calls each event (a test checks that every type has a name)."""


def _opened(e: ev.CaseOpened) -> Message:
    return Message("{title}; purchaser: {purchaser}", title=e.title, purchaser=e.purchaser.name)


def _budget(e: ev.BudgetApproved) -> Message | None:
    return None if e.planning.budget is None else Message("budget: {amount}", amount=_yuan(e.planning.budget))


def _tender(e: ev.TenderStarted) -> Message:
    if e.method_reason:
        return Message("method: {method} (why: {reason})", method=e.method, reason=e.method_reason)
    return Message("method: {method}", method=e.method)


def _awarded(e: ev.ContractorAwarded) -> Message:
    if e.amount is not None:
        return Message("contractor: {name}, {amount}", name=e.contractor.name, amount=_yuan(e.amount))
    return Message("contractor: {name}", name=e.contractor.name)


def _signed(e: ev.ContractSigned) -> Message:
    period = e.contract.service_period
    if not e.schedule.midterm_required:
        return Message(
            "amount: {amount}; service period {start} to {end}; final evaluation due on {final} (this library's "
            "scheduling policy; no mid-term evaluation required)",
            amount=_yuan(e.contract.amount),
            start=period.start if period else None,
            end=period.end if period else None,
            final=e.schedule.final,
        )
    return Message(
        "amount: {amount}; service period {start} to {end}; evaluations due on {midterm} and {final}",
        amount=_yuan(e.contract.amount),
        start=period.start if period else None,
        end=period.end if period else None,
        midterm=e.schedule.midterm,
        final=e.schedule.final,
    )


def _fee(e: ev.EvaluationFeeReserved) -> Message:
    if e.fee is not None:
        return Message("fee: {fee} ({rule_id})", fee=_yuan(e.fee), rule_id=e.rule_id)
    return Message("nothing reserved: {reason}", reason=Bilingual(e.reason_zh or "", e.reason_en or ""))


def _disclosed(e: ev.DisclosureRecorded) -> Message:
    items = Joined(sorted(e.items))
    if e.where:
        return Message("published: {items} ({where})", items=items, where=e.where)
    return Message("published: {items}", items=items)


_DETAILS: dict[type[ev.Event], Callable[[Any], Message | str | None]] = {
    ev.CaseOpened: _opened,
    ev.NeedsAssessed: lambda e: e.summary,
    ev.BudgetApproved: _budget,
    ev.TenderStarted: _tender,
    ev.ContractorAwarded: _awarded,
    ev.ContractSigned: _signed,
    ev.EvaluationFeeReserved: _fee,
    ev.EvaluationRecorded: lambda e: _evaluation_detail(e.evaluation),
    ev.DisclosureRecorded: _disclosed,
}


def _evaluation_detail(evaluation: Evaluation) -> Message:
    return Message(
        "{stage} by {evaluator} ({role}): {result}",
        stage=evaluation.stage,
        evaluator=evaluation.evaluator,
        role=evaluation.evaluator_role,
        result=evaluation.result if evaluation.result is not None else Message("no result"),
    )


def history_lines(history: Sequence[HistoryEntry], registry: Registry, lang: str) -> list[str]:
    """``swp case history --format text``: every stored event, oldest first, in ``lang``."""
    lines: list[Message | _Indented] = []
    for entry in history:
        event = entry.event
        name = _EVENT_NAMES.get(type(event))
        lines.append(
            Message(
                "#{version} {on} {event}: {actor} ({role})",
                version=entry.version,
                on=event.on,
                event=name if name is not None else entry.event_type,
                actor=event.actor,
                role=event.role,
            )
        )
        detail = _DETAILS.get(type(event), lambda _e: None)(event)
        if detail is not None:
            lines.append(_Indented(detail, 4))
        if event.reason:
            lines.append(_Indented(Message("reason given: {reason}", reason=event.reason), 4))
        basis = getattr(event, "basis", None)
        if isinstance(basis, ev.RuleBasis):
            checked = Message(
                "checked against the rules of {region} in force on {on}: {decision}",
                region=_region(registry, basis.region),
                on=basis.on,
                decision=basis.decision,
            )
            lines.append(_Indented(checked, 4))
            if basis.accepted_undetermined is not None:
                went = Message("went ahead undetermined, because: {reason}", reason=basis.accepted_undetermined)
                lines.append(_Indented(went, 4))
        recorded = Message("recorded at {recorded_at}", recorded_at=entry.recorded_at.isoformat(timespec="seconds"))
        if entry.stored_schema_version != event.SCHEMA_VERSION:
            recorded = Message(
                "{recorded} (stored as version {stored} of the event, read as version {current})",
                recorded=recorded,
                stored=entry.stored_schema_version,
                current=event.SCHEMA_VERSION,
            )
        lines.append(_Indented(recorded, 4))
    return [_line(line, lang) for line in lines]


# -- helpers -------------------------------------------------------------------------------------


def _read_command(source: str, encoding: str | None = None) -> Command:
    # The same strict JSON reading as case files: duplicate keys, deep nesting and huge numbers are
    # problems at their path, never a crash or a silent last-one-wins.
    return parse_command(parse_json(read_input(source, encoding=encoding)))


def _open_store(args: argparse.Namespace, *, create: bool) -> EventStore:
    path = Path(args.store)
    if not create and not path.exists():
        raise UsageError(Message("--store: no store at {path} (create one with `swp case new`)", path=str(path)))
    # A keyed store (HMAC chain) is opened with the key from the environment, never from argv:
    # a key on the command line would be in the shell's history and in `ps`.
    return SQLiteEventStore(path, key=os.environ.get(STORE_KEY_ENV) or None)


_REFUSAL_KINDS = {
    "undetermined": Message("undetermined"),
    "invalid_transition": Message("invalid transition"),
    "refused": Message("refused"),
}


def _refused(case_id: str, exc: CommandRefused, lang: str, version: int | None) -> int:
    if isinstance(exc, CommandUndetermined):
        kind, code = "undetermined", EXIT_UNDETERMINED
    elif isinstance(exc, InvalidTransition):
        kind, code = "invalid_transition", EXIT_INELIGIBLE
    else:
        kind, code = "refused", EXIT_INELIGIBLE
    message = text(exc, lang)
    dump(
        {
            "case_id": case_id,
            "version": version,
            "refused": kind,
            "message": message,
            "findings": [finding_json(f, lang) for f in exc.findings],
        },
        sys.stdout,
    )
    print(f"swp: {text(_REFUSAL_KINDS[kind], lang)}: {message}", file=sys.stderr)
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
        opened_by = Message('a case is opened by an "open" command, not "{command}"', command=command.command)
        raise InvalidInput([problem("$.command", opened_by)])
    if args.id is not None and not args.id.strip():
        # An empty id is a mistake (an unset shell variable), not a request for a random one.
        empty = Message("a case id must not be empty; leave --id out for a new random id")
        raise InvalidInput([problem("--id", empty)])
    case_id = args.id if args.id is not None else f"case-{uuid.uuid4().hex[:12]}"
    registry = _registry(args)
    with _open_store(args, create=True) as store:
        try:
            proc = Procurement.create(store, registry, case_id, command)
        except (CommandRefused, ConcurrencyConflict) as exc:
            if isinstance(exc, ConcurrencyConflict):
                exc = InvalidTransition(Message("case {case_id!r} already exists", case_id=case_id))
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
                    Message(
                        "case {case_id!r} is at version {version}, not {expected}: look at it again (`swp case show`) "
                        "before deciding",
                        case_id=args.case_id,
                        version=proc.version,
                        expected=args.expect_version,
                    )
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
        disclosures = proc.disclosures(args.on)
    if args.format == "text":
        print("\n".join(state_lines(proc.state, disclosures, registry, args.lang)))
        return EXIT_OK
    dump(
        {
            "case_id": proc.case_id,
            "version": proc.version,
            "state": state_json(proc.state),
            "disclosures": [finding_json(f, args.lang) for f in disclosures],
        },
        sys.stdout,
    )
    return EXIT_OK


def cmd_case_history(args: argparse.Namespace) -> int:
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        history = Procurement.open(store, registry, args.case_id).history()
    if args.format == "text":
        print("\n".join(history_lines(history, registry, args.lang)))
        return EXIT_OK
    dump([history_entry_json(e) for e in history], sys.stdout)
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


STORE_KEY_ENV = "SWP_STORE_KEY"
"""Environment variable holding the secret key of a keyed store (see docs/event-store.md)."""


def cmd_case_disclosure(args: argparse.Namespace) -> int:
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        proc = Procurement.open(store, registry, args.case_id)
        package = disclosure_package(proc, registry, on=args.on)
    rendered = render_disclosure(package, args.format, args.lang)
    if isinstance(rendered, str):
        sys.stdout.write(rendered if rendered.endswith("\n") else rendered + "\n")
    else:
        dump(rendered, sys.stdout)
    return EXIT_OK


def cmd_case_verify(args: argparse.Namespace) -> int:
    if (args.case_id is None) == (not args.all):
        raise UsageError(Message("name one case, or give --all"))
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        if not args.all:
            try:
                result = store.verify(args.case_id)
            except TamperDetected as exc:
                dump({"case_id": args.case_id, "ok": False, "problem": str(exc)}, sys.stdout)
                return EXIT_INELIGIBLE
            replayed = snapshot_matches_replay(store, registry, args.case_id)
            dump(verification_json(result, replayed), sys.stdout)
            return EXIT_OK if replayed is not False else EXIT_INELIGIBLE
        report = store.verify_all()
        cases = [verification_json(c, snapshot_matches_replay(store, registry, c.case_id)) for c in report.cases]
        ok = report.ok and all(c["ok"] for c in cases)
        dump(
            {
                "ok": ok,
                "cases": cases,
                "problems": [{"case_id": p.case_id, "version": p.version, "problem": str(p)} for p in report.problems],
                "broken_triggers": list(report.broken_triggers),
                "restored_triggers": list(report.restored_triggers),
                "keyed_since": report.keyed_since,
            },
            sys.stdout,
        )
        return EXIT_OK if ok else EXIT_INELIGIBLE


def cmd_case_ocds(args: argparse.Namespace) -> int:
    prefix = validate_ocid_prefix(args.ocid_prefix)  # a bad prefix is exit 2 before anything is read
    if args.publisher is not None and not args.publisher.strip():
        raise UsageError(Message("--publisher must not be empty"))
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        proc = Procurement.open(store, registry, args.case_id)
        publisher = OcdsPublisher(name=args.publisher or proc.state.purchaser.name)
        package = to_ocds_release_package(proc, ocid_prefix=prefix, publisher=publisher, uri=args.uri)
    sys.stdout.write(dumps_ocds(package) + "\n")
    return EXIT_OK


def _current_state(args: argparse.Namespace) -> State | None:
    """The state of ``--case`` in ``--store`` (read as ``swp case show`` reads it), or ``None`` without ``--case``."""
    if args.case is None:
        if args.store is not None:
            raise UsageError(Message("--store names the store of --case: give --case ID as well"))
        return None
    if args.store is None:
        args.store = DEFAULT_STORE
    registry = _registry(args)
    with _open_store(args, create=False) as store:
        return Procurement.open(store, registry, args.case).state.status


def _say_error(message: Message, lang: str) -> None:
    print(f"swp: error: {text(message, lang)}", file=sys.stderr)


def _drawn(program: str, source: str, fmt: str, lang: str) -> bytes | None:
    """The picture Graphviz's ``dot`` draws from ``source``, or ``None`` (the reason said) when it cannot."""
    try:
        run = subprocess.run([program, f"-T{fmt}"], input=source.encode("utf-8"), capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _say_error(Message("Graphviz's `dot` could not draw the diagram: {error}", error=str(exc)), lang)
        return None
    if run.returncode != 0 or not run.stdout:
        error = run.stderr.decode("utf-8", "replace").strip()[:500] or f"exit {run.returncode}"
        _say_error(Message("Graphviz's `dot` could not draw the diagram: {error}", error=error), lang)
        return None
    return run.stdout


def cmd_diagram(args: argparse.Namespace) -> int:
    picture = args.format in ("svg", "png")
    if args.format == "png" and args.out is None:
        # Binary data on standard output breaks whatever reads it as text (a terminal, a pipe to a pager).
        raise UsageError(Message("--format png writes a picture file: name it with --out (e.g. --out lifecycle.png)"))
    # The program is looked for before any store is read: without it nothing can be drawn.
    program = shutil.which("dot") if picture else None
    if picture and program is None:
        _say_error(
            Message(
                "--format {format} needs Graphviz's `dot` program, which is not installed (not on PATH): "
                "install Graphviz (for example `apt-get install graphviz` or `brew install graphviz`), "
                "or use `--format dot` or `--format mermaid`",
                format=args.format,
            ),
            args.lang,
        )
        return EXIT_ERROR
    current = _current_state(args)
    lang = None if args.ids else args.lang  # --ids: the identifiers, as docs/lifecycle.md shows them
    if args.format == "mermaid":
        data = (MACHINE.to_mermaid(lang, name=_display_name, highlight=current) + "\n").encode("utf-8")
    else:
        data = (MACHINE.to_dot(lang, name=_display_name, highlight=current) + "\n").encode("utf-8")
    if picture:
        assert program is not None
        drawn = _drawn(program, data.decode("utf-8"), args.format, args.lang)
        if drawn is None:
            return EXIT_ERROR
        data = drawn
    if args.out is None:  # text: mermaid, dot or svg (XML in UTF-8)
        sys.stdout.write(data.decode("utf-8"))
        return EXIT_OK
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        _say_error(Message("cannot write {path}: {reason}", path=args.out, reason=reason), args.lang)
        return EXIT_ERROR
    return EXIT_OK
