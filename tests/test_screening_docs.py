"""docs/screen-a-registry.md is tested: its commands print what it shows, its tables are the code's, its 100,000-record
walk-through runs (with fewer records), and its Python examples pass."""

from __future__ import annotations

import doctest
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from socialwork_procurement.screening import CHINESE_HEADERS, CHINESE_VALUES

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "screen-a-registry.md"
BLOCK = re.compile(r'```(\w+)(?: title="([^"]+)")?\n(.*?)```', re.DOTALL)


def _blocks() -> list[tuple[str, str | None, str]]:
    return [(m.group(1), m.group(2), m.group(3)) for m in BLOCK.finditer(PAGE.read_text(encoding="utf-8"))]


def _shown_runs() -> list[tuple[str, dict[str, str]]]:
    """Each one-line ``swp`` command of the page with the outputs shown under it (by title)."""
    runs: list[tuple[str, dict[str, str]]] = []
    for lang, title, body in _blocks():
        if lang in ("sh", "bash") and title is None:
            lines = body.strip().splitlines()
            runs.append((lines[0], {}) if len(lines) == 1 and lines[0].startswith("swp ") else ("", {}))
        elif title is not None and runs and runs[-1][0]:
            runs[-1][1][title] = body
    return [(command, shown) for command, shown in runs if command and shown]


def _swp(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "socialwork_procurement", *argv], cwd=cwd, capture_output=True, text=True,
        check=False, env=env,
    )


RUNS = _shown_runs()


def test_the_page_shows_the_output_of_its_commands() -> None:
    assert len(RUNS) >= 3  # the JSON Lines, CSV and bad-record examples


@pytest.mark.parametrize(("command", "shown"), RUNS, ids=[c for c, _ in RUNS])
def test_documented_command_prints_what_the_page_shows(command: str, shown: dict[str, str]) -> None:
    result = _swp(shlex.split(command, comments=True)[1:], ROOT)
    assert "Traceback" not in result.stderr
    if "standard output" in shown:
        assert result.stdout == shown["standard output"]
    if "standard error" in shown:
        assert result.stderr == shown["standard error"]
    promised = re.search(r"#\s*exit\s+(\d+)\s*$", command)  # the page's own mark of a non-zero exit
    assert result.returncode == (int(promised.group(1)) if promised else 0), result.stderr


def test_the_bad_record_example_is_promised_to_exit_2() -> None:
    assert any("bad.jsonl" in command and command.endswith("# exit 2") for command, _ in RUNS)


def test_where_example_runs_and_names_every_region() -> None:
    (command,) = [b.strip() for lang, _, b in _blocks() if lang == "sh" and b.strip().startswith("swp where")]
    result = _swp(shlex.split(command)[1:], ROOT)
    assert result.returncode == 0, result.stderr
    rows = _swp([*shlex.split(command)[1:], "--format", "json"], ROOT)
    regions = [r["region"] for r in json.loads(rows.stdout)]
    assert regions and all(any(line.startswith(code) for line in result.stdout.splitlines()) for code in regions)


def _table(heading: str) -> list[list[str]]:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split(f"### {heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if not line.startswith("|"):
            if rows:
                break
            continue
        cells = [c.strip().strip("`") for c in line.strip("|").split("|")]
        if set(cells[0]) <= {"-"}:
            continue
        rows.append(cells)
    return rows


def test_the_chinese_header_table_is_the_readers_table() -> None:
    rows = _table("Chinese headers")
    assert rows[0] == ["header", "column"]
    assert dict(rows[1:]) == dict(CHINESE_HEADERS)
    assert len(rows) - 1 == len(CHINESE_HEADERS)


def test_the_chinese_value_table_is_the_readers_table() -> None:
    rows = _table("Chinese values")
    assert rows[0] == ["code list", "Chinese value", "code"]
    documented = {(kind, zh, code) for kind, zh, code in rows[1:]}
    assert documented == {(k.__name__, zh, code) for k, m in CHINESE_VALUES.items() for zh, code in m.items()}


def test_a_generated_registry_screens_as_the_page_says(tmp_path: Path) -> None:
    """The 100,000-record walk-through, with 2,000 records: every command as written but the count."""
    (block,) = [b for lang, _, b in _blocks() if lang == "text" and "--records 100000" in b]
    for line in block.strip().splitlines():
        argv = shlex.split(line.replace("--records 100000", "--records 2000"))
        if argv[0] == "python":
            run = subprocess.run(
                [sys.executable, str(ROOT / argv[1]), *argv[2:]], cwd=tmp_path, capture_output=True, text=True,
                check=False,
            )
        else:
            run = _swp(argv[1:], tmp_path)
            assert "swp screen: xiamen 2015-03-01, 2000 条记录" in run.stderr
            assert "有误的记录       0" in run.stderr
        assert run.returncode == 0, run.stderr
    jsonl = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    table = (tmp_path / "results.csv").read_text(encoding="utf-8").splitlines()
    assert len(jsonl) == 2000 and len(table) == 2001
    # The same generated registry, as JSON Lines or as a CSV with Chinese headers, gets the same decisions.
    decisions = [line.split(",")[5] for line in table[1:]]
    assert decisions == [r["decision"] for r in jsonl]
    assert set(decisions) == {"eligible", "ineligible", "undetermined"}


def test_the_python_examples_pass() -> None:
    result = doctest.testfile(
        str(PAGE), module_relative=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False, verbose=False,
    )
    assert result.attempted > 0
    assert result.failed == 0
