# Kept whole, at about 700 lines: the typed keys (Setting[T]) and their dated values are read
# by one lookup and checked by one set of rules (territory over national, overlaps, charter-
# fixed values); the definitions of every setting are data that belongs beside them.
"""
Settings (*paramètres*): the values a territory may choose, as typed keys with dated values.

Each setting alize knows is a typed key, a :class:`Setting` (its name, the type of its
value, its unit, what it decides, the rule it comes from and its national default), like
:data:`QUORUM` or :data:`ROUNDING`. Its values are dated and cited
(:class:`SettingVersion`): the national default from :data:`PROGRAMME_START`, then the
values a territory's own rules (*règlement intérieur*) set from a date. A lookup names the
key, the date and the territory and returns a value of the key's type; there is no
"current" value. A territory cannot set what the charter fixes, two values of one setting
may not overlap, and a date with no value in force is an error naming the setting and date.

>>> from datetime import date
>>> settings = Settings.national().set_for_territory(
...     "T1", QUORUM, 3, start=date(2026, 1, 1), section="Article 4 - Quorum")
>>> settings.value(QUORUM, on=date(2026, 3, 12), territory="T1")
3
>>> settings.value(QUORUM, on=date(2025, 12, 31), territory="T1")
1
>>> settings.value(ROUNDING, on=date(2026, 3, 12), territory="T1")
<Rounding.HALF_UP: 'half_up'>
>>> settings.set_for_territory("T1", PRESIDENT_IN_ACTIVITY, False, start=date(2026, 1, 1))
Traceback (most recent call last):
...
alize_core.kernel.errors.SettingsConflict: president_in_activity: False is fixed by the charter (GOV-05); a territory cannot change it

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Generic, TypeVar

import attrs

from alize_core.kernel.errors import InvalidValue, MissingValue, NotInForce, SettingsConflict
from alize_core.kernel.money import Rounding, to_money
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
    "CONFLICTS_EXCLUDED",
    "CONTRIBUTION_RIGHT_OF_RETURN",
    "DAILY_RATE_EXECUTIVE",
    "DAILY_RATE_TECHNICIAN",
    "DAY_COUNT",
    "DEFAULT_AFTER_DAYS",
    "DEFERRAL_INTEREST",
    "FUND_OVERCOMMITMENT",
    "MENTOR_DAYS_CAP",
    "NATIONAL_DEFAULTS",
    "PREPAYMENT",
    "PRESIDENT_IN_ACTIVITY",
    "PROGRAMME_START",
    "QUORUM",
    "ROUNDING",
    "SETTINGS",
    "SME_MAX_BALANCE_SHEET",
    "SME_MAX_STAFF",
    "SME_MAX_TURNOVER",
    "SME_MIN_AGE_YEARS",
    "VOTE_PER",
    "Setting",
    "SettingKind",
    "SettingValue",
    "SettingVersion",
    "Settings",
    "setting_named",
]

SettingValue = int | bool | str | Decimal | Fraction
"""The types a setting's value may take (a :class:`~alize_core.kernel.money.Rounding` is a str)."""

T_co = TypeVar("T_co", bound=SettingValue, covariant=True)
E = TypeVar("E", bound=enum.StrEnum)

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
    """One word among the setting's choices."""
    AMOUNT = "amount"
    """An amount in euros, zero or more."""
    QUORUM = "quorum"
    """A number of people (1 or more), or a fraction of the partner companies (``"1/2"``)."""


Reader = Callable[[object, str], T_co]
"""Reads and checks a raw value for a setting, naming the field in its error."""


def _read_count(raw: object, where: str) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int):
        raise InvalidValue(where, raw, "must be a whole number")
    if not 0 <= raw <= 1_000_000:
        raise InvalidValue(where, raw, "must be a whole number between 0 and 1,000,000")
    return raw


def _read_flag(raw: object, where: str) -> bool:
    if not isinstance(raw, bool):
        raise InvalidValue(where, raw, "must be true or false")
    return raw


def _read_amount(raw: object, where: str) -> Decimal:
    return to_money(raw, field=where, non_negative=True)


