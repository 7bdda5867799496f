"""
Benchmark: the register's journal through the embedded SQLite store, at a million events.

Builds a territory's journal of N events (default 1,000,000): the set-up, then 10,000
projects identified, validated, voted on in monthly sessions, signed and paid out over a
year, then each advance's monthly repayments (one SME in fifty stops paying after a
year) until the journal holds N events. It measures, and prints with the machine:

- **append**: sealing the events (a JSON document each, SHA-256 chain) and appending them in
  batches of 10,000 through :class:`alize_adapters.storage.sqlite.SqliteStore` (one transaction
  per batch, the store re-checking the chain); peer: a bare ``executemany`` of the same
  rows into a table of the same shape;
- **replay**: reading every row, verifying the chain, decoding the JSON and folding the
  register (:func:`alize_core.register.storage.load` without a snapshot); peer: reading, hashing
  and ``json.loads`` of every body without folding;
- **snapshot**: the register at a recent version rebuilt from a snapshot plus the events
  after it (:func:`alize_core.register.storage.load`), against the full replay;
- **revaluation**: every advance of the portfolio at a date (schedule, arrears, bucket)
  and the fund's position (:meth:`alize_core.register.views.Register.portfolio`); peer:
  :mod:`alize_core.lending.servicing` replaying each advance's payments, on a sample.

Goals (issue 5): append and replay at 50,000 events/s or more, revaluation of a
10,000-advance portfolio under 2 s, and a recent register rebuilt from a snapshot.

With ``--db postgresql://…`` it also appends the same journal to a new territory of that
PostgreSQL database (:class:`alize_adapters.storage.postgres.PostgresStore`) and replays it
from there, and prints those figures beside SQLite's (issue 15's goals: append ≥ 20,000
and replay ≥ 50,000 events/s).

Run: ``python benchmarks/bench_register.py [N] [FILE] [--db URL]`` (the file defaults to
a temporary one, removed afterwards).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import platform
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from dateutil.relativedelta import relativedelta
from stdnum import luhn

from alize_adapters.storage import PostgresStore, SqliteStore, shown_url
from alize_core.commands import loan_account
from alize_core.journal import (
    GENESIS,
    ConventionSigned,
    PartnerAdmitted,
    PersonEnrolled,
    TerritoryProposed,
    decode,
    seal_rows,
)
from alize_core.kernel import unstructure
from alize_core.parties import LocalOperator, PartnerCompany, PublicBody, PublicBodyKind, Territory
from alize_core.parties.model import PersonRole
from alize_core.programme import PartnerCommitment, TriennialConvention
from alize_core.register.replay import replay
from alize_core.register.storage import load, snapshot_of


ADVANCES: Final = 10_000
AMOUNT: Final = "12000.00"
INSTALMENT: Final = "100.00"
INSTALMENTS: Final = 120
BATCH: Final = 10_000
START: Final = date(2026, 1, 1)
OPERATOR: Final = "OP1"
VOTERS: Final = ("R1", "R2", "R3")
PARTNERS: Final = ("ACIER", "ENERG", "TRANS", "BANQ")
GOAL_RATE: Final = 50_000
GOAL_REVALUE: Final = 2.0
GOAL_POSTGRES_APPEND: Final = 20_000

Record = tuple[str, str, str, list[str], dict[str, Any]]


def machine() -> str:
    """The machine the figures were measured on."""
    model = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{platform.system()} {platform.release()} ({platform.machine()}), {model},"
        f" {os.cpu_count()} CPU(s); Python {platform.python_version()}; SQLite"
        f" {sqlite3.sqlite_version}"
    )


def _typed(kind: str, on: str, actor: str, rules: list[str], payload: object) -> Record:
    return (kind, on, actor, rules, unstructure(payload))


def setup() -> Iterator[Record]:
    """The territory proposed and validated, its partners, people and conventions."""
    on = "2025-12-01"
    yield _typed(
        "territory_proposed",
        on,
        OPERATOR,
        ["NAT-01", "PIL-01"],
        TerritoryProposed(
            Territory("MEUSE", "Vallée de la Meuse", departements=["55"]),
            LocalOperator("CCI55", "CCI Meuse"),
            PublicBody("PREF55", "Préfecture de la Meuse", PublicBodyKind.PREFECTURE),
            "CN",
            "PREFET",
        ),
    )
    yield ("territory_validated", on, "CN", ["NAT-01"], {})
    for partner in PARTNERS:
        yield _typed(
            "partner_admitted",
            on,
            OPERATOR,
            ["OP-02"],
            PartnerAdmitted(PartnerCompany(partner, partner)),
        )
    for voter, partner in zip(VOTERS, PARTNERS, strict=False):
        enrolled = PersonEnrolled(voter, PersonRole.COMPANY_REPRESENTATIVE, partner)
        yield _typed("person_enrolled", on, OPERATOR, ["GOV-02"], enrolled)
    for start in (2026, 2029, 2032, 2035):
        commitments = tuple(PartnerCommitment(p, Decimal("1000000.00"), 10) for p in PARTNERS)
        convention = TriennialConvention(f"CT-{start}", date(start, 1, 1), commitments)
        yield _typed("convention_signed", on, OPERATOR, ["CONV-01"], ConventionSigned(convention))


def _siren(number: int) -> str:
    body = f"{55_000_000 + number:08d}"
    return body + luhn.calc_check_digit(body)


def lifecycle(month: int, projects: range) -> Iterator[Record]:
    """A month's new projects: SME, project, file, session and votes, agreement, payment."""
    first = START + relativedelta(months=month)
    day = first.isoformat()
    for partner in PARTNERS:
        amount = f"{len(projects) * 12_000 // len(PARTNERS) + 1000}.00"
        yield (
            "contribution_received",
            day,
            OPERATOR,
            ["FUND-01"],
            {"partner": partner, "amount": amount},
        )
    for number in projects:
        siren = _siren(number)
        project = f"P{number:05d}"
        yield (
            "sme_registered",
            day,
            OPERATOR,
            ["OP-02"],
            {
                "sme": {
                    "siren": siren,
                    "name": f"PME {number}",
                    "creation_date": "2015-01-01",
                    "staff": 20,
                    "turnover": "2000000",
                    "balance_sheet": "900000",
                    "commune": "55029",
                    "siret": None,
                },
            },
        )
        yield (
            "project_identified",
            day,
            OPERATOR,
            ["OP-03"],
            {
                "project": {
                    "id": project,
                    "sme": siren,
                    "title": "Développement",
                    "jobs_created": 2,
                    "jobs_kept": 10,
                    "adaptation": False,
                },
            },
        )
        yield ("file_validated", day, OPERATOR, ["OP-03", "ELIG-01"], {"project": project})
    session = f"S{month:03d}"
    sitting = (first + relativedelta(days=11)).isoformat()
    agenda: list[dict[str, object]] = [
        {
            "project": f"P{n:05d}",
            "advance": AMOUNT,
            "subsidised_loan": "0.00",
            "lender": None,
            "mentor_days": 0,
            "conflicted": [],
        }
        for n in projects
    ]
    yield (
        "session_convened",
        day,
        OPERATOR,
        ["OP-02"],
        {"session": session, "session_date": sitting, "agenda": agenda},
    )
    yield (
        "session_opened",
        sitting,
        OPERATOR,
        ["OP-02"],
        {"session": session, "attendees": [OPERATOR, *VOTERS], "president": "R1", "presenters": []},
    )
    for number in projects:
        for voter in VOTERS:
            yield (
                "vote_cast",
                sitting,
                voter,
                ["GOV-02"],
                {"session": session, "project": f"P{number:05d}", "ballot": "for"},
            )
    decisions = [
        {
            "project": f"P{n:05d}",
            "outcome": "adopted",
            "present": 3,
            "votes_for": 3,
            "votes_against": 0,
            "abstentions": 0,
            "required": 2,
        }
        for n in projects
    ]
    yield (
        "session_closed",
        sitting,
        OPERATOR,
        ["GOV-01"],
        {"session": session, "valid": True, "decisions": decisions},
    )
    paid = (first + relativedelta(days=20)).isoformat()
    for number in projects:
        yield (
            "agreement_signed",
            paid,
            OPERATOR,
            ["CONV-02"],
            {"project": f"P{number:05d}", "agreement": f"CC{number}"},
        )
        yield (
            "advance_disbursed",
            paid,
            OPERATOR,
            ["OP-01"],
            {
                "project": f"P{number:05d}",
                "amount": AMOUNT,
                "instalments": INSTALMENTS,
                "frequency": "monthly",
                "deferral": 0,
            },
        )


