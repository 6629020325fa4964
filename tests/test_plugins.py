"""Plugin discovery for real: installed distributions found through their entry points."""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable
from pathlib import Path

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
    assert sum("claimed by swp-duplicate-pack and swp-test-pack" in p for p in registry.problems) == 2
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
