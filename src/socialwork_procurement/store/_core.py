"""The one store engine: append protocol, hash chain, snapshots, stream and error mapping.

Why one engine for two databases: the store is the system of record, so SQLite and
PostgreSQL must not give *roughly* the same guarantees; every rule that is not SQL dialect
or connection handling lives here once. A backend contributes a small :class:`Dialect`
object: how to open a transaction of each :class:`Mode` (locks, isolation, retries), its
table and trigger DDL, a few SQL fragments (:class:`Flavour`), how positions are handed
out and rows inserted, and what its driver's exceptions mean (:class:`Fault`).
:class:`StoreEngine` does the rest.

Integrity, in the order a read checks it (``docs/event-store.md`` says what each proves):

* every row names its :class:`~._protocol.HashScheme`; the :class:`Policy` decides which
  scheme is acceptable at which stream position, so rows cannot be *downgraded* to a scheme
  that is easier to forge (legacy rows without a position, unkeyed rows in a keyed store);
* the hash recomputes from the row (schemes 2 and 3 cover the stream position, scheme 3 is
  an HMAC under the store key), each event links to the one before, the stream head names
  the last event;
* a snapshot is bound to the chain: its own hash, the stored event at its version having
  the hash it names, and the chain from there to the head;
* when a store opens, the append-only triggers are compared with their definitions and
  recreated if someone dropped, disabled or altered them (logged, and reported by
  :meth:`StoreEngine.verify_all`).
"""

from __future__ import annotations

import enum
import hmac
import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final, NamedTuple, Protocol, TypeVar

import attrs

from .._errors import CaseNotFound, ConcurrencyConflict, StoreError, TamperDetected
from ._protocol import (
    _HEX64,
    GENESIS_HASH,
    CaseSummary,
    CaseVerification,
    HashScheme,
    InvalidSnapshot,
    NewEvent,
    PayloadNotJSON,
    Snapshot,
    StoreBusy,
    StoredEvent,
    StoreUnavailable,
    StoreVerification,
    _check_name,
    _digester,
    _encode_payload,
    _event_text,
    _loads,
    _quote,
    event_hash,
    payload_json,
    snapshot_hash,
)

if TYPE_CHECKING:
    from types import TracebackType
    from typing import Self

__all__ = [
    "MIN_KEY_BYTES",
    "PAGE",
    "SCHEMA_VERSION",
    "AppendStart",
    "Connection",
    "Cursor",
    "Dialect",
    "Fault",
    "Flavour",
    "Mode",
    "Policy",
    "StoreEngine",
    "as_utc",
    "check_append_args",
    "check_case_id",
    "check_chain",
    "check_count",
    "check_loaded",
    "check_snapshot_row",
    "decode_event",
    "decode_events",
    "store_error",
    "store_key",
    "utc_isoformat",
]

_T = TypeVar("_T")
_log = logging.getLogger("socialwork_procurement.store")

SCHEMA_VERSION: Final = 2
"""Layout version of the store's tables; a database with a newer one is refused, not misread.

1: events, stream heads, snapshots. 2: a ``hash_scheme`` column on events and snapshots and
a ``swp_meta`` table (legacy boundary, key record); layout-1 databases are upgraded in place
and their rows stay readable under :attr:`~._protocol.HashScheme.LEGACY`.
"""

PAGE: Final = 500
"""Rows per ``stream`` page: each page is its own short read, so no transaction stays open."""

MIN_KEY_BYTES: Final = 16
"""Shortest store key accepted: 128 bits, so the key cannot be guessed by trying."""


# --------------------------------------------------------------------------- argument checks


def check_case_id(case_id: object) -> None:
    """Validate a case id the same way for every backend."""
    _check_name("case_id", case_id)


