"""Eligibility: every rule checked, the failed ones say why not."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from alize_adapters.demo import sample
from alize_core.governance import check_eligibility
from alize_core.kernel import InvalidValue, Outcome, Settings
from alize_core.parties import Project, Sme, Territory


MEUSE = Territory("T1", "Meuse", communes=["52448"], departements=["55"])
SME = sample.smes()[0]
PROJECT = Project("P1", "555012343", "Ligne", jobs_created=6, jobs_kept=36)
ON = date(2026, 3, 1)


def _check(sme: Sme = SME, project: Project = PROJECT) -> list[tuple[str, bool]]:
    decision = check_eligibility(sme, project, MEUSE, on=ON, settings=Settings.national())
    return [(step.rule, step.passed) for step in decision.steps]


def test_an_eligible_project_passes_every_rule() -> None:
    """ELIG-01…04 all pass: accepted."""
    decision = check_eligibility(SME, PROJECT, MEUSE, on=ON, settings=Settings.national())

    assert decision.outcome is Outcome.ACCEPTED
    assert decision.rules == ("ELIG-01", "ELIG-02", "ELIG-03", "ELIG-04")


def test_250_staff_is_not_an_sme() -> None:
    """ELIG-01: fewer than 250."""
    assert ("ELIG-01", False) in _check(attrs.evolve(SME, staff=250))
    assert ("ELIG-01", False) not in _check(attrs.evolve(SME, staff=249))


def test_one_financial_ceiling_is_enough() -> None:
    """ELIG-01: turnover within 50 M€ or balance sheet within 43 M€."""
    big_turnover = attrs.evolve(SME, turnover=Decimal("80000000"))
    both_big = attrs.evolve(big_turnover, balance_sheet=Decimal("43000000.01"))

    assert all(passed for _, passed in _check(big_turnover))
    assert ("ELIG-01", False) in _check(both_big)


def test_a_company_turns_three_on_its_anniversary() -> None:
    """ELIG-02: three full years at the date of the check."""
    assert ("ELIG-02", True) in _check(attrs.evolve(SME, creation_date=date(2023, 3, 1)))
    assert ("ELIG-02", False) in _check(attrs.evolve(SME, creation_date=date(2023, 3, 2)))


def test_a_young_company_with_an_adaptation_project_is_eligible() -> None:
    """ELIG-02: or an adaptation project."""
    young = attrs.evolve(SME, creation_date=date(2025, 1, 1))

    assert ("ELIG-02", True) in _check(young, attrs.evolve(PROJECT, adaptation=True))


def test_a_company_outside_the_perimeter_is_refused() -> None:
    """ELIG-03: a commune of the Meurthe-et-Moselle is outside the Meuse's perimeter."""
    assert ("ELIG-03", False) in _check(attrs.evolve(SME, commune="54395"))
    assert ("ELIG-03", True) in _check(attrs.evolve(SME, commune="52448"))


def test_a_project_must_state_its_jobs() -> None:
    """ELIG-04: created or kept."""
    assert ("ELIG-04", False) in _check(project=attrs.evolve(PROJECT, jobs_created=0, jobs_kept=0))
    assert ("ELIG-04", True) in _check(project=attrs.evolve(PROJECT, jobs_created=0, jobs_kept=1))


def test_every_failure_is_reported_at_once() -> None:
    """A check over many rules returns every finding."""
    bad = attrs.evolve(SME, staff=300, commune="54395", creation_date=date(2025, 1, 1))

    failed = [rule for rule, passed in _check(bad) if not passed]

    assert failed == ["ELIG-01", "ELIG-02", "ELIG-03"]


def test_a_company_created_after_the_check_is_bad_input() -> None:
    """The creation date must precede the check."""
    with pytest.raises(InvalidValue, match="creation_date"):
        _check(attrs.evolve(SME, creation_date=date(2027, 1, 1)))
