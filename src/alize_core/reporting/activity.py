"""
The yearly activity report and the call for funds (*rapport d'activité*, *appel de fonds*).

Once a year the approval committee reports on its activity to the steering
committee (GOV-09): its president and the local operator present the report
and the review of the year (PIL-03), and the report is annexed to the call for
funds sent to the partners (PIL-04). Everything in it is derived from the
register and a date, never typed in:

- the sessions held and whether each was validly held (GOV-04…06), the projects
  examined, adopted and rejected (GOV-01), the jobs they support (ELIG-04);
- the advances committed, disbursed and repaid, the arrears by bucket (SCH-06),
  the defaults and write-offs, the recoveries (FUND-02);
- the missions, their meetings, the days given by mentors and their value
  (ACC-04, ACC-06);
- the fund's position at the start and at the end of the year (FUND-05), and
  month by month for the charts;
- a comparison with the orientations the steering committee set for the year
  (PIL-02: a ceiling of commitments, targets of projects and jobs).

:func:`activity_report` and :func:`call_for_funds` build them from a journal;
:class:`KeyFigures` are the figures the network consolidates (NAT-03) and the
review compares with the year before. :mod:`alize_core.rendering.reports` writes them
in French, as text, HTML with charts, or CSV.

The report's records (its lines and figures, the orientations) are
:mod:`alize_core.reporting.records`; the journal replayed once for many dates is
:mod:`alize_core.reporting.history`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

import attrs

from alize_core.journal.chain import Event
from alize_core.kernel.decisions import Outcome, Step, make_step
from alize_core.kernel.errors import CommandRefused, InvalidValue
from alize_core.kernel.money import ZERO
from alize_core.kernel.settings import Settings, SettingVersion
from alize_core.kernel.validation import (
    check_count,
    check_date,
)
from alize_core.lending.life import ArrearsBucket
from alize_core.programme.accompaniment import TimeEntry, value_time
from alize_core.programme.conventions import convention_in_force, convention_step
from alize_core.programme.fund import FundPosition, balance_steps
from alize_core.register.records import AdvanceRecord, AdvanceStatus
from alize_core.register.views import Register
from alize_core.reporting.history import History
from alize_core.reporting.records import (
    ActivityReport,
    ArrearsLine,
    CallForFunds,
    CallLine,
    KeyFigures,
    MonthLine,
    Orientations,
    ProjectLine,
    SessionLine,
    SkillsLine,
    orientation_steps,
)


__all__ = [
    "MESSAGES",
    "activity_report",
    "call_for_funds",
]

MESSAGES: Final[Mapping[str, str]] = {
    "report.presented": (
        "rapport d'activité {year} du comité d'agrément, présenté au comité de pilotage par son"
        " président et l'opérateur local"
    ),
    "review.signed": (
        "revue de l'année {year} validée par le président du comité de pilotage le {on}"
    ),
    "review.pending": "revue de l'année {year} pas encore validée par le comité de pilotage",
    "activity.outside": (
        "{count} événement(s) de {year} datés hors de toute convention en vigueur, dont le"
        " premier le {first}"
    ),
    "annex.attached": "rapport d'activité {year} annexé à l'appel de fonds",
    "skills.valued": (
        "{days} jour(s) d'apport en compétences donnés par les entreprises partenaires,"
        " valorisés {value} € au taux journalier de chaque catégorie"
    ),
    "call.lines": (
        "appel de fonds {year} : {called} € d'engagements de {partners} partenaire(s),"
        " {received} € déjà reçus, {due} € restant dus"
    ),
}


# --- Building the reports from the journal. -----------------------------------------------


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _territory(register: Register) -> tuple[str, str]:
    record = register.territory
    if record is None:
        raise CommandRefused(
            "territory", None, "the register has no territory: there is nothing to report on"
        )
    return record.territory.id, record.territory.name


def _within(on: date | None, start: date, end: date) -> bool:
    return on is not None and start <= on <= end


def _project_lines(register: Register, start: date, end: date) -> tuple[ProjectLine, ...]:
    lines = []
    for record in register.projects_decided(start, end):
        if record.outcome not in (Outcome.ADOPTED, Outcome.REJECTED):
            continue
        assert record.decided_on is not None
        project = record.project
        means = record.means
        sme = register.get_sme(project.sme)
        lines.append(
            ProjectLine(
                project.id,
                project.title,
                project.sme,
                sme.name if sme is not None else project.sme,
                record.decided_on,
                record.outcome,
                means.advance if means is not None else ZERO,
                means.subsidised_loan if means is not None else ZERO,
                means.mentor_days if means is not None else 0,
                project.jobs_created,
                project.jobs_kept,
            )
        )
    return tuple(sorted(lines, key=lambda line: (line.decided_on, line.project)))


def _session_lines(register: Register, start: date, end: date) -> tuple[SessionLine, ...]:
    lines = []
    for session in register.sessions_held(start, end):
        counts = {Outcome.ADOPTED: 0, Outcome.REJECTED: 0, Outcome.NOT_EXAMINED: 0}
        if session.closed:
            for entry in session.agenda:
                record = register.get_project(entry.project)
                outcome = Outcome.NOT_EXAMINED
                if record is not None and record.session == session.id and record.outcome:
                    outcome = record.outcome
                counts[outcome] = counts.get(outcome, 0) + 1
        adopted, rejected = counts[Outcome.ADOPTED], counts[Outcome.REJECTED]
        lines.append(
            SessionLine(
                session.id,
                session.on,
                session.valid if session.closed else None,
                adopted + rejected,
                adopted,
                rejected,
                counts[Outcome.NOT_EXAMINED],
            )
        )
    return tuple(sorted(lines, key=lambda line: (line.on, line.id)))


def _arrears_lines(register: Register, on: date) -> tuple[ArrearsLine, ...]:
    """
    The advances being repaid or in default on ``on``, by ageing bucket (SCH-06): what
    each owes and what is due and unpaid, as the portfolio values them (their life,
    :mod:`alize_core.lending.life`: an advance in default owes all of it at once).
    """
    found: dict[ArrearsBucket, list[Decimal]] = {bucket: [] for bucket in ArrearsBucket}
    outstanding: dict[ArrearsBucket, Decimal] = dict.fromkeys(ArrearsBucket, ZERO)
    for value in register.portfolio(on).advances:
        if value.status not in _OWING:
            continue
        found[value.bucket].append(value.arrears)
        outstanding[value.bucket] += value.outstanding
    return tuple(
        ArrearsLine(bucket.french, len(amounts), sum(amounts, ZERO), outstanding[bucket])
        for bucket, amounts in found.items()
    )


_OWING: Final = frozenset({AdvanceStatus.DISBURSED.value, AdvanceStatus.DEFAULTED.value})


@attrs.frozen
class _Skills:
    """The skills contributed in a period, by partner, with their valuation's step."""

    lines: tuple[SkillsLine, ...]
    missions: int
    meetings: int
    steps: tuple[Step, ...]

    @property
    def days(self) -> Decimal:
        return sum((line.days for line in self.lines), Decimal(0))

    @property
    def value(self) -> Decimal:
        return sum((line.value for line in self.lines), ZERO)


