"""
The FEC writer (*écriture du FEC*): postings in, the file and its description out.

:class:`FecWriter` writes lines as they come, so memory stays flat however many
entries there are; :func:`write_fec` writes a whole year to a stream and
:func:`export_fec` writes ``<SIREN>FEC<closing date>.txt`` and its description file
(:func:`describe_fec`) atomically into a folder.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import IO, Final

import attrs

from alize_adapters.connectors.fec._fields import amount_text
from alize_adapters.connectors.fec.format import (
    DEFAULT_JOURNALS,
    FEC_COLUMNS,
    OPENING_JOURNAL,
    FecEncoding,
    FecSeparator,
    FiscalYear,
    fec_filename,
)
from alize_core import InvalidValue, __version__
from alize_core.accounting.postings import Account, Posting
from alize_core.kernel.validation import (
    check_date,
    check_id,
    check_text,
    checked,
    instance_of,
    optional,
)


__all__ = [
    "FecEntry",
    "FecExport",
    "FecSummary",
    "FecWriter",
    "describe_fec",
    "export_fec",
    "write_fec",
]


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
        f" total des débits {amount_text(summary.total_debit)},"
        f" total des crédits {amount_text(summary.total_credit)}.",
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
