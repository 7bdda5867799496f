"""
The CRM and accounting backends over Tryton (*connecteurs Tryton*).

How alize's records live in Tryton (modules ``party_siret``, ``sale_opportunity``,
``project``, ``timesheet``, ``account_fr``, ``account_statement``):

===========================  =================================================================
alize                        Tryton
===========================  =================================================================
SME, partner (SIREN)         ``party.party`` with a ``fr_siren`` identifier (Tryton checks it
                             with python-stdnum); the INSEE commune code as a contact
                             mechanism « Code commune INSEE »
contact (e-mail)             an e-mail contact mechanism of the company's party, named after
                             the person, its comment holding the role
project                      ``sale.opportunity`` whose reference is ``<namespace>:<id>``;
                             description = title, amount = advance, comment = status
mentor time (GOV-08)         a ``timesheet.line`` on the project's ``project.work``
posting (FUND-05)            a posted ``account.move`` on the journal and accounts of the
                             chart, its description ending with the idempotency mark
bank movement                ``account.statement.origin`` of the namespace's statement journal
===========================  =================================================================

Every write is idempotent: a company by its SIREN, a contact by its e-mail, a
project by its reference, an entry by the mark ``[alize:<key hash>:<content
hash>]`` stored in the move's description, so an entry posted again with its
key is found, not duplicated, and the same key with another content is an
:class:`~alize_adapters.host.backends.IdempotencyConflict`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from alize_adapters.connectors.http_client import BackendOptions
from alize_adapters.connectors.tryton.client import TrytonClient
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
    IdempotencyConflict,
    JournalEntry,
    LedgerExport,
    PostingReceipt,
    ProjectPage,
    ProjectRecord,
)
from alize_adapters.host.hookspecs import RegistrationSpec, hookimpl
from alize_adapters.host.payloads import (
    BackendOffer,
    BackendRole,
    BackendSettings,
    Capability,
    RegistrationRequest,
)
from alize_core import InvalidValue, to_money
from alize_core.kernel.validation import check_count, check_id
from alize_core.parties.model import check_siren


__all__ = [
    "CRM_CAPABILITIES",
    "LEDGER_CAPABILITIES",
    "TrytonAdapter",
    "TrytonCrm",
    "TrytonLedger",
    "client_from_settings",
]

CRM_CAPABILITIES: Final = BackendRole.CRM.capabilities
"""What :class:`TrytonCrm` can do."""

LEDGER_CAPABILITIES: Final = BackendRole.ACCOUNTING.capabilities
"""What :class:`TrytonLedger` can do."""

COMMUNE_MECHANISM: Final = "Code commune INSEE"
"""The name of the contact mechanism holding a company's INSEE commune code."""

_EXPORT_COLUMNS: Final = (
    "JournalCode",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "PieceRef",
    "EcritureLib",
    "Debit",
    "Credit",
)


def _require(capabilities: frozenset[Capability], capability: Capability, what: str) -> None:
    if capability not in capabilities:
        msg = f"this Tryton backend was not given the {capability.value!r} capability ({what})"
        raise CapabilityNotSupported(msg, operation=what)


def _namespace(value: object) -> str:
    text = check_id(value, field="namespace")
    if any(char in text for char in ":%_[]"):
        raise InvalidValue("namespace", value, "must not contain : % _ [ or ]")
    return text


class _TrytonBackend:
    """
    What the Tryton backends share: a client working for one company, a namespace, capabilities.

    Args:
        client: A logged-in :class:`TrytonClient`; its calls are given the company's context.
        company: The id of Tryton's company.
        namespace: Sets this programme's records apart from others in the same Tryton.
        capabilities: What the backend is allowed to do.
    """

    def __init__(
        self,
        client: TrytonClient,
        *,
        company: int,
        namespace: str,
        capabilities: frozenset[Capability],
    ) -> None:
        self._client = client.with_context(company=company)
        self._company = check_count(company, field="company", minimum=1)
        self._namespace = _namespace(namespace)
        self._capabilities = capabilities
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r}, namespace={self._namespace!r})"