def journal(size: int) -> Iterator[Record]:
    """The whole journal, in date order, cut at ``size`` events."""

    def unbounded() -> Iterator[Record]:
        yield from setup()
        per_month = ADVANCES // 12
        month = 0
        while True:
            started = range(min(month, 12) * per_month)
            if month < 12:
                yield from lifecycle(month, range(month * per_month, (month + 1) * per_month))
            due = (START + relativedelta(months=month, day=28)).isoformat()
            for number in started:
                stopped = number % 50 == 0 and month > 12 + number // per_month
                if not stopped:
                    yield (
                        "repayment_received",
                        due,
                        OPERATOR,
                        ["FUND-02"],
                        {"project": f"P{number:05d}", "amount": INSTALMENT},
                    )
            month += 1

    return itertools.islice(unbounded(), size)


class Clock:
    """Wall time and this process's CPU time: the machine may be shared."""

    def __init__(self) -> None:
        self.wall = self.cpu = 0.0

    def __enter__(self) -> Clock:
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall += time.perf_counter() - self._wall
        self.cpu += time.process_time() - self._cpu

    def rate(self, count: int) -> str:
        """Events per second, wall and CPU."""
        return f"{count / self.wall:,.0f} events/s (CPU time: {count / self.cpu:,.0f}/s)"

    def met(self, count: int, goal: float) -> str:
        """Whether the goal is met on the wall clock, and on CPU time."""
        wall = "met" if count / self.wall >= goal else "NOT met"
        cpu = "met" if count / self.cpu >= goal else "NOT met"
        return f"{wall} (CPU time: {cpu})"


