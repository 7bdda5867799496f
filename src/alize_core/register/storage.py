"""
The storage port (*stockage*): what the core asks of whatever keeps a register's journal.

The core does no I/O; an embedding application gives it an :class:`EventStore` (the
embedded SQLite store of :mod:`alize_adapters.storage.sqlite`, or its own, e.g. on a server
database) and, for people's names and contacts, a :class:`PersonalData` store. Through
them :func:`load` rebuilds a register — from the latest snapshot and the events after it
when there is one — and :func:`commit` appends an accepted command's events with the
version the register was read at, so a writer that read a stale register gets a
:class:`~alize_core.kernel.errors.ConcurrencyError` and writes nothing.

Personal data (names, e-mails, phones) never enter the journal: events name people by
id, and :class:`PersonalData` keeps their details where they can be erased (the GDPR's
right to erasure) without touching the hash chain or the figures.

>>> PersonDetails("R1", "Claire Renard", email="claire.renard@example.fr").email
'claire.renard@example.fr'
>>> PersonDetails("R1", "")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: name: '' must not be empty

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Protocol

import attrs

from alize_core.journal.codec import StoredEvent
from alize_core.kernel.errors import IntegrityError
from alize_core.kernel.validation import check_count, check_id, check_text, checked, optional
from alize_core.register.replay import replay
from alize_core.register.views import Register


__all__ = [
    "EventStore",
    "PersonDetails",
    "PersonalData",
    "Snapshot",
    "load",
    "snapshot_of",
]


@attrs.frozen
class Snapshot:
    """
    A register saved at a version, to rebuild it without replaying every event.

    Attributes:
        version: The number of events it holds.
        on: The date of its last event (``None`` for an empty register).
        head: The digest of its last event (hexadecimal).
        data: The register's state (:meth:`Register.snapshot`).
    """

    version: int = attrs.field(validator=checked(check_count))
    on: date | None
    head: str = attrs.field(validator=checked(check_text))
    data: bytes = attrs.field(validator=attrs.validators.instance_of(bytes))


@attrs.frozen
class PersonDetails:
    """
    A person's details (*données personnelles*), kept outside the journal.

    Attributes:
        id: The id events name the person by.
        name: Their name.
        email: Their e-mail address.
        phone: Their phone number.
    """

    id: str = attrs.field(validator=checked(check_id))
    name: str = attrs.field(validator=checked(check_text, max_length=200))
    email: str | None = attrs.field(default=None, validator=optional(check_text, max_length=320))
    phone: str | None = attrs.field(default=None, validator=optional(check_text, max_length=40))


class EventStore(Protocol):
    """
    Where a register's journal is kept: append-only, in order, with its digests.

    .. versionadded:: 0.1.0
    """

    def version(self) -> int:
        """The number of events stored (the id of the last one)."""

    def read(self, *, after: int = 0) -> Iterator[StoredEvent]:
        """The stored events after an id, in order."""

    def append(self, rows: Iterable[StoredEvent], *, expected_version: int) -> int:
        """
        Append events in one transaction: all of them or none.

        Raises:
            ConcurrencyError: The store is no longer at ``expected_version``.
            IntegrityError: The rows do not follow the stored chain.
        """

    def latest_snapshot(self, *, on_or_before: date | None = None) -> Snapshot | None:
        """The latest snapshot, or the latest whose last event is on or before a date."""

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep a snapshot."""


class PersonalData(Protocol):
    """
    Where people's names and contacts are kept, erasable one by one.

    .. versionadded:: 0.1.0
    """

    def put_person(self, details: PersonDetails) -> None:
        """Record or replace a person's details."""

    def get_person(self, person_id: str) -> PersonDetails | None:
        """A person's details, ``None`` when unknown or erased."""

    def person(self, person_id: str) -> PersonDetails:
        """A person's details; :class:`UnknownRecord` when unknown or erased."""

    def erase_person(self, person_id: str) -> bool:
        """Erase a person's details; ``True`` when there were some."""


def snapshot_of(register: Register) -> Snapshot:
    """
    The snapshot of a register.

    .. versionadded:: 0.1.0
    """
    return Snapshot(register.version, register.as_of, register.head, register.snapshot())


def load(store: EventStore, *, on: date | None = None) -> Register:
    """
    The register a store holds (up to a date): from its latest suitable snapshot and the
    events after it, verifying their chain from the snapshot's head.

    Raises:
        IntegrityError: The events do not follow the snapshot or each other.

    .. versionadded:: 0.1.0
    """
    snapshot = store.latest_snapshot(on_or_before=on)
    start = None
    if snapshot is not None:
        start = Register.from_snapshot(snapshot.data)
        if start.version != snapshot.version or start.head != snapshot.head:
            msg = f"the snapshot at version {snapshot.version} does not hold what it says"
            raise IntegrityError("snapshot", snapshot.version, msg)
    after = 0 if start is None else start.version
    return replay(store.read(after=after), start=start, until=on)
