# Kept whole, at about 630 lines: a cell is written and read back by the same pair of rules
# (neutralised formulas, decimal comma, French dates, the column kinds), so the export and
# the import sit together and the round-trip tests read one module; the programme's tables
# are in connectors.tables.
"""
Spreadsheets (*tableurs*): CSV files as French Excel opens and saves them.

Programme officers keep lists of SMEs, partners and projects in spreadsheets,
and want schedules and reports there too. French Excel opens a CSV file
correctly only when its fields are separated by ``;``, its numbers have a
decimal comma and, for accents to survive, it is UTF-8 with a byte-order mark
(BOM). This module writes exactly that (:func:`export_table`,
:func:`export_schedule`, :func:`export_rows`) and reads it back
(:func:`import_table`), also accepting what Excel saves (``CSV (séparateur :
point-virgule)`` is Windows-1252 without a BOM).

A text cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return) would be run by the spreadsheet as a formula (*injection de
formule*, e.g. ``=HYPERLINK(...)`` hidden in a company name): it is written
with a leading apostrophe, which shows the text as typed; the apostrophe is
removed again on import. Amounts and dates are written by alize itself from
:class:`~decimal.Decimal` and :class:`~datetime.date` values (digits, a comma,
a sign, slashes), so they stay numbers and dates in the sheet.

>>> import io
>>> from datetime import date
>>> from decimal import Decimal
>>> from alize_core import Sme
>>> from alize_adapters.connectors.tables import TABLES
>>> sme = Sme(siren="555012343", name="=HYPERLINK(\\"http://x\\")", creation_date=date(2011, 3, 1),
...     staff=42, turnover=Decimal("6200000.50"), balance_sheet=Decimal("3100000"),
...     commune="55029")
>>> out = io.BytesIO()
>>> export_table(TABLES["entreprises"], [sme], out)
1
>>> text = out.getvalue().decode("utf-8-sig")
>>> print(text.splitlines()[1])
555012343;"'=HYPERLINK(""http://x"")";01/03/2011;42;6200000,50;3100000;55029;
>>> import_table(TABLES["entreprises"], io.BytesIO(out.getvalue())).records == (sme,)
True

An import names the line and the column (with its spreadsheet letter) of every problem:

>>> bad = text.replace("6200000,50", "six millions")
>>> result = import_table(TABLES["entreprises"], io.BytesIO(bad.encode("utf-8-sig")))
>>> print(result.problems[0])
line 2, column E (Chiffre d'affaires): 'six millions' is not an amount in euros (write e.g. "25000.00")
>>> result.check()
Traceback (most recent call last):
...
alize_core.kernel.errors.MalformedInput: line 2, column E (Chiffre d'affaires): 'six millions' is not an amount in euros (write e.g. "25000.00")

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import csv
import enum
import io
import os
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, Final, Protocol

import attrs

from alize_core import AlizeError, InvalidValue, MalformedInput, to_money
from alize_core.kernel.serialization import structure


__all__ = [
    "FORMULA_STARTS",
    "CellProblem",
    "Column",
    "ColumnKind",
    "ProblemReport",
    "Row",
    "ScheduleLike",
    "Table",
    "TableImport",
    "atomic_output",
    "export_rows",
    "export_schedule",
    "export_table",
    "format_cell",
    "header_of",
    "import_table",
    "neutralise",
    "problem_reason",
]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""The first characters that make a spreadsheet read a cell as a formula (OWASP's list)."""

_FORMULA_SET: Final = frozenset(FORMULA_STARTS)
_DELIMITER: Final = ";"
_TRUE: Final = frozenset({"oui", "o", "vrai", "1", "x", "yes", "true"})
_FALSE: Final = frozenset({"non", "n", "faux", "0", "", "no", "false"})


