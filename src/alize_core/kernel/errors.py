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
    "UnknownRule",
]

_MAX_SHOWN: Final = 60


def shown(value: object) -> str:
    """
    Render a culprit value for a message: short, and never a secret's content.
    """
    text = repr(value)
    if len(text) > _MAX_SHOWN:
        text = text[: _MAX_SHOWN - 3] + "..."
    return text


class AlizeError(Exception):
    """
    The root of every error alize raises on bad input or a refused command.

    Attributes:
        field: The name (or path) of the field at fault, when there is one.
        value: The value that was refused, when there is one.
    """

    message: str = "alize could not carry out this request"

    def __init__(self, message: str | None = None, *, field: str = "", value: object = None):
        self.field = field
        self.value = value
        text = message or self.message
        super().__init__(f"{field}: {text}" if field else text)


class InvalidValue(AlizeError, ValueError):
    """A value of the wrong type, out of range, or badly written."""

    message = "this value is not valid"

    def __init__(self, field: str, value: object, reason: str):
        super().__init__(f"{shown(value)} {reason}", field=field, value=value)
        self.reason = reason


class MissingValue(AlizeError, ValueError):
    """A value that is required was not given."""

    message = "this value is required"

    def __init__(self, field: str):
        super().__init__("is required and was not given", field=field)


class MalformedInput(AlizeError, ValueError):
    """A document (JSON, CSV) that does not have the expected shape; ``field`` is its path."""

    message = "the document is malformed"

    def __init__(self, path: str, reason: str, value: object = None):
        # An empty key is still named, as "" (a document's root is "$").
        super().__init__(reason, field=path or '""', value=value)
        self.reason = reason


class UnknownRule(AlizeError, LookupError):
    """A rule id that the rulebook does not know."""

    def __init__(self, rule_id: str):
        super().__init__(
            f"{rule_id!r} is not a rule of the rulebook (see `alize rules`)",
            field="rule",
            value=rule_id,
        )


class NotInForce(AlizeError, LookupError):
    """No version of a setting is in force on the date asked for."""


class SettingsConflict(AlizeError, ValueError):
    """Two versions of a setting overlap, or a territory overrides a charter rule."""


class CommandRefused(AlizeError):
    """A command that the register cannot accept (e.g. a payment on a closed advance)."""


class ConcurrencyError(AlizeError):
    """Another writer changed the register since it was read; nothing was written."""


class IntegrityError(AlizeError):
    """A stored register failed verification (broken hash chain, altered event)."""
