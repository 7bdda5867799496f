"""Repayment schedules: exact cents, dates without drift, explained (SCH-01 to SCH-04)."""

from __future__ import annotations

import decimal
from datetime import date
from decimal import Decimal

import attrs
import numpy_financial as npf
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import assume, given
from hypothesis import strategies as st

from alize_core import AlizeError, InvalidValue, MissingValue, Rounding, Settings
from alize_core.kernel import ROUNDING
from alize_core.lending import (
    DayCount,
    DeferralInterest,
    Frequency,
    LoanTerms,
    Method,
    Schedule,
    accrued_interest,
    build_schedule,
    instalments_for_payment,
)


CENT = Decimal("0.01")
START = date(2026, 1, 31)


def terms(principal: str, instalments: int, **options: object) -> LoanTerms:
    """Terms with a month-end start by default."""
    options.setdefault("start", START)
    return LoanTerms(principal=Decimal(principal), instalments=instalments, **options)


def payments(schedule: Schedule) -> list[str]:
    """The payment column as text."""
    return [str(row.payment) for row in schedule.rows]


@st.composite
def loan_terms(draw: st.DrawFn, *, rated: bool | None = None) -> LoanTerms:
    """Any valid terms: principals from n cents up, rates from 0 to 20 %, any calendar."""
    count = draw(st.integers(min_value=1, max_value=120))
    cents = draw(
        st.one_of(
            st.integers(min_value=count, max_value=3 * count),
            st.integers(min_value=count, max_value=10**11),
        )
    )
    is_rated = draw(st.booleans()) if rated is None else rated
    rate = Decimal(draw(st.integers(min_value=1, max_value=2000))).scaleb(-4) if is_rated else 0
    return LoanTerms(
        principal=Decimal(cents).scaleb(-2),
        start=draw(st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31))),
        instalments=count,
        frequency=draw(st.sampled_from(Frequency)),
        deferral=draw(st.integers(min_value=0, max_value=36)),
        rate=rate,
        method=draw(st.sampled_from(Method)),
        deferral_interest=draw(st.sampled_from(DeferralInterest)),
        day_count=draw(st.sampled_from(DayCount)),
        rounding=draw(st.sampled_from(Rounding)),
    )


class TestTheIssueExamples:
    """The examples the rules are written with."""

    def test_1000_in_7_gives_six_of_142_86_and_142_84(self) -> None:
        """1,000.00 in 7: the regular instalment is rounded half up, the last takes the rest."""
        schedule = build_schedule(terms("1000.00", 7))

        assert payments(schedule) == ["142.86"] * 6 + ["142.84"]

    def test_1_euro_in_60_gives_59_cents_then_41(self) -> None:
        """1.00 in 60: rounding half up would over-collect, so 59 × 0.01 and 0.41."""
        schedule = build_schedule(terms("1.00", 60))

        assert payments(schedule) == ["0.01"] * 59 + ["0.41"]
        assert schedule.rounded_down

    def test_30000_in_48_after_6_months_starts_on_31_august(self) -> None:
        """An advance deferred 6 months: nothing is listed during the deferral (SCH-02)."""
        schedule = build_schedule(terms("30000", 48, deferral=6))
        first = schedule.to_dict()["instalments"][0]  # type: ignore[index]

        assert first == {
            "number": 1,
            "due_date": "2026-08-31",
            "payment": "625.00",
            "principal": "625.00",
            "interest": "0.00",
            "balance": "29375.00",
        }
        assert len(schedule.rows) == 48

    def test_a_rated_deferral_lists_interest_only_rows(self) -> None:
        """A subsidised loan's deferral rows show principal 0.00 and the interest paid (SCH-03)."""
        schedule = build_schedule(terms("30000", 48, deferral=6, rate=Decimal("0.02")))

        assert [str(r.principal) for r in schedule.rows[:6]] == ["0.00"] * 6
        assert {str(r.payment) for r in schedule.rows[:6]} == {"50.00"}
        assert all(r.deferral for r in schedule.rows[:6])
        assert len(schedule.rows) == 54


