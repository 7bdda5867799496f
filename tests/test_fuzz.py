"""
Fuzzing every input boundary: junk in, an ``AlizeError`` naming the field out, never a traceback.

The boundaries are what an operator or another program hands alize: session files
(``alize decide``), the events and snapshots read back from a register's SQLite store,
CSV files saved by a spreadsheet, FEC files to check (``alize export fec --check``),
SIRENE extracts, and the arguments of every ``alize`` command. Each test starts from
valid input and mutates it (a value replaced by junk, a key dropped, a line cut, a byte
flipped), because junk that is almost right goes deepest. What must hold:

- the library raises nothing but :class:`~alize_core.kernel.errors.AlizeError`, whose message
  starts with the field, path, line or event at fault;
- ``alize`` (driven in-process through :func:`alize_adapters.cli.main`) returns 0 or 1,
  or exits 2 on a usage error, and prints no traceback;
- a command that fails writes nothing: every file it was given keeps its bytes (a
  register its events), and no file appears.

The default run (Hypothesis profile ``dev``) takes about a hundred examples per test;
``HYPOTHESIS_PROFILE=fuzz`` (the ``nox -s fuzz`` session) runs twenty thousand.
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import csv
import io
import itertools
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Final, cast

import attrs
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from alize_adapters.cli import build_parser, main
from alize_adapters.connectors import (
    TABLES,
    FecCheck,
    FiscalYear,
    check_fec,
    export_fec,
    sirene,
    spreadsheets,
)
from alize_adapters.connectors.session_file import load_session
from alize_adapters.storage import SqliteStore, audit
from alize_core import AlizeError, Settings
from alize_core.accounting.books import journal_postings
from alize_core.governance.committee import CommitteeSession, decide
from alize_core.journal.chain import decode, seal_rows
from alize_core.journal.codec import GENESIS
from alize_core.kernel import dumps, parse_json, unstructure
from alize_core.register.replay import replay
from alize_core.register.storage import PersonDetails, load, snapshot_of
from alize_core.register.views import Register
from tests.adapters.test_cli_decide import EXAMPLE
from tests.adapters.test_sirene import establishment, unit
from tests.core.reporting_story import story_2026
from tests.strategies import STRATEGIES


# -- what must hold -------------------------------------------------------------------------

ERROR_LINE: Final = re.compile(r"alize: error: (?P<field>.+?): (?P<reason>\S.*)")
"""The one line ``alize`` prints for bad input: the field at fault, then what is wrong."""


def refused_properly(exc: AlizeError) -> None:
    """An error a programme officer can act on: it names the field, then says what is wrong."""
    text = str(exc)
    assert exc.field, f"{type(exc).__name__} names no field: {text!r}"
    assert text.startswith(f"{exc.field}: "), f"the message does not start with its field: {text!r}"
    assert len(text) > len(exc.field) + 2, f"the message says nothing after the field: {text!r}"


def attempt(call: Callable[[], object]) -> object:
    """Run ``call``; an AlizeError must name its field, any other exception fails the test."""
    try:
        return call()
    except AlizeError as exc:
        refused_properly(exc)
        return exc


@attrs.frozen
class Run:
    """What one in-process ``alize`` run did."""

    status: int
    out: bytes
    err: str


def run_alize(argv: Sequence[str], cwd: Path) -> Run:
    """
    Run ``alize`` in-process in a folder, as a shell would (stdout strict UTF-8, stderr
    with backslash escapes); any exception other than argparse's exit fails the test.
    """
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="backslashreplace")
    # An empty standard input, as a shell's ``< /dev/null`` (pytest's own cannot be read).
    empty = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    previous, stdin = Path.cwd(), sys.stdin
    os.chdir(cwd)
    sys.stdin = empty
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = main(list(argv))
            except SystemExit as exc:
                status = exc.code if isinstance(exc.code, int) else 1
    finally:
        os.chdir(previous)
        sys.stdin = stdin
    err.flush()
    out.flush()
    run = Run(status, out.buffer.getvalue(), err.buffer.getvalue().decode())
    with contextlib.suppress(InvalidArgument):  # outside a Hypothesis test: nothing to note
        note(f"alize {' '.join(argv)} -> {run.status}\n{run.err}")
    return run


def behaved(run: Run) -> None:
    """0 or 1, or 2 for a usage error; never a traceback; bad input named on one line."""
    assert "Traceback" not in run.err, run.err
    assert run.status in {0, 1, 2}, run
    if run.status == 2:
        assert "usage:" in run.err, run.err
    lines = [line for line in run.err.splitlines() if line.startswith("alize: error:")]
    if run.status == 1 and lines:
        assert len(lines) == 1, run.err
        match = ERROR_LINE.fullmatch(lines[0])
        assert match is not None, f"the error does not name the field at fault: {lines[0]!r}"


def share(fraction: float) -> settings:
    """
    A share of the profile's examples, for the tests that run ``alize`` on files (slower),
    so that the default run stays under a minute and ``fuzz`` still runs thousands.
    """
    return settings(max_examples=max(10, int(settings().max_examples * fraction)))


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under a folder and its bytes (SQLite's transient -wal and -shm left out)."""
    found = {}
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.name.endswith(("-wal", "-shm", "-journal")):
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


