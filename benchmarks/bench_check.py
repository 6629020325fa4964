"""Benchmark: the Xiamen contractor check, ours against a plain function and zen-engine (issue 10, row 1).

N generated contractor-only cases (default 50,000) are checked for Xiamen on 2015-03-01, national
layer included, and every path is timed over all of them in the same run, in µs per record:

- ours, streamed: ``registry.check(case, region="xiamen", on=...)`` for each case, keeping only the
  decision and the failing rule ids;
- ours, kept: the same, keeping every :class:`Verdict` in a list (what a caller that reports them does);
- ours, plan: ``plan.check(case)`` on the compiled plan, without the registry's cache lookup;
- ours, decision only: ``plan.decision(case)``, the decision and the failing rule ids without a
  verdict (what a screening run that reports only those needs);
- the packs' predicates alone, called bare in a plain loop, answering nothing: the floor under every
  path of ours, since the core calls the packs' code and does not write it;
- a plain function written by hand from the rules in force that day (:func:`plain_check`);
- zen-engine: the same four hard rules as a JDM graph of decision tables and one expression node
  (:func:`zen_graph`), in each of its evaluation modes; the fastest is zen's figure.

Every path's decision and failing (gating) rule ids are checked equal to ours on every record, and
on a smaller sample drawn by the Hypothesis strategies (``--hypothesis``): any drift in the Xiamen
rules shows up as a failure naming the first records that differ, never as a figure.

The generated contractors are drawn by a seeded generator that fills every field
``socialwork_procurement.testing.strategies.contractors()`` fills (each optional fact absent, true or
false; every legal form; valid USCCs of every type code), half of them in the strategy's shape and
half in a registry's (facts mostly given and true), so that all three decisions occur: the
Hypothesis engine takes about 20 ms a contractor on this machine (16 minutes for 50,000), so it
draws only the equality sample. Inputs are built before the timing; zen-engine gets its input as
the small dict of facts its tables read, built beforehand too (the conversion cost is printed
beside it), which favours it. Its modes: ``engine.evaluate(key, input)`` with a loader returning the
precompiled ``ZenDecisionContent`` (the fastest here), ``engine.evaluate_batch``, and
``create_decision(content)`` once then ``decision.evaluate(input)`` (the documented basic use, about
15x slower than the loader in zen-engine 2.1.3); the two slower modes run on the first
``--slow-records`` records only, as does the pluggy comparison.

Each path runs ``--repeat`` times, the paths interleaved so that load on the machine falls on all of
them alike; the figure is the mean of the fastest third of the repeats, with the median and the CPU
time (all threads of the process) beside it: on a busy machine the wall time also counts other
processes' turns on the CPU, so each target is judged on both. Where a target of the issue is missed,
our streamed and decision-only paths are profiled and the top entries printed, and the share of
our time that is the packs' predicates themselves is shown, with what is left for the core.

    python benchmarks/bench_check.py [--contractors 50000] [--repeat 3] [--hypothesis 200] [--json]

Peers come from the ``bench`` extra (``pip install -e ".[bench]"``): without zen-engine, the rest is
measured and the zen figures say it is not installed.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import random
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from typing import Any

import pluggy

# Not public: the USCC alphabet the strategies draw from, and the plan's type.
import socialwork_procurement as swp
from socialwork_procurement.model._uscc import USCC_ALPHABET
from socialwork_procurement.rules._registry import CheckPlan

REGION = "xiamen"
ON = date(2015, 3, 1)
"""During the Xiamen pilot (2015-01-06 to 2016-06-30) and before 财政部令第102号 takes effect (2020-03-01)."""

TARGET_PLAIN = 2.0
"""Issue 10: at least 0.5x the speed of a plain function, so at most twice its time per record."""
TARGET_ZEN = 5.0
"""Issue 10: at least 5x faster than zen-engine's fastest mode."""

Output = tuple[swp.Decision, tuple[str, ...]]
"""What every path must agree on: the decision and the failing gating rule ids, in plan order."""

# -- generated contractors -------------------------------------------------------------------------

_TYPE_CODES = ("11", "12", "13", "51", "52", "53", "91", "92", "93", "N1", "N2", "N3", "Y1")
"""The type codes ``strategies.uscc_codes`` draws from."""
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" + "".join(
    chr(c) for c in range(0x4E00, 0x4E00 + 400)
)
_GOVERNANCE = (
    "internal_governance",
    "bylaws",
    "public_credibility",
    "operating_capacity",
    "professional_service_capacity",
)
_DAYS = (date(2030, 12, 31) - date(2010, 1, 1)).days


