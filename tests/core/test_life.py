"""An advance's life: the register's fast valuation is the loan account's, on any history."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from alize_core.kernel.money import Rounding, from_cents
from alize_core.lending import (
    Acceleration,
    AccountStatus,
    AdvanceLife,
    Frequency,
    LoanAccount,
    LoanTerms,
    Payment,
    Recovery,
    Rescheduling,
    Reterming,
    ServicingEvent,
    WriteOff,
    open_advance,
    recovery_excess,
)


START = date(2026, 1, 31)

_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 120), st.integers(1, 2_000_000)),
        st.tuples(
            st.just("reschedule"),
            st.integers(0, 120),
            st.integers(1, 36),
            st.sampled_from(Frequency),
            st.integers(0, 3),
        ),
        st.tuples(st.just("default"), st.integers(0, 400)),
        st.tuples(st.just("write_off"), st.integers(0, 200), st.integers(0, 100)),
        st.tuples(st.just("recover"), st.integers(0, 200), st.integers(1, 2_000_000)),
    ),
    max_size=10,
)


class _Both:
    """One history told twice: as the life's cents and as the loan account's events."""

    def __init__(
        self,
        principal: int,
        instalments: int,
        frequency: Frequency,
        deferral: int,
        rounding: Rounding,
    ) -> None:
        terms = LoanTerms(
            principal=from_cents(principal),
            start=START,
            instalments=instalments,
            frequency=frequency,
            deferral=deferral,
            rounding=rounding,
        )
        self.account = open_advance("A1", terms, territory="MEUSE")
        self.events: list[ServicingEvent] = []
        self.life = AdvanceLife(
            principal=principal,
            start=START,
            instalments=instalments,
            frequency=frequency,
            deferral=deferral,
            rounding=rounding,
        )

    def record(self, event: ServicingEvent, **life: Any) -> None:
        self.events.append(event)
        self.account = LoanAccount.replay(
            "A1",
            territory="MEUSE",
            kind=self.account.kind,
            lender=self.account.lender,
            terms=self.account.terms,
            events=self.events,
        )
        self.life = attrs.evolve(self.life, **life)

    def agree(self, on: date) -> None:
        position = self.life.position(on)
        arrears = self.account.arrears(on=on)
        assert position.status is self.account.as_of(on).status
        assert from_cents(position.outstanding) == arrears.outstanding
        assert from_cents(position.arrears) == arrears.amount
        assert position.days_past_due == arrears.days_past_due
        assert position.bucket is arrears.bucket


def _play(both: _Both, operations: list[tuple[Any, ...]]) -> date:
    """Apply the operations that the advance's status allows, checking agreement before each."""
    on = START
    for operation in operations:
        on += timedelta(days=operation[1])
        both.agree(on)
        status = both.account.status
        outstanding = int(both.account.outstanding * 100)
        life = both.life
        if operation[0] == "pay" and status in {AccountStatus.ACTIVE, AccountStatus.DEFAULTED}:
            amount = min(operation[2], outstanding)
            both.record(Payment(on, from_cents(amount)), payments=(*life.payments, (on, amount)))
        elif (
            operation[0] == "reschedule"
            and status is AccountStatus.ACTIVE
            and outstanding >= operation[2]
        ):
            _, _, count, frequency, deferral = operation
            change = Reterming(on, count, frequency, deferral, len(life.payments), outstanding)
            both.record(
                Rescheduling(on, count, deferral, frequency),
                reschedulings=(*life.reschedulings, change),
            )
        elif (
            operation[0] == "default"
            and status is AccountStatus.ACTIVE
            and all(change.on < on for change in life.reschedulings)
        ):
            days = both.account.arrears(on=on).days_past_due
            both.record(Acceleration(on, days), defaulted_on=on)
        elif operation[0] == "write_off" and status in {
            AccountStatus.ACTIVE,
            AccountStatus.DEFAULTED,
        }:
            amount = outstanding * operation[2] // 100 or outstanding
            both.record(WriteOff(on, from_cents(amount)), written_off=amount, written_off_on=on)
        elif operation[0] == "recover" and status is AccountStatus.WRITTEN_OFF:
            left = life.written_off - life.recovered
            amount = min(operation[2], left)
            if amount:
                both.record(Recovery(on, from_cents(amount)), recovered=life.recovered + amount)
    return on


