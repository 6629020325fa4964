"""The scenario plugin the core ships: files become test items; failures read as the scenario."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SCENARIOS = """
region: national
scenarios:
  - name: an enterprise may not purchase under Decree 102
    on: "2021-01-01"
    case: {purchaser: {name: 某公司, kind: enterprise}}
    expect:
      decision: ineligible
      findings: {national.purchaser.state_organs: fail}
  - name: before the decree no national rule applies, so nothing is shown eligible
    on: 2019-01-01
    case: {purchaser: {name: 某公司, kind: enterprise}}
    expect:
      decision: undetermined
      absent: [national.purchaser.state_organs]
  - name: no national evaluation fee
    on: "2021-01-01"
    fee: "1000"
    expect: {fee: null}
"""


def test_scenarios_become_items_and_pass(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", swp_scenarios_national=SCENARIOS)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


def test_a_wrong_expectation_fails_with_the_scenario_and_findings(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", swp_scenarios_wrong=SCENARIOS.replace("decision: ineligible", "decision: eligible"))
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    out = result.stdout.str()
    assert "scenario 'an enterprise may not purchase under Decree 102' (national)" in out
    assert "decision: expected eligible, got ineligible" in out
    assert "national.purchaser.state_organs: fail @ $.purchaser.kind" in out


def test_an_invalid_case_is_reported_with_its_path(pytester: pytest.Pytester) -> None:
    bad = SCENARIOS.replace("kind: enterprise}}\n    expect:\n      decision: ineligible",
                            "kind: company}}\n    expect:\n      decision: ineligible", 1)
    pytester.makefile(".yaml", swp_scenarios_bad=bad)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2, failed=1)
    assert "$.purchaser.kind: expected one of" in result.stdout.str()


def test_json_scenarios_and_malformed_files(pytester: pytest.Pytester) -> None:
    pytester.makefile(".json", swp_scenarios_json='{"region": "national", "scenarios": [{"name": "fee", "on": "2021-01-01", "fee": "5", "expect": {"fee": null}}]}')
    pytester.makefile(".yaml", swp_scenarios_malformed="region: national\nscenarios:\n  - name: no expectation\n    on: '2021-01-01'\n    expect: {}\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)


def test_each_session_loads_its_own_registry(
    pytester: pytest.Pytester, install_packs: Callable[..., Path]
) -> None:
    # A first run loads the registry without the test pack; a second, with the pack installed, must see it
    # (a registry kept across sessions, for the same choice of the national layer, would not know testland).
    pytester.makefile(".yaml", swp_scenarios_national=SCENARIOS)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
    install_packs("swp_test_pack")
    pytester.makefile(".yaml", swp_scenarios_testland="""
region: testland
scenarios:
  - name: testland is known in this session
    on: "2020-06-01"
    case: {contractor: {name: 某社工中心, legal_form: foundation, independent_legal_person: true}}
    expect: {findings: {testland.contractor.legal_person: pass}}
""")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=4)
