"""A pack written as data: one RulePack for region ``declland``, a record for every hook, no hook code."""

from datetime import date
from decimal import Decimal

from socialwork_procurement import (
    Citation,
    Indicator,
    Period,
    Region,
    Rule,
    RuleKind,
    RulePack,
    Silence,
    Strength,
    Subject,
)

from . import SOURCE, legal_person

CODE = "declland"

pack = RulePack(
    region=Region(code=CODE, name_zh="声明地区", name_en="Declland", sources=(SOURCE,)),
    rules=[
        Rule(rule_id="declland.contractor.legal_person", region=CODE, kind=RuleKind.CONTRACTOR_ELIGIBILITY,
             strength=Strength.HARD, subject=Subject.CONTRACTOR, effective_from=date(2020, 1, 1), effective_to=None,
             citation=Citation(SOURCE, "承接主体应具有独立法人资格"), message_zh="承接主体应具有独立法人资格",
             message_en="The contractor must be a legal person", predicate=legal_person),
        Rule(rule_id="declland.target.workers", region=CODE, kind=RuleKind.PLANNING_TARGET, strength=Strength.INFO,
             subject=Subject.PROGRAMME, effective_from=date(2020, 1, 1), effective_to=None,
             citation=Citation(SOURCE, "到2025年社工达到100人"), message_zh="到2025年社工达到100人",
             message_en="100 social workers by 2025"),
    ],
    silences=[
        Silence(region=CODE, topic="evaluation_fee", statement_zh="声明地区未规定评估费用",
                statement_en="Declland sets no evaluation fee", sources=("testland.txt",),
                effective_from=date(2020, 1, 1)),
    ],
    indicators=[
        Indicator(indicator_id="declland.workers_2025", rule_id="declland.target.workers", region=CODE,
                  description_zh="社工100人", description_en="100 social workers", target=Decimal(100),
                  unit="people", due=date(2025, 12, 31)),
    ],
    periods=[
        Period(period_id="declland.pilot", rule_id="declland.target.workers", region=CODE, name_zh="试点",
               name_en="pilot", start=date(2020, 1, 1), end=date(2020, 6, 30)),
    ],
)
