"""Guangzhou's source, the region inside Guangdong, and the verbatim quotes its rules cite.

The source is the one the ``guangdong`` pack cites, the 2012 南方日报 report (seed 001, RULES.md A.5):
its body gives Guangzhou the 2.6亿 the headline gives Guangdong, and the 132 family service centres.
The :class:`Source` record is the Guangdong pack's own (one article, one record). The region lies in
``guangdong`` (``parent``), so a check here consults the national, Guangdong and Guangzhou layers.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Region
from socialwork_procurement_guangdong import EFFECTIVE, SEED_FILE, SOURCE

REGION_CODE: Final = "guangzhou"

SOURCES: Final = (SOURCE,)

DATES_NOTE: Final = (
    "effective_from 2012-02-08 is the date of the forum repost of the 南方日报 report, the only date the seed "
    "states (the Guangzhou civil-affairs bureau's deputy director spoke at a meeting of «昨日»); the report "
    "states no date of effect and no end, so effective_to is None. «今年» is 2012: the figures' horizons are the "
    "due dates of the indicators (2012-06-30, 2012-12-31)."
)

REGION: Final = Region(
    code=REGION_CODE,
    name_zh="广州市",
    name_en="Guangzhou",
    sources=SOURCES,
    parent="guangdong",
)

# Verbatim quotes from seed 001, one a rule (named after the rule id).

Q_FUNDING_AMOUNT: Final = "今年广州市将安排2.6亿元购买社工服务用于社区家庭综合服务中心建设。"
Q_TARGET_FSC_COUNT: Final = "在今年6月底前,广州市至少将建成132个社区家庭综合服务中心。"
Q_CONTRACTOR_PNEU_OPERATES_FSC: Final = "街道家庭综合服务中心通过政府购买社会服务的方式由民办社会工作服务机构承接运营。"

__all__ = [
    "DATES_NOTE", "EFFECTIVE", "Q_CONTRACTOR_PNEU_OPERATES_FSC", "Q_FUNDING_AMOUNT", "Q_TARGET_FSC_COUNT", "REGION",
    "REGION_CODE", "SEED_FILE", "SOURCE", "SOURCES",
]
