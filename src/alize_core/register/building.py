"""
Building the register's records from the fold's state (*lecture de l'état*): the fund's position, an advance's life and valuation, and the records the views give (projects, SMEs, time entries, advances); and the guard that turns state alize cannot read back into a typed error.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from alize_core.governance.session import AgendaEntry
from alize_core.journal.codec import Payload
from alize_core.kernel.decisions import Outcome
from alize_core.kernel.errors import AlizeError, MalformedInput
from alize_core.kernel.money import ZERO, Rounding, from_cents
from alize_core.lending.life import AdvanceLife, Reterming
from alize_core.lending.terms import Frequency
from alize_core.parties.model import (
    Project,
    Sme,
)
from alize_core.programme.accompaniment import MentorCategory, TimeEntry
from alize_core.programme.conventions import (
    CooperationAgreement,
)
from alize_core.programme.fund import AdvanceValuation, FundPosition
from alize_core.register.records import (
    AdvanceRecord,
    AdvanceRescheduling,
    AdvanceStatus,
    ProjectRecord,
    ProjectStatus,
)
from alize_core.register.state import (
    A_COMMITTED,
    A_COMMITTED_ON,
    A_DEFAULTED_ON,
    A_DISBURSED,
    A_DISBURSED_ON,
    A_GRANTED,
    A_PAYMENTS,
    A_RECOVERED,
    A_RECOVERIES,
    A_REPAID,
    A_SESSION,
    A_STATUS,
    A_TERMS,
    A_WRITTEN_OFF,
    A_WRITTEN_OFF_ON,
    FUND_NAMES,
    T_CHANGES,
    T_ROUNDING,
    FoldState,
)


__all__: list[str] = []


_VIEW = TypeVar("_VIEW", bound=Callable[..., Any])


def guard_readable(view: _VIEW) -> _VIEW:
    """
    A view of the register that turns data it cannot read back (written by another
    program, or a forged snapshot) into :class:`~alize_core.kernel.errors.MalformedInput`.
    """

    @functools.wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except AlizeError:
            raise
        except (
            KeyError,
            TypeError,
            ValueError,
            IndexError,
            AttributeError,
            UnicodeError,
            ArithmeticError,  # decimal.InvalidOperation: an amount that is not a number
        ) as exc:
            msg = f"holds data alize cannot read back ({type(exc).__name__}: {exc}); run `alize check`"
            raise MalformedInput("register", None, msg) from None

    return guarded  # type: ignore[return-value]


def to_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def to_enum(kind: type[enum.StrEnum], value: str | None) -> Any:
    return None if value is None else kind(value)


def fund_position(state: FoldState) -> FundPosition:
    return FundPosition.from_cents(
        on=to_date(state.last_on or None), **dict(zip(FUND_NAMES, state.fund, strict=True))
    )


def value(project: str, status: str, life: AdvanceLife | None, on: date) -> AdvanceValuation:
    """
    One advance on a date, as its life (:mod:`alize_core.lending.life`) says: where it
    stands, what it owes, what is due and unpaid and for how long (SCH-06); an advance
    not paid out (``status`` says where it stands) owes nothing yet.
    """
    if life is None:
        return AdvanceValuation(project, status, ZERO, ZERO, 0)
    position = life.position(on)
    return AdvanceValuation(
        project,
        AdvanceStatus.of_account(position.status).value,
        from_cents(position.outstanding),
        from_cents(position.arrears),
        position.days_past_due,
    )


def advance_life(a: list[Any]) -> AdvanceLife | None:
    """An advance's life from the fold's record of it, ``None`` before it is paid out."""
    terms = a[A_TERMS]
    if terms is None:
        return None
    rounded = len(terms) > T_ROUNDING
    written_off_on = a[A_WRITTEN_OFF_ON]
    defaulted_on = a[A_DEFAULTED_ON]
    return AdvanceLife(
        principal=a[A_DISBURSED],
        start=date.fromisoformat(a[A_DISBURSED_ON]),
        instalments=terms[0],
        frequency=Frequency(terms[1]),
        deferral=terms[2],
        rounding=Rounding(terms[T_ROUNDING]) if rounded else Rounding.HALF_UP,
        payments=tuple((date.fromisoformat(on), c) for on, c in a[A_PAYMENTS]),
        reschedulings=tuple(
            Reterming(date.fromisoformat(on), count, Frequency(frequency), deferral, k, c)
            for on, count, frequency, deferral, k, c in terms[T_CHANGES:]
        ),
        defaulted_on=None if defaulted_on is None else date.fromisoformat(defaulted_on),
        written_off=a[A_WRITTEN_OFF],
        written_off_on=None if written_off_on is None else date.fromisoformat(written_off_on),
        recovered=a[A_RECOVERED],
    )


def agenda_entry(data: Payload) -> AgendaEntry:
    return AgendaEntry(
        data["project"],
        Decimal(data["advance"]),
        Decimal(data["subsidised_loan"]),
        data["lender"],
        data["mentor_days"],
        tuple(data["conflicted"]),
    )


def project_record(project_id: str, p: Payload) -> ProjectRecord:
    project = p["project"]
    agreement = p["agreement"]
    return ProjectRecord(
        Project(
            project["id"],
            project["sme"],
            project["title"],
            project["jobs_created"],
            project["jobs_kept"],
            project["adaptation"],
        ),
        ProjectStatus(p["status"]),
        date.fromisoformat(p["identified_on"]),
        to_date(p["validated_on"]),
        p["session"],
        to_date(p["decided_on"]),
        to_enum(Outcome, p["outcome"]),
        None if p["means"] is None else agenda_entry(p["means"]),
        None
        if agreement is None
        else CooperationAgreement(agreement[0], project_id, date.fromisoformat(agreement[1])),
        to_date(p["closed_on"]),
    )


def time_entry(person: str, project: str, on: str, days: str, category: str | None) -> TimeEntry:
    return TimeEntry(
        person,
        project,
        date.fromisoformat(on),
        Decimal(days),
        MentorCategory(category or MentorCategory.EXECUTIVE.value),
    )


def sme_record(s: Payload) -> Sme:
    return Sme(
        siren=s["siren"],
        name=s["name"],
        creation_date=date.fromisoformat(s["creation_date"]),
        staff=s["staff"],
        turnover=Decimal(s["turnover"]),
        balance_sheet=Decimal(s["balance_sheet"]),
        commune=s["commune"],
        siret=s["siret"],
    )


def advance_record(project: str, a: list[Any]) -> AdvanceRecord:
    terms = a[A_TERMS]
    return AdvanceRecord(
        project,
        from_cents(a[A_GRANTED]),
        from_cents(a[A_COMMITTED]),
        from_cents(a[A_DISBURSED]),
        from_cents(a[A_REPAID]),
        from_cents(a[A_WRITTEN_OFF]),
        from_cents(a[A_RECOVERED]),
        AdvanceStatus(a[A_STATUS]),
        date.fromisoformat(a[A_COMMITTED_ON]),
        to_date(a[A_DISBURSED_ON]),
        None if terms is None else terms[0],
        None if terms is None else terms[1],
        None if terms is None else terms[2],
        to_date(a[A_DEFAULTED_ON]),
        a[A_SESSION],
        tuple(a[A_PAYMENTS]),
        Rounding(terms[T_ROUNDING])
        if terms is not None and len(terms) > T_ROUNDING
        else Rounding.HALF_UP,
        ()
        if terms is None
        else tuple(
            AdvanceRescheduling(
                date.fromisoformat(on), count, frequency, deferral, k, from_cents(c)
            )
            for on, count, frequency, deferral, k, c in terms[T_CHANGES:]
        ),
        to_date(a[A_WRITTEN_OFF_ON]),
        tuple(a[A_RECOVERIES]),
        advance_life(a),
    )
