"""The registry: every pack's records, resolved by date and evaluated in the core's own loop."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Generic, Protocol, TypeVar

import attrs

from .._errors import PluginError, RuleConflict, UnknownRegion
from .._i18n import Bilingual, Message
from ..model._money import check_fen_exact
from ..model._types import Case, LegalForm
from ._rules import (
    GATING,
    Conflict,
    Decision,
    FeeAnswer,
    Finding,
    Indicator,
    InputWarning,
    Outcome,
    PackRef,
    Period,
    Predicate,
    Region,
    RegionNotInForce,
    Rule,
    RuleRef,
    RuleResult,
    Silence,
    Trace,
    Verdict,
)

NATIONAL = "national"
"""Region code of the national layer (财政部令第102号 and other national rules)."""

_T = TypeVar("_T")

# Legal forms consistent with each USCC type hint (see _uscc.ORG_TYPE_LEGAL_FORM).
_USCC_COMPATIBLE_FORMS: Mapping[str, frozenset[LegalForm]] = {
    "social_group": frozenset({LegalForm.SOCIAL_GROUP, LegalForm.MASS_ORGANIZATION}),
    "private_non_enterprise_unit": frozenset({LegalForm.PRIVATE_NON_ENTERPRISE_UNIT}),
    "foundation": frozenset({LegalForm.FOUNDATION}),
    "enterprise": frozenset({LegalForm.ENTERPRISE}),
    "public_institution": frozenset({LegalForm.PUBLIC_INSTITUTION}),
    "rural_collective_economic_organization": frozenset({LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION}),
    "mass_organization": frozenset({LegalForm.MASS_ORGANIZATION, LegalForm.SOCIAL_GROUP}),
    "individual_business": frozenset({LegalForm.INDIVIDUAL, LegalForm.ENTERPRISE}),
    "farmers_cooperative": frozenset({LegalForm.ENTERPRISE, LegalForm.OTHER}),
    "state_organ": frozenset({LegalForm.OTHER}),
}


@attrs.frozen
class Contribution(Generic[_T]):
    """A record and the pack (distribution name) that contributed it."""

    pack: str
    record: _T


_PLAN_CACHE_SIZE = 4096
"""How many (region, day, national) plans a registry keeps before it starts afresh."""

_FINDINGS_PER_RULE = 256
"""How many findings a registry keeps per rule version, one per distinct result, before it starts afresh."""

_NOT_APPLICABLE, _FAIL, _UNKNOWN, _PASS = Outcome.NOT_APPLICABLE, Outcome.FAIL, Outcome.UNKNOWN, Outcome.PASS
_INELIGIBLE, _UNDETERMINED, _ELIGIBLE = Decision.INELIGIBLE, Decision.UNDETERMINED, Decision.ELIGIBLE

_Memo = dict[int, tuple[RuleResult, Finding]]
"""Findings of one rule version, by the identity of the result they were built from (which they keep alive)."""


class CheckPlan:
    """The rules of one region on one day, compiled once and evaluated per case in the core's own loop.

    Built by :meth:`Registry.plan`. Everything that does not depend on the case is worked out here
    once: the rules in force and their order, the trace, the silences, whether the region's sources
    are in force, which rules gate and which questions two layers could disagree on. Per case,
    :meth:`check` calls the predicates and nothing else is computed that a plan can know beforehand:

    - a finding depends only on the rule and its result, and most predicates return one of a few
      shared results (:func:`passed`, :func:`failed`, :func:`not_applicable` and :func:`unknown`
      give one frozen object per distinct result), so each finding is built once and shared by every
      verdict it belongs to (findings are frozen values: sharing one is the same as building it again);
    - the decision is read from the results and the plan's gating flags, and conflicts are paired only
      on a plan where a national and a regional gating rule answer the same question;
    - messages are built when a caller asks for them (:meth:`Finding.message`), never by the check.

    :meth:`decision` gives the decision and the failing rules alone, without a verdict, for a caller
    that needs no more (a screening run).
    """

    __slots__ = (
        "_conflicting",
        "_run",
        "_sides",
        "dormant",
        "layers",
        "on",
        "region",
        "silences",
        "steps",
        "trace",
    )

    def __init__(
        self,
        *,
        region: str,
        on: date,
        layers: tuple[str, ...],
        steps: tuple[tuple[Rule, str, Predicate], ...],
        trace: Trace,
        silences: tuple[Silence, ...],
        dormant: RegionNotInForce | None,
        memos: Sequence[_Memo] | None = None,
    ) -> None:
        self.region = region
        self.on = on
        self.layers = layers
        self.steps = steps
        self.trace = trace
        self.silences = silences
        self.dormant = dormant
        if memos is None:
            memos = [{} for _ in steps]
        # Per step: (rule, pack, predicate, gates, memo), unpacked in the loops below.
        self._run: tuple[tuple[Rule, str, Predicate, bool, _Memo], ...] = tuple(
            (rule, pack, predicate, rule.strength in GATING, memo)
            for (rule, pack, predicate), memo in zip(steps, memos, strict=True)
        )
        # The questions a national and a regional gating rule both answer: only there can layers
        # conflict (see _conflicts). Empty on most plans, and then nothing is paired per case.
        national = {r.question for r, _p, _f in steps if r.question and r.strength in GATING and r.region == NATIONAL}
        regional = {r.question for r, _p, _f in steps if r.question and r.strength in GATING and r.region != NATIONAL}
        self._conflicting = frozenset(national & regional)
        # Per step, for decision(): the question and whether the rule is national, where it can conflict.
        self._sides: tuple[tuple[str, bool] | None, ...] = tuple(
            (r.question, r.region == NATIONAL) if r.question in self._conflicting and r.strength in GATING else None
            for r, _p, _f in steps
        )

    def restricted(self, keep: Callable[[Rule], bool]) -> CheckPlan:
        """This plan with only the rules ``keep`` accepts, in the same order, sharing this plan's
        trace, silences and findings (a caller that needs the findings of some subjects only, such
        as a lifecycle step, need not call every predicate)."""
        kept = [(step, run[4]) for step, run in zip(self.steps, self._run, strict=True) if keep(step[0])]
        return CheckPlan(
            region=self.region,
            on=self.on,
            layers=self.layers,
            steps=tuple(step for step, _memo in kept),
            trace=self.trace,
            silences=self.silences,
            dormant=self.dormant,
            memos=[memo for _step, memo in kept],
        )

    def results(self, case: Case) -> list[tuple[Rule, str, RuleResult]]:
        """Each rule in force with a predicate, its pack and what it said about ``case``, in plan order."""
        on = self.on
        out: list[tuple[Rule, str, RuleResult]] = []
        for rule, pack, predicate, _gate, _memo in self._run:
            try:
                result = predicate(case, on)
            except BaseException as exc:
                raise _raised(rule, pack, exc) from exc
            if type(result) is not RuleResult and not isinstance(result, RuleResult):
                raise _not_a_result(rule, pack, result)
            out.append((rule, pack, result))
        return out

    def check(self, case: Case) -> Verdict:
        """The verdict on ``case``: the same as :meth:`Registry.check` for this plan's region and day."""
        on = self.on
        findings: list[Finding] = []
        add = findings.append
        applied = failed = unknown = False
        for rule, pack, predicate, gates, memo in self._run:
            try:
                result = predicate(case, on)
            except BaseException as exc:
                raise _raised(rule, pack, exc) from exc
            # The memo holds each result it has seen, so no other object can have that result's id:
            # a hit is that very result, already checked to be a RuleResult.
            seen = memo.get(id(result))
            if seen is not None:
                finding = seen[1]
            else:
                if type(result) is not RuleResult and not isinstance(result, RuleResult):
                    raise _not_a_result(rule, pack, result)
                finding = Finding(
                    rule,
                    result.outcome,
                    result.path,
                    result.detail_zh,
                    result.detail_en,
                    pack,
                    deciding=result.deciding,
                    attestation=result.attestation,
                    declared_false=result.declared_false,
                )
                # An attested pass is that case's own (who attested, when): it never comes back, and
                # the memo must not keep a case's data.
                if result.attestation is None:
                    if len(memo) >= _FINDINGS_PER_RULE:
                        memo.clear()  # results a predicate builds afresh each time must not pile up
                    memo[id(result)] = (result, finding)
            add(finding)
            if gates:
                outcome = result.outcome
                if outcome is not _NOT_APPLICABLE:
                    applied = True
                    if outcome is _FAIL:
                        failed = True
                    elif outcome is _UNKNOWN:
                        unknown = True
        conflicts = _conflicts(findings) if self._conflicting else ()
        if conflicts:
            decision = decide(findings, conflicts, region_in_force=self.dormant is None)
        elif failed:
            decision = _INELIGIBLE
        elif unknown or not applied or self.dormant is not None:
            decision = _UNDETERMINED
        else:
            decision = _ELIGIBLE
        return Verdict(
            region=self.region,
            on=on,
            decision=decision,
            findings=tuple(findings),
            conflicts=conflicts,
            trace=self.trace,
            input_warnings=_input_warnings(case),
            silences=self.silences,
            region_not_in_force=self.dormant,
        )

    def decision(self, case: Case) -> tuple[Decision, tuple[str, ...]]:
        """The decision on ``case`` and the ids of the gating rules it fails, in plan order.

        Exactly ``(verdict.decision, tuple(f.rule_id for f in verdict.failures))`` of :meth:`check`,
        found without building the verdict: for a caller that screens many cases and reports only
        which may go ahead and why not. A failure that is one side of a conflict between layers is
        listed (it is a failure) while the decision is ``undetermined``, as in the verdict.
        """
        if self._conflicting:
            return self._decision_across_layers(case)
        on = self.on
        failing: list[str] = []
        applied = unknown = False
        for rule, pack, predicate, gates, _memo in self._run:
            try:
                result = predicate(case, on)
            except BaseException as exc:
                raise _raised(rule, pack, exc) from exc
            if type(result) is not RuleResult and not isinstance(result, RuleResult):
                raise _not_a_result(rule, pack, result)
            if gates:
                outcome = result.outcome
                if outcome is not _NOT_APPLICABLE:
                    applied = True
                    if outcome is _FAIL:
                        failing.append(rule.rule_id)
                    elif outcome is _UNKNOWN:
                        unknown = True
        if failing:
            return _INELIGIBLE, tuple(failing)
        return (_UNDETERMINED if unknown or not applied or self.dormant is not None else _ELIGIBLE), ()

    def _decision_across_layers(self, case: Case) -> tuple[Decision, tuple[str, ...]]:
        # decision() on a plan where a national and a regional gating rule answer one question: the
        # conflict pairing of _conflicts, on rule ids. Per question, the national failures (not a
        # condition declared unmet) and whether every regional answer that applied passed.
        on = self.on
        failing: list[str] = []
        applied = unknown = False
        national_fails: dict[str, list[str]] = {}
        regional_yes: set[str] = set()
        regional_not_yes: set[str] = set()
        for (rule, pack, predicate, gates, _memo), side in zip(self._run, self._sides, strict=True):
            try:
                result = predicate(case, on)
            except BaseException as exc:
                raise _raised(rule, pack, exc) from exc
            if type(result) is not RuleResult and not isinstance(result, RuleResult):
                raise _not_a_result(rule, pack, result)
            if not gates:
                continue
            outcome = result.outcome
            if outcome is _NOT_APPLICABLE:
                continue
            applied = True
            if outcome is _FAIL:
                failing.append(rule.rule_id)
            elif outcome is _UNKNOWN:
                unknown = True
            if side is not None:
                question, is_national = side
                if is_national:
                    if outcome is _FAIL and not result.declared_false:
                        national_fails.setdefault(question, []).append(rule.rule_id)
                elif outcome is _PASS:
                    regional_yes.add(question)
                else:
                    regional_not_yes.add(question)
        in_conflict = {
            rule_id
            for question in (national_fails.keys() & regional_yes) - regional_not_yes
            for rule_id in national_fails[question]
        }
        if any(rule_id not in in_conflict for rule_id in failing):
            return _INELIGIBLE, tuple(failing)
        if in_conflict or unknown or not applied or self.dormant is not None:
            return _UNDETERMINED, tuple(failing)
        return _ELIGIBLE, tuple(failing)


