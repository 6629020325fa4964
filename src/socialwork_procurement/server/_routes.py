"""The endpoints: the CLI's commands over HTTP, with the CLI's decisions, messages and JSON shapes.

Every endpoint reads its query parameters and body in the event loop (with the size limit) and
does the library's work in a worker thread, so a long check never holds up the others. Each is
declared once, in :data:`ENDPOINTS`, with what the OpenAPI document says about it, so the document
and the routes cannot drift apart (a test holds them to each other).

=============================================  =================================================
``swp`` command                                endpoint
=============================================  =================================================
``swp regions``                                ``GET /api/v1/regions``
``swp rules --region R [--on D]``              ``GET /api/v1/regions/{region}/rules?on=D``
``swp rules --region R --diff A B``            ``GET /api/v1/regions/{region}/rules?diff=A,B``
``swp check CASE --region R --on D``           ``POST /api/v1/regions/{region}/check?on=D``
``swp screen FILE.jsonl --region R``           ``POST /api/v1/regions/{region}/screen`` (JSON Lines)
``swp fee --region R --amount A``              ``GET /api/v1/regions/{region}/fee?amount=A``
``swp schema``                                 ``GET /api/v1/schema/case``
``swp diagram --format mermaid``               ``GET /api/v1/lifecycle/diagram?format=mermaid``
``swp case list``                              ``GET /api/v1/cases``
``swp case new CMD [--id ID]``                 ``POST /api/v1/cases``, ``PUT /api/v1/cases/{id}``
``swp case do ID CMD [--expect-version V]``    ``POST /api/v1/cases/{id}/commands?expect_version=V``
``swp case show ID``                           ``GET /api/v1/cases/{id}``
``swp case history ID``                        ``GET /api/v1/cases/{id}/history``
``swp case ocds ID --ocid-prefix P``           ``GET /api/v1/cases/{id}/ocds?ocid_prefix=P``
``swp case disclosure ID [--format F]``        ``GET /api/v1/cases/{id}/disclosure?format=F``
``swp case verify ID`` / ``--all``             ``GET /api/v1/cases/{id}/verify``, ``GET /api/v1/verify``
``swp diagram --case ID``                      ``GET /api/v1/lifecycle/diagram?case=ID``
=============================================  =================================================
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import attrs
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from .._errors import ConcurrencyConflict, InputProblem, InvalidInput, TamperDetected
from .._i18n import Message
from ..export._disclosure import disclosure_package, render_disclosure
from ..export._ocds import InvalidOcidPrefix, OcdsPublisher, dumps_ocds, to_ocds_release_package, validate_ocid_prefix
from ..lifecycle._commands import Command, OpenCase, parse_command
from ..lifecycle._machine import MACHINE
from ..lifecycle._procurement import HistoryEntry, Procurement, ProcurementState, evolve
from ..lifecycle._refusals import CommandRefused, InvalidTransition
from ..model._converter import loads, parse_json
from ..model._money import parse_yuan
from ..model._schema import case_schema
from ..model._types import Case
from ..rules._diff import rules_diff
from ._failures import error_answer, refusal_json
from ._http import JSON, Params, check_json_type, read_body, request_lang, shown
from ._seeds import source_json
from ._shapes import (
    case_summary_json,
    diff_json,
    fee_json,
    finding_json,
    history_entry_json,
    machine_json,
    regions_json,
    rule_with_subject_json,
    silence_json,
    snapshot_matches_replay,
    state_json,
    store_verification_json,
    verdict_json,
    verification_json,
)
from ._text import display_name, text

if TYPE_CHECKING:
    from ._server import Server

Handler = Callable[[Request, "Server", str], Awaitable[Response]]


@attrs.frozen
class Param:
    """A path, query or header parameter, as the OpenAPI document describes it."""

    name: str
    where: str
    description: str
    schema: Mapping[str, Any] = attrs.field(factory=lambda: {"type": "string"})
    required: bool = False


@attrs.frozen
class Body:
    media: str
    schema: Mapping[str, Any]
    description: str


@attrs.frozen
class Answer:
    description: str
    media: str = "application/json"
    schema: Mapping[str, Any] | None = None
    also: tuple[str, ...] = ()
    """Other media types of the same answer (text), chosen by a parameter."""


@attrs.frozen
class Endpoint:
    """One route and its documentation."""

    method: str
    path: str
    operation_id: str
    summary: str
    tag: str
    handler: Handler | None
    """``None`` for the raw ASGI endpoint (screening), routed by :mod:`._app`."""
    params: tuple[Param, ...] = ()
    body: Body | None = None
    answers: Mapping[int, Answer] = attrs.field(factory=dict)
    description: str | None = None


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


# -- helpers ---------------------------------------------------------------------------------------------------


async def _json_body(request: Request, server: Server, lang: str) -> bytes:
    check_json_type(request, lang)
    return await read_body(request, server.config.max_body_bytes)


def _charset(request: Request) -> str | None:
    """The body's declared charset (``; charset=gb18030``), ``None`` for UTF-8 or none declared."""
    declared = request.headers.get("content-type", "")
    for part in declared.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.strip().lower() == "charset":
            name = value.strip().strip('"').lower()
            return None if name in ("utf-8", "utf8") else name
    return None