def _skills(
    register: Register,
    start: date,
    end: date,
    *,
    settings: Settings,
    territory: str,
) -> _Skills:
    partners = register.partners
    people = register.people
    entries: dict[str, list[TimeEntry]] = {}
    for entry in register.time_logged(start, end):
        person = people.get(entry.person)
        if person is not None and person.organisation in partners:
            entries.setdefault(person.organisation, []).append(entry)
    missions: dict[str, int] = {}
    meetings: dict[str, int] = {}
    for record in register.missions_under_way(start, end):
        partner = record.mission.partner
        missions[partner] = missions.get(partner, 0) + 1
        held = sum(1 for day in record.meetings if start <= day <= end)
        meetings[partner] = meetings.get(partner, 0) + held
    lines = []
    used: dict[SettingVersion, None] = {}
    for partner in sorted(set(entries) | set(missions)):
        valuation = value_time(entries.get(partner, ()), territory=territory, settings=settings)
        for category in valuation.categories:
            used.update(dict.fromkeys(category.rates))
        company = partners.get(partner)
        lines.append(
            SkillsLine(
                partner,
                company.name if company is not None else partner,
                missions.get(partner, 0),
                meetings.get(partner, 0),
                valuation.total_days,
                valuation.total_value,
            )
        )
    days = sum((line.days for line in lines), Decimal(0))
    value = sum((line.value for line in lines), ZERO)
    steps: tuple[Step, ...] = ()
    if days:
        steps = (
            make_step(
                MESSAGES,
                "ACC-06",
                True,
                "skills.valued",
                settings_used=tuple(used),
                days=days,
                value=value,
            ),
        )
    return _Skills(tuple(lines), sum(missions.values()), sum(meetings.values()), steps)


