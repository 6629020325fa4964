"""Every ``curl`` line of ``docs/serve.md`` runs, in order, against a live ``swp serve``, and answers as the page says.

The commands are taken from the page's ``sh`` blocks as they are written (with ``$SWP`` the server's
address, from the repository root so that ``@docs/examples/…`` resolves); curl is made to print each
answer's status after its body by a ``.curlrc`` of the test's own, so the page stays plain.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_MISSING = [m for m in ("starlette", "uvicorn", "httpx") if importlib.util.find_spec(m) is None]
if _MISSING:
    _REASON = f"the server extra is not installed ({', '.join(_MISSING)}): pip install -e '.[test,server]'"
    if os.environ.get("CI"):
        pytest.fail(_REASON, pytrace=False)
    pytest.skip(_REASON, allow_module_level=True)

from socialwork_procurement.server._process import LiveServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "serve.md"
FENCE = re.compile(r"```(\w+)\n(.*?)```", re.S)


def blocks(kind: str) -> list[str]:
    return [body for lang, body in FENCE.findall(PAGE.read_text(encoding="utf-8")) if lang == kind]


def curl_blocks() -> list[tuple[str, list[str]]]:
    """The ``sh`` blocks that call the API, each with its ``curl …`` commands (continued lines joined)."""
    found: list[tuple[str, list[str]]] = []
    for body in blocks("sh"):
        commands = [
            re.sub(r"\s+", " ", line.strip())
            for line in body.replace("\\\n", " ").splitlines()
            if line.strip().startswith("curl ")
        ]
        if commands:
            found.append((body, commands))
    return found


def curl_commands() -> list[str]:
    return [command for _, commands in curl_blocks() for command in commands]


def expected_status(command: str) -> int:
    """What the page says each call answers."""
    if "05-award-ineligible" in command or "expect_version=3" in command:
        return 409  # refused, nothing stored
    if '"legal_form": "charity"' in command:
        return 422  # the bad case file
    if "-X PUT" in command:
        return 201
    return 200


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    pytest.importorskip("socialwork_procurement_xiamen", reason="the xiamen rule pack is not installed")
    with LiveServer(store=tmp_path_factory.mktemp("serve-docs") / "cases.sqlite", cwd=ROOT) as live:
        yield live


@pytest.fixture(scope="module")
def curl_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("curl") is None:
        pytest.fail("curl is not installed: the page's examples are curl commands")
    home = tmp_path_factory.mktemp("curl-home")
    (home / ".curlrc").write_text('write-out = "\\n@@status %{http_code}@@\\n"\n', encoding="ascii")
    return home


MARK = re.compile(r"\n@@status (\d{3})@@\n")


def run(block: str, server: LiveServer, curl_home: Path) -> list[tuple[int, str]]:
    """Run ``block`` as a script; each curl call's status and body, in order."""
    env = {**os.environ, "SWP": server.url, "CURL_HOME": str(curl_home), "HOME": str(curl_home)}
    done = subprocess.run(["bash", "-e", "-c", block], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, f"{block}\n{done.stderr}"
    parts = MARK.split(done.stdout)
    assert parts[-1] == "", parts[-1][:200]
    return [(int(status), body) for body, status in zip(parts[0:-1:2], parts[1:-1:2], strict=True)]


def test_the_page_has_the_examples_it_promises() -> None:
    commands = curl_commands()
    assert len(commands) >= 18
    assert all("$SWP/api/v1/" in c for c in commands)
    assert {expected_status(c) for c in commands} == {200, 201, 409, 422}


def test_every_curl_example_answers_as_the_page_says(server: LiveServer, curl_home: Path) -> None:
    answers: list[tuple[str, int, Any]] = []
    # One shell session, block after block, as a reader pastes them (a variable set above is still set).
    results = run("\n".join(block for block, _ in curl_blocks()), server, curl_home)
    commands = curl_commands()
    assert len(results) == len(commands)
    for command, (status, body) in zip(commands, results, strict=True):
        assert status == expected_status(command), f"{command}\n{body[:500]}"
        data: Any = [json.loads(line) for line in body.splitlines()] if "/screen" in command else json.loads(body)
        answers.append((command, status, data))

    def answer(part: str) -> Any:
        return next(data for command, _, data in answers if part in command)

    assert {r["code"] for r in answer("/api/v1/regions\"")} >= {"xiamen", "henan", "ningxia", "national"}
    assert all(r["rule_id"].startswith("xiamen.") for r in answer("/xiamen/rules?on="))
    assert answer("--data-binary @docs/examples/xiamen-case.json")["decision"] == "eligible"
    bad = answer('"legal_form": "charity"')
    assert {p["path"] for p in bad["problems"]} == {"$.contractor.legal_form", "$.contractor.independent_legal_person"}
    assert answer("xiamen/fee?")["fee"] == "15000.00"
    assert answer("henan/fee?")["fee"] is None and answer("henan/fee?")["reason"]
    assert len(answer("/screen")) == 5
    refused = answer("05-award-ineligible")
    assert refused["refused"] == "refused" and refused["findings"]
    assert answer("expect_version=3")["version"] == 4
    assert answer("expect_version=4")["status"] == "awarded"
    shown = next(data for command, _, data in answers if command == 'curl -sS "$SWP/api/v1/cases/XM-2015-001"')
    assert shown["state"]["status"] == "awarded"
    assert [e["version"] for e in answer("/history")] == [1, 2, 3, 4, 5]
    assert answer("/verify")["ok"] is True
    assert answer("/ocds?")["releases"]
    assert answer("/disclosure")["case_id"] == "XM-2015-001"


def test_the_javascript_example_runs(server: LiveServer, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the JavaScript example is run where it is")
    (snippet,) = blocks("js")
    script = tmp_path / "example.mjs"
    script.write_text(
        "import fs from 'node:fs';\n"
        f"const SWP = {json.dumps(server.url)};\n"
        f"const caseFile = JSON.parse(fs.readFileSync({json.dumps(str(ROOT / 'docs/examples/xiamen-case.json'))}, 'utf8'));\n"
        + snippet,
        encoding="utf-8",
    )
    done = subprocess.run([node, str(script)], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "eligible"
