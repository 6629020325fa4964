"""Event envelopes, the :class:`EventStore` protocol and the hash chain all backends share.

Why this module exists apart from the lifecycle code: a procurement case is the sequence of
its events, so the store is the system of record that an audit (审计) or a dispute falls back
on. The store therefore knows nothing about the state machine; it stores *envelopes* whose
payload is already JSON data. Keeping every backend-independent rule here (what counts as
JSON, how an event is hashed, how a loaded chain is checked) means the SQLite and PostgreSQL
backends cannot drift apart, and :mod:`socialwork_procurement.testing.store_contract` can
hold any backend to the same guarantees.

Hash chain: every stored event carries ``hash = sha256(canonical JSON of its envelope)``
where the envelope includes the previous event's hash (``prev_hash``; the first event of a
case links to :data:`GENESIS_HASH`). Editing, deleting or reordering a stored row therefore
breaks the chain, and every read (``load``, ``verify``, ``load_snapshot``, ``stream``)
recomputes what it returns. The chain is tamper-*evident* against edits made outside the
API; whoever can rewrite the whole table can also recompute every hash, so anchor head
hashes somewhere else (a signed report, another system) if that threat matters.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Protocol, Self, runtime_checkable

import attrs

from .._errors import ProcurementError, TamperDetected

if TYPE_CHECKING:
    from types import TracebackType

__all__ = [
    "BackendNotInstalled",
    "CaseSummary",
    "EventStore",
    "GENESIS_HASH",
    "InvalidSnapshot",
    "NewEvent",
    "PayloadNotJSON",
    "Snapshot",
    "StoreBusy",
    "StoreContextMixin",
    "StoreUnavailable",
    "StoredEvent",
    "canonical_json",
    "check_append_args",
    "check_case_id",
    "check_chain",
    "check_count",
    "check_loaded",
    "check_snapshot_row",
    "decode_event",
    "event_hash",
    "load_from_snapshot",
    "payload_json",
    "snapshot_hash",
    "utc_isoformat",
]

GENESIS_HASH: Final = "0" * 64
"""``prev_hash`` of a case's first event: a fixed anchor so version 1 is chained too."""

_HEX64 = re.compile(r"[0-9a-f]{64}")
_INT32_MAX: Final = 2**31 - 1


# --------------------------------------------------------------------------- errors


class PayloadNotJSON(ProcurementError, TypeError):
    """A payload holds something JSON cannot represent exactly; nothing was stored.

    ``path`` is the JSON path of the offending value (``$.items[2].amount``), because the
    usual culprit is one ``Decimal`` deep inside a payload: store money as a string.
    """

    def __init__(self, path: str, message: str) -> None:
        self.path = path
        super().__init__(f"{path}: {message}")


class InvalidSnapshot(ProcurementError, ValueError):
    """A snapshot does not describe an event that is in the store (caller error)."""


class StoreBusy(ProcurementError, TimeoutError):
    """The store stayed locked by other writers for longer than the configured timeout."""


class StoreUnavailable(ProcurementError, RuntimeError):
    """The store cannot be used: closed, or its database cannot give the promised guarantees.

    Raised rather than degrading silently, e.g. when SQLite refuses WAL mode (``:memory:``,
    some network file systems) or the database schema is newer than this library.
    """


class BackendNotInstalled(StoreUnavailable, ImportError):
    """An optional dependency of a store backend is not installed."""


# --------------------------------------------------------------------------- JSON


