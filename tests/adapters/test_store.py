"""The embedded SQLite store: the storage contract, concurrent writers, crashes, snapshots, erasure."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from alize_adapters.storage import SqliteStore, restore
from alize_core.commands import commit, pay_fee, receive_contribution, run
from alize_core.journal.chain import verify_rows
from alize_core.journal.codec import GENESIS, StoredEvent
from alize_core.kernel import ConcurrencyError, IntegrityError, InvalidValue
from alize_core.register.storage import EventStore, PersonDetails, Snapshot, load, snapshot_of
from tests.core.register_story import OPERATOR, Story


class MemoryStore:
    """An in-memory store, the fake the contract tests hold to the same rules."""

    def __init__(self) -> None:
        self.rows: list[StoredEvent] = []
        self.kept: list[Snapshot] = []

    def version(self) -> int:
        return len(self.rows)

    def read(self, *, after: int = 0) -> Iterator[StoredEvent]:
        yield from self.rows[after:]

    def append(self, rows: Iterable[StoredEvent], *, expected_version: int) -> int:
        if expected_version != len(self.rows):
            raise ConcurrencyError(
                "expected_version", None, "the register changed since it was read"
            )
        batch = list(rows)
        head = self.rows[-1][2] if self.rows else GENESIS
        if batch and (batch[0][0] != len(self.rows) + 1 or not _chained(head, batch)):
            raise IntegrityError("events", None, "the rows do not follow the chain")
        self.rows.extend(batch)
        return len(self.rows)

    def latest_snapshot(self, *, on_or_before: date | None = None) -> Snapshot | None:
        fit = [s for s in self.kept if on_or_before is None or s.on is None or s.on <= on_or_before]
        return max(fit, key=lambda s: s.version) if fit else None

    def save_snapshot(self, snapshot: Snapshot) -> None:
        self.kept.append(snapshot)


def _chained(head: bytes, rows: list[StoredEvent]) -> bool:
    from hashlib import sha256

    previous = head
    for _, body, digest in rows:
        if sha256(previous + body).digest() != digest:
            return False
        previous = digest
    return True


@pytest.fixture(params=["sqlite", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """Each store the contract holds: the SQLite one and the in-memory fake."""
    if request.param == "memory":
        yield MemoryStore()
        return
    with SqliteStore(tmp_path / "alize.db") as sqlite:
        yield sqlite


def _story() -> Story:
    return Story().founded().funded().with_projects().approved().disbursed()


def _fill(store: EventStore) -> Story:
    story = _story()
    store.append((event.row() for event in story.events), expected_version=0)
    return story


# --- The contract. ---


def test_a_store_gives_back_the_register_it_was_given(store: EventStore) -> None:
    """load() rebuilds the very register the events made."""
    story = _fill(store)

    assert load(store) == story.register


def test_a_stale_writer_gets_a_concurrency_error_and_writes_nothing(store: EventStore) -> None:
    """Optimistic concurrency: append at an old version is refused whole."""
    story = _fill(store)
    register = story.register
    first = pay_fee(register, Decimal("1"), "frais", on=date(2026, 4, 1), actor=OPERATOR)
    second = pay_fee(register, Decimal("2"), "frais", on=date(2026, 4, 1), actor=OPERATOR)

    commit(store, register, first)
    with pytest.raises(ConcurrencyError, match="changed since it was read"):
        commit(store, register, second)

    assert store.version() == register.version + 1
    assert verify_rows(store.read).ok
    assert load(store).fund.fees == Decimal("1.00")


def test_rows_that_do_not_follow_the_chain_are_refused(store: EventStore) -> None:
    """A batch whose first row does not chain from the stored head writes nothing."""
    story = _fill(store)
    stray = [(story.register.version + 1, b'["x"]', bytes(32))]

    with pytest.raises(IntegrityError):
        store.append(stray, expected_version=story.register.version)

    assert store.version() == story.register.version


def test_a_register_at_a_recent_date_comes_from_a_snapshot_plus_later_events(
    store: EventStore,
) -> None:
    """load(on=…) starts from the latest snapshot on or before the date, not from the first event."""
    story = _fill(store)
    halfway = story.events[len(story.events) // 2]
    store.save_snapshot(
        snapshot_of(story.register.__class__.empty().apply(story.events[: halfway.id]))
    )
    read_after: list[int] = []
    original = store.read

    def spying(*, after: int = 0) -> Iterator[StoredEvent]:
        read_after.append(after)
        return original(after=after)

    store.read = spying  # type: ignore[method-assign]

    assert load(store) == story.register
    assert read_after == [halfway.id]


def test_run_appends_an_accepted_command_and_nothing_for_a_refusal(store: EventStore) -> None:
    """storage.run: load, decide, append when accepted."""
    _fill(store)
    before = store.version()

    refused = run(
        store, lambda r: pay_fee(r, Decimal("1"), "frais", on=date(2026, 4, 1), actor="R1")
    )
    accepted = run(
        store, lambda r: pay_fee(r, Decimal("1"), "frais", on=date(2026, 4, 1), actor=OPERATOR)
    )

    assert (refused.accepted, accepted.accepted) == (False, True)
    assert store.version() == before + 1


# --- SQLite specifics. ---


def test_two_writers_with_the_same_expected_version_one_wins(tmp_path: Path) -> None:
    """Two connections read version N; the first append wins, the second is told to read again."""
    path = tmp_path / "alize.db"
    with SqliteStore(path) as setup:
        _fill(setup)
    with SqliteStore(path) as first, SqliteStore(path) as second:
        read_by_first, read_by_second = load(first), load(second)
        one = receive_contribution(
            read_by_first, "ACIER", Decimal("10"), on=date(2026, 4, 1), actor=OPERATOR
        )
        two = receive_contribution(
            read_by_second, "ENERG", Decimal("20"), on=date(2026, 4, 1), actor=OPERATOR
        )

        commit(first, read_by_first, one)
        with pytest.raises(
            ConcurrencyError, match=f"^expected_version: {read_by_second.version} is out of date"
        ):
            commit(second, read_by_second, two)

        assert verify_rows(second.read).ok
        assert load(second).fund.contributions_received == Decimal("90010.00")


RACER = textwrap.dedent(
    """
    import sys
    from datetime import date
    from decimal import Decimal
    from alize_core.kernel.errors import ConcurrencyError
    from alize_core.commands.fund import pay_fee
    from alize_core.commands.store import commit
    from alize_core.register.storage import load
    from alize_adapters.storage.sqlite import SqliteStore

    store = SqliteStore(sys.argv[1])
    register = load(store)
    result = pay_fee(register, Decimal(sys.argv[2]), "frais", on=date(2026, 4, 1), actor="OP1")
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        commit(store, register, result)
        print("won")
    except ConcurrencyError as exc:
        print("lost:", exc)
    """
)


def test_two_writer_processes_racing_on_one_version_one_wins(tmp_path: Path) -> None:
    """Two processes read the same version, then are let go together: exactly one wins."""
    path = tmp_path / "alize.db"
    with SqliteStore(path) as setup:
        version = _fill(setup).register.version
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(path), amount],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(Path.cwd())},
        )
        for amount in ("1", "2")
    ]
    for racer in racers:
        assert racer.stdout is not None
        assert racer.stdout.readline().strip() == "ready"
    for racer in racers:
        assert racer.stdin is not None
        racer.stdin.write("go\n")
        racer.stdin.flush()
    outputs = sorted(racer.communicate(timeout=60)[0].strip() for racer in racers)

    assert outputs[1] == "won"
    assert outputs[0].startswith("lost: expected_version: 29 is out of date: the register changed")
    with SqliteStore(path) as store:
        assert store.version() == version + 1
        assert verify_rows(store.read).ok


KILLED = textwrap.dedent(
    """
    import sys, time
    from alize_core.journal.chain import seal_rows
    from alize_adapters.storage.sqlite import SqliteStore

    store = SqliteStore(sys.argv[1])
    version, head = store.head()
    size = int(sys.argv[2])
    pause_at = int(sys.argv[3])
    records = (
        ("fee_paid", "2026-04-01", "OP1", ["FUND-05"], {"amount": "0.01", "label": f"frais {n}"})
        for n in range(size)
    )

    def batch():
        for index, row in enumerate(seal_rows(records, version=version, head=head)):
            if index == pause_at:
                print("halfway", flush=True)
                time.sleep(60)
            yield row

    store.append(batch(), expected_version=version)
    print("committed", flush=True)
    time.sleep(60)
    """
)


@pytest.mark.parametrize(("pause_at", "expected"), [(500, "none"), (10**9, "all")])
def test_a_writer_killed_mid_batch_leaves_all_or_nothing(
    tmp_path: Path, pause_at: int, expected: str
) -> None:
    """SIGKILL during a 1,000-event batch leaves none of it; after the commit, all of it; the store verifies."""
    path = tmp_path / "alize.db"
    with SqliteStore(path) as setup:
        version = _fill(setup).register.version
    with subprocess.Popen(
        [sys.executable, "-c", KILLED, str(path), "1000", str(pause_at)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path.cwd())},
    ) as writer:
        assert writer.stdout is not None
        signal_line = writer.stdout.readline().strip()
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)

    with SqliteStore(path) as store:
        stored = store.version()
        verification = verify_rows(store.read)

    assert signal_line == {"none": "halfway", "all": "committed"}[expected]
    assert writer.returncode == -signal.SIGKILL
    assert stored == {"none": version, "all": version + 1000}[expected]
    assert verification.ok


def test_erasing_a_person_removes_their_details_from_the_file_and_the_register_still_verifies(
    tmp_path: Path,
) -> None:
    """GDPR erasure: the details leave the file; the journal, which never held them, verifies."""
    path = tmp_path / "alize.db"
    with SqliteStore(path) as store:
        story = _fill(store)
        store.put_person(PersonDetails("R1", "Zéphirine Quillard", "zq@example.fr", "0600000000"))
        assert store.get_person("R1") is not None

        assert store.erase_person("R1")
        assert store.get_person("R1") is None
        assert not store.erase_person("R1")
        assert verify_rows(store.read).ok
        assert load(store) == story.register

    data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert "Zéphirine".encode() not in data
    assert b"zq@example.fr" not in data


def test_an_erasure_while_another_program_reads_says_a_copy_may_remain_until_done_again(
    tmp_path: Path,
) -> None:
    """A reader holding the write-ahead log: the erasure says so; once it stops, a new erasure clears the file."""
    path = tmp_path / "alize.db"
    with SqliteStore(path) as store:
        _fill(store)
        store.put_person(PersonDetails("R1", "Zéphirine Quillard", "zq@example.fr"))
        reader = sqlite3.connect(path, isolation_level=None)
        try:
            reader.execute("BEGIN")
            reader.execute("SELECT COUNT(*) FROM events").fetchone()  # holds a read snapshot

            with pytest.raises(
                ConcurrencyError, match=r"person: 'R1' was erased .* erase the person again"
            ):
                store.erase_person("R1")
            assert store.get_person("R1") is None
        finally:
            reader.close()

        assert not store.erase_person("R1")  # nothing left in the table, the log is emptied

        data = b"".join(p.read_bytes() for p in tmp_path.iterdir())
        assert "Zéphirine".encode() not in data


def test_a_backup_restores_to_the_same_register(tmp_path: Path) -> None:
    """Online backup then restore: the same events, the same register."""
    with SqliteStore(tmp_path / "alize.db") as store:
        story = _fill(store)
        store.backup(tmp_path / "copy.db")

    restore(tmp_path / "copy.db", tmp_path / "restored.db")

    with SqliteStore(tmp_path / "restored.db", create=False) as restored:
        assert load(restored) == story.register


def test_restore_does_not_replace_a_register_holding_events_unless_told(tmp_path: Path) -> None:
    """A restore over a live register needs replace=True."""
    with SqliteStore(tmp_path / "alize.db") as store:
        _fill(store)
        store.backup(tmp_path / "copy.db")

    with pytest.raises(InvalidValue, match="already holds"):
        restore(tmp_path / "copy.db", tmp_path / "alize.db")
    restore(tmp_path / "copy.db", tmp_path / "alize.db", replace=True)


def test_a_backup_never_overwrites_a_file(tmp_path: Path) -> None:
    """The destination must be new."""
    (tmp_path / "copy.db").write_bytes(b"keep me")
    with (
        SqliteStore(tmp_path / "alize.db") as store,
        pytest.raises(InvalidValue, match="already exists"),
    ):
        store.backup(tmp_path / "copy.db")

    assert (tmp_path / "copy.db").read_bytes() == b"keep me"


def test_a_file_that_is_not_a_store_is_refused(tmp_path: Path) -> None:
    """Junk in place of a database is bad input, named."""
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite at all" * 100)

    with pytest.raises(InvalidValue, match="is not an alize register"):
        SqliteStore(junk, create=False)


def test_another_applications_database_is_refused_untouched(tmp_path: Path) -> None:
    """Pointing alize at a foreign SQLite file adds nothing to it."""
    foreign = tmp_path / "crm.db"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    db.close()
    before = foreign.read_bytes()

    for create in (True, False):
        with pytest.raises(InvalidValue, match="another application"):
            SqliteStore(foreign, create=create)

    assert foreign.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.db"]
