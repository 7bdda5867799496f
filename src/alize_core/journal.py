"""
The journal (*journal des événements*): everything that happens in a programme, as
immutable, hash-chained events; the register is their fold.

An :class:`Event` has an id (its place in the journal, from 1), the date it takes effect,
the actor who did it, the rule ids it relied on and a payload (what happened), plus the
digest of the event before it and its own digest: ``sha256(previous digest + body)``,
where the body is a compact JSON array. Changing, removing, inserting or reordering any
event breaks the chain, and :func:`verify` names the event concerned.

*Commands* (:func:`validate_file`, :func:`close_session`, :func:`disburse_advance`…)
read the current :class:`~alize_core.register.Register`, check who is acting and what the
rules say, and return a :class:`CommandResult`: the new events, or a refusal
:class:`~alize_core.decisions.Decision` naming the rule; a refused command returns no
event. Every command names its actor: only the operator validates a file (OP-03) and
records a session, only company representatives present vote (GOV-02), only the steering
committee's State chair signs off its review (PIL-01). Events refer to people by id;
their names, e-mails and phones never enter the journal.

Events are kept in date order: a command dated before the register's last event is refused.

>>> from alize_core.model import LocalOperator, PublicBody, PublicBodyKind, Territory
>>> register = Register.empty()
>>> result = propose_territory(
...     register, Territory("MEUSE", "Vallée de la Meuse", departements=["55"]),
...     LocalOperator("CCI55", "CCI Meuse"),
...     PublicBody("PREF55", "Préfecture de la Meuse", PublicBodyKind.PREFECTURE),
...     national_committee="CN", state_chair="PREFET", on=date(2025, 11, 3), actor="OP1")
>>> result.accepted, [e.kind.value for e in result.events]
(True, ['territory_proposed'])
>>> register = register.apply(result.events)
>>> refused = validate_territory(register, on=date(2025, 12, 1), actor="OP1")
>>> print(refused.decision.explain())
Validation du territoire MEUSE : refusé.
  ✗ OP1 n'agit pas au nom du comité national : seul le comité national valide un territoire (NAT-01)
>>> validated = validate_territory(register, on=date(2025, 12, 1), actor="CN")
>>> register = register.apply(validated.events)
>>> register.territory.status.value, register.version
('validated', 2)
>>> events = [*result.events, *validated.events]
>>> verify(events).ok
True
>>> import attrs
>>> events[0] = attrs.evolve(events[0], actor="INTRUS")
>>> print(verify(events).problems[0])
event 1 (territory_proposed, 2025-11-03) was altered: its content no longer matches its digest

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import bisect
import enum
import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, Final, TypeAlias

import attrs

from .accompaniment import (
    MentorCategory,
    Mission,
    cap_step,
    check_days,
    days_step,
    mentor_step,
)
from .conventions import (
    TerritoryStatus,
    TriennialConvention,
    agreement_step,
    convention_step,
    overlap_step,
    validation_step,
)
from .decisions import Decision, Outcome, Step, make_step
from .eligibility import check_eligibility
from .errors import CommandRefused, InvalidValue, MalformedInput, shown
from .fund import FundPosition, commitment_step
from .governance import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    Ballot,
    CommitteeSession,
    Means,
    SessionDecision,
    check_steering_chair,
    decide,
)
from .model import LocalOperator, PartnerCompany, Project, PublicBody, Sme, Territory
from .money import ZERO, Rounding, quantize, to_money
from .register import (
    _DECODER,
    _ENCODER,
    GENESIS,
    SEPARATOR,
    AdvanceRecord,
    AdvanceStatus,
    AgendaEntry,
    EventKind,
    PersonRole,
    ProjectStatus,
    Register,
    StoredEvent,
    compose_body,
    encode_body,
    parse_body,
    replay,
)
from .rules import rule
from .schedules import Frequency, LoanTerms
from .serialization import structure, unstructure
from .servicing import LoanAccount, Payment, Rescheduling, ServicingEvent, open_advance
from .settings import Settings
from .validation import (
    check_count,
    check_date,
    check_flag,
    check_id,
    check_text,
    checked,
    member_of,
    optional,
    tuple_of,
)


__all__ = [
    "MESSAGES",
    "PAYLOADS",
    "AdvanceDefaulted",
    "AdvanceDisbursed",
    "AdvanceRescheduled",
    "AdvanceWrittenOff",
    "AgreementSigned",
    "ChainProblem",
    "CommandResult",
    "ContributionCalled",
    "ContributionReceived",
    "ConventionSigned",
    "Event",
    "EventPayload",
    "FeePaid",
    "FileValidated",
    "ItemOutcome",
    "MeetingLogged",
    "MissionGranted",
    "PartnerAdmitted",
    "PersonEnrolled",
    "PersonUpdated",
    "Presenter",
    "ProblemKind",
    "ProjectClosed",
    "ProjectIdentified",
    "RecoveryReceived",
    "RepaymentReceived",
    "ReviewSignedOff",
    "SessionClosed",
    "SessionConvened",
    "SessionOpened",
    "SmeRegistered",
    "StatementLine",
    "StatementReceived",
    "StoredEvent",
    "TerritoryProposed",
    "TerritoryValidated",
    "TimeLogged",
    "Verification",
    "VoteCast",
    "admit_partner",
    "call_contribution",
    "cast_vote",
    "close_project",
    "close_session",
    "committee_session",
    "convene_session",
    "declare_default",
    "decode",
    "disburse_advance",
    "enrol_person",
    "grant_mission",
    "identify_project",
    "loan_account",
    "log_meeting",
    "log_time",
    "open_session",
    "pay_fee",
    "propose_territory",
    "receive_contribution",
    "receive_recovery",
    "receive_repayment",
    "record_statement",
    "register_at",
    "register_sme",
    "replay",
    "reschedule_advance",
    "seal",
    "seal_rows",
    "sign_agreement",
    "sign_convention",
    "sign_off_review",
    "update_person",
    "validate_file",
    "validate_territory",
    "verify",
    "verify_rows",
    "write_off",
]


# --- Payloads: what each kind of event records. ---
#
# A payload about one project holds its id in a private base (and one moving money for its
# advance, the amount too), whose fields come first: each class keeps its fields, their
# order and so its JSON form, which the chain's digests cover.


def _money(value: object, *, field: str, allow_zero: bool = False) -> Decimal:
    amount = to_money(value, field=field, positive=not allow_zero, non_negative=True, cents=True)
    return quantize(amount)


def _ids(value: object, *, field: str) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValue(field, value, "must be a list of ids")
    items = tuple(value)
    for item in items:
        check_id(item, field=field)
    return items


def _days(value: object) -> Decimal:
    return check_days(value, field="days")


def _amount(value: object) -> Decimal:
    return _money(value, field="amount")


def _closing_balance(value: object) -> Decimal | None:
    return None if value is None else _money(value, field="closing_balance", allow_zero=True)


def _project_ids(value: object) -> tuple[str, ...]:
    return _ids(value, field="projects")


def _attendee_ids(value: object) -> tuple[str, ...]:
    return _ids(value, field="attendees")


@attrs.frozen
class _OfProject:
    """A payload about one project, named by its id."""

    project: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class TerritoryProposed:
    """
    A territory proposed to the national committee (NAT-01), with its operator and the
    prefecture that chairs its steering committee (PIL-01). The proposer is enrolled as
    the operator's staff, the national committee and the State chair by their ids.
    """

    territory: Territory = attrs.field(validator=attrs.validators.instance_of(Territory))
    operator: LocalOperator = attrs.field(validator=attrs.validators.instance_of(LocalOperator))
    prefecture: PublicBody = attrs.field(validator=attrs.validators.instance_of(PublicBody))
    national_committee: str = attrs.field(validator=checked(check_id))
    state_chair: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class TerritoryValidated:
    """The national committee validated the territory (NAT-01)."""


@attrs.frozen
class PartnerAdmitted:
    """A partner company joined the programme."""

    partner: PartnerCompany = attrs.field(validator=attrs.validators.instance_of(PartnerCompany))


@attrs.frozen
class PersonEnrolled:
    """
    A person known by id from now on, in a role, for an organisation (their details live
    outside the journal).
    """

    person: str = attrs.field(validator=checked(check_id))
    role: PersonRole = attrs.field(validator=member_of(PersonRole))
    organisation: str = attrs.field(validator=checked(check_id))
    in_activity: bool = attrs.field(default=True, validator=checked(check_flag))
    category: MentorCategory | None = attrs.field(
        default=None, validator=attrs.validators.optional(member_of(MentorCategory))
    )


@attrs.frozen
class PersonUpdated:
    """A person's activity changed (e.g. a representative retired, GOV-05)."""

    person: str = attrs.field(validator=checked(check_id))
    in_activity: bool = attrs.field(validator=checked(check_flag))


