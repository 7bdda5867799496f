"""
Loan servicing (*suivi des remboursements*): payments, arrears, early repayment,
rescheduling, default, write-off and recovery, with the history kept.

A :class:`LoanAccount` is an advance (*avance remboursable*, lent by the
territory's advance fund) or a subsidised loan (*prêt bonifié*, lent by a partner
company from its own means, FUND-03). It holds its terms, every servicing event
in date order, and the state those events lead to. Each command
(:meth:`~LoanAccount.pay`, :meth:`~LoanAccount.repay_early`,
:meth:`~LoanAccount.reschedule`, :meth:`~LoanAccount.declare_default`,
:meth:`~LoanAccount.write_off`, :meth:`~LoanAccount.undo_write_off`,
:meth:`~LoanAccount.recover`) returns a new account; a refused command raises an
:class:`~alize_core.kernel.errors.AlizeError` and changes nothing.

**Allocation order.** A payment settles the instalments due on or before its date,
oldest first, and within each instalment the interest before the principal (SCH-06:
arrears first); what remains pays the next instalments in advance, in the same
order. More than everything owed is refused: an early repayment
(:meth:`~LoanAccount.repay_early`) is what shortens the term or lowers the
instalments (SCH-05, the ``prepayment`` setting).

**Arrears** at any date (SCH-06): what is due and unpaid, the days since the
oldest unpaid instalment fell due, and the bucket (0, 1–30, 31–90, 91–180,
over 180 days). After more than ``default_after_days`` days unpaid (a setting,
90 by default) the advance may be declared in default, which makes the whole
outstanding due at once (*déchéance du terme*). It may then be written off
(*passage en perte*, undoable) and later amounts recovered, never more than was
written off. Repayments and recoveries of an advance rebuild the fund and only a
write-off loses its money (FUND-02); a subsidised loan's belong to its lender.

>>> from datetime import date
>>> from decimal import Decimal
>>> from alize_core.lending.schedules import LoanTerms
>>> terms = LoanTerms(principal=Decimal("1200.00"), start=date(2026, 1, 31), instalments=12)
>>> advance = open_advance("A1", terms, territory="MEUSE")
>>> print(advance.arrears(on=date(2026, 4, 10)).explain())
Impayés de l'avance remboursable A1 au 10/04/2026 : 200,00 €, tranche « 31–90 jours »
  ✗ 200,00 € impayés au 10/04/2026, dont 200,00 € de capital ; plus ancienne échéance impayée le 28/02/2026, 41 jour(s) de retard (SCH-06)
>>> advance = advance.pay(Decimal("200.00"), on=date(2026, 4, 10))
>>> advance.arrears(on=date(2026, 4, 10)).bucket
<ArrearsBucket.CURRENT: '0'>
>>> print(advance.allocations[-1].explain())
Versement de 200,00 € le 10/04/2026 (avance remboursable A1)
  ✓ Échéance n° 1 du 28/02/2026, en retard de 41 jour(s) : 0,00 € d'intérêts puis 100,00 € de capital (SCH-06)
  ✓ Échéance n° 2 du 31/03/2026, en retard de 10 jour(s) : 0,00 € d'intérêts puis 100,00 € de capital (SCH-06)
  ✓ 200,00 € reviennent au fonds d'avances, qui se reconstitue (FUND-02)

A recovery is capped at what was written off:

>>> advance.recover(Decimal("10.00"), on=date(2026, 5, 1))
Traceback (most recent call last):
...
alize_core.kernel.errors.CommandRefused: amount: the repayable advance A1 is active, not written off; only a written-off claim can be recovered

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.kernel.decisions import Decision, Outcome, Step, format_step, french, make_step
from alize_core.kernel.errors import CommandRefused, InvalidValue
from alize_core.kernel.money import CENT, from_cents, to_money
from alize_core.kernel.months import periods_elapsed
from alize_core.kernel.settings import DEFAULT_AFTER_DAYS, PREPAYMENT, Settings, SettingVersion
from alize_core.kernel.validation import check_date, check_id
from alize_core.lending.life import AccountStatus, ArrearsBucket, recovery_excess
from alize_core.lending.schedules import (
    Frequency,
    LoanTerms,
    Schedule,
    accrued_cents,
    build_schedule,
    instalments_for_payment,
)
from alize_core.parties.model import PartnerCompany


__all__ = [
    "Acceleration",
    "AccountState",
    "Allocation",
    "AllocationPart",
    "Arrears",
    "EarlyRepayment",
    "Lender",
    "LenderKind",
    "LoanAccount",
    "LoanKind",
    "Obligation",
    "ObligationKind",
    "OverdueInstalment",
    "PartKind",
    "Payment",
    "PrepaymentMode",
    "Recovery",
    "Rescheduling",
    "ScheduleChange",
    "ScheduleVersion",
    "ServicingEvent",
    "WriteOff",
    "WriteOffUndone",
    "open_advance",
    "open_subsidised_loan",
]


class LoanKind(enum.StrEnum):
    """What is lent: an advance from the fund, or a partner's subsidised loan."""

    REPAYABLE_ADVANCE = "repayable_advance"
    """An interest-free advance from the territory's fund (*avance remboursable*)."""
    SUBSIDISED_LOAN = "subsidised_loan"
    """A partner company's loan at a reduced rate (*prêt bonifié*, FUND-03)."""

    @property
    def french(self) -> str:
        """The kind in French."""
        return "avance remboursable" if self is LoanKind.REPAYABLE_ADVANCE else "prêt bonifié"

    @property
    def the(self) -> str:
        """The kind in French with its article (*l'avance*, *le prêt*)."""
        return "l'avance remboursable" if self is LoanKind.REPAYABLE_ADVANCE else "le prêt bonifié"

    @property
    def of(self) -> str:
        """The kind in French after *de* (*de l'avance*, *du prêt*)."""
        return (
            "de l'avance remboursable" if self is LoanKind.REPAYABLE_ADVANCE else "du prêt bonifié"
        )


class LenderKind(enum.StrEnum):
    """Who lends: the territory's advance fund or a partner company (FUND-03)."""

    ADVANCE_FUND = "advance_fund"
    """The territory's revolving fund (*fonds d'avances remboursables*)."""
    PARTNER_COMPANY = "partner_company"
    """A partner company with the means to grant subsidised loans."""


