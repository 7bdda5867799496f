"""
``alize import``: read companies from SIRENE, or a table from a French Excel CSV.

``alize import sirene StockUniteLegale.csv [--establishments StockEtablissement.csv]``
reads INSEE's open-data files and writes the active companies as JSON CRM records;
``alize import csv TABLE FILE.csv`` reads a table saved by a spreadsheet and writes
its records as JSON. A file may be ``-``, the standard input. Every line left out is
printed with its line and column.

Exit status: 0 when every line was read, 1 when lines were left out (the records read
are written all the same) or on bad input.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, TypeVar

from alize_adapters.cli.commands._files import STDIN
from alize_adapters.connectors import sirene, spreadsheets
from alize_adapters.connectors.tables import TABLES
from alize_core import MalformedInput
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.serialization import unstructure


R = TypeVar("R")


def register(subparsers: Any) -> None:
    """Add the ``import`` command and its ``sirene`` and ``csv`` subcommands."""
    parser = subparsers.add_parser(
        "import",
        help="read companies from SIRENE open data, or a table from a French Excel CSV",
        description="Read data into alize: companies from INSEE's SIRENE files, or one of"
        " alize's tables from a CSV saved by a spreadsheet.",
    )
    kinds = parser.add_subparsers(title="sources", metavar="SOURCE", required=True)
    source = kinds.add_parser(
        "sirene",
        help="companies from StockUniteLegale (and StockEtablissement) CSV files",
        description="Read INSEE's SIRENE open-data CSV files and print the active"
        " companies as JSON CRM records (SIREN, name, commune of the head office).",
    )
    source.add_argument(
        "units", type=Path, help="a StockUniteLegale CSV (or an extract; - for stdin)"
    )
    source.add_argument(
        "--establishments", type=Path, help="a StockEtablissement CSV (- for stdin)"
    )
    source.add_argument("--output", type=Path, help="JSON file (default: stdout)")
    source.set_defaults(handler=run_sirene)

    table = kinds.add_parser(
        "csv",
        help="a table from a CSV saved by a spreadsheet",
        description="Read one of alize's tables from a CSV (; or , separated, UTF-8 or"
        " Windows-1252) and print its records as JSON.",
    )
    table.add_argument("table", choices=sorted(TABLES), help="which table")
    table.add_argument("file", type=Path, help="the CSV file (- for stdin)")
    table.add_argument("--output", type=Path, help="JSON file (default: stdout)")
    table.set_defaults(handler=run_csv)


def _write(data: object, output: Path | None) -> None:
    text = dump_json(data, ascii=False, indent=2)
    if output is None:
        print(text)
    else:
        output.write_text(text + "\n", "utf-8")


def _read_sirene(path: Path, read: Callable[[IO[str]], R]) -> R:
    """Read a SIRENE file (``-``: the standard input), which INSEE writes in UTF-8."""
    try:
        if path == STDIN:
            with io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="") as stream:
                return read(stream)
        with path.open(encoding="utf-8", newline="") as stream:
            return read(stream)
    except UnicodeDecodeError as exc:
        msg = f"is not UTF-8 text (byte {exc.start} cannot be read), as SIRENE files are"
        raise MalformedInput(str(path), None, msg) from None


def run_sirene(args: argparse.Namespace) -> int:
    """Read SIRENE files."""
    if args.units == STDIN and args.establishments == STDIN:
        raise MalformedInput("--establishments", "-", "and the units cannot both be stdin")
    units = _read_sirene(args.units, sirene.read_legal_units)
    problems = [f"{args.units}: {problem}" for problem in units.problems]
    sites: tuple[sirene.Establishment, ...] = ()
    if args.establishments is not None:
        read = _read_sirene(args.establishments, sirene.read_establishments)
        sites = read.records
        problems += [f"{args.establishments}: {problem}" for problem in read.problems]
    records = sirene.company_records(units.records, sites)
    _write([unstructure(record) for record in records], args.output)
    for problem in problems:
        print(problem, file=sys.stderr)
    print(
        f"{len(units.records)} companies read, {len(records)} active and named,"
        f" {len(problems)} lines left out",
        file=sys.stderr,
    )
    return 1 if problems else 0


def run_csv(args: argparse.Namespace) -> int:
    """Read a table from a CSV file."""
    table = TABLES[args.table]
    if args.file == STDIN:
        result = spreadsheets.import_table(table, sys.stdin.buffer)
    else:
        with args.file.open("rb") as stream:
            result = spreadsheets.import_table(table, stream)
    _write([unstructure(record) for record in result.records], args.output)
    for problem in result.problems:
        print(f"{args.file}: {problem}", file=sys.stderr)
    print(f"{len(result.records)} records read, {len(result.problems)} problems", file=sys.stderr)
    return 1 if result.problems else 0
