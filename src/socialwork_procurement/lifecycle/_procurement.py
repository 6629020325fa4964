"""The procurement object: one purchase, driven by commands, stored as events, rebuilt by replay.

``Procurement.create(store, registry, case_id, OpenCase(...))`` opens a purchase;
``Procurement.open(store, registry, case_id)`` loads one; ``execute(command)`` checks a command
against the machine (:data:`~socialwork_procurement.MACHINE`), the actor's role, the date order
and the region's rules in force on ``command.on``, then appends its events with optimistic
concurrency. Nothing else changes a purchase:

* **state is only ever the replay of events** (:func:`replay`, :func:`evolve`); the object keeps
  the state it replayed and folds in the events it appended;
* **a refused command appends nothing** and raises :class:`~socialwork_procurement.InvalidTransition`
  (not allowed in this state), :class:`~socialwork_procurement.CommandRefused` (wrong role,
  date before the last step, a hard rule failing: ``findings`` says which) or
  :class:`CommandUndetermined` (the rules cannot decide and ``accept_undetermined`` was not given);
* **two writers never overwrite each other**: ``append`` succeeds only at the version this object
  last saw, else :class:`~socialwork_procurement.ConcurrencyConflict` (nothing stored). Call
  :meth:`Procurement.refresh` and decide again;
* **long histories load fast**: every ``snapshot_every`` events the folded state is saved as a
  snapshot, and loading folds only the events after it. A snapshot is a cache: one that does not
  fit the current state type is ignored and the state is rebuilt from the events.

How the region's rules guard each step (findings filtered by the subject the step is about):

============================  =============================================================
step                          rules consulted (``registry.check(case, region, on)``)
============================  =============================================================
open                          purchaser rules (may this body purchase?)
approve_budget                planning rules (Xiamen, Ningxia: targets, cost accounting, budget)
start_tender                  contract-level *procedure* rules (Henan: open tender «原则上»)
award                         contractor rules (an ineligible contractor is refused)
sign_contract                 all contract rules (required terms, written contract, length);
                              the evaluation fee (``registry.evaluation_fee``)
record_…_evaluation           evaluation rules about the new evaluation, plus the core check
                              that a third party is neither the contractor nor the purchaser
accept                        a passed final evaluation, the service period over, and all
                              evaluation rules (Xiamen: tripartite review, third-party mid-term
                              and final evaluations)
============================  =============================================================

A hard rule that fails refuses the step. One that needs an unknown fact, a regional rule
conflicting with a national one, or no hard rule applying to the step at all (nothing was
checked; :func:`~socialwork_procurement.decide`) makes it *undetermined*: refused unless the
command carries ``accept_undetermined``, whose reason is stored in the event with the findings.
A recorded evaluation is the exception to the last clause: only findings *about that
evaluation* can stop it, and with none its event carries no basis.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Final, TypedDict

import attrs

from .._errors import CaseNotFound, InvalidInput, ProcurementError, RuleConflict
from ..model._converter import structure, unstructure
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
    ServicePeriod,
    TargetGroup,
)
from ..rules._registry import Registry
from ..rules._registry import decide as decide_findings
from ..rules._rules import Decision, Finding, Outcome, RuleKind, Subject, Verdict
from ..rules._schedule import EvaluationSchedule, evaluation_schedule
from ..store._protocol import EventStore, NewEvent, Snapshot, StoredEvent, load_from_snapshot
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
    FindingRecord,
    NeedsAssessed,
    PackRecord,
    RuleBasis,
    ServiceStarted,
    TenderFailed,
    TenderStarted,
    decode_event,
    encode_event,
)
from ._machine import MACHINE, Action, Role, State
from ._refusals import CommandRefused, InvalidTransition

__all__ = [
    "DEFAULT_SNAPSHOT_EVERY",
    "STATE_TYPE",
    "CommandUndetermined",
    "EvaluationFee",
    "HistoryEntry",
    "InvalidHistory",
    "Procurement",
    "ProcurementState",
    "decide_command",
    "decide_open",
    "evolve",
    "replay",
]

DEFAULT_SNAPSHOT_EVERY: Final = 100
"""Save a snapshot each time a case's version passes a multiple of this."""

