"""
The network's figures: each territory's contribution to the network head, and the
national consolidation (*contribution à la tête de réseau*, *consolidation nationale*).

Each territory pays the network head a contribution in return for its services
(NAT-02). Its amount, or the formula that gives it, is set in the territory's
triennial convention: here a :class:`NetworkContributionTerms` with a fixed sum
a year, an amount per project adopted in the year and a share of the advances
committed in the year, any of which may be zero. :func:`network_contribution`
applies it to the year's activity report and explains every term of the sum;
the share is rounded to the cent by the territory's ``rounding`` setting
(SCH-01).

The network consolidates the territories' results (NAT-03): territories,
projects supported, jobs supported, the budget committed (advances, partners'
subsidised loans and the value of the skills contributed) and, of that budget,
the value of skills and its share. :func:`consolidate` adds up the key figures
of the territories' reports for one year.

>>> from datetime import date
>>> from decimal import Decimal
>>> from alize_core.reporting.records import KeyFigures
>>> from alize_core.kernel.settings import Settings
>>> terms = NetworkContributionTerms("CT-2026", fixed=Decimal("2000.00"),
...     per_project=Decimal("150.00"), share_of_commitments=Decimal("0.005"))
>>> figures = KeyFigures(projects_adopted=4, advances_committed=Decimal("123456.78"))
>>> due = contribution_due(terms, figures, year=2026, territory="T1", settings=Settings.national())
>>> due.total
Decimal('3217.28')
>>> print(due.explain().replace("\\xa0", " "))
Contribution 2026 du territoire T1 à la tête de réseau : 3 217,28 €
  ✓ somme forfaitaire fixée par la convention CT-2026 : 2 000,00 € (NAT-02)
  ✓ 4 projet(s) adopté(s) en 2026 × 150,00 € = 600,00 € (NAT-02)
  ✓ 0,5 % des 123 456,78 € d'avances engagées en 2026 = 617,28 €, arrondi au centime (half_up) (NAT-02)
>>> NetworkContributionTerms("CT-2026", share_of_commitments=Decimal("5"))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: share_of_commitments: Decimal('5') is 100 % or more: write rates as fractions (0.02 = 2 %)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

import attrs

from alize_core.kernel.decisions import Step, format_step, french, make_step
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import ZERO, quantize, to_money, to_rate
from alize_core.kernel.settings import ROUNDING, Settings
from alize_core.kernel.validation import (
    AMOUNT,
    check_count,
    check_id,
    check_text,
    checked,
    instance_of,
    tuple_of,
)
from alize_core.reporting.records import ActivityReport, KeyFigures


__all__ = [
    "MESSAGES",
    "NationalConsolidation",
    "NetworkContribution",
    "NetworkContributionTerms",
    "TerritoryResults",
    "add_figures",
    "consolidate",
    "contribution_due",
    "network_contribution",
]

MESSAGES: Final[Mapping[str, str]] = {
    "network.fixed": "somme forfaitaire fixée par la convention {convention} : {amount} €",
    "network.per_project": ("{count} projet(s) adopté(s) en {year} × {rate} € = {amount} €"),
    "network.share": (
        "{percent} % des {committed} € d'avances engagées en {year} = {amount} €, arrondi au"
        " centime ({rounding})"
    ),
    "network.nothing": (
        "la convention {convention} ne prévoit aucune contribution à la tête de réseau"
    ),
    "consolidation.territories": (
        "{count} territoire(s) consolidé(s) : {projects} projet(s) soutenu(s), {jobs} emploi(s)"
        " accompagné(s)"
    ),
    "consolidation.budget": (
        "budget engagé {budget} €, dont {skills} € d'apport en compétences valorisé, soit {share} %"
    ),
}


def _share(value: object) -> Decimal:
    return to_rate(value, field="share_of_commitments")


def _fixed(value: object) -> Decimal:
    return to_money(value, field="fixed", non_negative=True, quantized=True)


def _per_project(value: object) -> Decimal:
    return to_money(value, field="per_project", non_negative=True, quantized=True)


@attrs.frozen
class NetworkContributionTerms:
    """
    The formula of a territory's contribution to the network head, as its triennial
    convention sets it (*contribution à la tête de réseau*, NAT-02).

    Attributes:
        convention: The id of the triennial convention that sets it (CONV-01).
        fixed: A fixed sum a year, in euros.
        per_project: An amount per project adopted in the year, in euros.
        share_of_commitments: A share of the advances committed in the year, as a fraction
            (``0.005`` is 0.5 %).
        section: The article of the convention that sets it.

    .. versionadded:: 0.1.0
    """

    convention: str = attrs.field(validator=checked(check_id))
    fixed: Decimal = attrs.field(default=ZERO, converter=_fixed)
    per_project: Decimal = attrs.field(default=ZERO, converter=_per_project)
    share_of_commitments: Decimal = attrs.field(default=Decimal(0), converter=_share)
    section: str = attrs.field(
        default="Contribution à la tête de réseau", validator=checked(check_text)
    )


@attrs.frozen
class NetworkContribution:
    """
    What a territory owes the network head for a year, and why (NAT-02).

    Attributes:
        territory: The territory's id.
        year: The year.
        terms: The formula applied.
        projects_adopted: The projects adopted in the year.
        advances_committed: The advances committed in the year.
        fixed: The fixed sum.
        for_projects: The amount for the projects adopted.
        for_commitments: The share of the commitments, rounded to the cent.
        steps: Each term of the sum, explained.

    .. versionadded:: 0.1.0
    """

    territory: str = attrs.field(validator=checked(check_id))
    year: int = attrs.field(validator=checked(check_count, minimum=1990, maximum=2999))
    terms: NetworkContributionTerms = attrs.field(validator=instance_of(NetworkContributionTerms))
    projects_adopted: int = attrs.field(validator=checked(check_count))
    advances_committed: Decimal = attrs.field(validator=AMOUNT)
    fixed: Decimal = attrs.field(validator=AMOUNT)
    for_projects: Decimal = attrs.field(validator=AMOUNT)
    for_commitments: Decimal = attrs.field(validator=AMOUNT)
    steps: tuple[Step, ...] = attrs.field(validator=tuple_of(Step))

    @property
    def total(self) -> Decimal:
        """The contribution due for the year."""
        return self.fixed + self.for_projects + self.for_commitments

    def explain(self) -> str:
        """The contribution and each of its terms, in French."""
        lines = [
            f"Contribution {self.year} du territoire {self.territory} à la tête de réseau :"
            f" {french(self.total)}\xa0€"
        ]
        lines += [format_step(s) for s in self.steps]
        return "\n".join(lines)


def _percent(share: Decimal) -> Decimal:
    value = (share * 100).normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def contribution_due(
    terms: NetworkContributionTerms,
    figures: KeyFigures,
    *,
    year: int,
    territory: str,
    settings: Settings,
) -> NetworkContribution:
    """
    The contribution due for a year from the year's key figures (NAT-02).

    Args:
        terms: The formula set by the convention.
        figures: The year's key figures (projects adopted, advances committed).
        year: The year.
        territory: The territory's id (for its rounding setting).
        settings: The settings in force.

    .. versionadded:: 0.1.0
    """
    rounding, rounding_version = settings.lookup(
        ROUNDING, on=date(year, 12, 31), territory=territory
    )
    for_projects = terms.per_project * figures.projects_adopted
    for_commitments = quantize(figures.advances_committed * terms.share_of_commitments, rounding)
    steps: list[Step] = []
    if terms.fixed:
        steps.append(
            make_step(
                MESSAGES,
                "NAT-02",
                True,
                "network.fixed",
                convention=terms.convention,
                amount=terms.fixed,
            )
        )
    if terms.per_project:
        steps.append(
            make_step(
                MESSAGES,
                "NAT-02",
                True,
                "network.per_project",
                count=figures.projects_adopted,
                year=str(year),
                rate=terms.per_project,
                amount=for_projects,
            )
        )
    if terms.share_of_commitments:
        steps.append(
            make_step(
                MESSAGES,
                "NAT-02",
                True,
                "network.share",
                settings_used=(rounding_version,),
                percent=_percent(terms.share_of_commitments),
                committed=figures.advances_committed,
                year=str(year),
                amount=for_commitments,
                rounding=rounding.value,
            )
        )
    if not steps:
        steps.append(
            make_step(MESSAGES, "NAT-02", True, "network.nothing", convention=terms.convention)
        )
    return NetworkContribution(
        territory,
        year,
        terms,
        figures.projects_adopted,
        figures.advances_committed,
        terms.fixed,
        for_projects,
        for_commitments,
        tuple(steps),
    )


def network_contribution(
    report: ActivityReport, terms: NetworkContributionTerms, *, settings: Settings
) -> NetworkContribution:
    """
    The contribution a territory owes the network head for the year of its activity report.

    .. versionadded:: 0.1.0
    """
    return contribution_due(
        terms, report.figures, year=report.year, territory=report.territory, settings=settings
    )


def add_figures(figures: Iterable[KeyFigures]) -> KeyFigures:
    """
    The sum of several key figures, field by field.

    >>> from decimal import Decimal
    >>> add_figures([KeyFigures(projects_adopted=2, skills_value=Decimal("700.00")),
    ...              KeyFigures(projects_adopted=1)]).projects_adopted
    3

    .. versionadded:: 0.1.0
    """
    total = KeyFigures()
    for item in figures:
        total = KeyFigures(
            **{
                field.name: getattr(total, field.name) + getattr(item, field.name)
                for field in attrs.fields(KeyFigures)
            }
        )
    return total


@attrs.frozen
class TerritoryResults:
    """
    One territory's results as the network consolidates them (NAT-03).

    Attributes:
        territory: The territory's id.
        territory_name: Its name.
        figures: Its key figures for the period.

    .. versionadded:: 0.1.0
    """

    territory: str = attrs.field(validator=checked(check_id))
    territory_name: str = attrs.field(validator=checked(check_text))
    figures: KeyFigures = attrs.field(validator=instance_of(KeyFigures))

    @classmethod
    def from_report(cls, report: ActivityReport) -> TerritoryResults:
        """A territory's results for the year of its activity report."""
        return cls(report.territory, report.territory_name, report.figures)


