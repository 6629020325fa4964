"""A pack adding a second, different evaluation-fee rule to testland: a conflict."""

from datetime import date
from decimal import Decimal

from socialwork_procurement import Citation, FeeSchedule, Rule, RuleKind, Strength, Subject, hookimpl

from . import SOURCE


class FeeRival:
    @hookimpl
    def swp_rules(self) -> list[Rule]:
        return [
            Rule(rule_id="testland.evaluation.fee_5pct", region="testland", kind=RuleKind.EVALUATION_FEE,
                 strength=Strength.HARD, subject=Subject.EVALUATION, effective_from=date(2021, 1, 1),
                 effective_to=None, citation=Citation(SOURCE, "评估费用按5%计算"), message_zh="评估费5%",
                 message_en="fee 5%", fee=FeeSchedule(rate=Decimal("0.05"), base_zh="总额", base_en="total"))
        ]


pack = FeeRival()
