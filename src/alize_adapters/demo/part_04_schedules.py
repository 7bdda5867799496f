"""
Demo part: the schedules and servicing of the advances the register paid out, with
previews of what the register does not hold (a rescheduling, an early repayment) and an
example of exactness.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alize_adapters.connectors.spreadsheets import atomic_output, export_schedule
from alize_adapters.demo import DemoContext, sample
from alize_adapters.storage.sqlite import read_events
from alize_core import commands as j
from alize_core import format_eur
from alize_core.kernel.jsontext import dump_json
from alize_core.lending.schedules import Schedule, build_schedule
from alize_core.lending.terms import Frequency, LoanTerms
from alize_core.register.records import AdvanceStatus
from alize_core.register.views import Register
from alize_core.reporting.portfolio import PortfolioReport, portfolio_report


TITLE = "Schedules and servicing of the register's advances: exact to the cent, explained"

YEAR = sample.PROGRAMME_YEAR
OPERATOR = "OP1"


def _summary(project: str, schedule: Schedule) -> str:
    rows = schedule.rows
    return (
        f"{project}: {format_eur(schedule.totals.principal)} paid out, {len(rows)} instalments"
        f" from {rows[0].due_date:%d/%m/%Y} to {rows[-1].due_date:%d/%m/%Y}, instalment"
        f" {format_eur(schedule.regular_payment)}, last {format_eur(rows[-1].payment)}, interest"
        f" {format_eur(schedule.totals.interest)}"
    )


def _portfolio(context: DemoContext, register: Register, on: date) -> PortfolioReport:
    """The portfolio on a date, as ``alize report portfolio --on`` gives it (SCH-06)."""
    portfolio = portfolio_report(read_events(context.db), on)
    context.say(
        f"Portfolio on {on:%d/%m/%Y}: {len(portfolio.lines)} advance(s),"
        f" {format_eur(portfolio.outstanding)} outstanding, {format_eur(portfolio.arrears)} in arrears."
    )
    for line in portfolio.lines:
        advance = register.advance(line.project)
        text = (
            f"  {line.project}: {AdvanceStatus(line.status).french}, {format_eur(line.outstanding)} outstanding,"
            f" {format_eur(line.arrears)} in arrears, {line.days_past_due} days past due"
        )
        if advance.defaulted_on is not None and advance.defaulted_on <= on:
            text += f" (declared in default on {advance.defaulted_on:%d/%m/%Y})"
        context.say(text + ".")
    context.say(f"  $ {context.command('report', 'portfolio', '--on', on.isoformat())}")
    return portfolio


def _servicing(context: DemoContext, register: Register) -> None:
    """Where the advances stand on the day of P2's default and at the year's end."""
    defaulted = register.advance("P2").defaulted_on
    if defaulted is not None:
        _portfolio(context, register, defaulted)
    _portfolio(context, register, date(YEAR, 12, 31))
    advance = register.advance("P2")
    context.say(
        f"P2 written off: {format_eur(advance.written_off)}, {format_eur(advance.recovered)} recovered"
        " since (FUND-02)."
    )


def _previews(context: DemoContext, register: Register) -> None:
    """What-ifs on P1, computed in memory: the register, and the later parts, do not see them."""
    on = date(YEAR + 1, 2, 15)
    result = j.reschedule_advance(
        register,
        "P1",
        instalments=12,
        frequency=Frequency.QUARTERLY,
        deferral=1,
        on=on,
        actor=OPERATOR,
    )
    if not result.accepted:
        raise AssertionError(result.decision.explain())
    rescheduled = register.apply(result.events)
    change = rescheduled.advance("P1").reschedulings[-1]
    schedule = j.loan_account(rescheduled, "P1").schedule
    context.say(
        f"Preview, not recorded: if P1 were rescheduled on {on:%d/%m/%Y} (SCH-05),"
        f" {format_eur(change.outstanding)} outstanding would fall due in {change.instalments}"
        f" quarterly instalments of {format_eur(schedule.regular_payment)} from"
        f" {schedule.first_due:%d/%m/%Y}."
    )
    account = j.loan_account(register, "P1")
    for mode in ("reduce_term", "reduce_instalment"):
        serviced = account.repay_early(Decimal("5000.00"), on=on, mode=mode)
        if not serviced.accepted:
            raise AssertionError(serviced.decision.explain())
        after = serviced.account.schedule
        context.say(
            f"Preview, not recorded: if P1 repaid 5 000 € early on {on:%d/%m/%Y} ({mode}):"
            f" {len(after.rows)} instalments of {format_eur(after.regular_payment)} to"
            f" {after.last_due:%d/%m/%Y} (SCH-05)."
        )


def run(context: DemoContext) -> None:
    """The schedules of the register's advances, their servicing, previews and an example."""
    register = context.register()
    for project in register.advances:
        context.say(_summary(project, j.loan_account(register, project).schedule))
    schedule = j.loan_account(register, "P1").schedule
    rules = ", ".join(dict.fromkeys(s.rule for s in schedule.steps))
    context.say(
        f"  P1: {len(schedule.steps)} explained steps, rules {rules}; Σ principal ="
        f" {format_eur(schedule.totals.principal)} exactly, last balance"
        f" {format_eur(schedule.rows[-1].balance)}."
    )
    csv_path = context.workdir / "echeancier-P1.csv"
    with atomic_output(csv_path) as stream:
        export_schedule(schedule, stream)
    json_path = context.workdir / "echeancier-P1.json"
    json_path.write_text(dump_json(schedule.to_dict(), ascii=False, indent=2), "utf-8")
    context.say(f"  written {csv_path.name} (French Excel) and {json_path.name}.")
    _servicing(context, register)
    _previews(context, register)
    start = date(YEAR, 3, 31)
    tiny = build_schedule(LoanTerms(principal="1.00", start=start, instalments=60))
    context.say(
        f"Example, not the territory's: 1,00 € over 60 months is 59 ×"
        f" {format_eur(tiny.rows[0].payment)} and {format_eur(tiny.rows[-1].payment)} (never"
        " over-collected; a float library gives a negative last instalment)."
    )
