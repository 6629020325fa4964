"""Builders shared by the lifecycle tests: real facts for a Xiamen, Henan and Ningxia purchase.

Imported by name (``sys.path`` gets this folder), like ``_store_workers``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._commands import (
    Accept,
    ApproveBudget,
    AssessNeeds,
    Award,
    Close,
    Command,
    OpenCase,
    RecordDisclosure,
    RecordEvaluation,
    SignContract,
    StartService,
    StartTender,
)
from socialwork_procurement.lifecycle._machine import Role
from socialwork_procurement.lifecycle._procurement import Procurement
from socialwork_procurement.store._sqlite import SQLiteEventStore

PURCHASER_NAME = "厦门市思明区某街道办事处"
CONTRACTOR_NAME = "厦门市某社会工作服务中心"
EVALUATOR_NAME = "厦门某社会服务评估中心"
ALL_TERMS = frozenset(swp.ContractTerm)
PERIOD = swp.ServicePeriod(date(2015, 3, 1), date(2016, 2, 29))


def _valid_uscc(prefix17: str) -> str:
    return prefix17 + swp.uscc_check_char(prefix17)


CONTRACTOR_USCC = _valid_uscc("52350203MJ0000001")
PURCHASER_USCC = _valid_uscc("11350203MB0000002")


@functools.cache
def registry() -> swp.Registry:
    """Every installed pack plus the national layer (what an app gets)."""
    return swp.load_registry()


def require_region(code: str) -> None:
    """Skip (with the reason) when the region's pack is not installed here."""
    import pytest

    pytest.importorskip(f"socialwork_procurement_{code}", reason=f"the {code} rule pack is not installed")


def new_store(path: Path) -> SQLiteEventStore:
    # NORMAL: these tests need no power-loss durability, only speed.
    return SQLiteEventStore(path, synchronous="NORMAL")


def meta(on: date, actor: str = "张主任", role: Role = Role.PURCHASER, **extra: Any) -> dict[str, Any]:
    return {"actor": actor, "role": role, "on": on, **extra}


def xiamen_purchaser() -> swp.Purchaser:
    return swp.Purchaser(
        name=PURCHASER_NAME, kind=swp.PurchaserKind.STREET_OFFICE, level=swp.AdminLevel.STREET, uscc=PURCHASER_USCC
    )


def xiamen_contractor(**changes: Any) -> swp.Contractor:
    facts: dict[str, Any] = {
        "name": CONTRACTOR_NAME,
        "legal_form": swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        "uscc": CONTRACTOR_USCC,
        "independent_legal_person": True,
        "staff": swp.Staff(professional_team=True),
        "governance": swp.Governance(
            internal_governance=True,
            bylaws=True,
            public_credibility=True,
            operating_capacity=True,
            professional_service_capacity=True,
        ),
    }
    facts.update(changes)
    return swp.Contractor(**facts)


def henan_contractor(**changes: Any) -> swp.Contractor:
    facts: dict[str, Any] = {
        "name": "郑州市某社会工作服务中心",
        "legal_form": swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        "independent_legal_person": True,
        "lawfully_registered": True,
        "non_profit": True,
        "public_welfare": True,
        "staff": swp.Staff(professional_team=True, mainly_social_work_professionals=True),
    }
    facts.update(changes)
    return swp.Contractor(**facts)


ningxia_contractor = henan_contractor


