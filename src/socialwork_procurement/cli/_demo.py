"""``swp demo``: three realistic purchases, one per region, driven end to end on a throw-away store.

::

    swp demo                              # Chinese report, SQLite store in a temporary directory
    swp demo --lang en                    # English
    swp demo --format json                # the same as data
    swp demo --store demo.sqlite          # keep the store (then: swp case history ID --store demo.sqlite)

Each purchase is a list of steps declared as data (:data:`PURCHASES`) with what the demo expects of
each: done, done although the rules cannot decide (the actor's reason recorded), refused, or
refused as undetermined; the findings and conflicts a step must show; the final state, the
evaluation fee and (Xiamen) the OCDS release tags. The steps run through the public API only
(``Procurement``, the command classes, ``SQLiteEventStore``, ``load_registry``), so a rule pack that
is missing or whose rules changed shows up as a step that did not go as expected: the report says
which, and the exit code is 1. 0 means every purchase ran as expected; a store that cannot be
written, or a broken pack, is an environment error (4) through the command line's error boundary.

The demo's clock records each event at 09:00 China time (01:00 UTC) on the day of its step, so
the stored history and the OCDS release dates follow the story (2015 for the Xiamen purchase)
and two runs give the same output. A real application records the moment it writes.
"""

from __future__ import annotations

import argparse
import contextlib
import enum
import sys
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, TypeAlias

import attrs

import socialwork_procurement as swp

from ..export._names import localize_identifiers, name, ocds_tag_name
from ._common import EXIT_INELIGIBLE, EXIT_OK, SubParsers, UsageError, dump, registry_from
from ._wrap import terminal_width, text_width, wrap

__all__ = ["DEMO_OCID_PREFIX", "PURCHASES", "Expect", "add_commands", "cmd_demo", "render_text", "run_demo"]

DEMO_OCID_PREFIX: Final = "ocds-demo00"
"""The OCDS prefix of the demo's release package: made up for the demo and registered to no one.

A publisher uses the prefix the Open Contracting Partnership registered for it (``--ocid-prefix``);
the export checks only the form, ``ocds-`` and six lower-case letters or digits."""

_Text: TypeAlias = tuple[str, str]
"""A text a person reads, in Chinese and in English."""


def _t(text: _Text, lang: str) -> str:
    return text[0] if lang == "zh" else text[1]


class Expect(enum.StrEnum):
    """How a step ends."""

    DONE = "done"
    """Executed: the rules allowed it (or none applies and none is needed, as for a needs survey)."""
    DONE_UNDETERMINED = "done_undetermined"
    """Executed although the rules cannot decide: the command gave its reason (``accept_undetermined``)."""
    REFUSED = "refused"
    """Refused: a hard rule fails (nothing stored)."""
    UNDETERMINED = "undetermined"
    """Refused as undetermined: a fact is unknown or the layers conflict, and no reason was given."""
    SHOWN = "shown"
    """A look at the rules that stores nothing (ranking the bidders, comparing regions)."""
    INVALID_TRANSITION = "invalid_transition"
    """The state machine does not allow the step here (never expected by the demo)."""
    ERROR = "error"
    """The step could not run (no pack for the region, a conflict in the fee rules …)."""
    NOT_RUN = "not_run"
    """Not run: an earlier step of the purchase did not go as expected."""


_OUTCOME_NAMES: Final[Mapping[Expect, _Text]] = {
    Expect.DONE: ("完成", "done"),
    Expect.DONE_UNDETERMINED: (
        "完成(规则无法确定,已说明理由继续)",
        "done (the rules cannot decide; went ahead with a reason)",
    ),
    Expect.REFUSED: ("被拒", "refused"),
    Expect.UNDETERMINED: ("无法确定,未执行", "undetermined, not done"),
    Expect.SHOWN: ("已比较", "compared"),
    Expect.INVALID_TRANSITION: ("当前状态不允许此步骤", "not allowed in this state"),
    Expect.ERROR: ("出错", "error"),
    Expect.NOT_RUN: ("未执行(前面的步骤与预期不符)", "not run (an earlier step did not go as expected)"),
}


def outcome_name(outcome: Expect | str, lang: str) -> str:
    """The words the text report uses for a step's outcome."""
    return _t(_OUTCOME_NAMES[Expect(outcome)], lang)


# --------------------------------------------------------------------------- the purchases, as data


@attrs.frozen(kw_only=True)
class CommandStep:
    """A lifecycle command and what the demo expects of it."""

    command: swp.Command
    expect: Expect = Expect.DONE
    findings: Mapping[str, swp.Outcome] = attrs.field(factory=dict)
    """Rules the step's findings must include, with their outcome."""
    conflicts: tuple[tuple[str, str], ...] = ()
    """(regional rule, national rule) pairs the step must report, in this order."""
    disclosure: Mapping[str, swp.Outcome] | None = None
    """If set: the disclosure rules (信息公开) after the step, with the outcome each must have."""
    note: _Text | None = None


@attrs.frozen(kw_only=True)
class RankStep:
    """Rank bidders by the soft rules (优先) they meet; stores nothing.

    The ranking is this demo's own: bidders the contractor rules allow come first, then by the
    number of soft contractor rules they meet, then in the order given. The library only reports
    the priorities (``Verdict.priorities``): soft rules rank, they never gate.
    """

    on: date
    bidders: tuple[tuple[str, swp.Contractor], ...]
    order: tuple[str, ...]
    """The keys of the bidders, first to last, as the demo expects them ranked."""
    note: _Text | None = None


@attrs.frozen(kw_only=True)
class CompareStep:
    """Check one contractor under another region's rules on the same day; stores nothing."""

    on: date
    region: str
    contractor: swp.Contractor
    decision: swp.Decision
    findings: Mapping[str, swp.Outcome] = attrs.field(factory=dict)
    note: _Text | None = None


Step: TypeAlias = CommandStep | RankStep | CompareStep


@attrs.frozen(kw_only=True)
class Purchase:
    """One purchase of the demo: its steps and what it ends in."""

    key: str
    case_id: str
    region: str
    headline: _Text
    """What the purchase shows, in a sentence."""
    steps: tuple[Step, ...]
    final_state: swp.State
    fee: Decimal | None
    """The evaluation fee reserved at signing (``None``: the region sets none)."""
    ocds_tags: tuple[str, ...] | None = None
    """The tags of each OCDS release (``"a+b"`` for two), when the demo exports the purchase."""


def _by(on: date, actor: str = "张主任", role: swp.Role = swp.Role.PURCHASER, **extra: Any) -> dict[str, Any]:
    return {"actor": actor, "role": role, "on": on, **extra}


def _planned_budget(on: date, actor: str, amount: str) -> swp.ApproveBudget:
    """A budget drawn up after the cost accounting and with all four targets set."""
    return swp.ApproveBudget(
        **_by(on, actor),
        amount=Decimal(amount),
        cost_accounting=True,
        targets_quantity=True,
        targets_scale=True,
        targets_quality=True,
        targets_effect=True,
    )


_GOOD_GOVERNANCE: Final = swp.Governance(
    internal_governance=True,
    bylaws=True,
    public_credibility=True,
    operating_capacity=True,
    professional_service_capacity=True,
)


def _evaluation(
    on: date,
    stage: swp.EvaluationStage,
    evaluator: str,
    evaluator_role: swp.EvaluatorRole,
    result: swp.EvaluationResult,
    *,
    actor: str | None = None,
    score: str | None = None,
) -> swp.RecordEvaluation:
    third = evaluator_role is swp.EvaluatorRole.THIRD_PARTY
    return swp.RecordEvaluation(
        **_by(on, actor or (evaluator if third else "张主任"), swp.Role.THIRD_PARTY if third else swp.Role.PURCHASER),
        stage=stage,
        evaluator=evaluator,
        evaluator_role=evaluator_role,
        result=result,
        score=Decimal(score) if score is not None else None,
    )


_FAIR_CONDITIONS_NOTE: Final = (
    "财政部令第102号第七条:不得对承接主体设置不合理的差别或歧视性条件。购买主体在启动采购时声明采购文件所设"
    "承接条件符合这一要求,规则据此判定;不声明时规则无法确定,步骤为待定。",
    "Decree No. 102 art. 7: no unreasonable differential or discriminatory conditions for contractors. The "
    "purchaser declares, when the tender starts, that the procurement documents' conditions meet it, and the "
    "rule decides on that; without the declaration the rule cannot decide and the step is undetermined.",
)
_SIGNING_NOTE: Final = (
    "签约时购买主体声明本项目不含政府购买服务负面清单所列事项(财政部令第102号第十条);承接条件无歧视的声明"
    "沿用启动采购时的记录(第七条)。",
    "At signing the purchaser declares that the purchase includes nothing from the negative list (Decree "
    "No. 102 art. 10); the declaration that the conditions for contractors are fair is the one recorded when "
    "the tender started (art. 7).",
)
_MID, _FINAL = swp.EvaluationStage.MIDTERM, swp.EvaluationStage.FINAL
_THIRD, _BUYER, _RECIPIENTS = (
    swp.EvaluatorRole.THIRD_PARTY,
    swp.EvaluatorRole.PURCHASER,
    swp.EvaluatorRole.SERVICE_RECIPIENT,
)
_P, _F, _U = swp.Outcome.PASS, swp.Outcome.FAIL, swp.Outcome.UNKNOWN


