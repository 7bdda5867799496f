"""The query documents: the Python API's figures, as plain JSON data, one truth for every door."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_core.commands import convene_session, loan_account
from alize_core.commands.committee import committee_session
from alize_core.governance.committee import decide
from alize_core.governance.session import AgendaEntry
from alize_core.kernel.errors import CommandRefused, UnknownRecord
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.kernel.money import ZERO
from alize_core.register.views import Register
from alize_core.reporting.documents import (
    Document,
    advance_document,
    fund_document,
    person_document,
    portfolio_document,
    project_document,
    session_document,
    territory_document,
)
from alize_core.reporting.portfolio import portfolio_report
from tests.core.register_story import OPERATOR, Story
from tests.core.reporting_story import Journal, story_2026


STORY: Journal = story_2026()
REGISTER: Register = STORY.register
END = date(2026, 12, 31)


def _documents() -> list[Document]:
    return [
        territory_document(REGISTER),
        project_document(REGISTER, "P1"),
        project_document(REGISTER, "P2"),
        session_document(REGISTER, "S1"),
        session_document(REGISTER, "S2"),
        advance_document(REGISTER, "P1", END),
        advance_document(REGISTER, "P3", END),
        person_document(REGISTER, "R1"),
        person_document(REGISTER, "M1"),
        fund_document(REGISTER, END),
        portfolio_document(REGISTER, END),
    ]


@pytest.mark.parametrize("document", _documents(), ids=lambda d: str(sorted(d)[:2]))
def test_a_document_is_plain_json_that_reads_back_the_same(document: Document) -> None:
    """Every document survives JSON text unchanged: no enum, Decimal, date or tuple left in it."""
    assert parse_json(dump_json(document)) == document


@given(st.integers(min_value=0, max_value=3 * 365))
@settings(max_examples=60, deadline=None)
def test_an_advance_position_is_the_portfolio_figure_on_any_date(days: int) -> None:
    """Status, outstanding, arrears and days past due of each advance are the register's portfolio's."""
    on = END + timedelta(days=days)
    valued = {v.project: v for v in REGISTER.portfolio(on).advances}
    for project in ("P1", "P3"):
        position = advance_document(REGISTER, project, on)["position"]
        figure = valued[project]
        assert position["status"] == figure.status
        assert Decimal(position["outstanding"]) == figure.outstanding
        assert Decimal(position["arrears"]) == figure.arrears
        assert position["days_past_due"] == figure.days_past_due
        assert position["bucket"] == figure.bucket.value


def test_an_advance_in_default_owes_its_whole_outstanding() -> None:
    """P1 was declared in default on 31 December: its arrears are its outstanding (SCH-06)."""
    position = advance_document(REGISTER, "P1", END)["position"]
    assert position["status"] == "defaulted"
    assert position["arrears"] == position["outstanding"]
    assert Decimal(position["outstanding"]) == REGISTER.advance("P1").outstanding


def test_an_advance_schedule_is_the_loan_account_schedule() -> None:
    document = advance_document(REGISTER, "P3", END)
    assert document["schedule"] == loan_account(REGISTER, "P3").schedule.to_dict()
    assert document["terms"]["instalments"] == REGISTER.advance("P3").instalments
    assert [p["amount"] for p in document["payments"]] == [
        str(amount) for _, amount in REGISTER.advance("P3").payments
    ]


def test_an_advance_not_paid_out_has_no_schedule_and_owes_nothing() -> None:
    story = Story().founded().funded().with_projects().approved("P1")
    document = advance_document(story.register, "P1", date(2026, 3, 20))
    assert document["status"] == "committed"
    assert document["schedule"] is None
    assert document["terms"] is None
    assert document["position"]["status"] == "committed"
    assert document["position"]["outstanding"] == "0.00"


def test_the_portfolio_document_is_the_portfolio_report() -> None:
    report = portfolio_report(STORY.events, END)
    document = portfolio_document(REGISTER, END)
    assert [line["project"] for line in document["lines"]] == [
        line.project for line in report.lines
    ]
    assert Decimal(document["arrears"]) == report.arrears
    assert Decimal(document["outstanding"]) == report.outstanding
    assert document["late"] == report.late


def test_the_fund_document_is_the_register_fund_revalued_on_the_date() -> None:
    portfolio = REGISTER.portfolio(END)
    document = fund_document(REGISTER, END)
    assert Decimal(document["position"]["cash"]) == portfolio.position.cash
    assert Decimal(document["available"]) == portfolio.position.available
    assert Decimal(document["arrears"]) == portfolio.arrears
    assert document["balances"] is True
    assert {a["partner"]: Decimal(a["due"]) for a in document["accounts"]} == {
        key: account.due for key, account in REGISTER.accounts.items()
    }


def test_a_fund_document_dated_before_the_register_is_refused() -> None:
    with pytest.raises(CommandRefused, match="before the register's last event"):
        fund_document(REGISTER, date(2026, 6, 30))


def test_a_session_decision_is_the_committee_decision() -> None:
    """Each project's outcome, steps and rule ids are those decide() gives from the votes recorded."""
    decided = decide(committee_session(REGISTER, "S1"), REGISTER.settings)
    document = session_document(REGISTER, "S1")["decision"]
    assert document["final"] is True
    assert document["valid"] is decided.valid
    for item, expected in zip(document["projects"], decided.decisions, strict=True):
        assert item["project"] == expected.project
        assert item["outcome"] == expected.outcome.value
        assert item["rules"] == list(expected.decision.rules)
        assert [s["code"] for s in item["steps"]] == [s.code for s in expected.decision.steps]
        assert item["explanation"] == expected.explain()


