"""Postings the FEC and spreadsheet tests write and read back: advances paid out, a repayment."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final

from alize_core.accounting import ChartOfAccounts, Posting, PostingLine


CHART: Final = ChartOfAccounts.french_default()
SME: Final = ("555012343", "Usinage Meusien")


def advance(
    piece: str,
    on: date,
    label: str,
    amount: str = "25000.00",
    *,
    journal: str = "BQ",
    auxiliary: tuple[str, str] | None = None,
) -> Posting:
    """An advance paid out of the fund's bank account: advances debited, bank credited."""
    return Posting.transfer(
        id=piece,
        on=on,
        journal=journal,
        label=label,
        debit=CHART.account("advances"),
        credit=CHART.account("bank"),
        amount=Decimal(amount),
        auxiliary=auxiliary,
    )


def repayment_with_fee(label: str, capital: str) -> Posting:
    """RB-1 on 10 May 2026: 520,83 € into the bank, 500,00 € of capital and 20,83 € of fees."""
    return Posting(
        "RB-1",
        date(2026, 5, 10),
        "BQ",
        label,
        (
            PostingLine(CHART.account("bank"), "Remboursement", debit=Decimal("520.83")),
            PostingLine(CHART.account("advances"), capital, credit=Decimal("500.00")),
            PostingLine(CHART.account("suppliers"), "Frais", credit=Decimal("20.83")),
        ),
    )
