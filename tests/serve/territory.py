"""
The territory the API tests run on, as the requests that build it: the demo's sample
territory (its partners, representatives, SMEs and projects), founded, voted on and lent
to through ``POST /commands``, each request with the actor whose token sends it.
"""

from __future__ import annotations

from typing import Any

from alize_adapters.demo import sample
from alize_core.kernel.serialization import unstructure


OPERATOR = "OP1"
NATIONAL = "CN-ALIZE"
PREFECT = "PREF-REP"
MENTOR = "M1"
VOTERS = ("R1", "R2", "R3", "R5", "R6")
ACTORS = (OPERATOR, NATIONAL, PREFECT, MENTOR, *VOTERS)
YEAR = sample.PROGRAMME_YEAR
TODAY = f"{YEAR}-06-15"
"""The date of the last event the territory holds: the tests write on it (events are dated in order)."""

Request = dict[str, Any]


def _request(key: str, command: str, on: str, **arguments: Any) -> Request:
    return {"id": key, "command": command, "on": on, **arguments}


def _founding() -> list[tuple[str, Request]]:
    previous = YEAR - 1
    steps: list[tuple[str, Request]] = [
        (
            OPERATOR,
            _request(
                "found-1",
                "propose_territory",
                f"{previous}-10-06",
                territory=unstructure(sample.territory()),
                operator=unstructure(sample.operator()),
                prefecture=unstructure(sample.prefecture()),
                national_committee=NATIONAL,
                state_chair=PREFECT,
            ),
        ),
        (NATIONAL, _request("found-2", "validate_territory", f"{previous}-11-18")),
    ]
    for company in sample.partners():
        steps.append(
            (
                OPERATOR,
                _request(
                    f"partner-{company.id}",
                    "admit_partner",
                    f"{previous}-12-01",
                    partner=unstructure(company),
                ),
            )
        )
    for person in sample.representatives():
        steps.append(
            (
                OPERATOR,
                _request(
                    f"enrol-{person.id}",
                    "enrol_person",
                    f"{previous}-12-02",
                    person=person.id,
                    role="company_representative",
                    organisation=person.company,
                    in_activity=person.in_activity,
                ),
            )
        )
    steps.append(
        (
            OPERATOR,
            _request(
                f"enrol-{MENTOR}",
                "enrol_person",
                f"{previous}-12-02",
                person=MENTOR,
                role="mentor",
                organisation="ACIER",
                category="executive",
            ),
        )
    )
    commitments = [("ACIER", "60000.00", 20), ("ENERG", "40000.00", 10), ("BANQ", "35000.00", 5)]
    steps.append(
        (
            OPERATOR,
            _request(
                "convention",
                "sign_convention",
                f"{previous}-12-15",
                convention={
                    "id": f"CT-{YEAR}",
                    "start": f"{YEAR}-01-01",
                    "commitments": [
                        {"partner": p, "yearly_amount": a, "yearly_days": d}
                        for p, a, d in commitments
                    ],
                },
            ),
        )
    )
    for partner, amount, _days in commitments:
        steps.append(
            (
                OPERATOR,
                _request(
                    f"call-{partner}",
                    "call_contribution",
                    f"{YEAR}-01-12",
                    partner=partner,
                    year=YEAR,
                    amount=amount,
                ),
            )
        )
    for partner, amount, _days in commitments:
        steps.append(
            (
                OPERATOR,
                _request(
                    f"paid-{partner}",
                    "receive_contribution",
                    f"{YEAR}-02-02",
                    partner=partner,
                    amount=amount,
                ),
            )
        )
    return steps


