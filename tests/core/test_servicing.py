"""Servicing: payments, arrears, early repayment, rescheduling, default, write-off, recovery."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core import AlizeError, CommandRefused, InvalidValue, Outcome, PartnerCompany, Settings
from alize_core.kernel import DEFAULT_AFTER_DAYS, PREPAYMENT
from alize_core.lending import (
    AccountStatus,
    ArrearsBucket,
    Frequency,
    LoanAccount,
    LoanKind,
    LoanTerms,
    ObligationKind,
    PartKind,
    Payment,
    PrepaymentMode,
    ScheduleChange,
    Serviced,
    open_advance,
    open_subsidised_loan,
)


START = date(2026, 1, 31)


def _refusal(served: Serviced) -> tuple[str, str]:
    """The rule and code of a refused operation's failed step; the account unchanged."""
    assert not served.accepted
    assert served.decision.outcome is Outcome.REFUSED
    step = served.decision.failed[-1]
    return step.rule, step.code


NATIONAL = Settings.national()
STEEL = PartnerCompany("ACIER", "Aciéries de l'Est", grants_subsidised_loans=True)


def advance(principal: str = "1200.00", instalments: int = 12, **options: object) -> LoanAccount:
    """A monthly advance disbursed on 31 January 2026."""
    terms = LoanTerms(principal=Decimal(principal), start=START, instalments=instalments, **options)
    return open_advance("A1", terms, territory="MEUSE")


def loan(principal: str = "10000.00", instalments: int = 24, rate: str = "0.03") -> LoanAccount:
    """A partner's monthly subsidised loan disbursed on 15 January 2026."""
    terms = LoanTerms(
        principal=Decimal(principal),
        start=date(2026, 1, 15),
        instalments=instalments,
        rate=Decimal(rate),
    )
    return open_subsidised_loan("L1", terms, territory="MEUSE", lender=STEEL)


def paid_then_repaid_early(mode: str) -> LoanAccount:
    """12,000 in 12: the first 1,000 paid on time, then 3,000 repaid early on 15 March."""
    return (
        advance("12000.00")
        .pay(Decimal(1000), on=date(2026, 2, 28))
        .account.repay_early(Decimal(3000), on=date(2026, 3, 15), mode=mode)
        .account
    )


def total_principal(account: LoanAccount) -> Decimal:
    """The principal of every obligation of the account, paid or not."""
    return sum((Decimal(o.principal) for o in account.state.obligations), Decimal(0)) / 100


