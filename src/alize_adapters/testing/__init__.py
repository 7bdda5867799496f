"""
The conformance suite for adapters (*suite de conformité*): ``pip install alize[testing]``.

An adapter author proves an adapter right by subclassing the contract classes in
a test module and providing a few fixtures (the backend, a backdoor that reads
the target directly, a fault injector):

- :class:`CrmBackendContract` for a :class:`~alize_adapters.host.backends.CrmBackend`;
- :class:`AccountingBackendContract` for an
  :class:`~alize_adapters.host.backends.AccountingBackend`;
- :class:`EventHookContract` for an adapter observing committed events;
- :class:`PluginPackagingContract` for the installed distribution.

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
    "alize_adapters.testing.packaging",
    "alize_adapters.testing.support",
)

from .accounting import AccountingBackendContract  # noqa: E402
from .crm import CrmBackendContract  # noqa: E402
from .events import EventHookContract  # noqa: E402
from .packaging import PluginPackagingContract, annotation_problems  # noqa: E402
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
    "CrmBackendContract",
    "CrmInspector",
    "EffectInspector",
    "EventHookContract",
    "FaultInjector",
    "LedgerInspector",
    "PluginPackagingContract",
    "TargetEntry",
    "TargetLine",
    "annotation_problems",
    "sample_events",
]

CONTRACT_VERSION: Final = "1.0"
"""The version of the contracts: a new minor version may add tests, a major one change them."""
