"""The five phases of Xiamen's 2015 pilot, and the pilot as a whole, as the seed dates them."""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Period

from ._sources import PILOT_END, REGION_CODE


def _period(period_id: str, rule_id: str, zh: str, en: str, start: date, end: date) -> Period:
    return Period(period_id=period_id, rule_id=rule_id, region=REGION_CODE, name_zh=zh, name_en=en,
                  start=start, end=end)


PERIODS: Final[tuple[Period, ...]] = (
    # The seed says only 「2015年1月起」; the end is the end of the last phase it schedules.
    _period("xiamen.pilot", "xiamen.timeline.start", "政府购买社会工作服务试点(2015年1月至2016年6月)",
            "Pilot of government purchase of social-work services (January 2015 to June 2016)",
            date(2015, 1, 1), PILOT_END),
    _period("xiamen.pilot.prep", "xiamen.timeline.phase_prep", "试点准备阶段", "Preparation phase",
            date(2015, 1, 1), date(2015, 1, 31)),
    _period("xiamen.pilot.phase1", "xiamen.timeline.phase1", "试点实施第一阶段", "First implementation phase",
            date(2015, 2, 1), date(2015, 8, 31)),
    _period("xiamen.pilot.midterm_review", "xiamen.timeline.midterm_review", "试点中期总结阶段",
            "Mid-term review", date(2015, 9, 1), date(2015, 9, 30)),
    _period("xiamen.pilot.phase2", "xiamen.timeline.phase2", "试点实施第二阶段", "Second implementation phase",
            date(2015, 10, 1), date(2016, 4, 30)),
    _period("xiamen.pilot.final_review", "xiamen.timeline.final_review", "试点末期总结阶段", "Final review",
            date(2016, 5, 1), PILOT_END),
)
