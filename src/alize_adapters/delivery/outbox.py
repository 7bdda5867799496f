"""
The outbox (*boîte d'envoi*): committed events reach every adapter, at least once.

An adapter is never called while alize writes: a vote, an agreement or a
disbursement is stored first, whole, and only then delivered. A :class:`Relay`
reads the committed events from an :class:`EventSource` (the journal), and
keeps, in a :class:`DeliveryStore` of its own, one :class:`Delivery` per
(event, adapter) with its state:

- **at least once**: a delivery is marked *in flight* before the adapter is
  called; if the process dies during the call, the delivery is tried again once
  its lease has expired. Adapters make repeats harmless with the event's
  **idempotency key**, derived from the event id (never random);
- **retryable or permanent**: a timeout, a 429 or a 5xx
  (:class:`~alize_adapters.host.backends.AdapterUnavailable`) or a crash is retried
  with exponential backoff and deterministic jitter (:class:`RetryPolicy`),
  never sooner than the ``Retry-After`` the tool asked for; a refusal, a contract
  error, or too many attempts make the delivery **dead**;
- **isolation**: each adapter has its own queue, in journal order; a failing
  adapter waits alone, the others go on, and the core never waits for any;
- **dead letters** can be read (:meth:`Relay.dead_letters`) and replayed
  (:func:`replay`) once the operator has fixed the cause.

The clock is a parameter (a function returning an aware :class:`~datetime.datetime`).

>>> from datetime import UTC, date, datetime
>>> from alize_adapters.host.manager import AdapterManager
>>> from alize_adapters.fakes import EventRecorder
>>> manager, recorder = AdapterManager(), EventRecorder()
>>> manager.register(recorder, name="recorder")
>>> source = MemoryEventSource()
>>> source.append(OutboxEvent(event_id="E1", sequence=1, kind="advance_disbursed",
...     effective_date=date(2026, 4, 2), territory="MEUSE",
...     payload={"advance": "AV-7", "sme": "555012343", "amount": "25000.00"}))
>>> relay = Relay(manager, source, MemoryDeliveryStore(),
...               clock=lambda: datetime(2026, 4, 2, 9, 0, tzinfo=UTC))
>>> relay.run().delivered
1
>>> relay.run().delivered
0
>>> [event.event_id for event in recorder.received]
['E1']
>>> OutboxEvent(event_id="E2", sequence=2, kind="repayment_received",
...     effective_date=date(2026, 5, 2), territory="MEUSE", payload={"amount": 520.83})
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: payload.amount: 520.83 is a binary float; write amounts as text, e.g. "12.50"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import hashlib
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Final, Protocol

import attrs

from alize_adapters.host.backends import AdapterError, AdapterUnavailable
from alize_adapters.host.manager import AdapterManager
from alize_adapters.host.payloads import (
    EventNotice,
    NoticeKind,
    build_notice,
    canonical_json,
    idempotency_key,
)
from alize_core import AlizeError, InvalidValue
from alize_core.kernel.jsontext import parse_json
from alize_core.kernel.validation import check_count, check_date, check_id, checked


__all__ = [
    "CommittedEvent",
    "Delivery",
    "DeliveryState",
    "DeliveryStore",
    "EventSource",
    "MemoryDeliveryStore",
    "MemoryEventSource",
    "OutboxEvent",
    "Relay",
    "RelayReport",
    "RetryPolicy",
    "SqliteDeliveryStore",
    "replay",
    "system_clock",
]

Clock = Callable[[], datetime]
"""A function returning the present moment, with its time zone."""


def system_clock() -> datetime:
    """
    The machine's clock, in UTC: the relay's default clock (adapters live at the edge).

    .. versionadded:: 0.1.0
    """
    return datetime.now(UTC)  # noqa: TID251 - the one place the outbox reads the clock


def _aware(moment: object, field: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise InvalidValue(field, moment, "must be a date and time with its time zone")
    return moment


class CommittedEvent(Protocol):
    """
    What the outbox needs of an event stored in the journal (*événement enregistré*).

    Any object with these attributes will do: the journal's own event records
    are adapted to it, and :class:`OutboxEvent` is the outbox's own copy.
    """

    @property
    def event_id(self) -> str:
        """The event's id, unique in the journal: the source of idempotency keys."""
        ...

    @property
    def sequence(self) -> int:
        """
        Its position in the journal: never decreasing; events made from one journal entry
        (a session's decisions, a statement's repayments) share it.
        """
        ...

    @property
    def kind(self) -> str:
        """Its kind (an :class:`~alize_adapters.host.payloads.NoticeKind` value, or another one)."""
        ...

    @property
    def effective_date(self) -> date:
        """The date it takes effect."""
        ...

    @property
    def territory(self) -> str:
        """The id of the territory it belongs to."""
        ...

    @property
    def payload(self) -> Mapping[str, object]:
        """Its own fields, JSON-ready (amounts as text, dates as ISO text)."""
        ...


