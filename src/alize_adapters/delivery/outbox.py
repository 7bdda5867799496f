"""
The outbox (*boîte d'envoi*): committed events reach every adapter, at least once.

An adapter is never called while alize writes: a vote, an agreement or a
disbursement is stored first, whole, and only then delivered. A :class:`Relay`
reads the committed events from an :class:`~alize_adapters.delivery.sources.EventSource`
(the journal), and keeps, in a :class:`~alize_adapters.delivery.stores.DeliveryStore` of its
own, one :class:`~alize_adapters.delivery.stores.Delivery` per (event, adapter) with its
state:

- **at least once**: a delivery is marked *in flight* before the adapter is
  called; if the process dies during the call, the delivery is tried again once
  its lease has expired. Adapters make repeats harmless with the event's
  **idempotency key**, derived from the event id (never random);
- **retryable or permanent**: a timeout, a 429 or a 5xx
  (:class:`~alize_adapters.host.errors.AdapterUnavailable`) or a crash is retried
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
>>> from alize_adapters.delivery.sources import MemoryEventSource, OutboxEvent
>>> from alize_adapters.delivery.stores import MemoryDeliveryStore
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

import hashlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import attrs

from alize_adapters.delivery.sources import EventSource, OutboxEvent
from alize_adapters.delivery.stores import OPEN_STATES, Delivery, DeliveryState, DeliveryStore
from alize_adapters.host.errors import AdapterError, AdapterUnavailable
from alize_adapters.host.manager import AdapterManager
from alize_adapters.host.payloads import NoticeKind
from alize_core import AlizeError, InvalidValue
from alize_core.kernel.validation import check_count


__all__ = ["Relay", "RelayReport", "RetryPolicy", "replay", "system_clock"]

logger = logging.getLogger(__name__)

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
            logger.debug(
                "journal read up to event %d: %d deliveries added", position, len(deliveries)
            )
            added += len(deliveries)
            start = position
            if len(batch) < self.batch_size:
                return added

    def deliver(self) -> RelayReport:
        """
        Attempt every due delivery, adapter by adapter, in journal order.

        An adapter's queue stops at its first delivery that must wait (not yet
        due, in flight with another relay, or just failed in a way that may pass); the
        other adapters go on. Each delivery is claimed from the store
        (:meth:`~alize_adapters.delivery.stores.DeliveryStore.claim`) before it is tried,
        so several relays on one store never try the same delivery at once.
        """
        outcomes = dict.fromkeys(DeliveryState, 0)
        pending = self.store.deliveries(states=OPEN_STATES)
        attempted = 0
        for adapter in sorted({delivery.adapter for delivery in pending}):
            while True:
                now = self._now()
                delivery = self.store.claim(adapter, now, now + self.lease)
                if delivery is None:
                    break
                attempted += 1
                state = self._attempt(delivery)
                outcomes[state] += 1
                if state is DeliveryState.RETRY:
                    break
        waiting = max(len(pending) - attempted, 0)
        return RelayReport(
            delivered=outcomes[DeliveryState.DELIVERED],
            retried=outcomes[DeliveryState.RETRY],
            dead=outcomes[DeliveryState.DEAD],
            waiting=waiting,
        )

    def run(self) -> RelayReport:
        """Take in new events, then attempt every due delivery."""
        enqueued = self.poll()
        report = attrs.evolve(self.deliver(), enqueued=enqueued)
        logger.info(
            "relay run: %d enqueued, %d delivered, %d to retry, %d dead, %d waiting",
            report.enqueued,
            report.delivered,
            report.retried,
            report.dead,
            report.waiting,
        )
        return report

    def _attempt(self, claimed: Delivery) -> DeliveryState:
        """Deliver a claimed delivery (already marked in flight by the store) and save how it went."""
        delivery = claimed
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
        logger.debug("delivered %s to %s", delivery.event_id, delivery.adapter)
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
        if gave_up:
            logger.warning("delivery %s given up (dead): %s", key, exc)
        else:
            logger.info("delivery %s to retry in %s: %s", key, delay, exc)
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
