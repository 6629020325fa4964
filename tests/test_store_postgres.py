"""PostgreSQL event store: the shared contract plus PostgreSQL-specific guarantees.

Needs a server: set ``SWP_TEST_POSTGRES_DSN`` (e.g. ``postgresql://postgres@127.0.0.1:5432/test``);
without it these tests skip, unless ``SWP_REQUIRE_POSTGRES=1`` (CI), which turns a missing
or unreachable server into a failure. Every test works in its own fresh schemas, dropped
afterwards, so tests never see each other's data. Tamper hooks need a superuser (they set
``session_replication_role = replica`` to bypass triggers, as a DBA could).
"""

from __future__ import annotations

import os
import sys
import threading
import uuid
from typing import TYPE_CHECKING, Any

import pytest

pytest.register_assert_rewrite("socialwork_procurement.testing.store_contract")

from socialwork_procurement.store._postgres import (  # noqa: E402
    SCHEMA_VERSION,
    PostgresEventStore,
    _lock_key,
)
from socialwork_procurement.store._protocol import (  # noqa: E402
    BackendNotInstalled,
    NewEvent,
    StoreBusy,
    StoreUnavailable,
    canonical_json,
)
from socialwork_procurement.testing.store_contract import (  # noqa: E402
    T0,
    EventStoreContract,
    event,
)

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

    import psycopg

    from socialwork_procurement.store._protocol import EventStore
    from socialwork_procurement.testing.store_contract import StoreFactory

pytestmark = pytest.mark.postgres

DSN_ENV = "SWP_TEST_POSTGRES_DSN"
SKIP_REASON = "set SWP_TEST_POSTGRES_DSN to run the PostgreSQL store tests"


