"""SQLite event store: the shared contract, SQLite-specific guarantees, and the
backend-independent helpers of ``_store`` (canonical JSON, hashing, record validation)."""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import threading
import time
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given

pytest.register_assert_rewrite("socialwork_procurement.testing.store_contract")

from socialwork_procurement._errors import ProcurementError, TamperDetected  # noqa: E402
from socialwork_procurement.store._core import check_chain  # noqa: E402
from socialwork_procurement.store._protocol import (  # noqa: E402
    GENESIS_HASH,
    NewEvent,
    PayloadNotJSON,
    Snapshot,
    StoreBusy,
    StoredEvent,
    StoreUnavailable,
    canonical_json,
    event_hash,
)
from socialwork_procurement.store._sqlite import (  # noqa: E402
    SCHEMA_VERSION,
    TRIGGERS,
    SQLiteEventStore,
)
from socialwork_procurement.testing.store_contract import (  # noqa: E402
    T0,
    EventStoreContract,
    event,
    json_objects,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from pathlib import Path

    from socialwork_procurement.store._protocol import EventStore
    from socialwork_procurement.testing.store_contract import StoreFactory


class TestSQLiteEventStore(EventStoreContract):
    """The contract against SQLite files in pytest's tmp_path (one file per database)."""

    @pytest.fixture
    def make_store(self, tmp_path: Path) -> Iterator[StoreFactory]:
        opened: list[SQLiteEventStore] = []

        def factory(database: str = "main", *, key: bytes | str | None = None, adopt_key: bool = False) -> EventStore:
            store = SQLiteEventStore(tmp_path / f"{database}.sqlite3", key=key, adopt_key=adopt_key)
            opened.append(store)
            return store

        yield factory
        for store in opened:
            store.close()

    # An administrator with the sqlite3 shell: drop the triggers, edit, put them back.

    @staticmethod
    def _bypassing_triggers(store: EventStore, sql: str, params: tuple[Any, ...]) -> None:
        assert isinstance(store, SQLiteEventStore)
        conn = sqlite3.connect(store.path, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            for name in TRIGGERS:
                conn.execute(f"DROP TRIGGER {name}")
            assert conn.execute(sql, params).rowcount >= 1
            for ddl in TRIGGERS.values():
                conn.execute(ddl)
            conn.execute("COMMIT")
        finally:
            conn.close()

    def _set(
        self, store: EventStore, table: str, where: str, columns: Mapping[str, Any], keys: tuple[Any, ...]
    ) -> None:
        assignments = ", ".join(f"{name} = ?" for name in columns)
        self._bypassing_triggers(store, f"UPDATE {table} SET {assignments} WHERE {where}", (*columns.values(), *keys))

    def tamper_row(self, store: EventStore, case_id: str, version: int, columns: Mapping[str, Any]) -> None:
        self._set(store, "swp_events", "case_id = ? AND version = ?", columns, (case_id, version))

    def tamper_head(self, store: EventStore, case_id: str, columns: Mapping[str, Any]) -> None:
        self._set(store, "swp_streams", "case_id = ?", columns, (case_id,))

    def tamper_snapshot_row(self, store: EventStore, case_id: str, columns: Mapping[str, Any]) -> None:
        self._set(store, "swp_snapshots", "case_id = ?", columns, (case_id,))

    def tamper_delete(self, store: EventStore, case_id: str, version: int) -> None:
        self._bypassing_triggers(store, "DELETE FROM swp_events WHERE case_id = ? AND version = ?", (case_id, version))

    def tamper_delete_case(self, store: EventStore, case_id: str) -> None:
        self._bypassing_triggers(store, "DELETE FROM swp_events WHERE case_id = ?", (case_id,))
        self._bypassing_triggers(store, "DELETE FROM swp_streams WHERE case_id = ?", (case_id,))

    def drop_triggers(self, store: EventStore) -> None:
        assert isinstance(store, SQLiteEventStore)
        conn = sqlite3.connect(store.path, isolation_level=None)
        try:
            for name in TRIGGERS:
                conn.execute(f"DROP TRIGGER {name}")
        finally:
            conn.close()

    @staticmethod
    def _plain(store: EventStore, sql: str, params: tuple[Any, ...]) -> None:
        assert isinstance(store, SQLiteEventStore)
        conn = sqlite3.connect(store.path, isolation_level=None)
        try:
            conn.execute(sql, params)
        finally:
            conn.close()

    def raw_update(self, store: EventStore, case_id: str, version: int) -> None:
        self._plain(
            store,
            "UPDATE swp_events SET payload = '{}' WHERE case_id = ? AND version = ?",
            (case_id, version),
        )

    def raw_delete(self, store: EventStore, case_id: str, version: int) -> None:
        self._plain(store, "DELETE FROM swp_events WHERE case_id = ? AND version = ?", (case_id, version))


# --------------------------------------------------------------------------- SQLite specifics


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "store.sqlite3"


def _pragma(store: SQLiteEventStore, name: str) -> Any:
    return store._dialect.conn.execute(f"PRAGMA {name}").fetchone()[0]


@pytest.mark.parametrize(("mode", "code"), [("FULL", 2), ("NORMAL", 1), ("EXTRA", 3)])
def test_wal_and_synchronous(db: Path, mode: Any, code: int) -> None:
    with SQLiteEventStore(db, synchronous=mode) as store:
        assert _pragma(store, "journal_mode") == "wal"
        assert _pragma(store, "synchronous") == code
        assert _pragma(store, "user_version") == SCHEMA_VERSION


def test_default_is_full_sync(db: Path) -> None:
    with SQLiteEventStore(db) as store:
        assert store.synchronous == "FULL"
        assert _pragma(store, "synchronous") == 2


def test_constructor_checks(db: Path) -> None:
    with pytest.raises(ValueError, match="synchronous"):
        SQLiteEventStore(db, synchronous="OFF")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="busy_timeout_ms"):
        SQLiteEventStore(db, busy_timeout_ms=0)
    with pytest.raises(ValueError, match="max_attempts"):
        SQLiteEventStore(db, max_attempts=0)


def test_memory_database_is_refused() -> None:
    """Silently running without WAL would break the durability promise."""
    with pytest.raises(StoreUnavailable, match="WAL"):
        SQLiteEventStore(":memory:")


def test_schema_is_created_once_and_reopened(db: Path) -> None:
    with SQLiteEventStore(db) as store:
        store.append("c", 0, [event(1)])
    with SQLiteEventStore(db) as store:
        assert store.version("c") == 1
    conn = sqlite3.connect(db)
    names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
    conn.close()
    assert {"swp_events", "swp_streams", "swp_snapshots", *TRIGGERS} <= names


def test_newer_schema_is_refused(db: Path) -> None:
    SQLiteEventStore(db).close()
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreUnavailable, match="newer"):
        SQLiteEventStore(db)


