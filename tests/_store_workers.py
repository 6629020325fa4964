"""Child-process code for ``test_store_stress.py`` and ``test_store_integrity.py``.

Lives in its own importable module because ``multiprocessing`` children (spawn and
forkserver start methods) import the target function by name in another interpreter, and
fault probes run as ``python _store_workers.py ACTION PATH`` inside a private mount.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sys
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from socialwork_procurement._errors import ConcurrencyConflict
from socialwork_procurement.store._protocol import NewEvent
from socialwork_procurement.store._sqlite import SQLiteEventStore

if sys.platform != "win32":
    import resource

if TYPE_CHECKING:
    from multiprocessing.queues import Queue
    from multiprocessing.synchronize import Barrier

KILLED_CASE = "案件-killed"


def append_with_retry(path: str, case_id: str, writer: int, count: int, start: Barrier, results: Queue[object]) -> None:
    """Append *count* single events to one shared case, re-reading the version on every
    conflict; report how many conflicts it had to retry (or the error)."""
    try:
        conflicts = 0
        with SQLiteEventStore(path) as store:
            start.wait(timeout=60)
            for seq in range(count):
                while True:
                    seen = store.version(case_id)
                    time.sleep(random.uniform(0, 0.002))  # "think": invite other writers in
                    try:
                        store.append(
                            case_id,
                            seen,
                            [NewEvent("Written", 1, {"writer": writer, "seq": seq}, datetime.now(UTC))],
                        )
                        break
                    except ConcurrencyConflict:
                        conflicts += 1
        results.put((writer, conflicts))
    except BaseException as exc:  # reported to the parent, which fails the test
        results.put((writer, repr(exc)))


def append_forever(path: str, ack_path: str) -> None:
    """Append batches of 1-3 events until killed. After each append *returns* (i.e. has
    committed), append ``version hash`` to *ack_path* with one unbuffered ``write``: the
    line reaches the OS page cache, which a SIGKILL of this process does not lose."""
    ack = os.open(ack_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    with SQLiteEventStore(path) as store:
        version = store.version(KILLED_CASE)
        n = 0
        while True:
            batch = [
                NewEvent("Tick", 1, {"n": n, "i": i, "文本": "社会工作服务" * (i + 1)}, datetime.now(UTC))
                for i in range(1 + n % 3)
            ]
            stored = store.append(KILLED_CASE, version, batch)
            version = stored[-1].version
            os.write(ack, f"{version} {stored[-1].hash}\n".encode())
            n += 1


def probe(action: str, path: str) -> None:
    """Run one store action and print its outcome as JSON lines, for fault tests that need
    a process of their own (a private mount namespace, a file-size limit).

    ``prepare`` creates a store with one event; ``open`` opens one and loads it; ``fill``
    appends 20 kB events until the store refuses, then reports how many were acknowledged
    and how many a fresh store object loads back.
    """
    acknowledged = 0
    try:
        if action == "prepare":
            with SQLiteEventStore(path) as store:
                store.append("c", 0, [NewEvent("Noted", 1, {"n": 0}, datetime.now(UTC))])
        elif action == "open":
            with SQLiteEventStore(path) as store:
                store.load("c")
        elif action == "fill":
            with SQLiteEventStore(path) as store:
                while True:
                    event = NewEvent("Noted", 1, {"n": acknowledged, "文本": "社" * 7000}, datetime.now(UTC))
                    store.append("c", acknowledged, [event])
                    acknowledged += 1
        outcome: dict[str, object] = {"ok": True}
    except Exception as exc:  # reported to the parent, which asserts on it
        outcome = {
            "error": type(exc).__name__,
            "kind": getattr(exc, "kind", None),
            "message": str(exc),
            "acknowledged": acknowledged,
        }
    print(json.dumps(outcome, ensure_ascii=False), flush=True)
    if action == "fill":
        with SQLiteEventStore(path) as store:
            print(json.dumps({"loaded": len(store.load("c"))}), flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--file-size-limit":
        # Writes past the limit fail with EFBIG instead of killing the process (SIGXFSZ).
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), int(sys.argv[2])))
        probe("fill", sys.argv[3])
    else:
        probe(sys.argv[1], sys.argv[2])
