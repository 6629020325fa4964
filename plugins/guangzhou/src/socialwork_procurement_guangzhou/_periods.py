"""Guangzhou's periods: none, since the report dates no period."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Period

PERIODS: Final[tuple[Period, ...]] = ()
