"""
Benchmark: writing a FEC of 1,000,000 lines (article A47 A-1 LPF), speed and memory.

A year of an advance fund's bookkeeping, scaled up: every day of 2026 carries
the same eight postings (disbursements, repayments, a split repayment with bank
fees, a partner's contribution) repeated until the file holds at least
1,000,000 lines. The postings are built once and given again and again by a
generator, so what is measured is the writer, not the building of postings.

It prints, for :func:`alize_adapters.connectors.fec.write_fec` (streamed to a file on disk):

- the throughput in lines per second (goal: at least 100,000);
- the peak of Python memory (``tracemalloc``) while writing 100,000 and
  1,000,000 lines: flat memory means the two peaks are about the same;
- the ratio against a named peer measured in the same run on the same rows:
  **the standard library's** :func:`csv.writer`, writing the same 18 fields per
  line (dates and amounts formatted with ``strftime`` and ``str.replace``),
  with none of the writer's checks;
- the validator's throughput (:func:`alize_adapters.connectors.fec.check_fec`) on the file
  written, and its verdict.

Run: ``python benchmarks/bench_fec.py`` (``--lines N`` for another size).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from alize_adapters.connectors import FEC_COLUMNS, FiscalYear, check_fec, write_fec
from alize_core.accounting import ChartOfAccounts, Posting, PostingLine


YEAR = FiscalYear(date(2026, 1, 1), date(2026, 12, 31))
CHART = ChartOfAccounts.french_default()
JOURNALS = {"BQ": "Banque", "OD": "Opérations diverses"}


def day_postings(day: date, number: int) -> list[Posting]:
    """The eight postings of one day (22 lines)."""
    bank, advances = CHART.account("bank"), CHART.account("advances")
    sme = (f"55501234{number % 10}", f"Entreprise n°{number % 10}")
    postings = []
    for index, amount in enumerate(("25000.00", "520.83", "520.84", "18000.00", "1250.00")):
        debit, credit = (advances, bank) if index in (0, 3) else (bank, advances)
        postings.append(
            Posting.transfer(
                id=f"P{number}-{index}",
                on=day,
                journal="BQ",
                label=f"Avance ou remboursement {index}",
                debit=debit,
                credit=credit,
                amount=Decimal(amount),
                auxiliary=sme,
            )
        )
    postings.append(
        Posting(
            f"P{number}-5",
            day,
            "BQ",
            "Remboursement et frais",
            (
                PostingLine(bank, "Remboursement", debit=Decimal("1041.67")),
                PostingLine(advances, "Capital", credit=Decimal("1000.00")),
                PostingLine(CHART.account("bank_fees"), "Frais", credit=Decimal("41.67")),
            ),
        )
    )
    postings.append(
        Posting.transfer(
            id=f"P{number}-6",
            on=day,
            journal="BQ",
            label="Apport d'un partenaire",
            debit=bank,
            credit=CHART.account("contributions"),
            amount=Decimal("50000.00"),
        )
    )
    postings.append(
        Posting.transfer(
            id=f"P{number}-7",
            on=day,
            journal="OD",
            label="Dépréciation",
            debit=CHART.account("impairment_expense"),
            credit=CHART.account("impairment_allowance"),
            amount=Decimal("9375.00"),
        )
    )
    return postings


POOL = [day_postings(YEAR.start + timedelta(days=d), d) for d in range(365)]
LINES_PER_DAY = sum(len(p.lines) for p in POOL[0])


def postings(lines: int) -> Iterator[Posting]:
    """Postings in date order until ``lines`` lines are reached (a few more at most)."""
    rounds = -(-lines // (LINES_PER_DAY * 365))
    written = 0
    for day in POOL:
        for _ in range(rounds):
            for posting in day:
                if written >= lines:
                    return
                written += len(posting.lines)
                yield posting


def ours(lines: int, path: Path) -> int:
    """Write with alize's FEC writer; return the lines written."""
    with path.open("wb") as stream:
        return write_fec(postings(lines), stream, fiscal_year=YEAR, journals=JOURNALS).lines


