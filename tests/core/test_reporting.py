"""Reports: a small territory's year, its activity report, call for funds, network contribution,
national consolidation and fund forecast, checked against figures worked out by hand."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_core import AlizeError, InvalidValue, Outcome
from alize_core.accounting.books import journal_postings, trial_balance
from alize_core.kernel import ROUNDING, Settings, dumps, loads, structure, unstructure
from alize_core.programme.accompaniment import value_time
from alize_core.rendering.reports import Report, to_csv, to_html, to_text
from alize_core.reporting import (
    FundForecast,
    NetworkContributionTerms,
    TerritoryResults,
    consolidate,
    contribution_due,
    forecast_fund,
    fund_forecast,
    network_contribution,
)
from alize_core.reporting.activity import activity_report, call_for_funds
from alize_core.reporting.records import ActivityReport, CallForFunds, KeyFigures, Orientations
from tests.core.reporting_story import SETTINGS, Journal, story_2026


D = Decimal
ORIENTATIONS = Orientations(
    2026,
    commitments_ceiling=D("30000.00"),
    jobs_target=10,
    priorities=("Industrie", "Artisanat du bois"),
    set_on=date(2026, 1, 15),
)


@pytest.fixture(scope="module")
def journal() -> Journal:
    """The territory's journal up to the end of 2026 (see reporting_story)."""
    return story_2026()


@pytest.fixture(scope="module")
def report(journal: Journal) -> ActivityReport:
    """The activity report for 2026, with the steering committee's orientations."""
    return activity_report(journal.events, 2026, orientations=ORIENTATIONS)


def test_the_years_key_figures_are_those_worked_out_by_hand(report: ActivityReport) -> None:
    """
    Examined: P1, P2 (S1) and P3 (S2) = 3; adopted P1 and P3 = 2.
    Jobs of the adopted: created 6 + 2 = 8, kept 36 + 4 = 40.
    Advances committed 24,000 + 8,000 = 32,000 €, all paid out; subsidised loan 5,000 €.
    Repaid: P1 five instalments of 1,000 € + P3 one = 6,000 €.
    Skills: M1 1.5 + 1 days × 700 € = 1,750 €, M2 2 days × 450 € = 900 €: 4.5 days, 2,650 €.
    Budget: 32,000 + 5,000 + 2,650 = 39,650 €.
    """
    assert report.figures == KeyFigures(
        projects_examined=3,
        projects_adopted=2,
        jobs_created=8,
        jobs_kept=40,
        advances_committed=D("32000.00"),
        subsidised_loans=D("5000.00"),
        disbursed=D("32000.00"),
        repaid=D("6000.00"),
        skills_days=D("4.5"),
        skills_value=D("2650.00"),
    )
    assert report.figures.budget == D("39650.00")


def test_the_fund_at_the_start_and_end_of_the_year(report: ActivityReport) -> None:
    """
    Empty on 1 January. On 31 December: cash 90,000 + 6,000 − 32,000 − 42.50 = 63,957.50 €;
    outstanding 32,000 − 6,000 = 26,000 €; nothing committed and not paid out.
    """
    assert report.fund_start.cash == report.fund_start.outstanding == 0
    assert report.fund_end.cash == D("63957.50")
    assert report.fund_end.outstanding == D("26000.00")
    assert report.fund_end.committed == 0
    assert report.contributions_received == D("90000.00")
    assert report.fees == D("42.50")


def test_sessions_held_their_validity_and_what_each_decided(report: ActivityReport) -> None:
    """S1 examined two projects (one adopted, one rejected), S2 one (adopted); both valid."""
    assert [(s.id, s.valid, s.examined, s.adopted, s.rejected) for s in report.sessions] == [
        ("S1", True, 2, 1, 1),
        ("S2", True, 1, 1, 0),
    ]
    assert report.sessions_valid == 2
    assert [(p.project, p.outcome) for p in report.projects] == [
        ("P1", Outcome.ADOPTED),
        ("P2", Outcome.REJECTED),
        ("P3", Outcome.ADOPTED),
    ]