class TrytonCrm(_TrytonBackend):
    """
    The CRM backend over Tryton: companies, contacts and projects (see the module's table).

    Args:
        client: A logged-in :class:`TrytonClient` whose context names the company.
        company: The id of Tryton's company (``company.company``) that keeps the projects.
        namespace: Sets this programme's projects apart from others in the same Tryton
            (a territory's id, e.g. ``MEUSE``).
        capabilities: What this backend is allowed to do.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        client: TrytonClient,
        *,
        company: int,
        namespace: str = "alize",
        capabilities: frozenset[Capability] = CRM_CAPABILITIES,
    ) -> None:
        super().__init__(client, company=company, namespace=namespace, capabilities=capabilities)

    # -- companies ------------------------------------------------------------------------

    def _party_of(self, siren: str) -> int | None:
        ids = self._client.search(
            "party.identifier",
            [("type", "=", "fr_siren"), ("code_compact", "=", siren)],
            order=[("id", "ASC")],
        )
        if not ids:
            return None
        (row,) = self._client.read("party.identifier", ids[:1], ["party"])
        party = row["party"]
        return party if isinstance(party, int) else None

    def _commune_of(self, party: int) -> tuple[int | None, str | None]:
        rows = self._client.search_read(
            "party.contact_mechanism",
            [("party", "=", party), ("type", "=", "other"), ("name", "=", COMMUNE_MECHANISM)],
            ["value"],
            limit=1,
        )
        if not rows:
            return None, None
        return rows[0]["id"], rows[0]["value"]

    def get_company(self, siren: str) -> CompanyRecord | None:
        """The company with this SIREN, or ``None`` when Tryton has no party with it."""
        _require(self._capabilities, Capability.COMPANIES, "get_company")
        siren = check_siren(siren)
        party = self._party_of(siren)
        if party is None:
            return None
        (row,) = self._client.read("party.party", [party], ["name"])
        _, commune = self._commune_of(party)
        return CompanyRecord(
            siren=siren, name=row["name"], commune=commune or None, external_id=f"party:{party}"
        )

    def upsert_company(self, company: CompanyRecord) -> CompanyRecord:
        """Create or update the party with this SIREN; return it with ``party:<id>``."""
        _require(self._capabilities, Capability.COMPANIES, "upsert_company")
        with self._lock:
            party = self._party_of(company.siren)
            if party is None:
                values: dict[str, object] = {
                    "name": company.name,
                    "identifiers": [["create", [{"type": "fr_siren", "code": company.siren}]]],
                }
                if company.commune:
                    mechanism = {
                        "type": "other",
                        "name": COMMUNE_MECHANISM,
                        "value": company.commune,
                    }
                    values["contact_mechanisms"] = [["create", [mechanism]]]
                (party,) = self._client.create("party.party", [values])
            else:
                self._client.write("party.party", [party], {"name": company.name})
                mechanism_id, commune = self._commune_of(party)
                if company.commune and commune != company.commune:
                    if mechanism_id is None:
                        self._client.create(
                            "party.contact_mechanism",
                            [
                                {
                                    "party": party,
                                    "type": "other",
                                    "name": COMMUNE_MECHANISM,
                                    "value": company.commune,
                                }
                            ],
                        )
                    else:
                        self._client.write(
                            "party.contact_mechanism", [mechanism_id], {"value": company.commune}
                        )
                elif not company.commune and mechanism_id is not None:
                    self._client.delete("party.contact_mechanism", [mechanism_id])
        return attrs.evolve(company, external_id=f"party:{party}")

    def _ensure_party(self, siren: str) -> int:
        party = self._party_of(siren)
        if party is None:
            values = {
                "name": f"SIREN {siren}",
                "identifiers": [["create", [{"type": "fr_siren", "code": siren}]]],
            }
            (party,) = self._client.create("party.party", [values])
        return party

    # -- contacts -------------------------------------------------------------------------

    def upsert_contact(self, contact: ContactRecord) -> ContactRecord:
        """Create or update the e-mail contact (compared without regard to case)."""
        _require(self._capabilities, Capability.CONTACTS, "upsert_contact")
        with self._lock:
            party = self._ensure_party(contact.company_siren)
            rows = self._client.search_read(
                "party.contact_mechanism",
                [("type", "=", "email"), ("value", "ilike", contact.email)],
                ["value"],
                order=[("id", "ASC")],
            )
            same = [row["id"] for row in rows if row["value"].lower() == contact.email.lower()]
            values = {
                "party": party,
                "type": "email",
                "value": contact.email,
                "name": contact.name,
                "comment": contact.role or "",
            }
            if same:
                self._client.write("party.contact_mechanism", same[:1], values)
                if len(same) > 1:
                    self._client.delete("party.contact_mechanism", same[1:])
                mechanism = same[0]
            else:
                (mechanism,) = self._client.create("party.contact_mechanism", [values])
        return attrs.evolve(contact, external_id=f"contact:{mechanism}")

    # -- projects -------------------------------------------------------------------------

    def _reference(self, project_id: str) -> str:
        return f"{self._namespace}:{project_id}"

    def upsert_project(self, project: ProjectRecord) -> ProjectRecord:
        """Create or update the opportunity of this project (reference ``<namespace>:<id>``)."""
        _require(self._capabilities, Capability.PROJECTS, "upsert_project")
        with self._lock:
            party = self._ensure_party(project.sme)
            ids = self._client.search(
                "sale.opportunity", [("reference", "=", self._reference(project.project_id))]
            )
            values: dict[str, object] = {
                "party": party,
                "description": project.title,
                "comment": project.status,
                "amount": project.amount,
            }
            if ids:
                self._client.write("sale.opportunity", ids, values)
                opportunity = ids[0]
            else:
                # Tryton dates the opportunity itself (its start date defaults to its today).
                values.update(reference=self._reference(project.project_id), company=self._company)
                (opportunity,) = self._client.create("sale.opportunity", [values])
        return attrs.evolve(project, external_id=f"opportunity:{opportunity}")

    def list_projects(self, cursor: str | None, limit: int) -> ProjectPage:
        """One page of this namespace's projects, in creation order; the cursor is the last id."""
        _require(self._capabilities, Capability.PROJECTS, "list_projects")
        check_count(limit, field="limit", minimum=1)
        after = _cursor(cursor)
        rows = self._client.search_read(
            "sale.opportunity",
            [("reference", "like", f"{self._namespace}:%"), ("id", ">", after)],
            ["reference", "description", "comment", "amount", "party"],
            limit=limit + 1,
            order=[("id", "ASC")],
        )
        page, more = rows[:limit], len(rows) > limit
        sirens = self._sirens({row["party"] for row in page})
        items = tuple(
            ProjectRecord(
                project_id=row["reference"].split(":", 1)[1],
                sme=sirens[row["party"]],
                title=row["description"],
                status=row["comment"] or "submitted",
                amount=row["amount"],
                external_id=f"opportunity:{row['id']}",
            )
            for row in page
        )
        return ProjectPage(items, str(page[-1]["id"]) if more else None)

    def _sirens(self, parties: Iterable[int]) -> dict[int, str]:
        rows = self._client.search_read(
            "party.identifier",
            [("party", "in", list(parties)), ("type", "=", "fr_siren")],
            ["party", "code_compact"],
        )
        return {row["party"]: row["code_compact"] for row in rows}

    # -- mentor time ------------------------------------------------------------------------

    def record_mentor_time(
        self,
        project_id: str,
        *,
        mentor: str,
        on: date,
        duration: dt.timedelta,
        description: str,
    ) -> str:
        """
        Log a mentor's time on a project as a Tryton timesheet line (GOV-08, ACC-04).

        The mentor is an employee of Tryton's company (created when missing); the
        project's work (``project.work``) is created on first use. Returns the
        timesheet line's id.

        Raises:
            InvalidValue: The duration is not positive.
        """
        _require(self._capabilities, Capability.PROJECTS, "record_mentor_time")
        if duration <= dt.timedelta(0):
            raise InvalidValue("duration", duration, "must be more than zero")
        with self._lock:
            work = self._timesheet_work(project_id)
            employee = self._employee(mentor)
            (line,) = self._client.create(
                "timesheet.line",
                [
                    {
                        "company": self._company,
                        "employee": employee,
                        "work": work,
                        "date": on,
                        "duration": duration,
                        "description": description,
                    }
                ],
            )
        return f"timesheet:{line}"

    def mentor_time(self, project_id: str) -> dt.timedelta:
        """The time logged on a project's work."""
        name = f"[{self._reference(project_id)}]"
        rows = self._client.search_read(
            "project.work", [("name", "=", name)], ["timesheet_duration"], limit=1
        )
        duration = rows[0]["timesheet_duration"] if rows else None
        return duration if isinstance(duration, dt.timedelta) else dt.timedelta(0)

    def _timesheet_work(self, project_id: str) -> int:
        name = f"[{self._reference(project_id)}]"
        rows = self._client.search_read("project.work", [("name", "=", name)], ["timesheet_works"])
        if not rows:
            (work,) = self._client.create(
                "project.work",
                [
                    {
                        "name": name,
                        "type": "project",
                        "company": self._company,
                        "timesheet_available": True,
                    }
                ],
            )
            rows = self._client.read("project.work", [work], ["timesheet_works"])
        works = rows[0]["timesheet_works"]
        if not works:
            raise AdapterUnavailable(f"Tryton gave the work {name} no timesheet work")
        return int(works[0])

    def _employee(self, mentor: str) -> int:
        rows = self._client.search_read(
            "company.employee",
            [("party.name", "=", mentor), ("company", "=", self._company)],
            ["id"],
            limit=1,
        )
        if rows:
            return int(rows[0]["id"])
        (party,) = self._client.create("party.party", [{"name": mentor}])
        (employee,) = self._client.create(
            "company.employee", [{"party": party, "company": self._company}]
        )
        return employee