def peer(lines: int, path: Path) -> int:
    """Write the same rows with the standard library's csv.writer (no checks)."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, delimiter="\t", lineterminator="\r\n")
        writer.writerow(FEC_COLUMNS)
        for number, posting in enumerate(postings(lines), start=1):
            on = posting.on.strftime("%Y%m%d")
            for line in posting.lines:
                writer.writerow(
                    (
                        posting.journal,
                        JOURNALS[posting.journal],
                        number,
                        on,
                        line.account.number,
                        line.account.label,
                        line.auxiliary or "",
                        line.auxiliary_label or "",
                        posting.id,
                        on,
                        line.label,
                        str(line.debit).replace(".", ","),
                        str(line.credit).replace(".", ","),
                        "",
                        "",
                        on,
                        "",
                        "",
                    )
                )
                count += 1
    return count


def timed(function: object, lines: int, path: Path) -> tuple[int, float, float]:
    """The lines written, and the wall and CPU seconds taken (best of two runs each)."""
    assert callable(function)
    wall = cpu = float("inf")
    written = 0
    for _ in range(2):
        started, started_cpu = time.perf_counter(), time.process_time()
        written = function(lines, path)
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    return written, wall, cpu


def peak_memory(lines: int, path: Path) -> int:
    """The peak of Python allocations (bytes) while writing ``lines`` lines."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    baseline = tracemalloc.get_traced_memory()[0]
    ours(lines, path)
    peak = tracemalloc.get_traced_memory()[1] - baseline
    tracemalloc.stop()
    return peak


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 2)[1])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.processor() or '?'}; Python {sys.version.split()[0]}"
    )
    with tempfile.TemporaryDirectory(prefix="alize-bench-fec-") as work:
        path = Path(work) / "555012343FEC20261231.txt"
        peer_path = Path(work) / "peer.txt"
        load = os.getloadavg()[0]
        print(f"load average when starting: {load:.1f} on {os.cpu_count()} cores")
        written, seconds, cpu = timed(ours, args.lines, path)
        peer_written, peer_seconds, peer_cpu = timed(peer, args.lines, peer_path)
        rate, peer_rate = written / seconds, peer_written / peer_seconds
        cpu_rate, peer_cpu_rate = written / cpu, peer_written / peer_cpu
        size = path.stat().st_size
        print(
            f"alize FEC writer: {written:,} lines in {seconds:.2f} s wall = {rate:,.0f} lines/s;"
            f" {cpu:.2f} s CPU = {cpu_rate:,.0f} lines/s"
        )
        print(f"  file: {size / 1e6:.1f} MB ({size / written:.0f} bytes a line)")
        print(
            f"peer, stdlib csv.writer, same rows: {peer_written:,} lines in {peer_seconds:.2f} s"
            f" wall = {peer_rate:,.0f} lines/s; {peer_cpu:.2f} s CPU = {peer_cpu_rate:,.0f} lines/s"
        )
        print(
            f"ratio alize / csv.writer: {rate / peer_rate:.2f} (wall),"
            f" {cpu_rate / peer_cpu_rate:.2f} (CPU)"
        )
        verdict = "met" if rate >= 100_000 else "NOT MET"
        print(f"goal >= 100,000 lines/s (wall): {verdict}; CPU: {cpu_rate:,.0f} lines/s")
        small = max(args.lines // 10, 1)
        peak_small = peak_memory(small, Path(work) / "small.txt")
        peak_full = peak_memory(args.lines, Path(work) / "full.txt")
        print(
            f"peak Python memory while writing (tracemalloc): {peak_small / 1e6:.2f} MB at"
            f" {small:,} lines, {peak_full / 1e6:.2f} MB at {args.lines:,} lines"
            f" (ratio {peak_full / peak_small:.2f}: flat when close to 1)"
        )
        started = time.perf_counter()
        report = check_fec(path)
        check_seconds = time.perf_counter() - started
        print(
            f"validator: {report.lines:,} lines, {report.entries:,} entries in"
            f" {check_seconds:.2f} s = {report.lines / check_seconds:,.0f} lines/s;"
            f" {'compliant' if report.ok else 'NOT COMPLIANT'}"
        )
    return 0 if rate >= 100_000 else 1


if __name__ == "__main__":
    sys.exit(main())
