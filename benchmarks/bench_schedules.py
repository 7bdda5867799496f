"""
Benchmark: building repayment schedules with alize, against the float libraries.

Builds N schedules (default 10,000) of 60 monthly instalments, principal
5,000.00 + i × 9.37 euros, at 0 % and at 2 %, with alize and, in the same run,
with ``amortization`` 3.0.1 and ``numpy-financial`` 1.0.0 (one call per loan).
For each it prints the microseconds per schedule (best of R rounds, default 5,
the libraries taking turns within each round) and the ratio alize / amortization. The timed work builds each schedule
completely in the library's own form: alize's terms are checked and every
instalment's amounts (integer cents) and due date (a day number) computed;
``amortization`` yields its rows of floats; numpy-financial its arrays.

Afterwards, outside the timing, every schedule is checked through its public
values (alize's ``Decimal`` rows) against five properties: every value in whole
cents; the principal column adds up to the loan; so does the cent-rounded
principal column (what a ledger booking each row sees); the final balance is
zero; each payment is interest + principal. The time to turn every alize row
into public objects (``Decimal`` amounts, ``date`` due dates) is printed
separately.

Run: ``python benchmarks/bench_schedules.py [N] [R]`` (needs the ``bench`` group:
``amortization==3.0.1`` and ``numpy-financial==1.0.0``).
"""

from __future__ import annotations

import gc
import os
import platform
import sys
import time
import warnings
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from typing import Any, Final

import numpy as np
import numpy_financial as npf
from amortization.enums import PaymentFrequency
from amortization.schedule import amortization_schedule

from alize_core.lending import LoanTerms, Schedule, build_schedule


INSTALMENTS: Final = 60
START: Final = date(2026, 1, 1)
CENT: Final = Decimal("0.01")
GOAL: Final = 0.5
MUST: Final = 1.0

Row = tuple[object, object, object, object]
"""Payment, interest, principal, balance: as each library gives them."""


def principals_in_cents(count: int) -> list[int]:
    """The loans: 5,000.00 + i × 9.37 euros, in cents."""
    return [500_000 + i * 937 for i in range(count)]


def starts(count: int) -> list[date]:
    """A disbursement date per loan, every day of a year in turn (month ends included)."""
    return [START + timedelta(days=i % 365) for i in range(count)]


def timed(work: Callable[[], object]) -> tuple[float, float, object]:
    """The wall and CPU seconds of one run of ``work`` (collector off), and its result."""
    gc.collect()
    gc.disable()
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    gc.enable()
    return wall, cpu, result


def best_interleaved(
    repeats: int, works: Sequence[Callable[[], object]]
) -> list[tuple[float, float, object]]:
    """
    The best wall and CPU seconds of each work over ``repeats`` rounds, and its last result.

    The works take turns within each round, so that a machine shared with other jobs
    slows them alike and the ratios stay fair.
    """
    best = [(float("inf"), float("inf"), None)] * len(works)
    for _ in range(repeats):
        for index, work in enumerate(works):
            wall, cpu, result = timed(work)
            del result  # keep only one result alive at a time
            old_wall, old_cpu, _ = best[index]
            best[index] = (min(old_wall, wall), min(old_cpu, cpu), None)
    return [(wall, cpu, work()) for (wall, cpu, _), work in zip(best, works, strict=True)]


def build_alize(amounts: Sequence[Decimal], dates: Sequence[date], rate: Decimal) -> list[Schedule]:
    """alize: check the terms, then every instalment in cents and day numbers."""
    return [
        build_schedule(LoanTerms(principal=p, start=d, instalments=INSTALMENTS, rate=rate))
        for p, d in zip(amounts, dates, strict=True)
    ]


def build_only(terms: Sequence[LoanTerms]) -> list[Schedule]:
    """alize, terms already checked: every instalment in cents and day numbers."""
    return [build_schedule(t) for t in terms]


def build_amortization(amounts: Sequence[float], rate: float) -> list[list[Any]]:
    """amortization 3.0.1: its rows (number, amount, interest, principal, balance), floats."""
    monthly = PaymentFrequency.MONTHLY
    return [list(amortization_schedule(p, rate, INSTALMENTS, monthly)) for p in amounts]


def build_numpy_financial(amounts: Sequence[float], rate: float) -> list[tuple[Any, ...]]:
    """numpy-financial 1.0.0, one loan at a time: payment, interest, principal, balance arrays."""
    periods = np.arange(1, INSTALMENTS + 1)
    monthly = rate / 12
    schedules = []
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")  # pmt at 0 % divides 0 by 0 before np.where
        for p in amounts:
            payment = npf.pmt(monthly, INSTALMENTS, -p)
            interest = -npf.ipmt(monthly, periods, INSTALMENTS, p)
            principal = -npf.ppmt(monthly, periods, INSTALMENTS, p)
            balance = p - np.cumsum(principal)
            schedules.append((np.full(INSTALMENTS, payment), interest, principal, balance))
    return schedules


def exact(value: object) -> Decimal:
    """A library's value as the exact decimal it stands for (floats by their shortest repr)."""
    if isinstance(value, Decimal):
        return value
    return Decimal(repr(float(value)))  # type: ignore[arg-type]


