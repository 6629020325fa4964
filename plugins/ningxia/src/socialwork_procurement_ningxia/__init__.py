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

from ._pack import NingxiaPack
from ._rules import (
    DATES_NOTE,
    DISCLOSURE_ITEMS,
    EFFECTIVE,
    FIVE_FIELDS,
    PRIORITY_GROUPS,
    REGION,
    REGION_CODE,
    REQUIRED_CONTRACT_TERMS,
    RULE_IDS,
    RULES,
    SILENCES,
    SOURCE,
    SOURCES,
    disclosure_status,
    evaluation_results_due,
)

__all__ = [
    "DATES_NOTE",
    "DISCLOSURE_ITEMS",
    "EFFECTIVE",
    "FIVE_FIELDS",
    "NingxiaPack",
    "PRIORITY_GROUPS",
    "REGION",
    "REGION_CODE",
    "REQUIRED_CONTRACT_TERMS",
    "RULES",
    "RULE_IDS",
    "SILENCES",
    "SOURCE",
    "SOURCES",
    "disclosure_status",
    "evaluation_results_due",
    "pack",
]

pack: Final = NingxiaPack()
"""The pack instance the entry point ``ningxia = "socialwork_procurement_ningxia:pack"`` loads."""
