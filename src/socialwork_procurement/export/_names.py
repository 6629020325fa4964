"""Chinese and English names of the values people read: legal forms, methods, states, roles, outcomes.

Text output never shows an identifier such as ``private_non_enterprise_unit`` inside a Chinese
sentence: it shows 民办非企业单位 (and «private non-enterprise unit» in English). The Chinese names
follow the glossary of ``shared/domain/RULES.md`` (section C) and the sources' own words; where
the sources use several (承接主体 / 承接方 / 承接对象) the first is used.

``name(value, lang)`` gives one name; :func:`localize_identifiers` replaces the identifiers that
texts from elsewhere (a pack's finding details) still carry. Every member of every enumeration
in :data:`NAMES` has both names (a test checks it).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from functools import cache
from typing import Final

from ..lifecycle._machine import Action, Role, State
from ..model._types import (
    AdminLevel,
    ContractTerm,
    DisclosureItem,
    EvaluationGrade,
    EvaluationResult,
    EvaluationStage,
    EvaluatorRole,
    LegalForm,
    ProcurementMethod,
    PublicInstitutionCategory,
    PurchaseForm,
    PurchaserKind,
    ServiceDomain,
    Staffing,
    TargetGroup,
)
from ..rules._rules import Basis, Decision, Outcome, SilenceKind, Strength, Subject

__all__ = ["NAMES", "OCDS_TAGS", "localize_identifiers", "name", "ocds_tag_name"]

_Table = Mapping[enum.Enum, tuple[str, str]]

NAMES: Final[Mapping[type[enum.Enum], _Table]] = {
    PurchaserKind: {
        PurchaserKind.PEOPLES_GOVERNMENT: ("人民政府", "people's government"),
        PurchaserKind.STREET_OFFICE: ("街道办事处", "street office"),
        PurchaserKind.GOVERNMENT_ORGAN: ("政府机关", "government organ"),
        PurchaserKind.ADMINISTRATIVE_DEPARTMENT: ("行政部门", "administrative department"),
        PurchaserKind.DISPATCHED_OR_AUTHORISED_BODY: ("派出、授权机构", "dispatched or authorised body"),
        PurchaserKind.PUBLIC_INSTITUTION: ("事业单位", "public institution"),
        PurchaserKind.MASS_ORGANIZATION: ("群团组织", "mass organisation"),
        PurchaserKind.ENTERPRISE: ("企业", "enterprise"),
        PurchaserKind.OTHER: ("其他", "other"),
    },
    AdminLevel: {
        AdminLevel.NATIONAL: ("国家级", "national"),
        AdminLevel.PROVINCIAL: ("省级", "provincial"),
        AdminLevel.CITY: ("市级", "city"),
        AdminLevel.DISTRICT: ("区(县)级", "district or county"),
        AdminLevel.TOWN: ("乡镇级", "town or township"),
        AdminLevel.STREET: ("街道级", "sub-district"),
    },
    PublicInstitutionCategory: {
        PublicInstitutionCategory.ADMINISTRATIVE: (
            "承担行政职能的事业单位",
            "institution with administrative functions",
        ),
        PublicInstitutionCategory.CATEGORY_1: ("公益一类事业单位", "category-1 public-welfare institution"),
        PublicInstitutionCategory.CATEGORY_2: ("公益二类事业单位", "category-2 public-welfare institution"),
        PublicInstitutionCategory.BUSINESS: ("从事生产经营活动的事业单位", "institution in business activities"),
    },
    Staffing: {
        Staffing.ADMINISTRATIVE: ("行政编制", "administrative establishment"),
        Staffing.INSTITUTIONAL: ("事业编制", "public-institution establishment"),
        Staffing.NONE: ("无编制", "no public establishment"),
    },
    LegalForm: {
        LegalForm.SOCIAL_GROUP: ("社会团体", "social group"),
        LegalForm.PRIVATE_NON_ENTERPRISE_UNIT: ("民办非企业单位", "private non-enterprise unit"),
        LegalForm.FOUNDATION: ("基金会", "foundation"),
        LegalForm.ENTERPRISE: ("企业", "enterprise"),
        LegalForm.PUBLIC_INSTITUTION: ("事业单位", "public institution"),
        LegalForm.MASS_ORGANIZATION: ("群团组织", "mass organisation"),
        LegalForm.RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION: (
            "农村集体经济组织",
            "rural collective economic organisation",
        ),
        LegalForm.GRASSROOTS_SELF_GOVERNING_ORGANIZATION: (
            "基层群众性自治组织",
            "grassroots self-governing organisation",
        ),
        LegalForm.INDIVIDUAL: ("个人", "individual"),
        LegalForm.OTHER: ("其他", "other"),
    },
    EvaluationGrade: {
        EvaluationGrade.A1: ("1A级", "1A"),
        EvaluationGrade.A2: ("2A级", "2A"),
        EvaluationGrade.A3: ("3A级", "3A"),
        EvaluationGrade.A4: ("4A级", "4A"),
        EvaluationGrade.A5: ("5A级", "5A"),
    },
    PurchaseForm: {
        PurchaseForm.POST: ("购买社会工作服务岗位", "post purchase"),
        PurchaseForm.COMPREHENSIVE_PROJECT: ("综合性服务项目", "comprehensive project"),
        PurchaseForm.SPECIALISED_PROJECT: ("专项服务项目", "specialised project"),
    },
    ProcurementMethod: {
        ProcurementMethod.OPEN_TENDER: ("公开招标", "open tender"),
        ProcurementMethod.INVITED_TENDER: ("邀请招标", "invited tender"),
        ProcurementMethod.COMPETITIVE_NEGOTIATION: ("竞争性谈判", "competitive negotiation"),
        ProcurementMethod.COMPETITIVE_CONSULTATION: ("竞争性磋商", "competitive consultation"),
        ProcurementMethod.SINGLE_SOURCE: ("单一来源采购", "single-source procurement"),
        ProcurementMethod.REQUEST_FOR_QUOTATION: ("询价", "request for quotation"),
        ProcurementMethod.OTHER: ("其他采购方式", "another method"),
    },
    ContractTerm: {
        ContractTerm.SUBJECT_MATTER: ("标的", "subject matter"),
        ContractTerm.SCOPE: ("范围", "scope"),
        ContractTerm.QUANTITY: ("数量", "quantity"),
        ContractTerm.QUALITY: ("质量", "quality"),
        ContractTerm.SERVICE_PERIOD: ("服务期限", "service period"),
        ContractTerm.PRICE: ("价格", "price"),
        ContractTerm.PAYMENT_METHOD: ("资金支付方式", "payment method"),
        ContractTerm.RIGHTS_AND_OBLIGATIONS: ("权利义务", "rights and obligations"),
        ContractTerm.BREACH_LIABILITY: ("违约责任", "liability for breach"),
        ContractTerm.DISPUTE_RESOLUTION: ("解决争议", "dispute resolution"),
    },
    ServiceDomain: {
        ServiceDomain.SOCIAL_ASSISTANCE: ("社会救助", "social assistance"),
        ServiceDomain.ELDERLY_CARE: ("养老服务", "elderly care"),
        ServiceDomain.CHILD_WELFARE: ("儿童福利", "child welfare"),
        ServiceDomain.SOCIAL_AFFAIRS: ("社会事务", "social affairs"),
        ServiceDomain.CHARITY_AND_VOLUNTEERING: ("慈善志愿服务", "charity and volunteering"),
        ServiceDomain.COMMUNITY_CORRECTIONS: ("社区矫正", "community corrections"),
        ServiceDomain.YOUTH: ("青少年服务", "youth services"),
        ServiceDomain.FAMILY: ("家庭服务", "family services"),
        ServiceDomain.DISABILITY: ("残疾人服务", "disability services"),
        ServiceDomain.HEALTH: ("卫生健康", "health"),
        ServiceDomain.COMMUNITY: ("社区服务", "community services"),
        ServiceDomain.DISASTER_RELIEF: ("防灾减灾救灾", "disaster relief"),
        ServiceDomain.OTHER: ("其他", "other"),
    },
    TargetGroup: {
        TargetGroup.URBAN_MIGRANTS: ("城市流动人口", "urban migrants"),
        TargetGroup.RURAL_LEFT_BEHIND: ("农村留守人员", "rural left-behind people"),
        TargetGroup.PEOPLE_IN_DIFFICULTY: ("困难群体", "people in difficulty"),
        TargetGroup.SPECIAL_GROUPS: ("特殊人群", "special groups"),
        TargetGroup.DISASTER_VICTIMS: ("受灾群众", "disaster victims"),
        TargetGroup.SUBSISTENCE_ALLOWANCE_RECIPIENTS: ("低保对象", "subsistence-allowance recipients"),
        TargetGroup.EXTREME_POVERTY: ("城乡特困人员", "people in extreme poverty"),
        TargetGroup.OLDER_PEOPLE: ("老年人", "older people"),
        TargetGroup.ORPHANS: ("孤儿", "orphans"),
        TargetGroup.LEFT_BEHIND_CHILDREN: ("留守儿童", "left-behind children"),
        TargetGroup.CHILDREN_IN_DIFFICULTY: ("困境儿童", "children in difficulty"),
        TargetGroup.PEOPLE_WITH_DISABILITIES: ("残疾人", "people with disabilities"),
        TargetGroup.PEOPLE_WITH_MENTAL_DISORDERS: ("精神障碍患者", "people with mental disorders"),
        TargetGroup.TROUBLED_YOUTH: ("问题青少年", "troubled youth"),
        TargetGroup.FOSTER_ORPHANS: ("寄养孤儿", "foster orphans"),
        TargetGroup.COMMUNITY_CORRECTIONS_SUBJECTS: ("社区服刑人员", "people serving community sentences"),
        TargetGroup.RELEASED_PRISONERS: ("刑满释放人员", "released prisoners"),
        TargetGroup.SINGLE_PARENT_FAMILIES: ("单亲家庭", "single-parent families"),
        TargetGroup.BEREAVED_ONLY_CHILD_FAMILIES: ("失独家庭", "families who lost their only child"),
        TargetGroup.ELDERLY_LIVING_ALONE: ("孤寡空巢老人", "older people living alone"),
        TargetGroup.OTHER: ("其他", "other"),
    },
    EvaluationStage: {
        EvaluationStage.MIDTERM: ("中期评估", "mid-term evaluation"),
        EvaluationStage.FINAL: ("末期评估", "final evaluation"),
    },
    EvaluatorRole: {
        EvaluatorRole.PURCHASER: ("购买主体", "purchaser"),
        EvaluatorRole.SERVICE_RECIPIENT: ("服务对象", "service recipients"),
        EvaluatorRole.THIRD_PARTY: ("第三方", "third party"),
    },
    EvaluationResult: {
        EvaluationResult.EXCELLENT: ("优秀", "excellent"),
        EvaluationResult.GOOD: ("良好", "good"),
        EvaluationResult.PASS: ("合格", "pass"),
        EvaluationResult.FAIL: ("不合格", "fail"),
    },
    DisclosureItem: {
        DisclosureItem.PROJECT_CONTENT: ("项目内容", "project content"),
        DisclosureItem.SERVICE_STANDARDS: ("服务标准", "service standards"),
        DisclosureItem.SERVICE_REQUIREMENTS: ("服务要求", "service requirements"),
        DisclosureItem.SERVICE_CONTENT: ("服务内容", "service content"),
        DisclosureItem.BUDGET: ("预算安排", "budget"),
        DisclosureItem.PURCHASE_PROCEDURE: ("购买程序", "purchase procedure"),
        DisclosureItem.EVALUATION_STANDARDS: ("绩效评价标准", "evaluation standards"),
        DisclosureItem.EVALUATION_RESULTS: ("绩效评价结果", "evaluation results"),
        DisclosureItem.CONTRACT: ("购买服务合同", "the contract"),
        DisclosureItem.ANNUAL_CATALOGUE: ("年度事项目录", "annual catalogue"),
    },
    State: {
        State.DRAFT: ("已立项", "draft"),
        State.NEEDS_ASSESSED: ("已完成需求评估", "needs assessed"),
        State.BUDGETED: ("已编制预算", "budgeted"),
        State.TENDERING: ("采购中", "tendering"),
        State.TENDER_FAILED: ("流标", "tender failed"),
        State.AWARDED: ("已确定承接主体", "awarded"),
        State.CONTRACTED: ("已签订合同", "contracted"),
        State.IN_SERVICE: ("服务中", "in service"),
        State.MIDTERM_EVALUATED: ("已中期评估", "mid-term evaluated"),
        State.FINAL_EVALUATED: ("已末期评估", "final evaluated"),
        State.ACCEPTED: ("已结项验收", "accepted"),
        State.CLOSED: ("已办结", "closed"),
        State.CANCELLED: ("已取消", "cancelled"),
        State.TERMINATED: ("已解除合同", "terminated"),
    },
    Action: {
        Action.OPEN: ("立项", "open the case"),
        Action.ASSESS_NEEDS: ("需求摸底", "assess the needs"),
        Action.APPROVE_BUDGET: ("编制预算", "approve the budget"),
        Action.START_TENDER: ("组织采购", "start the tender"),
        Action.FAIL_TENDER: ("流标", "fail the tender"),
        Action.AWARD: ("确定承接主体", "award"),
        Action.SIGN_CONTRACT: ("签订合同", "sign the contract"),
        Action.START_SERVICE: ("开始服务", "start the service"),
        Action.RECORD_MIDTERM_EVALUATION: ("中期评估", "mid-term evaluation"),
        Action.RECORD_FINAL_EVALUATION: ("末期评估", "final evaluation"),
        Action.ACCEPT: ("结项验收", "final acceptance"),
        Action.CLOSE: ("办结", "close"),
        Action.CANCEL: ("取消", "cancel"),
        Action.TERMINATE: ("解除合同", "terminate"),
        Action.RECORD_DISCLOSURE: ("信息公开", "disclosure"),
    },
    Role: {
        Role.PURCHASER: ("购买主体", "purchaser"),
        Role.CONTRACTOR: ("承接主体", "contractor"),
        Role.THIRD_PARTY: ("第三方", "third party"),
        Role.CIVIL_AFFAIRS: ("民政部门", "civil-affairs department"),
        Role.FINANCE: ("财政部门", "finance department"),
    },
    Outcome: {
        Outcome.PASS: ("通过", "pass"),
        Outcome.FAIL: ("不通过", "fail"),
        Outcome.UNKNOWN: ("未知", "unknown"),
        Outcome.NOT_APPLICABLE: ("不适用", "not applicable"),
    },
    Decision: {
        Decision.ELIGIBLE: ("符合", "eligible"),
        Decision.INELIGIBLE: ("不符合", "ineligible"),
        Decision.UNDETERMINED: ("无法确定", "undetermined"),
    },
    Strength: {
        Strength.HARD: ("硬性", "hard"),
        Strength.HARD_DEFAULT: ("原则上", "in principle"),
        Strength.SOFT: ("优先", "soft"),
        Strength.INFO: ("信息", "info"),
    },
    Subject: {
        Subject.PURCHASER: ("购买主体", "purchaser"),
        Subject.CONTRACTOR: ("承接主体", "contractor"),
        Subject.CONTRACT: ("购买服务合同", "contract"),
        Subject.PLANNING: ("项目规划与预算", "planning and budget"),
        Subject.EVALUATION: ("绩效评价", "evaluation"),
        Subject.DISCLOSURE: ("信息公开", "disclosure"),
        Subject.PROGRAMME: ("购买服务工作整体", "the purchasing programme"),
    },
    Basis: {
        Basis.SOURCE: ("来源规定", "stated by a source"),
        Basis.LIBRARY_POLICY: ("本库规则,来源未规定", "library policy"),
    },
    SilenceKind: {
        SilenceKind.SOURCES_SILENT: ("未规定", "silent"),
        SilenceKind.NOT_ENCODED: ("未核查", "not checked"),
    },
}
"""``{enumeration: {member: (Chinese name, English name)}}``."""

OCDS_TAGS: Final[Mapping[str, tuple[str, str]]] = {
    "planning": ("计划", "planning"),
    "planningUpdate": ("计划更新", "planning update"),
    "tender": ("招标", "tender"),
    "tenderUpdate": ("招标更新", "tender update"),
    "tenderCancellation": ("招标取消", "tender cancellation"),
    "award": ("授予", "award"),
    "awardCancellation": ("授予取消", "award cancellation"),
    "contract": ("合同", "contract"),
    "implementation": ("履约", "implementation"),
    "contractTermination": ("合同终止", "contract termination"),
}
"""Names of the OCDS ``releaseTag`` codes the export writes (``export._ocds``)."""


def name(value: enum.Enum, lang: str) -> str:
    """The Chinese (``lang="zh"``) or English name of ``value``.

    Raises ``KeyError`` for a value no table names (a new member needs its names here).
    """
    zh, en = NAMES[type(value)][value]
    return zh if lang == "zh" else en


def ocds_tag_name(tag: str, lang: str) -> str:
    """The name of an OCDS release tag; an unknown tag is shown as the code itself."""
    names = OCDS_TAGS.get(tag)
    if names is None:
        return tag
    return names[0] if lang == "zh" else names[1]


_FACT_ENUMS: Final = frozenset(
    {
        PurchaserKind,
        LegalForm,
        PublicInstitutionCategory,
        Staffing,
        ProcurementMethod,
        PurchaseForm,
        ContractTerm,
        DisclosureItem,
        EvaluatorRole,
        ServiceDomain,
        TargetGroup,
        EvaluationGrade,
    }
)


@cache
def _replacements(lang: str) -> tuple[re.Pattern[str], dict[str, str]]:
    """Identifier -> name, for the identifiers that mean one thing wherever they occur.

    A value two enumerations name differently (``administrative``: 行政编制 or 承担行政职能的事业单位)
    is left alone: the text does not say which is meant. In English only identifiers with an
    underscore are replaced: a plain word (``enterprise``) already reads as English.
    """
    seen: dict[str, set[str]] = {}
    for kind, table in NAMES.items():
        for member, names in table.items():
            value = str(member.value)
            if re.fullmatch(r"[a-z][a-z0-9_]*", value) is None and kind is not EvaluationGrade:
                continue
            # A plain word is taken for an identifier only where it names a fact of a case
            # (``enterprise``); ``open`` or ``pass`` in a text may be just English.
            if "_" not in value and (lang != "zh" or kind not in _FACT_ENUMS):
                continue
            seen.setdefault(value, set()).add(names[0] if lang == "zh" else names[1])
    mapping = {value: next(iter(found)) for value, found in seen.items() if len(found) == 1}
    # Longest first, so «public_institution_category_1» wins over «public_institution».
    alternatives = "|".join(re.escape(v) for v in sorted(mapping, key=len, reverse=True))
    # Not inside a longer identifier, a rule id (xiamen.contractor.org_type), a path or a file name.
    pattern = re.compile(rf"(?<![A-Za-z0-9_.$/-])(?:{alternatives})(?![A-Za-z0-9_]|\.[A-Za-z0-9_])")
    return pattern, mapping


def localize_identifiers(text: str, lang: str) -> str:
    """``text`` with the enumeration identifiers it contains replaced by their names in ``lang``.

    For texts this library does not write itself (a pack's finding detail such as
    «enterprise 不属于国家机关»): ``"enterprise"`` becomes 企业 under ``zh``. The spacing is kept as
    the text has it. Rule ids, JSON paths and file names are left as they are.
    """
    pattern, mapping = _replacements("zh" if lang == "zh" else "en")
    return pattern.sub(lambda m: mapping[m.group(0)], text)