def test_arrears_by_bucket_at_the_year_end(report: ActivityReport) -> None:
    """
    P1 left the instalments of 30 September to 31 December unpaid; the oldest is 92 days
    late on 31 December, so bucket 91–180. It was declared in default that day (SCH-06):
    the whole 24,000 − 5,000 = 19,000 € it still owes is due, not only the 4 × 1,000 € of
    instalments. P3 paid its only instalment due: current, owing 7,000 €.
    """
    lines = {line.bucket: (line.advances, line.amount, line.outstanding) for line in report.arrears}

    assert lines["91–180 jours"] == (1, D("19000.00"), D("19000.00"))
    assert lines["à jour"] == (1, D("0.00"), D("7000.00"))
    assert report.in_arrears == D("19000.00")
    assert report.defaults == 1


def test_the_months_give_the_charts_their_series(report: ActivityReport) -> None:
    """
    Commitments: 24,000 € in March, 8,000 € in June. Repayments 1,000 € a month April to
    August and in October. Cash: 90,000 € from January, 66,000 € at the end of March
    (after P1's 24,000 €), 63,957.50 € at the end of December.
    """
    months = {m.month: m for m in report.months}

    assert [m.month for m in report.months] == list(range(1, 13))
    assert [m.committed for m in report.months if m.committed] == [D("24000.00"), D("8000.00")]
    assert [m.month for m in report.months if m.repaid] == [4, 5, 6, 7, 8, 10]
    assert sum(m.repaid for m in report.months) == report.figures.repaid
    assert (months[1].cash, months[3].cash, months[12].cash) == (
        D("90000.00"),
        D("66000.00"),
        D("63957.50"),
    )


def test_skills_are_counted_and_valued_by_partner(report: ActivityReport) -> None:
    """ACIER: 1 mission, 3 meetings, 2.5 days, 1,750 €; ENERG: 1 mission, 1 meeting, 2 days, 900 €."""
    assert [(s.partner, s.missions, s.meetings, s.days, s.value) for s in report.skills] == [
        ("ACIER", 1, 3, D("2.5"), D("1750.00")),
        ("ENERG", 1, 1, D("2"), D("900.00")),
    ]
    step = next(s for s in report.steps if s.rule == "ACC-06")
    assert {v.name for v in step.settings_used} == {"daily_rate_executive", "daily_rate_technician"}


def test_the_report_compares_the_year_with_the_steering_committees_orientations(
    report: ActivityReport,
) -> None:
    """32,000 € committed for a 30,000 € ceiling fails PIL-02; 8 jobs for a target of 10 warns."""
    pil = [s for s in report.steps if s.rule == "PIL-02"]

    assert [(s.code, s.passed, s.warning) for s in pil] == [
        ("ceiling.exceeded", False, False),
        ("jobs.short", True, True),
    ]
    assert pil[0].params["excess"] == D("2000.00")


def test_the_report_checks_the_fund_and_cites_its_rules(report: ActivityReport) -> None:
    """The fund at the year's end balances (FUND-05); the convention in force is named."""
    assert all(s.passed for s in report.steps if s.rule == "FUND-05")
    assert report.rules == ("GOV-09", "PIL-02", "CONV-01", "ACC-06", "FUND-05", "PIL-03")


def test_a_report_during_the_year_stands_at_its_date(journal: Journal) -> None:
    """On 30 June: S1 and S2 held, 3,000 € repaid (April–June), six months of series."""
    midyear = activity_report(journal.events, 2026, on=date(2026, 6, 30))

    assert len(midyear.sessions) == 2
    assert midyear.figures.repaid == D("3000.00")
    assert midyear.figures.disbursed == D("24000.00")
    assert midyear.fund_end.committed == D("8000.00")
    assert len(midyear.months) == 6


def test_the_next_years_report_reviews_the_year_before(journal: Journal) -> None:
    """The 2027 report carries 2026's key figures as its previous year (PIL-03)."""
    later = Journal()
    later.events = list(journal.events)
    later.register = journal.register
    later.repaid("P3", date(2027, 1, 1))

    report_2027 = activity_report(later.events, 2027)

    assert report_2027.previous == activity_report(journal.events, 2026).figures
    assert report_2027.figures.repaid == D("1000.00")
    assert report_2027.fund_start.cash == D("63957.50")