def _cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    if not (cursor.isascii() and cursor.isdigit()):
        raise InvalidValue("cursor", cursor, "is not a cursor this backend gave")
    return int(cursor)


def _mark(key: str, entry: JournalEntry) -> tuple[str, str]:
    key_hash = hashlib.sha256(key.encode()).hexdigest()[:20]
    content = "|".join(
        [entry.journal, entry.on.isoformat(), entry.piece, entry.label]
        + [
            f"{line.account};{line.label};{line.debit};{line.credit};{line.auxiliary or ''}"
            for line in entry.lines
        ]
    )
    content_hash = hashlib.sha256(content.encode()).hexdigest()[:20]
    return key_hash, content_hash


class TrytonLedger(_TrytonBackend):
    """
    The accounting backend over Tryton: posted moves, bank statement origins, exports.

    Args:
        client: A logged-in :class:`TrytonClient`.
        company: The id of Tryton's company whose books these are.
        namespace: Sets this programme's entries and bank movements apart in Tryton.
        statement_journal: The id of the ``account.statement.journal`` of the fund's
            bank account, for :meth:`read_bank_movements`.
        capabilities: What this backend is allowed to do.

    Journals are found by their code and accounts by their number on the company's
    chart (the operator creates journals ``AV``, ``BQ``…; an account that Tryton
    closes for posting, such as a parent account, is refused by Tryton).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        client: TrytonClient,
        *,
        company: int,
        namespace: str = "alize",
        statement_journal: int | None = None,
        capabilities: frozenset[Capability] = LEDGER_CAPABILITIES,
    ) -> None:
        super().__init__(client, company=company, namespace=namespace, capabilities=capabilities)
        self._statement_journal = statement_journal
        self._journals: dict[str, int] = {}
        self._accounts: dict[str, int] = {}

    def _journal(self, code: str) -> int:
        if code not in self._journals:
            ids = self._client.search("account.journal", [("code", "=", code)], limit=1)
            if not ids:
                msg = f"Tryton has no journal with the code {code!r}; create it first"
                raise AdapterRejected(msg, operation="post_entry")
            self._journals[code] = ids[0]
        return self._journals[code]

    def _account(self, number: str) -> int:
        if number not in self._accounts:
            ids = self._client.search(
                "account.account",
                [("code", "=", number), ("company", "=", self._company)],
                limit=1,
            )
            if not ids:
                msg = f"the chart of accounts in Tryton has no account {number}"
                raise AdapterRejected(msg, operation="post_entry")
            self._accounts[number] = ids[0]
        return self._accounts[number]

    def _parties(self, sirens: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(sirens))
        if not wanted:
            return {}
        rows = self._client.search_read(
            "party.identifier",
            [("type", "=", "fr_siren"), ("code_compact", "in", wanted)],
            ["party", "code_compact"],
        )
        return {row["code_compact"]: row["party"] for row in rows}

    def _move_values(self, entry: JournalEntry, mark: str) -> dict[str, object]:
        periods = self._client.search(
            "account.period",
            [
                ("company", "=", self._company),
                ("start_date", "<=", entry.on),
                ("end_date", ">=", entry.on),
                ("type", "=", "standard"),
            ],
            limit=1,
        )
        if not periods:
            msg = f"Tryton has no open period on {entry.on:%d/%m/%Y}; create the fiscal year"
            raise AdapterRejected(msg, operation="post_entry")
        accounts = {line.account: self._account(line.account) for line in entry.lines}
        required = {
            row["id"]: row["party_required"]
            for row in self._client.read(
                "account.account", list(accounts.values()), ["party_required"]
            )
        }
        parties = self._parties(
            line.auxiliary
            for line in entry.lines
            if line.auxiliary and required.get(accounts[line.account])
        )
        lines = []
        for line in entry.lines:
            values: dict[str, object] = {
                "account": accounts[line.account],
                "debit": line.debit,
                "credit": line.credit,
                "description": line.label,
            }
            if line.auxiliary and required.get(accounts[line.account]):
                party = parties.get(line.auxiliary)
                if party is None:
                    msg = f"Tryton has no party with the SIREN {line.auxiliary}"
                    raise AdapterRejected(msg, operation="post_entry")
                values["party"] = party
            lines.append(values)
        return {
            "company": self._company,
            "journal": self._journal(entry.journal),
            "period": periods[0],
            "date": entry.on,
            "description": f"{entry.piece} · {entry.label} · {mark}",
            "lines": [["create", lines]],
        }

    def post_entry(self, entry: JournalEntry, *, idempotency_key: str) -> PostingReceipt:
        """
        Post a balanced entry once per key, as a posted Tryton move numbered by its sequence.

        The move is created first, then the moves with the key are looked up: when
        an earlier one exists, the new one is deleted and the earlier one returned
        (``replayed=True``), or :class:`IdempotencyConflict` raised when its content
        differs. A post whose answer was lost therefore leaves one move.
        """
        _require(self._capabilities, Capability.POSTING, "post_entry")
        check_id(idempotency_key, field="idempotency_key")
        key_hash, content_hash = _mark(idempotency_key, entry)
        mark = f"[alize:{self._namespace}:{key_hash}:{content_hash}]"
        with self._lock:
            (move,) = self._client.create("account.move", [self._move_values(entry, mark)])
            rows = self._client.search_read(
                "account.move",
                [("description", "like", f"%[alize:{self._namespace}:{key_hash}:%")],
                ["description", "state", "number"],
                order=[("id", "ASC")],
            )
            first: dict[str, Any] = rows[0] if rows else {"id": move, "description": mark}
            kept = int(first["id"])
            if kept != move:
                self._client.delete("account.move", [move])
                if not str(first["description"]).endswith(mark):
                    msg = (
                        f"the key {idempotency_key!r} was already used for another entry"
                        f" (Tryton move {kept})"
                    )
                    raise IdempotencyConflict(msg, operation="post_entry")
            if first.get("state") != "posted":
                self._client.button("account.move", "post", [kept])
            (posted,) = self._client.read("account.move", [kept], ["number"])
        return PostingReceipt(
            idempotency_key=idempotency_key,
            external_ref=f"move:{kept}:{posted['number']}",
            replayed=kept != move,
        )

    def read_bank_movements(self, cursor: str | None, limit: int) -> BankMovementPage:
        """
        The bank lines (statement origins) of the fund's statement journal after ``cursor``.

        A transaction the bank repeats (same number) counts once: a line whose
        number appeared at or before the cursor, or earlier in the page, is skipped.
        """
        _require(self._capabilities, Capability.BANK_MOVEMENTS, "read_bank_movements")
        check_count(limit, field="limit", minimum=1)
        if self._statement_journal is None:
            msg = "no statement journal was configured for the fund's bank account"
            raise AdapterRejected(msg, operation="read_bank_movements")
        after = _cursor(cursor)
        scope = [("statement.journal", "=", self._statement_journal)]
        rows = self._client.search_read(
            "account.statement.origin",
            [*scope, ("id", ">", after)],
            ["number", "date", "amount", "description"],
            limit=limit,
            order=[("id", "ASC")],
        )
        numbers = sorted({row["number"] for row in rows if row["number"]})
        seen = {
            row["number"]
            for row in self._client.search_read(
                "account.statement.origin",
                [*scope, ("id", "<=", after), ("number", "in", numbers)],
                ["number"],
            )
        }
        movements = []
        for row in rows:
            if not row["number"] or row["number"] in seen:
                continue
            seen.add(row["number"])
            movements.append(
                BankMovement(
                    transaction_id=row["number"],
                    on=row["date"],
                    amount=to_money(row["amount"], field="amount", cents=True),
                    label=row["description"] or row["number"],
                )
            )
        last = rows[-1]["id"] if rows else after
        return BankMovementPage(tuple(movements), str(last))

    def export_entries(self, start: date, end: date) -> LedgerExport:
        """This namespace's posted entry lines dated from ``start`` to ``end``, as a table."""
        _require(self._capabilities, Capability.EXPORT, "export_entries")
        if end < start:
            raise InvalidValue("end", end, f"is before the start ({start})")
        lines = self._client.search_read(
            "account.move.line",
            [
                ("move.company", "=", self._company),
                ("move.state", "=", "posted"),
                ("move.date", ">=", start),
                ("move.date", "<=", end),
                ("move.description", "like", f"%[alize:{self._namespace}:%"),
            ],
            ["move", "account", "debit", "credit", "description"],
            order=[("move", "ASC"), ("id", "ASC")],
        )
        moves = {
            row["id"]: row
            for row in self._client.read(
                "account.move",
                sorted({line["move"] for line in lines}),
                ["number", "date", "journal", "description"],
            )
        }
        journals = _codes(self._client, "account.journal", {m["journal"] for m in moves.values()})
        accounts = _codes(self._client, "account.account", {line["account"] for line in lines})
        rows: list[tuple[str, ...]] = []
        debit = credit = Decimal("0.00")
        for line in lines:
            move = moves[line["move"]]
            piece = str(move["description"]).split(" · ", 1)[0]
            rows.append(
                (
                    journals[move["journal"]],
                    str(move["number"]),
                    move["date"].isoformat(),
                    accounts[line["account"]],
                    piece,
                    line["description"] or "",
                    f"{line['debit']:.2f}",
                    f"{line['credit']:.2f}",
                )
            )
            debit += line["debit"]
            credit += line["credit"]
        return LedgerExport(
            start=start,
            end=end,
            columns=_EXPORT_COLUMNS,
            rows=tuple(rows),
            total_debit=debit.quantize(Decimal("0.01")),
            total_credit=credit.quantize(Decimal("0.01")),
        )