STATE_TYPE: Final = "socialwork_procurement.ProcurementState/1"
"""``Snapshot.state_type`` of the snapshots this version writes and reads; bump it whenever
:class:`ProcurementState` changes shape (older snapshots are then ignored and rebuilt)."""


class CommandUndetermined(CommandRefused):
    """Refused because the rules cannot decide: a fact they need is unknown, or a regional and a
    national rule conflict. ``findings`` are the undecided ones; give the facts, or repeat the
    command with ``accept_undetermined`` set to the reason for going ahead."""


class InvalidHistory(ProcurementError, ValueError):
    """Stored events that the machine does not allow in that order (a bug or a forged history)."""


# --------------------------------------------------------------------------- state


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


@attrs.frozen
class HistoryEntry:
    """One stored event, read back: the envelope and the event (upcast to the current version)."""

    version: int
    position: int
    recorded_at: datetime
    event_type: str
    stored_schema_version: int
    """The version the event was stored with (the event itself is upcast to the current one)."""
    event: Event
    hash: str


# --------------------------------------------------------------------------- replay


def _action_of(event: Event) -> Action | None:
    """The machine action an event records (``None``: part of the step before it)."""
    match event:
        case CaseOpened():
            return Action.OPEN
        case NeedsAssessed():
            return Action.ASSESS_NEEDS
        case BudgetApproved():
            return Action.APPROVE_BUDGET
        case TenderStarted():
            return Action.START_TENDER
        case TenderFailed():
            return Action.FAIL_TENDER
        case ContractorAwarded():
            return Action.AWARD
        case ContractSigned():
            return Action.SIGN_CONTRACT
        case EvaluationFeeReserved():
            return None
        case ServiceStarted():
            return Action.START_SERVICE
        case EvaluationRecorded():
            if event.evaluation.stage is EvaluationStage.MIDTERM:
                return Action.RECORD_MIDTERM_EVALUATION
            return Action.RECORD_FINAL_EVALUATION
        case CaseAccepted():
            return Action.ACCEPT
        case CaseClosed():
            return Action.CLOSE
        case CaseCancelled():
            return Action.CANCEL
        case ContractTerminated():
            return Action.TERMINATE
        case DisclosureRecorded():
            return Action.RECORD_DISCLOSURE
    raise TypeError(f"not an event: {event!r}")  # pragma: no cover - the match is exhaustive


