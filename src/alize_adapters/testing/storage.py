"""
The journal's contracts: what every :class:`~alize_core.register.storage.EventStore` and every
:class:`~alize_adapters.storage.ports.CommandStore` must do.

Subclass :class:`EventStoreContract` (and :class:`CommandStoreContract` for a store the
``record`` command and the HTTP API write through) and provide a ``store`` fixture: the
store under test, **empty** and fresh for each test. The contract appends real events
(:class:`~alize_adapters.testing.journal.SampleJournal`) and checks, through the store's
own methods, that

- appends are read back in order, after any id, and move the version by their length;
- an append is all or nothing: a batch that breaks the chain in its middle, or whose rows
  fail while being read, leaves the store as it was;
- a stale writer (or one ahead of the store) gets a
  :class:`~alize_core.kernel.errors.ConcurrencyError` and writes nothing; rows that do not
  follow the stored hash chain get an :class:`~alize_core.kernel.errors.IntegrityError`;
- the latest snapshot, and the latest on or before a date, are found; ``load`` from a
  snapshot equals the replay of every event;
- a command's events and its idempotency key are kept together; a reused key is
  :class:`~alize_adapters.storage.ports.AlreadyRecorded` and writes nothing.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_adapters.storage.ports import AlreadyRecorded, CommandStore, RecordedCommand
from alize_adapters.testing.journal import SampleJournal
from alize_adapters.testing.support import SUBCLASSED, StoreFixture
from alize_core.journal.chain import verify_rows
from alize_core.journal.codec import StoredEvent
from alize_core.kernel.errors import ConcurrencyError, IntegrityError
from alize_core.register.replay import replay
from alize_core.register.storage import EventStore, load, snapshot_of


__all__ = ["CommandStoreContract", "Connector", "EventStoreContract"]

Connector = Callable[[], AbstractContextManager[EventStore]]
"""
What the optional ``connect`` fixture of :class:`EventStoreContract` gives: a function that
opens another connection to the store under test (another writer), closed on leaving its
``with`` block.
"""

_WRITERS = 4
_APPENDS = 5

_DIGEST = "d" * 64
"""A request's digest, as the recorder computes it (its value does not matter to the store)."""


def _filled(store: EventStore, count: int) -> tuple[SampleJournal, list[StoredEvent]]:
    """A journal of ``count`` events appended in one batch."""
    journal = SampleJournal()
    rows = journal.write(count)
    store.append(rows, expected_version=0)
    return journal, rows


def _record(
    store: CommandStore,
    rows: list[StoredEvent],
    expected_version: int,
    command_id: str = "cmd-1",
    actor: str = "OP1",
) -> int:
    """Append a command's rows under its id (with the sample digest)."""
    return store.append_command(
        rows, expected_version=expected_version, command_id=command_id, digest=_DIGEST, actor=actor
    )


def _unchanged(store: EventStore, rows: list[StoredEvent]) -> None:
    """The store holds exactly these rows, and their chain is intact."""
    assert store.version() == len(rows)
    assert list(store.read()) == rows
    assert verify_rows(store.read).ok


def _broken(rows: list[StoredEvent], how: str) -> list[StoredEvent]:
    """The rows with one fault: a wrong digest, a gap in the ids, or an altered body."""
    position, body, digest = rows[-1]
    if how == "digest":
        faulty = (position, body, bytes(32))
    elif how == "gap":
        faulty = (position + 1, body, digest)
    else:
        faulty = (position, body.replace(b"ST-", b"SX-"), digest)
    return [*rows[:-1], faulty]