def _check_territories(value: object, *, field: str) -> None:
    tuple_of(TerritoryResults)(None, attrs.fields(NationalConsolidation).territories, value)
    assert isinstance(value, tuple)
    seen: set[str] = set()
    for item in value:
        if item.territory in seen:
            raise InvalidValue(field, item.territory, "appears twice: one line per territory")
        seen.add(item.territory)


@attrs.frozen
class NationalConsolidation:
    """
    The programme's results across its territories (*consolidation nationale*, NAT-03).

    Attributes:
        period: What the figures cover, in French (``"2026"``, ``"1998–2026"``).
        territories: Each territory's results, one line each.
        steps: The consolidated totals, explained.

    .. versionadded:: 0.1.0
    """

    period: str = attrs.field(validator=checked(check_text))
    territories: tuple[TerritoryResults, ...] = attrs.field(validator=checked(_check_territories))
    steps: tuple[Step, ...] = attrs.field(default=(), validator=tuple_of(Step))

    @property
    def totals(self) -> KeyFigures:
        """The programme's key figures: every territory's added up."""
        return add_figures(t.figures for t in self.territories)

    @property
    def skills_share(self) -> Decimal:
        """The share of the budget that is skills contributed, in percent to one decimal."""
        totals = self.totals
        if not totals.budget:
            return Decimal("0.0")
        return (totals.skills_value * 100 / totals.budget).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )


