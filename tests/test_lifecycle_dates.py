"""Dates at the edge of ``date``'s range: the lifecycle's own date computations are total.

A service period may end on 9999-12-31 (``date.max``). The evaluation schedule's policy counts
months up to the day after the end, which ``date`` cannot hold; the lifecycle schedules such a
period one 400-year calendar cycle earlier, where every day is the same. The rules' own date
helpers (``rules/_schedule.py``): ``whole_months`` and ``last_day_of_term`` are total over
``date``'s range, and the last two tests below hold them to it through whole purchases.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._commands import (
    Accept,
    ApproveBudget,
    AssessNeeds,
    Award,
    Close,
    RecordDisclosure,
    StartService,
    StartTender,
)
from socialwork_procurement.lifecycle._decisions import _schedule, schedule_a_cycle_earlier
from socialwork_procurement.lifecycle._machine import State
from socialwork_procurement.lifecycle._procurement import Procurement
from socialwork_procurement.rules._schedule import EvaluationSchedule, evaluation_schedule
from socialwork_procurement.store._sqlite import SQLiteEventStore

LAST = date.max
REASON = "已核实"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteEventStore]:
    with kit.new_store(tmp_path / "cases.sqlite") as s:
        yield s


@given(
    start=st.dates(date(401, 1, 1), date(9999, 12, 30)),
    days=st.integers(0, 3 * 366),
)
def test_a_schedule_a_calendar_cycle_earlier_is_the_same_schedule(start: date, days: int) -> None:
    end = min(start + timedelta(days=days), date(9999, 12, 30))
    period = swp.ServicePeriod(start, end)
    assert schedule_a_cycle_earlier(period) == evaluation_schedule(period)


def test_a_period_ending_on_the_last_day_gets_the_policys_schedule() -> None:
    # 2015-03-01 to 10000-01-01 is 95,818 whole months; half of them after 1 March 2015 is 1 August 6007.
    assert _schedule(swp.ServicePeriod(date(2015, 3, 1), LAST)) == EvaluationSchedule(date(6007, 8, 1), LAST)
    # Shorter than two months: the day midpoint, as for any other period.
    assert _schedule(swp.ServicePeriod(date(9999, 12, 1), LAST)) == EvaluationSchedule(date(9999, 12, 16), LAST)
    assert _schedule(swp.ServicePeriod(LAST, LAST)) == EvaluationSchedule(LAST, LAST)


def _henan_awarded(store: SQLiteEventStore) -> Procurement:
    kit.require_region("henan")
    proc = Procurement.create(store, kit.registry(), "HN-MAX", kit.open_command("henan", on=date(2014, 3, 1)))
    proc.execute(AssessNeeds(**kit.meta(date(2014, 3, 2)), summary="需求"))
    proc.execute(ApproveBudget(**kit.meta(date(2014, 3, 3)), amount=Decimal("100000"), accept_undetermined=REASON))
    proc.execute(StartTender(**kit.meta(date(2014, 3, 5)), method=swp.ProcurementMethod.OPEN_TENDER))
    proc.execute(Award(**kit.meta(date(2014, 4, 1)), contractor=kit.henan_contractor()))
    return proc


def test_a_purchase_whose_service_ends_on_the_last_day_runs_to_the_end(store: SQLiteEventStore) -> None:
    proc = _henan_awarded(store)
    period = swp.ServicePeriod(date(2014, 5, 1), LAST)
    signed, _fee = proc.execute(kit.sign_command(date(2014, 4, 10), period, evaluation_fee_base=None))
    # Henan's sources set no mid-term evaluation (issue 8): the days are the policy's, none is required.
    assert signed.event.schedule == attrs.evolve(_schedule(period), midterm_required=False)
    proc.execute(StartService(**kit.meta(period.start)))
    proc.execute(kit.evaluation_command(date(2014, 11, 1), kit.M))
    proc.execute(kit.evaluation_command(LAST, kit.F))
    proc.execute(Accept(**kit.meta(LAST), accept_undetermined=REASON))
    proc.execute(RecordDisclosure(**kit.meta(LAST), items=frozenset({swp.DisclosureItem.EVALUATION_RESULTS})))
    proc.execute(Close(**kit.meta(LAST)))
    assert proc.state.status is State.CLOSED and proc.state.last_on == LAST
    assert proc.check().on == LAST
    assert Procurement.open(store, kit.registry(), "HN-MAX").state == proc.state == proc.replay()


def test_a_period_no_calendar_cycle_fits_before_is_refused_not_crashed(store: SQLiteEventStore) -> None:
    proc = _henan_awarded(store)
    period = swp.ServicePeriod(date(400, 12, 31), LAST)
    command = kit.sign_command(date(2014, 4, 10), period, evaluation_fee_base=None)
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(command))
    assert "too long to schedule its evaluations" in str(exc)


def test_xiamen_signs_a_period_ending_on_the_last_day(store: SQLiteEventStore) -> None:
    proc = kit.xiamen_until(store, "award")
    proc.execute(kit.sign_command(date(2015, 2, 27), swp.ServicePeriod(date(2015, 3, 1), LAST)))
    assert proc.state.status is State.CONTRACTED


def test_a_short_period_ending_on_the_last_day_is_signed_under_the_national_rules(store: SQLiteEventStore) -> None:
    kit.require_region("ningxia")
    proc = Procurement.create(store, kit.registry(), "NX-MAX", kit.open_command("ningxia", on=date(2023, 6, 1)))
    proc.execute(AssessNeeds(**kit.meta(date(2023, 6, 5)), summary="需求"))
    proc.execute(kit.budget_command(date(2023, 6, 10), accept_undetermined=REASON))
    tender = StartTender(
        **kit.meta(date(2023, 6, 15)), method=swp.ProcurementMethod.OPEN_TENDER, accept_undetermined=REASON
    )
    proc.execute(tender)
    proc.execute(Award(**kit.meta(date(2023, 7, 1)), contractor=kit.ningxia_contractor(), accept_undetermined=REASON))
    proc.execute(
        kit.sign_command(date(2023, 7, 10), swp.ServicePeriod(date(9999, 1, 1), LAST), accept_undetermined=REASON)
    )
    assert proc.state.status is State.CONTRACTED
