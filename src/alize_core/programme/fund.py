"""
The advance fund (*fonds d'avances remboursables*) and where it stands on a date.

The fund is built from the partners' contributions (FUND-01) and kept by the local
operator in the programme's account (OP-01). An approval *commits* money; a
disbursement moves it out of the account as an advance *outstanding*; repayments bring
it back, so the fund revolves; only what is written off is lost, and a recovery after a
write-off brings part of it back (FUND-02). A subsidised loan is the lending partner's
own loan and never touches the fund (FUND-03).

:class:`FundPosition` is the fund on a date. It balances (FUND-05) when::

    cash        = contributions received + repaid + recovered - disbursed - fees
    outstanding = disbursed - repaid - written off

and what the fund can still commit is ``available = cash - committed``. An approval that
would commit more than that is refused, or only warned about when the territory's
``fund_overcommitment`` setting says ``warn`` (FUND-04).

>>> from decimal import Decimal
>>> position = FundPosition.from_cents(
...     contributions_received=10_000_000, committed=2_500_000, disbursed=5_000_000,
...     repaid=1_000_000, cash=6_000_000, outstanding=4_000_000)
>>> position.available
Decimal('35000.00')
>>> position.balances
True
>>> from alize_core.kernel.settings import Settings
>>> step = commitment_step(position, Decimal("40000.00"), on=date(2026, 3, 12),
...                        territory="T1", settings=Settings.national())
>>> step.passed, step.code, step.params["available"]
(False, 'fund.commitment_exceeds', Decimal('35000.00'))
>>> FundPosition.from_cents(cash=100).balances   # cash that came from nowhere
False

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.kernel.decisions import Step, make_step
from alize_core.kernel.money import ZERO, from_cents, to_money
from alize_core.kernel.settings import FUND_OVERCOMMITMENT, Settings
from alize_core.kernel.validation import SIGNED_AMOUNT, check_date, optional
from alize_core.lending.life import ArrearsBucket


__all__ = [
    "MESSAGES",
    "AdvanceValuation",
    "FundPosition",
    "Portfolio",
    "balance_steps",
    "commitment_step",
]

MESSAGES: Final[Mapping[str, str]] = {
    "fund.commitment_covered": (
        "l'avance de {amount} € est couverte par le disponible du fonds ({available} €)"
    ),
    "fund.commitment_exceeds": (
        "l'avance de {amount} € dépasse le disponible du fonds ({available} €) : engagement refusé"
    ),
    "fund.commitment_exceeds_warned": (
        "l'avance de {amount} € dépasse le disponible du fonds ({available} €) : engagement"
        " accepté avec avertissement, selon le règlement du territoire"
    ),
    "fund.cash_balances": (
        "trésorerie {cash} € = apports {received} € + remboursements {repaid} €"
        " + récupérations {recovered} € - décaissements {disbursed} € - frais {fees} €"
    ),
    "fund.cash_unbalanced": (
        "la trésorerie ({cash} €) ne correspond pas aux mouvements du fonds ({expected} €) :"
        " écart de {gap} €"
    ),
    "fund.outstanding_balances": (
        "encours {outstanding} € = décaissé {disbursed} € - remboursé {repaid} €"
        " - passé en perte {written_off} €"
    ),
    "fund.outstanding_unbalanced": (
        "l'encours ({outstanding} €) ne correspond pas aux avances ({expected} €) : écart de {gap} €"
    ),
    "fund.negative": "le fonds affiche un montant négatif : {what} = {amount} €",
}
"""The French messages of the fund's steps, by stable code."""


@attrs.frozen
class FundPosition:
    """
    The advance fund on a date (*situation du fonds*), every amount in euros.

    Attributes:
        contributions_called: What the partners were called to pay (*appels de fonds*).
        contributions_received: What they paid into the fund (FUND-01).
        committed: Approved and not yet disbursed (*engagé non décaissé*).
        disbursed: Paid out to SMEs as advances (*décaissé*).
        repaid: Repaid by the SMEs (*remboursé*, FUND-02).
        written_off: Lost on advances in default (*passé en perte*).
        recovered: Recovered after a write-off (*récupéré*).
        fees: Bank and management fees paid from the fund (*frais*).
        cash: The balance of the fund's account (*trésorerie*, OP-01).
        outstanding: Advances still owed by the SMEs (*encours*).
        on: The date of the position, when known.
    """

    contributions_called: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    contributions_received: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    committed: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    disbursed: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    repaid: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    written_off: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    recovered: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    fees: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    cash: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    outstanding: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    on: date | None = attrs.field(default=None, validator=optional(check_date))

    @classmethod
    def from_cents(cls, *, on: date | None = None, **cents: int) -> FundPosition:
        """
        A position from amounts in whole cents (the register's own form).

        .. versionadded:: 0.1.0
        """
        return cls(**{name: from_cents(value) for name, value in cents.items()}, on=on)

    @property
    def available(self) -> Decimal:
        """What the fund can still commit: cash less what is committed (FUND-04)."""
        return self.cash - self.committed

    @property
    def expected_cash(self) -> Decimal:
        """The cash the fund's movements add up to (FUND-05)."""
        return (
            self.contributions_received + self.repaid + self.recovered - self.disbursed - self.fees
        )

    @property
    def expected_outstanding(self) -> Decimal:
        """The outstanding the advances add up to (FUND-05)."""
        return self.disbursed - self.repaid - self.written_off

    @property
    def balances(self) -> bool:
        """Whether the position satisfies FUND-05 and no amount is negative."""
        return all(step.passed for step in balance_steps(self))


