"""Ningxia's source, its date, the region, and the verbatim quotes the rules cite.

The only source is a 宁夏新闻网 news report of 宁夏民政厅《关于健全完善政府购买民政领域社会工作服务机制的实施意见》
(«六个规范»; seed 004, RULES.md A.4); the opinion's own text was not read. Every rule quotes that
report verbatim (``tests/test_ningxia_pack.py`` finds each quote in the seed). The report gives no
date and no document number: the rules take effect on 2023-05-06, the date of a news mirror
reporting the opinion, and say so in ``dates_note``.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Region, Source

REGION_CODE: Final = "ningxia"

SEED_FILE: Final = "004_0945842d0c95d02d.txt"

MIRROR_URL: Final = "m.meihuidasg.com/content/20230506/37617.html"

SOURCE: Final = Source(
    file=SEED_FILE,
    title="关于健全完善政府购买民政领域社会工作服务机制的实施意见(宁夏民政厅;宁夏新闻网报道)",
    number=None,
    date=None,
    date_note=(
        "not stated in the seed (a 宁夏新闻网 news report, «近日…印发»); the year 2023 is inferred "
        f"from a news mirror dated 2023-05-06 ({MIRROR_URL}); the document number was not found"
    ),
)
SOURCES: Final = (SOURCE,)

EFFECTIVE: Final = date(2023, 5, 6)
"""First day the rules apply: the date of the mirror that reports the opinion (inferred)."""

DATES_NOTE: Final = (
    "effective_from 2023-05-06 is inferred, not stated: the seed gives no date; a news mirror "
    f"({MIRROR_URL}) reported the opinion on 2023-05-06, so it was issued on or before that day; "
    "the actual issue and effective dates are unknown"
)

REGION: Final = Region(
    code=REGION_CODE,
    name_zh="宁夏回族自治区",
    name_en="Ningxia Hui Autonomous Region",
    sources=SOURCES,
)

# Verbatim quotes from seed 004, one a rule (named after the rule id)

Q_META_SIX_NORMS: Final = "聚焦购买主体、承接主体、购买内容、服务职责、购买程序、绩效管理、“六个规范”"
Q_PURCHASER_GOVERNMENTS: Final = "《意见》明确各级政府是购买民政领域社会工作服务的主体"
Q_PURCHASER_EXCLUDED_TYPES: Final = (
    "公益一类事业单位、使用事业编制且由财政拨款保障的群团组织,不得作为购买社会工作服务的购买主体"
)
Q_CONTRACTOR_ELIGIBLE_TYPES: Final = (
    "依法成立的企业、社会组织(不含由财政拨款 ⏎ 保障的群团组织),公益二类和从事生产经营活动的事业单位,"
    "农村集体经济组织,基层群众性自治组织,以及具备条件的个人可以作为政府购买民政领域社会工作服务的承接主体"
)
Q_CONTRACTOR_SPECIFIC_CONDITIONS: Final = (
    "并对承接主体依法成立、业务范围、专职人员、组织管理、服务能力等方面明确了具体条件。"
)
Q_SCOPE_FIVE_FIELDS: Final = (
    "自治区政府购买服务指导性目录从社会救助、养老服务、儿童福利、社会事务、慈善志愿服务等五个领域明确了购买民政领域社会工作服务内容。"
)
Q_SCOPE_PRIORITY_GROUPS: Final = (
    "重点围绕低保对象、城乡特困人员、老年人、孤儿、农村留守儿童、困境儿童、残疾人、精神障碍患者等困难群体、特殊群体"
)
Q_PROCEDURE_TARGETS_AND_ANNUAL_BUDGET: Final = "提出购买服务的数 ⏎ 量、规模、质量与效果目标,编制年度项目预算。"
Q_PROCEDURE_LAWFUL_PROCUREMENT: Final = "依法依规做好项目采购工作"
Q_CONTRACT_WRITTEN_REQUIRED_TERMS: Final = (
    "签订购买服务项目书面合同,明确购买服务标的、数量、质量、服务期限、资金支付方式、违约责任、解决争议等权利义务关系。"
)
Q_DISCLOSURE_ITEMS: Final = (
    "及时将购买社会工作服务的项目内容、服务标准、服务要求、服务内容、预算安排、购买程序、绩效评价标准和结果等信息向社会公开"
)
Q_EVALUATION_FEEDBACK_USE: Final = "加强社会工作服务项目绩效管理、绩效评价结果的反馈应用"
Q_STATION_ROLES: Final = "明确乡镇(街道)社工站职能定位,厘清县(区)民政部门、项目受益乡镇(街道)与承接主体关系"
