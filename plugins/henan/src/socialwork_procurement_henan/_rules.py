"""Every Henan rule of the catalogue (RULES.md A.1, A.2 and the A.8 additions), under the catalogue's ids and strengths.

Where A.8 corrects a reading of A.1, A.8 is followed: the final acceptance stands in the same 「我省还将建立…」
sentence as the tripartite evaluation, so it is an intention of the same (soft) strength, quoted from 「我省还将」.

Each rule cites its verbatim quote from ``_sources`` (seed 000 for the 2013 measures, seed 002 for
the 2022 plan) and carries messages in Chinese and English.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from socialwork_procurement import Citation, Predicate, Question, Rule, RuleKind, Source, Strength, Subject

from . import _predicates as p
from ._sources import (
    DATES_NOTE_2013,
    DATES_NOTE_2022,
    EFFECTIVE_2013,
    EFFECTIVE_2022,
    HENAN_2013,
    HENAN_2022,
    Q_2013_CONTRACTOR_ALL_CONDITIONS_CONJUNCTIVE,
    Q_2013_CONTRACTOR_INDEPENDENT_LEGAL_PERSON,
    Q_2013_CONTRACTOR_MAINLY_PUBLIC_SERVICE_ORGS,
    Q_2013_CONTRACTOR_PRIORITY_GRADE_3A,
    Q_2013_CONTRACTOR_PROFESSIONAL_TEAM,
    Q_2013_CONTRACTOR_PUBLIC_WELFARE_NONPROFIT,
    Q_2013_CONTRACTOR_REGISTERED_ORG_TYPE,
    Q_2013_EVALUATION_FINAL_ACCEPTANCE,
    Q_2013_EVALUATION_TRIPARTITE,
    Q_2013_FORM_POSTS_OR_PROJECTS,
    Q_2013_FUNDING_FISCAL_BUDGET,
    Q_2013_FUNDING_LOTTERY_AND_SOCIAL,
    Q_2013_META_ISSUERS_IN_FORCE,
    Q_2013_PROCEDURE_OPEN_TENDER_IN_PRINCIPLE,
    Q_2013_PURCHASER_ELIGIBLE_BODIES,
    Q_2013_SCOPE_PRIORITY_GROUPS,
    Q_2013_SCOPE_SELECTION_CRITERIA,
    Q_2013_SCOPE_SERVICE_CONTENT,
    Q_2022_BASELINE_13TH_FYP,
    Q_2022_CONTRACTOR_LEFT_BEHIND_WOMEN_SERVICES,
    Q_2022_EVALUATION_MECHANISMS,
    Q_2022_EVALUATION_RESULTS_BASIS_FOR_SELECTION,
    Q_2022_FUNDING_DEPT_BUDGET_AND_PURCHASE_LIST,
    Q_2022_FUNDING_LOTTERY,
    Q_2022_FUNDING_PRIORITY_TOWNSHIP_SERVICES,
    Q_2022_STATION_SIX_HAVES,
    Q_2022_TALENT_SENIOR_REVIEW_COMMITTEE,
    Q_2022_TARGET_AGENCIES_AND_CERTIFIED_2025,
    Q_2022_TARGET_ELDERLY_RATIO_2025,
    Q_2022_TARGET_TALENT_TOTAL_2025,
    Q_2022_TARGET_THREE_TIER_SYSTEM_2025,
    Q_2022_TARGET_TOWNSHIP_STATION_COVERAGE_2025,
    REGION_CODE,
)

_EDITIONS: Final[dict[str, tuple[Source, date, str]]] = {
    "henan2013": (HENAN_2013, EFFECTIVE_2013, DATES_NOTE_2013),
    "henan2022": (HENAN_2022, EFFECTIVE_2022, DATES_NOTE_2022),
}

_INTENTION_NOTE: Final = (
    "the seed is a journalist's summary, not the measures' text; 「将」 sentences are read as intentions"
)


def _rule(
    rule_id: str,
    kind: RuleKind,
    strength: Strength,
    subject: Subject,
    quote: str,
    zh: str,
    en: str,
    predicate: Predicate | None = None,
    note: str | None = None,
    question: str | None = None,
) -> Rule:
    source, effective_from, dates_note = _EDITIONS[rule_id.split(".", 1)[0]]
    return Rule(
        rule_id=rule_id,
        region=REGION_CODE,
        kind=kind,
        strength=strength,
        subject=subject,
        effective_from=effective_from,
        effective_to=None,
        citation=Citation(source, quote, note=note),
        message_zh=zh,
        message_en=en,
        predicate=predicate,
        dates_note=dates_note,
        question=question,
    )


K = RuleKind
S = Strength
J = Subject

RULES_2013: Final = (
    _rule(
        "henan2013.purchaser.eligible_bodies",
        K.PURCHASER_ELIGIBILITY,
        S.HARD,
        J.PURCHASER,
        Q_2013_PURCHASER_ELIGIBLE_BODIES,
        "购买主体应为全省各级政府机关及其派出、授权机构,或享受财政供给、利用国有资金举办的企事业单位(河南2013年办法;"
        "2020年3月1日起与财政部令第102号仅限国家机关的规定冲突,由核心报告冲突)",
        "The purchaser must be a government organ at any level in Henan, its dispatched or authorised body, or an "
        "enterprise or public institution that receives fiscal funding or was set up with state-owned funds (Henan "
        "2013; from 2020-03-01 this conflicts with Decree No. 102, which admits state organs only, and the core "
        "reports the conflict)",
        p.purchaser_eligible_bodies,
        question=Question.PURCHASER_TYPE,
    ),
    _rule(
        "henan2013.contractor.all_conditions_conjunctive",
        K.CONTRACTOR_ELIGIBILITY,
        S.HARD,
        J.CONTRACTOR,
        Q_2013_CONTRACTOR_ALL_CONDITIONS_CONJUNCTIVE,
        "承接对象须同时具备全部条件:独立法人资格;依法登记的社会团体、民办非企业单位或基金会;公益性、非营利性;专业团队且从业人员"
        "以社会工作专业人才为主体(3A优先不是条件;各项条件由其本身规则报告,本规则不重复报告不满足)",
        "The contractor must meet every listed condition at once: independent legal person; lawfully registered "
        "social group, private non-enterprise unit or foundation; public-welfare and non-profit; a professional team "
        "with staff mainly social-work professionals (the 3A priority is not a condition; each condition reports "
        "itself, and this rule points at those that fail rather than failing a second time)",
        p.contractor_all_conditions,
    ),
    _rule(
        "henan2013.contractor.independent_legal_person",
        K.CONTRACTOR_ELIGIBILITY,
        S.HARD,
        J.CONTRACTOR,
        Q_2013_CONTRACTOR_INDEPENDENT_LEGAL_PERSON,
        "承接对象应具有独立法人资格",
        "The contractor must have independent legal-person status",
        p.contractor_independent_legal_person,
    ),
    _rule(
        "henan2013.contractor.registered_org_type",
        K.CONTRACTOR_ELIGIBILITY,
        S.HARD,
        J.CONTRACTOR,
        Q_2013_CONTRACTOR_REGISTERED_ORG_TYPE,
        "承接对象应为依法登记的社会团体、民办非企业单位或基金会(条件列表仅列此三类;同文所引省民政厅负责人另称面向"
        "「具有专业资质的社会组织和企事业单位」购买,存在歧义,本规则包按条件列表适用)",
        "The contractor must be a lawfully registered social group, private non-enterprise unit or foundation (the "
        "conditions list names only these three; the official quoted in the same report speaks of buying from "
        "「具有专业资质的社会组织和企事业单位」, which would admit enterprises and public institutions: an "
        "ambiguity, and this pack applies the conditions list)",
        p.contractor_registered_org_type,
        note="the list runs across a page break of the seed after 「和」 and ends at 「基金会」 (« ⏎ »)",
        question=Question.CONTRACTOR_TYPE,
    ),
    _rule(
        "henan2013.contractor.priority_grade_3a",
        K.PRIORITY,
        S.SOFT,
        J.CONTRACTOR,
        Q_2013_CONTRACTOR_PRIORITY_GRADE_3A,
        "取得社会组织评估等级3A级以上的优先(仅为排序优先,不是准入条件;等级超过5年有效期的不享有优先,民政部令第39号)",
        "A contractor with a social-organisation evaluation grade of 3A or above gets priority (it ranks bidders, "
        "never gates; a grade past its 5-year validity under MCA Order No. 39 gives no priority)",
        p.contractor_priority_grade_3a,
    ),
    _rule(
        "henan2013.contractor.public_welfare_nonprofit",
        K.CONTRACTOR_ELIGIBILITY,
        S.HARD,
        J.CONTRACTOR,
        Q_2013_CONTRACTOR_PUBLIC_WELFARE_NONPROFIT,
        "承接对象应具有公益性、非营利性",
        "The contractor must be public-welfare and non-profit",
        p.contractor_public_welfare_nonprofit,
    ),
    _rule(
        "henan2013.contractor.professional_team",
        K.CONTRACTOR_ELIGIBILITY,
        S.HARD,
        J.CONTRACTOR,
        Q_2013_CONTRACTOR_PROFESSIONAL_TEAM,
        "承接对象应拥有社会工作专业团队,从业人员以社会工作专业人才为主体(来源未界定、未规定比例:依申报事实或责任人证明判断,"
        "不依人数推算)",
        "The contractor must have a professional social-work team, with staff mainly social-work professionals (the "
        "source neither defines it nor sets a numeric share: judged on the declared facts or on an attestation by "
        "someone who answers for it, never computed from counts)",
        p.contractor_professional_team,
    ),
    _rule(
        "henan2013.contractor.mainly_public_service_orgs",
        K.CONTRACTOR_ELIGIBILITY,
        S.INFO,
        J.CONTRACTOR,
        Q_2013_CONTRACTOR_MAINLY_PUBLIC_SERVICE_ORGS,
        "承接方将主要包括公益服务类社会组织(描述性,不作核查)",
        "Contractors will mainly be public-service social organisations (descriptive; not checked)",
        note=_INTENTION_NOTE,
    ),
    _rule(
        "henan2013.form.posts_or_projects",
        K.PROCEDURE,
        S.SOFT,
        J.CONTRACT,
        Q_2013_FORM_POSTS_OR_PROJECTS,
        "购买方式以购买社会工作服务岗位和购买社会工作服务项目为主",
        "Purchases are mainly of social-work posts or social-work projects",
        p.form_posts_or_projects,
        note=_INTENTION_NOTE,
    ),
    _rule(
        "henan2013.procedure.open_tender_in_principle",
        K.PROCEDURE,
        S.HARD_DEFAULT,
        J.CONTRACT,
        Q_2013_PROCEDURE_OPEN_TENDER_IN_PRINCIPLE,
        "购买社会工作服务原则上应通过公开招标进行;采用其他方式须说明理由,理由是否成立由责任人判断(来源未列明例外情形)",
        "The purchase should in principle be made by open tender; another method needs a stated reason, and whether "
        "it justifies the departure is for a person to judge (the source lists no exceptions)",
        p.open_tender_in_principle,
    ),
    _rule(
        "henan2013.evaluation.tripartite",
        K.EVALUATION,
        S.SOFT,
        J.EVALUATION,
        Q_2013_EVALUATION_TRIPARTITE,
        "将建立由购买主体、服务对象及第三方组成的综合性绩效评估机制(表述为意向,与结项验收同属一句)",
        "A performance evaluation involving the purchaser, service recipients and a third party is to be set up "
        "(stated as an intention, in the same sentence as the final acceptance)",
        p.evaluation_tripartite,
        note=_INTENTION_NOTE,
    ),
    _rule(
        "henan2013.evaluation.final_acceptance",
        K.EVALUATION,
        S.SOFT,
        J.EVALUATION,
        Q_2013_EVALUATION_FINAL_ACCEPTANCE,
        "将及时对已完成的社会工作服务计划进行结项验收(与三方绩效评估同属「我省还将建立…」一句,表述为意向;来源未规定期限;"
        "以通过的末期评估视为验收)",
        "A completed social-work service plan is to get a timely final acceptance (stated as an intention in the same "
        "「我省还将建立…」 sentence as the tripartite evaluation; the source sets no deadline; a passed final "
        "evaluation is taken as the acceptance)",
        p.evaluation_final_acceptance,
        note=_INTENTION_NOTE + "; the quote is the whole sentence, which begins 「我省还将建立」 (RULES.md A.8)",
    ),
    _rule(
        "henan2013.funding.fiscal_budget",
        K.FUNDING,
        S.HARD,
        J.PROGRAMME,
        Q_2013_FUNDING_FISCAL_BUDGET,
        "各级政府应将购买社会工作服务经费列入财政预算",
        "Governments at every level must put the purchase funds in the fiscal budget",
    ),
    _rule(
        "henan2013.funding.lottery_and_social",
        K.FUNDING,
        S.SOFT,
        J.PROGRAMME,
        Q_2013_FUNDING_LOTTERY_AND_SOCIAL,
        "加大从民政部门留用的彩票公益金中安排资金用于购买社会工作服务;鼓励社会资金支持(未规定比例)",
        "More welfare-lottery public-welfare funds retained by civil-affairs departments go to the purchase; social "
        "funds are encouraged (no share is set)",
        note=_INTENTION_NOTE,
    ),
    _rule(
        "henan2013.scope.priority_groups",
        K.SCOPE,
        S.SOFT,
        J.PROGRAMME,
        Q_2013_SCOPE_PRIORITY_GROUPS,
        "重点服务城市流动人口、农村留守人员、困难群体、特殊人群和受灾群众",
        "Priority groups: urban migrants, rural left-behind people, people in difficulty, special groups and "
        "disaster victims",
    ),
    _rule(
        "henan2013.scope.selection_criteria",
        K.SCOPE,
        S.SOFT,
        J.PROGRAMME,
        Q_2013_SCOPE_SELECTION_CRITERIA,
        "以「受益广泛、群众急需、服务专业」为选择购买事项的标准",
        "Purchases are chosen for broad benefit, urgent public need and professional service",
    ),
    _rule(
        "henan2013.scope.service_content",
        K.SCOPE,
        S.INFO,
        J.PROGRAMME,
        Q_2013_SCOPE_SERVICE_CONTENT,
        "河南所称社会工作服务:由社会工作专业人才运用专业方法,为有需要的人群提供困难救助、矛盾调处、人文关怀、心理疏导、行为矫治、"
        "关系调适、资源协调、社会功能修复和促进个人与环境适应等专业服务(描述性,不作核查)",
        "What Henan counts as social-work service: professional services by social-work professionals using "
        "professional methods for people in need, including relief, mediation, care, counselling, behaviour "
        "correction, relationship adjustment, resource coordination, restoring social functioning and adapting "
        "person and environment (descriptive; not checked)",
        note=_INTENTION_NOTE,
    ),
    _rule(
        "henan2013.meta.issuers_in_force",
        K.INFO,
        S.INFO,
        J.PROGRAMME,
        Q_2013_META_ISSUERS_IN_FORCE,
        "省民政厅、省财政厅共同印发,据报道已开始实施(发布日期约为2013年10月22日,系推断;文号不详)",
        "Issued jointly by the provincial civil-affairs and finance departments and reported as already in force "
        "(date about 2013-10-22, inferred; document number unknown)",
    ),
)

RULES_2022: Final = (
    _rule(
        "henan2022.funding.dept_budget_and_purchase_list",
        K.FUNDING,
        S.HARD,
        J.PROGRAMME,
        Q_2022_FUNDING_DEPT_BUDGET_AND_PURCHASE_LIST,
        "各级民政部门应将购买社会工作服务经费同时列入部门预算和政府购买服务清单",
        "Civil-affairs departments must put the funds in both the department budget and the government "
        "purchase-of-services list",
    ),
    _rule(
        "henan2022.funding.priority_township_services",
        K.PRIORITY,
        S.SOFT,
        J.PROGRAMME,
        Q_2022_FUNDING_PRIORITY_TOWNSHIP_SERVICES,
        "统筹的各领域购买服务资金及彩票公益金优先用于购买乡镇(街道)社会工作服务(资金安排层面,不逐案核查)",
        "Pooled purchase funds and lottery funds go first to township/street social-work services (a funding "
        "priority for departments; not checked per case)",
    ),
    _rule(
        "henan2022.funding.lottery",
        K.FUNDING,
        S.SOFT,
        J.PROGRAMME,
        Q_2022_FUNDING_LOTTERY,
        "加大从民政部门留用的彩票公益金中安排资金用于购买社会工作服务(未规定比例)",
        "More welfare-lottery funds retained by civil-affairs departments go to the purchase (no share is set)",
    ),
    _rule(
        "henan2022.evaluation.results_basis_for_selection",
        K.EVALUATION,
        S.HARD,
        J.PROGRAMME,
        Q_2022_EVALUATION_RESULTS_BASIS_FOR_SELECTION,
        "评估和绩效评价结果应作为承接主体选择、预算安排和政策调整的依据(规划文本,约束民政部门的项目整体安排,不逐案核查)",
        "Evaluation and performance results must be a basis for choosing contractors, budgets and policy changes "
        "(planning text: binds departments across the programme; not checked against a single purchase)",
    ),
    _rule(
        "henan2022.evaluation.mechanisms",
        K.EVALUATION,
        S.SOFT,
        J.PROGRAMME,
        Q_2022_EVALUATION_MECHANISMS,
        "健全购买社会工作服务的评审、督导、评估和绩效评价机制",
        "Review, supervision, evaluation and performance-assessment mechanisms are to be strengthened",
    ),
    _rule(
        "henan2022.station.six_haves",
        K.PLANNING_TARGET,
        S.HARD,
        J.PROGRAMME,
        Q_2022_STATION_SIX_HAVES,
        "县级社会工作指导中心、乡镇(街道)社会工作站和村(社区)社会工作室按「有场地、有设施、有人员、有服务、有流程、有制度」标准建设"
        "(规划文本,约束站点建设项目整体,不逐案核查)",
        "County guidance centres, township/street stations and village/community rooms are built to a six-item "
        "standard: premises, facilities, staff, services, procedures, rules (planning text for the station "
        "programme; not checked against a single purchase)",
    ),
    _rule(
        "henan2022.target.three_tier_system_2025",
        K.PLANNING_TARGET,
        S.INFO,
        J.PROGRAMME,
        Q_2022_TARGET_THREE_TIER_SYSTEM_2025,
        "到2025年底基本建成社会工作三级服务体系",
        "The three-tier social-work service system is to be basically built by the end of 2025",
    ),
    _rule(
        "henan2022.target.talent_total_2025",
        K.PLANNING_TARGET,
        S.INFO,
        J.PROGRAMME,
        Q_2022_TARGET_TALENT_TOTAL_2025,
        "2025年社会工作专业人才总量预期达到5万人(预期性指标)",
        "Social-work professionals are expected to reach 50,000 by 2025 (an expected indicator)",
    ),
    _rule(
        "henan2022.target.township_station_coverage_2025",
        K.PLANNING_TARGET,
        S.INFO,
        J.PROGRAMME,
        Q_2022_TARGET_TOWNSHIP_STATION_COVERAGE_2025,
        "2025年乡镇(街道)社会工作服务站100%全覆盖",
        "Township/street social-work stations are to cover 100% of townships and streets by 2025",
    ),
    _rule(
        "henan2022.target.agencies_and_certified_2025",
        K.PLANNING_TARGET,
        S.INFO,
        J.PROGRAMME,
        Q_2022_TARGET_AGENCIES_AND_CERTIFIED_2025,
        "到2025年底社会工作服务机构县级全覆盖、行业组织市级全覆盖,专业人才5万人,持证专业人才2万人",
        "By the end of 2025: social-work agencies in every county, industry bodies in every city, 50,000 "
        "professionals, 20,000 of them certified",
    ),
    _rule(
        "henan2022.target.elderly_ratio_2025",
        K.PLANNING_TARGET,
        S.INFO,
        J.PROGRAMME,
        Q_2022_TARGET_ELDERLY_RATIO_2025,
        "到2025年每千名老年人、每百张养老机构床位均拥有1名社会工作者",
        "By 2025, one social worker per 1,000 older people and per 100 elderly-care-institution beds",
    ),
    _rule(
        "henan2022.baseline.13th_fyp",
        K.INFO,
        S.INFO,
        J.PROGRAMME,
        Q_2022_BASELINE_13TH_FYP,
        "「十三五」末全省民办社会工作服务机构325个,社会工作专业人才三万多人",
        "Baseline at the end of the 13th Five-Year Plan: 325 private social-work agencies, over 30,000 professionals",
    ),
    _rule(
        "henan2022.contractor.left_behind_women_services",
        K.SCOPE,
        S.INFO,
        J.PROGRAMME,
        Q_2022_CONTRACTOR_LEFT_BEHIND_WOMEN_SERVICES,
        "通过政府购买服务等方式,推进专业社会工作服务机构、志愿服务组织为有需求的农村留守妇女开展专业服务,支持具备资质的各类组织"
        "开展专业精神关爱服务(描述性,不是承接条件,不作核查)",
        "Through government purchase and other means, professional social-work agencies and volunteer organisations "
        "are to serve rural left-behind women in need, and qualified organisations of every kind are supported in "
        "providing care (descriptive; not a contractor condition; not checked)",
    ),
    _rule(
        "henan2022.talent.senior_review_committee",
        K.INFO,
        S.INFO,
        J.PROGRAMME,
        Q_2022_TALENT_SENIOR_REVIEW_COMMITTEE,
        "组建河南省高级社会工作师评审委员会",
        "A Henan review committee for senior social workers is to be set up",
    ),
)

RULES: Final = RULES_2013 + RULES_2022
"""All 32 Henan rules: 18 from the 2013 measures (seed 000), 14 from the 2022 plan (seed 002)."""
