"""OCDS export: real Xiamen purchases as release packages, checked against the official OCDS 1.1.5 schema.

The schema and codelists are read from ``shared/ocds`` next to the repository (Apache-2.0, never
copied into the project); without them the schema tests skip. Every package is validated as it
is written (``dumps_ocds``, read back with ``parse_float=Decimal``) with Draft 4, the release
schema resolved locally; every code used must be in its codelist CSV and every field must be
in the schema (no extension fields).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import event, given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.cli._main import main
from socialwork_procurement.export._ocds import (
    InvalidOcidPrefix,
    OcdsPublisher,
    compiled_release,
    dumps_ocds,
    to_ocds_release_package,
    validate_ocid_prefix,
)
from socialwork_procurement.lifecycle._commands import (
    Accept,
    AssessNeeds,
    Award,
    Cancel,
    Close,
    Command,
    FailTender,
    RecordDisclosure,
    StartService,
    StartTender,
    Terminate,
)
from socialwork_procurement.lifecycle._machine import Action, Role
from socialwork_procurement.lifecycle._procurement import Procurement

OCDS = Path(__file__).resolve().parents[2] / "shared" / "ocds"
PREFIX = "ocds-a1b2c3"
PUBLISHER = "厦门市思明区某街道办事处"

needs_ocds = pytest.mark.skipif(
    not (OCDS / "release-package-schema.json").is_file(),
    reason=f"the OCDS 1.1.5 schema files are not at {OCDS} (CI has them; see shared/ocds/PROVENANCE.md)",
)


@pytest.fixture
def xiamen() -> None:
    kit.require_region("xiamen")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    s = kit.new_store(tmp_path / "cases.sqlite")
    yield s
    s.close()


# --------------------------------------------------------------------------- the official schema


_RFC3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})")


@functools.cache
def _schemas() -> tuple[dict[str, Any], dict[str, Any]]:
    package = json.loads((OCDS / "release-package-schema.json").read_text(encoding="utf-8"))
    release = json.loads((OCDS / "release-schema.json").read_text(encoding="utf-8"))
    return package, release


@functools.cache
def _validators() -> tuple[Any, Any]:
    """Draft 4 validators for the package and for one release, with date-time and uri formats checked."""
    from jsonschema import Draft4Validator, FormatChecker
    from referencing import Registry, Resource

    checker = FormatChecker(formats=())

    @checker.checks("date-time")
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        if not _RFC3339.fullmatch(value):
            return False
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    @checker.checks("uri")
    def _uri(value: object) -> bool:
        return not isinstance(value, str) or bool(re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*:\S+", value))

    package, release = _schemas()
    Draft4Validator.check_schema(package)
    Draft4Validator.check_schema(release)
    registry: Registry[Any] = Registry().with_resource(release["id"], Resource.from_contents(release))
    return (
        Draft4Validator(package, registry=registry, format_checker=checker),
        Draft4Validator(release, registry=registry, format_checker=checker),
    )


@functools.cache
def _codelist(name: str) -> frozenset[str]:
    with (OCDS / "codelists" / name).open(encoding="utf-8", newline="") as f:
        return frozenset(row["Code"] for row in csv.DictReader(f))


def _walk(node: dict[str, Any], data: Any, path: str) -> Iterator[tuple[str, str, Any]]:
    """``(path, "codelist.csv", value)`` for every coded value; fails on a field the schema lacks."""
    definitions = _schemas()[1]["definitions"]
    while "$ref" in node:
        node = definitions[node["$ref"].rsplit("/", 1)[1]]
    if "codelist" in node and data is not None:
        for value in data if isinstance(data, list) else [data]:
            yield path, node["codelist"], value
    if isinstance(data, dict):
        properties = node.get("properties", {})
        for key, value in data.items():
            assert key in properties, f"{path}.{key} is not an OCDS 1.1 field (we use no extensions)"
            yield from _walk(properties[key], value, f"{path}.{key}")
    elif isinstance(data, list) and isinstance(node.get("items"), dict):
        for index, item in enumerate(data):
            yield from _walk(node["items"], item, f"{path}[{index}]")


def assert_valid_release(release: dict[str, Any]) -> None:
    _, validator = _validators()
    errors = sorted(validator.iter_errors(release), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    for path, codelist, value in _walk(_schemas()[1], release, "$"):
        assert value in _codelist(codelist), f"{path}: {value!r} is not in {codelist}"


def published(package: dict[str, Any]) -> dict[str, Any]:
    """The package as a reader gets it: written by dumps_ocds, read back with exact decimals."""
    data: dict[str, Any] = json.loads(dumps_ocds(package), parse_float=Decimal)
    assert data == package
    return data


def assert_valid_package(package: dict[str, Any]) -> dict[str, Any]:
    """Validate the written package: schema, codelists, fields, unique release ids, merge."""
    data = published(package)
    package_validator, _ = _validators()
    errors = sorted(package_validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    package_schema, _ = _schemas()
    assert set(data) <= set(package_schema["properties"])
    for release in data["releases"]:
        assert_valid_release(release)
    ids = [r["id"] for r in data["releases"]]
    assert len(ids) == len(set(ids))
    assert all("#" not in i for i in ids)
    assert {r["ocid"] for r in data["releases"]} == {data["releases"][0]["ocid"]}
    # each release is the process as of its event: merging them gives the last one, nulls dropped
    compiled = compiled_release(data)
    assert_valid_release(compiled)
    assert _content(compiled) == _without_nulls(_content(data["releases"][-1]))
    return data


def _content(release: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in release.items() if k not in ("id", "date", "tag")}


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def export(proc: Procurement, **kw: Any) -> dict[str, Any]:
    return to_ocds_release_package(proc, ocid_prefix=PREFIX, publisher=PUBLISHER, **kw)


def tags(package: dict[str, Any]) -> list[tuple[str, list[str]]]:
    return [(r["id"], r["tag"]) for r in package["releases"]]


def last(package: dict[str, Any]) -> dict[str, Any]:
    release: dict[str, Any] = package["releases"][-1]
    return release


def milestones(release: dict[str, Any]) -> dict[str, dict[str, Any]]:
    (contract,) = release["contracts"]
    return {m["id"]: m for m in contract["implementation"]["milestones"]}


@needs_ocds
def test_the_validator_is_not_vacuous() -> None:
    package_validator, release_validator = _validators()
    release = {"ocid": "ocds-a1b2c3-1", "id": "1", "date": "2015-01-20T00:00:00+08:00", "tag": ["planning"],
               "initiationType": "tender"}
    assert release_validator.is_valid(release)
    assert not release_validator.is_valid({**release, "tag": ["bogus"]})
    assert not release_validator.is_valid({**release, "date": "2015-01-20"})
    assert not release_validator.is_valid({**release, "tender": {"id": "t", "value": {"amount": "1.00"}}})
    package = {"uri": "urn:x:1", "version": "1.1", "publishedDate": "2015-01-20T00:00:00Z",
               "publisher": {"name": "p"}, "releases": [release]}
    assert package_validator.is_valid(package)
    assert not package_validator.is_valid({**package, "releases": [{**release, "initiationType": "x"}]})
    with pytest.raises(AssertionError, match=r"not an OCDS 1\.1 field"):
        list(_walk(_schemas()[1], {**release, "tender": {"id": "t", "statusDetails": "x"}}, "$"))


# --------------------------------------------------------------------------- whole purchases


@needs_ocds
@pytest.mark.usefixtures("xiamen")
def test_xiamen_purchase_from_draft_to_closed(store: Any) -> None:
    proc = kit.xiamen_until(store, "close")
    package = assert_valid_package(export(proc))

    assert package["version"] == "1.1"
    assert package["publisher"] == {"name": PUBLISHER}
    assert package["publishedDate"] == proc.history()[-1].recorded_at.isoformat()
    assert package["uri"].startswith("urn:uuid:")
    # no release for the evaluation fee (v7) nor the disclosure (v14): they do not change the process
    assert tags(package) == [
        ("XM-1-v1", ["planning"]),
        ("XM-1-v2", ["planningUpdate"]),
        ("XM-1-v3", ["planningUpdate"]),
        ("XM-1-v4", ["tender"]),
        ("XM-1-v5", ["award"]),
        ("XM-1-v6", ["contract"]),
        ("XM-1-v8", ["implementation"]),
        ("XM-1-v9", ["implementation"]),
        ("XM-1-v10", ["implementation"]),
        ("XM-1-v11", ["implementation"]),
        ("XM-1-v12", ["implementation"]),
        ("XM-1-v13", ["implementation"]),
        ("XM-1-v15", ["contractTermination"]),
    ]
    history = {e.version: e for e in proc.history()}
    for release in package["releases"]:
        version = int(release["id"].rsplit("-v", 1)[1])
        assert release["date"] == history[version].recorded_at.isoformat()
        assert datetime.fromisoformat(release["date"]).utcoffset() is not None
        assert release["ocid"] == f"{PREFIX}-XM-1"
        assert release["initiationType"] == "tender"
        assert release["language"] == "zh"
    statuses = [
        (r["tender"]["status"], [a["status"] for a in r.get("awards", [])], [c["status"] for c in r.get("contracts", [])])
        for r in package["releases"]
    ]
    assert statuses[:6] == [
        ("planning", [], []),
        ("planning", [], []),
        ("planning", [], []),
        ("active", [], []),
        ("complete", ["active"], []),
        ("complete", ["active"], ["active"]),
    ]
    assert statuses[-1] == ("complete", ["active"], ["terminated"])

    final = last(package)
    buyer_id = f"CN-USCI-{kit.PURCHASER_USCC}"
    supplier_id = f"CN-USCI-{kit.CONTRACTOR_USCC}"
    assert final["parties"] == [
        {"id": buyer_id, "name": kit.PURCHASER_NAME,
         "identifier": {"scheme": "CN-USCI", "id": kit.PURCHASER_USCC, "legalName": kit.PURCHASER_NAME},
         "roles": ["buyer"]},
        {"id": supplier_id, "name": kit.CONTRACTOR_NAME,
         "identifier": {"scheme": "CN-USCI", "id": kit.CONTRACTOR_USCC, "legalName": kit.CONTRACTOR_NAME},
         "roles": ["supplier"]},
    ]
    assert final["buyer"] == {"id": buyer_id, "name": kit.PURCHASER_NAME}
    assert final["planning"]["budget"] == {"amount": {"amount": Decimal("500000.00"), "currency": "CNY"}}
    assert final["planning"]["rationale"] == "独居老人服务需求摸底"
    assert final["tender"] == {
        "id": "XM-1-tender-1", "title": "社区综合服务项目", "status": "complete", "procurementMethod": "open",
        "procurementMethodDetails": "公开招标", "mainProcurementCategory": "services",
    }
    (award,) = final["awards"]
    assert award == {
        "id": "XM-1-award-1", "status": "active", "date": "2015-02-25T00:00:00+08:00",
        "value": {"amount": Decimal("480000.00"), "currency": "CNY"},
        "suppliers": [{"id": supplier_id, "name": kit.CONTRACTOR_NAME}],
    }
    (contract,) = final["contracts"]
    assert contract["awardID"] == award["id"]
    assert contract["period"] == {"startDate": "2015-03-01T00:00:00+08:00", "endDate": "2016-02-29T23:59:59+08:00"}
    assert contract["value"] == {"amount": Decimal("480000.00"), "currency": "CNY"}
    assert contract["dateSigned"] == "2015-02-27T00:00:00+08:00"
    stones = milestones(final)
    assert list(stones) == ["service-start", "midterm-evaluation", "final-evaluation", "acceptance"]
    assert {k: (m["type"], m["status"]) for k, m in stones.items()} == {
        "service-start": ("delivery", "met"),
        "midterm-evaluation": ("assessment", "met"),
        "final-evaluation": ("assessment", "met"),
        "acceptance": ("approval", "met"),
    }
    assert stones["midterm-evaluation"]["dueDate"] == "2015-09-01T00:00:00+08:00"
    assert stones["final-evaluation"]["dueDate"] == "2016-02-29T00:00:00+08:00"
    assert stones["final-evaluation"]["description"].count(";") == 2  # three final evaluations, tripartite
    assert kit.EVALUATOR_NAME in stones["final-evaluation"]["description"]
    # at signing the evaluations are scheduled on the days the contract_signed event stored
    signed = package["releases"][5]
    assert {k: m["status"] for k, m in milestones(signed).items()} == {
        "service-start": "scheduled", "midterm-evaluation": "scheduled", "final-evaluation": "scheduled",
    }
    # no reviewBody, no evaluator party: evaluators are named in the milestones only
    assert {role for p in final["parties"] for role in p["roles"]} == {"buyer", "supplier"}


@needs_ocds
@pytest.mark.usefixtures("xiamen")
def test_failed_tender_re_tendered_and_an_award_that_fell_through(store: Any) -> None:
    proc = kit.xiamen_until(store, "approve_budget")
    on = date(2015, 2, 2)
    proc.execute(StartTender(**kit.meta(on), method=swp.ProcurementMethod.OPEN_TENDER,
                             purchase_form=swp.PurchaseForm.COMPREHENSIVE_PROJECT))
    proc.execute(FailTender(**kit.meta(on + timedelta(days=20)), reason="投标人不足三家,流标"))
    proc.execute(StartTender(**kit.meta(on + timedelta(days=22)), method=swp.ProcurementMethod.COMPETITIVE_CONSULTATION,
                             method_reason="公开招标流标后改为竞争性磋商", accept_undetermined="经办人已核实",
                             purchase_form=swp.PurchaseForm.COMPREHENSIVE_PROJECT))
    other = kit.xiamen_contractor(name="厦门市另一社会工作服务中心", uscc=None)
    proc.execute(Award(**kit.meta(on + timedelta(days=30)), contractor=other, amount=Decimal("123456789.01")))
    proc.execute(FailTender(**kit.meta(on + timedelta(days=31)), reason="成交供应商放弃成交"))
    proc.execute(StartTender(**kit.meta(on + timedelta(days=33)), method=swp.ProcurementMethod.SINGLE_SOURCE,
                             accept_undetermined="经办人已核实", purchase_form=swp.PurchaseForm.COMPREHENSIVE_PROJECT))
    proc.execute(Award(**kit.meta(on + timedelta(days=40)), contractor=kit.xiamen_contractor(),
                       amount=Decimal("480000.00")))
    proc.execute(kit.sign_command(on + timedelta(days=42), period=swp.ServicePeriod(date(2015, 4, 1), date(2016, 3, 31))))

    package = assert_valid_package(export(proc))
    assert [t for _, t in tags(package)][3:] == [
        ["tender"], ["tenderUpdate"], ["tender"], ["award"], ["awardCancellation", "tenderUpdate"], ["tender"],
        ["award"], ["contract"],
    ]
    by_tag = package["releases"]
    first_failure, second_tender, declined, third_tender = by_tag[4], by_tag[5], by_tag[7], by_tag[8]
    assert first_failure["tender"]["status"] == "unsuccessful"
    assert first_failure["tender"]["documents"][0]["description"] == "投标人不足三家,流标"
    assert second_tender["tender"]["id"] == "XM-1-tender-2"
    assert second_tender["tender"]["procurementMethod"] == "limited"
    assert second_tender["tender"]["procurementMethodDetails"] == "竞争性磋商"
    assert second_tender["tender"]["procurementMethodRationale"] == "公开招标流标后改为竞争性磋商"
    assert [a["status"] for a in declined["awards"]] == ["cancelled"]
    assert declined["tender"]["status"] == "unsuccessful"
    # the third round has no method reason: the release removes the second round's (OCDS: null)
    assert third_tender["tender"]["procurementMethodRationale"] is None
    assert third_tender["tender"]["procurementMethod"] == "direct"
    assert third_tender["tender"]["id"] == "XM-1-tender-3"

    final = last(package)
    assert [(a["id"], a["status"]) for a in final["awards"]] == [("XM-1-award-1", "cancelled"), ("XM-1-award-2", "active")]
    assert final["contracts"][0]["awardID"] == "XM-1-award-2"
    assert [d["id"] for d in final["tender"]["documents"]] == ["XM-1-tender-1-unsuccessful", "XM-1-tender-2-unsuccessful"]
    # a supplier without a USCC gets a local id; the one that declined stays a party (it was awarded)
    assert [(p["id"], p["roles"]) for p in final["parties"]] == [
        (f"CN-USCI-{kit.PURCHASER_USCC}", ["buyer"]),
        ("org-1", ["supplier"]),
        (f"CN-USCI-{kit.CONTRACTOR_USCC}", ["supplier"]),
    ]
    assert "identifier" not in final["parties"][1]

    # the amount is exact in the text, and read back exactly
    text = dumps_ocds(package)
    assert '"amount": 123456789.01,' in text
    assert json.loads(text, parse_float=Decimal)["releases"][6]["awards"][0]["value"]["amount"] == Decimal("123456789.01")


@needs_ocds
@pytest.mark.usefixtures("xiamen")
def test_terminated_contract(store: Any) -> None:
    proc = kit.xiamen_until(store, "midterm")
    proc.execute(Terminate(**kit.meta(date(2015, 10, 8)), reason="承接主体严重违约,解除合同"))
    package = assert_valid_package(export(proc))
    assert tags(package)[-1] == ("XM-1-v10", ["contractTermination"])
    final = last(package)
    (contract,) = final["contracts"]
    assert contract["status"] == "terminated"
    assert contract["documents"] == [
        {"id": "XM-1-contract-1-termination", "title": "合同解除的原因", "description": "承接主体严重违约,解除合同"}
    ]
    stones = milestones(final)
    assert stones["midterm-evaluation"]["status"] == "met"
    assert stones["final-evaluation"]["status"] == "notMet"  # it will never be held
    assert stones["final-evaluation"]["dateModified"] == "2015-10-08T00:00:00+08:00"
    assert "acceptance" not in stones


@needs_ocds
@pytest.mark.usefixtures("xiamen")
def test_cancelled_after_the_award(store: Any) -> None:
    proc = kit.xiamen_until(store, "award")
    proc.execute(Cancel(**kit.meta(date(2015, 2, 26)), reason="项目资金调整,取消采购"))
    package = assert_valid_package(export(proc))
    final = last(package)
    assert final["tag"] == ["tenderCancellation", "awardCancellation"]
    assert final["tender"]["status"] == "cancelled"
    assert final["awards"][0]["status"] == "cancelled"
    assert final["tender"]["documents"][0]["documentType"] == "cancellationDetails"
    assert "contracts" not in final


@needs_ocds
@pytest.mark.usefixtures("xiamen")
def test_failed_evaluations_change_the_milestone_status(store: Any) -> None:
    proc = kit.xiamen_until(store, "start_service")
    proc.execute(kit.evaluation_command(date(2015, 9, 1), kit.M, result=swp.EvaluationResult.FAIL))
    assert milestones(last(export(proc)))["midterm-evaluation"]["status"] == "notMet"
    proc.execute(kit.evaluation_command(date(2015, 9, 2), kit.M, evaluator="服务对象代表", role=Role.PURCHASER,
                                        actor="张主任", evaluator_role=swp.EvaluatorRole.SERVICE_RECIPIENT))
    package = assert_valid_package(export(proc))
    stone = milestones(last(package))["midterm-evaluation"]
    assert stone["status"] == "partiallyMet"
    assert "dateMet" not in stone
    proc.execute(kit.evaluation_command(date(2015, 9, 3), kit.M, evaluator="另一评估机构", result=None))
    assert milestones(last(export(proc)))["midterm-evaluation"]["description"].endswith("另一评估机构):结果未记录")


# --------------------------------------------------------------------------- identity and inputs


@pytest.mark.usefixtures("xiamen")
def test_release_ids_are_unique_and_stable(store: Any) -> None:
    proc = kit.xiamen_until(store, "sign_contract")
    early = export(proc)
    again = to_ocds_release_package(
        Procurement.open(store, kit.registry(), "XM-1").state, proc.history(), ocid_prefix=PREFIX, publisher=PUBLISHER
    )
    assert dumps_ocds(again) == dumps_ocds(early)  # the same history gives the same package, uri included
    for name, command in kit.xiamen_steps()[5:]:
        proc.execute(command)
        if name == "final":
            break
    later = export(proc)
    # a release, once written, never changes: later exports repeat the earlier releases exactly
    assert [dumps_ocds(r) for r in later["releases"][: len(early["releases"])]] == [
        dumps_ocds(r) for r in early["releases"]
    ]
    ids = [r["id"] for r in later["releases"]]
    assert len(ids) == len(set(ids))
    assert later["uri"] != early["uri"]


@pytest.mark.parametrize(
    "prefix",
    ["", "ocds-", "ocds-abc12", "ocds-abc1234", "ocds-ABC123", "OCDS-abc123", "ocds_abc123", " ocds-abc123",
     "ocds-abc123\n", "ocds-abc12-", "ocds-ａｂｃ123", None, 123],
)
def test_ocid_prefix_must_have_the_registered_form(prefix: Any) -> None:
    with pytest.raises(InvalidOcidPrefix, match="not an OCDS prefix"):
        validate_ocid_prefix(prefix)
    assert issubclass(InvalidOcidPrefix, swp.ProcurementError)
    assert issubclass(InvalidOcidPrefix, ValueError)


@pytest.mark.usefixtures("xiamen")
def test_the_prefix_is_required_and_checked_before_anything_else(store: Any) -> None:
    proc = kit.xiamen_until(store, "open")
    assert validate_ocid_prefix("ocds-0a1b2c") == "ocds-0a1b2c"
    with pytest.raises(InvalidOcidPrefix):
        to_ocds_release_package(proc, ocid_prefix="ocds-XM2015", publisher=PUBLISHER)
    with pytest.raises(TypeError):
        to_ocds_release_package(proc, publisher=PUBLISHER)  # type: ignore[call-arg]
    package = to_ocds_release_package(proc, ocid_prefix="ocds-0a1b2c", publisher=PUBLISHER)
    assert last(package)["ocid"] == "ocds-0a1b2c-XM-1"


@pytest.mark.usefixtures("xiamen")
def test_inputs_are_checked(store: Any) -> None:
    proc = kit.xiamen_until(store, "start_tender")
    other = kit.xiamen_until(store, "award", case_id="XM-2")
    with pytest.raises(TypeError, match="alone"):
        to_ocds_release_package(proc, proc.history(), ocid_prefix=PREFIX, publisher=PUBLISHER)
    with pytest.raises(TypeError, match="needs its history"):
        to_ocds_release_package(proc.state, ocid_prefix=PREFIX, publisher=PUBLISHER)
    with pytest.raises(ValueError, match="does not end in the state"):
        to_ocds_release_package(proc.state, proc.history()[:-1], ocid_prefix=PREFIX, publisher=PUBLISHER)
    with pytest.raises(ValueError, match="does not end in the state"):
        to_ocds_release_package(proc.state, other.history(), ocid_prefix=PREFIX, publisher=PUBLISHER)
    with pytest.raises(swp.InvalidHistory):
        to_ocds_release_package(proc.state, proc.history()[1:], ocid_prefix=PREFIX, publisher=PUBLISHER)
    with pytest.raises(ValueError, match="no history"):
        to_ocds_release_package(proc.state, (), ocid_prefix=PREFIX, publisher=PUBLISHER)
    with pytest.raises(TypeError):
        to_ocds_release_package(proc, ocid_prefix=PREFIX, publisher=42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="non-empty"):
        OcdsPublisher(name=" ")
    full = OcdsPublisher(name=PUBLISHER, scheme="CN-USCI", uid=kit.PURCHASER_USCC, uri="https://example.org/")
    package = to_ocds_release_package(
        proc, ocid_prefix=PREFIX, publisher=full, uri="https://example.org/ocds/XM-1.json",
        license="https://creativecommons.org/licenses/by/4.0/", publication_policy="https://example.org/policy",
    )
    assert package["publisher"] == {"name": PUBLISHER, "scheme": "CN-USCI", "uid": kit.PURCHASER_USCC,
                                    "uri": "https://example.org/"}
    assert list(package) == ["uri", "version", "publishedDate", "publisher", "license", "publicationPolicy", "releases"]
    if OCDS.is_dir():
        assert_valid_package(package)


# --------------------------------------------------------------------------- exact JSON


def test_amounts_are_exact_json_numbers() -> None:
    text = dumps_ocds({"amount": Decimal("123456789.01"), "currency": "CNY"}, indent=None)
    assert text == '{"amount": 123456789.01, "currency": "CNY"}'
    assert json.loads(text, parse_float=Decimal)["amount"] == Decimal("123456789.01")
    assert float(Decimal("123456789.01")) != Decimal("123456789.01")  # why floats are not an option
    assert dumps_ocds([Decimal("5E+3"), Decimal("0.10"), Decimal("-0.00")], indent=None) == "[5000, 0.10, -0.00]"


def test_json_dumps_refuses_the_package_by_design() -> None:
    with pytest.raises(TypeError, match="Decimal"):
        json.dumps({"amount": Decimal("1.00")})


@pytest.mark.parametrize("bad", [1.5, Decimal("NaN"), Decimal("Infinity"), {1: "x"}, object(), {"a": {1.0}}])
def test_dumps_ocds_refuses_what_is_not_exact_json(bad: Any) -> None:
    with pytest.raises((TypeError, ValueError)):
        dumps_ocds(bad)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4),
    max_leaves=20,
)


@given(value=_json, indent=st.sampled_from([None, 0, 2, 4]))
def test_dumps_ocds_writes_what_json_dumps_writes(value: Any, indent: int | None) -> None:
    assert dumps_ocds(value, indent=indent) == json.dumps(value, ensure_ascii=False, indent=indent)


@given(amount=st.decimals(min_value=-(10**15), max_value=10**15, allow_nan=False, allow_infinity=False, places=2))
def test_decimals_round_trip_exactly(amount: Decimal) -> None:
    text = dumps_ocds({"amount": amount})
    back = json.loads(text, parse_float=Decimal)["amount"]
    assert back == amount
    assert str(back) == str(amount) or isinstance(back, int)


# --------------------------------------------------------------------------- the command line


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exit_:  # argparse refusing the arguments
            code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.usefixtures("xiamen")
def test_cli_prints_the_release_package(tmp_path: Path) -> None:
    path = tmp_path / "cases.sqlite"
    s = kit.new_store(path)
    kit.xiamen_until(s, "close")
    s.close()
    code, out, err = run("case", "ocds", "XM-1", "--ocid-prefix", PREFIX, "--store", str(path))
    assert code == 0, err
    package = json.loads(out, parse_float=Decimal)
    assert package["publisher"] == {"name": kit.PURCHASER_NAME}  # the purchaser publishes its purchase
    assert last(package)["contracts"][0]["value"]["amount"] == Decimal("480000.00")
    assert '"amount": 480000.00' in out
    if OCDS.is_dir():
        assert_valid_package(package)
    code, out, _ = run("case", "ocds", "XM-1", "--ocid-prefix", PREFIX, "--store", str(path),
                       "--publisher", "厦门市民政局", "--uri", "https://example.org/XM-1.json")
    assert code == 0
    assert json.loads(out)["publisher"] == {"name": "厦门市民政局"}
    assert json.loads(out)["uri"] == "https://example.org/XM-1.json"


@pytest.mark.usefixtures("xiamen")
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["XM-1", "--ocid-prefix", "ocds-XM"], "'ocds-XM' is not an OCDS prefix"),
        (["NO-SUCH", "--ocid-prefix", PREFIX], "NO-SUCH"),
        (["XM-1", "--ocid-prefix", PREFIX, "--publisher", " "], "--publisher must not be empty"),
        (["XM-1"], "--ocid-prefix"),
    ],
)
def test_cli_refuses_with_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    path = tmp_path / "cases.sqlite"
    s = kit.new_store(path)
    kit.xiamen_until(s, "open")
    s.close()
    code, out, err = run("case", "ocds", *args, "--store", str(path), "--lang", "en")
    assert code == 2
    assert out == ""
    assert message in err
    assert "Traceback" not in err


def test_cli_without_a_store_is_exit_2(tmp_path: Path) -> None:
    code, out, err = run("case", "ocds", "XM-1", "--ocid-prefix", PREFIX, "--store", str(tmp_path / "none.sqlite"),
                         "--lang", "en")
    assert (code, out) == (2, "")
    assert "no store" in err
    assert not (tmp_path / "none.sqlite").exists()
    code, _, err = run("case", "ocds", "XM-1", "--ocid-prefix", "bad", "--store", str(tmp_path / "none.sqlite"))
    assert code == 2
    assert err.count("\n") == 1 and "not an OCDS prefix" in err


# --------------------------------------------------------------------------- random valid paths

REASON = "经办人已核实并记录"
SIDE_EXITS = frozenset({Action.CANCEL, Action.TERMINATE, Action.FAIL_TENDER, Action.RECORD_DISCLOSURE})
RESULTS = [swp.EvaluationResult.GOOD, swp.EvaluationResult.EXCELLENT, swp.EvaluationResult.FAIL, None]


def _command(data: st.DataObject, action: Action, day: date, proc: Procurement) -> Command:
    meta = kit.meta(day)
    state = proc.state
    match action:
        case Action.ASSESS_NEEDS:
            return AssessNeeds(**meta, summary="辖区服务需求摸底")
        case Action.APPROVE_BUDGET:
            amount = data.draw(st.decimals(min_value=1, max_value=10**9, places=2), label="budget")
            return kit.budget_command(day, amount=amount)
        case Action.START_TENDER:
            method = data.draw(st.sampled_from(list(swp.ProcurementMethod)), label="method")
            reason = data.draw(st.sampled_from([None, "因服务特殊性采用非公开方式"]), label="method_reason")
            return StartTender(**meta, method=method, method_reason=reason, accept_undetermined=REASON,
                               purchase_form=swp.PurchaseForm.COMPREHENSIVE_PROJECT)
        case Action.FAIL_TENDER:
            return FailTender(**meta, reason="流标")
        case Action.AWARD:
            uscc = data.draw(st.sampled_from([kit.CONTRACTOR_USCC, None]), label="uscc")
            name = kit.CONTRACTOR_NAME if uscc else data.draw(st.sampled_from(["甲社工中心", "乙社工中心"]))
            award = data.draw(st.sampled_from([None, Decimal("480000.00"), Decimal("0.01")]), label="award amount")
            return Award(**meta, contractor=kit.xiamen_contractor(name=name, uscc=uscc), amount=award)
        case Action.SIGN_CONTRACT:
            start = day + timedelta(days=2)
            return kit.sign_command(day, period=swp.ServicePeriod(start, start + relativedelta(years=1, days=-1)))
        case Action.START_SERVICE:
            return StartService(**kit.meta(day, actor="李社工", role=Role.CONTRACTOR))
        case Action.RECORD_MIDTERM_EVALUATION | Action.RECORD_FINAL_EVALUATION:
            stage = kit.M if action is Action.RECORD_MIDTERM_EVALUATION else kit.F
            result = data.draw(st.sampled_from(RESULTS), label="result")
            if data.draw(st.booleans(), label="third party"):
                return kit.evaluation_command(day, stage, result=result)
            return kit.evaluation_command(day, stage, result=result, role=Role.PURCHASER, actor="张主任",
                                          evaluator="服务对象代表", evaluator_role=swp.EvaluatorRole.SERVICE_RECIPIENT)
        case Action.ACCEPT:
            assert state.contract is not None and state.contract.service_period is not None
            return Accept(**kit.meta(max(day, state.contract.service_period.end)), accept_undetermined=REASON)
        case Action.CLOSE:
            return Close(**meta)
        case Action.CANCEL:
            return Cancel(**meta, reason="取消采购")
        case Action.TERMINATE:
            return Terminate(**meta, reason="违约解除")
        case Action.RECORD_DISCLOSURE:
            return RecordDisclosure(**meta, items=frozenset({swp.DisclosureItem.BUDGET}))
    raise AssertionError(action)  # pragma: no cover


@needs_ocds
@pytest.mark.usefixtures("xiamen")
@given(data=st.data())
def test_random_valid_lifecycles_export_valid_packages(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory(prefix="swp-ocds-") as folder:
        s = kit.new_store(Path(folder) / "cases.sqlite")
        try:
            ticks = iter(datetime(2015, 1, 20, tzinfo=UTC) + timedelta(minutes=i) for i in range(10_000))
            proc = Procurement.create(s, kit.registry(), "XM-R", kit.open_command(), clock=lambda: next(ticks))
            day = date(2015, 1, 20)
            for _ in range(40):
                if proc.state.is_final:
                    break
                # the main line more often than the side exits, so paths reach contracts and evaluations
                weighted = [a for a in sorted(proc.state.allowed_actions) for _ in range(1 if a in SIDE_EXITS else 10)]
                action = data.draw(st.sampled_from(weighted), label="action")
                day = max(day, proc.state.last_on) + timedelta(days=data.draw(st.integers(0, 40), label="days"))
                period = proc.state.contract.service_period if proc.state.contract else None
                if period is not None and action in (Action.RECORD_MIDTERM_EVALUATION, Action.RECORD_FINAL_EVALUATION):
                    day = max(day, period.start)
                try:
                    proc.execute(_command(data, action, day, proc))
                except swp.CommandRefused:
                    continue
            package = assert_valid_package(export(proc))
            event(f"ended {proc.state.status.value}")
            event(f"{len(package['releases']) // 5 * 5}+ releases")
            history = proc.history()
            silent = {"evaluation_fee_reserved", "disclosure_recorded"}
            assert len(package["releases"]) == sum(1 for e in history if e.event_type not in silent)
            assert package["releases"][0]["tag"] == ["planning"]
        finally:
            s.close()
