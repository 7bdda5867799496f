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

import enum
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import IO, Final

import attrs
from dateutil.relativedelta import relativedelta

from alize_core import InvalidValue, __version__
from alize_core.accounting.postings import Account, Posting
from alize_core.kernel.validation import (
    check_count,
    check_date,
    check_id,
    check_text,
    checked,
    instance_of,
    optional,
)
from alize_core.parties.model import check_siren


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

_DESCRIPTIONS: Final = (
    "Code journal",
    "Libellé journal",
    "Numéro de l'écriture, sur une séquence continue",
    "Date de comptabilisation de l'écriture",
    "Numéro de compte (les trois premiers caractères sont des chiffres du PCG)",
    "Libellé de compte",
    "Numéro de compte auxiliaire (SIREN de l'entreprise, identifiant du partenaire)",
    "Libellé de compte auxiliaire",
    "Référence de la pièce justificative",
    "Date de la pièce justificative",
    "Libellé de l'écriture",
    "Montant au débit",
    "Montant au crédit",
    "Lettrage",
    "Date de lettrage",
    "Date de validation de l'écriture",
    "Montant en devise",
    "Identifiant de la devise",
)

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

_MANDATORY: Final = (0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15)
_PAIRS: Final = ((6, 7), (13, 14), (16, 17))
_DATE: Final = re.compile(r"\d{8}")
_AMOUNT: Final = re.compile(r"([+-]?)(\d+)(?:,(\d+))?([+-]?)")
_ACCOUNT: Final = re.compile(r"\d{3}")
_NUMBER: Final = re.compile(r"(.*?)(\d+)")
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
    alize_core.kernel.errors.InvalidValue: end: datetime.date(2025, 12, 31) is before the start of the fiscal year (2026-01-01)

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


@attrs.frozen
class FecEntry:
    """
    A posting as it goes into the FEC: with the date it was validated (*validée*).

    Attributes:
        posting: The balanced posting.
        validated_on: The day it became irreversible (``ValidDate``); the FEC lists
            entries in this order.
        piece_date: The date of the supporting document (``PieceDate``); the
            posting's date when not given.

    .. versionadded:: 0.1.0
    """

    posting: Posting = attrs.field(validator=instance_of(Posting))
    validated_on: date = attrs.field(validator=checked(check_date))
    piece_date: date | None = attrs.field(default=None, validator=optional(check_date))

    @classmethod
    def of(cls, item: FecEntry | Posting) -> FecEntry:
        """An entry as given, or a posting validated on its own date."""
        if isinstance(item, FecEntry):
            return item
        if isinstance(item, Posting):
            return cls(item, item.on)
        raise InvalidValue("entry", item, "must be a Posting or a FecEntry")


@attrs.frozen
class FecSummary:
    """
    What a FEC holds once written.

    Attributes:
        lines: The number of entry lines (the header not counted).
        entries: The number of entries (*écritures*).
        total_debit: The sum of the debits.
        total_credit: The sum of the credits (equal to the debits).
        first_number: The first ``EcritureNum`` written (``None`` when empty).
        last_number: The last one.
        journals: The journal codes used, with their labels, in the order met.
    """

    lines: int
    entries: int
    total_debit: Decimal
    total_credit: Decimal
    first_number: int | None
    last_number: int | None
    journals: tuple[tuple[str, str], ...]


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
    closing = _real_date(match.group(2))
    if closing is None:
        raise InvalidValue("file name", base, "does not end with a real closing date")
    return siren, closing


def _real_date(text: str) -> date | None:
    if not _DATE.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _journals(value: Mapping[str, str]) -> Mapping[str, str]:
    if not isinstance(value, Mapping):
        raise InvalidValue("journals", value, "must map each journal code to its label")
    for code, label in value.items():
        check_id(code, field="journal code")
        check_text(label, field=f"journals[{code}]")
    return MappingProxyType(dict(value))


