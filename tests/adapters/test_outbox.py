"""The outbox: every committed event reaches every adapter at least once, with one effect."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_adapters.delivery import (
    DeliveryState,
    MemoryDeliveryStore,
    MemoryEventSource,
    OutboxEvent,
    Relay,
    RelayReport,
    RetryPolicy,
    SqliteDeliveryStore,
    replay,
)
from alize_adapters.fakes import (
    EventRecorder,
    LedgerPostings,
    LedgerTarget,
    MemoryLedger,
    Request,
    Response,
    Wire,
)
from alize_adapters.host import AdapterManager, AdvanceDisbursedNotice, Fault, idempotency_key
from alize_core import InvalidValue

from .targets import booked, disbursement


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward."""
        self.now += delta


class Deployment:
    """A journal of five postings, a ledger adapter behind a faulty wire, and two observers."""

    def __init__(self, store_path: Path) -> None:
        self.source = MemoryEventSource()
        for number in range(1, 6):
            self.source.append(booked(number))
        self.target = LedgerTarget()
        self.crash_next = False
        self.wire = Wire(self.handle)
        self.audit, self.crm_sync = EventRecorder(), EventRecorder()
        self.manager = AdapterManager()
        self.manager.register(LedgerPostings(MemoryLedger(self.wire)), name="ledger")
        self.manager.register(self.audit, name="audit")
        self.manager.register(self.crm_sync, name="crm-sync")
        self.clock = Clock()
        self.store_path = store_path
        self.stores: list[SqliteDeliveryStore] = []

    def handle(self, request: Request) -> Response:
        """The target, which can take the whole relay process down right after it acted."""
        response = self.target.handle(request)
        if self.crash_next:
            self.crash_next = False
            raise SystemExit("the relay's process was killed mid-delivery")
        return response

    def relay(self) -> Relay:
        """A relay process, reading its state from the SQLite file."""
        store = SqliteDeliveryStore(self.store_path)
        self.stores.append(store)
        return Relay(self.manager, self.source, store, clock=self.clock)

    def close(self) -> None:
        """Close every store opened."""
        for store in self.stores:
            store.close()

    def entries_per_event(self) -> list[int]:
        """How many entries each event left in the accounting tool."""
        entries = self.target.entries()
        return [
            sum(1 for e in entries if e["piece"] == f"AV-{n}" and e["date"] == f"2026-04-0{n}")
            for n in range(1, 6)
        ]


@pytest.fixture
def deployment(tmp_path: Path) -> Iterator[Deployment]:
    """A fresh deployment with its outbox in a SQLite file."""
    deployment = Deployment(tmp_path / "outbox.sqlite")
    yield deployment
    deployment.close()


def test_an_adapter_that_times_out_fails_crashes_and_recovers_has_one_effect_per_event(
    deployment: Deployment,
) -> None:
    """Timeout, 500, a crash mid-delivery, then recovery: one entry per event, others served once."""
    deployment.wire.inject(Fault.TIMEOUT)
    deployment.wire.inject(Fault.SERVER_ERROR)
    relay = deployment.relay()
    first = relay.run()
    deployment.clock.advance(timedelta(hours=1))
    second = relay.run()
    deployment.clock.advance(timedelta(hours=1))
    deployment.crash_next = True
    with pytest.raises(SystemExit):
        relay.run()
    in_flight = relay.store.deliveries(states=frozenset({DeliveryState.IN_FLIGHT}))
    deployment.clock.advance(timedelta(minutes=10))
    recovered = deployment.relay().run()

    assert first == RelayReport(enqueued=15, delivered=10, retried=1, dead=0, waiting=4)
    assert second == RelayReport(enqueued=0, delivered=0, retried=1, dead=0, waiting=4)
    assert [(d.event_id, d.adapter, d.attempts) for d in in_flight] == [("E1", "ledger", 3)]
    assert recovered == RelayReport(enqueued=0, delivered=5, retried=0, dead=0, waiting=0)
    assert deployment.entries_per_event() == [1, 1, 1, 1, 1]
    assert [deployment.audit.count(f"E{n}") for n in range(1, 6)] == [1] * 5
    assert [deployment.crm_sync.count(f"E{n}") for n in range(1, 6)] == [1] * 5
    assert deployment.relay().dead_letters() == ()


def test_a_reset_after_the_tool_acted_is_retried_into_a_single_entry(
    deployment: Deployment,
) -> None:
    """A lost answer is retried with the same key: the tool replays, nothing is posted twice."""
    deployment.wire.inject(Fault.RESET)
    relay = deployment.relay()
    relay.run()
    entries_after_reset = len(deployment.target.entries())
    deployment.clock.advance(timedelta(hours=1))
    relay.run()
    ledger = relay.store.deliveries(adapter="ledger")

    assert entries_after_reset == 1
    assert deployment.entries_per_event() == [1, 1, 1, 1, 1]
    assert [d.state for d in ledger] == [DeliveryState.DELIVERED] * 5
    assert ledger[0].attempts == 2


