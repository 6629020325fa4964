"""The 2022 plan's 2025 targets, as indicators an app can measure its own figures against."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from socialwork_procurement import Indicator

from ._sources import REGION_CODE

_DUE: Final = date(2025, 12, 31)


def _indicator(
    indicator_id: str,
    rule_id: str,
    zh: str,
    en: str,
    target: int,
    unit: str,
    per: int | None = None,
    per_unit: str | None = None,
) -> Indicator:
    return Indicator(
        indicator_id=indicator_id,
        rule_id=rule_id,
        region=REGION_CODE,
        description_zh=zh,
        description_en=en,
        target=Decimal(target),
        unit=unit,
        due=_DUE,
        per=None if per is None else Decimal(per),
        per_unit=per_unit,
    )


INDICATORS: Final = (
    _indicator(
        "henan.professionals_2025",
        "henan2022.target.talent_total_2025",
        "2025年全省社会工作专业人才总量达到5万人(预期性)",
        "50,000 social-work professionals in Henan by 2025 (expected)",
        50_000,
        "people",
    ),
    _indicator(
        "henan.certified_professionals_2025",
        "henan2022.target.agencies_and_certified_2025",
        "到2025年底持证社会工作专业人才达到2万人",
        "20,000 certified social-work professionals by the end of 2025",
        20_000,
        "people",
    ),
    _indicator(
        "henan.township_station_coverage_2025",
        "henan2022.target.township_station_coverage_2025",
        "2025年乡镇(街道)社会工作服务站覆盖率100%",
        "Township/street social-work stations in 100% of townships and streets by 2025",
        100,
        "percent",
    ),
    _indicator(
        "henan.county_agency_coverage_2025",
        "henan2022.target.agencies_and_certified_2025",
        "到2025年底社会工作服务机构县(市、区)覆盖率100%",
        "Social-work service agencies in 100% of counties (cities, districts) by the end of 2025",
        100,
        "percent",
    ),
    _indicator(
        "henan.city_industry_body_coverage_2025",
        "henan2022.target.agencies_and_certified_2025",
        "到2025年底社会工作行业组织市级覆盖率100%",
        "Social-work industry organisations in 100% of cities by the end of 2025",
        100,
        "percent",
    ),
    _indicator(
        "henan.social_workers_per_1000_older_people_2025",
        "henan2022.target.elderly_ratio_2025",
        "到2025年每千名老年人拥有1名社会工作者",
        "One social worker per 1,000 older people by 2025",
        1,
        "social workers",
        per=1000,
        per_unit="older people",
    ),
    _indicator(
        "henan.social_workers_per_100_elderly_care_beds_2025",
        "henan2022.target.elderly_ratio_2025",
        "到2025年每百张养老机构床位拥有1名社会工作者",
        "One social worker per 100 elderly-care-institution beds by 2025",
        1,
        "social workers",
        per=100,
        per_unit="elderly-care institution beds",
    ),
)
"""The 2022 plan's 2025 targets an app can measure its own figures against (due 2025-12-31)."""
