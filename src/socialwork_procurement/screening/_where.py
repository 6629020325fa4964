"""Where may we bid: one contractor (and optionally a purchase form and amount) checked in every installed region."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from .._errors import RuleConflict
from ..model._money import check_fen_exact
from ..model._types import Case, Contract, Contractor, PurchaseForm
from ..rules._registry import NATIONAL, Registry
from ..rules._rules import Decision, Verdict
from ._screen import Screener


@attrs.frozen
class WhereFee:
    """The evaluation fee (评估费用) of one region on the day asked: a rule's fee, or an explicit «not specified»."""

    rule_id: str | None
    """The fee rule in force; ``None`` where no rule sets a fee."""
    rate: Decimal | None
    """Its rate (``0.03``); ``None`` without a rule."""
    base_zh: str | None
    base_en: str | None
    """What the rate applies to, as the source words it (总购买资金)."""
    amount: Decimal | None
    """The fee on the amount given, to the fen; ``None`` without an amount or without a rule."""
    note_zh: str | None
    note_en: str | None
    """Why there is no fee: the region's sources set none (the silence), or two rules disagree."""

    def note(self, lang: str) -> str | None:
        return self.note_zh if lang == "zh" else self.note_en


@attrs.frozen
class WhereRow:
    """One region's answer for the contractor."""

    region: str
    name_zh: str
    name_en: str
    decision: Decision
    failed: tuple[str, ...]
    unknown: tuple[str, ...]
    deciding: tuple[str, ...]
    """Input paths of the facts that would decide the unknowns."""
    conflicts: tuple[tuple[str, str], ...]
    fee: WhereFee
    verdict: Verdict

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" else self.name_en


def where_case(case: Case | Contractor, *, purchase_form: PurchaseForm | None = None) -> Case:
    """The case ``where`` checks: ``case`` (or a case of the contractor alone) with ``purchase_form`` set on its
    contract (a contract holding only the form when the case has none, so the contract's rules apply and
    name the facts they need)."""
    if isinstance(case, Contractor):
        case = Case(contractor=case)
    if not isinstance(case, Case):
        raise TypeError(f"expected a Case or a Contractor, got {type(case).__name__}")
    if purchase_form is None:
        return case
    contract = case.contract if case.contract is not None else Contract()
    return attrs.evolve(case, contract=attrs.evolve(contract, purchase_form=purchase_form))


def where(
    case: Case | Contractor,
    *,
    on: date,
    national: bool = True,
    registry: Registry | None = None,
    purchase_form: PurchaseForm | None = None,
    amount: Decimal | None = None,
) -> tuple[WhereRow, ...]:
    """Check one contractor (or a whole case) in every installed region on ``on``, a row per region.

    ``purchase_form`` is set on the case's contract (see :func:`where_case`). ``amount`` (default: the
    contract's amount) is only the base of each region's evaluation fee, never a fact of the case;
    the fee is ``None`` with the region's reason where its sources set none. The national layer is
    checked within every region (unless ``national=False``), not as a row of its own.
    """
    from ..rules._plugins import load_registry

    checked = where_case(case, purchase_form=purchase_form)
    if amount is not None:
        if not isinstance(amount, Decimal):
            raise TypeError("amount must be a Decimal amount in yuan")
        check_fen_exact(amount)
        if amount < 0:
            raise ValueError(f"amount must not be negative: {amount}")
    registry = registry if registry is not None else load_registry(national=national)
    base = amount if amount is not None else (checked.contract.amount if checked.contract is not None else None)
    rows: list[WhereRow] = []
    for region in registry.regions():
        if region.code == NATIONAL:
            continue
        screener = Screener(registry, region=region.code, on=on, national=national, full=True)
        verdict = screener.check(checked)
        result = screener.result(verdict, checked, index=0)
        rows.append(
            WhereRow(
                region=region.code,
                name_zh=region.name_zh,
                name_en=region.name_en,
                decision=verdict.decision,
                failed=result.failed,
                unknown=result.unknown,
                deciding=result.deciding,
                conflicts=result.conflicts,
                fee=_fee(registry, region.code, on, national, base),
                verdict=verdict,
            )
        )
    return tuple(rows)


def _fee(registry: Registry, region: str, on: date, national: bool, base: Decimal | None) -> WhereFee:
    try:
        # Without an amount the base is 0 only to learn which rule (or silence) answers; no fee is shown.
        answer = registry.evaluation_fee(
            region=region, base_amount=base if base is not None else Decimal(0), on=on, national=national
        )
    except RuleConflict as exc:
        return WhereFee(
            None, None, None, None, None, f"评估费用规则相互冲突:{exc}", f"evaluation-fee rules disagree: {exc}"
        )
    rule = answer.rule
    if rule is None or rule.fee is None:
        return WhereFee(None, None, None, None, None, answer.reason_zh, answer.reason_en)
    return WhereFee(
        rule_id=rule.rule_id,
        rate=rule.fee.rate,
        base_zh=rule.fee.base_zh,
        base_en=rule.fee.base_en,
        amount=answer.fee if base is not None else None,
        note_zh=None,
        note_en=None,
    )
