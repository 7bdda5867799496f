"""The table-driven month step equals dateutil's relativedelta, everywhere (SCH-04)."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from alize_core.kernel import (
    FIRST_TABLE_YEAR,
    LAST_TABLE_YEAR,
    add_months,
    month_ordinals,
    periods_elapsed,
)


any_dates = st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31))
table_dates = st.dates(
    min_value=date(FIRST_TABLE_YEAR - 5, 1, 1), max_value=date(LAST_TABLE_YEAR + 5, 12, 31)
)
month_ends = st.builds(
    lambda d, day: d.replace(day=min(day, 28)) if day <= 28 else _clip(d, day),
    table_dates,
    st.integers(min_value=1, max_value=31),
)


def _clip(day: date, wanted: int) -> date:
    """The day ``wanted`` of the month of ``day`` if it exists, else the month's last day."""
    return day.replace(day=1) + relativedelta(day=wanted)


def _relativedelta_or_none(start: date, months: int) -> date | None:
    try:
        return start + relativedelta(months=months)
    except (ValueError, OverflowError):
        return None


def _add_months_or_none(start: date, months: int) -> date | None:
    try:
        return add_months(start, months)
    except OverflowError:
        return None


@given(start=any_dates, months=st.integers(min_value=-130_000, max_value=130_000))
def test_a_month_step_always_equals_relativedelta(start: date, months: int) -> None:
    """Any date plus any number of months gives relativedelta's date, or both overflow."""
    expected = _relativedelta_or_none(start, months)

    assert _add_months_or_none(start, months) == expected


@given(
    start=st.one_of(month_ends, any_dates),
    first=st.integers(min_value=-24, max_value=1500),
    count=st.integers(min_value=0, max_value=80),
    step=st.sampled_from([1, 3, 12]),
)
def test_a_run_of_due_dates_equals_relativedelta_from_the_start(
    start: date, first: int, count: int, step: int
) -> None:
    """Each date of a run is start + relativedelta(months=first + i × step), computed afresh."""
    expected = [_relativedelta_or_none(start, first + i * step) for i in range(count)]
    try:
        got: list[date | None] = [
            date.fromordinal(o) for o in month_ordinals(start, first, count, step)
        ]
    except OverflowError:
        assert None in expected
    else:
        assert got == expected


def test_january_31_gives_february_28_then_march_31() -> None:
    """A month-end start is clipped in short months and comes back on the 31st (no drift)."""
    dates = [date.fromordinal(o) for o in month_ordinals(date(2026, 1, 31), 1, 4, 1)]

    assert dates == [date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 5, 31)]


def test_a_leap_year_gives_february_29() -> None:
    """In a leap year, 31 January plus a month is 29 February."""
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)


def test_dates_outside_the_tables_are_still_right() -> None:
    """Beyond the tables' years, plain arithmetic gives relativedelta's answer."""
    start = date(LAST_TABLE_YEAR, 12, 31)

    assert add_months(start, 2) == start + relativedelta(months=2)
    assert add_months(date(1600, 3, 31), -1) == date(1600, 2, 29)


def test_a_date_past_the_year_9999_is_refused() -> None:
    """Stepping past December 9999 raises OverflowError, as date arithmetic does."""
    with pytest.raises(OverflowError, match="past the year 9999"):
        month_ordinals(date(9999, 6, 30), 1, 12, 1)


@given(anchor=table_dates, on=table_dates, step=st.sampled_from([1, 3, 12]))
def test_periods_elapsed_frames_the_date(anchor: date, on: date, step: int) -> None:
    """The periods gone by p satisfy anchor + p periods ≤ on < anchor + (p + 1) periods."""
    periods = periods_elapsed(anchor, step, on)

    if on < anchor:
        assert periods == 0
    else:
        assert anchor + relativedelta(months=periods * step) <= on
        assert on < anchor + relativedelta(months=(periods + 1) * step)
