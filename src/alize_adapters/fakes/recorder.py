"""
The recording adapter (*enregistreur*): every event it receives, in order.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from alize_adapters.host.hookspecs import EventSpec, hookimpl
from alize_adapters.host.payloads import (
    AdvanceDefaultedNotice,
    AdvanceDisbursedNotice,
    AdvanceWrittenOffNotice,
    AgreementSignedNotice,
    CallForFundsIssuedNotice,
    EventNotice,
    PostingBookedNotice,
    ProjectDecidedNotice,
    RepaymentReceivedNotice,
)


__all__ = [
    "EventRecorder",
]


class EventRecorder(EventSpec):
    """
    An adapter that records every event it receives, in order (a test double and a demo aid).

    Attributes:
        received: The events received, in order, repeats included.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self.received: list[EventNotice] = []

    def count(self, event_id: str) -> int:
        """How many times the event with this id was received."""
        return sum(1 for event in self.received if event.event_id == event_id)

    @hookimpl
    def alize_on_project_decided(self, event: ProjectDecidedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_agreement_signed(self, event: AgreementSignedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_advance_disbursed(self, event: AdvanceDisbursedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_repayment_received(self, event: RepaymentReceivedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_advance_defaulted(self, event: AdvanceDefaultedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_advance_written_off(self, event: AdvanceWrittenOffNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_call_for_funds_issued(self, event: CallForFundsIssuedNotice) -> None:
        """Record the event."""
        self.received.append(event)

    @hookimpl
    def alize_on_posting_booked(self, event: PostingBookedNotice) -> None:
        """Record the event."""
        self.received.append(event)