@attrs.frozen
class ConventionSigned:
    """A triennial convention signed (CONV-01)."""

    convention: TriennialConvention = attrs.field(
        validator=attrs.validators.instance_of(TriennialConvention)
    )


@attrs.frozen
class SmeRegistered:
    """An SME known to the programme."""

    sme: Sme = attrs.field(validator=attrs.validators.instance_of(Sme))


@attrs.frozen
class ProjectIdentified:
    """An SME's project identified by the operator."""

    project: Project = attrs.field(validator=attrs.validators.instance_of(Project))


@attrs.frozen
class FileValidated(_OfProject):
    """The operator validated a project's file, which is eligible (OP-03, ELIG-01…04)."""


@attrs.frozen
class SessionConvened:
    """A session of the approval committee convened with its agenda (OP-02, OP-03)."""

    session: str = attrs.field(validator=checked(check_id))
    session_date: date = attrs.field(validator=checked(check_date))
    agenda: tuple[AgendaEntry, ...] = attrs.field(validator=tuple_of(AgendaEntry))


@attrs.frozen
class Presenter:
    """A relay structure or other scheme present for the files it presents (GOV-07)."""

    person: str = attrs.field(validator=checked(check_id))
    projects: tuple[str, ...] = attrs.field(converter=_project_ids)


@attrs.frozen
class SessionOpened:
    """Who attended a session and who presided (GOV-04, GOV-05, GOV-07)."""

    session: str = attrs.field(validator=checked(check_id))
    attendees: tuple[str, ...] = attrs.field(converter=_attendee_ids)
    president: str = attrs.field(validator=checked(check_id))
    presenters: tuple[Presenter, ...] = attrs.field(default=(), validator=tuple_of(Presenter))


@attrs.frozen
class VoteCast:
    """A company representative present voted on a project (GOV-02); the actor is the voter."""

    session: str = attrs.field(validator=checked(check_id))
    project: str = attrs.field(validator=checked(check_id))
    ballot: Ballot = attrs.field(validator=member_of(Ballot))


@attrs.frozen
class ItemOutcome(_OfProject):
    """The decision on one agenda item and its count (GOV-01)."""

    outcome: Outcome = attrs.field(validator=member_of(Outcome))
    present: int | None = attrs.field(default=None, validator=optional(check_count))
    votes_for: int | None = attrs.field(default=None, validator=optional(check_count))
    votes_against: int | None = attrs.field(default=None, validator=optional(check_count))
    abstentions: int | None = attrs.field(default=None, validator=optional(check_count))
    required: int | None = attrs.field(default=None, validator=optional(check_count))


@attrs.frozen
class SessionClosed:
    """
    A session's decisions recorded by the operator (GOV-01…11); each adopted advance is
    committed on the fund (FUND-04).
    """

    session: str = attrs.field(validator=checked(check_id))
    valid: bool = attrs.field(validator=checked(check_flag))
    decisions: tuple[ItemOutcome, ...] = attrs.field(validator=tuple_of(ItemOutcome))


@attrs.frozen
class AgreementSigned(_OfProject):
    """The cooperation agreement signed with the SME (CONV-02)."""

    agreement: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class _ProjectAmount(_OfProject):
    """Money moved for one project's advance, in euros and cents."""

    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class AdvanceDisbursed(_ProjectAmount):
    """
    The advance paid out, with its repayment terms (OP-01, SCH-02); what is left of the
    commitment is released.
    """

    instalments: int = attrs.field(validator=checked(check_count, minimum=1, maximum=600))
    frequency: Frequency = attrs.field(validator=member_of(Frequency))
    deferral: int = attrs.field(default=0, validator=checked(check_count, maximum=600))
    rounding: Rounding = attrs.field(default=Rounding.HALF_UP, validator=member_of(Rounding))
    """How the instalments are rounded to the cent (SCH-01); written only when not half up."""


@attrs.frozen
class AdvanceRescheduled(_OfProject):
    """
    The advance rescheduled (*réaménagement*, SCH-05): from the event's date, what is
    outstanding is spread over new instalments, the first due one period after that date
    plus the deferral. Nothing is paid or received.
    """

    instalments: int = attrs.field(validator=checked(check_count, minimum=1, maximum=600))
    frequency: Frequency = attrs.field(validator=member_of(Frequency))
    deferral: int = attrs.field(default=0, validator=checked(check_count, maximum=600))


@attrs.frozen
class RepaymentReceived(_ProjectAmount):
    """A repayment of an advance into the fund's account (FUND-02)."""


@attrs.frozen
class StatementLine(_ProjectAmount):
    """One instalment paid, as a bank statement lists it."""


@attrs.frozen
class StatementReceived:
    """
    A bank statement of the fund's account listing the instalments paid (OP-01); one event
    for many repayments. Its closing balance, when given, must match the register's cash.
    """

    statement: str = attrs.field(validator=checked(check_id))
    lines: tuple[StatementLine, ...] = attrs.field(validator=tuple_of(StatementLine))
    closing_balance: Decimal | None = attrs.field(default=None, converter=_closing_balance)


@attrs.frozen
class AdvanceDefaulted(_OfProject):
    """An advance declared in default after too long unpaid (SCH-06)."""


@attrs.frozen
class AdvanceWrittenOff(_ProjectAmount):
    """An advance in default written off: the fund's loss (FUND-02, SCH-06)."""


@attrs.frozen
class RecoveryReceived(_ProjectAmount):
    """Money recovered on a written-off advance (FUND-02, SCH-06)."""


@attrs.frozen
class ContributionCalled:
    """A partner called to pay its contribution for a year (FUND-01, PIL-04)."""

    partner: str = attrs.field(validator=checked(check_id))
    year: int = attrs.field(validator=checked(check_count, minimum=1900, maximum=2999))
    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class ContributionReceived:
    """A partner's contribution paid into the fund (FUND-01, OP-01)."""

    partner: str = attrs.field(validator=checked(check_id))
    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class FeePaid:
    """A bank or management fee paid from the fund (FUND-05)."""

    amount: Decimal = attrs.field(converter=_amount)
    label: str = attrs.field(validator=checked(check_text))


@attrs.frozen
class MissionGranted:
    """A skills contribution recorded as the committee set it (ACC-01, ACC-02, ACC-05)."""

    mission: Mission = attrs.field(validator=attrs.validators.instance_of(Mission))


@attrs.frozen
class MeetingLogged:
    """A meeting of a mission (ACC-04)."""

    mission: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class TimeLogged(_OfProject):
    """Time a member gave to a project (GOV-08); the actor is the member."""

    days: Decimal = attrs.field(converter=_days)
    category: MentorCategory = attrs.field(validator=member_of(MentorCategory))


@attrs.frozen
class ProjectClosed(_OfProject):
    """A project's accompaniment ended."""


@attrs.frozen
class ReviewSignedOff:
    """The steering committee's review of a year, signed off by its State chair (PIL-01, PIL-03)."""

    year: int = attrs.field(validator=checked(check_count, minimum=1900, maximum=2999))


EventPayload: TypeAlias = (
    TerritoryProposed
    | TerritoryValidated
    | PartnerAdmitted
    | PersonEnrolled
    | PersonUpdated
    | ConventionSigned
    | SmeRegistered
    | ProjectIdentified
    | FileValidated
    | SessionConvened
    | SessionOpened
    | VoteCast
    | SessionClosed
    | AgreementSigned
    | AdvanceDisbursed
    | AdvanceRescheduled
    | RepaymentReceived
    | StatementReceived
    | AdvanceDefaulted
    | AdvanceWrittenOff
    | RecoveryReceived
    | ContributionCalled
    | ContributionReceived
    | FeePaid
    | MissionGranted
    | MeetingLogged
    | TimeLogged
    | ProjectClosed
    | ReviewSignedOff
)
"""Any event's payload."""