def test_stream_head_cannot_be_rewound_or_deleted(db: Path) -> None:
    with SQLiteEventStore(db) as store:
        store.append("c", 0, [event(1), event(2)])
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE swp_streams SET version = 1")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM swp_streams")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM swp_events")  # no truncate optimisation past a trigger
    finally:
        conn.close()


def test_unique_case_version_is_a_backstop(db: Path) -> None:
    """Even a writer that skips the head check cannot store two events at one version."""
    with SQLiteEventStore(db) as store:
        store.append("c", 0, [event(1)])
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            conn.execute(
                "INSERT INTO swp_events (case_id, version, event_type, schema_version, payload,"
                " recorded_at, prev_hash, hash) VALUES ('c', 1, 'X', 1, '{}', 'x', 'x', 'x')"
            )
    finally:
        conn.close()


def test_deferred_begin_read_then_write_fails_which_is_why_we_use_immediate(db: Path) -> None:
    """The pitfall BEGIN IMMEDIATE avoids: a deferred transaction that read before another
    connection committed cannot upgrade to a write (SQLITE_BUSY_SNAPSHOT, no busy wait)."""
    SQLiteEventStore(db).close()
    a = sqlite3.connect(db, isolation_level=None, timeout=1)
    b = sqlite3.connect(db, isolation_level=None, timeout=1)
    try:
        a.execute("BEGIN")
        a.execute("SELECT COUNT(*) FROM swp_streams").fetchone()
        b.execute("INSERT INTO swp_meta VALUES ('b', 'x')")  # b commits in between
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            a.execute("INSERT INTO swp_meta VALUES ('a', 'x')")
        a.execute("ROLLBACK")
    finally:
        a.close()
        b.close()


