"""The national layer (财政部令第102号): purchasers, contractors, contract terms, conflicts."""

from __future__ import annotations

from datetime import date

import pytest

import socialwork_procurement as swp

ON = date(2021, 6, 1)


@pytest.fixture(scope="module")
def national() -> swp.Registry:
    return swp.load_registry(entrypoints=False)


def outcome(registry: swp.Registry, case: swp.Case, rule_id: str, on: date = ON) -> swp.RuleResult:
    rule = registry.rule(rule_id)
    assert rule.predicate is not None
    return rule.predicate(case, on)


def contract(start: date, end: date, **kw: object) -> swp.Case:
    return swp.Case(contract=swp.Contract(service_period=swp.ServicePeriod(start, end), **kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "basis", "expected"),
    [
        (date(2021, 3, 1), date(2022, 2, 28), None, "pass"),  # exactly one year
        (date(2020, 3, 1), date(2021, 2, 28), None, "pass"),  # one year across a leap day
        (date(2021, 3, 1), date(2022, 3, 1), None, "unknown"),  # a day over: needs a stated basis
        (date(2021, 3, 1), date(2023, 3, 1), "连续性强、经费稳定的社区综合服务", "pass"),
        (date(2021, 3, 1), date(2024, 2, 29), "连续性强", "pass"),  # exactly three years
        (date(2021, 3, 1), date(2024, 3, 1), "连续性强", "fail"),  # a day over three years
        # 29 February: no corresponding day three years on, so the term ends on 28 February.
        (date(2024, 2, 29), date(2027, 2, 28), "连续性强", "pass"),
        (date(2024, 2, 29), date(2027, 3, 1), "连续性强", "fail"),
        (date(2024, 2, 28), date(2027, 2, 27), "连续性强", "pass"),
    ],
)
def test_contract_term_length(
    national: swp.Registry, start: date, end: date, basis: str | None, expected: str
) -> None:
    result = outcome(national, contract(start, end, long_term_basis=basis), "national.contract.term_length")
    assert result.outcome.value == expected


def test_last_day_of_term_month_ends() -> None:
    from dateutil.relativedelta import relativedelta

    from socialwork_procurement.rules._schedule import last_day_of_term

    assert last_day_of_term(date(2015, 1, 31), relativedelta(months=1)) == date(2015, 2, 28)
    assert last_day_of_term(date(2015, 1, 15), relativedelta(months=1)) == date(2015, 2, 14)
    assert last_day_of_term(date(2016, 2, 29), relativedelta(years=1)) == date(2017, 2, 28)
    assert last_day_of_term(date(2016, 2, 29), relativedelta(years=4)) == date(2020, 2, 28)


def test_a_contractor_not_lawfully_established_fails(national: swp.Registry) -> None:
    unlawful = swp.Contractor(name="某公司", legal_form=swp.LegalForm.ENTERPRISE, lawfully_registered=False)
    result = outcome(national, swp.Case(contractor=unlawful), "national.contractor.eligible_types")
    assert (result.outcome, result.path) == (swp.Outcome.FAIL, "$.contractor.lawfully_registered")
    person = swp.Contractor(name="张三", legal_form=swp.LegalForm.INDIVIDUAL, lawfully_registered=False)
    assert outcome(national, swp.Case(contractor=person), "national.contractor.eligible_types").outcome is swp.Outcome.PASS


