"""Demo part: the year's events reach the operator's tools through adapters and the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from alize_adapters.delivery.feed import JournalFeed
from alize_adapters.delivery.outbox import Relay
from alize_adapters.delivery.sources import EventSource, MemoryEventSource, OutboxEvent
from alize_adapters.delivery.stores import DeliveryState, SqliteDeliveryStore
from alize_adapters.demo import DemoContext, sample
from alize_adapters.fakes import EventRecorder, LedgerPostings, MemoryBackends, MemoryLedger
from alize_adapters.host.config import AdapterConfig
from alize_adapters.host.errors import Fault
from alize_adapters.host.manager import AdapterManager
from alize_adapters.host.payloads import BackendRole, DocumentKind, NoticeKind, RenderRequest
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.accounting.books import Movement, MovementKind, posting
from alize_core.kernel.serialization import unstructure


TITLE = "Adapters: the year's events reach the operator's tools, at least once, after commit"

YEAR = sample.PROGRAMME_YEAR


def _source(context: DemoContext) -> tuple[EventSource, str, SqliteStore | None]:
    """The journal written by the register part, or three events if it did not run."""
    path = context.shared.get("register_path")
    if isinstance(path, Path) and path.is_file():
        store = SqliteStore(path, create=False)
        return (
            JournalFeed.from_rows(store.read),
            f"the journal in {path.name}",
            store,
        )
    source = MemoryEventSource()
    territory = sample.territory().id
    for number, kind, amount in (
        (1, MovementKind.DISBURSEMENT, "25000.00"),
        (2, MovementKind.REPAYMENT, "520.84"),
        (3, MovementKind.REPAYMENT, "520.84"),
    ):
        movement = Movement(
            str(number), date(YEAR, 3 + number, 28), kind, amount, "555012343", "Usinage Meusien"
        )
        entry = posting(movement, territory=territory, settings=sample.settings())
        source.append(
            OutboxEvent(
                event_id=f"{territory}-{number}-posting",
                sequence=number,
                kind=NoticeKind.POSTING_BOOKED.value,
                effective_date=entry.on,
                territory=territory,
                payload={"posting": unstructure(entry)},
            )
        )
    return source, "the postings of three sample events (the register part did not run)", None


def run(context: DemoContext) -> None:
    """Relay the journal to three adapters, one of them failing three times, then recovering."""
    memory = MemoryBackends()
    config = AdapterConfig.from_mapping(
        {"roles": {"crm": "memory", "accounting": "memory", "documents": "memory"}}
    )
    manager = AdapterManager(config)
    manager.register(memory, name="memory")
    ledger = manager.accounting()
    assert isinstance(ledger, MemoryLedger)
    manager.register(LedgerPostings(ledger), name="ledger")
    audit = EventRecorder()
    manager.register(audit, name="audit")
    status = manager.status()
    context.say(
        f"Adapters loaded: {', '.join(p.name for p in status.plugins)};"
        f" roles bound: {', '.join(f'{b.role.value}→{b.backend}' for b in status.bindings if not b.problem)}."
    )

    source, described, store = _source(context)
    outbox_path = context.workdir / "outbox.sqlite"
    for leftover in context.workdir.glob("outbox.sqlite*"):
        leftover.unlink()
    now = [datetime(YEAR, 12, 31, 18, 0, tzinfo=UTC)]
    ledger.wire.inject(Fault.TIMEOUT)
    ledger.wire.inject(Fault.SERVER_ERROR)
    ledger.wire.inject(Fault.RESET)
    context.say(
        f"Source: {described}. The accounting tool will time out, answer 500,"
        " then lose its answer after posting (a reset), then recover."
    )
    with SqliteDeliveryStore(outbox_path) as deliveries:
        relay = Relay(manager, source, deliveries, clock=lambda: now[0])
        for run_number in range(1, 6):
            report = relay.run()
            context.say(
                f"  run {run_number} at {now[0]:%H:%M}: {report.enqueued} new deliveries,"
                f" {report.delivered} delivered, {report.retried} to retry,"
                f" {report.waiting} waiting, {report.dead} dead"
            )
            for retrying in deliveries.deliveries(states=frozenset({DeliveryState.RETRY})):
                context.say(f"      {retrying.event_id} → {retrying.last_error}")
            if report.retried == report.waiting == 0:
                break
            now[0] += timedelta(hours=1)
        booked = [e for e in audit.received if e.kind is NoticeKind.POSTING_BOOKED]
        entries = memory.ledger_target.entries()
        keys = {str(e["idempotency_key"]) for e in entries}
        context.say(
            f"The audit adapter received {len(audit.received)} events, each once"
            f" ({len({e.event_id for e in audit.received})} distinct);"
            f" the accounting tool holds {len(entries)} entries for the books' {len(booked)}"
            f" postings ({len(keys)} idempotency keys, none twice);"
            f" {len(relay.dead_letters())} dead letters."
        )
    if store is not None:
        store.close()
    context.say(
        f"Outbox state kept in {outbox_path.name}; read it with"
        f" `alize adapters outbox --store {outbox_path} --state all`."
    )

    letter = manager.render(
        RenderRequest(
            kind=DocumentKind.DECISION_LETTER,
            territory=sample.territory().id,
            on=date(YEAR, 3, 12),
            title="Décision du comité d'agrément",
            fields=(("Projet", "P1"), ("Décision", "adopté")),
        )
    )
    receipt = manager.documents().store_document(letter, key=f"{sample.territory().id}-P1-lettre")
    offers = len(manager.offers(BackendRole.CRM))
    context.say(
        f"A decision letter rendered by {letter.renderer} ({len(letter.content)} bytes),"
        f" filed in the document store as {receipt.external_id}; {offers} CRM backend on offer."
    )
