"""Domain types: purchaser (购买主体), contractor (承接主体), contract, evaluation, the case.

Every type is a frozen, slotted attrs class validated when it is built. A fact the caller does
not know is ``None``; rules that need it report ``unknown`` rather than guessing. Identifiers
follow the glossary of ``shared/domain/RULES.md`` (section C).
"""

from __future__ import annotations

import enum
import re
from datetime import date
from decimal import Decimal

import attrs
from attrs import validators as v

from ._money import money_validator


class PurchaserKind(enum.StrEnum):
    """What kind of body a purchaser is (glossary 8-19)."""

    PEOPLES_GOVERNMENT = "peoples_government"
    """A people's government at some level (市、区、镇三级政府; 各级政府)."""
    STREET_OFFICE = "street_office"
    """街道 (sub-district office), a dispatched body of a district government."""
    GOVERNMENT_ORGAN = "government_organ"
    """政府机关: an organ of government other than those below."""
    ADMINISTRATIVE_DEPARTMENT = "administrative_department"
    """行政部门: a department of a government (民政局, 司法局 …)."""
    DISPATCHED_OR_AUTHORISED_BODY = "dispatched_or_authorised_body"
    """派出、授权机构."""
    PUBLIC_INSTITUTION = "public_institution"
    """事业单位; its category is a separate fact (:class:`PublicInstitutionCategory`)."""
    MASS_ORGANIZATION = "mass_organization"
    """群团组织 (trade union, Youth League, women's federation …); staffing and funding separate."""
    ENTERPRISE = "enterprise"
    """企业."""
    OTHER = "other"


class AdminLevel(enum.StrEnum):
    """Administrative level of a purchaser."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"
    DISTRICT = "district"
    """District or county (区、县)."""
    TOWN = "town"
    """Town or township (镇、乡)."""
    STREET = "street"
    """Street / sub-district (街道)."""


class PublicInstitutionCategory(enum.StrEnum):
    """Class of a public institution (事业单位) under the 2011 reform (RULES.md B.8).

    Not encoded in the USCC: it must be declared.
    """

    ADMINISTRATIVE = "administrative"
    """承担行政职能的事业单位."""
    CATEGORY_1 = "public_institution_category_1"
    """公益一类: basic public services the market cannot provide."""
    CATEGORY_2 = "public_institution_category_2"
    """公益二类: public services partly market-provided."""
    BUSINESS = "business_public_institution"
    """从事生产经营活动的事业单位."""


class Staffing(enum.StrEnum):
    """Which establishment (编制) a body's staff belong to."""

    ADMINISTRATIVE = "administrative"
    """行政编制."""
    INSTITUTIONAL = "institutional"
    """事业编制."""
    NONE = "none"
    """No public establishment."""


class LegalForm(enum.StrEnum):
    """Legal form of a contractor (glossary 19-29)."""

    SOCIAL_GROUP = "social_group"
    """社会团体 (USCC type 51)."""
    PRIVATE_NON_ENTERPRISE_UNIT = "private_non_enterprise_unit"
    """民办非企业单位 / 社会服务机构 (USCC type 52)."""
    FOUNDATION = "foundation"
    """基金会 (USCC type 53)."""
    ENTERPRISE = "enterprise"
    """企业 (USCC type 91)."""
    PUBLIC_INSTITUTION = "public_institution"
    """事业单位 (USCC type 12); category declared separately."""
    MASS_ORGANIZATION = "mass_organization"
    """群团组织."""
    RURAL_COLLECTIVE_ECONOMIC_ORGANIZATION = "rural_collective_economic_organization"
    """农村集体经济组织 (USCC N1-N3)."""
    GRASSROOTS_SELF_GOVERNING_ORGANIZATION = "grassroots_self_governing_organization"
    """基层群众性自治组织 (village and residents' committees)."""
    INDIVIDUAL = "individual"
    """A natural person (具备条件的个人)."""
    OTHER = "other"


SOCIAL_ORGANIZATION_FORMS = frozenset(
    {LegalForm.SOCIAL_GROUP, LegalForm.PRIVATE_NON_ENTERPRISE_UNIT, LegalForm.FOUNDATION}
)
"""社会组织: the three registered forms (glossary 20)."""


