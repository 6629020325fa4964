"""Screening on a Dask cluster, partition by partition, with the results of the local run.

Needs the ``dask`` extra (``dask[distributed]``); a DataFrame also needs ``dask[dataframe]``. The
workers must have the same distributions installed as the client: the core, and every region pack
(``pip install socialwork-procurement[dask] socialwork-procurement-xiamen …`` on each machine), because
a worker loads the packs from its own environment, once per process, and keeps the screener for
each (region, day, national layer) in :data:`_SCREENERS`.
"""

from __future__ import annotations

import collections
import importlib
import itertools
import math
import threading
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from ..rules._registry import Registry
from ._readers import row_record, table_layout
from ._screen import ExtraNotInstalled, Screener, ScreenResult

_SCREENERS: dict[tuple[str, date, bool, bool], Screener] = {}
"""Screeners built in this process (a worker's), by (region, day, national layer, full verdicts)."""
_REGISTRIES: dict[bool, Registry] = {}
_LOCK = threading.Lock()

DEFAULT_CHUNK = 2000
"""Records per task of :func:`screen_cluster`: small enough that a task's data stays well under the
size Dask warns about, large enough that scheduling costs little per record."""


def _import(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:
        raise ExtraNotInstalled(name, "dask") from None


def worker_screener(region: str, on: date, national: bool, full: bool) -> Screener:
    """This process's screener for (region, day, national layer), built the first time it is asked for."""
    key = (region, on, national, full)
    screener = _SCREENERS.get(key)
    if screener is None:
        from ..rules._plugins import load_registry

        with _LOCK:
            screener = _SCREENERS.get(key)
            if screener is None:
                registry = _REGISTRIES.get(national)
                if registry is None:
                    registry = _REGISTRIES[national] = load_registry(national=national)
                screener = _SCREENERS[key] = Screener(registry, region=region, on=on, national=national, full=full)
    return screener


def screen_partition(
    records: Iterable[object], partition: int, region: str, on: date, national: bool, full: bool, start: int = 0
) -> list[ScreenResult]:
    """Screen one partition (run on a worker); records that are not a reader's are numbered from ``start``."""
    screener = worker_screener(region, on, national, full)
    return list(screener.screen(records, partition=partition, start=start))


def _plain(value: object) -> object:
    """A DataFrame cell as a plain Python value: numpy scalars unwrapped, missing values ``None``."""
    if value is None:
        return None
    module = type(value).__module__
    if module.startswith("numpy") and hasattr(value, "item"):
        value = value.item()
    elif type(value).__name__ in ("NAType", "NaTType"):
        return None
    if isinstance(value, float) and math.isnan(value):
        return None  # a DataFrame's own mark for a missing cell
    return value


def screen_frame_partition(
    frame: Any,
    partition: int,
    headers: Sequence[str],
    ignore_columns: Sequence[str],
    region: str,
    on: date,
    national: bool,
    full: bool,
) -> list[ScreenResult]:
    """Screen one pandas partition of a DataFrame (run on a worker): each row read like a CSV row."""
    screener = worker_screener(region, on, national, full)
    layout = table_layout(headers, ignore_columns=ignore_columns)
    out: list[ScreenResult] = []
    for row, values in enumerate(frame.itertuples(index=False, name=None)):
        record = row_record([_plain(v) for v in values], layout, index=row, line=None)
        out.append(screener.screen_one(record, partition=partition))
    return out


def _check_region(region: str, on: date, national: bool) -> None:
    # Here, on the client, so an unknown region fails before the cluster does any work.
    worker_screener(region, on, national, False)


def screen_dask(
    collection: Any,
    *,
    region: str,
    on: date,
    national: bool = True,
    full: bool = False,
    ignore_columns: Sequence[str] = (),
) -> Any:
    """A Dask bag of :class:`ScreenResult`, one per record of ``collection``, partition by partition.

    ``collection`` is a ``dask.bag.Bag`` of records (anything :func:`screen` takes: cases,
    contractors, JSON objects, reader records) or a ``dask.dataframe.DataFrame`` whose columns are
    named as a CSV's (dotted names or Chinese headers; read CSV files with ``dtype=str`` and
    ``keep_default_na=False`` so that cells stay text). Each result carries its ``partition``; its
    ``index`` is the record's position in that partition. The results, in order, are those of
    :func:`screen` on the same records. Nothing runs until the bag is computed.
    """
    dask = _import("dask")
    bag = _import("dask.bag")
    _check_region(region, on, national)
    parts = collection.to_delayed()
    if hasattr(collection, "columns"):
        headers = tuple(str(c) for c in collection.columns)
        table_layout(headers, ignore_columns=ignore_columns)  # an unknown column fails here, not on a worker
        task = dask.delayed(screen_frame_partition, pure=True)
        tasks = [
            task(part, i, headers, tuple(ignore_columns), region, on, national, full) for i, part in enumerate(parts)
        ]
    else:
        task = dask.delayed(screen_partition, pure=True)
        tasks = [task(part, i, region, on, national, full) for i, part in enumerate(parts)]
    return bag.from_delayed(tasks)


def screen_cluster(
    records: Iterable[object],
    *,
    scheduler: Any,
    region: str,
    on: date,
    national: bool = True,
    full: bool = False,
    chunk_size: int = DEFAULT_CHUNK,
    in_flight: int | None = None,
) -> Iterator[ScreenResult]:
    """Screen a local stream of records on a Dask cluster, yielding the results in input order.

    ``scheduler`` is a scheduler address (``tcp://10.0.0.5:8786``) or a ``distributed.Client``.
    The records are sent in chunks of ``chunk_size``, at most ``in_flight`` chunks at a time
    (default: two per worker thread), so memory stays bounded however long the stream is. Each
    chunk travels inside its task, so when a worker dies the scheduler runs the task again
    elsewhere and every record is still screened and yielded exactly once. ``partition`` is the
    chunk's number.
    """
    distributed = _import("distributed")
    if chunk_size < 1:
        raise ValueError("chunk_size must be at least 1")
    _check_region(region, on, national)
    own = not isinstance(scheduler, distributed.Client)
    client = distributed.Client(scheduler) if own else scheduler
    try:
        if in_flight is None:
            in_flight = max(2, 2 * sum(client.nthreads().values()))
        pending: collections.deque[Any] = collections.deque()
        iterator = iter(records)
        for number in itertools.count():
            chunk = list(itertools.islice(iterator, chunk_size))
            if not chunk:
                break
            pending.append(
                client.submit(
                    screen_partition, chunk, number, region, on, national, full, number * chunk_size, pure=False
                )
            )
            while len(pending) >= in_flight:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        if own:
            client.close()