PAYLOADS: Final[Mapping[EventKind, type[EventPayload]]] = {
    EventKind.TERRITORY_PROPOSED: TerritoryProposed,
    EventKind.TERRITORY_VALIDATED: TerritoryValidated,
    EventKind.PARTNER_ADMITTED: PartnerAdmitted,
    EventKind.PERSON_ENROLLED: PersonEnrolled,
    EventKind.PERSON_UPDATED: PersonUpdated,
    EventKind.CONVENTION_SIGNED: ConventionSigned,
    EventKind.SME_REGISTERED: SmeRegistered,
    EventKind.PROJECT_IDENTIFIED: ProjectIdentified,
    EventKind.FILE_VALIDATED: FileValidated,
    EventKind.SESSION_CONVENED: SessionConvened,
    EventKind.SESSION_OPENED: SessionOpened,
    EventKind.VOTE_CAST: VoteCast,
    EventKind.SESSION_CLOSED: SessionClosed,
    EventKind.AGREEMENT_SIGNED: AgreementSigned,
    EventKind.ADVANCE_DISBURSED: AdvanceDisbursed,
    EventKind.ADVANCE_RESCHEDULED: AdvanceRescheduled,
    EventKind.REPAYMENT_RECEIVED: RepaymentReceived,
    EventKind.STATEMENT_RECEIVED: StatementReceived,
    EventKind.ADVANCE_DEFAULTED: AdvanceDefaulted,
    EventKind.ADVANCE_WRITTEN_OFF: AdvanceWrittenOff,
    EventKind.RECOVERY_RECEIVED: RecoveryReceived,
    EventKind.CONTRIBUTION_CALLED: ContributionCalled,
    EventKind.CONTRIBUTION_RECEIVED: ContributionReceived,
    EventKind.FEE_PAID: FeePaid,
    EventKind.MISSION_GRANTED: MissionGranted,
    EventKind.MEETING_LOGGED: MeetingLogged,
    EventKind.TIME_LOGGED: TimeLogged,
    EventKind.PROJECT_CLOSED: ProjectClosed,
    EventKind.REVIEW_SIGNED_OFF: ReviewSignedOff,
}
"""The payload class of each kind of event."""

_KIND_OF: Final = {cls: kind for kind, cls in PAYLOADS.items()}


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
    expected = PAYLOADS.get(instance.kind)
    if expected is None or not isinstance(value, expected):
        name = expected.__name__ if expected else "?"
        raise InvalidValue("payload", value, f"must be a {name} for a {instance.kind} event")


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
        payload: What happened (the class :data:`PAYLOADS` gives for its kind).
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
        """The JSON the digest covers: ``[id, kind, date, actor, rules, payload]``."""
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


def _chain(previous: bytes, body: bytes) -> bytes:
    return hashlib.sha256(previous + body).digest()


def seal(
    register: Register,
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
        kind = _KIND_OF[type(payload)]
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
    benchmarks; commands give :class:`Event` s).

    .. versionadded:: 0.1.0
    """
    sha256 = hashlib.sha256
    encode = _ENCODER.encode
    actors: dict[str, str] = {}
    event_id = version
    previous = head
    for kind, on, actor, rules, payload in records:
        event_id += 1
        written = actors.get(actor)
        if written is None:
            written = actors[actor] = encode(actor)
        body = compose_body(
            event_id, kind, on, written, rules=",".join(rules), payload=encode(payload)
        )
        previous = sha256(previous + body).digest()
        yield (event_id, body, previous)


def decode(row: StoredEvent, previous: bytes) -> Event:
    """
    A stored event as an :class:`Event`, its payload checked field by field.

    Raises:
        MalformedInput: The body is not an event alize writes.

    .. versionadded:: 0.1.0
    """
    event_id, body, digest = row
    try:
        declared, kind, on, actor, rules, raw = parse_body(body)
        event_kind = EventKind(kind)
        data = _DECODER.decode(raw.decode())
    except (ValueError, TypeError, UnicodeDecodeError):
        raise MalformedInput(f"event {event_id}", "is not an event alize writes") from None
    payload = structure(data, PAYLOADS[event_kind])
    try:
        return Event(
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
        raise MalformedInput(f"event {event_id}", str(exc)) from None


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
        fields = body.split(SEPARATOR, 3)
        if fields[0].isdigit():
            self.declared = int(fields[0])
        if len(fields) == 4:
            self.kind = fields[1].decode(errors="replace")
            self.on = fields[2].decode(errors="replace")

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
            or body[: body.find(SEPARATOR)] != b"%d" % position
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


# --- Replay. ---


def register_at(events: Iterable[Event], on: date | None = None) -> Register:
    """
    The register the events add up to, up to a date (all of them without one).

    The same events always give the same register.

    .. versionadded:: 0.1.0
    """
    return replay((event.row() for event in events), until=on)


# --- Commands. ---

MESSAGES: Final[Mapping[str, str]] = {
    "role.acts_as": "{actor} agit en qualité de {role}",
    "role.not_operator": (
        "{actor} n'est pas membre de l'opérateur local : seul l'opérateur peut {action}"
    ),
    "role.not_national": (
        "{actor} n'agit pas au nom du comité national : seul le comité national valide un"
        " territoire"
    ),
    "role.voter": "{actor}, représentant d'entreprise partenaire présent, vote",
    "role.not_voter": (
        "{actor} n'est pas un représentant d'entreprise partenaire présent à la séance : seuls"
        " ceux-là votent"
    ),
    "role.not_state_chair": (
        "{actor} n'est pas le représentant de l'État qui préside le comité local de pilotage :"
        " seul lui valide sa revue"
    ),
    "role.not_member": (
        "{actor} n'est ni représentant ni intervenant d'une entreprise partenaire : seuls les"
        " membres déclarent leur temps"
    ),
    "role.not_mission_member": (
        "{actor} n'est ni l'intervenant de la mission {mission} ni l'opérateur local"
    ),
    "territory.proposed": "territoire {territory} proposé au comité national",
    "person.of_partner": "{person} appartient à l'entreprise partenaire {organisation}",
    "person.not_of_partner": (
        "{organisation} n'est pas une entreprise partenaire du programme : {person} ne peut pas"
        " y être {role}"
    ),
    "person.in_organisation": "{person} appartient à {organisation}",
    "person.wrong_organisation": (
        "{person} ne peut être {role} que de {expected}, pas de {organisation}"
    ),
    "convention.parties_known": "toutes les parties de la convention {convention} sont partenaires",
    "convention.party_unknown": (
        "{partner} n'est pas une entreprise partenaire : elle ne peut pas s'engager dans la"
        " convention {convention}"
    ),
    "file.validated_before_agenda": "dossier {project} validé par l'opérateur le {validated_on}",
    "file.not_validated": (
        "le dossier {project} n'a pas été validé par l'opérateur : il ne peut pas être inscrit à"
        " l'ordre du jour"
    ),
    "loan.lender_can_lend": (
        "prêt bonifié de {amount} € accordé par {lender}, sur ses propres moyens et non sur le"
        " fonds"
    ),
    "loan.lender_cannot_lend": (
        "{lender} n'a pas les moyens d'accorder un prêt bonifié : il n'en existe que là où un"
        " partenaire en a"
    ),
    "session.decided": "séance {session} du {session_date} : {adopted} projet(s) adopté(s) sur {items}",
    "agreement.after_approval": "projet {project} adopté par le comité d'agrément le {decided_on}",
    "agreement.not_adopted": (
        "le projet {project} n'a pas été adopté par le comité d'agrément : aucune convention de"
        " coopération ne peut être signée"
    ),
    "advance.within_commitment": "versement de {amount} € dans la limite de l'engagement ({committed} €)",
    "advance.beyond_commitment": (
        "le versement de {amount} € dépasse l'engagement du comité ({committed} €)"
    ),
    "cash.sufficient": "trésorerie du fonds suffisante : {cash} € pour {amount} €",
    "cash.insufficient": (
        "la trésorerie du fonds ({cash} €) ne couvre pas {amount} € : le fonds ne peut pas payer"
        " ce qu'il ne détient pas"
    ),
    "rounding.in_force": "échéances arrondies au centime selon la règle « {rounding} »",
    "reschedule.disbursed": (
        "avance versée le {disbursed_on}, encours de {outstanding} € réparti sur {instalments}"
        " échéance(s)"
    ),
    "reschedule.not_disbursed": (
        "l'avance est {status} : seule une avance versée en cours de remboursement peut être"
        " réaménagée"
    ),
    "repayment.within_outstanding": "remboursement de {amount} € sur un encours de {outstanding} €",
    "repayment.beyond_outstanding": (
        "remboursement de {amount} € au-delà de l'encours de {outstanding} € : rien n'est perçu"
        " au-delà de ce qui est dû"
    ),
    "statement.balances": "le relevé se termine sur {closing} €, comme le registre",
    "statement.differs": (
        "le relevé se termine sur {closing} € mais le registre calcule {computed} € : écart de"
        " {gap} € à expliquer"
    ),
    "write_off.in_default": "avance en défaut depuis le {defaulted_on}",
    "write_off.not_in_default": (
        "l'avance n'est pas en défaut : elle ne peut pas être passée en perte"
    ),
    "recovery.within_loss": "récupération de {amount} € sur une perte restante de {remaining} €",
    "recovery.beyond_loss": (
        "récupération de {amount} € au-delà de la perte restante de {remaining} €"
    ),
    "mission.committee_granted": "le comité d'agrément a accordé {granted} jour(s) par an au projet {project}",
    "mission.not_granted": (
        "le comité d'agrément n'a accordé aucun apport en compétences au projet {project}"
    ),
    "review.previous_year": "revue de l'année {year}, présentée en {on_year}",
    "review.not_past": "l'année {year} n'est pas achevée : sa revue ne peut pas être validée",
}
"""The French messages of the commands' steps, by stable code."""


