"""
The FEC checker (*contrôle du FEC*, ``alize export fec --check FILE``): every problem, with its line.

:func:`check_fec` reads a FEC line by line and reports (:class:`FecCheck`) every
problem it finds (:class:`FecFinding`, an error or a warning): header, field count,
mandatory fields, fields that go in pairs, account numbers, dates, amounts, exactly
one of debit or credit, balanced entries and file, one set of dates per entry,
continuous numbering in validation order, dates inside the fiscal year and the SIREN
of the file name.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Final

import attrs

from alize_adapters.connectors.fec._fields import DATE, amount_text, real_date
from alize_adapters.connectors.fec.format import (
    FEC_COLUMNS,
    FecEncoding,
    FecSeparator,
    FiscalYear,
    parse_fec_filename,
)
from alize_core import InvalidValue
from alize_core.kernel.validation import (
    check_count,
)


__all__ = [
    "FecCheck",
    "FecFinding",
    "Severity",
    "check_fec",
]


_MANDATORY: Final = (0, 1, 2, 3, 4, 5, 8, 9, 10, 11, 12, 15)


_PAIRS: Final = ((6, 7), (13, 14), (16, 17))


_AMOUNT: Final = re.compile(r"([+-]?)(\d+)(?:,(\d+))?([+-]?)")


_ACCOUNT: Final = re.compile(r"\d{3}")


_NUMBER: Final = re.compile(r"(.*?)(\d+)")


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
        day = real_date(text)
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

    def row(self, number: int, text: str, separator: FecSeparator) -> None:
        self.lines += 1
        fields = text.split(separator.value)
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
        if valid and self.last_valid and DATE.fullmatch(valid) and valid < self.last_valid:
            self.report(
                number,
                "ValidDate",
                "validation_order",
                f"l'écriture « {text} » a été validée ({valid}) avant la précédente"
                f" ({self.last_valid}) : les écritures suivent l'ordre de validation",
            )
        if valid and DATE.fullmatch(valid):
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
                f" débit {amount_text(entry.debit)}, crédit {amount_text(entry.credit)}",
            )
        self.entry = None

    def finish(self) -> FecCheck:
        self.close_entry()
        if self.debit != self.credit:
            self.report(
                0,
                "Debit",
                "unbalanced_file",
                f"le fichier n'est pas équilibré : débit {amount_text(self.debit)},"
                f" crédit {amount_text(self.credit)}",
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
    separator = checker.separator
    if separator is None:
        return checker.finish()
    number = 1
    for raw in lines:
        number += 1
        if not raw.strip():
            checker.report(number, "ligne", "blank_line", "ligne vide", Severity.WARNING)
            continue
        checker.row(number, checker.decode(raw, number), separator)
    if not checker.lines:
        checker.report(0, "fichier", "empty", "le fichier n'a aucune ligne d'écriture")
    return checker.finish()
