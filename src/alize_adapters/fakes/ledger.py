"""
The in-memory accounting tool (*comptabilité en mémoire*): a target, its backend, the ledger adapter.

- :class:`LedgerTarget`, an in-process accounting tool that honours an
  ``Idempotency-Key`` header the way payment APIs do (same key, same entry:
  replayed; same key, other entry: conflict); amounts travel as text (SCH-01);
- :class:`MemoryLedger`, the :class:`~alize_adapters.host.backends.AccountingBackend`
  that reaches it through a :class:`~alize_adapters.fakes.wire.Wire`;
- :class:`LedgerPostings`, the adapter that posts each posting of the fund's books,
  as the core's mapping makes it (FUND-05).

>>> from datetime import date
>>> from decimal import Decimal
>>> from alize_adapters.host.backends import EntryLine, JournalEntry
>>> from alize_adapters.host.errors import Fault
>>> target = LedgerTarget()
>>> ledger = MemoryLedger(Wire(target.handle))
>>> entry = JournalEntry(journal="BQ", on=date(2026, 4, 2), piece="12", label="Avance P1",
...     lines=(EntryLine(account="2748", label="Avance P1", debit=Decimal("25000.00")),
...            EntryLine(account="512", label="Banque", credit=Decimal("25000.00"))))
>>> ledger.post_entry(entry, idempotency_key="k-1").replayed
False
>>> ledger.post_entry(entry, idempotency_key="k-1").replayed
True
>>> len(target.entries())
1
>>> ledger.wire.inject(Fault.RATE_LIMITED, retry_after=30)
>>> ledger.post_entry(entry, idempotency_key="k-2")
Traceback (most recent call last):
...
alize_adapters.host.errors.AdapterUnavailable: the accounting tool asked to slow down (HTTP 429); retry after 30 s

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import threading
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

from alize_adapters.fakes._http import (
    REPLAYED_HEADER,
    Table,
    answer_amount,
    answer_text,
    exchange,
    json_body,
    require_capability,
    results_of,
)
from alize_adapters.fakes.wire import Request, Response, Wire
from alize_adapters.host.backends import (
    AccountingBackend,
    BankMovement,
    BankMovementPage,
    JournalEntry,
    LedgerExport,
    PostingReceipt,
)
from alize_adapters.host.errors import AdapterUnavailable
from alize_adapters.host.hookspecs import EventSpec, hookimpl
from alize_adapters.host.payloads import BackendRole, Capability, PostingBookedNotice
from alize_core.kernel.validation import check_count, check_id


__all__ = [
    "LEDGER_CAPABILITIES",
    "LedgerPostings",
    "LedgerTarget",
    "MemoryLedger",
]


LEDGER_CAPABILITIES: Final = BackendRole.ACCOUNTING.capabilities
"""Everything an accounting backend may declare."""


def _decimal(value: object) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


class LedgerTarget:
    """
    An in-process accounting tool with an ``Idempotency-Key`` header, as payment APIs have.

    ``POST /entries`` checks the entry balances and stores it as received;
    with a key already used it replays the first answer (same body) or answers
    409 (another body). ``GET /entries?start=&end=`` lists entries;
    ``GET /bank-movements?after=&limit=`` reads the bank feed, which may repeat a
    transaction as real feeds do. The backdoor methods read and feed it directly.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries = Table("ent")
        self._keys: dict[str, tuple[bytes, dict[str, object]]] = {}
        self._feed: list[dict[str, object]] = []

    def handle(self, request: Request) -> Response:
        """Answer a request."""
        with self._lock:
            if request.path == "/entries" and request.method == "POST":
                return self._post(request)
            if request.path == "/entries" and request.method == "GET":
                start, end = request.param("start") or "", request.param("end") or "9999"
                rows = [e for e in self._entries.rows.values() if start <= str(e["date"]) <= end]
                return Response.of_json(200, {"results": rows})
            if request.path == "/bank-movements" and request.method == "GET":
                after = int(request.param("after") or 0)
                limit = int(request.param("limit") or 100)
                rows = self._feed[after : after + limit]
                return Response.of_json(200, {"results": rows, "cursor": str(after + len(rows))})
            return Response.of_json(404, {"error": "no such resource"})

    def _post(self, request: Request) -> Response:
        try:
            data = json.loads(request.body)
        except ValueError:
            return Response.of_json(400, {"error": "the body is not JSON"})
        key = request.header("Idempotency-Key")
        canonical = json.dumps(data, sort_keys=True).encode()
        if key is not None and key in self._keys:
            first_body, first_answer = self._keys[key]
            if first_body != canonical:
                return Response.of_json(409, {"error": f"key {key} was used for another entry"})
            return Response.of_json(200, first_answer, ((REPLAYED_HEADER, "true"),))
        problem = self._problem(data)
        if problem:
            return Response.of_json(422, {"error": problem})
        row = self._entries.insert({**data, "idempotency_key": key})
        answer: dict[str, object] = {"id": row["id"]}
        if key is not None:
            self._keys[key] = (canonical, answer)
        return Response.of_json(201, answer)

    @staticmethod
    def _problem(data: object) -> str:
        if not isinstance(data, dict) or not isinstance(data.get("lines"), list):
            return "an entry needs lines"
        debit = credit = Decimal(0)
        for line in data["lines"]:
            if not isinstance(line, dict):
                return "a line is not an object"
            amounts = (_decimal(line.get("debit")), _decimal(line.get("credit")))
            if amounts[0] is None or amounts[1] is None:
                return "a line has no readable amount"
            debit, credit = debit + amounts[0], credit + amounts[1]
        return "" if debit == credit else "the entry does not balance"

    def entries(self) -> tuple[dict[str, object], ...]:
        """Backdoor: every entry, as stored (amounts exactly as received)."""
        with self._lock:
            return tuple(json.loads(json.dumps(row)) for row in self._entries.rows.values())

    def entries_with_key(self, key: str) -> tuple[dict[str, object], ...]:
        """Backdoor: the entries stored with this idempotency key."""
        return tuple(e for e in self.entries() if e.get("idempotency_key") == key)

    def add_bank_movement(self, transaction_id: str, on: date, amount: Decimal, label: str) -> None:
        """Backdoor: the bank's feed receives a movement (the same one may come twice)."""
        with self._lock:
            self._feed.append(
                {
                    "transaction_id": transaction_id,
                    "date": on.isoformat(),
                    "amount": str(amount),
                    "label": label,
                }
            )


