"""
Event notices (*avis d'événement*): what an event hook is told of a fact committed to the journal.

One frozen class per kind of notice (:class:`NoticeKind`), each a subclass of
:class:`EventNotice`, whose names end in ``Notice`` so that they never read as the
journal's own event types (:mod:`alize_core.journal`); :func:`build_notice` makes
one from the JSON-ready data the outbox keeps. Every notice carries its event's id,
from which deterministic idempotency keys are derived (:func:`idempotency_key`).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import ClassVar, Final

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
    "CallForFundsIssuedNotice",
    "EventNotice",
    "NoticeKind",
    "PostingBookedNotice",
    "ProjectDecidedNotice",
    "RepaymentReceivedNotice",
    "build_notice",
    "canonical_json",
    "idempotency_key",
    "notice_type",
]


NAMESPACE: Final = uuid.UUID("6f1d3c52-8a4e-5b7f-9c0d-2e4a6b8c0d1e")
"""The UUID namespace of alize's idempotency keys (a constant: keys never change)."""


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
        raise MalformedInput(exc.field, exc.value, exc.reason) from None
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
