"""
Hook payloads (*données transmises aux adaptateurs*): the one frozen argument of every hook.

Every hook of :mod:`alize_adapters.host.hookspecs` takes exactly one payload, a frozen
attrs class built from the glossary of ``RULES.md``. A payload cannot be changed
by the adapter that receives it, so one adapter never alters what another one
sees; new fields are added with a default, so hooks never gain parameters.

Three families:

- **event notices** (:class:`EventNotice` and its subclasses) describe a fact
  already committed to the journal: a project decided by the approval committee
  (GOV-01), a cooperation agreement signed (CONV-02), an advance disbursed, a
  repayment received, a default, a write-off (FUND-02, SCH-06), a call for funds
  issued (PIL-04), a posting of the fund's books (FUND-05). Each carries the event's id, from which deterministic
  idempotency keys are derived (:func:`idempotency_key`). Their names end in
  ``Notice``: the journal's own event types (:mod:`alize_core.journal`, e.g.
  ``AdvanceDisbursed``) are the facts; a notice is what an adapter is told of one;
- **registration payloads**: :class:`RegistrationRequest`, answered with
  :class:`BackendOffer` records (a named backend, its factory, its capabilities);
- **document payloads**: :class:`RenderRequest`, answered with a
  :class:`RenderedDocument`.

>>> from datetime import date
>>> from decimal import Decimal
>>> event = AdvanceDisbursedNotice(event_id="E-0042", sequence=42, on=date(2026, 4, 2),
...     territory="MEUSE", advance="AV-7", sme="555012343", amount=Decimal("25000.00"))
>>> event.kind.value, event.hook_name
('advance_disbursed', 'alize_on_advance_disbursed')
>>> event.idempotency_key == idempotency_key("E-0042")
True
>>> event.amount = Decimal("1")
Traceback (most recent call last):
...
attr.exceptions.FrozenInstanceError: can't set attribute
>>> AdvanceDisbursedNotice(event_id="E-0043", sequence=43, on=date(2026, 4, 2),
...     territory="MEUSE", advance="AV-8", sme="555012343", amount=2500.0)
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: amount: 2500.0 is a binary float; write amounts as text or Decimal, e.g. "12.50"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import ClassVar, Final, Generic, TypeVar

import attrs

from alize_core import InvalidValue, MalformedInput, Outcome, to_money
from alize_core.accounting.postings import Posting
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.kernel.serialization import structure
from alize_core.kernel.validation import (
    AMOUNT,
    check_count,
    check_date,
    check_id,
    check_text,
    checked,
    optional,
)
from alize_core.parties.model import check_siren


__all__ = [
    "NAMESPACE",
    "AdvanceDefaultedNotice",
    "AdvanceDisbursedNotice",
    "AdvanceWrittenOffNotice",
    "AgreementSignedNotice",
    "BackendOffer",
    "BackendRole",
    "BackendSettings",
    "CallForFundsIssuedNotice",
    "Capability",
    "DocumentKind",
    "EventNotice",
    "NoticeKind",
    "PostingBookedNotice",
    "ProjectDecidedNotice",
    "RegistrationRequest",
    "RenderRequest",
    "RenderedDocument",
    "RepaymentReceivedNotice",
    "build_notice",
    "canonical_json",
    "idempotency_key",
    "notice_type",
    "shown_options",
]

NAMESPACE: Final = uuid.UUID("6f1d3c52-8a4e-5b7f-9c0d-2e4a6b8c0d1e")
"""The UUID namespace of alize's idempotency keys (a constant: keys never change)."""

_NAME: Final = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

B = TypeVar("B")


