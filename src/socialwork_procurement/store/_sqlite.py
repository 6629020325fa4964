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
  rowid, never reused) is taken under the write lock, before the event is hashed (the
  hash covers it), and so follows commit order.
* **Append-only** — triggers ``RAISE(ABORT, ...)`` on UPDATE/DELETE of events and on
  deleting or rewinding a stream head; a store that opens finds dropped or altered
  triggers and recreates them, and the hash chain catches what was changed meanwhile.
* **Faults are named** — a path that is empty, a directory, a device (``/dev/null``), a
  dangling link or in a missing directory is refused *before* SQLite opens it, so nothing
  (no ``-journal``, no ``-wal``, no directory) is created there; SQLite's own error codes
  (not a database, corrupt, full, read-only, cannot open) become
  :class:`~.._errors.StoreError`. Text that is not UTF-8 is re-read byte-exact so the
  engine can name the row (``TamperDetected``).

WAL needs shared memory, so all processes must be on one host (no network file systems);
for writers on several machines use ``PostgresEventStore``.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import stat
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

from ._core import SCHEMA_VERSION, AppendStart, Fault, Flavour, Mode, StoreEngine, check_count, store_error
from ._protocol import StoreUnavailable

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from ._core import Connection

__all__ = ["SCHEMA_VERSION", "TRIGGERS", "SQLiteEventStore"]

_T = TypeVar("_T")

_SYNCHRONOUS: Final = ("FULL", "NORMAL", "EXTRA")
_FLAVOUR: Final = Flavour(tables="", placeholder="?")

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


# SQLite primary result codes (``sqlite_errorcode & 0xFF``) and what they mean to the engine.
_BUSY_CODES: Final = frozenset({5, 6})  # SQLITE_BUSY, SQLITE_LOCKED
_FAULTS: Final = {
    3: Fault.PERMISSION,  # SQLITE_PERM
    8: Fault.READ_ONLY,  # SQLITE_READONLY
    10: Fault.IO,  # SQLITE_IOERR
    11: Fault.CORRUPT,  # SQLITE_CORRUPT
    13: Fault.FULL,  # SQLITE_FULL
    14: Fault.CANNOT_OPEN,  # SQLITE_CANTOPEN
    23: Fault.PERMISSION,  # SQLITE_AUTH
    26: Fault.NOT_A_DATABASE,  # SQLITE_NOTADB
}
_BEGIN_APPEND: Final = (
    "SELECT (SELECT value FROM swp_meta WHERE key = 'key'), h.version, h.head_hash,"
    " MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'swp_events'), 0),"
    " COALESCE((SELECT MAX(position) FROM swp_events), 0))"
    " FROM (SELECT 1) LEFT JOIN swp_streams AS h ON h.case_id = ?"
)
"""What an append reads under the write lock: the key record, the case's head, the last position."""
_CONSTRAINT: Final = 19
_VERSION_UNIQUE: Final = "swp_events.case_id, swp_events.version"
_UNDECODABLE: Final = "Could not decode to UTF-8"
"""How Python's sqlite3 reports stored TEXT that is not UTF-8 (not an SQLite code)."""


def _primary_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _is_locked(exc: sqlite3.OperationalError) -> bool:
    return _primary_code(exc) in _BUSY_CODES


def _lenient_text(data: bytes) -> str:
    """Keep undecodable bytes as lone surrogates, which the engine reports as tampering."""
    return data.decode("utf-8", "surrogateescape")


def _normalised(sql: str) -> str:
    return " ".join(sql.replace("IF NOT EXISTS ", "").split())


_KINDS: Final = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
)


