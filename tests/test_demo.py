"""``swp demo``: three purchases run end to end, reported in Chinese and English, as text and JSON."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

import attrs
import pytest

import socialwork_procurement as swp
from socialwork_procurement.cli import _demo, _main
from socialwork_procurement.export._names import NAMES, localize_identifiers, name

RULE_ID = re.compile(r"[a-z0-9_]+(?:\.[a-z0-9_]+)+")


@pytest.fixture
def swp_main(monkeypatch: pytest.MonkeyPatch) -> Any:
    """``swp`` with the demo's command group registered (as ``cli/_main.py`` will register it)."""
    if "_demo" not in _main.COMMAND_GROUPS:
        monkeypatch.setattr(_main, "COMMAND_GROUPS", (*_main.COMMAND_GROUPS, "_demo"))
    return _main.main


@pytest.fixture
def quiet_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """An empty working directory and an empty temporary-files directory, to see what is left in them."""
    cwd, tmp = tmp_path / "cwd", tmp_path / "tmp"
    cwd.mkdir()
    tmp.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setattr("tempfile.tempdir", str(tmp))
    monkeypatch.setenv("COLUMNS", "100")
    return cwd, tmp


def run(swp_main: Any, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = swp_main(["demo", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def reports() -> dict[str, dict[str, Any]]:
    return {lang: _demo.run_demo(lang=lang) for lang in ("zh", "en")}


# -------------------------------------------------------------------------- the command


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_demo_exits_0_and_leaves_nothing_behind(
    swp_main: Any, capsys: pytest.CaptureFixture[str], quiet_dirs: tuple[Path, Path], lang: str, fmt: str
) -> None:
    code, out, err = run(swp_main, capsys, "--lang", lang, "--format", fmt)
    assert code == 0, err
    assert err == ""
    cwd, tmp = quiet_dirs
    assert list(cwd.iterdir()) == []  # nothing written to the working directory
    assert list(tmp.iterdir()) == []  # and the temporary store is gone
    if fmt == "json":
        report = json.loads(out)
        assert report["as_expected"] is True and report["store"] is None and report["lang"] == lang
    else:
        assert ("全部采购均按预期完成" if lang == "zh" else "Every purchase ran as expected") in out


def test_every_purchase_ran_its_declared_steps(reports: dict[str, dict[str, Any]]) -> None:
    for report in reports.values():
        assert [p["key"] for p in report["purchases"]] == ["xiamen", "henan", "ningxia"]
        for declared, ran in zip(_demo.PURCHASES, report["purchases"], strict=True):
            assert ran["problems"] == [] and ran["as_expected"]
            assert len(ran["steps"]) == len(declared.steps)
            for step, record in zip(declared.steps, ran["steps"], strict=True):
                expected = step.expect if isinstance(step, _demo.CommandStep) else _demo.Expect.SHOWN
                assert record["outcome"] == expected.value, record
                assert record["as_expected"] and record["problems"] == []
            assert ran["final_state"] == "closed"


def test_xiamen_refuses_the_ineligible_bidder_with_cited_findings(reports: dict[str, dict[str, Any]]) -> None:
    xiamen = reports["zh"]["purchases"][0]
    awards = [s for s in xiamen["steps"] if s.get("action") == "award"]
    assert [s["outcome"] for s in awards] == ["refused", "done"]
    (finding,) = awards[0]["findings"]
    assert (finding["rule_id"], finding["outcome"], finding["strength"]) == ("xiamen.contractor.org_type", "fail", "hard")
    assert finding["source"]["number"] == "厦府办〔2015〕3号"
    assert "厦府办〔2015〕3号" in finding["source_text"] and ".txt" not in finding["source_text"]
    assert re.search("[\u4e00-\u9fff]", finding["message"])  # the message in Chinese
    refused_version = awards[0]["version"]
    assert awards[1]["version"] == refused_version + 1  # the refusal stored nothing
    signing = next(s for s in xiamen["steps"] if s.get("action") == "sign_contract")
    assert signing["fee"]["fee"] == "14400.00" and signing["fee"]["rule_id"] == "xiamen.evaluation.fee_3pct"
    assert signing["schedule"] == {"midterm": "2015-09-01", "final": "2016-02-29", "midterm_required": True}
    evaluations = [s["summary"] for s in xiamen["steps"] if s.get("action", "").startswith("record_")]
    assert sum("第三方" in e for e in evaluations) == 2  # a mid-term and a final third-party evaluation
    ocds = xiamen["ocds"]
    assert ocds["ocid"] == "ocds-demo00-XM-DEMO-2015-001"
    assert ocds["releases"] == 13 and ocds["tags"][0] == "planning" and ocds["tags"][-1] == "contractTermination"
    assert xiamen["fee"] == "14400.00"


def test_henan_reports_the_conflict_and_ranks_the_3a_bidder_first(reports: dict[str, dict[str, Any]]) -> None:
    henan = reports["en"]["purchases"][1]
    opening, reopening = henan["steps"][:2]
    assert opening["outcome"] == "undetermined" and reopening["outcome"] == "done_undetermined"
    pairs = {(c["regional"], c["national"]) for c in opening["conflicts"]}
    assert ("henan2013.purchaser.eligible_bodies", "national.purchaser.state_organs") in pairs
    assert any("财政部令第102号" in s for c in opening["conflicts"] for s in c["sources"])
    assert reopening["accepted_undetermined"]
    ranking = next(s for s in henan["steps"] if s["kind"] == "ranking")["ranking"]
    first, second = ranking
    assert first["name"] == "郑州市金水区阳光社会工作服务中心" and first["decision"] == second["decision"] == "eligible"
    assert [f["rule_id"] for f in first["priorities"]] == ["henan2013.contractor.priority_grade_3a"]
    assert second["priorities"] == []
    award = next(s for s in henan["steps"] if s.get("action") == "award")
    assert award["summary"].startswith(first["name"])
    assert henan["fee"] is None


def test_ningxia_lets_to_an_individual_and_tracks_the_disclosures(reports: dict[str, dict[str, Any]]) -> None:
    ningxia = reports["zh"]["purchases"][2]
    comparison = next(s for s in ningxia["steps"] if s["kind"] == "comparison")
    assert comparison["comparison"]["region"] == "xiamen" and comparison["decision"] == "ineligible"
    awards = [s for s in ningxia["steps"] if s.get("action") == "award"]
    assert [s["outcome"] for s in awards] == ["undetermined", "done_undetermined"]
    assert "个人" in awards[1]["summary"]
    assert {f["rule_id"]: f["outcome"] for f in awards[1]["findings"]}["ningxia.contractor.eligible_types"] == "pass"
    tracked = [s["disclosure"] for s in ningxia["steps"] if "disclosure" in s]
    counts = [len(d["published"]) for d in tracked]
    assert counts == sorted(counts) and counts[0] == 6  # published items only ever grow
    items = [{f["rule_id"]: f["outcome"] for f in d["findings"]}["ningxia.disclosure.items"] for d in tracked]
    # each item due from its step (issue 8): all due items out, all out, results due without a deadline, all out
    assert items == ["pass", "pass", "unknown", "pass"]
    assert "绩效评价结果" in {i["name"] for i in tracked[-1]["published"]}


# -------------------------------------------------------------------------- text and JSON agree


def _outcome_lines(text: str) -> list[str]:
    return [line.strip()[2:] for line in text.splitlines() if line.strip().startswith("→ ")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_and_json_agree_on_every_decision(reports: dict[str, dict[str, Any]], lang: str) -> None:
    report = reports[lang]
    text = _demo.render_text(report, width=100)
    lines = _outcome_lines(text)
    steps = [s for p in report["purchases"] for s in p["steps"]]
    assert len(lines) == len(steps)
    for line, step in zip(lines, steps, strict=True):
        assert line.startswith(_demo.outcome_name(step["outcome"], lang)), (line, step["outcome"])
        if step["outcome"] in ("done", "done_undetermined"):
            assert step["state_name"] in line
    flat = re.sub(r"\s+", "", text)  # a long source title may be wrapped over two lines
    for step in steps:  # every refused step's findings are in the text, with their source
        if step["outcome"] in ("refused", "undetermined"):
            for finding in step["findings"]:
                assert finding["rule_id"] in text and re.sub(r"\s+", "", finding["source_text"]) in flat


def test_no_english_identifiers_in_the_chinese_report(reports: dict[str, dict[str, Any]]) -> None:
    text = _demo.render_text(reports["zh"], width=100)
    assert "private_non_enterprise_unit" not in text and "street_office" not in text
    prose = RULE_ID.sub("", text)  # rule ids are cited as they are
    assert re.findall(r"[A-Za-z]+_[A-Za-z_]+", prose) == []
    values = {str(m.value) for table in NAMES.values() for m in table if "_" in str(m.value)}
    assert not [v for v in values if v in prose]
    for word in ("enterprise", "individual", "open_tender", "closed", "third_party"):
        assert not re.search(rf"\b{word}\b", prose), word


def test_the_text_fits_the_width(reports: dict[str, dict[str, Any]]) -> None:
    for lang in ("zh", "en"):
        for line in _demo.render_text(reports[lang], width=72).splitlines():
            if " " not in line.strip():  # a single unbreakable token may overflow
                continue
            assert _demo.text_width(line) <= 72, line


# -------------------------------------------------------------------------- store, exit codes


def test_store_keeps_the_purchases_and_is_not_reused(
    swp_main: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "demo.sqlite"
    code, out, _ = run(swp_main, capsys, "--store", str(path), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["store"] == str(path)
    with swp.SQLiteEventStore(path) as store:
        stored = {c.case_id: c.version for c in store.list_cases()}
    assert stored == {p["case_id"]: p["version"] for p in report["purchases"]}
    registry = swp.load_registry()
    with swp.SQLiteEventStore(path) as store:
        assert swp.Procurement.open(store, registry, "XM-DEMO-2015-001").state.status is swp.State.CLOSED
    code, _, err = run(swp_main, capsys, "--store", str(path))
    assert code == 2 and "XM-DEMO-2015-001" in err


def test_a_store_that_cannot_be_written_is_an_environment_error(
    swp_main: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(swp_main, capsys, "--store", str(tmp_path / "missing" / "dir" / "demo.sqlite"))
    assert code == 4 and out == "" and err


def test_a_bad_ocid_prefix_is_a_usage_error(swp_main: Any, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(swp_main, capsys, "--ocid-prefix", "OCDS-123")
    assert code == 2 and "ocds-" in err


def test_a_missing_pack_fails_the_purchase_and_names_the_step(
    swp_main: Any, capsys: pytest.CaptureFixture[str], quiet_dirs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    import socialwork_procurement_henan
    import socialwork_procurement_xiamen

    without_ningxia = swp.load_registry(
        entrypoints=False,
        extra_packs=[
            ("socialwork-procurement-xiamen", socialwork_procurement_xiamen.pack),
            ("socialwork-procurement-henan", socialwork_procurement_henan.pack),
        ],
    )
    monkeypatch.setattr(_demo, "registry_from", lambda _args: without_ningxia)
    code, out, err = run(swp_main, capsys, "--format", "json")
    assert code == 1
    report = json.loads(out)
    by_key = {p["key"]: p for p in report["purchases"]}
    assert by_key["xiamen"]["as_expected"] and by_key["henan"]["as_expected"]
    ningxia = by_key["ningxia"]
    assert ningxia["steps"][0]["outcome"] == "error"
    assert {s["outcome"] for s in ningxia["steps"][1:]} == {"not_run"}
    assert "第 1 步(立项,2024-01-08)" in err and "ningxia" in err


def test_a_changed_expectation_is_caught_at_its_step(monkeypatch: pytest.MonkeyPatch) -> None:
    # Declare the refused Xiamen award as one that goes through: the demo must say step 5 did not.
    xiamen = _demo.PURCHASES[0]
    steps = list(xiamen.steps)
    assert isinstance(steps[4], _demo.CommandStep) and steps[4].expect is _demo.Expect.REFUSED
    steps[4] = attrs.evolve(steps[4], expect=_demo.Expect.DONE)
    monkeypatch.setattr(_demo, "PURCHASES", (attrs.evolve(xiamen, steps=tuple(steps)),))
    report = _demo.run_demo(lang="en")
    assert not report["as_expected"]
    (purchase,) = report["purchases"]
    assert purchase["steps"][4]["outcome"] == "refused"
    assert all(s["outcome"] == "not_run" for s in purchase["steps"][5:])
    assert report["problems"][0].startswith("Xiamen (XM-DEMO-2015-001): step 5 (award, 2015-02-25): expected done")


def test_two_runs_report_the_same(reports: dict[str, dict[str, Any]]) -> None:
    # The demo's clock follows the story, so a second run (a new store) reports exactly the same.
    assert _demo.run_demo(lang="zh") == reports["zh"]


def test_the_demo_is_quick() -> None:
    started = time.perf_counter()
    _demo.run_demo(lang="zh")
    assert time.perf_counter() - started < 3.0


# -------------------------------------------------------------------------- names


def test_every_named_value_has_a_chinese_and_an_english_name() -> None:
    for kind, table in NAMES.items():
        assert set(table) == set(kind), kind  # every member, no stray ones
        for member, (zh, en) in table.items():
            assert re.search("[\u4e00-\u9fff]", zh), member
            assert en.strip() and not re.search("[\u4e00-\u9fff]", en) and "_" not in en, member
            assert name(member, "zh") == zh and name(member, "en") == en


def test_localize_identifiers_leaves_rule_ids_and_paths_alone() -> None:
    assert localize_identifiers("enterprise 不属于国家机关", "zh") == "企业 不属于国家机关"
    assert localize_identifiers("不具备相应能力和条件的 enterprise。", "zh") == "不具备相应能力和条件的 企业。"
    assert localize_identifiers("评估等级 A4(3A以上)", "zh") == "评估等级 4A级(3A以上)"
    assert localize_identifiers("private_non_enterprise_unit 在所列类型内", "en") == "private non-enterprise unit 在所列类型内"
    kept = "xiamen.evaluation.mid_and_final_third_party at $.contractor.legal_form in 003_591adcebc82a76dc.txt"
    assert localize_identifiers(kept, "zh") == kept
    assert localize_identifiers("administrative", "zh") == "administrative"  # two meanings: left alone
    assert localize_identifiers("open tender", "zh") == "open tender"  # plain English words are not identifiers