def _xiamen() -> Purchase:
    street = swp.Purchaser(
        name="厦门市思明区某街道办事处", kind=swp.PurchaserKind.STREET_OFFICE, level=swp.AdminLevel.STREET
    )
    company = swp.Contractor(
        name="某咨询有限公司",
        legal_form=swp.LegalForm.ENTERPRISE,
        independent_legal_person=True,
        has_required_capacity=False,
        staff=swp.Staff(professional_team=True),
        governance=_GOOD_GOVERNANCE,
    )
    centre = swp.Contractor(
        name="厦门市某社会工作服务中心",
        legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        independent_legal_person=True,
        staff=swp.Staff(professional_team=True),
        governance=_GOOD_GOVERNANCE,
    )
    evaluator = "厦门某社会服务评估中心"
    return Purchase(
        key="xiamen",
        case_id="XM-DEMO-2015-001",
        region="xiamen",
        headline=(
            "2015年街道购买社区综合服务:两家投标人,企业因未具备相应能力和条件被规则拒绝,民办社工机构中标;"
            "签约时按3%预留评估费用,第三方中期、末期评估与三方评审后结项验收、办结,并导出OCDS发布包。",
            "A street office buys a community project in 2015: of two bidders the company without the required "
            "ability is refused by the rules and the social-work agency is awarded; the 3% evaluation fee is "
            "reserved at signing; third-party mid-term and final evaluations and the tripartite review lead to "
            "acceptance and close, and the purchase is exported as an OCDS release package.",
        ),
        steps=(
            CommandStep(
                command=swp.OpenCase(
                    **_by(date(2015, 1, 20)), region="xiamen", title="思明区某街道社区综合服务项目", purchaser=street
                ),
                findings={"xiamen.purchaser.eligible_bodies": _P},
            ),
            CommandStep(
                command=swp.AssessNeeds(
                    **_by(date(2015, 1, 26)),
                    summary="辖区独居老人与留守儿童服务需求摸底",
                    target_groups=frozenset({swp.TargetGroup.ELDERLY_LIVING_ALONE}),
                    service_domains=frozenset({swp.ServiceDomain.ELDERLY_CARE, swp.ServiceDomain.COMMUNITY}),
                )
            ),
            CommandStep(
                command=_planned_budget(date(2015, 1, 30), "张主任", "500000.00"),
                findings={"xiamen.procedure.needs_cost_targets_budget": _P},
            ),
            CommandStep(
                command=swp.StartTender(
                    **_by(date(2015, 2, 2)),
                    method=swp.ProcurementMethod.OPEN_TENDER,
                    purchase_form=swp.PurchaseForm.COMPREHENSIVE_PROJECT,
                ),
                findings={"xiamen.procedure.follow_gov_procurement_law": _P},
            ),
            CommandStep(
                command=swp.Award(**_by(date(2015, 2, 25)), contractor=company, amount=Decimal("470000.00")),
                expect=Expect.REFUSED,
                findings={"xiamen.contractor.org_type": _F},
                note=(
                    "第一名报价的是一家企业,但它未具备相应能力和条件:授予被规则拒绝,什么也没有存储。",
                    "The lowest bid is a company that lacks the required ability and conditions: the award is "
                    "refused by the rules and nothing is stored.",
                ),
            ),
            CommandStep(
                command=swp.Award(**_by(date(2015, 2, 25)), contractor=centre, amount=Decimal("480000.00")),
                findings={
                    "xiamen.contractor.org_type": _P,
                    "xiamen.contractor.independent_legal_person": _P,
                    "xiamen.contractor.governance_capacity": _P,
                },
            ),
            CommandStep(
                command=swp.SignContract(
                    **_by(date(2015, 2, 27)),
                    service_period=swp.ServicePeriod(date(2015, 3, 1), date(2016, 2, 29)),
                    amount=Decimal("480000.00"),
                    written=True,
                    stated_terms=frozenset(swp.ContractTerm),
                    evaluation_fee_base=Decimal("480000.00"),
                ),
                findings={"xiamen.contract.required_terms": _P},
                note=(
                    "评估费用按总购买资金的3%计算;计费基数由购买主体写明(来源未说明是否即合同金额)。",
                    "The evaluation fee is 3% of the total purchase funds; the purchaser names the base (the "
                    "source does not say whether it is the contract amount).",
                ),
            ),
            CommandStep(command=swp.StartService(**_by(date(2015, 3, 1), "李社工", swp.Role.CONTRACTOR))),
            CommandStep(
                command=_evaluation(date(2015, 9, 1), _MID, evaluator, _THIRD, swp.EvaluationResult.GOOD, score="86")
            ),
            CommandStep(
                command=_evaluation(
                    date(2016, 2, 22), _FINAL, evaluator, _THIRD, swp.EvaluationResult.EXCELLENT, score="92"
                )
            ),
            CommandStep(command=_evaluation(date(2016, 2, 24), _FINAL, street.name, _BUYER, swp.EvaluationResult.GOOD)),
            CommandStep(
                command=_evaluation(
                    date(2016, 2, 25), _FINAL, "服务对象代表座谈会", _RECIPIENTS, swp.EvaluationResult.GOOD
                )
            ),
            CommandStep(
                command=swp.Accept(**_by(date(2016, 3, 4))),
                findings={"xiamen.evaluation.mid_and_final_third_party": _P, "xiamen.evaluation.tripartite_review": _P},
            ),
            CommandStep(
                command=swp.RecordDisclosure(
                    **_by(date(2016, 3, 7)),
                    items=frozenset({swp.DisclosureItem.EVALUATION_STANDARDS, swp.DisclosureItem.EVALUATION_RESULTS}),
                    where="街道门户网站",
                )
            ),
            CommandStep(command=swp.Close(**_by(date(2016, 3, 10)))),
        ),
        final_state=swp.State.CLOSED,
        fee=Decimal("14400.00"),
        ocds_tags=(
            "planning",
            "planningUpdate",
            "planningUpdate",
            "tender",
            "award",
            "contract",
            "implementation",
            "implementation",
            "implementation",
            "implementation",
            "implementation",
            "implementation",
            "contractTermination",
        ),
    )


