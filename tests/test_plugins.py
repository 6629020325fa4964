"""Plugin discovery for real: installed distributions found through their entry points."""

from __future__ import annotations

import importlib.metadata
import types
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import socialwork_procurement as swp

Install = Callable[..., Path]


def _testland_only(manager: swp.RulePackManager) -> None:
    # Installed region packs (henan, xiamen …) may be present too; these tests look at theirs.
    manager.load_entrypoints()


def test_a_pack_is_found_through_its_entry_point(install_packs: Install) -> None:
    install_packs("swp_test_pack")
    eps = {ep.name: ep for ep in importlib.metadata.entry_points(group="socialwork_procurement")}
    assert eps["testland"].dist is not None and eps["testland"].dist.name == "swp-test-pack"
    registry = swp.load_registry()
    assert "testland" in [r.code for r in registry.regions()]
    assert registry.region_pack("testland") == "swp-test-pack"
    ref = next(p for p in registry.packs if p.distribution == "swp-test-pack")
    assert ref.version == "1.2.0" and ref.regions == ("testland",)
    assert not [p for p in registry.problems if "swp-test-pack" in p]


def test_a_broken_pack_is_reported_by_name_and_the_others_load(install_packs: Install) -> None:
    install_packs("swp_test_pack", "swp_broken_pack")
    manager = swp.RulePackManager()
    manager.load_entrypoints()
    assert [p.distribution for p in manager.problems if p.distribution.startswith("swp-")] == ["swp-broken-pack"]
    assert "broken on purpose" in str(manager.problems[0])
    # A reader sees the library's wording in their language; the exception's own text stays as it is.
    problem = manager.problems[0]
    assert problem.text("zh").startswith("swp-broken-pack: 无法导入") and "broken on purpose" in problem.text("zh")
    assert problem.text("en") == str(problem)
    registry = manager.registry()
    (zh,) = [t for t in registry.problem_texts("zh") if t.startswith("swp-broken-pack")]
    assert "无法导入" in zh and [p for p in registry.problems if p.startswith("swp-broken-pack")] == [str(problem)]
    assert "testland" in [r.code for r in manager.registry().regions()]


def test_a_misspelled_hook_is_refused_by_check_pending(install_packs: Install) -> None:
    install_packs("swp_test_pack", "swp_misspelled_pack")
    manager = swp.RulePackManager()
    manager.load_entrypoints()
    problem = next(p for p in manager.problems if p.distribution == "swp-misspelled-pack")
    assert "swp_rule" in problem.message
    assert "swp-misspelled-pack" not in manager.packs
    assert "testland" in [r.code for r in manager.registry().regions()]


def test_two_packs_claiming_one_region_are_refused(install_packs: Install) -> None:
    install_packs("swp_test_pack", "swp_duplicate_pack")
    manager = swp.RulePackManager()
    manager.load_entrypoints()
    with pytest.raises(swp.DuplicateRegion) as info:
        manager.registry(strict=True)
    assert info.value.region == "testland"
    assert set(info.value.packs) == {"swp-test-pack", "swp-duplicate-pack"}
    # By default neither claim is used, the problem is reported, and the other regions still load.
    registry = manager.registry()
    assert "testland" not in [r.code for r in registry.regions()]
    assert "national" in [r.code for r in registry.regions()]
    assert sum("claimed by swp-duplicate-pack, swp-test-pack" in p for p in registry.problems) == 2
    assert registry.problems == manager.registry().problems  # asking twice reports each problem once


def test_two_fee_rules_that_disagree_raise_naming_both(install_packs: Install) -> None:
    install_packs("swp_test_pack", "swp_fee_rival_pack")
    registry = swp.load_registry()
    from datetime import date
    from decimal import Decimal

    with pytest.raises(swp.RuleConflict) as info:
        registry.evaluation_fee(region="testland", base_amount=Decimal(1000), on=date(2021, 6, 1))
    assert set(info.value.rule_ids) == {"testland.evaluation.fee_2pct", "testland.evaluation.fee_5pct"}
    assert set(info.value.packs) == {"swp-test-pack", "swp-fee-rival-pack"}