def _command(raw: bytes, encoding: str | None) -> Command:
    return parse_command(parse_json(raw, encoding=encoding))


def _region_path(request: Request) -> str:
    region: str = request.path_params["region"]
    return region


def _case_path(request: Request) -> str:
    case_id: str = request.path_params["case_id"]
    return case_id


# -- the rules -------------------------------------------------------------------------------------------------


async def regions(request: Request, server: Server, lang: str) -> Response:
    params = Params.of(request, "national")
    national = params.flag("national", True)
    params.done()
    registry = server.registry(national)
    return JSON(await run_in_threadpool(regions_json, registry, lang), lang=lang)


async def rules(request: Request, server: Server, lang: str) -> Response:
    region = _region_path(request)
    params = Params.of(request, "on", "diff", "national")
    on = params.day("on")
    diff = params.days("diff")
    national = params.flag("national", True)
    if on is not None and diff is not None:
        params.add("query.diff", params.say("on_and_diff"))
    params.done()
    registry = server.registry(national)
    if diff is not None:
        from_date, to_date = diff
        result = await run_in_threadpool(rules_diff, registry, region, from_date, to_date, national=national)
        return JSON(diff_json(result, lang), lang=lang)

    def listing() -> list[dict[str, Any]]:
        return [rule_with_subject_json(r, lang) for r in registry.rules(region, on=on)]

    return JSON(await run_in_threadpool(listing), lang=lang)


async def silences(request: Request, server: Server, lang: str) -> Response:
    region = _region_path(request)
    params = Params.of(request, "on", "national")
    on = params.day("on")
    national = params.flag("national", True)
    params.done()
    registry = server.registry(national)

    def listing() -> list[dict[str, Any]]:
        found = registry.silences(region) if on is None else registry.silences_in_force(region, on, national=national)
        return [silence_json(s, lang) for s in found]

    return JSON(await run_in_threadpool(listing), lang=lang)


async def check(request: Request, server: Server, lang: str) -> Response:
    region = _region_path(request)
    params = Params.of(request, "on", "national")
    on = params.day("on")
    national = params.flag("national", True)
    params.done()
    raw = await _json_body(request, server, lang)
    encoding = _charset(request)
    registry = server.registry(national)

    def run() -> dict[str, Any]:
        case = loads(raw, Case, encoding=encoding)
        verdict = registry.check(case, region=region, on=on or date.today(), national=national)
        data: dict[str, Any] = verdict_json(verdict, lang)
        return data

    return JSON(await run_in_threadpool(run), lang=lang)


async def fee(request: Request, server: Server, lang: str) -> Response:
    region = _region_path(request)
    params = Params.of(request, "amount", "on", "national")
    text = params.text("amount", required=True)
    on = params.day("on")
    national = params.flag("national", True)
    amount = None
    if text is not None:
        try:
            amount = parse_yuan(text)
        except (TypeError, ValueError) as exc:
            params.add("query.amount", str(exc))
    params.done()
    assert amount is not None
    registry = server.registry(national)
    answer = await run_in_threadpool(
        lambda: registry.evaluation_fee(region=region, base_amount=amount, on=on or date.today(), national=national)
    )
    return JSON(fee_json(answer, lang), lang=lang)


