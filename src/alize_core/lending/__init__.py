"""
Lending (*avances remboursables*): terms and repayment schedules, an advance's life (its
status, outstanding and arrears on any date) and the servicing of loan accounts
(SCH-01…06, FUND-02, FUND-03).
"""

from __future__ import annotations

from .life import (
    AccountStatus,
    AdvanceLife,
    ArrearsBucket,
    Position,
    Reterming,
    recovery_excess,
)
from .obligations import (
    Allocation,
    AllocationPart,
    Arrears,
    Lender,
    LenderKind,
    LoanKind,
    Obligation,
    ObligationKind,
    OverdueInstalment,
    PartKind,
    PrepaymentMode,
    ScheduleChange,
    ScheduleVersion,
    explanation,
)
from .operations import (
    Acceleration,
    EarlyRepayment,
    Payment,
    Recovery,
    Rescheduling,
    ServicingEvent,
    WriteOff,
    WriteOffUndone,
    describe,
)
from .schedules import (
    Instalment,
    Schedule,
    Totals,
    accrued_interest,
    build_schedule,
    cents_text,
    divide,
    instalments_for_payment,
)
from .servicing import AccountState, LoanAccount, Serviced, open_advance, open_subsidised_loan
from .terms import (
    MAX_INSTALMENTS,
    DayCount,
    DeferralInterest,
    Frequency,
    LoanTerms,
    Method,
    whole_cents,
)


__all__ = [
    "MAX_INSTALMENTS",
    "Acceleration",
    "AccountState",
    "AccountStatus",
    "AdvanceLife",
    "Allocation",
    "AllocationPart",
    "Arrears",
    "ArrearsBucket",
    "DayCount",
    "DeferralInterest",
    "EarlyRepayment",
    "Frequency",
    "Instalment",
    "Lender",
    "LenderKind",
    "LoanAccount",
    "LoanKind",
    "LoanTerms",
    "Method",
    "Obligation",
    "ObligationKind",
    "OverdueInstalment",
    "PartKind",
    "Payment",
    "Position",
    "PrepaymentMode",
    "Recovery",
    "Rescheduling",
    "Reterming",
    "Schedule",
    "ScheduleChange",
    "ScheduleVersion",
    "Serviced",
    "ServicingEvent",
    "Totals",
    "WriteOff",
    "WriteOffUndone",
    "accrued_interest",
    "build_schedule",
    "cents_text",
    "describe",
    "divide",
    "explanation",
    "instalments_for_payment",
    "open_advance",
    "open_subsidised_loan",
    "recovery_excess",
    "whole_cents",
]
