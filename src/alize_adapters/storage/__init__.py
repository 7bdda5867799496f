"""
Storage (*stockage*): the stores that keep a register's journal.
"""

from __future__ import annotations

from .sqlite import (
    DEFAULT_DB,
    FORMAT,
    UPGRADES,
    Audit,
    SqliteStore,
    UnknownFormat,
    audit,
    read_events,
    restore,
)


__all__ = [
    "DEFAULT_DB",
    "FORMAT",
    "UPGRADES",
    "Audit",
    "SqliteStore",
    "UnknownFormat",
    "audit",
    "read_events",
    "restore",
]