def _raised(rule: Rule, pack: str, exc: BaseException) -> PluginError:
    # SystemExit and KeyboardInterrupt included: a predicate must never end the program or make
    # a command exit with a verdict's code; it is the pack's fault, named by its distribution.
    return PluginError(
        f"rule {rule.rule_id} of pack {pack} raised {type(exc).__name__}: {_bounded(exc)}",
        distribution=pack,
    )


def _not_a_result(rule: Rule, pack: str, result: object) -> PluginError:
    return PluginError(
        f"rule {rule.rule_id} of pack {pack} returned {type(result).__name__}, not a RuleResult",
        distribution=pack,
    )


class _Problem(Protocol):
    """A pack problem the plugin manager words in a reader's language (its ``PackProblem``)."""

    def text(self, lang: str) -> str: ...


class Registry:
    """Immutable view of every loaded pack's contributions.

    Build one with :func:`~socialwork_procurement.load_registry` or
    :meth:`RulePackManager.registry`; ask it questions with :meth:`check` and
    :meth:`evaluation_fee`.
    """

    def __init__(
        self,
        *,
        regions: Mapping[str, Contribution[Region]],
        rules: Sequence[Contribution[Rule]],
        silences: Sequence[Contribution[Silence]],
        indicators: Sequence[Contribution[Indicator]],
        periods: Sequence[Contribution[Period]],
        packs: Sequence[PackRef],
        problems: Sequence[str | _Problem] = (),
    ) -> None:
        self._regions = dict(sorted(regions.items()))
        self._rules = tuple(sorted(rules, key=lambda c: (c.record.region, c.record.rule_id, c.record.effective_from)))
        self._silences = tuple(silences)
        self._indicators = tuple(indicators)
        self._periods = tuple(periods)
        self.packs: tuple[PackRef, ...] = tuple(packs)
        self.problems: tuple[str, ...] = tuple(str(p) for p in problems)
        """Each pack problem in English, ``distribution: message`` (:meth:`problem_texts` for a reader)."""
        self._problems = tuple(problems)
        self._check_rule_versions()
        self._by_region: dict[str, tuple[Contribution[Rule], ...]] = {}
        grouped: dict[str, list[Contribution[Rule]]] = defaultdict(list)
        for c in self._rules:
            grouped[c.record.region].append(c)
        self._by_region = {k: tuple(v) for k, v in grouped.items()}
        self._plans: dict[tuple[str, date, bool], CheckPlan] = {}
        # A finding does not depend on the day, so every plan shares one memo per rule version.
        self._findings: dict[int, _Memo] = {id(c): {} for c in self._rules}

    def _check_rule_versions(self) -> None:
        # One rule id may have several versions, but never two in force on one day.
        by_id: dict[str, list[Contribution[Rule]]] = defaultdict(list)
        for c in self._rules:
            by_id[c.record.rule_id].append(c)
        for rule_id, versions in by_id.items():
            versions.sort(key=lambda c: c.record.effective_from)
            for a, b in itertools.pairwise(versions):
                end = a.record.effective_to
                if end is None or end >= b.record.effective_from:
                    raise RuleConflict(
                        f"rule {rule_id} has two versions in force on {b.record.effective_from} "
                        f"(from packs {a.pack} and {b.pack})",
                        rule_ids=[rule_id],
                        packs=[a.pack, b.pack],
                    )

    # -- regions and records --------------------------------------------------------------

    def problem_texts(self, lang: str) -> tuple[str, ...]:
        """:attr:`problems` in ``lang`` (``"zh"`` or ``"en"``): the library's own wording
        translated; an exception's text inside stays as it was raised."""
        return tuple(p if isinstance(p, str) else p.text(lang) for p in self._problems)

    def regions(self) -> tuple[Region, ...]:
        """Every declared region, sorted by code."""
        return tuple(c.record for c in self._regions.values())

    def region(self, code: str) -> Region:
        """The region ``code``; raises :class:`UnknownRegion` if no pack declares it."""
        try:
            return self._regions[code].record
        except KeyError:
            raise UnknownRegion(code, list(self._regions)) from None

    def region_pack(self, code: str) -> str:
        """Distribution name of the pack that declares region ``code``."""
        self.region(code)
        return self._regions[code].pack

    def layers(self, code: str, *, national: bool = True) -> tuple[str, ...]:
        """Region codes consulted for ``code``, outermost (national) first."""
        chain: list[str] = []
        current: str | None = code
        while current is not None and current not in chain:
            if current in self._regions:
                chain.append(current)
                current = self._regions[current].record.parent
            elif current == code:
                raise UnknownRegion(code, list(self._regions))
            else:
                break
        if not national:
            chain = [c for c in chain if c != NATIONAL or c == code]
        return tuple(reversed(chain))

    def rule_contributions(self, code: str, *, on: date | None = None) -> tuple[Contribution[Rule], ...]:
        """Rules of region ``code`` only (no lower layers), optionally only those in force ``on``."""
        self.region(code)
        rules = self._by_region.get(code, ())
        if on is not None:
            rules = tuple(c for c in rules if c.record.in_force(on))
        return rules

    def rules(self, code: str, *, on: date | None = None) -> tuple[Rule, ...]:
        """Rules of region ``code`` (sorted by id), optionally only those in force ``on``."""
        return tuple(c.record for c in self.rule_contributions(code, on=on))

    def rule(self, rule_id: str, *, on: date | None = None) -> Rule:
        """The rule ``rule_id`` (the version in force ``on``, or the latest)."""
        versions = [c.record for c in self._rules if c.record.rule_id == rule_id]
        if on is not None:
            versions = [r for r in versions if r.in_force(on)]
        if not versions:
            raise LookupError(f"no rule {rule_id!r}" + (f" in force on {on}" if on else ""))
        return versions[-1]

    def silences(self, code: str) -> tuple[Silence, ...]:
        """What region ``code``'s sources leave unspecified."""
        self.region(code)
        return tuple(c.record for c in self._silences if c.record.region == code)

    def indicators(self, code: str) -> tuple[Indicator, ...]:
        """Planning indicators of region ``code``."""
        self.region(code)
        return tuple(c.record for c in self._indicators if c.record.region == code)

    def periods(self, code: str, *, on: date | None = None) -> tuple[Period, ...]:
        """Dated periods of region ``code`` (those containing ``on`` if given), by start date."""
        self.region(code)
        found = [c.record for c in self._periods if c.record.region == code]
        if on is not None:
            found = [p for p in found if on in p]
        return tuple(sorted(found, key=lambda p: (p.start, p.period_id)))

    def region_not_in_force(self, code: str, on: date) -> RegionNotInForce | None:
        """Why region ``code`` has no source in force on ``on``, or ``None`` when one of its rules is.

        Only the region's own rules count (not the layers under it): the national layer in force
        does not make a region's sources in force. A region with no rules at all gives ``None``
        (there is no first date to name).
        """
        rules = [c.record for c in self.rule_contributions(code)]
        if not rules or any(r.in_force(on) for r in rules):
            return None
        first = min(r.effective_from for r in rules)
        if on < first:
            return RegionNotInForce(region=code, on=on, first_in_force=first)
        # Past the first day with nothing in force: every rule begun by then has ended before ``on``.
        last = max(r.effective_to for r in rules if r.effective_to is not None and r.effective_to < on)
        return RegionNotInForce(region=code, on=on, first_in_force=first, last_in_force=last)

    def silences_in_force(self, code: str, on: date, *, national: bool = True) -> tuple[Silence, ...]:
        """The silences of ``code`` and the layers under it that cover ``on``, outermost layer first."""
        layers = self.layers(code, national=national)
        return tuple(
            c.record for layer in layers for c in self._silences if c.record.region == layer and c.record.in_force(on)
        )

    # -- questions ------------------------------------------------------------------------

    def check(self, case: Case, *, region: str, on: date, national: bool = True) -> Verdict:
        """Check ``case`` against the rules of ``region`` (and the layers under it) in force ``on``.

        The decision is ``ineligible`` when a hard rule fails (and the failure is not part of a
        reported conflict between layers), else ``undetermined`` when a hard rule needs an
        unknown fact, two layers conflict, or no hard rule applied to the case at all, else
        ``eligible``. Soft rules never change it.

        On a day when no rule of ``region`` itself is in force (before its first source, or after
        its last ends) the verdict carries :attr:`Verdict.region_not_in_force` with the dates, and
        is never ``eligible``: the layers under it may still fail the case (a national failure is
        a failure anywhere), but the region's own rules for that day are not known to the library,
        so a case that fails nothing is ``undetermined``. The verdict also lists the silences of its
        layers that cover the day (:attr:`Verdict.silences`), so it says what it did not check.
        """
        return self.plan(region, on, national=national).check(case)

    def plan(self, region: str, on: date, *, national: bool = True) -> CheckPlan:
        """The compiled check plan for ``region`` on ``on``: built once, then reused for every case.

        What is fixed for a region and a day is worked out here and nowhere else: the layers, the
        rules in force and their order, the trace, the silences in force, whether the region's
        own sources are in force, which rules gate and where layers could conflict. Plans are cached
        (the registry is immutable, so a plan never goes stale); :meth:`check` is
        ``plan(...).check(case)``. For many cases of one region and day, keep the plan and call:

        - ``plan.check(case)``: the :class:`Verdict`, the same as :meth:`check`;
        - ``plan.decision(case)``: ``(decision, failing rule ids)`` alone, without building a verdict,
          the same as ``(verdict.decision, tuple(f.rule_id for f in verdict.failures))``;
        - ``plan.results(case)``: each rule in force with a predicate, its pack and its
          :class:`RuleResult`, in plan order (the national layer first, rule ids sorted in a layer).

        >>> from datetime import date
        >>> import socialwork_procurement as swp
        >>> plan = swp.load_registry().plan("xiamen", date(2015, 3, 1))
        >>> person = swp.Contractor(name="张三", legal_form=swp.LegalForm.INDIVIDUAL)
        >>> decision, failing = plan.decision(swp.Case(contractor=person))
        >>> decision.value, "xiamen.contractor.independent_legal_person" in failing
        ('ineligible', True)
        """
        key = (region, on, national)
        plan = self._plans.get(key)
        if plan is None:
            if len(self._plans) >= _PLAN_CACHE_SIZE:
                self._plans.clear()  # a long screening run over many days must not grow without bound
            plan = self._plans[key] = self._compile(region, on, national)
        return plan

    def _compile(self, region: str, on: date, national: bool) -> CheckPlan:
        layers = self.layers(region, national=national)
        in_force: list[Contribution[Rule]] = []
        not_in_force: list[Contribution[Rule]] = []
        for layer in layers:
            for c in self._by_region.get(layer, ()):
                (in_force if c.record.in_force(on) else not_in_force).append(c)

        def ref(c: Contribution[Rule]) -> RuleRef:
            r = c.record
            return RuleRef(r.rule_id, r.region, r.effective_from, r.effective_to, c.pack)

        used_packs = {c.pack for c in in_force} | {self._regions[layer].pack for layer in layers}
        trace = Trace(
            packs=tuple(p for p in self.packs if p.distribution in used_packs),
            layers=layers,
            rules_in_force=tuple(ref(c) for c in in_force),
            rules_not_in_force=tuple(ref(c) for c in not_in_force),
        )
        checked = [c for c in in_force if c.record.predicate is not None]
        return CheckPlan(
            region=region,
            on=on,
            layers=layers,
            steps=tuple((c.record, c.pack, c.record.predicate) for c in checked if c.record.predicate is not None),
            memos=[self._findings[id(c)] for c in checked],
            trace=trace,
            silences=self.silences_in_force(region, on, national=national),
            dormant=self.region_not_in_force(region, on),
        )

    def evaluation_fee(self, *, region: str, base_amount: Decimal, on: date, national: bool = True) -> FeeAnswer:
        """The evaluation fee (评估费用) on ``base_amount`` in ``region`` on ``on``.

        ``base_amount`` is whatever the caller takes the rule's base to be: Xiamen's source says
        «总购买资金» without saying whether the fee sits inside or on top of it, so the library
        never derives the base from a contract for you. Where no rule sets a fee the answer has
        ``fee=None`` and the reason; two rules in force that disagree raise :class:`RuleConflict`.
        On a day when no source of ``region`` is in force (before its first, or after its last
        ends), the reason says so with the dates (:attr:`FeeAnswer.region_not_in_force`), not «the
        source sets no fee».
        """
        if not isinstance(base_amount, Decimal):
            raise TypeError("base_amount must be a Decimal amount in yuan")
        check_fen_exact(base_amount)
        if base_amount < 0:
            raise ValueError(f"base_amount must not be negative: {base_amount}")
        layers = self.layers(region, national=national)
        fee_rules = [
            c
            for layer in layers
            for c in self._by_region.get(layer, ())
            if c.record.fee is not None and c.record.in_force(on)
        ]
        distinct = {c.record.fee for c in fee_rules}
        if len(distinct) > 1:
            raise RuleConflict(
                f"{len(fee_rules)} evaluation-fee rules disagree for {region} on {on}: "
                + ", ".join(f"{c.record.rule_id} ({c.pack})" for c in fee_rules),
                rule_ids=[c.record.rule_id for c in fee_rules],
                packs=[c.pack for c in fee_rules],
            )
        if fee_rules:
            chosen = fee_rules[-1]
            assert chosen.record.fee is not None
            return FeeAnswer(
                region=region,
                on=on,
                base_amount=base_amount,
                fee=chosen.record.fee.fee_for(base_amount),
                rule=chosen.record,
                reason_zh=None,
                reason_en=None,
                pack=chosen.pack,
            )
        silence = next(
            (
                c.record
                for layer in reversed(layers)
                for c in self._silences
                if c.record.region == layer and c.record.topic == "evaluation_fee" and c.record.in_force(on)
            ),
            None,
        )
        not_in_force = self.region_not_in_force(region, on)
        if not_in_force is not None:
            # The region's sources were not in force: whatever a lower layer leaves silent, the
            # region's own fee on that day is not known, and the answer must not read «not set».
            return FeeAnswer(
                region,
                on,
                base_amount,
                None,
                None,
                not_in_force.message("zh"),
                not_in_force.message("en"),
                silence,
                region_not_in_force=not_in_force,
            )
        if silence is not None:
            return FeeAnswer(region, on, base_amount, None, None, silence.statement_zh, silence.statement_en, silence)
        return FeeAnswer(
            region,
            on,
            base_amount,
            None,
            None,
            f"{region} 的规则包在 {on.isoformat()} 没有生效的评估费用规则,来源未规定评估费用",
            f"no evaluation-fee rule of {region}'s packs is in force on {on.isoformat()}: not specified",
        )


