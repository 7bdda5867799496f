"""
Governance (*gouvernance*): committee sessions, attendance, the vote, eligibility and minutes (GOV, OP-02, OP-03, ELIG).
"""

from __future__ import annotations

from .committee import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    Ballot,
    CommitteeSession,
    Means,
    ProjectDecision,
    SessionDecision,
    Tally,
    VotePer,
    check_session,
    company_ballot,
    decide,
    decide_item,
    quorum_needed,
    votes_needed,
)
from .eligibility import check_eligibility
from .minutes import minutes_html, minutes_text
from .session import AgendaEntry, counted
from .steering import SteeringChair, check_steering_chair


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
