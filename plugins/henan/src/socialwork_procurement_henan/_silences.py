"""What Henan's sources leave unspecified: one :class:`Silence` a topic."""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Silence

from ._sources import EFFECTIVE_2013, EFFECTIVE_2022, FILE_2013, FILE_2022, REGION_CODE

_BOTH: Final = (FILE_2013, FILE_2022)
_BOTH_ZH: Final = (
    "河南2013年《河南省政府购买社会工作服务实施办法》(郑州晚报报道)"
    "及2022年《河南省“十四五”民政事业发展规划》(2022年3月1日起)"
)
_BOTH_EN: Final = (
    "Neither the Henan 2013 implementation measures (as reported by 郑州晚报) nor the 2022 14th Five-Year "
    "civil-affairs plan (from 2022-03-01)"
)


def _silence(topic: str, zh: str, en: str, sources: tuple[str, ...] = _BOTH, start: date = EFFECTIVE_2013) -> Silence:
    return Silence(
        region=REGION_CODE,
        topic=topic,
        statement_zh=zh,
        statement_en=en,
        sources=sources,
        effective_from=start,
    )


SILENCES: Final = (
    _silence(
        "evaluation_fee",
        f"{_BOTH_ZH}均未规定评估费用(无比例、无金额),因此河南没有评估费用规则,不使用任何默认值。",
        f"{_BOTH_EN} sets an evaluation fee (no rate, no amount): Henan has no fee rule and no default is used.",
    ),
    _silence(
        "contract_terms",
        f"{_BOTH_ZH}均未规定购买服务合同应载明的条款(2013年报道中未出现「合同」一词)。",
        f"{_BOTH_EN} lists the terms a purchase contract must state (the 2013 report never uses the word 合同).",
    ),
    _silence(
        "contract_length",
        f"{_BOTH_ZH}均未规定合同期限或服务期限。",
        f"{_BOTH_EN} sets a contract or service-period length.",
    ),
    _silence(
        "staff_share",
        "河南2013年办法只要求「从业人员以社会工作专业人才为主体」,未给出比例(如是否须超过50%);2022年规划亦未规定。"
        "本规则包依申报事实或责任人的证明判断,不依人数推算。",
        "The Henan 2013 measures only require staff to be 「以社会工作专业人才为主体」 (mainly social-work "
        "professionals) and give no share (e.g. whether over 50% is meant); the 2022 plan says nothing either. "
        "This pack judges the declared facts, or an attestation by someone who answers for the condition, and never "
        "computes a share from counts.",
    ),
    _silence(
        "disclosure_items",
        "河南2013年办法只提出「公开、公正和透明」原则,未列明须公开的事项;2022年规划未涉及信息公开。",
        "The Henan 2013 measures state only the principle 「公开、公正和透明」 and list no items to publish; the 2022 "
        "plan does not address disclosure.",
    ),
    _silence(
        "procurement_thresholds",
        f"{_BOTH_ZH}均未规定采购限额标准或公开招标数额标准(按政府采购法第二十七条由省级政府另行规定,本规则包未收录)。",
        f"{_BOTH_EN} sets procurement-value or open-tender thresholds (under the Government Procurement Law art. 27 "
        "the provincial government sets them elsewhere; not encoded here).",
    ),
    _silence(
        "procurement_method",
        "河南2013年办法规定「原则上」公开招标,但未列明可采用其他方式的例外情形(国家2012年指导意见列有例外,本规则包未收录);"
        "2022年规划未规定采购方式。因此其他采购方式所述理由是否成立由责任人判断(可出具证明),本规则包不作认定。",
        "The Henan 2013 measures require open tender 「原则上」 (in principle) but list no exceptions "
        "(the national 2012 guidance lists some; not encoded here); the 2022 plan names no procurement method. "
        "Whether a stated reason for another method justifies the departure is therefore for a person to judge "
        "(and attest); this pack does not judge it.",
    ),
    _silence(
        "evaluation_grade",
        "河南2013年办法未说明3A以上评估等级是否须仍在有效期内;本规则包适用民政部令第39号的5年有效期。2022年规划未涉及评估等级。",
        "The Henan 2013 measures do not say whether the 3A grade must still be valid; this pack applies the 5-year "
        "validity of MCA Order No. 39. The 2022 plan does not mention evaluation grades.",
    ),
    _silence(
        "lottery_share",
        f"{_BOTH_ZH}只要求「加大」从彩票公益金中安排资金的力度,均未规定比例或金额。",
        f"{_BOTH_EN} sets a share or amount of lottery public-welfare funds; both only ask for 「加大…力度」 (more).",
    ),
    _silence(
        "contractor_eligibility",
        "2022年规划未规定承接主体条件(仅在农村留守妇女关爱服务中泛称「专业社会工作服务机构、志愿服务组织」和「具备资质的各类组织」);"
        "河南的承接条件仅见于2013年办法,继续适用。",
        "The 2022 plan sets no contractor conditions (it only mentions, for services to rural left-behind women, "
        "「專業社會工作服務機構、志愿服務組織」 and 「具備資質的各類組織」); Henan's contractor conditions come from "
        "the 2013 measures alone, which still apply.",
        sources=(FILE_2022,),
        start=EFFECTIVE_2022,
    ),
)
"""One record per topic the catalogue says Henan's sources leave open."""