class TestDueDates:
    """Due dates are counted from the start each time, clipped to the month's end (SCH-04)."""

    def test_month_end_start_is_clipped_without_drift(self) -> None:
        """31 January gives 28 February, 31 March, 30 April, 31 May."""
        schedule = build_schedule(terms("400", 4))

        assert [r.due_date for r in schedule.rows] == [
            date(2026, 2, 28),
            date(2026, 3, 31),
            date(2026, 4, 30),
            date(2026, 5, 31),
        ]

    def test_quarterly_instalments_step_three_months(self) -> None:
        """Quarterly instalments fall every three months from the start."""
        schedule = build_schedule(terms("300", 3, frequency="quarterly", start=date(2027, 11, 30)))

        assert [r.due_date for r in schedule.rows] == [
            date(2028, 2, 29),
            date(2028, 5, 30),
            date(2028, 8, 30),
        ]

    def test_annual_instalments_after_a_deferral(self) -> None:
        """Annual instalment k falls d + k years after the start."""
        schedule = build_schedule(terms("300", 2, frequency=Frequency.ANNUAL, deferral=2))

        assert [r.due_date for r in schedule.rows] == [date(2029, 1, 31), date(2030, 1, 31)]

    def test_a_last_due_date_past_9999_is_refused(self) -> None:
        """Terms whose last instalment would fall after 9999 are refused, naming the field."""
        with pytest.raises(InvalidValue, match="instalments: 1200 puts the last due date past"):
            terms("5000", 1200, start=date(9950, 1, 1))


class TestRatedLoans:
    """Subsidised loans: annuity or constant principal on the declining balance (SCH-03)."""

    def test_each_period_interest_is_the_balance_times_the_period_rate_half_up(self) -> None:
        """30/360: period rate = yearly rate × 1/12; interest rounded half up on the balance."""
        rate = Decimal("0.035")
        schedule = build_schedule(terms("25000", 36, rate=rate))
        balance = Decimal("25000.00")

        for row in schedule.rows:
            expected = (balance * rate / 12).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
            assert row.interest == expected
            balance -= row.principal

    def test_actual_365_counts_the_days_of_each_period(self) -> None:
        """act/365: a period's interest is balance × rate × actual days / 365, rounded half up."""
        rate = Decimal("0.04")
        schedule = build_schedule(terms("12000", 12, rate=rate, day_count="act/365"))
        balance, previous = Decimal("12000.00"), START

        for row in schedule.rows:
            days = (row.due_date - previous).days
            expected = (balance * rate * days / 365).quantize(CENT, rounding=decimal.ROUND_HALF_UP)
            assert row.interest == expected
            balance, previous = balance - row.principal, row.due_date

        assert balance == 0

    def test_constant_principal_repays_the_same_principal_each_time(self) -> None:
        """Constant principal: 10,000 in 3 gives 3,333.33 twice and 3,333.34."""
        schedule = build_schedule(
            terms("10000", 3, rate=Decimal("0.06"), method="constant_principal")
        )

        assert [str(r.principal) for r in schedule.rows] == ["3333.33", "3333.33", "3333.34"]
        assert [str(r.interest) for r in schedule.rows] == ["50.00", "33.33", "16.67"]

    def test_capitalised_deferral_interest_is_added_to_the_balance(self) -> None:
        """Capitalised: nothing is paid, the interest joins the balance and is amortised."""
        schedule = build_schedule(
            terms("12000", 12, rate=Decimal("0.03"), deferral=2, deferral_interest="capitalised")
        )
        first, second = schedule.rows[:2]

        assert (first.payment, first.interest, first.principal) == (
            Decimal("0.00"),
            Decimal("30.00"),
            Decimal("-30.00"),
        )
        assert second.balance == Decimal("12060.08")
        assert schedule.totals.principal == Decimal("12000.00")

    @given(
        cents=st.integers(min_value=10_000, max_value=10**10),
        count=st.integers(min_value=2, max_value=360),
        basis_points=st.integers(min_value=10, max_value=2500),
        frequency=st.sampled_from(Frequency),
    )
    def test_annuity_payment_agrees_with_numpy_financial_pmt(
        self, cents: int, count: int, basis_points: int, frequency: Frequency
    ) -> None:
        """The annuity payment is numpy_financial.pmt rounded half up, to the cent."""
        rate = Decimal(basis_points).scaleb(-4)
        schedule = build_schedule(
            LoanTerms(
                principal=Decimal(cents).scaleb(-2),
                start=START,
                instalments=count,
                rate=rate,
                frequency=frequency,
            )
        )
        oracle = float(npf.pmt(float(rate) * frequency.months / 12, count, -cents / 100)) * 100
        fraction = oracle - int(oracle)
        assume(1e-6 < fraction < 1 - 1e-6 and abs(fraction - 0.5) > 1e-6)  # float too close

        expected = int(oracle) if schedule.rounded_down else int(oracle + 0.5)
        assert schedule.regular_cents == expected


