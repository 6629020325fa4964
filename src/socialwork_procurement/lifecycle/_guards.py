"""Guards: what each command must pass before it may append anything, declared as data.

Every command passes the same guard path (:func:`admit`), in this order:

1. **the machine**: the action is allowed in the case's state (:class:`InvalidTransition`);
2. **the role**: the actor's role may take the action (:data:`~socialwork_procurement.ACTION_ROLES`);
3. **the date**: the step is not dated before the case's last step;
4. what the command's :class:`Guard` declares in :data:`GUARDS`, in this order: the region
   exists (``region``), the command's own checks on the case's facts (``checks``), its checks on
   the region's rules as data (``region_checks``: the evaluation schedule), the region's
   rules in force on the step's day (``rules``: which subjects and kinds gate it, which facts
   they judge, and ``vetoes`` that refuse with the rules' failures about the step), and the
   evaluation fee (``evaluation_fee``).

The rules are asked once per step (``registry.check``) on the facts the step would leave; the
findings are then sorted in one pass into those about the step (:class:`RuleScope`). The
decision is the library's one (:func:`~socialwork_procurement.decide`) over them: a failing hard
rule refuses; an unknown fact, a conflict between layers, or no hard rule applying at all
(nothing was checked) is undetermined and needs ``accept_undetermined``. A recorded evaluation
is the exception to the last clause: only findings about that evaluation can stop it, and with
none its event carries no basis.

:func:`admit` returns a :class:`Ruling`: the facts judged, the :class:`RuleBasis` the events
will carry, and the fee answer, from which the command's decision (``_decisions``) builds its
events. Adding a command adds one :class:`Guard` here and one decision there.
"""

from __future__ import annotations

import enum
import functools
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final, Generic, TypeVar

import attrs
from dateutil.relativedelta import relativedelta

from .._errors import RuleConflict, UnknownRegion
from .._i18n import Bilingual, Joined, Message
from ..model._types import Case, Contract, EvaluationStage, EvaluatorRole, Planning, ServicePeriod
from ..rules._registry import CheckPlan, Registry
from ..rules._registry import decide as decide_findings
from ..rules._rules import (
    Conflict,
    Decision,
    FeeAnswer,
    Finding,
    Outcome,
    PackRef,
    Rule,
    RuleKind,
    Subject,
    Verdict,
)
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
from ._events import FindingRecord, PackRecord, RuleBasis
from ._fold import InvalidHistory, ProcurementState
from ._machine import MACHINE, Role
from ._refusals import CommandRefused, CommandUndetermined, InvalidTransition

__all__ = [
    "CALENDAR_CYCLE",
    "GUARDS",
    "Guard",
    "RuleScope",
    "Rules",
    "Ruling",
    "admit",
    "schedulable",
    "schedule_rules",
    "service_period",
]

_C = TypeVar("_C", bound=Command)

Check = Callable[[ProcurementState, _C], None]
"""A command's own check on the case's facts: raises :class:`CommandRefused` to refuse."""

RegionCheck = Callable[[ProcurementState, _C, Registry], None]
"""A command's check on the region's rules as data (which stages its schedule requires), not on a
verdict: raises :class:`CommandRefused` to refuse."""

Veto = Callable[[ProcurementState, _C], Message | None]
"""The refusal's message if the step is refused whatever the rules say (``None``: no objection);
the refusal carries the rules' failing findings about the step."""


class RuleScope(enum.Enum):
    """Which findings of the rules' subjects and kinds are about the step."""

    STEP = "step"
    """All of them; with no hard rule applying at all the step is undetermined (nothing was checked)."""
    NEW_EVALUATION = "new_evaluation"
    """Only those at the evaluation being recorded (``$.evaluations[i]…``); with none applying
    the event carries no basis (most evaluations are the subject of no rule)."""


@attrs.frozen(kw_only=True)
class Rules(Generic[_C]):
    """The region's rules that gate a step: ``registry.check`` on ``facts``, findings filtered."""

    what: Callable[[_C], Message]
    """How refusals name the step («the award to 某中心»)."""
    facts: Callable[[ProcurementState | None, _C], Case]
    """The case the rules judge: the case's facts as the step would leave them."""
    subjects: frozenset[Subject]
    kinds: frozenset[RuleKind] | None = None
    """``None``: every kind of rule about the subjects."""
    scope: RuleScope = RuleScope.STEP
    vetoes: tuple[Veto[_C], ...] = ()


