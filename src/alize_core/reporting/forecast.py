"""
The fund's forecast (*prévision du fonds*): where the advance fund will stand in the
coming years if the SMEs repay as their schedules say.

Advances are loans, not grants: as the SMEs repay, the fund rebuilds itself, and
only defaults lose money (FUND-02). The forecast starts from the fund's position
on a date (FUND-05) and adds, year by year:

- the partners' contributions still expected under the triennial conventions in
  force (FUND-01, CONV-01): no convention is assumed renewed;
- the instalments the schedules in force say are due (SCH-02), arrears included in
  the first year, less an assumed share lost to defaults (the *default rate*,
  rounded to the cent by the territory's ``rounding`` setting, SCH-01);
- the advances approved and not yet paid out, assumed paid out in the first year
  (their schedules are not known before disbursement, so they add nothing back).

Each year's closing cash is its opening cash plus contributions plus instalments
collected (due less losses) less disbursements; the advances outstanding fall by
the instalments due, collected or lost.

>>> from datetime import date, timedelta
>>> from decimal import Decimal
>>> from alize_core.programme.fund import FundPosition
>>> from alize_core.kernel.settings import Settings
>>> position = FundPosition(contributions_received=Decimal("60000.00"), committed=Decimal("10000.00"),
...     disbursed=Decimal("24000.00"), repaid=Decimal("4000.00"), cash=Decimal("40000.00"),
...     outstanding=Decimal("20000.00"))
>>> due = [(date(2027, m, 28), Decimal("500.00")) for m in range(1, 13)]
>>> due += [(date(2028, m, 28), Decimal("500.00")) for m in range(1, 13)]
>>> forecast = forecast_fund(position, on=date(2026, 12, 31), territory="T1",
...     instalments=due, contributions={2027: Decimal("45000.00")},
...     default_rate=Decimal("0.05"), years=2, settings=Settings.national())
>>> [(y.year, str(y.repayments_due), str(y.expected_losses), str(y.closing_cash))
...  for y in forecast.years]
[(2027, '6000.00', '300.00', '80700.00'), (2028, '6000.00', '300.00', '86400.00')]
>>> forecast_fund(position, on=date(2026, 12, 31), territory="T1", instalments=due,
...     contributions={}, default_rate=Decimal("1.5"), years=2, settings=Settings.national())
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: default_rate: Decimal('1.5') is 100 % or more: write rates as fractions (0.02 = 2 %)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

import attrs

from alize_core.commands.advances import loan_account
from alize_core.journal.chain import Event
from alize_core.kernel.decisions import Step, make_step
from alize_core.kernel.errors import CommandRefused, InvalidValue
from alize_core.kernel.money import ZERO, from_cents, quantize, to_money, to_rate
from alize_core.kernel.settings import ROUNDING, Settings
from alize_core.kernel.validation import (
    SIGNED_AMOUNT,
    check_count,
    check_date,
    check_id,
    checked,
    instance_of,
    tuple_of,
)
from alize_core.programme.conventions import convention_in_force
from alize_core.programme.fund import FundPosition
from alize_core.register.records import AdvanceStatus
from alize_core.register.replay import register_at
from alize_core.register.views import Register


__all__ = [
    "MAX_YEARS",
    "MESSAGES",
    "ForecastYear",
    "FundForecast",
    "forecast_fund",
    "fund_forecast",
]

MAX_YEARS: Final = 30
"""The most years a forecast covers."""

MESSAGES: Final[Mapping[str, str]] = {
    "forecast.start": (
        "situation de départ au {on} : trésorerie {cash} €, encours {outstanding} €, engagé non"
        " versé {committed} €"
    ),
    "forecast.contributions": (
        "apports attendus des partenaires selon les conventions en vigueur : {amount} € sur la"
        " période, aucune convention n'étant supposée renouvelée"
    ),
    "forecast.repayments": (
        "échéances attendues des avances en cours : {due} €, dont {losses} € de pertes supposées"
        " au taux de défaut de {rate} % ; les remboursements reconstituent le fonds"
    ),
    "forecast.commitments": (
        "avances engagées non versées supposées versées en {year} : {amount} €"
    ),
    "forecast.end": "trésorerie prévue au 31/12/{year} : {cash} €, encours {outstanding} €",
}


@attrs.frozen
class ForecastYear:
    """
    One year of the forecast (*année de prévision*).

    Attributes:
        year: The year.
        opening_cash: The fund's cash at its start (or at the forecast's date).
        contributions: Partners' contributions expected in it.
        repayments_due: Instalments due in it (arrears included in the first year).
        expected_losses: The share of those instalments assumed lost.
        disbursements: Advances approved earlier and paid out in it.
        closing_cash: The cash at its end.
        closing_outstanding: The advances outstanding at its end.

    .. versionadded:: 0.1.0
    """

    year: int = attrs.field(validator=checked(check_count, minimum=1990, maximum=2999))
    opening_cash: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    contributions: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    repayments_due: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    expected_losses: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    disbursements: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    closing_cash: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    closing_outstanding: Decimal = attrs.field(validator=SIGNED_AMOUNT)

    @property
    def collected(self) -> Decimal:
        """The instalments assumed collected: due less losses."""
        return self.repayments_due - self.expected_losses


@attrs.frozen
class FundForecast:
    """
    The fund's projected position over the coming years (FUND-02).

    Attributes:
        territory: The territory's id.
        on: The date of the starting position.
        default_rate: The share of instalments assumed lost, as a fraction.
        start: The fund on :attr:`on`.
        years: Each year of the forecast.
        steps: The assumptions and results, explained.

    .. versionadded:: 0.1.0
    """

    territory: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    default_rate: Decimal = attrs.field(validator=instance_of(Decimal))
    start: FundPosition = attrs.field(validator=instance_of(FundPosition))
    years: tuple[ForecastYear, ...] = attrs.field(validator=tuple_of(ForecastYear))
    steps: tuple[Step, ...] = attrs.field(default=(), validator=tuple_of(Step))


def _percent(rate: Decimal) -> Decimal:
    value = (rate * 100).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def forecast_fund(
    position: FundPosition,
    *,
    on: date,
    territory: str,
    instalments: Iterable[tuple[date, Decimal]],
    contributions: Mapping[int, Decimal],
    default_rate: Decimal,
    years: int,
    settings: Settings,
) -> FundForecast:
    """
    The fund's forecast from a position, the instalments to come and the contributions
    expected (FUND-02).

    Args:
        position: The fund on ``on``.
        on: The date of the position; the forecast covers the rest of its year, then
            whole years.
        territory: The territory's id (for its rounding setting).
        instalments: Each instalment still to be paid, as (due date, amount); those due on
            or before ``on`` are arrears, counted in the first year.
        contributions: The partners' contributions still expected, by year.
        default_rate: The share of instalments assumed lost (``0.05`` is 5 %).
        years: How many years (the first one being ``on``'s).
        settings: The settings in force.

    Raises:
        InvalidValue: A rate of 100 % or more, a float, or a number of years out of range.

    .. versionadded:: 0.1.0
    """
    check_date(on, field="on")
    rate = to_rate(default_rate, field="default_rate")
    check_count(years, field="years", minimum=1, maximum=MAX_YEARS)
    rounding, rounding_version = settings.lookup(ROUNDING, on=on, territory=territory)
    first = on.year if on < date(on.year, 12, 31) else on.year + 1
    last = first + years - 1
    due_by_year: dict[int, Decimal] = {}
    for due_on, due_amount in instalments:
        check_date(due_on, field="instalments")
        value = to_money(due_amount, field="instalments", non_negative=True, cents=True)
        year = max(due_on.year, first) if due_on > on else first
        if year <= last:
            due_by_year[year] = due_by_year.get(year, ZERO) + value
    for year, expected in contributions.items():
        check_count(year, field="contributions", minimum=1990, maximum=2999)
        to_money(expected, field=f"contributions[{year}]", non_negative=True, cents=True)
    cash, outstanding = position.cash, position.outstanding
    rows = []
    for year in range(first, last + 1):
        due = due_by_year.get(year, ZERO)
        losses = quantize(due * rate, rounding)
        expected = contributions.get(year, ZERO)
        paid_out = position.committed if year == first else ZERO
        closing = cash + expected + due - losses - paid_out
        closing_outstanding = outstanding + paid_out - due
        rows.append(
            ForecastYear(year, cash, expected, due, losses, paid_out, closing, closing_outstanding)
        )
        cash, outstanding = closing, closing_outstanding
    if not rows:  # pragma: no cover - years >= 1 always gives a row
        raise InvalidValue("years", years, "gives no year to forecast")
    total_due = sum((r.repayments_due for r in rows), ZERO)
    total_losses = sum((r.expected_losses for r in rows), ZERO)
    steps = [
        make_step(
            MESSAGES,
            "FUND-05",
            True,
            "forecast.start",
            on=on,
            cash=position.cash,
            outstanding=position.outstanding,
            committed=position.committed,
        ),
        make_step(
            MESSAGES,
            "FUND-01",
            True,
            "forecast.contributions",
            amount=sum((r.contributions for r in rows), ZERO),
        ),
        make_step(
            MESSAGES,
            "FUND-02",
            True,
            "forecast.repayments",
            settings_used=(rounding_version,),
            due=total_due,
            losses=total_losses,
            rate=_percent(rate),
        ),
    ]
    if position.committed:
        steps.append(
            make_step(
                MESSAGES,
                "FUND-04",
                True,
                "forecast.commitments",
                year=str(first),
                amount=position.committed,
            )
        )
    steps.append(
        make_step(
            MESSAGES,
            "FUND-02",
            rows[-1].closing_cash >= 0,
            "forecast.end",
            year=str(last),
            cash=rows[-1].closing_cash,
            outstanding=rows[-1].closing_outstanding,
        )
    )
    return FundForecast(territory, on, rate, position, tuple(rows), tuple(steps))


def _expected_contributions(
    register: Register, received_this_year: Decimal, on: date, last_year: int
) -> dict[int, Decimal]:
    """What the conventions in force still bring, by year: this year's less what came in."""
    expected: dict[int, Decimal] = {}
    conventions = register.conventions
    for year in range(on.year, last_year + 1):
        convention = convention_in_force(conventions, max(date(year, 1, 1), on))
        if convention is not None:
            expected[year] = convention.yearly_amount
    if on.year in expected:
        expected[on.year] = max(expected[on.year] - received_this_year, ZERO)
    return expected


def fund_forecast(
    events: Sequence[Event],
    *,
    on: date,
    default_rate: Decimal,
    years: int = 3,
) -> FundForecast:
    """
    The fund's forecast from the journal: its position on a date, the schedules in force
    and the contributions the conventions still bring (FUND-02).

    An advance being repaid contributes its unpaid instalments at their due dates (those
    already due are arrears, counted in the first year); an advance in default owes its
    whole outstanding at once (*déchéance du terme*, SCH-06), counted in the first year.

    Args:
        events: The territory's journal, in order.
        on: The date of the starting position; the rounding is the register's on that date.
        default_rate: The share of instalments assumed lost (``0.05`` is 5 %).
        years: How many years the forecast covers (the first being ``on``'s).

    Raises:
        CommandRefused: The journal has no territory.
        InvalidValue: A rate of 100 % or more, or a number of years out of range.

    .. versionadded:: 0.1.0
    """
    check_date(on, field="on")
    check_count(years, field="years", minimum=1, maximum=MAX_YEARS)
    register = register_at(events, on)
    year_start = register_at(events, date(on.year, 1, 1) - timedelta(days=1))
    received = register.fund.contributions_received - year_start.fund.contributions_received
    record = register.territory
    if record is None:
        raise CommandRefused("territory", None, "the journal has no territory: there is no fund")
    territory = record.territory.id
    instalments: list[tuple[date, Decimal]] = []
    for project, advance in register.advances.items():
        if advance.status is AdvanceStatus.DEFAULTED:
            instalments.append((on, advance.outstanding))
        elif advance.status is AdvanceStatus.DISBURSED:
            account = loan_account(register, project)
            instalments += [
                (o.due, from_cents(o.unpaid)) for o in account.state.obligations if o.unpaid
            ]
    first = on.year if on < date(on.year, 12, 31) else on.year + 1
    contributions = _expected_contributions(register, received, on, first + years - 1)
    if first > on.year:
        contributions.pop(on.year, None)
    return forecast_fund(
        register.fund,
        on=on,
        territory=territory,
        instalments=instalments,
        contributions=contributions,
        default_rate=default_rate,
        years=years,
        settings=register.settings,
    )
