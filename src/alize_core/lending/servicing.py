# Kept whole, at about 990 lines: LoanAccount is one aggregate — every operation (payment,
# early repayment, rescheduling, default, write-off, recovery) is checked against, and
# recorded in, the same account state and schedule versions; what can stand apart already
# does (lending.obligations: what is owed and arrears; lending.operations: the dated
# operations; lending.life: the register's fast path, property-tested equal to this).
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
:meth:`~LoanAccount.recover`) returns a :class:`Serviced`: its decision and the new
account. A refused command is a refused decision whose failed step names the rule the
operation would break, and the account is unchanged; only bad input (an amount that is
not one, an unknown mode) raises an :class:`~alize_core.kernel.errors.AlizeError`.

This module is the account and its fold; what it owes and how receipts were applied are
:mod:`alize_core.lending.obligations`, the operations :mod:`alize_core.lending.operations`,
and where an advance stands on a date, fast, :mod:`alize_core.lending.life`. It stays one
module of about 1,000 lines because :class:`LoanAccount` is one fold: each ``_apply_*``
step reads and rebuilds the same obligations, and splitting them would pass the account's
private state across modules.

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
>>> from alize_core.lending.terms import LoanTerms
>>> terms = LoanTerms(principal=Decimal("1200.00"), start=date(2026, 1, 31), instalments=12)
>>> advance = open_advance("A1", terms, territory="MEUSE")
>>> print(advance.arrears(on=date(2026, 4, 10)).explain())
Impayés de l'avance remboursable A1 au 10/04/2026 : 200,00 €, tranche « 31–90 jours »
  ✗ 200,00 € impayés au 10/04/2026, dont 200,00 € de capital ; plus ancienne échéance impayée le 28/02/2026, 41 jour(s) de retard (SCH-06)
>>> advance = advance.pay(Decimal("200.00"), on=date(2026, 4, 10)).account
>>> advance.arrears(on=date(2026, 4, 10)).bucket
<ArrearsBucket.CURRENT: '0'>
>>> print(advance.allocations[-1].explain())
Versement de 200,00 € le 10/04/2026 (avance remboursable A1)
  ✓ Échéance n° 1 du 28/02/2026, en retard de 41 jour(s) : 0,00 € d'intérêts puis 100,00 € de capital (SCH-06)
  ✓ Échéance n° 2 du 31/03/2026, en retard de 10 jour(s) : 0,00 € d'intérêts puis 100,00 € de capital (SCH-06)
  ✓ 200,00 € reviennent au fonds d'avances, qui se reconstitue (FUND-02)

Only a written-off claim is recovered, and never beyond what was written off; a refusal
is a decision:

>>> refused = advance.recover(Decimal("10.00"), on=date(2026, 5, 1))
>>> refused.accepted, refused.account is advance
(False, True)
>>> print(refused.decision.explain())
Récupération de 10,00 € (avance remboursable A1) : refusé.
  ✗ Situation de l'avance remboursable A1 : en cours ; seule une créance passée en perte se récupère (FUND-02)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.kernel.decisions import Decision, Outcome, Param, Step, french, make_step
