"""The ``swp`` command line (also ``python -m socialwork_procurement``).

The JSON output is a stable contract for machines; text output is for people, Chinese by
default. Exit codes: 0 success (``check``: eligible), 1 ineligible, 3 undetermined, 2 bad input or
usage, with one readable message per problem and never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TextIO

from .._errors import InputProblem, InvalidInput, ProcurementError
from ..model._converter import loads
from ..model._money import format_yuan, parse_yuan
from ..model._schema import case_schema
from ..model._types import Case
from ..rules._plugins import load_registry
from ..rules._registry import Registry
from ..rules._rules import Citation, Decision, FeeAnswer, Finding, Outcome, Rule, Strength, Verdict

EXIT_OK = 0
EXIT_INELIGIBLE = 1
EXIT_USAGE = 2
EXIT_UNDETERMINED = 3

_DECISION_EXIT = {
    Decision.ELIGIBLE: EXIT_OK,
    Decision.INELIGIBLE: EXIT_INELIGIBLE,
    Decision.UNDETERMINED: EXIT_UNDETERMINED,
}


class UsageError(ProcurementError, ValueError):
    """A command-line argument is wrong; the message says which."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"swp: error: {message}\n")


def _date_arg(text: str) -> date:
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date as YYYY-MM-DD, got {text!r}") from None


def _dump(data: Any, out: TextIO) -> None:
    json.dump(data, out, ensure_ascii=False, indent=2)
    out.write("\n")


# -- JSON shapes (the stable contract) -----------------------------------------------------------


def citation_json(citation: Citation, *, full: bool = False) -> dict[str, Any]:
    source = citation.source
    data: dict[str, Any] = {"file": source.file}
    if full:
        data["title"] = source.title
        data["number"] = source.number
    data["quote"] = citation.quote
    if source.url is not None:
        data["url"] = source.url  # a source outside the seeds: where its text was read
    if citation.note is not None:
        data["note"] = citation.note  # how far the quote is verified
    return data


def rule_json(rule: Rule, lang: str = "zh") -> dict[str, Any]:
    return {
        "rule_id": rule.rule_id,
        "kind": rule.kind.value,
        "strength": rule.strength.value,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
        "citation": citation_json(rule.citation, full=True),
        "message_zh": rule.message_zh,
        "message_en": rule.message_en,
    }


def finding_json(finding: Finding, lang: str) -> dict[str, Any]:
    return {
        "rule_id": finding.rule_id,
        "subject": finding.rule.subject.value,
        "outcome": finding.outcome.value,
        "strength": finding.rule.strength.value,
        "message": finding.message(lang),
        "citation": citation_json(finding.rule.citation),
        "path": finding.path,
    }


def verdict_json(verdict: Verdict, lang: str) -> dict[str, Any]:
    trace = verdict.trace

    def ref(r: Any) -> dict[str, Any]:
        return {
            "rule_id": r.rule_id,
            "region": r.region,
            "effective_from": r.effective_from.isoformat(),
            "effective_to": r.effective_to.isoformat() if r.effective_to else None,
            "pack": r.pack,
        }

    return {
        "region": verdict.region,
        "on": verdict.on.isoformat(),
        "decision": verdict.decision.value,
        "findings": [finding_json(f, lang) for f in verdict.findings],
        "conflicts": [
            {
                "regional": c.regional.rule_id,
                "national": c.national.rule_id,
                "message": c.message_zh if lang == "zh" else c.message_en,
                "citations": [citation_json(c.regional.rule.citation), citation_json(c.national.rule.citation)],
            }
            for c in verdict.conflicts
        ],
        "input_warnings": list(verdict.input_warnings),
        "trace": {
            "packs": [
                {"distribution": p.distribution, "version": p.version, "regions": list(p.regions)} for p in trace.packs
            ],
            "layers": list(trace.layers),
            "rules_in_force": [ref(r) for r in trace.rules_in_force],
            "rules_not_in_force": [ref(r) for r in trace.rules_not_in_force],
        },
    }


def fee_json(answer: FeeAnswer, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": answer.region,
        "on": answer.on.isoformat(),
        "amount": format_yuan(answer.base_amount),
        "fee": format_yuan(answer.fee) if answer.fee is not None else None,
        "rule_id": answer.rule.rule_id if answer.rule else None,
        "citation": citation_json(answer.rule.citation, full=True) if answer.rule else None,
    }
    if answer.fee is None:
        data["reason"] = answer.reason(lang)
    return data


