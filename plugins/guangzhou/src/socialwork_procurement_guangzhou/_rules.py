"""Guangzhou's rules: the three ``guangzhou2012.*`` rules of the catalogue (RULES.md A.5), all info.

The report is a news report; the strengths are the catalogue's. None is checked against a case (see
``_predicates``); the figures are also indicators (``_indicators``).
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Citation, Rule, RuleKind, Strength, Subject

from ._sources import (
    DATES_NOTE,
    EFFECTIVE,
    Q_CONTRACTOR_PNEU_OPERATES_FSC,
    Q_FUNDING_AMOUNT,
    Q_TARGET_FSC_COUNT,
    REGION_CODE,
    SOURCE,
)


def _rule(rule_id: str, kind: RuleKind, subject: Subject, quote: str, zh: str, en: str) -> Rule:
    return Rule(
        rule_id=rule_id,
        region=REGION_CODE,
        kind=kind,
        strength=Strength.INFO,
        subject=subject,
        effective_from=EFFECTIVE,
        effective_to=None,
        citation=Citation(SOURCE, quote),
        message_zh=zh,
        message_en=en,
        dates_note=DATES_NOTE,
    )


RULES: Final[tuple[Rule, ...]] = (
    _rule("guangzhou2012.funding.amount", RuleKind.INFO, Subject.PROGRAMME, Q_FUNDING_AMOUNT,
          "2012年广州市安排2.6亿元购买社工服务,用于社区家庭综合服务中心建设(标题误作广东)",
          "In 2012 Guangzhou arranges RMB 260 million to purchase social-work services for its community family "
          "service centres (the headline wrongly gives the sum to Guangdong)"),
    _rule("guangzhou2012.target.fsc_count", RuleKind.PLANNING_TARGET, Subject.PROGRAMME, Q_TARGET_FSC_COUNT,
          "2012年6月底前广州市至少建成132个社区家庭综合服务中心",
          "Guangzhou builds at least 132 community family service centres by the end of June 2012"),
    _rule("guangzhou2012.contractor.pneu_operates_fsc", RuleKind.CONTRACTOR_ELIGIBILITY, Subject.CONTRACTOR,
          Q_CONTRACTOR_PNEU_OPERATES_FSC,
          "广州街道家庭综合服务中心通过政府购买服务由民办社会工作服务机构承接运营(记述,不是承接条件)",
          "Guangzhou's street family service centres are run by private social-work agencies under purchase "
          "contracts (a description, not a condition on contractors)"),
)

RULE_IDS: Final = tuple(r.rule_id for r in RULES)
