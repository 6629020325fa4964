"""Events: the immutable facts a purchase is made of, versioned and serialised by the converter.

Every accepted command appends one or more events; the state of a purchase is only ever the
replay of its events (:mod:`socialwork_procurement.lifecycle._procurement`). An event is a frozen attrs
class with two class constants:

* ``EVENT_TYPE`` — its stored name (``"tender_started"``), never changed once released;
* ``SCHEMA_VERSION`` — the version of its payload shape. Changing the shape (renaming, adding or
  removing a field) means bumping the version and registering an *upcaster* in
  :data:`UPCASTERS` that turns the previous version's payload into the new one. Stored events
  are never rewritten: they are upcast each time they are read, so a history written years ago
  stays readable. Golden fixtures of every version (``tests/data/events/``) keep that promise
  tested.

Each event records who acted, in which role, on which day and why (:class:`_Meta` fields). Those
that a rule check allowed also carry a :class:`RuleBasis`: the region, the day, the rule packs
and their versions, and the findings (rule id and version, outcome, JSON path) — and, when the
rules could not decide, the reason the actor gave for going ahead.

``TenderStarted`` is at version 3 and shows the mechanism: version 1 named the reason for a
non-default method ``reason_for_method``; version 2 renamed it ``method_reason``; version 3 added
``purchase_form`` (``None`` for older events, which did not record it). Versions 1 and 2 are the
pre-release shapes of this event, kept so the upcasting path is exercised by real fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Final, TypeAlias

import attrs
from attrs import validators as v

from .._errors import InvalidInput, ProcurementError
from ..model._converter import structure, unstructure
from ..model._types import (
    Contract,
    Contractor,
    DisclosureItem,
    Evaluation,
    Planning,
    ProcurementMethod,
    PurchaseForm,
    Purchaser,
    ServiceDomain,
    TargetGroup,
)
from ..rules._rules import Decision, Finding, Outcome, PackRef, Strength
from ..rules._schedule import EvaluationSchedule
from ._machine import Role

__all__ = [
    "EVENT_TYPES",
    "UPCASTERS",
    "BudgetApproved",
    "CaseAccepted",
    "CaseCancelled",
    "CaseClosed",
    "CaseOpened",
    "ContractSigned",
    "ContractTerminated",
    "ContractorAwarded",
    "DisclosureRecorded",
    "EvaluationFeeReserved",
    "EvaluationRecorded",
    "Event",
    "EventSchemaError",
    "FindingRecord",
    "NeedsAssessed",
    "PackRecord",
    "RuleBasis",
    "ServiceStarted",
    "TenderFailed",
    "TenderStarted",
    "decode_event",
    "encode_event",
    "upcast",
]


class EventSchemaError(ProcurementError, ValueError):
    """A stored event cannot be read: unknown type, a version newer than this library, or a
    payload that does not fit its type after upcasting."""


# --------------------------------------------------------------------------- rule basis


@attrs.frozen(kw_only=True)
class FindingRecord:
    """One finding as the event keeps it: enough to find the rule version and the fact again."""

    rule_id: str
    rule_effective_from: date
    """Pins the rule's version (a rule id can have several, never two in force on one day)."""
    strength: Strength
    outcome: Outcome
    path: str
    pack: str | None = None

    @classmethod
    def of(cls, finding: Finding) -> FindingRecord:
        return cls(
            rule_id=finding.rule_id,
            rule_effective_from=finding.rule.effective_from,
            strength=finding.rule.strength,
            outcome=finding.outcome,
            path=finding.path,
            pack=finding.pack,
        )


@attrs.frozen(kw_only=True)
class PackRecord:
    """A rule pack that answered, and its version (from ``verdict.trace.packs``)."""

    distribution: str
    version: str
    regions: tuple[str, ...] = ()

    @classmethod
    def of(cls, pack: PackRef) -> PackRecord:
        return cls(distribution=pack.distribution, version=pack.version, regions=pack.regions)


@attrs.frozen(kw_only=True)
class RuleBasis:
    """Why a step was allowed: the rules consulted on ``on`` and what they said.

    ``decision`` is :func:`~socialwork_procurement.decide` over the findings about the step:
    ``eligible``, or ``undetermined`` (a needed fact unknown, layers in conflict, or no hard rule
    applying at all) with the actor's reason for going ahead in ``accepted_undetermined``.
    Refused steps store nothing. ``findings`` are those about the step (not-applicable ones left
    out), each pinned to its rule version.
    """

    region: str
    on: date
    decision: Decision
    packs: tuple[PackRecord, ...]
    findings: tuple[FindingRecord, ...]
    accepted_undetermined: str | None = None


# --------------------------------------------------------------------------- events


@attrs.frozen(kw_only=True)
class _Meta:
    """Who, in which role, on which day, why: on every event."""

    EVENT_TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1

    actor: str
    role: Role
    on: date
    reason: str | None = None


@attrs.frozen(kw_only=True)
class CaseOpened(_Meta):
    """A purchase was opened by an eligible purchaser."""

    EVENT_TYPE: ClassVar[str] = "case_opened"

    region: str
    title: str
    purchaser: Purchaser
    basis: RuleBasis


