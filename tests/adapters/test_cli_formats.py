"""
Every result as JSON (``--format json``) and every file read from the standard input (``-``).

``alize check``, ``backup``, ``restore`` and ``export fec`` (writing and ``--check``) print
their result as one JSON object with the same figures as their text; ``decide``,
``settings adopt``, ``import``, ``export`` and ``adapters list --config`` read ``-`` as the
standard input.
"""

from __future__ import annotations

import io
import json
import sqlite3
import sys
from datetime import date
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.storage import SqliteStore
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.serialization import unstructure
from tests.core.register_story import Story

from .sample_postings import advance


@pytest.fixture
def register(tmp_path: Path) -> Path:
    """A register holding a funded territory whose projects were approved and disbursed."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    path = tmp_path / "alize.db"
    with SqliteStore(path) as store:
        store.append((event.row() for event in story.events), expected_version=0)
    return path


def fed(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    """Make these bytes the standard input."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


def printed(capsys: pytest.CaptureFixture[str], argv: list[str], status: int = 0) -> object:
    """What ``alize ARGV`` printed, read as JSON, once it exited with ``status``."""
    assert main(argv) == status
    return json.loads(capsys.readouterr().out)


def test_check_as_json_gives_the_figures_of_the_text(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize check --format json: the events, the chain intact, the fund's figures, ok."""
    assert main(["check", "--db", str(register)]) == 0
    text = capsys.readouterr().out

    data = printed(capsys, ["check", "--db", str(register), "--format", "json"])

    assert isinstance(data, dict)
    assert data["ok"] is True
    assert data["chain"] == {"ok": True, "problems": []}
    assert f"— {data['events']} events, head {data['head'][:16]}" in text
    cash = data["fund"]["cash"]
    assert cash.count(".") == 1
    assert len(cash.split(".")[1]) == 2


def test_check_as_json_names_a_broken_chain_and_exits_1(
    register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An altered event makes the JSON say ok false with the problem, and the status 1."""
    with sqlite3.connect(register) as db:
        (body,) = db.execute("SELECT CAST(body AS BLOB) FROM events WHERE id = 3").fetchone()
        db.execute("UPDATE events SET body = ? WHERE id = 3", (body[:-1] + b"9",))
    db.close()

    data = printed(capsys, ["check", "--db", str(register), "--format", "json"], status=1)

    assert isinstance(data, dict)
    assert data["ok"] is False
    assert data["chain"]["ok"] is False
    assert data["chain"]["problems"]


def test_backup_and_restore_as_json_say_what_they_copied(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """backup and restore --format json name the files, the events and the same head."""
    copy, restored = tmp_path / "copy.db", tmp_path / "restored.db"

    backed = printed(capsys, ["backup", str(copy), "--db", str(register), "--format", "json"])
    back = printed(capsys, ["restore", str(copy), "--db", str(restored), "--format", "json"])

    assert isinstance(backed, dict)
    assert isinstance(back, dict)
    assert backed["destination"] == str(copy)
    assert backed["verified"] is True
    assert back["source"] == str(copy)
    assert back["db"] == str(restored)
    assert back["events"] == backed["events"] > 0
    assert back["head"] == backed["head"]


def postings_json() -> bytes:
    """Two advances paid out in 2026, as the JSON list alize export fec --postings reads."""
    postings = [
        advance("A1", date(2026, 3, 2), "Avance P1"),
        advance("A2", date(2026, 5, 4), "Avance P2", "12000.00"),
    ]
    return dump_json([unstructure(p) for p in postings]).encode()


def written_fec(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> dict[str, object]:
    """What alize export fec --postings - --format json said it wrote in the folder."""
    fed(monkeypatch, postings_json())
    argv = ["export", "fec", "--postings", "-", "--siren", "555045673", "--end", "2026-12-31"]
    written = printed(capsys, [*argv, "--output-dir", str(folder), "--format", "json"])
    assert isinstance(written, dict)
    return written


def test_a_fec_written_from_stdin_checks_as_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """export fec --postings - writes the FEC; --check --format json finds it conforming."""
    written = written_fec(tmp_path, monkeypatch, capsys)

    checked = printed(
        capsys, ["export", "fec", "--check", str(written["path"]), "--format", "json"]
    )

    assert isinstance(checked, dict)
    assert checked["ok"] is True
    assert checked["findings"] == []
    assert (checked["lines"], checked["entries"]) == (written["lines"], written["entries"])
    assert (checked["lines"], checked["entries"]) == (4, 2)
    assert checked["total_debit"] == written["total_debit"] == "37000.00"


def test_a_fec_read_from_stdin_is_checked_under_the_name_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--check - reads the FEC on stdin; --name gives the file name its SIREN and date are read from."""
    written = written_fec(tmp_path, monkeypatch, capsys)
    fed(monkeypatch, Path(str(written["path"])).read_bytes())

    checked = printed(
        capsys,
        ["export", "fec", "--check", "-", "--name", "555045673FEC20251231.txt", "--format", "json"],
        status=1,
    )

    assert isinstance(checked, dict)
    assert checked["file"] == "555045673FEC20251231.txt"
    assert checked["ok"] is False
    assert "fiscal_year" in {f["code"] for f in checked["findings"]}


def test_decide_reads_the_session_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize decide - reads the session file from stdin: a file that is not JSON is one line."""
    fed(monkeypatch, b"{not json")

    assert main(["decide", "-"]) == 1
    assert capsys.readouterr().err.startswith("alize: error: line 1: not valid JSON")


def test_import_csv_reads_the_table_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize import csv TABLE - reads the spreadsheet's CSV from stdin."""
    csv = (
        "\ufeffSIREN;Raison sociale;Date de création;Effectif;Chiffre d'affaires;"
        "Total du bilan;Commune (code INSEE);SIRET\r\n"
        "555012343;Usinage Meusien;01/03/2011;42;6200000;3100000;55029;\r\n"
    )
    fed(monkeypatch, csv.encode("utf-8"))

    records = printed(capsys, ["import", "csv", "entreprises", "-"])

    assert isinstance(records, list)
    assert [r["siren"] for r in records] == ["555012343"]


def test_sirene_refuses_stdin_for_both_files(capsys: pytest.CaptureFixture[str]) -> None:
    """The units and the establishments cannot both come from the one standard input."""
    assert main(["import", "sirene", "-", "--establishments", "-"]) == 1
    assert "cannot both be stdin" in capsys.readouterr().err


def test_settings_adopt_reads_its_file_from_stdin(
    register: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize settings adopt - reads the settings from stdin; an unknown one is named."""
    fed(monkeypatch, b'{"quorumm": 3}')

    status = main(
        ["settings", "adopt", "-", "--on", "2027-01-04", "--actor", "OP1", "--db", str(register)]
    )

    assert status == 1
    assert "quorumm" in capsys.readouterr().err


def test_adapters_list_reads_its_json_configuration_from_stdin(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize adapters list --config - reads the adapters' JSON configuration from stdin."""
    fed(monkeypatch, b'{"roles": {"crm": "acme"}}')

    status = printed(capsys, ["adapters", "list", "--config", "-", "--format", "json"])

    assert isinstance(status, dict)
    assert next(b for b in status["bindings"] if b["role"] == "crm")["backend"] == "acme"
