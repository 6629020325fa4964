"""The OpenAPI 3.1 document, generated from the endpoint declarations and the library's own types.

The case file is the case-file schema itself (``swp schema``) and the commands are generated from
the command classes by the same generator, so neither can drift from the types: their ``$defs``
become ``components/schemas`` (a document's ``$ref`` resolves from the document's root, so
``#/$defs/Contractor`` inside a component would point nowhere). The answers' shapes are written
out here, field by field, and a test validates real answers against them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from ..export._disclosure import ItemState
from ..lifecycle._commands import COMMAND_TYPES
from ..lifecycle._machine import Action, Role, State
from ..model._schema import _schema_for, case_schema
from ..model._types import EvaluationStage, EvaluatorRole
from ..rules._rules import Decision, Outcome, RuleKind, SilenceKind, Strength, Subject
from ._routes import COMMON_PARAMS, Answer, Endpoint

_DEFS = "#/$defs/"
_COMPONENTS = "#/components/schemas/"


def _rewrite(node: Any) -> Any:
    """``node`` with every ``#/$defs/X`` reference pointing at ``#/components/schemas/X``."""
    if isinstance(node, dict):
        return {
            key: (
                _COMPONENTS + value[len(_DEFS) :]
                if key == "$ref" and isinstance(value, str) and value.startswith(_DEFS)
                else _rewrite(value)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite(item) for item in node]
    return node


def _merge(into: dict[str, Any], name: str, schema: Mapping[str, Any]) -> None:
    if name in into and into[name] != schema:
        raise ValueError(f"two different schemas named {name} in the OpenAPI components")
    into[name] = dict(schema)


def library_schemas() -> dict[str, Any]:
    """``Case`` and its parts (the case-file schema), each command and ``Command``, as components."""
    out: dict[str, Any] = {}
    case = case_schema()
    for name, schema in case.pop("$defs").items():
        _merge(out, name, _rewrite(schema))
    for key in ("$schema", "$id"):  # an $id would make the component its own base and break the rewritten refs
        case.pop(key, None)
    _merge(out, "Case", _rewrite(case))
    defs: dict[str, Any] = {}
    mapping: dict[str, str] = {}
    for tag, cls in sorted(COMMAND_TYPES.items()):
        ref = _schema_for(cls, defs)
        name = ref["$ref"][len(_DEFS) :]
        schema = defs[name]
        schema["properties"] = {"command": {"const": tag}, **schema["properties"]}
        schema["required"] = ["command", *schema["required"]]
        mapping[tag] = _COMPONENTS + name
    for name, schema in defs.items():
        _merge(out, name, _rewrite(schema))
    out["Command"] = {
        "description": 'A lifecycle command, tagged by "command"',
        "oneOf": [{"$ref": ref} for ref in mapping.values()],
        "discriminator": {"propertyName": "command", "mapping": mapping},
    }
    return out


def _enum(members: Sequence[Any]) -> dict[str, Any]:
    return {"type": "string", "enum": [m.value for m in members]}


def _obj(required: Sequence[str], properties: Mapping[str, Any], *, closed: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "required": list(required), "properties": dict(properties)}
    if closed:
        schema["additionalProperties"] = False
    return schema


_TEXT = {"type": "string"}
_OPT_TEXT = {"type": ["string", "null"]}
_DAY = {"type": "string", "format": "date"}
_OPT_DAY = {"type": ["string", "null"], "format": "date"}
_AMOUNT = {"type": "string", "pattern": r"^-?[0-9]+\.[0-9]{2}$", "description": "yuan, to the fen"}
_TEXTS = {"type": "array", "items": _TEXT}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _COMPONENTS + name}


