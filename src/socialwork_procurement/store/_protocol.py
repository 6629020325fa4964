"""Event envelopes, the :class:`EventStore` protocol, canonical JSON and the hash formulas.

Why this module exists apart from the lifecycle code: a procurement case is the sequence of
its events, so the store is the system of record that an audit (审计) or a dispute falls back
on. The store therefore knows nothing about the state machine; it stores *envelopes* whose
payload is already JSON data. This module defines the data and the storage format (what
counts as JSON, how an event is hashed); :mod:`._core` is the one engine that enforces it
for every backend, and :mod:`socialwork_procurement.testing.store_contract` holds any
backend to the same guarantees.

Hash chain: every stored event carries a hash of its canonical JSON envelope, which
includes the previous event's hash (``prev_hash``; the first event of a case links to
:data:`GENESIS_HASH`) and, from schema 2 on, its stream position; the row names its
:class:`HashScheme` (sha256, or HMAC-SHA256 under a store key). Editing, deleting,
reordering or moving a stored row therefore breaks the chain, and every read (``load``,
``verify``, ``load_snapshot``, ``stream``) recomputes what it returns. Unkeyed, the chain is
tamper-*evident* against accidental and naive edits only: whoever can rewrite the tables
can recompute sha256 too. Keyed, it holds against anyone without the key. Neither notices a
whole database rolled back to an earlier, genuine state, so anchor head hashes somewhere
else (a signed report, another system) if that threat matters; ``docs/event-store.md``
spells out what each level proves.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
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
    "CaseVerification",
    "EventStore",
    "GENESIS_HASH",
    "HashScheme",
    "InvalidSnapshot",
    "NewEvent",
    "PayloadNotJSON",
    "Snapshot",
    "StoreBusy",
    "StoreUnavailable",
    "StoreVerification",
    "StoredEvent",
    "canonical_json",
    "event_hash",
    "load_from_snapshot",
    "payload_json",
    "snapshot_hash",
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
    return _json_value(value, path, 0)


MAX_PAYLOAD_DEPTH: Final = 64
"""Library policy: how deeply a stored payload may nest. No source says anything of storage; the
limit keeps every stored event readable whatever the reader's stack depth (a value nested
thousands deep can be written by the C encoder and then not be read back)."""


def _json_value(value: object, path: str, depth: int) -> Any:
    if value is None or isinstance(value, str | bool | int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise PayloadNotJSON(path, f"{value!r} has no JSON representation")
        return value
    if isinstance(value, Mapping | list | tuple) and depth >= MAX_PAYLOAD_DEPTH:
        raise PayloadNotJSON(path, f"nested deeper than {MAX_PAYLOAD_DEPTH} levels (this library's limit)")
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise PayloadNotJSON(path, f"key {key!r} is {type(key).__name__}; JSON object keys must be str")
            out[key] = _json_value(item, f"{path}.{key}", depth + 1)
        return out
    if isinstance(value, list | tuple):
        return [_json_value(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
    hint = ""
    if isinstance(value, Decimal):
        hint = "; store decimal amounts as strings, e.g. str(amount)"
    raise PayloadNotJSON(path, f"{type(value).__name__} is not JSON-compatible{hint}")


_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# Built once: json.dumps() with non-default options constructs a new encoder per call,
# which dominated the cost of hashing on every load.
_json_str = json.JSONEncoder(ensure_ascii=False).encode
"""JSON string literal of a str, exactly as :data:`_CANONICAL` writes strings."""
_quote: Callable[[str], str] = json.encoder.encode_basestring
"""What :data:`_json_str` returns for a ``str`` (it calls this), without the method call in
between; a non-str raises TypeError instead of being encoded. For the store's hot paths."""
_raw_decode = json.JSONDecoder().raw_decode


