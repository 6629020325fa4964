"""``POST /api/v1/regions/{region}/screen``: JSON Lines in and out, line for line what ``swp screen`` writes."""

from __future__ import annotations

import importlib.util
import json
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

_MISSING = [m for m in ("starlette", "uvicorn", "httpx") if importlib.util.find_spec(m) is None]
if _MISSING:
    _REASON = f"the server extra is not installed ({', '.join(_MISSING)}): pip install -e '.[test,server]'"
    if os.environ.get("CI"):
        pytest.fail(_REASON, pytrace=False)
    pytest.skip(_REASON, allow_module_level=True)

import anyio  # noqa: E402
import httpx  # noqa: E402

from socialwork_procurement.cli._main import main  # noqa: E402
from socialwork_procurement.screening._readers import MAX_LINE_BYTES  # noqa: E402
from socialwork_procurement.server._app import ServerConfig, create_app  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCREENING = ROOT / "docs" / "examples" / "screening"
CASE_FILE = ROOT / "docs" / "examples" / "xiamen-case.json"
ON = "2015-03-01"


@pytest.fixture(autouse=True)
def _packs(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("socialwork_procurement_xiamen", reason="the xiamen rule pack is not installed")
    monkeypatch.setenv("SWP_LANG", "zh")


def post(app: Any, url: str, content: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://swp.test") as client:
            return await client.post(url, content=content, headers=headers or {})

    return anyio.run(go)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    application = create_app(ServerConfig(store=tmp_path / "cases.sqlite"))
    yield application
    application.state.swp.close()


def swp_screen(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> list[str]:
    main(["screen", str(path), "--region", "xiamen", "--on", ON, *extra])
    out, _err = capsys.readouterr()
    return out.splitlines()


@pytest.mark.parametrize("name", ["registry.jsonl", "bad.jsonl"])
@pytest.mark.parametrize("full", [False, True])
def test_each_line_is_swp_screen_s_line(app: Any, capsys: pytest.CaptureFixture[str], name: str, full: bool) -> None:
    path = SCREENING / name
    query = f"on={ON}" + ("&full=true" if full else "")
    answer = post(app, f"/api/v1/regions/xiamen/screen?{query}", path.read_bytes(),
                  {"Content-Type": "application/x-ndjson"})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/x-ndjson")
    expected = swp_screen(capsys, path, *(["--full"] if full else []))
    assert answer.text.splitlines() == expected
    assert len(expected) == sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def test_a_body_in_many_small_chunks_gives_the_same_lines(app: Any, capsys: pytest.CaptureFixture[str]) -> None:
    raw = (SCREENING / "registry.jsonl").read_bytes() * 40  # lines cut anywhere, across chunk boundaries

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(raw), 37):
            yield raw[i : i + 37]

    answer = post(app, f"/api/v1/regions/xiamen/screen?on={ON}", chunks())
    lines = [json.loads(line) for line in answer.text.splitlines()]
    assert answer.status_code == 200 and len(lines) == 5 * 40
    assert [row["index"] for row in lines] == list(range(200))
    assert [row["line"] for row in lines] == list(range(1, 201))
    once = [json.loads(line) for line in swp_screen(capsys, SCREENING / "registry.jsonl")]
    assert [row["decision"] for row in lines] == [row["decision"] for row in once] * 40


@pytest.mark.parametrize("chunked", [False, True])
def test_a_line_too_long_is_one_bad_record_and_the_next_is_read(app: Any, chunked: bool) -> None:
    record = json.dumps({"name": "x" * (MAX_LINE_BYTES + 10), "legal_form": "social_group"}).encode()
    good = (SCREENING / "registry.jsonl").read_bytes().splitlines()[0]
    raw = record + b"\n" + good + b"\n"

    async def chunks() -> AsyncIterator[bytes]:  # as a socket delivers it: the long line is never held whole
        for i in range(0, len(raw), 65536):
            yield raw[i : i + 65536]

    answer = post(app, f"/api/v1/regions/xiamen/screen?on={ON}", chunks() if chunked else raw)
    first, second = (json.loads(line) for line in answer.text.splitlines())
    assert first["decision"] is None and f"longer than {MAX_LINE_BYTES} bytes" in first["problems"][0]["message"]
    assert second["decision"] is not None and second["line"] == 2


def test_the_batch_limit(tmp_path: Path) -> None:
    app = create_app(ServerConfig(store=tmp_path / "cases.sqlite", max_batch_bytes=2000))
    raw = (SCREENING / "registry.jsonl").read_bytes() * 10
    declared = post(app, f"/api/v1/regions/xiamen/screen?on={ON}", raw)
    assert declared.status_code == 413 and declared.json()["error"] == "payload_too_large"

    async def chunks() -> AsyncIterator[bytes]:
        for i in range(0, len(raw), 500):
            yield raw[i : i + 500]

    streamed = post(app, f"/api/v1/regions/xiamen/screen?on={ON}", chunks())
    lines = [json.loads(line) for line in streamed.text.splitlines()]
    assert streamed.status_code == 200, "the results had started when the body passed the limit"
    assert lines[-1]["error"] == "payload_too_large"
    assert all("decision" in row for row in lines[:-1]) and len(lines) - 1 < 50


def test_bad_parameters_and_types_are_422_before_any_record(app: Any) -> None:
    answer = post(app, "/api/v1/regions/xiamen/screen?on=yesterday&full=1", b"{}\n",
                  {"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 422
    assert sorted(p["path"] for p in answer.json()["problems"]) == ["header.Content-Type", "query.full", "query.on"]


def test_an_empty_batch_is_an_empty_answer(app: Any) -> None:
    answer = post(app, f"/api/v1/regions/xiamen/screen?on={ON}", b"")
    assert (answer.status_code, answer.text) == (200, "")
    blank = post(app, f"/api/v1/regions/xiamen/screen?on={ON}", b"\n\n   \n")
    assert (blank.status_code, blank.text) == (200, "")