def open_command(
    region: str = "xiamen", on: date = date(2015, 1, 20), *, region_code: str | None = None, **changes: Any
) -> OpenCase:
    """Open a case with an eligible purchaser of ``region`` (``region_code`` overrides the code only)."""
    purchasers = {
        "xiamen": xiamen_purchaser(),
        "henan": swp.Purchaser(name="郑州市民政局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT),
        "ningxia": swp.Purchaser(
            name="银川市人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT, level=swp.AdminLevel.CITY
        ),
    }
    fields: dict[str, Any] = {
        **meta(on),
        "region": region_code or region,
        "title": "社区综合服务项目",
        "purchaser": purchasers[region],
    }
    fields.update(changes)
    return OpenCase(**fields)


def budget_command(on: date, **changes: Any) -> ApproveBudget:
    fields: dict[str, Any] = {
        **meta(on),
        "amount": Decimal("500000.00"),
        "cost_accounting": True,
        "targets_quantity": True,
        "targets_scale": True,
        "targets_quality": True,
        "targets_effect": True,
    }
    fields.update(changes)
    return ApproveBudget(**fields)


def sign_command(on: date, period: swp.ServicePeriod = PERIOD, **changes: Any) -> SignContract:
    fields: dict[str, Any] = {
        **meta(on),
        "service_period": period,
        "amount": Decimal("480000.00"),
        "stated_terms": ALL_TERMS,
        "written": True,
        "evaluation_fee_base": Decimal("480000.00"),
    }
    fields.update(changes)
    return SignContract(**fields)


def evaluation_command(
    on: date,
    stage: swp.EvaluationStage,
    *,
    evaluator: str = EVALUATOR_NAME,
    evaluator_role: swp.EvaluatorRole = swp.EvaluatorRole.THIRD_PARTY,
    result: swp.EvaluationResult | None = swp.EvaluationResult.GOOD,
    role: Role = Role.THIRD_PARTY,
    actor: str | None = None,
    **extra: Any,
) -> RecordEvaluation:
    return RecordEvaluation(
        **meta(on, actor=actor or evaluator, role=role),
        stage=stage,
        evaluator=evaluator,
        evaluator_role=evaluator_role,
        result=result,
        **extra,
    )


M, F = swp.EvaluationStage.MIDTERM, swp.EvaluationStage.FINAL


def xiamen_steps() -> list[tuple[str, Command]]:
    """A Xiamen purchase from needs assessment to close, every step allowed (after open)."""
    purchaser_eval = {"evaluator": PURCHASER_NAME, "evaluator_role": swp.EvaluatorRole.PURCHASER}
    recipients = {"evaluator": "服务对象代表", "evaluator_role": swp.EvaluatorRole.SERVICE_RECIPIENT}
    return [
        ("assess_needs", AssessNeeds(**meta(date(2015, 1, 26)), summary="独居老人服务需求摸底")),
        ("approve_budget", budget_command(date(2015, 1, 30))),
        (
            "start_tender",
            StartTender(
                **meta(date(2015, 2, 2)),
                method=swp.ProcurementMethod.OPEN_TENDER,
                purchase_form=swp.PurchaseForm.COMPREHENSIVE_PROJECT,
            ),
        ),
        ("award", Award(**meta(date(2015, 2, 25)), contractor=xiamen_contractor(), amount=Decimal("480000.00"))),
        ("sign_contract", sign_command(date(2015, 2, 27))),
        ("start_service", StartService(**meta(date(2015, 3, 1), actor="李社工", role=Role.CONTRACTOR))),
        ("midterm", evaluation_command(date(2015, 9, 1), M)),
        ("final", evaluation_command(date(2016, 2, 22), F, result=swp.EvaluationResult.EXCELLENT)),
        (
            "final_purchaser",
            evaluation_command(date(2016, 2, 24), F, role=Role.PURCHASER, actor="张主任", **purchaser_eval),
        ),
        (
            "final_recipients",
            evaluation_command(date(2016, 2, 25), F, role=Role.PURCHASER, actor="张主任", **recipients),
        ),
        ("accept", Accept(**meta(date(2016, 3, 4)))),
        (
            "disclose",
            RecordDisclosure(**meta(date(2016, 3, 7)), items=frozenset({swp.DisclosureItem.EVALUATION_RESULTS})),
        ),
        ("close", Close(**meta(date(2016, 3, 10)))),
    ]


def xiamen_until(store: SQLiteEventStore, step: str, case_id: str = "XM-1", **kw: Any) -> Procurement:
    """A Xiamen case driven up to and including ``step`` ("open" for just opened)."""
    proc = Procurement.create(store, registry(), case_id, open_command(), **kw)
    if step == "open":
        return proc
    for name, command in xiamen_steps():
        proc.execute(command)
        if name == step:
            return proc
    raise ValueError(f"no step {step!r}")


def refused_leaves_history(proc: Procurement, attempt: Callable[[], object]) -> BaseException:
    """Run ``attempt``, which must raise CommandRefused, and check nothing was stored."""
    store_events = proc.store.load(proc.case_id)
    state = proc.state
    try:
        attempt()
    except swp.CommandRefused as exc:
        assert proc.store.load(proc.case_id) == store_events
        assert proc.state == state
        return exc
    raise AssertionError("the command was not refused")


# -- the lifecycle as it was computed before it kept indexes (issue 10): references for the tests


def scanned_latest_final(evaluations: tuple[swp.Evaluation, ...]) -> swp.Evaluation | None:
    """The latest final evaluation with a result, by scanning them all (as acceptance did)."""
    finals = [
        (e.date, i, e)
        for i, e in enumerate(evaluations)
        if e.stage is swp.EvaluationStage.FINAL and e.result is not None
    ]
    return max(finals)[2] if finals else None


def constructed_case(state: Any) -> swp.Case:
    """The state's facts through ``Case``'s own constructor (every evaluation checked again)."""
    return swp.Case(
        purchaser=state.purchaser,
        contractor=state.contractor,
        contract=state.contract,
        planning=state.planning,
        evaluations=state.evaluations,
        published=state.published,
    )


def assert_same_as_rebuilt(state: Any) -> None:
    """``state`` (folded step by step, its caches carried) equals the state rebuilt from its JSON
    with nothing cached, byte for byte, and answers the guards' questions as a scan does."""
    from socialwork_procurement.lifecycle._procurement import ProcurementState
    from socialwork_procurement.model._converter import unstructure

    data = unstructure(state)
    rebuilt = swp.structure(data, ProcurementState)
    assert unstructure(rebuilt) == data
    assert rebuilt == state
    assert state.latest_final_evaluation() == scanned_latest_final(state.evaluations)
    assert rebuilt.latest_final_evaluation() == state.latest_final_evaluation()
    assert state.to_case() == constructed_case(state) == rebuilt.to_case()