@attrs.frozen(kw_only=True)
class Guard(Generic[_C]):
    """What one command must pass besides the machine, the role and the date (see the module).

    The region questions it asks are the fields set: ``region`` (the region exists),
    ``region_checks`` (the region's rules read as data, e.g. its evaluation schedule),
    ``rules`` (``registry.check``) and ``evaluation_fee`` (``registry.evaluation_fee`` on the
    base it returns); ``checks`` look at the case's facts only.
    """

    region: bool = False
    checks: tuple[Check[_C], ...] = ()
    region_checks: tuple[RegionCheck[_C], ...] = ()
    schedule: bool = False
    """Ask the region's evaluation schedule over the contract's days (:func:`schedule_rules`)."""
    rules: Rules[_C] | None = None
    evaluation_fee: Callable[[_C], Decimal | None] | None = None


@attrs.frozen(kw_only=True)
class Ruling:
    """What the guard found, for the decision: the facts judged, the basis, the fee."""

    region: str
    case: Case | None = None
    """The facts the rules judged (``None`` when the step asks no rule)."""
    basis: RuleBasis | None = None
    fee: FeeAnswer | None = None
    fee_conflict: RuleConflict | None = None
    """The fee rules conflicted and the actor went ahead (``accept_undetermined``)."""
    midterm_required: bool | None = None
    """For a step that asks the schedule (``Guard.schedule``): whether a rule in force on some
    day of the contract requires a mid-term evaluation (``None``: the step does not ask)."""


# --------------------------------------------------------------------------- the one guard path


def admit(state: ProcurementState | None, command: Command, registry: Registry) -> Ruling:
    """Check ``command`` against ``state`` (``None``: the case is being opened) and the region.

    Raises :class:`InvalidTransition`, :class:`CommandRefused`, :class:`CommandUndetermined`
    or :class:`~socialwork_procurement.UnknownRegion`; stores nothing.
    """
    action = command.action
    if state is not None:
        if action is MACHINE.initial_action:
            raise InvalidTransition(Message("case {case_id!r} is already open", case_id=state.case_id))
        if state.is_final:
            raise InvalidTransition(
                Message(
                    "case {case_id!r} is {state}, a final state: nothing can follow",
                    case_id=state.case_id,
                    state=state.status,
                )
            )
        if MACHINE.target(state.status, action) is None:
            raise InvalidTransition(
                Message(
                    "{action} is not allowed in state {state} (allowed: {allowed})",
                    action=action,
                    state=state.status,
                    allowed=Joined(state.allowed_actions),
                )
            )
    elif action is not MACHINE.initial_action:
        raise InvalidTransition(
            Message("a case is opened by {initial}, not {action}", initial=MACHINE.initial_action, action=action)
        )
    allowed_roles = MACHINE.roles.get(action, frozenset())
    if command.role not in allowed_roles:
        raise CommandRefused(
            Message(
                "{action} is not for the {role} role (allowed: {roles})",
                action=action,
                role=command.role,
                roles=Joined(sorted(allowed_roles)),
            )
        )
    if state is not None and command.on < state.last_on:
        raise CommandRefused(
            Message(
                "{action} dated {on} is before the case's last step ({last_on})",
                action=action,
                on=command.on,
                last_on=state.last_on,
            )
        )

    guard: Guard[Any] = GUARDS[type(command)]
    region = state.region if state is not None else _opening_region(command)
    if guard.region:
        registry.region(region)  # UnknownRegion before anything else
    if state is not None:
        for check in guard.checks:
            check(state, command)
        for region_check in guard.region_checks:
            region_check(state, command, registry)
    ruling = Ruling(region=region)
    if guard.rules is not None:
        ruling = _ask_rules(guard.rules, state, command, registry, region)
    if guard.evaluation_fee is not None:
        ruling = _ask_fee(ruling, guard.evaluation_fee(command), command, registry)
    if guard.schedule:
        assert isinstance(command, SignContract)
        midterm = schedule_rules(
            registry, region, EvaluationStage.MIDTERM, start=command.on, end=command.service_period.end
        )
        ruling = attrs.evolve(ruling, midterm_required=bool(midterm))
    return ruling


