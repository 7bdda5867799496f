"""
What a loan account owes and how its receipts were applied (*échéances, imputations et
impayés*): who lent, the schedule versions (SCH-05), each amount owed and what was paid of
it, each payment's allocation, and the arrears at a date (SCH-06), with their French
explanations (FUND-02, FUND-03).

These are the records of :class:`~alize_core.lending.servicing.LoanAccount`; the account
makes them, and explains itself through them.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.kernel.decisions import Step, format_step, french, make_step
from alize_core.kernel.money import from_cents
from alize_core.lending.life import AccountStatus, ArrearsBucket
from alize_core.lending.schedules import Schedule


__all__ = [
    "MESSAGES",
    "Allocation",
    "AllocationPart",
    "Arrears",
    "Lender",
    "LenderKind",
    "LoanKind",
    "Obligation",
    "ObligationKind",
    "OverdueInstalment",
    "PartKind",
    "PrepaymentMode",
    "ScheduleChange",
    "ScheduleVersion",
    "explanation",
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
        return explanation(head, self.steps)


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
        return explanation(head, self.steps)


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
}
"""The French messages of allocations and arrears, by code."""


def explanation(head: str, steps: Iterable[Step]) -> str:
    """
    A head line, then one line per step with its mark and rule id, in French.

    >>> print(explanation("Situation", [make_step(MESSAGES, "SCH-06", True, "part.note", note="à jour")]))
    Situation
      ✓ à jour (SCH-06)
    """
    lines = [head]
    lines += [format_step(step) for step in steps]
    return "\n".join(lines).replace("\xa0", " ")
