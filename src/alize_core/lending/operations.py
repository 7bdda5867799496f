"""
What may happen to a loan account after disbursement (*opérations de suivi*): a payment,
an early repayment (SCH-05), a rescheduling (SCH-05), a declared default, a write-off and
its undoing, a recovery (SCH-06, FUND-02), each dated.

:class:`~alize_core.lending.servicing.LoanAccount` records them, checked, in date order.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from alize_core.kernel.decisions import french
from alize_core.kernel.settings import SettingVersion
from alize_core.lending.obligations import PrepaymentMode
from alize_core.lending.terms import Frequency


__all__ = [
    "Acceleration",
    "EarlyRepayment",
    "Payment",
    "Recovery",
    "Rescheduling",
    "ServicingEvent",
    "WriteOff",
    "WriteOffUndone",
    "describe",
]


@attrs.frozen
class Payment:
    """
    A payment received (*versement*).

    Attributes:
        on: The date it was received.
        amount: The amount, in euros.
    """

    on: date
    amount: Decimal


@attrs.frozen
class EarlyRepayment:
    """
    An early repayment, partial or in full (*remboursement anticipé*, SCH-05).

    Attributes:
        on: The date it takes effect.
        amount: The amount received, in euros.
        mode: Whether a partial one shortens the term or lowers the instalments.
        settings_used: The ``prepayment`` setting version read, if any.
    """

    on: date
    amount: Decimal
    mode: PrepaymentMode
    settings_used: tuple[SettingVersion, ...] = ()


@attrs.frozen
class Rescheduling:
    """
    A rescheduling (*réaménagement*, SCH-05): everything owed becomes a new schedule.

    Attributes:
        on: The date it takes effect: the new schedule's start.
        instalments: The new number of instalments.
        deferral: The new deferral, in periods.
        frequency: The new frequency of the instalments; ``None`` keeps the current one.

    .. versionchanged:: 0.1.0
       ``frequency`` may change.
    """

    on: date
    instalments: int
    deferral: int = 0
    frequency: Frequency | None = None


@attrs.frozen
class Acceleration:
    """
    A declared default (*déchéance du terme*, SCH-06): the whole outstanding due at once.

    Attributes:
        on: The date.
        days_past_due: The days unpaid that justified it.
        settings_used: The ``default_after_days`` setting version read.
    """

    on: date
    days_past_due: int
    settings_used: tuple[SettingVersion, ...] = ()


@attrs.frozen
class WriteOff:
    """
    A write-off (*passage en perte*, SCH-06).

    Attributes:
        on: The date.
        amount: The amount written off, principal first; ``None``: everything owed.
    """

    on: date
    amount: Decimal | None = None


@attrs.frozen
class WriteOffUndone:
    """
    A write-off cancelled (*annulation du passage en perte*).

    Attributes:
        on: The date.
    """

    on: date


@attrs.frozen
class Recovery:
    """
    An amount recovered after a write-off (*récupération sur créance passée en perte*).

    Attributes:
        on: The date.
        amount: The amount, in euros.
    """

    on: date
    amount: Decimal


ServicingEvent = (
    Payment | EarlyRepayment | Rescheduling | Acceleration | WriteOff | WriteOffUndone | Recovery
)
"""Everything that may happen to an account after disbursement."""


def describe(event: ServicingEvent) -> str:
    """The operation in French, for an account's history."""
    if isinstance(event, Payment):
        return f"versement de {french(event.amount)} €"
    if isinstance(event, EarlyRepayment):
        return f"remboursement anticipé de {french(event.amount)} € ({event.mode.french})"
    if isinstance(event, Rescheduling):
        return (
            f"réaménagement en {event.instalments} échéance(s) après {event.deferral}"
            " période(s) de différé"
        )
    if isinstance(event, Acceleration):
        return f"déchéance du terme après {event.days_past_due} jour(s) de retard"
    if isinstance(event, WriteOff):
        return "passage en perte"
    if isinstance(event, WriteOffUndone):
        return "annulation du passage en perte"
    return f"récupération de {french(event.amount)} €"
