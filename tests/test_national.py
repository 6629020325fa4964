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


ART24_MET = {"budget_secured": True, "content_relatively_fixed": True, "strongly_continuous": True,
             "stable_funding": True, "small_price_changes": True}


@pytest.mark.parametrize(
    ("start", "end", "facts", "expected"),
    [
        (date(2021, 3, 1), date(2022, 2, 28), {}, "pass"),  # exactly one year
        (date(2020, 3, 1), date(2021, 2, 28), {}, "pass"),  # one year across a leap day
        (date(2021, 3, 1), date(2022, 3, 1), {}, "unknown"),  # a day over: needs art. 24's conditions
        (date(2021, 3, 1), date(2023, 3, 1), ART24_MET, "pass"),
        (date(2021, 3, 1), date(2024, 2, 29), ART24_MET, "pass"),  # exactly three years
        (date(2021, 3, 1), date(2024, 3, 1), ART24_MET, "fail"),  # a day over three years
        # 29 February: no corresponding day three years on, so the term ends on 28 February.
        (date(2024, 2, 29), date(2027, 2, 28), ART24_MET, "pass"),
        (date(2024, 2, 29), date(2027, 3, 1), ART24_MET, "fail"),
        (date(2024, 2, 28), date(2027, 2, 27), ART24_MET, "pass"),
        # Issue 8: a stated basis alone no longer passes (it used to); the article's conditions decide.
        (date(2021, 3, 1), date(2023, 3, 1), {"long_term_basis": "连续性强、经费稳定的社区综合服务"}, "unknown"),
        (date(2021, 3, 1), date(2023, 3, 1), {**ART24_MET, "stable_funding": None}, "unknown"),
        (date(2021, 3, 1), date(2023, 3, 1), {**ART24_MET, "small_price_changes": False}, "fail"),
    ],
)
def test_contract_term_length(
    national: swp.Registry, start: date, end: date, facts: dict[str, object], expected: str
) -> None:
    result = outcome(national, contract(start, end, **facts), "national.contract.term_length")
    assert result.outcome.value == expected


def test_term_over_a_year_names_the_conditions_not_declared(national: swp.Registry) -> None:
    case = contract(date(2021, 3, 1), date(2023, 3, 1), long_term_basis="连续性强", budget_secured=True,
                    strongly_continuous=False)
    failed = outcome(national, case, "national.contract.term_length")
    # A declared false condition fails, at its own path, and the stated basis is shown.
    assert (failed.outcome, failed.path, failed.declared_false) == (swp.Outcome.FAIL, "$.contract.strongly_continuous", True)
    assert "连续性强" in (failed.detail_zh or "") and "stated basis: 连续性强" in (failed.detail_en or "")
    open_case = contract(date(2021, 3, 1), date(2023, 3, 1), budget_secured=True)
    result = outcome(national, open_case, "national.contract.term_length")
    assert result.outcome is swp.Outcome.UNKNOWN
    assert [d.path for d in result.deciding] == [
        "$.contract.content_relatively_fixed", "$.contract.strongly_continuous", "$.contract.stable_funding",
        "$.contract.small_price_changes",
    ]
    assert all(d.values == (True, False) for d in result.deciding)


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


PI = swp.PurchaserKind.PUBLIC_INSTITUTION
CAT = swp.PublicInstitutionCategory