class TestLatePaymentThenCure:
    """An advance falls behind, then the borrower catches up (SCH-06)."""

    def test_two_unpaid_instalments_are_41_days_late_in_the_31_90_bucket(self) -> None:
        """On 10 April, February's and March's instalments are unpaid: 200 €, 41 days."""
        arrears = advance().arrears(on=date(2026, 4, 10))

        assert arrears.amount == Decimal("200.00")
        assert arrears.days_past_due == 41
        assert arrears.bucket is ArrearsBucket.UP_TO_90
        assert [i.days_late for i in arrears.items] == [41, 10]

    def test_paying_the_arrears_cures_them(self) -> None:
        """Paying 200 € on 10 April settles both, oldest first: nothing late any more."""
        account = advance().pay(Decimal("200.00"), on=date(2026, 4, 10)).account
        arrears = account.arrears(on=date(2026, 4, 10))
        parts = account.allocations[-1].parts

        assert arrears.bucket is ArrearsBucket.CURRENT
        assert arrears.amount == 0
        assert [(p.kind, p.days_late) for p in parts] == [
            (PartKind.OVERDUE, 41),
            (PartKind.OVERDUE, 10),
        ]

    def test_arrears_before_the_payment_date_are_still_there(self) -> None:
        """Arrears at an earlier date ignore later payments: the history is replayed."""
        account = advance().pay(Decimal("200.00"), on=date(2026, 4, 10)).account

        assert account.arrears(on=date(2026, 4, 9)).amount == Decimal("200.00")

    def test_a_partial_payment_leaves_the_next_instalment_late(self) -> None:
        """150 € settles February and half of March: March's due date sets the days late."""
        account = advance().pay(Decimal("150.00"), on=date(2026, 4, 10)).account
        arrears = account.arrears(on=date(2026, 4, 20))

        assert arrears.amount == Decimal("50.00")
        assert arrears.days_past_due == 20
        assert arrears.bucket is ArrearsBucket.UP_TO_30

    def test_a_payment_beyond_what_is_due_pays_the_next_instalments_in_advance(self) -> None:
        """A surplus settles the next instalment, marked as paid in advance."""
        account = advance().pay(Decimal("150.00"), on=date(2026, 2, 28)).account

        assert [p.kind for p in account.allocations[-1].parts] == [
            PartKind.DUE,
            PartKind.IN_ADVANCE,
        ]
        assert account.arrears(on=date(2026, 3, 31)).amount == Decimal("50.00")

    def test_interest_is_paid_before_principal(self) -> None:
        """On a subsidised loan, a payment smaller than the interest due pays interest only."""
        account = loan().pay(Decimal("10.00"), on=date(2026, 2, 15)).account
        part = account.allocations[-1].parts[0]

        assert (part.interest, part.principal) == (1000, 0)
        assert account.outstanding == Decimal("10000.00")

    @given(
        amounts=st.lists(st.integers(min_value=1, max_value=40_000), min_size=1, max_size=12),
        gaps=st.lists(st.integers(min_value=0, max_value=70), min_size=12, max_size=12),
    )
    def test_payments_never_lose_or_invent_a_cent(
        self, amounts: list[int], gaps: list[int]
    ) -> None:
        """Whatever is paid and when: repaid + outstanding = principal, allocations add up."""
        account = advance()
        on = START
        for cents, gap in zip(amounts, gaps, strict=False):
            on += timedelta(days=gap)
            owed = sum(o.unpaid for o in account.state.obligations)
            if account.status is AccountStatus.CLOSED:
                break
            amount = Decimal(min(cents, owed)).scaleb(-2)
            account = account.pay(amount, on=on).account
            allocation = account.allocations[-1]
            assert allocation.principal + allocation.interest == amount

        assert account.principal_repaid + account.outstanding == Decimal("1200.00")
        assert (account.status is AccountStatus.CLOSED) == (account.outstanding == 0)
        assert account.arrears(on=on).days_past_due >= 0


operations = st.lists(
    st.tuples(
        st.sampled_from(["pay", "reduce_term", "reduce_instalment", "reschedule"]),
        st.integers(min_value=0, max_value=80),
        st.integers(min_value=1, max_value=300_000),
    ),
    max_size=10,
)


@given(operations, st.booleans())
def test_any_sequence_of_operations_keeps_every_cent(
    steps: list[tuple[str, int, int]], rated: bool
) -> None:
    """Payments, early repayments and reschedulings in any order: the books always balance."""
    account = loan() if rated else advance("12000.00")
    principal = account.terms.principal
    on = account.terms.start
    for operation, gap, cents in steps:
        on += timedelta(days=gap)
        before = account
        try:
            if operation == "pay":
                served = account.pay(Decimal(cents).scaleb(-2), on=on)
            elif operation == "reschedule":
                served = account.reschedule(on=on, instalments=1 + cents % 48, deferral=gap % 4)
            else:
                served = account.repay_early(Decimal(cents).scaleb(-2), on=on, mode=operation)
            account = served.account
            assert served.accepted or account is before
        except AlizeError:
            assert account is before
        repaid = account.principal_repaid
        assert repaid + account.outstanding >= principal
        if not rated:
            assert repaid + account.outstanding == principal
        assert all(o.unpaid >= 0 for o in account.state.obligations)
        assert [o.due for o in account.state.obligations] == sorted(
            o.due for o in account.state.obligations
        )


