"""Every guard of the lifecycle, with the real region packs where the guard is region-specific."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

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
    FailTender,
    RecordDisclosure,
    StartService,
    StartTender,
    Terminate,
)
from socialwork_procurement.lifecycle._machine import Role, State
from socialwork_procurement.lifecycle._procurement import CommandUndetermined, Procurement
from socialwork_procurement.rules._rules import Decision, Outcome
from socialwork_procurement.store._sqlite import SQLiteEventStore

M, F = swp.EvaluationStage.MIDTERM, swp.EvaluationStage.FINAL


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteEventStore]:
    with kit.new_store(tmp_path / "cases.sqlite") as s:
        yield s


@pytest.fixture
def xiamen() -> None:
    kit.require_region("xiamen")


@pytest.fixture
def henan() -> None:
    kit.require_region("henan")


@pytest.fixture
def ningxia() -> None:
    kit.require_region("ningxia")


def rule_ids(exc: BaseException) -> set[str]:
    assert isinstance(exc, swp.CommandRefused)
    return {f.rule_id for f in exc.findings}


# -- the machine, roles and dates -----------------------------------------------------------------


@pytest.mark.usefixtures("xiamen")
def test_a_step_the_machine_does_not_allow_is_an_invalid_transition(store) -> None:
    proc = kit.xiamen_until(store, "open")
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(Accept(**kit.meta(date(2015, 2, 1)))))
    assert isinstance(exc, swp.InvalidTransition)
    assert "not allowed in state draft" in str(exc) and "assess_needs" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_nothing_follows_a_final_state(store) -> None:
    proc = kit.xiamen_until(store, "close")
    assert proc.state.status is State.CLOSED and proc.state.is_final and proc.state.allowed_actions == ()
    disclose = RecordDisclosure(**kit.meta(date(2016, 4, 1)), items=frozenset({swp.DisclosureItem.CONTRACT}))
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(disclose))
    assert isinstance(exc, swp.InvalidTransition) and "final" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_a_role_that_may_not_take_the_action_is_refused(store) -> None:
    proc = kit.xiamen_until(store, "open")
    command = AssessNeeds(**kit.meta(date(2015, 1, 26), actor="某社工中心", role=Role.CONTRACTOR), summary="x")
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(command))
    assert type(exc) is swp.CommandRefused
    assert "not for the contractor role" in str(exc) and "civil_affairs, purchaser" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_a_step_dated_before_the_last_step_is_refused(store) -> None:
    proc = kit.xiamen_until(store, "open")  # opened 2015-01-20
    command = AssessNeeds(**kit.meta(date(2015, 1, 19)), summary="x")
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(command))
    assert "before the case's last step (2015-01-20)" in str(exc)
    proc.execute(AssessNeeds(**kit.meta(date(2015, 1, 20)), summary="same day is fine"))
    assert proc.state.status is State.NEEDS_ASSESSED


# -- opening: may the purchaser purchase? -----------------------------------------------------------


@pytest.mark.usefixtures("xiamen")
def test_a_purchaser_that_may_not_purchase_cannot_start(store) -> None:
    enterprise = swp.Purchaser(name="某国有企业", kind=swp.PurchaserKind.ENTERPRISE)
    with pytest.raises(swp.CommandRefused) as info:
        Procurement.create(store, kit.registry(), "XM-bad", kit.open_command(purchaser=enterprise))
    assert "xiamen.purchaser.eligible_bodies" in rule_ids(info.value)
    assert all(f.outcome is Outcome.FAIL for f in info.value.findings)
    assert store.version("XM-bad") == 0
    assert store.list_cases() == ()


@pytest.mark.usefixtures("xiamen")
def test_an_undetermined_purchaser_needs_an_explicit_reason(store) -> None:
    government = swp.Purchaser(name="某人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT)  # level unknown
    with pytest.raises(CommandUndetermined) as info:
        Procurement.create(store, kit.registry(), "XM-2", kit.open_command(purchaser=government))
    assert rule_ids(info.value) == {"xiamen.purchaser.eligible_bodies"}
    assert info.value.findings[0].outcome is Outcome.UNKNOWN
    assert store.version("XM-2") == 0

    reason = "区级人民政府,层级待补录"
    proc = Procurement.create(
        store, kit.registry(), "XM-2", kit.open_command(purchaser=government, accept_undetermined=reason)
    )
    (opened,) = proc.history()
    basis = opened.event.basis
    assert basis.decision is Decision.UNDETERMINED and basis.accepted_undetermined == reason
    assert [(f.rule_id, f.outcome, f.path) for f in basis.findings] == [
        ("xiamen.purchaser.eligible_bodies", Outcome.UNKNOWN, "$.purchaser.level")
    ]
    assert {p.distribution for p in basis.packs} >= {"socialwork-procurement-xiamen"}


@pytest.mark.usefixtures("xiamen")
def test_an_unknown_region_is_refused_before_anything_is_stored(store) -> None:
    with pytest.raises(swp.UnknownRegion):
        Procurement.create(store, kit.registry(), "X", kit.open_command(region="xiamen", region_code="atlantis"))
    assert store.version("X") == 0


@pytest.mark.usefixtures("xiamen")
def test_a_case_id_is_opened_once(store) -> None:
    kit.xiamen_until(store, "open", case_id="same")
    with pytest.raises(swp.InvalidTransition, match="already exists"):
        Procurement.create(store, kit.registry(), "same", kit.open_command())
    assert store.version("same") == 1


# -- budget: planning rules (Xiamen, Ningxia) ---------------------------------------------------------


@pytest.mark.usefixtures("xiamen")
def test_xiamen_budget_needs_cost_accounting_and_the_four_targets(store) -> None:
    proc = kit.xiamen_until(store, "assess_needs")
    refused = kit.refused_leaves_history(
        proc, lambda: proc.execute(kit.budget_command(date(2015, 1, 30), cost_accounting=False))
    )
    assert type(refused) is swp.CommandRefused
    assert rule_ids(refused) == {"xiamen.procedure.needs_cost_targets_budget"}
    assert refused.findings[0].path == "$.planning.cost_accounting"

    unknown = kit.refused_leaves_history(
        proc, lambda: proc.execute(ApproveBudget(**kit.meta(date(2015, 1, 30)), amount=Decimal("500000")))
    )
    assert isinstance(unknown, CommandUndetermined)
    assert rule_ids(unknown) == {"xiamen.procedure.needs_cost_targets_budget"}

    (entry,) = proc.execute(kit.budget_command(date(2015, 1, 30)))
    assert proc.state.status is State.BUDGETED
    assert proc.state.planning == swp.Planning(
        needs_assessment=True,
        cost_accounting=True,
        targets_quantity=True,
        targets_scale=True,
        targets_quality=True,
        targets_effect=True,
        budget=Decimal("500000.00"),
    )
    assert [(f.rule_id, f.outcome) for f in entry.event.basis.findings] == [
        ("xiamen.procedure.needs_cost_targets_budget", Outcome.PASS)
    ]


@pytest.mark.usefixtures("ningxia")
def test_ningxia_budget_needs_the_four_targets(store) -> None:
    proc = Procurement.create(store, kit.registry(), "NX-1", kit.open_command("ningxia", on=date(2023, 6, 1)))
    proc.execute(AssessNeeds(**kit.meta(date(2023, 6, 5)), summary="需求"))
    exc = kit.refused_leaves_history(
        proc, lambda: proc.execute(kit.budget_command(date(2023, 6, 10), targets_effect=False))
    )
    assert rule_ids(exc) == {"ningxia.procedure.targets_and_annual_budget"}
    assert exc.findings[0].path == "$.planning.targets_effect"
    proc.execute(kit.budget_command(date(2023, 6, 10)))
    assert proc.state.status is State.BUDGETED


@pytest.mark.usefixtures("henan")
def test_a_step_no_rule_of_the_region_checks_is_undetermined(store) -> None:
    """Henan sets no planning rule: nothing checks the budget, so it needs a reason to go ahead."""
    proc = Procurement.create(store, kit.registry(), "HN-1", kit.open_command("henan", on=date(2014, 3, 1)))
    proc.execute(AssessNeeds(**kit.meta(date(2014, 3, 2)), summary="需求"))
    exc = kit.refused_leaves_history(
        proc, lambda: proc.execute(ApproveBudget(**kit.meta(date(2014, 3, 3)), amount=Decimal("100000")))
    )
    assert isinstance(exc, CommandUndetermined) and exc.findings == ()
    assert "no hard rule of Henan Province in force on 2014-03-03 applies" in str(exc)
    reason = "河南2013年办法未规定预算编制要求"
    (entry,) = proc.execute(
        ApproveBudget(**kit.meta(date(2014, 3, 3)), amount=Decimal("100000"), accept_undetermined=reason)
    )
    basis = entry.event.basis
    assert basis.decision is Decision.UNDETERMINED and basis.findings == ()
    assert basis.accepted_undetermined == reason


# -- tender: the allowed method (Henan: open tender «原则上») -----------------------------------------


def _henan_budgeted(store) -> Procurement:
    proc = Procurement.create(store, kit.registry(), "HN-T", kit.open_command("henan", on=date(2014, 3, 1)))
    proc.execute(AssessNeeds(**kit.meta(date(2014, 3, 2)), summary="需求"))
    proc.execute(ApproveBudget(**kit.meta(date(2014, 3, 3)), amount=Decimal("100000"), accept_undetermined="无规定"))
    return proc


@pytest.mark.usefixtures("henan")
def test_henan_tender_is_open_unless_a_reason_is_given(store) -> None:
    proc = _henan_budgeted(store)
    negotiation = swp.ProcurementMethod.COMPETITIVE_NEGOTIATION
    no_reason = StartTender(**kit.meta(date(2014, 3, 5)), method=negotiation)
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(no_reason))
    assert rule_ids(exc) == {"henan2013.procedure.open_tender_in_principle"}
    assert exc.findings[0].path == "$.contract.procurement_method_reason"

    # 「原则上」: a stated departure is for a person to judge (issue 8), so the step is undetermined
    # until the actor accepts it, and the reason is shown in the finding, never a silent pass.
    reason = "服务对象特殊,符合条件的供应商只有三家"
    with_reason = StartTender(**kit.meta(date(2014, 3, 5)), method=negotiation, method_reason=reason)
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(with_reason))
    assert isinstance(exc, CommandUndetermined)
    (finding,) = [f for f in exc.findings if f.rule_id == "henan2013.procedure.open_tender_in_principle"]
    assert finding.outcome is Outcome.UNKNOWN and reason in (finding.detail_zh or "") + (finding.detail_en or "")
    accepted = StartTender(
        **kit.meta(date(2014, 3, 5)), method=negotiation, method_reason=reason, accept_undetermined="局务会已审议该理由"
    )
    (entry,) = proc.execute(accepted)
    assert proc.state.status is State.TENDERING
    assert proc.state.contract is not None and proc.state.contract.procurement_method_reason == reason
    assert ("henan2013.procedure.open_tender_in_principle", Outcome.UNKNOWN) in {
        (f.rule_id, f.outcome) for f in entry.event.basis.findings
    }


@pytest.mark.usefixtures("henan")
def test_henan_open_tender_passes_without_a_reason(store) -> None:
    proc = _henan_budgeted(store)
    (entry,) = proc.execute(StartTender(**kit.meta(date(2014, 3, 5)), method=swp.ProcurementMethod.OPEN_TENDER))
    finding = next(f for f in entry.event.basis.findings if f.rule_id == "henan2013.procedure.open_tender_in_principle")
    assert finding.outcome is Outcome.PASS and finding.path == "$.contract.procurement_method"


@pytest.mark.usefixtures("xiamen")
def test_xiamen_tender_by_an_unnamed_method_is_undetermined(store) -> None:
    proc = kit.xiamen_until(store, "approve_budget")
    other = StartTender(**kit.meta(date(2015, 2, 2)), method=swp.ProcurementMethod.OTHER)
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(other))
    assert isinstance(exc, CommandUndetermined)
    assert rule_ids(exc) == {"xiamen.procedure.follow_gov_procurement_law"}


# -- failed tender, re-tender, cancel -----------------------------------------------------------------


@pytest.mark.usefixtures("xiamen")
def test_a_failed_tender_is_retendered_and_a_failed_award_clears_the_contractor(store) -> None:
    proc = kit.xiamen_until(store, "award")
    assert proc.state.contractor is not None
    proc.execute(FailTender(**kit.meta(date(2015, 2, 26)), reason="中标人放弃中标"))
    assert proc.state.status is State.TENDER_FAILED and not proc.state.is_final
    assert proc.state.contractor is None and proc.state.contract is not None and proc.state.contract.contractor is None
    proc.execute(StartTender(**kit.meta(date(2015, 3, 1)), method=swp.ProcurementMethod.OPEN_TENDER))
    assert proc.state.status is State.TENDERING and proc.state.tender_rounds == 2
    proc.execute(FailTender(**kit.meta(date(2015, 3, 20)), reason="流标:投标人不足三家"))
    proc.execute(Cancel(**kit.meta(date(2015, 3, 25)), reason="年度预算调整"))
    assert proc.state.status is State.CANCELLED and proc.state.end_reason == "年度预算调整"


def test_failing_a_tender_cancelling_and_terminating_need_a_reason() -> None:
    for cls in (FailTender, Cancel, Terminate):
        with pytest.raises(TypeError):
            cls(**kit.meta(date(2015, 1, 1)))  # type: ignore[call-arg]
        with pytest.raises(ValueError, match="reason must not be empty"):
            cls(**kit.meta(date(2015, 1, 1)), reason="  ")


@pytest.mark.usefixtures("xiamen")
def test_cancel_is_only_before_the_contract_and_terminate_only_under_it(store) -> None:
    proc = kit.xiamen_until(store, "sign_contract")
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(Cancel(**kit.meta(date(2015, 3, 1)), reason="x")))
    assert isinstance(exc, swp.InvalidTransition)
    proc.execute(Terminate(**kit.meta(date(2015, 6, 1)), reason="承接主体严重违约"))
    assert proc.state.status is State.TERMINATED and proc.state.is_final


# -- award: an ineligible contractor is refused with the findings -------------------------------------


@pytest.mark.usefixtures("xiamen")
def test_xiamen_award_to_an_ineligible_contractor_is_refused_with_the_findings(store) -> None:
    proc = kit.xiamen_until(store, "start_tender")
    company = kit.xiamen_contractor(
        name="某咨询有限公司", legal_form=swp.LegalForm.ENTERPRISE, uscc=None, has_required_capacity=False
    )
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(swp_award(company)))
    assert rule_ids(exc) == {"xiamen.contractor.org_type"}
    assert exc.findings[0].path == "$.contractor.has_required_capacity"

    no_team = kit.xiamen_contractor(staff=swp.Staff(professional_team=False))
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(swp_award(no_team)))
    assert rule_ids(exc) == {"xiamen.contractor.professional_team"}


def swp_award(contractor: swp.Contractor, on: date = date(2015, 2, 25), **extra: object) -> Award:
    return Award(**kit.meta(on), contractor=contractor, **extra)  # type: ignore[arg-type]


@pytest.mark.usefixtures("xiamen")
def test_xiamen_award_records_the_findings_and_the_packs(store) -> None:
    proc = kit.xiamen_until(store, "start_tender")
    (entry,) = proc.execute(swp_award(kit.xiamen_contractor()))
    basis = entry.event.basis
    assert basis.decision is Decision.ELIGIBLE
    outcomes = {f.rule_id: f.outcome for f in basis.findings}
    assert outcomes["xiamen.contractor.org_type"] is Outcome.PASS
    # soft: recorded, never gating; a 民办非企业单位 is a 民办社会工作服务机构 only when declared (issue 8)
    assert outcomes["xiamen.contractor.pneu_main"] is Outcome.UNKNOWN
    xiamen_pack = next(p for p in basis.packs if p.distribution == "socialwork-procurement-xiamen")
    assert xiamen_pack.version == next(
        p.version for p in kit.registry().packs if p.distribution == xiamen_pack.distribution
    )


def _ningxia_tendering(store) -> Procurement:
    proc = Procurement.create(store, kit.registry(), "NX-A", kit.open_command("ningxia", on=date(2023, 6, 1)))
    proc.execute(AssessNeeds(**kit.meta(date(2023, 6, 5)), summary="需求"))
    proc.execute(kit.budget_command(date(2023, 6, 10)))
    # From 2020-03-01 the decree's art. 7 asks whether the contractor conditions are non-discriminatory; a
    # tender command cannot declare that fact yet, so the actor accepts the undetermined step with a reason.
    proc.execute(StartTender(**kit.meta(date(2023, 6, 15)), method=swp.ProcurementMethod.OPEN_TENDER,
                             accept_undetermined="采购文件所设承接条件已经合法性审查"))
    return proc


@pytest.mark.usefixtures("ningxia")
def test_ningxia_award_is_undetermined_until_the_actor_accepts_it(store) -> None:
    proc = _ningxia_tendering(store)
    contractor = kit.ningxia_contractor()
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(swp_award(contractor, date(2023, 7, 1))))
    assert isinstance(exc, CommandUndetermined)
    assert rule_ids(exc) == {"ningxia.contractor.specific_conditions"}

    reason = "《意见》未载明具体条件;已按招标文件资格条件审查"
    (entry,) = proc.execute(swp_award(contractor, date(2023, 7, 1), accept_undetermined=reason))
    assert proc.state.status is State.AWARDED
    basis = entry.event.basis
    assert basis.decision is Decision.UNDETERMINED and basis.accepted_undetermined == reason
    assert ("ningxia.contractor.specific_conditions", Outcome.UNKNOWN, "$.contractor") in {
        (f.rule_id, f.outcome, f.path) for f in basis.findings
    }


# -- signing: required terms, evaluation schedule and fee ------------------------------------------


@pytest.mark.usefixtures("xiamen")
def test_xiamen_contract_missing_required_terms_cannot_be_signed(store) -> None:
    proc = kit.xiamen_until(store, "award")
    terms = kit.ALL_TERMS - {swp.ContractTerm.BREACH_LIABILITY}
    exc = kit.refused_leaves_history(
        proc, lambda: proc.execute(kit.sign_command(date(2015, 2, 27), stated_terms=terms))
    )
    assert rule_ids(exc) == {"xiamen.contract.required_terms"}
    assert proc.state.status is State.AWARDED


@pytest.mark.usefixtures("xiamen")
def test_xiamen_signing_schedules_the_evaluations_and_reserves_the_3pct_fee(store) -> None:
    proc = kit.xiamen_until(store, "award")
    signed, fee = proc.execute(kit.sign_command(date(2015, 2, 27), evaluation_fee_base=Decimal("480000.00")))
    assert signed.event_type == "contract_signed" and fee.event_type == "evaluation_fee_reserved"
    assert signed.version + 1 == fee.version and signed.recorded_at == fee.recorded_at
    assert signed.event.schedule == swp_schedule(date(2015, 9, 1), date(2016, 2, 29))
    assert fee.event.fee == Decimal("14400.00") and fee.event.rule_id == "xiamen.evaluation.fee_3pct"
    assert fee.event.base_amount == Decimal("480000.00")
    state = proc.state
    assert state.status is State.CONTRACTED and state.schedule == signed.event.schedule
    assert state.evaluation_fee is not None and state.evaluation_fee.fee == Decimal("14400.00")
    assert state.contract is not None and state.contract.signed_on == date(2015, 2, 27)


def swp_schedule(midterm: date, final: date) -> object:
    from socialwork_procurement.rules._schedule import EvaluationSchedule

    return EvaluationSchedule(midterm=midterm, final=final)


@pytest.mark.usefixtures("xiamen")
def test_xiamen_fee_needs_an_explicit_base(store) -> None:
    proc = kit.xiamen_until(store, "award")
    exc = kit.refused_leaves_history(
        proc, lambda: proc.execute(kit.sign_command(date(2015, 2, 27), evaluation_fee_base=None))
    )
    assert "xiamen.evaluation.fee_3pct" in str(exc) and "evaluation_fee_base" in str(exc)


@pytest.mark.usefixtures("ningxia")
def test_ningxia_contract_must_be_written_with_its_seven_terms(store) -> None:
    proc = _ningxia_tendering(store)
    proc.execute(swp_award(kit.ningxia_contractor(), date(2023, 7, 1), accept_undetermined="条件未载明"))
    period = swp.ServicePeriod(date(2023, 8, 1), date(2024, 7, 31))
    not_written = kit.sign_command(date(2023, 7, 10), period, written=False)
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(not_written))
    assert "ningxia.contract.written_required_terms" in rule_ids(exc)
    assert {f.path for f in exc.findings if f.rule_id == "ningxia.contract.written_required_terms"} == {
        "$.contract.written"
    }

    no_disputes = kit.sign_command(
        date(2023, 7, 10), period, stated_terms=kit.ALL_TERMS - {swp.ContractTerm.DISPUTE_RESOLUTION}
    )
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(no_disputes))
    assert rule_ids(exc) == {"ningxia.contract.written_required_terms"}

    # The decree's arts. 7 and 10 facts, declared at signing, settle its rules (issue 8): no accept_undetermined.
    signed, fee = proc.execute(kit.sign_command(date(2023, 7, 10), period, contractor_conditions_non_discriminatory=True,
                                                negative_list_items=frozenset()))
    assert ("ningxia.contract.written_required_terms", Outcome.PASS) in {
        (f.rule_id, f.outcome) for f in signed.event.basis.findings
    }
    assert ("national.contract.written_terms", Outcome.PASS) in {
        (f.rule_id, f.outcome) for f in signed.event.basis.findings
    }
    # Ningxia sets no evaluation fee: «not specified», with the reason the pack records.
    assert fee.event.fee is None and fee.event.rule_id is None
    assert fee.event.reason_en and fee.event.reason_zh


@pytest.mark.usefixtures("henan")
def test_henan_fee_is_not_specified_even_without_a_base(store) -> None:
    proc = _henan_budgeted(store)
    proc.execute(StartTender(**kit.meta(date(2014, 3, 5)), method=swp.ProcurementMethod.OPEN_TENDER))
    proc.execute(swp_award(kit.henan_contractor(), date(2014, 4, 1)))
    period = swp.ServicePeriod(date(2014, 5, 1), date(2015, 4, 30))
    _signed, fee = proc.execute(kit.sign_command(date(2014, 4, 10), period, evaluation_fee_base=None))
    assert fee.event.fee is None and fee.event.base_amount is None and fee.event.reason_en


# -- evaluations: the third party is independent ---------------------------------------------------


@pytest.mark.usefixtures("xiamen")
@pytest.mark.parametrize(
    ("evaluator", "uscc", "who"),
    [
        (kit.CONTRACTOR_NAME, None, "contractor"),
        (" 厦门市某社会工作服务中心 ", None, "contractor"),  # names compare after normalisation
        ("另一家评估机构", kit.CONTRACTOR_USCC, "contractor"),  # same USCC, other name
        (kit.PURCHASER_NAME, None, "purchaser"),
        ("某评估公司", kit.PURCHASER_USCC, "purchaser"),
    ],
)
def test_the_contractor_or_purchaser_cannot_act_as_third_party(
    store, evaluator: str, uscc: str | None, who: str
) -> None:
    proc = kit.xiamen_until(store, "start_service")
    command = kit.evaluation_command(date(2015, 9, 1), M, evaluator=evaluator, evaluator_uscc=uscc, actor="评估员")
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(command))
    assert f"is the {who}" in str(exc) or f"has the {who}'s USCC" in str(exc)
    # The Xiamen rules say the same about this evaluation, and the refusal carries them.
    assert "xiamen.evaluation.mid_and_final_third_party" in rule_ids(exc)
    assert all(f.path.startswith("$.evaluations[0].") for f in exc.findings)


@pytest.mark.usefixtures("xiamen")
def test_an_actor_in_the_third_party_role_must_not_be_a_party(store) -> None:
    proc = kit.xiamen_until(store, "start_service")
    command = kit.evaluation_command(date(2015, 9, 1), M, actor=kit.CONTRACTOR_NAME)
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(command))
    assert "the actor in the third_party role" in str(exc)


@pytest.mark.usefixtures("henan")
def test_third_party_independence_is_checked_in_every_region(store) -> None:
    proc = _henan_budgeted(store)
    proc.execute(StartTender(**kit.meta(date(2014, 3, 5)), method=swp.ProcurementMethod.OPEN_TENDER))
    contractor = kit.henan_contractor()
    proc.execute(swp_award(contractor, date(2014, 4, 1)))
    proc.execute(kit.sign_command(date(2014, 4, 10), swp.ServicePeriod(date(2014, 5, 1), date(2015, 4, 30))))
    proc.execute(StartService(**kit.meta(date(2014, 5, 1))))
    command = kit.evaluation_command(date(2014, 11, 1), M, evaluator=contractor.name, actor="某评估员")
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(command))
    assert "is the contractor itself" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_a_third_party_records_only_third_party_evaluations(store) -> None:
    proc = kit.xiamen_until(store, "start_service")
    command = kit.evaluation_command(
        date(2015, 9, 1), M, evaluator="评估员", evaluator_role=swp.EvaluatorRole.PURCHASER, role=Role.THIRD_PARTY
    )
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(command))
    assert "the third_party role records third-party evaluations only, not one by the purchaser" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_an_evaluation_cannot_precede_the_service(store) -> None:
    proc = kit.xiamen_until(store, "sign_contract", case_id="early")  # service period starts 2015-03-01
    proc.execute(StartService(**kit.meta(date(2015, 2, 27))))  # started early, on the signing day
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(kit.evaluation_command(date(2015, 2, 28), M)))
    assert "precedes the service period (2015-03-01)" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_more_than_one_party_may_evaluate_at_one_stage(store) -> None:
    proc = kit.xiamen_until(store, "midterm")
    proc.execute(
        kit.evaluation_command(
            date(2015, 9, 2),
            M,
            evaluator="服务对象代表",
            evaluator_role=swp.EvaluatorRole.SERVICE_RECIPIENT,
            role=Role.PURCHASER,
            actor="张主任",
        )
    )
    assert proc.state.status is State.MIDTERM_EVALUATED and len(proc.state.evaluations) == 2


# -- acceptance: a passed final evaluation, the service over, the evaluation rules --------------------


@pytest.mark.usefixtures("xiamen")
def test_acceptance_needs_a_passed_final_evaluation(store) -> None:
    proc = kit.xiamen_until(store, "midterm")
    proc.execute(kit.evaluation_command(date(2016, 2, 22), F, result=swp.EvaluationResult.FAIL))
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(Accept(**kit.meta(date(2016, 3, 4)))))
    assert "needs a passed final evaluation" in str(exc) and "is fail" in str(exc)
    assert exc.findings == ()


@pytest.mark.usefixtures("xiamen")
def test_acceptance_needs_a_final_evaluation_with_a_result(store) -> None:
    proc = kit.xiamen_until(store, "midterm")
    proc.execute(kit.evaluation_command(date(2016, 2, 22), F, result=None))
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(Accept(**kit.meta(date(2016, 3, 4)))))
    assert "none is on record" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_acceptance_waits_for_the_end_of_the_service_period(store) -> None:
    proc = kit.xiamen_until(store, "final_recipients")
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(Accept(**kit.meta(date(2016, 2, 28)))))
    assert "before the service period ends (2016-02-29)" in str(exc)


@pytest.mark.usefixtures("xiamen")
def test_xiamen_acceptance_needs_the_tripartite_review_or_a_reason(store) -> None:
    proc = kit.xiamen_until(store, "final")  # third party only: purchaser and recipients not on record
    exc = kit.refused_leaves_history(proc, lambda: proc.execute(Accept(**kit.meta(date(2016, 3, 4)))))
    assert isinstance(exc, CommandUndetermined)
    assert rule_ids(exc) == {"xiamen.evaluation.tripartite_review"}
    (entry,) = proc.execute(Accept(**kit.meta(date(2016, 3, 4)), accept_undetermined="服务对象满意度已纳入第三方评估"))
    assert entry.event.basis.accepted_undetermined == "服务对象满意度已纳入第三方评估"
    assert proc.state.status is State.ACCEPTED


@pytest.mark.usefixtures("xiamen")
def test_xiamen_acceptance_with_the_full_review_is_eligible(store) -> None:
    proc = kit.xiamen_until(store, "accept")
    entry = proc.history()[-1]
    assert entry.event_type == "case_accepted"
    outcomes = {f.rule_id: f.outcome for f in entry.event.basis.findings}
    assert outcomes == {
        "xiamen.evaluation.mid_and_final_third_party": Outcome.PASS,
        "xiamen.evaluation.tripartite_review": Outcome.PASS,
    }


# -- disclosures: tracked as due or done ---------------------------------------------------------------


@pytest.mark.usefixtures("ningxia")
def test_ningxia_disclosures_are_due_until_recorded(store) -> None:
    def items(proc: Procurement) -> swp.Finding:
        return next(f for f in proc.disclosures() if f.rule_id == "ningxia.disclosure.items")

    proc = Procurement.create(store, kit.registry(), "NX-D", kit.open_command("ningxia", on=date(2023, 6, 1)))
    # Each item is due from the step that produces it (issue 8): a case just opened owes nothing yet.
    assert items(proc).outcome is Outcome.NOT_APPLICABLE
    proc.execute(AssessNeeds(**kit.meta(date(2023, 6, 5)), summary="需求"))
    proc.execute(kit.budget_command(date(2023, 6, 10)))
    # The budget makes the project content and the budget due; unpublished, they are unknown (the
    # source says 「及时」 and sets no deadline), never a failure.
    due = items(proc)
    assert due.outcome is Outcome.UNKNOWN and "budget" in (due.detail_en or "")
    first = frozenset({swp.DisclosureItem.PROJECT_CONTENT, swp.DisclosureItem.BUDGET})
    proc.execute(RecordDisclosure(**kit.meta(date(2023, 6, 12)), items=first, where="https://example.gov.cn/notice"))
    assert proc.state.published == first
    assert items(proc).outcome is Outcome.PASS


@pytest.mark.usefixtures("xiamen")
def test_xiamen_requires_no_disclosure_items(store) -> None:
    proc = kit.xiamen_until(store, "open")
    assert proc.disclosures() == ()


@pytest.mark.usefixtures("xiamen")
def test_close_follows_acceptance(store) -> None:
    proc = kit.xiamen_until(store, "accept")
    proc.execute(Close(**kit.meta(date(2016, 3, 10), role=Role.FINANCE, actor="区财政局")))
    assert proc.state.status is State.CLOSED