@settings(max_examples=150, deadline=None)
@given(
    principal=st.integers(100, 5_000_000),
    terms=st.tuples(st.integers(1, 36), st.sampled_from(Frequency), st.integers(0, 3)),
    rounding=st.sampled_from(Rounding),
    operations=_OPERATIONS,
    later=st.lists(st.integers(0, 1500), min_size=1, max_size=4),
)
@example(
    principal=2_500_000,
    terms=(24, Frequency.MONTHLY, 0),
    rounding=Rounding.HALF_UP,
    operations=[("pay", 60, 104_200), ("default", 200), ("pay", 10, 300_000), ("pay", 0, 20)],
    later=[0, 31, 400],
)
@example(
    principal=1_000_000,
    terms=(12, Frequency.QUARTERLY, 1),
    rounding=Rounding.UP,
    operations=[("pay", 100, 1_000), ("default", 300), ("write_off", 10, 40), ("recover", 5, 10)],
    later=[0, 1, 2000],
)
def test_the_life_of_an_advance_is_its_loan_account(
    principal: int,
    terms: tuple[int, Frequency, int],
    rounding: Rounding,
    operations: list[tuple[Any, ...]],
    later: list[int],
) -> None:
    """
    SCH-01, SCH-05, SCH-06, FUND-02: whatever the payments (late, early, in advance, in
    full), reschedulings, default, write-off and recoveries, the fast valuation gives the
    loan account's status, outstanding, arrears and days past due, at every date.
    """
    count, _, _ = terms
    principal = max(principal, count)
    both = _Both(principal, *terms, rounding)
    on = _play(both, operations)
    for days in later:
        both.agree(on + timedelta(days=days))
    event(f"ends {both.account.status.value}")


def test_from_the_default_the_whole_outstanding_is_due() -> None:
    """SCH-06: on the day of the default the arrears are the outstanding, not the instalments."""
    life = AdvanceLife(
        principal=1_100_000, start=START, instalments=12, defaulted_on=date(2026, 6, 30)
    )
    before, on = life.position(date(2026, 6, 29)), life.position(date(2026, 6, 30))
    assert (before.status, before.arrears) == (AccountStatus.ACTIVE, 366_668)
    assert (on.status, on.arrears, on.outstanding) == (
        AccountStatus.DEFAULTED,
        1_100_000,
        1_100_000,
    )
    assert on.days_past_due == before.days_past_due + 1


def test_after_a_write_off_nothing_is_in_arrears() -> None:
    """SCH-06: a written-off advance is no longer claimed; what was not written off stays owed."""
    life = AdvanceLife(
        principal=1_200_000,
        start=START,
        instalments=12,
        defaulted_on=date(2026, 6, 30),
        written_off=1_000_000,
        written_off_on=date(2026, 9, 30),
    )
    position = life.position(date(2026, 10, 1))
    assert position.status is AccountStatus.WRITTEN_OFF
    assert (position.arrears, position.days_past_due, position.outstanding) == (0, 0, 200_000)


def test_the_loan_account_refuses_a_recovery_beyond_the_loss_by_the_one_cap() -> None:
    """FUND-02: the loan account's cap is :func:`recovery_excess`, the register's too."""
    account = open_advance(
        "A1", LoanTerms(principal=Decimal("1200.00"), start=START, instalments=12), territory="M"
    )
    lost = account.write_off(on=date(2026, 9, 30), amount=Decimal("500.00")).account

    beyond = lost.recover(Decimal("500.01"), on=date(2026, 10, 1))
    assert not beyond.accepted
    assert beyond.decision.failed[0].params["left"] == Decimal("500.00")
    assert recovery_excess(50_000, 0, 50_001) == 1
    assert lost.recover(Decimal("500.00"), on=date(2026, 10, 1)).account.recovered == Decimal(
        "500.00"
    )