@attrs.frozen
class Lender:
    """
    Who lent the money (*prêteur*), and so whom repayments and losses concern (FUND-02, FUND-03).

    Attributes:
        kind: The advance fund or a partner company.
        id: The territory's id (for the fund) or the partner company's id.
        name: Its name, for explanations.
    """

    kind: LenderKind
    id: str
    name: str

    @property
    def is_fund(self) -> bool:
        """Whether the advance fund lent the money (its repayments rebuild the fund)."""
        return self.kind is LenderKind.ADVANCE_FUND


class PrepaymentMode(enum.StrEnum):
    """What a partial early repayment shortens (the ``prepayment`` setting, SCH-05)."""

    REDUCE_TERM = "reduce_term"
    """Keep the instalment, end sooner (*réduction de la durée*)."""
    REDUCE_INSTALMENT = "reduce_instalment"
    """Keep the end date, pay less each time (*réduction des échéances*)."""

    @property
    def french(self) -> str:
        """The mode in French."""
        if self is PrepaymentMode.REDUCE_TERM:
            return "durée réduite, échéance inchangée"
        return "échéances réduites, durée inchangée"


class ScheduleChange(enum.StrEnum):
    """Why a schedule version was made (SCH-05)."""

    ORIGINAL = "original"
    """The schedule agreed at disbursement (*échéancier initial*)."""
    EARLY_REPAYMENT = "early_repayment"
    """After a partial early repayment (*remboursement anticipé partiel*)."""
    RESCHEDULING = "rescheduling"
    """A new term or deferral agreed (*réaménagement*)."""

    @property
    def french(self) -> str:
        """The reason in French."""
        return _CHANGE_FRENCH[self]


_CHANGE_FRENCH: Final = {
    ScheduleChange.ORIGINAL: "échéancier initial",
    ScheduleChange.EARLY_REPAYMENT: "après remboursement anticipé",
    ScheduleChange.RESCHEDULING: "réaménagement",
}


@attrs.frozen
class ScheduleVersion:
    """
    One schedule in an account's history (*version de l'échéancier*, SCH-05).

    Attributes:
        number: Its rank, from 1 (the original schedule).
        effective: The date from which it applies.
        change: Why it was made.
        schedule: The schedule itself.
    """

    number: int
    effective: date
    change: ScheduleChange
    schedule: Schedule


class ObligationKind(enum.StrEnum):
    """What an amount owed is."""

    INSTALMENT = "instalment"
    """An instalment of a schedule version (*échéance*)."""
    ACCRUED_INTEREST = "accrued_interest"
    """Interest run since the last due date, due at an early repayment or default."""
    ACCELERATED = "accelerated"
    """The outstanding principal made due at once by a default (*déchéance du terme*)."""
    EARLY_REPAYMENT = "early_repayment"
    """Principal repaid before its due date (*remboursement anticipé*), paid on that day."""


@attrs.frozen
class Obligation:
    """
    An amount owed on a date and what was paid of it (*échéance à payer*), in cents.

    Attributes:
        kind: An instalment, accrued interest, or the accelerated principal.
        version: The schedule version it belongs to.
        number: The instalment's number in that version (0 for the other kinds).
        due: The due date.
        principal: The principal owed, in cents.
        interest: The interest owed, in cents.
        principal_paid: The principal paid so far, in cents.
        interest_paid: The interest paid so far, in cents.
    """

    kind: ObligationKind
    version: int
    number: int
    due: date
    principal: int
    interest: int
    principal_paid: int = 0
    interest_paid: int = 0

    @property
    def unpaid(self) -> int:
        """What is still owed, in cents."""
        return self.principal - self.principal_paid + self.interest - self.interest_paid

    @property
    def unpaid_principal(self) -> int:
        """The principal still owed, in cents."""
        return self.principal - self.principal_paid

    @property
    def unpaid_interest(self) -> int:
        """The interest still owed, in cents."""
        return self.interest - self.interest_paid

    def settled(self) -> Obligation:
        """This obligation reduced to what was paid of it (replaced by a new schedule)."""
        return attrs.evolve(self, principal=self.principal_paid, interest=self.interest_paid)

    @property
    def label(self) -> str:
        """The obligation in French, for explanations."""
        if self.kind is ObligationKind.ACCRUED_INTEREST:
            return f"Intérêts courus au {french(self.due)}"
        if self.kind is ObligationKind.ACCELERATED:
            return f"Capital exigible par déchéance du terme le {french(self.due)}"
        if self.kind is ObligationKind.EARLY_REPAYMENT:
            return f"Capital remboursé par anticipation le {french(self.due)}"
        version = f" (version {self.version})" if self.version > 1 else ""
        return f"Échéance n° {self.number}{version} du {french(self.due)}"


class PartKind(enum.StrEnum):
    """What part of a payment settled."""

    OVERDUE = "overdue"
    """An instalment already late (*impayé*)."""
    DUE = "due"
    """An instalment due that day."""
    IN_ADVANCE = "in_advance"
    """A future instalment paid in advance."""
    EARLY_REPAYMENT = "early_repayment"
    """Principal repaid early (*remboursement anticipé*)."""
    RECOVERY = "recovery"
    """An amount recovered after a write-off (*récupération*)."""


@attrs.frozen
class AllocationPart:
    """
    What one part of a payment settled.

    Attributes:
        kind: Late, due, in advance, early repayment or recovery.
        label: The obligation settled, in French.
        due: Its due date.
        interest: The interest settled, in cents.
        principal: The principal settled, in cents.
        days_late: How late it was paid.
    """

    kind: PartKind
    label: str
    due: date
    interest: int
    principal: int
    days_late: int = 0


