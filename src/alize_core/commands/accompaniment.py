"""
Commands of accompaniment (*accompagnement*): missions granted to mentors, meetings and time logged, projects closed (ACC-01…06, GOV-08).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alize_core.commands.base import (
    MESSAGES,
    Command,
    CommandResult,
    check_unique,
    known,
    territory_id,
)
from alize_core.commands.territory import PARTNER_ROLES
from alize_core.journal.events import MeetingLogged, MissionGranted, ProjectClosed, TimeLogged
from alize_core.kernel.decisions import make_step
from alize_core.kernel.errors import CommandRefused
from alize_core.parties.model import PersonRole
from alize_core.programme.accompaniment import (
    MentorCategory,
    Mission,
    cap_step,
    days_step,
    mentor_step,
)
from alize_core.register.records import ProjectStatus
from alize_core.register.views import Register


__all__ = ["close_project", "grant_mission", "log_meeting", "log_time"]


def grant_mission(register: Register, mission: Mission, *, on: date, actor: str) -> CommandResult:
    """
    The operator records a skills contribution as the committee set it (ACC-02): a mentor
    employed by the partner (ACC-01), within the days granted to the project, with a
    warning above the yearly cap (ACC-03); other forms of support likewise (ACC-05).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    check_unique(mission.id, register.missions, "mission")
    record = known(register.get_project(mission.project), "project", mission.project)
    person = register.get_person(mission.mentor)
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
    territory = territory_id(register)
    steps.append(
        cap_step(mission.days_per_year, on=on, territory=territory, settings=register.settings)
    )
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
    command = Command.start(register, on, actor)
    record = known(register.get_mission(mission), "mission", mission)
    person = register.get_person(actor)
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
    command = Command.start(register, on, actor)
    known(register.get_project(project), "project", project)
    person = register.get_person(actor)
    member = person is not None and person.role in PARTNER_ROLES
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
    command = Command.start(register, on, actor)
    record = known(register.get_project(project), "project", project)
    if record.status is ProjectStatus.CLOSED:
        raise CommandRefused("project", project, "is already closed")
    steps = [command.by_operator("OP-02", "clore un projet")]
    return command.conclude(
        f"Clôture du projet {project}", steps, ("OP-02",), ProjectClosed(project)
    )
