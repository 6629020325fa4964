"""Henan's two source documents (seed files 000 and 002), their dates, the region, and the verbatim quotes.

Quotes are verbatim substrings of the seed files: «⏎» marks a page break inside a sentence; the
2022 quotes (seed 002, traditional script) are verbatim once the seed's parenthesised pinyin is
deleted. ``tests/test_henan_quotes.py`` checks every quote against the seed files.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Region, Source

REGION_CODE: Final = "henan"

FILE_2013: Final = "000_8a327ee49dfcfdd1.txt"
FILE_2022: Final = "002_fe439bd7a004e16c.txt"

HENAN_2013: Final = Source(
    file=FILE_2013,
    title="河南省政府购买社会工作服务实施办法",
    number=None,
    date=None,
    date_note=(
        "not stated in the seed, which is a 郑州晚报 report (「省民政厅、省财政厅近日共同印发了…」, "
        "「该办法已经开始实施」), not the measures themselves. The same page announces the 2013-11-04 "
        "trade fair for 「下月初」 and marks 「65年前的今天,郑州解放」 (Zhengzhou was liberated on "
        "1948-10-22), so the report is from about 2013-10-22: an inference. The issue date of the "
        "measures and their document number (文号) were not found."
    ),
)
"""Seed 000: 郑州晚报's report on the 2013 Henan implementation measures (issued by 省民政厅 and 省财政厅)."""

HENAN_2022: Final = Source(
    file=FILE_2022,
    title="河南省“十四五”民政事业发展规划",
    number=None,
    date=date(2022, 3, 1),
    date_note=(
        "2022-03-01 is the date of the news item (「2022年03月01日 星期二」, «據民政部官網»); it says the "
        "plan was issued 「日前」 (recently) by 河南省民政廳, so the plan's own issue date is a little "
        "earlier and is not in the seed. Document number not in the seed."
    ),
)
"""Seed 002: news item on the Henan 14th Five-Year civil-affairs plan (traditional script)."""

SOURCES: Final = (HENAN_2013, HENAN_2022)

REGION: Final = Region(code=REGION_CODE, name_zh="河南省", name_en="Henan Province", sources=SOURCES)
HENAN: Final = REGION
"""The region under the name this package exported before the packs took one shape (issue 7)."""

EFFECTIVE_2013: Final = date(2013, 10, 22)
DATES_NOTE_2013: Final = (
    "effective_from 2013-10-22 is inferred: the seed (a 郑州晚报 report of about that day, dated from the "
    "page's other items) says the measures were issued 「近日」 and 「已经开始实施」, so they were in force "
    "by then; the real start may be a little earlier. No source ends them: effective_to is open (the 2022 "
    "plan does not repeal them)."
)

EFFECTIVE_2022: Final = date(2022, 3, 1)
DATES_NOTE_2022: Final = (
    "effective_from 2022-03-01 is the date of the news item reporting the plan (issued 「日前」, exact date "
    "not in the seed). The plan covers the 14th Five-Year period and sets targets for 2025, but the seed "
    "states no end date for its rules, so effective_to is open."
)

# Verbatim quotes from seed 000 (the 2013 measures), one a rule (named after the rule id)

