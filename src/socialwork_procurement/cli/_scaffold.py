"""The files ``swp new-region`` writes: a complete region pack in the one pack shape, ready to fill in.

The templates are text with ``@@name@@`` placeholders (Python, TOML and YAML all use braces and
dollar signs of their own, and JSON paths start with ``$``, so neither ``str.format`` nor
``string.Template`` could hold them as they are). :func:`render_pack` fills them in and returns every
file by its path inside the pack; :func:`write_pack` writes them into a directory that must not
exist yet. What the command line checks before (a valid, unclaimed code; names; the directory) is
in :mod:`._new_region`.

The generated pack holds one EXAMPLE of each record (source, rule, predicate, silence) about a
placeholder source text shipped in its ``sources/`` directory, so that it installs, passes its own
tests (the conformance check, its scenarios, the quote check and a property), ``mypy --strict`` and
``ruff`` as generated, and the developer replaces the examples one by one with tests still green.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path

import attrs

__all__ = ["PackSpec", "dependency_range", "render_pack", "write_pack"]

_PLACEHOLDER = re.compile(r"@@([a-z_]+)@@")


@attrs.frozen
class PackSpec:
    """What a new pack is called and where it sits among the layers."""

    code: str
    """The region code (``guangdong``): also the entry point's name and the rule ids' prefix."""
    name_zh: str
    name_en: str
    core_requirement: str
    """The version range on the core, e.g. ``socialwork-procurement>=0.1,<0.2``."""
    parent: str | None = None
    """The region this one lies in (a city in a province), or ``None`` for the national layer."""
    parent_requirement: str | None = None
    """The parent region's distribution with a version range, when ``parent`` is set."""

    @property
    def package(self) -> str:
        return f"socialwork_procurement_{self.code}"

    @property
    def distribution(self) -> str:
        # Distribution names are normalised with hyphens (PEP 503); the code may hold underscores.
        return f"socialwork-procurement-{self.code.replace('_', '-')}"


def dependency_range(distribution: str, version: str) -> str:
    """``distribution`` with the range of versions compatible with ``version``: the same minor for 0.x.

    ``0.1.0`` gives ``>=0.1,<0.2`` (below 1.0 a minor release may break its callers), ``1.4.2`` gives
    ``>=1.4,<2``. Anything after the first two numbers (``.dev1``, ``+local``) is ignored.
    """
    numbers = re.findall(r"\d+", version)[:2]
    major, minor = (int(n) for n in [*numbers, "0", "0"][:2])
    upper = f"{major}.{minor + 1}" if major == 0 else f"{major + 1}"
    return f"{distribution}>={major}.{minor},<{upper}"


def _toml_string(text: str) -> str:
    # A TOML basic string: the characters that need escaping are the same as in JSON.
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def _values(spec: PackSpec) -> dict[str, str]:
    dependencies = [spec.core_requirement, *([spec.parent_requirement] if spec.parent_requirement else [])]
    layers = f"national, {spec.parent}, {spec.code}" if spec.parent else f"national, {spec.code}"
    return {
        "code": spec.code,
        "package": spec.package,
        "distribution": spec.distribution,
        "name_zh": spec.name_zh,
        "name_en": spec.name_en,
        "name_zh_repr": repr(spec.name_zh),
        "name_en_repr": repr(spec.name_en),
        "description_toml": _toml_string(f"{spec.name_en} ({spec.name_zh}) rule pack for socialwork-procurement"),
        "dependencies_toml": ", ".join(_toml_string(d) for d in dependencies),
        "parent_line": f"    parent={spec.parent!r},\n" if spec.parent else "",
        "parent_note": (
            f"Region `{spec.code}` lies in `{spec.parent}`: a check in `{spec.code}` consults the layers "
            f"{layers}, so the pack depends on the `{spec.parent}` pack."
            if spec.parent
            else f"A check in `{spec.code}` consults the layers {layers}."
        ),
        "layers_python": repr(tuple(layers.split(", "))),
    }


