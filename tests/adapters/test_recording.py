"""
Recording commands by name: each id is recorded once, a refusal writes nothing, a dry run
writes nothing, racing writers double nothing, and the store's new tables join old files.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from alize_adapters.storage import (
    IdempotencyConflict,
    Recorder,
    RecordStatus,
    SqliteStore,
    audit,
    authenticate,
    issue_token,
)
from alize_core.commands.catalogue import CommandRequest, read_request
from alize_core.register.storage import PersonDetails, load, snapshot_of


FOUNDING: tuple[dict[str, object], ...] = (
    {
        "id": "territoire",
        "command": "propose_territory",
        "on": "2025-10-06",
        "actor": "OP1",
        "territory": {"id": "MEUSE", "name": "Vallée de la Meuse", "departements": ["55"]},
        "operator": {"id": "CCI55", "name": "CCI Meuse", "kind": "chamber_of_commerce"},
        "prefecture": {"id": "PREF55", "name": "Préfecture", "kind": "prefecture"},
        "national_committee": "CN",
        "state_chair": "PREF-REP",
    },
    {"id": "validation", "command": "validate_territory", "on": "2025-11-18", "actor": "CN"},
)


def partner(number: int, *, on: str = "2025-12-01") -> dict[str, object]:
    """The request admitting partner number ``number``."""
    return {
        "id": f"partenaire-{number}",
        "command": "admit_partner",
        "on": on,
        "actor": "OP1",
        "partner": {"id": f"PART{number}", "name": f"Partenaire {number}"},
    }


def read(data: dict[str, object]) -> tuple[CommandRequest, str]:
    """A request and its actor."""
    request, actor = read_request(data)
    assert actor is not None
    return request, actor


def record(recorder: Recorder, data: dict[str, object]) -> RecordStatus:
    """Record a request; what became of it."""
    return recorder.record(*read(data)).status


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    """A register with a validated territory, recorded by name."""
    with SqliteStore(tmp_path / "alize.db") as opened:
        recorder = Recorder(opened)
        for data in FOUNDING:
            assert record(recorder, data) is RecordStatus.RECORDED
        yield opened


def _rows(path: Path, table: str) -> list[tuple[object, ...]]:
    db = sqlite3.connect(path)
    try:
        return db.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        db.close()


def test_a_recorded_command_appends_its_events_with_its_id(store: SqliteStore) -> None:
    """The command log names the events the id wrote."""
    recording = Recorder(store).record(*read(partner(1)))

    recorded = store.recorded_command("partenaire-1")
    assert recording.written
    assert recorded is not None
    assert (recorded.first_event, recorded.last_event) == (3, 3)
    assert [event.id for event in recording.events] == [3]
    assert recorded.actor == "OP1"


def test_a_replay_gives_back_the_first_events_and_writes_nothing(store: SqliteStore) -> None:
    """The same request again, from a new recorder, is recognised by its id."""
    first = Recorder(store).record(*read(partner(1)))
    version = store.version()

    again = Recorder(store).record(*read(partner(1)))

    assert again.status is RecordStatus.ALREADY_RECORDED
    assert again.events == first.events
    assert store.version() == version
    assert "already recorded" in again.explain()


def test_a_replay_spelled_differently_is_still_a_replay(store: SqliteStore) -> None:
    """Keys in another order and an amount with its cents are the same command."""
    recorder = Recorder(store)
    assert record(recorder, partner(1)) is RecordStatus.RECORDED
    reordered = dict(reversed(list(partner(1).items())))

    assert record(Recorder(store), reordered) is RecordStatus.ALREADY_RECORDED


@pytest.mark.parametrize(
    "change",
    [
        {"partner": {"id": "AUTRE", "name": "Autre partenaire"}},
        {"actor": "OP2"},
        {"on": "2025-12-02"},
    ],
    ids=["another command", "another actor", "another date"],
)
def test_an_id_reused_for_another_command_is_a_conflict(
    store: SqliteStore, change: dict[str, object]
) -> None:
    """An id already recorded for something else raises IdempotencyConflict; nothing is written."""
    assert record(Recorder(store), partner(1)) is RecordStatus.RECORDED
    version = store.version()

    with pytest.raises(IdempotencyConflict) as info:
        Recorder(store).record(*read({**partner(1), **change}))

    assert info.value.field == "id"
    assert info.value.recorded.id == "partenaire-1"
    assert store.version() == version


def test_a_refused_command_writes_nothing_and_its_id_stays_free(store: SqliteStore) -> None:
    """Refused by the rules (OP-02: only the operator admits a partner), then the same id for the right actor."""
    version = store.version()
    refused = Recorder(store).record(*read({**partner(1), "actor": "R1"}))

    assert refused.status is RecordStatus.REFUSED
    assert refused.decision is not None
    assert refused.rules
    assert store.version() == version
    assert store.recorded_command("partenaire-1") is None
    assert record(Recorder(store), partner(1)) is RecordStatus.RECORDED


def test_a_command_the_register_cannot_take_is_refused_with_its_error(store: SqliteStore) -> None:
    """An unknown project is an error naming it, not a crash; nothing is written."""
    version = store.version()
    recording = Recorder(store).record(
        *read(
            {
                "id": "f",
                "command": "validate_file",
                "on": "2026-01-05",
                "actor": "OP1",
                "project": "P9",
            }
        )
    )

    assert recording.status is RecordStatus.REFUSED
    assert recording.error is not None
    assert "P9" in recording.explain()
    assert store.version() == version
    assert store.recorded_command("f") is None


def test_a_dry_run_writes_nothing_and_sees_its_own_earlier_commands(tmp_path: Path) -> None:
    """The validation runs on the territory the dry run proposed, and the file stays empty."""
    with SqliteStore(tmp_path / "alize.db") as store:
        dry = Recorder(store, dry_run=True)
        statuses = [record(dry, data) for data in (*FOUNDING, partner(1))]
        replayed = record(dry, partner(1))

        assert statuses == [RecordStatus.RECORDED] * 3
        assert replayed is RecordStatus.ALREADY_RECORDED
        assert dry.register().version == 3
        assert store.version() == 0
        assert store.recorded_command("territoire") is None
    assert _rows(tmp_path / "alize.db", "commands") == []


def test_a_dry_run_refuses_an_id_it_used_for_another_command(store: SqliteStore) -> None:
    """Within one dry run, an id is kept as well as in the store."""
    dry = Recorder(store, dry_run=True)
    assert record(dry, partner(1)) is RecordStatus.RECORDED

    with pytest.raises(IdempotencyConflict):
        record(dry, {**partner(1), "partner": {"id": "AUTRE", "name": "Autre"}})


def test_a_recorder_sees_what_another_writer_appended(store: SqliteStore, tmp_path: Path) -> None:
    """A second connection's events are read before the next command runs."""
    recorder = Recorder(store)
    recorder.register()
    with SqliteStore(store.path) as other:
        assert record(Recorder(other), partner(1)) is RecordStatus.RECORDED

    assert record(recorder, partner(2)) is RecordStatus.RECORDED
    assert recorder.register().partners["PART1"].name == "Partenaire 1"
    assert store.version() == 4


