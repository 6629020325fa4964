"""Rule coverage of the scenario plugin: ``--swp-coverage``, ``--swp-coverage-strict``, ``--swp-coverage-json``.

The scenarios ask about the test pack's region ``testland`` (tests/data/site/swp_test_pack), whose rules
are fictitious and cover every outcome; the counts below follow from its predicates, scenario by scenario.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

# Without the national layer, so that only testland's own predicates decide the counts.
SCENARIOS = """
region: testland
scenarios:
  - name: an agency with legal-person status
    "on": "2020-06-01"
    national: false
    case: {contractor: {name: 某社工中心, legal_form: private_non_enterprise_unit, independent_legal_person: true,
                        evaluation_grade: A3}}
    expect: {findings: {testland.contractor.legal_person: pass}}
  - name: a natural person
    "on": "2020-06-01"
    national: false
    case: {contractor: {name: 张三, legal_form: individual, independent_legal_person: false}}
    expect: {decision: ineligible}
  - name: legal-person status not declared
    "on": "2020-06-01"
    national: false
    case: {contractor: {name: 某社工中心, legal_form: private_non_enterprise_unit}}
    expect: {findings: {testland.contractor.legal_person: unknown}}
  - name: a purchaser alone, after the social-organisation rule ended
    "on": "2021-06-01"
    national: false
    case: {purchaser: {name: 某局, kind: administrative_department}}
    expect: {findings: {testland.purchaser.any: pass}}
  - name: the fee on 1,000 yuan
    "on": "2021-06-01"
    national: false
    fee: "1000"
    expect: {fee: "20.00", rule_id: testland.evaluation.fee_2pct}
