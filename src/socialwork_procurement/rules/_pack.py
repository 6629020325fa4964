"""A region pack as one declarative record: :class:`RulePack` implements every hook from its data.

A pack's ``__init__.py`` builds one ``RulePack`` from the records its modules define, and its entry
point names that object (``henan = "socialwork_procurement_henan:pack"``), or the package if it
exposes exactly one. The hooks then return the records as they are: a pack holds no hook code,
and what the core receives is what the record says, whatever the order packs are called in.

Every pack has the same modules, with the same roles (OpenFisca's country template does the same
for its countries, so a reader who knows one pack knows them all):

- ``__init__.py``: builds and exports the ``RulePack`` (a few lines of data);
- ``_sources.py``: the :class:`Source` records, the :class:`Region` and the verbatim quotes;
- ``_rules.py``: the :class:`Rule` records (``RULES``);
- ``_predicates.py``: the predicate functions the rules check cases with;
- ``_silences.py``: the :class:`Silence` records (``SILENCES``);
- ``_indicators.py`` and ``_periods.py``: ``INDICATORS`` and ``PERIODS``, empty tuples where the
  sources set none, so that every pack has the same modules;
- ``py.typed``.

A hand-written pack (a module or an object with ``@hookimpl`` functions) still works; a
``RulePack`` is the shape the region packs share.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, Final, TypeVar

import attrs

from .._errors import PluginError
from ._hookspecs import PROJECT_NAME, hookimpl
from ._rules import Indicator, Period, Region, Rule, Silence

PACK_MODULES: Final = (
    "__init__.py",
    "_indicators.py",
    "_periods.py",
    "_predicates.py",
    "_rules.py",
    "_silences.py",
    "_sources.py",
    "py.typed",
)
"""The files every region pack's package holds, no more and no fewer (see the module docstring)."""


def _as_tuple(records: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(records)


@attrs.frozen(eq=False, repr=False)
class RulePack:
    """One region's rules, silences, indicators and periods, handed to the core through the hooks.

    >>> from socialwork_procurement import Region, RulePack, Source
    >>> pack = RulePack(region=Region(code="example", name_zh="示例", name_en="Example",
    ...                               sources=(Source(file="example.txt", title="示例办法"),)))
    >>> pack
    RulePack(region='example', rules=0, silences=0, indicators=0, periods=0)

    Every record must name the pack's region, and no id may be listed twice (two versions of one
    rule id, or two silences on one topic, may not be in force on the same day): a record that
    breaks this raises :class:`~socialwork_procurement.PluginError` listing every problem at
    once, when the pack is built, so an installed pack that is wrong is reported by its
    distribution name when the manager loads it. To add records to a region another pack
    declares, write the hooks by hand.

    A pack is compared by identity (``eq=False``), as the plugin manager compares the objects it
    registers.
    """

    region: Region
    """The region the pack declares (``swp_regions``), with the sources its rules cite."""
    rules: tuple[Rule, ...] = attrs.field(default=(), converter=_as_tuple)
    silences: tuple[Silence, ...] = attrs.field(default=(), converter=_as_tuple)
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=_as_tuple)
    periods: tuple[Period, ...] = attrs.field(default=(), converter=_as_tuple)

    def __attrs_post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            code = self.region.code if isinstance(self.region, Region) else self.region
            raise PluginError(f"invalid rule pack for region {code!r}: " + "; ".join(problems))

    def __repr__(self) -> str:
        # The records themselves would fill a screen; pluggy's messages print the plugin's repr.
        return (
            f"RulePack(region={self.region.code!r}, rules={len(self.rules)}, silences={len(self.silences)}, "
            f"indicators={len(self.indicators)}, periods={len(self.periods)})"
        )

    # The hooks take no arguments (none with a default, pluggy's pitfall) and return the
    # records as declared: nothing depends on when, or after which pack, they are called.

    @hookimpl
    def swp_regions(self) -> Sequence[Region]:
        return (self.region,)

    @hookimpl
    def swp_rules(self) -> Sequence[Rule]:
        return self.rules

    @hookimpl
    def swp_silences(self) -> Sequence[Silence]:
        return self.silences

    @hookimpl
    def swp_indicators(self) -> Sequence[Indicator]:
        return self.indicators

    @hookimpl
    def swp_periods(self) -> Sequence[Period]:
        return self.periods