@attrs.frozen
class CommandResult:
    """
    What a command gives back: the decision that explains it and, when accepted, its events.

    Attributes:
        decision: *accepted* with the checks made (warnings included), or *refused* with
            the failed step naming the rule.
        events: The new events, numbered and chained after the register's last one; none
            when refused.

    .. versionadded:: 0.1.0
    """

    decision: Decision
    events: tuple[Event, ...] = ()

    @property
    def accepted(self) -> bool:
        """Whether the command was accepted."""
        return self.decision.outcome is Outcome.ACCEPTED


def _territory_id(register: Register) -> str:
    record = register.territory
    if record is None:
        raise CommandRefused(
            "the register has no territory yet: propose one first", field="territory"
        )
    return record.territory.id


@attrs.frozen
class _Command:
    """A command under way: the register it reads, the date it takes effect, who gives it."""

    register: Register
    on: date
    actor: str

    @classmethod
    def start(cls, register: Register, on: date, actor: str) -> _Command:
        """Refuse a date before the register's last event: events are kept in date order."""
        check_date(on, field="on")
        if register.as_of is not None and on < register.as_of:
            msg = (
                f"is before the register's last event ({register.as_of.isoformat()}); events"
                " are recorded in date order"
            )
            raise CommandRefused(f"{on.isoformat()} {msg}", field="on", value=on)
        return cls(register, on, actor)

    def by_operator(self, rule_id: str, action: str) -> Step:
        """Whether the actor is the operator's staff, the only one who may do ``action``."""
        actor = self.actor
        check_id(actor, field="actor")
        person = self.register.person(actor)
        if person is None or person.role is not PersonRole.OPERATOR_STAFF:
            return make_step(
                MESSAGES, rule_id, False, "role.not_operator", actor=actor, action=action
            )
        role = PersonRole.OPERATOR_STAFF.french
        return make_step(MESSAGES, rule_id, True, "role.acts_as", actor=actor, role=role)

    def active(self) -> list[Step]:
        """NAT-01 (the territory was validated) and CONV-01 (a convention is in force, or a flag)."""
        record = self.register.territory
        validated = record.validated_on if record is not None else None
        return [validation_step(validated), convention_step(self.register.conventions, on=self.on)]

    def conclude(
        self,
        subject: str,
        steps: Sequence[Step],
        rules: Sequence[str],
        payload: EventPayload,
        *,
        territory: str | None = None,
        accept: bool | None = None,
    ) -> CommandResult:
        """The decision, and the command's one event when every step passed (or ``accept``)."""
        register, on = self.register, self.on
        where = territory or _territory_id(register)
        if all(step.passed for step in steps) if accept is None else accept:
            decision = Decision(Outcome.ACCEPTED, on, where, subject, tuple(steps))
            return CommandResult(decision, seal(register, self.actor, on, [(rules, payload)]))
        return CommandResult(Decision(Outcome.REFUSED, on, where, subject, tuple(steps)))


def _unique(value: object, existing: Mapping[str, object] | Iterable[str], field: str) -> None:
    if value in existing:
        raise CommandRefused(f"{shown(value)} is already in the register", field=field, value=value)


def propose_territory(
    register: Register,
    territory: Territory,
    operator: LocalOperator,
    prefecture: PublicBody,
    *,
    national_committee: str,
    state_chair: str,
    on: date,
    actor: str,
) -> CommandResult:
    """
    Propose a territory to the national committee (NAT-01): the first event of a register.

    The prefecture must be a prefecture or a sub-prefecture, since it chairs the steering
    committee (PIL-01). The actor is enrolled as the operator's staff.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    if register.territory is not None:
        raise CommandRefused("the register already has a territory", field="territory")
    payload = TerritoryProposed(territory, operator, prefecture, national_committee, state_chair)
    check_id(actor, field="actor")
    chair = check_steering_chair(prefecture, on=on, territory=territory.id)
    steps = [
        make_step(MESSAGES, "NAT-01", True, "territory.proposed", territory=territory.name),
        *chair.steps,
    ]
    subject = f"Proposition du territoire {territory.id}"
    return command.conclude(subject, steps, ("NAT-01", "PIL-01"), payload, territory=territory.id)


def validate_territory(register: Register, *, on: date, actor: str) -> CommandResult:
    """
    The national committee validates the territory (NAT-01); only it may.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    territory = _territory_id(register)
    record = register.territory
    assert record is not None
    if record.status is TerritoryStatus.VALIDATED:
        raise CommandRefused("the territory is already validated", field="territory")
    if actor != record.national_committee:
        steps = [make_step(MESSAGES, "NAT-01", False, "role.not_national", actor=actor)]
    else:
        steps = [
            make_step(MESSAGES, "NAT-01", True, "role.acts_as", actor=actor, role="comité national")
        ]
    subject = f"Validation du territoire {territory}"
    return command.conclude(subject, steps, ("NAT-01",), TerritoryValidated())


def admit_partner(
    register: Register, partner: PartnerCompany, *, on: date, actor: str
) -> CommandResult:
    """
    A partner company joins the programme; the operator records it (OP-02).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    _unique(partner.id, register.partners, "partner")
    steps = [command.by_operator("OP-02", "inscrire une entreprise partenaire")]
    subject = f"Entreprise partenaire {partner.name}"
    return command.conclude(subject, steps, ("OP-02",), PartnerAdmitted(partner))


_PARTNER_ROLES: Final = {
    PersonRole.COMPANY_REPRESENTATIVE: "GOV-02",
    PersonRole.MENTOR: "ACC-01",
}


def enrol_person(
    register: Register,
    person: str,
    role: PersonRole,
    organisation: str,
    *,
    on: date,
    actor: str,
    in_activity: bool = True,
    category: MentorCategory | None = None,
) -> CommandResult:
    """
    Make a person known to the register by id, in a role, for an organisation (OP-02).

    Their name, e-mail and phone are not events: the store keeps them in an erasable table.
    A representative belongs to a partner company (GOV-02), a mentor is an executive or
    technician of one (ACC-01), the operator's staff to the operator, the State's
    representative to the prefecture (PIL-01), an SME's contact to a registered SME.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    territory = register.territory
    _territory_id(register)
    assert territory is not None
    payload = PersonEnrolled(person, role, organisation, in_activity, category)
    _unique(person, register.people, "person")
    steps = [command.by_operator("OP-02", "inscrire une personne")]
    if role in _PARTNER_ROLES:
        rule_id = _PARTNER_ROLES[role]
        known = organisation in register.partners
        code = "person.of_partner" if known else "person.not_of_partner"
        steps.append(
            make_step(
                MESSAGES,
                rule_id,
                known,
                code,
                person=person,
                organisation=organisation,
                role=role.french,
            )
        )
        if role is PersonRole.MENTOR:
            steps.append(
                mentor_step(person, category, organisation if known else None, organisation)
            )
    else:
        expected = {
            PersonRole.OPERATOR_STAFF: (territory.operator.id, "OP-02"),
            PersonRole.STATE_REPRESENTATIVE: (territory.prefecture.id, "PIL-01"),
        }.get(role)
        if role is PersonRole.SME_CONTACT:
            expected = (
                organisation if organisation in register.smes else "une PME inscrite",
                "OP-02",
            )
        if expected is not None:
            ok = organisation == expected[0]
            code = "person.in_organisation" if ok else "person.wrong_organisation"
            steps.append(
                make_step(
                    MESSAGES,
                    expected[1],
                    ok,
                    code,
                    person=person,
                    organisation=organisation,
                    expected=expected[0],
                    role=role.french,
                )
            )
    subject = f"Inscription de {person} ({role.french})"
    rules = tuple(dict.fromkeys(step.rule for step in steps))
    return command.conclude(subject, steps, rules, payload)


