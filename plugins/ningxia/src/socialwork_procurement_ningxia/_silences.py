"""What Ningxia's source leaves unspecified: one :class:`Silence` a topic."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Silence

from ._sources import EFFECTIVE, REGION_CODE, SEED_FILE


def _silence(topic: str, zh: str, en: str) -> Silence:
    return Silence(
        region=REGION_CODE,
        topic=topic,
        statement_zh=zh,
        statement_en=en,
        sources=(SEED_FILE,),
        effective_from=EFFECTIVE,
    )


SILENCES: Final = (
    _silence("evaluation_fee", "宁夏来源(宁夏新闻网对《意见》的报道)未规定评估费用",
             "The Ningxia source (宁夏新闻网's report of the opinion) sets no evaluation fee"),
    _silence("evaluation_grade", "宁夏来源未规定社会组织评估等级优先或门槛",
             "The Ningxia source gives no evaluation-grade priority or threshold"),
    _silence("procurement_method", "宁夏来源只要求「依法依规做好项目采购工作」,未规定采购方式",
             "The Ningxia source only requires procurement «according to law and rules»; it names no method"),
    _silence("contract_length", "宁夏来源要求书面合同载明服务期限,但未规定合同期限长短",
             "The Ningxia source requires the contract to state a service period but sets no contract length"),
    _silence("contractor_condition_values",
             "宁夏来源称《意见》对依法成立、业务范围、专职人员、组织管理、服务能力明确了具体条件,但未载明具体内容",
             "The Ningxia source says the opinion sets specific conditions on lawful establishment, "
             "business scope, full-time staff, organisational management and service capacity, but does "
             "not give them"),
    _silence("procurement_thresholds", "宁夏来源未规定采购限额标准或公开招标数额标准",
             "The Ningxia source sets no procurement or open-tender thresholds"),
)
