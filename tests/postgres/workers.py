"""Work run in other processes by the PostgreSQL tests (importable, so spawned processes find it)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from alize_adapters.delivery.feed import JournalFeed
from alize_adapters.delivery.outbox import Relay
from alize_adapters.delivery.sources import MemoryEventSource, OutboxEvent
from alize_adapters.delivery.stores import OPEN_STATES
from alize_adapters.fakes import EventRecorder
from alize_adapters.host.manager import AdapterManager
from alize_adapters.storage.postgres import PostgresDeliveryStore, PostgresStore
from alize_adapters.storage.recording import Recorder
from alize_core.commands.catalogue import read_request
from alize_core.journal.chain import seal_rows
from alize_core.journal.codec import StoredEvent
from alize_core.kernel.errors import ConcurrencyError


CONTRIBUTION_DAY = "2027-06-01"
"""After the demo's last event: the day every concurrent contribution is dated."""


def contribution(command_id: str) -> dict[str, object]:
    """A partner's contribution of 100.00 €, as a ``record`` line."""
    return {
        "id": command_id,
        "command": "receive_contribution",
        "on": CONTRIBUTION_DAY,
        "actor": "OP1",
        "partner": "ACIER",
        "amount": "100.00",
    }


def repayment(command_id: str) -> dict[str, object]:
    """A repayment of 1.00 € on the demo's advance P1, as a ``record`` line."""
    return {
        "id": command_id,
        "command": "receive_repayment",
        "on": CONTRIBUTION_DAY,
        "actor": "OP1",
        "project": "P1",
        "amount": "1.00",
    }


def record(
    url: str, territory: str, ids: list[str], repayments: bool = False
) -> list[tuple[str, str]]:
    """Record a contribution (or a repayment) under each id, through the recorder; each id's status."""
    statuses = []
    with PostgresStore(url, territory=territory, create=False) as store:
        recorder = Recorder(store)
        for command_id in ids:
            line = repayment(command_id) if repayments else contribution(command_id)
            request, actor = read_request(line)
            assert actor is not None
            while True:
                try:
                    recording = recorder.record(request, actor)
                except ConcurrencyError:
                    continue  # the recorder's own retries ran out under contention: go on
                break
            statuses.append((command_id, recording.status.value))
    return statuses


ADAPTERS = ("ledger", "crm", "mail")


def outbox_events(count: int) -> list[OutboxEvent]:
    """``count`` disbursements, the same in every process."""
    return [
        OutboxEvent(
            event_id=f"E{n}",
            sequence=n,
            kind="advance_disbursed",
            effective_date=date(2026, 4, 2),
            territory="MEUSE",
            payload={"advance": f"AV-{n}", "sme": "555012343", "amount": "25000.00"},
        )
        for n in range(1, count + 1)
    ]


def relay(url: str, territory: str, count: int) -> list[tuple[str, str, str]]:
    """Relay the events to three adapters until nothing is open; what each adapter received."""
    manager = AdapterManager()
    recorders = {name: EventRecorder() for name in ADAPTERS}
    for name, recorder in recorders.items():
        manager.register(recorder, name=name)
    source = MemoryEventSource()
    for event in outbox_events(count):
        source.append(event)
    with PostgresDeliveryStore(url, territory=territory) as store:
        relaying = Relay(manager, source, store, batch_size=7)
        relaying.poll()
        while store.deliveries(states=OPEN_STATES):
            relaying.run()
            time.sleep(0.01)
    return [
        (name, event.event_id, event.idempotency_key)
        for name, recorder in recorders.items()
        for event in recorder.received
    ]


def stalled_append(url: str, territory: str, ready: str) -> None:
    """Append one row of a batch, then hang inside the transaction (to be killed there)."""
    with PostgresStore(url, territory=territory) as store:
        version, head = store.head()
        rows = list(seal_rows([FEE], version=version, head=head))

        def stalling() -> Iterator[StoredEvent]:
            yield from rows
            Path(ready).write_text("in the transaction")
            time.sleep(120)

        store.append(stalling(), expected_version=version)


FEE = ("fee_paid", "2026-01-05", "OP1", ("FUND-05",), {"amount": "12.50", "label": "frais"})
"""A bank fee in the journal's own form (for appends that need no register)."""


def relay_journal(url: str, territory: str, stop: str) -> list[tuple[str, str]]:
    """
    Relay the territory's journal (read from PostgreSQL as writers append) to three adapters,
    until the writers are done (``stop`` exists) and nothing is left; what each received.
    """
    manager = AdapterManager()
    recorders = {name: EventRecorder() for name in ADAPTERS}
    for name, recorder in recorders.items():
        manager.register(recorder, name=name)
    with (
        PostgresStore(url, territory=territory, create=False) as journal,
        PostgresDeliveryStore(url, territory=territory) as outbox,
    ):
        relaying = Relay(manager, JournalFeed.from_rows(journal.read), outbox)
        while True:
            done = Path(stop).exists()
            report = relaying.run()
            if done and report.enqueued == 0 and not outbox.deliveries(states=OPEN_STATES):
                break
            time.sleep(0.02)
    return [
        (name, event.event_id)
        for name, recorder in recorders.items()
        for event in recorder.received
    ]
