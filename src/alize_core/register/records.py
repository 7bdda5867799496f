"""
The register's records (*fiches du registre*): territory, people, projects, sessions, advances, partners' accounts, missions, reviews and findings, as the views give them.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.governance.session import AgendaEntry
from alize_core.kernel.decisions import Outcome
from alize_core.kernel.errors import UnknownRecord
from alize_core.kernel.money import Rounding, from_cents
from alize_core.lending.life import AccountStatus, AdvanceLife
from alize_core.parties.model import LocalOperator, PersonRole, Project, PublicBody, Territory
from alize_core.programme.accompaniment import MentorCategory, Mission
from alize_core.programme.conventions import CooperationAgreement, TerritoryStatus


__all__ = [
    "AdvanceRecord",
    "AdvanceRescheduling",
    "AdvanceStatus",
    "AgendaEntry",
    "Finding",
    "MissionRecord",
    "PartnerAccount",
    "Person",
    "PersonRole",
    "ProjectRecord",
    "ProjectStatus",
    "Review",
    "SessionRecord",
    "TerritoryRecord",
]


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

    @property
    def french(self) -> str:
        """
        Where the advance stands, in French.

        >>> AdvanceStatus.WRITTEN_OFF.french
        'passée en perte'
        """
        return _ADVANCE_FRENCH[self]

    @classmethod
    def of_account(cls, status: AccountStatus) -> AdvanceStatus:
        """
        The register's name for where a paid-out advance stands in its life
        (:class:`~alize_core.lending.life.AccountStatus`): *active* is ``disbursed``,
        *closed* is ``repaid``.

        >>> AdvanceStatus.of_account(AccountStatus.CLOSED)
        <AdvanceStatus.REPAID: 'repaid'>
        """
        return _OF_ACCOUNT[status]


_OF_ACCOUNT: Final = {
    AccountStatus.ACTIVE: AdvanceStatus.DISBURSED,
    AccountStatus.DEFAULTED: AdvanceStatus.DEFAULTED,
    AccountStatus.WRITTEN_OFF: AdvanceStatus.WRITTEN_OFF,
    AccountStatus.CLOSED: AdvanceStatus.REPAID,
}


# --- The register's public views. ---


_ADVANCE_FRENCH: Final = {
    AdvanceStatus.COMMITTED: "engagée",
    AdvanceStatus.DISBURSED: "en cours",
    AdvanceStatus.REPAID: "remboursée",
    AdvanceStatus.DEFAULTED: "en défaut",
    AdvanceStatus.WRITTEN_OFF: "passée en perte",
}


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

    def get_entry(self, project: str) -> AgendaEntry | None:
        """The agenda entry of a project, or ``None`` (:meth:`entry` raises instead)."""
        for entry in self.agenda:
            if entry.project == project:
                return entry
        return None

    def entry(self, project: str) -> AgendaEntry:
        """
        The agenda entry of a project.

        Raises:
            UnknownRecord: The project is not on the session's agenda (the record kind
                named is ``agenda entry``).
        """
        entry = self.get_entry(project)
        if entry is None:
            raise UnknownRecord("agenda entry", project)
        return entry


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
        written_off_on: The date it was written off.
        recovery_log: Each recovery as ``(ISO date, cents)``.
        life: Its life since it was paid out (:mod:`alize_core.lending.life`), in cents:
            where it stands on any date; ``None`` before it is paid out.
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
    written_off_on: date | None = None
    recovery_log: tuple[tuple[str, int], ...] = ()
    life: AdvanceLife | None = None

    @property
    def outstanding(self) -> Decimal:
        """What the SME still owes: paid out less repaid and written off."""
        return self.disbursed - self.repaid - self.written_off

    @property
    def recoveries(self) -> tuple[tuple[date, Decimal], ...]:
        """Each recovery as (date, amount)."""
        return tuple((date.fromisoformat(on), from_cents(c)) for on, c in self.recovery_log)

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
