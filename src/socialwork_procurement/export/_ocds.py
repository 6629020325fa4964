"""OCDS 1.1 export: a purchase's stored history as an Open Contracting release package.

``to_ocds_release_package(procurement, ocid_prefix=..., publisher=...)`` turns the events of one
purchase into an `OCDS 1.1 <https://standard.open-contracting.org/1.1/>`_ release package: one
release per stored event that changes the contracting process, tagged from the ``releaseTag``
codelist, dated by the moment the event was stored. ``dumps_ocds`` writes it as JSON with every
amount an exact JSON number (money is ``Decimal`` and never passes through ``float``);
``compiled_release`` merges the releases into the current state by the OCDS merge routine.

Every mapping from this library's lifecycle to OCDS codes is *ours* (OCDS does not know a
流标 or a 结项验收); ``docs/ocds.md`` lists each one and what is left out. The export needs no
third-party package: the tests validate it against the official schema with ``jsonschema``.

Each release is a full snapshot of the process as of its event (everything known then). Where a
field known before is no longer true (a re-tender without the first round's method reason, a
milestone no longer met) the release says ``null``, the OCDS way to remove a field, so merging the
releases gives exactly the latest snapshot.
"""

from __future__ import annotations

import copy
import json
import re
import unicodedata
import uuid
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Final

import attrs

from .._errors import ProcurementError
from ..lifecycle._events import (
    BudgetApproved,
    CaseAccepted,
    CaseCancelled,
    CaseClosed,
    CaseOpened,
    ContractorAwarded,
    ContractSigned,
    ContractTerminated,
    DisclosureRecorded,
    EvaluationFeeReserved,
    EvaluationRecorded,
    Event,
    NeedsAssessed,
    ServiceStarted,
    TenderFailed,
    TenderStarted,
)
from ..lifecycle._procurement import HistoryEntry, Procurement, ProcurementState, evolve
from ..model._money import format_decimal
from ..model._types import Evaluation, EvaluationResult, EvaluationStage, EvaluatorRole, ProcurementMethod

__all__ = [
    "OCDS_VERSION",
    "InvalidOcidPrefix",
    "OcdsPublisher",
    "compiled_release",
    "dumps_ocds",
    "to_ocds_release_package",
    "validate_ocid_prefix",
]

OCDS_VERSION: Final = "1.1"
"""The OCDS version of the packages written (the schema files are those of 1.1.5)."""

CURRENCY: Final = "CNY"
"""Every amount of this library is in yuan (人民币)."""

USCI_SCHEME: Final = "CN-USCI"
"""org-id.guide's list code for China's Unified Social Credit Identifier (统一社会信用代码)."""

LANGUAGE: Final = "zh"
"""The language of the free text (names, titles, reasons) the releases carry."""

CHINA_OFFSET: Final = "+08:00"
"""China Standard Time, the time zone of the calendar days the events record (no DST since 1991)."""

_PREFIX = re.compile(r"ocds-[a-z0-9]{6}")

METHODS: Final[Mapping[ProcurementMethod, tuple[str | None, str]]] = {
    ProcurementMethod.OPEN_TENDER: ("open", "公开招标"),
    ProcurementMethod.INVITED_TENDER: ("selective", "邀请招标"),
    ProcurementMethod.COMPETITIVE_NEGOTIATION: ("limited", "竞争性谈判"),
    ProcurementMethod.COMPETITIVE_CONSULTATION: ("limited", "竞争性磋商"),
    ProcurementMethod.REQUEST_FOR_QUOTATION: ("limited", "询价"),
    ProcurementMethod.SINGLE_SOURCE: ("direct", "单一来源采购"),
    ProcurementMethod.OTHER: (None, "其他采购方式"),
}
"""Our method -> (OCDS ``method`` code or ``None``, the Chinese name for ``procurementMethodDetails``)."""

