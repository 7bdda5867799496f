"""
Commands of the advances (*avances remboursables*): disbursement, rescheduling, repayments and bank statements, default, write-off and recovery (SCH-01…06, FUND-01…04), and the loan account an advance's events give.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from alize_core.commands.base import MESSAGES, Command, CommandResult, known, territory_id
from alize_core.journal.events import (
    AdvanceDefaulted,
    AdvanceDisbursed,
    AdvanceRescheduled,
    AdvanceWrittenOff,
    RecoveryReceived,
    RepaymentReceived,
    StatementLine,
    StatementReceived,
)
from alize_core.kernel.decisions import Outcome, Step, make_step
from alize_core.kernel.errors import CommandRefused
from alize_core.kernel.money import ZERO, to_cents
from alize_core.kernel.settings import ROUNDING
from alize_core.lending.life import recovery_excess
from alize_core.lending.operations import (
    Acceleration,
    Payment,
    Recovery,
    Rescheduling,
    ServicingEvent,
    WriteOff,
)
from alize_core.lending.servicing import LoanAccount, open_advance
from alize_core.lending.terms import Frequency, LoanTerms
from alize_core.programme.conventions import agreement_step
from alize_core.programme.fund import FundPosition
from alize_core.register.records import AdvanceRecord, AdvanceStatus
from alize_core.register.views import Register


__all__ = [
    "declare_default",
    "disburse_advance",
    "loan_account",
    "receive_recovery",
    "receive_repayment",
    "record_statement",
    "reschedule_advance",
    "write_off",
]


def _advance(register: Register, project: str, status: AdvanceStatus, words: str) -> AdvanceRecord:
    """A project's advance, which must be in the status ``words`` describe."""
    advance = known(register.get_advance(project), "advance", project)
    if advance.status is not status:
        raise CommandRefused(
            "project", project, f"has an advance that is {advance.status.value}, not {words}"
        )
    return advance


def cash_step(position: FundPosition, amount: Decimal) -> Step:
    ok = amount <= position.cash
    code = "cash.sufficient" if ok else "cash.insufficient"
    return make_step(MESSAGES, "FUND-05", ok, code, cash=position.cash, amount=amount)


def disburse_advance(
    register: Register,
    project: str,
    *,
    instalments: int,
    frequency: Frequency = Frequency.MONTHLY,
    deferral: int = 0,
    amount: Decimal | None = None,
    on: date,
    actor: str,
) -> CommandResult:
    """
    The operator pays out a committed advance (OP-01) once the cooperation agreement is
    signed (CONV-02), within the commitment and the fund's cash; the schedule starts on
    the day of payment (SCH-02). What is left of the commitment is released. The
    instalments are rounded by the territory's ``rounding`` setting in force that day
    (SCH-01), as the register knows it (:func:`~alize_core.commands.adopt_settings`),
    recorded in the event.

    Raises:
        InvalidValue: The terms cannot make a schedule (e.g. fewer cents than instalments).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    advance = _advance(register, project, AdvanceStatus.COMMITTED, "committed")
    paid = advance.committed if amount is None else amount
    rounding, version = command.setting(ROUNDING)
    payload = AdvanceDisbursed(project, paid, instalments, frequency, deferral, rounding)
    LoanTerms(
        principal=payload.amount,
        start=on,
        instalments=instalments,
        frequency=frequency,
        deferral=deferral,
        rounding=rounding,
    )
    within = payload.amount <= advance.committed
    steps = [
        command.by_operator("OP-01", "verser une avance"),
        agreement_step(project, known(register.get_project(project), "project", project).agreement),
        make_step(
            MESSAGES,
            "FUND-04",
            within,
            "advance.within_commitment" if within else "advance.beyond_commitment",
            amount=payload.amount,
            committed=advance.committed,
        ),
        cash_step(register.fund, payload.amount),
        make_step(
            MESSAGES,
            "SCH-01",
            True,
            "rounding.in_force",
            settings_used=(version,),
            rounding=rounding.value,
        ),
        *command.active(),
    ]
    return command.conclude(
        f"Versement de l'avance du projet {project}", steps, ("OP-01", "CONV-02", "SCH-02"), payload
    )


def reschedule_advance(
    register: Register,
    project: str,
    *,
    instalments: int,
    frequency: Frequency = Frequency.MONTHLY,
    deferral: int = 0,
    on: date,
    actor: str,
) -> CommandResult:
    """
    The operator reschedules an advance being repaid (*réaménagement*, SCH-05): from
    ``on``, what is outstanding is spread over ``instalments`` new instalments at
    ``frequency``, the first due one period after ``on`` plus ``deferral``; payments
    made before count against the earlier terms, kept in the register. The rounding stays
    the one recorded at disbursement (SCH-01). An advance in default, written off or
    repaid is refused.

    An early repayment that lowers the instalment is a repayment followed by a
    rescheduling over the same number of instalments left.

    Raises:
        InvalidValue: The new terms cannot make a schedule (e.g. fewer cents outstanding
            than instalments).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    advance = known(register.get_advance(project), "advance", project)
    payload = AdvanceRescheduled(project, instalments, frequency, deferral)
    being_repaid = advance.status is AdvanceStatus.DISBURSED and advance.disbursed_on is not None
    if being_repaid:
        LoanTerms(
            principal=advance.outstanding,
            start=on,
            instalments=instalments,
            frequency=frequency,
            deferral=deferral,
            rounding=advance.rounding,
        )
        state = make_step(
            MESSAGES,
            "SCH-05",
            True,
            "reschedule.disbursed",
            disbursed_on=advance.disbursed_on,
            outstanding=advance.outstanding,
            instalments=instalments,
        )
    else:
        status = _ADVANCE_FRENCH[advance.status]
        state = make_step(MESSAGES, "SCH-05", False, "reschedule.not_disbursed", status=status)
    steps = [command.by_operator("SCH-05", "réaménager une avance"), state, *command.active()]
    return command.conclude(
        f"Réaménagement de l'avance du projet {project}", steps, ("SCH-05",), payload
    )


