"""
The reads of the HTTP API (*consultation*): the register's query documents
(:mod:`alize_core.reporting.documents`), the yearly reports and the rulebook, each as the
Python API gives it — the API computes no figure, it only translates.

- ``GET /territory``, ``GET /projects``, ``GET /projects/{id}``, ``GET /sessions/{id}``,
  ``GET /people/{id}``: the register as it stands;
- ``GET /advances/{project}?on=``, ``GET /fund?on=``, ``GET /portfolio?on=``: at the end of a
  date (for a date before the register's last event, the register as it stood then);
- ``GET /reports/{activity|call-for-funds|forecast|portfolio}``: the reports of
  ``alize report``, in JSON (the alize document), HTML, CSV (French Excel) or text, by the
  request's ``Accept`` header (406 for a format none of them is);
- ``GET /rules``: what ``alize rules --format json`` prints.

Query parameters are read strictly: a date is ``YYYY-MM-DD`` (``2026-1-5`` is answered 400).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Final

from litestar import Request, Response, get
from litestar.concurrency import sync_to_thread
from litestar.handlers import HTTPRouteHandler
from litestar.params import Parameter

from alize_adapters.serve.desk import Desk
from alize_adapters.serve.errors import ApiError, json_response
from alize_adapters.serve.openapi import Answer
from alize_core.journal.chain import Event
from alize_core.kernel.errors import AlizeError, UnknownRecord
from alize_core.kernel.money import to_rate
from alize_core.kernel.rulebook import rulebook_document
from alize_core.kernel.serialization import dumps
from alize_core.register.views import Register
from alize_core.rendering.reports import Report, to_csv, to_html, to_text
from alize_core.reporting.activity import activity_report, call_for_funds
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
from alize_core.reporting.forecast import fund_forecast
from alize_core.reporting.history import registers_at
from alize_core.reporting.portfolio import portfolio_report


__all__ = ["READS", "READ_ANSWERS", "REPORTS", "REPORT_FORMATS"]

_JSON: Final = "application/json"

REPORT_FORMATS: Final[dict[str, Callable[[Report], str]]] = {
    _JSON: lambda report: dumps(report) + "\n",
    "text/html": to_html,
    "text/csv": to_csv,
    "text/plain": to_text,
}
"""The formats a report is given in, by media type (the first is the default)."""

On = Annotated[date, Parameter(description="The date, YYYY-MM-DD: the figures at the end of it.")]
"""A required date parameter."""


def _desk(request: Request[Any, Any, Any]) -> Desk:
    desk: Desk = request.app.state.desk
    return desk


def _accept_json(request: Request[Any, Any, Any]) -> None:
    if request.accept.best_match([_JSON]) is None:
        raise ApiError(406, f"accept: this resource is given as {_JSON} only")


async def _document(
    request: Request[Any, Any, Any], build: Callable[[Register], Document]
) -> Response[bytes]:
    """A query document of the register as it stands."""
    _accept_json(request)
    register = await _desk(request).register()
    return json_response(await _answer(lambda: build(register)))


async def _dated(
    request: Request[Any, Any, Any], on: date, build: Callable[[Register], Document]
) -> Response[bytes]:
    """A query document at the end of a date: of the register as it stood then."""
    _accept_json(request)
    desk = _desk(request)
    register = await desk.register()
    if register.as_of is not None and on < register.as_of:
        events = await desk.events()
        return json_response(await _answer(lambda: build(registers_at(events, [on])[0])))
    return json_response(await _answer(lambda: build(register)))


async def _answer(work: Callable[[], Any]) -> Any:
    """Run a read in a worker thread; a record the register lacks is a 404."""
    try:
        return await sync_to_thread(work)
    except UnknownRecord as error:
        raise ApiError.of(error, 404) from None


@get("/territory", operation_id="getTerritory", tags=["register"])
async def territory(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The territory, its partners and conventions, and an index of the register."""
    return await _document(request, territory_document)


@get("/projects", operation_id="listProjects", tags=["register"])
async def projects(request: Request[Any, Any, Any]) -> Response[bytes]:
    """The projects, each with its SME, title and status (the territory's index)."""
    return await _document(request, lambda r: {"projects": territory_document(r)["projects"]})


@get("/projects/{project_id:str}", operation_id="getProject", tags=["register"])
async def project(request: Request[Any, Any, Any]) -> Response[bytes]:
    """A project: its file, its SME, the decision, its agreement, advance and missions."""
    project_id: str = request.path_params["project_id"]
    return await _document(request, lambda r: project_document(r, project_id))


