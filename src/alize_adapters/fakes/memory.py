"""
In-memory reference backends (*connecteurs de référence en mémoire*): real behaviour, no server.

They serve three purposes: test doubles for embedding applications, the demo,
and the proof that the conformance suite (:mod:`alize_adapters.testing`) can be
passed. They behave like adapters of remote tools because they are built like
them: each backend talks to a **target** (an in-process CRM or accounting tool
that knows nothing of alize) through a :class:`Wire` that carries JSON requests
and answers, and on which faults can be injected (timeout, 429 with
``Retry-After``, 500, reset after processing, malformed body, refusal). A test
can read the target directly, without the backend: the *backdoor* the
conformance suite uses to check what really happened.

- :class:`MemoryCrm` over a :class:`CrmTarget` (companies by SIREN, contacts by
  e-mail, projects paged in a stable order);
- :class:`MemoryLedger` over a :class:`LedgerTarget`, which honours an
  ``Idempotency-Key`` header the way payment APIs do (same key, same entry:
  replayed; same key, other entry: conflict); amounts travel as text (SCH-01);
- :class:`MemoryDocuments` and :class:`MemoryNotifications`, kept in memory;
- adapters: :class:`MemoryBackends` offers all four as backends named
  ``memory``; :class:`LedgerPostings` posts each posting of the fund's books, as
  the core's mapping makes it (FUND-05); :class:`EventRecorder` records every event.

>>> from datetime import date
>>> from decimal import Decimal
>>> from alize_adapters.host.backends import EntryLine, JournalEntry
>>> target = LedgerTarget()
>>> ledger = MemoryLedger(Wire(target.handle))
>>> entry = JournalEntry(journal="AV", on=date(2026, 4, 2), piece="AV-7", label="Avance AV-7",
...     lines=(EntryLine(account="2748", label="Avance AV-7", debit=Decimal("25000.00")),
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
alize_adapters.host.backends.AdapterUnavailable: the accounting tool asked to slow down (HTTP 429); retry after 30 s

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import collections
import itertools
import json
import threading
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Final

import attrs

from alize_adapters.host.backends import (
    AccountingBackend,
    AdapterRejected,
    AdapterUnavailable,
    BankMovement,
    BankMovementPage,
    CapabilityNotSupported,
    CompanyRecord,
    ContactRecord,
    CrmBackend,
    DocumentBackend,
    DocumentReceipt,
    Fault,
    IdempotencyConflict,
    JournalEntry,
    LedgerExport,
    Notification,
    NotificationBackend,
    NotificationReceipt,
    PostingReceipt,
    ProjectPage,
    ProjectRecord,
)
from alize_adapters.host.hookspecs import EventSpec, RegistrationSpec, hookimpl
from alize_adapters.host.payloads import (
    AdvanceDefaultedNotice,
    AdvanceDisbursedNotice,
    AdvanceWrittenOffNotice,
    AgreementSignedNotice,
    BackendOffer,
    BackendRole,
    BackendSettings,
    CallForFundsIssuedNotice,
    Capability,
    EventNotice,
    PostingBookedNotice,
    ProjectDecidedNotice,
    RegistrationRequest,
    RenderedDocument,
    RepaymentReceivedNotice,
)
from alize_core import InvalidValue, to_money
from alize_core.kernel.validation import check_count, check_id
from alize_core.parties.model import check_siren


__all__ = [
    "CRM_CAPABILITIES",
    "LEDGER_CAPABILITIES",
    "CrmTarget",
    "EventRecorder",
    "LedgerPostings",
    "LedgerTarget",
    "MemoryBackends",
    "MemoryCrm",
    "MemoryDocuments",
    "MemoryLedger",
    "MemoryNotifications",
    "Request",
    "Response",
    "Wire",
]

CRM_CAPABILITIES: Final = BackendRole.CRM.capabilities
"""Everything a CRM backend may declare."""

LEDGER_CAPABILITIES: Final = BackendRole.ACCOUNTING.capabilities
"""Everything an accounting backend may declare."""

_REPLAYED: Final = "Idempotent-Replayed"


# -- the wire -----------------------------------------------------------------------


@attrs.frozen
class Request:
    """
    A request on a :class:`Wire`, shaped like an HTTP request.

    Attributes:
        method: ``GET``, ``POST`` or ``PATCH``.
        path: The resource, e.g. ``/companies``.
        query: The query parameters, as ``(name, text)`` pairs.
        headers: The headers, as ``(name, text)`` pairs.
        body: The JSON body.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def param(self, name: str) -> str | None:
        """A query parameter, or ``None``."""
        return dict(self.query).get(name)

    def header(self, name: str) -> str | None:
        """A header (the name compared without regard to case), or ``None``."""
        return {k.lower(): v for k, v in self.headers}.get(name.lower())


