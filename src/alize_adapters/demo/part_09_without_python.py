"""
Demo part: the same year without Python, from a territory file and a record file.

The sample year that the register part runs through the Python API is also written as
two files an operator writes by hand, shipped with alize: ``territoire-exemple.toml``,
the territory file (*fiche du territoire*: the territory, its operator, prefecture,
rules, partners and people, what ``alize init`` records), and ``annee-exemple.jsonl``,
the record file (*fichier d'enregistrement*: the year's commands, one a line — ``id``,
``command``, ``on``, ``actor`` and the command's arguments — what ``alize record``
records). This part copies both into the demo's folder, records them into a second
register, ``alize-record.db``, through :class:`~alize_adapters.storage.recording.Recorder`
— the path ``alize init``, ``alize record`` and the HTTP API take — and shows that the
two registers hold the same journal, to the last digest of the chain. It then reads both
through the documents ``alize show`` prints (:mod:`alize_core.reporting.documents`), and
prints the ``alize init`` and ``alize record`` commands that record the same files into a
third register from the command line.

The files hold only the commands the register accepted. The register part also shows
four refusals (the operator validating the territory, the file of P3, the operator
voting, the operator signing off the review); a refused line stops a record file's run,
so a file that records a year holds none. The people's names and contacts are not in the
files either: they are personal data, kept outside the journal.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Final

from alize_adapters.connectors.territory_file import read_territory
from alize_adapters.demo import DemoContext
from alize_adapters.storage.recording import Recorder, RecordStatus
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.commands.catalogue import CommandRequest, read_request
from alize_core.kernel.jsontext import parse_json
from alize_core.kernel.money import format_eur
from alize_core.register.storage import load
from alize_core.register.views import Register
from alize_core.reporting.documents import (
    Document,
    advance_document,
    fund_document,
    person_document,
    project_document,
    session_document,
    territory_document,
)


TITLE = "Without Python: the same year from a territory file and a record file"

TERRITORY_FILE: Final = "territoire-exemple.toml"
"""The sample territory as a territory file, shipped in this package."""

RECORD_FILE: Final = "annee-exemple.jsonl"
"""The sample year as a record file, shipped in this package."""

RECORD_DB: Final = "alize-record.db"
"""The register this part records the files into, in the demo's folder."""


def shipped(name: str) -> bytes:
    """The bytes of a file shipped with the demo (:data:`TERRITORY_FILE`, :data:`RECORD_FILE`)."""
    return resources.files("alize_adapters.demo").joinpath(name).read_bytes()


def record_lines(text: bytes) -> Iterator[tuple[CommandRequest, str]]:
    """The requests of a record file, with their actors, in file order."""
    for number, line in enumerate(text.decode("utf-8").splitlines(), start=1):
        if line.strip():
            request, actor = read_request(parse_json(line, field=f"line {number}"))
            assert actor is not None
            yield request, actor


def requests(territory: bytes, year: bytes) -> Iterator[tuple[CommandRequest, str]]:
    """The requests of a territory file, then those of a record file, with their actors."""
    yield from read_territory(territory, source=TERRITORY_FILE)
    yield from record_lines(year)


def record(path: Path, territory: bytes, year: bytes) -> Register:
    """Record a territory file and a record file into a new register at ``path``."""
    for stale in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    with SqliteStore(path) as store:
        recorder = Recorder(store)
        for request, actor in requests(territory, year):
            recording = recorder.record(request, actor)
            if recording.status is not RecordStatus.RECORDED:
                raise AssertionError(recording.explain())
        return load(store)


def documents(register: Register, on: date) -> dict[str, Document]:
    """
    What ``alize show`` and ``alize report fund`` print about the year on a date (the
    register's last event's or later), by the command's arguments.
    """
    return {
        "territory": territory_document(register),
        "project P1": project_document(register, "P1"),
        "session S1": session_document(register, "S1"),
        "advance P1": advance_document(register, "P1", on),
        "person M1": person_document(register, "M1"),
        "fund": fund_document(register, on),
    }


def run(context: DemoContext) -> None:
    """Record the sample year's files into a second register and compare it with the first."""
    territory, year = shipped(TERRITORY_FILE), shipped(RECORD_FILE)
    for name, text in ((TERRITORY_FILE, territory), (RECORD_FILE, year)):
        (context.workdir / name).write_bytes(text)
    founding = len(read_territory(territory, source=TERRITORY_FILE))
    lines = sum(1 for _ in record_lines(year))
    recorded = record(context.workdir / RECORD_DB, territory, year)
    python = context.register()
    same = recorded.head == python.head and recorded.version == python.version
    context.say(
        f"{TERRITORY_FILE}: {founding} founding commands; {RECORD_FILE}: {lines} commands,"
        f" one a line; recorded into {RECORD_DB}: {recorded.version} events, head"
        f" {recorded.head[:12]}…"
    )
    context.say(
        f"The register part's {python.version} events end on {python.head[:12]}…:"
        f" {'the same journal, digest for digest' if same else 'A DIFFERENT JOURNAL'}."
    )
    on = python.as_of
    assert on is not None
    read_python = documents(python, on)
    for name, document in documents(recorded, on).items():
        verdict = "the same" if document == read_python[name] else "DIFFERENT"
        context.say(f"  {name}, as alize show prints it: {verdict} in both registers")
    fund = read_python["fund"]
    context.say(
        f"Fund on {on:%d/%m/%Y} in both: cash {format_eur(Decimal(fund['position']['cash']))},"
        f" available {format_eur(Decimal(fund['available']))}."
    )
    context.say(
        "The register part's four refusals are not in the files: a refused line stops a"
        " record file's run, so a year's file holds only what the register accepts."
    )
    context.say(
        "The same files recorded from the command line, in the demo's folder, make a third"
        " register with the same journal:"
    )
    for argv in commands(CLI_DB):
        context.say(f"    {shlex.join(['alize', *argv])}")


CLI_DB: Final = "alize-cli.db"
"""The register the commands this part prints record into."""


def commands(db: str) -> tuple[list[str], list[str]]:
    """The ``alize`` commands (without ``alize``) that record the two files into ``db``."""
    return ["init", "--db", db, TERRITORY_FILE], ["record", "--db", db, RECORD_FILE]
