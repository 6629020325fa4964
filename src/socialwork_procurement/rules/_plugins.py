"""The typed plugin manager: discovers region packs, isolates broken ones, builds a registry.

It wraps pluggy's ``PluginManager`` the way conda does: entry points are loaded one at a time
so a pack that fails to import is reported by its distribution name and the others still load;
``check_pending()`` catches misspelled hooks; a region code claimed twice is refused. A pack is a
:class:`~socialwork_procurement.RulePack` (or a package exposing one) or a hand-written object
or module with ``@hookimpl`` functions.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, TypeVar

import attrs
import pluggy

from .._errors import DuplicateRegion, PluginError
from .._i18n import Joined, Message, render
from . import _hookspecs
from ._hookspecs import PROJECT_NAME
from ._pack import overlap, pack_object
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
    """In English (``str(problem)`` too); :meth:`text` gives it in a reader's language."""
    localized: Message | None = attrs.field(default=None, eq=False, repr=False)
    """The message to render for a reader, where the library words it (an exception's own text
    inside it stays as the exception gave it)."""

    def __str__(self) -> str:
        return f"{self.distribution}: {self.message}"

    def text(self, lang: str) -> str:
        """The problem in ``lang`` (``"zh"`` or ``"en"``), prefixed with the distribution."""
        return f"{self.distribution}: {render(self.localized or self.message, lang)}"


