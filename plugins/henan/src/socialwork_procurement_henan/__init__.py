"""Henan (河南省) rule pack for socialwork-procurement.

Two sources, each with its own dates: 《河南省政府购买社会工作服务实施办法》 (2013, as reported by
郑州晚报, seed 000; in force by about 2013-10-22, inferred) and 《河南省“十四五”民政事业发展规划》
(news item of 2022-03-01, seed 002). Installed through the entry point
``[project.entry-points.socialwork_procurement] henan = "socialwork_procurement_henan:pack"``.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import RulePack

from ._indicators import INDICATORS
from ._periods import PERIODS
from ._rules import RULES
from ._silences import SILENCES
from ._sources import HENAN, HENAN_2013, HENAN_2022, REGION, REGION_CODE, SOURCES

pack: Final = RulePack(region=REGION, rules=RULES, silences=SILENCES, indicators=INDICATORS, periods=PERIODS)
"""The pack the entry point names."""

__all__ = [
    "HENAN", "HENAN_2013", "HENAN_2022", "INDICATORS", "PERIODS", "REGION", "REGION_CODE", "RULES", "SILENCES",
    "SOURCES", "pack",
]
