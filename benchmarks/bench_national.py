"""
Benchmark: the national programme at scale (*le programme national*), stored, replayed and reported.

Generates, from a seed, a synthetic programme of 100 territories (the full size) with 1,000
repayable advances each over ten years (2016–2025): every territory is proposed and
validated (NAT-01), signs four triennial conventions (CONV-01), calls and receives its
partners' contributions every year (FUND-01), holds a committee session every month where
the company representatives vote on about nine projects, most adopted and a few rejected
(GOV-01), signs the agreements and pays the advances out (CONV-02, OP-01), each repaid
monthly over 24 to 60 instalments after an optional deferral (SCH-02, SCH-04). Most SMEs
pay on time; one in ten pays some instalments one or two months late (arrears, SCH-06);
one in twenty stops paying, is declared in default after 90 days, written off six months
later, and some of those repay part of the loss a year after (FUND-02). One adopted
project in five gets a mentor, with meetings and time logged (ACC-02, ACC-04, GOV-08).

Repayments are journaled the way an operator receives them: one ``statement_received``
event per territory and month, the fund account's bank statement, listing each instalment
paid (project and amount) and the closing balance, which the register checks against its
own cash (FUND-05). The register therefore knows each instalment's payment.

Each territory's journal is sealed (hash chain) and stored in its own SQLite file through
:class:`alize_adapters.storage.sqlite.SqliteStore`, replayed once from that file through a
:class:`alize_core.reporting.history.History` (which verifies the chain, notes the fund at each
month's end and keeps the register at each year's end as it passes them) and checked: no
problem, the fund balances, every instalment generated is known to the register. Then
every yearly report is produced from that one replay (the journal is not replayed again
for any report): for each year the call for funds with
the year before's activity report annexed (PIL-04, GOV-09, PIL-03) and the network
contribution (NAT-02) from that report; the reports' repayments and payments out must add
up to the register's. Last, the national consolidation (NAT-03) of each year and of the
ten years, which must add up.

Territories are independent registers, so they are spread over worker processes, one per
core by default (``--jobs``). Each phase's time is the CPU time its workers spent; the
wall time is the whole size's. Peak memory is ``ru_maxrss`` of the parent plus that of
each worker (an upper bound: pages shared after the fork count twice); ``tracemalloc``
measures the Python heap of one territory in a separate run.

It prints the time of each phase and the peak memory at 1/4, 1/2 and full size (25, 50
and 100 territories, each size run in a fresh process so that their peaks are separate),
the cost per advance at each size (a linear cost gives the same figure), the machine
(with its load average: on a shared machine the wall time is the CPU time's multiple),
and a ratio against a named peer measured in the same run on the same journal:
**a naive stdlib journal**, one ``json.dumps`` row per event and per instalment inserted
into a plain ``sqlite3`` table in one transaction, then read back with ``json.loads`` and
summed per advance (no hash chain, no validation, no register, no report); the ratio is
alize's sealing, storing and replaying over the peer's writing and reading.

Goals (issue 9): full size in under 120 s and under 2 GB on a 2-core machine, the cost
linear in size.

With ``--db postgresql://…`` each size also stores every territory in that one PostgreSQL
database (:class:`alize_adapters.storage.postgres.PostgresStore`, one territory key each)
and replays it from there, and prints those times beside SQLite's (goal at full size:
under 180 s); each territory's head digest must be the same in both.

Run: ``python benchmarks/bench_national.py`` (all three sizes), or
``python benchmarks/bench_national.py --scale 0.25`` for one size; ``--seed``,
``--territories`` and ``--advances`` change the programme, ``--jobs`` the processes;
``--keep DIR`` keeps the territories' SQLite files.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import multiprocessing
import os
import platform
import random
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from stdnum import luhn

from alize_adapters.storage import PostgresStore, SqliteStore, shown_url
from alize_core.journal.chain import seal_rows
from alize_core.journal.codec import GENESIS
from alize_core.kernel import from_cents
from alize_core.lending import LoanTerms, build_schedule
from alize_core.reporting import (
    NationalConsolidation,
    NetworkContributionTerms,
    TerritoryResults,
    add_figures,
    consolidate,
    network_contribution,
)
from alize_core.reporting.activity import call_for_funds
from alize_core.reporting.history import History


FIRST_YEAR: Final = 2016
YEARS: Final = 10
MONTHS: Final = YEARS * 12
SETUP_DAY: Final = "2015-12-01"
PARTNERS: Final = (
    ("ACIER", "Aciéries de l'Est", 800_000_00),
    ("ENERG", "Énergies du Nord", 700_000_00),
    ("TRANS", "Transports Réunis", 500_000_00),
    ("BANQ", "Banque Régionale", 400_000_00),
)
"""Each partner's id, name and yearly financial commitment (in cents)."""
VOTERS: Final = (("R1", "ACIER"), ("R2", "ENERG"), ("R3", "TRANS"))
MENTORS: Final = (
    ("M1", "ACIER", "executive"),
    ("M2", "ENERG", "technician"),
    ("M3", "TRANS", "executive"),
    ("M4", "BANQ", "technician"),
)
OPERATOR: Final = "OP"
NATIONAL_COMMITTEE: Final = "CN"
STATE_CHAIR: Final = "PREFET"
DEPARTEMENTS: Final = tuple(f"{n:02d}" for n in range(1, 96) if n != 20)

