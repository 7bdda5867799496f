"""
The kinds of event (*natures d'événement*), each declared once: its name, its payload class, who acts, and whether it sets the programme up.

Every table about kinds is derived from :class:`EventKind`: the payload class of a kind
(:attr:`EventKind.payload`), the kind of a payload class (:func:`kind_of`), whether the
register's fold reads the actor (:attr:`Acting.recorded`), and whether an event is
activity that a convention must cover (:attr:`EventKind.setup`). The register binds one
fold handler to each kind (:mod:`alize_core.register.fold`) and refuses, when it is
imported, a kind without one. A new kind is one member here, one payload class in
:mod:`alize_core.journal.events` and one handler in the fold.

>>> EventKind.FEE_PAID.payload.__name__, EventKind.FEE_PAID.by, EventKind.FEE_PAID.setup
('FeePaid', <Acting.OPERATOR: 'operator'>, False)
>>> kind_of(EventKind.MEETING_LOGGED.payload("MI1"))
<EventKind.MEETING_LOGGED: 'meeting_logged'>
>>> EventKind.named("vote_cast") is EventKind.VOTE_CAST
True
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from alize_core.journal.events import (
    AdvanceDefaulted,
    AdvanceDisbursed,
    AdvanceRescheduled,
    AdvanceWrittenOff,
    AgreementSigned,
    ContributionCalled,
    ContributionReceived,
    ConventionSigned,
    EventPayload,
    FeePaid,
    FileValidated,
    MeetingLogged,
    MissionGranted,
    PartnerAdmitted,
    PersonEnrolled,
    PersonUpdated,
    ProjectClosed,
    ProjectIdentified,
    RecoveryReceived,
    RepaymentReceived,
    ReviewSignedOff,
    SessionClosed,
    SessionConvened,
    SessionOpened,
    SettingsAdopted,
    SmeRegistered,
    StatementReceived,
    TerritoryProposed,
    TerritoryValidated,
    TimeLogged,
    VoteCast,
)


__all__ = ["Acting", "EventKind", "kind_of"]


class Acting(enum.Enum):
    """
    Who gives the command that records an event (*qui agit*); the commands check it.

    .. versionadded:: 0.1.0
    """

    PROPOSER = "proposer"
    """Who proposes a territory, enrolled by it as the operator's staff (NAT-01)."""
    NATIONAL_COMMITTEE = "national_committee"
    """The national committee (NAT-01)."""
    OPERATOR = "operator"
    """The local operator's staff (OP-01…03)."""
    VOTER = "voter"
    """A partner company's representative present at the session (GOV-02)."""
    MISSION_MEMBER = "mission_member"
    """The mission's mentor, or the operator (ACC-04)."""
    MEMBER = "member"
    """A partner company's representative or mentor (GOV-08)."""
    STATE_CHAIR = "state_chair"
    """The State's representative who chairs the steering committee (PIL-01)."""

    @property
    def recorded(self) -> bool:
        """
        Whether the actor is part of what the event records (who voted, whose time, who
        signed off), which the register's fold then reads; for the others it is only who
        gave the command.
        """
        return self in _RECORDED


_RECORDED: Final = frozenset({Acting.PROPOSER, Acting.VOTER, Acting.MEMBER, Acting.STATE_CHAIR})