@attrs.frozen
class Allocation:
    """
    How a payment, an early repayment or a recovery was applied (*imputation*), explained.

    Attributes:
        on: The date of the payment.
        amount: The amount received, in euros.
        subject: The account, in French (e.g. ``"avance remboursable A1"``).
        what: The kind of receipt, in French.
        parts: What each part settled, in order.
        lender: Who lent the money (and so receives it).
        note: A sentence on the schedule that follows, if any.
    """

    on: date
    amount: Decimal
    subject: str
    what: str
    parts: tuple[AllocationPart, ...]
    lender: Lender
    note: str = ""

    @property
    def principal(self) -> Decimal:
        """The principal this receipt settled (recoveries included)."""
        return from_cents(sum(part.principal for part in self.parts))

    @property
    def interest(self) -> Decimal:
        """The interest this receipt settled."""
        return from_cents(sum(part.interest for part in self.parts))

    @property
    def to_fund(self) -> Decimal:
        """What goes back to the advance fund: the whole receipt for an advance, else nothing."""
        return self.amount if self.lender.is_fund else from_cents(0)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The explanation, step by step, with rule ids."""
        steps: list[Step] = []
        for part in self.parts:
            interest, principal = from_cents(part.interest), from_cents(part.principal)
            if part.kind is PartKind.EARLY_REPAYMENT:
                steps.append(
                    make_step(
                        MESSAGES,
                        "SCH-05",
                        True,
                        "part.early",
                        interest=interest,
                        principal=principal,
                    )
                )
            elif part.kind is PartKind.RECOVERY:
                steps.append(make_step(MESSAGES, "SCH-06", True, "part.recovery", amount=principal))
            else:
                steps.append(
                    make_step(
                        MESSAGES,
                        "SCH-06",
                        True,
                        f"part.{part.kind.value}",
                        label=part.label,
                        days=part.days_late,
                        interest=interest,
                        principal=principal,
                    )
                )
        if self.note:
            steps.append(make_step(MESSAGES, "SCH-05", True, "part.note", note=self.note))
        if self.lender.is_fund:
            steps.append(make_step(MESSAGES, "FUND-02", True, "fund.rebuilt", amount=self.amount))
        else:
            steps.append(
                make_step(MESSAGES, "FUND-03", True, "fund.partner", lender=self.lender.name)
            )
        return tuple(steps)

    def explain(self) -> str:
        """The allocation in French, one line per step with its rule id."""
        head = f"{self.what} de {french(self.amount)} € le {french(self.on)} ({self.subject})"
        return _lines(head, self.steps)


@attrs.frozen
class OverdueInstalment:
    """
    An obligation due and unpaid at a date (*impayé*).

    Attributes:
        label: The obligation, in French.
        due: Its due date.
        principal: The principal unpaid.
        interest: The interest unpaid.
        days_late: The days since it fell due.
    """

    label: str
    due: date
    principal: Decimal
    interest: Decimal
    days_late: int


@attrs.frozen
class Arrears:
    """
    What is due and unpaid at a date, and for how long (*impayés*, SCH-06).

    Attributes:
        on: The date.
        subject: The account, in French, after *de* (e.g. ``"de l'avance remboursable A1"``).
        status: The account's status on that date.
        items: Each obligation due and unpaid, oldest first.
        days_past_due: The days since the oldest unpaid obligation fell due (0: none).
        outstanding: All the principal still owed, due or not (*encours*).
    """

    on: date
    subject: str
    status: AccountStatus
    items: tuple[OverdueInstalment, ...]
    days_past_due: int
    outstanding: Decimal

    @property
    def amount(self) -> Decimal:
        """Everything due and unpaid."""
        return sum((i.principal + i.interest for i in self.items), from_cents(0))

    @property
    def principal(self) -> Decimal:
        """The principal due and unpaid."""
        return sum((i.principal for i in self.items), from_cents(0))

    @property
    def bucket(self) -> ArrearsBucket:
        """The ageing bucket of :attr:`days_past_due`."""
        return ArrearsBucket.of_days(self.days_past_due)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The explanation (SCH-06)."""
        if not self.items:
            return (make_step(MESSAGES, "SCH-06", True, "arrears.none", on=self.on),)
        return (
            make_step(
                MESSAGES,
                "SCH-06",
                self.days_past_due == 0,
                "arrears.some",
                amount=self.amount,
                on=self.on,
                principal=self.principal,
                oldest=self.items[0].due,
                days=self.days_past_due,
            ),
        )

    def explain(self) -> str:
        """The arrears in French."""
        head = (
            f"Impayés {self.subject} au {french(self.on)} : {french(self.amount)} €,"
            f" tranche « {self.bucket.french} »"
        )
        if self.status is not AccountStatus.ACTIVE:
            head += f" ({self.status.french})"
        return _lines(head, self.steps)


@attrs.frozen
class Payment:
    """
    A payment received (*versement*).

    Attributes:
        on: The date it was received.
        amount: The amount, in euros.
    """

    on: date
    amount: Decimal


@attrs.frozen
class EarlyRepayment:
    """
    An early repayment, partial or in full (*remboursement anticipé*, SCH-05).

    Attributes:
        on: The date it takes effect.
        amount: The amount received, in euros.
        mode: Whether a partial one shortens the term or lowers the instalments.
        settings_used: The ``prepayment`` setting version read, if any.
    """

    on: date
    amount: Decimal
    mode: PrepaymentMode
    settings_used: tuple[SettingVersion, ...] = ()


@attrs.frozen
class Rescheduling:
    """
    A rescheduling (*réaménagement*, SCH-05): everything owed becomes a new schedule.

    Attributes:
        on: The date it takes effect: the new schedule's start.
        instalments: The new number of instalments.
        deferral: The new deferral, in periods.
        frequency: The new frequency of the instalments; ``None`` keeps the current one.

    .. versionchanged:: 0.1.0
       ``frequency`` may change.
    """

    on: date
    instalments: int
    deferral: int = 0
    frequency: Frequency | None = None


@attrs.frozen
class Acceleration:
    """
    A declared default (*déchéance du terme*, SCH-06): the whole outstanding due at once.

    Attributes:
        on: The date.
        days_past_due: The days unpaid that justified it.
        settings_used: The ``default_after_days`` setting version read.
    """

    on: date
    days_past_due: int
    settings_used: tuple[SettingVersion, ...] = ()


@attrs.frozen
class WriteOff:
    """
    A write-off (*passage en perte*, SCH-06).

    Attributes:
        on: The date.
        amount: The amount written off, principal first; ``None``: everything owed.
    """

    on: date
    amount: Decimal | None = None


@attrs.frozen
class WriteOffUndone:
    """
    A write-off cancelled (*annulation du passage en perte*).

    Attributes:
        on: The date.
    """

    on: date


