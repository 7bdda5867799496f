"""
The same adapters with the right signatures: ``mypy --strict`` accepts them.

Never imported or run: ``tests/adapters/test_typing.py`` checks that mypy finds
no error here, so the errors of ``wrong_hook_signatures.py`` come from the
signatures alone.
"""

from __future__ import annotations

from alize_adapters.host import (
    AdvanceDisbursedNotice,
    BackendOffer,
    CrmBackend,
    DocumentSpec,
    EventSpec,
    RegistrationRequest,
    RegistrationSpec,
    RenderedDocument,
    RenderRequest,
    RepaymentReceivedNotice,
    hookimpl,
)


class ReadDisbursements(EventSpec):
    """Takes the advance disbursed the hook gives."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    @hookimpl
    def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
        self.seen.append(event.advance)


class PlainRenderer(DocumentSpec):
    """Returns a document, or None to let another renderer answer."""

    @hookimpl
    def alize_render_document(self, request: RenderRequest) -> RenderedDocument | None:
        return None


class RightRole(RegistrationSpec):
    """Offers CRM backends through the CRM registration hook (a tuple is an Iterable)."""

    @hookimpl
    def alize_crm_backends(
        self, request: RegistrationRequest
    ) -> tuple[BackendOffer[CrmBackend], ...]:
        return ()


class OneParameter(EventSpec):
    """Takes the one payload the hook passes."""

    @hookimpl
    def alize_on_repayment_received(self, event: RepaymentReceivedNotice) -> None:
        del event
