"""Demo part: the year's events reach the operator's tools through adapters and the outbox."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alize_adapters.delivery.feed import JournalFeed
from alize_adapters.delivery.outbox import Relay
from alize_adapters.delivery.sources import EventSource
from alize_adapters.delivery.stores import DeliveryState, SqliteDeliveryStore
from alize_adapters.demo import DemoContext, sample
from alize_adapters.fakes import EventRecorder, LedgerPostings, MemoryBackends, MemoryLedger
from alize_adapters.host.config import AdapterConfig
from alize_adapters.host.errors import Fault
from alize_adapters.host.manager import AdapterManager
from alize_adapters.host.payloads import BackendRole, DocumentKind, NoticeKind, RenderRequest
from alize_adapters.storage.sqlite import SqliteStore


TITLE = "Adapters: the year's events reach the operator's tools, at least once, after commit"

YEAR = sample.PROGRAMME_YEAR


def _source(context: DemoContext) -> tuple[EventSource, SqliteStore]:
    """The journal of the demo's register, as the outbox reads it."""
    store = SqliteStore(context.db, create=False)
    return JournalFeed.from_rows(store.read), store


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

    source, store = _source(context)
    outbox_path = context.workdir / "outbox.sqlite"
    for leftover in context.workdir.glob("outbox.sqlite*"):
        leftover.unlink()
    now = [datetime(YEAR, 12, 31, 18, 0, tzinfo=UTC)]
    ledger.wire.inject(Fault.TIMEOUT)
    ledger.wire.inject(Fault.SERVER_ERROR)
    ledger.wire.inject(Fault.RESET)
    context.say(
        f"Source: the journal in {context.db.name}. The accounting tool will time out, answer 500,"
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
    store.close()
    context.say(
        f"Outbox state kept in {outbox_path.name}; read it with"
        f" `alize adapters outbox --store {outbox_path} --state all`."
    )

    project = context.register().project("P1")
    outcome = project.outcome.french if project.outcome is not None else "non décidé"
    letter = manager.render(
        RenderRequest(
            kind=DocumentKind.DECISION_LETTER,
            territory=sample.territory().id,
            on=project.decided_on or date(YEAR, 3, 12),
            title="Décision du comité d'agrément",
            fields=(("Projet", project.project.id), ("Décision", outcome)),
        )
    )
    receipt = manager.documents().store_document(letter, key=f"{sample.territory().id}-P1-lettre")
    offers = len(manager.offers(BackendRole.CRM))
    context.say(
        f"A decision letter rendered by {letter.renderer} ({len(letter.content)} bytes),"
        f" filed in the document store as {receipt.external_id}; {offers} CRM backend on offer."
    )