def _refuse(value: object) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _c_canonical() -> Callable[[object], str] | None:
    """:data:`_CANONICAL`'s ``encode`` without building a C encoder on every call (what
    ``JSONEncoder.encode`` does): the same settings, built once, but without the circular
    reference check, so it keeps no state between calls (a circular payload ends in a
    RecursionError instead). None where the C accelerator is missing or differs."""
    make = getattr(json.encoder, "c_make_encoder", None)
    try:
        encode = make(None, _refuse, json.encoder.encode_basestring, None, ":", ",", True, False, False)  # type: ignore[misc]
        sample = {"b": [1, 2.5, None, True, -0.0, 1e16], "a": {"名称": "社工", "z": "\x00\n"}}
        if "".join(encode(sample, 0)) != _CANONICAL.encode(sample):
            return None
    except Exception:  # an interpreter without it, or with another signature
        return None
    return lambda value: "".join(encode(value, 0))


_fast_canonical = _c_canonical() or _CANONICAL.encode


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


def _loads(text: str) -> Any:
    """``json.loads(text)``, the same value and errors, faster for the compact text the store writes.

    ``json.loads`` strips whitespace around the document with two regular-expression calls;
    the canonical text has none, so the document is decoded directly and anything else
    (whitespace, trailing data, an error to report) is left to ``json.loads`` itself.
    """
    try:
        value, end = _raw_decode(text)
    except ValueError:
        return json.loads(text)
    return value if end == len(text) else json.loads(text)


def _encode_payload(payload: Mapping[str, Any]) -> tuple[str, Any]:
    """:func:`payload_json` of *payload*, and the value reading that text back gives.

    An append needs both (the text to hash and store, the value to return), so each is made
    once. A plain ``dict`` goes straight to the C encoder (sorted keys, NaN and unknown types
    refused) and the text is decoded again. If the decoded value equals the payload, the
    payload held nothing the strict walk of :func:`canonical_json` would refuse or change (a
    non-str key comes back a str key, a tuple a list, so they compare unequal), and the text
    is exactly what it writes. Everything else takes the strict path, which names the
    offending JSON path in its :class:`PayloadNotJSON`.
    """
    if type(payload) is dict:
        try:
            text = _fast_canonical(payload)
            text.encode("utf-8")  # a lone surrogate: the strict path names it
        except (TypeError, ValueError, RecursionError):
            pass
        else:
            # Fewer brackets than the depth limit bounds the nesting (the strict walk checks it
            # otherwise); the C encoder alone would write values too deep to read back.
            if text.count("[") + text.count("{") <= MAX_PAYLOAD_DEPTH:
                try:
                    value = _loads(text)
                    same = value == payload
                except RecursionError:
                    same = False
                if same:
                    return text, value
    text = payload_json(payload)
    return text, json.loads(text)


def _compose(fields: Mapping[str, str]) -> str:
    """A canonical JSON object from already-canonical member texts (keys sorted)."""
    return "{" + ",".join(f"{_json_str(k)}:{fields[k]}" for k in sorted(fields)) + "}"


class HashScheme(enum.IntEnum):
    """How one stored event's (or snapshot's) hash was computed; stored beside the hash.

    Every stored row names its scheme, so data written by an older library stays readable
    while new rows get the stronger scheme. Which schemes a store accepts where is decided
    by the store (see ``docs/event-store.md``): a keyed store refuses unkeyed rows written
    after it was keyed, so recomputing hashes without the key cannot pass.
    """

    LEGACY = 1
    """sha256 of the envelope without ``position`` (stores written before schema 2)."""
    SHA256 = 2
    """sha256 of the envelope with ``position`` and ``hash_scheme``: unkeyed stores."""
    HMAC_SHA256 = 3
    """HMAC-SHA256 under the store's secret key, same envelope: keyed stores."""


_UNKEYED: Final = frozenset({HashScheme.LEGACY, HashScheme.SHA256})


def _digester(scheme: int, key: bytes | None) -> Callable[[str], str]:
    """``lambda text: _digest(text, scheme, key)``, with the scheme and key checked once."""
    if scheme == HashScheme.HMAC_SHA256 and key is not None:
        secret = key
        return lambda text: hmac.digest(secret, text.encode("utf-8"), "sha256").hex()
    if scheme in _UNKEYED and key is None:
        sha256 = hashlib.sha256
        return lambda text: sha256(text.encode("utf-8")).hexdigest()
    return lambda text: _digest(text, scheme, key)  # raises the error that explains why


