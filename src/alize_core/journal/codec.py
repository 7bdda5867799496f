"""
The journal's codec (*format des événements*): how an event's body is written and read.

A body is its fields — id, kind, date, actor, rule ids and the payload's JSON — separated by the unit separator (0x1F), which JSON always escapes. JSON numbers with decimals are refused: the journal writes amounts as text.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Final, TypeAlias


__all__ = ["GENESIS", "StoredEvent"]

StoredEvent: TypeAlias = tuple[int, bytes, bytes]
"""An event as a store keeps it: ``(id, body, digest)``; the body is the JSON the digest covers."""

GENESIS: Final = bytes(32)
"""The digest the first event of every journal chains from (32 zero bytes)."""


Payload = dict[str, Any]


def _refuse_float(text: str) -> object:
    raise ValueError(f"{text} is a number with decimals; the journal writes amounts as text")


DECODER: Final = json.JSONDecoder(parse_float=_refuse_float, parse_constant=_refuse_float)
ENCODER: Final = json.JSONEncoder(separators=(",", ":"), allow_nan=False)

SEPARATOR: Final = b"\x1f"
"""What separates a body's fields: the unit separator, which JSON always escapes."""


def encode_body(
    event_id: int, kind: str, on: str, actor: str, *, rules: Sequence[str], payload: object
) -> bytes:
    """
    An event's body, the bytes its digest covers (the journal's own form)::

        id ␟ kind ␟ ISO date ␟ "actor" (JSON) ␟ rule ids, comma-separated ␟ payload (JSON)

    The fields are separated by the unit separator (0x1F), which never appears raw in
    JSON (written ASCII-only, every other character escaped), so the fold splits a body
    without parsing it and decodes only the payloads it
    needs (a repayment's is read without a JSON parser at all).

    >>> encode_body(7, "fee_paid", "2026-04-01", "OP1", rules=["FUND-05"],
    ...             payload={"amount": "1.00"})
    b'7\\x1ffee_paid\\x1f2026-04-01\\x1f"OP1"\\x1fFUND-05\\x1f{"amount":"1.00"}'

    .. versionadded:: 0.1.0
    """
    encode = ENCODER.encode
    return compose_body(
        event_id, kind, on, encode(actor), rules=",".join(rules), payload=encode(payload)
    )


def compose_body(
    event_id: int, kind: str, on: str, actor: str, *, rules: str, payload: str
) -> bytes:
    """
    A body from its fields already written: the actor and payload as JSON, the rule ids
    joined by commas (low level: :func:`alize_core.journal.chain.seal_rows` writes each actor
    once per batch).

    .. versionadded:: 0.1.0
    """
    return f"{event_id}\x1f{kind}\x1f{on}\x1f{actor}\x1f{rules}\x1f{payload}".encode()


def parse_body(body: bytes) -> tuple[int, str, str, str, tuple[str, ...], bytes]:
    """
    The fields of a body: id, kind, ISO date, actor, rule ids, and the payload's JSON bytes.

    Raises:
        ValueError: The body is not in the journal's form.

    .. versionadded:: 0.1.0
    """
    parts = body.split(SEPARATOR, 5)
    if len(parts) != 6:
        raise ValueError("is not an event body (six fields separated by 0x1F)")
    number, kind, on, actor, rules, payload = parts
    return (
        int(number),
        kind.decode(),
        on.decode(),
        read_actor(actor),
        tuple(rules.decode().split(",")) if rules else (),
        payload,
    )


def read_actor(raw: bytes) -> str:
    if raw[:1] == b'"' and raw[-1:] == b'"' and b"\\" not in raw:
        return raw[1:-1].decode()
    actor = DECODER.decode(raw.decode())
    if not isinstance(actor, str):
        raise ValueError("the actor is not text")
    return actor


def read_payload(raw: bytes) -> Payload:
    payload = DECODER.decode(raw.decode())
    if not isinstance(payload, dict):
        raise ValueError("the payload is not an object")
    return payload
