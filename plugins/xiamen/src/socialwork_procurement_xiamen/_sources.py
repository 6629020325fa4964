"""Xiamen's source, 厦府办〔2015〕3号 (seed 003), its dates, the region, and the verbatim quotes the rules cite.

The quotes are substrings of the seed file, checked against it by ``tests/test_xiamen_pack.py``.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Region, Source

REGION_CODE: Final = "xiamen"
SEED_FILE: Final = "003_591adcebc82a76dc.txt"

XIAMEN_2015: Final = Source(
    file=SEED_FILE,
    title="政府购买社会工作服务试点工作实施意见",
    number="厦府办〔2015〕3号",
    date=date(2015, 1, 6),
    date_note=(
        "issue date stated in the seed (发布日期:2015-1-6; signed 厦门市人民政府办公厅 2015年1月6日)"
    ),
)
SOURCES: Final = (XIAMEN_2015,)

EFFECTIVE_FROM: Final = date(2015, 1, 6)
DATES_NOTE: Final = (
    "effective_from is the issue date 2015-01-06 (the notice states no separate date of effect; "
    "it asks recipients to carry it out as issued). The source sets no end date, so effective_to "
    "is None: the pilot it governs ran from January 2015 to June 2016, and later Xiamen rules "
    "(the 2022 《厦门市政府购买社会工作服务项目操作规程》 and evaluation measure, known from the news "
    "only and not in the seeds) may supersede parts of it for current projects."
)

REGION: Final = Region(
    code=REGION_CODE,
    name_zh="厦门市",
    name_en="Xiamen",
    sources=SOURCES,
)


# Verbatim quotes from seed 003 (checked against the file by tests/test_xiamen_pack.py)

Q_PURCHASER: Final = (
    "政府购买社会工作服务的主体是市、区、镇三级政府和街道。承担公共服务职责的各级行政部门和参照公务员法管理、"
    "具有行政管理职能的事业单位,以及纳入行政编制管理且经费由财政负担的群团组织。"
)
Q_LEGAL_PERSON: Final = "政府购买社会工作服务的承接主体应具有独立法人资格"
Q_TEAM: Final = "拥有一支能够熟练掌握和灵活运用社会工作知识、方法和技能的专业团队"
Q_GOVERNANCE: Final = (
    "具备完善的内部治理结构、健全的规章制度、良好的社会公信力以及较强的运营管理和社会工作专业服务能力的"
    "社会团体、民办非企业单位和基金会。"
)
Q_ORG_TYPE: Final = "具备相应能力和条件的企事业单位也可作为承接主体。"
Q_PNEU_MAIN: Final = "坚持把民办社会工作服务机构作为政府购买社会工作服务的主要承接主体"
Q_FORM_PROJECTS: Final = "购买形式以购买社会工作服务项目为主"
Q_NEEDS: Final = (
    "购买主体根据需求开展摸底调查与分析评估,核算服务成本,提出政府购买社会工作服务项目的数量、规模、质量与效果"
    "等目标要求,科学编制预算。"
)
Q_PROCUREMENT_LAW: Final = "遵照政府采购相关法律法规和部门规章要求,组织开展购买社会工作服务。"
Q_CONTRACT: Final = (
    "订立购买服务合同,明确购买服务的范围、数量、质量等要求以及服务期限、资金支付方式、违约责任等内容。"
)
Q_TRIPARTITE: Final = "建立健全由购买主体、服务对象及第三方组成的综合性评审机制"
Q_FEE: Final = "评估费用按总购买资金的3%计算。"
Q_RESULTS: Final = (
    "将评价结果作为政府选择购买社会工作服务承接主体、编制后续政府购买社会工作服务内容与预算的重要参考依据。"
)
Q_MID_FINAL: Final = "要在服务周期的中期和末期,组织或委托第三方专业评估机构开展评估"
Q_FISCAL_BUDGET: Final = "将政府购买社会工作服务资金列入各级财政预算"
Q_LOTTERY: Final = (
    "要加大市级福利彩票公益金的投入,安排一定比例的资金为政府购买社会工作服务所需的基础设施建设提供经费支持。"
)
Q_FOUNDATIONS: Final = "鼓励和引导各类基金会、企业大力支持、参与政府购买社会工作服务"
Q_SPOT_CHECKS: Final = (
    "各级民政、财政、审计、监察等部门及购买主体,不定期监督、检查、抽查政府购买社会工作服务的计划执行情况、"
    "资金使用状况、服务效果等。"
)
Q_PILOT_APPROVAL: Final = (
    "各区确定第一批试点街道(镇)名单,出台相应的试点工作配套方案,报市政府购买社会工作服务领导小组办公室审批。"
    "市直试点部门直接向市民政局申报拟购买的社会工作服务项目。"
)
Q_START: Final = "2015年1月起,分步骤、分批次在全市各区部分街道(镇)及市直有关部门开展购买社会工作服务试点"
Q_PHASE_PREP: Final = "(一)试点准备阶段(2015年1月)"
Q_PHASE1: Final = "(二)试点实施第一阶段(2015年2月至8月)"
Q_MIDTERM_REVIEW: Final = "(三)试点中期总结阶段(2015年9月)"
Q_PHASE2: Final = "(四)试点实施第二阶段(2015年10月至2016年4月)"
Q_FINAL_REVIEW: Final = "(五)试点末期总结阶段(2016年5月至6月)"
Q_SCOPE: Final = (
    "市民政局、市司法局、市卫计委、团市委、市妇联、市残联、市老龄办等重点围绕问题青少年、寄养孤儿、社区服刑人员、"
    "刑满释放人员、单亲家庭、失独家庭、残疾人、孤寡空巢老人等群体"
)
