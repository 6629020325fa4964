"""``swp case …`` and ``swp diagram``: drive and inspect purchases from the shell, JSON in and out.

::

    swp case new open.json --id XM-2015-001      # open a purchase (an "open" command)
    swp case do XM-2015-001 award.json           # any other command ("-" reads standard input)
    swp case show XM-2015-001                    # state, allowed actions, disclosure findings
    swp case show XM-2015-001 --format text      # the same for people (--lang zh|en)
    swp case history XM-2015-001                 # every stored event, upcast, with its envelope
    swp case list                                # the cases in the store
    swp case ocds XM-2015-001 --ocid-prefix ocds-a1b2c3   # the purchase as an OCDS 1.1 release package
    swp diagram --format mermaid                 # the lifecycle (or dot; svg and png with Graphviz)
    swp diagram --format svg --case XM-2015-001  # a picture, the case's current state marked (--out FILE)

Every ``case`` command takes ``--store PATH`` (default ``swp-cases.sqlite`` in the working
directory; reading commands never create it). ``show`` and ``history`` print JSON unless
``--format text`` is given (JSON stays the default, for scripts). Exit codes follow ``swp check``: 0 done,
1 refused (not allowed in this state, wrong role, a rule failing, or ``--expect-version`` not
met), 3 refused as undetermined (repeat with ``accept_undetermined``), 2 bad input or usage (one
message per problem, with its JSON path).
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Callable

from ._common import Parser, SubParsers, _, add_lang, date_arg

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
    case = sub.add_parser("case", help=_("drive and inspect a purchase (JSON in and out)"))
    case_sub = case.add_subparsers(dest="case_command", required=True, parser_class=Parser)

    def store(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--store",
            default=DEFAULT_STORE,
            help=_("SQLite event store (default: ./{store})").format(store=DEFAULT_STORE),
        )

    def common(p: argparse.ArgumentParser) -> None:
        store(p)
        add_lang(p)

    def command_file(p: argparse.ArgumentParser) -> None:
        p.add_argument("command_file", nargs="?", default="-", help=_("command file (JSON), or - for standard input"))
        p.add_argument(
            "--encoding", default=None, help=_("the command file's encoding when it is not UTF-8 (e.g. gb18030)")
        )

    def text_or_json(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--format",
            choices=("json", "text"),
            default="json",
            help=_("json (the default, for scripts) or text (for people, in the --lang language)"),
        )

    p = case_sub.add_parser("new", help=_('open a purchase from an "open" command (JSON)'))
    command_file(p)
    p.add_argument("--id", help=_("case id (default: a new random one)"))
    common(p)
    p.set_defaults(func=_lazy("cmd_case_new"))

    p = case_sub.add_parser("do", help=_("execute a command (JSON) on a purchase"))
    p.add_argument("case_id", help=_("the case id"))
    command_file(p)
    p.add_argument(
        "--expect-version",
        type=int,
        help=_("refuse unless the case is still at this version (what you last looked at)"),
    )
    common(p)
    p.set_defaults(func=_lazy("cmd_case_do"))

    p = case_sub.add_parser("show", help=_("a purchase's state, next actions and disclosure findings"))
    p.add_argument("case_id", help=_("the case id"))
    p.add_argument("--on", type=date_arg, help=_("date for the disclosure findings (default: the last step's)"))
    text_or_json(p)
    common(p)
    p.set_defaults(func=_lazy("cmd_case_show"))

    p = case_sub.add_parser("history", help=_("every stored event of a purchase"))
    p.add_argument("case_id", help=_("the case id"))
    text_or_json(p)
    common(p)
    p.set_defaults(func=_lazy("cmd_case_history"))

    p = case_sub.add_parser("list", help=_("the purchases in the store"))
    common(p)
    p.set_defaults(func=_lazy("cmd_case_list"))

    p = case_sub.add_parser(
        "disclosure", help=_("what a purchase must publish, and what it has published (JSON, Markdown or HTML)")
    )
    p.add_argument("case_id")
    p.add_argument("--format", choices=("json", "md", "html"), default="html", help=_("output format"))
    p.add_argument("--on", type=date_arg, help=_("the day to show the purchase as it stood (default: its last step)"))
    common(p)
    p.set_defaults(func=_lazy("cmd_case_disclosure"))

    p = case_sub.add_parser(
        "verify", help=_("check a purchase's hash chain and snapshot (or every purchase with --all)")
    )
    p.add_argument("case_id", nargs="?", help=_("case id"))
    p.add_argument("--all", action="store_true", help=_("verify every purchase in the store and its triggers"))
    common(p)
    p.set_defaults(func=_lazy("cmd_case_verify"))

    p = case_sub.add_parser("ocds", help=_("a purchase as an OCDS 1.1 release package (JSON)"))
    p.add_argument("case_id", help=_("the case id"))
    p.add_argument(
        "--ocid-prefix", required=True, help=_("your registered OCDS prefix, ocds- and six letters or digits")
    )
    p.add_argument("--publisher", help=_("name of the publishing body (default: the case's purchaser)"))
    p.add_argument("--uri", help=_("where the package is published (default: a urn:uuid: derived from the history)"))
    common(p)
    p.set_defaults(func=_lazy("cmd_case_ocds"))


DIAGRAM_FORMATS = ("mermaid", "dot", "svg", "png")
"""``swp diagram --format``: Mermaid or Graphviz DOT text, or a picture Graphviz's ``dot`` draws."""


def add_diagram(sub: SubParsers) -> None:
    """``swp diagram --format mermaid|dot|svg|png [--out PATH] [--lang zh|en] [--ids] [--case ID --store PATH]``."""
    p = sub.add_parser(
        "diagram",
        help=_("print the lifecycle state machine: Mermaid or Graphviz DOT text, or an SVG or PNG picture"),
    )
    p.add_argument(
        "--format",
        choices=DIAGRAM_FORMATS,
        default="mermaid",
        help=_("mermaid or dot (text), svg or png (drawn by Graphviz's dot program, which must be installed)"),
    )
    p.add_argument(
        "--ids",
        action="store_true",
        help=_("show the states and actions by their identifiers, not their names (the copy in docs/lifecycle.md)"),
    )
    p.add_argument(
        "--out", metavar="PATH", help=_("write the diagram to this file instead of standard output (needed for png)")
    )
    p.add_argument("--case", metavar="ID", help=_("highlight the current state of this case (read from --store)"))
    p.add_argument(
        "--store",
        default=None,
        help=_("SQLite event store of --case (default: ./{store})").format(store=DEFAULT_STORE),
    )
    add_lang(p)
    p.set_defaults(func=_lazy("cmd_diagram"))


def add_commands(sub: SubParsers) -> None:
    """Add ``swp case …`` and ``swp diagram`` to the ``swp`` parser."""
    add_case(sub)
    add_diagram(sub)
