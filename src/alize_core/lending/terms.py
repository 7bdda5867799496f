"""
Loan terms (*conditions du prêt*): what is lent, from when, over how many instalments at
which frequency, after which deferral, at which rate, by which method, day count and
rounding (SCH-01…SCH-04, FUND-03), each checked as it is given, the field and value named
when refused. :mod:`alize_core.lending.schedules` turns them into a schedule.

>>> from decimal import Decimal
>>> terms = LoanTerms(principal=Decimal("1000"), start=date(2026, 1, 31), instalments=7)
>>> terms.frequency.months, terms.rounding.value
(1, 'half_up')

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Final, TypeVar

import attrs

from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import CENT, MAX_AMOUNT, Rounding, to_money, to_rate
from alize_core.kernel.months import add_months, month_index
from alize_core.kernel.settings import (
    DAY_COUNT,
    DEFERRAL_INTEREST,
    ROUNDING,
    Setting,
    Settings,
    SettingValue,
    SettingVersion,
)
from alize_core.kernel.validation import check_count, check_date


__all__ = [
    "MAX_INSTALMENTS",
    "DayCount",
    "DeferralInterest",
    "Frequency",
    "LoanTerms",
    "Method",
    "whole_cents",
]


MAX_INSTALMENTS: Final = 1200
"""The most instalments (and deferral periods) a schedule may have: a century of months."""

_MAX_ANCHOR_PERIODS: Final = 100 * MAX_INSTALMENTS


class Frequency(enum.StrEnum):
    """How often an instalment falls due (*périodicité*)."""

    MONTHLY = "monthly"
    """Every calendar month (*mensuelle*)."""
    QUARTERLY = "quarterly"
    """Every three calendar months (*trimestrielle*)."""
    ANNUAL = "annual"
    """Every twelve calendar months (*annuelle*)."""

    @property
    def months(self) -> int:
        """The calendar months in one period."""
        return _MONTHS[self]

    @property
    def french(self) -> str:
        """The frequency as a French adjective for instalments (*échéances mensuelles*)."""
        return _FREQUENCY_FRENCH[self]


_MONTHS: Final = {Frequency.MONTHLY: 1, Frequency.QUARTERLY: 3, Frequency.ANNUAL: 12}
_FREQUENCY_FRENCH: Final = {
    Frequency.MONTHLY: "mensuelles",
    Frequency.QUARTERLY: "trimestrielles",
    Frequency.ANNUAL: "annuelles",
}


class Method(enum.StrEnum):
    """How a subsidised loan's principal is repaid (*mode d'amortissement*, SCH-03)."""

    ANNUITY = "annuity"
    """Constant instalments, interest and principal together (*échéances constantes*)."""
    CONSTANT_PRINCIPAL = "constant_principal"
    """The same principal each time, plus the period's interest (*amortissement constant*)."""


class DeferralInterest(enum.StrEnum):
    """What happens to a subsidised loan's interest during a deferral (*différé*, SCH-03)."""

    PAID = "paid"
    """Paid each deferral period (*différé partiel*: interest only)."""
    CAPITALISED = "capitalised"
    """Added to the principal to be repaid (*intérêts capitalisés*, *différé total*)."""


class DayCount(enum.StrEnum):
    """How a period's interest is counted (*base de calcul des intérêts*, SCH-03)."""

    THIRTY_360 = "30/360"
    """Each month counts 30 days of a 360-day year: period rate = yearly rate × months / 12."""
    ACTUAL_365 = "act/365"
    """The period's actual days over 365: period rate = yearly rate × days / 365."""


E = TypeVar("E", bound=enum.Enum)


def _choice(kind: type[E], field: str, value: object) -> E:
    if isinstance(value, kind):
        return value
    for member in kind:
        if isinstance(value, str) and value == member.value:
            return member
    words = ", ".join(str(m.value) for m in kind)
    raise InvalidValue(field, value, f"must be one of {words}")


