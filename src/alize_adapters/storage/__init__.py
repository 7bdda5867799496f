"""
Storage (*stockage*): the stores that keep a register's journal.
"""

from __future__ import annotations

from .ports import (
    AlreadyRecorded,
    CommandStore,
    IdempotencyConflict,
    RecordedCommand,
    TokenInfo,
    TokenStore,
)
from .recording import RETRIES, Recorder, Recording, RecordStatus
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
    "RETRIES",
    "UPGRADES",
    "AlreadyRecorded",
    "Audit",
    "CommandStore",
    "IdempotencyConflict",
    "RecordStatus",
    "RecordedCommand",
    "Recorder",
    "Recording",
    "SqliteStore",
    "TokenInfo",
    "TokenStore",
    "UnknownFormat",
    "audit",
    "read_events",
    "restore",
]
