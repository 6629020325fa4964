"""Xiamen rule pack for socialwork-procurement: 厦府办〔2015〕3号 (seed 003).

Installed, it registers under the ``socialwork_procurement`` entry-point group as ``xiamen``;
``socialwork_procurement.load_registry()`` then answers for region ``"xiamen"``. The module
exports the pack (a :class:`~socialwork_procurement.RulePack`) and its records as data.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import RulePack

from ._indicators import INDICATORS
from ._periods import PERIODS
from ._predicates import SOCIAL_WORK_AGENCY
from ._rules import FEE_SCHEDULE, RULES
from ._silences import SILENCES
from ._sources import (
    AFTER_PILOT,
    DATES_NOTE,
    DATES_NOTE_AFTER_PILOT,
    EFFECTIVE_FROM,
    PILOT_CAVEAT_EN,
    PILOT_CAVEAT_ZH,
    PILOT_END,
    REGION,
    REGION_CODE,
    SOURCES,
    XIAMEN_2015,
)

pack: Final = RulePack(region=REGION, rules=RULES, silences=SILENCES, indicators=INDICATORS, periods=PERIODS)
"""The pack the entry point ``xiamen = "socialwork_procurement_xiamen:pack"`` loads."""

__all__ = [
    "AFTER_PILOT", "DATES_NOTE", "DATES_NOTE_AFTER_PILOT", "EFFECTIVE_FROM", "FEE_SCHEDULE", "INDICATORS", "PERIODS",
    "PILOT_CAVEAT_EN", "PILOT_CAVEAT_ZH", "PILOT_END", "REGION", "REGION_CODE", "RULES", "SILENCES",
    "SOCIAL_WORK_AGENCY", "SOURCES", "XIAMEN_2015", "pack",
]