def _henan() -> Purchase:
    home = swp.Purchaser(
        name="河南省某儿童福利院",
        kind=swp.PurchaserKind.PUBLIC_INSTITUTION,
        level=swp.AdminLevel.PROVINCIAL,
        region="410000",
        budget_funded=True,
        public_institution_category=swp.PublicInstitutionCategory.CATEGORY_1,
        staffing=swp.Staffing.INSTITUTIONAL,
    )
    opening: dict[str, Any] = {
        **_by(date(2023, 3, 1), "王院长"),
        "region": "henan",
        "title": "困境儿童社会工作专项服务项目",
        "purchaser": home,
    }
    graded = swp.Contractor(
        name="郑州市金水区阳光社会工作服务中心",
        legal_form=swp.LegalForm.PRIVATE_NON_ENTERPRISE_UNIT,
        independent_legal_person=True,
        lawfully_registered=True,
        public_welfare=True,
        non_profit=True,
        evaluation_grade=swp.EvaluationGrade.A4,
        grade_awarded_on=date(2019, 11, 15),
        staff=swp.Staff(professional_team=True, mainly_social_work_professionals=True),
    )
    association = swp.Contractor(
        name="郑州市某社会工作协会",
        legal_form=swp.LegalForm.SOCIAL_GROUP,
        independent_legal_person=True,
        lawfully_registered=True,
        public_welfare=True,
        non_profit=True,
        evaluation_grade=swp.EvaluationGrade.A2,
        grade_awarded_on=date(2020, 6, 1),
        staff=swp.Staff(professional_team=True, mainly_social_work_professionals=True),
    )
    evaluator = "河南某社会工作评估中心"
    conflicts = (
        ("henan2013.purchaser.eligible_bodies", "national.purchaser.state_organs"),
        ("henan2013.purchaser.eligible_bodies", "national.purchaser.excluded_types"),
    )
    return Purchase(
        key="henan",
        case_id="HN-DEMO-2023-001",
        region="henan",
        headline=(
            "2023年享受财政供给的公益一类事业单位(儿童福利院)购买服务:河南2013年办法允许它购买,财政部令第102号"
            "(2020年3月1日起)不允许,冲突被如实报告、说明理由后继续;两家投标人中3A级以上的机构按优先规则排名第一并中标。",
            "A budget-funded category-1 institution (a children's welfare home) buys in 2023: Henan's 2013 measures "
            "let it purchase, MoF Decree No. 102 (from 2020-03-01) does not; the conflict is reported and the case "
            "goes ahead only with a stated reason. Of two bidders the one graded 3A or above ranks first by the "
            "soft priority and is awarded.",
        ),
        steps=(
            CommandStep(
                command=swp.OpenCase(**opening),
                expect=Expect.UNDETERMINED,
                findings={
                    "henan2013.purchaser.eligible_bodies": _P,
                    "national.purchaser.state_organs": _F,
                    "national.purchaser.excluded_types": _F,
                },
                conflicts=conflicts,
                note=(
                    "地方规则与国家规则冲突时,本库不替人选择:立项被拒,需说明继续的理由。",
                    "Where a regional and a national rule conflict the library does not choose: opening is "
                    "refused until a reason for going ahead is given.",
                ),
            ),
            CommandStep(
                command=swp.OpenCase(
                    **opening, accept_undetermined="冲突已书面报请省财政厅、省民政厅裁定,先行立项、不签约前不付款"
                ),
                expect=Expect.DONE_UNDETERMINED,
                conflicts=conflicts,
            ),
            CommandStep(
                command=swp.AssessNeeds(
                    **_by(date(2023, 3, 10), "王院长"),
                    summary="院内及辖区困境儿童心理与成长支持需求评估",
                    target_groups=frozenset({swp.TargetGroup.CHILDREN_IN_DIFFICULTY, swp.TargetGroup.ORPHANS}),
                    service_domains=frozenset({swp.ServiceDomain.CHILD_WELFARE}),
                )
            ),
            CommandStep(
                command=swp.ApproveBudget(
                    **_by(date(2023, 3, 20), "王院长"),
                    amount=Decimal("260000.00"),
                    accept_undetermined="河南的规则未对编制预算作出规定,按本单位财务制度编制",
                ),
                expect=Expect.DONE_UNDETERMINED,
                note=(
                    "河南的来源没有关于编制预算的规则:没有规则可查时,本库不把它当作“符合”。",
                    "Henan's sources have no rule on the budget: with nothing to check, the library does not call "
                    "the step eligible.",
                ),
            ),
            CommandStep(
                command=swp.StartTender(
                    **_by(date(2023, 4, 3), "王院长"),
                    method=swp.ProcurementMethod.OPEN_TENDER,
                    purchase_form=swp.PurchaseForm.SPECIALISED_PROJECT,
                    contractor_conditions_non_discriminatory=True,
                ),
                findings={
                    "henan2013.procedure.open_tender_in_principle": _P,
                    "national.procedure.contractor_conditions": _P,
                },
                note=_FAIR_CONDITIONS_NOTE,
            ),
            RankStep(
                on=date(2023, 5, 8),
                bidders=(("association", association), ("graded", graded)),
                order=("graded", "association"),
                note=(
                    "两家都符合承接条件;「取得社会组织评估等级3A级以上资质的优先」只排序、不设门槛(等级有效期5年)。",
                    "Both bidders meet the conditions; «those graded 3A or above have priority» ranks and never "
                    "gates (a grade is valid for five years).",
                ),
            ),
            CommandStep(
                command=swp.Award(**_by(date(2023, 5, 8), "王院长"), contractor=graded, amount=Decimal("255000.00")),
                findings={
                    "henan2013.contractor.all_conditions_conjunctive": _P,
                    "henan2013.contractor.priority_grade_3a": _P,
                },
            ),
            CommandStep(
                command=swp.SignContract(
                    **_by(date(2023, 5, 20), "王院长"),
                    service_period=swp.ServicePeriod(date(2023, 6, 1), date(2024, 5, 31)),
                    amount=Decimal("255000.00"),
                    written=True,
                    stated_terms=frozenset(swp.ContractTerm),
                    negative_list_items=frozenset(),
                ),
                findings={
                    "national.contract.written_terms": _P,
                    "national.contract.term_length": _P,
                    "national.procedure.contractor_conditions": _P,
                    "national.scope.negative_list": _P,
                },
                note=(
                    "河南的来源未规定评估费用:不预留,并记录原因。" + _SIGNING_NOTE[0],
                    "Henan's sources set no evaluation fee: nothing is reserved, and the reason is recorded. "
                    + _SIGNING_NOTE[1],
                ),
            ),
            CommandStep(command=swp.StartService(**_by(date(2023, 6, 1), "赵社工", swp.Role.CONTRACTOR))),
            CommandStep(
                command=_evaluation(
                    date(2024, 5, 20), _FINAL, evaluator, _THIRD, swp.EvaluationResult.GOOD, score="88"
                ),
                note=(
                    "河南的来源要求结项验收,未规定中期评估:服务中直接进行末期评估。"
                    "厦门的来源要求「在服务周期的中期和末期」由第三方评估,在厦门这一步会被拒绝,须先有第三方中期评估。",
                    "Henan's sources ask for acceptance at the end (结项验收) and set no mid-term evaluation: "
                    "the final evaluation follows the service directly. Xiamen's source asks for third-party "
                    "evaluations 「在服务周期的中期和末期」 (at mid-term and at the end of the service period), so "
                    "there this step is refused until a third-party mid-term evaluation is on record.",
                ),
            ),
            CommandStep(
                command=_evaluation(
                    date(2024, 5, 24), _FINAL, home.name, _BUYER, swp.EvaluationResult.GOOD, actor="王院长"
                )
            ),
            CommandStep(
                command=_evaluation(
                    date(2024, 5, 27),
                    _FINAL,
                    "受助儿童及监护人代表",
                    _RECIPIENTS,
                    swp.EvaluationResult.GOOD,
                    actor="王院长",
                )
            ),
            CommandStep(
                command=swp.Accept(
                    **_by(date(2024, 6, 5), "王院长"),
                    accept_undetermined="末期评估结果良好,院务会决定结项验收",
                ),
                expect=Expect.DONE_UNDETERMINED,
                findings={"henan2013.evaluation.final_acceptance": _P},
                note=(
                    "河南2013年的结项验收与三方评估出自「我省还将建立」一句,是倾向而非硬性条件:"
                    "已通过的末期评估使验收规则通过,但没有硬性规则可查,结项需写明理由。",
                    "Henan 2013's acceptance and tripartite evaluation come from one 「我省还将建立」 sentence, an "
                    "intention, not a hard condition: the passed final evaluation makes the acceptance rule pass, but "
                    "with no hard rule to check, acceptance needs a stated reason.",
                ),
            ),
            CommandStep(command=swp.Close(**_by(date(2024, 6, 10), "王院长"))),
        ),
        final_state=swp.State.CLOSED,
        fee=None,
    )


