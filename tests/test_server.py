"""The HTTP API in process: the CLI's JSON, decisions and messages, and every error path as its status.

Each answer is compared with what ``swp`` prints for the same question (``main([...])`` beside it),
so the API cannot drift from the command line. Requests go through httpx's ASGI transport, without
a socket; the live-server tests (a real uvicorn) are in ``test_server_live.py``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import date
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

import socialwork_procurement as swp  # noqa: E402
from socialwork_procurement.cli._main import main  # noqa: E402
from socialwork_procurement.server._app import ServerConfig, create_app  # noqa: E402
from socialwork_procurement.server._http import negotiate  # noqa: E402
from socialwork_procurement.store._protocol import EventStore  # noqa: E402
from socialwork_procurement.store._sqlite import SQLiteEventStore  # noqa: E402

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
LIFECYCLE = EXAMPLES / "lifecycle"
CASE_FILE = EXAMPLES / "xiamen-case.json"
ON = "2015-03-01"

pytestmark = pytest.mark.usefixtures("xiamen")


@pytest.fixture
def xiamen(monkeypatch: pytest.MonkeyPatch) -> None:
    kit.require_region("xiamen")
    # swp's language without --lang follows SWP_LANG or the locale; the API's default is Chinese.
    monkeypatch.setenv("SWP_LANG", "zh")


class Api:
    """A synchronous client of one app, through httpx's ASGI transport (no socket, no lifespan)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        async def go() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://swp.test") as client:
                return await client.request(method, url, **kwargs)

        return anyio.run(go)

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("POST", url, **kwargs)

    def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", url, **kwargs)


@pytest.fixture
def api(tmp_path: Path) -> Iterator[Api]:
    app = create_app(ServerConfig(store=tmp_path / "cases.sqlite"))
    yield Api(app)
    app.state.swp.close()


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    try:
        data = json.loads(out)
    except ValueError:
        data = out
    return code, data, err


def example(prefix: str) -> Path:
    (path,) = LIFECYCLE.glob(f"{prefix}*.json")
    return path


def no_error(body: dict[str, Any]) -> dict[str, Any]:
    """A refusal as ``swp case`` prints it: the API's body without the ``error`` code it adds."""
    return {k: v for k, v in body.items() if k != "error"}


# -- the rules: the same JSON as swp --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_regions_are_swp_regions(api: Api, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    answer = api.get("/api/v1/regions", headers={"Accept-Language": lang})
    assert answer.status_code == 200
    assert answer.headers["content-language"] == lang
    assert answer.json() == cli(capsys, "regions", "--format", "json", "--lang", lang)[1]