class FecWriter:
    """
    Writes a FEC to a binary stream, one entry at a time (memory stays flat).

    Entries must come in the order they were validated (``validated_on`` never
    going back), opening entries first, each dated inside the fiscal year; they
    are numbered from ``first_number`` without a gap. A refused entry raises
    before any of its lines is written.

    Args:
        stream: Where the bytes go (a file opened ``"wb"``).
        fiscal_year: The fiscal year the file covers.
        separator: Tab (default) or ``|``.
        encoding: UTF-8 (default) or ISO 8859-15; text that ISO 8859-15 cannot
            write is refused, never silently replaced.
        journals: The label of each journal code (:data:`DEFAULT_JOURNALS` by default).
        first_number: The first ``EcritureNum``.

    .. versionadded:: 0.1.0
    """

    _FLUSH_EVERY: Final = 2048

    def __init__(
        self,
        stream: IO[bytes],
        *,
        fiscal_year: FiscalYear,
        separator: FecSeparator = FecSeparator.TAB,
        encoding: FecEncoding = FecEncoding.UTF8,
        journals: Mapping[str, str] = DEFAULT_JOURNALS,
        first_number: int = 1,
    ) -> None:
        if not isinstance(fiscal_year, FiscalYear):
            raise InvalidValue("fiscal_year", fiscal_year, "must be a FiscalYear")
        self._stream = stream
        self._year = fiscal_year
        self._sep = FecSeparator(separator).value
        self._encoding = FecEncoding(encoding)
        self._journals = _journals(journals)
        self._next = first_number
        self._first = first_number
        self._buffer: list[str] = []
        self._dates: dict[date, str] = {}
        self._texts: dict[str, str] = {}
        self._accounts: dict[int, tuple[Account, str]] = {}
        self._journal_heads: dict[str, str] = {}
        self._used: dict[str, str] = {}
        self._last_validated: date | None = None
        self._opening_done = False
        self._lines = 0
        self._entries = 0
        self._debit = Decimal("0.00")
        self._credit = Decimal("0.00")
        self._closed = False
        self._emit(self._sep.join(FEC_COLUMNS) + "\r\n")

    def _emit(self, text: str) -> None:
        self._stream.write(text.encode(self._encoding.value))

    def _date(self, day: date) -> str:
        text = self._dates.get(day)
        if text is None:
            if len(self._dates) > 10_000:
                self._dates.clear()
            text = self._dates[day] = f"{day.year:04d}{day.month:02d}{day.day:02d}"
        return text

    def _text(self, value: str, field: str) -> str:
        text = self._texts.get(value)
        if text is None:
            text = value
            for bad in (self._sep, "\r", "\n"):
                text = text.replace(bad, " ")
            try:
                text.encode(self._encoding.value)
            except UnicodeEncodeError:
                msg = (
                    "cannot be written in ISO 8859-15; write the FEC in UTF-8"
                    if self._encoding is FecEncoding.ISO_8859_15
                    else "holds a character that is no text (a lone surrogate)"
                )
                raise InvalidValue(field, value, msg) from None
            if len(self._texts) > 100_000:
                self._texts.clear()
            self._texts[value] = text
        return text

    def _account(self, account: Account) -> str:
        # Keyed by identity (the account is kept in the cache, so its id is never reused):
        # hashing an attrs instance for every line costs more than writing the line.
        cached = self._accounts.get(id(account))
        if cached is None:
            if len(self._accounts) > 10_000:
                self._accounts.clear()
            label = self._text(account.label, "CompteLib")
            cached = self._accounts[id(account)] = (account, f"{account.number}{self._sep}{label}")
        return cached[1]

    def _journal(self, code: str) -> str:
        head = self._journal_heads.get(code)
        if head is None:
            label = self._journals.get(code)
            if label is None:
                known = ", ".join(sorted(self._journals))
                msg = f"is not a journal with a label (known: {known}); give its label"
                raise InvalidValue("journal", code, msg)
            head = f"{self._text(code, 'JournalCode')}{self._sep}{self._text(label, 'JournalLib')}"
            self._journal_heads[code] = head
            self._used[code] = label
        return head

    def _check(self, posting: Posting, validated_on: date) -> None:
        if posting.on not in self._year:
            msg = f"is dated {posting.on:%d/%m/%Y}, outside the fiscal year {self._year.french()}"
            raise InvalidValue("on", posting.id, msg)
        last = self._last_validated
        if last is not None and validated_on < last:
            msg = (
                f"was validated on {validated_on:%d/%m/%Y}, before the entry written"
                f" just before it ({last:%d/%m/%Y}): give entries in the order they were validated"
            )
            raise InvalidValue("validated_on", posting.id, msg)
        if posting.journal == OPENING_JOURNAL and self._opening_done:
            msg = "is an opening entry (à-nouveaux) after other entries: opening entries come first"
            raise InvalidValue("journal", posting.id, msg)

    def write(self, item: FecEntry | Posting) -> None:
        """
        Write one entry (all its lines) and give it the next number.

        Raises:
            InvalidValue: The entry is dated outside the fiscal year, comes out of
                validation order, is an opening entry after others, uses a journal
                without a label, or holds text the encoding cannot write.
        """
        if self._closed:
            raise InvalidValue("writer", "closed", "cannot take entries once closed")
        # A bare posting is written without building a FecEntry: the writer's hot path.
        if isinstance(item, Posting):
            posting, validated_on, piece_date = item, item.on, item.on
        elif isinstance(item, FecEntry):
            posting, validated_on = item.posting, item.validated_on
            piece_date = item.piece_date or posting.on
        else:
            raise InvalidValue("entry", item, "must be a Posting or a FecEntry")
        self._check(posting, validated_on)
        sep = self._sep
        head = (
            f"{self._journal(posting.journal)}{sep}{self._next}{sep}{self._date(posting.on)}{sep}"
        )
        piece = f"{self._text(posting.id, 'PieceRef')}{sep}{self._date(piece_date)}{sep}"
        tail = f"{sep}{sep}{sep}{self._date(validated_on)}{sep}{sep}\r\n"
        total = Decimal("0.00")
        lines = []
        for line in posting.lines:
            if line.auxiliary is None:
                aux = sep
            else:
                aux_label = line.auxiliary_label or line.auxiliary
                aux = (
                    f"{self._text(line.auxiliary, 'CompAuxNum')}{sep}"
                    f"{self._text(aux_label, 'CompAuxLib')}"
                )
            total += line.debit
            debit = str(line.debit).replace(".", ",")
            credit = str(line.credit).replace(".", ",")
            lines.append(
                f"{head}{self._account(line.account)}{sep}{aux}{sep}{piece}"
                f"{self._text(line.label, 'EcritureLib')}{sep}{debit}{sep}{credit}{tail}"
            )
        self._buffer.extend(lines)
        self._lines += len(lines)
        self._entries += 1
        # A Posting balances by construction: its credits are its debits.
        self._debit += total
        self._credit += total
        self._next += 1
        self._last_validated = validated_on
        if posting.journal != OPENING_JOURNAL:
            self._opening_done = True
        if len(self._buffer) >= self._FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        """Write out the lines held in the buffer."""
        if self._buffer:
            self._emit("".join(self._buffer))
            self._buffer.clear()

    def close(self) -> FecSummary:
        """Write what is left and return what the file holds (the stream stays open)."""
        self.flush()
        self._closed = True
        return self.summary

    @property
    def summary(self) -> FecSummary:
        """What has been written so far."""
        return FecSummary(
            lines=self._lines,
            entries=self._entries,
            total_debit=self._debit,
            total_credit=self._credit,
            first_number=self._first if self._entries else None,
            last_number=self._next - 1 if self._entries else None,
            journals=tuple(self._used.items()),
        )


