"""
The in-memory messaging backend (*messagerie en mémoire*): it keeps what it sends.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from alize_adapters.host.backends import (
    Notification,
    NotificationReceipt,
)
from alize_core.kernel.validation import check_id


__all__ = [
    "MemoryNotifications",
]


class MemoryNotifications:
    """
    A :class:`~alize_adapters.host.backends.NotificationBackend` that keeps what it sends.

    Attributes:
        sent: The messages sent, in order, each with its key.

    .. versionadded:: 0.1.0
    """

    def __init__(self) -> None:
        self.sent: list[tuple[str, Notification]] = []

    def send(self, notification: Notification, *, idempotency_key: str) -> NotificationReceipt:
        """Send a message once per key."""
        check_id(idempotency_key, field="idempotency_key")
        for number, (key, _message) in enumerate(self.sent, start=1):
            if key == idempotency_key:
                return NotificationReceipt(
                    idempotency_key=key, external_id=f"msg-{number:06d}", replayed=True
                )
        self.sent.append((idempotency_key, notification))
        return NotificationReceipt(
            idempotency_key=idempotency_key,
            external_id=f"msg-{len(self.sent):06d}",
            replayed=False,
        )
