"""The procurement object: one purchase, driven by commands, stored as events, rebuilt by replay.

``Procurement.create(store, registry, case_id, OpenCase(...))`` opens a purchase;
``Procurement.open(store, registry, case_id)`` loads one; ``execute(command)`` runs the one path
every command takes:

1. **guard** (:mod:`._guards`): the machine (:data:`~socialwork_procurement.MACHINE`), the
   actor's role, the date order, then what the command's guard declares: the region's rules in
   force on ``command.on`` (which subjects and kinds gate it), the command's own checks, the
   evaluation fee;
2. **decide** (:mod:`._decisions`): the command's events, from the facts the guard judged;
3. **append** them with optimistic concurrency;
4. **fold** (:mod:`._fold`) them into the state.

Nothing else changes a purchase:

* **state is only ever the replay of events** (:func:`replay`, :func:`evolve`); the object keeps
  the state it replayed and folds in the events it appended;
* **a refused command appends nothing** and raises :class:`~socialwork_procurement.InvalidTransition`
  (not allowed in this state), :class:`~socialwork_procurement.CommandRefused` (wrong role,
  date before the last step, a hard rule failing: ``findings`` says which) or
  :class:`CommandUndetermined` (the rules cannot decide and ``accept_undetermined`` was not given);
* **two writers never overwrite each other**: ``append`` succeeds only at the version this object
  last saw, else :class:`~socialwork_procurement.ConcurrencyConflict` (nothing stored). Call
  :meth:`Procurement.refresh` and decide again;
* **long histories load fast**: every ``snapshot_every`` events the folded state is saved as a
  snapshot, and loading folds only the events after it. A snapshot is a cache: one that does not
  fit the current state type is ignored and the state is rebuilt from the events.

How the region's rules guard each step (findings filtered by the subject the step is about;
the declarations are :data:`~._guards.GUARDS`):

============================  =============================================================
step                          rules consulted (``registry.check(case, region, on)``)
============================  =============================================================
open                          purchaser rules (may this body purchase?)
approve_budget                planning rules (Xiamen, Ningxia: targets, cost accounting, budget)
start_tender                  contract-level *procedure* rules (Henan: open tender «原则上»)
award                         contractor rules (an ineligible contractor is refused)
sign_contract                 all contract rules (required terms, written contract, length);
                              the evaluation fee (``registry.evaluation_fee``)
record_…_evaluation           evaluation rules about the new evaluation, plus the core check
                              that a third party is neither the contractor nor the purchaser
accept                        a passed final evaluation, the service period over, and all
                              evaluation rules (Xiamen: tripartite review, third-party mid-term
                              and final evaluations)
============================  =============================================================

A hard rule that fails refuses the step. One that needs an unknown fact, a regional rule
conflicting with a national one, or no hard rule applying to the step at all (nothing was
checked; :func:`~socialwork_procurement.decide`) makes it *undetermined*: refused unless the
command carries ``accept_undetermined``, whose reason is stored in the event with the findings.
A recorded evaluation is the exception to the last clause: only findings *about that
evaluation* can stop it, and with none its event carries no basis.

``Procurement``, ``replay``, ``CommandUndetermined`` and the rest stay importable from this
module (they are re-exported here from the modules that define them).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Final

import attrs

from .._errors import CaseNotFound, InvalidInput
from .._i18n import Message
from ..model._converter import structure, unstructure
from ..rules._registry import Registry
from ..rules._rules import Finding, Subject, Verdict
from ..store._protocol import EventStore, NewEvent, Snapshot, StoredEvent, load_from_snapshot
from ._commands import Command, OpenCase
from ._decisions import DECISIONS
from ._events import Event, decode_event, encode_event
from ._fold import STATE_TYPE, EvaluationFee, InvalidHistory, ProcurementState, evolve, replay
from ._guards import admit
from ._refusals import CommandUndetermined, InvalidTransition

__all__ = [
    "DEFAULT_SNAPSHOT_EVERY",
    "STATE_TYPE",
    "CommandUndetermined",
    "EvaluationFee",
    "HistoryEntry",
    "InvalidHistory",
    "Procurement",
    "ProcurementState",
    "decide_command",
    "decide_open",
    "evolve",
    "replay",
    "snapshot_matches_replay",
]

DEFAULT_SNAPSHOT_EVERY: Final = 100
"""Save a snapshot each time a case's version passes a multiple of this."""


