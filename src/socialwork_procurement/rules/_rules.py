"""Rule records that packs contribute, and the findings and verdicts the core derives from them.

A pack contributes its rules once, as frozen records; the core evaluates them in its own loop
(a pluggy call per rule would cost 5-15x a plain function call).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from attrs import validators as v

from ..model._money import quantize_fen
from ..model._types import Case

_REGION_CODE = re.compile(r"^[a-z][a-z0-9_]*$")
_RULE_ID = re.compile(r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")


def _region_code(_inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not _REGION_CODE.match(value):
        raise ValueError(f"{attribute.name} must be a lower-case code like 'xiamen', got {value!r}")


def _optional_region_code(inst: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _region_code(inst, attribute, value)


def _non_empty(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be a non-empty string")


class RuleKind(enum.StrEnum):
    """What a rule is about (RULES.md «Kinds»)."""

    PURCHASER_ELIGIBILITY = "purchaser_eligibility"
    CONTRACTOR_ELIGIBILITY = "contractor_eligibility"
    PRIORITY = "priority"
    EVALUATION_FEE = "evaluation_fee"
    CONTRACT_TERMS = "contract_terms"
    PROCEDURE = "procedure"
    EVALUATION = "evaluation"
    DISCLOSURE = "disclosure"
    FUNDING = "funding"
    PLANNING_TARGET = "planning_target"
    TIMELINE = "timeline"
    SCOPE = "scope"
    INFO = "info"


class Strength(enum.StrEnum):
    """How binding a rule is (RULES.md «Strength»)."""

    HARD = "hard"
    """Must (应/须/不得/明确): a failure makes the verdict ineligible."""
    HARD_DEFAULT = "hard_default"
    """Must «原则上» (in principle): a departure needs a stated reason."""
    SOFT = "soft"
    """Priority or encouragement (优先/鼓励/为主): ranks, never gates."""
    INFO = "info"
    """A fact, target or description: never checked against one purchase."""

    @property
    def gates(self) -> bool:
        """Whether a failure of a rule of this strength can make a verdict ineligible."""
        return self in (Strength.HARD, Strength.HARD_DEFAULT)


class Subject(enum.StrEnum):
    """Which part of a case a rule looks at."""

    PURCHASER = "purchaser"
    CONTRACTOR = "contractor"
    CONTRACT = "contract"
    PLANNING = "planning"
    EVALUATION = "evaluation"
    DISCLOSURE = "disclosure"
    PROGRAMME = "programme"
    """The purchasing programme as a whole (budgets, targets): not one purchase."""


class Question(enum.StrEnum):
    """Questions that rules of several layers answer, so conflicts between layers can be paired.

    A regional rule that passes where a national rule on the same question fails is reported
    as a conflict (see :attr:`Rule.question`).
    """

    PURCHASER_TYPE = "purchaser.type"
    """Which kinds of body may purchase (购买主体)."""
    CONTRACTOR_TYPE = "contractor.type"
    """Which kinds of body may contract (承接主体)."""


class Outcome(enum.StrEnum):
    """What one rule said about one case."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    """A fact the rule needs is missing (``None``): never a pass or a fail."""
    NOT_APPLICABLE = "not_applicable"


class Decision(enum.StrEnum):
    """The verdict on a case."""

    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    UNDETERMINED = "undetermined"


@attrs.frozen
class Source:
    """A source document in ``shared/seeds/``."""

    file: str | None = attrs.field(validator=v.optional(_non_empty))
    """File name in ``shared/seeds/`` (``003_591adcebc82a76dc.txt``); ``None`` for a national
    source that is not among the seeds (then :attr:`url` says where the text was read)."""
    title: str = attrs.field(validator=_non_empty)
    number: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))
    """Document number (文号) if known, e.g. ``厦府办〔2015〕3号``."""
    date: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))
    """Issue or publication date if the source states it."""
    date_note: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))
    """How the date is known (e.g. «inferred from the page, not stated»)."""
    url: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))
    """Where a non-seed source was read (a full-text copy), as the catalogue records it."""

    @url.validator
    def _file_or_url(self, _attribute: object, value: str | None) -> None:
        if self.file is None and value is None:
            raise ValueError("a source needs a seed file name or a url")


@attrs.frozen
class Citation:
    """Where a rule comes from: its source and the verbatim sentence."""

    source: Source = attrs.field(validator=v.instance_of(Source))
    quote: str = attrs.field(validator=_non_empty)
    """Verbatim text of the source («⏎» marks a page break inside the sentence)."""
    note: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))
    """How far the quote is verified, where it is not a checked substring of a seed file."""


@attrs.frozen
class RuleResult:
    """What a rule's predicate returns for one case."""

    outcome: Outcome = attrs.field(validator=v.instance_of(Outcome))
    path: str = attrs.field(validator=_non_empty)
    """JSON path of the input it looked at (``$.contractor.legal_form``)."""
    detail_zh: str | None = None
    detail_en: str | None = None