def check_count(what: str, value: object) -> int:
    """A non-negative int argument (versions, positions, limits); bool is refused."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{what} must be int, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{what} must be >= 0, got {value}")
    return value


def check_append_args(case_id: object, expected_version: object, events: object) -> None:
    """Refuse malformed appends before any transaction is opened."""
    check_case_id(case_id)
    check_count("expected_version", expected_version)
    # list and tuple first: the abstract Sequence check costs more than the rest of it.
    if type(events) not in (list, tuple) and (isinstance(events, NewEvent) or not isinstance(events, Sequence)):
        raise TypeError("events must be a sequence of NewEvent")
    assert isinstance(events, Sequence)  # for the type checker: checked just above
    if not events:
        raise ValueError("append needs at least one event")
    for event in events:
        if not isinstance(event, NewEvent):
            raise TypeError(f"events must be NewEvent instances, got {type(event).__name__}")


def store_key(key: bytes | str | None) -> bytes | None:
    """The store key as bytes (a str is taken as UTF-8), at least :data:`MIN_KEY_BYTES` long."""
    if key is None:
        return None
    if isinstance(key, str):
        try:
            key = key.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError("key must be valid Unicode text or bytes") from None
    if not isinstance(key, bytes):
        raise TypeError(f"key must be bytes or str, not {type(key).__name__}")
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(
            f"key must be at least {MIN_KEY_BYTES} bytes (e.g. secrets.token_hex(32)); a short key can be guessed"
        )
    return key


def utc_isoformat(value: datetime) -> str:
    """The text form of a timestamp that enters the hash (``+00:00`` suffix)."""
    return value.astimezone(UTC).isoformat()


def as_utc(value: str | datetime) -> datetime:
    """A stored timestamp (ISO text in SQLite, ``timestamptz`` in PostgreSQL) as aware UTC."""
    when = datetime.fromisoformat(value) if isinstance(value, str) else value
    return when.astimezone(UTC)


# --------------------------------------------------------------------------- errors


class Fault(enum.Enum):
    """What a driver exception (or a path) means; the values are ``StoreError.kind``."""

    UNIQUE = "unique"
    """``UNIQUE (case_id, version)`` refused a row: someone else stored that version."""
    BUSY = "busy"
    """Other writers held a lock for longer than the configured wait."""
    NOT_A_DATABASE = "not_a_database"
    CORRUPT = "corrupt"
    FULL = "full"
    READ_ONLY = "read_only"
    CANNOT_OPEN = "cannot_open"
    NOT_A_FILE = "not_a_file"
    NO_DIRECTORY = "no_directory"
    EMPTY_PATH = "empty_path"
    CONNECTION = "connection"
    PERMISSION = "permission"
    IO = "io"
    DATABASE = "database"


_FAULT_TEXT: Final = {
    Fault.NOT_A_DATABASE: ("该文件不是数据库（或已加密）", "the file is not a database (or is encrypted)"),
    Fault.CORRUPT: (
        "数据库文件已损坏或被截断，请从备份恢复",
        "the database file is corrupt or truncated; restore it from a backup",
    ),
    Fault.FULL: (
        "磁盘已满（或数据库已达大小上限），本次未写入任何内容",
        "the disk (or the database's size limit) is full; nothing was stored",
    ),
    Fault.READ_ONLY: (
        "事件库只读，无法写入",
        "the store is read-only (file, directory, file system or database) and cannot be written",
    ),
    Fault.CANNOT_OPEN: (
        "无法打开或创建该文件（目录只读、无权限或路径无效）",
        "cannot open or create the file (read-only directory, no permission, or an invalid path)",
    ),
    Fault.NOT_A_FILE: ("该路径不是普通文件", "the path is not a regular file"),
    Fault.NO_DIRECTORY: (
        "所在目录不存在；事件库不会自动创建目录",
        "its directory does not exist; the store does not create directories",
    ),
    Fault.EMPTY_PATH: ("事件库路径为空", "the store path is empty"),
    Fault.CONNECTION: (
        "与数据库的连接已断开，请重新打开事件库",
        "the connection to the database was lost; open the store again",
    ),
    Fault.PERMISSION: ("数据库用户缺少事件库所需的权限", "the database user lacks a privilege the store needs"),
    Fault.IO: ("磁盘读写出错（磁盘可能已满或损坏）", "the disk reported an I/O error (it may be full or failing)"),
    Fault.DATABASE: ("数据库报告了错误", "the database reported an error"),
}


def store_error(fault: Fault, where: str, detail: str | None = None) -> StoreError:
    """The :class:`~.._errors.StoreError` for *fault* at *where*, in Chinese and English."""
    zh, en = _FAULT_TEXT.get(fault, _FAULT_TEXT[Fault.DATABASE])
    return StoreError(where, fault.value, zh, en, detail)


def _driver_detail(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"{type(exc).__module__.split('.')[0]}: {text[:200]}"


class _Duplicate(Exception):
    """Internal: an append hit ``UNIQUE (case_id, version)``; becomes ConcurrencyConflict."""


# --------------------------------------------------------------------------- what is accepted


def _key_mac(key: bytes, keyed_since: int) -> str:
    message = f"socialwork_procurement event store key; keyed since position {keyed_since}"
    return hmac.new(key, message.encode("utf-8"), "sha256").hexdigest()


@attrs.frozen
class Policy:
    """Which hash scheme a row may have where, and the key to check it with.

    ``legacy_below``: rows hashed without their position (scheme 1) are accepted only at
    positions below it (written before the store was upgraded). ``keyed_since``: in a keyed
    store, unkeyed rows are accepted only below it (written before the key was adopted);
    from there on every row must carry an HMAC, so whoever recomputes hashes without the
    key is caught. ``record`` is the stored key record this policy was derived from.
    """

    key: bytes | None = attrs.field(default=None, repr=False)
    legacy_below: int = 1
    keyed_since: int | None = None
    record: str | None = None
    scheme: HashScheme = attrs.field(init=False)
    """The scheme new rows get, and the one accepted anywhere (the fast path of a read)."""

    digest: Callable[[str], str] = attrs.field(init=False, repr=False, eq=False)
    """The hash function of :attr:`scheme` (text to hex digest), its key bound once."""

    @scheme.default
    def _writes(self) -> HashScheme:
        return HashScheme.SHA256 if self.key is None else HashScheme.HMAC_SHA256

    @digest.default
    def _digest_of_scheme(self) -> Callable[[str], str]:
        return _digester(self.scheme, self.key)

    def key_for(self, scheme: int) -> bytes | None:
        """The key to recompute a row of *scheme* with (unkeyed schemes take none)."""
        return self.key if scheme == HashScheme.HMAC_SHA256 else None

    def check_event(self, case_id: str, version: int, position: int, scheme: int) -> None:
        if scheme == self.scheme:
            return
        if scheme == HashScheme.LEGACY:
            if position >= self.legacy_below:
                raise TamperDetected(
                    case_id, version, "hashed without its position (scheme 1) although written after the upgrade"
                )
        elif scheme == HashScheme.SHA256:
            if self.keyed_since is not None and position >= self.keyed_since:
                raise TamperDetected(case_id, version, "not keyed (no HMAC) although written after the store was keyed")
        elif scheme == HashScheme.HMAC_SHA256:
            if self.key is None:
                raise TamperDetected(case_id, version, "keyed (HMAC) but the store has no key record")
        else:
            raise TamperDetected(case_id, version, f"unknown hash scheme {scheme!r}")

    def check_snapshot(self, case_id: str, version: int, scheme: int) -> None:
        if self.key is not None and scheme != HashScheme.HMAC_SHA256:
            raise TamperDetected(case_id, version, "snapshot is not keyed (no HMAC) in a keyed store")
        if scheme not in (HashScheme.LEGACY, HashScheme.SHA256, HashScheme.HMAC_SHA256) or (
            self.key is None and scheme == HashScheme.HMAC_SHA256
        ):
            raise TamperDetected(case_id, version, f"snapshot hash scheme {scheme!r} is not accepted here")


# --------------------------------------------------------------------------- the hash chain

_Row = tuple[str, int, int, str, int, str, "str | datetime", str, str, int]
"""An event row as selected: the columns of ``_EVENT_COLUMNS``, in order."""


_SCHEMES: Final = {int(scheme): scheme for scheme in HashScheme}


def decode_event(row: _Row, policy: Policy) -> StoredEvent:
    """Build a StoredEvent from a database row, refusing rows whose hash does not recompute
    or whose hash scheme is not accepted at their position."""
    case_id, version, position, event_type, schema_version, text, recorded_at, prev, stored, scheme = row
    try:
        version, position, scheme, schema_version = int(version), int(position), int(scheme), int(schema_version)
    except (TypeError, ValueError):
        raise TamperDetected(case_id, 0, "a stored number (version, position, schema, scheme) is malformed") from None
    policy.check_event(case_id, version, position, scheme)
    try:
        recorded_iso = recorded_at if isinstance(recorded_at, str) else utc_isoformat(recorded_at)
    except (AttributeError, TypeError, ValueError, OverflowError):  # not text, not a timestamp
        raise TamperDetected(case_id, version, "stored payload or timestamp is malformed") from None
    try:
        intact = stored == event_hash(
            case_id=case_id,
            version=version,
            event_type=event_type,
            schema_version=schema_version,
            payload_json=text,
            recorded_at=recorded_iso,
            prev_hash=prev,
            position=position,
            scheme=scheme,
            key=policy.key_for(scheme),
        )
    except UnicodeEncodeError:  # bytes that were not UTF-8, read back as lone surrogates
        raise TamperDetected(case_id, version, "stored text is not valid UTF-8") from None
    except TypeError:  # SQLite keeps any type in any column: a blob or a number where text belongs
        raise TamperDetected(case_id, version, "a stored text column holds something that is not text") from None
    if not intact:
        raise TamperDetected(case_id, version, "stored hash does not match its content")
    try:
        payload = json.loads(text)
        when = datetime.fromisoformat(recorded_iso)
        if not isinstance(payload, dict) or when.utcoffset() is None:
            raise ValueError
        # A day at either end of date's range has no UTC equivalent (0001-01-01T00:00+08:00):
        # a hash an unkeyed writer could recompute must still never crash a read.
        when = when.astimezone(UTC)
    except (ValueError, TypeError, OverflowError, OSError, RecursionError):
        raise TamperDetected(case_id, version, "stored payload or timestamp is malformed") from None
    return StoredEvent(
        case_id=case_id,
        version=version,
        position=position,
        event_type=event_type,
        schema_version=schema_version,
        payload=payload,
        recorded_at=when,
        prev_hash=prev,
        hash=stored,
        hash_scheme=_SCHEMES[scheme],
    )


def decode_events(rows: Iterable[_Row], policy: Policy) -> list[StoredEvent]:
    """:func:`decode_event` of every row, in order, with the common case made cheap.

    A replay decodes thousands of rows of one case, written under the store's own scheme:
    the case id and event types are JSON-quoted once, the scheme and key are looked up once,
    and the row's hash is recomputed straight from its columns. Whatever that fast path does
    not accept outright (another scheme, a number that is not an int, a hash that does not
    match, a malformed payload or timestamp) is decoded again by :func:`decode_event`, so a
    damaged row is refused with exactly the error it always was.
    """
    accepted, digest = policy.scheme, policy.digest
    quoted: dict[str, str] = {}
    fromisoformat, utc = datetime.fromisoformat, UTC
    events: list[StoredEvent] = []
    for row in rows:
        case_id, version, position, event_type, schema_version, text, recorded_at, prev, stored, scheme = row
        try:
            if scheme != accepted or type(text) is not str:
                raise ValueError
            if isinstance(recorded_at, str):
                when = fromisoformat(recorded_at)
                recorded_iso = recorded_at
                if when.utcoffset() is None:
                    raise ValueError
                when = when.astimezone(utc)
            else:
                when = recorded_at.astimezone(utc)  # timestamptz: aware, any zone
                recorded_iso = when.isoformat()
            case_json = quoted.get(case_id) or quoted.setdefault(case_id, _quote(case_id))
            type_json = quoted.get(event_type) or quoted.setdefault(event_type, _quote(event_type))
            envelope = _event_text(
                case_json,
                type_json,
                schema_version,
                text,
                _quote(recorded_iso),
                _quote(prev),
                version,
                position,
                accepted,
            )
            if digest(envelope) != stored:
                raise ValueError
            payload = _loads(text)
            if type(payload) is not dict:
                raise ValueError
        except (ValueError, TypeError, AttributeError, UnicodeEncodeError, OverflowError, OSError, RecursionError):
            events.append(decode_event(row, policy))  # raises TamperDetected, or accepts what is merely unusual
            continue
        events.append(
            StoredEvent(
                case_id=case_id,
                version=version,
                position=position,
                event_type=event_type,
                schema_version=schema_version,
                payload=payload,
                recorded_at=when,
                prev_hash=prev,
                hash=stored,
                hash_scheme=accepted,
            )
        )
    return events


def check_chain(case_id: str, events: Sequence[StoredEvent], *, prev_hash: str, first_version: int) -> None:
    """Versions must run ``first_version, first_version+1, ...`` and each event must link to
    the hash before it; a deleted or reordered row breaks one of the two."""
    expected_prev, expected_version = prev_hash, first_version
    for event in events:
        if event.version != expected_version:
            raise TamperDetected(
                case_id,
                event.version,
                f"expected version {expected_version} here: events missing or reordered",
            )
        if event.prev_hash != expected_prev:
            raise TamperDetected(case_id, event.version, "prev_hash does not link to the event before")
        expected_prev, expected_version = event.hash, expected_version + 1


def check_loaded(
    case_id: str,
    after_version: int,
    rows: Sequence[StoredEvent],
    head: tuple[int, str] | None,
) -> tuple[StoredEvent, ...]:
    """Verify what a backend read for ``load(case_id, after_version=...)``.

    *rows* are the decoded events with ``version >= max(after_version, 1)`` in version
    order (so the event at *after_version* itself is included as the anchor), *head* is the
    case's stream-head row ``(version, head_hash)``. Besides the chain, the head catches a
    deleted *last* event, which a chain alone cannot notice. Returns the events after
    *after_version*.
    """
    if head is None:
        if rows:
            raise TamperDetected(case_id, rows[0].version, "events stored without a stream head")
        return ()
    head_version, head_hash = head
    if after_version > head_version:
        return ()
    if after_version == 0:
        prev, tail = GENESIS_HASH, tuple(rows)
    else:
        if not rows or rows[0].version != after_version:
            raise TamperDetected(case_id, after_version, "event missing from the store")
        prev, tail = rows[0].hash, tuple(rows[1:])
    check_chain(case_id, tail, prev_hash=prev, first_version=after_version + 1)
    last_version, last_hash = (tail[-1].version, tail[-1].hash) if tail else (after_version, prev)
    if last_version != head_version or last_hash != head_hash:
        raise TamperDetected(
            case_id,
            last_version,
            f"stream head records version {head_version} but the events end at {last_version}"
            " (or end in a different event)",
        )
    return tail


def check_snapshot_row(
    *,
    case_id: str,
    version: int,
    state_type: str,
    payload_text: str,
    event_hash_: str,
    stored_hash: str,
    scheme: int,
    event: StoredEvent | None,
    policy: Policy,
) -> Snapshot:
    """Verify a stored snapshot (its scheme, its own hash, and that *event* — the verified
    event at its version — has the hash the snapshot names) and return it."""
    policy.check_snapshot(case_id, version, scheme)
    try:
        recomputed = snapshot_hash(
            case_id=case_id,
            version=version,
            state_type=state_type,
            payload_json=payload_text,
            event_hash=event_hash_,
            scheme=scheme,
            key=policy.key_for(scheme),
        )
    except UnicodeEncodeError:
        raise TamperDetected(case_id, version, "snapshot text is not valid UTF-8") from None
    if recomputed != stored_hash:
        raise TamperDetected(case_id, version, "snapshot hash does not match its content")
    if event is None or event.hash != event_hash_:
        raise TamperDetected(case_id, version, "snapshot does not match the stored event it names")
    try:
        return Snapshot(
            case_id=case_id,
            version=version,
            state_type=state_type,
            payload=json.loads(payload_text),
            event_hash=event_hash_,
        )
    except (ValueError, TypeError):
        raise TamperDetected(case_id, version, "snapshot payload or state type is malformed") from None


# --------------------------------------------------------------------------- what a backend gives


class Mode(enum.Enum):
    """What a transaction is for; each backend maps it to its own locks and isolation."""

    READ = "read"
    """One statement; no snapshot across statements is needed."""
    SNAPSHOT = "snapshot"
    """Several SELECTs that must see one consistent state (``load``, ``verify``)."""
    WRITE = "write"
    """A read-then-write that hands out no positions (``save_snapshot``)."""
    APPEND = "append"
    """A write that hands out positions. The transaction it opens is where
    :meth:`Dialect.begin_append` takes its locks: one that keeps two appends to a case from
    both passing the version check, and one that keeps positions in commit order."""
    DDL = "ddl"
    """Creating, upgrading or repairing the schema, serialised with other processes."""


class Cursor(Protocol):
    def fetchone(self) -> Any: ...

    def fetchall(self) -> Sequence[Any]: ...


class Connection(Protocol):
    """The part of a DB-API connection the engine uses (``sqlite3`` and psycopg 3 agree)."""

    def execute(self, sql: Any, params: Any = ..., /) -> Cursor: ...


@attrs.frozen
class Flavour:
    """The SQL fragments in which the backends' dialects differ."""

    tables: str
    """Prefix of the table names (``""`` or a quoted ``"schema".``)."""
    placeholder: str
    """Parameter marker the driver wants in place of ``?``."""
    json_param: str = ""
    """Cast after a JSON-text parameter."""
    time_param: str = ""
    """Cast after a timestamp-text parameter."""
    text_column: str = ""
    """Cast that reads a JSON column back as its exact stored text."""
    code_point_order: str = ""
    """Collation clause that sorts text by code point."""
    explicit_position: str = ""
    """What an INSERT needs to set the (identity) position column itself."""

    def sql(self, template: str) -> str:
        """*template* with ``{t}`` (table prefix), ``{json}``, ``{ts}``, ``{text}``, ``{cp}``,
        ``{pos}`` filled in and ``?`` markers turned into this driver's placeholder."""
        filled = template.format(
            t=self.tables,
            json=self.json_param,
            ts=self.time_param,
            text=self.text_column,
            cp=self.code_point_order,
            pos=self.explicit_position,
        )
        return filled.replace("?", self.placeholder)