@pytest.mark.parametrize(
    ("purchaser", "expected", "deciding"),
    [
        (swp.Purchaser(name="某区民政局", kind=swp.PurchaserKind.ADMINISTRATIVE_DEPARTMENT), "pass", []),
        (swp.Purchaser(name="某街道", kind=swp.PurchaserKind.STREET_OFFICE), "pass", []),
        (swp.Purchaser(name="某国企", kind=swp.PurchaserKind.ENTERPRISE), "fail", []),
        (swp.Purchaser(name="某局属事业单位", kind=PI, public_institution_category=CAT.ADMINISTRATIVE), "unknown",
         ["$.attestations"]),
        # Issue 8: a missing category or staffing is unknown naming the fact (it used to fail).
        (swp.Purchaser(name="某中心", kind=PI), "unknown",
         ["$.purchaser.public_institution_category", "$.purchaser.civil_service_managed"]),
        (swp.Purchaser(name="某妇联", kind=swp.PurchaserKind.MASS_ORGANIZATION), "unknown", ["$.purchaser.staffing"]),
        (swp.Purchaser(name="某妇联", kind=swp.PurchaserKind.MASS_ORGANIZATION, staffing=swp.Staffing.ADMINISTRATIVE),
         "unknown", ["$.attestations"]),
        (swp.Purchaser(name="某妇联", kind=swp.PurchaserKind.MASS_ORGANIZATION, staffing=swp.Staffing.INSTITUTIONAL),
         "fail", []),
        # civil_service_managed is honoured: never a plain failure of art. 5.
        (swp.Purchaser(name="某老龄办", kind=PI, civil_service_managed=True), "unknown", ["$.attestations"]),
        (swp.Purchaser(name="某老龄办", kind=PI, civil_service_managed=True, public_institution_category=CAT.CATEGORY_2),
         "unknown", ["$.attestations"]),
        (swp.Purchaser(name="某医院", kind=PI, civil_service_managed=False, public_institution_category=CAT.CATEGORY_2),
         "fail", []),
    ],
)
def test_purchasers_are_state_organs(
    national: swp.Registry, purchaser: swp.Purchaser, expected: str, deciding: list[str]
) -> None:
    result = outcome(national, swp.Case(purchaser=purchaser), "national.purchaser.state_organs")
    assert result.outcome.value == expected
    assert [d.path for d in result.deciding] == deciding


def test_a_purchase_by_analogy_passes_on_an_attestation(national: swp.Registry) -> None:
    from socialwork_procurement.rules._national import BY_ANALOGY
    from socialwork_procurement.rules._rules import Attestation

    office = swp.Purchaser(name="某市老龄工作委员会办公室", kind=PI, civil_service_managed=True)
    attestation = Attestation(condition=BY_ANALOGY, attested_by="某市财政局 李四", basis="该办参照本办法执行的批复",
                              date=date(2021, 5, 1))
    case = swp.Case(purchaser=office, attestations=(attestation,))
    result = outcome(national, case, "national.purchaser.state_organs")
    assert (result.outcome, result.attestation) == (swp.Outcome.PASS, attestation)
    assert "某市财政局 李四" in (result.detail_zh or "") and "某市财政局 李四" in (result.detail_en or "")
    # Dated after the day asked, it did not exist yet.
    early = outcome(national, case, "national.purchaser.state_organs", on=date(2021, 4, 30))
    assert early.outcome is swp.Outcome.UNKNOWN and early.attestation is None


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
    from socialwork_procurement.export._json import citation_json

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


# -- issue 8: the layer's new rules and corrected readings ---------------------------------------------------------


ALL_TERMS = frozenset(swp.ContractTerm)


def test_ningxia_s_subject_matter_is_the_decree_s_content(national: swp.Registry) -> None:
    # 「标的」 (subject_matter) and 「服务的内容」 are one term (RULES.md A.8); Xiamen's 「范围」 (scope) also states it.
    for content in (swp.ContractTerm.SUBJECT_MATTER, swp.ContractTerm.SCOPE):
        terms = ALL_TERMS - {swp.ContractTerm.SUBJECT_MATTER, swp.ContractTerm.SCOPE} | {content}
        case = swp.Case(contract=swp.Contract(written=True, stated_terms=terms))
        assert outcome(national, case, "national.contract.written_terms").outcome is swp.Outcome.PASS, content
    neither = ALL_TERMS - {swp.ContractTerm.SUBJECT_MATTER, swp.ContractTerm.SCOPE}
    result = outcome(national, swp.Case(contract=swp.Contract(written=True, stated_terms=neither)),
                     "national.contract.written_terms")
    assert result.outcome is swp.Outcome.FAIL and "服务的内容" in (result.detail_zh or "")


def test_contract_publication_is_due_once_signed(national: swp.Registry) -> None:
    rule = "national.disclosure.contract_published"
    signed = swp.Contract(signed_on=date(2021, 5, 1))
    assert outcome(national, swp.Case(), rule).outcome is swp.Outcome.NOT_APPLICABLE
    assert outcome(national, swp.Case(contract=signed), rule, on=date(2021, 4, 30)).outcome is swp.Outcome.NOT_APPLICABLE
    unknown = outcome(national, swp.Case(contract=signed), rule)
    assert unknown.outcome is swp.Outcome.UNKNOWN and [d.values for d in unknown.deciding] == [("contract",)]
    # Due and not yet published: the catalogue sets no deadline, so it is unknown, never «late».
    budget_only = swp.Case(contract=signed, published=frozenset({swp.DisclosureItem.BUDGET}))
    pending = outcome(national, budget_only, rule)
    assert pending.outcome is swp.Outcome.UNKNOWN and "no deadline" in (pending.detail_en or "")
    done = swp.Case(contract=signed, published=frozenset({swp.DisclosureItem.CONTRACT}))
    assert outcome(national, done, rule).outcome is swp.Outcome.PASS
    assert national.rule(rule).subject is swp.Subject.DISCLOSURE
    assert "依法予以公告" in (national.rule(rule).citation.note or "")


