"""The conformance check every rule pack runs on itself."""

from __future__ import annotations

import importlib
import re
import sys
import types
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

from ..model._types import Case
from ..rules._pack import PACK_MODULES, RulePack
from ..rules._plugins import load_registry
from ..rules._registry import Registry
from ..rules._rules import Outcome, RuleKind, RuleResult, Strength, Subject
from . import strategies as sst

_CJK = re.compile(r"[\u3400-\u9fff]")
_DATA_KINDS = frozenset({RuleKind.PLANNING_TARGET, RuleKind.TIMELINE, RuleKind.FUNDING, RuleKind.SCOPE, RuleKind.INFO})


class ConformanceError(AssertionError):
    """A pack broke one of the conformance properties; the message lists every problem."""


def static_problems(registry: Registry, region: str) -> list[str]:
    """Problems visible without running anything: citations, dates, messages, record wiring."""
    problems: list[str] = []
    rules = registry.rules(region)
    if not rules:
        problems.append(f"{region}: the pack contributes no rules")
    seen_sources = {s.file for s in registry.region(region).sources}
    for rule in rules:
        where = rule.rule_id
        if not rule.rule_id.startswith(tuple(f"{p}." for p in _id_prefixes(region, rule.rule_id))):
            problems.append(f"{where}: rule id does not start with a region prefix")
        if not rule.citation.quote.strip():
            problems.append(f"{where}: empty quote")
        if rule.citation.source.file is not None and rule.citation.source.file not in seen_sources:
            problems.append(
                f"{where}: cites {rule.citation.source.file}, which the region does not list among its sources"
            )
        if rule.effective_to is not None and rule.effective_to < rule.effective_from:
            problems.append(f"{where}: effective dates out of order")
        if not _CJK.search(rule.message_zh):
            problems.append(f"{where}: message_zh has no Chinese text")
        if not rule.message_en.strip() or _CJK.fullmatch(rule.message_en.strip()[:1] or "x"):
            problems.append(f"{where}: message_en missing")
        if rule.kind is RuleKind.EVALUATION_FEE and rule.fee is None:
            problems.append(f"{where}: evaluation_fee rule without a fee schedule")
        if rule.predicate is not None and rule.strength is Strength.INFO:
            problems.append(f"{where}: an info rule must not be checked against a case")
        # A hard rule about one purchase needs a check; one about the programme as a whole is data.
        if (
            rule.predicate is None
            and rule.fee is None
            and rule.kind not in _DATA_KINDS
            and rule.subject is not Subject.PROGRAMME
            and rule.strength.gates
        ):
            problems.append(f"{where}: a {rule.kind.value} rule of strength {rule.strength.value} has no predicate")
    rule_ids = {r.rule_id for r in registry.rules(region)}
    for ind in registry.indicators(region):
        if ind.rule_id not in rule_ids:
            problems.append(f"indicator {ind.indicator_id}: names unknown rule {ind.rule_id}")
    for per in registry.periods(region):
        if per.rule_id not in rule_ids:
            problems.append(f"period {per.period_id}: names unknown rule {per.rule_id}")
    for sil in registry.silences(region):
        if not _CJK.search(sil.statement_zh) or not sil.statement_en.strip():
            problems.append(f"silence {sil.topic}: statements in zh and en are required")
    return problems


def _id_prefixes(region: str, rule_id: str) -> list[str]:
    # A region's ids start with its code, or with the code and a year (henan2013.*).
    head = rule_id.split(".", 1)[0]
    return [head] if re.fullmatch(rf"{re.escape(region)}(?:[0-9]{{4}})?", head) else [region]


def shape_problems(pack: RulePack) -> list[str]:
    """Where the package exposing ``pack`` breaks the one pack shape (``PACK_MODULES``).

    The package is the imported package whose namespace holds ``pack``. Its files must be exactly
    ``PACK_MODULES``; ``_sources`` must define the ``REGION`` and ``SOURCES``, and ``_rules``,
    ``_silences``, ``_indicators`` and ``_periods`` the ``RULES``, ``SILENCES``, ``INDICATORS`` and
    ``PERIODS`` the pack holds; every predicate must be a function of ``_predicates``; every quote
    a string constant of ``_sources``. A pack no imported package exposes (one an app builds in
    its own module) has no package shape to check: the result is then empty.
    """
    package = _package_of(pack)
    if package is None:
        return []
    name = package.__name__
    folder = Path(package.__file__ or "").parent
    # Byte code and hidden files (editor, OS) are not part of the pack.
    files = {p.name for p in folder.iterdir() if p.name != "__pycache__" and not p.name.startswith(".")}
    problems = [f"{name}: {file} is missing (every pack has {', '.join(PACK_MODULES)})"
                for file in PACK_MODULES if file not in files]
    problems += [f"{name}: {file} is not one of the pack modules ({', '.join(PACK_MODULES)})"
                 for file in sorted(files - set(PACK_MODULES))]
    if problems:
        return problems
    expected = (
        ("_sources", "REGION", pack.region),
        ("_sources", "SOURCES", pack.region.sources),
        ("_rules", "RULES", pack.rules),
        ("_silences", "SILENCES", pack.silences),
        ("_indicators", "INDICATORS", pack.indicators),
        ("_periods", "PERIODS", pack.periods),
    )
    for module, constant, value in expected:
        # The package imported its modules to build the pack: importing one again costs nothing.
        if getattr(importlib.import_module(f"{name}.{module}"), constant, None) != value:
            problems.append(f"{name}.{module}.{constant} is not what the pack holds")
    predicates_module = f"{name}._predicates"
    sources = importlib.import_module(f"{name}._sources")
    quotes = {value for value in vars(sources).values() if isinstance(value, str)}
    for rule in pack.rules:
        if rule.predicate is not None and getattr(rule.predicate, "__module__", None) != predicates_module:
            problems.append(f"{rule.rule_id}: its predicate is not defined in {predicates_module}")
        if rule.citation.quote not in quotes:
            problems.append(f"{rule.rule_id}: its quote is not a constant of {name}._sources")
    return problems