def _months(
    funds: Sequence[FundPosition],
    advances: Mapping[str, AdvanceRecord],
    start: FundPosition,
    year: int,
) -> tuple[MonthLine, ...]:
    lines = []
    before = start
    for month, fund in enumerate(funds, start=1):
        committed = sum(
            (
                a.granted
                for a in advances.values()
                if a.committed_on.year == year and a.committed_on.month == month
            ),
            ZERO,
        )
        lines.append(
            MonthLine(
                month,
                committed,
                fund.disbursed - before.disbursed,
                fund.repaid - before.repaid,
                fund.cash,
                fund.outstanding,
            )
        )
        before = fund
    return tuple(lines)


def _month_ends(year: int, on: date) -> list[date]:
    ends = []
    for month in range(1, 13):
        first = date(year, month, 1)
        if first > on:
            break
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        ends.append(min(date.fromordinal(following.toordinal() - 1), on))
    return ends


def _figures(
    projects: tuple[ProjectLine, ...],
    start: FundPosition,
    end: FundPosition,
    skills_days: Decimal,
    skills_value: Decimal,
) -> KeyFigures:
    adopted = [p for p in projects if p.outcome is Outcome.ADOPTED]
    return KeyFigures(
        projects_examined=len(projects),
        projects_adopted=len(adopted),
        jobs_created=sum(p.jobs_created for p in adopted),
        jobs_kept=sum(p.jobs_kept for p in adopted),
        advances_committed=sum((p.advance for p in adopted), ZERO),
        subsidised_loans=sum((p.subsidised_loan for p in adopted), ZERO),
        disbursed=end.disbursed - start.disbursed,
        repaid=end.repaid - start.repaid,
        skills_days=skills_days,
        skills_value=skills_value,
    )


def _year_figures(
    start: FundPosition, end: Register, *, year: int, settings: Settings, territory: str
) -> KeyFigures:
    first, last = date(year, 1, 1), _year_end(year)
    projects = _project_lines(end, first, last)
    skills = _skills(end, first, last, settings=settings, territory=territory)
    return _figures(projects, start, end.fund, skills.days, skills.value)


def _convention_steps(register: Register, year: int, on: date) -> list[Step]:
    first = date(year, 1, 1)
    steps = [convention_step(register.conventions, on=on)]
    outside = [f for f in register.flags if first <= f.on <= on]
    if outside:
        steps.append(
            make_step(
                MESSAGES,
                "CONV-01",
                True,
                "activity.outside",
                warning=True,
                count=len(outside),
                year=str(year),
                first=outside[0].on,
            )
        )
    return steps


def _review_step(register: Register, year: int) -> Step:
    for review in register.reviews:
        if review.year == year:
            return make_step(
                MESSAGES, "PIL-03", True, "review.signed", year=str(year), on=review.on
            )
    return make_step(MESSAGES, "PIL-03", True, "review.pending", year=str(year))