@attrs.frozen
class Recovery:
    """
    An amount recovered after a write-off (*récupération sur créance passée en perte*).

    Attributes:
        on: The date.
        amount: The amount, in euros.
    """

    on: date
    amount: Decimal


ServicingEvent = (
    Payment | EarlyRepayment | Rescheduling | Acceleration | WriteOff | WriteOffUndone | Recovery
)
"""Everything that may happen to an account after disbursement."""


MESSAGES: Final[Mapping[str, str]] = {
    "part.overdue": (
        "{label}, en retard de {days} jour(s) : {interest} € d'intérêts puis {principal} € de"
        " capital"
    ),
    "part.due": "{label}, échue ce jour : {interest} € d'intérêts puis {principal} € de capital",
    "part.in_advance": (
        "{label}, payée par avance : {interest} € d'intérêts puis {principal} € de capital"
    ),
    "part.early": (
        "Remboursement anticipé : {interest} € d'intérêts courus puis {principal} € de capital"
    ),
    "part.recovery": "{amount} € récupérés sur la créance passée en perte",
    "part.note": "{note}",
    "fund.rebuilt": "{amount} € reviennent au fonds d'avances, qui se reconstitue",
    "fund.partner": "Prêt de {lender} : ce qui est remboursé lui revient, pas au fonds d'avances",
    "arrears.none": "Aucun impayé au {on}",
    "arrears.some": (
        "{amount} € impayés au {on}, dont {principal} € de capital ; plus ancienne échéance"
        " impayée le {oldest}, {days} jour(s) de retard"
    ),
    "default.status": "Situation {subject} : {status}",
    "default.reached": (
        "{days} jour(s) de retard, au-delà des {limit} jours admis : déchéance du terme"
    ),
    "default.not_reached": "{days} jour(s) de retard, pas au-delà des {limit} jours admis",
    "loss.fund": "{amount} € passés en perte : seule perte du fonds d'avances",
    "loss.partner": "{amount} € passés en perte, à la charge de {lender}, pas du fonds",
}
"""The French messages of servicing explanations, by code."""


def _lines(head: str, steps: Iterable[Step]) -> str:
    lines = [head]
    lines += [format_step(step) for step in steps]
    return "\n".join(lines).replace("\xa0", " ")


@attrs.frozen
class AccountState:
    """
    Where an account stands after its events (*situation du dossier*).

    Attributes:
        status: Active, in default, written off or closed.
        obligations: Every amount owed and what was paid of it, by due date.
        versions: Every schedule in force at some time, the original first (SCH-05).
        allocations: How each payment, early repayment and recovery was applied.
        written_off: The amount written off, in cents (0 when none or undone).
        written_off_principal: The principal among it, in cents.
        recovered: The amount recovered since the write-off, in cents.
        before_write_off: The status to return to if the write-off is undone.
    """

    status: AccountStatus
    obligations: tuple[Obligation, ...]
    versions: tuple[ScheduleVersion, ...]
    allocations: tuple[Allocation, ...] = ()
    written_off: int = 0
    recovered: int = 0
    written_off_principal: int = 0
    before_write_off: AccountStatus | None = None


def _obligations(version: int, schedule: Schedule) -> list[Obligation]:
    return [
        Obligation(ObligationKind.INSTALMENT, version, number, date.fromordinal(due), p, i)
        for number, due, p, i in zip(
            range(1, len(schedule.due_ordinals) + 1),
            schedule.due_ordinals,
            schedule.principal_cents,
            schedule.interest_cents,
            strict=True,
        )
        if p or i
    ]


def _accrued(terms: LoanTerms, obligations: Iterable[Obligation], on: date) -> int:
    """
    Interest run from the last due date (or the schedule's start) to ``on``, on the
    principal not yet due, by the terms' day count and rounding (rated loans only).
    """
    base = 0
    since = terms.start
    for item in obligations:
        if item.due <= on:
            since = max(since, item.due)
        else:
            base += item.unpaid_principal
    return accrued_cents(base, terms, since, on)


