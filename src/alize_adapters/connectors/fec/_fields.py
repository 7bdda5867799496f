"""
How the FEC writes a date and an amount (package-private): what the writer and the checker share.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Final


__all__ = [
    "DATE",
    "amount_text",
    "real_date",
]


DATE: Final = re.compile(r"\d{8}")


def real_date(text: str) -> date | None:
    if not DATE.fullmatch(text):
        return None
    try:
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def amount_text(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")
