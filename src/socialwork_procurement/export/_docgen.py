"""Generated documentation: one page per region listing every rule with its quote.

``swp docs --out docs/regions`` writes the pages; a test fails when a committed page differs from
what the installed packs generate, so the docs cannot drift from the rules.

Each page ends with the region's **timeline** (every day something begins or ends, in every layer a
purchase there consults: :func:`~socialwork_procurement.rules._diff.region_timeline`) and its
**scenario coverage**: how often the packs' scenarios made each rule pass, fail, come out unknown or
not applicable. The coverage is read from the report the scenario plugin writes
(``pytest --swp-coverage-json``), kept beside the pages as ``coverage.json`` (:data:`COVERAGE_FILE`):
running scenarios is the test run's job, not the page generator's. Regenerate both with::

    python -m pytest -p no:cacheprovider --swp-coverage-json docs/regions/coverage.json \\
        plugins/*/tests/swp_scenarios_*.yaml
    swp docs --out docs/regions
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..model._types import EvaluationStage
from ..rules._diff import RulesDiff, region_timeline
from ..rules._registry import Registry
from ..rules._rules import Rule, SilenceKind
from ._names import name

COVERAGE_FILE = "coverage.json"
"""The scenario plugin's coverage report, beside the pages it feeds (``docs/regions/coverage.json``)."""

_STRENGTH = {"hard": "hard", "hard_default": "hard default (原则上)", "soft": "soft (优先)", "info": "info"}


def _rule_block(rule: Rule) -> list[str]:
    source = rule.citation.source
    end = rule.effective_to.isoformat() if rule.effective_to else "in force"
    lines = [
        f"### `{rule.rule_id}`",
        "",
        f"- kind: {rule.kind.value}; strength: {_STRENGTH[rule.strength.value]}; subject: {rule.subject.value}",
        f"- effective: {rule.effective_from.isoformat()} – {end}",
        f"- source: {source.file or source.url} ({source.title}{', ' + source.number if source.number else ''})",
        f"- 「{rule.citation.quote}」",
        f"- {rule.message_zh}",
        f"- {rule.message_en}",
    ]
    if rule.dates_note:
        lines.append(f"- dates: {rule.dates_note}")
    if rule.citation.note:
        lines.append(f"- quote: {rule.citation.note}")
    if rule.fee is not None:
        lines.append(
            f"- fee: {rule.fee.rate * 100:f}% of {rule.fee.base_en} ({rule.fee.base_zh}), "
            f"rounded to the fen {rule.fee.rounding}"
        )
    if rule.evaluation_stages:
        ordered = sorted(rule.evaluation_stages, key=list(EvaluationStage).index)
        zh = "、".join(name(s, "zh") for s in ordered)
        en = " and ".join(name(s, "en") for s in ordered)
        by_zh = "、".join(name(r, "zh") for r in sorted(rule.evaluators))
        by_en = ", ".join(name(r, "en") for r in sorted(rule.evaluators))
        lines.append(
            f"- evaluation schedule / 评估日程: {zh}" + (f"(由{by_zh}进行)" if by_zh else "")
            + f" / {en}" + (f" (by a {by_en})" if by_en else "")
        )
        if EvaluationStage.MIDTERM in rule.evaluation_stages:
            lines.append(
                "- lifecycle / 生命周期: 合同期内本规则有效时,须先有中期评估才能记录末期评估 / while this rule is "
                "in force during a contract, a final evaluation is refused until a mid-term one is on record"
            )
    if rule.predicate is None and rule.fee is None:
        lines.append("- data only: not checked against a single purchase")
    return [*lines, ""]


def _schedule_section(registry: Registry, code: str) -> list[str]:
    """Which rule of the region's layers sets the evaluation schedule, and what the lifecycle does."""
    setting = [
        rule
        for layer in registry.layers(code)
        for rule in registry.rules(layer)
        if EvaluationStage.MIDTERM in rule.evaluation_stages
    ]
    lines = ["## Evaluation schedule / 评估日程", ""]
    if not setting:
        return [
            *lines,
            "No rule of this region's layers requires a mid-term evaluation: in the lifecycle a final evaluation "
            "may follow the service directly (`in_service → final_evaluated`); a mid-term evaluation may still "
            "be recorded. / 本地区各层级的规则均未要求中期评估:服务开始后可直接进行末期评估,也可记录中期评估。",
            "",
        ]
    ids = ", ".join(f"`{rule.rule_id}` ({rule.effective_from.isoformat()} – "
                    f"{rule.effective_to.isoformat() if rule.effective_to else 'in force'})" for rule in setting)
    return [
        *lines,
        f"A mid-term evaluation is required where one of these rules is in force during the contract: {ids}. "
        "The lifecycle then refuses a final evaluation until a mid-term one by the evaluators the rule names is "
        "on record. / 合同期内上述规则有效时,须先有规则所指评估方的中期评估,才能记录末期评估。",
        "",
    ]