class TestEarlyRepayment:
    """A partial early repayment shortens the term or lowers the instalments (SCH-05)."""

    def test_reducing_the_term_keeps_the_instalment_and_ends_sooner(self) -> None:
        """12,000 in 12: after 1,000 paid, 3,000 early leaves 8 instalments of 1,000."""
        schedule = paid_then_repaid_early("reduce_term").schedule

        assert schedule.regular_payment == Decimal("1000.00")
        assert len(schedule.rows) == 8
        assert schedule.last_due == date(2026, 10, 31)

    def test_reducing_the_instalment_keeps_the_end_date(self) -> None:
        """The same early repayment spread over the 11 instalments left: 727.27 each."""
        schedule = paid_then_repaid_early("reduce_instalment").schedule

        assert schedule.regular_payment == Decimal("727.27")
        assert len(schedule.rows) == 11
        assert schedule.last_due == date(2027, 1, 31)

    def test_the_new_schedule_keeps_the_first_calendar(self) -> None:
        """After an early repayment mid-March, instalments still fall on month ends."""
        account = (
            advance("12000.00")
            .repay_early(Decimal(3000), on=date(2026, 2, 10), mode=PrepaymentMode.REDUCE_INSTALMENT)
            .account
        )

        assert [r.due_date for r in account.schedule.rows[:3]] == [
            date(2026, 2, 28),
            date(2026, 3, 31),
            date(2026, 4, 30),
        ]

    def test_the_territory_setting_chooses_the_mode_and_is_cited(self) -> None:
        """Without a mode, the prepayment setting in force decides and is kept in the event."""
        settings = NATIONAL.set_for_territory(
            "MEUSE", PREPAYMENT, "reduce_instalment", start=date(2025, 1, 1)
        )
        account = (
            advance("12000.00")
            .repay_early(Decimal(3000), on=date(2026, 2, 10), settings=settings)
            .account
        )
        event = account.events[-1]

        assert event.mode is PrepaymentMode.REDUCE_INSTALMENT  # type: ignore[union-attr]
        assert event.settings_used[0].territory == "MEUSE"  # type: ignore[union-attr]

    def test_a_loan_pays_accrued_interest_then_principal(self) -> None:
        """On a subsidised loan, interest run since the last due date is paid first."""
        account = loan().repay_early(Decimal(5000), on=date(2026, 2, 1), mode="reduce_term").account
        part = account.allocations[-1].parts[-1]

        assert part.kind is PartKind.EARLY_REPAYMENT
        assert part.interest == 1333  # 10,000 × 3 % × 16/360
        assert part.principal == 500_000 - 1333
        assert account.schedule.regular_payment == account.versions[0].schedule.regular_payment

    def test_repaying_everything_owed_closes_the_account(self) -> None:
        """An early repayment of the whole outstanding closes the advance."""
        account = (
            advance().repay_early(Decimal(1200), on=date(2026, 2, 10), mode="reduce_term").account
        )

        assert account.status is AccountStatus.CLOSED
        assert len(account.versions) == 1

    def test_an_early_repayment_must_go_beyond_what_is_due(self) -> None:
        """An amount that only covers the arrears is a payment, not an early repayment."""
        served = advance().repay_early(Decimal(200), on=date(2026, 4, 10), mode="reduce_term")

        assert _refusal(served) == ("SCH-05", "early.within_due")
        assert "ne dépasse pas les 200,00 € dus" in served.decision.failed[0].message

    def test_total_principal_is_kept_through_early_repayments(self) -> None:
        """Paid and owed principal still add up to the principal lent."""
        account = (
            advance("12000.00")
            .pay(Decimal(1000), on=date(2026, 2, 28))
            .account.repay_early(Decimal(3000), on=date(2026, 3, 15), mode="reduce_term")
            .account.repay_early(Decimal("2999.99"), on=date(2026, 5, 2), mode="reduce_instalment")
            .account
        )

        assert total_principal(account) == Decimal("12000.00")
        assert [v.change for v in account.versions] == [
            ScheduleChange.ORIGINAL,
            ScheduleChange.EARLY_REPAYMENT,
            ScheduleChange.EARLY_REPAYMENT,
        ]


