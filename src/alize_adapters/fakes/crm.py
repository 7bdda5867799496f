"""
The in-memory CRM (*CRM en mémoire*): a target and the backend that reaches it.

:class:`CrmTarget` is an in-process CRM that knows nothing of alize (companies by
SIREN, contacts by e-mail, projects paged in a stable order); :class:`MemoryCrm` is the
:class:`~alize_adapters.host.backends.CrmBackend` that reaches it through a
:class:`~alize_adapters.fakes.wire.Wire`, upserting by search then update or create.

>>> target = CrmTarget()
>>> crm = MemoryCrm(Wire(target.handle))
>>> from alize_adapters.host.backends import CompanyRecord
>>> first = crm.upsert_company(CompanyRecord(siren="555012343", name="Usinage Meusien"))
>>> again = crm.upsert_company(CompanyRecord(siren="555012343", name="Usinage Meusien SA"))
>>> first.external_id == again.external_id, target.company_names("555012343")
(True, ('Usinage Meusien SA',))

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping
from typing import Final

from alize_adapters.fakes._http import (
    Table,
    answer_amount,
    answer_text,
    exchange,
    json_body,
    optional_text,
    require_capability,
    results_of,
)
from alize_adapters.fakes.wire import Request, Response, Wire
from alize_adapters.host.backends import (
    CompanyRecord,
    ContactRecord,
    ProjectPage,
    ProjectRecord,
)
from alize_adapters.host.payloads import (
    BackendRole,
    Capability,
)
from alize_core.kernel.validation import check_count
from alize_core.parties.model import check_siren


__all__ = [
    "CRM_CAPABILITIES",
    "CrmTarget",
    "MemoryCrm",
]


CRM_CAPABILITIES: Final = BackendRole.CRM.capabilities
"""Everything a CRM backend may declare."""


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
            "companies": Table("cmp"),
            "contacts": Table("cnt"),
            "projects": Table("prj"),
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
            return Response.of_json(404, {"error": "no such resource"})
        if request.method == "GET" and len(parts) == 1:
            return self._search(parts[0], table, request)
        try:
            data = json.loads(request.body)
        except ValueError:
            return Response.of_json(400, {"error": "the body is not JSON"})
        if not isinstance(data, dict):
            return Response.of_json(400, {"error": "the body is not an object"})
        if request.method == "POST" and len(parts) == 1:
            missing = [k for k in self._required[parts[0]] if not data.get(k)]
            if missing:
                return Response.of_json(422, {"error": f"missing {', '.join(missing)}"})
            return Response.of_json(201, table.insert(data))
        if request.method == "PATCH" and len(parts) == 2 and parts[1] in table.rows:
            table.rows[parts[1]].update({k: v for k, v in data.items() if k != "id"})
            return Response.of_json(200, table.rows[parts[1]])
        return Response.of_json(404, {"error": "no such record"})

    def _search(self, name: str, table: Table, request: Request) -> Response:
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
        return Response.of_json(200, {"results": rows, "next": next_cursor})

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
    A :class:`~alize_adapters.host.backends.CrmBackend` over a :class:`CrmTarget` reached by a :class:`~alize_adapters.fakes.wire.Wire`.

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
        _status, data = exchange(self.wire, Request("GET", f"/{table}", ((key, value),)), self.what)
        results = results_of(data, self.what)
        return results[0] if results else None

    def _upsert(
        self, table: str, key: str, value: str, body: dict[str, object]
    ) -> dict[str, object]:
        found = self._find(table, key, value)
        if found is None:
            _status, data = exchange(
                self.wire, Request("POST", f"/{table}", body=json_body(body)), self.what
            )
        else:
            path = f"/{table}/{answer_text(found, 'id', self.what)}"
            _status, data = exchange(
                self.wire, Request("PATCH", path, body=json_body(body)), self.what
            )
        return data

    def get_company(self, siren: str) -> CompanyRecord | None:
        """The company with this SIREN, or ``None``."""
        require_capability(self.capabilities, Capability.COMPANIES, "CRM")
        found = self._find("companies", "siren", check_siren(siren))
        return None if found is None else self._company(found)

    def _company(self, data: Mapping[str, object]) -> CompanyRecord:
        return CompanyRecord(
            siren=answer_text(data, "siren", self.what),
            name=answer_text(data, "name", self.what),
            commune=optional_text(data, "commune"),
            external_id=answer_text(data, "id", self.what),
        )

    def upsert_company(self, company: CompanyRecord) -> CompanyRecord:
        """Create or update the company with this SIREN."""
        require_capability(self.capabilities, Capability.COMPANIES, "CRM")
        body: dict[str, object] = {"siren": company.siren, "name": company.name}
        if company.commune is not None:
            body["commune"] = company.commune
        return self._company(self._upsert("companies", "siren", company.siren, body))

    def upsert_contact(self, contact: ContactRecord) -> ContactRecord:
        """Create or update the contact with this e-mail."""
        require_capability(self.capabilities, Capability.CONTACTS, "CRM")
        body: dict[str, object] = {
            "email": contact.email,
            "name": contact.name,
            "company_siren": contact.company_siren,
            "role": contact.role,
        }
        data = self._upsert("contacts", "email", contact.email, body)
        return ContactRecord(
            email=answer_text(data, "email", self.what),
            name=answer_text(data, "name", self.what),
            company_siren=answer_text(data, "company_siren", self.what),
            role=optional_text(data, "role"),
            external_id=answer_text(data, "id", self.what),
        )

    def _project(self, data: Mapping[str, object]) -> ProjectRecord:
        amount = data.get("amount")
        return ProjectRecord(
            project_id=answer_text(data, "alize_id", self.what),
            sme=answer_text(data, "siren", self.what),
            title=answer_text(data, "title", self.what),
            status=answer_text(data, "status", self.what),
            amount=None if amount is None else answer_amount(amount, self.what),
            external_id=answer_text(data, "id", self.what),
        )

    def upsert_project(self, project: ProjectRecord) -> ProjectRecord:
        """Create or update the project with this id."""
        require_capability(self.capabilities, Capability.PROJECTS, "CRM")
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
        require_capability(self.capabilities, Capability.PROJECTS, "CRM")
        check_count(limit, field="limit", minimum=1)
        query = [("limit", str(limit))] + ([("after", cursor)] if cursor else [])
        _status, data = exchange(self.wire, Request("GET", "/projects", tuple(query)), self.what)
        items = tuple(self._project(row) for row in results_of(data, self.what))
        next_cursor = data.get("next")
        return ProjectPage(items, next_cursor if isinstance(next_cursor, str) else None)
