"""
Storage (*stockage*): the stores that keep a register's journal.
"""

from __future__ import annotations

from .memory import MemoryStore
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
from .tokens import PREFIX, authenticate, issue_token, token_digest


__all__ = [
    "DEFAULT_DB",
    "FORMAT",
    "PREFIX",
    "RETRIES",
    "UPGRADES",
    "AlreadyRecorded",
    "Audit",
    "CommandStore",
    "IdempotencyConflict",
    "MemoryStore",
    "RecordStatus",
    "RecordedCommand",
    "Recorder",
    "Recording",
    "SqliteStore",
    "TokenInfo",
    "TokenStore",
    "UnknownFormat",
    "audit",
    "authenticate",
    "issue_token",
    "read_events",
    "restore",
    "token_digest",
]
