"""
Checks shared by the model's constructors: each refuses bad input with an
:class:`~alize_core.errors.AlizeError` naming the field and the value.

>>> check_text("", field="name")
Traceback (most recent call last):
...
alize_core.errors.InvalidValue: name: '' must not be empty
>>> check_count(-1, field="staff")
Traceback (most recent call last):
...
alize_core.errors.InvalidValue: staff: -1 must be a whole number, zero or more

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from .errors import InvalidValue, MissingValue


__all__ = [
    "MAX_COUNT",
    "MAX_TEXT",
    "check_count",
    "check_date",
    "check_flag",
    "check_id",
    "check_text",
]

MAX_TEXT: Final = 10_000
"""The longest text a field accepts."""

MAX_COUNT: Final = 10_000_000
"""The largest count (staff, jobs, days) a field accepts."""


def check_text(value: object, *, field: str, max_length: int = MAX_TEXT) -> str:
    """A non-empty text of reasonable length."""
    if value is None:
        raise MissingValue(field)
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
        raise MissingValue(field)
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


def check_date(value: object, *, field: str) -> date:
    """A calendar date (not a date and time)."""
    if value is None:
        raise MissingValue(field)
    if isinstance(value, datetime) or not isinstance(value, date):
        raise InvalidValue(field, value, "must be a date (YYYY-MM-DD)")
    return value
