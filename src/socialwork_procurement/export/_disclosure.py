"""The disclosure package (信息公开): every item a purchase must publish, its state, and the rule behind it.

:func:`disclosure_package` asks the region's rules in force on a day (``registry.check``) and takes
the findings of the disclosure rules (subject ``disclosure``): Ningxia's eight items
(``ningxia.disclosure.items``), the decree's contract publication
(``national.disclosure.contract_published``, 财政部令第102号 art. 23), and any pack's. Each item
comes out in one :class:`ItemState`:

* ``published``: on record as published (for a purchase driven through the lifecycle, with the day,
  the place and who recorded it: the first ``record_disclosure`` naming it);
* ``due``: the step that produces it has happened, it is not published yet, and it can still be:
  the sources set no deadline («及时», «依法予以公告»), so the library never calls it late;
* ``missing``: due and never published, and it no longer can be: the purchase has ended (closed,
  cancelled, terminated: nothing can be recorded after that), or the rule itself fails it;
* ``not_yet_due``: the step that produces it has not happened yet;
* ``not_applicable``: the case has no part that produces it, and (for a purchase that has ended)
  never will;
* ``unknown``: a case file that does not say what was published, or not enough to tell whether the
  item is due (a contract without its signing day).

**Itemised rules.** A rule's finding is one answer for all its items; to show each item, a disclosure
rule's predicate may also have ``disclosure_items(case, on)`` returning one :class:`DueItem` per item
(the :class:`ItemisedDisclosure` protocol; Ningxia's does). The decree's contract publication is one
item, read here as its rule reads it (due from the signing day). A disclosure rule of any other pack
is shown as one entry, its state taken from its outcome.

Renderers: :func:`disclosure_json` (a JSON-ready ``dict``), :func:`disclosure_markdown` and
:func:`disclosure_html` (a plain, escaped HTML page), each in Chinese by default or in English.
"""

from __future__ import annotations

import enum
import html
import re
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, Final, Protocol, cast

import attrs

from ..lifecycle._events import (
    BudgetApproved,
    ContractSigned,
    DisclosureRecorded,
    EvaluationRecorded,
    TenderStarted,
)
from ..lifecycle._fold import ProcurementState, evolve
from ..lifecycle._machine import MACHINE, State
from ..lifecycle._procurement import HistoryEntry, Procurement
from ..model._types import Case, DisclosureItem
from ..rules._registry import Registry
from ..rules._rules import Finding, Outcome, RegionNotInForce, Rule, RuleKind, Subject
from ._names import name

__all__ = [
    "DisclosureEntry",
    "DisclosurePackage",
    "DueItem",
    "ItemState",
    "ItemisedDisclosure",
    "Publication",
    "disclosure_html",
    "disclosure_json",
    "disclosure_markdown",
    "disclosure_package",
    "item_name",
    "render_disclosure",
]


class ItemState(enum.StrEnum):
    """Where one disclosure item stands on the day asked (see the module docstring)."""

    PUBLISHED = "published"
    DUE = "due"
    MISSING = "missing"
    NOT_YET_DUE = "not_yet_due"
    NOT_APPLICABLE = "not_applicable"
    UNKNOWN = "unknown"


class DueItem(Protocol):
    """What an itemised disclosure rule says of one item (Ningxia's ``DisclosureDue`` is one)."""

    @property
    def item(self) -> DisclosureItem: ...

    @property
    def applicable(self) -> bool:
        """``False``: the case part that produces the item is absent."""

    @property
    def due(self) -> bool | None:
        """``True`` due; ``False`` not yet due; ``None`` the case cannot tell."""

    @property
    def since(self) -> date | None:
        """The day it fell due, where the case says."""

    @property
    def produced_by(self) -> str:
        """The lifecycle command whose step produces it (``approve_budget``, ``start_tender``,
        ``sign_contract``, ``record_evaluation``); another value is taken as always reached."""

    @property
    def step_zh(self) -> str: ...

    @property
    def step_en(self) -> str: ...


class ItemisedDisclosure(Protocol):
    """A disclosure rule's predicate that also answers item by item."""

    def disclosure_items(self, case: Case, on: date) -> Sequence[DueItem]: ...


