"""The register's commands: alize check, backup, restore, erase-person."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alize_adapters.cli import main
from alize_adapters.storage import SqliteStore
from alize_core.journal.chain import seal_rows
from alize_core.register.storage import PersonDetails, snapshot_of
from tests.core.register_story import OPERATOR, Story


def _store(path: Path) -> Story:
    story = Story().founded().funded().with_projects().approved().disbursed()
    with SqliteStore(path) as store:
        store.append((event.row() for event in story.events), expected_version=0)
        store.put_person(PersonDetails("R1", "Luc Martin", "luc.martin@example.fr"))
    return story


def _alter(path: Path, event: int, position: int, byte: int) -> None:
    with sqlite3.connect(path) as db:
        (body,) = db.execute(
            "SELECT CAST(body AS BLOB) FROM events WHERE id = ?", (event,)
        ).fetchone()
        changed = bytearray(body)
        changed[position] = byte
        db.execute("UPDATE events SET body = ? WHERE id = ?", (bytes(changed), event))
    db.close()


def _append_raw(path: Path, record: tuple[str, str, str, list[str], Mapping[str, object]]) -> None:
    """An event written by another program, properly chained."""
    with SqliteStore(path) as store:
        version, head = store.head()
        store.append(seal_rows([record], version=version, head=head), expected_version=version)


def test_check_passes_an_intact_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exit 0, the chain intact, the fund balanced after every event."""
    _store(tmp_path / "alize.db")

    status = main(["check", "--db", str(tmp_path / "alize.db")])

    out = capsys.readouterr().out
    assert status == 0
    assert "chain: intact" in out
    assert "fund: balances after every event" in out
    assert out.rstrip().endswith("OK")


@pytest.fixture(scope="module")
def journal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[tuple[int, int, int]]]:
    """A stored register and, for each event, where its payload lies in the body."""
    path = tmp_path_factory.mktemp("check") / "alize.db"
    story = _store(path)
    spans = []
    for event in story.events:
        body = event.body()
        spans.append((event.id, body.index(b',"payload":') + 11, len(body) - 1))
    return path, spans


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_check_names_an_event_whose_stored_payload_was_altered_by_hand(
    journal: tuple[Path, list[tuple[int, int, int]]],
    data: st.DataObject,
    tmp_path_factory: pytest.TempPathFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Any byte of any event's payload changed in the file: exit 1 and the event named."""
    source, spans = journal
    event, start, end = data.draw(st.sampled_from(spans))
    position = data.draw(st.integers(min_value=start, max_value=end - 1))
    path = tmp_path_factory.mktemp("altered") / "alize.db"
    with SqliteStore(source, create=False) as store:
        store.backup(path)
    with sqlite3.connect(path) as db:
        (body,) = db.execute(
            "SELECT CAST(body AS BLOB) FROM events WHERE id = ?", (event,)
        ).fetchone()
    db.close()
    byte = data.draw(st.integers(min_value=0, max_value=255).filter(lambda b: b != body[position]))
    _alter(path, event, position, byte)
    capsys.readouterr()

    status = main(["check", "--db", str(path)])

    out = capsys.readouterr().out
    assert status == 1
    assert "chain: BROKEN" in out
    assert f"event {event} " in out.split("chain: BROKEN")[1].splitlines()[1]


def test_the_installed_command_fails_on_an_altered_register(tmp_path: Path) -> None:
    """The real `alize check`, in its own process, exits 1 and names event 7."""
    path = tmp_path / "alize.db"
    _store(path)
    _alter(path, 7, 30, ord("#"))

    result = subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", "check", "--db", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "event 7 (" in result.stdout
    assert "was altered" in result.stdout


def test_check_fails_when_the_fund_does_not_balance(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A repayment beyond what was lent, written by another program: exit 1, the event named."""
    path = tmp_path / "alize.db"
    story = _store(path)
    record = (
        "repayment_received",
        "2026-04-30",
        OPERATOR,
        ["FUND-02"],
        {"project": "P1", "amount": "99999.00"},
    )
    _append_raw(path, record)

    status = main(["check", "--db", str(path)])

    out = capsys.readouterr().out
    assert status == 1
    assert "chain: intact" in out
    assert f"event {len(story.events) + 1} (repayment_received, 2026-04-30)" in out
    assert "(FUND-02)" in out


def test_check_reports_events_outside_every_convention_without_failing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CONV-01 flags are printed; they are not a broken register."""
    path = tmp_path / "alize.db"
    _store(path)
    record = ("fee_paid", "2030-01-02", OPERATOR, ["FUND-05"], {"amount": "1.00", "label": "frais"})
    _append_raw(path, record)

    status = main(["check", "--db", str(path)])

    out = capsys.readouterr().out
    assert status == 0
    assert "flags (CONV-01): 1 event(s)" in out


def test_check_finds_a_snapshot_that_does_not_match_the_journal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A snapshot edited by hand is reported, and fails the check."""
    path = tmp_path / "alize.db"
    story = _store(path)
    with SqliteStore(path) as store:
        snapshot = snapshot_of(story.register)
        store.save_snapshot(snapshot)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE snapshots SET data = replace(data, '9000000', '9900000')")
    db.close()

    status = main(["check", "--db", str(path)])

    assert status == 1
    assert f"do not match the journal (versions {snapshot.version})" in capsys.readouterr().out


def test_check_on_a_missing_register_is_one_line_and_exit_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No file: the field and the value are named."""
    status = main(["check", "--db", str(tmp_path / "none.db")])

    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("alize: error: db: ")
    assert "is not an alize register" in err


def test_backup_and_restore_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """alize backup then alize restore: the copy verifies and is checked OK."""
    path = tmp_path / "alize.db"
    story = _store(path)

    assert main(["backup", str(tmp_path / "copy.db"), "--db", str(path)]) == 0
    assert main(["restore", str(tmp_path / "copy.db"), "--db", str(tmp_path / "new.db")]) == 0
    assert main(["restore", str(tmp_path / "copy.db"), "--db", str(path)]) == 1
    assert main(["restore", str(tmp_path / "copy.db"), "--db", str(path), "--force"]) == 0
    assert main(["check", "--db", str(tmp_path / "new.db")]) == 0

    out = capsys.readouterr().out
    assert f"backed up {len(story.events)} events" in out
    assert f"restored {len(story.events)} events" in out


def test_restore_refuses_a_backup_that_does_not_verify(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A tampered backup is not restored."""
    path = tmp_path / "alize.db"
    _store(path)
    _alter(path, 3, 12, ord("#"))

    status = main(["restore", str(path), "--db", str(tmp_path / "new.db")])

    assert status == 1
    assert "the backup does not verify" in capsys.readouterr().err
    assert not (tmp_path / "new.db").exists()


def test_erase_person_keeps_the_register_verifying(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize erase-person R1: details gone, chain intact; a second time is an error."""
    path = tmp_path / "alize.db"
    _store(path)

    assert main(["erase-person", "R1", "--db", str(path)]) == 0
    assert main(["erase-person", "R1", "--db", str(path)]) == 1
    assert main(["check", "--db", str(path)]) == 0

    captured = capsys.readouterr()
    assert "the register still verifies" in captured.out
    assert "person: 'R1' has no personal details" in captured.err
    with SqliteStore(path) as store:
        assert store.get_person("R1") is None
