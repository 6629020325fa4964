"""The rule explorer in a real browser: Debian's Chromium driven by Playwright, against a live ``swp serve``.

Playwright drives the system's ``/usr/bin/chromium`` (``executable_path``); it never downloads a
browser of its own (no ``playwright install``), and the page loads nothing but this server. The
tests skip, with one reason, only when Chromium or the playwright package is absent; CI installs
both and sets ``SWP_REQUIRE_BROWSER=1``, which turns their absence into a failure.

The page's Content-Security-Policy stays on: every wait is a Playwright locator expectation, which
runs in Playwright's own script world, never a string the page would have to evaluate.

Screenshots of the main views are written to a temporary folder, or to ``SWP_SCREENSHOTS`` when it
names one (``SWP_SCREENSHOTS=docs/images`` refreshes the committed ``docs/images/explorer-*.png``).
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SWP_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
_ABSENT = [
    what
    for what, here in (
        ("the playwright package (pip install playwright; never `playwright install`)",
         importlib.util.find_spec("playwright") is not None),
        (f"Chromium at {CHROMIUM} (apt-get install chromium)", shutil.which(CHROMIUM) is not None),
        ("the server extra (pip install -e '.[test,server]')",
         all(importlib.util.find_spec(m) is not None for m in ("starlette", "uvicorn", "httpx"))),
    )
    if not here
]
if _ABSENT:
    _REASON = "the browser tests need " + " and ".join(_ABSENT)
    if os.environ.get("SWP_REQUIRE_BROWSER") == "1":
        pytest.fail(f"SWP_REQUIRE_BROWSER=1 but {_REASON}", pytrace=False)
    pytest.skip(_REASON, allow_module_level=True)

import httpx  # noqa: E402
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright  # noqa: E402

import socialwork_procurement as swp  # noqa: E402
from socialwork_procurement.server._process import LiveServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LIFECYCLE = ROOT / "docs" / "examples" / "lifecycle"
CASE_FILE = ROOT / "docs" / "examples" / "xiamen-case.json"
ON = "2015-03-01"
RULE = "xiamen.purchaser.eligible_bodies"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    pytest.importorskip("socialwork_procurement_xiamen", reason="the xiamen rule pack is not installed")
    folder = tmp_path_factory.mktemp("explorer")
    with LiveServer(store=folder / "cases.sqlite", cwd=ROOT) as live:
        # A purchase under way, for the lifecycle view: opened, then driven to the service.
        steps = sorted(LIFECYCLE.glob("*.json"))
        assert httpx.put(f"{live.url}/api/v1/cases/XM-2015-001", content=steps[0].read_bytes()).status_code == 201
        for step in steps[1:9]:
            if "ineligible" not in step.name:
                answer = httpx.post(f"{live.url}/api/v1/cases/XM-2015-001/commands", content=step.read_bytes())
                assert answer.status_code == 200, answer.text
        yield live


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def expected_errors() -> list[str]:
    """Console errors a test causes on purpose (a 422 it provokes), by a part of their text."""
    return []


@pytest.fixture
def page(browser: Browser, expected_errors: list[str]) -> Iterator[Page]:
    """A fresh page in Chinese; at the end, no console error and no uncaught exception but those expected."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 1400, "height": 1000})
    tab = context.new_page()
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(f"console {message.type}: {message.text}")

    tab.on("console", console)
    tab.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    tab.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    yield tab
    context.close()
    assert [p for p in problems if not any(part in p for part in expected_errors)] == []


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    configured = os.environ.get("SWP_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _api(server: LiveServer, path: str) -> Any:
    answer = httpx.get(server.url + path)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _open(page: Page, server: LiveServer, view: str) -> None:
    page.goto(f"{server.url}/explorer/#/{view}")
    page.wait_for_selector("body[data-ready=true]")


def test_the_rules_of_xiamen_on_2015_03_01(page: Page, server: LiveServer, shots: Path) -> None:
    _open(page, server, f"rules?region=xiamen&on={ON}")
    rules = _api(server, f"/api/v1/regions/xiamen/rules?on={ON}")
    texts = json.loads((ROOT / "src" / "socialwork_procurement" / "server" / "_explorer" / "i18n.json").read_text(
        encoding="utf-8"))["zh"]
    shown = page.eval_on_selector_all(
        ".layer[data-layer=xiamen] .rule",
        "items => items.map(i => [i.dataset.ruleId, i.closest('.subject').dataset.subject,"
        " i.querySelector('.badge').textContent, i.querySelector('.rule-message').textContent])",
    )
    subjects = ["purchaser", "contractor", "contract", "planning", "evaluation", "disclosure", "programme"]
    # Grouped by subject in this order, each group in the API's order (by rule id).
    assert [row[0] for row in shown] == [r["rule_id"] for s in subjects for r in rules if r["subject"] == s]
    by_id = {r["rule_id"]: r for r in rules}
    for rule_id, subject, strength, message in shown:
        assert subject == by_id[rule_id]["subject"]
        assert strength == texts["strength_name"][by_id[rule_id]["strength"]]
        assert message == by_id[rule_id]["message_zh"]
    headings = page.eval_on_selector_all(".layer[data-layer=xiamen] .subject h3", "hs => hs.map(h => h.firstChild.textContent)")
    assert headings == [texts["subject"][s] for s in dict.fromkeys(row[1] for row in shown)]
    summary = page.text_content("#rules-summary") or ""
    assert "2015-03-01" in summary and str(len(rules)) in summary
    silences = page.eval_on_selector_all("#silence-list .silence", "items => items.map(i => i.dataset.topic)")
    assert silences == [s["topic"] for s in _api(server, f"/api/v1/regions/xiamen/silences?on={ON}")]
    page.screenshot(path=str(shots / "explorer-rules.png"))


def test_a_rule_opens_on_its_quote_highlighted_in_the_source(page: Page, server: LiveServer, shots: Path) -> None:
    _open(page, server, f"rules?region=xiamen&on={ON}")
    page.click(f".rule[data-rule-id='{RULE}'] .rule-open")
    page.wait_for_selector("#rule-detail:not([hidden]) h2")
    source = _api(server, f"/api/v1/rules/{RULE}/source?on={ON}")
    if not source["available"]:  # no seeds here: the page says why and shows the quote alone
        assert page.text_content("#source-absent") == source["reason"]
        assert page.text_content(".quote-alone") == f"「{source['quote']}」"
        return
    mark = page.locator("#source-text mark.quote")
    assert mark.count() == 1 and mark.text_content() == source["quote"]
    assert page.text_content("#source-text") == "".join(s["text"] for s in source["segments"])
    box = page.locator("#source-text").bounding_box()
    marked = mark.bounding_box()
    assert box is not None and marked is not None
    assert box["y"] <= marked["y"] <= box["y"] + box["height"], "the quote is scrolled into view"
    assert f"rule={RULE}" in page.url, "the open rule has its own link"
    page.screenshot(path=str(shots / "explorer-source.png"))


def test_without_the_seeds_the_quote_is_shown_alone(browser: Browser, tmp_path: Path) -> None:
    env = {**os.environ, "SWP_SEEDS_DIR": str(tmp_path / "nowhere")}
    with LiveServer(store=tmp_path / "cases.sqlite", cwd=tmp_path, env=env) as live:
        context = browser.new_context(locale="zh-CN")
        tab = context.new_page()
        tab.goto(f"{live.url}/explorer/#/rules?region=xiamen&on={ON}&rule={RULE}")
        tab.wait_for_selector("#source-absent")
        assert "只显示引文" in (tab.text_content("#source-absent") or "")
        quote = swp.load_registry().rule(RULE).citation.quote
        assert tab.text_content(".quote-alone") == f"「{quote}」"
        context.close()


def test_a_case_check_shows_its_decision(page: Page, server: LiveServer, shots: Path) -> None:
    _open(page, server, f"check?region=xiamen&on={ON}")
    page.click("#load-example")
    expect(page.locator("#case-text")).to_have_value(re.compile('"purchaser"'))
    page.click("#run-check")
    page.wait_for_selector("#decision")
    assert page.get_attribute("#decision", "data-decision") == "eligible"
    assert page.text_content("#decision") == "符合"
    verdict = httpx.post(f"{server.url}/api/v1/regions/xiamen/check?on={ON}", content=CASE_FILE.read_bytes()).json()
    passed = [f["rule_id"] for f in verdict["findings"] if f["outcome"] == "pass"]
    shown = page.eval_on_selector_all(".findings-pass .finding", "items => items.map(i => i.dataset.ruleId)")
    assert shown == passed
    page.screenshot(path=str(shots / "explorer-check.png"))


def test_an_uploaded_case_file_is_checked_and_bad_input_shows_its_paths(
    page: Page, server: LiveServer, tmp_path: Path, expected_errors: list[str]
) -> None:
    expected_errors.append("status of 422")  # the browser logs the 422 this test asks for
    case = json.loads(CASE_FILE.read_text(encoding="utf-8"))
    case["contractor"]["independent_legal_person"] = False
    upload = tmp_path / "case.json"
    upload.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    _open(page, server, f"check?region=xiamen&on={ON}")
    page.set_input_files("#case-file", str(upload))
    page.wait_for_selector("#decision[data-decision=ineligible]")
    assert page.locator(".findings-fail .finding[data-rule-id='xiamen.contractor.independent_legal_person']").count()
    page.fill("#case-text", '{"contractor": {"legal_form": "charity"}}')
    page.click("#run-check")
    page.wait_for_selector(".error-box .problems")
    paths = page.eval_on_selector_all(".error-box .problems code", "codes => codes.map(c => c.textContent)")
    assert paths == ["$.contractor.name", "$.contractor.legal_form"]


def test_the_language_switch(page: Page, server: LiveServer) -> None:
    _open(page, server, f"rules?region=xiamen&on={ON}")
    assert page.get_attribute("html", "lang") == "zh" and page.text_content("#tab-rules") == "规则"
    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#tab-rules")).to_have_text("Rules")
    english = next(r["message_en"] for r in _api(server, f"/api/v1/regions/xiamen/rules?on={ON}") if r["rule_id"] == RULE)
    expect(page.locator(".rule-message").filter(has_text=re.compile(f"^{re.escape(english)}$"))).to_have_count(1)
    assert page.text_content("#lang-switch") == "中文"
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert page.get_attribute("html", "lang") == "en", "the choice is kept"
    page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "zh")
    expect(page.locator("#tab-rules")).to_have_text("规则")


