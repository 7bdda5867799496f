"""The PostgreSQL store keeps a register exactly as the SQLite store does, for many territories."""

from __future__ import annotations

import multiprocessing
from decimal import Decimal
from pathlib import Path

import pytest

from alize_adapters.storage.postgres import PostgresStore, StoreUnavailable, open_store
from alize_adapters.storage.recording import Recorder, RecordStatus
from alize_adapters.storage.sqlite import SqliteStore, audit
from alize_core.commands.catalogue import read_request
from alize_core.journal.chain import seal_rows, verify_rows
from alize_core.kernel.errors import ConcurrencyError, IntegrityError, InvalidValue, MalformedInput
from alize_core.register.storage import PersonDetails, load

from .server import PostgresServer
from .workers import contribution, record


pytestmark = pytest.mark.postgres


def _rows(
    count: int, *, after: int = 0, head: bytes = bytes(32), tag: str = "A"
) -> list[tuple[int, bytes, bytes]]:
    records = [
        ("fee_paid", "2026-01-05", "OP1", ("FUND-05",), {"n": f"{tag}{n}"}) for n in range(count)
    ]
    return list(seal_rows(records, version=after, head=head))


def test_the_demos_journal_restored_into_postgresql_has_the_same_head_and_register(
    postgres: PostgresServer, territory: str, demo_db: Path
) -> None:
    """The demo's year copied into PostgreSQL: same events, head digest, register, snapshots and people."""
    with (
        SqliteStore(demo_db, create=False) as sqlite,
        PostgresStore(postgres.url, territory=territory) as store,
    ):
        restored = store.restore(demo_db)

        assert restored == sqlite.version() > 50
        assert store.head() == sqlite.head()
        assert list(store.read()) == list(sqlite.read())
        assert load(store).snapshot() == load(sqlite).snapshot()
        assert store.snapshots() == sqlite.snapshots()
        assert store.people() == sqlite.people()
        assert audit(store).ok


def test_a_backup_to_sqlite_holds_the_same_journal_and_checks_clean(
    postgres: PostgresServer, territory: str, demo_db: Path, tmp_path: Path
) -> None:
    """PostgreSQL → SQLite file: the copy's head equals the store's and ``audit`` finds nothing."""
    with PostgresStore(postgres.url, territory=territory) as store:
        store.restore(demo_db)
        copy = store.backup(tmp_path / "copy.db")
        head = store.head()

    with SqliteStore(copy, create=False) as backup:
        assert backup.head() == head
        assert audit(backup).ok
    with (
        pytest.raises(InvalidValue, match="already exists"),
        PostgresStore(postgres.url, territory=territory) as store,
    ):
        store.backup(copy)


def test_restoring_into_a_register_that_holds_events_is_refused(
    postgres: PostgresServer, territory: str, demo_db: Path
) -> None:
    """A restore never mixes two journals: the register must be empty."""
    with PostgresStore(postgres.url, territory=territory) as store:
        store.append(_rows(2), expected_version=0)
        with pytest.raises(InvalidValue, match="already holds 2 events"):
            store.restore(demo_db)
        assert store.version() == 2


def test_territories_in_one_database_keep_their_own_journals(
    postgres: PostgresServer, territory: str
) -> None:
    """Two territories in one database: each reads only its own events and versions."""
    with (
        PostgresStore(postgres.url, territory=territory) as first,
        PostgresStore(f"{postgres.url}?territory={territory}-B") as second,
    ):
        first.append(_rows(3), expected_version=0)
        second.append(_rows(1, tag="B"), expected_version=0)

        assert (first.version(), second.version()) == (3, 1)
        assert [row[1] for row in second.read()] == [row[1] for row in _rows(1, tag="B")]
        assert second.territory == f"{territory}-B"


def test_a_stale_writer_is_refused_and_writes_nothing(
    postgres: PostgresServer, territory: str
) -> None:
    """Two writers read version 2; the second to append gets ConcurrencyError and nothing of it is kept."""
    with (
        PostgresStore(postgres.url, territory=territory) as store,
        PostgresStore(postgres.url, territory=territory) as other,
    ):
        base = _rows(2)
        store.append(base, expected_version=0)
        head = base[-1][2]
        mine, theirs = _rows(1, after=2, head=head, tag="M"), _rows(1, after=2, head=head, tag="T")
        store.append(mine, expected_version=2)

        with pytest.raises(ConcurrencyError, match="now at version 3"):
            other.append(theirs, expected_version=2)
        assert list(other.read()) == base + mine


def test_rows_that_do_not_follow_the_stored_chain_are_refused_whole(
    postgres: PostgresServer, territory: str
) -> None:
    """A batch whose last row is chained from elsewhere: IntegrityError, no row of it written."""
    with PostgresStore(postgres.url, territory=territory) as store:
        rows = _rows(4)
        store.append(rows[:2], expected_version=0)
        broken = [*rows[2:3], (4, rows[3][1], bytes(32))]

        with pytest.raises(IntegrityError, match="event 4 does not follow"):
            store.append(broken, expected_version=2)
        assert store.version() == 2