def _problems(pack: RulePack) -> list[str]:
    region: object = pack.region  # a caller without mypy may pass anything
    if not isinstance(region, Region):
        return [f"region must be a Region, not {type(region).__name__}"]
    problems: list[str] = []
    problems += _misfiled("rules", Rule, pack.rules, region.code, lambda r: r.rule_id)
    problems += _misfiled("silences", Silence, pack.silences, region.code, lambda s: s.topic)
    problems += _misfiled("indicators", Indicator, pack.indicators, region.code, lambda i: i.indicator_id)
    problems += _misfiled("periods", Period, pack.periods, region.code, lambda p: p.period_id)
    rules = [r for r in pack.rules if isinstance(r, Rule)]
    silences = [s for s in pack.silences if isinstance(s, Silence)]
    problems += _overlapping("rule id", [(r.rule_id, r.effective_from, r.effective_to) for r in rules])
    problems += _overlapping("silence topic", [(s.topic, s.effective_from, s.effective_to) for s in silences])
    problems += _repeated("indicator id", [i.indicator_id for i in pack.indicators if isinstance(i, Indicator)])
    problems += _repeated("period id", [p.period_id for p in pack.periods if isinstance(p, Period)])
    return problems


_R = TypeVar("_R", Rule, Silence, Indicator, Period)


def _misfiled(field: str, kind: type[_R], records: Sequence[object], code: str, key: Callable[[_R], str]) -> list[str]:
    """Records of the wrong type, and records that name another region than the pack's."""
    problems: list[str] = []
    for i, record in enumerate(records):
        if not isinstance(record, kind):
            problems.append(f"{field}[{i}] is a {type(record).__name__}, not a {kind.__name__}")
        elif record.region != code:
            problems.append(f"{field}[{i}] ({key(record)}) is for region {record.region!r}, not {code!r}")
    return problems


def _overlapping(what: str, versions: list[tuple[str, date, date | None]]) -> list[str]:
    """Keys listed twice with dates that overlap (dated versions that follow each other are fine)."""
    problems: list[str] = []
    for i, (key, start, end) in enumerate(versions):
        for other_key, other_start, other_end in versions[i + 1 :]:
            if key == other_key and overlap(start, end, other_start, other_end):
                problems.append(f"{what} {key!r} is listed twice in force on the same days")
    return problems


def _repeated(what: str, keys: list[str]) -> list[str]:
    return [f"{what} {key!r} is listed {keys.count(key)} times" for key in sorted(set(keys)) if keys.count(key) > 1]


def overlap(start: date, end: date | None, other_start: date, other_end: date | None) -> bool:
    """Whether two inclusive date ranges (``None``: open-ended) share a day."""
    return start <= (other_end or date.max) and other_start <= (end or date.max)


def pack_object(plugin: object) -> object:
    """What to register for ``plugin``: a module that implements no hook but exposes one RulePack is that pack.

    So an entry point may name a pack's package (``"socialwork_procurement_henan"``) as well as its
    ``RulePack`` (``"socialwork_procurement_henan:pack"``). A module with ``@hookimpl`` functions of
    its own is a hand-written pack and is registered as it is; one exposing several RulePacks is
    refused, since which to use would be a guess.
    """
    if not isinstance(plugin, types.ModuleType):
        return plugin
    namespace = vars(plugin).values()
    if any(callable(value) and hasattr(value, f"{PROJECT_NAME}_impl") for value in namespace):
        return plugin
    packs = list({id(value): value for value in namespace if isinstance(value, RulePack)}.values())
    if len(packs) > 1:
        raise PluginError(
            f"module {plugin.__name__} exposes {len(packs)} rule packs ({', '.join(map(repr, packs))}): "
            "name one in the entry point (module:attribute)"
        )
    return packs[0] if packs else plugin
