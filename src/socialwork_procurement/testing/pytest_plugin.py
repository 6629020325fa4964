"""A pytest plugin that runs rule-pack scenario files, so pack authors write cases, not test code.

Installed with the package (entry point ``pytest11``); it collects files named
``swp_scenarios*.yaml``, ``swp_scenarios*.yml`` or ``swp_scenarios*.json``. Each scenario is one
test item::

    region: xiamen
    scenarios:
      - name: a private agency takes a street project
        on: "2015-03-01"
        case: {contractor: {name: 某社工中心, legal_form: private_non_enterprise_unit}}
        expect:
          decision: undetermined
          findings: {xiamen.contractor.independent_legal_person: unknown}
      - name: fee on 500,000 yuan
        on: "2015-03-01"
        fee: "500000"
        expect: {fee: "15000.00", rule_id: xiamen.evaluation.fee_3pct}

``expect`` keys: ``decision``; ``findings`` (rule id -> outcome; only those listed are compared);
``absent`` (rule ids that must not be among the findings); ``conflicts`` (the regional rule ids in
conflicts, exactly); for fee scenarios ``fee`` (a string to the fen, or null) and ``rule_id``.
YAML needs PyYAML (in the ``test`` extra); dates must be quoted strings or are read as strings.

**Rule coverage.** ``pytest --swp-coverage`` reports, per region, every rule in force on any date a
scenario asks about, with how many scenarios made it pass, fail, come out unknown or not applicable
(and how many fee answers a fee rule gave), and lists the checked rules no scenario made fail. The
regions are those the scenarios ask about and the layers under them (the national layer, a
province under its city), each layer counted from every scenario that consulted it.
``--swp-coverage-strict`` fails the run when a gating rule (hard or hard default, with a predicate)
of a region the scenarios ask about is never made both to pass and to fail: the layers under it are
other packs' to cover. A rule no case can make pass and fail (its values are not in the source) is
declared in its scenario file, with the reason, and strict does not count it::

    region: ningxia
    uncoverable:
      ningxia.contractor.specific_conditions: the source says the conditions exist, not what they are
    scenarios: [...]

``--swp-coverage-json PATH`` writes the report as JSON (the region pages of ``swp docs`` read it).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from .._errors import InvalidInput
from ..model._converter import structure
from ..model._money import format_yuan, parse_yuan
from ..model._types import Case
from ..rules._plugins import load_registry
from ..rules._registry import Registry
from ..rules._rules import FeeAnswer, Outcome, Rule, Verdict

# The store contract suite asserts with plain ``assert``: let pytest rewrite it for readable failures.
pytest.register_assert_rewrite("socialwork_procurement.testing.store_contract")

_PATTERNS = ("swp_scenarios*.yaml", "swp_scenarios*.yml", "swp_scenarios*.json")
_EXPECT_KEYS = {"decision", "findings", "absent", "conflicts", "fee", "rule_id"}
_SCENARIO_KEYS = {"name", "on", "national", "case", "fee", "expect"}
# Kept on the session's config, not in this module: a pytest run inside a test (pytester) is a session of
# its own, with the packs installed for it, and must neither see nor leave the outer session's registries.
_REGISTRIES = pytest.StashKey[dict[bool, Registry]]()
_COVERAGE = pytest.StashKey["Coverage | None"]()
_REPORT = pytest.StashKey["dict[str, Any] | None"]()


class ScenarioError(Exception):
    """A scenario file that is malformed, or a scenario whose expectation failed."""


def _registry(config: pytest.Config, national: bool) -> Registry:
    # One registry per session and layer choice: loading entry points is the expensive part.
    registries = config.stash.setdefault(_REGISTRIES, {})
    if national not in registries:
        registries[national] = load_registry(national=national)
    return registries[national]


# -- rule coverage ------------------------------------------------------------------------------

_OUTCOMES = tuple(o.value for o in Outcome)
_RuleKey = tuple[str, str, date]
"""A rule version: region, rule id, first day in force."""


def _key(rule: Rule) -> _RuleKey:
    return (rule.region, rule.rule_id, rule.effective_from)


class Coverage:
    """What the session's scenarios made each rule say: outcomes of checks and answers of fee questions."""

    def __init__(self) -> None:
        self.registry: Registry | None = None
        self.asked: Counter[str] = Counter()
        """Scenarios per region they ask about."""
        self.consulted: Counter[str] = Counter()
        """Scenarios per region consulted as a layer (the region asked included)."""
        self.dates: dict[str, set[date]] = {}
        self.outcomes: dict[_RuleKey, Counter[str]] = {}
        self.fees: Counter[_RuleKey] = Counter()
        self.uncoverable: dict[str, dict[str, str]] = {}
        """Per region, the rules its scenario files declare no case can make pass and fail, with the reason."""

    def _asked(self, registry: Registry, region: str, on: date, national: bool) -> None:
        if self.registry is None or national:
            self.registry = registry  # the one with the national layer, when any scenario uses it
        self.asked[region] += 1
        for layer in registry.layers(region, national=national):
            self.consulted[layer] += 1
            self.dates.setdefault(layer, set()).add(on)

    def record_check(self, registry: Registry, region: str, on: date, national: bool, verdict: Verdict) -> None:
        self._asked(registry, region, on, national)
        for finding in verdict.findings:
            self.outcomes.setdefault(_key(finding.rule), Counter())[finding.outcome.value] += 1

    def record_fee(self, registry: Registry, region: str, on: date, national: bool, answer: FeeAnswer) -> None:
        self._asked(registry, region, on, national)
        if answer.rule is not None:
            self.fees[_key(answer.rule)] += 1

    def report(self) -> dict[str, Any]:
        """The report as JSON-ready data, in a stable order (regions by code, rules by id and date)."""
        regions = []
        registry = self.registry
        for code in sorted(self.consulted):
            if registry is None:
                break
            dates = sorted(self.dates[code])
            rules = [r for r in registry.rules(code) if any(r.in_force(d) for d in dates)]
            reached = {_key(r) for r in rules}
            rows = [self._row(rule) for rule in rules]
            checked = [row for row in rows if row["checked"] == "predicate"]
            declared = self.uncoverable.get(code, {})
            versions = Counter(row["rule_id"] for row in rows)
            regions.append(
                {
                    "region": code,
                    "asked": code in self.asked,
                    "scenarios": self.asked[code],
                    "consulted": self.consulted[code],
                    "dates": [d.isoformat() for d in dates],
                    "rules": rows,
                    "never_failed": [_label(row, versions) for row in checked if not row["fail"]],
                    "gaps": [
                        _label(row, versions)
                        for row in checked
                        if row["gates"] and not (row["pass"] and row["fail"]) and row["rule_id"] not in declared
                    ],
                    "uncoverable": dict(sorted(declared.items())),
                    "not_in_force_on_a_scenario_date": sorted(
                        {r.rule_id for r in registry.rules(code) if _key(r) not in reached}
                    ),
                }
            )
        return {"regions": regions}

    def _row(self, rule: Rule) -> dict[str, Any]:
        counts = self.outcomes.get(_key(rule), Counter())
        checked = "predicate" if rule.predicate is not None else "fee" if rule.fee is not None else "data"
        return {
            "rule_id": rule.rule_id,
            "effective_from": rule.effective_from.isoformat(),
            "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
            "strength": rule.strength.value,
            "gates": rule.strength.gates,
            "checked": checked,
            **{outcome: counts[outcome] for outcome in _OUTCOMES},
            "fee": self.fees[_key(rule)],
        }


