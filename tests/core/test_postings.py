"""Postings: balanced double entries in whole cents on a replaceable chart of accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core import InvalidValue
from alize_core.accounting import Account, ChartOfAccounts, Posting, PostingLine


CHART = ChartOfAccounts.french_default()
ON = date(2026, 4, 2)


def test_a_transfer_debits_one_account_and_credits_the_other() -> None:
    """A disbursement goes from the bank (512) to advances (2748), with the SME as auxiliary."""
    posting = Posting.transfer(
        id="EV-1",
        on=ON,
        journal="BQ",
        label="Avance",
        debit=CHART.account("advances"),
        credit=CHART.account("bank"),
        amount=Decimal("25000"),
        auxiliary=("555012343", "Usinage"),
    )

    assert posting.total_debit == posting.total_credit == Decimal("25000.00")
    assert {line.auxiliary for line in posting.lines} == {"555012343"}


def test_an_unbalanced_posting_is_refused() -> None:
    """Debits must equal credits."""
    with pytest.raises(InvalidValue, match="not balanced"):
        Posting(
            "EV-2",
            ON,
            "OD",
            "x",
            (
                PostingLine(CHART.account("bank"), "x", debit=Decimal("1.00")),
                PostingLine(CHART.account("advances"), "x", credit=Decimal("0.99")),
            ),
        )


@pytest.mark.parametrize(("debit", "credit"), [(Decimal(0), Decimal(0)), (Decimal(1), Decimal(1))])
def test_a_line_has_exactly_one_of_debit_or_credit(debit: Decimal, credit: Decimal) -> None:
    """A line with both or neither side is refused."""
    with pytest.raises(InvalidValue, match="exactly one"):
        PostingLine(CHART.account("bank"), "x", debit=debit, credit=credit)


def test_fractions_of_a_cent_and_floats_are_refused() -> None:
    """Amounts on a line are whole cents, never floats."""
    with pytest.raises(InvalidValue, match="fraction of a cent"):
        PostingLine(CHART.account("bank"), "x", debit=Decimal("1.005"))
    with pytest.raises(InvalidValue):
        PostingLine(CHART.account("bank"), "x", debit=1.5)


def test_the_chart_can_send_contributions_to_1034() -> None:
    """An accountant may book partner contributions to 1034 instead of 1024."""
    chart = CHART.with_account("contributions", "1034", "Fonds associatifs sans droit de reprise")

    assert chart.account("contributions").number == "1034"
    assert CHART.account("contributions").number == "1024"


def test_an_unknown_role_names_the_known_ones() -> None:
    """Asking for a role the chart lacks lists the roles it has."""
    with pytest.raises(InvalidValue, match="bank"):
        CHART.account("treasure")


def test_account_numbers_start_with_three_digits() -> None:
    """An account number is at least three digits, the first a class from 1 to 8."""
    with pytest.raises(InvalidValue):
        Account("51", "Banque")
    with pytest.raises(InvalidValue):
        Account("912", "Hors plan")


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=8))
def test_a_split_posting_balances_whatever_the_amounts(cents: list[int]) -> None:
    """Several debit lines against one credit line of their total always balance."""
    amounts = [Decimal(c).scaleb(-2) for c in cents]
    lines = tuple(PostingLine(CHART.account("advances"), "x", debit=a) for a in amounts)
    total = sum(amounts, Decimal(0))

    posting = Posting(
        "EV-3", ON, "BQ", "x", (*lines, PostingLine(CHART.account("bank"), "x", credit=total))
    )

    assert posting.total_debit == posting.total_credit == total
