"""
The Tryton adapter: parties, opportunities, timesheets and account moves over JSON-RPC.

Tryton is a free ERP with CRM and accounting that runs from PyPI; its French
module ``account_fr`` carries the *plan comptable général* and writes the FEC.
:class:`TrytonClient` speaks its JSON-RPC with the standard library;
:class:`TrytonCrm` and :class:`TrytonLedger` are the CRM and accounting
backends (:mod:`alize_adapters.host.backends`) an operator binds to its Tryton.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from .backends import TrytonAdapter, client_from_settings
from .base import TrytonBackend, page_cursor, require_capability
from .client import HttpRequest, HttpResponse, Transport, TrytonClient, WizardData, http_transport
from .crm import COMMUNE_MECHANISM, CRM_CAPABILITIES, TrytonCrm
from .ledger import LEDGER_CAPABILITIES, TrytonLedger


__all__ = [
    "COMMUNE_MECHANISM",
    "CRM_CAPABILITIES",
    "LEDGER_CAPABILITIES",
    "HttpRequest",
    "HttpResponse",
    "Transport",
    "TrytonAdapter",
    "TrytonBackend",
    "TrytonClient",
    "TrytonCrm",
    "TrytonLedger",
    "WizardData",
    "client_from_settings",
    "http_transport",
    "page_cursor",
    "require_capability",
]