@attrs.frozen
class Publication:
    """Where and when an item was published, as the purchase's ``record_disclosure`` recorded it."""

    on: date
    where: str | None
    recorded_by: str


@attrs.frozen
class DisclosureEntry:
    """One item (or one rule, where the rule is not itemised) and its state."""

    finding: Finding
    """The disclosure rule's finding on the case: its rule, quote, outcome and detail."""
    state: ItemState
    item: DisclosureItem | None = None
    """``None`` for a rule the package cannot split into items."""
    due_since: date | None = None
    produced_by: str | None = None
    step_zh: str | None = None
    step_en: str | None = None
    publication: Publication | None = None

    @property
    def rule(self) -> Rule:
        return self.finding.rule

    def step(self, lang: str) -> str | None:
        return self.step_zh if lang == "zh" else self.step_en


@attrs.frozen
class DisclosurePackage:
    """Everything a purchase must publish in its region on a day, item by item (:func:`disclosure_package`)."""

    region: str
    region_name_zh: str
    region_name_en: str
    on: date
    entries: tuple[DisclosureEntry, ...]
    case_id: str | None = None
    title: str | None = None
    status: str | None = None
    """The lifecycle state (``contracted`` …); ``None`` for a case file."""
    purchaser: str | None = None
    region_not_in_force: RegionNotInForce | None = None

    @property
    def requires_publication(self) -> bool:
        """Whether any rule in force that day asks this purchase to publish something."""
        return bool(self.entries)

    def region_name(self, lang: str) -> str:
        return self.region_name_zh if lang == "zh" else self.region_name_en

    def count(self, state: ItemState) -> int:
        return sum(1 for e in self.entries if e.state is state)


# --------------------------------------------------------------------------- building


_STEP_EVENTS: Final[dict[str, type]] = {
    "approve_budget": BudgetApproved,
    "start_tender": TenderStarted,
    "sign_contract": ContractSigned,
    "record_evaluation": EvaluationRecorded,
}
"""The event recording each producing step (its first one dates the step)."""


def _reached(state: ProcurementState, command: str) -> bool:
    """Whether the purchase has taken the step ``command`` (a command the lifecycle does not
    know is taken as reached: the rule's own answer then stands)."""
    if command == "approve_budget":
        return state.planning is not None and state.planning.budget is not None
    if command == "start_tender":
        return state.tender_rounds > 0
    if command == "sign_contract":
        return state.contract is not None and state.contract.signed_on is not None
    if command == "record_evaluation":
        return bool(state.evaluations)
    return True


class _ContractDue:
    """The decree's contract publication (art. 23) as one item, due from the signing day, as its rule reads it."""

    step_zh: Final = "签订政府购买服务合同"
    step_en: Final = "the contract signed"

    def __init__(self, case: Case, on: date) -> None:
        k = case.contract
        self.item = DisclosureItem.CONTRACT
        self.applicable = k is not None
        self.due: bool | None = k is not None and (k.signed_on is None or k.signed_on <= on)
        self.since = k.signed_on if k is not None and self.due else None
        self.produced_by = "sign_contract"


_CORE_ITEMISERS: Final[dict[str, Callable[[Case, date], Sequence[DueItem]]]] = {
    "national.disclosure.contract_published": lambda case, on: (_ContractDue(case, on),),
}


def _itemiser(finding: Finding) -> Callable[[Case, date], Sequence[DueItem]] | None:
    method = getattr(finding.rule.predicate, "disclosure_items", None)
    if callable(method):
        return cast(ItemisedDisclosure, finding.rule.predicate).disclosure_items
    return _CORE_ITEMISERS.get(finding.rule_id)


@attrs.frozen
class _Lifecycle:
    state: ProcurementState
    history: tuple[HistoryEntry, ...] | None

    @property
    def final(self) -> bool:
        return MACHINE.is_final(self.state.status)

    def step_day(self, command: str) -> date | None:
        kind = _STEP_EVENTS.get(command)
        if kind is None or self.history is None:
            return None
        return next((h.event.on for h in self.history if isinstance(h.event, kind)), None)

    def publication(self, item: DisclosureItem) -> Publication | None:
        for h in self.history or ():
            event = h.event
            if isinstance(event, DisclosureRecorded) and item in event.items:
                return Publication(on=event.on, where=event.where, recorded_by=event.actor)
        return None