def decide(
    findings: Iterable[Finding], conflicts: Iterable[Conflict] = (), *, region_in_force: bool = True
) -> Decision:
    """The decision that ``findings`` (and any ``conflicts`` between layers) lead to.

    - ``ineligible`` when a hard (or «原则上») rule fails, unless that failure is one side of a
      reported conflict between a regional and a national rule;
    - ``undetermined`` when such a rule needs an unknown fact, when layers conflict, when no
      such rule applied at all (none in force that day, or none about the parts given: nothing
      was checked, so nothing is shown eligible), or when ``region_in_force`` is false (no source
      of the region asked is in force that day: :attr:`Verdict.region_not_in_force`);
    - ``eligible`` otherwise. Soft and info findings never enter into it. A rule that passes on
      an attestation (:func:`passed_by_attestation`) is a pass.
    """
    conflicts = tuple(conflicts)
    in_conflict = {f for c in conflicts for f in (c.regional, c.national)}
    applied = [f for f in findings if f.rule.strength in GATING and f.outcome is not _NOT_APPLICABLE]
    if any(f.outcome is _FAIL and f not in in_conflict for f in applied):
        return Decision.INELIGIBLE
    if conflicts or not applied or not region_in_force or any(f.outcome is _UNKNOWN for f in applied):
        return Decision.UNDETERMINED
    return Decision.ELIGIBLE