from alize_core.kernel.errors import CommandRefused, InvalidValue
from alize_core.kernel.money import CENT, from_cents, to_money
from alize_core.kernel.months import periods_elapsed
from alize_core.kernel.settings import DEFAULT_AFTER_DAYS, PREPAYMENT, Settings, SettingVersion
from alize_core.kernel.validation import check_date, check_id
from alize_core.lending.life import AccountStatus, recovery_excess
from alize_core.lending.obligations import (
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
)
from alize_core.lending.operations import (
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
from alize_core.lending.schedules import (
    Schedule,
    accrued_cents,
    build_schedule,
    instalments_for_payment,
)
from alize_core.lending.terms import Frequency, LoanTerms
from alize_core.parties.model import PartnerCompany


__all__ = [
    "MESSAGES",
    "AccountState",
    "LoanAccount",
    "Serviced",
    "open_advance",
    "open_subsidised_loan",
]


MESSAGES: Final[Mapping[str, str]] = {
    "default.status": "Situation {subject} : {status}",
    "default.reached": (
        "{days} jour(s) de retard, au-delà des {limit} jours admis : déchéance du terme"
    ),
    "default.not_reached": "{days} jour(s) de retard, pas au-delà des {limit} jours admis",
    "loss.fund": "{amount} € passés en perte : seule perte du fonds d'avances",
    "loss.partner": "{amount} € passés en perte, à la charge de {lender}, pas du fonds",
    "default.done": "Déchéance du terme prononcée : tout l'encours est exigible ({status})",
    "default.not_active": "Situation {subject} : {status}, pas en cours",
    "order.before_last": (
        "Opération antérieure à la dernière enregistrée {subject} (le {last}) : les"
        " opérations s'enregistrent dans l'ordre des dates"
    ),
    "order.before_start": "Opération antérieure au versement {subject} (le {start})",
    "status.over": "Situation {subject} : {status} ; plus rien ne s'y enregistre",
    "payment.beyond_owed": (
        "Versement supérieur à tout ce qui est dû {subject} ({owed} €) : pour rembourser"
        " par anticipation, enregistrer un remboursement anticipé"
    ),
    "early.not_active": (
        "Situation {subject} : {status} ; tout ce qui est dû est déjà exigible, enregistrer"
        " un versement"
    ),
    "early.within_due": (
        "Le montant ne dépasse pas les {due} € dus ce jour {subject} : enregistrer un versement"
    ),
    "early.beyond_owed": "Le montant dépasse tout ce qui est dû {subject} ({owed} €)",
    "reschedule.done": "Nouvel échéancier : {count} échéance(s), du {first} au {last}",
    "write_off.beyond_owed": "Le montant dépasse tout ce qui est dû {subject} ({owed} €)",
    "undo.done": "Passage en perte annulé : situation {status}",
    "undo.not_written_off": "Situation {subject} : {status}, pas passée en perte",
    "undo.recovered": (
        "{recovered} € récupérés après le passage en perte {subject} : il ne peut plus être annulé"
    ),
    "recovery.not_written_off": (
        "Situation {subject} : {status} ; seule une créance passée en perte se récupère"
    ),
    "recovery.beyond_loss": (
        "Le montant dépasse ce qui reste à récupérer {subject} : {left} € (passés en perte"
        " {written_off} €, déjà récupérés {recovered} €)"
    ),
}
"""The French messages of a loan account's decisions, by code."""


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
            InvalidValue: An event could not have been recorded (its refusal is named).
        """
        schedule = build_schedule(terms)
        original = ScheduleVersion(1, terms.start, ScheduleChange.ORIGINAL, schedule)
        state = AccountState(AccountStatus.ACTIVE, tuple(_obligations(1, schedule)), (original,))
        account = cls(check_id(id, field="id"), territory, kind, lender, terms, (), state)
        for event in events:
            recorded = account._record(event)
            if isinstance(recorded, Step):
                msg = f"holds an operation that could not have been recorded: {recorded.message}"
                raise InvalidValue("events", event, msg)
            account = recorded
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
            lines.append(f"  {french(event.on)} : {describe(event)}")
        lines.append(f"  Situation : {self.status.french}")
        return "\n".join(lines).replace("\xa0", " ")

    # Commands --------------------------------------------------------------------------

    def pay(self, amount: object, *, on: date) -> Serviced:
        """
        Record a payment; it settles what is due, oldest first, interest before principal,
        then the next instalments in advance.

        Refused (SCH-06) when the account is closed or written off, or the amount is more
        than everything owed.

        Raises:
            InvalidValue: The amount is not a positive amount in cents.
        """
        money = to_money(amount, field="amount", positive=True, cents=True).quantize(CENT)
        return self._serviced(Payment(check_date(on, field="on"), money))

    def repay_early(
        self,
        amount: object,
        *,
        on: date,
        mode: PrepaymentMode | str | None = None,
        settings: Settings | None = None,
    ) -> Serviced:
        """
        Record an early repayment (SCH-05): it settles what is due and the interest run
        since the last due date, then repays principal; the rest gets a new schedule on the
        same calendar, shorter or with lower instalments as ``mode`` says (else the
        ``prepayment`` setting). Paying everything owed closes the account.

        Refused (SCH-05) when the account is not active, or the amount does not go beyond
        what is due, or exceeds everything owed.

        Raises:
            InvalidValue: Neither ``mode`` nor ``settings`` was given, or ``mode`` is unknown.
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
        return self._serviced(EarlyRepayment(on, money, mode, used))

    def reschedule(
        self,
        *,
        on: date,
        instalments: int,
        deferral: int = 0,
        frequency: Frequency | None = None,
    ) -> Serviced:
        """
        Reschedule (SCH-05): everything owed on ``on`` (principal due or not, unpaid
        interest, interest run since the last due date) becomes a new schedule starting
        that day, at ``frequency`` (by default the current one); the earlier versions
        stay in the history.

        Refused (SCH-05) when the account is closed or written off.

        Raises:
            InvalidValue: The new term is not valid (see :class:`LoanTerms`).
        """
        event = Rescheduling(check_date(on, field="on"), instalments, deferral, frequency)
        return self._serviced(event)

    def declare_default(self, *, on: date, settings: Settings) -> Serviced:
        """
        Declare the default (SCH-06, *déchéance du terme*): allowed after more than
        ``default_after_days`` days unpaid; the whole outstanding principal, with the
        interest run to that day, falls due at once.

        Refused (SCH-06) when the account is not active, or not late enough: the decision
        is :meth:`default_decision`'s.
        """
        decision = self.default_decision(on=on, settings=settings)
        if decision.outcome is not Outcome.ACCEPTED:
            return Serviced(decision, self)
        version = decision.steps[-1].settings_used
        days = self.arrears(on=on).days_past_due
        return self._serviced(Acceleration(on, days, version), decision.steps)

    def write_off(self, *, on: date, amount: object = None) -> Serviced:
        """
        Write off everything owed (SCH-06): the principal and the interest due, or only
        ``amount`` of it, principal first. Undoable with :meth:`undo_write_off` as long as
        nothing was recovered.

        Refused (SCH-06) when the account is closed or already written off, or the amount
        is more than everything owed.
        """
        money = (
            None
            if amount is None
            else to_money(amount, field="amount", positive=True, cents=True).quantize(CENT)
        )
        return self._serviced(WriteOff(check_date(on, field="on"), money))

    def undo_write_off(self, *, on: date) -> Serviced:
        """
        Cancel the write-off: the account returns to the status it had. Refused (SCH-06)
        when the account is not written off, or amounts were recovered.
        """
        return self._serviced(WriteOffUndone(check_date(on, field="on")))

    def recover(self, amount: object, *, on: date) -> Serviced:
        """
        Record an amount recovered after the write-off, at most what was written off and
        not yet recovered (FUND-02, the cap :func:`~alize_core.lending.life.recovery_excess`
        checks). Refused (FUND-02) when the account is not written off, or the amount goes
        beyond the cap.

        Raises:
            InvalidValue: The amount is not a positive amount in cents.
        """
        money = to_money(amount, field="amount", positive=True, cents=True).quantize(CENT)
        return self._serviced(Recovery(check_date(on, field="on"), money))

    # Applying events -------------------------------------------------------------------

    def _refusal(self, event: ServicingEvent, code: str, **params: Param) -> Step:
        """The failed step that refuses an operation, citing the rule it would break."""
        named = (("subject", f"{self.kind.of} {self.id}"), *params.items())
        return Step(_RULES[type(event)], False, code, MESSAGES[code], named)

    def _record(self, event: ServicingEvent) -> LoanAccount | Step:
        """The account with the operation recorded, or the step that refuses it."""
        if self.events and event.on < self.events[-1].on:
            return self._refusal(event, "order.before_last", last=self.events[-1].on)
        if event.on < self.terms.start:
            return self._refusal(event, "order.before_start", start=self.terms.start)
        state = self._apply(event)
        if isinstance(state, Step):
            return state
        return attrs.evolve(self, events=(*self.events, event), state=state)

    def _serviced(self, event: ServicingEvent, steps: Sequence[Step] = ()) -> Serviced:
        """
        The decision on an operation and the account after it: refused with the rule it
        would break (the account unchanged), or accepted with what it did, after ``steps``.
        """
        recorded = self._record(event)
        subject = f"{describe(event).capitalize()} ({self.subject})"
        if isinstance(recorded, Step):
            decision = Decision(
                Outcome.REFUSED, event.on, self.territory, subject, (*steps, recorded)
            )
            return Serviced(decision, self)
        done = recorded._done(event)
        decision = Decision(Outcome.ACCEPTED, event.on, self.territory, subject, (*steps, *done))
        return Serviced(decision, recorded)

    def _done(self, event: ServicingEvent) -> tuple[Step, ...]:
        """What an operation just recorded did, explained."""
        if isinstance(event, Payment | EarlyRepayment | Recovery):
            return self.allocations[-1].steps
        if isinstance(event, WriteOff):
            return self.loss_steps()
        if isinstance(event, Rescheduling):
            schedule = self.schedule
            return (
                make_step(
                    MESSAGES,
                    "SCH-05",
                    True,
                    "reschedule.done",
                    count=len(schedule.due_ordinals),
                    first=schedule.first_due,
                    last=schedule.last_due,
                ),
            )
        code = "default.done" if isinstance(event, Acceleration) else "undo.done"
        return (make_step(MESSAGES, _RULES[type(event)], True, code, status=self.status.french),)

    def _apply(self, event: ServicingEvent) -> AccountState | Step:
        state = self.state
        if isinstance(event, WriteOffUndone):
            return self._apply_undo(event)
        if isinstance(event, Recovery):
            return self._apply_recovery(event)
        if state.status in {AccountStatus.CLOSED, AccountStatus.WRITTEN_OFF}:
            return self._refusal(event, "status.over", status=state.status.french)
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

    def _apply_payment(self, event: Payment) -> AccountState | Step:
        obligations = list(self.state.obligations)
        owed = sum(o.unpaid for o in obligations)
        cents = _cents(event.amount)
        if cents > owed:
            return self._refusal(event, "payment.beyond_owed", owed=from_cents(owed))
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

    def _apply_early(self, event: EarlyRepayment) -> AccountState | Step:
        state = self.state
        on = event.on
        if state.status is not AccountStatus.ACTIVE:
            return self._refusal(event, "early.not_active", status=state.status.french)
        current = state.versions[-1]
        terms = current.schedule.terms
        obligations = list(state.obligations)
        due_now = sum(o.unpaid for o in obligations if o.due <= on)
        accrued = _accrued(terms, obligations, on)
        future = sum(o.unpaid_principal for o in obligations if o.due > on)
        cents = _cents(event.amount)
        if cents <= due_now + accrued:
            return self._refusal(event, "early.within_due", due=from_cents(due_now + accrued))
        if cents > due_now + accrued + future:
            owed = from_cents(due_now + accrued + future)
            return self._refusal(event, "early.beyond_owed", owed=owed)
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

    def _apply_rescheduling(self, event: Rescheduling) -> AccountState | Step:
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

    def _apply_acceleration(self, event: Acceleration) -> AccountState | Step:
        state = self.state
        on = event.on
        if state.status is not AccountStatus.ACTIVE:
            return self._refusal(event, "default.not_active", status=state.status.french)
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

    def _apply_write_off(self, event: WriteOff) -> AccountState | Step:
        state = self.state
        principal = sum(o.unpaid_principal for o in state.obligations)
        owed = principal + sum(o.unpaid_interest for o in state.obligations if o.due <= event.on)
        amount = owed if event.amount is None else _cents(event.amount)
        if amount > owed:
            return self._refusal(event, "write_off.beyond_owed", owed=from_cents(owed))
        return attrs.evolve(
            state,
            status=AccountStatus.WRITTEN_OFF,
            written_off=amount,
            written_off_principal=min(amount, principal),
            recovered=0,
            before_write_off=state.status,
        )

    def _apply_undo(self, event: WriteOffUndone) -> AccountState | Step:
        state = self.state
        if state.status is not AccountStatus.WRITTEN_OFF or state.before_write_off is None:
            return self._refusal(event, "undo.not_written_off", status=state.status.french)
        if state.recovered:
            return self._refusal(event, "undo.recovered", recovered=from_cents(state.recovered))
        return attrs.evolve(
            state,
            status=state.before_write_off,
            written_off=0,
            written_off_principal=0,
            before_write_off=None,
        )

    def _apply_recovery(self, event: Recovery) -> AccountState | Step:
        state = self.state
        if state.status is not AccountStatus.WRITTEN_OFF:
            return self._refusal(event, "recovery.not_written_off", status=state.status.french)
        cents = _cents(event.amount)
        if recovery_excess(state.written_off, state.recovered, cents):
            return self._refusal(
                event,
                "recovery.beyond_loss",
                left=from_cents(state.written_off - state.recovered),
                written_off=from_cents(state.written_off),
                recovered=from_cents(state.recovered),
            )
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


@attrs.frozen
class Serviced:
    """
    What a servicing command gives (*suite donnée à une opération*): the decision, and
    the account after it.

    A refusal is a decision, not an exception: the failed step names the rule the
    operation would break, and the account is the one the command was asked of.

    Attributes:
        decision: Accepted, with what the operation did; or refused, with why.
        account: The account with the operation recorded; unchanged when refused.

    .. versionadded:: 0.1.0
    """

    decision: Decision
    account: LoanAccount

    @property
    def accepted(self) -> bool:
        """Whether the operation was recorded."""
        return self.decision.outcome is Outcome.ACCEPTED


_RULES: Final[Mapping[type, str]] = {
    Payment: "SCH-06",
    EarlyRepayment: "SCH-05",
    Rescheduling: "SCH-05",
    Acceleration: "SCH-06",
    WriteOff: "SCH-06",
    WriteOffUndone: "SCH-06",
    Recovery: "FUND-02",
}
"""The rule each kind of operation is checked against."""


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


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
            f"({lender.name}) has no means to grant subsidised loans: a subsidised"
            " loan exists only where a partner has such means, and is that partner's (FUND-03)"
        )
        raise CommandRefused("lender", lender.id, msg)
    check_id(territory, field="territory")
    return LoanAccount.replay(
        id,
        territory=territory,
        kind=LoanKind.SUBSIDISED_LOAN,
        lender=Lender(LenderKind.PARTNER_COMPANY, lender.id, lender.name),
        terms=terms,
    )
