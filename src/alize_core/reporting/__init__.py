"""
Reporting (*rapports*): activity report, call for funds, network contribution, consolidation, forecast and the portfolio of advances (GOV-09, PIL, NAT, SCH-06).
"""

from __future__ import annotations

from .activity import (
    ActivityReport,
    ArrearsLine,
    CallForFunds,
    CallLine,
    History,
    KeyFigures,
    MonthLine,
    Orientations,
    ProjectLine,
    SessionLine,
    SkillsLine,
    activity_report,
    call_for_funds,
    orientation_steps,
    registers_at,
)
from .forecast import MAX_YEARS, ForecastYear, FundForecast, forecast_fund, fund_forecast
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
