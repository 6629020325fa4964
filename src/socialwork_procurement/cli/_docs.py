"""``swp docs``: one generated Markdown page per region."""

from __future__ import annotations

import argparse
from pathlib import Path

from ._common import EXIT_OK, SubParsers, registry_from


def cmd_docs(args: argparse.Namespace) -> int:
    from ..export._docgen import write_region_pages

    for path in write_region_pages(registry_from(args), Path(args.out)):
        print(path)
    return EXIT_OK


def add_commands(sub: SubParsers) -> None:
    """Add ``swp docs`` to the ``swp`` parser."""
    p = sub.add_parser("docs", help="write one Markdown page per region (every rule with its quote)")
    # Required, never defaulted: a default directory would make `swp docs` typed anywhere write files into
    # (or overwrite pages under) whatever the current directory happens to be, without a word.
    p.add_argument(
        "--out",
        required=True,
        metavar="DIR",
        help="the directory to write the pages into, created if missing (this repository keeps them in docs/regions)",
    )
    p.set_defaults(func=cmd_docs)
