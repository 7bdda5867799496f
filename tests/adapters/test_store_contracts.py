"""alize's own stores pass the store contracts of ``alize_adapters.testing``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from alize_adapters.storage import MemoryStore, SqliteStore
from alize_adapters.testing import (
    CommandStoreContract,
    EventStoreContract,
    PersonalDataContract,
    TokenStoreContract,
)


class TestSqliteStore(
    EventStoreContract, CommandStoreContract, PersonalDataContract, TokenStoreContract
):
    """The embedded SQLite store keeps every storage contract."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SqliteStore]:
        """A new store file for each test."""
        with SqliteStore(tmp_path / "alize.db") as store:
            yield store

    @pytest.fixture
    def stored_bytes(self, tmp_path: Path) -> Callable[[], bytes]:
        """The store's file and its write-ahead log, read as bytes."""
        return lambda: b"".join(path.read_bytes() for path in sorted(tmp_path.glob("alize.db*")))


class TestMemoryStore(
    EventStoreContract, CommandStoreContract, PersonalDataContract, TokenStoreContract
):
    """The store in memory keeps every storage contract."""

    @pytest.fixture
    def store(self) -> MemoryStore:
        """A new store for each test."""
        return MemoryStore()

    @pytest.fixture
    def stored_bytes(self, store: MemoryStore) -> Callable[[], bytes]:
        """Everything the store's object holds, written out."""
        return lambda: repr(vars(store)).encode()
