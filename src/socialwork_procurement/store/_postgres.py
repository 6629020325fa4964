"""PostgreSQL event store (psycopg 3) for applications that write from several machines.

psycopg is imported only when a store is created, so the library core never needs it; a
missing install raises :class:`~._protocol.BackendNotInstalled` naming the extra to install.

How each guarantee is obtained, and why:

* **Optimistic concurrency, one case at a time.** An append first takes a transaction-level
  advisory lock on its *case* (``pg_advisory_xact_lock`` on a key derived from schema and
  case id), then reads the stream head (READ COMMITTED: a statement after the lock sees
  everything committed before it was granted) and compares it with ``expected_version``.
  Appends to different cases do this at the same time. ``UNIQUE (case_id, version)`` is
  the backstop; a unique violation is reported as :class:`~.._errors.ConcurrencyConflict`,
  never stored.
* **Commit order of positions.** A BIGINT identity alone is *not* commit order: two
  concurrent transactions can take positions 7 and 8 and commit 8 first, and a reader that
  saw 8 and remembered it would never see 7. So an append whose head is current then takes
  the schema's *position lock* (an advisory lock, one key per schema), and only under it
  takes its positions (``nextval``, before hashing: the hash covers the position) and
  writes and commits; the lock is held until COMMIT, so positions are handed out and
  committed in the same order and ``stream(after_position=...)`` never skips an event, with
  nothing asked of readers (older libraries' and hot standbys' included). The price: from
  taking positions to COMMIT (including the commit's WAL flush) appends to one schema run
  one at a time, like SQLite's single writer; the version check before it does not, a
  stale append never takes the position lock, and reads are not blocked.
* **Two round trips an append.** BEGIN, the settings, both locks and the reads go to the
  server as one query string, the rows, the head and COMMIT as a second; the statements
  are prepared once per session (see :meth:`_Postgres._append`).
* **Exact hashes.** ``jsonb`` re-normalises JSON (key order, numbers, duplicate keys) and
  refuses ``\\u0000``, so a hash could not be recomputed from it. Payloads are stored in a
  ``json`` column, which keeps the canonical text byte for byte and is still queryable with
  ``->``/``->>`` (add expression indexes with a ``::jsonb`` cast where needed).
* **Append-only.** Triggers refuse UPDATE, DELETE and TRUNCATE of events and deleting or
  rewinding a stream head (SQLSTATE 23001 ``restrict_violation``). A store that opens
  compares them (and the functions they run) with their definitions and recreates any that
  was dropped, disabled or altered; what was changed meanwhile, or under
  ``session_replication_role = replica``, the hash chain catches.
* **Faults are named** by SQLSTATE: disk full, read-only transaction, missing privilege,
  lost connection, corruption become :class:`~.._errors.StoreError`.
* **Durability** is the server's: keep ``synchronous_commit = on`` (the default).
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import re
import secrets
from typing import TYPE_CHECKING, Any, Final, TypeVar

from ._core import SCHEMA_VERSION, AppendStart, Fault, Flavour, Mode, StoreEngine, check_count
from ._protocol import BackendNotInstalled, StoreUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import ModuleType

    import psycopg

    from ._core import Connection

__all__ = ["SCHEMA_VERSION", "PostgresEventStore"]

_T = TypeVar("_T")

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


def _tables(s: str) -> tuple[str, ...]:
    """Layout 1 (the engine upgrades it): tables and the schema-version row."""
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
        f"INSERT INTO {s}.swp_meta (key, value) VALUES ('schema_version', '1')",
    )


FUNCTIONS: Final = {
    "swp_refuse_change": """
        BEGIN
            RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
                USING ERRCODE = 'restrict_violation';
        END """,
    "swp_head_forward_only": """
        BEGIN
            IF NEW.case_id IS DISTINCT FROM OLD.case_id OR NEW.version <= OLD.version THEN
                RAISE EXCEPTION 'swp_streams is append-only: a head may only move forward'
                    USING ERRCODE = 'restrict_violation';
            END IF;
            RETURN NEW;
        END """,
}
"""PL/pgSQL bodies of the trigger functions, compared with ``pg_proc.prosrc`` on open."""

# tgtype bits: 1 row-level, 2 BEFORE, 8 DELETE, 16 UPDATE, 32 TRUNCATE.
TRIGGERS: Final = {
    "swp_events_append_only": ("swp_events", "BEFORE UPDATE OR DELETE", "ROW", "swp_refuse_change", 27),
    "swp_events_no_truncate": ("swp_events", "BEFORE TRUNCATE", "STATEMENT", "swp_refuse_change", 34),
    "swp_streams_no_delete": ("swp_streams", "BEFORE DELETE", "ROW", "swp_refuse_change", 11),
    "swp_streams_no_truncate": ("swp_streams", "BEFORE TRUNCATE", "STATEMENT", "swp_refuse_change", 34),
    "swp_streams_forward_only": ("swp_streams", "BEFORE UPDATE", "ROW", "swp_head_forward_only", 19),
}
"""Trigger name: (table, timing and events, level, function, ``pg_trigger.tgtype``)."""


def _function_ddl(s: str, name: str) -> str:
    return f"CREATE OR REPLACE FUNCTION {s}.{name}() RETURNS trigger LANGUAGE plpgsql AS $f${FUNCTIONS[name]}$f$"


def _trigger_ddl(s: str, name: str) -> str:
    table, when, level, function, _ = TRIGGERS[name]
    return f"CREATE TRIGGER {name} {when} ON {s}.{table} FOR EACH {level} EXECUTE FUNCTION {s}.{function}()"


# SQLSTATE (or its class, the first two characters) and what it means to the engine.
_SQLSTATES: Final = {
    "55P03": Fault.BUSY,  # lock_not_available: lock_timeout expired
    "53100": Fault.FULL,  # disk_full
    "25006": Fault.READ_ONLY,  # read_only_sql_transaction (also a hot standby)
    "42501": Fault.PERMISSION,  # insufficient_privilege
    "XX001": Fault.CORRUPT,  # data_corrupted
    "XX002": Fault.CORRUPT,  # index_corrupted
    "58030": Fault.IO,  # io_error
    "08": Fault.CONNECTION,  # connection_exception class
    "57P01": Fault.CONNECTION,  # admin_shutdown
    "57P02": Fault.CONNECTION,  # crash_shutdown
    "57P03": Fault.CONNECTION,  # cannot_connect_now
}
_VERSION_UNIQUE: Final = "swp_events_case_id_version_key"
_PLACEHOLDER: Final = re.compile("%s")
"""A parameter marker of the store's statements (they contain no other ``%``)."""