@get("/sessions/{session_id:str}", operation_id="getSession", tags=["register"])
async def session(request: Request[Any, Any, Any]) -> Response[bytes]:
    """A committee session, its votes, and its decision with its steps and explanation."""
    session_id: str = request.path_params["session_id"]
    return await _document(request, lambda r: session_document(r, session_id))


@get("/people/{person_id:str}", operation_id="getPerson", tags=["register"])
async def person(request: Request[Any, Any, Any]) -> Response[bytes]:
    """A person's part: role, sessions, votes, missions, time logged (no personal data)."""
    person_id: str = request.path_params["person_id"]
    return await _document(request, lambda r: person_document(r, person_id))


@get("/advances/{project_id:str}", operation_id="getAdvance", tags=["register"])
async def advance(request: Request[Any, Any, Any], on: On) -> Response[bytes]:
    """A project's advance: its terms, payments, schedule, and its position and arrears."""
    project_id: str = request.path_params["project_id"]
    return await _dated(request, on, lambda r: advance_document(r, project_id, on))


@get("/fund", operation_id="getFund", tags=["register"])
async def fund(request: Request[Any, Any, Any], on: On) -> Response[bytes]:
    """The advance fund at the end of a date, its FUND-05 checks and partners' accounts."""
    return await _dated(request, on, lambda r: fund_document(r, on))


@get("/portfolio", operation_id="getPortfolio", tags=["register"])
async def portfolio(request: Request[Any, Any, Any], on: On) -> Response[bytes]:
    """Every advance at the end of a date: status, outstanding, arrears, and the totals."""
    return await _dated(request, on, lambda r: portfolio_document(r, on))


@get("/rules", operation_id="listRules", tags=["rules"])
async def rules(request: Request[Any, Any, Any]) -> Response[bytes]:
    """Every rule with its kind, citation and the settings a territory may change."""
    _accept_json(request)
    return json_response(rulebook_document())


def _year(year: int | None, on: date | None) -> int:
    if year is not None:
        return year
    if on is None:
        raise ApiError(400, "year: give the year, or the date `on` whose year it is", field="year")
    return on.year


def _activity(events: Sequence[Event], year: int | None, on: date | None) -> Report:
    return activity_report(events, _year(year, on), on=on)


def _call(events: Sequence[Event], year: int | None, on: date | None) -> Report:
    return call_for_funds(events, _year(year, on), on=on)


def _portfolio(events: Sequence[Event], _year_given: int | None, on: date | None) -> Report:
    if on is None:
        raise ApiError(400, "on: the portfolio is given at a date: give `on`", field="on")
    return portfolio_report(events, on)


REPORTS: Final[dict[str, Callable[[Sequence[Event], int | None, date | None], Report]]] = {
    "activity": _activity,
    "call-for-funds": _call,
    "portfolio": _portfolio,
}
"""The reports by name (as ``alize report`` names them), besides the forecast."""


async def _report(
    request: Request[Any, Any, Any], build: Callable[[Sequence[Event]], Report]
) -> Response[bytes]:
    media = request.accept.best_match(list(REPORT_FORMATS))
    if media is None:
        offered = ", ".join(REPORT_FORMATS)
        raise ApiError(406, f"accept: a report is given as {offered}")
    events = await _desk(request).events()
    try:
        text = await sync_to_thread(lambda: REPORT_FORMATS[media](build(events)))
    except AlizeError as error:
        raise ApiError.of(error, 400) from None
    charset = "utf-8-sig" if media == "text/csv" else "utf-8"
    return Response(text.encode(charset), media_type=f"{media}; charset=utf-8", status_code=200)


@get("/reports/{kind:str}", operation_id="getReport", tags=["reports"])
async def report(
    request: Request[Any, Any, Any],
    year: Annotated[
        int | None, Parameter(description="The year (default: that of `on`).", ge=1990, le=2999)
    ] = None,
    on: Annotated[date | None, Parameter(description="The date the figures stand at.")] = None,
) -> Response[bytes]:
    """
    A report as ``alize report`` writes it (``activity``, ``call-for-funds``, ``portfolio``),
    in the format ``Accept`` asks for.
    """
    kind: str = request.path_params["kind"]
    build = REPORTS.get(kind)
    if build is None:
        raise ApiError(404, f"kind: {kind!r} is not a report (activity, call-for-funds, portfolio)")
    return await _report(request, lambda events: build(events, year, on))


