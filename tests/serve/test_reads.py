"""The reads over real HTTP: the Python API's documents, reports and rulebook, translated."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from alize_adapters.storage.sqlite import SqliteStore, read_events
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.rulebook import rulebook_document
from alize_core.kernel.serialization import dumps
from alize_core.register.storage import load
from alize_core.register.views import Register
from alize_core.rendering.reports import to_csv, to_html
from alize_core.reporting.activity import activity_report
from alize_core.reporting.documents import (
    advance_document,
    fund_document,
    person_document,
    portfolio_document,
    project_document,
    session_document,
    territory_document,
)
from alize_core.reporting.history import registers_at
from tests.serve.live import Server
from tests.serve.territory import MENTOR, OPERATOR, TODAY, YEAR


def _register(server: Server) -> Register:
    with SqliteStore(server.db, create=False) as store:
        return load(store)


def _as_json(document: object) -> Any:
    return json.loads(dump_json(document))


END = date(YEAR, 12, 31)

DOCUMENTS: dict[str, Callable[[Register], object]] = {
    "/territory": territory_document,
    "/projects/P1": lambda r: project_document(r, "P1"),
    "/sessions/S1": lambda r: session_document(r, "S1"),
    "/sessions/S2": lambda r: session_document(r, "S2"),
    "/people/R1": lambda r: person_document(r, "R1"),
    f"/people/{MENTOR}": lambda r: person_document(r, MENTOR),
    f"/advances/P1?on={END}": lambda r: advance_document(r, "P1", END),
    f"/fund?on={END}": lambda r: fund_document(r, END),
    f"/portfolio?on={END}": lambda r: portfolio_document(r, END),
}


@pytest.mark.parametrize("path", list(DOCUMENTS))
def test_a_read_answers_the_python_apis_document(server: Server, path: str) -> None:
    with server.client(OPERATOR) as client:
        answer = client.get(path)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.json() == _as_json(DOCUMENTS[path](_register(server)))


def test_a_session_answers_its_decision_with_rules_and_explanation(server: Server) -> None:
    with server.client(OPERATOR) as client:
        document = client.get("/sessions/S1").json()
    decision = document["decision"]
    assert decision["final"] is True
    assert "GOV-04" in json.dumps(decision["validity"])
    assert decision["explanation"]
    assert {item["project"] for item in decision["projects"]} == {"P1", "P2"}


def test_the_fund_at_an_earlier_date_is_the_register_as_it_stood_then(server: Server) -> None:
    then = date(YEAR, 2, 28)
    with server.client(OPERATOR) as client:
        answer = client.get(f"/fund?on={then}")
    assert answer.status_code == 200
    (register,) = registers_at(read_events(server.db), [then])
    assert answer.json() == _as_json(fund_document(register, then))


def test_the_projects_are_the_territorys_index(server: Server) -> None:
    with server.client(OPERATOR) as client:
        answer = client.get("/projects")
    expected = territory_document(_register(server))["projects"]
    assert answer.json() == {"projects": _as_json(expected)}


def test_the_rules_are_what_alize_rules_prints(server: Server) -> None:
    with server.client(OPERATOR) as client:
        answer = client.get("/rules")
    assert answer.json() == _as_json(rulebook_document())


def test_the_activity_report_is_given_as_json_html_or_csv_by_accept(server: Server) -> None:
    report = activity_report(read_events(server.db), YEAR, on=END)
    path = f"/reports/activity?on={END}"
    with server.client(OPERATOR) as client:
        as_json = client.get(path)
        as_html = client.get(path, headers={"Accept": "text/html"})
        as_csv = client.get(path, headers={"Accept": "text/csv;q=0.9, application/xml"})
        refused = client.get(path, headers={"Accept": "application/pdf"})
    assert as_json.json() == json.loads(dumps(report))
    assert as_html.headers["content-type"].startswith("text/html")
    assert as_html.text == to_html(report)
    assert as_csv.content == to_csv(report).encode("utf-8-sig")
    assert refused.status_code == 406
    assert refused.json()["error"]["code"] == "not_acceptable"


def test_the_forecast_and_the_portfolio_reports_are_given(server: Server) -> None:
    with server.client(OPERATOR) as client:
        forecast = client.get(f"/reports/forecast/{YEAR}?default_rate=0.1&years=2")
        portfolio = client.get(f"/reports/portfolio?on={END}", headers={"Accept": "text/plain"})
    assert forecast.status_code == 200
    assert forecast.json()["type"] == "FundForecast"
    assert portfolio.status_code == 200
    assert portfolio.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    "path",
    [
        "/fund?on=2026-1-5",
        "/fund?on=31/12/2026",
        "/fund",
        "/advances/P1?on=2026-02-30",
        "/reports/activity",
        "/reports/forecast/2026?default_rate=0.1.2",
        "/reports/forecast/2026?years=zero",
    ],
)
def test_loose_query_parameters_are_answered_400(server: Server, path: str) -> None:
    with server.client(OPERATOR) as client:
        answer = client.get(path)
    assert answer.status_code == 400, answer.text
    assert answer.json()["error"]["code"] == "malformed"


@pytest.mark.parametrize(
    "path", ["/projects/P9", "/sessions/S9", "/people/X9", f"/advances/P4?on={TODAY}", "/reports/x"]
)
def test_what_the_register_does_not_hold_is_answered_404(server: Server, path: str) -> None:
    with server.client(OPERATOR) as client:
        answer = client.get(path)
    assert answer.status_code == 404, answer.text
    assert answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", [*DOCUMENTS, "/rules", f"/reports/activity?on={END}"])
def test_every_read_needs_a_token(server: Server, path: str) -> None:
    with server.client() as client:
        assert client.get(path).status_code == 401
