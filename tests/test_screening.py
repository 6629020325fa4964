"""Bulk screening: results identical to Registry.check, strict readers, constant memory, the swp screen command."""

from __future__ import annotations

import csv
import io
import itertools
import json
import tracemalloc
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialwork_procurement as swp
from socialwork_procurement.cli._main import main
from socialwork_procurement.export._json import verdict_json
from socialwork_procurement.screening import (
    CHINESE_HEADERS,
    COLUMNS,
    RecordProblem,
    Screener,
    ScreenResult,
    ScreenSummary,
    SourceRecord,
    read_records,
    screen,
)
from socialwork_procurement.screening._readers import read_csv, read_jsonl
from socialwork_procurement.testing import strategies as sst

REGIONS = ("henan", "xiamen", "ningxia")
PILOT = date(2015, 3, 1)
PNEU: dict[str, Any] = {
    "name": "厦门市某社会工作服务中心",
    "legal_form": "private_non_enterprise_unit",
    "independent_legal_person": True,
    "staff": {"professional_team": True},
    "governance": {
        "internal_governance": True,
        "bylaws": True,
        "public_credibility": True,
        "operating_capacity": True,
        "professional_service_capacity": True,
    },
}


@pytest.fixture(scope="module")
def registry() -> swp.Registry:
    return swp.load_registry()


def _deciding(verdict: swp.Verdict) -> tuple[str, ...]:
    """The deciding paths of a verdict's gating unknowns, computed here from the public findings."""
    out: list[str] = []
    for finding in verdict.unknowns:
        facts = getattr(finding, "deciding", ())
        paths = [f.path for f in facts] or [finding.path]
        out += [p for p in paths if p not in out]
    return tuple(out)


def _same_as_check(result: ScreenResult, verdict: swp.Verdict) -> None:
    assert result.decision is verdict.decision
    assert result.failed == tuple(f.rule_id for f in verdict.failures)
    assert result.unknown == tuple(f.rule_id for f in verdict.unknowns)
    assert result.deciding == _deciding(verdict)
    assert result.conflicts == tuple((c.regional.rule_id, c.national.rule_id) for c in verdict.conflicts)
    assert result.problems == ()


# -- identical to Registry.check ------------------------------------------------------------------


@given(case=sst.cases(), region=st.sampled_from(REGIONS), on=sst.dates(), national=st.booleans())
def test_screen_one_is_registry_check(
    registry: swp.Registry, case: swp.Case, region: str, on: date, national: bool
) -> None:
    verdict = registry.check(case, region=region, on=on, national=national)
    screener = Screener(registry, region=region, on=on, national=national, full=True)
    result = screener.screen_one(case)
    _same_as_check(result, verdict)
    assert result.verdict == verdict
    # The same record as JSON, converted strictly, gives the same answer.
    assert screener.screen_one(swp.unstructure(case)) == result


@given(contractor=sst.contractors(), region=st.sampled_from(REGIONS), on=sst.dates())
def test_contractor_records_are_checked_as_a_case_of_the_contractor(
    registry: swp.Registry, contractor: swp.Contractor, region: str, on: date
) -> None:
    verdict = registry.check(swp.Case(contractor=contractor), region=region, on=on)
    screener = Screener(registry, region=region, on=on)
    for record in (contractor, swp.unstructure(contractor)):
        result = screener.screen_one(record)
        _same_as_check(result, verdict)
        assert result.name == contractor.name and result.uscc == contractor.uscc
        assert result.verdict is None  # only with full=True