@attrs.frozen
class Response:
    """
    An answer on a :class:`Wire`.

    Attributes:
        status: The HTTP status code.
        body: The JSON body.
        headers: The headers, as ``(name, text)`` pairs.
    """

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        """A header (the name compared without regard to case), or ``None``."""
        return {k.lower(): v for k, v in self.headers}.get(name.lower())


def _json(status: int, data: object, headers: tuple[tuple[str, str], ...] = ()) -> Response:
    return Response(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), headers)


class Wire:
    """
    An in-process link to a target, on which faults can be injected (*liaison simulée*).

    Each injected fault applies to one later request, in the order injected.

    Args:
        handler: The target's request handler.

    Attributes:
        delivered: How many requests reached the target.
    """

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self._handler = handler
        self._faults: collections.deque[tuple[Fault, int]] = collections.deque()
        self._lock = threading.Lock()
        self.delivered = 0

    def inject(self, fault: Fault, *, retry_after: int = 30, times: int = 1) -> None:
        """
        Make the next requests fail this way.

        Args:
            fault: The fault.
            retry_after: The seconds a 429 answer asks to wait.
            times: How many requests in a row show the fault.
        """
        check_count(retry_after, field="retry_after")
        check_count(times, field="times", minimum=1)
        with self._lock:
            self._faults.extend([(Fault(fault), retry_after)] * times)

    @property
    def pending_faults(self) -> int:
        """How many injected faults are still to come."""
        return len(self._faults)

    def send(self, request: Request) -> Response:
        """
        Carry a request to the target and its answer back, unless a fault intervenes.

        Raises:
            TimeoutError: A timeout fault (the target never saw the request).
            ConnectionResetError: A reset fault (the target processed the request).
        """
        with self._lock:
            fault, retry_after = self._faults.popleft() if self._faults else (None, 0)
        if fault is Fault.TIMEOUT:
            raise TimeoutError("no answer within the deadline")
        if fault is Fault.RATE_LIMITED:
            return _json(429, {"error": "too many requests"}, (("Retry-After", str(retry_after)),))
        if fault is Fault.SERVER_ERROR:
            return _json(500, {"error": "internal server error"})
        if fault is Fault.REJECTED:
            return _json(422, {"error": "refused by the target's own checks"})
        response = self._handler(request)
        with self._lock:
            self.delivered += 1
        if fault is Fault.RESET:
            raise ConnectionResetError("connection reset by peer")
        if fault is Fault.MALFORMED_BODY:
            return Response(response.status, response.body[: len(response.body) // 2] + b"\x00")
        return response


def _exchange(wire: Wire, request: Request, what: str) -> tuple[int, dict[str, object]]:
    """Send a request and classify what happens (see the table in :mod:`.backends`)."""
    try:
        response = wire.send(request)
    except TimeoutError:
        raise AdapterUnavailable(f"{what} did not answer in time") from None
    except ConnectionError as exc:
        raise AdapterUnavailable(f"the connection to {what} was lost ({exc})") from None
    status = response.status
    if status == 429:
        header = response.header("Retry-After")
        retry_after = int(header) if header and header.isascii() and header.isdigit() else None
        raise AdapterUnavailable(f"{what} asked to slow down (HTTP 429)", retry_after=retry_after)
    if status >= 500:
        raise AdapterUnavailable(f"{what} failed (HTTP {status})")
    try:
        data = json.loads(response.body)
    except ValueError:
        raise AdapterUnavailable(f"{what} answered with a body that cannot be read") from None
    if not isinstance(data, dict):
        raise AdapterUnavailable(f"{what} answered with a body that cannot be read")
    if status == 409:
        raise IdempotencyConflict(f"{what}: {data.get('error', 'conflict')}")
    if 400 <= status < 500 and status != 404:
        raise AdapterRejected(f"{what} refused the request (HTTP {status}): {data.get('error')}")
    if response.header(_REPLAYED) == "true":
        data["_replayed"] = True
    return status, data


def _text(data: Mapping[str, object], key: str, what: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise AdapterUnavailable(f"{what} answered without a readable {key!r}")
    return value


def _optional_text(data: Mapping[str, object], key: str) -> str | None:
    value = data.get(key)
    return value if isinstance(value, str) and value else None


def _results(data: Mapping[str, object], what: str) -> list[dict[str, object]]:
    results = data.get("results")
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise AdapterUnavailable(f"{what} answered without a readable list of results")
    return results


def _body(data: Mapping[str, object]) -> bytes:
    return json.dumps(dict(data), ensure_ascii=False).encode("utf-8")


def _require(capabilities: frozenset[Capability], capability: Capability, what: str) -> None:
    if capability not in capabilities:
        raise CapabilityNotSupported(
            f"this {what} does not declare the {capability.value!r} capability"
        )


# -- the CRM ------------------------------------------------------------------------


class _Table:
    """Rows of a target, keyed by an id the target makes up (``prefix-000001``)."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.rows: dict[str, dict[str, object]] = {}
        self._numbers = itertools.count(1)

    def insert(self, data: dict[str, object]) -> dict[str, object]:
        row = {**data, "id": f"{self.prefix}-{next(self._numbers):06d}"}
        self.rows[str(row["id"])] = row
        return row


class CrmTarget:
    """
    An in-process CRM that knows nothing of alize: it creates a record on every POST.

    It answers ``GET/POST /companies``, ``PATCH /companies/<id>``, the same for
    ``/contacts`` (searched by ``email``) and ``/projects`` (searched by
    ``alize_id``, or paged with ``after`` and ``limit``). Its methods
    ``company_names``, ``contact_names`` and ``project_titles`` are the backdoor
    (a :class:`~alize_adapters.testing.CrmInspector`): they read its records
    without a backend.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tables = {
            "companies": _Table("cmp"),
            "contacts": _Table("cnt"),
            "projects": _Table("prj"),
        }
        self._required = {
            "companies": ("siren", "name"),
            "contacts": ("email", "name", "company_siren"),
            "projects": ("alize_id", "siren", "title", "status"),
        }

    def handle(self, request: Request) -> Response:
        """Answer a request."""
        with self._lock:
            return self._handle(request)

    def _handle(self, request: Request) -> Response:
        parts = request.path.strip("/").split("/")
        table = self._tables.get(parts[0])
        if table is None or len(parts) > 2:
            return _json(404, {"error": "no such resource"})
        if request.method == "GET" and len(parts) == 1:
            return self._search(parts[0], table, request)
        try:
            data = json.loads(request.body)
        except ValueError:
            return _json(400, {"error": "the body is not JSON"})
        if not isinstance(data, dict):
            return _json(400, {"error": "the body is not an object"})
        if request.method == "POST" and len(parts) == 1:
            missing = [k for k in self._required[parts[0]] if not data.get(k)]
            if missing:
                return _json(422, {"error": f"missing {', '.join(missing)}"})
            return _json(201, table.insert(data))
        if request.method == "PATCH" and len(parts) == 2 and parts[1] in table.rows:
            table.rows[parts[1]].update({k: v for k, v in data.items() if k != "id"})
            return _json(200, table.rows[parts[1]])
        return _json(404, {"error": "no such record"})

    def _search(self, name: str, table: _Table, request: Request) -> Response:
        rows = sorted(table.rows.values(), key=lambda row: str(row["id"]))
        for key in ("siren", "alize_id"):
            if request.param(key) is not None:
                rows = [row for row in rows if row.get(key) == request.param(key)]
        email = request.param("email")
        if email is not None:
            rows = [row for row in rows if str(row.get("email", "")).lower() == email.lower()]
        after = request.param("after")
        if after:
            rows = [row for row in rows if str(row["id"]) > after]
        limit = request.param("limit")
        next_cursor = None
        if limit is not None and limit.isascii() and limit.isdigit() and len(rows) > int(limit):
            rows = rows[: int(limit)]
            next_cursor = rows[-1]["id"]
        return _json(200, {"results": rows, "next": next_cursor})

    def company_names(self, siren: str) -> tuple[str, ...]:
        """Backdoor: the names of the CRM's company records with this SIREN, one per record."""
        return tuple(str(row.get("name")) for row in self._select("companies", "siren", siren))

    def contact_names(self, email: str) -> tuple[str, ...]:
        """Backdoor: the names of the CRM's contacts with this e-mail (in any case)."""
        with self._lock:
            rows = self._tables["contacts"].rows.values()
            wanted = email.lower()
            return tuple(
                str(row.get("name")) for row in rows if str(row.get("email", "")).lower() == wanted
            )

    def project_titles(self, project_id: str) -> tuple[str, ...]:
        """Backdoor: the titles of the CRM's projects for this alize project id."""
        return tuple(
            str(row.get("title")) for row in self._select("projects", "alize_id", project_id)
        )

    def add_project(self, project_id: str, siren: str, title: str, status: str) -> None:
        """Backdoor: create a project directly in the CRM (as its users would)."""
        with self._lock:
            self._tables["projects"].insert(
                {"alize_id": project_id, "siren": siren, "title": title, "status": status}
            )

    def _select(self, table: str, key: str, value: str) -> tuple[dict[str, object], ...]:
        with self._lock:
            rows = self._tables[table].rows.values()
            return tuple(dict(row) for row in rows if row.get(key) == value)


class MemoryCrm:
    """
    A :class:`~alize_adapters.host.backends.CrmBackend` over a :class:`CrmTarget` reached by a :class:`Wire`.

    Upserts search the target first (by SIREN, e-mail or project id), then update
    or create, so a repeated upsert leaves one record.

    Args:
        wire: The link to the target.
        capabilities: What it declares (all CRM capabilities by default).

    .. versionadded:: 0.1.0
    """

    what: Final = "the CRM"

    def __init__(self, wire: Wire, capabilities: frozenset[Capability] = CRM_CAPABILITIES) -> None:
        self.wire = wire
        self.capabilities = capabilities

    def _find(self, table: str, key: str, value: str) -> dict[str, object] | None:
        _status, data = _exchange(
            self.wire, Request("GET", f"/{table}", ((key, value),)), self.what
        )
        results = _results(data, self.what)
        return results[0] if results else None

    def _upsert(
        self, table: str, key: str, value: str, body: dict[str, object]
    ) -> dict[str, object]:
        found = self._find(table, key, value)
        if found is None:
            _status, data = _exchange(
                self.wire, Request("POST", f"/{table}", body=_body(body)), self.what
            )
        else:
            path = f"/{table}/{_text(found, 'id', self.what)}"
            _status, data = _exchange(
                self.wire, Request("PATCH", path, body=_body(body)), self.what
            )
        return data

    def get_company(self, siren: str) -> CompanyRecord | None:
        """The company with this SIREN, or ``None``."""
        _require(self.capabilities, Capability.COMPANIES, "CRM")
        found = self._find("companies", "siren", check_siren(siren))
        return None if found is None else self._company(found)

    def _company(self, data: Mapping[str, object]) -> CompanyRecord:
        return CompanyRecord(
            siren=_text(data, "siren", self.what),
            name=_text(data, "name", self.what),
            commune=_optional_text(data, "commune"),
            external_id=_text(data, "id", self.what),
        )

    def upsert_company(self, company: CompanyRecord) -> CompanyRecord:
        """Create or update the company with this SIREN."""
        _require(self.capabilities, Capability.COMPANIES, "CRM")
        body: dict[str, object] = {"siren": company.siren, "name": company.name}
        if company.commune is not None:
            body["commune"] = company.commune
        return self._company(self._upsert("companies", "siren", company.siren, body))

    def upsert_contact(self, contact: ContactRecord) -> ContactRecord:
        """Create or update the contact with this e-mail."""
        _require(self.capabilities, Capability.CONTACTS, "CRM")
        body: dict[str, object] = {
            "email": contact.email,
            "name": contact.name,
            "company_siren": contact.company_siren,
            "role": contact.role,
        }
        data = self._upsert("contacts", "email", contact.email, body)
        return ContactRecord(
            email=_text(data, "email", self.what),
            name=_text(data, "name", self.what),
            company_siren=_text(data, "company_siren", self.what),
            role=_optional_text(data, "role"),
            external_id=_text(data, "id", self.what),
        )

    def _project(self, data: Mapping[str, object]) -> ProjectRecord:
        amount = data.get("amount")
        return ProjectRecord(
            project_id=_text(data, "alize_id", self.what),
            sme=_text(data, "siren", self.what),
            title=_text(data, "title", self.what),
            status=_text(data, "status", self.what),
            amount=None if amount is None else _amount(amount, self.what),
            external_id=_text(data, "id", self.what),
        )

    def upsert_project(self, project: ProjectRecord) -> ProjectRecord:
        """Create or update the project with this id."""
        _require(self.capabilities, Capability.PROJECTS, "CRM")
        body: dict[str, object] = {
            "alize_id": project.project_id,
            "siren": project.sme,
            "title": project.title,
            "status": project.status,
            "amount": None if project.amount is None else str(project.amount),
        }
        return self._project(self._upsert("projects", "alize_id", project.project_id, body))

    def list_projects(self, cursor: str | None, limit: int) -> ProjectPage:
        """One page of projects, in the CRM's creation order."""
        _require(self.capabilities, Capability.PROJECTS, "CRM")
        check_count(limit, field="limit", minimum=1)
        query = [("limit", str(limit))] + ([("after", cursor)] if cursor else [])
        _status, data = _exchange(self.wire, Request("GET", "/projects", tuple(query)), self.what)
        items = tuple(self._project(row) for row in _results(data, self.what))
        next_cursor = data.get("next")
        return ProjectPage(items, next_cursor if isinstance(next_cursor, str) else None)


def _amount(value: object, what: str) -> Decimal:
    if not isinstance(value, str):
        raise AdapterUnavailable(f"{what} answered with an amount that is not text: {value!r}")
    try:
        return to_money(value, field="amount")
    except InvalidValue:
        raise AdapterUnavailable(f"{what} answered with an unreadable amount {value!r}") from None


# -- the accounting tool --------------------------------------------------------------


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
        self._entries = _Table("ent")
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
                return _json(200, {"results": rows})
            if request.path == "/bank-movements" and request.method == "GET":
                after = int(request.param("after") or 0)
                limit = int(request.param("limit") or 100)
                rows = self._feed[after : after + limit]
                return _json(200, {"results": rows, "cursor": str(after + len(rows))})
            return _json(404, {"error": "no such resource"})

    def _post(self, request: Request) -> Response:
        try:
            data = json.loads(request.body)
        except ValueError:
            return _json(400, {"error": "the body is not JSON"})
        key = request.header("Idempotency-Key")
        canonical = json.dumps(data, sort_keys=True).encode()
        if key is not None and key in self._keys:
            first_body, first_answer = self._keys[key]
            if first_body != canonical:
                return _json(409, {"error": f"key {key} was used for another entry"})
            return _json(200, first_answer, ((_REPLAYED, "true"),))
        problem = self._problem(data)
        if problem:
            return _json(422, {"error": problem})
        row = self._entries.insert({**data, "idempotency_key": key})
        answer: dict[str, object] = {"id": row["id"]}
        if key is not None:
            self._keys[key] = (canonical, answer)
        return _json(201, answer)

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
        _require(self.capabilities, Capability.POSTING, "accounting backend")
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
            "POST", "/entries", headers=(("Idempotency-Key", idempotency_key),), body=_body(body)
        )
        _status, data = _exchange(self.wire, request, self.what)
        return PostingReceipt(
            idempotency_key=idempotency_key,
            external_ref=_text(data, "id", self.what),
            replayed=data.get("_replayed") is True,
        )

    def read_bank_movements(self, cursor: str | None, limit: int) -> BankMovementPage:
        """The bank movements after ``cursor``, each transaction once."""
        _require(self.capabilities, Capability.BANK_MOVEMENTS, "accounting backend")
        check_count(limit, field="limit", minimum=1)
        query = (("after", cursor or "0"), ("limit", str(limit)))
        _status, data = _exchange(self.wire, Request("GET", "/bank-movements", query), self.what)
        movements = []
        for row in _results(data, self.what):
            transaction_id = _text(row, "transaction_id", self.what)
            if transaction_id in self._seen:
                continue
            self._seen.add(transaction_id)
            movements.append(
                BankMovement(
                    transaction_id=transaction_id,
                    on=date.fromisoformat(_text(row, "date", self.what)),
                    amount=_amount(row.get("amount"), self.what),
                    label=_text(row, "label", self.what),
                )
            )
        return BankMovementPage(tuple(movements), _text(data, "cursor", self.what))

    def export_entries(self, start: date, end: date) -> LedgerExport:
        """The entries dated from ``start`` to ``end`` as a table, one row per line."""
        _require(self.capabilities, Capability.EXPORT, "accounting backend")
        query = (("start", start.isoformat()), ("end", end.isoformat()))
        _status, data = _exchange(self.wire, Request("GET", "/entries", query), self.what)
        rows = []
        debit = credit = Decimal("0.00")
        for entry in _results(data, self.what):
            lines = entry.get("lines")
            if not isinstance(lines, list):
                raise AdapterUnavailable(f"{self.what} answered an entry without lines")
            for line in lines:
                line_debit = _amount(line.get("debit"), self.what)
                line_credit = _amount(line.get("credit"), self.what)
                debit, credit = debit + line_debit, credit + line_credit
                rows.append(
                    (
                        _text(entry, "journal", self.what),
                        _text(entry, "date", self.what),
                        _text(entry, "piece", self.what),
                        _text(line, "account", self.what),
                        _text(line, "label", self.what),
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


# -- documents and notifications ---------------------------------------------------------


class MemoryDocuments:
    """
    A :class:`~alize_adapters.host.backends.DocumentBackend` kept in memory.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self._by_key: dict[str, str] = {}
        self._documents: dict[str, RenderedDocument] = {}

    def store_document(self, document: RenderedDocument, *, key: str) -> DocumentReceipt:
        """Keep a document under a key; the same key again keeps the first one."""
        check_id(key, field="key")
        if key in self._by_key:
            return DocumentReceipt(key=key, external_id=self._by_key[key], replayed=True)
        external_id = f"doc-{len(self._documents) + 1:06d}"
        self._by_key[key] = external_id
        self._documents[external_id] = document
        return DocumentReceipt(key=key, external_id=external_id, replayed=False)

    def fetch_document(self, external_id: str) -> RenderedDocument | None:
        """The document stored with this id, or ``None``."""
        return self._documents.get(external_id)


class MemoryNotifications:
    """
    A :class:`~alize_adapters.host.backends.NotificationBackend` that keeps what it sends.

    Attributes:
        sent: The messages sent, in order, each with its key.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self.sent: list[tuple[str, Notification]] = []

    def send(self, notification: Notification, *, idempotency_key: str) -> NotificationReceipt:
        """Send a message once per key."""
        check_id(idempotency_key, field="idempotency_key")
        for number, (key, _message) in enumerate(self.sent, start=1):
            if key == idempotency_key:
                return NotificationReceipt(
                    idempotency_key=key, external_id=f"msg-{number:06d}", replayed=True
                )
        self.sent.append((idempotency_key, notification))
        return NotificationReceipt(
            idempotency_key=idempotency_key,
            external_id=f"msg-{len(self.sent):06d}",
            replayed=False,
        )


# -- adapters -----------------------------------------------------------------------


class MemoryBackends(RegistrationSpec):
    """
    An adapter offering the in-memory backends, each named ``memory``, for every role.

    Its targets are attributes, so a test or the demo can read them directly.

    Attributes:
        crm_target: The CRM behind the CRM backend.
        crm_wire: The link to it.
        ledger_target: The accounting tool behind the accounting backend.
        ledger_wire: The link to it.
        documents: The document store.
        notifications: The messaging backend.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self.crm_target = CrmTarget()
        self.crm_wire = Wire(self.crm_target.handle)
        self.ledger_target = LedgerTarget()
        self.ledger_wire = Wire(self.ledger_target.handle)
        self.documents = MemoryDocuments()
        self.notifications = MemoryNotifications()

    def _crm(self, _settings: BackendSettings) -> MemoryCrm:
        return MemoryCrm(self.crm_wire)

    def _ledger(self, _settings: BackendSettings) -> MemoryLedger:
        return MemoryLedger(self.ledger_wire)

    def _documents(self, _settings: BackendSettings) -> MemoryDocuments:
        return self.documents

    def _notifications(self, _settings: BackendSettings) -> MemoryNotifications:
        return self.notifications

    @hookimpl
    def alize_crm_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[CrmBackend]]:
        """Offer the in-memory CRM."""
        description = "in-memory CRM (tests and demo)"
        return (BackendOffer(BackendRole.CRM, "memory", self._crm, CRM_CAPABILITIES, description),)

    @hookimpl
    def alize_accounting_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[AccountingBackend]]:
        """Offer the in-memory accounting tool."""
        return (
            BackendOffer(
                BackendRole.ACCOUNTING,
                "memory",
                self._ledger,
                LEDGER_CAPABILITIES,
                "in-memory accounting tool (tests and demo)",
            ),
        )

    @hookimpl
    def alize_document_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[DocumentBackend]]:
        """Offer the in-memory document store."""
        capabilities = frozenset({Capability.STORE})
        description = "in-memory document store (tests and demo)"
        return (
            BackendOffer(
                BackendRole.DOCUMENTS, "memory", self._documents, capabilities, description
            ),
        )

    @hookimpl
    def alize_notification_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[NotificationBackend]]:
        """Offer the in-memory messaging backend."""
        return (
            BackendOffer(
                BackendRole.NOTIFICATIONS,
                "memory",
                self._notifications,
                frozenset({Capability.SEND}),
                "in-memory messages (tests and demo)",
            ),
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


class EventRecorder(EventSpec):
    """
    An adapter that records every event it receives, in order (a test double and a demo aid).

    Attributes:
        received: The events received, in order, repeats included.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self.received: list[EventNotice] = []

    def count(self, event_id: str) -> int:
        """How many times the event with this id was received."""
        return sum(1 for event in self.received if event.event_id == event_id)

    @hookimpl
    def alize_on_project_decided(self, event: ProjectDecidedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_agreement_signed(self, event: AgreementSignedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_repayment_received(self, event: RepaymentReceivedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_advance_defaulted(self, event: AdvanceDefaultedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_advance_written_off(self, event: AdvanceWrittenOffNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_call_for_funds_issued(self, event: CallForFundsIssuedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_posting_booked(self, event: PostingBookedNotice) -> None:
        """Record the event."""
        self.received.append(event)