class AppendStart(NamedTuple):
    """What :meth:`Dialect.begin_append` read: the state an append builds its rows on."""

    key_record: Any
    """The stored key record (``swp_meta`` key ``key``), None when unkeyed."""
    head_version: Any
    """The stream head's version, None for a new case."""
    head_hash: Any
    """The stream head's hash, None for a new case."""
    positions: Sequence[int] | None
    """The new events' positions, increasing; None when the head is not at the expected version."""


class Dialect(Protocol):
    """Everything backend-specific: the connection, transactions, DDL and driver errors."""

    flavour: Flavour
    where: str
    """Names the database in messages (a file path, a schema)."""
    errors: tuple[type[Exception], ...]
    """Driver exception classes :meth:`classify` understands (all are mapped to ours)."""

    def busy_detail(self) -> str:
        """Why :class:`~._protocol.StoreBusy` was raised (how long was waited)."""
        ...

    def open(self) -> None:
        """Connect if needed, and settings that must hold before any transaction."""
        ...

    def run(self, mode: Mode, body: Callable[[Connection], _T]) -> _T:
        """Run *body* in one committed transaction of *mode* (retried where that is safe)."""
        ...

    def schema_version(self, conn: Connection) -> int:
        """The stored layout version; 0 where there are no tables yet."""
        ...

    def create_schema(self, conn: Connection) -> None:
        """Create the layout-1 tables and triggers and record version 1 (inside a DDL run)."""
        ...

    def set_schema_version(self, conn: Connection, version: int) -> None: ...

    def broken_triggers(self, conn: Connection) -> list[str]:
        """Names of append-only triggers that are missing, disabled or not as defined."""
        ...

    def restore_triggers(self, conn: Connection, names: Sequence[str]) -> None:
        """Recreate the named triggers (and what they run) as defined (inside a DDL run)."""
        ...

    def begin_append(
        self, conn: Connection, case_id: str, expected_version: int, count: int, key_record: str | None
    ) -> AppendStart:
        """What an append needs, read under the locks that make it safe (inside an APPEND run):
        the key record, the case's stream head, and *count* new increasing positions that
        will commit in position order. Positions may be withheld (None) when the head is not
        at *expected_version* or the key record is not *key_record* (the one this store
        opened with): the append is refused and stores nothing."""
        ...

    def write_append(
        self, conn: Connection, insert_sql: str, rows: Sequence[tuple[Any, ...]], head_sql: str, head: tuple[Any, ...]
    ) -> None:
        """Insert the event *rows* with *insert_sql* (a one-row INSERT) and move the stream
        head with *head_sql*, in as few round trips as it can: a dialect may hold them back
        and send them with the COMMIT of its APPEND run."""
        ...

    def classify(self, exc: Exception) -> Fault | None:
        """What a driver exception means; None for one with no better word than DATABASE."""
        ...

    def close(self) -> None:
        """Release the connection (a borrowed one stays open); safe if never opened."""
        ...


