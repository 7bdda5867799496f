"""Accompaniment: mentors, days, meetings and the value of the time given."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alize_core.kernel import InvalidValue, Settings
from alize_core.programme import (
    MentorCategory,
    Mission,
    SupportKind,
    TimeEntry,
    cap_step,
    check_days,
    days_step,
    mentor_step,
    value_time,
)


def test_time_is_valued_at_the_rate_of_its_category() -> None:
    """ACC-06: 2 executive days and 1 technician day."""
    entries = (
        TimeEntry("M1", "P1", date(2026, 4, 1), Decimal(2), MentorCategory.EXECUTIVE),
        TimeEntry("M2", "P1", date(2026, 4, 2), Decimal(1), MentorCategory.TECHNICIAN),
    )

    valuation = value_time(entries, territory="T1", settings=Settings.national())

    assert [(c.category, c.days, c.value) for c in valuation.categories] == [
        (MentorCategory.EXECUTIVE, Decimal(2), Decimal("1400.00")),
        (MentorCategory.TECHNICIAN, Decimal(1), Decimal("450.00")),
    ]
    assert valuation.categories[0].rates[0].name == "daily_rate_executive"


def test_a_mentor_of_another_company_fails_acc_01() -> None:
    """ACC-01: employed by the partner named."""
    assert mentor_step("M1", MentorCategory.EXECUTIVE, "ACIER", "ACIER").passed
    assert not mentor_step("M1", MentorCategory.EXECUTIVE, "ENERG", "ACIER").passed
    assert not mentor_step("M1", None, "ACIER", "ACIER").passed


def test_days_within_the_grant_pass() -> None:
    """ACC-02."""
    assert days_step(6, 6).passed
    assert not days_step(7, 6).passed


def test_a_mandate_above_the_cap_warns_and_names_the_setting() -> None:
    """ACC-03: above 10 days a year by default."""
    step = cap_step(11, on=date(2026, 1, 1), territory="T1", settings=Settings.national())

    assert (step.passed, step.warning) == (True, True)
    assert step.settings_used[0].name == "mentor_days_cap"
    assert not cap_step(
        10, on=date(2026, 1, 1), territory="T1", settings=Settings.national()
    ).warning


def test_other_forms_of_support_are_recorded_like_missions() -> None:
    """ACC-05: a comparative visit is a mission of another kind."""
    visit = Mission("V1", "P1", "M1", "ACIER", 1, "Visite d'une fonderie", SupportKind.VISIT)

    assert visit.kind.french == "visite comparative"


def test_durations_are_positive_hundredths_of_a_day() -> None:
    """GOV-08: how long, in days."""
    assert check_days(Decimal("0.25"), field="days") == Decimal("0.25")
    with pytest.raises(InvalidValue, match="hundredth"):
        check_days(Decimal("0.125"), field="days")
    with pytest.raises(InvalidValue, match="number of days"):
        check_days(1.5, field="days")
