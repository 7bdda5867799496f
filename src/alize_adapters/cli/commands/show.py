"""
``alize show``: one record of a register — the territory, a project, a session and its
decision, an advance on a date, a person's part.

``alize show territory | project ID | session ID | advance ID [--on DATE] | person ID
[--format text|json] [--db PATH]`` prints the query document of
:mod:`alize_core.reporting.documents`: ``--format json`` exactly as the Python API (and
the HTTP API) gives it, ``--format text`` in words, amounts in euros as a French reader
writes them and decisions explained in French with their rule ids. An advance is shown
where it stands at the end of ``--on`` (by default the register's last event's day).

Exit status: ``0`` shown; ``1`` an id the register does not hold (``project: 'P9' is not
in the register``) or no register at ``--db``; ``2`` a usage error.

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Final

from alize_adapters.cli.commands._db import add_db_option, iso_date, open_register_store
from alize_core.kernel.errors import MissingValue
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.money import format_eur
from alize_core.register.storage import load
from alize_core.register.views import Register
from alize_core.reporting.documents import (
    Document,
    advance_document,
    person_document,
    project_document,
    session_document,
    territory_document,
)


__all__ = [
    "advance_text",
    "euros",
    "fund_text",
    "person_text",
    "print_document",
    "project_text",
    "register",
    "run",
    "session_text",
    "territory_text",
]


def euros(text: str | None) -> str:
    """
    An amount of a document (text) as a French reader writes it, with plain spaces.

    >>> euros("24000.00")
    '24 000,00 €'
    """
    if text is None:
        return "-"
    return format_eur(Decimal(text)).replace("\xa0", " ")


def _or(value: object, default: str = "-") -> str:
    return default if value is None else str(value)


def territory_text(document: Document) -> str:
    """The territory document in words."""
    t = document["territory"]
    status = f"{document['status']}, proposed {document['proposed_on']}"
    if document["validated_on"]:
        status += f", validated {document['validated_on']}"
    operator, prefecture = document["operator"], document["prefecture"]
    lines = [
        f"Territory {t['id']}: {t['name']} ({status})",
        f"  départements: {', '.join(t['departements']) or '-'};"
        f" communes: {', '.join(t['communes']) or '-'}",
        f"  operator: {operator['id']} {operator['name']} ({operator['kind']})",
        f"  prefecture: {prefecture['id']} {prefecture['name']} ({prefecture['kind']})",
        f"  national committee: {document['national_committee']};"
        f" State chair: {document['state_chair']}",
        f"  register: {document['events']} events, the last on {_or(document['as_of'])}",
        f"Partners ({len(document['partners'])}):",
        *(f"  {p['id']}  {p['name']}" for p in document["partners"]),
        f"Conventions ({len(document['conventions'])}):",
        *(f"  {c['id']} from {c['start']}" for c in document["conventions"]),
        f"People ({len(document['people'])}):",
        *(f"  {p['id']}  {p['role']}  {p['organisation']}" for p in document["people"]),
        f"Projects ({len(document['projects'])}):",
        *(f"  {p['id']}  {p['status']}  {p['sme']}  {p['title']}" for p in document["projects"]),
        f"Sessions ({len(document['sessions'])}):",
        *(
            f"  {s['id']}  {s['on']}  "
            + ("closed, " + ("valid" if s["valid"] else "not valid") if s["closed"] else "open")
            for s in document["sessions"]
        ),
        f"Advances ({len(document['advances'])}):",
        *(f"  {a['project']}  {a['status']}  {euros(a['granted'])}" for a in document["advances"]),
    ]
    return "\n".join(lines)


def project_text(document: Document) -> str:
    """The project document in words."""
    project = document["project"]
    lines = [
        f"Project {project['id']}: {project['title']} ({document['status']})",
        f"  SME: {project['sme']}" + (f" {document['sme']['name']}" if document["sme"] else ""),
        f"  jobs: {project['jobs_created']} created, {project['jobs_kept']} kept",
        f"  identified {document['identified_on']}, file validated {_or(document['validated_on'])}",
        f"  session: {_or(document['session'])}, decided {_or(document['decided_on'])}:"
        f" {_or(document['outcome'])}",
    ]
    means = document["means"]
    if means is not None:
        lines.append(
            f"  means: advance {euros(means['advance'])}, subsidised loan"
            f" {euros(means['subsidised_loan'])}, {means['mentor_days']} mentor days a year"
        )
    if document["agreement"] is not None:
        agreement = document["agreement"]
        lines.append(f"  agreement: {agreement['id']} signed {agreement['signed_on']}")
    advance = document["advance"]
    if advance is not None:
        lines.append(
            f"  advance: {advance['status']}, granted {euros(advance['granted'])}, disbursed"
            f" {euros(advance['disbursed'])}, repaid {euros(advance['repaid'])}, outstanding"
            f" {euros(advance['outstanding'])}"
        )
    lines += [
        f"  mission {m['id']}: mentor {m['mentor']} ({m['partner']}), {m['days_per_year']} days"
        f" a year, {m['meetings']} meetings"
        for m in document["missions"]
    ]
    if document["closed_on"]:
        lines.append(f"  closed {document['closed_on']}")
    return "\n".join(lines)


def session_text(document: Document) -> str:
    """The session document in words, its decision explained in French."""
    state = "closed" if document["closed"] else ("open" if document["opened"] else "convened")
    lines = [f"Session {document['id']} of {document['on']} ({state})", "Agenda:"]
    lines += [
        f"  {e['project']}: advance {euros(e['advance'])}, subsidised loan"
        f" {euros(e['subsidised_loan'])}, {e['mentor_days']} mentor days"
        for e in document["agenda"]
    ]
    if document["opened"]:
        lines.append(f"Present (president {document['president']}):")
        lines += [
            f"  {a['id']}  {_or(a['role'])}  {_or(a['organisation'])}"
            for a in document["attendees"]
        ]
        lines.append(f"Votes ({len(document['votes'])}):")
        lines += [f"  {v['project']}  {v['person']}  {v['ballot']}" for v in document["votes"]]
    decision = document["decision"]
    if decision is not None:
        heading = "Decision" if decision["final"] else "Decision from the votes cast so far"
        lines += ["", f"{heading}:", decision["explanation"]]
        for project in decision["projects"]:
            lines.append(
                f"{project['project']}: {project['outcome']} ({', '.join(project['rules'])})"
            )
    return "\n".join(lines)


def advance_text(document: Document) -> str:
    """The advance document in words: its figures, its terms and its position on the date."""
    position = document["position"]
    lines = [
        f"Advance of project {document['project']} (SME {document['sme']}, session"
        f" {document['session']}): {document['status']}",
        f"  granted {euros(document['granted'])} on {document['committed_on']}; disbursed"
        f" {euros(document['disbursed'])} on {_or(document['disbursed_on'])}",
        f"  repaid {euros(document['repaid'])}, written off {euros(document['written_off'])},"
        f" recovered {euros(document['recovered'])}, outstanding {euros(document['outstanding'])}",
    ]
    terms = document["terms"]
    if terms is not None:
        lines.append(
            f"  terms: {terms['instalments']} {terms['frequency']} instalments, deferral"
            f" {terms['deferral']}, rounding {terms['rounding']}"
        )
    lines += [
        f"  rescheduled {r['on']}: {r['instalments']} {r['frequency']} instalments"
        for r in document["reschedulings"]
    ]
    lines.append(
        f"On {position['on']}: {position['status']}, outstanding {euros(position['outstanding'])},"
        f" arrears {euros(position['arrears'])}, {position['days_past_due']} days past due"
        f" (bucket {position['bucket']})"
    )
    schedule = document["schedule"]
    if schedule is not None:
        lines.append("Schedule in force:")
        lines += [
            f"  {row['number']:>3}  {row['due_date']}  {euros(row['payment']):>14}"
            f"  balance {euros(row['balance'])}"
            for row in schedule["instalments"]
        ]
    if document["payments"]:
        lines.append("Payments:")
        lines += [f"  {p['on']}  {euros(p['amount'])}" for p in document["payments"]]
    return "\n".join(lines)


def person_text(document: Document) -> str:
    """The person document in words (ids only: no personal data)."""
    category = f", {document['category']}" if document["category"] else ""
    activity = "in activity" if document["in_activity"] else "not in activity"
    logged = document["time_logged"]
    lines = [
        f"Person {document['id']}: {document['role']}{category} of"
        f" {document['organisation'] or '-'} ({activity}), enrolled {document['enrolled_on']}",
        f"  sessions attended: {', '.join(document['sessions_attended']) or '-'}",
        f"  sessions presided: {', '.join(document['sessions_presided']) or '-'}",
        *(
            f"  presented {', '.join(p['projects'])} at {p['session']}"
            for p in document["presented"]
        ),
        *(f"  voted {v['ballot']} on {v['project']} at {v['session']}" for v in document["votes"]),
        *(f"  mission {m['id']} for {m['project']} ({m['partner']})" for m in document["missions"]),
        f"  time logged: {logged['days']} days in {logged['entries']} entries",
    ]
    return "\n".join(lines)


def fund_text(document: Document) -> str:
    """The fund document in words: the position, the FUND-05 checks, the partners' accounts."""
    p = document["position"]
    lines = [
        f"Fund of {document['territory']} on {document['on']}:",
        f"  contributions called {euros(p['contributions_called'])}, received"
        f" {euros(p['contributions_received'])}",
        f"  committed {euros(p['committed'])}, disbursed {euros(p['disbursed'])}, repaid"
        f" {euros(p['repaid'])}",
        f"  written off {euros(p['written_off'])}, recovered {euros(p['recovered'])}, fees"
        f" {euros(p['fees'])}",
        f"  cash {euros(p['cash'])}, outstanding {euros(p['outstanding'])}, available"
        f" {euros(document['available'])}",
        f"  {document['advances']} advances, arrears {euros(document['arrears'])}",
        "Balances (FUND-05): " + ("yes" if document["balances"] else "no"),
        *(
            f"  {'✓' if s['passed'] else '✗'} {s['message']} ({s['rule']})".replace("\xa0", " ")
            for s in document["steps"]
        ),
        "Partners' accounts:",
        *(
            f"  {a['partner']}: called {euros(a['called'])}, received {euros(a['received'])},"
            f" due {euros(a['due'])}"
            for a in document["accounts"]
        ),
    ]
    return "\n".join(lines)