# -- text shapes -------------------------------------------------------------------------------

_OUTCOME_TEXT = {
    "zh": {Outcome.PASS: "通过", Outcome.FAIL: "不通过", Outcome.UNKNOWN: "未知", Outcome.NOT_APPLICABLE: "不适用"},
    "en": {Outcome.PASS: "pass", Outcome.FAIL: "FAIL", Outcome.UNKNOWN: "unknown", Outcome.NOT_APPLICABLE: "n/a"},
}
_DECISION_TEXT = {
    "zh": {Decision.ELIGIBLE: "符合", Decision.INELIGIBLE: "不符合", Decision.UNDETERMINED: "无法确定"},
    "en": {Decision.ELIGIBLE: "eligible", Decision.INELIGIBLE: "ineligible", Decision.UNDETERMINED: "undetermined"},
}
_STRENGTH_TEXT = {
    "zh": {Strength.HARD: "硬性", Strength.HARD_DEFAULT: "原则上", Strength.SOFT: "优先", Strength.INFO: "信息"},
    "en": {Strength.HARD: "hard", Strength.HARD_DEFAULT: "in principle", Strength.SOFT: "soft", Strength.INFO: "info"},
}


def verdict_text(verdict: Verdict, lang: str) -> str:
    zh = lang == "zh"
    lines = [
        f"{'地区' if zh else 'region'}: {verdict.region}   {'日期' if zh else 'on'}: {verdict.on.isoformat()}",
        f"{'结论' if zh else 'decision'}: {_DECISION_TEXT[lang][verdict.decision]}",
        "",
    ]
    for f in verdict.findings:
        if f.outcome is Outcome.NOT_APPLICABLE:
            continue
        strength = _STRENGTH_TEXT[lang][f.rule.strength]
        lines.append(f"[{_OUTCOME_TEXT[lang][f.outcome]}] {f.rule_id} ({strength}) {f.message(lang)}")
        lines.append(f"    {f.path} · {f.rule.citation.source.file or f.rule.citation.source.number}")
    for c in verdict.conflicts:
        lines.append(f"[{'冲突' if zh else 'CONFLICT'}] {c.message_zh if zh else c.message_en}")
    for w in verdict.input_warnings:
        lines.append(f"[{'输入提示' if zh else 'input warning'}] {w}")
    skipped = sum(1 for f in verdict.findings if f.outcome is Outcome.NOT_APPLICABLE)
    if skipped:
        lines.append(f"({skipped} {'条规则不适用于本案' if zh else 'rules do not apply to this case'})")
    return "\n".join(lines)


# -- commands ----------------------------------------------------------------------------------


def _registry(args: argparse.Namespace) -> Registry:
    registry = load_registry(national=not getattr(args, "no_national", False))
    for problem in registry.problems:
        print(f"swp: warning: {problem}", file=sys.stderr)
    return registry


