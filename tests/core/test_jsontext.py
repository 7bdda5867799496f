"""The one JSON edge: parse_json refuses floats, duplicate keys and NaN; dump_json writes compact."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core.kernel import DecimalText, MalformedInput, dump_json, parse_json


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": 1, "a": 2}', "has the key 'a' twice"),
        ('[{"x": {"b": 1, "b": 1}}]', "has the key 'b' twice"),
        ('{"a": NaN}', "NaN is not a number JSON allows"),
        ("[Infinity]", "Infinity is not a number JSON allows"),
        ("-Infinity", "-Infinity is not a number JSON allows"),
    ],
)
def test_duplicate_keys_and_nan_are_refused_in_every_mode(text: str, reason: str) -> None:
    """A repeated key or a non-number is refused, strict or not, naming the field."""
    for strict in (False, True):
        with pytest.raises(MalformedInput, match=f"^payload: {reason}$") as info:
            parse_json(text, strict=strict, field="payload")
        assert info.value.field == "payload"


def test_a_number_with_decimals_is_refused_when_strict_and_kept_as_text_otherwise() -> None:
    """Never a float: strict refuses 12.5 at once; a document keeps its exact text."""
    with pytest.raises(MalformedInput, match=r"^extra: 12\.50 is a number with decimals"):
        parse_json('{"amount": 12.50}', strict=True, field="extra")
    with pytest.raises(MalformedInput, match=r"^\$: 1e3 is a number with decimals"):
        parse_json("[1e3]", strict=True)

    document = parse_json('{"amount": 12.50, "rate": 1e-3, "count": 7}')

    assert document == {"amount": "12.50", "rate": "1e-3", "count": 7}
    assert isinstance(document["amount"], DecimalText)
    assert not isinstance(document["count"], DecimalText)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "utf-32"])
def test_bytes_are_read_in_the_encodings_json_allows(encoding: str) -> None:
    """Bytes in UTF-8, -16 or -32 are read; bytes that are no text are malformed, not a crash."""
    assert parse_json('{"nom": "Aciéries"}'.encode(encoding)) == {"nom": "Aciéries"}
    with pytest.raises(MalformedInput, match=r"^session: not valid JSON"):
        parse_json(b'{"a": "\xff"}', field="session")


def test_text_that_is_not_json_names_its_line_or_field() -> None:
    """A syntax error names the line by default, the field when given."""
    with pytest.raises(MalformedInput, match=r"^line 2: not valid JSON \("):
        parse_json('{\n"a": }')
    with pytest.raises(MalformedInput, match=r"^config: not valid JSON \("):
        parse_json("{", field="config")


def test_the_writer_is_compact_ascii_by_default_and_never_writes_nan() -> None:
    """Compact, ASCII unless told otherwise, keys sorted on demand, indented for people."""
    data = {"b": "é", "a": [1, None, True]}

    assert dump_json(data) == '{"b":"\\u00e9","a":[1,null,true]}'
    assert dump_json(data, ascii=False, sort_keys=True) == '{"a":[1,null,true],"b":"é"}'
    assert dump_json({"a": 1}, indent=2) == '{\n  "a": 1\n}'
    with pytest.raises(ValueError, match="JSON compliant"):
        dump_json({"a": float("nan")})


json_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
    max_leaves=20,
)


@given(json_data, st.booleans(), st.booleans())
def test_what_the_writer_writes_the_reader_reads_back(
    data: object, sort_keys: bool, ascii: bool
) -> None:
    """dump_json then parse_json (strict) is the identity, and agrees with the standard library."""
    text = dump_json(data, sort_keys=sort_keys, ascii=ascii)

    assert parse_json(text, strict=True) == data
    assert json.loads(text) == data