def passes(loan: int, rows: Iterable[Row]) -> bool:
    """The five checks on one schedule's rows (payment, interest, principal, balance)."""
    values = [tuple(exact(v) for v in row) for row in rows]
    principal = Decimal(loan).scaleb(-2)
    in_cents = all(v == v.quantize(CENT) for row in values for v in row)
    total = sum((row[2] for row in values), Decimal(0)) == principal
    rounded = sum((row[2].quantize(CENT) for row in values), Decimal(0)) == principal
    final = values[-1][3] == 0
    adds_up = all(row[0] == row[1] + row[2] for row in values)
    return in_cents and total and rounded and final and adds_up


def share(loans: Sequence[int], schedules: Iterable[Iterable[Row]]) -> float:
    """The share of schedules passing all five checks, in percent."""
    passed = sum(passes(loan, rows) for loan, rows in zip(loans, schedules, strict=True))
    return 100 * passed / len(loans)


def alize_rows(schedule: Schedule) -> list[Row]:
    """An alize schedule's public rows (Decimal values)."""
    return [(r.payment, r.interest, r.principal, r.balance) for r in schedule.rows]


def amortization_rows(rows: list[Any]) -> list[Row]:
    """amortization's rows as (payment, interest, principal, balance)."""
    return [(r.amount, r.interest, r.principal, r.balance) for r in rows]


def numpy_rows(arrays: tuple[Any, ...]) -> list[Row]:
    """numpy-financial's arrays as rows."""
    payment, interest, principal, balance = arrays
    return list(zip(payment, interest, principal, balance, strict=True))


def materialise(schedules: Sequence[Schedule]) -> float:
    """Seconds to turn every row of fresh schedules into public objects (Decimal, date)."""
    wall = time.perf_counter()
    for schedule in schedules:
        _ = schedule.rows
    return time.perf_counter() - wall


def _verdict(ratio: float) -> str:
    """How a ratio compares with the goal (≤ 0.5) and the limit (≤ 1.0)."""
    if ratio <= GOAL:
        return f"goal ≤ {GOAL} met"
    return f"within the limit ≤ {MUST}" if ratio <= MUST else f"OVER the limit {MUST}"


def machine() -> str:
    """The machine, for the record."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"Python {platform.python_version()}, {platform.system()} {platform.machine()},"
        f" {os.cpu_count()} CPU(s), load average {load}, numpy {np.__version__}"
    )


def main(argv: Sequence[str]) -> int:
    """Run the benchmark and print its table."""
    count = int(argv[1]) if len(argv) > 1 else 10_000
    repeats = int(argv[2]) if len(argv) > 2 else 5
    loans = principals_in_cents(count)
    amounts = [Decimal(c).scaleb(-2) for c in loans]
    floats = [c / 100 for c in loans]
    dates = starts(count)
    print(
        f"Schedules: {count:,} loans of 5,000.00 + i × 9.37 €, {INSTALMENTS} monthly instalments,"
        f" best of {repeats} rounds; {machine()}"
    )
    print(f"{'rate':<5} {'library':<36} {'µs/schedule':>11} {'cpu µs':>8} {'five checks':>12}")
    ratios = []
    for label, rate in (("0 %", Decimal(0)), ("2 %", Decimal("0.02"))):
        per = 1e6 / count
        prepared = [
            LoanTerms(principal=p, start=d, instalments=INSTALMENTS, rate=rate)
            for p, d in zip(amounts, dates, strict=True)
        ]
        (
            (wall, cpu, _),
            (b_wall, b_cpu, _),
            (a_wall, a_cpu, a_built),
            (n_wall, n_cpu, n_built),
        ) = best_interleaved(
            repeats,
            [
                partial(build_alize, amounts, dates, rate),
                partial(build_only, prepared),
                partial(build_amortization, floats, float(rate)),
                partial(build_numpy_financial, floats, float(rate)),
            ],
        )
        fresh = build_alize(amounts, dates, rate)
        rows_seconds = materialise(fresh)
        alize_share = share(loans, (alize_rows(s) for s in fresh))
        a_share = share(loans, (amortization_rows(r) for r in a_built))  # type: ignore[attr-defined]
        n_share = share(loans, (numpy_rows(a) for a in n_built))  # type: ignore[attr-defined]
        ratio = wall / a_wall
        ratios.append(ratio)
        print(
            f"{label:<5} {'alize (terms checked, cents + dates)':<36} {wall * per:>11.1f}"
            f" {cpu * per:>8.1f} {alize_share:>11.2f}%"
        )
        print(
            f"{label:<5} {'  build_schedule alone (terms ready)':<36} {b_wall * per:>11.1f}"
            f" {b_cpu * per:>8.1f}"
        )
        print(
            f"{label:<5} {'amortization 3.0.1':<36} {a_wall * per:>11.1f} {a_cpu * per:>8.1f}"
            f" {a_share:>11.2f}%"
        )
        print(
            f"{label:<5} {'numpy-financial 1.0.0, per loan':<36} {n_wall * per:>11.1f}"
            f" {n_cpu * per:>8.1f} {n_share:>11.2f}%"
        )
        print(
            f"{label:<5} {'alize rows as Decimal + date objects':<36}"
            f" {rows_seconds * per:>11.1f}   (materialised on first read, not in the build)"
        )
        print(
            f"{label:<5} ratio alize / amortization = {ratio:.2f} wall, {cpu / a_cpu:.2f} cpu"
            f" ({_verdict(ratio)}); with the terms ready: {b_wall / a_wall:.2f} wall,"
            f" {b_cpu / a_cpu:.2f} cpu ({_verdict(b_wall / a_wall)})"
        )
    return 0 if max(ratios) <= MUST else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
