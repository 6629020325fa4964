"""The ``swp`` command line (also ``python -m socialwork_procurement``): the parser and the error boundary.

The JSON output is a stable contract for machines; text output is for people, Chinese by default.
Exit codes (documented in ``docs/cli.md``): 0 success (``check``: eligible), 1 ineligible or refused,
3 undetermined, 2 bad input or usage (one readable message per problem, with its JSON path),
4 an internal or environment error (a store, a broken rule pack, a crash), 130 interrupted. No
exit code ever reports a verdict that was not reached, and no traceback is printed unless ``--debug``
is given (or ``SWP_DEBUG=1``).

Each command group lives in its own module and is imported only when its command runs, so
``swp check`` does not load the lifecycle or the stores.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Sequence

from .._errors import CaseNotFound, InvalidInput, PluginError, ProcurementError, RuleConflict, UnknownRegion
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

COMMAND_GROUPS = ("_rules", "_docs", "_case")
"""The modules that add subcommands, in the order their commands are listed in ``swp --help``."""

_MESSAGES = {
    "zh": {
        "argv": "命令行参数不是有效的 UTF-8",
        "pack": "规则包出错",
        "internal": "内部错误",
        "debug": "加 --debug 可查看调用栈",
        "interrupted": "已中断",
        "conflict": "规则冲突",
    },
    "en": {
        "argv": "a command-line argument is not valid UTF-8",
        "pack": "a rule pack failed",
        "internal": "internal error",
        "debug": "run with --debug for the traceback",
        "interrupted": "interrupted",
        "conflict": "conflicting rules",
    },
}


def build_parser() -> Parser:
    parser = Parser(prog="swp", description="政府购买社会工作服务规则 / social work procurement rules")
    parser.add_argument("--debug", action="store_true", help="print the traceback of an internal error")
    sub: SubParsers = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for name in COMMAND_GROUPS:
        module = importlib.import_module(f"{__package__}.{name}")
        module.add_commands(sub)
    return parser


def _lang(argv: Sequence[str]) -> str:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return "en" if argv[i + 1] == "en" else "zh"
        if arg == "--lang=en":
            return "en"
    return "zh"


def _say(text: str) -> None:
    with contextlib.suppress(OSError, ValueError):  # standard error itself is gone: nothing left to tell
        print(f"swp: error: {text}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``swp``; returns the exit code (see the module docstring)."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args_list or os.environ.get("SWP_DEBUG") == "1"
    messages = _MESSAGES[_lang(args_list)]
    # Python hands undecodable argv bytes over as lone surrogates: refuse them rather than print or store them.
    for arg in args_list:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            _say(messages["argv"])
            return EXIT_USAGE
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
        code: int = args.func(args)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2); nothing else raises it here
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except KeyboardInterrupt:
        _say(messages["interrupted"])
        return EXIT_INTERRUPTED
    except InvalidInput as exc:
        for problem in exc.problems:
            _say(str(problem))
        return EXIT_USAGE
    except (UsageError, UnknownRegion, CaseNotFound) as exc:
        _say(str(exc))
        return EXIT_USAGE
    except RuleConflict as exc:
        # Two rules in force answer one question differently: no answer can be given, which is a verdict
        # of its own (undetermined), not a fault.
        _say(f"{messages['conflict']}: {exc}")
        return EXIT_UNDETERMINED
    except PluginError as exc:
        _say(f"{messages['pack']} ({exc.distribution or '?'}): {exc}")
        if debug:
            traceback.print_exc()
        return EXIT_ERROR
    except BrokenPipeError:  # `swp ... | head`: the reader left; the answer was not fully delivered
        return EXIT_ERROR
    except ProcurementError as exc:
        if _caused_by_input(exc):
            _say(str(exc))
            return EXIT_USAGE
        _say(str(exc))
        if debug:
            traceback.print_exc()
        return EXIT_ERROR
    except (OSError, MemoryError, RecursionError) as exc:
        # Stores that cannot be read or written, tampered data, a full disk: the environment, never a verdict.
        _say(f"{messages['internal']}: {type(exc).__name__}: {str(exc)[:200]}")
        if debug:
            traceback.print_exc()
        return EXIT_ERROR
    except Exception as exc:
        _say(f"{messages['internal']}: {type(exc).__name__}: {str(exc)[:200]} ({messages['debug']})")
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
