"""
Governance (*gouvernance*): committee sessions, attendance, the vote, eligibility and minutes (GOV, OP-02, OP-03, ELIG).
"""

from __future__ import annotations

from .committee import (
    AgendaEntry,
    ProjectDecision,
    SessionDecision,
    SteeringChair,
    check_session,
    check_steering_chair,
    decide,
    decide_item,
    quorum_needed,
)
from .eligibility import check_eligibility
from .minutes import minutes_html, minutes_text
from .session import AgendaItem, Attendee, AttendeeRole, CommitteeSession, Means, counted
from .votes import Ballot, Tally, VotePer, company_ballot, votes_needed


__all__ = [
    "AgendaEntry",
    "AgendaItem",
    "Attendee",
    "AttendeeRole",
    "Ballot",
    "CommitteeSession",
    "Means",
    "ProjectDecision",
    "SessionDecision",
    "SteeringChair",
    "Tally",
    "VotePer",
    "check_eligibility",
    "check_session",
    "check_steering_chair",
    "company_ballot",
    "counted",
    "decide",
    "decide_item",
    "minutes_html",
    "minutes_text",
    "quorum_needed",
    "votes_needed",
]
