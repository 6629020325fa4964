"""PostgreSQL event store (psycopg 3) for applications that write from several machines.

psycopg is imported only when a store is created, so the library core never needs it; a
missing install raises :class:`~._store.BackendNotInstalled` naming the extra to install.

How each guarantee is obtained, and why:

* **Commit order of positions.** A BIGINT identity alone is *not* commit order: two
  concurrent transactions can take positions 7 and 8 and commit 8 first, and a reader that
  saw 8 and remembered it would never see 7. Every append therefore takes one
  transaction-level advisory lock (``pg_advisory_xact_lock``, one key per schema) before it
  reads the stream head; the lock is held until COMMIT, so positions are handed out and
  committed in the same order and ``stream(after_position=...)`` never skips an event. The
  price: appends to one schema are serialised (like SQLite's single writer); reads are not.
* **Optimistic concurrency.** Under that lock the head version is read (READ COMMITTED, so
  the read sees everything committed before the lock was granted) and compared with
  ``expected_version``. ``UNIQUE (case_id, version)`` is the backstop; a unique violation is
  reported as :class:`~._errors.ConcurrencyConflict`, never stored.
* **Exact hashes.** ``jsonb`` re-normalises JSON (key order, numbers, duplicate keys) and
  refuses ``\\u0000``, so a hash could not be recomputed from it. Payloads are stored in a
  ``json`` column, which keeps the canonical text byte for byte and is still queryable with
  ``->``/``->>`` (add expression indexes with a ``::jsonb`` cast where needed).
* **Append-only.** Triggers refuse UPDATE, DELETE and TRUNCATE of events and deleting or
  rewinding a stream head (SQLSTATE 23001 ``restrict_violation``); whoever disables
  triggers is caught by the hash chain.
* **Durability** is the server's: keep ``synchronous_commit = on`` (the default).
"""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from .._errors import CaseNotFound, ConcurrencyConflict
from ._protocol import GENESIS_HASH as _GENESIS
from ._protocol import (
    BackendNotInstalled,
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
    from collections.abc import Iterator, Sequence
    from types import ModuleType

    import psycopg

__all__ = ["PostgresEventStore", "SCHEMA_VERSION"]

SCHEMA_VERSION: Final = 1
"""Kept in ``<schema>.swp_meta``; a newer schema is refused rather than misread."""

_PAGE: Final = 500
_INSTALL_HINT: Final = "pip install 'socialwork-procurement[postgres]'"


def _import_psycopg() -> ModuleType:
    try:
        import psycopg
    except ImportError as exc:
        raise BackendNotInstalled(
            f"PostgresEventStore needs psycopg 3, which is not installed: {_INSTALL_HINT}"
        ) from exc
    return psycopg


def _quote_ident(name: str) -> str:
    """SQL identifier quoting (double quotes doubled), as ``quote_ident`` does."""
    return '"' + name.replace('"', '""') + '"'


def _lock_key(purpose: str, schema: str) -> int:
    """A stable signed 64-bit advisory-lock key per schema, so test schemas don't contend."""
    digest = hashlib.sha256(f"socialwork_procurement:{purpose}:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _ddl(s: str) -> tuple[str, ...]:
    return (
        f"""CREATE TABLE {s}.swp_events (
            position        bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            case_id         text    NOT NULL,
            version         integer NOT NULL CHECK (version >= 1),
            event_type      text    NOT NULL,
            schema_version  integer NOT NULL,
            payload         json    NOT NULL,
            recorded_at     timestamptz NOT NULL,
            prev_hash       text    NOT NULL,
            hash            text    NOT NULL,
            UNIQUE (case_id, version)
        )""",
        f"""CREATE TABLE {s}.swp_streams (
            case_id            text    PRIMARY KEY,
            version            integer NOT NULL CHECK (version >= 1),
            head_hash          text    NOT NULL,
            first_recorded_at  timestamptz NOT NULL,
            last_recorded_at   timestamptz NOT NULL
        )""",
        f"""CREATE TABLE {s}.swp_snapshots (
            case_id     text    PRIMARY KEY,
            version     integer NOT NULL,
            state_type  text    NOT NULL,
            payload     json    NOT NULL,
            event_hash  text    NOT NULL,
            hash        text    NOT NULL
        )""",
        f"""CREATE FUNCTION {s}.swp_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END $f$""",
        f"""CREATE FUNCTION {s}.swp_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            IF NEW.case_id IS DISTINCT FROM OLD.case_id OR NEW.version <= OLD.version THEN
                RAISE EXCEPTION 'swp_streams is append-only: a head may only move forward'
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END $f$""",
        f"""CREATE TRIGGER swp_events_append_only BEFORE UPDATE OR DELETE ON {s}.swp_events
            FOR EACH ROW EXECUTE FUNCTION {s}.swp_refuse_change()""",
        f"""CREATE TRIGGER swp_events_no_truncate BEFORE TRUNCATE ON {s}.swp_events
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.swp_refuse_change()""",
        f"""CREATE TRIGGER swp_streams_no_delete BEFORE DELETE ON {s}.swp_streams
            FOR EACH ROW EXECUTE FUNCTION {s}.swp_refuse_change()""",
        f"""CREATE TRIGGER swp_streams_no_truncate BEFORE TRUNCATE ON {s}.swp_streams
            FOR EACH STATEMENT EXECUTE FUNCTION {s}.swp_refuse_change()""",
        f"""CREATE TRIGGER swp_streams_forward_only BEFORE UPDATE ON {s}.swp_streams
            FOR EACH ROW EXECUTE FUNCTION {s}.swp_head_forward_only()""",
        f"INSERT INTO {s}.swp_meta (key, value) VALUES ('schema_version', '{SCHEMA_VERSION}')",
    )


_Row = tuple[str, int, int, str, int, str, datetime, str, str]


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


class PostgresEventStore(StoreContextMixin):
    """Event store in the tables ``swp_events``/``swp_streams``/``swp_snapshots`` of *schema*.

    ``conninfo`` is a libpq DSN (the store opens and owns an autocommit connection) or an
    open ``psycopg.Connection`` with ``autocommit=True`` (borrowed: :meth:`close` leaves it
    open). The schema and tables are created if missing, under an advisory lock so several
    processes may start at once. ``lock_timeout_ms`` bounds how long an append waits for
    other appends before :class:`~._store.StoreBusy`.

    One store object holds one connection; calls are serialised by a lock, so threads may
    share it, but give each process its own store.
    """

    def __init__(
        self,
        conninfo: str | psycopg.Connection[Any],
        *,
        schema: str = "public",
        lock_timeout_ms: int = 10_000,
    ) -> None:
        self._pg = _import_psycopg()
        if not isinstance(schema, str) or not schema or "\x00" in schema:
            raise ValueError("schema must be a non-empty string without NUL characters")
        if len(schema.encode("utf-8")) > 63:
            raise ValueError("schema names are limited to 63 bytes in PostgreSQL")
        if check_count("lock_timeout_ms", lock_timeout_ms) == 0:
            raise ValueError("lock_timeout_ms must be > 0 (0 would wait forever)")
        self.schema = schema
        self._s = _quote_ident(schema)
        self._lock_timeout = f"{lock_timeout_ms}ms"
        self._append_settings = (
            "SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE;"
            f" SET LOCAL lock_timeout = '{lock_timeout_ms}ms'"  # an int we checked: no injection
        )
        self._append_key = _lock_key("append", schema)
        self._lock = threading.RLock()
        if isinstance(conninfo, str):
            self._owned = True
            try:
                self._conn: psycopg.Connection[Any] | None = self._pg.connect(conninfo, autocommit=True)
            except self._pg.OperationalError as exc:
                raise StoreUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
        elif isinstance(conninfo, self._pg.Connection):
            if not conninfo.autocommit:
                raise ValueError(
                    "pass a connection with autocommit=True: the store commits its own "
                    "transactions, and inside yours its COMMIT would only be a savepoint"
                )
            self._owned = False
            self._conn = conninfo
        else:
            raise TypeError("conninfo must be a DSN string or a psycopg.Connection")
        try:
            self._setup()
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        state = "closed" if self._conn is None else "open"
        return f"PostgresEventStore(schema={self.schema!r}, {state})"

    # ------------------------------------------------------------------ plumbing

    def _connection(self) -> psycopg.Connection[Any]:
        conn = self._conn
        if conn is None:
            raise StoreUnavailable(f"{self!r} is closed")
        if conn.info.transaction_status != self._pg.pq.TransactionStatus.IDLE:
            raise StoreUnavailable(
                "the connection is inside a transaction the store does not own; the store's "
                "COMMIT would not be durable there"
            )
        return conn

    def _setup(self) -> None:
        s = self._s
        with self._lock:
            conn = self._connection()
            encoding = conn.execute("SHOW server_encoding").fetchone()
            if encoding is None or str(encoding[0]).upper() not in {"UTF8", "UTF-8"}:
                raise StoreUnavailable(
                    f"database encoding is {encoding and encoding[0]}; the store needs UTF8 "
                    "to keep Chinese text and hashes exact"
                )
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (_lock_key("ddl", self.schema),))
                exists = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self.schema,)).fetchone()
                if exists is None:
                    conn.execute(f"CREATE SCHEMA {s}")
                conn.execute(f"CREATE TABLE IF NOT EXISTS {s}.swp_meta (key text PRIMARY KEY, value text NOT NULL)")
                row = conn.execute(f"SELECT value FROM {s}.swp_meta WHERE key = 'schema_version'").fetchone()
                current = 0 if row is None else int(row[0])
                if current > SCHEMA_VERSION:
                    raise StoreUnavailable(
                        f"schema {self.schema!r} has store schema version {current}, newer than "
                        f"this library supports ({SCHEMA_VERSION}); upgrade socialwork-procurement"
                    )
                if current == 0:
                    for ddl in _ddl(s):
                        conn.execute(ddl)

    def _read_only(self, conn: psycopg.Connection[Any]) -> None:
        """First statement of a multi-statement read: one snapshot for all its SELECTs."""
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")

    # ------------------------------------------------------------------ writes

    def append(self, case_id: str, expected_version: int, events: Sequence[NewEvent]) -> tuple[StoredEvent, ...]:
        """Append *events* after *expected_version*; see :class:`~._store.EventStore`."""
        check_append_args(case_id, expected_version, events)
        s = self._s
        errors = self._pg.errors
        with self._lock:
            conn = self._connection()
            try:
                with conn.transaction():
                    # READ COMMITTED: each statement sees what was committed before it began,
                    # so the head read *after* the lock is granted is current.
                    conn.execute(self._append_settings)  # two statements, one round trip
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._append_key,))
                    head = conn.execute(
                        f"SELECT version, head_hash FROM {s}.swp_streams WHERE case_id = %s",
                        (case_id,),
                    ).fetchone()
                    actual = 0 if head is None else int(head[0])
                    if actual != expected_version:
                        raise ConcurrencyConflict(case_id, expected_version, actual)
                    prev = _GENESIS if head is None else str(head[1])
                    computed: list[tuple[str, int, str, int, str, str, str, str]] = []

                    def rows() -> Iterator[tuple[str, int, str, int, str, str, str, str]]:
                        # Lazy: a payload that fails to serialise aborts the transaction
                        # after earlier events of this append were already sent.
                        nonlocal prev
                        for offset, event in enumerate(events, start=1):
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
                            row = (
                                case_id,
                                version,
                                event.event_type,
                                event.schema_version,
                                text,
                                recorded,
                                prev,
                                digest,
                            )
                            computed.append(row)
                            prev = digest
                            yield row

                    with conn.cursor() as cur:
                        cur.executemany(
                            f"INSERT INTO {s}.swp_events (case_id, version, event_type,"
                            " schema_version, payload, recorded_at, prev_hash, hash)"
                            " VALUES (%s, %s, %s, %s, %s::json, %s::timestamptz, %s, %s)"
                            " RETURNING position",
                            rows(),
                            returning=True,
                        )
                        positions: list[int] = []
                        while True:
                            fetched = cur.fetchone()
                            assert fetched is not None
                            positions.append(int(fetched[0]))
                            if not cur.nextset():
                                break
                    first_recorded = utc_isoformat(events[0].recorded_at)
                    conn.execute(
                        f"INSERT INTO {s}.swp_streams AS h (case_id, version, head_hash,"
                        " first_recorded_at, last_recorded_at)"
                        " VALUES (%s, %s, %s, %s::timestamptz, %s::timestamptz)"
                        " ON CONFLICT (case_id) DO UPDATE SET version = excluded.version,"
                        " head_hash = excluded.head_hash,"
                        " last_recorded_at = excluded.last_recorded_at",
                        (case_id, computed[-1][1], prev, first_recorded, computed[-1][5]),
                    )
            except errors.UniqueViolation as exc:
                actual = self._version(conn, case_id)
                raise ConcurrencyConflict(case_id, expected_version, actual) from exc
            except errors.LockNotAvailable as exc:
                raise StoreBusy(
                    f"schema {self.schema!r}: other appends held the lock for longer than "
                    f"lock_timeout ({self._lock_timeout})"
                ) from exc
        return tuple(
            decode_event(
                case_id=row[0],
                version=row[1],
                position=position,
                event_type=row[2],
                schema_version=row[3],
                payload_text=row[4],
                recorded_at=row[5],
                prev_hash=row[6],
                stored_hash=row[7],
            )
            for row, position in zip(computed, positions, strict=True)
        )

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
        s = self._s
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                head = conn.execute(
                    f"SELECT version FROM {s}.swp_streams WHERE case_id = %s",
                    (snapshot.case_id,),
                ).fetchone()
                if head is None:
                    raise CaseNotFound(snapshot.case_id)
                if snapshot.version > int(head[0]):
                    raise InvalidSnapshot(
                        f"snapshot of case {snapshot.case_id!r} at version {snapshot.version}, "
                        f"but the case has only {head[0]} events"
                    )
                row = conn.execute(
                    f"SELECT hash FROM {s}.swp_events WHERE case_id = %s AND version = %s",
                    (snapshot.case_id, snapshot.version),
                ).fetchone()
                if row is None or row[0] != snapshot.event_hash:
                    raise InvalidSnapshot(
                        f"snapshot of case {snapshot.case_id!r}: event_hash is not the hash of "
                        f"stored event {snapshot.version}"
                    )
                conn.execute(
                    f"INSERT INTO {s}.swp_snapshots AS old (case_id, version, state_type,"
                    " payload, event_hash, hash) VALUES (%s, %s, %s, %s::json, %s, %s)"
                    " ON CONFLICT (case_id) DO UPDATE SET version = excluded.version,"
                    " state_type = excluded.state_type, payload = excluded.payload,"
                    " event_hash = excluded.event_hash, hash = excluded.hash"
                    " WHERE excluded.version >= old.version",
                    (
                        snapshot.case_id,
                        snapshot.version,
                        snapshot.state_type,
                        text,
                        snapshot.event_hash,
                        digest,
                    ),
                )

    # ------------------------------------------------------------------ reads

    def _select_events(self, tail: str) -> str:
        return (
            "SELECT case_id, version, position, event_type, schema_version, payload::text,"
            f" recorded_at, prev_hash, hash FROM {self._s}.swp_events {tail}"
        )

    def _load(self, conn: psycopg.Connection[Any], case_id: str, after_version: int) -> tuple[StoredEvent, ...]:
        head = conn.execute(
            f"SELECT version, head_hash FROM {self._s}.swp_streams WHERE case_id = %s",
            (case_id,),
        ).fetchone()
        rows = conn.execute(
            self._select_events("WHERE case_id = %s AND version >= %s ORDER BY version"),
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
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                self._read_only(conn)
                return self._load(conn, case_id, after_version)

    def _version(self, conn: psycopg.Connection[Any], case_id: str) -> int:
        row = conn.execute(f"SELECT version FROM {self._s}.swp_streams WHERE case_id = %s", (case_id,)).fetchone()
        return 0 if row is None else int(row[0])

    def version(self, case_id: str) -> int:
        """Latest version of *case_id* (0 when unknown), from the stream head row."""
        check_case_id(case_id)
        with self._lock:
            return self._version(self._connection(), case_id)

    def list_cases(self) -> tuple[CaseSummary, ...]:
        """Every case, ordered by case_id in code-point order (``COLLATE "C"``), which is
        the order SQLite and Python's ``sorted`` give too."""
        with self._lock:
            rows = (
                self._connection()
                .execute(
                    "SELECT case_id, version, first_recorded_at, last_recorded_at"
                    f' FROM {self._s}.swp_streams ORDER BY case_id COLLATE "C"'
                )
                .fetchall()
            )
        return tuple(
            CaseSummary(
                case_id=row[0],
                version=int(row[1]),
                first_recorded_at=_utc(row[2]),
                last_recorded_at=_utc(row[3]),
            )
            for row in rows
        )

    def stream(self, *, after_position: int = 0, limit: int | None = None) -> Iterator[StoredEvent]:
        """All events after *after_position* in commit order, each hash-checked (keyset
        pages, so no transaction stays open while the caller iterates)."""
        check_count("after_position", after_position)
        if limit is not None:
            check_count("limit", limit)
        return self._stream(after_position, limit)

    def _stream(self, after_position: int, limit: int | None) -> Iterator[StoredEvent]:
        remaining, last = limit, after_position
        query = self._select_events("WHERE position > %s ORDER BY position LIMIT %s")
        while remaining is None or remaining > 0:
            page = _PAGE if remaining is None else min(_PAGE, remaining)
            with self._lock:
                rows = self._connection().execute(query, (last, page)).fetchall()
            for row in rows:
                yield _decode(row)
            if len(rows) < page:
                return
            last = int(rows[-1][2])
            if remaining is not None:
                remaining -= len(rows)

    def _load_snapshot(self, conn: psycopg.Connection[Any], case_id: str) -> Snapshot | None:
        row = conn.execute(
            "SELECT version, state_type, payload::text, event_hash, hash"
            f" FROM {self._s}.swp_snapshots WHERE case_id = %s",
            (case_id,),
        ).fetchone()
        if row is None:
            return None
        version, state_type, text, named_hash, stored = row
        event_row = conn.execute(
            self._select_events("WHERE case_id = %s AND version = %s"), (case_id, version)
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

    def load_snapshot(self, case_id: str) -> Snapshot | None:
        """The stored snapshot of *case_id*, verified against the event it names."""
        check_case_id(case_id)
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                self._read_only(conn)
                return self._load_snapshot(conn, case_id)

    def verify(self, case_id: str) -> None:
        """Check the whole chain of *case_id* from genesis, and its snapshot if any."""
        check_case_id(case_id)
        with self._lock:
            conn = self._connection()
            with conn.transaction():
                self._read_only(conn)
                if not self._load(conn, case_id, 0):
                    raise CaseNotFound(case_id)
                self._load_snapshot(conn, case_id)

    def close(self) -> None:
        """Close the owned connection (idempotent); a borrowed connection stays open."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None and self._owned:
                conn.close()


def _utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