def test_a_failing_adapter_waits_alone_in_journal_order(deployment: Deployment) -> None:
    """While the ledger waits on its first event, it receives no later one; the others get all."""
    deployment.wire.inject(Fault.SERVER_ERROR)
    relay = deployment.relay()
    relay.run()
    states = [d.state for d in relay.store.deliveries(adapter="ledger")]

    assert states == [DeliveryState.RETRY] + [DeliveryState.PENDING] * 4
    assert [e.event_id for e in deployment.audit.received] == ["E1", "E2", "E3", "E4", "E5"]


def test_a_retry_waits_at_least_what_the_tool_asked(deployment: Deployment) -> None:
    """After a 429 with Retry-After 900, nothing is tried before 900 seconds have passed."""
    deployment.wire.inject(Fault.RATE_LIMITED, retry_after=900)
    relay = deployment.relay()
    relay.run()
    deployment.clock.advance(timedelta(seconds=899))
    early = relay.run()
    deployment.clock.advance(timedelta(seconds=1))
    on_time = relay.run()

    assert (early.delivered, early.waiting) == (0, 5)
    assert on_time.delivered == 5


def test_a_refusal_is_dead_at_once_and_can_be_replayed(deployment: Deployment) -> None:
    """A 422 is not retried: the delivery is dead, named in the dead letters, and replayable."""
    deployment.wire.inject(Fault.REJECTED)
    relay = deployment.relay()
    report = relay.run()
    (dead,) = relay.dead_letters()
    put_back = relay.replay(event_id="E1")
    again = relay.run()

    assert report.dead == 1
    assert report.delivered == 14
    assert (dead.event_id, dead.adapter, dead.last_error_type) == (
        "E1",
        "ledger",
        "AdapterRejected",
    )
    assert dead.last_error.startswith("adapter ledger, alize_on_posting_booked: the accounting")
    assert put_back == 1
    assert again.delivered == 1
    assert deployment.entries_per_event() == [1, 1, 1, 1, 1]
    assert relay.store.deliveries(adapter="ledger")[0].replays == 1


def test_too_many_attempts_make_a_delivery_dead(deployment: Deployment) -> None:
    """After the policy's last attempt, the delivery is given up, not retried for ever."""
    deployment.wire.inject(Fault.SERVER_ERROR, times=3)
    store = MemoryDeliveryStore()
    policy = RetryPolicy(max_attempts=3)
    relay = Relay(
        deployment.manager, deployment.source, store, clock=deployment.clock, policy=policy
    )
    for _attempt in range(3):
        relay.run()
        deployment.clock.advance(timedelta(hours=1))

    assert [(d.event_id, d.attempts) for d in relay.dead_letters()] == [("E1", 3)]
    assert "HTTP 500" in relay.dead_letters()[0].last_error


def test_polling_twice_adds_each_delivery_once(deployment: Deployment) -> None:
    """The outbox remembers its position in the journal."""
    relay = deployment.relay()

    assert (relay.poll(), relay.poll()) == (15, 0)
    assert relay.store.position() == 5


def test_an_event_no_adapter_observes_moves_the_position_without_deliveries() -> None:
    """A kind without a hook (a session held) is read, and nothing is queued for it."""
    source = MemoryEventSource()
    source.append(
        OutboxEvent(
            event_id="S1",
            sequence=1,
            kind="session_held",
            effective_date=date(2026, 3, 12),
            territory="MEUSE",
            payload={"session": "S-2026-03"},
        )
    )
    manager = AdapterManager()
    manager.register(EventRecorder(), name="audit")
    store = MemoryDeliveryStore()
    relay = Relay(manager, source, store, clock=Clock())

    assert relay.run() == RelayReport()
    assert store.position() == 1


def test_a_malformed_event_is_dead_with_the_field_named() -> None:
    """An event whose fields do not fit its kind is given up at once, the field named."""
    source = MemoryEventSource()
    broken = disbursement(1)
    source.append(
        OutboxEvent(
            event_id=broken.event_id,
            sequence=1,
            kind=broken.kind,
            effective_date=broken.effective_date,
            territory="MEUSE",
            payload={"advance": "AV-1", "sme": "555012343"},
        )
    )
    manager = AdapterManager()
    manager.register(EventRecorder(), name="audit")
    relay = Relay(manager, source, MemoryDeliveryStore(), clock=Clock())
    relay.run()
    (dead,) = relay.dead_letters()

    assert (dead.last_error_type, dead.last_error) == (
        "MalformedInput",
        "amount: is required and missing",
    )


