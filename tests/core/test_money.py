"""Money: Decimal only, floats refused, rounding named, French formatting (SCH-01)."""

from __future__ import annotations

from decimal import Decimal

import attrs
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
from alize_core.kernel.validation import AMOUNT, SIGNED_AMOUNT


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


# --- The one amount validator: every option, and as an attrs validator. ---


@pytest.mark.parametrize(
    ("value", "options", "reason"),
    [
        (12.5, {}, "binary float"),
        ("١٢", {}, "digits 0 to 9"),
        ("１２,５０", {}, "digits 0 to 9"),
        ("NaN", {}, "finite"),
        (Decimal("NaN"), {}, "finite"),
        ("10.005", {"cents": True}, "fraction of a cent"),
        ("10.005", {"quantized": True}, "fraction of a cent"),
        ("-1", {"non_negative": True}, "must not be negative"),
        ("0", {"positive": True}, "more than zero"),
        ("12.50", {"decimal_only": True}, "must be a Decimal amount"),
        (12, {"decimal_only": True}, "must be a Decimal amount"),
    ],
)
def test_the_amount_validator_refuses_naming_field_and_value(
    value: object, options: dict[str, bool], reason: str
) -> None:
    """Floats, other scripts' digits, NaN, fractions of a cent, signs: refused, field named."""
    with pytest.raises(InvalidValue, match=reason) as info:
        to_money(value, field="turnover", **options)

    assert str(info.value).startswith("turnover: ")
    assert info.value.field == "turnover"
    assert info.value.value is value


def test_the_amount_validator_accepts_what_its_options_allow() -> None:
    """Zero passes non-negative; a Decimal passes decimal_only; quantized writes two decimals."""
    assert to_money("0", field="x", non_negative=True, cents=True) == 0
    assert to_money(Decimal("-3.10"), field="x", cents=True, decimal_only=True) == Decimal("-3.1")
    assert str(to_money("12", field="x", quantized=True)) == "12.00"
    assert str(to_money(Decimal("12.5"), field="x", quantized=True)) == "12.50"


def test_the_attrs_validators_name_the_attribute() -> None:
    """AMOUNT and SIGNED_AMOUNT are to_money as attrs validators: the attribute is the field."""

    @attrs.frozen
    class Line:
        debit: Decimal = attrs.field(validator=AMOUNT)
        balance: Decimal = attrs.field(validator=SIGNED_AMOUNT)

    assert Line(Decimal("1.00"), Decimal("-2.50")).balance == Decimal("-2.50")
    with pytest.raises(InvalidValue, match=r"^debit: Decimal\('-1'\) must not be negative"):
        Line(Decimal("-1"), Decimal(0))
    with pytest.raises(InvalidValue, match=r"^balance: 1.5 is a binary float"):
        Line(Decimal(0), 1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match=r"^balance: '1.50' must be a Decimal amount"):
        Line(Decimal(0), "1.50")  # type: ignore[arg-type]


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-(10**9), max_value=10**9))
def test_cents_accepts_exactly_the_amounts_in_whole_cents(amount: Decimal) -> None:
    """An amount passes ``cents`` exactly when rounding it to the cent leaves it unchanged."""
    whole = amount == amount.quantize(CENT)
    try:
        to_money(amount, field="x", cents=True)
    except InvalidValue:
        assert not whole
    else:
        assert whole
