"""Every public error class, with its builtin base and its docstring, on ``docs/errors.md``.

The marker line is replaced with a table (class, the builtin exceptions it also is, the first line of
its docstring) and one mkdocstrings entry per class, so an error added to ``__all__`` appears here in
the next build (by ``generated_pages.py``). mkdocstrings reads the ``:::`` lines after that hook has run.
"""

from __future__ import annotations

import inspect

MARKER = "<!-- swp:generated errors -->"
PAGE = "errors.md"


def error_classes() -> list[type[BaseException]]:
    """The public error classes: ``ProcurementError`` first, then the others alphabetically."""
    import socialwork_procurement as swp

    found = [
        obj for name in swp.__all__ if isinstance(obj := getattr(swp, name), type) and issubclass(obj, BaseException)
    ]
    return sorted(found, key=lambda cls: (cls is not swp.ProcurementError, cls.__name__))


def builtin_bases(cls: type[BaseException]) -> list[type[BaseException]]:
    """The most specific builtin exceptions ``cls`` also is (``StoreBusy``: ``TimeoutError``)."""
    builtins = [b for b in cls.__mro__ if b.__module__ == "builtins" and b not in (Exception, BaseException, object)]
    return [b for b in builtins if not any(other is not b and issubclass(other, b) for other in builtins)]


def render() -> str:
    lines = ["| error | also a | raised when |", "|---|---|---|"]
    classes = error_classes()
    for cls in classes:
        bases = ", ".join(f"`{b.__name__}`" for b in builtin_bases(cls)) or "`Exception`"
        summary = inspect.cleandoc(cls.__doc__ or "").split("\n\n", 1)[0].replace("\n", " ").replace("|", "\\|")
        lines.append(f"| [`{cls.__name__}`][socialwork_procurement.{cls.__name__}] | {bases} | {summary} |")
    lines.append("")
    for cls in classes:
        # The entry names the class where it is defined, so its anchor here differs from the API page's
        # (socialwork_procurement.X): links to the public name keep one target, the API reference.
        lines += [
            f"::: {cls.__module__}.{cls.__qualname__}",
            "    options:",
            "      show_root_heading: true",
            "      show_root_full_path: false",
            "      show_bases: true",
            "      members: false",
            "      heading_level: 2",
            "",
        ]
    return "\n".join(lines)
