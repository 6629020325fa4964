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
    p.add_argument("--out", default="docs/regions")
    p.set_defaults(func=cmd_docs)
