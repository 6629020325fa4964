"""Store faults through the real command line (issue 9): a typed store error, exit 4, one line, nothing created.

A full disk and a read-only file system need a private tmpfs; they are tested at the store in
``tests/test_store_integrity.py``, with the error type the command line maps to exit 4.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable
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


def not_a_database(tmp: Path) -> str:
    path = tmp / "notes.sqlite"
    path.write_text("这不是数据库,只是一份笔记。\n" * 50, encoding="utf-8")
    return str(path)


def truncated(tmp: Path) -> str:
    path = tmp / "cases.sqlite"
    code, _, err = run("case", "new", str(EXAMPLES / "01-open.json"), "--id", "XM-1", "--store", str(path))
    assert code == 0, err
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    for extra in tmp.glob("cases.sqlite-*"):  # the WAL and its index go with a truncated copy
        extra.unlink()
    return str(path)


def a_directory(tmp: Path) -> str:
    path = tmp / "a-directory.sqlite"
    path.mkdir()
    return str(path)


def missing_parent(tmp: Path) -> str:
    return str(tmp / "no" / "such" / "dir" / "cases.sqlite")


FAULTS: dict[str, Callable[[Path], str]] = {
    "not a database": not_a_database,
    "truncated": truncated,
    "a directory": a_directory,
    "/dev/null": lambda _tmp: "/dev/null",
    "empty path": lambda _tmp: "",
    "missing parent directory": missing_parent,
}


@pytest.mark.parametrize("fault", list(FAULTS))
def test_a_store_fault_is_exit_4_with_one_line_and_creates_nothing(tmp_path: Path, fault: str) -> None:
    pytest.importorskip("socialwork_procurement_xiamen", reason="the Xiamen pack is installed by the README's test command")
    store = FAULTS[fault](tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    dev_before = set(os.listdir("/dev"))
    code, out, err = run("case", "new", str(EXAMPLES / "01-open.json"), "--id", "XM-2", "--store", store)
    assert code in (2, 4), (code, err)  # 2 only where the path itself is a usage error (an empty --store)
    assert out == "" and "Traceback" not in err and err.count("\n") == 1, err
    if fault != "empty path":
        assert code == 4, err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before  # nothing created beside or below
    assert set(os.listdir("/dev")) <= dev_before  # no /dev/null-journal
    code, out, err = run("case", "show", "XM-1", "--store", store)
    assert code in (2, 4) and out == "" and "Traceback" not in err

