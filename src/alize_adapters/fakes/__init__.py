"""
In-memory reference backends (*connecteurs de référence en mémoire*): real behaviour, no server.

They serve three purposes: test doubles for embedding applications, the demo,
and the proof that the conformance suite (:mod:`alize_adapters.testing`) can be
passed. They behave like adapters of remote tools because they are built like
them: each backend talks to a **target** (an in-process CRM or accounting tool
that knows nothing of alize) through a :class:`~alize_adapters.fakes.wire.Wire`
that carries JSON requests and answers, and on which faults can be injected. A test
can read the target directly, without the backend: the *backdoor* the conformance
suite uses to check what really happened. One module per role:

- :mod:`~alize_adapters.fakes.wire`: the link, its requests and answers, its faults;
- :mod:`~alize_adapters.fakes.crm`: :class:`~alize_adapters.fakes.crm.MemoryCrm` over a
  :class:`~alize_adapters.fakes.crm.CrmTarget`;
- :mod:`~alize_adapters.fakes.ledger`: :class:`~alize_adapters.fakes.ledger.MemoryLedger`
  over a :class:`~alize_adapters.fakes.ledger.LedgerTarget`, and the adapter
  :class:`~alize_adapters.fakes.ledger.LedgerPostings` that posts the fund's books (FUND-05);
- :mod:`~alize_adapters.fakes.documents` and :mod:`~alize_adapters.fakes.notifications`:
  :class:`~alize_adapters.fakes.documents.MemoryDocuments` and
  :class:`~alize_adapters.fakes.notifications.MemoryNotifications`, kept in memory;
- :mod:`~alize_adapters.fakes.backends`: :class:`~alize_adapters.fakes.backends.MemoryBackends`,
  the adapter offering all four as backends named ``memory``;
- :mod:`~alize_adapters.fakes.recorder`: :class:`~alize_adapters.fakes.recorder.EventRecorder`,
  the adapter that records every event.
"""

from __future__ import annotations

from .backends import MemoryBackends
from .crm import CRM_CAPABILITIES, CrmTarget, MemoryCrm
from .documents import MemoryDocuments
from .ledger import LEDGER_CAPABILITIES, LedgerPostings, LedgerTarget, MemoryLedger
from .notifications import MemoryNotifications
from .recorder import EventRecorder
from .wire import Request, Response, Wire


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
