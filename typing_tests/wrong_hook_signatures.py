"""
Hook implementations with wrong signatures: ``mypy --strict`` must reject each marked line.

Never imported or run: ``tests/adapters/test_typing.py`` runs mypy on this file
and checks that it reports exactly the lines marked ``# expect: <error code>``.
"""

from __future__ import annotations

from collections.abc import Iterable

from alize_adapters.host import (
    AccountingBackend,
    BackendOffer,
    DocumentSpec,
    EventSpec,
    RegistrationRequest,
    RegistrationSpec,
    RenderRequest,
    RepaymentReceivedNotice,
    hookimpl,
)


class MisreadDisbursements(EventSpec):
    """Takes a repayment where the hook gives an advance disbursed."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def alize_on_advance_disbursed(  # expect: override
        self, event: RepaymentReceivedNotice
    ) -> None:
        self.seen.append(event.advance)


class TextRenderer(DocumentSpec):
    """Returns text where the hook expects a RenderedDocument or None."""

    @hookimpl
    def alize_render_document(self, request: RenderRequest) -> str:  # expect: override
        return request.title


class WrongRole(RegistrationSpec):
    """Offers accounting backends through the CRM registration hook."""

    @hookimpl
    def alize_crm_backends(  # expect: override
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[AccountingBackend]]:
        return ()


class ExtraParameter(EventSpec):
    """Asks for a second parameter the hook never passes."""

    @hookimpl
    def alize_on_repayment_received(  # expect: override
        self, event: RepaymentReceivedNotice, territory: str
    ) -> None:
        del event, territory
