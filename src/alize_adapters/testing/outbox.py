"""
The outbox's contract: what every :class:`~alize_adapters.delivery.stores.DeliveryStore` must do.

Subclass :class:`DeliveryStoreContract` and provide a ``store`` fixture: the store under
test, empty and fresh for each test. The contract checks the store's own methods — events
and deliveries enqueued with the journal position all at once, the position never moving
back, a delivery under way never reset by a second enqueue, every field of a saved
delivery read back equal, deliveries listed by adapter then sequence and filtered by state
and adapter — and then runs a :class:`~alize_adapters.delivery.outbox.Relay` on the store,
because the relay's guarantees rest on it: each event reaches each adapter once; a
delivery in flight is not handed to a second relay before its lease ends, and is tried
again after a crash once it has; a retryable failure waits for its time, a refusal or too
many attempts make a dead letter, and an operator's replay puts it back.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_adapters.delivery.outbox import Relay, RetryPolicy
from alize_adapters.delivery.sources import MemoryEventSource, OutboxEvent
from alize_adapters.delivery.stores import OPEN_STATES, Delivery, DeliveryState, DeliveryStore
from alize_adapters.host.errors import AdapterError, AdapterRejected, AdapterUnavailable
from alize_adapters.host.hookspecs import hookimpl
from alize_adapters.host.manager import AdapterManager
from alize_adapters.host.payloads import AdvanceDisbursedNotice
from alize_adapters.testing.support import SUBCLASSED, StoreFixture
from alize_core.kernel.errors import InvalidValue


__all__ = ["DeliveryConnector", "DeliveryStoreContract"]

DeliveryConnector = Callable[[], AbstractContextManager[DeliveryStore]]
"""
What the optional ``connect`` fixture of :class:`DeliveryStoreContract` gives: a function
that opens another connection to the store under test (another relay process's), closed on
leaving its ``with`` block.
"""

_START = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)
_LEASE = timedelta(minutes=5)
_ADAPTERS = ("crm-sync", "ledger")


def _event(number: int) -> OutboxEvent:
    """Disbursement number ``number``, at that place in the journal."""
    return OutboxEvent(
        event_id=f"E{number}",
        sequence=number,
        kind="advance_disbursed",
        effective_date=date(2026, 4, 2),
        territory="MEUSE",
        payload={"advance": f"AV-{number}", "sme": "555012343", "amount": "25000.00"},
    )


def _delivery(event: OutboxEvent, adapter: str) -> Delivery:
    return Delivery(
        event_id=event.event_id,
        adapter=adapter,
        sequence=event.sequence,
        kind=event.kind,
        next_attempt_at=_START,
    )


def _enqueued(store: DeliveryStore, *numbers: int) -> list[Delivery]:
    """Events enqueued with a delivery to each adapter, the position at the last one."""
    events = [_event(number) for number in numbers]
    deliveries = [_delivery(event, adapter) for event in events for adapter in _ADAPTERS]
    store.enqueue(events, deliveries, max(numbers))
    return deliveries


class _Clock:
    """The present moment, moved by hand."""

    def __init__(self) -> None:
        self.now = _START

    def __call__(self) -> datetime:
        return self.now


class _ProcessDied(BaseException):
    """The relay's process ended in the middle of a delivery (nothing catches it)."""


class _Adapter:
    """An adapter observing disbursements: records each one it accepts, fails as told."""

    def __init__(self) -> None:
        self.received: list[str] = []
        self.failures: list[BaseException] = []
        self.meanwhile: Callable[[], None] | None = None

    @hookimpl
    def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
        """Run what happens meanwhile, fail if told to, else accept the event."""
        meanwhile, self.meanwhile = self.meanwhile, None
        if meanwhile is not None:
            meanwhile()
        if self.failures:
            raise self.failures.pop(0)
        self.received.append(event.event_id)


@attrs.define
class _Outbox:
    """A journal of disbursements, two adapters, and relays sharing the store under test."""

    store: DeliveryStore
    clock: _Clock = attrs.field(factory=_Clock)
    source: MemoryEventSource = attrs.field(factory=MemoryEventSource)
    adapters: dict[str, _Adapter] = attrs.field(
        factory=lambda: {name: _Adapter() for name in _ADAPTERS}
    )

    def journal(self, *numbers: int) -> None:
        """Commit these disbursements to the journal."""
        for number in numbers:
            self.source.append(_event(number))

    def relay(self, *, max_attempts: int = 8, store: DeliveryStore | None = None) -> Relay:
        """A relay on the store, or on another connection to it (a new one is another process)."""
        manager = AdapterManager()
        for name, adapter in self.adapters.items():
            manager.register(adapter, name=name)
        policy = RetryPolicy(max_attempts=max_attempts)
        return Relay(
            manager, self.source, self.store, clock=self.clock, policy=policy, lease=_LEASE
        )

    def state(self, event_id: str, adapter: str) -> Delivery:
        """The delivery of an event to an adapter, as the store keeps it."""
        (found,) = [d for d in self.store.deliveries(adapter=adapter) if d.event_id == event_id]
        return found


def _attempted_meanwhile(outbox: _Outbox, other: DeliveryStore) -> None:
    """
    A relay attempts a delivery and, while the adapter works, a relay on ``other`` (the same
    store, or another connection to it) runs: the delivery reaches the adapter once.
    """
    outbox.journal(1)
    first = outbox.relay()
    first.poll()
    ledger = outbox.adapters["ledger"]

    def second_relay() -> None:
        outbox.relay(store=other).deliver()

    ledger.meanwhile = second_relay
    first.deliver()

    assert ledger.received == ["E1"]
    assert outbox.state("E1", "ledger").state is DeliveryState.DELIVERED


_MOMENTS = st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds
    max_value=datetime(2040, 1, 1),  # noqa: DTZ001 - the zone comes from ``timezones``
    timezones=st.just(UTC),
)
_TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=80)


