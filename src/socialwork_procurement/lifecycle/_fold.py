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
    EvaluatorRole,
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

STATE_TYPE: Final = "socialwork_procurement.ProcurementState/2"
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


@attrs.frozen
class _EvaluationIndex:
    """What the guards ask of a case's evaluations, kept up to date by the fold so that a step
    costs the same at the 10th evaluation and at the 10,000th.

    It describes exactly the tuple it holds (compared by identity): a state whose evaluations
    are another tuple (built by the converter from a snapshot, or by ``attrs.evolve``) builds
    its own index on first use.
    """

    evaluations: tuple[Evaluation, ...]
    checked: bool
    """Whether every item is an :class:`Evaluation` (what ``Case`` checks of its evaluations),
    checked item by item as they were added: a case built from the state need not check them
    all again on every step."""
    latest_final: tuple[date, int, Evaluation] | None
    """The latest final evaluation with a result, by date (on one day, the later recorded),
    with its day and index; ``None`` if there is none."""
    midterm_evaluators: frozenset[EvaluatorRole] = frozenset()
    """Who carried out the mid-term evaluations on record."""

    @classmethod
    def of(cls, evaluations: tuple[Evaluation, ...]) -> _EvaluationIndex:
        checked = type(evaluations) is tuple and all(isinstance(e, Evaluation) for e in evaluations)
        latest = None
        midterm: frozenset[EvaluatorRole] = frozenset()
        if checked:
            for i, e in enumerate(evaluations):
                latest = _later_final(latest, e, i)
            midterm = frozenset(e.evaluator_role for e in evaluations if e.stage is EvaluationStage.MIDTERM)
        return cls(evaluations, checked, latest, midterm)

    def extended(self, evaluations: tuple[Evaluation, ...]) -> _EvaluationIndex:
        """The index of ``evaluations``: this one's tuple and one more evaluation."""
        i = len(evaluations) - 1
        new = evaluations[i]
        if not (self.checked and isinstance(new, Evaluation)):
            return _EvaluationIndex.of(evaluations)
        midterm = self.midterm_evaluators
        if new.stage is EvaluationStage.MIDTERM and new.evaluator_role not in midterm:
            midterm = midterm | {new.evaluator_role}
        return _EvaluationIndex(evaluations, True, _later_final(self.latest_final, new, i), midterm)