def _refuse_bad_path(path: Path) -> None:
    """Refuse paths SQLite must not open, before it creates anything next to them.

    SQLite opens ``/dev/null`` or a FIFO happily and then creates ``/dev/null-journal`` or
    ``-wal`` files beside it; it follows a dangling symbolic link and creates its target.
    """
    where = str(path)
    if where == ":memory:":  # nothing on disk; refused for want of WAL when it opens
        return
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        if os.path.lexists(path):
            raise store_error(Fault.NOT_A_FILE, where, "a symbolic link to nothing") from None
        if not path.parent.is_dir():
            raise store_error(Fault.NO_DIRECTORY, where, str(path.parent)) from None
        return
    except NotADirectoryError:
        raise store_error(Fault.NO_DIRECTORY, where, "a parent is not a directory") from None
    except OSError as exc:
        raise store_error(Fault.CANNOT_OPEN, where, exc.strerror) from None
    if not stat.S_ISREG(mode):
        kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
        raise store_error(Fault.NOT_A_FILE, where, kind)


class _SQLite:
    """The SQLite dialect: one connection, ``BEGIN IMMEDIATE`` for writes, bounded retries."""

    flavour = _FLAVOUR
    errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def __init__(self, path: Path, synchronous: str, busy_timeout_ms: int, max_attempts: int) -> None:
        self.path = path
        self.where = str(path)
        self._synchronous = synchronous
        self._busy_timeout_ms = busy_timeout_ms
        self._max_attempts = max_attempts
        self.conn: sqlite3.Connection | None = None

    def busy_detail(self) -> str:
        return f"still locked after {self._max_attempts} attempts of {self._busy_timeout_ms} ms"

    def classify(self, exc: Exception) -> Fault | None:
        code = _primary_code(exc)
        if code in _BUSY_CODES:
            return Fault.BUSY
        if code == _CONSTRAINT and _VERSION_UNIQUE in str(exc):
            return Fault.UNIQUE
        return None if code is None else _FAULTS.get(code)

    def _connection(self) -> sqlite3.Connection:
        assert self.conn is not None, "opened first"
        return self.conn

    def _retrying(self, attempt: Callable[[sqlite3.Connection], _T]) -> _T:
        """Run *attempt* again (whole) when SQLite still reports the database locked.

        The busy timeout already waited ``busy_timeout_ms``; this covers the cases where
        SQLite returns SQLITE_BUSY without waiting (e.g. WAL recovery, lock upgrades).
        """
        conn = self._connection()
        try:
            return attempt(conn)  # the common case, without the loop
        except sqlite3.OperationalError as exc:
            if not _is_locked(exc) or self._max_attempts == 1:
                raise
        for number in range(2, self._max_attempts + 1):
            time.sleep(random.uniform(0.005, 0.05) * (number - 1))
            try:
                return attempt(conn)
            except sqlite3.OperationalError as exc:
                if not _is_locked(exc) or number == self._max_attempts:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def open(self) -> None:
        _refuse_bad_path(self.path)
        self.conn = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout_ms / 1000,
            isolation_level=None,  # we issue BEGIN/COMMIT ourselves
            check_same_thread=False,  # the engine's lock serialises calls instead
        )
        mode = self._retrying(lambda c: str(c.execute("PRAGMA journal_mode=WAL").fetchone()[0]).lower())
        if mode != "wal":
            raise StoreUnavailable(
                f"{self.where}: SQLite refused WAL mode (journal_mode={mode}); the store needs "
                "WAL on a local file (not :memory:, not a network file system)"
            )
        self.conn.execute(f"PRAGMA synchronous={self._synchronous}")

    def run(self, mode: Mode, body: Callable[[Connection], _T]) -> _T:
        """One transaction, IMMEDIATE when it writes, retried whole when locked.

        Reads use a (deferred) transaction too, so the several SELECTs of one ``load``
        see one consistent WAL snapshot.
        """
        begin = "BEGIN" if mode in (Mode.READ, Mode.SNAPSHOT) else "BEGIN IMMEDIATE"

        def attempt(conn: sqlite3.Connection) -> _T:
            # One cursor for the whole transaction rather than one per statement (what
            # Connection.execute makes): every result is read before the next statement.
            cur = conn.cursor()
            cur.execute(begin)
            try:
                result = body(cur)
                cur.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):  # connection already broken
                        conn.execute("ROLLBACK")
                raise
            return result

        try:
            return self._retrying(attempt)
        except sqlite3.OperationalError as exc:
            if not str(exc).startswith(_UNDECODABLE):
                raise
        # A stored text is not UTF-8 and the fast decoder cannot say in which row: run the
        # (rolled back) transaction again with the bytes kept, so the engine names the row.
        conn = self._connection()
        conn.text_factory = _lenient_text
        try:
            return self._retrying(attempt)
        finally:
            conn.text_factory = str

    def schema_version(self, conn: Connection) -> int:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def set_schema_version(self, conn: Connection, version: int) -> None:
        conn.execute(f"PRAGMA user_version={int(version)}")

    def create_schema(self, conn: Connection) -> None:
        for ddl in (*_TABLES, *TRIGGERS.values()):
            conn.execute(ddl)
        self.set_schema_version(conn, 1)

    def broken_triggers(self, conn: Connection) -> list[str]:
        found = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall())
        return [name for name, ddl in TRIGGERS.items() if _normalised(found.get(name) or "") != _normalised(ddl)]

    def restore_triggers(self, conn: Connection, names: Sequence[str]) -> None:
        for name in names:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
            conn.execute(TRIGGERS[name])

    def begin_append(
        self, conn: Connection, case_id: str, expected_version: int, count: int, key_record: str | None
    ) -> AppendStart:
        # BEGIN IMMEDIATE already holds the one write lock, so the head is current and
        # positions commit in order. One statement reads all of it; positions go past both
        # the AUTOINCREMENT counter and the largest row, so none is reused.
        key_record, version, head_hash, last = conn.execute(_BEGIN_APPEND, (case_id,)).fetchone()
        first = int(last) + 1
        return AppendStart(key_record, version, head_hash, range(first, first + count))

    def write_append(
        self, conn: Connection, insert_sql: str, rows: Sequence[tuple[Any, ...]], head_sql: str, head: tuple[Any, ...]
    ) -> None:
        if len(rows) == 1:
            conn.execute(insert_sql, rows[0])
        else:
            self._connection().executemany(insert_sql, rows)
        conn.execute(head_sql, head)

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()


