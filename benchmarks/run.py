"""Run every benchmark in one command and write ``docs/benchmarks.md`` (issue 10).

Each benchmark measures ours against its baseline *in the same run* and prints ratios; this script
runs them one after another (each in its own interpreter, so one's imports and caches do not
favour another), captures what each prints, and writes the page with the machine, the versions
and every figure. Speed is never asserted in a test.

    pip install -e ".[bench]"          # the peers: zen-engine, transitions, pydantic, msgspec, eventsourcing
    python benchmarks/run.py           # about 5 minutes on the project's 2-core machine
    python benchmarks/run.py --quick   # smaller counts, for a look while working

A benchmark whose peer is not installed says so in its section and measures the rest.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

# (title, script, arguments for a full run, arguments for --quick)
BENCHMARKS: list[tuple[str, str, list[str], list[str]]] = [
    ("Checking contractors: the compiled plan against a plain function and zen-engine", "bench_check.py",
     ["--contractors", "50000"], ["--contractors", "5000"]),
    ("A lifecycle step against `transitions`", "bench_lifecycle_peer.py", ["--runs", "300"], ["--runs", "50"]),
    ("The lifecycle's own cost as evaluations accumulate", "bench_lifecycle.py",
     ["--runs", "200", "--steps", "15"], ["--runs", "30", "--steps", "5"]),
    ("JSON round trip of a full case", "bench_converter.py", ["--repeat", "7", "--number", "1000"],
     ["--repeat", "3", "--number", "200"]),
    ("Event store: single and batched appends, SQLite and PostgreSQL", "bench_store.py", ["--events", "2000"],
     ["--events", "300"]),
    # 200,000 records: the rate is steady long before (constant memory is checked apart); a million
    # alone took 8 of the run's 10 minutes on the 2-core machine.
    ("Screening a registry", "bench_screen.py", ["--records", "200000", "--dask-records", "100000"],
     ["--records", "20000", "--memory", "5000,20000", "--dask-records", "5000"]),
    ("The HTTP API under load", "bench_server.py", [], ["--checks", "400", "--commands", "200"]),
    ("Importing the package", "bench_import.py", ["--runs", "15"], ["--runs", "5"]),
]

PEERS = ["zen-engine", "transitions", "pydantic", "msgspec", "orjson", "eventsourcing", "psycopg", "dask"]


def version_of(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def machine() -> list[str]:
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as handle:
            memory = f", {int(handle.readline().split()[1]) // 1024 // 1024} GiB"
    except (OSError, ValueError, IndexError):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return [
        f"- machine: {os.cpu_count()} cores ({cpu}){memory}, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()} ({platform.python_implementation()})",
        "- ours: " + ", ".join(f"{n} {version_of(n)}" for n in ("socialwork-procurement", "attrs", "cattrs", "pluggy")),
        "- peers: " + ", ".join(f"{n} {version_of(n)}" for n in PEERS),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller counts")
    parser.add_argument("--out", default=str(REPO / "docs" / "benchmarks.md"), help="the page to write")
    parser.add_argument("--only", action="append", help="run only scripts whose name contains this")
    args = parser.parse_args()
    started = time.perf_counter()
    sections: list[str] = []
    failed = 0
    for title, script, full, quick in BENCHMARKS:
        if args.only and not any(part in script for part in args.only):
            continue
        path = HERE / script
        if not path.exists():
            sections += [f"## {title}", "", f"`{script}` is not in this checkout.", ""]
            continue
        print(f"== {title} ({script})", file=sys.stderr, flush=True)
        began = time.perf_counter()
        result = subprocess.run(
            [sys.executable, str(path), *(quick if args.quick else full)],
            capture_output=True, text=True, cwd=REPO, check=False,
        )
        seconds = time.perf_counter() - began
        output = (result.stdout.strip() or "(no output)")
        if result.returncode != 0:
            failed += 1
            output += "\n\n" + result.stderr.strip()[-3000:]
        sections += [
            f"## {title}",
            "",
            f"`python benchmarks/{script} {' '.join(quick if args.quick else full)}` "
            f"({seconds:.0f} s{'; it FAILED' if result.returncode else ''}):",
            "",
            "```text",
            output,
            "```",
            "",
        ]
        print(output, file=sys.stderr)
    page = [
        "# Benchmarks",
        "",
        "Every figure below is measured against its baseline in the same run, on the machine named here;",
        "read the ratios, not the absolute times. The page is written by `python benchmarks/run.py`"
        + (" (here with `--quick`: smaller counts)" if args.quick else "") + ".",
        "",
        f"Measured {datetime.now(timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}:",
        "",
        *machine(),
        "",
        *sections,
        f"All benchmarks took {time.perf_counter() - started:.0f} s.",
        "",
    ]
    Path(args.out).write_text("\n".join(page), encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
