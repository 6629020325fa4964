"""Guangdong rule pack for socialwork-procurement.

The 2012 南方日报 report on Guangdong's social-work workforce and its purchase of social-work services
(seed ``001_24c363d98d86521a.txt``; RULES.md A.5 and A.8). Installed, it registers region ``guangdong``
through the ``socialwork_procurement`` entry-point group::

    import socialwork_procurement as swp

    registry = swp.load_registry()
    verdict = registry.check(case, region="guangdong", on=date(2012, 6, 1))

Guangzhou's figures in the same article are the region ``guangzhou`` (``socialwork-procurement-guangzhou``),
whose region lies in this one: a check there consults this pack's rules too.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import RulePack

from ._indicators import INDICATORS
from ._periods import PERIODS
from ._predicates import DUTY_LEVELS, disclosure_annual_catalogue
from ._rules import RULE_IDS, RULES
from ._silences import SILENCES
from ._sources import DATES_NOTE, EFFECTIVE, REGION, REGION_CODE, SEED_FILE, SOURCE, SOURCES

pack: Final = RulePack(region=REGION, rules=RULES, silences=SILENCES, indicators=INDICATORS, periods=PERIODS)
"""The pack the entry point ``guangdong = "socialwork_procurement_guangdong:pack"`` loads."""

__all__ = [
    "DATES_NOTE", "DUTY_LEVELS", "EFFECTIVE", "INDICATORS", "PERIODS", "REGION", "REGION_CODE", "RULES", "RULE_IDS",
    "SEED_FILE", "SILENCES", "SOURCE", "SOURCES", "disclosure_annual_catalogue", "pack",
]