def _ningxia() -> Purchase:
    county = swp.Purchaser(
        name="盐池县人民政府", kind=swp.PurchaserKind.PEOPLES_GOVERNMENT, level=swp.AdminLevel.DISTRICT, region="640323"
    )
    person = swp.Contractor(
        name="马某(社会工作师)", legal_form=swp.LegalForm.INDIVIDUAL, independent_legal_person=False, non_profit=False
    )
    reason = "《意见》规定的具体条件未见载明;已核验马某持有社会工作师职业水平证书并有五年儿童服务经历"
    evaluator = "宁夏某社会工作评估中心"
    d = swp.DisclosureItem
    return Purchase(
        key="ningxia",
        case_id="NX-DEMO-2024-001",
        region="ningxia",
        headline=(
            "2024年县政府把困境儿童关爱服务交给具备条件的个人(社会工作师):宁夏的承接主体名单允许个人,厦门不允许;"
            "《意见》的具体条件未载明,授予需说明理由;八项信息公开逐步跟踪,显示已公开、未公开和尚未到期的事项。",
            "A county government lets a children's service to a qualified individual (a certified social worker) in "
            "2024: Ningxia's list of contractors admits individuals, Xiamen's does not; the opinion's specific "
            "conditions are not in the source, so the award needs a stated reason; the eight disclosure items are "
            "tracked step by step: published, missing, not yet due.",
        ),
        steps=(
            CommandStep(
                command=swp.OpenCase(
                    **_by(date(2024, 1, 8), "李科长"),
                    region="ningxia",
                    title="花马池镇困境儿童关爱服务项目",
                    purchaser=county,
                ),
                findings={"ningxia.purchaser.governments": _P, "national.purchaser.state_organs": _P},
            ),
            CommandStep(
                command=swp.AssessNeeds(
                    **_by(date(2024, 1, 15), "李科长"),
                    summary="花马池镇困境儿童与留守儿童关爱需求摸底",
                    target_groups=frozenset(
                        {swp.TargetGroup.CHILDREN_IN_DIFFICULTY, swp.TargetGroup.LEFT_BEHIND_CHILDREN}
                    ),
                    service_domains=frozenset({swp.ServiceDomain.CHILD_WELFARE}),
                )
            ),
            CommandStep(
                command=_planned_budget(date(2024, 1, 25), "李科长", "120000.00"),
                findings={"ningxia.procedure.targets_and_annual_budget": _P},
            ),
            CommandStep(
                command=swp.RecordDisclosure(
                    **_by(date(2024, 1, 30), "李科长"),
                    items=frozenset(
                        {
                            d.PROJECT_CONTENT,
                            d.SERVICE_STANDARDS,
                            d.SERVICE_REQUIREMENTS,
                            d.SERVICE_CONTENT,
                            d.BUDGET,
                            d.PURCHASE_PROCEDURE,
                        }
                    ),
                    where="盐池县人民政府门户网站",
                ),
                disclosure={"ningxia.disclosure.items": _P},
                note=(
                    "采购公告公开六项:每项信息自产生它的那一步起才应公开,此时应公开的都已公开。",
                    "The tender notice publishes six items: each item is due from the step that produces it, and "
                    "every item due so far is out.",
                ),
            ),
            CommandStep(
                command=swp.StartTender(
                    **_by(date(2024, 2, 1), "李科长"),
                    method=swp.ProcurementMethod.COMPETITIVE_CONSULTATION,
                    purchase_form=swp.PurchaseForm.SPECIALISED_PROJECT,
                    contractor_conditions_non_discriminatory=True,
                ),
                findings={"ningxia.procedure.lawful_procurement": _P, "national.procedure.contractor_conditions": _P},
                note=_FAIR_CONDITIONS_NOTE,
            ),
            CompareStep(
                on=date(2024, 2, 26),
                region="xiamen",
                contractor=person,
                decision=swp.Decision.INELIGIBLE,
                findings={"xiamen.contractor.independent_legal_person": _F, "xiamen.contractor.org_type": _F},
                note=(
                    "同一个人在厦门的规则下不能承接:厦门要求独立法人资格。",
                    "The same person could not contract under Xiamen's rules, which require an independent "
                    "legal person.",
                ),
            ),
            CommandStep(
                command=swp.Award(**_by(date(2024, 2, 26), "李科长"), contractor=person, amount=Decimal("118000.00")),
                expect=Expect.UNDETERMINED,
                findings={"ningxia.contractor.specific_conditions": _U},
                note=(
                    "名单允许个人,但《意见》规定的具体条件在来源中没有载明:任何承接主体都无法被判定为“符合”。",
                    "The list admits individuals, but the opinion's specific conditions are not in the source: no "
                    "contractor can be shown eligible.",
                ),
            ),
            CommandStep(
                command=swp.Award(
                    **_by(date(2024, 2, 26), "李科长"),
                    contractor=person,
                    amount=Decimal("118000.00"),
                    accept_undetermined=reason,
                ),
                expect=Expect.DONE_UNDETERMINED,
                findings={
                    "ningxia.contractor.eligible_types": _P,
                    "national.contractor.eligible_types": _P,
                    "ningxia.contractor.specific_conditions": _U,
                },
            ),
            CommandStep(
                command=swp.SignContract(
                    **_by(date(2024, 2, 28), "李科长"),
                    service_period=swp.ServicePeriod(date(2024, 3, 1), date(2024, 12, 31)),
                    amount=Decimal("118000.00"),
                    written=True,
                    stated_terms=frozenset(swp.ContractTerm),
                    negative_list_items=frozenset(),
                ),
                findings={
                    "ningxia.contract.written_required_terms": _P,
                    "national.contract.written_terms": _P,
                    "national.procedure.contractor_conditions": _P,
                    "national.scope.negative_list": _P,
                },
                note=_SIGNING_NOTE,
            ),
            CommandStep(
                command=swp.RecordDisclosure(
                    **_by(date(2024, 2, 29), "李科长"),
                    items=frozenset({d.EVALUATION_STANDARDS, d.CONTRACT}),
                    where="盐池县人民政府门户网站",
                ),
                disclosure={"ningxia.disclosure.items": _P, "national.disclosure.contract_published": _P},
                note=(
                    "公开绩效评价标准和合同:七项均已公开;绩效评价结果要等有了评价结果才应公开。",
                    "The evaluation standards and the contract are published: seven items are out; the evaluation "
                    "results are due only once an evaluation has a result.",
                ),
            ),
            CommandStep(command=swp.StartService(**_by(date(2024, 3, 1), "马某", swp.Role.CONTRACTOR))),
            CommandStep(
                command=_evaluation(date(2024, 8, 1), _MID, evaluator, _THIRD, swp.EvaluationResult.GOOD),
                disclosure={"ningxia.disclosure.items": _U, "national.disclosure.contract_published": _P},
                note=(
                    "中期评估有了结果:绩效评价结果随即应公开,尚未公开;来源只说「及时」,未定期限,故为“未知”而非“不通过”。",
                    "The mid-term evaluation has a result: the evaluation results are now due and not yet published; "
                    "the source says only 「及时」 and sets no deadline, so it is unknown, not a failure.",
                ),
            ),
            CommandStep(
                command=_evaluation(
                    date(2024, 12, 20), _FINAL, evaluator, _THIRD, swp.EvaluationResult.GOOD, score="85"
                )
            ),
            CommandStep(
                command=swp.Accept(
                    **_by(date(2025, 1, 6), "李科长"),
                    accept_undetermined="宁夏的来源未规定结项验收所依据的评估规则;第三方末期评估结果为良好",
                ),
                expect=Expect.DONE_UNDETERMINED,
                note=(
                    "宁夏的来源没有约束验收的硬性评估规则,只有鼓励反馈应用的软性规则。",
                    "Ningxia's source has no hard evaluation rule for acceptance, only a soft one on using the "
                    "results.",
                ),
            ),
            CommandStep(
                command=swp.RecordDisclosure(
                    **_by(date(2025, 1, 8), "李科长"),
                    items=frozenset({d.EVALUATION_RESULTS}),
                    where="盐池县人民政府门户网站",
                ),
                disclosure={"ningxia.disclosure.items": _P, "national.disclosure.contract_published": _P},
            ),
            CommandStep(command=swp.Close(**_by(date(2025, 1, 10), "李科长"))),
        ),
        final_state=swp.State.CLOSED,
        fee=None,
    )


PURCHASES: Final[tuple[Purchase, ...]] = (_xiamen(), _henan(), _ningxia())
"""The demo's purchases, in the order they run: Xiamen, Henan, Ningxia."""


# --------------------------------------------------------------------------- running


class _Clock:
    """Records every event at 09:00 China time (01:00 UTC) on the day of the step being taken."""

    def __init__(self) -> None:
        self.day = date(2000, 1, 1)

    def __call__(self) -> datetime:
        return datetime.combine(self.day, time(1, 0), tzinfo=UTC)


def _money(amount: Decimal, lang: str) -> str:
    text = format(swp.quantize_fen(amount), ",f")
    return f"{text} 元" if lang == "zh" else f"CNY {text}"


def _source_json(source: swp.Source) -> dict[str, Any]:
    return {"title": source.title, "number": source.number, "file": source.file, "url": source.url}


def source_text(source: swp.Source, lang: str) -> str:
    """A source as a person cites it: 《title》(number), never a seed file's hashed name."""
    if source.number:
        return f"《{source.title}》({source.number})" if lang == "zh" else f"《{source.title}》 ({source.number})"
    return f"《{source.title}》"


def _finding_json(finding: swp.Finding, lang: str) -> dict[str, Any]:
    rule = finding.rule
    return {
        "rule_id": finding.rule_id,
        "effective_from": rule.effective_from.isoformat(),
        "outcome": finding.outcome.value,
        "outcome_name": name(finding.outcome, lang),
        "strength": rule.strength.value,
        "strength_name": name(rule.strength, lang),
        "message": localize_identifiers(finding.message(lang), lang),
        "path": finding.path,
        "source": _source_json(rule.citation.source),
        "source_text": source_text(rule.citation.source, lang),
    }


def _record_json(
    record: swp.FindingRecord, live: Mapping[tuple[str, str], swp.Finding], registry: swp.Registry, lang: str
) -> dict[str, Any]:
    """A stored finding with its rule's message and source (and its detail, found in a fresh check)."""
    finding = live.get((record.rule_id, record.path))
    if finding is not None and finding.outcome is record.outcome:
        return _finding_json(finding, lang)
    rule = registry.rule(record.rule_id, on=record.rule_effective_from)
    return _finding_json(swp.Finding(rule, record.outcome, record.path, pack=record.pack), lang)


def _conflict_json(conflict: swp.Conflict, lang: str) -> dict[str, Any]:
    return {
        "regional": conflict.regional.rule_id,
        "national": conflict.national.rule_id,
        "message": localize_identifiers(conflict.message_zh if lang == "zh" else conflict.message_en, lang),
        "sources": [
            source_text(conflict.regional.rule.citation.source, lang),
            source_text(conflict.national.rule.citation.source, lang),
        ],
    }


def _names(values: Iterable[enum.Enum], lang: str) -> str:
    """Names in the order their enumeration declares them (the sources' order), not set order."""
    ordered = sorted(values, key=lambda v: list(type(v).__members__.values()).index(v))
    return ("、" if lang == "zh" else ", ").join(name(v, lang) for v in ordered)


def _contractor_text(contractor: swp.Contractor, lang: str) -> str:
    facts = [name(contractor.legal_form, lang)]
    if contractor.evaluation_grade is not None:
        grade = name(contractor.evaluation_grade, lang)
        facts.append(f"评估等级{grade}" if lang == "zh" else f"graded {grade}")
    joined = ",".join(facts) if lang == "zh" else ", ".join(facts)
    return f"{contractor.name}({joined})" if lang == "zh" else f"{contractor.name} ({joined})"


