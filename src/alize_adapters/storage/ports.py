"""
What the doors other than Python ask of a store (*contrat de stockage*), beyond the core's
:class:`~alize_core.register.storage.EventStore`: the commands already recorded, by their
idempotency key, and the actors' API tokens, kept only as digests.

:class:`CommandStore` is the contract every store of :mod:`alize_adapters.storage` keeps
(the embedded SQLite store today); :class:`~alize_adapters.storage.recording.Recorder`,
the ``alize record`` command and the HTTP API rely on nothing else.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

import attrs

from alize_core.journal.codec import StoredEvent
from alize_core.kernel.errors import AlizeError
from alize_core.kernel.validation import check_count, check_id, checked
from alize_core.register.storage import EventStore, Snapshot


__all__ = [
    "AlreadyRecorded",
    "AuditableStore",
    "CommandStore",
    "IdempotencyConflict",
    "RecordedCommand",
    "TokenInfo",
    "TokenStore",
]


@attrs.frozen
class RecordedCommand:
    """
    A command the store holds the events of, by its idempotency key.

    Attributes:
        id: The request's id (its idempotency key).
        digest: The SHA-256 of the request and its actor in canonical form
            (:meth:`~alize_core.commands.catalogue.CommandRequest.digest`).
        actor: Who gave it.
        first_event: The id of its first event.
        last_event: The id of its last event.
    """

    id: str = attrs.field(validator=checked(check_id))
    digest: str
    actor: str
    first_event: int = attrs.field(validator=checked(check_count, minimum=1))
    last_event: int = attrs.field(validator=checked(check_count, minimum=1))


class AlreadyRecorded(AlizeError):
    """
    A command whose id the store already holds: nothing was written again.

    Attributes:
        recorded: The command as first recorded.
    """

    message = "is already recorded"

    def __init__(self, recorded: RecordedCommand) -> None:
        self.recorded = recorded
        events = f"events {recorded.first_event} to {recorded.last_event}"
        super().__init__("id", recorded.id, f"is already recorded ({events}); nothing was written")


class IdempotencyConflict(AlizeError):
    """
    A request under an id already recorded for a *different* command (or actor).

    Attributes:
        recorded: The command recorded under that id.
    """

    message = "was already used for another command"

    def __init__(self, recorded: RecordedCommand) -> None:
        self.recorded = recorded
        msg = (
            f"was already used for another command (events {recorded.first_event} to"
            f" {recorded.last_event}); give each command its own id"
        )
        super().__init__("id", recorded.id, msg)


class CommandStore(EventStore, Protocol):
    """
    An event store that also remembers which command wrote which events.

    .. versionadded:: 0.1.0
    """

    def recorded_command(self, command_id: str) -> RecordedCommand | None:
        """The command recorded under an id, ``None`` when there is none."""

    def append_command(
        self,
        rows: Iterable[StoredEvent],
        *,
        expected_version: int,
        command_id: str,
        digest: str,
        actor: str,
    ) -> int:
        """
        Append a command's events and its id in one transaction: all of them or none.

        Returns:
            The store's version afterwards.

        Raises:
            AlreadyRecorded: The id is already recorded (another writer won the race).
            ConcurrencyError: The store is no longer at ``expected_version``.
            IntegrityError: The rows do not follow the stored chain.
        """


class AuditableStore(EventStore, Protocol):
    """
    An event store whose every snapshot can be read, so that ``alize check`` compares each
    with the journal (:func:`~alize_adapters.storage.sqlite.audit`).

    .. versionadded:: 0.1.0
    """

    def snapshots(self) -> tuple[Snapshot, ...]:
        """Every snapshot, oldest first."""


@attrs.frozen
class TokenInfo:
    """
    An API token as the store keeps it: never the token itself, only its digest.

    Attributes:
        id: The token's public id (``tok-`` and eight hexadecimal digits), to revoke it.
        actor: The person (or committee) it authenticates.
        created_at: When it was made (ISO 8601, UTC).
        revoked: Whether it was revoked.
    """

    id: str
    actor: str
    created_at: str
    revoked: bool


class TokenStore(Protocol):
    """
    Where the actors' API tokens are kept, as SHA-256 digests.

    .. versionadded:: 0.1.0
    """

    def add_token(self, token_id: str, actor: str, digest: str, created_at: str) -> None:
        """Keep a new token's digest for an actor."""

    def token_actor(self, digest: str) -> str | None:
        """The actor of the token with this digest, ``None`` when unknown or revoked."""

    def revoke_tokens(self, *, token_id: str | None = None, actor: str | None = None) -> int:
        """Revoke a token by id, or every token of an actor; how many were revoked."""

    def tokens(self) -> tuple[TokenInfo, ...]:
        """Every token, revoked ones included, oldest first."""
