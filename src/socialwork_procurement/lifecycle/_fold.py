"""The fold: a purchase's state, and how each event changes it.

The state of a purchase is only ever the fold of its events: :func:`evolve` applies one event,
:func:`replay` decodes stored events and folds them. Each event type is folded by one entry of
:data:`_FOLDS`, declared with the machine action it records, so a new event adds one entry here
and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Final, TypeVar

import attrs

from .._errors import ProcurementError
from ..model._types import (
    Case,
    Contract,
    Contractor,
    DisclosureItem,
    Evaluation,
    EvaluationStage,
    Planning,
    Purchaser,
    ServiceDomain,
    TargetGroup,
)
from ..rules._schedule import EvaluationSchedule
from ..store._protocol import StoredEvent
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
    ServiceStarted,
    TenderFailed,
    TenderStarted,
    decode_event,
)
from ._machine import MACHINE, Action, State

__all__ = [
    "STATE_TYPE",
    "EvaluationFee",
    "InvalidHistory",
    "ProcurementState",
    "evolve",
    "replay",
]

STATE_TYPE: Final = "socialwork_procurement.ProcurementState/1"
"""``Snapshot.state_type`` of the snapshots this version writes and reads; bump it whenever
:class:`ProcurementState` changes shape (older snapshots are then ignored and rebuilt)."""


class InvalidHistory(ProcurementError, ValueError):
    """Stored events that the machine does not allow in that order (a bug or a forged history)."""


@attrs.frozen(kw_only=True)
class EvaluationFee:
    """The evaluation fee reserved at signing, or «not specified» (``fee=None``) and why."""

    base_amount: Decimal | None
    fee: Decimal | None
    rule_id: str | None = None
    pack: str | None = None
    reason_zh: str | None = None
    reason_en: str | None = None


@attrs.frozen(kw_only=True)
class ProcurementState:
    """A purchase as its events left it. Built only by :func:`evolve`; never edit one.

    ``contract`` holds the purchase's contract facts as far as they are known: the method from
    the tender, the contractor's name from the award, everything else once signed
    (``contract.signed_on`` is set then).
    """

    case_id: str
    version: int
    status: State
    region: str
    title: str
    opened_on: date
    last_on: date
    """The day of the latest step; a new step may not be dated before it."""
    purchaser: Purchaser
    needs_summary: str | None = None
    target_groups: frozenset[TargetGroup] = frozenset()
    service_domains: frozenset[ServiceDomain] = frozenset()
    planning: Planning | None = None
    tender_rounds: int = 0
    contractor: Contractor | None = None
    award_amount: Decimal | None = None
    contract: Contract | None = None
    schedule: EvaluationSchedule | None = None
    evaluation_fee: EvaluationFee | None = None
    evaluations: tuple[Evaluation, ...] = ()
    published: frozenset[DisclosureItem] = frozenset()
    end_reason: str | None = None
    """Why the case was cancelled or terminated."""

    @property
    def is_final(self) -> bool:
        """Whether nothing can follow (closed, cancelled, terminated)."""
        return MACHINE.is_final(self.status)

    @property
    def allowed_actions(self) -> tuple[Action, ...]:
        """What the machine allows next (roles and rules aside)."""
        return MACHINE.actions(self.status)

    def to_case(self) -> Case:
        """The facts as a :class:`~socialwork_procurement.Case`, for ``registry.check``."""
        return Case(
            purchaser=self.purchaser,
            contractor=self.contractor,
            contract=self.contract,
            planning=self.planning,
            evaluations=self.evaluations,
            published=self.published,
        )


# --------------------------------------------------------------------------- one entry per event type

_E = TypeVar("_E")

_Apply = Callable[[ProcurementState, ProcurementState, Any], ProcurementState]
"""``(before, moved, event) -> after``: ``moved`` is ``before`` with the version, status and day
of the event already set."""


@attrs.frozen
class _Fold:
    action: Callable[[Any], Action | None]
    """The machine action the event records (``None``: part of the step before it)."""
    apply: _Apply


_FOLDS: dict[type, _Fold] = {}
"""The fold of each event type, by class (exactly: events are final classes)."""

_ApplyE = Callable[[ProcurementState, ProcurementState, _E], ProcurementState]


def _folds(
    event_type: type[_E], action: Action | Callable[[_E], Action | None] | None
) -> Callable[[_ApplyE[_E]], _ApplyE[_E]]:
    """Register the decorated function as the fold of ``event_type`` (recording ``action``)."""

    def register(apply: _ApplyE[_E]) -> _ApplyE[_E]:
        of = action if callable(action) else (lambda _event, fixed=action: fixed)
        _FOLDS[event_type] = _Fold(of, apply)
        return apply

    return register


def _unchanged(_before: ProcurementState, moved: ProcurementState, _event: object) -> ProcurementState:
    return moved


def _evaluation_action(event: EvaluationRecorded) -> Action:
    if event.evaluation.stage is EvaluationStage.MIDTERM:
        return Action.RECORD_MIDTERM_EVALUATION
    return Action.RECORD_FINAL_EVALUATION


@_folds(NeedsAssessed, Action.ASSESS_NEEDS)
def _needs_assessed(_before: ProcurementState, s: ProcurementState, event: NeedsAssessed) -> ProcurementState:
    return attrs.evolve(
        s,
        needs_summary=event.summary,
        target_groups=event.target_groups,
        service_domains=event.service_domains,
        planning=Planning(needs_assessment=True),
    )


@_folds(BudgetApproved, Action.APPROVE_BUDGET)
def _budget_approved(_before: ProcurementState, s: ProcurementState, event: BudgetApproved) -> ProcurementState:
    return attrs.evolve(s, planning=event.planning)


@_folds(TenderStarted, Action.START_TENDER)
def _tender_started(before: ProcurementState, s: ProcurementState, event: TenderStarted) -> ProcurementState:
    base = before.contract or Contract(
        purchaser=before.purchaser.name,
        service_domains=before.service_domains,
        target_groups=before.target_groups,
    )
    contract = attrs.evolve(
        base,
        procurement_method=event.method,
        procurement_method_reason=event.method_reason,
        purchase_form=event.purchase_form,
        subject_matter=event.subject_matter if event.subject_matter is not None else base.subject_matter,
        contractor=None,
    )
    return attrs.evolve(s, contract=contract, tender_rounds=before.tender_rounds + 1)


@_folds(TenderFailed, Action.FAIL_TENDER)
def _tender_failed(before: ProcurementState, s: ProcurementState, _event: TenderFailed) -> ProcurementState:
    withdrawn = attrs.evolve(before.contract, contractor=None) if before.contract else None
    return attrs.evolve(s, contractor=None, award_amount=None, contract=withdrawn)


@_folds(ContractorAwarded, Action.AWARD)
def _awarded(before: ProcurementState, s: ProcurementState, event: ContractorAwarded) -> ProcurementState:
    awarded = attrs.evolve(before.contract, contractor=event.contractor.name) if before.contract else None
    return attrs.evolve(s, contractor=event.contractor, award_amount=event.amount, contract=awarded)


@_folds(ContractSigned, Action.SIGN_CONTRACT)
def _signed(_before: ProcurementState, s: ProcurementState, event: ContractSigned) -> ProcurementState:
    return attrs.evolve(s, contract=event.contract, schedule=event.schedule)


@_folds(EvaluationFeeReserved, None)
def _fee_reserved(before: ProcurementState, s: ProcurementState, event: EvaluationFeeReserved) -> ProcurementState:
    if before.evaluation_fee is not None:
        raise InvalidHistory(f"case {s.case_id!r} version {s.version}: the evaluation fee is already reserved")
    fee = EvaluationFee(
        base_amount=event.base_amount,
        fee=event.fee,
        rule_id=event.rule_id,
        pack=event.pack,
        reason_zh=event.reason_zh,
        reason_en=event.reason_en,
    )
    return attrs.evolve(s, evaluation_fee=fee)


@_folds(EvaluationRecorded, _evaluation_action)
def _evaluated(before: ProcurementState, s: ProcurementState, event: EvaluationRecorded) -> ProcurementState:
    return attrs.evolve(s, evaluations=(*before.evaluations, event.evaluation))


def _ended(
    _before: ProcurementState, s: ProcurementState, event: CaseCancelled | ContractTerminated
) -> ProcurementState:
    return attrs.evolve(s, end_reason=event.reason)


@_folds(DisclosureRecorded, Action.RECORD_DISCLOSURE)
def _disclosed(before: ProcurementState, s: ProcurementState, event: DisclosureRecorded) -> ProcurementState:
    return attrs.evolve(s, published=before.published | event.items)


_folds(ServiceStarted, Action.START_SERVICE)(_unchanged)
_folds(CaseAccepted, Action.ACCEPT)(_unchanged)
_folds(CaseClosed, Action.CLOSE)(_unchanged)
_folds(CaseCancelled, Action.CANCEL)(_ended)
_folds(ContractTerminated, Action.TERMINATE)(_ended)


# --------------------------------------------------------------------------- folding


def _opened(event: Event, *, case_id: str, version: int) -> ProcurementState:
    if not isinstance(event, CaseOpened) or version != 1:
        raise InvalidHistory(f"case {case_id!r} must start with case_opened at version 1, not {event.EVENT_TYPE}")
    return ProcurementState(
        case_id=case_id,
        version=1,
        status=MACHINE.initial,
        region=event.region,
        title=event.title,
        opened_on=event.on,
        last_on=event.on,
        purchaser=event.purchaser,
    )


def evolve(state: ProcurementState | None, event: Event, *, case_id: str, version: int) -> ProcurementState:
    """The state after ``event`` (stored at ``version``). ``state`` is ``None`` before the first.

    Raises :class:`InvalidHistory` if the machine does not allow the event here.
    """
    if state is None:
        return _opened(event, case_id=case_id, version=version)
    if version != state.version + 1:
        raise InvalidHistory(f"case {case_id!r}: event version {version} follows version {state.version}")
    entry = _FOLDS.get(type(event))
    if entry is None:  # case_opened (it only starts a case), or not an event at all
        if isinstance(event, CaseOpened):
            raise InvalidHistory(
                f"case {case_id!r} version {version}: {event.EVENT_TYPE} cannot follow state {state.status}"
            )
        raise TypeError(f"not an event: {event!r}")
    action = entry.action(event)
    if action is None:  # the fee is reserved in the step that signs
        target: State | None = state.status if state.status is State.CONTRACTED else None
    else:
        target = MACHINE.target(state.status, action)
    if target is None:
        raise InvalidHistory(
            f"case {case_id!r} version {version}: {event.EVENT_TYPE} cannot follow state {state.status}"
        )
    moved = attrs.evolve(state, version=version, status=target, last_on=max(state.last_on, event.on))
    return entry.apply(state, moved, event)


def replay(events: Iterable[StoredEvent], state: ProcurementState | None = None) -> ProcurementState | None:
    """Fold stored events (in version order) onto ``state``; ``None`` if there are none at all."""
    for stored in events:
        event = decode_event(stored.event_type, stored.schema_version, stored.payload)
        state = evolve(state, event, case_id=stored.case_id, version=stored.version)
    return state