def evolve(state: ProcurementState | None, event: Event, *, case_id: str, version: int) -> ProcurementState:
    """The state after ``event`` (stored at ``version``). ``state`` is ``None`` before the first.

    Raises :class:`InvalidHistory` if the machine does not allow the event here.
    """
    if state is None:
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
    if version != state.version + 1:
        raise InvalidHistory(f"case {case_id!r}: event version {version} follows version {state.version}")
    action = _action_of(event)
    if action is None:
        target: State | None = state.status if state.status is State.CONTRACTED else None
    else:
        target = MACHINE.target(state.status, action)
    if target is None or isinstance(event, CaseOpened):
        raise InvalidHistory(
            f"case {case_id!r} version {version}: {event.EVENT_TYPE} cannot follow state {state.status}"
        )
    s = attrs.evolve(state, version=version, status=target, last_on=max(state.last_on, event.on))
    match event:
        case NeedsAssessed():
            return attrs.evolve(
                s,
                needs_summary=event.summary,
                target_groups=event.target_groups,
                service_domains=event.service_domains,
                planning=Planning(needs_assessment=True),
            )
        case BudgetApproved():
            return attrs.evolve(s, planning=event.planning)
        case TenderStarted():
            base = state.contract or Contract(
                purchaser=state.purchaser.name,
                service_domains=state.service_domains,
                target_groups=state.target_groups,
            )
            contract = attrs.evolve(
                base,
                procurement_method=event.method,
                procurement_method_reason=event.method_reason,
                purchase_form=event.purchase_form,
                subject_matter=event.subject_matter if event.subject_matter is not None else base.subject_matter,
                contractor=None,
            )
            return attrs.evolve(s, contract=contract, tender_rounds=state.tender_rounds + 1)
        case TenderFailed():
            withdrawn = attrs.evolve(state.contract, contractor=None) if state.contract else None
            return attrs.evolve(s, contractor=None, award_amount=None, contract=withdrawn)
        case ContractorAwarded():
            awarded = attrs.evolve(state.contract, contractor=event.contractor.name) if state.contract else None
            return attrs.evolve(s, contractor=event.contractor, award_amount=event.amount, contract=awarded)
        case ContractSigned():
            return attrs.evolve(s, contract=event.contract, schedule=event.schedule)
        case EvaluationFeeReserved():
            if state.evaluation_fee is not None:
                raise InvalidHistory(f"case {case_id!r} version {version}: the evaluation fee is already reserved")
            fee = EvaluationFee(
                base_amount=event.base_amount,
                fee=event.fee,
                rule_id=event.rule_id,
                pack=event.pack,
                reason_zh=event.reason_zh,
                reason_en=event.reason_en,
            )
            return attrs.evolve(s, evaluation_fee=fee)
        case EvaluationRecorded():
            return attrs.evolve(s, evaluations=(*state.evaluations, event.evaluation))
        case CaseCancelled() | ContractTerminated():
            return attrs.evolve(s, end_reason=event.reason)
        case DisclosureRecorded():
            return attrs.evolve(s, published=state.published | event.items)
        case _:
            return s


def replay(events: Iterable[StoredEvent], state: ProcurementState | None = None) -> ProcurementState | None:
    """Fold stored events (in version order) onto ``state``; ``None`` if there are none at all."""
    for stored in events:
        event = decode_event(stored.event_type, stored.schema_version, stored.payload)
        state = evolve(state, event, case_id=stored.case_id, version=stored.version)
    return state


# --------------------------------------------------------------------------- deciding


class _MetaKw(TypedDict):
    actor: str
    role: Role
    on: date
    reason: str | None


def _meta(command: Command) -> _MetaKw:
    return {"actor": command.actor, "role": command.role, "on": command.on, "reason": command.reason}


def _rule_list(findings: Sequence[Finding]) -> str:
    return "; ".join(f"{f.rule_id} ({f.outcome.value} at {f.path}): {f.message('en')}" for f in findings)


def _judge(
    registry: Registry,
    case: Case,
    *,
    region: str,
    command: Command,
    relevant: Callable[[Finding], bool],
    what: str,
) -> RuleBasis:
    """Check ``case`` and keep the findings ``relevant`` to the step: refuse, or return the basis.

    The decision is the library's one (:func:`~socialwork_procurement.decide`) over the relevant
    findings: a failing hard rule refuses; an unknown fact, a conflict between layers, or no hard
    rule applying at all (nothing was checked) is undetermined and needs ``accept_undetermined``.
    """
    basis, verdict = _basis(registry, case, region=region, command=command, relevant=relevant, what=what)
    if basis is None:
        if command.accept_undetermined is None:
            raise CommandUndetermined(
                f"{what}: undetermined, no hard rule of {region} in force on {command.on} applies to it, so nothing "
                "was checked. Set accept_undetermined to the reason for going ahead"
            )
        return RuleBasis(
            region=region,
            on=command.on,
            decision=Decision.UNDETERMINED,
            packs=tuple(PackRecord.of(p) for p in verdict.trace.packs),
            findings=tuple(FindingRecord.of(f) for f in verdict.findings if relevant(f) and _applied(f)),
            accepted_undetermined=command.accept_undetermined,
        )
    return basis


def _applied(finding: Finding) -> bool:
    return finding.outcome is not Outcome.NOT_APPLICABLE


