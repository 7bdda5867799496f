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

import bisect
import itertools
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Final

import attrs

from alize_core.journal.chain import Event
from alize_core.journal.codec import SEPARATOR, StoredEvent
from alize_core.kernel.decisions import Outcome, Step, make_step
from alize_core.kernel.errors import CommandRefused, IntegrityError, InvalidValue
from alize_core.kernel.money import ZERO, to_money
from alize_core.kernel.settings import Settings, SettingVersion
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
from alize_core.lending.life import ArrearsBucket
from alize_core.programme.accompaniment import TimeEntry, value_time
from alize_core.programme.conventions import convention_in_force, convention_step
from alize_core.programme.fund import FundPosition, balance_steps
from alize_core.register.records import AdvanceRecord, AdvanceStatus, ProjectRecord
from alize_core.register.replay import Replay, replay
from alize_core.register.views import Register


__all__ = [
    "MESSAGES",
    "ActivityReport",
    "ArrearsLine",
    "CallForFunds",
    "CallLine",
    "History",
    "KeyFigures",
    "MonthLine",
    "Orientations",
    "ProjectLine",
    "SessionLine",
    "SkillsLine",
    "activity_report",
    "call_for_funds",
    "orientation_steps",
    "registers_at",
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


# --- Building the reports from the journal. -----------------------------------------------


def _dates_in_order(dates: Sequence[date]) -> None:
    if any(later < earlier for earlier, later in itertools.pairwise(dates)):
        raise InvalidValue("dates", tuple(dates), "must be in order")


class History:
    """
    A territory's journal replayed once for many dates (*historique du registre*).

    A year's activity report reads the register at fourteen dates (each month's end, the
    end of the year before and of the one before that); ten years of reports given the
    events would replay the journal from its first event for each of them. A history
    replays it forward once instead: each register continues from the nearest one it
    kept before it. Every report takes a history wherever it takes a journal. It keeps
    the year ends and the :attr:`KEPT` latest other dates, so reports are best asked for
    year after year.

    It is built from :class:`~alize_core.journal.chain.Event` s, or straight from a store's
    rows (``(id, body, digest)``), whose payloads it never decodes beyond what the fold
    reads.

    >>> history = History([])
    >>> history.registers_at([date(2026, 12, 31)])[0].version
    0
    >>> history.registers_at([date(2026, 12, 31), date(2026, 1, 1)])
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: dates: (datetime.date(2026, 12, 31), datetime.date(2026, 1, 1)) must be in order

    .. versionadded:: 0.1.0
    """

    KEPT: Final = 16
    """How many registers at dates other than a year's end are kept."""

    def __init__(self, journal: Iterable[Event | StoredEvent]) -> None:
        """
        Raises:
            IntegrityError: A row is not an event alize writes.
            InvalidValue: The journal's events are not in date order.
        """
        self._rows = [item.row() if isinstance(item, Event) else item for item in journal]
        days: list[str] = []
        for position, body, _ in self._rows:
            parts = body.split(SEPARATOR, 5)
            try:
                if len(parts) != 6 or not parts[0].isdigit():
                    raise ValueError(position)
                day = parts[2].decode()
            except (ValueError, UnicodeDecodeError):
                msg = f"event {position} is not an event alize writes"
                raise IntegrityError(msg, field="journal", value=position) from None
            if days and day < days[-1]:
                msg = (
                    "is dated before the event before it: a journal keeps its events in date order"
                )
                raise InvalidValue("events", position, msg)
            days.append(day)
        self._days = days
        self._kept: dict[date, Register] = {}
        self._funds: dict[date, FundPosition] = {}
        self._replay: Replay | None = None
        self._at: date | None = None

    def registers_at(self, dates: Sequence[date]) -> tuple[Register, ...]:
        """
        The register at the end of each date.

        Raises:
            InvalidValue: The dates are not in order.
            IntegrityError: The journal's chain is broken.
        """
        _dates_in_order(dates)
        return tuple(self._kept.get(on) or self._register_at(on) for on in dates)

    def funds_at(self, dates: Sequence[date]) -> tuple[FundPosition, ...]:
        """
        The fund at the end of each date (FUND-05), without building the registers.

        >>> History([]).funds_at([date(2026, 1, 31), date(2026, 2, 28)])[1].cash
        Decimal('0.00')

        Raises:
            InvalidValue: The dates are not in order.
            IntegrityError: The journal's chain is broken.
        """
        _dates_in_order(dates)
        return tuple(self._fund_at(on) for on in dates)

    def _fund_at(self, on: date) -> FundPosition:
        noted = self._funds.get(on)
        if noted is not None:
            return noted
        kept = self._kept.get(on) or self._unchanged_since_kept(on)
        return kept.fund if kept is not None else self._replay_to(on).fund()

    def _unchanged_since_kept(self, on: date) -> Register | None:
        """A register kept at an earlier date with no event after it up to ``on``."""
        upto = self._upto(on)
        earlier = [day for day in self._kept if day <= on]
        if earlier and self._kept[max(earlier)].version == upto:
            return self._kept[max(earlier)]
        return None

    def _replay_to(self, on: date) -> Replay:
        """
        The replay moved forward to the end of ``on`` (started again from the nearest
        register kept if it went past it). On the way it notes the fund at each month's
        end and keeps the register at each year's end, so that later reports, in any
        order, read them instead of replaying again.
        """
        upto = self._upto(on)
        replaying = self._replay
        if replaying is None or replaying.version > upto:
            earlier = [day for day in self._kept if day <= on]
            start = max(earlier) if earlier else None
            replaying = Replay(self._kept[start] if start is not None else None)
            self._replay, self._at = replaying, start
        month = self._at if self._at is not None else self._first_day()
        while month is not None and replaying.version < len(self._rows):
            month = _month_end(month)
            if month > on:
                break
            replaying.fold(self._rows[replaying.version : self._upto(month)])
            self._funds.setdefault(month, replaying.fund())
            if (month.month, month.day) == (12, 31) and month not in self._kept:
                self._kept[month] = replaying.register()
            if replaying.version == len(self._rows) or month == date.max:
                break  # the journal's end: nothing changes any more
            month += timedelta(days=1)
        replaying.fold(self._rows[replaying.version : upto])
        self._at = on if self._at is None else max(self._at, on)
        return replaying

    def _first_day(self) -> date | None:
        return date.fromisoformat(self._days[0]) if self._days else None

    def _upto(self, on: date) -> int:
        return bisect.bisect_right(self._days, on.isoformat())

    def _register_at(self, on: date) -> Register:
        register = self._unchanged_since_kept(on)
        if register is None:
            replaying = self._replay_to(on)
            # A register kept at another date after as many events is the same register.
            same = [r for r in self._kept.values() if r.version == replaying.version]
            register = same[0] if same else replaying.register()
        self._kept[on] = register
        others = sorted(day for day in self._kept if (day.month, day.day) != (12, 31))
        for day in others[: max(len(others) - self.KEPT, 0)]:
            del self._kept[day]
        return register


def _month_end(on: date) -> date:
    if on.month == 12:
        return date(on.year, 12, 31)
    return date(on.year, on.month + 1, 1) - timedelta(days=1)


def registers_at(events: Sequence[Event] | History, dates: Sequence[date]) -> tuple[Register, ...]:
    """
    The register at the end of each date, replaying the journal once.

    The journal keeps its events in date order, so each register continues from the one
    before it.

    Args:
        events: The journal, in order, or its :class:`History`.
        dates: The dates, in order.

    Raises:
        InvalidValue: The dates, or the journal's events, are not in date order.
        IntegrityError: The journal's chain is broken.

    .. versionadded:: 0.1.0
    """
    if isinstance(events, History):
        return events.registers_at(dates)
    _dates_in_order(dates)
    ons = [event.on for event in events]
    for before, after in itertools.pairwise(events):
        if after.on < before.on:
            msg = f"is dated before event {before.id}: a journal keeps its events in date order"
            raise InvalidValue("events", after.id, msg)
    registers = []
    register = Register.empty()
    done = 0
    for on in dates:
        upto = bisect.bisect_right(ons, on)
        if upto > done:
            register = replay((event.row() for event in events[done:upto]), start=register)
            done = upto
        registers.append(register)
    return tuple(registers)


def _year_end(year: int) -> date:
    return date(year, 12, 31)


def _territory(register: Register) -> tuple[str, str]:
    record = register.territory
    if record is None:
        raise CommandRefused(
            "the register has no territory: there is nothing to report on", field="territory"
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
        sme = register.sme(project.sme)
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


def _record(register: Register, project: str) -> ProjectRecord | None:
    try:
        return register.project(project)
    except CommandRefused:
        return None


def _session_lines(register: Register, start: date, end: date) -> tuple[SessionLine, ...]:
    lines = []
    for session in register.sessions_held(start, end):
        counts = {Outcome.ADOPTED: 0, Outcome.REJECTED: 0, Outcome.NOT_EXAMINED: 0}
        if session.closed:
            for entry in session.agenda:
                record = _record(register, entry.project)
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
