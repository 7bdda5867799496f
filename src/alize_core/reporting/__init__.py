"""
Reporting (*rapports*): activity report, call for funds, network contribution, consolidation, forecast and the portfolio of advances (GOV-09, PIL, NAT, SCH-06).
"""

from __future__ import annotations

from .activity import activity_report, call_for_funds
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
from .portfolio import PortfolioLine, PortfolioReport, portfolio_report
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
    "call_for_funds",
    "consolidate",
    "contribution_due",
    "forecast_fund",
    "fund_forecast",
    "network_contribution",
    "orientation_steps",
    "portfolio_report",
    "registers_at",
]
