"""Rule records that packs contribute, and the findings and verdicts the core derives from them.

A pack contributes its rules once, as frozen records; the core evaluates them in its own loop
(a pluggy call per rule would cost 5-15x a plain function call).
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs
from attrs import validators as v

from .._i18n import Message, Namer
from ..model._money import quantize_fen
from ..model._schema import declarable_values
from ..model._types import Attestation, Case, EvaluationStage, EvaluatorRole

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
        return self in GATING


GATING = (Strength.HARD, Strength.HARD_DEFAULT)
"""The strengths that gate (:attr:`Strength.gates`), for tests of ``strength in GATING`` in loops over findings."""
_SOFT = Strength.SOFT


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


class Basis(enum.StrEnum):
    """What a rule rests on."""

    SOURCE = "source"
    """A source states it: the citation's quote is the rule."""
    LIBRARY_POLICY = "library_policy"
    """No source states it; the library checks it as its own policy (steps dated in order, an
    acceptance after the service period). Its citation names the source the policy serves, and
    the citation's note says what the source does not state."""


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


JsonValue = str | bool
"""A value a caller can declare in a case file, as JSON reads it (``true``, ``"public_institution_category_2"``)."""


def _json_path(_inst: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.startswith("$"):
        raise ValueError(f"{attribute.name} must be a JSON path of the case file like '$.contract.written': {value!r}")


def _values_tuple(values: Iterable[JsonValue]) -> tuple[JsonValue, ...]:
    return tuple(values)


_check_values = v.deep_iterable(v.instance_of((str, bool)), v.instance_of(tuple))
_check_optional_str = v.optional(v.instance_of(str))


def _json_values(inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    # Packs build deciding facts inside predicates, once per case: the common case is let through
    # without attrs' validator objects, anything else gets their checks and their messages.
    if type(value) is tuple and all(type(x) is str or type(x) is bool for x in value):
        return
    _check_values(inst, attribute, value)


def _optional_str(inst: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None or type(value) is str:
        return
    _check_optional_str(inst, attribute, value)


@attrs.frozen
class DecidingFact:
    """A fact of the case file that would decide an ``unknown``: where to declare it, and what.

    ``values`` are the values that decide the rule (either way); empty when the schema lists
    none (a free-text or numeric fact, a whole case part). :func:`unknown` fills them from the
    case schema when a pack gives none.
    """

    path: str = attrs.field(validator=_json_path)
    """JSON path in the case file (``$.purchaser.public_institution_category``)."""
    values: tuple[JsonValue, ...] = attrs.field(
        default=(),
        converter=_values_tuple,
        validator=_json_values,
    )
    note_zh: str | None = attrs.field(default=None, validator=_optional_str)
    """What the values mean for the rule, in Chinese (e.g. «公益一类:不得购买»)."""
    note_en: str | None = attrs.field(default=None, validator=_optional_str)

    def note(self, lang: str) -> str | None:
        return self.note_zh if lang == "zh" else self.note_en


@attrs.frozen
class RuleResult:
    """What a rule's predicate returns for one case."""

    outcome: Outcome = attrs.field(validator=v.instance_of(Outcome))
    path: str = attrs.field(validator=_non_empty)
    """JSON path of the input it looked at (``$.contractor.legal_form``)."""
    detail_zh: str | None = None
    detail_en: str | None = None
    deciding: tuple[DecidingFact, ...] = attrs.field(
        default=(), validator=v.deep_iterable(v.instance_of(DecidingFact), v.instance_of(tuple))
    )
    """For ``unknown``: the facts that would decide it (never empty for an ``unknown`` made by
    :func:`unknown`)."""
    attestation: Attestation | None = attrs.field(default=None, validator=v.optional(v.instance_of(Attestation)))
    """For a pass by attestation (:func:`passed_by_attestation`): the attestation it rests on."""
    declared_false: bool = attrs.field(default=False, validator=v.instance_of(bool))
    """For ``fail``: the failure is a condition the rule states, declared unmet (``false``), not
    an answer to the rule's :attr:`Rule.question`; such a failure is never paired as a conflict
    between layers."""

    @attestation.validator
    def _attestation_passes(self, _attribute: object, value: Attestation | None) -> None:
        if value is not None and self.outcome is not Outcome.PASS:
            raise ValueError("only a pass rests on an attestation")


@functools.lru_cache(maxsize=16384)
def _cached_result(
    outcome: Outcome, path: str, detail_zh: str | None, detail_en: str | None, declared_false: bool
) -> RuleResult:
    # Results are frozen values and most predicates give one of a few per rule: one object serves
    # every case (issue 10), built and validated once.
    return RuleResult(outcome, path, detail_zh, detail_en, declared_false=declared_false)


# passed, failed and not_applicable run several times per case: each calls the cache itself, and
# builds the result only when an argument is unhashable, so that the validators say what is wrong.
# Members are read from module constants in code that runs per case or per finding: reading one off
# its enum class costs several times a global's lookup.
_PASS, _FAIL, _UNKNOWN, _NOT_APPLICABLE = Outcome.PASS, Outcome.FAIL, Outcome.UNKNOWN, Outcome.NOT_APPLICABLE


def passed(path: str, detail_en: str | None = None, detail_zh: str | None = None) -> RuleResult:
    """The rule holds for the fact at ``path``."""
    try:
        return _cached_result(_PASS, path, detail_zh, detail_en, False)
    except TypeError:
        return RuleResult(_PASS, path, detail_zh, detail_en)


def failed(
    path: str, detail_en: str | None = None, detail_zh: str | None = None, *, declared_false: bool = False
) -> RuleResult:
    """The rule does not hold for the fact at ``path``.

    ``declared_false=True`` when the failure is a condition the rule states that the case declares
    unmet (Ningxia's 「依法成立」 declared ``false``): a plain failure of the rule, never a
    disagreement between layers about the rule's question.
    """
    try:
        return _cached_result(_FAIL, path, detail_zh, detail_en, declared_false)
    except TypeError:
        return RuleResult(_FAIL, path, detail_zh, detail_en, declared_false=declared_false)


def unknown(
    path: str,
    detail_en: str | None = None,
    detail_zh: str | None = None,
    *,
    deciding: Iterable[DecidingFact | str] | None = None,
) -> RuleResult:
    """The fact at ``path`` is not known, so the rule can neither pass nor fail.

    ``deciding`` names the facts that would decide it (a :class:`DecidingFact`, or just its path);
    by default the fact at ``path``. A deciding fact given without values gets the values the
    case schema lists for its path (``true``/``false``, an enumeration's members).
    """
    facts = (path,) if deciding is None else tuple(deciding)
    if not facts:
        raise ValueError("an unknown needs at least one deciding fact")
    try:
        return _cached_unknown(path, detail_en, detail_zh, facts)
    except TypeError:  # an unhashable argument: build it so the validators say what is wrong
        return _unknown(path, detail_en, detail_zh, facts)


@functools.lru_cache(maxsize=16384, typed=True)
def _cached_unknown(
    path: str, detail_en: str | None, detail_zh: str | None, facts: tuple[DecidingFact | str, ...]
) -> RuleResult:
    # As _cached_result: the same unknown for every case that leaves the same facts out, built and
    # validated once (issue 10).
    return _unknown(path, detail_en, detail_zh, facts)


def _unknown(
    path: str, detail_en: str | None, detail_zh: str | None, facts: tuple[DecidingFact | str, ...]
) -> RuleResult:
    return RuleResult(
        Outcome.UNKNOWN,
        path,
        detail_zh if detail_zh is not None else "所需事实未提供",
        detail_en if detail_en is not None else "the fact this rule needs was not given",
        deciding=tuple(_with_values(f) for f in facts),
    )


def _with_values(fact: DecidingFact | str) -> DecidingFact:
    try:
        return _cached_with_values(fact)
    except TypeError:  # unhashable: let the checks below word the problem
        return _fill_values(fact)


@functools.lru_cache(maxsize=4096)
def _cached_with_values(fact: DecidingFact | str) -> DecidingFact:
    # The schema lookup is the same for every case that leaves the fact out.
    return _fill_values(fact)


def _fill_values(fact: DecidingFact | str) -> DecidingFact:
    if isinstance(fact, str):
        fact = DecidingFact(fact)
    if not isinstance(fact, DecidingFact):
        raise TypeError(f"a deciding fact is a DecidingFact or a JSON path, not {type(fact).__name__}")
    if fact.values:
        return fact
    return attrs.evolve(fact, values=declarable_values(fact.path))


def not_applicable(path: str, detail_en: str | None = None, detail_zh: str | None = None) -> RuleResult:
    """The rule does not concern this case (e.g. the part it checks is absent)."""
    try:
        return _cached_result(_NOT_APPLICABLE, path, detail_zh, detail_en, False)
    except TypeError:
        return RuleResult(_NOT_APPLICABLE, path, detail_zh, detail_en)


def attested(case: Case, condition: str, on: date | None = None) -> Attestation | None:
    """The case's attestation of ``condition`` (a rule id or condition key), or ``None``.

    With ``on``, an attestation dated after ``on`` does not count: it did not exist that day.
    """
    for attestation in case.attestations:
        if attestation.condition == condition:
            return attestation if on is None or attestation.date <= on else None
    return None


def attestation_fact(condition: str, note_en: str | None = None, note_zh: str | None = None) -> DecidingFact:
    """The deciding fact «attest ``condition``»: what an ``unknown`` names when only an attestation can decide it."""
    return DecidingFact("$.attestations", (condition,), note_zh=note_zh, note_en=note_en)


def passed_by_attestation(
    path: str, attestation: Attestation, detail_en: str | None = None, detail_zh: str | None = None
) -> RuleResult:
    """The rule holds because its condition is attested: the finding shows who attested it and why."""
    if not isinstance(attestation, Attestation):
        raise TypeError(f"attestation must be an Attestation, not {type(attestation).__name__}")
    day = attestation.date.isoformat()
    return RuleResult(
        Outcome.PASS,
        path,
        detail_zh if detail_zh is not None else f"由{attestation.attested_by}于{day}证明:{attestation.basis}",
        detail_en if detail_en is not None else f"attested by {attestation.attested_by} on {day}: {attestation.basis}",
        attestation=attestation,
    )


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


def _stages_set(values: Iterable[EvaluationStage]) -> frozenset[EvaluationStage]:
    return frozenset(values)


def _roles_set(values: Iterable[EvaluatorRole]) -> frozenset[EvaluatorRole]:
    return frozenset(values)


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
    basis: Basis = attrs.field(default=Basis.SOURCE, validator=v.instance_of(Basis))
    """``source`` (a source states it) or ``library_policy`` (the library's own check, which no
    source states): findings, the JSON and the docs label the latter."""
    evaluation_stages: frozenset[EvaluationStage] = attrs.field(
        default=frozenset(),
        converter=_stages_set,
        validator=v.deep_iterable(v.instance_of(EvaluationStage), v.instance_of(frozenset)),
    )
    """For a rule that sets the region's evaluation schedule: the stages its source requires in
    every service period (Xiamen's 「中期和末期」: mid-term and final). Where such a rule is in
    force on any day from the signing to the end of the service period, the contract's schedule
    requires a mid-term evaluation and the lifecycle refuses a final evaluation before one is on
    record; elsewhere (Henan's 结项验收, Ningxia) ``in_service → final_evaluated`` is allowed.
    Empty for every other rule."""
    evaluators: frozenset[EvaluatorRole] = attrs.field(
        default=frozenset(),
        converter=_roles_set,
        validator=v.deep_iterable(v.instance_of(EvaluatorRole), v.instance_of(frozenset)),
    )
    """Who must carry out the evaluations of :attr:`evaluation_stages` (Xiamen: a third-party
    professional evaluator, 「第三方专业评估机构」); empty: the source does not say. The
    lifecycle counts only a mid-term evaluation by one of them as the mid-term on record."""

    @basis.validator
    def _policy_says_why(self, _attribute: object, value: Basis) -> None:
        if value is Basis.LIBRARY_POLICY and not self.citation.note:
            raise ValueError(
                f"{self.rule_id}: a library-policy rule needs a citation note saying what the source does not state"
            )

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

    @evaluation_stages.validator
    def _stages_on_evaluation_rules(self, _attribute: object, value: frozenset[EvaluationStage]) -> None:
        if value and self.kind is not RuleKind.EVALUATION:
            raise ValueError(f"{self.rule_id}: evaluation_stages go with kind evaluation, and only there")

    @evaluators.validator
    def _evaluators_of_stages(self, _attribute: object, value: frozenset[EvaluatorRole]) -> None:
        if value and not self.evaluation_stages:
            raise ValueError(f"{self.rule_id}: evaluators name who carries out the evaluation_stages: set those too")

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


class SilenceKind(enum.StrEnum):
    """Why a layer says nothing on a topic."""

    SOURCES_SILENT = "sources_silent"
    """The sources were read and say nothing (Henan's evaluation fee)."""
    NOT_ENCODED = "not_encoded"
    """An instrument that may speak to it is not encoded, so the library did not check it (the
    national instruments before 财政部令第102号)."""


@attrs.frozen
class Silence:
    """An explicit «the sources do not say», or «not checked»: what a layer leaves unspecified.

    A verdict lists the silences of its layers in force on the day asked, so an answer says
    what it did not check.
    """

    region: str = attrs.field(validator=_region_code)
    topic: str = attrs.field(validator=_non_empty)
    """What is not specified: ``evaluation_fee``, ``contract_length``, ``staff_share`` …"""
    statement_zh: str = attrs.field(validator=_non_empty)
    statement_en: str = attrs.field(validator=_non_empty)
    sources: tuple[str, ...] = attrs.field(validator=v.deep_iterable(v.instance_of(str), v.instance_of(tuple)))
    """Files of the sources that were read and found silent (none for a ``not_encoded`` silence,
    whose statement names the instrument and its catalogue entry)."""
    effective_from: date = attrs.field(validator=v.instance_of(date))
    effective_to: date | None = attrs.field(default=None, validator=v.optional(v.instance_of(date)))
    kind: SilenceKind = attrs.field(default=SilenceKind.SOURCES_SILENT, validator=v.instance_of(SilenceKind))

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
    deciding: tuple[DecidingFact, ...] = ()
    """For ``unknown``: the facts that would decide it (:attr:`RuleResult.deciding`)."""
    attestation: Attestation | None = None
    """For a pass by attestation: who attested the condition, on what basis, when."""
    declared_false: bool = False
    """For ``fail``: a stated condition declared unmet, never one side of a conflict between layers."""

    @property
    def rule_id(self) -> str:
        return self.rule.rule_id

    @property
    def basis(self) -> Basis:
        """What the rule rests on: a source, or the library's own policy."""
        return self.rule.basis

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
class RegionNotInForce:
    """No source of a region is in force on the day asked: the answer says so, with the dates it has.

    A rule pack's rules are in force from the first day any of them takes effect; on a day before
    that (or after the last of them ends) the region's sources say nothing the library knows of,
    which is not the same as «the source sets no fee» or «nothing applied».
    """

    region: str
    on: date
    first_in_force: date
    """The first day a rule of the region takes effect."""
    last_in_force: date | None = None
    """After the first day: the last day before ``on`` that a rule of the region was in force."""

    @property
    def before_first(self) -> bool:
        return self.on < self.first_in_force

    def message(self, lang: str) -> str:
        # «encoded here»: the library knows the region's sources it encodes, not every instrument
        # the region may have had before them.
        day, first = self.on.isoformat(), self.first_in_force.isoformat()
        if self.before_first:
            if lang == "zh":
                return f"本库收录的 {self.region} 来源在 {day} 均未生效:最早的自 {first} 起生效"
            return f"no source of {self.region} encoded here is in force on {day}: the first takes effect on {first}"
        last = self.last_in_force.isoformat() if self.last_in_force else "?"
        if lang == "zh":
            return f"本库收录的 {self.region} 来源在 {day} 均未生效:其规则自 {first} 起生效,此前最后一条于 {last} 失效"
        return (
            f"no source of {self.region} encoded here is in force on {day}: its rules took effect on {first} "
            f"and the last in force before that day ended on {last}"
        )


@attrs.frozen
class FactToDeclare:
    """One fact the caller can declare to decide a case, with the rules waiting on it."""

    path: str
    values: tuple[JsonValue, ...]
    rule_ids: tuple[str, ...]
    notes_zh: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()

    def notes(self, lang: str) -> tuple[str, ...]:
        return self.notes_zh if lang == "zh" else self.notes_en


@attrs.frozen
class InputWarning:
    """An inconsistency in the input that no rule checks (a USCC type code that contradicts the
    declared legal form): said in either language, never part of the decision."""

    path: str
    """JSON path of the fact (``$.contractor.uscc``)."""
    message: Message

    def text(self, lang: str, *, name: Namer | None = None) -> str:
        """``path: message`` in ``lang`` (``"zh"`` or ``"en"``)."""
        return f"{self.path}: {self.message.render(lang, name=name)}"

    def __str__(self) -> str:
        return self.text("en")


@attrs.frozen
class Verdict:
    """The answer to «may this case go ahead in this region on this date, and why?»."""

    region: str
    on: date
    decision: Decision
    findings: tuple[Finding, ...]
    conflicts: tuple[Conflict, ...]
    trace: Trace
    input_warnings: tuple[InputWarning, ...] = ()
    """Inconsistencies in the input that are not rules (a USCC type code contradicting the legal form)."""
    silences: tuple[Silence, ...] = ()
    """What the layers consulted leave unspecified or did not check on that day (national
    instruments not encoded, a fee the sources do not set)."""
    region_not_in_force: RegionNotInForce | None = None
    """Set when no rule of the region asked (its own layer) is in force that day: the decision is
    then never ``eligible`` (see :meth:`Registry.check`)."""

    @property
    def priorities(self) -> tuple[Finding, ...]:
        """Soft rules the case meets: they rank bidders, never gate them."""
        return tuple(f for f in self.findings if f.rule.strength is _SOFT and f.outcome is _PASS)

    @property
    def failures(self) -> tuple[Finding, ...]:
        """Gating rules the case fails."""
        return tuple(f for f in self.findings if f.outcome is _FAIL and f.rule.strength in GATING)

    @property
    def unknowns(self) -> tuple[Finding, ...]:
        """Gating rules that need a fact the case does not give."""
        return tuple(f for f in self.findings if f.outcome is _UNKNOWN and f.rule.strength in GATING)

    @property
    def attested(self) -> tuple[Finding, ...]:
        """Gating rules that pass on an attestation rather than on a checked fact."""
        return tuple(
            f for f in self.findings if f.rule.strength in GATING and f.outcome is _PASS and f.attestation is not None
        )

    @property
    def to_decide(self) -> tuple[FactToDeclare, ...]:
        """«To decide this case, declare: …»: the deciding facts of every gating unknown (:func:`facts_to_declare`)."""
        return facts_to_declare(self.unknowns)


def facts_to_declare(findings: Iterable[Finding]) -> tuple[FactToDeclare, ...]:
    """The facts that would decide the ``unknown`` findings among ``findings``, one entry per path.

    In the order the findings name them; the values and notes of one path merged without
    repeats, with the rules waiting on it. Soft or info findings count only if passed in: a
    verdict passes its gating unknowns (:attr:`Verdict.to_decide`).
    """
    order: list[str] = []
    values: dict[str, list[JsonValue]] = {}
    rules: dict[str, list[str]] = {}
    notes_zh: dict[str, list[str]] = {}
    notes_en: dict[str, list[str]] = {}
    for finding in findings:
        if finding.outcome is not _UNKNOWN:
            continue
        for fact in finding.deciding:
            if fact.path not in values:
                order.append(fact.path)
                values[fact.path], rules[fact.path] = [], []
                notes_zh[fact.path], notes_en[fact.path] = [], []
            # Compared with their type: True is not "true".
            seen = {(type(x), x) for x in values[fact.path]}
            values[fact.path] += [x for x in fact.values if (type(x), x) not in seen]
            if finding.rule_id not in rules[fact.path]:
                rules[fact.path].append(finding.rule_id)
            for store, note in ((notes_zh, fact.note_zh), (notes_en, fact.note_en)):
                if note and note not in store[fact.path]:
                    store[fact.path].append(note)
    return tuple(
        FactToDeclare(p, tuple(values[p]), tuple(rules[p]), tuple(notes_zh[p]), tuple(notes_en[p])) for p in order
    )


@attrs.frozen
class FeeAnswer:
    """An evaluation fee: an exact amount with the rule behind it, or an explicit «not specified».

    On a day when no source of the region is in force the fee is ``None`` and
    :attr:`region_not_in_force` says so with the first date, instead of «not specified».
    """

    region: str
    on: date
    base_amount: Decimal
    fee: Decimal | None
    rule: Rule | None
    reason_zh: str | None
    reason_en: str | None
    silence: Silence | None = None
    pack: str | None = None
    region_not_in_force: RegionNotInForce | None = None

    def reason(self, lang: str) -> str | None:
        return self.reason_zh if lang == "zh" else self.reason_en