@attrs.frozen
class HistoryEntry:
    """One stored event, read back: the envelope and the event (upcast to the current version)."""

    version: int
    position: int
    recorded_at: datetime
    event_type: str
    stored_schema_version: int
    """The version the event was stored with (the event itself is upcast to the current one)."""
    event: Event
    hash: str


# --------------------------------------------------------------------------- deciding


def decide_open(command: OpenCase, registry: Registry) -> tuple[Event, ...]:
    """The events opening a case, or a refusal (the purchaser may not purchase in the region)."""
    return _decide(None, command, registry)


def decide_command(state: ProcurementState, command: Command, registry: Registry) -> tuple[Event, ...]:
    """The events ``command`` appends to ``state``, or a refusal. Pure: stores nothing."""
    return _decide(state, command, registry)


def _decide(state: ProcurementState | None, command: Command, registry: Registry) -> tuple[Event, ...]:
    """Guard, then decide: the one path of every command (``state`` is ``None`` when opening)."""
    ruling = admit(state, command, registry)
    return DECISIONS[type(command)](state, command, ruling)


# --------------------------------------------------------------------------- the object


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Procurement:
    """One purchase over an event store and a registry. Build it with :meth:`create` or :meth:`open`.

    Not thread-safe: give each thread (or request) its own object; the store's optimistic
    concurrency keeps two objects on one case from overwriting each other.
    """

    def __init__(
        self,
        store: EventStore,
        registry: Registry,
        state: ProcurementState,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        if isinstance(snapshot_every, bool) or not isinstance(snapshot_every, int) or snapshot_every < 1:
            raise ValueError(f"snapshot_every must be a positive int, got {snapshot_every!r}")
        self._store = store
        self._registry = registry
        self._state = state
        self._snapshot_every = snapshot_every
        self._clock = clock

    def __repr__(self) -> str:
        s = self._state
        return f"<Procurement {s.case_id!r} {s.region} {s.status.value} v{s.version}>"

    # -- building ----------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        store: EventStore,
        registry: Registry,
        case_id: str,
        command: OpenCase,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Procurement:
        """Open a new purchase ``case_id`` (refused if the id is taken or the purchaser may not buy)."""
        if not isinstance(command, OpenCase):
            raise TypeError(f"a case is created by an OpenCase command, not {type(command).__name__}")
        if store.version(case_id) != 0:
            raise InvalidTransition(Message("case {case_id!r} already exists", case_id=case_id))
        events = decide_open(command, registry)
        stored = store.append(case_id, 0, _envelopes(events, clock()))
        state = _fold_appended(None, stored, events)
        proc = cls(store, registry, state, snapshot_every=snapshot_every, clock=clock)
        proc._maybe_snapshot(0, stored)
        return proc

    @classmethod
    def open(
        cls,
        store: EventStore,
        registry: Registry,
        case_id: str,
        *,
        snapshot_every: int = DEFAULT_SNAPSHOT_EVERY,
        clock: Callable[[], datetime] = _utcnow,
    ) -> Procurement:
        """Load purchase ``case_id`` (from its latest snapshot and the events after it)."""
        return cls(store, registry, _load(store, case_id), snapshot_every=snapshot_every, clock=clock)

    # -- reading ----------------------------------------------------------------------------

    @property
    def case_id(self) -> str:
        return self._state.case_id

    @property
    def state(self) -> ProcurementState:
        """The state as of the last event this object saw."""
        return self._state

    @property
    def version(self) -> int:
        return self._state.version

    @property
    def registry(self) -> Registry:
        return self._registry

    @property
    def store(self) -> EventStore:
        return self._store

    def history(self) -> tuple[HistoryEntry, ...]:
        """Every stored event of the case, upcast, with its envelope."""
        return tuple(
            HistoryEntry(
                version=e.version,
                position=e.position,
                recorded_at=e.recorded_at,
                event_type=e.event_type,
                stored_schema_version=e.schema_version,
                event=decode_event(e.event_type, e.schema_version, e.payload),
                hash=e.hash,
            )
            for e in self._store.load(self.case_id)
        )

    def replay(self) -> ProcurementState:
        """The state rebuilt from every stored event, ignoring snapshots (for checks and audits)."""
        state = replay(self._store.load(self.case_id))
        if state is None:
            raise CaseNotFound(self.case_id)
        return state

    def refresh(self) -> ProcurementState:
        """Catch up with events other writers appended since this object last saw the case."""
        events = self._store.load(self.case_id, after_version=self._state.version)
        state = replay(events, self._state)
        assert state is not None
        self._state = state
        return state

    def check(self, on: date | None = None) -> Verdict:
        """The whole case against its region's rules on ``on`` (default: the last step's day)."""
        return self._registry.check(self._state.to_case(), region=self._state.region, on=on or self._state.last_on)

    def disclosures(self, on: date | None = None) -> tuple[Finding, ...]:
        """The region's disclosure findings (信息公开) for the case: pass = done, fail = still due.

        Computed from the published items on record (``record_disclosure``) and the rules in
        force on ``on`` (default: the last step's day); a region without disclosure rules gives
        ``()``.
        """
        return tuple(f for f in self.check(on).findings if f.rule.subject is Subject.DISCLOSURE)

    # -- writing ----------------------------------------------------------------------------

    def execute(self, command: Command) -> tuple[HistoryEntry, ...]:
        """Check ``command``, append its events, and return them as stored.

        Raises :class:`~socialwork_procurement.InvalidTransition`,
        :class:`~socialwork_procurement.CommandRefused` or :class:`CommandUndetermined` (nothing
        stored), or :class:`~socialwork_procurement.ConcurrencyConflict` when another writer
        appended first (nothing stored: :meth:`refresh` and decide again).
        """
        events = decide_command(self._state, command, self._registry)
        before = self._state.version
        stored = self._store.append(self.case_id, before, _envelopes(events, self._clock()))
        self._state = _fold_appended(self._state, stored, events)
        self._maybe_snapshot(before, stored)
        return tuple(
            HistoryEntry(
                version=s.version,
                position=s.position,
                recorded_at=s.recorded_at,
                event_type=s.event_type,
                stored_schema_version=s.schema_version,
                event=e,
                hash=s.hash,
            )
            for s, e in zip(stored, events, strict=True)
        )

    def snapshot(self) -> Snapshot:
        """Save the current state as the case's snapshot now, and return it."""
        events = self._store.load(self.case_id, after_version=self._state.version - 1)
        return self._save_snapshot(events[-1])

    def _maybe_snapshot(self, before: int, stored: Sequence[StoredEvent]) -> None:
        if stored and stored[-1].version // self._snapshot_every > before // self._snapshot_every:
            self._save_snapshot(stored[-1])

    def _save_snapshot(self, last: StoredEvent) -> Snapshot:
        assert last.version == self._state.version
        snapshot = Snapshot(
            case_id=self.case_id,
            version=last.version,
            state_type=STATE_TYPE,
            payload=unstructure(self._state),
            event_hash=last.hash,
        )
        self._store.save_snapshot(snapshot)
        return snapshot


def _envelopes(events: Sequence[Event], recorded_at: datetime) -> list[NewEvent]:
    out = []
    for event in events:
        event_type, version, payload = encode_event(event)
        out.append(NewEvent(event_type=event_type, schema_version=version, payload=payload, recorded_at=recorded_at))
    return out


def _fold_appended(
    state: ProcurementState | None, stored: Sequence[StoredEvent], events: Sequence[Event]
) -> ProcurementState:
    """Fold the events just appended, as built: decoding them back from the store would give
    equal events (the golden fixtures and the replay tests hold the converter to that) at a
    sixth of the step's cost."""
    for envelope, event in zip(stored, events, strict=True):
        state = evolve(state, event, case_id=envelope.case_id, version=envelope.version)
    assert state is not None, "an accepted command appends at least one event"
    return state


def _load(store: EventStore, case_id: str) -> ProcurementState:
    snapshot, events = load_from_snapshot(store, case_id)
    state: ProcurementState | None = None
    if snapshot is not None and snapshot.state_type == STATE_TYPE:
        try:
            state = structure(snapshot.payload, ProcurementState)
        except InvalidInput:
            state = None  # a cache we cannot read: rebuild from the events
        if state is not None and (state.version != snapshot.version or state.case_id != case_id):
            state = None
    if state is None and snapshot is not None:
        events = store.load(case_id)
    result = replay(events, state)
    if result is None:
        raise CaseNotFound(case_id)
    return result


def snapshot_matches_replay(store: EventStore, registry: Registry, case_id: str) -> bool | None:
    """Whether the state served from the case's snapshot equals a full replay of its events
    (``None``: no snapshot). The chain proves the events; only a replay proves an unkeyed
    snapshot's state, which anyone can edit and rehash (``swp case verify`` and the server ask it)."""
    if store.load_snapshot(case_id) is None:
        return None
    proc = Procurement.open(store, registry, case_id)
    return bool(unstructure(proc.state) == unstructure(proc.replay()))
