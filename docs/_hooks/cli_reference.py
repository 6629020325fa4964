"""The command-line reference, rendered from the ``swp`` parser when the site is built (by ``generated_pages.py``).

``docs/cli-reference.md`` holds the hand-written introduction and the marker line below; the build
replaces the marker with one section per command (usage, arguments, options), read from
``socialwork_procurement.cli._main.build_parser()``. The page is never a copy that could go stale:
a new option appears on the site in the next build. ``render()`` is also what ``tests/test_site.py``
checks against the parser, without MkDocs.

This module does not import MkDocs at the top, so the tests can import it where MkDocs is not installed.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

MARKER = "<!-- swp:generated cli-reference -->"
PAGE = "cli-reference.md"

# A fixed width, so the usage lines do not depend on the terminal that runs the build.
_WIDTH = 76


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser, str | None]]:
    """Every command under ``parser``, depth first: ``(words after "swp", parser, one-line help)``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield (*path, name), sub, helps.get(name)
                yield from commands(sub, (*path, name))


def _formatter(parser: argparse.ArgumentParser) -> argparse.HelpFormatter:
    factory: Any = parser.formatter_class
    formatter: argparse.HelpFormatter = factory(prog=parser.prog, width=_WIDTH)
    return formatter


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = _formatter(parser)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help().strip()


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _value(action: argparse.Action, formatter: argparse.HelpFormatter) -> str:
    if action.nargs == 0:
        return ""
    if action.choices is not None:
        return " \\| ".join(f"`{choice}`" for choice in action.choices)
    metavar = formatter._format_args(
        action,
        formatter._get_default_metavar_for_positional(action)
        if not action.option_strings
        else formatter._get_default_metavar_for_optional(action),
    )
    return f"`{_cell(metavar)}`"


def _help(action: argparse.Action, formatter: argparse.HelpFormatter) -> str:
    if not action.help:
        return ""
    return _cell(formatter._expand_help(action))


def _default(action: argparse.Action) -> str:
    if action.required or action.nargs == 0 or action.default in (None, argparse.SUPPRESS):
        return ""
    return f"`{_cell(str(action.default))}`"


def _arguments(parser: argparse.ArgumentParser) -> list[str]:
    formatter = _formatter(parser)
    rows = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction) or action.help == argparse.SUPPRESS:
            continue
        name = ", ".join(f"`{o}`" for o in action.option_strings) or f"`{action.metavar or action.dest}`"
        required = "yes" if action.required else ""
        rows.append(
            f"| {name} | {_value(action, formatter)} | {required} | {_default(action)} | {_help(action, formatter)} |"
        )
    if not rows:
        return []
    return ["| argument | value | required | default | meaning |", "|---|---|---|---|---|", *rows]


def _section(level: int, words: tuple[str, ...], parser: argparse.ArgumentParser, summary: str | None) -> list[str]:
    lines = [f"{'#' * level} swp {' '.join(words)}".rstrip(), ""]
    if summary:
        lines += [summary[:1].upper() + summary[1:] + ("" if summary.endswith(".") else "."), ""]
    if parser.description and parser.description != summary:
        lines += [parser.description, ""]
    lines += ["```text", _usage(parser), "```", ""]
    table = _arguments(parser)
    if table:
        lines += [*table, ""]
    return lines


def render(parser: argparse.ArgumentParser | None = None) -> str:
    """The Markdown the marker is replaced with: ``swp`` itself, then every command and subcommand."""
    if parser is None:
        from socialwork_procurement.cli._main import build_parser

        parser = build_parser()
    lines = _section(2, (), parser, None)
    for words, sub, summary in commands(parser):
        # `swp case new` sits under `swp case`; the top-level commands share one level with `swp`.
        lines += _section(2 if len(words) == 1 else 3, words, sub, summary)
    return "\n".join(lines).rstrip() + "\n"