@attrs.frozen(kw_only=True)
class NeedsAssessed(_Meta):
    EVENT_TYPE: ClassVar[str] = "needs_assessed"

    summary: str
    target_groups: frozenset[TargetGroup] = frozenset()
    service_domains: frozenset[ServiceDomain] = frozenset()


@attrs.frozen(kw_only=True)
class BudgetApproved(_Meta):
    """Costs, targets and budget, as the planning rules saw them."""

    EVENT_TYPE: ClassVar[str] = "budget_approved"

    planning: Planning
    basis: RuleBasis


@attrs.frozen(kw_only=True)
class TenderStarted(_Meta):
    """A tender round started (see the module docstring for versions 1 to 3).

    Version 4: the purchaser can declare the fact 财政部令第102号 art. 7 asks about the tender's
    conditions for contractors (``contractor_conditions_non_discriminatory``); version 3 payloads
    are upcast with it unset, which reads as "not declared".
    """

    EVENT_TYPE: ClassVar[str] = "tender_started"
    SCHEMA_VERSION: ClassVar[int] = 4

    method: ProcurementMethod
    method_reason: str | None = None
    subject_matter: str | None = None
    purchase_form: PurchaseForm | None = None
    contractor_conditions_non_discriminatory: bool | None = None
    basis: RuleBasis


@attrs.frozen(kw_only=True)
class TenderFailed(_Meta):
    """流标, or the award fell through (``reason`` says why)."""

    EVENT_TYPE: ClassVar[str] = "tender_failed"


@attrs.frozen(kw_only=True)
class ContractorAwarded(_Meta):
    """The contractor chosen, with the findings that allowed it.

    Version 2: the contractor gained ``social_work_service_agency`` (民办社会工作服务机构, issue 8);
    version 1 payloads are upcast with it undeclared.
    """

    EVENT_TYPE: ClassVar[str] = "contractor_awarded"
    SCHEMA_VERSION: ClassVar[int] = 2

    contractor: Contractor
    amount: Decimal | None = None
    basis: RuleBasis


@attrs.frozen(kw_only=True)
class ContractSigned(_Meta):
    """The contract as signed, and the evaluation days scheduled from its service period.

    Version 2: the contract gained ``long_term_basis`` (102号令 art. 24); version 1 payloads are
    upcast with it unset. Version 3: the contract gained the facts arts. 7, 10 and 24 ask for
    (``budget_secured`` … ``negative_list_items``); version 2 payloads are upcast with them unset,
    which reads as "not declared", never as a default. Version 4: the schedule gained
    ``midterm_required`` (the evaluation schedule is the region's, issue 8); version 3 payloads
    are upcast with ``true``, because until then the lifecycle required a mid-term evaluation in
    every region, so that is what those cases were scheduled with.
    """

    EVENT_TYPE: ClassVar[str] = "contract_signed"
    SCHEMA_VERSION: ClassVar[int] = 4

    contract: Contract
    schedule: EvaluationSchedule
    basis: RuleBasis


@attrs.frozen(kw_only=True)
class EvaluationFeeReserved(_Meta):
    """The region's evaluation fee on the base the signer named, or «not specified» and why.

    ``fee`` is ``None`` when no fee rule is in force (``reason_zh``/``reason_en`` say why, from
    the region's recorded silence) or when the rules conflicted and the actor went ahead.
    """

    EVENT_TYPE: ClassVar[str] = "evaluation_fee_reserved"

    base_amount: Decimal | None
    fee: Decimal | None
    rule_id: str | None = None
    pack: str | None = None
    reason_zh: str | None = None
    reason_en: str | None = None


@attrs.frozen(kw_only=True)
class ServiceStarted(_Meta):
    EVENT_TYPE: ClassVar[str] = "service_started"


@attrs.frozen(kw_only=True)
class EvaluationRecorded(_Meta):
    """An evaluation; ``basis`` holds the region's findings about it, ``None`` if no rule spoke of it."""

    EVENT_TYPE: ClassVar[str] = "evaluation_recorded"

    evaluation: Evaluation
    basis: RuleBasis | None


@attrs.frozen(kw_only=True)
class CaseAccepted(_Meta):
    """结项验收, on a passed final evaluation and the region's evaluation rules."""

    EVENT_TYPE: ClassVar[str] = "case_accepted"

    basis: RuleBasis


@attrs.frozen(kw_only=True)
class CaseClosed(_Meta):
    EVENT_TYPE: ClassVar[str] = "case_closed"


@attrs.frozen(kw_only=True)
class CaseCancelled(_Meta):
    EVENT_TYPE: ClassVar[str] = "case_cancelled"


@attrs.frozen(kw_only=True)
class ContractTerminated(_Meta):
    EVENT_TYPE: ClassVar[str] = "contract_terminated"


