"""Xiamen rule pack for socialwork-procurement: 厦府办〔2015〕3号 (seed 003).

Installed, it registers under the ``socialwork_procurement`` entry-point group as ``xiamen``;
``socialwork_procurement.load_registry()`` then answers for region ``"xiamen"``. The module
exports the pack object and its records as data.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Period, Region, Rule, Silence, hookimpl

from ._rules import (
    DATES_NOTE,
    EFFECTIVE_FROM,
    FEE_SCHEDULE,
    PERIODS,
    REGION,
    REGION_CODE,
    RULES,
    SILENCES,
    SOURCES,
    XIAMEN_2015,
)

__all__ = [
    "DATES_NOTE",
    "EFFECTIVE_FROM",
    "FEE_SCHEDULE",
    "PERIODS",
    "REGION",
    "REGION_CODE",
    "RULES",
    "SILENCES",
    "SOURCES",
    "XIAMEN_2015",
    "XiamenPack",
    "pack",
]


class XiamenPack:
    """The Xiamen pack: one region, its rules, periods and silences."""

    @hookimpl
    def swp_regions(self) -> list[Region]:
        return [REGION]

    @hookimpl
    def swp_rules(self) -> list[Rule]:
        return list(RULES)

    @hookimpl
    def swp_silences(self) -> list[Silence]:
        return list(SILENCES)

    @hookimpl
    def swp_periods(self) -> list[Period]:
        return list(PERIODS)


pack: Final = XiamenPack()
