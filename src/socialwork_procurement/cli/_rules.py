"""The rule commands: ``swp regions``, ``rules``, ``check``, ``fee`` and ``schema``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from .._errors import InputProblem, InvalidInput
from ..model._converter import loads
from ..model._money import format_yuan, parse_yuan
from ..model._schema import case_schema
from ..model._types import Case
from ._common import DECISION_EXIT, EXIT_OK, SubParsers, add_common, date_arg, dump, read_input, registry_from
from ._output import _STRENGTH_TEXT, fee_json, rule_json, verdict_json, verdict_text


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
    else:
        for row in rows:
            print(f"{row['code']:<10} {row['name']}  ({row['version']})")
            for s in row["sources"]:
                print(f"    {s['file'] or '-'}  {s['title']}  {s['number'] or ''}  {s['date'] or ''}")
    return EXIT_OK


def cmd_rules(args: argparse.Namespace) -> int:
    registry = registry_from(args)
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


def cmd_check(args: argparse.Namespace) -> int:
    text = read_input(args.case, encoding=args.encoding)
    case = loads(text, Case)
    registry = registry_from(args)
    verdict = registry.check(case, region=args.region, on=args.on or date.today(), national=not args.no_national)
    if args.format == "json":
        dump(verdict_json(verdict, args.lang), sys.stdout)
    else:
        print(verdict_text(verdict, args.lang))
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
    else:
        print(("未规定: " if args.lang == "zh" else "not specified: ") + (answer.reason(args.lang) or ""))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    dump(case_schema(), sys.stdout)
    return EXIT_OK


def add_commands(sub: SubParsers) -> None:
    """Add this group's subcommands to the ``swp`` parser."""
    p = sub.add_parser("regions", help="list the regions of the installed packs")
    add_common(p)
    p.set_defaults(func=cmd_regions)

    p = sub.add_parser("rules", help="list a region's rules with their citations")
    p.add_argument("--region", required=True)
    p.add_argument("--on", type=date_arg, help="only rules in force on this date")
    add_common(p)
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("check", help="check a case file against a region's rules")
    p.add_argument("case", help="case file (JSON), or - for standard input")
    p.add_argument("--region", required=True)
    p.add_argument("--on", type=date_arg, help="date the question is asked for (default: today)")
    p.add_argument("--encoding", default=None, help="the case file's encoding when it is not UTF-8 (e.g. gb18030)")
    add_common(p)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("fee", help="the evaluation fee on an amount")
    p.add_argument("--region", required=True)
    p.add_argument("--amount", required=True, help="the base amount in yuan, e.g. 500000 or 123.45")
    p.add_argument("--on", type=date_arg, help="date (default: today)")
    add_common(p)
    p.set_defaults(func=cmd_fee)

    p = sub.add_parser("schema", help="print the case-file JSON Schema")
    p.set_defaults(func=cmd_schema)