def _opening_region(command: Command) -> str:
    assert isinstance(command, OpenCase)
    return command.region


def _ask_rules(
    rules: Rules[Any], state: ProcurementState | None, command: Command, registry: Registry, region: str
) -> Ruling:
    case = rules.facts(state, command)
    verdict = _scoped_plan(registry.plan(region, command.on), rules.subjects, rules.kinds).check(case)
    about = _About(rules, case)
    if state is not None:
        for veto in rules.vetoes:
            problem = veto(state, command)
            if problem is not None:
                failing = [f for f in verdict.findings if about(f) and f.outcome is Outcome.FAIL]
                raise CommandRefused(problem, failing)
    return Ruling(region=region, case=case, basis=_judge(rules, about, verdict, command, region, registry))


_SCOPED: dict[tuple[int, frozenset[Subject], frozenset[RuleKind] | None], tuple[CheckPlan, CheckPlan]] = {}
_SCOPED_LIMIT: Final = 512


def _scoped_plan(plan: CheckPlan, subjects: frozenset[Subject], kinds: frozenset[RuleKind] | None) -> CheckPlan:
    """``plan`` with only the rules a step's findings can come from: the step's subjects and
    kinds, and every rule that shares a question with one of them (a conflict between layers is
    reported if either side is about the step). The findings about the step, the conflicts and
    so the step's decision and basis are those of the whole plan (``tests/test_lifecycle_scope.py``);
    the other rules' predicates are simply not called (issue 10: a step asked every rule)."""
    key = (id(plan), subjects, kinds)
    cached = _SCOPED.get(key)
    if cached is not None and cached[0] is plan:  # the id is the plan's only while it lives
        return cached[1]

    def about(rule: Rule) -> bool:
        return rule.subject in subjects and (kinds is None or rule.kind in kinds)

    questions = {rule.question for rule, _pack, _predicate in plan.steps if rule.question and about(rule)}
    scoped = plan.restricted(lambda rule: about(rule) or (rule.question is not None and rule.question in questions))
    if len(_SCOPED) >= _SCOPED_LIMIT:
        _SCOPED.clear()
    _SCOPED[key] = (plan, scoped)
    return scoped


class _About:
    """Whether a finding is about the step: its rule's subject and kind, and for a recorded
    evaluation its path. The sets are the declaration's own, built once."""

    def __init__(self, rules: Rules[Any], case: Case) -> None:
        self._subjects = rules.subjects
        self._kinds = rules.kinds
        self._prefix = (
            f"$.evaluations[{len(case.evaluations) - 1}]" if rules.scope is RuleScope.NEW_EVALUATION else None
        )

    def __call__(self, finding: Finding) -> bool:
        rule = finding.rule
        if rule.subject not in self._subjects or (self._kinds is not None and rule.kind not in self._kinds):
            return False
        return self._prefix is None or finding.path.startswith(self._prefix)


def _applied(finding: Finding) -> bool:
    return finding.outcome is not Outcome.NOT_APPLICABLE


def _region_name(registry: Registry, code: str) -> Bilingual:
    """How refusals name the region: 厦门市 / Xiamen (its code if no pack names it any more)."""
    try:
        region = registry.region(code)
    except UnknownRegion:
        return Bilingual(code, code)
    return Bilingual(region.name_zh, region.name_en)


def _rule_list(findings: Sequence[Finding]) -> Joined:
    return Joined(
        (
            Message(
                "{rule_id} ({outcome} at {path}): {message}",
                rule_id=f.rule_id,
                outcome=f.outcome,
                path=f.path,
                message=Bilingual(f.message("zh"), f.message("en")),
            )
            for f in findings
        ),
        clauses=True,
    )


