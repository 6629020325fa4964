"""What every ``swp`` command group shares: exit codes, the parser class, argument types, input and output."""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from .._errors import InputProblem, InvalidInput, ProcurementError
from ..rules._plugins import load_registry
from ..rules._rules import Decision

if TYPE_CHECKING:
    from datetime import date

    from ..rules._registry import Registry

EXIT_OK = 0
"""Success; ``check``: eligible."""
EXIT_INELIGIBLE = 1
"""``check``: ineligible; ``case``: the command was refused."""
EXIT_USAGE = 2
"""Bad input or usage: one message per problem, with its JSON path or option."""
EXIT_UNDETERMINED = 3
"""``check``: undetermined; ``case``: refused as undetermined."""
EXIT_ERROR = 4
"""An internal or environment error (a store that cannot be read or written, a rule pack that broke, a
crash): never a verdict. One line on standard error; ``--debug`` adds the traceback."""
EXIT_INTERRUPTED = 130
"""Interrupted from the keyboard (Ctrl-C), as shells report it."""

DECISION_EXIT = {
    Decision.ELIGIBLE: EXIT_OK,
    Decision.INELIGIBLE: EXIT_INELIGIBLE,
    Decision.UNDETERMINED: EXIT_UNDETERMINED,
}

MAX_INPUT_BYTES = 16 * 1024 * 1024
"""The largest case or command file ``swp`` reads (16 MiB); a case file is a few kilobytes."""


class UsageError(ProcurementError, ValueError):
    """A command-line argument is wrong; the message says which."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors exit with :data:`EXIT_USAGE`."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"swp: error: {message}\n")


if TYPE_CHECKING:
    SubParsers = argparse._SubParsersAction[Parser]
else:
    SubParsers = argparse._SubParsersAction


def date_arg(text: str) -> date:
    """An ISO date ``YYYY-MM-DD`` (ASCII digits only), for ``--on`` and the like."""
    from datetime import date

    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {_prefix(text)!r}") from None


def dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def add_common(p: argparse.ArgumentParser, *, fmt: bool = True) -> None:
    if fmt:
        p.add_argument("--format", choices=("json", "text"), default="text")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--no-national", action="store_true", help="leave out the national layer (财政部令第102号)")


def registry_from(args: argparse.Namespace) -> Registry:
    registry = load_registry(national=not getattr(args, "no_national", False))
    for problem in registry.problems:
        print(f"swp: warning: {problem}", file=sys.stderr)
    return registry


def _prefix(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def read_input(source: str, *, encoding: str | None = None) -> str:
    """The text of a case or command file (``-`` for standard input), decoded strictly.

    UTF-8 with or without a byte-order mark is read as it is; any other encoding (GBK/GB18030 files that
    Chinese Windows tools write) must be declared with ``--encoding``. Bytes that do not decode are refused
    with one problem at ``$`` naming the byte offset, never replaced.
    """
    try:
        if source == "-":
            buffer = getattr(sys.stdin, "buffer", None)
            if buffer is None:  # a text stream without bytes under it (an embedding app's StringIO)
                text = sys.stdin.read(MAX_INPUT_BYTES + 1)
                if len(text) > MAX_INPUT_BYTES:
                    raise InvalidInput([InputProblem("$", f"the input is larger than {MAX_INPUT_BYTES} bytes")])
                return text[1:] if text.startswith("\ufeff") else text
            raw = buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror or exc}") from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InvalidInput([InputProblem("$", f"the input is larger than {MAX_INPUT_BYTES} bytes")])
    return decode_input(raw, encoding=encoding)


def decode_input(raw: bytes, *, encoding: str | None = None) -> str:
    """Decode ``raw`` as UTF-8 (a leading BOM dropped) or as the declared ``encoding``."""
    import codecs

    name = encoding or "utf-8"
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise UsageError(f"unknown encoding {_prefix(name)!r} for --encoding") from None
    if codec.name == "utf-8":
        name = "utf-8-sig"
    try:
        return raw.decode(name)
    except UnicodeDecodeError as exc:
        hint = (
            "declare the file's encoding with --encoding (for example --encoding gb18030)"
            if encoding is None
            else "check that --encoding names the file's encoding"
        )
        raise InvalidInput(
            [InputProblem("$", f"the input is not valid {codec.name} at byte {exc.start}: {hint}")]
        ) from None
