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

from .documents import (
    DocumentKind,
    RenderedDocument,
    RenderRequest,
)
from .notices import (
    NAMESPACE,
    AdvanceDefaultedNotice,
    AdvanceDisbursedNotice,
    AdvanceWrittenOffNotice,
    AgreementSignedNotice,
    CallForFundsIssuedNotice,
    EventNotice,
    NoticeKind,
    PostingBookedNotice,
    ProjectDecidedNotice,
    RepaymentReceivedNotice,
    build_notice,
    canonical_json,
    idempotency_key,
    notice_type,
)
from .registration import (
    BackendOffer,
    BackendRole,
    BackendSettings,
    Capability,
    RegistrationRequest,
    shown_options,
)


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
