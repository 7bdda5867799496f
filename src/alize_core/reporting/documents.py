"""
Query documents (*fiches de consultation*): the territory, a project, a session and its
decision, an advance on a date, a person's part, the fund and the portfolio on a date, as
JSON-ready data.

Every door reads the same documents: ``alize show`` and ``alize report fund`` print them
(``--format json`` as they are, ``--format text`` in words), and the HTTP API answers
with them. Each is plain data — objects, lists, text, whole numbers, booleans and
``null`` — in the JSON form of alize's outputs
(:func:`~alize_core.kernel.serialization.unstructure`): amounts as text with their cents
(``"24000.00"``), dates as ISO text. Their figures are the Python API's: an advance's
position is its life's (:meth:`~alize_core.lending.life.AdvanceLife.position`), as the
register's portfolio values it; a session's decision is the one
:func:`~alize_core.governance.committee.decide` makes from the attendance and ballots
recorded, as when the session was closed. People appear by id, role and organisation
only: their names and contacts are personal data kept outside the journal.

A document dated ``on`` (the fund, the portfolio) revalues the register forward: give
the register as it stood on that date or before (for an earlier date, the register at
that date, :meth:`~alize_core.reporting.history.History.registers_at`).

>>> from alize_core.commands import propose_territory
>>> from alize_core.parties import LocalOperator, PublicBody, PublicBodyKind, Territory
>>> proposed = propose_territory(
...     Register.empty(), Territory("MEUSE", "Vallée de la Meuse", departements=["55"]),
...     LocalOperator("CCI55", "CCI Meuse"),
...     PublicBody("PREF55", "Préfecture de la Meuse", PublicBodyKind.PREFECTURE),
...     national_committee="CN", state_chair="PREFET", on=date(2025, 11, 3), actor="OP1")
>>> register = Register.empty().apply(proposed.events)
>>> document = territory_document(register)
>>> document["territory"], document["status"], document["proposed_on"]
({'id': 'MEUSE', 'name': 'Vallée de la Meuse', 'communes': [], 'departements': ['55']}, 'proposed', '2025-11-03')
>>> [(person["id"], person["role"]) for person in document["people"]]
[('OP1', 'operator_staff'), ('CN', 'national_committee'), ('PREFET', 'state_representative')]
>>> fund = fund_document(register, date(2026, 1, 1))
>>> fund["position"]["cash"], fund["available"], fund["balances"]
('0.00', '0.00', True)
>>> project_document(register, "P9")
Traceback (most recent call last):
...
alize_core.kernel.errors.UnknownRecord: project: 'P9' is not in the register

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from alize_core.commands.advances import loan_account
from alize_core.commands.committee import committee_session
from alize_core.governance.committee import ProjectDecision, decide
from alize_core.kernel.errors import UnknownRecord
from alize_core.kernel.money import ZERO
from alize_core.kernel.serialization import unstructure
from alize_core.kernel.validation import check_date
from alize_core.programme.fund import balance_steps
from alize_core.register.records import AdvanceRecord, AdvanceStatus, SessionRecord
from alize_core.register.views import Register
from alize_core.reporting.portfolio import portfolio_of


__all__ = [
    "Document",
    "advance_document",
    "fund_document",
    "person_document",
    "plain",
    "portfolio_document",
    "project_document",
    "session_document",
    "territory_document",
]

Document = dict[str, Any]
"""
A query document: JSON-ready data (objects, lists, text, whole numbers, booleans, null).
Its values are typed ``Any`` on purpose: a document is read by key, as JSON is, and a
recursive JSON type would make every reader cast at each level.
"""


def plain(value: object) -> Any:
    """
    A value as plain JSON-ready data: records by :func:`unstructure`, enumerations as
    their values, tuples as lists.

    >>> plain({"status": AdvanceStatus.REPAID, "amount": Decimal("12.50"), "on": date(2026, 1, 2)})
    {'status': 'repaid', 'amount': '12.50', 'on': '2026-01-02'}
    """
    return _plain(unstructure(value))


def _plain(value: object) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _territory_record(register: Register) -> Any:
    record = register.territory
    if record is None:
        raise UnknownRecord("territory", None, "the register has no territory yet")
    return record


def _sessions(register: Register) -> list[SessionRecord]:
    """The sessions in date order, then by id."""
    return sorted(register.sessions.values(), key=lambda s: (s.on, s.id))


def territory_document(register: Register) -> Document:
    """
    The territory (NAT-01): its perimeter, operator, prefecture, national committee and
    State chair, its status; its partners and conventions; and an index of what the
    register holds — people (id, role, organisation), projects, sessions and advances.


    Raises:
        UnknownRecord: The register has no territory yet.

    .. versionadded:: 0.1.0
    """
    record = _territory_record(register)
    document: Document = plain(record)
    document["as_of"] = plain(register.as_of)
    document["events"] = register.version
    document["partners"] = [plain(register.partners[key]) for key in sorted(register.partners)]
    document["conventions"] = plain(register.conventions)
    document["people"] = [
        {"id": p.id, "role": p.role.value, "organisation": p.organisation}
        for p in register.people.values()
    ]
    document["projects"] = [
        {
            "id": key,
            "sme": p.project.sme,
            "title": p.project.title,
            "status": p.status.value,
        }
        for key, p in sorted(register.projects.items())
    ]
    document["sessions"] = [
        {"id": s.id, "on": s.on.isoformat(), "closed": s.closed, "valid": s.valid}
        for s in _sessions(register)
    ]
    document["advances"] = [
        {"project": key, "status": a.status.value, "granted": plain(a.granted)}
        for key, a in sorted(register.advances.items())
    ]
    return document


def project_document(register: Register, project_id: str) -> Document:
    """
    A project and where it stands: its file, its SME, the session that decided it and
    the means granted (GOV-10), its agreement (CONV-02), its advance in brief and its
    missions (ACC-02).


    Raises:
        UnknownRecord: The register has no such project.

    .. versionadded:: 0.1.0
    """
    record = register.project(project_id)
    document: Document = plain(record)
    document["sme"] = plain(register.get_sme(record.project.sme))
    advance = register.get_advance(project_id)
    document["advance"] = (
        None
        if advance is None
        else {
            "status": advance.status.value,
            "granted": plain(advance.granted),
            "disbursed": plain(advance.disbursed),
            "repaid": plain(advance.repaid),
            "outstanding": plain(advance.outstanding),
        }
    )
    document["missions"] = [
        plain(m.mission) | {"granted_on": m.granted_on.isoformat(), "meetings": m.meeting_count}
        for m in register.missions.values()
        if m.mission.project == project_id
    ]
    return document


def _project_decision(item: ProjectDecision) -> Document:
    document: Document = item.to_dict()
    document["means_granted"] = None if item.means_granted is None else plain(item.means_granted)
    document["steps"] = [step.to_dict() for step in item.decision.steps]
    return document


def _decision(register: Register, record: SessionRecord) -> Document | None:
    if record.president is None:
        return None  # no attendance yet: nothing to decide from
    decided = decide(committee_session(register, record.id), register.settings)
    return {
        "final": record.closed,
        "valid": decided.valid,
        "validity": decided.validity.to_dict(),
        "projects": [_project_decision(item) for item in decided.decisions],
        "explanation": decided.explain(),
    }


def session_document(register: Register, session_id: str) -> Document:
    """
    A session of the approval committee (OP-02): its agenda and the means asked for, who
    attended (id, role, organisation), who presided and who presented what (GOV-07), the
    votes cast (GOV-02), and its decision — whether it was validly held (GOV-04…06) and
    each project's outcome with the decision's steps, rule ids and French explanation
    (GOV-01…03, GOV-10, GOV-11). ``decision`` is ``null`` before attendance is recorded;
    its ``final`` is whether the session was closed (before, it is what the votes cast so
    far decide).

    >>> session_document(Register.empty(), "S9")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.UnknownRecord: session: 'S9' is not in the register

    Raises:
        UnknownRecord: The register has no such session.

    .. versionadded:: 0.1.0
    """
    record = register.session(session_id)
    attendees = []
    for person_id in record.attendees:
        person = register.get_person(person_id)
        attendees.append(
            {
                "id": person_id,
                "role": None if person is None else person.role.value,
                "organisation": None if person is None else person.organisation,
            }
        )
    return {
        "id": record.id,
        "on": record.on.isoformat(),
        "agenda": plain(record.agenda),
        "attendees": attendees,
        "president": record.president,
        "presenters": [
            {"person": person, "projects": list(projects)} for person, projects in record.presenters
        ],
        "votes": [
            {"project": project, "person": person, "ballot": ballot}
            for project, person, ballot in record.ballots
        ],
        "opened": record.opened,
        "closed": record.closed,
        "valid": record.valid,
        "decision": _decision(register, record),
    }


def _position(advance: AdvanceRecord, on: date) -> Document:
    life = advance.life
    if life is None:  # committed, not paid out: it owes nothing yet
        return {
            "on": on.isoformat(),
            "status": advance.status.value,
            "outstanding": plain(ZERO),
            "arrears": plain(ZERO),
            "days_past_due": 0,
            "bucket": "0",
        }
    position = life.position(on)
    cents = Decimal("0.01")
    return {
        "on": on.isoformat(),
        "status": AdvanceStatus.of_account(position.status).value,
        "outstanding": plain(position.outstanding * cents),
        "arrears": plain(position.arrears * cents),
        "days_past_due": position.days_past_due,
        "bucket": position.bucket.value,
    }


def advance_document(register: Register, project_id: str, on: date) -> Document:
    """
    A project's repayable advance: what was granted, paid out, repaid, written off and
    recovered; its terms (SCH-01…04) and reschedulings (SCH-05); its payments; the
    schedule in force (``null`` before it is paid out); and its position at the end of
    ``on`` — status, outstanding, arrears, days past due and ageing bucket (SCH-06) —
    as the register's portfolio values it.

    >>> advance_document(Register.empty(), "P9", date(2026, 12, 31))
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.UnknownRecord: advance: 'P9' is not in the register

    Raises:
        UnknownRecord: The project has no advance.

    .. versionadded:: 0.1.0
    """
    check_date(on, field="on")
    advance = register.advance(project_id)
    paid_out = advance.disbursed_on is not None
    return {
        "project": advance.project,
        "sme": register.project(project_id).project.sme,
        "session": advance.session,
        "status": advance.status.value,
        "granted": plain(advance.granted),
        "committed": plain(advance.committed),
        "disbursed": plain(advance.disbursed),
        "repaid": plain(advance.repaid),
        "written_off": plain(advance.written_off),
        "recovered": plain(advance.recovered),
        "outstanding": plain(advance.outstanding),
        "committed_on": advance.committed_on.isoformat(),
        "disbursed_on": plain(advance.disbursed_on),
        "defaulted_on": plain(advance.defaulted_on),
        "written_off_on": plain(advance.written_off_on),
        "terms": None
        if not paid_out
        else {
            "instalments": advance.instalments,
            "frequency": advance.frequency,
            "deferral": advance.deferral or 0,
            "rounding": advance.rounding.value,
        },
        "reschedulings": plain(advance.reschedulings),
        "payments": [{"on": d.isoformat(), "amount": plain(a)} for d, a in advance.payments],
        "recoveries": [{"on": d.isoformat(), "amount": plain(a)} for d, a in advance.recoveries],
        "schedule": loan_account(register, project_id).schedule.to_dict() if paid_out else None,
        "position": _position(advance, on),
    }


def person_document(register: Register, person_id: str) -> Document:
    """
    A person's part in the programme, by id: role, organisation, whether in activity
    (GOV-05), a mentor's category (ACC-06); the sessions attended and presided, the
    projects presented (GOV-07), the votes cast (GOV-02), the missions led (ACC-02) and
    the time logged (GOV-08). No name, e-mail or phone: those are personal data kept
    outside the journal.

    >>> person_document(Register.empty(), "R9")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.UnknownRecord: person: 'R9' is not in the register

    Raises:
        UnknownRecord: The register knows no such person.

    .. versionadded:: 0.1.0
    """
    person = register.person(person_id)
    sessions = _sessions(register)
    entries = [entry for entry in register.time_entries if entry.person == person_id]
    return {
        "id": person.id,
        "role": person.role.value,
        "organisation": person.organisation,
        "in_activity": person.in_activity,
        "category": plain(person.category),
        "enrolled_on": person.enrolled_on.isoformat(),
        "sessions_attended": [s.id for s in sessions if person_id in s.attendees],
        "sessions_presided": [s.id for s in sessions if s.president == person_id],
        "presented": [
            {"session": s.id, "projects": list(projects)}
            for s in sessions
            for guest, projects in s.presenters
            if guest == person_id
        ],
        "votes": [
            {"session": s.id, "project": project, "ballot": ballot}
            for s in sessions
            for project, voter, ballot in s.ballots
            if voter == person_id
        ],
        "missions": [
            {"id": m.mission.id, "project": m.mission.project, "partner": m.mission.partner}
            for m in register.missions.values()
            if m.mission.mentor == person_id
        ],
        "time_logged": {
            "entries": len(entries),
            "days": plain(sum((entry.days for entry in entries), ZERO)),
        },
    }


def fund_document(register: Register, on: date) -> Document:
    """
    The advance fund at the end of ``on`` (FUND-01…05): contributions called and
    received, committed, disbursed, repaid, written off, recovered, fees, cash and
    outstanding, what it can still commit, whether it balances with the FUND-05 checks,
    each partner's account, and the portfolio's total arrears (SCH-06).

    >>> fund_document(Register.empty(), date(2026, 12, 31))
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.UnknownRecord: territory: the register has no territory yet

    Raises:
        UnknownRecord: The register has no territory yet.
        CommandRefused: ``on`` is before the register's last event.

    .. versionadded:: 0.1.0
    """
    record = _territory_record(register)
    portfolio = register.portfolio(check_date(on, field="on"))
    position = portfolio.position
    steps = balance_steps(position)
    accounts: Mapping[str, Any] = register.accounts
    return {
        "territory": record.territory.id,
        "on": on.isoformat(),
        "position": plain(position),
        "available": plain(position.available),
        "balances": all(step.passed for step in steps),
        "steps": [step.to_dict() for step in steps],
        "accounts": [
            plain(accounts[key]) | {"due": plain(accounts[key].due)} for key in sorted(accounts)
        ],
        "advances": len(portfolio.advances),
        "arrears": plain(portfolio.arrears),
    }


def portfolio_document(register: Register, on: date) -> Document:
    """
    The portfolio report on ``on`` (SCH-06) as data: each advance's project, SME,
    status, outstanding, arrears, days past due and bucket, and the totals — the
    figures of :func:`~alize_core.reporting.portfolio.portfolio_report`.

    >>> portfolio_document(Register.empty(), date(2026, 12, 31))
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.UnknownRecord: territory: the register has no territory yet

    Raises:
        UnknownRecord: The register has no territory yet.
        CommandRefused: ``on`` is before the register's last event.

    .. versionadded:: 0.1.0
    """
    _territory_record(register)
    report = portfolio_of(register, check_date(on, field="on"))
    document: Document = plain(report)
    document["late"] = report.late
    return document