class EvaluationGrade(enum.StrEnum):
    """Social-organisation evaluation grade (社会组织评估等级), 民政部令第39号: 5A … 1A."""

    A1 = "A1"
    A2 = "A2"
    A3 = "A3"
    A4 = "A4"
    A5 = "A5"

    @property
    def stars(self) -> int:
        """How many A's: ``A3`` -> 3."""
        return int(self.value[1])


class SocialWorkerLevel(enum.StrEnum):
    """Vocational level of a certified social worker (社会工作者职业水平, RULES.md B.7)."""

    ASSISTANT = "assistant_social_worker"
    """助理社会工作师 (初级)."""
    INTERMEDIATE = "social_worker"
    """社会工作师 (中级)."""
    SENIOR = "senior_social_worker"
    """高级社会工作师."""


class PurchaseForm(enum.StrEnum):
    """What is bought (glossary 42-43)."""

    POST = "post_purchase"
    """购买社会工作服务岗位."""
    COMPREHENSIVE_PROJECT = "comprehensive_project"
    """综合性服务项目."""
    SPECIALISED_PROJECT = "specialised_project"
    """专项服务项目."""


class ProcurementMethod(enum.StrEnum):
    """Government-procurement method (政府采购法 art. 26; 财库〔2014〕214号)."""

    OPEN_TENDER = "open_tender"
    INVITED_TENDER = "invited_tender"
    COMPETITIVE_NEGOTIATION = "competitive_negotiation"
    COMPETITIVE_CONSULTATION = "competitive_consultation"
    SINGLE_SOURCE = "single_source"
    REQUEST_FOR_QUOTATION = "request_for_quotation"
    OTHER = "other"


class ContractTerm(enum.StrEnum):
    """A clause a purchase contract states (glossary 56-59; 102号令 art. 23)."""

    SUBJECT_MATTER = "subject_matter"
    """标的: the subject matter of the service. Ningxia's 「标的」 and the decree's 「服务的内容」 name
    the same term (RULES.md A.8), so either this or :attr:`SCOPE` states the decree's content."""
    SCOPE = "scope"
    """范围 / 服务内容 (Xiamen's 「范围」)."""
    QUANTITY = "quantity"
    QUALITY = "quality"
    SERVICE_PERIOD = "service_period"
    """服务期限."""
    PRICE = "price"
    PAYMENT_METHOD = "payment_method"
    """资金支付方式 / 资金结算方式."""
    RIGHTS_AND_OBLIGATIONS = "rights_and_obligations"
    BREACH_LIABILITY = "breach_liability"
    """违约责任."""
    DISPUTE_RESOLUTION = "dispute_resolution"
    """解决争议."""


class ServiceDomain(enum.StrEnum):
    """Field a service belongs to (Ningxia's five fields; Xiamen's pilot departments)."""

    SOCIAL_ASSISTANCE = "social_assistance"
    ELDERLY_CARE = "elderly_care"
    CHILD_WELFARE = "child_welfare"
    SOCIAL_AFFAIRS = "social_affairs"
    CHARITY_AND_VOLUNTEERING = "charity_and_volunteering"
    COMMUNITY_CORRECTIONS = "community_corrections"
    YOUTH = "youth"
    FAMILY = "family"
    DISABILITY = "disability"
    HEALTH = "health"
    COMMUNITY = "community"
    DISASTER_RELIEF = "disaster_relief"
    OTHER = "other"


