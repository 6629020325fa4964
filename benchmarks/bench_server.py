"""A bounded load test of the HTTP API on the loopback interface: concurrent checks, concurrent commands.

Usage::

    pip install -e ".[server]"
    python benchmarks/bench_server.py [--checks 2000] [--commands 1000] [--threads 8] [--cases 4]
        [--max-seconds 120] [--postgres postgresql://postgres@127.0.0.1:5432/test --servers 2]

It starts ``swp serve`` itself (one process per ``--servers``, each on a free port of 127.0.0.1, an
SQLite store in a temporary directory, or a throwaway schema of ``--postgres``, dropped afterwards),
sends a fixed number of requests from ``--threads`` threads, and stops by itself: when the requests
are done or ``--max-seconds`` have passed, whichever is first. Nothing is sent anywhere but
127.0.0.1.

Two phases. **Checks**: ``POST /regions/xiamen/check`` with the documented example case. **Commands**:
``--cases`` purchases are opened, then ``record_disclosure`` commands (allowed in any state that is
not final) are sent to them round robin from every thread, so several threads write to one case at
once and the server's optimistic concurrency has to decide again; with several servers the
threads alternate between them. Then every case's history is read back and compared with what the
answers said was stored: an event accepted (200) but missing is *lost*, one stored twice or not
answered for is *duplicated*. Each phase reports requests per second, p50/p99 latency, and the
errors (a transport failure, a 5xx, or any status the API does not document for the call).
A 409 ``concurrency_conflict`` (other writers won three times running) is counted apart: it is a
documented answer that stored nothing, not an error.

Figures depend on the machine (and SQLite's on the disk's fsync): compare runs on one machine,
never assert speed in a test (``tests/test_server_load.py`` asserts only 0 errors and 0 lost events).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CASE = (REPO / "docs" / "examples" / "xiamen-case.json").read_bytes()
OPEN = (REPO / "docs" / "examples" / "lifecycle" / "01-open.json").read_bytes()
DISCLOSE = json.dumps(
    {
        "command": "record_disclosure",
        "actor": "张主任",
        "role": "purchaser",
        "on": "2015-01-20",
        "items": ["project_content"],
        "where": "街道门户网站",
    },
    ensure_ascii=False,
).encode("utf-8")


class Phase:
    """What one phase measured: latencies of the answered requests, errors, conflicts, time taken."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.conflicts = 0
        self.seconds = 0.0
        self.planned = 0
        self._lock = threading.Lock()

    def record(self, seconds: float, error: str | None = None, conflict: bool = False) -> None:
        with self._lock:
            self.latencies.append(seconds)
            if error is not None:
                self.errors.append(error)
            if conflict:
                self.conflicts += 1

    @property
    def done(self) -> int:
        return len(self.latencies)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else float("nan")

    def summary(self) -> dict[str, Any]:
        return {
            "phase": self.name,
            "planned": self.planned,
            "done": self.done,
            "seconds": round(self.seconds, 3),
            "requests_per_second": round(self.done / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(self.percentile(0.50) * 1000, 2),
            "p99_ms": round(self.percentile(0.99) * 1000, 2),
            "mean_ms": round(statistics.fmean(self.latencies) * 1000, 2) if self.latencies else float("nan"),
            "errors": len(self.errors),
            "conflicts": self.conflicts,
            "first_errors": self.errors[:5],
        }


def _spread(total: int, threads: int) -> list[int]:
    return [total // threads + (1 if i < total % threads else 0) for i in range(threads)]


def _run_threads(
    phase: Phase, threads: int, total: int, deadline: float, work: Callable[[httpx.Client, int, int], None],
    urls: Sequence[str],
) -> None:
    phase.planned = total
    barrier = threading.Barrier(threads + 1)

    def worker(number: int, count: int) -> None:
        with httpx.Client(base_url=urls[number % len(urls)], timeout=60.0) as client:
            barrier.wait()
            for i in range(count):
                if time.monotonic() > deadline:
                    return
                work(client, number, i)

    pool = [threading.Thread(target=worker, args=(n, c), daemon=True) for n, c in enumerate(_spread(total, threads))]
    for thread in pool:
        thread.start()
    barrier.wait()
    started = time.perf_counter()
    for thread in pool:
        thread.join()
    phase.seconds = time.perf_counter() - started


def check_phase(urls: Sequence[str], *, requests: int, threads: int, deadline: float) -> Phase:
    phase = Phase("checks")

    def work(client: httpx.Client, _number: int, _i: int) -> None:
        started = time.perf_counter()
        try:
            answer = client.post("/api/v1/regions/xiamen/check?on=2015-03-01", content=CASE,
                                 headers={"Content-Type": "application/json"})
        except httpx.HTTPError as exc:
            phase.record(time.perf_counter() - started, f"transport: {type(exc).__name__}: {exc}")
            return
        elapsed = time.perf_counter() - started
        if answer.status_code != 200 or answer.json().get("decision") != "eligible":
            phase.record(elapsed, f"check: {answer.status_code} {answer.text[:200]}")
        else:
            phase.record(elapsed)

    _run_threads(phase, threads, requests, deadline, work, urls)
    return phase


class Ledger:
    """What the answers said was stored, to compare with the histories afterwards."""

    def __init__(self) -> None:
        self.hashes: dict[str, list[str]] = {}
        self._lock = threading.Lock()

    def add(self, case_id: str, appended: Sequence[dict[str, Any]]) -> None:
        with self._lock:
            self.hashes.setdefault(case_id, []).extend(e["hash"] for e in appended)


def command_phase(
    urls: Sequence[str], *, requests: int, threads: int, cases: int, deadline: float
) -> tuple[Phase, Ledger, list[str]]:
    phase = Phase("commands")
    ledger = Ledger()
    run = uuid.uuid4().hex[:8]
    case_ids = [f"LOAD-{run}-{n}" for n in range(cases)]
    with httpx.Client(base_url=urls[0], timeout=60.0) as client:
        for case_id in case_ids:
            answer = client.put(f"/api/v1/cases/{case_id}", content=OPEN)
            if answer.status_code != 201:
                raise RuntimeError(f"could not open {case_id}: {answer.status_code} {answer.text[:300]}")
            ledger.add(case_id, answer.json()["appended"])

    def work(client: httpx.Client, number: int, i: int) -> None:
        case_id = case_ids[(number + i) % len(case_ids)]
        started = time.perf_counter()
        try:
            answer = client.post(f"/api/v1/cases/{case_id}/commands", content=DISCLOSE)
        except httpx.HTTPError as exc:
            phase.record(time.perf_counter() - started, f"transport: {type(exc).__name__}: {exc}")
            return
        elapsed = time.perf_counter() - started
        if answer.status_code == 200:
            ledger.add(case_id, answer.json()["appended"])
            phase.record(elapsed)
        elif answer.status_code == 409 and answer.json().get("error") == "concurrency_conflict":
            phase.record(elapsed, conflict=True)
        else:
            phase.record(elapsed, f"command: {answer.status_code} {answer.text[:200]}")

    _run_threads(phase, threads, requests, deadline, work, urls)
    return phase, ledger, case_ids


def audit(url: str, ledger: Ledger, case_ids: Sequence[str]) -> dict[str, int]:
    """Every event the answers reported is stored exactly once, and nothing else is; each chain verifies."""
    lost = duplicated = unaccounted = broken = stored = 0
    with httpx.Client(base_url=url, timeout=60.0) as client:
        for case_id in case_ids:
            history = client.get(f"/api/v1/cases/{case_id}/history").json()
            hashes = [e["hash"] for e in history]
            stored += len(hashes)
            answered = ledger.hashes.get(case_id, [])
            lost += len(set(answered) - set(hashes))
            duplicated += len(hashes) - len(set(hashes)) + (len(answered) - len(set(answered)))
            unaccounted += len(set(hashes) - set(answered))
            versions = [e["version"] for e in history]
            if versions != list(range(1, len(versions) + 1)):
                broken += 1
            if client.get(f"/api/v1/cases/{case_id}/verify").json().get("ok") is not True:
                broken += 1
    return {"stored_events": stored, "lost_events": lost, "duplicated_events": duplicated,
            "unaccounted_events": unaccounted, "broken_chains": broken}


def run_load(
    urls: Sequence[str], *, checks: int, commands: int, threads: int, cases: int, max_seconds: float
) -> dict[str, Any]:
    """Both phases against running servers; stops at ``max_seconds`` in all whatever is left."""
    deadline = time.monotonic() + max_seconds
    checked = check_phase(urls, requests=checks, threads=threads, deadline=deadline)
    commanded, ledger, case_ids = command_phase(urls, requests=commands, threads=threads, cases=cases,
                                                deadline=deadline)
    return {
        "threads": threads,
        "servers": len(urls),
        "cases": cases,
        "case_ids": case_ids,
        "phases": [checked.summary(), commanded.summary()],
        "audit": audit(urls[0], ledger, case_ids),
        "stopped_by_deadline": time.monotonic() > deadline,
    }


@contextlib.contextmanager
def servers(count: int, postgres: str | None) -> Iterator[list[str]]:
    """``count`` running ``swp serve`` processes on one store (a throwaway PostgreSQL schema, or SQLite)."""
    from socialwork_procurement.server._process import LiveServer

    schema = None
    with tempfile.TemporaryDirectory(prefix="swp-bench-") as folder:
        if postgres:
            schema = f"swp_bench_{uuid.uuid4().hex[:10]}"
            store = postgres
        else:
            if count > 1:
                raise SystemExit("several servers share a PostgreSQL store: give --postgres")
            store = str(Path(folder) / "cases.sqlite")
        started: list[LiveServer] = []
        try:
            for _ in range(count):
                started.append(LiveServer(store=store, schema=schema, cwd=folder).start())
            yield [s.url for s in started]
        finally:
            for server in started:
                server.stop()
            if schema is not None:
                import psycopg

                with psycopg.connect(postgres, autocommit=True) as conn:
                    conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--checks", type=int, default=2000)
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--cases", type=int, default=4, help="purchases the commands go to (fewer: more contention)")
    parser.add_argument("--max-seconds", type=float, default=120.0, help="stop here whatever is left")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL DSN (default: none, SQLite)")
    parser.add_argument("--servers", type=int, default=1, help="server processes on the one store (PostgreSQL)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with servers(args.servers, args.postgres) as urls:
        result = run_load(urls, checks=args.checks, commands=args.commands, threads=args.threads, cases=args.cases,
                          max_seconds=args.max_seconds)
    result["store"] = "postgresql" if args.postgres else "sqlite"
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    print(f"{result['servers']} server(s) on {result['store']}, {args.threads} threads, {args.cases} cases, "
          f"127.0.0.1 only")
    print(f"{'phase':<10} {'done':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'409s':>6}")
    for p in result["phases"]:
        print(f"{p['phase']:<10} {p['done']:>4}/{p['planned']:<3} {p['requests_per_second']:>7} {p['p50_ms']:>8} "
              f"{p['p99_ms']:>8} {p['errors']:>7} {p['conflicts']:>6}")
        for error in p["first_errors"]:
            print(f"    {error}")
    audit_row = result["audit"]
    print("events: " + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in audit_row.items()))
    if result["stopped_by_deadline"]:
        print(f"stopped at --max-seconds {args.max_seconds}: not every request was sent")
    failed = any(p["errors"] for p in result["phases"]) or any(
        audit_row[k] for k in ("lost_events", "duplicated_events", "unaccounted_events", "broken_chains")
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
