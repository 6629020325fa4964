"""The disclosure package (信息公开): a Ningxia purchase driven step by step, each item's state, and the renderers."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import _lifecycle_kit as kit

import socialwork_procurement as swp
from socialwork_procurement import (
    DisclosureEntry,
    DisclosurePackage,
    ItemState,
    Publication,
    disclosure_html,
    disclosure_json,
    disclosure_markdown,
    disclosure_package,
    render_disclosure,
)
from socialwork_procurement.lifecycle._commands import (
    Accept,
    AssessNeeds,
    Award,
    Cancel,
    Close,
    RecordDisclosure,
    StartService,
    StartTender,
)
from socialwork_procurement.lifecycle._machine import Role
from socialwork_procurement.lifecycle._procurement import Procurement
from socialwork_procurement.store._sqlite import SQLiteEventStore

D = swp.DisclosureItem
M, F = swp.EvaluationStage.MIDTERM, swp.EvaluationStage.FINAL
PORTAL = "盐池县人民政府门户网站"
WHY = "《意见》具体条件未载明;已按采购文件资格条件审查"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SQLiteEventStore]:
    kit.require_region("ningxia")
    with kit.new_store(tmp_path / "cases.sqlite") as s:
        yield s


def states(package: DisclosurePackage) -> dict[str, str]:
    return {e.item.value: e.state.value for e in package.entries if e.item is not None}


def entry(package: DisclosurePackage, item: swp.DisclosureItem) -> DisclosureEntry:
    return next(e for e in package.entries if e.item is item)


def disclose(on: date, *items: swp.DisclosureItem, where: str | None = PORTAL) -> RecordDisclosure:
    return RecordDisclosure(**kit.meta(on, actor="李科长"), items=frozenset(items), where=where)


def opened(store: SQLiteEventStore, case_id: str = "NX-2024-001") -> Procurement:
    return Procurement.create(store, kit.registry(), case_id, kit.open_command("ningxia", on=date(2024, 1, 8)))


def signed(store: SQLiteEventStore) -> Procurement:
    """A Ningxia purchase up to its signed contract, the budget items published on the way."""
    proc = opened(store)
    proc.execute(AssessNeeds(**kit.meta(date(2024, 1, 15)), summary="困境儿童关爱需求摸底"))
    proc.execute(kit.budget_command(date(2024, 1, 25)))
    proc.execute(disclose(date(2024, 1, 30), D.PROJECT_CONTENT, D.BUDGET))
    proc.execute(StartTender(**kit.meta(date(2024, 2, 1)), method=swp.ProcurementMethod.COMPETITIVE_CONSULTATION,
                             accept_undetermined=WHY))
    proc.execute(Award(**kit.meta(date(2024, 2, 26)), contractor=kit.ningxia_contractor(), accept_undetermined=WHY))
    period = swp.ServicePeriod(date(2024, 3, 1), date(2024, 12, 31))
    proc.execute(kit.sign_command(date(2024, 2, 28), period, evaluation_fee_base=None, accept_undetermined=WHY))
    return proc


# -- a purchase, step by step ----------------------------------------------------------------------------------


def test_just_opened_nothing_is_due_yet(store: SQLiteEventStore) -> None:
    package = disclosure_package(opened(store))
    assert package.requires_publication and package.region == "ningxia" and package.status == "draft"
    # Ningxia's eight items, then the decree's contract: each due from a step not taken yet.
    assert [e.item for e in package.entries] == [*swp_ningxia_items(), D.CONTRACT]
    assert set(states(package).values()) == {"not_yet_due"}
    assert {e.rule.rule_id for e in package.entries} == {
        "ningxia.disclosure.items", "national.disclosure.contract_published"}


def swp_ningxia_items() -> Sequence[swp.DisclosureItem]:
    from socialwork_procurement_ningxia import DISCLOSURE_ITEMS

    return DISCLOSURE_ITEMS


def test_each_item_falls_due_with_its_step_and_shows_where_it_was_published(store: SQLiteEventStore) -> None:
    proc = opened(store)
    proc.execute(AssessNeeds(**kit.meta(date(2024, 1, 15)), summary="需求"))
    proc.execute(kit.budget_command(date(2024, 1, 25)))
    package = disclosure_package(proc)
    assert {k for k, v in states(package).items() if v == "due"} == {"project_content", "budget"}
    budget = entry(package, D.BUDGET)
    assert budget.due_since == date(2024, 1, 25) and budget.produced_by == "approve_budget"

    proc.execute(disclose(date(2024, 1, 30), D.PROJECT_CONTENT, D.BUDGET))
    package = disclosure_package(proc)
    published = entry(package, D.BUDGET)
    assert published.state is ItemState.PUBLISHED
    assert published.publication == Publication(on=date(2024, 1, 30), where=PORTAL, recorded_by="李科长")

    proc.execute(StartTender(**kit.meta(date(2024, 2, 1)), method=swp.ProcurementMethod.OPEN_TENDER,
                             accept_undetermined=WHY))
    package = disclosure_package(proc)
    assert states(package)["purchase_procedure"] == "due"
    # The tender gives the case a contract part, but nothing is signed: the contract's items wait.
    assert {states(package)[i] for i in ("service_standards", "service_content", "contract")} == {"not_yet_due"}


def test_signing_makes_the_contract_items_due(store: SQLiteEventStore) -> None:
    package = disclosure_package(signed(store))
    got = states(package)
    assert {k for k, v in got.items() if v == "due"} == {
        "service_standards", "service_requirements", "service_content", "purchase_procedure", "contract"}
    assert {k for k, v in got.items() if v == "published"} == {"project_content", "budget"}
    assert {k for k, v in got.items() if v == "not_yet_due"} == {"evaluation_standards", "evaluation_results"}
    for item in (D.SERVICE_STANDARDS, D.CONTRACT):
        assert entry(package, item).due_since == date(2024, 2, 28)
    assert package.count(ItemState.DUE) == 5 and package.count(ItemState.MISSING) == 0


def test_the_package_as_of_an_earlier_day(store: SQLiteEventStore) -> None:
    proc = signed(store)
    before = disclosure_package(proc, on=date(2024, 1, 26))
    assert before.status == "budgeted" and before.on == date(2024, 1, 26)
    assert {k for k, v in states(before).items() if v == "due"} == {"project_content", "budget"}
    with pytest.raises(ValueError, match="opened on 2024-01-08"):
        disclosure_package(proc, on=date(2024, 1, 1))
    with pytest.raises(ValueError, match="not 'xiamen'"):
        disclosure_package(proc, region="xiamen")


def test_evaluations_then_an_unpublished_result_goes_missing_when_the_case_closes(store: SQLiteEventStore) -> None:
    proc = signed(store)
    proc.execute(disclose(date(2024, 2, 29), D.PURCHASE_PROCEDURE, D.SERVICE_STANDARDS, D.SERVICE_REQUIREMENTS,
                          D.SERVICE_CONTENT, D.CONTRACT))
    proc.execute(StartService(**kit.meta(date(2024, 3, 1), actor="马某", role=Role.CONTRACTOR)))
    proc.execute(kit.evaluation_command(date(2024, 8, 1), M, evaluator="宁夏某社会工作评估中心"))
    package = disclosure_package(proc)
    assert states(package)["evaluation_standards"] == states(package)["evaluation_results"] == "due"
    assert entry(package, D.EVALUATION_RESULTS).due_since == date(2024, 8, 1)
    proc.execute(disclose(date(2024, 8, 5), D.EVALUATION_STANDARDS))
    proc.execute(kit.evaluation_command(date(2024, 12, 20), F, evaluator="宁夏某社会工作评估中心"))
    proc.execute(Accept(**kit.meta(date(2025, 1, 6)), accept_undetermined="宁夏来源无约束验收的硬性评估规则"))
    assert states(disclosure_package(proc))["evaluation_results"] == "due"  # still open: it can be published
    proc.execute(Close(**kit.meta(date(2025, 1, 10))))
    closed = disclosure_package(proc)
    assert closed.status == "closed"
    # Nothing can be recorded after a final state: the item is missing for good.
    assert states(closed)["evaluation_results"] == "missing"
    assert closed.count(ItemState.PUBLISHED) == 8


def test_a_purchase_cancelled_before_the_tender(store: SQLiteEventStore) -> None:
    proc = opened(store)
    proc.execute(Cancel(**kit.meta(date(2024, 1, 20)), reason="项目取消"))
    package = disclosure_package(proc)
    # Its steps will never come: not applicable, not «not yet due».
    assert set(states(package).values()) == {"not_applicable"}


def test_a_state_without_its_history(store: SQLiteEventStore) -> None:
    proc = signed(store)
    with pytest.raises(TypeError, match="registry"):
        disclosure_package(proc.state)
    package = disclosure_package(proc.state, kit.registry())
    assert states(package) == states(disclosure_package(proc))
    # Without the history, when and where an item was published is not known.
    assert entry(package, D.BUDGET).publication is None


# -- case files ------------------------------------------------------------------------------------------------


CONTRACT = swp.Contract(
    procurement_method=swp.ProcurementMethod.OPEN_TENDER,
    stated_terms=frozenset(swp.ContractTerm),
    written=True,
    signed_on=date(2024, 2, 28),
)


def test_a_case_file() -> None:
    registry = kit.registry()
    kit.require_region("ningxia")
    with pytest.raises(TypeError, match="region"):
        disclosure_package(swp.Case(contract=CONTRACT), registry)
    unknown = disclosure_package(swp.Case(contract=CONTRACT), registry, region="ningxia", on=date(2024, 3, 1))
    got = states(unknown)
    assert {k for k, v in got.items() if v == "unknown"} == {
        "service_standards", "service_requirements", "service_content", "purchase_procedure", "contract"}
    # A case part that is absent makes its items not applicable (the case schema's promise).
    assert {k for k, v in got.items() if v == "not_applicable"} == {
        "project_content", "budget", "evaluation_standards", "evaluation_results"}
    told = swp.Case(contract=CONTRACT, published=frozenset({D.SERVICE_STANDARDS, D.CONTRACT}))
    package = disclosure_package(told, registry, region="ningxia", on=date(2024, 3, 1))
    assert states(package)["service_standards"] == "published" and states(package)["service_content"] == "due"
    assert package.case_id is None and package.status is None
    later = disclosure_package(told, registry, region="ningxia", on=date(2024, 2, 1))
    assert states(later)["service_content"] == "not_yet_due"


def test_a_region_whose_sources_require_no_publication() -> None:
    kit.require_region("xiamen")
    case = swp.Case(contract=CONTRACT)
    package = disclosure_package(case, kit.registry(), region="xiamen", on=date(2015, 3, 1))
    assert not package.requires_publication and package.entries == ()
    assert "未要求公开任何事项" in disclosure_markdown(package)
    assert "requires anything to be published" in disclosure_html(package, "en")
    assert disclosure_json(package)["items"] == []


class _CataloguePack:
    """A region whose disclosure rule is not itemised: one entry, its state from the outcome."""

    def __init__(self) -> None:
        self.region = swp.Region(code="testland", name_zh="测试地区", name_en="Testland",
                                 sources=(swp.Source(file="test.txt", title="测试来源"),), parent=None)

    @swp.hookimpl
    def swp_regions(self) -> Sequence[swp.Region]:
        return [self.region]

    @swp.hookimpl
    def swp_rules(self) -> Sequence[swp.Rule]:
        def published(case: swp.Case, on: date) -> swp.RuleResult:
            if case.published is None:
                return swp.unknown("$.published")
            if D.ANNUAL_CATALOGUE in case.published:
                return swp.passed("$.published")
            return swp.failed("$.published", "not published", "未公布")

        return [swp.Rule(
            rule_id="testland.disclosure.annual_catalogue", region="testland", kind=swp.RuleKind.DISCLOSURE,
            strength=swp.Strength.HARD, subject=swp.Subject.DISCLOSURE, effective_from=date(2020, 1, 1),
            effective_to=None, citation=swp.Citation(self.region.sources[0], "制定并公布年度购买服务事项目录"),
            message_zh="公布年度目录", message_en="Publish the annual catalogue", predicate=published,
        )]


def test_a_rule_the_package_cannot_itemise() -> None:
    registry = swp.load_registry(entrypoints=False, national=False, extra_packs=[("testland-pack", _CataloguePack())])
    on = date(2024, 3, 1)
    expected = {None: ItemState.UNKNOWN, frozenset(): ItemState.MISSING,
                frozenset({D.ANNUAL_CATALOGUE}): ItemState.PUBLISHED}
    for published, state in expected.items():
        package = disclosure_package(swp.Case(published=published), registry, region="testland", on=on)
        (only,) = package.entries
        assert only.item is None and only.state is state
        assert disclosure_json(package)["items"][0]["name"] == "公布年度目录"


# -- renderers -------------------------------------------------------------------------------------------------


def test_json_carries_every_item_with_its_rule_and_quote(store: SQLiteEventStore) -> None:
    package = disclosure_package(signed(store))
    data = disclosure_json(package)
    json.dumps(data, ensure_ascii=False, allow_nan=False)  # JSON-ready as it is
    assert data["region"] == "ningxia" and data["on"] == "2024-02-28" and data["case_id"] == "NX-2024-001"
    assert data["summary"] == {"published": 2, "due": 5, "missing": 0, "not_yet_due": 2, "not_applicable": 0,
                               "unknown": 0}
    budget = next(i for i in data["items"] if i["item"] == "budget")
    assert budget == {
        "item": "budget", "name": "预算安排", "state": "published", "state_name": "已公开",
        "due_since": "2024-01-25", "produced_by": "approve_budget", "step": "设计项目、提出目标并编制年度项目预算",
        "published_on": "2024-01-30", "where": PORTAL, "recorded_by": "李科长",
        "rule_id": "ningxia.disclosure.items",
    }
    rules = {r["rule_id"]: r for r in data["rules"]}
    assert set(rules) == {"ningxia.disclosure.items", "national.disclosure.contract_published"}
    ningxia = rules["ningxia.disclosure.items"]
    assert ningxia["quote"].startswith("及时将购买社会工作服务的项目内容") and ningxia["strength"] == "hard"
    assert ningxia["source"]["file"] == "004_0945842d0c95d02d.txt" and ningxia["basis"] == "source"
    assert rules["national.disclosure.contract_published"]["source"]["number"] == "财政部令第102号"
    english = disclosure_json(package, "en")
    assert next(i for i in english["items"] if i["item"] == "contract")["name"] == "the purchase contract"
    assert english["region_name"] == "Ningxia Hui Autonomous Region"


def test_markdown_page(store: SQLiteEventStore) -> None:
    proc = signed(store)
    proc.execute(disclose(date(2024, 2, 29), D.CONTRACT, where="公告栏 | 第*2*号"))
    page = disclosure_markdown(disclosure_package(proc))
    assert page.startswith("# 信息公开材料: 社区综合服务项目\n")
    assert "| 事项 | 状态 | 应公开自 | 公开日期 | 公开地点 | 依据 |" in page
    assert "| 预算安排 | 已公开 | 2024-01-25(设计项目、提出目标并编制年度项目预算) | 2024-01-30 | 盐池县人民政府门户网站 |" in page
    # Text the caller gave cannot break the table or add emphasis.
    assert "公告栏 \\| 第\\*2\\*号" in page
    assert "> 「及时将购买社会工作服务的项目内容" in page and "### `national.disclosure.contract_published` (硬性)" in page
    english = disclosure_markdown(disclosure_package(proc), "en")
    assert "| Item | State | Due since | Published on | Where | Rule |" in english
    assert "| budget | published | 2024-01-25 (the project designed" in english


def test_html_page_is_escaped(store: SQLiteEventStore) -> None:
    proc = signed(store)
    proc.execute(disclose(date(2024, 2, 29), D.CONTRACT, where='<script>alert("x")</script>'))
    page = disclosure_html(disclosure_package(proc))
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<title>信息公开材料: 社区综合服务项目</title>" in page
    assert '<td class="due">待公开</td>' in page
    assert "<blockquote>「政府购买服务合同应当依法予以公告」</blockquote>" in page
    english = disclosure_html(disclosure_package(proc), "en")
    assert '<html lang="en">' in english and '<td class="published">published</td>' in english


def test_render_by_format_and_language(store: SQLiteEventStore) -> None:
    package = disclosure_package(signed(store))
    assert render_disclosure(package, "json") == disclosure_json(package)
    assert render_disclosure(package, "md", "en") == disclosure_markdown(package, "en")
    assert render_disclosure(package, "html") == disclosure_html(package)
    with pytest.raises(ValueError, match="format"):
        render_disclosure(package, "pdf")
    with pytest.raises(ValueError, match="lang"):
        disclosure_json(package, "fr")
    with pytest.raises(TypeError):
        disclosure_package("NX-1")  # type: ignore[arg-type]


def test_the_command_line_prints_the_package(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from socialwork_procurement.cli._main import main

    kit.require_region("ningxia")
    path = tmp_path / "cli.sqlite"
    with kit.new_store(path) as s:
        signed(s)
    store = ["--store", str(path)]
    assert main(["case", "disclosure", "NX-2024-001", *store]) == 0
    page = capsys.readouterr().out
    assert page.lstrip().startswith("<!DOCTYPE html") or page.lstrip().startswith("<html")
    assert "预算安排" in page  # a readable Chinese page by default
    assert main(["case", "disclosure", "NX-2024-001", "--format", "json", "--lang", "en", *store]) == 0
    data = json.loads(capsys.readouterr().out)
    with kit.new_store(path) as s:
        expected = disclosure_json(disclosure_package(Procurement.open(s, kit.registry(), "NX-2024-001")), "en")
    assert data == json.loads(json.dumps(expected, ensure_ascii=False))
    assert main(["case", "disclosure", "NX-2024-001", "--format", "md", *store]) == 0
    assert "|" in capsys.readouterr().out
    assert main(["case", "disclosure", "NO-SUCH", *store]) == 2