class TestRescheduling:
    """A rescheduling makes a new schedule from its date and keeps the history (SCH-05)."""

    def test_the_outstanding_becomes_a_new_schedule_from_the_effective_date(self) -> None:
        """Three months late, 1,200 € is rescheduled over 24 months after 3 months' deferral."""
        account = advance().reschedule(on=date(2026, 6, 1), instalments=24, deferral=3).account
        new = account.versions[-1]

        assert new.change is ScheduleChange.RESCHEDULING
        assert new.effective == date(2026, 6, 1)
        assert new.schedule.terms.principal == Decimal("1200.00")
        assert new.schedule.first_due == date(2026, 10, 1)
        assert account.arrears(on=date(2026, 6, 1)).amount == 0

    def test_the_history_is_kept(self) -> None:
        """The original schedule is unchanged and the arrears before the date replay as they were."""
        original = advance()
        account = (
            original.pay(Decimal(100), on=date(2026, 3, 1))
            .account.reschedule(on=date(2026, 6, 1), instalments=24)
            .account
        )

        assert account.versions[0].schedule == original.schedule
        assert account.arrears(on=date(2026, 5, 31)).amount == Decimal("300.00")
        assert account.principal_repaid == Decimal("100.00")
        assert total_principal(account) == Decimal("1200.00")
        assert "Version 2 (réaménagement) à compter du 01/06/2026" in account.history()

    def test_a_loan_capitalises_unpaid_and_accrued_interest(self) -> None:
        """Rescheduling a loan on 1 March adds February's unpaid interest and 16 days' accrued."""
        original = loan()
        february = original.schedule.rows[0]
        accrued = (february.balance * Decimal("0.03") * 16 / 360).quantize(Decimal("0.01"))

        account = original.reschedule(on=date(2026, 3, 1), instalments=36).account

        assert account.schedule.terms.principal == Decimal("10000.00") + Decimal("25.00") + accrued

    def test_a_rescheduling_may_change_the_frequency(self) -> None:
        """Rescheduled quarterly, 1,200 € becomes 4 quarterly instalments, the first three months on."""
        account = (
            advance()
            .reschedule(on=date(2026, 6, 1), instalments=4, frequency=Frequency.QUARTERLY)
            .account
        )

        assert account.schedule.terms.frequency is Frequency.QUARTERLY
        assert account.schedule.first_due == date(2026, 9, 1)
        assert account.schedule.regular_payment == Decimal("300.00")
        assert account.versions[0].schedule.terms.frequency is Frequency.MONTHLY

    def test_rescheduling_cures_a_default(self) -> None:
        """A defaulted advance is active again once rescheduled."""
        account = advance().declare_default(on=date(2026, 6, 1), settings=NATIONAL).account

        assert (
            account.reschedule(on=date(2026, 7, 1), instalments=36).account.status
            is AccountStatus.ACTIVE
        )


