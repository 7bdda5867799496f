"""
The FEC's format (*format du FEC*): its columns, separators, encodings, file name and fiscal year.

What article A47 A-1 of the *Livre des procédures fiscales* sets, shared by the writer
(:mod:`~alize_adapters.connectors.fec.writer`) and the checker
(:mod:`~alize_adapters.connectors.fec.checker`): the 18 columns in the law's order
(:data:`FEC_COLUMNS`), the field separator (:class:`FecSeparator`), the text encoding
(:class:`FecEncoding`), the fiscal year (:class:`FiscalYear`) and the file's name
(:func:`fec_filename`, :func:`parse_fec_filename`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from alize_adapters.connectors.fec._fields import real_date
from alize_core import InvalidValue
from alize_core.kernel.validation import (
    check_date,
    checked,
)
from alize_core.parties.model import check_siren


__all__ = [
    "DEFAULT_JOURNALS",
    "FEC_COLUMNS",
    "OPENING_JOURNAL",
    "FecEncoding",
    "FecSeparator",
    "FiscalYear",
    "fec_filename",
    "parse_fec_filename",
]


FEC_COLUMNS: Final = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
"""The 18 fields of the FEC (IS/BIC layout, article A47 A-1 LPF), in the law's order."""


OPENING_JOURNAL: Final = "AN"
"""The journal code of the opening entries (*à-nouveaux*), which come first in the file."""


DEFAULT_JOURNALS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "AN": "À-nouveaux",
        "AV": "Avances remboursables",
        "BQ": "Banque",
        "BQF": "Banque du fonds ALIZÉ",
        "CVN": "Contributions volontaires en nature",
        "OD": "Opérations diverses",
    }
)
"""The label of each journal code alize's postings use; an operator may give its own."""


_FILENAME: Final = re.compile(r"(\d{9})FEC(\d{8})(?:\.[A-Za-z0-9]{1,4})?")


_MAX_FISCAL_MONTHS: Final = 24


class FecSeparator(enum.StrEnum):
    """The field separator of a FEC (section VI): a tab or a vertical bar, one kind per file."""

    TAB = "\t"
    """A tabulation (the common choice, Tryton's)."""
    PIPE = "|"
    """A vertical bar (Odoo's)."""

    @property
    def french(self) -> str:
        """Its name in the description file."""
        return "tabulation" if self is FecSeparator.TAB else "barre verticale (|)"

    @classmethod
    def named(cls, name: str) -> FecSeparator:
        """
        The separator called ``tab`` or ``pipe`` (as the command line writes it).

        Raises:
            InvalidValue: Neither name.
        """
        names = {"tab": cls.TAB, "pipe": cls.PIPE, "\t": cls.TAB, "|": cls.PIPE}
        try:
            return names[name]
        except KeyError:
            raise InvalidValue("separator", name, "must be tab or pipe") from None


class FecEncoding(enum.StrEnum):
    """The character set of a FEC (section XII): UTF-8 or ISO 8859-15."""

    UTF8 = "utf-8"
    ISO_8859_15 = "iso-8859-15"

    @classmethod
    def named(cls, name: str) -> FecEncoding:
        """
        The encoding with this name (``utf-8``, ``iso-8859-15``, case and dashes ignored).

        Raises:
            InvalidValue: Another name.
        """
        key = name.lower().replace("_", "-").replace("latin-9", "iso-8859-15")
        for member in cls:
            if key in {member.value, member.value.replace("-", "")}:
                return member
        raise InvalidValue("encoding", name, "must be utf-8 or iso-8859-15")


def _check_fiscal_year(instance: FiscalYear, _attribute: object, end: date) -> None:
    check_date(end, field="end")
    if end < instance.start:
        raise InvalidValue("end", end, f"is before the start of the fiscal year ({instance.start})")
    try:
        limit = instance.start + relativedelta(months=_MAX_FISCAL_MONTHS)
    except (ValueError, OverflowError):  # past the year 9999, which no date reaches
        return
    if end >= limit:
        raise InvalidValue("end", end, "makes a fiscal year longer than 24 months")


@attrs.frozen
class FiscalYear:
    """
    A fiscal year (*exercice comptable*): one FEC covers exactly one.

    Attributes:
        start: Its first day.
        end: Its last day, the closing date (*date de clôture*) in the file name.

    >>> FiscalYear.ending(date(2026, 6, 30))
    FiscalYear(start=datetime.date(2025, 7, 1), end=datetime.date(2026, 6, 30))
    >>> FiscalYear(date(2026, 1, 1), date(2025, 12, 31))
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: end: 2025-12-31 is before the start of the fiscal year (2026-01-01)

    .. versionadded:: 0.1.0
    """

    start: date = attrs.field(validator=checked(check_date))
    end: date = attrs.field(validator=_check_fiscal_year)

    @classmethod
    def ending(cls, end: date) -> FiscalYear:
        """
        The twelve-month fiscal year that closes on ``end``.

        Raises:
            InvalidValue: Twelve months before ``end`` is before the year 1.
        """
        try:
            start = end - relativedelta(years=1) + relativedelta(days=1)
        except (ValueError, OverflowError):
            raise InvalidValue("end", end, "is too early to close twelve months") from None
        return cls(start, end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def french(self) -> str:
        """The fiscal year as a French reader writes it."""
        return f"{self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


def fec_filename(siren: str, closing: date) -> str:
    """
    The name the law gives a FEC (section IX): ``<SIREN>FEC<closing date AAAAMMJJ>``.

    The law sets no extension; :func:`export_fec` adds ``.txt``.

    Raises:
        InvalidValue: The SIREN is not valid.

    >>> fec_filename("123456789", date(2026, 12, 31))
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: siren: '123456789' is not a valid SIREN number (its check digit is wrong)

    .. versionadded:: 0.1.0
    """
    return f"{check_siren(siren)}FEC{check_date(closing, field='closing'):%Y%m%d}"


def parse_fec_filename(name: str) -> tuple[str, date]:
    """
    The SIREN and the closing date in a FEC's file name.

    Raises:
        InvalidValue: The name is not ``<SIREN>FEC<AAAAMMJJ>``, the SIREN fails its
            check digit, or the date is not a real one.

    >>> parse_fec_filename("/tmp/555012343FEC20261231.txt")
    ('555012343', datetime.date(2026, 12, 31))

    .. versionadded:: 0.1.0
    """
    base = os.path.basename(name)
    match = _FILENAME.fullmatch(base)
    if not match:
        msg = "is not a FEC file name (<SIREN>FEC<AAAAMMJJ>, e.g. 555012343FEC20261231.txt)"
        raise InvalidValue("file name", base, msg)
    siren = check_siren(match.group(1), field="file name")
    closing = real_date(match.group(2))
    if closing is None:
        raise InvalidValue("file name", base, "does not end with a real closing date")
    return siren, closing