class SQLiteEventStore(StoreEngine):
    """Event store in one SQLite file (created with its schema if missing).

    ``synchronous`` trades durability for speed (see the module docstring); ``FULL`` is the
    safe default. ``busy_timeout_ms`` is how long one attempt waits for another writer's
    lock; ``max_attempts`` bounds the whole-transaction retries after that.

    ``key`` (bytes, or text taken as UTF-8; at least 16 bytes) makes every new event's and
    snapshot's hash an HMAC-SHA256 under it, so hashes recomputed without the key are
    caught. A store once keyed must always be opened with its key. ``adopt_key=True`` keys
    a store that already holds unkeyed events (see ``docs/event-store.md``).

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
        key: bytes | str | None = None,
        adopt_key: bool = False,
    ) -> None:
        if synchronous not in _SYNCHRONOUS:
            raise ValueError(f"synchronous must be one of {_SYNCHRONOUS}, got {synchronous!r}")
        if check_count("busy_timeout_ms", busy_timeout_ms) == 0:
            raise ValueError("busy_timeout_ms must be > 0: 0 makes every lock wait an error")
        if check_count("max_attempts", max_attempts) == 0:
            raise ValueError("max_attempts must be >= 1")
        if os.fspath(path) == "":  # Path("") would be ".", and sqlite3.connect("") a temporary file
            raise store_error(Fault.EMPTY_PATH, "''")
        self.path = Path(path)
        self.synchronous = synchronous
        self._start(_SQLite(self.path, synchronous, busy_timeout_ms, max_attempts), key, adopt_key)

    def __repr__(self) -> str:
        state = "closed" if getattr(self, "_closed", True) else self.synchronous
        return f"SQLiteEventStore({str(self.path)!r}, {state})"