def test_rules_are_swp_rules_with_their_subject(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    answer = api.get(f"/api/v1/regions/xiamen/rules?on={ON}")
    assert answer.status_code == 200
    rules = answer.json()
    expected = cli(capsys, "rules", "--region", "xiamen", "--on", ON, "--format", "json")[1]
    assert [{k: v for k, v in r.items() if k != "subject"} for r in rules] == expected
    registry = swp.load_registry()
    assert [r["subject"] for r in rules] == [registry.rule(r["rule_id"]).subject.value for r in rules]
    assert len(rules) > 10


def test_the_diff_is_swp_rules_diff(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    answer = api.get("/api/v1/regions/xiamen/rules?diff=2015-01-01,2016-07-01", headers={"Accept-Language": "en"})
    assert answer.status_code == 200
    args = ("rules", "--region", "xiamen", "--diff", "2015-01-01", "2016-07-01", "--format", "json", "--lang", "en")
    assert answer.json() == cli(capsys, *args)[1]
    assert answer.json()["rules"], "the pilot's rules begin between the two dates"


def test_silences_of_a_day_include_the_layers_under_the_region(api: Api) -> None:
    registry = swp.load_registry()
    on = date(2015, 3, 1)
    answer = api.get(f"/api/v1/regions/henan/silences?on={on}")
    assert answer.status_code == 200
    topics = [(s["region"], s["topic"]) for s in answer.json()]
    assert topics == [(s.region, s.topic) for s in registry.silences_in_force("henan", on)]
    assert ("henan", "evaluation_fee") in topics
    own = api.get("/api/v1/regions/henan/silences").json()
    assert {s["region"] for s in own} == {"henan"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_check_is_swp_check(api: Api, capsys: pytest.CaptureFixture[str], lang: str) -> None:
    answer = api.post(
        f"/api/v1/regions/xiamen/check?on={ON}",
        content=CASE_FILE.read_bytes(),
        headers={"Content-Type": "application/json", "Accept-Language": lang},
    )
    assert answer.status_code == 200
    code, expected, _ = cli(capsys, "check", str(CASE_FILE), "--region", "xiamen", "--on", ON, "--format", "json",
                            "--lang", lang)
    assert (code, answer.json()) == (0, expected)
    assert expected["decision"] == "eligible"


def test_an_ineligible_case_is_still_a_200_with_its_decision(api: Api, capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    case = json.loads(CASE_FILE.read_text(encoding="utf-8"))
    case["contractor"]["independent_legal_person"] = False
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    answer = api.post(f"/api/v1/regions/xiamen/check?on={ON}", json=case)
    code, expected, _ = cli(capsys, "check", str(path), "--region", "xiamen", "--on", ON, "--format", "json")
    assert (answer.status_code, code) == (200, 1)
    assert answer.json() == expected and expected["decision"] == "ineligible"


def test_bad_case_input_is_422_with_every_json_path(api: Api, capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    bad = {"contractor": {"legal_form": 3, "independent_legal_person": "false"}, "extra": 1}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    answer = api.post(f"/api/v1/regions/xiamen/check?on={ON}", json=bad)
    assert answer.status_code == 422
    body = answer.json()
    assert body["error"] == "invalid_input"
    code, _, err = cli(capsys, "check", str(path), "--region", "xiamen", "--on", ON)
    assert code == 2
    said = [line.removeprefix("swp: error: ") for line in err.splitlines()]
    assert [f"{p['path']}: {p['message']}" for p in body["problems"]] == said
    assert {p["path"] for p in body["problems"]} == {
        "$.contractor.name", "$.contractor.legal_form", "$.contractor.independent_legal_person", "$"
    }


def test_a_body_that_is_not_json_and_a_duplicate_key(api: Api) -> None:
    answer = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=b"{not json")
    assert answer.status_code == 422 and answer.json()["problems"][0]["path"] == "$"
    twice = b'{"contractor": {"name": "a", "name": "b", "legal_form": "social_group"}}'
    answer = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=twice)
    assert answer.status_code == 422
    assert [p["path"] for p in answer.json()["problems"]] == ["$.contractor.name"]


def test_a_gb18030_body_is_read_when_its_charset_is_declared(api: Api) -> None:
    text = CASE_FILE.read_text(encoding="utf-8")
    undeclared = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=text.encode("gb18030"))
    assert undeclared.status_code == 422 and "byte" in undeclared.json()["problems"][0]["message"]
    declared = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=text.encode("gb18030"),
                        headers={"Content-Type": "application/json; charset=gb18030"})
    assert declared.status_code == 200 and declared.json()["decision"] == "eligible"


def test_query_problems_are_reported_all_at_once(api: Api) -> None:
    answer = api.get("/api/v1/regions/xiamen/rules?on=2015-3-1&national=maybe&onn=2015-03-01&lang=fr")
    assert answer.status_code == 422
    paths = sorted(p["path"] for p in answer.json()["problems"])
    assert paths == ["query.lang", "query.national", "query.on", "query.onn"]
    both = api.get(f"/api/v1/regions/xiamen/rules?on={ON}&diff=2015-01-01,2016-01-01")
    assert [p["path"] for p in both.json()["problems"]] == ["query.diff"]
    twice = api.get(f"/api/v1/regions/xiamen/rules?on={ON}&on={ON}")
    assert twice.status_code == 422 and twice.json()["problems"][0]["path"] == "query.on"


def test_a_date_problem_has_the_words_of_swp(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    for lang in ("zh", "en"):
        answer = api.get("/api/v1/regions/xiamen/rules?on=2015-02-30", headers={"Accept-Language": lang})
        (problem,) = answer.json()["problems"]
        code, _, err = cli(capsys, "rules", "--region", "xiamen", "--on", "2015-02-30", "--lang", lang)
        assert code == 2 and problem["message"] in err


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/api/v1/regions/nowhere/rules"),
        ("GET", "/api/v1/regions/nowhere/silences"),
        ("GET", "/api/v1/regions/nowhere/fee?amount=100"),
        ("POST", "/api/v1/regions/nowhere/check"),
        ("POST", "/api/v1/regions/nowhere/screen"),
    ],
)
def test_an_unknown_region_is_404_in_the_words_of_swp(
    api: Api, capsys: pytest.CaptureFixture[str], method: str, url: str
) -> None:
    answer = api.request(method, url, content=b"{}" if method == "POST" else None)
    assert answer.status_code == 404
    body = answer.json()
    assert (body["error"], body["region"]) == ("unknown_region", "nowhere") and "xiamen" in body["known"]
    code, _, err = cli(capsys, "rules", "--region", "nowhere")
    assert code == 2 and err.strip() == f"swp: error: {body['message']}"


