"""The journal's events reach adapters through the outbox, as hook payloads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from alize_adapters.delivery import JournalFeed, MemoryDeliveryStore, Relay
from alize_adapters.fakes import EventRecorder, LedgerPostings, LedgerTarget, MemoryLedger, Wire
from alize_adapters.host import (
    AdapterManager,
    AdvanceDefaultedNotice,
    AdvanceDisbursedNotice,
    AdvanceWrittenOffNotice,
    AgreementSignedNotice,
    CallForFundsIssuedNotice,
    EventNotice,
    PostingBookedNotice,
    ProjectDecidedNotice,
    RepaymentReceivedNotice,
)
from alize_adapters.storage import SqliteStore
from alize_core import Outcome
from alize_core.accounting import ChartOfAccounts, journal_postings
from alize_core.commands import (
    call_contribution,
    declare_default,
    receive_repayment,
    record_statement,
    write_off,
)
from alize_core.journal.events import StatementLine
from tests.core.register_story import OPERATOR, Story


@pytest.fixture(scope="module")
def story() -> Story:
    """A year of a territory: P1 adopted, paid, repaid a little, defaulted, written off."""
    story = Story().founded().funded().with_projects().approved("P1").disbursed("P1")
    register = story.register
    story.do(
        receive_repayment(register, "P1", Decimal("1041.67"), on=date(2026, 4, 30), actor=OPERATOR)
    )
    story.do(
        record_statement(
            story.register,
            "RB-2026-05",
            [StatementLine("P1", Decimal("1041.67"))],
            on=date(2026, 5, 31),
            actor=OPERATOR,
        )
    )
    story.do(declare_default(story.register, "P1", on=date(2026, 12, 1), actor=OPERATOR))
    story.do(write_off(story.register, "P1", on=date(2026, 12, 15), actor=OPERATOR))
    story.do(
        call_contribution(
            story.register,
            "ACIER",
            2027,
            Decimal("60000.00"),
            on=date(2026, 12, 20),
            actor=OPERATOR,
        )
    )
    return story


def relayed(story: Story) -> list[EventNotice]:
    """Every payload an observer receives when the relay runs over the story's journal."""
    manager, recorder = AdapterManager(), EventRecorder()
    manager.register(recorder, name="recorder")
    feed = JournalFeed(lambda: story.events)
    clock = lambda: datetime(2027, 1, 1, tzinfo=UTC)  # noqa: E731
    Relay(manager, feed, MemoryDeliveryStore(), clock=clock, batch_size=3).run()
    return recorder.received


def facts(story: Story) -> list[EventNotice]:
    """The notices of the journal's facts an observer receives: all but the postings."""
    return [e for e in relayed(story) if not isinstance(e, PostingBookedNotice)]


def test_each_fact_of_the_journal_reaches_the_observer_once(story: Story) -> None:
    """Decision, agreement, disbursement, two repayments, default, write-off and call, in order."""
    kinds = [type(event).__name__ for event in relayed(story)]

    assert kinds == [
        "PostingBookedNotice",
        "PostingBookedNotice",
        "ProjectDecidedNotice",
        "AgreementSignedNotice",
        "AdvanceDisbursedNotice",
        "PostingBookedNotice",
        "RepaymentReceivedNotice",
        "PostingBookedNotice",
        "RepaymentReceivedNotice",
        "PostingBookedNotice",
        "AdvanceDefaultedNotice",
        "AdvanceWrittenOffNotice",
        "PostingBookedNotice",
        "CallForFundsIssuedNotice",
    ]


def test_a_decision_carries_the_sme_the_advance_granted_and_the_count(story: Story) -> None:
    """The committee's decision names the SME by SIREN and the advance the agenda granted."""
    decision = facts(story)[0]

    assert isinstance(decision, ProjectDecidedNotice)
    assert (decision.project, decision.sme, decision.session) == ("P1", "555012343", "S-P1")
    assert (decision.outcome, decision.amount) == (Outcome.ADOPTED, Decimal("25000.00"))
    assert decision.extra["votes_for"] == 3
    assert "GOV-01" in decision.rules