class EventStoreContract(StoreFixture):
    """
    Contract tests for an event store; subclass it and provide the ``store`` fixture.

    .. versionadded:: 0.1.0
    """

    # -- appends and reads -----------------------------------------------------------------

    @pytest.fixture
    def connect(self) -> Connector:
        """Opens another connection to the store under test; without it, those tests skip."""
        pytest.skip("no `connect` fixture opens another connection to the store under test")

    def test_a_new_store_holds_nothing(self, store: EventStore) -> None:
        """An empty store is at version 0, reads no event and has no snapshot."""
        assert store.version() == 0
        assert list(store.read()) == []
        assert store.latest_snapshot() is None

    def test_appended_events_are_read_back_in_order(self, store: EventStore) -> None:
        """Rows appended are read back equal, in order, and the version is the last id."""
        journal = SampleJournal()
        rows = journal.write(5)

        assert store.append(rows, expected_version=0) == 5
        _unchanged(store, rows)

    def test_appends_follow_one_another(self, store: EventStore) -> None:
        """A second append after the first continues the journal and the version."""
        journal, first = _filled(store, 3)
        second = journal.write(2)

        assert store.append(second, expected_version=3) == 5
        _unchanged(store, first + second)

    def test_reading_after_an_id_gives_the_later_events(self, store: EventStore) -> None:
        """``read(after=n)`` gives the events after the n-th, none when n is the last."""
        _journal, rows = _filled(store, 6)

        for after in range(len(rows) + 1):
            assert list(store.read(after=after)) == rows[after:]
        assert list(store.read(after=len(rows) + 5)) == []

    def test_an_empty_append_writes_nothing(self, store: EventStore) -> None:
        """Appending no row at the current version writes nothing and gives the version."""
        _journal, rows = _filled(store, 3)

        assert store.append([], expected_version=3) == 3
        _unchanged(store, rows)

    # -- optimistic concurrency ------------------------------------------------------------

    def test_a_stale_writer_is_refused_and_writes_nothing(self, store: EventStore) -> None:
        """Of two writers who read one register, the second gets ConcurrencyError; only the first's events are kept."""
        journal, rows = _filled(store, 3)
        other = journal.fork("B")
        first = journal.write(2)
        store.append(first, expected_version=3)

        with pytest.raises(ConcurrencyError):
            store.append(other.write(2), expected_version=3)
        _unchanged(store, rows + first)

    def test_a_writer_ahead_of_the_store_is_refused(self, store: EventStore) -> None:
        """An expected version above the store's is refused too, and writes nothing."""
        journal, rows = _filled(store, 3)
        ahead = journal.write(2)

        with pytest.raises(ConcurrencyError):
            store.append(ahead[1:], expected_version=4)
        _unchanged(store, rows)

    def test_an_empty_append_at_a_stale_version_is_refused(self, store: EventStore) -> None:
        """Even with no rows, a stale expected version is refused."""
        _journal, rows = _filled(store, 3)

        with pytest.raises(ConcurrencyError):
            store.append([], expected_version=2)
        _unchanged(store, rows)

    def test_a_writer_on_another_connection_sees_the_new_events_and_is_stale(
        self, store: EventStore, connect: Connector
    ) -> None:
        """A second connection reads what the first wrote, and its writer who read before is refused."""
        journal, _rows = _filled(store, 3)
        other = journal.fork("B")
        store.append(journal.write(1), expected_version=3)

        with connect() as second:
            assert list(second.read()) == list(store.read())
            with pytest.raises(ConcurrencyError):
                second.append(other.write(1), expected_version=3)
        assert store.version() == 4

    def test_writers_on_several_connections_lose_and_double_nothing(
        self, store: EventStore, connect: Connector
    ) -> None:
        """Four writers, each on its own connection, append five events each, retrying when stale: all are kept once."""
        _filled(store, 2)

        def writer(number: int) -> int:
            refused = 0
            with connect() as mine:
                for _append in range(_APPENDS):
                    while True:
                        journal = SampleJournal.reading(mine, tag=f"W{number}")
                        try:
                            mine.append(journal.write(1), expected_version=journal.version - 1)
                            break
                        except ConcurrencyError:
                            refused += 1
                            assert refused < 1000, "a writer was refused 1000 times"
            return refused

        with ThreadPoolExecutor(max_workers=_WRITERS) as pool:
            list(pool.map(writer, range(_WRITERS)))

        rows = list(store.read())
        assert store.version() == len(rows) == 2 + _WRITERS * _APPENDS
        assert verify_rows(store.read).ok
        for number in range(_WRITERS):
            mine = [row for row in rows if f'"ST-W{number}'.encode() in row[1]]
            assert len(mine) == _APPENDS

    # -- the chain and all-or-nothing ------------------------------------------------------

    @pytest.mark.parametrize("how", ["digest", "gap", "body"])
    def test_rows_that_do_not_follow_the_chain_are_refused_whole(
        self, store: EventStore, how: str
    ) -> None:
        """A batch whose last row has a wrong digest, a gap or an altered body: IntegrityError, nothing written."""
        journal, rows = _filled(store, 2)
        batch = _broken(journal.write(3), how)

        with pytest.raises(IntegrityError):
            store.append(batch, expected_version=2)
        _unchanged(store, rows)

    def test_rows_chained_from_another_head_are_refused(self, store: EventStore) -> None:
        """Rows numbered right but chained from another writer's head are refused."""
        journal, rows = _filled(store, 3)
        other = journal.fork("B")
        store.append(journal.write(1), expected_version=3)
        stray = other.write(2)[1:]

        with pytest.raises(IntegrityError):
            store.append(stray, expected_version=4)
        assert store.version() == 4
        assert list(store.read())[:3] == rows

    def test_a_batch_whose_rows_fail_while_read_writes_nothing(self, store: EventStore) -> None:
        """When the rows' iterator fails half-way, its error comes out and nothing is written."""
        journal, rows = _filled(store, 2)
        batch = journal.write(4)

        def failing() -> Iterator[StoredEvent]:
            yield from batch[:2]
            raise _SourceFailed

        with pytest.raises(_SourceFailed):
            store.append(failing(), expected_version=2)
        _unchanged(store, rows)

    # -- snapshots and load ----------------------------------------------------------------

    def test_the_latest_snapshot_is_the_one_of_the_highest_version(self, store: EventStore) -> None:
        """Of several snapshots, saved in any order, the latest is the highest version."""
        journal = SampleJournal()
        registers = []
        for _ in range(3):
            store.append(journal.write(2), expected_version=journal.version - 2)
            registers.append(journal.register)
        for register in (registers[1], registers[2], registers[0]):
            store.save_snapshot(snapshot_of(register))

        assert store.latest_snapshot() == snapshot_of(registers[2])

    def test_a_snapshot_on_or_before_a_date_is_the_latest_by_then(self, store: EventStore) -> None:
        """Asked for a date, the store gives the latest snapshot whose last event is not later."""
        journal = SampleJournal()
        store.append(journal.write(4), expected_version=0)
        early = snapshot_of(journal.register)
        store.append(journal.write(3), expected_version=4)
        late = snapshot_of(journal.register)
        store.save_snapshot(early)
        store.save_snapshot(late)
        assert early.on is not None
        assert late.on is not None

        assert store.latest_snapshot(on_or_before=late.on) == late
        assert store.latest_snapshot(on_or_before=late.on - timedelta(days=1)) == early
        assert store.latest_snapshot(on_or_before=early.on) == early
        assert store.latest_snapshot(on_or_before=early.on - timedelta(days=1)) is None

    def test_the_snapshot_of_an_empty_register_fits_every_date(self, store: EventStore) -> None:
        """A snapshot with no event (no date) is on or before any date."""
        empty = snapshot_of(SampleJournal().register)
        store.save_snapshot(empty)

        assert store.latest_snapshot(on_or_before=date(2000, 1, 1)) == empty

    def test_load_gives_back_the_register_the_events_made(self, store: EventStore) -> None:
        """Without a snapshot, ``load`` equals the register the writer holds."""
        journal, _rows = _filled(store, 6)

        assert load(store) == journal.register

    def test_load_from_a_snapshot_equals_the_replay_of_every_event(self, store: EventStore) -> None:
        """A snapshot then later events: ``load`` equals replaying the whole journal, and so at a date."""
        journal, _rows = _filled(store, 4)
        store.save_snapshot(snapshot_of(journal.register))
        store.append(journal.write(4), expected_version=4)
        day = journal.events[5].on

        assert load(store) == replay(store.read()) == journal.register
        assert load(store, on=day) == replay(store.read(), until=day)

    # -- the invariant ---------------------------------------------------------------------

    @settings(max_examples=20, deadline=None, suppress_health_check=SUBCLASSED)
    @given(steps=st.lists(st.tuples(st.integers(0, 3), st.booleans()), max_size=6))
    def test_any_run_of_appends_and_stale_appends_keeps_exactly_the_accepted_ones(
        self, store: EventStore, steps: list[tuple[int, bool]]
    ) -> None:
        """Whatever appends and stale appends come, the journal is the accepted batches, in order, chained."""
        journal = SampleJournal.reading(store)
        start = journal.version
        began = journal.fork("B")
        accepted: list[StoredEvent] = []
        for size, stale in steps:
            if stale:
                writer = began if journal.version > start else journal.fork("C")
                expected = writer.version if writer is began else writer.version + 1
                with pytest.raises(ConcurrencyError):
                    store.append(writer.fork("B").write(size + 1), expected_version=expected)
            else:
                rows = journal.write(size)
                assert store.append(rows, expected_version=journal.version - size) == (
                    journal.version
                )
                accepted += rows

        assert list(store.read(after=start)) == accepted
        assert store.version() == start + len(accepted)
        assert verify_rows(store.read).ok

    @settings(max_examples=20, deadline=None, suppress_health_check=SUBCLASSED)
    @given(
        batches=st.lists(st.tuples(st.integers(1, 3), st.booleans()), min_size=1, max_size=5),
        day=st.none() | st.dates(date(2025, 11, 1), date(2026, 4, 1)),
    )
    def test_load_at_any_date_equals_the_replay_whatever_the_snapshots(
        self, store: EventStore, batches: list[tuple[int, bool]], day: date | None
    ) -> None:
        """With snapshots saved after any batches, ``load`` at any date equals the replay up to it."""
        journal = SampleJournal.reading(store)
        for size, snapshot in batches:
            version = journal.version
            store.append(journal.write(size), expected_version=version)
            if snapshot:
                store.save_snapshot(snapshot_of(journal.register))

        assert load(store, on=day) == replay(store.read(), until=day)


