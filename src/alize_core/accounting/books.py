"""
The fund's books (*comptabilité du fonds*): every financial event as a balanced posting.

The local operator keeps the account that holds the advance fund (OP-01); its
accountant books each of the fund's movements as a double entry on the French
*plan comptable général* (FUND-05 is the practice rule: the books must say the
same as the fund's position). :func:`posting` turns one :class:`Movement` into
a :class:`~alize_core.accounting.postings.Posting` on a
:class:`~alize_core.accounting.postings.ChartOfAccounts` (by default the French one):

============================  =========================  ===========================
movement                      debit                      credit
============================  =========================  ===========================
contribution received         512 bank                   1024 (or 1034, a setting)
advance disbursed             2748 other loans           512 bank
instalment repaid             512 bank                   2748 other loans
impairment                    6866 financial provisions  2974 loan impairment
impairment reversed           2974 loan impairment       7866 reversals
write-off                     654 irrecoverable debts    2748 other loans
recovery after a write-off    512 bank                   7583 debts written off
fees                          627 bank services          512 bank
network contribution          6281 subscriptions         512 bank
skills valued (ACC-06)        862 services               871 services in kind
volunteering valued (ACC-06)  864 volunteers             875 volunteering
============================  =========================  ===========================

A write-off of an advance that was impaired also releases the impairment
(2974 / 7866) in the same posting. Partners' contributions go to 1024
(*sans droit de reprise*) or, when the territory's
``contribution_right_of_return`` setting says so, to 1034 (*avec droit de
reprise*). Each line carries the SME's SIREN or the partner's id as its
auxiliary account, and the posting's id is the event's id (its *pièce*), so an
auditor goes from any line back to the event in the journal. Calls for funds
are not booked: a contribution is booked when it is received.

Every posting balances by construction (its class refuses otherwise), so the
debits and credits of any period balance too; :func:`trial_balance` sums them
by account.

>>> from datetime import date
>>> from decimal import Decimal
>>> from alize_core.kernel.settings import Settings
>>> repaid = Movement("EV-7", date(2026, 5, 31), MovementKind.REPAYMENT, Decimal("625.00"),
...                   "555012343", "Usinage Meusien")
>>> entry = posting(repaid, territory="T1", settings=Settings.national())
>>> [(line.account.number, str(line.debit), str(line.credit), line.auxiliary)
...  for line in entry.lines]
[('512', '625.00', '0.00', '555012343'), ('2748', '0.00', '625.00', '555012343')]
>>> entry.id, entry.journal
('EV-7', 'BQ')
>>> Movement("EV-8", date(2026, 5, 31), MovementKind.REPAYMENT, Decimal("0"), "555012343", "X")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: amount: Decimal('0') must be more than zero euros

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from alize_core.accounting.postings import Account, ChartOfAccounts, Posting, PostingLine
from alize_core.journal.chain import Event
from alize_core.journal.events import (
    AdvanceDisbursed,
    AdvanceWrittenOff,
    ContributionReceived,
    FeePaid,
    PersonEnrolled,
    PersonUpdated,
    RecoveryReceived,
    RepaymentReceived,
    StatementReceived,
    TimeLogged,
)
from alize_core.journal.kinds import EventKind
from alize_core.kernel.decisions import french
from alize_core.kernel.errors import CommandRefused, InvalidValue
from alize_core.kernel.money import ZERO, to_money
from alize_core.kernel.settings import CONTRIBUTION_RIGHT_OF_RETURN, Settings, SettingVersion
from alize_core.kernel.validation import (
    check_date,
    check_id,
    check_text,
    checked,
    member_of,
    optional,
)
from alize_core.programme.accompaniment import TimeEntry, value_time
from alize_core.register.replay import register_at
from alize_core.register.views import Register


__all__ = [
    "JOURNALS",
    "AccountBalance",
    "Movement",
    "MovementKind",
    "contributions_account",
    "event_movements",
    "journal_postings",
    "posting",
    "postings",
    "trial_balance",
]


class MovementKind(enum.StrEnum):
    """What a financial event does to the fund or to the programme's budget (*nature*)."""

    CONTRIBUTION_RECEIVED = "contribution_received"
    """A partner's contribution paid into the fund (*apport reçu*, FUND-01)."""
    DISBURSEMENT = "disbursement"
    """An advance paid out to an SME (*décaissement*)."""
    REPAYMENT = "repayment"
    """An SME's repayment (*remboursement*, FUND-02)."""
    IMPAIRMENT = "impairment"
    """A provision for an advance in doubt (*dépréciation*)."""
    IMPAIRMENT_REVERSAL = "impairment_reversal"
    """A provision released (*reprise de dépréciation*)."""
    WRITE_OFF = "write_off"
    """An advance, or part of it, lost (*passage en perte*)."""
    RECOVERY = "recovery"
    """Money recovered after a write-off (*rentrée sur créance amortie*)."""
    FEES = "fees"
    """Bank and management fees paid from the fund (*frais*)."""
    NETWORK_CONTRIBUTION = "network_contribution"
    """The contribution paid to the network head (*contribution à la tête de réseau*, NAT-02)."""
    SKILLS_VALUED = "skills_valued"
    """Days of a partner's staff, valued (*apport en compétences valorisé*, ACC-06)."""
    VOLUNTEERING_VALUED = "volunteering_valued"
    """Days given by volunteers, valued (*bénévolat valorisé*, ACC-06)."""

    @property
    def french(self) -> str:
        """The kind of movement in French, as a posting's label begins."""
        return _FRENCH_KINDS[self]


