# Kept whole, at about 670 lines: the Register is one read-only facade over the fold's state
# (records by id, collections, the period queries reports use, the fund and the portfolio),
# each view guarded and cached the same way; building records from the state is in
# register.building.
"""
The register (*registre du programme*): read-only views over a fold of the journal — records by id, the period queries reports use, the fund and the portfolio at a date.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Any, Final, Protocol, TypeVar, cast

import attrs

from alize_core.journal.codec import Payload, StoredEvent
from alize_core.kernel.errors import CommandRefused, UnknownRecord
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.money import from_cents
from alize_core.kernel.serialization import structure
from alize_core.kernel.settings import Settings, SettingVersion
from alize_core.kernel.validation import check_date
from alize_core.parties.model import (
    LocalOperator,
    OperatorKind,
    PartnerCompany,
    PersonRole,
    PublicBody,
    PublicBodyKind,
    Sme,
    Territory,
)
from alize_core.programme.accompaniment import MentorCategory, Mission, SupportKind, TimeEntry
from alize_core.programme.conventions import (
    PartnerCommitment,
    TerritoryStatus,
    TriennialConvention,
)
from alize_core.programme.fund import FundPosition, Portfolio
from alize_core.register.building import (
    advance_life,
    advance_record,
    agenda_entry,
    fund_position,
    guard_readable,
    project_record,
    sme_record,
    time_entry,
    to_date,
    to_enum,
    value,
)
from alize_core.register.fold import fold_rows
from alize_core.register.records import (
    AdvanceRecord,
    Finding,
    MissionRecord,
    PartnerAccount,
    Person,
    ProjectRecord,
    Review,
    SessionRecord,
    TerritoryRecord,
)
from alize_core.register.state import A_STATUS, SNAPSHOT_HEAD, FoldState


__all__ = ["Register"]


_OUTSIDE: Final = "is dated outside every triennial convention in force"


_VIEW = TypeVar("_VIEW", bound=Callable[..., Any])


def _kept(view: _VIEW) -> _VIEW:
    """
    A view of a whole collection, built the first time it is read and kept: a register
    never changes, and reports read the same views many times.
    """
    name = view.__name__

    @functools.wraps(view)
    def read(self: Register) -> Any:
        views = self._views
        if name not in views:
            views[name] = view(self)
        return views[name]

    return read  # type: ignore[return-value]


def _dated(table: Mapping[str, Payload], field: str, start: date, end: date) -> list[str]:
    """The keys of the records whose ``field`` (an ISO date) falls from start to end, in date order."""
    first, last = start.isoformat(), end.isoformat()
    found = sorted(
        (record[field], key)
        for key, record in table.items()
        if record[field] is not None and first <= record[field] <= last
    )
    return [key for _, key in found]


_RECORD = TypeVar("_RECORD")
_PERIOD = TypeVar("_PERIOD", bound=Callable[[Any, date, date], Any])


def _period(query: _PERIOD) -> _PERIOD:
    """
    A query over a period, answered once for each period and kept: a register never
    changes, and a year's figures are read again as the next year's comparison. The
    period's bounds are checked here, so the queries read them as dates.
    """
    name = query.__name__

    @functools.wraps(query)
    def read(self: Register, start: date, end: date) -> Any:
        key = (name, check_date(start, field="start"), check_date(end, field="end"))
        views = self._views
        if key not in views:
            views[key] = query(self, start, end)
        return views[key]

    return read  # type: ignore[return-value]


@attrs.frozen(eq=False)
class Register:
    """
    The state of a territory's programme after a number of events (*registre*).

    A register never changes: :meth:`apply` returns a new one. Its views (projects,
    advances, the fund…) are built when read. Two registers are equal when they hold the
    same state.

    .. versionadded:: 0.1.0
    """

    _state: FoldState
    _views: dict[object, object] = attrs.field(factory=dict, init=False, repr=False)

    @classmethod
    def empty(cls) -> Register:
        """The register before the first event."""
        return cls(FoldState())

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Register):
            return NotImplemented
        return self._state == other._state

    __hash__ = None  # type: ignore[assignment]

    @property
    def version(self) -> int:
        """The number of events folded (the id of the last one)."""
        return self._state.version

    @property
    def head(self) -> str:
        """The digest of the last event (hexadecimal); the first event chains from zeros."""
        return self._state.head.hex()

    @property
    def as_of(self) -> date | None:
        """The date of the last event, ``None`` before the first."""
        return to_date(self._state.last_on or None)

    @property
    @guard_readable
    def territory(self) -> TerritoryRecord | None:
        """The territory, once proposed."""
        t = self._state.territory
        if t is None:
            return None
        territory = t["territory"]
        operator = t["operator"]
        prefecture = t["prefecture"]
        return TerritoryRecord(
            Territory(
                territory["id"],
                territory["name"],
                communes=territory["communes"],
                departements=territory["departements"],
            ),
            LocalOperator(operator["id"], operator["name"], OperatorKind(operator["kind"])),
            PublicBody(prefecture["id"], prefecture["name"], PublicBodyKind(prefecture["kind"])),
            t["national_committee"],
            t["state_chair"],
            TerritoryStatus(t["status"]),
            date.fromisoformat(t["proposed_on"]),
            to_date(t["validated_on"]),
        )

    @property
    @guard_readable
    @_kept
    def settings(self) -> Settings:
        """
        The settings in force on any date: the national defaults and the territory's own,
        as adopted by :func:`~alize_core.commands.adopt_settings` (each from the day it was
        adopted until another value of that setting is).

        Commands read them on their date; nothing passes settings to a command.

        >>> from datetime import date
        >>> from alize_core.kernel.settings import QUORUM
        >>> Register.empty().settings.value(QUORUM, on=date(2026, 1, 1), territory="T1")
        1

        .. versionadded:: 0.1.0
        """
        t = self._state.territory
        adopted = () if t is None else t.get("settings", ())
        national = Settings.national().versions
        return Settings((*national, *(structure(v, SettingVersion) for v in adopted)))

    @property
    @guard_readable
    @_kept
    def conventions(self) -> tuple[TriennialConvention, ...]:
        """The triennial conventions signed, in order (CONV-01)."""
        return tuple(
            TriennialConvention(
                c[0],
                date.fromisoformat(c[1]),
                tuple(
                    PartnerCommitment(k["partner"], Decimal(k["yearly_amount"]), k["yearly_days"])
                    for k in c[3]
                ),
            )
            for c in self._state.conventions
        )

    @property
    @guard_readable
    @_kept
    def partners(self) -> Mapping[str, PartnerCompany]:
        """The partner companies, by id."""
        return MappingProxyType(
            {
                key: PartnerCompany(p["id"], p["name"], p["siren"], p["grants_subsidised_loans"])
                for key, p in self._state.partners.items()
            }
        )

    @guard_readable
    def get_person(self, person_id: str) -> Person | None:
        """A person known to the register, or ``None`` (:meth:`person` raises instead)."""
        p = self._state.people.get(person_id)
        if p is None:
            return None
        return Person(
            person_id,
            PersonRole(p[0]),
            p[1],
            p[2],
            to_enum(MentorCategory, p[3]),
            date.fromisoformat(p[4]),
        )

    def person(self, person_id: str) -> Person:
        """
        A person known to the register.

        Raises:
            UnknownRecord: The register knows no such person.
        """
        return _found(self.get_person(person_id), "person", person_id)

    @property
    @guard_readable
    @_kept
    def people(self) -> Mapping[str, Person]:
        """Everyone known to the register, by id (ids and roles only)."""
        return MappingProxyType({key: self.person(key) for key in self._state.people})

    @property
    @guard_readable
    @_kept
    def smes(self) -> Mapping[str, Sme]:
        """The SMEs registered, by SIREN."""
        return MappingProxyType({key: self.sme(key) for key in self._state.smes})

    @guard_readable
    def get_project(self, project_id: str) -> ProjectRecord | None:
        """A project and where it stands, or ``None`` (:meth:`project` raises instead)."""
        built = self._records("project")
        record = built.get(project_id)
        if record is not None:
            return cast("ProjectRecord", record)
        p = self._state.projects.get(project_id)
        if p is None:
            return None
        record = built[project_id] = project_record(project_id, p)
        return record

    def project(self, project_id: str) -> ProjectRecord:
        """
        A project and where it stands.

        Raises:
            UnknownRecord: The register has no such project.
        """
        return _found(self.get_project(project_id), "project", project_id)

    def _records(self, kind: str) -> dict[str, object]:
        """The records of one kind built so far (a register never changes: each is built once)."""
        return cast("dict[str, object]", self._views.setdefault(f"{kind}:", {}))

    @guard_readable
    @_period
    def projects_decided(self, start: date, end: date) -> tuple[ProjectRecord, ...]:
        """
        The projects decided from ``start`` to ``end`` included, in the order of their
        decision (then of their id): what an activity report lists (GOV-09).

        >>> Register.empty().projects_decided(date(2026, 1, 1), date(2026, 12, 31))
        ()

        .. versionadded:: 0.1.0
        """
        keys = _dated(self._state.projects, "decided_on", start, end)
        return tuple(self.project(key) for key in keys)

    def sme(self, siren: str) -> Sme:
        """
        An SME registered, by SIREN.

        Raises:
            UnknownRecord: The register has no such SME.

        .. versionadded:: 0.1.0
        """
        return _found(self.get_sme(siren), "sme", siren)

    @guard_readable
    def get_sme(self, siren: str) -> Sme | None:
        """
        An SME registered, by SIREN, or ``None`` (:meth:`sme` raises instead).

        .. versionadded:: 0.1.0
        """
        built = self._records("sme")
        record = built.get(siren)
        if record is None:
            s = self._state.smes.get(siren)
            if s is None:
                return None
            record = built[siren] = sme_record(s)
        return cast("Sme", record)

    @guard_readable
    @_period
    def sessions_held(self, start: date, end: date) -> tuple[SessionRecord, ...]:
        """
        The committee sessions dated from ``start`` to ``end`` included, in date order
        (then by id).

        >>> Register.empty().sessions_held(date(2026, 1, 1), date(2026, 12, 31))
        ()

        .. versionadded:: 0.1.0
        """
        return tuple(self.session(key) for key in _dated(self._state.sessions, "date", start, end))

    @property
    @guard_readable
    @_kept
    def projects(self) -> Mapping[str, ProjectRecord]:
        """Every project, by id."""
        return MappingProxyType({key: self.project(key) for key in self._state.projects})

    def session(self, session_id: str) -> SessionRecord:
        """
        A committee session.

        Raises:
            UnknownRecord: The register has no such session.
        """
        return _found(self.get_session(session_id), "session", session_id)

    @guard_readable
    def get_session(self, session_id: str) -> SessionRecord | None:
        """A committee session, or ``None`` (:meth:`session` raises instead)."""
        s = self._state.sessions.get(session_id)
        if s is None:
            return None
        return SessionRecord(
            session_id,
            date.fromisoformat(s["date"]),
            tuple(agenda_entry(e) for e in s["agenda"]),
            tuple(s["attendees"]),
            s["president"],
            tuple((g["person"], tuple(g["projects"])) for g in s["presenters"]),
            tuple((b[0], b[1], b[2]) for b in s["ballots"]),
            s["opened"],
            s["closed"],
            s["valid"],
        )

    @property
    @guard_readable
    @_kept
    def sessions(self) -> Mapping[str, SessionRecord]:
        """Every session, by id."""
        return MappingProxyType({key: self.session(key) for key in self._state.sessions})

    def advance(self, project: str) -> AdvanceRecord:
        """
        The advance granted to a project.

        Raises:
            UnknownRecord: The project has no advance (the record kind named is ``advance``).
        """
        return _found(self.get_advance(project), "advance", project)

    @guard_readable
    def get_advance(self, project: str) -> AdvanceRecord | None:
        """The advance granted to a project, or ``None`` (:meth:`advance` raises instead)."""
        a = self._state.advances.get(project)
        return None if a is None else advance_record(project, a)

    @property
    @guard_readable
    @_kept
    def advances(self) -> Mapping[str, AdvanceRecord]:
        """Every advance, by project."""
        return MappingProxyType(
            {key: advance_record(key, a) for key, a in self._state.advances.items()}
        )

    @guard_readable
    def portfolio(self, on: date) -> Portfolio:
        """
        Every advance revalued on a date on or after the register's: what fell due
        (SCH-02, SCH-04), what is unpaid and for how long (SCH-06), and the fund's
        position (FUND-05). Each advance is valued by its life
        (:meth:`alize_core.lending.life.AdvanceLife.position`), in whole cents, a few
        microseconds an advance, without building the schedules' rows.

        Raises:
            CommandRefused: The date is before the register's last event (replay the
                register to that date first, with :func:`alize_core.register.replay.replay.register_at`).
        """
        if self.as_of is not None and on < self.as_of:
            msg = f"is before the register's last event ({self.as_of.isoformat()})"
            raise CommandRefused("on", on, msg)
        valued = [
            value(key, a[A_STATUS], advance_life(a), on)
            for key, a in sorted(self._state.advances.items())
        ]
        return Portfolio(on, attrs.evolve(self.fund, on=on), tuple(valued))

    @property
    @guard_readable
    @_kept
    def accounts(self) -> Mapping[str, PartnerAccount]:
        """Each partner's contributions, by partner (FUND-01)."""
        return MappingProxyType(
            {
                key: PartnerAccount(key, from_cents(a[0]), from_cents(a[1]))
                for key, a in self._state.accounts.items()
            }
        )

    @property
    @guard_readable
    def fund(self) -> FundPosition:
        """The fund on the date of the last event (FUND-05, OP-01)."""
        return fund_position(self._state)

    def mission(self, mission_id: str) -> MissionRecord:
        """
        A mission and its meetings.

        Raises:
            UnknownRecord: The register has no such mission.
        """
        return _found(self.get_mission(mission_id), "mission", mission_id)

    @guard_readable
    def get_mission(self, mission_id: str) -> MissionRecord | None:
        """A mission and its meetings, or ``None`` (:meth:`mission` raises instead)."""
        m = self._state.missions.get(mission_id)
        if m is None:
            return None
        data = m[0]
        mission = Mission(
            data["id"],
            data["project"],
            data["mentor"],
            data["partner"],
            data["days_per_year"],
            data["problem"],
            SupportKind(data["kind"]),
        )
        return MissionRecord(
            mission, date.fromisoformat(m[1]), tuple(date.fromisoformat(d) for d in m[2])
        )

    @guard_readable
    @_period
    def missions_under_way(self, start: date, end: date) -> tuple[MissionRecord, ...]:
        """
        The missions granted by ``end`` whose project was not closed before ``start``, in
        the order granted: the support a period's report counts (ACC-02, ACC-05).

        >>> Register.empty().missions_under_way(date(2026, 1, 1), date(2026, 12, 31))
        ()

        .. versionadded:: 0.1.0
        """
        first, last = start.isoformat(), end.isoformat()
        projects = self._state.projects
        found = []
        for key, m in self._state.missions.items():
            project = projects.get(m[0]["project"])
            closed_on = None if project is None else project["closed_on"]
            if m[1] <= last and (closed_on is None or closed_on >= first):
                found.append(self.mission(key))
        return tuple(found)

    @property
    @guard_readable
    @_kept
    def missions(self) -> Mapping[str, MissionRecord]:
        """Every mission and other form of support, by id (ACC-02, ACC-05)."""
        return MappingProxyType({key: self.mission(key) for key in self._state.missions})

    @property
    @guard_readable
    @_kept
    def time_entries(self) -> tuple[TimeEntry, ...]:
        """The time members logged (GOV-08), for valuation (ACC-06)."""
        return tuple(time_entry(*entry) for entry in self._state.time)

    @guard_readable
    @_period
    def time_logged(self, start: date, end: date) -> tuple[TimeEntry, ...]:
        """
        The time members logged for days from ``start`` to ``end`` included, in the
        order logged (GOV-08): what a period's skills contribution values (ACC-06).

        >>> Register.empty().time_logged(date(2026, 1, 1), date(2026, 12, 31))
        ()

        .. versionadded:: 0.1.0
        """
        first, last = start.isoformat(), end.isoformat()
        return tuple(time_entry(*entry) for entry in self._state.time if first <= entry[2] <= last)

    @property
    @guard_readable
    def reviews(self) -> tuple[Review, ...]:
        """The reviews signed off by the steering committee's chair (PIL-01, PIL-03)."""
        return tuple(Review(y, date.fromisoformat(on), who) for y, on, who in self._state.reviews)

    @property
    @guard_readable
    def flags(self) -> tuple[Finding, ...]:
        """Activity dated outside every convention in force (CONV-01)."""
        return tuple(
            Finding(event, date.fromisoformat(on), kind, rule, _OUTSIDE)
            for event, on, kind, rule in self._state.flags
        )

    @property
    @guard_readable
    def problems(self) -> tuple[Finding, ...]:
        """What a journal written by other means holds that commands never write."""
        return tuple(
            Finding(event, date.fromisoformat(on), kind, rule, text)
            for event, on, kind, rule, text in self._state.problems
        )

    @guard_readable
    def snapshot(self) -> bytes:
        """
        The register in a compact form (JSON) to rebuild it from without replaying its events.

        The document holds its format, the SHA-256 digest of its state, and the state;
        :meth:`from_snapshot` refuses one whose state does not match its digest.

        >>> Register.from_snapshot(Register.empty().snapshot()) == Register.empty()
        True
        """
        body = dump_json(self._state.to_data()).encode()
        digest = hashlib.sha256(body).hexdigest().encode()
        return SNAPSHOT_HEAD + digest + b'","state":' + body + b"}"

    @classmethod
    def from_snapshot(cls, data: bytes) -> Register:
        """
        A register from :meth:`snapshot`.

        Raises:
            MalformedInput: The data is not a snapshot of this format.
        """
        return cls(FoldState.from_snapshot(data))

    def thaw(self) -> FoldState:
        """A private, changeable copy of the state (low level, used by the journal)."""
        return self._state.copy()

    def apply(self, events: Iterable[Storable]) -> Register:
        """
        The register after these events, which must follow its last one.

        Raises:
            IntegrityError: The events do not follow the register's chain.
        """
        state = self.thaw()
        fold_rows(state, (event.row() for event in events))
        return Register(state)


def _found(record: _RECORD | None, kind: str, key: str) -> _RECORD:
    """A lookup's record, or :class:`UnknownRecord` naming its kind and id: each ``x(id)``
    of the register is its ``get_x(id)`` that raises instead of giving ``None``."""
    if record is None:
        raise UnknownRecord(kind, key)
    return record


class Storable(Protocol):
    def row(self) -> StoredEvent: ...