@st.composite
def _deliveries(draw: st.DrawFn) -> Delivery:
    """Any delivery of disbursement E1 to the ledger, in any state."""
    return Delivery(
        event_id="E1",
        adapter="ledger",
        sequence=1,
        kind="advance_disbursed",
        next_attempt_at=draw(_MOMENTS),
        state=draw(st.sampled_from(DeliveryState)),
        attempts=draw(st.integers(0, 1000)),
        lease_until=draw(st.none() | _MOMENTS),
        delivered_at=draw(st.none() | _MOMENTS),
        last_error=draw(_TEXT),
        last_error_type=draw(st.sampled_from(["", "AdapterUnavailable", "AdapterRejected"])),
        replays=draw(st.integers(0, 1000)),
    )


class DeliveryStoreContract(StoreFixture):
    """
    Contract tests for the outbox's delivery store; subclass it and provide the ``store`` fixture.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def connect(self) -> DeliveryConnector:
        """Opens another connection to the store under test; without it, those tests skip."""
        pytest.skip("no `connect` fixture opens another connection to the store under test")

    # -- the store's own methods -----------------------------------------------------------

    def test_a_new_outbox_has_taken_in_nothing(self, store: DeliveryStore) -> None:
        """An empty store is at position 0 and holds no delivery."""
        assert store.position() == 0
        assert store.deliveries() == ()

    def test_enqueued_events_and_deliveries_are_kept_with_the_position(
        self, store: DeliveryStore
    ) -> None:
        """Enqueued events are given back, their deliveries listed, and the position moved."""
        deliveries = _enqueued(store, 1, 2)

        assert store.position() == 2
        assert store.event("E2") == _event(2)
        assert store.event("E2").payload == _event(2).payload
        assert set(store.deliveries()) == set(deliveries)

    def test_an_event_not_taken_in_is_refused(self, store: DeliveryStore) -> None:
        """Asking for an event the outbox does not hold raises InvalidValue."""
        _enqueued(store, 1)

        with pytest.raises(InvalidValue):
            store.event("E9")

    def test_the_position_never_moves_back(self, store: DeliveryStore) -> None:
        """An enqueue with a lower position (a late relay) leaves the position where it was."""
        _enqueued(store, 5)
        store.enqueue([], [], 3)

        assert store.position() == 5

    def test_an_empty_enqueue_moves_the_position(self, store: DeliveryStore) -> None:
        """Events no adapter observes still move the position, so they are not read again."""
        store.enqueue([], [], 7)

        assert store.position() == 7
        assert store.deliveries() == ()

    def test_enqueuing_again_never_resets_a_delivery_under_way(self, store: DeliveryStore) -> None:
        """A delivery already delivered stays delivered when the same event is enqueued again."""
        first, *_others = _enqueued(store, 1)
        done = attrs.evolve(first, state=DeliveryState.DELIVERED, attempts=1, delivered_at=_START)
        store.save(done)
        _enqueued(store, 1)

        assert [d for d in store.deliveries() if d.adapter == first.adapter] == [done]
        assert len(store.deliveries()) == len(_ADAPTERS)

    @settings(max_examples=30, deadline=None, suppress_health_check=SUBCLASSED)
    @given(delivery=_deliveries())
    def test_a_saved_delivery_is_read_back_equal(
        self, store: DeliveryStore, delivery: Delivery
    ) -> None:
        """Every field of a delivery saved (state, attempts, moments with their zone, errors, replays) is kept, in every state."""
        if store.position() == 0:
            _enqueued(store, 1)
        for state in DeliveryState:  # each state every time: a store may lose just one
            saved = attrs.evolve(delivery, state=state)
            store.save(saved)

            assert [d for d in store.deliveries(adapter="ledger") if d.event_id == "E1"] == [saved]

    def test_deliveries_are_listed_by_adapter_then_sequence(self, store: DeliveryStore) -> None:
        """Whatever order they came in, deliveries are listed by adapter, then journal order."""
        for number in (3, 1, 2):
            _enqueued(store, number)

        listed = [(d.adapter, d.sequence) for d in store.deliveries()]
        assert listed == [(adapter, n) for adapter in sorted(_ADAPTERS) for n in (1, 2, 3)]

    def test_deliveries_are_filtered_by_state_and_adapter(self, store: DeliveryStore) -> None:
        """Filtering by states and by adapter gives exactly the matching deliveries, in order."""
        deliveries = _enqueued(store, 1, 2, 3)
        dead = attrs.evolve(deliveries[2], state=DeliveryState.DEAD)
        store.save(dead)
        everything = store.deliveries()

        assert store.deliveries(states=frozenset({DeliveryState.DEAD})) == (dead,)
        assert store.deliveries(adapter="ledger") == tuple(
            d for d in everything if d.adapter == "ledger"
        )
        assert store.deliveries(states=OPEN_STATES, adapter=dead.adapter) == tuple(
            d for d in everything if d.adapter == dead.adapter and d != dead
        )

    # -- what the relay rests on -----------------------------------------------------------

    def test_each_event_reaches_each_adapter_once(self, store: DeliveryStore) -> None:
        """Relays run again and again on the store deliver each event to each adapter once, in order."""
        outbox = _Outbox(store)
        outbox.journal(1, 2)
        outbox.relay().run()
        outbox.journal(3)
        for _run in range(2):
            outbox.relay().run()

        assert [a.received for a in outbox.adapters.values()] == [["E1", "E2", "E3"]] * 2
        assert store.deliveries(states=OPEN_STATES) == ()

    def test_a_delivery_in_flight_is_not_handed_to_a_second_relay(
        self, store: DeliveryStore
    ) -> None:
        """While one relay's attempt is under way, another relay run on the store does not attempt it."""
        _attempted_meanwhile(_Outbox(store), store)

    def test_relays_on_two_connections_share_the_work_without_doubling(
        self, store: DeliveryStore, connect: DeliveryConnector
    ) -> None:
        """Relays run in turn on two connections deliver each event to each adapter once."""
        outbox = _Outbox(store)
        outbox.journal(1, 2)
        with connect() as second:
            outbox.relay().run()
            outbox.journal(3)
            outbox.relay(store=second).run()
            outbox.relay().run()
            outbox.relay(store=second).run()

            assert second.position() == store.position() == 3
            assert second.deliveries(states=OPEN_STATES) == ()
        assert [a.received for a in outbox.adapters.values()] == [["E1", "E2", "E3"]] * 2

    def test_a_delivery_in_flight_is_not_handed_to_a_relay_on_another_connection(
        self, store: DeliveryStore, connect: DeliveryConnector
    ) -> None:
        """While one relay's attempt is under way, a relay on another connection does not attempt it."""
        with connect() as second:
            _attempted_meanwhile(_Outbox(store), second)

    def test_an_attempt_that_died_is_tried_again_once_its_lease_ends(
        self, store: DeliveryStore
    ) -> None:
        """A relay that died mid-delivery leaves the delivery in flight; after the lease it is delivered."""
        outbox = _Outbox(store)
        outbox.journal(1)
        ledger = outbox.adapters["ledger"]
        ledger.failures.append(_ProcessDied())
        with pytest.raises(_ProcessDied):
            outbox.relay().run()
        claimed = outbox.state("E1", "ledger")

        assert claimed.state is DeliveryState.IN_FLIGHT
        assert claimed.lease_until == _START + _LEASE
        outbox.relay().run()
        assert ledger.received == []
        outbox.clock.now += _LEASE
        outbox.relay().run()
        assert ledger.received == ["E1"]

    def test_a_retryable_failure_waits_for_its_time(self, store: DeliveryStore) -> None:
        """A tool unavailable: the delivery is retried at its next attempt time, not before."""
        outbox = _Outbox(store)
        outbox.journal(1)
        ledger = outbox.adapters["ledger"]
        ledger.failures.append(AdapterUnavailable("HTTP 503", retry_after=600))
        outbox.relay().run()
        failed = outbox.state("E1", "ledger")

        assert (failed.state, failed.attempts) == (DeliveryState.RETRY, 1)
        assert failed.last_error_type == "AdapterUnavailable"
        assert failed.next_attempt_at >= _START + timedelta(seconds=600)
        outbox.clock.now = failed.next_attempt_at - timedelta(seconds=1)
        outbox.relay().run()
        assert ledger.received == []
        outbox.clock.now = failed.next_attempt_at
        outbox.relay().run()
        assert ledger.received == ["E1"]
        assert outbox.state("E1", "ledger").attempts == 2

    def test_a_refusal_is_a_dead_letter_until_replayed(self, store: DeliveryStore) -> None:
        """A refused delivery is dead and listed; a replay puts it back and it is then delivered."""
        outbox = _Outbox(store)
        outbox.journal(1, 2)
        ledger = outbox.adapters["ledger"]
        ledger.failures.append(AdapterRejected("HTTP 422: account 2748 unknown"))
        relay = outbox.relay()
        relay.run()

        assert [(d.event_id, d.adapter) for d in relay.dead_letters()] == [("E1", "ledger")]
        assert ledger.received == ["E2"]
        assert relay.replay(adapter="ledger") == 1
        replayed = outbox.state("E1", "ledger")
        assert (replayed.state, replayed.attempts, replayed.replays) == (
            DeliveryState.PENDING,
            0,
            1,
        )
        outbox.relay().run()
        assert ledger.received == ["E2", "E1"]
        assert relay.dead_letters() == ()

    def test_too_many_attempts_make_a_dead_letter(self, store: DeliveryStore) -> None:
        """A delivery that keeps failing is dead after the policy's last attempt."""
        outbox = _Outbox(store)
        outbox.journal(1)
        ledger = outbox.adapters["ledger"]
        failures: list[AdapterError] = [AdapterUnavailable("timeout") for _ in range(3)]
        ledger.failures.extend(failures)
        for _attempt in range(3):
            outbox.relay(max_attempts=3).run()
            outbox.clock.now += timedelta(days=1)

        dead = outbox.state("E1", "ledger")
        assert (dead.state, dead.attempts) == (DeliveryState.DEAD, 3)
        assert outbox.adapters["crm-sync"].received == ["E1"]
