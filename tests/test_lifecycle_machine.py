"""The machine definition is validated when built; its diagrams; the evaluation schedule policy."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._machine import (
    ACTION_ROLES,
    MACHINE,
    Action,
    Machine,
    MachineDefinitionError,
    Role,
    State,
    Transition,
)
from socialwork_procurement.rules._schedule import EvaluationSchedule, evaluation_schedule, whole_months

S, A = State, Action


def machine(**changes: Any) -> Machine:
    fields: dict[str, Any] = {
        "states": (S.DRAFT, S.BUDGETED, S.CLOSED),
        "initial": S.DRAFT,
        "initial_action": A.OPEN,
        "finals": frozenset({S.CLOSED}),
        "transitions": (Transition(S.DRAFT, A.APPROVE_BUDGET, S.BUDGETED), Transition(S.BUDGETED, A.CLOSE, S.CLOSED)),
        "roles": ACTION_ROLES,
    }
    fields.update(changes)
    return Machine(**fields)


def problems(**changes: Any) -> tuple[str, ...]:
    with pytest.raises(MachineDefinitionError) as info:
        machine(**changes)
    assert isinstance(info.value, swp.ProcurementError) and isinstance(info.value, ValueError)
    return info.value.problems


def test_a_small_valid_machine_builds() -> None:
    m = machine()
    assert m.target(S.DRAFT, A.APPROVE_BUDGET) is S.BUDGETED
    assert m.target(S.DRAFT, A.CLOSE) is None
    assert m.actions(S.BUDGETED) == (A.CLOSE,)


def test_an_unreachable_state_is_refused() -> None:
    states = (S.DRAFT, S.BUDGETED, S.TENDERING, S.CLOSED)
    extra = Transition(S.TENDERING, A.CANCEL, S.CLOSED)
    found = problems(states=states, transitions=(*machine().transitions, extra))
    assert found == ("state tendering is unreachable from draft",)


def test_a_state_without_a_way_out_is_refused_unless_final() -> None:
    loop = Transition(S.BUDGETED, A.RECORD_DISCLOSURE, S.BUDGETED)  # a self-loop is no way out
    found = problems(transitions=(Transition(S.DRAFT, A.APPROVE_BUDGET, S.BUDGETED), loop))
    assert "state budgeted is not final but has no way out" in found
    assert "state draft cannot reach a final state" in found


def test_a_trap_that_never_reaches_a_final_state_is_refused() -> None:
    states = (S.DRAFT, S.BUDGETED, S.TENDERING, S.CLOSED)
    transitions = (
        Transition(S.DRAFT, A.APPROVE_BUDGET, S.BUDGETED),
        Transition(S.DRAFT, A.CANCEL, S.CLOSED),
        Transition(S.BUDGETED, A.START_TENDER, S.TENDERING),
        Transition(S.TENDERING, A.FAIL_TENDER, S.BUDGETED),
    )
    assert set(problems(states=states, transitions=transitions)) == {
        "state budgeted cannot reach a final state",
        "state tendering cannot reach a final state",
    }


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"finals": frozenset({S.CLOSED, S.CANCELLED})}, "final state cancelled is not declared"),
        ({"initial": S.TENDERING}, "initial state tendering is not declared"),
        (
            {"transitions": (*machine().transitions, Transition(S.CLOSED, A.CLOSE, S.DRAFT))},
            "final state closed has a way out (close)",
        ),
        (
            {"transitions": (*machine().transitions, Transition(S.DRAFT, A.APPROVE_BUDGET, S.CLOSED))},
            "draft has two transitions for approve_budget",
        ),
        (
            {"transitions": (*machine().transitions, Transition(S.DRAFT, A.CANCEL, S.CANCELLED))},
            "draft --cancel--> cancelled: state cancelled is not declared",
        ),
        ({"roles": {}}, "action approve_budget has no roles allowed to take it"),
        (
            {"anywhere": (A.CLOSE,)},
            "close is allowed anywhere and must not also be a transition",
        ),
    ],
)
def test_inconsistent_definitions_are_refused_with_every_problem(changes: dict[str, Any], expected: str) -> None:
    assert expected in problems(**changes)


def test_the_lifecycle_machine() -> None:
    assert MACHINE.initial is S.DRAFT and MACHINE.initial_action is A.OPEN
    assert MACHINE.finals == {S.CLOSED, S.CANCELLED, S.TERMINATED}
    assert not MACHINE.is_final(S.TENDER_FAILED)
    assert set(MACHINE.states) == set(State)
    main_line = [
        (S.DRAFT, A.ASSESS_NEEDS, S.NEEDS_ASSESSED),
        (S.NEEDS_ASSESSED, A.APPROVE_BUDGET, S.BUDGETED),
        (S.BUDGETED, A.START_TENDER, S.TENDERING),
        (S.TENDERING, A.AWARD, S.AWARDED),
        (S.AWARDED, A.SIGN_CONTRACT, S.CONTRACTED),
        (S.CONTRACTED, A.START_SERVICE, S.IN_SERVICE),
        (S.IN_SERVICE, A.RECORD_MIDTERM_EVALUATION, S.MIDTERM_EVALUATED),
        (S.MIDTERM_EVALUATED, A.RECORD_FINAL_EVALUATION, S.FINAL_EVALUATED),
        (S.FINAL_EVALUATED, A.ACCEPT, S.ACCEPTED),
        (S.ACCEPTED, A.CLOSE, S.CLOSED),
        (S.TENDERING, A.FAIL_TENDER, S.TENDER_FAILED),
        (S.TENDER_FAILED, A.START_TENDER, S.TENDERING),
    ]
    for source, action, target in main_line:
        assert MACHINE.target(source, action) is target
    pre_contract = {S.DRAFT, S.NEEDS_ASSESSED, S.BUDGETED, S.TENDERING, S.TENDER_FAILED, S.AWARDED}
    under_contract = {S.CONTRACTED, S.IN_SERVICE, S.MIDTERM_EVALUATED, S.FINAL_EVALUATED}
    assert {s for s in State if MACHINE.target(s, A.CANCEL) is S.CANCELLED} == pre_contract
    assert {s for s in State if MACHINE.target(s, A.TERMINATE) is S.TERMINATED} == under_contract
    for state in State:
        if MACHINE.is_final(state):
            assert MACHINE.actions(state) == ()
        else:
            assert MACHINE.target(state, A.RECORD_DISCLOSURE) is state


def test_roles() -> None:
    assert ACTION_ROLES[A.SIGN_CONTRACT] == {Role.PURCHASER}
    assert Role.THIRD_PARTY in ACTION_ROLES[A.RECORD_FINAL_EVALUATION]
    assert all(Role.CONTRACTOR not in ACTION_ROLES[a] for a in (A.AWARD, A.ACCEPT, A.RECORD_MIDTERM_EVALUATION))
    assert set(ACTION_ROLES) == set(Action)


def test_mermaid_diagram() -> None:
    text = MACHINE.to_mermaid()
    lines = text.splitlines()
    assert lines[:2] == ["stateDiagram-v2", "    [*] --> draft: open"]
    assert "    tender_failed --> tendering: start_tender" in lines
    assert "    final_evaluated --> final_evaluated: record_final_evaluation" in lines
    assert {line for line in lines if line.endswith("--> [*]")} == {
        "    closed --> [*]",
        "    cancelled --> [*]",
        "    terminated --> [*]",
    }
    assert any(line.startswith("    note right of draft: record_disclosure is allowed") for line in lines)
    assert len([line for line in lines if " --> " in line]) == len(MACHINE.transitions) + 1 + 3


def test_dot_diagram() -> None:
    text = MACHINE.to_dot()
    assert text.startswith("digraph procurement {") and text.endswith("}")
    assert '    awarded -> tender_failed [label="fail_tender"];' in text
    assert '    closed [label="closed", peripheries=2];' in text
    assert '    tendering [label="tendering"];' in text
    assert text.count(" -> ") == len(MACHINE.transitions) + 1


# -- the evaluation schedule (our policy: the sources say only 「服务周期的中期和末期」) -------------------


@pytest.mark.parametrize(
    ("start", "end", "midterm"),
    [
        (date(2015, 3, 1), date(2016, 2, 29), date(2015, 9, 1)),  # 12 months: 6 months in
        (date(2015, 3, 1), date(2015, 11, 30), date(2015, 7, 1)),  # 9 months: the second half is longer
        (date(2015, 8, 31), date(2016, 8, 30), date(2016, 2, 29)),  # month-end clamp, leap year
        (date(2014, 8, 31), date(2015, 8, 30), date(2015, 2, 28)),  # month-end clamp
        (date(2015, 1, 31), date(2015, 3, 30), date(2015, 2, 28)),  # 2 months less a day: 1 whole month
        (date(2015, 3, 1), date(2015, 3, 31), date(2015, 3, 16)),  # under two months: day midpoint
        (date(2015, 3, 1), date(2015, 3, 1), date(2015, 3, 1)),  # one day
    ],
)
def test_evaluation_schedule_examples(start: date, end: date, midterm: date) -> None:
    assert evaluation_schedule(swp.ServicePeriod(start, end)) == EvaluationSchedule(midterm=midterm, final=end)


def test_evaluation_schedule_refuses_a_non_period() -> None:
    with pytest.raises(TypeError):
        evaluation_schedule((date(2015, 1, 1), date(2015, 2, 1)))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="before the mid-term"):
        EvaluationSchedule(midterm=date(2015, 2, 1), final=date(2015, 1, 1))


@st.composite
def periods(draw: st.DrawFn) -> swp.ServicePeriod:
    start = draw(st.dates(date(2000, 1, 1), date(2040, 12, 31)))
    return swp.ServicePeriod(start, start + timedelta(days=draw(st.integers(0, 4 * 366))))


@given(periods())
def test_evaluation_schedule_properties(period: swp.ServicePeriod) -> None:
    schedule = evaluation_schedule(period)
    assert period.start <= schedule.midterm <= schedule.final == period.end
    months = whole_months(period)
    assert period.start + relativedelta(months=months) <= period.end + timedelta(days=1)
    assert period.start + relativedelta(months=months + 1) > period.end + timedelta(days=1)
    if months >= 2:
        assert schedule.midterm == period.start + relativedelta(months=months // 2)
        if schedule.midterm.day != period.start.day:  # clamped to the last day of a shorter month
            assert schedule.midterm.day < period.start.day and (schedule.midterm + timedelta(days=1)).day == 1
    else:
        assert schedule.midterm == period.start + timedelta(days=(period.end - period.start).days // 2)
