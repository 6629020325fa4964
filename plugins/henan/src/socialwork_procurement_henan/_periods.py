"""Henan's periods: none. Seed 002 names the 「十四五」 (14th Five-Year) period but states no dates for it."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Period

PERIODS: Final[tuple[Period, ...]] = ()