def update_person(
    register: Register, person: str, *, in_activity: bool, on: date, actor: str
) -> CommandResult:
    """
    Record that a person is, or no longer is, in activity (GOV-05); the operator does it.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    if register.person(person) is None:
        raise CommandRefused(
            f"{shown(person)} is not known to the register", field="person", value=person
        )
    steps = [command.by_operator("OP-02", "mettre à jour une personne")]
    payload = PersonUpdated(person, in_activity)
    return command.conclude(f"Activité de {person}", steps, ("GOV-05",), payload)


def sign_convention(
    register: Register, convention: TriennialConvention, *, on: date, actor: str
) -> CommandResult:
    """
    Record a triennial convention (CONV-01): only once the national committee validated
    the territory (NAT-01); its parties are partners; it may not overlap another.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.territory
    _territory_id(register)
    assert record is not None
    _unique(convention.id, {c.id for c in register.conventions}, "convention")
    steps = [
        command.by_operator("OP-02", "enregistrer une convention"),
        validation_step(record.validated_on),
    ]
    unknown = [c.partner for c in convention.commitments if c.partner not in register.partners]
    if unknown:
        steps.append(
            make_step(
                MESSAGES,
                "CONV-01",
                False,
                "convention.party_unknown",
                partner=unknown[0],
                convention=convention.id,
            )
        )
    else:
        steps.append(
            make_step(
                MESSAGES, "CONV-01", True, "convention.parties_known", convention=convention.id
            )
        )
    steps.append(overlap_step(register.conventions, convention))
    subject = f"Convention triennale {convention.id}"
    return command.conclude(subject, steps, ("CONV-01", "NAT-01"), ConventionSigned(convention))


def register_sme(register: Register, sme: Sme, *, on: date, actor: str) -> CommandResult:
    """
    Make an SME known to the programme; the operator does it (OP-02).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    _unique(sme.siren, register.smes, "sme")
    steps = [command.by_operator("OP-02", "inscrire une PME")]
    return command.conclude(f"PME {sme.name}", steps, ("OP-02",), SmeRegistered(sme))


def identify_project(
    register: Register, project: Project, *, on: date, actor: str
) -> CommandResult:
    """
    Record an SME's project, identified by the operator (OP-03), once the territory is
    validated (NAT-01).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    if project.sme not in register.smes:
        raise CommandRefused(
            f"{shown(project.sme)} is not an SME of the register",
            field="project.sme",
            value=project.sme,
        )
    _unique(project.id, set(register.projects), "project")
    steps = [
        command.by_operator("OP-03", "instruire un projet"),
        *command.active(),
    ]
    return command.conclude(f"Projet {project.id}", steps, ("OP-03",), ProjectIdentified(project))


def _status(record_status: ProjectStatus, allowed: Iterable[ProjectStatus], project: str) -> None:
    allowed = tuple(allowed)
    if record_status not in allowed:
        words = " or ".join(s.value for s in allowed)
        msg = f"is {record_status.value}; this needs a project that is {words}"
        raise CommandRefused(f"{shown(project)} {msg}", field="project", value=project)


def validate_file(
    register: Register, project: str, *, on: date, actor: str, settings: Settings
) -> CommandResult:
    """
    The operator validates a project's file (OP-03), which must be eligible
    (ELIG-01…04): refused with every failed eligibility step otherwise.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.project(project)
    _status(record.status, [ProjectStatus.IDENTIFIED], project)
    territory = register.territory
    assert territory is not None
    eligibility = check_eligibility(
        register.smes[record.project.sme],
        record.project,
        territory.territory,
        on=on,
        settings=settings,
    )
    steps = [
        command.by_operator("OP-03", "valider un dossier"),
        *command.active(),
        *eligibility.steps,
    ]
    rules = ("OP-03", "ELIG-01", "ELIG-02", "ELIG-03", "ELIG-04")
    return command.conclude(f"Dossier du projet {project}", steps, rules, FileValidated(project))


def convene_session(
    register: Register,
    session: str,
    session_date: date,
    agenda: Sequence[AgendaEntry],
    *,
    on: date,
    actor: str,
) -> CommandResult:
    """
    The operator convenes a session with its agenda (OP-02): only projects whose file it
    validated (OP-03); a subsidised loan only from a partner that has such means (FUND-03).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    check_date(session_date, field="session_date")
    if session_date < on:
        raise CommandRefused(
            f"{session_date.isoformat()} is before the day it is convened ({on.isoformat()})",
            field="session_date",
            value=session_date,
        )
    _unique(session, register.sessions, "session")
    payload = SessionConvened(session, session_date, tuple(agenda))
    if not agenda:
        raise CommandRefused("a session needs at least one project on its agenda", field="agenda")
    steps = [
        command.by_operator("OP-02", "convoquer une séance"),
        *command.active(),
    ]
    partners = register.partners
    for entry in agenda:
        record = register.project(entry.project)
        if record.status is ProjectStatus.VALIDATED and record.validated_on is not None:
            steps.append(
                make_step(
                    MESSAGES,
                    "OP-03",
                    True,
                    "file.validated_before_agenda",
                    project=entry.project,
                    validated_on=record.validated_on,
                )
            )
        else:
            steps.append(
                make_step(MESSAGES, "OP-03", False, "file.not_validated", project=entry.project)
            )
        if entry.subsidised_loan:
            lender = partners.get(entry.lender or "")
            can_lend = lender is not None and lender.grants_subsidised_loans
            steps.append(
                make_step(
                    MESSAGES,
                    "FUND-03",
                    can_lend,
                    "loan.lender_can_lend" if can_lend else "loan.lender_cannot_lend",
                    lender=entry.lender or "—",
                    amount=entry.subsidised_loan,
                )
            )
    subject = f"Convocation de la séance {session} du {session_date:%d/%m/%Y}"
    return command.conclude(subject, steps, ("OP-02", "OP-03"), payload)


_ATTENDANCE_ROLES: Final = {
    PersonRole.COMPANY_REPRESENTATIVE: AttendeeRole.COMPANY_REPRESENTATIVE,
    PersonRole.OPERATOR_STAFF: AttendeeRole.LOCAL_OPERATOR,
    PersonRole.RELAY_STRUCTURE: AttendeeRole.RELAY_STRUCTURE,
    PersonRole.OTHER_SCHEME: AttendeeRole.OTHER_SCHEME,
    PersonRole.PUBLIC_BODY: AttendeeRole.PUBLIC_BODY,
    PersonRole.STATE_REPRESENTATIVE: AttendeeRole.PUBLIC_BODY,
}


