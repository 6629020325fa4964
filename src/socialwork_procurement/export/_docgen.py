"""Generated documentation: one page per region listing every rule with its quote.

``swp docs --out docs/regions`` writes the pages; a test fails when a committed page differs from
what the installed packs generate, so the docs cannot drift from the rules.
"""

from __future__ import annotations

from pathlib import Path

from ..rules._registry import Registry
from ..rules._rules import Rule

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
    if rule.predicate is None and rule.fee is None:
        lines.append("- data only: not checked against a single purchase")
    return [*lines, ""]


def region_page(registry: Registry, code: str) -> str:
    """The Markdown page of region ``code``."""
    region = registry.region(code)
    pack = next(p for p in registry.packs if p.distribution == registry.region_pack(code))
    lines = [
        f"# {region.name_zh} / {region.name_en} (`{code}`)",
        "",
        f"Generated from the installed pack `{pack.distribution}` {pack.version} by `swp docs`; do not edit by hand.",
        "",
        "## Sources",
        "",
    ]
    for s in region.sources:
        date_text = s.date.isoformat() if s.date else (s.date_note or "date not stated")
        lines.append(f"- {s.file or s.url}: 《{s.title}》 {s.number or '(number not known)'}, {date_text}")
    rules = registry.rules(code)
    lines += ["", f"## Rules ({len(rules)})", ""]
    for rule in rules:
        lines += _rule_block(rule)
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
    return "\n".join(lines).rstrip() + "\n"


def write_region_pages(registry: Registry, out: Path) -> list[Path]:
    """Write one page per region into ``out``; returns the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for region in registry.regions():
        path = out / f"{region.code}.md"
        path.write_text(region_page(registry, region.code), encoding="utf-8")
        written.append(path)
    return written
