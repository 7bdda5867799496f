"""Shared test doubles: sample events, backdoors onto the in-memory targets, contract fixtures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alize_adapters.delivery import OutboxEvent
from alize_adapters.fakes import CrmTarget, LedgerTarget, Wire
from alize_adapters.host import (
    AdvanceDisbursedNotice,
    EventNotice,
    NoticeKind,
    PostingBookedNotice,
)
from alize_adapters.testing import TargetEntry, TargetLine, sample_events
from alize_core.accounting import ChartOfAccounts, Posting
from alize_core.kernel.serialization import unstructure


def disbursed(event_id: str = "E1") -> AdvanceDisbursedNotice:
    """An advance of 25 000 € disbursed, as the hook receives it."""
    return AdvanceDisbursedNotice(
        event_id=event_id,
        sequence=1,
        on=date(2026, 4, 2),
        territory="MEUSE",
        advance="AV-7",
        sme="555012343",
        amount=Decimal("25000.00"),
    )


def disbursement(number: int) -> OutboxEvent:
    """The n-th event of a journal: an advance disbursed (odd) or a repayment (even)."""
    kind = "advance_disbursed" if number % 2 else "repayment_received"
    amount = "25000.00" if number % 2 else "520.84"
    return OutboxEvent(
        event_id=f"E{number}",
        sequence=number,
        kind=kind,
        effective_date=date(2026, 4, number),
        territory="MEUSE",
        payload={"advance": f"AV-{number}", "sme": "555012343", "amount": amount},
    )


def booked(number: int) -> OutboxEvent:
    """
    The n-th event of a journal: the posting of an advance disbursed (odd) or a repayment
    (even), piece ``AV-<n>``, as the journal feed hands it to the ledger adapter.
    """
    chart = ChartOfAccounts.french_default()
    advances, bank = chart.account("advances"), chart.account("bank")
    debit, credit = (advances, bank) if number % 2 else (bank, advances)
    posting = Posting.transfer(
        id=f"AV-{number}",
        on=date(2026, 4, number),
        journal="BQ",
        label=f"Avance AV-{number}",
        debit=debit,
        credit=credit,
        amount=Decimal("25000.00" if number % 2 else "520.84"),
        auxiliary=("555012343", "Usinage Meusien"),
    )
    return OutboxEvent(
        event_id=f"E{number}",
        sequence=number,
        kind="posting_booked",
        effective_date=posting.on,
        territory="MEUSE",
        payload={"posting": unstructure(posting)},
    )


class LedgerTargetInspector:
    """Reads a LedgerTarget's entries as stored and feeds its bank account."""

    def __init__(self, target: LedgerTarget) -> None:
        self.target = target

    def entries_with_piece(self, piece: str) -> tuple[TargetEntry, ...]:
        """The stored entries with this piece reference, amounts as received."""
        found = []
        for row in self.target.entries():
            if row.get("piece") != piece:
                continue
            lines = row.get("lines")
            assert isinstance(lines, list)
            found.append(
                TargetEntry(
                    journal=str(row.get("journal")),
                    piece=piece,
                    lines=tuple(
                        TargetLine(str(line["account"]), line["debit"], line["credit"])
                        for line in lines
                    ),
                )
            )
        return tuple(found)

    def add_bank_movement(self, transaction_id: str, on: date, amount: Decimal, label: str) -> None:
        """Feed the target's bank account."""
        self.target.add_bank_movement(transaction_id, on, amount, label)


class PostingEffects:
    """Counts the entries a posting notice left in a LedgerTarget (one per piece and date)."""

    def __init__(self, target: LedgerTarget) -> None:
        self.target = target

    def effects(self, event: EventNotice) -> int:
        """How many entries carry this notice's posting as piece, on its date."""
        assert isinstance(event, PostingBookedNotice)
        piece, on = event.posting.id, event.posting.on.isoformat()
        return sum(
            1
            for row in self.target.entries()
            if row.get("piece") == piece and row.get("date") == on
        )


class _WireFixtures:
    """The link to a fresh in-memory target (given by ``target``), faults injected on it."""

    @pytest.fixture
    def wire(self, target: CrmTarget | LedgerTarget) -> Wire:
        """The link to the target."""
        return Wire(target.handle)

    @pytest.fixture
    def fault_injector(self, wire: Wire) -> Wire:
        """Faults are injected on the wire."""
        return wire


class CrmFixtures(_WireFixtures):
    """The fixtures of a CRM contract run against a fresh in-memory CRM (add ``backend``)."""

    @pytest.fixture
    def target(self) -> CrmTarget:
        """A fresh CRM."""
        return CrmTarget()

    @pytest.fixture
    def inspector(self, target: CrmTarget) -> CrmTarget:
        """The CRM itself is its own backdoor."""
        return target


class LedgerFixtures(_WireFixtures):
    """The fixtures of an accounting contract run against a fresh in-memory tool (add ``backend``)."""

    @pytest.fixture
    def target(self) -> LedgerTarget:
        """A fresh accounting tool."""
        return LedgerTarget()

    @pytest.fixture
    def inspector(self, target: LedgerTarget) -> LedgerTargetInspector:
        """Reads the tool's entries as stored."""
        return LedgerTargetInspector(target)


class PostingFixtures(LedgerFixtures):
    """The fixtures of an event contract for an adapter posting the books (add ``adapter``)."""

    @pytest.fixture
    def events(self) -> tuple[EventNotice, ...]:
        """The events it posts: the postings of the fund's books."""
        return tuple(e for e in sample_events() if e.kind is NoticeKind.POSTING_BOOKED)

    @pytest.fixture
    def inspector(self, target: LedgerTarget) -> PostingEffects:
        """Counts the entries of each event."""
        return PostingEffects(target)