def test_activity_outside_every_convention_is_flagged_in_the_report(journal: Journal) -> None:
    """CT-2026 ends on 31 December 2028: a repayment in January 2029 is flagged (CONV-01)."""
    later = Journal()
    later.events, later.register = list(journal.events), journal.register
    later.repaid("P3", date(2029, 1, 5))

    report_2029 = activity_report(later.events, 2029)

    flagged = [s for s in report_2029.steps if s.code == "activity.outside"]
    assert [(s.warning, s.params["count"], s.params["first"]) for s in flagged] == [
        (True, 1, date(2029, 1, 5))
    ]
    assert next(s for s in report_2029.steps if s.rule == "CONV-01").code == (
        "convention.none_in_force"
    )


def test_a_report_on_a_day_outside_its_year_is_refused(journal: Journal) -> None:
    """The date a report stands at is a day of its year."""
    with pytest.raises(InvalidValue, match="is not a day of 2026"):
        activity_report(journal.events, 2026, on=date(2027, 1, 1))


def test_orientations_of_another_year_are_refused(journal: Journal) -> None:
    """The 2025 orientations cannot judge 2026."""
    with pytest.raises(InvalidValue, match="orientations"):
        activity_report(journal.events, 2026, orientations=Orientations(2025))


def test_a_journal_without_a_territory_has_nothing_to_report() -> None:
    """No territory, no report."""
    with pytest.raises(AlizeError, match="territory"):
        activity_report([], 2026)


# --- The call for funds. ---


def test_the_call_for_funds_asks_each_partner_for_what_it_still_owes(journal: Journal) -> None:
    """
    On 31 December 2026: ACIER paid its 60,000 € and ENERG its 30,000 €; TRANS owes its
    10,000 €. 100,000 € committed, 90,000 € received, 10,000 € due.
    """
    call = call_for_funds(journal.events, 2026, on=date(2026, 12, 31))

    assert [(c.partner, c.committed, c.received, c.due) for c in call.lines] == [
        ("ACIER", D("60000.00"), D("60000.00"), D("0.00")),
        ("ENERG", D("30000.00"), D("30000.00"), D("0.00")),
        ("TRANS", D("10000.00"), D("0.00"), D("10000.00")),
    ]
    assert (call.committed, call.received, call.due) == (
        D("100000.00"),
        D("90000.00"),
        D("10000.00"),
    )
    assert call.convention == "CT-2026"


def test_the_call_for_funds_annexes_the_previous_years_activity_report(journal: Journal) -> None:
    """The 2027 call, on 1 January 2027, asks 100,000 € and annexes the 2026 report (PIL-04)."""
    call = call_for_funds(journal.events, 2027)

    assert call.annex == activity_report(journal.events, 2026)
    assert call.due == D("100000.00")
    assert [s.rule for s in call.steps] == ["CONV-01", "FUND-01", "PIL-04"]


def test_a_call_for_a_year_without_a_convention_calls_nobody(journal: Journal) -> None:
    """CT-2026 ends with 2028: the 2029 call has no line and says no convention is in force."""
    call = call_for_funds(journal.events, 2029)

    assert call.lines == ()
    assert call.convention is None
    assert call.steps[0].warning


# --- Network contribution and consolidation. ---


def test_the_network_contribution_follows_the_conventions_formula(report: ActivityReport) -> None:
    """2,000 € fixed + 2 projects × 150 € + 0.5 % of 32,000 € (160 €) = 2,460 € (NAT-02)."""
    terms = NetworkContributionTerms(
        "CT-2026",
        fixed=D("2000.00"),
        per_project=D("150.00"),
        share_of_commitments=D("0.005"),
    )

    due = network_contribution(report, terms, settings=SETTINGS)

    assert (due.fixed, due.for_projects, due.for_commitments, due.total) == (
        D("2000.00"),
        D("300.00"),
        D("160.00"),
        D("2460.00"),
    )
    assert [s.code for s in due.steps] == ["network.fixed", "network.per_project", "network.share"]