def _flatten(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            out.update(_flatten(value, f"{prefix}{key}."))
        else:
            out[prefix + key] = value
    return out


def _pruned(data: Any) -> Any:
    """``data`` without the objects whose facts are all unknown: a table row cannot tell them from absent."""
    if not isinstance(data, dict):
        return data
    kept = {k: _pruned(v) for k, v in data.items()}
    kept = {k: v for k, v in kept.items() if v is not None}
    return kept or None


def _cell(value: Any, zh: bool) -> str:
    if value is None:
        return ""
    if value is True:
        return "是" if zh else "true"
    if value is False:
        return "否" if zh else "false"
    return str(value)


@settings(max_examples=30)
@given(contractors=st.lists(sst.contractors(), min_size=1, max_size=8), zh=st.booleans(), region=st.sampled_from(REGIONS))
def test_csv_rows_screen_as_their_contractor(
    registry: swp.Registry, contractors: list[swp.Contractor], zh: bool, region: str
) -> None:
    """Every contractor field written to a CSV cell (empty for None) reads back to the same verdict."""
    columns = sorted(p for p in COLUMNS if p.startswith("contractor."))
    headers = {c: c for c in columns}
    if zh:  # the Chinese header of every column that has one
        for header, column in CHINESE_HEADERS.items():
            if column in headers and headers[column] == column:
                headers[column] = header
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([headers[c] for c in columns])
    for contractor in contractors:
        flat = _flatten(swp.unstructure(contractor), "contractor.")
        writer.writerow([_cell(flat.get(c), zh) for c in columns])
    out.seek(0)
    screener = Screener(registry, region=region, on=PILOT)
    results = list(screener.screen(read_csv(out)))
    assert [r.line for r in results] == list(range(2, len(contractors) + 2))
    for result, contractor in zip(results, contractors, strict=True):
        # A sub-object with every fact unknown (Staff()) and one not given (None) are the same empty cells.
        as_read = swp.structure(_pruned(swp.unstructure(contractor)), swp.Contractor)
        _same_as_check(result, registry.check(swp.Case(contractor=as_read), region=region, on=PILOT))


# -- bad records --------------------------------------------------------------------------------


def test_a_bad_record_is_a_result_with_every_problem_and_the_run_goes_on(registry: swp.Registry) -> None:
    records: list[object] = [
        PNEU,
        {"name": "", "legal_form": "charity", "staff": {"full_time": 3.5}},
        42,
        {"contractor": PNEU, "colour": "blue"},
        swp.Contractor(name="某基金会", legal_form=swp.LegalForm.FOUNDATION),
    ]
    results = list(screen(records, region="xiamen", on=PILOT, registry=registry))
    assert [r.index for r in results] == [0, 1, 2, 3, 4]
    assert [r.ok for r in results] == [True, False, False, False, True]
    assert results[0].decision is swp.Decision.ELIGIBLE
    paths = {p.path for p in results[1].problems}
    assert {"$.contractor.name", "$.contractor.legal_form", "$.contractor.staff.full_time"} <= paths
    assert results[1].decision is None and results[1].failed == ()
    assert results[2].problems == (RecordProblem("$", "expected a case, a contractor or a JSON object, got integer 42"),)
    assert "colour" in results[3].problems[0].message
    assert results[4].decision is swp.Decision.UNDETERMINED


def test_an_unknown_region_is_refused_before_any_record(registry: swp.Registry) -> None:
    def records() -> Iterator[object]:
        raise AssertionError("no record may be read")
        yield  # pragma: no cover

    with pytest.raises(swp.UnknownRegion):
        screen(records(), region="atlantis", on=PILOT, registry=registry)


def test_screen_is_lazy_and_keeps_nothing(registry: swp.Registry) -> None:
    endless = itertools.repeat(PNEU)  # an input that cannot be materialised
    first = list(itertools.islice(screen(endless, region="xiamen", on=PILOT, registry=registry), 3))
    assert [r.index for r in first] == [0, 1, 2]


def test_memory_does_not_grow_with_the_record_count(registry: swp.Registry) -> None:
    def peak(count: int) -> int:
        tracemalloc.start()
        try:
            for result in screen(itertools.repeat(PNEU, count), region="xiamen", on=PILOT, registry=registry):
                assert result.ok
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    # CPython keeps up to 2,000 freed tuples of each small size for reuse, which tracemalloc still counts:
    # fill those free lists first, untraced, so that what is measured is what screening itself holds.
    for _ in screen(itertools.repeat(PNEU, 2500), region="xiamen", on=PILOT, registry=registry):
        pass
    small, large = peak(300), peak(3000)
    assert large < small * 1.5 + 16 * 1024, (small, large)


def test_summary_counts_decisions_bad_records_and_rules(registry: swp.Registry) -> None:
    no_team = {**PNEU, "staff": {"professional_team": False}}
    unknown_team = {**PNEU, "staff": {}}
    summary = ScreenSummary()
    for result in screen([PNEU, no_team, no_team, unknown_team, {}, 7], region="xiamen", on=PILOT, registry=registry):
        summary.add(result)
    assert summary.total == 6 and summary.bad == 1
    assert summary.count(swp.Decision.ELIGIBLE) == 1
    assert summary.count(swp.Decision.INELIGIBLE) == 2
    assert summary.count(swp.Decision.UNDETERMINED) == 2  # the unknown team, and the empty case
    assert summary.failed.most_common(1) == [("xiamen.contractor.professional_team", 2)]
    assert summary.unknown["xiamen.contractor.professional_team"] == 1


# -- JSON Lines --------------------------------------------------------------------------------


def test_jsonl_lines_numbers_and_bad_lines() -> None:
    lines = [
        json.dumps(PNEU, ensure_ascii=False).encode(),
        b"",
        b"   ",
        b"{not json",
        b"[1, 2]",
        b'{"name": "a", "name": "b", "legal_form": "foundation"}',
        b'{"name": "a", "legal_form": "foundation", "staff": {"full_time": NaN}}',
        "{\"name\": \"社会工作服务中心\", \"legal_form\": \"foundation\"}".encode("gb18030"),
        json.dumps({"name": "基金会", "legal_form": "foundation"}, ensure_ascii=False).encode(),
    ]
    records = list(read_jsonl(lines))
    assert [(r.index, r.line) for r in records] == [(0, 1), (1, 4), (2, 5), (3, 6), (4, 7), (5, 8), (6, 9)]
    assert records[0].data == PNEU and records[0].problems == ()
    assert "not valid JSON" in records[1].problems[0].message
    assert records[2].problems[0].message == "expected a JSON object, got array"
    assert "appears twice" in records[3].problems[0].message
    assert "NaN" in records[4].problems[0].message
    assert "not valid utf-8" in records[5].problems[0].message and "--encoding" in records[5].problems[0].message
    assert records[6].data == {"name": "基金会", "legal_form": "foundation"}


def test_jsonl_file_with_a_byte_order_mark_and_a_declared_encoding(tmp_path: Path, registry: swp.Registry) -> None:
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(json.dumps(PNEU, ensure_ascii=False).encode("gb18030") + b"\n")
    (bad,) = read_records(path)
    assert bad.data is None
    (good,) = read_records(path, encoding="gb18030")
    assert good.data == PNEU
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(b"\xef\xbb\xbf" + json.dumps(PNEU).encode() + b"\n")
    (record,) = read_records(bom)
    assert record.data == PNEU


# -- CSV ----------------------------------------------------------------------------------------


def _csv(text: str, **kwargs: Any) -> list[SourceRecord]:
    return list(read_csv(io.StringIO(text, newline=""), **kwargs))


def test_csv_empty_cells_are_not_given_never_a_default(registry: swp.Registry) -> None:
    (record,) = _csv("机构名称,法人类型,独立法人资格,专业团队\n某中心,民办非企业单位,,\n")
    assert record.data == {"contractor": {"name": "某中心", "legal_form": "private_non_enterprise_unit"}}
    result = Screener(registry, region="xiamen", on=PILOT).screen_one(record)
    assert result.decision is swp.Decision.UNDETERMINED
    assert "$.contractor.independent_legal_person" in result.deciding
    assert "$.contractor.staff.professional_team" in result.deciding


@pytest.mark.parametrize(
    ("cell", "value"), [("true", True), ("false", False), ("是", True), ("否", False), (" 是 ", True)]
)
def test_csv_booleans_accepted(cell: str, value: bool) -> None:
    (record,) = _csv(f"name,legal_form,non_profit\n某,foundation,{cell}\n")
    assert record.problems == ()
    assert record.data is not None and record.data["contractor"]["non_profit"] is value


@pytest.mark.parametrize("cell", ["True", "TRUE", "yes", "1", "0", "对", "Y", "ture"])
def test_csv_other_boolean_text_is_refused_with_its_path_and_column(cell: str, registry: swp.Registry) -> None:
    (record,) = _csv(f"机构名称,法人类型,非营利性\n某,基金会,{cell}\n")
    assert record.problems == (
        RecordProblem("$.contractor.non_profit", f'expected true, false, 是 or 否, got string "{cell}"', "非营利性"),
    )
    result = Screener(registry, region="xiamen", on=PILOT).screen_one(record)
    assert not result.ok and result.problems == record.problems


@pytest.mark.parametrize("cell", ["3.0", "-1", "３", "1,000", "1e3", "12 "])
def test_csv_whole_numbers_are_ascii_digits(cell: str) -> None:
    (record,) = _csv(f'name,legal_form,staff.full_time\n某,foundation,"{cell}"\n')
    if cell == "12 ":  # surrounding spaces are trimmed from every cell
        assert record.data is not None and record.data["contractor"]["staff"] == {"full_time": 12}
        return
    assert [p.path for p in record.problems] == ["$.contractor.staff.full_time"]


def test_csv_values_the_converter_refuses_are_reported_with_their_column(registry: swp.Registry) -> None:
    rows = _csv("统一社会信用代码,机构名称,法人类型,登记日期\n52350203MJ0000007X,某,charity,2015-02-30\n")
    result = Screener(registry, region="xiamen", on=PILOT).screen_one(rows[0])
    by_path = {p.path: p for p in result.problems}
    assert by_path["$.contractor.legal_form"].column == "法人类型"
    assert by_path["$.contractor.registration_date"].column == "登记日期"
    assert by_path["$.contractor.uscc"].column == "统一社会信用代码"


def test_csv_headers_every_unknown_one_refused_at_once_or_ignored() -> None:
    text = "统一社会信用代码,机构名称,法人类型,登记管理机关,业务范围\n52350203MJ0000007C,某,基金会,厦门市民政局,养老\n"
    with pytest.raises(swp.InvalidInput) as info:
        _csv(text)
    assert [p.path for p in info.value.problems] == ["column 4 (登记管理机关)", "column 5 (业务范围)"]
    (record,) = _csv(text, ignore_columns=["登记管理机关", "业务范围"])
    assert record.data == {"contractor": {"uscc": "52350203MJ0000007C", "name": "某", "legal_form": "foundation"}}


def test_csv_headers_twice_the_same_field_or_a_list_field_are_refused() -> None:
    with pytest.raises(swp.InvalidInput) as info:
        _csv("机构名称,contractor.name,contract.stated_terms,evaluations\n")
    messages = [str(p) for p in info.value.problems]
    assert "already given by column 1 (机构名称)" in messages[0]
    assert "list field" in messages[1] and "list field" in messages[2]
    with pytest.raises(swp.InvalidInput):
        _csv("")


def test_csv_rows_lines_empty_rows_and_ragged_rows() -> None:
    text = 'name,legal_form\n"某\n中心",foundation\n,\n\n某,foundation,extra\n某,social_group\n'
    records = _csv(text)
    assert [(r.index, r.line) for r in records] == [(0, 2), (1, 6), (2, 7)]
    assert records[0].data == {"contractor": {"name": "某\n中心", "legal_form": "foundation"}}
    assert records[1].problems[0].message == "the row has 3 cells and the header 2 columns"
    assert records[2].problems == ()


def test_csv_parts_with_no_cells_are_absent_and_other_parts_are_read(registry: swp.Registry) -> None:
    text = "contractor.name,contractor.legal_form,contract.purchase_form,总购买资金\n某,foundation,,\n某,foundation,专项服务项目,500000\n"
    first, second = _csv(text)
    assert first.data is not None and "contract" not in first.data
    assert second.data is not None
    assert second.data["contract"] == {"purchase_form": "specialised_project", "amount": "500000"}
    result = Screener(registry, region="xiamen", on=PILOT).screen_one(second)
    assert result.ok


def test_csv_file_in_gb18030(tmp_path: Path, registry: swp.Registry) -> None:
    path = tmp_path / "registry.csv"
    path.write_bytes("机构名称,法人类型\n某社会工作服务中心,民办非企业单位\n".encode("gb18030"))
    with pytest.raises(swp.InvalidInput) as info:
        list(read_records(path))  # the header itself does not decode as UTF-8
    assert all("--encoding" in p.message for p in info.value.problems)
    (record,) = read_records(path, encoding="gb18030")
    assert record.data == {"contractor": {"name": "某社会工作服务中心", "legal_form": "private_non_enterprise_unit"}}
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes(b"name,legal_form\n" + "社会工作服务中心,foundation\n".encode("gb18030") + "某,foundation\n".encode())
    bad, good = read_records(mixed)
    assert bad.problems[0].path == "$.contractor.name" and "--encoding" in bad.problems[0].message
    assert good.problems == ()


def test_read_records_needs_a_format_it_can_tell(tmp_path: Path) -> None:
    path = tmp_path / "registry.txt"
    path.write_text("{}\n")
    with pytest.raises(swp.InvalidInput):
        read_records(path)
    assert [r.data for r in read_records(path, format="jsonl")] == [{}]
    with pytest.raises(swp.InvalidInput):
        read_records(tmp_path / "missing.jsonl")


# -- Excel --------------------------------------------------------------------------------------


def test_xlsx_typed_and_text_cells(tmp_path: Path, registry: swp.Registry) -> None:
    openpyxl = pytest.importorskip("openpyxl", reason="the xlsx extra (openpyxl) is not installed")
    from datetime import datetime

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "登记名录"
    sheet.append(["统一社会信用代码", "机构名称", "法人类型", "独立法人资格", "专职人员", "登记日期", "专业团队"])
    sheet.append(["52350203MJ0000007C", "某中心", "民办非企业单位", True, 12, datetime(2012, 6, 18), "是"])
    sheet.append([None, "某公司", "企业", "是", 3.5, datetime(2012, 6, 18, 9, 30), None])
    sheet.append([None, None, None, None, None, None, None])
    sheet.append([None, "某基金会", "基金会", False, "7", "2013-01-02", "否"])
    path = tmp_path / "registry.xlsx"
    workbook.save(path)

    first, second, third = read_records(path)
    assert (first.line, second.line, third.line) == (2, 3, 5)
    assert first.data == {
        "contractor": {
            "uscc": "52350203MJ0000007C",
            "name": "某中心",
            "legal_form": "private_non_enterprise_unit",
            "independent_legal_person": True,
            "registration_date": "2012-06-18",
            "staff": {"full_time": 12, "professional_team": True},
        }
    }
    assert {p.path for p in second.problems} == {"$.contractor.staff.full_time", "$.contractor.registration_date"}
    assert third.problems == ()
    assert third.data is not None and third.data["contractor"]["staff"] == {"full_time": 7, "professional_team": False}
    screener = Screener(registry, region="xiamen", on=PILOT)
    assert screener.screen_one(first).ok and not screener.screen_one(second).ok
    assert next(r.data for r in read_records(path, sheet="登记名录")) == first.data
    with pytest.raises(swp.InvalidInput):
        read_records(path, sheet="Sheet9")


# -- swp screen ---------------------------------------------------------------------------------


def _write_jsonl(path: Path, records: list[Any]) -> str:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return str(path)


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_cli_screen_jsonl(tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: swp.Registry) -> None:
    no_team = {**PNEU, "staff": {"professional_team": False}}
    path = _write_jsonl(tmp_path / "r.jsonl", [PNEU, no_team, {"name": "某协会", "legal_form": "social_group"}])
    code = main(["screen", path, "--region", "xiamen", "--on", "2015-03-01"])
    out, err = capsys.readouterr()
    assert code == 0
    rows = _jsonl(out)
    assert [r["decision"] for r in rows] == ["eligible", "ineligible", "undetermined"]
    assert rows[1]["failed"] == ["xiamen.contractor.professional_team"]
    assert rows[2]["line"] == 3 and "$.contractor.independent_legal_person" in rows[2]["deciding"]
    # The summary: counts by decision and the most frequent rules with their messages, in Chinese by default.
    assert "符合" in err and "无法确定" in err and "最常见的不通过规则" in err
    message = registry.rule("xiamen.contractor.professional_team", on=PILOT).message_zh  # the version in force
    assert message in err
    assert "\x1b[" not in err  # no progress bar when standard error is not a terminal


def test_cli_screen_bad_records_exit_2_and_the_run_goes_on(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text(json.dumps(PNEU) + "\n{oops\n" + json.dumps({**PNEU, "legal_form": "x"}) + "\n" + json.dumps(PNEU) + "\n")
    code = main(["screen", str(path), "--region", "xiamen", "--on", "2015-03-01", "--lang", "en"])
    out, err = capsys.readouterr()
    assert code == 2
    rows = _jsonl(out)
    assert [r["decision"] for r in rows] == ["eligible", None, None, "eligible"]
    assert "swp: line 2: $: not valid JSON" in err
    assert "swp: line 3: $.contractor.legal_form: expected one of" in err
    assert "bad records" in err and "most frequent failing rules" in err


def test_cli_screen_csv_in_and_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "r.csv"
    source.write_text(
        "统一社会信用代码,机构名称,法人类型,独立法人资格,专业团队,登记管理机关\n"
        "52350203MJ0000007C,某中心,民办非企业单位,是,否,厦门市民政局\n"
        ",某协会,社会团体,是,yes,厦门市民政局\n",
        encoding="utf-8",
    )
    out = tmp_path / "results.csv"
    code = main(["screen", str(source), "--region", "xiamen", "--on", "2015-03-01", "--out", str(out),
                 "--ignore-column", "登记管理机关"])
    _, err = capsys.readouterr()
    assert code == 2
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert [r["decision"] for r in rows] == ["ineligible", ""]
    assert rows[0]["uscc"] == "52350203MJ0000007C" and "xiamen.contractor.professional_team" in rows[0]["failed"].split(";")
    assert rows[1]["line"] == "3" and "$.contractor.staff.professional_team (专业团队)" in rows[1]["problems"]
    assert "第 3 行: $.contractor.staff.professional_team (专业团队)" in err
    code = main(["screen", str(source), "--region", "xiamen", "--on", "2015-03-01"])
    _, err = capsys.readouterr()
    assert code == 2 and "column 6 (登记管理机关)" in err


def test_cli_screen_full_verdicts_are_swp_checks(tmp_path: Path, capsys: pytest.CaptureFixture[str], registry: swp.Registry) -> None:
    path = _write_jsonl(tmp_path / "r.jsonl", [PNEU])
    code = main(["screen", path, "--region", "xiamen", "--on", "2015-03-01", "--full", "--lang", "en"])
    out, _ = capsys.readouterr()
    assert code == 0
    (row,) = _jsonl(out)
    verdict = registry.check(swp.Case(contractor=swp.structure(PNEU, swp.Contractor)), region="xiamen", on=PILOT)
    assert row["verdict"] == json.loads(json.dumps(verdict_json(verdict, "en"), ensure_ascii=False))
    assert main(["screen", path, "--region", "xiamen", "--full", "--format", "csv"]) == 2


def test_cli_screen_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write_jsonl(tmp_path / "r.jsonl", [PNEU])
    assert main(["screen", path, "--region", "atlantis"]) == 2
    assert main(["screen", str(tmp_path / "missing.jsonl"), "--region", "xiamen"]) == 2
    assert main(["screen", path, "--region", "xiamen", "--out", str(tmp_path / "no" / "dir.jsonl")]) == 2
    _, err = capsys.readouterr()
    assert "Traceback" not in err


def test_cli_screen_reads_standard_input(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO((json.dumps(PNEU) + "\n").encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    assert main(["screen", "-", "--region", "xiamen", "--on", "2015-03-01", "--format", "csv"]) == 0
    out, _ = capsys.readouterr()
    assert next(csv.DictReader(io.StringIO(out)))["decision"] == "eligible"
    assert not stdin.buffer.closed  # standard input is not the reader's to close
    table = io.TextIOWrapper(io.BytesIO("机构名称,法人类型\n某,基金会\n".encode()), encoding="utf-8")
    monkeypatch.setattr("sys.stdin", table)
    assert [r.data for r in read_records("-", format="csv")] == [{"contractor": {"name": "某", "legal_form": "foundation"}}]
    assert not table.buffer.closed


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_only_with_rich(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialwork_procurement.cli import _screen

    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert _screen._Progress("x")._bar is None
    monkeypatch.setattr("sys.stderr", _Tty())
    pytest.importorskip("rich", reason="the progress extra (rich) is not installed")
    bar = _screen._Progress("x")
    assert bar._bar is not None
    bar.advance()
    bar.close()
    real_import = _screen.importlib.import_module

    def no_rich(name: str) -> Any:
        if name.startswith("rich"):
            raise ImportError(name)
        return real_import(name)

    monkeypatch.setattr(_screen.importlib, "import_module", no_rich)
    assert _screen._Progress("x")._bar is None


def test_standard_input_without_bytes_is_read_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(PNEU, ensure_ascii=False) + "\n\n{bad\n"))
    good, bad = read_records("-")
    assert (good.line, good.data) == (1, PNEU) and (bad.line, bad.data) == (3, None)
    monkeypatch.setattr("sys.stdin", io.StringIO("机构名称,法人类型\n某,基金会\n"))
    (row,) = read_records("-", format="csv")
    assert row.data == {"contractor": {"name": "某", "legal_form": "foundation"}}


def test_the_docstring_examples_pass() -> None:
    import doctest

    from socialwork_procurement.screening import _screen

    result = doctest.testmod(_screen, optionflags=0, verbose=False)
    assert result.attempted > 0 and result.failed == 0


def test_a_missing_extra_is_an_environment_error_exit_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # as if the xlsx extra were not installed
    monkeypatch.setitem(sys.modules, "distributed", None)
    book = tmp_path / "registry.xlsx"
    book.write_bytes(b"PK")
    assert main(["screen", str(book), "--region", "xiamen"]) == 4
    jsonl = _write_jsonl(tmp_path / "r.jsonl", [PNEU])
    assert main(["screen", jsonl, "--region", "xiamen", "--dask", "tcp://127.0.0.1:1"]) == 4
    _, err = capsys.readouterr()
    assert "pip install 'socialwork-procurement[xlsx]'" in err and "socialwork-procurement[dask]" in err
