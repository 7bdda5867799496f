# Kept whole, at about 930 lines: the schedule builders (interest-free, annuity, constant
# principal, with deferral and broken first periods) share the cent arithmetic and the
# private period helpers of this module; the terms they read are in lending.terms.
"""
Repayment schedules (*échéanciers*): exact to the cent, dated, explained.

An advance (*avance remboursable*) is interest-free and repaid in equal
instalments after an optional deferral during which nothing is due (SCH-02). A
subsidised loan (*prêt bonifié*), a partner's own loan (FUND-03), bears a rate:
constant instalments (*annuités constantes*) or constant principal
(*amortissement constant*) on the declining balance; during a deferral its
interest is paid or capitalised (SCH-03). Every amount is a whole number of
cents rounded by a named rule, half up by default (SCH-01); the principal
repaid adds up to the principal exactly and the last balance is zero.

Instalment ``k`` falls due ``deferral + k`` periods after the start date,
counted from the start each time: a 31 January start gives 28/29 February,
31 March, 30 April… with no drift (SCH-04).

The regular instalment of an advance is the principal divided by the number of
instalments, rounded half up, and the last instalment takes the remainder:

>>> from datetime import date
>>> from decimal import Decimal
>>> schedule = build_schedule(LoanTerms(principal=Decimal("1000.00"), start=date(2026, 1, 31),
...                                     instalments=7))
>>> [str(row.payment) for row in schedule.rows]
['142.86', '142.86', '142.86', '142.86', '142.86', '142.86', '142.84']
>>> [row.due_date.isoformat() for row in schedule.rows[:3]]
['2026-02-28', '2026-03-31', '2026-04-30']

When rounding half up would let the first ``n − 1`` instalments reach the
principal, the instalment is rounded down instead, so nothing is ever
over-collected:

>>> tiny = build_schedule(LoanTerms(principal=Decimal("1.00"), start=date(2026, 1, 31),
...                                 instalments=60))
>>> tiny.rows[0].payment, tiny.rows[58].payment, tiny.rows[59].payment
(Decimal('0.01'), Decimal('0.01'), Decimal('0.41'))

A subsidised loan at 2 % with a deferral of two months whose interest is paid:

>>> loan = build_schedule(LoanTerms(principal=Decimal("10000.00"), start=date(2026, 1, 15),
...                                 instalments=12, deferral=2, rate=Decimal("0.02")))
>>> [(r.number, str(r.payment), str(r.principal), str(r.interest)) for r in loan.rows[:3]]
[(1, '16.67', '0.00', '16.67'), (2, '16.67', '0.00', '16.67'), (3, '842.39', '825.72', '16.67')]
>>> loan.totals.principal, loan.rows[-1].balance
(Decimal('10000.00'), Decimal('0.00'))

The terms themselves are :mod:`alize_core.lending.terms`. This module is the schedule and
the arithmetic that builds it, about 900 lines kept together on purpose: the amortisation
(interest-free, annuity, constant principal, deferral paid or capitalised) writes the
rows a :class:`Schedule` keeps in cents, and the schedule's explanation re-reads those
same rows and rounding rules; apart, they would pass that private representation across
modules.

Bad terms are refused with the field and the value named:

>>> LoanTerms(principal=Decimal("0.50"), start=date(2026, 1, 31), instalments=60)
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: principal: '0.50' cannot be repaid in 60 instalments of at least one cent
>>> LoanTerms(principal=Decimal("1000.00"), start=date(2026, 1, 31), instalments=12,
...           rate=0.02)
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: rate: 0.02 is a binary float; write rates as text or Decimal, e.g. "12.50"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from functools import cached_property, partial
from typing import Final

import attrs

from alize_core.kernel.decisions import Step, format_step, french, make_step
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import Rounding, from_cents, to_money
from alize_core.kernel.months import add_months, month_ordinals
from alize_core.kernel.settings import (
    DAY_COUNT,
    DEFERRAL_INTEREST,
    ROUNDING,
    Setting,
    SettingValue,
    SettingVersion,
)
from alize_core.lending.terms import (
    DayCount,
    DeferralInterest,
    LoanTerms,
    Method,
    whole_cents,
)


__all__ = [
    "Instalment",
    "Schedule",
    "Totals",
    "accrued_interest",
    "build_schedule",
    "cents_text",
    "divide",
    "instalments_for_payment",
]


@attrs.frozen
class Instalment:
    """
    One row of a schedule (*échéance*).

    Attributes:
        number: Its rank in the schedule, from 1 (deferral rows of a rated loan included).
        due_date: When it falls due (*date d'échéance*).
        payment: What the borrower pays (*montant de l'échéance*): interest + principal.
        principal: The principal repaid (*amortissement*); negative when deferral interest
            is capitalised (added to the principal).
        interest: The period's interest (*intérêts*).
        balance: The principal still owed afterwards (*capital restant dû*).
        deferral: Whether it is a deferral row (a rated loan's interest only, or capitalised).
    """

    number: int
    due_date: date
    payment: Decimal
    principal: Decimal
    interest: Decimal
    balance: Decimal
    deferral: bool = False


@attrs.frozen
class Totals:
    """
    The sums of a schedule's columns (*totaux*).

    Attributes:
        payment: Everything the borrower pays.
        principal: The principal repaid: the amount lent, exactly.
        interest: The interest, capitalised interest included.
    """

    payment: Decimal
    principal: Decimal
    interest: Decimal


MESSAGES: Final[Mapping[str, str]] = {
    "rounding": "Montants exacts en euros, arrondis au centime {how} (règle « {rounding} »)",
    "advance.single": "Avance sans intérêt de {principal} € remboursée en une échéance unique",
    "advance.equal": (
        "Avance sans intérêt de {principal} € : {instalments} échéances égales de {regular} €"
    ),
    "advance.remainder": (
        "Avance sans intérêt de {principal} € : {regular_count} échéance(s) de {regular} € et une"
        " dernière de {last} €, qui reçoit les centimes d'arrondi ; total exact"
    ),
    "advance.rounded_down": (
        "Échéance arrondie au centime inférieur : arrondie selon la règle « {rounding} », les"
        " {regular_count} premières auraient atteint le capital"
    ),
    "advance.deferral": (
        "Différé de {deferral} période(s) : rien n'est dû avant la première échéance"
    ),
    "loan.annuity": (
        "Prêt au taux annuel de {rate} % (base {day_count}) : échéances constantes de"
        " {payment} €, intérêts de chaque période arrondis sur le capital restant dû ; la"
        " dernière ({last} €) solde le capital"
    ),
    "loan.constant_principal": (
        "Prêt au taux annuel de {rate} % (base {day_count}) : {regular} € de capital par"
        " échéance (dernière : {last} €), plus les intérêts sur le capital restant dû"
    ),
    "loan.fixed": "Échéance régulière fixée à {regular} € ; la dernière solde le capital",
    "loan.rounded_down": (
        "Échéance arrondie au centime inférieur, pour ne jamais percevoir plus que le capital"
    ),
    "loan.capped": (
        "Les arrondis des intérêts auraient soldé le prêt avant la dernière échéance : les"
        " dernières échéances remboursent moins de capital, jamais plus que le capital dû"
    ),
    "loan.deferral_paid": (
        "Différé de {deferral} période(s) : seuls les intérêts sont payés ({interest} € au total)"
    ),
    "loan.deferral_capitalised": (
        "Différé de {deferral} période(s) : les intérêts ({interest} €) sont capitalisés et"
        " amortis avec le capital ({amortised} €)"
    ),
    "dates": (
        "Échéances {frequency} comptées chaque fois depuis le {calendar} : la première le"
        " {first}, la dernière le {last}"
    ),
    "dates.clipped": (
        "{clipped} échéance(s) ramenée(s) au dernier jour du mois, faute de {day}e jour"
    ),
    "totals": (
        "Total : {payment} € versés, dont {principal} € de capital et {interest} € d'intérêts"
    ),
}
"""The French messages of a schedule's explanation, by code."""


_ROUNDING_FRENCH: Final = {
    Rounding.HALF_UP: "au plus proche, la moitié vers le haut",
    Rounding.HALF_EVEN: "au plus proche, la moitié vers le centime pair",
    Rounding.DOWN: "par défaut",
    Rounding.UP: "par excès",
}


def divide(numerator: int, denominator: int, rounding: Rounding) -> int:
    """
    ``numerator / denominator`` rounded to a whole number by a named rule (both positive).

    >>> divide(100_000, 7, Rounding.HALF_UP), divide(5, 2, Rounding.HALF_EVEN)
    (14286, 2)

    .. versionadded:: 0.1.0
    """
    quotient, remainder = divmod(numerator, denominator)
    if remainder == 0 or rounding is Rounding.DOWN:
        return quotient
    if rounding is Rounding.UP:
        return quotient + 1
    twice = 2 * remainder
    if twice > denominator:
        return quotient + 1
    if twice == denominator and (rounding is Rounding.HALF_UP or quotient & 1):
        return quotient + 1
    return quotient


def cents_text(cents: int) -> str:
    """
    A number of cents as text with two decimals, the way JSON documents write amounts.

    >>> cents_text(62500), cents_text(-5), cents_text(0)
    ('625.00', '-0.05', '0.00')

    .. versionadded:: 0.1.0
    """
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole}.{fraction:02d}"


def equal_split(total: int, count: int, rounding: Rounding) -> tuple[int, bool]:
    """The regular instalment of ``total`` in ``count``, and whether it was rounded down."""
    regular = divide(total, count, rounding)
    if regular * (count - 1) >= total:
        return total // count, True
    return regular, False


def _days_360(start: date, end: date) -> int:
    """Days between two dates counted 30/360 (the European convention, 30E/360)."""
    return (
        360 * (end.year - start.year)
        + 30 * (end.month - start.month)
        + min(end.day, 30)
        - min(start.day, 30)
    )


def _rates(terms: LoanTerms, due: tuple[int, ...]) -> tuple[list[int] | int, int]:
    """
    Each row's period rate as numerators over one denominator: a single int when
    every period has the same rate (the fast path), else one numerator per row.
    """
    top, bottom = terms.rate.as_integer_ratio()
    months = terms.frequency.months
    start = terms.start.toordinal()
    if terms.day_count is DayCount.ACTUAL_365:
        before = (start, *due[:-1])
        return [top * (d - b) for d, b in zip(due, before, strict=True)], 365 * bottom
    regular = 30 * months * top
    if terms.anchor is None or terms.start == add_months(
        terms.anchor, terms.anchor_periods * months
    ):
        common = math.gcd(regular, 360 * bottom)  # smaller numbers, the same rate
        return regular // common, 360 * bottom // common
    first = top * _days_360(terms.start, date.fromordinal(due[0]))
    return [first] + [regular] * (len(due) - 1), 360 * bottom


def _annuity(
    balance: int, numerators: list[int] | int, denominator: int, count: int
) -> tuple[int, int]:
    """The exact constant instalment repaying ``balance`` in ``count`` periods, as a fraction."""
    if isinstance(numerators, int):
        growth = (denominator + numerators) ** count
        shrink = denominator**count
        return balance * numerators * growth, denominator * (growth - shrink)
    product = 1
    total = 0
    power = 1
    for numerator in numerators:
        power *= denominator
        factor = denominator + numerator
        total = total * factor + power
        product *= factor
    return balance * product, total


Rows = tuple[list[int], list[int], list[int], list[int]]
"""Payments, interests, principals and balances of a schedule's rows, in cents."""


@attrs.frozen
class _Periods:
    """
    The periods a balance is repaid over: each one's rate as ``numerator / denominator``
    (one numerator for every period, or one each), how many, and how interest rounds.
    """

    numerators: list[int] | int
    denominator: int
    count: int
    rounding: Rounding


def _amortise_half_up(
    balance: int, payment: int, numerator: int, denominator: int, count: int
) -> Rows | None:
    """
    The fast path of :func:`_amortise`: one rate for every period and half-up rounding.
    None when some row would repay no principal or leave nothing for the last one
    (then the general path decides).
    """
    interests = [0] * count
    balances = [0] * count
    twice_numerator = 2 * numerator
    twice = 2 * denominator
    for k in range(count - 1):
        interests[k] = interest = (balance * twice_numerator + denominator) // twice
        balances[k] = balance = balance - payment + interest
    if balance < 1 or max(interests) >= payment:
        return None
    last = (balance * twice_numerator + denominator) // twice
    interests[-1] = last
    principals = [payment - interest for interest in interests]
    principals[-1] = balance
    payments = [payment] * count
    payments[-1] = balance + last
    return payments, interests, principals, balances


def _amortise(balance: int, payment: int, periods: _Periods) -> tuple[Rows, bool]:
    """
    Constant-instalment rows: each period's interest rounded on the balance, the rest
    principal, the last row clearing the balance; and whether a row's principal had to
    be lowered to leave at least a cent for each instalment after it (no over-collection).
    """
    numerators, denominator = periods.numerators, periods.denominator
    count, rounding = periods.count, periods.rounding
    payments: list[int] = []
    interests: list[int] = []
    principals: list[int] = []
    balances: list[int] = []
    half_up = rounding is Rounding.HALF_UP
    twice = 2 * denominator
    capped = False
    for k in range(count):
        numerator = numerators if isinstance(numerators, int) else numerators[k]
        if half_up:
            interest = (2 * balance * numerator + denominator) // twice
        else:
            interest = divide(balance * numerator, denominator, rounding)
        if k == count - 1:
            principal = balance
        else:
            principal = max(payment - interest, 0)
            ceiling = balance - (count - 1 - k)
            if principal > ceiling:
                capped = True
                principal = ceiling
        balance -= principal
        payments.append(principal + interest)
        interests.append(interest)
        principals.append(principal)
        balances.append(balance)
    return (payments, interests, principals, balances), capped


def _constant_principal(balance: int, regular: int, periods: _Periods) -> Rows:
    """Constant-principal rows: the same principal each time, the last taking the rest."""
    count = periods.count
    numerators = periods.numerators
    rates = [numerators] * count if isinstance(numerators, int) else numerators
    owed = [balance - regular * k for k in range(count)]
    principals = [regular] * (count - 1) + [owed[-1]]
    interests = [
        divide(before * rate, periods.denominator, periods.rounding)
        for before, rate in zip(owed, rates, strict=True)
    ]
    payments = [p + i for p, i in zip(principals, interests, strict=True)]
    balances = [*owed[1:], 0]
    return payments, interests, principals, balances


def _regular_cents(terms: LoanTerms) -> int | None:
    return None if terms.regular_payment is None else whole_cents(terms.regular_payment)


def _check_fixed(terms: LoanTerms, regular: int, balance: int) -> None:
    if regular * (terms.instalments - 1) >= balance:
        msg = f"repays the principal before instalment {terms.instalments}"
        raise InvalidValue("regular_payment", terms.regular_payment, msg)


def _build_interest_free(terms: LoanTerms) -> Schedule:
    total = whole_cents(terms.principal)
    count = terms.instalments
    fixed = _regular_cents(terms)
    if fixed is None:
        regular, lowered = equal_split(total, count, terms.rounding)
    else:
        _check_fixed(terms, fixed, total)
        regular, lowered = fixed, False
    last = total - regular * (count - 1)
    months = terms.frequency.months
    first = (terms.anchor_periods + terms.deferral + 1) * months
    due = month_ordinals(terms.calendar, first, count, months)
    payments = (regular,) * (count - 1) + (last,)
    return Schedule(
        terms,
        due,
        payments,
        (0,) * count,
        payments,
        (*range(total - regular, last - 1, -regular), 0),
        deferral_rows=0,
        regular_cents=regular,
        rounded_down=lowered,
    )


def _build_rated(terms: LoanTerms) -> Schedule:
    deferral = terms.deferral
    count = terms.instalments
    months = terms.frequency.months
    first = (terms.anchor_periods + 1) * months
    due = month_ordinals(terms.calendar, first, deferral + count, months)
    numerators, denominator = _rates(terms, due)
    rounding = terms.rounding
    balance = whole_cents(terms.principal)
    payments: list[int] = []
    interests: list[int] = []
    principals: list[int] = []
    balances: list[int] = []
    capitalise = terms.deferral_interest is DeferralInterest.CAPITALISED
    for k in range(deferral):
        numerator = numerators if isinstance(numerators, int) else numerators[k]
        interest = divide(balance * numerator, denominator, rounding)
        if capitalise:
            balance += interest
            payments.append(0)
            principals.append(-interest)
        else:
            payments.append(interest)
            principals.append(0)
        interests.append(interest)
        balances.append(balance)
    rest = numerators if isinstance(numerators, int) else numerators[deferral:]
    periods = _Periods(rest, denominator, count, rounding)
    fixed = _regular_cents(terms)
    lowered = capped = False
    if terms.method is Method.CONSTANT_PRINCIPAL:
        if fixed is None:
            regular, lowered = equal_split(balance, count, rounding)
        else:
            _check_fixed(terms, fixed, balance)
            regular = fixed
        rows = _constant_principal(balance, regular, periods)
    else:
        top, bottom = _annuity(balance, rest, denominator, count)
        regular = divide(top, bottom, rounding) if fixed is None else fixed
        fast = None
        if isinstance(rest, int) and rounding is Rounding.HALF_UP and count > 1:
            fast = _amortise_half_up(balance, regular, rest, denominator, count)
        if fast is not None:
            rows, capped = fast, False
        else:
            rows, capped = _amortise(balance, regular, periods)
        if capped and fixed is not None:
            msg = f"repays the principal before instalment {count}"
            raise InvalidValue("regular_payment", terms.regular_payment, msg)
        if capped and top // bottom != regular:
            lowered = True
            regular = top // bottom
            rows, capped = _amortise(balance, regular, periods)
    if deferral:
        rows = (payments + rows[0], interests + rows[1], principals + rows[2], balances + rows[3])
    return Schedule(
        terms,
        due,
        tuple(rows[0]),
        tuple(rows[1]),
        tuple(rows[2]),
        tuple(rows[3]),
        deferral_rows=deferral,
        regular_cents=regular,
        rounded_down=lowered,
        capped=capped,
    )


def build_schedule(terms: LoanTerms) -> Schedule:
    """
    The schedule of these terms (SCH-01…SCH-04).

    Every amount is computed in whole cents and every date as a day number; rows are
    turned into :class:`Instalment` objects (``Decimal`` and ``date``) only when read.

    Raises:
        InvalidValue: A fixed :attr:`LoanTerms.regular_payment` would repay the principal
            before the last instalment.

    .. versionadded:: 0.1.0
    """
    if terms.rate == 0:
        return _build_interest_free(terms)
    return _build_rated(terms)


def instalments_for_payment(terms: LoanTerms, payment: Decimal) -> int:
    """
    How many instalments a regular ``payment`` needs to repay the terms' principal on their
    calendar, at most :attr:`LoanTerms.instalments` (an early repayment that keeps the
    instalment and shortens the term, SCH-05).

    >>> terms = LoanTerms(principal=Decimal("1000.00"), start=date(2026, 1, 31), instalments=10)
    >>> instalments_for_payment(terms, Decimal("300.00"))
    4

    .. versionadded:: 0.1.0
    """
    regular = whole_cents(to_money(payment, field="payment", positive=True, cents=True))
    balance = whole_cents(terms.principal)
    limit = terms.instalments
    if terms.rate == 0 or terms.method is Method.CONSTANT_PRINCIPAL:
        return min(limit, max(1, -(-balance // regular)))
    months = terms.frequency.months
    due = month_ordinals(
        terms.calendar, (terms.anchor_periods + 1) * months, terms.deferral + limit, months
    )
    numerators, denominator = _rates(terms, due)
    for k in range(terms.deferral):
        numerator = numerators if isinstance(numerators, int) else numerators[k]
        if terms.deferral_interest is DeferralInterest.CAPITALISED:
            balance += divide(balance * numerator, denominator, terms.rounding)
    for k in range(limit):
        index = terms.deferral + k
        numerator = numerators if isinstance(numerators, int) else numerators[index]
        interest = divide(balance * numerator, denominator, terms.rounding)
        if regular - interest >= balance:
            return k + 1
        balance -= max(0, regular - interest)
    return limit


def accrued_interest(balance: Decimal, terms: LoanTerms, since: date, until: date) -> Decimal:
    """
    The interest a balance runs up between two dates under the terms' rate, day count
    (30/360 counts 30 days a month) and rounding: what is due on the day of an early
    repayment or a default since the last due date (SCH-03, SCH-05).

    >>> terms = LoanTerms(principal=Decimal("10000"), start=date(2026, 1, 15), instalments=24,
    ...                   rate=Decimal("0.03"))
    >>> accrued_interest(Decimal("9000.00"), terms, date(2026, 3, 15), date(2026, 4, 1))
    Decimal('12.00')

    .. versionadded:: 0.1.0
    """
    cents = whole_cents(to_money(balance, field="balance", non_negative=True, cents=True))
    return from_cents(accrued_cents(cents, terms, since, until))


def accrued_cents(balance: int, terms: LoanTerms, since: date, until: date) -> int:
    if balance == 0 or until <= since or terms.rate == 0:
        return 0
    top, bottom = terms.rate.as_integer_ratio()
    if terms.day_count is DayCount.ACTUAL_365:
        days, year = (until - since).days, 365
    else:
        days, year = _days_360(since, until), 360
    return divide(balance * top * days, bottom * year, terms.rounding)


def _percent(rate: Decimal) -> Decimal:
    value = (rate * 100).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


@attrs.frozen
class Schedule:
    """
    A repayment schedule (*échéancier*): the terms and every row, exact to the cent.

    The rows are kept as whole cents and day numbers (the ``*_cents`` and
    :attr:`due_ordinals` tuples, one entry per row) and turned into
    :class:`Instalment` objects only when :attr:`rows` is read. Build it with
    :func:`build_schedule`.

    Attributes:
        terms: The terms it was built from.
        due_ordinals: Each row's due date as :meth:`datetime.date.toordinal` gives it.
        payment_cents: Each row's payment, in cents.
        interest_cents: Each row's interest, in cents.
        principal_cents: Each row's principal, in cents.
        balance_cents: The balance after each row, in cents.
        deferral_rows: How many leading rows are deferral rows (rated loans only).
        regular_cents: The regular instalment (the principal part for constant principal).
        rounded_down: Whether the regular instalment was rounded down so that nothing is
            over-collected.
        capped: Whether, even so, the rounding of many periods' interest would have repaid
            a loan early, so some late rows repay less principal (a tiny loan over many
            periods): the instalment is then not constant to the end.

    .. versionadded:: 0.1.0
    """

    terms: LoanTerms
    due_ordinals: tuple[int, ...]
    payment_cents: tuple[int, ...]
    interest_cents: tuple[int, ...]
    principal_cents: tuple[int, ...]
    balance_cents: tuple[int, ...]
    deferral_rows: int = attrs.field(kw_only=True)
    regular_cents: int = attrs.field(kw_only=True)
    rounded_down: bool = attrs.field(kw_only=True)
    capped: bool = attrs.field(default=False, kw_only=True)

    def _numbered(self) -> Iterator[tuple[int, int, int, int, int, int]]:
        """Each row as (number, due ordinal, payment, principal, interest, balance)."""
        return zip(
            range(1, len(self.due_ordinals) + 1),
            self.due_ordinals,
            self.payment_cents,
            self.principal_cents,
            self.interest_cents,
            self.balance_cents,
            strict=True,
        )

    @cached_property
    def rows(self) -> tuple[Instalment, ...]:
        """Every row as an :class:`Instalment` (``Decimal`` amounts, ``date`` due dates)."""
        deferral = self.deferral_rows
        fromordinal = date.fromordinal
        known: dict[int, Decimal] = {}

        def euros(cents: int) -> Decimal:
            amount = known.get(cents)
            if amount is None:
                amount = known[cents] = from_cents(cents)
            return amount

        return tuple(
            Instalment(
                number,
                fromordinal(due),
                euros(payment),
                euros(principal),
                euros(interest),
                from_cents(balance),
                number <= deferral,
            )
            for number, due, payment, principal, interest, balance in self._numbered()
        )

    @property
    def totals(self) -> Totals:
        """The sums of the payment, principal and interest columns."""
        return Totals(
            from_cents(sum(self.payment_cents)),
            from_cents(sum(self.principal_cents)),
            from_cents(sum(self.interest_cents)),
        )

    @property
    def regular_payment(self) -> Decimal:
        """The regular instalment (for constant principal, its principal part)."""
        return from_cents(self.regular_cents)

    @property
    def first_due(self) -> date:
        """The due date of the first row."""
        return date.fromordinal(self.due_ordinals[0])

    @property
    def last_due(self) -> date:
        """The due date of the last row."""
        return date.fromordinal(self.due_ordinals[-1])

    def _setting(self, setting: Setting[SettingValue]) -> tuple[SettingVersion, ...]:
        return tuple(v for v in self.terms.settings_used if v.name == setting.name)

    @cached_property
    def steps(self) -> tuple[Step, ...]:
        """
        The explanation, step by step, each citing its rule (SCH-01 to SCH-04) and the
        settings it used.
        """
        terms = self.terms
        steps = [
            make_step(
                MESSAGES,
                "SCH-01",
                True,
                "rounding",
                settings_used=self._setting(ROUNDING),
                rounding=terms.rounding.value,
                how=_ROUNDING_FRENCH[terms.rounding],
            )
        ]
        count = terms.instalments
        regular = self.regular_cents
        repaid = self.payment_cents[self.deferral_rows :]
        if terms.rate == 0:
            steps.extend(self._advance_steps(count, regular, repaid[-1]))
        else:
            steps.extend(self._loan_steps(regular, repaid[-1]))
        steps.extend(self._date_steps())
        steps.append(
            make_step(
                MESSAGES,
                "SCH-02" if terms.rate == 0 else "SCH-03",
                True,
                "totals",
                payment=from_cents(sum(self.payment_cents)),
                principal=from_cents(sum(self.principal_cents)),
                interest=from_cents(sum(self.interest_cents)),
            )
        )
        return tuple(steps)

    def _advance_steps(self, count: int, regular: int, last: int) -> list[Step]:
        terms = self.terms
        principal = from_cents(whole_cents(terms.principal))
        steps: list[Step] = []
        fixed = terms.regular_payment is not None
        if fixed:
            steps.append(
                make_step(MESSAGES, "SCH-05", True, "loan.fixed", regular=from_cents(regular))
            )
        if count == 1:
            steps.append(make_step(MESSAGES, "SCH-02", True, "advance.single", principal=principal))
        elif regular == last:
            steps.append(
                make_step(
                    MESSAGES,
                    "SCH-02",
                    True,
                    "advance.equal",
                    principal=principal,
                    instalments=count,
                    regular=from_cents(regular),
                )
            )
        else:
            steps.append(
                make_step(
                    MESSAGES,
                    "SCH-02",
                    True,
                    "advance.remainder",
                    principal=principal,
                    regular_count=count - 1,
                    regular=from_cents(regular),
                    last=from_cents(last),
                )
            )
        if self.rounded_down:
            steps.append(
                make_step(
                    MESSAGES,
                    "SCH-02",
                    True,
                    "advance.rounded_down",
                    warning=True,
                    rounding=terms.rounding.value,
                    regular_count=count - 1,
                )
            )
        if terms.deferral:
            steps.append(
                make_step(MESSAGES, "SCH-02", True, "advance.deferral", deferral=terms.deferral)
            )
        return steps

    def _loan_steps(self, regular: int, last: int) -> list[Step]:
        terms = self.terms
        steps: list[Step] = []
        day_count = self._setting(DAY_COUNT)
        rate = _percent(terms.rate)
        method = partial(
            make_step,
            MESSAGES,
            "SCH-03",
            True,
            settings_used=day_count,
            rate=rate,
            day_count=terms.day_count.value,
        )
        if terms.method is Method.CONSTANT_PRINCIPAL:
            last_principal = from_cents(self.principal_cents[-1])
            steps.append(
                method("loan.constant_principal", regular=from_cents(regular), last=last_principal)
            )
        else:
            steps.append(method("loan.annuity", payment=from_cents(regular), last=from_cents(last)))
        if terms.regular_payment is not None:
            steps.append(
                make_step(MESSAGES, "SCH-05", True, "loan.fixed", regular=from_cents(regular))
            )
        if self.rounded_down:
            steps.append(make_step(MESSAGES, "SCH-03", True, "loan.rounded_down", warning=True))
        if self.capped:
            steps.append(make_step(MESSAGES, "SCH-03", True, "loan.capped", warning=True))
        if terms.deferral:
            deferred = sum(self.interest_cents[: self.deferral_rows])
            used = self._setting(DEFERRAL_INTEREST)
            if terms.deferral_interest is DeferralInterest.CAPITALISED:
                amortised = whole_cents(terms.principal) + deferred
                steps.append(
                    make_step(
                        MESSAGES,
                        "SCH-03",
                        True,
                        "loan.deferral_capitalised",
                        settings_used=used,
                        deferral=terms.deferral,
                        interest=from_cents(deferred),
                        amortised=from_cents(amortised),
                    )
                )
            else:
                steps.append(
                    make_step(
                        MESSAGES,
                        "SCH-03",
                        True,
                        "loan.deferral_paid",
                        settings_used=used,
                        deferral=terms.deferral,
                        interest=from_cents(deferred),
                    )
                )
        return steps

    def _date_steps(self) -> list[Step]:
        terms = self.terms
        calendar = terms.calendar
        steps = [
            make_step(
                MESSAGES,
                "SCH-04",
                True,
                "dates",
                frequency=terms.frequency.french,
                calendar=calendar,
                first=self.first_due,
                last=self.last_due,
            )
        ]
        if calendar.day > 28:
            clipped = sum(1 for o in self.due_ordinals if date.fromordinal(o).day != calendar.day)
            if clipped:
                steps.append(
                    make_step(
                        MESSAGES, "SCH-04", True, "dates.clipped", clipped=clipped, day=calendar.day
                    )
                )
        return steps

    def explain(self) -> str:
        """
        The schedule's explanation in French, one line per step with its rule id.

        >>> terms = LoanTerms(principal=Decimal("1000.00"), start=date(2026, 1, 31),
        ...                   instalments=7)
        >>> print(build_schedule(terms).explain())
        Échéancier de 1 000,00 € en 7 échéances mensuelles
          ✓ Montants exacts en euros, arrondis au centime au plus proche, la moitié vers le haut (règle « half_up ») (SCH-01)
          ✓ Avance sans intérêt de 1 000,00 € : 6 échéance(s) de 142,86 € et une dernière de 142,84 €, qui reçoit les centimes d'arrondi ; total exact (SCH-02)
          ✓ Échéances mensuelles comptées chaque fois depuis le 31/01/2026 : la première le 28/02/2026, la dernière le 31/08/2026 (SCH-04)
          ✓ 3 échéance(s) ramenée(s) au dernier jour du mois, faute de 31e jour (SCH-04)
          ✓ Total : 1 000,00 € versés, dont 1 000,00 € de capital et 0,00 € d'intérêts (SCH-02)
        """
        terms = self.terms
        head = (
            f"Échéancier de {french(from_cents(whole_cents(terms.principal)))} € en"
            f" {terms.instalments}"
            f" échéances {terms.frequency.french}"
        )
        lines = [head.replace("\xa0", " ")]
        lines += [format_step(step).replace("\xa0", " ") for step in self.steps]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """
        The schedule as JSON-ready data: amounts as text with two decimals.

        >>> terms = LoanTerms(principal=Decimal("100"), start=date(2026, 1, 31), instalments=2)
        >>> build_schedule(terms).to_dict()["instalments"][0]
        {'number': 1, 'due_date': '2026-02-28', 'payment': '50.00', 'principal': '50.00', 'interest': '0.00', 'balance': '50.00'}
        """
        rows = [
            {
                "number": number,
                "due_date": date.fromordinal(due).isoformat(),
                "payment": cents_text(payment),
                "principal": cents_text(principal),
                "interest": cents_text(interest),
                "balance": cents_text(balance),
            }
            for number, due, payment, principal, interest, balance in self._numbered()
        ]
        return {
            "principal": cents_text(whole_cents(self.terms.principal)),
            "rate": str(self.terms.rate),
            "instalments": rows,
            "totals": {
                "payment": cents_text(sum(self.payment_cents)),
                "principal": cents_text(sum(self.principal_cents)),
                "interest": cents_text(sum(self.interest_cents)),
            },
        }
