"""
Calendar-month steps, table-driven (*pas mensuel*): private helper of :mod:`alize_core.lending.schedules`.

A due date is the start date plus a whole number of calendar months, computed
from the start each time; a day the target month lacks falls on that month's
last day (SCH-04). That is exactly what
``start + dateutil.relativedelta.relativedelta(months=m)`` gives, and the test
suite proves the two agree (a hypothesis property over every year from 1 to
9999). ``relativedelta`` costs about 12 µs a date, so schedules use tables
instead: for each day of the month, the day number (ordinal) of that day, clipped
to the month's end, in every month from 1990 to 2159 (about 63,000 numbers, some
3 MB, built in a few milliseconds at import). A run of due dates is then one slice
of a table; outside those years, plain year/month arithmetic gives the same dates.

>>> from datetime import date
>>> add_months(date(2024, 1, 31), 1), add_months(date(2024, 1, 31), 2)
(datetime.date(2024, 2, 29), datetime.date(2024, 3, 31))
>>> [date.fromordinal(o) for o in month_ordinals(date(2026, 1, 31), 1, 3, 1)]
[datetime.date(2026, 2, 28), datetime.date(2026, 3, 31), datetime.date(2026, 4, 30)]
>>> add_months(date(9999, 12, 1), 1)
Traceback (most recent call last):
...
OverflowError: 9999-12-01 + 1 month(s) is past the year 9999

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import calendar
import itertools
import operator
from datetime import date
from typing import Final


__all__ = [
    "FIRST_TABLE_YEAR",
    "LAST_TABLE_YEAR",
    "add_months",
    "month_index",
    "month_ordinals",
    "periods_elapsed",
]

FIRST_TABLE_YEAR: Final = 1990
"""The first year the tables cover."""

LAST_TABLE_YEAR: Final = 2159
"""The last year the tables cover (beyond, plain arithmetic gives the same dates)."""

_BASE: Final = FIRST_TABLE_YEAR * 12
_SIZE: Final = (LAST_TABLE_YEAR - FIRST_TABLE_YEAR + 1) * 12
_MIN_INDEX: Final = 12  # January of year 1
_MAX_INDEX: Final = 9999 * 12 + 11  # December of year 9999


def _tables() -> tuple[tuple[int, ...], tuple[int, ...], tuple[tuple[int, ...], ...]]:
    """
    Days in each month, the ordinal of the day before each month's first day, and,
    for each day from 1 to 31, the ordinal of that day in each month, clipped to the
    month's end: a run of due dates is then one slice of a table.
    """
    common = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    leap = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
    lengths = tuple(
        length
        for year in range(FIRST_TABLE_YEAR, LAST_TABLE_YEAR + 1)
        for length in (leap if calendar.isleap(year) else common)
    )
    first = date(FIRST_TABLE_YEAR, 1, 1).toordinal() - 1
    before_first = tuple(itertools.accumulate(lengths[:-1], initial=first))
    by_day = tuple(
        tuple(map(operator.add, before_first, itertools.repeat(day)))
        if day <= 28
        else tuple(
            [b + day if n >= day else b + n for b, n in zip(before_first, lengths, strict=True)]
        )
        for day in range(1, 32)
    )
    return lengths, before_first, by_day


_LENGTHS, _BEFORE_FIRST, _BY_DAY = _tables()


def month_index(day: date) -> int:
    """The month of a date as a single number: ``year × 12 + month − 1``."""
    return day.year * 12 + day.month - 1


def _ordinal(index: int, day: int) -> int:
    """The ordinal of ``day`` (clipped to the month's end) in the month ``index``."""
    position = index - _BASE
    if 0 <= position < _SIZE:
        length = _LENGTHS[position]
        return _BEFORE_FIRST[position] + (day if day <= length else length)
    year, month0 = divmod(index, 12)
    length = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day, length)).toordinal()


def _check_range(start: date, first: int, last: int) -> None:
    low = month_index(start) + min(first, last)
    high = month_index(start) + max(first, last)
    if low < _MIN_INDEX or high > _MAX_INDEX:
        months = last if high > _MAX_INDEX else min(first, last)
        where = "past the year 9999" if high > _MAX_INDEX else "before the year 1"
        msg = f"{start.isoformat()} + {months} month(s) is {where}"
        raise OverflowError(msg)


def add_months(start: date, months: int) -> date:
    """
    The date ``months`` calendar months after ``start`` (before it when negative),
    clipped to the month's end: ``start + relativedelta(months=months)``.

    Raises:
        OverflowError: The result would fall outside the years 1 to 9999.
    """
    _check_range(start, months, months)
    return date.fromordinal(_ordinal(month_index(start) + months, start.day))


def month_ordinals(start: date, first: int, count: int, step: int) -> tuple[int, ...]:
    """
    The ordinals of ``start + (first + i × step)`` months, for ``i`` from 0 to ``count − 1``.

    Every date is computed from ``start``, never from the previous one, so a
    31 January start gives 28/29 February and then 31 March again (no drift).

    Args:
        start: The anchor date.
        first: The months from the anchor to the first date.
        count: How many dates.
        step: The months between two dates (1, 3 or 12).

    Raises:
        OverflowError: A date would fall outside the years 1 to 9999.
    """
    if count <= 0:
        return ()
    last = first + (count - 1) * step
    _check_range(start, first, last)
    begin = month_index(start) + first
    end = begin + (count - 1) * step + 1
    day = start.day
    low, high = begin - _BASE, end - 1 - _BASE
    if low >= 0 and high < _SIZE:
        return _BY_DAY[day - 1][low : high + 1 : step]
    return tuple(_ordinal(index, day) for index in range(begin, end, step))


def periods_elapsed(anchor: date, step: int, on: date) -> int:
    """
    How many whole periods of ``step`` months have gone by from ``anchor`` to ``on``:
    the largest ``p ≥ 0`` with ``anchor + p × step months ≤ on``.

    >>> periods_elapsed(date(2026, 1, 31), 1, date(2026, 2, 28))
    1
    >>> periods_elapsed(date(2026, 1, 31), 1, date(2026, 2, 27))
    0
    """
    if on <= anchor:
        return 0
    target = on.toordinal()
    start_index = month_index(anchor)
    periods = max(0, (month_index(on) - start_index) // step)
    while periods > 0 and _ordinal(start_index + periods * step, anchor.day) > target:
        periods -= 1
    return periods
