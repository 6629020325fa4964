"""``swp case`` and ``swp diagram``: JSON in and out, the exit codes of ``swp check``, and the docs."""

from __future__ import annotations

import io
import json
import re
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

from socialwork_procurement.cli._main import main
from socialwork_procurement.lifecycle._machine import MACHINE

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples" / "lifecycle"
LIFECYCLE_DOC = ROOT / "docs" / "lifecycle.md"

pytestmark = pytest.mark.usefixtures("xiamen")


@pytest.fixture
def xiamen() -> None:
    kit.require_region("xiamen")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    try:
        data = json.loads(out)
    except ValueError:
        data = out
    return code, data, err


def example(name: str) -> str:
    (path,) = EXAMPLES.glob(f"{name}*.json")
    return str(path)


def write(tmp_path: Path, data: Any, name: str = "command.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


@pytest.fixture
def opened(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    store = str(tmp_path / "cases.sqlite")
    code, data, _ = run(capsys, "case", "new", example("01"), "--id", "XM-1", "--store", store)
    assert code == 0, data
    return store


def test_new_opens_a_case_and_prints_its_state(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = str(tmp_path / "cases.sqlite")
    code, data, err = run(capsys, "case", "new", example("01"), "--id", "XM-1", "--store", store)
    assert (code, err) == (0, "")
    assert set(data) == {"case_id", "version", "status", "appended", "state"}
    assert (data["case_id"], data["version"], data["status"]) == ("XM-1", 1, "draft")
    (event,) = data["appended"]
    assert set(event) == {
        "version",
        "position",
        "recorded_at",
        "event_type",
        "schema_version",
        "stored_schema_version",
        "hash",
        "payload",
    }
    assert event["event_type"] == "case_opened" and event["payload"]["basis"]["decision"] == "eligible"
    assert data["state"]["allowed_actions"] == ["assess_needs", "cancel", "record_disclosure"]
    assert data["state"]["final"] is False and data["state"]["region"] == "xiamen"


def test_the_store_defaults_to_a_file_in_the_working_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, data, _ = run(capsys, "case", "new", example("01"))
    assert code == 0 and data["case_id"].startswith("case-")
    assert (tmp_path / "swp-cases.sqlite").is_file()
    code, rows, _ = run(capsys, "case", "list")
    assert code == 0 and [r["case_id"] for r in rows] == [data["case_id"]]


def test_do_refused_undetermined_and_invalid(opened: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, err = run(capsys, "case", "do", "XM-1", example("13"), "--store", opened, "--lang", "en")
    assert code == 1 and data["refused"] == "invalid_transition" and data["version"] == 1
    assert "accept is not allowed in state draft" in data["message"] and err.startswith("swp: invalid transition:")

    assert run(capsys, "case", "do", "XM-1", example("02"), "--store", opened)[0] == 0
    no_targets = {
        "command": "approve_budget",
        "actor": "张主任",
        "role": "purchaser",
        "on": "2015-01-30",
        "amount": "500000",
    }
    code, data, err = run(capsys, "case", "do", "XM-1", write(tmp_path, no_targets), "--store", opened, "--lang", "en")
    assert code == 3 and data["refused"] == "undetermined"
    (finding,) = data["findings"]
    assert finding["rule_id"] == "xiamen.procedure.needs_cost_targets_budget" and finding["outcome"] == "unknown"
    assert set(finding) == {"rule_id", "subject", "outcome", "strength", "message", "citation", "path"}

    accepted = {**no_targets, "accept_undetermined": "成本核算另行完成"}
    code, data, _ = run(capsys, "case", "do", "XM-1", write(tmp_path, accepted), "--store", opened)
    assert code == 0 and data["status"] == "budgeted"
    assert data["appended"][0]["payload"]["basis"]["accepted_undetermined"] == "成本核算另行完成"

    for step in ("04", "05"):
        code, data, _ = run(capsys, "case", "do", "XM-1", example(step), "--store", opened)
    assert code == 1 and data["refused"] == "refused"
    assert [f["rule_id"] for f in data["findings"]] == ["xiamen.contractor.org_type"]
    assert data["findings"][0]["outcome"] == "fail"
    code, shown, _ = run(capsys, "case", "show", "XM-1", "--store", opened)
    assert shown["version"] == 4 and shown["state"]["status"] == "tendering"


def test_bad_input_is_exit_2_with_one_message_per_problem(
    opened: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {"command": "assess_needs", "actor": "张主任", "role": "mayor", "on": "2015-1-26", "summry": "x"}
    code, out, err = run(capsys, "case", "do", "XM-1", write(tmp_path, bad), "--store", opened)
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert any(line.startswith("swp: error: $.role: expected one of civil_affairs") for line in lines)
    assert 'swp: error: $.on: expected a date as "YYYY-MM-DD", got string "2015-1-26"' in lines
    assert "swp: error: $: unknown field(s): summry" in lines
    assert "Traceback" not in err

    code, _, err = run(capsys, "case", "do", "XM-1", write(tmp_path, {"command": "reopen"}), "--store", opened)
    assert code == 2 and "$.command: expected one of accept, approve_budget" in err
    code, _, err = run(capsys, "case", "do", "XM-1", write(tmp_path, [1, 2]), "--store", opened)
    assert code == 2 and "swp: error: $: expected an object, got array" in err
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    code, _, err = run(capsys, "case", "do", "XM-1", str(tmp_path / "broken.json"), "--store", opened)
    assert code == 2 and "$: not valid JSON" in err
    code, _, err = run(capsys, "case", "new", example("02"), "--store", opened)
    assert code == 2 and 'a case is opened by an "open" command, not "assess_needs"' in err
    code, _, err = run(capsys, "case", "do", "nope", example("02"), "--store", opened)
    assert code == 2 and "no case 'nope'" in err
    code, _, err = run(capsys, "case", "show", "XM-1", "--store", str(tmp_path / "missing.sqlite"))
    assert code == 2 and "no store at" in err and not (tmp_path / "missing.sqlite").exists()


def test_new_refuses_an_ineligible_purchaser_and_a_taken_id(
    opened: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = json.loads(Path(example("01")).read_text(encoding="utf-8"))
    command["purchaser"] = {"name": "某公司", "kind": "enterprise"}
    code, data, _ = run(capsys, "case", "new", write(tmp_path, command), "--id", "X", "--store", opened)
    assert code == 1 and data["findings"][0]["rule_id"] == "xiamen.purchaser.eligible_bodies"
    code, data, _ = run(capsys, "case", "new", example("01"), "--id", "XM-1", "--store", opened)
    assert code == 1 and data["refused"] == "invalid_transition" and "already exists" in data["message"]


def test_commands_are_read_from_standard_input(
    opened: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(Path(example("02")).read_text(encoding="utf-8")))
    code, data, _ = run(capsys, "case", "do", "XM-1", "-", "--store", opened)
    assert code == 0 and data["status"] == "needs_assessed"


def test_expect_version_refuses_a_stale_decision(opened: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(capsys, "case", "do", "XM-1", example("02"), "--store", opened, "--expect-version", "3")
    assert code == 1 and "is at version 1, not 3" in data["message"]
    code, data, _ = run(capsys, "case", "do", "XM-1", example("02"), "--store", opened, "--expect-version", "1")
    assert code == 0 and data["version"] == 2


def test_show_history_and_list(opened: str, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "case", "do", "XM-1", example("02"), "--store", opened)
    code, shown, _ = run(capsys, "case", "show", "XM-1", "--store", opened)
    assert code == 0 and set(shown) == {"case_id", "version", "state", "disclosures"}
    assert shown["state"]["status"] == "needs_assessed" and shown["disclosures"] == []
    code, history, _ = run(capsys, "case", "history", "XM-1", "--store", opened)
    assert code == 0 and [e["event_type"] for e in history] == ["case_opened", "needs_assessed"]
    assert history[1]["payload"]["summary"] == "辖区独居老人与留守儿童服务需求摸底"
    assert history[1]["payload"]["target_groups"] == ["elderly_living_alone", "left_behind_children"]
    code, rows, _ = run(capsys, "case", "list", "--store", opened)
    assert code == 0 and [(r["case_id"], r["version"]) for r in rows] == [("XM-1", 2)]


def test_list_of_a_missing_store_is_empty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, rows, _ = run(capsys, "case", "list", "--store", str(tmp_path / "none.sqlite"))
    assert (code, rows) == (0, [])
    assert not (tmp_path / "none.sqlite").exists()


def test_diagram(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "diagram")
    assert code == 0 and out == MACHINE.to_mermaid() + "\n"
    code, out, _ = run(capsys, "diagram", "--format", "dot")
    assert code == 0 and out == MACHINE.to_dot() + "\n"
    # main() returns the usage code instead of raising SystemExit (issue 9: one exit path)
    assert main(["diagram", "--format", "png"]) == 2


def test_case_needs_a_subcommand(capsys: pytest.CaptureFixture[str]) -> None:
    # main() returns the usage code instead of raising SystemExit (issue 9: one exit path)
    assert main(["case"]) == 2
    assert "case" in capsys.readouterr().err


# -- docs/lifecycle.md ----------------------------------------------------------------------------


def test_the_diagram_in_the_docs_is_the_machine() -> None:
    text = LIFECYCLE_DOC.read_text(encoding="utf-8")
    (block,) = re.findall(r"```mermaid\n(.*?)```", text, re.DOTALL)
    assert block == MACHINE.to_mermaid() + "\n", "docs/lifecycle.md: paste the output of `swp diagram`"


def _documented_case_commands() -> list[tuple[list[str], int]]:
    text = LIFECYCLE_DOC.read_text(encoding="utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, re.DOTALL):
        for line in block.splitlines():
            if line.startswith("swp case"):
                exit_code = re.search(r"#\s*exit (\d)", line)
                commands.append((shlex.split(line, comments=True)[1:], int(exit_code.group(1)) if exit_code else 0))
    return commands


def test_the_documented_shell_session_runs_in_sequence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = _documented_case_commands()
    assert len(commands) >= 15
    monkeypatch.chdir(ROOT)  # the example files are named relative to the repository
    store = str(tmp_path / "docs.sqlite")
    for argv, expected in commands:
        code, data, err = run(capsys, *argv, "--store", store)
        assert code == expected, (argv, data, err)
    assert data[0]["case_id"] == "XM-2015-001" and data[0]["version"] == 15
    code, shown, _ = run(capsys, "case", "show", "XM-2015-001", "--store", store)
    assert shown["state"]["status"] == "closed"
    assert shown["state"]["evaluation_fee"]["fee"] == "14400.00"
    assert not (ROOT / "swp-cases.sqlite").exists()


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.json")), ids=lambda p: p.name)
def test_every_example_command_is_valid_json_for_its_command(path: Path) -> None:
    from socialwork_procurement.lifecycle._commands import command_json, parse_command

    data = json.loads(path.read_text(encoding="utf-8"))
    command = parse_command(data)
    assert parse_command(command_json(command)) == command
