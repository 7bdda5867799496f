"""Settings: dated, cited, territory over national, no overlap, no override of the charter."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core import InvalidValue, NotInForce, Settings, SettingsConflict
from alize_core.kernel import (
    CONFLICTS_EXCLUDED,
    DAILY_RATE_EXECUTIVE,
    NATIONAL_DEFAULTS,
    PROGRAMME_START,
    QUORUM,
    ROUNDING,
    RULEBOOK,
    SETTINGS,
    VOTE_PER,
    Rounding,
    RuleKind,
    Setting,
    SettingKind,
    SettingValue,
    dumps,
    loads,
    setting_named,
)


ON = date(2026, 3, 12)


def test_the_national_default_applies_where_the_territory_set_nothing() -> None:
    """Without a territory version, the national default is in force, cited as such."""
    version = Settings.national().resolve(QUORUM, on=ON, territory="T1")

    assert version.value == 1
    assert version.territory is None
    assert version.citation.document == NATIONAL_DEFAULTS


def test_a_territory_value_applies_only_from_its_start_and_only_there() -> None:
    """A territory's quorum of 3 from 2026 leaves 2025 and other territories on the default."""
    settings = Settings.national().set_for_territory("T1", QUORUM, 3, start=date(2026, 1, 1))

    assert settings.value(QUORUM, on=ON, territory="T1") == 3
    assert settings.value(QUORUM, on=date(2025, 12, 31), territory="T1") == 1
    assert settings.value(QUORUM, on=ON, territory="T2") == 1


def test_a_version_ends_the_day_before_its_end_date() -> None:
    """The end date is exclusive: the default is back in force on it."""
    settings = Settings.national().set_for_territory(
        "T1", VOTE_PER, "company", start=date(2026, 1, 1), end=date(2027, 1, 1)
    )

    assert settings.value(VOTE_PER, on=date(2026, 12, 31), territory="T1") == "company"
    assert settings.value(VOTE_PER, on=date(2027, 1, 1), territory="T1") == "representative"


def test_overlapping_versions_are_refused() -> None:
    """Two versions of one setting for one territory may not share a day."""
    settings = Settings.national().set_for_territory("T1", QUORUM, 3, start=date(2026, 1, 1))

    with pytest.raises(SettingsConflict, match="overlaps"):
        settings.set_for_territory("T1", QUORUM, 2, start=date(2026, 6, 1))


def test_consecutive_versions_are_accepted() -> None:
    """A version may start on the day the previous one ends."""
    settings = (
        Settings.national()
        .set_for_territory("T1", QUORUM, 3, start=date(2026, 1, 1), end=date(2026, 6, 1))
        .set_for_territory("T1", QUORUM, "1/2", start=date(2026, 6, 1))
    )

    assert settings.value(QUORUM, on=date(2026, 7, 1), territory="T1") == Fraction(1, 2)


def test_a_territory_cannot_set_what_the_charter_fixes() -> None:
    """Every setting of a charter rule refuses a territory's value."""
    for definition in SETTINGS:
        if definition.territorial:
            continue
        with pytest.raises(SettingsConflict, match="charter"):
            Settings.national().set_for_territory(
                "T1", definition, definition.default, start=date(2026, 1, 1)
            )


# Values the charter asks for without fixing them: it requires time to be valued (ACC-06)
# "at a daily rate per category" and leaves the rate to each territory.
CHARTER_LEAVES_OPEN = {"daily_rate_executive", "daily_rate_technician"}


def test_territorial_settings_belong_to_rules_a_territory_may_adapt() -> None:
    """A territory may set only values the charter leaves open, never what it fixes."""
    for definition in SETTINGS:
        if definition.territorial and definition.name not in CHARTER_LEAVES_OPEN:
            assert RULEBOOK[definition.rule].kind is not RuleKind.CHARTER, definition.name


def test_no_version_in_force_is_an_error_never_none() -> None:
    """Before the programme's start no value is in force, and that is an error."""
    with pytest.raises(NotInForce, match="quorum"):
        Settings.national().resolve(QUORUM, on=PROGRAMME_START - timedelta(days=1), territory="T1")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("quorum", 0),
        ("quorum", "3/2"),
        ("quorum", "a/b"),
        ("quorum", 1.5),
        ("vote_per", "everyone"),
        ("conflicts_excluded", "yes"),
        ("mentor_days_cap", -1),
        ("mentor_days_cap", True),
        ("nope", 1),
    ],
)
def test_bad_values_are_refused_with_the_setting_named(name: str, value: object) -> None:
    """A value that does not fit its setting is refused, naming the setting."""
    with pytest.raises(InvalidValue) as info:
        Settings.national().set_for_territory(
            "T1", setting_named(name), value, start=date(2026, 1, 1)
        )

    assert name in str(info.value) or info.value.field == "setting"