def test_an_app_registers_a_pack_object_directly() -> None:
    from socialwork_procurement import Region, Source, hookimpl

    class AppPack:
        @hookimpl
        def swp_regions(self) -> list[Region]:
            return [Region(code="appland", name_zh="应用地区", name_en="Appland",
                           sources=(Source(file="app.txt", title="应用办法"),))]

    manager = swp.RulePackManager(national=False)
    manager.register(AppPack(), name="my-app-pack")
    assert [r.code for r in manager.registry().regions()] == ["appland"]
    with pytest.raises(swp.PluginError, match="already registered"):
        manager.register(AppPack(), name="my-app-pack")


def test_a_hook_that_raises_or_returns_junk_is_isolated() -> None:
    from socialwork_procurement import Region, Source, hookimpl

    class Good:
        @hookimpl
        def swp_regions(self) -> list[Region]:
            return [Region(code="good", name_zh="好", name_en="Good", sources=(Source(file="g.txt", title="办法"),))]

    class Raises:
        @hookimpl
        def swp_rules(self) -> list[object]:
            raise RuntimeError("boom")

    class Junk:
        @hookimpl
        def swp_silences(self) -> list[object]:
            return ["not a silence"]

    manager = swp.RulePackManager(national=False)
    for name, pack in (("good", Good()), ("raises", Raises()), ("junk", Junk())):
        manager.register(pack, name=name)
    registry = manager.registry()
    assert [r.code for r in registry.regions()] == ["good"]
    assert {p.split(":")[0] for p in registry.problems} == {"raises", "junk"}


def test_records_for_an_undeclared_region_are_dropped_and_reported(testland: swp.Registry) -> None:
    from datetime import date

    from socialwork_procurement import Silence, hookimpl

    class Stray:
        @hookimpl
        def swp_silences(self) -> list[Silence]:
            return [Silence(region="nowhere", topic="evaluation_fee", statement_zh="无", statement_en="none",
                            sources=(), effective_from=date(2020, 1, 1))]

    manager = swp.RulePackManager(national=False)
    manager.register(Stray(), name="stray")
    registry = manager.registry()
    assert any("nowhere" in p for p in registry.problems)


def test_results_do_not_depend_on_registration_order(install_packs: Install) -> None:
    install_packs()
    import swp_test_pack

    from socialwork_procurement.rules import _national

    one = swp.RulePackManager(national=False)
    one.register(_national.national_pack, name="national")
    one.register(swp_test_pack.pack, name="test")
    two = swp.RulePackManager(national=False)
    two.register(swp_test_pack.pack, name="test")
    two.register(_national.national_pack, name="national")
    assert one.registry().rules("testland") == two.registry().rules("testland")
    assert [r.code for r in one.registry().regions()] == [r.code for r in two.registry().regions()]


def test_an_overlapping_rule_version_from_another_pack_is_dropped(testland: swp.Registry) -> None:
    import swp_test_pack

    from socialwork_procurement import hookimpl

    original = testland.rule("testland.contractor.legal_person")

    class Hijacker:
        @hookimpl
        def swp_rules(self) -> list[swp.Rule]:
            import attrs

            return [attrs.evolve(original, message_en="anyone may contract")]

    manager = swp.RulePackManager()
    manager.register(swp_test_pack.pack, name="swp-test-pack")
    manager.register(Hijacker(), name="hijacker")
    registry = manager.registry()
    assert registry.rule("testland.contractor.legal_person").message_en == original.message_en
    assert any(p.startswith("hijacker: rule testland.contractor.legal_person overlaps") for p in registry.problems)
    assert "national" in [r.code for r in registry.regions()]


