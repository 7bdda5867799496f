"""
The journal as the outbox's source (*flux du journal*): stored events become hook payloads.

The outbox (:mod:`alize_adapters.delivery.outbox`) reads committed events from an
:class:`~alize_adapters.delivery.sources.EventSource`. :class:`JournalFeed` is that source
for a territory's journal (:mod:`alize_core.journal`): it reads the journal's
events in order and turns those an adapter may observe into
:class:`~alize_adapters.delivery.sources.OutboxEvent` s, adding what the journal keeps
elsewhere (the SME of a project, the advance granted by the committee, what an
SME still owes when its advance defaults):

=========================  ==============================================================
journal event              outbox event(s)
=========================  ==============================================================
``session_closed``         one ``project_decided`` per agenda item (GOV-01)
``agreement_signed``       ``agreement_signed`` (CONV-02)
``advance_disbursed``      ``advance_disbursed`` (the advance is the project's)
``repayment_received``     ``repayment_received`` (FUND-02)
``statement_received``     one ``repayment_received`` per line of the statement
``advance_defaulted``      ``advance_defaulted``, with what was still owed (SCH-06)
``advance_written_off``    ``advance_written_off`` (FUND-02)
``contribution_called``    ``call_for_funds_issued`` (FUND-01, PIL-04)
any event the books post   ``posting_booked``, after the event's other outbox events (FUND-05)
=========================  ==============================================================

The ``posting_booked`` events carry the posting
:func:`alize_core.accounting.journal_postings` makes of the journal event, on the
feed's chart of accounts, with the settings the journal's register knows: the one
mapping from events to postings, so an accounting adapter books what the FEC export and
the accounting reports hold (a disbursement, a repayment, a bank statement, a
write-off, a recovery, a contribution received, a fee, time valued).

Every outbox event keeps the journal event's number as its sequence and the
rule ids it relied on; its id is the territory and that number (with the project,
the line or ``posting`` when one journal event gives several), so idempotency keys never
change and never collide between territories. The journal event's other fields
(the vote count, the terms of an advance) travel in ``extra``.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal

from alize_adapters.delivery.sources import OutboxEvent
from alize_adapters.host.payloads import NoticeKind
from alize_core import MalformedInput, Outcome, UnknownRecord
from alize_core.accounting.books import journal_postings
from alize_core.accounting.postings import ChartOfAccounts, Posting
from alize_core.journal.chain import Event, decode
from alize_core.journal.codec import GENESIS, StoredEvent
from alize_core.journal.events import (
    AdvanceDefaulted,
    AdvanceDisbursed,
    AdvanceWrittenOff,
    AgreementSigned,
    ContributionCalled,
    RepaymentReceived,
    SessionClosed,
    StatementReceived,
)
from alize_core.kernel.money import from_cents
from alize_core.kernel.serialization import unstructure
from alize_core.register.replay import Replay, register_at
from alize_core.register.views import Register


__all__ = ["JournalFeed", "outbox_events"]


def outbox_events(
    event: Event,
    register: Register,
    owed: Mapping[str, Decimal],
    posting: Posting | None = None,
) -> tuple[OutboxEvent, ...]:
    """
    The outbox events of one journal event (none for a kind no hook observes).

    Args:
        event: The journal event.
        register: A register that knows the event's projects and sessions (e.g. the
            whole journal's).
        owed: What each project's SME owed just after the event, by project.
        posting: The event's posting in the fund's books (from
            :func:`~alize_core.accounting.journal_postings`), if it has one: it becomes
            a last ``posting_booked`` outbox event.

    Raises:
        MalformedInput: The register has no territory, or does not know a project or
            session the event names.

    .. versionadded:: 0.1.0
    """
    record = register.territory
    if record is None:
        raise MalformedInput("journal", None, "has no territory (no territory_proposed event)")
    territory = record.territory.id
    found = _fact_events(event, register, owed, territory)
    if posting is None:
        return found
    booked = OutboxEvent(
        event_id=f"{territory}-{event.id}-posting",
        sequence=event.id,
        kind=NoticeKind.POSTING_BOOKED.value,
        effective_date=posting.on,
        territory=territory,
        payload={"posting": unstructure(posting), "rules": ["FUND-05"]},
    )
    return (*found, booked)


def _fact_events(
    event: Event, register: Register, owed: Mapping[str, Decimal], territory: str
) -> tuple[OutboxEvent, ...]:
    """The outbox events telling the journal event's own fact (all but its posting)."""
    payload = event.payload

    def one(kind: NoticeKind, data: dict[str, object], suffix: str = "") -> OutboxEvent:
        return OutboxEvent(
            event_id=f"{territory}-{event.id}{suffix}",
            sequence=event.id,
            kind=kind.value,
            effective_date=event.on,
            territory=territory,
            payload={**data, "rules": list(event.rules)},
        )

    def sme(project: str) -> str:
        try:
            return register.project(project).project.sme
        except UnknownRecord as exc:
            raise MalformedInput(f"event {event.id}", None, str(exc)) from None

    if isinstance(payload, SessionClosed):
        decisions = []
        for item in payload.decisions:
            amount = None
            if item.outcome is Outcome.ADOPTED:
                entry = register.session(payload.session).get_entry(item.project)
                if entry is not None and entry.advance > 0:
                    amount = str(entry.advance)
            data: dict[str, object] = {
                "project": item.project,
                "sme": sme(item.project),
                "session": payload.session,
                "outcome": item.outcome.value,
                "amount": amount,
                "session_valid": payload.valid,
                "present": item.present,
                "votes_for": item.votes_for,
                "votes_against": item.votes_against,
                "abstentions": item.abstentions,
                "required": item.required,
            }
            decisions.append(one(NoticeKind.PROJECT_DECIDED, data, f"-{item.project}"))
        return tuple(decisions)
    if isinstance(payload, AgreementSigned):
        data = {"agreement": payload.agreement, "project": payload.project}
        return (one(NoticeKind.AGREEMENT_SIGNED, {**data, "sme": sme(payload.project)}),)
    if isinstance(payload, AdvanceDisbursed):
        data = {
            "advance": payload.project,
            "sme": sme(payload.project),
            "amount": str(payload.amount),
            "instalments": payload.instalments,
            "frequency": payload.frequency.value,
            "deferral": payload.deferral,
        }
        return (one(NoticeKind.ADVANCE_DISBURSED, data),)
    if isinstance(payload, RepaymentReceived):
        data = {"advance": payload.project, "sme": sme(payload.project)}
        return (one(NoticeKind.REPAYMENT_RECEIVED, {**data, "amount": str(payload.amount)}),)
    if isinstance(payload, StatementReceived):
        return tuple(
            one(
                NoticeKind.REPAYMENT_RECEIVED,
                {
                    "advance": line.project,
                    "sme": sme(line.project),
                    "amount": str(line.amount),
                    "statement": payload.statement,
                },
                f"-{number}",
            )
            for number, line in enumerate(payload.lines, start=1)
        )
    if isinstance(payload, AdvanceDefaulted):
        data = {"advance": payload.project, "sme": sme(payload.project)}
        owes = owed.get(payload.project, Decimal(0))
        return (one(NoticeKind.ADVANCE_DEFAULTED, {**data, "outstanding": str(owes)}),)
    if isinstance(payload, AdvanceWrittenOff):
        data = {"advance": payload.project, "sme": sme(payload.project)}
        return (one(NoticeKind.ADVANCE_WRITTEN_OFF, {**data, "amount": str(payload.amount)}),)
    if isinstance(payload, ContributionCalled):
        data = {"partner": payload.partner, "year": payload.year, "amount": str(payload.amount)}
        return (one(NoticeKind.CALL_FOR_FUNDS_ISSUED, data),)
    return ()