def test_money_events_carry_exact_amounts_and_what_was_still_owed(story: Story) -> None:
    """Amounts stay exact; the default says what the SME still owed (25000 − 2 × 1041.67)."""
    events = facts(story)
    disbursed, repaid, by_statement, defaulted, written_off, called = events[2:]

    assert isinstance(disbursed, AdvanceDisbursedNotice)
    assert (disbursed.advance, disbursed.amount) == ("P1", Decimal("25000.00"))
    assert disbursed.extra["instalments"] == 24
    assert isinstance(repaid, RepaymentReceivedNotice)
    assert isinstance(by_statement, RepaymentReceivedNotice)
    assert by_statement.extra["statement"] == "RB-2026-05"
    assert isinstance(defaulted, AdvanceDefaultedNotice)
    assert defaulted.outstanding == Decimal("22916.66")
    assert isinstance(written_off, AdvanceWrittenOffNotice)
    assert written_off.amount == Decimal("22916.66")
    assert isinstance(called, CallForFundsIssuedNotice)
    assert (called.partner, called.year, called.amount) == ("ACIER", 2027, Decimal("60000.00"))


def test_event_ids_name_the_territory_and_the_journal_entry(story: Story) -> None:
    """Ids are stable: the territory, the journal number, the line of a statement, a posting."""
    events = relayed(story)
    statement = next(e for e in story.events if e.kind.value == "statement_received")
    by_statement = [e.event_id for e in events if e.sequence == statement.id]

    assert isinstance(facts(story)[1], AgreementSignedNotice)
    assert by_statement == [f"MEUSE-{statement.id}-1", f"MEUSE-{statement.id}-posting"]
    assert {e.territory for e in events} == {"MEUSE"}
    assert [e.sequence for e in events] == sorted(e.sequence for e in events)
    assert len({e.event_id for e in events}) == len(events)


def test_each_posting_notice_carries_the_books_posting_of_its_event(story: Story) -> None:
    """The feed's postings are the books' postings (journal_postings), one per event that has one."""
    booked = [e.posting for e in relayed(story) if isinstance(e, PostingBookedNotice)]

    assert booked == list(journal_postings(story.events))
    assert [e.journal for e in booked] == ["BQ"] * 5 + ["OD"]


def test_the_feed_books_on_the_operators_chart(story: Story) -> None:
    """An operator's chart (contributions to 1034, the bank on 5121) is the one the notices carry."""
    chart = (
        ChartOfAccounts.french_default()
        .with_account("contributions", "1034", "Fonds avec droit de reprise")
        .with_account("bank", "5121", "Banque — compte du fonds")
    )
    feed = JournalFeed(lambda: story.events, chart=chart)
    notices = [e.to_payload() for e in feed.events_after(0, 100)]
    booked = [n.posting for n in notices if isinstance(n, PostingBookedNotice)]

    assert booked == list(journal_postings(story.events, chart=chart))
    assert [line.account.number for line in booked[0].lines] == ["5121", "1034"]


def test_the_ledger_adapter_posts_the_books_once(story: Story) -> None:
    """Relayed twice, each posting of the books is posted once, with its accounts and amounts."""
    target = LedgerTarget()
    manager = AdapterManager()
    manager.register(LedgerPostings(MemoryLedger(Wire(target.handle))), name="ledger")
    feed = JournalFeed(lambda: story.events)
    clock = lambda: datetime(2027, 1, 1, tzinfo=UTC)  # noqa: E731
    Relay(manager, feed, MemoryDeliveryStore(), clock=clock).run()
    Relay(manager, feed, MemoryDeliveryStore(), clock=clock).run()

    def first_line(entry: dict[str, object]) -> tuple[object, object, object]:
        lines = entry["lines"]
        assert isinstance(lines, list)
        return lines[0]["account"], lines[0]["debit"], lines[1]["account"]

    written_off = next(e for e in story.events if e.kind.value == "advance_written_off")
    assert [(e["journal"], first_line(e)) for e in target.entries()] == [
        ("BQ", ("512", "60000.00", "1024")),
        ("BQ", ("512", "30000.00", "1024")),
        ("BQ", ("2748", "25000.00", "512")),
        ("BQ", ("512", "1041.67", "2748")),
        ("BQ", ("512", "1041.67", "2748")),
        ("OD", ("654", "22916.66", "2748")),
    ]
    assert target.entries()[-1]["piece"] == str(written_off.id)


def test_a_feed_over_the_sqlite_store_gives_what_the_journal_gives(
    story: Story, tmp_path: Path
) -> None:
    """The journal written to the register's SQLite store feeds the outbox the same events."""
    with SqliteStore(tmp_path / "register.db") as store:
        store.append((event.row() for event in story.events), expected_version=0)
        from_store = JournalFeed.from_rows(store.read).events_after(0, 100)

    assert from_store == JournalFeed(lambda: story.events).events_after(0, 100)
    assert len(from_store) == 14
