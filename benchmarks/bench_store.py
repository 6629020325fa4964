"""Event store throughput in one run: single-event vs batched appends, SQLite vs PostgreSQL,
unkeyed vs keyed (HMAC), and how fast a verified load and a full ``verify_all`` read.

Usage::

    PYTHONPATH=src python benchmarks/bench_store.py [--events 600] [--batch 50]
        [--postgres postgresql://postgres@127.0.0.1:5432/test]

PostgreSQL is measured when ``--postgres`` or ``SWP_TEST_POSTGRES_DSN`` gives a DSN (in a
throwaway schema, dropped afterwards). Figures depend on the disk's fsync latency more than
on anything in this library, so compare ratios, and never assert on them in tests.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from socialwork_procurement.store._protocol import EventStore, NewEvent
from socialwork_procurement.store._sqlite import SQLiteEventStore

PAYLOAD = {
    "项目名称": "社区养老社会工作服务项目",
    "budget": "1234567.89",
    "milestones": [["中期评估", "2024-06-30"], ["末期评估", "2024-12-31"]],
}


def _events(count: int) -> list[NewEvent]:
    now = datetime.now(UTC)
    return [NewEvent("Benchmarked", 1, {**PAYLOAD, "seq": i}, now) for i in range(count)]


def measure(store: EventStore, events: int, batch: int) -> dict[str, float]:
    """Events per second for single-event appends, batched appends, and a verified load."""
    single = _events(events)
    started = time.perf_counter()
    version = 0
    for one in single:
        version = store.append("single", version, [one])[-1].version
    single_rate = events / (time.perf_counter() - started)

    batched = _events(events)
    started = time.perf_counter()
    version = 0
    for i in range(0, events, batch):
        version = store.append("batched", version, batched[i : i + batch])[-1].version
    batched_rate = events / (time.perf_counter() - started)

    started = time.perf_counter()
    loaded = len(store.load("batched"))
    load_rate = loaded / (time.perf_counter() - started)

    started = time.perf_counter()
    report = store.verify_all()
    verify_rate = sum(c.version for c in report.cases) / (time.perf_counter() - started)
    assert report.ok, report.problems
    return {"single": single_rate, "batched": batched_rate, "load": load_rate, "verify": verify_rate}


BENCH_KEY = b"benchmark-key-not-a-secret-0123456789"


def _postgres(dsn: str, key: bytes | None) -> tuple[Callable[[], EventStore], Callable[[], None]]:
    import psycopg

    from socialwork_procurement.store._postgres import PostgresEventStore

    schema = f"swp_bench_{uuid.uuid4().hex[:10]}"

    def drop() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    return (lambda: PostgresEventStore(dsn, schema=schema, key=key)), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--postgres", default=os.environ.get("SWP_TEST_POSTGRES_DSN"))
    args = parser.parse_args()

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("FULL", "NORMAL"):
            with SQLiteEventStore(Path(tmp) / f"{mode}.sqlite3", synchronous=mode) as store:
                results[f"SQLite synchronous={mode}"] = measure(store, args.events, args.batch)
        with SQLiteEventStore(Path(tmp) / "keyed.sqlite3", key=BENCH_KEY) as store:
            results["SQLite FULL, keyed"] = measure(store, args.events, args.batch)
    if args.postgres:
        for name, key in (("PostgreSQL", None), ("PostgreSQL, keyed", BENCH_KEY)):
            open_store, drop = _postgres(args.postgres, key)
            try:
                with open_store() as store:
                    results[name] = measure(store, args.events, args.batch)
            finally:
                drop()

    print(f"{args.events} events per run, batches of {args.batch}; events/s")
    print(f"{'backend':<26}{'single':>10}{'batched':>10}{'ratio':>8}{'load':>10}{'verify':>10}")
    for name, r in results.items():
        ratio = r["batched"] / r["single"]
        print(
            f"{name:<26}{r['single']:>10.0f}{r['batched']:>10.0f}{ratio:>7.1f}x{r['load']:>10.0f}{r['verify']:>10.0f}"
        )
    if "PostgreSQL" in results:
        sqlite, pg = results["SQLite synchronous=FULL"], results["PostgreSQL"]
        print(
            "SQLite(FULL)/PostgreSQL: "
            f"single {sqlite['single'] / pg['single']:.1f}x, "
            f"batched {sqlite['batched'] / pg['batched']:.1f}x, "
            f"load {sqlite['load'] / pg['load']:.1f}x"
        )


if __name__ == "__main__":
    main()