# -- the valid inputs the mutations start from ------------------------------------------------

STORY: Final = story_2026()
SETTINGS: Final = Settings.national()
POSTINGS: Final = journal_postings(STORY.events)
SIREN: Final = "555012343"
YEAR: Final = FiscalYear(date(2026, 1, 1), date(2026, 12, 31))
FEC_NAME: Final = f"{SIREN}FEC20261231.txt"

SESSION: Final = EXAMPLE
"""A valid session file (its shape is docs/guide/session-file.md)."""


def fec_bytes() -> bytes:
    """The story's postings as a FEC, as alize writes it."""
    with tempfile.TemporaryDirectory() as folder:
        result = export_fec(POSTINGS, Path(folder), siren=SIREN, fiscal_year=YEAR)
        return result.path.read_bytes()


FEC: Final = fec_bytes()


def records() -> list[tuple[str, str, str, list[str], dict[str, Any]]]:
    """The story's journal in the journal's own form ``(kind, date, actor, rules, payload)``."""
    return [
        (str(e.kind), e.on.isoformat(), e.actor, list(e.rules), unstructure(e.payload))
        for e in STORY.events
    ]


RECORDS: Final = records()


def write_store(
    path: Path, rows: Sequence[tuple[int, bytes, bytes]], *, snapshot: bool = False
) -> None:
    """A register's store holding these rows (appended through the store, which checks them)."""
    with SqliteStore(path) as store:
        store.append(rows, expected_version=0)
        store.put_person(PersonDetails("R1", "Luc Martin", "luc.martin@example.fr"))
        if snapshot:
            store.save_snapshot(snapshot_of(load(store)))
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Path]:
    """
    A folder of inputs, valid and not, that every CLI example starts from (copied anew):
    a register (``alize.db``), an empty one, a file that is not SQLite, a session file,
    postings, a table, settings, a FEC, a folder and a plain file.
    """
    with tempfile.TemporaryDirectory(prefix="alize-fuzz-") as name:
        folder = Path(name)
        write_store(folder / "alize.db", [e.row() for e in STORY.events], snapshot=True)
        write_store(folder / "empty.db", [])
        (folder / "junk.db").write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 4)
        (folder / "session.json").write_text(json.dumps(SESSION, ensure_ascii=False), "utf-8")
        (folder / "bad.json").write_bytes(b'{"territory": "T1", "date": 2026-03-12}')
        (folder / "postings.json").write_text(json.dumps(unstructure(list(POSTINGS))), "utf-8")
        smes = [unstructure(sme) for sme in STORY.register.smes.values()]
        (folder / "smes.json").write_text(json.dumps(smes, ensure_ascii=False), "utf-8")
        (folder / "settings.json").write_text(dumps(SETTINGS), "utf-8")
        (folder / FEC_NAME).write_bytes(FEC)
        (folder / "folder").mkdir()
        (folder / "plain.txt").write_text("une ligne\n", "utf-8")
        yield folder


@contextlib.contextmanager
def copied(sandbox: Path) -> Iterator[Path]:
    """A fresh copy of the sandbox, removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="alize-run-") as name:
        target = Path(name) / "work"
        shutil.copytree(sandbox, target)
        yield target


# -- junk ---------------------------------------------------------------------------------

JUNK_TEXT: Final = (
    "",
    " ",
    "-",
    "--",
    "0",
    "-1",
    "1",
    "2",
    "60",
    "601",
    "1e9",
    "9" * 40,
    "9" * 5000,
    "NaN",
    "inf",
    "0.005",
    "12.5",
    "12,50",
    "25 000,00 €",
    "2026",
    "1989",
    "3000",
    "2026-03-12",
    "2026-02-30",
    "20261231",
    "12/03/2026",
    "oui",
    '=HYPERLINK("http://x")',
    "é" * 3,
    "\u00a0",
    "\u202e",
    "\udcff",
    "٣",
    "²",
    "a\tb",
    "a;b",
    'a"b',
    "x" * 300,
)
"""Texts that break parsers: empty, signs, huge numbers, bad dates, odd Unicode."""

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.sampled_from(JUNK_TEXT)
    | st.text(max_size=12)
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(JUNK_TEXT) | st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


def paths_in(document: object, here: tuple[object, ...] = ()) -> Iterator[tuple[object, ...]]:
    """Every place in a JSON document (keys and list indexes), the root first."""
    yield here
    if isinstance(document, dict):
        for key, value in document.items():
            yield from paths_in(value, (*here, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from paths_in(value, (*here, index))


@st.composite
def mutated(draw: st.DrawFn, document: object, *, at_least: int = 1) -> object:
    """A JSON document with one to three places replaced by junk, removed or duplicated."""
    document = copy.deepcopy(document)
    for _ in range(draw(st.integers(at_least, 3))):
        places = list(paths_in(document))
        place = draw(st.sampled_from(places))
        junk = draw(json_values)
        if not place:
            document = junk
            continue
        *parents, last = place
        parent: Any = document
        for key in parents:
            parent = parent[key]
        action = draw(st.sampled_from(("replace", "replace", "delete", "add", "retype")))
        if action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(JUNK_TEXT))] = junk
        elif action == "add":
            parent.insert(int(str(last)), junk)
        elif action == "retype":
            parent[last] = (
                str(parent[last]) if not isinstance(parent[last], str) else [parent[last]]
            )
        else:
            parent[last] = junk
    return document


@st.composite
def damaged_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """Bytes with a few cut, flipped or inserted (NUL, a BOM, Latin-9, a lone quote...)."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, len(out)))
        action = draw(st.sampled_from(("flip", "cut", "insert", "truncate")))
        if action == "flip" and position < len(out):
            out[position] = draw(st.integers(0, 255))
        elif action == "cut":
            del out[position : position + draw(st.integers(1, 40))]
        elif action == "insert":
            piece = draw(
                st.sampled_from(
                    (
                        b"\x00",
                        b"\xef\xbb\xbf",
                        b"\xe9",
                        b'"',
                        b"\r",
                        b"\n",
                        b"\t",
                        b"|",
                        b";",
                        b"\\",
                        b"x" * 140_000,
                    )
                )
                | st.binary(max_size=8)
            )
            out[position:position] = piece
        else:
            del out[position:]
    return bytes(out)


