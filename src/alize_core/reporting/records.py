"""
The records of the yearly reports (*rubriques du rapport d'activité et de l'appel de
fonds*): the key figures the network consolidates (NAT-03), the steering committee's
orientations and the comparison with them (PIL-02), the lines of sessions, projects,
arrears (SCH-06), months and skills, the activity report itself (GOV-09, PIL-03) and the
call for funds (PIL-04). :mod:`alize_core.reporting.activity` builds them from a journal.

The comparison with the orientations is a list of steps, like any decision:

>>> from decimal import Decimal
>>> figures = KeyFigures(projects_examined=5, projects_adopted=4, jobs_created=14,
...     jobs_kept=60, advances_committed=Decimal("210000.00"))
>>> orientations = Orientations(2026, commitments_ceiling=Decimal("200000.00"), jobs_target=10)
>>> for step in orientation_steps(orientations, figures):
...     print(step.passed, step.message.replace("\\xa0", " "))
False avances engagées en 2026 : 210 000,00 € pour un plafond de 200 000,00 € fixé par le comité de pilotage, dépassé de 10 000,00 €
True 14 emplois créés en 2026 pour un objectif de 10
>>> Orientations(2026, commitments_ceiling=Decimal("-1"))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: commitments_ceiling: Decimal('-1') must not be negative

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.kernel.decisions import Outcome, Step, make_step
from alize_core.kernel.money import ZERO, to_money
from alize_core.kernel.validation import (
    AMOUNT,
    SIGNED_AMOUNT,
    check_count,
    check_date,
    check_flag,
    check_id,
    check_text,
    checked,
    instance_of,
    member_of,
    optional,
    tuple_of,
)
from alize_core.programme.fund import FundPosition


__all__ = [
    "MESSAGES",
    "ActivityReport",
    "ArrearsLine",
    "CallForFunds",
    "CallLine",
    "KeyFigures",
    "MonthLine",
    "Orientations",
    "ProjectLine",
    "SessionLine",
    "SkillsLine",
    "orientation_steps",
]


MESSAGES: Final[Mapping[str, str]] = {
    "orientations.none": (
        "aucune orientation du comité de pilotage n'est enregistrée pour {year} : le rapport ne"
        " peut pas s'y comparer"
    ),
    "ceiling.respected": (
        "avances engagées en {year} : {committed} € pour un plafond de {ceiling} € fixé par le"
        " comité de pilotage, soit {share} % du plafond"
    ),
    "ceiling.exceeded": (
        "avances engagées en {year} : {committed} € pour un plafond de {ceiling} € fixé par le"
        " comité de pilotage, dépassé de {excess} €"
    ),
    "projects.reached": "{actual} projets adoptés en {year} pour un objectif de {target}",
    "projects.short": (
        "{actual} projets adoptés en {year} pour un objectif de {target} : objectif non atteint"
    ),
    "jobs.reached": "{actual} emplois créés en {year} pour un objectif de {target}",
    "jobs.short": (
        "{actual} emplois créés en {year} pour un objectif de {target} : objectif non atteint"
    ),
}
"""The French messages of the comparison with the orientations, by code."""


_QUANTITY: Final = checked(to_money, non_negative=True, decimal_only=True)
"""A Decimal quantity, zero or more (days)."""
_COUNT: Final = checked(check_count)


@attrs.frozen
class KeyFigures:
    """
    A year's key figures (*chiffres clés*): what the network consolidates (NAT-03) and
    the review compares with the year before (PIL-03).

    Attributes:
        projects_examined: Projects the committee examined (adopted or rejected).
        projects_adopted: Projects it adopted (GOV-01).
        jobs_created: Jobs the adopted projects will create (ELIG-04).
        jobs_kept: Jobs they will keep (ELIG-04).
        advances_committed: Repayable advances granted, in euros.
        subsidised_loans: Subsidised loans granted by partners, in euros (FUND-03).
        disbursed: Advances paid out, in euros.
        repaid: Repayments received, in euros (FUND-02).
        skills_days: Days of skills contributed by mentors (ACC-06).
        skills_value: Their value, in euros (ACC-06).

    .. versionadded:: 0.1.0
    """

    projects_examined: int = attrs.field(default=0, validator=_COUNT)
    projects_adopted: int = attrs.field(default=0, validator=_COUNT)
    jobs_created: int = attrs.field(default=0, validator=_COUNT)
    jobs_kept: int = attrs.field(default=0, validator=_COUNT)
    advances_committed: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    subsidised_loans: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    disbursed: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    repaid: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    skills_days: Decimal = attrs.field(default=Decimal(0), validator=_QUANTITY)
    skills_value: Decimal = attrs.field(default=ZERO, validator=AMOUNT)

    @property
    def jobs(self) -> int:
        """The jobs supported: created and kept."""
        return self.jobs_created + self.jobs_kept

    @property
    def budget(self) -> Decimal:
        """
        The budget committed (NAT-03): advances and subsidised loans granted, and the
        value of the skills contributed.
        """
        return self.advances_committed + self.subsidised_loans + self.skills_value


def _ceiling(value: object) -> Decimal | None:
    if value is None:
        return None
    return to_money(value, field="commitments_ceiling", non_negative=True, quantized=True)


@attrs.frozen
class Orientations:
    """
    What the steering committee set for a year (*orientations*, PIL-02).

    Attributes:
        year: The year they apply to.
        commitments_ceiling: The most the committee may commit in advances that year.
        projects_target: How many projects it aims to adopt.
        jobs_target: How many jobs it aims to see created.
        priorities: The year's priorities, in French (sectors, areas…).
        set_on: The date of the steering committee's meeting that set them.

    .. versionadded:: 0.1.0
    """

    year: int = attrs.field(validator=checked(check_count, minimum=1990, maximum=2999))
    commitments_ceiling: Decimal | None = attrs.field(default=None, converter=_ceiling)
    projects_target: int | None = attrs.field(default=None, validator=optional(check_count))
    jobs_target: int | None = attrs.field(default=None, validator=optional(check_count))
    priorities: tuple[str, ...] = attrs.field(default=(), validator=tuple_of(str))
    set_on: date | None = attrs.field(default=None, validator=optional(check_date))

    def __attrs_post_init__(self) -> None:
        for priority in self.priorities:
            check_text(priority, field="priorities")


def orientation_steps(orientations: Orientations | None, figures: KeyFigures) -> tuple[Step, ...]:
    """
    PIL-02: the year's figures against the steering committee's orientations.

    A ceiling of commitments exceeded is a failed step; a target not reached passes
    with a warning (the committee does not adopt projects to meet a number).

    Args:
        orientations: What the steering committee set, or ``None`` when nothing was.
        figures: The year's key figures.

    .. versionadded:: 0.1.0
    """
    if orientations is None:
        return (make_step(MESSAGES, "PIL-02", True, "orientations.none", warning=True, year="—"),)
    year = str(orientations.year)
    steps = []
    ceiling = orientations.commitments_ceiling
    committed = figures.advances_committed
    if ceiling is not None:
        if committed <= ceiling:
            share = (committed * 100 / ceiling).quantize(Decimal(1)) if ceiling else Decimal(0)
            steps.append(
                make_step(
                    MESSAGES,
                    "PIL-02",
                    True,
                    "ceiling.respected",
                    year=year,
                    committed=committed,
                    ceiling=ceiling,
                    share=share,
                )
            )
        else:
            steps.append(
                make_step(
                    MESSAGES,
                    "PIL-02",
                    False,
                    "ceiling.exceeded",
                    year=year,
                    committed=committed,
                    ceiling=ceiling,
                    excess=committed - ceiling,
                )
            )
    for code, target, actual in (
        ("projects", orientations.projects_target, figures.projects_adopted),
        ("jobs", orientations.jobs_target, figures.jobs_created),
    ):
        if target is not None:
            reached = actual >= target
            steps.append(
                make_step(
                    MESSAGES,
                    "PIL-02",
                    True,
                    f"{code}.reached" if reached else f"{code}.short",
                    warning=not reached,
                    year=year,
                    actual=actual,
                    target=target,
                )
            )
    return tuple(steps)


@attrs.frozen
class SessionLine:
    """
    A session of the approval committee held in the year (*séance*).

    Attributes:
        id: The session's id.
        on: Its date.
        valid: Whether it was validly held (GOV-04…06); ``None`` if not closed.
        examined: Projects examined there.
        adopted: Projects adopted there.
        rejected: Projects rejected there.
        not_examined: Projects on its agenda it did not examine (OP-03, or invalid session).

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    valid: bool | None = attrs.field(validator=optional(check_flag))
    examined: int = attrs.field(default=0, validator=_COUNT)
    adopted: int = attrs.field(default=0, validator=_COUNT)
    rejected: int = attrs.field(default=0, validator=_COUNT)
    not_examined: int = attrs.field(default=0, validator=_COUNT)


