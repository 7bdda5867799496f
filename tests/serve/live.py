"""
A live ``alize serve`` on a register holding the test territory: started in a subprocess on
127.0.0.1 on a free port, stopped by its pid. Used by the API tests (``conftest``), the
schemathesis session and the benchmark; it needs the extra ``alize[serve]`` and httpx.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import attrs
import httpx

from alize_adapters.storage.sqlite import SqliteStore
from alize_adapters.storage.tokens import issue_token
from tests.adapters.servers import Process, free_port, start, wait_http
from tests.serve.territory import ACTORS, year_requests


@attrs.frozen
class Server:
    """A running ``alize serve``: its address, its register's file, a token per actor."""

    url: str
    db: Path
    tokens: dict[str, str]
    process: Process

    def client(self, actor: str | None = None) -> httpx.Client:
        """An HTTP client, with the bearer token of ``actor`` when given."""
        headers = {} if actor is None else {"Authorization": f"Bearer {self.tokens[actor]}"}
        return httpx.Client(base_url=self.url, headers=headers, timeout=60)

    def build_territory(self) -> None:
        """Record the test territory through ``POST /commands``."""
        clients = {actor: self.client(actor) for actor in ACTORS}
        try:
            for actor, request in year_requests():
                answer = clients[actor].post("/commands", json=request)
                if answer.status_code != 201:  # pragma: no cover - a broken territory
                    raise AssertionError(answer.text)
        finally:
            for client in clients.values():
                client.close()


@contextmanager
def serve(folder: Path, *options: str) -> Iterator[Server]:
    """Make a register with a token per test actor, serve it, and stop the server after."""
    db = folder / "alize.db"
    now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
    with SqliteStore(db) as store:
        tokens = {actor: issue_token(store, actor, now)[1] for actor in ACTORS}
    port = free_port()
    argv = [sys.executable, "-m", "alize_adapters.cli", "serve", "--db", str(db)]
    argv += ["--port", str(port), *options]
    process = start("alize serve", argv, folder / "serve.log")
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(process, f"{url}/openapi.json", None, timeout=60)
        yield Server(url, db, tokens, process)
    finally:
        process.stop()
