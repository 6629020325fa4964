"""A RulePack whose records are wrong: building it raises, so importing the pack fails and is reported."""

import attrs

from socialwork_procurement import Region, RulePack

from . import RULES, SOURCE

# Two problems at once: a testland rule in a brokenland pack, and one rule id listed twice.
pack = RulePack(
    region=Region(code="brokenland", name_zh="错误地区", name_en="Brokenland", sources=(SOURCE,)),
    rules=[RULES[0], attrs.evolve(RULES[0], region="brokenland", rule_id="brokenland.twice"),
           attrs.evolve(RULES[0], region="brokenland", rule_id="brokenland.twice")],
)
