# Kept whole, at about 670 lines: a session's validity and its votes are one decision
# (decide() checks the session, then each item), whose steps share one message table and
# the same wording of who is present; the session's shape lives in governance.session, the
# vote's arithmetic in governance.votes and the steering chair in governance.steering.
"""
The approval committee's sessions and votes (*séances et votes du comité d'agrément*).

A :class:`CommitteeSession` records who attended (company representatives, the
local operator's staff, relay structures and other schemes with the files they
present, public bodies), who presided, and the agenda with each item's ballots.
:func:`decide` turns it into decisions that explain themselves:

- the session is valid only with the local operator present, the quorum of
  company representatives reached and a president who represents a partner
  company and is in activity (GOV-04, GOV-05, GOV-06); relay structures and other
  schemes attend for the files they present (GOV-07). An invalid session decides
  nothing and says why;
- only the company representatives present vote (GOV-02), one vote each or, if
  the territory says so, one vote per partner company (GOV-03); a member with a
  conflict of interest may be left out of an item's vote *and* of its count of
  those present (GOV-11);
- a project is adopted when its votes *for* are more than half of the voters
  present for it: abstaining or not voting counts as not for, and a tie is no
  majority (GOV-01); the decision carries the means granted (GOV-10);
- a project whose file the operator has not validated is not examined (OP-03).

Nine representatives present, four for, three against, two abstentions: four is
not more than half of nine, so the project is rejected.

>>> from datetime import date
>>> from alize_core.parties.model import PartnerCompany
>>> members = [Attendee(id=f"R{n}", name=f"Membre {n}", role="company_representative",
...                     company="C1", in_activity=True) for n in range(1, 10)]
>>> operator = Attendee(id="OP", name="Claire Renard", role="local_operator")
>>> ballots = dict(zip([m.id for m in members], ["for"] * 4 + ["against"] * 3 + ["abstain"] * 2))
>>> session = CommitteeSession(
...     territory="T1", date=date(2026, 3, 12),
...     partner_companies=[PartnerCompany("C1", "Aciéries de l'Est")],
...     attendees=[*members, operator], president="R1",
...     items=[AgendaItem(project="P1", operator_validated=True, ballots=ballots)])
>>> result = decide(session)
>>> result.valid
True
>>> print(result.decisions[0].explain())
Projet P1 : rejeté.
  ✓ dossier validé par l'opérateur local avant son examen (OP-03)
  ✓ votent les représentants d'entreprises partenaires présents : Membre 1, Membre 2, Membre 3, Membre 4, Membre 5, Membre 6, Membre 7, Membre 8, Membre 9 (GOV-02)
  ✓ une voix par représentant d'entreprise présent (valeur nationale par défaut) (GOV-03)
  ✗ 9 représentants d'entreprise présents, 4 pour, 3 contre, 2 abstentions ; il faut plus de la moitié de 9, soit 5 voix : rejeté (GOV-01)

Bad input is refused with the field and the value; a rule that fails is a decision:

>>> Attendee(id="X", name="Jean Dupont", role="chairman")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: role: 'chairman' must be one of company_representative, local_operator, relay_structure, other_scheme, public_body
>>> print(check_session(attrs.evolve(session, attendees=members)).explain())
Séance du comité d'agrément du 12/03/2026 (T1) : invalide.
  ✗ aucun membre de l'opérateur local n'est présent : la séance ne peut pas se tenir (GOV-04)
  ✓ quorum atteint : 9 représentants d'entreprise présents, il en faut au moins 1 (quorum fixé à 1, valeur nationale par défaut) (GOV-04)
  ✓ présidence : Membre 1 (Aciéries de l'Est), représentant d'entreprise partenaire en activité (GOV-05)
  ✗ le président ne peut animer la séance qu'avec l'opérateur local, absent (GOV-06)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from fractions import Fraction
from types import MappingProxyType
from typing import Final

import attrs

from alize_core.governance.session import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    CommitteeSession,
    Means,
    counted,
)
from alize_core.governance.votes import Ballot, Tally, VotePer, company_ballot, votes_needed
from alize_core.kernel.decisions import Decision, Outcome, Step, make_step
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.settings import (
    CONFLICTS_EXCLUDED,
    QUORUM,
    VOTE_PER,
    Settings,
    SettingVersion,
)
from alize_core.kernel.validation import check_count


__all__ = [
    "AgendaItem",
    "Attendee",
    "AttendeeRole",
    "Ballot",
    "CommitteeSession",
    "Means",
    "ProjectDecision",
    "SessionDecision",
    "Tally",
    "VotePer",
    "check_session",
    "company_ballot",
    "decide",
    "decide_item",
    "quorum_needed",
    "votes_needed",
]

MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "operator.present": "opérateur local présent : {operator}",
        "operator.absent": "aucun membre de l'opérateur local n'est présent :"
        " la séance ne peut pas se tenir",
        "representatives.none": "aucun représentant d'entreprise partenaire n'est présent :"
        " rien ne peut être décidé",
        "quorum.reached": "quorum atteint : {present_text}, il en faut au moins {needed}"
        " ({quorum_text}, {source})",
        "quorum.not_reached": "quorum non atteint : {present_text}, il en faut au moins"
        " {needed} ({quorum_text}, {source})",
        "president.in_activity": "présidence : {president} ({company}), représentant"
        " d'entreprise partenaire en activité",
        "president.retired": "présidence : {president} ({company}) n'est pas en activité ;"
        " la présidence revient à un représentant d'entreprise en activité",
        "president.not_representative": "présidence : {president} ({role}) ne représente pas"
        " une entreprise partenaire ; la présidence revient à un représentant d'entreprise en"
        " activité",
        "president.with_operator": "séance animée par le président avec l'opérateur local",
        "president.without_operator": "le président ne peut animer la séance qu'avec"
        " l'opérateur local, absent",
        "guest.presents": "{guest} ({role}) assiste pour présenter : {projects}",
        "guest.without_file": "{guest} ({role}) assiste sans présenter de dossier inscrit à"
        " l'ordre du jour : présence signalée, sans droit de vote",
        "item.session_invalid": "séance irrégulière : le projet n'est pas examiné",
        "agenda.validated": "dossier validé par l'opérateur local avant son examen",
        "agenda.not_validated": "dossier non validé par l'opérateur local : le projet n'est"
        " pas examiné",
        "item.presented_by": "dossier présenté par {guests}",
        "electorate": "votent les représentants d'entreprises partenaires présents : {voters}",
        "electorate.nobody": "aucun représentant d'entreprise partenaire présent ne peut voter",
        "ballot.ignored": "bulletin ignoré de {names} : seuls les représentants d'entreprises"
        " partenaires votent",
        "conflict.excluded": "conflit d'intérêts : {members} ne vote pas et n'est pas compté"
        " parmi les présents pour ce projet ({source})",
        "conflict.not_excluded": "conflit d'intérêts déclaré pour {members}, sans effet sur le"
        " vote ({source} : les membres en conflit votent)",
        "vote_per.representative": "une voix par représentant d'entreprise présent ({source})",
        "vote_per.company": "une voix par entreprise partenaire présente ({source}) ;"
        " une entreprise dont les représentants ne votent pas tous de même compte comme"
        " abstention",
        "company.agreed": "{company} : {count} représentants présents, tous {ballot} :"
        " une voix {ballot}",
        "company.divided": "{company} : représentants en désaccord ({ballots}) :"
        " compte comme une abstention",
        "company.silent": "{company} : aucun de ses {count} représentants présents n'a voté",
        "vote.adopted": "{present_text}, {votes_for} pour, {votes_against} contre,"
        " {abstentions_text}{silent_text} ; il faut plus de la moitié de {present}, soit"
        " {required} voix : adopté",
        "vote.rejected": "{present_text}, {votes_for} pour, {votes_against} contre,"
        " {abstentions_text}{silent_text} ; il faut plus de la moitié de {present}, soit"
        " {required} voix : rejeté",
        "vote.no_voter": "aucun votant pour ce projet : rien ne peut être décidé",
        "means.granted": "moyens accordés : {means}",
    }
)
"""The French messages of the governance steps, by stable code."""


def _names(attendees: Iterable[Attendee]) -> str:
    return ", ".join(a.name for a in attendees)


def _source(version: SettingVersion) -> str:
    """Where a setting's value comes from, in French: the national default or the territory's rules."""
    if version.territory is None:
        return "valeur nationale par défaut"
    source = f"règlement intérieur de {version.territory}"
    section = version.citation.section
    return source if section == "règlement intérieur" else f"{source}, « {section} »"


def quorum_needed(quorum: int | Fraction, partner_companies: int) -> int:
    """
    The company representatives a session needs, from the ``quorum`` setting (GOV-04).

    A whole number is the count itself; a fraction is a share of the territory's
    partner companies, rounded up to the next whole representative. Never fewer
    than one: with no company representative nothing can be decided.

    >>> quorum_needed(3, 8), quorum_needed(Fraction(1, 2), 5), quorum_needed(Fraction(1, 3), 0)
    (3, 3, 1)

    .. versionadded:: 0.1.0
    """
    check_count(partner_companies, field="partner_companies")
    if isinstance(quorum, Fraction):
        return max(1, math.ceil(quorum * partner_companies))
    return max(1, check_count(quorum, field="quorum"))


def _quorum_step(session: CommitteeSession, settings: Settings) -> Step:
    quorum, version = settings.lookup(QUORUM, on=session.date, territory=session.territory)
    present = len(session.representatives)
    if present == 0:
        return make_step(
            MESSAGES, "GOV-04", False, "representatives.none", settings_used=(version,)
        )
    partners = len(session.partner_companies)
    needed = quorum_needed(quorum, partners)
    if isinstance(quorum, Fraction):
        companies = counted(partners, "entreprise partenaire", "entreprises partenaires")
        quorum_text = f"{quorum} des {companies}, arrondi à l'unité supérieure"
    else:
        quorum_text = f"quorum fixé à {quorum}"
    return make_step(
        MESSAGES,
        "GOV-04",
        present >= needed,
        "quorum.reached" if present >= needed else "quorum.not_reached",
        settings_used=(version,),
        present=present,
        needed=needed,
        quorum=quorum,
        partner_companies=partners,
        present_text=_representatives_present(present),
        quorum_text=quorum_text,
        source=_source(version),
    )


def _representatives_present(count: int) -> str:
    return counted(
        count, "représentant d'entreprise présent", "représentants d'entreprise présents"
    )


def _president_step(session: CommitteeSession) -> Step:
    president = session.attendee(session.president)
    if not president.votes:
        return make_step(
            MESSAGES,
            "GOV-05",
            False,
            "president.not_representative",
            president=president.name,
            role=president.role.french,
        )
    company = session.company_name(president.company or "")
    code = "president.in_activity" if president.in_activity else "president.retired"
    return make_step(
        MESSAGES,
        "GOV-05",
        bool(president.in_activity),
        code,
        president=president.name,
        company=company,
    )


def _guest_steps(session: CommitteeSession) -> tuple[Step, ...]:
    agenda = {item.project for item in session.items}
    steps = []
    for guest in session.guests:
        projects = sorted(guest.presents & agenda)
        if projects:
            step = make_step(
                MESSAGES,
                "GOV-07",
                True,
                "guest.presents",
                guest=guest.name,
                role=guest.role.french,
                projects=", ".join(projects),
            )
        else:
            step = make_step(
                MESSAGES,
                "GOV-07",
                True,
                "guest.without_file",
                warning=True,
                guest=guest.name,
                role=guest.role.french,
            )
        steps.append(step)
    return tuple(steps)


def _session_subject(session: CommitteeSession) -> str:
    return f"Séance du comité d'agrément du {session.date:%d/%m/%Y} ({session.territory})"


def check_session(session: CommitteeSession, settings: Settings | None = None) -> Decision:
    """
    Whether a session is validly held (GOV-04, GOV-05, GOV-06, GOV-07).

    Valid only with the local operator present, at least the quorum of company
    representatives present (the territory's ``quorum`` setting in force on the
    session's date), and a president who represents a partner company and is in
    activity; the president leads the session with the operator. A relay structure
    or another scheme attending without presenting a file on the agenda is flagged
    (a warning), and never votes.

    Args:
        session: The session.
        settings: The settings (national defaults when not given).

    Returns:
        A decision whose outcome is :attr:`~alize_core.kernel.decisions.Outcome.VALID` or
        :attr:`~alize_core.kernel.decisions.Outcome.INVALID`, with every check made.

    .. versionadded:: 0.1.0
    """
    settings = Settings.national() if settings is None else settings
    operators = session.with_role(AttendeeRole.LOCAL_OPERATOR)
    if operators:
        operator_step = make_step(
            MESSAGES, "GOV-04", True, "operator.present", operator=_names(operators)
        )
        leading = make_step(MESSAGES, "GOV-06", True, "president.with_operator")
    else:
        operator_step = make_step(MESSAGES, "GOV-04", False, "operator.absent")
        leading = make_step(MESSAGES, "GOV-06", False, "president.without_operator")
    steps = (
        operator_step,
        _quorum_step(session, settings),
        _president_step(session),
        leading,
        *_guest_steps(session),
    )
    outcome = Outcome.VALID if all(step.passed for step in steps) else Outcome.INVALID
    return Decision(outcome, session.date, session.territory, _session_subject(session), steps)


@attrs.frozen
class ProjectDecision:
    """
    The committee's decision on one project (*décision*), its count and the means granted.

    Attributes:
        project: The project's id.
        decision: The decision and its steps (adopted, rejected or not examined).
        tally: The count of the vote, when there was one.
        means_granted: The means granted, when the project is adopted (GOV-10).

    .. versionadded:: 0.1.0
    """

    project: str
    decision: Decision
    tally: Tally | None = None
    means_granted: Means | None = None

    @property
    def outcome(self) -> Outcome:
        """Adopted, rejected or not examined."""
        return self.decision.outcome

    def explain(self) -> str:
        """The decision in French, one line per step (see :meth:`Decision.explain`)."""
        return self.decision.explain()

    def to_dict(self) -> dict[str, object]:
        """
        The decision as ``alize decide`` prints it in JSON.

        Keys: ``project``, ``outcome``, ``present``, ``for``, ``against``, ``abstain``,
        ``required`` (``null`` when no vote took place), ``rules`` and ``explanation``.
        """
        tally = self.tally
        return {
            "project": self.project,
            "outcome": self.outcome.value,
            "present": None if tally is None else tally.present,
            "for": None if tally is None else tally.votes_for,
            "against": None if tally is None else tally.votes_against,
            "abstain": None if tally is None else tally.abstentions,
            "required": None if tally is None else tally.required,
            "rules": list(self.decision.rules),
            "explanation": self.explain(),
        }


def _tuple_of_decisions(value: Iterable[ProjectDecision]) -> tuple[ProjectDecision, ...]:
    return tuple(value)


@attrs.frozen
class SessionDecision:
    """
    Everything a session decided (*délibérations*): its validity and each item's decision.

    The minutes (:mod:`alize_core.governance.minutes`) are rendered from it alone.

    Attributes:
        session: The session.
        validity: Whether it was validly held, and why (GOV-04…07).
        decisions: One decision per agenda item, in the agenda's order.

    .. versionadded:: 0.1.0
    """

    session: CommitteeSession
    validity: Decision
    decisions: tuple[ProjectDecision, ...] = attrs.field(converter=_tuple_of_decisions)

    def __attrs_post_init__(self) -> None:
        agenda = [item.project for item in self.session.items]
        decided = [decision.project for decision in self.decisions]
        if decided != agenda:
            reason = f"do not decide the agenda's items in order ({', '.join(agenda) or 'none'})"
            raise InvalidValue("decisions", decided, reason)

    @property
    def valid(self) -> bool:
        """Whether the session was validly held."""
        return self.validity.outcome is Outcome.VALID

    def decision(self, project: str) -> ProjectDecision:
        """
        The decision on a project.

        Raises:
            InvalidValue: The project was not on the agenda.
        """
        for decision in self.decisions:
            if decision.project == project:
                return decision
        raise InvalidValue("project", project, "is not on this session's agenda")

    def explain(self) -> str:
        """The session's validity, then each decision, in French."""
        return "\n\n".join((self.validity.explain(), *(d.explain() for d in self.decisions)))

    def to_dict(self) -> dict[str, object]:
        """
        The session as ``alize decide`` prints it in JSON.

        ``{"session": {"valid": …, "steps": […]}, "decisions": […]}``; each step is
        :meth:`~alize_core.kernel.decisions.Step.to_dict`, each decision
        :meth:`ProjectDecision.to_dict`.
        """
        return {
            "session": {
                "valid": self.valid,
                "steps": [step.to_dict() for step in self.validity.steps],
            },
            "decisions": [decision.to_dict() for decision in self.decisions],
        }


def _not_examined(
    session: CommitteeSession, item: AgendaItem, steps: tuple[Step, ...], tally: Tally | None = None
) -> ProjectDecision:
    decision = Decision(
        Outcome.NOT_EXAMINED, session.date, session.territory, f"Projet {item.project}", steps
    )
    return ProjectDecision(item.project, decision, tally)


def _electorate_steps(
    session: CommitteeSession, item: AgendaItem, settings: Settings
) -> tuple[tuple[Step, ...], tuple[Attendee, ...]]:
    """The steps that say who votes on the item (GOV-02, GOV-11), and the voters."""
    representatives = session.representatives
    if representatives:
        steps = [make_step(MESSAGES, "GOV-02", True, "electorate", voters=_names(representatives))]
    else:
        steps = [make_step(MESSAGES, "GOV-02", False, "electorate.nobody")]
    ignored = [a for a in session.attendees if a.id in item.ballots and not a.votes]
    if ignored:
        names = ", ".join(f"{a.name} ({a.role.french})" for a in ignored)
        steps.append(
            make_step(MESSAGES, "GOV-02", True, "ballot.ignored", warning=True, names=names)
        )
    voters = representatives
    if item.conflicted:
        excluded, version = settings.lookup(
            CONFLICTS_EXCLUDED, on=session.date, territory=session.territory
        )
        members = _names(a for a in representatives if a.id in item.conflicted)
        if excluded:
            voters = tuple(a for a in representatives if a.id not in item.conflicted)
            code, warning = "conflict.excluded", False
        else:
            code, warning = "conflict.not_excluded", True
        steps.append(
            make_step(
                MESSAGES,
                "GOV-11",
                True,
                code,
                warning=warning,
                settings_used=(version,),
                members=members,
                source=_source(version),
            )
        )
    return tuple(steps), voters


def _count_steps(
    session: CommitteeSession, item: AgendaItem, voters: tuple[Attendee, ...], settings: Settings
) -> tuple[tuple[Step, ...], Tally]:
    """The steps that count the votes (GOV-03), and the tally."""
    word, version = settings.lookup(VOTE_PER, on=session.date, territory=session.territory)
    vote_per = VotePer(word)
    source = _source(version)
    steps = [
        make_step(
            MESSAGES,
            "GOV-03",
            True,
            f"vote_per.{vote_per.value}",
            settings_used=(version,),
            source=source,
        )
    ]
    if vote_per is VotePer.REPRESENTATIVE:
        return tuple(steps), Tally.count((item.ballots.get(a.id) for a in voters), vote_per)
    by_company: dict[str, list[Ballot | None]] = {}
    for voter in voters:
        by_company.setdefault(voter.company or "", []).append(item.ballots.get(voter.id))
    for company, ballots in by_company.items():
        if len(ballots) < 2:
            continue
        name = session.company_name(company)
        cast = company_ballot(ballots)
        if cast is None:
            steps.append(
                make_step(
                    MESSAGES, "GOV-03", True, "company.silent", company=name, count=len(ballots)
                )
            )
        elif len(set(ballots)) == 1:
            steps.append(
                make_step(
                    MESSAGES,
                    "GOV-03",
                    True,
                    "company.agreed",
                    company=name,
                    count=len(ballots),
                    ballot=cast.french,
                )
            )
        else:
            words = ", ".join(b.french if b else "sans vote" for b in ballots)
            steps.append(
                make_step(MESSAGES, "GOV-03", True, "company.divided", company=name, ballots=words)
            )
    tally = Tally.count((company_ballot(ballots) for ballots in by_company.values()), vote_per)
    return tuple(steps), tally


def _vote_step(tally: Tally) -> Step:
    if tally.vote_per is VotePer.COMPANY:
        present_text = counted(
            tally.present, "entreprise partenaire présente", "entreprises partenaires présentes"
        )
    else:
        present_text = _representatives_present(tally.present)
    silent = f", {tally.silent} sans vote" if tally.silent else ""
    return make_step(
        MESSAGES,
        "GOV-01",
        tally.adopted,
        "vote.adopted" if tally.adopted else "vote.rejected",
        present=tally.present,
        votes_for=tally.votes_for,
        votes_against=tally.votes_against,
        abstentions=tally.abstentions,
        silent=tally.silent,
        required=tally.required,
        present_text=present_text,
        abstentions_text=counted(tally.abstentions, "abstention", "abstentions"),
        silent_text=silent,
    )


def _decide(
    session: CommitteeSession, item: AgendaItem, settings: Settings, validity: Decision
) -> ProjectDecision:
    steps: list[Step] = []
    if validity.outcome is not Outcome.VALID:
        steps.extend(validity.failed)
        steps.append(make_step(MESSAGES, validity.failed[0].rule, False, "item.session_invalid"))
    if item.operator_validated:
        steps.append(make_step(MESSAGES, "OP-03", True, "agenda.validated"))
    else:
        steps.append(make_step(MESSAGES, "OP-03", False, "agenda.not_validated"))
    if not all(step.passed for step in steps):
        return _not_examined(session, item, tuple(steps))
    presenters = session.presenters(item.project)
    if presenters:
        steps.append(
            make_step(MESSAGES, "GOV-07", True, "item.presented_by", guests=_names(presenters))
        )
    electorate, voters = _electorate_steps(session, item, settings)
    counting, tally = _count_steps(session, item, voters, settings)
    steps.extend((*electorate, *counting))
    if tally.present == 0:
        steps.append(make_step(MESSAGES, "GOV-01", False, "vote.no_voter"))
        return _not_examined(session, item, tuple(steps), tally)
    steps.append(_vote_step(tally))
    means: Means | None = None
    if tally.adopted:
        means = item.means
        steps.append(
            make_step(
                MESSAGES,
                "GOV-10",
                True,
                "means.granted",
                means=means.describe(),
                advance=means.advance,
                subsidised_loan=means.subsidised_loan,
                mentor_days=means.mentor_days,
            )
        )
    outcome = Outcome.ADOPTED if tally.adopted else Outcome.REJECTED
    subject = f"Projet {item.project}"
    decision = Decision(outcome, session.date, session.territory, subject, tuple(steps))
    return ProjectDecision(item.project, decision, tally, means)


def decide_item(
    session: CommitteeSession, project: str, settings: Settings | None = None
) -> ProjectDecision:
    """
    The committee's decision on one project of the agenda (GOV-01…03, GOV-10, GOV-11, OP-03).

    Args:
        session: The session.
        project: The project's id, which must be on the agenda.
        settings: The settings (national defaults when not given); the ``quorum``,
            ``vote_per`` and ``conflicts_excluded`` in force on the session's date for
            its territory apply, and each step names the one it used.

    Returns:
        Adopted, rejected, or not examined (invalid session, file not validated by the
        operator, or nobody able to vote), with the count and the means granted.

    Raises:
        InvalidValue: The project is not on the agenda.

    .. versionadded:: 0.1.0
    """
    settings = Settings.national() if settings is None else settings
    item = session.item(project)
    return _decide(session, item, settings, check_session(session, settings))


def decide(session: CommitteeSession, settings: Settings | None = None) -> SessionDecision:
    """
    Everything a session decides: its validity, then each item of the agenda in order.

    Args:
        session: The session.
        settings: The settings (national defaults when not given).

    Returns:
        The session's validity and one decision per agenda item, in the agenda's order;
        an invalid session examines no item.

    .. versionadded:: 0.1.0
    """
    settings = Settings.national() if settings is None else settings
    validity = check_session(session, settings)
    decisions = tuple(_decide(session, item, settings, validity) for item in session.items)
    return SessionDecision(session, validity, decisions)
