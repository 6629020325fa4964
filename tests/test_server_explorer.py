"""What the rule explorer reads from the server: a rule's source with its quote marked, and its own texts.

The browser itself is driven in ``test_explorer_browser.py``; these tests hold the data to the sources
(every marked part is the quote, and the text around it is the seed file, unchanged) and the page's
names of states, actions, outcomes and strengths to the ones ``swp`` prints.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
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

import anyio  # noqa: E402
import httpx  # noqa: E402

import socialwork_procurement as swp  # noqa: E402
from socialwork_procurement.server._app import EXPLORER_DIR, ServerConfig, create_app  # noqa: E402
from socialwork_procurement.server._seeds import find_seeds_dir, quote_spans, segments  # noqa: E402
from socialwork_procurement.testing import SEEDS_MISSING, seeds_dir  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


def get(app: Any, url: str, lang: str = "zh") -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://swp.test") as client:
            return await client.get(url, headers={"Accept-Language": lang})

    return anyio.run(go)


@pytest.fixture
def seeds() -> Path:
    found = seeds_dir()
    if found is None:
        pytest.skip(SEEDS_MISSING)
    return found


@pytest.fixture
def app(tmp_path: Path, seeds: Path) -> Iterator[Any]:
    application = create_app(ServerConfig(store=tmp_path / "cases.sqlite"), seeds_dir=seeds)
    yield application
    application.state.swp.close()


def _file_rules() -> list[swp.Rule]:
    registry = swp.load_registry()
    return [r for region in registry.regions() for r in registry.rules(region.code) if r.citation.source.file]


def test_the_server_finds_the_seeds_as_the_quote_tests_do(seeds: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert find_seeds_dir() == seeds
    monkeypatch.setenv("SWP_SEEDS_DIR", str(seeds / "not-there"))
    assert find_seeds_dir() is None


@pytest.mark.parametrize("rule", _file_rules(), ids=lambda r: r.rule_id)
def test_every_quote_is_marked_in_its_unchanged_source(seeds: Path, rule: swp.Rule) -> None:
    assert rule.citation.source.file is not None
    text = (seeds / rule.citation.source.file).read_text(encoding="utf-8")
    spans, found = quote_spans(rule.citation.quote, text)
    assert found, rule.rule_id
    cut = segments(text, spans)
    assert "".join(s["text"] for s in cut) == text, "the segments are the whole file, unchanged"
    marked = [s["text"] for s in cut if s["quote"]]
    parts = [p.strip() for p in rule.citation.quote.split("⏎") if p.strip()]
    # Each marked part is the quote's part; in the file with pinyin after characters (seed 002) it is
    # the part once the pinyin is taken out, as the catalogue's quotes read.
    assert [PINYIN.sub("", m) for m in marked] == parts


def test_the_source_endpoint_marks_the_quote(app: Any, seeds: Path) -> None:
    answer = get(app, "/api/v1/rules/xiamen.purchaser.eligible_bodies/source?on=2015-03-01")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["available"], data["found"], data["reason"]) == (True, True, None)
    assert data["file"] == "003_591adcebc82a76dc.txt" and data["number"] == "厦府办〔2015〕3号"
    assert "".join(s["text"] for s in data["segments"]) == (seeds / data["file"]).read_text(encoding="utf-8")
    assert [s["text"] for s in data["segments"] if s["quote"]] == [data["quote"]]
    assert data["rule"]["rule_id"] == "xiamen.purchaser.eligible_bodies" and data["rule"]["subject"] == "purchaser"


def test_a_source_outside_the_seeds_shows_the_quote_alone(app: Any) -> None:
    answer = get(app, "/api/v1/rules/national.contract.written_terms/source", lang="en")
    data = answer.json()
    assert answer.status_code == 200 and data["available"] is False and data["segments"] is None
    assert data["file"] is None and data["url"] and "not among the seed documents" in data["reason"]
    assert data["quote"] == swp.load_registry().rule("national.contract.written_terms").citation.quote


def test_without_the_seeds_the_answer_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SWP_SEEDS_DIR", str(tmp_path / "nowhere"))
    app = create_app(ServerConfig(store=tmp_path / "cases.sqlite"))
    for lang, words in (("zh", "只显示引文"), ("en", "the quote is shown alone")):
        data = get(app, "/api/v1/rules/xiamen.purchaser.eligible_bodies/source", lang=lang).json()
        assert data["available"] is False and words in data["reason"] and data["quote"]


def test_an_empty_seeds_directory_misses_the_file(tmp_path: Path) -> None:
    app = create_app(ServerConfig(store=tmp_path / "cases.sqlite"), seeds_dir=tmp_path)
    data = get(app, "/api/v1/rules/xiamen.purchaser.eligible_bodies/source", lang="en").json()
    assert data["available"] is False and "does not hold this file" in data["reason"]


def test_an_unknown_rule_is_404(app: Any) -> None:
    answer = get(app, "/api/v1/rules/xiamen.nothing.here/source", lang="en")
    assert answer.status_code == 404 and answer.json()["error"] == "rule_not_found"
    early = get(app, "/api/v1/rules/xiamen.purchaser.eligible_bodies/source?on=2001-01-01", lang="en")
    assert early.status_code == 404 and "in force on 2001-01-01" in early.json()["message"]


# -- the page's own texts --------------------------------------------------------------------------------------


def _texts() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPLORER_DIR / "i18n.json").read_text(encoding="utf-8"))
    return data


def _keys(node: Any, prefix: str = "") -> set[str]:
    if isinstance(node, dict):
        return {k for key, value in node.items() for k in _keys(value, f"{prefix}{key}.")}
    return {prefix.rstrip(".")}


def test_every_text_of_the_page_is_in_both_languages() -> None:
    texts = _texts()
    assert set(texts) == {"zh", "en"}
    assert _keys(texts["zh"]) == _keys(texts["en"])
    cjk = re.compile(r"[\u4e00-\u9fff]")
    assert all(cjk.search(texts["zh"][k]) for k in ("title", "tab_rules", "tab_check", "tab_cases"))
    used = set(re.findall(r"""\bt\(\s*["`]([a-z_]+)["`]""", (EXPLORER_DIR / "app.js").read_text(encoding="utf-8")))
    used |= set(re.findall(r'data-t(?:-placeholder|-title)?="([a-z_]+)"', (EXPLORER_DIR / "index.html").read_text(
        encoding="utf-8")))
    assert used - set(texts["zh"]) == set(), "a text the page shows is missing from i18n.json"


def test_the_page_names_values_as_swp_does() -> None:
    from socialwork_procurement.cli._case_commands import _EVENT_NAMES
    from socialwork_procurement.cli._common import text
    from socialwork_procurement.export._names import name
    from socialwork_procurement.lifecycle._events import EVENT_TYPES

    texts = _texts()
    tables = {
        "state": swp.State,
        "action": swp.Action,
        "outcome": swp.Outcome,
        "decision_name": swp.Decision,
        "strength_name": swp.Strength,
    }
    for lang in ("zh", "en"):
        for key, enum in tables.items():
            assert texts[lang][key] == {m.value: name(m, lang) for m in enum}, (lang, key)
        named = {tag: text(_EVENT_NAMES[cls], lang) for tag, cls in EVENT_TYPES.items()}
        assert texts[lang]["event_name"] == named, lang
        assert set(texts[lang]["subject"]) == {s.value for s in swp.Subject}
        assert set(texts[lang]["rule_kind"]) == {k.value for k in swp.RuleKind}
        assert set(texts[lang]["silence_kind"]) == {k.value for k in swp.SilenceKind}


def test_the_page_s_example_is_the_documented_example() -> None:
    assert (EXPLORER_DIR / "example-case.json").read_bytes() == (ROOT / "docs" / "examples" / "xiamen-case.json").read_bytes()


def test_the_page_loads_nothing_from_elsewhere() -> None:
    for path in EXPLORER_DIR.iterdir():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text), path.name
        assert "@import" not in text and "fetch(\"http" not in text, path.name