def _read_quorum(raw: object, where: str) -> int | Fraction:
    if isinstance(raw, Fraction):
        value: int | Fraction = raw
    elif isinstance(raw, str) and "/" in raw:
        top, _, bottom = raw.partition("/")
        if not (digits(top) and digits(bottom)) or int(bottom) == 0:
            raise InvalidValue(where, raw, 'must be a number of people or a fraction like "1/2"')
        value = Fraction(int(top), int(bottom))
    else:
        value = _read_count(raw, where)
    if isinstance(value, Fraction) and not 0 < value <= 1:
        raise InvalidValue(where, raw, "as a fraction must be more than 0 and at most 1")
    if isinstance(value, int) and value < 1:
        raise InvalidValue(where, raw, "must be at least 1 company representative")
    return value


def _words(*choices: str) -> Reader[str]:
    def read(raw: object, where: str) -> str:
        if not isinstance(raw, str) or raw not in choices:
            raise InvalidValue(where, raw, f"must be one of {', '.join(choices)}")
        return str(raw)

    return read


def _members(kind: type[E]) -> Reader[E]:
    def read(raw: object, where: str) -> E:
        for member in kind:
            if isinstance(raw, str) and raw == member.value:
                return member
        raise InvalidValue(where, raw, f"must be one of {', '.join(m.value for m in kind)}")

    return read


@attrs.frozen(kw_only=True)
class Setting(Generic[T_co]):
    """
    A setting alize knows (*paramètre*): a typed key to its dated values.

    ``Setting[T]`` reads values of type ``T``: :meth:`Settings.value` with
    :data:`QUORUM` returns an ``int | Fraction``, with :data:`ROUNDING` a
    :class:`~alize_core.kernel.money.Rounding`.

    >>> QUORUM.parse("1/2")
    Fraction(1, 2)
    >>> MENTOR_DAYS_CAP.unit, MENTOR_DAYS_CAP.default
    ('days a year', 10)
    >>> MENTOR_DAYS_CAP.parse(-1)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: mentor_days_cap: -1 must be a whole number between 0 and 1,000,000

    Attributes:
        name: The setting's name, e.g. ``"quorum"`` (its key in files and explanations).
        rule: The id of the rule it comes from (its charter section is the rule's citation).
        kind: How a value is read (:class:`SettingKind`).
        default: The national default.
        unit: What the value counts (``"euros"``, ``"days"``…), empty for a word or a flag.
        description: What it decides, in a sentence.
        read: Reads and checks a raw value (see :meth:`parse`).
        choices: For :attr:`SettingKind.CHOICE`, the words allowed.
        territorial: Whether a territory may set it (the charter fixes the others).

    .. versionadded:: 0.1.0
    """

    name: str
    rule: str
    kind: SettingKind
    default: T_co
    unit: str
    description: str
    read: Reader[T_co] = attrs.field(eq=False, repr=False)
    choices: tuple[str, ...] = ()
    territorial: bool = True

    def parse(self, raw: object, *, field: str | None = None) -> T_co:
        """
        Read and check a value for this setting (a value already read is returned as is).

        Raises:
            MissingValue: No value (``None``).
            InvalidValue: The value does not fit the setting.
        """
        where = field or self.name
        if raw is None:
            raise MissingValue(where, None)
        return self.read(raw, where)

    @property
    def citation(self) -> Citation:
        """Where the national default comes from: the charter, or alize's documented choice."""
        return (
            rule(self.rule).citation
            if not self.territorial
            else Citation(NATIONAL_DEFAULTS, self.rule)
        )


QUORUM: Final[Setting[int | Fraction]] = Setting(
    name="quorum",
    rule="GOV-04",
    kind=SettingKind.QUORUM,
    default=1,
    unit="company representatives, or a fraction of the partner companies",
    description="Company representatives needed for a valid session: a number, or a fraction"
    " of the territory's partner companies.",
    read=_read_quorum,
)
"""GOV-04: the quorum of a session (default 1)."""

PRESIDENT_IN_ACTIVITY: Final[Setting[bool]] = Setting(
    name="president_in_activity",
    rule="GOV-05",
    kind=SettingKind.FLAG,
    default=True,
    unit="",
    description="The president must be a company representative in activity.",
    read=_read_flag,
    territorial=False,
)
"""GOV-05: the president is in activity (fixed by the charter)."""

VOTE_PER: Final[Setting[str]] = Setting(
    name="vote_per",
    rule="GOV-03",
    kind=SettingKind.CHOICE,
    default="representative",
    unit="",
    description="Who holds a vote: each company representative present, or each partner company.",
    read=_words("representative", "company"),
    choices=("representative", "company"),
)
"""GOV-03: who holds a vote (default: each representative present)."""