def neutralise(text: str) -> str:
    """
    A text cell made safe from formula injection: a leading apostrophe when it starts like a formula.

    Text that already starts with apostrophes before a formula character gets one
    more, so that reading it back (which removes one) gives the text as it was.

    >>> neutralise("=1+1"), neutralise("-2"), neutralise("Aciéries"), neutralise("'=x")
    ("'=1+1", "'-2", 'Aciéries', "''=x")

    .. versionadded:: 0.1.0
    """
    return f"'{text}" if text.lstrip("'")[:1] in _FORMULA_SET else text


def _unneutralise(text: str) -> str:
    if text.startswith("'") and text.lstrip("'")[:1] in _FORMULA_SET:
        return text[1:]
    return text


class ColumnKind(enum.StrEnum):
    """How a column's cells are written and read."""

    TEXT = "text"
    """Free text, neutralised on export."""
    INTEGER = "integer"
    """A whole number."""
    AMOUNT = "amount"
    """An amount in euros, decimal comma, no thousands separator (``1234,50``)."""
    DATE = "date"
    """A date, ``JJ/MM/AAAA`` (``AAAA-MM-JJ`` also read)."""
    FLAG = "flag"
    """Yes or no: ``oui`` / ``non``."""


def format_cell(value: object, kind: ColumnKind) -> str:
    """
    One cell as French Excel reads it.

    >>> format_cell(Decimal("-1234.5"), ColumnKind.AMOUNT), format_cell(date(2026, 4, 2), ColumnKind.DATE)
    ('-1234,5', '02/04/2026')
    >>> format_cell(True, ColumnKind.FLAG), format_cell("@SUM(A1)", ColumnKind.TEXT)
    ('oui', "'@SUM(A1)")
    >>> format_cell(0.5, ColumnKind.AMOUNT)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: amount: 0.5 is a binary float; write amounts as text or Decimal, e.g. "12.50"

    .. versionadded:: 0.1.0
    """
    if value is None:
        return ""
    if kind is ColumnKind.AMOUNT:
        amount = to_money(value, field="amount")
        return f"{amount:f}".replace(".", ",")
    if kind is ColumnKind.DATE:
        if not isinstance(value, date):
            raise InvalidValue("date", value, "must be a date")
        return f"{value:%d/%m/%Y}"
    if kind is ColumnKind.FLAG:
        return "oui" if value else "non"
    if kind is ColumnKind.INTEGER:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue("integer", value, "must be a whole number")
        return str(value)
    return neutralise(str(value))


_MAX_DIGITS: Final = 18
"""The longest whole number a cell may hold (Python refuses to read numbers of over 4,300 digits)."""


def _parse_cell(text: str, kind: ColumnKind) -> object:
    if kind is ColumnKind.TEXT:
        return _unneutralise(text)
    text = text.strip()
    if kind is ColumnKind.AMOUNT:
        return to_money(text, field="amount")
    if kind is ColumnKind.INTEGER:
        digits = text.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        # isdecimal, not isdigit: "²" is a digit that int() cannot read.
        if not digits.removeprefix("-").isdecimal():
            raise InvalidValue("integer", text, "is not a whole number")
        if len(digits.removeprefix("-")) > _MAX_DIGITS:
            raise InvalidValue("integer", text[:40], f"has more than {_MAX_DIGITS} digits")
        return int(digits)
    if kind is ColumnKind.DATE:
        return _parse_date(text)
    word = text.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise InvalidValue("flag", text, "is not oui or non")


def _parse_date(text: str) -> date:
    try:
        if "/" in text:
            day, month, year = (int(part) for part in text.split("/"))
            return date(year, month, day)
        return date.fromisoformat(text)
    except (ValueError, OverflowError):  # OverflowError: a number too large for a date
        raise InvalidValue("date", text, "is not a real date (JJ/MM/AAAA)") from None


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@attrs.frozen
class Column:
    """
    One column of a table.

    Attributes:
        header: Its heading in the sheet, in French.
        attribute: The record's attribute it holds.
        kind: How its cells are written and read.
        required: Whether a cell may be left empty.
    """

    header: str
    attribute: str
    kind: ColumnKind = ColumnKind.TEXT
    required: bool = True