@attrs.frozen
class LoanAccount:
    """
    An advance or a subsidised loan being repaid (*dossier d'avance* or *de prêt*).

    Open one with :func:`open_advance` or :func:`open_subsidised_loan`; each command
    returns a new account with the event appended. :meth:`replay` rebuilds an account
    from its events; :meth:`as_of` gives the account as it stood on an earlier date.

    Attributes:
        id: The account's id.
        territory: The territory whose settings apply.
        kind: An advance or a subsidised loan.
        lender: The advance fund or the lending partner (FUND-03).
        terms: The terms agreed at disbursement.
        events: Every servicing event, in date order.
        state: Where those events lead (see :class:`AccountState`).

    .. versionadded:: 0.1.0
    """

    id: str
    territory: str
    kind: LoanKind
    lender: Lender
    terms: LoanTerms
    events: tuple[ServicingEvent, ...]
    state: AccountState

    @classmethod
    def replay(
        cls,
        id: str,
        *,
        territory: str,
        kind: LoanKind,
        lender: Lender,
        terms: LoanTerms,
        events: Iterable[ServicingEvent] = (),
    ) -> LoanAccount:
        """
        The account these events lead to, each checked as when it was first recorded.

        Raises:
            CommandRefused: An event could not have been recorded.
        """
        schedule = build_schedule(terms)
        original = ScheduleVersion(1, terms.start, ScheduleChange.ORIGINAL, schedule)
        state = AccountState(AccountStatus.ACTIVE, tuple(_obligations(1, schedule)), (original,))
        account = cls(check_id(id, field="id"), territory, kind, lender, terms, (), state)
        for event in events:
            account = account._record(event)
        return account

    def as_of(self, on: date) -> LoanAccount:
        """The account as it stood at the end of a date (the events up to it, replayed)."""
        check_date(on, field="on")
        if all(event.on <= on for event in self.events):
            return self
        return LoanAccount.replay(
            self.id,
            territory=self.territory,
            kind=self.kind,
            lender=self.lender,
            terms=self.terms,
            events=[event for event in self.events if event.on <= on],
        )

    @property
    def subject(self) -> str:
        """The account in French, e.g. ``"avance remboursable A1"``."""
        return f"{self.kind.french} {self.id}"

    @property
    def status(self) -> AccountStatus:
        """Where the account stands after its last event."""
        return self.state.status

    @property
    def versions(self) -> tuple[ScheduleVersion, ...]:
        """Every schedule in force at some time, the original first (SCH-05)."""
        return self.state.versions

    @property
    def schedule(self) -> Schedule:
        """The schedule in force after the last event."""
        return self.state.versions[-1].schedule

    @property
    def allocations(self) -> tuple[Allocation, ...]:
        """How each payment, early repayment and recovery was applied."""
        return self.state.allocations

    @property
    def principal_repaid(self) -> Decimal:
        """The principal repaid so far (recoveries not included)."""
        return from_cents(sum(o.principal_paid for o in self.state.obligations))

    @property
    def interest_paid(self) -> Decimal:
        """The interest paid so far."""
        return from_cents(sum(o.interest_paid for o in self.state.obligations))

    @property
    def outstanding(self) -> Decimal:
        """The principal still owed, due or not, less what was written off (*encours*)."""
        unpaid = sum(o.unpaid_principal for o in self.state.obligations)
        return from_cents(unpaid - self.state.written_off_principal)

    @property
    def written_off(self) -> Decimal:
        """The amount written off (zero when none, or undone)."""
        return from_cents(self.state.written_off)

    @property
    def recovered(self) -> Decimal:
        """The amount recovered since the write-off."""
        return from_cents(self.state.recovered)

    # Queries ---------------------------------------------------------------------------

    def arrears(self, *, on: date) -> Arrears:
        """
        What is due and unpaid at the end of a date, and for how long (SCH-06).

        Only the events dated on or before ``on`` count. From the default on, the whole
        outstanding is due; once written off, nothing is (see :mod:`alize_core.lending.life`).
        """
        account = self.as_of(on)
        claimed = account.status is not AccountStatus.WRITTEN_OFF
        items = tuple(
            OverdueInstalment(
                o.label,
                o.due,
                from_cents(o.unpaid_principal),
                from_cents(o.unpaid_interest),
                (on - o.due).days,
            )
            for o in account.state.obligations
            if claimed and o.due <= on and o.unpaid
        )
        days = items[0].days_late if items else 0
        subject = f"{self.kind.of} {self.id}"
        return Arrears(on, subject, account.status, items, days, account.outstanding)

    def default_decision(self, *, on: date, settings: Settings) -> Decision:
        """
        Whether the account may be declared in default on a date: more than
        ``default_after_days`` days unpaid (SCH-06), an active account.

        The outcome is :attr:`~alize_core.kernel.decisions.Outcome.ACCEPTED` or
        :attr:`~alize_core.kernel.decisions.Outcome.REFUSED`, with the reasons.
        """
        limit, version = settings.lookup(DEFAULT_AFTER_DAYS, on=on, territory=self.territory)
        arrears = self.arrears(on=on)
        status = self.as_of(on).status
        active = status is AccountStatus.ACTIVE
        late = arrears.days_past_due > limit
        steps = (
            make_step(
                MESSAGES,
                "SCH-06",
                active,
                "default.status",
                subject=f"{self.kind.of} {self.id}",
                status=status.french,
            ),
            *arrears.steps,
            make_step(
                MESSAGES,
                "SCH-06",
                late,
                "default.reached" if late else "default.not_reached",
                settings_used=(version,),
                days=arrears.days_past_due,
                limit=limit,
            ),
        )
        outcome = Outcome.ACCEPTED if active and late else Outcome.REFUSED
        subject = f"Déchéance du terme {self.kind.of} {self.id}"
        return Decision(outcome, on, self.territory, subject, steps)

    def history(self) -> str:
        """The account's history in French: each schedule version and each event."""
        lines = [f"Historique {self.kind.of} {self.id} ({self.lender.name})"]
        for version in self.versions:
            schedule = version.schedule
            lines.append(
                f"  Version {version.number} ({version.change.french}) à compter du"
                f" {french(version.effective)} : {french(schedule.terms.principal.quantize(CENT))} € en"
                f" {len(schedule.due_ordinals)} ligne(s), du {french(schedule.first_due)} au"
                f" {french(schedule.last_due)}"
            )
        for event in self.events:
            lines.append(f"  {french(event.on)} : {_describe(event)}")
        lines.append(f"  Situation : {self.status.french}")
        return "\n".join(lines).replace("\xa0", " ")

    # Commands --------------------------------------------------------------------------

    def pay(self, amount: object, *, on: date) -> LoanAccount:
        """
        Record a payment; it settles what is due, oldest first, interest before principal,
        then the next instalments in advance.

        Raises:
            CommandRefused: The account is closed or written off, or the amount is more
                than everything owed.
            InvalidValue: The amount is not a positive amount in cents.
        """
        money = to_money(amount, field="amount", positive=True, cents=True).quantize(CENT)
        return self._record(Payment(check_date(on, field="on"), money))

    def repay_early(
        self,
        amount: object,
        *,
        on: date,
        mode: PrepaymentMode | str | None = None,
        settings: Settings | None = None,
    ) -> LoanAccount:
        """
        Record an early repayment (SCH-05): it settles what is due and the interest run
        since the last due date, then repays principal; the rest gets a new schedule on the
        same calendar, shorter or with lower instalments as ``mode`` says (else the
        ``prepayment`` setting). Paying everything owed closes the account.

        Raises:
            CommandRefused: The account is not active, or the amount does not go beyond
                what is due, or exceeds everything owed.
            MissingValue: Neither ``mode`` nor ``settings`` was given.
        """
        check_date(on, field="on")
        money = to_money(amount, field="amount", positive=True, cents=True).quantize(CENT)
        used: tuple[SettingVersion, ...] = ()
        if mode is None:
            if settings is None:
                raise InvalidValue("mode", None, "is needed when no settings are given")
            mode, version = settings.lookup(PREPAYMENT, on=on, territory=self.territory)
            used = (version,)
        if not isinstance(mode, PrepaymentMode):
            if mode not in {m.value for m in PrepaymentMode}:
                raise InvalidValue("mode", mode, "must be reduce_term or reduce_instalment")
            mode = PrepaymentMode(mode)
        return self._record(EarlyRepayment(on, money, mode, used))

    def reschedule(
        self,
        *,
        on: date,
        instalments: int,
        deferral: int = 0,
        frequency: Frequency | None = None,
    ) -> LoanAccount:
        """
        Reschedule (SCH-05): everything owed on ``on`` (principal due or not, unpaid
        interest, interest run since the last due date) becomes a new schedule starting
        that day, at ``frequency`` (by default the current one); the earlier versions
        stay in the history.

        Raises:
            CommandRefused: The account is closed or written off.
            InvalidValue: The new term is not valid (see :class:`LoanTerms`).
        """
        event = Rescheduling(check_date(on, field="on"), instalments, deferral, frequency)
        return self._record(event)

    def declare_default(self, *, on: date, settings: Settings) -> LoanAccount:
        """
        Declare the default (SCH-06, *déchéance du terme*): allowed after more than
        ``default_after_days`` days unpaid; the whole outstanding principal, with the
        interest run to that day, falls due at once.

        Raises:
            CommandRefused: The account is not active, or not late enough.
        """
        decision = self.default_decision(on=on, settings=settings)
        if decision.outcome is not Outcome.ACCEPTED:
            status = self.as_of(on).status
            if status is not AccountStatus.ACTIVE:
                msg = f"the {self._what()} is {status.value.replace('_', ' ')}, not active"
            else:
                params = decision.steps[-1].params
                msg = (
                    f"the {self._what()} is {params['days']} day(s) late on {on.isoformat()};"
                    f" default needs more than {params['limit']} days unpaid"
                    " (setting default_after_days)"
                )
            raise CommandRefused(msg, field="on", value=on)
        version = decision.steps[-1].settings_used
        days = self.arrears(on=on).days_past_due
        return self._record(Acceleration(on, days, version))

    def write_off(self, *, on: date, amount: object = None) -> LoanAccount:
        """
        Write off everything owed (SCH-06): the principal and the interest due, or only
        ``amount`` of it, principal first. Undoable with :meth:`undo_write_off` as long as
        nothing was recovered.

        Raises:
            CommandRefused: The account is closed or already written off.
        """
        money = (
            None
            if amount is None
            else to_money(amount, field="amount", positive=True, cents=True).quantize(CENT)
        )
        return self._record(WriteOff(check_date(on, field="on"), money))

    def undo_write_off(self, *, on: date) -> LoanAccount:
        """
        Cancel the write-off: the account returns to the status it had.

        Raises:
            CommandRefused: The account is not written off, or amounts were recovered.
        """
        return self._record(WriteOffUndone(check_date(on, field="on")))

    def recover(self, amount: object, *, on: date) -> LoanAccount:
        """
        Record an amount recovered after the write-off, at most what was written off and
        not yet recovered.

        Raises:
            CommandRefused: The account is not written off, or the amount goes beyond the cap.
        """
        money = to_money(amount, field="amount", positive=True, cents=True).quantize(CENT)
        return self._record(Recovery(check_date(on, field="on"), money))

    # Applying events -------------------------------------------------------------------

    def _what(self) -> str:
        return f"{self.kind.value.replace('_', ' ')} {self.id}"

    def _record(self, event: ServicingEvent) -> LoanAccount:
        if self.events and event.on < self.events[-1].on:
            last = self.events[-1].on.isoformat()
            msg = (
                f"{event.on.isoformat()} is before the last operation recorded ({last});"
                " record operations in date order"
            )
            raise CommandRefused(msg, field="on", value=event.on)
        if event.on < self.terms.start:
            msg = f"{event.on.isoformat()} is before the disbursement ({self.terms.start})"
            raise CommandRefused(msg, field="on", value=event.on)
        state = self._apply(event)
        return attrs.evolve(self, events=(*self.events, event), state=state)

    def _apply(self, event: ServicingEvent) -> AccountState:
        state = self.state
        if isinstance(event, WriteOffUndone):
            return self._apply_undo(event)
        if isinstance(event, Recovery):
            return self._apply_recovery(event)
        if state.status in {AccountStatus.CLOSED, AccountStatus.WRITTEN_OFF}:
            name = type(event).__name__
            kind = "a payment" if name == "Payment" else f"this operation ({name})"
            msg = f"the {self._what()} is {state.status.value.replace('_', ' ')}; {kind} cannot be recorded"
            field = "amount" if isinstance(event, Payment | EarlyRepayment) else "on"
            raise CommandRefused(msg, field=field, value=getattr(event, "amount", event.on))
        if isinstance(event, Payment):
            return self._apply_payment(event)
        if isinstance(event, EarlyRepayment):
            return self._apply_early(event)
        if isinstance(event, Rescheduling):
            return self._apply_rescheduling(event)
        if isinstance(event, Acceleration):
            return self._apply_acceleration(event)
        return self._apply_write_off(event)

    def _allocate(
        self, obligations: list[Obligation], amount: int, on: date
    ) -> tuple[list[AllocationPart], int]:
        parts: list[AllocationPart] = []
        for index, item in enumerate(obligations):
            if amount == 0:
                break
            if not item.unpaid:
                continue
            interest = min(amount, item.unpaid_interest)
            principal = min(amount - interest, item.unpaid_principal)
            amount -= interest + principal
            obligations[index] = attrs.evolve(
                item,
                interest_paid=item.interest_paid + interest,
                principal_paid=item.principal_paid + principal,
            )
            if item.due < on:
                kind = PartKind.OVERDUE
            elif item.due == on:
                kind = PartKind.DUE
            else:
                kind = PartKind.IN_ADVANCE
            late = max(0, (on - item.due).days)
            parts.append(AllocationPart(kind, item.label, item.due, interest, principal, late))
        return parts, amount

    def _closed_if_paid(self, obligations: list[Obligation]) -> AccountStatus:
        if all(not o.unpaid for o in obligations):
            return AccountStatus.CLOSED
        return self.state.status

    def _apply_payment(self, event: Payment) -> AccountState:
        obligations = list(self.state.obligations)
        owed = sum(o.unpaid for o in obligations)
        cents = _cents(event.amount)
        if cents > owed:
            msg = (
                f"is more than everything owed on the {self._what()} ({from_cents(owed)} €);"
                " to repay early, use an early repayment"
            )
            raise CommandRefused(msg, field="amount", value=event.amount)
        parts, _ = self._allocate(obligations, cents, event.on)
        allocation = Allocation(
            event.on, event.amount, self.subject, "Versement", tuple(parts), self.lender
        )
        return attrs.evolve(
            self.state,
            obligations=tuple(obligations),
            status=self._closed_if_paid(obligations),
            allocations=(*self.state.allocations, allocation),
        )

    def _apply_early(self, event: EarlyRepayment) -> AccountState:
        state = self.state
        on = event.on
        if state.status is not AccountStatus.ACTIVE:
            msg = (
                f"the {self._what()} is {state.status.value}: everything owed is already due;"
                " record a payment instead"
            )
            raise CommandRefused(msg, field="amount", value=event.amount)
        current = state.versions[-1]
        terms = current.schedule.terms
        obligations = list(state.obligations)
        due_now = sum(o.unpaid for o in obligations if o.due <= on)
        accrued = _accrued(terms, obligations, on)
        future = sum(o.unpaid_principal for o in obligations if o.due > on)
        cents = _cents(event.amount)
        if cents <= due_now + accrued:
            msg = (
                f"does not go beyond the {from_cents(due_now + accrued)} € due on"
                f" {on.isoformat()}; record it as a payment"
            )
            raise CommandRefused(msg, field="amount", value=event.amount)
        if cents > due_now + accrued + future:
            msg = (
                f"is more than everything owed on {on.isoformat()}"
                f" ({from_cents(due_now + accrued + future)} €)"
            )
            raise CommandRefused(msg, field="amount", value=event.amount)
        past = [o for o in obligations if o.due <= on]
        parts = self._allocate(past, due_now, on)[0] if due_now else []
        kept = past + [
            o.settled() for o in obligations if o.due > on and (o.principal_paid or o.interest_paid)
        ]
        prepaid = cents - due_now - accrued
        if accrued:
            kept.append(
                Obligation(
                    ObligationKind.ACCRUED_INTEREST, current.number, 0, on, 0, accrued, 0, accrued
                )
            )
        kept.append(
            Obligation(
                ObligationKind.EARLY_REPAYMENT, current.number, 0, on, prepaid, 0, prepaid, 0
            )
        )
        parts.append(AllocationPart(PartKind.EARLY_REPAYMENT, "", on, accrued, prepaid))
        remaining = future - prepaid
        versions = state.versions
        note = f"Remboursement anticipé total : {self.kind.the} {self.id} est soldé(e)"
        if remaining:
            schedule = self._continuation(current, remaining, event)
            number = current.number + 1
            versions = (
                *versions,
                ScheduleVersion(number, on, ScheduleChange.EARLY_REPAYMENT, schedule),
            )
            kept.extend(_obligations(number, schedule))
            note = (
                f"Nouvel échéancier ({event.mode.french}) : {len(schedule.due_ordinals)}"
                f" échéance(s) de {french(schedule.regular_payment)} €, du"
                f" {french(schedule.first_due)} au {french(schedule.last_due)}"
            )
        kept.sort(key=lambda o: o.due)
        allocation = Allocation(
            on,
            event.amount,
            self.subject,
            "Remboursement anticipé",
            tuple(parts),
            self.lender,
            note,
        )
        return attrs.evolve(
            state,
            obligations=tuple(kept),
            versions=versions,
            status=self._closed_if_paid(kept),
            allocations=(*state.allocations, allocation),
        )

    def _continuation(
        self, current: ScheduleVersion, remaining: int, event: EarlyRepayment
    ) -> Schedule:
        """The schedule after a partial early repayment, on the same calendar (SCH-04)."""
        terms = current.schedule.terms
        months = terms.frequency.months
        calendar = terms.calendar
        elapsed = periods_elapsed(calendar, months, event.on)
        repayment_starts = terms.anchor_periods + terms.deferral
        deferral = max(0, repayment_starts - elapsed)
        left = repayment_starts + terms.instalments - max(elapsed, repayment_starts)
        left = max(1, min(left, remaining))
        base = attrs.evolve(
            terms,
            principal=from_cents(remaining),
            start=event.on,
            instalments=left,
            deferral=deferral,
            anchor=calendar,
            anchor_periods=elapsed,
            regular_payment=None,
        )
        if event.mode is PrepaymentMode.REDUCE_INSTALMENT:
            return build_schedule(base)
        regular = current.schedule.regular_payment
        count = instalments_for_payment(base, regular)
        return build_schedule(attrs.evolve(base, instalments=count, regular_payment=regular))

    def _apply_rescheduling(self, event: Rescheduling) -> AccountState:
        state = self.state
        on = event.on
        current = state.versions[-1]
        terms = current.schedule.terms
        obligations = list(state.obligations)
        accrued = _accrued(terms, obligations, on)
        principal = sum(o.unpaid_principal for o in obligations)
        interest = sum(o.unpaid_interest for o in obligations if o.due <= on)
        total = principal + interest + accrued
        new_terms = LoanTerms(
            principal=from_cents(total),
            start=on,
            instalments=event.instalments,
            deferral=event.deferral,
            frequency=terms.frequency if event.frequency is None else event.frequency,
            rate=terms.rate,
            method=terms.method,
            deferral_interest=terms.deferral_interest,
            day_count=terms.day_count,
            rounding=terms.rounding,
            settings_used=terms.settings_used,
        )
        schedule = build_schedule(new_terms)
        number = current.number + 1
        kept = [o.settled() for o in obligations if o.principal_paid or o.interest_paid]
        kept.extend(_obligations(number, schedule))
        kept.sort(key=lambda o: o.due)
        version = ScheduleVersion(number, on, ScheduleChange.RESCHEDULING, schedule)
        return attrs.evolve(
            state,
            obligations=tuple(kept),
            versions=(*state.versions, version),
            status=AccountStatus.ACTIVE,
        )

    def _apply_acceleration(self, event: Acceleration) -> AccountState:
        state = self.state
        on = event.on
        if state.status is not AccountStatus.ACTIVE:
            msg = f"the {self._what()} is {state.status.value}, not active"
            raise CommandRefused(msg, field="on", value=on)
        terms = state.versions[-1].schedule.terms
        obligations = list(state.obligations)
        accrued = _accrued(terms, obligations, on)
        future = sum(o.unpaid_principal for o in obligations if o.due > on)
        kept = [o for o in obligations if o.due <= on]
        kept.extend(
            o.settled() for o in obligations if o.due > on and (o.principal_paid or o.interest_paid)
        )
        if future or accrued:
            number = state.versions[-1].number
            kept.append(Obligation(ObligationKind.ACCELERATED, number, 0, on, future, accrued))
        kept.sort(key=lambda o: o.due)
        return attrs.evolve(state, obligations=tuple(kept), status=AccountStatus.DEFAULTED)

    def _apply_write_off(self, event: WriteOff) -> AccountState:
        state = self.state
        principal = sum(o.unpaid_principal for o in state.obligations)
        owed = principal + sum(o.unpaid_interest for o in state.obligations if o.due <= event.on)
        amount = owed if event.amount is None else _cents(event.amount)
        if amount > owed:
            msg = f"is more than everything owed on the {self._what()} ({from_cents(owed)} €)"
            raise CommandRefused(msg, field="amount", value=event.amount)
        return attrs.evolve(
            state,
            status=AccountStatus.WRITTEN_OFF,
            written_off=amount,
            written_off_principal=min(amount, principal),
            recovered=0,
            before_write_off=state.status,
        )

    def _apply_undo(self, event: WriteOffUndone) -> AccountState:
        state = self.state
        if state.status is not AccountStatus.WRITTEN_OFF or state.before_write_off is None:
            msg = f"the {self._what()} is {state.status.value.replace('_', ' ')}, not written off"
            raise CommandRefused(msg, field="on", value=event.on)
        if state.recovered:
            msg = (
                f"{from_cents(state.recovered)} € were recovered after the write-off of the"
                f" {self._what()}; a write-off with recoveries cannot be undone"
            )
            raise CommandRefused(msg, field="on", value=event.on)
        return attrs.evolve(
            state,
            status=state.before_write_off,
            written_off=0,
            written_off_principal=0,
            before_write_off=None,
        )

    def _apply_recovery(self, event: Recovery) -> AccountState:
        state = self.state
        if state.status is not AccountStatus.WRITTEN_OFF:
            msg = (
                f"the {self._what()} is {state.status.value.replace('_', ' ')}, not written off;"
                " only a written-off claim can be recovered"
            )
            raise CommandRefused(msg, field="amount", value=event.amount)
        left = state.written_off - state.recovered
        cents = _cents(event.amount)
        if recovery_excess(state.written_off, state.recovered, cents):
            msg = (
                f"is more than what is left to recover on the {self._what()}: {from_cents(left)} €"
                f" (written off {from_cents(state.written_off)} €, recovered"
                f" {from_cents(state.recovered)} €)"
            )
            raise CommandRefused(msg, field="amount", value=event.amount)
        part = AllocationPart(PartKind.RECOVERY, "", event.on, 0, cents)
        allocation = Allocation(
            event.on, event.amount, self.subject, "Récupération", (part,), self.lender
        )
        return attrs.evolve(
            state,
            recovered=state.recovered + cents,
            allocations=(*state.allocations, allocation),
        )

    def loss_steps(self) -> tuple[Step, ...]:
        """Who bears the amount written off: the fund (FUND-02) or the partner (FUND-03)."""
        amount = from_cents(self.state.written_off - self.state.recovered)
        if self.lender.is_fund:
            return (make_step(MESSAGES, "FUND-02", True, "loss.fund", amount=amount),)
        return (
            make_step(
                MESSAGES, "FUND-03", True, "loss.partner", amount=amount, lender=self.lender.name
            ),
        )


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _describe(event: ServicingEvent) -> str:
    if isinstance(event, Payment):
        return f"versement de {french(event.amount)} €"
    if isinstance(event, EarlyRepayment):
        return f"remboursement anticipé de {french(event.amount)} € ({event.mode.french})"
    if isinstance(event, Rescheduling):
        return (
            f"réaménagement en {event.instalments} échéance(s) après {event.deferral}"
            " période(s) de différé"
        )
    if isinstance(event, Acceleration):
        return f"déchéance du terme après {event.days_past_due} jour(s) de retard"
    if isinstance(event, WriteOff):
        return "passage en perte"
    if isinstance(event, WriteOffUndone):
        return "annulation du passage en perte"
    return f"récupération de {french(event.amount)} €"


