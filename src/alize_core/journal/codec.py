"""
The journal's codec (*format des événements*): how an event's body is written and read.

A body is a JSON document, the bytes the chain's digest covers::

    {"id":7,"kind":"fee_paid","on":"2026-04-01","actor":"OP1","rules":["X-01"],"payload":{"amount":"1.00"}}

Its form is canonical, so that the same event always gives the same bytes: compact (no
space), ASCII only (any other character escaped, ``é`` as ``\\u00e9``), its keys in this fixed
order — ``id``, ``kind``, ``on`` (the ISO date), ``actor``, ``rules`` (rule ids),
``payload`` — and the payload's keys in the order of its class's fields. Numbers are
whole: JSON numbers with decimals are refused (the journal writes amounts as text), and
so are duplicate keys (it reads and writes JSON with :mod:`alize_core.kernel.jsontext`). SQL tools read it as it is stored, e.g. in SQLite
``json_extract(body, '$.payload.amount')``.

The register's fold reads a body without a JSON parser (:func:`split_body`) and parses
only the payloads it needs; :func:`parse_body` reads one whole, checking its form.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any, Final, TypeAlias

from alize_core.kernel.jsontext import dump_json, parse_json


__all__ = ["GENESIS", "StoredEvent"]

StoredEvent: TypeAlias = tuple[int, bytes, bytes]
"""An event as a store keeps it: ``(id, body, digest)``; the body is the JSON the digest covers."""

GENESIS: Final = bytes(32)
"""The digest the first event of every journal chains from (32 zero bytes)."""


Payload = dict[str, Any]


_KEYS: Final = ("id", "kind", "on", "actor", "rules", "payload")
_SKELETON: Final = (b"{", b"id", b"kind", b":", b",", b"on", b":", b",", b"actor")
_skeleton: Final = operator.itemgetter(0, 1, 3, 4, 6, 7, 8, 10, 11)
"""The parts of a body split at its first twelve quotes that are the same in every body."""


def encode_body(
    event_id: int, kind: str, on: str, actor: str, *, rules: Sequence[str], payload: object
) -> bytes:
    """
    An event's body, the bytes its digest covers: a JSON document in the journal's
    canonical form (see the module).

    >>> encode_body(7, "fee_paid", "2026-04-01", "OP1", rules=["X-01"],
    ...             payload={"amount": "1.00"})
    b'{"id":7,"kind":"fee_paid","on":"2026-04-01","actor":"OP1","rules":["X-01"],"payload":{"amount":"1.00"}}'

    .. versionadded:: 0.1.0
    """
    encode = dump_json
    return compose_body(
        event_id, kind, on, encode(actor), rules=encode(list(rules)), payload=encode(payload)
    )


def compose_body(
    event_id: int, kind: str, on: str, actor: str, *, rules: str, payload: str
) -> bytes:
    """
    A body from its fields already written: the actor, the rule ids and the payload as
    JSON (low level: :func:`alize_core.journal.chain.seal_rows` writes each actor once per
    batch).

    .. versionadded:: 0.1.0
    """
    return (
        f'{{"id":{event_id},"kind":"{kind}","on":"{on}","actor":{actor},"rules":{rules},'
        f'"payload":{payload}}}'
    ).encode()


def split_body(body: bytes) -> tuple[int, bytes, str, bytes, bytes] | None:
    """
    The fields the register's fold reads, found without a JSON parser: id, kind (as
    written), ISO date, the body's middle (its actor and rule ids as written, which
    :func:`read_actor` reads when needed) and the payload's JSON; ``None`` when the body
    is not in the journal's canonical form.

    Every ``"`` inside a JSON string is escaped, so the quotes before the actor are the
    keys' and values' own, and the first ``,"payload":`` is the key.

    >>> split_body(encode_body(7, "fee_paid", "2026-04-01", 'O"P', rules=["X-01"],
    ...            payload={"amount": "1.00"}))
    (7, b'fee_paid', '2026-04-01', b':"O\\\\"P","rules":["X-01"]', b'{"amount":"1.00"}')
    >>> split_body(b'{"id": 7}') is None
    True

    .. versionadded:: 0.1.0
    """
    parts = body.split(b'"', 12)
    if len(parts) != 13 or _skeleton(parts) != _SKELETON:
        return None
    number = parts[2]
    middle, found, payload = parts[12].partition(b',"payload":')
    if not found or payload[-1:] != b"}" or number[:1] != b":" or not number[1:-1].isdigit():
        return None
    try:
        on = parts[9].decode()
    except UnicodeDecodeError:
        return None
    return int(number[1:-1]), parts[5], on, middle, payload[:-1]


def parse_body(body: bytes) -> tuple[int, str, str, str, tuple[str, ...], Payload]:
    """
    The fields of a body read whole: id, kind, ISO date, actor, rule ids and payload.

    Raises:
        ValueError: The body is not an event in the journal's canonical form (its keys,
            their order and types, numbers with decimals, duplicate keys, spaces).

    >>> parse_body(b'{"id":7,"kind":"fee_paid","on":"2026-04-01","actor":"OP1","rules":[],'
    ...            b'"payload":{"amount":"1.00"}}')
    (7, 'fee_paid', '2026-04-01', 'OP1', (), {'amount': '1.00'})
    >>> parse_body(b'{"id":7,"id":7}')
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.MalformedInput: body: has the key 'id' twice

    .. versionadded:: 0.1.0
    """
    document = parse_json(body.decode("ascii"), strict=True, field="body")
    if not isinstance(document, dict) or tuple(document) != _KEYS:
        raise ValueError(f"is not an event body (a JSON object of {', '.join(_KEYS)})")
    event_id, kind, on, actor, rules, payload = document.values()
    if (
        not isinstance(event_id, int)
        or isinstance(event_id, bool)
        or not all(isinstance(text, str) for text in (kind, on, actor))
        or not isinstance(rules, list)
        or not all(isinstance(item, str) for item in rules)
        or not isinstance(payload, dict)
    ):
        raise ValueError("is not an event body (a field is not of its type)")
    if encode_body(event_id, kind, on, actor, rules=rules, payload=payload) != body:
        raise ValueError("is not in the journal's canonical form")
    return event_id, kind, on, actor, tuple(rules), payload


def read_actor(middle: bytes) -> str:
    """
    The actor of a body's middle as :func:`split_body` gives it.

    Raises:
        ValueError: The middle does not hold an actor's JSON text.

    >>> read_actor(b':"O\\\\"P","rules":["X-01"]')
    'O"P'
    """
    end = middle.rfind(b',"rules":[')
    if end < 1 or middle[:1] != b":":
        raise ValueError("the body holds no actor")
    raw = middle[1:end]
    if raw[:1] == b'"' and raw[-1:] == b'"' and b"\\" not in raw:
        return raw[1:-1].decode()
    actor = parse_json(raw.decode(), strict=True, field="actor")
    if not isinstance(actor, str):
        raise ValueError("the actor is not text")
    return actor


def read_payload(raw: bytes) -> Payload:
    payload = parse_json(raw.decode(), strict=True, field="payload")
    if not isinstance(payload, dict):
        raise ValueError("the payload is not an object")
    return payload