@pytest.mark.parametrize(("region", "amount"), [("xiamen", "500000"), ("henan", "500000"), ("xiamen", "123.45")])
def test_the_fee_is_swp_fee(api: Api, capsys: pytest.CaptureFixture[str], region: str, amount: str) -> None:
    answer = api.get(f"/api/v1/regions/{region}/fee?amount={amount}&on={ON}")
    assert answer.status_code == 200
    expected = cli(capsys, "fee", "--region", region, "--amount", amount, "--on", ON, "--format", "json")[1]
    assert answer.json() == expected


def test_a_bad_amount_is_422_at_query_amount(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    answer = api.get("/api/v1/regions/xiamen/fee?amount=1e5")
    assert answer.status_code == 422
    (problem,) = answer.json()["problems"]
    _, _, err = cli(capsys, "fee", "--region", "xiamen", "--amount", "1e5")
    assert problem["path"] == "query.amount" and err.strip() == f"swp: error: --amount: {problem['message']}"
    missing = api.get("/api/v1/regions/xiamen/fee")
    assert [p["path"] for p in missing.json()["problems"]] == ["query.amount"]


def test_two_fee_rules_that_disagree_are_a_409(tmp_path: Path, install_packs: Any,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    install_packs("swp_test_pack", "swp_fee_rival_pack")
    app = create_app(ServerConfig(store=tmp_path / "cases.sqlite"))
    answer = Api(app).get("/api/v1/regions/testland/fee?amount=1000&on=2021-06-01")
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"] == "rule_conflict"
    assert set(body["rule_ids"]) == {"testland.evaluation.fee_2pct", "testland.evaluation.fee_5pct"}
    code, _, err = cli(capsys, "fee", "--region", "testland", "--amount", "1000", "--on", "2021-06-01")
    assert code == 3 and err.strip() == f"swp: error: {body['message']}"


def test_the_schema_and_the_diagram_are_swp_s(api: Api, capsys: pytest.CaptureFixture[str]) -> None:
    assert api.get("/api/v1/schema/case").json() == cli(capsys, "schema")[1]
    for fmt in ("mermaid", "dot"):
        for lang in ("zh", "en"):
            answer = api.get(f"/api/v1/lifecycle/diagram?format={fmt}&lang={lang}")
            expected = cli(capsys, "diagram", "--format", fmt, "--lang", lang)[1]
            assert answer.status_code == 200 and answer.text == expected, (fmt, lang)
        ids = api.get(f"/api/v1/lifecycle/diagram?format={fmt}&ids=true")
        assert ids.text == cli(capsys, "diagram", "--format", fmt, "--ids")[1]
    machine = api.get("/api/v1/lifecycle").json()
    assert machine["states"] == [s.value for s in swp.State] and machine["initial"] == "draft"
    assert len(machine["transitions"]) == len(swp.MACHINE.transitions)
    assert api.get("/api/v1/lifecycle/diagram?format=svg").status_code == 422


# -- language, bodies and addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "zh"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh"),
        ("fr-FR, en;q=0.5, zh;q=0.4", "en"),
        ("fr", "zh"),
        ("*", "zh"),
        ("en;q=0, zh;q=0.1", "zh"),
        ("zh-Hant-TW", "zh"),
        ("en;q=0.5, zh;q=0.5", "en"),
        ("garbage;;q=x, en", "en"),
    ],
)
def test_accept_language_picks_zh_or_en(header: str | None, lang: str) -> None:
    assert negotiate(header) == lang


