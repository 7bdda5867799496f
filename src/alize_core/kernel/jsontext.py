"""
JSON text (*texte JSON*): alize's one reader and one writer of JSON.

Every part of alize that reads JSON text (the journal's bodies, a session file, an
adapter's configuration, a hook's payload) reads it with :func:`parse_json`, and every
part that writes it writes with :func:`dump_json`. The reader never makes a float: a number
with decimals is refused (``strict``) or kept as its exact text (:class:`DecimalText`) for a
reader that names the field; duplicate keys and ``NaN``/``Infinity`` are always refused.
The writer is compact unless asked to indent, and never writes ``NaN``.

>>> parse_json('{"amount": "12.50", "count": 3}')
{'amount': '12.50', 'count': 3}
>>> parse_json('{"a": 1, "a": 2}')
Traceback (most recent call last):
...
alize_core.kernel.errors.MalformedInput: $: has the key 'a' twice
>>> parse_json('{"amount": 12.5}', strict=True, field="payload")
Traceback (most recent call last):
...
alize_core.kernel.errors.MalformedInput: payload: 12.5 is a number with decimals; write amounts as text, e.g. "12.50"
>>> dump_json({"b": "é", "a": [1, None]}, sort_keys=True)
'{"a":[1,null],"b":"\\\\u00e9"}'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
from typing import Any, Final

from alize_core.kernel.errors import MalformedInput


__all__ = ["DecimalText", "dump_json", "parse_json"]


class DecimalText(str):
    """
    A JSON number with a fraction or an exponent, kept as its text so nothing rounds it
    (what :func:`parse_json` gives for ``12.5`` unless ``strict``).

    .. versionadded:: 0.1.0
    """

    __slots__ = ()


class _Refused(Exception):
    """A reason to refuse the text, raised inside the decoder's hooks."""


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    document = dict(pairs)
    if len(document) != len(pairs):
        keys = [key for key, _ in pairs]
        twice = next(key for key in keys if keys.count(key) > 1)
        raise _Refused(f"has the key {twice!r} twice")
    return document


def _refuse_decimals(text: str) -> object:
    raise _Refused(f'{text} is a number with decimals; write amounts as text, e.g. "12.50"')


def _refuse_constant(name: str) -> object:
    raise _Refused(f"{name} is not a number JSON allows")


_DOCUMENTS: Final = json.JSONDecoder(
    object_pairs_hook=_object, parse_float=DecimalText, parse_constant=_refuse_constant
)
_STRICT: Final = json.JSONDecoder(
    object_pairs_hook=_object, parse_float=_refuse_decimals, parse_constant=_refuse_constant
)


def parse_json(text: str | bytes, *, strict: bool = False, field: str | None = None) -> Any:
    """
    Read JSON text: the one reader of alize.

    Args:
        text: The JSON text, or its bytes (UTF-8, UTF-16 or UTF-32, as JSON allows).
        strict: Refuse a number with decimals at once (the journal, hook payloads);
            otherwise it is kept as its :class:`DecimalText`, for a reader that refuses it
            naming its field (:func:`~alize_core.kernel.serialization.structure`).
        field: What the text is, to name in an error (by default the line at fault, or
            ``$`` for the whole document).

    Raises:
        MalformedInput: The text is not JSON, repeats a key in an object, writes ``NaN`` or
            ``Infinity``, or (``strict``) a number with decimals.

    .. versionadded:: 0.1.0
    """
    decoder = _STRICT if strict else _DOCUMENTS
    try:
        if isinstance(text, bytes | bytearray):
            text = bytes(text).decode(json.detect_encoding(text))
        return decoder.decode(text)
    except _Refused as refusal:
        raise MalformedInput(field or "$", None, str(refusal)) from None
    except json.JSONDecodeError as exc:
        where = field or f"line {exc.lineno}"
        raise MalformedInput(where, None, f"not valid JSON ({exc.msg})") from None
    except UnicodeDecodeError:
        raise MalformedInput(
            field or "$", None, "not valid JSON (its bytes are not text)"
        ) from None
    except RecursionError:
        raise MalformedInput(field or "$", None, "not valid JSON (nested too deeply)") from None
    except ValueError:  # e.g. a whole number of more digits than Python reads
        raise MalformedInput(
            field or "$", None, "not valid JSON (a value it holds is unreadable)"
        ) from None


_ENCODERS: Final = {
    (sort_keys, ascii): json.JSONEncoder(
        separators=(",", ":"), allow_nan=False, sort_keys=sort_keys, ensure_ascii=ascii
    )
    for sort_keys in (False, True)
    for ascii in (False, True)
}


def dump_json(
    value: object, *, sort_keys: bool = False, ascii: bool = True, indent: int | None = None
) -> str:
    """
    Write JSON text: the one writer of alize.

    Args:
        value: JSON-ready data (dicts, lists, text, whole numbers, booleans, ``None``).
        sort_keys: Write each object's keys in sorted order (a canonical form).
        ascii: Escape every character outside ASCII (``é`` as ``\\u00e9``) (the journal's bodies);
            ``False`` writes them as they are.
        indent: Indent by this many spaces, one item a line, for a reader (a command's
            output, a file a person edits); compact by default.

    Raises:
        ValueError: The value holds ``NaN`` or an infinity.
        TypeError: The value holds something JSON cannot write.

    >>> print(dump_json({"montant": "1 234,56 €"}, ascii=False, indent=2))
    {
      "montant": "1 234,56 €"
    }

    .. versionadded:: 0.1.0
    """
    if indent is None:
        return _ENCODERS[sort_keys, ascii].encode(value)
    return json.dumps(
        value, sort_keys=sort_keys, ensure_ascii=ascii, indent=indent, allow_nan=False
    )
