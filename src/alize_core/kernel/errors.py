"""
Errors raised by alize (*erreurs*).

Every error raised on bad input is an :class:`AlizeError`. A rule that *fails*
(a project rejected, a session without quorum) is never an error: it is a
:class:`~alize_core.kernel.decisions.Decision` whose steps say why.

Each subclass carries the culprit (``field`` and ``value``) and a message in
words a programme officer understands:

>>> from alize_core.kernel.money import to_money
>>> to_money(12.5, field="advance")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: advance: 12.5 is a binary float; write amounts as text or Decimal, e.g. "12.50"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final


__all__ = [
    "AlizeError",
    "CommandRefused",
    "ConcurrencyError",
    "IntegrityError",
    "InvalidValue",
    "MalformedInput",
    "MissingValue",
    "NotInForce",
    "SettingsConflict",
    "UnknownRecord",
    "UnknownRule",
    "shown",
]

_MAX_SHOWN: Final = 60


def shown(value: object) -> str:
    """
    Render a culprit value for a message: short, and never a secret's content; a date as
    its ISO text.

    >>> from decimal import Decimal
    >>> shown("P1"), shown(date(2026, 3, 12)), shown(Decimal("1.005"))
    ("'P1'", '2026-03-12', "Decimal('1.005')")
    """
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return text


class AlizeError(Exception):
    """
    The root of every error alize raises on bad input or a refused command.

    Every subclass is built the same way, ``Error(field, value, reason)``: the field at
    fault, the value refused (``None`` when there is none to show) and the reason in words;
    the message is ``field: value reason`` (``field: reason`` without a value), e.g.
    ``amount: Decimal('-1') must not be negative``.

    Args:
        field: The name (or path) of the field at fault.
        value: The value that was refused, or ``None``.
        reason: Why, read after the value (by default the class's :attr:`message`).

    Attributes:
        field: The name (or path) of the field at fault.
        value: The value that was refused, when there is one.
        reason: Why it was refused.

    >>> str(CommandRefused("advance", "A9", "is already closed"))
    "advance: 'A9' is already closed"
    >>> str(MissingValue("territory", None))
    'territory: is required and was not given'

    .. versionadded:: 0.1.0
    """

    message: str = "alize could not carry out this request"

    def __init__(self, field: str, value: object, reason: str | None = None) -> None:
        self.field = field or '""'  # an empty key is still named, as "" (a document's root is "$")
        self.value = value
        self.reason = reason or self.message
        culprit = "" if value is None else f"{shown(value)} "
        super().__init__(f"{self.field}: {culprit}{self.reason}")


class InvalidValue(AlizeError, ValueError):
    """A value of the wrong type, out of range, or badly written."""

    message = "is not valid"


class MissingValue(AlizeError, ValueError):
    """A value that is required was not given (its value is ``None``)."""

    message = "is required and was not given"


class MalformedInput(AlizeError, ValueError):
    """A document (JSON, CSV) that does not have the expected shape; ``field`` is its path."""

    message = "is malformed"


class UnknownRule(AlizeError, LookupError):
    """A rule id that the rulebook does not know (``UnknownRule("rule", rule_id)``)."""

    message = "is not a rule of the rulebook (see `alize rules`)"


class UnknownRecord(AlizeError, LookupError):
    """
    A record the register does not hold: ``field`` names its kind (``project``, ``sme``…)
    and ``value`` its id. Raised by a lookup such as ``Register.project(id)``; its pair
    ``Register.get_project(id)`` returns ``None`` instead.

    >>> str(UnknownRecord("project", "P9"))
    "project: 'P9' is not in the register"
    """

    message = "is not in the register"


class NotInForce(AlizeError, LookupError):
    """No version of a setting is in force on the date asked for."""

    message = "has no version in force"


class SettingsConflict(AlizeError, ValueError):
    """Two versions of a setting overlap, or a territory overrides a charter rule."""

    message = "conflicts with another version of the setting"


class CommandRefused(AlizeError):
    """A command that the register cannot accept (e.g. a payment on a closed advance)."""

    message = "is refused"


class ConcurrencyError(AlizeError):
    """Another writer changed the register since it was read; nothing was written."""

    message = "was changed by another writer; nothing was written"


class IntegrityError(AlizeError):
    """A stored register failed verification (broken hash chain, altered event)."""

    message = "failed verification"
