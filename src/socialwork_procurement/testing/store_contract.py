"""The behaviour every :class:`~socialwork_procurement.store._protocol.EventStore` backend must show.

Why a shared suite: a procurement case's event stream is the legal record, so a second
backend (ours for PostgreSQL, or yours) must give exactly the same guarantees, not roughly
similar ones. Subclass :class:`EventStoreContract` in a test module and pytest runs all of
it against your backend — the pattern of the ``eventsourcing`` library's recorder tests.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .._errors import CaseNotFound, ConcurrencyConflict, TamperDetected
from ..store._protocol import (
    GENESIS_HASH,
    CaseVerification,
    EventStore,
    HashScheme,
    InvalidSnapshot,
    NewEvent,
    PayloadNotJSON,
    Snapshot,
    StoredEvent,
    StoreUnavailable,
    canonical_json,
    event_hash,
    load_from_snapshot,
    snapshot_hash,
)

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["EventStoreContract", "StoreFactory"]

T0 = datetime(2024, 3, 1, 8, 30, tzinfo=UTC)

GOLDEN_HASH = "74b9bb870d1ba473d7feb27121822dedfec0784ad7261d9db571377ba455bb90"
"""Scheme-1 (legacy) hash of the event in :meth:`EventStoreContract.test_hash_is_stable_across_backends`.

If this ever changed, every store written before schema 2 would fail verification: the hash
format is a storage format, so it is pinned here (and each newer scheme beside it).
"""

GOLDEN_HASH_V2 = "cf904afff926e61fe18ae462db674e0e521c162f98fc8191094a41276d302c2d"
"""Scheme-2 hash of that event stored at position 1 (what an unkeyed store writes today)."""

GOLDEN_HMAC = "adf92fe7f68c4f19051405eb6721b3d46aab4de81f457860dd5aecd3cf7bcde1"
"""Scheme-3 hash of that event at position 1 under :data:`TEST_KEY` (a keyed store)."""

TEST_KEY = b"contract-suite-key-0123456789abcdef"
"""A store key for the keyed tests (never use a published key for real data)."""

OTHER_KEY = b"someone-else-key-0123456789abcdef"


class StoreFactory(Protocol):
    """The ``make_store`` fixture's value (see :class:`EventStoreContract`)."""

    def __call__(
        self, database: str = "main", *, key: bytes | str | None = None, adopt_key: bool = False
    ) -> EventStore: ...


def event(n: int = 0, event_type: str = "Noted", **payload: Any) -> NewEvent:
    """A small valid event; *n* shifts ``recorded_at`` so events are distinguishable."""
    return NewEvent(
        event_type=event_type,
        schema_version=1,
        payload=payload or {"n": n},
        recorded_at=T0 + timedelta(seconds=n),
    )


_GOLDEN_EVENT = event(0, "Opened", 名称="社工", amount="1.10", items=[1, [2, 3]])
_GOLDEN_ENVELOPE: dict[str, Any] = {
    "case_id": "golden",
    "version": 1,
    "event_type": "Opened",
    "schema_version": 1,
    "payload": {"名称": "社工", "amount": "1.10", "items": [1, [2, 3]]},
    "recorded_at": "2024-03-01T08:30:00+00:00",
    "prev_hash": GENESIS_HASH,
}
"""The golden event, and its envelope as the hash formulas document it (scheme 1 members)."""


def normalised(payload: Mapping[str, Any]) -> Any:
    """What a payload looks like after a JSON round trip (tuples become lists)."""
    return json.loads(canonical_json(payload))


