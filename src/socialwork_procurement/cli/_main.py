"""The ``swp`` command line (also ``python -m socialwork_procurement``): the parser and the error boundary.

The JSON output is a stable contract for machines; text output is for people, Chinese by default.
Exit codes (documented in ``docs/cli.md``): 0 success (``check``: eligible), 1 ineligible or refused,
3 undetermined, 2 bad input or usage (one readable message per problem, with its JSON path),
4 an internal or environment error (a store, a broken rule pack, a crash), 130 interrupted. No
exit code ever reports a verdict that was not reached, and no traceback is printed unless ``--debug``
is given (or ``SWP_DEBUG=1``).

Each command group lives in its own module and is imported only when its command runs, so
``swp check`` does not load the lifecycle or the stores.

Every text follows the run's language (``--lang``, else ``SWP_LANG``, else the locale, else
Chinese: :func:`~._common.language_of`), read from the command line before the parser is built,
so that help and argparse's usage errors are in it too; the messages are in the gettext
catalogue (:mod:`socialwork_procurement._i18n`).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from .._errors import (
    CaseNotFound,
    ConcurrencyConflict,
    InvalidInput,
    PluginError,
    ProcurementError,
    RuleConflict,
    UnknownRegion,
)
from .._i18n import Joined, LocalizedError, Message, translator
from ._common import (
    EXIT_ERROR,
    EXIT_INELIGIBLE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_UNDETERMINED,
    EXIT_USAGE,
    Parser,
    SubParsers,
    UsageError,
    _,
    add_lang,
    language_of,
    speaking,
    text,
)

__all__ = [
    "EXIT_ERROR",
    "EXIT_INELIGIBLE",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_UNDETERMINED",
    "EXIT_USAGE",
    "build_parser",
    "main",
]

COMMAND_GROUPS = ("_rules", "_docs", "_case", "_screen", "_demo", "_new_region", "_serve")
"""The modules that add subcommands, in the order their commands are listed in ``swp --help``."""


def build_parser(lang: str = "en") -> Parser:
    """The ``swp`` parser, its help and usage messages in ``lang`` (``main`` passes the run's language)."""
    with speaking(lang):
        parser = Parser(prog="swp", description=_("social work procurement rules (政府购买社会工作服务)"))
        parser.add_argument("--debug", action="store_true", help=_("print the traceback of an internal error"))
        add_lang(parser)
        sub: SubParsers = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
        for name in COMMAND_GROUPS:
            module = importlib.import_module(f"{__package__}.{name}")
            module.add_commands(sub)
    return parser


def _say(message: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # standard error itself is gone: nothing left to tell
        print(f"swp: error: {message}", file=sys.stderr)


def _internal(exc: BaseException) -> Message:
    return Message("internal error: {kind}: {detail}", kind=type(exc).__name__, detail=str(exc)[:200])


def _described(exc: ProcurementError) -> Message | LocalizedError | ProcurementError:
    """The errors of the lower layers that the command line words itself, from their attributes
    (their own messages are English); any other error as it is."""
    if isinstance(exc, UnknownRegion):
        known = Joined(exc.known) if exc.known else Message("none")
        return Message("no rule pack for region {region!r}; loaded: {known}", region=exc.region, known=known)
    if isinstance(exc, CaseNotFound):
        return Message("no case {case_id!r} in the store", case_id=exc.case_id)
    if isinstance(exc, ConcurrencyConflict):
        return Message(
            "case {case_id!r}: another writer got in first (expected version {expected}, the store has {actual}); "
            "nothing was stored: try again",
            case_id=exc.case_id,
            expected=exc.expected_version,
            actual=exc.actual_version,
        )
    return exc


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``swp``; returns the exit code (see the module docstring)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = language_of(args_list)
    try:
        translator(lang), translator(lang, "argparse")
    except OSError as exc:  # a broken installation: say so in the one language that needs no catalogue
        _say(f"the {lang} message catalogue cannot be read ({exc}): reinstall socialwork-procurement")
        return EXIT_ERROR
    with speaking(lang):
        return _run(args_list, lang)


def _run(args_list: list[str], lang: str) -> int:
    debug = "--debug" in args_list or os.environ.get("SWP_DEBUG") == "1"
    # Python hands undecodable argv bytes over as lone surrogates: refuse them rather than print or store them.
    for arg in args_list:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            _say(text(Message("a command-line argument is not valid UTF-8")))
            return EXIT_USAGE
    try:
        parser = build_parser(lang)
        args = parser.parse_args(args_list)
        if getattr(args, "lang", None) is None:  # --lang not given: the run's language (SWP_LANG, the locale)
            args.lang = lang
        code: int = args.func(args)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2); nothing else raises it here
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        _say(text(Message("interrupted")))
        return EXIT_INTERRUPTED
    except InvalidInput as exc:
        for problem in exc.problems:
            _say(str(problem))
        return EXIT_USAGE
    except (UsageError, UnknownRegion, CaseNotFound) as exc:
        _say(text(_described(exc)))
        return EXIT_USAGE
    except RuleConflict as exc:
        # Two rules in force answer one question differently: no answer can be given, which is a verdict
        # of its own (undetermined), not a fault.
        _say(text(Message("conflicting rules: {error}", error=str(exc))))
        return EXIT_UNDETERMINED
    except PluginError as exc:
        _say(
            text(
                Message(
                    "a rule pack failed ({distribution}): {error}", distribution=exc.distribution or "?", error=str(exc)
                )
            )
        )
        if debug:
            traceback.print_exc()
        return EXIT_ERROR
    except BrokenPipeError:  # `swp ... | head`: the reader left; the answer was not fully delivered
        return EXIT_ERROR
    except ProcurementError as exc:
        _say(text(_described(exc)))
        if _caused_by_input(exc):
            return EXIT_USAGE
        if debug:
            traceback.print_exc()
        return EXIT_ERROR
    except (OSError, MemoryError, RecursionError) as exc:
        # Stores that cannot be read or written, tampered data, a full disk: the environment, never a verdict.
        _say(text(_internal(exc)))
        if debug:
            traceback.print_exc()
        return EXIT_ERROR
    except Exception as exc:
        _say(text(Message("{error} (run with --debug for the traceback)", error=_internal(exc))))
        if debug:
            traceback.print_exc()
        return EXIT_ERROR
    return code


def _caused_by_input(exc: ProcurementError) -> bool:
    """Whether the caller's input or arguments caused ``exc`` (exit 2) rather than the environment (exit 4).

    An error class may say so with a ``caused_by_input`` attribute; otherwise the builtin it stands for
    decides: ``ValueError`` and ``LookupError`` are the caller's, ``RuntimeError`` and ``OSError`` (a store,
    a pack, tampered data) are the environment's.
    """
    declared = getattr(exc, "caused_by_input", None)
    if isinstance(declared, bool):
        return declared
    return isinstance(exc, ValueError | LookupError) and not isinstance(exc, RuntimeError | OSError)