def test_the_share_of_commitments_is_rounded_by_the_territorys_rule() -> None:
    """10 % of 123.45 € is 12.345 €: 12.35 € half up (national default), 12.34 € rounding down."""
    terms = NetworkContributionTerms("CT", share_of_commitments=D("0.1"))
    figures = KeyFigures(advances_committed=D("123.45"))
    down = SETTINGS.set_for_territory("T1", ROUNDING, "down", start=date(2026, 1, 1))

    national = contribution_due(terms, figures, year=2026, territory="T1", settings=SETTINGS)
    truncated = contribution_due(terms, figures, year=2026, territory="T1", settings=down)

    assert (national.total, truncated.total) == (D("12.35"), D("12.34"))
    assert truncated.steps[0].settings_used[0].territory == "T1"


def test_a_convention_without_a_contribution_says_so() -> None:
    """All terms zero: nothing is due, and the explanation says why."""
    due = contribution_due(
        NetworkContributionTerms("CT"), KeyFigures(), year=2026, territory="T1", settings=SETTINGS
    )

    assert due.total == 0
    assert [s.code for s in due.steps] == ["network.nothing"]


def test_the_national_consolidation_adds_up_the_territories(report: ActivityReport) -> None:
    """
    MEUSE: 2 projects, 48 jobs, budget 39,650 € of which 2,650 € skills. ARGONNE: 5 projects,
    30 + 70 jobs, 100,000 € advances and 50,000 € skills. Total: 7 projects, 148 jobs,
    budget 189,650 €, skills 52,650 €, a share of 27.76… % shown 27.8 % (NAT-03).
    """
    argonne = TerritoryResults(
        "ARGONNE",
        "Argonne",
        KeyFigures(
            projects_adopted=5,
            jobs_created=30,
            jobs_kept=70,
            advances_committed=D("100000.00"),
            skills_value=D("50000.00"),
        ),
    )

    consolidation = consolidate([report, argonne])

    totals = consolidation.totals
    assert (totals.projects_adopted, totals.jobs, totals.budget, totals.skills_value) == (
        7,
        148,
        D("189650.00"),
        D("52650.00"),
    )
    assert consolidation.skills_share == D("27.8")
    assert consolidation.period == "2026"


def test_a_territory_is_consolidated_once(report: ActivityReport) -> None:
    """The same territory twice would count its projects twice."""
    with pytest.raises(InvalidValue, match="appears twice"):
        consolidate([report, report])


def test_reports_of_different_years_are_not_consolidated(
    report: ActivityReport, journal: Journal
) -> None:
    """One year at a time."""
    other = attrs.evolve(report, territory="ARGONNE", year=2025, on=date(2025, 12, 31))

    with pytest.raises(InvalidValue, match="different years"):
        consolidate([report, other])


# --- The fund forecast. ---


def test_the_fund_forecast_from_the_schedules_in_force(journal: Journal) -> None:
    """
    From 31 December 2026 at a 10 % default rate: in 2027, P1 in default owes its 19,000 €
    at once and P3 four quarterly instalments (4,000 €): 23,000 € due, 2,300 € lost; the
    partners bring 100,000 €; cash 63,957.50 + 100,000 + 20,700 = 184,657.50 €. In 2028,
    P3's last three instalments (3,000 €, 300 € lost) and 100,000 €: 287,357.50 €. CT-2026
    ends with 2028, so 2029 brings nothing.
    """
    forecast = fund_forecast(journal.events, on=date(2026, 12, 31), default_rate=D("0.10"), years=3)

    assert [
        (y.year, y.contributions, y.repayments_due, y.expected_losses, y.closing_cash)
        for y in forecast.years
    ] == [
        (2027, D("100000.00"), D("23000.00"), D("2300.00"), D("184657.50")),
        (2028, D("100000.00"), D("3000.00"), D("300.00"), D("287357.50")),
        (2029, D("0.00"), D("0.00"), D("0.00"), D("287357.50")),
    ]
    assert forecast.years[-1].closing_outstanding == 0


