"""
Digits other than 0 to 9 at every boundary that reads a whole number from text.

``str.isdigit`` accepts ``"²"`` and other digits ``int`` cannot read (found by the fuzz
tests in the spreadsheet import): each boundary below refuses them, or ignores them
where the text is only a hint, instead of letting a ``ValueError`` escape.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from alize_adapters.connectors import HttpResponse, classify_status, read_legal_units
from alize_adapters.connectors.tryton.base import page_cursor
from alize_adapters.host import AdapterUnavailable
from alize_core import AlizeError, InvalidValue
from alize_core.kernel import QUORUM, Settings, digits, structure
from tests.adapters.test_sirene import UNIT_HEADER, csv_text, unit


ODD = ["²", "٣", "1²", "³/4"]
"""A superscript, an Arabic-Indic digit, and both mixed with ASCII digits."""


@pytest.mark.parametrize("text", ["0", "42", " 7 "])
def test_ascii_digits_are_digits(text: str) -> None:
    """The digits 0 to 9, spaces around them aside, are a whole number."""
    assert digits(text)


@pytest.mark.parametrize("text", [*ODD, "", "-1", "1.5", "1 2"])
def test_other_texts_are_not_digits(text: str) -> None:
    """Superscripts, other scripts' digits, signs, decimals and blanks are not."""
    assert not digits(text)


@pytest.mark.parametrize("odd", ODD)
def test_a_fraction_with_odd_digits_is_refused_naming_the_fraction(odd: str) -> None:
    """A JSON fraction such as a quorum is refused with an AlizeError, not a ValueError."""
    with pytest.raises(AlizeError, match="must be a fraction") as caught:
        structure(f"{odd}/2", Fraction)

    assert str(caught.value).startswith("fraction:")


@pytest.mark.parametrize("odd", ODD)
def test_a_quorum_with_odd_digits_is_refused(odd: str) -> None:
    """A territory's quorum written with odd digits is refused with an AlizeError."""
    with pytest.raises(AlizeError):
        Settings.national().set_for_territory("T1", QUORUM, f"1/{odd}", start=date(2026, 1, 1))


@pytest.mark.parametrize("odd", ODD)
def test_a_retry_after_with_odd_digits_is_no_delay(odd: str) -> None:
    """HTTP 429 with an unreadable Retry-After is retried without a server-given delay."""
    response = HttpResponse(429, {"retry-after": odd}, b"")

    with pytest.raises(AdapterUnavailable) as caught:
        classify_status(response, what="the ledger", target="Tryton")

    assert caught.value.retry_after is None


@pytest.mark.parametrize("odd", ODD)
def test_a_tryton_cursor_with_odd_digits_is_refused_naming_the_cursor(odd: str) -> None:
    """A page cursor Tryton's backend never gave is refused, naming the cursor."""
    with pytest.raises(InvalidValue) as caught:
        page_cursor(odd)

    assert caught.value.field == "cursor"


def test_a_head_office_nic_in_superscript_digits_is_a_problem_of_its_column() -> None:
    """SIRENE: a NIC of five digits that are not 0 to 9 is not a NIC, and the line is left out."""
    read = read_legal_units(csv_text(UNIT_HEADER, [unit(nicSiegeUniteLegale="0001²")]))

    assert read.records == ()
    assert [problem.column for problem in read.problems] == ["nicSiegeUniteLegale"]