def _judge(
    rules: Rules[Any],
    about: Callable[[Finding], bool],
    verdict: Verdict,
    command: Command,
    region: str,
    registry: Registry,
) -> RuleBasis | None:
    """Refuse, or the basis the step's events carry (``None``: an evaluation no rule spoke of)."""
    on = command.on
    accept = command.accept_undetermined
    findings = [f for f in verdict.findings if about(f)]
    conflicts: list[Conflict] = [c for c in verdict.conflicts if about(c.regional) or about(c.national)]
    if not conflicts and not any(f.rule.strength.gates and _applied(f) for f in findings):
        if rules.scope is RuleScope.NEW_EVALUATION:
            return None
        if accept is None:
            raise CommandUndetermined(
                Message(
                    "{step}: undetermined, no hard rule of {region} in force on {on} applies to it, so nothing "
                    "was checked. Set accept_undetermined to the reason for going ahead",
                    step=rules.what(command),
                    region=_region_name(registry, region),
                    on=on,
                )
            )
        return _basis(verdict, findings, Decision.UNDETERMINED, region, on, accept)
    decision = decide_findings(findings, conflicts)
    if decision is Decision.INELIGIBLE:
        in_conflict = {f for c in conflicts for f in (c.regional, c.national)}  # by value, as decide() does
        failures = [f for f in findings if f.rule.strength.gates and f.outcome is Outcome.FAIL and f not in in_conflict]
        raise CommandRefused(
            Message(
                "{step}: refused by the rules of {region} on {on}: {failures}",
                step=rules.what(command),
                region=_region_name(registry, region),
                on=on,
                failures=_rule_list(failures),
            ),
            failures,
        )
    if decision is Decision.UNDETERMINED and accept is None:
        undecided = [f for f in findings if f.rule.strength.gates and f.outcome is Outcome.UNKNOWN]
        undecided += [f for c in conflicts for f in (c.regional, c.national)]
        details = Joined(
            (_rule_list(undecided), *(Bilingual(c.message_zh, c.message_en) for c in conflicts)), clauses=True
        )
        raise CommandUndetermined(
            Message(
                "{step}: undetermined under the rules of {region} on {on}: {details}. Give the missing facts, "
                "or set accept_undetermined to the reason for going ahead",
                step=rules.what(command),
                region=_region_name(registry, region),
                on=on,
                details=details,
            ),
            undecided,
        )
    return _basis(verdict, findings, decision, region, on, accept if decision is Decision.UNDETERMINED else None)


def _basis(
    verdict: Verdict, findings: Sequence[Finding], decision: Decision, region: str, on: date, accepted: str | None
) -> RuleBasis:
    return RuleBasis(
        region=region,
        on=on,
        decision=decision,
        packs=_pack_records(verdict.trace.packs),
        findings=tuple(FindingRecord.of(f) for f in findings if _applied(f)),
        accepted_undetermined=accepted,
    )


@functools.lru_cache(maxsize=64)
def _pack_records(packs: tuple[PackRef, ...]) -> tuple[PackRecord, ...]:
    """The packs a verdict consulted, as events record them: the same few sets on every step of
    a region, so they are built once (both are immutable)."""
    return tuple(PackRecord.of(p) for p in packs)


def _ask_fee(ruling: Ruling, base: Decimal | None, command: Command, registry: Registry) -> Ruling:
    region = ruling.region
    try:
        answer = registry.evaluation_fee(region=region, base_amount=base or Decimal(0), on=command.on)
    except RuleConflict as exc:
        if command.accept_undetermined is None:
            rules = Joined(
                Message("{rule_id} ({pack})", rule_id=rule_id, pack=pack)
                for rule_id, pack in zip(exc.rule_ids, exc.packs, strict=False)
            )
            raise CommandUndetermined(
                Message(
                    "the evaluation fee is undetermined: the rules {rules} disagree on {on}. Set "
                    "accept_undetermined to sign without reserving it",
                    rules=rules,
                    on=command.on,
                )
            ) from exc
        return attrs.evolve(ruling, fee_conflict=exc)
    if base is None and answer.rule is not None:
        raise CommandRefused(
            Message(
                "{region} sets an evaluation fee on {on} ({rule_id}): give evaluation_fee_base, the amount the fee "
                "is computed on (the source does not say whether it is the contract amount)",
                region=_region_name(registry, region),
                on=command.on,
                rule_id=answer.rule.rule_id,
            )
        )
    return attrs.evolve(ruling, fee=answer)


# --------------------------------------------------------------------------- facts and checks


