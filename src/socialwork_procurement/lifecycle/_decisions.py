"""Decisions: the events an admitted command appends, one function per command type.

A decision runs after the command's guard (:func:`~._guards.admit`) let it through, and only
builds events: from the command, the case's state and the guard's :class:`~._guards.Ruling`
(the facts the rules judged, the :class:`~socialwork_procurement.RuleBasis`, the fee answer). It
never refuses and never asks the registry again, so what an event records is exactly what was
checked. :data:`DECISIONS` holds them by command type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, Final, TypedDict, TypeVar

import attrs

from ..model._types import Evaluation, ServicePeriod
from ..rules._schedule import EvaluationSchedule, evaluation_schedule
from ._commands import (
    Accept,
    ApproveBudget,
    AssessNeeds,
    Award,
    Cancel,
    Close,
    Command,
    FailTender,
    OpenCase,
    RecordDisclosure,
    RecordEvaluation,
    SignContract,
    StartService,
    StartTender,
    Terminate,
)
from ._events import (
    BudgetApproved,
    CaseAccepted,
    CaseCancelled,
    CaseClosed,
    CaseOpened,
    ContractorAwarded,
    ContractSigned,
    ContractTerminated,
    DisclosureRecorded,
    EvaluationFeeReserved,
    EvaluationRecorded,
    Event,
    NeedsAssessed,
    RuleBasis,
    ServiceStarted,
    TenderFailed,
    TenderStarted,
)
from ._fold import ProcurementState
from ._guards import CALENDAR_CYCLE, Ruling
from ._machine import Role

__all__ = ["DECISIONS", "Decide", "schedule_a_cycle_earlier"]

_C = TypeVar("_C", bound=Command)

Decide = Callable[[ProcurementState | None, _C, Ruling], tuple[Event, ...]]
"""``(state, command, ruling) -> events``; ``state`` is ``None`` only when opening."""


class _MetaKw(TypedDict):
    actor: str
    role: Role
    on: date
    reason: str | None


def _meta(command: Command) -> _MetaKw:
    return {"actor": command.actor, "role": command.role, "on": command.on, "reason": command.reason}


def _basis(ruling: Ruling) -> RuleBasis:
    assert ruling.basis is not None, "the guard of a step that records its basis asks the rules"
    return ruling.basis


def _open(_state: ProcurementState | None, command: OpenCase, ruling: Ruling) -> tuple[Event, ...]:
    return (
        CaseOpened(
            **_meta(command),
            region=command.region,
            title=command.title,
            purchaser=command.purchaser,
            basis=_basis(ruling),
        ),
    )


def _assess_needs(_state: ProcurementState | None, command: AssessNeeds, _ruling: Ruling) -> tuple[Event, ...]:
    return (
        NeedsAssessed(
            **_meta(command),
            summary=command.summary,
            target_groups=command.target_groups,
            service_domains=command.service_domains,
        ),
    )


def _approve_budget(_state: ProcurementState | None, command: ApproveBudget, ruling: Ruling) -> tuple[Event, ...]:
    assert ruling.case is not None
    assert ruling.case.planning is not None
    return (BudgetApproved(**_meta(command), planning=ruling.case.planning, basis=_basis(ruling)),)


def _start_tender(_state: ProcurementState | None, command: StartTender, ruling: Ruling) -> tuple[Event, ...]:
    return (
        TenderStarted(
            **_meta(command),
            method=command.method,
            method_reason=command.method_reason,
            subject_matter=command.subject_matter,
            purchase_form=command.purchase_form,
            contractor_conditions_non_discriminatory=command.contractor_conditions_non_discriminatory,
            basis=_basis(ruling),
        ),
    )


def _fail_tender(_state: ProcurementState | None, command: FailTender, _ruling: Ruling) -> tuple[Event, ...]:
    return (TenderFailed(**_meta(command)),)


def _award(_state: ProcurementState | None, command: Award, ruling: Ruling) -> tuple[Event, ...]:
    return (
        ContractorAwarded(**_meta(command), contractor=command.contractor, amount=command.amount, basis=_basis(ruling)),
    )


def _sign_contract(_state: ProcurementState | None, command: SignContract, ruling: Ruling) -> tuple[Event, ...]:
    assert ruling.case is not None
    assert ruling.case.contract is not None
    signed = ContractSigned(
        **_meta(command),
        contract=ruling.case.contract,
        schedule=attrs.evolve(_schedule(command.service_period), midterm_required=_asked(ruling.midterm_required)),
        basis=_basis(ruling),
    )
    return signed, _fee_reserved(command, ruling)


def _asked(midterm_required: bool | None) -> bool:
    assert midterm_required is not None, "signing asks the evaluation schedule"
    return midterm_required


def _schedule(period: ServicePeriod) -> EvaluationSchedule:
    """:func:`~socialwork_procurement.evaluation_schedule`, total over ``date``'s range.

    It counts the period's months up to the day after its end, which does not exist for a
    period ending 9999-12-31 (``OverflowError`` in ``rules/_schedule.py``). Such a period is
    scheduled one calendar cycle earlier (:func:`schedule_a_cycle_earlier`); the guard refuses
    the few it cannot (:func:`~._guards.schedulable`).
    """
    try:
        return evaluation_schedule(period)
    except OverflowError:
        return schedule_a_cycle_earlier(period)


def schedule_a_cycle_earlier(period: ServicePeriod) -> EvaluationSchedule:
    """The schedule of ``period`` computed 400 years earlier and moved back.

    The Gregorian calendar repeats every 400 years (146,097 days, a whole number of weeks: the
    same months, month lengths and leap days), so this is the schedule the policy gives,
    day for day; it needs the period to start after the year 400.
    """
    earlier = evaluation_schedule(ServicePeriod(period.start - CALENDAR_CYCLE, period.end - CALENDAR_CYCLE))
    return EvaluationSchedule(midterm=earlier.midterm + CALENDAR_CYCLE, final=earlier.final + CALENDAR_CYCLE)


def _fee_reserved(command: SignContract, ruling: Ruling) -> EvaluationFeeReserved:
    meta = _meta(command)
    base = command.evaluation_fee_base
    if ruling.fee_conflict is not None:
        exc = ruling.fee_conflict
        return EvaluationFeeReserved(
            **meta,
            base_amount=base,
            fee=None,
            rule_id=None,
            reason_zh=f"评估费用规则冲突,未预留:{exc}",
            reason_en=f"the evaluation-fee rules conflict, nothing reserved: {exc}",
        )
    answer = ruling.fee
    assert answer is not None, "signing asks the evaluation fee"
    if base is None:
        return EvaluationFeeReserved(
            **meta,
            base_amount=None,
            fee=None,
            reason_zh=answer.reason_zh,
            reason_en=answer.reason_en,
        )
    return EvaluationFeeReserved(
        **meta,
        base_amount=base,
        fee=answer.fee,
        rule_id=answer.rule.rule_id if answer.rule else None,
        pack=answer.pack,
        reason_zh=answer.reason_zh,
        reason_en=answer.reason_en,
    )


def _start_service(_state: ProcurementState | None, command: StartService, _ruling: Ruling) -> tuple[Event, ...]:
    return (ServiceStarted(**_meta(command)),)


def _record_evaluation(_state: ProcurementState | None, command: RecordEvaluation, ruling: Ruling) -> tuple[Event, ...]:
    assert ruling.case is not None
    evaluation: Evaluation = ruling.case.evaluations[-1]  # the one the rules judged
    return (EvaluationRecorded(**_meta(command), evaluation=evaluation, basis=ruling.basis),)


def _accept(_state: ProcurementState | None, command: Accept, ruling: Ruling) -> tuple[Event, ...]:
    return (CaseAccepted(**_meta(command), basis=_basis(ruling)),)


def _close(_state: ProcurementState | None, command: Close, _ruling: Ruling) -> tuple[Event, ...]:
    return (CaseClosed(**_meta(command)),)


def _cancel(_state: ProcurementState | None, command: Cancel, _ruling: Ruling) -> tuple[Event, ...]:
    return (CaseCancelled(**_meta(command)),)


def _terminate(_state: ProcurementState | None, command: Terminate, _ruling: Ruling) -> tuple[Event, ...]:
    return (ContractTerminated(**_meta(command)),)


def _record_disclosure(
    _state: ProcurementState | None, command: RecordDisclosure, _ruling: Ruling
) -> tuple[Event, ...]:
    return (DisclosureRecorded(**_meta(command), items=command.items, where=command.where),)


DECISIONS: Final[Mapping[type[Command], Decide[Any]]] = {
    OpenCase: _open,
    AssessNeeds: _assess_needs,
    ApproveBudget: _approve_budget,
    StartTender: _start_tender,
    FailTender: _fail_tender,
    Award: _award,
    SignContract: _sign_contract,
    StartService: _start_service,
    RecordEvaluation: _record_evaluation,
    Accept: _accept,
    Close: _close,
    Cancel: _cancel,
    Terminate: _terminate,
    RecordDisclosure: _record_disclosure,
}
"""The decision of every command type."""