def region_page(registry: Registry, code: str, *, coverage: Mapping[str, Any] | None = None) -> str:
    """The Markdown page of region ``code``; ``coverage`` is the scenario plugin's report (:func:`load_coverage`).

    Without a report the page says that no coverage was recorded, rather than leaving the section out.
    """
    region = registry.region(code)
    pack = next(p for p in registry.packs if p.distribution == registry.region_pack(code))
    lines = [
        f"# {region.name_zh} / {region.name_en} (`{code}`)",
        "",
        f"Generated from the installed pack `{pack.distribution}` {pack.version} by `swp docs`; do not edit by hand.",
        "",
    ]
    if region.parent is not None:
        layers = " → ".join(f"`{layer}`" for layer in registry.layers(code))
        lines += [f"Lies in `{region.parent}`: a check here consults the layers {layers}.", ""]
    lines += ["## Sources", ""]
    for s in region.sources:
        date_text = s.date.isoformat() if s.date else (s.date_note or "date not stated")
        lines.append(f"- {s.file or s.url}: 《{s.title}》 {s.number or '(number not known)'}, {date_text}")
    rules = registry.rules(code)
    lines += ["", f"## Rules ({len(rules)})", ""]
    for rule in rules:
        lines += _rule_block(rule)
    lines += _schedule_section(registry, code)
    silences = registry.silences(code)
    if silences:
        lines += ["## What the sources leave unspecified", ""]
        for silence in sorted(silences, key=lambda s: s.topic):
            lines.append(f"- **{silence.topic}**: {silence.statement_en} / {silence.statement_zh}")
        lines.append("")
    indicators = registry.indicators(code)
    if indicators:
        lines += ["## Planning indicators", ""]
        for ind in indicators:
            per = f" per {ind.per} {ind.per_unit}" if ind.per is not None else ""
            lines.append(
                f"- `{ind.indicator_id}` ({ind.rule_id}): {ind.comparison.value} {ind.target} {ind.unit}{per} "
                f"by {ind.due.isoformat()}: {ind.description_en}"
            )
        lines.append("")
    periods = registry.periods(code)
    if periods:
        lines += ["## Periods", ""]
        for period in periods:
            span = f"{period.start.isoformat()} – {period.end.isoformat()}"
            lines.append(f"- `{period.period_id}`: {span} {period.name_zh} / {period.name_en}")
        lines.append("")
    lines += _timeline_lines(registry, code)
    lines += _coverage_lines(coverage, code)
    return "\n".join(lines).rstrip() + "\n"


_CHANGE = {"added": "added", "ended": "ended", "changed": "changed"}


def _timeline_lines(registry: Registry, code: str) -> list[str]:
    entries = region_timeline(registry, code)
    layers = ", ".join(f"`{layer}`" for layer in registry.layers(code))
    lines = [
        "## Timeline",
        "",
        f"Each day on which a rule or silence begins, ends or changes, in every layer a check here consults "
        f"({layers}); `swp rules --region {code} --diff FROM TO` compares any two days.",
        "",
    ]
    if not entries:
        return [*lines, "Nothing begins or ends on any day.", ""]
    for entry in entries:
        lines += [f"### {entry.day.isoformat()}", "", *_diff_lines(entry.diff), ""]
    return lines


