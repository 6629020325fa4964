"""Guangdong's source, its date, the region, and the verbatim quotes the rules cite.

The only source is a 南方日报 article (记者观察 «广东社会建设再加速», by 李强) reposted on the 清流社工网 forum
on 2012-02-08: seed 001, RULES.md A.5 and A.8. It is a news report of two provincial meetings, not an
instrument: it reports what departments said they will do in 2012 and the province's targets, and gives
no document number. Lines of the seed carry anti-scraping junk at their ends; every quote stops before
it (``tests/test_guangdong_pack.py`` finds each quote in the seed with ``assert_quotes_verbatim``).

**Body over headline.** The headline says «广东今年投2.6亿购买社工服务»; the body gives the 2.6亿 to
Guangzhou («今年广州市将安排2.6亿元…»). Guangzhou's figures are therefore not Guangdong's: they are the
region ``guangzhou`` (the pack ``socialwork-procurement-guangzhou``, whose region lies in this one), and
none of them is a rule or indicator here.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Region, Source

REGION_CODE: Final = "guangdong"

SEED_FILE: Final = "001_24c363d98d86521a.txt"

SOURCE: Final = Source(
    file=SEED_FILE,
    title="广东今年投2.6亿购买社工服务(南方日报报道;清流社工网转载)",
    number=None,
    date=date(2012, 2, 8),
    date_note=(
        "the date of the forum repost (发表于 2012-2-8 15:55), the only date the seed states; the 南方日报 "
        "article it reposts reports two provincial meetings held «昨天», so the statements were made in early "
        "February 2012; the article gives no document number"
    ),
)
SOURCES: Final = (SOURCE,)

EFFECTIVE: Final = date(2012, 2, 8)
"""First day the rules apply: the date of the repost, the only date the seed states."""

DATES_NOTE: Final = (
    "effective_from 2012-02-08 is the date of the forum repost, the only date the seed states (the article "
    "reports meetings of «昨天», early February 2012); the article is a news report of announced policy and "
    "states no date of effect and no end, so effective_to is None. What it says of «今年» concerns 2012; the "
    "targets' horizons are the due dates of the indicators (2012-12-31, 2015-12-31). Later Guangdong "
    "instruments, not in the seeds, are not encoded."
)

REGION: Final = Region(
    code=REGION_CODE,
    name_zh="广东省",
    name_en="Guangdong",
    sources=SOURCES,
)

# Verbatim quotes from seed 001, one a rule (named after the rule id); each stops before the line's junk.

Q_FUNDING_FISCAL_BUDGET: Final = "今年我省各级财政部门将把本级政府应负担的社工专业人才队伍建设经费纳入同级财政预算"
Q_DISCLOSURE_ANNUAL_CATALOGUE: Final = (
    "省市县各级要全面推广政府购买社工服务机制,制定并公布年度购买社工服务和管理的事项目录。"
)
Q_TARGET_12TH_FYP: Final = (
    "到“十二五”期末,我省专业社会工作者达到5万人,每万人持证社工人数达到5人;民政和工会、共青团、妇联、残联等系统的"
    "公益服务性事业单位,社会工作岗位设置比例不低于20%;全省民办社会工作服务机构达到500家。"
)
Q_TARGET_CIVIL_AFFAIRS_UNITS_POSTS: Final = (
    "今年,各地级以上市20%以上的民政事业单位(老人院、福利院、救助站等,记者注),县(市、区)规模相对较大、"
    "服务对象较多的民政事业单位要设立社工岗位,引入专业社工服务。"
)
Q_TARGET_MASS_ORG_UNITS_POSTS: Final = "工会、共青团、妇联、残联系统的公益服务类事业单位社工岗位设置不低于20%。"
Q_TARGET_TRAINING_BASES_2015: Final = (
    "争取到2015年,建成4个省级社会工作人才培育基地,每个市争取建立1个市级培育基地。"
)
Q_FUNDING_LOTTERY_PILOT_SUBSIDY: Final = (
    "从省级福彩公益金中安排专项经费,对试点积极性高、工作扎实的地区和单位给予补助。"
)
Q_SCOPE_PRD_COVERAGE: Final = (
    "珠三角的中心城区在今年要争取全部铺开专业社会工作服务,欠发达地区开展专业社工服务试点。"
)
Q_BASELINE: Final = "截至2011年底,我省已有8178人通过全国社会工作者职业水平考试"
Q_SCOPE_LESS_DEVELOPED_PRIORITY_FIELDS: Final = (
    "欠发达地区在开展专业社工服务的试点过程中,应优先立足于民政社会救助、社会福利、减灾救灾等领域"
)