class TestDefaultWriteOffRecovery:
    """Default after the set days unpaid, acceleration, write-off, undo, recovery (SCH-06)."""

    def test_default_needs_more_than_90_days_unpaid(self) -> None:
        """On 29 May the February instalment is 90 days late: not yet a default."""
        decision = advance().default_decision(on=date(2026, 5, 29), settings=NATIONAL)

        assert decision.outcome is Outcome.REFUSED
        assert decision.failed[-1].code == "default.not_reached"
        assert decision.steps[-1].settings_used[0].name == "default_after_days"

    def test_declaring_default_too_early_is_refused(self) -> None:
        """The refusal names the days late and the setting."""
        served = advance().declare_default(on=date(2026, 5, 29), settings=NATIONAL)

        assert _refusal(served) == ("SCH-06", "default.not_reached")
        assert served.decision.failed[-1].params["days"] == 90
        assert served.account.status is AccountStatus.ACTIVE

    def test_a_territory_may_set_a_shorter_delay(self) -> None:
        """With default_after_days = 60, 61 days unpaid is a default."""
        settings = NATIONAL.set_for_territory(
            "MEUSE", DEFAULT_AFTER_DAYS, 60, start=date(2025, 1, 1)
        )

        decision = advance().default_decision(on=date(2026, 4, 30), settings=settings)

        assert decision.outcome is Outcome.ACCEPTED

    def test_default_makes_the_whole_outstanding_due(self) -> None:
        """After acceleration, everything owed is in arrears, from the oldest due date."""
        account = advance().declare_default(on=date(2026, 6, 1), settings=NATIONAL).account
        arrears = account.arrears(on=date(2026, 6, 1))

        assert account.status is AccountStatus.DEFAULTED
        assert arrears.amount == Decimal("1200.00")
        assert arrears.days_past_due == 93
        assert account.state.obligations[-1].kind is ObligationKind.ACCELERATED

    def test_a_defaulted_loan_owes_the_interest_run_to_that_day(self) -> None:
        """Acceleration on 1 June adds 16 days' interest (30/360) since the 15 May instalment."""
        original = loan()
        may = original.schedule.rows[3]
        accrued = (may.balance * Decimal("0.03") * 16 / 360).quantize(Decimal("0.01"))

        account = original.declare_default(on=date(2026, 6, 1), settings=NATIONAL).account
        accelerated = account.state.obligations[-1]

        assert Decimal(accelerated.interest).scaleb(-2) == accrued
        assert Decimal(accelerated.principal).scaleb(-2) == may.balance
        assert total_principal(account) == Decimal("10000.00")

    def test_write_off_undo_and_write_off_again(self) -> None:
        """A write-off records the loss; undoing it restores the default; it may be redone."""
        defaulted = advance().declare_default(on=date(2026, 6, 1), settings=NATIONAL).account
        written_off = defaulted.write_off(on=date(2026, 9, 1)).account
        undone = written_off.undo_write_off(on=date(2026, 9, 2)).account

        assert written_off.written_off == Decimal("1200.00")
        assert written_off.status is AccountStatus.WRITTEN_OFF
        assert undone.status is AccountStatus.DEFAULTED
        assert undone.written_off == 0
        assert undone.write_off(on=date(2026, 9, 3)).account.written_off == Decimal("1200.00")

    def test_the_fund_bears_an_advance_loss_and_the_partner_a_loan_loss(self) -> None:
        """FUND-02: an advance's write-off is the fund's loss; FUND-03: a loan's, the partner's."""
        lost_advance = advance().write_off(on=date(2026, 9, 1)).account
        lost_loan = loan().write_off(on=date(2026, 9, 1)).account

        assert [s.rule for s in lost_advance.loss_steps()] == ["FUND-02"]
        assert [s.rule for s in lost_loan.loss_steps()] == ["FUND-03"]
        assert "Aciéries de l'Est" in lost_loan.loss_steps()[0].message

    def test_recovery_is_capped_at_the_amount_written_off(self) -> None:
        """500 € then 700 € recovered of 1,200 €: one cent more is refused."""
        account = (
            advance()
            .write_off(on=date(2026, 9, 1))
            .account.recover(Decimal(500), on=date(2026, 10, 1))
            .account
        )

        served = account.recover(Decimal("700.01"), on=date(2026, 10, 2))
        assert _refusal(served) == ("FUND-02", "recovery.beyond_loss")
        assert served.decision.failed[0].params["left"] == Decimal("700.00")
        assert account.recover(Decimal(700), on=date(2026, 10, 2)).account.recovered == Decimal(
            "1200.00"
        )

    def test_a_recovery_goes_back_to_the_fund(self) -> None:
        """An advance's recovery rebuilds the fund (FUND-02)."""
        account = (
            advance()
            .write_off(on=date(2026, 9, 1))
            .account.recover(Decimal(500), on=date(2026, 10, 1))
            .account
        )

        assert account.allocations[-1].to_fund == Decimal("500.00")
        assert account.allocations[-1].steps[-1].rule == "FUND-02"

    def test_a_write_off_with_recoveries_cannot_be_undone(self) -> None:
        """Once something was recovered, the write-off stays."""
        account = (
            advance()
            .write_off(on=date(2026, 9, 1))
            .account.recover(Decimal(500), on=date(2026, 10, 1))
            .account
        )

        served = account.undo_write_off(on=date(2026, 10, 2))

        assert _refusal(served) == ("SCH-06", "undo.recovered")


