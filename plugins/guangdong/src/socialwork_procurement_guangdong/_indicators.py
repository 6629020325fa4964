"""Guangdong's dated targets, as indicators an app can measure its own figures against.

Only targets the article dates are here: the 12th Five-Year Plan's (its «期末», the end of 2015: the plan
runs 2011-2015), the 2012 ones («今年») and the training bases «到2015年». Not here: the 20% posts in
mass organisations' institutions (no deadline), «每个市…1个市级培育基地» (one base in *each* city is no
single figure to compare), and every Guangzhou figure (the ``guangzhou`` region's).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from socialwork_procurement import Indicator

from ._sources import REGION_CODE

END_OF_12TH_FYP: Final = date(2015, 12, 31)
END_OF_2012: Final = date(2012, 12, 31)


def _indicator(indicator_id: str, rule_id: str, zh: str, en: str, target: int, unit: str, due: date,
               per: int | None = None, per_unit: str | None = None) -> Indicator:
    return Indicator(
        indicator_id=indicator_id,
        rule_id=rule_id,
        region=REGION_CODE,
        description_zh=zh,
        description_en=en,
        target=Decimal(target),
        unit=unit,
        due=due,
        per=None if per is None else Decimal(per),
        per_unit=per_unit,
    )


INDICATORS: Final[tuple[Indicator, ...]] = (
    _indicator("guangdong.professional_social_workers_2015", "guangdong2012.target.12th_fyp",
               "到“十二五”期末全省专业社会工作者达到5万人", "50,000 professional social workers by the end of 2015",
               50_000, "people", END_OF_12TH_FYP),
    _indicator("guangdong.certified_per_10000_2015", "guangdong2012.target.12th_fyp",
               "到“十二五”期末每万人持证社工人数达到5人",
               "5 certified social workers per 10,000 people by the end of 2015",
               5, "certified social workers", END_OF_12TH_FYP, per=10_000, per_unit="people"),
    _indicator("guangdong.public_service_units_post_share_2015", "guangdong2012.target.12th_fyp",
               "到“十二五”期末民政和工会、共青团、妇联、残联等系统的公益服务性事业单位社会工作岗位设置比例不低于20%",
               "At least 20% social-work posts in the public-service institutions of civil affairs, trade unions, "
               "the Youth League, women's and disabled persons' federations by the end of 2015",
               20, "percent", END_OF_12TH_FYP),
    _indicator("guangdong.private_agencies_2015", "guangdong2012.target.12th_fyp",
               "到“十二五”期末全省民办社会工作服务机构达到500家", "500 private social-work agencies by the end of 2015",
               500, "agencies", END_OF_12TH_FYP),
    _indicator("guangdong.civil_affairs_units_with_posts_2012", "guangdong2012.target.civil_affairs_units_posts",
               "2012年每个地级以上市20%以上的民政事业单位设立社工岗位",
               "20% or more of each prefecture-level city's civil-affairs public institutions set up social-work "
               "posts in 2012", 20, "percent", END_OF_2012),
    _indicator("guangdong.provincial_training_bases_2015", "guangdong2012.target.training_bases_2015",
               "争取到2015年建成4个省级社会工作人才培育基地", "4 provincial social-work talent training bases by 2015",
               4, "training bases", END_OF_12TH_FYP),
    _indicator("guangdong.prd_central_districts_coverage_2012", "guangdong2012.scope.prd_coverage",
               "2012年珠三角中心城区争取全部铺开专业社会工作服务",
               "Professional social-work services in all of the Pearl River Delta's central districts in 2012",
               100, "percent", END_OF_2012),
)
