"""Guangzhou's 2012 figures, as indicators an app can measure its own against (RULES.md A.5).

Both are the body's, not the headline's: the 2.6亿 is Guangzhou's planned purchase for 2012 («今年»:
due 2012-12-31), and the 132 centres are due by the end of June 2012 («在今年6月底前…至少»).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from socialwork_procurement import Indicator

from ._sources import REGION_CODE

INDICATORS: Final[tuple[Indicator, ...]] = (
    Indicator(
        indicator_id="guangzhou.purchase_funds_2012",
        rule_id="guangzhou2012.funding.amount",
        region=REGION_CODE,
        description_zh="2012年广州市安排2.6亿元购买社工服务,用于社区家庭综合服务中心建设",
        description_en="RMB 260 million arranged in 2012 to purchase social-work services for family service centres",
        target=Decimal("260000000"),
        unit="yuan",
        due=date(2012, 12, 31),
    ),
    Indicator(
        indicator_id="guangzhou.family_service_centres_2012_06",
        rule_id="guangzhou2012.target.fsc_count",
        region=REGION_CODE,
        description_zh="2012年6月底前广州市至少建成132个社区家庭综合服务中心",
        description_en="At least 132 community family service centres built by the end of June 2012",
        target=Decimal(132),
        unit="family service centres",
        due=date(2012, 6, 30),
    ),
)