Record = tuple[str, str, str, list[str], dict[str, Any]]


def month_end(month: int) -> date:
    """The last day of month ``month`` of the programme (0 is January 2016)."""
    year, index = divmod(month + 1, 12)
    return date(FIRST_YEAR + year, index + 1, 1) - timedelta(days=1)


def month_day(month: int, day: int) -> str:
    """A day of a month of the programme, as ISO text."""
    year, index = divmod(month, 12)
    return date(FIRST_YEAR + year, index + 1, day).isoformat()


def month_of(on: date) -> int:
    """The programme's month a date falls in."""
    return (on.year - FIRST_YEAR) * 12 + on.month - 1


def siren(number: int) -> str:
    """A valid SIREN (Luhn) built from a number."""
    body = f"{number:08d}"
    return body + luhn.calc_check_digit(body)


def euros(cents: int) -> str:
    """Cents as the journal writes amounts (``"1234.50"``)."""
    return f"{cents // 100}.{cents % 100:02d}"


class Territory:
    """
    One synthetic territory's journal, generated from its own random stream.

    Attributes:
        index: The territory's number.
        advances: How many advances it pays out over the ten years.
        instalments: How many instalments its SMEs paid (the statement lines).
        defaults: How many advances were declared in default.
    """

    def __init__(self, seed: int, index: int, advances: int) -> None:
        self.index = index
        self.id = f"T{index:03d}"
        self.random = random.Random(f"{seed}/{index}")
        self.advances = advances
        self.departement = DEPARTEMENTS[index % len(DEPARTEMENTS)]
        self.instalments = 0
        self.defaults = 0
        self._sequence = 0
        self._events: list[tuple[str, int, Record]] = []
        self._statements: dict[int, list[tuple[str, int]]] = {}

    def _add(
        self, on: str, kind: str, actor: str, rules: list[str], payload: dict[str, Any]
    ) -> None:
        self._sequence += 1
        self._events.append((on, self._sequence, (kind, on, actor, rules, payload)))

    def records(self) -> list[Record]:
        """The territory's journal in date order, in the journal's own form."""
        self._setup()
        per_month = [
            self.advances * (m + 1) // MONTHS - self.advances * m // MONTHS for m in range(MONTHS)
        ]
        number = 0
        for month in range(MONTHS):
            if month % 12 == 0:
                self._year(month)
            number = self._session(month, number, per_month[month])
        for month in range(MONTHS):
            self._add(
                month_end(month).isoformat(),
                "statement_received",
                OPERATOR,
                ["OP-01", "FUND-02", "FUND-05"],
                {
                    "statement": f"RB{month:03d}",
                    "lines": [
                        {"project": project, "amount": euros(cents)}
                        for project, cents in self._statements.get(month, [])
                    ],
                    "closing_balance": None,
                },
            )
        self._events.sort(key=lambda item: (item[0], item[1]))
        records = [record for _, _, record in self._events]
        self._balance(records)
        return records

    def _balance(self, records: list[Record]) -> None:
        """Fill each statement's closing balance: the fund's cash after it (FUND-05)."""
        cash = 0
        for kind, _, _, _, payload in records:
            if kind in {"contribution_received", "recovery_received"}:
                cash += _cents(payload["amount"])
            elif kind in {"advance_disbursed", "fee_paid"}:
                cash -= _cents(payload["amount"])
            elif kind == "statement_received":
                cash += sum(_cents(line["amount"]) for line in payload["lines"])
                payload["closing_balance"] = euros(cash)
                self.instalments += len(payload["lines"])

    def _setup(self) -> None:
        territory = {
            "id": self.id,
            "name": f"Territoire {self.index}",
            "communes": [],
            "departements": [self.departement],
        }
        self._add(
            SETUP_DAY,
            "territory_proposed",
            OPERATOR,
            ["NAT-01", "PIL-01"],
            {
                "territory": territory,
                "operator": {
                    "id": f"OPE{self.index}",
                    "name": f"CCI {self.index}",
                    "kind": "chamber_of_commerce",
                },
                "prefecture": {
                    "id": f"PREF{self.index}",
                    "name": f"Préfecture {self.departement}",
                    "kind": "prefecture",
                },
                "national_committee": NATIONAL_COMMITTEE,
                "state_chair": STATE_CHAIR,
            },
        )
        self._add(SETUP_DAY, "territory_validated", NATIONAL_COMMITTEE, ["NAT-01"], {})
        for partner, name, _ in PARTNERS:
            company = {"id": partner, "name": name, "siren": None, "grants_subsidised_loans": False}
            self._add(SETUP_DAY, "partner_admitted", OPERATOR, ["OP-02"], {"partner": company})
        for person, partner in VOTERS:
            self._add(
                SETUP_DAY,
                "person_enrolled",
                OPERATOR,
                ["GOV-02"],
                {
                    "person": person,
                    "role": "company_representative",
                    "organisation": partner,
                    "in_activity": True,
                    "category": None,
                },
            )
        for person, partner, category in MENTORS:
            self._add(
                SETUP_DAY,
                "person_enrolled",
                OPERATOR,
                ["ACC-01"],
                {
                    "person": person,
                    "role": "mentor",
                    "organisation": partner,
                    "in_activity": True,
                    "category": category,
                },
            )
        for start in range(FIRST_YEAR, FIRST_YEAR + YEARS, 3):
            convention = {
                "id": f"CT-{self.id}-{start}",
                "start": f"{start}-01-01",
                "commitments": [
                    {"partner": partner, "yearly_amount": euros(amount), "yearly_days": 20}
                    for partner, _, amount in PARTNERS
                ],
            }
            self._add(
                SETUP_DAY, "convention_signed", OPERATOR, ["CONV-01"], {"convention": convention}
            )

    def _year(self, month: int) -> None:
        year = FIRST_YEAR + month // 12
        for partner, _, amount in PARTNERS:
            called = {"partner": partner, "year": year, "amount": euros(amount)}
            self._add(
                month_day(month, 5), "contribution_called", OPERATOR, ["FUND-01", "PIL-04"], called
            )
            if partner == "BANQ":
                halves = (amount // 2, amount - amount // 2)
                for day, part in (
                    (month_day(month, 20), halves[0]),
                    (month_day(month + 6, 20), halves[1]),
                ):
                    self._add(
                        day,
                        "contribution_received",
                        OPERATOR,
                        ["FUND-01", "OP-01"],
                        {"partner": partner, "amount": euros(part)},
                    )
            else:
                received = {"partner": partner, "amount": euros(amount)}
                self._add(
                    month_day(month, 20),
                    "contribution_received",
                    OPERATOR,
                    ["FUND-01", "OP-01"],
                    received,
                )
        if month:
            self._add(
                month_day(month + 1, 15),
                "review_signed_off",
                STATE_CHAIR,
                ["PIL-01", "PIL-03"],
                {"year": year - 1},
            )
        fee = {
            "amount": euros(self.random.randrange(90_00, 250_00)),
            "label": "Frais de tenue du compte",
        }
        self._add(month_end(month + 11).isoformat(), "fee_paid", OPERATOR, ["FUND-05"], fee)

    def _session(self, month: int, number: int, adopted: int) -> int:
        rng = self.random
        rejected = sum(1 for _ in range(adopted) if rng.random() < 0.08)
        projects = []
        for _ in range(adopted + rejected):
            number += 1
            projects.append(number)
        order = rng.sample(range(len(projects)), len(projects))
        outcomes = ["adopted" if rank < adopted else "rejected" for rank in order]
        identified, validated, convened = (
            month_day(month, 2),
            month_day(month, 6),
            month_day(month, 8),
        )
        sitting = month_day(month, 15)
        agenda = []
        for project_number in projects:
            company = siren(self.index * 100_000 + project_number)
            project = f"P{self.index:03d}-{project_number:05d}"
            self._add(
                identified,
                "sme_registered",
                OPERATOR,
                ["OP-02"],
                {
                    "sme": {
                        "siren": company,
                        "name": f"PME {project_number} du territoire {self.index}",
                        "creation_date": f"{rng.randrange(1980, 2012)}-0{rng.randrange(1, 10)}-1{rng.randrange(0, 10)}",
                        "staff": rng.randrange(5, 240),
                        "turnover": f"{rng.randrange(500, 40_000) * 1000}",
                        "balance_sheet": f"{rng.randrange(200, 30_000) * 1000}",
                        "commune": f"{self.departement}{rng.randrange(1, 600):03d}",
                        "siret": None,
                    }
                },
            )
            self._add(
                identified,
                "project_identified",
                OPERATOR,
                ["OP-03"],
                {
                    "project": {
                        "id": project,
                        "sme": company,
                        "title": "Projet de développement",
                        "jobs_created": rng.randrange(0, 12),
                        "jobs_kept": rng.randrange(2, 40),
                        "adaptation": rng.random() < 0.1,
                    }
                },
            )
            self._add(
                validated, "file_validated", OPERATOR, ["OP-03", "ELIG-01"], {"project": project}
            )
            agenda.append(
                {
                    "project": project,
                    "advance": euros(rng.randrange(10, 81) * 500_00),
                    "subsidised_loan": "0.00",
                    "lender": None,
                    "mentor_days": rng.choice((0, 0, 0, 4, 6)),
                    "conflicted": [],
                }
            )
        session = f"S{month:03d}"
        self._add(
            convened,
            "session_convened",
            OPERATOR,
            ["OP-02"],
            {"session": session, "session_date": sitting, "agenda": agenda},
        )
        attendees = [OPERATOR, *(voter for voter, _ in VOTERS)]
        self._add(
            sitting,
            "session_opened",
            OPERATOR,
            ["OP-02"],
            {"session": session, "attendees": attendees, "president": "R1", "presenters": []},
        )
        decisions = []
        for entry, outcome in zip(agenda, outcomes, strict=True):
            votes_for = rng.choice((2, 3, 3)) if outcome == "adopted" else rng.choice((0, 1))
            for rank, (voter, _) in enumerate(VOTERS):
                ballot = "for" if rank < votes_for else rng.choice(("against", "abstain"))
                self._add(
                    sitting,
                    "vote_cast",
                    voter,
                    ["GOV-02"],
                    {"session": session, "project": entry["project"], "ballot": ballot},
                )
            against = 3 - votes_for
            decisions.append(
                {
                    "project": entry["project"],
                    "outcome": outcome,
                    "present": 3,
                    "votes_for": votes_for,
                    "votes_against": against,
                    "abstentions": 0,
                    "required": 2,
                }
            )
        self._add(
            sitting,
            "session_closed",
            OPERATOR,
            ["GOV-01"],
            {"session": session, "valid": True, "decisions": decisions},
        )
        for entry, outcome in zip(agenda, outcomes, strict=True):
            if outcome == "adopted":
                self._advance(month, entry)
        return number

    def _advance(self, month: int, entry: dict[str, Any]) -> None:
        rng = self.random
        project = entry["project"]
        paid_out = date.fromisoformat(month_day(month, 22))
        self._add(
            paid_out.isoformat(),
            "agreement_signed",
            OPERATOR,
            ["CONV-02", "OP-02"],
            {"project": project, "agreement": f"CC-{project}"},
        )
        instalments = rng.randrange(24, 61)
        deferral = rng.choice((0, 0, 0, 3, 6))
        amount = entry["advance"]
        disbursed = {
            "project": project,
            "amount": amount,
            "instalments": instalments,
            "frequency": "monthly",
            "deferral": deferral,
        }
        self._add(
            paid_out.isoformat(),
            "advance_disbursed",
            OPERATOR,
            ["OP-01", "CONV-02", "SCH-02"],
            disbursed,
        )
        schedule = build_schedule(
            LoanTerms(
                principal=Decimal(amount),
                start=paid_out,
                instalments=instalments,
                deferral=deferral,
            )
        )
        dues = [date.fromordinal(ordinal) for ordinal in schedule.due_ordinals]
        payments = schedule.payment_cents
        behaviour = rng.random()
        paid_month = -1
        last_paid = len(payments)
        if behaviour < 0.05:
            last_paid = rng.randrange(1, max(2, len(payments) - 2))
        for k in range(last_paid):
            delay = 0
            if 0.05 <= behaviour < 0.15 and rng.random() < 0.2:
                delay = rng.choice((1, 1, 2))
            paid_month = max(paid_month, month_of(dues[k]) + delay)
            if paid_month >= MONTHS:
                break
            self._statements.setdefault(paid_month, []).append((project, payments[k]))
        if last_paid < len(payments):
            self._default(
                project, dues[last_paid], payments[:last_paid], int(amount.replace(".", ""))
            )
        if entry["mentor_days"]:
            self._mission(month, project, entry["mentor_days"])

    def _default(self, project: str, unpaid_since: date, paid: list[int], disbursed: int) -> None:
        month = month_of(unpaid_since)
        while (month_end(month) - unpaid_since).days <= 90:
            month += 1
        if month >= MONTHS:
            return
        self.defaults += 1
        self._add(
            month_end(month).isoformat(),
            "advance_defaulted",
            OPERATOR,
            ["SCH-06"],
            {"project": project},
        )
        month += 6
        if month >= MONTHS:
            return
        lost = disbursed - sum(paid)
        self._add(
            month_end(month).isoformat(),
            "advance_written_off",
            OPERATOR,
            ["SCH-06", "FUND-02"],
            {"project": project, "amount": euros(lost)},
        )
        month += 12
        if month >= MONTHS or self.random.random() >= 0.4:
            return
        recovered = lost * self.random.randrange(10, 31) // 100
        self._add(
            month_day(month, 10),
            "recovery_received",
            OPERATOR,
            ["FUND-02", "SCH-06"],
            {"project": project, "amount": euros(recovered)},
        )

    def _mission(self, month: int, project: str, days: int) -> None:
        rng = self.random
        mentor, partner, category = rng.choice(MENTORS)
        mission = f"MI-{project}"
        granted = {
            "mission": {
                "id": mission,
                "project": project,
                "mentor": mentor,
                "partner": partner,
                "days_per_year": days,
                "problem": "Organisation de la production",
                "kind": "mission",
            }
        }
        self._add(
            month_day(month, 23),
            "mission_granted",
            OPERATOR,
            ["ACC-01", "ACC-02", "ACC-05"],
            granted,
        )
        for later in (1, 3, 6, 9):
            if month + later >= MONTHS:
                break
            on = month_day(month + later, 12)
            self._add(on, "meeting_logged", mentor, ["ACC-04"], {"mission": mission})
            logged = {
                "project": project,
                "days": rng.choice(("0.5", "1", "1.5")),
                "category": category,
            }
            self._add(on, "time_logged", mentor, ["GOV-08", "ACC-06"], logged)


def _cents(text: str) -> int:
    whole, _, fraction = text.partition(".")
    return int(whole) * 100 + int(fraction or 0)


# --- One territory, end to end (run in a worker process). ---

BATCH: Final = 5_000
PHASES: Final = ("generate", "store", "replay", "reports", "peer")


def terms(territory: str, year: int) -> NetworkContributionTerms:
    """The network contribution's formula set by the convention in force (NAT-02)."""
    start = FIRST_YEAR + (year - FIRST_YEAR) // 3 * 3
    return NetworkContributionTerms(
        f"CT-{territory}-{start}",
        fixed=Decimal("3000.00"),
        per_project=Decimal("150.00"),
        share_of_commitments=Decimal("0.005"),
    )


def store(path: Path, records: list[Record]) -> int:
    """Seal the journal (hash chain) and append it through the SQLite store, in batches."""
    with SqliteStore(path) as target:
        return append_all(target, records)


def append_all(target: SqliteStore | PostgresStore, records: list[Record]) -> int:
    """Seal the journal and append it to a store, in batches."""
    version, head = 0, GENESIS
    for first in range(0, len(records), BATCH):
        rows = list(seal_rows(records[first : first + BATCH], version=version, head=head))
        version = target.append(rows, expected_version=version)
        head = rows[-1][2]
    return version


def peer(path: Path, records: list[Record]) -> int:
    """
    The named peer: the same events and instalments journaled naively with the standard
    library (one ``json.dumps`` row per event, and per instalment instead of per bank
    statement, in one ``sqlite3`` transaction), then read back with ``json.loads`` and
    each advance's repayments summed. No chain, no validation, no register.
    """
    rows = []
    for kind, on, actor, _, payload in records:
        if kind == "statement_received":
            for line in payload["lines"]:
                rows.append((json.dumps({"kind": "repayment", "on": on, **line}),))
        else:
            rows.append((json.dumps({"kind": kind, "on": on, "actor": actor, **payload}),))
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.execute("CREATE TABLE journal (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
        with db:
            db.executemany("INSERT INTO journal (body) VALUES (?)", rows)
        repaid: dict[str, int] = {}
        for (body,) in db.execute("SELECT body FROM journal ORDER BY id"):
            event = json.loads(body)
            if event["kind"] == "repayment":
                repaid[event["project"]] = repaid.get(event["project"], 0) + _cents(event["amount"])
    return sum(repaid.values())


def territory_job(task: tuple[int, int, int, str, bool]) -> dict[str, Any]:
    """Generate, store, replay and report on one territory; return its figures and costs."""
    seed, index, advances, folder, keep = task
    clock: dict[str, float] = {}
    began = time.process_time()
    territory = Territory(seed, index, advances)
    records = territory.records()
    clock["generate"] = time.process_time() - began

    path = Path(folder) / f"{territory.id}.db"
    began = time.process_time()
    events = store(path, records)
    clock["store"] = time.process_time() - began

    # The journal replayed once from the store, its chain verified: the History notes
    # the fund at each month's end and keeps the register at each year's end as it
    # passes them, so the reports below read them instead of replaying again.
    began = time.process_time()
    with SqliteStore(path, create=False) as stored:
        history = History(stored.read())
    (register,) = history.registers_at([date(FIRST_YEAR + YEARS, 12, 31)])
    clock["replay"] = time.process_time() - began
    fund = register.fund
    paid = sum(len(a.payment_log) for a in register.advances.values())
    problems = [str(p) for p in register.problems[:3]]
    if register.version != events or paid != territory.instalments or not fund.balances:
        problems.append(
            f"register at {register.version} events, {paid} instalments known of"
            f" {territory.instalments}, fund balanced: {fund.balances}"
        )

    began = time.process_time()
    results = []
    due = Decimal(0)
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS + 1):
        call = call_for_funds(history, year)
        report = call.annex
        if report.year >= FIRST_YEAR:
            contribution = network_contribution(
                report, terms(territory.id, report.year), settings=register.settings
            )
            due += contribution.total
            results.append((report.year, TerritoryResults.from_report(report)))
    clock["reports"] = time.process_time() - began
    repaid = sum((r.figures.repaid for _, r in results), Decimal(0))
    disbursed = sum((r.figures.disbursed for _, r in results), Decimal(0))
    if (repaid, disbursed) != (fund.repaid, fund.disbursed):
        problems.append(f"the reports add up to {repaid} repaid, {disbursed} paid out")

    size = path.stat().st_size
    if not keep:
        path.unlink()
    return {
        "clock": clock,
        "events": events,
        "instalments": territory.instalments,
        "advances": len(register.advances),
        "defaults": territory.defaults,
        "results": results,
        "network_due": str(due),
        "problems": problems,
        "pid": os.getpid(),
        "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "bytes": size,
        "repaid": str(fund.repaid),
        "territory": territory.id,
        "head": register.head,
    }


def postgres_job(task: tuple[int, int, int, str, str]) -> dict[str, Any]:
    """
    One territory again (generated, not timed) in the shared PostgreSQL database: sealed and
    appended, then replayed from there through a History; the wall time of each, and its head.
    """
    seed, index, advances, url, run = task
    territory = Territory(seed, index, advances)
    records = territory.records()
    key = f"{territory.id}-{run}"
    began = time.perf_counter()
    with PostgresStore(url, territory=key) as target:
        events = append_all(target, records)
    stored = time.perf_counter() - began
    began = time.perf_counter()
    with PostgresStore(url, territory=key, create=False) as source:
        history = History(source.read())
    (register,) = history.registers_at([date(FIRST_YEAR + YEARS, 12, 31)])
    replayed = time.perf_counter() - began
    return {
        "territory": territory.id,
        "events": events,
        "store": stored,
        "replay": replayed,
        "head": register.head,
    }


def postgres_pass(args: argparse.Namespace, tasks: list[tuple[int, int, int, str, bool]]) -> None:
    """Every territory of the size into one PostgreSQL database (``--db``), and its figures."""
    if args.db is None:
        return
    run = f"{os.getpid()}-{time.time_ns()}"
    jobs = [(seed, index, advances, args.db, run) for seed, index, advances, _, _ in tasks]
    began = time.perf_counter()
    with multiprocessing.get_context("spawn").Pool(args.jobs) as pool:
        outcomes = list(pool.imap_unordered(postgres_job, jobs))
    wall = time.perf_counter() - began
    events = sum(o["events"] for o in outcomes)
    verdict = f"goal < {GOAL_POSTGRES_SECONDS} s at full size"
    if len(outcomes) >= args.territories:
        verdict += ": met" if wall < GOAL_POSTGRES_SECONDS else ": NOT met"
    print(
        f"  PostgreSQL ({shown_url(args.db)}, one database, {len(outcomes)} territories as"
        f" *-{run}): {events:,} events in {wall:.1f} s wall including generating them again"
        f" ({verdict}); summed over the workers,"
        f" seal and append {sum(o['store'] for o in outcomes):.1f} s"
        f" ({events / sum(o['store'] for o in outcomes):,.0f} events/s a worker), replay"
        f" {sum(o['replay'] for o in outcomes):.1f} s"
        f" ({events / sum(o['replay'] for o in outcomes):,.0f} events/s a worker)"
    )
    args.postgres_heads = {o["territory"]: o["head"] for o in outcomes}


def peer_job(task: tuple[int, int, int, str, bool]) -> dict[str, Any]:
    """The peer on one territory's journal, generated again (not timed): its CPU and its sum."""
    seed, index, advances, folder, _ = task
    territory = Territory(seed, index, advances)
    records = territory.records()
    path = Path(folder) / f"{territory.id}-peer.db"
    began = time.process_time()
    repaid = peer(path, records)
    seconds = time.process_time() - began
    path.unlink()
    return {"territory": territory.id, "peer": seconds, "repaid": str(from_cents(repaid))}


# --- One size, in this process (the driver starts a fresh one for each size). ---


def machine() -> str:
    """The CPU, its cores, the memory, the load and Python, as the figures were measured."""
    fields: dict[str, str] = {}
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            key, _, value = line.partition(":")
            fields.setdefault(key.strip(), value.strip())
    memory = ""
    with contextlib.suppress(OSError), open("/proc/meminfo", encoding="utf-8") as meminfo:
        memory = f", {int(meminfo.readline().split()[1]) / 2**20:.1f} GiB of memory"
    load = ", load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    return (
        f"{fields.get('model name', platform.processor() or '?')}, {os.cpu_count()} core(s)"
        f"{memory}{load}; {platform.python_implementation()} {platform.python_version()}"
        f" on {platform.system()} {platform.release()}; SQLite {sqlite3.sqlite_version}"
    )


