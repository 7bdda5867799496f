"""
How backends fail (*erreurs des adaptateurs*): one error taxonomy, so the outbox knows what
to retry, and the faults of a remote tool a backend must turn into them (:class:`Fault`).

==================================  ============================================  =======
error                               when                                          retried
==================================  ============================================  =======
:class:`AdapterUnavailable`         timeout, 429 (with ``retry_after``), 5xx,     yes
                                    connection reset, unreadable answer
:class:`AdapterRejected`            the target refused the request (4xx)          no
:class:`IdempotencyConflict`        same key, different content                   no
:class:`CapabilityNotSupported`     an operation the backend did not declare      no
:class:`AdapterContractError`       the adapter broke its contract (a bug)        no
:class:`AdapterCrashed`             any other exception raised by adapter code    yes
==================================  ============================================  =======

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from typing import ClassVar

from alize_core import AlizeError
from alize_core.kernel.validation import check_count


__all__ = [
    "AdapterContractError",
    "AdapterCrashed",
    "AdapterError",
    "AdapterRejected",
    "AdapterUnavailable",
    "CapabilityNotSupported",
    "Fault",
    "IdempotencyConflict",
]


class AdapterError(AlizeError):
    """
    An adapter or the tool behind it failed; the root of the adapter errors.

    The host fills in which adapter (and its distribution and version) and which
    operation failed, so every message names the culprit.

    Attributes:
        reason: What went wrong, in words an operator understands.
        adapter: The adapter's name (empty until the host knows it).
        operation: The hook or backend method that failed.
        distribution: The distribution that installed the adapter, when known.
        version: That distribution's version, when known.
        retryable: Whether trying again later may succeed.
    """

    message = "an adapter failed"
    retryable: ClassVar[bool] = False

    def __init__(self, reason: str, *, adapter: str = "", operation: str = "") -> None:
        # The culprit is the adapter (the field "adapter", its name the value): the host
        # names it when it knows it (locate), and the message is its own (__str__).
        super().__init__("adapter", adapter or None, reason)
        self.adapter = adapter
        self.operation = operation
        self.distribution: str | None = None
        self.version: str | None = None

    def locate(
        self,
        *,
        adapter: str,
        operation: str,
        distribution: str | None = None,
        version: str | None = None,
    ) -> None:
        """Record which adapter and operation failed (kept when already known)."""
        self.adapter = self.adapter or adapter
        self.value = self.adapter or None
        self.operation = self.operation or operation
        self.distribution = self.distribution or distribution
        self.version = self.version or version

    def __str__(self) -> str:
        where = self.adapter
        if self.distribution:
            where += f" ({self.distribution} {self.version or '?'})"
        if self.operation:
            where = f"{where}, {self.operation}" if where else self.operation
        return f"adapter {where}: {self.reason}" if where else self.reason


class AdapterUnavailable(AdapterError):
    """
    The tool did not answer, answered too late, asked to slow down, or failed (*indisponible*).

    Attributes:
        retry_after: The seconds the tool asked to wait (``Retry-After``), when it said so.
    """

    retryable: ClassVar[bool] = True

    def __init__(
        self,
        reason: str,
        *,
        retry_after: int | None = None,
        adapter: str = "",
        operation: str = "",
    ) -> None:
        if retry_after is not None:
            check_count(retry_after, field="retry_after")
            reason = f"{reason}; retry after {retry_after} s"
        super().__init__(reason, adapter=adapter, operation=operation)
        self.retry_after = retry_after


class AdapterRejected(AdapterError):
    """The tool refused the request as invalid; trying again will not help (*refusé*)."""


class IdempotencyConflict(AdapterRejected):
    """An idempotency key already used for a different content (*clé déjà utilisée*)."""


class CapabilityNotSupported(AdapterError):
    """An operation the backend did not declare among its capabilities."""


class AdapterContractError(AdapterError):
    """The adapter broke its contract (wrong return type, a hook returning a value): a bug."""


class AdapterCrashed(AdapterError):
    """The adapter's code raised an exception it did not classify; retried, then dead-lettered."""

    retryable: ClassVar[bool] = True


class Fault(enum.StrEnum):
    """
    The faults a remote tool shows, and the error a backend must turn each into.

    The conformance suite (:mod:`alize_adapters.testing`) injects each of them
    and checks that the backend raises :attr:`expected_error`, neither crashing
    with a raw exception nor swallowing the failure.

    >>> Fault.RATE_LIMITED.expected_error.__name__
    'AdapterUnavailable'
    >>> Fault.REJECTED.expected_error.__name__
    'AdapterRejected'
    """

    TIMEOUT = "timeout"
    """No answer in time; the request never reached the tool."""
    RATE_LIMITED = "rate_limited"
    """HTTP 429 with a ``Retry-After`` header; the request was not processed."""
    SERVER_ERROR = "server_error"
    """HTTP 500; the request was not processed."""
    RESET = "reset"
    """The connection was reset after the tool processed the request: the answer is lost."""
    MALFORMED_BODY = "malformed_body"
    """The tool processed the request and answered with a body that cannot be read."""
    REJECTED = "rejected"
    """HTTP 422: the tool refused the request as invalid."""

    @property
    def expected_error(self) -> type[AdapterError]:
        """The error a backend must raise when the tool shows this fault."""
        return AdapterRejected if self is Fault.REJECTED else AdapterUnavailable

    @property
    def reaches_target(self) -> bool:
        """Whether the tool processed the request before the fault (its effect happened)."""
        return self in {Fault.RESET, Fault.MALFORMED_BODY}