def _state_as_of(proc: Procurement, on: date) -> tuple[ProcurementState, tuple[HistoryEntry, ...]]:
    """The purchase as it stood at the end of ``on``: its events dated on or before it, folded."""
    history = proc.history()
    kept = tuple(h for h in history if h.event.on <= on)
    if len(kept) == len(history):
        return proc.state, history
    state: ProcurementState | None = None
    for h in kept:
        state = evolve(state, h.event, case_id=proc.case_id, version=h.version)
    assert state is not None  # the opening event is dated on or before ``on`` (checked by the caller)
    return state, kept


def disclosure_package(
    subject: Procurement | ProcurementState | Case,
    registry: Registry | None = None,
    *,
    region: str | None = None,
    on: date | None = None,
    national: bool = True,
) -> DisclosurePackage:
    """What ``subject`` must publish in its region on ``on``, item by item, with the rules behind it.

    ``subject`` is a purchase (:class:`~socialwork_procurement.Procurement`: its registry, region
    and history are used, so each published item shows when, where and by whom it was recorded),
    a :class:`~socialwork_procurement.ProcurementState` (give ``registry``; no publication dates),
    or a :class:`~socialwork_procurement.Case` (give ``registry``, ``region`` and ``on``). For a
    purchase ``on`` defaults to its last step's day; an earlier day shows the purchase as it stood
    then. ``national=False`` leaves out the national layer.

    Raises :class:`TypeError` when an argument a subject needs is missing, :class:`ValueError`
    for a ``region`` that is not the purchase's or a day before it was opened, and
    :class:`~socialwork_procurement.UnknownRegion` for a region no pack declares.
    """
    life: _Lifecycle | None = None
    case_id = title = status = purchaser = None
    if isinstance(subject, Procurement | ProcurementState):
        if isinstance(subject, Procurement):
            registry = registry or subject.registry
            state = subject.state
        else:
            state = subject
        if registry is None:
            raise TypeError("disclosure_package of a ProcurementState needs the registry")
        if region is not None and region != state.region:
            raise ValueError(f"case {state.case_id!r} is a purchase of region {state.region!r}, not {region!r}")
        on = on or state.last_on
        if on < state.opened_on:
            raise ValueError(f"case {state.case_id!r} was opened on {state.opened_on.isoformat()}, after {on}")
        history: tuple[HistoryEntry, ...] | None = None
        if isinstance(subject, Procurement):
            state, history = _state_as_of(subject, on)
        life = _Lifecycle(state, history)
        region, case = state.region, state.to_case()
        case_id, title, status, purchaser = state.case_id, state.title, state.status.value, state.purchaser.name
    elif isinstance(subject, Case):
        if registry is None or region is None or on is None:
            raise TypeError("disclosure_package of a Case needs the registry, the region and the day (on)")
        case = subject
        purchaser = case.purchaser.name if case.purchaser is not None else None
    else:
        raise TypeError(f"expected a Procurement, a ProcurementState or a Case, not {type(subject).__name__}")
    verdict = registry.check(case, region=region, on=on, national=national)
    layers = verdict.trace.layers
    disclosures = sorted(
        (f for f in verdict.findings if f.rule.subject is Subject.DISCLOSURE or f.rule.kind is RuleKind.DISCLOSURE),
        # The region's own rules first, then the layers under it.
        key=lambda f: -layers.index(f.rule.region) if f.rule.region in layers else 0,
    )
    entries: list[DisclosureEntry] = []
    for finding in disclosures:
        itemise = _itemiser(finding)
        if itemise is None:
            entries.append(DisclosureEntry(finding=finding, state=_outcome_state(finding, case, life)))
            continue
        entries += [_entry(finding, due, case, life) for due in itemise(case, on)]
    record = registry.region(region)
    return DisclosurePackage(
        region=region,
        region_name_zh=record.name_zh,
        region_name_en=record.name_en,
        on=on,
        entries=tuple(entries),
        case_id=case_id,
        title=title,
        status=status,
        purchaser=purchaser,
        region_not_in_force=verdict.region_not_in_force,
    )


