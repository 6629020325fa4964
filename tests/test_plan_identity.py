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
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
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


def assert_same(
    reg: swp.Registry, case: swp.Case, region: str, on: date, national: bool, *, output: bool = True
) -> swp.Verdict:
    """Every path of the registry agrees with the reference on ``case``; the reference verdict is returned.

    With ``output``, the JSON and the text report of each verdict too (the slow part).
    """
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
        for lang in ("zh", "en") if output else ():
            assert verdict_json(got, lang) == verdict_json(want, lang), (where, lang)
            assert verdict_text(got, lang, show_all=True, quotes=True) == verdict_text(
                want, lang, show_all=True, quotes=True
            ), (where, lang)
    failing = tuple(f.rule_id for f in want.findings if f.rule.strength in GATING and f.outcome is swp.Outcome.FAIL)
    assert plan.decision(case) == (want.decision, failing), f"plan.decision for {region} on {on} (national {national})"
    assert [(rule, pack, result) for rule, pack, result in plan.results(case)] == [
        (
            f.rule,
            f.pack,
            swp.RuleResult(f.outcome, f.path, f.detail_zh, f.detail_en, f.deciding, f.attestation, f.declared_false),
        )
        for f in want.findings
    ]
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


# -- predicates that misbehave, and results built afresh ---------------------------------------------

ON = date(2015, 3, 1)


def with_rule(predicate: swp.Predicate) -> swp.Registry:
    """Xiamen and the national layer as loaded, plus one hard contractor rule of Xiamen's with ``predicate``."""
    reg = registry(True)
    model = reg.rule("xiamen.contractor.independent_legal_person", on=ON)
    extra = swp.Rule(
        rule_id="xiamen.contractor.zz_extra",
        region="xiamen",
        kind=model.kind,
        strength=swp.Strength.HARD,
        subject=model.subject,
        effective_from=model.effective_from,
        effective_to=None,
        citation=model.citation,
        message_zh="测试规则",
        message_en="a test rule",
        predicate=predicate,
    )
    rules = [c for code in ("national", "xiamen") for c in reg.rule_contributions(code)]
    return swp.Registry(
        regions={code: swp.Contribution(reg.region_pack(code), reg.region(code)) for code in ("national", "xiamen")},
        rules=[*rules, swp.Contribution("test-extra", extra)],
        silences=[
            swp.Contribution(reg.region_pack(code), s) for code in ("national", "xiamen") for s in reg.silences(code)
        ],
        indicators=[],
        periods=[],
        packs=reg.packs,
    )


def contractor(name: str, **facts: Any) -> swp.Case:
    return swp.Case(contractor=swp.Contractor(name=name, legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, **facts))


def test_results_built_afresh_for_every_case_give_the_reference_verdict() -> None:
    # More distinct results than the plan keeps findings for, each a new object: every verdict must
    # still carry its own case's detail, also once the kept findings are dropped and built again.
    def fresh(case: swp.Case, on: date) -> swp.RuleResult:
        assert case.contractor is not None
        outcome = swp.Outcome.FAIL if case.contractor.name.endswith("7") else swp.Outcome.PASS
        return swp.RuleResult(outcome, "$.contractor.name", f"名称 {case.contractor.name}", case.contractor.name)

    reg = with_rule(fresh)
    for n in range(700):
        case = contractor(f"机构{n % 600}", independent_legal_person=True)
        verdict = assert_same(reg, case, "xiamen", ON, True, output=n % 50 == 0)
        (mine,) = (f for f in verdict.findings if f.rule_id == "xiamen.contractor.zz_extra")
        assert mine.detail_en == f"机构{n % 600}"