def _basis(
    registry: Registry,
    case: Case,
    *,
    region: str,
    command: Command,
    relevant: Callable[[Finding], bool],
    what: str,
) -> tuple[RuleBasis | None, Verdict]:
    """Like :func:`_judge`, but no basis (and no refusal) when no hard rule applies to the step.

    Returns the verdict too, so the caller never checks the case a second time.
    """
    verdict = registry.check(case, region=region, on=command.on)
    findings = [f for f in verdict.findings if relevant(f)]
    conflicts = [c for c in verdict.conflicts if relevant(c.regional) or relevant(c.national)]
    if not conflicts and not any(f.rule.strength.gates and _applied(f) for f in findings):
        return None, verdict
    decision = decide_findings(findings, conflicts)
    if decision is Decision.INELIGIBLE:
        in_conflict = {f for c in conflicts for f in (c.regional, c.national)}  # by value, as decide() does
        failures = [
            f for f in findings if f.rule.strength.gates and f.outcome is Outcome.FAIL and f not in in_conflict
        ]
        raise CommandRefused(
            f"{what}: refused by the rules of {region} on {command.on}: {_rule_list(failures)}", failures
        )
    undecided: list[Finding] = []
    if decision is Decision.UNDETERMINED:
        undecided = [f for f in findings if f.rule.strength.gates and f.outcome is Outcome.UNKNOWN]
        undecided += [f for c in conflicts for f in (c.regional, c.national)]
        if command.accept_undetermined is None:
            details = [_rule_list(undecided), *(c.message_en for c in conflicts)]
            raise CommandUndetermined(
                f"{what}: undetermined under the rules of {region} on {command.on}: {'; '.join(details)}. "
                "Give the missing facts, or set accept_undetermined to the reason for going ahead",
                undecided,
            )
    basis = RuleBasis(
        region=region,
        on=command.on,
        decision=decision,
        packs=tuple(PackRecord.of(p) for p in verdict.trace.packs),
        findings=tuple(FindingRecord.of(f) for f in findings if _applied(f)),
        accepted_undetermined=command.accept_undetermined if decision is Decision.UNDETERMINED else None,
    )
    return basis, verdict


def _about(*subjects: Subject, kinds: Iterable[RuleKind] | None = None) -> Callable[[Finding], bool]:
    wanted = set(subjects)
    kind_set = set(kinds) if kinds is not None else None
    return lambda f: f.rule.subject in wanted and (kind_set is None or f.rule.kind in kind_set)


def _check_role(action: Action, command: Command) -> None:
    allowed = MACHINE.roles.get(action, frozenset())
    if command.role not in allowed:
        names = ", ".join(sorted(r.value for r in allowed))
        raise CommandRefused(f"{action.value} is not for the {command.role.value} role (allowed: {names})")


def decide_open(command: OpenCase, registry: Registry) -> tuple[Event, ...]:
    """The events opening a case, or a refusal (the purchaser may not purchase in the region)."""
    _check_role(Action.OPEN, command)
    registry.region(command.region)  # UnknownRegion before anything else
    basis = _judge(
        registry,
        Case(purchaser=command.purchaser),
        region=command.region,
        command=command,
        relevant=_about(Subject.PURCHASER),
        what="opening the case",
    )
    return (
        CaseOpened(
            **_meta(command),
            region=command.region,
            title=command.title,
            purchaser=command.purchaser,
            basis=basis,
        ),
    )


