"""One error shape: every AlizeError is built as Error(field, value, reason) and says all three."""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal

import pytest

import alize_core
import alize_core.kernel.errors as errors_module
from alize_core.kernel import AlizeError, UnknownRecord, shown


def _subclasses(cls: type[AlizeError]) -> list[type[AlizeError]]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


CORE_ERRORS = sorted(
    {cls for cls in _subclasses(AlizeError) if cls.__module__.startswith("alize_core")},
    key=lambda cls: cls.__name__,
)


def test_every_core_error_is_found() -> None:
    """The errors module's classes are all here (a new one joins the tests below by itself)."""
    declared = {
        obj
        for _, obj in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(obj, AlizeError) and obj is not AlizeError
    }

    assert declared <= set(CORE_ERRORS)
    assert UnknownRecord in CORE_ERRORS


@pytest.mark.parametrize("cls", [AlizeError, *CORE_ERRORS], ids=lambda cls: cls.__name__)
@pytest.mark.parametrize("value", ["P9", Decimal("-1.005"), date(2026, 3, 12), 0])
def test_every_error_has_one_shape_and_names_field_and_value(
    cls: type[AlizeError], value: object
) -> None:
    """Error(field, value, reason): the message is 'field: value reason', the parts kept."""
    error = cls("advance.amount", value, "is refused for a test")

    assert str(error) == f"advance.amount: {shown(value)} is refused for a test"
    assert (error.field, error.value, error.reason) == (
        "advance.amount",
        value,
        "is refused for a test",
    )
    assert isinstance(error, alize_core.AlizeError)


@pytest.mark.parametrize("cls", [AlizeError, *CORE_ERRORS], ids=lambda cls: cls.__name__)
def test_without_a_value_the_message_names_the_field_and_the_class_reason(
    cls: type[AlizeError],
) -> None:
    """No value to show (None): 'field: reason', the reason defaulting to the class's own."""
    error = cls("territory", None)

    assert str(error) == f"territory: {cls.message}"
    assert error.reason == cls.message
    assert error.value is None


def test_an_old_style_call_is_refused_loudly() -> None:
    """A message alone (the old CommandRefused(message, field=...) shape) is a TypeError."""
    with pytest.raises(TypeError):
        errors_module.CommandRefused("the advance is closed")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        errors_module.CommandRefused("closed", field="advance")  # type: ignore[call-arg,misc]


def test_shown_keeps_messages_short_and_dates_readable() -> None:
    """A long value is cut to 60 characters; a date is its ISO text."""
    assert shown("x" * 100) == repr("x" * 100)[:57] + "..."
    assert shown(date(2026, 1, 31)) == "2026-01-31"


def test_an_unknown_record_is_a_lookup_error_naming_kind_and_id() -> None:
    """UnknownRecord is both an AlizeError and a LookupError; never a CommandRefused."""
    error = UnknownRecord("project", "P9")

    assert isinstance(error, LookupError)
    assert not isinstance(error, errors_module.CommandRefused)
    assert str(error) == "project: 'P9' is not in the register"
