"""
Fixtures for the tests against a real PostgreSQL (marked ``postgres``; ``nox -s postgres``).

One cluster serves the whole run (:func:`postgres`); each test gets a territory of its own
in its database (:func:`territory`), so that tests never see each other's rows. Without
PostgreSQL or psycopg the tests are skipped, with one line saying why, unless
``ALIZE_REQUIRE_SERVERS=1`` (set in CI), where they fail instead.
"""

from __future__ import annotations

import contextlib
import io
import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from alize_adapters.demo import DemoContext
from alize_adapters.demo import part_02_register as demo_year
from tests.adapters.servers import ServerUnavailable, require_servers

from .server import PostgresServer, postgres_server


_TERRITORIES = itertools.count(1)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL on 127.0.0.1 for the session, in a temporary folder; stopped by pid."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(postgres_server())
        except ServerUnavailable as exc:
            if require_servers():
                pytest.fail(f"PostgreSQL required (ALIZE_REQUIRE_SERVERS=1) but unavailable: {exc}")
            pytest.skip(f"PostgreSQL unavailable: {exc}")
        yield server


@pytest.fixture
def territory(postgres: PostgresServer) -> str:
    """A territory key no other test of the run uses."""
    return f"T{next(_TERRITORIES):04d}"


@pytest.fixture
def database(postgres: PostgresServer) -> str:
    """The URL of a new, empty database of the cluster (for tests that read its files)."""
    import psycopg

    name = f"alize_{next(_TERRITORIES):04d}"
    with psycopg.connect(postgres.admin_url(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return postgres.url.rsplit("/", 1)[0] + "/" + name


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's register (a year of a territory) in a SQLite file."""
    context = DemoContext(tmp_path_factory.mktemp("demo"), io.StringIO())
    demo_year.run(context)
    return context.db