def _label(row: dict[str, Any], versions: Counter[str]) -> str:
    """A rule in the report's lists: its id, and its first day when the id has several dated versions."""
    rule_id = str(row["rule_id"])
    return rule_id + (f" (from {row['effective_from']})" if versions[rule_id] > 1 else "")


def strict_gaps(report: dict[str, Any]) -> list[str]:
    """What ``--swp-coverage-strict`` fails on, for the regions the scenarios ask about.

    A gating rule never made both to pass and to fail (unless a scenario file declares it
    ``uncoverable``, with the reason), and a rule declared uncoverable that the region does not have.
    """
    gaps: list[str] = []
    for region in report["regions"]:
        if not region["asked"]:
            continue
        gaps += [f"{region['region']}: {rule_id}" for rule_id in region["gaps"]]
        known = {row["rule_id"] for row in region["rules"]} | set(region["not_in_force_on_a_scenario_date"])
        gaps += [f"{region['region']}: {rule_id} is declared uncoverable but the region has no such rule"
                 for rule_id in region["uncoverable"] if rule_id not in known]
    return gaps


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("swp", "socialwork-procurement scenario files")
    group.addoption(
        "--swp-coverage",
        action="store_true",
        help="report, per region, the rules in force on the scenarios' dates and how often the scenarios made "
        "each pass, fail, unknown or not applicable",
    )
    group.addoption(
        "--swp-coverage-strict",
        action="store_true",
        help="fail the run when a gating rule (hard or hard default, with a predicate) of a region the scenarios "
        "ask about is never made both to pass and to fail (implies --swp-coverage)",
    )
    group.addoption("--swp-coverage-json", metavar="PATH", help="write the rule coverage report as JSON to PATH")


