"""
The parts of a session of the approval committee (*séance*), private.

:class:`Attendee`, :class:`AgendaItem`, :class:`Means` and
:class:`CommitteeSession` are re-exported by :mod:`alize_core.governance.committee`,
which decides on them; this module only checks that a session holds together
(every reference names someone present, nothing repeats) and refuses bad input
with the field and the value.

>>> Means(mentor_days=400)
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: mentor_days: 400 must be a whole number, at most 366

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import MappingProxyType
from typing import Final

import attrs

from alize_core.governance.votes import Ballot, Choice
from alize_core.kernel.errors import InvalidValue, MissingValue
from alize_core.kernel.money import ZERO, format_eur, to_money
from alize_core.kernel.validation import (
    check_count,
    check_date,
    check_flag,
    check_id,
    check_text,
    checked,
    optional,
)
from alize_core.parties.model import CompanyRepresentative, PartnerCompany


__all__ = [
    "AgendaEntry",
    "AgendaItem",
    "Attendee",
    "AttendeeRole",
    "CommitteeSession",
    "Means",
    "counted",
]


class AttendeeRole(Choice, field="role"):
    """
    In what capacity a person attends a session (*qualité*).

    .. versionadded:: 0.1.0
    """

    COMPANY_REPRESENTATIVE = "company_representative"
    """A partner company's representative (*représentant d'entreprise*): votes (GOV-02)."""
    LOCAL_OPERATOR = "local_operator"
    """The local operator's staff (*opérateur local*): must attend (GOV-04), no vote."""
    RELAY_STRUCTURE = "relay_structure"
    """A relay structure (*structure relais*): attends for its files (GOV-07), no vote."""
    OTHER_SCHEME = "other_scheme"
    """Another support scheme (*autre dispositif*): attends for its files (GOV-07), no vote."""
    PUBLIC_BODY = "public_body"
    """A public body (*collectivité, service de l'État*): attends, no vote (GOV-02)."""

    @property
    def french(self) -> str:
        """The role as the minutes write it."""
        return _FRENCH_ROLES[self]

    @property
    def guest(self) -> bool:
        """Whether the role attends only for the files it presents (GOV-07)."""
        return self in {AttendeeRole.RELAY_STRUCTURE, AttendeeRole.OTHER_SCHEME}


_FRENCH_ROLES: Final = {
    AttendeeRole.COMPANY_REPRESENTATIVE: "représentant d'entreprise",
    AttendeeRole.LOCAL_OPERATOR: "opérateur local",
    AttendeeRole.RELAY_STRUCTURE: "structure relais",
    AttendeeRole.OTHER_SCHEME: "autre dispositif",
    AttendeeRole.PUBLIC_BODY: "organisme public",
}


def _id_set(value: object, field: str) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise InvalidValue(field, value, "must be a list of ids")
    ids = frozenset(value)
    for item in sorted(ids, key=str):
        check_id(item, field=field)
    return ids


def _presents(value: object) -> frozenset[str]:
    return _id_set(value, "presents")


def _conflicted(value: object) -> frozenset[str]:
    return _id_set(value, "conflicted")