class EventKind(enum.StrEnum):
    """
    What an event records (*nature de l'événement*), declared once with its payload
    class, who acts and whether it sets the programme up.

    Attributes:
        payload: The class of its events' payloads.
        by: Who gives the command that records it.
        setup: Whether it sets the programme up: such an event is never flagged as
            activity outside a convention (CONV-01).

    .. versionadded:: 0.1.0
    """

    _value_: str
    payload: type[EventPayload]
    by: Acting
    setup: bool

    def __new__(
        cls, value: str, payload: type[EventPayload], by: Acting, setup: bool = False
    ) -> EventKind:
        member = str.__new__(cls, value)
        member._value_ = value
        member.payload = payload
        member.by = by
        member.setup = setup
        return member

    @classmethod
    def named(cls, name: str) -> EventKind:
        """
        The kind of a name as the journal writes it.

        Raises:
            ValueError: No kind has that name.
        """
        return cls(name)  # type: ignore[call-arg]  # the value lookup, not a declaration

    TERRITORY_PROPOSED = "territory_proposed", TerritoryProposed, Acting.PROPOSER, True
    TERRITORY_VALIDATED = "territory_validated", TerritoryValidated, Acting.NATIONAL_COMMITTEE, True
    PARTNER_ADMITTED = "partner_admitted", PartnerAdmitted, Acting.OPERATOR, True
    PERSON_ENROLLED = "person_enrolled", PersonEnrolled, Acting.OPERATOR, True
    PERSON_UPDATED = "person_updated", PersonUpdated, Acting.OPERATOR, True
    CONVENTION_SIGNED = "convention_signed", ConventionSigned, Acting.OPERATOR, True
    SME_REGISTERED = "sme_registered", SmeRegistered, Acting.OPERATOR, True
    PROJECT_IDENTIFIED = "project_identified", ProjectIdentified, Acting.OPERATOR
    FILE_VALIDATED = "file_validated", FileValidated, Acting.OPERATOR
    SESSION_CONVENED = "session_convened", SessionConvened, Acting.OPERATOR
    SESSION_OPENED = "session_opened", SessionOpened, Acting.OPERATOR
    VOTE_CAST = "vote_cast", VoteCast, Acting.VOTER
    SESSION_CLOSED = "session_closed", SessionClosed, Acting.OPERATOR
    AGREEMENT_SIGNED = "agreement_signed", AgreementSigned, Acting.OPERATOR
    ADVANCE_DISBURSED = "advance_disbursed", AdvanceDisbursed, Acting.OPERATOR
    ADVANCE_RESCHEDULED = "advance_rescheduled", AdvanceRescheduled, Acting.OPERATOR
    REPAYMENT_RECEIVED = "repayment_received", RepaymentReceived, Acting.OPERATOR
    STATEMENT_RECEIVED = "statement_received", StatementReceived, Acting.OPERATOR
    ADVANCE_DEFAULTED = "advance_defaulted", AdvanceDefaulted, Acting.OPERATOR
    ADVANCE_WRITTEN_OFF = "advance_written_off", AdvanceWrittenOff, Acting.OPERATOR
    RECOVERY_RECEIVED = "recovery_received", RecoveryReceived, Acting.OPERATOR
    CONTRIBUTION_CALLED = "contribution_called", ContributionCalled, Acting.OPERATOR
    CONTRIBUTION_RECEIVED = "contribution_received", ContributionReceived, Acting.OPERATOR
    FEE_PAID = "fee_paid", FeePaid, Acting.OPERATOR
    MISSION_GRANTED = "mission_granted", MissionGranted, Acting.OPERATOR
    MEETING_LOGGED = "meeting_logged", MeetingLogged, Acting.MISSION_MEMBER
    TIME_LOGGED = "time_logged", TimeLogged, Acting.MEMBER
    PROJECT_CLOSED = "project_closed", ProjectClosed, Acting.OPERATOR
    REVIEW_SIGNED_OFF = "review_signed_off", ReviewSignedOff, Acting.STATE_CHAIR
    SETTINGS_ADOPTED = "settings_adopted", SettingsAdopted, Acting.OPERATOR, True


def _kinds_of_payloads() -> Mapping[type[EventPayload], EventKind]:
    kinds: dict[type[EventPayload], EventKind] = {}
    for kind in EventKind:
        declared: object = kind.payload  # a declaration can be wrong: checked at import
        if not (isinstance(declared, type) and issubclass(declared, EventPayload)):
            msg = f"the payload of {kind} is not an EventPayload class: {declared!r}"
            raise TypeError(msg)
        if kind.payload in kinds:
            msg = f"{kind} and {kinds[kind.payload]} share the payload {kind.payload.__name__}"
            raise TypeError(msg)
        kinds[kind.payload] = kind
    return MappingProxyType(kinds)


_KIND_OF: Final = _kinds_of_payloads()


def kind_of(payload: EventPayload) -> EventKind:
    """
    The kind of event a payload records.

    Raises:
        TypeError: The payload's class is the payload of no kind.

    .. versionadded:: 0.1.0
    """
    kind = _KIND_OF.get(type(payload))
    if kind is None:
        msg = f"{type(payload).__name__} is the payload of no kind of event"
        raise TypeError(msg)
    return kind