def consolidations(outcomes: list[dict[str, Any]]) -> tuple[NationalConsolidation, ...]:
    """The national consolidation of each year (NAT-03), then of the ten years."""
    by_year: dict[int, list[TerritoryResults]] = {}
    for outcome in outcomes:
        for year, result in outcome["results"]:
            by_year.setdefault(year, []).append(result)
    yearly = tuple(
        consolidate(sorted(lines, key=lambda r: r.territory), period=str(year))
        for year, lines in sorted(by_year.items())
    )
    whole: dict[str, list[TerritoryResults]] = {}
    for lines in by_year.values():
        for line in lines:
            whole.setdefault(line.territory, []).append(line)
    total = consolidate(
        (
            TerritoryResults(key, lines[0].territory_name, add_figures(x.figures for x in lines))
            for key, lines in sorted(whole.items())
        ),
        period=f"{FIRST_YEAR}–{FIRST_YEAR + YEARS - 1}",
    )
    if add_figures(c.totals for c in yearly) != total.totals:
        raise AssertionError("the ten years do not add up to the sum of the years")
    return (*yearly, total)


def run_size(args: argparse.Namespace) -> dict[str, Any]:
    """Run one size; print its figures; return them."""
    count = max(1, round(args.territories * args.scale))
    folder = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="alize-national-"))
    folder.mkdir(parents=True, exist_ok=True)
    keep = bool(args.keep)
    tasks = [(args.seed, index, args.advances, str(folder), keep) for index in range(1, count + 1)]
    began = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(args.jobs) as pool:
        outcomes = list(pool.imap_unordered(territory_job, tasks))
        cpu = time.process_time()
        national = consolidations(outcomes)
        consolidating = time.process_time() - cpu
        wall = time.perf_counter() - began
        peers = {p["territory"]: p for p in pool.imap_unordered(peer_job, tasks)}
    for outcome in outcomes:
        outcome["clock"]["peer"] = peers[outcome["territory"]]["peer"]
        if peers[outcome["territory"]]["repaid"] != outcome["repaid"]:
            outcome["problems"].append(f"the peer sums {peers[outcome['territory']]['repaid']}")
    if not args.keep:
        shutil.rmtree(folder, ignore_errors=True)
    postgres_pass(args, tasks)
    for outcome in outcomes:
        heads = getattr(args, "postgres_heads", None)
        if heads is not None and heads[outcome["territory"]] != outcome["head"]:
            outcome["problems"].append(f"{outcome['territory']}: PostgreSQL's head differs")
    clock = {phase: sum(o["clock"][phase] for o in outcomes) for phase in PHASES}
    workers = {}
    for outcome in outcomes:
        workers[outcome["pid"]] = max(workers.get(outcome["pid"], 0), outcome["maxrss"])
    parent_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = parent_peak + sum(workers.values())
    advances = sum(o["advances"] for o in outcomes)
    figures = {
        "scale": args.scale,
        "territories": count,
        "advances": advances,
        "events": sum(o["events"] for o in outcomes),
        "instalments": sum(o["instalments"] for o in outcomes),
        "defaults": sum(o["defaults"] for o in outcomes),
        "stored_mib": sum(o["bytes"] for o in outcomes) / 2**20,
        "reports": sum(len(o["results"]) for o in outcomes),
        "network_due": str(sum(Decimal(o["network_due"]) for o in outcomes)),
        "wall": wall,
        "cpu": sum(clock[p] for p in PHASES if p != "peer") + consolidating,
        "consolidating": consolidating,
        "clock": clock,
        "peak_mib": peak / 1024,
        "workers_mib": [w / 1024 for w in workers.values()],
        "problems": [p for o in outcomes for p in o["problems"]],
        "jobs": args.jobs,
    }
    print_size(figures, national)
    return figures


