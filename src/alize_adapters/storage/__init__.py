"""
Storage (*stockage*): the stores that keep a register's journal.
"""

from __future__ import annotations

from .sqlite import FORMAT, Audit, SqliteStore, audit, read_events, restore


__all__ = ["FORMAT", "Audit", "SqliteStore", "audit", "read_events", "restore"]
