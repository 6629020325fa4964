"""``swp case verify``: the hash chain and the snapshot of one case or of the whole store, through the real CLI."""

from __future__ import annotations

import io
import json
import sqlite3
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from socialwork_procurement.cli._main import main

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples" / "lifecycle"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def store(tmp_path: Path) -> str:
    pytest.importorskip("socialwork_procurement_xiamen", reason="the Xiamen pack is installed by the README's test command")
    path = str(tmp_path / "cases.sqlite")
    code, _, err = run("case", "new", str(EXAMPLES / "01-open.json"), "--id", "XM-1", "--store", path)
    assert code == 0, err
    code, _, err = run("case", "do", "XM-1", str(EXAMPLES / "02-assess-needs.json"), "--store", path)
    assert code == 0, err
    return path


def tamper(path: str, sql: str) -> None:
    # What someone with write access to the file can do: drop the append-only trigger and edit a row.
    with sqlite3.connect(path) as db:
        db.execute("DROP TRIGGER swp_events_no_update")
        db.execute(sql)


def test_an_untouched_case_verifies(store: str) -> None:
    code, out, err = run("case", "verify", "XM-1", "--store", store)
    assert code == 0, err
    result = json.loads(out)
    assert result["ok"] is True and result["version"] == 2 and result["keyed"] is False
    code, out, _ = run("case", "verify", "--all", "--store", store)
    report = json.loads(out)
    assert code == 0 and report["ok"] is True and [c["case_id"] for c in report["cases"]] == ["XM-1"]


def test_an_edited_event_fails_verification_and_the_case_is_refused(store: str) -> None:
    tamper(store, "UPDATE swp_events SET payload = replace(payload, '张主任', '李主任') WHERE version = 1")
    code, out, _ = run("case", "verify", "XM-1", "--store", store)
    result = json.loads(out)
    assert code == 1 and result["ok"] is False and "XM-1" in result["problem"]
    code, out, _ = run("case", "verify", "--all", "--store", store)
    report = json.loads(out)
    assert code == 1 and report["ok"] is False and report["problems"][0]["case_id"] == "XM-1"
    # Reading or writing the case on a broken chain is refused as an environment error, never served.
    code, out, err = run("case", "show", "XM-1", "--store", store)
    assert code == 4 and out == "" and "Traceback" not in err
    code, out, err = run("case", "do", "XM-1", str(EXAMPLES / "03-approve-budget.json"), "--store", store)
    assert code == 4 and out == "" and "Traceback" not in err


def test_swapped_positions_are_detected(store: str) -> None:
    with sqlite3.connect(store) as db:
        db.execute("DROP TRIGGER swp_events_no_update")
        (p1,), (p2,) = db.execute("SELECT position FROM swp_events WHERE case_id = 'XM-1' ORDER BY version")
        db.execute("UPDATE swp_events SET position = -1 WHERE position = ?", (p1,))
        db.execute("UPDATE swp_events SET position = ? WHERE position = ?", (p1, p2))
        db.execute("UPDATE swp_events SET position = ? WHERE position = -1", (p2,))
    code, out, _ = run("case", "verify", "XM-1", "--store", store)
    assert code == 1 and json.loads(out)["ok"] is False


def test_verify_needs_a_case_or_all(store: str) -> None:
    code, _, err = run("case", "verify", "--store", store, "--lang", "en")
    assert code == 2 and "--all" in err
    code, _, err = run("case", "verify", "XM-1", "--all", "--store", store, "--lang", "en")
    assert code == 2
    code, _, err = run("case", "verify", "NO-SUCH", "--store", store, "--lang", "en")
    assert code == 2 and "NO-SUCH" in err