def _problem(distribution: str, message: Message) -> PackProblem:
    return PackProblem(distribution, str(message), localized=message)


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
        """Register a pack directly: a :class:`RulePack`, a module exposing one, or a module or
        instance with ``@hookimpl`` functions.

        Raises :class:`PluginError` if the name is taken, the object is already registered under
        another name, a module exposes several RulePacks, or the pack implements an unknown hook.
        """
        if name in self._packs:
            raise PluginError(f"a pack named {name!r} is already registered", distribution=name)
        try:
            plugin = pack_object(plugin)
        except PluginError as exc:
            raise PluginError(f"pack {name!r} is invalid: {exc}", distribution=name) from exc
        if self._pm.is_registered(plugin):
            # pluggy would raise a bare ValueError; two entry points naming one pack must not stop the others.
            raise PluginError(
                f"pack {name!r} is already registered as {self._pm.get_name(plugin)!r}", distribution=name
            )
        try:
            self._pm.register(plugin, name=name)
            # check_pending refuses hookimpls with no spec (a misspelled swp_rule, say).
            self._pm.check_pending()
        except pluggy.PluginValidationError as exc:
            if self._pm.is_registered(plugin):
                self._pm.unregister(plugin)
            raise PluginError(f"pack {name!r} is invalid: {exc}", distribution=name) from exc
        self._packs[name] = _Pack(name, version, plugin)

    def load_entrypoints(self, group: str = ENTRY_POINT_GROUP, *, allow: Collection[str] | None = None) -> None:
        """Load every installed pack in ``group``, one at a time.

        A pack whose import fails, or that registers an unknown hook, is recorded in
        :attr:`problems` under its distribution name; the other packs still load.

        ``allow`` names the distributions to load (names compare as pip does: case and ``-_.``
        do not matter); the others are not even imported. That is how an app chooses between two
        packs that claim one region. A name in ``allow`` that is not installed is a problem too.
        """
        import importlib.metadata  # here, not at import: it costs more than the rest of the module (issue 10)

        entry_points = sorted(importlib.metadata.entry_points(group=group), key=lambda e: e.name)
        if allow is not None:
            wanted = {_normalise(name) for name in allow}
            present = {_normalise(ep.dist.name if ep.dist is not None else ep.name) for ep in entry_points}
            for name in sorted(wanted - present):
                self._problems.append(
                    _problem(
                        name,
                        Message(
                            "{variable} or allow= names {name}, which is not an installed pack",
                            variable=LOAD_PACKS_ENV,
                            name=repr(name),
                        ),
                    )
                )
            entry_points = [
                ep for ep in entry_points if _normalise(ep.dist.name if ep.dist is not None else ep.name) in wanted
            ]
        per_dist: dict[str, int] = {}
        for ep in entry_points:
            key = ep.dist.name if ep.dist is not None else ep.name
            per_dist[key] = per_dist.get(key, 0) + 1
        for ep in entry_points:
            dist = ep.dist
            dist_name = dist.name if dist is not None else ep.name
            dist_version = dist.version if dist is not None else "0"
            # A distribution with several entry points registers each, as "dist:entry".
            if per_dist[dist_name] > 1:
                dist_name = f"{dist_name}:{ep.name}"
            if dist_name in self._packs:
                continue
            try:
                plugin = ep.load()
            except PluginError as exc:  # a RulePack whose records are wrong refuses to be built
                self._problems.append(PackProblem(dist_name, f"{ep.value}: {exc}"))
                continue
            except Exception as exc:  # a broken pack must not stop the others
                self._problems.append(
                    _problem(
                        dist_name,
                        Message("failed to import {entry_point}: {error}", entry_point=ep.value, error=repr(exc)),
                    )
                )
                continue
            try:
                self.register(plugin, name=dist_name, version=dist_version)
            except PluginError as exc:
                self._problems.append(PackProblem(dist_name, str(exc)))

    def _collect(self, hook_name: str, kind: type[_T], problems: list[PackProblem]) -> list[tuple[_Pack, _T]]:
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
                problems.append(_problem(pack.name, Message("{hook} raised {error}", hook=hook_name, error=repr(exc))))
                continue
            bad = [r for r in records if not isinstance(r, kind)]
            if bad:
                problems.append(
                    _problem(
                        pack.name,
                        Message(
                            "{hook} returned {returned}, not {expected}",
                            hook=hook_name,
                            returned=type(bad[0]).__name__,
                            expected=kind.__name__,
                        ),
                    )
                )
                continue
            out.extend((pack, r) for r in records)
        return out

    def registry(self, *, strict: bool = False) -> Registry:
        """Collect every pack's contributions into an immutable :class:`Registry`.

        One bad pack never disables the others. A region code claimed by two packs is refused:
        neither claim is used, and the region's records are dropped; a rule version that
        overlaps another version of the same rule id is dropped, keeping the version of the
        pack that declares the region. Records naming a region no pack declares are dropped.
        Each of these is reported in :attr:`Registry.problems` by distribution name; with
        ``strict=True`` a duplicate region raises :class:`DuplicateRegion` instead.
        """
        problems = list(self._problems)
        claims: dict[str, list[tuple[_Pack, Region]]] = {}
        for pack, region in self._collect("swp_regions", Region, problems):
            claims.setdefault(region.code, []).append((pack, region))
        region_owner: dict[str, tuple[_Pack, Region]] = {}
        for code, claimants in claims.items():
            if len(claimants) == 1:
                region_owner[code] = claimants[0]
                continue
            names = sorted(p.name for p, _ in claimants)
            if strict:
                raise DuplicateRegion(code, names)
            for pack, _region in claimants:
                problems.append(
                    _problem(
                        pack.name,
                        Message(
                            "region {code} is claimed by {packs}: neither claim is used (choose one with "
                            "{variable} or load_registry(packs=...))",
                            code=repr(code),
                            packs=Joined(names),
                            variable=LOAD_PACKS_ENV,
                        ),
                    )
                )

        def known(
            pairs: Iterable[tuple[_Pack, _T]], region_of: Callable[[_T], str], hook: str
        ) -> list[Contribution[_T]]:
            kept: list[Contribution[_T]] = []
            for pack, record in pairs:
                code = region_of(record)
                if code not in region_owner:
                    problems.append(
                        _problem(
                            pack.name,
                            Message("{hook}: record for undeclared region {code} dropped", hook=hook, code=repr(code)),
                        )
                    )
                    continue
                kept.append(Contribution(pack.name, record))
            return kept

        owners = {code: pack.name for code, (pack, _region) in region_owner.items()}
        rules = known(self._collect("swp_rules", Rule, problems), lambda r: r.region, "swp_rules")
        rules = _drop_overlapping_versions(rules, owners, problems)
        silences = known(self._collect("swp_silences", Silence, problems), lambda r: r.region, "swp_silences")
        indicators = known(self._collect("swp_indicators", Indicator, problems), lambda r: r.region, "swp_indicators")
        periods = known(self._collect("swp_periods", Period, problems), lambda r: r.region, "swp_periods")

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
            problems=tuple(problems),
        )