# -- session files (alize decide) -------------------------------------------------------------


@given(mutated(SESSION))
def test_a_damaged_session_file_is_decided_or_refused_naming_its_path(document: object) -> None:
    """A session file with junk in it is decided, or refused with the path of the culprit."""
    text = json.dumps(document, ensure_ascii=False)
    outcome = attempt(lambda: load_session(parse_json(text)))
    if not isinstance(outcome, AlizeError):
        session, territory_settings = cast(tuple[CommitteeSession, Settings], outcome)
        attempt(lambda: decide(session, territory_settings))


@share(0.5)
@given(damaged_bytes(json.dumps(SESSION, ensure_ascii=False).encode()))
def test_alize_decide_on_a_damaged_file_prints_one_line_naming_the_culprit(data: bytes) -> None:
    """``alize decide`` on bytes that are almost a session file: a result, or one line naming the culprit."""
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "session.json").write_bytes(data)
        run = run_alize(["decide", "session.json"], folder)
    behaved(run)
    assert run.status in {0, 1}


# -- the register's store: events and snapshots read back -------------------------------------

MUTABLE_FIELDS: Final = ("kind", "on", "actor", "rules", "payload")


def forge(data: st.DataObject) -> list[tuple[int, bytes, bytes]]:
    """
    The story's journal with one event's content forged by another program, then sealed
    again so that its hash chain holds: only the content is wrong.
    """
    journal: list[Any] = copy.deepcopy(RECORDS)
    index = data.draw(st.integers(0, len(journal) - 1), label="event index")
    kind, on, actor, rules, payload = cast(tuple[Any, Any, Any, Any, Any], journal[index])
    field = data.draw(st.sampled_from(MUTABLE_FIELDS), label="field")
    if field == "payload":
        payload = data.draw(mutated(payload), label="payload")
    elif field == "rules":
        rules = data.draw(mutated(rules), label="rules")
    elif field == "kind":
        kind = data.draw(
            st.sampled_from([r[0] for r in RECORDS]) | st.sampled_from(JUNK_TEXT), label="kind"
        )
    elif field == "on":
        on = data.draw(st.sampled_from(JUNK_TEXT) | st.dates().map(date.isoformat), label="date")
    else:
        actor = data.draw(json_leaves, label="actor")
    journal[index] = (kind, on, actor, rules, payload)
    try:
        return list(seal_rows(journal, version=0, head=GENESIS))
    except (TypeError, ValueError):
        # The journal's own encoder cannot even write it (e.g. NaN): no store can hold it.
        return [e.row() for e in STORY.events]


def read_back(path: Path) -> None:
    """Everything alize does with a stored register, each step an AlizeError or a result."""
    with SqliteStore(path, create=False) as store:
        rows = list(store.read())
        previous = GENESIS
        for row in rows:
            attempt(lambda row=row, previous=previous: decode(row, previous))  # type: ignore[misc]
            previous = row[2]
        outcome = attempt(lambda: load(store))
        if isinstance(outcome, Register):
            views(outcome)
        found = attempt(lambda: audit(store))
        if not isinstance(found, AlizeError):
            views(found.register)  # type: ignore[attr-defined]


def views(register: Register) -> None:
    """Every public view of a register, each an AlizeError or a value."""
    for view in (
        lambda: register.territory,
        lambda: register.conventions,
        lambda: register.partners,
        lambda: register.people,
        lambda: register.smes,
        lambda: register.projects,
        lambda: register.sessions,
        lambda: register.advances,
        lambda: register.accounts,
        lambda: register.fund,
        lambda: register.missions,
        lambda: register.time_entries,
        lambda: register.reviews,
        lambda: register.flags,
        lambda: register.problems,
        lambda: register.portfolio(date(2030, 1, 1)),
        lambda: Register.from_snapshot(register.snapshot()),
    ):
        attempt(view)


