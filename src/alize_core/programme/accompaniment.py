"""
Accompaniment (*accompagnement*): mentors lent by partner companies, their missions,
meetings and time, and what that time is worth.

- ACC-01: a mentor (*intervenant*) is an executive or a technician employed by a partner
  company;
- ACC-02: the approval committee sets each skills contribution: which partner, how many
  days a year, on what precise problem;
- ACC-03: a mandate is "a few days a year": above a yearly cap (setting
  ``mentor_days_cap``, 10 by default) alize warns;
- ACC-04: a mission's meetings are logged and counted;
- ACC-05: other forms of support (training, skills transfer, comparative visits) are
  recorded like missions;
- ACC-06: the time contributed is valued at a daily rate per category (settings
  ``daily_rate_executive`` and ``daily_rate_technician``) and counted in the programme's
  budget;
- GOV-08: members record their time: who, which project, when, how long.

>>> from decimal import Decimal
>>> from alize_core.kernel.settings import Settings
>>> entries = (
...     TimeEntry("M1", "P1", date(2026, 4, 2), Decimal("1.5"), MentorCategory.EXECUTIVE),
...     TimeEntry("M2", "P1", date(2026, 4, 9), Decimal("2"), MentorCategory.TECHNICIAN),
... )
>>> valuation = value_time(entries, territory="T1", settings=Settings.national())
>>> valuation.total_days, valuation.total_value
(Decimal('3.5'), Decimal('1950.00'))
>>> cap_step(12, on=date(2026, 4, 1), territory="T1", settings=Settings.national()).warning
True
>>> TimeEntry("M1", "P1", date(2026, 4, 2), Decimal("0"), MentorCategory.EXECUTIVE)
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: days: Decimal('0') must be more than zero days

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.kernel.decisions import Step, make_step
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import ZERO, quantize, to_money
from alize_core.kernel.settings import (
    DAILY_RATE_EXECUTIVE,
    DAILY_RATE_TECHNICIAN,
    MENTOR_DAYS_CAP,
    Setting,
    Settings,
    SettingVersion,
)
from alize_core.kernel.validation import (
    check_count,
    check_date,
    check_id,
    check_text,
    checked,
    member_of,
)


__all__ = [
    "MESSAGES",
    "MentorCategory",
    "Mission",
    "SupportKind",
    "TimeEntry",
    "Valuation",
    "ValuedCategory",
    "cap_step",
    "check_days",
    "days_step",
    "mentor_step",
    "value_time",
]

MESSAGES: Final[Mapping[str, str]] = {
    "mentor.employed": "intervenant {mentor}, {category} salarié de l'entreprise partenaire {partner}",
    "mentor.not_employed": (
        "{mentor} n'est pas un cadre ou un technicien salarié de l'entreprise partenaire {partner}"
    ),
    "days.granted": (
        "{days} jour(s) par an sur ce projet, dans la limite des {granted} jour(s) fixés par le"
        " comité d'agrément"
    ),
    "days.beyond_grant": (
        "{days} jour(s) par an sur ce projet, au-delà des {granted} jour(s) fixés par le comité"
        " d'agrément"
    ),
    "days.within_cap": "mandat de {days} jour(s) par an, dans la limite de {cap} jours",
    "days.above_cap": (
        "mandat de {days} jours par an, au-delà de {cap} jours : ce n'est plus « quelques jours"
        " par an »"
    ),
}
"""The French messages of the accompaniment steps, by stable code."""


class SupportKind(enum.StrEnum):
    """The form a skills contribution takes (ACC-05)."""

    MISSION = "mission"
    """A mentor's mandate on a precise problem (*mandatement*)."""
    TRAINING = "training"
    """Training (*formation*)."""
    SKILLS_TRANSFER = "skills_transfer"
    """Transfer of skills (*transfert de compétences*)."""
    VISIT = "visit"
    """Comparative visits to other partner companies (*visites comparatives*)."""

    @property
    def french(self) -> str:
        """The form of support in French."""
        return _SUPPORT_FRENCH[self]


_SUPPORT_FRENCH: Final = {
    SupportKind.MISSION: "mission",
    SupportKind.TRAINING: "formation",
    SupportKind.SKILLS_TRANSFER: "transfert de compétences",
    SupportKind.VISIT: "visite comparative",
}


class MentorCategory(enum.StrEnum):
    """The category of a mentor, which sets the daily rate of their time (ACC-01, ACC-06)."""

    EXECUTIVE = "executive"
    """An executive (*cadre*)."""
    TECHNICIAN = "technician"
    """A technician (*technicien*)."""

    @property
    def french(self) -> str:
        """The category in French."""
        return "cadre" if self is MentorCategory.EXECUTIVE else "technicien"

    @property
    def rate_setting(self) -> Setting[Decimal]:
        """The setting holding this category's daily rate (ACC-06)."""
        if self is MentorCategory.EXECUTIVE:
            return DAILY_RATE_EXECUTIVE
        return DAILY_RATE_TECHNICIAN


def check_days(value: object, *, field: str) -> Decimal:
    """
    A duration in days, more than zero, in hundredths of a day at most (GOV-08).

    .. versionadded:: 0.1.0
    """
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal):
        raise InvalidValue(field, value, "must be a number of days, e.g. Decimal('0.5')")
    days = to_money(value, field=field)
    if days <= 0:
        raise InvalidValue(field, value, "must be more than zero days")
    if days > 366:
        raise InvalidValue(field, value, "is more days than a year holds")
    if days != days.quantize(Decimal("0.01")):
        raise InvalidValue(field, value, "is finer than a hundredth of a day")
    return days


