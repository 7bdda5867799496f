"""
Commands that set a territory up (*mise en place du territoire*): proposal and validation (NAT-01), partners, people, conventions (CONV-01), SMEs and projects (ELIG-01, ELIG-03).
"""

from __future__ import annotations

from datetime import date
from typing import Final

from alize_core.commands.base import MESSAGES, Command, CommandResult, check_unique, territory_id
from alize_core.governance.steering import check_steering_chair
from alize_core.journal.events import (
    ConventionSigned,
    PartnerAdmitted,
    PersonEnrolled,
    PersonUpdated,
    ProjectIdentified,
    SmeRegistered,
    TerritoryProposed,
    TerritoryValidated,
)
from alize_core.kernel.decisions import make_step
from alize_core.kernel.errors import CommandRefused
from alize_core.kernel.validation import check_id
from alize_core.parties.model import (
    LocalOperator,
    PartnerCompany,
    PersonRole,
    Project,
    PublicBody,
    Sme,
    Territory,
)
from alize_core.programme.accompaniment import MentorCategory, mentor_step
from alize_core.programme.conventions import (
    TerritoryStatus,
    TriennialConvention,
    overlap_step,
    validation_step,
)
from alize_core.register.views import Register


__all__ = [
    "admit_partner",
    "enrol_person",
    "identify_project",
    "propose_territory",
    "register_sme",
    "sign_convention",
    "update_person",
    "validate_territory",
]


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
    command = Command.start(register, on, actor)
    if register.territory is not None:
        raise CommandRefused("territory", None, "the register already has a territory")
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
    command = Command.start(register, on, actor)
    territory = territory_id(register)
    record = register.territory
    assert record is not None
    if record.status is TerritoryStatus.VALIDATED:
        raise CommandRefused("territory", None, "the territory is already validated")
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
    command = Command.start(register, on, actor)
    check_unique(partner.id, register.partners, "partner")
    steps = [command.by_operator("OP-02", "inscrire une entreprise partenaire")]
    subject = f"Entreprise partenaire {partner.name}"
    return command.conclude(subject, steps, ("OP-02",), PartnerAdmitted(partner))


PARTNER_ROLES: Final = {
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
    command = Command.start(register, on, actor)
    territory = register.territory
    territory_id(register)
    assert territory is not None
    payload = PersonEnrolled(person, role, organisation, in_activity, category)
    check_unique(person, register.people, "person")
    steps = [command.by_operator("OP-02", "inscrire une personne")]
    if role in PARTNER_ROLES:
        rule_id = PARTNER_ROLES[role]
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
    command = Command.start(register, on, actor)
    if register.get_person(person) is None:
        raise CommandRefused("person", person, "is not known to the register")
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
    command = Command.start(register, on, actor)
    record = register.territory
    territory_id(register)
    assert record is not None
    check_unique(convention.id, {c.id for c in register.conventions}, "convention")
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
    command = Command.start(register, on, actor)
    check_unique(sme.siren, register.smes, "sme")
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
    command = Command.start(register, on, actor)
    if project.sme not in register.smes:
        raise CommandRefused("project.sme", project.sme, "is not an SME of the register")
    check_unique(project.id, set(register.projects), "project")
    steps = [
        command.by_operator("OP-03", "instruire un projet"),
        *command.active(),
    ]
    return command.conclude(f"Projet {project.id}", steps, ("OP-03",), ProjectIdentified(project))