@pytest.mark.parametrize(
    ("predicate", "message"),
    [
        (lambda case, on: {"outcome": "pass"}, "returned dict, not a RuleResult"),
        (lambda case, on: None, "returned NoneType, not a RuleResult"),
        (lambda case, on: case.contractor.name[99], "raised IndexError: string index out of range"),
        (lambda case, on: (_ for _ in ()).throw(SystemExit(3)), "raised SystemExit: 3"),
    ],
)
def test_a_misbehaving_predicate_is_the_packs_error_on_every_path(predicate: Any, message: str) -> None:
    reg = with_rule(predicate)
    plan = reg.plan("xiamen", ON)
    case = contractor("某社工服务中心")
    for path in (plan.check, plan.decision, plan.results):
        with pytest.raises(
            swp.PluginError, match="rule xiamen.contractor.zz_extra of pack test-extra " + message
        ) as info:
            path(case)
        assert info.value.distribution == "test-extra"


def test_a_predicate_that_fails_on_some_cases_leaves_the_others_alone() -> None:
    def picky(case: swp.Case, on: date) -> swp.RuleResult:
        assert case.contractor is not None
        if case.contractor.name == "坏":
            raise ValueError("bad name")
        return swp.passed("$.contractor.name")

    reg = with_rule(picky)
    plan = reg.plan("xiamen", ON)
    for name in ("好", "坏", "好", "坏", "好"):
        if name == "坏":
            with pytest.raises(swp.PluginError, match="raised ValueError: bad name"):
                plan.check(contractor(name))
        else:
            assert_same(reg, contractor(name, independent_legal_person=True), "xiamen", ON, True)


# -- conflicts between layers, on every combination of outcomes ------------------------------------

OUTCOMES = {
    "pass": lambda: swp.passed("$.contractor"),
    "fail": lambda: swp.failed("$.contractor", "fails", "不符合"),
    "fail, declared false": lambda: swp.failed("$.contractor", "declared unmet", "已申报不符合", declared_false=True),
    "unknown": lambda: swp.unknown("$.contractor.legal_form"),
    "not applicable": lambda: swp.not_applicable("$.contractor"),
}
LAYERED = (
    # (rule id, region, question, strength)
    ("national.contractor.zz_one", swp.NATIONAL, "contractor.type", swp.Strength.HARD),
    ("national.contractor.zz_two", swp.NATIONAL, "contractor.type", swp.Strength.HARD_DEFAULT),
    ("national.purchaser.zz_three", swp.NATIONAL, "purchaser.type", swp.Strength.HARD),
    ("national.contractor.zz_soft", swp.NATIONAL, "contractor.type", swp.Strength.SOFT),
    ("synthland.contractor.one", "synthland", "contractor.type", swp.Strength.HARD),
    ("synthland.contractor.two", "synthland", "contractor.type", swp.Strength.HARD),
    ("synthland.purchaser.three", "synthland", "purchaser.type", swp.Strength.HARD_DEFAULT),
    ("synthland.contractor.soft", "synthland", "contractor.type", swp.Strength.SOFT),
    ("synthland.contractor.plain", "synthland", None, swp.Strength.HARD),
)


ALL_PASS = dict.fromkeys((rule_id for rule_id, *_ in LAYERED), "pass")
LAYERED_ON = date(2020, 6, 1)


def answers(make: Callable[[], swp.RuleResult]) -> swp.Predicate:
    def predicate(case: swp.Case, on: date) -> swp.RuleResult:
        return make()

    return predicate


def layered_registry(outcomes: dict[str, str], *, regional_ends: date | None) -> swp.Registry:
    """The national region and a region of its own, each with rules that answer the same questions."""
    national = registry(True)
    model = national.rule("xiamen.contractor.independent_legal_person", on=ON)
    synthland = swp.Region(code="synthland", name_zh="合成地", name_en="Synthland", sources=(), parent="national")
    rules = []
    for rule_id, region, question, strength in LAYERED:
        make = OUTCOMES[outcomes[rule_id]]
        rule = swp.Rule(
            rule_id=rule_id,
            region=region,
            kind=model.kind,
            strength=strength,
            subject=model.subject,
            effective_from=date(2020, 1, 1),
            effective_to=regional_ends if region == "synthland" else None,
            citation=model.citation,
            message_zh="测试规则",
            message_en="a test rule",
            predicate=answers(make),
            question=question,
        )
        rules.append(swp.Contribution("test-layers", rule))
    return swp.Registry(
        regions={
            "national": swp.Contribution(national.region_pack("national"), national.region("national")),
            "synthland": swp.Contribution("test-layers", synthland),
        },
        rules=rules,
        silences=[],
        indicators=[],
        periods=[],
        packs=[swp.PackRef("test-layers", "0", ("synthland",))],
    )


