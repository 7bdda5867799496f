"""
Demo part: the year's activity report and the call for funds, from the register's store
(GOV-09, PIL-03, PIL-04), with the network contribution, the fund's forecast and the
books. Each report is built by the function ``alize report`` calls, given what the
command's options give it; the command is printed under it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alize_adapters.demo import DemoContext, sample
from alize_adapters.storage.sqlite import read_events
from alize_core.accounting.books import journal_postings, trial_balance
from alize_core.accounting.postings import ChartOfAccounts
from alize_core.journal.chain import Event
from alize_core.kernel.decisions import format_step
from alize_core.kernel.money import format_eur
from alize_core.rendering.reports import to_csv, to_html, to_text
from alize_core.reporting.activity import activity_report, call_for_funds
from alize_core.reporting.forecast import fund_forecast
from alize_core.reporting.history import History
from alize_core.reporting.network import NetworkContributionTerms, network_contribution
from alize_core.reporting.records import ActivityReport, CallForFunds, Orientations


TITLE = "Reports: the year's activity report and the call for funds"

YEAR = sample.PROGRAMME_YEAR

REPORT_FILE = f"rapport-activite-{YEAR}.html"
"""The HTML activity report the demo writes (the ``report-screenshot`` nox session opens it)."""

ORIENTATIONS = Orientations(
    YEAR, commitments_ceiling=Decimal("60000.00"), projects_target=3, jobs_target=10
)
"""What the sample territory's steering committee set for the year (PIL-02)."""

NETWORK_TERMS = NetworkContributionTerms(
    "CT-2026",
    fixed=Decimal("1500.00"),
    per_project=Decimal("200.00"),
    share_of_commitments=Decimal("0.005"),
)
"""The sample convention's formula for the contribution to the network head (NAT-02)."""

DEFAULT_RATE = Decimal("0.05")
"""The share of instalments the fund's forecast assumes lost (FUND-02)."""


def _command(context: DemoContext, kind: str, *options: object) -> str:
    """The ``alize report`` command that gives the same report on the demo's register."""
    return context.command("report", kind, *(str(option) for option in options))


def _activity(context: DemoContext, history: History) -> ActivityReport:
    year_end = date(YEAR, 12, 31)
    report = activity_report(history, YEAR, on=year_end, orientations=ORIENTATIONS)
    f = report.figures
    context.say(
        f"Activity report {YEAR} (GOV-09, PIL-03): {len(report.sessions)} session(s)"
        f" ({report.sessions_valid} valid), {f.projects_examined} project(s) examined,"
        f" {f.projects_adopted} adopted; {f.jobs_created} jobs created, {f.jobs_kept} kept."
    )
    context.say(
        f"  advances committed {format_eur(f.advances_committed)}, paid out"
        f" {format_eur(f.disbursed)}, repaid {format_eur(f.repaid)}; written off"
        f" {format_eur(report.written_off)}, recovered {format_eur(report.recovered)};"
        f" in arrears {format_eur(report.in_arrears)}."
    )
    context.say(
        f"  fund cash {format_eur(report.fund_start.cash)} on 1 January →"
        f" {format_eur(report.fund_end.cash)} on 31 December; skills {f.skills_days} days"
        f" valued {format_eur(f.skills_value)}; budget committed {format_eur(f.budget)}."
    )
    for step in report.steps:
        if step.rule == "PIL-02":
            context.say(format_step(step))
    orientations = (
        *("--on", year_end.isoformat(), "--ceiling", ORIENTATIONS.commitments_ceiling),
        *("--projects-target", ORIENTATIONS.projects_target),
        *("--jobs-target", ORIENTATIONS.jobs_target),
    )
    context.say(f"  $ {_command(context, 'activity', *orientations)}")
    return report


def _call(context: DemoContext, history: History) -> CallForFunds:
    call = call_for_funds(history, YEAR + 1, on=None, orientations=None)
    context.say(
        f"Call for funds {call.year} (PIL-04), report {call.annex.year} annexed; convention"
        f" {call.convention}:"
    )
    for line in call.lines:
        context.say(
            f"  {line.partner_name}: {format_eur(line.committed)} committed, {format_eur(line.due)}"
            " due"
        )
    context.say(f"  $ {_command(context, 'call-for-funds', '--year', call.year)}")
    return call


def _network(context: DemoContext, history: History) -> None:
    year = activity_report(history, YEAR)
    (register,) = history.registers_at([year.on])
    due = network_contribution(year, NETWORK_TERMS, settings=register.settings)
    context.say(f"Network contribution {YEAR} (NAT-02): {format_eur(due.total)}.")
    terms = (
        *("--convention", NETWORK_TERMS.convention, "--fixed", NETWORK_TERMS.fixed),
        *("--per-project", NETWORK_TERMS.per_project),
        *("--share", NETWORK_TERMS.share_of_commitments),
    )
    context.say(f"  $ {_command(context, 'network-contribution', '--year', YEAR, *terms)}")


def _forecast(context: DemoContext, events: list[Event]) -> None:
    forecast = fund_forecast(events, on=date(YEAR, 12, 31), default_rate=DEFAULT_RATE, years=3)
    last = forecast.years[-1]
    context.say(
        f"Fund forecast (FUND-02, {DEFAULT_RATE:.0%} assumed lost): cash"
        f" {format_eur(last.closing_cash)} at the end of {last.year}."
    )
    options = ("--year", YEAR, "--default-rate", DEFAULT_RATE, "--years", len(forecast.years))
    context.say(f"  $ {_command(context, 'forecast', *options)}")


def run(context: DemoContext) -> None:
    """
    Report on the register's year with the functions ``alize report`` calls, given what
    its options give them, and print each command.
    """
    events = read_events(context.db)
    report = _activity(context, History(events))
    call = _call(context, History(events))
    _network(context, History(events))
    _forecast(context, events)
    chart = ChartOfAccounts.french_default()
    postings = journal_postings(events, chart=chart)
    account = chart.account("bank")
    bank = {b.account: b.balance for b in trial_balance(postings)}.get(account)
    context.say(
        f"Books: {len(postings)} balanced postings; bank ({account.number})"
        f" {format_eur(bank or Decimal(0))} = the fund's cash (FUND-05)."
    )
    html_path = context.workdir / REPORT_FILE
    html_path.write_text(to_html(report), encoding="utf-8")
    call_path = context.workdir / f"appel-de-fonds-{call.year}.html"
    call_path.write_text(to_html(call), encoding="utf-8")
    (context.workdir / f"appel-de-fonds-{call.year}.csv").write_bytes(
        to_csv(call).encode("utf-8-sig")
    )
    (context.workdir / f"rapport-activite-{YEAR}.txt").write_text(to_text(report), "utf-8")
    context.say(f"HTML activity report: {html_path.resolve()}")
    context.say(f"Call for funds: {call_path.resolve()} (and .csv for French Excel)")