CONFLICTS_EXCLUDED: Final[Setting[bool]] = Setting(
    name="conflicts_excluded",
    rule="GOV-11",
    kind=SettingKind.FLAG,
    default=False,
    unit="",
    description="Whether a member whose company has an interest in the SME is left out of"
    " that item's vote and count.",
    read=_read_flag,
)
"""GOV-11: members with an interest are left out (default: no)."""

FUND_OVERCOMMITMENT: Final[Setting[str]] = Setting(
    name="fund_overcommitment",
    rule="FUND-04",
    kind=SettingKind.CHOICE,
    default="refuse",
    unit="",
    description="What happens when an approval exceeds the fund's uncommitted balance.",
    read=_words("refuse", "warn"),
    choices=("refuse", "warn"),
)
"""FUND-04: an approval over the uncommitted balance is refused, or warned of."""

CONTRIBUTION_RIGHT_OF_RETURN: Final[Setting[bool]] = Setting(
    name="contribution_right_of_return",
    rule="FUND-05",
    kind=SettingKind.FLAG,
    default=False,
    unit="",
    description="Whether partners keep a right to take back their contributions: booked to"
    " 1034 (with a right of return) instead of 1024 (without).",
    read=_read_flag,
)
"""FUND-05: partners keep a right of return on their contributions (default: no)."""

MENTOR_DAYS_CAP: Final[Setting[int]] = Setting(
    name="mentor_days_cap",
    rule="ACC-03",
    kind=SettingKind.COUNT,
    default=10,
    unit="days a year",
    description="Days a year of a mandate above which alize warns.",
    read=_read_count,
)
"""ACC-03: the days a year of a mandate above which alize warns (default 10)."""

DAILY_RATE_EXECUTIVE: Final[Setting[Decimal]] = Setting(
    name="daily_rate_executive",
    rule="ACC-06",
    kind=SettingKind.AMOUNT,
    default=Decimal(700),
    unit="euros a day",
    description="The value, in euros, of a day given by a partner's executive (cadre); the"
    " charter asks for a valuation and leaves the rate to the territory.",
    read=_read_amount,
)
"""ACC-06: the value of an executive's day (default 700 €)."""

DAILY_RATE_TECHNICIAN: Final[Setting[Decimal]] = Setting(
    name="daily_rate_technician",
    rule="ACC-06",
    kind=SettingKind.AMOUNT,
    default=Decimal(450),
    unit="euros a day",
    description="The value, in euros, of a day given by a partner's technician; the charter"
    " asks for a valuation and leaves the rate to the territory.",
    read=_read_amount,
)
"""ACC-06: the value of a technician's day (default 450 €)."""

DEFAULT_AFTER_DAYS: Final[Setting[int]] = Setting(
    name="default_after_days",
    rule="SCH-06",
    kind=SettingKind.COUNT,
    default=90,
    unit="days",
    description="Days an instalment may stay unpaid before the advance is in default.",
    read=_read_count,
)
"""SCH-06: the days unpaid after which an advance may be declared in default (default 90)."""

ROUNDING: Final[Setting[Rounding]] = Setting(
    name="rounding",
    rule="SCH-01",
    kind=SettingKind.CHOICE,
    default=Rounding.HALF_UP,
    unit="",
    description="How amounts are rounded to the cent.",
    read=_members(Rounding),
    choices=tuple(Rounding),
)
"""SCH-01: how amounts are rounded to the cent (default: half up)."""

DAY_COUNT: Final[Setting[str]] = Setting(
    name="day_count",
    rule="SCH-03",
    kind=SettingKind.CHOICE,
    default="30/360",
    unit="",
    description="How a subsidised loan's period interest is counted.",
    read=_words("30/360", "act/365"),
    choices=("30/360", "act/365"),
)
"""SCH-03: how a subsidised loan's period interest is counted (default 30/360)."""

DEFERRAL_INTEREST: Final[Setting[str]] = Setting(
    name="deferral_interest",
    rule="SCH-03",
    kind=SettingKind.CHOICE,
    default="paid",
    unit="",
    description="Whether a subsidised loan's interest during a deferral is paid or capitalised.",
    read=_words("paid", "capitalised"),
    choices=("paid", "capitalised"),
)
"""SCH-03: a subsidised loan's interest during a deferral is paid or capitalised."""

