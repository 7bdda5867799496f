"""
The register (*registre du programme*): the state of a territory's programme, a fold of its events.

Nothing in the register is ever overwritten: it is what the journal's events
(:mod:`alize_core.journal`) add up to, replayed in order. The same events always give the
same register, and a past date is replayed by stopping at it. The register knows the
territory and its status (NAT-01), its conventions (CONV-01), partners, people (by id
only: their names live outside the register), SMEs and projects with their lifecycle
(OP-03, ELIG-01…04, CONV-02), committee sessions and votes (GOV-01…11), the advances
and the fund (FUND-01…05, OP-01), missions, meetings and time (ACC-01…06, GOV-08).

While folding, the register *flags* activity dated outside every convention in force
(CONV-01) and records *problems*: a reference to something unknown, or a fund that stops
balancing (FUND-05) — which commands never produce, but a journal written by other
means may hold.

>>> register = Register.empty()
>>> register.version, register.as_of, register.fund.cash
(0, None, Decimal('0.00'))
>>> register.project("P1")
Traceback (most recent call last):
...
alize_core.kernel.errors.UnknownRecord: project: 'P1' is not in the register
>>> register.get_project("P1") is None
True

Events are added with :func:`alize_core.register.replay.register_at` or :meth:`Register.apply`;
see :mod:`alize_core.journal` for a whole story.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from .records import (
    AdvanceRecord,
    AdvanceRescheduling,
    AdvanceStatus,
    AgendaEntry,
    Finding,
    MissionRecord,
    PartnerAccount,
    Person,
    PersonRole,
    ProjectRecord,
    ProjectStatus,
    Review,
    SessionRecord,
    TerritoryRecord,
)
from .replay import Replay, register_at, replay
from .state import SNAPSHOT_FORMAT
from .storage import EventStore, PersonalData, PersonDetails, Snapshot, load, snapshot_of
from .views import Register


__all__ = [
    "SNAPSHOT_FORMAT",
    "AdvanceRecord",
    "AdvanceRescheduling",
    "AdvanceStatus",
    "AgendaEntry",
    "EventStore",
    "Finding",
    "MissionRecord",
    "PartnerAccount",
    "Person",
    "PersonDetails",
    "PersonRole",
    "PersonalData",
    "ProjectRecord",
    "ProjectStatus",
    "Register",
    "Replay",
    "Review",
    "SessionRecord",
    "Snapshot",
    "TerritoryRecord",
    "load",
    "register_at",
    "replay",
    "snapshot_of",
]