@attrs.frozen
class ProjectLine:
    """
    A project decided in the year, with the means granted (GOV-01, GOV-10).

    Attributes:
        project: The project's id.
        title: What the project is.
        sme: The SME's SIREN.
        sme_name: The SME's name.
        decided_on: The date of the decision.
        outcome: Adopted, rejected or not examined.
        advance: The repayable advance granted.
        subsidised_loan: The partner's subsidised loan granted (FUND-03).
        mentor_days: Days a year of skills contribution granted (ACC-02).
        jobs_created: Jobs it will create (ELIG-04).
        jobs_kept: Jobs it will keep (ELIG-04).

    .. versionadded:: 0.1.0
    """

    project: str = attrs.field(validator=checked(check_id))
    title: str = attrs.field(validator=checked(check_text))
    sme: str = attrs.field(validator=checked(check_id))
    sme_name: str = attrs.field(validator=checked(check_text))
    decided_on: date = attrs.field(validator=checked(check_date))
    outcome: Outcome = attrs.field(validator=member_of(Outcome))
    advance: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    subsidised_loan: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    mentor_days: int = attrs.field(default=0, validator=_COUNT)
    jobs_created: int = attrs.field(default=0, validator=_COUNT)
    jobs_kept: int = attrs.field(default=0, validator=_COUNT)


