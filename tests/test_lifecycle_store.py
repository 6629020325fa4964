"""The procurement over a real store: two writers, snapshots, history, listing and streaming."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import attrs
import pytest

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement.lifecycle._commands import AssessNeeds, Cancel, RecordDisclosure
from socialwork_procurement.lifecycle._events import encode_event
from socialwork_procurement.lifecycle._machine import Role, State
from socialwork_procurement.lifecycle._procurement import (
    STATE_TYPE,
    InvalidHistory,
    Procurement,
    ProcurementState,
    replay,
)
from socialwork_procurement.model._converter import unstructure
from socialwork_procurement.store._protocol import NewEvent, Snapshot
from socialwork_procurement.store._sqlite import SQLiteEventStore

pytestmark = pytest.mark.usefixtures("xiamen")


@pytest.fixture
def xiamen() -> None:
    kit.require_region("xiamen")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteEventStore]:
    with kit.new_store(tmp_path / "cases.sqlite") as s:
        yield s


def disclose(on: date, item: swp.DisclosureItem = swp.DisclosureItem.BUDGET) -> RecordDisclosure:
    return RecordDisclosure(**kit.meta(on), items=frozenset({item}))


def test_two_writers_never_overwrite_each_other(tmp_path: Path, store: SQLiteEventStore) -> None:
    kit.xiamen_until(store, "open")
    with kit.new_store(tmp_path / "cases.sqlite") as other_store:  # a second connection, as another process
        first = Procurement.open(store, kit.registry(), "XM-1")
        second = Procurement.open(other_store, kit.registry(), "XM-1")
        first.execute(AssessNeeds(**kit.meta(date(2015, 1, 26)), summary="第一位"))
        before = store.load("XM-1")
        with pytest.raises(swp.ConcurrencyConflict) as info:
            second.execute(Cancel(**kit.meta(date(2015, 1, 27)), reason="第二位不知道需求已评估"))
        assert (info.value.expected_version, info.value.actual_version) == (1, 2)
        assert store.load("XM-1") == before and second.version == 1
        # The second writer catches up and decides again, on what the first one left.
        assert second.refresh() == first.state
        second.execute(Cancel(**kit.meta(date(2015, 1, 27)), reason="重新决定后取消"))
        assert second.state.status is State.CANCELLED
        assert [e.event_type for e in store.load("XM-1")] == ["case_opened", "needs_assessed", "case_cancelled"]


def test_events_carry_the_facts_the_actor_and_the_time(store: SQLiteEventStore) -> None:
    times = iter(datetime(2015, 1, 20, 1, 0, tzinfo=UTC) + timedelta(minutes=i) for i in range(100))
    proc = kit.xiamen_until(store, "assess_needs", clock=lambda: next(times))
    opened, assessed = proc.history()
    assert (opened.version, opened.recorded_at) == (1, datetime(2015, 1, 20, 1, 0, tzinfo=UTC))
    assert assessed.recorded_at == datetime(2015, 1, 20, 1, 1, tzinfo=UTC)
    assert assessed.event.actor == "张主任" and assessed.event.role is Role.PURCHASER
    assert assessed.event.on == date(2015, 1, 26) and assessed.event.summary == "独居老人服务需求摸底"
    stored = store.load("XM-1")
    assert [s.hash for s in stored] == [e.hash for e in proc.history()]
    assert stored[1].payload == encode_event(assessed.event)[2]


def test_state_is_only_the_replay_of_events(store: SQLiteEventStore) -> None:
    proc = kit.xiamen_until(store, "close")
    assert replay(store.load("XM-1")) == proc.state == proc.replay()
    assert Procurement.open(store, kit.registry(), "XM-1").state == proc.state


def test_snapshots_load_long_histories_and_equal_full_replay(store: SQLiteEventStore) -> None:
    proc = kit.xiamen_until(store, "open", snapshot_every=5)
    assert store.load_snapshot("XM-1") is None
    day = date(2015, 1, 20)
    items = list(swp.DisclosureItem)
    for i in range(23):
        proc.execute(disclose(day + timedelta(days=i), items[i % len(items)]))
    snapshot = store.load_snapshot("XM-1")
    assert snapshot is not None and snapshot.version == 20 and snapshot.state_type == STATE_TYPE
    from_snapshot = Procurement.open(store, kit.registry(), "XM-1")
    assert from_snapshot.state == proc.replay() == proc.state
    assert from_snapshot.state.version == 24
    # The snapshot payload is the state at version 20, exactly.
    assert swp.structure(snapshot.payload, ProcurementState) == replay(store.load("XM-1")[:20])


def test_a_snapshot_the_library_cannot_read_is_ignored(store: SQLiteEventStore) -> None:
    proc = kit.xiamen_until(store, "approve_budget")
    last = store.load("XM-1")[-1]
    store.save_snapshot(Snapshot("XM-1", last.version, "someone.else/9", {"junk": True}, last.hash))
    assert Procurement.open(store, kit.registry(), "XM-1").state == proc.state


def test_a_snapshot_of_our_type_that_does_not_fit_is_rebuilt_from_the_events(store: SQLiteEventStore) -> None:
    proc = kit.xiamen_until(store, "approve_budget")
    last = store.load("XM-1")[-1]
    payload = unstructure(proc.state)
    payload["status"] = "no_such_state"
    store.save_snapshot(Snapshot("XM-1", last.version, STATE_TYPE, payload, last.hash))
    assert Procurement.open(store, kit.registry(), "XM-1").state == proc.state


def test_snapshot_now_and_the_snapshot_interval(store: SQLiteEventStore) -> None:
    proc = kit.xiamen_until(store, "assess_needs")
    snapshot = proc.snapshot()
    assert snapshot.version == 2 and store.load_snapshot("XM-1") == snapshot
    with pytest.raises(ValueError, match="snapshot_every"):
        Procurement.open(store, kit.registry(), "XM-1", snapshot_every=0)


def test_open_an_unknown_case(store: SQLiteEventStore) -> None:
    with pytest.raises(swp.CaseNotFound):
        Procurement.open(store, kit.registry(), "nope")


def test_create_needs_an_open_command(store: SQLiteEventStore) -> None:
    with pytest.raises(TypeError, match="OpenCase"):
        Procurement.create(store, kit.registry(), "X", disclose(date(2015, 1, 1)))  # type: ignore[arg-type]
    proc = kit.xiamen_until(store, "open")
    with pytest.raises(swp.InvalidTransition, match="already open"):
        proc.execute(kit.open_command())


def test_a_forged_history_the_machine_does_not_allow_is_refused(store: SQLiteEventStore) -> None:
    proc = kit.xiamen_until(store, "open")
    # Someone appends a contract_terminated to a draft case behind the library's back.
    forged = {"actor": "某人", "role": "purchaser", "on": "2015-01-21", "reason": "伪造"}
    assert proc.version == 1
    store.append(
        "XM-1",
        1,
        [NewEvent("contract_terminated", 1, forged, datetime(2015, 1, 21, tzinfo=UTC))],
    )
    with pytest.raises(InvalidHistory, match="contract_terminated cannot follow state draft"):
        Procurement.open(store, kit.registry(), "XM-1")


def test_a_history_must_start_with_case_opened(store: SQLiteEventStore) -> None:
    payload = {"actor": "x", "role": "purchaser", "on": "2015-01-01", "reason": "r"}
    store.append("X", 0, [NewEvent("case_cancelled", 1, payload, datetime(2015, 1, 1, tzinfo=UTC))])
    with pytest.raises(InvalidHistory, match="must start with case_opened"):
        Procurement.open(store, kit.registry(), "X")


def test_the_store_lists_cases_and_streams_every_event(store: SQLiteEventStore) -> None:
    kit.xiamen_until(store, "approve_budget", case_id="B")
    kit.xiamen_until(store, "open", case_id="A")
    assert [(c.case_id, c.version) for c in store.list_cases()] == [("A", 1), ("B", 3)]
    streamed = list(store.stream())
    assert [(e.case_id, e.event_type) for e in streamed] == [
        ("B", "case_opened"),
        ("B", "needs_assessed"),
        ("B", "budget_approved"),
        ("A", "case_opened"),
    ]
    # A projection over the stream rebuilds every case.
    by_case: dict[str, ProcurementState | None] = {}
    for e in streamed:
        by_case[e.case_id] = replay([e], by_case.get(e.case_id))
    assert by_case["B"] == Procurement.open(store, kit.registry(), "B").state


def test_the_state_round_trips_through_the_converter(store: SQLiteEventStore) -> None:
    state = kit.xiamen_until(store, "close").state
    assert swp.structure(unstructure(state), ProcurementState) == state
    assert attrs.evolve(state, version=1) != state