@attrs.frozen(kw_only=True)
class Attendee:
    """
    A person present at a session (*participant*), in one role.

    Attributes:
        id: The person's id, as the ballots and the president name them.
        name: The person's name, for the minutes.
        role: In what capacity they attend (:class:`AttendeeRole`).
        company: For a company representative, the id of the partner company.
        in_activity: For a company representative, whether they are in activity
            (not retired) (GOV-05); required for them, absent for everyone else.
        presents: For a relay structure or another scheme, the projects whose
            files they present (GOV-07).

    >>> Attendee(id="A1", name="Luc Martin", role="company_representative", company="C1")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.MissingValue: in_activity: is required and was not given

    .. versionadded:: 0.1.0
    """

    id: str
    name: str
    role: AttendeeRole = attrs.field(converter=AttendeeRole)
    company: str | None = None
    in_activity: bool | None = None
    presents: frozenset[str] = attrs.field(default=frozenset(), converter=_presents)

    def __attrs_post_init__(self) -> None:
        check_id(self.id, field="id")
        check_text(self.name, field="name")
        if self.role is AttendeeRole.COMPANY_REPRESENTATIVE:
            if self.company is None:
                raise MissingValue("company", None)
            check_id(self.company, field="company")
            if self.in_activity is None:
                raise MissingValue("in_activity", None)
            check_flag(self.in_activity, field="in_activity")
        else:
            if self.company is not None:
                reason = f"is given for a {self.role.french}; only a company representative has one"
                raise InvalidValue("company", self.company, reason)
            if self.in_activity is not None:
                reason = (
                    f"is given for a {self.role.french}; only a company representative's"
                    " activity is recorded (GOV-05)"
                )
                raise InvalidValue("in_activity", self.in_activity, reason)
        if self.presents and not self.role.guest:
            reason = (
                f"is given for a {self.role.french}; only relay structures and other schemes"
                " present files (GOV-07)"
            )
            raise InvalidValue("presents", sorted(self.presents), reason)

    @classmethod
    def from_representative(cls, representative: CompanyRepresentative, name: str) -> Attendee:
        """
        A partner company's representative, attending in person.

        >>> Attendee.from_representative(CompanyRepresentative("R4", "C2", False), "Marc Roy")
        Attendee(id='R4', name='Marc Roy', role=<AttendeeRole.COMPANY_REPRESENTATIVE: 'company_representative'>, company='C2', in_activity=False, presents=frozenset())
        """
        return cls(
            id=representative.id,
            name=name,
            role=AttendeeRole.COMPANY_REPRESENTATIVE,
            company=representative.company,
            in_activity=representative.in_activity,
        )

    @property
    def votes(self) -> bool:
        """Whether the role holds a vote: only company representatives do (GOV-02)."""
        return self.role is AttendeeRole.COMPANY_REPRESENTATIVE


def _amount(value: object, field: str) -> Decimal:
    return to_money(value, field=field, non_negative=True, quantized=True)


def _advance(value: object) -> Decimal:
    return _amount(value, "advance")


def _subsidised_loan(value: object) -> Decimal:
    return _amount(value, "subsidised_loan")


_DAYS: Final = checked(check_count, maximum=366)


@attrs.frozen(kw_only=True)
class Means:
    """
    The human and financial means put to a vote with a project (*moyens*, GOV-10).

    Attributes:
        advance: The repayable advance from the territory's fund, in euros (*avance
            remboursable*).
        subsidised_loan: A partner's subsidised loan, in euros (*prêt bonifié*, FUND-03).
        mentor_days: Days a year of a partner's executive lent to the SME (*apport en
            compétences*).

    >>> Means(advance="25000", mentor_days=6).describe()
    "avance remboursable de 25\\xa0000,00\\xa0€, 6 jours par an d'apport en compétences"
    >>> Means(advance=12.5)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: advance: 12.5 is a binary float; write amounts as text or Decimal, e.g. "12.50"

    .. versionadded:: 0.1.0
    """

    advance: Decimal = attrs.field(default=ZERO, converter=_advance)
    subsidised_loan: Decimal = attrs.field(default=ZERO, converter=_subsidised_loan)
    mentor_days: int = attrs.field(default=0, validator=_DAYS)

    @property
    def any(self) -> bool:
        """Whether anything is granted at all."""
        return bool(self.advance or self.subsidised_loan or self.mentor_days)

    def describe(self) -> str:
        """The means in French, as a decision or the minutes state them."""
        parts = []
        if self.advance:
            parts.append(f"avance remboursable de {format_eur(self.advance)}")
        if self.subsidised_loan:
            parts.append(f"prêt bonifié de {format_eur(self.subsidised_loan)}")
        if self.mentor_days:
            days = counted(self.mentor_days, "jour", "jours")
            parts.append(f"{days} par an d'apport en compétences")
        return ", ".join(parts) or "aucun moyen chiffré"


