"""Demo part: a session of the approval committee, its decisions, minutes and session file."""

from __future__ import annotations

from datetime import date

from alize_adapters.connectors.session_file import load_session
from alize_adapters.demo import DemoContext, sample
from alize_core.governance.committee import (
    AgendaItem,
    Attendee,
    CommitteeSession,
    Means,
    SessionDecision,
    decide,
)
from alize_core.governance.minutes import minutes_html, minutes_text
from alize_core.governance.steering import check_steering_chair
from alize_core.kernel import CONFLICTS_EXCLUDED
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.kernel.serialization import unstructure


TITLE = "The approval committee: a session, its votes, its minutes"

NAMES = {
    "R1": "Anne Collin",
    "R2": "Hugo Marchal",
    "R3": "Sophie Perrin",
    "R4": "Marc Roy",
    "R5": "Inès Garnier",
    "R6": "Paul Lefèvre",
}


def session() -> CommitteeSession:
    """The sample territory's session of 12 March: six representatives, three projects."""
    on = date(sample.PROGRAMME_YEAR, 3, 12)
    members = [Attendee.from_representative(r, NAMES[r.id]) for r in sample.representatives()]
    operator = sample.operator()
    others = [
        Attendee(id="OP1", name=f"Claire Renard ({operator.name})", role="local_operator"),
        Attendee(id="IM", name="Initiative Meuse", role="relay_structure", presents=["P2"]),
        Attendee(id="PB", name=sample.prefecture().name, role="public_body"),
    ]
    items = [
        AgendaItem(
            project="P1",
            operator_validated=True,
            ballots={"R1": "for", "R2": "for", "R3": "for", "R4": "for", "R5": "against"},
            means=Means(advance="30000.00", mentor_days=6),
        ),
        AgendaItem(
            project="P2",
            operator_validated=True,
            conflicted=["R6"],
            ballots={"R1": "for", "R2": "for", "R3": "against", "R4": "abstain", "R6": "for"},
            means=Means(advance="15000.00", subsidised_loan="20000.00", mentor_days=4),
        ),
        AgendaItem(project="P3", operator_validated=False, ballots={"R1": "for"}),
    ]
    return CommitteeSession(
        territory=sample.territory().id,
        date=on,
        partner_companies=sample.partners(),
        attendees=[*members, *others],
        president="R1",
        items=items,
    )


def _vote_line(result: SessionDecision, project: str) -> str:
    decided = result.decision(project)
    counts = [s.message for s in decided.decision.steps if s.rule == "GOV-01"]
    why = counts[0] if counts else decided.decision.failed[-1].message
    return f"  {project}: {decided.outcome.french} — {why}"


def run(context: DemoContext) -> None:
    """Decide the sample session, write its minutes and its session file."""
    the_session = session()
    settings = sample.settings().set_for_territory(
        the_session.territory,
        CONFLICTS_EXCLUDED,
        True,
        start=date(2025, 1, 1),
        section="Article 7 - Conflits d'intérêts",
    )
    result = decide(the_session, settings)
    context.say(
        f"Session of {the_session.date:%d/%m/%Y}: {len(the_session.representatives)} company"
        f" representatives among {len(the_session.attendees)} attendees; the session is"
        f" {result.validity.outcome.french} ({', '.join(result.validity.rules)})."
    )
    for warning in result.validity.warnings:
        context.say(f"  flagged: {warning.message} ({warning.rule})")
    for decided in result.decisions:
        context.say(_vote_line(result, decided.project))
        if decided.means_granted is not None:
            context.say(f"      means granted: {decided.means_granted.describe()} (GOV-10)")

    text_path = context.workdir / "minutes-2026-03-12.txt"
    html_path = context.workdir / "minutes-2026-03-12.html"
    text_path.write_text(minutes_text(result), encoding="utf-8")
    html_path.write_text(minutes_html(result), encoding="utf-8")
    context.say(f"Minutes (OP-02) written: {text_path.name}, {html_path.name}.")

    file_data = {
        **unstructure(the_session),
        "settings": {"quorum": 3, "conflicts_excluded": True},
    }
    file_path = context.workdir / "session-2026-03-12.json"
    file_path.write_text(dump_json(file_data, ascii=False, indent=2), encoding="utf-8")
    reread, file_settings = load_session(parse_json(file_path.read_bytes()))
    again = decide(reread, file_settings)
    same = [(d.outcome, d.tally) for d in again.decisions] == [
        (d.outcome, d.tally) for d in result.decisions
    ]
    context.say(
        f"Session file {file_path.name} (try `alize decide {file_path.name}`): read back equal"
        f" to the session: {'yes' if reread == the_session else 'NO'}; same outcomes and counts:"
        f" {'yes' if same else 'NO'}."
    )

    on = date(sample.PROGRAMME_YEAR, 6, 1)
    for chair in (sample.prefecture(), sample.operator()):
        check = check_steering_chair(chair, on=on, territory=the_session.territory)
        context.say(f"Steering committee chaired by {chair.name}: {check.outcome.french} (PIL-01).")