@attrs.frozen
class CellProblem:
    """
    A cell (or a line) an import could not take.

    Attributes:
        line: The line in the file (1 is the header line).
        column: The column's spreadsheet letter (``A``, ``B``…), empty for the whole line.
        header: The column's heading, empty for the whole line.
        value: The cell's text.
        reason: What is wrong.
    """

    line: int
    column: str
    header: str
    value: object
    reason: str

    @property
    def path(self) -> str:
        """Where the problem is: ``line 4, column E (Chiffre d'affaires)``."""
        if self.column:
            return f"line {self.line}, column {self.column} ({self.header})"
        return f"line {self.line}"

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@attrs.frozen
class TableImport:
    """
    What an import read: the records, and every problem found.

    Attributes:
        records: The records read without a problem, in the file's order.
        problems: The problems, each naming its line and column.
    """

    records: tuple[object, ...]
    problems: tuple[CellProblem, ...]

    def check(self) -> tuple[object, ...]:
        """
        The records, when there was no problem.

        Raises:
            MalformedInput: The first problem (the message says how many there were).
        """
        if self.problems:
            first = self.problems[0]
            more = len(self.problems) - 1
            reason = first.reason + (f" (and {more} more problems)" if more else "")
            raise MalformedInput(first.path, None, reason)  # its reason names the value
        return self.records


Row = tuple[object, ...]
"""One row of a table, as values (not yet formatted)."""


@attrs.frozen
class Table:
    """
    A table alize writes to and reads from spreadsheets.

    Attributes:
        name: Its name on the command line (``entreprises``).
        record: The class of its records.
        columns: Its columns, in order.
        explode: The rows of one record (one by default; a posting gives one per line).
        assemble: Builds the records from the rows read, each with its line number,
            reporting problems through the callback; one record per row by default.
    """

    name: str
    record: type
    columns: tuple[Column, ...]
    explode: Callable[[Any], Iterable[Row]] | None = None
    assemble: (
        Callable[[list[tuple[int, dict[str, object]]], ProblemReport], list[object]] | None
    ) = None

    @property
    def headers(self) -> tuple[str, ...]:
        """The headings, in order."""
        return tuple(column.header for column in self.columns)

    def rows(self, record: object) -> Iterable[Row]:
        """The rows of one record, as values (not yet formatted)."""
        if self.explode is not None:
            return self.explode(record)
        return (tuple(getattr(record, column.attribute) for column in self.columns),)

    def from_json(self, data: object) -> tuple[object, ...]:
        """
        Records from a JSON list (as :mod:`alize_core.kernel.serialization` writes them).

        Raises:
            MalformedInput: The data is not a list, or an item is malformed (its index named).
        """
        if not isinstance(data, list):
            raise MalformedInput("$", type(data).__name__, "must be a JSON list")
        records: list[object] = []
        for index, item in enumerate(data):
            try:
                records.append(structure(item, self.record))
            except MalformedInput as exc:
                raise MalformedInput(f"[{index}].{exc.field}", exc.value, exc.reason) from None
        return tuple(records)


class ProblemReport(Protocol):
    """How a table's ``assemble`` reports a problem: its line, its column's heading, the value, why."""

    def __call__(self, line: int, column: str, value: object, reason: str) -> None: ...


class ScheduleLike(Protocol):
    """What :func:`export_schedule` reads of a schedule (:mod:`alize_core.lending.schedules`)."""

    @property
    def rows(self) -> Sequence[Any]:
        """The instalments: ``number``, ``due_date``, ``payment``, ``principal``…"""
        ...


def _writer(stream: IO[bytes]) -> tuple[io.TextIOWrapper, Any]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=True)
    return text, csv.writer(text, delimiter=_DELIMITER, lineterminator="\r\n")


