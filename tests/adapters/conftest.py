"""Session fixtures for the integration tests: a real Tryton and a real Radicale on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .servers import (
    RadicaleServer,
    ServerUnavailable,
    TrytonServer,
    radicale_server,
    require_servers,
    tryton_server,
)


_TIMINGS: list[str] = []


def _unavailable(exc: ServerUnavailable) -> None:
    if require_servers():
        pytest.fail(f"server required (ALIZE_REQUIRE_SERVERS=1) but unavailable: {exc}")
    pytest.skip(f"server unavailable: {exc}")


@pytest.fixture(scope="session")
def tryton(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TrytonServer]:
    """A real trytond 8.2 over SQLite on 127.0.0.1, with the test company; stopped by pid."""
    directory = tmp_path_factory.mktemp("tryton")
    try:
        context = tryton_server(directory)
        server = context.__enter__()
    except ServerUnavailable as exc:
        _unavailable(exc)
        raise
    if server.build_seconds is None:
        _TIMINGS.append(f"Tryton database reused from the cache ({server.cached_file})")
    else:
        _TIMINGS.append(
            f"Tryton database built in {server.build_seconds:.1f} s, cached at {server.cached_file}"
        )
    try:
        yield server
    finally:
        context.__exit__(None, None, None)


@pytest.fixture(scope="session")
def radicale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RadicaleServer]:
    """A real Radicale (CardDAV) on 127.0.0.1 with htpasswd authentication; stopped by pid."""
    directory: Path = tmp_path_factory.mktemp("radicale")
    try:
        context = radicale_server(directory)
        server = context.__enter__()
    except ServerUnavailable as exc:
        _unavailable(exc)
        raise
    try:
        yield server
    finally:
        context.__exit__(None, None, None)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how long the Tryton database took to build (or that it came from the cache)."""
    for line in _TIMINGS:
        terminalreporter.write_line(line)