def test_a_forecast_during_the_year_counts_what_this_year_still_brings(journal: Journal) -> None:
    """
    On 30 June 2026: 90,000 € of the 100,000 € came in, so 10,000 € are still expected in
    2026; P3's 8,000 € committed is assumed paid out in 2026.
    """
    forecast = fund_forecast(journal.events, on=date(2026, 6, 30), default_rate=D("0"), years=2)

    first = forecast.years[0]
    assert (first.year, first.contributions, first.disbursements) == (
        2026,
        D("10000.00"),
        D("8000.00"),
    )


@given(
    st.lists(st.tuples(st.integers(0, 800), st.integers(1, 10**7)), max_size=30),
    st.decimals(min_value=0, max_value=D("0.99"), places=2),
    st.integers(1, 6),
)
def test_the_forecast_balances_year_after_year(
    due: list[tuple[int, int]], rate: Decimal, years: int
) -> None:
    """Each year closes at opening + contributions + collected − paid out, and opens the next."""
    from alize_core.programme import FundPosition

    on = date(2026, 3, 31)
    instalments = [
        (date.fromordinal(on.toordinal() + days), D(cents).scaleb(-2)) for days, cents in due
    ]
    position = FundPosition(cash=D("1000.00"), committed=D("300.00"), outstanding=D("5000.00"))

    forecast = forecast_fund(
        position,
        on=on,
        territory="T1",
        instalments=instalments,
        contributions={2026: D("100.00"), 2027: D("200.00")},
        default_rate=rate,
        years=years,
        settings=SETTINGS,
    )

    opening = position.cash
    for year in forecast.years:
        assert year.opening_cash == opening
        assert year.closing_cash == (
            opening + year.contributions + year.collected - year.disbursements
        )
        assert 0 <= year.expected_losses <= year.repayments_due
        opening = year.closing_cash
    counted = sum((y.repayments_due for y in forecast.years), D(0))
    assert counted == sum((amount for day, amount in instalments if day.year < 2026 + years), D(0))


def test_a_float_default_rate_is_refused(journal: Journal) -> None:
    """Rates are decimals."""
    with pytest.raises(InvalidValue, match="binary float"):
        fund_forecast(
            journal.events,
            on=date(2026, 12, 31),
            default_rate=0.1,  # type: ignore[arg-type]
        )


# --- Across reports: the books, JSON and French output. ---


def test_the_books_of_the_year_say_what_the_report_says(
    journal: Journal, report: ActivityReport
) -> None:
    """512 is the fund's cash, 2748 its outstanding, 871 the skills valued (FUND-05, ACC-06)."""
    balances = {
        b.account.number: b.balance for b in trial_balance(journal_postings(journal.events))
    }

    assert balances["512"] == report.fund_end.cash
    assert balances["2748"] == report.fund_end.outstanding
    assert -balances["871"] == report.figures.skills_value


def test_a_report_goes_to_json_and_back_unchanged(report: ActivityReport) -> None:
    """The report, its steps and settings included, round-trips through JSON."""
    assert loads(dumps(report), ActivityReport) == report


def test_a_call_for_funds_goes_to_json_and_back_unchanged(journal: Journal) -> None:
    """The call and its annexed report round-trip through JSON."""
    call = call_for_funds(journal.events, 2027)

    assert loads(dumps(call), CallForFunds) == call


def test_a_malformed_report_document_names_the_culprit(report: ActivityReport) -> None:
    """A float slipped into a document is refused with its path."""
    data = unstructure(report)
    data["figures"]["repaid"] = 6000.5

    with pytest.raises(AlizeError, match=r"figures\.repaid"):
        structure(data, ActivityReport)


def test_the_text_report_reads_in_french(report: ActivityReport) -> None:
    """Amounts with a decimal comma and non-breaking spaces, dates spelled out."""
    text = to_text(report)

    assert "Rapport d'activité 2026 — Vallée de la Meuse" in text
    assert "situation au 31 décembre 2026" in text
    assert "- Avances engagées : 32\xa0000,00\xa0€ (0,00\xa0€)" in text
    assert "✗ avances engagées en 2026 : 32\xa0000,00 € pour un plafond" in text


