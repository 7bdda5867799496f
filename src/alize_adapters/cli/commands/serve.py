"""
``alize serve``: the register's HTTP API (:mod:`alize_adapters.serve`), served by uvicorn.

``alize serve [--db PATH] [--host 127.0.0.1] [--port 8000] [--max-body BYTES]
[--cors-origin ORIGIN]…`` answers on ``http://HOST:PORT`` until it is stopped (Ctrl-C or
SIGTERM). An option not given is read from ``[serve]`` of ``alize.toml``
(:class:`~alize_adapters.cli.config.ServeConfig`: ``host``, ``port``, ``max_body_size``,
``cors_origins``), else its default. It listens on 127.0.0.1 by default: put a reverse proxy with TLS in front of it
to open it to a network. It needs the extra ``alize[serve]`` (Litestar and uvicorn);
without it, it says so in one line and exits with status 1.

Exit status: 0 once stopped (Ctrl-C or SIGTERM); 1 without the extra ``alize[serve]``, on
a register that cannot be opened, or when the port cannot be listened on.

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import Any

from alize_adapters.cli.commands._db import add_db_option, sqlite_only
from alize_adapters.cli.config import config_of, configured_db


__all__ = ["register", "run"]

MISSING: str = "alize: error: serve: the HTTP API needs its extra: pip install 'alize[serve]'"
"""What ``alize serve`` prints when Litestar or uvicorn is not installed."""


def _port(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (1 to 65535)")
    return int(text)


def _bytes(text: str) -> int:
    if not (text.isascii() and text.isdigit()) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of bytes (1 or more)")
    return int(text)


def register(subparsers: Any) -> None:
    """Add the ``serve`` command."""
    parser = subparsers.add_parser(
        "serve",
        help="serve the register's HTTP API (needs the extra alize[serve])",
        description="Serve the register's JSON HTTP API with uvicorn: POST /commands records a"
        " command for the actor of the request's token (alize token add), the GET endpoints"
        " read the register; GET /openapi.json describes them all.",
    )
    add_db_option(parser)
    parser.add_argument("--host", help="default: [serve] host in alize.toml, else 127.0.0.1")
    parser.add_argument("--port", type=_port, help="default: [serve] port, else 8000")
    parser.add_argument(
        "--max-body",
        type=_bytes,
        metavar="BYTES",
        help="the largest request body accepted (default: [serve] max_body_size, else"
        " 65536); larger ones get 413",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="an origin browsers may call the API from, e.g. https://crm.example.org"
        " (repeat for each; default: none, CORS off)",
    )
    parser.add_argument(
        "--access-log", action="store_true", help="log every request (default: errors only)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Serve the API until stopped."""
    db = sqlite_only(configured_db(args), "alize serve")  # a URL is refused first, extra or not
    if importlib.util.find_spec("litestar") is None or importlib.util.find_spec("uvicorn") is None:
        print(MISSING, file=sys.stderr)
        return 1
    # Imported here: without the extra alize[serve] the rest of the command line still runs.
    import uvicorn  # noqa: PLC0415

    from alize_adapters.serve import create_app  # noqa: PLC0415

    config = config_of(args).serve
    app = create_app(
        db,
        max_body=args.max_body or config.max_body_size,
        cors_origins=tuple(args.cors_origin or config.cors_origins),
    )
    uvicorn.run(
        app,
        host=args.host or config.host,
        port=args.port or config.port,
        access_log=args.access_log,
        server_header=False,
        lifespan="on",
    )
    return 0
