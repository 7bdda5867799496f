"""
Money (*montants*): exact euros as :class:`~decimal.Decimal`, never floats (SCH-01).

Amounts enter alize through :func:`to_money`, which refuses binary floats, and
are rounded to the cent only where a rule says so, with the rounding mode named
(:class:`Rounding`, half up by default).

>>> from decimal import Decimal
>>> to_money("1 234,5", field="contribution")
Decimal('1234.5')
>>> quantize(Decimal("142.857"))
Decimal('142.86')
>>> quantize(Decimal("0.125"), Rounding.HALF_EVEN)
Decimal('0.12')
>>> format_eur(Decimal("1234.56"))
'1\\xa0234,56\\xa0€'
>>> to_money("abc", field="advance")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: advance: 'abc' is not an amount in euros (write e.g. "25000.00")

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import decimal
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from alize_core.kernel.errors import InvalidValue, MissingValue


__all__ = [
    "CENT",
    "MAX_AMOUNT",
    "ZERO",
    "Rounding",
    "format_eur",
    "from_cents",
    "quantize",
    "to_cents",
    "to_money",
    "to_rate",
]

ZERO: Final = Decimal("0.00")
"""Zero euros, at the cent."""

CENT: Final = Decimal("0.01")
"""One cent: the unit every rounded amount is a multiple of."""

MAX_AMOUNT: Final = Decimal(10) ** 12
"""The largest amount alize accepts (a thousand billion euros): anything above is a typo."""

NBSP: Final = "\u00a0"


class Rounding(enum.StrEnum):
    """
    How an amount is rounded to the cent (*règle d'arrondi*), named in every decision.
    """

    HALF_UP = "half_up"
    """To the nearest cent, halves away from zero (the French commercial rule, the default)."""
    HALF_EVEN = "half_even"
    """To the nearest cent, halves to the even cent (banker's rounding)."""
    DOWN = "down"
    """Towards zero (truncation)."""
    UP = "up"
    """Away from zero."""

    @property
    def decimal_mode(self) -> str:
        """The :mod:`decimal` rounding constant."""
        return _MODES[self]


_MODES: Final[Mapping[Rounding, str]] = {
    rounding: str(getattr(decimal, f"ROUND_{rounding.name}")) for rounding in Rounding
}
"""Each rounding's :mod:`decimal` constant, named like it (``ROUND_HALF_UP``…)."""


def _parse_text(value: str, field: str) -> Decimal:
    text = value.strip().replace(NBSP, "").replace("\u202f", "").replace(" ", "")
    text = text.removesuffix("€").removesuffix("EUR")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    if not text.isascii():
        # Decimal reads other scripts' digits ("١٢", "１２"): an amount is written in 0 to 9.
        msg = 'is not an amount in euros: write it in the digits 0 to 9 (e.g. "25000.00")'
        raise InvalidValue(field, value, msg)
    try:
        return Decimal(text)
    except decimal.InvalidOperation:
        msg = 'is not an amount in euros (write e.g. "25000.00")'
        raise InvalidValue(field, value, msg) from None


def _to_decimal(value: object, field: str, what: str) -> Decimal:
    if value is None:
        raise MissingValue(field, None)
    if isinstance(value, bool):
        raise InvalidValue(field, value, f"is a yes/no value, not {what}")
    if isinstance(value, float):
        msg = f'is a binary float; write {what}s as text or Decimal, e.g. "12.50"'
        raise InvalidValue(field, value, msg)
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, str):
        number = _parse_text(value, field)
    else:
        raise InvalidValue(field, value, f"is not {what}")
    if not number.is_finite():
        raise InvalidValue(field, value, f"is not a finite {what}")
    if abs(number) >= MAX_AMOUNT:
        raise InvalidValue(field, value, "is too large to be a real amount")
    return number


def to_money(
    value: object,
    *,
    field: str,
    positive: bool = False,
    non_negative: bool = False,
    cents: bool = False,
    decimal_only: bool = False,
    quantized: bool = False,
) -> Decimal:
    """
    Read an amount in euros, refusing floats, text that is not a number and absurd sizes.

    This is alize's one amount validator: constructors, commands, reports and the adapters'
    payloads all read amounts through it, choosing the options their rule needs; as an attrs
    validator, ``checked(to_money, non_negative=True, cents=True, decimal_only=True)``
    (:func:`~alize_core.kernel.validation.checked`) names the attribute as the field.

    Args:
        value: A :class:`~decimal.Decimal`, an ``int`` or text (``"1234.56"``,
            ``"1 234,56 €"``), in the digits 0 to 9.
        field: The name of the field, for the error message.
        positive: Refuse zero and negative amounts.
        non_negative: Refuse negative amounts.
        cents: Refuse fractions of a cent.
        decimal_only: Refuse anything but a :class:`~decimal.Decimal` (a model's field,
            whose amount was read before).
        quantized: Refuse fractions of a cent, and write the amount with two decimals
            (``"12"`` becomes ``Decimal('12.00')``; nothing is rounded).

    Raises:
        InvalidValue: The value is not an acceptable amount.
        MissingValue: The value is ``None``.

    >>> to_money(0, field="advance", positive=True)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: advance: 0 must be more than zero euros
    >>> to_money("10.005", field="advance", cents=True)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: advance: '10.005' has a fraction of a cent
    >>> to_money("12", field="means", quantized=True)
    Decimal('12.00')
    >>> to_money("12.50", field="turnover", decimal_only=True)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: turnover: '12.50' must be a Decimal amount

    .. versionadded:: 0.1.0
    """
    number = _to_decimal(value, field, "amount")
    if decimal_only and not isinstance(value, Decimal):
        raise InvalidValue(field, value, "must be a Decimal amount")
    if positive and number <= 0:
        raise InvalidValue(field, value, "must be more than zero euros")
    if non_negative and number < 0:
        raise InvalidValue(field, value, "must not be negative")
    if (cents or quantized) and number != number.quantize(CENT, rounding=decimal.ROUND_DOWN):
        raise InvalidValue(field, value, "has a fraction of a cent")
    return number.quantize(CENT) if quantized else number


def to_rate(value: object, *, field: str) -> Decimal:
    """
    Read a yearly interest rate as a fraction (``"0.02"`` is 2 %), refusing floats and negatives.

    >>> to_rate("0.025", field="rate")
    Decimal('0.025')
    >>> to_rate("-0.01", field="rate")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: rate: '-0.01' must not be negative

    .. versionadded:: 0.1.0
    """
    number = _to_decimal(value, field, "rate")
    if number < 0:
        raise InvalidValue(field, value, "must not be negative")
    if number >= 1:
        raise InvalidValue(field, value, "is 100 % or more: write rates as fractions (0.02 = 2 %)")
    return number


def quantize(amount: Decimal, rounding: Rounding = Rounding.HALF_UP) -> Decimal:
    """
    Round an amount to the cent with a named rounding mode (SCH-01; half up by default).

    .. versionadded:: 0.1.0
    """
    return amount.quantize(CENT, rounding=rounding.decimal_mode)


def to_cents(amount: Decimal) -> int:
    """
    An amount already in whole cents, as an integer number of cents.

    >>> to_cents(Decimal("12.30"))
    1230

    .. versionadded:: 0.1.0
    """
    return int(amount.scaleb(2).to_integral_value(rounding=decimal.ROUND_HALF_UP))


def from_cents(cents: int) -> Decimal:
    """
    An integer number of cents as euros with two decimals.

    >>> from_cents(-5)
    Decimal('-0.05')

    .. versionadded:: 0.1.0
    """
    return Decimal(cents).scaleb(-2)


def format_eur(amount: Decimal, *, decimals: int = 2) -> str:
    """
    An amount as a French reader writes it: ``1 234,56 €`` (non-breaking spaces).

    >>> format_eur(Decimal("-1234567.5"))
    '-1\\xa0234\\xa0567,50\\xa0€'
    >>> format_eur(Decimal("980000"), decimals=0)
    '980\\xa0000\\xa0€'

    .. versionadded:: 0.1.0
    """
    exponent = Decimal(1).scaleb(-decimals)
    rounded = amount.quantize(exponent, rounding=decimal.ROUND_HALF_UP)
    return f"{french_digits(rounded)}{NBSP}€"


def french_digits(number: Decimal) -> str:
    """
    A number's digits as French text, exactly as given: thousands separated by a no-break
    space, a decimal comma (:func:`format_eur`, and the parameters of every step).
    """
    sign = "-" if number < 0 else ""
    whole, dot, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while whole:
        groups.append(whole[-3:])
        whole = whole[:-3]
    text = NBSP.join(reversed(groups)) or "0"
    return sign + text + ("," + fraction if dot else "")