def export_rows(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    stream: IO[bytes],
    *,
    kinds: Sequence[ColumnKind] | None = None,
) -> int:
    """
    Write any table (a report, a list) as CSV for French Excel; return the rows written.

    Args:
        headers: The column headings.
        rows: The rows, as values; a :class:`~decimal.Decimal` is written as an
            amount, a :class:`~datetime.date` as ``JJ/MM/AAAA``, a ``bool`` as
            ``oui``/``non``, anything else as neutralised text.
        stream: Where the bytes go.
        kinds: The kind of each column, instead of guessing from each value.

    Raises:
        InvalidValue: A row has more or fewer cells than there are headings, or
            holds a binary float.

    .. versionadded:: 0.1.0
    """
    text, writer = _writer(stream)
    writer.writerow([neutralise(header) for header in headers])
    count = 0
    for count, row in enumerate(rows, start=1):
        if len(row) != len(headers):
            msg = f"has {len(row)} cells for {len(headers)} headings"
            raise InvalidValue(f"row {count}", tuple(row), msg)
        cells = [
            format_cell(value, kinds[index] if kinds else _guess(value))
            for index, value in enumerate(row)
        ]
        writer.writerow(cells)
    text.flush()
    text.detach()
    return count


def _guess(value: object) -> ColumnKind:
    if isinstance(value, bool):
        return ColumnKind.FLAG
    if isinstance(value, int):
        return ColumnKind.INTEGER
    if isinstance(value, Decimal | float):
        return ColumnKind.AMOUNT
    if isinstance(value, date):
        return ColumnKind.DATE
    return ColumnKind.TEXT


def export_table(table: Table, records: Iterable[object], stream: IO[bytes]) -> int:
    """
    Write a table's records as CSV for French Excel; return the number of rows written.

    .. versionadded:: 0.1.0
    """
    kinds = [column.kind for column in table.columns]
    rows = (row for record in records for row in table.rows(record))
    return export_rows(table.headers, rows, stream, kinds=kinds)


_SCHEDULE_HEADERS: Final = (
    "N°",
    "Date d'échéance",
    "Échéance",
    "Capital",
    "Intérêts",
    "Capital restant dû",
    "Différé",
)


def export_schedule(schedule: ScheduleLike, stream: IO[bytes]) -> int:
    """
    Write a repayment schedule (*échéancier*, SCH-02) as CSV for French Excel.

    .. versionadded:: 0.1.0
    """
    kinds = (
        ColumnKind.INTEGER,
        ColumnKind.DATE,
        ColumnKind.AMOUNT,
        ColumnKind.AMOUNT,
        ColumnKind.AMOUNT,
        ColumnKind.AMOUNT,
        ColumnKind.FLAG,
    )
    rows = (
        (r.number, r.due_date, r.payment, r.principal, r.interest, r.balance, r.deferral)
        for r in schedule.rows
    )
    return export_rows(_SCHEDULE_HEADERS, rows, stream, kinds=kinds)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("\u2019", "'")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _positions(
    table: Table, header_row: Sequence[str], problems: list[CellProblem]
) -> dict[str, int]:
    """Where each of the table's columns stands, found by its heading; unknown ones reported."""
    positions: dict[str, int] = {}
    by_fold = {_fold(column.header): column for column in table.columns}
    for index, heading in enumerate(header_row):
        column = by_fold.get(_fold(_unneutralise(heading)))
        if column is not None:
            positions[column.header] = index
        elif heading.strip():
            known = ", ".join(table.headers)
            reason = f"is not a column of the table {table.name} ({known})"
            problems.append(CellProblem(1, _column_letter(index), heading, heading, reason))
    return positions


