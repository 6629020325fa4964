"""The converter: no silent coercion, extra keys refused, JSON paths, lossless round trips."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import socialwork_procurement as swp

PUBLIC_DATA_TYPES = [
    swp.Case,
    swp.CertifiedStaff,
    swp.Contract,
    swp.Contractor,
    swp.Evaluation,
    swp.Governance,
    swp.Installment,
    swp.Planning,
    swp.Purchaser,
    swp.ServicePeriod,
    swp.Staff,
]


def problems(data: Any, cls: type = swp.Case) -> dict[str, str]:
    with pytest.raises(swp.InvalidInput) as info:
        swp.structure(data, cls)
    return {p.path: p.message for p in info.value.problems}


@pytest.mark.parametrize(
    ("data", "path", "fragment"),
    [
        ({"contractor": {"name": "x", "legal_form": "foundation", "non_profit": "false"}}, "$.contractor.non_profit", "true or false"),
        ({"contract": {"stated_terms": "hello"}}, "$.contract.stated_terms", "array"),
        ({"contractor": {"name": "x", "legal_form": "foundation", "staff": {"full_time": 3.9}}}, "$.contractor.staff.full_time", "whole number"),
        ({"contractor": {"name": "x", "legal_form": "foundation", "staff": {"full_time": "12"}}}, "$.contractor.staff.full_time", "whole number"),
        ({"contract": {"amount": 1500.5}}, "$.contract.amount", "decimal"),
        ({"contract": {"amount": "1e5"}}, "$.contract.amount", "decimal"),
        ({"contract": {"amount": "1.555"}}, "$.contract.amount", "fen"),
        ({"contract": {"signed_on": "2015/03/01"}}, "$.contract.signed_on", "YYYY-MM-DD"),
        ({"contract": {"signed_on": "2015-02-30"}}, "$.contract.signed_on", "calendar date"),
        ({"contractor": {"name": 7, "legal_form": "foundation"}}, "$.contractor.name", "string"),
        ({"contractor": {"name": "x", "legal_form": "charity"}}, "$.contractor.legal_form", "expected one of"),
        ({"contractor": {"name": "x", "legal_form": "foundation", "uscc": "91350100M000100Y4Z"}}, "$.contractor.uscc", "check character"),
        ({"contractor": {"name": "x"}}, "$.contractor.legal_form", "required"),
        ({"contract": {"stated_terms": ["scope", "scope"]}}, "$.contract.stated_terms", "more than once"),
        ({"contract": {"stated_terms": ["scope", 5]}}, "$.contract.stated_terms[1]", "expected one of"),
        ({"evaluations": [{"stage": "final_evaluation", "evaluator": "x", "evaluator_role": "third_party", "date": "2016-01-01", "score": "101"}]}, "$.evaluations[0].score", "between 0 and 100"),
        ({"contract": {"service_period": {"start": "2015-03-01", "end": "2015-01-01"}}}, "$.contract.service_period.end", "before it starts"),
    ],
)
def test_no_silent_coercion(data: Any, path: str, fragment: str) -> None:
    found = problems(data)
    assert path in found, found
    assert fragment in found[path]


def test_extra_keys_are_refused_at_their_path() -> None:
    found = problems({"contractor": {"name": "x", "legal_form": "foundation", "grade": "A3"}, "owner": 1})
    assert "grade" in found["$.contractor"] and "owner" in found["$"]


def test_every_problem_is_reported_at_once() -> None:
    found = problems(
        {"contractor": {"name": 1, "legal_form": "x", "staff": {"full_time": -2}}, "contract": {"amount": 0.5}}
    )
    assert {"$.contractor.name", "$.contractor.legal_form", "$.contract.amount"} <= set(found)


def test_non_object_and_bad_json() -> None:
    assert "object" in problems([])["$"]
    with pytest.raises(swp.InvalidInput, match="not valid JSON"):
        swp.loads("{", swp.Case)


def test_unstructure_writes_amounts_and_dates_as_strings() -> None:
    case = swp.structure(
        {"contract": {"amount": "500000", "service_period": {"start": "2015-03-01", "end": "2016-02-29"}}}, swp.Case
    )
    data = swp.unstructure(case)
    assert data["contract"]["amount"] == "500000"
    assert data["contract"]["service_period"] == {"start": "2015-03-01", "end": "2016-02-29"}
    json.dumps(data)  # JSON-compatible all the way down


@pytest.mark.parametrize("cls", PUBLIC_DATA_TYPES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_round_trip_every_public_type(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    plain = json.loads(json.dumps(swp.unstructure(value), ensure_ascii=False))
    assert swp.structure(plain, cls) == value


def test_from_type_uses_validating_strategies() -> None:
    # from_type on a bare attrs class would ignore validators; ours are registered on import.
    @given(st.from_type(swp.Contract))
    def check(contract: swp.Contract) -> None:
        assert contract.amount is None or (contract.amount.is_finite() and contract.amount >= 0)

    check()
