"""The screening commands: ``swp screen`` (a whole registry) and ``swp where`` (one contractor, every region).

``swp screen`` exits 0 when every record was screened and 2 when any record was bad (each bad record
is reported on standard error with its line or row and JSON path, and written to the output with
its problems); the decisions never change the exit code. A progress bar is drawn on a terminal only
(the ``progress`` extra, rich), never in a pipe.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import importlib
import json
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from .._errors import InputProblem, InvalidInput
from ..export._json import verdict_json
from ..model._converter import structure
from ..model._money import format_yuan, parse_yuan
from ..model._types import Case, PurchaseForm
from ..rules._rules import Decision
from ._common import (
    EXIT_OK,
    EXIT_USAGE,
    SubParsers,
    UsageError,
    _,
    add_common,
    date_arg,
    dump,
    read_input,
    registry_from,
)
from ._output import _DECISION_TEXT

if TYPE_CHECKING:
    from ..rules._registry import Registry
    from ..screening._screen import Screener, ScreenResult, ScreenSummary
    from ..screening._where import WhereRow

# The screening package is imported when a command runs, so every other `swp` command starts as fast as before.
_INPUT_FORMATS = ("jsonl", "csv", "xlsx")

MAX_REPORTED = 20
"""Bad records reported one by one on standard error; the rest are counted (every one is in the output)."""

_TEXT = {
    "zh": {
        "records": "条记录",
        "decision": "结论",
        "count": "记录数",
        "bad": "有误的记录",
        "top_failed": "最常见的不通过规则",
        "top_unknown": "最常见的未知规则(缺少事实)",
        "times": "次数",
        "rule": "规则",
        "message": "说明",
        "line": "第 {n} 行",
        "record": "第 {n} 条记录",
        "partition": "分区 {p}",
        "more_bad": "另有 {n} 条有误的记录未逐条列出,均已写入输出",
        "none": "无",
        "region": "地区",
        "name": "名称",
        "failed": "不通过的规则",
        "deciding": "待申报的事实",
        "fee": "评估费用",
        "not_specified": "未规定",
        "fee_of": "{base}的 {rate}",
        "no_amount": "未给出金额",
    },
    "en": {
        "records": "records",
        "decision": "decision",
        "count": "records",
        "bad": "bad records",
        "top_failed": "most frequent failing rules",
        "top_unknown": "most frequent unknown rules (a fact is missing)",
        "times": "times",
        "rule": "rule",
        "message": "message",
        "line": "line {n}",
        "record": "record {n}",
        "partition": "partition {p}",
        "more_bad": "{n} more bad records not listed here; every one is in the output",
        "none": "none",
        "region": "region",
        "name": "name",
        "failed": "failing rules",
        "deciding": "facts to declare",
        "fee": "evaluation fee",
        "not_specified": "not specified",
        "fee_of": "{rate} of {base}",
        "no_amount": "no amount given",
    },
}

_CSV_FIELDS = (
    "index", "line", "partition", "name", "uscc", "decision", "failed", "unknown", "deciding", "conflicts", "problems"
)


# -- output writers ------------------------------------------------------------------------------------


class _JsonlWriter:
    def __init__(self, out: TextIO, *, lang: str, full: bool) -> None:
        self.out, self.lang, self.full = out, lang, full

    def write(self, result: ScreenResult) -> None:
        data = result.to_json()
        if self.full and result.verdict is not None:
            data["verdict"] = verdict_json(result.verdict, self.lang)
        self.out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        self.out.write("\n")


class _CsvWriter:
    def __init__(self, out: TextIO) -> None:
        self.writer = csv.writer(out, lineterminator="\n")
        self.writer.writerow(_CSV_FIELDS)

    def write(self, result: ScreenResult) -> None:
        self.writer.writerow(
            (
                result.index,
                "" if result.line is None else result.line,
                "" if result.partition is None else result.partition,
                result.name or "",
                result.uscc or "",
                result.decision.value if result.decision is not None else "",
                ";".join(result.failed),
                ";".join(result.unknown),
                ";".join(result.deciding),
                ";".join(f"{a}/{b}" for a, b in result.conflicts),
                " | ".join(str(p) for p in result.problems),
            )
        )


# -- progress on a terminal ----------------------------------------------------------------------------


class _Progress:
    """A rich progress bar on standard error when it is a terminal and rich is installed; nothing otherwise."""

    def __init__(self, label: str) -> None:
        self._bar: Any = None
        self._task: Any = None
        isatty = getattr(sys.stderr, "isatty", None)
        if not (callable(isatty) and isatty()):
            return
        try:
            progress = importlib.import_module("rich.progress")
            console = importlib.import_module("rich.console")
        except ImportError:
            return
        self._bar = progress.Progress(
            progress.SpinnerColumn(),
            progress.TextColumn("{task.description}"),
            progress.TextColumn("{task.completed:,}"),
            progress.TimeElapsedColumn(),
            console=console.Console(stderr=True),
            transient=True,
        )
        self._bar.start()
        self._task = self._bar.add_task(label, total=None)

    def advance(self) -> None:
        if self._bar is not None:
            self._bar.advance(self._task)

    def say(self, text: str) -> None:
        if self._bar is not None:
            self._bar.console.print(text, markup=False, highlight=False)
        else:
            print(text, file=sys.stderr)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
            self._bar = None


# -- text tables ---------------------------------------------------------------------------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, right: Sequence[int] = ()) -> list[str]:
    widths = [max([_width(h)] + [_width(r[i]) for r in rows]) for i, h in enumerate(headers)]
    lines = []
    for row in (headers, *rows):
        cells = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - _width(cell))
            cells.append(pad + cell if i in right else cell + pad)
        lines.append("  ".join(cells).rstrip())
    return lines


def _where_label(result: ScreenResult, text: dict[str, str]) -> str:
    parts = []
    if result.partition is not None and result.line is None:
        parts.append(text["partition"].format(p=result.partition))
    if result.line is not None:
        parts.append(text["line"].format(n=result.line))
    else:
        parts.append(text["record"].format(n=result.index))
    return ", ".join(parts)


def _rule_message(registry: Registry, rule_id: str, on: date, lang: str) -> str:
    try:
        return registry.rule(rule_id, on=on).message(lang)
    except LookupError:
        return ""


def summary_lines(
    summary: ScreenSummary, registry: Registry, *, region: str, on: date, lang: str, top: int
) -> list[str]:
    """The summary ``swp screen`` prints at the end: counts by decision, then the most frequent rules."""
    text = _TEXT[lang]
    lines = [f"swp screen: {region} {on.isoformat()}, {summary.total} {text['records']}"]
    rows = [[_DECISION_TEXT[lang][d], str(summary.count(d))] for d in Decision]
    rows.append([text["bad"], str(summary.bad)])
    lines += _table([text["decision"], text["count"]], rows, right=(1,))
    for title, counter in ((text["top_failed"], summary.failed), (text["top_unknown"], summary.unknown)):
        lines.append("")
        lines.append(title)
        common = counter.most_common(top)
        if not common:
            lines.append("  " + text["none"])
            continue
        table = _table(
            [text["times"], text["rule"], text["message"]],
            [[str(n), rule_id, _rule_message(registry, rule_id, on, lang)] for rule_id, n in common],
            right=(0,),
        )
        lines += ["  " + line for line in table]
    return lines


# -- swp screen ----------------------------------------------------------------------------------------


def _results(args: argparse.Namespace, screener: Screener, records: Iterator[Any]) -> Iterator[ScreenResult]:
    if args.dask:
        from ..screening._dask import screen_cluster

        return screen_cluster(
            records,
            scheduler=args.dask,
            region=screener.region,
            on=screener.on,
            national=screener.national,
            full=screener.full,
        )
    return screener.screen(records)


def cmd_screen(args: argparse.Namespace) -> int:
    from ..screening._readers import read_records
    from ..screening._screen import Screener, ScreenSummary

    out_format = args.format or ("csv" if args.out and args.out.lower().endswith(".csv") else "jsonl")
    if args.full and out_format != "jsonl":
        raise UsageError("--full writes whole verdicts, which only JSON Lines output holds: use --format jsonl")
    if args.top < 0:
        raise UsageError("--top must not be negative")
    registry = registry_from(args)
    on = args.on or date.today()
    national = not args.no_national
    screener = Screener(registry, region=args.region, on=on, national=national, full=args.full)
    records = read_records(
        args.registry,
        format=args.input_format,
        encoding=args.encoding,
        ignore_columns=args.ignore_column,
        sheet=args.sheet,
    )
    text = _TEXT[args.lang]
    summary = ScreenSummary()
    with contextlib.ExitStack() as stack:
        if args.out:
            try:
                out: TextIO = stack.enter_context(open(args.out, "w", encoding="utf-8", newline=""))
            except OSError as exc:
                raise UsageError(f"cannot write {args.out}: {exc.strerror or exc}") from None
        else:
            out = sys.stdout
        writer = _CsvWriter(out) if out_format == "csv" else _JsonlWriter(out, lang=args.lang, full=args.full)
        progress = _Progress(f"swp screen {args.region}")
        stack.callback(progress.close)
        for result in _results(args, screener, records):
            summary.add(result)
            writer.write(result)
            if not result.ok and summary.bad <= MAX_REPORTED:
                for problem in result.problems:
                    progress.say(f"swp: {_where_label(result, text)}: {problem}")
            progress.advance()
        out.flush()
    if summary.bad > MAX_REPORTED:
        print(f"swp: {text['more_bad'].format(n=summary.bad - MAX_REPORTED)}", file=sys.stderr)
    for line in summary_lines(summary, registry, region=args.region, on=on, lang=args.lang, top=args.top):
        print(line, file=sys.stderr)
    return EXIT_OK if summary.bad == 0 else EXIT_USAGE


# -- swp where -----------------------------------------------------------------------------------------


def _read_case(source: str, encoding: str | None) -> Case:
    from ..screening._screen import to_case

    text = read_input(source, encoding=encoding)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput([InputProblem("$", f"not valid JSON: {exc}")]) from None
    if isinstance(data, dict):
        return to_case(data)  # a case, or a contractor alone
    return structure(data, Case)


def _fee_text(row: WhereRow, lang: str) -> str:
    text = _TEXT[lang]
    fee = row.fee
    if fee.rule_id is None or fee.rate is None:
        return text["not_specified"]
    rate = f"{(fee.rate * 100).normalize():f}%"
    base = (fee.base_zh if lang == "zh" else fee.base_en) or ""
    shown = text["fee_of"].format(rate=rate, base=base)
    amount = format_yuan(fee.amount) if fee.amount is not None else text["no_amount"]
    return f"{amount} ({shown}, {fee.rule_id})"


def _region_note(row: WhereRow, lang: str) -> str | None:
    # Read defensively: a verdict may say that no source of the region is in force that day.
    note = getattr(row.verdict, "region_not_in_force", None)
    message = getattr(note, "message", None)
    return message(lang) if callable(message) else None


def where_json(row: WhereRow, lang: str) -> dict[str, Any]:
    fee = row.fee
    return {
        "region": row.region,
        "name": row.name(lang),
        "decision": row.decision.value,
        "failed": list(row.failed),
        "unknown": list(row.unknown),
        "deciding": list(row.deciding),
        "conflicts": [list(pair) for pair in row.conflicts],
        "note": _region_note(row, lang),
        "fee": {
            "rule_id": fee.rule_id,
            "rate": format(fee.rate, "f") if fee.rate is not None else None,
            "base": (fee.base_zh if lang == "zh" else fee.base_en),
            "amount": format_yuan(fee.amount) if fee.amount is not None else None,
            "note": fee.note(lang),
        },
    }


def cmd_where(args: argparse.Namespace) -> int:
    from ..screening._where import where

    case = _read_case(args.case, args.encoding)
    amount = None
    if args.amount is not None:
        try:
            amount = parse_yuan(args.amount)
        except (TypeError, ValueError) as exc:
            raise InvalidInput([InputProblem("--amount", str(exc))]) from None
    form = PurchaseForm(args.purchase_form) if args.purchase_form else None
    registry = registry_from(args)
    rows = where(
        case,
        on=args.on or date.today(),
        national=not args.no_national,
        registry=registry,
        purchase_form=form,
        amount=amount,
    )
    if args.format == "json":
        dump([where_json(r, args.lang) for r in rows], sys.stdout)
        return EXIT_OK
    text = _TEXT[args.lang]
    table = [
        [
            r.region,
            r.name(args.lang),
            _DECISION_TEXT[args.lang][r.decision],
            ", ".join(r.failed) or "-",
            ", ".join(r.deciding) or "-",
            _fee_text(r, args.lang),
        ]
        for r in rows
    ]
    headers = [text["region"], text["name"], text["decision"], text["failed"], text["deciding"], text["fee"]]
    for line in _table(headers, table):
        print(line)
    for r in rows:
        note = _region_note(r, args.lang)
        if note:
            print(f"[{r.region}] {note}")
        fee_note = r.fee.note(args.lang)
        if r.fee.rule_id is None and fee_note and fee_note != note:
            print(f"[{r.region}] {text['fee']}: {fee_note}")
    return EXIT_OK


def add_commands(sub: SubParsers) -> None:
    """Add this group's subcommands to the ``swp`` parser."""
    p = sub.add_parser(
        "screen", help=_("screen every record of a registry (JSON Lines, CSV, .xlsx) against a region")
    )
    p.add_argument(
        "registry", help=_("registry file: .jsonl, .csv or .xlsx; - reads standard input (JSON Lines or CSV)")
    )
    p.add_argument("--region", required=True)
    p.add_argument("--on", type=date_arg, help=_("date the question is asked for (default: today)"))
    p.add_argument("--out", help=_("write the results to this file (default: standard output)"))
    p.add_argument(
        "--format",
        choices=("jsonl", "csv"),
        help=_("results format (default: csv for an --out ending .csv, else jsonl)"),
    )
    p.add_argument(
        "--input-format", choices=_INPUT_FORMATS, help=_("the registry's format when its name does not tell")
    )
    p.add_argument(
        "--encoding", default=None, help=_("the registry's text encoding when it is not UTF-8 (e.g. gb18030)")
    )
    p.add_argument("--sheet", help=_(".xlsx: the sheet to read (default: the first)"))
    p.add_argument(
        "--ignore-column", action="append", default=[], metavar="HEADER", help=_("a table column to skip (repeatable)")
    )
    p.add_argument("--full", action="store_true", help=_("JSON Lines: add each record's full verdict"))
    p.add_argument("--top", type=int, default=5, help=_("rules listed in each part of the summary (default 5)"))
    p.add_argument("--dask", metavar="SCHEDULER_ADDRESS", help=_("screen on this Dask cluster (the dask extra)"))
    add_common(p, fmt=False)
    p.set_defaults(func=cmd_screen)

    p = sub.add_parser("where", help=_("check one contractor (or case) in every installed region"))
    p.add_argument("case", help=_("a case file, or a contractor alone (JSON); - for standard input"))
    p.add_argument("--on", type=date_arg, help=_("date the question is asked for (default: today)"))
    p.add_argument(
        "--purchase-form", choices=[f.value for f in PurchaseForm], help=_("set the contract's purchase form")
    )
    p.add_argument("--amount", help=_("the evaluation fee's base in yuan (default: the contract amount), e.g. 500000"))
    p.add_argument("--encoding", default=None, help=_("the file's encoding when it is not UTF-8 (e.g. gb18030)"))
    add_common(p)
    p.set_defaults(func=cmd_where)


__all__ = ["add_commands", "summary_lines", "where_json"]