class MemoryLedger:
    """
    An :class:`~alize_adapters.host.backends.AccountingBackend` over a :class:`LedgerTarget`.

    The idempotency key travels as the ``Idempotency-Key`` header and amounts as
    text; bank movements already returned are not returned again.

    Args:
        wire: The link to the target.
        capabilities: What it declares (all accounting capabilities by default).

    .. versionadded:: 0.1.0
    """

    what: Final = "the accounting tool"

    def __init__(
        self, wire: Wire, capabilities: frozenset[Capability] = LEDGER_CAPABILITIES
    ) -> None:
        self.wire = wire
        self.capabilities = capabilities
        self._seen: set[str] = set()

    def post_entry(self, entry: JournalEntry, *, idempotency_key: str) -> PostingReceipt:
        """Post a balanced entry once per key."""
        require_capability(self.capabilities, Capability.POSTING, "accounting backend")
        check_id(idempotency_key, field="idempotency_key")
        body = {
            "journal": entry.journal,
            "date": entry.on.isoformat(),
            "piece": entry.piece,
            "label": entry.label,
            "lines": [
                {
                    "account": line.account,
                    "label": line.label,
                    "debit": str(line.debit),
                    "credit": str(line.credit),
                    "auxiliary": line.auxiliary,
                }
                for line in entry.lines
            ],
        }
        request = Request(
            "POST",
            "/entries",
            headers=(("Idempotency-Key", idempotency_key),),
            body=json_body(body),
        )
        _status, data = exchange(self.wire, request, self.what)
        return PostingReceipt(
            idempotency_key=idempotency_key,
            external_ref=answer_text(data, "id", self.what),
            replayed=data.get("_replayed") is True,
        )

    def read_bank_movements(self, cursor: str | None, limit: int) -> BankMovementPage:
        """The bank movements after ``cursor``, each transaction once."""
        require_capability(self.capabilities, Capability.BANK_MOVEMENTS, "accounting backend")
        check_count(limit, field="limit", minimum=1)
        query = (("after", cursor or "0"), ("limit", str(limit)))
        _status, data = exchange(self.wire, Request("GET", "/bank-movements", query), self.what)
        movements = []
        for row in results_of(data, self.what):
            transaction_id = answer_text(row, "transaction_id", self.what)
            if transaction_id in self._seen:
                continue
            self._seen.add(transaction_id)
            movements.append(
                BankMovement(
                    transaction_id=transaction_id,
                    on=date.fromisoformat(answer_text(row, "date", self.what)),
                    amount=answer_amount(row.get("amount"), self.what),
                    label=answer_text(row, "label", self.what),
                )
            )
        return BankMovementPage(tuple(movements), answer_text(data, "cursor", self.what))

    def export_entries(self, start: date, end: date) -> LedgerExport:
        """The entries dated from ``start`` to ``end`` as a table, one row per line."""
        require_capability(self.capabilities, Capability.EXPORT, "accounting backend")
        query = (("start", start.isoformat()), ("end", end.isoformat()))
        _status, data = exchange(self.wire, Request("GET", "/entries", query), self.what)
        rows = []
        debit = credit = Decimal("0.00")
        for entry in results_of(data, self.what):
            lines = entry.get("lines")
            if not isinstance(lines, list):
                raise AdapterUnavailable(f"{self.what} answered an entry without lines")
            for line in lines:
                line_debit = answer_amount(line.get("debit"), self.what)
                line_credit = answer_amount(line.get("credit"), self.what)
                debit, credit = debit + line_debit, credit + line_credit
                rows.append(
                    (
                        answer_text(entry, "journal", self.what),
                        answer_text(entry, "date", self.what),
                        answer_text(entry, "piece", self.what),
                        answer_text(line, "account", self.what),
                        answer_text(line, "label", self.what),
                        str(line_debit),
                        str(line_credit),
                    )
                )
        return LedgerExport(
            start=start,
            end=end,
            columns=("journal", "date", "piece", "account", "label", "debit", "credit"),
            rows=tuple(rows),
            total_debit=debit,
            total_credit=credit,
        )


class LedgerPostings(EventSpec):
    """
    An adapter that posts the fund's postings to an accounting backend, as alize's books make them.

    It books each ``posting_booked`` notice's posting as it is
    (:meth:`~alize_adapters.host.backends.JournalEntry.of`): the journal, accounts and
    amounts are those of :func:`alize_core.accounting.journal_postings` on the feed's chart
    of accounts, so the accounting tool holds what the FEC export and the accounting
    reports hold (FUND-05). Each entry is posted with the notice's idempotency key, so a
    notice delivered twice is posted once.

    Args:
        ledger: Where to post.

    .. versionadded:: 0.1.0
    """

    def __init__(self, ledger: AccountingBackend) -> None:
        self.ledger = ledger

    @hookimpl
    def alize_on_posting_booked(self, event: PostingBookedNotice) -> None:
        """Post the posting, keyed by the notice."""
        self.ledger.post_entry(
            JournalEntry.of(event.posting), idempotency_key=event.idempotency_key
        )