async def rule_source(request: Request, server: Server, lang: str) -> Response:
    rule_id: str = request.path_params["rule_id"]
    params = Params.of(request, "on")
    on = params.day("on")
    params.done()
    registry = server.registry(True)
    try:
        rule = registry.rule(rule_id, on=on)
    except LookupError:
        said = (
            params.say("no_rule_on", rule_id=repr(rule_id), on=on)
            if on
            else params.say("no_rule", rule_id=repr(rule_id))
        )
        return JSON({"error": "rule_not_found", "message": said, "rule_id": rule_id}, 404, lang=lang)
    data = await run_in_threadpool(source_json, rule, server.seeds_dir, lang)
    data["rule"] = rule_with_subject_json(rule, lang)
    return JSON(data, lang=lang)


async def schema(request: Request, server: Server, lang: str) -> Response:
    Params.of(request).done()
    return JSON(case_schema(), headers={"Content-Type": "application/schema+json"})


async def machine(request: Request, server: Server, lang: str) -> Response:
    Params.of(request).done()
    return JSON(machine_json(MACHINE))


async def diagram(request: Request, server: Server, lang: str) -> Response:
    params = Params.of(request, "format", "ids", "case")
    fmt = params.text("format") or "mermaid"
    if fmt not in ("mermaid", "dot"):
        params.add("query.format", params.say("format", value=shown(fmt)))
    ids = params.flag("ids", False)
    case_id = params.text("case")
    params.done()
    label = None if ids else lang  # ids=true: the identifiers, as docs/lifecycle.md shows them (swp diagram --ids)

    def run() -> str:
        current = None
        if case_id is not None:
            current = Procurement.open(server.store(), server.registry(True), case_id).state.status
        if fmt == "mermaid":
            return MACHINE.to_mermaid(label, name=display_name, highlight=current)
        return MACHINE.to_dot(label, name=display_name, highlight=current)

    picture = await (server.with_store(run) if case_id is not None else run_in_threadpool(run))
    return Response(picture + "\n", media_type="text/plain; charset=utf-8", headers={"Content-Language": lang})


# -- the lifecycle -------------------------------------------------------------------------------------------


def _done(proc: Procurement, appended: tuple[HistoryEntry, ...]) -> dict[str, Any]:
    """``swp case new|do``'s answer to an accepted command."""
    return {
        "case_id": proc.case_id,
        "version": proc.version,
        "status": proc.state.status.value,
        "appended": [history_entry_json(e) for e in appended],
        "state": state_json(proc.state),
    }


async def list_cases(request: Request, server: Server, lang: str) -> Response:
    Params.of(request).done()

    def run() -> list[dict[str, Any]]:
        return [case_summary_json(c) for c in server.store().list_cases()]

    return JSON(await server.with_store(run), lang=lang)


async def _open(request: Request, server: Server, lang: str, case_id: str) -> Response:
    raw = await _json_body(request, server, lang)
    encoding = _charset(request)
    command = await run_in_threadpool(_command, raw, encoding)
    if not isinstance(command, OpenCase):
        opened_by = Message('a case is opened by an "open" command, not "{command}"', command=command.command)
        raise InvalidInput([InputProblem("$.command", text(opened_by, lang))])
    registry = server.registry(True)

    def run() -> JSON:
        store = server.store()
        try:
            proc = Procurement.create(store, registry, case_id, command)
        except (CommandRefused, ConcurrencyConflict) as exc:
            if isinstance(exc, ConcurrencyConflict):
                exc = InvalidTransition(Message("case {case_id!r} already exists", case_id=case_id))
            return JSON(refusal_json(case_id, exc, lang, store.version(case_id) or None), 409, lang=lang)
        location = f"/api/v1/cases/{case_id}"
        return JSON(_done(proc, proc.history()), 201, lang=lang, headers={"Location": location})

    return await server.with_store(run)