def _committee() -> list[tuple[str, Request]]:
    steps: list[tuple[str, Request]] = []
    for sme in sample.smes():
        steps.append(
            (
                OPERATOR,
                _request(f"sme-{sme.siren}", "register_sme", f"{YEAR}-02-17", sme=unstructure(sme)),
            )
        )
    for identified in sample.projects()[:2]:
        steps.append(
            (
                OPERATOR,
                _request(
                    f"project-{identified.id}",
                    "identify_project",
                    f"{YEAR}-02-17",
                    project=unstructure(identified),
                ),
            )
        )
    for project in sample.projects()[:2]:
        steps.append(
            (
                OPERATOR,
                _request(
                    f"file-{project.id}", "validate_file", f"{YEAR}-02-24", project=project.id
                ),
            )
        )
    session = f"{YEAR}-03-12"
    agenda = [
        {"project": "P1", "advance": "40000", "mentor_days": 6},
        {"project": "P2", "advance": "15000", "mentor_days": 3},
    ]
    steps.append(
        (
            OPERATOR,
            _request(
                "convene-S1",
                "convene_session",
                f"{YEAR}-02-26",
                session="S1",
                session_date=session,
                agenda=agenda,
            ),
        )
    )
    steps.append(
        (
            OPERATOR,
            _request(
                "open-S1",
                "open_session",
                session,
                session="S1",
                attendees=[OPERATOR, *VOTERS],
                president="R1",
            ),
        )
    )
    for voted in ("P1", "P2"):
        for voter in VOTERS:
            steps.append(
                (
                    voter,
                    _request(
                        f"vote-{voted}-{voter}",
                        "cast_vote",
                        session,
                        session="S1",
                        project=voted,
                        ballot="against" if voter == "R5" else "for",
                    ),
                )
            )
    steps.append((OPERATOR, _request("close-S1", "close_session", session, session="S1")))
    return steps


def _lending() -> list[tuple[str, Request]]:
    steps: list[tuple[str, Request]] = []
    for project in ("P1", "P2"):
        steps.append(
            (
                OPERATOR,
                _request(
                    f"agreement-{project}",
                    "sign_agreement",
                    f"{YEAR}-03-20",
                    project=project,
                    agreement=f"CC-{project}",
                ),
            )
        )
    for project, instalments in (("P1", 48), ("P2", 24)):
        steps.append(
            (
                OPERATOR,
                _request(
                    f"disburse-{project}",
                    "disburse_advance",
                    f"{YEAR}-03-31",
                    project=project,
                    instalments=instalments,
                ),
            )
        )
    steps.append(
        (
            OPERATOR,
            _request(
                "repay-P1-1",
                "receive_repayment",
                f"{YEAR}-04-30",
                project="P1",
                amount="833.33",
            ),
        )
    )
    return steps


def _open_session() -> list[tuple[str, Request]]:
    """A second session, left open on :data:`TODAY` with P4 on its agenda."""
    sme = {
        "siren": "555045608",
        "name": "Fonderie de Saint-Mihiel",
        "creation_date": "2009-05-04",
        "staff": 25,
        "turnover": "2400000",
        "balance_sheet": "1100000",
        "commune": "55463",
    }
    project = {
        "id": "P4",
        "sme": sme["siren"],
        "title": "Four à induction",
        "jobs_created": 3,
        "jobs_kept": 22,
    }
    return [
        (OPERATOR, _request("sme-P4", "register_sme", f"{YEAR}-05-20", sme=sme)),
        (OPERATOR, _request("project-P4", "identify_project", f"{YEAR}-05-20", project=project)),
        (OPERATOR, _request("file-P4", "validate_file", f"{YEAR}-05-22", project="P4")),
        (
            OPERATOR,
            _request(
                "convene-S2",
                "convene_session",
                f"{YEAR}-05-25",
                session="S2",
                session_date=TODAY,
                agenda=[{"project": "P4", "advance": "20000"}],
            ),
        ),
        (
            OPERATOR,
            _request(
                "open-S2",
                "open_session",
                TODAY,
                session="S2",
                attendees=[OPERATOR, *VOTERS],
                president="R1",
            ),
        ),
    ]


def year_requests() -> list[tuple[str, Request]]:
    """Every request that builds the territory, in order, with the actor that sends it."""
    return [*_founding(), *_committee(), *_lending(), *_open_session()]
