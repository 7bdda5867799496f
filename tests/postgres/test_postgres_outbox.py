"""The outbox's deliveries in PostgreSQL, shared by several relay processes."""

from __future__ import annotations

import multiprocessing
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from alize_adapters.delivery.feed import JournalFeed
from alize_adapters.delivery.stores import Delivery, DeliveryState
from alize_adapters.storage.postgres import PostgresDeliveryStore, PostgresStore
from alize_adapters.storage.sqlite import audit

from .server import PostgresServer
from .workers import ADAPTERS, outbox_events, record, relay, relay_journal


pytestmark = pytest.mark.postgres

NOW = datetime(2026, 4, 2, 9, 0, tzinfo=UTC)


def _pending(event: str, sequence: int, adapter: str = "ledger") -> Delivery:
    return Delivery(
        event_id=event,
        adapter=adapter,
        sequence=sequence,
        kind="advance_disbursed",
        next_attempt_at=NOW,
    )


def test_four_relay_processes_deliver_each_event_to_each_adapter_once(
    postgres: PostgresServer, territory: str
) -> None:
    """Four relays on one outbox: 60 events × 3 adapters, each received exactly once, in journal order."""
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.starmap(relay, [(postgres.url, territory, 60)] * 4)

    received = Counter((adapter, event) for result in results for adapter, event, _key in result)
    assert received == Counter({(a, e.event_id): 1 for a in ADAPTERS for e in outbox_events(60)})
    for result in results:
        for adapter in ADAPTERS:
            order = [int(event[1:]) for name, event, _key in result if name == adapter]
            assert order == sorted(order)
    with PostgresDeliveryStore(postgres.url, territory=territory) as store:
        states = {d.state for d in store.deliveries()}
        assert states == {DeliveryState.DELIVERED}
        assert store.position() == 60


def test_a_delivery_in_flight_is_claimed_by_nobody_else_until_its_lease_ends(
    postgres: PostgresServer, territory: str
) -> None:
    """The first relay's claim blocks the adapter's queue; after the lease, the next claim retries it."""
    events = outbox_events(2)
    with (
        PostgresDeliveryStore(postgres.url, territory=territory) as first,
        PostgresDeliveryStore(postgres.url, territory=territory) as second,
    ):
        first.enqueue(events, [_pending("E1", 1), _pending("E2", 2)], 2)
        taken = first.claim("ledger", NOW, NOW + timedelta(minutes=5))

        assert taken is not None
        assert (taken.event_id, taken.state, taken.attempts) == ("E1", DeliveryState.IN_FLIGHT, 1)
        assert (
            second.claim("ledger", NOW + timedelta(minutes=1), NOW + timedelta(minutes=6)) is None
        )
        again = second.claim("ledger", NOW + timedelta(minutes=5), NOW + timedelta(minutes=10))
        assert again is not None
        assert (again.event_id, again.attempts) == ("E1", 2)


def test_the_outbox_keeps_its_events_and_position(postgres: PostgresServer, territory: str) -> None:
    """Events enqueued twice are kept once; the position only moves forward."""
    events = outbox_events(3)
    with PostgresDeliveryStore(postgres.url, territory=territory) as store:
        store.enqueue(events, [_pending("E1", 1)], 3)
        store.enqueue(events[:1], [_pending("E1", 1)], 1)

        assert store.position() == 3
        assert store.event("E2") == events[1]
        assert len(store.deliveries()) == 1


def test_eight_writers_and_four_relays_at_once_lose_nothing_and_double_nothing(
    postgres: PostgresServer, territory: str, demo_db: Path, tmp_path: Path
) -> None:
    """
    Eight processes record 120 repayments while four relays deliver the journal to three
    adapters: every repayment is in the journal once, every outbox event reaches each
    adapter once, and the register checks clean afterwards.
    """
    with PostgresStore(postgres.url, territory=territory) as store:
        store.restore(demo_db)
        before = store.version()
    stop = tmp_path / "writers-done"
    ids = [f"r-{n}" for n in range(120)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(12) as pool:
        relays = [
            pool.apply_async(relay_journal, (postgres.url, territory, str(stop))) for _ in range(4)
        ]
        writers = [
            pool.apply_async(record, (postgres.url, territory, ids[k::8], True)) for k in range(8)
        ]
        statuses = [status for writer in writers for _, status in writer.get(timeout=300)]
        stop.write_text("done")
        received = Counter(pair for relay_ in relays for pair in relay_.get(timeout=300))

    assert statuses == ["recorded"] * 120
    with PostgresStore(postgres.url, territory=territory) as store:
        assert store.version() == before + 120
        assert audit(store).ok
        expected = JournalFeed.from_rows(store.read).events_after(0, 10**9)
    repayments = [e.event_id for e in expected if e.kind == "repayment_received"]
    assert len(repayments) >= 120
    assert received == Counter({(a, e.event_id): 1 for a in ADAPTERS for e in expected})
