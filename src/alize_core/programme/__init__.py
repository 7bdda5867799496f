"""
The programme (*programme*): conventions, the fund and accompaniment (CONV, NAT-02, FUND, ACC, GOV-08).
"""

from __future__ import annotations

from .accompaniment import (
    MentorCategory,
    Mission,
    SupportKind,
    TimeEntry,
    Valuation,
    ValuedCategory,
    cap_step,
    check_days,
    days_step,
    mentor_step,
    value_time,
)
from .conventions import (
    CooperationAgreement,
    PartnerCommitment,
    TerritoryStatus,
    TriennialConvention,
    agreement_step,
    convention_in_force,
    convention_step,
    overlap_step,
    validation_step,
)
from .fund import (
    AdvanceValuation,
    FundPosition,
    Portfolio,
    balance_steps,
    commitment_step,
)


__all__ = [
    "AdvanceValuation",
    "CooperationAgreement",
    "FundPosition",
    "MentorCategory",
    "Mission",
    "PartnerCommitment",
    "Portfolio",
    "SupportKind",
    "TerritoryStatus",
    "TimeEntry",
    "TriennialConvention",
    "Valuation",
    "ValuedCategory",
    "agreement_step",
    "balance_steps",
    "cap_step",
    "check_days",
    "commitment_step",
    "convention_in_force",
    "convention_step",
    "days_step",
    "mentor_step",
    "overlap_step",
    "validation_step",
    "value_time",
]