@get("/reports/forecast/{year:int}", operation_id="getForecast", tags=["reports"])
async def forecast(
    request: Request[Any, Any, Any],
    default_rate: Annotated[
        str, Parameter(description="The share of instalments assumed lost, e.g. 0.05.")
    ] = "0.05",
    years: Annotated[int, Parameter(ge=1, le=30, description="The years to forecast.")] = 3,
) -> Response[bytes]:
    """The fund's forecast from a year's end, in the format ``Accept`` asks for (FUND-02)."""
    year: int = request.path_params["year"]
    if not 1990 <= year <= 2999:
        raise ApiError(400, f"year: {year} is not a year such as 2026", field="year")
    try:
        rate: Decimal = to_rate(default_rate, field="default_rate")
    except AlizeError as error:
        raise ApiError.of(error, 400) from None
    return await _report(
        request,
        lambda events: fund_forecast(events, on=date(year, 12, 31), default_rate=rate, years=years),
    )


READS: Final[tuple[HTTPRouteHandler, ...]] = (
    territory,
    projects,
    project,
    session,
    person,
    advance,
    fund,
    portfolio,
    rules,
    report,
    forecast,
)
"""The read endpoints."""


def _object(description: str, keys: str) -> dict[str, dict[str, Any]]:
    """A document's schema: the keys it always has (more may come in later versions)."""
    names = keys.split()
    schema: dict[str, Any] = {
        "type": "object",
        "description": description,
        "properties": {name: {} for name in names},
        "required": names,
    }
    return {_JSON: schema}


_REPORT_CONTENT: Final[dict[str, dict[str, Any]]] = {
    _JSON: {
        "type": "object",
        "description": "The report as an alize JSON document.",
        "properties": {"alize": {"type": "integer"}, "type": {"type": "string"}, "data": {}},
        "required": ["alize", "type", "data"],
    },
    "text/html": {"type": "string", "description": "A self-contained HTML page."},
    "text/csv": {"type": "string", "description": "CSV for French Excel (;, decimal commas)."},
    "text/plain": {"type": "string", "description": "The report as text."},
}

_RULE: Final = _object("A rule.", "id kind title citation settings")[_JSON]

READ_ANSWERS: Final[dict[str, Answer]] = {
    "getTerritory": Answer(
        200,
        _object(
            "The territory document (territory_document).",
            "territory operator prefecture national_committee state_chair status proposed_on"
            " validated_on as_of events partners conventions people projects sessions advances",
        ),
        (404, 406),
    ),
    "listProjects": Answer(200, _object("The projects.", "projects"), (404, 406)),
    "getProject": Answer(
        200,
        _object(
            "The project document (project_document).",
            "project sme status identified_on validated_on session decided_on outcome means"
            " agreement advance missions closed_on",
        ),
        (404, 406),
    ),
    "getSession": Answer(
        200,
        _object(
            "The session document (session_document), its decision explained.",
            "id on agenda attendees president presenters votes opened closed valid decision",
        ),
        (404, 406),
    ),
    "getPerson": Answer(
        200,
        _object(
            "The person document (person_document).",
            "id role organisation in_activity category enrolled_on sessions_attended"
            " sessions_presided presented votes missions time_logged",
        ),
        (404, 406),
    ),
    "getAdvance": Answer(
        200,
        _object(
            "The advance document (advance_document).",
            "project sme session status granted committed disbursed repaid written_off"
            " recovered outstanding committed_on disbursed_on defaulted_on written_off_on"
            " terms reschedulings payments recoveries schedule position",
        ),
        (400, 404, 406),
    ),
    "getFund": Answer(
        200,
        _object(
            "The fund document (fund_document).",
            "territory on position available balances steps accounts advances arrears",
        ),
        (400, 404, 406),
    ),
    "getPortfolio": Answer(
        200,
        _object(
            "The portfolio document (portfolio_document).",
            "territory territory_name on lines outstanding arrears late",
        ),
        (400, 404, 406),
    ),
    "listRules": Answer(200, {_JSON: {"type": "array", "items": _RULE}}, (406,), "The rulebook."),
    "getReport": Answer(200, _REPORT_CONTENT, (400, 404, 406), "The report."),
    "getForecast": Answer(200, _REPORT_CONTENT, (400, 404, 406), "The forecast."),
}
"""The answers of the read endpoints, for the OpenAPI document."""
