"""The JSON shapes the server answers with: the CLI's own, from the module both share.

The server never imports the command line (a higher layer). Every shape that ``swp … --format
json`` prints comes from :mod:`..export._json`, so an app calling the API and a script calling
``swp`` read the same fields with the same values; this module only adds what the CLI builds inline
(the region list, a verification: to move beside the others) and what only the server answers (the machine).
"""

from __future__ import annotations

from typing import Any

from ..export._json import (
    diff_json,
    fee_json,
    finding_json,
    history_entry_json,
    rule_json,
    silence_json,
    state_json,
    verdict_json,
    verification_json,
)
from ..lifecycle._machine import Machine
from ..lifecycle._procurement import snapshot_matches_replay
from ..rules._registry import Registry
from ..rules._rules import Rule
from ..store._protocol import CaseSummary, StoreVerification

__all__ = [
    "case_summary_json",
    "diff_json",
    "fee_json",
    "finding_json",
    "history_entry_json",
    "machine_json",
    "regions_json",
    "rule_json",
    "rule_with_subject_json",
    "silence_json",
    "snapshot_matches_replay",
    "state_json",
    "store_verification_json",
    "verdict_json",
    "verification_json",
]


def regions_json(registry: Registry, lang: str) -> list[dict[str, Any]]:
    """``swp regions --format json``: every region with its pack's version and its sources."""
    packs = {p.distribution: p for p in registry.packs}
    rows: list[dict[str, Any]] = []
    for region in registry.regions():
        pack = packs[registry.region_pack(region.code)]
        rows.append(
            {
                "code": region.code,
                "name": region.name_zh if lang == "zh" else region.name_en,
                "version": pack.version,
                # The layer this region lies in (None for the national layer): Guangzhou in Guangdong.
                "parent": region.parent,
                "sources": [
                    {
                        "file": s.file,
                        "title": s.title,
                        "number": s.number,
                        "date": s.date.isoformat() if s.date else None,
                    }
                    for s in region.sources
                ],
            }
        )
    return rows


def rule_with_subject_json(rule: Rule, lang: str) -> dict[str, Any]:
    """``rule_json`` with the part of a case the rule looks at, which the explorer groups by.

    ``subject`` is added only where the shared shape lacks it, so the rule list stays the CLI's
    shape plus one key, never a different value for a key the CLI prints.
    """
    data: dict[str, Any] = rule_json(rule, lang)
    data.setdefault("subject", rule.subject.value)
    return data


def case_summary_json(summary: CaseSummary) -> dict[str, Any]:
    """One row of ``swp case list``."""
    return {
        "case_id": summary.case_id,
        "version": summary.version,
        "first_recorded_at": summary.first_recorded_at.isoformat(),
        "last_recorded_at": summary.last_recorded_at.isoformat(),
    }


def store_verification_json(report: StoreVerification, cases: list[dict[str, Any]]) -> dict[str, Any]:
    """``swp case verify --all``'s answer: every case, every problem, the append-only triggers."""
    return {
        "ok": report.ok and all(c["ok"] for c in cases),
        "cases": cases,
        "problems": [{"case_id": p.case_id, "version": p.version, "problem": str(p)} for p in report.problems],
        "broken_triggers": list(report.broken_triggers),
        "restored_triggers": list(report.restored_triggers),
        "keyed_since": report.keyed_since,
    }


def machine_json(machine: Machine) -> dict[str, Any]:
    """The lifecycle as data: states, transitions, final states and who may take each action."""
    return {
        "states": [s.value for s in machine.states],
        "initial": machine.initial.value,
        "initial_action": machine.initial_action.value,
        "finals": [s.value for s in machine.states if s in machine.finals],
        "transitions": [
            {"source": t.source.value, "action": t.action.value, "target": t.target.value} for t in machine.transitions
        ],
        "anywhere": [a.value for a in machine.anywhere],
        "roles": {a.value: sorted(r.value for r in roles) for a, roles in machine.roles.items()},
    }