_FRENCH_KINDS: Final = {
    MovementKind.CONTRIBUTION_RECEIVED: "Apport au fonds",
    MovementKind.DISBURSEMENT: "Versement d'avance remboursable",
    MovementKind.REPAYMENT: "Remboursement d'avance",
    MovementKind.IMPAIRMENT: "Dépréciation d'avance",
    MovementKind.IMPAIRMENT_REVERSAL: "Reprise de dépréciation",
    MovementKind.WRITE_OFF: "Passage en perte",
    MovementKind.RECOVERY: "Rentrée sur créance amortie",
    MovementKind.FEES: "Frais bancaires",
    MovementKind.NETWORK_CONTRIBUTION: "Contribution à la tête de réseau",
    MovementKind.SKILLS_VALUED: "Apport en compétences valorisé",
    MovementKind.VOLUNTEERING_VALUED: "Bénévolat valorisé",
}

JOURNALS: Final = {"bank": "BQ", "miscellaneous": "OD", "in_kind": "CVN"}
"""The journal codes: the fund's bank, miscellaneous operations, contributions in kind."""

# kind -> (journal, debit role, credit role); "contributions" is resolved by setting.
_RULES: Final[dict[MovementKind, tuple[str, str, str]]] = {
    MovementKind.CONTRIBUTION_RECEIVED: ("bank", "bank", "contributions"),
    MovementKind.DISBURSEMENT: ("bank", "advances", "bank"),
    MovementKind.REPAYMENT: ("bank", "bank", "advances"),
    MovementKind.IMPAIRMENT: ("miscellaneous", "impairment_expense", "impairment_allowance"),
    MovementKind.IMPAIRMENT_REVERSAL: (
        "miscellaneous",
        "impairment_allowance",
        "impairment_reversal",
    ),
    MovementKind.WRITE_OFF: ("miscellaneous", "write_off", "advances"),
    MovementKind.RECOVERY: ("bank", "bank", "recovery"),
    MovementKind.FEES: ("bank", "bank_fees", "bank"),
    MovementKind.NETWORK_CONTRIBUTION: ("bank", "network_contribution", "bank"),
    MovementKind.SKILLS_VALUED: ("in_kind", "skills_used", "skills_contributed"),
    MovementKind.VOLUNTEERING_VALUED: ("in_kind", "volunteering_used", "volunteering_contributed"),
}


def _amount(value: object) -> Decimal:
    return to_money(value, field="amount", positive=True, cents=True)


def _released(value: object) -> Decimal:
    return to_money(value, field="impairment_released", non_negative=True, cents=True)


