"""The conformance check every rule pack runs on itself."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, Phase, given, settings

from ..model._types import Case
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


def assert_pack_conforms(registry: Registry, region: str, *, max_examples: int = 100, national: bool = True) -> None:
    """Check a region's pack: static properties, then properties on generated cases.

    - every rule cites a source with a non-empty quote; effective dates are ordered; messages
      exist in Chinese and English; indicators and periods name rules that exist;
    - every predicate, on any generated case and date, returns a :class:`RuleResult` with a JSON
      path, never raises, and is deterministic (the same case and date give the same result);
    - a hard failure that is not part of a conflict makes the verdict ineligible;
    - soft rules never change the decision;
    - fees are never negative, exact to the fen, and never fall when the amount rises.

    Raises :class:`ConformanceError` listing the problems.
    """
    problems = static_problems(registry, region)
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


__all__ = ["ConformanceError", "assert_pack_conforms", "static_problems"]
