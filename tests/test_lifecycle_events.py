"""Events are versioned: golden fixtures of every stored shape stay readable after the types change."""

from __future__ import annotations

import json
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._events import (
    EVENT_TYPES,
    UPCASTERS,
    EventSchemaError,
    TenderStarted,
    decode_event,
    encode_event,
    upcast,
)
from socialwork_procurement.lifecycle._machine import State
from socialwork_procurement.lifecycle._procurement import Procurement, evolve
from socialwork_procurement.store._protocol import NewEvent

EVENTS = Path(__file__).parent / "data" / "events"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EVENTS / name).read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_the_current_version_of_every_event_type_has_a_golden_fixture(event_type: str) -> None:
    cls = EVENT_TYPES[event_type]
    golden = fixture(f"{event_type}.v{cls.SCHEMA_VERSION}.json")
    assert (golden["event_type"], golden["schema_version"]) == (event_type, cls.SCHEMA_VERSION)
    event = decode_event(event_type, cls.SCHEMA_VERSION, golden["payload"])
    assert type(event) is cls
    # Written back exactly as stored: a changed shape needs a new version and an upcaster.
    assert encode_event(event) == (event_type, cls.SCHEMA_VERSION, golden["payload"])


@pytest.mark.parametrize("event_type", sorted(EVENT_TYPES))
def test_every_older_version_has_a_fixture_and_an_upcaster(event_type: str) -> None:
    cls = EVENT_TYPES[event_type]
    for version in range(1, cls.SCHEMA_VERSION):
        assert (event_type, version) in UPCASTERS
        old = fixture(f"{event_type}.v{version}.json")
        assert type(decode_event(event_type, version, old["payload"])) is cls


def test_tender_started_v1_renamed_field_and_v3_added_field_are_upcast() -> None:
    v1, v2, v3 = (fixture(f"tender_started.v{n}.json")["payload"] for n in (1, 2, 3))
    assert "reason_for_method" in v1 and "method_reason" not in v1
    assert "purchase_form" not in v2
    current = decode_event("tender_started", 3, v3)
    assert isinstance(current, TenderStarted) and current.purchase_form is swp.PurchaseForm.POST
    from_v1 = decode_event("tender_started", 1, v1)
    from_v2 = decode_event("tender_started", 2, v2)
    # The renamed field keeps its value; the added one is None for events that never recorded it.
    assert from_v1.method_reason == "符合条件的供应商只有三家"
    assert from_v1 == from_v2 == attrs.evolve(current, purchase_form=None)
    assert upcast("tender_started", 1, v1) == {
        **v2,
        "purchase_form": None,
        "contractor_conditions_non_discriminatory": None,
    }
    # v4 (issue 8): the art. 7 fact, not declared by any older event.
    assert current.contractor_conditions_non_discriminatory is None
    assert upcast("tender_started", 3, v3) == {**v3, "contractor_conditions_non_discriminatory": None}


def test_unknown_types_and_versions_are_refused_with_a_reason() -> None:
    payload = fixture("case_closed.v1.json")["payload"]
    with pytest.raises(EventSchemaError, match="unknown event type 'case_reopened'"):
        decode_event("case_reopened", 1, payload)
    with pytest.raises(EventSchemaError, match="version 2 is not readable by this library"):
        decode_event("case_closed", 2, payload)
    with pytest.raises(EventSchemaError, match="does not fit the event type"):
        decode_event("case_closed", 1, {**payload, "role": "mayor"})


def test_a_stored_history_with_old_event_versions_still_replays(tmp_path: Path) -> None:
    """A whole purchase as stored (tender_started at version 1) loads into today's state."""
    kit.require_region("xiamen")
    history = fixture("history.xiamen.json")
    assert [e["version"] for e in history] == list(range(1, len(history) + 1))
    assert {e["event_type"]: e["schema_version"] for e in history}["tender_started"] == 1
    with kit.new_store(tmp_path / "old.sqlite") as store:
        store.append(
            "XM-OLD",
            0,
            [
                NewEvent(
                    event_type=e["event_type"],
                    schema_version=e["schema_version"],
                    payload=e["payload"],
                    recorded_at=datetime.fromisoformat(e["recorded_at"]),
                )
                for e in history
            ],
        )
        proc = Procurement.open(store, kit.registry(), "XM-OLD")
        state = proc.state
        assert state.status is State.CLOSED and state.version == len(history)
        assert state.contract is not None and state.contract.procurement_method is swp.ProcurementMethod.OPEN_TENDER
        assert state.evaluation_fee is not None and state.evaluation_fee.fee == Decimal("14400.00")
        assert state.schedule is not None and state.schedule.midterm == date(2015, 9, 1)
        (tender,) = (e for e in proc.history() if e.event_type == "tender_started")
        assert tender.stored_schema_version == 1 and isinstance(tender.event, TenderStarted)
        assert tender.event.purchase_form is None  # tender_started v1 did not record it
        assert proc.replay() == state
        assert all(e.stored_schema_version <= type(e.event).SCHEMA_VERSION for e in proc.history())


def test_the_golden_history_folds_as_it_replays_at_every_step() -> None:
    """Folded event by event with its caches carried (as a live object does), the stored purchase
    is at every step the state rebuilt from its JSON with nothing cached, byte for byte."""
    kit.require_region("xiamen")
    history = fixture("history.xiamen.json")
    state = None
    for stored in history:
        event = decode_event(stored["event_type"], stored["schema_version"], stored["payload"])
        state = evolve(state, event, case_id="XM-OLD", version=stored["version"])
        kit.assert_same_as_rebuilt(state)
    assert state is not None and state.status is State.CLOSED
    assert state.latest_final_evaluation() == kit.scanned_latest_final(state.evaluations) is not None