_STAGES: Final[Mapping[EvaluationStage, tuple[str, str]]] = {
    EvaluationStage.MIDTERM: ("midterm-evaluation", "中期评估"),
    EvaluationStage.FINAL: ("final-evaluation", "末期评估"),
}
_EVALUATORS: Final[Mapping[EvaluatorRole, str]] = {
    EvaluatorRole.PURCHASER: "购买主体",
    EvaluatorRole.SERVICE_RECIPIENT: "服务对象",
    EvaluatorRole.THIRD_PARTY: "第三方",
}
_RESULTS: Final[Mapping[EvaluationResult, str]] = {
    EvaluationResult.EXCELLENT: "优秀",
    EvaluationResult.GOOD: "良好",
    EvaluationResult.PASS: "合格",
    EvaluationResult.FAIL: "不合格",
}


class InvalidOcidPrefix(ProcurementError, ValueError):
    """The OCDS prefix is not of the form ``ocds-`` and six lower-case letters or digits.

    The prefix is the one the Open Contracting Partnership registered for the publisher: this
    library never makes one up.
    """


def validate_ocid_prefix(prefix: object) -> str:
    """Return ``prefix`` if it has the form of a registered OCDS prefix (``ocds-[a-z0-9]{6}``).

    Only the form is checked; whether it is *yours* is for you to know.
    """
    if not isinstance(prefix, str) or not _PREFIX.fullmatch(prefix):
        raise InvalidOcidPrefix(
            f"{prefix!r} is not an OCDS prefix: it is 'ocds-' and six lower-case letters or digits (ocds-a1b2c3), "
            "the prefix registered for the publisher with the Open Contracting Partnership"
        )
    return prefix


