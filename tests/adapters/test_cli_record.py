"""`alize init` and `alize record`: a territory founded from a file, then its commands recorded from JSON Lines, each once."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alize_adapters.cli import main
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.commands.catalogue import COMMANDS
from alize_core.register.storage import load
from tests.adapters.territory_files import RECORD_LINES, TERRITORY_TOML, record_text


REFUSED_REVIEW = (
    '{"id": "rev-2026", "command": "sign_off_review", "on": "2026-05-02", "actor": "OP1",'
    ' "year": 2026}'
)
"""A line the rules refuse: only the State chair signs off a review, and only of a past year."""


def alize(
    *args: str, stdin: str | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


def _write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _version(db: Path) -> int:
    with SqliteStore(db, create=False) as store:
        return store.version()


def _journal(db: Path) -> list[tuple[int, bytes, bytes]]:
    with SqliteStore(db, create=False) as store:
        return [(position, body, bytes(digest)) for position, body, digest in store.read()]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A register founded from the territory file (10 events)."""
    path = tmp_path / "alize.db"
    toml = _write(tmp_path, "meuse.toml", TERRITORY_TOML)
    assert main(["init", toml, "--db", str(path)]) == 0
    return path


# --- alize init ---


def test_init_founds_the_register_from_a_toml_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "alize.db"
    toml = _write(tmp_path, "meuse.toml", TERRITORY_TOML)

    status = main(["init", toml, "--db", str(path)])

    out = capsys.readouterr().out
    assert status == 0
    assert "init:admit_partner:ACIER (admit_partner, 2025-12-01): recorded, event 4" in out
    assert f"Register {path} founded: 10 commands, 10 events." in out
    with SqliteStore(path, create=False) as store:
        register = load(store)
        assert store.recorded_command("init:enrol_person:M1") is not None
    assert register.territory is not None
    assert sorted(register.partners) == ["ACIER", "ENERG", "TRANS"]


