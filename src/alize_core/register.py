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
alize_core.errors.CommandRefused: project: 'P1' is not a project of the register

Events are added with :func:`alize_core.journal.register_at` or :meth:`Register.apply`;
see :mod:`alize_core.journal` for a whole story.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, Final, Protocol, TypeAlias, TypeVar, cast

import attrs
from dateutil.relativedelta import relativedelta

from ._months import add_months, periods_elapsed
from .accompaniment import MentorCategory, Mission, SupportKind, TimeEntry
from .conventions import (
    CONVENTION_YEARS,
    CooperationAgreement,
    PartnerCommitment,
    TerritoryStatus,
    TriennialConvention,
)
from .decisions import Outcome
from .errors import (
    AlizeError,
    CommandRefused,
    IntegrityError,
    InvalidValue,
    MalformedInput,
    shown,
)
from .fund import AdvanceValuation, FundPosition, Portfolio
from .model import (
    LocalOperator,
    OperatorKind,
    PartnerCompany,
    Project,
    PublicBody,
    PublicBodyKind,
    Sme,
    Territory,
)
from .money import ZERO, Rounding, from_cents, quantize, to_money
from .schedules import Frequency, _equal_split
from .validation import check_count, check_date, check_id, checked, optional


__all__ = [
    "GENESIS",
    "SNAPSHOT_FORMAT",
    "AdvanceRecord",
    "AdvanceRescheduling",
    "AdvanceStatus",
    "AgendaEntry",
    "EventKind",
    "Finding",
    "MissionRecord",
    "PartnerAccount",
    "Person",
    "PersonRole",
    "ProjectRecord",
    "ProjectStatus",
    "Register",
    "Replay",
    "Review",
    "SessionRecord",
    "StoredEvent",
    "TerritoryRecord",
    "replay",
]

StoredEvent: TypeAlias = tuple[int, bytes, bytes]
"""An event as a store keeps it: ``(id, body, digest)``; the body is the JSON the digest covers."""

GENESIS: Final = bytes(32)
"""The digest the first event of every journal chains from (32 zero bytes)."""

SNAPSHOT_FORMAT: Final = "alize.register/1"
"""The version of the snapshot form written by :meth:`Register.snapshot`."""

_SNAPSHOT_HEAD: Final = b'{"format":"' + SNAPSHOT_FORMAT.encode() + b'","digest":"'
_SNAPSHOT_BODY: Final = len(_SNAPSHOT_HEAD) + 64 + len(b'","state":')


class EventKind(enum.StrEnum):
    """
    What an event records (*nature de l'événement*); the journal's payload for each kind
    is a class of :mod:`alize_core.journal`.

    .. versionadded:: 0.1.0
    """

    TERRITORY_PROPOSED = "territory_proposed"
    TERRITORY_VALIDATED = "territory_validated"
    PARTNER_ADMITTED = "partner_admitted"
    PERSON_ENROLLED = "person_enrolled"
    PERSON_UPDATED = "person_updated"
    CONVENTION_SIGNED = "convention_signed"
    SME_REGISTERED = "sme_registered"
    PROJECT_IDENTIFIED = "project_identified"
    FILE_VALIDATED = "file_validated"
    SESSION_CONVENED = "session_convened"
    SESSION_OPENED = "session_opened"
    VOTE_CAST = "vote_cast"
    SESSION_CLOSED = "session_closed"
    AGREEMENT_SIGNED = "agreement_signed"
    ADVANCE_DISBURSED = "advance_disbursed"
    ADVANCE_RESCHEDULED = "advance_rescheduled"
    REPAYMENT_RECEIVED = "repayment_received"
    STATEMENT_RECEIVED = "statement_received"
    ADVANCE_DEFAULTED = "advance_defaulted"
    ADVANCE_WRITTEN_OFF = "advance_written_off"
    RECOVERY_RECEIVED = "recovery_received"
    CONTRIBUTION_CALLED = "contribution_called"
    CONTRIBUTION_RECEIVED = "contribution_received"
    FEE_PAID = "fee_paid"
    MISSION_GRANTED = "mission_granted"
    MEETING_LOGGED = "meeting_logged"
    TIME_LOGGED = "time_logged"
    PROJECT_CLOSED = "project_closed"
    REVIEW_SIGNED_OFF = "review_signed_off"


_SETUP_KINDS: Final = frozenset(
    {
        EventKind.TERRITORY_PROPOSED,
        EventKind.TERRITORY_VALIDATED,
        EventKind.PARTNER_ADMITTED,
        EventKind.PERSON_ENROLLED,
        EventKind.PERSON_UPDATED,
        EventKind.CONVENTION_SIGNED,
        EventKind.SME_REGISTERED,
    }
)
"""Kinds that set the programme up: never flagged as activity outside a convention."""


class PersonRole(enum.StrEnum):
    """
    In what capacity a person takes part in the programme (*qualité*).

    .. versionadded:: 0.1.0
    """

    OPERATOR_STAFF = "operator_staff"
    """Staff of the local operator (*opérateur local*, OP-01…03)."""
    COMPANY_REPRESENTATIVE = "company_representative"
    """A partner company's representative (*représentant d'entreprise*): votes (GOV-02)."""
    MENTOR = "mentor"
    """An executive or technician of a partner company lent to SMEs (*intervenant*, ACC-01)."""
    STATE_REPRESENTATIVE = "state_representative"
    """The prefecture's or sub-prefecture's representative, who chairs the steering committee (PIL-01)."""
    NATIONAL_COMMITTEE = "national_committee"
    """The national committee, which validates territories (NAT-01)."""
    RELAY_STRUCTURE = "relay_structure"
    """A relay structure that presents files (*structure relais*, GOV-07)."""
    OTHER_SCHEME = "other_scheme"
    """Another support scheme that presents files (*autre dispositif*, GOV-07)."""
    PUBLIC_BODY = "public_body"
    """A public body attending without a vote (*collectivité*, GOV-02)."""
    SME_CONTACT = "sme_contact"
    """A head or contact of a supported SME (*dirigeant de PME*)."""

    @property
    def french(self) -> str:
        """The role in French."""
        return _ROLE_FRENCH[self]


_ROLE_FRENCH: Final = {
    PersonRole.OPERATOR_STAFF: "membre de l'opérateur local",
    PersonRole.COMPANY_REPRESENTATIVE: "représentant d'entreprise partenaire",
    PersonRole.MENTOR: "intervenant d'entreprise partenaire",
    PersonRole.STATE_REPRESENTATIVE: "représentant de l'État",
    PersonRole.NATIONAL_COMMITTEE: "comité national",
    PersonRole.RELAY_STRUCTURE: "structure relais",
    PersonRole.OTHER_SCHEME: "autre dispositif",
    PersonRole.PUBLIC_BODY: "organisme public",
    PersonRole.SME_CONTACT: "dirigeant de PME",
}


class ProjectStatus(enum.StrEnum):
    """
    Where a project stands in its lifecycle (*état du projet*).

    identified → validated (OP-03) → on an agenda → adopted or rejected (GOV-01) →
    agreement signed (CONV-02) → accompanied → closed. A project not examined at a
    session goes back to *validated*.

    .. versionadded:: 0.1.0
    """

    IDENTIFIED = "identified"
    VALIDATED = "validated"
    ON_AGENDA = "on_agenda"
    ADOPTED = "adopted"
    REJECTED = "rejected"
    AGREEMENT_SIGNED = "agreement_signed"
    ACCOMPANIED = "accompanied"
    CLOSED = "closed"


class AdvanceStatus(enum.StrEnum):
    """
    Where a repayable advance stands (*état de l'avance*).

    .. versionadded:: 0.1.0
    """

    COMMITTED = "committed"
    """Approved, not yet paid out (*engagée*)."""
    DISBURSED = "disbursed"
    """Paid out and being repaid (*versée*)."""
    REPAID = "repaid"
    """Fully repaid (*remboursée*)."""
    DEFAULTED = "defaulted"
    """In default (*en défaut*, SCH-06)."""
    WRITTEN_OFF = "written_off"
    """Written off (*passée en perte*)."""


# --- The fold's own state: plain lists and dicts, JSON-ready, never shared once frozen. ---

