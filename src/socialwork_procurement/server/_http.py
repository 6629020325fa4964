"""What every endpoint shares: the language, the query parameters, the body and the JSON answer.

Parameters are read as strictly as the CLI reads its options (``--on`` is ``YYYY-MM-DD`` in ASCII
digits, a boolean is ``true`` or ``false``, nothing else); each problem is reported at its
location, ``query.on`` or ``header.If-Match``, beside the body's JSON paths (``$.contractor``),
and all of them at once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any, Final

from starlette.requests import Request
from starlette.responses import Response

from .._errors import InputProblem, InvalidInput
from .._i18n import Message, render

LANGS: Final = ("zh", "en")
"""The languages every message exists in; Chinese first, the default."""

_LANG_RANGE = re.compile(
    r"^\s*([A-Za-z]{1,8}|\*)(?:-[A-Za-z0-9]{1,8})*\s*(?:;\s*q\s*=\s*([0-9](?:\.[0-9]{0,3})?))?\s*$"
)
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MAX_SHOWN = 40


class PayloadTooLarge(Exception):
    """The request body is larger than the endpoint reads; answered 413 before anything is decided."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the request body is larger than {limit} bytes")


def negotiate(header: str | None) -> str:
    """The language an ``Accept-Language`` header prefers among :data:`LANGS` (``zh`` when none).

    Ranges are weighed by their ``q``; ``zh-CN``, ``zh-Hant`` and ``zh`` are all Chinese, ``en-GB``
    English; ``*`` or a language we do not have leaves the default. Among equal weights the first
    listed wins, as RFC 9110 asks. A malformed range is skipped, never an error: the header is a
    preference, not an input.
    """
    if not header:
        return LANGS[0]
    best: tuple[float, int, str] | None = None
    for position, item in enumerate(header.split(",")[:32]):
        match = _LANG_RANGE.match(item)
        if match is None:
            continue
        tag = match.group(1).lower()
        weight = float(match.group(2)) if match.group(2) is not None else 1.0
        if tag not in LANGS or weight <= 0:
            continue
        key = (weight, -position, tag)
        if best is None or key > best:
            best = key
    return best[2] if best is not None else LANGS[0]


def request_lang(request: Request) -> str:
    """``?lang=zh|en`` if given (a link or a curl line says it plainly), else ``Accept-Language``."""
    explicit = request.query_params.get("lang")
    if explicit in LANGS:
        return explicit
    return negotiate(request.headers.get("accept-language"))


def prefix(text: str) -> str:
    """At most 40 characters of a value quoted in a message, as ``swp`` quotes it."""
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "…"


def shown(text: str) -> str:
    return repr(prefix(text))


PARAM_TEXT: Final = {
    "zh": {
        "unknown": "未知的查询参数",
        "repeated": "重复给出",
        "missing": "缺少必需的查询参数",
        "empty": "不能为空",
        "boolean": "应为 true 或 false,实际为 {value}",
        "integer": "应为不小于 {minimum} 的整数,实际为 {value}",
        "lang": "应为 zh 或 en,实际为 {value}",
        "two_dates": "应为两个日期 FROM,TO,实际为 {value}",
        "json": "应为 application/json,实际为 {value}",
        "ndjson": "应为 application/x-ndjson(JSON Lines),实际为 {value}",
        "format": "应为 mermaid 或 dot,实际为 {value}",
        "disclosure_format": "应为 json、md 或 html,实际为 {value}",
        "on_and_diff": "on 与 diff 只能给出其一(如 swp rules 的 --on 与 --diff)",
        "empty_id": "案件编号不能为空;不指定编号请用 POST /api/v1/cases",
        "no_rule": "没有规则 {rule_id}",
        "no_rule_on": "没有在 {on} 生效的规则 {rule_id}",
    },
    "en": {
        "unknown": "unknown query parameter",
        "repeated": "given more than once",
        "missing": "required query parameter missing",
        "empty": "must not be empty",
        "boolean": "expected true or false, got {value}",
        "integer": "expected a whole number >= {minimum}, got {value}",
        "lang": "expected zh or en, got {value}",
        "two_dates": "expected two dates FROM,TO, got {value}",
        "json": "expected application/json, got {value}",
        "ndjson": "expected application/x-ndjson (JSON Lines), got {value}",
        "format": "expected mermaid or dot, got {value}",
        "disclosure_format": "expected json, md or html, got {value}",
        "on_and_diff": "give either on or diff, not both (as swp rules takes --on or --diff)",
        "empty_id": "a case id must not be empty; POST /api/v1/cases for a new random id",
        "no_rule": "no rule {rule_id}",
        "no_rule_on": "no rule {rule_id} in force on {on}",
    },
}
"""The server's own words for its parameters; the library's (a date, an amount) are the CLI's."""


