"""Benchmark: one lifecycle transition, ours against the `transitions` library (issue 10).

Ours: a Xiamen purchase from draft to closed (open and 13 steps), every step guarded by the
region's rules on its day and recorded as a versioned event through canonical JSON and the hash
chain (an in-memory store, no disk; see ``bench_lifecycle.py``).

The peer: a ``transitions.Machine`` with the same states and transitions, each with a guard
(``conditions``) and an ``after`` callback that records the step as an event the same way
(canonical JSON and a SHA-256 chain). Its guards are plain attribute tests: it checks no rule, so
the ratio is the price of checking every step against cited rules, not a like-for-like engine.

    python benchmarks/bench_lifecycle_peer.py [--runs 300]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import time
from pathlib import Path
from typing import Any

import bench_lifecycle  # noqa: E402  (benchmarks/ is the script's directory)

STATES = ["draft", "needs_assessed", "budget_approved", "tendering", "awarded", "contracted", "in_service",
          "midterm_evaluated", "final_evaluated", "accepted", "closed"]
STEPS = ["assess", "approve_budget", "start_tender", "award", "sign", "start_service", "midterm", "final",
         "review", "accept", "close"]


class Purchase:
    """The model object `transitions` drives: its guard facts and its event log."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []
        self.prev = "0" * 64
        self.purchaser_may_buy = True
        self.contractor_eligible = True
        self.terms_complete = True
        self.evaluated = True

    def may(self, *_args: Any, **_kwargs: Any) -> bool:
        return self.purchaser_may_buy and self.contractor_eligible and self.terms_complete and self.evaluated

    def record(self, *_args: Any, **kwargs: Any) -> None:
        payload = json.dumps({"step": len(self.events), **kwargs}, sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256((self.prev + payload).encode()).hexdigest()
        self.events.append((payload, digest))
        self.prev = digest


def peer_run(runs: int) -> float:
    from transitions import Machine

    per_run: list[float] = []
    for i in range(runs + 3):
        start = time.perf_counter()
        model = Purchase()
        machine = Machine(model=model, states=STATES, initial="draft", auto_transitions=False)
        # The review step stays in final_evaluated, as our three-party review does.
        path = [*STATES[1:9], "final_evaluated", *STATES[9:]]
        for trigger, source, dest in zip(STEPS, ["draft", *path[:-1]], path, strict=False):
            machine.add_transition(trigger, source, dest, conditions="may", after="record")
        model.record()  # the case is opened with an event too
        for trigger in STEPS:
            getattr(model, trigger)()
        elapsed = time.perf_counter() - start
        assert model.state == "closed" and len(model.events) == 1 + len(STEPS)  # type: ignore[attr-defined]
        if i >= 3:
            per_run.append(elapsed / (1 + len(STEPS)))
    fastest = sorted(per_run)[: max(1, len(per_run) // 3)]
    return statistics.fmean(fastest) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        import transitions
    except ImportError:
        print("transitions is not installed (pip install -e '.[bench]'): only ours is measured")
        print(f"ours: {bench_lifecycle.purchase_run(args.runs):.1f} µs per transition")
        return
    ours = bench_lifecycle.purchase_run(args.runs)
    peer = peer_run(args.runs)
    if args.json:
        print(json.dumps({"ours_us": ours, "transitions_us": peer}))
        return
    print(f"per transition (mean of the fastest third of {args.runs} purchases, open included):")
    print(f"  ours, every step checked against the region's rules and recorded: {ours:8.1f} µs")
    print(f"  transitions {transitions.__version__}, plain guards and a recorded event: {peer:8.1f} µs")
    print(f"  ratio ours / transitions: {ours / peer:.2f}x slower (target: at most 1x)")


if __name__ == "__main__":
    Path(__file__).resolve()  # the script's directory is on sys.path, so bench_lifecycle imports
    main()