class _Postgres:
    """The PostgreSQL dialect: autocommit connection, explicit transactions per :class:`Mode`.

    APPEND takes a case lock before the head is read, and the schema's position lock before
    positions are taken, so positions are handed out in commit order (see the module
    docstring); reads of several statements run in one REPEATABLE READ, READ ONLY snapshot.
    DDL takes the position lock too, so a key is adopted while no append holds positions.
    """

    def __init__(self, pg: ModuleType, conn: psycopg.Connection[Any], owned: bool, schema: str, lock_ms: int) -> None:
        self._pg = pg
        self.conn = conn
        self._owned = owned
        self._schema = schema
        self._s = _quote_ident(schema)
        self.where = f"schema {schema!r}"
        self.flavour = Flavour(
            tables=f"{self._s}.",
            placeholder="%s",
            json_param="::json",
            time_param="::timestamptz",
            text_column="::text",
            code_point_order=' COLLATE "C"',
            explicit_position=" OVERRIDING SYSTEM VALUE",
        )
        self.errors: tuple[type[Exception], ...] = (pg.Error,)
        self._lock_timeout = f"{lock_ms}ms"
        # Not "READ WRITE": a session an administrator made read-only stays read-only.
        # READ COMMITTED: each statement sees what was committed before it began, so what is
        # read *after* a lock is granted is current. lock_timeout: an int we checked, no injection.
        # idle_in_transaction_session_timeout: a client that dies between its two strings must
        # not hold the schema's position lock until TCP keepalive notices (hours); an append
        # it cuts short wrote nothing.
        self._begin_append = (
            f"BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL lock_timeout = '{lock_ms}ms';"
            " SET LOCAL idle_in_transaction_session_timeout = '60s'"
        )
        self._append_key = _lock_key("append", schema)
        self._ddl_key = _lock_key("ddl", schema)
        s = self._s
        # Taken only when the head is at the expected version: a conflicting append never
        # waits for (or holds) the schema's position lock.
        self._position_gate = (
            "SELECT pg_advisory_xact_lock(%s::bigint) FROM (VALUES (1)) AS one (x)"
            f" LEFT JOIN {s}.swp_streams AS h ON h.case_id = %s::text WHERE COALESCE(h.version, 0) = %s::bigint"
        )
        # A statement of its own, after the gate, so that it reads what was committed up to
        # the moment the position lock was granted (READ COMMITTED: a snapshot per statement).
        # Positions are taken only for an append that will go on (head current, key record
        # as this store opened it), so a refused append leaves no gap, and only under the
        # position lock: the gate holds it already (taking it again returns at once), but
        # should the head have moved since the gate looked (only a writer that takes no case
        # lock could do that), it is taken here, before nextval.
        self._append_start = (
            "SELECT k.value, h.version, h.head_hash,"
            " CASE WHEN COALESCE(h.version, 0) = %s::bigint AND k.value IS NOT DISTINCT FROM %s::text"
            " THEN (SELECT ARRAY(SELECT nextval(pg_get_serial_sequence(%s::text, 'position'))"
            " FROM generate_series(1, %s::integer)) FROM pg_advisory_xact_lock(%s::bigint)) END"
            f" FROM (VALUES (1)) AS one (x) LEFT JOIN {s}.swp_streams AS h ON h.case_id = %s::text"
            f" LEFT JOIN {s}.swp_meta AS k ON k.key = 'key'"
        )
        self._events_table = f"{s}.swp_events"
        self._pending: list[str] = []
        """What :meth:`write_append` composed, sent with COMMIT by :meth:`_append`."""
        # Server-side prepared statements of this store on its session (SQL text: name), so
        # the server plans an append's statements once, not on every append.
        self._token = secrets.token_hex(4)
        self._prepared: dict[str, str] = {}
        self._preparing: dict[str, str] = {}
        self._serial = itertools.count()
        self._client: psycopg.ClientCursor[Any] = pg.ClientCursor(conn)
        """Binds values into query text and runs the appends' query strings (one, reused)."""

    def busy_detail(self) -> str:
        return f"other appends held the lock for longer than lock_timeout ({self._lock_timeout})"

    def classify(self, exc: Exception) -> Fault | None:
        sqlstate = getattr(exc, "sqlstate", None)
        if sqlstate == "23505":
            diag = getattr(exc, "diag", None)
            return Fault.UNIQUE if getattr(diag, "constraint_name", None) == _VERSION_UNIQUE else None
        if sqlstate is None:  # raised by the client library: the connection failed or is gone
            return Fault.CONNECTION if isinstance(exc, self._pg.OperationalError) else None
        return _SQLSTATES.get(sqlstate) or _SQLSTATES.get(sqlstate[:2])

    def _idle(self) -> psycopg.Connection[Any]:
        conn = self.conn
        if conn.closed or conn.broken:
            raise self._pg.OperationalError("the connection is closed")
        if conn.info.transaction_status != self._pg.pq.TransactionStatus.IDLE:
            raise StoreUnavailable(
                "the connection is inside a transaction the store does not own; the store's "
                "COMMIT would not be durable there"
            )
        return conn

    def open(self) -> None:
        encoding = self._idle().execute("SHOW server_encoding").fetchone()
        if encoding is None or str(encoding[0]).upper() not in {"UTF8", "UTF-8"}:
            raise StoreUnavailable(
                f"database encoding is {encoding and encoding[0]}; the store needs UTF8 "
                "to keep Chinese text and hashes exact"
            )

    def run(self, mode: Mode, body: Callable[[Connection], _T]) -> _T:
        conn = self._idle()
        if mode is Mode.READ:  # one statement: autocommit is already atomic
            return body(conn)
        if mode is Mode.APPEND:
            return self._append(conn, body)
        with conn.transaction():
            if mode is Mode.SNAPSHOT:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            elif mode is Mode.DDL:
                # Pinned, whatever the server's or the connection's default: the key record
                # below must see every append that committed while this waited for the locks.
                conn.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._ddl_key,))
                # And no append in flight: a key adopted now starts past every position
                # handed out, and appends that wait see the key record when they go on.
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (self._append_key,))
            return body(conn)

    def _append(self, conn: psycopg.Connection[Any], body: Callable[[Connection], _T]) -> _T:
        """An APPEND transaction in two round trips.

        :meth:`begin_append` sends BEGIN, the settings, the locks and the reads as one
        query string and reads the answer of the last; :meth:`write_append` only composes
        the INSERT and the head's upsert, which go out here with COMMIT as a second string.
        The server runs the statements of a string one after the other, each with its own
        snapshot under READ COMMITTED, exactly as if they were sent one by one; it stops at
        the first error, leaving the transaction aborted, which is then rolled back.

        Why strings and not psycopg's pipeline mode: the pipeline costs the client about as
        much CPU per statement as a round trip (measured with ``benchmarks/bench_store.py``),
        which was most of an append's cost. The values are bound into the strings by
        psycopg's client-side binding (:meth:`psycopg.ClientCursor.mogrify`, libpq's
        escaping); the statements are server-side prepared (``PREPARE`` once per session,
        then ``EXECUTE``), so the server does not plan them again on every append. If the
        session lost them (``DEALLOCATE ALL``, ``DISCARD ALL``), they are prepared again and
        the append is run once more from the start.
        """
        for attempt in (1, 2):
            self._pending = []
            try:
                result = body(conn)
                self._pending.append("COMMIT")
                self._client.execute("; ".join(self._pending))
                self._prepared.update(self._preparing)
                self._preparing = {}
                return result
            except BaseException as exc:
                lost = isinstance(exc, self._pg.errors.InvalidSqlStatementName)
                self._abandon(conn, resync=bool(self._preparing), lost=lost)
                if not lost or attempt == 2:
                    raise
            finally:
                self._pending = []
        raise AssertionError("unreachable")  # pragma: no cover

    def _abandon(self, conn: psycopg.Connection[Any], *, resync: bool, lost: bool = False) -> None:
        """End an append that did not commit, unless the connection is gone; with *resync*,
        learn which of our statements the session still has prepared (``PREPARE`` is not
        undone by a rollback).

        Still in its transaction (refused: a conflict, a changed key record), it has written
        nothing (the rows go out only with COMMIT), so it is ended with COMMIT, which
        releases its locks as a rollback would: psycopg answers every ROLLBACK on a session
        with ``DEALLOCATE ALL``, which would throw away the statements prepared here, and
        conflicts are common. An aborted transaction (a statement failed) is rolled back.
        """
        known, self._preparing = {**self._prepared, **self._preparing}, {}
        if lost:
            # The session lost our statements. What a query of pg_prepared_statements says
            # need not hold for the next transaction (a pooler may hand it another server
            # session), so nothing is taken as prepared: the retry PREPAREs under fresh names
            # (never reused) inside its own strings. What the old session still holds goes
            # with it.
            self._prepared = {}
            known = {}
        if conn.closed or conn.broken:
            return
        status, states = conn.info.transaction_status, self._pg.pq.TransactionStatus
        with contextlib.suppress(self._pg.Error):
            if status == states.INTRANS:
                conn.execute("COMMIT")
            elif status != states.IDLE:
                conn.execute("ROLLBACK")
            if resync and not lost:
                rows = conn.execute(
                    "SELECT name FROM pg_prepared_statements WHERE name LIKE %s", (f"swp_{self._token}_%",)
                )
                names = {row[0] for row in rows}
                self._prepared = {sql: name for sql, name in known.items() if name in names}

    def _execute(self, cur: psycopg.ClientCursor[Any], sql: str, params: Sequence[Any]) -> str:
        """``EXECUTE`` of *sql* (``%s`` markers) with *params* bound, as query text; preceded by
        its ``PREPARE`` the first time (the statement is known prepared once the string ran)."""
        name = self._prepared.get(sql) or self._preparing.get(sql)
        prepare = ""
        if name is None:
            name = self._preparing[sql] = f"swp_{self._token}_{next(self._serial)}"  # never reused
            numbered = iter(range(1, sql.count("%s") + 1))
            prepare = f"PREPARE {name} AS {_PLACEHOLDER.sub(lambda _: f'${next(numbered)}', sql)}; "
        markers = ", ".join(["%s"] * len(params))
        return prepare + str(cur.mogrify(f"EXECUTE {name}({markers})", params))

    def schema_version(self, conn: Connection) -> int:
        # A plain catalog query, not to_regclass(): its name lookup can miss a table another
        # session committed while we waited for the DDL lock (stale catalog cache).
        table = conn.execute(
            "SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = %s AND c.relname = 'swp_meta'",
            (self._schema,),
        ).fetchone()
        if table is None:
            return 0
        row = conn.execute(f"SELECT value FROM {self._s}.swp_meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            return 0
        if not str(row[0]).isdigit():
            raise StoreUnavailable(f"{self.where}: the store's schema version record {row[0]!r} is malformed")
        return int(row[0])

    def set_schema_version(self, conn: Connection, version: int) -> None:
        conn.execute(f"UPDATE {self._s}.swp_meta SET value = %s WHERE key = 'schema_version'", (str(version),))

    def create_schema(self, conn: Connection) -> None:
        s = self._s
        if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (self._schema,)).fetchone() is None:
            conn.execute(f"CREATE SCHEMA {s}")
        conn.execute(f"CREATE TABLE IF NOT EXISTS {s}.swp_meta (key text PRIMARY KEY, value text NOT NULL)")
        for ddl in _tables(s):
            conn.execute(ddl)
        self.restore_triggers(conn, list(TRIGGERS))

    def broken_triggers(self, conn: Connection) -> list[str]:
        rows = conn.execute(
            "SELECT t.tgname, c.relname, t.tgtype, t.tgenabled IN ('O', 'A') AND t.tgqual IS NULL,"
            " pn.nspname = n.nspname, p.proname, p.prosrc"
            " FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
            " JOIN pg_namespace n ON n.oid = c.relnamespace"
            " JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace"
            " WHERE n.nspname = %s AND NOT t.tgisinternal",
            (self._schema,),
        ).fetchall()
        found = {row[0]: tuple(row[1:]) for row in rows}
        return [
            name
            for name, (table, _, _, function, tgtype) in TRIGGERS.items()
            if found.get(name) != (table, tgtype, True, True, function, FUNCTIONS[function])
        ]

    def restore_triggers(self, conn: Connection, names: Sequence[str]) -> None:
        s = self._s
        for function in FUNCTIONS:
            conn.execute(_function_ddl(s, function))
        for name in names:
            conn.execute(f"DROP TRIGGER IF EXISTS {name} ON {s}.{TRIGGERS[name][0]}")
            conn.execute(_trigger_ddl(s, name))

    def begin_append(
        self, conn: Connection, case_id: str, expected_version: int, count: int, key_record: str | None
    ) -> AppendStart:
        """BEGIN; the case's lock; (if its head is current) the schema's position lock; the
        key record, the head and the positions: one query string, one round trip.

        The case lock (a key derived from schema and case id) makes the version check
        exclusive per case, so appends to different cases check theirs at the same time.
        Positions must still commit in position order, or a reader that saw position 8
        could miss 7 committed after it; so from taking positions to COMMIT an append holds
        the schema's position lock, and only that part of appends runs one at a time.
        """
        cur = self._client
        case_key = _lock_key("case", f"{self._schema}\x00{case_id}")
        case_lock = f"SELECT pg_advisory_xact_lock({case_key})"  # an int: nothing to escape
        gate = self._execute(cur, self._position_gate, (self._append_key, case_id, expected_version))
        start = self._execute(
            cur,
            self._append_start,
            (expected_version, key_record, self._events_table, count, self._append_key, case_id),
        )
        cur.execute(f"{self._begin_append}; {case_lock}; {gate}; {start}")
        while cur.nextset():  # on to the last statement's result: the start row
            pass
        row = cur.fetchone()
        assert row is not None, "the start query returns one row"
        key, version, head_hash, positions = row
        return AppendStart(key, version, head_hash, None if positions is None else sorted(positions))

    def write_append(
        self, conn: Connection, insert_sql: str, rows: Sequence[tuple[Any, ...]], head_sql: str, head: tuple[Any, ...]
    ) -> None:
        cur = self._client
        if len(rows) == 1:
            self._pending.append(self._execute(cur, insert_sql, rows[0]))
        else:  # one INSERT of all rows, each bound as the one-row statement binds it
            # The last " VALUES ": a schema's quoted name may hold the words too.
            prefix, _sep, values = insert_sql.rpartition(" VALUES ")
            self._pending.append(f"{prefix} VALUES " + ", ".join(str(cur.mogrify(values, row)) for row in rows))
        self._pending.append(self._execute(cur, head_sql, head))

    def close(self) -> None:
        if self._owned:
            self.conn.close()
            return
        # A borrowed session keeps going: take back the statements this store prepared on it.
        conn = self.conn
        if self._prepared and not conn.closed and not conn.broken:
            idle = conn.info.transaction_status == self._pg.pq.TransactionStatus.IDLE
            with contextlib.suppress(self._pg.Error):
                if idle:
                    conn.execute("; ".join(f"DEALLOCATE {name}" for name in self._prepared.values()))
        self._prepared = {}