def render_pack(spec: PackSpec) -> dict[str, str]:
    """Every file of the new pack: its path inside the pack (``/``-separated) and its text."""
    values = _values(spec)

    def fill(template: str) -> str:
        def value(match: re.Match[str]) -> str:
            return values[match.group(1)]

        return _PLACEHOLDER.sub(value, template)

    # A placeholder _values does not fill raises KeyError: a bug in the templates, never the user's input.
    # The values are inserted as they are, never scanned again, so a name may hold any text the CLI admits.
    return {fill(path): fill(text) for path, text in _TEMPLATES.items()}


def write_pack(files: Mapping[str, str], directory: Path) -> list[Path]:
    """Write ``files`` into ``directory``, which must not exist; returns the paths written.

    The files are written into a fresh directory beside it, which is then renamed: an error half way
    (a full disk) leaves no half-written pack behind, and an existing directory is never written into.
    """
    directory = Path(directory)
    if directory.exists():
        raise FileExistsError(directory)
    parent = directory.parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{directory.name}-", dir=parent))
    try:
        for relative, text in sorted(files.items()):
            path = staging / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        os.rename(staging, directory)
    except BaseException:
        _remove_tree(staging)
        raise
    return [directory / relative for relative in sorted(files)]


def _remove_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The templates. Every text a person reads is in Chinese and English; the examples say they are
# examples, so that no placeholder is ever mistaken for a rule of the region.

_PYPROJECT = """\
[build-system]
requires = ["hatchling>=1.21"]
build-backend = "hatchling.build"

[project]
name = "@@distribution@@"
version = "0.1.0"
description = @@description_toml@@
readme = "README.md"
requires-python = ">=3.11"
classifiers = [
  "Programming Language :: Python :: 3",
  "Typing :: Typed",
]
# The range: a pack is written against one minor version of the core's API.
dependencies = [@@dependencies_toml@@]

[project.optional-dependencies]
test = ["pytest>=8", "hypothesis>=6.100", "PyYAML>=6"]
dev = ["mypy>=1.10", "ruff>=0.5"]

# The core finds the pack through this entry point: the region code names the RulePack.
[project.entry-points.socialwork_procurement]
@@code@@ = "@@package@@:pack"

[tool.hatch.build.targets.wheel]
packages = ["src/@@package@@"]

[tool.mypy]
strict = true
python_version = "3.11"

[tool.ruff]
line-length = 120
target-version = "py311"

[tool.ruff.lint]
select = ["E", "F", "W", "I", "B", "UP", "SIM", "RUF", "N", "C4", "PT", "RET"]
# Full-width punctuation in Chinese quotes and messages is the sources' own text.
ignore = ["RUF001", "RUF002", "RUF003"]

[tool.ruff.lint.per-file-ignores]
# Tests spell out data tables and compound expectations on one line on purpose (as the core's do).
"tests/**" = ["E501", "PT018", "N802"]

[tool.ruff.lint.isort]
known-first-party = ["@@package@@"]
known-third-party = ["socialwork_procurement"]
"""

_README = """\
# @@distribution@@

@@name_en@@ (@@name_zh@@) rule pack for socialwork-procurement: the rules of the region's sources
as typed, cited records. Written by `swp new-region @@code@@`: it holds one **example** of each
record, about the placeholder source `sources/@@code@@_example.txt`. Replace them with the region's
own (see «Fill it in» below); the tests stay green at every step.

@@parent_note@@

## Install and test

```sh
pip install -e .
python -m pytest
mypy --strict src tests
ruff check .
```

`python -m pytest` runs the conformance check (`assert_pack_conforms`: the one pack shape,
citations, messages in Chinese and English, predicates that never raise), the quote check
(`assert_quotes_verbatim`: every quote is word for word in its source file), the property test,
and the scenarios in `tests/swp_scenarios_@@code@@.yaml` (the core's pytest plugin runs them).
`python -m pytest --swp-coverage` also reports which rules the scenarios make pass and fail.

## Layout

```
pyproject.toml                         the entry point: @@code@@ = "@@package@@:pack"
sources/@@code@@_example.txt           the texts of the sources the rules quote
src/@@package@@/
  __init__.py                          builds the RulePack the entry point names
  _sources.py                          the Source records, the Region, the verbatim quotes (Q_…)
  _rules.py                            the Rule records (RULES)
  _predicates.py                       the functions rules check a case with
  _silences.py                         what the sources leave unspecified (SILENCES)
  _indicators.py                       dated planning targets (INDICATORS), () if none
  _periods.py                          dated periods (PERIODS), () if none
  py.typed
tests/swp_scenarios_@@code@@.yaml      cases and the answers they must get
tests/test_@@code@@_pack.py            entry point, conformance, quotes
tests/test_@@code@@_properties.py      the predicates' properties
```

## Fill it in

1. Put each source's full text in `sources/` and give it a `Source` in `_sources.py` (title,
   number, date, and a `date_note` saying how the date is known when the text does not state it).
2. Copy every quote a rule needs, word for word, into `_sources.py` as a `Q_…` constant.
3. Write one `Rule` per rule of the sources in `_rules.py`, with the strength the source's words
   give (hard: 应/须/不得; hard default: 原则上; soft: 优先/鼓励; info: a fact or a target), its
   dates and messages in Chinese and English. A rule about one purchase gets a predicate in
   `_predicates.py`; a rule about the programme as a whole (budgets, targets) is data.
4. Where the sources say nothing (a fee, a contract length), add a `Silence`: never a default.
5. Replace the example scenarios with cases from the sources, and delete the example records.

Never write a rule the sources do not state.
"""

