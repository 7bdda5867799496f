"""
The CRM backend over Tryton (*CRM Tryton*): companies, contacts, projects and mentor time as
Tryton's parties, contact mechanisms, opportunities and timesheet lines
(:mod:`alize_adapters.connectors.tryton.backends` tabulates the mapping).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from alize_adapters.connectors.tryton.base import TrytonBackend, page_cursor, require_capability
from alize_adapters.connectors.tryton.client import TrytonClient
from alize_adapters.host.backends import CompanyRecord, ContactRecord, ProjectPage, ProjectRecord
from alize_adapters.host.errors import AdapterUnavailable
from alize_adapters.host.payloads import BackendRole, Capability
from alize_core import InvalidValue
from alize_core.kernel.validation import check_count
from alize_core.parties.model import check_siren


__all__ = ["COMMUNE_MECHANISM", "CRM_CAPABILITIES", "TrytonCrm"]

CRM_CAPABILITIES: Final = BackendRole.CRM.capabilities
"""What :class:`TrytonCrm` can do."""

COMMUNE_MECHANISM: Final = "Code commune INSEE"
"""The name of the contact mechanism holding a company's INSEE commune code."""


class TrytonCrm(TrytonBackend):
    """
    The CRM backend over Tryton: companies, contacts and projects (see the module's table).

    Args:
        client: A logged-in :class:`~alize_adapters.connectors.tryton.client.TrytonClient`
            whose context names the company.
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
        require_capability(self._capabilities, Capability.COMPANIES, "get_company")
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
        require_capability(self._capabilities, Capability.COMPANIES, "upsert_company")
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
        require_capability(self._capabilities, Capability.CONTACTS, "upsert_contact")
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
        require_capability(self._capabilities, Capability.PROJECTS, "upsert_project")
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
        require_capability(self._capabilities, Capability.PROJECTS, "list_projects")
        check_count(limit, field="limit", minimum=1)
        after = page_cursor(cursor)
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
        require_capability(self._capabilities, Capability.PROJECTS, "record_mentor_time")
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