"""

# rule id -> (pass, fail, unknown, not_applicable, fee), scenario by scenario above
EXPECTED = {
    "testland.contractor.legal_person": (1, 1, 1, 1, 0),
    "testland.contractor.social_org": (2, 1, 0, 0, 0),  # ended 2020-12-31: not asked on 2021-06-01
    "testland.contractor.grade_priority": (1, 2, 0, 1, 0),
    "testland.purchaser.any": (1, 0, 0, 3, 0),
    "testland.evaluation.fee_2pct": (0, 0, 0, 0, 1),
    "testland.target.workers": (0, 0, 0, 0, 0),
}


@pytest.fixture
def testland_scenarios(install_packs: Callable[..., Path], pytester: pytest.Pytester) -> pytest.Pytester:
    install_packs("swp_test_pack")
    pytester.makefile(".yaml", swp_scenarios_testland=SCENARIOS)
    return pytester


def report_of(pytester: pytest.Pytester, *args: str) -> tuple[pytest.RunResult, dict[str, Any]]:
    out = pytester.path / "coverage.json"
    result = pytester.runpytest("-p", "no:cacheprovider", f"--swp-coverage-json={out}", *args)
    return result, json.loads(out.read_text(encoding="utf-8"))


def test_each_rule_in_force_on_a_scenario_date_is_counted_by_outcome(testland_scenarios: pytest.Pytester) -> None:
    result, report = report_of(testland_scenarios)
    result.assert_outcomes(passed=5)
    assert result.ret == 0
    (region,) = report["regions"]
    assert region["region"] == "testland" and region["asked"] is True
    assert region["scenarios"] == 5
    assert region["dates"] == ["2020-06-01", "2021-06-01"]
    rows = {row["rule_id"]: row for row in region["rules"]}
    assert set(rows) == set(EXPECTED)
    for rule_id, counts in EXPECTED.items():
        row = rows[rule_id]
        assert (row["pass"], row["fail"], row["unknown"], row["not_applicable"], row["fee"]) == counts, rule_id
    assert rows["testland.target.workers"]["checked"] == "data"
    assert rows["testland.evaluation.fee_2pct"]["checked"] == "fee"
    assert region["never_failed"] == ["testland.purchaser.any"]
    assert region["gaps"] == ["testland.purchaser.any"]
    assert region["not_in_force_on_a_scenario_date"] == []


def test_the_terminal_report_shows_the_counts_and_the_rules_never_made_to_fail(
    testland_scenarios: pytest.Pytester,
) -> None:
    result = testland_scenarios.runpytest("-p", "no:cacheprovider", "--swp-coverage")
    assert result.ret == 0
    out = result.stdout.str()
    assert "swp rule coverage" in out
    assert "testland: 5 scenarios on 2 dates (2020-06-01 … 2021-06-01); 6 rules in force, 1 of them data" in out
    assert re.search(r"testland\.contractor\.legal_person\s+hard\s+1\s+1\s+1\s+1\s+0", out)
    assert re.search(r"testland\.evaluation\.fee_2pct\s+hard\s+0\s+0\s+0\s+0\s+1", out)
    assert "never made to fail: testland.purchaser.any" in out


def test_no_report_without_the_options(testland_scenarios: pytest.Pytester) -> None:
    result = testland_scenarios.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=5)
    assert "swp rule coverage" not in result.stdout.str()


def test_strict_fails_the_run_when_a_hard_rule_never_fails(testland_scenarios: pytest.Pytester) -> None:
    result = testland_scenarios.runpytest("-p", "no:cacheprovider", "--swp-coverage-strict")
    result.assert_outcomes(passed=5)  # every scenario passed: the run fails on coverage alone
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    out = result.stdout.str()
    assert "FAILED (--swp-coverage-strict): 1 gating rules never made both to pass and to fail" in out
    assert "testland: testland.purchaser.any" in out


def test_strict_passes_once_every_hard_rule_passes_and_fails_or_is_declared_uncoverable(
    testland_scenarios: pytest.Pytester,
) -> None:
    declared = SCENARIOS.replace(
        "region: testland\n",
        "region: testland\nuncoverable:\n  testland.purchaser.any: its check passes every purchaser\n",
    )
    testland_scenarios.makefile(".yaml", swp_scenarios_testland=declared)
    result = testland_scenarios.runpytest("-p", "no:cacheprovider", "--swp-coverage-strict")
    assert result.ret == 0, result.stdout.str()
    out = result.stdout.str()
    assert "uncoverable testland.purchaser.any: its check passes every purchaser" in out
    assert "every gating rule of the regions asked passes and fails in some scenario" in out


def test_strict_refuses_an_uncoverable_rule_the_region_does_not_have(testland_scenarios: pytest.Pytester) -> None:
    declared = SCENARIOS.replace(
        "region: testland\n",
        "region: testland\nuncoverable:\n  testland.purchaser.any: passes every purchaser\n"
        "  testland.purchaser.gone: a rule that was renamed\n",
    )
    testland_scenarios.makefile(".yaml", swp_scenarios_testland=declared)
    result = testland_scenarios.runpytest("-p", "no:cacheprovider", "--swp-coverage-strict")
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert "testland.purchaser.gone is declared uncoverable but the region has no such rule" in result.stdout.str()


def test_an_uncoverable_entry_needs_a_reason(testland_scenarios: pytest.Pytester) -> None:
    testland_scenarios.makefile(
        ".yaml", swp_scenarios_testland=SCENARIOS.replace("region: testland\n", "region: testland\nuncoverable: [x]\n")
    )
    result = testland_scenarios.runpytest("-p", "no:cacheprovider")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error
    assert "uncoverable maps rule ids to the reason" in result.stdout.str()


def test_the_layers_consulted_are_reported_but_never_held_to_strict(testland_scenarios: pytest.Pytester) -> None:
    with_national = SCENARIOS.replace("    national: false\n", "", 1)  # the first scenario consults the national layer
    declared = with_national.replace(
        "region: testland\n", "region: testland\nuncoverable:\n  testland.purchaser.any: passes every purchaser\n"
    )
    testland_scenarios.makefile(".yaml", swp_scenarios_testland=declared)
    result, report = report_of(testland_scenarios, "--swp-coverage-strict")
    assert result.ret == 0, result.stdout.str()
    regions = {region["region"]: region for region in report["regions"]}
    assert set(regions) == {"national", "testland"}
    national = regions["national"]
    assert national["asked"] is False and national["scenarios"] == 0 and national["consulted"] == 1
    assert national["dates"] == ["2020-06-01"]
    assert national["gaps"]  # one scenario cannot make every national rule pass and fail, and strict does not ask it
    assert any(line.startswith("national: consulted as a layer by 1 scenarios") for line in result.stdout.lines)


# -- the report in the region pages -------------------------------------------------------------


def test_the_region_page_shows_the_coverage_and_the_timeline(testland_scenarios: pytest.Pytester) -> None:
    import swp_test_pack

    import socialwork_procurement as swp
    from socialwork_procurement.export._docgen import region_page

    _, report = report_of(testland_scenarios)
    registry = swp.load_registry(entrypoints=False, extra_packs=[("swp-test-pack", swp_test_pack.pack)])
    page = region_page(registry, "testland", coverage=report)
    assert "## Scenario coverage" in page
    assert "5 scenarios ask about this region, on 2 dates (2020-06-01 – 2021-06-01)" in page
    assert "| `testland.contractor.legal_person` | 2020-01-01 – in force | hard | 1 | 1 | 1 | 1 | 0 |" in page
    assert "| `testland.contractor.social_org` | 2020-01-01 – 2020-12-31 | hard | 2 | 1 | 0 | 0 | 0 |" in page
    assert "Checked rules no scenario made fail: `testland.purchaser.any`." in page
    # The timeline: testland's social-organisation rule ends on 2020-12-31, so the change is on the day after.
    timeline = page[page.index("## Timeline") : page.index("## Scenario coverage")]
    assert "### 2021-01-01" in timeline
    assert "- ended `testland.contractor.social_org`: hard, layer `testland`" in timeline
    assert "- added `testland.evaluation.fee_2pct`: hard, layer `testland`" in timeline
    assert "### 2020-03-01" in timeline  # the national decree arrives: a layer of every region
    assert "from this day the regional and the national layer both answer `purchaser.type`" in timeline


def test_the_pages_read_the_report_beside_them(testland_scenarios: pytest.Pytester, tmp_path: Path) -> None:
    import swp_test_pack

    import socialwork_procurement as swp
    from socialwork_procurement.export._docgen import COVERAGE_FILE, write_region_pages

    _, report = report_of(testland_scenarios)
    registry = swp.load_registry(entrypoints=False, extra_packs=[("swp-test-pack", swp_test_pack.pack)])
    out = tmp_path / "pages"
    write_region_pages(registry, out)
    assert "No coverage report was given" in (out / "testland.md").read_text(encoding="utf-8")
    (out / COVERAGE_FILE).write_text(json.dumps(report), encoding="utf-8")
    write_region_pages(registry, out)
    assert "5 scenarios ask about this region" in (out / "testland.md").read_text(encoding="utf-8")
    # The national layer: consulted by no scenario here (they all leave it out), and the page says so.
    assert "No scenario in the coverage report asks about this region or consults it." in (
        out / "national.md"
    ).read_text(encoding="utf-8")
