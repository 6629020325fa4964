"""JSON Schema (draft 2020-12) of the case file, generated from the attrs types.

Generated rather than hand-written so it cannot drift from the types. Tests check that every
case the converter produces validates against it (on generated cases), that both refuse the
same malformed inputs, and that it names every field of every type.
"""

from __future__ import annotations

import enum
import functools
import re
from datetime import date
from decimal import Decimal
from types import NoneType, UnionType
from typing import Any, Final, Union, get_args, get_origin

import attrs

from ._types import Case

SCHEMA_ID = "https://socialwork-procurement.invalid/schema/case.json"


def _schema_for(t: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(t)
    if origin in (Union, UnionType):
        args = [a for a in get_args(t) if a is not NoneType]
        inner = _schema_for(args[0], defs) if len(args) == 1 else {"anyOf": [_schema_for(a, defs) for a in args]}
        return {"anyOf": [inner, {"type": "null"}]}
    if origin in (tuple, frozenset):
        item = _schema_for(get_args(t)[0], defs)
        schema: dict[str, Any] = {"type": "array", "items": item}
        if origin is frozenset:
            schema["uniqueItems"] = True
        return schema
    if t is str:
        return {"type": "string"}
    if t is bool:
        return {"type": "boolean"}
    if t is int:
        return {"type": "integer"}
    if t is Decimal:
        return {"anyOf": [{"type": "string", "pattern": r"^-?\d+(\.\d+)?$"}, {"type": "integer"}]}
    if t is date:
        return {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$", "format": "date"}
    if isinstance(t, type) and issubclass(t, enum.Enum):
        return {"type": "string", "enum": [m.value for m in t]}
    if isinstance(t, type) and attrs.has(t):
        name = t.__name__
        if name not in defs:
            defs[name] = {}  # placeholder against recursion
            attrs.resolve_types(t)
            properties: dict[str, Any] = {}
            required: list[str] = []
            for f in attrs.fields(t):
                prop = _schema_for(f.type, defs)
                properties[f.name] = prop
                if f.default is attrs.NOTHING:
                    required.append(f.name)
            doc = (t.__doc__ or "").strip().splitlines()
            defs[name] = {
                "type": "object",
                "description": doc[0] if doc else name,
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            }
        return {"$ref": f"#/$defs/{name}"}
    raise TypeError(f"no JSON Schema for {t!r}")


def case_schema() -> dict[str, Any]:
    """The case-file schema: ``{"purchaser": …, "contractor": …, "contract": …}``, each optional."""
    defs: dict[str, Any] = {}
    root = _schema_for(Case, defs)
    assert root == {"$ref": "#/$defs/Case"}
    case = defs.pop("Case")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "socialwork-procurement case file",
        **case,
        "$defs": dict(sorted(defs.items())),
    }


@functools.cache
def _cached_schema() -> dict[str, Any]:
    # Built once: paths are resolved for every unknown finding, and the types never change at run time.
    return case_schema()


_STEP: Final = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+|\*)\]")


def schema_at(path: str) -> dict[str, Any] | None:
    """The schema of the value at JSON path ``path`` of a case file (``$.contract.written``), or ``None``.

    ``path`` is ``$`` followed by ``.field`` and ``[index]`` (or ``[*]``) steps. References are
    followed and a nullable value (``anyOf`` with ``null``) is read as its non-null schema, so the
    answer says what a caller may declare there. ``None`` when the path names nothing in the schema.
    """
    if not isinstance(path, str) or not path.startswith("$"):
        return None
    root = _cached_schema()
    defs: dict[str, Any] = root["$defs"]
    node: dict[str, Any] = root
    rest = path[1:]
    position = 0
    while position < len(rest):
        step = _STEP.match(rest, position)
        if step is None:
            return None
        position = step.end()
        node = _concrete(node, defs)
        field, index = step.groups()
        if field is not None:
            properties = node.get("properties")
            if node.get("type") != "object" or not isinstance(properties, dict) or field not in properties:
                return None
            node = properties[field]
        else:
            if node.get("type") != "array" or index is None:
                return None
            node = node["items"]
    return _concrete(node, defs)


def _concrete(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while True:
        if "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
            continue
        branches = node.get("anyOf")
        if branches is not None:
            non_null = [b for b in branches if b != {"type": "null"}]
            if len(non_null) == 1 and len(non_null) < len(branches):
                node = non_null[0]
                continue
        return node


@functools.cache  # one answer per path, asked for every unknown a predicate returns
def declarable_values(path: str) -> tuple[str | bool, ...]:
    """The values a caller can declare at ``path``, where the schema lists them; ``()`` otherwise.

    ``true`` and ``false`` for a yes/no fact, the members for an enumeration, and for an array of
    members (``stated_terms``, ``published``) the members that may appear in it.
    """
    node = schema_at(path)
    if node is None:
        return ()
    if node.get("type") == "array":
        items = node.get("items")
        node = _concrete(items, _cached_schema()["$defs"]) if isinstance(items, dict) else {}
    if node.get("type") == "boolean":
        return (True, False)
    members = node.get("enum")
    if isinstance(members, list):
        return tuple(str(m) for m in members)
    return ()