def _conflicts(findings: Iterable[Finding]) -> tuple[Conflict, ...]:
    """A regional rule that passes where a national rule answering the same ``question`` fails.

    Rules are paired by :attr:`Rule.question` (``"purchaser.type"``, ``"contractor.type"``), so
    the conflict names the rules that actually disagree, and findings on other questions (an
    unknown governance fact, say) neither hide nor stand in for it. The regional layer answers a
    question as a whole: it «allows» only when every one of its rules on that question that
    applied passed (one failing or unknown means the region does not clearly allow it either).
    A national failure that is a stated condition declared unmet (``declared_false``: a body
    declared not 依法成立) is no answer to the question, so it is never one side of a conflict.
    """
    national: dict[str, list[Finding]] = {}
    regional: dict[str, list[Finding]] = {}
    regional_not_yes: set[str] = set()
    for f in findings:
        question = f.rule.question
        if question is None or f.rule.strength not in GATING or f.outcome is _NOT_APPLICABLE:
            continue
        if f.rule.region == NATIONAL:
            if f.outcome is _FAIL and not f.declared_false:
                national.setdefault(question, []).append(f)
        elif f.outcome is _PASS:
            regional.setdefault(question, []).append(f)
        else:
            regional_not_yes.add(question)
    out: list[Conflict] = []
    for question in sorted((national.keys() & regional.keys()) - regional_not_yes):
        for nf in national[question]:
            for rf in regional[question]:
                out.append(
                    Conflict(
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


def _input_warnings(case: Case) -> tuple[InputWarning, ...]:
    contractor = case.contractor
    if contractor is None or contractor.uscc is None:
        return ()
    # The contractor's USCC was validated (and normalised) when the case was built: its first two
    # characters (the registration authority and the organisation type) are all the hint needs.
    code = contractor.uscc[:2]
    known = _HINTS.get(code)
    if known is None:
        from ..model._uscc import legal_form_hint

        hint = legal_form_hint(code)
        known = _HINTS[code] = (hint, _USCC_COMPATIBLE_FORMS.get(hint, frozenset()) if hint is not None else None)
    hint, compatible = known
    if compatible is None or contractor.legal_form in compatible:
        return ()
    assert hint is not None  # a hint with no compatible forms is None above
    from ..model._uscc import ORG_TYPE_NAMES

    zh, en = ORG_TYPE_NAMES[hint]
    return (
        InputWarning(
            "$.contractor.uscc",
            Message(
                "type code {code} means {hinted}, but the declared legal form is {legal_form}",
                code=code,
                hinted=Bilingual(zh, en),
                legal_form=contractor.legal_form,
            ),
        ),
    )


_HINTS: dict[str, tuple[str | None, frozenset[LegalForm] | None]] = {}
"""Per USCC type code: the legal form it hints at and the legal forms consistent with it (``None``: no hint)."""


def _bounded(exc: BaseException, limit: int = 200) -> str:
    """The exception's message, cut to ``limit`` characters: a pack's error text is not ours to print whole."""
    text = str(exc)
    return text if len(text) <= limit else text[:limit] + "…"
