"""Ningxia's planning indicators: none, since the source sets no dated planning target."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Indicator

INDICATORS: Final[tuple[Indicator, ...]] = ()