# ---------------------------------------------------------------------------------------------
# RulePack: a pack as one declarative record


def _region(code: str) -> swp.Region:
    return swp.Region(code=code, name_zh="示例", name_en="Example", sources=(swp.Source(file="x.txt", title="办法"),))


def _rule(rule_id: str, region: str, **changes: object) -> swp.Rule:
    rule = swp.Rule(rule_id=rule_id, region=region, kind=swp.RuleKind.INFO, strength=swp.Strength.INFO,
                    subject=swp.Subject.PROGRAMME, effective_from=date(2020, 1, 1), effective_to=None,
                    citation=swp.Citation(swp.Source(file="x.txt", title="办法"), "条文"), message_zh="规则",
                    message_en="rule")
    return attrs.evolve(rule, **changes)


# Which field of a RulePack each hook hands over. A hook added to the specs without a field here,
# and a hookimpl on RulePack, fails the next test: a declarative pack must be able to say everything.
HOOK_FIELDS = {
    "swp_regions": "region",
    "swp_rules": "rules",
    "swp_silences": "silences",
    "swp_indicators": "indicators",
    "swp_periods": "periods",
}


def test_rule_pack_implements_every_hook() -> None:
    from socialwork_procurement.rules import _hookspecs

    specs = sorted(name for name in vars(_hookspecs.RulePackSpec) if name.startswith("swp_"))
    assert specs == sorted(HOOK_FIELDS) == list(swp.HOOK_NAMES)
    implemented = sorted(
        name for name in dir(swp.RulePack) if hasattr(getattr(swp.RulePack, name), f"{_hookspecs.PROJECT_NAME}_impl")
    )
    assert implemented == specs


def test_rule_pack_hooks_hand_over_its_records_as_declared(install_packs: Install) -> None:
    install_packs()
    from swp_test_pack.declarative import pack

    manager = swp.RulePackManager(national=False)
    manager.register(pack, name="declarative")
    assert manager.problems == ()
    for hook, field in HOOK_FIELDS.items():
        declared = getattr(pack, field)
        records = getattr(pack, hook)()
        assert list(records) == ([declared] if hook == "swp_regions" else list(declared))
        assert records, f"the test pack declares nothing for {hook}"
    registry = manager.registry()
    assert registry.problems == ()
    assert registry.region("declland") == pack.region
    assert registry.rules("declland") == pack.rules
    assert registry.silences("declland") == pack.silences
    assert registry.indicators("declland") == pack.indicators
    assert registry.periods("declland") == pack.periods


def test_a_rule_pack_is_found_through_its_entry_point(install_packs: Install) -> None:
    install_packs("swp_test_pack", "swp_rule_pack")
    registry = swp.load_registry()
    assert registry.region_pack("declland") == "swp-rule-pack"
    assert registry.region_pack("testland") == "swp-test-pack"
    assert not [p for p in registry.problems if p.startswith("swp-")]
    verdict = registry.check(swp.Case(contractor=swp.Contractor(name="甲", legal_form=swp.LegalForm.FOUNDATION,
                                                                independent_legal_person=False)),
                             region="declland", on=date(2021, 1, 1), national=False)
    assert verdict.decision is swp.Decision.INELIGIBLE
    assert [f.rule_id for f in verdict.failures] == ["declland.contractor.legal_person"]


def test_an_entry_point_may_name_a_module_that_exposes_one_rule_pack(install_packs: Install) -> None:
    install_packs("swp_module_pack")
    import swp_test_pack.modland

    manager = swp.RulePackManager()
    manager.load_entrypoints()
    assert "swp-module-pack" in manager.packs
    registry = manager.registry()
    assert registry.region_pack("modland") == "swp-module-pack"
    assert registry.region("modland") is swp_test_pack.modland.PACK.region


