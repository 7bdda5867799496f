"""
The CRM contract: what every :class:`~alize_adapters.host.backends.CrmBackend` must do.

Subclass :class:`CrmBackendContract` in a test module (its name must start with
``Test``) and provide four fixtures: ``backend`` (a fresh backend), ``inspector``
(a :class:`~alize_adapters.testing.CrmInspector` reading the CRM without
the backend), ``fault_injector`` and ``capabilities`` (what the backend's offer
declares). Faults the target cannot show are listed in ``supported_faults``.

.. code-block:: python

    class TestAcmeCrm(CrmBackendContract):
        @pytest.fixture
        def backend(self, sandbox): return AcmeCrm(sandbox.client)
        ...

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pytest
from hypothesis import given, settings

from alize_adapters.host.backends import CompanyRecord, ContactRecord, CrmBackend, ProjectRecord
from alize_adapters.host.errors import AdapterUnavailable, Fault
from alize_adapters.host.payloads import BackendRole, Capability
from alize_adapters.testing.strategies import french_names, sirens
from alize_adapters.testing.support import (
    SUBCLASSED,
    CrmInspector,
    FaultFixtures,
    FaultInjector,
    check_undeclared,
    error_after_fault,
    require,
    require_reset,
)
from alize_core.parties.model import check_siren


__all__ = ["CrmBackendContract"]

_SIREN = "555012343"
_OTHER_SIREN = "555023456"


def _company(siren: str = _SIREN, name: str = "Usinage Meusien") -> CompanyRecord:
    return CompanyRecord(siren=siren, name=name, commune="55029")


class CrmBackendContract(FaultFixtures):
    """
    Contract tests for a CRM backend; subclass it and provide the fixtures.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def backend(self) -> CrmBackend:
        """The backend under test, fresh for each test."""
        pytest.fail("provide a `backend` fixture returning the CRM backend under test")

    @pytest.fixture
    def inspector(self) -> CrmInspector:
        """The backdoor: reads the CRM without the backend."""
        pytest.fail("provide an `inspector` fixture that reads the CRM without the backend")

    @pytest.fixture
    def capabilities(self) -> frozenset[Capability]:
        """The capabilities the backend's offer declares."""
        return BackendRole.CRM.capabilities

    # -- companies --------------------------------------------------------------------

    def test_an_unknown_siren_gives_none(
        self, backend: CrmBackend, capabilities: frozenset[Capability]
    ) -> None:
        """A SIREN the CRM does not know gives None, not an error."""
        require(capabilities, Capability.COMPANIES)

        assert backend.get_company(_OTHER_SIREN) is None

    def test_upserting_a_company_twice_keeps_one_record(
        self, backend: CrmBackend, inspector: CrmInspector, capabilities: frozenset[Capability]
    ) -> None:
        """Two upserts of one SIREN leave one record, with the same external id."""
        require(capabilities, Capability.COMPANIES)
        first = backend.upsert_company(_company())
        second = backend.upsert_company(_company(name="Usinage Meusien SAS"))

        assert inspector.company_names(_SIREN) == ("Usinage Meusien SAS",)
        assert first.external_id is not None
        assert second.external_id == first.external_id

    def test_an_upserted_company_reads_back_equal(
        self, backend: CrmBackend, capabilities: frozenset[Capability]
    ) -> None:
        """What was upserted is what get_company returns, with the CRM's id."""
        require(capabilities, Capability.COMPANIES)
        stored = backend.upsert_company(_company())

        assert backend.get_company(_SIREN) == stored
        assert attrs.evolve(stored, external_id=None) == _company()

    @settings(max_examples=25, suppress_health_check=SUBCLASSED)
    @given(siren=sirens(), name=french_names())
    def test_french_names_are_kept_exactly(
        self,
        backend: CrmBackend,
        inspector: CrmInspector,
        capabilities: frozenset[Capability],
        siren: str,
        name: str,
    ) -> None:
        """Accents, ligatures, apostrophes and long names reach the CRM and come back unchanged."""
        require(capabilities, Capability.COMPANIES)
        check_siren(siren)
        backend.upsert_company(_company(siren=siren, name=name))
        read = backend.get_company(siren)

        assert inspector.company_names(siren) == (name,)
        assert read is not None
        assert read.name == name

    # -- contacts and projects ----------------------------------------------------------

    def test_contacts_are_keyed_by_email(
        self, backend: CrmBackend, inspector: CrmInspector, capabilities: frozenset[Capability]
    ) -> None:
        """Two upserts of one e-mail (in any case) leave one contact, updated."""
        require(capabilities, Capability.CONTACTS)
        backend.upsert_contact(
            ContactRecord(email="c.lefevre@usinage.fr", name="Claire Lefèvre", company_siren=_SIREN)
        )
        backend.upsert_contact(
            ContactRecord(
                email="C.Lefevre@Usinage.fr",
                name="Claire Lefèvre-Martin",
                company_siren=_SIREN,
                role="dirigeante",
            )
        )

        assert inspector.contact_names("c.lefevre@usinage.fr") == ("Claire Lefèvre-Martin",)

    def test_paging_through_projects_gives_each_project_once(
        self, backend: CrmBackend, capabilities: frozenset[Capability]
    ) -> None:
        """Pages of two cover every project once, in the same order each time."""
        require(capabilities, Capability.PROJECTS)
        for number in range(1, 8):
            backend.upsert_project(
                ProjectRecord(
                    project_id=f"P-{number}",
                    sme=_SIREN,
                    title=f"Projet {number}",
                    status="submitted",
                )
            )

        def read_all() -> list[str]:
            ids: list[str] = []
            cursor: str | None = None
            for _page in range(20):
                page = backend.list_projects(cursor, 2)
                assert len(page.items) <= 2
                ids.extend(item.project_id for item in page.items)
                cursor = page.next_cursor
                if cursor is None:
                    return ids
            pytest.fail("paging did not end after 20 pages of 2 projects")

        first, second = read_all(), read_all()

        assert sorted(first) == [f"P-{number}" for number in range(1, 8)]
        assert first == second

    def test_upserting_a_project_twice_keeps_one_record(
        self, backend: CrmBackend, inspector: CrmInspector, capabilities: frozenset[Capability]
    ) -> None:
        """Two upserts of one project id leave one project, updated."""
        require(capabilities, Capability.PROJECTS)
        project = ProjectRecord(
            project_id="P-1", sme=_SIREN, title="Ligne 5 axes", status="submitted"
        )
        backend.upsert_project(project)
        backend.upsert_project(attrs.evolve(project, title="Ligne 5 axes (v2)", status="adopted"))

        assert inspector.project_titles("P-1") == ("Ligne 5 axes (v2)",)

    # -- what a backend must not do ------------------------------------------------------

    def test_input_records_are_never_mutated(
        self, backend: CrmBackend, capabilities: frozenset[Capability]
    ) -> None:
        """The records given to the backend are the same after the call."""
        company = _company(name="  Usinage meusien ")
        contact = ContactRecord(email="A.B@Usinage.fr", name="anne b", company_siren=_SIREN)
        project = ProjectRecord(project_id="P-9", sme=_SIREN, title="projet", status="submitted")
        copies = [attrs.evolve(company), attrs.evolve(contact), attrs.evolve(project)]
        if Capability.COMPANIES in capabilities:
            backend.upsert_company(company)
        if Capability.CONTACTS in capabilities:
            backend.upsert_contact(contact)
        if Capability.PROJECTS in capabilities:
            backend.upsert_project(project)

        assert [company, contact, project] == copies

    @pytest.mark.parametrize("fault", list(Fault))
    def test_each_fault_raises_its_classified_error(
        self,
        backend: CrmBackend,
        fault_injector: FaultInjector,
        capabilities: frozenset[Capability],
        supported_faults: frozenset[Fault],
        fault: Fault,
    ) -> None:
        """A timeout, 429, 500, reset or unreadable answer is AdapterUnavailable; a 422 is AdapterRejected."""
        require(capabilities, Capability.COMPANIES)

        error_after_fault(
            fault_injector,
            supported_faults,
            fault,
            lambda: backend.upsert_company(_company()),
            retry_after=True,
        )

    def test_an_upsert_retried_after_a_reset_keeps_one_record(
        self,
        backend: CrmBackend,
        inspector: CrmInspector,
        fault_injector: FaultInjector,
        capabilities: frozenset[Capability],
        supported_faults: frozenset[Fault],
    ) -> None:
        """An upsert whose answer was lost, then retried, leaves one record."""
        require(capabilities, Capability.COMPANIES)
        require_reset(supported_faults)
        backend.upsert_company(_company())
        fault_injector.inject(Fault.RESET)
        with pytest.raises(AdapterUnavailable):
            backend.upsert_company(_company(name="Usinage Meusien SAS"))
        backend.upsert_company(_company(name="Usinage Meusien SAS"))

        assert inspector.company_names(_SIREN) == ("Usinage Meusien SAS",)

    def test_undeclared_capabilities_raise_capability_not_supported(
        self, backend: CrmBackend, capabilities: frozenset[Capability]
    ) -> None:
        """An operation the offer does not declare raises CapabilityNotSupported."""
        calls: dict[Capability, Callable[[], object]] = {
            Capability.COMPANIES: lambda: backend.get_company(_SIREN),
            Capability.CONTACTS: lambda: backend.upsert_contact(
                ContactRecord(email="a@b.fr", name="A", company_siren=_SIREN)
            ),
            Capability.PROJECTS: lambda: backend.list_projects(None, 10),
        }
        check_undeclared(capabilities, calls, what="CRM")
