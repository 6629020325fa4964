"""What 厦府办〔2015〕3号 leaves unspecified: one :class:`Silence` a topic."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Silence

from ._sources import EFFECTIVE_FROM, REGION_CODE, SEED_FILE

_SEED: Final = (SEED_FILE,)


def _silence(topic: str, zh: str, en: str) -> Silence:
    return Silence(region=REGION_CODE, topic=topic, statement_zh=zh, statement_en=en, sources=_SEED,
                   effective_from=EFFECTIVE_FROM)


SILENCES: Final[tuple[Silence, ...]] = (
    _silence("evaluation_grade",
             "厦府办〔2015〕3号未规定社会组织评估等级(如3A级)方面的要求或优先",
             "厦府办〔2015〕3号 sets no social-organisation evaluation grade requirement or priority (no 3A rule)"),
    _silence("staff_share",
             "厦府办〔2015〕3号只要求拥有专业团队,未规定社会工作专业人才的人数、比例或资格门槛",
             "厦府办〔2015〕3号 requires a professional team but gives no number, share or qualification "
             "threshold for social-work professionals"),
    _silence("procurement_method",
             "厦府办〔2015〕3号未指定采购方式,只要求遵照政府采购相关法律法规和部门规章",
             "厦府办〔2015〕3号 names no procurement method; it defers to the government-procurement laws and rules"),
    _silence("procurement_thresholds",
             "厦府办〔2015〕3号未规定采购限额标准或金额档次",
             "厦府办〔2015〕3号 sets no procurement-value thresholds or bands"),
    _silence("contract_length",
             "厦府办〔2015〕3号要求合同明确服务期限,但未规定期限长短",
             "厦府办〔2015〕3号 requires the contract to state the service period but sets no length"),
    _silence("disclosure_items",
             "厦府办〔2015〕3号未列出须向社会公开的信息项目",
             "厦府办〔2015〕3号 lists no items that must be published"),
    _silence("lottery_share",
             "厦府办〔2015〕3号只说市级福利彩票公益金安排「一定比例」的资金,未给出比例",
             "厦府办〔2015〕3号 says only that 「一定比例」 (a certain share) of city welfare-lottery funds is "
             "used, without a figure"),
    _silence("evaluation_fee_base",
             "「评估费用按总购买资金的3%计算」未说明总购买资金按单个项目还是整体计算,也未说明评估费用含在购买金额之内还是另计;"
             "本库不替调用方选择计算基数",
             "「评估费用按总购买资金的3%计算」 does not say whether the total purchase funds are per project or "
             "per programme, nor whether the fee sits inside or on top of the purchase amount; the library does "
             "not choose the base for the caller"),
)
