"""
Settings (*paramètres*): the values a territory may choose, dated and cited.

A setting has a national default (the charter's value or alize's documented
default) and may be set by a territory's own rules (*règlement intérieur*) from
a date. Every lookup names the date and the territory; there is no "current"
value. A territory cannot set what the charter fixes, two versions of one
setting may not overlap, and a date with no version in force is an error.

>>> from datetime import date
>>> settings = Settings.national().set_for_territory(
...     "T1", "quorum", 3, start=date(2026, 1, 1), section="Article 4 - Quorum")
>>> settings.value("quorum", on=date(2026, 3, 12), territory="T1")
3
>>> settings.value("quorum", on=date(2025, 12, 31), territory="T1")
1
>>> settings.set_for_territory("T1", "president_in_activity", False, start=date(2026, 1, 1))
Traceback (most recent call last):
...
alize_core.kernel.errors.SettingsConflict: president_in_activity: is fixed by the charter (GOV-05); a territory cannot change it

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from alize_core.kernel.errors import InvalidValue, MissingValue, NotInForce, SettingsConflict
from alize_core.kernel.money import to_money
from alize_core.kernel.rules import Citation, rule
from alize_core.kernel.validation import (
    check_date,
    check_id,
    checked,
    digits,
    instance_of,
    optional,
    tuple_of,
)


__all__ = [
    "DEFINITIONS",
    "NATIONAL_DEFAULTS",
    "PROGRAMME_START",
    "SettingDefinition",
    "SettingKind",
    "SettingValue",
    "SettingVersion",
    "Settings",
]

SettingValue = int | bool | str | Decimal | Fraction
"""The types a setting's value may take."""

NATIONAL_DEFAULTS: Final = "alize:defauts-nationaux"
"""The document id cited by a national default that alize chose where the charter is silent."""

PROGRAMME_START: Final = date(1997, 1, 1)
"""The date from which the national defaults are in force (the programme began in 1997)."""


class SettingKind(enum.StrEnum):
    """The shape of a setting's value, which says how it is read and checked."""

    COUNT = "count"
    """A whole number, zero or more."""
    FLAG = "flag"
    """Yes or no."""
    CHOICE = "choice"
    """One word among the definition's choices."""
    AMOUNT = "amount"
    """An amount in euros, zero or more."""
    QUORUM = "quorum"
    """A number of people (1 or more), or a fraction of the partner companies (``"1/2"``)."""


@attrs.frozen
class SettingDefinition:
    """
    A setting alize knows: its name, the rule it serves, its kind and national default.

    Attributes:
        name: The setting's name, e.g. ``"quorum"``.
        rule: The id of the rule the setting belongs to.
        kind: How the value is read (:class:`SettingKind`).
        default: The national default.
        description: What it decides, in a sentence.
        choices: For :attr:`SettingKind.CHOICE`, the words allowed.
        territorial: Whether a territory may set it (the charter fixes the others).
    """

    name: str
    rule: str
    kind: SettingKind
    default: SettingValue
    description: str
    choices: tuple[str, ...] = ()
    territorial: bool = True

    def parse(self, raw: object, *, field: str | None = None) -> SettingValue:
        """
        Read and check a value for this setting.

        Raises:
            InvalidValue: The value does not fit the setting.
        """
        where = field or self.name
        if raw is None:
            raise MissingValue(where)
        if self.kind is SettingKind.FLAG:
            if not isinstance(raw, bool):
                raise InvalidValue(where, raw, "must be true or false")
            return raw
        if self.kind is SettingKind.CHOICE:
            if not isinstance(raw, str) or raw not in self.choices:
                raise InvalidValue(where, raw, f"must be one of {', '.join(self.choices)}")
            return raw
        if self.kind is SettingKind.AMOUNT:
            return to_money(raw, field=where, non_negative=True)
        if self.kind is SettingKind.QUORUM:
            return _parse_quorum(raw, where)
        return _parse_count(raw, where)