def open_advance(id: str, terms: LoanTerms, *, territory: str) -> LoanAccount:
    """
    Open an advance from the territory's fund (SCH-02, FUND-02): interest-free.

    Raises:
        InvalidValue: The terms bear a rate (a loan at a rate is a partner's, FUND-03).

    .. versionadded:: 0.1.0
    """
    if terms.rate != 0:
        msg = (
            "must be zero: an advance is interest-free (SCH-02); a loan at a rate is a"
            " partner's subsidised loan (FUND-03)"
        )
        raise InvalidValue("rate", terms.rate, msg)
    check_id(territory, field="territory")
    lender = Lender(LenderKind.ADVANCE_FUND, territory, "fonds d'avances remboursables")
    return LoanAccount.replay(
        id, territory=territory, kind=LoanKind.REPAYABLE_ADVANCE, lender=lender, terms=terms
    )


def open_subsidised_loan(
    id: str,
    terms: LoanTerms,
    *,
    territory: str,
    lender: PartnerCompany,
) -> LoanAccount:
    """
    Open a subsidised loan granted by a partner company from its own means (FUND-03).

    Raises:
        CommandRefused: The partner has no means to grant subsidised loans.

    .. versionadded:: 0.1.0
    """
    if not isinstance(lender, PartnerCompany):
        raise InvalidValue("lender", lender, "must be a partner company")
    if not lender.grants_subsidised_loans:
        msg = (
            f"{lender.name} ({lender.id}) has no means to grant subsidised loans: a subsidised"
            " loan exists only where a partner has such means, and is that partner's (FUND-03)"
        )
        raise CommandRefused(msg, field="lender", value=lender.id)
    check_id(territory, field="territory")
    return LoanAccount.replay(
        id,
        territory=territory,
        kind=LoanKind.SUBSIDISED_LOAN,
        lender=Lender(LenderKind.PARTNER_COMPANY, lender.id, lender.name),
        terms=terms,
    )
