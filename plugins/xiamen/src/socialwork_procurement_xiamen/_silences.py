"""What 厦府办〔2015〕3号 leaves unspecified: one :class:`Silence` a topic."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Silence, SilenceKind

from ._sources import AFTER_PILOT, EFFECTIVE_FROM, REGION_CODE, SEED_FILE

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
    # Why xiamen.evaluation.mid_and_final_third_party never fails for lateness (issue 8).
    _silence("evaluation_deadline",
             "厦府办〔2015〕3号只要求「在服务周期的中期和末期」组织或委托第三方专业评估机构开展评估,未规定中期评估和末期评估的完成期限"
             "(其提及的《厦门市政府购买社会工作服务项目评估实施办法(试行)》不在来源文件中);"
             "因此服务周期结束后仍未见中期或末期评估时,本库答「未知」,不以逾期判为不符合",
             "the source sets no deadline for the mid-term/final evaluation: it asks only for third-party "
             "evaluations 「在服务周期的中期和末期」 (at mid-term and at the end of the service cycle), and the "
             "《厦门市政府购买社会工作服务项目评估实施办法(试行)》 it refers to is not among the seeds; so an "
             "evaluation not on record after the cycle has ended is unknown, never a failure for lateness"),
    # After the pilot the rules are kept (see _sources.DATES_NOTE_AFTER_PILOT): the verdict says what
    # that leaves unchecked.
    Silence(
        region=REGION_CODE,
        topic="later_instruments",
        statement_zh=(
            "厦府办〔2015〕3号为2015年1月至2016年6月的试点文件;试点结束后厦门市的后续规定(如2022年"
            "《厦门市政府购买社会工作服务项目操作规程》及项目评估办法,仅见于新闻报道,见 RULES.md B.9)"
            "本库未收录、未核查,可能已取代试点文件的部分规定"
        ),
        statement_en=(
            "厦府办〔2015〕3号 is the instrument of a pilot that ran from January 2015 to June 2016; Xiamen's later "
            "rules (such as the 2022 《厦门市政府购买社会工作服务项目操作规程》 and project-evaluation measure, known "
            "from the news only, RULES.md B.9) are not encoded and were not checked, and may supersede parts of "
            "the pilot instrument"
        ),
        sources=(),
        effective_from=AFTER_PILOT,
        kind=SilenceKind.NOT_ENCODED,
    ),
)
