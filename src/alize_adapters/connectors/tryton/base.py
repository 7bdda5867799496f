"""
What the Tryton backends share (*base des connecteurs Tryton*): a client working for one
company, a namespace that sets this programme's records apart, and the capabilities a
backend was given (:class:`TrytonBackend`); the paging cursor both backends hand out.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import threading

from alize_adapters.connectors.tryton.client import TrytonClient
from alize_adapters.host.errors import CapabilityNotSupported
from alize_adapters.host.payloads import Capability
from alize_core import InvalidValue
from alize_core.kernel.validation import check_count, check_id


__all__ = ["TrytonBackend", "page_cursor", "require_capability"]


def require_capability(
    capabilities: frozenset[Capability], capability: Capability, what: str
) -> None:
    """
    Refuse an operation the backend was not given the capability for.

    Raises:
        CapabilityNotSupported: ``capability`` is not in ``capabilities``.
    """
    if capability not in capabilities:
        msg = f"this Tryton backend was not given the {capability.value!r} capability ({what})"
        raise CapabilityNotSupported(msg, operation=what)


def _namespace(value: object) -> str:
    text = check_id(value, field="namespace")
    if any(char in text for char in ":%_[]"):
        raise InvalidValue("namespace", value, "must not contain : % _ [ or ]")
    return text


class TrytonBackend:
    """
    What the Tryton backends share: a client working for one company, a namespace, capabilities.

    Args:
        client: A logged-in :class:`~alize_adapters.connectors.tryton.client.TrytonClient`;
            its calls are given the company's context.
        company: The id of Tryton's company.
        namespace: Sets this programme's records apart from others in the same Tryton.
        capabilities: What the backend is allowed to do.
    """

    def __init__(
        self,
        client: TrytonClient,
        *,
        company: int,
        namespace: str,
        capabilities: frozenset[Capability],
    ) -> None:
        self._client = client.with_context(company=company)
        self._company = check_count(company, field="company", minimum=1)
        self._namespace = _namespace(namespace)
        self._capabilities = capabilities
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._client!r}, namespace={self._namespace!r})"


def page_cursor(cursor: str | None) -> int:
    """
    The last id a page ended at, from the cursor the backend gave (``None``: the start).

    Raises:
        InvalidValue: The cursor is not one this backend gave.
    """
    if cursor is None:
        return 0
    if not (cursor.isascii() and cursor.isdigit()):
        raise InvalidValue("cursor", cursor, "is not a cursor this backend gave")
    return int(cursor)
