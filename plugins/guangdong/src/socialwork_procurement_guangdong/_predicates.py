"""The function Guangdong's one checked rule reads a case with: ``(case, on) -> RuleResult``, never raising.

Of what seed 001 says, only the annual-catalogue duty concerns a fact a case file records (what was
published, ``$.published``, and who purchases). The budget duty, the lottery subsidy, the targets and
the less-developed-areas priority are about the programme as a whole, or need a fact no case file
holds (whether the purchaser is in a less-developed area; the article's «社会福利» is no single service
domain): they are data, never checked against a purchase.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import (
    AdminLevel,
    Case,
    DecidingFact,
    DisclosureItem,
    RuleResult,
    failed,
    not_applicable,
    passed,
    unknown,
)

DUTY_LEVELS: Final = frozenset({AdminLevel.PROVINCIAL, AdminLevel.CITY, AdminLevel.DISTRICT})
"""«省市县各级»: the levels the article gives the duty (a county is ``district``, 区、县)."""

_LEVEL_ZH: Final = {AdminLevel.NATIONAL: "国家", AdminLevel.TOWN: "镇(乡)", AdminLevel.STREET: "街道"}

_CATALOGUE: Final = DecidingFact(
    "$.published",
    (DisclosureItem.ANNUAL_CATALOGUE.value,),
    note_zh="已公布年度购买社工服务和管理的事项目录:符合;已列出公开信息而其中没有:不符合",
    note_en="the annual catalogue of purchase items published: pass; a list of what was published without it: fail",
)


def disclosure_annual_catalogue(case: Case, on: date) -> RuleResult:
    """The purchaser's level has drawn up and published its annual catalogue of purchase items.

    「省市县各级要…制定并公布年度购买社工服务和管理的事项目录」: the duty is the province's, the cities'
    and the counties'. So a purchaser of another level (town, street, the national level) is
    ``not_applicable``, and so is a case without a purchaser. Otherwise ``case.published`` decides:
    the catalogue among what was published passes; ``None`` (not known) is ``unknown``; a list without
    it fails, unless the purchaser's level is not given, which leaves it ``unknown`` (the duty may not
    be the purchaser's). The article does not date the catalogue beyond «年度», so the year it covers
    is not checked.
    """
    purchaser = case.purchaser
    if purchaser is None:
        return not_applicable("$.purchaser", "no purchaser in the case: the duty is the purchasing level's",
                              "案件未包含购买主体:该义务属于购买主体所在的层级")
    level = purchaser.level
    if level is not None and level not in DUTY_LEVELS:
        return not_applicable(
            "$.purchaser.level",
            f"the duty is the provincial, city and county levels' (省市县各级), not the {level.value} level's",
            f"该义务属于省市县各级,不属于{_LEVEL_ZH[level]}层级",
        )
    published = case.published
    if published is not None and DisclosureItem.ANNUAL_CATALOGUE in published:
        return passed("$.published", "the annual catalogue of purchase items is published",
                      "已公布年度购买社工服务和管理的事项目录")
    if published is None:
        deciding: list[DecidingFact | str] = [_CATALOGUE]
        if level is None:
            deciding.append("$.purchaser.level")
        return unknown("$.published", "what has been published is not given", "未提供已公开的信息",
                       deciding=deciding)
    if level is None:
        return unknown(
            "$.purchaser.level",
            "the annual catalogue is not among what was published, and the purchaser's level is not given: "
            "the duty is the provincial, city and county levels'",
            "已公开的信息中没有年度事项目录,且未提供购买主体的层级:该义务属于省市县各级",
        )
    return failed("$.published", "the annual catalogue of purchase items is not among what was published",
                  "已公开的信息中没有年度购买社工服务和管理的事项目录")