def test_lang_query_overrides_the_header(api: Api) -> None:
    answer = api.get("/api/v1/regions?lang=en", headers={"Accept-Language": "zh"})
    assert answer.headers["content-language"] == "en"
    assert {r["code"]: r["name"] for r in answer.json()}["xiamen"] == swp.load_registry().region("xiamen").name_en


def test_a_body_over_the_limit_is_413_before_it_is_read(tmp_path: Path) -> None:
    app = create_app(ServerConfig(store=tmp_path / "cases.sqlite", max_body_bytes=1000))
    api = Api(app)
    big = CASE_FILE.read_bytes() + b" " * 1000
    declared = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=big)
    assert declared.status_code == 413 and declared.json()["error"] == "payload_too_large"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: counted as it arrives
        for i in range(0, len(big), 100):
            yield big[i : i + 100]

    streamed = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=chunks())
    assert streamed.status_code == 413
    assert api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=b"{}").status_code == 200


def test_a_form_body_is_refused_at_its_content_type(api: Api) -> None:
    answer = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=CASE_FILE.read_bytes(),
                      headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert answer.status_code == 422
    assert answer.json()["problems"][0]["path"] == "header.Content-Type"


def test_unknown_addresses_and_methods_are_json(api: Api) -> None:
    answer = api.get("/api/v1/nothing-here", headers={"Accept-Language": "en"})
    assert (answer.status_code, answer.json()["error"]) == (404, "not_found")
    answer = api.request("DELETE", "/api/v1/regions")
    assert (answer.status_code, answer.json()["error"]) == (405, "method_not_allowed")
    assert "GET" in answer.headers["allow"]


def test_the_explorer_is_served_at_the_root(api: Api) -> None:
    root = api.get("/", follow_redirects=False)
    assert root.status_code == 307 and root.headers["location"] == "/explorer/"
    page = api.get("/explorer/")
    assert page.status_code == 200 and "app.js" in page.text and 'lang="zh"' in page.text
    for name in ("app.js", "style.css", "i18n.json", "example-case.json"):
        assert api.get(f"/explorer/{name}").status_code == 200, name
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert api.get("/explorer/nothing.js").json()["error"] == "not_found"


def test_the_default_store_is_the_one_swp_case_uses() -> None:
    from socialwork_procurement.cli._case import DEFAULT_STORE as CLI_STORE
    from socialwork_procurement.server._app import DEFAULT_STORE

    assert DEFAULT_STORE == CLI_STORE == "swp-cases.sqlite"


# -- the lifecycle --------------------------------------------------------------------------------------------


def _volatile(entry: dict[str, Any]) -> dict[str, Any]:
    """A history entry without what differs between two runs: when it was stored, and so its hash."""
    return {k: v for k, v in entry.items() if k not in ("recorded_at", "hash")}


def _comparable(body: dict[str, Any]) -> dict[str, Any]:
    if "appended" in body:
        return {**body, "appended": [_volatile(e) for e in body["appended"]]}
    return no_error(body)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_whole_purchase_answers_as_swp_case(
    api: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path, lang: str
) -> None:
    """Every example command, the ineligible award included: the same statuses, states and refusals."""
    store = str(tmp_path / "cli.sqlite")
    headers = {"Accept-Language": lang}
    opened = api.put("/api/v1/cases/XM-1", content=example("01").read_bytes(), headers=headers)
    code, expected, _ = cli(capsys, "case", "new", str(example("01")), "--id", "XM-1", "--store", store, "--lang", lang)
    assert (opened.status_code, code) == (201, 0)
    assert opened.headers["location"] == "/api/v1/cases/XM-1"
    assert _comparable(opened.json()) == _comparable(expected)
    statuses = []
    for path in sorted(LIFECYCLE.glob("*.json"))[1:]:
        answer = api.post("/api/v1/cases/XM-1/commands", content=path.read_bytes(), headers=headers)
        code, expected, _ = cli(capsys, "case", "do", "XM-1", str(path), "--store", store, "--lang", lang)
        assert {0: 200, 1: 409, 3: 409}[code] == answer.status_code, path.name
        assert _comparable(answer.json()) == _comparable(expected), path.name
        statuses.append(answer.status_code)
    assert statuses.count(409) == 1, "only the ineligible award is refused"
    refused = api.post("/api/v1/cases/XM-1/commands", content=example("02").read_bytes(), headers=headers)
    assert refused.status_code == 409 and refused.json()["refused"] == "invalid_transition"
    shown = api.get("/api/v1/cases/XM-1", headers=headers).json()
    assert shown == cli(capsys, "case", "show", "XM-1", "--store", store, "--lang", lang)[1]
    assert shown["state"]["status"] == "closed" and shown["state"]["final"] is True
    history = api.get("/api/v1/cases/XM-1/history").json()
    expected_history = cli(capsys, "case", "history", "XM-1", "--store", store)[1]
    assert [_volatile(e) for e in history] == [_volatile(e) for e in expected_history]