def answer_schemas() -> dict[str, Any]:
    """The shapes of the answers (the CLI's JSON, ``docs/cli.md``), as components."""
    citation = _obj(
        ["file", "quote"],
        {"file": _OPT_TEXT, "title": _TEXT, "number": _OPT_TEXT, "quote": _TEXT, "url": _TEXT, "note": _TEXT},
    )
    finding = _obj(
        ["rule_id", "subject", "outcome", "strength", "message", "citation", "path"],
        {
            "rule_id": _TEXT,
            "subject": _enum(list(Subject)),
            "outcome": _enum(list(Outcome)),
            "strength": _enum(list(Strength)),
            "message": _TEXT,
            "citation": _ref("Citation"),
            "path": _TEXT,
            "basis": _TEXT,
            "attestation": {"type": "object"},
        },
    )
    rule = _obj(
        ["rule_id", "kind", "strength", "effective_from", "effective_to", "citation", "message_zh", "message_en"],
        {
            "rule_id": _TEXT,
            "kind": _enum(list(RuleKind)),
            "strength": _enum(list(Strength)),
            "subject": _enum(list(Subject)),
            "effective_from": _DAY,
            "effective_to": _OPT_DAY,
            "citation": _ref("Citation"),
            "message_zh": _TEXT,
            "message_en": _TEXT,
            "basis": _TEXT,
            "evaluation_stages": {"type": "array", "items": _enum(list(EvaluationStage))},
            "evaluators": {"type": "array", "items": _enum(list(EvaluatorRole))},
        },
    )
    silence = _obj(
        ["region", "topic", "kind", "statement", "effective_from", "effective_to"],
        {
            "region": _TEXT,
            "topic": _TEXT,
            "kind": _enum(list(SilenceKind)),
            "statement": _TEXT,
            "effective_from": _DAY,
            "effective_to": _OPT_DAY,
        },
    )
    not_in_force = {
        "oneOf": [
            {"type": "null"},
            _obj(
                ["region", "first_in_force", "last_in_force", "message"],
                {"region": _TEXT, "first_in_force": _DAY, "last_in_force": _OPT_DAY, "message": _TEXT},
            ),
        ]
    }
    rule_ref = _obj(
        ["rule_id", "region", "effective_from", "effective_to", "pack"],
        {"rule_id": _TEXT, "region": _TEXT, "effective_from": _DAY, "effective_to": _OPT_DAY, "pack": _TEXT},
    )
    verdict = _obj(
        [
            "region",
            "on",
            "decision",
            "findings",
            "conflicts",
            "input_warnings",
            "to_decide",
            "attested",
            "silences",
            "region_not_in_force",
            "trace",
        ],
        {
            "region": _TEXT,
            "on": _DAY,
            "decision": _enum(list(Decision)),
            "findings": {"type": "array", "items": _ref("Finding")},
            "conflicts": {
                "type": "array",
                "items": _obj(
                    ["regional", "national", "message", "citations"],
                    {
                        "regional": _TEXT,
                        "national": _TEXT,
                        "message": _TEXT,
                        "citations": {"type": "array", "items": _ref("Citation")},
                    },
                ),
            },
            "input_warnings": _TEXTS,
            "to_decide": {
                "type": "array",
                "items": _obj(
                    ["path", "values", "rule_ids", "notes"],
                    {
                        "path": _TEXT,
                        "values": {"type": "array", "items": {"type": ["string", "boolean"]}},
                        "rule_ids": _TEXTS,
                        "notes": _TEXTS,
                    },
                ),
            },
            "attested": {"type": "array", "items": {"type": "object"}},
            "silences": {"type": "array", "items": _ref("Silence")},
            "region_not_in_force": not_in_force,
            "trace": _obj(
                ["packs", "layers", "rules_in_force", "rules_not_in_force"],
                {
                    "packs": {
                        "type": "array",
                        "items": _obj(
                            ["distribution", "version", "regions"],
                            {"distribution": _TEXT, "version": _TEXT, "regions": _TEXTS},
                        ),
                    },
                    "layers": _TEXTS,
                    "rules_in_force": {"type": "array", "items": rule_ref},
                    "rules_not_in_force": {"type": "array", "items": rule_ref},
                },
            ),
        },
    )
    change = {"type": "string", "enum": ["added", "ended", "changed"]}
    diff = _obj(
        ["region", "from", "to", "layers", "rules", "silences", "shared_questions"],
        {
            "region": _TEXT,
            "from": _DAY,
            "to": _DAY,
            "layers": _TEXTS,
            "rules": {
                "type": "array",
                "items": _obj(
                    ["change", "rule_id", "layer", "fields", "before", "after"],
                    {
                        "change": change,
                        "rule_id": _TEXT,
                        "layer": _TEXT,
                        "fields": _TEXTS,
                        "before": {"oneOf": [{"type": "null"}, _ref("Rule")]},
                        "after": {"oneOf": [{"type": "null"}, _ref("Rule")]},
                    },
                ),
            },
            "silences": {
                "type": "array",
                "items": _obj(
                    ["change", "topic", "layer", "statement"],
                    {"change": change, "topic": _TEXT, "layer": _TEXT, "statement": _OPT_TEXT},
                ),
            },
            "shared_questions": _TEXTS,
        },
    )
    fee = _obj(
        ["region", "on", "amount", "fee", "rule_id", "citation"],
        {
            "region": _TEXT,
            "on": _DAY,
            "amount": _AMOUNT,
            "fee": {"oneOf": [{"type": "null"}, _AMOUNT]},
            "rule_id": _OPT_TEXT,
            "citation": {"oneOf": [{"type": "null"}, _ref("Citation")]},
            "reason": _OPT_TEXT,
            "region_not_in_force": not_in_force,
        },
    )
    region = _obj(
        ["code", "name", "version", "parent", "sources"],
        {
            "code": _TEXT,
            "name": _TEXT,
            "version": _TEXT,
            "parent": {**_OPT_TEXT, "description": "the layer the region lies in; null for the national layer"},
            "sources": {
                "type": "array",
                "items": _obj(
                    ["file", "title", "number", "date"],
                    {"file": _OPT_TEXT, "title": _TEXT, "number": _OPT_TEXT, "date": _OPT_DAY},
                ),
            },
        },
    )
    error = _obj(
        ["error", "message"],
        {
            "error": {
                "type": "string",
                "description": "a stable code: invalid_input, payload_too_large, unknown_region, case_not_found, "
                "rule_not_found, not_found, method_not_allowed, concurrency_conflict, rule_conflict, store_busy, "
                "store_error, tamper_detected, pack_error, internal_error, not_implemented",
            },
            "message": _TEXT,
            "problems": {
                "type": "array",
                "items": _obj(["path", "message"], {"path": _TEXT, "message": _TEXT}, closed=True),
                "description": "invalid_input: every problem, each at its JSON path ($.contractor.uscc) or "
                "parameter (query.on, header.Content-Type, path.case_id)",
            },
        },
    )
    refusal = _obj(
        ["error", "case_id", "version", "refused", "message", "findings"],
        {
            "error": {"const": "command_refused"},
            "case_id": _TEXT,
            "version": {"type": ["integer", "null"]},
            "refused": {"type": "string", "enum": ["refused", "invalid_transition", "undetermined"]},
            "message": _TEXT,
            "findings": {"type": "array", "items": _ref("Finding")},
        },
    )
    history_entry = _obj(
        [
            "version",
            "position",
            "recorded_at",
            "event_type",
            "schema_version",
            "stored_schema_version",
            "hash",
            "payload",
        ],
        {
            "version": {"type": "integer", "minimum": 1},
            "position": {"type": "integer"},
            "recorded_at": {"type": "string", "format": "date-time"},
            "event_type": _TEXT,
            "schema_version": {"type": "integer"},
            "stored_schema_version": {"type": "integer"},
            "hash": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
            "payload": {"type": "object"},
        },
    )
    state = _obj(
        ["case_id", "version", "status", "region", "title", "final", "allowed_actions"],
        {
            "case_id": _TEXT,
            "version": {"type": "integer"},
            "status": _enum(list(State)),
            "region": _TEXT,
            "title": _TEXT,
            "final": {"type": "boolean"},
            "allowed_actions": {"type": "array", "items": _enum(list(Action))},
        },
    )
    result = _obj(
        ["case_id", "version", "status", "appended", "state"],
        {
            "case_id": _TEXT,
            "version": {"type": "integer"},
            "status": _enum(list(State)),
            "appended": {"type": "array", "items": _ref("HistoryEntry")},
            "state": _ref("State"),
        },
    )
    view = _obj(
        ["case_id", "version", "state", "disclosures"],
        {
            "case_id": _TEXT,
            "version": {"type": "integer"},
            "state": _ref("State"),
            "disclosures": {"type": "array", "items": _ref("Finding")},
        },
    )
    summary = _obj(
        ["case_id", "version", "first_recorded_at", "last_recorded_at"],
        {
            "case_id": _TEXT,
            "version": {"type": "integer"},
            "first_recorded_at": {"type": "string", "format": "date-time"},
            "last_recorded_at": {"type": "string", "format": "date-time"},
        },
    )
    trail = _obj(
        ["version", "event_type", "recorded_at", "on", "status"],
        {
            "version": {"type": "integer"},
            "event_type": _TEXT,
            "recorded_at": {"type": "string", "format": "date-time"},
            "on": _OPT_DAY,
            "status": _enum(list(State)),
        },
    )
    verified = _obj(
        [
            "case_id",
            "ok",
            "version",
            "head_hash",
            "keyed",
            "legacy_events",
            "snapshot_version",
            "snapshot_matches_replay",
        ],
        {
            "case_id": _TEXT,
            "ok": {"type": "boolean"},
            "version": {"type": "integer"},
            "head_hash": _TEXT,
            "keyed": {"type": "boolean"},
            "legacy_events": {"type": "integer"},
            "snapshot_version": {"type": ["integer", "null"]},
            "snapshot_matches_replay": {"type": ["boolean", "null"]},
        },
    )
    verification = {
        "oneOf": [
            verified,
            _obj(
                ["case_id", "ok", "problem"], {"case_id": _TEXT, "ok": {"const": False}, "problem": _TEXT}, closed=True
            ),
        ]
    }
    store_verification = _obj(
        ["ok", "cases", "problems", "broken_triggers", "restored_triggers", "keyed_since"],
        {
            "ok": {"type": "boolean"},
            "cases": {"type": "array", "items": verified},
            "problems": {
                "type": "array",
                "items": _obj(
                    ["case_id", "version", "problem"],
                    {"case_id": _TEXT, "version": {"type": "integer"}, "problem": _TEXT},
                ),
            },
            "broken_triggers": _TEXTS,
            "restored_triggers": _TEXTS,
            "keyed_since": {"type": ["integer", "null"]},
        },
    )
    machine = _obj(
        ["states", "initial", "initial_action", "finals", "transitions", "anywhere", "roles"],
        {
            "states": {"type": "array", "items": _enum(list(State))},
            "initial": _enum(list(State)),
            "initial_action": _enum(list(Action)),
            "finals": {"type": "array", "items": _enum(list(State))},
            "transitions": {
                "type": "array",
                "items": _obj(
                    ["source", "action", "target"],
                    {"source": _enum(list(State)), "action": _enum(list(Action)), "target": _enum(list(State))},
                ),
            },
            "anywhere": {"type": "array", "items": _enum(list(Action))},
            "roles": {"type": "object", "additionalProperties": {"type": "array", "items": _enum(list(Role))}},
        },
    )
    source = _obj(
        [
            "rule_id",
            "file",
            "title",
            "number",
            "url",
            "quote",
            "note",
            "available",
            "found",
            "segments",
            "reason",
            "rule",
        ],
        {
            "rule_id": _TEXT,
            "file": _OPT_TEXT,
            "title": _TEXT,
            "number": _OPT_TEXT,
            "url": _OPT_TEXT,
            "quote": _TEXT,
            "note": _OPT_TEXT,
            "available": {"type": "boolean", "description": "whether the source text is here"},
            "found": {"type": "boolean", "description": "whether every part of the quote was found in it"},
            "segments": {
                "oneOf": [
                    {"type": "null"},
                    {
                        "type": "array",
                        "items": _obj(["text", "quote"], {"text": _TEXT, "quote": {"type": "boolean"}}, closed=True),
                    },
                ],
                "description": "the whole text, cut where the quote starts and ends; quote marks the quoted parts",
            },
            "reason": {**_OPT_TEXT, "description": "why the text or the quote is not shown"},
            "rule": _ref("Rule"),
        },
    )
    disclosure = _obj(
        [
            "region",
            "region_name",
            "on",
            "case_id",
            "title",
            "status",
            "purchaser",
            "requires_publication",
            "region_not_in_force",
            "summary",
            "items",
            "rules",
        ],
        {
            "region": _TEXT,
            "region_name": _TEXT,
            "on": _DAY,
            "case_id": _OPT_TEXT,
            "title": _OPT_TEXT,
            "status": {"type": ["string", "null"]},
            "purchaser": _OPT_TEXT,
            "requires_publication": {"type": "boolean"},
            "region_not_in_force": _OPT_TEXT,
            "summary": {"type": "object", "additionalProperties": {"type": "integer"}},
            "items": {
                "type": "array",
                "items": _obj(
                    [
                        "item",
                        "name",
                        "state",
                        "state_name",
                        "due_since",
                        "published_on",
                        "where",
                        "recorded_by",
                        "rule_id",
                    ],
                    {
                        "item": _OPT_TEXT,
                        "name": _TEXT,
                        "state": _enum(list(ItemState)),
                        "state_name": _TEXT,
                        "due_since": _OPT_DAY,
                        "published_on": _OPT_DAY,
                        "where": _OPT_TEXT,
                        "recorded_by": _OPT_TEXT,
                        "rule_id": _TEXT,
                    },
                ),
            },
            "rules": {"type": "array", "items": {"type": "object", "required": ["rule_id", "quote"]}},
        },
    )
    health = _obj(["status", "version", "store"], {"status": {"const": "ok"}, "version": _TEXT, "store": _TEXT})
    return {
        "CaseSummary": summary,
        "CaseView": view,
        "Citation": citation,
        "CommandResult": result,
        "DisclosurePackage": disclosure,
        "Error": error,
        "Fee": fee,
        "Finding": finding,
        "Health": health,
        "HistoryEntry": history_entry,
        "Machine": machine,
        "Refusal": refusal,
        "Region": region,
        "Rule": rule,
        "RuleSource": source,
        "RulesDiff": diff,
        "Silence": silence,
        "State": state,
        "TrailRow": trail,
        "Verdict": verdict,
        "StoreVerification": store_verification,
        "Verification": verification,
    }


