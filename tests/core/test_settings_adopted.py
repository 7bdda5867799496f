"""A territory's settings adopted by a command, kept in the journal, read by every command on its date."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_core.commands import adopt_settings, disburse_advance, sign_agreement
from alize_core.governance.session import AgendaEntry
from alize_core.journal import EventKind, SettingsAdopted
from alize_core.kernel import (
    MENTOR_DAYS_CAP,
    PRESIDENT_IN_ACTIVITY,
    QUORUM,
    SME_MAX_STAFF,
    VOTE_PER,
    CommandRefused,
    InvalidValue,
    MissingValue,
    Rounding,
    Setting,
    SettingsConflict,
    SettingValue,
    SettingVersion,
    setting_named,
)
from alize_core.register.replay import register_at
from alize_core.register.views import Register
from tests.core.register_story import OPERATOR, Story


FOUNDED = date(2025, 11, 3)
"""The day the story's territory is proposed (and its settings, if any, adopted)."""


def _adopted(story: Story, on: date, **values: object) -> Story:
    """The story with these values (by setting name) adopted on a date."""
    adopted: dict[Setting[SettingValue], object] = {setting_named(k): v for k, v in values.items()}
    story.do(adopt_settings(story.register, adopted, on=on, actor=OPERATOR))
    return story


def test_settings_adopted_apply_from_their_day_and_not_before() -> None:
    """A quorum of 3 adopted on 1 March: in force that day, the default the day before."""
    story = _adopted(Story().founded(), date(2026, 3, 1), quorum=3)
    settings_known = story.register.settings

    assert settings_known.value(QUORUM, on=date(2026, 3, 1), territory="MEUSE") == 3
    assert settings_known.value(QUORUM, on=date(2026, 2, 28), territory="MEUSE") == 1


def test_a_later_adoption_ends_the_earlier_value() -> None:
    """The quorum of 3 ends the day the territory adopts 1/2; each is cited to its own day."""
    story = _adopted(Story().founded(), date(2026, 1, 5), quorum=3)
    story = _adopted(story, date(2026, 6, 1), quorum="1/2")
    known = story.register.settings

    earlier = known.resolve(QUORUM, on=date(2026, 5, 31), territory="MEUSE")
    later = known.resolve(QUORUM, on=date(2026, 6, 1), territory="MEUSE")
    assert (earlier.value, earlier.start, earlier.end) == (3, date(2026, 1, 5), date(2026, 6, 1))
    assert (later.value, later.start, later.end) == (Fraction(1, 2), date(2026, 6, 1), None)


def test_a_disbursement_after_an_adoption_uses_the_adopted_rounding_and_not_before() -> None:
    """SCH-01: the register's rounding on the day of payment, whatever was adopted later."""
    story = Story().founded().funded().with_projects().approved()
    story.do(sign_agreement(story.register, "P1", "CC-P1", on=date(2026, 3, 31), actor=OPERATOR))
    before = disburse_advance(
        story.register, "P1", instalments=24, on=date(2026, 3, 31), actor=OPERATOR
    )
    story = _adopted(story, date(2026, 3, 31), rounding="down")
    after = disburse_advance(
        story.register, "P1", instalments=24, on=date(2026, 3, 31), actor=OPERATOR
    )

    (paid_before,) = before.events
    (paid_after,) = after.events
    assert isinstance(paid_before.payload, type(paid_after.payload))
    assert getattr(paid_before.payload, "rounding", None) is Rounding.HALF_UP
    assert getattr(paid_after.payload, "rounding", None) is Rounding.DOWN


def test_a_session_is_decided_with_the_quorum_in_force_on_its_day() -> None:
    """GOV-04: with a quorum of 3 adopted, a session of two representatives is invalid."""
    story = _adopted(Story().founded().funded().with_projects(), date(2026, 3, 1), quorum=3)

    decided = story.session(
        "S1",
        date(2026, 3, 12),
        [AgendaEntry("P1")],
        [("P1", "R1", "for"), ("P1", "R2", "for")],
        attendees=[OPERATOR, "R1", "R2"],
    )

    quorum = [s for s in decided.decision.steps if s.code == "quorum.not_reached"]
    assert quorum
    assert {v.value for s in quorum for v in s.settings_used} == {3}


def test_the_adoption_is_one_event_of_its_kind_citing_the_article() -> None:
    """The event records each value with its start, territory and the article that sets it."""
    story = Story().founded()
    result = adopt_settings(
        story.register,
        {QUORUM: "2/3", VOTE_PER: "company"},
        section="Article 4",
        on=date(2026, 1, 5),
        actor=OPERATOR,
    )

    (event,) = result.events
    assert event.kind is EventKind.SETTINGS_ADOPTED
    assert isinstance(event.payload, SettingsAdopted)
    assert [
        (v.name, v.value, v.start, v.territory, v.citation.section) for v in event.payload.versions
    ] == [
        ("quorum", Fraction(2, 3), date(2026, 1, 5), "MEUSE", "Article 4"),
        ("vote_per", "company", date(2026, 1, 5), "MEUSE", "Article 4"),
    ]
    assert event.rules == ("OP-02", "GOV-04", "GOV-03")


