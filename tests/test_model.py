"""Domain types validate at construction: money, dates, counts, USCC."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import socialwork_procurement as swp


def test_money_refuses_float_negative_and_sub_fen() -> None:
    with pytest.raises(TypeError):
        swp.Contract(amount=1.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        swp.Contract(amount=Decimal("-1"))
    with pytest.raises(ValueError, match="fen"):
        swp.Contract(amount=Decimal("1.555"))
    with pytest.raises(ValueError, match="finite"):
        swp.Contract(amount=Decimal("Infinity"))
    assert swp.Contract(amount=Decimal("1.50")).amount == Decimal("1.5")


def test_parse_yuan_is_strict() -> None:
    assert swp.parse_yuan("500000") == Decimal("500000.00")
    assert str(swp.parse_yuan("12.3")) == "12.30"
    for bad in (1.5, True, "1,000", "1.001", "abc", None):
        with pytest.raises((TypeError, ValueError)):
            swp.parse_yuan(bad)


def test_quantize_declares_its_rounding() -> None:
    assert swp.DEFAULT_ROUNDING == "ROUND_HALF_UP"
    assert swp.quantize_fen(Decimal("0.005")) == Decimal("0.01")
    assert swp.quantize_fen(Decimal("0.005"), "ROUND_HALF_EVEN") == Decimal("0.00")


def test_service_period_and_installments() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        swp.ServicePeriod(date(2015, 3, 1), date(2015, 2, 1))
    period = swp.ServicePeriod(date(2015, 3, 1), date(2016, 2, 29))
    assert date(2016, 2, 29) in period and date(2016, 3, 1) not in period
    assert period.days == 366
    with pytest.raises(ValueError, match="exceeds"):
        swp.Contract(
            amount=Decimal(100),
            installments=(swp.Installment(date(2015, 3, 1), Decimal(60)), swp.Installment(date(2015, 9, 1), Decimal(41))),
        )


def test_counts_are_whole_non_negative_numbers() -> None:
    with pytest.raises(TypeError):
        swp.Staff(full_time=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        swp.Staff(full_time=-1)
    assert swp.CertifiedStaff(1, 2, None).total is None
    assert swp.CertifiedStaff(1, 2, 3).total == 6


def test_uscc_is_normalised_and_checked() -> None:
    c = swp.Contractor(name="某社工中心", legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, uscc="９１３５０１００-Ｍ０００１００Ｙ４３")
    assert c.uscc == "91350100M000100Y43"
    with pytest.raises(swp.InvalidUscc):
        swp.Contractor(name="x", legal_form=swp.LegalForm.ENTERPRISE, uscc="91350100M000100Y4Z")


def test_grade_date_needs_a_grade() -> None:
    with pytest.raises(ValueError, match="evaluation_grade"):
        swp.Contractor(name="x", legal_form=swp.LegalForm.FOUNDATION, grade_awarded_on=date(2015, 1, 1))


def test_grade_validity_is_five_years_with_clamped_month_ends() -> None:
    assert swp.grade_valid_on(date(2015, 6, 1), date(2020, 5, 31))
    assert not swp.grade_valid_on(date(2015, 6, 1), date(2020, 6, 1))
    # 29 Feb has no corresponding day five years on: the term ends on that month's last day.
    assert swp.grade_valid_on(date(2016, 2, 29), date(2021, 2, 28))
    assert not swp.grade_valid_on(date(2016, 2, 29), date(2021, 3, 1))
    assert not swp.grade_valid_on(date(2016, 2, 29), date(2016, 2, 28))


def test_indicator_assessment() -> None:
    ind = swp.Indicator(
        indicator_id="x.ratio", rule_id="x.target.ratio", region="x", description_zh="每千人1名",
        description_en="1 per 1,000", target=Decimal(1), unit="people", due=date(2025, 12, 31),
        per=Decimal(1000), per_unit="older people",
    )
    result = ind.assess(Decimal(900), denominator=Decimal(1_000_000))
    assert not result.met and result.value == Decimal("0.9") and result.shortfall == Decimal("0.1")
    assert ind.assess(1000, denominator=1_000_000).met
    with pytest.raises(ValueError, match="denominator"):
        ind.assess(10)
    with pytest.raises(TypeError):
        ind.assess(1.5, denominator=1000)  # type: ignore[arg-type]


def test_issue_8_facts_validate_at_construction() -> None:
    from socialwork_procurement.model._types import Attestation, NegativeListItem

    with pytest.raises(TypeError):
        swp.Contract(budget_secured="yes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        swp.Contract(negative_list_items={NegativeListItem.FINANCING})  # type: ignore[arg-type]  # a set, not frozenset
    assert swp.Contract(negative_list_items=frozenset()).negative_list_items == frozenset()
    with pytest.raises(ValueError, match="condition key"):
        Attestation(condition="specific conditions", attested_by="x", basis="y", date=date(2021, 1, 1))
    with pytest.raises(ValueError, match="must not be empty"):
        Attestation(condition="a.b", attested_by=" ", basis="y", date=date(2021, 1, 1))
    one = Attestation(condition="a.b", attested_by="x", basis="y", date=date(2021, 1, 1))
    with pytest.raises(ValueError, match="more than once"):
        swp.Case(attestations=(one, one))
    with pytest.raises(TypeError):
        swp.Case(attestations=[one])  # type: ignore[arg-type]