_E500: Final = Answer("a rule pack failed, or an internal error: one line, never a traceback", schema=_ref("Error"))


def _answer(answer: Answer) -> dict[str, Any]:
    out: dict[str, Any] = {"description": answer.description}
    if answer.schema is not None:
        content = {answer.media: {"schema": dict(answer.schema)}}
        content.update({media: {"schema": {"type": "string"}} for media in answer.also})
        out["content"] = content
    return out


def _operation(endpoint: Endpoint) -> dict[str, Any]:
    op: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary,
        "tags": [endpoint.tag],
        "parameters": [
            {
                "name": p.name,
                "in": p.where,
                "required": p.required or p.where == "path",
                "description": p.description,
                "schema": dict(p.schema),
            }
            for p in (*endpoint.params, *COMMON_PARAMS)
        ],
    }
    if endpoint.description:
        op["description"] = endpoint.description
    if endpoint.body is not None:
        op["requestBody"] = {
            "required": True,
            "description": endpoint.body.description,
            "content": {endpoint.body.media: {"schema": dict(endpoint.body.schema)}},
        }
    answers = {**endpoint.answers, 500: _E500}
    op["responses"] = {str(status): _answer(answer) for status, answer in sorted(answers.items())}
    return op


def openapi_document(endpoints: Sequence[Endpoint], *, version: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document of ``endpoints``."""
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint)
    schemas = library_schemas()
    for name, schema in answer_schemas().items():
        _merge(schemas, name, schema)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "socialwork-procurement",
            "version": version,
            "summary": "政府购买社会工作服务规则 / rules for the government purchase of social work services",
            "description": "The swp command line over HTTP: the same decisions, messages and JSON shapes "
            "(docs/serve.md). Messages are in Chinese unless Accept-Language (or ?lang=en) asks for English.",
            "license": {"name": "Apache-2.0", "identifier": "Apache-2.0"},
        },
        "servers": [{"url": "/"}],
        "tags": [
            {"name": "rules", "description": "regions, rules, checks and fees (swp regions, rules, check, fee)"},
            {"name": "lifecycle", "description": "the state machine (swp diagram)"},
            {
                "name": "cases",
                "description": "purchases driven through their lifecycle and stored as events (swp case)",
            },
            {"name": "server", "description": "the server itself"},
        ],
        "paths": paths,
        "components": {"schemas": dict(sorted(schemas.items()))},
    }
