"""
Contacts over CardDAV (*carnet d'adresses partagé*): vCards in a groupware address book.

Many operators keep their contacts in a groupware (Nextcloud, SOGo, Radicale…)
that speaks CardDAV (RFC 6352): an address book is a WebDAV collection, each
contact a vCard (RFC 6350) stored at its own address. :class:`CardDavCrm` is a
CRM backend (:mod:`alize_adapters.host.backends`) with the ``companies`` and
``contacts`` capabilities; an address book has no projects, so that capability
is not declared.

Each record is stored at an address derived from its key, which makes every
write idempotent: a company at ``alize-company-<SIREN>.vcf`` (a vCard of
``KIND:org`` with the SIREN in ``X-ALIZE-SIREN`` and the INSEE commune code in
``X-ALIZE-COMMUNE``), a contact at ``alize-contact-<hash of the e-mail in lower
case>.vcf`` (``FN``, ``EMAIL``, ``ROLE``, ``ORG`` and ``X-ALIZE-SIREN`` of its
company). Text is escaped and long lines folded as RFC 6350 says, so French
names with commas, semicolons and accents come back exactly:

>>> card = VCard.company("555012343", "Boulangerie Lefèvre & Fils, SARL ; 2e site", "55029")
>>> text = card.serialize()
>>> "FN:Boulangerie Lefèvre & Fils\\\\, SARL \\\\; 2e site" in text
True
>>> VCard.parse(text) == card
True
>>> VCard.parse("BEGIN:VCARD\\r\\nFN:x\\r\\n")
Traceback (most recent call last):
...
alize_core.kernel.errors.MalformedInput: vcard: has no END:VCARD line

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import base64
import hashlib
import threading
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Mapping
from typing import Final

import attrs

from alize_adapters.connectors.http_client import (
    BackendOptions,
    HttpRequest,
    HttpResponse,
    Transport,
    check_password,
    check_url,
    classify_status,
    http_transport,
    send,
)
from alize_adapters.host.backends import (
    CompanyRecord,
    ContactRecord,
    CrmBackend,
    ProjectPage,
    ProjectRecord,
)
from alize_adapters.host.errors import AdapterUnavailable, CapabilityNotSupported
from alize_adapters.host.hookspecs import RegistrationSpec, hookimpl
from alize_adapters.host.payloads import (
    BackendOffer,
    BackendRole,
    BackendSettings,
    Capability,
    RegistrationRequest,
)
from alize_core import MalformedInput
from alize_core.kernel.validation import check_id
from alize_core.parties.model import check_siren


__all__ = [
    "CARDDAV_CAPABILITIES",
    "CardDavClient",
    "CardDavCrm",
    "CarddavAdapter",
    "VCard",
]

CARDDAV_CAPABILITIES: Final = frozenset({Capability.COMPANIES, Capability.CONTACTS})
"""What :class:`CardDavCrm` can do: companies and contacts, no projects."""

_DAV: Final = "DAV:"
_CARD: Final = "urn:ietf:params:xml:ns:carddav"
_LINE_OCTETS: Final = 75

_MKCOL: Final = """<?xml version="1.0" encoding="utf-8"?>
<D:mkcol xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:set><D:prop>
    <D:resourcetype><D:collection/><C:addressbook/></D:resourcetype>
    <D:displayname>{name}</D:displayname>
  </D:prop></D:set>
</D:mkcol>"""

_QUERY: Final = """<?xml version="1.0" encoding="utf-8"?>
<C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:prop><D:getetag/><C:address-data/></D:prop>
</C:addressbook-query>"""


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace(",", "\\,").replace(";", "\\;")


def _unescape(text: str) -> str:
    out = []
    chars = iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append("\n" if following in "nN" else following)
        else:
            out.append(char)
    return "".join(out)


def _fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 6350 §3.2)."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = _LINE_OCTETS if not pieces else _LINE_OCTETS - 1
        if size + width > limit:
            pieces.append("".join(current))
            current, size = [], 0
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _unfold(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw[:1] in {" ", "\t"} and lines:
            lines[-1] += raw[1:]
        elif raw:
            lines.append(raw)
    return lines


def _split_property(line: str) -> tuple[str, str]:
    """The property's name (parameters dropped, group dropped) and its raw value."""
    head, separator, value = line.partition(":")
    if not separator:
        raise MalformedInput("vcard", None, f"the line {line[:40]!r} has no ':'")
    name = head.split(";", 1)[0].split(".")[-1].upper()
    return name, value


