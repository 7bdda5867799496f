"""
Accounting (*comptabilité du fonds*): postings on a chart of accounts and the events → postings mapping (OP-01, FUND-05).
"""

from __future__ import annotations

from .books import (
    JOURNALS,
    AccountBalance,
    Movement,
    MovementKind,
    contributions_account,
    event_movements,
    journal_postings,
    posting,
    postings,
    trial_balance,
)
from .postings import Account, ChartOfAccounts, Posting, PostingLine


__all__ = [
    "JOURNALS",
    "Account",
    "AccountBalance",
    "ChartOfAccounts",
    "Movement",
    "MovementKind",
    "Posting",
    "PostingLine",
    "contributions_account",
    "event_movements",
    "journal_postings",
    "posting",
    "postings",
    "trial_balance",
]