def service_period(state: ProcurementState) -> ServicePeriod:
    """The signed contract's service period (the machine guarantees one after signing)."""
    if state.contract is None or state.contract.service_period is None:
        raise InvalidHistory(f"case {state.case_id!r} is {state.status.value} but has no signed service period")
    return state.contract.service_period


def _known(state: ProcurementState | None) -> ProcurementState:
    assert state is not None, "only opening a case has no state, and it judges the command alone"
    return state


def _opening_facts(_state: ProcurementState | None, command: OpenCase) -> Case:
    return Case(purchaser=command.purchaser)


def _budget_facts(state: ProcurementState | None, command: ApproveBudget) -> Case:
    s = _known(state)
    planning = Planning(
        needs_assessment=s.planning.needs_assessment if s.planning else None,
        cost_accounting=command.cost_accounting,
        targets_quantity=command.targets_quantity,
        targets_scale=command.targets_scale,
        targets_quality=command.targets_quality,
        targets_effect=command.targets_effect,
        budget=command.amount,
    )
    return s.case_with(planning=planning)


def _tender_facts(state: ProcurementState | None, command: StartTender) -> Case:
    s = _known(state)
    base = s.contract or Contract(
        purchaser=s.purchaser.name, service_domains=s.service_domains, target_groups=s.target_groups
    )
    contract = attrs.evolve(
        base,
        procurement_method=command.method,
        procurement_method_reason=command.method_reason,
        purchase_form=command.purchase_form,
        subject_matter=command.subject_matter if command.subject_matter is not None else base.subject_matter,
        # Each round has its own procurement documents: a re-tender declares art. 7 afresh.
        contractor_conditions_non_discriminatory=command.contractor_conditions_non_discriminatory,
        contractor=None,
    )
    return s.case_with(contractor=None, contract=contract)


def _award_facts(state: ProcurementState | None, command: Award) -> Case:
    s = _known(state)
    contract = attrs.evolve(s.contract, contractor=command.contractor.name) if s.contract else None
    return s.case_with(contractor=command.contractor, contract=contract)


def _tendered_and_awarded(state: ProcurementState, _command: SignContract) -> None:
    if state.contract is None or state.contractor is None:
        raise InvalidHistory(f"case {state.case_id!r} is {state.status.value} but has no tender or no contractor")


CALENDAR_CYCLE: Final = relativedelta(years=400)
"""The Gregorian calendar repeats every 400 years (146,097 days, a whole number of weeks)."""


def schedulable(_state: ProcurementState, command: SignContract) -> None:
    """Refuse a service period whose evaluations cannot be scheduled: one ending on the last
    day ``date`` has, starting in the first 400 years (no calendar cycle fits before it)."""
    period = command.service_period
    if period.end == date.max and period.start.year <= CALENDAR_CYCLE.years:
        raise CommandRefused(
            Message(
                "the service period {start} to {end} is too long to schedule its evaluations: a period ending "
                "on {last_day} must start after the year {years}",
                start=period.start,
                end=period.end,
                last_day=date.max,
                years=CALENDAR_CYCLE.years,
            )
        )


_DECLARED_AT_SIGNING: Final = (
    "contractor_conditions_non_discriminatory",
    "negative_list_items",
    "budget_secured",
    "content_relatively_fixed",
    "strongly_continuous",
    "stable_funding",
    "small_price_changes",
)
"""Contract facts a signing may declare (财政部令第102号 arts. 7, 10, 24); an undeclared one keeps what the
contract already holds."""


def _contract_facts(state: ProcurementState | None, command: SignContract) -> Case:
    s = _known(state)
    assert s.contract is not None  # _tendered_and_awarded
    assert s.contractor is not None
    contract = attrs.evolve(
        s.contract,
        contractor=s.contractor.name,
        amount=command.amount,
        service_period=command.service_period,
        installments=command.installments,
        stated_terms=command.stated_terms,
        written=command.written,
        signed_on=command.on,
        **{name: getattr(command, name) for name in _DECLARED_AT_SIGNING if getattr(command, name) is not None},
    )
    return s.case_with(contract=contract)


def _not_before_the_service(state: ProcurementState, command: RecordEvaluation) -> None:
    period = service_period(state)
    if command.on < period.start:
        raise CommandRefused(
            Message("an evaluation on {on} precedes the service period ({start})", on=command.on, start=period.start)
        )