@share(0.3)
@given(st.data())
def test_a_forged_event_in_a_store_is_read_back_as_an_alize_error_or_a_problem(
    data: st.DataObject,
) -> None:
    """An event whose content another program forged (chain intact) never crashes what reads it."""
    rows = forge(data)
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "alize.db"
        write_store(path, rows)
        read_back(path)
        before = contents(Path(name))
        for argv in (
            ["check", "--db", "alize.db"],
            ["report", "activity", "--year", "2026", "--db", "alize.db"],
            ["report", "call-for-funds", "--year", "2027", "--db", "alize.db"],
            ["report", "forecast", "--year", "2026", "--db", "alize.db"],
        ):
            run = run_alize(argv, Path(name))
            behaved(run)
            if run.status:
                assert contents(Path(name)) == before


@share(0.4)
@given(st.data())
def test_a_stored_event_damaged_byte_by_byte_is_named_or_read(data: st.DataObject) -> None:
    """Bytes of a stored event changed on disk: every reader refuses it, and check names it."""
    rows = [e.row() for e in STORY.events]
    index = data.draw(st.integers(0, len(rows) - 1))
    event_id, body, digest = rows[index]
    damaged = data.draw(damaged_bytes(body))
    rows[index] = (event_id, damaged, digest)
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "alize.db"
        write_store(path, [])
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            db.executemany("INSERT INTO events VALUES (?, ?, ?)", rows)
        read_back(path)
        run = run_alize(["check", "--db", "alize.db"], Path(name))
    behaved(run)
    if damaged != body:
        report = run.out.decode()
        assert run.status == 1, report
        assert f"event {event_id} " in report or f"position {event_id}" in report, report


@share(0.4)
@given(st.data())
def test_a_damaged_snapshot_is_refused_or_ignored(data: st.DataObject) -> None:
    """A snapshot whose JSON was damaged is refused naming the snapshot, never a crash."""
    with tempfile.TemporaryDirectory() as name:
        path = Path(name) / "alize.db"
        write_store(path, [e.row() for e in STORY.events], snapshot=True)
        # Closed even when a draw stops the example (Hypothesis raises out of data.draw).
        with contextlib.closing(sqlite3.connect(path)) as db, db:
            (raw,) = db.execute("SELECT data FROM snapshots").fetchone()
            document = json.loads(raw)
            if data.draw(st.booleans()):
                damaged = json.dumps(data.draw(mutated(document))).encode()
            else:
                damaged = data.draw(damaged_bytes(bytes(raw)))
            db.execute("UPDATE snapshots SET data = ?", (damaged,))
        attempt(lambda: Register.from_snapshot(damaged))
        read_back(path)
        run = run_alize(["check", "--db", "alize.db"], Path(name))
        behaved(run)


# -- CSV imports (French Excel) -------------------------------------------------------------


def table_csv(table: spreadsheets.Table, draw: st.DrawFn) -> bytes:
    """A valid CSV of a table, as alize writes it."""
    if table is TABLES["ecritures"]:
        records: list[object] = list(POSTINGS[:6])
    else:
        records = draw(st.lists(STRATEGIES[table.record], min_size=1, max_size=4))
    out = io.BytesIO()
    spreadsheets.export_table(table, records, out)
    return out.getvalue()


@st.composite
def damaged_csv(draw: st.DrawFn, table: spreadsheets.Table) -> bytes:
    """A valid CSV with cells replaced by junk, or its bytes damaged."""
    data = table_csv(table, draw)
    if draw(st.booleans()):
        return draw(damaged_bytes(data))
    lines = data.decode("utf-8-sig").split("\r\n")
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(lines) - 1))
        cells = lines[row].split(";")
        column = draw(st.integers(0, len(cells) - 1))
        cells[column] = draw(st.sampled_from(JUNK_TEXT) | st.text(max_size=10))
        lines[row] = ";".join(cells)
    encoding = draw(st.sampled_from(("utf-8-sig", "utf-8", "cp1252")))
    return "\r\n".join(lines).encode(encoding, errors="replace")


@pytest.mark.parametrize("name", sorted(TABLES))
@given(data=st.data())
def test_a_damaged_spreadsheet_is_imported_with_each_problem_named(
    name: str, data: st.DataObject
) -> None:
    """A CSV saved by a spreadsheet, damaged: its records, and each problem with its line and column."""
    table = TABLES[name]
    raw = data.draw(damaged_csv(table))
    outcome = attempt(lambda: spreadsheets.import_table(table, io.BytesIO(raw)))
    assert isinstance(outcome, spreadsheets.TableImport), outcome
    for problem in outcome.problems:
        assert problem.line >= 1
        assert str(problem).startswith(f"line {problem.line}")
    for record in outcome.records:
        assert isinstance(record, table.record)
    checked = attempt(outcome.check)
    if isinstance(checked, AlizeError):
        assert checked.field.startswith("line ")


