"""The fund's books: each financial event a balanced posting on the French chart, by account."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core import AlizeError, InvalidValue, Settings
from alize_core.accounting import ChartOfAccounts, Posting
from alize_core.accounting.books import (
    AccountBalance,
    Movement,
    MovementKind,
    journal_postings,
    posting,
    postings,
    trial_balance,
)
from alize_core.commands import (
    enrol_person,
    log_time,
    record_statement,
    reschedule_advance,
    update_person,
)
from alize_core.journal import EventKind
from alize_core.journal.events import StatementLine
from alize_core.kernel import CONTRIBUTION_RIGHT_OF_RETURN
from alize_core.parties.model import PersonRole
from tests.core.register_story import OPERATOR, Story
from tests.core.reporting_story import Journal, story_2026


SETTINGS = Settings.national()
SME = ("555012343", "Usinage Meusien")
ACIER = ("ACIER", "Aciéries de l'Est")


def move(
    id: str, on: date, kind: MovementKind, amount: str, who: tuple[str, str] = SME
) -> Movement:
    """A movement with the SME (or a partner) as counterparty."""
    return Movement(id, on, kind, Decimal(amount), *who)


def balances(entries: tuple[Posting, ...]) -> dict[str, Decimal]:
    """Account number → debit less credit."""
    return {b.account.number: b.balance for b in trial_balance(entries)}


def small_year() -> tuple[Movement, ...]:
    """A territory's year: two contributions, one advance, three instalments, a loss."""
    k = MovementKind
    return (
        move("E1", date(2026, 1, 15), k.CONTRIBUTION_RECEIVED, "30000.00", ACIER),
        move("E2", date(2026, 2, 1), k.CONTRIBUTION_RECEIVED, "15000.00", ("ENERG", "Énergie")),
        move("E3", date(2026, 3, 2), k.DISBURSEMENT, "25000.00"),
        move("E4", date(2026, 4, 30), k.REPAYMENT, "625.00"),
        move("E5", date(2026, 5, 31), k.REPAYMENT, "625.00"),
        move("E6", date(2026, 6, 30), k.REPAYMENT, "625.00"),
        move("E7", date(2026, 9, 30), k.IMPAIRMENT, "4000.00"),
        Movement(
            "E8",
            date(2026, 11, 30),
            k.WRITE_OFF,
            Decimal("10000.00"),
            *SME,
            impairment_released=Decimal("4000.00"),
        ),
        move("E9", date(2026, 12, 15), k.RECOVERY, "500.00"),
        move("E10", date(2026, 12, 31), k.FEES, "42.50", ("BANQ", "Banque Populaire")),
        move("E11", date(2026, 12, 31), k.SKILLS_VALUED, "3500.00", ACIER),
    )


def test_a_year_of_the_fund_in_the_books() -> None:
    """
    The trial balance of a small year, computed by hand.

    512 bank: 30,000 + 15,000 − 25,000 + 3 × 625 + 500 − 42.50 = 22,332.50 (debit).
    2748 advances: 25,000 − 1,875 − 10,000 = 13,125 (debit).
    1024 contributions: 45,000 (credit). 654 loss: 10,000. 7583 recovery: 500.
    6866 impairment 4,000, released through 2974 (balance 0) to 7866: 4,000.
    627 fees 42.50; 862 / 871 skills valued 3,500 each side.
    """
    entries = postings(small_year(), territory="T1", settings=SETTINGS)

    assert balances(entries) == {
        "1024": Decimal("-45000.00"),
        "2748": Decimal("13125.00"),
        "2974": Decimal("0.00"),
        "512": Decimal("22332.50"),
        "627": Decimal("42.50"),
        "654": Decimal("10000.00"),
        "6866": Decimal("4000.00"),
        "7583": Decimal("-500.00"),
        "7866": Decimal("-4000.00"),
        "862": Decimal("3500.00"),
        "871": Decimal("-3500.00"),
    }