def rate(count: int, seconds: float) -> str:
    """Events per second."""
    return f"{count / seconds:,.0f} events/s"


def bench_append(store: SqliteStore | PostgresStore, size: int) -> Clock:
    """Seal and append the journal in batches of 10,000; return the time it took."""
    records = journal(size)
    version, head = 0, GENESIS
    clock = Clock()
    while batch := list(itertools.islice(records, BATCH)):
        with clock:
            version = store.append(
                seal_rows(batch, version=version, head=head), expected_version=version
            )
        head = store.head()[1]
    return clock


def bench_peer_insert(store: SqliteStore) -> float:
    """The peer of append: the same rows, already sealed, inserted by a bare executemany."""
    rows = list(store.read())
    folder = Path(tempfile.mkdtemp())
    peer = sqlite3.connect(folder / "peer.db", isolation_level=None)
    peer.execute("PRAGMA journal_mode = WAL")
    peer.execute("PRAGMA synchronous = FULL")
    peer.execute(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, body BLOB NOT NULL, digest BLOB NOT NULL)"
    )
    began = time.perf_counter()
    for start in range(0, len(rows), BATCH):
        peer.execute("BEGIN IMMEDIATE")
        peer.executemany("INSERT INTO events VALUES (?, ?, ?)", rows[start : start + BATCH])
        peer.execute("COMMIT")
    seconds = time.perf_counter() - began
    peer.close()
    for leftover in folder.iterdir():
        leftover.unlink()
    folder.rmdir()
    return seconds


def bench_peer_read(store: SqliteStore, *, parse: bool) -> float:
    """The peers of replay: read every row and verify its digest; optionally json.loads its body."""
    began = time.perf_counter()
    previous = GENESIS
    sha256 = hashlib.sha256
    loads = json.loads
    for _, body, digest in store.read():
        if sha256(previous + body).digest() != digest:
            raise AssertionError("broken chain")
        if parse:
            loads(body)
        previous = digest
    return time.perf_counter() - began


def bench_postgres(url: str | None, size: int, sqlite_append: Clock, sqlite_replay: Clock) -> None:
    """The same journal appended to, then replayed from, a new territory of a PostgreSQL database."""
    if url is None:
        return
    territory = f"BENCH-{os.getpid()}-{time.time_ns()}"
    with PostgresStore(url, territory=territory) as store:
        appended = bench_append(store, size)
        stored = store.version()
        with Clock() as replayed:
            register = load(store)
    print(
        f"PostgreSQL ({shown_url(url)}, territory {territory}): append {appended.rate(stored)}"
        f" (SQLite/PostgreSQL time ratio {sqlite_append.wall / appended.wall:.2f});"
        f" goal ≥ {GOAL_POSTGRES_APPEND:,}/s: {appended.met(stored, GOAL_POSTGRES_APPEND)};"
        f" replay {replayed.rate(stored)} (ratio {sqlite_replay.wall / replayed.wall:.2f});"
        f" goal ≥ {GOAL_RATE:,}/s: {replayed.met(stored, GOAL_RATE)};"
        f" {'same' if register.version == stored else 'DIFFERENT'} register version"
    )