def write_fec(
    entries: Iterable[FecEntry | Posting],
    stream: IO[bytes],
    *,
    fiscal_year: FiscalYear,
    separator: FecSeparator = FecSeparator.TAB,
    encoding: FecEncoding = FecEncoding.UTF8,
    journals: Mapping[str, str] = DEFAULT_JOURNALS,
) -> FecSummary:
    """
    Write a whole FEC to a binary stream, entries in validation order.

    A :class:`~alize_core.accounting.postings.Posting` given alone counts as validated on its
    own date. See :class:`FecWriter` for the arguments and what is refused.

    .. versionadded:: 0.1.0
    """
    writer = FecWriter(
        stream, fiscal_year=fiscal_year, separator=separator, encoding=encoding, journals=journals
    )
    for entry in entries:
        writer.write(entry)
    return writer.close()


@attrs.frozen
class FecExport:
    """
    A FEC written to disk with its description file.

    Attributes:
        path: The FEC (``<SIREN>FEC<AAAAMMJJ>.txt``).
        description_path: Its description file (section XI of the article).
        summary: What it holds.
    """

    path: Path
    description_path: Path
    summary: FecSummary


def describe_fec(
    name: str,
    *,
    siren: str,
    fiscal_year: FiscalYear,
    separator: FecSeparator,
    encoding: FecEncoding,
    summary: FecSummary,
) -> str:
    """
    The description file a FEC must come with (section XI): fields, codes, charset, structure.

    .. versionadded:: 0.1.0
    """
    charset = "UTF-8" if encoding is FecEncoding.UTF8 else "ISO 8859-15"
    numbers = (
        f"de {summary.first_number} à {summary.last_number}"
        if summary.entries
        else "aucune écriture"
    )
    lines = [
        "Description du fichier des écritures comptables (FEC)",
        "Article A47 A-1 du Livre des procédures fiscales, format IS/BIC (18 champs)",
        "",
        f"Fichier : {name}",
        f"SIREN : {siren}",
        f"Exercice : du {fiscal_year.start:%d/%m/%Y} au {fiscal_year.end:%d/%m/%Y}"
        f" (date de clôture {fiscal_year.end:%Y%m%d})",
        f"Produit par : alize {__version__}",
        "",
        "Structure : fichier à plat, séquentiel ; la première ligne donne le nom des champs,"
        " chaque ligne suivante est une ligne d'écriture.",
        f"Séparateur de champs : {separator.french} ; séparateur d'enregistrements : CR LF.",
        f"Jeu de caractères : {charset}.",
        "Dates : AAAAMMJJ. Montants : virgule décimale, deux décimales, sans séparateur de"
        " milliers ; une ligne porte soit un débit soit un crédit.",
        f"Numérotation : EcritureNum continu {numbers}, dans l'ordre de validation des"
        f" écritures ; les écritures d'à-nouveaux (journal {OPENING_JOURNAL}) viennent en premier.",
        "Les champs facultatifs vides le sont par paires (7-8, 14-15, 17-18).",
        "",
        "Champs :",
    ]
    lines += [
        f"{number:>3}  {column:<14} {text}"
        for number, (column, text) in enumerate(zip(FEC_COLUMNS, _DESCRIPTIONS, strict=True), 1)
    ]
    lines += ["", "Journaux :"]
    lines += [f"  {code:<6} {label}" for code, label in summary.journals] or ["  (aucun)"]
    lines += [
        "",
        f"Contenu : {summary.lines} lignes, {summary.entries} écritures ;"
        f" total des débits {_amount(summary.total_debit)},"
        f" total des crédits {_amount(summary.total_credit)}.",
        "",
    ]
    return "\r\n".join(lines)


