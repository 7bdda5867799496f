"""Money: Decimal only, floats refused, rounding named, French formatting (SCH-01)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core import InvalidValue, MissingValue
from alize_core.kernel import (
    CENT,
    ZERO,
    Rounding,
    format_eur,
    from_cents,
    quantize,
    to_cents,
    to_money,
    to_rate,
)


def test_a_float_is_refused_even_when_it_looks_exact() -> None:
    """A binary float never becomes an amount, whatever its value."""
    with pytest.raises(InvalidValue, match="binary float") as info:
        to_money(0.5, field="advance")

    assert info.value.field == "advance"
    assert info.value.value == 0.5


@pytest.mark.parametrize(
    "junk", [True, None, [], {}, "", "12,3,4", "NaN", "Infinity", Decimal("sNaN"), "1e400"]
)
def test_junk_is_refused_with_the_field_named(junk: object) -> None:
    """Junk raises an AlizeError naming the field."""
    with pytest.raises((InvalidValue, MissingValue)) as info:
        to_money(junk, field="contribution")

    assert str(info.value).startswith("contribution: ")


def test_french_text_is_read() -> None:
    """Amounts written the French way are read exactly."""
    assert to_money("1\u00a0234,56\u00a0€", field="x") == Decimal("1234.56")
    assert to_money("25 000", field="x") == Decimal("25000")


def test_half_up_is_the_default_and_other_modes_are_named() -> None:
    """Half up rounds 0.125 to 0.13; half even to 0.12; down to 0.12; up to 0.13."""
    amount = Decimal("0.125")

    assert quantize(amount) == Decimal("0.13")
    assert quantize(amount, Rounding.HALF_EVEN) == Decimal("0.12")
    assert quantize(amount, Rounding.DOWN) == Decimal("0.12")
    assert quantize(amount, Rounding.UP) == Decimal("0.13")


def test_constants_are_exact() -> None:
    """ZERO and CENT are the exact decimals they name."""
    assert ZERO == 0
    assert CENT * 100 == 1


def test_rates_are_fractions_below_one() -> None:
    """A rate of 2 % is written 0.02; 2 (200 %) is refused."""
    assert to_rate("0.02", field="rate") == Decimal("0.02")
    with pytest.raises(InvalidValue, match="fractions"):
        to_rate(2, field="rate")


@given(st.integers(min_value=-(10**13), max_value=10**13))
def test_cents_round_trip(cents: int) -> None:
    """An integer number of cents survives the trip to euros and back."""
    assert to_cents(from_cents(cents)) == cents


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2))
def test_formatting_keeps_every_digit(amount: Decimal) -> None:
    """The French form, read back, is the same amount."""
    text = format_eur(amount)

    assert text.endswith("\u00a0€")
    assert to_money(text, field="x") == amount
