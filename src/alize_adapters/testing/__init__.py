"""
The conformance suite for adapters and stores (*suite de conformité*): ``pip install alize[testing]``.

An adapter author proves an adapter right by subclassing the contract classes in
a test module and providing a few fixtures (the backend, a backdoor that reads
the target directly, a fault injector):

- :class:`CrmBackendContract` for a :class:`~alize_adapters.host.backends.CrmBackend`;
- :class:`AccountingBackendContract` for an
  :class:`~alize_adapters.host.backends.AccountingBackend`;
- :class:`EventHookContract` for an adapter observing committed events;
- :class:`PluginPackagingContract` for the installed distribution.

Whoever keeps a register somewhere else than alize's own stores proves the store the
same way, with a ``store`` fixture giving it empty for each test:

- :class:`EventStoreContract` for an :class:`~alize_core.register.storage.EventStore`
  and :class:`CommandStoreContract` for a
  :class:`~alize_adapters.storage.ports.CommandStore` (appends, versions, the chain,
  snapshots, idempotency keys);
- :class:`PersonalDataContract` for a
  :class:`~alize_core.register.storage.PersonalData` store (erasure) and
  :class:`TokenStoreContract` for a :class:`~alize_adapters.storage.ports.TokenStore`;
- :class:`DeliveryStoreContract` for the outbox's
  :class:`~alize_adapters.delivery.stores.DeliveryStore` (positions, states, claims,
  retries, dead letters and their replay).

The contract classes are named ``*Contract`` so pytest does not collect them on
their own; a subclass named ``Test*`` runs them. Add
``pytest_plugins = ["alize_adapters.testing.plugin"]`` to the ``conftest.py``
for the ``adapter_manager`` fixture. The suite is itself tested: alize runs it
against its in-memory backends (which pass) and against deliberately broken
ones (which fail the matching tests).

>>> CONTRACT_VERSION
'1.0'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Final

import pytest


# Assertions in the contract modules must be rewritten to show values when they fail.
pytest.register_assert_rewrite(
    "alize_adapters.testing.accounting",
    "alize_adapters.testing.crm",
    "alize_adapters.testing.events",
    "alize_adapters.testing.outbox",
    "alize_adapters.testing.packaging",
    "alize_adapters.testing.people",
    "alize_adapters.testing.storage",
    "alize_adapters.testing.support",
)

from .accounting import AccountingBackendContract  # noqa: E402
from .crm import CrmBackendContract  # noqa: E402
from .events import EventHookContract  # noqa: E402
from .journal import SampleJournal  # noqa: E402
from .outbox import DeliveryConnector, DeliveryStoreContract  # noqa: E402
from .packaging import PluginPackagingContract, annotation_problems  # noqa: E402
from .people import PersonalDataContract, TokenStoreContract  # noqa: E402
from .storage import CommandStoreContract, Connector, EventStoreContract  # noqa: E402
from .support import (  # noqa: E402
    CrmInspector,
    EffectInspector,
    FaultInjector,
    LedgerInspector,
    TargetEntry,
    TargetLine,
    sample_events,
)


__all__ = [
    "CONTRACT_VERSION",
    "AccountingBackendContract",
    "CommandStoreContract",
    "Connector",
    "CrmBackendContract",
    "CrmInspector",
    "DeliveryConnector",
    "DeliveryStoreContract",
    "EffectInspector",
    "EventHookContract",
    "EventStoreContract",
    "FaultInjector",
    "LedgerInspector",
    "PersonalDataContract",
    "PluginPackagingContract",
    "SampleJournal",
    "TargetEntry",
    "TargetLine",
    "TokenStoreContract",
    "annotation_problems",
    "sample_events",
]

CONTRACT_VERSION: Final = "1.0"
"""The version of the contracts: a new minor version may add tests, a major one change them."""
