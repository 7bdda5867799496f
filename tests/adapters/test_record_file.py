"""
The sample year as a territory file and a record file: three doors, one answer. The files,
recorded command by command, give the journal the Python API writes, digest for digest,
and read the same everywhere.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.demo import DemoContext, part_02_register, part_09_without_python
from alize_adapters.storage import Recorder, RecordStatus, SqliteStore
from alize_core.commands.catalogue import read_request
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.register.storage import load


FILES = tuple(
    part_09_without_python.shipped(name)
    for name in (part_09_without_python.TERRITORY_FILE, part_09_without_python.RECORD_FILE)
)
"""The sample territory file and record file, as shipped."""


@pytest.fixture(scope="module")
def python_year(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The register the demo's register part writes through the Python API."""
    folder = tmp_path_factory.mktemp("demo")
    part_02_register.run(DemoContext(folder, io.StringIO()))
    return folder / "alize.db"


def _rows(path: Path) -> list[tuple[int, bytes, bytes]]:
    with SqliteStore(path, create=False) as store:
        return list(store.read())


def test_the_record_file_gives_the_python_apis_journal_digest_for_digest(
    python_year: Path, tmp_path: Path
) -> None:
    """Every stored event, body and digest, is the one the register part stored."""
    recorded = part_09_without_python.record(tmp_path / "alize-record.db", *FILES)

    assert _rows(tmp_path / "alize-record.db") == _rows(python_year)
    assert recorded.version == len(_rows(python_year))


def test_the_two_registers_read_the_same_in_every_document(
    python_year: Path, tmp_path: Path
) -> None:
    """What alize show prints about the year is the same, whichever door wrote it."""
    recorded = part_09_without_python.record(tmp_path / "alize-record.db", *FILES)
    with SqliteStore(python_year, create=False) as store:
        python = load(store)
    assert python.as_of is not None

    documents = part_09_without_python.documents(recorded, python.as_of)

    assert documents == part_09_without_python.documents(python, python.as_of)
    assert documents["fund"]["balances"]


def test_every_command_of_the_files_reads_back_from_its_own_json() -> None:
    """Each command's canonical JSON reads into the same command (same digest)."""
    for request, actor in part_09_without_python.requests(*FILES):
        read, read_actor = read_request(parse_json(dump_json(request.to_json(actor))))

        assert read_actor == actor
        assert read.digest(actor) == request.digest(actor)


def test_every_command_of_the_files_has_its_own_id() -> None:
    """No two commands share an idempotency key, and every line of the record file is one."""
    ids = [request.id for request, _ in part_09_without_python.requests(*FILES)]
    lines = list(part_09_without_python.record_lines(FILES[1]))

    assert len(ids) == len(set(ids))
    assert len(lines) == len(FILES[1].splitlines())


def test_recording_the_files_twice_writes_nothing_the_second_time(tmp_path: Path) -> None:
    """A second run finds every id already recorded."""
    path = tmp_path / "alize-record.db"
    first = part_09_without_python.record(path, *FILES)
    with SqliteStore(path, create=False) as store:
        recorder = Recorder(store)
        statuses = {
            recorder.record(request, actor).status
            for request, actor in part_09_without_python.requests(*FILES)
        }
        assert store.version() == first.version

    assert statuses == {RecordStatus.ALREADY_RECORDED}


def test_alize_init_and_record_give_the_python_apis_journal(
    python_year: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The commands part 9 prints, run in a folder holding the files, write the same journal."""
    for name, text in zip(
        (part_09_without_python.TERRITORY_FILE, part_09_without_python.RECORD_FILE),
        FILES,
        strict=True,
    ):
        (tmp_path / name).write_bytes(text)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALIZE_DB", raising=False)

    with contextlib.redirect_stdout(io.StringIO()):
        statuses = [main(argv) for argv in part_09_without_python.commands("alize-cli.db")]

    assert statuses == [0, 0]
    assert _rows(tmp_path / "alize-cli.db") == _rows(python_year)
