"""
An advance's life (*vie d'une avance remboursable*): what happened to it, and where it
stands on any date — its status, what it still owes, what is due and unpaid and for how
long (SCH-02, SCH-04, SCH-05, SCH-06, FUND-02).

The semantics, the same from every door (the register's portfolio, the reports, the
loan account of :mod:`alize_core.lending.servicing`, the adapters' feed):

- a payment settles the oldest instalment first; beyond what is due, it pays the next
  instalments in advance (SCH-06);
- a rescheduling spreads what is outstanding on its day over new terms; the payments
  before it counted against the earlier ones (SCH-05);
- **from the day an advance is declared in default** (*déchéance du terme*, SCH-06) the
  whole outstanding is due: its arrears *are* its outstanding, its status is
  :attr:`~AccountStatus.DEFAULTED`, and its days past due run from its oldest unpaid
  instalment (or from the default itself, when every instalment due then was paid);
- **after a write-off** (*passage en perte*) its status is
  :attr:`~AccountStatus.WRITTEN_OFF`, its outstanding is what was not written off and its
  arrears are zero: nothing more is claimed, only recoveries may follow, never beyond
  what was written off (FUND-02, :func:`recovery_excess` is that check, the only one).

:class:`AdvanceLife` holds an interest-free advance's history in whole cents and
:meth:`AdvanceLife.position` answers in a few microseconds without building the
schedule's rows: the register values its whole portfolio with it. The loan account
(:class:`~alize_core.lending.servicing.LoanAccount`) is the same life followed
obligation by obligation, with every allocation explained; the property tests hold the
two equal on random histories (defaults, write-offs, recoveries, reschedulings, early and
late payments, every rounding).

>>> from datetime import date
>>> life = AdvanceLife(
...     principal=120_000, start=date(2026, 1, 31), instalments=12,
...     payments=((date(2026, 3, 2), 10_000),), defaulted_on=date(2026, 7, 1),
... )
>>> life.position(date(2026, 6, 30))
Position(status=<AccountStatus.ACTIVE: 'active'>, outstanding=110000, arrears=40000, days_past_due=91)
>>> life.position(date(2026, 7, 1)).arrears
110000
>>> written = attrs.evolve(life, written_off=110_000, written_off_on=date(2026, 9, 30))
>>> written.position(date(2026, 10, 1))
Position(status=<AccountStatus.WRITTEN_OFF: 'written_off'>, outstanding=0, arrears=0, days_past_due=0)
>>> recovery_excess(110_000, 100_000, 20_000)
10000

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from datetime import date
from typing import Final

import attrs

from alize_core.kernel.money import Rounding
from alize_core.kernel.months import add_months, periods_elapsed
from alize_core.lending.schedules import equal_split
from alize_core.lending.terms import Frequency


__all__ = [
    "AccountStatus",
    "AdvanceLife",
    "ArrearsBucket",
    "Position",
    "Reterming",
    "recovery_excess",
]


class AccountStatus(enum.StrEnum):
    """Where an advance or loan stands (*situation*)."""

    ACTIVE = "active"
    """Being repaid (*en cours*)."""
    DEFAULTED = "defaulted"
    """In default, the whole outstanding due at once (*déchéance du terme prononcée*)."""
    WRITTEN_OFF = "written_off"
    """Written off as a loss (*passée en perte*); only recoveries may follow."""
    CLOSED = "closed"
    """Repaid in full (*soldée*)."""

    @property
    def french(self) -> str:
        """The status in French."""
        return _STATUS_FRENCH[self]


_STATUS_FRENCH: Final = {
    AccountStatus.ACTIVE: "en cours",
    AccountStatus.DEFAULTED: "en défaut, déchue du terme",
    AccountStatus.WRITTEN_OFF: "passée en perte",
    AccountStatus.CLOSED: "soldée",
}


class ArrearsBucket(enum.StrEnum):
    """How long the oldest unpaid instalment has been due (*ancienneté des impayés*, SCH-06)."""

    CURRENT = "0"
    """Nothing late (*à jour*)."""
    UP_TO_30 = "1-30"
    """1 to 30 days late."""
    UP_TO_90 = "31-90"
    """31 to 90 days late."""
    UP_TO_180 = "91-180"
    """91 to 180 days late."""
    OVER_180 = "over-180"
    """More than 180 days late."""

    @classmethod
    def of_days(cls, days: int) -> ArrearsBucket:
        """
        The bucket of a number of days past due.

        >>> [ArrearsBucket.of_days(d).value for d in (0, 1, 30, 31, 90, 91, 180, 181)]
        ['0', '1-30', '1-30', '31-90', '31-90', '91-180', '91-180', 'over-180']
        """
        if days <= 0:
            return cls.CURRENT
        if days <= 30:
            return cls.UP_TO_30
        if days <= 90:
            return cls.UP_TO_90
        if days <= 180:
            return cls.UP_TO_180
        return cls.OVER_180

    @property
    def french(self) -> str:
        """The bucket in French."""
        return _BUCKET_FRENCH[self]


_BUCKET_FRENCH: Final = {
    ArrearsBucket.CURRENT: "à jour",
    ArrearsBucket.UP_TO_30: "1–30 jours",
    ArrearsBucket.UP_TO_90: "31–90 jours",
    ArrearsBucket.UP_TO_180: "91–180 jours",
    ArrearsBucket.OVER_180: "plus de 180 jours",
}


def recovery_excess(written_off: int, recovered: int, amount: int) -> int:
    """
    How far a recovery of ``amount`` cents goes beyond what is left to recover, once
    ``recovered`` cents were recovered on ``written_off`` cents written off; 0 when it
    stays within (FUND-02: a recovery never exceeds the loss).

    The one check of the recovery cap: the commands, the loan account and the register's
    fold all ask it.

    >>> recovery_excess(50_000, 0, 50_000), recovery_excess(50_000, 45_000, 10_000)
    (0, 5000)
    """
    return max(0, recovered + amount - written_off)


@attrs.frozen
class Reterming:
    """
    A rescheduling of an advance (*réaménagement*, SCH-05), as the life counts it.

    Attributes:
        on: The day it takes effect: the new terms' start.
        instalments: The new number of instalments.
        frequency: Their frequency.
        deferral: Periods of deferral before the first.
        payments_before: How many of the life's payments were made before it.
        outstanding: What was outstanding that day, in cents: the new terms' principal.
    """

    on: date
    instalments: int
    frequency: Frequency
    deferral: int
    payments_before: int
    outstanding: int


@attrs.frozen
class Position:
    """
    Where an advance stands at the end of a date (*situation*), in cents.

    Attributes:
        status: Active, in default, written off or closed.
        outstanding: What it still owes, due or not, once written off (*encours*).
        arrears: What is due and unpaid (*impayés*): the outstanding from the default on;
            zero once written off or closed.
        days_past_due: The days since the oldest unpaid amount fell due (0: none).
    """

    status: AccountStatus
    outstanding: int
    arrears: int
    days_past_due: int

    @property
    def bucket(self) -> ArrearsBucket:
        """The ageing bucket of :attr:`days_past_due`."""
        return ArrearsBucket.of_days(self.days_past_due)


@attrs.frozen
class AdvanceLife:
    """
    An interest-free advance's history since it was paid out, in whole cents.

    Attributes:
        principal: What was paid out.
        start: The day it was paid out: the schedule's start (SCH-02).
        instalments: The number of instalments agreed then.
        frequency: Their frequency.
        deferral: Periods of deferral before the first (SCH-04).
        rounding: How the instalments are rounded to the cent (SCH-01).
        payments: Each repayment ``(date, cents)``, in the order received.
        reschedulings: Each rescheduling, in order (SCH-05).
        defaulted_on: The day it was declared in default (SCH-06), if it was.
        written_off: What was written off (FUND-02).
        written_off_on: The day it was written off, if it was.
        recovered: What was recovered since.
    """

    principal: int
    start: date
    instalments: int
    frequency: Frequency = Frequency.MONTHLY
    deferral: int = 0
    rounding: Rounding = Rounding.HALF_UP
    payments: tuple[tuple[date, int], ...] = ()
    reschedulings: tuple[Reterming, ...] = ()
    defaulted_on: date | None = None
    written_off: int = 0
    written_off_on: date | None = None
    recovered: int = 0

    def position(self, on: date) -> Position:
        """
        Where the advance stands at the end of ``on``: only what happened by then counts.

        A payment settles the oldest instalment first (SCH-06), so what is paid under
        the terms in force tells which instalment is the oldest unpaid; the instalments
        of an interest-free schedule are a regular one rounded by :attr:`rounding` and a
        last one that takes the rest (SCH-01, SCH-02), due every period after the
        deferral (SCH-04).
        """
        repaid = _paid(self.payments, on)
        written_off_on = self.written_off_on
        if written_off_on is not None and written_off_on <= on:
            left = max(self.principal - repaid - self.written_off, 0)
            return Position(AccountStatus.WRITTEN_OFF, left, 0, 0)
        outstanding = self.principal - repaid
        if outstanding <= 0:
            return Position(AccountStatus.CLOSED, 0, 0, 0)
        terms = self.terms_on(on)
        start, count, deferral, total = (
            terms.on,
            terms.instalments,
            terms.deferral,
            terms.outstanding,
        )
        months = terms.frequency.months
        paid = _paid(self.payments[terms.payments_before :], on)
        regular, _ = equal_split(total, count, self.rounding)
        oldest = paid // regular + 1 if paid < regular * (count - 1) else count
        defaulted_on = self.defaulted_on
        # New terms agreed after the default's day make the advance repaid again (SCH-05).
        if defaulted_on is not None and defaulted_on <= on and start <= defaulted_on:
            fallen = min(max(periods_elapsed(start, months, defaulted_on) - deferral, 0), count)
            late_since = defaulted_on
            if oldest <= fallen:
                late_since = add_months(start, (deferral + oldest) * months)
            days = on.toordinal() - late_since.toordinal()
            return Position(AccountStatus.DEFAULTED, outstanding, outstanding, days)
        fallen = min(max(periods_elapsed(start, months, on) - deferral, 0), count)
        due = total if fallen == count else regular * fallen
        days = 0
        if paid < total and oldest <= fallen:
            days = on.toordinal() - add_months(start, (deferral + oldest) * months).toordinal()
        return Position(AccountStatus.ACTIVE, outstanding, max(due - paid, 0), days)

    def terms_on(self, on: date) -> Reterming:
        """
        The terms in force at the end of ``on``: those agreed at disbursement (none of
        the payments before them, the whole principal) or the last rescheduling's.

        >>> life = AdvanceLife(principal=100_000, start=date(2026, 1, 31), instalments=10)
        >>> life.terms_on(date(2026, 6, 1)).outstanding
        100000
        """
        terms = Reterming(
            self.start, self.instalments, self.frequency, self.deferral, 0, self.principal
        )
        for change in self.reschedulings:
            if change.on > on:
                break
            terms = change
        return terms


def _paid(payments: tuple[tuple[date, int], ...], on: date) -> int:
    """What these payments add up to by the end of ``on``, in cents."""
    paid = 0
    for day, amount in payments:
        if day <= on:
            paid += amount
    return paid