# Fund totals, in cents, by index.
F_CALLED, F_RECEIVED, F_COMMITTED, F_DISBURSED, F_REPAID = 0, 1, 2, 3, 4
F_WRITTEN_OFF, F_RECOVERED, F_FEES, F_CASH, F_OUTSTANDING = 5, 6, 7, 8, 9
_FUND_NAMES: Final = (
    "contributions_called",
    "contributions_received",
    "committed",
    "disbursed",
    "repaid",
    "written_off",
    "recovered",
    "fees",
    "cash",
    "outstanding",
)

# An advance, by index.
A_GRANTED, A_COMMITTED, A_DISBURSED, A_REPAID, A_WRITTEN_OFF, A_RECOVERED = 0, 1, 2, 3, 4, 5
A_STATUS, A_COMMITTED_ON, A_DISBURSED_ON, A_TERMS, A_PAYMENTS, A_DEFAULTED_ON = 6, 7, 8, 9, 10, 11
A_SESSION = 12

# An advance's terms (A_TERMS): [instalments, frequency, deferral] as agreed at disbursement,
# then, once the rounding is not half up or the advance was rescheduled, its rounding
# (SCH-01) and one [date, instalments, frequency, deferral, payments before, outstanding
# in cents] for each rescheduling (SCH-05).
T_ROUNDING, T_CHANGES = 3, 4
_HALF_UP: Final = Rounding.HALF_UP.value

Payload = dict[str, Any]


def _refuse_float(text: str) -> object:
    raise ValueError(f"{text} is a number with decimals; the journal writes amounts as text")


_DECODER: Final = json.JSONDecoder(parse_float=_refuse_float, parse_constant=_refuse_float)
_ENCODER: Final = json.JSONEncoder(separators=(",", ":"), allow_nan=False)

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
    encode = _ENCODER.encode
    return compose_body(
        event_id, kind, on, encode(actor), rules=",".join(rules), payload=encode(payload)
    )


def compose_body(
    event_id: int, kind: str, on: str, actor: str, *, rules: str, payload: str
) -> bytes:
    """
    A body from its fields already written: the actor and payload as JSON, the rule ids
    joined by commas (low level: :func:`alize_core.journal.seal_rows` writes each actor
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
        _actor(actor),
        tuple(rules.decode().split(",")) if rules else (),
        payload,
    )


def _actor(raw: bytes) -> str:
    if raw[:1] == b'"' and raw[-1:] == b'"' and b"\\" not in raw:
        return raw[1:-1].decode()
    actor = _DECODER.decode(raw.decode())
    if not isinstance(actor, str):
        raise ValueError("the actor is not text")
    return actor


def _payload(raw: bytes) -> Payload:
    payload = _DECODER.decode(raw.decode())
    if not isinstance(payload, dict):
        raise ValueError("the payload is not an object")
    return payload


_SHAPES: Final[Mapping[str, type | tuple[type, ...]]] = {
    "version": int,
    "head": str,
    "last_on": str,
    "territory": (dict, type(None)),
    "conventions": list,
    "partners": dict,
    "people": dict,
    "smes": dict,
    "projects": dict,
    "sessions": dict,
    "advances": dict,
    "accounts": dict,
    "fund": list,
    "missions": dict,
    "time": list,
    "reviews": list,
    "flags": list,
    "problems": list,
}
"""The container each part of a register's state is kept in (checked when a snapshot is read)."""

_VIEW = TypeVar("_VIEW", bound=Callable[..., Any])


def _readable(view: _VIEW) -> _VIEW:
    """
    A view of the register that turns data it cannot read back (written by another
    program, or a forged snapshot) into :class:`~alize_core.errors.MalformedInput`.
    """

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except AlizeError:
            raise
        except (
            KeyError,
            TypeError,
            ValueError,
            IndexError,
            AttributeError,
            UnicodeError,
            ArithmeticError,  # decimal.InvalidOperation: an amount that is not a number
        ) as exc:
            msg = f"holds data alize cannot read back ({type(exc).__name__}: {exc}); run `alize check`"
            raise MalformedInput("register", msg) from None

    return guarded  # type: ignore[return-value]


class _State:
    """The mutable accumulator of a fold; a :class:`Register` wraps one that no longer changes."""

    __slots__ = (
        "accounts",
        "advances",
        "conventions",
        "flags",
        "fund",
        "head",
        "last_on",
        "missions",
        "partners",
        "people",
        "problems",
        "projects",
        "reviews",
        "sessions",
        "smes",
        "territory",
        "time",
        "version",
    )

    def __init__(self) -> None:
        self.version = 0
        self.head = GENESIS
        self.last_on: str = ""
        self.territory: Payload | None = None
        self.conventions: list[list[Any]] = []
        self.partners: dict[str, Payload] = {}
        self.people: dict[str, list[Any]] = {}
        self.smes: dict[str, Payload] = {}
        self.projects: dict[str, Payload] = {}
        self.sessions: dict[str, Payload] = {}
        self.advances: dict[str, list[Any]] = {}
        self.accounts: dict[str, list[int]] = {}
        self.fund = [0] * 10
        self.missions: dict[str, list[Any]] = {}
        self.time: list[list[Any]] = []
        self.reviews: list[list[Any]] = []
        self.flags: list[list[Any]] = []
        self.problems: list[list[Any]] = []

    def to_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__slots__}
        data["head"] = self.head.hex()
        return data

    @classmethod
    def from_data(cls, data: object) -> _State:
        if not isinstance(data, dict) or set(data) != set(cls.__slots__):
            raise MalformedInput("snapshot", "does not hold a register's state")
        state = cls()
        for name in cls.__slots__:
            value = data[name]
            expected = _SHAPES[name]
            if not isinstance(value, expected) or isinstance(value, bool):
                raise MalformedInput(f"snapshot.{name}", "does not have the expected shape")
            setattr(state, name, value)
        try:
            state.head = bytes.fromhex(data["head"])
        except (TypeError, ValueError):
            raise MalformedInput("snapshot.head", "is not a digest", data["head"]) from None
        if len(state.head) != 32:
            raise MalformedInput("snapshot.head", "is not a digest", data["head"])
        fund: list[Any] = data["fund"]
        if len(fund) != len(_FUND_NAMES) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in fund
        ):
            raise MalformedInput("snapshot.fund", "does not hold the fund's totals")
        conventions: list[Any] = data["conventions"]
        if not all(
            isinstance(c, list) and len(c) == 5 and isinstance(c[1], str) and isinstance(c[2], str)
            for c in conventions
        ):
            raise MalformedInput("snapshot.conventions", "does not hold conventions")
        return state

    @classmethod
    def from_snapshot(cls, data: bytes) -> _State:
        if not isinstance(data, bytes):
            raise MalformedInput("snapshot", "is not bytes")
        head, digest, body = (
            data[: len(_SNAPSHOT_HEAD)],
            data[len(_SNAPSHOT_HEAD) : _SNAPSHOT_BODY],
            data[_SNAPSHOT_BODY:-1],
        )
        if (
            head != _SNAPSHOT_HEAD
            or data[_SNAPSHOT_BODY - 10 : _SNAPSHOT_BODY] != b'","state":'
            or data[-1:] != b"}"
        ):
            raise MalformedInput("snapshot.format", f"is not {SNAPSHOT_FORMAT}")
        if hashlib.sha256(body).hexdigest().encode() != digest[:64]:
            raise MalformedInput(
                "snapshot.digest", "does not match the snapshot's state: it was altered"
            )
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):
            raise MalformedInput("snapshot", "is not JSON") from None
        state = cls.from_data(document)
        try:
            for advance in state.advances.values():
                advance[A_PAYMENTS] = [(on, amount) for on, amount in advance[A_PAYMENTS]]
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            raise MalformedInput("snapshot.advances", "does not hold advances") from None
        return state

    def copy(self) -> _State:
        """A copy whose containers the fold may change without touching this one."""
        copy = _State()
        copy.version = self.version
        copy.head = self.head
        copy.last_on = self.last_on
        copy.territory = None if self.territory is None else dict(self.territory)
        copy.conventions = list(self.conventions)
        copy.partners = dict(self.partners)
        copy.people = {key: list(person) for key, person in self.people.items()}
        copy.smes = dict(self.smes)
        copy.projects = {key: dict(project) for key, project in self.projects.items()}
        copy.sessions = {
            key: {**session, "ballots": list(session["ballots"])}
            for key, session in self.sessions.items()
        }
        advances = {}
        for key, advance in self.advances.items():
            copied = list(advance)
            copied[A_PAYMENTS] = list(advance[A_PAYMENTS])
            advances[key] = copied
        copy.advances = advances
        copy.accounts = {key: list(account) for key, account in self.accounts.items()}
        copy.fund = list(self.fund)
        copy.missions = {key: [m[0], m[1], list(m[2])] for key, m in self.missions.items()}
        copy.time = list(self.time)
        copy.reviews = list(self.reviews)
        copy.flags = list(self.flags)
        copy.problems = list(self.problems)
        return copy

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _State):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def covered(self, on: str) -> bool:
        return any(c[1] <= on < c[2] for c in self.conventions)

    def problem(self, event: int, on: str, kind: str, rule: str, text: str) -> None:
        self.problems.append([event, on, kind, rule, text])


