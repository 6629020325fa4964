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
PILOT_END: Final = date(2016, 6, 30)
"""Last day of the pilot the source schedules: 「(五)试点末期总结阶段(2016年5月至6月)」."""
AFTER_PILOT: Final = date(2016, 7, 1)
"""First day after the pilot: from here every rule is the version that carries the pilot caveat."""

# The choice for the days after the pilot (issue 8): the rules stay in force, each with a second
# version from 2016-07-01 whose message says the pilot instrument may have been superseded. Ending
# them on 2016-06-30 would set an end of validity the notice does not set (it has no 有效期, and a
# project contracted in the pilot runs, and is evaluated, after June 2016); answering after it
# without a word would hide that the instrument was a pilot's.
DATES_NOTE: Final = (
    "effective_from is the issue date 2015-01-06 (the notice states no separate date of effect; "
    "it asks recipients to carry it out as issued). The notice sets no end of validity; the pilot it "
    "governs ran from January 2015 to June 2016 (its last phase 「试点末期总结阶段(2016年5月至6月)」), so "
    "this version ends on 2016-06-30 and a second version, the same rule with a note that the pilot "
    "instrument may have been superseded, is in force from 2016-07-01 with no end date. Later Xiamen rules "
    "(the 2022 《厦门市政府购买社会工作服务项目操作规程》 and evaluation measure, known from the news only and "
    "not in the seeds) may supersede parts of it for current projects."
)
DATES_NOTE_AFTER_PILOT: Final = (
    "in force from 2016-07-01, the day after the pilot the notice schedules (January 2015 to June 2016), "
    "with no end date: the notice (issued 2015-01-06) sets no end of validity, so the library keeps its "
    "rules rather than end them on a date no source sets, and says in every message that the pilot "
    "instrument may have been superseded. Later Xiamen rules (the 2022 《厦门市政府购买社会工作服务项目操作规程》 "
    "and evaluation measure, known from the news only and not in the seeds, RULES.md B.9) are not encoded: "
    "for a current project, check them."
)
# Short, because every message after the pilot carries it.
PILOT_CAVEAT_ZH: Final = "试点文件(试点期2015年1月至2016年6月),可能已被本库未收录的厦门市后续规定取代"
PILOT_CAVEAT_EN: Final = (
    "a pilot instrument (January 2015 to June 2016): later Xiamen rules, not encoded here, may have superseded it"
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
    "刑满释放人员、单亲家庭、失独家庭、残疾人、孤寡空巢老人等群体,着重在社会福利、社会救助、社区建设、婚姻家庭、"
    "收养评估、社区矫正、安置帮教、人民调解、人口计生、医疗卫生、残疾人服务等方面开展购买社会工作服务试点工作"
)