def _contractor(rng: random.Random, *, absent: float = 0.5, true: float = 0.5, listed: float = 0.0) -> swp.Contractor:
    """One contractor with every field ``strategies.contractors()`` draws.

    With the defaults, drawn as the strategy draws it: each optional fact or part absent half the
    time, a boolean true half the time, every legal form alike. ``absent``, ``true`` and ``listed``
    (the share of social organisations, on Xiamen's list) give the shape of a registry instead.
    """
    forms = list(swp.LegalForm)
    on_list = sorted(_ON_LIST)

    def given() -> bool:
        return rng.random() >= absent

    def opt_bool() -> bool | None:
        return rng.random() < true if given() else None

    def opt_day() -> date | None:
        return date(2010, 1, 1) + timedelta(days=rng.randrange(_DAYS + 1)) if given() else None

    def opt_count() -> int | None:
        return rng.randrange(501) if given() else None

    def opt_enum(members: Sequence[Any]) -> Any:
        return rng.choice(members) if given() else None

    grade = opt_enum(list(swp.EvaluationGrade))
    uscc = None
    if given():
        first17 = (
            rng.choice(_TYPE_CODES)
            + "".join(rng.choice("0123456789") for _ in range(6))
            + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
        )
        uscc = first17 + swp.uscc_check_char(first17)
    staff = None
    if given():
        certified = swp.CertifiedStaff(opt_count(), opt_count(), opt_count()) if given() else None
        staff = swp.Staff(
            full_time=opt_count(),
            social_work_professionals=opt_count(),
            certified=certified,
            professional_team=opt_bool(),
            mainly_social_work_professionals=opt_bool(),
        )
    governance = swp.Governance(*(opt_bool() for _ in _GOVERNANCE)) if given() else None
    return swp.Contractor(
        name="".join(rng.choice(_NAME_CHARS) for _ in range(rng.randint(1, 12))),
        legal_form=rng.choice(on_list if rng.random() < listed else forms),
        uscc=uscc,
        independent_legal_person=opt_bool(),
        lawfully_registered=opt_bool(),
        non_profit=opt_bool(),
        public_welfare=opt_bool(),
        budget_funded=opt_bool(),
        public_institution_category=opt_enum(list(swp.PublicInstitutionCategory)),
        registration_date=opt_day(),
        evaluation_grade=grade,
        grade_awarded_on=opt_day() if grade is not None else None,
        staff=staff,
        governance=governance,
        has_required_capacity=opt_bool(),
    )


def generated_cases(n: int, seed: int) -> list[swp.Case]:
    """``n`` contractor-only cases, the same for the same seed.

    Half are drawn in the strategy's shape, which is nearly always ineligible (one of many facts
    false) or undetermined; half in a registry's shape (facts mostly given and true, most
    contractors social organisations), so that eligible contractors, and every rule passing, are
    timed and checked too.
    """
    rng = random.Random(seed)
    return [
        swp.Case(
            contractor=_contractor(rng) if rng.random() < 0.5 else _contractor(rng, absent=0.05, true=0.9, listed=0.6)
        )
        for _ in range(n)
    ]


def hypothesis_cases(n: int) -> list[swp.Case]:
    """``n`` contractor-only cases drawn by the project's Hypothesis strategy (edge cases included)."""
    from hypothesis import HealthCheck, given, settings

    from socialwork_procurement.testing import strategies as sst

    found: list[swp.Case] = []

    @settings(max_examples=n, database=None, suppress_health_check=list(HealthCheck), deadline=None)
    @given(sst.contractors())
    def collect(contractor: swp.Contractor) -> None:
        found.append(swp.Case(contractor=contractor))

    collect()
    return found


# -- the plain function ------------------------------------------------------------------------------

GOVERNANCE_CAPACITY = "xiamen.contractor.governance_capacity"
INDEPENDENT_LEGAL_PERSON = "xiamen.contractor.independent_legal_person"
ORG_TYPE = "xiamen.contractor.org_type"
PROFESSIONAL_TEAM = "xiamen.contractor.professional_team"
PLAIN_RULES = (GOVERNANCE_CAPACITY, INDEPENDENT_LEGAL_PERSON, ORG_TYPE, PROFESSIONAL_TEAM)
"""The gating rules the plain function encodes, in plan order (rule ids sorted within the layer)."""

