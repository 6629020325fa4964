"""What the ``swp`` commands print: the JSON shapes (a stable contract for machines) and the text for people."""

from __future__ import annotations

from typing import Any

from ..model._converter import unstructure
from ..model._money import format_yuan
from ..rules._rules import (
    Basis,
    Citation,
    Decision,
    FactToDeclare,
    FeeAnswer,
    Finding,
    Outcome,
    RegionNotInForce,
    Rule,
    Silence,
    SilenceKind,
    Strength,
    Verdict,
)


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
        "input_warnings": list(verdict.input_warnings),
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

_OUTCOME_TEXT = {
    "zh": {Outcome.PASS: "通过", Outcome.FAIL: "不通过", Outcome.UNKNOWN: "未知", Outcome.NOT_APPLICABLE: "不适用"},
    "en": {Outcome.PASS: "pass", Outcome.FAIL: "FAIL", Outcome.UNKNOWN: "unknown", Outcome.NOT_APPLICABLE: "n/a"},
}
_DECISION_TEXT = {
    "zh": {Decision.ELIGIBLE: "符合", Decision.INELIGIBLE: "不符合", Decision.UNDETERMINED: "无法确定"},
    "en": {Decision.ELIGIBLE: "eligible", Decision.INELIGIBLE: "ineligible", Decision.UNDETERMINED: "undetermined"},
}
_STRENGTH_TEXT = {
    "zh": {Strength.HARD: "硬性", Strength.HARD_DEFAULT: "原则上", Strength.SOFT: "优先", Strength.INFO: "信息"},
    "en": {Strength.HARD: "hard", Strength.HARD_DEFAULT: "in principle", Strength.SOFT: "soft", Strength.INFO: "info"},
}


_BASIS_TEXT = {"zh": {Basis.LIBRARY_POLICY: "本库规则,来源未规定"}, "en": {Basis.LIBRARY_POLICY: "library policy"}}


def _value_text(value: str | bool) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else value


def verdict_text(verdict: Verdict, lang: str) -> str:
    zh = lang == "zh"
    lines = [
        f"{'地区' if zh else 'region'}: {verdict.region}   {'日期' if zh else 'on'}: {verdict.on.isoformat()}",
        f"{'结论' if zh else 'decision'}: {_DECISION_TEXT[lang][verdict.decision]}",
        "",
    ]
    if verdict.region_not_in_force is not None:
        lines.append(f"[{'未生效' if zh else 'not in force'}] {verdict.region_not_in_force.message(lang)}")
    for f in verdict.findings:
        if f.outcome is Outcome.NOT_APPLICABLE:
            continue
        label = _STRENGTH_TEXT[lang][f.rule.strength]
        if f.rule.basis in _BASIS_TEXT[lang]:
            label += " · " + _BASIS_TEXT[lang][f.rule.basis]
        lines.append(f"[{_OUTCOME_TEXT[lang][f.outcome]}] {f.rule_id} ({label}) {f.message(lang)}")
        lines.append(f"    {f.path} · {f.rule.citation.source.file or f.rule.citation.source.number}")
    for c in verdict.conflicts:
        lines.append(f"[{'冲突' if zh else 'CONFLICT'}] {c.message_zh if zh else c.message_en}")
    for w in verdict.input_warnings:
        lines.append(f"[{'输入提示' if zh else 'input warning'}] {w}")
    for f in verdict.attested:
        a = f.attestation
        assert a is not None
        lines.append(
            f"[{'已证明' if zh else 'attested'}] {f.rule_id}: "
            + (
                f"{a.condition} 由{a.attested_by}于{a.date.isoformat()}证明,依据:{a.basis}"
                if zh
                else f"{a.condition} attested by {a.attested_by} on {a.date.isoformat()}, on the basis of: {a.basis}"
            )
        )
    for s in verdict.silences:
        tag = (
            ("未核查" if zh else "not checked") if s.kind is SilenceKind.NOT_ENCODED else ("未规定" if zh else "silent")
        )
        lines.append(f"[{tag}] {s.region}: {s.statement_zh if zh else s.statement_en}")
    skipped = sum(1 for f in verdict.findings if f.outcome is Outcome.NOT_APPLICABLE)
    if skipped:
        lines.append(f"({skipped} {'条规则不适用于本案' if zh else 'rules do not apply to this case'})")
    to_decide = verdict.to_decide
    if to_decide:
        lines += ["", "为确定本案,请申报:" if zh else "to decide this case, declare:"]
        for t in to_decide:
            values = " | ".join(_value_text(x) for x in t.values)
            lines.append(f"  {t.path}" + (f" ({values})" if values else "") + f" · {', '.join(t.rule_ids)}")
            lines += [f"      {note}" for note in t.notes(lang)]
    return "\n".join(lines)