class TargetGroup(enum.StrEnum):
    """Groups the sources name as service recipients (glossary 77-78, seed 003)."""

    URBAN_MIGRANTS = "urban_migrants"
    RURAL_LEFT_BEHIND = "rural_left_behind"
    PEOPLE_IN_DIFFICULTY = "people_in_difficulty"
    SPECIAL_GROUPS = "special_groups"
    DISASTER_VICTIMS = "disaster_victims"
    SUBSISTENCE_ALLOWANCE_RECIPIENTS = "subsistence_allowance_recipient"
    EXTREME_POVERTY = "extreme_poverty_person"
    OLDER_PEOPLE = "older_people"
    ORPHANS = "orphans"
    LEFT_BEHIND_CHILDREN = "left_behind_children"
    CHILDREN_IN_DIFFICULTY = "child_in_difficulty"
    PEOPLE_WITH_DISABILITIES = "people_with_disabilities"
    PEOPLE_WITH_MENTAL_DISORDERS = "person_with_mental_disorder"
    TROUBLED_YOUTH = "troubled_youth"
    FOSTER_ORPHANS = "foster_orphans"
    COMMUNITY_CORRECTIONS_SUBJECTS = "community_corrections_subjects"
    RELEASED_PRISONERS = "released_prisoners"
    SINGLE_PARENT_FAMILIES = "single_parent_families"
    BEREAVED_ONLY_CHILD_FAMILIES = "bereaved_only_child_families"
    ELDERLY_LIVING_ALONE = "elderly_living_alone"
    OTHER = "other"


class EvaluationStage(enum.StrEnum):
    """When an evaluation happens in the service period (glossary 63-64)."""

    MIDTERM = "midterm_evaluation"
    FINAL = "final_evaluation"


class EvaluatorRole(enum.StrEnum):
    """Who evaluates (tripartite: purchaser, service recipients, third party)."""

    PURCHASER = "purchaser"
    SERVICE_RECIPIENT = "service_recipient"
    THIRD_PARTY = "third_party"


class EvaluationResult(enum.StrEnum):
    """Outcome an evaluation reports."""

    EXCELLENT = "excellent"
    GOOD = "good"
    PASS = "pass"
    FAIL = "fail"

    @property
    def passed(self) -> bool:
        """Every result but ``fail`` passes."""
        return self is not EvaluationResult.FAIL


class DisclosureItem(enum.StrEnum):
    """Information published to the public (信息公开); Ningxia lists eight items."""

    PROJECT_CONTENT = "project_content"
    SERVICE_STANDARDS = "service_standards"
    SERVICE_REQUIREMENTS = "service_requirements"
    SERVICE_CONTENT = "service_content"
    BUDGET = "budget"
    PURCHASE_PROCEDURE = "purchase_procedure"
    EVALUATION_STANDARDS = "evaluation_standards"
    EVALUATION_RESULTS = "evaluation_results"
    CONTRACT = "contract"
    ANNUAL_CATALOGUE = "annual_catalogue"


class NegativeListItem(enum.StrEnum):
    """A matter that is not a purchase of services (政府购买服务负面清单, 102号令 art. 10; RULES.md B.1).

    Item (五) of the article names three matters; they are separate members here because a post
    purchase (岗位购买) must be told apart from each of them.
    """

    OUTSIDE_GOVERNMENT_DUTIES = "outside_government_duties"
    """(一) 不属于政府职责范围的服务事项."""
    DIRECT_GOVERNMENT_DUTY = "direct_government_duty"
    """(二) 应当由政府直接履职的事项."""
    GOODS_OR_WORKS = "goods_or_works"
    """(三) 货物和工程, and projects bundling works with services."""
    FINANCING = "financing"
    """(四) 融资行为."""
    STAFF_HIRING = "staff_hiring"
    """(五) the purchaser's own recruitment and hiring (购买主体的人员招、聘用)."""
    LABOUR_DISPATCH = "labour_dispatch"
    """(五) employment by labour dispatch (以劳务派遣方式用工)."""
    PUBLIC_WELFARE_POSTS = "public_welfare_posts"
    """(五) setting up public-welfare posts (设置公益性岗位)."""
    OTHER_PROHIBITED_BY_LAW = "other_prohibited_by_law"
    """(六) other matters that laws, administrative regulations or the State Council exclude."""


