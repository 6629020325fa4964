"""Benchmark: the cost of ``import socialwork_procurement`` over its dependencies alone (issue 10).

Each measurement is a fresh interpreter (``python -c``), timed from the outside, median of ``--runs``.
The baseline imports exactly the runtime dependencies (attrs, cattrs, pluggy, python-dateutil) in the
same run, so the figure that matters is the difference, not the absolute time:

    python benchmarks/bench_import.py [--runs 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

DEPENDENCIES = "import attrs, cattrs, cattrs.preconf.json, pluggy, dateutil.relativedelta"
OURS = "import socialwork_procurement"
FIRST_CHECK = "from socialwork_procurement import Case, Registry, load_registry, loads"
CLI = "from socialwork_procurement.cli._main import build_parser; build_parser()"


# As a user's interpreter runs: byte-code cached. A shell with PYTHONDONTWRITEBYTECODE set (CI
# images often do) would make every run compile our sources again and time the compiler.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(code: str, runs: int) -> float:
    """Median wall time in milliseconds of a fresh interpreter running ``code`` (after one
    warm-up run, which also writes the byte-code caches a pip install writes)."""
    subprocess.run([sys.executable, "-c", code], check=True, env=_ENV)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=_ENV)
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def rows(runs: int = 15) -> list[dict[str, object]]:
    empty = timed("pass", runs)
    deps = timed(DEPENDENCIES, runs)
    ours = timed(OURS, runs)
    first = timed(FIRST_CHECK, runs)
    cli = timed(CLI, runs)
    return [
        {
            "work": "`import socialwork_procurement`",
            "unit": "ms",
            "ours": round(ours - empty, 1),
            "baseline": "its dependencies alone",
            "baseline_value": round(deps - empty, 1),
            "extra": round(ours - deps, 1),
            "target": "≤ +30 ms over the dependencies",
            "met": ours - deps <= 30,
        },
        {
            "work": "the names a check needs (`Case`, `Registry`, `load_registry`, `loads`)",
            "unit": "ms",
            "ours": round(first - empty, 1),
            "baseline": "its dependencies alone",
            "baseline_value": round(deps - empty, 1),
            "extra": round(first - deps, 1),
            "target": "(informative: the model and rules layers load here)",
            "met": True,
        },
        {
            "work": "`swp` parser built (every command group loaded)",
            "unit": "ms",
            "ours": round(cli - empty, 1),
            "baseline": "its dependencies alone",
            "baseline_value": round(deps - empty, 1),
            "extra": round(cli - deps, 1),
            "target": "(informative)",
            "met": True,
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--json", action="store_true", help="print the rows as JSON (for benchmarks/run.py)")
    args = parser.parse_args()
    result = rows(args.runs)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
        return
    for row in result:
        print(f"{row['work']}: {row['ours']} ms; dependencies alone {row['baseline_value']} ms; "
              f"extra {row['extra']} ms (target {row['target']})")


if __name__ == "__main__":
    main()