class EventSource(Protocol):
    """Where the relay reads committed events: the journal, in order."""

    def events_after(self, sequence: int, limit: int) -> Sequence[CommittedEvent]:
        """
        The events whose sequence number is above ``sequence``, in order: about ``limit``
        of them, never splitting the events that share a sequence number.
        """
        ...


def _payload_json(value: object) -> str:
    data = parse_json(value, strict=True, field="payload") if isinstance(value, str) else value
    if not isinstance(data, Mapping):
        raise InvalidValue("payload", value, "must be an object of fields")
    return canonical_json(data, field="payload")


@attrs.frozen(kw_only=True)
class OutboxEvent:
    """
    The outbox's own copy of a committed event, kept until every adapter has it.

    Attributes:
        event_id: The event's id.
        sequence: Its position in the journal.
        kind: Its kind.
        effective_date: The date it takes effect.
        territory: The territory's id.
        payload_json: Its fields, as canonical JSON text (give ``payload=`` a mapping instead).
    """

    event_id: str = attrs.field(validator=checked(check_id))
    sequence: int = attrs.field(validator=checked(check_count))
    kind: str = attrs.field(validator=checked(check_id))
    effective_date: date = attrs.field(validator=checked(check_date))
    territory: str = attrs.field(validator=checked(check_id))
    payload_json: str = attrs.field(alias="payload", converter=_payload_json)

    @property
    def payload(self) -> dict[str, object]:
        """The event's fields, as a new dictionary."""
        data: dict[str, object] = parse_json(self.payload_json, strict=True, field="payload")
        return data

    @classmethod
    def of(cls, event: CommittedEvent) -> OutboxEvent:
        """A copy of any committed event."""
        if isinstance(event, OutboxEvent):
            return event
        return cls(
            event_id=event.event_id,
            sequence=event.sequence,
            kind=event.kind,
            effective_date=event.effective_date,
            territory=event.territory,
            payload=dict(event.payload),
        )

    def to_payload(self) -> EventNotice | None:
        """
        The hook payload of this event, or ``None`` when no hook observes its kind.

        Raises:
            MalformedInput: The event's fields do not fit its kind.
        """
        return build_notice(
            self.kind,
            event_id=self.event_id,
            sequence=self.sequence,
            on=self.effective_date,
            territory=self.territory,
            data=self.payload,
        )


class MemoryEventSource:
    """
    An :class:`EventSource` kept in a list (for tests, the demo, and applications without a journal).

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._events: list[OutboxEvent] = []

    def append(self, event: CommittedEvent) -> None:
        """
        Add an event after the others.

        Raises:
            InvalidValue: Its sequence number does not follow the last one.
        """
        copy = OutboxEvent.of(event)
        if self._events and copy.sequence < self._events[-1].sequence:
            msg = f"must not be below the last sequence number, {self._events[-1].sequence}"
            raise InvalidValue("sequence", copy.sequence, msg)
        if any(known.event_id == copy.event_id for known in self._events):
            raise InvalidValue("event_id", copy.event_id, "is already in the journal")
        self._events.append(copy)

    def events_after(self, sequence: int, limit: int) -> Sequence[OutboxEvent]:
        """About ``limit`` events after ``sequence``, those sharing the last one's number included."""
        later = [event for event in self._events if event.sequence > sequence]
        if len(later) <= limit:
            return later
        last = later[limit - 1].sequence
        return [event for event in later if event.sequence <= last]


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

_OPEN: Final = frozenset({DeliveryState.PENDING, DeliveryState.IN_FLIGHT, DeliveryState.RETRY})


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
        return self.state in _OPEN and self.next_attempt_at <= now


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


