"""Commands: what an actor asks a purchase to do, with who, in which role, on which day and why.

Every command carries

* ``actor`` — who acts (a person or body, as the app names it);
* ``role`` — in which capacity (:class:`~socialwork_procurement.Role`): only some roles may take
  each action (:data:`~socialwork_procurement.ACTION_ROLES`);
* ``on`` — the day the step is taken. Rules are resolved for this day (``registry.check(...,
  on=command.on)``), and a step may not be dated before the case's previous step. The store
  adds the moment the event was recorded (``recorded_at``) on its own;
* ``reason`` — why (free text; required to fail a tender, cancel or terminate);
* ``accept_undetermined`` — set it to go ahead although the rules cannot decide (a fact they
  need is not known, or a regional and a national rule conflict). The reason is recorded in the
  event with the findings; without it such a command is refused.

Commands are frozen attrs classes validated when built. From JSON they come as an object tagged
by ``"command"`` (:func:`parse_command`), structured strictly by the library's converter.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar, Final, TypeAlias

import attrs
from attrs import validators as v

from .._errors import InputProblem, InvalidInput
from ..model._converter import json_type, structure, unstructure
from ..model._money import money_validator
from ..model._types import (
    Contractor,
    ContractTerm,
    DisclosureItem,
    Evaluation,
    EvaluationResult,
    EvaluationStage,
    EvaluatorRole,
    Installment,
    NegativeListItem,
    ProcurementMethod,
    PurchaseForm,
    Purchaser,
    ServiceDomain,
    ServicePeriod,
    TargetGroup,
    _uscc_converter,
    _uscc_validator,
)
from ._machine import Action, Role

__all__ = [
    "COMMAND_TYPES",
    "Accept",
    "ApproveBudget",
    "AssessNeeds",
    "Award",
    "Cancel",
    "Close",
    "Command",
    "FailTender",
    "OpenCase",
    "RecordDisclosure",
    "RecordEvaluation",
    "SignContract",
    "StartService",
    "StartTender",
    "Terminate",
    "command_json",
    "parse_command",
]


def _text(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str):
        raise TypeError(f"{attribute.name} must be a string, not {type(value).__name__}")
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


def _optional_text(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _text(inst, attribute, value)


def _required_money(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise TypeError(f"{attribute.name} is required")
    money_validator(_inst, attribute, value)


def _frozenset_of(kind: type) -> Any:
    return v.deep_iterable(v.instance_of(kind), v.instance_of(frozenset))


_opt_bool = v.optional(v.instance_of(bool))


@attrs.frozen(kw_only=True)
class _Base:
    """Fields every command has (see the module docstring)."""

    command: ClassVar[str]
    """The JSON tag (``"assess_needs"``)."""

    actor: str = attrs.field(validator=_text)
    role: Role = attrs.field(validator=v.instance_of(Role))
    on: date = attrs.field(validator=v.instance_of(date))
    reason: str | None = attrs.field(default=None, validator=_optional_text)
    accept_undetermined: str | None = attrs.field(default=None, validator=_optional_text)

    @property
    def action(self) -> Action:
        """The machine action this command takes."""
        return Action(self.command)


@attrs.frozen(kw_only=True)
class OpenCase(_Base):
    """Open a purchase (state ``draft``). Refused if the purchaser may not purchase in the region."""

    command: ClassVar[str] = "open"

    region: str = attrs.field(validator=_text)
    """Code of the region whose rules govern the purchase (``"xiamen"``)."""
    title: str = attrs.field(validator=_text)
    purchaser: Purchaser = attrs.field(validator=v.instance_of(Purchaser))


@attrs.frozen(kw_only=True)
class AssessNeeds(_Base):
    """摸底调查与分析评估: the needs survey is done (``draft → needs_assessed``)."""

    command: ClassVar[str] = "assess_needs"

    summary: str = attrs.field(validator=_text)
    """What the survey found, in a sentence or two."""
    target_groups: frozenset[TargetGroup] = attrs.field(default=frozenset(), validator=_frozenset_of(TargetGroup))
    service_domains: frozenset[ServiceDomain] = attrs.field(default=frozenset(), validator=_frozenset_of(ServiceDomain))


@attrs.frozen(kw_only=True)
class ApproveBudget(_Base):
    """核算成本、提出目标、编制预算 (``needs_assessed → budgeted``), checked by the planning rules.

    A fact left ``None`` is unknown to the rules that need it (Xiamen and Ningxia want all four
    targets): the command is then refused as undetermined unless ``accept_undetermined`` says why.
    """

    command: ClassVar[str] = "approve_budget"

    amount: Decimal = attrs.field(validator=_required_money)
    """The budget drawn up (编制预算 / 年度项目预算), yuan."""
    cost_accounting: bool | None = attrs.field(default=None, validator=_opt_bool)
    targets_quantity: bool | None = attrs.field(default=None, validator=_opt_bool)
    targets_scale: bool | None = attrs.field(default=None, validator=_opt_bool)
    targets_quality: bool | None = attrs.field(default=None, validator=_opt_bool)
    targets_effect: bool | None = attrs.field(default=None, validator=_opt_bool)


@attrs.frozen(kw_only=True)
class StartTender(_Base):
    """Start (or, after a failed tender, restart) the procurement by ``method``.

    Checked by the region's contract-level procedure rules: Henan wants an open tender unless
    ``method_reason`` says why not (「原则上」).
    """

    command: ClassVar[str] = "start_tender"

    method: ProcurementMethod = attrs.field(validator=v.instance_of(ProcurementMethod))
    method_reason: str | None = attrs.field(default=None, validator=_optional_text)
    """Why a method other than the region's default is used."""
    purchase_form: PurchaseForm | None = attrs.field(default=None, validator=v.optional(v.instance_of(PurchaseForm)))
    subject_matter: str | None = attrs.field(default=None, validator=_optional_text)
    contractor_conditions_non_discriminatory: bool | None = attrs.field(default=None, validator=_opt_bool)
    """财政部令第102号 art. 7, declared by the purchaser: the conditions the procurement documents
    set for contractors are not unreasonably differential or discriminatory (``None``: not
    declared, and the rule stays unknown). It holds for this round's documents: kept on the
    contract for signing, and declared afresh by a re-tender."""