class TestRounding:
    """The rounding rule is named and applied (SCH-01)."""

    def test_half_even_and_half_up_differ_on_a_half_cent(self) -> None:
        """100.26 in 4 is 25.065: half up gives 25.07, half even 25.06; the last takes the rest."""
        half_up = build_schedule(terms("100.26", 4))
        half_even = build_schedule(terms("100.26", 4, rounding="half_even"))

        assert payments(half_up) == ["25.07", "25.07", "25.07", "25.05"]
        assert payments(half_even) == ["25.06", "25.06", "25.06", "25.08"]

    def test_the_territory_rounding_setting_is_used_and_cited(self) -> None:
        """Terms read from settings use the territory's rounding and cite its rules."""
        settings = Settings.national().set_for_territory(
            "T1", ROUNDING, "down", start=date(2025, 1, 1), section="Article 9"
        )
        schedule = build_schedule(
            LoanTerms.from_settings(
                settings, territory="T1", on=START, principal="100", start=START, instalments=3
            )
        )
        rounding_step = schedule.steps[0]

        assert payments(schedule) == ["33.33", "33.33", "33.34"]
        assert rounding_step.rule == "SCH-01"
        assert rounding_step.settings_used[0].citation.section == "Article 9"


class TestInvariants:
    """Properties over random principals, terms, rates and start dates."""

    @given(loan_terms())
    def test_every_amount_is_in_whole_cents(self, loan: LoanTerms) -> None:
        """Every public amount has at most two decimals."""
        for row in build_schedule(loan).rows:
            for amount in (row.payment, row.principal, row.interest, row.balance):
                assert amount == amount.quantize(CENT)

    @given(loan_terms())
    def test_principal_repaid_adds_up_to_the_principal_and_ends_at_zero(
        self, loan: LoanTerms
    ) -> None:
        """Σ principal = principal exactly, and the last balance is 0."""
        schedule = build_schedule(loan)

        assert schedule.totals.principal == loan.principal
        assert schedule.rows[-1].balance == 0

    @given(loan_terms())
    def test_nothing_is_over_collected(self, loan: LoanTerms) -> None:
        """No row repays more than the balance, no balance goes negative, payments add up."""
        schedule = build_schedule(loan)
        balance = loan.principal

        for row in schedule.rows:
            assert row.payment == row.principal + row.interest
            assert row.principal <= balance
            assert row.balance == balance - row.principal
            assert row.balance >= 0
            assert row.payment > 0 or row.deferral
            balance = row.balance

        assert schedule.totals.payment == loan.principal + schedule.totals.interest

    @given(loan_terms(rated=False))
    def test_an_advance_never_bears_interest_or_a_deferral_row(self, loan: LoanTerms) -> None:
        """Interest-free: n rows, all interest 0, instalments equal but the last."""
        schedule = build_schedule(loan)
        rows = schedule.rows

        assert len(rows) == loan.instalments
        assert {r.interest for r in rows} == {Decimal(0)}
        assert len({r.payment for r in rows[:-1]}) <= 1
        assert rows[-1].payment > 0

    @given(loan_terms())
    def test_due_dates_rise_and_are_clipped_to_the_month_end(self, loan: LoanTerms) -> None:
        """Row k falls start + k periods (advances: + deferral), as relativedelta says."""
        schedule = build_schedule(loan)
        offset = loan.deferral if loan.rate == 0 else 0
        months = loan.frequency.months
        dates = [r.due_date for r in schedule.rows]

        assert dates == sorted(set(dates))
        for k, due in enumerate(dates, start=1):
            assert due == loan.start + relativedelta(months=(offset + k) * months)