def test_a_hand_written_module_pack_still_works(install_packs: Install) -> None:
    install_packs("swp_handwritten_pack")
    registry = swp.load_registry()
    assert registry.region_pack("handland") == "swp-handwritten-pack"
    assert [r.rule_id for r in registry.rules("handland")] == ["handland.contractor.legal_person"]
    assert not [p for p in registry.problems if p.startswith("swp-")]


def test_a_broken_rule_pack_is_reported_by_its_distribution_and_the_others_load(install_packs: Install) -> None:
    install_packs("swp_test_pack", "swp_broken_rule_pack")
    manager = swp.RulePackManager()
    manager.load_entrypoints()
    (problem,) = [p for p in manager.problems if p.distribution.startswith("swp-")]
    assert problem.distribution == "swp-broken-rule-pack"
    # Every problem of the record at once, each naming what is wrong.
    assert "invalid rule pack for region 'brokenland'" in problem.message
    assert "rules[0] (testland.contractor.legal_person) is for region 'testland', not 'brokenland'" in problem.message
    assert "rule id 'brokenland.twice' is listed twice in force on the same days" in problem.message
    registry = manager.registry()
    assert "brokenland" not in [r.code for r in registry.regions()]
    assert registry.region_pack("testland") == "swp-test-pack"
    assert any(p.startswith("swp-broken-rule-pack: ") for p in registry.problems)


def test_rule_pack_refuses_every_wrong_record_at_once() -> None:
    silence = swp.Silence(region="example", topic="evaluation_fee", statement_zh="未规定", statement_en="none",
                          sources=("x.txt",), effective_from=date(2020, 1, 1))
    indicator = swp.Indicator(indicator_id="example.i", rule_id="example.a", region="example", description_zh="指标",
                              description_en="indicator", target=Decimal(10), unit="people", due=date(2025, 12, 31))
    period = swp.Period(period_id="example.p", rule_id="example.a", region="example", name_zh="期", name_en="p",
                        start=date(2020, 1, 1), end=date(2020, 12, 31))
    with pytest.raises(swp.PluginError) as info:
        swp.RulePack(
            region=_region("example"),
            rules=[_rule("example.a", "example"), _rule("other.b", "other"), _rule("example.a", "example")],
            silences=[silence, attrs.evolve(silence, effective_from=date(2021, 1, 1)), "not a silence"],  # type: ignore[list-item]
            indicators=[indicator, indicator],
            periods=[period, period],
        )
    assert isinstance(info.value, swp.ProcurementError)
    message = str(info.value)
    assert message.startswith("invalid rule pack for region 'example': ")
    for part in (
        "rules[1] (other.b) is for region 'other', not 'example'",
        "silences[2] is a str, not a Silence",
        "rule id 'example.a' is listed twice in force on the same days",
        "silence topic 'evaluation_fee' is listed twice in force on the same days",
        "indicator id 'example.i' is listed 2 times",
        "period id 'example.p' is listed 2 times",
    ):
        assert part in message


def test_rule_pack_takes_dated_versions_of_one_rule_and_refuses_a_non_region() -> None:
    first = _rule("example.a", "example", effective_to=date(2020, 12, 31))
    second = _rule("example.a", "example", effective_from=date(2021, 1, 1), message_en="rule, second version")
    pack = swp.RulePack(region=_region("example"), rules=(first, second))
    assert pack.rules == (first, second)
    assert repr(pack) == "RulePack(region='example', rules=2, silences=0, indicators=0, periods=0)"
    with pytest.raises(swp.PluginError, match="region must be a Region, not str"):
        swp.RulePack(region="example")  # type: ignore[arg-type]


def test_a_module_exposing_two_rule_packs_is_refused() -> None:
    module = types.ModuleType("two_packs")
    module.one = swp.RulePack(region=_region("one"))  # type: ignore[attr-defined]
    module.two = swp.RulePack(region=_region("two"))  # type: ignore[attr-defined]
    manager = swp.RulePackManager(national=False)
    with pytest.raises(swp.PluginError, match="exposes 2 rule packs") as info:
        manager.register(module, name="two-packs")
    assert info.value.distribution == "two-packs"
    assert manager.packs == ()


