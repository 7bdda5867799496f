"""
The programme's tables (*tableaux du programme*): what officers keep in spreadsheets (SMEs,
partners, company representatives, projects) and the fund's postings, as the
:class:`~alize_adapters.connectors.spreadsheets.Table` s that
:mod:`~alize_adapters.connectors.spreadsheets` writes and reads, by their command-line name
in :data:`TABLES`. A posting takes one row per line; its rows are put back together on import.

>>> sorted(TABLES)
['ecritures', 'entreprises', 'partenaires', 'projets', 'representants']

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

from alize_adapters.connectors.spreadsheets import (
    Column,
    ColumnKind,
    ProblemReport,
    Row,
    Table,
    header_of,
    problem_reason,
)
from alize_core import AlizeError, CompanyRepresentative, PartnerCompany, Project, Sme
from alize_core.accounting.postings import Account, Posting, PostingLine


__all__ = ["PARTNERS", "POSTINGS", "PROJECTS", "REPRESENTATIVES", "SMES", "TABLES"]


def _posting_rows(posting: Posting) -> Iterator[Row]:
    for line in posting.lines:
        yield (
            posting.journal,
            posting.on,
            posting.id,
            posting.label,
            line.account.number,
            line.account.label,
            line.label,
            line.debit,
            line.credit,
            line.auxiliary,
            line.auxiliary_label,
        )


def _text_or_none(value: object) -> str | None:
    return None if value is None else str(value)


def _amount_or_zero(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal("0.00")


def _posting_line(values: Mapping[str, object]) -> PostingLine:
    return PostingLine(
        Account(str(values["account_number"]), str(values["account_label"])),
        str(values["line_label"]),
        debit=_amount_or_zero(values["debit"]),
        credit=_amount_or_zero(values["credit"]),
        auxiliary=_text_or_none(values["auxiliary"]),
        auxiliary_label=_text_or_none(values["auxiliary_label"]),
    )


def _assemble_postings(
    rows: list[tuple[int, dict[str, object]]], report: ProblemReport
) -> list[object]:
    groups: dict[str, list[tuple[int, dict[str, object]]]] = {}
    for line, values in rows:
        groups.setdefault(str(values["id"]), []).append((line, values))
    postings: list[object] = []
    for group in groups.values():
        first_line, first = group[0]
        on = first["on"]
        assert isinstance(on, date)
        try:
            lines = tuple(_posting_line(values) for _, values in group)
            postings.append(
                Posting(str(first["id"]), on, str(first["journal"]), str(first["label"]), lines)
            )
        except AlizeError as exc:
            header = header_of(POSTINGS, _POSTING_FIELDS.get(exc.field, exc.field))
            report(first_line, header, exc.value, problem_reason(exc))
    return postings


_POSTING_FIELDS: Final = {"lines": "debit", "number": "account_number", "label": "line_label"}

SMES: Final = Table(
    "entreprises",
    Sme,
    (
        Column("SIREN", "siren"),
        Column("Raison sociale", "name"),
        Column("Date de création", "creation_date", ColumnKind.DATE),
        Column("Effectif", "staff", ColumnKind.INTEGER),
        Column("Chiffre d'affaires", "turnover", ColumnKind.AMOUNT),
        Column("Total du bilan", "balance_sheet", ColumnKind.AMOUNT),
        Column("Commune (code INSEE)", "commune"),
        Column("SIRET", "siret", required=False),
    ),
)

PARTNERS: Final = Table(
    "partenaires",
    PartnerCompany,
    (
        Column("Identifiant", "id"),
        Column("Raison sociale", "name"),
        Column("SIREN", "siren", required=False),
        Column("Accorde des prêts bonifiés", "grants_subsidised_loans", ColumnKind.FLAG),
    ),
)

REPRESENTATIVES: Final = Table(
    "representants",
    CompanyRepresentative,
    (
        Column("Identifiant", "id"),
        Column("Entreprise partenaire", "company"),
        Column("En activité", "in_activity", ColumnKind.FLAG),
    ),
)

PROJECTS: Final = Table(
    "projets",
    Project,
    (
        Column("Identifiant", "id"),
        Column("SIREN de l'entreprise", "sme"),
        Column("Intitulé", "title"),
        Column("Emplois créés", "jobs_created", ColumnKind.INTEGER),
        Column("Emplois maintenus", "jobs_kept", ColumnKind.INTEGER),
        Column("Projet d'adaptation", "adaptation", ColumnKind.FLAG),
    ),
)

POSTINGS: Final = Table(
    "ecritures",
    Posting,
    (
        Column("Journal", "journal"),
        Column("Date", "on", ColumnKind.DATE),
        Column("Pièce", "id"),
        Column("Libellé de l'écriture", "label"),
        Column("Compte", "account_number"),
        Column("Libellé du compte", "account_label"),
        Column("Libellé de la ligne", "line_label"),
        Column("Débit", "debit", ColumnKind.AMOUNT, required=False),
        Column("Crédit", "credit", ColumnKind.AMOUNT, required=False),
        Column("Compte auxiliaire", "auxiliary", required=False),
        Column("Libellé auxiliaire", "auxiliary_label", required=False),
    ),
    explode=_posting_rows,
    assemble=_assemble_postings,
)

TABLES: Final[Mapping[str, Table]] = MappingProxyType(
    {table.name: table for table in (SMES, PARTNERS, REPRESENTATIVES, PROJECTS, POSTINGS)}
)
"""The register's main tables, by name: SMEs, partners, representatives, projects, postings."""
