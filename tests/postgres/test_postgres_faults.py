"""Faults on a real PostgreSQL: a writer killed in its transaction, a restart, a dropped connection."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from pathlib import Path

import pytest

from alize_adapters.storage.postgres import PostgresStore, StoreUnavailable
from alize_core.journal.chain import seal_rows, verify_rows

from .server import PostgresServer
from .workers import FEE, stalled_append


pytestmark = pytest.mark.postgres


def _append_one(store: PostgresStore) -> int:
    version, head = store.head()
    return store.append(seal_rows([FEE], version=version, head=head), expected_version=version)


def test_a_writer_killed_in_its_transaction_leaves_nothing_and_blocks_nobody(
    postgres: PostgresServer, territory: str, tmp_path: Path
) -> None:
    """SIGKILL while a writer holds the territory's lock: its rows vanish, the next writer goes on."""
    ready = tmp_path / "ready"
    with PostgresStore(postgres.url, territory=territory) as store:
        _append_one(store)
        writer = multiprocessing.get_context("spawn").Process(
            target=stalled_append, args=(postgres.url, territory, str(ready))
        )
        writer.start()
        deadline = time.monotonic() + 60
        while not ready.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), "the writer never reached its transaction"
        assert writer.pid is not None
        os.kill(writer.pid, signal.SIGKILL)
        writer.join(10)

        assert _append_one(store) == 2
        assert verify_rows(store.read).ok
        assert [row[0] for row in store.read()] == [1, 2]


def test_a_restarted_server_costs_one_call_and_loses_nothing(
    postgres: PostgresServer, territory: str
) -> None:
    """After a restart the store's first call may fail as StoreUnavailable; the next connects again."""
    with PostgresStore(postgres.url, territory=territory) as store:
        _append_one(store)
        postgres.restart()

        with contextlib.suppress(StoreUnavailable):  # the old connection's end is found here
            store.version()
        assert _append_one(store) == 2
        assert verify_rows(store.read).ok


def test_a_dropped_connection_is_reported_then_opened_again(
    postgres: PostgresServer, territory: str
) -> None:
    """A connection the server terminates: the next call raises StoreUnavailable, the one after works."""
    import psycopg

    with PostgresStore(postgres.url, territory=territory) as store:
        _append_one(store)
        pid = store.backend_pid()
        with psycopg.connect(postgres.url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))

        with pytest.raises(StoreUnavailable, match="db: "):
            store.version()
        assert store.version() == 1
        assert store.backend_pid() != pid