def test_locked_database_raises_store_busy_after_bounded_retries(db: Path) -> None:
    SQLiteEventStore(db).close()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteEventStore(db, busy_timeout_ms=50, max_attempts=2) as store:
            started = time.monotonic()
            with pytest.raises(StoreBusy) as info:
                store.append("c", 0, [event(1)])
            assert isinstance(info.value, TimeoutError)
            assert isinstance(info.value, ProcurementError)
            assert time.monotonic() - started < 5
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    with SQLiteEventStore(db) as store:
        assert store.version("c") == 0


def test_append_waits_for_a_writer_that_finishes(db: Path) -> None:
    SQLiteEventStore(db).close()
    blocker = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(0.3, lambda: blocker.execute("COMMIT"))
    timer.start()
    try:
        with SQLiteEventStore(db, busy_timeout_ms=5_000) as store:
            (stored,) = store.append("c", 0, [event(1)])
            assert stored.version == 1
    finally:
        timer.join()
        blocker.close()


def test_one_store_object_shared_by_threads(db: Path) -> None:
    with SQLiteEventStore(db) as store:

        def work(n: int) -> None:
            for i in range(10):
                store.append(f"case-{n}", i, [event(i)])

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert [c.version for c in store.list_cases()] == [10] * 4
        positions = [e.position for e in store.stream()]
        assert positions == list(range(1, 41))


def test_stream_pages_beyond_one_page(db: Path) -> None:
    with SQLiteEventStore(db) as store:
        for batch in range(6):
            store.append("c", batch * 200, [event(i) for i in range(200)])
        everything = list(store.stream())
        assert [e.version for e in everything] == list(range(1, 1201))
        assert len(list(store.stream(limit=700))) == 700
        assert [e.version for e in store.stream(after_position=450, limit=600)] == list(range(451, 1051))


def test_integrity_check_after_use(db: Path) -> None:
    with SQLiteEventStore(db) as store:
        events = store.append("c", 0, [event(1), event(2)])
        store.save_snapshot(Snapshot("c", 2, "S", {}, events[1].hash))
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()


def test_edited_timestamp_text_is_detected(db: Path) -> None:
    """The hash covers the stored timestamp text, so even an 'equivalent' rewrite shows."""
    with SQLiteEventStore(db) as store:
        store.append("c", 0, [event(1)])
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER swp_events_no_update")
    conn.execute("UPDATE swp_events SET recorded_at = '2024-03-01T16:30:01+08:00'")
    conn.close()
    with SQLiteEventStore(db) as store, pytest.raises(TamperDetected):
        store.load("c")


# --------------------------------------------------------------------------- core helpers


def test_canonical_json_form() -> None:
    text = canonical_json({"b": [1, 2.5, None, True], "a": {"名称": "社工", "z": "\x00"}})
    assert text == '{"a":{"z":"\\u0000","名称":"社工"},"b":[1,2.5,null,true]}'
    assert canonical_json({"t": (1, 2)}) == '{"t":[1,2]}'


@pytest.mark.parametrize(
    ("payload", "path", "message"),
    [
        ({"amount": Decimal("1.10")}, "$.amount", "as strings"),
        ({"x": [1, float("nan")]}, "$.x[1]", "no JSON"),
        ({"x": math.inf}, "$.x", "no JSON"),
        ({"x": {1: "a"}}, "$.x", "keys must be str"),
        ({"x": {1, 2}}, "$.x", "set"),
        ({"x": b"bytes"}, "$.x", "bytes"),
        ({"x": datetime(2024, 1, 1, tzinfo=UTC)}, "$.x", "datetime"),
        ({"x": "\ud800"}, "$", "surrogate"),
    ],
)
def test_canonical_json_refuses_what_would_not_round_trip(payload: dict[str, Any], path: str, message: str) -> None:
    with pytest.raises(PayloadNotJSON, match=message) as info:
        canonical_json(payload)
    assert info.value.path == path
    assert isinstance(info.value, TypeError)


