"""The swp command line: JSON contract, exit codes, readable errors, python -m."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from socialwork_procurement.cli._main import main

Install = Callable[..., Path]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    try:
        data = json.loads(out)
    except ValueError:
        data = out
    return code, data, err


@pytest.fixture
def testland_installed(install_packs: Install) -> None:
    install_packs("swp_test_pack")


def write(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


PNEU = {"name": "某社工服务中心", "legal_form": "private_non_enterprise_unit", "independent_legal_person": True}


@pytest.mark.usefixtures("testland_installed")
def test_regions_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, rows, _ = run(capsys, "regions", "--format", "json")
    assert code == 0
    row = next(r for r in rows if r["code"] == "testland")
    assert set(row) == {"code", "name", "version", "parent", "sources"}
    assert row["version"] == "1.2.0"
    assert row["sources"] == [{"file": "testland.txt", "title": "测试地区办法", "number": "测〔2020〕1号", "date": "2020-01-01"}]


@pytest.mark.usefixtures("testland_installed")
def test_rules_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, rules, _ = run(capsys, "rules", "--region", "testland", "--format", "json")
    assert code == 0
    assert {r["rule_id"] for r in rules} >= {"testland.contractor.legal_person", "testland.evaluation.fee_2pct"}
    for r in rules:
        assert set(r) == {"rule_id", "kind", "strength", "effective_from", "effective_to", "citation", "message_zh", "message_en"}
        assert set(r["citation"]) == {"file", "title", "number", "quote"}
    _, dated, _ = run(capsys, "rules", "--region", "testland", "--on", "2021-06-01", "--format", "json")
    assert "testland.contractor.social_org" not in {r["rule_id"] for r in dated}


@pytest.mark.usefixtures("testland_installed")
@pytest.mark.parametrize(
    ("contractor", "expected_code", "decision"),
    [
        (PNEU, 0, "eligible"),
        ({**PNEU, "legal_form": "enterprise"}, 1, "ineligible"),
        ({**PNEU, "independent_legal_person": None}, 3, "undetermined"),
    ],
)
def test_check_exit_codes_and_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, contractor: dict[str, Any], expected_code: int, decision: str
) -> None:
    path = write(tmp_path, {"contractor": contractor})
    code, verdict, _ = run(capsys, "check", path, "--region", "testland", "--on", "2020-06-01", "--format", "json", "--lang", "en")
    assert code == expected_code
    assert verdict["decision"] == decision and verdict["region"] == "testland" and verdict["on"] == "2020-06-01"
    finding = next(f for f in verdict["findings"] if f["rule_id"] == "testland.contractor.legal_person")
    assert {"rule_id", "subject", "outcome", "strength", "message", "citation"} <= set(finding)
    assert finding["citation"] == {"file": "testland.txt", "quote": "承接主体应具有独立法人资格"}
    assert {"packs", "layers", "rules_in_force", "rules_not_in_force"} <= set(verdict["trace"])


@pytest.mark.usefixtures("testland_installed")
def test_check_text_is_chinese_by_default(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(capsys, "check", write(tmp_path, {"contractor": PNEU}), "--region", "testland", "--on", "2020-06-01")
    assert code == 0 and "结论: 符合" in out and "通过" in out


@pytest.mark.usefixtures("testland_installed")
def test_bad_input_exits_2_with_one_message_per_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = write(tmp_path, {"contractor": {"name": "x", "legal_form": "foundation", "non_profit": "false",
                                           "staff": {"full_time": 3.9}}})
    code, _, err = run(capsys, "check", path, "--region", "testland")
    assert code == 2
    lines = err.strip().splitlines()
    assert any("$.contractor.non_profit" in line for line in lines)
    assert any("$.contractor.staff.full_time" in line for line in lines)
    assert "Traceback" not in err


@pytest.mark.usefixtures("testland_installed")
@pytest.mark.parametrize(
    "argv",
    [
        ("check", "/no/such/file.json", "--region", "testland"),
        ("check", "-", "--region", "atlantis"),
        ("fee", "--region", "testland", "--amount", "1.555"),
        ("fee", "--region", "testland", "--amount", "lots"),
        ("rules", "--region", "testland", "--on", "2021-13-01"),
        ("frobnicate",),
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, argv: tuple[str, ...]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("{}"))
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's own usage errors
        code = int(exc.code or 0)
    err = capsys.readouterr().err
    assert code == 2 and "swp: error:" in err and "Traceback" not in err


@pytest.mark.usefixtures("testland_installed")
def test_fee_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, fee, _ = run(capsys, "fee", "--region", "testland", "--amount", "500000", "--on", "2021-06-01", "--format", "json")
    assert code == 0
    assert fee["fee"] == "10000.00" and fee["amount"] == "500000.00" and fee["rule_id"] == "testland.evaluation.fee_2pct"
    assert fee["citation"]["quote"] == "评估费用按总购买资金的2%计算"
    code, none, _ = run(capsys, "fee", "--region", "testland", "--amount", "500000", "--on", "2020-06-01", "--format", "json")
    assert none["fee"] is None and none["rule_id"] is None and "评估费用" in none["reason"]


def test_python_dash_m_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "socialwork_procurement", "fee", "--region", "national", "--amount", "100", "--format", "json"],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["fee"] is None