@attrs.frozen(kw_only=True)
class DisclosureRecorded(_Meta):
    """信息公开: these items were published."""

    EVENT_TYPE: ClassVar[str] = "disclosure_recorded"

    items: frozenset[DisclosureItem] = attrs.field(validator=v.instance_of(frozenset))
    where: str | None = None


Event: TypeAlias = (
    CaseOpened
    | NeedsAssessed
    | BudgetApproved
    | TenderStarted
    | TenderFailed
    | ContractorAwarded
    | ContractSigned
    | EvaluationFeeReserved
    | ServiceStarted
    | EvaluationRecorded
    | CaseAccepted
    | CaseClosed
    | CaseCancelled
    | ContractTerminated
    | DisclosureRecorded
)
"""Any event."""

EVENT_TYPES: Final[Mapping[str, type[Event]]] = {
    cls.EVENT_TYPE: cls
    for cls in (
        CaseOpened,
        NeedsAssessed,
        BudgetApproved,
        TenderStarted,
        TenderFailed,
        ContractorAwarded,
        ContractSigned,
        EvaluationFeeReserved,
        ServiceStarted,
        EvaluationRecorded,
        CaseAccepted,
        CaseClosed,
        CaseCancelled,
        ContractTerminated,
        DisclosureRecorded,
    )
}
"""Event classes by stored type name."""


# --------------------------------------------------------------------------- upcasting

Upcaster = Callable[[Mapping[str, Any]], dict[str, Any]]


def _tender_started_1_to_2(payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    out["method_reason"] = out.pop("reason_for_method", None)
    return out


def _tender_started_2_to_3(payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    out.setdefault("purchase_form", None)
    return out


def _tender_started_3_to_4(payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    out.setdefault("contractor_conditions_non_discriminatory", None)  # not declared then
    return out


def _contract_signed_1_to_2(payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    contract = dict(out["contract"])
    contract.setdefault("long_term_basis", None)  # the contract stated no basis then
    out["contract"] = contract
    return out


_CONTRACT_FACTS_V3 = (
    "budget_secured",
    "content_relatively_fixed",
    "strongly_continuous",
    "stable_funding",
    "small_price_changes",
    "contractor_conditions_non_discriminatory",
    "negative_list_items",
)


def _contract_signed_2_to_3(payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    contract = dict(out["contract"])
    for name in _CONTRACT_FACTS_V3:
        contract.setdefault(name, None)  # not declared when the contract was signed
    out["contract"] = contract
    return out


def _contract_signed_3_to_4(payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    if isinstance(out.get("schedule"), Mapping):  # anything else is left for decoding to refuse
        schedule = dict(out["schedule"])
        schedule.setdefault("midterm_required", True)  # what the lifecycle then scheduled everywhere
        out["schedule"] = schedule
    return out


def _contractor_awarded_1_to_2(payload: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(payload)
    if isinstance(out.get("contractor"), Mapping):  # anything else is left for decoding to refuse
        contractor = dict(out["contractor"])
        contractor.setdefault("social_work_service_agency", None)  # not declared when the award was made
        out["contractor"] = contractor
    return out


UPCASTERS: Final[Mapping[tuple[str, int], Upcaster]] = {
    ("contractor_awarded", 1): _contractor_awarded_1_to_2,
    ("contract_signed", 1): _contract_signed_1_to_2,
    ("contract_signed", 2): _contract_signed_2_to_3,
    ("contract_signed", 3): _contract_signed_3_to_4,
    ("tender_started", 1): _tender_started_1_to_2,
    ("tender_started", 2): _tender_started_2_to_3,
    ("tender_started", 3): _tender_started_3_to_4,
}
"""``(event_type, version) -> function`` turning that version's payload into the next version's."""


def upcast(event_type: str, schema_version: int, payload: Mapping[str, Any]) -> dict[str, Any]:
    """The payload of a stored ``event_type`` at ``schema_version``, brought to the current version."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise EventSchemaError(f"unknown event type {event_type!r}")
    current = cls.SCHEMA_VERSION
    if not 1 <= schema_version <= current:
        raise EventSchemaError(
            f"{event_type} version {schema_version} is not readable by this library (it reads 1 to {current})"
        )
    data = dict(payload)
    for version in range(schema_version, current):
        step = UPCASTERS.get((event_type, version))
        if step is None:
            raise EventSchemaError(f"no upcaster from {event_type} version {version} to {version + 1}")
        data = step(data)
    return data


def decode_event(event_type: str, schema_version: int, payload: Mapping[str, Any]) -> Event:
    """The event a stored envelope holds, upcast to the current version and structured strictly."""
    data = upcast(event_type, schema_version, payload)
    try:
        return structure(data, EVENT_TYPES[event_type])
    except InvalidInput as exc:
        raise EventSchemaError(
            f"stored {event_type} (version {schema_version}) does not fit the event type: {exc}"
        ) from exc


def encode_event(event: Event) -> tuple[str, int, dict[str, Any]]:
    """``(event_type, schema_version, payload)`` for the store."""
    payload: dict[str, Any] = unstructure(event)
    return event.EVENT_TYPE, event.SCHEMA_VERSION, payload
