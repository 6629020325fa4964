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
"""

from __future__ import annotations

import json
import re
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

# The store contract suite asserts with plain ``assert``: let pytest rewrite it for readable failures.
pytest.register_assert_rewrite("socialwork_procurement.testing.store_contract")

_PATTERNS = ("swp_scenarios*.yaml", "swp_scenarios*.yml", "swp_scenarios*.json")
_REGISTRIES: dict[bool, Registry] = {}
_EXPECT_KEYS = {"decision", "findings", "absent", "conflicts", "fee", "rule_id"}
_SCENARIO_KEYS = {"name", "on", "national", "case", "fee", "expect"}


class ScenarioError(Exception):
    """A scenario file that is malformed, or a scenario whose expectation failed."""


def _registry(national: bool) -> Registry:
    # One registry per session and layer choice: loading entry points is the expensive part.
    if national not in _REGISTRIES:
        _REGISTRIES[national] = load_registry(national=national)
    return _REGISTRIES[national]


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
        if not isinstance(data, dict) or set(data) - {"region", "scenarios"} or "scenarios" not in data:
            raise ScenarioError(f"{self.path}: expected {{region, scenarios: [...]}}")
        region = data.get("region")
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
        registry = _registry(national)
        if "fee" in spec:
            self._run_fee(registry, on, spec["fee"], expect)
        else:
            self._run_check(registry, on, spec.get("case", {}), expect)

    def _run_fee(self, registry: Registry, on: date, amount: Any, expect: dict[str, Any]) -> None:
        answer = registry.evaluation_fee(region=self.region, base_amount=parse_yuan(str(amount)), on=on)
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

    def _run_check(self, registry: Registry, on: date, data: Any, expect: dict[str, Any]) -> None:
        try:
            case = structure(data, Case)
        except InvalidInput as exc:
            raise ScenarioError(f"the scenario's case is invalid:\n{exc}") from None
        verdict = registry.check(case, region=self.region, on=on, national=self.spec.get("national", True) is True)
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