_ON_LIST = frozenset({swp.LegalForm.SOCIAL_GROUP, swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, swp.LegalForm.FOUNDATION})
_WITH_CAPACITY = frozenset({swp.LegalForm.ENTERPRISE, swp.LegalForm.PUBLIC_INSTITUTION})
_INDIVIDUAL = swp.LegalForm.INDIVIDUAL
_INELIGIBLE, _UNDETERMINED, _ELIGIBLE = swp.Decision.INELIGIBLE, swp.Decision.UNDETERMINED, swp.Decision.ELIGIBLE


def plain_check(case: swp.Case) -> Output:
    """Decision and failing rule ids of a contractor-only case for Xiamen on 2015-03-01, by hand.

    The national layer is consulted but has no rule in force that day (财政部令第102号 from
    2020-03-01), so it adds nothing: :func:`check_plain_covers` refuses to run on a plan where it
    would. Of Xiamen's rules, only the four hard contractor rules apply to a case with nothing but a
    contractor; the soft «private agencies are the main contractors» never gates. A contractor is
    always a part the hard rules apply to, so the decision is never «nothing applied».
    """
    c = case.contractor
    if (
        c is None
        or case.purchaser is not None
        or case.contract is not None
        or case.planning is not None
        or case.evaluations
    ):
        raise ValueError("the plain function answers contractor-only cases")
    failing: list[str] = []
    unknown = False
    g = c.governance
    if g is None:
        unknown = True
    else:
        facts = (
            g.internal_governance,
            g.bylaws,
            g.public_credibility,
            g.operating_capacity,
            g.professional_service_capacity,
        )
        if False in facts:
            failing.append(GOVERNANCE_CAPACITY)
        elif None in facts:
            unknown = True
    form = c.legal_form
    if form is _INDIVIDUAL:
        failing.append(INDEPENDENT_LEGAL_PERSON)
    else:
        independent = c.independent_legal_person
        if independent is None:
            unknown = True
        elif not independent:
            failing.append(INDEPENDENT_LEGAL_PERSON)
    if form not in _ON_LIST:
        if form in _WITH_CAPACITY:
            capacity = c.has_required_capacity
            if capacity is None:
                unknown = True
            elif not capacity:
                failing.append(ORG_TYPE)
        else:
            failing.append(ORG_TYPE)
    team = None if c.staff is None else c.staff.professional_team
    if team is None:
        unknown = True
    elif not team:
        failing.append(PROFESSIONAL_TEAM)
    if failing:
        return _INELIGIBLE, tuple(failing)
    return (_UNDETERMINED if unknown else _ELIGIBLE), ()


def check_plain_covers(plan: CheckPlan) -> None:
    """Refuse to measure when the rules in force are not the ones the plain function encodes."""
    gating = [rule for rule, _pack, _predicate in plan.steps if rule.strength.gates]
    national = [rule.rule_id for rule in gating if rule.region == swp.NATIONAL]
    contractor = tuple(rule.rule_id for rule in gating if rule.subject is swp.Subject.CONTRACTOR)
    problems = []
    if national:
        problems.append(f"national rules in force on {plan.on}, which the plain function does not encode: {national}")
    if contractor != PLAIN_RULES:
        problems.append(f"the gating contractor rules in force are {contractor}; the plain function's: {PLAIN_RULES}")
    if plan.dormant is not None:
        problems.append(f"no Xiamen source is in force on {plan.on}")
    if problems:
        sys.exit("bench_check: update the plain function and the zen graph:\n  " + "\n  ".join(problems))


# -- ours --------------------------------------------------------------------------------------------


def verdict_output(verdict: swp.Verdict) -> Output:
    return verdict.decision, tuple(f.rule.rule_id for f in verdict.failures)


# -- zen-engine --------------------------------------------------------------------------------------

_OUTCOME_FIELDS = {
    GOVERNANCE_CAPACITY: "outcome_governance_capacity",
    INDEPENDENT_LEGAL_PERSON: "outcome_independent_legal_person",
    ORG_TYPE: "outcome_org_type",
    PROFESSIONAL_TEAM: "outcome_professional_team",
}


def _values(forms: frozenset[swp.LegalForm]) -> str:
    """A unary cell matching any of ``forms`` (ZEN: comma-separated alternatives)."""
    return ", ".join(json.dumps(f.value) for f in sorted(forms))