def test_the_html_report_is_one_self_contained_page_with_its_three_charts(
    report: ActivityReport,
) -> None:
    """No script, no external resource, three inline SVG charts, valid XML for each chart."""
    page = to_html(report)

    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in page
    assert "<script" not in page
    assert re.findall(r"(?:src|href)=", page) == []
    assert set(re.findall(r"https?://[^\"' ]+", page)) == {"http://www.w3.org/2000/svg"}
    charts = re.findall(r"<svg.*?</svg>", page, flags=re.DOTALL)
    titles = [ET.fromstring(svg).findtext("{http://www.w3.org/2000/svg}title") for svg in charts]
    assert titles == [
        "Position du fonds sur l'année",
        "Engagements et remboursements par mois",
        "Impayés par ancienneté",
    ]


def test_names_in_the_html_report_are_escaped(report: ActivityReport) -> None:
    """A hostile territory name is shown, not run."""
    hostile = attrs.evolve(report, territory_name="<script>alert('x')</script> & Cie")

    page = to_html(hostile)

    assert "<script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; Cie" in page


def test_the_call_for_funds_page_holds_the_annexed_report(journal: Journal) -> None:
    """The call's page lists the partners, then the annexed report with its charts."""
    page = to_html(call_for_funds(journal.events, 2027))

    assert "Appel de fonds 2027 — Vallée de la Meuse" in page
    assert "Annexe : Rapport d&#x27;activité 2026" in page
    assert page.count("<svg") == 3


def test_the_csv_is_what_french_excel_reads(journal: Journal) -> None:
    """Semicolons, decimal commas without thousands separators, one line per partner."""
    text = to_csv(call_for_funds(journal.events, 2026, on=date(2026, 12, 31)))

    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["partenaire", "nom", "engagement", "recu", "restant_du"]
    assert rows[3] == ["TRANS", "Transports du Barrois", "10000,00", "0,00", "10000,00"]
    assert rows[-1] == ["TOTAL", "", "100000,00", "90000,00", "10000,00"]
    assert text.endswith("\r\n")


def test_every_report_can_be_written_three_ways(journal: Journal, report: ActivityReport) -> None:
    """Text, HTML and CSV exist for every kind of report."""
    reports: list[Report] = [
        report,
        call_for_funds(journal.events, 2027),
        network_contribution(
            report, NetworkContributionTerms("CT", fixed=D("1.00")), settings=SETTINGS
        ),
        consolidate([report]),
        fund_forecast(journal.events, on=date(2026, 12, 31), default_rate=D("0")),
    ]
    for item in reports:
        assert to_text(item).strip()
        assert to_html(item).endswith("</html>\n")
        assert ";" in to_csv(item)


# --- Inputs refuse junk. ---

JUNK: tuple[object, ...] = (None, "", 1.5, -1, "abc", object(), D("NaN"), D("1.005"), True)


@pytest.mark.parametrize("value", JUNK, ids=repr)
@pytest.mark.parametrize(
    "field", ["commitments_ceiling", "projects_target", "jobs_target", "set_on"]
)
def test_orientations_refuse_junk_naming_the_field(value: object, field: str) -> None:
    """Junk in any field of the orientations is an AlizeError naming that field."""
    if value is None:
        assert getattr(Orientations(2026, **{field: value}), field) is None  # type: ignore[arg-type]
        return
    with pytest.raises(AlizeError) as info:
        Orientations(2026, **{field: value})  # type: ignore[arg-type]

    assert info.value.field == field


@pytest.mark.parametrize("value", JUNK, ids=repr)
@pytest.mark.parametrize("field", ["fixed", "per_project", "share_of_commitments"])
def test_network_terms_refuse_junk_naming_the_field(value: object, field: str) -> None:
    """Junk in a term of the formula is an AlizeError naming it."""
    with pytest.raises(AlizeError) as info:
        NetworkContributionTerms("CT", **{field: value})  # type: ignore[arg-type]

    assert info.value.field in (field, "")
    assert field in str(info.value) or info.value.field == field


