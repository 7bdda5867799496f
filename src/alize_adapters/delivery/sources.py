"""
The events the outbox reads (*événements à livrer*): the :class:`EventSource` protocol a
journal implements for the :class:`~alize_adapters.delivery.outbox.Relay`, the outbox's own
copy of a committed event (:class:`OutboxEvent`) and an in-memory source for tests.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Protocol

import attrs

from alize_adapters.host.payloads import EventNotice, build_notice, canonical_json
from alize_core import InvalidValue
from alize_core.kernel.jsontext import parse_json
from alize_core.kernel.validation import check_count, check_date, check_id, checked


__all__ = ["CommittedEvent", "EventSource", "MemoryEventSource", "OutboxEvent"]


class CommittedEvent(Protocol):
    """
    What the outbox needs of an event stored in the journal (*événement enregistré*).

    Any object with these attributes will do: the journal's own event records
    are adapted to it, and :class:`OutboxEvent` is the outbox's own copy.
    """

    @property
    def event_id(self) -> str:
        """The event's id, unique in the journal: the source of idempotency keys."""
        ...

    @property
    def sequence(self) -> int:
        """
        Its position in the journal: never decreasing; events made from one journal entry
        (a session's decisions, a statement's repayments) share it.
        """
        ...

    @property
    def kind(self) -> str:
        """Its kind (an :class:`~alize_adapters.host.payloads.NoticeKind` value, or another one)."""
        ...

    @property
    def effective_date(self) -> date:
        """The date it takes effect."""
        ...

    @property
    def territory(self) -> str:
        """The id of the territory it belongs to."""
        ...

    @property
    def payload(self) -> Mapping[str, object]:
        """Its own fields, JSON-ready (amounts as text, dates as ISO text)."""
        ...


class EventSource(Protocol):
    """Where the relay reads committed events: the journal, in order."""

    def events_after(self, sequence: int, limit: int) -> Sequence[CommittedEvent]:
        """
        The events whose sequence number is above ``sequence``, in order: about ``limit``
        of them, never splitting the events that share a sequence number.
        """
        ...


def _payload_json(value: object) -> str:
    data = parse_json(value, strict=True, field="payload") if isinstance(value, str) else value
    if not isinstance(data, Mapping):
        raise InvalidValue("payload", value, "must be an object of fields")
    return canonical_json(data, field="payload")


@attrs.frozen(kw_only=True)
class OutboxEvent:
    """
    The outbox's own copy of a committed event, kept until every adapter has it.

    Attributes:
        event_id: The event's id.
        sequence: Its position in the journal.
        kind: Its kind.
        effective_date: The date it takes effect.
        territory: The territory's id.
        payload_json: Its fields, as canonical JSON text (give ``payload=`` a mapping instead).
    """

    event_id: str = attrs.field(validator=checked(check_id))
    sequence: int = attrs.field(validator=checked(check_count))
    kind: str = attrs.field(validator=checked(check_id))
    effective_date: date = attrs.field(validator=checked(check_date))
    territory: str = attrs.field(validator=checked(check_id))
    payload_json: str = attrs.field(alias="payload", converter=_payload_json)

    @property
    def payload(self) -> dict[str, object]:
        """The event's fields, as a new dictionary."""
        data: dict[str, object] = parse_json(self.payload_json, strict=True, field="payload")
        return data

    @classmethod
    def of(cls, event: CommittedEvent) -> OutboxEvent:
        """A copy of any committed event."""
        if isinstance(event, OutboxEvent):
            return event
        return cls(
            event_id=event.event_id,
            sequence=event.sequence,
            kind=event.kind,
            effective_date=event.effective_date,
            territory=event.territory,
            payload=dict(event.payload),
        )

    def to_payload(self) -> EventNotice | None:
        """
        The hook payload of this event, or ``None`` when no hook observes its kind.

        Raises:
            MalformedInput: The event's fields do not fit its kind.
        """
        return build_notice(
            self.kind,
            event_id=self.event_id,
            sequence=self.sequence,
            on=self.effective_date,
            territory=self.territory,
            data=self.payload,
        )


class MemoryEventSource:
    """
    An :class:`EventSource` kept in a list (for tests, the demo, and applications without a journal).

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._events: list[OutboxEvent] = []

    def append(self, event: CommittedEvent) -> None:
        """
        Add an event after the others.

        Raises:
            InvalidValue: Its sequence number does not follow the last one.
        """
        copy = OutboxEvent.of(event)
        if self._events and copy.sequence < self._events[-1].sequence:
            msg = f"must not be below the last sequence number, {self._events[-1].sequence}"
            raise InvalidValue("sequence", copy.sequence, msg)
        if any(known.event_id == copy.event_id for known in self._events):
            raise InvalidValue("event_id", copy.event_id, "is already in the journal")
        self._events.append(copy)

    def events_after(self, sequence: int, limit: int) -> Sequence[OutboxEvent]:
        """About ``limit`` events after ``sequence``, those sharing the last one's number included."""
        later = [event for event in self._events if event.sequence > sequence]
        if len(later) <= limit:
            return later
        last = later[limit - 1].sequence
        return [event for event in later if event.sequence <= last]