def test_article_7_conditions_for_contractors(national: swp.Registry) -> None:
    rule = "national.procedure.contractor_conditions"
    assert outcome(national, swp.Case(), rule).outcome is swp.Outcome.NOT_APPLICABLE
    for declared, expected in ((None, swp.Outcome.UNKNOWN), (True, swp.Outcome.PASS), (False, swp.Outcome.FAIL)):
        case = swp.Case(contract=swp.Contract(contractor_conditions_non_discriminatory=declared))
        assert outcome(national, case, rule).outcome is expected
    assert "not checked against a stored copy" in (national.rule(rule).citation.note or "")


def test_article_10_negative_list_and_post_purchases(national: swp.Registry) -> None:
    from socialwork_procurement.model._types import NegativeListItem

    rule = "national.scope.negative_list"
    posts = swp.Contract(purchase_form=swp.PurchaseForm.POST)
    open_question = outcome(national, swp.Case(contract=posts), rule)
    assert open_question.outcome is swp.Outcome.UNKNOWN and "post purchase" in (open_question.detail_en or "")
    # For posts the deciding values are the matters that posts must not be.
    assert open_question.deciding[0].values == ("staff_hiring", "labour_dispatch", "public_welfare_posts")
    dispatch = attrs_evolve(posts, negative_list_items=frozenset({NegativeListItem.LABOUR_DISPATCH}))
    failed = outcome(national, swp.Case(contract=dispatch), rule)
    assert failed.outcome is swp.Outcome.FAIL and "以劳务派遣方式用工" in (failed.detail_zh or "")
    none = attrs_evolve(posts, negative_list_items=frozenset())
    assert outcome(national, swp.Case(contract=none), rule).outcome is swp.Outcome.PASS
    assert "117.156.67.38" in (national.rule(rule).citation.note or "")


def test_art_8_mass_organisation_facts_that_settle_it_alone(national: swp.Registry) -> None:
    rule = "national.purchaser.excluded_types"
    admin = swp.Purchaser(name="某团委", kind=swp.PurchaserKind.MASS_ORGANIZATION, staffing=swp.Staffing.ADMINISTRATIVE)
    assert outcome(national, swp.Case(purchaser=admin), rule).outcome is swp.Outcome.PASS  # funding irrelevant
    unfunded = swp.Purchaser(name="某协会", kind=swp.PurchaserKind.MASS_ORGANIZATION, budget_funded=False)
    assert outcome(national, swp.Case(purchaser=unfunded), rule).outcome is swp.Outcome.PASS
    staffed = swp.Purchaser(name="某妇联", kind=swp.PurchaserKind.MASS_ORGANIZATION, staffing=swp.Staffing.INSTITUTIONAL)
    result = outcome(national, swp.Case(purchaser=staffed), rule)
    assert result.outcome is swp.Outcome.UNKNOWN and [d.path for d in result.deciding] == ["$.purchaser.budget_funded"]


def test_national_silences_name_catalogue_entries_only(national: swp.Registry) -> None:
    from socialwork_procurement.rules._rules import SilenceKind

    silences = national.silences("national")
    not_encoded = [s for s in silences if s.kind is SilenceKind.NOT_ENCODED]
    assert len(not_encoded) == 4 and all(s.sources == () for s in not_encoded)
    assert all(s.effective_from < date(2020, 3, 1) for s in not_encoded)
    interim = next(s for s in not_encoded if s.topic == "not_encoded.interim_measures_2014")
    assert (interim.effective_from, interim.effective_to) == (date(2015, 1, 1), date(2020, 2, 29))
    assert "unverified" in interim.statement_en and "未经核实" in interim.statement_zh


def attrs_evolve(contract: swp.Contract, **changes: object) -> swp.Contract:
    import attrs

    return attrs.evolve(contract, **changes)  # type: ignore[arg-type]