def open_session(
    register: Register,
    session: str,
    attendees: Sequence[str],
    president: str,
    *,
    presenters: Sequence[Presenter] = (),
    on: date,
    actor: str,
) -> CommandResult:
    """
    The operator records who attends a session and who presides (OP-02); everyone present
    must be known to the register. Whether the session is valid is decided when it closes.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.session(session)
    if record.opened:
        raise CommandRefused(f"{shown(session)} is already opened", field="session", value=session)
    if on != record.on:
        raise CommandRefused(
            f"{on.isoformat()} is not the session's date ({record.on.isoformat()})",
            field="on",
            value=on,
        )
    payload = SessionOpened(session, tuple(attendees), president, tuple(presenters))
    for person in payload.attendees:
        known = register.person(person)
        if known is None or known.role not in _ATTENDANCE_ROLES:
            raise CommandRefused(
                f"{shown(person)} is not a person who may attend a session",
                field="attendees",
                value=person,
            )
    steps = [command.by_operator("OP-02", "tenir la feuille de présence")]
    subject = f"Présences à la séance {session}"
    return command.conclude(subject, steps, ("OP-02", "GOV-04"), payload)


def cast_vote(
    register: Register, session: str, project: str, ballot: Ballot, *, on: date, actor: str
) -> CommandResult:
    """
    A company representative present votes on a project (GOV-02); anyone else is refused.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.session(session)
    if not record.opened or record.closed:
        raise CommandRefused(
            f"{shown(session)} is not open for votes", field="session", value=session
        )
    if record.entry(project) is None:
        raise CommandRefused(
            f"{shown(project)} is not on the agenda of {session}", field="project", value=project
        )
    if any(p == project and who == actor for p, who, _ in record.ballots):
        raise CommandRefused(
            f"{shown(actor)} has already voted on {project}", field="actor", value=actor
        )
    payload = VoteCast(session, project, Ballot.parse(ballot))
    person = register.person(actor)
    voter = (
        person is not None
        and person.role is PersonRole.COMPANY_REPRESENTATIVE
        and actor in record.attendees
    )
    step = make_step(
        MESSAGES, "GOV-02", voter, "role.voter" if voter else "role.not_voter", actor=actor
    )
    subject = f"Vote sur le projet {project} (séance {session})"
    return command.conclude(subject, [step], ("GOV-02",), payload)


def committee_session(register: Register, session: str) -> CommitteeSession:
    """
    A recorded session as :mod:`alize_core.governance` decides it: people are named by
    their ids (their names stay outside the register).

    .. versionadded:: 0.1.0
    """
    record = register.session(session)
    territory = _territory_id(register)
    if record.president is None:
        raise CommandRefused(
            f"{shown(session)} has no attendance recorded", field="session", value=session
        )
    presents = dict(record.presenters)
    attendees = []
    for person_id in record.attendees:
        person = register.person(person_id)
        assert person is not None
        role = _ATTENDANCE_ROLES[person.role]
        representative = role is AttendeeRole.COMPANY_REPRESENTATIVE
        attendees.append(
            Attendee(
                id=person_id,
                name=person_id,
                role=role,
                company=person.organisation if representative else None,
                in_activity=person.in_activity if representative else None,
                presents=presents.get(person_id, ()) if role.guest else (),
            )
        )
    voters = {a.id for a in attendees if a.votes}
    items = []
    for entry in record.agenda:
        ballots = {who: Ballot(b) for p, who, b in record.ballots if p == entry.project}
        items.append(
            AgendaItem(
                project=entry.project,
                operator_validated=True,
                conflicted=[m for m in entry.conflicted if m in voters],
                ballots=ballots,
                means=Means(
                    advance=entry.advance,
                    subsidised_loan=entry.subsidised_loan,
                    mentor_days=entry.mentor_days,
                ),
            )
        )
    return CommitteeSession(
        territory=territory,
        date=record.on,
        partner_companies=tuple(register.partners.values()),
        attendees=attendees,
        president=record.president,
        items=items,
    )


def close_session(
    register: Register, session: str, *, on: date, actor: str, settings: Settings
) -> CommandResult:
    """
    The operator records a session's decisions, as :func:`alize_core.governance.decide`
    makes them from the attendance and ballots (GOV-01…11). Each adopted advance is
    committed on the fund, within what it has available (FUND-04: refused, or warned
    when the territory's ``fund_overcommitment`` setting says ``warn``).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.session(session)
    if record.closed:
        raise CommandRefused(f"{shown(session)} is already closed", field="session", value=session)
    decided: SessionDecision = decide(committee_session(register, session), settings)
    role = command.by_operator("OP-02", "enregistrer les décisions d'une séance")
    steps = [role, *decided.validity.steps]
    commitments: list[Step] = []
    outcomes = []
    position = register.fund
    committed = ZERO
    for item in decided.decisions:
        steps.extend(item.decision.steps)
        tally = item.tally
        outcomes.append(
            ItemOutcome(
                item.project,
                item.outcome,
                None if tally is None else tally.present,
                None if tally is None else tally.votes_for,
                None if tally is None else tally.votes_against,
                None if tally is None else tally.abstentions,
                None if tally is None else tally.required,
            )
        )
        entry = record.entry(item.project)
        if item.outcome is Outcome.ADOPTED and entry is not None and entry.advance:
            view = attrs.evolve(position, committed=position.committed + committed)
            commitment = commitment_step(
                view, entry.advance, on=on, territory=_territory_id(register), settings=settings
            )
            steps.append(commitment)
            commitments.append(commitment)
            committed += entry.advance
    adopted = sum(1 for o in outcomes if o.outcome is Outcome.ADOPTED)
    steps.append(
        make_step(
            MESSAGES,
            "GOV-01",
            True,
            "session.decided",
            session=session,
            session_date=record.on,
            adopted=adopted,
            items=len(outcomes),
        )
    )
    payload = SessionClosed(session, decided.valid, tuple(outcomes))
    rules = ("GOV-01", "GOV-02", "GOV-04", "GOV-05", "GOV-10", "FUND-04")
    subject = f"Décisions de la séance {session} du {record.on:%d/%m/%Y}"
    return command.conclude(
        subject, steps, rules, payload, accept=role.passed and all(c.passed for c in commitments)
    )


def sign_agreement(
    register: Register, project: str, agreement: str, *, on: date, actor: str
) -> CommandResult:
    """
    The cooperation agreement, drafted by the operator (OP-02), is signed after the
    project's approval (CONV-02).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.project(project)
    if record.agreement is not None:
        raise CommandRefused(
            f"{shown(project)} already has its agreement", field="project", value=project
        )
    steps = [command.by_operator("OP-02", "établir une convention de coopération")]
    if record.status is ProjectStatus.ADOPTED and record.decided_on is not None:
        steps.append(
            make_step(
                MESSAGES,
                "CONV-02",
                True,
                "agreement.after_approval",
                project=project,
                decided_on=record.decided_on,
            )
        )
    else:
        steps.append(
            make_step(MESSAGES, "CONV-02", False, "agreement.not_adopted", project=project)
        )
    steps.extend(command.active())
    return command.conclude(
        f"Convention de coopération {agreement}",
        steps,
        ("CONV-02", "OP-02"),
        AgreementSigned(project, agreement),
    )


def _advance(register: Register, project: str, status: AdvanceStatus, words: str) -> AdvanceRecord:
    """A project's advance, which must be in the status ``words`` describe."""
    advance = register.advance(project)
    if advance.status is not status:
        raise CommandRefused(
            f"{shown(project)}'s advance is {advance.status.value}, not {words}",
            field="project",
            value=project,
        )
    return advance


def _cash_step(position: FundPosition, amount: Decimal) -> Step:
    ok = amount <= position.cash
    code = "cash.sufficient" if ok else "cash.insufficient"
    return make_step(MESSAGES, "FUND-05", ok, code, cash=position.cash, amount=amount)


