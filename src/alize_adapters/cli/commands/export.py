"""
``alize export``: the FEC (write or check) and CSV tables as French Excel opens them.

``alize export fec --check FILE`` reads a FEC and prints every problem with its
line number; it exits with status 1 when it finds an error. ``alize export fec
--postings FILE.json --siren SIREN --start DATE --end DATE`` writes
``<SIREN>FEC<AAAAMMJJ>.txt`` and its description file. ``alize export csv TABLE
--input FILE.json`` writes a table (``;``, decimal comma, UTF-8 with BOM, formulas
neutralised). Every file read may be ``-``, the standard input (``--check -`` with
``--name`` to give the FEC's file name, which carries its SIREN and closing date).

``--format json`` (``fec``) prints what was written (``path``, ``description``, ``lines``,
``entries``, ``total_debit``, ``total_credit``), or the check (``file``, ``ok``,
``lines``, ``entries``, ``errors``, ``warnings``, ``omitted``, ``total_debit``,
``total_credit``, ``findings``: ``line``, ``field``, ``code``, ``message``, ``severity``).

Exit status: 0 on success (a FEC that conforms), 1 on a FEC that does not conform or on
bad input.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from alize_adapters.cli.commands._db import iso_date, path_text
from alize_adapters.cli.commands._files import STDIN, read_input
from alize_adapters.connectors import spreadsheets
from alize_adapters.connectors.fec import (
    FecCheck,
    FecEncoding,
    FecEntry,
    FecSeparator,
    FiscalYear,
    check_fec,
    export_fec,
)
from alize_adapters.connectors.tables import TABLES
from alize_core import InvalidValue, MissingValue
from alize_core.accounting.postings import Posting
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.kernel.serialization import structure


def register(subparsers: Any) -> None:
    """Add the ``export`` command and its ``fec`` and ``csv`` subcommands."""
    parser = subparsers.add_parser(
        "export",
        help="write or check a FEC, or write a table as CSV for French Excel",
        description="Export alize's data: the FEC (the French legal accounting file) and"
        " CSV tables as French Excel opens them.",
    )
    kinds = parser.add_subparsers(title="formats", metavar="FORMAT", required=True)

    fec = kinds.add_parser(
        "fec",
        help="write a FEC from postings, or check one (--check)",
        description="Write <SIREN>FEC<AAAAMMJJ>.txt and its description file from postings"
        " given as JSON, or check an existing FEC line by line (--check FILE).",
    )
    fec.add_argument(
        "--check", type=Path, metavar="FILE", help="check this FEC and report (- for stdin)"
    )
    fec.add_argument(
        "--name", metavar="FILENAME", help="with --check -: the FEC's file name (SIREN, date)"
    )
    fec.add_argument(
        "--postings", type=Path, metavar="FILE", help="JSON list of postings (- for stdin)"
    )
    fec.add_argument("--siren", help="the SIREN of the company whose books these are")
    fec.add_argument("--start", type=iso_date, help="first day of the fiscal year (YYYY-MM-DD)")
    fec.add_argument("--end", type=iso_date, help="closing date of the fiscal year (YYYY-MM-DD)")
    fec.add_argument("--output-dir", type=Path, default=Path(), help="where to write the FEC")
    fec.add_argument("--separator", choices=("tab", "pipe"), default="tab")
    fec.add_argument("--encoding", choices=("utf-8", "iso-8859-15"), default="utf-8")
    fec.add_argument(
        "--per-journal",
        action="store_true",
        help="with --check: one numbering sequence per journal instead of one per file",
    )
    fec.add_argument("--format", choices=("text", "json"), default="text")
    fec.set_defaults(handler=run_fec)

    csv = kinds.add_parser(
        "csv",
        help="write a table as CSV for French Excel (; decimal comma, UTF-8 with BOM)",
        description="Write one of alize's tables, read from JSON, as CSV for French Excel.",
    )
    csv.add_argument("table", choices=sorted(TABLES), help="which table")
    csv.add_argument(
        "--input", type=Path, required=True, metavar="FILE", help="JSON list (- for stdin)"
    )
    csv.add_argument("--output", type=Path, metavar="FILE", help="CSV file (default: stdout)")
    csv.set_defaults(handler=run_csv)


def _read_entries(path: Path) -> list[FecEntry]:
    data = parse_json(read_input(path))
    if not isinstance(data, list):
        raise InvalidValue(str(path), type(data).__name__, "must hold a JSON list of postings")
    entries = []
    for index, item in enumerate(data):
        if isinstance(item, dict) and "posting" in item:
            entries.append(structure(item, FecEntry))
        else:
            try:
                entries.append(FecEntry.of(structure(item, Posting)))
            except InvalidValue as exc:
                raise InvalidValue(f"[{index}].{exc.field}", exc.value, exc.reason) from None
    return entries


def run_fec(args: argparse.Namespace) -> int:
    """Write or check a FEC."""
    if args.check is not None:
        return _check(args)
    for name in ("postings", "siren", "end"):
        if getattr(args, name) is None:
            raise MissingValue(f"--{name}", None)
    year = FiscalYear(args.start, args.end) if args.start else FiscalYear.ending(args.end)
    result = export_fec(
        _read_entries(args.postings),
        args.output_dir,
        siren=args.siren,
        fiscal_year=year,
        separator=FecSeparator.named(args.separator),
        encoding=FecEncoding.named(args.encoding),
    )
    summary = result.summary
    if args.format == "json":
        written = {
            "path": path_text(result.path),
            "description": path_text(result.description_path),
            "lines": summary.lines,
            "entries": summary.entries,
            "total_debit": f"{summary.total_debit:.2f}",
            "total_credit": f"{summary.total_credit:.2f}",
        }
        print(dump_json(written, ascii=False, indent=2))
        return 0
    print(f"FEC written: {result.path}")
    print(f"description: {result.description_path}")
    print(
        f"{summary.lines} lines, {summary.entries} entries, debit {summary.total_debit},"
        f" credit {summary.total_credit}"
    )
    return 0


def _check(args: argparse.Namespace) -> int:
    year = None
    if args.end is not None:
        year = FiscalYear(args.start, args.end) if args.start else FiscalYear.ending(args.end)
    if args.check == STDIN:
        report = check_fec(
            sys.stdin.buffer, name=args.name, fiscal_year=year, per_journal=args.per_journal
        )
    else:
        report = check_fec(
            args.check, name=args.name, fiscal_year=year, per_journal=args.per_journal
        )
    if args.format == "json":
        print(dump_json(fec_check_data(report, args.name or path_text(args.check)), indent=2))
        return 0 if report.ok else 1
    for finding in report.findings:
        print(f"{args.check}: {finding}")
    if report.omitted:
        print(f"{args.check}: … and {report.omitted} more problems not shown")
    errors, warnings = len(report.errors) + report.omitted, len(report.warnings)
    verdict = "conforme" if report.ok else "NON CONFORME"
    print(
        f"{args.check}: {verdict} — {report.lines} lignes, {report.entries} écritures,"
        f" {errors} erreur(s), {warnings} avertissement(s)",
        file=sys.stdout if report.ok else sys.stderr,
    )
    return 0 if report.ok else 1


def fec_check_data(report: FecCheck, name: str) -> dict[str, object]:
    """
    A FEC's check as JSON-ready data: what it holds and every finding.

    .. versionadded:: 0.16.0
    """
    return {
        "file": name,
        "ok": report.ok,
        "lines": report.lines,
        "entries": report.entries,
        "errors": len(report.errors) + report.omitted,
        "warnings": len(report.warnings),
        "omitted": report.omitted,
        "total_debit": f"{report.total_debit:.2f}",
        "total_credit": f"{report.total_credit:.2f}",
        "findings": [
            {
                "line": f.line,
                "field": f.field,
                "code": f.code,
                "message": f.message,
                "severity": f.severity.value,
            }
            for f in report.findings
        ],
    }


def run_csv(args: argparse.Namespace) -> int:
    """Write a table as CSV."""
    table = TABLES[args.table]
    records = table.from_json(parse_json(read_input(args.input)))
    if args.output is None:
        out = sys.stdout.buffer
        count = spreadsheets.export_table(table, records, out)
        out.flush()
    else:
        with spreadsheets.atomic_output(args.output) as out:
            count = spreadsheets.export_table(table, records, out)
        print(f"{count} rows written to {args.output}", file=sys.stderr)
    return 0