def decide_command(state: ProcurementState, command: Command, registry: Registry) -> tuple[Event, ...]:
    """The events ``command`` appends to ``state``, or a refusal. Pure: stores nothing."""
    if isinstance(command, OpenCase):
        raise InvalidTransition(f"case {state.case_id!r} is already open")
    action = command.action
    if state.is_final:
        raise InvalidTransition(f"case {state.case_id!r} is {state.status.value}, a final state: nothing can follow")
    if MACHINE.target(state.status, action) is None:
        allowed = ", ".join(a.value for a in state.allowed_actions)
        raise InvalidTransition(f"{action.value} is not allowed in state {state.status.value} (allowed: {allowed})")
    _check_role(action, command)
    if command.on < state.last_on:
        raise CommandRefused(f"{action.value} dated {command.on} is before the case's last step ({state.last_on})")
    meta = _meta(command)
    region = state.region

    match command:
        case AssessNeeds():
            return (
                NeedsAssessed(
                    **meta,
                    summary=command.summary,
                    target_groups=command.target_groups,
                    service_domains=command.service_domains,
                ),
            )
        case ApproveBudget():
            planning = Planning(
                needs_assessment=state.planning.needs_assessment if state.planning else None,
                cost_accounting=command.cost_accounting,
                targets_quantity=command.targets_quantity,
                targets_scale=command.targets_scale,
                targets_quality=command.targets_quality,
                targets_effect=command.targets_effect,
                budget=command.amount,
            )
            basis = _judge(
                registry,
                attrs.evolve(state.to_case(), planning=planning),
                region=region,
                command=command,
                relevant=_about(Subject.PLANNING),
                what="the budget",
            )
            return (BudgetApproved(**meta, planning=planning, basis=basis),)
        case StartTender():
            return (_start_tender(state, command, registry),)
        case FailTender():
            return (TenderFailed(**meta),)
        case Award():
            contract = attrs.evolve(state.contract, contractor=command.contractor.name) if state.contract else None
            basis = _judge(
                registry,
                attrs.evolve(state.to_case(), contractor=command.contractor, contract=contract),
                region=region,
                command=command,
                relevant=_about(Subject.CONTRACTOR),
                what=f"the award to {command.contractor.name}",
            )
            return (ContractorAwarded(**meta, contractor=command.contractor, amount=command.amount, basis=basis),)
        case SignContract():
            return _sign_contract(state, command, registry)
        case StartService():
            return (ServiceStarted(**meta),)
        case RecordEvaluation():
            return (_record_evaluation(state, command, registry),)
        case Accept():
            return (_accept(state, command, registry),)
        case Close():
            return (CaseClosed(**meta),)
        case Cancel():
            return (CaseCancelled(**meta),)
        case Terminate():
            return (ContractTerminated(**meta),)
        case RecordDisclosure():
            return (DisclosureRecorded(**meta, items=command.items, where=command.where),)
    raise TypeError(f"not a command: {command!r}")  # pragma: no cover - the match is exhaustive


def _start_tender(state: ProcurementState, command: StartTender, registry: Registry) -> TenderStarted:
    base = state.contract or Contract(
        purchaser=state.purchaser.name, service_domains=state.service_domains, target_groups=state.target_groups
    )
    contract = attrs.evolve(
        base,
        procurement_method=command.method,
        procurement_method_reason=command.method_reason,
        purchase_form=command.purchase_form,
        subject_matter=command.subject_matter if command.subject_matter is not None else base.subject_matter,
        contractor=None,
    )
    basis = _judge(
        registry,
        attrs.evolve(state.to_case(), contractor=None, contract=contract),
        region=state.region,
        command=command,
        relevant=_about(Subject.CONTRACT, kinds={RuleKind.PROCEDURE}),
        what=f"a tender by {command.method.value}",
    )
    return TenderStarted(
        **_meta(command),
        method=command.method,
        method_reason=command.method_reason,
        subject_matter=command.subject_matter,
        purchase_form=command.purchase_form,
        basis=basis,
    )


def _service_period(state: ProcurementState) -> ServicePeriod:
    """The signed contract's service period (the machine guarantees one after signing)."""
    if state.contract is None or state.contract.service_period is None:
        raise InvalidHistory(f"case {state.case_id!r} is {state.status.value} but has no signed service period")
    return state.contract.service_period