def balance_steps(position: FundPosition) -> tuple[Step, ...]:
    """
    The FUND-05 checks of a position: cash and outstanding follow from the movements,
    and no amount is negative; every step is returned, the failed ones included.

    >>> [s.passed for s in balance_steps(FundPosition.from_cents(cash=-5, fees=5))]
    [True, True, False]

    .. versionadded:: 0.1.0
    """
    p = position
    cash_ok = p.cash == p.expected_cash
    steps = [
        make_step(
            MESSAGES,
            "FUND-05",
            True,
            "fund.cash_balances",
            cash=p.cash,
            received=p.contributions_received,
            repaid=p.repaid,
            recovered=p.recovered,
            disbursed=p.disbursed,
            fees=p.fees,
        )
        if cash_ok
        else make_step(
            MESSAGES,
            "FUND-05",
            False,
            "fund.cash_unbalanced",
            cash=p.cash,
            expected=p.expected_cash,
            gap=p.cash - p.expected_cash,
        )
    ]
    if p.outstanding == p.expected_outstanding:
        steps.append(
            make_step(
                MESSAGES,
                "FUND-05",
                True,
                "fund.outstanding_balances",
                outstanding=p.outstanding,
                disbursed=p.disbursed,
                repaid=p.repaid,
                written_off=p.written_off,
            )
        )
    else:
        steps.append(
            make_step(
                MESSAGES,
                "FUND-05",
                False,
                "fund.outstanding_unbalanced",
                outstanding=p.outstanding,
                expected=p.expected_outstanding,
                gap=p.outstanding - p.expected_outstanding,
            )
        )
    for name in ("cash", "committed", "outstanding"):
        amount: Decimal = getattr(p, name)
        if amount < 0:
            steps.append(
                make_step(MESSAGES, "FUND-05", False, "fund.negative", what=name, amount=amount)
            )
    return tuple(steps)


def commitment_step(
    position: FundPosition,
    amount: Decimal,
    *,
    on: date,
    territory: str,
    settings: Settings,
) -> Step:
    """
    FUND-04: whether an approval of ``amount`` fits in what the fund has available.

    Above the available balance the step fails, unless the territory's
    ``fund_overcommitment`` setting is ``warn``: then it passes with a warning.

    Args:
        position: The fund before the approval.
        amount: The advance the approval would commit.
        on: The date of the approval (for the setting).
        territory: The territory's id (for the setting).
        settings: The settings in force.

    Returns:
        The step, with the setting it used.

    .. versionadded:: 0.1.0
    """
    amount = to_money(amount, field="amount", non_negative=True)
    if amount <= position.available:
        return make_step(
            MESSAGES,
            "FUND-04",
            True,
            "fund.commitment_covered",
            amount=amount,
            available=position.available,
        )
    choice, setting = settings.lookup(FUND_OVERCOMMITMENT, on=on, territory=territory)
    if choice == "warn":
        return make_step(
            MESSAGES,
            "FUND-04",
            True,
            "fund.commitment_exceeds_warned",
            settings_used=(setting,),
            warning=True,
            amount=amount,
            available=position.available,
        )
    return make_step(
        MESSAGES,
        "FUND-04",
        False,
        "fund.commitment_exceeds",
        settings_used=(setting,),
        amount=amount,
        available=position.available,
    )


@attrs.frozen
class AdvanceValuation:
    """
    One advance on a date (*situation d'une avance*): what is owed, due and late (SCH-06).

    Attributes:
        project: The project (and id) of the advance.
        status: Where it stands (``disbursed``, ``defaulted``, ``repaid``, ``written_off``…).
        outstanding: What the SME still owes.
        arrears: What fell due and is unpaid.
        days_past_due: Days since the oldest unpaid instalment fell due.
    """

    project: str
    status: str
    outstanding: Decimal
    arrears: Decimal
    days_past_due: int

    @property
    def bucket(self) -> ArrearsBucket:
        """The ageing bucket of its arrears (0, 1–30, 31–90, 91–180, over 180 days)."""
        return ArrearsBucket.of_days(self.days_past_due)


@attrs.frozen
class Portfolio:
    """
    The fund's advances revalued on a date (*revalorisation du portefeuille*).

    Attributes:
        on: The date.
        position: The fund's position (FUND-05).
        advances: Each advance, by project order.
    """

    on: date
    position: FundPosition
    advances: tuple[AdvanceValuation, ...]

    def by_bucket(self) -> dict[ArrearsBucket, tuple[int, Decimal]]:
        """For each ageing bucket, how many advances and how much outstanding."""
        totals: dict[ArrearsBucket, tuple[int, Decimal]] = dict.fromkeys(ArrearsBucket, (0, ZERO))
        for advance in self.advances:
            if advance.outstanding:
                count, amount = totals[advance.bucket]
                totals[advance.bucket] = (count + 1, amount + advance.outstanding)
        return totals

    @property
    def arrears(self) -> Decimal:
        """Everything due and unpaid across the portfolio."""
        return sum((a.arrears for a in self.advances), ZERO)