def cents(text: object) -> int:
    """
    An amount written by the journal (``"1234.50"``) as whole cents.

    >>> cents("1234.50"), cents("7")
    (123450, 700)
    >>> cents("0.005")
    Traceback (most recent call last):
    ...
    ValueError: '0.005' is not an amount in whole cents
    >>> cents("\u0663.50")
    Traceback (most recent call last):
    ...
    ValueError: '٣.50' is not an amount in whole cents

    .. versionadded:: 0.1.0
    """
    if isinstance(text, str) and text.isascii():
        if text[-3:-2] == "." and text[:-3].isdigit() and text[-2:].isdigit():
            return int(text[:-3] + text[-2:])
        try:
            value = Decimal(text).scaleb(2)
        except InvalidOperation:
            value = Decimal("NaN")
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
    msg = f"{shown(text)} is not an amount in whole cents"
    raise ValueError(msg)


# --- Handlers: one per kind, (state, event id, ISO date, actor, payload). ---

Handler = Callable[[_State, int, str, str, Payload], None]


def _unknown(s: _State, n: int, on: str, kind: str, *, what: str, key: object) -> None:
    s.problem(n, on, kind, "", f"refers to an unknown {what} {shown(key)}")


def _find(
    s: _State, n: int, on: str, kind: str, *, table: Mapping[str, Any], what: str, key: str
) -> Any:
    """The record of a key, or ``None`` with a problem recorded for the event."""
    found = table.get(key)
    if found is None:
        _unknown(s, n, on, kind, what=what, key=key)
    return found