def consolidate(
    results: Iterable[TerritoryResults | ActivityReport], *, period: str | None = None
) -> NationalConsolidation:
    """
    The network's consolidation of its territories' results (NAT-03).

    Args:
        results: Each territory's results, or its activity report for the year.
        period: What the figures cover (default: the reports' year).

    Raises:
        InvalidValue: A territory appears twice, the reports are of different years, or
            no period is given for results that are not reports.

    .. versionadded:: 0.1.0
    """
    lines: list[TerritoryResults] = []
    years: set[int] = set()
    for item in results:
        if isinstance(item, ActivityReport):
            years.add(item.year)
            lines.append(TerritoryResults.from_report(item))
        elif isinstance(item, TerritoryResults):
            lines.append(item)
        else:
            raise InvalidValue("results", item, "must be a territory's results or report")
    if len(years) > 1:
        msg = "are reports of different years: consolidate one year at a time"
        raise InvalidValue("results", sorted(years), msg)
    if period is None:
        if not years:
            raise InvalidValue("period", period, "must say what the figures cover")
        period = str(years.pop())
    consolidation = NationalConsolidation(period, tuple(lines))
    totals = consolidation.totals
    steps = (
        make_step(
            MESSAGES,
            "NAT-03",
            True,
            "consolidation.territories",
            count=len(lines),
            projects=totals.projects_adopted,
            jobs=totals.jobs,
        ),
        make_step(
            MESSAGES,
            "NAT-03",
            True,
            "consolidation.budget",
            budget=totals.budget,
            skills=totals.skills_value,
            share=consolidation.skills_share,
        ),
    )
    return attrs.evolve(consolidation, steps=steps)