def _ballots(value: Mapping[str, object]) -> Mapping[str, Ballot]:
    if not isinstance(value, Mapping):
        raise InvalidValue("ballots", value, "must map each member's id to for, against or abstain")
    ballots = {}
    for member, ballot in value.items():
        check_id(member, field="ballots")
        ballots[member] = Ballot.parse(ballot)
    return MappingProxyType(ballots)


@attrs.frozen(kw_only=True)
class AgendaItem:
    """
    A project on a session's agenda (*point de l'ordre du jour*) and its vote.

    Attributes:
        project: The project's id.
        operator_validated: Whether the operator validated its file before the
            session (OP-03); an item not validated is not examined.
        conflicted: Members with a conflict of interest on this project: their company
            is the SME's customer, supplier or shareholder (GOV-11).
        ballots: Each member's ballot, by attendee id (a read-only mapping); a
            representative present without a ballot counts as not for (GOV-01).
        means: The means put to the vote (GOV-10).

    >>> item = AgendaItem(project="P1", operator_validated=True, ballots={"A1": "for"})
    >>> item.ballots["A1"]
    <Ballot.FOR: 'for'>
    >>> AgendaItem(project="P1", operator_validated=True, ballots={"A1": "oui"})
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: ballot: 'oui' must be one of for, against, abstain

    .. versionadded:: 0.1.0
    """

    project: str
    operator_validated: bool
    conflicted: frozenset[str] = attrs.field(default=frozenset(), converter=_conflicted)
    ballots: Mapping[str, Ballot] = attrs.field(
        factory=lambda: MappingProxyType({}), converter=_ballots, hash=False
    )
    means: Means = attrs.field(factory=Means)

    def __attrs_post_init__(self) -> None:
        check_id(self.project, field="project")
        check_flag(self.operator_validated, field="operator_validated")
        if not isinstance(self.means, Means):
            raise InvalidValue("means", self.means, "must be the means granted (Means)")


