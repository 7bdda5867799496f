"""
Demo part: the register's session of the approval committee, its decisions, its minutes
and its session file.
"""

from __future__ import annotations

from datetime import date

import attrs

from alize_adapters.connectors.session_file import load_session
from alize_adapters.demo import DemoContext, sample
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.commands import committee_session
from alize_core.governance.committee import CommitteeSession, SessionDecision, decide
from alize_core.governance.minutes import minutes_html, minutes_text
from alize_core.governance.steering import check_steering_chair
from alize_core.kernel import QUORUM
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.kernel.serialization import unstructure


TITLE = "The approval committee: the register's session, its votes, its minutes"

SESSION = "S1"
"""The session the register part convened, held and closed."""


def _named(context: DemoContext, session: CommitteeSession) -> CommitteeSession:
    """The session with each attendee's name, from the store's erasable personal details."""
    with SqliteStore(context.db, create=False) as store:
        attendees = []
        for attendee in session.attendees:
            details = store.get_person(attendee.id)
            name = attendee.name if details is None else details.name
            attendees.append(attrs.evolve(attendee, name=name))
    return attrs.evolve(session, attendees=attendees)


def _vote_line(result: SessionDecision, project: str) -> str:
    decided = result.decision(project)
    counts = [s.message for s in decided.decision.steps if s.rule == "GOV-01"]
    why = counts[0] if counts else decided.decision.failed[-1].message
    return f"  {project}: {decided.outcome.french} — {why}"


def run(context: DemoContext) -> None:
    """Read the register's session, check its decisions, write its minutes and session file."""
    register = context.register()
    settings = register.settings
    the_session = _named(context, committee_session(register, SESSION))
    result = decide(the_session, settings)
    for decided in result.decisions:
        recorded = register.project(decided.project).outcome
        if recorded is not decided.outcome:
            msg = f"{decided.project}: the register recorded {recorded}, its ballots say {decided.outcome}"
            raise AssertionError(msg)
    context.say(
        f"Session {SESSION} of {the_session.date:%d/%m/%Y}, as the register recorded it:"
        f" {len(the_session.representatives)} company representatives among"
        f" {len(the_session.attendees)} attendees; the session is"
        f" {result.validity.outcome.french} ({', '.join(result.validity.rules)})."
    )
    for warning in result.validity.warnings:
        context.say(f"  flagged: {warning.message} ({warning.rule})")
    for decided in result.decisions:
        context.say(_vote_line(result, decided.project))
        if decided.means_granted is not None:
            context.say(f"      means granted: {decided.means_granted.describe()} (GOV-10)")

    stem = f"{the_session.date:%Y-%m-%d}"
    text_path = context.workdir / f"minutes-{stem}.txt"
    html_path = context.workdir / f"minutes-{stem}.html"
    text_path.write_text(minutes_text(result), encoding="utf-8")
    html_path.write_text(minutes_html(result), encoding="utf-8")
    context.say(
        f"Minutes (OP-02) of the session in the register: {text_path.name}, {html_path.name}."
    )

    quorum = settings.resolve(QUORUM, on=the_session.date, territory=the_session.territory)
    file_data = {**unstructure(the_session), "settings": {QUORUM.name: quorum.value}}
    file_path = context.workdir / f"session-{stem}.json"
    file_path.write_text(dump_json(file_data, ascii=False, indent=2), encoding="utf-8")
    reread, file_settings = load_session(parse_json(file_path.read_bytes()))
    again = decide(reread, file_settings)
    same = [(d.outcome, d.tally) for d in again.decisions] == [
        (d.outcome, d.tally) for d in result.decisions
    ]
    context.say(
        f"Session file {file_path.name} (try `alize decide {file_path.name}`): read back equal"
        f" to the register's session: {'yes' if reread == the_session else 'NO'}; same"
        f" outcomes and counts: {'yes' if same else 'NO'}."
    )

    on = date(sample.PROGRAMME_YEAR, 6, 1)
    for chair in (sample.prefecture(), sample.operator()):
        check = check_steering_chair(chair, on=on, territory=the_session.territory)
        context.say(f"Steering committee chaired by {chair.name}: {check.outcome.french} (PIL-01).")