def test_a_body_that_is_not_json_is_refused_before_anything_is_written(
    postgres: PostgresServer, territory: str
) -> None:
    """The jsonb column is generated from the body: a body PostgreSQL cannot read as JSON writes nothing."""
    import hashlib

    body = b"not json"
    with PostgresStore(postgres.url, territory=territory) as store:
        with pytest.raises(MalformedInput, match="not a JSON document"):
            store.append([(1, body, hashlib.sha256(bytes(32) + body).digest())], expected_version=0)
        assert store.version() == 0


def test_bodies_are_queryable_as_jsonb(
    postgres: PostgresServer, territory: str, demo_db: Path
) -> None:
    """SQL reads an event's fields from the generated jsonb column."""
    import psycopg

    with PostgresStore(postgres.url, territory=territory) as store:
        store.restore(demo_db)
    with psycopg.connect(postgres.url) as db:
        kinds = db.execute(
            "SELECT doc->>'kind', count(*) FROM alize.events WHERE territory = %s"
            " AND doc->>'kind' = 'advance_disbursed' GROUP BY 1",
            (territory,),
        ).fetchall()
    with SqliteStore(demo_db, create=False) as sqlite:
        disbursed = sum(1 for _, body, _ in sqlite.read() if b'"kind":"advance_disbursed"' in body)
    assert kinds == [("advance_disbursed", disbursed)]
    assert disbursed > 0


def test_erased_people_are_gone_and_others_stay(postgres: PostgresServer, territory: str) -> None:
    """Erasure deletes one person's details; a second erasure finds nothing."""
    with PostgresStore(postgres.url, territory=territory) as store:
        store.put_person(PersonDetails("R1", "Claire Renard", email="claire@example.fr"))
        store.put_person(PersonDetails("R2", "Marc Roy"))

        assert store.erase_person("R1") is True
        assert store.erase_person("R1") is False
        assert store.get_person("R1") is None
        assert store.person("R2").name == "Marc Roy"


def test_the_recorder_works_unchanged_on_postgresql(
    postgres: PostgresServer, territory: str, demo_db: Path
) -> None:
    """Recorded once, replayed as already recorded, and the same id for another command refused."""
    with PostgresStore(postgres.url, territory=territory) as store:
        store.restore(demo_db)
        before = store.version()
        recorder = Recorder(store)
        request, actor = read_request(contribution("pg-1"))
        assert actor is not None

        first = recorder.record(request, actor)
        again = Recorder(store).record(request, actor)

        assert first.status is RecordStatus.RECORDED
        assert again.status is RecordStatus.ALREADY_RECORDED
        assert [e.id for e in again.events] == [e.id for e in first.events] == [before + 1]
        assert store.version() == before + 1
        assert store.recorded_command("pg-1") is not None


def test_concurrent_writers_in_eight_processes_lose_and_double_nothing(
    postgres: PostgresServer, territory: str, demo_db: Path
) -> None:
    """Eight processes record 120 contributions, each id given by two of them: each kept once."""
    with PostgresStore(postgres.url, territory=territory) as store:
        store.restore(demo_db)
        before = store.version()
        fund_before = load(store).fund.contributions_received
    ids = [f"c-{n}" for n in range(120)]
    shares = [ids[k::4] for k in range(4)]
    work = [(postgres.url, territory, shares[k % 4]) for k in range(8)]

    with multiprocessing.get_context("spawn").Pool(8) as pool:
        results = pool.starmap(record, work)

    statuses: dict[str, list[str]] = {}
    for command_id, status in (pair for result in results for pair in result):
        statuses.setdefault(command_id, []).append(status)
    assert all(sorted(found) == ["already_recorded", "recorded"] for found in statuses.values())
    assert sorted(statuses) == sorted(ids)
    with PostgresStore(postgres.url, territory=territory) as store:
        register = load(store)
        assert store.version() == before + 120
        assert verify_rows(store.read).ok
        assert register.fund.contributions_received == fund_before + 120 * Decimal("100.00")
        with SqliteStore(demo_db, create=False) as sqlite:
            assert len(store.commands()) == 120 + len(sqlite.commands())


def test_an_unreachable_database_is_a_one_line_error(postgres: PostgresServer) -> None:
    """A port nobody listens on: StoreUnavailable naming the database, its password hidden."""
    from tests.adapters.servers import free_port

    url = f"postgresql://alize:secret@127.0.0.1:{free_port()}/alize?territory=X&connect_timeout=2"
    with pytest.raises(StoreUnavailable, match=r"\*\*\*") as caught:
        PostgresStore(url)
    assert "secret" not in str(caught.value)


def test_open_store_chooses_by_url_or_path(
    postgres: PostgresServer, territory: str, tmp_path: Path
) -> None:
    """A postgresql:// URL opens PostgreSQL, anything else a SQLite file."""
    with open_store(postgres.url, territory=territory) as pg, open_store(tmp_path / "a.db") as lite:
        assert isinstance(pg, PostgresStore)
        assert isinstance(lite, SqliteStore)
    with pytest.raises(InvalidValue, match="names no territory"):
        open_store(postgres.url)
    with pytest.raises(InvalidValue, match="holds no register of territory"):
        open_store(postgres.url, territory=f"{territory}-none", create=False)
