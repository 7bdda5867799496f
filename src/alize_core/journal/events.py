"""
The events (*événements*): one payload class per kind of event, and :class:`Event`, an event as the journal keeps it (id, date, actor, rule ids, payload, digests).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import attrs

from alize_core.governance.committee import Ballot
from alize_core.governance.session import AgendaEntry
from alize_core.kernel.decisions import Outcome
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import Rounding, to_money
from alize_core.kernel.settings import SettingVersion
from alize_core.kernel.validation import (
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
from alize_core.lending.terms import Frequency
from alize_core.parties.model import (
    LocalOperator,
    PartnerCompany,
    PersonRole,
    Project,
    PublicBody,
    Sme,
    Territory,
)
from alize_core.programme.accompaniment import MentorCategory, Mission, check_days
from alize_core.programme.conventions import TriennialConvention


__all__ = [
    "AdvanceDefaulted",
    "AdvanceDisbursed",
    "AdvanceRescheduled",
    "AdvanceWrittenOff",
    "AgreementSigned",
    "ContributionCalled",
    "ContributionReceived",
    "ConventionSigned",
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
    "ProjectClosed",
    "ProjectIdentified",
    "RecoveryReceived",
    "RepaymentReceived",
    "ReviewSignedOff",
    "SessionClosed",
    "SessionConvened",
    "SessionOpened",
    "SettingsAdopted",
    "SmeRegistered",
    "StatementLine",
    "StatementReceived",
    "TerritoryProposed",
    "TerritoryValidated",
    "TimeLogged",
    "VoteCast",
]


# --- Payloads: what each kind of event records. ---
#
# A payload about one project holds its id in a private base (and one moving money for its
# advance, the amount too), whose fields come first: each class keeps its fields, their
# order and so its JSON form, which the chain's digests cover. Every kind's payload is an
# EventPayload (which has no fields); the kind it records is declared in kinds.py.


def _money(value: object, *, field: str, allow_zero: bool = False) -> Decimal:
    return to_money(value, field=field, positive=not allow_zero, non_negative=True, quantized=True)


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
class EventPayload:
    """
    What an event records (*contenu de l'événement*): the base of every kind's payload
    class, which :class:`~alize_core.journal.kinds.EventKind` names for each kind.

    .. versionadded:: 0.1.0
    """


@attrs.frozen
class _OfProject:
    """A payload about one project, named by its id."""

    project: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class TerritoryProposed(EventPayload):
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
class TerritoryValidated(EventPayload):
    """The national committee validated the territory (NAT-01)."""


@attrs.frozen
class PartnerAdmitted(EventPayload):
    """A partner company joined the programme."""

    partner: PartnerCompany = attrs.field(validator=attrs.validators.instance_of(PartnerCompany))


@attrs.frozen
class PersonEnrolled(EventPayload):
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
class PersonUpdated(EventPayload):
    """A person's activity changed (e.g. a representative retired, GOV-05)."""

    person: str = attrs.field(validator=checked(check_id))
    in_activity: bool = attrs.field(validator=checked(check_flag))


@attrs.frozen
class ConventionSigned(EventPayload):
    """A triennial convention signed (CONV-01)."""

    convention: TriennialConvention = attrs.field(
        validator=attrs.validators.instance_of(TriennialConvention)
    )


@attrs.frozen
class SmeRegistered(EventPayload):
    """An SME known to the programme."""

    sme: Sme = attrs.field(validator=attrs.validators.instance_of(Sme))


@attrs.frozen
class ProjectIdentified(EventPayload):
    """An SME's project identified by the operator."""

    project: Project = attrs.field(validator=attrs.validators.instance_of(Project))


@attrs.frozen
class FileValidated(_OfProject, EventPayload):
    """The operator validated a project's file, which is eligible (OP-03, ELIG-01…04)."""


@attrs.frozen
class SessionConvened(EventPayload):
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
class SessionOpened(EventPayload):
    """Who attended a session and who presided (GOV-04, GOV-05, GOV-07)."""

    session: str = attrs.field(validator=checked(check_id))
    attendees: tuple[str, ...] = attrs.field(converter=_attendee_ids)
    president: str = attrs.field(validator=checked(check_id))
    presenters: tuple[Presenter, ...] = attrs.field(default=(), validator=tuple_of(Presenter))


@attrs.frozen
class VoteCast(EventPayload):
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
class SessionClosed(EventPayload):
    """
    A session's decisions recorded by the operator (GOV-01…11); each adopted advance is
    committed on the fund (FUND-04).
    """

    session: str = attrs.field(validator=checked(check_id))
    valid: bool = attrs.field(validator=checked(check_flag))
    decisions: tuple[ItemOutcome, ...] = attrs.field(validator=tuple_of(ItemOutcome))


@attrs.frozen
class AgreementSigned(_OfProject, EventPayload):
    """The cooperation agreement signed with the SME (CONV-02)."""

    agreement: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class _ProjectAmount(_OfProject):
    """Money moved for one project's advance, in euros and cents."""

    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class AdvanceDisbursed(_ProjectAmount, EventPayload):
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
class AdvanceRescheduled(_OfProject, EventPayload):
    """
    The advance rescheduled (*réaménagement*, SCH-05): from the event's date, what is
    outstanding is spread over new instalments, the first due one period after that date
    plus the deferral. Nothing is paid or received.
    """

    instalments: int = attrs.field(validator=checked(check_count, minimum=1, maximum=600))
    frequency: Frequency = attrs.field(validator=member_of(Frequency))
    deferral: int = attrs.field(default=0, validator=checked(check_count, maximum=600))


@attrs.frozen
class RepaymentReceived(_ProjectAmount, EventPayload):
    """A repayment of an advance into the fund's account (FUND-02)."""


@attrs.frozen
class StatementLine(_ProjectAmount):
    """One instalment paid, as a bank statement lists it."""


@attrs.frozen
class StatementReceived(EventPayload):
    """
    A bank statement of the fund's account listing the instalments paid (OP-01); one event
    for many repayments. Its closing balance, when given, must match the register's cash.
    """

    statement: str = attrs.field(validator=checked(check_id))
    lines: tuple[StatementLine, ...] = attrs.field(validator=tuple_of(StatementLine))
    closing_balance: Decimal | None = attrs.field(default=None, converter=_closing_balance)


@attrs.frozen
class AdvanceDefaulted(_OfProject, EventPayload):
    """An advance declared in default after too long unpaid (SCH-06)."""


@attrs.frozen
class AdvanceWrittenOff(_ProjectAmount, EventPayload):
    """An advance in default written off: the fund's loss (FUND-02, SCH-06)."""


@attrs.frozen
class RecoveryReceived(_ProjectAmount, EventPayload):
    """Money recovered on a written-off advance (FUND-02, SCH-06)."""


@attrs.frozen
class ContributionCalled(EventPayload):
    """A partner called to pay its contribution for a year (FUND-01, PIL-04)."""

    partner: str = attrs.field(validator=checked(check_id))
    year: int = attrs.field(validator=checked(check_count, minimum=1900, maximum=2999))
    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class ContributionReceived(EventPayload):
    """A partner's contribution paid into the fund (FUND-01, OP-01)."""

    partner: str = attrs.field(validator=checked(check_id))
    amount: Decimal = attrs.field(converter=_amount)


@attrs.frozen
class FeePaid(EventPayload):
    """A bank or management fee paid from the fund (FUND-05)."""

    amount: Decimal = attrs.field(converter=_amount)
    label: str = attrs.field(validator=checked(check_text))


@attrs.frozen
class MissionGranted(EventPayload):
    """A skills contribution recorded as the committee set it (ACC-01, ACC-02, ACC-05)."""

    mission: Mission = attrs.field(validator=attrs.validators.instance_of(Mission))


@attrs.frozen
class MeetingLogged(EventPayload):
    """A meeting of a mission (ACC-04)."""

    mission: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class TimeLogged(_OfProject, EventPayload):
    """Time a member gave to a project (GOV-08); the actor is the member."""

    days: Decimal = attrs.field(converter=_days)
    category: MentorCategory = attrs.field(validator=member_of(MentorCategory))


@attrs.frozen
class ProjectClosed(_OfProject, EventPayload):
    """A project's accompaniment ended."""


def _adopted(value: object) -> tuple[SettingVersion, ...]:
    versions = tuple(value) if isinstance(value, list | tuple) else None
    if not versions or not all(isinstance(v, SettingVersion) for v in versions):
        raise InvalidValue("versions", value, "must be one or more setting versions")
    territories = {v.territory for v in versions}
    if None in territories or len(territories) > 1:
        raise InvalidValue("versions", value, "must all be one territory's own")
    if len({v.name for v in versions}) < len(versions):
        raise InvalidValue("versions", value, "must set each setting once")
    return versions


@attrs.frozen
class SettingsAdopted(EventPayload):
    """
    A territory's own settings adopted from a date (its *règlement intérieur*, GOV-04…):
    each a value of a setting a territory may set, cited to the article that sets it, in
    force from its start until the territory adopts another value of that setting.
    """

    versions: tuple[SettingVersion, ...] = attrs.field(converter=_adopted)


@attrs.frozen
class ReviewSignedOff(EventPayload):
    """The steering committee's review of a year, signed off by its State chair (PIL-01, PIL-03)."""

    year: int = attrs.field(validator=checked(check_count, minimum=1900, maximum=2999))
