"""The Henan pack: hands the core its region, rules, silences and indicators once, at load time."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Indicator, Region, Rule, Silence, hookimpl

from ._records import INDICATORS, SILENCES
from ._rules import RULES
from ._sources import REGION, SOURCES

HENAN: Final = Region(code=REGION, name_zh="河南省", name_en="Henan Province", sources=SOURCES)


class HenanPack:
    """Henan (河南省): the 2013 implementation measures (seed 000) and the 2022 plan (seed 002).

    No ``swp_periods``: seed 002 names the 「十四五」 period but states no dates for it.
    """

    @hookimpl
    def swp_regions(self) -> list[Region]:
        return [HENAN]

    @hookimpl
    def swp_rules(self) -> list[Rule]:
        return list(RULES)

    @hookimpl
    def swp_silences(self) -> list[Silence]:
        return list(SILENCES)

    @hookimpl
    def swp_indicators(self) -> list[Indicator]:
        return list(INDICATORS)