Q_2013_PURCHASER_ELIGIBLE_BODIES: Final = (
    "根据规定,政府购买社会工作服务的主体是全省各级政府机关及派出、授权机构,以及享受财政供给或利用国有资金举办的企事业单位。"
)
Q_2013_CONTRACTOR_ALL_CONDITIONS_CONJUNCTIVE: Final = "承接对象须同时具备下列条件"
Q_2013_CONTRACTOR_INDEPENDENT_LEGAL_PERSON: Final = "具有独立法人资格"
Q_2013_CONTRACTOR_REGISTERED_ORG_TYPE: Final = "依法登记的社会团体、民办非企业单位和 ⏎ 基金会"
"""The list runs across the seed's page break after 「和」 and ends at 「基金会」 (RULES.md «⏎» convention)."""
Q_2013_CONTRACTOR_PRIORITY_GRADE_3A: Final = "取得社会组织评估等级3A级以上资质的优先"
Q_2013_CONTRACTOR_PUBLIC_WELFARE_NONPROFIT: Final = "具有公益性、非营利性"
Q_2013_CONTRACTOR_PROFESSIONAL_TEAM: Final = (
    "拥有一支能够熟练掌握和灵活运用社会工作知识、方法和技能的专业团队,从业人员以社会工作专业人才为主体,"
    "能够按照要求提供社会工作专业服务。"
)
Q_2013_CONTRACTOR_MAINLY_PUBLIC_SERVICE_ORGS: Final = "政府购买社会工作服务的承接方将主要包括公益服务类社会组织"
Q_2013_FORM_POSTS_OR_PROJECTS: Final = "政府购买社会工作服务的方式,将以购买社会工作服务岗位和购买社会工作服务项目为主。"
Q_2013_PROCEDURE_OPEN_TENDER_IN_PRINCIPLE: Final = "购买社会工作服务原则上应通过公开招标方式进行。"
Q_2013_EVALUATION_TRIPARTITE: Final = "我省还将建立由购买主体、服务对象及 ⏎ 第三方组成的综合性绩效评估机制"
Q_2013_EVALUATION_FINAL_ACCEPTANCE: Final = (
    "我省还将建立由购买主体、服务对象及 ⏎ 第三方组成的综合性绩效评估机制,"
    "及时对已完成的社会工作服务计划进行结项验收,推进第三方评估"
)
"""The whole 「我省还将建立…」 sentence: the acceptance stands in it beside the tripartite evaluation, so both are
intentions of the same strength (RULES.md A.8), and the quote starts where the sentence does."""
Q_2013_FUNDING_FISCAL_BUDGET: Final = "各级政府应将政府购买社会工作服务经费列入财政预算"
Q_2013_FUNDING_LOTTERY_AND_SOCIAL: Final = (
    "还将加大从民政部门留用的彩票公益金中安排资金力度,用于购买社会工作服务。鼓励引导社会资金支持购买社会工作服务。"
)
Q_2013_SCOPE_PRIORITY_GROUPS: Final = (
    "重点围绕城市流动人口、农村留守人员、困难群体、特殊人群和受灾群众的个性化、多样化社会服务需求,组织开展政府购买社会工作服务。"
)
Q_2013_SCOPE_SELECTION_CRITERIA: Final = "以“受益广泛、群众急需、服务专业”为标准"
Q_2013_META_ISSUERS_IN_FORCE: Final = "省民政厅、省财政厅近日共同印发了《河南省政府购买社会工作服务实施办法》"
Q_2013_SCOPE_SERVICE_CONTENT: Final = (
    "我省提出的社会工作服务,将有社会工作专业人才运用专业方法为有需要的人群提供的包括困难救助、矛盾调处、人文关怀、心理疏导、"
    "行为矫治、关系调适、资源协调、社会功能修复和促进个人与环境适应等在内的专业服务。"
)

# Verbatim quotes from seed 002 (the 2022 plan, pinyin deleted), one a rule

Q_2022_FUNDING_DEPT_BUDGET_AND_PURCHASE_LIST: Final = (
    "各級民政部門應將政府購買社會工作服務經費列入部門預算和政府購買服務清單"
)
Q_2022_FUNDING_PRIORITY_TOWNSHIP_SERVICES: Final = "優先用于購買鄉鎮(街道)社會工作服務"
Q_2022_FUNDING_LOTTERY: Final = "加大從民政部門留用的彩票公益金中安排資金力度,用于購買社會工作服務。"
Q_2022_EVALUATION_RESULTS_BASIS_FOR_SELECTION: Final = (
    "評估和績效評價結果作為社會工作服務項目承接主體選擇、預算安排和政策調整的依據"
)
Q_2022_EVALUATION_MECHANISMS: Final = "健全政府購買社會工作服務評審、督導、評估和績效評價機制"
Q_2022_STATION_SIX_HAVES: Final = (
    "按照“有場地、有設施、有人員、有服務、有流程、有制度”的標準,實施縣級社會工作指導中心、鄉鎮(街道)社會工作站和村(社區)社會工作室項目"
)
Q_2022_TARGET_THREE_TIER_SYSTEM_2025: Final = "到2025年底,基本建成社會工作三級服務體系。"
Q_2022_TARGET_TALENT_TOTAL_2025: Final = "2025年,社會工作專業人才總量預期達到5萬人,鄉鎮(街道)社會工作服務站100%全覆蓋。"
Q_2022_TARGET_TOWNSHIP_STATION_COVERAGE_2025: Final = "鄉鎮(街道)社會工作服務站100%全覆蓋"
Q_2022_TARGET_AGENCIES_AND_CERTIFIED_2025: Final = (
    "到2025年底,實現社會工作服務機構縣(市、區)全覆蓋,社會工作行業組織市級全覆蓋,全省社會工作專業人才達到5萬人,"
    "持證社會工作專業人才達到2萬人。"
)
Q_2022_TARGET_ELDERLY_RATIO_2025: Final = "到2025年,實現每千名老年人、每百張養老機構床位均擁有1名社會工作者。"
Q_2022_BASELINE_13TH_FYP: Final = "全省民辦社會工作服務機構達到325個,社會工作專業人才三萬多人。"
Q_2022_TALENT_SENIOR_REVIEW_COMMITTEE: Final = "組建河南省高級社會工作師評審委員會"
Q_2022_CONTRACTOR_LEFT_BEHIND_WOMEN_SERVICES: Final = (
    "通過政府購買服務等方式推進專業社會工作服務機構、志愿服務組織為有需求的農村留守婦女開展心理疏導、精神慰藉等專業服務,"
    "支持具備資質的各類組織開展針對農村留守婦女的專業精神關愛服務。"
)