def test_each_line_names_the_counterparty_and_each_posting_the_event() -> None:
    """The SME or partner is the auxiliary account of every line; the event id is the pièce."""
    entries = postings(small_year(), territory="T1", settings=SETTINGS)

    assert [e.id for e in entries] == [f"E{n}" for n in range(1, 12)]
    disbursement = entries[2]
    assert {(line.auxiliary, line.auxiliary_label) for line in disbursement.lines} == {SME}
    assert {line.auxiliary for line in entries[0].lines} == {"ACIER"}


def test_a_write_off_of_an_impaired_advance_releases_its_impairment() -> None:
    """654 / 2748 for the loss, and 2974 / 7866 for the provision, in one posting."""
    entry = posting(small_year()[7], territory="T1", settings=SETTINGS)

    assert [(line.account.number, line.debit, line.credit) for line in entry.lines] == [
        ("654", Decimal("10000.00"), Decimal("0.00")),
        ("2748", Decimal("0.00"), Decimal("10000.00")),
        ("2974", Decimal("4000.00"), Decimal("0.00")),
        ("7866", Decimal("0.00"), Decimal("4000.00")),
    ]
    assert entry.journal == "OD"


def test_contributions_go_to_1034_when_the_territory_keeps_a_right_of_return() -> None:
    """The contribution_right_of_return setting sends contributions from 1024 to 1034."""
    settings = SETTINGS.set_for_territory(
        "T1", CONTRIBUTION_RIGHT_OF_RETURN, True, start=date(2026, 1, 1)
    )
    received = small_year()[0]

    assert posting(received, territory="T1", settings=settings).lines[1].account.number == "1034"
    assert posting(received, territory="T2", settings=settings).lines[1].account.number == "1024"


def test_an_accountant_may_send_a_role_to_another_account() -> None:
    """A chart with write-offs on 6788 books the loss there."""
    chart = ChartOfAccounts.french_default().with_account(
        "write_off", "6788", "Charges exceptionnelles diverses"
    )

    entry = posting(small_year()[7], territory="T1", settings=SETTINGS, chart=chart)

    assert entry.lines[0].account.number == "6788"


def test_two_movements_with_one_id_are_refused() -> None:
    """A pièce references exactly one posting."""
    twice = (*small_year(), move("E3", date(2026, 12, 31), MovementKind.REPAYMENT, "1.00"))

    with pytest.raises(InvalidValue, match="E3"):
        postings(twice, territory="T1", settings=SETTINGS)


@pytest.mark.parametrize(
    ("kind", "released", "refusal"),
    [
        (MovementKind.REPAYMENT, "1.00", "only be released by a write-off"),
        (MovementKind.WRITE_OFF, "10.01", "more than the amount written off"),
    ],
    ids=["on-a-repayment", "beyond-the-loss"],
)
def test_only_a_write_off_releases_an_impairment_and_never_more_than_it_writes_off(
    kind: MovementKind, released: str, refusal: str
) -> None:
    """Releasing a provision on a repayment, or more than the loss, is refused."""
    with pytest.raises(InvalidValue, match=refusal):
        Movement(
            "X",
            date(2026, 1, 1),
            kind,
            Decimal("10.00"),
            *SME,
            impairment_released=Decimal(released),
        )


@pytest.mark.parametrize("amount", ["0", "-5.00", "1.005"])
def test_an_amount_that_is_not_positive_whole_cents_is_refused(amount: str) -> None:
    """Amounts are positive, in whole cents."""
    with pytest.raises(InvalidValue, match="amount"):
        Movement("X", date(2026, 1, 1), MovementKind.DISBURSEMENT, Decimal(amount), *SME)


cents = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c).scaleb(-2))
movement_lists = st.lists(
    st.tuples(
        st.sampled_from(list(MovementKind)),
        cents,
        st.integers(min_value=0, max_value=730),
        st.sampled_from([SME, ACIER, ("555023456", "Boulangeries du Barrois")]),
    ),
    max_size=40,
)


