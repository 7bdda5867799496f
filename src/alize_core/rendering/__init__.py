"""
Rendering (*mise en forme*): text, HTML with inline SVG charts and CSV.
"""

from __future__ import annotations

from .charts import (
    PALETTE,
    Series,
    arrears_chart,
    bar_chart,
    commitments_repayments_chart,
    fund_position_chart,
    line_chart,
    nice_ticks,
)
from .reports import (
    MONTHS,
    Report,
    amount,
    csv_number,
    long_date,
    short_date,
    to_csv,
    to_html,
    to_text,
)


__all__ = [
    "MONTHS",
    "PALETTE",
    "Report",
    "Series",
    "amount",
    "arrears_chart",
    "bar_chart",
    "commitments_repayments_chart",
    "csv_number",
    "fund_position_chart",
    "line_chart",
    "long_date",
    "nice_ticks",
    "short_date",
    "to_csv",
    "to_html",
    "to_text",
]
