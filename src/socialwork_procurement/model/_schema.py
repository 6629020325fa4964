"""JSON Schema (draft 2020-12) of the case file, generated from the attrs types.

Generated rather than hand-written so it cannot drift from the types. Tests check that every
case the converter produces validates against it (on generated cases), that both refuse the
same malformed inputs, and that it names every field of every type.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin

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
