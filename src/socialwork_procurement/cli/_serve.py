"""``swp serve``: the HTTP API and the rule explorer, on uvicorn (the ``server`` extra).

::

    swp serve                                   # http://127.0.0.1:8000/explorer/, store ./swp-cases.sqlite
    swp serve --port 8080 --store cases.sqlite
    swp serve --store postgresql://app@db/swp --schema swp   # several servers, one store

It listens on the loopback interface unless ``--host`` says otherwise: the API has no
authentication of its own, so put it behind the proxy that does before opening it to a network.
"""

from __future__ import annotations

import argparse

from .._errors import ProcurementError
from .._i18n import Message
from ._case import DEFAULT_STORE
from ._common import EXIT_OK, SubParsers, UsageError, _

_INSTALL_HINT = "pip install 'socialwork-procurement[server]'"


class ServerNotInstalled(ProcurementError, RuntimeError):
    """Starlette or uvicorn is missing: an environment error (exit 4), with what to install."""


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"expected a port number 0-65535, got {text[:20]!r}")
    return int(text)


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from ..server._app import ServerConfig, create_app
    except ImportError as exc:
        # In both languages at once, as the store's faults are: the catalogue has no words for it yet.
        raise ServerNotInstalled(
            f"swp serve 需要 server 附加组件(缺少 {exc.name}):{_INSTALL_HINT} / "
            f"swp serve needs the server extra ({exc.name} is missing): {_INSTALL_HINT}"
        ) from None
    if not args.store.strip():
        raise UsageError(Message("{option} must not be empty", option="--store"))
    config = ServerConfig(store=args.store, schema=args.schema)
    app = create_app(config)
    if args.port:  # with --port 0 the port is known once bound: uvicorn's own line names it
        print(
            f"swp: the explorer: http://{args.host}:{args.port}/explorer/ (API /api/v1, store {args.store})", flush=True
        )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, access_log=args.access_log)
    return EXIT_OK


def add_commands(sub: SubParsers) -> None:
    """Add ``swp serve`` to the ``swp`` parser (nothing of the server extra is imported until it runs)."""
    p = sub.add_parser("serve", help=_("serve the HTTP API and the rule explorer (the server extra)"))
    p.add_argument(
        "--host", default="127.0.0.1", help=_("interface to listen on (default: 127.0.0.1, this machine only)")
    )
    p.add_argument("--port", type=_port, default=8000, help=_("port (default: 8000; 0 picks a free one)"))
    p.add_argument(
        "--store",
        default=DEFAULT_STORE,
        help=_("SQLite event store file, or a PostgreSQL DSN postgresql://… (default: ./swp-cases.sqlite)"),
    )
    p.add_argument("--schema", default="public", help=_("the PostgreSQL schema of the store (default: public)"))
    p.add_argument("--log-level", choices=("critical", "error", "warning", "info", "debug"), default="info")
    p.add_argument("--no-access-log", dest="access_log", action="store_false", help=_("do not log every request"))
    p.set_defaults(func=cmd_serve)