def build(drawn: list[tuple[MovementKind, Decimal, int, tuple[str, str]]]) -> tuple[Movement, ...]:
    """Movements from drawn (kind, amount, day offset, counterparty)."""
    return tuple(
        Movement(f"E{n}", date(2025, 1, 1) + timedelta(days=day), kind, amount, *who)
        for n, (kind, amount, day, who) in enumerate(drawn)
    )


@given(movement_lists, st.integers(0, 730), st.integers(0, 730))
def test_debits_equal_credits_in_every_posting_and_every_period(
    drawn: list[tuple[MovementKind, Decimal, int, tuple[str, str]]], a: int, b: int
) -> None:
    """Σ debit = Σ credit for each posting, and for the postings of any period."""
    entries = postings(build(drawn), territory="T1", settings=SETTINGS)
    start, end = sorted((date(2025, 1, 1) + timedelta(days=a), date(2025, 1, 1) + timedelta(b)))

    assert all(e.total_debit == e.total_credit for e in entries)
    period: tuple[AccountBalance, ...] = trial_balance(entries, start=start, end=end)
    assert sum(x.debit for x in period) == sum(x.credit for x in period)
    assert sum(x.balance for x in period) == 0


@given(movement_lists)
def test_the_books_agree_with_the_fund_identity(
    drawn: list[tuple[MovementKind, Decimal, int, tuple[str, str]]],
) -> None:
    """
    FUND-05 read in the books: the bank's balance is the fund's cash
    (contributions + repayments + recoveries − disbursements − fees − network contribution)
    and 2748's is the outstanding (disbursed − repaid − written off).
    """
    movements = build(drawn)
    total = {
        kind: sum((m.amount for m in movements if m.kind is kind), Decimal(0))
        for kind in MovementKind
    }
    k = MovementKind

    found = balances(postings(movements, territory="T1", settings=SETTINGS))

    cash = (
        total[k.CONTRIBUTION_RECEIVED]
        + total[k.REPAYMENT]
        + total[k.RECOVERY]
        - total[k.DISBURSEMENT]
        - total[k.FEES]
        - total[k.NETWORK_CONTRIBUTION]
    )
    outstanding = total[k.DISBURSEMENT] - total[k.REPAYMENT] - total[k.WRITE_OFF]
    assert found.get("512", Decimal(0)) == cash
    assert found.get("2748", Decimal(0)) == outstanding


# --- From the journal. ---


@pytest.fixture(scope="module")
def journal_2027() -> Journal:
    """The 2026 story, then in January 2027 a bank statement and a retired member's time."""
    journal = story_2026()
    lines = [StatementLine("P3", Decimal("1000")), StatementLine("P1", Decimal("500"))]
    journal.do(
        record_statement(journal.register, "REL-01", lines, on=date(2027, 1, 5), actor=OPERATOR)
    )
    journal.do(
        enrol_person(
            journal.register,
            "R4",
            PersonRole.COMPANY_REPRESENTATIVE,
            "TRANS",
            in_activity=False,
            on=date(2027, 1, 6),
            actor=OPERATOR,
        )
    )
    journal.do(log_time(journal.register, "P3", Decimal("0.5"), on=date(2027, 1, 7), actor="R4"))
    return journal


def test_the_journals_money_events_become_postings_named_by_their_event(
    journal_2027: Journal,
) -> None:
    """
    2026: 2 contributions, 2 disbursements, 6 repayments, 3 time entries valued, 1 fee = 14
    postings, each with the event's id as its pièce; setup, sessions and votes book nothing.
    """
    entries = journal_postings(journal_2027.events, end=date(2026, 12, 31))

    assert len(entries) == 14
    by_id = {e.id: e for e in entries}
    events = {str(e.id): e for e in journal_2027.events}
    assert all(events[key].on == entry.on for key, entry in by_id.items())
    assert {events[key].kind.value for key in by_id} == {
        "contribution_received",
        "advance_disbursed",
        "repayment_received",
        "time_logged",
        "fee_paid",
    }