async def open_case(request: Request, server: Server, lang: str) -> Response:
    Params.of(request).done()
    return await _open(request, server, lang, f"case-{uuid.uuid4().hex[:12]}")


async def open_case_at(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    params = Params.of(request)
    if not case_id.strip():
        # An empty id is a mistake (an unset variable in a script), as swp case new --id refuses it.
        params.add("path.case_id", params.say("empty_id"))
    params.done()
    return await _open(request, server, lang, case_id)


async def do_command(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    params = Params.of(request, "expect_version")
    expect = params.integer("expect_version")
    params.done()
    raw = await _json_body(request, server, lang)
    encoding = _charset(request)
    command = await run_in_threadpool(_command, raw, encoding)
    registry = server.registry(True)

    def run() -> JSON:
        with server.case_lock(case_id):
            return decide(Procurement.open(server.store(), registry, case_id))

    def decide(proc: Procurement) -> JSON:
        attempts = 1
        while True:
            if expect is not None and proc.version != expect:
                # The words of swp case do --expect-version, from the same catalogue message.
                conflict = CommandRefused(
                    Message(
                        "case {case_id!r} is at version {version}, not {expected}: look at it again (`swp case show`) "
                        "before deciding",
                        case_id=case_id,
                        version=proc.version,
                        expected=expect,
                    )
                )
                return JSON(refusal_json(case_id, conflict, lang, proc.version), 409, lang=lang)
            try:
                appended = proc.execute(command)
            except CommandRefused as exc:
                return JSON(refusal_json(case_id, exc, lang, proc.version), 409, lang=lang)
            except ConcurrencyConflict:
                if attempts >= server.config.attempts:
                    raise
                # Another process got in first: wait a moment (apart from the other losers), then decide
                # again on what it left.
                time.sleep(random.uniform(0, 0.004 * attempts))
                attempts += 1
                proc.refresh()
                continue
            return JSON(_done(proc, appended), lang=lang)

    return await server.with_store(run)


async def show_case(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    params = Params.of(request, "on")
    on = params.day("on")
    params.done()
    registry = server.registry(True)

    def run() -> dict[str, Any]:
        proc = Procurement.open(server.store(), registry, case_id)
        return {
            "case_id": proc.case_id,
            "version": proc.version,
            "state": state_json(proc.state),
            "disclosures": [finding_json(f, lang) for f in proc.disclosures(on)],
        }

    return JSON(await server.with_store(run), lang=lang)


async def history(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    Params.of(request).done()
    registry = server.registry(True)

    def run() -> list[dict[str, Any]]:
        proc = Procurement.open(server.store(), registry, case_id)
        return [history_entry_json(e) for e in proc.history()]

    return JSON(await server.with_store(run), lang=lang)


async def trail(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    Params.of(request).done()
    registry = server.registry(True)

    def run() -> list[dict[str, Any]]:
        proc = Procurement.open(server.store(), registry, case_id)
        rows: list[dict[str, Any]] = []
        state: ProcurementState | None = None
        for entry in proc.history():
            state = evolve(state, entry.event, case_id=case_id, version=entry.version)
            on = getattr(entry.event, "on", None)
            rows.append(
                {
                    "version": entry.version,
                    "event_type": entry.event_type,
                    "recorded_at": entry.recorded_at.isoformat(),
                    "on": on.isoformat() if isinstance(on, date) else None,
                    "status": state.status.value,
                }
            )
        return rows

    return JSON(await server.with_store(run), lang=lang)


async def verify(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    Params.of(request).done()
    registry = server.registry(True)

    def run() -> dict[str, Any]:
        store = server.store()
        try:
            result = store.verify(case_id)
        except TamperDetected as exc:
            # Here a broken chain is the answer asked for (swp case verify: exit 1), not a fault of the request.
            return {"case_id": case_id, "ok": False, "problem": str(exc)}
        return verification_json(result, snapshot_matches_replay(store, registry, case_id))

    return JSON(await server.with_store(run), lang=lang)


async def verify_all(request: Request, server: Server, lang: str) -> Response:
    Params.of(request).done()
    registry = server.registry(True)

    def run() -> dict[str, Any]:
        store = server.store()
        report = store.verify_all()
        cases = [verification_json(c, snapshot_matches_replay(store, registry, c.case_id)) for c in report.cases]
        return store_verification_json(report, cases)

    return JSON(await server.with_store(run), lang=lang)


async def ocds(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    params = Params.of(request, "ocid_prefix", "publisher", "uri")
    prefix = params.text("ocid_prefix", required=True)
    publisher_name = params.text("publisher")
    uri = params.text("uri")
    if prefix is not None:
        try:
            validate_ocid_prefix(prefix)
        except InvalidOcidPrefix as exc:
            params.add("query.ocid_prefix", str(exc))
    params.done()
    assert prefix is not None
    registry = server.registry(True)

    def run() -> str:
        proc = Procurement.open(server.store(), registry, case_id)
        publisher = OcdsPublisher(name=publisher_name or proc.state.purchaser.name)
        return dumps_ocds(to_ocds_release_package(proc, ocid_prefix=prefix, publisher=publisher, uri=uri))

    text = await server.with_store(run)
    return Response(text + "\n", media_type="application/json", headers={"Content-Language": lang})


_DISCLOSURE_MEDIA: Final = {
    "json": "application/json",
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
}


async def disclosure(request: Request, server: Server, lang: str) -> Response:
    case_id = _case_path(request)
    params = Params.of(request, "on", "format")
    on = params.day("on")
    fmt = params.text("format") or "json"
    if fmt not in _DISCLOSURE_MEDIA:
        params.add("query.format", params.say("disclosure_format", value=shown(fmt)))
    params.done()
    registry = server.registry(True)

    def run() -> str | dict[str, Any]:
        proc = Procurement.open(server.store(), registry, case_id)
        try:
            package = disclosure_package(proc, on=on)
        except ValueError as exc:  # a day before the purchase was opened
            raise InvalidInput([InputProblem("query.on", str(exc))]) from None
        return render_disclosure(package, fmt, lang)

    rendered = await server.with_store(run)
    if isinstance(rendered, dict):
        return JSON(rendered, lang=lang)
    return Response(rendered, media_type=_DISCLOSURE_MEDIA[fmt], headers={"Content-Language": lang})


async def health(request: Request, server: Server, lang: str) -> Response:
    Params.of(request).done()
    return JSON({"status": "ok", "version": server.version, "store": server.store_kind}, lang=lang)


async def openapi(request: Request, server: Server, lang: str) -> Response:
    Params.of(request).done()
    return JSON(server.openapi(), headers={"Content-Type": "application/vnd.oai.openapi+json;version=3.1"})


# -- declarations ----------------------------------------------------------------------------------------------

_REGION = Param(
    "region", "path", "a region code of an installed pack (xiamen, henan, ningxia, national)", required=True
)
_CASE = Param(
    "case_id", "path", "the case id (as swp case takes it; an id holding '/' cannot be addressed here)", required=True
)
_ON = Param("on", "query", "the day asked about, YYYY-MM-DD (default: today)", {"type": "string", "format": "date"})
_NATIONAL = Param(
    "national", "query", "false leaves out the national layer (财政部令第102号), as --no-national", {"type": "boolean"}
)
_LANG = Param(
    "lang", "query", "zh or en: overrides Accept-Language (zh by default)", {"type": "string", "enum": ["zh", "en"]}
)
_ACCEPT_LANGUAGE = Param("Accept-Language", "header", "zh or en picks the language of messages (zh by default)")

_E422 = Answer("bad input: one problem per JSON path (body) or parameter (query.on)", schema=_ref("Error"))
_E404_REGION = Answer("no pack declares the region", schema=_ref("Error"))
_E404_CASE = Answer("no such case in the store", schema=_ref("Error"))
_E409_REFUSED = Answer("the command was refused: nothing was stored; the findings say why", schema=_ref("Refusal"))
_E413 = Answer("the request body is larger than the server reads", schema=_ref("Error"))
_E503 = Answer("the event store cannot be used (opened, read or written) or its data is tampered", schema=_ref("Error"))

_CASE_BODY = Body("application/json", _ref("Case"), "a case file (swp schema; GET /api/v1/schema/case)")
_COMMAND_BODY = Body("application/json", _ref("Command"), 'a command, tagged by "command" (docs/lifecycle.md)')
_OPEN_BODY = Body("application/json", _ref("OpenCase"), 'an "open" command')

ENDPOINTS: Final[tuple[Endpoint, ...]] = (
    Endpoint(
        "GET",
        "/api/v1/health",
        "health",
        "the server is up",
        "server",
        health,
        answers={200: Answer("up", schema=_ref("Health"))},
    ),
    Endpoint(
        "GET",
        "/api/v1/openapi.json",
        "openapi",
        "this document",
        "server",
        openapi,
        answers={200: Answer("the OpenAPI 3.1 document", "application/vnd.oai.openapi+json", {"type": "object"})},
    ),
    Endpoint(
        "GET",
        "/api/v1/regions",
        "listRegions",
        "the regions of the installed packs (swp regions)",
        "rules",
        regions,
        (_NATIONAL,),
        answers={200: Answer("every region", schema={"type": "array", "items": _ref("Region")})},
    ),
    Endpoint(
        "GET",
        "/api/v1/regions/{region}/rules",
        "listRules",
        "a region's rules with their citations, or what changed between two dates (swp rules)",
        "rules",
        rules,
        (
            _REGION,
            _ON,
            Param(
                "diff",
                "query",
                "FROM,TO: rules and silences added, ended or changed between two dates "
                "(swp rules --diff FROM TO); not with on",
            ),
            _NATIONAL,
        ),
        answers={
            200: Answer(
                "the rules (the region's own, sorted by id), or with diff the changes",
                schema={"oneOf": [{"type": "array", "items": _ref("Rule")}, _ref("RulesDiff")]},
            ),
            404: _E404_REGION,
            422: _E422,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/regions/{region}/silences",
        "listSilences",
        "what the sources leave unspecified (with on: of the region and the layers under it, that day)",
        "rules",
        silences,
        (_REGION, _ON, _NATIONAL),
        answers={
            200: Answer("the silences", schema={"type": "array", "items": _ref("Silence")}),
            404: _E404_REGION,
            422: _E422,
        },
    ),
    Endpoint(
        "POST",
        "/api/v1/regions/{region}/check",
        "checkCase",
        "check a case file against a region's rules (swp check)",
        "rules",
        check,
        (_REGION, _ON, _NATIONAL),
        _CASE_BODY,
        answers={
            200: Answer(
                "the verdict, whatever the decision (eligible, ineligible, undetermined)", schema=_ref("Verdict")
            ),
            404: _E404_REGION,
            413: _E413,
            422: _E422,
        },
        description="The HTTP status says the check was made; the decision is in the body, as swp check's "
        "exit code says it. Body: UTF-8 JSON (a byte-order mark allowed), or the charset the "
        "Content-Type declares (application/json; charset=gb18030).",
    ),
    Endpoint(
        "POST",
        "/api/v1/regions/{region}/screen",
        "screenRecords",
        "screen a batch: JSON Lines in, one result a line out, streamed (swp screen)",
        "rules",
        None,
        (
            _REGION,
            _ON,
            _NATIONAL,
            Param("full", "query", "true adds each record's full verdict (as --full)", {"type": "boolean"}),
        ),
        Body(
            "application/x-ndjson",
            {"type": "string"},
            "one case or contractor record (JSON object) per line; blank lines are skipped",
        ),
        answers={
            200: Answer(
                "one ScreenResult a line, in input order; a bad record is a line with its problems; "
                'a body over the limit ends with one line {"error": "payload_too_large"}',
                "application/x-ndjson",
                {"type": "string"},
            ),
            404: _E404_REGION,
            413: _E413,
            422: _E422,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/regions/{region}/fee",
        "evaluationFee",
        "the evaluation fee on an amount (swp fee)",
        "rules",
        fee,
        (
            _REGION,
            Param("amount", "query", "the base amount in yuan (500000 or 123.45)", required=True),
            _ON,
            _NATIONAL,
        ),
        answers={
            200: Answer("the fee, or null and the reason where the sources set none", schema=_ref("Fee")),
            404: _E404_REGION,
            409: Answer("two fee rules in force disagree", schema=_ref("Error")),
            422: _E422,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/rules/{rule_id}/source",
        "ruleSource",
        "a rule and its source document, the quote marked in its context (where the seeds are here)",
        "rules",
        rule_source,
        (Param("rule_id", "path", "the rule id (xiamen.contractor.legal_form)", required=True), _ON),
        answers={
            200: Answer("the citation, and the text cut into segments around the quote", schema=_ref("RuleSource")),
            404: Answer("no such rule (in force that day)", schema=_ref("Error")),
            422: _E422,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/schema/case",
        "caseSchema",
        "the case-file JSON Schema (swp schema)",
        "rules",
        schema,
        answers={200: Answer("JSON Schema draft 2020-12", "application/schema+json", {"type": "object"})},
    ),
    Endpoint(
        "GET",
        "/api/v1/lifecycle",
        "lifecycle",
        "the lifecycle state machine as data",
        "lifecycle",
        machine,
        answers={200: Answer("states, transitions, final states, roles", schema=_ref("Machine"))},
    ),
    Endpoint(
        "GET",
        "/api/v1/lifecycle/diagram",
        "lifecycleDiagram",
        "the state machine as text (swp diagram)",
        "lifecycle",
        diagram,
        (
            Param("format", "query", "mermaid (default) or dot", {"type": "string", "enum": ["mermaid", "dot"]}),
            Param(
                "ids", "query", "true labels states and actions by their identifiers (as --ids)", {"type": "boolean"}
            ),
            Param("case", "query", "a case id: its current state is marked (as --case)"),
        ),
        answers={
            200: Answer("the diagram, in the language asked", "text/plain", {"type": "string"}),
            404: _E404_CASE,
            422: _E422,
            503: _E503,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/cases",
        "listCases",
        "the purchases in the store (swp case list)",
        "cases",
        list_cases,
        answers={200: Answer("every case", schema={"type": "array", "items": _ref("CaseSummary")}), 503: _E503},
    ),
    Endpoint(
        "POST",
        "/api/v1/cases",
        "openCase",
        "open a purchase with a new random id (swp case new)",
        "cases",
        open_case,
        body=_OPEN_BODY,
        answers={
            201: Answer("opened; Location names the case", schema=_ref("CommandResult")),
            409: _E409_REFUSED,
            413: _E413,
            422: _E422,
            503: _E503,
        },
    ),
    Endpoint(
        "PUT",
        "/api/v1/cases/{case_id}",
        "openCaseAt",
        "open a purchase under this id (swp case new --id)",
        "cases",
        open_case_at,
        (_CASE,),
        _OPEN_BODY,
        answers={
            201: Answer("opened", schema=_ref("CommandResult")),
            409: Answer("refused, or the id is taken (invalid_transition)", schema=_ref("Refusal")),
            413: _E413,
            422: _E422,
            503: _E503,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/cases/{case_id}",
        "showCase",
        "a purchase's state, next actions and disclosure findings (swp case show)",
        "cases",
        show_case,
        (
            _CASE,
            Param(
                "on",
                "query",
                "the day for the disclosure findings (default: the last step's)",
                {"type": "string", "format": "date"},
            ),
        ),
        answers={200: Answer("the case", schema=_ref("CaseView")), 404: _E404_CASE, 422: _E422, 503: _E503},
    ),
    Endpoint(
        "POST",
        "/api/v1/cases/{case_id}/commands",
        "doCommand",
        "execute a command on a purchase (swp case do)",
        "cases",
        do_command,
        (
            _CASE,
            Param(
                "expect_version",
                "query",
                "refuse unless the case is still at this version (what you last looked at)",
                {"type": "integer", "minimum": 0},
            ),
        ),
        _COMMAND_BODY,
        answers={
            200: Answer("done: the events appended and the new state", schema=_ref("CommandResult")),
            404: _E404_CASE,
            409: Answer(
                "refused (the findings say why; refused is refused, invalid_transition or "
                "undetermined), or the case is not at expect_version, or other writers kept "
                "getting in first (concurrency_conflict)",
                schema={"anyOf": [_ref("Refusal"), _ref("Error")]},
            ),
            413: _E413,
            422: _E422,
            503: _E503,
        },
        description="Nothing is stored unless the answer is 200. When another writer appends first, the "
        "command is decided again on what it left (up to ServerConfig.attempts times, 5 by default; swp case do: 3).",
    ),
    Endpoint(
        "GET",
        "/api/v1/cases/{case_id}/history",
        "caseHistory",
        "every stored event (swp case history)",
        "cases",
        history,
        (_CASE,),
        answers={
            200: Answer("the events, oldest first", schema={"type": "array", "items": _ref("HistoryEntry")}),
            404: _E404_CASE,
            503: _E503,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/cases/{case_id}/trail",
        "caseTrail",
        "the state after each stored event",
        "cases",
        trail,
        (_CASE,),
        answers={
            200: Answer("one row per event", schema={"type": "array", "items": _ref("TrailRow")}),
            404: _E404_CASE,
            503: _E503,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/cases/{case_id}/verify",
        "verifyCase",
        "check the case's whole hash chain from its first event, and its snapshot against a replay (swp case verify)",
        "cases",
        verify,
        (_CASE,),
        answers={
            200: Answer("ok, or not ok with the first problem found", schema=_ref("Verification")),
            404: _E404_CASE,
            503: _E503,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/verify",
        "verifyStore",
        "check every case of the store and its append-only triggers (swp case verify --all)",
        "cases",
        verify_all,
        answers={200: Answer("ok, or every problem found", schema=_ref("StoreVerification")), 503: _E503},
    ),
    Endpoint(
        "GET",
        "/api/v1/cases/{case_id}/ocds",
        "caseOcds",
        "the purchase as an OCDS 1.1 release package (swp case ocds)",
        "cases",
        ocds,
        (
            _CASE,
            Param(
                "ocid_prefix", "query", "your registered OCDS prefix: ocds- and six letters or digits", required=True
            ),
            Param("publisher", "query", "the publishing body (default: the case's purchaser)"),
            Param("uri", "query", "where the package is published (default: a urn:uuid: from the history)"),
        ),
        answers={
            200: Answer("the release package; amounts are exact JSON numbers", schema={"type": "object"}),
            404: _E404_CASE,
            422: _E422,
            503: _E503,
        },
    ),
    Endpoint(
        "GET",
        "/api/v1/cases/{case_id}/disclosure",
        "caseDisclosure",
        "the disclosure package (信息公开): every item the purchase must publish, its state and its rule",
        "cases",
        disclosure,
        (
            _CASE,
            Param(
                "on",
                "query",
                "the day (default: the last step's); an earlier day shows the purchase as it stood then",
                {"type": "string", "format": "date"},
            ),
            Param(
                "format",
                "query",
                "json (default), md (Markdown) or html (a plain page to publish)",
                {"type": "string", "enum": ["json", "md", "html"]},
            ),
        ),
        answers={
            200: Answer(
                "the package: published, due, missing, not yet due, not applicable or unknown, item by item",
                schema=_ref("DisclosurePackage"),
                also=("text/markdown", "text/html"),
            ),
            404: _E404_CASE,
            422: _E422,
            503: _E503,
        },
    ),
)
"""Every endpoint, in the order the OpenAPI document lists them."""

COMMON_PARAMS: Final = (_LANG, _ACCEPT_LANGUAGE)
"""Parameters every endpoint takes."""


def wrap(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """The Starlette endpoint for ``handler``: every error becomes its answer (:mod:`._failures`)."""

    async def endpoint(request: Request) -> Response:
        lang = request_lang(request)
        server: Server = request.app.state.swp
        try:
            return await handler(request, server, lang)
        except Exception as exc:
            return error_answer(exc, lang)

    endpoint.__name__ = handler.__name__
    endpoint.__doc__ = handler.__doc__
    return endpoint


__all__ = ["COMMON_PARAMS", "ENDPOINTS", "Answer", "Body", "Endpoint", "Param", "wrap"]