# -- SIRENE imports ---------------------------------------------------------------------------


SIRENE_UNITS: Final = (
    unit(),
    unit(
        siren="356000000",
        statutDiffusionUniteLegale="P",
        denominationUniteLegale="",
        nomUniteLegale="[ND]",
        prenom1UniteLegale="[ND]",
        sigleUniteLegale="LP",
        identifiantAssociationUniteLegale="W551234567",
    ),
)
SIRENE_SITES: Final = (
    establishment(),
    establishment(siren="", nic="", siret="35600000000048", etatAdministratifEtablissement="F"),
)


def sirene_text(columns: Sequence[str], rows: Sequence[Mapping[str, str]]) -> str:
    """A SIRENE extract: INSEE's header, comma-separated rows."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    return out.getvalue()


UNITS_CSV: Final = sirene_text(sirene.LEGAL_UNIT_COLUMNS, SIRENE_UNITS)
SITES_CSV: Final = sirene_text(sirene.ESTABLISHMENT_COLUMNS, SIRENE_SITES)


@st.composite
def damaged_sirene(draw: st.DrawFn, text: str) -> bytes:
    """A SIRENE extract with cells replaced by junk, or its bytes damaged."""
    if draw(st.booleans()):
        return draw(damaged_bytes(text.encode()))
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        row = draw(st.integers(0, len(lines) - 1))
        cells = lines[row].split(",")
        column = draw(st.integers(0, len(cells) - 1))
        cells[column] = draw(st.sampled_from(JUNK_TEXT) | st.text(max_size=10)).replace("\n", " ")
        lines[row] = ",".join(cells)
    return "\n".join(lines).encode("utf-8", errors="surrogateescape")


@share(0.5)
@given(damaged_sirene(UNITS_CSV), damaged_sirene(SITES_CSV))
def test_a_damaged_sirene_extract_is_read_with_each_line_left_out_named(
    units: bytes, sites: bytes
) -> None:
    """SIRENE extracts with junk in them: the companies read, each line left out with its line and column."""
    for raw, read in ((units, sirene.read_legal_units), (sites, sirene.read_establishments)):
        text = raw.decode("utf-8", errors="replace")
        outcome = attempt(lambda text=text, read=read: read(io.StringIO(text, newline="")))  # type: ignore[misc]
        if isinstance(outcome, sirene.SireneImport):
            for problem in outcome.problems:
                assert problem.line >= 2
                assert str(problem).startswith(f"line {problem.line}, column ")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        (folder / "units.csv").write_bytes(units)
        (folder / "sites.csv").write_bytes(sites)
        run = run_alize(["import", "sirene", "units.csv", "--establishments", "sites.csv"], folder)
    behaved(run)
    assert run.status in {0, 1}


# -- FEC validation (alize export fec --check) ------------------------------------------------

FEC_FIELDS: Final = (
    "",
    " ",
    "0",
    "1,00",
    "-1,00",
    "1.000,00",
    "1 000,00",
    "+1,5-",
    "00000000",
    "20261301",
    "20260230",
    "2026123",
    "٢٠٢٦١٢٣١",
    "9" * 5000,
    "EC" + "9" * 5000,
    "512",
    "5",
    "AB",
    "\ufeff",
    "é",
)


@st.composite
def damaged_fec(draw: st.DrawFn) -> bytes:
    """The story's FEC with fields, lines or bytes damaged."""
    how = draw(st.sampled_from(("field", "line", "bytes")))
    if how == "bytes":
        return draw(damaged_bytes(FEC))
    lines = FEC.decode("utf-8").split("\n")
    if how == "line":
        for _ in range(draw(st.integers(1, 3))):
            row = draw(st.integers(0, len(lines) - 1))
            action = draw(st.sampled_from(("delete", "duplicate", "swap")))
            if action == "delete":
                del lines[row]
            elif action == "duplicate":
                lines.insert(row, lines[row])
            else:
                other = draw(st.integers(0, len(lines) - 1))
                lines[row], lines[other] = lines[other], lines[row]
        return "\n".join(lines).encode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        row = draw(st.integers(0, len(lines) - 1))
        fields = lines[row].split("\t")
        column = draw(st.integers(0, len(fields) - 1))
        fields[column] = draw(st.sampled_from(FEC_FIELDS) | st.sampled_from(JUNK_TEXT))
        lines[row] = "\t".join(fields)
    return "\n".join(lines).encode("utf-8", errors="surrogateescape")


fec_names = st.sampled_from(
    (
        FEC_NAME,
        f"{SIREN}FEC20260229.txt",
        f"{SIREN}FEC00010131.txt",
        f"{SIREN}FEC99991231.txt",
        "123456789FEC20261231.txt",
        "fec.txt",
        "٥٥٥٠١٢٣٤٣FEC20261231.txt",
    )
)


