"""
Hook specifications (*points d'extension*): what an adapter may implement.

alize's plugin host is pluggy, project ``alize``; adapters are found through the
entry-point group ``alize.adapters``. Hooks are few, synchronous and cheap, and
each takes **one frozen payload** (:mod:`alize_adapters.host.payloads`):

- **registration hooks** (:class:`RegistrationSpec`): an adapter offers named
  backends for a role, with a factory and capabilities;
- **event hooks** (:class:`EventSpec`): an adapter observes facts committed to
  the journal, delivered at least once by the outbox (:mod:`alize_adapters.delivery.outbox`);
- **the rendering hook** (:class:`DocumentSpec`): the first renderer that
  returns a document wins; alize's plain-text renderer answers last.

Operations on a CRM or an accounting tool are not hooks: they are methods of the
backends (:mod:`alize_adapters.host.backends`).

The specifications are :class:`~typing.Protocol` classes. An adapter class that
subclasses them is checked by ``mypy --strict``: a hook implementation with a
wrong signature is an ``[override]`` error.

>>> import attrs
>>> from alize_adapters.host.payloads import AdvanceDisbursedNotice
>>> class Printer(EventSpec):
...     @hookimpl
...     def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
...         print(f"{event.advance}: {event.amount} €")
>>> "alize_on_advance_disbursed" in hook_names()
True
>>> hook_specification("alize_on_advance_paid")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: hook: 'alize_on_advance_paid' is not an alize hook (see `alize adapters hooks`)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterable
from typing import Final, Protocol

import pluggy

from alize_adapters.host.backends import (
    AccountingBackend,
    CrmBackend,
    DocumentBackend,
    NotificationBackend,
)
from alize_adapters.host.payloads import (
    AdvanceDefaultedNotice,
    AdvanceDisbursedNotice,
    AdvanceWrittenOffNotice,
    AgreementSignedNotice,
    BackendOffer,
    CallForFundsIssuedNotice,
    PostingBookedNotice,
    ProjectDecidedNotice,
    RegistrationRequest,
    RenderedDocument,
    RenderRequest,
    RepaymentReceivedNotice,
)
from alize_core import InvalidValue


__all__ = [
    "ENTRY_POINT_GROUP",
    "PROJECT",
    "SPECS",
    "SPEC_VERSION",
    "DocumentSpec",
    "EventSpec",
    "RegistrationSpec",
    "hook_names",
    "hook_signature",
    "hook_specification",
    "hookimpl",
    "hookspec",
]

PROJECT: Final = "alize"
"""pluggy's project name: hook implementations are marked with ``alize_impl``."""

ENTRY_POINT_GROUP: Final = "alize.adapters"
"""The entry-point group through which installed adapters are found."""

SPEC_VERSION: Final = "1.0"
"""The version of these specifications; its major number changes only when a hook breaks."""

hookspec: Final = pluggy.HookspecMarker(PROJECT)
"""Marks a hook specification (used by alize only)."""

hookimpl: Final = pluggy.HookimplMarker(PROJECT)
"""Marks a hook implementation: put ``@hookimpl`` on each hook an adapter implements."""


class RegistrationSpec(Protocol):
    """
    Registration hooks: an adapter offers backends for a role.

    Each returns the adapter's offers (an empty tuple when it has none). Every
    adapter's offers are kept; configuration binds each role to one name.
    """

    @hookspec
    def alize_crm_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[CrmBackend]]:
        """Offer CRM backends (companies, contacts, projects)."""
        return ()

    @hookspec
    def alize_accounting_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[AccountingBackend]]:
        """Offer accounting backends (entries, bank movements, exports)."""
        return ()

    @hookspec
    def alize_document_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[DocumentBackend]]:
        """Offer document stores."""
        return ()

    @hookspec
    def alize_notification_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[NotificationBackend]]:
        """Offer messaging tools."""
        return ()


class EventSpec(Protocol):
    """
    Event hooks: observers of facts committed to the journal.

    Called by the outbox relay after the event is stored, once per adapter and
    at least once: the same event may come again after a failure, so an effect
    in a target must be keyed with ``event.idempotency_key``. Return ``None``;
    raise :class:`~alize_adapters.host.errors.AdapterUnavailable` to be retried later.
    """

    @hookspec
    def alize_on_project_decided(self, event: ProjectDecidedNotice) -> None:
        """The approval committee decided on a project (GOV-01)."""
        return

    @hookspec
    def alize_on_agreement_signed(self, event: AgreementSignedNotice) -> None:
        """A cooperation and development agreement was signed (CONV-02)."""
        return

    @hookspec
    def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
        """A repayable advance was paid to an SME."""
        return

    @hookspec
    def alize_on_repayment_received(self, event: RepaymentReceivedNotice) -> None:
        """A repayment reached the fund (FUND-02)."""
        return

    @hookspec
    def alize_on_advance_defaulted(self, event: AdvanceDefaultedNotice) -> None:
        """An advance was declared in default (SCH-06)."""
        return

    @hookspec
    def alize_on_advance_written_off(self, event: AdvanceWrittenOffNotice) -> None:
        """An advance was written off (FUND-02)."""
        return

    @hookspec
    def alize_on_call_for_funds_issued(self, event: CallForFundsIssuedNotice) -> None:
        """A partner was called to pay its yearly contribution (FUND-01, PIL-04)."""
        return

    @hookspec
    def alize_on_posting_booked(self, event: PostingBookedNotice) -> None:
        """The fund's books gained the posting of a committed event (FUND-05)."""
        return


class DocumentSpec(Protocol):
    """
    The rendering hook: produce a document, or pass.

    Stops at the first non-``None`` result. alize's own plain-text renderer is
    registered last (``trylast``), so an adapter's renderer always comes first.
    """

    @hookspec(firstresult=True)
    def alize_render_document(self, request: RenderRequest) -> RenderedDocument | None:
        """Render the requested document, or return ``None`` to let another renderer do it."""
        return None


SPECS: Final = (RegistrationSpec, EventSpec, DocumentSpec)
"""Every specification class, in the order the host adds them."""


def _specs() -> dict[str, Callable[..., object]]:
    found: dict[str, Callable[..., object]] = {}
    for spec in SPECS:
        for name, member in vars(spec).items():
            if name.startswith("alize_") and callable(member):
                found[name] = member
    return found


def hook_names() -> tuple[str, ...]:
    """
    The names of every hook, in the order of the specifications.

    .. versionadded:: 0.1.0
    """
    return tuple(_specs())


def hook_specification(name: str) -> Callable[..., object]:
    """
    The specification function of a hook.

    Raises:
        InvalidValue: No hook has this name.

    .. versionadded:: 0.1.0
    """
    try:
        return _specs()[name]
    except KeyError:
        raise InvalidValue(
            "hook", name, "is not an alize hook (see `alize adapters hooks`)"
        ) from None


def hook_signature(name: str) -> str:
    """
    A hook's signature as its documentation heading shows it (``self`` left out).

    >>> hook_signature("alize_render_document")
    'alize_render_document(request: RenderRequest) -> RenderedDocument | None'

    .. versionadded:: 0.1.0
    """
    signature = inspect.signature(hook_specification(name))
    params = [p for p in signature.parameters.values() if p.name != "self"]
    text = ", ".join(f"{p.name}: {p.annotation}" for p in params)
    return f"{name}({text}) -> {signature.return_annotation}"