def cmd_regions(args: argparse.Namespace) -> int:
    registry = _registry(args)
    packs = {p.distribution: p for p in registry.packs}
    rows: list[dict[str, Any]] = []
    for region in registry.regions():
        pack = packs[registry.region_pack(region.code)]
        rows.append(
            {
                "code": region.code,
                "name": region.name_zh if args.lang == "zh" else region.name_en,
                "version": pack.version,
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
        _dump(rows, sys.stdout)
    else:
        for row in rows:
            print(f"{row['code']:<10} {row['name']}  ({row['version']})")
            for s in row["sources"]:
                print(f"    {s['file'] or '-'}  {s['title']}  {s['number'] or ''}  {s['date'] or ''}")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    registry = _registry(args)
    rules = registry.rules(args.region, on=args.on)
    if args.format == "json":
        _dump([rule_json(r) for r in rules], sys.stdout)
    else:
        for r in rules:
            end = r.effective_to.isoformat() if r.effective_to else "…"
            print(f"{r.rule_id}  [{r.kind.value}, {_STRENGTH_TEXT[args.lang][r.strength]}]  {r.effective_from}–{end}")
            print(f"    {r.message(args.lang)}")
            print(f"    「{r.citation.quote}」 ({r.citation.source.file or r.citation.source.number})")
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    path = Path(args.case)
    try:
        text = path.read_text(encoding="utf-8") if args.case != "-" else sys.stdin.read()
    except OSError as exc:
        raise UsageError(f"cannot read {args.case}: {exc.strerror}") from None
    case = loads(text, Case)
    registry = _registry(args)
    verdict = registry.check(case, region=args.region, on=args.on or date.today(), national=not args.no_national)
    if args.format == "json":
        _dump(verdict_json(verdict, args.lang), sys.stdout)
    else:
        print(verdict_text(verdict, args.lang))
    return _DECISION_EXIT[verdict.decision]


def cmd_fee(args: argparse.Namespace) -> int:
    try:
        amount = parse_yuan(args.amount)
    except (TypeError, ValueError) as exc:
        raise InvalidInput([InputProblem("--amount", str(exc))]) from None
    registry = _registry(args)
    answer = registry.evaluation_fee(
        region=args.region, base_amount=amount, on=args.on or date.today(), national=not args.no_national
    )
    if args.format == "json":
        _dump(fee_json(answer, args.lang), sys.stdout)
    elif answer.fee is not None and answer.rule is not None:
        print(f"{format_yuan(answer.fee)}  ({answer.rule.rule_id}: {answer.rule.message(args.lang)})")
    else:
        print(("未规定: " if args.lang == "zh" else "not specified: ") + (answer.reason(args.lang) or ""))
    return EXIT_OK


def cmd_docs(args: argparse.Namespace) -> int:
    from ..export._docgen import write_region_pages

    for path in write_region_pages(_registry(args), Path(args.out)):
        print(path)
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    _dump(case_schema(), sys.stdout)
    return EXIT_OK


CommandAdder = Callable[["argparse._SubParsersAction[_Parser]"], None]
EXTRA_COMMANDS: list[CommandAdder] = []
"""Functions that add further subcommands (the lifecycle's ``case`` and ``diagram``)."""


def build_parser() -> _Parser:
    parser = _Parser(prog="swp", description="政府购买社会工作服务规则 / social work procurement rules")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def common(p: argparse.ArgumentParser, *, fmt: bool = True) -> None:
        if fmt:
            p.add_argument("--format", choices=("json", "text"), default="text")
        p.add_argument("--lang", choices=("zh", "en"), default="zh")
        p.add_argument("--no-national", action="store_true", help="leave out the national layer (财政部令第102号)")

    p = sub.add_parser("regions", help="list the regions of the installed packs")
    common(p)
    p.set_defaults(func=cmd_regions)

    p = sub.add_parser("rules", help="list a region's rules with their citations")
    p.add_argument("--region", required=True)
    p.add_argument("--on", type=_date_arg, help="only rules in force on this date")
    common(p)
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("check", help="check a case file against a region's rules")
    p.add_argument("case", help="case file (JSON), or - for standard input")
    p.add_argument("--region", required=True)
    p.add_argument("--on", type=_date_arg, help="date the question is asked for (default: today)")
    common(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("fee", help="the evaluation fee on an amount")
    p.add_argument("--region", required=True)
    p.add_argument("--amount", required=True, help="the base amount in yuan, e.g. 500000 or 123.45")
    p.add_argument("--on", type=_date_arg, help="date (default: today)")
    common(p)
    p.set_defaults(func=cmd_fee)

    p = sub.add_parser("schema", help="print the case-file JSON Schema")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("docs", help="write one Markdown page per region (every rule with its quote)")
    p.add_argument("--out", default="docs/regions")
    p.set_defaults(func=cmd_docs)

    for add in EXTRA_COMMANDS:
        add(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``swp``; returns the exit code."""
    _load_extra_commands()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        code: int = args.func(args)
    except InvalidInput as exc:
        for problem in exc.problems:
            print(f"swp: error: {problem}", file=sys.stderr)
        return EXIT_USAGE
    except ProcurementError as exc:
        print(f"swp: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # pragma: no cover - `swp ... | head`
        return EXIT_OK
    return code


def _load_extra_commands() -> None:
    if EXTRA_COMMANDS or importlib.util.find_spec(f"{__package__}._case") is None:
        return
    module = importlib.import_module(f"{__package__}._case")
    EXTRA_COMMANDS.extend(module.COMMANDS)
