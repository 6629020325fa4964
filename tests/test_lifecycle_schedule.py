"""The evaluation schedule is the region's (issue 8).

Only Xiamen's source asks for evaluations 「在服务周期的中期和末期」; Henan asks for 结项验收 and
Ningxia sets no schedule. So ``in_service → final_evaluated`` is allowed by the machine, and the
guard refuses it exactly while a rule in force in the case's region declares a mid-term stage
(:attr:`Rule.evaluation_stages`). Signing records whether a mid-term is required, and what
follows (``case show``, the history, OCDS milestones, the demo) says so.

Also here: the fact 财政部令第102号 art. 7 asks about a tender, which the purchaser now declares
when the tender starts (``tender_started`` v4) instead of going ahead with a reason.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

import socialwork_procurement as swp
from socialwork_procurement.cli._demo import PURCHASES, CommandStep, Expect, Purchase
from socialwork_procurement.lifecycle._guards import schedule_rules
from socialwork_procurement.lifecycle._machine import MACHINE, Action, State
from socialwork_procurement.lifecycle._procurement import Procurement

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

M, F = swp.EvaluationStage.MIDTERM, swp.EvaluationStage.FINAL
MID_FINAL = "xiamen.evaluation.mid_and_final_third_party"


def _purchase(key: str) -> Purchase:
    kit.require_region(key)
    (purchase,) = [p for p in PURCHASES if p.key == key]
    return purchase


def _commands(purchase: Purchase, *, without_midterm: bool = False) -> list[swp.Command]:
    """The demo purchase's commands that it expects to go through (refused bidders left out)."""
    commands = [
        s.command
        for s in purchase.steps
        if isinstance(s, CommandStep) and s.expect in (Expect.DONE, Expect.DONE_UNDETERMINED)
    ]
    if without_midterm:
        commands = [c for c in commands if not (isinstance(c, swp.RecordEvaluation) and c.stage is M)]
    return commands


def _drive(store: swp.SQLiteEventStore, commands: list[swp.Command], case_id: str) -> Procurement:
    proc = Procurement.create(store, kit.registry(), case_id, commands[0])
    for command in commands[1:]:
        proc.execute(command)
    return proc


def test_the_machine_lets_a_final_evaluation_follow_the_service() -> None:
    assert MACHINE.target(State.IN_SERVICE, Action.RECORD_FINAL_EVALUATION) is State.FINAL_EVALUATED
    # …but a mid-term evaluation never follows a final one.
    assert MACHINE.target(State.FINAL_EVALUATED, Action.RECORD_MIDTERM_EVALUATION) is None


def test_only_xiamen_declares_a_midterm_stage() -> None:
    registry = kit.registry()
    declaring = {
        (rule.rule_id, stage)
        for region in registry.regions()
        for rule in registry.rules(region.code)
        for stage in rule.evaluation_stages
    }
    assert declaring == {(MID_FINAL, M), (MID_FINAL, F)}


@pytest.mark.parametrize(
    ("region", "start", "end", "required"),
    [
        ("xiamen", date(2015, 3, 1), date(2016, 2, 29), True),
        ("xiamen", date(2024, 3, 1), date(2024, 12, 31), True),  # after the pilot: the rule stays, with its caveat
        ("xiamen", date(2014, 6, 1), date(2014, 12, 31), False),  # no Xiamen source in force on any day
        ("xiamen", date(2014, 11, 1), date(2015, 11, 30), True),  # signed before, but in force during the contract
        ("henan", date(2023, 6, 1), date(2024, 5, 31), False),
        ("ningxia", date(2024, 3, 1), date(2024, 12, 31), False),
        ("guangzhou", date(2024, 3, 1), date(2024, 12, 31), False),
    ],
)
def test_schedule_rules_are_the_regions_rules_in_force_during_the_contract(
    region: str, start: date, end: date, required: bool
) -> None:
    kit.require_region(region)
    found = schedule_rules(kit.registry(), region, M, start=start, end=end)
    assert bool(found) is required
    for rule in found:
        assert M in rule.evaluation_stages
        assert rule.effective_from <= end and (rule.effective_to is None or start <= rule.effective_to)