@given(damaged_fec(), fec_names)
def test_a_damaged_fec_is_checked_line_by_line(data: bytes, name: str) -> None:
    """Checking a damaged FEC lists problems with their line, and never raises."""
    result = check_fec(io.BytesIO(data), name=name)
    assert isinstance(result, FecCheck)
    for finding in result.findings:
        assert finding.line >= 0
        assert finding.field
    assert (data == FEC and name == FEC_NAME) <= result.ok


@share(0.5)
@given(damaged_fec(), fec_names)
def test_alize_export_fec_check_on_a_damaged_file_never_crashes(data: bytes, name: str) -> None:
    """``alize export fec --check`` on a damaged FEC: conforming, or not, with its problems listed."""
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_bytes(data)
        run = run_alize(["export", "fec", "--check", name], Path(folder))
    behaved(run)
    assert run.status in {0, 1}


# -- the command line: every command, random arguments ---------------------------------------


def leaves(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    """Every command (and subcommand) of ``alize`` with its parser."""
    commands = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not commands:
        yield path, parser
        return
    for name, child in commands[0].choices.items():
        yield from leaves(child, (*path, name))


COMMANDS: Final = dict(leaves(build_parser()))
"""Each ``alize`` command (``("report", "activity")``…) and its parser."""

PATHS: Final = (
    "alize.db",
    "empty.db",
    "junk.db",
    "missing.db",
    "session.json",
    "bad.json",
    "postings.json",
    "smes.json",
    "settings.json",
    FEC_NAME,
    "folder",
    "folder/new.db",
    "folder/new.csv",
    "plain.txt",
    "plain.txt/under-a-file.db",
    "missing-folder/x.db",
    ".",
    "-",
)
"""Paths in the sandbox: good files, bad files, missing ones, folders, a path under a file."""

PATH_OPTIONS: Final = frozenset(
    {
        "db",
        "store",
        "output",
        "check",
        "postings",
        "input",
        "config",
        "settings",
        "session",
        "source",
        "destination",
        "output_dir",
    }
)


@st.composite
def value_for(draw: st.DrawFn, action: argparse.Action) -> list[str]:
    """The words one option (or positional) takes on the command line, plausible or not."""
    if action.nargs == 0:
        return []
    if action.dest == "output_dir" and action.default == Path("alize-demo"):
        # ``alize demo`` with a usable folder runs the whole demo (seconds): only folders
        # it cannot create are tried here; the demo itself is tested elsewhere.
        return [draw(st.sampled_from(("plain.txt", "plain.txt/sub")))]
    if action.dest == "every":
        # ``alize relay --every SECONDS`` with a usable register runs until a signal: only
        # values it refuses are tried here; the loop itself is tested in test_cli_relay.py.
        return [draw(st.sampled_from(("0", "-1", "", "never", "nan", "1e999999")))]
    if action.dest == "port":
        # ``alize serve`` with a usable port serves until a signal: only ports it refuses
        # are tried here; the server itself is tested in tests/serve/.
        return [draw(st.sampled_from(("-1", "70000", "", "http", "1e9")))]
    pool: st.SearchStrategy[str]
    if action.dest in PATH_OPTIONS or action.type is Path:
        pool = st.sampled_from(PATHS) | st.sampled_from(JUNK_TEXT)
    elif action.choices:
        pool = st.sampled_from([str(c) for c in action.choices]) | st.sampled_from(JUNK_TEXT)
    else:
        pool = st.sampled_from(JUNK_TEXT) | st.sampled_from(PATHS) | st.text(max_size=6)
    pool = pool.filter(lambda word: "\x00" not in word)
    return [draw(pool)]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    """An ``alize`` command with random options and values."""
    path = draw(st.sampled_from(sorted(COMMANDS)))
    parser = COMMANDS[path]
    words = list(path)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        wanted = 0.9 if action.required or not action.option_strings else 0.4
        if action.dest == "port":
            wanted = 1.0  # see value_for: a server is only started with a port it refuses
        if draw(st.floats(0, 1)) >= wanted:
            continue
        repeat = 2 if isinstance(action, argparse._AppendAction) and draw(st.booleans()) else 1
        for _ in range(repeat):
            if action.option_strings:
                words.append(draw(st.sampled_from(action.option_strings)))
            words.extend(draw(value_for(action)))
    if draw(st.floats(0, 1)) < 0.1:
        words.insert(draw(st.integers(0, len(words))), draw(st.sampled_from(JUNK_TEXT)))
    return words


@given(argv=command_lines())
def test_any_command_line_gives_a_result_or_one_line_and_writes_nothing_when_refused(
    sandbox: Path, argv: list[str]
) -> None:
    """Every ``alize`` command with random arguments: 0, 1 or a usage error; a refusal writes nothing."""
    with copied(sandbox) as folder:
        before = contents(folder)
        events = {name: count_events(folder / name) for name in ("alize.db", "empty.db")}
        run = run_alize(argv, folder)
        behaved(run)
        if run.status != 0:
            written = partial_import(argv, run)
            after = {k: v for k, v in contents(folder).items() if k != written}
            kept = {k: v for k, v in before.items() if k != written}
            assert after.keys() == kept.keys(), (
                f"files appeared or vanished: {after.keys() ^ kept.keys()}"
            )
            changed = [name for name in kept if after[name] != kept[name]]
            assert not changed, f"a refused command changed {changed}"
            for name, count in events.items():
                assert name == written or count_events(folder / name) == count


IMPORT_SUMMARY: Final = re.compile(r"\d+ (?:records|companies) read, .*")


def partial_import(argv: Sequence[str], run: Run) -> str | None:
    """
    The file an import that left lines out wrote anyway: ``alize import`` writes the
    records it read and exits 1 when it left lines out, each named (its documented
    behaviour). Any other failure writes nothing.
    """
    lines = run.err.splitlines()
    if argv[:1] != ["import"] or not lines or not IMPORT_SUMMARY.fullmatch(lines[-1]):
        return None
    written = None
    for option, value in itertools.pairwise(argv):
        if option == "--output":
            written = os.path.normpath(value)
    return written


def count_events(path: Path) -> int:
    """How many events a register's file holds (read without SQLite writing anything)."""
    with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
        (count,) = db.execute("SELECT COUNT(*) FROM events").fetchone()
    return int(count)


# -- the documents the commands read as JSON --------------------------------------------------

JSON_INPUTS: Final[Mapping[str, tuple[list[str], object]]] = {
    "postings.json": (
        [
            "export",
            "fec",
            "--postings",
            "postings.json",
            "--siren",
            SIREN,
            "--end",
            "2026-12-31",
            "--output-dir",
            "folder",
        ],
        unstructure(list(POSTINGS[:4])),
    ),
    "smes.json": (
        ["export", "csv", "entreprises", "--input", "smes.json", "--output", "folder/out.csv"],
        [unstructure(sme) for sme in STORY.register.smes.values()],
    ),
    "settings.json": (
        [
            "report",
            "activity",
            "--year",
            "2026",
            "--db",
            "alize.db",
            "--settings",
            "settings.json",
            "--output",
            "folder/out.txt",
        ],
        json.loads(dumps(SETTINGS)),
    ),
}
"""Each JSON document a command reads, the command, and a valid document to damage."""


@pytest.mark.parametrize("name", sorted(JSON_INPUTS))
@share(0.3)
@given(data=st.data())
def test_a_damaged_json_document_given_to_a_command_is_refused_by_path(
    sandbox: Path, name: str, data: st.DataObject
) -> None:
    """Postings, tables, settings and adapter configuration with junk in them: refused by path, nothing written."""
    argv, document = JSON_INPUTS[name]
    damaged = data.draw(mutated(document))
    with copied(sandbox) as folder:
        (folder / name).write_text(json.dumps(damaged), "utf-8")
        before = contents(folder)
        run = run_alize(argv, folder)
        behaved(run)
        if run.status:
            assert contents(folder) == before


ADAPTER_CONFIG: Final = {
    "allow": ["memory"],
    "deny": ["broken"],
    "strict": False,
    "roles": {"crm": "memory", "accounting": "memory"},
    "options": {"memory": {"url": "http://127.0.0.1", "password_env": "ALIZE_MEMORY_PASSWORD"}},
}


@given(mutated(ADAPTER_CONFIG))
def test_a_damaged_adapter_configuration_is_refused_by_path(document: object) -> None:
    """``alize adapters list --config``'s document with junk in it: read, or refused naming the path."""
    from alize_adapters.host import AdapterConfig

    text = json.dumps(document)
    outcome = attempt(lambda: AdapterConfig.from_mapping(parse_json(text)))
    if isinstance(outcome, AdapterConfig):
        attempt(lambda: outcome.with_environment({"ALIZE_ADAPTERS_STRICT": "1"}))


# -- what the fuzzing found, kept as examples ------------------------------------------------


def test_a_backup_into_a_missing_folder_is_refused_and_leaves_nothing(sandbox: Path) -> None:
    """``alize backup`` to a folder that does not exist: one line naming the destination."""
    with copied(sandbox) as folder:
        run = run_alize(["backup", "missing-folder/copy.db"], folder)
    assert run.status == 1
    assert run.err.startswith(
        "alize: error: destination: 'missing-folder/copy.db' cannot be written"
    )


def test_a_restore_into_a_missing_folder_is_refused_and_leaves_nothing(sandbox: Path) -> None:
    """``alize restore`` into a register whose folder does not exist: one line naming it."""
    with copied(sandbox) as folder:
        run = run_alize(["restore", "alize.db", "--db", "missing-folder/x.db"], folder)
        assert not (folder / "missing-folder").exists()
    assert run.status == 1
    assert run.err.startswith("alize: error: db: 'missing-folder/x.db' cannot be written")


def test_a_journal_left_half_read_after_its_store_closed_says_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader of the journal dropped after the store was closed prints no SQLite complaint."""
    import gc
    import sys

    complaints: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", complaints.append)
    write_store(tmp_path / "alize.db", [e.row() for e in STORY.events])
    store = SqliteStore(tmp_path / "alize.db", create=False)
    reader = store.read()
    next(reader)
    store.close()
    del reader
    gc.collect()
    assert complaints == []


def test_an_outbox_that_is_not_sqlite_is_one_line(sandbox: Path) -> None:
    """``alize adapters outbox`` on a file that is not a database names the store."""
    with copied(sandbox) as folder:
        run = run_alize(["adapters", "outbox", "--store", "junk.db"], folder)
    assert run.status == 1
    assert (
        run.err
        == "alize: error: store: 'junk.db' is not an outbox store (file is not a database)\n"
    )


def test_an_empty_key_is_named_as_empty_quotes() -> None:
    """A document with an empty key is refused naming it "" rather than nothing."""
    from alize_adapters.host import AdapterConfig

    with pytest.raises(AlizeError) as caught:
        AdapterConfig.from_mapping({"": None})
    assert str(caught.value) == '"": is not a field alize knows here'


def test_a_fec_named_with_a_closing_date_in_the_year_1_is_a_finding() -> None:
    """A FEC whose name closes on 31 January of the year 1 gets a finding on its name, not a crash."""
    result = check_fec(io.BytesIO(FEC), name=f"{SIREN}FEC00010131.txt")
    assert any("ne peut pas clore un exercice" in f.message for f in result.findings)


def test_a_fiscal_year_may_close_in_the_year_9999() -> None:
    """The last fiscal year the calendar holds is accepted; one closing in the year 1 is refused by name."""
    assert FiscalYear(date(9999, 1, 1), date(9999, 12, 31)).end == date(9999, 12, 31)
    with pytest.raises(AlizeError) as caught:
        FiscalYear.ending(date(1, 1, 31))
    refused_properly(caught.value)


def test_an_entry_number_too_long_to_read_is_a_finding() -> None:
    """An EcritureNum of 5,000 digits is reported on its line, not a crash."""
    lines = FEC.decode().split("\n")
    fields = lines[1].split("\t")
    fields[2] = "EC" + "9" * 5000
    lines[1] = "\t".join(fields)
    result = check_fec(io.BytesIO("\n".join(lines).encode()), name=FEC_NAME)
    assert any(f.line == 2 and "5000 chiffres" in f.message for f in result.findings)


def test_a_cell_too_large_for_csv_is_a_problem_of_its_line() -> None:
    """A spreadsheet cell of 200,000 characters stops the import with a problem naming its line."""
    table = TABLES["partenaires"]
    header = ";".join(table.headers)
    data = f"{header}\r\nA;Aciéries;;non\r\nB;{'x' * 200_000};;non\r\n".encode()
    result = spreadsheets.import_table(table, io.BytesIO(data))
    assert [r.id for r in result.records] == ["A"]  # type: ignore[attr-defined]
    assert str(result.problems[0]).startswith("line 3: cannot be read as CSV")


def test_a_sirene_year_in_superscript_digits_is_not_a_year() -> None:
    """« ²⁰²³ » passes str.isdigit() but is no year: the line is left out, named."""
    row = {**SIRENE_UNITS[0], "anneeEffectifsUniteLegale": "²⁰²³"}
    result = sirene.read_legal_units(io.StringIO(sirene_text(sirene.LEGAL_UNIT_COLUMNS, [row])))
    assert [str(p) for p in result.problems] == [
        "line 2, column anneeEffectifsUniteLegale: '²⁰²³' is not a year"
    ]


def test_a_sirene_line_too_large_for_csv_is_left_out_named() -> None:
    """A SIRENE line with a 200,000-character field ends the read with a problem on its line."""
    row = {**SIRENE_UNITS[0], "denominationUniteLegale": "x" * 200_000}
    text = sirene_text(sirene.LEGAL_UNIT_COLUMNS, [SIRENE_UNITS[0], row])
    result = sirene.read_legal_units(io.StringIO(text))
    assert len(result.records) == 1
    assert str(result.problems[0]).startswith(
        "line 3, column (the whole line): cannot be read as CSV"
    )


def test_a_sirene_file_that_is_not_utf8_is_one_line(tmp_path: Path) -> None:
    """``alize import sirene`` on a Latin-1 file names the file, as SIRENE files are UTF-8."""
    (tmp_path / "units.csv").write_bytes(UNITS_CSV.replace("USINAGE", "USINÉ").encode("latin-1"))
    run = run_alize(["import", "sirene", "units.csv"], tmp_path)
    assert run.status == 1
    assert run.err.startswith("alize: error: units.csv: is not UTF-8 text")


def test_a_forged_amount_in_a_stored_event_is_malformed_input_when_read() -> None:
    """An SME's turnover forged as « 12,50 » in a stored event: the register's views refuse it by name."""
    journal = copy.deepcopy(RECORDS)
    forged = next(record for record in journal if record[0] == "sme_registered")
    forged[4]["sme"]["turnover"] = "12,50"
    register = replay(seal_rows(journal, version=0, head=GENESIS))

    with pytest.raises(AlizeError) as caught:
        _ = register.smes
    refused_properly(caught.value)
    assert caught.value.field == "register"
