"""What every ``swp`` command group shares: exit codes, the parser class, argument types, input and output.

**Language.** Every text ``swp`` shows follows one language per run, ``zh`` or ``en``: help, usage
errors (argparse's own included), input errors, refusals and text output. It is chosen, in this
order, by ``--lang`` (anywhere on the command line, the last one winning), by ``SWP_LANG``, by the
locale (the first of ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` that is set: English when it starts
with ``en``), and is otherwise Chinese (:func:`language_of`). :func:`speaking` makes a language the
current one (:func:`language`) for building and running the parser: help strings are written
``help=_("…")``, and argparse's own messages come from the ``argparse`` catalogue while it is in
force. Messages on standard error start with ``swp: error:`` in both languages, so that scripts
can find them.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import json
import os
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from .._errors import InputProblem, InvalidInput, ProcurementError
from .._i18n import LANGUAGES, SOURCE_LANGUAGE, LocalizedError, Message, render, translator
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


# -- language ------------------------------------------------------------------------------------

_LANGUAGE: ContextVar[str] = ContextVar("swp_language", default=SOURCE_LANGUAGE)


def language() -> str:
    """The language of the texts being written now (see :func:`speaking`; English outside it)."""
    return _LANGUAGE.get()


def _(msgid: str) -> str:
    """``msgid`` in the current language: for help strings and texts written at once."""
    return translator(language()).gettext(msgid)


def language_of(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of a run: ``--lang`` in ``argv``, else ``SWP_LANG``, else the locale, else ``zh``.

    The command line is read before it is parsed, so that help and usage errors are already in
    the language asked for; a value other than ``zh`` or ``en`` is left for the parser to refuse.
    ``SWP_LANG`` chooses when it starts with ``zh`` or ``en``; of the locale variables the first
    set one counts, and only an English locale (``en_US.UTF-8``) gives English.
    """
    chosen: str | None = None
    tokens = iter(argv)
    for arg in tokens:
        if arg == "--":
            break
        value = next(tokens, None) if arg == "--lang" else arg[7:] if arg.startswith("--lang=") else None
        if value in LANGUAGES:
            chosen = value
    if chosen is not None:
        return chosen
    env = os.environ if environ is None else environ
    for prefix in ("zh", "en"):
        if env.get("SWP_LANG", "").lower().startswith(prefix):
            return prefix
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(variable):
            return "en" if env[variable].lower().startswith("en") else "zh"
    return "zh"


@contextlib.contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Make ``lang`` the current language, argparse's messages included, for the ``with`` block.

    argparse looks its messages up through the module-level ``argparse._`` and ``argparse.ngettext``
    (``gettext.gettext`` of the process-wide domain), so they are pointed at the ``argparse``
    catalogue of ``lang`` and put back afterwards. The command line runs on one thread.
    """
    token = _LANGUAGE.set(lang)
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    catalogue = translator(lang, "argparse")
    argparse._, argparse.ngettext = catalogue.gettext, catalogue.ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]
        _LANGUAGE.reset(token)


def _name(value: enum.Enum, lang: str) -> str:
    from ..export._names import name  # the names of states, roles, methods…: loaded only when a message needs one

    try:
        return name(value, lang)
    except KeyError:  # an enumeration no table names yet: its identifier, rather than no text at all
        return str(value.value)


def _rewrite(text: str, lang: str) -> str:
    from ..export._names import localize_identifiers

    return localize_identifiers(text, lang)


def text(message: Message | str | BaseException, lang: str | None = None) -> str:
    """A message (or an error's) in ``lang`` (default: the current language), with the names of
    enumeration members and the identifiers in texts from packs shown in that language."""
    lang = lang or language()
    if isinstance(message, LocalizedError):
        return message.text(lang, name=_name, rewrite=_rewrite)
    if isinstance(message, BaseException):
        return str(message)
    return render(message, lang, name=_name, rewrite=_rewrite)


def problem(path: str, message: Message) -> InputProblem:
    """An input problem at ``path`` in the current language."""
    return InputProblem(path, text(message))


class UsageError(LocalizedError, ProcurementError, ValueError):
    """A command-line argument is wrong; the message says which (a :class:`Message` or a string)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors exit with :data:`EXIT_USAGE`, in the language it was built in.

    The language is the current one when it is built (:func:`speaking`): argparse's own texts
    («usage:», «options», «-h» help) are written then, and its messages whenever it parses or
    formats, so a parser built for the documentation in English stays English.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.lang = language()
        with speaking(self.lang):
            super().__init__(*args, **kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with speaking(self.lang):
            return super().parse_known_args(*args, **kwargs)

    def format_usage(self) -> str:
        with speaking(self.lang):
            return super().format_usage()

    def format_help(self) -> str:
        with speaking(self.lang):
            return super().format_help()

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
        raise argparse.ArgumentTypeError(
            _("expected a date as YYYY-MM-DD, got {value!r}").format(value=_prefix(text))
        ) from None


def dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


def add_lang(p: argparse.ArgumentParser) -> None:
    """``--lang zh|en``; left unset when not given (``main`` fills in the run's language, so a
    subcommand's default never hides a ``--lang`` given before it)."""
    p.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help=_("language of help, messages and text output (default: zh; en when SWP_LANG or the locale is English)"),
    )


def add_common(p: argparse.ArgumentParser, *, fmt: bool = True) -> None:
    if fmt:
        p.add_argument("--format", choices=("json", "text"), default="text", help=_("output format"))
    add_lang(p)
    p.add_argument("--no-national", action="store_true", help=_("leave out the national layer (财政部令第102号)"))


def registry_from(args: argparse.Namespace) -> Registry:
    registry = load_registry(national=not getattr(args, "no_national", False))
    for problem in registry.problem_texts(language()):
        print(f"swp: warning: {problem}", file=sys.stderr)  # the prefix is for scripts, in every language
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
                    raise InvalidInput([_too_large()])
                return text[1:] if text.startswith("\ufeff") else text
            raw = buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(source, "rb") as handle:
                raw = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        # The reason is the operating system's own words (in its language): quoted, not translated.
        raise UsageError(
            Message("cannot read {source}: {reason}", source=source, reason=exc.strerror or str(exc))
        ) from None
    if len(raw) > MAX_INPUT_BYTES:
        raise InvalidInput([_too_large()])
    return decode_input(raw, encoding=encoding)


def _too_large() -> InputProblem:
    return problem("$", Message("the input is larger than {limit} bytes", limit=MAX_INPUT_BYTES))


def decode_input(raw: bytes, *, encoding: str | None = None) -> str:
    """Decode ``raw`` as UTF-8 (a leading BOM dropped) or as the declared ``encoding``."""
    import codecs

    name = encoding or "utf-8"
    try:
        codec = codecs.lookup(name)
    except LookupError:
        raise UsageError(Message("unknown encoding {name!r} for --encoding", name=_prefix(name))) from None
    if codec.name == "utf-8":
        name = "utf-8-sig"
    try:
        return raw.decode(name)
    except UnicodeDecodeError as exc:
        hint = (
            Message("declare the file's encoding with --encoding (for example --encoding gb18030)")
            if encoding is None
            else Message("check that --encoding names the file's encoding")
        )
        found = Message(
            "the input is not valid {codec} at byte {offset}: {hint}", codec=codec.name, offset=exc.start, hint=hint
        )
        raise InvalidInput([problem("$", found)]) from None
