"""Integrity and faults of the event stores beyond the shared contract (issue 9).

The backend-neutral integrity tests (position swaps, snapshot binding and forgery, keyed
hashes, dropped triggers, verify_all) are in the contract suite and run on both backends
from ``test_store_sqlite.py`` and ``test_store_postgres.py``. Here: the hash formulas
themselves, what only one backend can show (file faults, bytes that are not UTF-8, lost
connections, read-only transactions, altered trigger definitions), and that databases
written before schema 2 are upgraded in place and stay readable. PostgreSQL tests skip
exactly as the others do without ``SWP_TEST_POSTGRES_DSN`` and use their own schemas.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # the PostgreSQL fixtures and the fault probe

import test_store_postgres as pg_tests

from socialwork_procurement._errors import ProcurementError, StoreError, TamperDetected
from socialwork_procurement.store._core import Fault, store_error
from socialwork_procurement.store._postgres import FUNCTIONS, PostgresEventStore, _tables, _trigger_ddl
from socialwork_procurement.store._postgres import TRIGGERS as PG_TRIGGERS
from socialwork_procurement.store._protocol import (
    GENESIS_HASH,
    CaseVerification,
    HashScheme,
    Snapshot,
    StoreUnavailable,
    canonical_json,
    event_hash,
    snapshot_hash,
)
from socialwork_procurement.store._sqlite import _TABLES, TRIGGERS, SQLiteEventStore
from socialwork_procurement.testing.store_contract import GOLDEN_HASH, T0, TEST_KEY, event

if TYPE_CHECKING:
    from collections.abc import Callable

# The PostgreSQL fixtures, used by name: the same skip (and reason), throwaway schemas.
pg_dsn = pg_tests.pg_dsn
schemas = pg_tests.schemas
_admin, _q, _Schemas = pg_tests._admin, pg_tests._q, pg_tests._Schemas

WORKERS = Path(__file__).parent / "_store_workers.py"
ENVELOPE: dict[str, Any] = {
    "case_id": "案-1",
    "version": 7,
    "event_type": "Paid",
    "schema_version": 2,
    "payload": {"金额": "1.10", "items": [1, None]},
    "recorded_at": T0.isoformat(),
    "prev_hash": GENESIS_HASH,
}


def _hash_args(**extra: Any) -> dict[str, Any]:
    fields = {k: v for k, v in ENVELOPE.items() if k != "payload"}
    return fields | {"payload_json": canonical_json(ENVELOPE["payload"])} | extra


# --------------------------------------------------------------------------- formulas


def test_each_hash_scheme_is_its_documented_formula() -> None:
    legacy = hashlib.sha256(canonical_json(ENVELOPE).encode()).hexdigest()
    assert event_hash(**_hash_args()) == legacy
    assert event_hash(**_hash_args(position=42, scheme=HashScheme.LEGACY)) == legacy  # no position in scheme 1
    with_position = ENVELOPE | {"position": 42, "hash_scheme": 2}
    assert (
        event_hash(**_hash_args(position=42, scheme=2))
        == hashlib.sha256(canonical_json(with_position).encode()).hexdigest()
    )
    keyed = canonical_json(ENVELOPE | {"position": 42, "hash_scheme": 3}).encode()
    assert event_hash(**_hash_args(position=42, scheme=3, key=TEST_KEY)) == (
        hmac.new(TEST_KEY, keyed, hashlib.sha256).hexdigest()
    )
    assert event_hash(**_hash_args(position=43, scheme=2)) != event_hash(**_hash_args(position=42, scheme=2))


def test_snapshot_hash_schemes() -> None:
    fields = {"case_id": "c", "version": 2, "state_type": "S", "payload": {"a": 1}, "event_hash": "a" * 64}
    args = {k: v for k, v in fields.items() if k != "payload"} | {"payload_json": '{"a":1}'}
    assert snapshot_hash(**args) == hashlib.sha256(canonical_json(fields).encode()).hexdigest()
    assert (
        snapshot_hash(**args, scheme=2)
        == hashlib.sha256(canonical_json(fields | {"hash_scheme": 2}).encode()).hexdigest()
    )
    text = canonical_json(fields | {"hash_scheme": 3}).encode()
    assert snapshot_hash(**args, scheme=3, key=TEST_KEY) == hmac.new(TEST_KEY, text, hashlib.sha256).hexdigest()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"position": 1, "scheme": 3}, "needs the store key"),
        ({"position": 1, "scheme": 2, "key": TEST_KEY}, "unkeyed"),
        ({"scheme": 2}, "covers the position"),
        ({"position": 1, "scheme": 7}, "unknown hash scheme"),
    ],
)
def test_hash_arguments_that_do_not_fit_are_refused(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        event_hash(**_hash_args(**extra))


def test_store_error_is_a_procurement_error_and_an_oserror_in_two_languages() -> None:
    error = store_error(Fault.FULL, "/data/cases.sqlite3", "sqlite3: database or disk is full")
    assert isinstance(error, StoreError) and isinstance(error, OSError) and isinstance(error, ProcurementError)
    assert (error.where, error.kind, error.errno) == ("/data/cases.sqlite3", "full", None)
    assert str(error) == (
        "/data/cases.sqlite3: 磁盘已满（或数据库已达大小上限），本次未写入任何内容 / the disk (or the "
        "database's size limit) is full; nothing was stored (sqlite3: database or disk is full)"
    )


# --------------------------------------------------------------------------- SQLite faults


def _listing(*folders: Path) -> dict[Path, set[str]]:
    return {folder: set(os.listdir(folder)) for folder in folders}


def _refused(path: str | Path, kind: str, *, watch: tuple[Path, ...]) -> StoreError:
    """Opening *path* raises StoreError *kind*, and nothing appears in the *watch* folders."""
    before = _listing(*watch)
    with pytest.raises(StoreError) as info:
        SQLiteEventStore(path)
    assert info.value.kind == kind, str(info.value)
    assert _listing(*watch) == before
    message = str(info.value)
    assert message.startswith(f"{str(path) or repr(str(path))}: ")
    assert " / " in message and any("\u4e00" <= ch <= "\u9fff" for ch in message)  # Chinese and English
    return info.value


def test_a_file_that_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes("会议纪要 minutes\n".encode() * 300)
    _refused(path, "not_a_database", watch=(tmp_path,))
    assert path.read_bytes() == "会议纪要 minutes\n".encode() * 300  # left as it was


def test_a_database_with_a_damaged_header(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with SQLiteEventStore(path) as store:
        store.append("c", 0, [event(1)])
    data = bytearray(path.read_bytes())
    data[:16] = b"not sqlite here!"
    path.write_bytes(bytes(data))
    _refused(path, "not_a_database", watch=(tmp_path,))


def _filled(path: Path) -> bytes:
    with SQLiteEventStore(path) as store:
        for n in range(40):
            store.append(f"c{n}", 0, [event(i, text="社会工作" * 500) for i in range(1, 4)])
    return path.read_bytes()  # closing checkpointed the WAL into the file


def test_a_truncated_database(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    data = _filled(path)
    path.write_bytes(data[: len(data) // 3])
    with pytest.raises(StoreError) as info, SQLiteEventStore(path) as store:  # opening may notice already
        store.verify_all()
    assert info.value.kind == "corrupt"
    assert "restore it from a backup" in str(info.value)


def test_a_database_with_a_garbled_page(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    data = bytearray(_filled(path))
    data[8192:16384] = bytes(range(256)) * 32
    path.write_bytes(bytes(data))

    def read_everything() -> None:
        with SQLiteEventStore(path) as store:  # opening may notice already
            for n in range(40):
                store.load(f"c{n}")

    with pytest.raises(StoreError) as info:
        read_everything()
    assert info.value.kind == "corrupt"


def test_special_files_are_refused_before_sqlite_opens_them(tmp_path: Path) -> None:
    """SQLite would open /dev/null and create /dev/null-journal beside it, or create the
    target of a dangling link; the store refuses such paths before opening anything."""
    _refused("/dev/null", "not_a_file", watch=(Path("/dev"),))
    _refused(tmp_path, "not_a_file", watch=(tmp_path, tmp_path.parent))
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "named pipe" in str(_refused(fifo, "not_a_file", watch=(tmp_path,)))
    link = tmp_path / "link.sqlite3"
    link.symlink_to(tmp_path / "elsewhere" / "target.sqlite3")
    _refused(link, "not_a_file", watch=(tmp_path,))
    assert not (tmp_path / "elsewhere").exists()


def test_an_empty_path_and_a_missing_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # sqlite3.connect("") would make a temporary database; "." is the cwd
    _refused("", "empty_path", watch=(tmp_path,))
    missing = tmp_path / "no" / "such" / "dir" / "s.sqlite3"
    error = _refused(missing, "no_directory", watch=(tmp_path,))
    assert "does not create directories" in str(error)
    assert not (tmp_path / "no").exists()
    inside_a_file = tmp_path / "plain.txt"
    inside_a_file.write_text("x")
    _refused(inside_a_file / "s.sqlite3", "no_directory", watch=(tmp_path,))


def _probe_env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parent.parent / "src")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH", "")) if p)
    return env


def _private_mount(script: str) -> list[dict[str, Any]]:
    """Run *script* (sh) as root of a new user and mount namespace, where it can mount a
    small or read-only tmpfs that nobody else sees; return the probes' JSON lines."""
    if shutil.which("unshare") is None:
        pytest.skip("needs unshare(1) to mount a private tmpfs")
    trial = subprocess.run(["unshare", "-rm", "true"], capture_output=True, check=False)
    if trial.returncode != 0:
        pytest.skip(f"this system does not allow a private mount namespace: {trial.stderr.decode().strip()}")
    result = subprocess.run(
        ["unshare", "-rm", "sh", "-ec", script],
        capture_output=True,
        text=True,
        env=_probe_env(),
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_a_full_disk(tmp_path: Path) -> None:
    """A real ENOSPC: a 256 kB tmpfs fills up. The append that does not fit is refused with
    a StoreError, and every acknowledged one is still there."""
    mount = tmp_path / "small"
    mount.mkdir()
    py = sys.executable
    refused, after = _private_mount(f"mount -t tmpfs -o size=256k tmpfs {mount}\n{py} {WORKERS} fill {mount}/s.sqlite3")
    assert refused["error"] == "StoreError" and refused["kind"] == "full", refused
    assert "nothing was stored" in refused["message"]
    assert refused["acknowledged"] > 0
    assert after == {"loaded": refused["acknowledged"]}


def test_a_file_size_limit(tmp_path: Path) -> None:
    """Without a small disk: a file-size limit (RLIMIT_FSIZE) makes writes fail with EFBIG,
    which SQLite reports as an I/O error: a StoreError all the same."""
    pytest.importorskip("resource")
    path = tmp_path / "s.sqlite3"
    result = subprocess.run(
        [sys.executable, str(WORKERS), "--file-size-limit", "200000", str(path)],
        capture_output=True,
        text=True,
        env=_probe_env(),
        check=False,
        timeout=120,
    )
    refused, after = (json.loads(line) for line in result.stdout.splitlines())
    assert refused["error"] == "StoreError" and refused["kind"] in {"io", "full"}, refused
    assert after == {"loaded": refused["acknowledged"]}


def test_a_read_only_file_system(tmp_path: Path) -> None:
    """A store needs to write even to read (WAL index, schema checks): on a file system
    remounted read-only both an existing and a new store are refused, as StoreError."""
    mount = tmp_path / "ro"
    mount.mkdir()
    py = sys.executable
    prepared, existing, new = _private_mount(
        f"mount -t tmpfs -o size=4m tmpfs {mount}\n"
        f"{py} {WORKERS} prepare {mount}/s.sqlite3\n"
        f"mount -o remount,ro {mount}\n"
        f"{py} {WORKERS} open {mount}/s.sqlite3\n"
        f"{py} {WORKERS} prepare {mount}/new.sqlite3\n"
    )
    assert prepared == {"ok": True}
    assert existing["error"] == "StoreError" and existing["kind"] in {"read_only", "cannot_open"}, existing
    assert new["error"] == "StoreError" and new["kind"] in {"read_only", "cannot_open"}, new


def test_a_closed_store_is_still_store_unavailable(tmp_path: Path) -> None:
    store = SQLiteEventStore(tmp_path / "s.sqlite3")
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.load("c")


# --------------------------------------------------------------------------- SQLite: text that is not UTF-8


def _raw(path: Path, *statements: str) -> None:
    """An administrator's edit with the triggers out of the way (the store restores them)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for name in TRIGGERS:
            conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql in statements:
            conn.execute(sql)
    finally:
        conn.close()


def test_payload_bytes_that_are_not_utf8_are_tampering(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with SQLiteEventStore(path) as store:
        store.append("other", 0, [event(0)])
        store.append("c", 0, [event(1), event(2)])
    _raw(
        path, "UPDATE swp_events SET payload = CAST(x'7b226e223a22ff227d' AS TEXT) WHERE case_id = 'c' AND version = 2"
    )
    with SQLiteEventStore(path) as store:
        reads: list[Callable[[], object]] = [
            lambda: store.load("c"),
            lambda: store.load("c", after_version=1),
            lambda: store.verify("c"),
            lambda: list(store.stream()),
        ]
        for read in reads:
            with pytest.raises(TamperDetected, match="not valid UTF-8") as info:
                read()
            assert (info.value.case_id, info.value.version) == ("c", 2)
        (problem,) = store.verify_all().problems
        assert (problem.case_id, problem.version) == ("c", 2)
        assert len(store.load("other")) == 1  # the fast decoder is back for clean rows


def test_case_ids_and_snapshots_that_are_not_utf8_are_tampering(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with SQLiteEventStore(path) as store:
        events = store.append("c", 0, [event(1)])
        store.save_snapshot(Snapshot("c", 1, "S", {"a": "b"}, events[0].hash))
    _raw(path, "UPDATE swp_snapshots SET state_type = CAST(x'53ff' AS TEXT)")
    with SQLiteEventStore(path) as store, pytest.raises(TamperDetected, match="snapshot text is not valid UTF-8"):
        store.load_snapshot("c")
    _raw(path, "UPDATE swp_streams SET case_id = CAST(x'63ff' AS TEXT)")
    with SQLiteEventStore(path) as store:
        with pytest.raises(TamperDetected, match="not UTF-8"):
            store.list_cases()
        assert len(store.verify_all().problems) == 2  # the headless events, the renamed head


# --------------------------------------------------------------------------- SQLite: triggers


def test_a_trigger_replaced_by_a_harmless_one_is_restored(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "s.sqlite3"
    with SQLiteEventStore(path) as store:
        events = store.append("c", 0, [event(1)])
    _raw(path, "CREATE TRIGGER swp_events_no_update BEFORE UPDATE ON swp_events BEGIN SELECT 1; END")
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for ddl in list(TRIGGERS.values())[1:]:
            conn.execute(ddl)
    finally:
        conn.close()
    with caplog.at_level(logging.WARNING, logger="socialwork_procurement.store"), SQLiteEventStore(path) as store:
        assert store.restored_triggers == ("swp_events_no_update",)
        assert store.load("c") == events
    assert "swp_events_no_update" in caplog.text and "recreated" in caplog.text
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE swp_events SET payload = '{}'")
    finally:
        conn.close()


# --------------------------------------------------------------------------- SQLite: databases of layout 1


def _legacy_rows(count: int) -> list[tuple[int, str, str, str, str]]:
    """``(version, payload, recorded_at, prev_hash, hash)`` of case "old" as layout 1 stored
    them: hashed with scheme 1, without their position."""
    rows, prev = [], GENESIS_HASH
    for version in range(1, count + 1):
        when = event(version).recorded_at.isoformat()
        payload = canonical_json({"n": version, "名称": "社工"})
        digest = event_hash(
            case_id="old",
            version=version,
            event_type="Noted",
            schema_version=1,
            payload_json=payload,
            recorded_at=when,
            prev_hash=prev,
        )
        rows.append((version, payload, when, prev, digest))
        prev = digest
    return rows


def _layout_1_sqlite(path: Path, *, events: int = 3) -> list[str]:
    """A store as the library wrote it before schema 2: the layout-1 DDL, version 1, and
    rows hashed with scheme 1 (no position). Returns the hashes."""
    conn = sqlite3.connect(path, isolation_level=None)
    hashes: list[str] = []
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        for ddl in (*_TABLES, *TRIGGERS.values()):
            conn.execute(ddl)
        conn.execute("PRAGMA user_version = 1")
        for row in _legacy_rows(events):
            conn.execute(
                "INSERT INTO swp_events (case_id, version, event_type, schema_version, payload, recorded_at,"
                " prev_hash, hash) VALUES ('old', ?, 'Noted', 1, ?, ?, ?, ?)",
                row,
            )
            hashes.append(row[-1])
        if not events:
            return hashes
        conn.execute(
            "INSERT INTO swp_streams VALUES ('old', ?, ?, ?, ?)",
            (events, hashes[-1], event(1).recorded_at.isoformat(), event(events).recorded_at.isoformat()),
        )
        snap = snapshot_hash(case_id="old", version=2, state_type="S", payload_json='{"s":2}', event_hash=hashes[1])
        conn.execute("INSERT INTO swp_snapshots VALUES ('old', 2, 'S', '{\"s\":2}', ?, ?)", (hashes[1], snap))
    finally:
        conn.close()
    return hashes


def test_a_layout_1_sqlite_store_is_upgraded_and_stays_readable(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    hashes = _layout_1_sqlite(path)
    with SQLiteEventStore(path) as store:
        loaded = store.load("old")
        assert [e.hash for e in loaded] == hashes
        assert {e.hash_scheme for e in loaded} == {HashScheme.LEGACY}
        assert store.load_snapshot("old") == Snapshot("old", 2, "S", {"s": 2}, hashes[1])
        assert store.verify("old") == CaseVerification("old", 3, hashes[-1], False, 3, 2)
        (new,) = store.append("old", 3, [event(4)])
        assert new.prev_hash == hashes[-1] and new.hash_scheme == HashScheme.SHA256
        assert store.verify("old").legacy_events == 3
        assert store.verify_all().ok
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
        assert conn.execute("SELECT value FROM swp_meta WHERE key = 'legacy_below'").fetchone() == ("4",)
    finally:
        conn.close()


def test_the_pinned_legacy_hash_still_verifies(tmp_path: Path) -> None:
    """The contract's golden scheme-1 hash, stored the way the old library stored it."""
    path = tmp_path / "old.sqlite3"
    _layout_1_sqlite(path, events=0)
    payload = canonical_json({"名称": "社工", "amount": "1.10", "items": [1, [2, 3]]})
    _raw(
        path,
        "INSERT INTO swp_events (case_id, version, event_type, schema_version, payload, recorded_at, prev_hash,"
        f" hash) VALUES ('golden', 1, 'Opened', 1, '{payload}', '2024-03-01T08:30:00+00:00', '{GENESIS_HASH}',"
        f" '{GOLDEN_HASH}')",
        f"INSERT INTO swp_streams VALUES ('golden', 1, '{GOLDEN_HASH}', '2024-03-01T08:30:00+00:00',"
        " '2024-03-01T08:30:00+00:00')",
    )
    with SQLiteEventStore(path) as store:
        assert store.verify("golden").head_hash == GOLDEN_HASH


def test_legacy_rows_cannot_claim_a_later_position(tmp_path: Path) -> None:
    """Scheme 1 does not cover the position, so it is accepted only below the boundary the
    upgrade recorded: a new row relabelled as legacy (to move it freely) is caught."""
    path = tmp_path / "old.sqlite3"
    _layout_1_sqlite(path)
    with SQLiteEventStore(path) as store:
        store.append("new", 0, [event(9)])
    _raw(path, "UPDATE swp_events SET hash_scheme = 1 WHERE case_id = 'new'")
    with SQLiteEventStore(path) as store, pytest.raises(TamperDetected, match="scheme 1"):
        store.load("new")


def test_a_keyed_store_may_adopt_a_layout_1_history(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    hashes = _layout_1_sqlite(path)
    with pytest.raises(StoreUnavailable, match="adopt_key"):
        SQLiteEventStore(path, key=TEST_KEY)
    with SQLiteEventStore(path, key=TEST_KEY, adopt_key=True) as store:
        assert [e.hash for e in store.load("old")] == hashes
        assert store.load_snapshot("old") is None
        (keyed,) = store.append("old", 3, [event(4)])
        assert store.verify("old") == CaseVerification("old", 4, keyed.hash, True, 3, None)


# --------------------------------------------------------------------------- PostgreSQL

postgres = pytest.mark.postgres


@postgres
def test_pg_a_layout_1_schema_is_upgraded_and_stays_readable(pg_dsn: str, schemas: _Schemas) -> None:
    schema = schemas()
    s = _q(schema)
    hashes: list[str] = []
    with _admin(pg_dsn) as conn, conn.transaction():
        conn.execute(f"CREATE SCHEMA {s}")
        conn.execute(f"CREATE TABLE {s}.swp_meta (key text PRIMARY KEY, value text NOT NULL)")
        for ddl in _tables(s):
            conn.execute(ddl)
        for name, body in FUNCTIONS.items():
            conn.execute(f"CREATE FUNCTION {s}.{name}() RETURNS trigger LANGUAGE plpgsql AS $f${body}$f$")
        for name in PG_TRIGGERS:
            conn.execute(_trigger_ddl(s, name))
        for row in _legacy_rows(2):
            conn.execute(
                f"INSERT INTO {s}.swp_events (case_id, version, event_type, schema_version, payload, recorded_at,"
                " prev_hash, hash) VALUES ('old', %s, 'Noted', 1, %s::json, %s::timestamptz, %s, %s)",
                row,
            )
            hashes.append(row[-1])
        conn.execute(
            f"INSERT INTO {s}.swp_streams VALUES ('old', 2, %s, %s::timestamptz, %s::timestamptz)",
            (hashes[-1], event(1).recorded_at.isoformat(), event(2).recorded_at.isoformat()),
        )
    with PostgresEventStore(pg_dsn, schema=schema) as store:
        assert [e.hash for e in store.load("old")] == hashes
        assert store.verify("old") == CaseVerification("old", 2, hashes[-1], False, 2, None)
        (new,) = store.append("old", 2, [event(3)])
        assert new.hash_scheme == HashScheme.SHA256 and new.prev_hash == hashes[-1]
        assert store.verify_all().ok
    with _admin(pg_dsn) as conn:
        meta = dict(conn.execute(f"SELECT key, value FROM {s}.swp_meta").fetchall())
    assert meta["schema_version"] == "2" and meta["legacy_below"] == "3"


@postgres
def test_pg_a_lost_connection_is_a_store_error(pg_dsn: str, schemas: _Schemas) -> None:
    with PostgresEventStore(pg_dsn, schema=schemas()) as store:
        store.append("c", 0, [event(1)])
        pid = store._dialect.conn.info.backend_pid
        with _admin(pg_dsn) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        for _ in range(2):  # the failing call, and every call after it
            with pytest.raises(StoreError) as info:
                store.load("c")
            assert info.value.kind == "connection"
            assert "open the store again" in str(info.value)


@postgres
def test_pg_a_read_only_session_is_a_store_error(pg_dsn: str, schemas: _Schemas) -> None:
    """``default_transaction_read_only`` (an administrator's safety net, and what a hot
    standby enforces) is respected: reads work, writes are refused as StoreError."""
    import psycopg

    with PostgresEventStore(pg_dsn, schema=schemas()) as store:
        (first,) = store.append("c", 0, [event(1)])
    with psycopg.connect(pg_dsn, autocommit=True) as conn:
        conn.execute("SET default_transaction_read_only = on")
        with PostgresEventStore(conn, schema=schemas()) as store:
            assert store.load("c") == (first,)
            for write in (
                lambda: store.append("c", 1, [event(2)]),
                lambda: store.save_snapshot(Snapshot("c", 1, "S", {}, first.hash)),
            ):
                with pytest.raises(StoreError) as info:
                    write()
                assert info.value.kind == "read_only"
            assert store.version("c") == 1


@postgres
def test_pg_text_cannot_hold_bytes_that_are_not_utf8(pg_dsn: str) -> None:
    """Why PostgreSQL has no counterpart of the SQLite test: a UTF8 database refuses them."""
    import psycopg

    with _admin(pg_dsn) as conn, pytest.raises(psycopg.errors.CharacterNotInRepertoire):
        conn.execute("SELECT convert_from('\\x7bff7d'::bytea, 'UTF8')")


@postgres
def test_pg_a_trigger_given_a_condition_is_restored(pg_dsn: str, schemas: _Schemas) -> None:
    import psycopg

    schema = schemas()
    s = _q(schema)
    with PostgresEventStore(pg_dsn, schema=schema) as store:
        store.append("c", 0, [event(1)])
    with _admin(pg_dsn) as conn:
        conn.execute(f"DROP TRIGGER swp_events_append_only ON {s}.swp_events")
        conn.execute(
            f"CREATE TRIGGER swp_events_append_only BEFORE UPDATE OR DELETE ON {s}.swp_events"
            f" FOR EACH ROW WHEN (false) EXECUTE FUNCTION {s}.swp_refuse_change()"
        )
    with PostgresEventStore(pg_dsn, schema=schema) as store:
        assert store.restored_triggers == ("swp_events_append_only",)
    with _admin(pg_dsn) as conn, pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
        conn.execute(f"UPDATE {s}.swp_events SET version = 9")
