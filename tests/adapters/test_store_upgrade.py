"""The store's format: a register written by the previous version is upgraded in one transaction and still verifies."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import alize_adapters.storage.sqlite as sqlite_store
from alize_adapters.cli import main
from alize_adapters.storage import FORMAT, SqliteStore, UnknownFormat, audit
from alize_core.journal import GENESIS, decode, upgrade_rows
from alize_core.journal.codec import StoredEvent
from alize_core.kernel import IntegrityError, InvalidValue
from alize_core.register.storage import load


FIXTURE = Path(__file__).parent.parent / "fixtures" / "register-alize-sqlite-1.db"
"""A register written by ``alize demo`` with the store format alize.sqlite/1 (never modified)."""

FIXTURE_SHA256 = "a136fa74d8dcd66596cd859039f0318a31b0824b11d8ae30cfaf58e6db205005"
"""The fixture's bytes, as committed: no test may change them."""

OLD_HEAD = "4ce6d9f5c7c0376c2ca9d8acf49635cf3b38834e35760da96d6103ce6f0e5822"
"""The head digest of the fixture's journal, as the previous version chained it."""


@pytest.fixture
def old_store(tmp_path: Path) -> Path:
    """A copy of the fixture, safe to open (opening it upgrades it)."""
    copy = tmp_path / "alize.db"
    shutil.copyfile(FIXTURE, copy)
    return copy


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read_only(path: Path) -> sqlite3.Connection:
    """A connection that neither writes to the file nor leaves a -wal or -shm beside it."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)


def _meta(path: Path) -> dict[str, str]:
    db = _read_only(path)
    try:
        return dict(db.execute("SELECT key, value FROM meta").fetchall())
    finally:
        db.close()


def test_the_fixture_is_a_store_of_the_previous_format() -> None:
    """The fixture stays as the previous version wrote it (the tests copy it)."""
    db = _read_only(FIXTURE)
    try:
        (head,) = db.execute("SELECT digest FROM events ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        db.close()

    assert _meta(FIXTURE) == {"format": "alize.sqlite/1"}
    assert bytes(head).hex() == OLD_HEAD
    assert _digest(FIXTURE) == FIXTURE_SHA256
    assert not FIXTURE.with_name(FIXTURE.name + "-wal").exists()


def test_a_register_of_the_previous_format_opens_upgraded_and_verifies(old_store: Path) -> None:
    """Upgraded on opening: the same 73 events and fund, the chain intact, its bodies JSON."""
    with SqliteStore(old_store, create=False) as store:
        found = audit(store)
        register = load(store)
        previous = GENESIS
        kinds = []
        for row in store.read():
            kinds.append(decode(row, previous).kind)
            previous = row[2]

    assert _meta(old_store) == {
        "format": FORMAT,
        "upgraded_from": "alize.sqlite/1",
        "upgraded_head": OLD_HEAD,
        "upgraded_version": "73",
    }
    assert FORMAT == "alize.sqlite/2"
    assert found.ok
    assert found.verification.events == 73
    assert found.snapshots_checked == 1
    assert len(kinds) == 73
    assert register.version == 73
    assert register.fund.cash == Decimal("106114.97")
    assert register.fund.outstanding == Decimal("32500.03")
    assert register == found.register


def test_sql_tools_read_the_upgraded_bodies_as_json(old_store: Path) -> None:
    """json_extract reads a body's fields as it is stored."""
    SqliteStore(old_store, create=False).close()

    with sqlite3.connect(old_store) as db:
        rows = db.execute(
            "SELECT json_extract(body, '$.payload.amount') FROM events"
            " WHERE json_extract(body, '$.kind') = 'contribution_received' ORDER BY id"
        ).fetchall()
        kinds = db.execute("SELECT DISTINCT typeof(body) FROM events").fetchall()
    db.close()

    assert rows[0] == ("60000.00",)
    assert kinds == [("text",)]


