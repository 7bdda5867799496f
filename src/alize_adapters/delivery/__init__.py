"""
Delivery (*livraison*): the outbox and the journal feed that bring committed events to adapters.
"""

from __future__ import annotations

from .feed import JournalFeed, outbox_events
from .outbox import (
    CommittedEvent,
    Delivery,
    DeliveryState,
    DeliveryStore,
    EventSource,
    MemoryDeliveryStore,
    MemoryEventSource,
    OutboxEvent,
    Relay,
    RelayReport,
    RetryPolicy,
    SqliteDeliveryStore,
    replay,
    system_clock,
)


__all__ = [
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
    "outbox_events",
    "replay",
    "system_clock",
]
