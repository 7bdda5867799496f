"""
What the in-memory backends share (package-private): reading a target's answers.

:func:`exchange` sends a request on a :class:`~alize_adapters.fakes.wire.Wire` and
classifies what happens as the backend protocols say (see the table in
:mod:`alize_adapters.host.backends`); the other helpers read an answer's fields, or
refuse it as unreadable; :class:`Table` keeps a target's rows.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from alize_adapters.fakes.wire import Request, Wire
from alize_adapters.host.errors import (
    AdapterRejected,
    AdapterUnavailable,
    CapabilityNotSupported,
    IdempotencyConflict,
)
from alize_adapters.host.payloads import Capability
from alize_core import InvalidValue, to_money


__all__ = [
    "REPLAYED_HEADER",
    "Table",
    "answer_amount",
    "answer_text",
    "exchange",
    "json_body",
    "optional_text",
    "require_capability",
    "results_of",
]


REPLAYED_HEADER: Final = "Idempotent-Replayed"
"""The header a target sets on an answer it replays for an idempotency key already used."""


def exchange(wire: Wire, request: Request, what: str) -> tuple[int, dict[str, object]]:
    """Send a request and classify what happens (see the table in :mod:`alize_adapters.host.backends`)."""
    try:
        response = wire.send(request)
    except TimeoutError:
        raise AdapterUnavailable(f"{what} did not answer in time") from None
    except ConnectionError as exc:
        raise AdapterUnavailable(f"the connection to {what} was lost ({exc})") from None
    status = response.status
    if status == 429:
        header = response.header("Retry-After")
        retry_after = int(header) if header and header.isascii() and header.isdigit() else None
        raise AdapterUnavailable(f"{what} asked to slow down (HTTP 429)", retry_after=retry_after)
    if status >= 500:
        raise AdapterUnavailable(f"{what} failed (HTTP {status})")
    try:
        data = json.loads(response.body)
    except ValueError:
        raise AdapterUnavailable(f"{what} answered with a body that cannot be read") from None
    if not isinstance(data, dict):
        raise AdapterUnavailable(f"{what} answered with a body that cannot be read")
    if status == 409:
        raise IdempotencyConflict(f"{what}: {data.get('error', 'conflict')}")
    if 400 <= status < 500 and status != 404:
        raise AdapterRejected(f"{what} refused the request (HTTP {status}): {data.get('error')}")
    if response.header(REPLAYED_HEADER) == "true":
        data["_replayed"] = True
    return status, data


def answer_text(data: Mapping[str, object], key: str, what: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise AdapterUnavailable(f"{what} answered without a readable {key!r}")
    return value


def optional_text(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def results_of(data: Mapping[str, object], what: str) -> list[dict[str, object]]:
    results = data.get("results")
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise AdapterUnavailable(f"{what} answered without a readable list of results")
    return results


def json_body(data: Mapping[str, object]) -> bytes:
    return json.dumps(dict(data), ensure_ascii=False).encode("utf-8")


def require_capability(
    capabilities: frozenset[Capability], capability: Capability, what: str
) -> None:
    if capability not in capabilities:
        raise CapabilityNotSupported(
            f"this {what} does not declare the {capability.value!r} capability"
        )


class Table:
    """Rows of a target, keyed by an id the target makes up (``prefix-000001``)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.rows: dict[str, dict[str, object]] = {}
        self._numbers = itertools.count(1)

    def insert(self, data: dict[str, object]) -> dict[str, object]:
        row = {**data, "id": f"{self.prefix}-{next(self._numbers):06d}"}
        self.rows[str(row["id"])] = row
        return row


def answer_amount(value: object, what: str) -> Decimal:
    if not isinstance(value, str):
        raise AdapterUnavailable(f"{what} answered with an amount that is not text: {value!r}")
    try:
        return to_money(value, field="amount")
    except InvalidValue:
        raise AdapterUnavailable(f"{what} answered with an unreadable amount {value!r}") from None
