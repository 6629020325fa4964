"""Screening on a real Dask cluster (two worker processes): the local results, bad records located, a worker killed."""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

distributed = pytest.importorskip(
    "distributed", reason="the dask extra is not installed: pip install -e '.[dask]'"
)
dask_bag = pytest.importorskip("dask.bag", reason="the dask extra is not installed: pip install -e '.[dask]'")

import cloudpickle  # noqa: E402 - installed with distributed

import socialwork_procurement as swp  # noqa: E402
from socialwork_procurement.cli._main import main  # noqa: E402
from socialwork_procurement.screening import ScreenResult, read_records, screen, screen_cluster, screen_dask  # noqa: E402

# Functions of this module run on the workers, which cannot import a test module: send them by value.
cloudpickle.register_pickle_by_value(sys.modules[__name__])

ROOT = Path(__file__).resolve().parents[1]
PILOT = date(2015, 3, 1)


def _bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_screen", ROOT / "benchmarks" / "bench_screen.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def generated(count: int) -> list[dict[str, Any]]:
    return list(_bench().synthetic_records(count, seed=5))


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2, processes=True, threads_per_worker=1, host="127.0.0.1", dashboard_address=None
    ) as cluster, distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def registry() -> swp.Registry:
    return swp.load_registry()


def _answer(r: ScreenResult) -> tuple[Any, ...]:
    """What a result says about its record, apart from where it was screened."""
    return (r.decision, r.failed, r.unknown, r.deciding, r.conflicts, r.problems, r.name, r.uscc)


def test_a_bag_screens_as_the_local_run_with_partitions_and_rows(client: Any, registry: swp.Registry) -> None:
    records: list[Any] = generated(400)
    records[137] = {"name": "某", "legal_form": "charity"}  # bad: in partition 1 (100 records each), row 37
    local = list(screen(records, region="xiamen", on=PILOT, registry=registry))
    bag = dask_bag.from_sequence(records, npartitions=4)
    results = screen_dask(bag, region="xiamen", on=PILOT).compute()
    assert [_answer(r) for r in results] == [_answer(r) for r in local]
    assert [(r.partition, r.index) for r in results] == [(i // 100, i % 100) for i in range(400)]
    bad = [r for r in results if not r.ok]
    assert [(r.partition, r.index) for r in bad] == [(1, 37)]
    assert bad[0].problems[0].path == "$.contractor.legal_form"
    assert {r.decision for r in results if r.ok} == set(swp.Decision)  # a registry with every decision


def test_a_dataframe_of_a_chinese_csv_screens_as_the_local_run(
    client: Any, registry: swp.Registry, tmp_path: Path
) -> None:
    dd = pytest.importorskip("dask.dataframe", reason="DataFrame input needs dask[dataframe] (pandas)")
    path = tmp_path / "registry.csv"
    _bench().write_registry(path, 300, chinese=True, seed=9)
    text = path.read_text(encoding="utf-8").splitlines()
    text[120] = text[120].replace("是", "yes", 1)  # one bad cell, record 119
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    local = list(screen(read_records(path), region="xiamen", on=PILOT, registry=registry))
    frame = dd.read_csv(str(path), dtype=str, keep_default_na=False, blocksize=8_000)
    assert frame.npartitions > 1
    results = screen_dask(frame, region="xiamen", on=PILOT).compute()
    assert [_answer(r) for r in results] == [_answer(r) for r in local]
    (bad,) = [r for r in results if not r.ok]
    assert bad.problems[0].column is not None and "yes" in bad.problems[0].message
    sizes = frame.map_partitions(len).compute()
    assert sum(sizes[: bad.partition]) + bad.index == 119  # its partition and row locate it in the file
    frame["登记管理机关"] = "厦门市民政局"
    with pytest.raises(swp.InvalidInput):  # refused here, on the client, before any worker runs
        screen_dask(frame, region="xiamen", on=PILOT)
    again = screen_dask(frame, region="xiamen", on=PILOT, ignore_columns=["登记管理机关"]).compute()
    assert [_answer(r) for r in again] == [_answer(r) for r in local]


def test_an_unknown_region_fails_before_the_cluster_works(client: Any) -> None:
    bag = dask_bag.from_sequence(generated(10), npartitions=2)
    with pytest.raises(swp.UnknownRegion):
        screen_dask(bag, region="atlantis", on=PILOT)


def _slowly(record: Any) -> Any:
    time.sleep(0.002)  # the input pipeline takes time, so that the run is still going when a worker dies
    return record


def _kill_a_busy_worker(client: Any) -> int:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            pid = client.run(os.getpid, workers=[busy[0]])[busy[0]]
            os.kill(pid, signal.SIGKILL)
            return int(pid)
        time.sleep(0.01)
    raise AssertionError("no worker was busy")


def _wait_for_workers(client: Any, pid: int) -> None:
    client.wait_for_workers(2, timeout=30)
    assert pid not in client.run(os.getpid).values()


def test_a_worker_killed_mid_run_every_record_screened_once(client: Any, registry: swp.Registry) -> None:
    records = generated(600)
    local = list(screen(records, region="xiamen", on=PILOT, registry=registry))
    bag = dask_bag.from_sequence(records, npartitions=12).map(_slowly)
    future = client.compute(screen_dask(bag, region="xiamen", on=PILOT))
    pid = _kill_a_busy_worker(client)
    results = future.result(timeout=120)
    assert not future.cancelled()
    assert len(results) == 600
    assert [(r.partition, r.index) for r in results] == [(i // 50, i % 50) for i in range(600)]
    assert [_answer(r) for r in results] == [_answer(r) for r in local]
    _wait_for_workers(client, pid)


def test_cluster_stream_worker_killed_every_record_once_in_order(client: Any, registry: swp.Registry) -> None:
    records = generated(3000)
    local = list(screen(records, region="xiamen", on=PILOT, registry=registry))
    results: list[ScreenResult] = []
    killed: list[int] = []
    killer = threading.Thread(target=lambda: killed.append(_kill_a_busy_worker(client)))
    for result in screen_cluster(records, scheduler=client, region="xiamen", on=PILOT, chunk_size=100, in_flight=6):
        results.append(result)
        if len(results) == 100:  # the first chunk is back: kill a worker while the stream goes on
            killer.start()
    killer.join()
    assert len(killed) == 1
    assert [r.index for r in results] == list(range(3000))  # each once, in order
    assert [r.partition for r in results] == [i // 100 for i in range(3000)]
    assert [_answer(r) for r in results] == [_answer(r) for r in local]
    _wait_for_workers(client, killed[0])


def test_swp_screen_dask_writes_what_the_local_run_writes(
    client: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "registry.jsonl"
    records = generated(250)
    lines = [json.dumps(r, ensure_ascii=False) for r in records]
    lines.insert(100, "{broken")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    argv = ["screen", str(path), "--region", "xiamen", "--on", "2015-03-01", "--lang", "en"]
    assert main(argv) == 2
    local_out, local_err = capsys.readouterr()
    assert main([*argv, "--dask", client.scheduler.address]) == 2
    remote_out, remote_err = capsys.readouterr()
    local_rows = [json.loads(line) for line in local_out.splitlines()]
    remote_rows = [json.loads(line) for line in remote_out.splitlines()]
    assert [r.pop("partition") for r in remote_rows] == [i // 2000 for i in range(251)]
    assert remote_rows == local_rows
    assert "swp: line 101: $: not valid JSON" in remote_err
    assert remote_err.splitlines()[-12:] == local_err.splitlines()[-12:]  # the same summary