_ADVANCE_FRENCH: Final = {
    AdvanceStatus.COMMITTED: "engagée et pas encore versée",
    AdvanceStatus.DISBURSED: "versée",
    AdvanceStatus.REPAID: "remboursée",
    AdvanceStatus.DEFAULTED: "en défaut",
    AdvanceStatus.WRITTEN_OFF: "passée en perte",
}


def _repayment_step(outstanding: Decimal, amount: Decimal) -> Step:
    ok = amount <= outstanding
    code = "repayment.within_outstanding" if ok else "repayment.beyond_outstanding"
    return make_step(MESSAGES, "FUND-02", ok, code, amount=amount, outstanding=outstanding)


def _repayable(register: Register, project: str) -> Decimal:
    advance = known(register.get_advance(project), "advance", project)
    if advance.status not in {AdvanceStatus.DISBURSED, AdvanceStatus.DEFAULTED}:
        hint = (
            " (after a write-off, record a recovery)"
            if advance.status is AdvanceStatus.WRITTEN_OFF
            else ""
        )
        raise CommandRefused(
            "project",
            project,
            f"has an advance that is {advance.status.value}: nothing is repaid on it{hint}",
        )
    return advance.outstanding


def receive_repayment(
    register: Register, project: str, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    A repayment into the fund (OP-01); never more than what is outstanding (FUND-02).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    payload = RepaymentReceived(project, amount)
    steps = [
        command.by_operator("OP-01", "encaisser un remboursement"),
        _repayment_step(_repayable(register, project), payload.amount),
    ]
    return command.conclude(
        f"Remboursement du projet {project}", steps, ("OP-01", "FUND-02"), payload
    )


def record_statement(
    register: Register,
    statement: str,
    lines: Sequence[StatementLine],
    *,
    closing_balance: Decimal | None = None,
    on: date,
    actor: str,
) -> CommandResult:
    """
    A bank statement of the fund's account listing instalments paid (OP-01): one event for
    many repayments. Each line stays within its advance's outstanding (FUND-02), and a
    closing balance, when given, must be the register's cash afterwards (FUND-05).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    payload = StatementReceived(statement, tuple(lines), closing_balance)
    steps = [command.by_operator("OP-01", "enregistrer un relevé")]
    outstanding: dict[str, Decimal] = {}
    total = ZERO
    for line in payload.lines:
        left = outstanding.get(line.project)
        if left is None:
            left = _repayable(register, line.project)
        step = _repayment_step(left, line.amount)
        if not step.passed:
            steps.append(step)
        outstanding[line.project] = left - line.amount
        total += line.amount
    if payload.closing_balance is not None:
        computed = register.fund.cash + total
        ok = computed == payload.closing_balance
        steps.append(
            make_step(
                MESSAGES,
                "FUND-05",
                ok,
                "statement.balances" if ok else "statement.differs",
                closing=payload.closing_balance,
                computed=computed,
                gap=payload.closing_balance - computed,
            )
        )
    return command.conclude(
        f"Relevé bancaire {statement}", steps, ("OP-01", "FUND-02", "FUND-05"), payload
    )


def loan_account(register: Register, project: str) -> LoanAccount:
    """
    A disbursed advance as :mod:`alize_core.lending.servicing` follows it: its terms and
    rounding (SCH-01), the repayments recorded and its reschedulings in their order
    (SCH-05), its default (SCH-06), its write-off and the recoveries after it (FUND-02).
    Its status, outstanding and arrears on any date are the register's
    (:meth:`~alize_core.register.views.Register.portfolio`, :mod:`alize_core.lending.life`).

    Raises:
        CommandRefused: The advance was not paid out.

    .. versionadded:: 0.1.0
    """
    advance = known(register.get_advance(project), "advance", project)
    if advance.disbursed_on is None or advance.instalments is None or advance.frequency is None:
        raise CommandRefused("project", project, "has an advance that was not paid out")
    terms = LoanTerms(
        principal=advance.disbursed,
        start=advance.disbursed_on,
        instalments=advance.instalments,
        frequency=advance.frequency,
        deferral=advance.deferral or 0,
        rounding=advance.rounding,
    )
    account = open_advance(project, terms, territory=territory_id(register))
    payments = [Payment(on, amount) for on, amount in advance.payments]
    events: list[ServicingEvent] = []
    made = 0
    for change in advance.reschedulings:
        events.extend(payments[made : change.payments_before])
        made = change.payments_before
        frequency = Frequency(change.frequency)
        events.append(Rescheduling(change.on, change.instalments, change.deferral, frequency))
    events.extend(payments[made:])
    if advance.defaulted_on is not None:
        on = advance.defaulted_on
        before = _dated_up_to(events, on)
        late = LoanAccount.replay(
            project,
            territory=account.territory,
            kind=account.kind,
            lender=account.lender,
            terms=terms,
            events=events[:before],
        ).arrears(on=on)
        events.insert(before, Acceleration(on, late.days_past_due))
    if advance.written_off_on is not None:
        on = advance.written_off_on
        events.insert(_dated_up_to(events, on), WriteOff(on, advance.written_off))
    for on, amount in advance.recoveries:
        events.insert(_dated_up_to(events, on), Recovery(on, amount))
    return LoanAccount.replay(
        project,
        territory=account.territory,
        kind=account.kind,
        lender=account.lender,
        terms=terms,
        events=events,
    )


def _dated_up_to(events: Sequence[ServicingEvent], on: date) -> int:
    """How many of these events, in date order, are dated on or before ``on``."""
    return next((i for i, event in enumerate(events) if event.on > on), len(events))


def declare_default(register: Register, project: str, *, on: date, actor: str) -> CommandResult:
    """
    The operator declares an advance in default (SCH-06) once an instalment has stayed
    unpaid longer than the territory's ``default_after_days`` setting in force that day.

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    _advance(register, project, AdvanceStatus.DISBURSED, "being repaid")
    account = loan_account(register, project)
    decision = account.default_decision(on=on, settings=register.settings)
    role = command.by_operator("OP-01", "déclarer une avance en défaut")
    steps = [role, *decision.steps]
    accept = role.passed and decision.outcome is Outcome.ACCEPTED
    return command.conclude(
        f"Défaut de l'avance du projet {project}",
        steps,
        ("SCH-06",),
        AdvanceDefaulted(project),
        accept=accept,
    )


def write_off(
    register: Register, project: str, *, amount: Decimal | None = None, on: date, actor: str
) -> CommandResult:
    """
    Write off an advance in default, by default all that is outstanding: the fund's loss
    (FUND-02, SCH-06).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    advance = known(register.get_advance(project), "advance", project)
    outstanding = _repayable(register, project)
    payload = AdvanceWrittenOff(project, outstanding if amount is None else amount)
    steps = [command.by_operator("OP-01", "passer une avance en perte")]
    if advance.status is AdvanceStatus.DEFAULTED and advance.defaulted_on is not None:
        steps.append(
            make_step(
                MESSAGES, "SCH-06", True, "write_off.in_default", defaulted_on=advance.defaulted_on
            )
        )
    else:
        steps.append(make_step(MESSAGES, "SCH-06", False, "write_off.not_in_default"))
    steps.append(_repayment_step(outstanding, payload.amount))
    return command.conclude(
        f"Perte sur l'avance du projet {project}", steps, ("SCH-06", "FUND-02"), payload
    )


def receive_recovery(
    register: Register, project: str, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    Money recovered on a written-off advance, never more than what was lost (FUND-02, SCH-06).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    advance = _advance(register, project, AdvanceStatus.WRITTEN_OFF, "written off")
    payload = RecoveryReceived(project, amount)
    remaining = advance.written_off - advance.recovered
    ok = not recovery_excess(
        to_cents(advance.written_off), to_cents(advance.recovered), to_cents(payload.amount)
    )
    steps = [
        command.by_operator("OP-01", "encaisser une récupération"),
        make_step(
            MESSAGES,
            "FUND-02",
            ok,
            "recovery.within_loss" if ok else "recovery.beyond_loss",
            amount=payload.amount,
            remaining=remaining,
        ),
    ]
    return command.conclude(
        f"Récupération sur le projet {project}", steps, ("FUND-02", "SCH-06"), payload
    )
