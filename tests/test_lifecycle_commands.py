"""Commands: validated when built, structured strictly from tagged JSON, round-tripped exactly."""

from __future__ import annotations

import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._commands import (
    COMMAND_TYPES,
    RecordDisclosure,
    RecordEvaluation,
    SignContract,
    command_json,
    parse_command,
)
from socialwork_procurement.lifecycle._machine import Action, Role
from socialwork_procurement.testing import strategies as swp_st

BASE: dict[str, Any] = {"actor": "张主任", "role": "purchaser", "on": "2015-03-01"}


def problems(data: object) -> dict[str, str]:
    with pytest.raises(swp.InvalidInput) as info:
        parse_command(data)
    return {p.path: p.message for p in info.value.problems}


def test_every_command_tag_is_an_action_or_the_evaluation_command() -> None:
    assert set(COMMAND_TYPES) - {"record_evaluation"} == {a.value for a in Action} - {
        "record_midterm_evaluation",
        "record_final_evaluation",
    }


@pytest.mark.parametrize(
    ("data", "path", "message"),
    [
        ({**BASE}, "$.command", "required field missing"),
        ({**BASE, "command": 7}, "$.command", "expected one of accept, approve_budget"),
        ({**BASE, "command": "close", "extra": 1}, "$", "unknown field(s): extra"),
        ({**BASE, "command": "close", "on": "2015-02-30"}, "$.on", "'2015-02-30' is not a calendar date"),
        ({**BASE, "command": "close", "role": "mayor"}, "$.role", "expected one of civil_affairs"),
        ({**BASE, "command": "close", "accept_undetermined": True}, "$.accept_undetermined", "expected a string"),
        ({**BASE, "command": "approve_budget", "amount": 1.5}, "$.amount", "expected a decimal as a string"),
        ({**BASE, "command": "approve_budget", "amount": "1.555"}, "$.amount", "finer than one fen"),
        (
            {**BASE, "command": "approve_budget", "amount": "1", "cost_accounting": "yes"},
            "$.cost_accounting",
            "expected true or false",
        ),
        ({**BASE, "command": "cancel"}, "$.reason", "required field missing"),
        ({**BASE, "command": "record_disclosure", "items": []}, "$.items", "at least one item"),
        ({**BASE, "command": "record_disclosure", "items": ["budget", "budget"]}, "$.items", "more than once"),
        (
            {**BASE, "command": "award", "contractor": {"name": "x", "legal_form": "enterprise", "uscc": "1"}},
            "$.contractor.uscc",
            "wrong length",
        ),
    ],
)
def test_commands_are_structured_strictly_with_json_paths(data: dict[str, Any], path: str, message: str) -> None:
    found = problems(data)
    assert path in found and message in found[path], found


def test_sign_contract_installments_cannot_exceed_the_amount() -> None:
    data = {
        **BASE,
        "command": "sign_contract",
        "service_period": {"start": "2015-03-01", "end": "2016-02-29"},
        "amount": "100.00",
        "stated_terms": ["scope"],
        "installments": [{"due": "2015-06-01", "amount": "60.00"}, {"due": "2015-12-01", "amount": "60.00"}],
    }
    assert problems(data) == {"$.installments": "installments total 120.00 exceeds the contract amount 100.00"}
    data["installments"] = data["installments"][:1]
    assert isinstance(parse_command(data), SignContract)


def test_record_evaluation_takes_the_action_of_its_stage() -> None:
    common = {"actor": "x", "role": Role.THIRD_PARTY, "on": date(2015, 9, 1), "evaluator": "x"}
    third = swp.EvaluatorRole.THIRD_PARTY
    mid = RecordEvaluation(**common, stage=swp.EvaluationStage.MIDTERM, evaluator_role=third)
    final = RecordEvaluation(**common, stage=swp.EvaluationStage.FINAL, evaluator_role=third, score=Decimal("90"))
    assert (mid.action, final.action) == (Action.RECORD_MIDTERM_EVALUATION, Action.RECORD_FINAL_EVALUATION)
    assert final.evaluation() == swp.Evaluation(
        stage=swp.EvaluationStage.FINAL, evaluator="x", evaluator_role=third, date=date(2015, 9, 1), score=Decimal("90")
    )
    with pytest.raises(ValueError, match="between 0 and 100"):
        RecordEvaluation(**common, stage=swp.EvaluationStage.FINAL, evaluator_role=third, score=Decimal("101"))


def test_the_example_walk_round_trips() -> None:
    for _name, command in kit.xiamen_steps():
        data = command_json(command)
        assert data["command"] == command.command
        assert parse_command(data) == command


@given(
    contractor=swp_st.contractors(),
    on=st.dates(date(2010, 1, 1), date(2030, 12, 31)),
    amount=st.none() | swp_st.amounts(),
    accept=st.none() | st.text(min_size=1).filter(str.strip),
)
def test_award_round_trips_for_any_contractor(
    contractor: swp.Contractor, on: date, amount: Decimal | None, accept: str | None
) -> None:
    command = COMMAND_TYPES["award"](
        actor="张主任", role=Role.PURCHASER, on=on, contractor=contractor, amount=amount, accept_undetermined=accept
    )
    assert parse_command(command_json(command)) == command


@given(items=st.frozensets(st.sampled_from(swp.DisclosureItem), min_size=1))
def test_disclosure_round_trips(items: frozenset[swp.DisclosureItem]) -> None:
    command = RecordDisclosure(actor="x", role=Role.FINANCE, on=date(2020, 1, 1), items=items, where="公告栏")
    assert parse_command(command_json(command)) == command
