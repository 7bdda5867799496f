"""
Reporting (*rapports*): activity report, call for funds, network contribution, consolidation, forecast and the portfolio of advances (GOV-09, PIL, NAT, SCH-06), and the query documents every door reads.
"""

from __future__ import annotations

from .activity import activity_report, call_for_funds
from .documents import (
    Document,
    advance_document,
    fund_document,
    person_document,
    plain,
    portfolio_document,
    project_document,
    session_document,
    territory_document,
)
from .forecast import MAX_YEARS, ForecastYear, FundForecast, forecast_fund, fund_forecast
from .history import History, registers_at
from .network import (
    NationalConsolidation,
    NetworkContribution,
    NetworkContributionTerms,
    TerritoryResults,
    add_figures,
    consolidate,
    contribution_due,
    network_contribution,
)
from .portfolio import PortfolioLine, PortfolioReport, portfolio_of, portfolio_report
from .records import (
    ActivityReport,
    ArrearsLine,
    CallForFunds,
    CallLine,
    KeyFigures,
    MonthLine,
    Orientations,
    ProjectLine,
    SessionLine,
    SkillsLine,
    orientation_steps,
)


__all__ = [
    "MAX_YEARS",
    "ActivityReport",
    "ArrearsLine",
    "CallForFunds",
    "CallLine",
    "Document",
    "ForecastYear",
    "FundForecast",
    "History",
    "KeyFigures",
    "MonthLine",
    "NationalConsolidation",
    "NetworkContribution",
    "NetworkContributionTerms",
    "Orientations",
    "PortfolioLine",
    "PortfolioReport",
    "ProjectLine",
    "SessionLine",
    "SkillsLine",
    "TerritoryResults",
    "activity_report",
    "add_figures",
    "advance_document",
    "call_for_funds",
    "consolidate",
    "contribution_due",
    "forecast_fund",
    "fund_document",
    "fund_forecast",
    "network_contribution",
    "orientation_steps",
    "person_document",
    "plain",
    "portfolio_document",
    "portfolio_of",
    "portfolio_report",
    "project_document",
    "registers_at",
    "session_document",
    "territory_document",
]
