"""Bulk screening of registries, «where may we bid», and screening on a Dask cluster.

- :func:`screen` and :class:`Screener`: one compact :class:`ScreenResult` per record, in constant memory,
  identical to :meth:`Registry.check` record by record;
- :func:`read_records`: JSON Lines, CSV (dotted or Chinese headers) and Excel ``.xlsx`` registries;
- :func:`where`: one contractor in every installed region, with each region's evaluation fee;
- :func:`screen_dask` and :func:`screen_cluster`: the same on a Dask cluster (the ``dask`` extra).
"""

from __future__ import annotations

from ._dask import screen_cluster, screen_dask
from ._readers import CHINESE_HEADERS, CHINESE_VALUES, COLUMNS, read_records
from ._screen import ExtraNotInstalled, RecordProblem, Screener, ScreenResult, ScreenSummary, SourceRecord, screen
from ._where import WhereFee, WhereRow, where

__all__ = [
    "CHINESE_HEADERS",
    "CHINESE_VALUES",
    "COLUMNS",
    "ExtraNotInstalled",
    "RecordProblem",
    "ScreenResult",
    "ScreenSummary",
    "Screener",
    "SourceRecord",
    "WhereFee",
    "WhereRow",
    "read_records",
    "screen",
    "screen_cluster",
    "screen_dask",
    "where",
]
