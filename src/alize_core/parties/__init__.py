"""
The parties (*acteurs*): territories, partner companies, operators, public bodies, SMEs and projects.
"""

from __future__ import annotations

from .model import (
    CompanyRepresentative,
    LocalOperator,
    OperatorKind,
    PartnerCompany,
    PersonRole,
    Project,
    PublicBody,
    PublicBodyKind,
    RelayStructure,
    Sme,
    Territory,
    check_siren,
    check_siret,
)


__all__ = [
    "CompanyRepresentative",
    "LocalOperator",
    "OperatorKind",
    "PartnerCompany",
    "PersonRole",
    "Project",
    "PublicBody",
    "PublicBodyKind",
    "RelayStructure",
    "Sme",
    "Territory",
    "check_siren",
    "check_siret",
]