_BASE: list[Journal] = []


def _base_journal() -> Journal:
    """The 2026 story, built once for the property test."""
    if not _BASE:
        _BASE.append(story_2026())
    return _BASE[0]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=5000), max_size=6))
def test_the_report_agrees_with_the_fund_whatever_p3_repays(amounts: list[int]) -> None:
    """
    However much P3 repays in 2027, the 2027 report's figures follow from the fund's
    positions (FUND-05): the repayments are those made, month by month and in all, and the
    end cash is the start cash plus contributions and repayments less disbursements and fees.
    """
    base = _base_journal()
    story = Journal()
    story.events, story.register = list(base.events), base.register
    left = int(story.register.advance("P3").outstanding * 100)
    paid = []
    for number, wanted in enumerate(amounts):
        cents = min(wanted, left)
        if cents == 0:
            break
        story.repaid("P3", date(2027, 1 + number, 5), amount=str(D(cents).scaleb(-2)))
        paid.append(D(cents).scaleb(-2))
        left -= cents

    report_2027 = activity_report(story.events, 2027)

    start, end = report_2027.fund_start, report_2027.fund_end
    assert report_2027.figures.repaid == sum(paid, D(0)) == end.repaid - start.repaid
    assert sum(m.repaid for m in report_2027.months) == report_2027.figures.repaid
    assert end.cash == (
        start.cash
        + report_2027.contributions_received
        + report_2027.figures.repaid
        + report_2027.recovered
        - report_2027.figures.disbursed
        - report_2027.fees
    )


def test_valuing_time_needs_the_daily_rates(journal: Journal) -> None:
    """A setting missing on a date is an error, never a silent zero (reports value time so)."""
    entries = journal.register.time_entries
    with pytest.raises(AlizeError, match="daily_rate"):
        value_time(entries, territory="MEUSE", settings=Settings(()))


REPORT_TYPES: tuple[type, ...] = (
    ActivityReport,
    CallForFunds,
    KeyFigures,
    Orientations,
    NetworkContributionTerms,
    TerritoryResults,
    FundForecast,
)


@pytest.mark.parametrize("cls", REPORT_TYPES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("value", [*JUNK, 10**100, [], {}, {"unknown": 1}, b"x"], ids=repr)
def test_junk_documents_never_become_reports(cls: type, value: object) -> None:
    """structure() of junk raises an AlizeError, never anything else (an empty document
    is only valid for the key figures, whose every field defaults to zero)."""
    if cls is KeyFigures and value == {}:
        assert structure(value, cls) == KeyFigures()
        return
    with pytest.raises(AlizeError):
        structure(value, cls)


@pytest.mark.parametrize(
    "valid",
    [
        Orientations(2026, commitments_ceiling=D("100.00"), jobs_target=3),
        NetworkContributionTerms("CT", fixed=D("1.00"), share_of_commitments=D("0.01")),
        KeyFigures(projects_adopted=1, repaid=D("2.00")),
    ],
    ids=lambda v: type(v).__name__,
)
@pytest.mark.parametrize("junk", [*JUNK, 2.5], ids=repr)
def test_junk_in_any_key_is_refused_with_its_path(valid: object, junk: object) -> None:
    """One key of a valid document replaced by junk: refused naming it, or still valid."""
    document = unstructure(valid)
    refused = []
    for key in document:
        try:
            structure({**document, key: junk}, type(valid))
        except AlizeError as exc:
            refused.append((key, exc.field))
    assert all(field for _, field in refused), refused


def test_a_journal_out_of_date_order_is_refused(journal: Journal) -> None:
    """Replaying stops at dates, so the events must be in date order: a swap is named."""
    swapped = list(journal.events)
    swapped[-1], swapped[-3] = swapped[-3], swapped[-1]

    with pytest.raises(InvalidValue, match="date order"):
        activity_report(swapped, 2026)
