"""``swp case …`` and ``swp diagram``: drive and inspect purchases from the shell, JSON in and out.

::

    swp case new open.json --id XM-2015-001      # open a purchase (an "open" command)
    swp case do XM-2015-001 award.json           # any other command ("-" reads standard input)
    swp case show XM-2015-001                    # state, allowed actions, disclosure findings
    swp case history XM-2015-001                 # every stored event, upcast, with its envelope
    swp case list                                # the cases in the store
    swp case ocds XM-2015-001 --ocid-prefix ocds-a1b2c3   # the purchase as an OCDS 1.1 release package
    swp diagram --format mermaid                 # the lifecycle (or --format dot)

Every ``case`` command takes ``--store PATH`` (default ``swp-cases.sqlite`` in the working
directory; reading commands never create it). Exit codes follow ``swp check``: 0 done,
1 refused (not allowed in this state, wrong role, a rule failing, or ``--expect-version`` not
met), 3 refused as undetermined (repeat with ``accept_undetermined``), 2 bad input or usage (one
message per problem, with its JSON path).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from ._common import Parser, SubParsers, date_arg

DEFAULT_STORE = "swp-cases.sqlite"
"""The store ``swp case`` uses without ``--store``: an SQLite file in the working directory."""


def _lazy(name: str) -> Callable[[argparse.Namespace], int]:
    # The lifecycle, the stores and OCDS load only when a case command runs, not for `swp check`.
    def run(args: argparse.Namespace) -> int:
        module = importlib.import_module(f"{__package__}._case_commands")
        command: Callable[[argparse.Namespace], int] = getattr(module, name)
        return command(args)

    return run


# -- parsers -------------------------------------------------------------------------------------


def add_case(sub: SubParsers) -> None:
    """``swp case new|do|show|history|list|ocds``."""
    case = sub.add_parser("case", help="drive and inspect a purchase (JSON in and out)")
    case_sub = case.add_subparsers(dest="case_command", required=True, parser_class=Parser)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--store", default=DEFAULT_STORE, help=f"SQLite event store (default: ./{DEFAULT_STORE})")
        p.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of finding messages")

    p = case_sub.add_parser("new", help='open a purchase from an "open" command (JSON)')
    p.add_argument("command_file", nargs="?", default="-", help="command file (JSON), or - for standard input")
    p.add_argument("--encoding", default=None, help="the command file's encoding when it is not UTF-8 (e.g. gb18030)")
    p.add_argument("--id", help="case id (default: a new random one)")
    common(p)
    p.set_defaults(func=_lazy("cmd_case_new"))

    p = case_sub.add_parser("do", help="execute a command (JSON) on a purchase")
    p.add_argument("case_id")
    p.add_argument("command_file", nargs="?", default="-", help="command file (JSON), or - for standard input")
    p.add_argument("--encoding", default=None, help="the command file's encoding when it is not UTF-8 (e.g. gb18030)")
    p.add_argument(
        "--expect-version",
        type=int,
        help="refuse unless the case is still at this version (what you last looked at)",
    )
    common(p)
    p.set_defaults(func=_lazy("cmd_case_do"))

    p = case_sub.add_parser("show", help="a purchase's state, next actions and disclosure findings")
    p.add_argument("case_id")
    p.add_argument("--on", type=date_arg, help="date for the disclosure findings (default: the last step's)")
    common(p)
    p.set_defaults(func=_lazy("cmd_case_show"))

    p = case_sub.add_parser("history", help="every stored event of a purchase")
    p.add_argument("case_id")
    common(p)
    p.set_defaults(func=_lazy("cmd_case_history"))

    p = case_sub.add_parser("list", help="the purchases in the store")
    common(p)
    p.set_defaults(func=_lazy("cmd_case_list"))

    p = case_sub.add_parser("ocds", help="a purchase as an OCDS 1.1 release package (JSON)")
    p.add_argument("case_id")
    p.add_argument("--ocid-prefix", required=True, help="your registered OCDS prefix, ocds- and six letters or digits")
    p.add_argument("--publisher", help="name of the publishing body (default: the case's purchaser)")
    p.add_argument("--uri", help="where the package is published (default: a urn:uuid: derived from the history)")
    p.add_argument("--store", default=DEFAULT_STORE, help=f"SQLite event store (default: ./{DEFAULT_STORE})")
    p.set_defaults(func=_lazy("cmd_case_ocds"))


def add_diagram(sub: SubParsers) -> None:
    """``swp diagram --format mermaid|dot``."""
    p = sub.add_parser("diagram", help="print the lifecycle state machine")
    p.add_argument("--format", choices=("mermaid", "dot"), default="mermaid")
    p.set_defaults(func=_lazy("cmd_diagram"))


def add_commands(sub: SubParsers) -> None:
    """Add ``swp case …`` and ``swp diagram`` to the ``swp`` parser."""
    add_case(sub)
    add_diagram(sub)