def test_xiamen_refuses_a_final_evaluation_before_a_midterm(tmp_path: Path) -> None:
    store = kit.new_store(tmp_path / "cases.sqlite")
    proc = kit.xiamen_until(store, "start_service")
    final = kit.evaluation_command(date(2016, 2, 22), F)
    # The next steps offered (case show, the JSON, the explorer) follow the schedule too.
    assert Action.RECORD_MIDTERM_EVALUATION in proc.state.allowed_actions
    assert Action.RECORD_FINAL_EVALUATION not in proc.state.allowed_actions
    refusal = kit.refused_leaves_history(proc, lambda: proc.execute(final))
    assert MID_FINAL in str(refusal)
    assert not isinstance(refusal, swp.InvalidTransition)  # the machine allows it; the region refuses
    assert "中期评估" in refusal.text("zh") and MID_FINAL in refusal.text("zh")
    # A mid-term by the purchaser is not the third-party one the rule asks for (Rule.evaluators).
    proc.execute(
        kit.evaluation_command(
            date(2015, 9, 1),
            M,
            role=swp.Role.PURCHASER,
            evaluator=kit.PURCHASER_NAME,
            evaluator_role=swp.EvaluatorRole.PURCHASER,
        )
    )
    by_whom = kit.refused_leaves_history(proc, lambda: proc.execute(final))
    from socialwork_procurement.export._names import name

    assert "third party" in by_whom.text("en", name=name) and "第三方" in by_whom.text("zh", name=name)
    assert "购买主体" in by_whom.text("zh", name=name)  # who did the mid-term on record
    proc.execute(kit.evaluation_command(date(2015, 9, 1), M))
    proc.execute(final)
    assert proc.state.status is State.FINAL_EVALUATED
    assert proc.state.schedule is not None and proc.state.schedule.midterm_required


def test_henan_goes_from_the_service_to_the_final_evaluation(tmp_path: Path) -> None:
    purchase = _purchase("henan")
    commands = _commands(purchase)
    assert not any(isinstance(c, swp.RecordEvaluation) and c.stage is M for c in commands)
    proc = _drive(kit.new_store(tmp_path / "cases.sqlite"), commands, purchase.case_id)
    assert proc.state.status is purchase.final_state is State.CLOSED
    service_started = _drive(kit.new_store(tmp_path / "again.sqlite"), commands[: commands.index(
        next(c for c in commands if isinstance(c, swp.RecordEvaluation)))], "HN-2")
    assert Action.RECORD_FINAL_EVALUATION in service_started.state.allowed_actions
    states = [e.event_type for e in proc.store.load(purchase.case_id)]
    assert states.index("service_started") + 1 == states.index("evaluation_recorded")
    assert proc.state.schedule is not None and not proc.state.schedule.midterm_required


def test_ningxia_allows_either_schedule_and_exports_both(tmp_path: Path) -> None:
    purchase = _purchase("ningxia")
    store = kit.new_store(tmp_path / "cases.sqlite")
    with_midterm = _drive(store, _commands(purchase), "NX-WITH")
    without = _drive(store, _commands(purchase, without_midterm=True), "NX-WITHOUT")
    assert with_midterm.state.status is without.state.status is purchase.final_state
    assert not without.state.schedule.midterm_required  # type: ignore[union-attr]
    # An optional mid-term gets its OCDS milestone when it is recorded, with no due date.
    milestones = _milestones(with_midterm)
    assert [m["id"] for m in milestones][-3:] == ["midterm-evaluation", "final-evaluation", "acceptance"]
    (midterm,) = [m for m in milestones if m["id"] == "midterm-evaluation"]
    assert "dueDate" not in midterm and midterm["status"] == "met"
    assert "midterm-evaluation" not in [m["id"] for m in _milestones(without)]


def _milestones(proc: Procurement) -> list[dict[str, object]]:
    package = swp.to_ocds_release_package(proc, ocid_prefix="ocds-a1b2c3", publisher="某购买主体")
    (contract,) = package["releases"][-1]["contracts"]
    return list(contract["implementation"]["milestones"])


def test_the_guard_follows_the_schedule_recorded_at_signing(tmp_path: Path) -> None:
    """A Xiamen contract signed before the city's first source (2015-01-06) whose service runs
    into it: the rule is in force during the contract, so the schedule requires a mid-term, and
    the guard asks for exactly what the schedule says."""
    import attrs

    reason = "试点文件施行前签约,已核实"
    proc = Procurement.create(
        kit.new_store(tmp_path / "cases.sqlite"),
        kit.registry(),
        "XM-EARLY",
        attrs.evolve(kit.open_command(on=date(2014, 9, 1)), accept_undetermined=reason),
    )
    steps = dict(kit.xiamen_steps())
    for name, on in (("assess_needs", 9), ("approve_budget", 10), ("start_tender", 11), ("award", 20)):
        proc.execute(attrs.evolve(steps[name], on=date(2014, 10, on), accept_undetermined=reason))
    period = swp.ServicePeriod(date(2014, 12, 1), date(2015, 11, 30))
    proc.execute(kit.sign_command(date(2014, 11, 1), period=period, accept_undetermined=reason))
    assert proc.state.schedule is not None and proc.state.schedule.midterm_required
    proc.execute(attrs.evolve(steps["start_service"], on=period.start))
    refusal = kit.refused_leaves_history(proc, lambda: proc.execute(kit.evaluation_command(date(2015, 11, 25), F)))
    assert MID_FINAL in str(refusal)


