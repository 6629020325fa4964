"""Guangdong's rules: every ``guangdong2012.*`` rule of the catalogue (RULES.md A.5 and A.8), with its strength.

The article is a news report: the strengths are the catalogue's. Most of it is targets (info, exposed
as indicators in ``_indicators``) and programme-level duties (data); one rule, the annual catalogue,
is checked against a case. What the article does not set (purchasers, contractor conditions, a fee,
contract terms, the procurement method) is a :class:`Silence` (``_silences``), never a rule.
Guangzhou's figures (the 2.6亿, the 132 centres) are the ``guangzhou`` region's, not rules here.
"""

from __future__ import annotations

from typing import Final

from socialwork_procurement import Citation, Predicate, Rule, RuleKind, Strength, Subject

from ._predicates import disclosure_annual_catalogue
from ._sources import (
    DATES_NOTE,
    EFFECTIVE,
    Q_BASELINE,
    Q_DISCLOSURE_ANNUAL_CATALOGUE,
    Q_FUNDING_FISCAL_BUDGET,
    Q_FUNDING_LOTTERY_PILOT_SUBSIDY,
    Q_SCOPE_LESS_DEVELOPED_PRIORITY_FIELDS,
    Q_SCOPE_PRD_COVERAGE,
    Q_TARGET_12TH_FYP,
    Q_TARGET_CIVIL_AFFAIRS_UNITS_POSTS,
    Q_TARGET_MASS_ORG_UNITS_POSTS,
    Q_TARGET_TRAINING_BASES_2015,
    REGION_CODE,
    SOURCE,
)


def _rule(rule_id: str, kind: RuleKind, strength: Strength, subject: Subject, quote: str,
          zh: str, en: str, predicate: Predicate | None = None) -> Rule:
    return Rule(
        rule_id=rule_id,
        region=REGION_CODE,
        kind=kind,
        strength=strength,
        subject=subject,
        effective_from=EFFECTIVE,
        effective_to=None,
        citation=Citation(SOURCE, quote),
        message_zh=zh,
        message_en=en,
        predicate=predicate,
        dates_note=DATES_NOTE,
    )


_K = RuleKind
_S = Strength
_J = Subject

RULES: Final[tuple[Rule, ...]] = (
    _rule("guangdong2012.funding.fiscal_budget", _K.FUNDING, _S.HARD, _J.PROGRAMME, Q_FUNDING_FISCAL_BUDGET,
          "2012年各级财政部门将本级政府应负担的社工专业人才队伍建设经费纳入同级财政预算",
          "In 2012 each level's finance department puts the social-work workforce funds its government bears "
          "into that level's budget"),
    _rule("guangdong2012.disclosure.annual_catalogue", _K.DISCLOSURE, _S.HARD, _J.DISCLOSURE,
          Q_DISCLOSURE_ANNUAL_CATALOGUE,
          "省市县各级应制定并公布年度购买社工服务和管理的事项目录",
          "The provincial, city and county levels must draw up and publish an annual catalogue of the "
          "social-work services and management items they purchase", disclosure_annual_catalogue),
    _rule("guangdong2012.target.12th_fyp", _K.PLANNING_TARGET, _S.INFO, _J.PROGRAMME, Q_TARGET_12TH_FYP,
          "到“十二五”期末(2015年底):专业社会工作者5万人;每万人持证社工5人;民政、工会、共青团、妇联、残联等系统"
          "公益服务性事业单位社会工作岗位设置比例不低于20%;民办社会工作服务机构500家",
          "By the end of the 12th Five-Year Plan (end of 2015): 50,000 professional social workers; 5 certified "
          "social workers per 10,000 people; at least 20% social-work posts in the public-service institutions "
          "of civil affairs, trade unions, the Youth League, women's and disabled persons' federations; 500 "
          "private social-work agencies"),
    _rule("guangdong2012.target.civil_affairs_units_posts", _K.PLANNING_TARGET, _S.INFO, _J.PROGRAMME,
          Q_TARGET_CIVIL_AFFAIRS_UNITS_POSTS,
          "2012年各地级以上市20%以上的民政事业单位,以及县(市、区)规模较大、服务对象较多的民政事业单位设立社工岗位",
          "In 2012 over 20% of the civil-affairs public institutions of each prefecture-level city, and the "
          "larger county ones with many service users, set up social-work posts"),
    _rule("guangdong2012.target.mass_org_units_posts", _K.PLANNING_TARGET, _S.INFO, _J.PROGRAMME,
          Q_TARGET_MASS_ORG_UNITS_POSTS,
          "工会、共青团、妇联、残联系统的公益服务类事业单位社工岗位设置不低于20%(未注明期限)",
          "At least 20% social-work posts in the public-service institutions of trade unions, the Youth League, "
          "women's and disabled persons' federations (no deadline given)"),
    _rule("guangdong2012.target.training_bases_2015", _K.PLANNING_TARGET, _S.INFO, _J.PROGRAMME,
          Q_TARGET_TRAINING_BASES_2015,
          "争取到2015年建成4个省级社会工作人才培育基地,每个市争取建立1个市级培育基地",
          "By 2015, aim for 4 provincial social-work talent training bases and one municipal base in each city"),
    _rule("guangdong2012.funding.lottery_pilot_subsidy", _K.FUNDING, _S.SOFT, _J.PROGRAMME,
          Q_FUNDING_LOTTERY_PILOT_SUBSIDY,
          "从省级福彩公益金中安排专项经费,补助试点积极性高、工作扎实的地区和单位(金额未规定)",
          "Special funds from the provincial welfare lottery subsidise the keen and solid pilot areas and units "
          "(no amount given)"),
    _rule("guangdong2012.scope.prd_coverage", _K.PLANNING_TARGET, _S.INFO, _J.PROGRAMME, Q_SCOPE_PRD_COVERAGE,
          "2012年珠三角中心城区争取全部铺开专业社会工作服务;欠发达地区开展专业社工服务试点",
          "In 2012 the central districts of the Pearl River Delta aim to roll out professional social-work "
          "services everywhere; less-developed areas run pilots"),
    _rule("guangdong2012.baseline", _K.INFO, _S.INFO, _J.PROGRAMME, Q_BASELINE,
          "截至2011年底,全省已有8178人通过全国社会工作者职业水平考试",
          "By the end of 2011, 8,178 people in Guangdong had passed the national social-worker examination"),
    _rule("guangdong2012.scope.less_developed_priority_fields", _K.PRIORITY, _S.SOFT, _J.PROGRAMME,
          Q_SCOPE_LESS_DEVELOPED_PRIORITY_FIELDS,
          "欠发达地区的专业社工服务试点优先立足于民政社会救助、社会福利、减灾救灾等领域(政策倾向,不作为准入条件)",
          "Pilots in less-developed areas go first to civil-affairs social assistance, social welfare and "
          "disaster relief (a priority, never a gate)"),
)

RULE_IDS: Final = tuple(r.rule_id for r in RULES)
