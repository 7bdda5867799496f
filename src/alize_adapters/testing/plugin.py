"""
The pytest plugin of the conformance suite: ``pytest_plugins = ["alize_adapters.testing.plugin"]``.

It is opt-in (no ``pytest11`` entry point), so it never loads into an embedding
application's own tests unless asked for. It holds no assertion, so pytest need
not rewrite it (PYTEST_DONT_REWRITE), and importing it first does no harm.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import pytest

from alize_adapters.host.config import AdapterConfig
from alize_adapters.host.manager import AdapterManager


__all__ = ["adapter_manager"]


@pytest.fixture
def adapter_manager() -> AdapterManager:
    """
    A fresh, strict adapter manager for one test: nothing loaded, nothing shared.

    Register the adapter under test with ``adapter_manager.register(plugin, name=...)``;
    each test gets its own manager, so no adapter leaks into the next test.
    """
    return AdapterManager(AdapterConfig(strict=True))