def _event_text(
    case_json: str,
    type_json: str,
    schema_version: int,
    payload_json: str,
    recorded_json: str,
    prev_json: str,
    version: int,
    position: int | None,
    scheme: int,
) -> str:
    """The canonical envelope :func:`event_hash` hashes, from members already JSON-encoded.

    Members are in sorted key order, as :func:`canonical_json` writes them (a test checks
    that). The ``:d`` formats refuse anything but an int, so a number stored as text or as a
    float cannot spell the same envelope as the int it imitates.
    """
    if scheme == HashScheme.LEGACY:
        return (
            f'{{"case_id":{case_json},"event_type":{type_json},"payload":{payload_json},'
            f'"prev_hash":{prev_json},"recorded_at":{recorded_json},"schema_version":{schema_version:d},'
            f'"version":{version:d}}}'
        )
    if position is None:
        raise ValueError(f"hash scheme {int(scheme)} covers the position; give it")
    return (
        f'{{"case_id":{case_json},"event_type":{type_json},"hash_scheme":{scheme:d},'
        f'"payload":{payload_json},"position":{position:d},"prev_hash":{prev_json},'
        f'"recorded_at":{recorded_json},"schema_version":{schema_version:d},"version":{version:d}}}'
    )


def _digest(text: str, scheme: int, key: bytes | None) -> str:
    data = text.encode("utf-8")
    if scheme in _UNKEYED and key is None:
        return hashlib.sha256(data).hexdigest()
    if scheme == HashScheme.HMAC_SHA256:
        if key is None:
            raise ValueError("hash scheme 3 (HMAC-SHA256) needs the store key")
        return hmac.digest(key, data, "sha256").hex()
    if scheme in _UNKEYED:
        raise ValueError(f"hash scheme {int(scheme)} is unkeyed; a key was given")
    raise ValueError(f"unknown hash scheme {scheme!r}")


def event_hash(
    *,
    case_id: str,
    version: int,
    event_type: str,
    schema_version: int,
    payload_json: str,
    recorded_at: str,
    prev_hash: str,
    position: int | None = None,
    scheme: int = HashScheme.LEGACY,
    key: bytes | None = None,
) -> str:
    """Hex hash of the canonical JSON envelope of one event.

    Scheme 1 (:attr:`HashScheme.LEGACY`) is ``sha256(canonical_json({"case_id": ...,
    "version": ..., "event_type": ..., "schema_version": ..., "payload": payload,
    "recorded_at": isoformat, "prev_hash": ...}))``. Schemes 2 and 3 add ``"position"`` (so
    moving a row in the stream is noticed) and ``"hash_scheme"`` to the envelope, and scheme
    3 takes ``HMAC-SHA256(key, text)`` instead of ``sha256(text)``. Built from the stored
    payload text directly: no re-serialisation on every load, and a stored payload that was
    rewritten to different-but-equivalent JSON is still caught.
    """
    text = _event_text(
        _json_str(case_id),
        _json_str(event_type),
        int(schema_version),
        payload_json,
        _json_str(recorded_at),
        _json_str(prev_hash),
        int(version),
        None if scheme == HashScheme.LEGACY or position is None else int(position),
        int(scheme),
    )
    return _digest(text, scheme, key)