def _purchaser_text(purchaser: swp.Purchaser, lang: str) -> str:
    kind = (
        name(purchaser.public_institution_category, lang)
        if purchaser.public_institution_category is not None
        else name(purchaser.kind, lang)
    )
    facts = [kind] + ([name(purchaser.level, lang)] if purchaser.level is not None else [])
    if purchaser.budget_funded:
        facts.append("享受财政供给" if lang == "zh" else "budget-funded")
    joined = ",".join(facts) if lang == "zh" else ", ".join(facts)
    return f"{purchaser.name}({joined})" if lang == "zh" else f"{purchaser.name} ({joined})"


def describe(command: swp.Command, lang: str) -> str:
    """What a command asks, in words (the report's second line of a step)."""
    zh = lang == "zh"
    match command:
        case swp.OpenCase():
            return (
                f"{command.title};购买主体 {_purchaser_text(command.purchaser, lang)}"
                if zh
                else (f"{command.title}; purchaser {_purchaser_text(command.purchaser, lang)}")
            )
        case swp.AssessNeeds():
            groups = _names(command.target_groups, lang)
            return (
                f"{command.summary}({groups})"
                if zh and groups
                else (f"{command.summary} ({groups})" if groups else command.summary)
            )
        case swp.ApproveBudget():
            planned = all(
                (
                    command.cost_accounting,
                    command.targets_quantity,
                    command.targets_scale,
                    command.targets_quality,
                    command.targets_effect,
                )
            )
            budget = _money(command.amount, lang)
            if zh:
                return f"预算 {budget}" + (",已核算服务成本并提出数量、规模、质量与效果目标" if planned else "")
            return f"budget {budget}" + (
                "; costs accounted, quantity, scale, quality and effect targets set" if planned else ""
            )
        case swp.StartTender():
            parts = [name(command.method, lang)]
            if command.purchase_form is not None:
                parts.append(name(command.purchase_form, lang))
            if command.contractor_conditions_non_discriminatory:
                parts.append("声明承接条件无歧视" if zh else "conditions for contractors declared fair")
            return ",".join(parts) if zh else ", ".join(parts)
        case swp.Award():
            text = _contractor_text(command.contractor, lang)
            if command.amount is not None:
                text += (
                    f",中标价 {_money(command.amount, lang)}"
                    if zh
                    else f", winning price {_money(command.amount, lang)}"
                )
            return text
        case swp.SignContract():
            period = command.service_period
            if zh:
                written = "书面合同," if command.written else ""
                text = f"{written}{_money(command.amount, lang)},服务期限 {period.start} 至 {period.end}"
                if command.evaluation_fee_base is not None:
                    text += f";评估费用计费基数 {_money(command.evaluation_fee_base, lang)}"
                if command.negative_list_items == frozenset():
                    text += ";声明不含负面清单事项"
                return text
            written = "written contract, " if command.written else ""
            text = f"{written}{_money(command.amount, lang)}, service {period.start} to {period.end}"
            if command.evaluation_fee_base is not None:
                text += f"; evaluation-fee base {_money(command.evaluation_fee_base, lang)}"
            if command.negative_list_items == frozenset():
                text += "; nothing from the negative list, declared"
            return text
        case swp.RecordEvaluation():
            who = name(command.evaluator_role, lang)
            result = name(command.result, lang) if command.result is not None else ("未记录结果" if zh else "no result")
            score = (
                f",{command.score}分"
                if zh and command.score is not None
                else (f", score {command.score}" if command.score is not None else "")
            )
            return (
                f"{command.evaluator}({who}):{result}{score}" if zh else f"{command.evaluator} ({who}): {result}{score}"
            )
        case swp.RecordDisclosure():
            items = _names(command.items, lang)
            if command.where is None:
                return items
            return f"{items}(发布于{command.where})" if zh else f"{items} (published on {command.where})"
        case swp.FailTender() | swp.Cancel() | swp.Terminate():
            return command.reason
    return ""


def _judged_case(proc: swp.Procurement | None, command: swp.Command) -> tuple[swp.Case, str] | None:
    """The facts and region a refused opening or award was judged on, to find the conflicts behind it.

    Only those two steps answer the questions both layers answer (which bodies may purchase or
    contract), so only they can be refused by a conflict between layers.
    """
    if isinstance(command, swp.OpenCase):
        return swp.Case(purchaser=command.purchaser), command.region
    if isinstance(command, swp.Award) and proc is not None:
        return attrs.evolve(proc.state.to_case(), contractor=command.contractor), proc.state.region
    return None


