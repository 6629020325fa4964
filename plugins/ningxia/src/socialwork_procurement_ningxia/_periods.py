"""Ningxia's periods: none, since the source dates no period."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Period

PERIODS: Final[tuple[Period, ...]] = ()
