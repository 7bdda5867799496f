"""
Checks shared by the model's constructors: each refuses bad input with an
:class:`~alize_core.kernel.errors.AlizeError` naming the field and the value.

>>> check_text("", field="name")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: name: '' must not be empty
>>> check_count(-1, field="staff")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: staff: -1 must be a whole number, zero or more

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Final

import attrs

from alize_core.kernel.errors import InvalidValue, MissingValue
from alize_core.kernel.money import to_money


__all__ = [
    "AMOUNT",
    "MAX_COUNT",
    "MAX_TEXT",
    "SIGNED_AMOUNT",
    "check_count",
    "check_date",
    "check_flag",
    "check_id",
    "check_text",
    "checked",
    "digits",
    "instance_of",
    "member_of",
    "optional",
    "read_iso_date",
    "tuple_of",
]

Validator = Callable[[object, "attrs.Attribute[Any]", object], None]

MAX_TEXT: Final = 10_000
"""The longest text a field accepts."""

MAX_COUNT: Final = 10_000_000
"""The largest count (staff, jobs, days) a field accepts."""


def digits(text: str) -> bool:
    """
    Whether a text, spaces around it aside, is a whole number in the digits 0 to 9
    (``str.isdigit`` alone also accepts ``"²"``, which ``int`` cannot read).

    >>> digits(" 12 "), digits("²"), digits("-1"), digits("")
    (True, False, False, False)

    .. versionadded:: 0.1.0
    """
    text = text.strip()
    return text.isascii() and text.isdigit()


def check_text(value: object, *, field: str, max_length: int = MAX_TEXT) -> str:
    """A non-empty text of reasonable length."""
    if value is None:
        raise MissingValue(field, None)
    if not isinstance(value, str):
        raise InvalidValue(field, value, "must be text")
    if not value.strip():
        raise InvalidValue(field, value, "must not be empty")
    if len(value) > max_length:
        raise InvalidValue(field, value, f"is longer than {max_length} characters")
    if "\x00" in value:
        raise InvalidValue(field, value, "contains a NUL character")
    return value


def check_id(value: object, *, field: str) -> str:
    """An identifier: non-empty text without surrounding spaces, at most 200 characters."""
    text = check_text(value, field=field, max_length=200)
    if text != text.strip():
        raise InvalidValue(field, value, "must not start or end with a space")
    return text


def check_count(value: object, *, field: str, minimum: int = 0, maximum: int = MAX_COUNT) -> int:
    """A whole number in a range (zero or more by default)."""
    if value is None:
        raise MissingValue(field, None)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue(field, value, "must be a whole number")
    if value < minimum or value > maximum:
        what = "zero or more" if minimum == 0 else f"at least {minimum}"
        if value > maximum:
            what = f"at most {maximum}"
        raise InvalidValue(field, value, f"must be a whole number, {what}")
    return value


def check_flag(value: object, *, field: str) -> bool:
    """Yes or no."""
    if not isinstance(value, bool):
        raise InvalidValue(field, value, "must be true or false")
    return value


def read_iso_date(text: object, *, field: str) -> date:
    """
    A date written exactly ``YYYY-MM-DD`` in ASCII digits (not ``20260301``, ``2026-W10-1``
    or ``2026-3-1``, which :meth:`date.fromisoformat` reads or half-reads).

    >>> read_iso_date("2026-03-01", field="on")
    datetime.date(2026, 3, 1)
    >>> read_iso_date("20260301", field="on")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: on: '20260301' must be a date written YYYY-MM-DD
    """
    if not isinstance(text, str) or _ISO_DATE.fullmatch(text) is None:
        raise InvalidValue(field, text, "must be a date written YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(field, text, "is not a real date (YYYY-MM-DD)") from None


_ISO_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)


def check_date(value: object, *, field: str) -> date:
    """A calendar date (not a date and time)."""
    if value is None:
        raise MissingValue(field, None)
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidValue(field, value, "must be a date (YYYY-MM-DD)")
    return value


def checked(function: Callable[..., object], **options: Any) -> Validator:
    """An attrs validator that runs a ``check_*`` function with the attribute's name as field."""

    def validator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        function(value, field=attribute.name, **options)

    return validator


def optional(function: Callable[..., object], **options: Any) -> Validator:
    """Like :func:`checked`, letting ``None`` through."""

    def validator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            function(value, field=attribute.name, **options)

    return validator


def member_of(enum_type: type[enum.Enum]) -> Validator:
    """An attrs validator accepting only members of an enumeration, listing them when refused."""

    def validator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, enum_type):
            words = ", ".join(str(m.value) for m in enum_type)
            raise InvalidValue(attribute.name, value, f"must be one of {words}")

    return validator


def instance_of(*types: type) -> Validator:
    """An attrs validator accepting only instances of these types."""
    names = " or ".join(t.__name__ for t in types)

    def validator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
            raise InvalidValue(attribute.name, value, f"must be a {names}")

    return validator


def tuple_of(*types: type) -> Validator:
    """An attrs validator accepting only a tuple whose items are instances of these types."""
    names = " or ".join(t.__name__ for t in types)

    def validator(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, tuple):
            raise InvalidValue(attribute.name, value, f"must be a tuple of {names}")
        for item in value:
            if not isinstance(item, types):
                raise InvalidValue(attribute.name, item, f"must be a {names}")

    return validator


AMOUNT: Final = checked(to_money, non_negative=True, cents=True, decimal_only=True)
"""The attrs validator of an amount field: a :class:`~decimal.Decimal` in whole cents, zero or more
(:func:`~alize_core.kernel.money.to_money`, the attribute named as the field)."""

SIGNED_AMOUNT: Final = checked(to_money, cents=True, decimal_only=True)
"""The attrs validator of a balance field: a :class:`~decimal.Decimal` in whole cents, of either sign."""