def pytest_configure(config: pytest.Config) -> None:
    wanted = any(config.getoption(o) for o in ("swp_coverage", "swp_coverage_strict", "swp_coverage_json"))
    config.stash[_COVERAGE] = Coverage() if wanted else None
    config.stash[_REPORT] = None


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    coverage = session.config.stash.get(_COVERAGE, None)
    if coverage is None:
        return
    report = coverage.report()
    session.config.stash[_REPORT] = report
    path = session.config.getoption("swp_coverage_json")
    if path:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    if session.config.getoption("swp_coverage_strict") and strict_gaps(report) and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    report = config.stash.get(_REPORT, None)
    strict = config.getoption("swp_coverage_strict")
    if report is None or not (config.getoption("swp_coverage") or strict):
        return
    write = terminalreporter.write_line
    terminalreporter.section("swp rule coverage")
    if not report["regions"]:
        write("no scenario asked about any region")
    for region in report["regions"]:
        for line in coverage_lines(region):
            write(line)
    if strict:
        gaps = strict_gaps(report)
        if gaps:
            write(f"FAILED (--swp-coverage-strict): {len(gaps)} gating rules never made both to pass and to fail:",
                  red=True)
            for gap in gaps:
                write(f"  {gap}", red=True)
        else:
            write("--swp-coverage-strict: every gating rule of the regions asked passes and fails in some scenario")


def coverage_lines(region: dict[str, Any]) -> list[str]:
    """One region of the report, for the terminal."""
    dates = region["dates"]
    span = f"{dates[0]} … {dates[-1]}" if len(dates) > 1 else dates[0]
    if not region["asked"]:
        who = f"consulted as a layer by {region['consulted']} scenarios"
    elif region["consulted"] > region["scenarios"]:
        who = f"{region['scenarios']} scenarios, and {region['consulted'] - region['scenarios']} more as a layer,"
    else:
        who = f"{region['scenarios']} scenarios"
    rows = region["rules"]
    data = [row for row in rows if row["checked"] == "data"]
    lines = [
        f"{region['region']}: {who} on {len(dates)} dates ({span}); "
        f"{len(rows)} rules in force, {len(data)} of them data"
    ]
    shown = [row for row in rows if row["checked"] != "data"]
    if shown:
        ids = Counter(row["rule_id"] for row in shown)

        def name(row: dict[str, Any]) -> str:
            # A rule id with several dated versions: the first day tells them apart.
            return str(row["rule_id"]) + (f" (from {row['effective_from']})" if ids[row["rule_id"]] > 1 else "")

        width = max(len(name(row)) for row in shown)
        lines.append(f"  {'rule':<{width}}  {'strength':<12}  pass  fail  unknown   n/a   fee")
        for row in shown:
            lines.append(
                f"  {name(row):<{width}}  {row['strength']:<12}  {row['pass']:>4}  {row['fail']:>4}  "
                f"{row['unknown']:>7}  {row['not_applicable']:>4}  {row['fee']:>4}"
            )
    lines.append("  never made to fail: " + (", ".join(region["never_failed"]) or "-"))
    for rule_id, reason in region["uncoverable"].items():
        lines.append(f"  uncoverable {rule_id}: {reason}")
    if region["not_in_force_on_a_scenario_date"]:
        lines.append("  in force on no scenario date: " + ", ".join(region["not_in_force_on_a_scenario_date"]))
    return lines