def idempotency_key(event_id: str, purpose: str = "") -> str:
    """
    The idempotency key of an event's effect: a UUID derived from the event id (*clé d'idempotence*).

    The same event always gives the same key, on every attempt and on every
    machine, so a target that received the effect once recognises a repeat.
    ``purpose`` tells apart several effects of one event (e.g. ``"fee"``).

    Args:
        event_id: The journal event's id.
        purpose: A short word naming the effect, when one event has several.

    Returns:
        The key, as the text of a version-5 UUID.

    >>> idempotency_key("E-0042")
    '34f32da3-2e7f-592e-97c6-d9ac6a366197'
    >>> idempotency_key("E-0042") != idempotency_key("E-0042", "fee")
    True
    >>> idempotency_key("")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: event_id: '' must not be empty

    .. versionadded:: 0.1.0
    """
    check_id(event_id, field="event_id")
    name = f"alize-event:{event_id}" + (f"#{purpose}" if purpose else "")
    return str(uuid.uuid5(NAMESPACE, name))


def _refuse_floats(value: object, path: str) -> None:
    if isinstance(value, float):
        raise InvalidValue(path, value, 'is a binary float; write amounts as text, e.g. "12.50"')
    if isinstance(value, Mapping):
        for key, inner in value.items():
            if not isinstance(key, str):
                raise InvalidValue(path, key, "has a key that is not text")
            _refuse_floats(inner, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for index, inner in enumerate(value):
            _refuse_floats(inner, f"{path}[{index}]")
    elif value is not None and not isinstance(value, str | int | bool):
        raise InvalidValue(path, value, "is not JSON-ready data (text, whole number, list, object)")


def canonical_json(data: Mapping[str, object], *, field: str = "extra") -> str:
    """
    JSON-ready data as canonical text: keys sorted, no floats, no spaces.

    Raises:
        InvalidValue: The data holds a float or something that is not JSON.

    >>> canonical_json({"b": 1, "a": ["x", None]})
    '{"a":["x",null],"b":1}'
    >>> canonical_json({"amount": 12.5})
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: extra.amount: 12.5 is a binary float; write amounts as text, e.g. "12.50"

    .. versionadded:: 0.1.0
    """
    _refuse_floats(data, field)
    return dump_json(dict(data), sort_keys=True, ascii=False)


def _rule_ids(value: object, *, field: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValue(field, value, "must be a tuple of rule ids")
    for item in value:
        check_id(item, field=field)


def _extra(value: object, *, field: str) -> None:
    if not isinstance(value, str):
        raise InvalidValue(field, value, "must be canonical JSON text")
    data = parse_json(value, strict=True, field=field)
    if not isinstance(data, dict):
        raise InvalidValue(field, value, "must be a JSON object")
    _refuse_floats(data, field)


class NoticeKind(enum.StrEnum):
    """
    The kinds of committed event an adapter may observe (*nature de l'événement*).

    Each kind has one hook, ``alize_on_<kind>``, and one payload class.
    """

    PROJECT_DECIDED = "project_decided"
    """The approval committee decided on a project (GOV-01)."""
    AGREEMENT_SIGNED = "agreement_signed"
    """A cooperation and development agreement was signed (CONV-02)."""
    ADVANCE_DISBURSED = "advance_disbursed"
    """A repayable advance was paid out of the fund (FUND-01, FUND-05)."""
    REPAYMENT_RECEIVED = "repayment_received"
    """An SME's repayment came back to the fund (FUND-02)."""
    ADVANCE_DEFAULTED = "advance_defaulted"
    """An advance was declared in default after too long unpaid (SCH-06)."""
    ADVANCE_WRITTEN_OFF = "advance_written_off"
    """An advance in default was written off (FUND-02, SCH-06)."""
    CALL_FOR_FUNDS_ISSUED = "call_for_funds_issued"
    """A partner was called to pay its yearly contribution (FUND-01, PIL-04)."""
    POSTING_BOOKED = "posting_booked"
    """The fund's books gained the posting of a committed event (FUND-05)."""

    @property
    def hook_name(self) -> str:
        """The name of the hook that observes this kind."""
        return f"alize_on_{self.value}"


@attrs.frozen(kw_only=True)
class EventNotice:
    """
    What every event hook receives: a fact committed to the journal (*événement enregistré*).

    Subclasses add the fields of their kind. Fields an alize release adds later,
    and fields of the stored event that this release does not know, are kept in
    :attr:`extra_json`, so an adapter written today keeps working tomorrow.

    Attributes:
        event_id: The journal event's id: the source of every idempotency key.
        sequence: The event's position in the journal (1, 2, 3…).
        on: The date the event takes effect (*date d'effet*).
        territory: The id of the territory whose programme it belongs to.
        rules: The ids of the rules the event relied on.
        extra_json: Other fields of the event, as canonical JSON text (see :attr:`extra`).
    """

    KIND: ClassVar[NoticeKind]

    event_id: str = attrs.field(validator=checked(check_id))
    sequence: int = attrs.field(validator=checked(check_count))
    on: date = attrs.field(validator=checked(check_date))
    territory: str = attrs.field(validator=checked(check_id))
    rules: tuple[str, ...] = attrs.field(default=(), validator=checked(_rule_ids))
    extra_json: str = attrs.field(default="{}", validator=checked(_extra))

    @property
    def kind(self) -> NoticeKind:
        """The kind of the event."""
        return self.KIND

    @property
    def hook_name(self) -> str:
        """The hook that observes this event."""
        return self.KIND.hook_name

    @property
    def idempotency_key(self) -> str:
        """The key of the event's effect in a target (see :func:`idempotency_key`)."""
        return idempotency_key(self.event_id)

    def key_for(self, purpose: str) -> str:
        """The key of one of several effects of this event (see :func:`idempotency_key`)."""
        return idempotency_key(self.event_id, purpose)

    @property
    def extra(self) -> dict[str, object]:
        """The fields kept in :attr:`extra_json`, as a new dictionary (changing it changes nothing)."""
        data: dict[str, object] = parse_json(self.extra_json, strict=True, field="extra_json")
        return data


@attrs.frozen(kw_only=True)
class ProjectDecidedNotice(EventNotice):
    """
    The approval committee decided on a project (*décision du comité d'agrément*, GOV-01).

    Attributes:
        project: The project's id.
        sme: The SIREN of the SME that brings it.
        session: The id of the committee session (*séance*).
        outcome: ``adopted``, ``rejected`` or ``not_examined``.
        amount: The repayable advance granted, when the project is adopted with one.
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.PROJECT_DECIDED

    project: str = attrs.field(validator=checked(check_id))
    sme: str = attrs.field(validator=checked(check_siren))
    session: str = attrs.field(validator=checked(check_id))
    outcome: Outcome = attrs.field(validator=attrs.validators.instance_of(Outcome))
    amount: Decimal | None = attrs.field(
        default=None, validator=optional(to_money, non_negative=True, cents=True, decimal_only=True)
    )


@attrs.frozen(kw_only=True)
class AgreementSignedNotice(EventNotice):
    """
    A cooperation and development agreement was signed with an SME (*convention signée*, CONV-02).

    Attributes:
        agreement: The agreement's id.
        project: The project it supports.
        sme: The SME's SIREN.
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.AGREEMENT_SIGNED

    agreement: str = attrs.field(validator=checked(check_id))
    project: str = attrs.field(validator=checked(check_id))
    sme: str = attrs.field(validator=checked(check_siren))


@attrs.frozen(kw_only=True)
class _AdvanceNotice(EventNotice):
    """
    An event about one repayable advance of an SME: the fields its kinds share.

    Attributes:
        advance: The advance's id.
        sme: The SME's SIREN.
    """

    advance: str = attrs.field(validator=checked(check_id))
    sme: str = attrs.field(validator=checked(check_siren))


@attrs.frozen(kw_only=True)
class AdvanceDisbursedNotice(_AdvanceNotice):
    """
    A repayable advance was paid to the SME (*décaissement d'une avance remboursable*).

    Attributes:
        advance: The advance's id.
        sme: The SME's SIREN.
        amount: The amount paid, in euros (a whole number of cents).
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.ADVANCE_DISBURSED

    amount: Decimal = attrs.field(validator=AMOUNT)


@attrs.frozen(kw_only=True)
class RepaymentReceivedNotice(_AdvanceNotice):
    """
    A repayment of an advance reached the fund (*remboursement reçu*, FUND-02).

    Attributes:
        advance: The advance's id.
        sme: The SME's SIREN.
        amount: The amount received, in euros.
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.REPAYMENT_RECEIVED

    amount: Decimal = attrs.field(validator=AMOUNT)


@attrs.frozen(kw_only=True)
class AdvanceDefaultedNotice(_AdvanceNotice):
    """
    An advance was declared in default after too long unpaid (*défaillance*, SCH-06).

    Attributes:
        advance: The advance's id.
        sme: The SME's SIREN.
        outstanding: What the SME still owed on that date (paid out, less repaid), in euros.
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.ADVANCE_DEFAULTED

    outstanding: Decimal = attrs.field(validator=AMOUNT)


@attrs.frozen(kw_only=True)
class AdvanceWrittenOffNotice(_AdvanceNotice):
    """
    An advance in default was written off (*passage en perte*, FUND-02).

    Attributes:
        advance: The advance's id.
        sme: The SME's SIREN.
        amount: The amount lost to the fund, in euros.
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.ADVANCE_WRITTEN_OFF

    amount: Decimal = attrs.field(validator=AMOUNT)


@attrs.frozen(kw_only=True)
class CallForFundsIssuedNotice(EventNotice):
    """
    A partner was called to pay its contribution for a year (*appel de fonds*, FUND-01, PIL-04).

    Attributes:
        partner: The partner company's id.
        year: The year it is called for.
        amount: The amount called, in euros.
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.CALL_FOR_FUNDS_ISSUED

    partner: str = attrs.field(validator=checked(check_id))
    year: int = attrs.field(validator=checked(check_count))
    amount: Decimal = attrs.field(validator=AMOUNT)


@attrs.frozen(kw_only=True)
class PostingBookedNotice(EventNotice):
    """
    The fund's books gained the posting of a committed event (*écriture passée*, FUND-05).

    The posting is the one :func:`alize_core.accounting.journal_postings` makes of the
    journal event, on the operator's chart of accounts: the same one the FEC export and
    the accounting reports hold. An accounting adapter posts it as it is
    (:meth:`~alize_adapters.host.backends.JournalEntry.of`), without choosing accounts.

    Attributes:
        posting: The balanced posting; its id (the *pièce*) is the journal event's number.
    """

    KIND: ClassVar[NoticeKind] = NoticeKind.POSTING_BOOKED

    posting: Posting = attrs.field(validator=attrs.validators.instance_of(Posting))


_EVENT_TYPES: Final[Mapping[NoticeKind, type[EventNotice]]] = {
    cls.KIND: cls
    for cls in (
        ProjectDecidedNotice,
        AgreementSignedNotice,
        AdvanceDisbursedNotice,
        RepaymentReceivedNotice,
        AdvanceDefaultedNotice,
        AdvanceWrittenOffNotice,
        CallForFundsIssuedNotice,
        PostingBookedNotice,
    )
}


def notice_type(kind: str) -> type[EventNotice] | None:
    """
    The payload class of an event kind, or ``None`` when no hook observes that kind.

    >>> notice_type("repayment_received").__name__
    'RepaymentReceivedNotice'
    >>> notice_type("session_held") is None
    True

    .. versionadded:: 0.1.0
    """
    try:
        return _EVENT_TYPES[NoticeKind(kind)]
    except ValueError:
        return None


def build_notice(
    kind: str,
    *,
    event_id: str,
    sequence: int,
    on: date,
    territory: str,
    data: Mapping[str, object],
) -> EventNotice | None:
    """
    The payload of a stored event, from its JSON-ready data; ``None`` for a kind no hook observes.

    Fields of ``data`` that the payload class knows are checked and typed; the
    others are kept in :attr:`EventNotice.extra_json`.

    Args:
        kind: The event's kind (an :class:`NoticeKind` value).
        event_id: The event's id.
        sequence: Its position in the journal.
        on: The date it takes effect.
        territory: The territory's id.
        data: The event's own fields, JSON-ready (amounts as text, dates as ISO text).

    Raises:
        MalformedInput: A field is missing or invalid; its name is given.

    >>> payload = build_notice("repayment_received", event_id="E9", sequence=9,
    ...     on=date(2026, 5, 1), territory="MEUSE",
    ...     data={"advance": "AV-7", "sme": "555012343", "amount": "520.83", "instalment": 3})
    >>> payload.amount, payload.extra
    (Decimal('520.83'), {'instalment': 3})
    >>> build_notice("repayment_received", event_id="E9", sequence=9,
    ...     on=date(2026, 5, 1), territory="MEUSE", data={"advance": "AV-7", "sme": "555012343"})
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.MalformedInput: amount: is required and missing

    .. versionadded:: 0.1.0
    """
    cls = notice_type(kind)
    if cls is None:
        return None
    envelope = {"event_id", "sequence", "on", "territory", "extra_json"}
    known = {field.name for field in attrs.fields(cls)} - envelope
    own = {name: value for name, value in data.items() if name in known}
    others = {name: value for name, value in data.items() if name not in known}
    rules = own.pop("rules", [])
    try:
        extra_json = canonical_json(others, field="extra")
    except InvalidValue as exc:
        raise MalformedInput(exc.field, exc.reason, exc.value) from None
    document: dict[str, object] = {
        **own,
        "event_id": event_id,
        "sequence": sequence,
        "on": on.isoformat(),
        "territory": territory,
        "rules": rules,
        "extra_json": extra_json,
    }
    return structure(document, cls)


class BackendRole(enum.StrEnum):
    """
    What a backend is for (*rôle*): each role is bound to one named backend by configuration.
    """

    CRM = "crm"
    """The operator's customer-relationship tool: companies, contacts, projects."""
    ACCOUNTING = "accounting"
    """The operator's accounting tool: entries, bank movements, exports."""
    DOCUMENTS = "documents"
    """Where rendered documents (agreements, minutes, letters) are kept."""
    NOTIFICATIONS = "notifications"
    """How messages reach people (e-mail, chat)."""

    @property
    def hook_name(self) -> str:
        """The registration hook through which adapters offer backends for this role."""
        return f"alize_{self.value.removesuffix('s')}_backends"

    @property
    def capabilities(self) -> frozenset[Capability]:
        """
        Every capability a backend of this role may declare.

        >>> sorted(capability.value for capability in BackendRole.CRM.capabilities)
        ['companies', 'contacts', 'projects']

        .. versionadded:: 0.1.0
        """
        return frozenset(capability for capability in Capability if capability.role is self)


class Capability(enum.StrEnum):
    """
    What a backend declares it can do (*capacité*); anything else raises ``CapabilityNotSupported``.
    """

    COMPANIES = "companies"
    """CRM: read and upsert companies by SIREN."""
    CONTACTS = "contacts"
    """CRM: upsert contacts keyed by e-mail."""
    PROJECTS = "projects"
    """CRM: upsert and page through projects."""
    POSTING = "posting"
    """Accounting: post balanced entries with an idempotency key."""
    BANK_MOVEMENTS = "bank_movements"
    """Accounting: read bank movements from a cursor."""
    EXPORT = "export"
    """Accounting: export the entries of a period."""
    STORE = "store"
    """Documents: keep a rendered document and fetch it back."""
    SEND = "send"
    """Notifications: send a message once per idempotency key."""

    @property
    def role(self) -> BackendRole:
        """The role this capability belongs to."""
        return _CAPABILITY_ROLES[self]


_CAPABILITY_ROLES: Final[Mapping[Capability, BackendRole]] = {
    Capability.COMPANIES: BackendRole.CRM,
    Capability.CONTACTS: BackendRole.CRM,
    Capability.PROJECTS: BackendRole.CRM,
    Capability.POSTING: BackendRole.ACCOUNTING,
    Capability.BANK_MOVEMENTS: BackendRole.ACCOUNTING,
    Capability.EXPORT: BackendRole.ACCOUNTING,
    Capability.STORE: BackendRole.DOCUMENTS,
    Capability.SEND: BackendRole.NOTIFICATIONS,
}


def _option_pairs(value: object) -> tuple[tuple[str, str], ...]:
    if isinstance(value, Mapping):
        value = tuple(value.items())
    if not isinstance(value, Iterable) or isinstance(value, str):
        raise InvalidValue("options", value, "must be pairs of (name, text)")
    pairs = tuple(sorted(tuple(pair) for pair in value))
    for pair in pairs:
        if len(pair) != 2 or not all(isinstance(part, str) for part in pair):
            raise InvalidValue("options", pair, "must be a (name, text) pair")
    return pairs


_SECRET_NAME: Final = re.compile(r"pass|secret|token|key|credential|auth", re.IGNORECASE)


def shown_options(options: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """
    Options as a ``repr`` may show them: the value of an option named like a secret (a
    password, a token, a key…) hidden; one naming an environment variable (``*_env``) is
    only a name, and shown.

    >>> shown_options([("api_key", "abc"), ("password_env", "ALIZE_PASSWORD"), ("url", "http://x")])
    (('api_key', '***'), ('password_env', 'ALIZE_PASSWORD'), ('url', 'http://x'))

    .. versionadded:: 0.1.0
    """
    return tuple(
        (name, "***" if _SECRET_NAME.search(name) and not name.endswith("_env") else value)
        for name, value in options
    )


@attrs.frozen
class RegistrationRequest:
    """
    The payload of the registration hooks: what the host asks adapters to offer.

    Attributes:
        spec_version: The version of the hook specifications the host speaks
            (:data:`alize_adapters.host.hookspecs.SPEC_VERSION`).
    """

    spec_version: str = attrs.field(validator=checked(check_id))


@attrs.frozen
class BackendSettings:
    """
    What a backend factory receives: the backend's name and its options from configuration.

    Options are text (like environment variables); a factory reads and checks
    them itself, and never receives secrets it did not ask for. Its ``repr`` hides the
    value of an option named like a secret (:func:`shown_options`).

    Attributes:
        name: The backend's name, as offered.
        options: The configured options, as sorted ``(name, text)`` pairs.
    """

    name: str = attrs.field(validator=checked(check_id))
    options: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_option_pairs, repr=lambda options: repr(shown_options(options))
    )

    def option(self, name: str, default: str | None = None) -> str | None:
        """The text of an option, or ``default`` when it is not set."""
        return dict(self.options).get(name, default)


def _backend_name(value: object, *, field: str) -> None:
    if not isinstance(value, str) or not _NAME.fullmatch(value):
        msg = "must be a short lower-case name (letters, digits, hyphens), e.g. 'acme-crm'"
        raise InvalidValue(field, value, msg)


def _capabilities(value: object, *, field: str) -> None:
    if not isinstance(value, frozenset) or not all(isinstance(c, Capability) for c in value):
        raise InvalidValue(field, value, "must be a frozenset of Capability members")


def _callable(value: object, *, field: str) -> None:
    if not callable(value):
        raise InvalidValue(field, value, "must be a function taking BackendSettings")


@attrs.frozen
class BackendOffer(Generic[B]):
    """
    A backend an adapter offers for a role (*offre de connecteur*): a name, a factory, capabilities.

    The factory is called only when configuration binds the role to this name,
    so offering a backend costs nothing (no import of a vendor SDK, no network).

    Attributes:
        role: The role the backend fills.
        name: Its name, short and lower-case (``acme-crm``); configuration binds roles to it.
        factory: Builds the backend from its :class:`BackendSettings`.
        capabilities: What it can do; anything else raises ``CapabilityNotSupported``.
        description: One line for ``alize adapters list``.

    >>> offer = BackendOffer(BackendRole.CRM, "memory", dict, frozenset({Capability.COMPANIES}))
    >>> offer.name
    'memory'
    >>> BackendOffer(BackendRole.CRM, "Acme CRM", dict, frozenset())
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: name: 'Acme CRM' must be a short lower-case name (letters, digits, hyphens), e.g. 'acme-crm'
    """

    role: BackendRole = attrs.field(validator=attrs.validators.instance_of(BackendRole))
    name: str = attrs.field(validator=checked(_backend_name))
    factory: Callable[[BackendSettings], B] = attrs.field(validator=checked(_callable))
    capabilities: frozenset[Capability] = attrs.field(validator=checked(_capabilities))
    description: str = ""

    def __attrs_post_init__(self) -> None:
        foreign = sorted(c.value for c in self.capabilities if c.role is not self.role)
        if foreign:
            msg = f"belong to another role than {self.role.value}"
            raise InvalidValue("capabilities", ", ".join(foreign), msg)


class DocumentKind(enum.StrEnum):
    """The documents alize asks renderers for (*documents*)."""

    COOPERATION_AGREEMENT = "cooperation_agreement"
    """The cooperation and development agreement with an SME (CONV-02, OP-02)."""
    SESSION_MINUTES = "session_minutes"
    """The minutes of a committee session (OP-02)."""
    DECISION_LETTER = "decision_letter"
    """The letter telling an SME the committee's decision (GOV-01)."""
    REPAYMENT_SCHEDULE = "repayment_schedule"
    """An advance's repayment schedule (SCH-02)."""
    CALL_FOR_FUNDS = "call_for_funds"
    """The yearly call for funds (PIL-04)."""
    ACTIVITY_REPORT = "activity_report"
    """The approval committee's yearly report (GOV-09, PIL-03)."""


def _text_pairs(value: object, *, field: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValue(field, value, "must be a tuple of (label, text) pairs")
    for pair in value:
        if not (isinstance(pair, tuple) and len(pair) == 2):
            raise InvalidValue(field, pair, "must be a (label, text) pair")
        check_text(pair[0], field=field)
        if not isinstance(pair[1], str):
            raise InvalidValue(field, pair[1], "must be text")


@attrs.frozen(kw_only=True)
class RenderRequest:
    """
    The payload of ``alize_render_document``: a document to produce (*document à éditer*).

    Attributes:
        kind: Which document.
        territory: The territory's id.
        on: The date the document bears.
        title: Its title, in French.
        fields: Its content as ordered ``(label, text)`` pairs, already formatted in French.
        template: The name of a template the operator chose, if any.
    """

    kind: DocumentKind = attrs.field(validator=attrs.validators.instance_of(DocumentKind))
    territory: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    title: str = attrs.field(validator=checked(check_text))
    fields: tuple[tuple[str, str], ...] = attrs.field(default=(), validator=checked(_text_pairs))
    template: str | None = None


def _bytes(value: object, *, field: str) -> None:
    if not isinstance(value, bytes):
        raise InvalidValue(field, value, "must be bytes")


@attrs.frozen(kw_only=True)
class RenderedDocument:
    """
    A document produced by a renderer (*document édité*).

    Attributes:
        media_type: Its media type, e.g. ``text/plain; charset=utf-8`` or ``application/pdf``.
        filename: A file name for it.
        content: Its bytes.
        renderer: The name of the adapter that rendered it (set by the host).
    """

    media_type: str = attrs.field(validator=checked(check_text))
    filename: str = attrs.field(validator=checked(check_id))
    content: bytes = attrs.field(validator=checked(_bytes))
    renderer: str = ""
