"""
The embedded sample territory: a fictional programme in the Meuse valley.

Every name, number and SIREN here is invented for the demo (the SIRENs have a
valid check digit so python-stdnum accepts them).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from alize_core import (
    CompanyRepresentative,
    LocalOperator,
    OperatorKind,
    PartnerCompany,
    Project,
    PublicBody,
    PublicBodyKind,
    Settings,
    Sme,
    Territory,
)
from alize_core.kernel import QUORUM, Setting, SettingValue


__all__ = [
    "PROGRAMME_YEAR",
    "SETTINGS_SECTION",
    "TERRITORY_SETTINGS",
    "operator",
    "partners",
    "prefecture",
    "projects",
    "representatives",
    "settings",
    "smes",
    "territory",
]

PROGRAMME_YEAR = 2026
"""The year the demo runs."""


def territory() -> Territory:
    """The sample territory: the Meuse département and two neighbouring communes."""
    return Territory(
        "MEUSE", "Vallée de la Meuse", communes=["52448", "08105"], departements=["55"]
    )


def operator() -> LocalOperator:
    """The sample local operator, a chamber of commerce."""
    return LocalOperator("CCI55", "CCI Meuse Haute-Marne", OperatorKind.CHAMBER_OF_COMMERCE)


def prefecture() -> PublicBody:
    """The prefecture that chairs the steering committee (PIL-01)."""
    return PublicBody("PREF55", "Préfecture de la Meuse", PublicBodyKind.PREFECTURE)


def partners() -> tuple[PartnerCompany, ...]:
    """The partner companies."""
    return (
        PartnerCompany("ACIER", "Aciéries de l'Est", grants_subsidised_loans=True),
        PartnerCompany("ENERG", "Énergie Lorraine"),
        PartnerCompany("TRANS", "Transports du Barrois"),
        PartnerCompany("BANQ", "Banque Populaire de la Vallée", grants_subsidised_loans=True),
    )


def representatives() -> tuple[CompanyRepresentative, ...]:
    """The partner companies' representatives (R4 is retired)."""
    return (
        CompanyRepresentative("R1", "ACIER"),
        CompanyRepresentative("R2", "ACIER"),
        CompanyRepresentative("R3", "ENERG"),
        CompanyRepresentative("R4", "ENERG", in_activity=False),
        CompanyRepresentative("R5", "TRANS"),
        CompanyRepresentative("R6", "BANQ"),
    )


def smes() -> tuple[Sme, ...]:
    """The SMEs that bring projects."""
    return (
        Sme(
            siren="555012343",
            name="Usinage Meusien",
            creation_date=date(2011, 3, 1),
            staff=42,
            turnover=Decimal("6200000"),
            balance_sheet=Decimal("3100000"),
            commune="55029",
        ),
        Sme(
            siren="555023456",
            name="Boulangeries du Barrois",
            creation_date=date(2019, 9, 16),
            staff=18,
            turnover=Decimal("1450000"),
            balance_sheet=Decimal("600000"),
            commune="55545",
        ),
        Sme(
            siren="555034560",
            name="Menuiserie Argonne",
            creation_date=date(2024, 1, 8),
            staff=6,
            turnover=Decimal("380000"),
            balance_sheet=Decimal("150000"),
            commune="55502",
        ),
    )


def projects() -> tuple[Project, ...]:
    """The projects the SMEs bring to the approval committee."""
    return (
        Project("P1", "555012343", "Nouvelle ligne d'usinage 5 axes", jobs_created=6, jobs_kept=36),
        Project(
            "P2", "555023456", "Atelier de production centralisé", jobs_created=4, jobs_kept=14
        ),
        Project("P3", "555034560", "Extension de l'atelier", jobs_created=2, jobs_kept=4),
    )


TERRITORY_SETTINGS: Final[Mapping[Setting[SettingValue], object]] = MappingProxyType({QUORUM: 3})
"""The sample territory's own rules (*règlement intérieur*): a quorum of 3."""

SETTINGS_SECTION: Final = "Article 3 - Quorum"
"""The article of the sample territory's rules that sets them."""


def settings() -> Settings:
    """
    The national defaults plus the sample territory's own rules from 2025, for the parts
    that have no register; the register adopts them by the command
    (:func:`~alize_core.commands.adopt_settings`).
    """
    return Settings.national().set_for_territory(
        "MEUSE",
        QUORUM,
        TERRITORY_SETTINGS[QUORUM],
        start=date(2025, 1, 1),
        section=SETTINGS_SECTION,
    )
