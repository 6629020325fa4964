"""A Hypothesis state machine drives real Xiamen purchases with valid, invalid and undecidable commands.

After every step: replaying the stored events equals the live state, byte for byte, and so does
loading the case from its snapshot. Every refused command leaves the history exactly as it was;
every accepted one moves the case where the machine says. Every command gives exactly what it
gives on the case rebuilt from the store with nothing cached (the events it stores, or the same
refusal): the live object folds the events it built and keeps indexes (issue 10), and those
must never change a result.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

pytest.importorskip("socialwork_procurement_xiamen", reason="the Xiamen rule pack is not installed")

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._commands import (
    Accept,
    ApproveBudget,
    AssessNeeds,
    Award,
    Cancel,
    Close,
    Command,
    FailTender,
    RecordDisclosure,
    StartService,
    StartTender,
    Terminate,
)
from socialwork_procurement.lifecycle._events import encode_event
from socialwork_procurement.lifecycle._machine import MACHINE, Action, Role, State
from socialwork_procurement.lifecycle._procurement import CommandUndetermined, Procurement, decide_command, replay
from socialwork_procurement.model._converter import unstructure
from socialwork_procurement.testing import strategies as swp_st

ACTIONS = [a for a in Action if a is not Action.OPEN]
VARIANTS = ("good", "good", "good", "unknown", "failing", "random", "wrong_role", "past")
REASON = "已由经办人核实并记录"
M, F = swp.EvaluationStage.MIDTERM, swp.EvaluationStage.FINAL


class Lifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="swp-lifecycle-"))
        self.store = kit.new_store(self.dir / "cases.sqlite")
        self.day = date(2015, 1, 20)
        self.proc: Procurement | None = None

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    @initialize()
    def open_case(self) -> None:
        self.proc = Procurement.create(
            self.store, kit.registry(), "XM-S", kit.open_command(on=self.day), snapshot_every=3
        )

    # -- commands ------------------------------------------------------------------------------

    def build(self, data: st.DataObject, action: Action, variant: str) -> Command:
        assert self.proc is not None
        state = self.proc.state
        self.day += timedelta(days=data.draw(st.integers(0, 75), label="days later"))
        on = state.last_on - timedelta(days=1) if variant == "past" else max(self.day, state.last_on)
        role = Role.CONTRACTOR if variant == "wrong_role" and action is not Action.START_SERVICE else Role.PURCHASER
        accept = data.draw(st.sampled_from([None, None, REASON]), label="accept_undetermined")
        base = {"actor": "张主任", "role": role, "on": on, "accept_undetermined": accept}
        bad = variant in ("failing", "unknown", "random")
        match action:
            case Action.ASSESS_NEEDS:
                return AssessNeeds(**base, summary="需求摸底")
            case Action.APPROVE_BUDGET:
                if variant == "unknown":
                    return ApproveBudget(**base, amount=Decimal("300000"))
                return kit.budget_command(**base, cost_accounting=not bad)
            case Action.START_TENDER:
                method = swp.ProcurementMethod.OTHER if bad else swp.ProcurementMethod.OPEN_TENDER
                return StartTender(**base, method=method)
            case Action.FAIL_TENDER:
                return FailTender(**base | {"reason": "流标"})
            case Action.AWARD:
                if variant == "random":
                    contractor = data.draw(swp_st.contractors(), label="contractor")
                elif variant == "failing":
                    contractor = kit.xiamen_contractor(staff=swp.Staff(professional_team=False))
                elif variant == "unknown":
                    contractor = kit.xiamen_contractor(governance=None)
                else:
                    contractor = kit.xiamen_contractor()
                return Award(**base, contractor=contractor)
            case Action.SIGN_CONTRACT:
                start = on + timedelta(days=data.draw(st.integers(0, 30), label="service starts after"))
                period = swp.ServicePeriod(start, start + timedelta(days=data.draw(st.integers(30, 400))))
                terms = kit.ALL_TERMS - {swp.ContractTerm.QUALITY} if bad else kit.ALL_TERMS
                base_amount = None if variant == "unknown" else Decimal("200000.00")
                return kit.sign_command(**base, period=period, stated_terms=terms, evaluation_fee_base=base_amount)
            case Action.START_SERVICE:
                return StartService(**base | {"role": Role.CONTRACTOR if variant != "wrong_role" else Role.FINANCE})
            case Action.RECORD_MIDTERM_EVALUATION | Action.RECORD_FINAL_EVALUATION:
                stage = M if action is Action.RECORD_MIDTERM_EVALUATION else F
                evaluator_role = data.draw(st.sampled_from(swp.EvaluatorRole), label="evaluator_role")
                evaluator = kit.CONTRACTOR_NAME if variant == "failing" else f"评估方{evaluator_role.value}"
                result = data.draw(st.sampled_from([*swp.EvaluationResult, None]), label="result")
                return kit.evaluation_command(
                    on,
                    stage,
                    evaluator=evaluator,
                    evaluator_role=evaluator_role,
                    result=result,
                    role=Role.THIRD_PARTY if evaluator_role is swp.EvaluatorRole.THIRD_PARTY else role,
                    accept_undetermined=accept,
                )
            case Action.ACCEPT:
                return Accept(**base)
            case Action.CLOSE:
                return Close(**base)
            case Action.CANCEL:
                return Cancel(**base | {"reason": "预算调整"})
            case Action.TERMINATE:
                return Terminate(**base | {"reason": "违约"})
            case Action.RECORD_DISCLOSURE:
                items = data.draw(st.frozensets(st.sampled_from(swp.DisclosureItem), min_size=1), label="items")
                return RecordDisclosure(**base, items=items)
        raise AssertionError(action)

    def reference(self, command: Command) -> tuple[object, ...]:
        """What the command gives on the case rebuilt from the store, decoded, nothing cached:
        the events as stored, or the refusal (its type, message and findings)."""
        rebuilt = replay(self.store.load("XM-S"))
        assert rebuilt is not None
        try:
            events = decide_command(rebuilt, command, kit.registry())
        except swp.CommandRefused as exc:
            return (type(exc), str(exc), exc.findings)
        return tuple(encode_event(e) for e in events)

    def attempt(self, command: Command) -> None:
        assert self.proc is not None
        before_events = self.store.load("XM-S")
        before = self.proc.state
        target = MACHINE.target(before.status, command.action)
        expected = self.reference(command)
        refusal: swp.CommandRefused | None = None
        try:
            appended = self.proc.execute(command)
        except swp.CommandRefused as exc:
            refusal = exc
        if before.status is State.IN_SERVICE and command.action is Action.RECORD_FINAL_EVALUATION:
            # The machine allows it, but Xiamen's schedule has a mid-term evaluation first (issue 8).
            assert refusal is not None and not isinstance(refusal, swp.InvalidTransition)
        if refusal is None:
            event(f"reached {self.proc.state.status.value}")
            assert self.proc.state.status is target
            assert [e.version for e in appended] == list(range(before.version + 1, self.proc.version + 1))
            assert self.store.load("XM-S")[: len(before_events)] == before_events
            # The live object decided and folded what the case rebuilt from the store decides, byte
            # for byte, and stored exactly that.
            stored = self.store.load("XM-S")[len(before_events) :]
            assert tuple(encode_event(e.event) for e in appended) == expected
            assert tuple((s.event_type, s.schema_version, dict(s.payload)) for s in stored) == expected
            return
        if isinstance(refusal, swp.InvalidTransition):
            event("refused: invalid transition")
            assert target is None
        else:
            event("refused: undetermined" if isinstance(refusal, CommandUndetermined) else "refused")
            assert target is not None
        assert expected == (type(refusal), str(refusal), refusal.findings)
        # Refused: nothing stored, nothing changed.
        assert self.store.load("XM-S") == before_events
        assert self.proc.state == before and self.store.version("XM-S") == before.version

    def forward(self) -> tuple[Action, Command]:
        """The main-line step from here, with facts the Xiamen rules accept."""
        assert self.proc is not None
        state = self.proc.state
        on = max(self.day, state.last_on)
        period = state.contract.service_period if state.contract else None
        finals = {e.evaluator_role for e in state.evaluations if e.stage is F}
        missing = [r for r in swp.EvaluatorRole if r not in finals]
        plan = {
            "draft": Action.ASSESS_NEEDS,
            "needs_assessed": Action.APPROVE_BUDGET,
            "budgeted": Action.START_TENDER,
            "tender_failed": Action.START_TENDER,
            "tendering": Action.AWARD,
            "awarded": Action.SIGN_CONTRACT,
            "contracted": Action.START_SERVICE,
            "in_service": Action.RECORD_MIDTERM_EVALUATION,
            "midterm_evaluated": Action.RECORD_FINAL_EVALUATION,
            "final_evaluated": Action.RECORD_FINAL_EVALUATION if missing else Action.ACCEPT,
            "accepted": Action.CLOSE,
        }
        action = plan[state.status.value]
        if period is not None and action is Action.ACCEPT:
            on = max(on, period.end)
        elif period is not None and action in (Action.RECORD_MIDTERM_EVALUATION, Action.RECORD_FINAL_EVALUATION):
            on = max(on, period.start)
        base = {"actor": "张主任", "role": Role.PURCHASER, "on": on}
        match action:
            case Action.RECORD_MIDTERM_EVALUATION | Action.RECORD_FINAL_EVALUATION:
                evaluator_role = (
                    missing[-1] if action is Action.RECORD_FINAL_EVALUATION else swp.EvaluatorRole.THIRD_PARTY
                )
                third = evaluator_role is swp.EvaluatorRole.THIRD_PARTY
                command: Command = kit.evaluation_command(
                    on,
                    M if action is Action.RECORD_MIDTERM_EVALUATION else F,
                    evaluator=kit.EVALUATOR_NAME if third else f"评估方{evaluator_role.value}",
                    evaluator_role=evaluator_role,
                    role=Role.THIRD_PARTY if third else Role.PURCHASER,
                )
            case Action.ASSESS_NEEDS:
                command = AssessNeeds(**base, summary="需求摸底")
            case Action.APPROVE_BUDGET:
                command = kit.budget_command(**base)
            case Action.START_TENDER:
                command = StartTender(**base, method=swp.ProcurementMethod.OPEN_TENDER)
            case Action.AWARD:
                command = Award(**base, contractor=kit.xiamen_contractor())
            case Action.SIGN_CONTRACT:
                command = kit.sign_command(**base, period=swp.ServicePeriod(on, on + timedelta(days=180)))
            case Action.START_SERVICE:
                command = StartService(**base)
            case Action.ACCEPT:
                command = Accept(**base)
            case _:
                command = Close(**base)
        return action, command

    @rule(data=st.data())
    def advance(self, data: st.DataObject) -> None:
        """The next main-line step with good facts (so runs get far into the lifecycle)."""
        assert self.proc is not None
        if self.proc.state.is_final:
            return
        self.day += timedelta(days=data.draw(st.integers(0, 40), label="days later"))
        _action, command = self.forward()
        self.attempt(command)

    @rule(data=st.data())
    def advance_again(self, data: st.DataObject) -> None:
        """The same as :meth:`advance`, to make it twice as likely as the other rules."""
        self.advance(data)

    @rule(data=st.data(), variant=st.sampled_from(VARIANTS))
    def next_step(self, data: st.DataObject, variant: str) -> None:
        """A step the machine allows now (its guards may still refuse it)."""
        assert self.proc is not None
        allowed = self.proc.state.allowed_actions
        action = data.draw(st.sampled_from(allowed or ACTIONS), label="action")
        self.attempt(self.build(data, action, variant))

    @rule(data=st.data(), action=st.sampled_from(ACTIONS), variant=st.sampled_from(VARIANTS))
    def any_step(self, data: st.DataObject, action: Action, variant: str) -> None:
        """Any command at all, allowed now or not."""
        self.attempt(self.build(data, action, variant))

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def replay_equals_the_live_state(self) -> None:
        assert self.proc is not None
        assert replay(self.store.load("XM-S")) == self.proc.state
        assert self.store.version("XM-S") == self.proc.version

    @invariant()
    def the_live_state_is_the_rebuilt_state_byte_for_byte(self) -> None:
        assert self.proc is not None
        kit.assert_same_as_rebuilt(self.proc.state)
        replayed = replay(self.store.load("XM-S"))
        assert unstructure(replayed) == unstructure(self.proc.state)

    @invariant()
    def loading_from_the_snapshot_equals_full_replay(self) -> None:
        assert self.proc is not None
        assert Procurement.open(self.store, kit.registry(), "XM-S").state == self.proc.state


Lifecycle.TestCase.settings = settings(
    max_examples=50,
    stateful_step_count=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLifecycle = Lifecycle.TestCase