def _codes(client: TrytonClient, model: str, ids: set[int]) -> dict[int, str]:
    return {row["id"]: row["code"] for row in client.read(model, sorted(ids), ["code"])}


def client_from_settings(settings: BackendSettings) -> tuple[TrytonClient, int, str]:
    """
    A Tryton client, the company id and the namespace, from a backend's options.

    Options: ``url``, ``database``, ``login``, ``company`` (an id), ``namespace``,
    and ``password_env``: the name of the environment variable that holds the
    password (``ALIZE_TRYTON_PASSWORD`` by default), so the password never sits in
    a configuration file.

    Raises:
        InvalidValue: An option is missing or wrong, or the variable is not set.

    .. versionadded:: 0.1.0
    """
    option = BackendOptions(settings, "Tryton")
    password = option.password("ALIZE_TRYTON_PASSWORD")
    company = option("company", "1")
    if not (company.isascii() and company.isdigit()):
        raise InvalidValue("company", company, "must be the id of Tryton's company")
    client = TrytonClient(option("url"), option("database"), option("login", "admin"), password)
    return client, int(company), option("namespace", "alize")


class TrytonAdapter(RegistrationSpec):
    """
    The adapter that offers the ``tryton`` CRM and accounting backends.

    .. versionadded:: 0.1.0
    """

    @staticmethod
    def _crm(settings: BackendSettings) -> CrmBackend:
        client, company, namespace = client_from_settings(settings)
        return TrytonCrm(client, company=company, namespace=namespace)

    @staticmethod
    def _ledger(settings: BackendSettings) -> AccountingBackend:
        client, company, namespace = client_from_settings(settings)
        journal = settings.option("statement_journal")
        return TrytonLedger(
            client,
            company=company,
            namespace=namespace,
            statement_journal=int(journal)
            if journal and journal.isascii() and journal.isdigit()
            else None,
        )

    @hookimpl
    def alize_crm_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[CrmBackend]]:
        """Offer the Tryton CRM."""
        return (
            BackendOffer(
                BackendRole.CRM, "tryton", self._crm, CRM_CAPABILITIES, "Tryton over JSON-RPC"
            ),
        )

    @hookimpl
    def alize_accounting_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[AccountingBackend]]:
        """Offer the Tryton accounting backend."""
        return (
            BackendOffer(
                BackendRole.ACCOUNTING,
                "tryton",
                self._ledger,
                LEDGER_CAPABILITIES,
                "Tryton (account_fr) over JSON-RPC",
            ),
        )
