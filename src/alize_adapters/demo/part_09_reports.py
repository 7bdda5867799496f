"""
Demo part, the last one: the year's activity report and the call for funds, from the
register's store (GOV-09, PIL-03, PIL-04), with the network contribution, the fund's
forecast and the books.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from alize_adapters.demo import DemoContext, sample
from alize_adapters.storage.sqlite import read_events
from alize_core.accounting.books import journal_postings, trial_balance
from alize_core.kernel.decisions import format_step
from alize_core.kernel.money import format_eur
from alize_core.register.replay import register_at
from alize_core.rendering.reports import to_csv, to_html, to_text
from alize_core.reporting.activity import activity_report, call_for_funds
from alize_core.reporting.forecast import fund_forecast
from alize_core.reporting.network import NetworkContributionTerms, network_contribution
from alize_core.reporting.records import Orientations


TITLE = "Reports: the year's activity report and the call for funds"

YEAR = sample.PROGRAMME_YEAR

REPORT_FILE = f"rapport-activite-{YEAR}.html"
"""The HTML activity report the demo writes (the ``report-screenshot`` nox session opens it)."""


def orientations() -> Orientations:
    """What the sample territory's steering committee set for the year (PIL-02)."""
    return Orientations(
        YEAR,
        commitments_ceiling=Decimal("60000.00"),
        projects_target=3,
        jobs_target=10,
        priorities=("Industrie et sous-traitance", "Artisanat et commerce de proximité"),
        set_on=date(YEAR, 1, 15),
    )


def network_terms() -> NetworkContributionTerms:
    """The sample convention's formula for the contribution to the network head (NAT-02)."""
    return NetworkContributionTerms(
        "CT-2026",
        fixed=Decimal("1500.00"),
        per_project=Decimal("200.00"),
        share_of_commitments=Decimal("0.005"),
    )


def run(context: DemoContext) -> None:
    """Report on the year the register part ran through the store."""
    path = context.shared.get("register_path")
    if not isinstance(path, Path):
        context.say("no register was written by an earlier part: nothing to report on.")
        return
    events = read_events(path)
    report = activity_report(events, YEAR, orientations=orientations())
    call = call_for_funds(events, YEAR + 1)
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
    context.say(
        f"Call for funds {call.year} (PIL-04), report {call.annex.year} annexed; convention"
        f" {call.convention}:"
    )
    for line in call.lines:
        context.say(
            f"  {line.partner_name}: {format_eur(line.committed)} committed, {format_eur(line.due)}"
            " due"
        )
    due = network_contribution(report, network_terms(), settings=register_at(events).settings)
    context.say(f"Network contribution {YEAR} (NAT-02): {format_eur(due.total)}.")
    forecast = fund_forecast(events, on=date(YEAR, 12, 31), default_rate=Decimal("0.05"))
    last = forecast.years[-1]
    context.say(
        f"Fund forecast (FUND-02, 5 % assumed lost): cash {format_eur(last.closing_cash)} at"
        f" the end of {last.year}."
    )
    postings = journal_postings(events)
    bank = {b.account.number: b.balance for b in trial_balance(postings)}.get("512")
    context.say(
        f"Books: {len(postings)} balanced postings; bank (512) {format_eur(bank or Decimal(0))}"
        " = the fund's cash (FUND-05)."
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