_CONDITION_KEY = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def _non_empty(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not value.strip():
        raise ValueError(f"{attribute.name} must not be empty")


def _optional_count(_inst: object, attribute: attrs.Attribute[int | None], value: int | None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{attribute.name} must be a whole number, not {type(value).__name__}")
    if value < 0:
        raise ValueError(f"{attribute.name} must not be negative: {value}")


_opt_bool = v.optional(v.instance_of(bool))
_opt_date = v.optional(v.instance_of(date))
_opt_str = v.optional(v.instance_of(str))


def _frozenset_of(kind: type) -> v._DeepIterable:  # type: ignore[name-defined]
    return v.deep_iterable(v.instance_of(kind), v.instance_of(frozenset))


def _uscc_converter(value: object) -> object:
    # Normalise (NFKC, spaces, hyphens, upper case) but keep non-strings for the validator.
    if isinstance(value, str):
        from ._uscc import normalize_uscc

        return normalize_uscc(value)
    return value


def _uscc_validator(_inst: object, _attribute: attrs.Attribute[str | None], value: str | None) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        raise TypeError(f"uscc must be a string, not {type(value).__name__}")
    from ._uscc import check_normalized_uscc

    # attrs runs the converter (_uscc_converter: normalize_uscc) before this validator, so the
    # value is normalised: parse_uscc's checks, without its Uscc object and warnings (issue 10).
    check_normalized_uscc(value)


@attrs.frozen
class CertifiedStaff:
    """Certified social workers (持证社会工作专业人才) on staff, by vocational level."""

    assistant_social_worker: int | None = attrs.field(default=None, validator=_optional_count)
    social_worker: int | None = attrs.field(default=None, validator=_optional_count)
    senior_social_worker: int | None = attrs.field(default=None, validator=_optional_count)

    @property
    def total(self) -> int | None:
        """All certified staff, or ``None`` if any level is unknown."""
        counts = (self.assistant_social_worker, self.social_worker, self.senior_social_worker)
        if any(c is None for c in counts):
            return None
        return sum(c for c in counts if c is not None)


@attrs.frozen
class Staff:
    """Who works for a contractor. Counts are people; ``None`` is unknown."""

    full_time: int | None = attrs.field(default=None, validator=_optional_count)
    """专职人员."""
    social_work_professionals: int | None = attrs.field(default=None, validator=_optional_count)
    """社会工作专业人才 among all staff."""
    certified: CertifiedStaff | None = attrs.field(default=None, validator=v.optional(v.instance_of(CertifiedStaff)))
    professional_team: bool | None = attrs.field(default=None, validator=_opt_bool)
    """Declared: a team able to apply social-work knowledge, methods and skills (专业团队)."""
    mainly_social_work_professionals: bool | None = attrs.field(default=None, validator=_opt_bool)
    """Declared: staff are mainly social-work professionals (以社会工作专业人才为主体).

    The sources give no numeric share, so this is a declared fact, never computed from counts.
    """


@attrs.frozen
class Governance:
    """Declared governance facts (Xiamen: 内部治理结构、规章制度、社会公信力 …)."""

    internal_governance: bool | None = attrs.field(default=None, validator=_opt_bool)
    bylaws: bool | None = attrs.field(default=None, validator=_opt_bool)
    public_credibility: bool | None = attrs.field(default=None, validator=_opt_bool)
    operating_capacity: bool | None = attrs.field(default=None, validator=_opt_bool)
    professional_service_capacity: bool | None = attrs.field(default=None, validator=_opt_bool)


@attrs.frozen
class Purchaser:
    """The body that buys the service (购买主体)."""

    name: str = attrs.field(validator=[v.instance_of(str), _non_empty])
    kind: PurchaserKind = attrs.field(validator=v.instance_of(PurchaserKind))
    level: AdminLevel | None = attrs.field(default=None, validator=v.optional(v.instance_of(AdminLevel)))
    region: str | None = attrs.field(default=None, validator=_opt_str)
    """Where it sits: a place name or GB/T 2260 division code, as the app knows it."""
    budget_funded: bool | None = attrs.field(default=None, validator=_opt_bool)
    """Funded by the budget (经费由财政负担 / 享受财政供给 / 财政拨款保障)."""
    state_owned_funded: bool | None = attrs.field(default=None, validator=_opt_bool)
    """Set up with state-owned funds (利用国有资金举办), for enterprises and institutions."""
    public_service_duties: bool | None = attrs.field(default=None, validator=_opt_bool)
    """承担公共服务职责 (administrative departments, Xiamen)."""
    public_institution_category: PublicInstitutionCategory | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(PublicInstitutionCategory))
    )
    civil_service_managed: bool | None = attrs.field(default=None, validator=_opt_bool)
    """参照公务员法管理 (a public institution managed under the Civil Servant Law). Xiamen admits
    such institutions with administrative functions as purchasers (国办发〔2013〕96号 wording); the
    national layer (102号令 art. 5: state organs) never fails one, because whether they purchase
    under the decree by analogy is not in the verified catalogue."""
    staffing: Staffing | None = attrs.field(default=None, validator=v.optional(v.instance_of(Staffing)))
    uscc: str | None = attrs.field(default=None, converter=_uscc_converter, validator=_uscc_validator)