@attrs.frozen(kw_only=True)
class FailTender(_Base):
    """流标, or an award that fell through before signing: ``reason`` is required."""

    command: ClassVar[str] = "fail_tender"

    reason: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class Award(_Base):
    """Award the purchase to ``contractor``; refused with the findings if it is ineligible."""

    command: ClassVar[str] = "award"

    contractor: Contractor = attrs.field(validator=v.instance_of(Contractor))
    amount: Decimal | None = attrs.field(default=None, validator=money_validator)
    """The winning price, yuan, if known."""


def _installments_within(inst: SignContract, _attribute: object, value: tuple[Installment, ...]) -> None:
    total = sum((i.amount for i in value), Decimal(0))
    if total > inst.amount:
        raise ValueError(f"installments total {total} exceeds the contract amount {inst.amount}")


@attrs.frozen(kw_only=True)
class SignContract(_Base):
    """Sign the contract (``awarded → contracted``), checked by the region's contract rules.

    Signing schedules the mid-term and final evaluations from ``service_period``
    (:func:`~socialwork_procurement.evaluation_schedule`) and reserves the region's evaluation
    fee on ``evaluation_fee_base``. The base is never derived from ``amount``: the sources do
    not say what the fee's base is (Xiamen: 「总购买资金」, inside or on top of the purchase?),
    so the caller names it. Where a fee rule is in force the base is required; where none is,
    the event records «not specified» and the reason.
    """

    command: ClassVar[str] = "sign_contract"

    service_period: ServicePeriod = attrs.field(validator=v.instance_of(ServicePeriod))
    amount: Decimal = attrs.field(validator=_required_money)
    stated_terms: frozenset[ContractTerm] = attrs.field(validator=_frozenset_of(ContractTerm))
    written: bool | None = attrs.field(default=None, validator=_opt_bool)
    installments: tuple[Installment, ...] = attrs.field(
        default=(), validator=[v.deep_iterable(v.instance_of(Installment), v.instance_of(tuple)), _installments_within]
    )
    evaluation_fee_base: Decimal | None = attrs.field(default=None, validator=money_validator)
    # The facts 财政部令第102号 asks of a contract (arts. 7, 10 and 24), declared at signing and stored with
    # the contract; left out, each is "not declared" and its rule unknown, never a default.
    contractor_conditions_non_discriminatory: bool | None = attrs.field(default=None, validator=_opt_bool)
    negative_list_items: frozenset[NegativeListItem] | None = attrs.field(
        default=None, validator=v.optional(_frozenset_of(NegativeListItem))
    )
    budget_secured: bool | None = attrs.field(default=None, validator=_opt_bool)
    content_relatively_fixed: bool | None = attrs.field(default=None, validator=_opt_bool)
    strongly_continuous: bool | None = attrs.field(default=None, validator=_opt_bool)
    stable_funding: bool | None = attrs.field(default=None, validator=_opt_bool)
    small_price_changes: bool | None = attrs.field(default=None, validator=_opt_bool)


@attrs.frozen(kw_only=True)
class StartService(_Base):
    """The service starts (``contracted → in_service``)."""

    command: ClassVar[str] = "start_service"


def _score(_inst: object, _attribute: object, value: Decimal | None) -> None:
    if value is None:
        return
    if not isinstance(value, Decimal):
        raise TypeError(f"score must be a Decimal, not {type(value).__name__}")
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
        raise ValueError(f"score must be between 0 and 100: {value}")


