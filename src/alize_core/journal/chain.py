"""
The hash chain (*chaînage*): events sealed after a register's last one, decoded from their stored rows, and verified; :func:`verify` names any altered, deleted, inserted or reordered event.

Each event's digest is ``sha256(previous digest + body)``: changing, removing, inserting or reordering any event breaks the chain.
"""

from __future__ import annotations

import bisect
import enum
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Protocol

import attrs

from alize_core.journal.codec import (
    GENESIS,
    StoredEvent,
    compose_body,
    encode_body,
    parse_body,
    split_body,
)
from alize_core.journal.events import AdvanceDisbursed, EventPayload
from alize_core.journal.kinds import EventKind, kind_of
from alize_core.kernel.errors import IntegrityError, InvalidValue, MalformedInput
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.money import Rounding
from alize_core.kernel.rules import rule
from alize_core.kernel.serialization import structure, unstructure
from alize_core.kernel.validation import check_count, check_date, check_id, checked, member_of


__all__ = [
    "ChainProblem",
    "Event",
    "ProblemKind",
    "Verification",
    "decode",
    "following",
    "seal",
    "seal_rows",
    "verify",
    "verify_rows",
]


# --- Events and their chain. ---


def _check_digest(value: object, *, field: str) -> None:
    if not (isinstance(value, str) and len(value) == 64):
        raise InvalidValue(field, value, "must be a SHA-256 digest in hexadecimal (64 characters)")
    try:
        bytes.fromhex(value)
    except ValueError:
        raise InvalidValue(field, value, "is not hexadecimal") from None