_INIT = '''\
"""@@name_en@@ (@@name_zh@@) rule pack for socialwork-procurement.

Installed, it registers region ``@@code@@`` through the ``socialwork_procurement`` entry-point group::

    import socialwork_procurement as swp

    registry = swp.load_registry()
    verdict = registry.check(case, region="@@code@@", on=date(2021, 6, 1))
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import RulePack

from ._indicators import INDICATORS
from ._periods import PERIODS
from ._rules import RULES
from ._silences import SILENCES
from ._sources import REGION, REGION_CODE, SOURCES

pack: Final = RulePack(region=REGION, rules=RULES, silences=SILENCES, indicators=INDICATORS, periods=PERIODS)
"""The pack the entry point ``@@code@@ = "@@package@@:pack"`` loads."""

__all__ = ["INDICATORS", "PERIODS", "REGION", "REGION_CODE", "RULES", "SILENCES", "SOURCES", "pack"]
'''

_SOURCES = '''\
"""The sources of @@name_en@@, the region, and the verbatim quotes its rules cite.

Written by ``swp new-region`` with one EXAMPLE source: replace it with the region's documents. Keep
each document's text in ``sources/`` (beside ``src/``) under the file name its :class:`Source` gives,
and quote it word for word: ``tests/test_@@code@@_pack.py`` finds every quote in its file.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Region, Source

REGION_CODE: Final = "@@code@@"

EXAMPLE_FILE: Final = "@@code@@_example.txt"

EXAMPLE_SOURCE: Final = Source(
    file=EXAMPLE_FILE,
    title="示例来源(请替换为本地区的真实来源)",
    number=None,
    date=None,
    date_note="an example: give the document's date, and how it is known where the document does not state it",
)
SOURCES: Final = (EXAMPLE_SOURCE,)

EFFECTIVE: Final = date(2021, 1, 1)
"""First day the example rule applies: the day the real source takes effect replaces it."""

DATES_NOTE: Final = "an example date: say where each rule's dates come from (stated, or inferred and how)"

REGION: Final = Region(
    code=REGION_CODE,
    name_zh=@@name_zh_repr@@,
    name_en=@@name_en_repr@@,
    sources=SOURCES,
@@parent_line@@)

# Verbatim quotes from the sources, one a rule.

Q_EXAMPLE_LEGAL_PERSON: Final = "承接主体应具有独立法人资格"
'''

_PREDICATES = '''\
"""The functions @@name_en@@'s rules check a case with: ``(case, on) -> RuleResult``, never raising.

A part of the case that is absent gives ``not_applicable``; a fact that is ``None`` gives ``unknown``,
never a pass or a fail.
"""

from __future__ import annotations

from datetime import date

from socialwork_procurement import Case, LegalForm, RuleResult, failed, not_applicable, passed, unknown


def example_contractor_legal_person(case: Case, on: date) -> RuleResult:
    """EXAMPLE: the contractor is an independent legal person (a natural person never is)."""
    contractor = case.contractor
    if contractor is None:
        return not_applicable("$.contractor", "no contractor in the case", "案件未包含承接主体")
    if contractor.legal_form is LegalForm.INDIVIDUAL:
        return failed("$.contractor.legal_form", "a natural person is not a legal person", "自然人不是法人")
    path = "$.contractor.independent_legal_person"
    if contractor.independent_legal_person is None:
        return unknown(path)
    if contractor.independent_legal_person:
        return passed(path)
    return failed(path, "declared not an independent legal person", "申报为不具有独立法人资格")
'''

