"""Live servers: ``swp serve`` on 127.0.0.1, a small bounded load test, and two servers on one PostgreSQL store.

The load generator is ``benchmarks/bench_server.py`` (run there with larger counts for the figures);
here only its correctness is asserted, never its speed: no error, no event lost or stored twice,
every chain intact. With two servers writing the same cases through one PostgreSQL schema, every
event an answer reported is in the history exactly once and nothing else is.
"""

from __future__ import annotations

import importlib.util
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

_MISSING = [m for m in ("starlette", "uvicorn", "httpx") if importlib.util.find_spec(m) is None]
if _MISSING:
    _REASON = f"the server extra is not installed ({', '.join(_MISSING)}): pip install -e '.[test,server]'"
    if os.environ.get("CI"):
        pytest.fail(_REASON, pytrace=False)
    pytest.skip(_REASON, allow_module_level=True)

import httpx  # noqa: E402

from socialwork_procurement.server._process import LiveServer  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
OPEN = ROOT / "docs" / "examples" / "lifecycle" / "01-open.json"


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_server", ROOT / "benchmarks" / "bench_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(autouse=True)
def _xiamen() -> None:
    pytest.importorskip("socialwork_procurement_xiamen", reason="the xiamen rule pack is not installed")


def _assert_clean(result: dict[str, Any], *, conflicts_allowed: bool) -> None:
    for phase in result["phases"]:
        assert phase["errors"] == 0, phase["first_errors"]
        assert phase["done"] == phase["planned"], f"{phase['phase']}: stopped at the deadline"
        if not conflicts_allowed:
            assert phase["conflicts"] == 0, phase
    audit = result["audit"]
    assert (audit["lost_events"], audit["duplicated_events"], audit["unaccounted_events"]) == (0, 0, 0), audit
    assert audit["broken_chains"] == 0, audit
    commands = next(p for p in result["phases"] if p["phase"] == "commands")
    opened = result["cases"]
    assert audit["stored_events"] == opened + commands["done"] - commands["conflicts"]


def test_swp_serve_starts_with_the_sqlite_default_and_serves_the_explorer(tmp_path: Path) -> None:
    with LiveServer(store="swp-cases.sqlite", cwd=tmp_path) as server:
        page = httpx.get(server.url + "/", follow_redirects=True)
        assert page.status_code == 200 and "app.js" in page.text
        opened = httpx.put(server.url + "/api/v1/cases/XM-1", content=OPEN.read_bytes())
        assert opened.status_code == 201
        assert (tmp_path / "swp-cases.sqlite").is_file(), "the store is the file swp case uses"
        health = httpx.get(server.url + "/api/v1/health").json()
        assert health["status"] == "ok" and health["store"] == "sqlite"
    assert server.returncode == 0, "Ctrl-C (SIGINT) stops it cleanly"
    assert not any("Traceback" in line for line in server.log), server.log


def test_a_bounded_load_on_one_store_loses_nothing(tmp_path: Path) -> None:
    bench = _bench()
    with LiveServer(store=tmp_path / "cases.sqlite", cwd=tmp_path) as server:
        result = bench.run_load([server.url], checks=120, commands=120, threads=6, cases=3, max_seconds=90)
    # One process holds its commands for one case in line, so no command had to be decided three times.
    _assert_clean(result, conflicts_allowed=False)
    assert not result["stopped_by_deadline"]


# -- two servers, one PostgreSQL store --------------------------------------------------------------------


@pytest.fixture
def pg_schema() -> Iterator[tuple[str, str]]:
    dsn = os.environ.get("SWP_TEST_POSTGRES_DSN", "").strip()
    required = os.environ.get("SWP_REQUIRE_POSTGRES") == "1"
    if not dsn:
        if required:
            pytest.fail("SWP_REQUIRE_POSTGRES=1 but SWP_TEST_POSTGRES_DSN is not set")
        pytest.skip("set SWP_TEST_POSTGRES_DSN to run the PostgreSQL store tests")
    import psycopg

    schema = f"swp_server_{uuid.uuid4().hex[:10]}"
    try:
        psycopg.connect(dsn, connect_timeout=5).close()
    except psycopg.Error as exc:
        if required:
            pytest.fail(f"SWP_REQUIRE_POSTGRES=1 but SWP_TEST_POSTGRES_DSN is unreachable: {exc}")
        pytest.skip(f"PostgreSQL at SWP_TEST_POSTGRES_DSN is unreachable: {exc}")
    yield dsn, schema
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.mark.postgres
def test_two_servers_on_one_postgres_store_never_lose_or_duplicate_an_event(
    pg_schema: tuple[str, str], tmp_path: Path
) -> None:
    dsn, schema = pg_schema
    bench = _bench()
    with (
        LiveServer(store=dsn, schema=schema, cwd=tmp_path) as first,
        LiveServer(store=dsn, schema=schema, cwd=tmp_path) as second,
    ):
        assert first.url != second.url
        assert httpx.get(first.url + "/api/v1/health").json()["store"] == "postgresql"
        # Threads alternate between the servers and write the same two cases, so the two processes race
        # for each case: the store's optimistic concurrency (and a decision made again) keeps them apart.
        result = bench.run_load([first.url, second.url], checks=40, commands=160, threads=8, cases=2,
                                max_seconds=120)
        seen_by_second = httpx.get(second.url + "/api/v1/cases").json()
    _assert_clean(result, conflicts_allowed=True)
    # The cases were opened through the first server; the second sees them, at the versions stored.
    assert set(result["case_ids"]) <= {c["case_id"] for c in seen_by_second}
    commands = next(p for p in result["phases"] if p["phase"] == "commands")
    assert commands["done"] - commands["conflicts"] > commands["planned"] // 2, "most commands were stored"