def test_deliveries_carry_the_events_idempotency_key(deployment: Deployment) -> None:
    """The key of a delivery is derived from its event id, whatever the adapter or attempt."""
    relay = deployment.relay()
    relay.poll()

    assert {d.idempotency_key for d in relay.store.deliveries() if d.event_id == "E3"} == {
        idempotency_key("E3")
    }


def test_the_sqlite_store_keeps_everything_across_restarts(tmp_path: Path) -> None:
    """Closing and reopening the file gives back the position and every delivery."""
    deployment = Deployment(tmp_path / "outbox.sqlite")
    with SqliteDeliveryStore(deployment.store_path) as store:
        Relay(deployment.manager, deployment.source, store, clock=deployment.clock).run()
        before = store.deliveries()
    with SqliteDeliveryStore(deployment.store_path) as store:
        after = store.deliveries()
        position = store.position()
        copy = store.event("E2")

    assert after == before
    assert len(after) == 15
    assert position == 5
    assert copy == booked(2)


def test_replay_can_be_limited_to_one_adapter(deployment: Deployment) -> None:
    """Only the named adapter's dead deliveries go back in the queue."""
    store = MemoryDeliveryStore()
    deployment.wire.inject(Fault.REJECTED)
    Relay(deployment.manager, deployment.source, store, clock=deployment.clock).run()

    assert replay(store, deployment.clock(), adapter="audit") == 0
    assert replay(store, deployment.clock(), adapter="ledger") == 1


def test_a_clock_without_a_time_zone_is_refused(deployment: Deployment) -> None:
    """A naive date and time is ambiguous for a schedule of retries."""
    relay = Relay(
        deployment.manager,
        deployment.source,
        MemoryDeliveryStore(),
        clock=lambda: datetime(2026, 4, 2, 9, 0),  # noqa: DTZ001 - the refused value
    )

    with pytest.raises(InvalidValue, match=r"clock: .* with its time zone"):
        relay.run()


def test_events_out_of_order_are_refused() -> None:
    """A journal gives events in sequence order; an event out of order is refused."""
    source = MemoryEventSource()
    source.append(disbursement(2))

    with pytest.raises(
        InvalidValue, match="sequence: 1 must not be below the last sequence number"
    ):
        source.append(disbursement(1))


@given(
    attempt=st.integers(min_value=1, max_value=60),
    key=st.text(min_size=1, max_size=20),
    retry_after=st.none() | st.integers(min_value=0, max_value=100_000),
)
def test_a_retry_waits_between_the_backoff_and_its_jitter_and_never_less_than_asked(
    attempt: int, key: str, retry_after: int | None
) -> None:
    """The wait is the capped exponential backoff plus at most 10 %, and at least Retry-After."""
    policy = RetryPolicy()
    base = min(policy.first_delay * 2 ** min(attempt - 1, 40), policy.max_delay)
    delay = policy.delay(attempt, key, retry_after=retry_after)
    floor = max(base, timedelta(seconds=retry_after or 0))

    assert floor <= delay <= max(base * 110 // 100, floor)
    assert delay == policy.delay(attempt, key, retry_after=retry_after)


def test_amounts_in_stored_events_stay_exact() -> None:
    """The outbox's copy of an event keeps amounts as text, to the cent."""
    payload = disbursement(1).to_payload()

    assert isinstance(payload, AdvanceDisbursedNotice)
    assert payload.amount == Decimal("25000.00")


def test_events_sharing_a_journal_number_are_never_split_between_batches() -> None:
    """Three decisions of one session (one journal entry) are read and delivered together."""
    source = MemoryEventSource()
    for project in ("P1", "P2", "P3"):
        source.append(
            OutboxEvent(
                event_id=f"MEUSE-7-{project}",
                sequence=7,
                kind="project_decided",
                effective_date=date(2026, 3, 12),
                territory="MEUSE",
                payload={
                    "project": project,
                    "sme": "555012343",
                    "session": "S1",
                    "outcome": "rejected",
                },
            )
        )
    manager, recorder = AdapterManager(), EventRecorder()
    manager.register(recorder, name="audit")
    relay = Relay(manager, source, MemoryDeliveryStore(), clock=Clock(), batch_size=2)

    assert len(source.events_after(0, 2)) == 3
    assert relay.run().delivered == 3
    assert [e.event_id for e in recorder.received] == ["MEUSE-7-P1", "MEUSE-7-P2", "MEUSE-7-P3"]
