"""Xiamen's planning indicators: none, since 厦府办〔2015〕3号 sets no dated planning target."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Indicator

INDICATORS: Final[tuple[Indicator, ...]] = ()