@attrs.frozen
class Contractor:
    """The organisation or person that delivers the service (承接主体)."""

    name: str = attrs.field(validator=[v.instance_of(str), _non_empty])
    legal_form: LegalForm = attrs.field(validator=v.instance_of(LegalForm))
    uscc: str | None = attrs.field(default=None, converter=_uscc_converter, validator=_uscc_validator)
    """统一社会信用代码, normalised; checked (charset, check character) when set."""
    independent_legal_person: bool | None = attrs.field(default=None, validator=_opt_bool)
    lawfully_registered: bool | None = attrs.field(default=None, validator=_opt_bool)
    """依法登记 / 依法成立."""
    non_profit: bool | None = attrs.field(default=None, validator=_opt_bool)
    public_welfare: bool | None = attrs.field(default=None, validator=_opt_bool)
    budget_funded: bool | None = attrs.field(default=None, validator=_opt_bool)
    """For mass organisations: funded by budget allocations (由财政拨款保障)."""
    public_institution_category: PublicInstitutionCategory | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(PublicInstitutionCategory))
    )
    registration_date: date | None = attrs.field(default=None, validator=_opt_date)
    evaluation_grade: EvaluationGrade | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(EvaluationGrade))
    )
    grade_awarded_on: date | None = attrs.field(default=None, validator=_opt_date)
    staff: Staff | None = attrs.field(default=None, validator=v.optional(v.instance_of(Staff)))
    governance: Governance | None = attrs.field(default=None, validator=v.optional(v.instance_of(Governance)))
    has_required_capacity: bool | None = attrs.field(default=None, validator=_opt_bool)
    """Declared: has the ability and conditions the service needs (具备相应能力和条件 / 具备条件)."""
    social_work_service_agency: bool | None = attrs.field(default=None, validator=_opt_bool)
    """Declared: a social-work service agency (民办社会工作服务机构), registered as a private
    non-enterprise unit; not every private non-enterprise unit is one (a private school is one too,
    RULES.md A.8)."""

    @grade_awarded_on.validator
    def _grade_date_needs_grade(self, _attribute: object, value: date | None) -> None:
        if value is not None and self.evaluation_grade is None:
            raise ValueError("grade_awarded_on is set but evaluation_grade is not")


@attrs.frozen
class ServicePeriod:
    """服务期限: first and last day of service, both inclusive."""

    start: date = attrs.field(validator=v.instance_of(date))
    end: date = attrs.field(validator=v.instance_of(date))

    @end.validator
    def _end_not_before_start(self, _attribute: object, value: date) -> None:
        if value < self.start:
            raise ValueError(f"service period ends ({value}) before it starts ({self.start})")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        """Number of service days, both ends counted."""
        return (self.end - self.start).days + 1


@attrs.frozen
class Installment:
    """One payment of the contract amount."""

    due: date = attrs.field(validator=v.instance_of(date))
    amount: Decimal = attrs.field(validator=money_validator)