def activity_report(
    events: Sequence[Event] | History,
    year: int,
    *,
    on: date | None = None,
    orientations: Orientations | None = None,
) -> ActivityReport:
    """
    The approval committee's activity report for a year, from the journal (GOV-09, PIL-03).

    Args:
        events: The territory's journal, in order, or its :class:`History`.
        year: The year reported on.
        on: The date the figures stand at: the year's last day by default, or earlier
            for a report during the year.
        orientations: What the steering committee set for the year (PIL-02).

    Raises:
        CommandRefused: The journal has no territory.
        InvalidValue: ``on`` is not in the year, or the orientations are for another year.
        IntegrityError: The journal's chain is broken.

    .. versionadded:: 0.1.0
    """
    check_count(year, field="year", minimum=1990, maximum=2999)
    on = _year_end(year) if on is None else check_date(on, field="on")
    if on.year != year:
        raise InvalidValue("on", on, f"is not a day of {year}")
    if orientations is not None and orientations.year != year:
        raise InvalidValue("orientations", orientations.year, f"are not those of {year}")
    first = date(year, 1, 1)
    history = events if isinstance(events, History) else History(events)
    # The registers in date order, so that the history's replay only goes forward: the
    # fund alone at the end of the year before last and of each month, the whole
    # register at the end of last year and on the report's date.
    (previous_start,) = history.funds_at([_year_end(year - 2)])
    (start,) = history.registers_at([_year_end(year - 1)])
    months = history.funds_at(_month_ends(year, on))
    (end,) = history.registers_at([on])
    territory, name = _territory(end)
    # The settings the register knows on the report's date (daily rates, ACC-06): those
    # adopted by then, each over the days it was in force.
    settings = end.settings
    previous = _year_figures(
        previous_start, start, year=year - 1, settings=settings, territory=territory
    )
    projects = _project_lines(end, first, on)
    skills = _skills(end, first, on, settings=settings, territory=territory)
    figures = _figures(projects, start.fund, end.fund, skills.days, skills.value)
    advances = end.advances
    fund_start, fund_end = start.fund, end.fund
    steps = [
        make_step(MESSAGES, "GOV-09", True, "report.presented", year=str(year)),
        *orientation_steps(orientations, figures),
        *_convention_steps(end, year, on),
        *skills.steps,
        *balance_steps(fund_end),
        _review_step(end, year),
    ]
    return ActivityReport(
        territory,
        name,
        year,
        on,
        _session_lines(end, first, on),
        projects,
        figures,
        previous,
        written_off=fund_end.written_off - fund_start.written_off,
        recovered=fund_end.recovered - fund_start.recovered,
        defaults=sum(1 for a in advances.values() if _within(a.defaulted_on, first, on)),
        contributions_received=fund_end.contributions_received - fund_start.contributions_received,
        fees=fund_end.fees - fund_start.fees,
        arrears=_arrears_lines(end, on),
        skills=skills.lines,
        missions=skills.missions,
        meetings=skills.meetings,
        fund_start=fund_start,
        fund_end=fund_end,
        months=_months(months, advances, fund_start, year),
        orientations=orientations,
        steps=tuple(steps),
    )


def call_for_funds(
    events: Sequence[Event] | History,
    year: int,
    *,
    on: date | None = None,
    orientations: Orientations | None = None,
) -> CallForFunds:
    """
    The call for a year's contributions, with the previous year's activity report annexed
    (PIL-04).

    Each partner of the triennial convention in force is called for its yearly financial
    commitment (CONV-01, FUND-01), less what it paid during the year up to the call's date.

    Args:
        events: The territory's journal, in order, or its :class:`History`.
        year: The year whose contributions are called.
        on: The date of the call (default: the first day of ``year``); the annexed report
            stands at the end of the year before, or at ``on`` if that is earlier.
        orientations: The steering committee's orientations for the annexed report's year.

    Raises:
        CommandRefused: The journal has no territory.
        IntegrityError: The journal's chain is broken.

    .. versionadded:: 0.1.0
    """
    check_count(year, field="year", minimum=1991, maximum=2999)
    first = date(year, 1, 1)
    on = first if on is None else check_date(on, field="on")
    report_on = min(_year_end(year - 1), on)
    history = events if isinstance(events, History) else History(events)
    annex = activity_report(history, report_on.year, on=report_on, orientations=orientations)
    start, end = history.registers_at(
        sorted((first - timedelta(days=1), max(on, first - timedelta(days=1))))
    )
    territory, name = _territory(end)
    conventions = end.conventions
    convention = convention_in_force(conventions, max(on, first)) or next(
        (c for c in conventions if c.start <= _year_end(year) and c.end > first), None
    )
    before, after = start.accounts, end.accounts
    partners = end.partners
    lines = []
    for commitment in convention.commitments if convention is not None else ():
        received = ZERO
        if commitment.partner in after:
            received = after[commitment.partner].received - (
                before[commitment.partner].received if commitment.partner in before else ZERO
            )
        company = partners.get(commitment.partner)
        lines.append(
            CallLine(
                commitment.partner,
                company.name if company is not None else commitment.partner,
                commitment.yearly_amount,
                received,
            )
        )
    call = CallForFunds(
        territory, name, year, on, convention.id if convention else None, tuple(lines), annex
    )
    steps = (
        convention_step(conventions, on=max(on, first)),
        make_step(
            MESSAGES,
            "FUND-01",
            True,
            "call.lines",
            year=str(year),
            called=call.committed,
            partners=len(lines),
            received=call.received,
            due=call.due,
        ),
        make_step(MESSAGES, "PIL-04", True, "annex.attached", year=str(annex.year)),
    )
    return attrs.evolve(call, steps=steps)