def _to_json_value(value: object, path: str) -> Any:
    """Return a plain ``dict``/``list``/scalar copy of *value*, or raise PayloadNotJSON.

    Stricter than :func:`json.dumps` on purpose: ``json`` silently turns ``{1: "a"}`` into
    ``{"1": "a"}`` and tuples into lists, so what you would load back differs from what
    you stored. Refusing non-``str`` keys, NaN and infinities keeps store round trips exact.
    """
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PayloadNotJSON(path, f"{value!r} has no JSON representation")
        return value
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise PayloadNotJSON(path, f"key {key!r} is {type(key).__name__}; JSON object keys must be str")
            out[key] = _to_json_value(item, f"{path}.{key}")
        return out
    if isinstance(value, list | tuple):
        return [_to_json_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    hint = ""
    if isinstance(value, Decimal):
        hint = "; store decimal amounts as strings, e.g. str(amount)"
    raise PayloadNotJSON(path, f"{type(value).__name__} is not JSON-compatible{hint}")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# Built once: json.dumps() with non-default options constructs a new encoder per call,
# which dominated the cost of hashing on every load.
_json_str = json.JSONEncoder(ensure_ascii=False).encode
"""JSON string literal of a str, exactly as :data:`_CANONICAL` writes strings."""


def canonical_json(value: object) -> str:
    """The one JSON text that hashes are computed over.

    ``sort_keys=True`` and compact separators make the text independent of dict insertion
    order; ``ensure_ascii=False`` keeps Chinese text readable in the database (the text is
    stored as UTF-8). Raises :class:`PayloadNotJSON` for anything that would not round-trip.
    """
    try:
        plain = _to_json_value(value, "$")
        text = _CANONICAL.encode(plain)
    except RecursionError:
        raise PayloadNotJSON("$", "nested too deeply (or circular)") from None
    except ValueError as exc:  # e.g. an int too long to convert to text
        raise PayloadNotJSON("$", str(exc)) from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise PayloadNotJSON("$", "contains a lone surrogate; text must be valid Unicode") from None
    return text


def payload_json(payload: Mapping[str, Any]) -> str:
    """Canonical JSON of an event or snapshot payload, which must be a JSON object."""
    if not isinstance(payload, Mapping):
        raise PayloadNotJSON("$", f"payload must be a mapping, not {type(payload).__name__}")
    return canonical_json(payload)


def _compose(fields: Mapping[str, str]) -> str:
    """A canonical JSON object from already-canonical member texts (keys sorted)."""
    return "{" + ",".join(f"{_json_str(k)}:{fields[k]}" for k in sorted(fields)) + "}"


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_hash(
    *,
    case_id: str,
    version: int,
    event_type: str,
    schema_version: int,
    payload_json: str,
    recorded_at: str,
    prev_hash: str,
) -> str:
    """sha256 hex of the canonical JSON envelope of one event.

    Equal to ``sha256(canonical_json({"case_id": ..., "version": ..., "event_type": ...,
    "schema_version": ..., "payload": payload, "recorded_at": isoformat, "prev_hash": ...}))``
    but built from the stored payload text directly: no re-serialisation on every load, and
    a stored payload that was rewritten to different-but-equivalent JSON is still caught.
    """
    # Members in sorted key order, as canonical_json would write them (a test checks that).
    return _sha256(
        f'{{"case_id":{_json_str(case_id)},"event_type":{_json_str(event_type)},'
        f'"payload":{payload_json},"prev_hash":{_json_str(prev_hash)},'
        f'"recorded_at":{_json_str(recorded_at)},"schema_version":{int(schema_version)},'
        f'"version":{int(version)}}}'
    )


def snapshot_hash(*, case_id: str, version: int, state_type: str, payload_json: str, event_hash: str) -> str:
    """sha256 hex of a snapshot's canonical JSON, so an edited snapshot row is noticed."""
    return _sha256(
        _compose(
            {
                "case_id": _json_str(case_id),
                "version": str(int(version)),
                "state_type": _json_str(state_type),
                "payload": payload_json,
                "event_hash": _json_str(event_hash),
            }
        )
    )


# --------------------------------------------------------------------------- records


def _check_name(what: str, value: object) -> None:
    """Identifiers must be non-empty, valid Unicode and NUL-free (PostgreSQL text refuses NUL)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    if not value or "\x00" in value:
        raise ValueError(f"{what} must be a non-empty string without NUL characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(f"{what} must be valid Unicode (no lone surrogates)") from None


def _name_validator(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    _check_name(attribute.name, value)


def _positive_int32(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{attribute.name} must be int, not {type(value).__name__}")
    if not 1 <= value <= _INT32_MAX:
        raise ValueError(f"{attribute.name} must be between 1 and {_INT32_MAX}, got {value}")


def _mapping(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Mapping):
        raise TypeError(f"{attribute.name} must be a mapping, not {type(value).__name__}")


def _utc(value: datetime) -> datetime:
    """Accept only aware UTC datetimes: a store must not guess what a naive time meant."""
    if not isinstance(value, datetime):
        raise TypeError(f"recorded_at must be a datetime, not {type(value).__name__}")
    offset = value.utcoffset()
    if offset is None:
        raise ValueError("recorded_at must be timezone-aware UTC, got a naive datetime")
    if offset:
        raise ValueError(f"recorded_at must be UTC, got offset {offset}; convert with .astimezone(datetime.UTC)")
    return value.astimezone(UTC)


@attrs.frozen
class NewEvent:
    """An event to append. ``payload`` must be JSON-compatible (checked when appended).

    The payload check happens inside the append transaction, event by event, so an append
    whose third event is bad leaves nothing behind (the contract suite tests exactly that).
    Decimals are refused: store money as strings so no precision is lost in JSON.
    """

    event_type: str = attrs.field(validator=_name_validator)
    schema_version: int = attrs.field(validator=_positive_int32)
    payload: Mapping[str, Any] = attrs.field(validator=_mapping)
    recorded_at: datetime = attrs.field(converter=_utc)


@attrs.frozen
class StoredEvent:
    """An event as stored: ``version`` is 1-based and contiguous per case; ``position`` is
    the global commit order across the store (strictly increasing, may have gaps)."""

    case_id: str
    version: int
    position: int
    event_type: str
    schema_version: int
    payload: Mapping[str, Any]
    recorded_at: datetime
    prev_hash: str
    hash: str

    def computed_hash(self) -> str:
        """Recompute this event's hash from its fields (equals ``hash`` unless tampered)."""
        return event_hash(
            case_id=self.case_id,
            version=self.version,
            event_type=self.event_type,
            schema_version=self.schema_version,
            payload_json=canonical_json(self.payload),
            recorded_at=self.recorded_at.isoformat(),
            prev_hash=self.prev_hash,
        )


@attrs.frozen
class CaseSummary:
    """One case as listed by :meth:`EventStore.list_cases` (no events loaded).

    ``first_recorded_at`` / ``last_recorded_at`` are the ``recorded_at`` of version 1 and of
    the latest version.
    """

    case_id: str
    version: int
    first_recorded_at: datetime
    last_recorded_at: datetime


def _hex64(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ValueError(f"{attribute.name} must be 64 lowercase hex digits")


@attrs.frozen
class Snapshot:
    """Folded state of a case up to ``version``, so long cases need not replay everything.

    ``event_hash`` is the hash of the event at ``version``: it pins the snapshot to one
    exact history, and events loaded after it must chain from it
    (see :func:`load_from_snapshot`). A snapshot is a cache: it can always be rebuilt from
    the events, and the store keeps only the newest one per case.
    """

    case_id: str = attrs.field(validator=_name_validator)
    version: int = attrs.field(validator=_positive_int32)
    state_type: str = attrs.field(validator=_name_validator)
    payload: Mapping[str, Any] = attrs.field(validator=_mapping)
    event_hash: str = attrs.field(validator=_hex64)


# --------------------------------------------------------------------------- protocol


@runtime_checkable
class EventStore(Protocol):
    """Durable, append-only storage of per-case event streams.

    Guarantees every implementation gives (checked by ``EventStoreContract``):

    * ``append`` is all-or-nothing and optimistic: it succeeds only if the case is still at
      ``expected_version`` (0 for a new case), else raises ``ConcurrencyConflict`` and
      stores nothing. Two writers can never both store a version.
    * versions are 1..n without gaps; ``position`` follows commit order across all cases,
      so a reader following ``stream(after_position=last_seen)`` never misses an event.
    * reads verify the hash chain of what they return and raise ``TamperDetected``.
    * stored events cannot be updated or deleted through the database either (triggers).
    """

    def append(self, case_id: str, expected_version: int, events: Sequence[NewEvent]) -> tuple[StoredEvent, ...]:
        """Store *events* as versions ``expected_version+1 ...`` atomically; return them."""
        ...

    def load(self, case_id: str, *, after_version: int = 0) -> tuple[StoredEvent, ...]:
        """Events of a case with version > *after_version*, verified; ``()`` if unknown."""
        ...

    def version(self, case_id: str) -> int:
        """Latest version of a case; 0 if the store has no such case."""
        ...

    def list_cases(self) -> tuple[CaseSummary, ...]:
        """All cases, ordered by ``case_id`` (code-point order)."""
        ...

    def stream(self, *, after_position: int = 0, limit: int | None = None) -> Iterator[StoredEvent]:
        """Events of all cases with position > *after_position*, in commit order."""
        ...

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep *snapshot* unless the store already holds a newer one for the case."""
        ...

    def load_snapshot(self, case_id: str) -> Snapshot | None:
        """The newest snapshot of a case (verified against the chain), or None."""
        ...

    def verify(self, case_id: str) -> None:
        """Check the whole chain from genesis (and the snapshot); ``CaseNotFound`` if unknown."""
        ...

    def close(self) -> None:
        """Release the connection; idempotent. Later calls raise ``StoreUnavailable``."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


# --------------------------------------------------------------------------- backend helpers
# Shared by the backends so both check arguments and chains identically.


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
    if isinstance(events, NewEvent) or not isinstance(events, Sequence):
        raise TypeError("events must be a sequence of NewEvent")
    if not events:
        raise ValueError("append needs at least one event")
    for event in events:
        if not isinstance(event, NewEvent):
            raise TypeError(f"events must be NewEvent instances, got {type(event).__name__}")


def utc_isoformat(value: datetime) -> str:
    """The text form of a timestamp that enters the hash (``+00:00`` suffix)."""
    return value.astimezone(UTC).isoformat()


def decode_event(
    *,
    case_id: str,
    version: int,
    position: int,
    event_type: str,
    schema_version: int,
    payload_text: str,
    recorded_at: str | datetime,
    prev_hash: str,
    stored_hash: str,
) -> StoredEvent:
    """Build a StoredEvent from a database row, refusing rows whose hash does not recompute."""
    recorded_iso = recorded_at if isinstance(recorded_at, str) else utc_isoformat(recorded_at)
    recomputed = event_hash(
        case_id=case_id,
        version=version,
        event_type=event_type,
        schema_version=schema_version,
        payload_json=payload_text,
        recorded_at=recorded_iso,
        prev_hash=prev_hash,
    )
    if recomputed != stored_hash:
        raise TamperDetected(case_id, version, "stored hash does not match the event's content")
    try:
        payload = json.loads(payload_text)
        when = datetime.fromisoformat(recorded_iso)
    except ValueError:
        raise TamperDetected(case_id, version, "stored payload or timestamp is malformed") from None
    if not isinstance(payload, dict) or when.utcoffset() is None:
        raise TamperDetected(case_id, version, "stored payload or timestamp is malformed")
    return StoredEvent(
        case_id=case_id,
        version=version,
        position=position,
        event_type=event_type,
        schema_version=schema_version,
        payload=payload,
        recorded_at=when.astimezone(UTC),
        prev_hash=prev_hash,
        hash=stored_hash,
    )


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
    event: StoredEvent | None,
) -> Snapshot:
    """Verify a stored snapshot (its own hash, and that *event* — the decoded event at its
    version — is the one it was taken from) and return it."""
    recomputed = snapshot_hash(
        case_id=case_id,
        version=version,
        state_type=state_type,
        payload_json=payload_text,
        event_hash=event_hash_,
    )
    if recomputed != stored_hash:
        raise TamperDetected(case_id, version, "snapshot hash does not match its content")
    if event is None or event.hash != event_hash_:
        raise TamperDetected(case_id, version, "snapshot does not match the stored event it names")
    try:
        payload = json.loads(payload_text)
    except ValueError:
        raise TamperDetected(case_id, version, "snapshot payload is malformed") from None
    return Snapshot(
        case_id=case_id,
        version=version,
        state_type=state_type,
        payload=payload,
        event_hash=event_hash_,
    )


def load_from_snapshot(store: EventStore, case_id: str) -> tuple[Snapshot | None, tuple[StoredEvent, ...]]:
    """The newest snapshot of a case and the events after it, checked to chain from it.

    Without a snapshot, returns ``(None, all events)``. This is how a repository should
    rebuild state: fold the returned events onto ``snapshot.payload``.
    """
    snapshot = store.load_snapshot(case_id)
    if snapshot is None:
        return None, store.load(case_id)
    events = store.load(case_id, after_version=snapshot.version)
    if events and events[0].prev_hash != snapshot.event_hash:
        raise TamperDetected(case_id, events[0].version, "events do not chain from the snapshot")
    return snapshot, events


class StoreContextMixin:
    """``with store:`` closes the store; shared so backends only write ``close``."""

    def close(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