def _required() -> bool:
    return os.environ.get("SWP_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="session")
def pg_dsn() -> str:
    """The test server's DSN; skip (or fail, under SWP_REQUIRE_POSTGRES=1) without one."""
    dsn = os.environ.get(DSN_ENV, "").strip()
    if not dsn:
        if _required():
            pytest.fail(f"SWP_REQUIRE_POSTGRES=1 but {DSN_ENV} is not set: {SKIP_REASON}")
        pytest.skip(SKIP_REASON)
    try:
        import psycopg
    except ImportError:
        if _required():
            pytest.fail("SWP_REQUIRE_POSTGRES=1 but psycopg is not installed")
        pytest.skip("psycopg is not installed: pip install 'socialwork-procurement[postgres]'")
    try:
        psycopg.connect(dsn, connect_timeout=5).close()
    except psycopg.Error as exc:
        if _required():
            pytest.fail(f"SWP_REQUIRE_POSTGRES=1 but {DSN_ENV} is unreachable: {exc}")
        pytest.skip(f"PostgreSQL at {DSN_ENV} is unreachable: {exc}")
    return dsn


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _admin(dsn: str) -> psycopg.Connection[Any]:
    import psycopg

    return psycopg.connect(dsn, autocommit=True)


class _Schemas:
    """Unique throwaway schemas for one test; dropped (with everything in them) at the end."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        self.prefix = f"swp_test_{uuid.uuid4().hex[:10]}"
        self.names: dict[str, str] = {}

    def __call__(self, key: str = "main") -> str:
        if key not in self.names:
            self.names[key] = f"{self.prefix}_{len(self.names)}"
        return self.names[key]

    def drop_all(self) -> None:
        with _admin(self.dsn) as conn:
            for schema in self.names.values():
                conn.execute(f"DROP SCHEMA IF EXISTS {_q(schema)} CASCADE")


@pytest.fixture
def schemas(pg_dsn: str) -> Iterator[_Schemas]:
    made = _Schemas(pg_dsn)
    yield made
    made.drop_all()


class TestPostgresEventStore(EventStoreContract):
    """The contract against PostgreSQL; each database name is its own fresh schema."""

    dsn: str

    @pytest.fixture
    def make_store(self, pg_dsn: str, schemas: _Schemas) -> Iterator[StoreFactory]:
        self.dsn = pg_dsn
        opened: list[PostgresEventStore] = []

        def factory(database: str = "main") -> EventStore:
            store = PostgresEventStore(pg_dsn, schema=schemas(database))
            opened.append(store)
            return store

        yield factory
        for store in opened:
            store.close()

    # A superuser DBA: replica mode skips the append-only triggers for one transaction.

    def _bypassing_triggers(self, store: EventStore, sql: str, params: tuple[Any, ...]) -> None:
        assert isinstance(store, PostgresEventStore)
        with _admin(self.dsn) as conn, conn.transaction():
            conn.execute("SET LOCAL session_replication_role = replica")
            cursor = conn.execute(sql.format(s=_q(store.schema)), params)
            assert cursor.rowcount == 1

    def tamper(self, store: EventStore, case_id: str, version: int, new_payload: Mapping[str, Any]) -> None:
        self._bypassing_triggers(
            store,
            "UPDATE {s}.swp_events SET payload = %s::json WHERE case_id = %s AND version = %s",
            (canonical_json(new_payload), case_id, version),
        )

    def tamper_delete(self, store: EventStore, case_id: str, version: int) -> None:
        self._bypassing_triggers(
            store,
            "DELETE FROM {s}.swp_events WHERE case_id = %s AND version = %s",
            (case_id, version),
        )

    def tamper_move(self, store: EventStore, case_id: str, version: int, new_version: int) -> None:
        self._bypassing_triggers(
            store,
            "UPDATE {s}.swp_events SET version = %s WHERE case_id = %s AND version = %s",
            (new_version, case_id, version),
        )

    def tamper_snapshot(self, store: EventStore, case_id: str, new_payload: Mapping[str, Any]) -> None:
        self._bypassing_triggers(
            store,
            "UPDATE {s}.swp_snapshots SET payload = %s::json WHERE case_id = %s",
            (canonical_json(new_payload), case_id),
        )

    def _plain(self, store: EventStore, sql: str, params: tuple[Any, ...]) -> None:
        assert isinstance(store, PostgresEventStore)
        with _admin(self.dsn) as conn:
            conn.execute(sql.format(s=_q(store.schema)), params)

    def raw_update(self, store: EventStore, case_id: str, version: int) -> None:
        self._plain(
            store,
            "UPDATE {s}.swp_events SET payload = '{{}}'::json WHERE case_id = %s AND version = %s",
            (case_id, version),
        )

    def raw_delete(self, store: EventStore, case_id: str, version: int) -> None:
        self._plain(
            store,
            "DELETE FROM {s}.swp_events WHERE case_id = %s AND version = %s",
            (case_id, version),
        )


# --------------------------------------------------------------------------- no server needed


@pytest.mark.parametrize("blocked", ["psycopg"])
def test_missing_psycopg_names_the_extra(monkeypatch: pytest.MonkeyPatch, blocked: str) -> None:
    monkeypatch.setitem(sys.modules, blocked, None)  # makes "import psycopg" fail
    with pytest.raises(BackendNotInstalled, match=r"socialwork-procurement\[postgres\]") as info:
        PostgresEventStore("postgresql://nowhere/none")
    assert isinstance(info.value, ImportError)


def test_unreachable_server_is_store_unavailable() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreUnavailable, match="cannot connect"):
        PostgresEventStore("postgresql://postgres@127.0.0.1:1/none?connect_timeout=2")


def test_module_imports_without_psycopg() -> None:
    """The core must not need psycopg: importing the backend module must not import it."""
    import subprocess

    code = "import sys; sys.modules['psycopg'] = None\nimport socialwork_procurement.store._postgres\nprint('ok')\n"
    env = dict(os.environ)
    src = os.path.join(os.path.dirname(__file__), os.pardir, "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.stdout.strip() == "ok", result.stderr


# --------------------------------------------------------------------------- server specifics


def test_payload_column_keeps_the_canonical_text(pg_dsn: str, schemas: _Schemas) -> None:
    """``json`` (not ``jsonb``) keeps key order, number spelling and \\u0000 exactly."""
    payload: dict[str, Any] = {"z": 1.0, "a": "\x00", "名称": [1e16, -0.0]}
    with PostgresEventStore(pg_dsn, schema=schemas()) as store:
        store.append("c", 0, [NewEvent("Noted", 1, payload, T0)])
        store.verify("c")
    with _admin(pg_dsn) as conn:
        row = conn.execute(f"SELECT payload::text, pg_typeof(payload)::text FROM {_q(schemas())}.swp_events").fetchone()
    assert row == (canonical_json(payload), "json")


def test_borrowed_connection(pg_dsn: str, schemas: _Schemas) -> None:
    import psycopg

    with psycopg.connect(pg_dsn) as manual, pytest.raises(ValueError, match="autocommit"):
        PostgresEventStore(manual, schema=schemas())
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        store = PostgresEventStore(conn, schema=schemas())
        store.append("c", 0, [event(1)])
        store.close()
        assert not conn.closed  # borrowed: the caller closes it
        with pytest.raises(StoreUnavailable):
            store.version("c")
        again = PostgresEventStore(conn, schema=schemas())
        conn.execute("BEGIN")
        with pytest.raises(StoreUnavailable, match="transaction"):
            again.append("c", 1, [event(2)])
        conn.execute("ROLLBACK")
        assert again.version("c") == 1


def test_odd_schema_names_are_quoted(pg_dsn: str, schemas: _Schemas) -> None:
    odd = f'{schemas.prefix} Odd"Name; DROP'
    schemas.names["odd"] = odd
    with PostgresEventStore(pg_dsn, schema=odd) as store:
        store.append("c", 0, [event(1)])
        assert store.version("c") == 1


def test_newer_schema_is_refused(pg_dsn: str, schemas: _Schemas) -> None:
    PostgresEventStore(pg_dsn, schema=schemas()).close()
    with _admin(pg_dsn) as conn:
        conn.execute(f"UPDATE {_q(schemas())}.swp_meta SET value = '{SCHEMA_VERSION + 1}' WHERE key = 'schema_version'")
    with pytest.raises(StoreUnavailable, match="newer"):
        PostgresEventStore(pg_dsn, schema=schemas())


def test_concurrent_first_opens_create_the_schema_once(pg_dsn: str, schemas: _Schemas) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_store() -> None:
        barrier.wait()
        try:
            PostgresEventStore(pg_dsn, schema=schemas("fresh")).close()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_append_waits_for_the_position_lock_then_gives_up(pg_dsn: str, schemas: _Schemas) -> None:
    """An append that cannot get the commit-order lock within lock_timeout is StoreBusy."""
    schema = schemas()
    with PostgresEventStore(pg_dsn, schema=schema, lock_timeout_ms=200) as store:
        with _admin(pg_dsn) as holder:
            holder.execute("SELECT pg_advisory_lock(%s)", (_lock_key("append", schema),))
            with pytest.raises(StoreBusy) as info:
                store.append("c", 0, [event(1)])
            assert isinstance(info.value, TimeoutError)
            holder.execute("SELECT pg_advisory_unlock_all()")
        assert store.version("c") == 0
        store.append("c", 0, [event(1)])
        assert store.version("c") == 1


def test_triggers_refuse_truncate_and_head_rewind(pg_dsn: str, schemas: _Schemas) -> None:
    import psycopg

    with PostgresEventStore(pg_dsn, schema=schemas()) as store:
        store.append("c", 0, [event(1), event(2)])
    s = _q(schemas())
    with _admin(pg_dsn) as conn:
        for sql in (
            f"TRUNCATE {s}.swp_events",
            f"TRUNCATE {s}.swp_streams",
            f"DELETE FROM {s}.swp_streams",
            f"UPDATE {s}.swp_streams SET version = 1",
        ):
            with pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
                conn.execute(sql)
