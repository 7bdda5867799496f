"""
API tokens (*jetons d'accès*): who is acting, for the doors that are not Python.

A token is made for an actor (a person of the register, or the national committee) and
printed once; the store keeps only its SHA-256 digest (:class:`~alize_adapters.storage.ports.TokenStore`).
A request that shows it (``Authorization: Bearer <token>``) acts as that actor, so the
core's who-may-act rules (OP-03, GOV-02, NAT-01…) apply to authenticated people. A
token is 32 random bytes from :mod:`secrets`, written ``alz_`` and 43 URL-safe
characters; its digest needs no slow hash, since it cannot be guessed.

>>> import tempfile, pathlib
>>> from datetime import UTC, datetime
>>> from alize_adapters.storage.sqlite import SqliteStore
>>> store = SqliteStore(pathlib.Path(tempfile.mkdtemp()) / "alize.db")
>>> info, secret = issue_token(store, "OP1", datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
>>> secret.startswith("alz_"), info.id.startswith("tok-"), info.actor
(True, True, 'OP1')
>>> authenticate(store, secret), authenticate(store, "alz_forged")
('OP1', None)
>>> store.revoke_tokens(token_id=info.id), authenticate(store, secret)
(1, None)
>>> store.close()

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime
from typing import Final

from alize_adapters.storage.ports import TokenInfo, TokenStore
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.validation import check_id


__all__ = ["PREFIX", "authenticate", "issue_token", "token_digest"]

PREFIX: Final = "alz_"
"""How every alize token begins (so that a leaked one is recognised by secret scanners)."""

_MAX_TOKEN: Final = 200


def token_digest(token: str) -> str:
    """The SHA-256 (hexadecimal) a store keeps of a token."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue_token(store: TokenStore, actor: str, now: datetime) -> tuple[TokenInfo, str]:
    """
    Make a new token for an actor and keep its digest.

    Args:
        store: Where tokens are kept.
        actor: The id it authenticates.
        now: The present moment, with its time zone (kept as its creation date).

    Returns:
        The token's record and the token itself, which is never kept: show it once.

    Raises:
        InvalidValue: The actor is not an id, or ``now`` has no time zone.
    """
    check_id(actor, field="actor")
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidValue("now", now, "must carry its time zone")
    secret = PREFIX + secrets.token_urlsafe(32)
    token_id = f"tok-{secrets.token_hex(4)}"
    created = now.isoformat(timespec="seconds")
    store.add_token(token_id, actor, token_digest(secret), created)
    return TokenInfo(token_id, actor, created, revoked=False), secret


def authenticate(store: TokenStore, token: str) -> str | None:
    """The actor a token authenticates, ``None`` when it is unknown, revoked or malformed."""
    if not token.startswith(PREFIX) or len(token) > _MAX_TOKEN:
        return None
    return store.token_actor(token_digest(token))
