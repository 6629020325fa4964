"""The OpenAPI document: valid OpenAPI 3.1, every route in it, the case-file schema referenced, and real
answers valid against the shapes it documents."""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_MISSING = [
    m for m in ("starlette", "uvicorn", "httpx", "openapi_spec_validator") if importlib.util.find_spec(m) is None
]
if _MISSING:
    _REASON = f"the server extra or a test tool is not installed ({', '.join(_MISSING)}): pip install -e '.[test,server]'"
    if os.environ.get("CI"):
        pytest.fail(_REASON, pytrace=False)
    pytest.skip(_REASON, allow_module_level=True)

import anyio  # noqa: E402
import httpx  # noqa: E402
import jsonschema  # noqa: E402
from openapi_spec_validator import validate  # noqa: E402
from starlette.routing import Route  # noqa: E402

import socialwork_procurement as swp  # noqa: E402
from socialwork_procurement.model._schema import case_schema  # noqa: E402
from socialwork_procurement.server._app import ServerConfig, create_app  # noqa: E402
from socialwork_procurement.server._openapi import library_schemas  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LIFECYCLE = ROOT / "docs" / "examples" / "lifecycle"
CASE_FILE = ROOT / "docs" / "examples" / "xiamen-case.json"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[Any]:
    pytest.importorskip("socialwork_procurement_xiamen", reason="the xiamen rule pack is not installed")
    application = create_app(ServerConfig(store=tmp_path / "cases.sqlite"))
    yield application
    application.state.swp.close()


def call(app: Any, method: str, url: str, content: bytes | None = None) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://swp.test") as client:
            return await client.request(method, url, content=content)

    return anyio.run(go)


@pytest.fixture
def document(app: Any) -> dict[str, Any]:
    answer = call(app, "GET", "/api/v1/openapi.json")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/vnd.oai.openapi+json")
    data: dict[str, Any] = answer.json()
    return data


def test_the_document_is_valid_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1")
    validate(document)  # the OpenAPI 3.1 meta-schema, and the references resolve


def test_every_route_is_documented_and_nothing_else(app: Any, document: dict[str, Any]) -> None:
    routes = {
        (route.path, method.lower())
        for route in app.routes
        if isinstance(route, Route) and route.path.startswith("/api/")
        for method in (route.methods or ())
        if method != "HEAD"
    }
    documented = {(path, method) for path, item in document["paths"].items() for method in item}
    assert routes == documented
    assert len(routes) >= 20
    for path, item in document["paths"].items():
        for method, op in item.items():
            assert op["summary"] and op["operationId"] and op["responses"], (path, method)
            assert "500" in op["responses"], "every operation documents its internal-error answer"
            names = {p["name"] for p in op["parameters"]}
            assert {"lang", "Accept-Language"} <= names
            assert set(path.replace("}", "{").split("{")[1::2]) <= names, (path, "every path parameter is described")


def test_the_case_schema_is_the_case_file_schema(document: dict[str, Any]) -> None:
    check = document["paths"]["/api/v1/regions/{region}/check"]["post"]
    assert check["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Case"}
    schemas = document["components"]["schemas"]
    case = case_schema()
    assert set(case["$defs"]) <= set(schemas), "every part of the case file is a component"
    assert set(schemas["Case"]["properties"]) == set(case["properties"])
    assert "$id" not in schemas["Case"] and "$defs" not in schemas["Case"]
    for name in case["$defs"]:
        assert "#/$defs/" not in str(schemas[name]), name


