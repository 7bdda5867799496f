"""
Storage (*stockage*): the stores that keep a register's journal.
"""

from __future__ import annotations

from .memory import MemoryStore
from .ports import (
    AlreadyRecorded,
    AuditableStore,
    CommandStore,
    IdempotencyConflict,
    RecordedCommand,
    TokenInfo,
    TokenStore,
)
from .postgres import (
    POSTGRES_FORMAT,
    POSTGRES_SCHEMA,
    URL_SCHEMES,
    PostgresDeliveryStore,
    PostgresStore,
    StoreUnavailable,
    is_url,
    open_store,
    shown_url,
    territory_of,
)
from .recording import RETRIES, Recorder, Recording, RecordStatus
from .sqlite import (
    DEFAULT_DB,
    ERASE_WAIT_MS,
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
    "ERASE_WAIT_MS",
    "FORMAT",
    "POSTGRES_FORMAT",
    "POSTGRES_SCHEMA",
    "PREFIX",
    "RETRIES",
    "UPGRADES",
    "URL_SCHEMES",
    "AlreadyRecorded",
    "Audit",
    "AuditableStore",
    "CommandStore",
    "IdempotencyConflict",
    "MemoryStore",
    "PostgresDeliveryStore",
    "PostgresStore",
    "RecordStatus",
    "RecordedCommand",
    "Recorder",
    "Recording",
    "SqliteStore",
    "StoreUnavailable",
    "TokenInfo",
    "TokenStore",
    "UnknownFormat",
    "audit",
    "authenticate",
    "is_url",
    "issue_token",
    "open_store",
    "read_events",
    "restore",
    "shown_url",
    "territory_of",
    "token_digest",
]
