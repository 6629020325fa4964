"""The pack object the entry point names: hands the core Ningxia's region, rules and silences."""

from __future__ import annotations

from socialwork_procurement import Region, Rule, Silence, hookimpl

from ._rules import REGION, RULES, SILENCES


class NingxiaPack:
    """Region ``ningxia``: 宁夏民政厅 «六个规范» (seed 004), on the national layer."""

    @hookimpl
    def swp_regions(self) -> list[Region]:
        return [REGION]

    @hookimpl
    def swp_rules(self) -> list[Rule]:
        return list(RULES)

    @hookimpl
    def swp_silences(self) -> list[Silence]:
        return list(SILENCES)