def print_size(figures: dict[str, Any], national: tuple[NationalConsolidation, ...]) -> None:
    """The figures of one size, in words."""
    clock = figures["clock"]
    alize = clock["store"] + clock["replay"]
    print(
        f"{figures['territories']} territories x {figures['advances'] // figures['territories']:,}"
        f" advances ({figures['advances']:,} advances, {figures['events']:,} events of which"
        f" {12 * YEARS * figures['territories']:,} monthly bank statements listing"
        f" {figures['instalments']:,} instalments paid; {figures['defaults']:,} defaults;"
        f" {figures['stored_mib']:,.0f} MiB of SQLite)"
    )
    print(
        f"  wall {figures['wall']:.1f} s with {figures['jobs']} process(es); CPU"
        f" {figures['cpu']:.1f} s: generate {clock['generate']:.1f}, seal and store"
        f" {clock['store']:.1f}, replay {clock['replay']:.1f}, {figures['reports']:,} yearly"
        f" activity reports with their calls for funds and network contributions"
        f" {clock['reports']:.1f}, national consolidations {figures['consolidating']:.2f}"
    )
    print(
        f"  per advance: {figures['wall'] / figures['advances'] * 1000:.2f} ms wall,"
        f" {figures['cpu'] / figures['advances'] * 1000:.2f} ms CPU; peak memory"
        f" {figures['peak_mib']:,.0f} MiB (ru_maxrss of this process"
        + (
            " plus each worker's, an upper bound: forked pages are counted twice"
            if figures["workers_mib"]
            else ""
        )
        + ")"
    )
    print(
        f"  peer (naive stdlib journal: json.dumps row per event and per instalment, sqlite3"
        f" executemany, read back with json.loads): {clock['peer']:.1f} s CPU; alize store +"
        f" replay {alize:.1f} s CPU; ratio {alize / clock['peer']:.2f}"
    )
    total = national[-1]
    totals = total.totals
    print(
        f"  national consolidation {total.period}: {len(total.territories)} territories,"
        f" {totals.projects_adopted:,} projects adopted, {totals.jobs:,} jobs,"
        f" {totals.budget:,} EUR committed of which skills {totals.skills_value:,} EUR"
        f" ({total.skills_share} %); {len(national) - 1} yearly consolidations; network"
        f" contributions due {Decimal(figures['network_due']):,} EUR"
    )
    if figures["problems"]:
        print(f"  PROBLEMS: {figures['problems'][:5]}")


