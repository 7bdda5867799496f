"""
``alize schedule``: the repayment schedule (*échéancier*) of an advance or a loan.

Every amount is exact to the cent (SCH-01), instalment ``k`` falls due
``deferral + k`` periods after the start, clipped to the month's end (SCH-04),
and the schedule explains itself, citing its rules. The rounding, day count and
deferral interest not given on the command line are the national defaults, and
the explanation says so.

``--format text`` (the default) prints the table and the explanation;
``--format json`` prints ``principal``, ``rate``, ``instalments`` (one object
per row, amounts as text with two decimals) and ``totals``; ``--format csv``
writes what French Excel opens (``;`` separator, decimal comma, UTF-8 with a
byte-order mark). Bad input prints one line naming the field and exits with
status 1.

Exit status: 0 printed or written; 1 terms that are missing or not valid.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any, Final

from alize_adapters.connectors.spreadsheets import atomic_output, export_schedule
from alize_core import InvalidValue, Settings
from alize_core.kernel.decisions import french
from alize_core.kernel.jsontext import dump_json
from alize_core.lending.schedules import Schedule, build_schedule
from alize_core.lending.terms import DayCount, DeferralInterest, Frequency, LoanTerms, Method


__all__ = ["read_terms", "register", "render_text", "run"]

TERRITORY: Final = "NATIONAL"
"""The territory whose settings the command reads: none of its own, so the national defaults."""


def register(subparsers: Any) -> None:
    """Add the ``schedule`` command."""
    parser = subparsers.add_parser(
        "schedule",
        help="print the repayment schedule of an advance or a subsidised loan",
        description="Print the repayment schedule of an advance (interest-free) or a"
        " subsidised loan (with --rate), exact to the cent, with its explanation.",
    )
    parser.add_argument("--principal", help="the amount lent, e.g. 30000 or 30000.00")
    parser.add_argument("--start", help="the disbursement date, YYYY-MM-DD")
    parser.add_argument("--instalments", help="the number of repayment instalments")
    parser.add_argument(
        "--frequency", choices=[f.value for f in Frequency], default=Frequency.MONTHLY.value
    )
    parser.add_argument("--deferral", default="0", help="periods before the first instalment")
    parser.add_argument("--rate", default="0", help="the yearly rate as a fraction, e.g. 0.02")
    parser.add_argument("--method", choices=[m.value for m in Method], default=Method.ANNUITY.value)
    parser.add_argument(
        "--deferral-interest",
        choices=[d.value for d in DeferralInterest],
        help="interest during a deferral (default: the national setting, paid)",
    )
    parser.add_argument(
        "--day-count",
        choices=[d.value for d in DayCount],
        help="how interest is counted (default: the national setting, 30/360)",
    )
    parser.add_argument("--format", choices=("text", "json", "csv"), default="text")
    parser.add_argument(
        "--output", type=Path, help="write to this file instead of the standard output"
    )
    parser.set_defaults(handler=run)


def _whole(text: str | None, field: str) -> int | None:
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        raise InvalidValue(field, text, "must be a whole number") from None


def read_terms(args: argparse.Namespace) -> LoanTerms:
    """
    The loan terms the command line gives, national settings for what it leaves out.

    Raises:
        AlizeError: A value is missing or not valid; the message names it.

    .. versionadded:: 0.1.0
    """
    start: object = args.start
    if isinstance(args.start, str):
        try:
            start = date.fromisoformat(args.start)
        except ValueError:
            raise InvalidValue("start", args.start, "is not a date (YYYY-MM-DD)") from None
    on = start if isinstance(start, date) else date(2000, 1, 1)
    return LoanTerms.from_settings(
        Settings.national(),
        territory=TERRITORY,
        on=on,
        principal=args.principal,
        start=start,
        instalments=_whole(args.instalments, "instalments"),
        frequency=args.frequency,
        deferral=_whole(args.deferral, "deferral"),
        rate=args.rate,
        method=args.method,
        day_count=args.day_count,
        deferral_interest=args.deferral_interest,
    )


def _cell(amount: Any) -> str:
    return french(amount).replace("\xa0", " ")


def render_text(schedule: Schedule) -> str:
    """
    The schedule as a table, its totals and its explanation, in French.

    .. versionadded:: 0.1.0
    """
    header = f"{'N°':>4}  {'Échéance':<10}  {'Versement':>12}  {'Capital':>12}  {'Intérêts':>10}"
    header += f"  {'Restant dû':>12}"
    lines = [header]
    for row in schedule.rows:
        mark = " différé" if row.deferral else ""
        lines.append(
            f"{row.number:>4}  {french(row.due_date):<10}  {_cell(row.payment):>12}"
            f"  {_cell(row.principal):>12}  {_cell(row.interest):>10}  {_cell(row.balance):>12}"
            f"{mark}"
        )
    totals = schedule.totals
    lines.append(
        f"{'Total':<16}  {_cell(totals.payment):>12}  {_cell(totals.principal):>12}"
        f"  {_cell(totals.interest):>10}"
    )
    return schedule.explain() + "\n\n" + "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    """Print (or write) the schedule."""
    schedule = build_schedule(read_terms(args))
    output: Path | None = args.output
    if args.format == "csv":
        if output is None:
            sys.stdout.flush()
            export_schedule(schedule, sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            with atomic_output(output) as stream:
                export_schedule(schedule, stream)
        return 0
    if args.format == "json":
        text = dump_json(schedule.to_dict(), ascii=False, indent=2)
    else:
        text = render_text(schedule)
    if output is None:
        print(text)
    else:
        with atomic_output(output) as stream:
            stream.write((text + "\n").encode("utf-8"))
    return 0
