"""``swp case`` and ``swp diagram``: JSON in and out, the exit codes of ``swp check``, the docs, and the
refusals and text output in the language asked for (``--lang``)."""

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


@pytest.fixture(autouse=True)
def _no_language_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # The default language is Chinese unless SWP_LANG or the locale says English: the tests that rely
    # on the default must not depend on the locale of the machine that runs them.
    for variable in ("SWP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)


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
    assert "final acceptance is not allowed in state draft" in data["message"]
    assert err.startswith("swp: invalid transition:")

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
    code, _, err = run(capsys, "case", "new", example("02"), "--store", opened, "--lang", "en")
    assert code == 2 and 'a case is opened by an "open" command, not "assess_needs"' in err
    code, _, err = run(capsys, "case", "do", "nope", example("02"), "--store", opened, "--lang", "en")
    assert code == 2 and "no case 'nope'" in err
    code, _, err = run(capsys, "case", "show", "XM-1", "--store", str(tmp_path / "missing.sqlite"), "--lang", "en")
    assert code == 2 and "no store at" in err and not (tmp_path / "missing.sqlite").exists()


def test_new_refuses_an_ineligible_purchaser_and_a_taken_id(
    opened: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = json.loads(Path(example("01")).read_text(encoding="utf-8"))
    command["purchaser"] = {"name": "某公司", "kind": "enterprise"}
    code, data, _ = run(capsys, "case", "new", write(tmp_path, command), "--id", "X", "--store", opened)
    assert code == 1 and data["findings"][0]["rule_id"] == "xiamen.purchaser.eligible_bodies"
    code, data, _ = run(capsys, "case", "new", example("01"), "--id", "XM-1", "--store", opened, "--lang", "en")
    assert code == 1 and data["refused"] == "invalid_transition" and "already exists" in data["message"]


def test_commands_are_read_from_standard_input(
    opened: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(Path(example("02")).read_text(encoding="utf-8")))
    code, data, _ = run(capsys, "case", "do", "XM-1", "-", "--store", opened)
    assert code == 0 and data["status"] == "needs_assessed"


def test_expect_version_refuses_a_stale_decision(opened: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, data, _ = run(
        capsys, "case", "do", "XM-1", example("02"), "--store", opened, "--expect-version", "3", "--lang", "en"
    )
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
    code, out, _ = run(capsys, "diagram", "--ids")
    assert code == 0 and out == MACHINE.to_mermaid() + "\n"
    code, out, _ = run(capsys, "diagram", "--format", "dot", "--ids")
    assert code == 0 and out == MACHINE.to_dot() + "\n"
    code, out, _ = run(capsys, "diagram")
    assert code == 0 and "已立项" in out  # state names follow --lang (zh by default)
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


# -- the language of refusals and text output -------------------------------------------------------

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")

# What a Chinese refusal may contain in Latin letters: rule ids, JSON paths, quoted case ids, and the
# command fields to write (accept_undetermined): code, not English.
_CODE = re.compile(
    r"\$[^\s:()]*|'[^']*'|`[^`]*`|\b[a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+\b|\baccept_undetermined\b|\bevaluation_fee_base\b"
)


def english_words(message: str) -> list[str]:
    return re.findall(r"[A-Za-z]{2,}", _CODE.sub(" ", message))


def chinese_outside(message: str, quoted: list[str]) -> list[str]:
    """The Chinese left in an English message once the names from the case files (parties, titles,
    evaluators) and the sources' quotes and document titles are taken out."""
    for name in sorted(quoted, key=len, reverse=True):
        message = message.replace(name, " ")
    message = re.sub(r"«[^»]*»|「[^」]*」|\([^()]*(?:号|令)[^()]*\)", " ", message)
    return CJK.findall(message)


def _names_in(*paths: str) -> list[str]:
    names: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str) and CJK.search(value):
            names.append(value)

    for path in paths:
        walk(json.loads(Path(path).read_text(encoding="utf-8")))
    return names


def _refusals(tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str) -> list[tuple[int, dict[str, Any], str]]:
    """One refusal of each kind, by ``swp case do`` and ``swp case new`` in ``lang``."""
    store = str(tmp_path / f"{lang}.sqlite")
    out: list[tuple[int, dict[str, Any], str]] = []

    def attempt(*argv: str) -> None:
        code, data, err = run(capsys, *argv, "--store", store, "--lang", lang)
        assert code in (1, 3) and isinstance(data, dict) and "refused" in data, (argv, data, err)
        out.append((code, data, err))

    def step(name: str) -> None:
        code, data, err = run(capsys, "case", "do", "XM-L", example(name), "--store", store, "--lang", lang)
        assert code == 0, (name, data, err)

    assert run(capsys, "case", "new", example("01"), "--id", "XM-L", "--store", store)[0] == 0
    attempt("case", "new", example("01"), "--id", "XM-L")  # the id is taken
    attempt("case", "do", "XM-L", example("13"))  # not allowed in this state
    wrong_role = {"command": "assess_needs", "actor": "李社工", "role": "contractor", "on": "2015-01-26", "summary": "x"}
    attempt("case", "do", "XM-L", write(tmp_path, wrong_role))
    too_early = {"command": "assess_needs", "actor": "张主任", "role": "purchaser", "on": "2015-01-19", "summary": "x"}
    attempt("case", "do", "XM-L", write(tmp_path, too_early))
    attempt("case", "do", "XM-L", example("02"), "--expect-version", "5")
    step("02")
    no_targets = {"command": "approve_budget", "actor": "张主任", "role": "purchaser", "on": "2015-01-30", "amount": "1"}
    attempt("case", "do", "XM-L", write(tmp_path, no_targets))  # undetermined, with findings
    for name in ("03", "04"):
        step(name)
    attempt("case", "do", "XM-L", example("05"))  # an ineligible contractor: refused, with findings
    for name in ("06", "07", "08"):
        step(name)
    itself = json.loads(Path(example("09")).read_text(encoding="utf-8"))
    itself.update(evaluator="厦门市某社会工作服务中心", actor="厦门市某社会工作服务中心")
    attempt("case", "do", "XM-L", write(tmp_path, itself))  # the contractor as its own third party
    return out


def test_refusals_under_lang_zh_are_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refusals = _refusals(tmp_path, capsys, "zh")
    assert len(refusals) == 8 and {d["refused"] for _, d, _ in refusals} == {"refused", "undetermined", "invalid_transition"}
    for _, data, err in refusals:
        message = data["message"]
        assert CJK.search(message) and not english_words(message), message
        (line,) = err.splitlines()
        assert line == f"swp: {({'refused': '不予办理', 'undetermined': '无法确定', 'invalid_transition': '步骤不允许'})[data['refused']]}: {message}"
        for finding in data["findings"]:
            assert CJK.search(finding["message"]), finding
    messages = [d["message"] for _, d, _ in refusals]
    # States, actions and roles by their Chinese names, never their identifiers.
    assert "在「已立项」状态下不允许「结项验收」(允许:需求摸底、取消、信息公开)" in messages
    assert any("「承接主体」不能执行「需求摸底」(可执行的角色:民政部门、购买主体)" in m for m in messages)
    assert any(m.startswith("确定某咨询有限公司为承接主体:依厦门市在 2015-02-25 施行的规则不予办理:xiamen.contractor.org_type") for m in messages)
    assert any("就是承接主体本身,不是第三方" in m for m in messages)


def test_refusals_under_lang_en_are_english(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    refusals = _refusals(tmp_path, capsys, "en")
    names = [*_names_in(*(example(n) for n in ("01", "05", "06", "08", "09"))), "厦门市某社会工作服务中心"]
    for _, data, err in refusals:
        message = data["message"]
        assert not chinese_outside(message, names), message
        assert err.splitlines()[0].startswith(f"swp: {data['refused'].replace('_', ' ')}: ")
    messages = [d["message"] for _, d, _ in refusals]
    assert "final acceptance is not allowed in state draft (allowed: assess the needs, cancel, disclosure)" in messages
    assert any("assess the needs is not for the contractor role (allowed: civil-affairs department, purchaser)" in m for m in messages)
    assert any(m.startswith("the award to 某咨询有限公司: refused by the rules of Xiamen on 2015-02-25: ") for m in messages)


def test_show_and_history_as_text_in_both_languages(opened: str, capsys: pytest.CaptureFixture[str]) -> None:
    for name in ("02", "03", "04", "06", "07"):
        assert run(capsys, "case", "do", "XM-1", example(name), "--store", opened)[0] == 0
    code, zh, _ = run(capsys, "case", "show", "XM-1", "--store", opened, "--format", "text")
    assert code == 0 and isinstance(zh, str)
    assert zh.splitlines()[:3] == [
        "案件 XM-1:思明区某街道社区综合服务项目(厦门市)",
        "版本 7,状态:已签订合同,上一步骤日期 2015-02-27",
        "购买主体:厦门市思明区某街道办事处",
    ]
    assert "采购方式:公开招标" in zh and "合同金额:480000.00 元" in zh and "已预留评估费用:14400.00 元(xiamen.evaluation.fee_3pct)" in zh
    assert "可做的下一步:开始服务、解除合同、信息公开" in zh
    code, en, _ = run(capsys, "case", "show", "XM-1", "--store", opened, "--format", "text", "--lang", "en")
    assert code == 0 and en.splitlines()[:2] == [
        "case XM-1: 思明区某街道社区综合服务项目 (Xiamen)",
        "version 7, state: contracted, last step on 2015-02-27",
    ]
    assert "next steps allowed: start the service, terminate, disclosure" in en and "open_tender" not in en

    code, zh_history, _ = run(capsys, "case", "history", "XM-1", "--store", opened, "--format", "text")
    assert code == 0 and isinstance(zh_history, str)
    heads = [line for line in zh_history.splitlines() if line.startswith("#")]
    assert heads == [
        "#1 2015-01-20 立项:张主任(购买主体)",
        "#2 2015-01-26 需求摸底:张主任(购买主体)",
        "#3 2015-01-30 编制预算:张主任(购买主体)",
        "#4 2015-02-02 组织采购:张主任(购买主体)",
        "#5 2015-02-25 确定承接主体:张主任(购买主体)",
        "#6 2015-02-27 签订合同:张主任(购买主体)",
        "#7 2015-02-27 预留评估费用:张主任(购买主体)",
    ]
    assert "    依厦门市在 2015-01-20 施行的规则核查:符合" in zh_history.splitlines()
    code, en_history, _ = run(capsys, "case", "history", "XM-1", "--store", opened, "--format", "text", "--lang", "en")
    assert "#4 2015-02-02 tender started: 张主任 (purchaser)" in en_history.splitlines()
    assert "    method: open tender" in en_history.splitlines()
    assert not english_words(zh_history.replace("xiamen.evaluation.fee_3pct", ""))
    # JSON stays the default, for scripts
    code, data, _ = run(capsys, "case", "history", "XM-1", "--store", opened)
    assert code == 0 and [e["version"] for e in data] == list(range(1, 8))


def test_every_event_type_has_a_name_in_the_history_text() -> None:
    from socialwork_procurement.cli._case_commands import _EVENT_NAMES
    from socialwork_procurement.lifecycle._events import EVENT_TYPES

    assert set(_EVENT_NAMES) == set(EVENT_TYPES.values())
