"""Session fixtures for the integration tests: a real Tryton and a real Radicale on 127.0.0.1."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from .servers import (
    RadicaleServer,
    ServerUnavailable,
    TrytonServer,
    radicale_server,
    require_servers,
    tryton_server,
)


S = TypeVar("S")
_TIMINGS: list[str] = []


def _serve(
    start: Callable[[Path], contextlib.AbstractContextManager[S]], directory: Path
) -> Iterator[S]:
    """Run a server for the session; skip (or fail, when servers are required) if it cannot start."""
    with contextlib.ExitStack() as stack:
        try:
            server = stack.enter_context(start(directory))
        except ServerUnavailable as exc:
            if require_servers():
                pytest.fail(f"server required (ALIZE_REQUIRE_SERVERS=1) but unavailable: {exc}")
            pytest.skip(f"server unavailable: {exc}")
        yield server


@pytest.fixture(scope="session")
def tryton(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrytonServer]:
    """A real trytond 8.2 over SQLite on 127.0.0.1, with the test companies; stopped by pid."""
    for server in _serve(tryton_server, tmp_path_factory.mktemp("tryton")):
        if server.build_seconds is None:
            _TIMINGS.append(f"Tryton database reused from the cache ({server.cached_file})")
        else:
            _TIMINGS.append(
                f"Tryton database built in {server.build_seconds:.1f} s,"
                f" cached at {server.cached_file}"
            )
        yield server


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    """A real Radicale (CardDAV) on 127.0.0.1 with htpasswd authentication; stopped by pid."""
    yield from _serve(radicale_server, tmp_path_factory.mktemp("radicale"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how long the Tryton database took to build (or that it came from the cache)."""
    for line in _TIMINGS:
        terminalreporter.write_line(line)
