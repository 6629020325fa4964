"""SQLite event store: one file, stdlib only, safe for several processes on one host.

How each guarantee is obtained, and why:

* **Durability** — WAL journal with ``synchronous=FULL`` (default): every commit fsyncs the
  WAL, so an acknowledged append survives power loss, not just a process crash (``NORMAL``
  in WAL mode may lose the last commits on power loss; choose it only knowingly).
* **No lost or doubled versions** — every read-then-write runs in ``BEGIN IMMEDIATE``: the
  write lock is taken *before* the version is read. A deferred ``BEGIN`` that reads and then
  writes fails with "database is locked" (SQLITE_BUSY_SNAPSHOT) when another process
  committed in between, and SQLite does not call the busy handler for that case.
  ``UNIQUE(case_id, version)`` is the backstop: even a buggy writer cannot store two
  events at one version.
* **Waiting instead of failing** — a busy timeout makes ``BEGIN IMMEDIATE`` wait for the
  lock; if it still reports "database is locked", the whole transaction is retried a
  bounded number of times with jittered backoff, then :class:`StoreBusy` is raised.
* **Commit order** — SQLite has one writer at a time, so ``position`` (an AUTOINCREMENT
  rowid, never reused) is assigned in commit order.
* **Append-only** — triggers ``RAISE(ABORT, ...)`` on UPDATE/DELETE of events and on
  deleting or rewinding a stream head; the hash chain catches anyone who drops them.

WAL needs shared memory, so all processes must be on one host (no network file systems);
for writers on several machines use ``PostgresEventStore``.
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final, Literal, TypeVar

from .._errors import CaseNotFound, ConcurrencyConflict
from ._protocol import GENESIS_HASH as _GENESIS
from ._protocol import (
    CaseSummary,
    InvalidSnapshot,
    NewEvent,
    Snapshot,
    StoreBusy,
    StoreContextMixin,
    StoredEvent,
    StoreUnavailable,
    check_append_args,
    check_case_id,
    check_count,
    check_loaded,
    check_snapshot_row,
    decode_event,
    event_hash,
    payload_json,
    snapshot_hash,
    utc_isoformat,
)

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterator, Sequence

__all__ = ["SCHEMA_VERSION", "SQLiteEventStore"]

_T = TypeVar("_T")

SCHEMA_VERSION: Final = 1
"""Stored in ``PRAGMA user_version``; a newer file is refused rather than misread."""

_SYNCHRONOUS: Final = ("FULL", "NORMAL", "EXTRA")
_PAGE: Final = 500

_TABLES: Final = (
    """
    CREATE TABLE IF NOT EXISTS swp_events (
        position        INTEGER PRIMARY KEY AUTOINCREMENT,
        case_id         TEXT    NOT NULL,
        version         INTEGER NOT NULL CHECK (version >= 1),
        event_type      TEXT    NOT NULL,
        schema_version  INTEGER NOT NULL,
        payload         TEXT    NOT NULL,
        recorded_at     TEXT    NOT NULL,
        prev_hash       TEXT    NOT NULL,
        hash            TEXT    NOT NULL,
        UNIQUE (case_id, version)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS swp_streams (
        case_id            TEXT    PRIMARY KEY,
        version            INTEGER NOT NULL CHECK (version >= 1),
        head_hash          TEXT    NOT NULL,
        first_recorded_at  TEXT    NOT NULL,
        last_recorded_at   TEXT    NOT NULL
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS swp_snapshots (
        case_id     TEXT    PRIMARY KEY,
        version     INTEGER NOT NULL,
        state_type  TEXT    NOT NULL,
        payload     TEXT    NOT NULL,
        event_hash  TEXT    NOT NULL,
        hash        TEXT    NOT NULL
    )
    """,
)

TRIGGERS: Final = {
    "swp_events_no_update": """
        CREATE TRIGGER IF NOT EXISTS swp_events_no_update BEFORE UPDATE ON swp_events
        BEGIN SELECT RAISE(ABORT, 'swp_events is append-only: UPDATE refused'); END
    """,
    "swp_events_no_delete": """
        CREATE TRIGGER IF NOT EXISTS swp_events_no_delete BEFORE DELETE ON swp_events
        BEGIN SELECT RAISE(ABORT, 'swp_events is append-only: DELETE refused'); END
    """,
    "swp_streams_no_delete": """
        CREATE TRIGGER IF NOT EXISTS swp_streams_no_delete BEFORE DELETE ON swp_streams
        BEGIN SELECT RAISE(ABORT, 'swp_streams is append-only: DELETE refused'); END
    """,
    "swp_streams_forward_only": """
        CREATE TRIGGER IF NOT EXISTS swp_streams_forward_only BEFORE UPDATE ON swp_streams
        WHEN NEW.case_id IS NOT OLD.case_id OR NEW.version <= OLD.version
        BEGIN SELECT RAISE(ABORT, 'swp_streams is append-only: a head may only move forward'); END
    """,
}
"""Trigger DDL by name; public so test/admin tooling can restore triggers it dropped."""

_EVENT_COLUMNS: Final = "case_id, version, position, event_type, schema_version, payload, recorded_at, prev_hash, hash"
_Row = tuple[str, int, int, str, int, str, str, str, str]


def _decode(row: _Row) -> StoredEvent:
    case_id, version, position, event_type, schema_version, text, recorded_at, prev, stored = row
    return decode_event(
        case_id=case_id,
        version=version,
        position=position,
        event_type=event_type,
        schema_version=schema_version,
        payload_text=text,
        recorded_at=recorded_at,
        prev_hash=prev,
        stored_hash=stored,
    )


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    message = str(exc).lower()
    return "database is locked" in message or "database is busy" in message


class SQLiteEventStore(StoreContextMixin):
    """Event store in one SQLite file (created with its schema if missing).

    ``synchronous`` trades durability for speed (see the module docstring); ``FULL`` is the
    safe default. ``busy_timeout_ms`` is how long one attempt waits for another writer's
    lock; ``max_attempts`` bounds the whole-transaction retries after that.

    One store object holds one connection and may be shared by threads (calls are
    serialised by a lock). Open one store per process; do not share it across ``fork``.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        synchronous: Literal["FULL", "NORMAL", "EXTRA"] = "FULL",
        busy_timeout_ms: int = 10_000,
        max_attempts: int = 5,
    ) -> None:
        if synchronous not in _SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {_SYNCHRONOUS}, got {synchronous!r}")
        if check_count("busy_timeout_ms", busy_timeout_ms) == 0:
            raise ValueError("busy_timeout_ms must be > 0: 0 makes every lock wait an error")
        if check_count("max_attempts", max_attempts) == 0:
            raise ValueError("max_attempts must be >= 1")
        self.path = Path(path)
        self.synchronous = synchronous
        self._busy_timeout_ms = busy_timeout_ms
        self._max_attempts = max_attempts
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = sqlite3.connect(
            self.path,
            timeout=busy_timeout_ms / 1000,
            isolation_level=None,  # we issue BEGIN/COMMIT ourselves
            check_same_thread=False,  # guarded by self._lock instead
        )
        try:
            self._setup()
        except BaseException:
            self._conn.close()
            self._conn = None
            raise

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else self.synchronous
        return f"SQLiteEventStore({str(self.path)!r}, {state})"

    # ------------------------------------------------------------------ plumbing

    def _setup(self) -> None:
        conn = self._conn
        assert conn is not None

        def enable_wal(c: sqlite3.Connection) -> str:
            row = c.execute("PRAGMA journal_mode=WAL").fetchone()
            return str(row[0]).lower()

        mode = self._with_retry(enable_wal)
        if mode != "wal":
            raise StoreUnavailable(
                f"{self.path}: SQLite refused WAL mode (journal_mode={mode}); the store needs "
                "WAL on a local file (not :memory:, not a network file system)"
            )
        conn.execute(f"PRAGMA synchronous={self.synchronous}")
        current = self._transaction(lambda c: int(c.execute("PRAGMA user_version").fetchone()[0]))
        if current == SCHEMA_VERSION:
            return
        if current > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"{self.path}: schema version {current} is newer than this library supports "
                f"({SCHEMA_VERSION}); upgrade socialwork-procurement"
            )
        self._transaction(self._create_schema, write=True)

    @staticmethod
    def _create_schema(conn: sqlite3.Connection) -> None:
        # Re-checked under the write lock: another process may have created it meanwhile.
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= SCHEMA_VERSION:
            return
        for ddl in (*_TABLES, *TRIGGERS.values()):
            conn.execute(ddl)
        conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StoreUnavailable(f"{self!r} is closed")
        return self._conn

    def _with_retry(self, attempt: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run *attempt* again (whole) when SQLite still reports the database locked.

        The busy timeout already waited ``busy_timeout_ms``; this covers the cases where
        SQLite returns SQLITE_BUSY without waiting (e.g. WAL recovery, lock upgrades).
        """
        with self._lock:
            conn = self._connection()
            for number in range(1, self._max_attempts + 1):
                try:
                    return attempt(conn)
                except sqlite3.OperationalError as exc:
                    if not _is_locked(exc):
                        raise
                    if number == self._max_attempts:
                        raise StoreBusy(
                            f"{self.path}: still locked after {number} attempts of {self._busy_timeout_ms} ms"
                        ) from exc
                time.sleep(random.uniform(0.005, 0.05) * number)
        raise AssertionError("unreachable")  # pragma: no cover

    def _transaction(self, body: Callable[[sqlite3.Connection], _T], *, write: bool = False) -> _T:
        """Run *body* in one transaction (IMMEDIATE when it writes), retried when locked.

        Reads use a (deferred) transaction too, so the several SELECTs of one ``load``
        see one consistent WAL snapshot.
        """

        def attempt(conn: sqlite3.Connection) -> _T:
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            try:
                result = body(conn)
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):  # connection already broken
                        conn.execute("ROLLBACK")
                raise
            return result

        return self._with_retry(attempt)

    # ------------------------------------------------------------------ writes

    def append(self, case_id: str, expected_version: int, events: Sequence[NewEvent]) -> tuple[StoredEvent, ...]:
        """Append *events* after *expected_version*; see :class:`~._store.EventStore`."""
        check_append_args(case_id, expected_version, events)

        def body(conn: sqlite3.Connection) -> tuple[StoredEvent, ...]:
            head = conn.execute(
                "SELECT version, head_hash, first_recorded_at FROM swp_streams WHERE case_id = ?",
                (case_id,),
            ).fetchone()
            actual = 0 if head is None else int(head[0])
            if actual != expected_version:
                raise ConcurrencyConflict(case_id, expected_version, actual)
            prev = _GENESIS if head is None else str(head[1])
            stored: list[StoredEvent] = []
            for offset, event in enumerate(events, start=1):
                # Serialised here, inside the transaction: a bad payload in event k rolls
                # back events 1..k-1 of this append too.
                text = payload_json(event.payload)
                version = expected_version + offset
                recorded = utc_isoformat(event.recorded_at)
                digest = event_hash(
                    case_id=case_id,
                    version=version,
                    event_type=event.event_type,
                    schema_version=event.schema_version,
                    payload_json=text,
                    recorded_at=recorded,
                    prev_hash=prev,
                )
                try:
                    cursor = conn.execute(
                        "INSERT INTO swp_events (case_id, version, event_type, schema_version,"
                        " payload, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            case_id,
                            version,
                            event.event_type,
                            event.schema_version,
                            text,
                            recorded,
                            prev,
                            digest,
                        ),
                    )
                except sqlite3.IntegrityError as exc:
                    if "UNIQUE" not in str(exc):
                        raise
                    # The head row disagrees with the events: never overwrite, report.
                    top = conn.execute("SELECT MAX(version) FROM swp_events WHERE case_id = ?", (case_id,)).fetchone()[
                        0
                    ]
                    raise ConcurrencyConflict(case_id, expected_version, int(top)) from exc
                position = cursor.lastrowid
                assert position is not None
                stored.append(
                    decode_event(
                        case_id=case_id,
                        version=version,
                        position=position,
                        event_type=event.event_type,
                        schema_version=event.schema_version,
                        payload_text=text,
                        recorded_at=recorded,
                        prev_hash=prev,
                        stored_hash=digest,
                    )
                )
                prev = digest
            recorded_first = utc_isoformat(events[0].recorded_at) if head is None else str(head[2])
            conn.execute(
                "INSERT INTO swp_streams (case_id, version, head_hash, first_recorded_at,"
                " last_recorded_at) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (case_id) DO UPDATE SET version = excluded.version,"
                " head_hash = excluded.head_hash, last_recorded_at = excluded.last_recorded_at",
                (
                    case_id,
                    stored[-1].version,
                    prev,
                    recorded_first,
                    utc_isoformat(stored[-1].recorded_at),
                ),
            )
            return tuple(stored)

        return self._transaction(body, write=True)

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Store *snapshot* unless a newer one is already stored for its case.

        Raises CaseNotFound for an unknown case and InvalidSnapshot if the snapshot's
        version or ``event_hash`` does not match a stored event.
        """
        if not isinstance(snapshot, Snapshot):
            raise TypeError(f"expected a Snapshot, got {type(snapshot).__name__}")
        text = payload_json(snapshot.payload)
        digest = snapshot_hash(
            case_id=snapshot.case_id,
            version=snapshot.version,
            state_type=snapshot.state_type,
            payload_json=text,
            event_hash=snapshot.event_hash,
        )

        def body(conn: sqlite3.Connection) -> None:
            head = conn.execute("SELECT version FROM swp_streams WHERE case_id = ?", (snapshot.case_id,)).fetchone()
            if head is None:
                raise CaseNotFound(snapshot.case_id)
            if snapshot.version > int(head[0]):
                raise InvalidSnapshot(
                    f"snapshot of case {snapshot.case_id!r} at version {snapshot.version}, "
                    f"but the case has only {head[0]} events"
                )
            row = conn.execute(
                "SELECT hash FROM swp_events WHERE case_id = ? AND version = ?",
                (snapshot.case_id, snapshot.version),
            ).fetchone()
            if row is None or row[0] != snapshot.event_hash:
                raise InvalidSnapshot(
                    f"snapshot of case {snapshot.case_id!r}: event_hash is not the hash of "
                    f"stored event {snapshot.version}"
                )
            conn.execute(
                "INSERT INTO swp_snapshots (case_id, version, state_type, payload, event_hash,"
                " hash) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET"
                " version = excluded.version, state_type = excluded.state_type,"
                " payload = excluded.payload, event_hash = excluded.event_hash,"
                " hash = excluded.hash WHERE excluded.version >= swp_snapshots.version",
                (
                    snapshot.case_id,
                    snapshot.version,
                    snapshot.state_type,
                    text,
                    snapshot.event_hash,
                    digest,
                ),
            )

        self._transaction(body, write=True)

    # ------------------------------------------------------------------ reads

    @staticmethod
    def _load(conn: sqlite3.Connection, case_id: str, after_version: int) -> tuple[StoredEvent, ...]:
        head = conn.execute("SELECT version, head_hash FROM swp_streams WHERE case_id = ?", (case_id,)).fetchone()
        rows = conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM swp_events WHERE case_id = ? AND version >= ? ORDER BY version",
            (case_id, max(after_version, 1)),
        ).fetchall()
        return check_loaded(
            case_id,
            after_version,
            [_decode(row) for row in rows],
            None if head is None else (int(head[0]), str(head[1])),
        )

    def load(self, case_id: str, *, after_version: int = 0) -> tuple[StoredEvent, ...]:
        """Events after *after_version*, hash-checked and chained; ``()`` for unknown cases."""
        check_case_id(case_id)
        check_count("after_version", after_version)
        return self._transaction(lambda conn: self._load(conn, case_id, after_version))

    def version(self, case_id: str) -> int:
        """Latest version of *case_id* (0 when unknown), from the stream head row."""
        check_case_id(case_id)

        def body(conn: sqlite3.Connection) -> int:
            row = conn.execute("SELECT version FROM swp_streams WHERE case_id = ?", (case_id,)).fetchone()
            return 0 if row is None else int(row[0])

        return self._transaction(body)

    def list_cases(self) -> tuple[CaseSummary, ...]:
        """Every case from the stream heads, by case_id (BINARY collation = code points)."""

        def body(conn: sqlite3.Connection) -> tuple[CaseSummary, ...]:
            rows = conn.execute(
                "SELECT case_id, version, first_recorded_at, last_recorded_at FROM swp_streams ORDER BY case_id"
            ).fetchall()
            return tuple(
                CaseSummary(
                    case_id=row[0],
                    version=int(row[1]),
                    first_recorded_at=_parse_time(row[2]),
                    last_recorded_at=_parse_time(row[3]),
                )
                for row in rows
            )

        return self._transaction(body)

    def stream(self, *, after_position: int = 0, limit: int | None = None) -> Iterator[StoredEvent]:
        """All events after *after_position* in commit order, each hash-checked.

        Read in pages by position (keyset pagination), so a long iteration holds no read
        transaction open (which would stop WAL checkpoints) and sees events committed
        while it runs.
        """
        check_count("after_position", after_position)
        if limit is not None:
            check_count("limit", limit)
        return self._stream(after_position, limit)

    def _stream(self, after_position: int, limit: int | None) -> Iterator[StoredEvent]:
        remaining = limit
        last = after_position
        while remaining is None or remaining > 0:
            page = _PAGE if remaining is None else min(_PAGE, remaining)

            def body(conn: sqlite3.Connection, last: int = last, page: int = page) -> list[_Row]:
                return conn.execute(
                    f"SELECT {_EVENT_COLUMNS} FROM swp_events WHERE position > ? ORDER BY position LIMIT ?",
                    (last, page),
                ).fetchall()

            rows = self._transaction(body)
            for row in rows:
                yield _decode(row)
            if len(rows) < page:
                return
            last = int(rows[-1][2])
            if remaining is not None:
                remaining -= len(rows)

    def load_snapshot(self, case_id: str) -> Snapshot | None:
        """The stored snapshot of *case_id*, verified against the event it names."""
        check_case_id(case_id)
        return self._transaction(lambda conn: self._load_snapshot(conn, case_id))

    @staticmethod
    def _load_snapshot(conn: sqlite3.Connection, case_id: str) -> Snapshot | None:
        row = conn.execute(
            "SELECT version, state_type, payload, event_hash, hash FROM swp_snapshots WHERE case_id = ?",
            (case_id,),
        ).fetchone()
        if row is None:
            return None
        version, state_type, text, named_hash, stored = row
        event_row = conn.execute(
            f"SELECT {_EVENT_COLUMNS} FROM swp_events WHERE case_id = ? AND version = ?",
            (case_id, version),
        ).fetchone()
        return check_snapshot_row(
            case_id=case_id,
            version=int(version),
            state_type=state_type,
            payload_text=text,
            event_hash_=named_hash,
            stored_hash=stored,
            event=None if event_row is None else _decode(event_row),
        )

    def verify(self, case_id: str) -> None:
        """Check the whole chain of *case_id* from genesis, and its snapshot if any."""
        check_case_id(case_id)

        def body(conn: sqlite3.Connection) -> None:
            if not self._load(conn, case_id, 0):
                raise CaseNotFound(case_id)
            self._load_snapshot(conn, case_id)

        self._transaction(body)

    def close(self) -> None:
        """Close the connection (idempotent); committed data is already durable."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)