def test_a_stored_purchase_on_the_lifecycle_diagram(page: Page, server: LiveServer, shots: Path) -> None:
    _open(page, server, f"cases?region=xiamen&on={ON}&case=XM-2015-001")
    page.wait_for_selector("svg.machine .node.current")
    status = _api(server, "/api/v1/cases/XM-2015-001")["state"]["status"]
    current = page.eval_on_selector_all("svg.machine .node.current", "nodes => nodes.map(n => n.dataset.state)")
    assert current == [status] == ["midterm_evaluated"]
    trail = [row["status"] for row in _api(server, "/api/v1/cases/XM-2015-001/trail")]
    visited = page.eval_on_selector_all("svg.machine .node.visited", "nodes => nodes.map(n => n.dataset.state)")
    assert set(visited) == set(trail)
    drawn = page.eval_on_selector_all("svg.machine .node", "nodes => nodes.map(n => n.dataset.state)")
    assert drawn == [s.value for s in swp.State]
    allowed = page.eval_on_selector_all("svg.machine path.edge.next", "edges => edges.map(e => e.dataset.action)")
    expected = {t.action.value for t in swp.MACHINE.transitions if t.source.value == status}
    assert set(allowed) == expected
    assert page.text_content("#case-status") == "已中期评估"
    page.wait_for_selector("#case-disclosure h3")
    items = _api(server, "/api/v1/cases/XM-2015-001/disclosure")["items"]
    rows = page.eval_on_selector_all("#case-disclosure tbody tr", "rows => rows.map(r => r.dataset.state)")
    assert rows == [item["state"] for item in items]
    page.screenshot(path=str(shots / "explorer-lifecycle.png"), full_page=True)