def _validator(document: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    # The components at the root of the schema, so #/components/schemas/… resolves as in the document.
    return jsonschema.Draft202012Validator({**schema, "components": document["components"]})


def test_the_example_case_and_commands_validate_against_their_components(document: dict[str, Any]) -> None:
    import json

    case = _validator(document, {"$ref": "#/components/schemas/Case"})
    case.validate(json.loads(CASE_FILE.read_text(encoding="utf-8")))
    assert not case.is_valid({"contractor": {"name": "x", "legal_form": "charity"}})
    command = _validator(document, {"$ref": "#/components/schemas/Command"})
    paths = sorted(LIFECYCLE.glob("*.json"))
    assert len(paths) >= 10
    for path in paths:
        command.validate(json.loads(path.read_text(encoding="utf-8")))
    assert not command.is_valid({"command": "fly", "actor": "x", "role": "purchaser", "on": "2015-01-01"})
    opened = json.loads(paths[0].read_text(encoding="utf-8"))
    assert not command.is_valid({**opened, "surprise": True}), "a command's unknown field is refused, as parse_command"


def test_the_library_schemas_have_one_definition_per_name() -> None:
    schemas = library_schemas()
    assert {"Case", "Command", "OpenCase", "Award", "Contractor", "Purchaser"} <= set(schemas)
    mapping = schemas["Command"]["discriminator"]["mapping"]
    assert set(mapping) == set(swp.COMMAND_TYPES)


def _answer_schema(document: dict[str, Any], path: str, method: str, status: int) -> dict[str, Any]:
    responses = document["paths"][path][method]["responses"]
    assert str(status) in responses, f"{method.upper()} {path} does not document {status}"
    content = responses[str(status)]["content"]
    media = "application/json" if "application/json" in content else next(iter(content))
    schema: dict[str, Any] = content[media]["schema"]
    return schema


def test_real_answers_have_the_documented_shapes(app: Any, document: dict[str, Any]) -> None:
    case = CASE_FILE.read_bytes()
    steps = sorted(LIFECYCLE.glob("*.json"))
    calls: list[tuple[str, str, str, bytes | None]] = [
        ("GET", "/api/v1/health", "/api/v1/health", None),
        ("GET", "/api/v1/regions", "/api/v1/regions", None),
        ("GET", "/api/v1/regions/{region}/rules", "/api/v1/regions/xiamen/rules?on=2015-03-01", None),
        ("GET", "/api/v1/regions/{region}/rules", "/api/v1/regions/xiamen/rules?diff=2015-01-01,2016-07-01", None),
        ("GET", "/api/v1/regions/{region}/rules", "/api/v1/regions/xiamen/rules?on=2015-3-1", None),
        ("GET", "/api/v1/regions/{region}/rules", "/api/v1/regions/nowhere/rules", None),
        ("GET", "/api/v1/regions/{region}/silences", "/api/v1/regions/henan/silences?on=2015-03-01", None),
        ("POST", "/api/v1/regions/{region}/check", "/api/v1/regions/xiamen/check?on=2015-03-01", case),
        ("POST", "/api/v1/regions/{region}/check", "/api/v1/regions/henan/check?on=2030-01-01", case),
        ("POST", "/api/v1/regions/{region}/check", "/api/v1/regions/xiamen/check", b'{"contractor": 1}'),
        ("GET", "/api/v1/regions/{region}/fee", "/api/v1/regions/xiamen/fee?amount=500000&on=2015-03-01", None),
        ("GET", "/api/v1/regions/{region}/fee", "/api/v1/regions/henan/fee?amount=500000&on=2015-03-01", None),
        ("GET", "/api/v1/rules/{rule_id}/source", "/api/v1/rules/xiamen.purchaser.eligible_bodies/source", None),
        ("GET", "/api/v1/rules/{rule_id}/source", "/api/v1/rules/no.such/source", None),
        ("GET", "/api/v1/lifecycle", "/api/v1/lifecycle", None),
        ("PUT", "/api/v1/cases/{case_id}", "/api/v1/cases/XM-1", steps[0].read_bytes()),
        ("PUT", "/api/v1/cases/{case_id}", "/api/v1/cases/XM-1", steps[0].read_bytes()),
        ("POST", "/api/v1/cases", "/api/v1/cases", steps[0].read_bytes()),
        *[("POST", "/api/v1/cases/{case_id}/commands", "/api/v1/cases/XM-1/commands", p.read_bytes()) for p in steps[1:6]],
        ("POST", "/api/v1/cases/{case_id}/commands", "/api/v1/cases/XM-1/commands?expect_version=1",
         steps[6].read_bytes()),
        ("GET", "/api/v1/cases", "/api/v1/cases", None),
        ("GET", "/api/v1/cases/{case_id}", "/api/v1/cases/XM-1", None),
        ("GET", "/api/v1/cases/{case_id}", "/api/v1/cases/NOPE", None),
        ("GET", "/api/v1/cases/{case_id}/history", "/api/v1/cases/XM-1/history", None),
        ("GET", "/api/v1/cases/{case_id}/trail", "/api/v1/cases/XM-1/trail", None),
        ("GET", "/api/v1/cases/{case_id}/verify", "/api/v1/cases/XM-1/verify", None),
        ("GET", "/api/v1/verify", "/api/v1/verify", None),
        ("GET", "/api/v1/cases/{case_id}/ocds", "/api/v1/cases/XM-1/ocds?ocid_prefix=ocds-a1b2c3", None),
        ("GET", "/api/v1/cases/{case_id}/disclosure", "/api/v1/cases/XM-1/disclosure", None),
    ]
    seen: set[tuple[str, int]] = set()
    for method, template, url, body in calls:
        answer = call(app, method, url, body)
        schema = _answer_schema(document, template, method.lower(), answer.status_code)
        _validator(document, schema).validate(answer.json())
        seen.add((template, answer.status_code))
    assert {status for _, status in seen} >= {200, 201, 404, 409, 422}