_RULES = '''\
"""@@name_en@@'s rules: one :class:`Rule` per rule of the sources, each citing its verbatim quote.

Written by ``swp new-region`` with one EXAMPLE rule: replace it with the rules of the region's sources.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Citation, Rule, RuleKind, Strength, Subject

from ._predicates import example_contractor_legal_person
from ._sources import DATES_NOTE, EFFECTIVE, EXAMPLE_SOURCE, Q_EXAMPLE_LEGAL_PERSON, REGION_CODE

RULES: Final[tuple[Rule, ...]] = (
    Rule(
        rule_id="@@code@@.example.contractor_legal_person",
        region=REGION_CODE,
        kind=RuleKind.CONTRACTOR_ELIGIBILITY,
        strength=Strength.HARD,
        subject=Subject.CONTRACTOR,
        effective_from=EFFECTIVE,
        effective_to=None,
        citation=Citation(EXAMPLE_SOURCE, Q_EXAMPLE_LEGAL_PERSON),
        message_zh="示例规则:承接主体应具有独立法人资格",
        message_en="Example rule: the contractor must be an independent legal person",
        predicate=example_contractor_legal_person,
        dates_note=DATES_NOTE,
    ),
)
'''

_SILENCES = '''\
"""What @@name_en@@'s sources leave unspecified: one :class:`Silence` a topic, never a default."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Silence

from ._sources import EFFECTIVE, EXAMPLE_FILE, REGION_CODE

SILENCES: Final[tuple[Silence, ...]] = (
    Silence(
        region=REGION_CODE,
        topic="evaluation_fee",
        statement_zh="示例:来源未规定评估费用(请按真实来源改写或删除)",
        statement_en="Example: the source sets no evaluation fee (rewrite from the real sources, or remove)",
        sources=(EXAMPLE_FILE,),
        effective_from=EFFECTIVE,
    ),
)
'''

_INDICATORS = '''\
"""@@name_en@@'s planning indicators: none yet (add the dated targets the sources set)."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Indicator

INDICATORS: Final[tuple[Indicator, ...]] = ()
'''

_PERIODS = '''\
"""@@name_en@@'s periods: none yet (add the dated periods the sources set, such as a pilot's phases)."""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Period

PERIODS: Final[tuple[Period, ...]] = ()
'''

_EXAMPLE_SOURCE = """\
示例来源:本文件由 swp new-region 生成,请替换为本地区真实来源的全文。
Example source written by swp new-region: replace it with the full text of the region's real sources.

承接主体应具有独立法人资格。
"""

_SCENARIOS = """\
# Scenarios for region @@code@@: cases and the answers they must get, run by the core's pytest plugin.
# Written by `swp new-region` for the EXAMPLE rule: replace them with cases the region's sources decide.
# Dates are quoted strings; `expect` lists only what is compared (the core's «Write a region pack» tutorial).
region: @@code@@
scenarios:
  - name: 具有独立法人资格的社会工作服务机构 / an agency with legal-person status
    "on": "2021-06-01"
    case:
      contractor: {name: 示例社会工作服务中心, legal_form: private_non_enterprise_unit, independent_legal_person: true}
    expect:
      findings: {@@code@@.example.contractor_legal_person: pass}
  - name: 未申报法人资格 / legal-person status not declared
    "on": "2021-06-01"
    case:
      contractor: {name: 示例社会工作服务中心, legal_form: private_non_enterprise_unit}
    expect:
      findings: {@@code@@.example.contractor_legal_person: unknown}
  - name: 自然人作为承接主体 / a natural person as contractor
    "on": "2021-06-01"
    case:
      contractor: {name: 张三, legal_form: individual}
    expect:
      decision: ineligible
      findings: {@@code@@.example.contractor_legal_person: fail}
  - name: 来源生效之前 / before the source takes effect
    "on": "2020-12-31"
    case:
      contractor: {name: 张三, legal_form: individual}
    expect:
      absent: [@@code@@.example.contractor_legal_person]
"""