def passed(path: str, detail_en: str | None = None, detail_zh: str | None = None) -> RuleResult:
    """The rule holds for the fact at ``path``."""
    return RuleResult(Outcome.PASS, path, detail_zh, detail_en)


def failed(path: str, detail_en: str | None = None, detail_zh: str | None = None) -> RuleResult:
    """The rule does not hold for the fact at ``path``."""
    return RuleResult(Outcome.FAIL, path, detail_zh, detail_en)


def unknown(path: str, detail_en: str | None = None, detail_zh: str | None = None) -> RuleResult:
    """The fact at ``path`` is not known, so the rule can neither pass nor fail."""
    return RuleResult(
        Outcome.UNKNOWN,
        path,
        detail_zh if detail_zh is not None else "所需事实未提供",
        detail_en if detail_en is not None else "the fact this rule needs was not given",
    )


def not_applicable(path: str, detail_en: str | None = None, detail_zh: str | None = None) -> RuleResult:
    """The rule does not concern this case (e.g. the part it checks is absent)."""
    return RuleResult(Outcome.NOT_APPLICABLE, path, detail_zh, detail_en)


Predicate = Callable[[Case, date], RuleResult]
"""A rule's check: ``(case, on) -> RuleResult``. Must not raise on any valid case."""


@attrs.frozen
class FeeSchedule:
    """How an evaluation fee is computed: ``rate`` × the base the caller names, to the fen."""

    rate: Decimal = attrs.field(validator=v.instance_of(Decimal))
    base_zh: str = attrs.field(validator=_non_empty)
    """What the rate applies to, as the source words it (总购买资金)."""
    base_en: str = attrs.field(validator=_non_empty)
    rounding: str = ROUND_HALF_UP
    """Decimal rounding mode used to reach the fen (declared, never implied)."""

    @rate.validator
    def _rate_range(self, _attribute: object, value: Decimal) -> None:
        if not value.is_finite() or not Decimal(0) <= value <= Decimal(1):
            raise ValueError(f"fee rate must be between 0 and 1: {value}")

    def fee_for(self, base_amount: Decimal) -> Decimal:
        """The fee on ``base_amount``, quantised to the fen with :attr:`rounding`."""
        return quantize_fen(base_amount * self.rate, self.rounding)


