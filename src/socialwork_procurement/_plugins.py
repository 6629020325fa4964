"""The typed plugin manager: discovers region packs, isolates broken ones, builds a registry.

It wraps pluggy's ``PluginManager`` the way conda does: entry points are loaded one at a time
so a pack that fails to import is reported by its distribution name and the others still load;
``check_pending()`` catches misspelled hooks; a region code claimed twice is refused.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import attrs
import pluggy

from . import _hookspecs
from ._errors import DuplicateRegion, PluginError
from ._hookspecs import PROJECT_NAME
from ._registry import Contribution, Registry
from ._rules import Indicator, PackRef, Period, Region, Rule, Silence

ENTRY_POINT_GROUP = PROJECT_NAME
"""Entry-point group region packs register under: ``[project.entry-points.socialwork_procurement]``."""

_T = TypeVar("_T")


@attrs.frozen
class PackProblem:
    """A pack that could not be loaded or contributed something invalid."""

    distribution: str
    message: str

    def __str__(self) -> str:
        return f"{self.distribution}: {self.message}"


@attrs.frozen
class _Pack:
    name: str
    version: str
    plugin: object


class RulePackManager:
    """Loads region packs and turns their contributions into a :class:`Registry`.

    >>> manager = RulePackManager()
    >>> manager.load_entrypoints()            # doctest: +SKIP
    >>> registry = manager.registry()         # doctest: +SKIP
    """

    def __init__(self, *, national: bool = True) -> None:
        self._pm = pluggy.PluginManager(PROJECT_NAME)
        self._pm.add_hookspecs(_hookspecs.RulePackSpec)
        self._packs: dict[str, _Pack] = {}
        self._problems: list[PackProblem] = []
        if national:
            from ._national import NATIONAL_PACK_NAME, national_pack

            self.register(national_pack, name=NATIONAL_PACK_NAME, version=_core_version())

    @property
    def problems(self) -> tuple[PackProblem, ...]:
        """Packs that failed to load or contributed invalid records, by distribution name."""
        return tuple(self._problems)

    @property
    def packs(self) -> tuple[str, ...]:
        """Names of the packs registered so far."""
        return tuple(self._packs)

    def register(self, plugin: object, *, name: str, version: str = "0") -> None:
        """Register a pack object (a module or instance with ``@hookimpl`` functions) directly.

        Raises :class:`PluginError` if the name is taken or the pack implements an unknown hook.
        """
        if name in self._packs:
            raise PluginError(f"a pack named {name!r} is already registered", distribution=name)
        try:
            self._pm.register(plugin, name=name)
            # check_pending refuses hookimpls with no spec (a misspelled swp_rule, say).
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            if self._pm.is_registered(plugin):
                self._pm.unregister(plugin)
            raise PluginError(f"pack {name!r} is invalid: {exc}", distribution=name) from exc
        self._packs[name] = _Pack(name, version, plugin)

    def load_entrypoints(self, group: str = ENTRY_POINT_GROUP) -> None:
        """Load every installed pack in ``group``, one at a time.

        A pack whose import fails, or that registers an unknown hook, is recorded in
        :attr:`problems` under its distribution name; the other packs still load.
        """
        for ep in sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name):
            dist = ep.dist
            dist_name = dist.name if dist is not None else ep.name
            dist_version = dist.version if dist is not None else "0"
            if dist_name in self._packs:
                continue
            try:
                plugin = ep.load()
            except Exception as exc:  # a broken pack must not stop the others
                self._problems.append(PackProblem(dist_name, f"failed to import {ep.value}: {exc!r}"))
                continue
            try:
                self.register(plugin, name=dist_name, version=dist_version)
            except PluginError as exc:
                self._problems.append(PackProblem(dist_name, str(exc)))

    def _collect(self, hook_name: str, kind: type[_T]) -> list[tuple[_Pack, _T]]:
        hook: Any = getattr(self._pm.hook, hook_name)
        out: list[tuple[_Pack, _T]] = []
        for impl in hook.get_hookimpls():
            pack = self._packs[impl.plugin_name]
            try:
                # Calling each implementation ourselves attributes every record to its pack
                # and isolates a pack whose hook raises (pluggy would stop at the first error).
                result = impl.function()
                records = list(result)
            except Exception as exc:
                self._problems.append(PackProblem(pack.name, f"{hook_name} raised {exc!r}"))
                continue
            bad = [r for r in records if not isinstance(r, kind)]
            if bad:
                self._problems.append(
                    PackProblem(pack.name, f"{hook_name} returned {type(bad[0]).__name__}, not {kind.__name__}")
                )
                continue
            out.extend((pack, r) for r in records)
        return out

    def registry(self) -> Registry:
        """Collect every pack's contributions into an immutable :class:`Registry`.

        Raises :class:`DuplicateRegion` when two packs claim one region code. Records naming
        a region no pack declares are dropped and reported in :attr:`problems`.
        """
        region_owner: dict[str, tuple[_Pack, Region]] = {}
        for pack, region in self._collect("swp_regions", Region):
            if region.code in region_owner:
                other = region_owner[region.code][0]
                raise DuplicateRegion(region.code, sorted([other.name, pack.name]))
            region_owner[region.code] = (pack, region)

        def known(
            pairs: Iterable[tuple[_Pack, _T]], region_of: Callable[[_T], str], hook: str
        ) -> list[Contribution[_T]]:
            kept: list[Contribution[_T]] = []
            for pack, record in pairs:
                code = region_of(record)
                if code not in region_owner:
                    self._problems.append(
                        PackProblem(pack.name, f"{hook}: record for undeclared region {code!r} dropped")
                    )
                    continue
                kept.append(Contribution(pack.name, record))
            return kept

        rules = known(self._collect("swp_rules", Rule), lambda r: r.region, "swp_rules")
        silences = known(self._collect("swp_silences", Silence), lambda r: r.region, "swp_silences")
        indicators = known(self._collect("swp_indicators", Indicator), lambda r: r.region, "swp_indicators")
        periods = known(self._collect("swp_periods", Period), lambda r: r.region, "swp_periods")

        pack_regions: dict[str, list[str]] = {name: [] for name in self._packs}
        for code, (pack, _region) in region_owner.items():
            pack_regions[pack.name].append(code)
        pack_refs = tuple(
            PackRef(p.name, p.version, tuple(sorted(pack_regions[p.name])))
            for p in sorted(self._packs.values(), key=lambda p: p.name)
        )
        return Registry(
            regions={code: Contribution(pack.name, region) for code, (pack, region) in region_owner.items()},
            rules=rules,
            silences=silences,
            indicators=indicators,
            periods=periods,
            packs=pack_refs,
            problems=tuple(str(p) for p in self._problems),
        )


def _core_version() -> str:
    try:
        return importlib.metadata.version("socialwork-procurement")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def load_registry(
    *, national: bool = True, extra_packs: Sequence[tuple[str, object]] = (), entrypoints: bool = True
) -> Registry:
    """Load the installed packs (and any ``extra_packs`` as ``(name, plugin)``) into a registry.

    ``national=False`` leaves out the national layer (《政府购买服务管理办法》, 财政部令第102号).
    """
    manager = RulePackManager(national=national)
    if entrypoints:
        manager.load_entrypoints()
    for name, plugin in extra_packs:
        manager.register(plugin, name=name)
    return manager.registry()
