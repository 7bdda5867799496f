"""
``alize report``: the yearly reports of a stored register, in French.

``alize report activity|call-for-funds|network-contribution|consolidation|forecast
--year 2026 [--format text|json|html|csv] [--db PATH] [--output FILE]`` and ``alize report
portfolio --on 2026-12-31`` read the register's journal from its SQLite store
(``./alize.db`` by default) and write the report to standard output or to ``--output``:

- ``activity``: the approval committee's activity report (GOV-09, PIL-03), compared with
  the steering committee's orientations given as options (PIL-02);
- ``call-for-funds``: the call for the year's contributions, the previous year's report
  annexed (PIL-04);
- ``network-contribution``: what the territory owes the network head, from the
  convention's formula given as options (NAT-02);
- ``consolidation``: the results of one or more territories, one ``--db`` each (NAT-03);
- ``forecast``: the fund's projected position from the year's end (FUND-02);
- ``fund``: the fund at the end of ``--on`` (FUND-01…05), the document of
  :func:`~alize_core.reporting.documents.fund_document` (``--format text|json``);
- ``portfolio``: every advance on ``--on``, its status, outstanding and arrears, and the
  totals (SCH-06); they are the register's portfolio's figures, and the total arrears
  those the activity report on that date spreads over its buckets.

``activity`` and ``call-for-funds`` take ``--on`` (the date the figures stand at), and
``--year`` defaults to its year.

``--format csv`` writes what French Excel opens: ``;`` separators, decimal commas,
UTF-8 with a byte order mark. ``--format json`` writes the report as an alize JSON
document (``{"alize": 1, "type": ..., "data": ...}``).

Exit status: 0 written; 1 bad input (no register, a year or date not valid, options that
do not fit the report).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Protocol

from alize_adapters.cli.commands._db import add_db_option, db_value, iso_date, register_events
from alize_adapters.cli.commands.show import fund_text, print_document
from alize_adapters.storage.sqlite import DEFAULT_DB
from alize_core import InvalidValue, MissingValue
from alize_core.journal.chain import Event
from alize_core.kernel.money import to_money, to_rate
from alize_core.kernel.serialization import dumps
from alize_core.rendering.reports import Report, to_csv, to_html, to_text
from alize_core.reporting.activity import activity_report, call_for_funds
from alize_core.reporting.documents import fund_document
from alize_core.reporting.forecast import fund_forecast
from alize_core.reporting.history import History, registers_at
from alize_core.reporting.network import (
    NetworkContributionTerms,
    consolidate,
    network_contribution,
)
from alize_core.reporting.portfolio import portfolio_report
from alize_core.reporting.records import Orientations


__all__ = ["register", "run", "run_fund"]

FORMATS: Final = ("text", "json", "html", "csv")


def _year(text: str) -> int:
    if not text.isdigit() or not 1990 <= int(text) <= 2999:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year such as 2026")
    return int(text)


def _common(
    parser: argparse.ArgumentParser,
    *,
    several_dbs: bool = False,
    year: bool | None = True,
) -> None:
    """
    The options every report takes. ``year``: whether ``--year`` is required (``False``:
    it defaults to ``--on``'s year; ``None``: no ``--year``). Reports read the settings
    the register knows (``alize settings adopt``), never a file of their own.
    """
    if year is not None:
        hint = "" if year else " (default: the year of --on)"
        parser.add_argument("--year", type=_year, required=year, help=f"the year, e.g. 2026{hint}")
    parser.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    if several_dbs:
        parser.add_argument(
            "--db",
            type=db_value,
            action="append",
            metavar="PATH|URL",
            help="a territory's register, a SQLite file or a PostgreSQL URL (repeat for each"
            " territory; default: ./alize.db)",
        )
    else:
        add_db_option(parser)
    parser.add_argument(
        "--output", type=Path, metavar="FILE", help="write the report there instead of stdout"
    )


def _kind(
    kinds: Any,
    name: str,
    build: Callable[[argparse.Namespace], Report],
    *,
    summary: str,
    description: str,
    several_dbs: bool = False,
    on: str | None = None,
) -> argparse.ArgumentParser:
    """
    Add a kind of report; ``on`` (the help of ``--on``) makes it a report compared with the
    steering committee's orientations and dated by ``--on``.
    """
    parser: argparse.ArgumentParser = kinds.add_parser(name, help=summary, description=description)
    _common(parser, several_dbs=several_dbs, year=on is None)
    if on is not None:
        _orientation_options(parser)
        parser.add_argument("--on", type=iso_date, help=on)
    parser.set_defaults(handler=run, build=build)
    return parser


def register(subparsers: Any) -> None:
    """Add the ``report`` command and its kinds of report."""
    parser = subparsers.add_parser(
        "report",
        help="the yearly reports: activity, call for funds, network contribution, consolidation",
        description="Write a report of a stored register in French: as text, JSON, a"
        " self-contained HTML page with charts, or CSV for French Excel.",
    )
    kinds = parser.add_subparsers(title="reports", metavar="REPORT", required=True)
    _kind(
        kinds,
        "activity",
        _activity,
        summary="the approval committee's activity report (GOV-09, PIL-03)",
        description="The year's activity report, compared with the steering committee's"
        " orientations (PIL-02) when given.",
        on="the date the figures stand at",
    )
    _kind(
        kinds,
        "call-for-funds",
        _call,
        summary="the call for the year's contributions, last year's report annexed (PIL-04)",
        description="Call each partner of the convention in force for its yearly commitment,"
        " less what it paid in the year up to the call; the previous year's activity report"
        " is annexed.",
        on="the date of the call (default: 1 January)",
    )
    network = _kind(
        kinds,
        "network-contribution",
        _network,
        summary="what the territory owes the network head (NAT-02)",
        description="The contribution to the network head from the triennial convention's"
        " formula: a fixed sum, an amount per project adopted, a share of the advances"
        " committed.",
    )
    network.add_argument("--convention", default="", help="the convention setting the formula")
    network.add_argument("--fixed", default="0", help="fixed sum a year, in euros")
    network.add_argument("--per-project", default="0", help="amount per project adopted")
    network.add_argument(
        "--share", default="0", help="share of the advances committed (0.005 is 0.5 %%)"
    )
    _kind(
        kinds,
        "consolidation",
        _consolidation,
        summary="the territories' results added up (NAT-03)",
        description="Projects, jobs, budget committed and the value of skills, for each"
        " territory (one --db each) and in all.",
        several_dbs=True,
    )
    forecast = _kind(
        kinds,
        "forecast",
        _forecast,
        summary="the fund's projected position in the coming years (FUND-02)",
        description="The fund from the year's end, with the schedules in force, the"
        " contributions still expected and an assumed default rate.",
    )
    forecast.add_argument(
        "--default-rate", default="0.05", help="share of instalments assumed lost (default 0.05)"
    )
    forecast.add_argument("--years", type=int, default=3, help="years to forecast (default 3)")
    portfolio = kinds.add_parser(
        "portfolio",
        help="every advance, its status, outstanding and arrears on a date (SCH-06)",
        description="Every advance of the fund on a date: its project, where it stands, what"
        " it still owes and what is due and unpaid (an advance in default owes its whole"
        " outstanding), and the totals.",
    )
    _common(portfolio, year=None)
    portfolio.add_argument("--on", type=iso_date, required=True, help="the date, YYYY-MM-DD")
    portfolio.set_defaults(handler=run, build=_portfolio)
    fund = kinds.add_parser(
        "fund",
        help="the fund on a date: its position, FUND-05 checks, partners' accounts, arrears",
        description="The advance fund at the end of --on: contributions, commitments,"
        " disbursements, repayments, losses, fees, cash, outstanding and what it can still"
        " commit; whether it balances (FUND-05); each partner's account; the total arrears.",
    )
    fund.add_argument("--on", type=iso_date, required=True, help="the date, YYYY-MM-DD")
    fund.add_argument("--format", choices=("text", "json"), default="text", help="default: text")
    add_db_option(fund)
    fund.set_defaults(handler=run_fund)


def _orientation_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the steering committee's orientations (PIL-02)")
    group.add_argument("--ceiling", help="the year's ceiling of commitments, in euros")
    group.add_argument("--projects-target", type=int, help="projects to adopt in the year")
    group.add_argument("--jobs-target", type=int, help="jobs to create in the year")


def _orientations(args: argparse.Namespace, year: int) -> Orientations | None:
    if args.ceiling is None and args.projects_target is None and args.jobs_target is None:
        return None
    ceiling = None
    if args.ceiling is not None:
        ceiling = to_money(args.ceiling, field="--ceiling", non_negative=True, cents=True)
    return Orientations(
        year,
        commitments_ceiling=ceiling,
        projects_target=args.projects_target,
        jobs_target=args.jobs_target,
    )


class _YearReport(Protocol):
    """A yearly report that compares the year with the steering committee's orientations."""

    def __call__(
        self,
        events: Sequence[Event],
        year: int,
        *,
        on: date | None,
        orientations: Orientations | None,
    ) -> Report: ...


def _against_orientations(
    report: _YearReport, args: argparse.Namespace, orientations_year: int
) -> Report:
    """A report of ``args.year`` dated ``--on``, compared with a year's orientations."""
    return report(
        register_events(args.db),
        _year_of(args),
        on=args.on,
        orientations=_orientations(args, orientations_year),
    )


def _year_of(args: argparse.Namespace) -> int:
    """``--year``, else the year of ``--on``."""
    if args.year is not None:
        return int(args.year)
    if args.on is None:
        raise MissingValue("--year", None)  # nor --on, whose year it would be
    return int(args.on.year)


def _activity(args: argparse.Namespace) -> Report:
    return _against_orientations(activity_report, args, _year_of(args))


def _call(args: argparse.Namespace) -> Report:
    return _against_orientations(call_for_funds, args, _year_of(args) - 1)


def _portfolio(args: argparse.Namespace) -> Report:
    return portfolio_report(register_events(args.db), args.on)


def _network(args: argparse.Namespace) -> Report:
    history = History(register_events(args.db))
    report = activity_report(history, args.year)
    convention = args.convention or _convention_of(report.steps) or "convention"
    terms = NetworkContributionTerms(
        convention,
        fixed=to_money(args.fixed, field="--fixed", non_negative=True, cents=True),
        per_project=to_money(
            args.per_project, field="--per-project", non_negative=True, cents=True
        ),
        share_of_commitments=to_rate(args.share, field="--share"),
    )
    (register,) = history.registers_at([report.on])
    return network_contribution(report, terms, settings=register.settings)


def _convention_of(steps: Sequence[object]) -> str | None:
    for step in steps:
        params = getattr(step, "params", {})
        if getattr(step, "code", "") == "convention.in_force":
            value = params.get("convention")
            return value if isinstance(value, str) else None
    return None


def _consolidation(args: argparse.Namespace) -> Report:
    registers: list[Path | str] = args.db or [DEFAULT_DB]
    reports = [activity_report(register_events(db), args.year) for db in registers]
    return consolidate(reports)


def _forecast(args: argparse.Namespace) -> Report:
    rate: Decimal = to_rate(args.default_rate, field="--default-rate")
    return fund_forecast(
        register_events(args.db),
        on=date(args.year, 12, 31),
        default_rate=rate,
        years=args.years,
    )


_WRITERS: Final[dict[str, Callable[[Report], str]]] = {
    "text": to_text,
    "html": to_html,
    "csv": to_csv,
    "json": lambda report: dumps(report) + "\n",
}


def run_fund(args: argparse.Namespace) -> int:
    """Print the fund's document on ``--on``, from the register as it stood that day."""
    (register,) = registers_at(register_events(args.db), [args.on])
    print_document(fund_document(register, args.on), args.format, fund_text)
    return 0


def run(args: argparse.Namespace) -> int:
    """Build the report and write it in the format asked for."""
    build: Callable[[argparse.Namespace], Report] = args.build
    report = build(args)
    text = _WRITERS[args.format](report)
    encoding = "utf-8-sig" if args.format == "csv" else "utf-8"
    data = text.encode(encoding)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        if args.output.is_dir():
            raise InvalidValue("--output", str(args.output), "is a folder, not a file")
        args.output.write_bytes(data)
        print(f"alize report: {args.output} written ({len(data)} bytes)", file=sys.stderr)
    return 0