def _check_rules(value: object, *, field: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValue(field, value, "must be a tuple of rule ids")
    for item in value:
        if not isinstance(item, str):
            raise InvalidValue(field, item, "must be a rule id such as OP-03")
        rule(item)


def _check_payload(instance: Event, attribute: attrs.Attribute[Any], value: object) -> None:
    expected = instance.kind.payload
    if not isinstance(value, expected):
        msg = f"must be a {expected.__name__} for a {instance.kind} event"
        raise InvalidValue("payload", value, msg)


@attrs.frozen
class Event:
    """
    Something that happened in the programme (*événement*), as the journal keeps it.

    Attributes:
        id: Its place in the journal, from 1.
        kind: What it records.
        on: The date it takes effect.
        actor: The id of who did it (a person, or the national committee).
        rules: The ids of the rules it relied on.
        payload: What happened (of its kind's payload class, :attr:`EventKind.payload`).
        previous: The digest of the event before it (hexadecimal; zeros for the first).
        digest: Its own digest: SHA-256 of the previous digest and its body.

    .. versionadded:: 0.1.0
    """

    id: int = attrs.field(validator=checked(check_count, minimum=1, maximum=10**12))
    kind: EventKind = attrs.field(validator=member_of(EventKind))
    on: date = attrs.field(validator=checked(check_date))
    actor: str = attrs.field(validator=checked(check_id))
    rules: tuple[str, ...] = attrs.field(validator=checked(_check_rules))
    payload: EventPayload = attrs.field(validator=_check_payload)
    previous: str = attrs.field(validator=checked(_check_digest))
    digest: str = attrs.field(validator=checked(_check_digest))

    def body(self) -> bytes:
        """The JSON document the digest covers (:func:`alize_core.journal.codec.encode_body`)."""
        return _body(
            self.id,
            kind=self.kind,
            on=self.on,
            actor=self.actor,
            rules=self.rules,
            payload=self.payload,
        )

    def row(self) -> StoredEvent:
        """The event as a store keeps it."""
        return (self.id, self.body(), bytes.fromhex(self.digest))


def _body(
    event_id: int,
    *,
    kind: str,
    on: date,
    actor: str,
    rules: Sequence[str],
    payload: EventPayload,
) -> bytes:
    wire = unstructure(payload)
    if isinstance(payload, AdvanceDisbursed) and payload.rounding is Rounding.HALF_UP:
        del wire["rounding"]  # the journals written before the field keep their bytes
    return encode_body(event_id, str(kind), on.isoformat(), actor, rules=rules, payload=wire)


class Tip(Protocol):
    """Where a journal ends: its last event's id (``version``) and that event's digest in hex (``head``)."""

    @property
    def version(self) -> int: ...

    @property
    def head(self) -> str: ...


def _chain(previous: bytes, body: bytes) -> bytes:
    return hashlib.sha256(previous + body).digest()


def seal(
    register: Tip,
    actor: str,
    on: date,
    items: Iterable[tuple[Sequence[str], EventPayload]],
) -> tuple[Event, ...]:
    """
    New events after a register's last one: numbered and chained from its head.

    Args:
        register: The register the events follow.
        actor: Who acts.
        on: The date they take effect.
        items: (rule ids, payload) for each event, in order.

    .. versionadded:: 0.1.0
    """
    previous = bytes.fromhex(register.head)
    event_id = register.version
    events = []
    for rules, payload in items:
        event_id += 1
        kind = kind_of(payload)
        body = _body(event_id, kind=kind, on=on, actor=actor, rules=rules, payload=payload)
        digest = _chain(previous, body)
        events.append(
            Event(event_id, kind, on, actor, tuple(rules), payload, previous.hex(), digest.hex())
        )
        previous = digest
    return tuple(events)


def seal_rows(
    records: Iterable[tuple[str, str, str, Sequence[str], Mapping[str, object]]],
    *,
    version: int,
    head: bytes,
) -> Iterator[StoredEvent]:
    """
    Events already in the journal's own form ``(kind, ISO date, actor, rules, payload)``
    numbered and chained after ``version`` and ``head`` (low level: bulk loads and
    benchmarks; commands give :class:`Event` s). Each actor and list of rule ids is
    written once per call.

    .. versionadded:: 0.1.0
    """
    sha256 = hashlib.sha256
    encode = dump_json
    actors: dict[str, str] = {}
    ids: dict[tuple[str, ...], str] = {}
    event_id = version
    previous = head
    for kind, on, actor, rules, payload in records:
        event_id += 1
        written = actors.get(actor)
        if written is None:
            written = actors[actor] = encode(actor)
        key = tuple(rules)
        cited = ids.get(key)
        if cited is None:
            cited = ids[key] = encode(key)
        body = compose_body(event_id, kind, on, written, rules=cited, payload=encode(payload))
        previous = sha256(previous + body).digest()
        yield (event_id, body, previous)


def following(rows: Iterable[StoredEvent], version: int, head: bytes) -> Iterator[StoredEvent]:
    """
    The rows a store is asked to append, checked one by one to follow its stored chain.

    Every store calls it inside its append's transaction, after reading its own ``version``
    and ``head`` there, so that each store refuses the same rows the same way: each row must
    carry the next number and the digest ``sha256(previous digest + body)``. The rows are
    given back as they are checked; the first that does not follow raises before it is
    given, so a store that writes what it is given and rolls back on the error writes
    nothing.

    Args:
        rows: The rows to append, in order.
        version: The store's number of events (the id of its last one).
        head: The digest of its last event (:data:`~alize_core.journal.codec.GENESIS`
            when it is empty).

    Raises:
        IntegrityError: A row is not the next one, or its digest does not chain.

    >>> from alize_core.journal.codec import GENESIS
    >>> rows = list(seal_rows([("sme_registered", "2025-01-06", "R1", (), {})], version=0, head=GENESIS))
    >>> [row[0] for row in following(rows, 0, GENESIS)]
    [1]
    >>> list(following(rows, 1, rows[0][2]))
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.IntegrityError: events: 1 event 1 does not follow the stored chain (expected event 2); nothing was written

    .. versionadded:: 0.1.0
    """
    sha256 = hashlib.sha256
    expected = version + 1
    previous = head
    for position, body, digest in rows:
        if position != expected or sha256(previous + body).digest() != digest:
            msg = (
                f"event {position} does not follow the stored chain (expected event {expected});"
                " nothing was written"
            )
            raise IntegrityError("events", position, msg)
        yield (position, body, digest)
        previous = digest
        expected += 1


def decode(row: StoredEvent, previous: bytes) -> Event:
    """
    A stored event as an :class:`Event`, its payload checked field by field.

    Raises:
        MalformedInput: The body is not an event alize writes.

    .. versionadded:: 0.1.0
    """
    event_id, body, digest = row
    try:
        declared, kind, on, actor, rules, data = parse_body(body)
        event_kind = EventKind.named(kind)
    except (ValueError, RecursionError):
        raise MalformedInput(f"event {event_id}", None, "is not an event alize writes") from None
    payload = structure(data, event_kind.payload)
    try:
        event = Event(
            declared,
            event_kind,
            date.fromisoformat(on),
            actor,
            rules,
            payload,
            previous.hex(),
            digest.hex(),
        )
    except (InvalidValue, TypeError, ValueError) as exc:
        raise MalformedInput(f"event {event_id}", None, str(exc)) from None
    if event.body() != body:
        msg = "is not in the journal's canonical form (its payload's keys, order or defaults)"
        raise MalformedInput(f"event {event_id}", None, msg)
    return event


# --- Verification. ---


class ProblemKind(enum.StrEnum):
    """What is wrong with a journal's chain."""

    ALTERED = "altered"
    """An event's content or digest was changed."""
    DELETED = "deleted"
    """Events are missing."""
    INSERTED = "inserted"
    """An event that does not belong to the chain was added."""
    REORDERED = "reordered"
    """An event is not in its place."""


@attrs.frozen
class ChainProblem:
    """
    A break in a journal's hash chain, and the event it concerns.

    Attributes:
        kind: What is wrong.
        event: The id of the event concerned.
        message: What is wrong, in words.
    """

    kind: ProblemKind
    event: int
    message: str

    def __str__(self) -> str:
        return self.message


@attrs.frozen
class Verification:
    """
    The result of verifying a journal's chain.

    Attributes:
        events: How many events were read.
        head: The digest of the last event read (hexadecimal).
        problems: Every break found, each naming its event.
    """

    events: int
    head: str
    problems: tuple[ChainProblem, ...]

    @property
    def ok(self) -> bool:
        """Whether the chain is intact."""
        return not self.problems


class _Row:
    __slots__ = ("body", "declared", "digest", "kind", "on", "position")

    def __init__(self, position: int, body: bytes, digest: bytes) -> None:
        self.position = position
        self.body = body
        self.digest = digest
        self.declared = position
        self.kind = "?"
        self.on = "?"
        fields = split_body(body)
        if fields is not None:
            self.declared = fields[0]
            self.kind = fields[1].decode(errors="replace")
            self.on = fields[2]

    def name(self, event: int | None = None) -> str:
        return f"event {self.declared if event is None else event} ({self.kind}, {self.on})"


def _fast_check(rows: Iterable[StoredEvent]) -> tuple[bool, int, bytes]:
    previous = GENESIS
    expected = 1
    sha256 = hashlib.sha256
    count = 0
    for position, body, digest in rows:
        count += 1
        if (
            position != expected
            or sha256(previous + body).digest() != digest
            or not body.startswith(b'{"id":%d,' % position)
        ):
            return False, count, previous
        previous = digest
        expected += 1
    return True, count, previous


def _runs(numbers: list[int]) -> list[tuple[int, int]]:
    runs: list[tuple[int, int]] = []
    for number in numbers:
        if runs and runs[-1][1] == number - 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def _increasing(positions: list[int]) -> set[int]:
    """The indexes of a longest increasing subsequence of ``positions``."""
    tails: list[int] = []
    tail_index: list[int] = []
    parent = [-1] * len(positions)
    for index, value in enumerate(positions):
        place = bisect.bisect_left(tails, value)
        if place == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[place] = value
            tail_index[place] = index
        parent[index] = tail_index[place - 1] if place else -1
    kept: set[int] = set()
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        kept.add(index)
        index = parent[index]
    return kept


def _diagnose(rows: list[_Row]) -> list[ChainProblem]:
    problems: list[ChainProblem] = []
    by_id: dict[int, list[_Row]] = {}
    for row in rows:
        by_id.setdefault(row.declared, []).append(row)
    ids = sorted(by_id)
    highest = ids[-1] if ids else 0
    missing = [k for k in range(1, highest + 1) if k not in by_id]
    renumbered: set[int] = set()
    chosen: dict[int, _Row] = {}

    def links(previous: bytes | None, row: _Row) -> bool:
        return previous is not None and _chain(previous, row.body) == row.digest

    for k in ids:
        candidates = by_id[k]
        previous = GENESIS if k == 1 else (chosen[k - 1].digest if k - 1 in chosen else None)
        followers = by_id.get(k + 1, [])

        def score(
            row: _Row, previous: bytes | None = previous, followers: list[_Row] = followers
        ) -> tuple[bool, bool]:
            followed = any(_chain(row.digest, f.body) == f.digest for f in followers)
            return followed, links(previous, row)

        best = max(candidates, key=score) if len(candidates) > 1 else candidates[0]
        chosen[k] = best
        for extra in candidates:
            if extra is best:
                continue
            if extra.position in missing and not links(
                chosen.get(extra.position - 1, _Row(0, b"", b"")).digest
                if extra.position > 1
                else GENESIS,
                extra,
            ):
                renumbered.add(extra.position)
                text = f"{extra.name(extra.position)} was altered: its number was changed to {k}"
                problems.append(ChainProblem(ProblemKind.ALTERED, extra.position, text))
            else:
                text = (
                    f"an event numbered {k} was inserted at position {extra.position}: it is not"
                    " part of the chain"
                )
                problems.append(ChainProblem(ProblemKind.INSERTED, k, text))
        if previous is not None and not links(previous, best):
            text = f"{best.name()} was altered: its content no longer matches its digest"
            problems.append(ChainProblem(ProblemKind.ALTERED, k, text))
    for first, last in _runs([k for k in missing if k not in renumbered]):
        if first == last:
            text = f"event {first} is missing: it was deleted"
        else:
            text = f"events {first} to {last} are missing: they were deleted"
        problems.append(ChainProblem(ProblemKind.DELETED, first, text))
    order = [chosen[k] for k in ids]
    stored = sorted(range(len(order)), key=lambda index: order[index].position)
    displaced = {index for rank, index in enumerate(stored) if rank != index}
    kept = _increasing([row.position for row in order])
    unsorted = {index for index in range(len(order)) if index not in kept}
    for index in sorted(unsorted if len(unsorted) < len(displaced) else displaced):
        row = order[index]
        text = f"{row.name()} is out of order: it is stored at position {row.position}"
        if index:
            text += f", away from event {order[index - 1].declared} which it follows"
        problems.append(ChainProblem(ProblemKind.REORDERED, row.declared, text))
    return sorted(problems, key=lambda p: (p.event, p.kind))


def verify_rows(read: Callable[[], Iterable[StoredEvent]]) -> Verification:
    """
    Verify a stored journal: every event's digest, its place and its number.

    The rows are read once; when something is wrong they are read a second time to name
    the events concerned, so ``read`` must give them again on each call.

    Args:
        read: Gives the stored events in the store's order.

    .. versionadded:: 0.1.0
    """
    ok, count, head = _fast_check(read())
    if ok:
        return Verification(count, head.hex(), ())
    rows = [_Row(position, body, digest) for position, body, digest in read()]
    head = rows[-1].digest if rows else GENESIS
    return Verification(len(rows), head.hex(), tuple(_diagnose(rows)))


def verify(events: Sequence[Event]) -> Verification:
    """
    Verify a journal held as :class:`Event` s: each is recomputed from its fields, so any
    edit of any field is found, as are deleted, inserted and reordered events.

    .. versionadded:: 0.1.0
    """
    rows = [
        (index, event.body(), bytes.fromhex(event.digest)) for index, event in enumerate(events, 1)
    ]
    result = verify_rows(lambda: rows)
    problems = list(result.problems)
    named = {p.event for p in problems}
    digests = {event.id: event.digest for event in events}
    for event in events:
        expected = GENESIS.hex() if event.id == 1 else digests.get(event.id - 1)
        if event.id not in named and expected is not None and event.previous != expected:
            text = (
                f"event {event.id} ({event.kind}, {event.on.isoformat()}) was altered: it no"
                " longer names the digest of the event before it"
            )
            problems.append(ChainProblem(ProblemKind.ALTERED, event.id, text))
    return attrs.evolve(result, problems=tuple(sorted(problems, key=lambda p: (p.event, p.kind))))