def _arguments(argv: list[str]) -> tuple[int, Path | None, str | None]:
    """The journal's size, the SQLite file (``None``: a temporary one) and the ``--db`` URL."""
    url = None
    if "--db" in argv:
        where = argv.index("--db")
        argv, url = argv[:where] + argv[where + 2 :], argv[where + 1]
    size = int(argv[1]) if len(argv) > 1 else 1_000_000
    return size, Path(argv[2]) if len(argv) > 2 else None, url


def main(argv: list[str]) -> int:
    """Run the benchmark and print its figures."""
    size, given, url = _arguments(argv)
    folder = Path(tempfile.mkdtemp())
    path = given or folder / "bench.db"
    print(f"alize register benchmark: {size:,} events, {ADVANCES:,} advances")
    print(f"machine: {machine()}")
    print(f"load average before: {os.getloadavg()[0]:.1f} (the machine may be shared)")
    with SqliteStore(path) as store:
        appended = bench_append(store, size)
        stored = store.version()
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        peer_append = bench_peer_insert(store)
        print(f"file: {path.name}, {path.stat().st_size / 2**20:,.0f} MiB")
        print(
            f"append (seal + chain + insert, batches of {BATCH:,}): {appended.rate(stored)};"
            f" peer, the same rows already sealed, bare executemany: {rate(stored, peer_append)};"
            f" ratio {appended.wall / peer_append:.2f}; goal ≥ {GOAL_RATE:,}/s:"
            f" {appended.met(stored, GOAL_RATE)}"
        )

        with Clock() as replayed:
            register = load(store)
        floor = bench_peer_read(store, parse=False)
        parsed = bench_peer_read(store, parse=True)
        print(
            f"replay (read + verify + decode + fold): {replayed.rate(stored)}; peers: read +"
            f" sha256 {rate(stored, floor)} (ratio {replayed.wall / floor:.2f}), read + sha256 +"
            f" json.loads of each body {rate(stored, parsed)} (ratio"
            f" {replayed.wall / parsed:.2f}); goal ≥ {GOAL_RATE:,}/s: {replayed.met(stored, GOAL_RATE)}"
        )
        problems = register.problems
        if problems or register.version != stored:
            print(f"  WARNING: {len(problems)} problem(s) in the generated journal: {problems[:3]}")
        samples = [row for row in store.read() if row[0] % 99_991 == 1]
        previous_digests = {
            row[0] + 1: row[2] for row in store.read() if (row[0] + 1) % 99_991 == 1
        }
        for row in samples:
            decode(row, previous_digests.get(row[0], GENESIS))

        recent = stored - BATCH
        began = time.perf_counter()
        halfway = replay(itertools.islice(store.read(), recent))
        snapshot = snapshot_of(halfway)
        store.save_snapshot(snapshot)
        saved = time.perf_counter() - began
        with Clock() as from_snapshot:
            rebuilt = load(store)
        same = rebuilt == register
        print(
            f"snapshot at event {recent:,} ({len(snapshot.data) / 2**20:,.1f} MiB, built and saved"
            f" in {saved:.1f} s): register rebuilt from it plus {stored - recent:,} events in"
            f" {from_snapshot.wall:.2f} s (CPU {from_snapshot.cpu:.2f} s) vs {replayed.wall:.2f} s"
            f" from the first event ({replayed.wall / from_snapshot.wall:.1f}× faster;"
            f" {'same register' if same else 'DIFFERENT'})"
        )

        on = (register.as_of or START) + relativedelta(days=10)
        with Clock() as clock:
            portfolio = register.portfolio(on)
        revalued = clock.wall
        sample = [a.project for a in portfolio.advances[:: len(portfolio.advances) // 100]]
        began = time.perf_counter()
        for project in sample:
            loan_account(register, project).arrears(on=on)
        servicing = (time.perf_counter() - began) / len(sample) * len(portfolio.advances)
        late = sum(
            count for bucket, (count, _) in portfolio.by_bucket().items() if bucket.value != "0"
        )
        print(
            f"revaluation of {len(portfolio.advances):,} advances on {on.isoformat()}:"
            f" {revalued:.2f} s ({late:,} late, arrears {portfolio.arrears:,} €, cash"
            f" {portfolio.position.cash:,} €; CPU {clock.cpu:.2f} s); peer servicing per advance (sampled):"
            f" {servicing:.1f} s; ratio {revalued / servicing:.3f}; goal < {GOAL_REVALUE} s:"
            f" {'met' if revalued < GOAL_REVALUE else 'NOT met'}"
        )
        bench_postgres(url, size, appended, replayed)
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    if given is None:
        for leftover in folder.iterdir():
            leftover.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
