"""A lifecycle step asks only the rules its findings can come from (issue 10), and decides exactly
as if it had asked every rule in force.

Every command of the demo's three purchases and of the test kit's Xiamen purchase, good and bad
variants included, is decided twice on the same state: by the guard as it is (a plan scoped to
the step's subjects and kinds, plus the rules sharing a question with them) and by the guard
made to use the whole plan. The events (or the refusal, with its findings) must be the same.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import socialwork_procurement as swp
from socialwork_procurement.cli._demo import PURCHASES, CommandStep
from socialwork_procurement.lifecycle import _guards
from socialwork_procurement.lifecycle._events import encode_event
from socialwork_procurement.lifecycle._procurement import Procurement, decide_command

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit


def _decided(state: Any, command: swp.Command, registry: swp.Registry) -> tuple[object, ...]:
    try:
        events = decide_command(state, command, registry)
    except swp.CommandRefused as exc:
        return (type(exc), str(exc), exc.findings)
    return tuple(encode_event(e) for e in events)


def _variants(command: swp.Command) -> list[swp.Command]:
    """The command, and where it has them, variants the rules answer differently."""
    out = [command]
    if isinstance(command, swp.StartTender):
        out += [attrs.evolve(command, contractor_conditions_non_discriminatory=v) for v in (None, False)]
        out.append(attrs.evolve(command, method=swp.ProcurementMethod.OTHER))
    if isinstance(command, swp.SignContract):
        out += [attrs.evolve(command, negative_list_items=None), attrs.evolve(command, stated_terms=frozenset())]
    if isinstance(command, swp.Award):
        out.append(attrs.evolve(command, contractor=attrs.evolve(command.contractor, non_profit=False)))
    return out


def _purchases() -> list[tuple[str, list[swp.Command]]]:
    out = [("kit-xiamen", [kit.open_command(), *(c for _n, c in kit.xiamen_steps())])]
    for purchase in PURCHASES:
        out.append((purchase.key, [s.command for s in purchase.steps if isinstance(s, CommandStep)]))
    return out


@pytest.mark.parametrize(("key", "commands"), _purchases(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_scoped_step_decides_as_the_whole_plan(
    key: str, commands: list[swp.Command], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = kit.registry()
    region = commands[0].region  # type: ignore[attr-defined]
    kit.require_region(region)
    store = kit.new_store(tmp_path / "cases.sqlite")
    proc: Procurement | None = None
    compared = 0
    for command in commands:
        for variant in _variants(command):
            state = proc.state if proc is not None else None
            scoped = _decided(state, variant, registry)
            with monkeypatch.context() as m:
                m.setattr(_guards, "_scoped_plan", lambda plan, _subjects, _kinds: plan)
                whole = _decided(state, variant, registry)
            assert scoped == whole, f"{key}: {type(variant).__name__} decided differently when scoped"
            compared += 1
        try:  # go on along the purchase as the demo does (a refused step leaves the state as it was)
            if proc is None:
                proc = Procurement.create(store, registry, key, command)  # type: ignore[arg-type]
            else:
                proc.execute(command)
        except swp.CommandRefused:
            pass
    assert proc is not None and compared > len(commands)


@pytest.mark.parametrize("subject", list(swp.Subject))
def test_a_restricted_plan_gives_the_whole_plans_findings_for_what_it_keeps(subject: swp.Subject) -> None:
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from socialwork_procurement.testing import strategies as swp_st

    registry = kit.registry()
    regions = [r.code for r in registry.regions() if r.code != "national"]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(case=swp_st.cases(), region=st.sampled_from(regions), on=swp_st.dates())
    def check(case: swp.Case, region: str, on: Any) -> None:
        plan = registry.plan(region, on)
        restricted = plan.restricted(lambda rule: rule.subject is subject)
        whole = [f for f in plan.check(case).findings if f.rule.subject is subject]
        assert list(restricted.check(case).findings) == whole
        assert restricted.trace == plan.trace and restricted.silences == plan.silences

    check()
