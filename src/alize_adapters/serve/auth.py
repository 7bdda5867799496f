"""
Who is asking (*authentification*): every endpoint but ``GET /openapi.json`` needs
``Authorization: Bearer <token>``, a token made by ``alize token add ACTOR``
(:func:`~alize_adapters.storage.tokens.issue_token`). The token's actor is who acts: a
command's actor is never a field of the request, so the programme's who-may-act rules
(OP-03, GOV-02, NAT-01…) apply to the person the token was made for.

>>> bearer_token("Bearer alz_abc"), bearer_token("bearer  alz_abc "), bearer_token("Basic eA==")
('alz_abc', 'alz_abc', None)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any, Final

from litestar.connection import ASGIConnection
from litestar.handlers.base import BaseRouteHandler

from alize_adapters.serve.desk import Desk
from alize_adapters.serve.errors import ApiError


__all__ = ["SECURITY", "SECURITY_SCHEMES", "bearer_token", "require_token"]

SECURITY: Final[list[dict[str, list[str]]]] = [{"bearer": []}]
"""The security requirement of every endpoint but the OpenAPI document."""

SECURITY_SCHEMES: Final = {
    "bearer": {
        "type": "http",
        "scheme": "bearer",
        "description": "A token made by `alize token add ACTOR`; its actor is who acts.",
    }
}
"""The OpenAPI description of the tokens."""


def bearer_token(header: str | None) -> str | None:
    """The token of an ``Authorization`` header, ``None`` when it shows none."""
    if header is None:
        return None
    scheme, _, token = header.strip().partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


async def require_token(
    connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler
) -> None:
    """
    A guard: the request's actor from its token, kept as ``connection.state.actor``.

    Raises:
        ApiError: 401, no token, or one that is unknown or revoked.
    """
    token = bearer_token(connection.headers.get("authorization"))
    if token is None:
        raise ApiError(401, "authorization: give a token as `Authorization: Bearer <token>`")
    desk: Desk = connection.app.state.desk
    actor = await desk.actor(token)
    if actor is None:
        raise ApiError(401, "authorization: the token is unknown or revoked")
    connection.state.actor = actor
