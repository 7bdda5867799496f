"""
The adapter offering every in-memory backend, each named ``memory`` (*connecteurs en mémoire*).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable

from alize_adapters.fakes.crm import CRM_CAPABILITIES, CrmTarget, MemoryCrm
from alize_adapters.fakes.documents import MemoryDocuments
from alize_adapters.fakes.ledger import LEDGER_CAPABILITIES, LedgerTarget, MemoryLedger
from alize_adapters.fakes.notifications import MemoryNotifications
from alize_adapters.fakes.wire import Wire
from alize_adapters.host.backends import (
    AccountingBackend,
    CrmBackend,
    DocumentBackend,
    NotificationBackend,
)
from alize_adapters.host.hookspecs import RegistrationSpec, hookimpl
from alize_adapters.host.payloads import (
    BackendOffer,
    BackendRole,
    BackendSettings,
    Capability,
    RegistrationRequest,
)


__all__ = [
    "MemoryBackends",
]


class MemoryBackends(RegistrationSpec):
    """
    An adapter offering the in-memory backends, each named ``memory``, for every role.

    Its targets are attributes, so a test or the demo can read them directly.

    Attributes:
        crm_target: The CRM behind the CRM backend.
        crm_wire: The link to it.
        ledger_target: The accounting tool behind the accounting backend.
        ledger_wire: The link to it.
        documents: The document store.
        notifications: The messaging backend.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self.crm_target = CrmTarget()
        self.crm_wire = Wire(self.crm_target.handle)
        self.ledger_target = LedgerTarget()
        self.ledger_wire = Wire(self.ledger_target.handle)
        self.documents = MemoryDocuments()
        self.notifications = MemoryNotifications()

    def _crm(self, _settings: BackendSettings) -> MemoryCrm:
        return MemoryCrm(self.crm_wire)

    def _ledger(self, _settings: BackendSettings) -> MemoryLedger:
        return MemoryLedger(self.ledger_wire)

    def _documents(self, _settings: BackendSettings) -> MemoryDocuments:
        return self.documents

    def _notifications(self, _settings: BackendSettings) -> MemoryNotifications:
        return self.notifications

    @hookimpl
    def alize_crm_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[CrmBackend]]:
        """Offer the in-memory CRM."""
        description = "in-memory CRM (tests and demo)"
        return (BackendOffer(BackendRole.CRM, "memory", self._crm, CRM_CAPABILITIES, description),)

    @hookimpl
    def alize_accounting_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[AccountingBackend]]:
        """Offer the in-memory accounting tool."""
        return (
            BackendOffer(
                BackendRole.ACCOUNTING,
                "memory",
                self._ledger,
                LEDGER_CAPABILITIES,
                "in-memory accounting tool (tests and demo)",
            ),
        )

    @hookimpl
    def alize_document_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[DocumentBackend]]:
        """Offer the in-memory document store."""
        capabilities = frozenset({Capability.STORE})
        description = "in-memory document store (tests and demo)"
        return (
            BackendOffer(
                BackendRole.DOCUMENTS, "memory", self._documents, capabilities, description
            ),
        )

    @hookimpl
    def alize_notification_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[NotificationBackend]]:
        """Offer the in-memory messaging backend."""
        return (
            BackendOffer(
                BackendRole.NOTIFICATIONS,
                "memory",
                self._notifications,
                frozenset({Capability.SEND}),
                "in-memory messages (tests and demo)",
            ),
        )