def _parse_count(raw: object, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidValue(where, raw, "must be a whole number")
    if not 0 <= raw <= 1_000_000:
        raise InvalidValue(where, raw, "must be a whole number between 0 and 1,000,000")
    return raw


def _parse_quorum(raw: object, where: str) -> int | Fraction:
    if isinstance(raw, Fraction):
        value: int | Fraction = raw
    elif isinstance(raw, str) and "/" in raw:
        top, _, bottom = raw.partition("/")
        if not (digits(top) and digits(bottom)) or int(bottom) == 0:
            raise InvalidValue(where, raw, 'must be a number of people or a fraction like "1/2"')
        value = Fraction(int(top), int(bottom))
    else:
        value = _parse_count(raw, where)
    if isinstance(value, Fraction) and not 0 < value <= 1:
        raise InvalidValue(where, raw, "as a fraction must be more than 0 and at most 1")
    if isinstance(value, int) and value < 1:
        raise InvalidValue(where, raw, "must be at least 1 company representative")
    return value


def _definitions() -> tuple[SettingDefinition, ...]:
    s = SettingDefinition
    k = SettingKind
    return (
        s(
            "quorum",
            "GOV-04",
            k.QUORUM,
            1,
            "Company representatives needed for a valid session: a number, or a fraction of the"
            " territory's partner companies.",
        ),
        s(
            "president_in_activity",
            "GOV-05",
            k.FLAG,
            True,
            "The president must be a company representative in activity.",
            territorial=False,
        ),
        s(
            "vote_per",
            "GOV-03",
            k.CHOICE,
            "representative",
            "Who holds a vote: each company representative present, or each partner company.",
            choices=("representative", "company"),
        ),
        s(
            "conflicts_excluded",
            "GOV-11",
            k.FLAG,
            False,
            "Whether a member whose company has an interest in the SME is left out of that"
            " item's vote and count.",
        ),
        s(
            "fund_overcommitment",
            "FUND-04",
            k.CHOICE,
            "refuse",
            "What happens when an approval exceeds the fund's uncommitted balance.",
            choices=("refuse", "warn"),
        ),
        s(
            "contribution_right_of_return",
            "FUND-05",
            k.FLAG,
            False,
            "Whether partners keep a right to take back their contributions: booked to 1034"
            " (with a right of return) instead of 1024 (without).",
        ),
        s(
            "mentor_days_cap",
            "ACC-03",
            k.COUNT,
            10,
            "Days a year of a mandate above which alize warns.",
        ),
        s(
            "daily_rate_executive",
            "ACC-06",
            k.AMOUNT,
            Decimal(700),
            "The value, in euros, of a day given by a partner's executive (cadre); the charter"
            " asks for a valuation and leaves the rate to the territory.",
        ),
        s(
            "daily_rate_technician",
            "ACC-06",
            k.AMOUNT,
            Decimal(450),
            "The value, in euros, of a day given by a partner's technician; the charter asks"
            " for a valuation and leaves the rate to the territory.",
        ),
        s(
            "default_after_days",
            "SCH-06",
            k.COUNT,
            90,
            "Days an instalment may stay unpaid before the advance is in default.",
        ),
        s(
            "rounding",
            "SCH-01",
            k.CHOICE,
            "half_up",
            "How amounts are rounded to the cent.",
            choices=("half_up", "half_even", "down", "up"),
        ),
        s(
            "day_count",
            "SCH-03",
            k.CHOICE,
            "30/360",
            "How a subsidised loan's period interest is counted.",
            choices=("30/360", "act/365"),
        ),
        s(
            "deferral_interest",
            "SCH-03",
            k.CHOICE,
            "paid",
            "Whether a subsidised loan's interest during a deferral is paid or capitalised.",
            choices=("paid", "capitalised"),
        ),
        s(
            "prepayment",
            "SCH-05",
            k.CHOICE,
            "reduce_term",
            "What a partial early repayment shortens: the term, or the instalment.",
            choices=("reduce_term", "reduce_instalment"),
        ),
        s(
            "sme_max_staff",
            "ELIG-01",
            k.COUNT,
            249,
            "The most staff an SME may have (the European definition: fewer than 250).",
            territorial=False,
        ),
        s(
            "sme_max_turnover",
            "ELIG-01",
            k.AMOUNT,
            Decimal(50_000_000),
            "The SME's turnover ceiling, in euros (or the balance sheet's).",
            territorial=False,
        ),
        s(
            "sme_max_balance_sheet",
            "ELIG-01",
            k.AMOUNT,
            Decimal(43_000_000),
            "The SME's balance-sheet ceiling, in euros (or the turnover's).",
            territorial=False,
        ),
        s(
            "sme_min_age_years",
            "ELIG-02",
            k.COUNT,
            3,
            "The age, in years, that ends the creation phase.",
            territorial=False,
        ),
    )


DEFINITIONS: Final[tuple[SettingDefinition, ...]] = _definitions()
"""Every setting alize knows, with its national default."""


@attrs.frozen
class SettingVersion:
    """
    One dated value of a setting (*version*), national or a territory's.

    Attributes:
        name: The setting's name.
        value: The value in force.
        start: The first day it is in force.
        end: The first day it is no longer in force (``None``: open).
        territory: The territory whose rules set it (``None``: national).
        citation: Where the value comes from.
    """

    name: str = attrs.field(validator=checked(check_id))
    value: SettingValue
    start: date = attrs.field(validator=checked(check_date))
    end: date | None = attrs.field(validator=optional(check_date))
    territory: str | None = attrs.field(validator=optional(check_id))
    citation: Citation = attrs.field(validator=instance_of(Citation))

    def __attrs_post_init__(self) -> None:
        parsed = _definition(self.name).parse(self.value, field=self.name)
        if type(parsed) is not type(self.value) or parsed != self.value:
            raise InvalidValue(self.name, self.value, f"must be written {parsed!r}")
        if self.end is not None and self.end <= self.start:
            raise InvalidValue(f"{self.name}.end", self.end, "must be after the start")

    def covers(self, on: date) -> bool:
        """Whether the version is in force on this date."""
        return self.start <= on and (self.end is None or on < self.end)

    def overlaps(self, other: SettingVersion) -> bool:
        """Whether two versions are in force on a common day."""
        return (self.end is None or other.start < self.end) and (
            other.end is None or self.start < other.end
        )


def _definition(name: str) -> SettingDefinition:
    for definition in DEFINITIONS:
        if definition.name == name:
            return definition
    known = ", ".join(d.name for d in DEFINITIONS)
    raise InvalidValue("setting", name, f"is not a setting alize knows ({known})")


def _check_version(version: SettingVersion, others: Iterable[SettingVersion]) -> None:
    definition = _definition(version.name)
    if version.territory is not None and not definition.territorial:
        msg = f"is fixed by the charter ({definition.rule}); a territory cannot change it"
        raise SettingsConflict(msg, field=version.name, value=version.value)
    for other in others:
        if (
            other.name == version.name
            and other.territory == version.territory
            and other.overlaps(version)
        ):
            msg = (
                f"a version from {version.start.isoformat()} overlaps the one in force from"
                f" {other.start.isoformat()} for {version.territory or 'the nation'};"
                " end the earlier one first"
            )
            raise SettingsConflict(msg, field=version.name, value=version.value)


@attrs.frozen
class Settings:
    """
    Every version of every setting: the national defaults and the territories' own.

    Build it with :meth:`national`, then add versions with :meth:`set_for_territory` or
    :meth:`with_version`; each returns a new value and refuses conflicts.

    .. versionadded:: 0.1.0
    """

    versions: tuple[SettingVersion, ...] = attrs.field(validator=tuple_of(SettingVersion))

    def __attrs_post_init__(self) -> None:
        seen: list[SettingVersion] = []
        for version in self.versions:
            _check_version(version, seen)
            seen.append(version)

    @classmethod
    def national(cls) -> Settings:
        """The national defaults, in force since :data:`PROGRAMME_START`."""
        return cls(
            tuple(
                SettingVersion(
                    d.name,
                    d.default,
                    PROGRAMME_START,
                    None,
                    None,
                    rule(d.rule).citation
                    if not d.territorial
                    else Citation(NATIONAL_DEFAULTS, d.rule),
                )
                for d in DEFINITIONS
            )
        )

    @staticmethod
    def definition(name: str) -> SettingDefinition:
        """
        The definition of a setting.

        Raises:
            InvalidValue: No setting has this name.
        """
        return _definition(name)

    def with_version(self, version: SettingVersion) -> Settings:
        """
        These settings plus one version.

        Raises:
            SettingsConflict: The version overlaps another of the same setting and territory,
                or a territory sets what the charter fixes.
            InvalidValue: The setting is unknown or its value does not fit.
        """
        return Settings((*self.versions, version))

    def set_for_territory(
        self,
        territory: str,
        name: str,
        value: object,
        *,
        start: date,
        end: date | None = None,
        section: str = "règlement intérieur",
    ) -> Settings:
        """
        These settings plus a territory's own value from ``start`` (to ``end``, exclusive).

        Args:
            territory: The territory's id.
            name: The setting.
            value: Its value (read as the setting's kind says).
            start: The first day it is in force.
            end: The first day it is no longer in force.
            section: The article of the territory's rules that sets it.
        """
        check_date(start, field=f"{name}.start")
        if end is not None:
            check_date(end, field=f"{name}.end")
        parsed = _definition(name).parse(value, field=name)
        citation = Citation(f"reglement-interieur:{territory}", section)
        return self.with_version(SettingVersion(name, parsed, start, end, territory, citation))

    def with_territory_values(
        self, territory: str, values: Iterable[tuple[str, object]], *, start: date
    ) -> Settings:
        """These settings plus several of a territory's values, all from ``start``."""
        settings = self
        for name, value in values:
            settings = settings.set_for_territory(territory, name, value, start=start)
        return settings

    def resolve(self, name: str, *, on: date, territory: str) -> SettingVersion:
        """
        The version in force on a date for a territory: its own, else the national one.

        Raises:
            NotInForce: No version covers the date.
            InvalidValue: No setting has this name.
        """
        _definition(name)
        check_date(on, field="date")
        national: SettingVersion | None = None
        for version in self.versions:
            if version.name != name or not version.covers(on):
                continue
            if version.territory == territory:
                return version
            if version.territory is None:
                national = version
        if national is None:
            msg = f"no value of {name} is in force on {on.isoformat()} for {territory}"
            raise NotInForce(msg, field=name, value=on)
        return national

    def value(self, name: str, *, on: date, territory: str) -> SettingValue:
        """The value in force on a date for a territory (see :meth:`resolve`)."""
        return self.resolve(name, on=on, territory=territory).value