@attrs.frozen
class Contract:
    """购买服务合同: the purchase contract."""

    purchaser: str | None = attrs.field(default=None, validator=_opt_str)
    """Name of the purchasing party, as written in the contract."""
    contractor: str | None = attrs.field(default=None, validator=_opt_str)
    """Name of the contracting party."""
    subject_matter: str | None = attrs.field(default=None, validator=_opt_str)
    purchase_form: PurchaseForm | None = attrs.field(default=None, validator=v.optional(v.instance_of(PurchaseForm)))
    procurement_method: ProcurementMethod | None = attrs.field(
        default=None, validator=v.optional(v.instance_of(ProcurementMethod))
    )
    procurement_method_reason: str | None = attrs.field(default=None, validator=_opt_str)
    """Why a method other than the default was used (e.g. Henan's open tender «原则上»)."""
    long_term_basis: str | None = attrs.field(default=None, validator=_opt_str)
    """Free-text explanation of a term over one year, shown with the finding. It does not decide
    art. 24 by itself: the article's conditions are the declared facts below."""
    budget_secured: bool | None = attrs.field(default=None, validator=_opt_bool)
    """102号令 art. 24: the funding is secured in the budget (在预算保障的前提下)."""
    content_relatively_fixed: bool | None = attrs.field(default=None, validator=_opt_bool)
    """102号令 art. 24: what is bought is relatively fixed (购买内容相对固定)."""
    strongly_continuous: bool | None = attrs.field(default=None, validator=_opt_bool)
    """102号令 art. 24: the service is strongly continuous (连续性强)."""
    stable_funding: bool | None = attrs.field(default=None, validator=_opt_bool)
    """102号令 art. 24: the source of funds is stable (经费来源稳定)."""
    small_price_changes: bool | None = attrs.field(default=None, validator=_opt_bool)
    """102号令 art. 24: prices change little (价格变化幅度小)."""
    contractor_conditions_non_discriminatory: bool | None = attrs.field(default=None, validator=_opt_bool)
    """102号令 art. 7: the conditions the purchaser set for contractors (it may add conditions
    specific to the project) do not treat contractors differently or discriminate against them by
    unreasonable conditions (不以不合理的条件对承接主体实行差别待遇或者歧视待遇)."""
    negative_list_items: frozenset[NegativeListItem] | None = attrs.field(
        default=None, validator=v.optional(_frozenset_of(NegativeListItem))
    )
    """102号令 art. 10: the matters of the negative list the purchase includes; an empty set
    declares that it includes none (``None``: not known). Matters for post purchases (岗位购买)."""
    amount: Decimal | None = attrs.field(default=None, validator=money_validator)
    """Total purchase funds (总购买资金), yuan."""
    service_period: ServicePeriod | None = attrs.field(default=None, validator=v.optional(v.instance_of(ServicePeriod)))
    installments: tuple[Installment, ...] = attrs.field(
        default=(), validator=v.deep_iterable(v.instance_of(Installment), v.instance_of(tuple))
    )
    stated_terms: frozenset[ContractTerm] | None = attrs.field(
        default=None, validator=v.optional(_frozenset_of(ContractTerm))
    )
    """Clauses the contract states; ``None`` if not known."""
    written: bool | None = attrs.field(default=None, validator=_opt_bool)
    signed_on: date | None = attrs.field(default=None, validator=_opt_date)
    service_domains: frozenset[ServiceDomain] = attrs.field(default=frozenset(), validator=_frozenset_of(ServiceDomain))
    target_groups: frozenset[TargetGroup] = attrs.field(default=frozenset(), validator=_frozenset_of(TargetGroup))

    @installments.validator
    def _installments_within_amount(self, _attribute: object, value: tuple[Installment, ...]) -> None:
        if self.amount is not None and value:
            total = sum((i.amount for i in value), Decimal(0))
            if total > self.amount:
                raise ValueError(f"installments total {total} exceeds the contract amount {self.amount}")


@attrs.frozen
class Evaluation:
    """A performance evaluation of the service (绩效评估)."""

    stage: EvaluationStage = attrs.field(validator=v.instance_of(EvaluationStage))
    evaluator: str = attrs.field(validator=[v.instance_of(str), _non_empty])
    evaluator_role: EvaluatorRole = attrs.field(validator=v.instance_of(EvaluatorRole))
    date: date = attrs.field(validator=v.instance_of(date))
    result: EvaluationResult | None = attrs.field(default=None, validator=v.optional(v.instance_of(EvaluationResult)))
    score: Decimal | None = attrs.field(default=None)
    """Score out of 100, if the evaluation gives one."""
    evaluator_uscc: str | None = attrs.field(default=None, converter=_uscc_converter, validator=_uscc_validator)

    @score.validator
    def _score_range(self, _attribute: object, value: Decimal | None) -> None:
        if value is None:
            return
        if not isinstance(value, Decimal):
            raise TypeError(f"score must be a Decimal, not {type(value).__name__}")
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(100):
            raise ValueError(f"score must be between 0 and 100: {value}")


