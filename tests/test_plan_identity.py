"""The compiled check plan gives the verdicts a plain evaluation gives (issue 10).

The reference below is written out plainly, without the plan: for each layer of the region (the
national layer first, then each parent down to the region asked), each rule of that layer in force on
the day with a predicate, in rule-id order, is called and its result made a finding; conflicts and the
decision follow RULES.md as :meth:`Registry.check` documents them; the trace, silences and the
«region not in force» dates are read from the registry's records. ``Registry.check``, ``plan.check``
and ``plan.decision`` must agree with it on every pack's scenarios and on generated cases: the same
decision, the same findings (rule, outcome, path, details, pack, deciding facts, attestation), the same
conflicts, and the same JSON and text output in both languages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialwork_procurement as swp
from socialwork_procurement.cli._output import verdict_text
from socialwork_procurement.export._json import verdict_json
from socialwork_procurement.model._converter import structure
from socialwork_procurement.rules._registry import _input_warnings
from socialwork_procurement.testing import strategies as sst
from socialwork_procurement.testing.pytest_plugin import _load

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
GATING = (swp.Strength.HARD, swp.Strength.HARD_DEFAULT)


@functools.cache
def registry(national: bool) -> swp.Registry:
    return swp.load_registry(national=national)


# -- the reference ---------------------------------------------------------------------------------


def reference_layers(reg: swp.Registry, region: str, national: bool) -> tuple[str, ...]:
    """The region, its parents down to the national layer, outermost first; the national layer only if asked."""
    chain = [region]
    parent = reg.region(region).parent
    while parent is not None and parent not in chain:
        try:
            reg.region(parent)
        except swp.UnknownRegion:
            break  # a parent no pack declares is no layer
        chain.append(parent)
        parent = reg.region(parent).parent
    if not national:
        chain = [code for code in chain if code != swp.NATIONAL or code == region]
    return tuple(reversed(chain))


def in_force(effective_from: date, effective_to: date | None, on: date) -> bool:
    return effective_from <= on and (effective_to is None or on <= effective_to)


def reference_conflicts(findings: list[swp.Finding]) -> tuple[swp.Conflict, ...]:
    """RULES.md: a regional answer that allows (every applied gating rule on the question passes) where a
    national gating rule on the same question fails (not a stated condition declared unmet)."""
    questions = sorted({f.rule.question for f in findings if f.rule.question is not None})
    out: list[swp.Conflict] = []
    for question in questions:
        applied = [
            f
            for f in findings
            if f.rule.question == question and f.rule.strength in GATING and f.outcome is not swp.Outcome.NOT_APPLICABLE
        ]
        national = [f for f in applied if f.rule.region == swp.NATIONAL]
        regional = [f for f in applied if f.rule.region != swp.NATIONAL]
        failing = [f for f in national if f.outcome is swp.Outcome.FAIL and not f.declared_false]
        if not failing or not regional or any(f.outcome is not swp.Outcome.PASS for f in regional):
            continue
        for nf in failing:
            for rf in regional:
                out.append(
                    swp.Conflict(
                        regional=rf,
                        national=nf,
                        message_zh=(
                            f"地方规则 {rf.rule_id}({rf.rule.effective_from} 起)允许,"
                            f"而国家规则 {nf.rule_id}({nf.rule.effective_from} 起)不允许:两者冲突,需人工判断"
                        ),
                        message_en=(
                            f"regional rule {rf.rule_id} (from {rf.rule.effective_from}) allows this but "
                            f"national rule {nf.rule_id} (from {nf.rule.effective_from}) does not: "
                            "the two conflict and the library does not choose between them"
                        ),
                    )
                )
    return tuple(out)


def reference_not_in_force(reg: swp.Registry, region: str, on: date) -> swp.RegionNotInForce | None:
    own = reg.rules(region)
    if not own or any(in_force(r.effective_from, r.effective_to, on) for r in own):
        return None
    first = min(r.effective_from for r in own)
    if on < first:
        return swp.RegionNotInForce(region=region, on=on, first_in_force=first)
    ended = [r.effective_to for r in own if r.effective_to is not None and r.effective_to < on]
    return swp.RegionNotInForce(region=region, on=on, first_in_force=first, last_in_force=max(ended))


def reference_check(reg: swp.Registry, case: swp.Case, region: str, on: date, national: bool) -> swp.Verdict:
    layers = reference_layers(reg, region, national)
    findings: list[swp.Finding] = []
    refs_in: list[swp.RuleRef] = []
    refs_out: list[swp.RuleRef] = []
    used = {reg.region_pack(layer) for layer in layers}
    for layer in layers:
        for c in reg.rule_contributions(layer):
            rule = c.record
            ref = swp.RuleRef(rule.rule_id, rule.region, rule.effective_from, rule.effective_to, c.pack)
            if not in_force(rule.effective_from, rule.effective_to, on):
                refs_out.append(ref)
                continue
            refs_in.append(ref)
            used.add(c.pack)
            if rule.predicate is None:
                continue
            result = rule.predicate(case, on)
            findings.append(
                swp.Finding(
                    rule,
                    result.outcome,
                    result.path,
                    result.detail_zh,
                    result.detail_en,
                    c.pack,
                    deciding=result.deciding,
                    attestation=result.attestation,
                    declared_false=result.declared_false,
                )
            )
    conflicts = reference_conflicts(findings)
    gap = reference_not_in_force(reg, region, on)
    in_conflict = [f for c in conflicts for f in (c.regional, c.national)]
    applied = [f for f in findings if f.rule.strength in GATING and f.outcome is not swp.Outcome.NOT_APPLICABLE]
    if any(f.outcome is swp.Outcome.FAIL and f not in in_conflict for f in applied):
        decision = swp.Decision.INELIGIBLE
    elif conflicts or not applied or gap is not None or any(f.outcome is swp.Outcome.UNKNOWN for f in applied):
        decision = swp.Decision.UNDETERMINED
    else:
        decision = swp.Decision.ELIGIBLE
    silences = tuple(
        s for layer in layers for s in reg.silences(layer) if in_force(s.effective_from, s.effective_to, on)
    )
    return swp.Verdict(
        region=region,
        on=on,
        decision=decision,
        findings=tuple(findings),
        conflicts=conflicts,
        trace=swp.Trace(
            packs=tuple(p for p in reg.packs if p.distribution in used),
            layers=layers,
            rules_in_force=tuple(refs_in),
            rules_not_in_force=tuple(refs_out),
        ),
        # Not the plan's work: the USCC warnings are the same function on both sides.
        input_warnings=_input_warnings(case),
        silences=silences,
        region_not_in_force=gap,
    )


# -- the comparison ----------------------------------------------------------------------------------


def finding_row(f: swp.Finding) -> tuple[Any, ...]:
    return (
        f.rule_id,
        f.rule.effective_from,
        f.outcome,
        f.path,
        f.detail_zh,
        f.detail_en,
        f.pack,
        f.deciding,
        f.attestation,
        f.declared_false,
    )


def assert_same(reg: swp.Registry, case: swp.Case, region: str, on: date, national: bool) -> swp.Verdict:
    """Every path of the registry agrees with the reference on ``case``; the reference verdict is returned."""
    want = reference_check(reg, case, region, on, national)
    plan = reg.plan(region, on, national=national)
    for name, got in (
        ("Registry.check", reg.check(case, region=region, on=on, national=national)),
        ("plan.check", plan.check(case)),
        ("plan.check again", plan.check(case)),
    ):
        where = f"{name} for {region} on {on} (national {national})"
        assert got.decision is want.decision, where
        assert [finding_row(f) for f in got.findings] == [finding_row(f) for f in want.findings], where
        assert [(c.regional, c.national, c.message_zh, c.message_en) for c in got.conflicts] == [
            (c.regional, c.national, c.message_zh, c.message_en) for c in want.conflicts
        ], where
        assert got == want, where
        for lang in ("zh", "en"):
            assert verdict_json(got, lang) == verdict_json(want, lang), (where, lang)
            assert verdict_text(got, lang, show_all=True, quotes=True) == verdict_text(
                want, lang, show_all=True, quotes=True
            ), (where, lang)
    return want


def scenarios() -> Iterator[Any]:
    for path in sorted(PLUGINS.glob("*/tests/swp_scenarios*.yaml")):
        data = _load(path)
        for spec in data["scenarios"]:
            if "fee" in spec:
                continue  # a fee question, not a check
            yield pytest.param(
                spec.get("region", data["region"]),
                date.fromisoformat(str(spec["on"])),
                spec.get("national", True),
                spec.get("case", {}),
                id=f"{path.parent.parent.name}: {spec['name']}",
            )


@pytest.mark.parametrize(("region", "on", "national", "data"), list(scenarios()))
def test_every_scenario_gets_the_reference_verdict(region: str, on: date, national: bool, data: Any) -> None:
    assert_same(registry(national), structure(data, swp.Case), region, on, national)


def test_the_scenarios_reach_every_decision_and_a_conflict() -> None:
    # Guards the test above against a scenario set that no longer exercises what it compares.
    seen: set[swp.Decision] = set()
    conflicts = 0
    for param in scenarios():
        region, on, national, data = param.values
        verdict = reference_check(registry(national), structure(data, swp.Case), region, on, national)
        seen.add(verdict.decision)
        conflicts += len(verdict.conflicts)
    assert seen == set(swp.Decision)
    assert conflicts > 0


@functools.cache
def boundary_days() -> tuple[date, ...]:
    """The days around every rule's first and last day: where the rules in force change."""
    days: set[date] = set()
    reg = registry(True)
    for region in reg.regions():
        for rule in reg.rules(region.code):
            for day in (rule.effective_from, rule.effective_to):
                if day is not None:
                    days |= {day - timedelta(days=1), day, day + timedelta(days=1)}
    return tuple(sorted(days))


def days() -> st.SearchStrategy[date]:
    return sst.dates() | st.sampled_from(boundary_days())


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(case=sst.cases(), data=st.data(), national=st.booleans())
def test_generated_cases_get_the_reference_verdict(case: swp.Case, data: st.DataObject, national: bool) -> None:
    reg = registry(national)
    region = data.draw(st.sampled_from([r.code for r in reg.regions()]), label="region")
    assert_same(reg, case, region, data.draw(days(), label="on"), national)


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(contractor=sst.contractors(), data=st.data())
def test_generated_contractors_get_the_reference_verdict(contractor: swp.Contractor, data: st.DataObject) -> None:
    # The shape of a screening run and of benchmarks/bench_check.py: a contractor alone.
    reg = registry(True)
    region = data.draw(st.sampled_from([r.code for r in reg.regions()]), label="region")
    assert_same(reg, swp.Case(contractor=contractor), region, data.draw(days(), label="on"), True)