def _load(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return json.loads(text)
    import yaml

    class _Loader(yaml.SafeLoader):
        """SafeLoader reading scalars as JSON would: dates stay strings, and only true/false are booleans.

        YAML 1.1 reads ``on``, ``off``, ``yes`` and ``no`` as booleans, which would turn the
        scenario key ``on:`` into ``True``.
        """

    dropped = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool"}
    _Loader.yaml_implicit_resolvers = {
        key: [(tag, regexp) for tag, regexp in resolvers if tag not in dropped]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _Loader.add_implicit_resolver(
        "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
    )
    return yaml.load(text, Loader=_Loader)


def pytest_collect_file(parent: pytest.Collector, file_path: Path) -> pytest.Collector | None:
    if any(file_path.match(p) for p in _PATTERNS):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    """A scenario file: a region and a list of scenarios."""

    def collect(self) -> Iterator[pytest.Item]:
        data = _load(self.path)
        if not isinstance(data, dict) or set(data) - {"region", "scenarios", "uncoverable"} or "scenarios" not in data:
            raise ScenarioError(f"{self.path}: expected {{region, scenarios: [...]}} (and optionally uncoverable)")
        region = data.get("region")
        uncoverable = data.get("uncoverable") or {}
        if not isinstance(uncoverable, dict) or not all(
            isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in uncoverable.items()
        ):
            raise ScenarioError(f"{self.path}: uncoverable maps rule ids to the reason no scenario can decide them")
        if uncoverable and not isinstance(region, str):
            raise ScenarioError(f"{self.path}: uncoverable needs the file's region")
        coverage = self.config.stash.get(_COVERAGE, None)
        if coverage is not None and isinstance(region, str):
            coverage.uncoverable.setdefault(region, {}).update(uncoverable)
        seen: set[str] = set()
        for index, spec in enumerate(data["scenarios"]):
            if not isinstance(spec, dict) or "name" not in spec:
                raise ScenarioError(f"{self.path}: scenario {index} needs a name")
            name = str(spec["name"])
            if name in seen:
                raise ScenarioError(f"{self.path}: two scenarios named {name!r}")
            seen.add(name)
            yield ScenarioItem.from_parent(self, name=name, spec=spec, region=spec.get("region", region))


class ScenarioItem(pytest.Item):
    """One scenario: a check or a fee question, and what it must answer."""

    def __init__(self, *, spec: dict[str, Any], region: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.spec = spec
        self.region = region

    def runtest(self) -> None:
        spec = self.spec
        unknown_keys = set(spec) - _SCENARIO_KEYS
        expect = spec.get("expect")
        if unknown_keys or not isinstance(expect, dict) or set(expect) - _EXPECT_KEYS or "on" not in spec:
            raise ScenarioError(f"malformed scenario (keys {sorted(spec)}; expect keys {sorted(expect or {})})")
        if not expect:
            raise ScenarioError("a scenario must expect something")
        on = date.fromisoformat(str(spec["on"]))
        national = spec.get("national", True)
        if not isinstance(national, bool):
            raise ScenarioError(f"national must be true or false, got {national!r}")
        registry = _registry(self.config, national)
        coverage = self.config.stash.get(_COVERAGE, None)
        if "fee" in spec:
            self._run_fee(registry, on, spec["fee"], expect, coverage, national)
        else:
            self._run_check(registry, on, spec.get("case", {}), expect, coverage, national)

    def _run_fee(
        self, registry: Registry, on: date, amount: Any, expect: dict[str, Any], coverage: Coverage | None,
        national: bool,
    ) -> None:
        answer = registry.evaluation_fee(
            region=self.region, base_amount=parse_yuan(str(amount)), on=on, national=national
        )
        if coverage is not None:
            coverage.record_fee(registry, self.region, on, national, answer)
        got = None if answer.fee is None else format_yuan(answer.fee)
        want = expect.get("fee")
        if want is not None:
            want = format_yuan(Decimal(str(want)))
        problems = []
        if got != want:
            problems.append(f"fee: expected {want}, got {got} ({answer.reason_en})")
        if "rule_id" in expect and (answer.rule.rule_id if answer.rule else None) != expect["rule_id"]:
            problems.append(
                f"rule_id: expected {expect['rule_id']}, got {answer.rule.rule_id if answer.rule else None}"
            )
        if problems:
            raise ScenarioError("\n".join(problems))

    def _run_check(
        self, registry: Registry, on: date, data: Any, expect: dict[str, Any], coverage: Coverage | None,
        national: bool,
    ) -> None:
        try:
            case = structure(data, Case)
        except InvalidInput as exc:
            raise ScenarioError(f"the scenario's case is invalid:\n{exc}") from None
        verdict = registry.check(case, region=self.region, on=on, national=national)
        if coverage is not None:
            # Recorded whatever the expectation says: the rules said what they said.
            coverage.record_check(registry, self.region, on, national, verdict)
        outcomes = {f.rule_id: f.outcome.value for f in verdict.findings}
        problems: list[str] = []
        if "decision" in expect and verdict.decision.value != expect["decision"]:
            problems.append(f"decision: expected {expect['decision']}, got {verdict.decision.value}")
        for rule_id, outcome in (expect.get("findings") or {}).items():
            if outcomes.get(rule_id) != outcome:
                problems.append(f"{rule_id}: expected {outcome}, got {outcomes.get(rule_id, 'no finding')}")
        for rule_id in expect.get("absent") or ():
            if rule_id in outcomes:
                problems.append(f"{rule_id}: expected no finding, got {outcomes[rule_id]}")
        if "conflicts" in expect:
            got = sorted(c.regional.rule_id for c in verdict.conflicts)
            if got != sorted(expect["conflicts"]):
                problems.append(f"conflicts: expected {sorted(expect['conflicts'])}, got {got}")
        if problems:
            summary = "\n".join(
                f"  {f.rule_id}: {f.outcome.value} @ {f.path}" + (f" ({f.detail_en})" if f.detail_en else "")
                for f in verdict.findings
            )
            raise ScenarioError("\n".join(problems) + f"\nfindings:\n{summary}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ScenarioError):
            return f"scenario {self.name!r} ({self.region}): {excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"scenario: {self.name}"
