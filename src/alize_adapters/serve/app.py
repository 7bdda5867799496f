"""
The HTTP API's application (*l'application*): :func:`create_app` puts the routes, the token
guard, the error answers and the OpenAPI document together on Litestar, for uvicorn (``alize
serve``) or any ASGI server.

>>> import tempfile, pathlib
>>> from alize_adapters.storage.sqlite import SqliteStore
>>> path = pathlib.Path(tempfile.mkdtemp()) / "alize.db"
>>> SqliteStore(path).close()
>>> app = create_app(path)
>>> paths = {route.path for route in app.routes}
>>> "/commands" in paths, "/openapi.json" in paths, "/fund" in paths
(True, True, True)
>>> create_app(path.with_name("missing.db"))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: db: '...missing.db' is not an alize register (no such file)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from litestar import Litestar, Response, Router
from litestar.config.cors import CORSConfig
from litestar.datastructures import State
from litestar.openapi import OpenAPIConfig

from alize_adapters.serve.auth import require_token
from alize_adapters.serve.commands import COMMAND_ANSWERS, record_command
from alize_adapters.serve.desk import Desk
from alize_adapters.serve.errors import ApiError, handle_exception
from alize_adapters.serve.openapi import OpenApiDocument
from alize_adapters.serve.reads import READ_ANSWERS, READS
from alize_core import __version__
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.validation import check_count


__all__ = ["MAX_BODY", "create_app"]

MAX_BODY: Final = 64 * 1024
"""The default limit of a request's body, in bytes (64 KiB): a larger one is answered 413."""

_DESCRIPTION: Final = (
    "The ALIZÉ programme's register over HTTP: record commands (the token's actor acts, so"
    " the programme's who-may-act rules apply), and read the territory, projects, sessions,"
    " advances, the fund, the portfolio, the reports and the rulebook. Every endpoint but"
    " this document needs `Authorization: Bearer <token>` (`alize token add ACTOR`)."
)


def _json_errors(response: Response[object]) -> Response[object]:
    """Litestar's OpenAPI router answers other paths under it in HTML: answer in JSON."""
    if response.status_code == 404:
        return ApiError(404, "no such resource").response()  # type: ignore[return-value]
    return response


def create_app(
    store_path: Path | str,
    *,
    max_body: int = MAX_BODY,
    cors_origins: Sequence[str] = (),
) -> Litestar:
    """
    The HTTP API of the register in a SQLite file.

    Args:
        store_path: The register's file; it must exist (``alize init`` makes it).
        max_body: The largest request body accepted, in bytes.
        cors_origins: The origins a browser may call the API from (none: CORS off).

    Raises:
        InvalidValue: The file does not exist, or ``max_body`` is not a whole number of
            bytes of at least 1.

    .. versionadded:: 0.1.0
    """
    path = Path(store_path)
    if not path.is_file():
        raise InvalidValue("db", str(path), "is not an alize register (no such file)")
    check_count(max_body, field="max_body", minimum=1)
    desk = Desk(path)
    api = Router("/", route_handlers=[record_command, *READS], guards=[require_token])
    openapi = OpenAPIConfig(
        title="alize",
        version=__version__,
        description=_DESCRIPTION,
        openapi_router=Router(
            "/openapi.json", route_handlers=[], include_in_schema=False, after_request=_json_errors
        ),
        render_plugins=[OpenApiDocument({**COMMAND_ANSWERS, **READ_ANSWERS})],
        use_handler_docstrings=True,
    )
    cors = CORSConfig(allow_origins=list(cors_origins)) if cors_origins else None
    return Litestar(
        route_handlers=[api],
        on_startup=[desk.start],
        on_shutdown=[desk.close],
        exception_handlers={Exception: handle_exception},
        openapi_config=openapi,
        request_max_body_size=max_body,
        cors_config=cors,
        state=State({"desk": desk}),
    )
