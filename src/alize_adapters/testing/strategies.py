"""
Hypothesis strategies for adapter tests: SIRENs, French names, amounts, balanced entries.

>>> from hypothesis import find
>>> from alize_core.parties.model import check_siren
>>> siren = find(sirens(), lambda s: s.startswith("55"))
>>> check_siren(siren) == siren
True

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st
from stdnum import luhn

from alize_adapters.host.backends import EntryLine, JournalEntry
from alize_adapters.testing.support import FRENCH_NAMES


__all__ = ["amounts", "french_names", "journal_entries", "sirens"]


@st.composite
def sirens(draw: st.DrawFn) -> str:
    """SIREN numbers with a valid Luhn check digit."""
    body = draw(st.text(alphabet="0123456789", min_size=8, max_size=8))
    return body + str(luhn.calc_check_digit(body))


def french_names() -> st.SearchStrategy[str]:
    """Company names with accents, ligatures, apostrophes and guillemets, up to 200 characters."""
    letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèêëàâäîïôöùûüçœæÉÈÊÀÂÇŒÆ"
    words = st.text(alphabet=letters + "'’-&«» ", min_size=1, max_size=40)
    invented = st.builds(lambda a, b: f"{a} {b}".strip() or "Société", words, words).filter(
        lambda name: bool(name.strip()) and name == name.strip()
    )
    return st.one_of(st.sampled_from(FRENCH_NAMES), invented)


def amounts(maximum: Decimal = Decimal("9999999.99")) -> st.SearchStrategy[Decimal]:
    """Amounts in euros, whole cents, more than zero."""
    return st.decimals(
        min_value=Decimal("0.01"),
        max_value=maximum,
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )


@st.composite
def journal_entries(draw: st.DrawFn, piece: str = "PIECE-1") -> JournalEntry:
    """Balanced entries of two to five lines on the accounts of an advance fund."""
    debits = draw(st.lists(amounts(), min_size=1, max_size=4))
    accounts = st.sampled_from(("2748", "512", "4671", "6541", "7688"))
    lines = [
        EntryLine(account=draw(accounts), label=f"Ligne {number}", debit=amount)
        for number, amount in enumerate(debits, start=1)
    ]
    lines.append(EntryLine(account="512", label="Banque", credit=sum(debits, Decimal("0.00"))))
    on = draw(st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
    return JournalEntry(
        journal="AV", on=on, piece=piece, label="Écriture d'essai", lines=tuple(lines)
    )