def test_the_ineligible_award_is_refused_with_its_findings(api: Api, capsys: pytest.CaptureFixture[str],
                                                            tmp_path: Path) -> None:
    store = str(tmp_path / "cli.sqlite")
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    cli(capsys, "case", "new", str(example("01")), "--id", "XM-1", "--store", store)
    for prefix in ("02", "03", "04"):
        assert api.post("/api/v1/cases/XM-1/commands", content=example(prefix).read_bytes()).status_code == 200
        cli(capsys, "case", "do", "XM-1", str(example(prefix)), "--store", store)
    answer = api.post("/api/v1/cases/XM-1/commands", content=example("05").read_bytes())
    code, expected, _ = cli(capsys, "case", "do", "XM-1", str(example("05")), "--store", store)
    body = answer.json()
    assert (answer.status_code, code, body["error"], body["refused"]) == (409, 1, "command_refused", "refused")
    assert no_error(body) == expected
    assert any(f["outcome"] == "fail" and f["subject"] == "contractor" for f in body["findings"])
    assert api.get("/api/v1/cases/XM-1").json()["version"] == 4, "a refused command stores nothing"


def test_opening_a_case_twice_and_with_an_empty_id(api: Api) -> None:
    assert api.put("/api/v1/cases/XM-1", content=example("01").read_bytes()).status_code == 201
    again = api.put("/api/v1/cases/XM-1", content=example("01").read_bytes(), headers={"Accept-Language": "en"})
    assert again.status_code == 409
    assert (again.json()["refused"], again.json()["message"]) == ("invalid_transition", "case 'XM-1' already exists")
    blank = api.put("/api/v1/cases/%20", content=example("01").read_bytes())
    assert blank.status_code == 422 and blank.json()["problems"][0]["path"] == "path.case_id"
    not_open = api.put("/api/v1/cases/XM-2", content=example("02").read_bytes())
    assert not_open.status_code == 422 and not_open.json()["problems"][0]["path"] == "$.command"


def test_post_opens_a_case_under_a_new_id(api: Api) -> None:
    answer = api.post("/api/v1/cases", content=example("01").read_bytes())
    assert answer.status_code == 201
    case_id = answer.json()["case_id"]
    assert case_id.startswith("case-") and answer.headers["location"] == f"/api/v1/cases/{case_id}"
    assert [c["case_id"] for c in api.get("/api/v1/cases").json()] == [case_id]


def test_expect_version_refuses_a_stale_decision(api: Api, capsys: pytest.CaptureFixture[str],
                                                 tmp_path: Path) -> None:
    store = str(tmp_path / "cli.sqlite")
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    cli(capsys, "case", "new", str(example("01")), "--id", "XM-1", "--store", store)
    stale = api.post("/api/v1/cases/XM-1/commands?expect_version=0", content=example("02").read_bytes())
    code, expected, _ = cli(capsys, "case", "do", "XM-1", str(example("02")), "--expect-version", "0", "--store", store)
    assert (stale.status_code, code) == (409, 1) and no_error(stale.json()) == expected
    fresh = api.post("/api/v1/cases/XM-1/commands?expect_version=1", content=example("02").read_bytes())
    assert fresh.status_code == 200 and fresh.json()["version"] == 2
    bad = api.post("/api/v1/cases/XM-1/commands?expect_version=-1", content=example("03").read_bytes())
    assert bad.status_code == 422 and bad.json()["problems"][0]["path"] == "query.expect_version"