_TEST_PACK = '''\
"""The @@name_en@@ pack: installed through its entry point, conforming, and every quote verbatim in its source."""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import socialwork_procurement as swp
from socialwork_procurement.testing import assert_pack_conforms, assert_quotes_verbatim

from @@package@@ import REGION_CODE, RULES, pack

SOURCES_DIR = Path(__file__).resolve().parents[1] / "sources"
"""The texts of the sources the rules quote: ``sources/`` beside ``src/``."""


def test_the_entry_point_names_the_pack() -> None:
    entry_points = importlib.metadata.entry_points(group=swp.ENTRY_POINT_GROUP)
    (entry_point,) = [ep for ep in entry_points if ep.name == REGION_CODE]
    assert entry_point.value == "@@package@@:pack"
    assert entry_point.load() is pack


def test_the_registry_loads_the_region_with_its_layers() -> None:
    registry = swp.load_registry()
    assert registry.region_pack(REGION_CODE) == "@@distribution@@"
    assert not [problem for problem in registry.problems if "@@distribution@@" in problem]
    assert registry.layers(REGION_CODE) == @@layers_python@@


def test_the_pack_conforms() -> None:
    assert_pack_conforms(pack, max_examples=50)


def test_every_quote_is_verbatim_in_its_source() -> None:
    assert assert_quotes_verbatim(pack, SOURCES_DIR) == len(RULES)
'''

_TEST_PROPERTIES = '''\
"""Properties of @@name_en@@'s predicates on the core's Hypothesis strategies (the example's, to replace)."""

from __future__ import annotations

from datetime import date

import attrs
import socialwork_procurement as swp
from hypothesis import given, settings
from socialwork_procurement.testing import strategies as sst

from @@package@@ import RULES

EXAMPLE = next(rule for rule in RULES if rule.rule_id == "@@code@@.example.contractor_legal_person")


@settings(max_examples=100, deadline=None)
@given(contractor=sst.contractors(), on=sst.dates())
def test_the_example_rule_follows_the_declared_legal_person_status(contractor: swp.Contractor, on: date) -> None:
    assert EXAMPLE.predicate is not None
    outcome = EXAMPLE.predicate(swp.Case(contractor=contractor), on).outcome
    if contractor.legal_form is swp.LegalForm.INDIVIDUAL:
        assert outcome is swp.Outcome.FAIL  # a natural person is never a legal person, whatever is declared
    elif contractor.independent_legal_person is None:
        assert outcome is swp.Outcome.UNKNOWN
    else:
        assert outcome is (swp.Outcome.PASS if contractor.independent_legal_person else swp.Outcome.FAIL)


@given(case=sst.cases(), on=sst.dates())
def test_the_example_rule_does_not_apply_without_a_contractor(case: swp.Case, on: date) -> None:
    assert EXAMPLE.predicate is not None
    without = attrs.evolve(case, contractor=None)
    assert EXAMPLE.predicate(without, on).outcome is swp.Outcome.NOT_APPLICABLE
'''

_TEMPLATES: dict[str, str] = {
    "pyproject.toml": _PYPROJECT,
    "README.md": _README,
    "sources/@@code@@_example.txt": _EXAMPLE_SOURCE,
    "src/@@package@@/__init__.py": _INIT,
    "src/@@package@@/_sources.py": _SOURCES,
    "src/@@package@@/_rules.py": _RULES,
    "src/@@package@@/_predicates.py": _PREDICATES,
    "src/@@package@@/_silences.py": _SILENCES,
    "src/@@package@@/_indicators.py": _INDICATORS,
    "src/@@package@@/_periods.py": _PERIODS,
    "src/@@package@@/py.typed": "",
    "tests/swp_scenarios_@@code@@.yaml": _SCENARIOS,
    "tests/test_@@code@@_pack.py": _TEST_PACK,
    "tests/test_@@code@@_properties.py": _TEST_PROPERTIES,
}
