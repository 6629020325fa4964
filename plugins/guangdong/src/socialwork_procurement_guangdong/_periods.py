"""Guangdong's periods: none, since the article dates no period (its «今年» is a horizon, not a phase)."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Period

PERIODS: Final[tuple[Period, ...]] = ()
