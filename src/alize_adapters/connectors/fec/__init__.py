"""
The FEC (*fichier des écritures comptables*): writer and validator.

Since 2014 a French business that keeps its books on a computer hands the tax
auditor one flat file per fiscal year (*exercice*): the FEC, whose format is
set by article A47 A-1 of the *Livre des procédures fiscales* (LPF). The
operator of a territory keeps the ALIZÉ account that holds the advance fund
(OP-01), so its accounting must be able to produce it; the postings come from
:mod:`alize_core.accounting.postings` (FUND-05 practice).

The writer (:class:`FecWriter`, :func:`write_fec`, :func:`export_fec`) writes
the 18 columns of the IS/BIC layout in the law's order (:data:`FEC_COLUMNS`)
after a header line; fields are separated by a tab or a ``|``; the text is
UTF-8 or ISO 8859-15; dates are ``AAAAMMJJ``; amounts have a decimal comma and
no thousands separator. Entries come in the order they were validated, numbered
without a gap, opening entries (*à-nouveaux*) first; the file is named
``<SIREN>FEC<closing date>`` and comes with its description file (section XI
of the article). Lines are written as they come, so memory stays flat however
many entries there are.

>>> import io
>>> from datetime import date
>>> from decimal import Decimal
>>> from alize_core.accounting.postings import ChartOfAccounts, Posting
>>> chart = ChartOfAccounts.french_default()
>>> year = FiscalYear(date(2026, 1, 1), date(2026, 12, 31))
>>> advance = Posting.transfer(id="AV-1", on=date(2026, 4, 2), journal="BQ",
...     label="Avance P1", debit=chart.account("advances"), credit=chart.account("bank"),
...     amount=Decimal("25000.00"), auxiliary=("555012343", "Usinage Meusien"))
>>> out = io.BytesIO()
>>> summary = write_fec([advance], out, fiscal_year=year)
>>> summary.lines, summary.entries, summary.total_debit
(2, 1, Decimal('25000.00'))
>>> print(out.getvalue().decode().splitlines()[1].replace("\\t", "|"))
BQ|Banque|1|20260402|2748|Autres prêts|555012343|Usinage Meusien|AV-1|20260402|Avance P1|25000,00|0,00|||20260402||
>>> fec_filename("555012343", date(2026, 12, 31))
'555012343FEC20261231'

The validator (:func:`check_fec`, ``alize export fec --check FILE``) reads a
FEC line by line and reports every problem with its line number: header, field
count, mandatory fields, optional fields that go in pairs, account numbers,
dates, amounts, exactly one of debit or credit, balanced entries and file, one
set of dates per entry, continuous numbering in validation order, dates inside
the fiscal year and the SIREN of the file name:

>>> report = check_fec(io.BytesIO(out.getvalue()), name="555012343FEC20261231.txt")
>>> report.ok, report.lines, report.entries
(True, 2, 1)
>>> bad = out.getvalue().replace(b"25000,00\\t0,00", b"2500,00\\t0,00", 1)
>>> for finding in check_fec(io.BytesIO(bad), name="555012343FEC20261231.txt").errors:
...     print(finding)
ligne 2, Debit : l'écriture 1 du journal BQ n'est pas équilibrée : débit 2500,00, crédit 25000,00
fichier, Debit : le fichier n'est pas équilibré : débit 2500,00, crédit 25000,00

A posting dated outside the fiscal year is refused before anything is written:

>>> write_fec([advance], io.BytesIO(), fiscal_year=FiscalYear(date(2025, 1, 1),
...     date(2025, 12, 31)))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: on: 'AV-1' is dated 02/04/2026, outside the fiscal year 01/01/2025–31/12/2025

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from .checker import (
    FecCheck,
    FecFinding,
    Severity,
    check_fec,
)
from .format import (
    DEFAULT_JOURNALS,
    FEC_COLUMNS,
    OPENING_JOURNAL,
    FecEncoding,
    FecSeparator,
    FiscalYear,
    fec_filename,
    parse_fec_filename,
)
from .writer import (
    FecEntry,
    FecExport,
    FecSummary,
    FecWriter,
    describe_fec,
    export_fec,
    write_fec,
)


__all__ = [
    "DEFAULT_JOURNALS",
    "FEC_COLUMNS",
    "OPENING_JOURNAL",
    "FecCheck",
    "FecEncoding",
    "FecEntry",
    "FecExport",
    "FecFinding",
    "FecSeparator",
    "FecSummary",
    "FecWriter",
    "FiscalYear",
    "Severity",
    "check_fec",
    "describe_fec",
    "export_fec",
    "fec_filename",
    "parse_fec_filename",
    "write_fec",
]