def _outcome_state(finding: Finding, case: Case, life: _Lifecycle | None) -> ItemState:
    """The state of a rule the package cannot split into items, from its outcome."""
    if finding.outcome is Outcome.PASS:
        return ItemState.PUBLISHED
    if finding.outcome is Outcome.FAIL:
        return ItemState.MISSING
    if finding.outcome is Outcome.NOT_APPLICABLE:
        return ItemState.NOT_APPLICABLE
    if case.published is None:
        return ItemState.UNKNOWN
    return ItemState.MISSING if life is not None and life.final else ItemState.DUE


def _entry(finding: Finding, due: DueItem, case: Case, life: _Lifecycle | None) -> DisclosureEntry:
    item = due.item
    published = case.published is not None and item in case.published
    applicable, is_due = due.applicable, due.due
    if life is not None and not _reached(life.state, due.produced_by):
        # The step that produces the item has not happened: what the case's facts suggest (a
        # contract part from the tender, before signing) does not make it due yet.
        is_due = False
    since = due.since
    if since is None and life is not None and is_due:
        since = life.step_day(due.produced_by)
    if published:
        state = ItemState.PUBLISHED
    elif not applicable or is_due is False:
        # Before a purchase ends its steps may still come; once it has ended they never will.
        if life is not None and not life.final:
            state = ItemState.NOT_YET_DUE
        else:
            state = ItemState.NOT_YET_DUE if applicable and life is None else ItemState.NOT_APPLICABLE
    elif is_due is None or case.published is None:
        state = ItemState.UNKNOWN
    elif finding.outcome is Outcome.FAIL or (life is not None and life.final):
        state = ItemState.MISSING
    else:
        state = ItemState.DUE
    return DisclosureEntry(
        finding=finding,
        state=state,
        item=item,
        due_since=since if is_due else None,
        produced_by=due.produced_by,
        step_zh=due.step_zh,
        step_en=due.step_en,
        publication=life.publication(item) if life is not None and published else None,
    )


# --------------------------------------------------------------------------- words

_ITEM_NAMES: Final = {
    DisclosureItem.PROJECT_CONTENT: ("项目内容", "project content"),
    DisclosureItem.SERVICE_STANDARDS: ("服务标准", "service standards"),
    DisclosureItem.SERVICE_REQUIREMENTS: ("服务要求", "service requirements"),
    DisclosureItem.SERVICE_CONTENT: ("服务内容", "service content"),
    DisclosureItem.BUDGET: ("预算安排", "budget"),
    DisclosureItem.PURCHASE_PROCEDURE: ("购买程序", "purchase procedure"),
    DisclosureItem.EVALUATION_STANDARDS: ("绩效评价标准", "performance-evaluation standards"),
    DisclosureItem.EVALUATION_RESULTS: ("绩效评价结果", "performance-evaluation results"),
    DisclosureItem.CONTRACT: ("政府购买服务合同", "the purchase contract"),
    DisclosureItem.ANNUAL_CATALOGUE: ("年度购买服务事项目录", "the annual catalogue of purchased services"),
}


_STATE_NAMES: Final = {
    ItemState.PUBLISHED: ("已公开", "published"),
    ItemState.DUE: ("待公开", "due (not yet published)"),
    ItemState.MISSING: ("缺失(未公开且已无法补录)", "missing (never published, and no longer can be)"),
    ItemState.NOT_YET_DUE: ("尚未到期", "not yet due"),
    ItemState.NOT_APPLICABLE: ("不适用", "not applicable"),
    ItemState.UNKNOWN: ("无法判断", "cannot tell"),
}

_STRENGTH_NAMES: Final = {
    "hard": ("硬性", "hard"),
    "hard_default": ("原则上", "hard default (in principle)"),
    "soft": ("软性", "soft"),
    "info": ("信息", "info"),
}

