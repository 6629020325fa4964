"""Where may we bid: one contractor checked in every installed region, with each region's evaluation fee."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

import socialwork_procurement as swp
from socialwork_procurement.cli._main import main
from socialwork_procurement.screening import where
from socialwork_procurement.testing import strategies as sst

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "docs" / "examples" / "xiamen-case.json"
PILOT = date(2015, 3, 1)


@pytest.fixture(scope="module")
def registry() -> swp.Registry:
    return swp.load_registry()


def _example() -> swp.Case:
    return swp.loads(EXAMPLE.read_text(encoding="utf-8"), swp.Case)


@settings(max_examples=20)
@given(contractor=sst.contractors(), on=sst.dates())
def test_every_region_has_a_row_that_is_its_registry_check(
    registry: swp.Registry, contractor: swp.Contractor, on: date
) -> None:
    rows = where(contractor, on=on, registry=registry)
    regions = [r.code for r in registry.regions() if r.code != swp.NATIONAL]
    assert [row.region for row in rows] == regions
    for row in rows:
        verdict = registry.check(swp.Case(contractor=contractor), region=row.region, on=on)
        assert row.verdict == verdict
        assert row.decision is verdict.decision
        assert row.failed == tuple(f.rule_id for f in verdict.failures)
        assert row.unknown == tuple(f.rule_id for f in verdict.unknowns)
        for finding in verdict.unknowns:  # every unknown's deciding facts are listed
            facts = getattr(finding, "deciding", ()) or ()
            assert {f.path for f in facts} or {finding.path} <= set(row.deciding)


def test_the_fee_where_a_rule_sets_one_and_not_specified_elsewhere(registry: swp.Registry) -> None:
    rows = {row.region: row for row in where(_example(), on=PILOT, registry=registry)}
    xiamen = rows["xiamen"].fee
    answer = registry.evaluation_fee(region="xiamen", base_amount=Decimal("500000.00"), on=PILOT)
    assert answer.rule is not None
    assert (xiamen.rule_id, xiamen.amount) == (answer.rule.rule_id, answer.fee)
    assert xiamen.amount == Decimal("15000.00") and xiamen.rate == Decimal("0.03")
    assert xiamen.base_zh == "总购买资金"
    henan = rows["henan"].fee
    reason = registry.evaluation_fee(region="henan", base_amount=Decimal("500000.00"), on=PILOT)
    assert henan.rule_id is None and henan.amount is None
    assert (henan.note_zh, henan.note_en) == (reason.reason_zh, reason.reason_en)
    assert henan.note("en")


def test_without_an_amount_the_fee_rule_is_named_but_no_fee_is_made_up(registry: swp.Registry) -> None:
    contractor = _example().contractor
    assert contractor is not None
    row = next(r for r in where(contractor, on=PILOT, registry=registry) if r.region == "xiamen")
    assert row.fee.rule_id is not None and row.fee.rate == Decimal("0.03")
    assert row.fee.amount is None


def test_purchase_form_is_set_on_the_contract_and_the_amount_is_the_fee_base(registry: swp.Registry) -> None:
    contractor = _example().contractor
    assert contractor is not None
    rows = where(
        contractor, on=PILOT, registry=registry, purchase_form=swp.PurchaseForm.POST, amount=Decimal("100000")
    )
    xiamen = next(r for r in rows if r.region == "xiamen")
    contract = xiamen.verdict.findings  # the contract's rules now apply
    assert any(f.rule_id == "xiamen.form.projects" and f.outcome is swp.Outcome.FAIL for f in contract)
    assert xiamen.fee.amount == Decimal("3000.00")
    assert xiamen.verdict.findings == registry.check(
        swp.Case(contractor=contractor, contract=swp.Contract(purchase_form=swp.PurchaseForm.POST)),
        region="xiamen", on=PILOT,
    ).findings  # the amount is not a fact of the case
    with pytest.raises(TypeError):
        where(contractor, on=PILOT, registry=registry, amount=100000.0)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        where(contractor, on=PILOT, registry=registry, amount=Decimal("-1"))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_where_json(capsys: pytest.CaptureFixture[str], registry: swp.Registry) -> None:
    code, out, _ = _run(capsys, "where", str(EXAMPLE), "--on", "2015-03-01", "--format", "json", "--lang", "en")
    assert code == 0
    rows = {r["region"]: r for r in json.loads(out)}
    assert set(rows) == {r.code for r in registry.regions()} - {swp.NATIONAL}
    assert rows["xiamen"]["decision"] == "eligible"
    assert rows["xiamen"]["fee"] == {
        "rule_id": "xiamen.evaluation.fee_3pct", "rate": "0.03", "base": "total purchase funds",
        "amount": "15000.00", "note": None,
    }
    assert rows["henan"]["fee"]["amount"] is None and rows["henan"]["fee"]["note"]


def test_cli_where_text_table_and_a_contractor_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    contractor: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))["contractor"]
    path = tmp_path / "contractor.json"
    path.write_text(json.dumps(contractor, ensure_ascii=False), encoding="utf-8")
    code, out, _ = _run(capsys, "where", str(path), "--on", "2015-03-01", "--amount", "200000")
    assert code == 0
    header, *lines = out.splitlines()
    assert header.split()[:3] == ["地区", "名称", "结论"]
    xiamen = next(line for line in lines if line.startswith("xiamen"))
    assert "厦门市" in xiamen and "符合" in xiamen and "6000.00" in xiamen
    code, out, _ = _run(capsys, "where", str(path), "--on", "2015-03-01", "--lang", "en", "--purchase-form", "post_purchase")
    assert code == 0 and "Xiamen" in out and "not specified" in out


def test_cli_where_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"name": "某", "legal_form": "charity"}), encoding="utf-8")
    code, _, err = _run(capsys, "where", str(path), "--on", "2015-03-01")
    assert code == 2 and "$.contractor.legal_form" in err
    code, _, err = _run(capsys, "where", str(EXAMPLE), "--amount", "1.234")
    assert code == 2 and "--amount" in err
    path.write_text("[1]", encoding="utf-8")
    code, _, err = _run(capsys, "where", str(path))
    assert code == 2 and "Traceback" not in err