class MemoryDeliveryStore:
    """
    A :class:`DeliveryStore` in memory: lost when the process ends (tests, demos).

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
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


@attrs.frozen
class RetryPolicy:
    """
    When to try a failed delivery again: exponential backoff, deterministic jitter, a cap.

    The n-th retry waits ``first_delay × factor^(n-1)`` (at most ``max_delay``),
    plus up to ``jitter_percent`` % drawn from a hash of the delivery (so two
    runs agree, and adapters failing together do not retry together), and never
    less than the ``Retry-After`` the tool asked for.

    Attributes:
        first_delay: The wait after the first failure.
        factor: What each further failure multiplies the wait by.
        max_delay: The longest wait.
        max_attempts: After this many attempts, the delivery is dead.
        jitter_percent: The most the jitter adds, in percent of the wait.

    >>> policy = RetryPolicy()
    >>> policy.delay(1, "E1/ledger") >= timedelta(seconds=30)
    True
    >>> policy.delay(3, "E1/ledger") == policy.delay(3, "E1/ledger")
    True
    >>> policy.delay(1, "E1/ledger", retry_after=600)
    datetime.timedelta(seconds=600)
    """

    first_delay: timedelta = timedelta(seconds=30)
    factor: int = 2
    max_delay: timedelta = timedelta(hours=6)
    max_attempts: int = 8
    jitter_percent: int = 10

    def delay(self, attempt: int, key: str, *, retry_after: int | None = None) -> timedelta:
        """
        The wait after the ``attempt``-th attempt failed.

        Args:
            attempt: The number of the attempt that failed (1 for the first).
            key: What identifies the delivery (its jitter is drawn from it).
            retry_after: The seconds the tool asked to wait, if it did.
        """
        check_count(attempt, field="attempt", minimum=1)
        multiplier = int(self.factor ** min(attempt - 1, 40))
        base = min(self.first_delay * multiplier, self.max_delay)
        digest = hashlib.sha256(f"{key}#{attempt}".encode()).digest()
        share = int.from_bytes(digest[:4], "big") % (self.jitter_percent + 1)
        delay = base + base * share // 100
        if retry_after is not None:
            delay = max(delay, timedelta(seconds=retry_after))
        return delay


@attrs.frozen
class RelayReport:
    """
    What one run of the relay did.

    Attributes:
        enqueued: New deliveries taken from the journal.
        delivered: Deliveries the adapters accepted.
        retried: Deliveries that failed and were scheduled again.
        dead: Deliveries given up.
        waiting: Open deliveries not attempted (not yet due, or behind a failed one).
    """

    enqueued: int = 0
    delivered: int = 0
    retried: int = 0
    dead: int = 0
    waiting: int = 0


def replay(
    store: DeliveryStore,
    now: datetime,
    *,
    event_id: str | None = None,
    adapter: str | None = None,
) -> int:
    """
    Put dead deliveries back in the queue, for the next run of the relay.

    Args:
        store: The outbox's store.
        now: The present moment (the deliveries are due from then).
        event_id: Only this event's deliveries.
        adapter: Only this adapter's deliveries.

    Returns:
        How many deliveries were put back.

    .. versionadded:: 0.1.0
    """
    _aware(now, "now")
    count = 0
    for delivery in store.deliveries(states=frozenset({DeliveryState.DEAD}), adapter=adapter):
        if event_id is not None and delivery.event_id != event_id:
            continue
        store.save(
            attrs.evolve(
                delivery,
                state=DeliveryState.PENDING,
                attempts=0,
                next_attempt_at=now,
                lease_until=None,
                replays=delivery.replays + 1,
            )
        )
        count += 1
    return count


class Relay:
    """
    Delivers committed events to every adapter that observes them, at least once.

    Args:
        manager: The adapters.
        source: The journal's committed events.
        store: Where the outbox keeps its deliveries.
        clock: The present moment, with its time zone.
        policy: When to retry.
        lease: How long an attempt may last before it is presumed dead.
        batch_size: How many events to read from the journal at a time.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        manager: AdapterManager,
        source: EventSource,
        store: DeliveryStore,
        *,
        clock: Clock = system_clock,
        policy: RetryPolicy | None = None,
        lease: timedelta = timedelta(minutes=5),
        batch_size: int = 100,
    ) -> None:
        self.manager = manager
        self.source = source
        self.store = store
        self.clock = clock
        self.policy = policy or RetryPolicy()
        self.lease = lease
        self.batch_size = check_count(batch_size, field="batch_size", minimum=1)

    def _now(self) -> datetime:
        return _aware(self.clock(), "clock")

    def poll(self) -> int:
        """
        Take in the journal's new events: one delivery per adapter that observes each.

        Returns:
            How many deliveries were added.

        Raises:
            InvalidValue: The journal gave events out of order.
        """
        now = self._now()
        start = position = self.store.position()
        added = 0
        while True:
            batch = self.source.events_after(position, self.batch_size)
            if not batch:
                return added
            events, deliveries = [], []
            kinds = {kind.value: kind for kind in NoticeKind}
            for committed in batch:
                event = OutboxEvent.of(committed)
                if event.sequence <= start or event.sequence < position:
                    msg = f"comes after sequence {position} in the journal"
                    raise InvalidValue("sequence", event.sequence, msg)
                position = event.sequence
                if event.kind not in kinds:
                    continue
                adapters = self.manager.subscribers(kinds[event.kind])
                if adapters:
                    events.append(event)
                for adapter in adapters:
                    deliveries.append(
                        Delivery(
                            event_id=event.event_id,
                            adapter=adapter,
                            sequence=event.sequence,
                            kind=event.kind,
                            next_attempt_at=now,
                        )
                    )
            self.store.enqueue(events, deliveries, position)
            added += len(deliveries)
            start = position
            if len(batch) < self.batch_size:
                return added

    def deliver(self) -> RelayReport:
        """
        Attempt every due delivery, adapter by adapter, in journal order.

        An adapter's queue stops at its first delivery that must wait (not yet
        due, or just failed in a way that may pass); the other adapters go on.
        """
        outcomes = dict.fromkeys(DeliveryState, 0)
        waiting = 0
        queues: dict[str, list[Delivery]] = {}
        for delivery in self.store.deliveries(states=_OPEN):
            queues.setdefault(delivery.adapter, []).append(delivery)
        for queue in queues.values():
            for index, delivery in enumerate(queue):
                if not delivery.due(self._now()):
                    waiting += len(queue) - index
                    break
                state = self._attempt(delivery)
                outcomes[state] += 1
                if state is DeliveryState.RETRY:
                    waiting += len(queue) - index - 1
                    break
        return RelayReport(
            delivered=outcomes[DeliveryState.DELIVERED],
            retried=outcomes[DeliveryState.RETRY],
            dead=outcomes[DeliveryState.DEAD],
            waiting=waiting,
        )

    def run(self) -> RelayReport:
        """Take in new events, then attempt every due delivery."""
        enqueued = self.poll()
        return attrs.evolve(self.deliver(), enqueued=enqueued)

    def _attempt(self, delivery: Delivery) -> DeliveryState:
        now = self._now()
        claimed = attrs.evolve(
            delivery,
            state=DeliveryState.IN_FLIGHT,
            attempts=delivery.attempts + 1,
            lease_until=now + self.lease,
        )
        self.store.save(claimed)
        try:
            payload = self.store.event(delivery.event_id).to_payload()
            if payload is None:
                raise InvalidValue("kind", delivery.kind, "is observed by no hook")
            self.manager.deliver(delivery.adapter, payload)
        except AdapterError as exc:
            retry_after = exc.retry_after if isinstance(exc, AdapterUnavailable) else None
            return self._failed(claimed, exc, retryable=exc.retryable, retry_after=retry_after)
        except AlizeError as exc:
            return self._failed(claimed, exc, retryable=False, retry_after=None)
        self.store.save(
            attrs.evolve(
                claimed,
                state=DeliveryState.DELIVERED,
                delivered_at=self._now(),
                lease_until=None,
            )
        )
        return DeliveryState.DELIVERED

    def _failed(
        self, claimed: Delivery, exc: AlizeError, *, retryable: bool, retry_after: int | None
    ) -> DeliveryState:
        now = self._now()
        gave_up = not retryable or claimed.attempts >= self.policy.max_attempts
        key = f"{claimed.event_id}/{claimed.adapter}"
        delay = self.policy.delay(claimed.attempts, key, retry_after=retry_after)
        state = DeliveryState.DEAD if gave_up else DeliveryState.RETRY
        self.store.save(
            attrs.evolve(
                claimed,
                state=state,
                next_attempt_at=now if gave_up else now + delay,
                lease_until=None,
                last_error=str(exc),
                last_error_type=type(exc).__name__,
            )
        )
        return state

    def dead_letters(self) -> tuple[Delivery, ...]:
        """The deliveries given up, for an operator to read (and then :meth:`replay`)."""
        return self.store.deliveries(states=frozenset({DeliveryState.DEAD}))

    def replay(self, *, event_id: str | None = None, adapter: str | None = None) -> int:
        """Put dead deliveries back in the queue (see :func:`replay`)."""
        return replay(self.store, self._now(), event_id=event_id, adapter=adapter)
