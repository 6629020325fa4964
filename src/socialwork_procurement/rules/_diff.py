"""What changed in a region's rules between two dates, and a region's timeline (issue 12).

A rule is compared by id: *added* when no version of it is in force on the first date and one is on the
second, *ended* the other way round, *changed* when two different versions are in force on the two dates
and differ in strength, kind, fee, question, message or quote. Silences are compared by topic the same way.
Every layer the region consults is included (the national layer unless ``national=False``), so the
national decree's arrival in 2020 shows up in any regional diff across that date, together with the
questions on which a regional and a national rule now both answer (where a case can make them conflict).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date, timedelta

import attrs

from ._registry import NATIONAL, Registry
from ._rules import Rule, Silence

_COMPARED = ("strength", "kind", "fee", "question", "message_zh", "message_en", "subject")


class ChangeKind(enum.StrEnum):
    """How a rule or silence differs between the two dates."""

    ADDED = "added"
    ENDED = "ended"
    CHANGED = "changed"


@attrs.frozen
class RuleChange:
    """One rule that was added, ended or changed between two dates."""

    change: ChangeKind
    rule_id: str
    layer: str
    before: Rule | None
    """The version in force on the first date (``None`` when added)."""
    after: Rule | None
    """The version in force on the second date (``None`` when ended)."""
    fields: tuple[str, ...] = ()
    """For a change: which of strength, kind, fee, question, subject, messages and quote differ."""


@attrs.frozen
class SilenceChange:
    """One silence (a «the sources do not say») that began or ended between two dates."""

    change: ChangeKind
    topic: str
    layer: str
    before: Silence | None
    after: Silence | None


@attrs.frozen
class RulesDiff:
    """The rules and silences of ``region`` (and its layers) that differ between ``from_date`` and ``to_date``."""

    region: str
    from_date: date
    to_date: date
    layers: tuple[str, ...]
    rules: tuple[RuleChange, ...]
    silences: tuple[SilenceChange, ...]
    shared_questions: tuple[str, ...]
    """Questions on which both a regional and a national rule are in force on ``to_date`` but not on
    ``from_date``: where a case can now meet a conflict between the layers."""

    @property
    def empty(self) -> bool:
        return not (self.rules or self.silences or self.shared_questions)


def _in_force(records: Iterable[Rule], on: date) -> dict[str, Rule]:
    return {r.rule_id: r for r in records if r.in_force(on)}


def _differing(before: Rule, after: Rule) -> tuple[str, ...]:
    fields = [name for name in _COMPARED if getattr(before, name) != getattr(after, name)]
    if before.citation.quote != after.citation.quote:
        fields.append("quote")
    return tuple(fields)


def diff_records(
    region: str,
    layers: tuple[str, ...],
    rules: Iterable[Rule],
    silences: Iterable[Silence],
    *,
    from_date: date,
    to_date: date,
    national_layer: str,
) -> RulesDiff:
    """Compare ``rules`` and ``silences`` (all versions, of every layer) on two dates."""
    all_rules = [r for r in rules if r.region in layers]
    before, after = _in_force(all_rules, from_date), _in_force(all_rules, to_date)
    changes: list[RuleChange] = []
    for rule_id in sorted(before.keys() | after.keys()):
        old, new = before.get(rule_id), after.get(rule_id)
        if old is None and new is not None:
            changes.append(RuleChange(ChangeKind.ADDED, rule_id, new.region, None, new))
        elif new is None and old is not None:
            changes.append(RuleChange(ChangeKind.ENDED, rule_id, old.region, old, None))
        elif old is not None and new is not None and old != new:
            fields = _differing(old, new)
            if fields:
                changes.append(RuleChange(ChangeKind.CHANGED, rule_id, new.region, old, new, fields))
    all_silences = [s for s in silences if s.region in layers]
    silence_changes: list[SilenceChange] = []
    for s in sorted(all_silences, key=lambda s: (s.region, s.topic, s.effective_from)):
        was, now = s.in_force(from_date), s.in_force(to_date)
        if now and not was:
            silence_changes.append(SilenceChange(ChangeKind.ADDED, s.topic, s.region, None, s))
        elif was and not now:
            silence_changes.append(SilenceChange(ChangeKind.ENDED, s.topic, s.region, s, None))

    def shared(in_force: dict[str, Rule]) -> set[str]:
        national = {r.question for r in in_force.values() if r.region == national_layer and r.question}
        regional = {r.question for r in in_force.values() if r.region != national_layer and r.question}
        return national & regional

    return RulesDiff(
        region=region,
        from_date=from_date,
        to_date=to_date,
        layers=layers,
        rules=tuple(changes),
        silences=tuple(silence_changes),
        shared_questions=tuple(sorted(shared(after) - shared(before))),
    )


def timeline_dates(rules: Iterable[Rule], silences: Iterable[Silence]) -> tuple[date, ...]:
    """Every day on which something begins or ends: each ``effective_from`` and the day after each ``effective_to``.

    A record ending on ``date.max`` has no day after it; it adds nothing (total over ``date``'s range).
    """
    days: set[date] = set()
    records: list[Rule | Silence] = [*rules, *silences]
    for record in records:
        days.add(record.effective_from)
        if record.effective_to is not None and record.effective_to < date.max:
            days.add(record.effective_to + timedelta(days=1))
    return tuple(sorted(days))


@attrs.frozen
class TimelineEntry:
    """What changed in a region's rules on ``day`` (against the day before)."""

    day: date
    diff: RulesDiff


def rules_diff(registry: Registry, region: str, from_date: date, to_date: date, *, national: bool = True) -> RulesDiff:
    """The rules and silences of ``region`` added, ended or changed between ``from_date`` and ``to_date``.

    Both dates are days on which the question is asked (rules in force *on* each day are compared);
    ``from_date`` may be after ``to_date`` (the diff then reads backwards). Raises
    :class:`~socialwork_procurement.UnknownRegion` for a region no pack declares.
    """
    layers = registry.layers(region, national=national)
    rules = [rule for layer in layers for rule in registry.rules(layer)]
    silences = [silence for layer in layers for silence in registry.silences(layer)]
    return diff_records(region, layers, rules, silences, from_date=from_date, to_date=to_date, national_layer=NATIONAL)


def region_timeline(registry: Registry, region: str, *, national: bool = True) -> tuple[TimelineEntry, ...]:
    """Each day on which ``region``'s rules (with its layers) change, with what changed that day."""
    layers = registry.layers(region, national=national)
    rules = [rule for layer in layers for rule in registry.rules(layer)]
    silences = [silence for layer in layers for silence in registry.silences(layer)]
    entries = []
    for day in timeline_dates(rules, silences):
        if day == date.min:
            continue  # nothing can be in force the day before date.min
        diff = diff_records(
            region, layers, rules, silences, from_date=day - timedelta(days=1), to_date=day, national_layer=NATIONAL
        )
        if not diff.empty:
            entries.append(TimelineEntry(day, diff))
    return tuple(entries)