@attrs.frozen
class Mission:
    """
    A skills contribution on one project (*mission*, *mandatement*, ACC-02, ACC-05).

    Attributes:
        id: The mission's id.
        project: The project it serves.
        mentor: The person id of the mentor (their details live outside the register).
        partner: The partner company that employs and lends the mentor.
        days_per_year: The days a year the committee granted.
        problem: The precise problem the mentor works on.
        kind: The form of support (a mission by default).

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=checked(check_id))
    project: str = attrs.field(validator=checked(check_id))
    mentor: str = attrs.field(validator=checked(check_id))
    partner: str = attrs.field(validator=checked(check_id))
    days_per_year: int = attrs.field(validator=checked(check_count, minimum=1, maximum=366))
    problem: str = attrs.field(validator=checked(check_text))
    kind: SupportKind = attrs.field(default=SupportKind.MISSION, validator=member_of(SupportKind))


@attrs.frozen
class TimeEntry:
    """
    Time a member gave to a project (*temps passé*, GOV-08): who, which project, when, how long.

    Attributes:
        person: The person id of the member.
        project: The project.
        on: The day the time was given.
        days: How long, in days (``Decimal("0.5")`` is half a day).
        category: The member's category, which sets the daily rate (ACC-06).

    .. versionadded:: 0.1.0
    """

    person: str = attrs.field(validator=checked(check_id))
    project: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    days: Decimal = attrs.field(validator=checked(check_days))
    category: MentorCategory = attrs.field(validator=member_of(MentorCategory))


@attrs.frozen
class ValuedCategory:
    """
    The time of one category and its value (ACC-06).

    Attributes:
        category: The category.
        days: The days given.
        value: Their value in euros, each entry valued at the rate in force on its day.
        rates: The rate versions used.
    """

    category: MentorCategory
    days: Decimal
    value: Decimal
    rates: tuple[SettingVersion, ...]


@attrs.frozen
class Valuation:
    """
    The value of contributed time (*valorisation*, ACC-06).

    Attributes:
        categories: Each category's days and value.
    """

    categories: tuple[ValuedCategory, ...]

    @property
    def total_days(self) -> Decimal:
        """All the days given."""
        return sum((c.days for c in self.categories), Decimal(0))

    @property
    def total_value(self) -> Decimal:
        """Their value, in euros."""
        return sum((c.value for c in self.categories), ZERO)


def value_time(entries: Iterable[TimeEntry], *, territory: str, settings: Settings) -> Valuation:
    """
    The value of time entries (ACC-06): each entry's days times the daily rate of its
    category in force on its day, rounded half up to the cent (SCH-01).

    .. versionadded:: 0.1.0
    """
    days: dict[MentorCategory, Decimal] = {}
    values: dict[MentorCategory, Decimal] = {}
    rates: dict[MentorCategory, dict[SettingVersion, None]] = {}
    for entry in entries:
        daily, rate = settings.lookup(entry.category.rate_setting, on=entry.on, territory=territory)
        days[entry.category] = days.get(entry.category, Decimal(0)) + entry.days
        values[entry.category] = values.get(entry.category, ZERO) + quantize(entry.days * daily)
        rates.setdefault(entry.category, {})[rate] = None
    return Valuation(
        tuple(
            ValuedCategory(category, days[category], values[category], tuple(rates[category]))
            for category in MentorCategory
            if category in days
        )
    )


def mentor_step(
    mentor: str, category: MentorCategory | None, employer: str | None, partner: str
) -> Step:
    """
    ACC-01: the mentor is an executive or technician employed by the mission's partner.

    Args:
        mentor: The mentor's person id.
        category: Their category, ``None`` when they are not enrolled as a mentor.
        employer: The partner company that employs them, when known.
        partner: The partner company the mission names.

    .. versionadded:: 0.1.0
    """
    if category is None or employer != partner:
        return make_step(
            MESSAGES, "ACC-01", False, "mentor.not_employed", mentor=mentor, partner=partner
        )
    return make_step(
        MESSAGES,
        "ACC-01",
        True,
        "mentor.employed",
        mentor=mentor,
        category=category.french,
        partner=partner,
    )


def days_step(days: int, granted: int) -> Step:
    """
    ACC-02: the days a year of a project's missions stay within what the committee granted.

    .. versionadded:: 0.1.0
    """
    within = days <= granted
    code = "days.granted" if within else "days.beyond_grant"
    return make_step(MESSAGES, "ACC-02", within, code, days=days, granted=granted)


def cap_step(days: int, *, on: date, territory: str, settings: Settings) -> Step:
    """
    ACC-03: a mandate above the yearly cap passes with a warning.

    .. versionadded:: 0.1.0
    """
    most, cap = settings.lookup(MENTOR_DAYS_CAP, on=on, territory=territory)
    above = days > most
    return make_step(
        MESSAGES,
        "ACC-03",
        True,
        "days.above_cap" if above else "days.within_cap",
        settings_used=(cap,),
        warning=above,
        days=days,
        cap=most,
    )
