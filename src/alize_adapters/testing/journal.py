"""
Real journals for the store contracts (*journaux d'essai*): events the core accepted, chained
as a store must keep them.

A :class:`SampleJournal` writes, one command at a time, the journal of a territory proposed,
validated by the national committee, then enrolling a member of the operator's staff a day;
each event is a stored row ``(id, body, digest)`` that follows the one before it. Two
journals that share a beginning and then write apart (:meth:`SampleJournal.fork`) are two
writers who read the same register: the second to append is stale.

>>> journal = SampleJournal()
>>> rows = journal.write(3)
>>> [row[0] for row in rows], [event.kind.value for event in journal.events]
([1, 2, 3], ['territory_proposed', 'territory_validated', 'person_enrolled'])
>>> other = journal.fork("B")
>>> journal.write(1)[0][0] == other.write(1)[0][0], journal.head == other.head
(True, False)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final

import attrs

from alize_core.commands.catalogue import read_request
from alize_core.journal.chain import Event
from alize_core.journal.codec import StoredEvent
from alize_core.register.storage import EventStore, load
from alize_core.register.views import Register


__all__ = ["SampleJournal"]

_FOUNDING: Final = {
    "id": "sample-territory",
    "command": "propose_territory",
    "on": "2025-11-03",
    "territory": {"id": "MEUSE", "name": "Vallée de la Meuse", "departements": ["55"]},
    "operator": {"id": "CCI55", "name": "CCI Meuse"},
    "prefecture": {"id": "PREF55", "name": "Préfecture de la Meuse", "kind": "prefecture"},
    "national_committee": "CN",
    "state_chair": "PREFET",
}

_VALIDATION: Final = {
    "id": "sample-validation",
    "command": "validate_territory",
    "on": "2025-12-01",
}

_FIRST_DAY: Final = date(2026, 1, 1)


@attrs.define
class SampleJournal:
    """
    A writer of real events, one accepted command after another, from a register.

    Attributes:
        register: The register as this writer knows it (its last event is the head).
        tag: Told apart the people this writer enrols from another writer's.
        events: The events this writer wrote, in order.

    .. versionadded:: 0.1.0
    """

    register: Register = attrs.field(factory=Register.empty)
    tag: str = "A"
    events: list[Event] = attrs.field(factory=list)

    @classmethod
    def reading(cls, store: EventStore, tag: str = "A") -> SampleJournal:
        """A writer that continues the register a store holds."""
        return cls(load(store), tag)

    @property
    def version(self) -> int:
        """The number of events of the register this writer knows."""
        return self.register.version

    @property
    def head(self) -> str:
        """The digest of the register's last event (hexadecimal)."""
        return self.register.head

    def fork(self, tag: str) -> SampleJournal:
        """Another writer that read the same register and writes its own events."""
        return SampleJournal(self.register, tag)

    def write(self, count: int = 1) -> list[StoredEvent]:
        """``count`` new events after the register, as stored rows, and the register moves on."""
        rows: list[StoredEvent] = []
        for _ in range(count):
            data, actor = self._next_request()
            request, _named = read_request(data, with_actor=False)
            result = request.run(self.register, actor)
            if not result.accepted:  # pragma: no cover - the sample's commands are valid
                raise AssertionError(result.decision.explain())
            self.register = self.register.apply(result.events)
            self.events.extend(result.events)
            rows.extend(event.row() for event in result.events)
        return rows

    def _next_request(self) -> tuple[dict[str, object], str]:
        """The next command (as a request) and who gives it."""
        version = self.register.version
        if version == 0:
            return dict(_FOUNDING), "OP1"
        if version == 1:
            return dict(_VALIDATION), "CN"
        request: dict[str, object] = {
            "id": f"sample-{self.tag}-{version + 1}",
            "command": "enrol_person",
            "on": (_FIRST_DAY + timedelta(days=version)).isoformat(),
            "person": f"ST-{self.tag}{version + 1}",
            "role": "operator_staff",
            "organisation": "CCI55",
        }
        return request, "OP1"
