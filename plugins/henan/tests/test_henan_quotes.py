"""Every Henan quote is verbatim text of its seed file (also runnable as a script: ``python test_henan_quotes.py``).

The check is the testing kit's ``assert_quotes_verbatim``: seed 002 is read after deleting its
parenthesised pinyin (``導(dǎo)`` -> ``導``), as the catalogue prescribes, and « ⏎ » in a quote marks a
page break whose parts must appear in order. The seeds are found through ``SWP_SEEDS_DIR`` or
``shared/seeds`` beside the checkout; without them the test skips with the kit's one reason.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from socialwork_procurement_henan import RULES, pack

from socialwork_procurement.testing import SEEDS_MISSING, QuoteMismatch, assert_quotes_verbatim, seeds_dir

SEEDS = seeds_dir(Path(__file__).parent)


@pytest.mark.skipif(SEEDS is None, reason=SEEDS_MISSING)
def test_henan_every_quote_is_verbatim() -> None:
    assert SEEDS is not None
    # Every Henan rule quotes a seed file: all of them are checked.
    assert assert_quotes_verbatim(pack, SEEDS) == len(RULES)


if __name__ == "__main__":  # a small local script
    if SEEDS is None:
        sys.exit(SEEDS_MISSING)
    try:
        checked = assert_quotes_verbatim(pack, SEEDS)
    except QuoteMismatch as exc:
        sys.exit(str(exc))
    print(f"all {checked} quotes verbatim")
