"""Every error an endpoint can meet, as an HTTP status and a JSON body: never a traceback.

The statuses follow the CLI's exit codes (``docs/cli.md``), one for one where HTTP has a word for it:

=========================================  ======  ==========================================
what happened                              status  CLI
=========================================  ======  ==========================================
bad input (body, query, header)            422     exit 2, one message per JSON path
unknown region, case or rule               404     exit 2
a command refused (state, role, rules)     409     exit 1, or 3 when undetermined
another writer got in first                409     exit 4 after the retries
two rules in force disagree (a fee)        409     exit 3
the body is too large                      413     exit 2 (16 MiB)
the event store cannot serve               503     exit 4
a rule pack broke, or a bug                500     exit 4, one line, no traceback
=========================================  ======  ==========================================

Each body has ``error`` (a stable code for programs) and ``message`` (for people, in the language
asked where the library has one; the library's own messages are the CLI's, word for word).
"""

from __future__ import annotations

import logging
from typing import Any, Final

from .._errors import (
    CaseNotFound,
    ConcurrencyConflict,
    InvalidInput,
    PluginError,
    ProcurementError,
    RuleConflict,
    StoreError,
    TamperDetected,
    UnknownRegion,
)
from .._i18n import Message, render
from ..lifecycle._refusals import CommandRefused, CommandUndetermined, InvalidTransition
from ..store._protocol import StoreBusy, StoreUnavailable
from ._http import JSON, PayloadTooLarge
from ._shapes import finding_json
from ._text import described, text

LOG = logging.getLogger("socialwork_procurement.server")

TEXT: Final = {
    "zh": {
        "invalid": "输入有误",
        "internal": "内部错误",
        "internal_hint": "详情见服务器日志",
        "too_large": "请求体超过 {limit} 字节",
        "not_found": "没有这个地址",
        "method": "该地址不接受 {method} 请求",
        "store": "事件库无法使用",
        "not_implemented": "尚未实现",
    },
    "en": {
        "invalid": "invalid input",
        "internal": "internal error",
        "internal_hint": "the server log has the details",
        "too_large": "the request body is larger than {limit} bytes",
        "not_found": "no such address",
        "method": "this address does not take {method} requests",
        "store": "the event store cannot be used",
        "not_implemented": "not implemented yet",
    },
}


def refusal_json(case_id: str, exc: CommandRefused, lang: str, version: int | None) -> dict[str, Any]:
    """``swp case new|do``'s answer to a refused command, with ``error`` added."""
    if isinstance(exc, CommandUndetermined):
        kind = "undetermined"
    elif isinstance(exc, InvalidTransition):
        kind = "invalid_transition"
    else:
        kind = "refused"
    return {
        "error": "command_refused",
        "case_id": case_id,
        "version": version,
        "refused": kind,
        "message": text(exc, lang),
        "findings": [finding_json(f, lang) for f in exc.findings],
    }


def _caused_by_input(exc: ProcurementError) -> bool:
    """Whether the caller's input caused ``exc`` (as the CLI decides between exit 2 and exit 4)."""
    declared = getattr(exc, "caused_by_input", None)
    if isinstance(declared, bool):
        return declared
    return isinstance(exc, ValueError | LookupError) and not isinstance(exc, RuntimeError | OSError)


def _bounded(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def error_answer(exc: BaseException, lang: str) -> JSON:
    """The status and body for ``exc``; anything unforeseen is a 500 that names only its type."""
    words = TEXT[lang]
    body: dict[str, Any]
    if isinstance(exc, InvalidInput):
        return JSON(
            {
                "error": "invalid_input",
                "message": words["invalid"],
                "problems": [{"path": p.path, "message": p.message} for p in exc.problems],
            },
            422,
            lang=lang,
        )
    if isinstance(exc, PayloadTooLarge):
        return JSON(
            {"error": "payload_too_large", "message": words["too_large"].format(limit=exc.limit)}, 413, lang=lang
        )
    if isinstance(exc, UnknownRegion):
        body = {
            "error": "unknown_region",
            "message": described(exc, lang),
            "region": exc.region,
            "known": list(exc.known),
        }
        return JSON(body, 404, lang=lang)
    if isinstance(exc, CaseNotFound):
        body = {"error": "case_not_found", "message": described(exc, lang), "case_id": exc.case_id}
        return JSON(body, 404, lang=lang)
    if isinstance(exc, CommandRefused):  # an endpoint answers these itself, with the case; this is a fallback
        return JSON(refusal_json("", exc, lang, None), 409, lang=lang)
    if isinstance(exc, ConcurrencyConflict):
        body = {
            "error": "concurrency_conflict",
            "message": described(exc, lang),
            "case_id": exc.case_id,
            "expected_version": exc.expected_version,
            "actual_version": exc.actual_version,
        }
        return JSON(body, 409, lang=lang)
    if isinstance(exc, RuleConflict):
        body = {
            "error": "rule_conflict",
            "message": render(Message("conflicting rules: {error}", error=str(exc)), lang),
            "rule_ids": list(exc.rule_ids),
            "packs": list(exc.packs),
        }
        return JSON(body, 409, lang=lang)
    if isinstance(exc, StoreBusy):
        body = {"error": "store_busy", "message": f"{words['store']}: {exc}"}
        return JSON(body, 503, lang=lang, headers={"Retry-After": "1"})
    if isinstance(exc, TamperDetected):
        LOG.error("tampered data: %s", exc)
        body = {"error": "tamper_detected", "message": str(exc), "case_id": exc.case_id, "version": exc.version}
        return JSON(body, 503, lang=lang)
    if isinstance(exc, StoreError | StoreUnavailable):
        LOG.error("event store: %s", exc)
        kind = exc.kind if isinstance(exc, StoreError) else "unavailable"
        return JSON({"error": "store_error", "kind": kind, "message": str(exc)}, 503, lang=lang)
    if isinstance(exc, PluginError):
        LOG.error("rule pack %s failed", exc.distribution, exc_info=exc)
        body = {
            "error": "pack_error",
            "message": render(
                Message(
                    "a rule pack failed ({distribution}): {error}", distribution=exc.distribution or "?", error=str(exc)
                ),
                lang,
            ),
            "distribution": exc.distribution,
        }
        return JSON(body, 500, lang=lang)
    if isinstance(exc, ProcurementError) and _caused_by_input(exc):
        # The input as a whole (``$``), as the CLI reports such an error without a path.
        problem = {"path": "$", "message": described(exc, lang)}
        body = {"error": "invalid_input", "message": words["invalid"], "problems": [problem]}
        return JSON(body, 422, lang=lang)
    if isinstance(exc, OSError):
        LOG.error("environment error", exc_info=exc)
        body = {
            "error": "store_error",
            "kind": "io",
            "message": f"{words['store']}: {type(exc).__name__}: {_bounded(str(exc))}",
        }
        return JSON(body, 503, lang=lang)
    LOG.error("internal error", exc_info=exc)
    message = f"{words['internal']}: {type(exc).__name__} ({words['internal_hint']})"
    return JSON({"error": "internal_error", "message": message}, 500, lang=lang)