class _Run:
    """One purchase being run: its procurement object, the store, the registry, the report so far."""

    def __init__(self, purchase: Purchase, store: swp.EventStore, registry: swp.Registry, lang: str) -> None:
        self.purchase = purchase
        self.store = store
        self.registry = registry
        self.lang = lang
        self.clock = _Clock()
        self.proc: swp.Procurement | None = None

    def say(self, text: _Text) -> str:
        return _t(text, self.lang)

    # -- commands -----------------------------------------------------------------------------

    def command(self, step: CommandStep, record: dict[str, Any]) -> None:
        command, lang = step.command, self.lang
        record.update(
            kind="command",
            action=command.action.value,
            action_name=name(command.action, lang),
            on=command.on.isoformat(),
            actor=command.actor,
            role=command.role.value,
            role_name=name(command.role, lang),
            summary=describe(command, lang),
            accepted_undetermined=command.accept_undetermined,
        )
        self.clock.day = command.on
        refusal: swp.CommandRefused | None = None
        try:
            appended = self._execute(command)
        except swp.CommandUndetermined as exc:
            outcome, refusal = Expect.UNDETERMINED, exc
        except swp.InvalidTransition as exc:
            outcome, refusal = Expect.INVALID_TRANSITION, exc
        except swp.CommandRefused as exc:
            outcome, refusal = Expect.REFUSED, exc
        except swp.UnknownRegion as exc:
            record.update(
                outcome=Expect.ERROR.value,
                message=self.say(
                    (f"未安装地区 {exc.region} 的规则包", f"no rule pack for region {exc.region} is installed")
                ),
            )
            return
        except (swp.RuleConflict, swp.CaseNotFound) as exc:
            record.update(outcome=Expect.ERROR.value, message=f"{type(exc).__name__}: {exc}")
            return
        if refusal is None:
            findings, conflicts, decision, outcome = self._done(command, appended, record)
        else:
            findings, conflicts, decision = self._refused(command, refusal, record)
        if self.proc is not None:
            state = self.proc.state
            record.update(state=state.status.value, state_name=name(state.status, lang), version=state.version)
        record.update(
            outcome=outcome.value,
            decision=decision.value if decision is not None else None,
            decision_name=name(decision, lang) if decision is not None else None,
            findings=findings,
            highlight=sorted(step.findings),
            conflicts=[_conflict_json(c, lang) for c in conflicts],
        )
        self._check_findings(step.findings, findings, record)
        # The core lists conflicts in no promised order: compare them as sets of pairs.
        actual_pairs = tuple(sorted((c.regional.rule_id, c.national.rule_id) for c in conflicts))
        if actual_pairs != tuple(sorted(step.conflicts)):
            record["problems"].append(
                self.say(
                    (
                        f"冲突应为 {_pairs(step.conflicts)},实际为 {_pairs(actual_pairs)}",
                        f"expected the conflicts {_pairs(step.conflicts)}, got {_pairs(actual_pairs)}",
                    )
                )
            )
        if step.disclosure is not None and self.proc is not None and outcome in (Expect.DONE, Expect.DONE_UNDETERMINED):
            self._disclosure(step.disclosure, command.on, record)

    def _execute(self, command: swp.Command) -> tuple[swp.HistoryEntry, ...]:
        if isinstance(command, swp.OpenCase):
            if self.proc is not None:
                raise swp.InvalidTransition(f"case {self.purchase.case_id!r} is already open")
            self.proc = swp.Procurement.create(
                self.store, self.registry, self.purchase.case_id, command, clock=self.clock
            )
            return self.proc.history()
        if self.proc is None:
            raise swp.InvalidTransition(f"case {self.purchase.case_id!r} is not open")
        return self.proc.execute(command)

    def _done(
        self, command: swp.Command, appended: Sequence[swp.HistoryEntry], record: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], list[swp.Conflict], swp.Decision | None, Expect]:
        """The findings of an executed step: those its events stored, with their details found again."""
        assert self.proc is not None
        bases = [b for b in (getattr(e.event, "basis", None) for e in appended) if isinstance(b, swp.RuleBasis)]
        undetermined = any(b.decision is swp.Decision.UNDETERMINED for b in bases)
        verdict = self.proc.check(command.on)
        live = {(f.rule_id, f.path): f for f in verdict.findings}
        records = [r for b in bases for r in b.findings]
        ids = {r.rule_id for r in records}
        conflicts = [c for c in verdict.conflicts if {c.regional.rule_id, c.national.rule_id} <= ids]
        record["events"] = [e.event_type for e in appended]
        self._details(command, record)
        findings = [_record_json(r, live, self.registry, self.lang) for r in records]
        decision = bases[0].decision if bases else None
        return findings, conflicts, decision, Expect.DONE_UNDETERMINED if undetermined else Expect.DONE

    def _refused(
        self, command: swp.Command, refusal: swp.CommandRefused, record: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], list[swp.Conflict], swp.Decision | None]:
        """The findings of a refused step, and the conflicts between layers behind them."""
        if isinstance(refusal, swp.CommandUndetermined):
            decision: swp.Decision | None = swp.Decision.UNDETERMINED
        elif isinstance(refusal, swp.InvalidTransition) or not refusal.findings:
            decision = None
        else:
            decision = swp.Decision.INELIGIBLE
        # The findings say why in the chosen language; the lifecycle's refusal text (English, and a
        # repeat of the findings) is shown only where there are none.
        if not refusal.findings:
            record["message"] = str(refusal)
        ids = {f.rule_id for f in refusal.findings}
        conflicts: list[swp.Conflict] = []
        judged = _judged_case(self.proc, command)
        if judged is not None and ids:
            case, region = judged
            verdict = self.registry.check(case, region=region, on=command.on)
            conflicts = [c for c in verdict.conflicts if {c.regional.rule_id, c.national.rule_id} <= ids]
        # A finding on one side of a conflict is listed once, though the refusal names it per conflict.
        unique = list(dict.fromkeys(refusal.findings))
        return [_finding_json(f, self.lang) for f in unique], conflicts, decision

    def _details(self, command: swp.Command, record: dict[str, Any]) -> None:
        assert self.proc is not None
        state = self.proc.state
        if isinstance(command, swp.SignContract):
            fee = state.evaluation_fee
            if fee is not None:
                record["fee"] = {
                    "base": swp.format_yuan(fee.base_amount) if fee.base_amount is not None else None,
                    "fee": swp.format_yuan(fee.fee) if fee.fee is not None else None,
                    "rule_id": fee.rule_id,
                    "reason": localize_identifiers(
                        (fee.reason_zh if self.lang == "zh" else fee.reason_en) or "", self.lang
                    )
                    or None,
                    "source_text": (
                        source_text(self.registry.rule(fee.rule_id).citation.source, self.lang) if fee.rule_id else None
                    ),
                }
            if state.schedule is not None:
                record["schedule"] = {
                    "midterm": state.schedule.midterm.isoformat(),
                    "final": state.schedule.final.isoformat(),
                    "midterm_required": state.schedule.midterm_required,
                }

    def _disclosure(self, expected: Mapping[str, swp.Outcome], on: date, record: dict[str, Any]) -> None:
        assert self.proc is not None
        published = sorted(self.proc.state.published, key=list(swp.DisclosureItem).index)
        found = [f for f in self.proc.disclosures(on) if f.outcome is not swp.Outcome.NOT_APPLICABLE]
        findings = [_finding_json(f, self.lang) for f in found]
        record["disclosure"] = {
            "published": [{"item": i.value, "name": name(i, self.lang)} for i in published],
            "complete": bool(found) and all(f.outcome is swp.Outcome.PASS for f in found),
            "findings": findings,
        }
        self._check_findings(expected, findings, record)

    def _check_findings(
        self, expected: Mapping[str, swp.Outcome], findings: Sequence[Mapping[str, Any]], record: dict[str, Any]
    ) -> None:
        got: dict[str, str] = {}
        for f in findings:
            got.setdefault(f["rule_id"], f["outcome"])
        for rule_id, outcome in expected.items():
            actual = got.get(rule_id)
            if actual == outcome.value:
                continue
            if actual is None:
                record["problems"].append(
                    self.say(
                        (
                            f"规则 {rule_id} 应为“{name(outcome, 'zh')}”,实际未出现",
                            f"rule {rule_id} should be {outcome.value}, but it is not among the findings",
                        )
                    )
                )
            else:
                record["problems"].append(
                    self.say(
                        (
                            f"规则 {rule_id} 应为“{name(outcome, 'zh')}”,实际为“{name(swp.Outcome(actual), 'zh')}”",
                            f"rule {rule_id} should be {outcome.value}, got {actual}",
                        )
                    )
                )

    # -- looks that store nothing ------------------------------------------------------------

    def rank(self, step: RankStep, record: dict[str, Any]) -> None:
        lang = self.lang
        record.update(
            kind="ranking",
            action=None,
            action_name=self.say(("比较投标人", "rank the bidders")),
            on=step.on.isoformat(),
            summary=self.say(("按承接条件和优先规则排序", "by the conditions, then the priorities")),
        )
        if self.proc is None:
            record.update(outcome=Expect.ERROR.value, message=self.say(("案件未立项", "the case is not open")))
            return
        region = self.purchase.region
        ranked: list[tuple[int, int, int, str, swp.Contractor, swp.Decision, list[swp.Finding], list[swp.Finding]]] = []
        gate = {swp.Decision.ELIGIBLE: 0, swp.Decision.UNDETERMINED: 1, swp.Decision.INELIGIBLE: 2}
        for index, (key, bidder) in enumerate(step.bidders):
            case = attrs.evolve(self.proc.state.to_case(), contractor=bidder)
            verdict = self.registry.check(case, region=region, on=step.on)
            about = [f for f in verdict.findings if f.rule.subject is swp.Subject.CONTRACTOR]
            conflicts = [c for c in verdict.conflicts if c.regional.rule.subject is swp.Subject.CONTRACTOR]
            decision = swp.decide(about, conflicts)
            soft = [f for f in about if f.rule.strength is swp.Strength.SOFT]
            met = [f for f in soft if f.outcome is swp.Outcome.PASS]
            ranked.append(
                (gate[decision], -len(met), index, key, bidder, decision, met, [f for f in soft if f not in met])
            )
        ranked.sort(key=lambda r: r[:3])
        record.update(
            outcome=Expect.SHOWN.value,
            ranking=[
                {
                    "rank": position,
                    "key": key,
                    "name": bidder.name,
                    "summary": _contractor_text(bidder, lang),
                    "decision": decision.value,
                    "decision_name": name(decision, lang),
                    "priorities": [_finding_json(f, lang) for f in met],
                    "not_met": [_finding_json(f, lang) for f in unmet],
                }
                for position, (_g, _n, _i, key, bidder, decision, met, unmet) in enumerate(ranked, 1)
            ],
        )
        order = tuple(r[3] for r in ranked)
        if order != step.order:
            record["problems"].append(
                self.say(
                    (
                        f"排名应为 {'、'.join(step.order)},实际为 {'、'.join(order)}",
                        f"the ranking should be {', '.join(step.order)}, got {', '.join(order)}",
                    )
                )
            )

    def compare(self, step: CompareStep, record: dict[str, Any]) -> None:
        lang = self.lang
        record.update(
            kind="comparison",
            action=None,
            on=step.on.isoformat(),
            action_name=self.say(("对照其他地区", "compare with another region")),
        )
        try:
            region = self.registry.region(step.region)
        except swp.UnknownRegion:
            record.update(
                outcome=Expect.ERROR.value,
                message=self.say(
                    (f"未安装地区 {step.region} 的规则包", f"no rule pack for region {step.region} is installed")
                ),
            )
            return
        verdict = self.registry.check(swp.Case(contractor=step.contractor), region=step.region, on=step.on)
        region_name = region.name_zh if lang == "zh" else region.name_en
        # The failures are what the comparison is about; facts the demo did not give for the other
        # region (its governance questions) would only be noise.
        shown = verdict.failures
        record.update(
            outcome=Expect.SHOWN.value,
            summary=self.say(
                (
                    f"{_contractor_text(step.contractor, lang)} 在{region_name}的规则下",
                    f"{_contractor_text(step.contractor, lang)} under the rules of {region_name}",
                )
            ),
            comparison={
                "region": step.region,
                "region_name": region_name,
                "decision": verdict.decision.value,
                "decision_name": name(verdict.decision, lang),
            },
            decision=verdict.decision.value,
            decision_name=name(verdict.decision, lang),
            findings=[_finding_json(f, lang) for f in shown],
        )
        if verdict.decision is not step.decision:
            record["problems"].append(
                self.say(
                    (
                        f"结论应为“{name(step.decision, 'zh')}”,实际为“{name(verdict.decision, 'zh')}”",
                        f"the decision should be {step.decision.value}, got {verdict.decision.value}",
                    )
                )
            )
        self._check_findings(step.findings, [_finding_json(f, lang) for f in verdict.findings], record)


def _pairs(pairs: Sequence[tuple[str, str]]) -> str:
    return "; ".join(f"{a} ↔ {b}" for a, b in pairs) or "—"


def _expected_label(step: Step) -> Expect:
    return step.expect if isinstance(step, CommandStep) else Expect.SHOWN