def whole_cents(amount: Decimal) -> int:
    """
    An amount already checked to be in whole cents, as cents (exact, and fast).

    >>> whole_cents(Decimal("12.30"))
    1230
    """
    numerator, denominator = amount.as_integer_ratio()
    return numerator * (100 // denominator)


def _frequency(value: object) -> Frequency:
    return value if value.__class__ is Frequency else _choice(Frequency, "frequency", value)


def _method(value: object) -> Method:
    return value if value.__class__ is Method else _choice(Method, "method", value)


def _deferral_interest(value: object) -> DeferralInterest:
    return (
        value
        if value.__class__ is DeferralInterest
        else _choice(DeferralInterest, "deferral_interest", value)
    )


def _day_count(value: object) -> DayCount:
    return value if value.__class__ is DayCount else _choice(DayCount, "day_count", value)


def _rounding(value: object) -> Rounding:
    return value if value.__class__ is Rounding else _choice(Rounding, "rounding", value)


def _instalments(value: object) -> int:
    if value.__class__ is int and 1 <= value <= MAX_INSTALMENTS:
        return value
    return check_count(value, field="instalments", minimum=1, maximum=MAX_INSTALMENTS)


def _deferral(value: object) -> int:
    if value.__class__ is int and 0 <= value <= MAX_INSTALMENTS:
        return value
    return check_count(value, field="deferral", maximum=MAX_INSTALMENTS)


def _anchor_periods(value: object) -> int:
    return check_count(value, field="anchor_periods", maximum=_MAX_ANCHOR_PERIODS)


def _principal(value: object) -> Decimal:
    if value.__class__ is Decimal:  # the common case, checked without the general parser
        amount = value
        if (
            amount.is_finite()
            and 0 < amount < MAX_AMOUNT
            and 100 % amount.as_integer_ratio()[1] == 0
        ):
            return amount
    return to_money(value, field="principal", positive=True, cents=True)


def _rate(value: object) -> Decimal:
    if value.__class__ is Decimal and value.is_finite() and 0 <= value < 1:
        return value
    return to_rate(value, field="rate")


def _regular(value: object) -> Decimal | None:
    if value is None:
        return None
    return to_money(value, field="regular_payment", positive=True, cents=True).quantize(CENT)


def _start(value: object) -> date:
    return check_date(value, field="start")


def _anchor(value: object) -> date | None:
    return None if value is None else check_date(value, field="anchor")


def _settings_used(value: object) -> tuple[SettingVersion, ...]:
    if value == ():
        return ()
    if not isinstance(value, tuple) or not all(isinstance(v, SettingVersion) for v in value):
        raise InvalidValue("settings_used", value, "must be a tuple of setting versions")
    return value


@attrs.frozen(kw_only=True)
class LoanTerms:
    """
    What a schedule is built from (*conditions de remboursement*).

    Attributes:
        principal: The amount lent, in euros and whole cents (*capital*).
        start: The disbursement date, from which periods are counted (*date de versement*).
        instalments: The number of repayment instalments ``n`` (*nombre d'échéances*).
        frequency: Monthly, quarterly or annual.
        deferral: Periods before the first instalment (*différé*); nothing is repaid
            then (SCH-02), a subsidised loan's interest is paid or capitalised (SCH-03).
        rate: The yearly interest rate as a fraction (``0.02`` is 2 %); zero for an advance.
        method: Constant instalments or constant principal (rated loans only).
        deferral_interest: Interest during a deferral: paid or capitalised (rated loans only).
        day_count: How a period's interest is counted: 30/360 or actual/365.
        rounding: How amounts are rounded to the cent (SCH-01).
        anchor: The date the due dates are counted from, when it is not ``start``:
            a schedule continued after an early repayment keeps the first calendar.
        anchor_periods: The periods of the anchor's calendar already gone by at ``start``.
        regular_payment: A fixed regular instalment instead of the computed one (the
            principal part for constant principal); the last instalment clears the balance.
        settings_used: The territory's setting versions these terms were read from.

    .. versionadded:: 0.1.0
    """

    principal: Decimal = attrs.field(converter=_principal)
    start: date = attrs.field(converter=_start)
    instalments: int = attrs.field(converter=_instalments)
    frequency: Frequency = attrs.field(default=Frequency.MONTHLY, converter=_frequency)
    deferral: int = attrs.field(default=0, converter=_deferral)
    rate: Decimal = attrs.field(default=Decimal(0), converter=_rate)
    method: Method = attrs.field(default=Method.ANNUITY, converter=_method)
    deferral_interest: DeferralInterest = attrs.field(
        default=DeferralInterest.PAID, converter=_deferral_interest
    )
    day_count: DayCount = attrs.field(default=DayCount.THIRTY_360, converter=_day_count)
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, converter=_rounding)
    anchor: date | None = attrs.field(default=None, converter=_anchor)
    anchor_periods: int = attrs.field(default=0, converter=_anchor_periods)
    regular_payment: Decimal | None = attrs.field(default=None, converter=_regular)
    settings_used: tuple[SettingVersion, ...] = attrs.field(default=(), converter=_settings_used)

    def __attrs_post_init__(self) -> None:
        # MAX_INSTALMENTS cents is 12 euros: above, the principal always has a cent each.
        if self.principal < 12 and self.principal * 100 < self.instalments:
            msg = f"cannot be repaid in {self.instalments} instalments of at least one cent"
            raise InvalidValue("principal", str(self.principal), msg)
        calendar = self.start if self.anchor is None else self.anchor
        months = _MONTHS[self.frequency]
        last = self.anchor_periods + self.deferral + self.instalments
        if month_index(calendar) + last * months > 9999 * 12 + 11:
            msg = "puts the last due date past the year 9999"
            raise InvalidValue("instalments", self.instalments, msg)
        if self.anchor is not None:
            opening = add_months(self.anchor, self.anchor_periods * months)
            following = add_months(self.anchor, (self.anchor_periods + 1) * months)
            if not opening <= self.start < following:
                msg = (
                    f"with {self.anchor_periods} period(s) gone by does not frame the start"
                    f" date {self.start.isoformat()}"
                )
                raise InvalidValue("anchor", self.anchor, msg)

    @property
    def calendar(self) -> date:
        """The date due dates are counted from: :attr:`anchor`, or else :attr:`start`."""
        return self.start if self.anchor is None else self.anchor

    @property
    def interest_free(self) -> bool:
        """Whether no interest is charged (an advance, or a loan at 0 %)."""
        return self.rate == 0

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        territory: str,
        on: date,
        principal: object,
        start: object,
        instalments: object,
        frequency: Frequency | str = Frequency.MONTHLY,
        deferral: object = 0,
        rate: object = Decimal(0),
        method: Method | str = Method.ANNUITY,
        rounding: Rounding | str | None = None,
        day_count: DayCount | str | None = None,
        deferral_interest: DeferralInterest | str | None = None,
    ) -> LoanTerms:
        """
        Terms whose rounding, day count and deferral interest follow the territory's settings
        in force on a date (``rounding``, ``day_count``, ``deferral_interest``), unless given.

        The setting versions read are kept in :attr:`settings_used`, so the schedule's
        explanation cites them.

        >>> terms = LoanTerms.from_settings(Settings.national(), territory="T1",
        ...     on=date(2026, 1, 5), principal="3000", start=date(2026, 1, 31), instalments=12)
        >>> terms.rounding, [v.name for v in terms.settings_used]
        (<Rounding.HALF_UP: 'half_up'>, ['rounding', 'day_count', 'deferral_interest'])

        Raises:
            NotInForce: No version of a setting is in force on that date.

        .. versionadded:: 0.1.0
        """
        used: list[SettingVersion] = []

        def pick(setting: Setting[SettingValue], given: object) -> object:
            if given is not None:
                return given
            value, version = settings.lookup(setting, on=on, territory=territory)
            used.append(version)
            return value

        return cls(
            principal=principal,
            start=start,
            instalments=instalments,
            frequency=frequency,
            deferral=deferral,
            rate=rate,
            method=method,
            rounding=pick(ROUNDING, rounding),
            day_count=pick(DAY_COUNT, day_count),
            deferral_interest=pick(DEFERRAL_INTEREST, deferral_interest),
            settings_used=tuple(used),
        )