@pytest.mark.parametrize(
    ("purchaser", "expected"),
    [
        (swp.Purchaser(name="某区民政局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT), "pass"),
        (swp.Purchaser(name="某街道", kind=swp.PurchaserKind.STREET_OFFICE), "pass"),
        (swp.Purchaser(name="某国企", kind=swp.PurchaserKind.ENTERPRISE), "fail"),
        (swp.Purchaser(name="某局属事业单位", kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                       public_institution_category=swp.PublicInstitutionCategory.ADMINISTRATIVE), "unknown"),
    ],
)
def test_purchasers_are_state_organs(national: swp.Registry, purchaser: swp.Purchaser, expected: str) -> None:
    assert outcome(national, swp.Case(purchaser=purchaser), "national.purchaser.state_organs").outcome.value == expected


def test_article_8_exclusions(national: swp.Registry) -> None:
    hospital = swp.Purchaser(name="某医院", kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
                             public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1)
    assert outcome(national, swp.Case(purchaser=hospital), "national.purchaser.excluded_types").outcome is swp.Outcome.FAIL
    staffed = swp.Purchaser(name="某妇联", kind=swp.PurchaserKind.MASS_ORGANIZATION,
                            staffing=swp.Staffing.INSTITUTIONAL, budget_funded=True)
    assert outcome(national, swp.Case(purchaser=staffed), "national.purchaser.excluded_types").outcome is swp.Outcome.FAIL
    unknown = swp.Purchaser(name="某妇联", kind=swp.PurchaserKind.MASS_ORGANIZATION)
    assert outcome(national, swp.Case(purchaser=unknown), "national.purchaser.excluded_types").outcome is swp.Outcome.UNKNOWN


def test_reconstructed_quotes_say_so_in_json(national: swp.Registry) -> None:
    from socialwork_procurement.cli._output import citation_json

    verbatim = citation_json(national.rule("national.purchaser.state_organs").citation)
    assert verbatim["file"] is None and verbatim["url"] and "note" not in verbatim
    reconstructed = citation_json(national.rule("national.contract.term_length").citation)
    assert "not checked against a stored copy" in reconstructed["note"]


def test_conflicts_pair_the_rules_that_answer_the_same_question(national: swp.Registry) -> None:
    from socialwork_procurement import Citation, Region, Rule, RuleKind, Source, Strength, Subject, hookimpl

    source = Source(file="q.txt", title="问题地区办法")

    def anyone(case: swp.Case, on: date) -> swp.RuleResult:
        return swp.passed("$.purchaser.kind") if case.purchaser else swp.not_applicable("$.purchaser")

    def unknown_budget(case: swp.Case, on: date) -> swp.RuleResult:
        return swp.unknown("$.purchaser.budget_funded") if case.purchaser else swp.not_applicable("$.purchaser")

    def make(rule_id: str, predicate: swp.Predicate, question: str | None) -> Rule:
        return Rule(rule_id=rule_id, region="qland", kind=RuleKind.PURCHASER_ELIGIBILITY, strength=Strength.HARD,
                    subject=Subject.PURCHASER, effective_from=date(2010, 1, 1), effective_to=None,
                    citation=Citation(source, "任何单位均可购买"), message_zh="任何单位均可购买",
                    message_en="anyone may purchase", predicate=predicate, question=question)

    class QPack:
        @hookimpl
        def swp_regions(self) -> list[Region]:
            return [Region(code="qland", name_zh="问题地区", name_en="Qland", sources=(source,))]

        @hookimpl
        def swp_rules(self) -> list[Rule]:
            return [make("qland.purchaser.anyone", anyone, "purchaser.type"),
                    make("qland.purchaser.budget", unknown_budget, None)]

    registry = swp.load_registry(entrypoints=False, extra_packs=[("qpack", QPack())])
    enterprise = swp.Case(purchaser=swp.Purchaser(name="某国企", kind=swp.PurchaserKind.ENTERPRISE))
    verdict = registry.check(enterprise, region="qland", on=ON)
    # An unrelated unknown neither hides the conflict nor stands in for it.
    assert [(c.regional.rule_id, c.national.rule_id) for c in verdict.conflicts] == [
        ("qland.purchaser.anyone", "national.purchaser.state_organs")
    ]
    assert verdict.decision is swp.Decision.UNDETERMINED
    # decide() compares findings by value: copies decide the same.
    import copy

    assert swp.decide(copy.deepcopy(verdict.findings), copy.deepcopy(verdict.conflicts)) is verdict.decision


def test_no_conflict_when_the_region_itself_does_not_allow_it(national: swp.Registry) -> None:
    from socialwork_procurement import Citation, Region, Rule, RuleKind, Source, Strength, Subject, hookimpl

    source = Source(file="r.txt", title="地区办法")

    def not_excluded(case: swp.Case, on: date) -> swp.RuleResult:
        return swp.passed("$.purchaser.kind") if case.purchaser else swp.not_applicable("$.purchaser")

    def governments_only(case: swp.Case, on: date) -> swp.RuleResult:
        if case.purchaser is None:
            return swp.not_applicable("$.purchaser")
        ok = case.purchaser.kind is swp.PurchaserKind.PEOPLES_GOVERNMENT
        return swp.passed("$.purchaser.kind") if ok else swp.failed("$.purchaser.kind")

    def make(rule_id: str, predicate: swp.Predicate) -> Rule:
        return Rule(rule_id=rule_id, region="rland", kind=RuleKind.PURCHASER_ELIGIBILITY, strength=Strength.HARD,
                    subject=Subject.PURCHASER, effective_from=date(2010, 1, 1), effective_to=None,
                    citation=Citation(source, "各级政府是购买主体"), message_zh="各级政府是购买主体",
                    message_en="governments purchase", predicate=predicate, question="purchaser.type")

    class RPack:
        @hookimpl
        def swp_regions(self) -> list[Region]:
            return [Region(code="rland", name_zh="地区", name_en="Rland", sources=(source,))]

        @hookimpl
        def swp_rules(self) -> list[Rule]:
            return [make("rland.purchaser.not_excluded", not_excluded), make("rland.purchaser.governments", governments_only)]

    registry = swp.load_registry(entrypoints=False, extra_packs=[("rpack", RPack())])
    enterprise = swp.Case(purchaser=swp.Purchaser(name="某国企", kind=swp.PurchaserKind.ENTERPRISE))
    verdict = registry.check(enterprise, region="rland", on=ON)
    # Both layers refuse the enterprise: a passing exclusion check is not the region «allowing» it.
    assert verdict.conflicts == ()
    assert verdict.decision is swp.Decision.INELIGIBLE
