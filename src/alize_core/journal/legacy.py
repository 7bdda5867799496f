"""
The journal's first body form (*ancien format*), read only to upgrade a journal written by it.

Stores of format ``alize.sqlite/1`` kept each body as its fields separated by the unit
separator (0x1F)::

    id ␟ kind ␟ ISO date ␟ "actor" (JSON) ␟ rule ids, comma-separated ␟ payload (JSON)

:func:`upgrade_rows` verifies such a journal's chain and gives each event again, its
body a JSON document (:mod:`alize_core.journal.codec`) chained anew from the genesis; the
figures do not change, only the bytes and so the digests. An upgraded store keeps the old
head digest, so an auditor can tie the new chain to the old one.

>>> from alize_core.journal.codec import GENESIS
>>> import hashlib
>>> old = b'1\\x1ffee_paid\\x1f2026-04-01\\x1f"OP1"\\x1fX-01\\x1f{"amount":"1.00","label":"x"}'
>>> rows = [(1, old, hashlib.sha256(GENESIS + old).digest())]
>>> [(row[1], old_digest == rows[0][2]) for row, old_digest in upgrade_rows(rows)]
[(b'{"id":1,"kind":"fee_paid","on":"2026-04-01","actor":"OP1","rules":["X-01"],"payload":{"amount":"1.00","label":"x"}}', True)]
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from typing import Final

from alize_core.journal.codec import GENESIS, StoredEvent, encode_body
from alize_core.kernel.errors import IntegrityError
from alize_core.kernel.jsontext import parse_json


__all__ = ["upgrade_body", "upgrade_rows"]

_SEPARATOR: Final = b"\x1f"


def upgrade_body(body: bytes) -> bytes:
    """
    A body of the first form written again as a JSON document, the same event.

    Raises:
        ValueError: The body is not in the first form (six fields, the actor and
            payload JSON, no number with decimals, no duplicate key).

    .. versionadded:: 0.1.0
    """
    parts = body.split(_SEPARATOR, 5)
    if len(parts) != 6 or not parts[0].isdigit():
        raise ValueError("is not an event body of the first form (six fields separated by 0x1F)")
    number, kind, on, actor, rules, payload = (part.decode() for part in parts)
    name = parse_json(actor, strict=True, field="actor")
    data = parse_json(payload, strict=True, field="payload")
    if not isinstance(name, str) or not isinstance(data, dict):
        raise ValueError("its actor is not text or its payload not an object")
    ids = rules.split(",") if rules else []
    return encode_body(int(number), kind, on, name, rules=ids, payload=data)


def upgrade_rows(rows: Iterable[StoredEvent]) -> Iterator[tuple[StoredEvent, bytes]]:
    """
    Each event of a journal of the first form, verified on its old chain, with its body
    rewritten (:func:`upgrade_body`) and chained anew: ``(new row, old digest)``.

    Raises:
        IntegrityError: An event does not follow the old chain (altered, missing,
            reordered) or cannot be read; nothing should be written.

    .. versionadded:: 0.1.0
    """
    sha256 = hashlib.sha256
    old_previous = new_previous = GENESIS
    expected = 1
    for position, body, digest in rows:
        if (
            position != expected
            or sha256(old_previous + body).digest() != digest
            or not body.startswith(b"%d\x1f" % position)
        ):
            msg = (
                f"event {position} does not follow the chain of the journal to upgrade"
                f" (expected event {expected}): it was altered; nothing was upgraded"
            )
            raise IntegrityError("journal", position, msg)
        try:
            new_body = upgrade_body(body)
        except (ValueError, RecursionError) as exc:
            msg = f"event {position} cannot be upgraded ({exc}); nothing was upgraded"
            raise IntegrityError("journal", position, msg) from None
        new_previous = sha256(new_previous + new_body).digest()
        yield (position, new_body, new_previous), digest
        old_previous = digest
        expected += 1