def export_fec(
    entries: Iterable[FecEntry | Posting],
    directory: Path,
    *,
    siren: str,
    fiscal_year: FiscalYear,
    separator: FecSeparator = FecSeparator.TAB,
    encoding: FecEncoding = FecEncoding.UTF8,
    journals: Mapping[str, str] = DEFAULT_JOURNALS,
) -> FecExport:
    """
    Write ``<SIREN>FEC<closing date>.txt`` and its description file in a directory.

    The file is written under a temporary name and renamed when complete: a
    refused entry leaves nothing behind.

    Raises:
        InvalidValue: The SIREN is not valid, or an entry is refused (see :class:`FecWriter`).

    .. versionadded:: 0.1.0
    """
    stem = fec_filename(siren, fiscal_year.end)
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{stem}.txt"
    description_path = directory / f"{stem}-description.txt"
    handle, temporary = tempfile.mkstemp(prefix=f".{stem}.", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            summary = write_fec(
                entries,
                stream,
                fiscal_year=fiscal_year,
                separator=separator,
                encoding=encoding,
                journals=journals,
            )
        text = describe_fec(
            path.name,
            siren=siren,
            fiscal_year=fiscal_year,
            separator=separator,
            encoding=encoding,
            summary=summary,
        )
        description_path.write_bytes(text.encode(encoding.value))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return FecExport(path, description_path, summary)


# -- validator ------------------------------------------------------------------------------


class Severity(enum.StrEnum):
    """How serious a finding is: an error makes the file non-compliant, a warning does not."""

    ERROR = "error"
    WARNING = "warning"


@attrs.frozen
class FecFinding:
    """
    One problem found in a FEC.

    Attributes:
        line: The line number in the file (1 is the header; 0 for the file as a whole).
        field: The FEC field concerned (``Debit``, ``EcritureNum``…), or ``fichier``.
        code: A stable code for the kind of problem (``unbalanced_entry``, ``numbering``…).
        message: What is wrong, in French.
        severity: Error or warning.
    """

    line: int
    field: str
    code: str
    message: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = f"ligne {self.line}" if self.line else "fichier"
        prefix = "" if self.severity is Severity.ERROR else "avertissement : "
        return f"{where}, {self.field} : {prefix}{self.message}"


@attrs.frozen
class FecCheck:
    """
    The result of checking a FEC (:func:`check_fec`).

    Attributes:
        name: The file's name, when known.
        findings: The problems found, in the order of the file (at most ``max_findings``).
        lines: The number of entry lines read (the header not counted).
        entries: The number of entries.
        total_debit: The sum of the debits read.
        total_credit: The sum of the credits read.
        separator: The separator found in the header, if any.
        encoding: The character set the file was read with.
        fiscal_year: The fiscal year the dates were checked against, when known.
        omitted: How many findings were left out beyond ``max_findings``.
    """

    name: str | None
    findings: tuple[FecFinding, ...]
    lines: int
    entries: int
    total_debit: Decimal
    total_credit: Decimal
    separator: FecSeparator | None
    encoding: FecEncoding
    fiscal_year: FiscalYear | None
    omitted: int = 0

    @property
    def errors(self) -> tuple[FecFinding, ...]:
        """The findings that make the file non-compliant."""
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[FecFinding, ...]:
        """The findings worth a look that do not make the file non-compliant."""
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def ok(self) -> bool:
        """Whether no error was found (warnings allowed)."""
        return not self.errors and not self.omitted


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


@attrs.define
class _Entry:
    """The entry being read (its lines are contiguous in a valid FEC)."""

    key: tuple[str, str]
    line: int
    on: str
    valid: str
    debit: Decimal = Decimal("0.00")
    credit: Decimal = Decimal("0.00")


class _Checker:
    """The state of one validation run, line after line."""

    def __init__(
        self,
        name: str | None,
        fiscal_year: FiscalYear | None,
        per_journal: bool,
        max_findings: int,
    ) -> None:
        self.name = name
        self.year = fiscal_year
        self.per_journal = per_journal
        self.max_findings = max_findings
        self.findings: list[FecFinding] = []
        self.omitted = 0
        self.lines = 0
        self.entries = 0
        self.debit = Decimal("0.00")
        self.credit = Decimal("0.00")
        self.separator: FecSeparator | None = None
        self.encoding = FecEncoding.UTF8
        self.entry: _Entry | None = None
        self.sequences: dict[tuple[str, str], tuple[int, str]] = {}
        self.last_valid: str = ""
        self.multibyte = False

    def report(
        self,
        line: int,
        field: str,
        code: str,
        message: str,
        severity: Severity = Severity.ERROR,
    ) -> None:
        if len(self.findings) < self.max_findings:
            self.findings.append(FecFinding(line, field, code, message, severity))
        else:
            self.omitted += 1

    def check_name(self) -> None:
        if self.name is None:
            return
        try:
            _siren, closing = parse_fec_filename(self.name)
        except InvalidValue as exc:
            self.report(0, "nom du fichier", "filename", _french_name_problem(exc))
            return
        if self.year is None:
            try:
                self.year = FiscalYear.ending(closing)
            except InvalidValue:
                message = f"« {closing.isoformat()} » ne peut pas clore un exercice de douze mois"
                self.report(0, "nom du fichier", "filename", message)
        elif closing != self.year.end:
            self.report(
                0,
                "nom du fichier",
                "filename",
                f"la date du nom ({closing:%Y%m%d}) n'est pas la date de clôture de l'exercice"
                f" ({self.year.end:%Y%m%d})",
            )

    def decode(self, raw: bytes, number: int) -> str:
        if self.encoding is FecEncoding.UTF8:
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                if self.multibyte:
                    self.report(
                        number,
                        "fichier",
                        "encoding",
                        "ce texte n'est pas en UTF-8, alors que les lignes précédentes"
                        " l'étaient : un seul jeu de caractères par fichier",
                    )
                self.encoding = FecEncoding.ISO_8859_15
            else:
                if not text.isascii():
                    self.multibyte = True
                return text
        return raw.decode("iso-8859-15")

    def header(self, text: str) -> None:
        if text.startswith("\ufeff"):
            self.report(
                1,
                "en-tête",
                "bom",
                "le fichier commence par une marque d'ordre d'octets (BOM), que le format"
                " ne prévoit pas",
                Severity.WARNING,
            )
            text = text[1:]
        has_tab, has_pipe = "\t" in text, "|" in text
        if has_tab == has_pipe:
            what = "les deux" if has_tab else "ni l'un ni l'autre"
            self.report(
                1,
                "en-tête",
                "separator",
                f"le séparateur doit être la tabulation ou « | », un seul par fichier ({what} trouvé)",
            )
            self.separator = FecSeparator.TAB if has_tab else None
        else:
            self.separator = FecSeparator.TAB if has_tab else FecSeparator.PIPE
        names = tuple(text.split(self.separator.value)) if self.separator else (text,)
        if names != FEC_COLUMNS:
            if len(names) != len(FEC_COLUMNS):
                message = (
                    f"l'en-tête a {len(names)} champs au lieu des {len(FEC_COLUMNS)} du format"
                    " IS/BIC"
                )
            else:
                index = next(
                    i for i, (a, b) in enumerate(zip(names, FEC_COLUMNS, strict=True)) if a != b
                )
                message = (
                    f"le champ {index + 1} s'appelle « {names[index]} » au lieu de"
                    f" « {FEC_COLUMNS[index]} »"
                )
            self.report(1, "en-tête", "header", message)

    def date(self, number: int, field: str, text: str) -> date | None:
        day = _real_date(text)
        if day is None:
            self.report(
                number,
                field,
                "date",
                f"« {text} » n'est pas une date réelle au format AAAAMMJJ",
            )
        return day

    def amount(self, number: int, field: str, text: str) -> Decimal | None:
        match = _AMOUNT.fullmatch(text)
        if not match or (match.group(1) and match.group(4)):
            self.report(
                number,
                field,
                "amount",
                f"« {text} » n'est pas un montant au format FEC (virgule décimale, sans"
                " séparateur de milliers ni espace)",
            )
            return None
        sign = "-" if "-" in (match.group(1) + match.group(4)) else ""
        try:
            return Decimal(f"{sign}{match.group(2)}.{match.group(3) or '0'}")
        except InvalidOperation:  # pragma: no cover - the pattern only lets digits through
            return None

    def row(self, number: int, text: str) -> None:
        self.lines += 1
        assert self.separator is not None
        fields = text.split(self.separator.value)
        if len(fields) != len(FEC_COLUMNS):
            self.report(
                number,
                "ligne",
                "field_count",
                f"{len(fields)} champs au lieu de {len(FEC_COLUMNS)}",
            )
            return
        fields = [f.strip() for f in fields]
        for index in _MANDATORY:
            if not fields[index]:
                self.report(
                    number, FEC_COLUMNS[index], "mandatory", "ce champ obligatoire est vide"
                )
        for first, second in _PAIRS:
            if bool(fields[first]) != bool(fields[second]):
                filled, empty = (first, second) if fields[first] else (second, first)
                self.report(
                    number,
                    FEC_COLUMNS[empty],
                    "pair",
                    f"vide alors que {FEC_COLUMNS[filled]} est rempli : ces deux champs"
                    " se remplissent ensemble",
                )
        account = fields[4]
        if account and not _ACCOUNT.match(account):
            self.report(
                number,
                "CompteNum",
                "account",
                f"« {account} » ne commence pas par trois chiffres du plan comptable",
            )
        on = self.date(number, "EcritureDate", fields[3]) if fields[3] else None
        if fields[9]:
            self.date(number, "PieceDate", fields[9])
        valid = self.date(number, "ValidDate", fields[15]) if fields[15] else None
        if fields[14]:
            self.date(number, "DateLet", fields[14])
        debit = self.amount(number, "Debit", fields[11]) if fields[11] else None
        credit = self.amount(number, "Credit", fields[12]) if fields[12] else None
        if fields[16]:
            self.amount(number, "Montantdevise", fields[16])
        if debit is not None and credit is not None:
            if debit and credit:
                self.report(
                    number,
                    "Debit",
                    "debit_credit",
                    "la ligne porte à la fois un débit et un crédit ; une seule des deux"
                    " colonnes doit être non nulle",
                )
            elif not debit and not credit:
                self.report(
                    number,
                    "Debit",
                    "debit_credit",
                    "la ligne n'a ni débit ni crédit ; une seule des deux colonnes doit"
                    " être non nulle",
                )
        if on is not None and self.year is not None and on not in self.year:
            self.report(
                number,
                "EcritureDate",
                "fiscal_year",
                f"le {on:%d/%m/%Y} est hors de l'exercice ({self.year.french()})",
            )
        if on is not None and valid is not None and valid < on:
            self.report(
                number,
                "ValidDate",
                "valid_before_date",
                f"l'écriture est validée le {valid:%d/%m/%Y}, avant sa date de"
                f" comptabilisation ({on:%d/%m/%Y})",
                Severity.WARNING,
            )
        self.in_entry(number, fields, debit, credit)

    def in_entry(
        self, number: int, fields: list[str], debit: Decimal | None, credit: Decimal | None
    ) -> None:
        key = (fields[0], fields[2])
        entry = self.entry
        if entry is None or entry.key != key:
            self.close_entry()
            entry = self.entry = _Entry(key, number, fields[3], fields[15])
            self.entries += 1
            self.numbering(number, fields)
        else:
            for index, what in ((3, "EcritureDate"), (15, "ValidDate")):
                first = entry.on if index == 3 else entry.valid
                if fields[index] != first:
                    self.report(
                        number,
                        what,
                        "entry_dates",
                        f"« {fields[index]} » diffère de la ligne {entry.line} de la même"
                        f" écriture (« {first} ») : une écriture n'a qu'une date",
                    )
        if debit is not None:
            entry.debit += debit
            self.debit += debit
        if credit is not None:
            entry.credit += credit
            self.credit += credit

    def numbering(self, number: int, fields: list[str]) -> None:
        journal, text = fields[0], fields[2]
        match = _NUMBER.fullmatch(text)
        if not match:
            if text:
                self.report(
                    number,
                    "EcritureNum",
                    "numbering",
                    f"« {text} » ne se termine pas par un numéro : la continuité de la"
                    " numérotation ne peut pas être vérifiée",
                )
            return
        try:
            prefix, value = match.group(1), int(match.group(2))
        except ValueError:  # more digits than Python reads (4,300)
            self.report(
                number,
                "EcritureNum",
                "numbering",
                f"« {text[:24]}… » a un numéro de {len(match.group(2))} chiffres : la"
                " continuité de la numérotation ne peut pas être vérifiée",
            )
            return
        key = (journal if self.per_journal else "", prefix)
        previous = self.sequences.get(key)
        if previous is not None:
            last, last_text = previous
            if value <= last:
                self.report(
                    number,
                    "EcritureNum",
                    "numbering",
                    f"l'écriture « {text} » vient après « {last_text} » : la numérotation"
                    " doit croître dans l'ordre de validation, sans doublon",
                )
            elif value != last + 1:
                missing = value - last - 1
                self.report(
                    number,
                    "EcritureNum",
                    "numbering",
                    f"l'écriture « {text} » suit « {last_text} » : {missing} numéro(s)"
                    " manquant(s) dans la séquence",
                )
        self.sequences[key] = (value, text)
        valid = fields[15]
        if valid and self.last_valid and _DATE.fullmatch(valid) and valid < self.last_valid:
            self.report(
                number,
                "ValidDate",
                "validation_order",
                f"l'écriture « {text} » a été validée ({valid}) avant la précédente"
                f" ({self.last_valid}) : les écritures suivent l'ordre de validation",
            )
        if valid and _DATE.fullmatch(valid):
            self.last_valid = max(valid, self.last_valid)

    def close_entry(self) -> None:
        entry = self.entry
        if entry is not None and entry.debit != entry.credit:
            journal, num = entry.key
            self.report(
                entry.line,
                "Debit",
                "unbalanced_entry",
                f"l'écriture {num} du journal {journal} n'est pas équilibrée :"
                f" débit {_amount(entry.debit)}, crédit {_amount(entry.credit)}",
            )
        self.entry = None

    def finish(self) -> FecCheck:
        self.close_entry()
        if self.debit != self.credit:
            self.report(
                0,
                "Debit",
                "unbalanced_file",
                f"le fichier n'est pas équilibré : débit {_amount(self.debit)},"
                f" crédit {_amount(self.credit)}",
            )
        in_order = sorted(
            self.findings, key=lambda f: f.line or len(self.findings) + self.lines + 2
        )
        return FecCheck(
            name=self.name,
            findings=tuple(in_order),
            lines=self.lines,
            entries=self.entries,
            total_debit=self.debit,
            total_credit=self.credit,
            separator=self.separator,
            encoding=self.encoding,
            fiscal_year=self.year,
            omitted=self.omitted,
        )


def _french_name_problem(exc: InvalidValue) -> str:
    if "SIREN" in exc.reason:
        return f"le SIREN du nom « {exc.value} » n'est pas valide (clé de contrôle fausse)"
    if "closing date" in exc.reason:
        return f"« {exc.value} » ne se termine pas par une date de clôture réelle"
    return (
        f"« {exc.value} » n'est pas un nom de FEC : <SIREN>FEC<AAAAMMJJ>,"
        " par exemple 555012343FEC20261231.txt"
    )


def _raw_lines(stream: IO[bytes]) -> Iterator[bytes]:
    for raw in stream:
        yield raw.rstrip(b"\r\n")


def check_fec(
    source: Path | str | IO[bytes],
    *,
    name: str | None = None,
    fiscal_year: FiscalYear | None = None,
    per_journal: bool = False,
    max_findings: int = 1000,
) -> FecCheck:
    """
    Check a FEC line by line and report every problem with its line number.

    The checks follow article A47 A-1 LPF and what the tax administration's
    *Test Compta Demat* tool checks: the header's 18 names, the field count,
    mandatory fields, optional fields filled in pairs, account numbers that
    start with three digits, real ``AAAAMMJJ`` dates, amounts with a decimal
    comma and no thousands separator, exactly one of debit and credit per line,
    each entry and the whole file balanced, one ``EcritureDate`` and one
    ``ValidDate`` per entry, continuous numbering in validation order, entry
    dates inside the fiscal year, and a valid SIREN and closing date in the file
    name. The file is read as a stream: memory does not grow with its size.

    Args:
        source: A path, or a binary stream.
        name: The file's name (taken from ``source`` when it is a path).
        fiscal_year: The fiscal year; by default the twelve months that end on the
            closing date of the file name.
        per_journal: Check one numbering sequence per journal instead of one for the file.
        max_findings: How many findings to keep (the others are counted in ``omitted``).

    Returns:
        The findings and what the file holds.

    Raises:
        InvalidValue: ``max_findings`` is not a positive whole number.

    .. versionadded:: 0.1.0
    """
    check_count(max_findings, field="max_findings", minimum=1)
    if isinstance(source, str | Path):
        path = Path(source)
        with path.open("rb") as stream:
            return check_fec(
                stream,
                name=name or path.name,
                fiscal_year=fiscal_year,
                per_journal=per_journal,
                max_findings=max_findings,
            )
    checker = _Checker(name, fiscal_year, per_journal, max_findings)
    checker.check_name()
    lines = _raw_lines(source)
    first = next(lines, None)
    if first is None:
        checker.report(1, "en-tête", "header", "le fichier est vide : il n'a pas d'en-tête")
        return checker.finish()
    checker.header(checker.decode(first, 1))
    if checker.separator is None:
        return checker.finish()
    number = 1
    for raw in lines:
        number += 1
        if not raw.strip():
            checker.report(number, "ligne", "blank_line", "ligne vide", Severity.WARNING)
            continue
        checker.row(number, checker.decode(raw, number))
    if not checker.lines:
        checker.report(0, "fichier", "empty", "le fichier n'a aucune ligne d'écriture")
    return checker.finish()