class PostgresEventStore(StoreEngine):
    """Event store in the tables ``swp_events``/``swp_streams``/``swp_snapshots`` of *schema*.

    ``conninfo`` is a libpq DSN (the store opens and owns an autocommit connection) or an
    open ``psycopg.Connection`` with ``autocommit=True`` (borrowed: :meth:`close` leaves it
    open). The schema and tables are created if missing, under an advisory lock so several
    processes may start at once. ``lock_timeout_ms`` bounds how long an append waits for
    other appends before :class:`~._protocol.StoreBusy`. ``key`` and ``adopt_key`` are as for
    :class:`~._sqlite.SQLiteEventStore`.

    One store object holds one connection; calls are serialised by a lock, so threads may
    share it, but give each process its own store.
    """

    def __init__(
        self,
        conninfo: str | psycopg.Connection[Any],
        *,
        schema: str = "public",
        lock_timeout_ms: int = 10_000,
        key: bytes | str | None = None,
        adopt_key: bool = False,
    ) -> None:
        pg = _import_psycopg()
        if not isinstance(schema, str) or not schema or "\x00" in schema:
            raise ValueError("schema must be a non-empty string without NUL characters")
        if len(schema.encode("utf-8")) > 63:
            raise ValueError("schema names are limited to 63 bytes in PostgreSQL")
        if check_count("lock_timeout_ms", lock_timeout_ms) == 0:
            raise ValueError("lock_timeout_ms must be > 0 (0 would wait forever)")
        self.schema = schema
        if isinstance(conninfo, str):
            try:
                conn = pg.connect(conninfo, autocommit=True)
            except pg.OperationalError as exc:
                raise StoreUnavailable(f"cannot connect to PostgreSQL: {exc}") from exc
            owned = True
        elif isinstance(conninfo, pg.Connection):
            if not conninfo.autocommit:
                raise ValueError(
                    "pass a connection with autocommit=True: the store commits its own "
                    "transactions, and inside yours its COMMIT would only be a savepoint"
                )
            conn, owned = conninfo, False
        else:
            raise TypeError("conninfo must be a DSN string or a psycopg.Connection")
        self._start(_Postgres(pg, conn, owned, schema, lock_timeout_ms), key, adopt_key)

    def __repr__(self) -> str:
        state = "closed" if getattr(self, "_closed", True) else "open"
        return f"PostgresEventStore(schema={self.schema!r}, {state})"
