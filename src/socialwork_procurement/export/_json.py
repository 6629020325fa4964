"""The JSON shapes of answers: a stable contract shared by the ``swp`` command line and the HTTP API.

Moved here from the CLI so that the server (a layer below it) prints exactly what ``swp ... --format json``
prints: the same keys, values and messages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..model._converter import unstructure
from ..model._money import format_yuan
from ..model._types import EvaluationStage
from ..rules._diff import RulesDiff, SilenceChange
from ..rules._rules import (
    Basis,
    Citation,
    FactToDeclare,
    FeeAnswer,
    Finding,
    RegionNotInForce,
    Rule,
    Silence,
    Verdict,
)
from ._names import name

if TYPE_CHECKING:  # annotations only: `swp check` must not load the lifecycle to print a verdict
    from ..lifecycle._fold import ProcurementState
    from ..lifecycle._procurement import HistoryEntry
    from ..store._protocol import CaseVerification


def citation_json(citation: Citation, *, full: bool = False) -> dict[str, Any]:
    source = citation.source
    data: dict[str, Any] = {"file": source.file}
    if full:
        data["title"] = source.title
        data["number"] = source.number
    data["quote"] = citation.quote
    if source.url is not None:
        data["url"] = source.url  # a source outside the seeds: where its text was read
    if citation.note is not None:
        data["note"] = citation.note  # how far the quote is verified
    return data


def rule_json(rule: Rule, lang: str = "zh") -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": rule.rule_id,
        "kind": rule.kind.value,
        "strength": rule.strength.value,
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
        "citation": citation_json(rule.citation, full=True),
        "message_zh": rule.message_zh,
        "message_en": rule.message_en,
    }
    if rule.basis is not Basis.SOURCE:
        data["basis"] = rule.basis.value  # no source states it: the library's own policy
    if rule.evaluation_stages:  # the rule sets the evaluation schedule (Xiamen's 「中期和末期」)
        data["evaluation_stages"] = [s.value for s in EvaluationStage if s in rule.evaluation_stages]
        data["evaluators"] = sorted(r.value for r in rule.evaluators)
    return data


def attestation_json(finding: Finding) -> dict[str, Any] | None:
    if finding.attestation is None:
        return None
    data: dict[str, Any] = unstructure(finding.attestation)
    return {"rule_id": finding.rule_id, "path": finding.path, **data}


def finding_json(finding: Finding, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rule_id": finding.rule_id,
        "subject": finding.rule.subject.value,
        "outcome": finding.outcome.value,
        "strength": finding.rule.strength.value,
        "message": finding.message(lang),
        "citation": citation_json(finding.rule.citation),
        "path": finding.path,
    }
    # Keys that only some findings have are there only when they do, as the citation's note is.
    # The facts that decide an unknown are listed once per verdict ("to_decide", with the rules
    # waiting on each), so an unknown finding keeps the shape it had.
    if finding.rule.basis is not Basis.SOURCE:
        data["basis"] = finding.rule.basis.value
    if finding.attestation is not None:
        data["attestation"] = unstructure(finding.attestation)
    return data


def to_decide_json(fact: FactToDeclare, lang: str) -> dict[str, Any]:
    return {
        "path": fact.path,
        "values": list(fact.values),
        "rule_ids": list(fact.rule_ids),
        "notes": list(fact.notes(lang)),
    }


def silence_json(silence: Silence, lang: str) -> dict[str, Any]:
    return {
        "region": silence.region,
        "topic": silence.topic,
        "kind": silence.kind.value,
        "statement": silence.statement_zh if lang == "zh" else silence.statement_en,
        "effective_from": silence.effective_from.isoformat(),
        "effective_to": silence.effective_to.isoformat() if silence.effective_to else None,
    }


def not_in_force_json(gap: RegionNotInForce | None, lang: str) -> dict[str, Any] | None:
    if gap is None:
        return None
    return {
        "region": gap.region,
        "first_in_force": gap.first_in_force.isoformat(),
        "last_in_force": gap.last_in_force.isoformat() if gap.last_in_force else None,
        "message": gap.message(lang),
    }


def verdict_json(verdict: Verdict, lang: str) -> dict[str, Any]:
    trace = verdict.trace

    def ref(r: Any) -> dict[str, Any]:
        return {
            "rule_id": r.rule_id,
            "region": r.region,
            "effective_from": r.effective_from.isoformat(),
            "effective_to": r.effective_to.isoformat() if r.effective_to else None,
            "pack": r.pack,
        }

    return {
        "region": verdict.region,
        "on": verdict.on.isoformat(),
        "decision": verdict.decision.value,
        "findings": [finding_json(f, lang) for f in verdict.findings],
        "conflicts": [
            {
                "regional": c.regional.rule_id,
                "national": c.national.rule_id,
                "message": c.message_zh if lang == "zh" else c.message_en,
                "citations": [citation_json(c.regional.rule.citation), citation_json(c.national.rule.citation)],
            }
            for c in verdict.conflicts
        ],
        "input_warnings": [w.text(lang, name=name) for w in verdict.input_warnings],
        "to_decide": [to_decide_json(t, lang) for t in verdict.to_decide],
        "attested": [a for a in (attestation_json(f) for f in verdict.attested) if a is not None],
        "silences": [silence_json(s, lang) for s in verdict.silences],
        "region_not_in_force": not_in_force_json(verdict.region_not_in_force, lang),
        "trace": {
            "packs": [
                {"distribution": p.distribution, "version": p.version, "regions": list(p.regions)} for p in trace.packs
            ],
            "layers": list(trace.layers),
            "rules_in_force": [ref(r) for r in trace.rules_in_force],
            "rules_not_in_force": [ref(r) for r in trace.rules_not_in_force],
        },
    }


def fee_json(answer: FeeAnswer, lang: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": answer.region,
        "on": answer.on.isoformat(),
        "amount": format_yuan(answer.base_amount),
        "fee": format_yuan(answer.fee) if answer.fee is not None else None,
        "rule_id": answer.rule.rule_id if answer.rule else None,
        "citation": citation_json(answer.rule.citation, full=True) if answer.rule else None,
    }
    if answer.fee is None:
        data["reason"] = answer.reason(lang)
        data["region_not_in_force"] = not_in_force_json(answer.region_not_in_force, lang)
    return data


# -- text shapes -------------------------------------------------------------------------------
#
# The text is for people: a summary line first, the findings grouped by what they look at, then
# what did not apply, what the answer did not check and what the caller can declare to decide it.
# Every text of ours is a catalogue message in the --lang language; the texts of packs (messages,
# details, statements) have their identifiers shown by name (``_names.localize_identifiers``).
# The JSON shapes above are the contract for machines and do not change with any of this.


def diff_json(diff: RulesDiff, lang: str) -> dict[str, Any]:
    return {
        "region": diff.region,
        "from": diff.from_date.isoformat(),
        "to": diff.to_date.isoformat(),
        "layers": list(diff.layers),
        "rules": [
            {
                "change": c.change.value,
                "rule_id": c.rule_id,
                "layer": c.layer,
                "fields": list(c.fields),
                "before": rule_json(c.before, lang) if c.before is not None else None,
                "after": rule_json(c.after, lang) if c.after is not None else None,
            }
            for c in diff.rules
        ],
        "silences": [_silence_change_json(s, lang) for s in diff.silences],
        "shared_questions": [str(q) for q in diff.shared_questions],
    }


def _silence_change_json(change: SilenceChange, lang: str) -> dict[str, Any]:
    silence = change.after if change.after is not None else change.before
    statement = None if silence is None else (silence.statement_zh if lang == "zh" else silence.statement_en)
    return {"change": change.change.value, "topic": change.topic, "layer": change.layer, "statement": statement}


def history_entry_json(entry: HistoryEntry) -> dict[str, Any]:
    return {
        "version": entry.version,
        "position": entry.position,
        "recorded_at": entry.recorded_at.isoformat(),
        "event_type": entry.event_type,
        "schema_version": entry.event.SCHEMA_VERSION,
        "stored_schema_version": entry.stored_schema_version,
        "hash": entry.hash,
        "payload": unstructure(entry.event),
    }


def state_json(state: ProcurementState) -> dict[str, Any]:
    data: dict[str, Any] = unstructure(state)
    data["final"] = state.is_final
    data["allowed_actions"] = [a.value for a in state.allowed_actions]
    return data


def verification_json(result: CaseVerification, replayed: bool | None) -> dict[str, Any]:
    """``swp case verify``'s answer (and the server's) for a case whose chain verified."""
    return {
        "case_id": result.case_id,
        "ok": replayed is not False,
        "version": result.version,
        "head_hash": result.head_hash,
        "keyed": result.keyed,
        "legacy_events": result.legacy_events,
        "snapshot_version": result.snapshot_version,
        "snapshot_matches_replay": replayed,
    }