@attrs.frozen
class ArrearsLine:
    """
    The advances in one bucket of arrears at the report's date (SCH-06).

    Attributes:
        bucket: The bucket, in French (``"1–30 jours"``…).
        advances: How many advances are in it.
        amount: What is due and unpaid on them.
        outstanding: Everything they still owe, due or not.

    .. versionadded:: 0.1.0
    """

    bucket: str = attrs.field(validator=checked(check_text))
    advances: int = attrs.field(default=0, validator=_COUNT)
    amount: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    outstanding: Decimal = attrs.field(default=ZERO, validator=AMOUNT)


@attrs.frozen
class MonthLine:
    """
    One month of the year: its flows and the fund at its end (for the charts).

    Attributes:
        month: The month, 1 to 12.
        committed: Advances committed during the month.
        disbursed: Advances paid out during the month.
        repaid: Repayments received during the month.
        cash: The fund's cash at the month's end.
        outstanding: The advances outstanding at the month's end.

    .. versionadded:: 0.1.0
    """

    month: int = attrs.field(validator=checked(check_count, minimum=1, maximum=12))
    committed: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    disbursed: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    repaid: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    cash: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)
    outstanding: Decimal = attrs.field(default=ZERO, validator=SIGNED_AMOUNT)


@attrs.frozen
class SkillsLine:
    """
    The skills contributed by one partner company in the year (ACC-02, ACC-06).

    Attributes:
        partner: The partner company's id.
        partner_name: Its name.
        missions: Missions and other forms of support it holds.
        meetings: Meetings of those missions held in the year (ACC-04).
        days: Days its staff gave (GOV-08).
        value: Their value (ACC-06).

    .. versionadded:: 0.1.0
    """

    partner: str = attrs.field(validator=checked(check_id))
    partner_name: str = attrs.field(validator=checked(check_text))
    missions: int = attrs.field(default=0, validator=_COUNT)
    meetings: int = attrs.field(default=0, validator=_COUNT)
    days: Decimal = attrs.field(default=Decimal(0), validator=_QUANTITY)
    value: Decimal = attrs.field(default=ZERO, validator=AMOUNT)