@attrs.frozen
class Rule:
    """One rule of one region, as its pack contributes it.

    ``predicate`` is set for rules checked against a case; ``fee`` for evaluation-fee rules;
    rules of the kinds planning target, timeline, funding, scope and info carry neither and are
    exposed as data.
    """

    rule_id: str = attrs.field()
    region: str = attrs.field(validator=_region_code)
    kind: RuleKind = attrs.field(validator=v.instance_of(RuleKind))
    strength: Strength = attrs.field(validator=v.instance_of(Strength))
    subject: Subject = attrs.field(validator=v.instance_of(Subject))
    effective_from: date = attrs.field(validator=v.instance_of(date))
    effective_to: date | None = attrs.field(validator=v.optional(v.instance_of(date)))
    """Last day in force (inclusive); ``None`` while still in force."""
    citation: Citation = attrs.field(validator=v.instance_of(Citation))
    message_zh: str = attrs.field(validator=_non_empty)
    message_en: str = attrs.field(validator=_non_empty)
    predicate: Predicate | None = attrs.field(default=None, eq=False)
    fee: FeeSchedule | None = attrs.field(default=None, validator=v.optional(v.instance_of(FeeSchedule)))
    dates_note: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))
    """How the effective dates were set, where the source does not state them."""
    question: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))
    """The question the rule answers, shared across layers (``"purchaser.type"``,
    ``"contractor.type"``): a regional rule that passes where a national rule on the same
    question fails is reported as a conflict between them."""

    @rule_id.validator
    def _rule_id_form(self, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or not _RULE_ID.match(value):
            raise ValueError(f"rule_id must be dotted lower-case like 'xiamen.evaluation.fee_3pct': {value!r}")

    @effective_to.validator
    def _dates_ordered(self, _attribute: object, value: date | None) -> None:
        if value is not None and value < self.effective_from:
            raise ValueError(f"{self.rule_id}: effective_to {value} is before effective_from {self.effective_from}")

    @fee.validator
    def _fee_matches_kind(self, _attribute: object, value: FeeSchedule | None) -> None:
        if (self.kind is RuleKind.EVALUATION_FEE) != (value is not None):
            raise ValueError(f"{self.rule_id}: a fee schedule goes with kind evaluation_fee, and only there")
        if value is not None and self.predicate is not None:
            raise ValueError(f"{self.rule_id}: a fee rule has no predicate")

    def in_force(self, on: date) -> bool:
        """Whether the rule is in force on ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def message(self, lang: str) -> str:
        """The rule's message in ``"zh"`` or ``"en"``."""
        return self.message_zh if lang == "zh" else self.message_en


@attrs.frozen
class Region:
    """A region a pack answers for, and the sources it draws on."""

    code: str = attrs.field(validator=_region_code)
    name_zh: str = attrs.field(validator=_non_empty)
    name_en: str = attrs.field(validator=_non_empty)
    sources: tuple[Source, ...] = attrs.field(validator=v.deep_iterable(v.instance_of(Source), v.instance_of(tuple)))
    parent: str | None = attrs.field(default="national", validator=_optional_region_code)
    """The layer under this one (the national layer by default); ``None`` for the national layer."""


@attrs.frozen
class Silence:
    """An explicit «the sources do not say»: what a region's sources leave unspecified."""

    region: str = attrs.field(validator=_region_code)
    topic: str = attrs.field(validator=_non_empty)
    """What is not specified: ``evaluation_fee``, ``contract_length``, ``staff_share`` …"""
    statement_zh: str = attrs.field(validator=_non_empty)
    statement_en: str = attrs.field(validator=_non_empty)
    sources: tuple[str, ...] = attrs.field(validator=v.deep_iterable(v.instance_of(str), v.instance_of(tuple)))
    """Files of the sources that were read and found silent."""
    effective_from: date = attrs.field(validator=v.instance_of(date))
    effective_to: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))

    def in_force(self, on: date) -> bool:
        """Whether this silence covers ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


class Comparison(enum.StrEnum):
    """How a measured figure is compared with an indicator's target."""

    AT_LEAST = "at_least"
    AT_MOST = "at_most"


@attrs.frozen
class IndicatorAssessment:
    """An app's own figure measured against a planning indicator."""

    indicator_id: str
    value: Decimal
    target: Decimal
    met: bool
    shortfall: Decimal
    """How far from the target (0 when met)."""


@attrs.frozen
class Indicator:
    """A dated planning target (e.g. Henan's 50,000 professionals by 2025) an app can measure against.

    ``per`` turns it into a ratio: «1 social worker per 1,000 older people» is ``target=1``,
    ``per=1000``; the app passes its own counts and the denominator.
    """

    indicator_id: str = attrs.field(validator=_non_empty)
    rule_id: str = attrs.field(validator=_non_empty)
    region: str = attrs.field(validator=_region_code)
    description_zh: str = attrs.field(validator=_non_empty)
    description_en: str = attrs.field(validator=_non_empty)
    target: Decimal = attrs.field(validator=v.instance_of(Decimal))
    unit: str = attrs.field(validator=_non_empty)
    due: date = attrs.field(validator=v.instance_of(date))
    comparison: Comparison = attrs.field(default=Comparison.AT_LEAST, validator=v.instance_of(Comparison))
    per: Decimal | None = attrs.field(default=None, validator=v.optional(v.instance_of(Decimal)))
    per_unit: str | None = attrs.field(default=None, validator=v.optional(v.instance_of(str)))

    def assess(self, value: Decimal | int, *, denominator: Decimal | int | None = None) -> IndicatorAssessment:
        """Measure ``value`` (and, for a ratio, ``denominator``) against the target."""
        for figure in (value, denominator):
            if figure is not None and (not isinstance(figure, (Decimal, int)) or isinstance(figure, bool)):
                raise TypeError("indicator figures must be Decimal or int, not float")
        measured = Decimal(value)
        if self.per is not None:
            if denominator is None or Decimal(denominator) <= 0:
                raise ValueError(
                    f"{self.indicator_id} is a ratio per {self.per} {self.per_unit}: give a positive denominator"
                )
            measured = measured * self.per / Decimal(denominator)
        if self.comparison is Comparison.AT_LEAST:
            met = measured >= self.target
            shortfall = max(Decimal(0), self.target - measured)
        else:
            met = measured <= self.target
            shortfall = max(Decimal(0), measured - self.target)
        return IndicatorAssessment(self.indicator_id, measured, self.target, met, shortfall)


