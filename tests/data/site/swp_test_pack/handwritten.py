"""A hand-written pack as a module: top-level ``@hookimpl`` functions, for region ``handland``."""

import attrs

from socialwork_procurement import Region, Rule, hookimpl

from . import RULES, SOURCE


@hookimpl
def swp_regions() -> list[Region]:
    return [Region(code="handland", name_zh="手写地区", name_en="Handland", sources=(SOURCE,))]


@hookimpl
def swp_rules() -> list[Rule]:
    return [attrs.evolve(RULES[0], region="handland", rule_id="handland.contractor.legal_person")]
