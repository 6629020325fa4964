"""What one server process holds: its configuration, its registries, its event store and its case locks.

One process holds one registry (loaded once: it is immutable) and one event store, opened on first
use and shared by the worker threads (each store serialises its calls); a store whose connection
was lost is opened again for the next request. Several processes (``uvicorn --workers``, or
servers on several machines) each open their own store: on PostgreSQL they share it safely, as
several ``swp`` processes do, because every append is checked against the version it was decided on.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs
from starlette.concurrency import run_in_threadpool

from .._errors import StoreError
from ..rules._plugins import load_registry
from ..rules._registry import Registry
from ..store._protocol import EventStore, StoreUnavailable
from ._failures import LOG

__all__ = ["DEFAULT_STORE", "Server", "ServerConfig", "open_store"]

_T = TypeVar("_T")

DEFAULT_STORE: Final = "swp-cases.sqlite"
"""The store without ``--store``: the same SQLite file in the working directory as ``swp case`` uses."""

_POSTGRES_SCHEMES: Final = ("postgresql://", "postgres://")
_STORE_KINDS: Final = {"SQLiteEventStore": "sqlite", "PostgresEventStore": "postgresql"}


def _positive(_inst: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{attribute.name} must be a positive int, got {value!r}")


@attrs.frozen
class ServerConfig:
    """How a server is set up; every field has the default ``swp serve`` uses."""

    store: str | os.PathLike[str] = DEFAULT_STORE
    """An SQLite file, or a PostgreSQL DSN (``postgresql://…``) for several server processes."""
    schema: str = "public"
    """The PostgreSQL schema of the store (ignored for SQLite)."""
    max_body_bytes: int = attrs.field(default=16 * 1024 * 1024, validator=_positive)
    """The largest case or command body read (16 MiB, as ``swp`` reads files); larger is a 413."""
    max_batch_bytes: int = attrs.field(default=256 * 1024 * 1024, validator=_positive)
    """The largest JSON Lines batch screened in one request; it is streamed, never held whole."""
    attempts: int = attrs.field(default=5, validator=_positive)
    """How often a command is decided when other writers keep appending first (``swp case do``: 3).

    Each process holds its own commands for one case in line, so only another process can get in
    first; a few more attempts than the one-shot CLI, a few milliseconds apart, let a busy case
    settle instead of answering 409 (a 409 ``concurrency_conflict`` still stores nothing).
    """


def open_store(spec: str | os.PathLike[str], *, schema: str = "public") -> EventStore:
    """The event store ``spec`` names: a PostgreSQL DSN (``postgresql://``) or an SQLite file."""
    text = os.fspath(spec)
    if text.startswith(_POSTGRES_SCHEMES):
        from ..store._postgres import PostgresEventStore

        return PostgresEventStore(text, schema=schema)
    from ..store._sqlite import SQLiteEventStore

    return SQLiteEventStore(text)


def _version() -> str:
    try:
        return importlib.metadata.version("socialwork-procurement")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


class _CaseLock:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class Server:
    """What the endpoints share: the configuration, the registries, the store and the seeds."""

    def __init__(
        self,
        config: ServerConfig,
        *,
        registry: Registry | None,
        store: EventStore | Callable[[], EventStore] | None,
        seeds_dir: Path | None,
        openapi: Callable[[], dict[str, Any]],
    ) -> None:
        self.config = config
        self.version = _version()
        self._given_registry = registry
        self._registries: dict[bool, Registry] = {}
        self._lock = threading.Lock()
        self._case_locks: dict[str, _CaseLock] = {}
        self._store: EventStore | None = None
        self._opener: Callable[[], EventStore]
        self._owns_store = not isinstance(store, EventStore)
        if isinstance(store, EventStore):
            given = store
            self._store = given
            self._opener = lambda: given
        elif store is not None:
            self._opener = store
        else:
            self._opener = lambda: open_store(config.store, schema=config.schema)
        if store is None:
            self.store_kind = "postgresql" if os.fspath(config.store).startswith(_POSTGRES_SCHEMES) else "sqlite"
        else:
            self.store_kind = _STORE_KINDS.get(type(store).__name__, type(store).__name__)
        self.seeds_dir = seeds_dir
        self._build_openapi = openapi
        self._openapi: dict[str, Any] | None = None

    # -- registries ------------------------------------------------------------------------------

    def registry(self, national: bool = True) -> Registry:
        """The installed packs (with the national layer, or as ``--no-national`` loads them)."""
        found = self._registries.get(national)
        if found is not None:
            return found
        with self._lock:
            if national not in self._registries:
                if self._given_registry is not None:
                    # A registry given by the caller is used as it is; national=False then only
                    # leaves the layer out of each question, as Registry.check(national=False) does.
                    self._registries[national] = self._given_registry
                else:
                    registry = load_registry(national=national)
                    for problem in registry.problems:
                        LOG.warning("rule pack problem: %s", problem)
                    self._registries[national] = registry
            return self._registries[national]

    # -- the store ------------------------------------------------------------------------------

    def store(self) -> EventStore:
        """The event store, opened on first use (and again after its connection was lost)."""
        store = self._store
        if store is not None:
            return store
        with self._lock:
            if self._store is None:
                self._store = self._opener()
            return self._store

    def _discard(self, store: EventStore | None) -> None:
        if not self._owns_store:
            return
        with self._lock:
            if store is not None and self._store is store:
                self._store = None
        if store is not None:
            with contextlib.suppress(Exception):
                store.close()

    async def with_store(self, work: Callable[[], _T]) -> _T:
        """Run ``work`` in a worker thread; a lost connection drops the store so the next request reopens it."""
        try:
            return await run_in_threadpool(work)
        except StoreUnavailable:
            self._discard(self._store)
            raise
        except StoreError as exc:
            if exc.kind == "connection":
                self._discard(self._store)
            raise

    def close(self) -> None:
        self._discard(self._store)

    @contextlib.contextmanager
    def case_lock(self, case_id: str) -> Iterator[None]:
        """Hold the commands of this process for one case to one at a time.

        Not needed for correctness (the store refuses an append decided on a stale version, and the
        command is decided again), but two requests for one case in one process would otherwise
        race, and the loser decide again; in line, each decides on the state the last one left.
        Other processes are still kept apart by the store alone.
        """
        with self._lock:
            entry = self._case_locks.setdefault(case_id, _CaseLock())
            entry.users += 1
        try:
            with entry.lock:
                yield
        finally:
            with self._lock:
                entry.users -= 1
                if entry.users == 0:  # the last one out: no lock is kept for a case no one is writing to
                    del self._case_locks[case_id]

    # -- the document ---------------------------------------------------------------------------

    def openapi(self) -> dict[str, Any]:
        if self._openapi is None:
            self._openapi = self._build_openapi()
        return self._openapi