@attrs.frozen
class VCard:
    """
    The vCard of a company or a contact, as alize writes and reads it.

    Attributes:
        uid: Its unique id (also the stem of its address in the address book).
        kind: ``org`` for a company, ``individual`` for a person.
        name: The formatted name (``FN``).
        siren: The SIREN of the company (``X-ALIZE-SIREN``).
        email: The e-mail address (contacts).
        role: The person's role (contacts).
        organisation: The company's name (``ORG``), for a contact.
        commune: The INSEE commune code (``X-ALIZE-COMMUNE``), for a company.

    .. versionadded:: 0.1.0
    """

    uid: str
    kind: str
    name: str
    siren: str
    email: str | None = None
    role: str | None = None
    organisation: str | None = None
    commune: str | None = None

    @classmethod
    def company(cls, siren: str, name: str, commune: str | None = None) -> VCard:
        """The vCard of a company."""
        return cls(f"alize-company-{siren}", "org", name, siren, commune=commune)

    @classmethod
    def contact(
        cls, email: str, name: str, siren: str, role: str | None, organisation: str | None
    ) -> VCard:
        """The vCard of a contact, its uid derived from the e-mail in lower case."""
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]
        return cls(
            f"alize-contact-{digest}",
            "individual",
            name,
            siren,
            email=email,
            role=role,
            organisation=organisation,
        )

    def serialize(self) -> str:
        """The vCard 4.0 text, CRLF line ends, lines folded."""
        lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            "PRODID:-//alize//CardDAV adapter//FR",
            f"UID:{_escape(self.uid)}",
            f"KIND:{self.kind}",
            f"FN:{_escape(self.name)}",
        ]
        if self.kind == "org":
            lines.append(f"ORG:{_escape(self.name)}")
        else:
            lines.append(f"N:{_escape(self.name)};;;;")
            if self.organisation:
                lines.append(f"ORG:{_escape(self.organisation)}")
        if self.email:
            lines.append(f"EMAIL;TYPE=work:{_escape(self.email)}")
        if self.role:
            lines.append(f"ROLE:{_escape(self.role)}")
        lines.append(f"X-ALIZE-SIREN:{self.siren}")
        if self.commune:
            lines.append(f"X-ALIZE-COMMUNE:{_escape(self.commune)}")
        lines.append("END:VCARD")
        return "".join(_fold(line) + "\r\n" for line in lines)

    @classmethod
    def parse(cls, text: str) -> VCard:
        """
        Read a vCard written by :meth:`serialize` (or edited in a groupware).

        Raises:
            MalformedInput: It is not a vCard, or lacks its UID, FN or X-ALIZE-SIREN.
        """
        lines = _unfold(text)
        if not lines or lines[0].upper() != "BEGIN:VCARD":
            raise MalformedInput("vcard", None, "does not start with BEGIN:VCARD")
        if lines[-1].upper() != "END:VCARD":
            raise MalformedInput("vcard", None, "has no END:VCARD line")
        values: dict[str, str] = {}
        for line in lines[1:-1]:
            name, value = _split_property(line)
            values.setdefault(name, value)
        for required in ("UID", "FN", "X-ALIZE-SIREN"):
            if required not in values:
                raise MalformedInput("vcard", None, f"has no {required} property")
        kind = values.get("KIND", "individual").lower()
        organisation = _unescape(values["ORG"].split(";")[0]) if "ORG" in values else None
        return cls(
            uid=_unescape(values["UID"]),
            kind=kind,
            name=_unescape(values["FN"]),
            siren=values["X-ALIZE-SIREN"].strip(),
            email=_unescape(values["EMAIL"]) if "EMAIL" in values else None,
            role=_unescape(values["ROLE"]) if "ROLE" in values else None,
            organisation=None if kind == "org" else organisation,
            commune=_unescape(values["X-ALIZE-COMMUNE"]) if "X-ALIZE-COMMUNE" in values else None,
        )


