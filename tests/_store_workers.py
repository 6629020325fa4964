"""Child-process code for ``test_store_stress.py``.

Lives in its own importable module because ``multiprocessing`` children (spawn and
forkserver start methods) import the target function by name in another interpreter.
"""

from __future__ import annotations

import os
import random
import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from socialwork_procurement._errors import ConcurrencyConflict
from socialwork_procurement.store._protocol import NewEvent
from socialwork_procurement.store._sqlite import SQLiteEventStore

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