@pytest.mark.parametrize("suffix", ["", "/history", "/trail", "/verify", "/ocds?ocid_prefix=ocds-a1b2c3"])
def test_an_unknown_case_is_404(api: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str) -> None:
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    answer = api.get(f"/api/v1/cases/NOPE{suffix}")
    assert answer.status_code == 404 and answer.json()["error"] == "case_not_found"
    store = str(tmp_path / "cli.sqlite")
    cli(capsys, "case", "new", str(example("01")), "--id", "XM-1", "--store", store)
    code, _, err = cli(capsys, "case", "show", "NOPE", "--store", store)
    assert code == 2 and err.strip() == f"swp: error: {answer.json()['message']}"
    command = api.post("/api/v1/cases/NOPE/commands", content=example("02").read_bytes())
    assert command.status_code == 404


def test_the_diagram_marks_a_stored_case(api: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    api.post("/api/v1/cases/XM-1/commands", content=example("02").read_bytes())
    answer = api.get("/api/v1/lifecycle/diagram?case=XM-1")
    expected = cli(capsys, "diagram", "--case", "XM-1", "--store", str(tmp_path / "cases.sqlite"))[1]
    assert answer.status_code == 200 and answer.text == expected
    assert "needs_assessed" in answer.text and "current" in answer.text
    assert api.get("/api/v1/lifecycle/diagram?case=NOPE").status_code == 404


def test_the_trail_follows_the_states(api: Api) -> None:
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    for prefix in ("02", "03", "04"):
        api.post("/api/v1/cases/XM-1/commands", content=example(prefix).read_bytes())
    trail = api.get("/api/v1/cases/XM-1/trail").json()
    assert [row["status"] for row in trail] == ["draft", "needs_assessed", "budgeted", "tendering"]
    assert [row["on"] for row in trail] == ["2015-01-20", "2015-01-26", "2015-01-30", "2015-02-02"]
    assert [row["version"] for row in trail] == [1, 2, 3, 4]


def test_ocds_is_swp_case_ocds(api: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "cases.sqlite"
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    api.post("/api/v1/cases/XM-1/commands", content=example("02").read_bytes())
    uri = "urn:example:1"
    answer = api.get(f"/api/v1/cases/XM-1/ocds?ocid_prefix=ocds-a1b2c3&uri={uri}")
    assert answer.status_code == 200
    code, expected, _ = cli(capsys, "case", "ocds", "XM-1", "--ocid-prefix", "ocds-a1b2c3", "--uri", uri,
                            "--store", str(db))
    assert (code, answer.json()) == (0, expected)
    bad = api.get("/api/v1/cases/XM-1/ocds?ocid_prefix=ocds-XYZ")
    assert bad.status_code == 422 and bad.json()["problems"][0]["path"] == "query.ocid_prefix"
    _, _, err = cli(capsys, "case", "ocds", "XM-1", "--ocid-prefix", "ocds-XYZ", "--store", str(db))
    assert bad.json()["problems"][0]["message"] in err
    assert api.get("/api/v1/cases/XM-1/ocds").status_code == 422


def test_verify_is_swp_case_verify(api: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "cases.sqlite")
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    api.post("/api/v1/cases/XM-1/commands", content=example("02").read_bytes())
    ok = api.get("/api/v1/cases/XM-1/verify")
    code, expected, _ = cli(capsys, "case", "verify", "XM-1", "--store", db)
    assert (ok.status_code, code) == (200, 0) and ok.json() == expected
    assert ok.json()["ok"] is True and ok.json()["version"] == 2
    every = api.get("/api/v1/verify")
    code, expected, _ = cli(capsys, "case", "verify", "--all", "--store", db)
    assert (every.status_code, code) == (200, 0) and every.json() == expected
    with sqlite3.connect(db) as conn:  # tamper as someone with the file could: drop the guard, edit the payload
        conn.execute("DROP TRIGGER swp_events_no_update")
        conn.execute("UPDATE swp_events SET payload = replace(payload, '摸底', '篡改') WHERE version = 2")
    conn.close()
    broken = api.get("/api/v1/cases/XM-1/verify")
    code, expected, _ = cli(capsys, "case", "verify", "XM-1", "--store", db)
    assert (broken.status_code, code) == (200, 1), "the check was made; its answer is no"
    assert broken.json() == expected and broken.json()["ok"] is False
    every = api.get("/api/v1/verify").json()
    assert every["ok"] is False and [p["case_id"] for p in every["problems"]] == ["XM-1"]
    history = api.get("/api/v1/cases/XM-1/history")
    assert history.status_code == 503 and history.json()["error"] == "tamper_detected"


def test_the_disclosure_package_is_swp_case_disclosure(api: Api, capsys: pytest.CaptureFixture[str],
                                                       tmp_path: Path) -> None:
    db = str(tmp_path / "cases.sqlite")
    api.put("/api/v1/cases/XM-1", content=example("01").read_bytes())
    for prefix in ("02", "03", "04", "06", "07"):
        assert api.post("/api/v1/cases/XM-1/commands", content=example(prefix).read_bytes()).status_code == 200
    for lang in ("zh", "en"):
        answer = api.get("/api/v1/cases/XM-1/disclosure", headers={"Accept-Language": lang})
        code, expected, _ = cli(capsys, "case", "disclosure", "XM-1", "--format", "json", "--store", db, "--lang", lang)
        assert (answer.status_code, code) == (200, 0) and answer.json() == expected
    early = api.get("/api/v1/cases/XM-1/disclosure?on=2015-01-26")
    code, expected, _ = cli(capsys, "case", "disclosure", "XM-1", "--format", "json", "--on", "2015-01-26",
                            "--store", db)
    assert early.json() == expected
    for fmt, media in (("html", "text/html"), ("md", "text/markdown")):
        page = api.get(f"/api/v1/cases/XM-1/disclosure?format={fmt}&lang=en")
        code, expected, _ = cli(capsys, "case", "disclosure", "XM-1", "--format", fmt, "--store", db, "--lang", "en")
        assert page.headers["content-type"].startswith(media)
        assert page.text.rstrip("\n") == expected.rstrip("\n")
    before = api.get("/api/v1/cases/XM-1/disclosure?on=2014-01-01")
    assert before.status_code == 422 and before.json()["problems"][0]["path"] == "query.on"
    assert api.get("/api/v1/cases/XM-1/disclosure?format=pdf").status_code == 422


# -- faults: a 409 for a race lost, a 503 for the store, a 500 without a traceback ----------------------------


class _AlwaysBeaten:
    """A store where another writer always appends first (``append`` raises ConcurrencyConflict)."""

    def __init__(self, store: EventStore) -> None:
        self._store = store
        self.appends = 0

    def append(self, case_id: str, expected_version: int, events: Any) -> Any:
        self.appends += 1
        if self.appends == 1:
            return self._store.append(case_id, expected_version, events)  # the case is opened
        raise swp.ConcurrencyConflict(case_id, expected_version, expected_version + 1)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_a_race_lost_three_times_is_a_409_and_stores_nothing(tmp_path: Path) -> None:
    real = SQLiteEventStore(tmp_path / "cases.sqlite")
    beaten = _AlwaysBeaten(real)
    app = create_app(store=lambda: beaten)  # type: ignore[arg-type, return-value]
    api = Api(app)
    assert api.put("/api/v1/cases/XM-1", content=example("01").read_bytes()).status_code == 201
    answer = api.post("/api/v1/cases/XM-1/commands", content=example("02").read_bytes(),
                      headers={"Accept-Language": "en"})
    assert answer.status_code == 409
    body = answer.json()
    assert body["error"] == "concurrency_conflict" and "another writer got in first" in body["message"]
    assert beaten.appends == 1 + ServerConfig().attempts, "decided as often as configured, then a 409"
    assert real.version("XM-1") == 1
    real.close()


def test_a_store_that_cannot_be_opened_is_503_and_the_rules_still_answer(tmp_path: Path) -> None:
    app = create_app(ServerConfig(store=tmp_path / "no-such-dir" / "cases.sqlite"))
    api = Api(app)
    answer = api.get("/api/v1/cases", headers={"Accept-Language": "en"})
    assert answer.status_code == 503
    body = answer.json()
    assert (body["error"], body["kind"]) == ("store_error", "no_directory")
    assert "Traceback" not in answer.text
    assert api.get(f"/api/v1/regions/xiamen/rules?on={ON}").status_code == 200
    (tmp_path / "no-such-dir").mkdir()
    assert api.get("/api/v1/cases").status_code == 200, "the next request opens the store"


def test_a_lost_connection_is_503_and_the_store_is_opened_again(tmp_path: Path) -> None:
    opened: list[SQLiteEventStore] = []

    def opener() -> SQLiteEventStore:
        store = SQLiteEventStore(tmp_path / "cases.sqlite")
        opened.append(store)
        if len(opened) == 1:
            store.close()  # the first connection is gone before it is used
        return store

    app = create_app(store=opener)
    api = Api(app)
    first = api.get("/api/v1/cases")
    assert first.status_code == 503 and first.json()["error"] == "store_error"
    assert api.get("/api/v1/cases").status_code == 200
    assert len(opened) == 2
    app.state.swp.close()


def _crashing_registry() -> swp.Registry:
    full = swp.load_registry()

    def crashes(case: swp.Case, on: date) -> swp.RuleResult:
        raise ZeroDivisionError("a bug in a pack")

    base = full.rule("xiamen.contractor.independent_legal_person", on=date(2015, 3, 1))
    bad = swp.Rule(rule_id="xiamen.contractor.crash", region="xiamen", kind=base.kind, strength=base.strength,
                   subject=base.subject, effective_from=base.effective_from, effective_to=None,
                   citation=base.citation, message_zh="会崩溃", message_en="crashes", predicate=crashes)
    regions = {r.code: swp.Contribution("swp-crash-pack", r) for r in full.regions()}
    rules = [swp.Contribution("swp-crash-pack", r) for r in full.rules("xiamen")] + [
        swp.Contribution("swp-crash-pack", bad)
    ]
    return swp.Registry(regions=regions, rules=rules, silences=[], indicators=[], periods=[], packs=[])


def test_a_pack_that_breaks_is_a_500_without_a_traceback(tmp_path: Path) -> None:
    app = create_app(ServerConfig(store=tmp_path / "cases.sqlite"), registry=_crashing_registry())
    answer = Api(app).post(f"/api/v1/regions/xiamen/check?on={ON}", content=CASE_FILE.read_bytes(),
                           headers={"Accept-Language": "en"})
    assert answer.status_code == 500
    body = answer.json()
    assert (body["error"], body["distribution"]) == ("pack_error", "swp-crash-pack")
    assert body["message"].startswith("a rule pack failed (swp-crash-pack)")
    assert "Traceback" not in answer.text and "ZeroDivisionError" in body["message"]


def test_a_bug_is_a_500_that_names_only_its_kind(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("secret internals")

    monkeypatch.setattr("socialwork_procurement.server._routes.verdict_json", broken)
    answer = api.post(f"/api/v1/regions/xiamen/check?on={ON}", content=CASE_FILE.read_bytes())
    assert answer.status_code == 500
    assert answer.json()["error"] == "internal_error" and "KeyError" in answer.json()["message"]
    assert "secret internals" not in answer.text and "Traceback" not in answer.text


# -- swp serve ------------------------------------------------------------------------------------------------


def _serve_parser() -> Any:
    from socialwork_procurement.cli import _serve
    from socialwork_procurement.cli._common import Parser

    parser = Parser(prog="swp")
    _serve.add_commands(parser.add_subparsers(dest="command", required=True, parser_class=Parser))
    return parser


def test_swp_serve_defaults_and_a_bad_port() -> None:
    args = _serve_parser().parse_args(["serve"])
    assert (args.host, args.port, args.store, args.schema) == ("127.0.0.1", 8000, "swp-cases.sqlite", "public")
    with pytest.raises(SystemExit) as info:
        _serve_parser().parse_args(["serve", "--port", "70000"])
    assert info.value.code == 2


def test_swp_serve_without_the_server_extra_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from socialwork_procurement.cli._serve import ServerNotInstalled

    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    args = _serve_parser().parse_args(["serve"])
    with pytest.raises(ServerNotInstalled) as info:
        args.func(args)
    assert "pip install 'socialwork-procurement[server]'" in str(info.value) and "uvicorn" in str(info.value)
