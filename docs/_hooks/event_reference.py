"""The event types and their schema versions, rendered from ``EVENT_TYPES`` when the site is built.

``docs/events.md`` holds the introduction and the marker line below; the build (``generated_pages.py``)
replaces the marker with one section per stored event type: its class, its current ``SCHEMA_VERSION``,
the older versions it still reads (upcast on read), its fields and its docstring. ``tests/test_site.py``
checks ``render()`` against ``socialwork_procurement.EVENT_TYPES``.
"""

from __future__ import annotations

import inspect
from typing import Any

MARKER = "<!-- swp:generated events -->"
PAGE = "events.md"


def _type_text(annotation: object) -> str:
    # Python-Markdown's tables leave a "|" inside a code span alone, so the type is written as it is.
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))


def render() -> str:
    import attrs

    import socialwork_procurement as swp

    # The upcaster table is internal; the site shows which steps exist so a reader knows which stored
    # versions are still read. Documentation tooling may read it; user code calls swp.upcast().
    from socialwork_procurement.lifecycle._events import UPCASTERS

    lines = [
        "| event type | class | schema version | older versions read |",
        "|---|---|---|---|",
    ]
    for event_type, cls in swp.EVENT_TYPES.items():
        older = ", ".join(str(v) for v in _readable_older(event_type, cls.SCHEMA_VERSION, UPCASTERS)) or "none"
        lines.append(
            f"| [`{event_type}`](#{event_type}) | [`{cls.__name__}`][socialwork_procurement.{cls.__name__}] "
            f"| {cls.SCHEMA_VERSION} | {older} |"
        )
    lines.append("")
    for event_type, cls in swp.EVENT_TYPES.items():
        lines += [f"## `{event_type}` {{ #{event_type} }}", ""]
        link = f"[`{cls.__name__}`][socialwork_procurement.{cls.__name__}]"
        lines += [f"Class {link}, schema version {cls.SCHEMA_VERSION}."]
        steps = [(v, v + 1) for (name, v) in sorted(UPCASTERS) if name == event_type]
        if steps:
            lines[-1] += " Stored versions " + ", ".join(f"{a} → {b}" for a, b in steps) + " are upcast when read."
        lines.append("")
        doc = inspect.cleandoc(cls.__doc__) if cls.__doc__ else ""
        if doc:
            lines += [doc, ""]
        lines += ["| field | type | default |", "|---|---|---|"]
        for field in attrs.fields(cls):
            default = "" if field.default is attrs.NOTHING else f"`{field.default!r}`"
            lines.append(f"| `{field.name}` | `{_type_text(field.type)}` | {default} |")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _readable_older(event_type: str, current: int, upcasters: Any) -> list[int]:
    """The older versions with an unbroken chain of upcasters up to ``current`` (what ``upcast`` accepts)."""
    return [v for v in range(1, current) if all((event_type, step) in upcasters for step in range(v, current))]
