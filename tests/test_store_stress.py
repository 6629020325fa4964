"""Stress tests of the SQLite store with real processes: racing writers and SIGKILL.

Marked ``slow`` for anyone who wants to deselect them (``-m "not slow"``), but they run in
the default ``pytest`` run and take a few seconds each. Figures (events/s) are measured by
``benchmarks/bench_store.py``, never asserted here.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # spawn children import workers by name

import _store_workers as workers

from socialwork_procurement.store._sqlite import SQLiteEventStore

pytestmark = pytest.mark.slow

SRC = Path(__file__).resolve().parent.parent / "src"


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    paths = [str(SRC), str(Path(__file__).parent), env.get("PYTHONPATH", "")]
    env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    return env


def test_processes_racing_on_one_case_store_every_event_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """N spawned processes append M events each to one case, retrying on conflict:
    exactly N*M events, versions 1..N*M, every (writer, seq) exactly once."""
    writers, per_writer = 4, 50
    path = str(tmp_path / "race.sqlite3")
    SQLiteEventStore(path).close()  # schema exists before the race starts
    ctx = multiprocessing.get_context("spawn")
    start = ctx.Barrier(writers)
    results = ctx.Queue()
    monkeypatch.setenv("PYTHONPATH", _child_env()["PYTHONPATH"])  # for the spawned children
    procs = [
        ctx.Process(
            target=workers.append_with_retry,
            args=(path, "案件-race", w, per_writer, start, results),
        )
        for w in range(writers)
    ]
    for p in procs:
        p.start()
    reports = dict(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert all(isinstance(v, int) for v in reports.values()), reports
    with SQLiteEventStore(path) as store:
        events = store.load("案件-race")  # also verifies the hash chain
        store.verify("案件-race")
        assert store.verify_all().ok
    assert [e.version for e in events] == list(range(1, writers * per_writer + 1))
    seen = Counter((e.payload["writer"], e.payload["seq"]) for e in events)
    assert seen == Counter({(w, s): 1 for w in range(writers) for s in range(per_writer)})
    print(f"conflicts retried per writer: {reports}")


@pytest.mark.skipif("forkserver" not in multiprocessing.get_all_start_methods(), reason="needs fork + SIGKILL")
def test_sigkill_never_loses_an_acknowledged_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Kill an appending child with SIGKILL at random moments (opening the store and
    creating the schema included); after each kill the file is intact, every append the
    child saw return is there unchanged, and the chain verifies.

    Children come from a forkserver that has the library preloaded, so a round costs the
    random delay, not an interpreter start-up.
    """
    rounds = 20
    path = str(tmp_path / "killed.sqlite3")
    monkeypatch.setenv("PYTHONPATH", _child_env()["PYTHONPATH"])  # the server preloads by name
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["socialwork_procurement.store._sqlite", "_store_workers"])
    rng = random.Random(20240301)
    acknowledged: dict[int, str] = {}
    for round_number in range(rounds):
        ack_path = tmp_path / f"ack-{round_number}.txt"
        child = ctx.Process(target=workers.append_forever, args=(path, str(ack_path)))
        child.start()
        if round_number % 4 == 0:  # any moment, store opening included
            time.sleep(rng.uniform(0.0, 0.05))
        else:  # mid-stream: after the first acknowledged append
            deadline = time.monotonic() + 30
            while not (ack_path.exists() and ack_path.stat().st_size):
                assert time.monotonic() < deadline, "child never acknowledged an append"
                time.sleep(0.001)
            time.sleep(rng.uniform(0.0, 0.2))
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(timeout=30)
        assert child.exitcode == -signal.SIGKILL
        if ack_path.exists():
            for line in ack_path.read_text().splitlines(keepends=True):
                if line.endswith("\n"):  # a torn last line was never fully acknowledged
                    number, digest = line.split()
                    acknowledged[int(number)] = digest

        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        finally:
            conn.close()
        with SQLiteEventStore(path) as store:
            events = store.load(workers.KILLED_CASE)  # verifies hashes, links and head
            report = store.verify_all()  # and positions, schemes, triggers: a kill leaves none half-made
            assert report.ok, (report.problems, report.broken_triggers)
        assert [e.version for e in events] == list(range(1, len(events) + 1))
        by_version = {e.version: e.hash for e in events}
        for acked, digest in acknowledged.items():
            assert by_version.get(acked) == digest, f"round {round_number}: lost version {acked}"
    assert len(acknowledged) > rounds  # the test did exercise appends
    print(f"{rounds} kills, {len(acknowledged)} acknowledged appends, all present")