def print_document(document: Document, form: str, text: Callable[[Document], str]) -> None:
    """Print a document as JSON (exactly) or as text."""
    if form == "json":
        print(dump_json(document, ascii=False, indent=2))
    else:
        print(text(document).replace("\xa0", " "))


_KINDS: Final[dict[str, tuple[str, Callable[[Document], str]]]] = {
    "territory": (
        "the territory, its partners, people, projects, sessions, advances",
        territory_text,
    ),
    "project": ("a project: its file, decision, means, agreement, advance, missions", project_text),
    "session": ("a session: agenda, attendance, votes and its decision explained", session_text),
    "advance": ("a project's advance: terms, schedule, where it stands on a date", advance_text),
    "person": ("a person's part: role, organisation, sessions, votes, missions", person_text),
}


def register(subparsers: Any) -> None:
    """Add the ``show`` command and its kinds of record."""
    parser = subparsers.add_parser(
        "show",
        help="show the territory, a project, a session, an advance or a person",
        description="Show one record of the register as text, or as the JSON document the"
        " Python and HTTP APIs give.",
    )
    kinds = parser.add_subparsers(title="records", metavar="RECORD", required=True)
    for name, (summary, _) in _KINDS.items():
        kind = kinds.add_parser(name, help=summary, description=f"Show {summary}.")
        if name != "territory":
            kind.add_argument("id", metavar="ID", help=f"the {name}'s id")
        if name == "advance":
            kind.add_argument(
                "--on", type=iso_date, help="the date (default: the register's last event's day)"
            )
        kind.add_argument("--format", choices=("text", "json"), default="text")
        add_db_option(kind)
        kind.set_defaults(handler=run, kind=name)


def _document(register: Register, args: argparse.Namespace) -> Document:
    kind: str = args.kind
    if kind == "territory":
        return territory_document(register)
    if kind == "project":
        return project_document(register, args.id)
    if kind == "session":
        return session_document(register, args.id)
    if kind == "person":
        return person_document(register, args.id)
    on: date | None = args.on or register.as_of
    if on is None:
        raise MissingValue("--on", None)  # an empty register has no last event to date it
    return advance_document(register, args.id, on)


def run(args: argparse.Namespace) -> int:
    """Print the record asked for."""
    with open_register_store(args.db) as store:
        register = load(store)
    print_document(_document(register, args), args.format, _KINDS[args.kind][1])
    return 0