# --- One territory under tracemalloc (where the Python heap goes). ---


def trace_memory(args: argparse.Namespace) -> dict[str, Any]:
    """One territory end to end under tracemalloc: the peak of the Python heap."""
    folder = Path(tempfile.mkdtemp(prefix="alize-national-trace-"))
    tracemalloc.start()
    try:
        outcome = territory_job((args.seed, 1, args.advances, str(folder), False))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        shutil.rmtree(folder, ignore_errors=True)
    print(
        f"one territory ({outcome['events']:,} events, {outcome['instalments']:,} instalments)"
        f" under tracemalloc: Python heap peak {peak / 2**20:,.0f} MiB"
    )
    return {"traced_peak_mib": peak / 2**20}


# --- The driver: each size in a fresh process. ---

SIZES: Final = (0.25, 0.5, 1.0)
GOAL_SECONDS: Final = 120
GOAL_POSTGRES_SECONDS: Final = 180
GOAL_MIB: Final = 2048


def child(args: argparse.Namespace, *options: str) -> dict[str, Any]:
    """Run this script in a fresh process; echo its lines; return its figures."""
    command = [
        sys.executable,
        __file__,
        *options,
        "--json",
        "--seed",
        str(args.seed),
        "--territories",
        str(args.territories),
        "--advances",
        str(args.advances),
        "--jobs",
        str(args.jobs),
        *(("--db", args.db) if args.db else ()),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    lines = done.stdout.splitlines()
    for line in lines:
        if not line.startswith("JSON "):
            print(line)
    if done.returncode or not lines or not lines[-1].startswith("JSON "):
        print(done.stderr[-3000:], file=sys.stderr)
        raise SystemExit(f"the run {' '.join(options)} failed (status {done.returncode})")
    figures: dict[str, Any] = json.loads(lines[-1].removeprefix("JSON "))
    return figures


def drive(args: argparse.Namespace) -> int:
    """Run the three sizes, each in a fresh process, and compare them."""
    print(
        f"alize national benchmark: {args.territories} territories x {args.advances:,} advances"
        f" over {YEARS} years ({FIRST_YEAR}-{FIRST_YEAR + YEARS - 1}), seed {args.seed}"
    )
    print(f"machine: {machine()}")
    sizes = []
    for scale in SIZES:
        print(f"-- size {scale:g} (fresh process)")
        sizes.append(child(args, "--scale", str(scale)))
    print("-- one territory under tracemalloc (fresh process)")
    traced = child(args, "--trace-memory")
    print("-- summary")
    print(
        f"{'size':>5} {'territ.':>7} {'advances':>9} {'events':>10} {'instalm.':>10}"
        f" {'wall s':>7} {'CPU s':>7} {'ms/adv wall':>11} {'ms/adv CPU':>10} {'peak MiB':>9}"
        f" {'vs peer':>8}"
    )
    for size in sizes:
        clock = size["clock"]
        ratio = (clock["store"] + clock["replay"]) / clock["peer"]
        print(
            f"{size['scale']:>5g} {size['territories']:>7} {size['advances']:>9,}"
            f" {size['events']:>10,} {size['instalments']:>10,} {size['wall']:>7.1f}"
            f" {size['cpu']:>7.1f} {size['wall'] / size['advances'] * 1000:>11.2f}"
            f" {size['cpu'] / size['advances'] * 1000:>10.2f} {size['peak_mib']:>9,.0f}"
            f" {ratio:>8.2f}"
        )
    first, last = sizes[0], sizes[-1]
    growth = (last["cpu"] / last["advances"]) / (first["cpu"] / first["advances"])
    print(
        f"linearity: CPU per advance at full size is {growth:.2f}x that at size"
        f" {first['scale']:g} (1.00 is linear)"
    )
    print(f"Python heap of one territory (tracemalloc): {traced['traced_peak_mib']:,.0f} MiB")
    time_met = last["wall"] < GOAL_SECONDS
    memory_met = last["peak_mib"] < GOAL_MIB
    print(
        f"goals at full size: {last['wall']:.1f} s wall (goal < {GOAL_SECONDS} s:"
        f" {'met' if time_met else 'NOT met'}), {last['peak_mib']:,.0f} MiB peak (goal <"
        f" {GOAL_MIB} MiB: {'met' if memory_met else 'NOT met'})"
    )
    problems = [p for size in sizes for p in size["problems"]]
    if problems:
        print(f"PROBLEMS in the generated programme: {problems[:5]}")
        return 1
    return 0


def main(argv: list[str]) -> int:
    """Run the benchmark (all sizes by default, or one with --scale)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, help="run one size: a share of the territories")
    parser.add_argument("--seed", type=int, default=2016, help="the random seed (default 2016)")
    parser.add_argument("--territories", type=int, default=100, help="at full size (100)")
    parser.add_argument("--advances", type=int, default=1000, help="per territory (1000)")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: the cores)"
    )
    parser.add_argument("--keep", metavar="DIR", help="keep the SQLite files in this folder")
    parser.add_argument(
        "--db",
        metavar="URL",
        help="also store and replay every territory in this PostgreSQL database",
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace-memory", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv[1:])
    if args.trace_memory:
        figures = trace_memory(args)
    elif args.scale is not None:
        if not args.json:
            print(f"machine: {machine()}")
        figures = run_size(args)
    else:
        return drive(args)
    if args.json:
        print("JSON " + json.dumps(figures))
    return 1 if figures.get("problems") else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
