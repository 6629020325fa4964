"""What seed 001 leaves unspecified for Guangdong: one :class:`Silence` a topic, never a default.

The article reports targets, two budget and disclosure duties, a lottery subsidy and a priority for the
less-developed areas' pilots; it sets nothing about who may purchase or contract, how, for how long,
on what terms, or at what evaluation fee (RULES.md A.7, column «Guangdong 2012»).
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Silence

from ._sources import EFFECTIVE, REGION_CODE, SEED_FILE

_ZH: Final = "广东来源(南方日报2012年报道)"
_EN: Final = "The Guangdong source (南方日报's 2012 report)"


def _silence(topic: str, zh: str, en: str) -> Silence:
    return Silence(region=REGION_CODE, topic=topic, statement_zh=zh, statement_en=en, sources=(SEED_FILE,),
                   effective_from=EFFECTIVE)


SILENCES: Final[tuple[Silence, ...]] = (
    _silence("purchaser_eligibility", f"{_ZH}未规定哪些主体可以购买社工服务",
             f"{_EN} does not say who may purchase social-work services"),
    _silence("contractor_conditions",
             f"{_ZH}未规定承接主体的条件(组织类型、法人资格、非营利、人员等);"
             "只记述广州街道家庭综合服务中心由民办社会工作服务机构承接运营",
             f"{_EN} sets no contractor conditions (organisation type, legal personality, non-profit status, "
             "staff); it only describes Guangzhou's street family service centres as run by private social-work "
             "agencies"),
    _silence("evaluation_grade", f"{_ZH}只提到将全面开展社会组织等级评估,未规定承接主体的评估等级要求或优先",
             f"{_EN} only says social-organisation grade evaluation will be carried out; it sets no grade "
             "requirement or priority for contractors"),
    _silence("evaluation_fee", f"{_ZH}未规定评估费用", f"{_EN} sets no evaluation fee"),
    _silence("evaluation", f"{_ZH}未规定购买服务项目的评估或验收方式",
             f"{_EN} sets no evaluation or acceptance of purchased services"),
    _silence("procurement_method", f"{_ZH}未规定采购方式", f"{_EN} names no procurement method"),
    _silence("procurement_thresholds", f"{_ZH}未规定采购限额标准或公开招标数额标准",
             f"{_EN} sets no procurement or open-tender thresholds"),
    _silence("purchase_form", f"{_ZH}未规定购买形式(岗位或项目)",
             f"{_EN} sets no purchase form (posts or projects)"),
    _silence("contract_terms", f"{_ZH}未规定购买服务合同应载明的条款",
             f"{_EN} lists no terms a purchase contract must state"),
    _silence("contract_length", f"{_ZH}未规定合同期限或服务期限", f"{_EN} sets no contract or service-period length"),
    _silence("disclosure_items", f"{_ZH}只要求公布年度购买社工服务和管理的事项目录,未列出其他须公开的信息",
             f"{_EN} requires the annual catalogue of purchase items to be published and lists nothing else "
             "to publish"),
    _silence("lottery_subsidy_amount", f"{_ZH}只说从省级福彩公益金中安排「专项经费」,未给出金额或比例",
             f"{_EN} says only that «专项经费» (special funds) come from the provincial welfare lottery, with no "
             "amount or share"),
)