# --------------------------------------------------------------------------- statements

_EVENT_COLUMNS: Final = (
    "case_id, version, position, event_type, schema_version, payload{text}, recorded_at, prev_hash, hash, hash_scheme"
)

_MIGRATE_TO_2: Final = (
    "ALTER TABLE {t}swp_events ADD COLUMN hash_scheme integer NOT NULL DEFAULT 1",
    "ALTER TABLE {t}swp_snapshots ADD COLUMN hash_scheme integer NOT NULL DEFAULT 1",
    "CREATE TABLE IF NOT EXISTS {t}swp_meta (key text PRIMARY KEY, value text NOT NULL)",
)
"""Layout 1 to 2, the same SQL for both backends: rows already stored get scheme 1."""


@attrs.frozen
class _Statements:
    """Every statement the engine runs, written once and rendered per flavour."""

    head: str
    max_version: str
    last_position: str
    insert_event: str
    upsert_head: str
    event_hash_at: str
    upsert_snapshot: str
    load_events: str
    snapshot: str
    cases: str
    all_case_ids: str
    stream_page: str
    meta_get: str
    meta_put: str
    drop_unkeyed_snapshots: str
    migrate_to_2: tuple[str, ...]

    @classmethod
    def render(cls, f: Flavour) -> _Statements:
        select = f"SELECT {_EVENT_COLUMNS} FROM {{t}}swp_events"
        templates = {
            "head": "SELECT version, head_hash FROM {t}swp_streams WHERE case_id = ?",
            "max_version": "SELECT MAX(version) FROM {t}swp_events WHERE case_id = ?",
            "last_position": "SELECT MAX(position) FROM {t}swp_events",
            "insert_event": (
                "INSERT INTO {t}swp_events (position, case_id, version, event_type, schema_version,"
                " payload, recorded_at, prev_hash, hash, hash_scheme){pos}"
                " VALUES (?, ?, ?, ?, ?, ?{json}, ?{ts}, ?, ?, ?)"
            ),
            "upsert_head": (
                "INSERT INTO {t}swp_streams (case_id, version, head_hash, first_recorded_at,"
                " last_recorded_at) VALUES (?, ?, ?, ?{ts}, ?{ts})"
                " ON CONFLICT (case_id) DO UPDATE SET version = excluded.version,"
                " head_hash = excluded.head_hash, last_recorded_at = excluded.last_recorded_at"
            ),
            "event_hash_at": "SELECT hash FROM {t}swp_events WHERE case_id = ? AND version = ?",
            "upsert_snapshot": (
                "INSERT INTO {t}swp_snapshots AS old (case_id, version, state_type, payload,"
                " event_hash, hash, hash_scheme) VALUES (?, ?, ?, ?{json}, ?, ?, ?)"
                " ON CONFLICT (case_id) DO UPDATE SET version = excluded.version,"
                " state_type = excluded.state_type, payload = excluded.payload,"
                " event_hash = excluded.event_hash, hash = excluded.hash,"
                " hash_scheme = excluded.hash_scheme WHERE excluded.version >= old.version"
            ),
            "load_events": f"{select} WHERE case_id = ? AND version >= ? ORDER BY version",
            "snapshot": (
                "SELECT version, state_type, payload{text}, event_hash, hash, hash_scheme"
                " FROM {t}swp_snapshots WHERE case_id = ?"
            ),
            "cases": (
                "SELECT case_id, version, first_recorded_at, last_recorded_at FROM {t}swp_streams ORDER BY case_id{cp}"
            ),
            "all_case_ids": (
                "SELECT case_id FROM {t}swp_streams UNION SELECT case_id FROM {t}swp_events"
                " UNION SELECT case_id FROM {t}swp_snapshots"
            ),
            "stream_page": f"{select} WHERE position > ? ORDER BY position LIMIT ?",
            "meta_get": "SELECT value FROM {t}swp_meta WHERE key = ?",
            "meta_put": "INSERT INTO {t}swp_meta (key, value) VALUES (?, ?)",
            "drop_unkeyed_snapshots": (
                f"DELETE FROM {{t}}swp_snapshots WHERE hash_scheme <> {int(HashScheme.HMAC_SHA256)}"
            ),
        }
        return cls(
            **{name: f.sql(text) for name, text in templates.items()},
            migrate_to_2=tuple(f.sql(text) for text in _MIGRATE_TO_2),
        )