def _drop_overlapping_versions(
    rules: list[Contribution[Rule]], owners: dict[str, str], problems: list[PackProblem]
) -> list[Contribution[Rule]]:
    """Keep at most one version of a rule id in force on any day.

    Where two versions overlap, the pack that declares the region wins over a pack adding to
    another's region; when neither or both come from the owner, both versions are dropped.
    """
    by_id: dict[str, list[Contribution[Rule]]] = {}
    for c in rules:
        by_id.setdefault(c.record.rule_id, []).append(c)
    dropped: list[Contribution[Rule]] = []
    for rule_id, versions in by_id.items():
        for a, b in itertools.combinations(versions, 2):
            if not _overlap(a.record, b.record):
                continue
            owner = owners.get(a.record.region)
            from_owner = [c for c in (a, b) if c.pack == owner]
            losers = [c for c in (a, b) if c.pack != owner] if len(from_owner) == 1 else [a, b]
            for c in losers:
                if not any(c is d for d in dropped):
                    dropped.append(c)
                    problems.append(
                        _problem(
                            c.pack,
                            Message("rule {rule_id} overlaps another version in force: dropped", rule_id=rule_id),
                        )
                    )
    return [c for c in rules if not any(c is d for d in dropped)]


def _overlap(a: Rule, b: Rule) -> bool:
    return overlap(a.effective_from, a.effective_to, b.effective_from, b.effective_to)


def _core_version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("socialwork-procurement")
    except importlib.metadata.PackageNotFoundError:
        return "0+unknown"


def load_registry(
    *,
    national: bool = True,
    extra_packs: Sequence[tuple[str, object]] = (),
    entrypoints: bool = True,
    strict: bool = False,
    packs: Collection[str] | None = None,
) -> Registry:
    """Load the installed packs (and any ``extra_packs`` as ``(name, plugin)``) into a registry.

    ``national=False`` leaves out the national layer (《政府购买服务管理办法》, 财政部令第102号).
    ``packs`` names the distributions to load (an allow-list); without it the environment
    variable ``SWP_LOAD_PACKS`` (comma-separated distribution names, as datasette's
    ``DATASETTE_LOAD_PLUGINS``) is read, and without that every installed pack loads. An empty
    ``SWP_LOAD_PACKS`` loads none.
    """
    manager = RulePackManager(national=national)
    if entrypoints:
        manager.load_entrypoints(allow=packs if packs is not None else packs_from_environment())
    for name, plugin in extra_packs:
        manager.register(plugin, name=name)
    return manager.registry(strict=strict)


LOAD_PACKS_ENV = "SWP_LOAD_PACKS"
"""Environment variable: the comma-separated distributions :func:`load_registry` loads (all when unset)."""


def packs_from_environment() -> frozenset[str] | None:
    """The allow-list in ``SWP_LOAD_PACKS``, or ``None`` when it is not set."""
    value = os.environ.get(LOAD_PACKS_ENV)
    if value is None:
        return None
    return frozenset(name.strip() for name in value.split(",") if name.strip())


def _normalise(name: str) -> str:
    # Distribution names compare as pip compares them (PEP 503).
    return re.sub(r"[-_.]+", "-", name).lower()