def test_canonical_json_refuses_absurd_nesting() -> None:
    deep: list[Any] = []
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(PayloadNotJSON, match="nested deeper than 64 levels"):
        canonical_json({"x": deep})


@given(payload=json_objects)
def test_event_hash_equals_the_documented_formula(payload: dict[str, Any]) -> None:
    document = {
        "case_id": "案-1",
        "version": 7,
        "event_type": "Paid",
        "schema_version": 2,
        "payload": payload,
        "recorded_at": T0.isoformat(),
        "prev_hash": GENESIS_HASH,
    }
    by_formula = hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()
    assert by_formula == event_hash(
        case_id="案-1",
        version=7,
        event_type="Paid",
        schema_version=2,
        payload_json=canonical_json(payload),
        recorded_at=T0.isoformat(),
        prev_hash=GENESIS_HASH,
    )
    assert json.loads(canonical_json(payload)) == json.loads(json.dumps(payload))


@pytest.mark.parametrize(
    "when",
    [
        datetime(2024, 1, 1, 8, 0),  # naive
        datetime(2024, 1, 1, 8, 0, tzinfo=ZoneInfo("Asia/Shanghai")),
        datetime(2024, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))),
    ],
)
def test_new_event_requires_utc(when: datetime) -> None:
    with pytest.raises(ValueError, match="UTC"):
        NewEvent("X", 1, {}, when)


def test_new_event_normalises_any_utc_zone() -> None:
    made = NewEvent("X", 1, {}, datetime(2024, 1, 1, tzinfo=ZoneInfo("UTC")))
    assert made.recorded_at.tzinfo is UTC
    assert made.recorded_at.isoformat() == "2024-01-01T00:00:00+00:00"


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"event_type": ""}, ValueError),
        ({"event_type": "a\x00b"}, ValueError),
        ({"event_type": 3}, TypeError),
        ({"schema_version": 0}, ValueError),
        ({"schema_version": True}, TypeError),
        ({"schema_version": 2**31}, ValueError),
        ({"payload": [1]}, TypeError),
        ({"recorded_at": "2024-01-01T00:00:00+00:00"}, TypeError),
    ],
)
def test_new_event_validation(kwargs: dict[str, Any], error: type[Exception]) -> None:
    fields: dict[str, Any] = {
        "event_type": "X",
        "schema_version": 1,
        "payload": {},
        "recorded_at": T0,
    }
    with pytest.raises(error):
        NewEvent(**(fields | kwargs))


def test_snapshot_validation() -> None:
    with pytest.raises(ValueError, match="event_hash"):
        Snapshot("c", 1, "S", {}, "not-a-hash")
    with pytest.raises(ValueError, match="version"):
        Snapshot("c", 0, "S", {}, GENESIS_HASH)


def _stored(version: int, prev: str) -> StoredEvent:
    digest = event_hash(
        case_id="c",
        version=version,
        event_type="X",
        schema_version=1,
        payload_json="{}",
        recorded_at=T0.isoformat(),
        prev_hash=prev,
    )
    return StoredEvent("c", version, version, "X", 1, {}, T0, prev, digest)


def test_check_chain_names_the_broken_link() -> None:
    first = _stored(1, GENESIS_HASH)
    second = _stored(2, first.hash)
    check_chain("c", [first, second], prev_hash=GENESIS_HASH, first_version=1)
    with pytest.raises(TamperDetected, match="missing or reordered") as gap:
        check_chain("c", [first, _stored(3, second.hash)], prev_hash=GENESIS_HASH, first_version=1)
    assert gap.value.version == 3
    with pytest.raises(TamperDetected, match="prev_hash"):
        check_chain("c", [first, _stored(2, "f" * 64)], prev_hash=GENESIS_HASH, first_version=1)
    assert first.computed_hash() == first.hash