# --------------------------------------------------------------------------- the engine


@attrs.frozen
class _State:
    """What a store found when it opened (or upgraded) its database."""

    version: int
    broken: tuple[str, ...] = ()
    legacy_below: int | None = None
    key_record: str | None = None
    last_position: int = 0


def _one(cursor: Cursor) -> Any:
    row = cursor.fetchone()
    return None if row is None else row[0]


def _head_hash(case_id: str, version: int, value: object) -> str:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise TamperDetected(case_id, version, "the stream head's hash is malformed")
    return value


class StoreEngine:
    """The :class:`~._protocol.EventStore` implementation both backends are.

    A backend's constructor checks its own arguments, builds its :class:`Dialect` and calls
    :meth:`_start`. Calls are serialised by one lock, so threads may share a store; each
    process should open its own. ``restored_triggers`` names the append-only triggers this
    store found missing or altered when it opened, and recreated.
    """

    _dialect: Dialect
    restored_triggers: tuple[str, ...] = ()

    def _start(self, dialect: Dialect, key: bytes | str | None, adopt_key: bool) -> None:
        if not isinstance(adopt_key, bool):
            raise TypeError(f"adopt_key must be bool, not {type(adopt_key).__name__}")
        secret = store_key(key)
        self._dialect = dialect
        self._sql = _Statements.render(dialect.flavour)
        self._lock = threading.RLock()
        self._closed = False
        self._policy = Policy(key=secret)
        try:
            self._setup(secret, adopt_key)
        except BaseException:
            self.close()
            raise

    # ------------------------------------------------------------------ plumbing

    def _guard(self, call: Callable[[], _T]) -> _T:
        """Call into the dialect with every driver error mapped to one of ours."""
        dialect = self._dialect
        try:
            return call()
        except dialect.errors as exc:
            fault = dialect.classify(exc)
            if fault is Fault.BUSY:
                raise StoreBusy(f"{dialect.where}: {dialect.busy_detail()}") from exc
            if fault is Fault.UNIQUE:
                raise _Duplicate() from exc
            raise store_error(fault or Fault.DATABASE, dialect.where, _driver_detail(exc)) from exc

    def _run(self, mode: Mode, body: Callable[[Connection], _T]) -> _T:
        """Run *body* in a transaction of *mode*, with driver errors mapped to ours."""
        with self._lock:
            if self._closed:
                raise StoreUnavailable(f"{self!r} is closed")
            return self._guard(lambda: self._dialect.run(mode, body))

    # ------------------------------------------------------------------ opening

    def _setup(self, key: bytes | None, adopt_key: bool) -> None:
        with self._lock:
            self._guard(self._dialect.open)
        state = self._run(Mode.SNAPSHOT, self._inspect)
        self._refuse_newer(state.version)
        if state.version < SCHEMA_VERSION or state.broken or (key is not None and state.key_record is None):
            state, restored = self._run(Mode.DDL, lambda conn: self._upgrade(conn, key, adopt_key))
            if restored:
                self.restored_triggers = restored
                _log.warning(
                    "%s: append-only triggers %s were missing, disabled or altered; recreated them",
                    self._dialect.where,
                    ", ".join(restored),
                )
        self._policy = self._policy_for(state, key)

    def _inspect(self, conn: Connection) -> _State:
        version = self._dialect.schema_version(conn)
        if version == 0 or version > SCHEMA_VERSION:
            return _State(version)
        broken = tuple(self._dialect.broken_triggers(conn))
        last_position = int(_one(conn.execute(self._sql.last_position)) or 0)
        if version < 2:
            return _State(version, broken, last_position=last_position)
        legacy = _one(conn.execute(self._sql.meta_get, ("legacy_below",)))
        record = _one(conn.execute(self._sql.meta_get, ("key",)))
        return _State(
            version,
            broken,
            # A missing or garbled boundary accepts no legacy rows: the strict reading.
            int(legacy) if isinstance(legacy, str) and legacy.isdigit() else 1,
            record,
            last_position,
        )

    def _refuse_newer(self, current: int) -> None:
        if current > SCHEMA_VERSION:
            raise StoreUnavailable(
                f"{self._dialect.where}: store schema version {current} is newer than this library "
                f"supports ({SCHEMA_VERSION}); upgrade socialwork-procurement"
            )

    def _upgrade(self, conn: Connection, key: bytes | None, adopt_key: bool) -> tuple[_State, tuple[str, ...]]:
        """Create, upgrade and repair the schema, and record the key (under the DDL lock)."""
        # Re-inspected under the lock: another process may have done it meanwhile.
        state = self._inspect(conn)
        self._refuse_newer(state.version)
        if state.version == 0:
            self._dialect.create_schema(conn)
        if state.version < 2:
            for ddl in self._sql.migrate_to_2:
                conn.execute(ddl)
            conn.execute(self._sql.meta_put, ("legacy_below", str(state.last_position + 1)))
            self._dialect.set_schema_version(conn, 2)
            state = self._inspect(conn)
        restored = state.broken
        if restored:
            self._dialect.restore_triggers(conn, restored)
        if key is not None and state.key_record is None:
            if state.last_position and not adopt_key:
                raise StoreUnavailable(
                    f"{self._dialect.where}: the store holds events written without a key and has no key "
                    "record; open it once with adopt_key=True to key it from now on (the events already "
                    "stored stay readable, vouched for by their unkeyed chain only)"
                )
            since = state.last_position + 1
            conn.execute(self._sql.meta_put, ("key", f"{since}:{_key_mac(key, since)}"))
            # Unkeyed snapshots could not be told from forged ones any more; they are caches.
            conn.execute(self._sql.drop_unkeyed_snapshots)
        return self._inspect(conn), restored

    def _policy_for(self, state: _State, key: bytes | None) -> Policy:
        legacy_below = state.legacy_below or 1
        where = self._dialect.where
        if key is None:
            if state.key_record is not None:
                raise StoreUnavailable(f"{where}: this store is keyed (HMAC-SHA256); open it with its key")
            return Policy(None, legacy_below, None, None)
        since, _, mac = (state.key_record or "").partition(":")
        if not since.isdigit() or not hmac.compare_digest(mac.encode(), _key_mac(key, int(since)).encode()):
            raise StoreUnavailable(
                f"{where}: the key does not match the key this store was keyed with (or its key record was edited)"
            )
        return Policy(key, legacy_below, int(since), state.key_record)

    # ------------------------------------------------------------------ writes

    def append(self, case_id: str, expected_version: int, events: Sequence[NewEvent]) -> tuple[StoredEvent, ...]:
        """Store *events* as versions ``expected_version+1 ...`` atomically; return them."""
        check_append_args(case_id, expected_version, events)
        sql, policy, dialect = self._sql, self._policy, self._dialect
        scheme = policy.scheme
        try:
            # Encoded before the transaction opens, so no lock waits on it; each payload is
            # encoded once, and the value it reads back as is what the StoredEvent carries.
            encoded = [_encode_payload(event.payload) for event in events]
        except PayloadNotJSON:
            # A stale append is a conflict first, as if the version had been checked first.
            actual = self.version(case_id)
            if actual != expected_version:
                raise ConcurrencyConflict(case_id, expected_version, actual) from None
            raise
        digest = policy.digest
        case_json = _quote(case_id)
        types: dict[str, str] = {}
        count, stored = len(events), int(scheme)  # a plain int: drivers may adapt an IntEnum by name

        def body(conn: Connection) -> list[tuple[Any, ...]]:
            start = dialect.begin_append(conn, case_id, expected_version, count, policy.record)
            if start.key_record != policy.record:  # another process keyed the store meanwhile
                raise StoreUnavailable(
                    f"{dialect.where}: the store's key record changed since this store object opened it; open it again"
                )
            actual = 0 if start.head_version is None else int(start.head_version)
            if actual != expected_version:
                raise ConcurrencyConflict(case_id, expected_version, actual)
            prev = GENESIS_HASH if start.head_version is None else _head_hash(case_id, actual, start.head_hash)
            if start.positions is None or len(start.positions) != count:
                raise AssertionError("the dialect handed out no positions for a current head")  # pragma: no cover
            rows: list[tuple[Any, ...]] = []
            for offset, (event, (text, _), position) in enumerate(
                zip(events, encoded, start.positions, strict=True), start=1
            ):
                version = expected_version + offset
                recorded = utc_isoformat(event.recorded_at)
                event_type = event.event_type
                type_json = types.get(event_type) or types.setdefault(event_type, _quote(event_type))
                # prev is 64 hex digits (checked, or ours) and recorded an ISO timestamp:
                # quoting them needs no escapes.
                envelope = _event_text(
                    case_json,
                    type_json,
                    event.schema_version,
                    text,
                    f'"{recorded}"',
                    f'"{prev}"',
                    version,
                    position,
                    scheme,
                )
                digest_ = digest(envelope)
                rows.append(
                    (
                        position,
                        case_id,
                        version,
                        event_type,
                        event.schema_version,
                        text,
                        recorded,
                        prev,
                        digest_,
                        stored,
                    )
                )
                prev = digest_
            dialect.write_append(
                conn, sql.insert_event, rows, sql.upsert_head, (case_id, rows[-1][2], prev, rows[0][6], rows[-1][6])
            )
            return rows

        try:
            rows = self._run(Mode.APPEND, body)
        except _Duplicate as dup:
            # The head row disagrees with the events: never overwrite, report what is there.
            top = self._run(Mode.READ, lambda conn: _one(conn.execute(sql.max_version, (case_id,))))
            raise ConcurrencyConflict(case_id, expected_version, int(top or 0)) from dup.__cause__
        stored_events = []
        for row, (_, value), event in zip(rows, encoded, events, strict=True):
            position, _, version, event_type, schema_version, _, recorded, prev, digest_, _ = row
            when = event.recorded_at  # UTC (NewEvent makes it so): what the stored text spells
            stored_events.append(
                StoredEvent(
                    case_id=case_id,
                    version=version,
                    position=position,
                    event_type=event_type,
                    schema_version=schema_version,
                    payload=value,
                    recorded_at=when if type(when) is datetime else as_utc(recorded),
                    prev_hash=prev,
                    hash=digest_,
                    hash_scheme=scheme,
                )
            )
        return tuple(stored_events)

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Store *snapshot* unless a newer one is already stored for its case.

        Raises CaseNotFound for an unknown case and InvalidSnapshot if the snapshot's
        version or ``event_hash`` does not match a stored event.
        """
        if not isinstance(snapshot, Snapshot):
            raise TypeError(f"expected a Snapshot, got {type(snapshot).__name__}")
        text = payload_json(snapshot.payload)
        policy, sql = self._policy, self._sql
        digest = snapshot_hash(
            case_id=snapshot.case_id,
            version=snapshot.version,
            state_type=snapshot.state_type,
            payload_json=text,
            event_hash=snapshot.event_hash,
            scheme=policy.scheme,
            key=policy.key,
        )

        def body(conn: Connection) -> None:
            head = conn.execute(sql.head, (snapshot.case_id,)).fetchone()
            if head is None:
                raise CaseNotFound(snapshot.case_id)
            if snapshot.version > int(head[0]):
                raise InvalidSnapshot(
                    f"snapshot of case {snapshot.case_id!r} at version {snapshot.version}, "
                    f"but the case has only {head[0]} events"
                )
            if _one(conn.execute(sql.event_hash_at, (snapshot.case_id, snapshot.version))) != snapshot.event_hash:
                raise InvalidSnapshot(
                    f"snapshot of case {snapshot.case_id!r}: event_hash is not the hash of "
                    f"stored event {snapshot.version}"
                )
            conn.execute(
                sql.upsert_snapshot,
                (
                    snapshot.case_id,
                    snapshot.version,
                    snapshot.state_type,
                    text,
                    snapshot.event_hash,
                    digest,
                    int(policy.scheme),
                ),
            )

        self._run(Mode.WRITE, body)

    # ------------------------------------------------------------------ reads

    def _head(self, conn: Connection, case_id: str) -> tuple[int, str] | None:
        head = conn.execute(self._sql.head, (case_id,)).fetchone()
        return None if head is None else (int(head[0]), str(head[1]))

    def _load(self, conn: Connection, case_id: str, after_version: int) -> tuple[StoredEvent, ...]:
        head = self._head(conn, case_id)
        rows = conn.execute(self._sql.load_events, (case_id, max(after_version, 1))).fetchall()
        return check_loaded(case_id, after_version, decode_events(rows, self._policy), head)

    def load(self, case_id: str, *, after_version: int = 0) -> tuple[StoredEvent, ...]:
        """Events after *after_version*, hash-checked and chained; ``()`` for unknown cases."""
        check_case_id(case_id)
        check_count("after_version", after_version)
        return self._run(Mode.SNAPSHOT, lambda conn: self._load(conn, case_id, after_version))

    def version(self, case_id: str) -> int:
        """Latest version of *case_id* (0 when unknown), from the stream head row."""
        check_case_id(case_id)
        return int(self._run(Mode.READ, lambda conn: _one(conn.execute(self._sql.head, (case_id,)))) or 0)

    def list_cases(self) -> tuple[CaseSummary, ...]:
        """Every case from the stream heads, ordered by case_id in code-point order (the
        order Python's ``sorted`` gives)."""
        rows = self._run(Mode.READ, lambda conn: conn.execute(self._sql.cases).fetchall())
        cases = []
        for case_id, version, first, last in rows:
            try:
                case_id.encode("utf-8")
                cases.append(CaseSummary(case_id, int(version), as_utc(first), as_utc(last)))
            except (UnicodeEncodeError, ValueError, TypeError):
                raise TamperDetected(case_id, int(version), "stream head text is malformed or not UTF-8") from None
        return tuple(cases)

    def stream(self, *, after_position: int = 0, limit: int | None = None) -> Iterator[StoredEvent]:
        """All events after *after_position* in commit order, each hash-checked.

        Read in pages by position (keyset pagination), so a long iteration holds no read
        transaction open (which would stop SQLite's WAL checkpoints) and sees events
        committed while it runs.
        """
        check_count("after_position", after_position)
        if limit is not None:
            check_count("limit", limit)
        return self._stream(after_position, limit)

    def _stream(self, after_position: int, limit: int | None) -> Iterator[StoredEvent]:
        remaining, last = limit, after_position
        while remaining is None or remaining > 0:
            page = PAGE if remaining is None else min(PAGE, remaining)

            def body(conn: Connection, last: int = last, page: int = page) -> Sequence[_Row]:
                return conn.execute(self._sql.stream_page, (last, page)).fetchall()

            rows = self._run(Mode.READ, body)
            yield from decode_events(rows, self._policy)
            if len(rows) < page:
                return
            last = int(rows[-1][2])
            if remaining is not None:
                remaining -= len(rows)

    def _snapshot(self, conn: Connection, case_id: str, events: Sequence[StoredEvent] | None) -> Snapshot | None:
        """The verified snapshot of *case_id*. With *events* (the whole verified case) the
        snapshot is checked against them; without, the chain from the snapshot's event to
        the stream head is read and verified here."""
        row = conn.execute(self._sql.snapshot, (case_id,)).fetchone()
        if row is None:
            return None
        version, state_type, text, named_hash, stored, scheme = row
        version = int(version)
        if events is None:
            head = self._head(conn, case_id)
            if head is None or version > head[0]:
                raise TamperDetected(case_id, version, "snapshot is ahead of the stream head (events or head missing)")
            rows = conn.execute(self._sql.load_events, (case_id, version)).fetchall()
            decoded = decode_events(rows, self._policy)
            check_loaded(case_id, version, decoded, head)
            anchor: StoredEvent | None = decoded[0]
        else:
            anchor = events[version - 1] if 1 <= version <= len(events) else None
        return check_snapshot_row(
            case_id=case_id,
            version=version,
            state_type=state_type,
            payload_text=text,
            event_hash_=named_hash,
            stored_hash=stored,
            scheme=int(scheme),
            event=anchor,
            policy=self._policy,
        )

    def load_snapshot(self, case_id: str) -> Snapshot | None:
        """The stored snapshot of *case_id*, verified against the event it names and the
        chain from that event to the stream head."""
        check_case_id(case_id)
        return self._run(Mode.SNAPSHOT, lambda conn: self._snapshot(conn, case_id, None))

    def _verify(self, conn: Connection, case_id: str) -> CaseVerification:
        try:
            case_id.encode("utf-8")
        except UnicodeEncodeError:  # a stored id read back byte-exact: it cannot even be queried
            raise TamperDetected(case_id, 0, "case id is not valid UTF-8") from None
        events = self._load(conn, case_id, 0)
        if not events:
            orphan = conn.execute(self._sql.snapshot, (case_id,)).fetchone()
            if orphan is not None:
                raise TamperDetected(case_id, int(orphan[0]), "snapshot of a case that has no events")
            raise CaseNotFound(case_id)
        snapshot = self._snapshot(conn, case_id, events)
        return CaseVerification(
            case_id=case_id,
            version=events[-1].version,
            head_hash=events[-1].hash,
            keyed=events[-1].hash_scheme == HashScheme.HMAC_SHA256,
            legacy_events=sum(e.hash_scheme == HashScheme.LEGACY for e in events),
            snapshot_version=None if snapshot is None else snapshot.version,
        )

    def verify(self, case_id: str) -> CaseVerification:
        """Check *case_id* from genesis to its head, and its snapshot if any; returns what
        was checked, raises ``TamperDetected`` at the first problem (``CaseNotFound`` if the
        store has no trace of the case)."""
        check_case_id(case_id)
        return self._run(Mode.SNAPSHOT, lambda conn: self._verify(conn, case_id))

    def verify_all(self) -> StoreVerification:
        """Check every case the store has any row of (events without a head and snapshots
        without events included) and the append-only triggers, in one consistent read;
        every problem is reported, none raised."""

        def body(conn: Connection) -> StoreVerification:
            verified: list[CaseVerification] = []
            problems: list[TamperDetected] = []
            for case_id in sorted({row[0] for row in conn.execute(self._sql.all_case_ids).fetchall()}):
                try:
                    verified.append(self._verify(conn, case_id))
                except TamperDetected as problem:
                    problems.append(problem)
            return StoreVerification(
                cases=tuple(verified),
                problems=tuple(problems),
                broken_triggers=tuple(self._dialect.broken_triggers(conn)),
                restored_triggers=self.restored_triggers,
                keyed_since=self._policy.keyed_since,
            )

        return self._run(Mode.SNAPSHOT, body)

    def close(self) -> None:
        """Release the connection (idempotent); committed data is already durable."""
        with self._lock:
            if not self._closed:
                self._closed = True
                self._dialect.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