class _SourceFailed(Exception):
    """The rows given to an append failed while being read."""


class CommandStoreContract(StoreFixture):
    """
    Contract tests for a command store; subclass it and provide the ``store`` fixture.

    .. versionadded:: 0.1.0
    """

    def test_a_command_is_recorded_with_its_events(self, store: CommandStore) -> None:
        """``append_command`` keeps the events and the id, with its digest, actor and events' ids."""
        journal = SampleJournal()
        store.append(journal.write(2), expected_version=0)
        rows = journal.write(3)

        version = _record(store, rows, 2)

        assert version == 5
        assert list(store.read(after=2)) == rows
        assert store.recorded_command("cmd-1") == RecordedCommand("cmd-1", _DIGEST, "OP1", 3, 5)

    def test_an_id_never_used_is_not_recorded(self, store: CommandStore) -> None:
        """``recorded_command`` of an unknown id is ``None``; a plain append records no id."""
        journal = SampleJournal()
        store.append(journal.write(2), expected_version=0)

        assert store.recorded_command("cmd-1") is None

    def test_a_reused_id_is_already_recorded_and_writes_nothing(self, store: CommandStore) -> None:
        """A second command under a used id raises AlreadyRecorded with the first, and writes nothing."""
        journal = SampleJournal()
        first = journal.write(2)
        _record(store, first, 0)

        with pytest.raises(AlreadyRecorded) as caught:
            store.append_command(
                journal.write(1), expected_version=2, command_id="cmd-1", digest="e" * 64, actor="X"
            )
        assert caught.value.recorded == RecordedCommand("cmd-1", _DIGEST, "OP1", 1, 2)
        _unchanged(store, first)

    def test_a_replay_at_the_old_version_is_already_recorded(self, store: CommandStore) -> None:
        """The same command sent again from the version it was first written at is AlreadyRecorded, not a conflict."""
        journal = SampleJournal()
        rows = journal.write(2)
        _record(store, rows, 0)

        with pytest.raises(AlreadyRecorded) as caught:
            _record(store, rows, 0)
        assert caught.value.recorded == RecordedCommand("cmd-1", _DIGEST, "OP1", 1, 2)
        _unchanged(store, rows)

    def test_a_stale_command_keeps_no_id(self, store: CommandStore) -> None:
        """A command refused as stale writes neither its events nor its id."""
        journal = SampleJournal()
        other = journal.fork("B")
        first = journal.write(2)
        store.append(first, expected_version=0)

        with pytest.raises(ConcurrencyError):
            _record(store, other.write(1), 0, "cmd-2")
        assert store.recorded_command("cmd-2") is None
        _unchanged(store, first)

    def test_a_command_breaking_the_chain_keeps_no_id(self, store: CommandStore) -> None:
        """A command whose rows do not follow the chain writes neither its events nor its id."""
        journal = SampleJournal()
        rows = _broken(journal.write(3), "digest")

        with pytest.raises(IntegrityError):
            _record(store, rows, 0)
        assert store.recorded_command("cmd-1") is None
        _unchanged(store, [])

    def test_ids_are_kept_apart(self, store: CommandStore) -> None:
        """Each command's id gives back its own events."""
        journal = SampleJournal()
        for number, size in enumerate((2, 1, 3), start=1):
            _record(
                store, journal.write(size), journal.version - size, f"cmd-{number}", f"A{number}"
            )

        assert [store.recorded_command(f"cmd-{n}") for n in (1, 2, 3)] == [
            RecordedCommand("cmd-1", _DIGEST, "A1", 1, 2),
            RecordedCommand("cmd-2", _DIGEST, "A2", 3, 3),
            RecordedCommand("cmd-3", _DIGEST, "A3", 4, 6),
        ]