def _later_final(
    latest: tuple[date, int, Evaluation] | None, e: Evaluation, i: int
) -> tuple[date, int, Evaluation] | None:
    if e.stage is not EvaluationStage.FINAL or e.result is None:
        return latest
    # (day, index): the index breaks ties on one day, so evaluations are never compared.
    if latest is None or (e.date, i) > (latest[0], latest[1]):
        return (e.date, i, e)
    return latest


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
    _index: _EvaluationIndex | None = attrs.field(default=None, init=False, eq=False, repr=False)
    """A cache derived from ``evaluations`` (not part of the state: not compared, not stored)."""

    @property
    def is_final(self) -> bool:
        """Whether nothing can follow (closed, cancelled, terminated)."""
        return MACHINE.is_final(self.status)

    @property
    def allowed_actions(self) -> tuple[Action, ...]:
        """What the machine and the contract's schedule allow next (roles and rules aside): with a
        mid-term evaluation required and none on record, a final evaluation is not offered."""
        actions = MACHINE.actions(self.status)
        if (
            self.status is State.IN_SERVICE
            and self.schedule is not None
            and self.schedule.midterm_required
            and not self.midterm_evaluators()
        ):
            return tuple(a for a in actions if a is not Action.RECORD_FINAL_EVALUATION)
        return actions

    def to_case(self) -> Case:
        """The facts as a :class:`~socialwork_procurement.Case`, for ``registry.check``."""
        return self.case_with()

    def case_with(self, *, new_evaluation: Evaluation | None = None, **changes: Any) -> Case:
        """The facts as a step would leave them: ``changes`` replace parts (``contract=...``),
        ``new_evaluation`` is added after the evaluations on record.

        Equal to ``Case(...)`` of the same parts, and checked as it checks them, but the
        evaluations already on record are not checked again (the fold checked each as it was
        added), so the cost does not grow with their number.
        """
        index = self._evaluation_index()
        evaluations = self.evaluations if new_evaluation is None else (*self.evaluations, new_evaluation)
        parts: dict[str, Any] = {
            "purchaser": self.purchaser,
            "contractor": self.contractor,
            "contract": self.contract,
            "planning": self.planning,
            "evaluations": evaluations,
            "published": self.published,
            **changes,
        }
        checked = index.checked and (new_evaluation is None or isinstance(new_evaluation, Evaluation))
        if not checked or "evaluations" in changes or not _CASE_BUILT_BY_FIELDS:
            return Case(**parts)
        return _case_of_checked_evaluations(parts)

    def midterm_evaluators(self) -> frozenset[EvaluatorRole]:
        """Who carried out the mid-term evaluations on record (indexed: no scan)."""
        index = self._evaluation_index()
        if not index.checked:  # items the index could not vouch for: read them as they are
            return frozenset(
                e.evaluator_role
                for e in self.evaluations
                if isinstance(e, Evaluation) and e.stage is EvaluationStage.MIDTERM
            )
        return index.midterm_evaluators

    def latest_final_evaluation(self) -> Evaluation | None:
        """The latest final evaluation with a result (by date; on one day, the later recorded)."""
        latest = self._evaluation_index().latest_final
        return None if latest is None else latest[2]

    def _evaluation_index(self) -> _EvaluationIndex:
        index = self._index
        if index is None or index.evaluations is not self.evaluations:
            index = _EvaluationIndex.of(self.evaluations)
            object.__setattr__(self, "_index", index)  # a cache of derived facts; the state stays as it was
        return index


_CASE_FIELDS: Final[tuple[attrs.Attribute[Any], ...]] = tuple(attrs.fields(Case))
_CASE_BUILT_BY_FIELDS: Final = (
    not hasattr(Case, "__attrs_post_init__")
    and "__attrs_cached_hash" not in getattr(Case, "__slots__", ())
    and all(f.init and f.converter is None and f.default is not attrs.NOTHING for f in _CASE_FIELDS)
)
"""Whether a ``Case`` is nothing but its fields and their validators (else it is always built
by its constructor: a change to ``Case`` can never be skipped here)."""


def _case_of_checked_evaluations(parts: dict[str, Any]) -> Case:
    """``Case(**parts)``, running every field's validator but that of ``evaluations``, whose
    items the caller's index has already checked one by one (the validator would check all
    10,000 of a long case on every step)."""
    case: Case = object.__new__(Case)
    values: list[Any] = []
    for field in _CASE_FIELDS:
        default: Any = field.default
        if field.name in parts:
            value = parts[field.name]
        elif isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            value = default.factory()
        else:
            value = default
        object.__setattr__(case, field.name, value)
        values.append(value)
    for checked, value in zip(_CASE_FIELDS, values, strict=True):
        if checked.validator is not None and checked.name != "evaluations":
            checked.validator(case, checked, value)
    return case


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
        # Each round has its own procurement documents: what an earlier round declared does not carry over.
        contractor_conditions_non_discriminatory=event.contractor_conditions_non_discriminatory,
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
    after = entry.apply(state, moved, event)
    # The index is carried over, or extended by the one evaluation recorded: built once per
    # state loaded, never rebuilt by a step.
    index = state._evaluation_index()
    if after.evaluations is state.evaluations:
        object.__setattr__(after, "_index", index)
    elif isinstance(event, EvaluationRecorded):
        object.__setattr__(after, "_index", index.extended(after.evaluations))
    return after


def replay(events: Iterable[StoredEvent], state: ProcurementState | None = None) -> ProcurementState | None:
    """Fold stored events (in version order) onto ``state``; ``None`` if there are none at all."""
    for stored in events:
        event = decode_event(stored.event_type, stored.schema_version, stored.payload)
        state = evolve(state, event, case_id=stored.case_id, version=stored.version)
    return state