def test_recorders_racing_on_one_file_record_each_id_once(tmp_path: Path) -> None:
    """
    Three threads, each with its own connection, record the same twenty requests (two in
    file order, one backwards): twenty events, each id once, a chain that verifies.
    """
    path = tmp_path / "alize.db"
    with SqliteStore(path) as founding:
        recorder = Recorder(founding)
        for data in FOUNDING:
            record(recorder, data)
    requests = [read(partner(number)) for number in range(1, 21)]
    orders = {"first": requests, "second": requests, "backwards": requests[::-1]}
    start = threading.Barrier(len(orders))
    statuses: dict[str, list[RecordStatus]] = {}
    errors: list[BaseException] = []

    def write(name: str) -> None:
        try:
            with SqliteStore(path) as store:
                racing = Recorder(store)
                start.wait()
                statuses[name] = [racing.record(*pair).status for pair in orders[name]]
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=write, args=(name,)) for name in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    every = [status for run in statuses.values() for status in run]
    assert len(every) == 60
    assert every.count(RecordStatus.RECORDED) == 20
    assert every.count(RecordStatus.ALREADY_RECORDED) == 40
    with SqliteStore(path) as store:
        assert audit(store).ok
        assert store.version() == 22
        assert set(load(store).partners) == {f"PART{n}" for n in range(1, 21)}
    commands = _rows(path, "commands")
    assert sorted(str(row[0]) for row in commands) == sorted(
        ["territoire", "validation", *(f"partenaire-{n}" for n in range(1, 21))]
    )


def _old_file(path: Path) -> None:
    """A /2 register as alize 0.15 wrote it: without the command log and token tables."""
    with SqliteStore(path) as store:
        recorder = Recorder(store)
        for data in (*FOUNDING, partner(1)):
            record(recorder, data)
        store.put_person(PersonDetails("OP1", "Claire Renard", "claire.renard@exemple.fr"))
        store.save_snapshot(snapshot_of(load(store)))
    db = sqlite3.connect(path)
    try:
        db.execute("DROP TABLE commands")
        db.execute("DROP TABLE tokens")
        db.commit()
    finally:
        db.close()


def test_an_old_file_opened_for_writing_gains_the_new_tables(tmp_path: Path) -> None:
    """Opening a /2 file written before the command log adds its tables, empty."""
    path = tmp_path / "alize.db"
    _old_file(path)

    with SqliteStore(path) as store:
        assert store.recorded_command("territoire") is None
        assert store.tokens() == ()
        assert record(Recorder(store), partner(2)) is RecordStatus.RECORDED

    assert [row[0] for row in _rows(path, "commands")] == ["partenaire-2"]


def test_an_old_files_data_is_untouched_when_it_is_opened(tmp_path: Path) -> None:
    """The events, the snapshots, the people and the format stay as they were."""
    path = tmp_path / "alize.db"
    _old_file(path)
    before = {table: _rows(path, table) for table in ("meta", "events", "snapshots", "people")}

    with SqliteStore(path) as store:
        version = store.version()

    assert version == 3
    assert all(before.values())
    assert {table: _rows(path, table) for table in before} == before


def test_a_token_acts_for_its_actor_until_revoked(store: SqliteStore) -> None:
    """The store keeps the token's digest, never the token; a revoked token is nobody."""
    from datetime import UTC, datetime

    info, secret = issue_token(store, "OP1", datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    _other, other_secret = issue_token(store, "R1", datetime(2026, 12, 7, 9, 5, tzinfo=UTC))

    assert authenticate(store, secret) == "OP1"
    assert [token.actor for token in store.tokens()] == ["OP1", "R1"]
    assert secret not in str(_rows(store.path, "tokens"))
    assert store.revoke_tokens(token_id=info.id) == 1
    assert authenticate(store, secret) is None
    assert authenticate(store, other_secret) == "R1"
    assert [token.revoked for token in store.tokens()] == [True, False]
