"""Conventions: three years from the start, renewals that do not overlap, agreements after approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core.kernel import InvalidValue
from alize_core.programme import (
    CooperationAgreement,
    PartnerCommitment,
    TriennialConvention,
    agreement_step,
    convention_in_force,
    convention_step,
    overlap_step,
    validation_step,
)


def _convention(start: date, convention_id: str = "CT") -> TriennialConvention:
    return TriennialConvention(
        convention_id, start, (PartnerCommitment("A", Decimal("1000.00"), 5),)
    )


@given(start=st.dates(min_value=date(1997, 1, 1), max_value=date(2090, 12, 31)))
def test_a_convention_covers_three_years_from_its_start_and_no_more(start: date) -> None:
    """CONV-01: covered on its first and last day, not on the day after."""
    convention = _convention(start)

    assert convention.covers(start)
    assert convention.covers(convention.last_day)
    assert not convention.covers(convention.end)
    assert 365 * 3 <= (convention.end - start).days <= 365 * 3 + 1


def test_a_convention_starting_on_29_february_ends_on_28_february() -> None:
    """Month-end clipping, as dateutil gives it."""
    assert _convention(date(2028, 2, 29)).end == date(2031, 2, 28)


def test_the_convention_in_force_is_found_by_date() -> None:
    """A renewal takes over when the first convention ends."""
    first, renewal = _convention(date(2026, 1, 1), "A"), _convention(date(2029, 1, 1), "B")

    assert convention_in_force((first, renewal), date(2028, 12, 31)) is first
    assert convention_in_force((first, renewal), date(2029, 1, 1)) is renewal
    assert convention_in_force((first, renewal), date(2025, 12, 31)) is None


def test_activity_outside_a_convention_passes_with_a_warning() -> None:
    """CONV-01 flags, it does not refuse."""
    step = convention_step((_convention(date(2026, 1, 1)),), on=date(2030, 1, 1))

    assert (step.passed, step.warning, step.code) == (True, True, "convention.none_in_force")


def test_overlapping_conventions_are_a_failed_step() -> None:
    """Renewal is a new convention that starts when the current one ends."""
    first = _convention(date(2026, 1, 1), "A")

    assert not overlap_step((first,), _convention(date(2028, 12, 31), "B")).passed
    assert overlap_step((first,), _convention(date(2029, 1, 1), "B")).passed


def test_no_validation_no_programme() -> None:
    """NAT-01: without the national committee's validation the step fails."""
    assert not validation_step(None).passed
    assert validation_step(date(2025, 12, 1)).passed


def test_an_agreement_is_required_to_support_an_sme() -> None:
    """CONV-02."""
    signed = CooperationAgreement("CC1", "P1", date(2026, 3, 20))

    assert not agreement_step("P1", None).passed
    assert agreement_step("P1", signed).params["agreement"] == "CC1"


def test_a_partner_cannot_commit_twice_in_one_convention() -> None:
    """One commitment per partner."""
    commitment = PartnerCommitment("A", Decimal("1.00"), 1)

    with pytest.raises(InvalidValue, match="appears twice"):
        TriennialConvention("CT", date(2026, 1, 1), (commitment, commitment))


def test_a_negative_commitment_is_refused() -> None:
    """A commitment is money given, never taken."""
    with pytest.raises(InvalidValue, match="yearly_amount"):
        PartnerCommitment("A", Decimal("-1.00"), 1)