def fresh_name(prefix: str) -> str:
    """A database name no other example of this test used."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=8)
)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
json_objects = st.dictionaries(st.text(max_size=6), _values, max_size=4)
"""Hypothesis strategy: JSON-compatible payloads (Chinese, NUL, floats, deep nesting)."""

_hypothesis = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        # make_store is function-scoped on purpose; each example asks it for a fresh database.
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        # The same test runs on every backend subclass. Generated inputs are backend-neutral,
        # so sharing saved examples between backends is harmless (even useful: an example that
        # broke SQLite is replayed against PostgreSQL).
        HealthCheck.differing_executors,
    ],
)


class EventStoreContract:
    """Contract tests for an event store backend; pytest collects them from subclasses.

    **The ``make_store`` fixture.** A subclass must define a fixture named ``make_store``
    returning a :class:`StoreFactory`::

        make_store(database: str = "main", *, key=None, adopt_key=False) -> EventStore

    * The first call with a given *database* name (within one test) returns a store on a
      new, **empty** database.
    * A later call with a name already used returns a **new store object with its own
      connection** to that same database. Race tests open several this way, and
      durability tests close a store and open the database again.
    * ``key`` and ``adopt_key`` are passed to the store's constructor (the keyed tests).
    * Names are short ``[a-z0-9-]`` identifiers; Hypothesis tests ask for a fresh name per
      example, so the factory must cope with dozens of names in one test.
    * At teardown the fixture closes every store it returned (``close`` is idempotent, so
      stores the test closed itself are fine) and deletes the databases.
    * Stores must be usable from other threads than the one that created them.

    **Administrator hooks.** Tamper tests need to reach past the API the way a database
    administrator could: change rows *bypassing* the append-only triggers. Override these
    methods; the defaults skip the test, so a backend without raw access still runs
    everything else:

    * ``tamper_row(store, case_id, version, columns)`` — set columns of one stored event:
      any of ``payload`` (JSON text), ``hash``, ``prev_hash``, ``hash_scheme``, ``version``,
      ``position``; nothing else changes.
    * ``tamper_head(store, case_id, columns)`` — set ``version`` and/or ``head_hash`` of a
      stream head row.
    * ``tamper_snapshot_row(store, case_id, columns)`` — set ``payload`` (JSON text),
      ``hash`` and/or ``hash_scheme`` of a stored snapshot.
    * ``tamper_delete(store, case_id, version)`` — delete one event row, leaving the stream
      head alone. ``tamper_delete_case(store, case_id)`` — delete all its events and its head.
    * ``drop_triggers(store)`` — remove (or disable) the append-only triggers, as someone
      preparing an edit would; the contract then expects a store that opens to restore them.
    * ``raw_update(store, case_id, version)`` / ``raw_delete(store, case_id, version)`` —
      a plain SQL UPDATE / DELETE of one event **without** bypassing anything. It must
      raise; the contract checks the error mentions ``append-only``.

    ``tamper``, ``tamper_move`` and ``tamper_snapshot`` (rewrite a payload, renumber an
    event, rewrite a snapshot payload) are built on the row hooks.

    Example::

        class TestMyStore(EventStoreContract):
            @pytest.fixture
            def make_store(self, tmp_path):
                opened = []
                def factory(database="main", **options):
                    store = MyStore(tmp_path / f"{database}.db", **options)
                    opened.append(store)
                    return store
                yield factory
                for store in opened:
                    store.close()
    """

    # ------------------------------------------------------------------ hooks

    def tamper_row(self, store: EventStore, case_id: str, version: int, columns: Mapping[str, Any]) -> None:
        pytest.skip(f"{type(self).__name__} provides no tamper_row() hook")

    def tamper_head(self, store: EventStore, case_id: str, columns: Mapping[str, Any]) -> None:
        pytest.skip(f"{type(self).__name__} provides no tamper_head() hook")

    def tamper_snapshot_row(self, store: EventStore, case_id: str, columns: Mapping[str, Any]) -> None:
        pytest.skip(f"{type(self).__name__} provides no tamper_snapshot_row() hook")

    def tamper_delete(self, store: EventStore, case_id: str, version: int) -> None:
        pytest.skip(f"{type(self).__name__} provides no tamper_delete() hook")

    def tamper_delete_case(self, store: EventStore, case_id: str) -> None:
        pytest.skip(f"{type(self).__name__} provides no tamper_delete_case() hook")

    def drop_triggers(self, store: EventStore) -> None:
        pytest.skip(f"{type(self).__name__} provides no drop_triggers() hook")

    def raw_update(self, store: EventStore, case_id: str, version: int) -> None:
        pytest.skip(f"{type(self).__name__} provides no raw_update() hook")

    def raw_delete(self, store: EventStore, case_id: str, version: int) -> None:
        pytest.skip(f"{type(self).__name__} provides no raw_delete() hook")

    def tamper(self, store: EventStore, case_id: str, version: int, new_payload: Mapping[str, Any]) -> None:
        """Rewrite one event's payload, leaving its hash alone (a naive edit)."""
        self.tamper_row(store, case_id, version, {"payload": canonical_json(new_payload)})

    def tamper_move(self, store: EventStore, case_id: str, version: int, new_version: int) -> None:
        self.tamper_row(store, case_id, version, {"version": new_version})

    def tamper_snapshot(self, store: EventStore, case_id: str, new_payload: Mapping[str, Any]) -> None:
        self.tamper_snapshot_row(store, case_id, {"payload": canonical_json(new_payload)})

    def rehash(
        self,
        store: EventStore,
        case_id: str,
        version: int,
        new_payload: Mapping[str, Any],
        *,
        key: bytes | None = None,
    ) -> None:
        """Forge like someone who read the docs: rewrite one payload, then recompute every
        hash from there to the head (and the head), with *key* if given, else plain sha256
        (scheme 2: an attacker without the key must downgrade)."""
        events = store.load(case_id)
        scheme = HashScheme.SHA256 if key is None else HashScheme.HMAC_SHA256
        prev = events[version - 2].hash if version > 1 else GENESIS_HASH
        for e in events[version - 1 :]:
            text = canonical_json(new_payload if e.version == version else e.payload)
            digest = event_hash(
                case_id=case_id,
                version=e.version,
                event_type=e.event_type,
                schema_version=e.schema_version,
                payload_json=text,
                recorded_at=e.recorded_at.isoformat(),
                prev_hash=prev,
                position=e.position,
                scheme=scheme,
                key=key,
            )
            self.tamper_row(
                store,
                case_id,
                e.version,
                {"payload": text, "prev_hash": prev, "hash": digest, "hash_scheme": int(scheme)},
            )
            prev = digest
        self.tamper_head(store, case_id, {"head_hash": prev})

    # ------------------------------------------------------------------ basics

    def test_new_store_is_empty(self, make_store: StoreFactory) -> None:
        store = make_store()
        assert isinstance(store, EventStore)
        assert store.version("none") == 0
        assert store.load("none") == ()
        assert store.list_cases() == ()
        assert list(store.stream()) == []
        assert store.load_snapshot("none") is None
        with pytest.raises(CaseNotFound):
            store.verify("none")
        report = store.verify_all()
        assert report.ok
        assert (report.cases, report.problems, report.broken_triggers) == ((), (), ())

    def test_round_trip_keeps_chinese_text_decimal_strings_and_nesting(self, make_store: StoreFactory) -> None:
        store = make_store()
        payload = {
            "项目名称": "社区养老社会工作服务项目（2024年度）",
            "budget": "1234567.89",
            "rate": "0.0600",
            "milestones": [["中期评估", "2024-06-30"], ["末期评估", ["2024-12-31", None]]],
            "flags": {"公开招标": True, "count": 3, "ratio": 0.25},
            "control": "\x00\t\n\u2028",
            "emoji": "👩‍🏫",
            "empty": {},
            "tuple_becomes_list": (1, 2),
        }
        stored = store.append("案件-001", 0, [event(1, "Opened", **payload)])
        loaded = store.load("案件-001")
        assert loaded == stored
        assert loaded[0].payload == normalised(payload)
        assert loaded[0].payload["budget"] == "1234567.89"
        assert Decimal(loaded[0].payload["budget"]) == Decimal("1234567.89")
        assert loaded[0].recorded_at == T0 + timedelta(seconds=1)
        assert loaded[0].recorded_at.utcoffset() == timedelta(0)
        assert loaded[0].event_type == "Opened"
        assert loaded[0].schema_version == 1

    def test_versions_are_contiguous_and_chained(self, make_store: StoreFactory) -> None:
        store = make_store()
        store.append("c", 0, [event(1)])
        store.append("c", 1, [event(2), event(3), event(4)])
        store.append("c", 4, [event(5)])
        loaded = store.load("c")
        assert [e.version for e in loaded] == [1, 2, 3, 4, 5]
        assert loaded[0].prev_hash == GENESIS_HASH
        for before, after in itertools.pairwise(loaded):
            assert after.prev_hash == before.hash
            assert after.position > before.position
        for e in loaded:
            assert e.hash == e.computed_hash()
        assert store.version("c") == 5

    def test_hash_is_stable_across_backends(self, make_store: StoreFactory) -> None:
        """The documented formula, pinned: sha256 of the canonical JSON envelope, which from
        schema 2 on includes the stream position and the hash scheme."""
        store = make_store()
        (stored,) = store.append("golden", 0, [_GOLDEN_EVENT])
        legacy = hashlib.sha256(canonical_json(_GOLDEN_ENVELOPE).encode("utf-8")).hexdigest()
        assert legacy == GOLDEN_HASH
        assert stored.position == 1  # the first event of a new database
        assert stored.hash_scheme == HashScheme.SHA256
        envelope = _GOLDEN_ENVELOPE | {"position": 1, "hash_scheme": 2}
        expected = hashlib.sha256(canonical_json(envelope).encode("utf-8")).hexdigest()
        assert stored.hash == expected == GOLDEN_HASH_V2
        assert store.load("golden") == (stored,)

    def test_keyed_hash_is_stable_across_backends(self, make_store: StoreFactory) -> None:
        """A keyed store's hash is HMAC-SHA256 under the key of the same envelope."""
        store = make_store(key=TEST_KEY)
        (stored,) = store.append("golden", 0, [_GOLDEN_EVENT])
        envelope = _GOLDEN_ENVELOPE | {"position": 1, "hash_scheme": 3}
        expected = hmac.new(TEST_KEY, canonical_json(envelope).encode("utf-8"), hashlib.sha256).hexdigest()
        assert stored.hash_scheme == HashScheme.HMAC_SHA256
        assert stored.hash == expected == GOLDEN_HMAC
        assert stored.computed_hash(TEST_KEY) == stored.hash
        assert store.verify("golden").keyed

    def test_load_after_version_returns_the_tail(self, make_store: StoreFactory) -> None:
        store = make_store()
        everything = store.append("c", 0, [event(i) for i in range(1, 6)])
        assert store.load("c", after_version=2) == everything[2:]
        assert store.load("c", after_version=5) == ()
        assert store.load("c", after_version=9) == ()
        assert store.load("c", after_version=0) == everything

    def test_argument_checks(self, make_store: StoreFactory) -> None:
        store = make_store()
        with pytest.raises(ValueError, match="at least one event"):
            store.append("c", 0, [])
        with pytest.raises(ValueError, match="expected_version"):
            store.append("c", -1, [event()])
        with pytest.raises(TypeError):
            store.append("c", True, [event()])
        with pytest.raises(ValueError, match="case_id"):
            store.append("", 0, [event()])
        with pytest.raises(TypeError):
            store.append("c", 0, [{"event_type": "X"}])  # type: ignore[list-item]
        with pytest.raises(ValueError, match="after_version"):
            store.load("c", after_version=-1)
        with pytest.raises(ValueError, match="limit"):
            list(store.stream(limit=-1))
        assert store.version("c") == 0

    # ------------------------------------------------------------------ concurrency

    def test_expected_version_mismatch_stores_nothing(self, make_store: StoreFactory) -> None:
        store = make_store()
        with pytest.raises(ConcurrencyConflict) as new_case:
            store.append("c", 1, [event(1)])
        assert (new_case.value.expected_version, new_case.value.actual_version) == (1, 0)
        assert store.load("c") == ()
        assert store.list_cases() == ()
        first = store.append("c", 0, [event(1), event(2)])
        for wrong in (0, 1, 3):
            with pytest.raises(ConcurrencyConflict) as info:
                store.append("c", wrong, [event(9)])
            assert info.value.case_id == "c"
            assert info.value.expected_version == wrong
            assert info.value.actual_version == 2
        assert store.load("c") == first
        assert list(store.stream()) == list(first)

    def test_failure_mid_append_stores_nothing(self, make_store: StoreFactory) -> None:
        """The 2nd event's payload cannot be serialised: the 1st must not be stored either."""
        store = make_store()
        (existing,) = store.append("c", 0, [event(1)])
        bad = NewEvent("Paid", 1, {"amount": Decimal("1.50")}, T0)
        with pytest.raises(PayloadNotJSON) as info:
            store.append("c", 1, [event(2), bad, event(3)])
        assert info.value.path == "$.amount"
        assert isinstance(info.value, TypeError)
        with pytest.raises(PayloadNotJSON):
            store.append("new", 0, [event(1), bad])
        assert store.load("c") == (existing,)
        assert store.version("new") == 0
        assert store.load("new") == ()
        assert [s.case_id for s in store.list_cases()] == ["c"]
        assert list(store.stream()) == [existing]
        (after,) = store.append("c", 1, [event(2)])
        assert after.version == 2
        assert after.prev_hash == existing.hash
        assert after.position > existing.position

    def test_two_connections_one_wins(self, make_store: StoreFactory) -> None:
        a, b = make_store("shared"), make_store("shared")
        a.append("c", 0, [event(1)])
        assert b.version("c") == 1  # committed data is visible to the other connection
        seen_by_a, seen_by_b = a.version("c"), b.version("c")
        a.append("c", seen_by_a, [event(2)])
        with pytest.raises(ConcurrencyConflict) as info:
            b.append("c", seen_by_b, [event(3)])
        assert info.value.actual_version == 2
        assert b.load("c") == a.load("c")
        assert [e.version for e in b.load("c")] == [1, 2]

    def test_concurrent_creates_exactly_one_wins(self, make_store: StoreFactory) -> None:
        stores = [make_store("race") for _ in range(4)]
        barrier = threading.Barrier(len(stores))
        outcomes: list[str] = []
        lock = threading.Lock()

        def writer(store: EventStore, n: int) -> None:
            barrier.wait()
            try:
                store.append("c", 0, [event(n, writer=n)])
                result = "won"
            except ConcurrencyConflict as exc:
                result = f"conflict@{exc.actual_version}"
            with lock:
                outcomes.append(result)

        threads = [threading.Thread(target=writer, args=(s, n)) for n, s in enumerate(stores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert sorted(outcomes) == ["conflict@1"] * 3 + ["won"]
        assert stores[0].version("c") == 1
        assert len(list(stores[1].stream())) == 1

    def test_concurrent_writers_with_retry_store_everything_once(self, make_store: StoreFactory) -> None:
        writers, per_writer = 3, 8
        stores = [make_store("retry") for _ in range(writers)]
        errors: list[BaseException] = []

        def writer(store: EventStore, w: int) -> None:
            try:
                for seq in range(per_writer):
                    while True:
                        try:
                            store.append("c", store.version("c"), [event(seq, w=w, seq=seq)])
                            break
                        except ConcurrencyConflict:
                            continue
            except BaseException as exc:  # pragma: no cover - reported below
                errors.append(exc)

        threads = [threading.Thread(target=writer, args=(s, w)) for w, s in enumerate(stores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert errors == []
        loaded = stores[0].load("c")
        assert [e.version for e in loaded] == list(range(1, writers * per_writer + 1))
        tags = Counter((e.payload["w"], e.payload["seq"]) for e in loaded)
        assert tags == Counter({(w, s): 1 for w in range(writers) for s in range(per_writer)})

    def test_tailing_reader_never_misses_an_event(self, make_store: StoreFactory) -> None:
        """``stream(after_position=last)`` polled during concurrent appends sees every event
        exactly once: positions must follow commit order, not allocation order."""
        writers, per_writer = 3, 15
        stores = [make_store("tail") for _ in range(writers)]
        reader = make_store("tail")
        done = threading.Event()
        seen: list[StoredEvent] = []

        def write(store: EventStore, w: int) -> None:
            for seq in range(per_writer):
                store.append(f"case-{w}", seq, [event(seq, w=w, seq=seq)])

        def read() -> None:
            last = 0
            while True:
                finished = done.is_set()
                for e in reader.stream(after_position=last):
                    seen.append(e)
                    last = e.position
                if finished:
                    return
                time.sleep(0.002)

        read_thread = threading.Thread(target=read)
        read_thread.start()
        threads = [threading.Thread(target=write, args=(s, w)) for w, s in enumerate(stores)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        done.set()
        read_thread.join(timeout=120)
        keys = [(e.case_id, e.version) for e in seen]
        assert len(keys) == len(set(keys)) == writers * per_writer
        assert [e.position for e in seen] == sorted(e.position for e in seen)
        assert seen == list(reader.stream())

    # ------------------------------------------------------------------ reading all

    def test_stream_is_commit_order_with_paging(self, make_store: StoreFactory) -> None:
        store = make_store()
        appended: list[StoredEvent] = []
        appended += store.append("b", 0, [event(1), event(2)])
        appended += store.append("a", 0, [event(3)])
        appended += store.append("b", 2, [event(4)])
        appended += store.append("案", 0, [event(5), event(6), event(7)])
        everything = list(store.stream())
        assert everything == appended
        positions = [e.position for e in everything]
        assert positions == sorted(set(positions))
        assert list(store.stream(after_position=positions[2])) == appended[3:]
        assert list(store.stream(limit=2)) == appended[:2]
        assert list(store.stream(after_position=positions[1], limit=3)) == appended[2:5]
        assert list(store.stream(limit=0)) == []
        assert list(store.stream(after_position=positions[-1])) == []
        paged: list[StoredEvent] = []
        last = 0
        while page := list(store.stream(after_position=last, limit=2)):
            paged += page
            last = page[-1].position
        assert paged == appended

    def test_list_cases(self, make_store: StoreFactory) -> None:
        store = make_store()
        store.append("b", 0, [event(1)])
        store.append("案件-1", 0, [event(2), event(3)])
        store.append("a", 0, [event(4)])
        store.append("b", 1, [event(5), event(6)])
        cases = store.list_cases()
        assert [c.case_id for c in cases] == sorted(["a", "b", "案件-1"])
        by_id = {c.case_id: c for c in cases}
        assert by_id["b"].version == 3
        assert by_id["b"].first_recorded_at == T0 + timedelta(seconds=1)
        assert by_id["b"].last_recorded_at == T0 + timedelta(seconds=6)
        assert by_id["案件-1"].version == 2
        assert by_id["a"].first_recorded_at == by_id["a"].last_recorded_at

    def test_close_reopen_and_context_manager(self, make_store: StoreFactory) -> None:
        with make_store("durable") as store:
            written = store.append("c", 0, [event(1), event(2)])
        store.close()  # idempotent
        with pytest.raises(StoreUnavailable):
            store.version("c")
        with pytest.raises(StoreUnavailable):
            store.append("c", 2, [event(3)])
        again = make_store("durable")
        assert again.load("c") == written
        again.verify("c")

    # ------------------------------------------------------------------ snapshots

    def test_snapshots(self, make_store: StoreFactory) -> None:
        store = make_store()
        with pytest.raises(CaseNotFound):
            store.save_snapshot(Snapshot("c", 1, "CaseState", {}, GENESIS_HASH))
        events = store.append("c", 0, [event(i) for i in range(1, 5)])
        with pytest.raises(InvalidSnapshot):
            store.save_snapshot(Snapshot("c", 5, "CaseState", {}, events[-1].hash))
        with pytest.raises(InvalidSnapshot):
            store.save_snapshot(Snapshot("c", 2, "CaseState", {}, events[0].hash))
        with pytest.raises(PayloadNotJSON):
            store.save_snapshot(Snapshot("c", 2, "CaseState", {"x": Decimal(1)}, events[1].hash))
        assert store.load_snapshot("c") is None

        at2 = Snapshot("c", 2, "CaseState", {"状态": "立项", "n": [1, 2]}, events[1].hash)
        store.save_snapshot(at2)
        assert store.load_snapshot("c") == at2
        snapshot, after = load_from_snapshot(store, "c")
        assert snapshot == at2
        assert after == events[2:]

        store.save_snapshot(Snapshot("c", 1, "CaseState", {}, events[0].hash))  # older: kept out
        assert store.load_snapshot("c") == at2
        at4 = Snapshot("c", 4, "CaseStateV2", {"状态": "结项"}, events[3].hash)
        store.save_snapshot(at4)
        assert store.load_snapshot("c") == at4
        assert load_from_snapshot(store, "c") == (at4, ())
        assert load_from_snapshot(store, "other") == (None, ())
        store.verify("c")

    # ------------------------------------------------------------------ tampering

    def _three(self, store: EventStore) -> tuple[StoredEvent, ...]:
        store.append("other", 0, [event(0)])
        return store.append("c", 0, [event(1), event(2), event(3)])

    def test_tampered_payload_is_detected(self, make_store: StoreFactory) -> None:
        store = make_store()
        self._three(store)
        self.tamper(store, "c", 2, {"n": 999})
        for read in (
            lambda: store.load("c"),
            lambda: store.verify("c"),
            lambda: store.load("c", after_version=1),
            lambda: store.load("c", after_version=2),  # the anchor is checked too
            lambda: list(store.stream()),
        ):
            with pytest.raises(TamperDetected) as info:
                read()
            assert info.value.case_id == "c"
            assert info.value.version == 2
        assert store.load("c", after_version=3) == ()
        assert len(store.load("other")) == 1  # other cases are unaffected

    def test_deleted_event_is_detected(self, make_store: StoreFactory) -> None:
        store = make_store()
        self._three(store)
        self.tamper_delete(store, "c", 2)
        with pytest.raises(TamperDetected):
            store.load("c")
        with pytest.raises(TamperDetected):
            store.verify("c")
        with pytest.raises(TamperDetected):
            store.load("c", after_version=1)

    def test_deleted_last_event_is_detected(self, make_store: StoreFactory) -> None:
        """A chain alone cannot notice a missing tail; the stream head can."""
        store = make_store()
        self._three(store)
        self.tamper_delete(store, "c", 3)
        with pytest.raises(TamperDetected):
            store.load("c")
        with pytest.raises(TamperDetected):
            store.verify("c")

    def test_reordered_events_are_detected(self, make_store: StoreFactory) -> None:
        store = make_store()
        self._three(store)
        self.tamper_move(store, "c", 2, 1000)
        self.tamper_move(store, "c", 3, 2)
        self.tamper_move(store, "c", 1000, 3)
        with pytest.raises(TamperDetected):
            store.load("c")
        with pytest.raises(TamperDetected):
            store.verify("c")

    def test_tampered_snapshot_is_detected(self, make_store: StoreFactory) -> None:
        store = make_store()
        events = self._three(store)
        store.save_snapshot(Snapshot("c", 2, "CaseState", {"状态": "立项"}, events[1].hash))
        self.tamper_snapshot(store, "c", {"状态": "结项"})
        with pytest.raises(TamperDetected):
            store.load_snapshot("c")
        with pytest.raises(TamperDetected):
            store.verify("c")

    def test_snapshot_of_tampered_event_is_detected(self, make_store: StoreFactory) -> None:
        store = make_store()
        events = self._three(store)
        store.save_snapshot(Snapshot("c", 2, "CaseState", {}, events[1].hash))
        self.tamper(store, "c", 2, {"n": -1})
        with pytest.raises(TamperDetected):
            store.load_snapshot("c")

    def test_raw_update_and_delete_are_refused(self, make_store: StoreFactory) -> None:
        store = make_store()
        events = self._three(store)
        with pytest.raises(Exception, match="append-only"):
            self.raw_update(store, "c", 2)
        with pytest.raises(Exception, match="append-only"):
            self.raw_delete(store, "c", 3)
        assert store.load("c") == events
        store.verify("c")

    # ------------------------------------------------------------------ integrity (schema 2)

    def test_swapped_positions_are_detected(self, make_store: StoreFactory) -> None:
        """The hash covers the stream position: moving events in the stream (between cases
        or within one) breaks them, though versions and links are untouched."""
        store = make_store()
        events = self._three(store)
        (other,) = store.load("other")
        free = 10**9
        self.tamper_row(store, "c", 2, {"position": free})
        self.tamper_row(store, "other", 1, {"position": events[1].position})
        self.tamper_row(store, "c", 2, {"position": other.position})
        for read in (lambda: store.load("c"), lambda: store.verify("c"), lambda: store.load("other")):
            with pytest.raises(TamperDetected, match="hash does not match"):
                read()
        with pytest.raises(TamperDetected):
            list(store.stream())
        report = store.verify_all()
        assert sorted((p.case_id, p.version) for p in report.problems) == [("c", 2), ("other", 1)]
        assert not report.ok

    def test_snapshot_is_bound_to_the_chain_above_it(self, make_store: StoreFactory) -> None:
        """Loading a snapshot verifies the chain from its event to the head: an edit or a
        deletion at or above the snapshot is found without reading the events below."""
        for damage in ("edit-at", "edit-above", "delete-at", "delete-above", "head"):
            store = make_store(fresh_name(damage))
            events = store.append("c", 0, [event(i) for i in range(1, 6)])
            store.save_snapshot(Snapshot("c", 3, "CaseState", {"状态": "立项"}, events[2].hash))
            if damage == "edit-at":
                self.tamper(store, "c", 3, {"n": -3})
            elif damage == "edit-above":
                self.tamper(store, "c", 5, {"n": -5})
            elif damage == "delete-at":
                self.tamper_delete(store, "c", 3)
            elif damage == "delete-above":
                self.tamper_delete(store, "c", 4)
            else:
                self.tamper_head(store, "c", {"version": 2})
            with pytest.raises(TamperDetected):
                store.load_snapshot("c")
            with pytest.raises(TamperDetected):
                load_from_snapshot(store, "c")
            with pytest.raises(TamperDetected):
                store.verify("c")

    def test_edits_below_a_snapshot_are_found_by_verify(self, make_store: StoreFactory) -> None:
        store = make_store()
        events = store.append("c", 0, [event(i) for i in range(1, 6)])
        snapshot = Snapshot("c", 4, "CaseState", {"状态": "立项"}, events[3].hash)
        store.save_snapshot(snapshot)
        self.tamper(store, "c", 2, {"n": -2})
        # Opening from the snapshot reads only from version 4: by design it cannot see this.
        assert load_from_snapshot(store, "c") == (snapshot, events[4:])
        with pytest.raises(TamperDetected) as info:
            store.verify("c")
        assert info.value.version == 2
        with pytest.raises(TamperDetected):
            store.load("c")
        (problem,) = store.verify_all().problems
        assert (problem.case_id, problem.version) == ("c", 2)

    def test_deleted_event_below_a_snapshot_is_found_by_verify(self, make_store: StoreFactory) -> None:
        store = make_store()
        events = store.append("c", 0, [event(i) for i in range(1, 6)])
        store.save_snapshot(Snapshot("c", 4, "CaseState", {}, events[3].hash))
        self.tamper_delete(store, "c", 1)
        with pytest.raises(TamperDetected):
            store.verify("c")

    def test_snapshot_forged_with_its_hash_recomputed(self, make_store: StoreFactory) -> None:
        """Unkeyed, a snapshot whose state was edited and whose sha256 was recomputed by the
        documented formula cannot be told from a real one (only replaying the events can);
        keyed, the same forgery is TamperDetected."""
        for key in (None, TEST_KEY):
            store = make_store(fresh_name("forge"), key=key)
            events = store.append("c", 0, [event(1), event(2)])
            store.save_snapshot(Snapshot("c", 2, "CaseState", {"状态": "立项"}, events[1].hash))
            forged = canonical_json({"状态": "结项"})
            digest = snapshot_hash(
                case_id="c",
                version=2,
                state_type="CaseState",
                payload_json=forged,
                event_hash=events[1].hash,
                scheme=HashScheme.SHA256,
            )
            self.tamper_snapshot_row(store, "c", {"payload": forged, "hash": digest, "hash_scheme": 2})
            if key is None:
                loaded = store.load_snapshot("c")
                assert loaded is not None
                assert loaded.payload == {"状态": "结项"}
                continue
            with pytest.raises(TamperDetected, match="snapshot is not keyed"):
                store.load_snapshot("c")
            with pytest.raises(TamperDetected):
                store.verify("c")
            # Keeping scheme 3 but computing the HMAC with another key fails too.
            wrong = snapshot_hash(
                case_id="c",
                version=2,
                state_type="CaseState",
                payload_json=forged,
                event_hash=events[1].hash,
                scheme=HashScheme.HMAC_SHA256,
                key=OTHER_KEY,
            )
            self.tamper_snapshot_row(store, "c", {"hash": wrong, "hash_scheme": 3})
            with pytest.raises(TamperDetected, match="snapshot hash does not match"):
                store.load_snapshot("c")

    def test_rehashed_chain_passes_unkeyed_and_fails_keyed(self, make_store: StoreFactory) -> None:
        """What each level proves: without a key, whoever rewrites a payload and recomputes
        every hash after it (and the head) produces a chain that verifies; with a key they
        cannot, whether they downgrade to sha256 or guess at the HMAC key."""
        unkeyed = make_store("unkeyed")
        unkeyed.append("c", 0, [event(1), event(2), event(3)])
        self.rehash(unkeyed, "c", 2, {"n": 999})
        assert [e.payload for e in unkeyed.load("c")] == [{"n": 1}, {"n": 999}, {"n": 3}]
        assert unkeyed.verify("c").keyed is False

        keyed = make_store("keyed", key=TEST_KEY)
        keyed.append("c", 0, [event(1), event(2), event(3)])
        self.rehash(keyed, "c", 2, {"n": 999})
        with pytest.raises(TamperDetected, match="not keyed") as info:
            keyed.load("c")
        assert info.value.version == 2
        again = make_store("keyed2", key=TEST_KEY)
        again.append("c", 0, [event(1), event(2), event(3)])
        self.rehash(again, "c", 2, {"n": 999}, key=OTHER_KEY)
        with pytest.raises(TamperDetected, match="hash does not match"):
            again.verify("c")

    def test_store_keys_are_checked_when_a_store_opens(self, make_store: StoreFactory) -> None:
        keyed = make_store("k", key=TEST_KEY)
        (first,) = keyed.append("c", 0, [event(1)])
        keyed.save_snapshot(Snapshot("c", 1, "CaseState", {"s": 1}, first.hash))
        with pytest.raises(StoreUnavailable, match="does not match the key"):
            make_store("k", key=OTHER_KEY)
        with pytest.raises(StoreUnavailable, match="keyed"):
            make_store("k")
        with pytest.raises(ValueError, match="at least 16 bytes"):
            make_store("k", key=b"short")
        reopened = make_store("k", key=TEST_KEY.decode())  # a text key is taken as UTF-8
        assert reopened.load("c") == (first,)
        assert reopened.load_snapshot("c") == Snapshot("c", 1, "CaseState", {"s": 1}, first.hash)
        report = reopened.verify_all()
        assert report.ok
        assert report.keyed_since == 1
        assert report.cases == (CaseVerification("c", 1, first.hash, True, 0, 1),)

    def test_adopting_a_key_for_a_store_with_unkeyed_history(self, make_store: StoreFactory) -> None:
        plain = make_store("s")
        old = plain.append("old", 0, [event(1), event(2)])
        plain.save_snapshot(Snapshot("old", 2, "CaseState", {}, old[1].hash))
        with pytest.raises(StoreUnavailable, match="adopt_key=True"):
            make_store("s", key=TEST_KEY)
        assert plain.load("old") == old  # refusing changed nothing
        keyed = make_store("s", key=TEST_KEY, adopt_key=True)
        assert keyed.load("old") == old
        assert keyed.load_snapshot("old") is None  # unkeyed caches are dropped on adoption
        assert keyed.verify("old") == CaseVerification("old", 2, old[1].hash, False, 0, None)
        with pytest.raises(StoreUnavailable, match="key record changed"):
            plain.append("old", 2, [event(3)])  # a writer without the key is stopped
        (third,) = keyed.append("old", 2, [event(3)])
        assert third.hash_scheme == HashScheme.HMAC_SHA256
        assert third.prev_hash == old[1].hash
        assert keyed.verify("old").keyed  # the keyed head now vouches for the unkeyed start
        assert make_store("s", key=TEST_KEY).verify_all().keyed_since == third.position
        self.rehash(keyed, "old", 1, {"n": -1})  # an unkeyed rewrite of the whole case
        with pytest.raises(TamperDetected, match="not keyed"):
            keyed.verify("old")

    def test_dropped_triggers_are_restored_when_a_store_opens(self, make_store: StoreFactory) -> None:
        store = make_store("t")
        events = self._three(store)
        self.drop_triggers(store)
        before = store.verify_all()
        assert before.broken_triggers
        assert not before.ok
        assert before.restored_triggers == ()
        reopened = make_store("t")
        after = reopened.verify_all()
        assert set(after.restored_triggers) == set(before.broken_triggers)
        with pytest.raises(Exception, match="append-only"):
            self.raw_update(reopened, "c", 2)
        with pytest.raises(Exception, match="append-only"):
            self.raw_delete(reopened, "c", 3)
        assert after.ok
        assert after.broken_triggers == ()
        assert reopened.verify_all() == after  # the repair is remembered, not repeated
        assert reopened.load("c") == events
        assert make_store("t").verify_all().restored_triggers == ()

    def test_verify_all_reports_every_problem_at_once(self, make_store: StoreFactory) -> None:
        store = make_store()
        fine = store.append("fine", 0, [event(1)])
        store.append("edited", 0, [event(1), event(2)])
        store.append("head", 0, [event(1)])
        orphan = store.append("orphan", 0, [event(1)])
        store.save_snapshot(Snapshot("orphan", 1, "CaseState", {}, orphan[0].hash))
        self.tamper(store, "edited", 2, {"n": 0})
        self.tamper_head(store, "head", {"head_hash": "f" * 64})
        self.tamper_delete_case(store, "orphan")
        report = store.verify_all()
        assert [c.case_id for c in report.cases] == ["fine"]
        assert report.cases[0] == store.verify("fine") == CaseVerification("fine", 1, fine[0].hash, False, 0, None)
        assert [(p.case_id, p.version) for p in report.problems] == [("edited", 2), ("head", 1), ("orphan", 1)]
        assert "snapshot of a case that has no events" in str(report.problems[2])
        assert not report.ok
        assert report.broken_triggers == ()
        with pytest.raises(TamperDetected):
            store.verify("orphan")

    def test_malformed_stream_head_stops_appends(self, make_store: StoreFactory) -> None:
        store = make_store()
        self._three(store)
        self.tamper_head(store, "c", {"head_hash": "not a hash"})
        with pytest.raises(TamperDetected, match="head"):
            store.append("c", 3, [event(4)])
        assert len(store.load("other")) == 1

    def test_unknown_hash_scheme_is_tampering(self, make_store: StoreFactory) -> None:
        store = make_store()
        self._three(store)
        self.tamper_row(store, "c", 1, {"hash_scheme": 9})
        with pytest.raises(TamperDetected, match="unknown hash scheme"):
            store.load("c")
        self.tamper_row(store, "c", 1, {"hash_scheme": 3})  # keyed, in a store with no key
        with pytest.raises(TamperDetected, match="no key record"):
            store.verify("c")
        self.tamper_row(store, "c", 1, {"hash_scheme": 1})  # legacy, at a position written after the upgrade
        with pytest.raises(TamperDetected, match="scheme 1"):
            store.verify("c")

    # ------------------------------------------------------------------ model-based

    @_hypothesis
    @given(
        ops=st.lists(
            st.tuples(
                st.sampled_from(["a", "b", "案-3"]),
                st.sampled_from([0, 0, 0, -1, 1]),
                st.lists(json_objects, min_size=1, max_size=3),
                st.booleans(),
            ),
            max_size=10,
        )
    )
    def test_store_matches_an_in_memory_model(
        self, make_store: StoreFactory, ops: list[tuple[str, int, list[dict[str, Any]], bool]]
    ) -> None:
        """Random appends with right and wrong expected versions, some with a bad last
        event: the store always equals a list-per-case model."""
        model: dict[str, list[Any]] = {}
        log: list[tuple[str, int]] = []
        with make_store(fresh_name("model")) as store:
            for n, (case_id, delta, payloads, poisoned) in enumerate(ops):
                current = len(model.get(case_id, []))
                expected = max(0, current + delta)
                events = [NewEvent("Generated", 1, p, T0 + timedelta(seconds=n)) for p in payloads]
                if poisoned:
                    events.append(NewEvent("Bad", 1, {"x": {1, 2}}, T0))
                if expected != current:
                    with pytest.raises(ConcurrencyConflict):
                        store.append(case_id, expected, events)
                elif poisoned:
                    with pytest.raises(PayloadNotJSON):
                        store.append(case_id, expected, events)
                else:
                    stored = store.append(case_id, expected, events)
                    assert [e.version for e in stored] == list(range(current + 1, current + len(events) + 1))
                    model.setdefault(case_id, []).extend(normalised(e.payload) for e in events)
                    log.extend((case_id, e.version) for e in stored)
            for case_id, payloads in model.items():
                loaded = store.load(case_id)
                assert [e.payload for e in loaded] == payloads
                assert store.version(case_id) == len(payloads)
            assert [(c.case_id, c.version) for c in store.list_cases()] == sorted(
                (case_id, len(p)) for case_id, p in model.items()
            )
            assert [(e.case_id, e.version) for e in store.stream()] == log

    @_hypothesis
    @given(payload=json_objects)
    def test_any_json_payload_round_trips(self, make_store: StoreFactory, payload: dict[str, Any]) -> None:
        with make_store(fresh_name("json")) as store:
            (stored,) = store.append("c", 0, [NewEvent("Any", 1, payload, T0)])
            (loaded,) = store.load("c")
            assert loaded == stored
            assert loaded.payload == normalised(payload)
            assert loaded.hash == event_hash(
                case_id="c",
                version=1,
                event_type="Any",
                schema_version=1,
                payload_json=canonical_json(payload),
                recorded_at=T0.isoformat(),
                prev_hash=GENESIS_HASH,
                position=loaded.position,
                scheme=HashScheme.SHA256,
            )
