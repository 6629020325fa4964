"""The ASGI application: :func:`create_app`, its event store, its registries and its explorer.

Why Starlette with the library's own converter rather than a framework that structures attrs
classes itself (Litestar): a case file must be read by :func:`~socialwork_procurement.loads`,
the one strict converter, so the HTTP API refuses exactly what ``swp check`` refuses, with the
same message at the same JSON path, all problems at once; a framework's own validation would
accept ``"false"`` as false or stop at the first problem, and its messages would differ. Starlette
only routes and answers.

What a process holds (the store, the registries) is :class:`._server.Server`.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Final

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..rules._registry import Registry
from ..store._protocol import EventStore
from ._failures import LOG, TEXT, error_answer
from ._http import JSON, request_lang
from ._openapi import openapi_document
from ._routes import ENDPOINTS, wrap
from ._screen import ScreenEndpoint
from ._seeds import find_seeds_dir
from ._server import DEFAULT_STORE, Server, ServerConfig, open_store

__all__ = ["DEFAULT_STORE", "EXPLORER_DIR", "Server", "ServerConfig", "create_app", "open_store"]

EXPLORER_DIR: Final = Path(__file__).parent / "_explorer"
"""The rule explorer: plain HTML, JavaScript and CSS, served as they are (no build step)."""


_HEADERS: Final = (
    # The explorer loads nothing but this server (no CDN: the browser may have no network at all), and
    # no page of it may be framed by another site.
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; "
        b"frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
    ),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
)


class _SecurityHeaders:
    """Adds :data:`_HEADERS` to every answer (a plain ASGI wrapper: it never reads the request body)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *_HEADERS]}
            await send(message)

        await self.app(scope, receive, with_headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    lang = request_lang(request)
    text = TEXT[lang]
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return JSON({"error": "not_found", "message": f"{text['not_found']}: {request.url.path}"}, 404, lang=lang)
    if status == 405:
        message = text["method"].format(method=request.method)
        allowed = exc.headers.get("Allow", "") if isinstance(exc, HTTPException) and exc.headers else ""
        return JSON({"error": "method_not_allowed", "message": message}, 405, lang=lang, headers={"Allow": allowed})
    return error_answer(exc, lang)


def _explorer_root(request: Request) -> Response:
    return RedirectResponse("/explorer/", status_code=307)


def create_app(
    config: ServerConfig | None = None,
    *,
    registry: Registry | None = None,
    store: EventStore | Callable[[], EventStore] | None = None,
    seeds_dir: Path | str | None = None,
) -> Starlette:
    """The ASGI application: the HTTP API under ``/api/v1`` and the rule explorer under ``/explorer/``.

    ``config`` names the store (``ServerConfig(store="cases.sqlite")`` or a PostgreSQL DSN) and the
    body limits. ``registry`` replaces the installed packs (tests); ``store`` is an open
    :class:`~socialwork_procurement.EventStore` to use (the caller keeps it and closes it) or a
    function that opens one. ``seeds_dir`` is where the source documents are (default:
    ``$SWP_SEEDS_DIR``, else ``shared/seeds`` above the working directory).

    Serve it with uvicorn (``swp serve``, or ``uvicorn --factory
    socialwork_procurement.server._app:create_app``); it opens its store on first use and closes
    the store it opened when it shuts down.
    """
    settings = config or ServerConfig()
    seeds = Path(seeds_dir) if seeds_dir is not None else find_seeds_dir()
    server: Server = Server(
        settings,
        registry=registry,
        store=store,
        seeds_dir=seeds,
        openapi=lambda: openapi_document(ENDPOINTS, version=server.version),
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        try:
            # Opened now so a store that cannot be used is reported when the server starts; the
            # endpoints that need it answer 503 until it can be opened (each request tries again).
            await run_in_threadpool(server.store)
        except Exception as exc:
            LOG.error("the event store cannot be opened yet: %s", exc)
        try:
            yield
        finally:
            server.close()

    routes: list[Route | Mount] = []
    screen = ScreenEndpoint()
    for endpoint in ENDPOINTS:
        if endpoint.handler is None:
            routes.append(Route(endpoint.path, screen, methods=[endpoint.method], name=endpoint.operation_id))
        else:
            routes.append(
                Route(endpoint.path, wrap(endpoint.handler), methods=[endpoint.method], name=endpoint.operation_id)
            )
    routes.append(Route("/", _explorer_root, methods=["GET"], name="root"))
    routes.append(Mount("/explorer", StaticFiles(directory=EXPLORER_DIR, html=True), name="explorer"))
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(_SecurityHeaders)],
        exception_handlers={HTTPException: _http_error, Exception: _http_error},
    )
    app.state.swp = server
    return app
