"""
The store in memory (*registre en mémoire*): the journal, snapshots, personal data, command log
and tokens of one register, held by the process and lost when it ends.

:class:`MemoryStore` keeps the same contract as the embedded
:class:`~alize_adapters.storage.sqlite.SqliteStore` (the contracts of
:mod:`alize_adapters.testing` prove both): an append is all or nothing, refused with a
:class:`~alize_core.kernel.errors.ConcurrencyError` when the store moved on since the
register was read and with an :class:`~alize_core.kernel.errors.IntegrityError` when the
rows do not follow the stored hash chain; a command's events and its idempotency key are
kept together, a reused key is :class:`~alize_adapters.storage.ports.AlreadyRecorded`.
It suits tests, demonstrations and an embedding application's own unit tests; a lock
makes each call atomic for the threads of one process.

>>> from alize_core.journal.chain import seal_rows
>>> from alize_core.journal.codec import GENESIS
>>> fee = ("fee_paid", "2026-01-05", "OP1", [], {"amount": "12.50", "label": "frais"})
>>> rows = list(seal_rows([fee, fee], version=0, head=GENESIS))
>>> store = MemoryStore()
>>> store.append(rows, expected_version=0), store.version()
(2, 2)
>>> store.append(rows, expected_version=0)
Traceback (most recent call last):
...
alize_core.kernel.errors.ConcurrencyError: expected_version: 0 is out of date: the register changed since it was read (it is now at version 2); nothing was written, read it again and retry

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from datetime import date

from alize_adapters.storage.ports import AlreadyRecorded, RecordedCommand, TokenInfo
from alize_core.journal.chain import following
from alize_core.journal.codec import GENESIS, StoredEvent
from alize_core.kernel.errors import ConcurrencyError, InvalidValue, UnknownRecord
from alize_core.register.storage import PersonDetails, Snapshot


__all__ = ["MemoryStore"]


class MemoryStore:
    """
    A register's journal, snapshots, personal data, command log and API tokens in memory.

    It implements :class:`~alize_core.register.storage.EventStore`,
    :class:`~alize_core.register.storage.PersonalData`,
    :class:`~alize_adapters.storage.ports.CommandStore` and
    :class:`~alize_adapters.storage.ports.TokenStore`.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: list[StoredEvent] = []
        self._snapshots: dict[int, Snapshot] = {}
        self._people: dict[str, PersonDetails] = {}
        self._commands: dict[str, RecordedCommand] = {}
        self._tokens: dict[str, tuple[str, str, str, bool]] = {}

    # --- The journal. ---

    def version(self) -> int:
        """The number of events stored (the id of the last one)."""
        return len(self._rows)

    def head(self) -> tuple[int, bytes]:
        """The id and digest of the last event (``(0, zeros)`` when empty)."""
        with self._lock:
            return (0, GENESIS) if not self._rows else (self._rows[-1][0], self._rows[-1][2])

    def read(self, *, after: int = 0) -> Iterator[StoredEvent]:
        """The stored events after an id, in order (those stored when reading began)."""
        with self._lock:
            rows = self._rows[max(after, 0) :]
        yield from rows

    def append(self, rows: Iterable[StoredEvent], *, expected_version: int) -> int:
        """
        Append events at once, after checking the store's version and chain.

        Returns:
            The store's version afterwards.

        Raises:
            ConcurrencyError: Another writer appended since ``expected_version`` was read.
            IntegrityError: The rows do not follow the stored chain.
        """
        return self._append(rows, expected_version, None)

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
        Append a command's events and its idempotency key at once.

        Returns:
            The store's version afterwards.

        Raises:
            AlreadyRecorded: The id is already recorded; nothing was written.
            ConcurrencyError: Another writer appended since ``expected_version`` was read.
            IntegrityError: The rows do not follow the stored chain.
        """
        return self._append(rows, expected_version, (command_id, digest, actor))

    def _append(
        self,
        rows: Iterable[StoredEvent],
        expected_version: int,
        command: tuple[str, str, str] | None,
    ) -> int:
        with self._lock:
            version, head = self.head()
            if command is not None:
                recorded = self._commands.get(command[0])
                if recorded is not None:
                    raise AlreadyRecorded(recorded)
            if version != expected_version:
                msg = (
                    f"is out of date: the register changed since it was read (it is now at"
                    f" version {version}); nothing was written, read it again and retry"
                )
                raise ConcurrencyError("expected_version", expected_version, msg)
            checked = list(following(rows, version, head))
            self._rows.extend(checked)
            if command is not None and checked:
                command_id, digest, actor = command
                self._commands[command_id] = RecordedCommand(
                    command_id, digest, actor, checked[0][0], checked[-1][0]
                )
            return version + len(checked)

    def recorded_command(self, command_id: str) -> RecordedCommand | None:
        """The command recorded under an id, ``None`` when there is none."""
        return self._commands.get(command_id)

    # --- API tokens. ---

    def add_token(self, token_id: str, actor: str, digest: str, created_at: str) -> None:
        """
        Keep a new token's digest for an actor.

        Raises:
            InvalidValue: A token with this id or digest is already kept.
        """
        with self._lock:
            if token_id in self._tokens:
                raise InvalidValue("token_id", token_id, "is already kept")
            if any(kept[1] == digest for kept in self._tokens.values()):
                raise InvalidValue("digest", digest, "is already kept")
            self._tokens[token_id] = (actor, digest, created_at, False)

    def token_actor(self, digest: str) -> str | None:
        """The actor of the token with this digest, ``None`` when unknown or revoked."""
        with self._lock:
            for actor, kept, _created, revoked in self._tokens.values():
                if kept == digest and not revoked:
                    return actor
        return None

    def revoke_tokens(self, *, token_id: str | None = None, actor: str | None = None) -> int:
        """Revoke a token by id, or every token of an actor; how many were revoked."""
        if (token_id is None) == (actor is None):
            raise InvalidValue("token", None, "revoke a token by its id, or an actor's tokens")
        count = 0
        with self._lock:
            for key, (owner, digest, created, revoked) in self._tokens.items():
                if revoked or (key != token_id if token_id is not None else owner != actor):
                    continue
                self._tokens[key] = (owner, digest, created, True)
                count += 1
        return count

    def tokens(self) -> tuple[TokenInfo, ...]:
        """Every token, revoked ones included, oldest first."""
        with self._lock:
            found = [
                TokenInfo(key, actor, created, revoked)
                for key, (actor, _digest, created, revoked) in self._tokens.items()
            ]
        return tuple(sorted(found, key=lambda info: (info.created_at, info.id)))

    # --- Snapshots. ---

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep a snapshot (replacing one of the same version)."""
        with self._lock:
            self._snapshots[snapshot.version] = snapshot

    def latest_snapshot(self, *, on_or_before: date | None = None) -> Snapshot | None:
        """The latest snapshot, or the latest whose last event is on or before a date."""
        with self._lock:
            fitting = [
                snapshot
                for snapshot in self._snapshots.values()
                if on_or_before is None or snapshot.on is None or snapshot.on <= on_or_before
            ]
        return max(fitting, key=lambda snapshot: snapshot.version, default=None)

    def snapshots(self) -> tuple[Snapshot, ...]:
        """Every snapshot, oldest first."""
        with self._lock:
            return tuple(self._snapshots[version] for version in sorted(self._snapshots))

    # --- Personal data. ---

    def put_person(self, details: PersonDetails) -> None:
        """Record or replace a person's details."""
        with self._lock:
            self._people[details.id] = details

    def get_person(self, person_id: str) -> PersonDetails | None:
        """A person's details, ``None`` when unknown or erased (:meth:`person` raises instead)."""
        return self._people.get(person_id)

    def person(self, person_id: str) -> PersonDetails:
        """
        A person's details.

        Raises:
            UnknownRecord: The store holds no details of that person (unknown or erased).
        """
        details = self.get_person(person_id)
        if details is None:
            raise UnknownRecord("person", person_id)
        return details

    def erase_person(self, person_id: str) -> bool:
        """Erase a person's details (the GDPR's right to erasure); ``True`` when there were some."""
        with self._lock:
            return self._people.pop(person_id, None) is not None