def _non_empty(_inst: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{attribute.name} must be a non-empty string")


_opt_str = attrs.validators.optional(attrs.validators.instance_of(str))


@attrs.frozen
class OcdsPublisher:
    """Who publishes the package (OCDS ``publisher``): a name, and optionally an identifier.

    ``scheme``/``uid`` identify the publisher in an org-id.guide list (``CN-USCI`` and its
    统一社会信用代码); ``uri`` is a web address for it.
    """

    name: str = attrs.field(validator=_non_empty)
    scheme: str | None = attrs.field(default=None, validator=_opt_str)
    uid: str | None = attrs.field(default=None, validator=_opt_str)
    uri: str | None = attrs.field(default=None, validator=_opt_str)

    def to_json(self) -> dict[str, str]:
        data = {"name": self.name}
        for key in ("scheme", "uid", "uri"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        return data


# --------------------------------------------------------------------------- dates and values


def _instant(moment: datetime) -> str:
    """A stored moment (timezone-aware) as ISO 8601 with its offset."""
    if moment.utcoffset() is None:
        raise ValueError(f"a release date needs a timezone; got the naive datetime {moment.isoformat()}")
    return moment.isoformat()


def _day(day: date) -> str:
    """A calendar day as the instant it begins in China."""
    return f"{day.isoformat()}T00:00:00{CHINA_OFFSET}"


def _day_end(day: date) -> str:
    """The last second of a calendar day in China (a period's inclusive end)."""
    return f"{day.isoformat()}T23:59:59{CHINA_OFFSET}"


def _value(amount: Decimal) -> dict[str, Any]:
    return {"amount": amount, "currency": CURRENCY}


# --------------------------------------------------------------------------- building releases


def _same_name(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split()).casefold()


class _Builder:
    """Folds a case's events into the OCDS view of the process, one snapshot per release."""

    def __init__(self, case_id: str) -> None:
        self.case_id = case_id
        self.parties: dict[str, dict[str, Any]] = {}
        self.party_ids: dict[tuple[str, str], str] = {}
        self.buyer: dict[str, Any] | None = None
        self.planning: dict[str, Any] = {}
        self.planning_milestones: list[dict[str, Any]] = []
        self.tender: dict[str, Any] = {}
        self.tender_documents: list[dict[str, Any]] = []
        self.rounds = 0
        self.awards: list[dict[str, Any]] = []
        self.contract: dict[str, Any] | None = None
        self.contract_documents: list[dict[str, Any]] = []
        self.milestones: list[dict[str, Any]] = []
        self.evaluations: dict[EvaluationStage, list[Evaluation]] = {s: [] for s in EvaluationStage}

    # -- parties ------------------------------------------------------------------------------

    def _party(self, name: str, uscc: str | None, role: str) -> dict[str, Any]:
        """The party for this organisation (same USCC, or same name if none), with ``role`` added."""
        key = ("uscc", uscc) if uscc is not None else ("name", _same_name(name))
        party_id = self.party_ids.get(key)
        if party_id is None:
            if uscc is not None:
                party_id = f"{USCI_SCHEME}-{uscc}"
            else:
                party_id = f"org-{sum(1 for k in self.party_ids if k[0] == 'name') + 1}"
            self.party_ids[key] = party_id
            party: dict[str, Any] = {"id": party_id, "name": name}
            if uscc is not None:
                party["identifier"] = {"scheme": USCI_SCHEME, "id": uscc, "legalName": name}
            party["roles"] = []
            self.parties[party_id] = party
        party = self.parties[party_id]
        if role not in party["roles"]:
            party["roles"].append(role)
        return {"id": party_id, "name": party["name"]}

    # -- events -------------------------------------------------------------------------------

    def apply(self, event: Event) -> tuple[str, ...]:
        """Fold ``event`` in; return the release tags (``()``: the event makes no release)."""
        match event:
            case CaseOpened():
                self.buyer = self._party(event.purchaser.name, event.purchaser.uscc, "buyer")
                self.tender = self._planned_tender(event.title)
                return ("planning",)
            case NeedsAssessed():
                self.planning["rationale"] = event.summary
                self._planning_milestone("needs-assessment", "需求摸底调查", "preProcurement", event.on)
                return ("planningUpdate",)
            case BudgetApproved():
                if event.planning.budget is not None:
                    self.planning["budget"] = {"amount": _value(event.planning.budget)}
                self._planning_milestone("budget-approval", "编制预算", "approval", event.on)
                return ("planningUpdate",)
            case TenderStarted():
                self._start_tender(event)
                return ("tender",)
            case TenderFailed():
                return self._fail_tender(event)
            case ContractorAwarded():
                self._award(event)
                return ("award",)
            case ContractSigned():
                self._sign(event)
                return ("contract",)
            case EvaluationFeeReserved() | DisclosureRecorded():
                return ()
            case ServiceStarted():
                milestone = self._milestone("service-start")
                milestone.update(status="met", dateMet=_day(event.on), dateModified=_day(event.on))
                return ("implementation",)
            case EvaluationRecorded():
                self._evaluate(event.evaluation)
                return ("implementation",)
            case CaseAccepted():
                self.milestones.append(
                    {
                        "id": "acceptance",
                        "title": "结项验收",
                        "type": "approval",
                        "code": "acceptance",
                        "status": "met",
                        "dateMet": _day(event.on),
                        "dateModified": _day(event.on),
                    }
                )
                return ("implementation",)
            case CaseClosed():
                self._contract()["status"] = "terminated"
                return ("contractTermination",)
            case ContractTerminated():
                self._terminate(event)
                return ("contractTermination",)
            case CaseCancelled():
                return self._cancel(event)
        raise TypeError(f"not an event: {event!r}")  # pragma: no cover - the match is exhaustive

    def _planned_tender(self, title: str) -> dict[str, Any]:
        return {
            "id": f"{self.case_id}-tender-{self.rounds + 1}",
            "title": title,
            "status": "planning",
            "mainProcurementCategory": "services",
        }

    def _planning_milestone(self, milestone_id: str, title: str, kind: str, on: date) -> None:
        self.planning_milestones = [m for m in self.planning_milestones if m["id"] != milestone_id]
        self.planning_milestones.append(
            {"id": milestone_id, "title": title, "type": kind, "status": "met", "dateMet": _day(on)}
        )

    def _start_tender(self, event: TenderStarted) -> None:
        self.rounds += 1
        code, name = METHODS[event.method]
        tender: dict[str, Any] = {
            "id": f"{self.case_id}-tender-{self.rounds}",
            "title": self.tender["title"],
            "status": "active",
        }
        if code is not None:
            tender["procurementMethod"] = code
        tender["procurementMethodDetails"] = name
        if event.method_reason is not None:
            tender["procurementMethodRationale"] = event.method_reason
        tender["mainProcurementCategory"] = "services"
        self.tender = tender

    def _active_award(self) -> dict[str, Any] | None:
        return next((a for a in self.awards if a["status"] == "active"), None)

    def _fail_tender(self, event: TenderFailed) -> tuple[str, ...]:
        tags: tuple[str, ...] = ("tenderUpdate",)
        award = self._active_award()
        if award is not None:
            award["status"] = "cancelled"
            tags = ("awardCancellation", "tenderUpdate")
        self.tender["status"] = "unsuccessful"
        if event.reason is not None:
            self.tender_documents.append(
                {
                    "id": f"{self.case_id}-tender-{self.rounds}-unsuccessful",
                    "title": f"第{self.rounds}轮采购未成功的原因",
                    "description": event.reason,
                }
            )
        return tags

    def _award(self, event: ContractorAwarded) -> None:
        self.tender["status"] = "complete"
        supplier = self._party(event.contractor.name, event.contractor.uscc, "supplier")
        award: dict[str, Any] = {
            "id": f"{self.case_id}-award-{len(self.awards) + 1}",
            "status": "active",
            "date": _day(event.on),
        }
        if event.amount is not None:
            award["value"] = _value(event.amount)
        award["suppliers"] = [supplier]
        self.awards.append(award)

    def _sign(self, event: ContractSigned) -> None:
        award = self._active_award()
        signed = event.contract
        if award is None or signed.service_period is None or signed.amount is None:
            raise ValueError(f"case {self.case_id!r}: contract_signed without an active award, a period or an amount")
        period = signed.service_period
        contract: dict[str, Any] = {
            "id": f"{self.case_id}-contract-1",
            "awardID": award["id"],
            "status": "active",
            "period": {"startDate": _day(period.start), "endDate": _day_end(period.end)},
            "value": _value(signed.amount),
            "dateSigned": _day(event.on),
        }
        self.contract = contract
        self.milestones = [
            {
                "id": "service-start",
                "title": "服务开始",
                "type": "delivery",
                "code": "service_start",
                "dueDate": _day(period.start),
                "status": "scheduled",
            },
            *(
                {
                    "id": _STAGES[stage][0],
                    "title": _STAGES[stage][1],
                    "type": "assessment",
                    "code": stage.value,
                    "dueDate": _day(due),
                    "status": "scheduled",
                }
                for stage, due in (
                    (EvaluationStage.MIDTERM, event.schedule.midterm),
                    (EvaluationStage.FINAL, event.schedule.final),
                )
                # Only where the region's rules ask for a mid-term evaluation is one planned.
                if stage is EvaluationStage.FINAL or event.schedule.midterm_required
            ),
        ]

    def _contract(self) -> dict[str, Any]:
        if self.contract is None:
            raise ValueError(f"case {self.case_id!r}: an event about the contract before it was signed")
        return self.contract

    def _milestone(self, milestone_id: str) -> dict[str, Any]:
        for milestone in self.milestones:
            if milestone["id"] == milestone_id:
                return milestone
        raise ValueError(f"case {self.case_id!r}: no milestone {milestone_id!r} before its event")

    def _evaluate(self, evaluation: Evaluation) -> None:
        held = self.evaluations[evaluation.stage]
        held.append(evaluation)
        milestone_id, title = _STAGES[evaluation.stage]
        if evaluation.stage is EvaluationStage.MIDTERM and not any(m["id"] == milestone_id for m in self.milestones):
            # A mid-term the schedule did not require (Henan, Ningxia) is recorded all the same: its
            # milestone starts with the evaluation, with no due date, since none was planned.
            final_id = _STAGES[EvaluationStage.FINAL][0]
            at = next((i for i, m in enumerate(self.milestones) if m["id"] == final_id), len(self.milestones))
            self.milestones.insert(  # before the final evaluation, where a planned one stands
                at, {"id": milestone_id, "title": title, "type": "assessment", "code": evaluation.stage.value}
            )
        milestone = self._milestone(milestone_id)
        results = [e.result for e in held if e.result is not None]
        if not results:
            status = "scheduled"
        elif all(r.passed for r in results):
            status = "met"
        elif not any(r.passed for r in results):
            status = "notMet"
        else:
            status = "partiallyMet"
        milestone["description"] = ";".join(_evaluation_text(e) for e in held)
        milestone["status"] = status
        milestone["dateModified"] = _day(max(e.date for e in held))
        if status == "met":
            milestone["dateMet"] = _day(max(e.date for e in held if e.result is not None))
        else:
            milestone.pop("dateMet", None)

    def _terminate(self, event: ContractTerminated) -> None:
        contract = self._contract()
        contract["status"] = "terminated"
        for milestone in self.milestones:
            if milestone["status"] == "scheduled":
                milestone.update(status="notMet", dateModified=_day(event.on))
        if event.reason is not None:
            self.contract_documents.append(
                {
                    "id": f"{self.case_id}-contract-1-termination",
                    "title": "合同解除的原因",
                    "description": event.reason,
                }
            )

    def _cancel(self, event: CaseCancelled) -> tuple[str, ...]:
        tags: tuple[str, ...] = ("tenderCancellation",)
        award = self._active_award()
        if award is not None:
            award["status"] = "cancelled"
            tags = ("tenderCancellation", "awardCancellation")
        self.tender["status"] = "cancelled"
        if event.reason is not None:
            self.tender_documents.append(
                {
                    "id": f"{self.case_id}-cancellation",
                    "documentType": "cancellationDetails",
                    "title": "取消采购的原因",
                    "description": event.reason,
                }
            )
        return tags

    # -- the snapshot -------------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The process as known now (fresh objects: later events never change a snapshot)."""
        body: dict[str, Any] = {"parties": list(self.parties.values())}
        if self.buyer is not None:
            body["buyer"] = self.buyer
        planning = dict(self.planning)
        if self.planning_milestones:
            planning["milestones"] = self.planning_milestones
        if planning:
            body["planning"] = planning
        tender = dict(self.tender)
        if self.tender_documents:
            tender["documents"] = self.tender_documents
        body["tender"] = tender
        if self.awards:
            body["awards"] = self.awards
        if self.contract is not None:
            contract = dict(self.contract)
            if self.contract_documents:
                contract["documents"] = self.contract_documents
            contract["implementation"] = {"milestones": [_in_order(m, _MILESTONE_KEYS) for m in self.milestones]}
            body["contracts"] = [contract]
        return copy.deepcopy(body)


_MILESTONE_KEYS: Final = ("id", "title", "type", "code", "description", "dueDate", "dateMet", "dateModified", "status")


def _in_order(data: dict[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    """``data`` with ``keys`` first, in that order (JSON readers do not care; people do)."""
    return {**{k: data[k] for k in keys if k in data}, **{k: v for k, v in data.items() if k not in keys}}


def _evaluation_text(evaluation: Evaluation) -> str:
    result = _RESULTS[evaluation.result] if evaluation.result is not None else "结果未记录"
    score = f",{format_decimal(evaluation.score)}分" if evaluation.score is not None else ""
    role = _EVALUATORS[evaluation.evaluator_role]
    return f"{evaluation.date.isoformat()} {role}({evaluation.evaluator}):{result}{score}"


def _removals(before: Any, now: Any) -> Any:
    """``now`` with ``None`` for every field ``before`` had and ``now`` lacks (OCDS: remove it)."""
    if isinstance(before, dict) and isinstance(now, dict):
        out = {key: _removals(before.get(key), value) for key, value in now.items()}
        for key in before:
            if key not in now:
                out[key] = None
        return out
    if _is_identified_list(before) and _is_identified_list(now):
        by_id = {item["id"]: item for item in before}
        ids = {item["id"] for item in now}
        missing = [i for i in by_id if i not in ids]
        if missing:  # pragma: no cover - the builder only ever adds to these lists
            raise AssertionError(f"an OCDS array lost the objects {missing}")
        return [_removals(by_id.get(item["id"]), item) for item in now]
    return now


def _is_identified_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(i, dict) and "id" in i for i in value)


# --------------------------------------------------------------------------- the package


def to_ocds_release_package(
    source: Procurement | ProcurementState,
    history: Sequence[HistoryEntry] | None = None,
    *,
    ocid_prefix: str,
    publisher: OcdsPublisher | str,
    uri: str | None = None,
    license: str | None = None,
    publication_policy: str | None = None,
) -> dict[str, Any]:
    """The purchase as an OCDS 1.1 release package (a ``dict``; write it with :func:`dumps_ocds`).

    ``source`` is a :class:`~socialwork_procurement.Procurement` (its stored history is read), or
    a :class:`~socialwork_procurement.ProcurementState` with its ``history`` (every
    :class:`~socialwork_procurement.HistoryEntry` from version 1, as ``Procurement.history()``
    gives them); the history is replayed and must end in that state.

    ``ocid_prefix`` is the publisher's registered OCDS prefix (``ocds-`` and six lower-case
    letters or digits; :class:`InvalidOcidPrefix` otherwise): the ocid is
    ``f"{ocid_prefix}-{case_id}"``. ``publisher`` is an :class:`OcdsPublisher` or its name.
    ``uri`` is where the package is published; by default a ``urn:uuid:`` derived from the ocid
    and the last event (the same history gives the same URI). ``license`` and
    ``publication_policy`` are URLs, left out when ``None``.

    Amounts are ``Decimal``: ``json.dumps`` refuses the package on purpose, :func:`dumps_ocds`
    writes them as exact JSON numbers.
    """
    prefix = validate_ocid_prefix(ocid_prefix)
    if isinstance(source, Procurement):
        if history is not None:
            raise TypeError("give a Procurement alone (its history is read from its store), or a state and its history")
        case_id = source.case_id
        entries: Sequence[HistoryEntry] = source.history()
    elif isinstance(source, ProcurementState):
        if history is None:
            raise TypeError("a ProcurementState needs its history (Procurement.history())")
        case_id = source.case_id
        entries = history
    else:
        raise TypeError(f"expected a Procurement or a ProcurementState, not {type(source).__name__}")
    if not entries:
        raise ValueError(f"case {case_id!r} has no history to export")
    if "#" in case_id:
        raise ValueError(f"case id {case_id!r} contains '#', which OCDS release ids must not")
    if isinstance(publisher, str):
        publisher = OcdsPublisher(name=publisher)
    elif not isinstance(publisher, OcdsPublisher):
        raise TypeError(f"publisher must be an OcdsPublisher or a name, not {type(publisher).__name__}")

    ocid = f"{prefix}-{case_id}"
    builder = _Builder(case_id)
    state: ProcurementState | None = None
    releases: list[dict[str, Any]] = []
    previous: dict[str, Any] = {}
    for entry in entries:
        state = evolve(state, entry.event, case_id=case_id, version=entry.version)  # InvalidHistory if out of order
        tags = builder.apply(entry.event)
        if not tags:
            continue
        body = builder.snapshot()
        release: dict[str, Any] = {
            "ocid": ocid,
            "id": f"{case_id}-v{entry.version}",
            "date": _instant(entry.recorded_at),
            "tag": list(tags),
            "initiationType": "tender",
            "language": LANGUAGE,
        }
        release.update(_removals(previous, body))
        releases.append(release)
        previous = body
    if isinstance(source, ProcurementState) and state != source:
        raise ValueError(f"the history of case {case_id!r} does not end in the state given (replayed: {state!r})")

    last = entries[-1]
    package: dict[str, Any] = {
        "uri": uri or f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{ocid}#{last.version}:{last.hash}')}",
        "version": OCDS_VERSION,
        "publishedDate": _instant(last.recorded_at),
        "publisher": publisher.to_json(),
    }
    if license is not None:
        package["license"] = license
    if publication_policy is not None:
        package["publicationPolicy"] = publication_policy
    package["releases"] = releases
    return package


# --------------------------------------------------------------------------- compiled release

_OMIT_WHEN_MERGED: Final = frozenset({"id", "date", "tag"})


def compiled_release(package: Mapping[str, Any]) -> dict[str, Any]:
    """The compiled release (current state) of a package from :func:`to_ocds_release_package`.

    The OCDS merge routine over the releases in date order: ``null`` removes a field, objects
    merge field by field, arrays of objects merge by ``id``, other arrays are replaced; ``tag``
    is ``["compiled"]``, ``date`` the latest release's, ``id`` ``f"{ocid}-{date}"``. It covers
    what this export writes (one ocid, no extensions, no ``wholeListMerge`` fields); for other
    OCDS data use the reference implementation, ``ocdsmerge``.
    """
    releases = list(package.get("releases") or ())
    if not releases:
        raise ValueError("the package has no releases")
    ocids = {r["ocid"] for r in releases}
    if len(ocids) != 1:
        raise ValueError(f"a compiled release is about one ocid; the package has {sorted(ocids)}")
    ordered = sorted(releases, key=lambda r: datetime.fromisoformat(r["date"]))  # stable: ties keep their order
    merged: dict[str, Any] = {}
    for release in ordered:
        _merge(merged, {k: v for k, v in release.items() if k not in _OMIT_WHEN_MERGED})
    (ocid,) = ocids
    latest = ordered[-1]["date"]
    return {"ocid": ocid, "id": f"{ocid}-{latest}", "date": latest, "tag": ["compiled"], **merged}


def _merge(output: dict[str, Any], data: Mapping[str, Any]) -> dict[str, Any]:
    for key, value in data.items():
        if value is None:
            output.pop(key, None)
        elif isinstance(value, Mapping):
            current = output.get(key)
            output[key] = _merge(current if isinstance(current, dict) else {}, value)
        elif _is_identified_list(value):
            current = output.get(key)
            items: list[Any] = current if isinstance(current, list) else []
            for item in value:
                match = next((o for o in items if isinstance(o, dict) and o.get("id") == item["id"]), None)
                if match is None:
                    items.append(_merge({}, item))
                else:
                    _merge(match, item)
            output[key] = items
        elif isinstance(value, list) and not value:
            output.setdefault(key, [])
        else:
            output[key] = copy.deepcopy(value)
    return output


# --------------------------------------------------------------------------- JSON


def dumps_ocds(data: Any, *, indent: int | None = 2) -> str:
    """JSON text of an OCDS package or release, with every ``Decimal`` an exact JSON number.

    ``Decimal('123456789.01')`` is written ``123456789.01`` (never through ``float``); read it
    back exactly with ``json.loads(text, parse_float=Decimal)``. Floats are refused (an amount
    that was a float is already inexact), as are non-finite decimals and non-string keys.
    Otherwise the output is what ``json.dumps(data, ensure_ascii=False, indent=indent)`` writes.
    """
    parts: list[str] = []
    _write(data, parts, indent, 0)
    return "".join(parts)


def _write(value: Any, out: list[str], indent: int | None, level: int) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{value} is not a JSON number")
        out.append(format_decimal(value))
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        raise TypeError(f"refusing the float {value!r}: OCDS amounts are written from Decimal, never from float")
    elif isinstance(value, Mapping):
        _write_container(list(value.items()), "{", "}", out, indent, level, mapping=True)
    elif isinstance(value, (list, tuple)):
        _write_container(list(value), "[", "]", out, indent, level, mapping=False)
    else:
        raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _write_container(
    items: list[Any], opening: str, closing: str, out: list[str], indent: int | None, level: int, *, mapping: bool
) -> None:
    if not items:
        out.append(opening + closing)
        return
    if indent is None:
        separator, inner, outer = ", ", "", ""
    else:
        inner = "\n" + " " * (indent * (level + 1))
        outer = "\n" + " " * (indent * level)
        separator = ","
    out.append(opening)
    for index, item in enumerate(items):
        out.append((separator if index else "") + inner)
        if mapping:
            key, value = item
            if not isinstance(key, str):
                raise TypeError(f"JSON object keys must be strings, not {type(key).__name__}")
            out.append(json.dumps(key, ensure_ascii=False) + ": ")
            _write(value, out, indent, level + 1)
        else:
            _write(item, out, indent, level + 1)
    out.append(outer + closing)