def test_one_rule_pack_registered_under_two_names_is_refused_by_name() -> None:
    pack = swp.RulePack(region=_region("example"))
    manager = swp.RulePackManager(national=False)
    manager.register(pack, name="first")
    # pluggy itself would raise a bare ValueError, which would stop the other entry points loading.
    with pytest.raises(swp.PluginError, match="already registered as 'first'") as info:
        manager.register(pack, name="second")
    assert info.value.distribution == "second"
    assert manager.packs == ("first",)


def test_rule_pack_results_do_not_depend_on_registration_order(install_packs: Install) -> None:
    install_packs()
    import swp_test_pack
    from swp_test_pack.declarative import pack

    registries = []
    for order in ((("test", swp_test_pack.pack), ("declarative", pack)), (("declarative", pack), ("test", swp_test_pack.pack))):
        manager = swp.RulePackManager()
        for name, plugin in order:
            manager.register(plugin, name=name)
        registries.append(manager.registry())
    one, two = registries
    for code in ("testland", "declland"):
        assert one.rules(code) == two.rules(code)
        assert one.silences(code) == two.silences(code)
        assert one.indicators(code) == two.indicators(code)
        assert one.periods(code) == two.periods(code)
    assert [r.code for r in one.regions()] == [r.code for r in two.regions()]


def test_an_allow_list_chooses_between_two_packs_claiming_one_region(
    install_packs: Install, monkeypatch: pytest.MonkeyPatch
) -> None:
    install_packs("swp_test_pack", "swp_duplicate_pack")
    # Both installed: neither claim is used, and the problem says how to choose.
    both = swp.load_registry()
    assert "testland" not in [r.code for r in both.regions()]
    assert any("SWP_LOAD_PACKS" in p and "swp-duplicate-pack" in p and "swp-test-pack" in p for p in both.problems)
    # The app chooses in code (names compare as pip does: case and -_. do not matter) ...
    chosen = swp.load_registry(packs=["SWP_Test.Pack"])
    assert "testland" in [r.code for r in chosen.regions()]
    assert [p.distribution for p in chosen.packs if "testland" in p.regions] == ["swp-test-pack"]
    # ... or in the environment, as datasette's DATASETTE_LOAD_PLUGINS.
    monkeypatch.setenv("SWP_LOAD_PACKS", "swp-duplicate-pack")
    from_env = swp.load_registry()
    assert [p.distribution for p in from_env.packs if "testland" in p.regions] == ["swp-duplicate-pack"]
    assert not any("claimed by" in p for p in from_env.problems)
    # An empty list loads no pack; a name that is not installed is reported, never ignored.
    monkeypatch.setenv("SWP_LOAD_PACKS", "")
    assert [r.code for r in swp.load_registry().regions()] == ["national"]
    monkeypatch.setenv("SWP_LOAD_PACKS", "swp-test-pack, no-such-pack")
    missing = swp.load_registry()
    assert "testland" in [r.code for r in missing.regions()]
    assert any("no-such-pack" in p and "not an installed pack" in p for p in missing.problems)


@pytest.mark.parametrize(("lang", "words"), [("zh", "无法导入"), ("en", "failed to import")])
def test_the_cli_warns_of_a_broken_pack_in_the_readers_language(
    install_packs: Install, capsys: pytest.CaptureFixture[str], lang: str, words: str
) -> None:
    from socialwork_procurement.cli._main import main

    install_packs("swp_test_pack", "swp_broken_pack")
    assert main(["regions", "--lang", lang]) == 0
    (warning,) = [line for line in capsys.readouterr().err.splitlines() if "swp-broken-pack" in line]
    assert warning.startswith("swp: warning: swp-broken-pack: ") and words in warning