def _run_purchase(
    purchase: Purchase, store: swp.EventStore, registry: swp.Registry, lang: str, ocid_prefix: str
) -> dict[str, Any]:
    run = _Run(purchase, store, registry, lang)
    try:
        region = registry.region(purchase.region)
        region_name = region.name_zh if lang == "zh" else region.name_en
        sources = [source_text(s, lang) for s in region.sources]
    except swp.UnknownRegion:
        region_name, sources = purchase.region, []
    steps: list[dict[str, Any]] = []
    problems: list[str] = []
    stopped = False
    for number, step in enumerate(purchase.steps, 1):
        expected = _expected_label(step)
        record: dict[str, Any] = {"number": number, "expected": expected.value, "problems": []}
        if isinstance(step, CommandStep):
            if stopped:
                record.update(
                    kind="command",
                    action=step.command.action.value,
                    action_name=name(step.command.action, lang),
                    on=step.command.on.isoformat(),
                    summary=describe(step.command, lang),
                )
            else:
                run.command(step, record)
        elif stopped:
            record.update(
                kind="ranking" if isinstance(step, RankStep) else "comparison", action=None, on=step.on.isoformat()
            )
        elif isinstance(step, RankStep):
            run.rank(step, record)
        else:
            run.compare(step, record)
        if stopped:
            record["outcome"] = Expect.NOT_RUN.value
        elif record["outcome"] != expected.value:
            record["problems"].insert(
                0,
                run.say(
                    (
                        f"应为“{outcome_name(expected, 'zh')}”,实际为“{outcome_name(record['outcome'], 'zh')}”",
                        f"expected {outcome_name(expected, 'en')}, got {outcome_name(record['outcome'], 'en')}",
                    )
                ),
            )
            stopped = True  # the steps after it assume it went as declared
        record["note"] = _t(step.note, lang) if step.note is not None else None
        record["as_expected"] = not stopped and not record["problems"]
        for problem in record["problems"]:
            label = run.say(
                (
                    f"第 {number} 步({record.get('action_name')},{record.get('on')})",
                    f"step {number} ({record.get('action_name')}, {record.get('on')})",
                )
            )
            problems.append(f"{label}: {problem}")
        steps.append(record)

    proc = run.proc
    result: dict[str, Any] = {
        "key": purchase.key,
        "case_id": purchase.case_id,
        "region": purchase.region,
        "region_name": region_name,
        "sources": sources,
        "headline": _t(purchase.headline, lang),
        "title": proc.state.title if proc is not None else None,
        "purchaser": _purchaser_text(proc.state.purchaser, lang) if proc is not None else None,
        "steps": steps,
        "final_state": proc.state.status.value if proc is not None else None,
        "final_state_name": name(proc.state.status, lang) if proc is not None else None,
        "version": proc.version if proc is not None else 0,
        "fee": None,
        "ocds": None,
    }
    if proc is not None and not stopped:
        if proc.state.status is not purchase.final_state:
            problems.append(
                run.say(
                    (
                        f"最终状态应为“{name(purchase.final_state, 'zh')}”,实际为“{name(proc.state.status, 'zh')}”",
                        f"the final state should be {purchase.final_state.value}, got {proc.state.status.value}",
                    )
                )
            )
        fee = proc.state.evaluation_fee
        result["fee"] = swp.format_yuan(fee.fee) if fee is not None and fee.fee is not None else None
        actual_fee = fee.fee if fee is not None else None
        if actual_fee != purchase.fee:
            want_zh, got_zh = (str(x) if x is not None else "未规定" for x in (purchase.fee, actual_fee))
            want_en, got_en = (str(x) if x is not None else "not specified" for x in (purchase.fee, actual_fee))
            problems.append(
                run.say(
                    (
                        f"评估费用应为 {want_zh},实际为 {got_zh}",
                        f"the evaluation fee should be {want_en}, got {got_en}",
                    )
                )
            )
        if purchase.ocds_tags is not None:
            package = swp.to_ocds_release_package(proc, ocid_prefix=ocid_prefix, publisher=proc.state.purchaser.name)
            releases = package["releases"]
            tags = tuple("+".join(r["tag"]) for r in releases)
            counts = Counter(t for r in releases for t in r["tag"])
            result["ocds"] = {
                "ocid": releases[0]["ocid"],
                "ocid_prefix": ocid_prefix,
                "releases": len(releases),
                "tags": list(tags),
                "tag_counts": [
                    {"tag": tag, "name": ocds_tag_name(tag, lang), "count": count} for tag, count in counts.items()
                ],
                "published": package["publishedDate"],
                "publisher": package["publisher"]["name"],
            }
            if tags != purchase.ocds_tags:
                problems.append(
                    run.say(
                        (
                            f"OCDS 发布包的标签应为 {', '.join(purchase.ocds_tags)},实际为 {', '.join(tags)}",
                            f"the OCDS release tags should be {', '.join(purchase.ocds_tags)}, got {', '.join(tags)}",
                        )
                    )
                )
    result["problems"] = problems
    result["as_expected"] = not problems
    return result


def _case_ids_taken(store: swp.EventStore) -> list[str]:
    return [p.case_id for p in PURCHASES if store.version(p.case_id) != 0]


def run_demo(
    *,
    lang: str = "zh",
    store_path: str | Path | None = None,
    ocid_prefix: str = DEMO_OCID_PREFIX,
    registry: swp.Registry | None = None,
) -> dict[str, Any]:
    """Run every purchase of the demo; return the report as data (what ``--format json`` prints).

    Without ``store_path`` the store lives in a temporary directory removed afterwards: nothing
    is written anywhere else. A store that already holds one of the demo's cases is refused
    (:class:`UsageError`): the demo does not add to purchases it did not start.
    """
    prefix = swp.validate_ocid_prefix(ocid_prefix)
    if registry is None:
        registry = swp.load_registry()
    with _store(store_path) as (store, kept):
        taken = _case_ids_taken(store)
        if taken:
            raise UsageError(
                f"the store {store_path} already holds the demo's case {', '.join(taken)}: give --store a new path"
            )
        purchases = [_run_purchase(p, store, registry, lang, prefix) for p in PURCHASES]
    problems = [
        f"{p['region_name']}({p['case_id']}): {m}" if lang == "zh" else f"{p['region_name']} ({p['case_id']}): {m}"
        for p in purchases
        for m in p["problems"]
    ]
    return {
        "as_expected": not problems,
        "lang": lang,
        "store": kept,
        "ocid_prefix": prefix,
        "purchases": purchases,
        "problems": problems,
    }


@contextlib.contextmanager
def _store(path: str | Path | None) -> Iterator[tuple[swp.SQLiteEventStore, str | None]]:
    """The demo's store: the file named, or one in a temporary directory removed afterwards."""
    if path is not None:
        with swp.SQLiteEventStore(path) as kept:
            yield kept, str(path)
        return
    # Durability is not the point of a throw-away file: NORMAL spares an fsync per append.
    with (
        tempfile.TemporaryDirectory(prefix="swp-demo-") as tmp,
        swp.SQLiteEventStore(Path(tmp) / "demo.sqlite", synchronous="NORMAL") as store,
    ):
        yield store, None


# --------------------------------------------------------------------------- the text report


def render_text(report: Mapping[str, Any], width: int | None = None) -> str:
    """The report a person reads, from the data ``run_demo`` returns (so the two never disagree)."""
    lang = report["lang"]
    zh = lang == "zh"
    width = width or terminal_width()
    out: list[str] = []

    def para(text: str, indent: str = "", subsequent: str | None = None) -> None:
        out.extend(wrap(text, width, indent, subsequent))

    def finding(f: Mapping[str, Any], indent: str) -> None:
        para(
            f"[{f['outcome_name']}] {f['rule_id']}({f['strength_name']}){f['message']}"
            if zh
            else f"[{f['outcome_name']}] {f['rule_id']} ({f['strength_name']}) {f['message']}",
            indent,
            indent + "  ",
        )
        para(("来源:" if zh else "source: ") + f["source_text"], indent + "  ")

    for purchase in report["purchases"]:
        title = purchase["title"] or ""
        heading = (
            f"{purchase['region_name']}:{title}({purchase['case_id']})"
            if zh
            else (f"{purchase['region_name']}: {title} ({purchase['case_id']})")
        )
        out.append("=" * min(width, max(20, text_width(heading))))
        para(heading)
        out.append("=" * min(width, max(20, text_width(heading))))
        para(("看点:" if zh else "What it shows: ") + purchase["headline"], "", "  ")
        if purchase["purchaser"]:
            para(("购买主体:" if zh else "Purchaser: ") + purchase["purchaser"], "", "  ")
        if purchase["sources"]:
            para(("地区规则来源:" if zh else "Regional sources: ") + ("; ".join(purchase["sources"])), "", "  ")
        out.append("")
        for step in purchase["steps"]:
            head = f"{step['on']} {step['action_name']}"
            if step.get("actor"):
                head += (
                    f" · {step['actor']}({step['role_name']})" if zh else f" · {step['actor']} ({step['role_name']})"
                )
            para(head, f"{step['number']:>2}. ", "    ")
            if step.get("summary"):
                para(step["summary"], "    ")
            if step.get("note"):
                para(("说明:" if zh else "Why: ") + step["note"], "    ", "      ")
            _render_outcome(step, para, finding, zh)
            out.append("")
        _render_result(purchase, para, zh, report["store"])
        out.append("")
    store = report["store"]
    if store is None:
        para(
            "存储:临时目录中的 SQLite 文件,运行结束后已删除(用 --store PATH 保留)。"
            if zh
            else "Store: an SQLite file in a temporary directory, removed when the demo ended (--store PATH keeps it)."
        )
    else:
        para(
            f"存储:{store}(查看:swp case history 案件编号 --store {store})"
            if zh
            else f"Store: {store} (look: swp case history CASE-ID --store {store})"
        )
    para(
        f"OCDS 前缀 {report['ocid_prefix']} 为演示用,未向任何人注册;发布时用 --ocid-prefix 给出本机构注册的前缀。"
        if zh
        else f"The OCDS prefix {report['ocid_prefix']} is made up for the demo and registered to no one; "
        "publishers give their own with --ocid-prefix."
    )
    if report["as_expected"]:
        para("全部采购均按预期完成。" if zh else "Every purchase ran as expected.")
    else:
        para("与预期不符:" if zh else "Not as expected:")
        for problem in report["problems"]:
            para(problem, "  - ", "    ")
    return "\n".join(out)