def test_init_refuses_a_register_that_holds_events(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = _write(tmp_path, "meuse.toml", TERRITORY_TOML)

    status = main(["init", toml, "--db", str(db)])

    assert status == 1
    assert "already holds 10 events" in capsys.readouterr().err
    assert _version(db) == 10


def test_a_refused_init_writes_nothing_and_removes_the_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A mentor without a category is refused (ACC-01): no register is left behind."""
    path = tmp_path / "alize.db"
    toml = _write(tmp_path, "meuse.toml", TERRITORY_TOML.replace('category = "executive"\n', ""))

    status = main(["init", toml, "--db", str(path)])

    out = capsys.readouterr().out
    assert status == 1
    assert "init:enrol_person:M1 (enrol_person, 2025-12-03): refused" in out
    assert "rules: ACC-01" in out
    assert "Nothing was written" in out
    assert not path.exists()
    assert list(tmp_path.glob("alize.db*")) == []


def test_init_reads_a_territory_file_from_standard_input(tmp_path: Path) -> None:
    done = alize("init", "-", "--db", str(tmp_path / "alize.db"), stdin=TERRITORY_TOML)

    assert done.returncode == 0, done.stderr
    assert _version(tmp_path / "alize.db") == 10


def test_init_as_json_lists_each_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = _write(tmp_path, "meuse.toml", TERRITORY_TOML)

    assert main(["init", toml, "--db", str(tmp_path / "a.db"), "--format", "json"]) == 0

    document = json.loads(capsys.readouterr().out)
    assert document["territory"] == "MEUSE"
    assert document["founded"] is True
    assert [r["status"] for r in document["requests"]] == ["recorded"] * 10
    assert document["requests"][2]["id"] == "init:validate_territory"


def test_init_names_the_file_and_key_of_a_float(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = _write(tmp_path, "meuse.toml", TERRITORY_TOML.replace("quorum = 3", "quorum = 2.5"))

    assert main(["init", toml, "--db", str(tmp_path / "a.db")]) == 1

    err = capsys.readouterr().err
    assert f"alize: error: {toml}: settings.values.quorum: '2.5' is a number with decimals" in err
    assert not (tmp_path / "a.db").exists()


# --- alize record ---


def test_a_record_file_is_recorded_line_by_line(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "year.jsonl", record_text())

    status = main(["record", path, "--db", str(db)])

    out = capsys.readouterr().out
    assert status == 0
    assert "line 11: s1-close (close_session, 2026-03-12): recorded, event 21" in out
    assert f"{len(RECORD_LINES)} recorded, 0 already recorded (skipped)" in out
    with SqliteStore(db, create=False) as store:
        register = load(store)
    outcome = register.project("P1").outcome
    assert outcome is not None
    assert outcome.value == "adopted"
    assert register.advance("P1").repaid == 1000


def test_rerunning_a_file_skips_every_line_and_doubles_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "year.jsonl", record_text())
    assert main(["record", path, "--db", str(db)]) == 0
    journal = _journal(db)
    capsys.readouterr()

    status = main(["record", path, "--db", str(db)])

    out = capsys.readouterr().out
    assert status == 0
    assert (
        "line 14: rep-1 (receive_repayment, 2026-04-30): already recorded (event 24), skipped"
        in out
    )
    assert f"0 recorded, {len(RECORD_LINES)} already recorded (skipped)" in out
    assert _journal(db) == journal


def test_a_refused_line_stops_the_run_and_keeps_the_lines_before_it(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = (*RECORD_LINES[:2], REFUSED_REVIEW, *RECORD_LINES[2:])
    path = _write(tmp_path, "year.jsonl", record_text(lines))

    status = main(["record", path, "--db", str(db)])

    out = capsys.readouterr().out
    assert status == 1
    assert (
        "line 3: rev-2026 (sign_off_review, 2026-05-02): refused; nothing of it was written" in out
    )
    assert "rules: PIL-01, PIL-03" in out
    assert "(PIL-01)" in out
    assert "stopped at line 3" in out
    assert _version(db) == 12  # the two lines before it, nothing of it or after it
    with SqliteStore(db, create=False) as store:
        assert store.recorded_command("contrib-acier") is not None
        assert store.recorded_command("rev-2026") is None
        assert store.recorded_command("sme-1") is None


def test_a_refused_line_as_json_carries_its_decision(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "review.jsonl", REFUSED_REVIEW + "\n")

    status = main(["record", path, "--db", str(db), "--format", "json"])

    document = json.loads(capsys.readouterr().out)
    assert status == 1
    assert document["refused"] == 1
    (line,) = document["lines"]
    assert line["status"] == "refused"
    assert line["rules"] == ["PIL-01", "PIL-03"]
    assert line["decision"]["outcome"] == "refused"
    assert line["decision"]["explanation"].startswith("Revue de l'année 2026")


def test_a_line_the_register_refuses_names_the_record(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = (
        '{"id": "x", "command": "receive_repayment", "on": "2026-01-02", "actor": "OP1",'
        ' "project": "P9", "amount": "5.00"}'
    )
    path = _write(tmp_path, "bad.jsonl", line + "\n")

    assert main(["record", path, "--db", str(db)]) == 1

    assert "project: 'P9' has no repayable advance in the register" in capsys.readouterr().out
    assert _version(db) == 10


def test_a_dry_run_checks_every_line_and_writes_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "year.jsonl", record_text())
    journal = _journal(db)

    status = main(["record", "--dry-run", path, "--db", str(db)])

    out = capsys.readouterr().out
    assert status == 0
    assert f"{len(RECORD_LINES)} recorded" in out
    assert "(dry run: nothing was written)" in out
    assert _journal(db) == journal
    with SqliteStore(db, create=False) as store:
        assert store.recorded_command("conv-2026") is None


def test_a_dry_run_finds_a_refusal_late_in_the_file(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "year.jsonl", record_text((*RECORD_LINES, REFUSED_REVIEW)))

    assert main(["record", "--dry-run", path, "--db", str(db)]) == 1

    assert f"line {len(RECORD_LINES) + 1}: rev-2026" in capsys.readouterr().out
    assert _version(db) == 10


def test_record_reads_standard_input(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(record_text().encode())))

    assert main(["record", "-", "--db", str(db)]) == 0

    assert _version(db) == 10 + len(RECORD_LINES)


def test_record_through_the_installed_command(db: Path, tmp_path: Path) -> None:
    """The real `alize` process: a file piped in, the exit status and the output."""
    done = alize("record", "--db", str(db), "-", stdin=record_text(RECORD_LINES[:3]))

    assert done.returncode == 0, done.stderr
    assert "3 recorded, 0 already recorded (skipped)" in done.stdout
    refused = alize("record", "--db", str(db), "-", stdin=REFUSED_REVIEW + "\n")
    assert refused.returncode == 1
    assert "rules: PIL-01, PIL-03" in refused.stdout
    assert "Traceback" not in refused.stderr


def test_blank_lines_are_allowed(db: Path, tmp_path: Path) -> None:
    text = "\n\n" + "\n   \n".join(RECORD_LINES[:2]) + "\n\n"
    path = _write(tmp_path, "year.jsonl", text)

    assert main(["record", path, "--db", str(db)]) == 0

    assert _version(db) == 12


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{not json", "line 2: not valid JSON"),
        ('{"id": "a", "id": "b"}', "line 2: has the key 'id' twice"),
        (
            '{"id": "x", "command": "receive_contribution", "on": "2026-01-20", "actor": "OP1",'
            ' "partner": "ACIER", "amount": 60000.5}',
            "line 2: amount: '60000.5' is a number with decimals; write amounts as text",
        ),
        (
            '{"id": "x", "command": "receive_contribution", "on": "20/01/2026", "actor": "OP1",'
            ' "partner": "ACIER", "amount": "1.00"}',
            "line 2: on: '20/01/2026'",
        ),
        (
            '{"id": "x", "command": "receive_contribution", "on": "2026-01-20T10:00:00",'
            ' "actor": "OP1", "partner": "ACIER", "amount": "1.00"}',
            "line 2: on: '2026-01-20T10:00:00'",
        ),
        (
            '{"id": "x", "command": "receive_contribution", "on": "2026-01-20", "actor": "OP1",'
            ' "partner": "ACIER", "amount": "1.00", "colour": "red"}',
            "line 2: colour: is not an argument of receive_contribution",
        ),
        (
            '{"id": "x", "command": "repay", "on": "2026-01-20", "actor": "OP1"}',
            "line 2: command: 'repay' is not a command alize knows",
        ),
        (
            '{"id": "x", "command": "receive_contribution", "on": "2026-01-20", "actor": "OP1",'
            ' "partner": "ACIER"}',
            "line 2: amount: is required and was not given",
        ),
        ('["a list"]', "line 2: request: must be a JSON object"),
        (
            '{"id": "conv-2026", "command": "log_meeting", "on": "2026-01-20", "actor": "OP1",'
            ' "mission": "MI1"}',
            "line 2: id: 'conv-2026' is the id of line 1, a different command",
        ),
    ],
)
def test_a_malformed_line_is_refused_naming_line_and_field_and_nothing_is_written(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, expected: str
) -> None:
    path = _write(tmp_path, "bad.jsonl", record_text((RECORD_LINES[0], line)))

    status = main(["record", path, "--db", str(db)])

    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith(f"alize: error: {expected}"), err
    assert "Traceback" not in err
    assert _version(db) == 10  # the whole file is read before anything is written


def test_a_byte_order_mark_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + record_text().encode())

    assert main(["record", str(path), "--db", str(db)]) == 1

    assert "byte order mark" in capsys.readouterr().err


def test_a_line_that_is_not_utf8_is_named(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "latin.jsonl"
    accented = RECORD_LINES[2].replace("Usinage Meusien", "Usinage Méusien")
    path.write_bytes(record_text(RECORD_LINES[:1]).encode() + accented.encode("latin-1"))

    assert main(["record", str(path), "--db", str(db)]) == 1

    assert "alize: error: line 2: is not UTF-8 text" in capsys.readouterr().err


def test_an_id_reused_for_another_command_is_refused(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _write(tmp_path, "a.jsonl", record_text(RECORD_LINES[:2]))
    assert main(["record", first, "--db", str(db)]) == 0
    other = RECORD_LINES[1].replace('"60000.00"', '"50000.00"')
    second = _write(tmp_path, "b.jsonl", record_text((other,)))

    assert main(["record", second, "--db", str(db)]) == 1

    err = capsys.readouterr().err
    assert "line 1: id: 'contrib-acier' was already used for another command" in err
    assert _version(db) == 12


def test_record_without_a_register_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "year.jsonl", record_text())

    assert main(["record", path, "--db", str(tmp_path / "none.db")]) == 1

    assert "is not an alize register (no such file)" in capsys.readouterr().err


def test_record_help_lists_every_command_with_its_arguments(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["record", "--help"])

    out = capsys.readouterr().out
    assert exited.value.code == 0
    for name, spec in COMMANDS.items():
        assert f"  {name}: " in out
        for parameter in spec.parameters:
            assert parameter.name in out.split(f"  {name}: ", 1)[1].splitlines()[0]


def test_a_usage_error_exits_2() -> None:
    done = alize("record")

    assert done.returncode == 2
    assert "the following arguments are required: FILE" in done.stderr


# --- The journal is the same however a file is recorded ---


@given(cut=st.integers(min_value=0, max_value=len(RECORD_LINES)), twice=st.booleans())
@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_recording_a_prefix_then_the_whole_file_ends_in_the_journal_of_one_run(
    tmp_path_factory: pytest.TempPathFactory, cut: int, twice: bool
) -> None:
    """Any prefix first (or the whole file twice) ends in the same events, digests and command log."""
    folder = tmp_path_factory.mktemp("record")
    toml = _write(folder, "meuse.toml", TERRITORY_TOML)
    whole = _write(folder, "year.jsonl", record_text())
    once, replayed = folder / "once.db", folder / "replayed.db"
    for path in (once, replayed):
        assert main(["init", toml, "--db", str(path)]) == 0
    assert main(["record", whole, "--db", str(once)]) == 0

    prefix = _write(folder, "prefix.jsonl", record_text(RECORD_LINES[:cut]))
    assert main(["record", prefix, "--db", str(replayed)]) == 0
    assert main(["record", whole, "--db", str(replayed)]) == 0
    if twice:
        assert main(["record", whole, "--db", str(replayed)]) == 0

    assert _journal(replayed) == _journal(once)
    with SqliteStore(once, create=False) as a, SqliteStore(replayed, create=False) as b:
        for line in RECORD_LINES:
            key = json.loads(line)["id"]
            assert a.recorded_command(key) == b.recorded_command(key)