@attrs.frozen
class Planning:
    """Steps before the budget (Xiamen, Ningxia: 摸底调查、核算成本、目标、预算)."""

    needs_assessment: bool | None = attrs.field(default=None, validator=_opt_bool)
    """摸底调查与分析评估 done."""
    cost_accounting: bool | None = attrs.field(default=None, validator=_opt_bool)
    """核算服务成本 done."""
    targets_quantity: bool | None = attrs.field(default=None, validator=_opt_bool)
    targets_scale: bool | None = attrs.field(default=None, validator=_opt_bool)
    targets_quality: bool | None = attrs.field(default=None, validator=_opt_bool)
    targets_effect: bool | None = attrs.field(default=None, validator=_opt_bool)
    budget: Decimal | None = attrs.field(default=None, validator=money_validator)
    """The budget drawn up (编制预算 / 年度项目预算), yuan."""


def _condition_key(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _CONDITION_KEY.match(value):
        raise ValueError(
            f"{attribute.name} must be a rule id or condition key like 'ningxia.contractor.specific_conditions', "
            f"got {value!r}"
        )


@attrs.frozen
class Attestation:
    """A condition attested as met: who attests it, on what basis, and when.

    Where a source names a condition without defining it (Ningxia's 「具体条件」, Henan's
    「专业团队」), no case fact can show it is met; a person who answers for it can attest it. A
    rule that accepts attestations says so, passes with the attestation shown in its finding,
    and the verdict lists what was attested. ``condition`` is the rule id or the condition key the
    rule documents.
    """

    condition: str = attrs.field(validator=_condition_key)
    attested_by: str = attrs.field(validator=[v.instance_of(str), _non_empty])
    """Who attests (a person and office, or a body), as they would sign it."""
    basis: str = attrs.field(validator=[v.instance_of(str), _non_empty])
    """On what basis (a review, a document, a visit)."""
    date: date = attrs.field(validator=v.instance_of(date))
    """The day it was attested: an attestation dated after the day asked does not count."""


def _unique_conditions(
    _inst: object, _attribute: attrs.Attribute[tuple[Attestation, ...]], value: tuple[Attestation, ...]
) -> None:
    seen: set[str] = set()
    for attestation in value:
        if attestation.condition in seen:
            raise ValueError(f"condition {attestation.condition!r} is attested more than once")
        seen.add(attestation.condition)


@attrs.frozen
class Case:
    """What a question is about: each part optional; rules about a missing part do not apply."""

    purchaser: Purchaser | None = attrs.field(default=None, validator=v.optional(v.instance_of(Purchaser)))
    contractor: Contractor | None = attrs.field(default=None, validator=v.optional(v.instance_of(Contractor)))
    contract: Contract | None = attrs.field(default=None, validator=v.optional(v.instance_of(Contract)))
    planning: Planning | None = attrs.field(default=None, validator=v.optional(v.instance_of(Planning)))
    evaluations: tuple[Evaluation, ...] = attrs.field(
        default=(), validator=v.deep_iterable(v.instance_of(Evaluation), v.instance_of(tuple))
    )
    published: frozenset[DisclosureItem] | None = attrs.field(
        default=None, validator=v.optional(_frozenset_of(DisclosureItem))
    )
    """What the app says it has published (信息公开); ``None`` if not known."""
    attestations: tuple[Attestation, ...] = attrs.field(
        default=(),
        validator=[v.deep_iterable(v.instance_of(Attestation), v.instance_of(tuple)), _unique_conditions],
    )
    """Conditions attested as met (see :class:`Attestation`), each condition at most once."""
