"""One pack shape: every region pack under ``plugins/`` has the same modules, with the same roles.

The shape is ``socialwork_procurement.rules._pack.PACK_MODULES``: ``__init__.py`` builds the
``RulePack``, ``_sources.py`` holds the sources, the region and the verbatim quotes, ``_rules.py`` the
rules, ``_predicates.py`` the predicates, ``_silences.py``, ``_indicators.py`` and ``_periods.py``
their records (empty tuples where a region has none), and ``py.typed``.
"""

from __future__ import annotations

import importlib
import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import socialwork_procurement as swp
from socialwork_procurement.rules._pack import PACK_MODULES
from socialwork_procurement.testing import ConformanceError, assert_pack_conforms
from socialwork_procurement.testing._conformance import shape_problems

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
PACK_DIRS = sorted(PLUGINS.glob("*/src/socialwork_procurement_*"))
CODES = [d.parents[1].name for d in PACK_DIRS]


def _files(package_dir: Path) -> list[str]:
    return sorted(p.name for p in package_dir.iterdir() if p.name != "__pycache__" and not p.name.startswith("."))


def test_every_pack_has_exactly_the_same_modules() -> None:
    assert {"henan", "xiamen", "ningxia"} <= set(CODES)
    modules = {code: _files(d) for code, d in zip(CODES, PACK_DIRS, strict=True)}
    assert all(files == sorted(PACK_MODULES) for files in modules.values()), modules


@pytest.mark.parametrize("code", CODES)
def test_the_entry_point_names_the_packs_rule_pack(code: str) -> None:
    project = tomllib.loads((PLUGINS / code / "pyproject.toml").read_text(encoding="utf-8"))
    entry_points = project["project"]["entry-points"]["socialwork_procurement"]
    assert entry_points == {code: f"socialwork_procurement_{code}:pack"}
    module = importlib.import_module(f"socialwork_procurement_{code}")
    assert isinstance(module.pack, swp.RulePack)
    assert module.pack.region.code == code


@pytest.mark.parametrize("code", CODES)
def test_every_pack_conforms_to_the_shape_and_the_properties(code: str) -> None:
    pack = importlib.import_module(f"socialwork_procurement_{code}").pack
    assert shape_problems(pack) == []
    assert_pack_conforms(pack, max_examples=20)


@pytest.mark.parametrize("code", CODES)
def test_packs_hold_no_hook_code_and_import_only_the_public_api(code: str) -> None:
    for path in sorted((PLUGINS / code / "src").rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        assert "hookimpl" not in text and not re.search(r"def swp_", text), f"{path}: hook code in a pack"
        private = re.findall(r"^\s*(?:from|import) (socialwork_procurement\.[\w.]+)", text, re.MULTILINE)
        assert private == [], f"{path} imports {private}: packs import only `from socialwork_procurement import ...`"


# The check itself: a package that breaks the shape is reported, each problem named.

_BROKEN_INIT = '''
from socialwork_procurement import RulePack

from ._rules import RULES
from ._sources import REGION

pack = RulePack(region=REGION, rules=RULES)
'''
_BROKEN_SOURCES = '''
from socialwork_procurement import Region, Source

SOURCE = Source(file="x.txt", title="办法")
SOURCES = (SOURCE,)
REGION = Region(code="shapeless", name_zh="无形", name_en="Shapeless", sources=SOURCES)
'''
_BROKEN_RULES = '''
from datetime import date

from socialwork_procurement import Citation, Rule, RuleKind, Strength, Subject, passed

from ._sources import SOURCE


def inline(case, on):  # a predicate outside _predicates
    return passed("$")


RULES = (
    Rule(rule_id="shapeless.contractor.x", region="shapeless", kind=RuleKind.CONTRACTOR_ELIGIBILITY,
         strength=Strength.HARD, subject=Subject.CONTRACTOR, effective_from=date(2020, 1, 1), effective_to=None,
         citation=Citation(SOURCE, "条文在规则模块里"), message_zh="规则", message_en="rule", predicate=inline),
)
'''


def test_shape_problems_names_each_way_a_package_breaks_the_shape(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "swp_shapeless"
    package.mkdir()
    # _silences is not imported by the package: the check imports it, and finds records the pack lacks.
    for name, text in {"__init__.py": _BROKEN_INIT, "_sources.py": _BROKEN_SOURCES, "_rules.py": _BROKEN_RULES,
                       "_silences.py": "SILENCES = ('stale',)\n", "_indicators.py": "INDICATORS = ()\n",
                       "_pack.py": "", "py.typed": ""}.items():
        (package / name).write_text(text, encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        pack = importlib.import_module("swp_shapeless").pack
        every = ", ".join(PACK_MODULES)
        assert shape_problems(pack) == [
            f"swp_shapeless: _periods.py is missing (every pack has {every})",
            f"swp_shapeless: _predicates.py is missing (every pack has {every})",
            f"swp_shapeless: _pack.py is not one of the pack modules ({every})",
        ]
        with pytest.raises(ConformanceError, match=re.escape("_periods.py is missing")):
            assert_pack_conforms(pack, max_examples=5)

        # With the module set complete, what the modules hold is checked.
        (package / "_pack.py").unlink()
        (package / "_periods.py").write_text("PERIODS = ()\n", encoding="utf-8")
        (package / "_predicates.py").write_text("", encoding="utf-8")
        assert shape_problems(pack) == [
            "swp_shapeless._silences.SILENCES is not what the pack holds",
            "shapeless.contractor.x: its predicate is not defined in swp_shapeless._predicates",
            "shapeless.contractor.x: its quote is not a constant of swp_shapeless._sources",
        ]
    finally:
        for name in [m for m in sys.modules if m.split(".")[0] == "swp_shapeless"]:
            del sys.modules[name]


def test_a_rule_pack_no_package_exposes_skips_the_shape_not_the_properties(install_packs: Callable[..., Path]) -> None:
    install_packs()
    # The package swp_test_pack does not expose this pack (its module declarative does): an app's pack.
    from swp_test_pack.declarative import pack

    assert shape_problems(pack) == []
    assert_pack_conforms(pack, max_examples=20, national=False)
    broken = swp.RulePack(region=pack.region, rules=[pack.rules[0], attrs.evolve(pack.rules[1], message_zh="no Chinese")])
    with pytest.raises(ConformanceError, match=re.escape("declland.target.workers: message_zh has no Chinese text")):
        assert_pack_conforms(broken, max_examples=5)
    with pytest.raises(ValueError, match="the pack is for region 'declland', not 'testland'"):
        assert_pack_conforms(pack, "testland")

