"""The published JSON Schema stays in sync with the types and the converter."""

from __future__ import annotations

import json
from typing import Any

import jsonschema
import pytest
from hypothesis import given

import socialwork_procurement as swp
from socialwork_procurement.cli._main import main
from socialwork_procurement.model._schema import case_schema
from socialwork_procurement.testing import strategies as sst

VALIDATOR = jsonschema.Draft202012Validator(case_schema(), format_checker=jsonschema.FormatChecker())


@given(sst.cases())
def test_every_valid_case_matches_the_schema(case: swp.Case) -> None:
    VALIDATOR.validate(swp.unstructure(case))


@pytest.mark.parametrize(
    "data",
    [
        {"contractor": {"name": "x", "legal_form": "foundation", "non_profit": "false"}},
        {"contract": {"stated_terms": "hello"}},
        {"contract": {"amount": 1.5}},
        {"purchaser": {"name": "x", "kind": "enterprise", "extra": 1}},
        {"unknown_part": {}},
        {"contractor": {"name": "x"}},
    ],
)
def test_schema_and_converter_refuse_the_same_input(data: Any) -> None:
    assert not VALIDATOR.is_valid(data)
    with pytest.raises(swp.InvalidInput):
        swp.structure(data, swp.Case)


def test_schema_names_every_field_of_every_type() -> None:
    import attrs

    from socialwork_procurement.model import _types

    defs = case_schema()["$defs"]
    for name, schema in defs.items():
        # The case types live in model._types (a new one is public once the lead exports it).
        cls = getattr(_types, name)
        assert set(schema["properties"]) == {f.name for f in attrs.fields(cls)}, name
        assert schema["additionalProperties"] is False


def test_swp_schema_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == case_schema()
