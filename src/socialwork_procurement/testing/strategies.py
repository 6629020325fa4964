"""Hypothesis strategies for every public type, respecting the attrs validators.

``st.from_type`` / ``st.builds`` ignore validators (they happily build ``Decimal('Infinity')``),
so these strategies build only valid values; :mod:`._hypothesis_plugin` registers them for
``st.from_type`` through Hypothesis's entry point, before anything resolves our types.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from typing import TypeVar

from hypothesis import strategies as st

from ..model._types import (
    AdminLevel,
    Case,
    CertifiedStaff,
    Contract,
    Contractor,
    ContractTerm,
    DisclosureItem,
    Evaluation,
    EvaluationGrade,
    EvaluationResult,
    EvaluationStage,
    EvaluatorRole,
    Governance,
    Installment,
    LegalForm,
    Planning,
    ProcurementMethod,
    PublicInstitutionCategory,
    PurchaseForm,
    Purchaser,
    PurchaserKind,
    ServiceDomain,
    ServicePeriod,
    Staff,
    Staffing,
    TargetGroup,
)
from ..model._uscc import USCC_ALPHABET, uscc_check_char

__all__ = [
    "amounts",
    "cases",
    "certified_staff",
    "contractors",
    "contracts",
    "dates",
    "evaluations",
    "governance",
    "installments",
    "plannings",
    "purchasers",
    "service_periods",
    "staff",
    "uscc_codes",
]

MIN_DATE = date(2010, 1, 1)
MAX_DATE = date(2030, 12, 31)


def dates(min_value: date = MIN_DATE, max_value: date = MAX_DATE) -> st.SearchStrategy[date]:
    """Calendar dates in the span the sources cover (2010-2030 by default)."""
    return st.dates(min_value=min_value, max_value=max_value)


def amounts(max_yuan: int = 100_000_000) -> st.SearchStrategy[Decimal]:
    """Non-negative ``Decimal`` yuan amounts exact to the fen, sometimes in exponent form (``5E+3``)."""
    exact = st.integers(min_value=0, max_value=max_yuan * 100).map(lambda fen: Decimal(fen).scaleb(-2))
    return exact | exact.map(lambda d: d.normalize())


_TYPE_CODES = ("11", "12", "13", "51", "52", "53", "91", "92", "93", "N1", "N2", "N3", "Y1")


@st.composite
def uscc_codes(draw: st.DrawFn, type_codes: tuple[str, ...] = _TYPE_CODES) -> str:
    """Valid Unified Social Credit Codes (correct check character) of the given type codes."""
    type_code = draw(st.sampled_from(type_codes))
    division = draw(st.text("0123456789", min_size=6, max_size=6))
    body = draw(st.text(USCC_ALPHABET, min_size=9, max_size=9))
    first17 = type_code + division + body
    return first17 + uscc_check_char(first17)


_T = TypeVar("_T")


def _opt(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    return st.none() | strategy


_counts = st.integers(min_value=0, max_value=500)
_bools = st.booleans()
_names = st.text(st.characters(codec="utf-8", categories=("L", "N")), min_size=1, max_size=12)


def certified_staff() -> st.SearchStrategy[CertifiedStaff]:
    return st.builds(
        CertifiedStaff,
        assistant_social_worker=_opt(_counts),
        social_worker=_opt(_counts),
        senior_social_worker=_opt(_counts),
    )


def staff() -> st.SearchStrategy[Staff]:
    return st.builds(
        Staff,
        full_time=_opt(_counts),
        social_work_professionals=_opt(_counts),
        certified=_opt(certified_staff()),
        professional_team=_opt(_bools),
        mainly_social_work_professionals=_opt(_bools),
    )


def governance() -> st.SearchStrategy[Governance]:
    return st.builds(
        Governance,
        internal_governance=_opt(_bools),
        bylaws=_opt(_bools),
        public_credibility=_opt(_bools),
        operating_capacity=_opt(_bools),
        professional_service_capacity=_opt(_bools),
    )


def purchasers() -> st.SearchStrategy[Purchaser]:
    return st.builds(
        Purchaser,
        name=_names,
        kind=st.sampled_from(PurchaserKind),
        level=_opt(st.sampled_from(AdminLevel)),
        region=_opt(st.sampled_from(["河南省", "厦门市", "宁夏回族自治区", "350200"])),
        budget_funded=_opt(_bools),
        state_owned_funded=_opt(_bools),
        public_service_duties=_opt(_bools),
        public_institution_category=_opt(st.sampled_from(PublicInstitutionCategory)),
        civil_service_managed=_opt(_bools),
        staffing=_opt(st.sampled_from(Staffing)),
        uscc=_opt(uscc_codes(("11", "12", "13"))),
    )


@st.composite
def contractors(draw: st.DrawFn) -> Contractor:
    """Contractors of every legal form; grade dates only where a grade is given."""
    grade = draw(_opt(st.sampled_from(EvaluationGrade)))
    awarded = draw(_opt(dates())) if grade is not None else None
    return Contractor(
        name=draw(_names),
        legal_form=draw(st.sampled_from(LegalForm)),
        uscc=draw(_opt(uscc_codes())),
        independent_legal_person=draw(_opt(_bools)),
        lawfully_registered=draw(_opt(_bools)),
        non_profit=draw(_opt(_bools)),
        public_welfare=draw(_opt(_bools)),
        budget_funded=draw(_opt(_bools)),
        public_institution_category=draw(_opt(st.sampled_from(PublicInstitutionCategory))),
        registration_date=draw(_opt(dates())),
        evaluation_grade=grade,
        grade_awarded_on=awarded,
        staff=draw(_opt(staff())),
        governance=draw(_opt(governance())),
        has_required_capacity=draw(_opt(_bools)),
    )


@st.composite
def service_periods(draw: st.DrawFn) -> ServicePeriod:
    start = draw(dates(max_value=date(2028, 12, 31)))
    length = draw(st.integers(min_value=0, max_value=4 * 366))
    return ServicePeriod(start, start + timedelta(days=length))


def installments() -> st.SearchStrategy[Installment]:
    return st.builds(Installment, due=dates(), amount=amounts(1_000_000))


@st.composite
def contracts(draw: st.DrawFn) -> Contract:
    """Contracts whose installments never exceed the amount."""
    amount = draw(_opt(amounts(10_000_000)))
    parts: tuple[Installment, ...] = ()
    if amount is not None:
        n = draw(st.integers(min_value=0, max_value=3))
        if n:
            share = (amount / n).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
            due = draw(dates())
            parts = tuple(Installment(due + timedelta(days=90 * i), share) for i in range(n))
    return Contract(
        purchaser=draw(_opt(_names)),
        contractor=draw(_opt(_names)),
        subject_matter=draw(_opt(_names)),
        purchase_form=draw(_opt(st.sampled_from(PurchaseForm))),
        procurement_method=draw(_opt(st.sampled_from(ProcurementMethod))),
        procurement_method_reason=draw(_opt(_names)),
        long_term_basis=draw(_opt(_names)),
        amount=amount,
        service_period=draw(_opt(service_periods())),
        installments=parts,
        stated_terms=draw(_opt(st.frozensets(st.sampled_from(ContractTerm)))),
        written=draw(_opt(_bools)),
        signed_on=draw(_opt(dates())),
        service_domains=draw(st.frozensets(st.sampled_from(ServiceDomain), max_size=3)),
        target_groups=draw(st.frozensets(st.sampled_from(TargetGroup), max_size=3)),
    )


def evaluations() -> st.SearchStrategy[Evaluation]:
    return st.builds(
        Evaluation,
        stage=st.sampled_from(EvaluationStage),
        evaluator=_names,
        evaluator_role=st.sampled_from(EvaluatorRole),
        date=dates(),
        result=_opt(st.sampled_from(EvaluationResult)),
        score=_opt(st.integers(min_value=0, max_value=10000).map(lambda n: Decimal(n).scaleb(-2))),
        evaluator_uscc=_opt(uscc_codes()),
    )


def plannings() -> st.SearchStrategy[Planning]:
    return st.builds(
        Planning,
        needs_assessment=_opt(_bools),
        cost_accounting=_opt(_bools),
        targets_quantity=_opt(_bools),
        targets_scale=_opt(_bools),
        targets_quality=_opt(_bools),
        targets_effect=_opt(_bools),
        budget=_opt(amounts()),
    )


def cases() -> st.SearchStrategy[Case]:
    """Cases with any combination of parts present."""
    return st.builds(
        Case,
        purchaser=_opt(purchasers()),
        contractor=_opt(contractors()),
        contract=_opt(contracts()),
        planning=_opt(plannings()),
        evaluations=st.lists(evaluations(), max_size=3).map(tuple),
        published=_opt(st.frozensets(st.sampled_from(DisclosureItem))),
    )
