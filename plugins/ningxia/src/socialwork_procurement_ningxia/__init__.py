"""Ningxia rule pack for socialwork-procurement.

宁夏民政厅《关于健全完善政府购买民政领域社会工作服务机制的实施意见》(«六个规范»), as reported by
宁夏新闻网 (seed ``004_0945842d0c95d02d.txt``; RULES.md A.4). Installed, it registers region
``ningxia`` through the ``socialwork_procurement`` entry-point group::

    import socialwork_procurement as swp

    registry = swp.load_registry()
    verdict = registry.check(case, region="ningxia", on=date(2024, 3, 1))
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import RulePack

from ._indicators import INDICATORS
from ._periods import PERIODS
from ._predicates import (
    DISCLOSURE_ITEMS,
    FEEDBACK_USE,
    FIVE_FIELDS,
    PRIORITY_GROUPS,
    REQUIRED_CONTRACT_TERMS,
    SPECIFIC_CONDITIONS,
    SUBJECT_MATTER_TERMS,
    DisclosureDue,
    disclosure_schedule,
    disclosure_status,
    evaluation_results_due,
)
from ._rules import RULE_IDS, RULES
from ._silences import SILENCES
from ._sources import DATES_NOTE, EFFECTIVE, REGION, REGION_CODE, SOURCE, SOURCES

pack: Final = RulePack(region=REGION, rules=RULES, silences=SILENCES, indicators=INDICATORS, periods=PERIODS)
"""The pack the entry point ``ningxia = "socialwork_procurement_ningxia:pack"`` loads."""

__all__ = [
    "DATES_NOTE", "DISCLOSURE_ITEMS", "EFFECTIVE", "FEEDBACK_USE", "FIVE_FIELDS", "INDICATORS", "PERIODS",
    "PRIORITY_GROUPS", "REGION", "REGION_CODE", "REQUIRED_CONTRACT_TERMS", "RULES", "RULE_IDS", "SILENCES", "SOURCE",
    "SOURCES", "SPECIFIC_CONDITIONS", "SUBJECT_MATTER_TERMS", "DisclosureDue", "disclosure_schedule",
    "disclosure_status", "evaluation_results_due", "pack",
]