def test_a_session_decision_agrees_with_what_was_recorded_at_closing() -> None:
    projects = session_document(REGISTER, "S1")["decision"]["projects"]
    for item in projects:
        recorded = REGISTER.project(item["project"]).outcome
        assert recorded is not None
        assert item["outcome"] == recorded.value


def test_a_rejected_project_names_the_majority_rule() -> None:
    (p2,) = [
        p for p in session_document(REGISTER, "S1")["decision"]["projects"] if p["project"] == "P2"
    ]
    assert p2["outcome"] == "rejected"
    (failed,) = [step for step in p2["steps"] if not step["passed"]]
    assert failed["rule"] == "GOV-01"
    assert p2["explanation"].startswith("Projet P2 : rejeté.")
    assert failed["message"] in p2["explanation"]


def test_a_session_without_attendance_has_no_decision_yet() -> None:
    story = Story().founded().funded().with_projects()
    on = date(2026, 3, 12)
    story.do(
        convene_session(
            story.register, "S9", on, [AgendaEntry("P1", advance="1000")], on=on, actor=OPERATOR
        )
    )
    document = session_document(story.register, "S9")
    assert document["decision"] is None
    assert document["opened"] is False
    assert [entry["project"] for entry in document["agenda"]] == ["P1"]


def test_votes_and_attendance_are_listed_by_person_id() -> None:
    document = session_document(REGISTER, "S1")
    assert {a["id"] for a in document["attendees"]} == set(REGISTER.session("S1").attendees)
    assert len(document["votes"]) == len(REGISTER.session("S1").ballots)


def test_a_person_document_holds_no_personal_data() -> None:
    document = person_document(REGISTER, "M1")
    assert not {"name", "email", "phone", "first_name", "last_name"} & set(document)
    assert document["role"] == "mentor"
    assert document["missions"][0]["id"] == "MI1"
    logged = sum((e.days for e in REGISTER.time_entries if e.person == "M1"), ZERO)
    assert Decimal(document["time_logged"]["days"]) == logged


def test_a_representative_document_lists_the_votes_cast() -> None:
    document = person_document(REGISTER, "R2")
    assert {(v["session"], v["project"], v["ballot"]) for v in document["votes"]} == {
        (s.id, project, ballot)
        for s in REGISTER.sessions.values()
        for project, voter, ballot in s.ballots
        if voter == "R2"
    }


def test_the_territory_document_indexes_the_register() -> None:
    document = territory_document(REGISTER)
    assert document["events"] == REGISTER.version
    assert [p["id"] for p in document["partners"]] == sorted(REGISTER.partners)
    assert [p["id"] for p in document["projects"]] == sorted(REGISTER.projects)
    assert {p["id"] for p in document["people"]} == set(REGISTER.people)


def test_a_project_document_carries_its_advance_and_missions() -> None:
    document = project_document(REGISTER, "P1")
    assert document["outcome"] == "adopted"
    assert Decimal(document["advance"]["granted"]) == REGISTER.advance("P1").granted
    assert [m["id"] for m in document["missions"]] == ["MI1"]
    assert document["sme"]["siren"] == REGISTER.project("P1").project.sme


@pytest.mark.parametrize(
    ("read", "kind"),
    [
        (lambda r: project_document(r, "P9"), "project"),
        (lambda r: session_document(r, "S9"), "session"),
        (lambda r: advance_document(r, "P2", END), "advance"),
        (lambda r: person_document(r, "X9"), "person"),
    ],
)
def test_an_unknown_id_is_an_unknown_record_naming_its_kind(read: object, kind: str) -> None:
    with pytest.raises(UnknownRecord) as raised:
        read(REGISTER)  # type: ignore[operator]
    assert raised.value.field == kind
