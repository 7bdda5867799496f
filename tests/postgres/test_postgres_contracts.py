"""The PostgreSQL store keeps every storage contract of ``alize_adapters.testing``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from alize_adapters.storage.postgres import PostgresDeliveryStore, PostgresStore
from alize_adapters.testing import (
    CommandStoreContract,
    Connector,
    DeliveryConnector,
    DeliveryStoreContract,
    EventStoreContract,
    PersonalDataContract,
    TokenStoreContract,
)

from .server import PostgresServer


pytestmark = pytest.mark.postgres


class TestPostgresStore(
    EventStoreContract, CommandStoreContract, PersonalDataContract, TokenStoreContract
):
    """A territory's register in PostgreSQL keeps every storage contract."""

    @pytest.fixture
    def store(self, postgres: PostgresServer, database: str) -> Iterator[PostgresStore]:
        """A territory in a database of its own, new for each test."""
        with PostgresStore(database, territory="MEUSE") as store:
            yield store

    @pytest.fixture
    def connect(self, database: str) -> Connector:
        """Another connection to the test's database and territory."""
        return lambda: PostgresStore(database, territory="MEUSE", create=False)

    @pytest.fixture
    def stored_bytes(self, postgres: PostgresServer, database: str) -> Callable[[], bytes]:
        """Every file of the test's database, read after a checkpoint wrote them out."""
        import psycopg

        def read() -> bytes:
            with psycopg.connect(postgres.admin_url(), autocommit=True) as admin:
                admin.execute("CHECKPOINT")
                row = admin.execute(
                    "SELECT oid FROM pg_database WHERE datname = %s", (database.rsplit("/", 1)[1],)
                ).fetchone()
            assert row is not None
            folder = Path(postgres.folder) / "data" / "base" / str(row[0])
            return b"".join(
                path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()
            )

        return read


class TestPostgresDeliveryStore(DeliveryStoreContract):
    """A territory's outbox in PostgreSQL keeps the delivery contract."""

    @pytest.fixture
    def store(self, postgres: PostgresServer, territory: str) -> Iterator[PostgresDeliveryStore]:
        """The outbox of a territory no other test uses."""
        with PostgresDeliveryStore(postgres.url, territory=territory) as store:
            yield store

    @pytest.fixture
    def connect(self, postgres: PostgresServer, territory: str) -> DeliveryConnector:
        """Another connection to the same territory's outbox (another relay's)."""
        return lambda: PostgresDeliveryStore(postgres.url, territory=territory)