class Params:
    """The query parameters of one request, read one by one; problems collect until :meth:`done`.

    Unknown parameters are refused like unknown keys of a case file: a misspelt ``?onn=`` must not
    silently give today's rules.
    """

    def __init__(
        self, query: Mapping[str, str], allowed: tuple[str, ...], counts: Mapping[str, int], lang: str
    ) -> None:
        self._query = query
        self.lang = lang
        self._text = PARAM_TEXT[lang]
        self.problems: list[InputProblem] = []
        for name in sorted(set(query)):
            if name not in allowed and name != "lang":
                self.problems.append(InputProblem(f"query.{name}", self._text["unknown"]))
            elif counts.get(name, 1) > 1:
                self.problems.append(InputProblem(f"query.{name}", self._text["repeated"]))

    @classmethod
    def of(cls, request: Request, *allowed: str) -> Params:
        counts: dict[str, int] = {}
        for key, _value in request.query_params.multi_items():
            counts[key] = counts.get(key, 0) + 1
        params = cls(request.query_params, allowed, counts, request_lang(request))
        lang = request.query_params.get("lang")
        if lang is not None and lang not in LANGS:
            params.problems.append(InputProblem("query.lang", params._text["lang"].format(value=shown(lang))))
        return params

    def say(self, key: str, **values: object) -> str:
        return self._text[key].format(**values)

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self._query.get(name)
        if value is None:
            if required:
                self.problems.append(InputProblem(f"query.{name}", self._text["missing"]))
            return None
        if not value.strip():
            self.problems.append(InputProblem(f"query.{name}", self._text["empty"]))
            return None
        return value

    def day(self, name: str) -> date | None:
        value = self.text(name)
        return None if value is None else self._day(name, value)

    def _day(self, name: str, value: str) -> date | None:
        try:
            if not _ISO_DATE.fullmatch(value):
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            # The words of ``swp … --on``, from the same catalogue message.
            message = Message("expected a date as YYYY-MM-DD, got {value!r}", value=prefix(value))
            self.problems.append(InputProblem(f"query.{name}", render(message, self.lang)))
            return None

    def days(self, name: str) -> tuple[date, date] | None:
        """``FROM,TO``: two dates, as ``swp rules --diff FROM TO`` takes them."""
        value = self.text(name)
        if value is None:
            return None
        parts = value.split(",")
        if len(parts) != 2:
            self.problems.append(InputProblem(f"query.{name}", self.say("two_dates", value=shown(value))))
            return None
        first, second = self._day(name, parts[0]), self._day(name, parts[1])
        return None if first is None or second is None else (first, second)

    def flag(self, name: str, default: bool) -> bool:
        value = self._query.get(name)
        if value is None:
            return default
        if value in ("true", "false"):
            return value == "true"
        self.problems.append(InputProblem(f"query.{name}", self.say("boolean", value=shown(value))))
        return default

    def integer(self, name: str, *, minimum: int = 0) -> int | None:
        value = self._query.get(name)
        if value is None:
            return None
        if not re.fullmatch(r"[0-9]{1,10}", value) or int(value) < minimum:
            self.problems.append(
                InputProblem(f"query.{name}", self.say("integer", minimum=minimum, value=shown(value)))
            )
            return None
        return int(value)

    def add(self, location: str, message: str) -> None:
        self.problems.append(InputProblem(location, message))

    def done(self) -> None:
        """Raise every problem found so far as one :class:`InvalidInput` (422)."""
        if self.problems:
            raise InvalidInput(self.problems)


async def read_body(request: Request, limit: int) -> bytes:
    """The whole request body, refused with :class:`PayloadTooLarge` as soon as it passes ``limit``.

    A declared ``Content-Length`` over the limit is refused before a byte is read; a body sent
    without one (chunked) is counted as it arrives, so neither way can make the server hold more.
    """
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def check_json_type(request: Request, lang: str) -> None:
    """A body must be JSON (``application/json``, a ``+json`` type, or ``text/plain`` as a browser sends a
    string) when its type is declared; a missing ``Content-Type`` is read as JSON.

    A form or a multipart upload is refused at ``header.Content-Type``. ``curl --data`` declares a form
    unless told otherwise (``-H "Content-Type: application/json"``): its body is not read as something
    it does not say it is.
    """
    declared = request.headers.get("content-type")
    if declared is None:
        return
    media = declared.split(";", 1)[0].strip().lower()
    if media in ("application/json", "text/json", "text/plain") or media.endswith("+json"):
        return
    raise InvalidInput([InputProblem("header.Content-Type", PARAM_TEXT[lang]["json"].format(value=shown(media)))])


class JSON(Response):
    """A JSON answer: UTF-8 without escapes (Chinese stays readable), never NaN, in the language asked."""

    media_type = "application/json"

    def __init__(
        self, content: Any, status_code: int = 200, *, lang: str | None = None, headers: Mapping[str, str] | None = None
    ) -> None:
        extra = dict(headers or {})
        if lang is not None:
            extra.setdefault("Content-Language", lang)
            extra.setdefault("Vary", "Accept-Language")
        super().__init__(content, status_code=status_code, headers=extra)

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
