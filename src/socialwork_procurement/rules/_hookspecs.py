"""Hook specifications for region rule packs.

Every hook takes no argument and is called **once**, when the packs are loaded: a pack hands the
core its records, and the core evaluates rules in its own loop (a pluggy call per rule per case
would cost 5-15x a plain function call). Every hook returns many records, so results from all
packs are collected (none is ``firstresult``); every record names its region, so nothing depends
on the order packs are called in. Hook names share the prefix ``swp_``.

Region packs write no hook code: a :class:`~socialwork_procurement.RulePack` implements every
hook from its records. A hand-written pack implements them with the :data:`hookimpl` marker this
module exports::

    from socialwork_procurement import hookimpl

    @hookimpl
    def swp_regions():
        return [Region(code="example", name_zh="示例", name_en="Example", sources=(SOURCE,))]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from ._rules import Indicator, Period, Region, Rule, Silence

PROJECT_NAME = "socialwork_procurement"
"""Name of the pluggy project and of the entry-point group packs register under."""

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)
"""Marker for a pack's hook implementations: ``@hookimpl def swp_rules(): ...``."""


class RulePackSpec:
    """The hooks a region rule pack may implement. All are optional.

    :class:`~socialwork_procurement.RulePack` implements every one: a new hook needs a field and a
    hookimpl there too (``tests/test_plugins.py::test_rule_pack_implements_every_hook`` fails until
    it has them).
    """

    @hookspec
    def swp_regions(self) -> Sequence[Region]:
        """Declare the regions this pack answers for, with their source documents.

        Called once at load time. Results from all packs are collected. A region code may be
        claimed by one pack only: a second claim is refused and reported
        (:class:`~socialwork_procurement.DuplicateRegion`), and neither pack's claim is dropped
        silently.

        :returns: the :class:`~socialwork_procurement.Region` records this pack owns.

        **Example**::

            @hookimpl
            def swp_regions():
                return [Region(code="xiamen", name_zh="厦门市", name_en="Xiamen",
                               sources=(XIAMEN_2015,))]
        """
        raise NotImplementedError

    @hookspec
    def swp_rules(self) -> Sequence[Rule]:
        """Contribute rule definitions: eligibility, priority, fee, contract terms, procedure …

        Called once at load time; results from all packs are collected. Each
        :class:`~socialwork_procurement.Rule` carries its region, kind, strength, effective
        dates, citation (source file, title, number, verbatim quote) and messages in Chinese
        and English. A pack may add rules to a region another pack declared; two rules with one
        ``rule_id`` in force on one date are refused, and two fee rules in force for one region
        on one date raise :class:`~socialwork_procurement.RuleConflict` naming both.

        Predicates receive ``(case, on)`` and return a
        :class:`~socialwork_procurement.RuleResult`; they must not raise, and they report
        ``unknown`` when a fact they need is ``None``.

        :returns: the rules this pack defines.

        **Example**::

            @hookimpl
            def swp_rules():
                return [Rule(rule_id="example.contractor.legal_person", region="example", ...,
                             predicate=needs_legal_person)]
        """
        raise NotImplementedError

    @hookspec
    def swp_silences(self) -> Sequence[Silence]:
        """Say what a region's sources leave unspecified.

        Called once at load time; results from all packs are collected. A
        :class:`~socialwork_procurement.Silence` turns a question the sources do not answer
        (an evaluation fee, a contract length, a staff share) into an explicit «not specified»
        with the reason, instead of a made-up default.

        :returns: the silences this pack declares.

        **Example**::

            @hookimpl
            def swp_silences():
                return [Silence(region="henan", topic="evaluation_fee",
                                statement_zh="河南来源未规定评估费用", statement_en="…",
                                sources=("000_8a327ee49dfcfdd1.txt",),
                                effective_from=date(2013, 10, 22))]
        """
        raise NotImplementedError

    @hookspec
    def swp_indicators(self) -> Sequence[Indicator]:
        """Contribute dated planning indicators an app can measure its own figures against.

        Called once at load time; results from all packs are collected. Planning targets bind
        governments in aggregate, so they are data (:class:`~socialwork_procurement.Indicator`),
        never a check on a single purchase.

        :returns: the indicators this pack defines, each naming the rule it comes from.

        **Example**::

            @hookimpl
            def swp_indicators():
                return [Indicator(indicator_id="henan.professionals_2025",
                                  rule_id="henan2022.target.talent_total_2025", region="henan",
                                  ..., target=Decimal(50000), unit="people",
                                  due=date(2025, 12, 31))]
        """
        raise NotImplementedError

    @hookspec
    def swp_periods(self) -> Sequence[Period]:
        """Contribute dated periods a source sets (pilot phases, plan periods).

        Called once at load time; results from all packs are collected.

        :returns: the :class:`~socialwork_procurement.Period` records this pack defines.

        **Example**::

            @hookimpl
            def swp_periods():
                return [Period(period_id="xiamen.pilot.phase1", rule_id="xiamen.timeline.phase1",
                               region="xiamen", name_zh="试点实施第一阶段", name_en="…",
                               start=date(2015, 2, 1), end=date(2015, 8, 31))]
        """
        raise NotImplementedError


HOOK_NAMES: tuple[str, ...] = tuple(sorted(name for name in vars(RulePackSpec) if name.startswith("swp_")))
"""Names of every hook, for docs and tests."""