def _territory_proposed(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    s.territory = {
        "territory": p["territory"],
        "operator": p["operator"],
        "prefecture": p["prefecture"],
        "national_committee": p["national_committee"],
        "state_chair": p["state_chair"],
        "status": TerritoryStatus.PROPOSED.value,
        "proposed_on": on,
        "validated_on": None,
    }
    operator_id = p["operator"]["id"]
    s.people[actor] = [PersonRole.OPERATOR_STAFF.value, operator_id, True, None, on]
    s.people[p["national_committee"]] = [PersonRole.NATIONAL_COMMITTEE.value, "", True, None, on]
    prefecture_id = p["prefecture"]["id"]
    s.people[p["state_chair"]] = [
        PersonRole.STATE_REPRESENTATIVE.value,
        prefecture_id,
        True,
        None,
        on,
    ]


def _territory_validated(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    if s.territory is None:
        _unknown(s, n, on, EventKind.TERRITORY_VALIDATED, what="territory", key=None)
        return
    s.territory["status"] = TerritoryStatus.VALIDATED.value
    s.territory["validated_on"] = on


def _partner_admitted(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    partner = p["partner"]
    s.partners[partner["id"]] = partner
    s.accounts.setdefault(partner["id"], [0, 0])


def _person_enrolled(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    s.people[p["person"]] = [p["role"], p["organisation"], p["in_activity"], p["category"], on]


def _person_updated(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    person = s.people.get(p["person"])
    if person is None:
        _unknown(s, n, on, EventKind.PERSON_UPDATED, what="person", key=p["person"])
        return
    person[2] = p["in_activity"]


def _convention_signed(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    c = p["convention"]
    end = date.fromisoformat(c["start"]) + relativedelta(years=CONVENTION_YEARS)
    s.conventions.append([c["id"], c["start"], end.isoformat(), c["commitments"], on])


def _sme_registered(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    s.smes[p["sme"]["siren"]] = p["sme"]


def _project_identified(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    project = p["project"]
    s.projects[project["id"]] = {
        "project": project,
        "status": ProjectStatus.IDENTIFIED.value,
        "identified_on": on,
        "validated_on": None,
        "session": None,
        "decided_on": None,
        "outcome": None,
        "means": None,
        "agreement": None,
        "closed_on": None,
    }


def _file_validated(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    project = _find(
        s, n, on, EventKind.FILE_VALIDATED, table=s.projects, what="project", key=p["project"]
    )
    if project is not None:
        project["status"] = ProjectStatus.VALIDATED.value
        project["validated_on"] = on


def _session_convened(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    s.sessions[p["session"]] = {
        "date": p["session_date"],
        "agenda": p["agenda"],
        "convened_on": on,
        "attendees": [],
        "president": None,
        "presenters": [],
        "ballots": [],
        "opened": False,
        "closed": False,
        "valid": None,
    }
    for entry in p["agenda"]:
        project = _find(
            s,
            n,
            on,
            EventKind.SESSION_CONVENED,
            table=s.projects,
            what="project",
            key=entry["project"],
        )
        if project is not None:
            project["status"] = ProjectStatus.ON_AGENDA.value
            project["session"] = p["session"]


def _session_opened(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    session = _find(
        s, n, on, EventKind.SESSION_OPENED, table=s.sessions, what="session", key=p["session"]
    )
    if session is not None:
        session["attendees"] = p["attendees"]
        session["president"] = p["president"]
        session["presenters"] = p["presenters"]
        session["opened"] = True


def _vote_cast(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    session = _find(
        s, n, on, EventKind.VOTE_CAST, table=s.sessions, what="session", key=p["session"]
    )
    if session is not None:
        session["ballots"].append([p["project"], actor, p["ballot"]])


def _session_closed(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    session = _find(
        s, n, on, EventKind.SESSION_CLOSED, table=s.sessions, what="session", key=p["session"]
    )
    if session is None:
        return
    session["closed"] = True
    session["valid"] = p["valid"]
    agenda = {entry["project"]: entry for entry in session["agenda"]}
    fund = s.fund
    for item in p["decisions"]:
        key = item["project"]
        project = _find(
            s, n, on, EventKind.SESSION_CLOSED, table=s.projects, what="project", key=key
        )
        if project is None:
            continue
        outcome = item["outcome"]
        project["outcome"] = outcome
        project["decided_on"] = on
        if outcome == Outcome.NOT_EXAMINED.value:
            project["status"] = ProjectStatus.VALIDATED.value
            continue
        if outcome != Outcome.ADOPTED.value:
            project["status"] = ProjectStatus.REJECTED.value
            continue
        project["status"] = ProjectStatus.ADOPTED.value
        entry = agenda.get(key)
        if entry is None:
            _unknown(s, n, on, EventKind.SESSION_CLOSED, what="agenda item", key=key)
            continue
        project["means"] = entry
        amount = cents(entry["advance"])
        if amount:
            s.advances[key] = [
                amount,
                amount,
                0,
                0,
                0,
                0,
                AdvanceStatus.COMMITTED.value,
                on,
                None,
                None,
                [],
                None,
                p["session"],
            ]
            fund[F_COMMITTED] += amount


def _agreement_signed(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    project = _find(
        s, n, on, EventKind.AGREEMENT_SIGNED, table=s.projects, what="project", key=p["project"]
    )
    if project is not None:
        project["agreement"] = [p["agreement"], on]
        project["status"] = ProjectStatus.AGREEMENT_SIGNED.value


def _check_fund(s: _State, n: int, on: str, kind: str) -> None:
    f = s.fund
    if (
        f[F_CASH] != f[F_RECEIVED] + f[F_REPAID] + f[F_RECOVERED] - f[F_DISBURSED] - f[F_FEES]
        or f[F_OUTSTANDING] != f[F_DISBURSED] - f[F_REPAID] - f[F_WRITTEN_OFF]
        or f[F_CASH] < 0
        or f[F_COMMITTED] < 0
    ):
        _fund_problems(s, n, on, kind)


def _fund_problems(s: _State, n: int, on: str, kind: str) -> None:
    f = s.fund
    cash = f[F_RECEIVED] + f[F_REPAID] + f[F_RECOVERED] - f[F_DISBURSED] - f[F_FEES]
    outstanding = f[F_DISBURSED] - f[F_REPAID] - f[F_WRITTEN_OFF]
    if f[F_CASH] != cash or f[F_OUTSTANDING] != outstanding:
        s.problem(n, on, kind, "FUND-05", "the fund no longer balances")
    for index, name in ((F_CASH, "cash"), (F_COMMITTED, "committed")):
        if f[index] < 0:
            amount = from_cents(f[index])
            s.problem(n, on, kind, "FUND-05", f"the fund's {name} is negative ({amount} €)")


def _advance_bounds(s: _State, n: int, on: str, kind: str, *, key: str, a: list[Any]) -> None:
    if a[A_REPAID] + a[A_WRITTEN_OFF] <= a[A_DISBURSED] and a[A_RECOVERED] <= a[A_WRITTEN_OFF]:
        return
    if a[A_REPAID] + a[A_WRITTEN_OFF] > a[A_DISBURSED]:
        over = from_cents(a[A_REPAID] + a[A_WRITTEN_OFF] - a[A_DISBURSED])
        text = f"advance {key} is repaid or written off beyond what was paid out (by {over} €)"
        s.problem(n, on, kind, "FUND-02", text)
    if a[A_RECOVERED] > a[A_WRITTEN_OFF]:
        over = from_cents(a[A_RECOVERED] - a[A_WRITTEN_OFF])
        s.problem(n, on, kind, "FUND-02", f"advance {key} recovers more than was lost ({over} €)")


def _advance_disbursed(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    key = p["project"]
    kind = EventKind.ADVANCE_DISBURSED
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    amount = cents(p["amount"])
    f = s.fund
    released = a[A_COMMITTED]
    f[F_COMMITTED] -= released
    a[A_COMMITTED] = 0
    a[A_DISBURSED] += amount
    a[A_STATUS] = AdvanceStatus.DISBURSED.value
    a[A_DISBURSED_ON] = on
    rounding = p.get("rounding", _HALF_UP)
    terms = [p["instalments"], p["frequency"], p["deferral"]]
    a[A_TERMS] = terms if rounding == _HALF_UP else [*terms, rounding]
    f[F_DISBURSED] += amount
    f[F_OUTSTANDING] += amount
    f[F_CASH] -= amount
    if amount > released:
        over = from_cents(amount - released)
        s.problem(n, on, kind, "FUND-04", f"advance {key} pays out {over} € beyond its commitment")
    project = s.projects.get(key)
    if project is not None:
        project["status"] = ProjectStatus.ACCOMPANIED.value
    _check_fund(s, n, on, kind)


def _advance_rescheduled(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    """
    A rescheduling (SCH-05): the outstanding is spread over new terms from ``on``; the
    earlier terms stay, with the number of payments made under them. The terms' list is
    replaced, never changed in place (registers share it until it changes).
    """
    key = p["project"]
    kind = EventKind.ADVANCE_RESCHEDULED
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    terms = a[A_TERMS]
    if terms is None or a[A_STATUS] != AdvanceStatus.DISBURSED.value:
        s.problem(n, on, kind, "SCH-05", f"advance {key} is rescheduled while {a[A_STATUS]}")
        return
    outstanding = a[A_DISBURSED] - a[A_REPAID] - a[A_WRITTEN_OFF]
    change = [on, p["instalments"], p["frequency"], p["deferral"], len(a[A_PAYMENTS]), outstanding]
    rounding = terms[T_ROUNDING] if len(terms) > T_ROUNDING else _HALF_UP
    a[A_TERMS] = [*terms[:T_ROUNDING], rounding, *terms[T_CHANGES:], change]


def _repay(s: _State, n: int, on: str, kind: str, *, key: str, amount: int) -> None:
    a = s.advances.get(key)
    if a is None:
        _unknown(s, n, on, kind, what="advance", key=key)
        return
    a[A_REPAID] += amount
    a[A_PAYMENTS].append((on, amount))
    f = s.fund
    f[F_REPAID] += amount
    f[F_CASH] += amount
    f[F_OUTSTANDING] -= amount
    if a[A_REPAID] + a[A_WRITTEN_OFF] >= a[A_DISBURSED]:
        if a[A_STATUS] in _ACTIVE:
            a[A_STATUS] = AdvanceStatus.REPAID.value
        _advance_bounds(s, n, on, kind, key=key, a=a)


_ACTIVE: Final = frozenset({AdvanceStatus.DISBURSED.value, AdvanceStatus.DEFAULTED.value})


def _repayment_received(s: _State, n: int, on: str, actor: str, raw: bytes) -> None:
    """
    A repayment, read straight from its payload's bytes when they hold no escape (the
    journal's commonest event). A repayment cannot unbalance the fund's identity (it adds
    the same amount to what is repaid and to the cash): only the advance's bounds are
    checked.
    """
    if b"\\" not in raw:
        parts = raw.split(b'"')
        if len(parts) == 9 and parts[1] == b"project" and parts[5] == b"amount":
            text = parts[7]
            if text[-3:-2] == b"." and text[:-3].isdigit() and text[-2:].isdigit():
                key = parts[3].decode()
                _repay(
                    s,
                    n,
                    on,
                    EventKind.REPAYMENT_RECEIVED,
                    key=key,
                    amount=int(text[:-3] + text[-2:]),
                )
                return
    p = _payload(raw)
    _repay(s, n, on, EventKind.REPAYMENT_RECEIVED, key=p["project"], amount=cents(p["amount"]))


def _statement_received(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    """
    A bank statement: each line is a repayment (as :func:`_repay` folds one), the fund's
    totals added once for the whole statement, then checked against the bank's balance.
    """
    kind = EventKind.STATEMENT_RECEIVED
    advances = s.advances
    total = 0
    for line in p["lines"]:
        key = line["project"]
        amount = cents(line["amount"])
        a = advances.get(key)
        if a is None:
            _unknown(s, n, on, kind, what="advance", key=key)
            continue
        total += amount
        a[A_REPAID] += amount
        a[A_PAYMENTS].append((on, amount))
        if a[A_REPAID] + a[A_WRITTEN_OFF] >= a[A_DISBURSED]:
            if a[A_STATUS] in _ACTIVE:
                a[A_STATUS] = AdvanceStatus.REPAID.value
            _advance_bounds(s, n, on, kind, key=key, a=a)
    f = s.fund
    f[F_REPAID] += total
    f[F_CASH] += total
    f[F_OUTSTANDING] -= total
    _check_fund(s, n, on, kind)
    closing = p["closing_balance"]
    if closing is not None and cents(closing) != s.fund[F_CASH]:
        computed = from_cents(s.fund[F_CASH])
        text = f"the bank states a balance of {closing} €, the register computes {computed} €"
        s.problem(n, on, kind, "FUND-05", text)


def _advance_defaulted(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    a = _find(
        s, n, on, EventKind.ADVANCE_DEFAULTED, table=s.advances, what="advance", key=p["project"]
    )
    if a is not None:
        a[A_STATUS] = AdvanceStatus.DEFAULTED.value
        a[A_DEFAULTED_ON] = on


def _advance_written_off(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    kind = EventKind.ADVANCE_WRITTEN_OFF
    key = p["project"]
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    amount = cents(p["amount"])
    a[A_WRITTEN_OFF] += amount
    a[A_STATUS] = AdvanceStatus.WRITTEN_OFF.value
    f = s.fund
    f[F_WRITTEN_OFF] += amount
    f[F_OUTSTANDING] -= amount
    _advance_bounds(s, n, on, kind, key=key, a=a)
    _check_fund(s, n, on, kind)


def _recovery_received(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    kind = EventKind.RECOVERY_RECEIVED
    key = p["project"]
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    amount = cents(p["amount"])
    a[A_RECOVERED] += amount
    f = s.fund
    f[F_RECOVERED] += amount
    f[F_CASH] += amount
    _advance_bounds(s, n, on, kind, key=key, a=a)
    _check_fund(s, n, on, kind)


def _contribution_called(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    account = _find(
        s, n, on, EventKind.CONTRIBUTION_CALLED, table=s.accounts, what="partner", key=p["partner"]
    )
    if account is not None:
        amount = cents(p["amount"])
        account[0] += amount
        s.fund[F_CALLED] += amount


def _contribution_received(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    kind = EventKind.CONTRIBUTION_RECEIVED
    account = _find(s, n, on, kind, table=s.accounts, what="partner", key=p["partner"])
    if account is not None:
        amount = cents(p["amount"])
        account[1] += amount
        s.fund[F_RECEIVED] += amount
        s.fund[F_CASH] += amount
        _check_fund(s, n, on, kind)


def _fee_paid(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    amount = cents(p["amount"])
    s.fund[F_FEES] += amount
    s.fund[F_CASH] -= amount
    _check_fund(s, n, on, EventKind.FEE_PAID)


def _mission_granted(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    mission = p["mission"]
    s.missions[mission["id"]] = [mission, on, []]
    project = s.projects.get(mission["project"])
    if project is not None and project["status"] == ProjectStatus.AGREEMENT_SIGNED.value:
        project["status"] = ProjectStatus.ACCOMPANIED.value


def _meeting_logged(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    mission = s.missions.get(p["mission"])
    if mission is None:
        _unknown(s, n, on, EventKind.MEETING_LOGGED, what="mission", key=p["mission"])
        return
    mission[2].append(on)


def _time_logged(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    person = s.people.get(actor)
    category = person[3] if person is not None else None
    s.time.append([actor, p["project"], on, p["days"], category])


def _project_closed(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    project = _find(
        s, n, on, EventKind.PROJECT_CLOSED, table=s.projects, what="project", key=p["project"]
    )
    if project is not None:
        project["status"] = ProjectStatus.CLOSED.value
        project["closed_on"] = on


def _review_signed_off(s: _State, n: int, on: str, actor: str, p: Payload) -> None:
    s.reviews.append([p["year"], on, actor])


_HANDLERS: Final[Mapping[str, Handler]] = MappingProxyType(
    {
        EventKind.TERRITORY_PROPOSED: _territory_proposed,
        EventKind.TERRITORY_VALIDATED: _territory_validated,
        EventKind.PARTNER_ADMITTED: _partner_admitted,
        EventKind.PERSON_ENROLLED: _person_enrolled,
        EventKind.PERSON_UPDATED: _person_updated,
        EventKind.CONVENTION_SIGNED: _convention_signed,
        EventKind.SME_REGISTERED: _sme_registered,
        EventKind.PROJECT_IDENTIFIED: _project_identified,
        EventKind.FILE_VALIDATED: _file_validated,
        EventKind.SESSION_CONVENED: _session_convened,
        EventKind.SESSION_OPENED: _session_opened,
        EventKind.VOTE_CAST: _vote_cast,
        EventKind.SESSION_CLOSED: _session_closed,
        EventKind.AGREEMENT_SIGNED: _agreement_signed,
        EventKind.ADVANCE_DISBURSED: _advance_disbursed,
        EventKind.ADVANCE_RESCHEDULED: _advance_rescheduled,
        EventKind.STATEMENT_RECEIVED: _statement_received,
        EventKind.ADVANCE_DEFAULTED: _advance_defaulted,
        EventKind.ADVANCE_WRITTEN_OFF: _advance_written_off,
        EventKind.RECOVERY_RECEIVED: _recovery_received,
        EventKind.CONTRIBUTION_CALLED: _contribution_called,
        EventKind.CONTRIBUTION_RECEIVED: _contribution_received,
        EventKind.FEE_PAID: _fee_paid,
        EventKind.MISSION_GRANTED: _mission_granted,
        EventKind.MEETING_LOGGED: _meeting_logged,
        EventKind.TIME_LOGGED: _time_logged,
        EventKind.PROJECT_CLOSED: _project_closed,
        EventKind.REVIEW_SIGNED_OFF: _review_signed_off,
    }
)
"""The handler of each kind whose payload the fold decodes as JSON."""


_ACTOR_KINDS: Final = frozenset(
    {
        EventKind.TERRITORY_PROPOSED,
        EventKind.VOTE_CAST,
        EventKind.TIME_LOGGED,
        EventKind.REVIEW_SIGNED_OFF,
    }
)
"""Kinds whose fold reads the actor; for the others it is never decoded."""

_RAW_KINDS: Final = frozenset({EventKind.REPAYMENT_RECEIVED})
"""Kinds whose handler reads its payload's bytes itself."""

_KINDS: Final[Mapping[bytes, tuple[Any, bool, bool, bool, str]]] = MappingProxyType(
    {
        kind.encode(): (
            handler,
            kind in _RAW_KINDS,
            kind in _ACTOR_KINDS,
            kind in _SETUP_KINDS,
            str(kind),
        )
        for kind, handler in {
            **_HANDLERS,
            EventKind.REPAYMENT_RECEIVED: _repayment_received,
        }.items()
    }
)


def fold(state: _State, record: tuple[int, bytes, str, bytes, bytes]) -> None:
    """
    Add one event ``(id, kind, ISO date, actor, payload)`` — kind, actor and payload as
    the body's bytes — to a fold's state (low level, used by :func:`replay`).

    A payload that lacks what its kind needs is recorded as a problem of the event,
    never raised: the rest of the journal still folds.
    """
    event_id, kind, on, actor, raw = record
    entry = _KINDS.get(kind)
    if entry is None:
        name = kind.decode(errors="replace")
        state.problem(event_id, on, name, "", f"is of a kind alize does not know ({name!r})")
        setup = False
    else:
        handler, takes_raw, reads_actor, setup, name = entry
        try:
            handler(
                state,
                event_id,
                on,
                _actor(actor) if reads_actor else "",
                raw if takes_raw else _payload(raw),
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            state.problem(event_id, on, name, "", f"has a payload alize cannot read ({exc})")
    if not setup:
        for convention in reversed(state.conventions):
            if convention[1] <= on < convention[2]:
                break
        else:
            state.flags.append([event_id, on, name, "CONV-01"])
    state.version = event_id
    state.last_on = on


# --- The register's public views. ---


@attrs.frozen
class TerritoryRecord:
    """
    The territory as the register knows it (NAT-01).

    Attributes:
        territory: The territory and its perimeter.
        operator: Its local operator (OP-01…03).
        prefecture: The prefecture or sub-prefecture that chairs its steering committee.
        national_committee: The id the national committee acts under (NAT-01).
        state_chair: The person id of the State's representative (PIL-01).
        status: Proposed or validated.
        proposed_on: The date it was proposed.
        validated_on: The date the national committee validated it.
    """

    territory: Territory
    operator: LocalOperator
    prefecture: PublicBody
    national_committee: str
    state_chair: str
    status: TerritoryStatus
    proposed_on: date
    validated_on: date | None


@attrs.frozen
class Person:
    """
    A person known to the register, by id only (*personne*): their name, e-mail and phone
    live in an erasable table outside the register.

    Attributes:
        id: The person's id.
        role: In what capacity they take part.
        organisation: The id of the organisation they belong to (partner, operator,
            prefecture, SME's SIREN…).
        in_activity: Whether they are in activity (not retired, GOV-05).
        category: A mentor's category (ACC-06), ``None`` for anyone else.
        enrolled_on: The date they were enrolled.
    """

    id: str
    role: PersonRole
    organisation: str
    in_activity: bool
    category: MentorCategory | None
    enrolled_on: date


def _means(value: object) -> Decimal:
    return quantize(to_money(value, field="means", non_negative=True, cents=True))


def _member_ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValue("conflicted", value, "must be a list of person ids")
    members = tuple(value)
    for member in members:
        check_id(member, field="conflicted")
    return members


@attrs.frozen
class AgendaEntry:
    """
    A project on a session's agenda and the means put to the vote with it (GOV-10, FUND-03).

    Attributes:
        project: The project's id.
        advance: The repayable advance asked of the fund, in euros.
        subsidised_loan: A partner's subsidised loan, in euros (FUND-03: not the fund's).
        lender: The partner company granting the subsidised loan.
        mentor_days: Days a year of skills contribution (ACC-02).
        conflicted: Representatives with a conflict of interest on it (GOV-11).

    >>> AgendaEntry("P1", advance="25000").advance
    Decimal('25000.00')
    >>> AgendaEntry("P1", advance=2.5)
    Traceback (most recent call last):
    ...
    alize_core.errors.InvalidValue: means: 2.5 is a binary float; write amounts as text or Decimal, e.g. "12.50"

    .. versionadded:: 0.1.0
    """

    project: str = attrs.field(validator=checked(check_id))
    advance: Decimal = attrs.field(default=ZERO, converter=_means)
    subsidised_loan: Decimal = attrs.field(default=ZERO, converter=_means)
    lender: str | None = attrs.field(default=None, validator=optional(check_id))
    mentor_days: int = attrs.field(default=0, validator=checked(check_count, maximum=366))
    conflicted: tuple[str, ...] = attrs.field(default=(), converter=_member_ids)


def _agenda_entry(data: Payload) -> AgendaEntry:
    return AgendaEntry(
        data["project"],
        Decimal(data["advance"]),
        Decimal(data["subsidised_loan"]),
        data["lender"],
        data["mentor_days"],
        tuple(data["conflicted"]),
    )


@attrs.frozen
class ProjectRecord:
    """
    A project and where it stands (*dossier*).

    Attributes:
        project: The project.
        status: Its place in the lifecycle.
        identified_on: When it was identified.
        validated_on: When the operator validated its file (OP-03).
        session: The session it was last put to.
        decided_on: When it was decided.
        outcome: Adopted, rejected or not examined.
        means: The means granted, when adopted (GOV-10).
        agreement: Its cooperation agreement, once signed (CONV-02).
        closed_on: When it was closed.
    """

    project: Project
    status: ProjectStatus
    identified_on: date
    validated_on: date | None
    session: str | None
    decided_on: date | None
    outcome: Outcome | None
    means: AgendaEntry | None
    agreement: CooperationAgreement | None
    closed_on: date | None


@attrs.frozen
class SessionRecord:
    """
    A session of the approval committee as recorded (OP-02).

    Attributes:
        id: The session's id.
        on: The session's date.
        agenda: The projects on its agenda, with their means.
        attendees: The person ids of those present.
        president: The person id of its president.
        presenters: (guest, projects presented) pairs (GOV-07).
        ballots: (project, person, ballot) triples, in the order cast (GOV-02).
        opened: Whether attendance was recorded.
        closed: Whether its decisions were recorded.
        valid: Whether it was validly held, once closed.
    """

    id: str
    on: date
    agenda: tuple[AgendaEntry, ...]
    attendees: tuple[str, ...]
    president: str | None
    presenters: tuple[tuple[str, tuple[str, ...]], ...]
    ballots: tuple[tuple[str, str, str], ...]
    opened: bool
    closed: bool
    valid: bool | None

    def entry(self, project: str) -> AgendaEntry | None:
        """The agenda entry of a project."""
        for entry in self.agenda:
            if entry.project == project:
                return entry
        return None


@attrs.frozen
class AdvanceRescheduling:
    """
    A rescheduling of an advance (*réaménagement*, SCH-05): from its date, what was
    outstanding is spread over new instalments, the first due one period after the date
    plus the deferral.

    Attributes:
        on: The date it took effect.
        instalments: The new number of instalments.
        frequency: Their frequency (``monthly``, ``quarterly``, ``annual``).
        deferral: Periods of deferral before the first new instalment.
        payments_before: How many of the advance's payments (``payment_log``) were made
            under the earlier terms.
        outstanding: What was outstanding on that date, now spread over the new terms.

    .. versionadded:: 0.1.0
    """

    on: date
    instalments: int
    frequency: str
    deferral: int
    payments_before: int
    outstanding: Decimal


@attrs.frozen
class AdvanceRecord:
    """
    A repayable advance (*avance remboursable*) of the fund, keyed by its project.

    Amounts are in euros. The payments are kept compact: ``payment_log`` holds
    ``(ISO date, cents)`` pairs; :attr:`payments` reads them as dates and amounts.

    Attributes:
        project: The project (and id) of the advance.
        granted: The amount the committee granted.
        committed: What is still committed and not paid out.
        disbursed: What was paid out.
        repaid: What was repaid.
        written_off: What was written off.
        recovered: What was recovered after the write-off.
        status: Where it stands.
        committed_on: The date of the approval.
        disbursed_on: The date it was paid out.
        instalments: The number of instalments agreed at disbursement.
        frequency: Their frequency (``monthly``, ``quarterly``, ``annual``).
        deferral: Periods of deferral before the first instalment.
        defaulted_on: The date it was declared in default.
        session: The session that granted it.
        payment_log: Each repayment as ``(ISO date, cents)``.
        rounding: How its instalments are rounded to the cent (SCH-01): the territory's
            ``rounding`` setting in force on the day it was paid out.
        reschedulings: Each rescheduling, in order (SCH-05); the terms above are the
            ones agreed at disbursement.
    """

    project: str
    granted: Decimal
    committed: Decimal
    disbursed: Decimal
    repaid: Decimal
    written_off: Decimal
    recovered: Decimal
    status: AdvanceStatus
    committed_on: date
    disbursed_on: date | None
    instalments: int | None
    frequency: str | None
    deferral: int | None
    defaulted_on: date | None
    session: str
    payment_log: tuple[tuple[str, int], ...]
    rounding: Rounding = Rounding.HALF_UP
    reschedulings: tuple[AdvanceRescheduling, ...] = ()

    @property
    def outstanding(self) -> Decimal:
        """What the SME still owes: paid out less repaid and written off."""
        return self.disbursed - self.repaid - self.written_off

    @property
    def payments(self) -> tuple[tuple[date, Decimal], ...]:
        """Each repayment as (date, amount)."""
        return tuple((date.fromisoformat(on), from_cents(c)) for on, c in self.payment_log)


@attrs.frozen
class PartnerAccount:
    """
    A partner's contributions to the fund (FUND-01).

    Attributes:
        partner: The partner company's id.
        called: What it was called to pay.
        received: What it paid.
    """

    partner: str
    called: Decimal
    received: Decimal

    @property
    def due(self) -> Decimal:
        """What it was called for and has not paid."""
        return self.called - self.received


@attrs.frozen
class MissionRecord:
    """
    A mission and its meetings (ACC-02, ACC-04, ACC-05).

    Attributes:
        mission: The mission.
        granted_on: The date it was recorded.
        meetings: The dates of its meetings.
    """

    mission: Mission
    granted_on: date
    meetings: tuple[date, ...]

    @property
    def meeting_count(self) -> int:
        """How many meetings were logged (ACC-04)."""
        return len(self.meetings)


@attrs.frozen
class Review:
    """
    The steering committee's review of a year, signed off by its State chair (PIL-01, PIL-03).

    Attributes:
        year: The year reviewed.
        on: The date it was signed off.
        chair: The person id of the State's representative who signed it.
    """

    year: int
    on: date
    chair: str


@attrs.frozen
class Finding:
    """
    Something the register noticed while folding an event (*constat*).

    Attributes:
        event: The id of the event concerned.
        on: Its date.
        kind: Its kind.
        rule: The rule concerned (empty when none applies).
        message: What is wrong, or what is flagged.
    """

    event: int
    on: date
    kind: str
    rule: str
    message: str

    def __str__(self) -> str:
        rule = f" ({self.rule})" if self.rule else ""
        return f"event {self.event} ({self.kind}, {self.on.isoformat()}): {self.message}{rule}"


_OUTSIDE: Final = "is dated outside every triennial convention in force"


def _d(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _enum(kind: type[enum.StrEnum], value: str | None) -> Any:
    return None if value is None else kind(value)


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

    _state: _State
    _views: dict[object, object] = attrs.field(factory=dict, init=False, repr=False)

    @classmethod
    def empty(cls) -> Register:
        """The register before the first event."""
        return cls(_State())

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
        return _d(self._state.last_on or None)

    @property
    @_readable
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
            _d(t["validated_on"]),
        )

    @property
    @_readable
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
    @_readable
    @_kept
    def partners(self) -> Mapping[str, PartnerCompany]:
        """The partner companies, by id."""
        return MappingProxyType(
            {
                key: PartnerCompany(p["id"], p["name"], p["siren"], p["grants_subsidised_loans"])
                for key, p in self._state.partners.items()
            }
        )

    @_readable
    def person(self, person_id: str) -> Person | None:
        """A person known to the register, or ``None``."""
        p = self._state.people.get(person_id)
        if p is None:
            return None
        return Person(
            person_id,
            PersonRole(p[0]),
            p[1],
            p[2],
            _enum(MentorCategory, p[3]),
            date.fromisoformat(p[4]),
        )

    @property
    @_readable
    @_kept
    def people(self) -> Mapping[str, Person]:
        """Everyone known to the register, by id (ids and roles only)."""
        return MappingProxyType(
            {key: person for key in self._state.people if (person := self.person(key))}
        )

    @property
    @_readable
    @_kept
    def smes(self) -> Mapping[str, Sme]:
        """The SMEs registered, by SIREN."""
        return MappingProxyType({key: cast("Sme", self.sme(key)) for key in self._state.smes})

    @_readable
    def project(self, project_id: str) -> ProjectRecord:
        """
        A project and where it stands.

        Raises:
            CommandRefused: The register has no such project.
        """
        built = self._records("project")
        record = built.get(project_id)
        if record is not None:
            return cast("ProjectRecord", record)
        p = self._state.projects.get(project_id)
        if p is None:
            raise CommandRefused(
                f"{shown(project_id)} is not a project of the register",
                field="project",
                value=project_id,
            )
        record = built[project_id] = _project_record(project_id, p)
        return record

    def _records(self, kind: str) -> dict[str, object]:
        """The records of one kind built so far (a register never changes: each is built once)."""
        return cast("dict[str, object]", self._views.setdefault(f"{kind}:", {}))

    @_readable
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

    @_readable
    def sme(self, siren: str) -> Sme | None:
        """
        An SME registered, by SIREN, or ``None``.

        .. versionadded:: 0.1.0
        """
        built = self._records("sme")
        record = built.get(siren)
        if record is None:
            s = self._state.smes.get(siren)
            if s is None:
                return None
            record = built[siren] = _sme(s)
        return cast("Sme", record)

    @_readable
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
    @_readable
    @_kept
    def projects(self) -> Mapping[str, ProjectRecord]:
        """Every project, by id."""
        return MappingProxyType({key: self.project(key) for key in self._state.projects})

    @_readable
    def session(self, session_id: str) -> SessionRecord:
        """
        A committee session.

        Raises:
            CommandRefused: The register has no such session.
        """
        s = self._state.sessions.get(session_id)
        if s is None:
            raise CommandRefused(
                f"{shown(session_id)} is not a session of the register",
                field="session",
                value=session_id,
            )
        return SessionRecord(
            session_id,
            date.fromisoformat(s["date"]),
            tuple(_agenda_entry(e) for e in s["agenda"]),
            tuple(s["attendees"]),
            s["president"],
            tuple((g["person"], tuple(g["projects"])) for g in s["presenters"]),
            tuple((b[0], b[1], b[2]) for b in s["ballots"]),
            s["opened"],
            s["closed"],
            s["valid"],
        )

    @property
    @_readable
    @_kept
    def sessions(self) -> Mapping[str, SessionRecord]:
        """Every session, by id."""
        return MappingProxyType({key: self.session(key) for key in self._state.sessions})

    @_readable
    def advance(self, project: str) -> AdvanceRecord:
        """
        The advance granted to a project.

        Raises:
            CommandRefused: The project has no advance.
        """
        a = self._state.advances.get(project)
        if a is None:
            raise CommandRefused(
                f"{shown(project)} has no repayable advance in the register",
                field="project",
                value=project,
            )
        return _advance_record(project, a)

    @property
    @_readable
    @_kept
    def advances(self) -> Mapping[str, AdvanceRecord]:
        """Every advance, by project."""
        return MappingProxyType(
            {key: _advance_record(key, a) for key, a in self._state.advances.items()}
        )

    @_readable
    def portfolio(self, on: date) -> Portfolio:
        """
        Every advance revalued on a date on or after the register's: what fell due
        (SCH-02, SCH-04), what is unpaid and for how long (SCH-06), and the fund's
        position (FUND-05). Computed in whole cents, a few microseconds an advance,
        without building the schedules' rows.

        Raises:
            CommandRefused: The date is before the register's last event (replay the
                register to that date first, with :func:`alize_core.journal.register_at`).
        """
        if self.as_of is not None and on < self.as_of:
            msg = f"is before the register's last event ({self.as_of.isoformat()})"
            raise CommandRefused(f"{on.isoformat()} {msg}", field="on", value=on)
        valued = [_value(key, a, on) for key, a in sorted(self._state.advances.items())]
        return Portfolio(on, attrs.evolve(self.fund, on=on), tuple(valued))

    @property
    @_readable
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
    @_readable
    def fund(self) -> FundPosition:
        """The fund on the date of the last event (FUND-05, OP-01)."""
        return _fund(self._state)

    @_readable
    def mission(self, mission_id: str) -> MissionRecord:
        """
        A mission and its meetings.

        Raises:
            CommandRefused: The register has no such mission.
        """
        m = self._state.missions.get(mission_id)
        if m is None:
            raise CommandRefused(
                f"{shown(mission_id)} is not a mission of the register",
                field="mission",
                value=mission_id,
            )
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

    @_readable
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
    @_readable
    @_kept
    def missions(self) -> Mapping[str, MissionRecord]:
        """Every mission and other form of support, by id (ACC-02, ACC-05)."""
        return MappingProxyType({key: self.mission(key) for key in self._state.missions})

    @property
    @_readable
    @_kept
    def time_entries(self) -> tuple[TimeEntry, ...]:
        """The time members logged (GOV-08), for valuation (ACC-06)."""
        return tuple(_time_entry(*entry) for entry in self._state.time)

    @_readable
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
        return tuple(_time_entry(*entry) for entry in self._state.time if first <= entry[2] <= last)

    @property
    @_readable
    def reviews(self) -> tuple[Review, ...]:
        """The reviews signed off by the steering committee's chair (PIL-01, PIL-03)."""
        return tuple(Review(y, date.fromisoformat(on), who) for y, on, who in self._state.reviews)

    @property
    @_readable
    def flags(self) -> tuple[Finding, ...]:
        """Activity dated outside every convention in force (CONV-01)."""
        return tuple(
            Finding(event, date.fromisoformat(on), kind, rule, _OUTSIDE)
            for event, on, kind, rule in self._state.flags
        )

    @property
    @_readable
    def problems(self) -> tuple[Finding, ...]:
        """What a journal written by other means holds that commands never write."""
        return tuple(
            Finding(event, date.fromisoformat(on), kind, rule, text)
            for event, on, kind, rule, text in self._state.problems
        )

    @_readable
    def snapshot(self) -> bytes:
        """
        The register in a compact form (JSON) to rebuild it from without replaying its events.

        The document holds its format, the SHA-256 digest of its state, and the state;
        :meth:`from_snapshot` refuses one whose state does not match its digest.

        >>> Register.from_snapshot(Register.empty().snapshot()) == Register.empty()
        True
        """
        body = _ENCODER.encode(self._state.to_data()).encode()
        digest = hashlib.sha256(body).hexdigest().encode()
        return _SNAPSHOT_HEAD + digest + b'","state":' + body + b"}"

    @classmethod
    def from_snapshot(cls, data: bytes) -> Register:
        """
        A register from :meth:`snapshot`.

        Raises:
            MalformedInput: The data is not a snapshot of this format.
        """
        return cls(_State.from_snapshot(data))

    def thaw(self) -> _State:
        """A private, changeable copy of the state (low level, used by the journal)."""
        return self._state.copy()

    def apply(self, events: Iterable[_Storable]) -> Register:
        """
        The register after these events, which must follow its last one.

        Raises:
            IntegrityError: The events do not follow the register's chain.
        """
        return replay((event.row() for event in events), start=self)


def _fund(state: _State) -> FundPosition:
    return FundPosition.from_cents(
        on=_d(state.last_on or None), **dict(zip(_FUND_NAMES, state.fund, strict=True))
    )


def _project_record(project_id: str, p: Payload) -> ProjectRecord:
    project = p["project"]
    agreement = p["agreement"]
    return ProjectRecord(
        Project(
            project["id"],
            project["sme"],
            project["title"],
            project["jobs_created"],
            project["jobs_kept"],
            project["adaptation"],
        ),
        ProjectStatus(p["status"]),
        date.fromisoformat(p["identified_on"]),
        _d(p["validated_on"]),
        p["session"],
        _d(p["decided_on"]),
        _enum(Outcome, p["outcome"]),
        None if p["means"] is None else _agenda_entry(p["means"]),
        None
        if agreement is None
        else CooperationAgreement(agreement[0], project_id, date.fromisoformat(agreement[1])),
        _d(p["closed_on"]),
    )


def _time_entry(person: str, project: str, on: str, days: str, category: str | None) -> TimeEntry:
    return TimeEntry(
        person,
        project,
        date.fromisoformat(on),
        Decimal(days),
        MentorCategory(category or MentorCategory.EXECUTIVE.value),
    )


def _sme(s: Payload) -> Sme:
    return Sme(
        siren=s["siren"],
        name=s["name"],
        creation_date=date.fromisoformat(s["creation_date"]),
        staff=s["staff"],
        turnover=Decimal(s["turnover"]),
        balance_sheet=Decimal(s["balance_sheet"]),
        commune=s["commune"],
        siret=s["siret"],
    )


def _value(key: str, a: list[Any], on: date) -> AdvanceValuation:
    """
    One advance on a date, in whole cents and without building its schedule's rows: an
    interest-free schedule (SCH-02) is a regular instalment rounded by the advance's rule
    (SCH-01) and a last one, due every period after the deferral (SCH-04), and payments
    settle the oldest first (SCH-06). After a rescheduling (SCH-05) the terms in force on
    the date count, with what was outstanding then and the payments made since.
    :mod:`alize_core.servicing` is the oracle of the tests.
    """
    outstanding = a[A_DISBURSED] - a[A_REPAID] - a[A_WRITTEN_OFF]
    status = a[A_STATUS]
    terms = a[A_TERMS]
    if terms is None or status not in _ACTIVE or outstanding <= 0:
        return AdvanceValuation(key, status, from_cents(max(outstanding, 0)), from_cents(0), 0)
    limit = on.isoformat()
    total = a[A_DISBURSED]
    count, frequency, deferral = terms[0], terms[1], terms[2]
    start = a[A_DISBURSED_ON]
    payments = a[A_PAYMENTS]
    rounding = Rounding.HALF_UP
    if len(terms) > T_ROUNDING:
        rounding = Rounding(terms[T_ROUNDING])
        first = 0
        for change in terms[T_CHANGES:]:
            if change[0] > limit:
                break
            start, count, frequency, deferral, first, total = change
        payments = payments[first:]
    months = Frequency(frequency).months
    start = date.fromisoformat(start)
    paid = 0
    for day, amount in payments:
        if day <= limit:
            paid += amount
    regular, _ = _equal_split(total, count, rounding)
    fallen = min(max(periods_elapsed(start, months, on) - deferral, 0), count)
    due = total if status == AdvanceStatus.DEFAULTED.value or fallen == count else regular * fallen
    oldest = paid // regular + 1 if paid < regular * (count - 1) else count
    days = 0
    if paid < total and oldest <= fallen:
        days = on.toordinal() - add_months(start, (deferral + oldest) * months).toordinal()
    return AdvanceValuation(
        key, status, from_cents(outstanding), from_cents(max(due - paid, 0)), days
    )


def _advance_record(project: str, a: list[Any]) -> AdvanceRecord:
    terms = a[A_TERMS]
    return AdvanceRecord(
        project,
        from_cents(a[A_GRANTED]),
        from_cents(a[A_COMMITTED]),
        from_cents(a[A_DISBURSED]),
        from_cents(a[A_REPAID]),
        from_cents(a[A_WRITTEN_OFF]),
        from_cents(a[A_RECOVERED]),
        AdvanceStatus(a[A_STATUS]),
        date.fromisoformat(a[A_COMMITTED_ON]),
        _d(a[A_DISBURSED_ON]),
        None if terms is None else terms[0],
        None if terms is None else terms[1],
        None if terms is None else terms[2],
        _d(a[A_DEFAULTED_ON]),
        a[A_SESSION],
        tuple(a[A_PAYMENTS]),
        Rounding(terms[T_ROUNDING])
        if terms is not None and len(terms) > T_ROUNDING
        else Rounding.HALF_UP,
        ()
        if terms is None
        else tuple(
            AdvanceRescheduling(
                date.fromisoformat(on), count, frequency, deferral, k, from_cents(c)
            )
            for on, count, frequency, deferral, k, c in terms[T_CHANGES:]
        ),
    )


class _Storable(Protocol):
    def row(self) -> StoredEvent: ...


def replay(
    rows: Iterable[StoredEvent],
    *,
    start: Register | bytes | None = None,
    until: date | None = None,
    strict: bool = True,
) -> Register:
    """
    The register the stored events add up to, verifying the chain as it reads.

    Only what the fold needs is decoded: each body is split into its fields, and its
    payload's JSON is parsed only when its kind needs it (never into payload classes).

    Args:
        rows: The stored events after ``start`` (all of them without a start), in order.
        start: A register to continue from, or a snapshot's bytes
            (:meth:`Register.snapshot`).
        until: Stop before the first event dated after this day.
        strict: Refuse a broken chain. ``alize check`` folds a broken journal with
            ``strict=False`` to report its fund as well: unreadable events are then
            recorded as problems and skipped.

    Raises:
        IntegrityError: In strict mode, an event does not follow the chain;
            :func:`alize_core.journal.verify_rows` names what is wrong.
        MalformedInput: ``start`` is bytes that are not a snapshot.

    .. versionadded:: 0.1.0
    """
    replaying = Replay(start)
    replaying.fold(rows, until=until, strict=strict)
    return Register(replaying._state)


class Replay:
    """
    A replay that goes forward and can be read on the way (*relecture du journal*).

    :func:`replay` folds a journal into one register. A report over a year reads the
    fund at every month's end and the whole register only at a few dates: a replay
    folds the journal once, gives the fund wherever it stands without copying anything
    (:meth:`fund`), and a register only when asked (:meth:`register`, which copies the
    state so that the replay can go on). :class:`alize_core.reporting.History` uses it.

    >>> replaying = Replay()
    >>> replaying.version, replaying.fund().cash
    (0, Decimal('0.00'))
    >>> replaying.register() == Register.empty()
    True

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_state",)

    def __init__(self, start: Register | bytes | None = None) -> None:
        """
        Args:
            start: A register to continue from (copied: it never changes), or a
                snapshot's bytes; the empty register by default.

        Raises:
            MalformedInput: ``start`` is bytes that are not a snapshot.
        """
        if start is None:
            self._state = _State()
        elif isinstance(start, bytes):
            self._state = _State.from_snapshot(start)
        else:
            self._state = start.thaw()

    @property
    def version(self) -> int:
        """The number of events folded so far (the id of the last one)."""
        return self._state.version

    def fold(
        self, rows: Iterable[StoredEvent], *, until: date | None = None, strict: bool = True
    ) -> None:
        """
        Fold the next stored events, verifying the chain (see :func:`replay`).

        Raises:
            IntegrityError: In strict mode, an event does not follow the chain.
        """
        state = self._state
        previous = state.head
        expected = state.version + 1
        last = until.isoformat() if until is not None else None
        sha256 = hashlib.sha256
        for position, body, digest in rows:
            if strict and (position != expected or sha256(previous + body).digest() != digest):
                msg = (
                    f"event {position} does not follow the chain (expected event {expected});"
                    " the journal was altered: run `alize check` to see where"
                )
                raise IntegrityError(msg, field="journal", value=position)
            parts = body.split(SEPARATOR, 5)
            try:
                event_id = int(parts[0])
                on = parts[2].decode()
                record = (event_id, parts[1], on, parts[3], parts[5])
                readable = len(parts) == 6 and (event_id == position or not strict)
            except (ValueError, IndexError, UnicodeDecodeError):
                readable = False
            if not readable:
                if strict:
                    msg = f"event {position} is not an event alize writes"
                    raise IntegrityError(msg, field="journal", value=position)
                state.problem(position, state.last_on or "0001-01-01", "?", "", "cannot be read")
                continue
            if last is not None and on > last:
                break
            if on < state.last_on:
                text = f"is dated before the event before it ({state.last_on})"
                state.problem(event_id, on, parts[1].decode(errors="replace"), "", text)
            fold(state, record)
            state.head = previous = digest
            expected += 1

    @_readable
    def fund(self) -> FundPosition:
        """The fund after the events folded so far, as :attr:`Register.fund` gives it."""
        return _fund(self._state)

    def register(self) -> Register:
        """The register after the events folded so far; the replay can go on."""
        return Register(self._state.copy())
