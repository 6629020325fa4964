"""What the ``swp`` commands print: the JSON shapes (a stable contract for machines) and the text for people."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Final

from .._i18n import Message
from ..export._names import localize_identifiers, name
from ..rules._rules import (
    Basis,
    Decision,
    Finding,
    Outcome,
    Source,
    Strength,
    Subject,
    Verdict,
)
from ._common import text
from ._wrap import Style, paint, wrap

_DECISION_TEXT = {
    "zh": {Decision.ELIGIBLE: "符合", Decision.INELIGIBLE: "不符合", Decision.UNDETERMINED: "无法确定"},
    "en": {Decision.ELIGIBLE: "eligible", Decision.INELIGIBLE: "ineligible", Decision.UNDETERMINED: "undetermined"},
}
_STRENGTH_TEXT = {
    "zh": {Strength.HARD: "硬性", Strength.HARD_DEFAULT: "原则上", Strength.SOFT: "优先", Strength.INFO: "信息"},
    "en": {Strength.HARD: "hard", Strength.HARD_DEFAULT: "in principle", Strength.SOFT: "soft", Strength.INFO: "info"},
}

_OUTCOME_STYLE: Final[Mapping[Outcome, str]] = {
    Outcome.FAIL: Style.RED,
    Outcome.UNKNOWN: Style.YELLOW,
    Outcome.PASS: Style.GREEN,
    Outcome.NOT_APPLICABLE: Style.DIM,
}
_DECISION_STYLE: Final[Mapping[Decision, str]] = {
    Decision.ELIGIBLE: f"{Style.BOLD};{Style.GREEN}",
    Decision.INELIGIBLE: Style.RED,  # red is bold already
    Decision.UNDETERMINED: f"{Style.BOLD};{Style.YELLOW}",
}


class _Report:
    """The lines of a text report: each paragraph wrapped to ``width``, painted when ``colour``."""

    def __init__(self, lang: str, width: int | None, colour: bool) -> None:
        self.lang, self.width, self.colour = lang, width, colour
        self.lines: list[str] = []

    def say(self, message: Message) -> str:
        return text(message, self.lang)

    def add(
        self,
        line: Message | str,
        indent: str = "",
        subsequent: str | None = None,
        *,
        tag: str | None = None,
        style: str | None = None,
    ) -> None:
        """One paragraph. With colour, ``tag`` (the start of its text) is painted in ``style``; without a
        tag the whole paragraph is. Painting comes after wrapping: escape codes take no columns."""
        wrapped = wrap(line if isinstance(line, str) else self.say(line), self.width, indent, subsequent)
        if self.colour and style is not None:
            if tag is None:
                wrapped = [_paint_after_indent(w, style) for w in wrapped]
            elif wrapped[0][len(indent) :].startswith(tag):
                first = wrapped[0]
                wrapped[0] = indent + paint(tag, style, True) + first[len(indent) + len(tag) :]
        self.lines += wrapped

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")


def _paint_after_indent(line: str, style: str) -> str:
    body = line.lstrip(" ")
    return line[: len(line) - len(body)] + paint(body, style, True)


def source_text(source: Source, lang: str) -> str:
    """A source as a person cites it: 《title》 and its number (厦府办〔2015〕3号), never a seed file's hashed name."""
    title = f"《{source.title}》"
    if not source.number:
        return title
    return f"{title}{source.number}" if lang == "zh" else f"{title} {source.number}"


def _outcome_words(finding: Finding, lang: str) -> str:
    """The outcome in words: a soft rule says whether the preference is met, never «pass» or «fail»."""
    if finding.rule.strength is Strength.SOFT:
        if finding.outcome is Outcome.PASS:
            return text(Message("preference met"), lang)
        if finding.outcome is Outcome.FAIL:
            return text(Message("preference not met"), lang)
    return name(finding.outcome, lang)


def _outcome_style(finding: Finding) -> str:
    if finding.rule.strength is Strength.SOFT and finding.outcome is Outcome.FAIL:
        return Style.MAGENTA  # a preference not met ranks a bidder lower; it is not a failure
    return _OUTCOME_STYLE[finding.outcome]