@settings(suppress_health_check=[HealthCheck.too_slow], deadline=None, max_examples=300)
@given(
    outcomes=st.fixed_dictionaries({rule_id: st.sampled_from(sorted(OUTCOMES)) for rule_id, *_ in LAYERED}),
    regional_ends=st.sampled_from([None, date(2020, 12, 31)]),
    on=st.sampled_from([date(2019, 12, 31), date(2020, 6, 1), date(2021, 6, 1)]),
    national=st.booleans(),
)
@example(outcomes=ALL_PASS | {"national.contractor.zz_one": "fail"}, regional_ends=None, on=LAYERED_ON, national=True)
@example(
    outcomes=ALL_PASS | {"national.contractor.zz_one": "fail", "synthland.contractor.two": "unknown"},
    regional_ends=None,
    on=LAYERED_ON,
    national=True,
)
@example(
    outcomes=ALL_PASS | {"national.contractor.zz_one": "fail, declared false"},
    regional_ends=None,
    on=LAYERED_ON,
    national=True,
)
@example(
    outcomes=ALL_PASS | {"national.contractor.zz_one": "fail", "national.contractor.zz_two": "fail, declared false"},
    regional_ends=None,
    on=LAYERED_ON,
    national=True,
)
def test_conflicts_between_layers_match_the_reference(
    outcomes: dict[str, str], regional_ends: date | None, on: date, national: bool
) -> None:
    reg = layered_registry(outcomes, regional_ends=regional_ends)
    assert_same(reg, contractor("某社工服务中心"), "synthland", on, national, output=False)


def test_the_layered_cases_reach_conflicts_and_declared_failures() -> None:
    # The examples above are the cases the conflict pairing turns on.
    case = contractor("某社工服务中心")
    conflicted = reference_check(
        layered_registry(ALL_PASS | {"national.contractor.zz_one": "fail"}, regional_ends=None),
        case,
        "synthland",
        LAYERED_ON,
        True,
    )
    assert [(c.regional.rule_id, c.national.rule_id) for c in conflicted.conflicts] == [
        ("synthland.contractor.one", "national.contractor.zz_one"),
        ("synthland.contractor.two", "national.contractor.zz_one"),
    ]
    assert conflicted.decision is swp.Decision.UNDETERMINED
    declared = ALL_PASS | {"national.contractor.zz_one": "fail, declared false"}
    not_yes = ALL_PASS | {"national.contractor.zz_one": "fail", "synthland.contractor.two": "unknown"}
    for outcomes in (declared, not_yes):
        verdict = reference_check(layered_registry(outcomes, regional_ends=None), case, "synthland", LAYERED_ON, True)
        assert verdict.conflicts == ()
        assert verdict.decision is swp.Decision.INELIGIBLE


def test_the_plan_keeps_no_attestation_of_a_case_it_checked() -> None:
    # Findings are kept to be shared between cases; an attested pass is one case's own, and once the
    # caller lets go of the case and its verdict, nothing of the registry holds on to who attested it.
    import gc
    import weakref

    reg = registry(True)
    attestation = swp.Attestation(
        condition="xiamen.contractor.social_work_service_agency",
        attested_by="思明区民政局 王五",
        basis="民办非企业单位登记证书:业务范围为社会工作服务",
        date=date(2015, 2, 1),
    )
    case = swp.Case(
        contractor=swp.Contractor(name="某社工服务中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT),
        attestations=(attestation,),
    )
    verdict = assert_same(reg, case, "xiamen", ON, True, output=False)
    assert any(f.attestation == attestation for f in verdict.findings)  # the case is one the memo could keep
    gone = weakref.ref(attestation)
    del attestation, case, verdict
    gc.collect()
    assert gone() is None