def _table(
    node_id: str, rule_id: str, fields: Sequence[str], rows: Sequence[tuple[Sequence[str], str]]
) -> dict[str, Any]:
    """A first-hit decision table: each row's cells are unary tests on ``fields`` ('' matches anything)."""
    out_field = _OUTCOME_FIELDS[rule_id]
    inputs = [{"id": f"{node_id}_in{k}", "name": field, "field": field} for k, field in enumerate(fields)]
    rules = []
    for n, (cells, outcome) in enumerate(rows):
        row = {"_id": f"{node_id}_row{n}", f"{node_id}_out": json.dumps(outcome)}
        row.update({f"{node_id}_in{k}": cell for k, cell in enumerate(cells)})
        rules.append(row)
    return {
        "id": node_id,
        "type": "decisionTableNode",
        "name": rule_id,
        "position": {"x": 300, "y": 0},
        "content": {
            "hitPolicy": "first",
            "inputs": inputs,
            "rules": rules,
            "outputs": [{"id": f"{node_id}_out", "name": out_field, "field": out_field}],
        },
    }


def zen_graph() -> dict[str, Any]:
    """The four hard Xiamen contractor rules as JDM: a decision table each, then the decision and failing ids.

    Every rule of the plain function is expressed; none had to be left out.
    """
    governance = [f"governance.{name}" for name in _GOVERNANCE]
    blank = [""] * len(_GOVERNANCE)
    tables = [
        _table(
            "governance",
            GOVERNANCE_CAPACITY,
            ["governance", *governance],
            [
                (["null", *blank], "unknown"),
                *(([""] + ["false" if j == i else "" for j in range(len(blank))], "fail") for i in range(len(blank))),
                *(([""] + ["null" if j == i else "" for j in range(len(blank))], "unknown") for i in range(len(blank))),
                (["", *blank], "pass"),
            ],
        ),
        _table(
            "legal_person",
            INDEPENDENT_LEGAL_PERSON,
            ["legal_form", "independent_legal_person"],
            [
                ([json.dumps(_INDIVIDUAL.value), ""], "fail"),
                (["", "true"], "pass"),
                (["", "false"], "fail"),
                (["", ""], "unknown"),
            ],
        ),
        _table(
            "org_type",
            ORG_TYPE,
            ["legal_form", "has_required_capacity"],
            [
                ([_values(_ON_LIST), ""], "pass"),
                ([_values(_WITH_CAPACITY), "true"], "pass"),
                ([_values(_WITH_CAPACITY), "false"], "fail"),
                ([_values(_WITH_CAPACITY), ""], "unknown"),
                (["", ""], "fail"),
            ],
        ),
        _table(
            "team",
            PROFESSIONAL_TEAM,
            ["professional_team"],
            [
                (["true"], "pass"),
                (["false"], "fail"),
                ([""], "unknown"),
            ],
        ),
    ]
    outcomes = [_OUTCOME_FIELDS[rule_id] for rule_id in PLAIN_RULES]
    each = ", ".join(f"{o} == 'fail' ? '{r}' : null" for r, o in zip(PLAIN_RULES, outcomes, strict=True))
    failing = f"filter([{each}], # != null)"
    any_fail = " or ".join(f"{o} == 'fail'" for o in outcomes)
    any_unknown = " or ".join(f"{o} == 'unknown'" for o in outcomes)
    decision = f"({any_fail}) ? 'ineligible' : (({any_unknown}) ? 'undetermined' : 'eligible')"
    nodes: list[dict[str, Any]] = [
        {"id": "request", "type": "inputNode", "name": "contractor", "position": {"x": 0, "y": 0}, "content": {}},
        *tables,
        {
            "id": "decide",
            "type": "expressionNode",
            "name": "decision",
            "position": {"x": 600, "y": 0},
            "content": {
                "expressions": [
                    {"id": "failing", "key": "failing", "value": failing},
                    {"id": "decision", "key": "decision", "value": decision},
                ]
            },
        },
        {"id": "response", "type": "outputNode", "name": "verdict", "position": {"x": 900, "y": 0}, "content": {}},
    ]
    edges = [
        *({"id": f"request-{t['id']}", "sourceId": "request", "targetId": t["id"]} for t in tables),
        *({"id": f"{t['id']}-decide", "sourceId": t["id"], "targetId": "decide"} for t in tables),
        {"id": "decide-response", "sourceId": "decide", "targetId": "response"},
    ]
    return {"nodes": nodes, "edges": edges}


def zen_input(case: swp.Case) -> dict[str, Any]:
    """The facts the zen tables read, as a JSON-shaped dict."""
    c = case.contractor
    assert c is not None
    g = c.governance
    return {
        "legal_form": c.legal_form.value,
        "independent_legal_person": c.independent_legal_person,
        "has_required_capacity": c.has_required_capacity,
        "professional_team": None if c.staff is None else c.staff.professional_team,
        "governance": None if g is None else {name: getattr(g, name) for name in _GOVERNANCE},
    }


