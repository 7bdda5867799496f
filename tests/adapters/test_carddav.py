"""The CardDAV contacts adapter against a real Radicale on 127.0.0.1."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest

from alize_adapters.connectors import CarddavAdapter, CardDavClient, CardDavCrm, HttpRequest, VCard
from alize_adapters.host import (
    AdapterConfig,
    AdapterManager,
    AdapterRejected,
    BackendRole,
    Capability,
    CompanyRecord,
    ContactRecord,
)
from alize_adapters.testing import CrmBackendContract

from .servers import FaultyTransport, RadicaleServer


pytestmark = pytest.mark.integration

_WRITES = frozenset({"PUT", "MKCOL", "DELETE"})


def dav_writes(request: HttpRequest) -> bool:
    """Whether a WebDAV request changes the address book."""
    return request.method in _WRITES


class RadicaleInspector:
    """Reads Radicale's storage folder directly, with vobject (not our vCard code)."""

    def __init__(self, server: RadicaleServer, book: str) -> None:
        root = server.process.log.parent / "collections" / "collection-root"
        self.folder = root / server.user / book

    def _cards(self) -> list[Any]:
        import vobject  # installed with Radicale (the integration extra)

        if not self.folder.exists():
            return []
        return [
            vobject.readOne(path.read_text("utf-8")) for path in sorted(self.folder.glob("*.vcf"))
        ]

    @staticmethod
    def _value(card: Any, name: str) -> str | None:
        found = card.contents.get(name.lower())
        return str(found[0].value) if found else None

    def company_names(self, siren: str) -> tuple[str, ...]:
        """The names of the organisation cards with this SIREN."""
        return tuple(
            str(card.fn.value)
            for card in self._cards()
            if self._value(card, "kind") == "org" and self._value(card, "x-alize-siren") == siren
        )

    def contact_names(self, email: str) -> tuple[str, ...]:
        """The names of the cards with this e-mail (compared without regard to case)."""
        return tuple(
            str(card.fn.value)
            for card in self._cards()
            if (self._value(card, "email") or "").lower() == email.lower()
        )

    def project_titles(self, project_id: str) -> tuple[str, ...]:
        """An address book holds no projects."""
        return ()


class TestCardDavCrm(CrmBackendContract):
    """A Radicale address book passes the CRM contract (companies and contacts)."""

    @pytest.fixture
    def book(self) -> str:
        """A fresh address book for each test."""
        return f"alize-{uuid.uuid4().hex[:10]}"

    @pytest.fixture
    def capabilities(self) -> frozenset[Capability]:
        """Companies and contacts; an address book has no projects."""
        return frozenset({Capability.COMPANIES, Capability.CONTACTS})

    @pytest.fixture
    def fault_injector(self) -> FaultyTransport:
        """Faults on the real HTTP link to Radicale."""
        return FaultyTransport(dav_writes)

    @pytest.fixture
    def backend(
        self, radicale: RadicaleServer, book: str, fault_injector: FaultyTransport
    ) -> CardDavCrm:
        """The backend on a fresh address book (created before any fault is injected)."""
        client = CardDavClient(
            radicale.url, radicale.user, radicale.password, book, transport=fault_injector
        )
        client.ensure_book()
        return CardDavCrm(client)

    @pytest.fixture
    def inspector(self, radicale: RadicaleServer, book: str) -> RadicaleInspector:
        """Radicale's files, read with vobject."""
        return RadicaleInspector(radicale, book)


def test_the_address_book_is_created_as_a_carddav_collection(radicale: RadicaleServer) -> None:
    """MKCOL makes an address book: Radicale stores its properties with the addressbook tag."""
    book = f"alize-{uuid.uuid4().hex[:10]}"
    client = CardDavClient(radicale.url, radicale.user, radicale.password, book)
    client.ensure_book()
    props = RadicaleInspector(radicale, book).folder / ".Radicale.props"
    assert "VADDRESSBOOK" in props.read_text("utf-8")


def test_contacts_read_back_with_a_report(radicale: RadicaleServer) -> None:
    """An addressbook-query REPORT returns every contact stored, exactly."""
    book = f"alize-{uuid.uuid4().hex[:10]}"
    crm = CardDavCrm(CardDavClient(radicale.url, radicale.user, radicale.password, book))
    stored = {
        crm.upsert_contact(
            ContactRecord(
                email=f"contact{number}@usinage.fr",
                name=f"Zoé d'Argonne-Müller, n°{number}; dirigeante",
                company_siren="555012343",
                role="dirigeante",
            )
        )
        for number in range(3)
    }
    assert set(crm.contacts()) == stored


def test_a_long_french_name_is_folded_and_read_back_by_vobject(radicale: RadicaleServer) -> None:
    """A 200-character name is folded at 75 octets; another parser reads it unchanged."""
    book = f"alize-{uuid.uuid4().hex[:10]}"
    name = "Société Coopérative « Les Forges d'Argonne », atelier n°3 ; " * 3
    name = name.strip()
    client = CardDavClient(radicale.url, radicale.user, radicale.password, book)
    client.put(VCard.company("555012343", name, "55029"))
    (path,) = RadicaleInspector(radicale, book).folder.glob("*.vcf")
    text = path.read_text("utf-8")
    assert max(len(line.encode()) for line in text.splitlines()) <= 75
    assert RadicaleInspector(radicale, book).company_names("555012343") == (name,)


def test_wrong_credentials_are_rejected_without_showing_the_password(
    radicale: RadicaleServer,
) -> None:
    """Radicale's 401 is AdapterRejected; the message and the repr hold no password."""
    client = CardDavClient(radicale.url, radicale.user, "pas-le-bon-mot-de-passe", "alize")
    with pytest.raises(AdapterRejected) as caught:
        client.ensure_book()
    assert "refused the credentials" in str(caught.value)
    assert "pas-le-bon-mot-de-passe" not in str(caught.value) + repr(client)
    assert radicale.password not in repr(
        CardDavClient(radicale.url, radicale.user, radicale.password, "x")
    )


def test_radicale_storage_is_where_the_inspector_reads(radicale: RadicaleServer) -> None:
    """The backdoor looks at the folder Radicale really writes to."""
    book = f"alize-{uuid.uuid4().hex[:10]}"
    CardDavClient(radicale.url, radicale.user, radicale.password, book).put(
        VCard.company("555012343", "Usinage Meusien", "55029")
    )
    folder: Path = RadicaleInspector(radicale, book).folder
    assert [path.name for path in folder.glob("*.vcf")] == ["alize-company-555012343.vcf"]


def test_the_adapter_plugs_into_the_adapter_manager(
    radicale: RadicaleServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bound as the CRM by configuration, the CardDAV backend stores a company in Radicale."""
    monkeypatch.setenv("ALIZE_CARDDAV_PASSWORD", radicale.password)
    book = f"alize-{uuid.uuid4().hex[:10]}"
    options = {"url": radicale.url, "user": radicale.user, "book": book}
    config = AdapterConfig.from_mapping(
        {"strict": True, "roles": {"crm": "carddav"}, "options": {"carddav": options}}
    )
    manager = AdapterManager(config)
    manager.register(CarddavAdapter(), name="carddav")
    manager.crm().upsert_company(CompanyRecord(siren="555012343", name="Usinage Meusien"))
    assert RadicaleInspector(radicale, book).company_names("555012343") == ("Usinage Meusien",)
    assert manager.capabilities(BackendRole.CRM) == frozenset(
        {Capability.COMPANIES, Capability.CONTACTS}
    )
