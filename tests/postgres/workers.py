"""Work run in other processes by the PostgreSQL tests (importable, so spawned processes find it)."""

from __future__ import annotations

from alize_adapters.storage.postgres import PostgresStore
from alize_adapters.storage.recording import Recorder
from alize_core.commands.catalogue import read_request
from alize_core.kernel.errors import ConcurrencyError


CONTRIBUTION_DAY = "2027-06-01"
"""After the demo's last event: the day every concurrent contribution is dated."""


def contribution(command_id: str) -> dict[str, object]:
    """A partner's contribution of 100.00 €, as a ``record`` line."""
    return {
        "id": command_id,
        "command": "receive_contribution",
        "on": CONTRIBUTION_DAY,
        "actor": "OP1",
        "partner": "ACIER",
        "amount": "100.00",
    }


def record(url: str, territory: str, ids: list[str]) -> list[tuple[str, str]]:
    """Record a contribution under each id, through the recorder; each id's status."""
    statuses = []
    with PostgresStore(url, territory=territory, create=False) as store:
        recorder = Recorder(store)
        for command_id in ids:
            request, actor = read_request(contribution(command_id))
            assert actor is not None
            while True:
                try:
                    recording = recorder.record(request, actor)
                except ConcurrencyError:
                    continue  # the recorder's own retries ran out under contention: go on
                break
            statuses.append((command_id, recording.status.value))
    return statuses
