"""Demo part: the year's books as a FEC (written, checked, a corrupted copy refused) and CSV."""

from __future__ import annotations

import shlex
from datetime import date

from alize_adapters.connectors.fec import FecEntry, FiscalYear, check_fec, export_fec
from alize_adapters.connectors.spreadsheets import atomic_output, export_table
from alize_adapters.connectors.tables import TABLES
from alize_adapters.demo import DemoContext, sample
from alize_adapters.storage.sqlite import read_events
from alize_core.accounting.books import journal_postings
from alize_core.accounting.postings import Posting
from alize_core.kernel.money import format_eur


TITLE = "Exports: the FEC of the year's books, checked, and CSV for French Excel"

OPERATOR_SIREN = "555045673"
"""The sample operator's SIREN (invented, with a valid check digit)."""

YEAR = FiscalYear(date(sample.PROGRAMME_YEAR, 1, 1), date(sample.PROGRAMME_YEAR, 12, 31))


def _postings(context: DemoContext) -> list[Posting]:
    """The year's postings of the demo's register (the reports' books)."""
    events = read_events(context.db)
    return list(journal_postings(events, start=YEAR.start, end=YEAR.end))


def _in_validation_order(postings: list[Posting]) -> list[FecEntry]:
    """Each posting validated on its date, or on the last validation date if it is earlier."""
    entries, last = [], YEAR.start
    for item in postings:
        last = max(last, item.on)
        entries.append(FecEntry(item, last))
    return entries


def run(context: DemoContext) -> None:
    """Write the FEC of the sample year, check it, refuse a corrupted copy, write CSV tables."""
    postings = _postings(context)
    folder = context.workdir / "exports"
    result = export_fec(
        _in_validation_order(postings), folder, siren=OPERATOR_SIREN, fiscal_year=YEAR
    )
    summary = result.summary
    context.say(
        f"FEC {result.path.name} from the register's journal: {summary.lines} lines, {summary.entries}"
        f" entries numbered {summary.first_number}–{summary.last_number}, debit = credit ="
        f" {format_eur(summary.total_debit)}; journals "
        + ", ".join(f"{code} ({label})" for code, label in summary.journals)
        + f"; description in {result.description_path.name}."
    )
    report = check_fec(result.path)
    context.say(
        f"alize export fec --check: {'compliant' if report.ok else 'NOT COMPLIANT'},"
        f" {report.lines} lines, {report.entries} entries ({len(report.errors)} error(s),"
        f" {len(report.warnings)} warning(s))."
    )
    context.say(
        f"  $ {shlex.join(['alize', 'export', 'fec', '--check', str(result.path.resolve())])}"
    )
    lines = result.path.read_bytes().split(b"\r\n")
    fields = lines[2].split(b"\t")
    fields[11], fields[12] = (
        (b"1,00", fields[12]) if fields[11] != b"0,00" else (fields[11], b"1,00")
    )
    lines[2] = b"\t".join(fields)
    dated = lines[5].split(b"\t")
    dated[9] = b"20261301"
    lines[5] = b"\t".join(dated)
    corrupted = folder / "corrupted" / result.path.name
    corrupted.parent.mkdir(exist_ok=True)
    corrupted.write_bytes(b"\r\n".join(lines))
    refused = check_fec(corrupted)
    context.say(
        "A copy with an amount changed on line 3 and an impossible piece date (20261301)"
        f" on line 6 is refused, line by line ({len(refused.errors)} errors):"
    )
    for finding in refused.errors[:3]:
        context.say(f"  {finding}")
    with atomic_output(folder / "ecritures.csv") as out:
        rows = export_table(TABLES["ecritures"], postings, out)
    with atomic_output(folder / "entreprises.csv") as out:
        smes = export_table(TABLES["entreprises"], sample.smes(), out)
    context.say(
        f"CSV for French Excel (;, decimal comma, UTF-8 with BOM, formulas neutralised):"
        f" ecritures.csv ({rows} rows), entreprises.csv ({smes} rows) in {folder.name}/."
    )
