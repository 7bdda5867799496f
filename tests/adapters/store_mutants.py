"""
Deliberately broken stores, run through the store contracts.

This module is not collected by the normal test run (its name does not start with
``test_``): ``test_store_contracts.py`` runs it in a separate pytest and checks that each
broken store fails exactly the contract tests aimed at its defect, and passes the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date

import attrs
import pytest

from alize_adapters.delivery import Delivery, DeliveryState, MemoryDeliveryStore, OutboxEvent
from alize_adapters.storage import MemoryStore
from alize_adapters.testing import (
    CommandStoreContract,
    DeliveryStoreContract,
    EventStoreContract,
    PersonalDataContract,
    TokenStoreContract,
)
from alize_core.journal.chain import following
from alize_core.journal.codec import StoredEvent
from alize_core.kernel.errors import InvalidValue
from alize_core.register.storage import PersonDetails, Snapshot


# -- the broken journals -----------------------------------------------------------------


class VersionBlindStore(MemoryStore):
    """Ignores the version the writer read: a stale writer appends over the new events."""

    def append(self, rows: Iterable[StoredEvent], *, expected_version: int) -> int:
        """Append at whatever version the store is."""
        return super().append(rows, expected_version=self.version())

    def append_command(
        self,
        rows: Iterable[StoredEvent],
        *,
        expected_version: int,
        command_id: str,
        digest: str,
        actor: str,
    ) -> int:
        """Append a command at whatever version the store is."""
        return super().append_command(
            rows, expected_version=self.version(), command_id=command_id, digest=digest, actor=actor
        )


class HalfBatchStore(MemoryStore):
    """Writes each row as soon as it is checked: a batch that fails half-way stays half-written."""

    def append(self, rows: Iterable[StoredEvent], *, expected_version: int) -> int:
        """Append row by row."""
        version, head = self.head()
        if version != expected_version:
            return super().append(rows, expected_version=expected_version)
        for row in following(rows, version, head):
            super().append([row], expected_version=row[0] - 1)
        return self.version()


class ForgetfulCommandStore(MemoryStore):
    """Appends a command's events but forgets its id."""

    def append_command(
        self,
        rows: Iterable[StoredEvent],
        *,
        expected_version: int,
        command_id: str,
        digest: str,
        actor: str,
    ) -> int:
        """Append the events only."""
        return self.append(rows, expected_version=expected_version)


class FirstSnapshotStore(MemoryStore):
    """Gives the latest snapshot whatever date it is asked for."""

    def latest_snapshot(self, *, on_or_before: date | None = None) -> Snapshot | None:
        """The latest snapshot, the date ignored."""
        return super().latest_snapshot()


class TestVersionBlindStore(EventStoreContract, CommandStoreContract):
    """A journal that ignores the expected version."""

    @pytest.fixture
    def store(self) -> MemoryStore:
        """The broken store."""
        return VersionBlindStore()


class TestHalfBatchStore(EventStoreContract):
    """A journal that appends half a batch."""

    @pytest.fixture
    def store(self) -> MemoryStore:
        """The broken store."""
        return HalfBatchStore()


class TestForgetfulCommandStore(CommandStoreContract):
    """A journal that forgets the command id."""

    @pytest.fixture
    def store(self) -> MemoryStore:
        """The broken store."""
        return ForgetfulCommandStore()


class TestFirstSnapshotStore(EventStoreContract):
    """A journal that ignores the date a snapshot is asked for."""

    @pytest.fixture
    def store(self) -> MemoryStore:
        """The broken store."""
        return FirstSnapshotStore()


# -- broken personal data and tokens ------------------------------------------------------


class HidingStore(MemoryStore):
    """Erases a person by hiding their details: still kept, no longer shown."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden: dict[str, PersonDetails] = {}

    def erase_person(self, person_id: str) -> bool:
        """Move the details aside instead of erasing them."""
        details = self.get_person(person_id)
        if details is not None:
            self.hidden[person_id] = details
        return super().erase_person(person_id)


class EverlastingTokenStore(MemoryStore):
    """Says it revoked tokens but keeps them live."""

    def revoke_tokens(self, *, token_id: str | None = None, actor: str | None = None) -> int:
        """Count the tokens it would revoke, revoke none."""
        if (token_id is None) == (actor is None):
            raise InvalidValue("token", None, "revoke a token by its id, or an actor's tokens")
        return sum(
            1
            for info in self.tokens()
            if not info.revoked and (info.id == token_id or info.actor == actor)
        )


class TestHidingStore(PersonalDataContract):
    """Personal data whose erasure keeps the data."""

    @pytest.fixture
    def store(self) -> HidingStore:
        """The broken store."""
        return HidingStore()

    @pytest.fixture
    def stored_bytes(self, store: HidingStore) -> Callable[[], bytes]:
        """Everything the store's object holds, written out."""
        return lambda: repr(vars(store)).encode()


class TestEverlastingTokenStore(TokenStoreContract):
    """Tokens that cannot be revoked."""

    @pytest.fixture
    def store(self) -> MemoryStore:
        """The broken store."""
        return EverlastingTokenStore()


# -- broken outboxes ------------------------------------------------------------------------


class LeaseLosingStore(MemoryDeliveryStore):
    """Loses the lease of a delivery in flight: a second relay is handed the same delivery."""

    def save(self, delivery: Delivery) -> None:
        """Save without the lease."""
        super().save(attrs.evolve(delivery, lease_until=None))


class ResettingStore(MemoryDeliveryStore):
    """Enqueuing an event again overwrites its deliveries, whatever state they reached."""

    def enqueue(
        self, events: Sequence[OutboxEvent], deliveries: Sequence[Delivery], position: int
    ) -> None:
        """Enqueue, then overwrite the deliveries."""
        super().enqueue(events, deliveries, position)
        for delivery in deliveries:
            self.save(delivery)


class RewindingStore(MemoryDeliveryStore):
    """Moves the position to whatever an enqueue says, back included."""

    def enqueue(
        self, events: Sequence[OutboxEvent], deliveries: Sequence[Delivery], position: int
    ) -> None:
        """Enqueue, then set the position."""
        super().enqueue(events, deliveries, position)
        self._position = position


class DeadForgettingStore(MemoryDeliveryStore):
    """Never lists dead deliveries: dead letters vanish instead of waiting for a replay."""

    def deliveries(
        self, *, states: frozenset[DeliveryState] | None = None, adapter: str | None = None
    ) -> tuple[Delivery, ...]:
        """The deliveries, the dead ones left out."""
        found = super().deliveries(states=states, adapter=adapter)
        return tuple(d for d in found if d.state is not DeliveryState.DEAD)


class TestLeaseLosingStore(DeliveryStoreContract):
    """An outbox whose claim hands a delivery in flight to a second relay."""

    @pytest.fixture
    def store(self) -> MemoryDeliveryStore:
        """The broken store."""
        return LeaseLosingStore()


class TestResettingStore(DeliveryStoreContract):
    """An outbox that resets deliveries under way."""

    @pytest.fixture
    def store(self) -> MemoryDeliveryStore:
        """The broken store."""
        return ResettingStore()


class TestRewindingStore(DeliveryStoreContract):
    """An outbox whose position moves back."""

    @pytest.fixture
    def store(self) -> MemoryDeliveryStore:
        """The broken store."""
        return RewindingStore()


class TestDeadForgettingStore(DeliveryStoreContract):
    """An outbox that loses its dead letters."""

    @pytest.fixture
    def store(self) -> MemoryDeliveryStore:
        """The broken store."""
        return DeadForgettingStore()