def zen_output(response: Mapping[str, Any]) -> Output:
    result = response["result"]
    return swp.Decision(result["decision"]), tuple(result["failing"])


# -- timing ------------------------------------------------------------------------------------------


class Timed:
    """One way of answering every record, timed over all of them per repeat."""

    def __init__(
        self, name: str, run: Callable[[], list[Any]], to_output: Callable[[Any], Output] | None, records: int
    ) -> None:
        self.name = name
        self.run = run
        self.to_output = to_output
        self.records = records
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.outputs: list[Output] | None = None

    def once(self) -> None:
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        answers = self.run()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        self.wall.append(wall / self.records * 1e6)
        self.cpu.append(cpu / self.records * 1e6)
        if self.outputs is None:
            self.outputs = [self.to_output(a) for a in answers] if self.to_output else answers
        del answers

    @property
    def fastest(self) -> float:
        """Mean of the fastest third of the repeats, µs per record."""
        return statistics.fmean(sorted(self.wall)[: max(1, len(self.wall) // 3)])

    @property
    def fastest_cpu(self) -> float:
        return statistics.fmean(sorted(self.cpu)[: max(1, len(self.cpu) // 3)])

    def figures(self) -> dict[str, float]:
        return {
            "us_fastest_third": self.fastest,
            "us_median": statistics.median(self.wall),
            "cpu_us_fastest_third": self.fastest_cpu,
            "records": self.records,
        }


def compare(name: str, got: Sequence[Output], want: Sequence[Output], cases: Sequence[swp.Case]) -> list[str]:
    """The records where ``got`` differs from ``want`` (the first few, described)."""
    if len(got) != len(want):
        return [f"{name}: {len(got)} answers for {len(want)} records"]
    bad = [i for i, (a, b) in enumerate(zip(got, want, strict=True)) if (str(a[0]), a[1]) != (str(b[0]), b[1])]
    return (
        [f"{name} differs on {len(bad)} of {len(want)} records"]
        + [
            f"  record {i}: {name} {got[i][0]} {list(got[i][1])}, ours {want[i][0]} {list(want[i][1])}: "
            f"{cases[i].contractor!r}"
            for i in bad[:5]
        ]
        if bad
        else []
    )


def pluggy_per_rule(plan: CheckPlan, cases: Sequence[swp.Case], repeat: int) -> tuple[float, float]:
    """µs per record of the plan's bare predicates, in our own loop and through a pluggy call per rule."""
    spec, impl = pluggy.HookspecMarker("bench"), pluggy.HookimplMarker("bench")

    class Spec:
        @spec(firstresult=True)
        def bench_evaluate(self, rule_id: str, case: swp.Case, on: date) -> swp.RuleResult | None:
            raise NotImplementedError

    class Pack:
        def __init__(self, by_id: dict[str, swp.Predicate]) -> None:
            self.by_id = by_id

        @impl
        def bench_evaluate(self, rule_id: str, case: swp.Case, on: date) -> swp.RuleResult | None:
            predicate = self.by_id.get(rule_id)
            return predicate(case, on) if predicate is not None else None

    pm = pluggy.PluginManager("bench")
    pm.add_hookspecs(Spec)
    pm.register(Pack({rule.rule_id: predicate for rule, _pack, predicate in plan.steps}))
    steps = [(rule.rule_id, predicate) for rule, _pack, predicate in plan.steps]
    hook = pm.hook.bench_evaluate
    own, per_call = [], []
    for _ in range(repeat):
        start = time.perf_counter()
        for case in cases:
            for _rule_id, predicate in steps:
                predicate(case, ON)
        own.append(time.perf_counter() - start)
        start = time.perf_counter()
        for case in cases:
            for rule_id, _predicate in steps:
                hook(rule_id=rule_id, case=case, on=ON)
        per_call.append(time.perf_counter() - start)
    return min(own) / len(cases) * 1e6, min(per_call) / len(cases) * 1e6


def profile(run: Callable[[], object], top: int = 10) -> list[str]:
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(t for _cc, _nc, t, _ct, _callers in stats.stats.values())  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda kv: kv[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    lines = [f"    {'tottime':>8} {'share':>6} {'cumtime':>8} {'calls':>9}  function"]
    for (file, line, function), (_cc, calls, tottime, cumtime, _callers) in rows:
        where = file.split("/src/")[-1].split("/site-packages/")[-1] if file != "~" else ""
        lines.append(
            f"    {tottime:8.3f} {tottime / total:6.1%} {cumtime:8.3f} {calls:9d}  {function} ({where}:{line})"
        )
    return lines


# -- the run -----------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contractors", type=int, default=50_000, help="generated contractor-only cases")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes over every record, per path")
    parser.add_argument(
        "--hypothesis",
        type=int,
        default=200,
        help="cases drawn by the Hypothesis strategy, for the equality check only (0: none)",
    )
    parser.add_argument(
        "--slow-records",
        type=int,
        default=2000,
        help="records for zen's decision.evaluate mode and the pluggy comparison (slow paths)",
    )
    parser.add_argument("--seed", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    args = parser.parse_args()
    started = time.perf_counter()

    registry = swp.load_registry()
    plan = registry.plan(REGION, ON)
    check_plain_covers(plan)
    began = time.perf_counter()
    cases = generated_cases(args.contractors, args.seed)
    generated_in = time.perf_counter() - began
    n = len(cases)
    slow = cases[: min(n, args.slow_records)]

    zen: Any
    try:
        import zen
    except ImportError:
        zen = None
    zen_version = None
    inputs: list[dict[str, Any]] = []
    convert_us = 0.0
    if zen is not None:
        import importlib.metadata

        zen_version = importlib.metadata.version("zen-engine")
        began = time.perf_counter()
        inputs = [zen_input(case) for case in cases]
        convert_us = (time.perf_counter() - began) / n * 1e6

    check = registry.check

    def streamed(cases: Sequence[swp.Case] = cases) -> list[Output]:
        out = []
        for case in cases:
            verdict = check(case, region=REGION, on=ON)
            out.append((verdict.decision, tuple(f.rule.rule_id for f in verdict.failures)))
        return out

    def kept() -> list[swp.Verdict]:
        return [check(case, region=REGION, on=ON) for case in cases]

    plan_check = plan.check

    def planned() -> list[Output]:
        out = []
        for case in cases:
            verdict = plan_check(case)
            out.append((verdict.decision, tuple(f.rule.rule_id for f in verdict.failures)))
        return out

    plan_decision = plan.decision

    def decided() -> list[Output]:
        return [plan_decision(case) for case in cases]

    bare_steps = [predicate for _rule, _pack, predicate in plan.steps]

    def bare() -> list[Output]:
        # The packs' predicates alone, in a loop as plain as ours: no answer is made, so no path of
        # ours that calls them can be faster. Not compared: it decides nothing.
        for case in cases:
            for predicate in bare_steps:
                predicate(case, ON)
        return []

    def plain() -> list[Output]:
        return [plain_check(case) for case in cases]

    paths = [
        Timed("ours, streamed (registry.check, decision + failing ids kept)", streamed, None, n),
        Timed("ours, kept (registry.check, every Verdict kept)", kept, verdict_output, n),
        Timed("ours, plan (plan.check)", planned, None, n),
        Timed("ours, decision only (plan.decision)", decided, None, n),
        Timed("plain function", plain, None, n),
    ]
    zen_paths: list[Timed] = []
    if zen is not None:
        content = json.dumps(zen_graph())
        compiled = zen.ZenDecisionContent(content)
        engine = zen.ZenEngine({"loader": lambda _key: compiled})
        decision = zen.ZenEngine().create_decision(content)
        key = "xiamen-contractor.json"
        evaluate = engine.evaluate
        slow_inputs = inputs[: len(slow)]

        def zen_engine() -> list[Output]:
            return [zen_output(evaluate(key, x)) for x in inputs]

        def zen_batch(size: int = 1000) -> list[Output]:
            out: list[Output] = []
            for start in range(0, len(slow_inputs), size):
                batch: list[Any] = [{"key": key, "context": x} for x in slow_inputs[start : start + size]]
                for answer in engine.evaluate_batch(batch):
                    out.append(zen_output(answer["data"]))
            return out

        def zen_decision() -> list[Output]:
            return [zen_output(decision.evaluate(x)) for x in slow_inputs]

        zen_paths = [
            Timed(
                f"zen-engine {zen_version}: engine.evaluate, loader returning the precompiled content",
                zen_engine,
                None,
                n,
            ),
            Timed(
                f"zen-engine {zen_version}: engine.evaluate_batch, 1,000 a call ({len(slow):,} records)",
                zen_batch,
                None,
                len(slow),
            ),
            Timed(
                f"zen-engine {zen_version}: create_decision once, decision.evaluate ({len(slow):,} records)",
                zen_decision,
                None,
                len(slow),
            ),
        ]

    floor = Timed(
        "the packs' predicates alone, called bare in a plain loop (no answer: the floor of ours)", bare, None, n
    )
    for _ in range(args.repeat):
        for path in (*paths, floor, *zen_paths):
            path.once()

    # Every path answers every record as ours does, or the figures are not printed at all.
    reference = paths[0].outputs
    assert reference is not None
    problems: list[str] = []
    for path in (*paths[1:], *zen_paths):
        assert path.outputs is not None
        problems += compare(path.name, path.outputs, reference[: path.records], cases)
    sample: list[swp.Case] = []
    if args.hypothesis:
        try:
            sample = hypothesis_cases(args.hypothesis)
        except ImportError:
            print("hypothesis is not installed: no equality check on its cases", file=sys.stderr)
    if sample:
        ours = [verdict_output(check(case, region=REGION, on=ON)) for case in sample]
        problems += compare("hypothesis: plan.check", [verdict_output(plan.check(c)) for c in sample], ours, sample)
        problems += compare("hypothesis: plan.decision", [plan.decision(c) for c in sample], ours, sample)
        problems += compare("hypothesis: plain function", [plain_check(c) for c in sample], ours, sample)
        if zen is not None:
            problems += compare(
                "hypothesis: zen-engine", [zen_output(evaluate(key, zen_input(c))) for c in sample], ours, sample
            )
    if problems:
        print("bench_check: the paths do not give the same decision and failing rule ids:", file=sys.stderr)
        print("\n".join(problems), file=sys.stderr)
        return 1

    own_us, pluggy_us = pluggy_per_rule(plan, slow, args.repeat)
    ours_streamed, ours_kept, ours_plan, ours_decision, plain_path = paths
    ours_paths = (ours_streamed, ours_kept, ours_plan, ours_decision)
    zen_wall = min(zen_paths, key=lambda p: p.fastest) if zen_paths else None
    zen_cpu = min(zen_paths, key=lambda p: p.fastest_cpu) if zen_paths else None
    ratios: dict[str, dict[str, float | None]] = {
        p.name: {
            "over_plain": p.fastest / plain_path.fastest,
            "over_plain_cpu": p.fastest_cpu / plain_path.fastest_cpu,
            "zen_over_this": zen_wall.fastest / p.fastest if zen_wall else None,
            "zen_over_this_cpu": zen_cpu.fastest_cpu / p.fastest_cpu if zen_cpu else None,
        }
        for p in ours_paths
    }

    def targets(path: Timed) -> dict[str, dict[str, bool]]:
        r = ratios[path.name]
        return {
            "plain": {
                k: r[k] is not None and r[k] <= TARGET_PLAIN  # type: ignore[operator]
                for k in ("over_plain", "over_plain_cpu")
            },
            "zen": {
                k: r[k] is not None and r[k] >= TARGET_ZEN  # type: ignore[operator]
                for k in ("zen_over_this", "zen_over_this_cpu")
            },
        }

    # The targets are judged on the full verdict (streamed) and on the decision alone.
    met, met_decision = targets(ours_streamed), targets(ours_decision)
    missed = any(
        not all(m["plain"].values()) or (zen_paths != [] and not all(m["zen"].values())) for m in (met, met_decision)
    )
    profile_lines = profile(lambda: streamed(slow)) if missed else []
    profile_decision = profile(lambda: [plan_decision(case) for case in slow]) if missed else []
    decisions: dict[str, int] = {}
    for decision_value, _ids in reference:
        decisions[str(decision_value)] = decisions.get(str(decision_value), 0) + 1
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None

    if args.json:
        print(
            json.dumps(
                {
                    "records": n,
                    "region": REGION,
                    "on": ON.isoformat(),
                    "repeat": args.repeat,
                    "seed": args.seed,
                    "load_average_1min": load,
                    "cpus": os.cpu_count(),
                    "hypothesis_cases_checked": len(sample),
                    "decisions": decisions,
                    "paths": {p.name: p.figures() for p in (*paths, floor, *zen_paths)},
                    "zen_engine": zen_version,
                    "zen_input_conversion_us": convert_us if zen is not None else None,
                    "zen_fastest_mode": zen_wall.name if zen_wall else None,
                    "ratios": ratios,
                    "targets": {
                        "ours_over_plain_at_most": TARGET_PLAIN,
                        "zen_over_ours_at_least": TARGET_ZEN,
                        "met": met,
                        "met_decision_only": met_decision,
                    },
                    "pluggy_per_rule_us": pluggy_us,
                    "own_loop_predicates_us": own_us,
                    "profile_top10": profile_lines,
                    "profile_decision_only_top10": profile_decision,
                    "seconds": time.perf_counter() - started,
                },
                indent=2,
            )
        )
        return 0

    print(
        f"{n:,} generated contractor-only cases (seed {args.seed}, {generated_in:.1f} s to generate), checked "
        f"for {REGION} on {ON} with the national layer ({len(plan.steps)} rules with a predicate in force)"
    )
    print("decisions: " + ", ".join(f"{k} {v:,}" for k, v in sorted(decisions.items())))
    print(
        f"every path gave our decision and failing rule ids on all {n:,} records"
        + (f", and on {len(sample)} cases drawn by the Hypothesis strategy" if sample else "")
    )
    if load is not None:
        print(
            f"load average {load:.1f} on {os.cpu_count()} CPUs"
            + (
                ": the machine is busy, so wall times count other processes' turns; CPU times do not"
                if load > (os.cpu_count() or 1)
                else ""
            )
        )
    print(f"\nµs per record, mean of the fastest third of {args.repeat} passes (wall, its median, CPU of all threads):")
    for p in (*paths, floor, *zen_paths):
        print(f"  {p.name:<90} {p.fastest:8.2f} {statistics.median(p.wall):8.2f} {p.fastest_cpu:8.2f}")
    if zen is None:
        print("  zen-engine is not installed (pip install -e '.[bench]'): not measured")
    else:
        print(
            f"  (zen's input dicts were built beforehand from our contractors, {convert_us:.2f} µs per record, "
            "not counted)"
        )

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    print("\nratios of time per record (wall; CPU):")
    for p in ours_paths:
        r = ratios[p.name]
        line = f"  {p.name.split(' (')[0]:<22} ours/plain {r['over_plain']:7.1f}x; {r['over_plain_cpu']:7.1f}x"
        if r["zen_over_this"] is not None:
            line += f"    zen/ours {r['zen_over_this']:6.2f}x; {r['zen_over_this_cpu']:6.2f}x"
        print(line)
    print(
        f"  targets: ours/plain at most {TARGET_PLAIN:.0f}x, i.e. at least 0.5x a plain function's speed"
        + (
            f"; zen/ours at least {TARGET_ZEN:.0f}x, against zen's fastest mode ({zen_wall.name.split(': ')[1]}"
            + ("" if zen_cpu is zen_wall or zen_cpu is None else f"; by CPU: {zen_cpu.name.split(': ')[1]}")
            + ")"
            if zen_wall is not None
            else ""
        )
    )
    for label, m in (("ours streamed", met), ("ours, decision only", met_decision)):
        line = (
            f"    {label + ':':<21} plain wall {verdict(m['plain']['over_plain'])}, "
            f"CPU {verdict(m['plain']['over_plain_cpu'])}"
        )
        if zen_wall is not None:
            line += f"; zen wall {verdict(m['zen']['zen_over_this'])}, CPU {verdict(m['zen']['zen_over_this_cpu'])}"
        print(line)
    print(
        f"\nbare predicates on {len(slow):,} records: a pluggy call per rule {pluggy_us:.1f} µs a record, "
        f"our own loop {own_us:.1f} µs ({pluggy_us / own_us:.1f}x)"
    )

    # What is left of ours once the packs' own code is taken out: the floor of any path of ours is the
    # predicates themselves, which the core calls and does not write. By CPU time, which other processes'
    # turns on a busy machine do not inflate; the wall figures are in the table above.
    def share(p: Timed) -> str:
        left = p.fastest_cpu - floor.fastest_cpu
        return f"{floor.fastest_cpu / p.fastest_cpu:.0%} of {p.name.split(' (')[0]} ({left:.2f} µs left to the core)"

    zen_floor = f", zen/predicates {zen_cpu.fastest_cpu / floor.fastest_cpu:.2f}x" if zen_cpu else ""
    print(
        f"\nthe packs' predicates alone, by CPU: {floor.fastest_cpu:.2f} µs a record, {share(ours_decision)} and "
        f"{share(ours_streamed)}; by themselves {floor.fastest_cpu / plain_path.fastest_cpu:.1f}x a plain function"
        f"{zen_floor}"
    )
    if profile_lines:
        print(f"\na target is missed: cProfile of ours streamed on {len(slow):,} records, top 10 by own time:")
        print("\n".join(profile_lines))
        print(f"cProfile of ours, decision only (plan.decision) on {len(slow):,} records, top 10 by own time:")
        print("\n".join(profile_decision))
    print(f"\n{time.perf_counter() - started:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