class TestRefusals:
    """Refused commands are refused decisions naming the rule, and change nothing."""

    def test_a_payment_on_a_closed_advance_is_refused(self) -> None:
        """Once repaid in full, no payment can be recorded."""
        closed = advance().pay(Decimal(1200), on=date(2026, 2, 1)).account

        assert closed.status is AccountStatus.CLOSED
        served = closed.pay(Decimal(1), on=date(2026, 3, 1))
        assert _refusal(served) == ("SCH-06", "status.over")
        assert served.decision.failed[0].params["status"] == "soldée"

    def test_a_payment_on_a_written_off_advance_is_refused(self) -> None:
        """A written-off claim takes recoveries, not payments."""
        written_off = advance().write_off(on=date(2026, 9, 1)).account

        served = written_off.pay(Decimal(10), on=date(2026, 10, 1))

        assert _refusal(served) == ("SCH-06", "status.over")
        assert served.decision.failed[0].params["status"] == "passée en perte"

    def test_paying_more_than_everything_owed_is_refused(self) -> None:
        """The amount is refused with what is owed."""
        served = advance().pay(Decimal("1200.01"), on=date(2026, 2, 1))

        assert _refusal(served) == ("SCH-06", "payment.beyond_owed")
        assert served.decision.failed[0].params["owed"] == Decimal("1200.00")

    def test_a_float_amount_is_refused(self) -> None:
        """Amounts are never floats (SCH-01)."""
        with pytest.raises(InvalidValue, match=r"amount: 100\.0 is a binary float"):
            advance().pay(100.0, on=date(2026, 2, 1))

    def test_operations_out_of_date_order_are_refused(self) -> None:
        """A payment dated before the last operation is refused; the account is unchanged."""
        account = advance().pay(Decimal(100), on=date(2026, 3, 1)).account

        served = account.pay(Decimal(100), on=date(2026, 2, 28))

        assert _refusal(served) == ("SCH-06", "order.before_last")
        assert served.account is account
        assert len(account.events) == 1

    def test_a_recovery_on_an_advance_not_written_off_is_refused(self) -> None:
        """FUND-02: only a written-off claim is recovered; a decision, not an exception."""
        served = advance().recover(Decimal(10), on=date(2026, 5, 1))

        assert _refusal(served) == ("FUND-02", "recovery.not_written_off")

    def test_a_history_that_could_not_have_been_recorded_is_bad_input(self) -> None:
        """Replaying a payment beyond what is owed is refused naming the events."""
        account = advance()
        with pytest.raises(InvalidValue, match=r"events: .*could not have been recorded"):
            LoanAccount.replay(
                "A1",
                territory="MEUSE",
                kind=account.kind,
                lender=account.lender,
                terms=account.terms,
                events=[Payment(date(2026, 2, 1), Decimal(5000))],
            )

    def test_an_advance_at_a_rate_is_refused(self) -> None:
        """An advance is interest-free; a rated loan is a partner's (SCH-02, FUND-03)."""
        terms = LoanTerms(
            principal=Decimal(1000), start=START, instalments=10, rate=Decimal("0.01")
        )

        with pytest.raises(InvalidValue, match=r"rate: .* an advance is interest-free"):
            open_advance("A1", terms, territory="MEUSE")

    def test_a_partner_without_means_cannot_lend(self) -> None:
        """Only a partner with the means grants a subsidised loan (FUND-03)."""
        terms = LoanTerms(
            principal=Decimal(1000), start=START, instalments=10, rate=Decimal("0.01")
        )
        partner = PartnerCompany("TRANS", "Transports du Barrois")

        with pytest.raises(CommandRefused, match="has no means to grant subsidised loans"):
            open_subsidised_loan("L2", terms, territory="MEUSE", lender=partner)


class TestLenderAndHistory:
    """Who lent, and an account that replays to the same state."""

    def test_a_loan_repayment_is_the_partner_s_not_the_fund_s(self) -> None:
        """A subsidised loan's payment goes to its lender (FUND-03)."""
        account = loan().pay(Decimal(100), on=date(2026, 2, 15)).account
        allocation = account.allocations[-1]

        assert account.kind is LoanKind.SUBSIDISED_LOAN
        assert allocation.to_fund == 0
        assert allocation.steps[-1].rule == "FUND-03"

    def test_replaying_the_events_gives_the_same_account(self) -> None:
        """An account rebuilt from its events equals the one the commands made."""
        account = (
            advance()
            .pay(Decimal(150), on=date(2026, 4, 10))
            .account.repay_early(Decimal(300), on=date(2026, 5, 2), mode="reduce_term")
            .account.reschedule(on=date(2026, 9, 1), instalments=6, deferral=1)
            .account
        )

        replayed = LoanAccount.replay(
            account.id,
            territory=account.territory,
            kind=account.kind,
            lender=account.lender,
            terms=account.terms,
            events=account.events,
        )

        assert replayed == account

    def test_the_account_as_of_a_date_ignores_later_events(self) -> None:
        """as_of gives the account before the rescheduling."""
        account = advance().reschedule(on=date(2026, 6, 1), instalments=24).account

        assert len(account.as_of(date(2026, 5, 31)).versions) == 1
