"""The model: SIREN/SIRET checked, perimeters, counts and names refused when wrong."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

from alize_core import InvalidValue, PartnerCompany, Project, Sme, Territory
from alize_core.parties import check_siret


def sme(**changes: object) -> Sme:
    """A valid SME, with changes."""
    values: dict[str, object] = {
        "siren": "555012343",
        "name": "Usinage",
        "creation_date": date(2015, 1, 1),
        "staff": 12,
        "turnover": Decimal("1200000"),
        "balance_sheet": Decimal("800000"),
        "commune": "55029",
    }
    values.update(changes)
    return Sme(**values)  # type: ignore[arg-type]


def test_a_siren_with_a_wrong_check_digit_is_refused() -> None:
    """python-stdnum's Luhn check catches a mistyped SIREN."""
    with pytest.raises(InvalidValue, match="check digit"):
        sme(siren="555012344")


def test_a_siret_must_belong_to_the_sme() -> None:
    """An establishment's SIRET starts with its company's SIREN."""
    with pytest.raises(InvalidValue, match="does not belong"):
        sme(siret="55504567300012")


def test_la_poste_siret_exception_is_accepted() -> None:
    """La Poste's establishments do not follow the Luhn rule; python-stdnum knows it."""
    assert check_siret("35600000000048") == "35600000000048"


def test_a_perimeter_covers_its_departements_and_listed_communes() -> None:
    """ELIG-03: a commune is inside when listed or in a département covered whole."""
    territory = Territory("T", "Nord Guadeloupe", communes=["2A004"], departements=["971"])

    assert territory.contains("97101")
    assert territory.contains("2A004")
    assert not territory.contains("2B033")


def test_a_territory_needs_a_perimeter() -> None:
    """A territory with neither communes nor départements is refused."""
    with pytest.raises(InvalidValue, match="at least one commune"):
        Territory("T", "Nulle part")


def test_values_never_change_but_evolve() -> None:
    """Frozen: assignment fails; evolve makes a checked new value."""
    company = PartnerCompany("C1", "Acier")

    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        company.name = "Autre"  # type: ignore[misc]
    with pytest.raises(InvalidValue):
        attrs.evolve(company, siren="123")


@pytest.mark.parametrize("jobs", [-1, True, "3", 2.0])
def test_jobs_must_be_whole_numbers(jobs: object) -> None:
    """ELIG-04: jobs created are a whole number, zero or more."""
    with pytest.raises(InvalidValue) as info:
        Project("P1", "555012343", "Nouvelle ligne", jobs_created=jobs, jobs_kept=1)  # type: ignore[arg-type]

    assert info.value.field == "jobs_created"
