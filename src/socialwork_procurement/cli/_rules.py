"""The rule commands: ``swp regions``, ``rules``, ``check``, ``fee`` and ``schema``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from .._errors import InputProblem, InvalidInput, UnknownRegion
from ..export._json import diff_json, fee_json, rule_json, verdict_json
from ..model._converter import loads
from ..model._money import format_yuan, parse_yuan
from ..model._schema import case_schema
from ..model._types import Case
from ..rules._diff import RulesDiff, rules_diff
from ..rules._registry import Registry
from ._common import (
    DECISION_EXIT,
    EXIT_OK,
    SubParsers,
    UsageError,
    _,
    add_common,
    date_arg,
    dump,
    read_input,
    registry_from,
)
from ._output import _STRENGTH_TEXT, verdict_text
from ._wrap import colour_enabled, terminal_width


def cmd_regions(args: argparse.Namespace) -> int:
    registry = registry_from(args)
    packs = {p.distribution: p for p in registry.packs}
    rows: list[dict[str, Any]] = []
    for region in registry.regions():
        pack = packs[registry.region_pack(region.code)]
        rows.append(
            {
                "code": region.code,
                "name": region.name_zh if args.lang == "zh" else region.name_en,
                "version": pack.version,
                # The layer this region lies in (None for the national layer): Guangzhou in Guangdong.
                "parent": region.parent,
                "sources": [
                    {
                        "file": s.file,
                        "title": s.title,
                        "number": s.number,
                        "date": s.date.isoformat() if s.date else None,
                    }
                    for s in region.sources
                ],
            }
        )
    if args.format == "json":
        dump(rows, sys.stdout)
        return EXIT_OK
    # Text: a tree, each region indented under the one it lies in and marked «⊂ parent»; a region whose
    # parent no installed pack declares stands at the top, saying so.
    by_code = {row["code"]: row for row in rows}
    children: dict[str | None, list[dict[str, Any]]] = {}
    for row in rows:
        parent = row["parent"] if row["parent"] in by_code else None
        children.setdefault(parent, []).append(row)
    ordered: list[tuple[int, dict[str, Any]]] = []
    seen: set[str] = set()

    def visit(row: dict[str, Any], depth: int) -> None:
        if row["code"] in seen:  # parents that name each other in a circle: each region once
            return
        seen.add(row["code"])
        ordered.append((depth, row))
        for child in children.get(row["code"], []):
            visit(child, depth + 1)

    for row in [*children.get(None, []), *rows]:
        visit(row, 0)

    def label(depth: int, row: dict[str, Any]) -> str:
        code, parent = str(row["code"]), row["parent"]
        if parent is None:
            return "  " * depth + code
        # Outside the f-string: Babel finds `_()` inside f-strings only on Python 3.12 and later.
        not_installed = _("not installed")
        missing = "" if parent in by_code else f" ({not_installed})"
        return "  " * depth + f"{code} ⊂ {parent}{missing}"

    width = max((len(label(d, r)) for d, r in ordered), default=0)
    for depth, row in ordered:
        print(f"{label(depth, row):<{width}}  {row['name']}  ({row['version']})")
        for s in row["sources"]:
            indent = "  " * depth + "    "
            print(f"{indent}{s['file'] or '-'}  {s['title']}  {s['number'] or ''}  {s['date'] or ''}".rstrip())
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    registry = registry_from(args)
    if args.diff is not None:
        return _rules_diff(args, registry)
    if args.format == "md":
        raise UsageError("--format md is for --diff")
    rules = registry.rules(args.region, on=args.on)
    if args.format == "json":
        dump([rule_json(r) for r in rules], sys.stdout)
    else:
        for r in rules:
            end = r.effective_to.isoformat() if r.effective_to else "…"
            print(f"{r.rule_id}  [{r.kind.value}, {_STRENGTH_TEXT[args.lang][r.strength]}]  {r.effective_from}–{end}")
            print(f"    {r.message(args.lang)}")
            print(f"    「{r.citation.quote}」 ({r.citation.source.file or r.citation.source.number})")
    return EXIT_OK


_CHANGE_TEXT = {
    "zh": {"added": "新增", "ended": "终止", "changed": "变更"},
    "en": {"added": "added", "ended": "ended", "changed": "changed"},
}


def diff_lines(diff: RulesDiff, lang: str, *, markdown: bool) -> list[str]:
    zh = lang == "zh"
    names = _CHANGE_TEXT[lang]
    head = (
        f"{diff.region}: {diff.from_date} → {diff.to_date}"
        + (f"(层级:{'、'.join(diff.layers)})" if zh else f" (layers: {', '.join(diff.layers)})")
    )
    lines = [f"## {head}" if markdown else head, ""]
    if diff.empty:
        lines.append("两日之间规则没有变化。" if zh else "No rule or silence differs between the two dates.")
        return lines
    bullet = "- " if markdown else "  "
    for c in diff.rules:
        rule = c.after or c.before
        if rule is None:
            continue
        end = rule.effective_to.isoformat() if rule.effective_to else "…"
        fields = f" [{', '.join(c.fields)}]" if c.fields else ""
        ident = f"`{c.rule_id}`" if markdown else c.rule_id
        dates = f"{rule.effective_from}–{end}"
        lines.append(f"{bullet}{names[c.change.value]} {ident}{fields} ({dates}): {rule.message(lang)}")
        source = rule.citation.source
        indent = "  " if markdown else "    "
        lines.append(f"{indent}「{rule.citation.quote}」 ({source.title} {source.number or ''})".rstrip())
    for s in diff.silences:
        silence = s.after or s.before
        if silence is None:
            continue
        label = ("未规定" if zh else "not specified") + f": {s.topic}"
        statement = silence.statement_zh if zh else silence.statement_en
        lines.append(f"{bullet}{names[s.change.value]} {label} ({s.layer}): {statement}")
    if diff.shared_questions:
        questions = "、".join(map(str, diff.shared_questions)) if zh else ", ".join(map(str, diff.shared_questions))
        lines.append("")
        lines.append(
            f"地方与国家规则自此都回答的问题(个案可能冲突):{questions}"
            if zh
            else "Questions both the regional and the national layer now answer (a case may meet a conflict): "
            + questions
        )
    return lines


def _rules_diff(args: argparse.Namespace, registry: Registry) -> int:
    from_date, to_date = args.diff
    diff = rules_diff(registry, args.region, from_date, to_date, national=not args.no_national)
    if args.format == "json":
        dump(diff_json(diff, args.lang), sys.stdout)
    else:
        print("\n".join(diff_lines(diff, args.lang, markdown=args.format == "md")))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    text = read_input(args.case, encoding=args.encoding)
    case = loads(text, Case)
    registry = registry_from(args)
    verdict = registry.check(case, region=args.region, on=args.on or date.today(), national=not args.no_national)
    if args.format == "json":
        dump(verdict_json(verdict, args.lang), sys.stdout)
        return DECISION_EXIT[verdict.decision]

    def region_name(code: str) -> str:
        try:
            region = registry.region(code)
        except UnknownRegion:  # a layer no installed pack names: its code still says which
            return code
        return region.name_zh if args.lang == "zh" else region.name_en

    report = verdict_text(
        verdict,
        args.lang,
        width=terminal_width(),
        colour=colour_enabled(sys.stdout),
        quotes=args.quotes,
        show_all=args.all,
        region_name=region_name,
    )
    print(report)
    return DECISION_EXIT[verdict.decision]


def cmd_fee(args: argparse.Namespace) -> int:
    try:
        amount = parse_yuan(args.amount)
    except (TypeError, ValueError) as exc:
        raise InvalidInput([InputProblem("--amount", str(exc))]) from None
    registry = registry_from(args)
    answer = registry.evaluation_fee(
        region=args.region, base_amount=amount, on=args.on or date.today(), national=not args.no_national
    )
    if args.format == "json":
        dump(fee_json(answer, args.lang), sys.stdout)
    elif answer.fee is not None and answer.rule is not None:
        print(f"{format_yuan(answer.fee)}  ({answer.rule.rule_id}: {answer.rule.message(args.lang)})")
    elif answer.region_not_in_force is not None:
        # No source of the region is in force that day: the reason says so and names the dates. It is
        # not «the sources set no fee», so it is not labelled «not specified».
        print(answer.reason(args.lang) or "")
    else:
        print(("未规定: " if args.lang == "zh" else "not specified: ") + (answer.reason(args.lang) or ""))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    dump(case_schema(), sys.stdout)
    return EXIT_OK


def add_commands(sub: SubParsers) -> None:
    """Add this group's subcommands to the ``swp`` parser."""
    p = sub.add_parser("regions", help=_("list the regions of the installed packs"))
    add_common(p)
    p.set_defaults(func=cmd_regions)

    p = sub.add_parser("rules", help=_("list a region's rules with their citations, or what changed between two dates"))
    p.add_argument("--region", required=True, help=_("region code (see swp regions)"))
    when = p.add_mutually_exclusive_group()
    when.add_argument("--on", type=date_arg, help=_("only rules in force on this date"))
    when.add_argument(
        "--diff",
        nargs=2,
        type=date_arg,
        metavar=("FROM", "TO"),
        help=_("rules and silences added, ended or changed between two dates, the national layer included"),
    )
    p.add_argument("--format", choices=("json", "text", "md"), default="text", help=_("output format"))
    add_common(p, fmt=False)
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("check", help=_("check a case file against a region's rules"))
    p.add_argument("case", help=_("case file (JSON), or - for standard input"))
    p.add_argument("--region", required=True, help=_("region code (see swp regions)"))
    p.add_argument("--on", type=date_arg, help=_("date the question is asked for (default: today)"))
    p.add_argument("--encoding", default=None, help=_("the case file's encoding when it is not UTF-8 (e.g. gb18030)"))
    p.add_argument(
        "--quotes", action="store_true", help=_("text output: show each rule's source sentence under its finding")
    )
    p.add_argument(
        "--all", action="store_true", help=_("text output: list the rules that do not apply to the case, with why")
    )
    add_common(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("fee", help=_("the evaluation fee on an amount"))
    p.add_argument("--region", required=True, help=_("region code (see swp regions)"))
    p.add_argument("--amount", required=True, help=_("the base amount in yuan, e.g. 500000 or 123.45"))
    p.add_argument("--on", type=date_arg, help=_("date (default: today)"))
    add_common(p)
    p.set_defaults(func=cmd_fee)

    p = sub.add_parser("schema", help=_("print the case-file JSON Schema"))
    p.set_defaults(func=cmd_schema)
