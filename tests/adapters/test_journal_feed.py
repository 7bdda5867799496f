"""The journal's events reach adapters through the outbox, as hook payloads."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from alize_adapters.delivery import JournalFeed, MemoryDeliveryStore, Relay
from alize_adapters.fakes import AdvancePostings, EventRecorder, LedgerTarget, MemoryLedger, Wire
from alize_adapters.host import (
    AdapterManager,
    AdvanceDefaultedNotice,
    AdvanceDisbursedNotice,
    AdvanceWrittenOffNotice,
    AgreementSignedNotice,
    CallForFundsIssuedNotice,
    EventNotice,
    ProjectDecidedNotice,
    RepaymentReceivedNotice,
)
from alize_adapters.storage import SqliteStore
from alize_core import Outcome
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
    story.do(
        declare_default(
            story.register, "P1", on=date(2026, 12, 1), actor=OPERATOR, settings=story.settings
        )
    )
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


def test_each_fact_of_the_journal_reaches_the_observer_once(story: Story) -> None:
    """Decision, agreement, disbursement, two repayments, default, write-off and call, in order."""
    kinds = [type(event).__name__ for event in relayed(story)]

    assert kinds == [
        "ProjectDecidedNotice",
        "AgreementSignedNotice",
        "AdvanceDisbursedNotice",
        "RepaymentReceivedNotice",
        "RepaymentReceivedNotice",
        "AdvanceDefaultedNotice",
        "AdvanceWrittenOffNotice",
        "CallForFundsIssuedNotice",
    ]


def test_a_decision_carries_the_sme_the_advance_granted_and_the_count(story: Story) -> None:
    """The committee's decision names the SME by SIREN and the advance the agenda granted."""
    decision = relayed(story)[0]

    assert isinstance(decision, ProjectDecidedNotice)
    assert (decision.project, decision.sme, decision.session) == ("P1", "555012343", "S-P1")
    assert (decision.outcome, decision.amount) == (Outcome.ADOPTED, Decimal("25000.00"))
    assert decision.extra["votes_for"] == 3
    assert "GOV-01" in decision.rules


def test_money_events_carry_exact_amounts_and_what_was_still_owed(story: Story) -> None:
    """Amounts stay exact; the default says what the SME still owed (25000 − 2 × 1041.67)."""
    events = relayed(story)
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
    """Ids are stable: the territory, the journal number, and the line of a statement."""
    events = relayed(story)
    statement = next(e for e in story.events if e.kind.value == "statement_received")

    assert isinstance(events[1], AgreementSignedNotice)
    assert events[4].event_id == f"MEUSE-{statement.id}-1"
    assert {e.territory for e in events} == {"MEUSE"}
    assert [e.sequence for e in events] == sorted(e.sequence for e in events)


def test_the_ledger_adapter_posts_the_journals_money_once(story: Story) -> None:
    """Relayed twice, the journal's disbursement and repayments are posted once each."""
    target = LedgerTarget()
    manager = AdapterManager()
    manager.register(AdvancePostings(MemoryLedger(Wire(target.handle))), name="ledger")
    feed = JournalFeed(lambda: story.events)
    clock = lambda: datetime(2027, 1, 1, tzinfo=UTC)  # noqa: E731
    Relay(manager, feed, MemoryDeliveryStore(), clock=clock).run()
    Relay(manager, feed, MemoryDeliveryStore(), clock=clock).run()

    def first_debit(entry: dict[str, object]) -> object:
        lines = entry["lines"]
        assert isinstance(lines, list)
        return lines[0]["debit"]

    assert [(e["piece"], first_debit(e)) for e in target.entries()] == [
        ("P1", "25000.00"),
        ("P1", "1041.67"),
        ("P1", "1041.67"),
    ]


def test_a_feed_over_the_sqlite_store_gives_what_the_journal_gives(
    story: Story, tmp_path: Path
) -> None:
    """The journal written to the register's SQLite store feeds the outbox the same events."""
    with SqliteStore(tmp_path / "register.db") as store:
        store.append((event.row() for event in story.events), expected_version=0)
        from_store = JournalFeed.from_rows(store.read).events_after(0, 100)

    assert from_store == JournalFeed(lambda: story.events).events_after(0, 100)
    assert len(from_store) == 8
