"""A small rule pack used by the core's tests: region ``testland``.

Its rules are fictitious and cite a fictitious source; they exist to exercise every hook and
every outcome (pass, fail, unknown, not applicable; hard, soft, info; dated versions; a fee).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from socialwork_procurement import (
    Case,
    Citation,
    FeeSchedule,
    Indicator,
    LegalForm,
    Period,
    Region,
    Rule,
    RuleKind,
    RuleResult,
    Silence,
    Source,
    Strength,
    Subject,
    failed,
    hookimpl,
    not_applicable,
    passed,
    unknown,
)

SOURCE = Source(file="testland.txt", title="测试地区办法", number="测〔2020〕1号", date=date(2020, 1, 1))


def _cite(quote: str) -> Citation:
    return Citation(SOURCE, quote)


def legal_person(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor")
    if c.independent_legal_person is None:
        return unknown("$.contractor.independent_legal_person")
    path = "$.contractor.independent_legal_person"
    return passed(path) if c.independent_legal_person else failed(path)


def social_org(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor")
    forms = {LegalForm.SOCIAL_GROUP, LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, LegalForm.FOUNDATION}
    return passed("$.contractor.legal_form") if c.legal_form in forms else failed("$.contractor.legal_form")


def has_grade(case: Case, on: date) -> RuleResult:
    c = case.contractor
    if c is None:
        return not_applicable("$.contractor")
    if c.evaluation_grade is None:
        return failed("$.contractor.evaluation_grade")
    return passed("$.contractor.evaluation_grade")


def any_purchaser(case: Case, on: date) -> RuleResult:
    if case.purchaser is None:
        return not_applicable("$.purchaser")
    return passed("$.purchaser.kind")


def _rule(rule_id: str, kind: RuleKind, strength: Strength, subject: Subject, **kw: object) -> Rule:
    return Rule(
        rule_id=rule_id,
        region="testland",
        kind=kind,
        strength=strength,
        subject=subject,
        effective_from=kw.pop("effective_from", date(2020, 1, 1)),  # type: ignore[arg-type]
        effective_to=kw.pop("effective_to", None),  # type: ignore[arg-type]
        citation=_cite(str(kw.pop("quote", "测试条文"))),
        message_zh=str(kw.pop("zh", "测试规则")),
        message_en=str(kw.pop("en", "test rule")),
        **kw,  # type: ignore[arg-type]
    )


RULES = [
    _rule("testland.contractor.legal_person", RuleKind.CONTRACTOR_ELIGIBILITY, Strength.HARD, Subject.CONTRACTOR,
          predicate=legal_person, quote="承接主体应具有独立法人资格"),
    # Two versions of one rule: only social organisations until 2021, then anyone (a version with no check).
    _rule("testland.contractor.social_org", RuleKind.CONTRACTOR_ELIGIBILITY, Strength.HARD, Subject.CONTRACTOR,
          predicate=social_org, effective_to=date(2020, 12, 31), quote="承接主体限于社会组织"),
    _rule("testland.contractor.grade_priority", RuleKind.PRIORITY, Strength.SOFT, Subject.CONTRACTOR,
          predicate=has_grade, quote="有评估等级的优先"),
    _rule("testland.purchaser.any", RuleKind.PURCHASER_ELIGIBILITY, Strength.HARD, Subject.PURCHASER,
          predicate=any_purchaser, quote="任何机关均可购买", question="purchaser.type"),
    _rule("testland.evaluation.fee_2pct", RuleKind.EVALUATION_FEE, Strength.HARD, Subject.EVALUATION,
          fee=FeeSchedule(rate=Decimal("0.02"), base_zh="总购买资金", base_en="total purchase funds"),
          effective_from=date(2021, 1, 1), quote="评估费用按总购买资金的2%计算"),
    _rule("testland.target.workers", RuleKind.PLANNING_TARGET, Strength.INFO, Subject.PROGRAMME,
          quote="到2025年社工达到100人"),
]


class TestlandPack:
    @hookimpl
    def swp_regions(self) -> list[Region]:
        return [Region(code="testland", name_zh="测试地区", name_en="Testland", sources=(SOURCE,))]

    @hookimpl
    def swp_rules(self) -> list[Rule]:
        return list(RULES)

    @hookimpl
    def swp_silences(self) -> list[Silence]:
        return [
            Silence(region="testland", topic="evaluation_fee", statement_zh="2021年前测试地区未规定评估费用",
                    statement_en="Testland set no evaluation fee before 2021", sources=("testland.txt",),
                    effective_from=date(2020, 1, 1), effective_to=date(2020, 12, 31))
        ]

    @hookimpl
    def swp_indicators(self) -> list[Indicator]:
        return [
            Indicator(indicator_id="testland.workers_2025", rule_id="testland.target.workers", region="testland",
                      description_zh="社工100人", description_en="100 social workers", target=Decimal(100),
                      unit="people", due=date(2025, 12, 31)),
            Indicator(indicator_id="testland.per_thousand", rule_id="testland.target.workers", region="testland",
                      description_zh="每千人1名", description_en="1 per 1,000", target=Decimal(1), unit="people",
                      due=date(2025, 12, 31), per=Decimal(1000), per_unit="older people"),
        ]

    @hookimpl
    def swp_periods(self) -> list[Period]:
        return [Period(period_id="testland.pilot", rule_id="testland.target.workers", region="testland",
                       name_zh="试点", name_en="pilot", start=date(2020, 1, 1), end=date(2020, 6, 30))]


pack = TestlandPack()