@attrs.frozen
class Period:
    """A dated period a source sets (a pilot phase): first and last day inclusive."""

    period_id: str = attrs.field(validator=_non_empty)
    rule_id: str = attrs.field(validator=_non_empty)
    region: str = attrs.field(validator=_region_code)
    name_zh: str = attrs.field(validator=_non_empty)
    name_en: str = attrs.field(validator=_non_empty)
    start: date = attrs.field(validator=v.instance_of(date))
    end: date = attrs.field(validator=v.instance_of(date))

    @end.validator
    def _ordered(self, _attribute: object, value: date) -> None:
        if value < self.start:
            raise ValueError(f"{self.period_id}: ends before it starts")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


# ---------------------------------------------------------------------------------------------
# What the core derives


@attrs.frozen
class Finding:
    """What one rule said about one case on one date."""

    rule: Rule
    outcome: Outcome
    path: str
    detail_zh: str | None = None
    detail_en: str | None = None
    pack: str | None = None
    """Distribution (or registered name) of the pack that contributed the rule."""

    @property
    def rule_id(self) -> str:
        return self.rule.rule_id

    def message(self, lang: str) -> str:
        """The rule's message, followed by the detail, in ``"zh"`` or ``"en"``."""
        detail = self.detail_zh if lang == "zh" else self.detail_en
        base = self.rule.message(lang)
        return f"{base} ({detail})" if detail else base


@attrs.frozen
class Conflict:
    """A regional rule and a later national rule that disagree on the same case."""

    regional: Finding
    national: Finding
    message_zh: str
    message_en: str


@attrs.frozen
class PackRef:
    """Which pack answered: its distribution name and version, and the region it claims."""

    distribution: str
    version: str
    regions: tuple[str, ...]


@attrs.frozen
class RuleRef:
    """A rule version as it was in force on the date asked."""

    rule_id: str
    region: str
    effective_from: date
    effective_to: date | None
    pack: str


@attrs.frozen
class Trace:
    """How a verdict was reached: packs, layers and rule versions."""

    packs: tuple[PackRef, ...]
    layers: tuple[str, ...]
    """Region codes consulted, the national layer first when included."""
    rules_in_force: tuple[RuleRef, ...]
    rules_not_in_force: tuple[RuleRef, ...]


@attrs.frozen
class Verdict:
    """The answer to «may this case go ahead in this region on this date, and why?»."""

    region: str
    on: date
    decision: Decision
    findings: tuple[Finding, ...]
    conflicts: tuple[Conflict, ...]
    trace: Trace
    input_warnings: tuple[str, ...] = ()
    """Inconsistencies in the input that are not rules (a USCC type code contradicting the legal form)."""

    @property
    def priorities(self) -> tuple[Finding, ...]:
        """Soft rules the case meets: they rank bidders, never gate them."""
        return tuple(f for f in self.findings if f.rule.strength is Strength.SOFT and f.outcome is Outcome.PASS)

    @property
    def failures(self) -> tuple[Finding, ...]:
        """Gating rules the case fails."""
        return tuple(f for f in self.findings if f.rule.strength.gates and f.outcome is Outcome.FAIL)

    @property
    def unknowns(self) -> tuple[Finding, ...]:
        """Gating rules that need a fact the case does not give."""
        return tuple(f for f in self.findings if f.rule.strength.gates and f.outcome is Outcome.UNKNOWN)


@attrs.frozen
class FeeAnswer:
    """An evaluation fee: an exact amount with the rule behind it, or an explicit «not specified»."""

    region: str
    on: date
    base_amount: Decimal
    fee: Decimal | None
    rule: Rule | None
    reason_zh: str | None
    reason_en: str | None
    silence: Silence | None = None
    pack: str | None = None

    def reason(self, lang: str) -> str | None:
        return self.reason_zh if lang == "zh" else self.reason_en
