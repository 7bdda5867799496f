"""
One path from events to postings: the core's postings, the FEC export's lines and the
in-memory ledger's entries are the same postings, for the journals of the test stories.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from alize_adapters.connectors import FiscalYear, write_fec
from alize_adapters.delivery import JournalFeed, MemoryDeliveryStore, Relay
from alize_adapters.fakes import LedgerPostings, LedgerTarget, MemoryLedger, Wire
from alize_adapters.host import AdapterManager
from alize_core.accounting import ChartOfAccounts, Posting, journal_postings
from alize_core.commands import receive_recovery, record_statement, write_off
from alize_core.journal.chain import Event
from alize_core.journal.events import StatementLine
from tests.core.register_story import OPERATOR, Story
from tests.core.reporting_story import story_2026


Line = tuple[str, Decimal, Decimal, str | None]
"""A line of a posting as every path gives it: account, debit, credit, auxiliary account."""

Book = list[tuple[str, date, str, tuple[Line, ...]]]
"""Postings as (piece, date, journal, lines), in the order of their pieces in the journal."""


def the_year_after(story: Story) -> Story:
    """The 2026 story, then a bank statement, the write-off of P1 and a recovery in 2027."""
    story.do(
        record_statement(
            story.register,
            "RB-2027-01",
            [StatementLine("P3", Decimal("1000.00"))],
            on=date(2027, 1, 5),
            actor=OPERATOR,
        )
    )
    story.do(write_off(story.register, "P1", on=date(2027, 3, 31), actor=OPERATOR))
    story.do(
        receive_recovery(
            story.register, "P1", Decimal("2500.00"), on=date(2027, 6, 30), actor=OPERATOR
        )
    )
    return story


STORIES: dict[str, Callable[[], Story]] = {
    "reporting story, 2026 and 2027": lambda: the_year_after(story_2026()),
    "register story": lambda: (
        Story()
        .founded()
        .funded()
        .with_projects()
        .approved()
        .disbursed()
        .repaid("P1", date(2026, 4, 30), date(2026, 5, 31))
    ),
}

CHARTS: dict[str, ChartOfAccounts] = {
    "French chart": ChartOfAccounts.french_default(),
    "operator's chart": ChartOfAccounts.french_default()
    .with_account("bank", "5121", "Banque — compte du fonds")
    .with_account("contributions", "1034", "Fonds avec droit de reprise"),
}


def core_book(postings: Sequence[Posting]) -> Book:
    """The core's postings."""
    return [
        (
            p.id,
            p.on,
            p.journal,
            tuple((li.account.number, li.debit, li.credit, li.auxiliary) for li in p.lines),
        )
        for p in postings
    ]


def fec_book(events: Sequence[Event], chart: ChartOfAccounts) -> Book:
    """The lines of the FEC of each fiscal year of the journal, read back by piece."""
    found: dict[str, tuple[date, str, list[Line]]] = {}
    for year in sorted({event.on.year for event in events}):
        fiscal = FiscalYear(date(year, 1, 1), date(year, 12, 31))
        postings = journal_postings(events, chart=chart, start=fiscal.start, end=fiscal.end)
        out = io.BytesIO()
        write_fec(postings, out, fiscal_year=fiscal)
        header, *rows = out.getvalue().decode("utf-8").splitlines()
        columns = header.split("\t")
        for row in rows:
            field = dict(zip(columns, row.split("\t"), strict=True))
            on = datetime.strptime(field["EcritureDate"], "%Y%m%d").date()  # noqa: DTZ007
            _, _, lines = found.setdefault(field["PieceRef"], (on, field["JournalCode"], []))
            lines.append(
                (
                    field["CompteNum"],
                    Decimal(field["Debit"].replace(",", ".")),
                    Decimal(field["Credit"].replace(",", ".")),
                    field["CompAuxNum"] or None,
                )
            )
    return [(piece, on, journal, tuple(lines)) for piece, (on, journal, lines) in found.items()]


def ledger_book(events: Sequence[Event], chart: ChartOfAccounts) -> Book:
    """The entries the in-memory ledger holds once the journal feed was relayed to it."""
    target = LedgerTarget()
    manager = AdapterManager()
    manager.register(LedgerPostings(MemoryLedger(Wire(target.handle))), name="ledger")
    feed = JournalFeed(lambda: events, chart=chart)
    report = Relay(
        manager, feed, MemoryDeliveryStore(), clock=lambda: datetime(2028, 1, 1, tzinfo=UTC)
    ).run()
    assert report.dead == report.waiting == 0
    return [
        (
            str(entry["piece"]),
            date.fromisoformat(str(entry["date"])),
            str(entry["journal"]),
            tuple(
                (
                    line["account"],
                    Decimal(line["debit"]),
                    Decimal(line["credit"]),
                    line["auxiliary"],
                )
                for line in entry["lines"]  # type: ignore[attr-defined]
            ),
        )
        for entry in target.entries()
    ]


@pytest.mark.parametrize("chart_name", sorted(CHARTS))
@pytest.mark.parametrize("story_name", sorted(STORIES))
def test_the_fec_the_core_and_the_ledger_hold_the_same_postings(
    story_name: str, chart_name: str
) -> None:
    """Same pieces, dates, journals, accounts, amounts and auxiliary accounts, on every path."""
    story, chart = STORIES[story_name](), CHARTS[chart_name]
    core = core_book(journal_postings(story.events, chart=chart))

    assert fec_book(story.events, chart) == core
    assert ledger_book(story.events, chart) == core
    assert chart.account("bank").number in {line[0] for *_, lines in core for line in lines}


def test_the_reporting_story_posts_every_kind_of_movement() -> None:
    """The comparison above covers every account the journal's events move (not only advances)."""
    story = the_year_after(story_2026())
    core = core_book(journal_postings(story.events))
    accounts = {line[0] for *_, lines in core for line in lines}

    assert accounts == {"512", "1024", "2748", "627", "654", "7583", "862", "871"}
    assert {journal for _, _, journal, _ in core} == {"BQ", "OD", "CVN"}
