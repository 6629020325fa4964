"""Henan's two source documents (seed files 000 and 002) and their dates."""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Source

REGION: Final = "henan"

FILE_2013: Final = "000_8a327ee49dfcfdd1.txt"
FILE_2022: Final = "002_fe439bd7a004e16c.txt"

HENAN_2013: Final = Source(
    file=FILE_2013,
    title="河南省政府购买社会工作服务实施办法",
    number=None,
    date=None,
    date_note=(
        "not stated in the seed, which is a 郑州晚报 report (「省民政厅、省财政厅近日共同印发了…」, "
        "「该办法已经开始实施」), not the measures themselves. The same page announces the 2013-11-04 "
        "trade fair for 「下月初」 and marks 「65年前的今天,郑州解放」 (Zhengzhou was liberated on "
        "1948-10-22), so the report is from about 2013-10-22: an inference. The issue date of the "
        "measures and their document number (文号) were not found."
    ),
)
"""Seed 000: 郑州晚报's report on the 2013 Henan implementation measures (issued by 省民政厅 and 省财政厅)."""

HENAN_2022: Final = Source(
    file=FILE_2022,
    title="河南省“十四五”民政事业发展规划",
    number=None,
    date=date(2022, 3, 1),
    date_note=(
        "2022-03-01 is the date of the news item (「2022年03月01日 星期二」, «據民政部官網»); it says the "
        "plan was issued 「日前」 (recently) by 河南省民政廳, so the plan's own issue date is a little "
        "earlier and is not in the seed. Document number not in the seed."
    ),
)
"""Seed 002: news item on the Henan 14th Five-Year civil-affairs plan (traditional script)."""

SOURCES: Final = (HENAN_2013, HENAN_2022)

EFFECTIVE_2013: Final = date(2013, 10, 22)
DATES_NOTE_2013: Final = (
    "effective_from 2013-10-22 is inferred: the seed (a 郑州晚报 report of about that day, dated from the "
    "page's other items) says the measures were issued 「近日」 and 「已经开始实施」, so they were in force "
    "by then; the real start may be a little earlier. No source ends them: effective_to is open (the 2022 "
    "plan does not repeal them)."
)

EFFECTIVE_2022: Final = date(2022, 3, 1)
DATES_NOTE_2022: Final = (
    "effective_from 2022-03-01 is the date of the news item reporting the plan (issued 「日前」, exact date "
    "not in the seed). The plan covers the 14th Five-Year period and sets targets for 2025, but the seed "
    "states no end date for its rules, so effective_to is open."
)