@attrs.frozen(kw_only=True)
class RecordEvaluation(_Base):
    """Record an evaluation done on ``on`` (mid-term or final, by ``stage``).

    A third-party evaluation by the contractor or the purchaser itself (same name after
    normalisation, or same USCC) is refused, and so is a third party acting as one of them.
    """

    command: ClassVar[str] = "record_evaluation"

    stage: EvaluationStage = attrs.field(validator=v.instance_of(EvaluationStage))
    evaluator: str = attrs.field(validator=_text)
    evaluator_role: EvaluatorRole = attrs.field(validator=v.instance_of(EvaluatorRole))
    evaluator_uscc: str | None = attrs.field(default=None, converter=_uscc_converter, validator=_uscc_validator)
    result: EvaluationResult | None = attrs.field(default=None, validator=v.optional(v.instance_of(EvaluationResult)))
    score: Decimal | None = attrs.field(default=None, validator=_score)

    @property
    def action(self) -> Action:
        if self.stage is EvaluationStage.MIDTERM:
            return Action.RECORD_MIDTERM_EVALUATION
        return Action.RECORD_FINAL_EVALUATION

    def evaluation(self) -> Evaluation:
        """The evaluation as the case records it (dated ``on``)."""
        return Evaluation(
            stage=self.stage,
            evaluator=self.evaluator,
            evaluator_role=self.evaluator_role,
            date=self.on,
            result=self.result,
            score=self.score,
            evaluator_uscc=self.evaluator_uscc,
        )


@attrs.frozen(kw_only=True)
class Accept(_Base):
    """结项验收 (``final_evaluated → accepted``): needs a passed final evaluation."""

    command: ClassVar[str] = "accept"


@attrs.frozen(kw_only=True)
class Close(_Base):
    """Close an accepted purchase (final)."""

    command: ClassVar[str] = "close"


@attrs.frozen(kw_only=True)
class Cancel(_Base):
    """Cancel before a contract is signed (final): ``reason`` is required."""

    command: ClassVar[str] = "cancel"

    reason: str = attrs.field(validator=_text)


@attrs.frozen(kw_only=True)
class Terminate(_Base):
    """End a signed contract early, e.g. for breach (final): ``reason`` is required."""

    command: ClassVar[str] = "terminate"

    reason: str = attrs.field(validator=_text)


def _non_empty_set(_inst: object, attribute: attrs.Attribute[Any], value: frozenset[Any]) -> None:
    if not value:
        raise ValueError(f"{attribute.name} must list at least one item")


@attrs.frozen(kw_only=True)
class RecordDisclosure(_Base):
    """信息公开: ``items`` were published (in any state that is not final; the state stays)."""

    command: ClassVar[str] = "record_disclosure"

    items: frozenset[DisclosureItem] = attrs.field(validator=[_frozenset_of(DisclosureItem), _non_empty_set])
    where: str | None = attrs.field(default=None, validator=_optional_text)
    """Where it was published (a web address, a notice board)."""


Command: TypeAlias = (
    OpenCase
    | AssessNeeds
    | ApproveBudget
    | StartTender
    | FailTender
    | Award
    | SignContract
    | StartService
    | RecordEvaluation
    | Accept
    | Close
    | Cancel
    | Terminate
    | RecordDisclosure
)
"""Any command."""

COMMAND_TYPES: Final[Mapping[str, type[Command]]] = {
    cls.command: cls
    for cls in (
        OpenCase,
        AssessNeeds,
        ApproveBudget,
        StartTender,
        FailTender,
        Award,
        SignContract,
        StartService,
        RecordEvaluation,
        Accept,
        Close,
        Cancel,
        Terminate,
        RecordDisclosure,
    )
}
"""Command classes by their JSON tag."""


def parse_command(data: object) -> Command:
    """Structure a JSON command ``{"command": "assess_needs", "actor": ..., ...}`` strictly.

    Raises :class:`~socialwork_procurement.InvalidInput` with one problem per JSON path.
    """
    if not isinstance(data, Mapping):
        raise InvalidInput([InputProblem("$", f"expected an object, got {json_type(data)}")])
    if "command" not in data:
        raise InvalidInput([InputProblem("$.command", "required field missing")])
    tag = data["command"]
    cls = COMMAND_TYPES.get(tag) if isinstance(tag, str) else None
    if cls is None:
        allowed = ", ".join(sorted(COMMAND_TYPES))
        raise InvalidInput([InputProblem("$.command", f"expected one of {allowed}; got {json_type(tag)}")])
    rest = {key: value for key, value in data.items() if key != "command"}
    return structure(rest, cls)


def command_json(command: Command) -> dict[str, Any]:
    """The JSON form :func:`parse_command` reads back."""
    data: dict[str, Any] = {"command": command.command}
    data.update(unstructure(command))
    return data