def _check_unique(ids: Iterable[str], field: str, what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(ids):
        if value in seen:
            raise InvalidValue(f"{field}[{index}]", value, f"appears twice {what}")
        seen.add(value)


def _tuple_of_attendees(value: Iterable[Attendee]) -> tuple[Attendee, ...]:
    return tuple(value)


def _tuple_of_companies(value: Iterable[PartnerCompany]) -> tuple[PartnerCompany, ...]:
    return tuple(value)


def _tuple_of_items(value: Iterable[AgendaItem]) -> tuple[AgendaItem, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class CommitteeSession:
    """
    One meeting of the approval committee (*séance du comité d'agrément*).

    The operator convenes it with a date and an agenda, and writes its minutes
    (OP-02, see :mod:`alize_core.governance.minutes`).

    Attributes:
        territory: The territory's id.
        date: The day of the session; the settings in force that day apply.
        partner_companies: The territory's partner companies (the base of a quorum
            set as a fraction, GOV-04).
        attendees: Everyone present, each in one role.
        president: The attendee id of the president of the session (GOV-05).
        items: The agenda, in order.

    >>> CommitteeSession(territory="T1", date=dt.date(2026, 3, 12), president="A1",
    ...                  attendees=[Attendee(id="OP", name="Claire Renard", role="local_operator")])
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: president: 'A1' is not one of the attendees

    .. versionadded:: 0.1.0
    """

    territory: str
    date: dt.date
    partner_companies: tuple[PartnerCompany, ...] = attrs.field(
        default=(), converter=_tuple_of_companies
    )
    attendees: tuple[Attendee, ...] = attrs.field(converter=_tuple_of_attendees)
    president: str
    items: tuple[AgendaItem, ...] = attrs.field(default=(), converter=_tuple_of_items)

    def __attrs_post_init__(self) -> None:
        check_id(self.territory, field="territory")
        check_date(self.date, field="date")
        check_id(self.president, field="president")
        _check_unique((c.id for c in self.partner_companies), "partner_companies", "")
        _check_unique((a.id for a in self.attendees), "attendees", "among the attendees")
        _check_unique((i.project for i in self.items), "items", "on the agenda")
        companies = {c.id for c in self.partner_companies}
        attendees = {a.id: a for a in self.attendees}
        for index, attendee in enumerate(self.attendees):
            if attendee.company is not None and attendee.company not in companies:
                reason = "is not one of the session's partner companies"
                raise InvalidValue(f"attendees[{index}].company", attendee.company, reason)
        if self.president not in attendees:
            raise InvalidValue("president", self.president, "is not one of the attendees")
        for index, item in enumerate(self.items):
            for member in sorted(item.ballots):
                if member not in attendees:
                    field = f"items[{index}].ballots"
                    raise InvalidValue(field, member, "is not one of the attendees")
            for member in sorted(item.conflicted):
                if member not in attendees or not attendees[member].votes:
                    reason = "is not a company representative present (GOV-11)"
                    raise InvalidValue(f"items[{index}].conflicted", member, reason)

    def attendee(self, attendee_id: str) -> Attendee:
        """
        The attendee with this id.

        Raises:
            InvalidValue: Nobody attends with this id.
        """
        for attendee in self.attendees:
            if attendee.id == attendee_id:
                return attendee
        raise InvalidValue("attendee", attendee_id, "is not one of the attendees")

    def item(self, project: str) -> AgendaItem:
        """
        The agenda item of this project.

        Raises:
            InvalidValue: The project is not on the agenda.
        """
        for item in self.items:
            if item.project == project:
                return item
        raise InvalidValue("project", project, "is not on this session's agenda")

    def company_name(self, company_id: str) -> str:
        """The name of a partner company, for the minutes (its id if it is unknown)."""
        for company in self.partner_companies:
            if company.id == company_id:
                return company.name
        return company_id

    def with_role(self, role: AttendeeRole) -> tuple[Attendee, ...]:
        """The attendees in this role, in order."""
        return tuple(a for a in self.attendees if a.role is role)

    @property
    def representatives(self) -> tuple[Attendee, ...]:
        """The company representatives present: the only voters (GOV-02)."""
        return self.with_role(AttendeeRole.COMPANY_REPRESENTATIVE)

    @property
    def guests(self) -> tuple[Attendee, ...]:
        """The relay structures and other schemes present (GOV-07)."""
        return tuple(a for a in self.attendees if a.role.guest)

    def presenters(self, project: str) -> tuple[Attendee, ...]:
        """The guests who present this project's file (GOV-07)."""
        return tuple(a for a in self.guests if project in a.presents)


def counted(count: int, singular: str, plural: str) -> str:
    """A count and its noun, in French (0 and 1 take the singular)."""
    return f"{count} {singular if count <= 1 else plural}"


def _means(value: object) -> Decimal:
    return to_money(value, field="means", non_negative=True, quantized=True)


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
    alize_core.kernel.errors.InvalidValue: means: 2.5 is a binary float; write amounts as text or Decimal, e.g. "12.50"

    .. versionadded:: 0.1.0
    """

    project: str = attrs.field(validator=checked(check_id))
    advance: Decimal = attrs.field(default=ZERO, converter=_means)
    subsidised_loan: Decimal = attrs.field(default=ZERO, converter=_means)
    lender: str | None = attrs.field(default=None, validator=optional(check_id))
    mentor_days: int = attrs.field(default=0, validator=checked(check_count, maximum=366))
    conflicted: tuple[str, ...] = attrs.field(default=(), converter=_member_ids)