def _sign_contract(state: ProcurementState, command: SignContract, registry: Registry) -> tuple[Event, ...]:
    if state.contract is None or state.contractor is None:
        raise InvalidHistory(f"case {state.case_id!r} is {state.status.value} but has no tender or no contractor")
    contract = attrs.evolve(
        state.contract,
        contractor=state.contractor.name,
        amount=command.amount,
        service_period=command.service_period,
        installments=command.installments,
        stated_terms=command.stated_terms,
        written=command.written,
        signed_on=command.on,
    )
    basis = _judge(
        registry,
        attrs.evolve(state.to_case(), contract=contract),
        region=state.region,
        command=command,
        relevant=_about(Subject.CONTRACT),
        what="signing the contract",
    )
    meta = _meta(command)
    signed = ContractSigned(
        **meta,
        contract=contract,
        schedule=evaluation_schedule(command.service_period),
        basis=basis,
    )
    return signed, _reserve_fee(state.region, command, registry)


def _reserve_fee(region: str, command: SignContract, registry: Registry) -> EvaluationFeeReserved:
    meta = _meta(command)
    base = command.evaluation_fee_base
    try:
        answer = registry.evaluation_fee(region=region, base_amount=base or Decimal(0), on=command.on)
    except RuleConflict as exc:
        if command.accept_undetermined is None:
            raise CommandUndetermined(
                f"the evaluation fee is undetermined: {exc}. Set accept_undetermined to sign without reserving it"
            ) from exc
        return EvaluationFeeReserved(
            **meta,
            base_amount=base,
            fee=None,
            rule_id=None,
            reason_zh=f"评估费用规则冲突,未预留:{exc}",
            reason_en=f"the evaluation-fee rules conflict, nothing reserved: {exc}",
        )
    if base is None:
        if answer.rule is not None:
            raise CommandRefused(
                f"{region} sets an evaluation fee on {command.on} ({answer.rule.rule_id}): give evaluation_fee_base, "
                "the amount the fee is computed on (the source does not say whether it is the contract amount)"
            )
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


def _same_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _not_independent(state: ProcurementState, command: RecordEvaluation) -> str | None:
    """Why the evaluator (or the actor, acting as third party) is the contractor or purchaser."""
    parties: list[tuple[str, str | None, str | None]] = [
        ("purchaser", state.purchaser.name, state.purchaser.uscc),
    ]
    if state.contractor is not None:
        parties.append(("contractor", state.contractor.name, state.contractor.uscc))
    if state.contract is not None:
        parties += [("purchaser", state.contract.purchaser, None), ("contractor", state.contract.contractor, None)]
    checks: list[tuple[str, str, str | None]] = []
    if command.evaluator_role is EvaluatorRole.THIRD_PARTY:
        checks.append(("the third-party evaluator", command.evaluator, command.evaluator_uscc))
    if command.role is Role.THIRD_PARTY:
        checks.append(("the actor in the third_party role", command.actor, None))
    for who, name, uscc in checks:
        for party, party_name, party_uscc in parties:
            if uscc is not None and party_uscc is not None and uscc == party_uscc:
                return f"{who} ({name}) has the {party}'s USCC {uscc}: not a third party"
            if party_name is not None and _same_name(name) == _same_name(party_name):
                return f"{who} ({name}) is the {party} itself: not a third party"
    return None


def _record_evaluation(state: ProcurementState, command: RecordEvaluation, registry: Registry) -> EvaluationRecorded:
    period = _service_period(state)
    if command.on < period.start:
        raise CommandRefused(f"an evaluation on {command.on} precedes the service period ({period.start})")
    if command.role is Role.THIRD_PARTY and command.evaluator_role is not EvaluatorRole.THIRD_PARTY:
        raise CommandRefused(
            f"the third_party role records third-party evaluations, not a {command.evaluator_role.value} evaluation"
        )
    evaluation = command.evaluation()
    index = len(state.evaluations)
    case = attrs.evolve(state.to_case(), evaluations=(*state.evaluations, evaluation))
    prefix = f"$.evaluations[{index}]"

    def about_this(f: Finding) -> bool:
        return f.rule.subject is Subject.EVALUATION and f.path.startswith(prefix)

    problem = _not_independent(state, command)
    if problem is not None:
        verdict = registry.check(case, region=state.region, on=command.on)
        failing = [f for f in verdict.findings if about_this(f) and f.outcome is Outcome.FAIL]
        raise CommandRefused(f"evaluation refused: {problem}", failing)
    basis, _verdict = _basis(
        registry, case, region=state.region, command=command, relevant=about_this, what=f"the {command.stage.value}"
    )
    return EvaluationRecorded(**_meta(command), evaluation=evaluation, basis=basis)


