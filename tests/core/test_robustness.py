"""Junk in, AlizeError out: every public constructor and loader refuses junk with a typed error."""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_core import AlizeError, Settings
from alize_core.kernel import QUORUM, loads, parse_json, structure, to_money, to_rate
from tests.strategies import STRATEGIES


JUNK: tuple[object, ...] = (
    None,
    "",
    " ",
    "\x00",
    1.5,
    float("nan"),
    -1,
    0,
    10**100,
    -(10**100),
    True,
    [],
    {},
    (),
    object(),
    "x" * 20_000,
    Decimal("NaN"),
    Decimal("1e999999"),
    b"bytes",
    {"unknown": 1},
)


def attempt(call: Callable[[], object]) -> AlizeError | None:
    """Run a call; return the AlizeError it raised, or None. Any other exception fails the test."""
    try:
        call()
    except AlizeError as exc:
        return exc
    return None


def attrs_classes() -> list[type[Any]]:
    """The public attrs classes with a constructor to feed."""
    return [cls for cls in STRATEGIES if attrs.has(cls)]


each_class = pytest.mark.parametrize("cls", attrs_classes(), ids=lambda c: c.__name__)
"""The test runs on each of them, as ``cls``."""


@each_class
@settings(max_examples=60)
@given(data=st.data())
def test_junk_in_any_field_gives_an_alize_error_or_a_valid_value(
    cls: type[Any], data: st.DataObject
) -> None:
    """Replacing one field of a valid value with junk either builds a value or raises AlizeError."""
    valid = data.draw(STRATEGIES[cls])
    fields = [f for f in attrs.fields(cls) if f.init]
    target = data.draw(st.sampled_from(fields))
    value = data.draw(st.sampled_from(JUNK) | st.text(max_size=5) | st.integers() | st.floats())
    kwargs = {f.alias: getattr(valid, f.name) for f in fields}
    kwargs[target.alias] = value

    outcome = attempt(lambda: cls(**kwargs))

    assert outcome is None or outcome.field


@each_class
@pytest.mark.parametrize("value", JUNK, ids=repr)
def test_a_float_or_junk_never_slips_into_a_loaded_value(cls: type[Any], value: object) -> None:
    """structure() of junk documents raises an AlizeError (MalformedInput), never anything else."""
    with pytest.raises(AlizeError):
        structure(value, cls)


@each_class
@settings(max_examples=60)
@given(data=st.data())
def test_junk_in_any_key_of_a_document_is_refused_with_its_path(
    cls: type[Any], data: st.DataObject
) -> None:
    """A valid document with one key's value replaced by junk is refused, or loads equal to a valid value."""
    from alize_core.kernel import unstructure

    document = unstructure(data.draw(STRATEGIES[cls]))
    if not isinstance(document, dict) or not document:
        return
    key = data.draw(st.sampled_from(sorted(document)))
    document[key] = data.draw(st.sampled_from(JUNK) | st.floats())

    outcome = attempt(lambda: structure(document, cls))

    assert outcome is None or outcome.field


@given(st.binary(max_size=200) | st.text(max_size=200))
def test_any_text_given_to_loads_gives_an_alize_error_or_a_value(text: str | bytes) -> None:
    """loads never raises anything but an AlizeError."""
    for cls in attrs_classes():
        attempt(functools.partial(loads, text, cls))


@pytest.mark.parametrize("text", ["[" * 100_000, "1" * 5000, "NaN", '{"a": Infinity}', "\udcff"])
def test_pathological_json_is_refused_cleanly(text: str) -> None:
    """Deep nesting, huge numbers and non-standard constants are refused as malformed JSON."""
    with pytest.raises(AlizeError):
        parse_json(text)


@pytest.mark.parametrize("value", JUNK, ids=repr)
def test_money_and_rate_readers_refuse_junk(value: object) -> None:
    """to_money and to_rate accept a plausible amount or raise an AlizeError."""
    for reader in (to_money, to_rate):
        attempt(functools.partial(reader, value, field="x"))


@pytest.mark.parametrize("value", JUNK, ids=repr)
def test_settings_refuse_junk_names_values_and_dates(value: object) -> None:
    """Settings lookups and overrides refuse junk with AlizeErrors."""
    from datetime import date

    settings = Settings.national()
    calls = [
        lambda: settings.resolve(value, on=date(2026, 1, 1), territory="T1"),  # type: ignore[arg-type]
        lambda: settings.resolve(QUORUM, on=value, territory="T1"),  # type: ignore[arg-type]
        lambda: settings.set_for_territory("T1", QUORUM, value, start=date(2026, 1, 1)),
        lambda: settings.set_for_territory("T1", QUORUM, 2, start=value),  # type: ignore[arg-type]
    ]
    for call in calls:
        attempt(call)


def test_a_float_amount_is_refused_by_the_sme() -> None:
    """An SME's turnover given as a float is refused, naming the field."""
    from datetime import date

    from alize_core import InvalidValue, Sme

    with pytest.raises(InvalidValue) as info:
        Sme(
            siren="555012343",
            name="X",
            creation_date=date(2015, 1, 1),
            staff=3,
            turnover=1000.0,  # type: ignore[arg-type]
            balance_sheet=Decimal(0),
            commune="55029",
        )

    assert info.value.field == "turnover"