class TestRefusals:
    """Bad terms raise an AlizeError naming the field and the value."""

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("principal", Decimal(0), "must be more than zero euros"),
            ("principal", Decimal("-5"), "must be more than zero euros"),
            ("principal", Decimal("10.001"), "has a fraction of a cent"),
            ("principal", 1000.0, "is a binary float"),
            ("instalments", 0, "must be a whole number, at least 1"),
            ("instalments", 12.0, "must be a whole number"),
            ("deferral", -1, "must be a whole number, zero or more"),
            ("rate", Decimal("-0.01"), "must not be negative"),
            ("rate", 0.02, "is a binary float"),
            ("frequency", "weekly", "must be one of monthly, quarterly, annual"),
            ("method", "bullet", "must be one of annuity, constant_principal"),
        ],
    )
    def test_bad_terms_are_refused(self, field: str, value: object, message: str) -> None:
        """Each bad value is refused with its field named."""
        options: dict[str, object] = {"principal": Decimal(1000), "start": START, "instalments": 12}
        options[field] = value

        with pytest.raises(InvalidValue, match=message) as caught:
            LoanTerms(**options)

        assert caught.value.field == field

    def test_principal_smaller_than_one_cent_per_instalment_is_refused(self) -> None:
        """0.50 cannot be repaid in 60 instalments of at least a cent."""
        with pytest.raises(InvalidValue, match=r"principal: '0\.50' cannot be repaid in 60"):
            terms("0.50", 60)

    def test_a_missing_start_date_is_refused(self) -> None:
        """Without a start date there is no schedule."""
        with pytest.raises(MissingValue, match="start: is required"):
            LoanTerms(principal=Decimal(100), start=None, instalments=2)

    def test_a_fixed_payment_that_repays_too_soon_is_refused(self) -> None:
        """A regular payment that clears the loan before the last instalment is refused."""
        with pytest.raises(InvalidValue, match=r"regular_payment: .* repays the principal before"):
            build_schedule(terms("1000", 10, regular_payment=Decimal(300)))

    def test_an_anchor_that_does_not_frame_the_start_is_refused(self) -> None:
        """A continued calendar must contain the start date in its current period."""
        with pytest.raises(InvalidValue, match=r"anchor: .* does not frame the start date"):
            terms("1000", 10, start=date(2026, 6, 15), anchor=START, anchor_periods=1)

    @given(
        junk=st.one_of(st.floats(), st.text(max_size=4), st.none(), st.lists(st.integers())),
        field=st.sampled_from(["principal", "instalments", "rate", "start", "deferral"]),
    )
    def test_junk_in_any_field_gives_an_alize_error_naming_it(
        self, junk: object, field: str
    ) -> None:
        """Junk as the principal, count, rate, start or deferral is refused naming the field."""
        options: dict[str, object] = {"principal": Decimal(100), "start": START, "instalments": 2}
        options[field] = junk
        refused: AlizeError | None = None

        try:
            LoanTerms(**options)
        except AlizeError as error:
            refused = error

        assert refused is None or refused.field == field


class TestExplanations:
    """A schedule explains itself, citing SCH-01 to SCH-04."""

    def test_an_advance_cites_rounding_equal_instalments_and_dates(self) -> None:
        """The steps cite SCH-01, SCH-02 and SCH-04."""
        schedule = build_schedule(terms("1000.00", 7, deferral=3))

        assert [s.rule for s in schedule.steps] == [
            "SCH-01",
            "SCH-02",
            "SCH-02",
            "SCH-04",
            "SCH-04",
            "SCH-02",
        ]
        assert "Différé de 3 période(s)" in schedule.explain()

    def test_a_loan_explains_its_rate_method_and_deferral(self) -> None:
        """A rated schedule cites SCH-03 for the rate, the method and the deferral interest."""
        text = build_schedule(terms("10000", 24, rate=Decimal("0.025"), deferral=2)).explain()

        assert "Prêt au taux annuel de 2,5 % (base 30/360)" in text
        assert "seuls les intérêts sont payés (41,66 € au total) (SCH-03)" in text

    def test_rounding_down_is_flagged(self) -> None:
        """When the instalment had to be rounded down, the explanation says so."""
        schedule = build_schedule(terms("1.00", 60))

        assert [s.code for s in schedule.steps if s.warning] == ["advance.rounded_down"]


def test_a_fixed_payment_gives_the_number_of_instalments_it_needs() -> None:
    """300 a month repays 1,000 in 4 instalments; at 2 % a little interest makes it 4 too."""
    assert instalments_for_payment(terms("1000", 10), Decimal(300)) == 4
    assert instalments_for_payment(terms("1000", 10, rate=Decimal("0.02")), Decimal(300)) == 4


def test_interest_accrues_by_the_day_count() -> None:
    """From 15 March to 1 April: 16 days under 30/360, 17 under act/365."""
    loan = terms("10000", 24, rate=Decimal("0.03"))
    actual = attrs.evolve(loan, day_count=DayCount.ACTUAL_365)

    assert accrued_interest(Decimal(9000), loan, date(2026, 3, 15), date(2026, 4, 1)) == Decimal(
        "12.00"
    )
    assert accrued_interest(Decimal(9000), actual, date(2026, 3, 15), date(2026, 4, 1)) == Decimal(
        "12.58"
    )
