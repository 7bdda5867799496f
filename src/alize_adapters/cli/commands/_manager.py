"""The adapters a command delivers to: loaded from the installed entry points, as configured."""

from __future__ import annotations

from alize_adapters.host.config import AdapterConfig
from alize_adapters.host.manager import AdapterManager


def loaded_manager(config: AdapterConfig) -> AdapterManager:
    """A manager with the installed adapters loaded under this configuration."""
    manager = AdapterManager(config)
    manager.load_entry_points()
    return manager