@attrs.frozen
class Movement:
    """
    One financial event of the programme, as the books see it (*mouvement*).

    Attributes:
        id: The id of the event in the journal (the posting's *pièce*).
        on: The date it took effect.
        kind: What it does (:class:`MovementKind`).
        amount: How much, in euros and whole cents, more than zero.
        counterparty: The auxiliary account: the SME's SIREN, the partner's id, the
            network head's id; ``None`` for fees, which have none.
        counterparty_name: The auxiliary account's name (``None`` with no counterparty).
        label: What to write on the posting, when not the kind's French name.
        impairment_released: For a write-off, the impairment of that advance released
            at the same time (2974 / 7866).

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    kind: MovementKind = attrs.field(validator=member_of(MovementKind))
    amount: Decimal = attrs.field(converter=_amount)
    counterparty: str | None = attrs.field(validator=optional(check_id))
    counterparty_name: str | None = attrs.field(validator=optional(check_text))
    label: str | None = attrs.field(default=None, validator=optional(check_text))
    impairment_released: Decimal = attrs.field(default=ZERO, converter=_released)

    def __attrs_post_init__(self) -> None:
        if (self.counterparty is None) != (self.counterparty_name is None):
            msg = "and its name go together: give both or neither"
            raise InvalidValue("counterparty", self.counterparty, msg)
        if self.impairment_released and self.kind is not MovementKind.WRITE_OFF:
            msg = "can only be released by a write-off"
            raise InvalidValue("impairment_released", self.impairment_released, msg)
        if self.impairment_released > self.amount:
            msg = f"is more than the amount written off ({self.amount})"
            raise InvalidValue("impairment_released", self.impairment_released, msg)


def contributions_account(
    chart: ChartOfAccounts, *, settings: Settings, territory: str, on: date
) -> tuple[Account, SettingVersion]:
    """
    The account partners' contributions go to, by the territory's setting in force.

    ``contribution_right_of_return`` false (the default) books them to the chart's
    ``contributions`` role (1024, *sans droit de reprise*); true, to
    ``contributions_with_return`` (1034, *avec droit de reprise*).

    Returns:
        The account and the setting version that chose it.

    .. versionadded:: 0.1.0
    """
    with_return, version = settings.lookup(CONTRIBUTION_RIGHT_OF_RETURN, on=on, territory=territory)
    role = "contributions_with_return" if with_return else "contributions"
    return chart.account(role), version


def posting(
    movement: Movement,
    *,
    territory: str,
    settings: Settings,
    chart: ChartOfAccounts | None = None,
) -> Posting:
    """
    The balanced posting of one movement.

    Args:
        movement: The financial event.
        territory: The territory whose books these are (for its settings).
        settings: The settings in force.
        chart: The chart of accounts (default: the French one).

    Returns:
        A posting whose id is the event's, with the counterparty on every line.

    Raises:
        InvalidValue: The chart lacks an account the movement needs.

    .. versionadded:: 0.1.0
    """
    chart = chart or ChartOfAccounts.french_default()
    journal, debit_role, credit_role = _RULES[movement.kind]
    if credit_role == "contributions":
        credit, _ = contributions_account(
            chart, settings=settings, territory=territory, on=movement.on
        )
    else:
        credit = chart.account(credit_role)
    debit = chart.account(debit_role)
    who = f" — {movement.counterparty_name}" if movement.counterparty_name else ""
    label = movement.label or f"{movement.kind.french}{who}"
    aux = {"auxiliary": movement.counterparty, "auxiliary_label": movement.counterparty_name}
    lines = [
        PostingLine(debit, label, debit=movement.amount, **aux),
        PostingLine(credit, label, credit=movement.amount, **aux),
    ]
    if movement.impairment_released:
        released = f"Reprise de dépréciation{who}"
        lines += [
            PostingLine(
                chart.account("impairment_allowance"),
                released,
                debit=movement.impairment_released,
                **aux,
            ),
            PostingLine(
                chart.account("impairment_reversal"),
                released,
                credit=movement.impairment_released,
                **aux,
            ),
        ]
    return Posting(movement.id, movement.on, JOURNALS[journal], label, tuple(lines))


def postings(
    movements: Iterable[Movement],
    *,
    territory: str,
    settings: Settings,
    chart: ChartOfAccounts | None = None,
) -> tuple[Posting, ...]:
    """
    The postings of many movements, in date order (the order given within a day).

    Raises:
        InvalidValue: Two movements share an id: a *pièce* references one posting.

    .. versionadded:: 0.1.0
    """
    chart = chart or ChartOfAccounts.french_default()
    seen: set[str] = set()
    result = []
    for movement in sorted(movements, key=lambda m: m.on):
        if movement.id in seen:
            raise InvalidValue("id", movement.id, "is the id of two movements: give each its own")
        seen.add(movement.id)
        result.append(posting(movement, territory=territory, settings=settings, chart=chart))
    return tuple(result)


@attrs.frozen
class AccountBalance:
    """
    What a period's postings sum to on one account (*solde de compte*).

    Attributes:
        account: The account.
        debit: The sum of its debits.
        credit: The sum of its credits.

    .. versionadded:: 0.1.0
    """

    account: Account
    debit: Decimal
    credit: Decimal

    @property
    def balance(self) -> Decimal:
        """Debit less credit: positive for a debit balance (an asset, an expense)."""
        return self.debit - self.credit


def trial_balance(
    entries: Iterable[Posting], *, start: date | None = None, end: date | None = None
) -> tuple[AccountBalance, ...]:
    """
    The sums of debits and credits by account (*balance*) of the postings dated from
    ``start`` to ``end`` (both included; open when not given), in account order.

    The debits of the whole balance equal its credits, since every posting balances.

    >>> from alize_core.kernel.settings import Settings
    >>> moves = [
    ...     Movement("E1", date(2026, 1, 15), MovementKind.CONTRIBUTION_RECEIVED,
    ...              Decimal("30000.00"), "ACIER", "Aciéries de l'Est"),
    ...     Movement("E2", date(2026, 4, 2), MovementKind.DISBURSEMENT, Decimal("25000.00"),
    ...              "555012343", "Usinage Meusien")]
    >>> lines = trial_balance(postings(moves, territory="T1", settings=Settings.national()))
    >>> [(b.account.number, str(b.balance)) for b in lines]
    [('1024', '-30000.00'), ('2748', '25000.00'), ('512', '5000.00')]

    .. versionadded:: 0.1.0
    """
    sums: dict[str, tuple[Account, Decimal, Decimal]] = {}
    for entry in entries:
        if (start is not None and entry.on < start) or (end is not None and entry.on > end):
            continue
        for line in entry.lines:
            account, debit, credit = sums.get(line.account.number, (line.account, ZERO, ZERO))
            sums[line.account.number] = (account, debit + line.debit, credit + line.credit)
    return tuple(
        AccountBalance(account, debit, credit)
        for account, debit, credit in (sums[number] for number in sorted(sums))
    )


# --- The journal's events as postings. -----------------------------------------------------


def _project_counterparty(register: Register, project: str) -> tuple[str, str]:
    record = register.projects.get(project)
    if record is None:
        return project, f"Projet {project}"
    sme = register.smes.get(record.project.sme)
    return record.project.sme, sme.name if sme is not None else record.project.sme


def _partner_counterparty(register: Register, partner: str) -> tuple[str, str]:
    company = register.partners.get(partner)
    return partner, company.name if company is not None else partner


def _time_movement(
    event: Event,
    payload: TimeLogged,
    register: Register,
    *,
    settings: Settings,
    territory: str,
    in_activity: bool | None,
) -> Movement | None:
    person = register.get_person(event.actor)
    if person is None:
        return None
    entry = TimeEntry(event.actor, payload.project, event.on, payload.days, payload.category)
    value = value_time((entry,), territory=territory, settings=settings).total_value
    if not value:
        return None
    active = person.in_activity if in_activity is None else in_activity
    kind = MovementKind.SKILLS_VALUED if active else MovementKind.VOLUNTEERING_VALUED
    who, name = (
        _partner_counterparty(register, person.organisation)
        if person.organisation in register.partners
        else (person.organisation or event.actor, person.organisation or event.actor)
    )
    label = f"{kind.french} — {french(payload.days)} j, projet {payload.project} — {name}"
    return Movement(str(event.id), event.on, kind, value, who, name, label=label)


def event_movements(
    event: Event,
    register: Register,
    *,
    settings: Settings,
    territory: str,
    in_activity: bool | None = None,
) -> tuple[Movement, ...]:
    """
    The financial movements of one event of the journal: none for an event that moves no
    money and values no time; one per line of a bank statement.

    Args:
        event: The event.
        register: A register that knows the event's partners, projects, SMEs and people
            (the journal's register at or after the event).
        settings: The settings in force (daily rates, ACC-06).
        territory: The territory's id.
        in_activity: For time logged, whether its member was in activity that day
            (default: as the register says).

    .. versionadded:: 0.1.0
    """
    p = event.payload
    kind = event.kind
    ref = str(event.id)
    money: dict[EventKind, MovementKind] = {
        EventKind.ADVANCE_DISBURSED: MovementKind.DISBURSEMENT,
        EventKind.REPAYMENT_RECEIVED: MovementKind.REPAYMENT,
        EventKind.ADVANCE_WRITTEN_OFF: MovementKind.WRITE_OFF,
        EventKind.RECOVERY_RECEIVED: MovementKind.RECOVERY,
    }
    if kind in money and isinstance(
        p, AdvanceDisbursed | RepaymentReceived | AdvanceWrittenOff | RecoveryReceived
    ):
        who, name = _project_counterparty(register, p.project)
        return (Movement(ref, event.on, money[kind], p.amount, who, name),)
    if isinstance(p, StatementReceived):
        result = []
        for line in p.lines:
            who, name = _project_counterparty(register, line.project)
            label = f"Relevé {p.statement} — remboursement d'avance — {name}"
            result.append(
                Movement(ref, event.on, MovementKind.REPAYMENT, line.amount, who, name, label=label)
            )
        return tuple(result)
    if isinstance(p, ContributionReceived):
        who, name = _partner_counterparty(register, p.partner)
        return (Movement(ref, event.on, MovementKind.CONTRIBUTION_RECEIVED, p.amount, who, name),)
    if isinstance(p, FeePaid):
        label = f"{MovementKind.FEES.french} — {p.label}"
        return (Movement(ref, event.on, MovementKind.FEES, p.amount, None, None, label=label),)
    if isinstance(p, TimeLogged):
        movement = _time_movement(
            event, p, register, settings=settings, territory=territory, in_activity=in_activity
        )
        return () if movement is None else (movement,)
    return ()


def journal_postings(
    events: Sequence[Event],
    *,
    chart: ChartOfAccounts | None = None,
    start: date | None = None,
    end: date | None = None,
    register: Register | None = None,
) -> tuple[Posting, ...]:
    """
    The postings of a journal's financial events dated from ``start`` to ``end`` (both
    included; open when not given), in the journal's order: one posting per event, whose
    id is the event's id.

    This is the one way an event becomes a posting: the accounting reports
    (:func:`trial_balance`), the FEC export (:mod:`alize_adapters.connectors.fec`) and
    the adapters' ledger (the ``posting_booked`` notices of
    :class:`~alize_adapters.delivery.feed.JournalFeed`) all book what it returns.

    A bank statement becomes one posting with a pair of lines per instalment, each with
    its SME as auxiliary account. Time logged by a partner's staff in activity that day is
    booked as skills contributed (862 / 871), by anyone else (e.g. a retired member) as
    volunteering (864 / 875), at the daily rate of their category in force that day
    (ACC-06); the rates and the contributions' account are the settings the register
    knows on each event's date.

    Args:
        events: The journal's events, in order, from its first.
        chart: The chart of accounts (default: the French one).
        start: The first day of the period.
        end: The last day of the period.
        register: The register of the whole journal, when the caller has it (spares
            replaying the journal again).

    Raises:
        CommandRefused: The journal has no territory.
        IntegrityError: The journal's chain is broken.

    .. versionadded:: 0.1.0
    """
    chart = chart or ChartOfAccounts.french_default()
    if register is None:
        register = register_at(events)
    record = register.territory
    if record is None:
        raise CommandRefused("territory", None, "the journal has no territory: there are no books")
    territory = record.territory.id
    settings = register.settings
    result = []
    activity: dict[str, bool] = {}
    for event in events:
        payload = event.payload
        if isinstance(payload, PersonEnrolled | PersonUpdated):
            activity[payload.person] = payload.in_activity
        if (start is not None and event.on < start) or (end is not None and event.on > end):
            continue
        moves = event_movements(
            event,
            register,
            settings=settings,
            territory=territory,
            in_activity=activity.get(event.actor),
        )
        if not moves:
            continue
        entries = [posting(m, territory=territory, settings=settings, chart=chart) for m in moves]
        if len(entries) == 1:
            result.append(entries[0])
            continue
        assert isinstance(event.payload, StatementReceived)
        lines = tuple(line for entry in entries for line in entry.lines)
        label = f"Relevé bancaire {event.payload.statement}"
        result.append(Posting(str(event.id), event.on, entries[0].journal, label, lines))
    return tuple(result)