def _values(
    table: Table,
    positions: Mapping[str, int],
    cells: Sequence[str],
    line: int,
    report: Callable[[int, str, object, str], None],
) -> dict[str, object] | None:
    """One line's values by attribute, or None when a cell has a problem (reported)."""
    values: dict[str, object] = {}
    ok = True
    for column in table.columns:
        position = positions.get(column.header)
        cell = cells[position] if position is not None and position < len(cells) else ""
        if not cell.strip():
            if column.required:
                report(line, column.header, cell, "is empty; this column is required")
                ok = False
            values[column.attribute] = None
            continue
        try:
            values[column.attribute] = _parse_cell(cell, column.kind)
        except InvalidValue as exc:
            report(line, column.header, cell, str(exc).split(": ", 1)[-1])
            ok = False
    return values if ok else None


def import_table(table: Table, stream: IO[bytes]) -> TableImport:
    """
    Read a table from a CSV file as French Excel saves it.

    The file may be UTF-8 (with or without a BOM) or Windows-1252; the separator
    is ``;`` (``,`` and tab are recognised too); columns are found by their
    heading (case and accents ignored), in any order. Every problem is
    collected with its line and column; records with a problem are left out.

    .. versionadded:: 0.1.0
    """
    text = _decode(stream.read())
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    problems: list[CellProblem] = []

    def report(line: int, column: str, value: object, reason: str) -> None:
        header = ""
        if column:
            header = column
            column = _column_letter(positions[column]) if column in positions else "?"
        problems.append(CellProblem(line, column, header, value, reason))

    positions: dict[str, int] = {}
    rows = _rows(reader, problems)
    header_row = next(rows, None)
    if header_row is None:
        if not problems:
            problems.append(CellProblem(1, "", "", "", "the file is empty: no heading line"))
        return TableImport((), tuple(problems))
    positions.update(_positions(table, header_row, problems))
    missing = [c.header for c in table.columns if c.required and c.header not in positions]
    if missing:
        reason = f"the columns {', '.join(missing)} are missing"
        problems.append(CellProblem(1, "", "", tuple(header_row), reason))
        return TableImport((), tuple(problems))
    parsed: list[tuple[int, dict[str, object]]] = []
    for line, cells in enumerate(rows, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        values = _values(table, positions, cells, line, report)
        if values is not None:
            parsed.append((line, values))
    assemble = table.assemble or _one_per_row(table)
    records = assemble(parsed, report)
    return TableImport(tuple(records), tuple(problems))


def _rows(reader: Any, problems: list[CellProblem]) -> Iterator[list[str]]:
    """The rows of a CSV reader, until a line it cannot read (then a problem names that line)."""
    try:
        yield from reader
    except csv.Error as exc:
        reason = f"cannot be read as CSV ({exc}); the lines after it were not read"
        problems.append(CellProblem(reader.line_num, "", "", "", reason))


def header_of(table: Table, attribute: str) -> str:
    """The heading of the table's column for a record's attribute (``""`` when none)."""
    for column in table.columns:
        if column.attribute == attribute:
            return column.header
    return ""


def _one_per_row(
    table: Table,
) -> Callable[[list[tuple[int, dict[str, object]]], ProblemReport], list[object]]:
    def assemble(rows: list[tuple[int, dict[str, object]]], report: ProblemReport) -> list[object]:
        records = []
        for line, values in rows:
            kwargs = {k: v for k, v in values.items() if v is not None}
            try:
                records.append(table.record(**kwargs))
            except AlizeError as exc:
                report(line, header_of(table, exc.field), exc.value, problem_reason(exc))
        return records

    return assemble


def problem_reason(exc: AlizeError) -> str:
    """Why a value was refused, without the field's name in front (the column names it)."""
    text = str(exc)
    return text.split(": ", 1)[-1] if exc.field and text.startswith(exc.field) else text


@contextlib.contextmanager
def atomic_output(path: Path) -> Iterator[IO[bytes]]:
    """
    A binary file that appears at ``path`` only once completely written.

    .. versionadded:: 0.1.0
    """
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
