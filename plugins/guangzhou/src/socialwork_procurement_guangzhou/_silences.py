"""What the report leaves unspecified for Guangzhou: one :class:`Silence` a topic, never a default.

A Guangzhou verdict also lists the Guangdong layer's silences (the same article says nothing of these
for the province either); these say it of Guangzhou's own paragraphs.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Silence

from ._sources import EFFECTIVE, REGION_CODE, SEED_FILE

_ZH: Final = "南方日报2012年报道中关于广州的内容"
_EN: Final = "What the 2012 南方日报 report says of Guangzhou"


def _silence(topic: str, zh: str, en: str) -> Silence:
    return Silence(region=REGION_CODE, topic=topic, statement_zh=zh, statement_en=en, sources=(SEED_FILE,),
                   effective_from=EFFECTIVE)


SILENCES: Final[tuple[Silence, ...]] = (
    _silence("contractor_conditions",
             f"{_ZH}只记述街道家庭综合服务中心由民办社会工作服务机构承接运营,未规定承接主体的条件",
             f"{_EN} only describes the street family service centres as run by private social-work agencies; "
             "it sets no contractor conditions"),
    _silence("evaluation_fee", f"{_ZH}未规定评估费用", f"{_EN} sets no evaluation fee"),
    _silence("contract_terms", f"{_ZH}未规定购买服务合同的条款或期限",
             f"{_EN} sets no contract terms and no contract length"),
    _silence("procurement_method", f"{_ZH}未规定采购方式", f"{_EN} names no procurement method"),
)