def test_check_reads_a_register_of_the_previous_format(
    old_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize check --db` on the copy: the chain intact, the same 73 events and fund."""
    status = main(["check", "--db", str(old_store)])

    out = capsys.readouterr().out
    assert status == 0
    assert "73 events" in out
    assert "chain: intact" in out
    assert "cash 106\u00a0114,97\u00a0€, outstanding 32\u00a0500,03\u00a0€" in out
    assert out.rstrip().endswith("OK")


def test_an_upgrade_that_fails_leaves_the_file_unchanged(
    old_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A failure half-way (after some bodies are rewritten) rolls the whole upgrade back."""
    before = _digest(old_store)
    upgrade = upgrade_rows

    def failing(rows: Iterable[StoredEvent]) -> Iterator[tuple[StoredEvent, bytes]]:
        for count, item in enumerate(upgrade(rows)):
            if count == 40:
                raise OSError("the disk is full")
            yield item

    monkeypatch.setattr(sqlite_store, "upgrade_rows", failing)

    with pytest.raises(OSError, match="the disk is full"):
        SqliteStore(old_store, create=False)

    assert _digest(old_store) == before
    assert _meta(old_store) == {"format": "alize.sqlite/1"}
    monkeypatch.undo()
    with SqliteStore(old_store, create=False) as store:
        assert audit(store).ok


def test_an_upgrade_fails_at_the_snapshots_and_leaves_the_file_unchanged(
    old_store: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The events are rewritten, then the snapshots fail: nothing of it is kept."""
    before = _digest(old_store)

    def failing(self: SqliteStore) -> None:
        raise RuntimeError("interrupted")

    monkeypatch.setattr(SqliteStore, "_rebuild_snapshots", failing)

    with pytest.raises(RuntimeError, match="interrupted"):
        SqliteStore(old_store, create=False)

    assert _digest(old_store) == before


def test_a_register_of_the_previous_format_with_an_altered_event_is_not_upgraded(
    old_store: Path,
) -> None:
    """The old chain is verified first: the altered event is named, the file left as it was."""
    with sqlite3.connect(old_store) as db:
        (body,) = db.execute("SELECT body FROM events WHERE id = 20").fetchone()
        db.execute("UPDATE events SET body = ? WHERE id = 20", (bytes(body) + b" ",))
    db.close()
    before = _digest(old_store)

    with pytest.raises(IntegrityError, match="event 20 does not follow the chain"):
        SqliteStore(old_store, create=False)

    assert _digest(old_store) == before
    assert _meta(old_store)["format"] == "alize.sqlite/1"


@pytest.mark.parametrize("declared", ["alize.sqlite/3", None])
def test_a_store_of_an_unknown_format_is_refused_naming_it(
    tmp_path: Path, declared: str | None
) -> None:
    """A newer format (or none) is an UnknownFormat naming it; the file is untouched."""
    path = tmp_path / "alize.db"
    SqliteStore(path).close()
    with sqlite3.connect(path) as db:
        if declared is None:
            db.execute("DELETE FROM meta WHERE key = 'format'")
        else:
            db.execute("UPDATE meta SET value = ? WHERE key = 'format'", (declared,))
    db.close()
    before = _digest(path)

    with pytest.raises(UnknownFormat, match=repr(declared) if declared else "no format") as error:
        SqliteStore(path, create=False)

    assert error.value.format == declared
    assert "this alize reads alize.sqlite/2, alize.sqlite/1" in str(error.value)
    assert _digest(path) == before


def test_restoring_a_backup_of_the_previous_format_upgrades_the_copy_not_the_backup(
    old_store: Path, tmp_path: Path
) -> None:
    """A restore only reads its backup: the restored store is upgraded, the backup keeps its bytes."""
    before = _digest(old_store)

    restored = sqlite_store.restore(old_store, tmp_path / "restored.db")

    assert _digest(old_store) == before
    assert _meta(old_store) == {"format": "alize.sqlite/1"}
    with SqliteStore(restored, create=False) as store:
        assert store.version() == 73
        assert audit(store).ok
    assert _meta(restored)["format"] == FORMAT


def test_restoring_a_file_of_another_application_is_refused_naming_it(tmp_path: Path) -> None:
    """A SQLite file that is no alize store is refused, and nothing is written."""
    other = tmp_path / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()

    with pytest.raises(InvalidValue, match="a SQLite file of another application") as refused:
        sqlite_store.restore(other, tmp_path / "restored.db")
    assert refused.value.value == str(other)
    assert not (tmp_path / "restored.db").exists()