def _owed_after(event: Event, replaying: Replay) -> dict[str, Decimal]:
    """
    What the project of a default owed just after it: its outstanding as its life gives
    it (:mod:`alize_core.lending.life`), as the register's portfolio and reports do.
    """
    payload = event.payload
    if not isinstance(payload, AdvanceDefaulted):
        return {}
    advance = replaying.get_advance(payload.project)
    life = None if advance is None else advance.life
    if life is None:
        return {}
    return {payload.project: from_cents(life.position(event.on).outstanding)}


class JournalFeed:
    """
    An :class:`~alize_adapters.delivery.sources.EventSource` over a territory's journal.

    Each call reads the journal again (through ``read``), so events written since
    are seen; the events before ``sequence`` are read only to know what SMEs owe.

    Args:
        read: Returns the journal's events, in order (e.g. from the journal's store); the
            books are kept with the settings its register knows (daily rates, the
            contributions' account).
        chart: The operator's chart of accounts (default: the French one).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        read: Callable[[], Sequence[Event]],
        *,
        chart: ChartOfAccounts | None = None,
    ) -> None:
        self._read = read
        self._chart = chart

    @classmethod
    def from_rows(
        cls,
        read_rows: Callable[[], Iterable[StoredEvent]],
        *,
        chart: ChartOfAccounts | None = None,
    ) -> JournalFeed:
        """
        A feed over stored rows ``(id, body, digest)``, as a journal store keeps them,
        e.g. ``JournalFeed.from_rows(store.read)`` for the register's SQLite store.

        Raises:
            MalformedInput: (when read) A row is not an event alize writes.
        """

        def read() -> list[Event]:
            events, previous = [], GENESIS
            for row in read_rows():
                events.append(decode(row, previous))
                previous = row[2]
            return events

        return cls(read, chart=chart)

    def events_after(self, sequence: int, limit: int) -> list[OutboxEvent]:
        """
        The outbox events of the journal events numbered above ``sequence``.

        About ``limit`` of them: the events of one journal event are never split.

        Raises:
            MalformedInput: The journal has no territory, or names an unknown project.
        """
        events = list(self._read())
        register = register_at(events)
        books: dict[str, Posting] = {}
        if register.territory is not None and events[-1].id > sequence:
            entries = journal_postings(events, chart=self._chart, register=register)
            books = {entry.id: entry for entry in entries}
        replaying = Replay()
        found: list[OutboxEvent] = []
        for event in events:
            replaying.fold([event.row()])
            if event.id <= sequence:
                continue
            found.extend(
                outbox_events(
                    event, register, _owed_after(event, replaying), books.get(str(event.id))
                )
            )
            if len(found) >= limit:
                break
        return found
