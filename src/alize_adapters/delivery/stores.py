"""
Where the outbox keeps its deliveries (*livraisons*): one :class:`Delivery` per (event,
adapter) with its :class:`DeliveryState`, in a :class:`DeliveryStore`: in memory
(:class:`MemoryDeliveryStore`) or in SQLite tables of their own
(:class:`SqliteDeliveryStore`). :data:`OPEN_STATES` are the states a relay still works on.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import sqlite3
import threading
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Final, Protocol

import attrs

from alize_adapters.delivery.sources import OutboxEvent
from alize_adapters.host.payloads import idempotency_key
from alize_core import InvalidValue


__all__ = [
    "OPEN_STATES",
    "Delivery",
    "DeliveryState",
    "DeliveryStore",
    "MemoryDeliveryStore",
    "SqliteDeliveryStore",
    "claimed",
]


class DeliveryState(enum.StrEnum):
    """Where a delivery stands (*état de l'envoi*)."""

    PENDING = "pending"
    """Waiting for its first attempt."""
    IN_FLIGHT = "in_flight"
    """An attempt started; if it never ends, the delivery is tried again after its lease."""
    RETRY = "retry"
    """An attempt failed in a way that may pass; the next one is scheduled."""
    DELIVERED = "delivered"
    """The adapter accepted the event."""
    DEAD = "dead"
    """Given up: a permanent error or too many attempts; waits for an operator's replay."""

    @property
    def french(self) -> str:
        """The state in French."""
        return _FRENCH_STATES[self]


_FRENCH_STATES: Final = {
    DeliveryState.PENDING: "en attente",
    DeliveryState.IN_FLIGHT: "en cours",
    DeliveryState.RETRY: "à réessayer",
    DeliveryState.DELIVERED: "livré",
    DeliveryState.DEAD: "abandonné",
}

OPEN_STATES: Final = frozenset(
    {DeliveryState.PENDING, DeliveryState.IN_FLIGHT, DeliveryState.RETRY}
)
"""The states of a delivery a relay still works on (not yet delivered, not dead)."""


@attrs.frozen(kw_only=True)
class Delivery:
    """
    One event for one adapter, and how its delivery went (*envoi*).

    Attributes:
        event_id: The event's id.
        adapter: The adapter's name.
        sequence: The event's position in the journal (deliveries to an adapter go in this order).
        kind: The event's kind.
        state: Where the delivery stands.
        attempts: How many attempts started.
        next_attempt_at: When the next attempt may start.
        lease_until: Until when an attempt in flight is presumed alive.
        delivered_at: When the adapter accepted the event.
        last_error: The last failure, in words, naming the adapter.
        last_error_type: The class of the last failure (e.g. ``AdapterUnavailable``).
        replays: How many times an operator replayed it.
    """

    event_id: str
    adapter: str
    sequence: int
    kind: str
    next_attempt_at: datetime
    state: DeliveryState = DeliveryState.PENDING
    attempts: int = 0
    lease_until: datetime | None = None
    delivered_at: datetime | None = None
    last_error: str = ""
    last_error_type: str = ""
    replays: int = 0

    @property
    def idempotency_key(self) -> str:
        """The key the adapter should give its target for this event."""
        return idempotency_key(self.event_id)

    def due(self, now: datetime) -> bool:
        """Whether an attempt may start now."""
        if self.state is DeliveryState.IN_FLIGHT:
            return self.lease_until is None or self.lease_until <= now
        return self.state in OPEN_STATES and self.next_attempt_at <= now


class DeliveryStore(Protocol):
    """
    Where the outbox keeps its copy of events, its deliveries and its position in the journal.
    """

    def position(self) -> int:
        """The sequence number of the last journal event taken in (0 at first)."""
        ...

    def enqueue(
        self, events: Sequence[OutboxEvent], deliveries: Sequence[Delivery], position: int
    ) -> None:
        """Keep events and their new deliveries, and move the position, all at once."""
        ...

    def event(self, event_id: str) -> OutboxEvent:
        """The outbox's copy of an event."""
        ...

    def save(self, delivery: Delivery) -> None:
        """Write a delivery's new state."""
        ...

    def deliveries(
        self, *, states: frozenset[DeliveryState] | None = None, adapter: str | None = None
    ) -> tuple[Delivery, ...]:
        """The deliveries in these states (all when ``None``), by adapter then sequence."""
        ...

    def claim(self, adapter: str, now: datetime, lease_until: datetime) -> Delivery | None:
        """
        Take the adapter's next delivery for an attempt, if it is due: at once, it is
        marked in flight until ``lease_until`` with one more attempt, so that no other
        relay takes it (nor any delivery after it for that adapter) while it is tried.

        Returns:
            The delivery as claimed, or ``None`` when the adapter's first open delivery
            is not due (or it has none).

        .. versionadded:: 0.1.0
        """
        ...


def claimed(queue: Sequence[Delivery], now: datetime, lease_until: datetime) -> Delivery | None:
    """
    The claim of an adapter's open deliveries (in journal order): its first, if due,
    marked in flight until ``lease_until`` with one more attempt.

    .. versionadded:: 0.1.0
    """
    if not queue or not queue[0].due(now):
        return None
    head = queue[0]
    return attrs.evolve(
        head, state=DeliveryState.IN_FLIGHT, attempts=head.attempts + 1, lease_until=lease_until
    )


class MemoryDeliveryStore:
    """
    A :class:`DeliveryStore` in memory: lost when the process ends (tests, demos).

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()  # claim() saves under the lock it holds
        self._position = 0
        self._events: dict[str, OutboxEvent] = {}
        self._deliveries: dict[tuple[str, str], Delivery] = {}

    def position(self) -> int:
        """The sequence number of the last journal event taken in."""
        return self._position

    def enqueue(
        self, events: Sequence[OutboxEvent], deliveries: Sequence[Delivery], position: int
    ) -> None:
        """Keep events and deliveries, and move the position."""
        with self._lock:
            for event in events:
                self._events.setdefault(event.event_id, event)
            for delivery in deliveries:
                self._deliveries.setdefault((delivery.event_id, delivery.adapter), delivery)
            self._position = max(self._position, position)

    def event(self, event_id: str) -> OutboxEvent:
        """The outbox's copy of an event."""
        try:
            return self._events[event_id]
        except KeyError:
            raise InvalidValue("event_id", event_id, "is not in the outbox") from None

    def save(self, delivery: Delivery) -> None:
        """Write a delivery's new state."""
        with self._lock:
            self._deliveries[delivery.event_id, delivery.adapter] = delivery

    def deliveries(
        self, *, states: frozenset[DeliveryState] | None = None, adapter: str | None = None
    ) -> tuple[Delivery, ...]:
        """The deliveries in these states, by adapter then sequence."""
        found = [
            d
            for d in self._deliveries.values()
            if (states is None or d.state in states) and (adapter is None or d.adapter == adapter)
        ]
        return tuple(sorted(found, key=lambda d: (d.adapter, d.sequence, d.event_id)))

    def claim(self, adapter: str, now: datetime, lease_until: datetime) -> Delivery | None:
        """Take the adapter's next delivery if it is due (see :meth:`DeliveryStore.claim`)."""
        with self._lock:
            taken = claimed(self.deliveries(states=OPEN_STATES, adapter=adapter), now, lease_until)
            if taken is not None:
                self.save(taken)
            return taken


_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS alize_outbox_position (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    sequence INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alize_outbox_event (
    event_id TEXT PRIMARY KEY,
    sequence INTEGER NOT NULL,
    kind TEXT NOT NULL,
    effective_date TEXT NOT NULL,
    territory TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS alize_outbox_delivery (
    event_id TEXT NOT NULL REFERENCES alize_outbox_event (event_id),
    adapter TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    kind TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    lease_until TEXT,
    delivered_at TEXT,
    last_error TEXT NOT NULL,
    last_error_type TEXT NOT NULL,
    replays INTEGER NOT NULL,
    PRIMARY KEY (event_id, adapter)
);
CREATE INDEX IF NOT EXISTS alize_outbox_by_state
    ON alize_outbox_delivery (state, adapter, sequence);
"""

_COLUMNS: Final = (
    "event_id, adapter, sequence, kind, state, attempts, next_attempt_at, lease_until,"
    " delivered_at, last_error, last_error_type, replays"
)


def _moment(text: object) -> datetime | None:
    return None if text is None else datetime.fromisoformat(str(text))


class SqliteDeliveryStore:
    """
    A :class:`DeliveryStore` in an SQLite file: survives restarts and crashes.

    Its tables (``alize_outbox_*``) may live in their own file or beside the
    journal's; each change is one transaction.

    Args:
        path: The database file (``":memory:"`` for a database in memory).

    Raises:
        InvalidValue: The file cannot be opened, or is not an SQLite database.

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise InvalidValue("store", self.path, f"cannot be opened ({exc})") from None
        try:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA foreign_keys=ON")
            self._db.executescript(_SCHEMA)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise InvalidValue("store", self.path, f"is not an outbox store ({exc})") from None
        self._lock = threading.Lock()

    def close(self) -> None:
        """Close the database."""
        self._db.close()

    def __enter__(self) -> SqliteDeliveryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def position(self) -> int:
        """The sequence number of the last journal event taken in."""
        row = self._db.execute("SELECT sequence FROM alize_outbox_position").fetchone()
        return int(row[0]) if row else 0

    def enqueue(
        self, events: Sequence[OutboxEvent], deliveries: Sequence[Delivery], position: int
    ) -> None:
        """Keep events and deliveries, and move the position, in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    "INSERT OR IGNORE INTO alize_outbox_event VALUES (?, ?, ?, ?, ?, ?)",
                    [
                        (
                            e.event_id,
                            e.sequence,
                            e.kind,
                            e.effective_date.isoformat(),
                            e.territory,
                            e.payload_json,
                        )
                        for e in events
                    ],
                )
                self._db.executemany(
                    f"INSERT OR IGNORE INTO alize_outbox_delivery ({_COLUMNS})"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [self._row(d) for d in deliveries],
                )
                self._db.execute(
                    "INSERT INTO alize_outbox_position VALUES (1, ?) ON CONFLICT (id)"
                    " DO UPDATE SET sequence = MAX(sequence, excluded.sequence)",
                    (position,),
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    @staticmethod
    def _row(d: Delivery) -> tuple[object, ...]:
        return (
            d.event_id,
            d.adapter,
            d.sequence,
            d.kind,
            d.state.value,
            d.attempts,
            d.next_attempt_at.isoformat(),
            d.lease_until.isoformat() if d.lease_until else None,
            d.delivered_at.isoformat() if d.delivered_at else None,
            d.last_error,
            d.last_error_type,
            d.replays,
        )

    def event(self, event_id: str) -> OutboxEvent:
        """The outbox's copy of an event."""
        row = self._db.execute(
            "SELECT event_id, sequence, kind, effective_date, territory, payload"
            " FROM alize_outbox_event WHERE event_id = ?",
            (event_id,),
        ).fetchone()
        if row is None:
            raise InvalidValue("event_id", event_id, "is not in the outbox")
        return OutboxEvent(
            event_id=row[0],
            sequence=row[1],
            kind=row[2],
            effective_date=date.fromisoformat(row[3]),
            territory=row[4],
            payload=row[5],
        )

    def save(self, delivery: Delivery) -> None:
        """Write a delivery's new state (one transaction)."""
        with self._lock:
            self._db.execute(
                f"INSERT OR REPLACE INTO alize_outbox_delivery ({_COLUMNS})"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                self._row(delivery),
            )

    def claim(self, adapter: str, now: datetime, lease_until: datetime) -> Delivery | None:
        """Take the adapter's next delivery if it is due, in one transaction."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                open_ones = self.deliveries(states=OPEN_STATES, adapter=adapter)
                taken = claimed(open_ones, now, lease_until)
                if taken is not None:
                    self._db.execute(
                        f"INSERT OR REPLACE INTO alize_outbox_delivery ({_COLUMNS})"
                        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        self._row(taken),
                    )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
            return taken

    def deliveries(
        self, *, states: frozenset[DeliveryState] | None = None, adapter: str | None = None
    ) -> tuple[Delivery, ...]:
        """The deliveries in these states, by adapter then sequence."""
        rows = self._db.execute(
            f"SELECT {_COLUMNS} FROM alize_outbox_delivery ORDER BY adapter, sequence, event_id"
        ).fetchall()
        found = []
        for row in rows:
            delivery = Delivery(
                event_id=row[0],
                adapter=row[1],
                sequence=row[2],
                kind=row[3],
                state=DeliveryState(row[4]),
                attempts=row[5],
                next_attempt_at=datetime.fromisoformat(row[6]),
                lease_until=_moment(row[7]),
                delivered_at=_moment(row[8]),
                last_error=row[9],
                last_error_type=row[10],
                replays=row[11],
            )
            if (states is None or delivery.state in states) and (
                adapter is None or delivery.adapter == adapter
            ):
                found.append(delivery)
        return tuple(found)
