"""
Commands of the approval committee (*comité d'agrément*): files validated, sessions convened, opened, voted and closed, agreements signed (OP-03, GOV-01…11, ELIG-01…04).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Final

import attrs

from alize_core.commands.base import (
    MESSAGES,
    Command,
    CommandResult,
    check_unique,
    known,
    territory_id,
)
from alize_core.governance.committee import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    Ballot,
    CommitteeSession,
    Means,
    SessionDecision,
    decide,
)
from alize_core.governance.eligibility import check_eligibility
from alize_core.governance.session import AgendaEntry
from alize_core.journal.events import (
    AgreementSigned,
    FileValidated,
    ItemOutcome,
    Presenter,
    SessionClosed,
    SessionConvened,
    SessionOpened,
    VoteCast,
)
from alize_core.kernel.decisions import Outcome, Step, make_step
from alize_core.kernel.errors import CommandRefused
from alize_core.kernel.money import ZERO
from alize_core.kernel.validation import check_date
from alize_core.parties.model import PersonRole
from alize_core.programme.fund import commitment_step
from alize_core.register.records import ProjectStatus
from alize_core.register.views import Register


__all__ = [
    "cast_vote",
    "close_session",
    "committee_session",
    "convene_session",
    "open_session",
    "sign_agreement",
    "validate_file",
]


def _status(record_status: ProjectStatus, allowed: Iterable[ProjectStatus], project: str) -> None:
    allowed = tuple(allowed)
    if record_status not in allowed:
        words = " or ".join(s.value for s in allowed)
        msg = f"is {record_status.value}; this needs a project that is {words}"
        raise CommandRefused("project", project, f"{msg}")


def validate_file(register: Register, project: str, *, on: date, actor: str) -> CommandResult:
    """
    The operator validates a project's file (OP-03), which must be eligible
    (ELIG-01…04): refused with every failed eligibility step otherwise.

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    record = known(register.get_project(project), "project", project)
    _status(record.status, [ProjectStatus.IDENTIFIED], project)
    territory = register.territory
    assert territory is not None
    eligibility = check_eligibility(
        register.smes[record.project.sme],
        record.project,
        territory.territory,
        on=on,
        settings=register.settings,
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
    command = Command.start(register, on, actor)
    check_date(session_date, field="session_date")
    if session_date < on:
        raise CommandRefused(
            "session_date", session_date, f"is before the day it is convened ({on.isoformat()})"
        )
    check_unique(session, register.sessions, "session")
    payload = SessionConvened(session, session_date, tuple(agenda))
    if not agenda:
        raise CommandRefused("agenda", None, "a session needs at least one project on its agenda")
    steps = [
        command.by_operator("OP-02", "convoquer une séance"),
        *command.active(),
    ]
    partners = register.partners
    for entry in agenda:
        record = known(register.get_project(entry.project), "project", entry.project)
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
    command = Command.start(register, on, actor)
    record = known(register.get_session(session), "session", session)
    if record.opened:
        raise CommandRefused("session", session, "is already opened")
    if on != record.on:
        raise CommandRefused("on", on, f"is not the session's date ({record.on.isoformat()})")
    payload = SessionOpened(session, tuple(attendees), president, tuple(presenters))
    for person in payload.attendees:
        attendee = register.get_person(person)
        if attendee is None or attendee.role not in _ATTENDANCE_ROLES:
            raise CommandRefused("attendees", person, "is not a person who may attend a session")
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
    command = Command.start(register, on, actor)
    record = known(register.get_session(session), "session", session)
    if not record.opened or record.closed:
        raise CommandRefused("session", session, "is not open for votes")
    if record.get_entry(project) is None:
        raise CommandRefused("project", project, f"is not on the agenda of {session}")
    if any(p == project and who == actor for p, who, _ in record.ballots):
        raise CommandRefused("actor", actor, f"has already voted on {project}")
    payload = VoteCast(session, project, Ballot.parse(ballot))
    person = register.get_person(actor)
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
    A recorded session as :mod:`alize_core.governance.committee` decides it: people are named by
    their ids (their names stay outside the register).

    .. versionadded:: 0.1.0
    """
    record = known(register.get_session(session), "session", session)
    territory = territory_id(register)
    if record.president is None:
        raise CommandRefused("session", session, "has no attendance recorded")
    presents = dict(record.presenters)
    attendees = []
    for person_id in record.attendees:
        person = register.person(person_id)  # an attendee is known to the register
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


def close_session(register: Register, session: str, *, on: date, actor: str) -> CommandResult:
    """
    The operator records a session's decisions, as :func:`alize_core.governance.committee.decide`
    makes them from the attendance and ballots (GOV-01…11). Each adopted advance is
    committed on the fund, within what it has available (FUND-04: refused, or warned
    when the territory's ``fund_overcommitment`` setting says ``warn``).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    record = known(register.get_session(session), "session", session)
    if record.closed:
        raise CommandRefused("session", session, "is already closed")
    decided: SessionDecision = decide(committee_session(register, session), register.settings)
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
        entry = record.get_entry(item.project)
        if item.outcome is Outcome.ADOPTED and entry is not None and entry.advance:
            view = attrs.evolve(position, committed=position.committed + committed)
            commitment = commitment_step(
                view,
                entry.advance,
                on=on,
                territory=territory_id(register),
                settings=register.settings,
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
    command = Command.start(register, on, actor)
    record = known(register.get_project(project), "project", project)
    if record.agreement is not None:
        raise CommandRefused("project", project, "already has its agreement")
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