def test_a_bank_statement_is_one_posting_with_a_pair_of_lines_per_instalment(
    journal_2027: Journal,
) -> None:
    """Two instalments on one statement: 512 / 2748 twice, each pair with its SME."""
    (statement,) = (
        e
        for e in journal_postings(journal_2027.events)
        if e.journal == "BQ" and e.on == date(2027, 1, 5)
    )

    assert [
        (line.account.number, line.debit, line.credit, line.auxiliary) for line in statement.lines
    ] == [
        ("512", Decimal("1000.00"), Decimal("0.00"), "555034560"),
        ("2748", Decimal("0.00"), Decimal("1000.00"), "555034560"),
        ("512", Decimal("500.00"), Decimal("0.00"), "555012343"),
        ("2748", Decimal("0.00"), Decimal("500.00"), "555012343"),
    ]
    assert statement.label == "Relevé bancaire REL-01"


def test_time_given_by_a_retired_member_is_booked_as_volunteering(journal_2027: Journal) -> None:
    """Half a day at the executive rate (700 €) = 350 € on 864 / 875, with the partner as auxiliary."""
    entry = journal_postings(journal_2027.events)[-1]

    assert [
        (line.account.number, line.debit, line.credit, line.auxiliary) for line in entry.lines
    ] == [
        ("864", Decimal("350.00"), Decimal("0.00"), "TRANS"),
        ("875", Decimal("0.00"), Decimal("350.00"), "TRANS"),
    ]
    assert entry.journal == "CVN"


def test_a_fee_has_no_auxiliary_account(journal_2027: Journal) -> None:
    """A bank fee is the bank's, nobody's auxiliary account."""
    (fee,) = (
        e for e in journal_postings(journal_2027.events) if e.lines[0].account.number == "627"
    )

    assert {line.auxiliary for line in fee.lines} == {None}
    assert fee.total_debit == Decimal("42.50")


def test_a_counterparty_without_its_name_is_refused() -> None:
    """The auxiliary account and its name go together."""
    with pytest.raises(InvalidValue, match="go together"):
        Movement("X", date(2026, 1, 1), MovementKind.FEES, Decimal("1.00"), "BANQ", None)


def test_an_empty_journal_has_no_books() -> None:
    """No territory, no books."""
    with pytest.raises(AlizeError, match="territory"):
        journal_postings([])


def test_time_is_booked_as_the_member_stood_that_day() -> None:
    """
    M1 logs a day in activity (862 / 871, 700 €), then retires and logs another
    (864 / 875): retiring later does not rewrite the earlier entry.
    """
    journal = story_2026()
    journal.do(log_time(journal.register, "P1", Decimal("1"), on=date(2027, 1, 10), actor="M1"))
    journal.do(
        update_person(
            journal.register, "M1", in_activity=False, on=date(2027, 1, 11), actor=OPERATOR
        )
    )
    journal.do(log_time(journal.register, "P1", Decimal("1"), on=date(2027, 1, 12), actor="M1"))

    entries = journal_postings(journal.events, start=date(2027, 1, 1))

    assert [(e.on, e.lines[0].account.number, e.lines[0].debit) for e in entries] == [
        (date(2027, 1, 10), "862", Decimal("700.00")),
        (date(2027, 1, 12), "864", Decimal("700.00")),
    ]


def test_a_rescheduling_moves_no_money_and_books_nothing() -> None:
    """SCH-05: the advance's terms change, its amount does not: only the disbursement is booked."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    story.do(
        reschedule_advance(
            story.register,
            "P1",
            instalments=12,
            on=date(2026, 9, 15),
            actor=OPERATOR,
        )
    )
    rescheduled = story.events[-1]

    entries = journal_postings(story.events)

    assert rescheduled.kind is EventKind.ADVANCE_RESCHEDULED
    assert str(rescheduled.id) not in {entry.id for entry in entries}
    assert len(entries) == len(journal_postings(story.events[:-1]))