def disburse_advance(
    register: Register,
    project: str,
    *,
    instalments: int,
    frequency: Frequency = Frequency.MONTHLY,
    deferral: int = 0,
    amount: Decimal | None = None,
    on: date,
    actor: str,
    settings: Settings | None = None,
) -> CommandResult:
    """
    The operator pays out a committed advance (OP-01) once the cooperation agreement is
    signed (CONV-02), within the commitment and the fund's cash; the schedule starts on
    the day of payment (SCH-02). What is left of the commitment is released. The
    instalments are rounded by the territory's ``rounding`` setting in force that day
    (SCH-01), recorded in the event.

    Args:
        settings: The settings to read ``rounding`` from; the national ones by default.

    Raises:
        InvalidValue: The terms cannot make a schedule (e.g. fewer cents than instalments).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    advance = _advance(register, project, AdvanceStatus.COMMITTED, "committed")
    paid = advance.committed if amount is None else amount
    version = (settings or Settings.national()).resolve(
        "rounding", on=on, territory=_territory_id(register)
    )
    rounding = Rounding(str(version.value))
    payload = AdvanceDisbursed(project, paid, instalments, frequency, deferral, rounding)
    LoanTerms(
        principal=payload.amount,
        start=on,
        instalments=instalments,
        frequency=frequency,
        deferral=deferral,
        rounding=rounding,
    )
    within = payload.amount <= advance.committed
    steps = [
        command.by_operator("OP-01", "verser une avance"),
        agreement_step(project, register.project(project).agreement),
        make_step(
            MESSAGES,
            "FUND-04",
            within,
            "advance.within_commitment" if within else "advance.beyond_commitment",
            amount=payload.amount,
            committed=advance.committed,
        ),
        _cash_step(register.fund, payload.amount),
        make_step(
            MESSAGES,
            "SCH-01",
            True,
            "rounding.in_force",
            settings_used=(version,),
            rounding=rounding.value,
        ),
        *command.active(),
    ]
    return command.conclude(
        f"Versement de l'avance du projet {project}", steps, ("OP-01", "CONV-02", "SCH-02"), payload
    )


def reschedule_advance(
    register: Register,
    project: str,
    *,
    instalments: int,
    frequency: Frequency = Frequency.MONTHLY,
    deferral: int = 0,
    on: date,
    actor: str,
    settings: Settings,
) -> CommandResult:
    """
    The operator reschedules an advance being repaid (*réaménagement*, SCH-05): from
    ``on``, what is outstanding is spread over ``instalments`` new instalments at
    ``frequency``, the first due one period after ``on`` plus ``deferral``; payments
    made before count against the earlier terms, kept in the register. The rounding stays
    the one recorded at disbursement (SCH-01). An advance in default, written off or
    repaid is refused.

    An early repayment that lowers the instalment is a repayment followed by a
    rescheduling over the same number of instalments left.

    Args:
        settings: The territory's settings (the rescheduling reads none of its own today;
            kept for the commands' uniform signature).

    Raises:
        InvalidValue: The new terms cannot make a schedule (e.g. fewer cents outstanding
            than instalments).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    advance = register.advance(project)
    payload = AdvanceRescheduled(project, instalments, frequency, deferral)
    being_repaid = advance.status is AdvanceStatus.DISBURSED and advance.disbursed_on is not None
    if being_repaid:
        LoanTerms(
            principal=advance.outstanding,
            start=on,
            instalments=instalments,
            frequency=frequency,
            deferral=deferral,
            rounding=advance.rounding,
        )
        state = make_step(
            MESSAGES,
            "SCH-05",
            True,
            "reschedule.disbursed",
            disbursed_on=advance.disbursed_on,
            outstanding=advance.outstanding,
            instalments=instalments,
        )
    else:
        status = _ADVANCE_FRENCH[advance.status]
        state = make_step(MESSAGES, "SCH-05", False, "reschedule.not_disbursed", status=status)
    steps = [command.by_operator("SCH-05", "réaménager une avance"), state, *command.active()]
    return command.conclude(
        f"Réaménagement de l'avance du projet {project}", steps, ("SCH-05",), payload
    )


_ADVANCE_FRENCH: Final = {
    AdvanceStatus.COMMITTED: "engagée et pas encore versée",
    AdvanceStatus.DISBURSED: "versée",
    AdvanceStatus.REPAID: "remboursée",
    AdvanceStatus.DEFAULTED: "en défaut",
    AdvanceStatus.WRITTEN_OFF: "passée en perte",
}


def _repayment_step(outstanding: Decimal, amount: Decimal) -> Step:
    ok = amount <= outstanding
    code = "repayment.within_outstanding" if ok else "repayment.beyond_outstanding"
    return make_step(MESSAGES, "FUND-02", ok, code, amount=amount, outstanding=outstanding)


def _repayable(register: Register, project: str) -> Decimal:
    advance = register.advance(project)
    if advance.status not in {AdvanceStatus.DISBURSED, AdvanceStatus.DEFAULTED}:
        hint = (
            " (after a write-off, record a recovery)"
            if advance.status is AdvanceStatus.WRITTEN_OFF
            else ""
        )
        raise CommandRefused(
            f"{shown(project)}'s advance is {advance.status.value}: nothing is repaid on it{hint}",
            field="project",
            value=project,
        )
    return advance.outstanding