PREPAYMENT: Final[Setting[str]] = Setting(
    name="prepayment",
    rule="SCH-05",
    kind=SettingKind.CHOICE,
    default="reduce_term",
    unit="",
    description="What a partial early repayment shortens: the term, or the instalment.",
    read=_words("reduce_term", "reduce_instalment"),
    choices=("reduce_term", "reduce_instalment"),
)
"""SCH-05: what a partial early repayment shortens (default: the term)."""

SME_MAX_STAFF: Final[Setting[int]] = Setting(
    name="sme_max_staff",
    rule="ELIG-01",
    kind=SettingKind.COUNT,
    default=249,
    unit="people",
    description="The most staff an SME may have (the European definition: fewer than 250).",
    read=_read_count,
    territorial=False,
)
"""ELIG-01: the most staff an SME may have (fixed: 249)."""

SME_MAX_TURNOVER: Final[Setting[Decimal]] = Setting(
    name="sme_max_turnover",
    rule="ELIG-01",
    kind=SettingKind.AMOUNT,
    default=Decimal(50_000_000),
    unit="euros",
    description="The SME's turnover ceiling, in euros (or the balance sheet's).",
    read=_read_amount,
    territorial=False,
)
"""ELIG-01: the SME's turnover ceiling (fixed: 50 M€)."""

SME_MAX_BALANCE_SHEET: Final[Setting[Decimal]] = Setting(
    name="sme_max_balance_sheet",
    rule="ELIG-01",
    kind=SettingKind.AMOUNT,
    default=Decimal(43_000_000),
    unit="euros",
    description="The SME's balance-sheet ceiling, in euros (or the turnover's).",
    read=_read_amount,
    territorial=False,
)
"""ELIG-01: the SME's balance-sheet ceiling (fixed: 43 M€)."""

SME_MIN_AGE_YEARS: Final[Setting[int]] = Setting(
    name="sme_min_age_years",
    rule="ELIG-02",
    kind=SettingKind.COUNT,
    default=3,
    unit="years",
    description="The age, in years, that ends the creation phase.",
    read=_read_count,
    territorial=False,
)
"""ELIG-02: the age that ends the creation phase (fixed: 3 years)."""

SETTINGS: Final[tuple[Setting[SettingValue], ...]] = (
    QUORUM,
    PRESIDENT_IN_ACTIVITY,
    VOTE_PER,
    CONFLICTS_EXCLUDED,
    FUND_OVERCOMMITMENT,
    CONTRIBUTION_RIGHT_OF_RETURN,
    MENTOR_DAYS_CAP,
    DAILY_RATE_EXECUTIVE,
    DAILY_RATE_TECHNICIAN,
    DEFAULT_AFTER_DAYS,
    ROUNDING,
    DAY_COUNT,
    DEFERRAL_INTEREST,
    PREPAYMENT,
    SME_MAX_STAFF,
    SME_MAX_TURNOVER,
    SME_MAX_BALANCE_SHEET,
    SME_MIN_AGE_YEARS,
)
"""Every setting alize knows, in the rulebook's order."""

_BY_NAME: Final = MappingProxyType({setting.name: setting for setting in SETTINGS})


def setting_named(name: object) -> Setting[SettingValue]:
    """
    The setting with this name, for reading files and forms that name settings.

    >>> setting_named("quorum") is QUORUM
    True

    Raises:
        InvalidValue: No setting has this name.

    .. versionadded:: 0.1.0
    """
    found = _BY_NAME.get(name) if isinstance(name, str) else None
    if found is None:
        known = ", ".join(_BY_NAME)
        raise InvalidValue("setting", name, f"is not a setting alize knows ({known})")
    return found


def _known(setting: object) -> Setting[SettingValue]:
    if isinstance(setting, Setting) and _BY_NAME.get(setting.name) is setting:
        return setting
    raise InvalidValue("setting", setting, "is not a setting alize knows (see SETTINGS)")