def _third_party_records_third_party(_state: ProcurementState, command: RecordEvaluation) -> None:
    if command.role is Role.THIRD_PARTY and command.evaluator_role is not EvaluatorRole.THIRD_PARTY:
        raise CommandRefused(
            Message(
                "the {role} role records third-party evaluations only, not one by the {evaluator_role}",
                role=command.role,
                evaluator_role=command.evaluator_role,
            )
        )


def schedule_rules(
    registry: Registry, region: str, stage: EvaluationStage, *, start: date, end: date
) -> tuple[Rule, ...]:
    """The rules of ``region``'s layers that require ``stage`` and are in force on some day from
    ``start`` to ``end`` (signing to the end of the service period: the days the contract runs)."""
    return tuple(
        rule
        for layer in registry.layers(region)
        for rule in registry.rules(layer)
        if stage in rule.evaluation_stages
        and rule.effective_from <= end
        and (rule.effective_to is None or start <= rule.effective_to)
    )


def _contract_days(state: ProcurementState) -> tuple[date, date]:
    contract = state.contract
    # Signed, as the machine says of every state a final evaluation can be recorded in.
    assert contract is not None
    assert contract.service_period is not None
    return (contract.signed_on or state.last_on), contract.service_period.end


def _midterm_first(state: ProcurementState, command: RecordEvaluation, registry: Registry) -> None:
    """Where the contract's schedule has a mid-term evaluation, the final one does not come first.

    The schedule recorded at signing decides (``midterm_required``), so what ``case show`` says is
    due is what the guard asks for. A mid-term counts if it was done by one of the evaluators the
    requiring rules name (Xiamen: a third party); the refusal names those rules.
    """
    schedule = state.schedule
    if command.stage is not EvaluationStage.FINAL or schedule is None or not schedule.midterm_required:
        return
    start, end = _contract_days(state)
    requiring = schedule_rules(registry, state.region, EvaluationStage.MIDTERM, start=start, end=end)
    evaluators = frozenset().union(*(r.evaluators for r in requiring))
    done = state.midterm_evaluators()
    if done and (not evaluators or done & evaluators):
        return
    rules = Joined(r.rule_id for r in requiring) if requiring else Message("the schedule recorded at signing")
    if evaluators and done:
        raise CommandRefused(
            Message(
                "a final evaluation on {on} before a mid-term evaluation by {evaluators}: required by {rules} "
                "(the mid-term evaluations on record are by {done})",
                on=command.on,
                evaluators=Joined(sorted(evaluators)),
                rules=rules,
                done=Joined(sorted(done)),
            )
        )
    raise CommandRefused(
        Message(
            "a final evaluation on {on} with no mid-term evaluation on record: a mid-term evaluation comes "
            "first in {region}, as required by {rules}",
            on=command.on,
            region=_region_name(registry, state.region),
            rules=rules,
        )
    )


def _evaluation_facts(state: ProcurementState | None, command: RecordEvaluation) -> Case:
    s = _known(state)
    return s.case_with(new_evaluation=command.evaluation())


def _same_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


def _not_independent(state: ProcurementState, command: RecordEvaluation) -> Message | None:
    """Why the evaluator (or the actor, acting as third party) is the contractor or purchaser."""
    parties: list[tuple[Role, str | None, str | None]] = [
        (Role.PURCHASER, state.purchaser.name, state.purchaser.uscc),
    ]
    if state.contractor is not None:
        parties.append((Role.CONTRACTOR, state.contractor.name, state.contractor.uscc))
    if state.contract is not None:
        parties += [
            (Role.PURCHASER, state.contract.purchaser, None),
            (Role.CONTRACTOR, state.contract.contractor, None),
        ]
    checks: list[tuple[Message, str, str | None]] = []
    if command.evaluator_role is EvaluatorRole.THIRD_PARTY:
        checks.append((Message("the third-party evaluator"), command.evaluator, command.evaluator_uscc))
    if command.role is Role.THIRD_PARTY:
        checks.append((Message("the actor in the {role} role", role=command.role), command.actor, None))
    for who, name, uscc in checks:
        for party, party_name, party_uscc in parties:
            if uscc is not None and party_uscc is not None and uscc == party_uscc:
                return Message(
                    "{who} ({name}) has the {party}'s USCC {uscc}: not a third party",
                    who=who,
                    name=name,
                    party=party,
                    uscc=uscc,
                )
            if party_name is not None and _same_name(name) == _same_name(party_name):
                return Message(
                    "{who} ({name}) is the {party} itself: not a third party", who=who, name=name, party=party
                )
    return None