_LABELS: Final = {
    "title": ("信息公开材料", "Disclosure package"),
    "region": ("地区", "Region"),
    "on": ("截至", "As of"),
    "case": ("案件", "Case"),
    "status": ("案件状态", "Status"),
    "purchaser": ("购买主体", "Purchaser"),
    "item": ("事项", "Item"),
    "state": ("状态", "State"),
    "due_since": ("应公开自", "Due since"),
    "published_on": ("公开日期", "Published on"),
    "where": ("公开地点", "Where"),
    "rule": ("依据", "Rule"),
    "sources": ("依据的规则与原文", "The rules and their sources"),
    "summary": ("概况", "Summary"),
    "nothing": ("本地区在该日生效的来源未要求公开任何事项。", "No source of this region in force on that day requires "
                "anything to be published."),
    "quote_note": ("原文说明", "About the quote"),
    "by": ("登记人", "recorded by"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "zh" else pair[1]


def _check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
    return lang


def item_name(entry: DisclosureEntry, lang: str) -> str:
    """The entry's item in ``lang`` (the rule's message where the rule is not itemised)."""
    if entry.item is None:
        return entry.rule.message(lang)
    return _pick(_ITEM_NAMES[entry.item], lang)


def _source_line(rule: Rule, lang: str) -> str:
    source = rule.citation.source
    parts = [f"《{source.title}》" if lang == "zh" else source.title]
    if source.number:
        parts.append(source.number)
    parts.append(source.file or source.url or "")
    return ", ".join(p for p in parts if p)


def _unique_rules(package: DisclosurePackage) -> list[DisclosureEntry]:
    seen: dict[str, DisclosureEntry] = {}
    for entry in package.entries:
        seen.setdefault(entry.rule.rule_id, entry)
    return list(seen.values())


def _summary(package: DisclosurePackage, lang: str) -> str:
    counts = [(s, package.count(s)) for s in ItemState if package.count(s)]
    sep = "、" if lang == "zh" else ", "
    total = len(package.entries)
    listed = sep.join(f"{_pick(_STATE_NAMES[s], lang)} {n}" for s, n in counts)
    return f"共 {total} 项:{listed}" if lang == "zh" else f"{total} items: {listed}"


# --------------------------------------------------------------------------- JSON


def disclosure_json(package: DisclosurePackage, lang: str = "zh") -> dict[str, Any]:
    """The package as JSON-ready data (strings, numbers, lists, objects), texts in ``lang``."""
    lang = _check_lang(lang)
    return {
        "region": package.region,
        "region_name": package.region_name(lang),
        "on": package.on.isoformat(),
        "case_id": package.case_id,
        "title": package.title,
        "status": package.status,
        "purchaser": package.purchaser,
        "requires_publication": package.requires_publication,
        "region_not_in_force": (
            package.region_not_in_force.message(lang) if package.region_not_in_force is not None else None
        ),
        "summary": {s.value: package.count(s) for s in ItemState},
        "items": [_entry_json(e, lang) for e in package.entries],
        "rules": [_rule_json(e, lang) for e in _unique_rules(package)],
    }


def _entry_json(entry: DisclosureEntry, lang: str) -> dict[str, Any]:
    publication = entry.publication
    return {
        "item": entry.item.value if entry.item is not None else None,
        "name": item_name(entry, lang),
        "state": entry.state.value,
        "state_name": _pick(_STATE_NAMES[entry.state], lang),
        "due_since": entry.due_since.isoformat() if entry.due_since is not None else None,
        "produced_by": entry.produced_by,
        "step": entry.step(lang),
        "published_on": publication.on.isoformat() if publication is not None else None,
        "where": publication.where if publication is not None else None,
        "recorded_by": publication.recorded_by if publication is not None else None,
        "rule_id": entry.rule.rule_id,
    }


def _rule_json(entry: DisclosureEntry, lang: str) -> dict[str, Any]:
    rule = entry.rule
    source = rule.citation.source
    return {
        "rule_id": rule.rule_id,
        "region": rule.region,
        "strength": rule.strength.value,
        "basis": rule.basis.value,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to is not None else None,
        "message": rule.message(lang),
        "quote": rule.citation.quote,
        "quote_note": rule.citation.note,
        "source": {
            "title": source.title,
            "number": source.number,
            "file": source.file,
            "url": source.url,
            "date": source.date.isoformat() if source.date is not None else None,
        },
        "pack": entry.finding.pack,
        # The rule's one answer on the case's facts (the items above are its answer item by item).
        "finding": {
            "outcome": entry.finding.outcome.value,
            "detail": entry.finding.detail_zh if lang == "zh" else entry.finding.detail_en,
        },
    }


# --------------------------------------------------------------------------- Markdown

_MD_SPECIAL: Final = re.compile(r"([\\`*_\[\]<>|#])")


def _md(text: str | None) -> str:
    """Text for a Markdown table cell or line: special characters escaped, line breaks as spaces."""
    if text is None:
        return ""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _day(value: date | None) -> str:
    return value.isoformat() if value is not None else "—"


def _due_cell(entry: DisclosureEntry, lang: str) -> str:
    step = entry.step(lang)
    if entry.due_since is not None:
        return f"{entry.due_since.isoformat()}({step})" if lang == "zh" else f"{entry.due_since.isoformat()} ({step})"
    if step and entry.state in (ItemState.DUE, ItemState.NOT_YET_DUE, ItemState.MISSING, ItemState.UNKNOWN):
        return f"自{step}起" if lang == "zh" else f"from {step}"
    return "—"


def _head_lines(package: DisclosurePackage, lang: str) -> list[tuple[str, str]]:
    rows = [(_pick(_LABELS["region"], lang), f"{package.region_name(lang)} ({package.region})"),
            (_pick(_LABELS["on"], lang), package.on.isoformat())]
    if package.case_id is not None:
        rows.append((_pick(_LABELS["case"], lang), f"{package.title} ({package.case_id})"))
    if package.status is not None:
        rows.append((_pick(_LABELS["status"], lang), name(State(package.status), lang)))
    if package.purchaser is not None:
        rows.append((_pick(_LABELS["purchaser"], lang), package.purchaser))
    return rows


def disclosure_markdown(package: DisclosurePackage, lang: str = "zh") -> str:
    """The package as a Markdown page: the items in a table, then each rule with its quote."""
    lang = _check_lang(lang)
    title = _pick(_LABELS["title"], lang)
    lines = [f"# {_md(title + ': ' + (package.title or package.region_name(lang)))}", ""]
    lines += [f"- {_md(label)}: {_md(value)}" for label, value in _head_lines(package, lang)]
    lines.append("")
    if package.region_not_in_force is not None:
        lines += [f"> {_md(package.region_not_in_force.message(lang))}", ""]
    if not package.requires_publication:
        return "\n".join([*lines, _md(_pick(_LABELS["nothing"], lang)), ""])
    lines += [f"{_pick(_LABELS['summary'], lang)}: {_md(_summary(package, lang))}", ""]
    columns = ("item", "state", "due_since", "published_on", "where", "rule")
    lines.append("| " + " | ".join(_pick(_LABELS[c], lang) for c in columns) + " |")
    lines.append("|" + "---|" * len(columns))
    for entry in package.entries:
        publication = entry.publication
        cells = [
            item_name(entry, lang),
            _pick(_STATE_NAMES[entry.state], lang),
            _due_cell(entry, lang),
            _day(publication.on) if publication else "—",
            (publication.where or "—") if publication else "—",
        ]
        lines.append("| " + " | ".join(_md(c) for c in cells) + f" | `{entry.rule.rule_id}` |")
    lines += ["", f"## {_pick(_LABELS['sources'], lang)}", ""]
    for entry in _unique_rules(package):
        rule = entry.rule
        strength = _pick(_STRENGTH_NAMES[rule.strength.value], lang)
        lines += [f"### `{rule.rule_id}` ({_md(strength)})", "", _md(rule.message(lang)), ""]
        lines += [f"> 「{_md(rule.citation.quote)}」", "", f"— {_md(_source_line(rule, lang))}", ""]
        if rule.citation.note:
            lines += [f"{_pick(_LABELS['quote_note'], lang)}: {_md(rule.citation.note)}", ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- HTML

_CSS: Final = (
    "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;max-width:60rem;margin:2rem auto;"
    "padding:0 1rem;line-height:1.6;color:#222}table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #bbb;padding:.35rem .5rem;text-align:left;vertical-align:top}th{background:#f2f2f2}"
    "blockquote{margin:.5rem 0;padding:.25rem 1rem;border-left:4px solid #999;background:#fafafa}"
    ".published{color:#185c18}.due,.missing{color:#9b1c1c;font-weight:bold}.unknown{color:#7a5200}"
    ".not_yet_due,.not_applicable{color:#555}dl{display:grid;grid-template-columns:max-content auto;gap:.2rem 1rem}"
    "dt{font-weight:bold}"
)


def _h(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def disclosure_html(package: DisclosurePackage, lang: str = "zh") -> str:
    """The package as a plain HTML page (one file, no script; every text escaped)."""
    lang = _check_lang(lang)
    title = f"{_pick(_LABELS['title'], lang)}{': '}{package.title or package.region_name(lang)}"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lang == "zh" else "en"}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_h(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        f"<h1>{_h(title)}</h1>",
        "<dl>",
        *(f"<dt>{_h(label)}</dt><dd>{_h(value)}</dd>" for label, value in _head_lines(package, lang)),
        "</dl>",
    ]
    if package.region_not_in_force is not None:
        out.append(f"<p><strong>{_h(package.region_not_in_force.message(lang))}</strong></p>")
    if not package.requires_publication:
        out += [f"<p>{_h(_pick(_LABELS['nothing'], lang))}</p>", "</body>", "</html>", ""]
        return "\n".join(out)
    out.append(f"<p>{_h(_pick(_LABELS['summary'], lang))}: {_h(_summary(package, lang))}</p>")
    columns = ("item", "state", "due_since", "published_on", "where", "rule")
    out += ["<table>", "<thead><tr>" + "".join(f"<th>{_h(_pick(_LABELS[c], lang))}</th>" for c in columns)
            + "</tr></thead>", "<tbody>"]
    for entry in package.entries:
        publication = entry.publication
        where = "—"
        if publication is not None:
            by = f"({_pick(_LABELS['by'], lang)} {publication.recorded_by})"
            where = f"{publication.where or '—'} {by}"
        cells = [
            f"<td>{_h(item_name(entry, lang))}</td>",
            f'<td class="{entry.state.value}">{_h(_pick(_STATE_NAMES[entry.state], lang))}</td>',
            f"<td>{_h(_due_cell(entry, lang))}</td>",
            f"<td>{_h(_day(publication.on) if publication else '—')}</td>",
            f"<td>{_h(where)}</td>",
            f'<td><a href="#{_h(entry.rule.rule_id)}"><code>{_h(entry.rule.rule_id)}</code></a></td>',
        ]
        out.append("<tr>" + "".join(cells) + "</tr>")
    out += ["</tbody>", "</table>", f"<h2>{_h(_pick(_LABELS['sources'], lang))}</h2>"]
    for entry in _unique_rules(package):
        rule = entry.rule
        strength = _pick(_STRENGTH_NAMES[rule.strength.value], lang)
        out += [
            f'<section id="{_h(rule.rule_id)}">',
            f"<h3><code>{_h(rule.rule_id)}</code> ({_h(strength)})</h3>",
            f"<p>{_h(rule.message(lang))}</p>",
            f"<blockquote>「{_h(rule.citation.quote)}」</blockquote>",
            f"<p>— {_h(_source_line(rule, lang))}</p>",
        ]
        if rule.citation.note:
            out.append(f"<p><small>{_h(_pick(_LABELS['quote_note'], lang))}: {_h(rule.citation.note)}</small></p>")
        out.append("</section>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


_RENDERERS: Final[dict[str, Callable[[DisclosurePackage, str], object]]] = {
    "json": disclosure_json,
    "md": disclosure_markdown,
    "html": disclosure_html,
}


def render_disclosure(package: DisclosurePackage, format: str = "json", lang: str = "zh") -> str | dict[str, Any]:
    """The package in ``format`` (``json``: a ``dict``; ``md`` and ``html``: text) and ``lang``."""
    try:
        renderer = _RENDERERS[format]
    except KeyError:
        raise ValueError(f"format must be one of {', '.join(_RENDERERS)}, not {format!r}") from None
    return cast("str | dict[str, Any]", renderer(package, lang))