class CardDavClient:
    """
    One address book on a CardDAV server, over HTTP with Basic authentication.

    Args:
        url: The server's base URL (``http://127.0.0.1:5232``).
        user: The user name.
        password: The password (never shown in a ``repr``, a log or an error).
        book: The address book's name, under the user's home (``/<user>/<book>/``).
        timeout: Seconds to wait for each answer.
        transport: How requests are sent (tests inject faults through it).

    >>> CardDavClient("http://127.0.0.1:5232", "operateur", "secret", "alize")
    CardDavClient(url='http://127.0.0.1:5232/operateur/alize/', user='operateur')

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        url: str,
        user: str,
        password: str,
        book: str,
        *,
        timeout: float = 30.0,
        transport: Transport = http_transport,
    ) -> None:
        base = check_url(url)
        self._user = check_id(user, field="user")
        check_id(book, field="book")
        check_password(password)
        quote = urllib.parse.quote
        self._book_url = f"{base}/{quote(self._user)}/{quote(book)}/"
        self.__authorization = "Basic " + base64.b64encode(
            f"{self._user}:{password}".encode()
        ).decode("ascii")
        self._timeout = timeout
        self._transport = transport
        self._ready = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"CardDavClient(url={self._book_url!r}, user={self._user!r})"

    @property
    def book_url(self) -> str:
        """The address book's URL."""
        return self._book_url

    def request(
        self,
        method: str,
        url: str,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
        *,
        accept: frozenset[int] = frozenset({200, 201, 204, 207}),
    ) -> HttpResponse:
        """
        Send one request; statuses outside ``accept`` raise the classified error.

        Raises:
            AdapterUnavailable: No answer, 429 or 5xx.
            AdapterRejected: Credentials refused or another 4xx.
        """
        all_headers = {"Authorization": self.__authorization, **(headers or {})}
        request = HttpRequest(url, body, all_headers, self._timeout, method)
        response = send(self._transport, request, what=method, target="the CardDAV server")
        if response.status not in accept:
            classify_status(response, what=method, target="the CardDAV server")
            msg = f"the CardDAV server answered {method} with HTTP {response.status}"
            raise AdapterUnavailable(msg, operation=method)
        return response

    def ensure_book(self) -> None:
        """Create the address book (extended MKCOL) unless it exists."""
        with self._lock:
            if self._ready:
                return
            found = self.request(
                "PROPFIND",
                self._book_url,
                b"",
                {"Depth": "0"},
                accept=frozenset({207, 404}),
            )
            if found.status == 404:
                body = _MKCOL.format(name="ALIZÉ").encode("utf-8")
                self.request(
                    "MKCOL",
                    self._book_url,
                    body,
                    {"Content-Type": "application/xml; charset=utf-8"},
                    accept=frozenset({201}),
                )
            self._ready = True

    def get(self, uid: str) -> VCard | None:
        """The vCard stored under this uid, or ``None``."""
        self.ensure_book()
        response = self.request("GET", self._item_url(uid), accept=frozenset({200, 404}))
        if response.status == 404:
            return None
        return _card(response.body, uid)

    def put(self, card: VCard) -> str:
        """
        Store a vCard at its uid's address (create or replace); return its ETag.

        Raises:
            AdapterUnavailable: The answer carries no ETag (it could not be read).
        """
        self.ensure_book()
        response = self.request(
            "PUT",
            self._item_url(card.uid),
            card.serialize().encode("utf-8"),
            {"Content-Type": "text/vcard; charset=utf-8"},
            accept=frozenset({201, 204}),
        )
        etag = response.headers.get("etag")
        if not etag:
            msg = "the CardDAV server's answer to PUT cannot be read (no ETag)"
            raise AdapterUnavailable(msg, operation="PUT")
        return etag

    def cards(self) -> Iterator[VCard]:
        """Every alize vCard of the address book (an ``addressbook-query`` REPORT)."""
        self.ensure_book()
        response = self.request(
            "REPORT",
            self._book_url,
            _QUERY.encode("utf-8"),
            {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
            accept=frozenset({207}),
        )
        try:
            root = ET.fromstring(response.body)
        except ET.ParseError:
            msg = "the CardDAV server's REPORT answer is not readable XML"
            raise AdapterUnavailable(msg, operation="REPORT") from None
        for data in root.iter(f"{{{_CARD}}}address-data"):
            if data.text and "X-ALIZE-SIREN" in data.text:
                yield VCard.parse(data.text)

    def _item_url(self, uid: str) -> str:
        return f"{self._book_url}{urllib.parse.quote(uid)}.vcf"


def _card(body: bytes, uid: str) -> VCard:
    try:
        return VCard.parse(body.decode("utf-8"))
    except (UnicodeDecodeError, MalformedInput):
        msg = f"the vCard {uid} on the CardDAV server cannot be read"
        raise AdapterUnavailable(msg, operation="GET") from None


class CardDavCrm:
    """
    The CRM backend over a CardDAV address book: companies and contacts as vCards.

    Args:
        client: The address book.
        capabilities: What this backend is allowed to do (at most companies and contacts).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, client: CardDavClient, capabilities: frozenset[Capability] = CARDDAV_CAPABILITIES
    ) -> None:
        self._client = client
        self._capabilities = capabilities

    def __repr__(self) -> str:
        return f"CardDavCrm({self._client!r})"

    def _require(self, capability: Capability, what: str) -> None:
        if capability not in self._capabilities:
            msg = f"a CardDAV address book has no {capability.value} ({what})"
            raise CapabilityNotSupported(msg, operation=what)

    def get_company(self, siren: str) -> CompanyRecord | None:
        """The company with this SIREN, or ``None``."""
        self._require(Capability.COMPANIES, "get_company")
        siren = check_siren(siren)
        card = self._client.get(f"alize-company-{siren}")
        if card is None:
            return None
        return CompanyRecord(
            siren=siren, name=card.name, commune=card.commune, external_id=card.uid
        )

    def upsert_company(self, company: CompanyRecord) -> CompanyRecord:
        """Store the company's vCard (created or replaced)."""
        self._require(Capability.COMPANIES, "upsert_company")
        card = VCard.company(company.siren, company.name, company.commune)
        self._client.put(card)
        return attrs.evolve(company, external_id=card.uid)

    def upsert_contact(self, contact: ContactRecord) -> ContactRecord:
        """Store the contact's vCard, keyed by its e-mail without regard to case."""
        self._require(Capability.CONTACTS, "upsert_contact")
        company = self._client.get(f"alize-company-{contact.company_siren}")
        card = VCard.contact(
            contact.email,
            contact.name,
            contact.company_siren,
            contact.role,
            company.name if company else None,
        )
        self._client.put(card)
        return attrs.evolve(contact, external_id=card.uid)

    def contacts(self) -> tuple[ContactRecord, ...]:
        """Every contact of the address book, read back with a REPORT."""
        self._require(Capability.CONTACTS, "contacts")
        return tuple(
            ContactRecord(
                email=card.email,
                name=card.name,
                company_siren=card.siren,
                role=card.role,
                external_id=card.uid,
            )
            for card in self._client.cards()
            if card.kind != "org" and card.email
        )

    def upsert_project(self, project: ProjectRecord) -> ProjectRecord:
        """An address book has no projects."""
        self._require(Capability.PROJECTS, "upsert_project")
        raise CapabilityNotSupported("an address book has no projects")  # pragma: no cover

    def list_projects(self, cursor: str | None, limit: int) -> ProjectPage:
        """An address book has no projects."""
        self._require(Capability.PROJECTS, "list_projects")
        raise CapabilityNotSupported("an address book has no projects")  # pragma: no cover


class CarddavAdapter(RegistrationSpec):
    """
    The adapter that offers the ``carddav`` CRM backend.

    Options: ``url``, ``user``, ``book`` (default ``alize``) and ``password_env``,
    the environment variable holding the password (``ALIZE_CARDDAV_PASSWORD`` by
    default).

    .. versionadded:: 0.1.0
    """

    @staticmethod
    def _crm(settings: BackendSettings) -> CrmBackend:
        option = BackendOptions(settings, "CardDAV")
        password = option.password("ALIZE_CARDDAV_PASSWORD")
        client = CardDavClient(option("url"), option("user"), password, option("book", "alize"))
        return CardDavCrm(client)

    @hookimpl
    def alize_crm_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[CrmBackend]]:
        """Offer the CardDAV contacts backend."""
        return (
            BackendOffer(
                BackendRole.CRM,
                "carddav",
                self._crm,
                CARDDAV_CAPABILITIES,
                "contacts in a CardDAV address book (Nextcloud, SOGo, Radicale…)",
            ),
        )
