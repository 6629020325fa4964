"""``POST /api/v1/regions/{region}/screen``: JSON Lines in, JSON Lines out, both streamed.

A raw ASGI endpoint, not a Starlette response: Starlette's streaming response listens for the
client leaving by reading the request channel itself, and would take body chunks meant for the
screening. Here one coroutine owns the channel. The records are screened in one worker thread by
:func:`socialwork_procurement.screening.screen` over :func:`read_jsonl`, exactly as ``swp screen``
screens a ``.jsonl`` file, and each line out is ``swp screen --format jsonl``'s line: the worker
pulls the body a chunk at a time from the event loop and hands back the lines for the chunk, so
memory stays flat however many records come, and a slow reader slows the screening down rather
than filling the server.

Errors found before the first record (a bad parameter, an unknown region, a declared body over
the limit) are ordinary JSON error answers. Once the results have started, the status is sent;
a body that grows past the limit then ends the output with one line
``{"error": "payload_too_large", ...}`` and no record after the limit is read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, Final

import anyio
import anyio.from_thread
import anyio.to_thread
from starlette.requests import Request
from starlette.types import Message as ASGIMessage
from starlette.types import Receive, Scope, Send

from .._errors import InvalidInput
from ..screening._readers import MAX_LINE_BYTES, read_jsonl
from ..screening._screen import screen
from ._failures import TEXT, error_answer
from ._http import Params, PayloadTooLarge, request_lang, shown
from ._shapes import verdict_json

if TYPE_CHECKING:
    from anyio.streams.memory import MemoryObjectSendStream

    from ._server import Server

_FLUSH_BYTES: Final = 64 * 1024
"""Results are sent in pieces of about this size (and whenever the worker waits for more input)."""

_GONE: Final = (anyio.BrokenResourceError, anyio.ClosedResourceError)
"""What sending a result raises once the client has left."""

_JSON_LINES: Final = ("application/x-ndjson", "application/jsonl", "application/json-lines", "text/plain")


class _Feed:
    """The body as lines for :func:`read_jsonl`, pulled from the event loop one chunk at a time."""

    def __init__(self, receive: Receive, limit: int, flush: Any) -> None:
        self._receive = receive
        self._limit = limit
        self._flush = flush
        self.size = 0
        self.too_large = False
        self._more = True

    async def _next_chunk(self) -> bytes | None:
        while self._more:
            message: ASGIMessage = await self._receive()
            if message["type"] == "http.disconnect":
                self._more = False
                return None
            self._more = bool(message.get("more_body", False))
            body: bytes = message.get("body", b"")
            if body:
                return body
        return None

    def lines(self) -> Iterator[bytes]:
        pending = b""
        overlong = False  # inside a line longer than read_jsonl reads: its bytes are dropped, not kept
        while True:
            self._flush()  # what was screened so far goes out before the worker waits for input
            chunk = anyio.from_thread.run(self._next_chunk)
            if chunk is None:
                break
            self.size += len(chunk)
            if self.size > self._limit:
                self.too_large = True
                return
            start = 0
            while True:
                end = chunk.find(b"\n", start)
                if end < 0:
                    break
                piece = chunk[start : end + 1]
                start = end + 1
                if overlong:
                    overlong = False
                    yield b"x" * (MAX_LINE_BYTES + 1)  # read_jsonl reports the line as too long
                    pending = b""
                    continue
                yield pending + piece
                pending = b""
            rest = chunk[start:]
            if overlong:
                continue
            pending += rest
            if len(pending) > MAX_LINE_BYTES:
                overlong, pending = True, b""
        if overlong:
            yield b"x" * (MAX_LINE_BYTES + 1)
        elif pending:
            yield pending


class ScreenEndpoint:
    """The ASGI app routed at ``/api/v1/regions/{region}/screen``."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        lang = request_lang(request)
        server: Server = request.app.state.swp
        try:
            region, on, national, full = self._arguments(request)
            registry = server.registry(national)
            registry.layers(region, national=national)  # an unknown region is a 404 before any record
        except Exception as exc:
            await error_answer(exc, lang)(scope, receive, send)
            return
        limit = server.config.max_batch_bytes
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await error_answer(PayloadTooLarge(limit), lang)(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/x-ndjson; charset=utf-8"),
                    (b"content-language", lang.encode()),
                    (b"vary", b"Accept-Language"),
                ],
            }
        )
        out_send, out_receive = anyio.create_memory_object_stream[bytes](8)

        def work(stream: MemoryObjectSendStream[bytes]) -> None:
            pieces: list[bytes] = []
            size = 0

            def flush() -> None:
                nonlocal size
                if pieces:
                    anyio.from_thread.run(stream.send, b"".join(pieces))
                    pieces.clear()
                    size = 0

            feed = _Feed(receive, limit, flush)
            results = screen(
                read_jsonl(feed.lines()), region=region, on=on, national=national, full=full, registry=registry
            )
            try:
                try:
                    for result in results:
                        data = result.to_json()
                        if full and result.verdict is not None:
                            data["verdict"] = verdict_json(result.verdict, lang)
                        line = (json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                        pieces.append(line)
                        size += len(line)
                        if size >= _FLUSH_BYTES:
                            flush()
                except _GONE:
                    raise
                except Exception as exc:  # a rule pack that broke mid-run: the last line says so, no traceback
                    pieces.append(bytes(error_answer(exc, lang).body) + b"\n")
                if feed.too_large:
                    message = TEXT[lang]["too_large"].format(limit=limit)
                    error = {"error": "payload_too_large", "message": message}
                    pieces.append(json.dumps(error, ensure_ascii=False).encode("utf-8") + b"\n")
                flush()
            except _GONE:
                return  # the client left: nothing is left to tell

        async def produce() -> None:
            async with out_send:
                await anyio.to_thread.run_sync(work, out_send)

        async with anyio.create_task_group() as group:
            group.start_soon(produce)
            async with out_receive:
                async for piece in out_receive:
                    await send({"type": "http.response.body", "body": piece, "more_body": True})
        await send({"type": "http.response.body", "body": b"", "more_body": False})

    def _arguments(self, request: Request) -> tuple[str, date, bool, bool]:
        params = Params.of(request, "on", "national", "full")
        on = params.day("on")
        national = params.flag("national", True)
        full = params.flag("full", False)
        declared = request.headers.get("content-type")
        if declared is not None:
            media = declared.split(";", 1)[0].strip().lower()
            if media not in _JSON_LINES:
                params.add("header.Content-Type", params.say("ndjson", value=shown(media)))
        if params.problems:
            raise InvalidInput(params.problems)
        region: str = request.path_params["region"]
        return region, on or date.today(), national, full