def _diff_lines(diff: RulesDiff) -> list[str]:
    lines = []
    for change in diff.rules:
        rule = change.after or change.before
        if rule is None:
            continue
        fields = f" ({', '.join(change.fields)})" if change.fields else ""
        strength = _STRENGTH[rule.strength.value]
        lines.append(f"- {_CHANGE[change.change.value]} `{change.rule_id}`{fields}: {strength}, layer `{change.layer}`")
    for silence_change in diff.silences:
        silence = silence_change.after or silence_change.before
        # A layer that says nothing (sources silent) is not the same as one whose instrument is not encoded.
        what = "not checked" if silence is not None and silence.kind is SilenceKind.NOT_ENCODED else "not specified"
        lines.append(
            f"- {_CHANGE[silence_change.change.value]}: {what} `{silence_change.topic}`, layer `{silence_change.layer}`"
        )
    if diff.shared_questions:
        questions = ", ".join(f"`{q}`" for q in diff.shared_questions)
        lines.append(f"- from this day the regional and the national layer both answer {questions}: a case may "
                     "meet a conflict between them")
    return lines


def load_coverage(path: Path) -> dict[str, Any] | None:
    """The coverage report at ``path`` (``pytest --swp-coverage-json``), or ``None`` if there is none."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    data = json.loads(text)
    if not isinstance(data, dict) or not isinstance(data.get("regions"), list):
        raise ValueError(f"{path}: not a coverage report of the scenario plugin (no regions list)")
    return data


def _coverage_lines(coverage: Mapping[str, Any] | None, code: str) -> list[str]:
    lines = ["## Scenario coverage", ""]
    if coverage is None:
        return [*lines, f"No coverage report was given (`{COVERAGE_FILE}` beside the pages).", ""]
    entry = next((r for r in coverage["regions"] if r.get("region") == code), None)
    if entry is None:
        return [*lines, "No scenario in the coverage report asks about this region or consults it.", ""]
    dates = entry["dates"]
    span = f"{dates[0]} – {dates[-1]}" if len(dates) > 1 else dates[0]
    if entry["asked"] and entry["consulted"] > entry["scenarios"]:
        more = entry["consulted"] - entry["scenarios"]
        who = f"{entry['scenarios']} scenarios ask about this region and {more} more consult it as a layer"
    elif entry["asked"]:
        who = f"{entry['scenarios']} scenarios ask about this region"
    else:
        who = f"no scenario asks about this region itself; {entry['consulted']} scenarios consult it as a layer"
    rows = entry["rules"]
    data = [row for row in rows if row["checked"] == "data"]
    lines += [
        f"From `{COVERAGE_FILE}` (`pytest --swp-coverage-json`): {who}, on {len(dates)} dates ({span}). "
        f"{len(rows)} rules are in force on at least one of them, {len(data)} of which are data, never checked "
        "against a case. How many scenarios made each checked rule pass, fail, come out unknown or not applicable "
        "(and how many fee answers a fee rule gave):",
        "",
        "| rule | in force | strength | pass | fail | unknown | n/a | fee |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row["checked"] == "data":
            continue
        # A rule id may have several dated versions: the dates tell them apart.
        span = f"{row['effective_from']} – {row['effective_to'] or 'in force'}"
        lines.append(
            f"| `{row['rule_id']}` | {span} | {_STRENGTH[row['strength']]} | {row['pass']} | {row['fail']} | "
            f"{row['unknown']} | {row['not_applicable']} | {row['fee']} |"
        )
    lines.append("")
    never = ", ".join(f"`{r}`" for r in entry["never_failed"]) or "none"
    lines += [f"Checked rules no scenario made fail: {never}.", ""]
    for rule_id, reason in entry.get("uncoverable", {}).items():
        lines.append(f"- `{rule_id}` is declared uncoverable: {reason}")
    if entry.get("uncoverable"):
        lines.append("")
    absent = entry.get("not_in_force_on_a_scenario_date") or []
    if absent:
        lines += ["In force on no scenario date: " + ", ".join(f"`{r}`" for r in absent) + ".", ""]
    return lines


def write_region_pages(registry: Registry, out: Path, *, coverage: Mapping[str, Any] | None = None) -> list[Path]:
    """Write one page per region into ``out``; returns the paths written.

    ``coverage`` defaults to the report in ``out`` (:data:`COVERAGE_FILE`), when there is one.
    """
    out.mkdir(parents=True, exist_ok=True)
    if coverage is None:
        coverage = load_coverage(out / COVERAGE_FILE)
    written = []
    for region in registry.regions():
        path = out / f"{region.code}.md"
        path.write_text(region_page(registry, region.code, coverage=coverage), encoding="utf-8")
        written.append(path)
    return written