def _rank(finding: Finding) -> int:
    """Where a finding stands in its group: gating failures, unknowns, passes; then the preferences; then the rest."""
    strength = finding.rule.strength
    if strength.gates:
        return {Outcome.FAIL: 0, Outcome.UNKNOWN: 1, Outcome.PASS: 2}.get(finding.outcome, 6)
    if strength is Strength.SOFT:
        return {Outcome.FAIL: 3, Outcome.UNKNOWN: 4, Outcome.PASS: 5}.get(finding.outcome, 6)
    return 6


def _finding_lines(out: _Report, finding: Finding, *, quotes: bool, indent: str = "  ") -> None:
    rule, lang = finding.rule, out.lang
    tag = f"[{_outcome_words(finding, lang)}]"
    label = name(rule.strength, lang)
    if rule.basis is not Basis.SOURCE:
        label += f" · {name(rule.basis, lang)}"
    more = indent + "  "
    head = Message("{outcome} {rule_id} ({strength})", outcome=tag, rule_id=finding.rule_id, strength=label)
    out.add(head, indent, more, tag=tag, style=_outcome_style(finding))
    out.add(localize_identifiers(rule.message(lang), lang), more, more)
    detail = finding.detail_zh if lang == "zh" else finding.detail_en
    if detail:
        reason = Message("this case ({path}): {detail}", path=finding.path, detail=localize_identifiers(detail, lang))
        out.add(reason, more, more + "  ")
    out.add(Message("source: {source}", source=source_text(rule.citation.source, lang)), more, more + "  ")
    if quotes:
        out.add(Message("quote: 「{quote}」", quote=rule.citation.quote), more, more + "  ")


def outcome_counts(findings: Iterable[Finding]) -> dict[Outcome, int]:
    """How many of ``findings`` have each outcome (every outcome present, 0 when none has it)."""
    counts = dict.fromkeys(Outcome, 0)
    for f in findings:
        counts[f.outcome] += 1
    return counts


def summary_line(verdict: Verdict) -> Message:
    """The first line of ``swp check``'s text: the decision, the outcomes of the rules that are not
    soft, and the soft preferences that applied counted apart (they rank bidders; they never decide).
    The rules that did not apply, soft ones included, are all counted again below the findings."""
    main = outcome_counts(f for f in verdict.findings if f.rule.strength is not Strength.SOFT)
    line = Message(
        "decision: {decision} · {passed} pass, {failed} fail, {unknown} unknown, {not_applicable} not applicable",
        decision=verdict.decision,
        passed=main[Outcome.PASS],
        failed=main[Outcome.FAIL],
        unknown=main[Outcome.UNKNOWN],
        not_applicable=main[Outcome.NOT_APPLICABLE],
    )
    soft = outcome_counts(f for f in verdict.findings if f.rule.strength is Strength.SOFT)
    if soft[Outcome.PASS] + soft[Outcome.FAIL] + soft[Outcome.UNKNOWN] == 0:
        return line  # no preference applied (those that did not apply are counted with the others below)
    return Message(
        "{line}; preferences, counted apart: {met} met, {not_met} not met, {unknown} unknown",
        line=line,
        met=soft[Outcome.PASS],
        not_met=soft[Outcome.FAIL],
        unknown=soft[Outcome.UNKNOWN],
    )


