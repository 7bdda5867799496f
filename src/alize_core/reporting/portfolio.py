"""
The portfolio report (*état du portefeuille d'avances*): every advance of the fund on a
date — its project, where it stands, what it still owes and what is due and unpaid
(SCH-06) — and the totals.

Each advance's figures are its life's (:mod:`alize_core.lending.life`), as the register's
portfolio (:meth:`~alize_core.register.views.Register.portfolio`), the activity report's
arrears and the loan account give them: an advance declared in default owes its whole
outstanding at once, a written-off one nothing. The total arrears are those the activity
report spreads over its ageing buckets on the same date.

>>> from datetime import date
>>> portfolio_report([], date(2026, 12, 31))
Traceback (most recent call last):
...
alize_core.kernel.errors.CommandRefused: territory: the register has no territory: there is nothing to report on

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import attrs
from attrs.validators import instance_of

from alize_core.journal.chain import Event
from alize_core.kernel.errors import CommandRefused
from alize_core.kernel.money import ZERO
from alize_core.kernel.validation import AMOUNT, check_date, check_id, checked, tuple_of
from alize_core.register.views import Register
from alize_core.reporting.history import History, registers_at


__all__ = ["PortfolioLine", "PortfolioReport", "portfolio_of", "portfolio_report"]


@attrs.frozen
class PortfolioLine:
    """
    One advance on the report's date.

    Attributes:
        project: The project (and id) of the advance.
        sme: The SIREN of the SME it was lent to.
        status: Where it stands: ``committed``, ``disbursed``, ``defaulted``,
            ``written_off`` or ``repaid``.
        outstanding: What it still owes, due or not, once written off (*encours*).
        arrears: What is due and unpaid (*impayés*, SCH-06).
        days_past_due: The days since the oldest unpaid amount fell due.
        bucket: The ageing bucket of those days (``0``, ``1-30``, ``31-90``, ``91-180``,
            ``over-180``).
    """

    project: str = attrs.field(validator=checked(check_id))
    sme: str = attrs.field(validator=instance_of(str))
    status: str = attrs.field(validator=instance_of(str))
    outstanding: Decimal = attrs.field(validator=AMOUNT)
    arrears: Decimal = attrs.field(validator=AMOUNT)
    days_past_due: int = attrs.field(validator=instance_of(int))
    bucket: str = attrs.field(validator=instance_of(str))


@attrs.frozen
class PortfolioReport:
    """
    Every advance of a territory's fund on a date, and the totals (SCH-06, FUND-05).

    Attributes:
        territory: The territory's id.
        territory_name: Its name.
        on: The date the figures stand at.
        lines: Each advance, by project.
        outstanding: What they still owe in all.
        arrears: What is due and unpaid in all.

    .. versionadded:: 0.1.0
    """

    territory: str = attrs.field(validator=checked(check_id))
    territory_name: str = attrs.field(validator=instance_of(str))
    on: date = attrs.field(validator=checked(check_date))
    lines: tuple[PortfolioLine, ...] = attrs.field(validator=tuple_of(PortfolioLine))
    outstanding: Decimal = attrs.field(validator=AMOUNT)
    arrears: Decimal = attrs.field(validator=AMOUNT)

    @property
    def late(self) -> int:
        """How many advances have arrears."""
        return sum(1 for line in self.lines if line.arrears)


def portfolio_report(events: Sequence[Event] | History, on: date) -> PortfolioReport:
    """
    The fund's advances on a date, from the journal: each valued by its life as the
    register's portfolio values it (SCH-06), and the totals.

    Args:
        events: The territory's journal, in order, or its :class:`History`.
        on: The date; only the events dated by then count.

    Raises:
        CommandRefused: The journal has no territory.
        IntegrityError: The journal's chain is broken.

    .. versionadded:: 0.1.0
    """
    check_date(on, field="on")
    (register,) = registers_at(events, [on])
    return portfolio_of(register, on)


def portfolio_of(register: Register, on: date) -> PortfolioReport:
    """
    The portfolio report of a register on a date on or after its last event: each
    advance valued by its life as the register's portfolio values it (SCH-06).

    Raises:
        CommandRefused: The register has no territory, or ``on`` is before its last event.

    .. versionadded:: 0.1.0
    """
    check_date(on, field="on")
    record = register.territory
    if record is None:
        raise CommandRefused(
            "territory", None, "the register has no territory: there is nothing to report on"
        )
    lines = tuple(
        PortfolioLine(
            valued.project,
            register.project(valued.project).project.sme,
            valued.status,
            valued.outstanding,
            valued.arrears,
            valued.days_past_due,
            valued.bucket.value,
        )
        for valued in register.portfolio(on).advances
    )
    return PortfolioReport(
        record.territory.id,
        record.territory.name,
        on,
        lines,
        sum((line.outstanding for line in lines), ZERO),
        sum((line.arrears for line in lines), ZERO),
    )