@pytest.mark.parametrize(
    ("values", "actor", "code"),
    [
        ({QUORUM: 3}, "R1", "role.not_operator"),
        ({PRESIDENT_IN_ACTIVITY: False}, OPERATOR, "setting.fixed"),
        ({SME_MAX_STAFF: 500, QUORUM: 2}, OPERATOR, "setting.fixed"),
    ],
    ids=["not the operator", "charter-fixed", "charter-fixed among others"],
)
def test_a_refused_adoption_records_nothing(values: object, actor: str, code: str) -> None:
    """Refused as a decision naming the rule; no event; the register's settings unchanged."""
    story = Story().founded()
    before = story.register.settings

    result = adopt_settings(story.register, values, on=date(2026, 1, 5), actor=actor)  # type: ignore[arg-type]

    assert not result.accepted
    assert result.events == ()
    assert [s.code for s in result.decision.failed] == [code]
    assert story.register.settings == before


def test_a_second_value_of_a_setting_the_same_day_is_refused() -> None:
    """Two values of one setting may not share a day: the second adoption is refused."""
    story = _adopted(Story().founded(), date(2026, 1, 5), quorum=3)

    result = adopt_settings(story.register, {QUORUM: 2}, on=date(2026, 1, 5), actor=OPERATOR)

    assert [s.code for s in result.decision.failed] == ["setting.same_day"]
    assert result.events == ()


def test_bad_values_and_empty_adoptions_are_bad_input() -> None:
    """A value that does not fit its setting raises, naming it; so does adopting nothing."""
    story = Story().founded()

    with pytest.raises(InvalidValue, match="quorum"):
        adopt_settings(story.register, {QUORUM: 0}, on=date(2026, 1, 5), actor=OPERATOR)
    with pytest.raises(MissingValue, match="values"):
        adopt_settings(story.register, {}, on=date(2026, 1, 5), actor=OPERATOR)


def test_settings_cannot_be_adopted_before_the_territory_is_proposed() -> None:
    """The settings are a territory's: without one, the command is refused."""
    with pytest.raises(CommandRefused, match="territory"):
        adopt_settings(Register.empty(), {QUORUM: 3}, on=date(2026, 1, 5), actor=OPERATOR)


def test_a_journal_setting_what_the_charter_fixes_is_a_problem_of_its_event() -> None:
    """A hand-made event that sets a charter value is found by the fold, never applied."""
    story = Story().founded()
    from alize_core.journal.chain import seal
    from alize_core.kernel.rules import Citation

    fixed = SettingVersion(
        "president_in_activity",
        False,
        date(2026, 1, 5),
        None,
        "MEUSE",
        Citation("reglement-interieur:MEUSE", "Article 9"),
    )
    events = seal(
        story.register, OPERATOR, date(2026, 1, 5), [(("OP-02",), SettingsAdopted((fixed,)))]
    )
    register = story.register.apply(events)

    assert any("charter" in p.message for p in register.problems)
    assert register.settings.value(PRESIDENT_IN_ACTIVITY, on=date(2026, 2, 1), territory="MEUSE")


def test_a_register_replayed_at_a_date_knows_the_settings_adopted_by_then() -> None:
    """Replayed before the adoption, the register has only the national values."""
    story = _adopted(Story().founded(), date(2026, 1, 5), quorum=3)

    earlier = register_at(story.events, date(2026, 1, 4))

    assert earlier.settings.value(QUORUM, on=date(2026, 1, 5), territory="MEUSE") == 1
    with pytest.raises(SettingsConflict):
        earlier.settings.set_for_territory("MEUSE", PRESIDENT_IN_ACTIVITY, False, start=FOUNDED)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(st.integers(1, 60), st.integers(0, 30)), min_size=1, max_size=5),
    st.integers(0, 400),
)
def test_the_value_in_force_is_the_last_adopted_on_or_before_the_date(
    adoptions: list[tuple[int, int]], offset: int
) -> None:
    """Whatever the adoptions, a date reads the last value adopted up to it, else the default."""
    story = Story().founded()
    day = date(2026, 1, 1)
    adopted: list[tuple[date, int]] = []
    for gap, cap in adoptions:
        day += timedelta(days=gap)
        story.do(adopt_settings(story.register, {MENTOR_DAYS_CAP: cap}, on=day, actor=OPERATOR))
        adopted.append((day, cap))
    on = date(2026, 1, 1) + timedelta(days=offset)

    expected = [cap for start, cap in adopted if start <= on]
    value = story.register.settings.value(MENTOR_DAYS_CAP, on=on, territory="MEUSE")
    assert value == (expected[-1] if expected else MENTOR_DAYS_CAP.default)
