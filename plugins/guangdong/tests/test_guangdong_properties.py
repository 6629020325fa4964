"""Properties of Guangdong's checked rule on the core's Hypothesis strategies."""

from __future__ import annotations

from datetime import date
from functools import cache

import socialwork_procurement as swp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from socialwork_procurement.testing import strategies as sst

from socialwork_procurement_guangdong import DUTY_LEVELS, EFFECTIVE, disclosure_annual_catalogue, pack

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RULE = "guangdong2012.disclosure.annual_catalogue"
CATALOGUE = swp.DisclosureItem.ANNUAL_CATALOGUE


@cache
def registry() -> swp.Registry:
    return swp.load_registry(entrypoints=False, extra_packs=[("socialwork-procurement-guangdong", pack)])


@SETTINGS
@given(case=sst.cases(), on=sst.dates())
def test_the_duty_never_reaches_a_purchaser_of_another_level(case: swp.Case, on: date) -> None:
    result = disclosure_annual_catalogue(case, on)
    if case.purchaser is None or (case.purchaser.level is not None and case.purchaser.level not in DUTY_LEVELS):
        assert result.outcome is swp.Outcome.NOT_APPLICABLE
    else:
        assert result.outcome is not swp.Outcome.NOT_APPLICABLE


@SETTINGS
@given(purchaser=sst.purchasers(), published=st.frozensets(st.sampled_from(swp.DisclosureItem)), on=sst.dates())
def test_publishing_the_catalogue_decides_for_every_level_that_bears_the_duty(
    purchaser: swp.Purchaser, published: frozenset[swp.DisclosureItem], on: date
) -> None:
    with_it = disclosure_annual_catalogue(swp.Case(purchaser=purchaser, published=published | {CATALOGUE}), on)
    without = disclosure_annual_catalogue(swp.Case(purchaser=purchaser, published=published - {CATALOGUE}), on)
    if purchaser.level in DUTY_LEVELS:
        assert (with_it.outcome, without.outcome) == (swp.Outcome.PASS, swp.Outcome.FAIL)
    elif purchaser.level is None:
        # The duty may not be the purchaser's: a missing catalogue is unknown, a published one passes.
        assert (with_it.outcome, without.outcome) == (swp.Outcome.PASS, swp.Outcome.UNKNOWN)
    else:
        assert with_it.outcome is without.outcome is swp.Outcome.NOT_APPLICABLE


@SETTINGS
@given(case=sst.cases(), on=sst.dates(min_value=EFFECTIVE))
def test_what_is_published_is_unknown_only_when_not_given(case: swp.Case, on: date) -> None:
    result = disclosure_annual_catalogue(case, on)
    if result.outcome is swp.Outcome.UNKNOWN:
        assert case.published is None or (case.purchaser is not None and case.purchaser.level is None)
        assert result.deciding


@SETTINGS
@given(case=sst.cases(), on=sst.dates(min_value=EFFECTIVE))
def test_a_verdict_is_ineligible_through_this_pack_only_when_the_catalogue_is_missing(
    case: swp.Case, on: date
) -> None:
    verdict = registry().check(case, region="guangdong", on=on, national=False)
    assert verdict.decision is not swp.Decision.INELIGIBLE or any(
        f.rule_id == RULE and f.outcome is swp.Outcome.FAIL for f in verdict.findings
    )
    # The data rules (budgets, targets, the less-developed priority) never become findings.
    assert {f.rule_id for f in verdict.findings} <= {RULE}


@SETTINGS
@given(case=sst.cases(), on=sst.dates(max_value=date(2012, 2, 7)))
def test_before_the_report_nothing_of_guangdong_applies(case: swp.Case, on: date) -> None:
    verdict = registry().check(case, region="guangdong", on=on, national=False)
    assert verdict.findings == ()
    assert verdict.region_not_in_force is not None and verdict.decision is swp.Decision.UNDETERMINED