def snapshot_hash(
    *,
    case_id: str,
    version: int,
    state_type: str,
    payload_json: str,
    event_hash: str,
    scheme: int = HashScheme.LEGACY,
    key: bytes | None = None,
) -> str:
    """Hex hash of a snapshot's canonical JSON (with ``"hash_scheme"`` from scheme 2 on;
    HMAC under the store key for scheme 3), so an edited snapshot row is noticed."""
    fields = {
        "case_id": _json_str(case_id),
        "version": str(int(version)),
        "state_type": _json_str(state_type),
        "payload": payload_json,
        "event_hash": _json_str(event_hash),
    }
    if scheme != HashScheme.LEGACY:
        fields["hash_scheme"] = str(int(scheme))
    return _digest(_compose(fields), scheme, key)


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

    The payload check happens when the event is appended, for every event before anything
    is written, so an append whose third event is bad leaves nothing behind (the contract
    suite tests exactly that); a stale append is a conflict first.
    Decimals are refused: store money as strings so no precision is lost in JSON.
    """

    event_type: str = attrs.field(validator=_name_validator)
    schema_version: int = attrs.field(validator=_positive_int32)
    payload: Mapping[str, Any] = attrs.field(validator=_mapping)
    recorded_at: datetime = attrs.field(converter=_utc)


@attrs.frozen
class StoredEvent:
    """An event as stored: ``version`` is 1-based and contiguous per case; ``position`` is
    the global commit order across the store (strictly increasing, may have gaps).
    ``hash_scheme`` says how ``hash`` was computed (:class:`HashScheme`)."""

    case_id: str
    version: int
    position: int
    event_type: str
    schema_version: int
    payload: Mapping[str, Any]
    recorded_at: datetime
    prev_hash: str
    hash: str
    hash_scheme: int = HashScheme.LEGACY

    def computed_hash(self, key: bytes | None = None) -> str:
        """Recompute this event's hash from its fields (equals ``hash`` unless tampered);
        *key* is the store key, needed for :attr:`HashScheme.HMAC_SHA256`."""
        return event_hash(
            case_id=self.case_id,
            version=self.version,
            event_type=self.event_type,
            schema_version=self.schema_version,
            payload_json=canonical_json(self.payload),
            recorded_at=self.recorded_at.isoformat(),
            prev_hash=self.prev_hash,
            position=self.position,
            scheme=self.hash_scheme,
            key=key,
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
    exact history. Loading a snapshot checks its own hash, that the stored event at
    ``version`` still has that hash, and the chain from there to the stream head (see
    :func:`load_from_snapshot`). A snapshot is a cache: it can always be rebuilt from the
    events, and the store keeps only the newest one per case.
    """

    case_id: str = attrs.field(validator=_name_validator)
    version: int = attrs.field(validator=_positive_int32)
    state_type: str = attrs.field(validator=_name_validator)
    payload: Mapping[str, Any] = attrs.field(validator=_mapping)
    event_hash: str = attrs.field(validator=_hex64)


@attrs.frozen
class CaseVerification:
    """What :meth:`EventStore.verify` checked for one case, all of it intact.

    Every event 1..``version`` recomputed to its stored hash, linked to the one before, and
    the last one is the stream head ``head_hash``; the snapshot (if any) matched its own hash
    and the event it names. ``keyed`` is True when the head event is HMAC-keyed, which
    authenticates the whole case (each hash covers the one before it); False in an unkeyed
    store, or for a case not appended to since a key was adopted. ``legacy_events`` counts
    events hashed before schema 2, whose stream position their hash does not cover.
    """

    case_id: str
    version: int
    head_hash: str
    keyed: bool
    legacy_events: int
    snapshot_version: int | None


@attrs.frozen
class StoreVerification:
    """What :meth:`EventStore.verify_all` found: every case, all problems at once.

    ``cases`` are the cases that verified; ``problems`` holds one :class:`TamperDetected`
    per case that did not (raise one to fail loudly). ``broken_triggers`` are append-only
    triggers missing, disabled or altered at the time of the check; ``restored_triggers``
    are those this store object found so when it opened, and recreated. ``keyed_since`` is
    the first stream position the store key covers (None for an unkeyed store).
    """

    cases: tuple[CaseVerification, ...]
    problems: tuple[TamperDetected, ...]
    broken_triggers: tuple[str, ...]
    restored_triggers: tuple[str, ...]
    keyed_since: int | None

    @property
    def ok(self) -> bool:
        """No case failed and every append-only trigger is in place."""
        return not self.problems and not self.broken_triggers


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
    * reads verify the hash chain of what they return and raise ``TamperDetected``; the
      hash covers the stream position, and a snapshot is verified with the chain above it.
    * stored events cannot be updated or deleted through the database either (triggers,
      recreated by a store that finds them dropped or altered when it opens).
    * faults of the database (not a database, corrupt, full, read-only, lost connection)
      raise :class:`~.._errors.StoreError`, never a driver exception.
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

    def verify(self, case_id: str) -> CaseVerification:
        """Check the whole chain from genesis (and the snapshot); ``CaseNotFound`` if unknown,
        ``TamperDetected`` at the first problem."""
        ...

    def verify_all(self) -> StoreVerification:
        """Check every case (events without a head and orphan snapshots included) and the
        append-only triggers; returns every problem instead of raising the first."""
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