@attrs.frozen
class ActivityReport:
    """
    The approval committee's yearly report to the steering committee
    (*rapport d'activité*, GOV-09, PIL-03).

    Attributes:
        territory: The territory's id.
        territory_name: Its name.
        year: The year reported on.
        on: The date the figures stand at (the year's last day, or earlier).
        sessions: The sessions held in the year.
        projects: The projects decided in the year.
        figures: The year's key figures.
        previous: The key figures of the year before, for the review.
        written_off: Advances written off in the year (FUND-02).
        recovered: Recovered after a write-off in the year.
        defaults: Advances declared in default in the year (SCH-06).
        contributions_received: Partners' contributions received in the year (FUND-01).
        fees: Fees paid from the fund in the year.
        arrears: The advances in arrears at :attr:`on`, by bucket (SCH-06).
        skills: The skills contributed, by partner (ACC-06).
        missions: Missions and other forms of support running in the year (ACC-05).
        meetings: Their meetings in the year (ACC-04).
        fund_start: The fund at the start of the year (FUND-05).
        fund_end: The fund at :attr:`on` (FUND-05).
        months: Each month's flows and position, for the charts.
        orientations: What the steering committee set for the year (PIL-02).
        steps: The comparisons and checks, each citing its rule.

    .. versionadded:: 0.1.0
    """

    territory: str = attrs.field(validator=checked(check_id))
    territory_name: str = attrs.field(validator=checked(check_text))
    year: int = attrs.field(validator=checked(check_count, minimum=1990, maximum=2999))
    on: date = attrs.field(validator=checked(check_date))
    sessions: tuple[SessionLine, ...] = attrs.field(validator=tuple_of(SessionLine))
    projects: tuple[ProjectLine, ...] = attrs.field(validator=tuple_of(ProjectLine))
    figures: KeyFigures = attrs.field(validator=instance_of(KeyFigures))
    previous: KeyFigures = attrs.field(validator=instance_of(KeyFigures))
    written_off: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    recovered: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    defaults: int = attrs.field(default=0, validator=_COUNT)
    contributions_received: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    fees: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    arrears: tuple[ArrearsLine, ...] = attrs.field(default=(), validator=tuple_of(ArrearsLine))
    skills: tuple[SkillsLine, ...] = attrs.field(default=(), validator=tuple_of(SkillsLine))
    missions: int = attrs.field(default=0, validator=_COUNT)
    meetings: int = attrs.field(default=0, validator=_COUNT)
    fund_start: FundPosition = attrs.field(
        factory=FundPosition, validator=instance_of(FundPosition)
    )
    fund_end: FundPosition = attrs.field(factory=FundPosition, validator=instance_of(FundPosition))
    months: tuple[MonthLine, ...] = attrs.field(default=(), validator=tuple_of(MonthLine))
    orientations: Orientations | None = attrs.field(
        default=None, validator=attrs.validators.optional(instance_of(Orientations))
    )
    steps: tuple[Step, ...] = attrs.field(default=(), validator=tuple_of(Step))

    @property
    def sessions_valid(self) -> int:
        """The sessions validly held."""
        return sum(1 for s in self.sessions if s.valid)

    @property
    def projects_rejected(self) -> int:
        """The projects rejected in the year."""
        return sum(1 for p in self.projects if p.outcome is Outcome.REJECTED)

    @property
    def in_arrears(self) -> Decimal:
        """Everything due and unpaid at :attr:`on`, all buckets together."""
        return sum((line.amount for line in self.arrears), ZERO)

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule ids the report's steps apply, each once, in order."""
        return tuple(dict.fromkeys(step.rule for step in self.steps))


@attrs.frozen
class CallLine:
    """
    One partner's line of the call for funds (FUND-01, CONV-01).

    Attributes:
        partner: The partner company's id.
        partner_name: Its name.
        committed: Its yearly financial commitment under the convention in force.
        received: What it paid for the year so far.

    .. versionadded:: 0.1.0
    """

    partner: str = attrs.field(validator=checked(check_id))
    partner_name: str = attrs.field(validator=checked(check_text))
    committed: Decimal = attrs.field(default=ZERO, validator=AMOUNT)
    received: Decimal = attrs.field(default=ZERO, validator=AMOUNT)

    @property
    def due(self) -> Decimal:
        """What it still owes for the year (never below zero)."""
        return max(self.committed - self.received, ZERO)

    @property
    def beyond(self) -> Decimal:
        """What it paid beyond its commitment for the year."""
        return max(self.received - self.committed, ZERO)


@attrs.frozen
class CallForFunds:
    """
    The yearly call to the partners for their committed contributions (*appel de fonds*,
    PIL-04), with the activity report annexed.

    Attributes:
        territory: The territory's id.
        territory_name: Its name.
        year: The year whose contributions are called.
        on: The date of the call.
        convention: The id of the triennial convention in force (CONV-01), if any.
        lines: Each partner's commitment, what it paid and what it owes.
        annex: The activity report annexed (PIL-04).
        steps: The checks behind the call, each citing its rule.

    .. versionadded:: 0.1.0
    """

    territory: str = attrs.field(validator=checked(check_id))
    territory_name: str = attrs.field(validator=checked(check_text))
    year: int = attrs.field(validator=checked(check_count, minimum=1990, maximum=2999))
    on: date = attrs.field(validator=checked(check_date))
    convention: str | None = attrs.field(validator=optional(check_id))
    lines: tuple[CallLine, ...] = attrs.field(validator=tuple_of(CallLine))
    annex: ActivityReport = attrs.field(validator=instance_of(ActivityReport))
    steps: tuple[Step, ...] = attrs.field(default=(), validator=tuple_of(Step))

    @property
    def committed(self) -> Decimal:
        """The partners' commitments for the year."""
        return sum((line.committed for line in self.lines), ZERO)

    @property
    def received(self) -> Decimal:
        """What they paid for the year so far."""
        return sum((line.received for line in self.lines), ZERO)

    @property
    def due(self) -> Decimal:
        """What they still owe for the year."""
        return sum((line.due for line in self.lines), ZERO)
