"""
Delivery (*livraison*): the outbox and the journal feed that bring committed events to adapters.
"""

from __future__ import annotations

from .feed import JournalFeed, outbox_events
from .outbox import Relay, RelayReport, RetryPolicy, replay, system_clock
from .sources import CommittedEvent, EventSource, MemoryEventSource, OutboxEvent
from .stores import (
    OPEN_STATES,
    Delivery,
    DeliveryState,
    DeliveryStore,
    MemoryDeliveryStore,
    SqliteDeliveryStore,
    claimed,
)


__all__ = [
    "OPEN_STATES",
    "CommittedEvent",
    "Delivery",
    "DeliveryState",
    "DeliveryStore",
    "EventSource",
    "JournalFeed",
    "MemoryDeliveryStore",
    "MemoryEventSource",
    "OutboxEvent",
    "Relay",
    "RelayReport",
    "RetryPolicy",
    "SqliteDeliveryStore",
    "claimed",
    "outbox_events",
    "replay",
    "system_clock",
]
