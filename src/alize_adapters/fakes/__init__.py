"""
In-memory fakes (*doublures en mémoire*) of every backend, for tests and the demo.
"""

from __future__ import annotations

from .memory import (
    CRM_CAPABILITIES,
    LEDGER_CAPABILITIES,
    CrmTarget,
    EventRecorder,
    LedgerPostings,
    LedgerTarget,
    MemoryBackends,
    MemoryCrm,
    MemoryDocuments,
    MemoryLedger,
    MemoryNotifications,
    Request,
    Response,
    Wire,
)


__all__ = [
    "CRM_CAPABILITIES",
    "LEDGER_CAPABILITIES",
    "CrmTarget",
    "EventRecorder",
    "LedgerPostings",
    "LedgerTarget",
    "MemoryBackends",
    "MemoryCrm",
    "MemoryDocuments",
    "MemoryLedger",
    "MemoryNotifications",
    "Request",
    "Response",
    "Wire",
]
