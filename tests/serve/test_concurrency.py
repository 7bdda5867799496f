"""Twenty clients writing the same territory at once: nothing lost, nothing doubled."""

from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

from alize_adapters.storage.sqlite import SqliteStore
from alize_core.journal.chain import verify_rows
from tests.serve.live import Server
from tests.serve.territory import OPERATOR, TODAY


CLIENTS = 20
EACH = 10


def _send(server: Server, client_number: int) -> list[int]:
    statuses = []
    with server.client(OPERATOR) as client:
        for n in range(EACH):
            # Every client also sends the commands of the client before it: each id twice.
            for owner in (client_number, (client_number - 1) % CLIENTS):
                request = {
                    "id": f"crowd-{owner}-{n}",
                    "command": "receive_repayment",
                    "on": TODAY,
                    "project": "P1",
                    "amount": "1.00",
                }
                statuses.append(client.post("/commands", json=request).status_code)
    return statuses


def test_twenty_clients_at_once_lose_nothing_and_double_nothing(server: Server) -> None:
    with SqliteStore(server.db, create=False) as store:
        before = store.version()
    with ThreadPoolExecutor(CLIENTS) as pool:
        statuses = [
            s for batch in pool.map(lambda c: _send(server, c), range(CLIENTS)) for s in batch
        ]
    assert sorted(set(statuses)) == [200, 201]
    assert statuses.count(201) == CLIENTS * EACH
    with SqliteStore(server.db, create=False) as store:
        assert verify_rows(store.read).ok
        assert store.version() == before + statuses.count(201)
    with sqlite3.connect(server.db) as db:
        ids = [row[0] for row in db.execute("SELECT id FROM commands WHERE id LIKE 'crowd-%'")]
        spans = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT first_event) FROM commands WHERE id LIKE 'crowd-%'"
        ).fetchone()
    db.close()
    assert sorted(ids) == sorted({f"crowd-{c}-{n}" for c in range(CLIENTS) for n in range(EACH)})
    assert spans == (CLIENTS * EACH, CLIENTS * EACH)
