"""Benchmark: what one lifecycle step costs, and whether it grows with the case's evaluations.

Two figures, measured in one run on the installed packs (the Xiamen pack is needed):

* a Xiamen purchase from draft to closed (open and 13 steps, each with its events, 15 events):
  microseconds per transition (the mean of the fastest third of ``--runs`` purchases);
* one more evaluation recorded on a case that already holds 10, 1,000 and 10,000: microseconds
  per step (the fastest third of ``--steps``), and how much of it is ``registry.check`` itself (the region packs'
  predicates, which read every evaluation of the case, so that part grows with the case) and
  how much is the lifecycle's own work around it.

The events go to a small in-memory store (JSON round trip and hash chain as a real store does,
no disk), so the figures are the library's and not the disk's. It prints figures and ratios
(the cost at 10,000 evaluations over the cost at 10); never assert on them in a test.

Compare with an older version of the library by extracting its ``src`` somewhere and naming it
(the same benchmark is then run on it in a subprocess with that ``PYTHONPATH``, and the ratios
before / after printed); name the packs' ``src`` folders too to hold the packs fixed::

    git archive HEAD src | tar -x -C /tmp/before
    python benchmarks/bench_lifecycle.py --baseline /tmp/before/src
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._events import encode_event
from socialwork_procurement.lifecycle._procurement import Procurement
from socialwork_procurement.store._protocol import (
    CaseSummary,
    NewEvent,
    Snapshot,
    StoredEvent,
    event_hash,
    payload_json,
)

try:  # the stores' own encoder (issue 10); an older library being compared has only payload_json
    from socialwork_procurement.store._protocol import _encode_payload
except ImportError:

    def _encode_payload(payload: Any) -> tuple[str, Any]:
        text = payload_json(payload)
        return text, json.loads(text)

EVALUATION_COUNTS = (10, 1_000, 10_000)


class MemoryStore:
    """Just enough of the event store for the lifecycle: payloads go through canonical JSON and
    the hash chain as in a real store, and nothing touches the disk."""

    def __init__(self) -> None:
        self._events: dict[str, list[StoredEvent]] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self._position = 0

    def append(self, case_id: str, expected_version: int, events: Sequence[NewEvent]) -> tuple[StoredEvent, ...]:
        stored = self._events.setdefault(case_id, [])
        if len(stored) != expected_version:
            raise swp.ConcurrencyConflict(case_id, expected_version, len(stored))
        prev = stored[-1].hash if stored else "0" * 64
        out = []
        for e in events:
            text, value = _encode_payload(e.payload)  # as the SQLite and PostgreSQL stores encode
            self._position += 1
            version = len(stored) + 1
            recorded_at = e.recorded_at.isoformat()
            digest = event_hash(
                case_id=case_id,
                version=version,
                event_type=e.event_type,
                schema_version=e.schema_version,
                payload_json=text,
                recorded_at=recorded_at,
                prev_hash=prev,
            )
            record = StoredEvent(
                case_id,
                version,
                self._position,
                e.event_type,
                e.schema_version,
                value,
                e.recorded_at,
                prev,
                digest,
            )
            stored.append(record)
            out.append(record)
            prev = digest
        return tuple(out)

    def load(self, case_id: str, *, after_version: int = 0) -> tuple[StoredEvent, ...]:
        return tuple(self._events.get(case_id, [])[after_version:])

    def version(self, case_id: str) -> int:
        return len(self._events.get(case_id, []))

    def list_cases(self) -> tuple[CaseSummary, ...]:
        return ()

    def stream(self, *, after_position: int = 0, limit: int | None = None) -> Iterator[StoredEvent]:
        return iter(())

    def save_snapshot(self, snapshot: Snapshot) -> None:
        self._snapshots[snapshot.case_id] = snapshot

    def load_snapshot(self, case_id: str) -> Snapshot | None:
        return self._snapshots.get(case_id)

    def verify(self, case_id: str) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> MemoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        pass


def _least(times: Sequence[float]) -> float:
    """The mean of the fastest third: other processes on the machine only ever add time, so the
    least disturbed runs are the library's cost (a median still moves with the machine's load)."""
    fastest = sorted(times)[: max(1, len(times) // 3)]
    return statistics.fmean(fastest)


def _clock() -> datetime:
    return datetime(2015, 1, 20, tzinfo=UTC)


def purchase_run(runs: int) -> float:
    """Median microseconds per transition of a whole Xiamen purchase (open included)."""
    steps = [command for _name, command in kit.xiamen_steps()]
    registry = kit.registry()
    per_run: list[float] = []
    for i in range(runs + 3):  # the first three warm the caches and are not counted
        store: Any = MemoryStore()
        start = time.perf_counter()
        proc = Procurement.create(store, registry, f"XM-{i}", kit.open_command(), clock=_clock)
        for command in steps:
            proc.execute(command)
        elapsed = time.perf_counter() - start
        assert proc.state.status is swp.State.CLOSED
        assert proc.version == 15
        if i >= 3:
            per_run.append(elapsed / (1 + len(steps)))
    return _least(per_run) * 1e6


class TimedRegistry:
    """The registry, timing the rule checks a step makes: the step's cost minus that time is the
    lifecycle's own (measured within the same step, so the two share the machine's noise).

    The check is timed where every path ends, ``CheckPlan.check`` (``registry.check`` is
    ``plan(...).check``, and the lifecycle may check a plan scoped to the step), so the figure is
    the same on an older version of the library that called ``registry.check``."""

    def __init__(self, inner: swp.Registry) -> None:
        self.inner = inner
        self.in_check = 0.0
        plan_type = type(inner.plan("xiamen", date(2015, 3, 1)))
        original = plan_type.check
        timer = self

        def timed_check(plan: Any, case: swp.Case) -> swp.Verdict:
            start = time.perf_counter()
            try:
                return original(plan, case)
            finally:
                timer.in_check += time.perf_counter() - start

        plan_type.check = timed_check  # this process only runs the benchmark

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def one_more_evaluation(count: int, steps: int) -> dict[str, float]:
    """Microseconds to record one more evaluation on a case holding ``count`` (median), and how
    much of it is ``registry.check``."""
    store: Any = MemoryStore()
    proc = kit.xiamen_until(store, "midterm", clock=_clock)  # one mid-term evaluation on record
    recorded = proc.history()[-1].event
    event_type, schema_version, payload = encode_event(recorded)
    filler = [NewEvent(event_type, schema_version, payload, _clock()) for _ in range(count - 1)]
    store.append(proc.case_id, proc.version, filler)
    registry: Any = TimedRegistry(kit.registry())
    proc = Procurement.open(store, registry, proc.case_id, clock=_clock)
    assert len(proc.state.evaluations) == count
    command = kit.evaluation_command(date(2015, 9, 1), kit.M)
    totals: list[float] = []
    checks: list[float] = []
    for _ in range(steps):
        registry.in_check = 0.0
        start = time.perf_counter()
        proc.execute(command)
        totals.append(time.perf_counter() - start)
        checks.append(registry.in_check)
    owns = [t - c for t, c in zip(totals, checks, strict=True)]
    return {"total": _least(totals) * 1e6, "check": _least(checks) * 1e6, "own": _least(owns) * 1e6}


def measure(runs: int, steps: int) -> dict[str, Any]:
    return {
        "transition": purchase_run(runs),
        "evaluation": {str(n): one_more_evaluation(n, steps) for n in EVALUATION_COUNTS},
    }


def report(figures: dict[str, Any], before: dict[str, Any] | None) -> None:
    def ratio(now: float, then: float | None) -> str:
        return f"   before/after {then / now:5.2f}x" if then else ""

    then = before["transition"] if before else None
    print(f"Xiamen draft -> closed: {figures['transition']:8.1f} us per transition{ratio(figures['transition'], then)}")
    print("One more evaluation (us per step; check = registry.check, own = the lifecycle's part):")
    for n in EVALUATION_COUNTS:
        f = figures["evaluation"][str(n)]
        b = before["evaluation"][str(n)] if before else None
        line = f"  at {n:>6}: total {f['total']:9.1f}  check {f['check']:9.1f}  own {f['own']:8.1f}"
        if b:
            line += (
                f"   before/after: total {b['total'] / f['total']:5.2f}x  own {b['own'] / max(f['own'], 1e-9):5.2f}x"
            )
        print(line)
    small, large = figures["evaluation"][str(EVALUATION_COUNTS[0])], figures["evaluation"][str(EVALUATION_COUNTS[-1])]
    print(
        f"Growth, {EVALUATION_COUNTS[-1]:,} over {EVALUATION_COUNTS[0]} evaluations: total "
        f"{large['total'] / small['total']:.1f}x, check {large['check'] / small['check']:.1f}x, "
        f"own {large['own'] / max(small['own'], 1e-9):.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=200, help="purchases for the per-transition figure")
    parser.add_argument("--steps", type=int, default=15, help="evaluations recorded at each case size")
    parser.add_argument(
        "--baseline", help=f"PYTHONPATH of another version (src folders, joined by {os.pathsep!r}) to compare with"
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    before = None
    if args.baseline is not None:
        env = {**os.environ, "PYTHONPATH": args.baseline}
        argv = [sys.executable, __file__, "--json", "--runs", str(args.runs), "--steps", str(args.steps)]
        before = json.loads(subprocess.run(argv, env=env, check=True, capture_output=True, text=True).stdout)
    figures = measure(args.runs, args.steps)
    if args.json:
        print(json.dumps(figures))
        return
    if before is not None:
        print(f"before: {args.baseline}  after: {Path(swp.__file__).parent}")
    report(figures, before)


if __name__ == "__main__":
    main()