@attrs.frozen
class SettingVersion:
    """
    One dated value of a setting (*version*), national or a territory's, with its citation.

    Attributes:
        name: The setting's name (see :attr:`setting` for its key).
        value: The value in force, as the setting reads it.
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
        parsed = setting_named(self.name).parse(self.value, field=self.name)
        if type(parsed) is not type(self.value) or parsed != self.value:
            raise InvalidValue(self.name, self.value, f"must be written {parsed!r}")
        if self.end is not None and self.end <= self.start:
            raise InvalidValue(f"{self.name}.end", self.end, "must be after the start")

    @property
    def setting(self) -> Setting[SettingValue]:
        """The setting this is a value of."""
        return setting_named(self.name)

    def covers(self, on: date) -> bool:
        """Whether the version is in force on this date."""
        return self.start <= on and (self.end is None or on < self.end)

    def overlaps(self, other: SettingVersion) -> bool:
        """Whether two versions are in force on a common day."""
        return (self.end is None or other.start < self.end) and (
            other.end is None or self.start < other.end
        )


def _check_version(version: SettingVersion, others: Iterable[SettingVersion]) -> None:
    setting = version.setting
    if version.territory is not None and not setting.territorial:
        msg = f"is fixed by the charter ({setting.rule}); a territory cannot change it"
        raise SettingsConflict(version.name, version.value, msg)
    for other in others:
        if (
            other.name == version.name
            and other.territory == version.territory
            and other.overlaps(version)
        ):
            msg = (
                f"from {version.start.isoformat()} overlaps the version in force from"
                f" {other.start.isoformat()} for {version.territory or 'the nation'};"
                " end the earlier one first"
            )
            raise SettingsConflict(version.name, version.value, msg)


@attrs.frozen
class Settings:
    """
    Every version of every setting: the national defaults and the territories' own.

    Build it with :meth:`national`, then add versions with :meth:`set_for_territory` or
    :meth:`with_version`; each returns a new value and refuses conflicts. Read it with
    :meth:`value` (the typed value) or :meth:`resolve` (the version, to cite it).

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
                SettingVersion(s.name, s.default, PROGRAMME_START, None, None, s.citation)
                for s in SETTINGS
            )
        )

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
        setting: Setting[SettingValue],
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
            setting: The setting (a key such as :data:`QUORUM`).
            value: Its value (read as the setting says).
            start: The first day it is in force.
            end: The first day it is no longer in force.
            section: The article of the territory's rules that sets it.
        """
        check_date(start, field=f"{setting.name}.start")
        if end is not None:
            check_date(end, field=f"{setting.name}.end")
        parsed = setting.parse(value)
        citation = Citation(f"reglement-interieur:{territory}", section)
        version = SettingVersion(setting.name, parsed, start, end, territory, citation)
        return self.with_version(version)

    def with_territory_values(
        self,
        territory: str,
        values: Iterable[tuple[Setting[SettingValue], object]],
        *,
        start: date,
    ) -> Settings:
        """These settings plus several of a territory's values, all from ``start``."""
        settings = self
        for setting, value in values:
            settings = settings.set_for_territory(territory, setting, value, start=start)
        return settings

    def resolve(
        self, setting: Setting[SettingValue], *, on: date, territory: str
    ) -> SettingVersion:
        """
        The version in force on a date for a territory: its own, else the national one.

        Raises:
            NotInForce: No version covers the date (the error names the setting and date).
        """
        name = _known(setting).name
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
            msg = f"is a date with no value of {setting.name} in force for {territory}"
            raise NotInForce(setting.name, on, msg)
        return national

    def lookup(
        self, setting: Setting[T_co], *, on: date, territory: str
    ) -> tuple[T_co, SettingVersion]:
        """
        The value in force on a date for a territory, of the setting's type, and its version
        (for a decision to cite what it used).

        >>> value, version = Settings.national().lookup(QUORUM, on=date(2026, 1, 1), territory="T1")
        >>> value, version.citation.document
        (1, 'alize:defauts-nationaux')

        Raises:
            NotInForce: No version covers the date.
        """
        version = self.resolve(setting, on=on, territory=territory)
        return setting.parse(version.value), version

    def value(self, setting: Setting[T_co], *, on: date, territory: str) -> T_co:
        """
        The value of a setting in force on a date for a territory, of the setting's type.

        >>> Settings.national().value(DEFAULT_AFTER_DAYS, on=date(2026, 1, 1), territory="T1")
        90

        Raises:
            NotInForce: No version covers the date.
        """
        return self.lookup(setting, on=on, territory=territory)[0]