def test_ocds_plans_a_midterm_milestone_only_where_one_is_required(tmp_path: Path) -> None:
    store = kit.new_store(tmp_path / "cases.sqlite")
    henan = _drive(store, _commands(_purchase("henan")), "HN-1")
    xiamen = kit.xiamen_until(store, "close")

    def planned(proc: Procurement) -> list[str]:
        package = swp.to_ocds_release_package(proc, ocid_prefix="ocds-a1b2c3", publisher="某购买主体")
        (release,) = [r for r in package["releases"] if "contract" in r["tag"]][:1]
        (contract,) = release["contracts"]
        return [m["id"] for m in contract["implementation"]["milestones"]]

    assert "midterm-evaluation" in planned(xiamen)
    assert "midterm-evaluation" not in planned(henan) and "final-evaluation" in planned(henan)


def test_case_history_and_show_say_no_midterm_is_required(tmp_path: Path) -> None:
    from socialwork_procurement.cli._main import main

    store_path = tmp_path / "cases.sqlite"
    store = kit.new_store(store_path)
    purchase = _purchase("henan")
    _drive(store, _commands(purchase), purchase.case_id)
    store.close()
    for command in (["case", "show"], ["case", "history"]):
        for lang, words in (("zh", "不要求中期评估" if command[1] == "history" else "未要求中期评估"),
                            ("en", "no mid-term evaluation")):
            out = _run(
                main, [*command, purchase.case_id, "--store", str(store_path), "--lang", lang, "--format", "text"]
            )
            assert words in out.replace("\n", " ") or words.replace(" ", "") in out.replace("\n", ""), out


def _run(main: object, argv: list[str]) -> str:
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(argv)  # type: ignore[operator]
    assert code == 0, buffer.getvalue()
    return buffer.getvalue()


def test_a_version_3_contract_signed_reads_as_requiring_a_midterm() -> None:
    from socialwork_procurement.lifecycle._events import upcast

    payload = {"schedule": {"midterm": "2015-09-01", "final": "2016-02-29"}}
    assert upcast("contract_signed", 3, payload)["schedule"]["midterm_required"] is True


def test_evaluation_stages_belong_to_evaluation_rules() -> None:
    rule = kit.registry().rule(MID_FINAL, on=date(2015, 3, 1))
    import attrs

    with pytest.raises(ValueError, match="evaluation_stages go with kind evaluation"):
        attrs.evolve(rule, kind=swp.RuleKind.PROCEDURE)


# -- 财政部令第102号 art. 7 declared when the tender starts (tender_started v4, issue 8) -----------


def _henan_until_tender(tmp_path: Path) -> tuple[Procurement, swp.StartTender]:
    commands = _commands(_purchase("henan"))
    (tender,) = [c for c in commands if isinstance(c, swp.StartTender)]
    proc = _drive(kit.new_store(tmp_path / "cases.sqlite"), commands[: commands.index(tender)], "HN-T")
    return proc, tender


def _outcome(events: tuple[swp.StoredEvent, ...], rule_id: str) -> str:
    (finding,) = [f for f in events[0].event.basis.findings if f.rule_id == rule_id]  # type: ignore[attr-defined]
    return str(finding.outcome)


def test_the_tender_declares_fair_conditions_and_a_re_tender_declares_them_afresh(tmp_path: Path) -> None:
    import attrs

    proc, tender = _henan_until_tender(tmp_path)
    assert tender.contractor_conditions_non_discriminatory is True
    started = proc.execute(tender)
    assert _outcome(started, "national.procedure.contractor_conditions") == "pass"
    assert proc.state.contract is not None and proc.state.contract.contractor_conditions_non_discriminatory
    proc.execute(swp.FailTender(actor="王院长", role=swp.Role.PURCHASER, on=tender.on, reason="流标"))
    # A new round has new procurement documents: what the first round declared does not carry over.
    assert proc.state.contract is not None
    undeclared = attrs.evolve(tender, contractor_conditions_non_discriminatory=None)
    refusal = kit.refused_leaves_history(proc, lambda: proc.execute(undeclared))
    assert isinstance(refusal, swp.CommandUndetermined)
    again = proc.execute(tender)
    assert _outcome(again, "national.procedure.contractor_conditions") == "pass"


def test_a_tender_declared_unfair_is_refused_and_an_undeclared_one_is_undetermined(tmp_path: Path) -> None:
    import attrs

    proc, tender = _henan_until_tender(tmp_path)
    refused = kit.refused_leaves_history(
        proc, lambda: proc.execute(attrs.evolve(tender, contractor_conditions_non_discriminatory=False))
    )
    assert not isinstance(refused, swp.CommandUndetermined)
    assert [f.rule_id for f in refused.findings] == ["national.procedure.contractor_conditions"]
    undetermined = kit.refused_leaves_history(
        proc, lambda: proc.execute(attrs.evolve(tender, contractor_conditions_non_discriminatory=None))
    )
    assert isinstance(undetermined, swp.CommandUndetermined)