def _render_outcome(step: Mapping[str, Any], para: Any, finding: Any, zh: bool) -> None:
    outcome = step["outcome"]
    label = outcome_name(outcome, "zh" if zh else "en")
    refusal = outcome in (Expect.REFUSED.value, Expect.UNDETERMINED.value)
    if refusal and step["as_expected"]:
        label += "(符合预期)" if zh else " (as expected)"
    line = f"→ {label}"
    if outcome in (Expect.DONE.value, Expect.DONE_UNDETERMINED.value) and step.get("state_name"):
        line += f",状态:{step['state_name']}" if zh else f"; state: {step['state_name']}"
    findings = step.get("findings") or []
    if outcome in (Expect.DONE.value, Expect.DONE_UNDETERMINED.value) and findings:
        counts = Counter(f["outcome_name"] for f in findings)
        listed = ("、" if zh else ", ").join(f"{n} {name_}" for name_, n in counts.items())
        line += f"(规则:{listed})" if zh else f" (rules: {listed})"
    para(line, "    ", "      ")
    if step.get("accepted_undetermined") and outcome == Expect.DONE_UNDETERMINED.value:
        para(
            ("继续的理由:" if zh else "Reason for going ahead: ") + step["accepted_undetermined"], "      ", "        "
        )
    if step.get("message"):
        para(step["message"], "      ", "        ")
    shown = findings
    if not refusal and step.get("kind") == "command":
        # What a reader needs: the rules the demo is about, and what did not pass. A rule that is one
        # side of a conflict is shown by the conflict's line.
        highlighted = set(step.get("highlight") or ())
        sides = {r for c in step.get("conflicts") or () for r in (c["regional"], c["national"])}
        shown = [
            f for f in findings if f["rule_id"] in highlighted or (f["outcome"] != "pass" and f["rule_id"] not in sides)
        ]
    for f in shown:
        finding(f, "      ")
    for c in step.get("conflicts") or []:
        para(f"[{'冲突' if zh else 'conflict'}] {c['message']}", "      ", "        ")
        para(("来源:" if zh else "sources: ") + (";" if zh else "; ").join(c["sources"]), "        ")
    if "fee" in step:
        fee = step["fee"]
        if fee["fee"] is not None:
            amount = _money(Decimal(fee["fee"]), "zh" if zh else "en")
            base = _money(Decimal(fee["base"]), "zh" if zh else "en")
            para(
                (
                    f"评估费用:预留 {amount}(计费基数 {base};{fee['rule_id']},{fee['source_text']})"
                    if zh
                    else f"Evaluation fee: {amount} reserved (base {base}; {fee['rule_id']}, {fee['source_text']})"
                ),
                "      ",
                "        ",
            )
        else:
            para(
                ("评估费用:未规定,不预留。" if zh else "Evaluation fee: not specified, nothing reserved. ")
                + (fee["reason"] or ""),
                "      ",
                "        ",
            )
    if "schedule" in step:
        s = step["schedule"]
        if not s["midterm_required"]:
            text = (
                f"评估日程(本库的排期规则):末期 {s['final']};本地区规则未要求中期评估"
                if zh
                else f"Evaluation schedule (this library's policy): final {s['final']}; the region's rules "
                "require no mid-term evaluation"
            )
        else:
            text = (
                f"评估日程(本库的排期规则):中期 {s['midterm']},末期 {s['final']}"
                if zh
                else f"Evaluation schedule (this library's policy): mid-term {s['midterm']}, final {s['final']}"
            )
        para(
            text,
            "      ",
            "        ",
        )
    if "ranking" in step:
        for r in step["ranking"]:
            met = (";" if zh else "; ").join(f["rule_id"] for f in r["priorities"]) or ("无" if zh else "none")
            para(
                (
                    f"第 {r['rank']} 名:{r['summary']};承接条件:{r['decision_name']};满足的优先规则:{met}"
                    if zh
                    else f"#{r['rank']}: {r['summary']}; conditions: {r['decision_name']}; priorities met: {met}"
                ),
                "      ",
                "        ",
            )
            for f in r["priorities"] + r["not_met"]:
                finding(f, "        ")
    if "comparison" in step:
        c = step["comparison"]
        para(
            (
                f"{c['region_name']}的结论:{c['decision_name']}"
                if zh
                else f"Decision in {c['region_name']}: {c['decision_name']}"
            ),
            "      ",
        )
    if "disclosure" in step:
        d = step["disclosure"]
        items = ("、" if zh else ", ").join(i["name"] for i in d["published"]) or ("无" if zh else "none")
        para(
            (f"已公开({len(d['published'])} 项):{items}" if zh else f"Published ({len(d['published'])}): {items}"),
            "      ",
            "        ",
        )
        for f in d["findings"]:
            finding(f, "      ")
    for problem in step["problems"]:
        para(("[与预期不符] " if zh else "[not as expected] ") + problem, "      ", "        ")


def _render_result(purchase: Mapping[str, Any], para: Any, zh: bool, store: str | None) -> None:
    if purchase["final_state_name"]:
        para(
            f"结果:{purchase['final_state_name']},共 {purchase['version']} 个事件"
            if zh
            else f"Result: {purchase['final_state_name']}, {purchase['version']} events stored"
        )
    ocds = purchase["ocds"]
    if ocds:
        counts = ("、" if zh else ", ").join(
            f"{t['name']}×{t['count']}" if t["count"] > 1 else t["name"] for t in ocds["tag_counts"]
        )
        para(
            (
                f"OCDS 发布包:ocid {ocds['ocid']},{ocds['releases']} 个发布({counts})"
                if zh
                else f"OCDS release package: ocid {ocds['ocid']}, {ocds['releases']} releases ({counts})"
            ),
            "",
            "  ",
        )
        if store is not None:
            command = f"swp case ocds {purchase['case_id']} --store {store} --ocid-prefix {ocds['ocid_prefix']}"
            para(("全文:" if zh else "The whole package: ") + command, "  ", "    ")
    para(
        ("符合预期。" if zh else "As expected.")
        if purchase["as_expected"]
        else ("与预期不符。" if zh else "Not as expected.")
    )


# --------------------------------------------------------------------------- the command


def cmd_demo(args: argparse.Namespace) -> int:
    registry = registry_from(args)
    report = run_demo(lang=args.lang, store_path=args.store, ocid_prefix=args.ocid_prefix, registry=registry)
    if args.format == "json":
        dump(report, sys.stdout)
    else:
        print(render_text(report))
    if report["as_expected"]:
        return EXIT_OK
    for problem in report["problems"]:
        print(f"swp: demo: {problem}", file=sys.stderr)
    return EXIT_INELIGIBLE


def add_commands(sub: SubParsers) -> None:
    """Add ``swp demo`` to the ``swp`` parser."""
    p = sub.add_parser(
        "demo",
        help="run three example purchases (Xiamen, Henan, Ningxia) end to end and report them",
        description="Drive three realistic purchases, one per region, on an SQLite store in a temporary "
        "directory, and report each step. Exit 0: every purchase ran as the demo expects; 1: one did not "
        "(the message names the step); 4: an environment error.",
    )
    p.add_argument("--store", default=None, help="keep the SQLite store at this path (default: a temporary one)")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument(
        "--ocid-prefix",
        default=DEMO_OCID_PREFIX,
        type=_prefix_arg,
        help=f"OCDS prefix for the Xiamen release package (default: {DEMO_OCID_PREFIX}, made up for the demo)",
    )
    p.set_defaults(func=cmd_demo)


def _prefix_arg(text: str) -> str:
    try:
        return swp.validate_ocid_prefix(text)
    except swp.InvalidOcidPrefix as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