def _evaluator_independent(state: ProcurementState, command: RecordEvaluation) -> Message | None:
    problem = _not_independent(state, command)
    return None if problem is None else Message("evaluation refused: {problem}", problem=problem)


def _service_over(state: ProcurementState, command: Accept) -> None:
    end = service_period(state).end
    if command.on < end:
        raise CommandRefused(
            Message("acceptance on {on} comes before the service period ends ({end})", on=command.on, end=end)
        )


def _final_evaluation_passed(state: ProcurementState, _command: Accept) -> None:
    latest = state.latest_final_evaluation()  # indexed: no scan of the evaluations
    if latest is None:
        raise CommandRefused(Message("acceptance needs a final evaluation with a result; none is on record"))
    assert latest.result is not None
    if not latest.result.passed:
        raise CommandRefused(
            Message(
                "acceptance needs a passed final evaluation; the latest ({evaluator}, {on}) is {result}",
                evaluator=latest.evaluator,
                on=latest.date,
                result=latest.result,
            )
        )


def _state_facts(state: ProcurementState | None, _command: Command) -> Case:
    return _known(state).to_case()


# --------------------------------------------------------------------------- the declarations

_NOTHING_TO_ASK: Final[Guard[Any]] = Guard()
"""Only the machine, the role and the date: no rule of the sources gates the step."""

GUARDS: Final[Mapping[type[Command], Guard[Any]]] = {
    OpenCase: Guard[OpenCase](
        region=True,
        rules=Rules(
            what=lambda _c: Message("opening the case"), facts=_opening_facts, subjects=frozenset({Subject.PURCHASER})
        ),
    ),
    AssessNeeds: _NOTHING_TO_ASK,
    ApproveBudget: Guard[ApproveBudget](
        rules=Rules(what=lambda _c: Message("the budget"), facts=_budget_facts, subjects=frozenset({Subject.PLANNING})),
    ),
    StartTender: Guard[StartTender](
        rules=Rules(
            what=lambda c: Message("a tender by {method}", method=c.method),
            facts=_tender_facts,
            subjects=frozenset({Subject.CONTRACT}),
            kinds=frozenset({RuleKind.PROCEDURE}),
        ),
    ),
    FailTender: _NOTHING_TO_ASK,
    Award: Guard[Award](
        rules=Rules(
            what=lambda c: Message("the award to {contractor}", contractor=c.contractor.name),
            facts=_award_facts,
            subjects=frozenset({Subject.CONTRACTOR}),
        ),
    ),
    SignContract: Guard[SignContract](
        checks=(_tendered_and_awarded, schedulable),
        rules=Rules(
            what=lambda _c: Message("signing the contract"),
            facts=_contract_facts,
            subjects=frozenset({Subject.CONTRACT}),
        ),
        evaluation_fee=lambda c: c.evaluation_fee_base,
        schedule=True,
    ),
    StartService: _NOTHING_TO_ASK,
    RecordEvaluation: Guard[RecordEvaluation](
        checks=(_not_before_the_service, _third_party_records_third_party),
        region_checks=(_midterm_first,),
        rules=Rules(
            what=lambda c: Message("the {stage}", stage=c.stage),
            facts=_evaluation_facts,
            subjects=frozenset({Subject.EVALUATION}),
            scope=RuleScope.NEW_EVALUATION,
            vetoes=(_evaluator_independent,),
        ),
    ),
    Accept: Guard[Accept](
        checks=(_service_over, _final_evaluation_passed),
        rules=Rules(
            what=lambda _c: Message("acceptance"), facts=_state_facts, subjects=frozenset({Subject.EVALUATION})
        ),
    ),
    Close: _NOTHING_TO_ASK,
    Cancel: _NOTHING_TO_ASK,
    Terminate: _NOTHING_TO_ASK,
    RecordDisclosure: _NOTHING_TO_ASK,
}
"""The guard of every command type (the machine, the role and the date come first for all)."""