@given(
    st.lists(st.integers(min_value=1, max_value=20), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=3000),
)
def test_the_version_found_is_the_one_covering_the_date(quorums: list[int], offset: int) -> None:
    """With consecutive yearly versions, every date finds the version of its own year."""
    settings = Settings.national()
    for year, quorum in enumerate(quorums):
        settings = settings.set_for_territory(
            "T1", QUORUM, quorum, start=date(2020 + year, 1, 1), end=date(2021 + year, 1, 1)
        )
    on = date(2019, 1, 1) + timedelta(days=offset)
    index = on.year - 2020

    expected = quorums[index] if 0 <= index < len(quorums) else 1
    assert settings.value(QUORUM, on=on, territory="T1") == expected


def test_a_lookup_returns_the_type_of_its_key() -> None:
    """The rounding is a Rounding, a daily rate a Decimal, a flag a bool: no casting needed."""
    settings = Settings.national()

    assert settings.value(ROUNDING, on=ON, territory="T1") is Rounding.HALF_UP
    assert settings.value(DAILY_RATE_EXECUTIVE, on=ON, territory="T1") == Decimal(700)
    assert isinstance(settings.value(DAILY_RATE_EXECUTIVE, on=ON, territory="T1"), Decimal)
    assert settings.value(CONFLICTS_EXCLUDED, on=ON, territory="T1") is False


def test_a_word_is_read_into_the_type_of_its_key() -> None:
    """A territory's rounding written as a word is kept as a Rounding."""
    settings = Settings.national().set_for_territory("T1", ROUNDING, "down", start=date(2026, 1, 1))

    assert settings.value(ROUNDING, on=ON, territory="T1") is Rounding.DOWN


def test_every_key_is_found_by_its_name_and_reads_its_default() -> None:
    """Names are unique; each default reads back as itself, of its own type."""
    assert len({s.name for s in SETTINGS}) == len(SETTINGS)
    for setting in SETTINGS:
        assert setting_named(setting.name) is setting
        parsed = setting.parse(setting.default)
        assert parsed == setting.default
        assert type(parsed) is type(setting.default)
        if setting.kind is SettingKind.CHOICE:
            assert setting.default in setting.choices


def test_a_key_that_is_not_alize_s_is_refused() -> None:
    """A lookup with something that is not one of alize's keys names the culprit."""
    with pytest.raises(InvalidValue, match="setting"):
        Settings.national().resolve("quorum", on=ON, territory="T1")  # type: ignore[arg-type]


def _territory_values() -> st.SearchStrategy[tuple[Setting[SettingValue], object]]:
    """A territory's value for one of the settings a territory may set."""
    by_kind: dict[SettingKind, st.SearchStrategy[object]] = {
        SettingKind.COUNT: st.integers(0, 1000),
        SettingKind.FLAG: st.booleans(),
        SettingKind.AMOUNT: st.decimals(0, 10_000, places=2),
        SettingKind.QUORUM: st.integers(1, 30) | st.sampled_from(["1/2", "2/3", "1/3"]),
    }
    return st.sampled_from([s for s in SETTINGS if s.territorial]).flatmap(
        lambda s: st.tuples(
            st.just(s),
            st.sampled_from(s.choices) if s.kind is SettingKind.CHOICE else by_kind[s.kind],
        )
    )


@given(st.lists(_territory_values(), max_size=6, unique_by=lambda pair: pair[0].name))
def test_settings_round_trip_through_json_with_their_types(
    values: list[tuple[Setting[SettingValue], object]],
) -> None:
    """Dumped and loaded, a territory's settings read the same values, of the same types."""
    settings = Settings.national().with_territory_values("T1", values, start=date(2026, 1, 1))

    again = loads(dumps(settings), Settings)

    assert again == settings
    for setting in SETTINGS:
        before = settings.value(setting, on=ON, territory="T1")
        after = again.value(setting, on=ON, territory="T1")
        assert after == before
        assert type(after) is type(before)