def receive_repayment(
    register: Register, project: str, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    A repayment into the fund (OP-01); never more than what is outstanding (FUND-02).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    payload = RepaymentReceived(project, amount)
    steps = [
        command.by_operator("OP-01", "encaisser un remboursement"),
        _repayment_step(_repayable(register, project), payload.amount),
    ]
    return command.conclude(
        f"Remboursement du projet {project}", steps, ("OP-01", "FUND-02"), payload
    )


def record_statement(
    register: Register,
    statement: str,
    lines: Sequence[StatementLine],
    *,
    closing_balance: Decimal | None = None,
    on: date,
    actor: str,
) -> CommandResult:
    """
    A bank statement of the fund's account listing instalments paid (OP-01): one event for
    many repayments. Each line stays within its advance's outstanding (FUND-02), and a
    closing balance, when given, must be the register's cash afterwards (FUND-05).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    payload = StatementReceived(statement, tuple(lines), closing_balance)
    steps = [command.by_operator("OP-01", "enregistrer un relevé")]
    outstanding: dict[str, Decimal] = {}
    total = ZERO
    for line in payload.lines:
        left = outstanding.get(line.project)
        if left is None:
            left = _repayable(register, line.project)
        step = _repayment_step(left, line.amount)
        if not step.passed:
            steps.append(step)
        outstanding[line.project] = left - line.amount
        total += line.amount
    if payload.closing_balance is not None:
        computed = register.fund.cash + total
        ok = computed == payload.closing_balance
        steps.append(
            make_step(
                MESSAGES,
                "FUND-05",
                ok,
                "statement.balances" if ok else "statement.differs",
                closing=payload.closing_balance,
                computed=computed,
                gap=payload.closing_balance - computed,
            )
        )
    return command.conclude(
        f"Relevé bancaire {statement}", steps, ("OP-01", "FUND-02", "FUND-05"), payload
    )


def loan_account(register: Register, project: str) -> LoanAccount:
    """
    A disbursed advance as :mod:`alize_core.servicing` follows it: its terms and rounding
    (SCH-01), the repayments recorded and its reschedulings in their order (SCH-05), for
    arrears and default (SCH-06).

    Raises:
        CommandRefused: The advance was not paid out.

    .. versionadded:: 0.1.0
    """
    advance = register.advance(project)
    if advance.disbursed_on is None or advance.instalments is None or advance.frequency is None:
        raise CommandRefused(
            f"{shown(project)}'s advance was not paid out", field="project", value=project
        )
    terms = LoanTerms(
        principal=advance.disbursed,
        start=advance.disbursed_on,
        instalments=advance.instalments,
        frequency=advance.frequency,
        deferral=advance.deferral or 0,
        rounding=advance.rounding,
    )
    account = open_advance(project, terms, territory=_territory_id(register))
    payments = [Payment(on, amount) for on, amount in advance.payments]
    events: list[ServicingEvent] = []
    made = 0
    for change in advance.reschedulings:
        events.extend(payments[made : change.payments_before])
        made = change.payments_before
        frequency = Frequency(change.frequency)
        events.append(Rescheduling(change.on, change.instalments, change.deferral, frequency))
    events.extend(payments[made:])
    return LoanAccount.replay(
        project,
        territory=account.territory,
        kind=account.kind,
        lender=account.lender,
        terms=terms,
        events=events,
    )


def declare_default(
    register: Register, project: str, *, on: date, actor: str, settings: Settings
) -> CommandResult:
    """
    The operator declares an advance in default (SCH-06) once an instalment has stayed
    unpaid longer than the territory's ``default_after_days`` setting.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    _advance(register, project, AdvanceStatus.DISBURSED, "being repaid")
    decision = loan_account(register, project).default_decision(on=on, settings=settings)
    role = command.by_operator("OP-01", "déclarer une avance en défaut")
    steps = [role, *decision.steps]
    accept = role.passed and decision.outcome is Outcome.ACCEPTED
    return command.conclude(
        f"Défaut de l'avance du projet {project}",
        steps,
        ("SCH-06",),
        AdvanceDefaulted(project),
        accept=accept,
    )


def write_off(
    register: Register, project: str, *, amount: Decimal | None = None, on: date, actor: str
) -> CommandResult:
    """
    Write off an advance in default, by default all that is outstanding: the fund's loss
    (FUND-02, SCH-06).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    advance = register.advance(project)
    outstanding = _repayable(register, project)
    payload = AdvanceWrittenOff(project, outstanding if amount is None else amount)
    steps = [command.by_operator("OP-01", "passer une avance en perte")]
    if advance.status is AdvanceStatus.DEFAULTED and advance.defaulted_on is not None:
        steps.append(
            make_step(
                MESSAGES, "SCH-06", True, "write_off.in_default", defaulted_on=advance.defaulted_on
            )
        )
    else:
        steps.append(make_step(MESSAGES, "SCH-06", False, "write_off.not_in_default"))
    steps.append(_repayment_step(outstanding, payload.amount))
    return command.conclude(
        f"Perte sur l'avance du projet {project}", steps, ("SCH-06", "FUND-02"), payload
    )


def receive_recovery(
    register: Register, project: str, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    Money recovered on a written-off advance, never more than what was lost (FUND-02, SCH-06).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    advance = _advance(register, project, AdvanceStatus.WRITTEN_OFF, "written off")
    payload = RecoveryReceived(project, amount)
    remaining = advance.written_off - advance.recovered
    ok = payload.amount <= remaining
    steps = [
        command.by_operator("OP-01", "encaisser une récupération"),
        make_step(
            MESSAGES,
            "FUND-02",
            ok,
            "recovery.within_loss" if ok else "recovery.beyond_loss",
            amount=payload.amount,
            remaining=remaining,
        ),
    ]
    return command.conclude(
        f"Récupération sur le projet {project}", steps, ("FUND-02", "SCH-06"), payload
    )


def _partner(register: Register, partner: str) -> PartnerCompany:
    company = register.partners.get(partner)
    if company is None:
        raise CommandRefused(
            f"{shown(partner)} is not a partner company", field="partner", value=partner
        )
    return company


def call_contribution(
    register: Register, partner: str, year: int, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    The operator calls a partner for its yearly contribution (FUND-01, PIL-04).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    company = _partner(register, partner)
    payload = ContributionCalled(partner, year, amount)
    steps = [
        command.by_operator("OP-01", "appeler une contribution"),
        *command.active(),
    ]
    return command.conclude(
        f"Appel de fonds à {company.name} ({year})", steps, ("FUND-01", "PIL-04"), payload
    )


def receive_contribution(
    register: Register, partner: str, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    A partner's contribution paid into the fund's account (FUND-01, OP-01).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    company = _partner(register, partner)
    payload = ContributionReceived(partner, amount)
    steps = [
        command.by_operator("OP-01", "encaisser une contribution"),
        *command.active(),
    ]
    return command.conclude(f"Contribution de {company.name}", steps, ("FUND-01", "OP-01"), payload)


def pay_fee(
    register: Register, amount: Decimal, label: str, *, on: date, actor: str
) -> CommandResult:
    """
    A fee paid from the fund's account (FUND-05), within its cash.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    payload = FeePaid(amount, label)
    steps = [
        command.by_operator("OP-01", "payer des frais sur le fonds"),
        _cash_step(register.fund, payload.amount),
    ]
    return command.conclude(f"Frais : {label}", steps, ("FUND-05", "OP-01"), payload)


def grant_mission(
    register: Register, mission: Mission, *, on: date, actor: str, settings: Settings
) -> CommandResult:
    """
    The operator records a skills contribution as the committee set it (ACC-02): a mentor
    employed by the partner (ACC-01), within the days granted to the project, with a
    warning above the yearly cap (ACC-03); other forms of support likewise (ACC-05).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    _unique(mission.id, register.missions, "mission")
    record = register.project(mission.project)
    person = register.person(mission.mentor)
    is_mentor = person is not None and person.role is PersonRole.MENTOR
    granted = record.means.mentor_days if record.means is not None else 0
    already = sum(
        m.mission.days_per_year
        for m in register.missions.values()
        if m.mission.project == mission.project
    )
    steps = [
        command.by_operator("OP-02", "enregistrer une mission"),
        mentor_step(
            mission.mentor,
            person.category if is_mentor and person is not None else None,
            person.organisation if person is not None else None,
            mission.partner,
        ),
    ]
    if granted:
        steps.append(
            make_step(
                MESSAGES,
                "ACC-02",
                True,
                "mission.committee_granted",
                granted=granted,
                project=mission.project,
            )
        )
        steps.append(days_step(already + mission.days_per_year, granted))
    else:
        steps.append(
            make_step(MESSAGES, "ACC-02", False, "mission.not_granted", project=mission.project)
        )
    territory = _territory_id(register)
    steps.append(cap_step(mission.days_per_year, on=on, territory=territory, settings=settings))
    steps.extend(command.active())
    return command.conclude(
        f"Mission {mission.id} ({mission.kind.french})",
        steps,
        ("ACC-01", "ACC-02", "ACC-03", "ACC-05"),
        MissionGranted(mission),
    )


def log_meeting(register: Register, mission: str, *, on: date, actor: str) -> CommandResult:
    """
    A meeting of a mission, logged by its mentor or the operator (ACC-04).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.mission(mission)
    person = register.person(actor)
    allowed = actor == record.mission.mentor or (
        person is not None and person.role is PersonRole.OPERATOR_STAFF
    )
    if allowed:
        step = make_step(
            MESSAGES,
            "ACC-04",
            True,
            "role.acts_as",
            actor=actor,
            role="intervenant"
            if actor == record.mission.mentor
            else PersonRole.OPERATOR_STAFF.french,
        )
    else:
        step = make_step(
            MESSAGES, "ACC-04", False, "role.not_mission_member", actor=actor, mission=mission
        )
    steps = [step, *command.active()]
    return command.conclude(
        f"Rencontre de la mission {mission}", steps, ("ACC-04",), MeetingLogged(mission)
    )


def log_time(
    register: Register, project: str, days: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    A member records the time they gave to a project (GOV-08): who (the actor), which
    project, when, how long; valued later at their category's rate (ACC-06).

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    register.project(project)
    person = register.person(actor)
    member = person is not None and person.role in _PARTNER_ROLES
    category = (person.category if person is not None else None) or MentorCategory.EXECUTIVE
    payload = TimeLogged(project, days, category)
    if member and person is not None:
        step = make_step(
            MESSAGES, "GOV-08", True, "role.acts_as", actor=actor, role=person.role.french
        )
    else:
        step = make_step(MESSAGES, "GOV-08", False, "role.not_member", actor=actor)
    steps = [step, *command.active()]
    return command.conclude(
        f"Temps passé sur le projet {project}", steps, ("GOV-08", "ACC-06"), payload
    )


def close_project(register: Register, project: str, *, on: date, actor: str) -> CommandResult:
    """
    The operator closes a project's accompaniment.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.project(project)
    if record.status is ProjectStatus.CLOSED:
        raise CommandRefused(f"{shown(project)} is already closed", field="project", value=project)
    steps = [command.by_operator("OP-02", "clore un projet")]
    return command.conclude(
        f"Clôture du projet {project}", steps, ("OP-02",), ProjectClosed(project)
    )


def sign_off_review(register: Register, year: int, *, on: date, actor: str) -> CommandResult:
    """
    The steering committee's State chair signs off the review of a past year (PIL-01,
    PIL-03); nobody else may.

    .. versionadded:: 0.1.0
    """
    command = _Command.start(register, on, actor)
    record = register.territory
    _territory_id(register)
    assert record is not None
    payload = ReviewSignedOff(year)
    if any(review.year == year for review in register.reviews):
        raise CommandRefused(
            f"the review of {year} is already signed off", field="year", value=year
        )
    if actor == record.state_chair:
        chair = make_step(
            MESSAGES,
            "PIL-01",
            True,
            "role.acts_as",
            actor=actor,
            role="président du comité local de pilotage",
        )
    else:
        chair = make_step(MESSAGES, "PIL-01", False, "role.not_state_chair", actor=actor)
    past = year < on.year
    steps = [
        chair,
        make_step(
            MESSAGES,
            "PIL-03",
            past,
            "review.previous_year" if past else "review.not_past",
            year=year,
            on_year=on.year,
        ),
    ]
    return command.conclude(f"Revue de l'année {year}", steps, ("PIL-01", "PIL-03"), payload)