def _package_of(pack: RulePack) -> types.ModuleType | None:
    """The imported package whose namespace holds ``pack`` (the outermost, if several re-export it)."""
    holders = [
        m
        for m in list(sys.modules.values())
        if isinstance(m, types.ModuleType)
        and hasattr(m, "__path__")
        and getattr(m, "__file__", None)
        and any(v is pack for v in vars(m).values())
    ]
    return min(holders, key=lambda m: m.__name__.count("."), default=None)


def assert_pack_conforms(
    pack: Registry | RulePack, region: str | None = None, *, max_examples: int = 100, national: bool = True
) -> None:
    """Check a region's pack: its shape, static properties, then properties on generated cases.

    ``pack`` is a :class:`~socialwork_procurement.RulePack`, checked on a registry of the national
    layer (unless ``national=False``) and that pack, or a :class:`Registry`, checked for
    ``region``. A RulePack is also checked for the one pack shape, where its package can be found
    (:func:`shape_problems`).

    - every rule cites a source with a non-empty quote; effective dates are ordered; messages
      exist in Chinese and English; indicators and periods name rules that exist;
    - every predicate, on any generated case and date, returns a :class:`RuleResult` with a JSON
      path, never raises, and is deterministic (the same case and date give the same result);
    - a hard failure that is not part of a conflict makes the verdict ineligible;
    - soft rules never change the decision;
    - fees are never negative, exact to the fen, and never fall when the amount rises.

    Raises :class:`ConformanceError` listing the problems.
    """
    if isinstance(pack, RulePack):
        if region is not None and region != pack.region.code:
            raise ValueError(f"the pack is for region {pack.region.code!r}, not {region!r}")
        region = pack.region.code
        registry = load_registry(national=national, entrypoints=False, extra_packs=[(f"{region} pack", pack)])
        # Loaded alone beside the national layer, any problem the manager reports is the pack's.
        problems = [*shape_problems(pack), *registry.problems]
    elif region is None:
        raise TypeError("name the region to check in the registry")
    else:
        problems = []
        registry = pack
    problems += static_problems(registry, region)
    if problems:
        raise ConformanceError("\n".join(problems))
    predicates = [r for r in registry.rules(region) if r.predicate is not None]

    @settings(
        max_examples=max_examples,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
        # Shrinking a failing case through every rule took close to a minute; the first
        # failing example is reported as found, with the rule id that failed.
        phases=(Phase.explicit, Phase.reuse, Phase.generate),
    )
    @given(case=sst.cases(), on=sst.dates())
    def predicates_behave(case: Case, on: date) -> None:
        for rule in predicates:
            assert rule.predicate is not None
            try:
                first = rule.predicate(case, on)
                second = rule.predicate(case, on)
            except Exception as exc:
                raise ConformanceError(f"{rule.rule_id} raised {exc!r} on {case!r} at {on}") from exc
            if not isinstance(first, RuleResult) or not first.path.startswith("$"):
                raise ConformanceError(f"{rule.rule_id} returned {first!r}, not a RuleResult with a $-path")
            if first != second:
                raise ConformanceError(f"{rule.rule_id} is not deterministic on {case!r} at {on}")
        verdict = registry.check(case, region=region, on=on, national=national)
        hard_failure = any(f.rule.strength.gates and f.outcome is Outcome.FAIL for f in verdict.findings)
        if hard_failure and not verdict.conflicts and verdict.decision.value != "ineligible":
            raise ConformanceError(f"a hard failure did not make the verdict ineligible: {verdict}")
        # Soft rules never gate: the decision follows from gating findings alone.
        gating_only = [f for f in verdict.findings if f.rule.strength.gates]
        soft = [f for f in verdict.findings if not f.rule.strength.gates]
        if soft and verdict.decision.value == "ineligible" and not any(f.outcome is Outcome.FAIL for f in gating_only):
            raise ConformanceError(f"soft rules made {region} ineligible: {verdict}")

    predicates_behave()

    if any(r.fee is not None for r in registry.rules(region)):

        @settings(max_examples=max_examples, deadline=None, database=None)
        @given(a=sst.amounts(), b=sst.amounts(), on=sst.dates())
        def fees_behave(a: Decimal, b: Decimal, on: date) -> None:
            low, high = sorted((a, b))
            fee_low = registry.evaluation_fee(region=region, base_amount=low, on=on, national=national).fee
            fee_high = registry.evaluation_fee(region=region, base_amount=high, on=on, national=national).fee
            if fee_low is None or fee_high is None:
                if (fee_low is None) != (fee_high is None):
                    raise ConformanceError(f"{region}: a fee exists for one amount but not another on {on}")
                return
            if fee_low < 0 or fee_high < 0:
                raise ConformanceError(f"{region}: negative fee")
            if fee_low != fee_low.quantize(Decimal("0.01")):
                raise ConformanceError(f"{region}: fee {fee_low} is not exact to the fen")
            if fee_high < fee_low:
                raise ConformanceError(f"{region}: fee fell from {fee_low} to {fee_high} as the amount rose")

        fees_behave()


__all__ = ["ConformanceError", "assert_pack_conforms", "shape_problems", "static_problems"]
