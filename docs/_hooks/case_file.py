"""The case-file schema, as ``swp schema`` prints it, embedded in ``docs/case-file.md`` when the site is built.

The marker line below is replaced (by ``generated_pages.py``) with a table of fields per object (read
from the schema, so it cannot disagree with it) and the whole schema, verbatim. The schema is taken from
the ``swp`` program itself, so the page shows exactly what ``swp schema`` prints for the installed version.
"""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

MARKER = "<!-- swp:generated case-file-schema -->"
PAGE = "case-file.md"


def schema_text() -> str:
    """What ``swp schema`` prints."""
    from socialwork_procurement.cli._main import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(["schema"])
    if code != 0:
        raise RuntimeError(f"swp schema exited {code}")
    return out.getvalue()


def _anchor(name: str) -> str:
    return f"schema-{name.lower()}"


def _kind(node: dict[str, Any]) -> str:
    """A schema node in words."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return f"[{name}](#{_anchor(name)})"
    if "anyOf" in node:
        options = node["anyOf"]
        nullable = any(o.get("type") == "null" for o in options)
        rest = [o for o in options if o.get("type") != "null"]
        types = {o.get("type") for o in rest}
        if types == {"string", "integer"} and any("pattern" in o for o in rest):
            text = 'amount: a decimal string (`"500000.00"`) or an integer'
        else:
            text = " or ".join(_kind(o) for o in rest)
        return f"{text}, or `null`" if nullable else text
    kind = node.get("type")
    if kind == "array":
        items = node["items"]
        if "enum" in items:
            return "list, each " + _kind(items)
        return f"list of {_kind(items)}"
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    if kind == "string" and node.get("format") == "date":
        return "date `YYYY-MM-DD`"
    if kind == "string" and "pattern" in node:
        return f"string matching `{node['pattern']}`"
    if kind == "object":
        return f"[{node.get('title', 'object')}](#{_anchor(node.get('title', 'object'))})"
    return f"{kind}"


def _table(name: str, node: dict[str, Any]) -> list[str]:
    lines = [f"### {name} {{ #{_anchor(name)} }}", ""]
    if node.get("description"):
        lines += [node["description"].replace("``", "`"), ""]
    required = set(node.get("required", ()))
    lines += ["| field | value | required |", "|---|---|---|"]
    for field, sub in node.get("properties", {}).items():
        lines.append(f"| `{field}` | {_kind(sub)} | {'yes' if field in required else ''} |")
    if node.get("additionalProperties") is False:
        lines += ["", "Any other field is refused."]
    lines.append("")
    return lines


def render() -> str:
    text = schema_text()
    schema = json.loads(text)
    lines = ["## Fields", ""]
    lines += _table("Case", {**schema, "description": schema.get("description", "")})
    for name, node in schema.get("$defs", {}).items():
        lines += _table(name, node)
    lines += [
        "## The schema",
        "",
        f"JSON Schema {schema['$schema'].rstrip('/').rsplit('/', 2)[-2]} as `swp schema` prints it "
        "(a test keeps it in step with the types):",
        "",
        '??? example "swp schema"',
        "",
        "    ```json",
        *[f"    {line}" if line else "" for line in text.rstrip("\n").split("\n")],
        "    ```",
        "",
    ]
    return "\n".join(lines)