def _value_text(value: str | bool, lang: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    # The value is what to type in the case file, so it is shown as it is; under zh its name follows.
    shown = localize_identifiers(value, lang)
    return f"{value}({shown})" if lang == "zh" and shown != value else value


def verdict_text(
    verdict: Verdict,
    lang: str,
    *,
    width: int | None = None,
    colour: bool = False,
    quotes: bool = False,
    show_all: bool = False,
    region_name: Callable[[str], str] | None = None,
) -> str:
    """``swp check``'s text: a summary line, the findings by subject (gating failures first), then
    what did not apply, conflicts, input warnings, attestations, silences and the facts to declare.

    ``width`` wraps the lines to that many columns (``None``: no wrapping); ``colour`` paints the
    outcomes with ANSI codes; ``quotes`` shows each rule's source sentence under its finding;
    ``show_all`` lists the rules that do not apply (otherwise they are counted); ``region_name``
    names a region code in ``lang`` (otherwise the code is shown).
    """
    out = _Report(lang, width, colour)

    def region(code: str) -> str:
        return region_name(code) if region_name is not None else code

    out.add(summary_line(verdict), "", "  ", style=_DECISION_STYLE[verdict.decision])
    out.add(Message("region: {region} · on {on}", region=region(verdict.region), on=verdict.on))
    if verdict.region_not_in_force is not None:
        tag = out.say(Message("[not in force]"))
        out.add(f"{tag} {verdict.region_not_in_force.message(lang)}", "", "  ", tag=tag, style=Style.YELLOW)

    applied = [f for f in verdict.findings if f.outcome is not Outcome.NOT_APPLICABLE]
    skipped = [f for f in verdict.findings if f.outcome is Outcome.NOT_APPLICABLE]
    groups: dict[Subject, list[Finding]] = {}
    for f in applied:
        groups.setdefault(f.rule.subject, []).append(f)
    failing = {f.rule.subject for f in verdict.failures}
    order = list(Subject)
    # The subjects in their declared order, those with a gating failure first.
    for subject in sorted(groups, key=lambda s: (s not in failing, order.index(s))):
        findings = sorted(groups[subject], key=_rank)  # stable: the verdict's order within a rank
        out.blank()
        out.add(Message("{subject} ({count})", subject=subject, count=len(findings)), style=Style.BOLD)
        for f in findings:
            _finding_lines(out, f, quotes=quotes)

    if skipped:
        out.blank()
        if show_all:
            out.add(Message("rules that do not apply to this case ({count}):", count=len(skipped)), style=Style.BOLD)
            for f in skipped:
                _finding_lines(out, f, quotes=quotes)
        else:
            out.add(Message("rules that do not apply to this case: {count} (--all lists them)", count=len(skipped)))

    notes: list[tuple[str, str, str]] = []
    for c in verdict.conflicts:
        tag = out.say(Message("[conflict]"))
        notes.append((tag, localize_identifiers(c.message_zh if lang == "zh" else c.message_en, lang), Style.RED))
    for w in verdict.input_warnings:
        notes.append((out.say(Message("[input warning]")), w.text(lang, name=name), Style.YELLOW))
    for f in verdict.attested:
        a = f.attestation
        assert a is not None
        attested = Message(
            "{rule_id}: {condition} attested by {attested_by} on {day}, on the basis of: {basis}",
            rule_id=f.rule_id,
            condition=a.condition,
            attested_by=a.attested_by,
            day=a.date,
            basis=a.basis,
        )
        notes.append((out.say(Message("[attested]")), out.say(attested), Style.CYAN))
    if notes:
        out.blank()
        for tag, line, style in notes:
            out.add(f"{tag} {line}", "", "  ", tag=tag, style=style)

    if verdict.silences:
        out.blank()
        out.add(Message("what this answer does not check, and what the sources leave open:"), style=Style.BOLD)
        for s in verdict.silences:
            tag = f"[{name(s.kind, lang)}]"
            statement = localize_identifiers(s.statement_zh if lang == "zh" else s.statement_en, lang)
            out.add(f"{tag} {region(s.region)}: {statement}", "  ", "    ", tag=tag, style=Style.DIM)

    to_decide = verdict.to_decide
    if to_decide:
        out.blank()
        out.add(Message("to decide this case, declare:"), style=Style.BOLD)
        for t in to_decide:
            values = " | ".join(_value_text(x, lang) for x in t.values)
            fact = f"{t.path} ({values})" if values else t.path
            out.add(f"{fact} · {', '.join(t.rule_ids)}", "  ", "      ")
            for note in t.notes(lang):
                out.add(localize_identifiers(note, lang), "      ", "      ")
    return "\n".join(out.lines)
