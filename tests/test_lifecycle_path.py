"""Every command takes one path (guard, decide, append, fold), declared per command type."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.lifecycle import _procurement
from socialwork_procurement.lifecycle._commands import COMMAND_TYPES, AssessNeeds, Close
from socialwork_procurement.lifecycle._decisions import DECISIONS
from socialwork_procurement.lifecycle._events import EVENT_TYPES, CaseOpened
from socialwork_procurement.lifecycle._fold import _FOLDS
from socialwork_procurement.lifecycle._guards import GUARDS, admit
from socialwork_procurement.rules._rules import Subject


def test_every_command_type_has_one_guard_and_one_decision() -> None:
    commands = set(COMMAND_TYPES.values())
    assert set(GUARDS) == commands
    assert set(DECISIONS) == commands


def test_every_event_but_the_opening_one_has_a_fold() -> None:
    # case_opened starts a case (no state to fold it onto); every other event moves one.
    assert set(_FOLDS) == set(EVENT_TYPES.values()) - {CaseOpened}


def test_the_guards_declare_the_region_questions_each_step_asks() -> None:
    asked = {
        cls.command: (
            guard.region,
            guard.rules.subjects if guard.rules else None,
            guard.evaluation_fee is not None,
        )
        for cls, guard in GUARDS.items()
    }
    assert asked["open"] == (True, frozenset({Subject.PURCHASER}), False)
    assert asked["sign_contract"] == (False, frozenset({Subject.CONTRACT}), True)
    assert asked["record_evaluation"][1] == frozenset({Subject.EVALUATION})
    # Steps no rule of the sources gates ask the region nothing.
    for tag in ("assess_needs", "fail_tender", "start_service", "close", "cancel", "terminate", "record_disclosure"):
        assert asked[tag] == (False, None, False), tag


def test_the_names_other_modules_import_stay_in_the_procurement_module() -> None:
    for name in _procurement.__all__:
        assert hasattr(_procurement, name), name
    assert _procurement.CommandUndetermined is swp.CommandUndetermined
    assert _procurement.replay is swp.replay
    assert _procurement.InvalidHistory is swp.InvalidHistory


def test_a_guard_that_asks_nothing_stores_nothing_and_asks_no_registry(tmp_path: Path) -> None:
    kit.require_region("xiamen")

    class NoRegistry:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"the registry was asked {name}")

    with kit.new_store(tmp_path / "cases.sqlite") as store:
        state = kit.xiamen_until(store, "open").state
        ruling = admit(state, AssessNeeds(**kit.meta(date(2015, 1, 26)), summary="x"), NoRegistry())  # type: ignore[arg-type]
        assert ruling.case is None and ruling.basis is None and ruling.fee is None
        with pytest.raises(swp.InvalidTransition, match="not allowed in state draft"):
            admit(state, Close(**kit.meta(date(2015, 1, 26))), NoRegistry())  # type: ignore[arg-type]
