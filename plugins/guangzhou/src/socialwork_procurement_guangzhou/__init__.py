"""Guangzhou rule pack for socialwork-procurement: the city's figures in the 2012 南方日报 report.

Region ``guangzhou`` lies in ``guangdong`` (``Region.parent``): a check here consults the national,
Guangdong and Guangzhou layers, so the province's annual-catalogue duty applies to a Guangzhou
purchaser. Installed, it registers through the ``socialwork_procurement`` entry-point group::

    import socialwork_procurement as swp

    registry = swp.load_registry()
    registry.layers("guangzhou")          # ('national', 'guangdong', 'guangzhou')
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import RulePack

from ._indicators import INDICATORS
from ._periods import PERIODS
from ._rules import RULE_IDS, RULES
from ._silences import SILENCES
from ._sources import DATES_NOTE, EFFECTIVE, REGION, REGION_CODE, SOURCES

pack: Final = RulePack(region=REGION, rules=RULES, silences=SILENCES, indicators=INDICATORS, periods=PERIODS)
"""The pack the entry point ``guangzhou = "socialwork_procurement_guangzhou:pack"`` loads."""

__all__ = [
    "DATES_NOTE", "EFFECTIVE", "INDICATORS", "PERIODS", "REGION", "REGION_CODE", "RULES", "RULE_IDS", "SILENCES",
    "SOURCES", "pack",
]
