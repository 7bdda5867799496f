"""JSON: every public type round-trips; malformed input names its path; floats never get in."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core import MalformedInput, PartnerCompany, Territory
from alize_core.kernel import SCHEMA_VERSION, dumps, loads, parse_json, structure, unstructure
from tests.strategies import STRATEGIES


@pytest.mark.parametrize("cls", list(STRATEGIES), ids=lambda c: c.__name__)
@given(data=st.data())
def test_every_public_type_round_trips_through_json(cls: type[Any], data: st.DataObject) -> None:
    """dumps then loads gives back an equal value, for every public type."""
    value = data.draw(STRATEGIES[cls])

    assert loads(dumps(value), cls) == value


def test_documents_carry_the_schema_version() -> None:
    """Every document says which schema it follows."""
    document = parse_json(dumps(PartnerCompany("C1", "Acier")))

    assert document["alize"] == SCHEMA_VERSION
    assert document["type"] == "PartnerCompany"


def test_an_unknown_key_is_refused_naming_its_path() -> None:
    """A key alize does not know is an error, not silently dropped."""
    data = {"id": "T1", "name": "Meuse", "departements": ["55"], "mayor": "x"}

    with pytest.raises(MalformedInput) as info:
        structure(data, Territory)

    assert info.value.field == "mayor"


def test_a_bad_code_in_a_list_is_named() -> None:
    """A bad département code is named with its value."""
    with pytest.raises(MalformedInput, match="'99'"):
        structure({"id": "T1", "name": "Meuse", "departements": ["55", "99"]}, Territory)


def test_a_json_number_with_decimals_is_refused_as_an_amount() -> None:
    """12.5 written as a JSON number never becomes a float: the amount must be text."""
    text = (
        '{"siren": "555012343", "name": "X", "creation_date": "2015-01-01", "staff": 3,'
        ' "turnover": 12.5, "balance_sheet": "0", "commune": "55029"}'
    )

    from alize_core import Sme

    with pytest.raises(MalformedInput) as info:
        structure(parse_json(text), Sme)

    assert info.value.field == "turnover"
    assert "write amounts as text" in str(info.value)


def test_a_missing_field_is_named() -> None:
    """A required field left out is named."""
    with pytest.raises(MalformedInput) as info:
        structure({"id": "C1"}, PartnerCompany)

    assert info.value.field == "name"


def test_unstructure_writes_amounts_and_dates_as_text() -> None:
    """Decimals and dates become strings; sets become sorted lists."""
    territory = Territory("T1", "Meuse", departements=["55", "08"])

    assert unstructure(territory)["departements"] == ["08", "55"]


def test_not_json_is_refused_with_a_line() -> None:
    """Broken JSON text names the line."""
    with pytest.raises(MalformedInput, match="line 1"):
        parse_json("{")


def test_a_document_of_another_type_is_refused() -> None:
    """loads checks the type written in the document."""
    with pytest.raises(MalformedInput, match="PartnerCompany"):
        loads(dumps(PartnerCompany("C1", "Acier")), Territory)
