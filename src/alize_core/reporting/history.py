"""
A territory's journal replayed once for many dates (*historique du registre*): the
register, or only the fund, at the end of each date, the replay going forward only.
The yearly reports read it at every month's end (:mod:`alize_core.reporting.activity`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Final

from alize_core.journal.chain import Event
from alize_core.journal.codec import StoredEvent, split_body
from alize_core.kernel.errors import IntegrityError, InvalidValue
from alize_core.programme.fund import FundPosition
from alize_core.register.replay import Replay, replay
from alize_core.register.views import Register


__all__ = [
    "History",
    "registers_at",
]


def _dates_in_order(dates: Sequence[date]) -> None:
    if any(later < earlier for earlier, later in itertools.pairwise(dates)):
        raise InvalidValue("dates", tuple(dates), "must be in order")


class History:
    """
    A territory's journal replayed once for many dates (*historique du registre*).

    A year's activity report reads the register at fourteen dates (each month's end, the
    end of the year before and of the one before that); ten years of reports given the
    events would replay the journal from its first event for each of them. A history
    replays it forward once instead: each register continues from the nearest one it
    kept before it. Every report takes a history wherever it takes a journal. It keeps
    the year ends and the :attr:`KEPT` latest other dates, so reports are best asked for
    year after year.

    It is built from :class:`~alize_core.journal.chain.Event` s, or straight from a store's
    rows (``(id, body, digest)``), whose payloads it never decodes beyond what the fold
    reads.

    >>> history = History([])
    >>> history.registers_at([date(2026, 12, 31)])[0].version
    0
    >>> history.registers_at([date(2026, 12, 31), date(2026, 1, 1)])
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: dates: (datetime.date(2026, 12, 31), datetime.date(2026, 1, 1)) must be in order

    .. versionadded:: 0.1.0
    """

    KEPT: Final = 16
    """How many registers at dates other than a year's end are kept."""

    def __init__(self, journal: Iterable[Event | StoredEvent]) -> None:
        """
        Raises:
            IntegrityError: A row is not an event alize writes.
            InvalidValue: The journal's events are not in date order.
        """
        self._rows = [item.row() if isinstance(item, Event) else item for item in journal]
        days: list[str] = []
        for position, body, _ in self._rows:
            fields = split_body(body)
            if fields is None:
                msg = f"event {position} is not an event alize writes"
                raise IntegrityError("journal", position, msg)
            day = fields[2]
            if days and day < days[-1]:
                msg = (
                    "is dated before the event before it: a journal keeps its events in date order"
                )
                raise InvalidValue("events", position, msg)
            days.append(day)
        self._days = days
        self._kept: dict[date, Register] = {}
        self._funds: dict[date, FundPosition] = {}
        self._replay: Replay | None = None
        self._at: date | None = None

    def registers_at(self, dates: Sequence[date]) -> tuple[Register, ...]:
        """
        The register at the end of each date.

        Raises:
            InvalidValue: The dates are not in order.
            IntegrityError: The journal's chain is broken.
        """
        _dates_in_order(dates)
        return tuple(self._kept.get(on) or self._register_at(on) for on in dates)

    def funds_at(self, dates: Sequence[date]) -> tuple[FundPosition, ...]:
        """
        The fund at the end of each date (FUND-05), without building the registers.

        >>> History([]).funds_at([date(2026, 1, 31), date(2026, 2, 28)])[1].cash
        Decimal('0.00')

        Raises:
            InvalidValue: The dates are not in order.
            IntegrityError: The journal's chain is broken.
        """
        _dates_in_order(dates)
        return tuple(self._fund_at(on) for on in dates)

    def _fund_at(self, on: date) -> FundPosition:
        noted = self._funds.get(on)
        if noted is not None:
            return noted
        kept = self._kept.get(on) or self._unchanged_since_kept(on)
        return kept.fund if kept is not None else self._replay_to(on).fund()

    def _unchanged_since_kept(self, on: date) -> Register | None:
        """A register kept at an earlier date with no event after it up to ``on``."""
        upto = self._upto(on)
        earlier = [day for day in self._kept if day <= on]
        if earlier and self._kept[max(earlier)].version == upto:
            return self._kept[max(earlier)]
        return None

    def _replay_to(self, on: date) -> Replay:
        """
        The replay moved forward to the end of ``on`` (started again from the nearest
        register kept if it went past it). On the way it notes the fund at each month's
        end and keeps the register at each year's end, so that later reports, in any
        order, read them instead of replaying again.
        """
        upto = self._upto(on)
        replaying = self._replay
        if replaying is None or replaying.version > upto:
            earlier = [day for day in self._kept if day <= on]
            start = max(earlier) if earlier else None
            replaying = Replay(self._kept[start] if start is not None else None)
            self._replay, self._at = replaying, start
        month = self._at if self._at is not None else self._first_day()
        while month is not None and replaying.version < len(self._rows):
            month = _month_end(month)
            if month > on:
                break
            replaying.fold(self._rows[replaying.version : self._upto(month)])
            self._funds.setdefault(month, replaying.fund())
            if (month.month, month.day) == (12, 31) and month not in self._kept:
                self._kept[month] = replaying.register()
            if replaying.version == len(self._rows) or month == date.max:
                break  # the journal's end: nothing changes any more
            month += timedelta(days=1)
        replaying.fold(self._rows[replaying.version : upto])
        self._at = on if self._at is None else max(self._at, on)
        return replaying

    def _first_day(self) -> date | None:
        return date.fromisoformat(self._days[0]) if self._days else None

    def _upto(self, on: date) -> int:
        return bisect.bisect_right(self._days, on.isoformat())

    def _register_at(self, on: date) -> Register:
        register = self._unchanged_since_kept(on)
        if register is None:
            replaying = self._replay_to(on)
            # A register kept at another date after as many events is the same register.
            same = [r for r in self._kept.values() if r.version == replaying.version]
            register = same[0] if same else replaying.register()
        self._kept[on] = register
        others = sorted(day for day in self._kept if (day.month, day.day) != (12, 31))
        for day in others[: max(len(others) - self.KEPT, 0)]:
            del self._kept[day]
        return register


def _month_end(on: date) -> date:
    if on.month == 12:
        return date(on.year, 12, 31)
    return date(on.year, on.month + 1, 1) - timedelta(days=1)


def registers_at(events: Sequence[Event] | History, dates: Sequence[date]) -> tuple[Register, ...]:
    """
    The register at the end of each date, replaying the journal once.

    The journal keeps its events in date order, so each register continues from the one
    before it.

    Args:
        events: The journal, in order, or its :class:`History`.
        dates: The dates, in order.

    Raises:
        InvalidValue: The dates, or the journal's events, are not in date order.
        IntegrityError: The journal's chain is broken.

    .. versionadded:: 0.1.0
    """
    if isinstance(events, History):
        return events.registers_at(dates)
    _dates_in_order(dates)
    ons = [event.on for event in events]
    for before, after in itertools.pairwise(events):
        if after.on < before.on:
            msg = f"is dated before event {before.id}: a journal keeps its events in date order"
            raise InvalidValue("events", after.id, msg)
    registers = []
    register = Register.empty()
    done = 0
    for on in dates:
        upto = bisect.bisect_right(ons, on)
        if upto > done:
            register = replay((event.row() for event in events[done:upto]), start=register)
            done = upto
        registers.append(register)
    return tuple(registers)