def _accept(state: ProcurementState, command: Accept, registry: Registry) -> CaseAccepted:
    end = _service_period(state).end
    if command.on < end:
        raise CommandRefused(f"acceptance on {command.on} comes before the service period ends ({end})")
    finals = [
        (e.date, i, e)
        for i, e in enumerate(state.evaluations)
        if e.stage is EvaluationStage.FINAL and e.result is not None
    ]
    if not finals:
        raise CommandRefused("acceptance needs a final evaluation with a result; none is on record")
    latest = max(finals)[2]
    assert latest.result is not None
    if not latest.result.passed:
        raise CommandRefused(
            f"acceptance needs a passed final evaluation; the latest ({latest.evaluator}, {latest.date}) "
            f"is {latest.result.value}"
        )
    basis = _judge(
        registry,
        state.to_case(),
        region=state.region,
        command=command,
        relevant=_about(Subject.EVALUATION),
        what="acceptance",
    )
    return CaseAccepted(**_meta(command), basis=basis)


# --------------------------------------------------------------------------- the object


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Procurement:
    """One purchase over an event store and a registry. Build it with :meth:`create` or :meth:`open`.

    Not thread-safe: give each thread (or request) its own object; the store's optimistic
    concurrency keeps two objects on one case from overwriting each other.
    """

    def __init__(
        self,
        store: EventStore,
        registry: Registry,
        state: ProcurementState,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        if isinstance(snapshot_every, bool) or not isinstance(snapshot_every, int) or snapshot_every < 1:
            raise ValueError(f"snapshot_every must be a positive int, got {snapshot_every!r}")
        self._store = store
        self._registry = registry
        self._state = state
        self._snapshot_every = snapshot_every
        self._clock = clock

    def __repr__(self) -> str:
        s = self._state
        return f"<Procurement {s.case_id!r} {s.region} {s.status.value} v{s.version}>"

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        store: EventStore,
        registry: Registry,
        case_id: str,
        command: OpenCase,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Procurement:
        """Open a new purchase ``case_id`` (refused if the id is taken or the purchaser may not buy)."""
        if not isinstance(command, OpenCase):
            raise TypeError(f"a case is created by an OpenCase command, not {type(command).__name__}")
        if store.version(case_id) != 0:
            raise InvalidTransition(f"case {case_id!r} already exists")
        events = decide_open(command, registry)
        stored = store.append(case_id, 0, _envelopes(events, clock()))
        state = replay(stored)
        assert state is not None
        proc = cls(store, registry, state, snapshot_every=snapshot_every, clock=clock)
        proc._maybe_snapshot(0, stored)
        return proc

    @classmethod
    def open(
        cls,
        store: EventStore,
        registry: Registry,
        case_id: str,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Procurement:
        """Load purchase ``case_id`` (from its latest snapshot and the events after it)."""
        return cls(store, registry, _load(store, case_id), snapshot_every=snapshot_every, clock=clock)

    # -- reading ----------------------------------------------------------------------------

    @property
    def case_id(self) -> str:
        return self._state.case_id

    @property
    def state(self) -> ProcurementState:
        """The state as of the last event this object saw."""
        return self._state

    @property
    def version(self) -> int:
        return self._state.version

    @property
    def registry(self) -> Registry:
        return self._registry

    @property
    def store(self) -> EventStore:
        return self._store

    def history(self) -> tuple[HistoryEntry, ...]:
        """Every stored event of the case, upcast, with its envelope."""
        return tuple(
            HistoryEntry(
                version=e.version,
                position=e.position,
                recorded_at=e.recorded_at,
                event_type=e.event_type,
                stored_schema_version=e.schema_version,
                event=decode_event(e.event_type, e.schema_version, e.payload),
                hash=e.hash,
            )
            for e in self._store.load(self.case_id)
        )

    def replay(self) -> ProcurementState:
        """The state rebuilt from every stored event, ignoring snapshots (for checks and audits)."""
        state = replay(self._store.load(self.case_id))
        if state is None:
            raise CaseNotFound(self.case_id)
        return state

    def refresh(self) -> ProcurementState:
        """Catch up with events other writers appended since this object last saw the case."""
        events = self._store.load(self.case_id, after_version=self._state.version)
        state = replay(events, self._state)
        assert state is not None
        self._state = state
        return state

    def check(self, on: date | None = None) -> Verdict:
        """The whole case against its region's rules on ``on`` (default: the last step's day)."""
        return self._registry.check(self._state.to_case(), region=self._state.region, on=on or self._state.last_on)

    def disclosures(self, on: date | None = None) -> tuple[Finding, ...]:
        """The region's disclosure findings (信息公开) for the case: pass = done, fail = still due.

        Computed from the published items on record (``record_disclosure``) and the rules in
        force on ``on`` (default: the last step's day); a region without disclosure rules gives
        ``()``.
        """
        return tuple(f for f in self.check(on).findings if f.rule.subject is Subject.DISCLOSURE)

    # -- writing ----------------------------------------------------------------------------

    def execute(self, command: Command) -> tuple[HistoryEntry, ...]:
        """Check ``command``, append its events, and return them as stored.

        Raises :class:`~socialwork_procurement.InvalidTransition`,
        :class:`~socialwork_procurement.CommandRefused` or :class:`CommandUndetermined` (nothing
        stored), or :class:`~socialwork_procurement.ConcurrencyConflict` when another writer
        appended first (nothing stored: :meth:`refresh` and decide again).
        """
        events = decide_command(self._state, command, self._registry)
        before = self._state.version
        stored = self._store.append(self.case_id, before, _envelopes(events, self._clock()))
        state = replay(stored, self._state)
        assert state is not None
        self._state = state
        self._maybe_snapshot(before, stored)
        return tuple(
            HistoryEntry(
                version=s.version,
                position=s.position,
                recorded_at=s.recorded_at,
                event_type=s.event_type,
                stored_schema_version=s.schema_version,
                event=e,
                hash=s.hash,
            )
            for s, e in zip(stored, events, strict=True)
        )

    def snapshot(self) -> Snapshot:
        """Save the current state as the case's snapshot now, and return it."""
        events = self._store.load(self.case_id, after_version=self._state.version - 1)
        return self._save_snapshot(events[-1])

    def _maybe_snapshot(self, before: int, stored: Sequence[StoredEvent]) -> None:
        if stored and stored[-1].version // self._snapshot_every > before // self._snapshot_every:
            self._save_snapshot(stored[-1])

    def _save_snapshot(self, last: StoredEvent) -> Snapshot:
        assert last.version == self._state.version
        snapshot = Snapshot(
            case_id=self.case_id,
            version=last.version,
            state_type=STATE_TYPE,
            payload=unstructure(self._state),
            event_hash=last.hash,
        )
        self._store.save_snapshot(snapshot)
        return snapshot


def _envelopes(events: Sequence[Event], recorded_at: datetime) -> list[NewEvent]:
    out = []
    for event in events:
        event_type, version, payload = encode_event(event)
        out.append(NewEvent(event_type=event_type, schema_version=version, payload=payload, recorded_at=recorded_at))
    return out


def _load(store: EventStore, case_id: str) -> ProcurementState:
    snapshot, events = load_from_snapshot(store, case_id)
    state: ProcurementState | None = None
    if snapshot is not None and snapshot.state_type == STATE_TYPE:
        try:
            state = structure(snapshot.payload, ProcurementState)
        except InvalidInput:
            state = None  # a cache we cannot read: rebuild from the events
        if state is not None and (state.version != snapshot.version or state.case_id != case_id):
            state = None
    if state is None and snapshot is not None:
        events = store.load(case_id)
    result = replay(events, state)
    if result is None:
        raise CaseNotFound(case_id)
    return result
