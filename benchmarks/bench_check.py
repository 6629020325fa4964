"""Benchmark: verdicts from rules evaluated in our own loop, against a pluggy call per rule.

The design choice (packs contribute rule records once; the core loops over them) rests on a
pluggy call costing several times a plain function call. This measures both in one run on the
installed packs and reports ratios, never absolute thresholds:

    python benchmarks/bench_check.py [--cases 2000]
"""

from __future__ import annotations

import argparse
import time
from datetime import date

import pluggy
from hypothesis import HealthCheck, given, settings

import socialwork_procurement as swp
from socialwork_procurement.testing import strategies as sst


def generate_cases(n: int) -> list[swp.Case]:
    found: list[swp.Case] = []

    @settings(max_examples=n, database=None, suppress_health_check=list(HealthCheck), deadline=None)
    @given(sst.cases())
    def collect(case: swp.Case) -> None:
        found.append(case)

    collect()
    return found


def per_rule_plugin_manager(rules: list[swp.Rule]) -> pluggy.PluginManager:
    """A baseline that asks pluggy for a verdict per rule, as a naive design would."""
    spec = pluggy.HookspecMarker("bench")
    impl = pluggy.HookimplMarker("bench")

    class Spec:
        @spec(firstresult=True)
        def bench_evaluate(self, rule_id: str, case: swp.Case, on: date) -> swp.RuleResult | None:
            raise NotImplementedError

    class Pack:
        def __init__(self, by_id: dict[str, swp.Rule]) -> None:
            self.by_id = by_id

        @impl
        def bench_evaluate(self, rule_id: str, case: swp.Case, on: date) -> swp.RuleResult | None:
            rule = self.by_id.get(rule_id)
            return rule.predicate(case, on) if rule is not None and rule.predicate is not None else None

    pm = pluggy.PluginManager("bench")
    pm.add_hookspecs(Spec)
    pm.register(Pack({r.rule_id: r for r in rules}))
    return pm


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    args = parser.parse_args()
    registry = swp.load_registry()
    cases = generate_cases(args.cases)
    on = date(2023, 6, 1)
    print(f"{len(cases)} generated cases, checked on {on}")
    for region in ("henan", "xiamen", "ningxia"):
        layers = registry.layers(region)
        rules = [r for layer in layers for r in registry.rules(layer, on=on) if r.predicate is not None]
        pm = per_rule_plugin_manager(rules)

        start = time.perf_counter()
        for case in cases:
            for rule in rules:
                assert rule.predicate is not None
                rule.predicate(case, on)
        own_loop = time.perf_counter() - start

        start = time.perf_counter()
        for case in cases:
            for rule in rules:
                pm.hook.bench_evaluate(rule_id=rule.rule_id, case=case, on=on)
        per_call = time.perf_counter() - start

        start = time.perf_counter()
        for case in cases:
            registry.check(case, region=region, on=on)
        full = time.perf_counter() - start

        print(
            f"{region:8} {len(rules):3} rules: pluggy call per rule / own loop = {per_call / own_loop:5.1f}x; "
            f"full verdict (findings, conflicts, trace) / bare predicates = {full / own_loop:4.1f}x; "
            f"{len(cases) / full:8.0f} verdicts/s"
        )


if __name__ == "__main__":
    main()
