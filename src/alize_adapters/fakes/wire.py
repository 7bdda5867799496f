"""
The wire (*liaison simulée*): how the in-memory backends reach their targets.

Each in-memory backend talks to its target (an in-process CRM or accounting tool
that knows nothing of alize) through a :class:`Wire` that carries JSON requests and
answers shaped like HTTP (:class:`Request`, :class:`Response`), and on which faults
can be injected (timeout, 429 with ``Retry-After``, 500, reset after processing,
malformed body, refusal): the backends meet every failure a remote tool can show.

>>> wire = Wire(lambda request: Response.of_json(200, {"path": request.path}))
>>> wire.send(Request("GET", "/companies")).body
b'{"path": "/companies"}'
>>> wire.inject(Fault.SERVER_ERROR)
>>> wire.send(Request("GET", "/companies")).status
500
>>> wire.delivered
1

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import collections
import json
import threading
from collections.abc import Callable

import attrs

from alize_adapters.host.errors import Fault
from alize_core.kernel.validation import check_count


__all__ = [
    "Request",
    "Response",
    "Wire",
]


@attrs.frozen
class Request:
    """
    A request on a :class:`Wire`, shaped like an HTTP request.

    Attributes:
        method: ``GET``, ``POST`` or ``PATCH``.
        path: The resource, e.g. ``/companies``.
        query: The query parameters, as ``(name, text)`` pairs.
        headers: The headers, as ``(name, text)`` pairs.
        body: The JSON body.
    """

    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""

    def param(self, name: str) -> str | None:
        """A query parameter, or ``None``."""
        return dict(self.query).get(name)

    def header(self, name: str) -> str | None:
        """A header (the name compared without regard to case), or ``None``."""
        return {k.lower(): v for k, v in self.headers}.get(name.lower())


@attrs.frozen
class Response:
    """
    An answer on a :class:`Wire`.

    Attributes:
        status: The HTTP status code.
        body: The JSON body.
        headers: The headers, as ``(name, text)`` pairs.
    """

    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()

    def header(self, name: str) -> str | None:
        """A header (the name compared without regard to case), or ``None``."""
        return {k.lower(): v for k, v in self.headers}.get(name.lower())

    @classmethod
    def of_json(
        cls, status: int, data: object, headers: tuple[tuple[str, str], ...] = ()
    ) -> Response:
        """An answer whose body is ``data`` as JSON (UTF-8)."""
        return cls(status, json.dumps(data, ensure_ascii=False).encode("utf-8"), headers)


class Wire:
    """
    An in-process link to a target, on which faults can be injected (*liaison simulée*).

    Each injected fault applies to one later request, in the order injected.

    Args:
        handler: The target's request handler.

    Attributes:
        delivered: How many requests reached the target.
    """

    def __init__(self, handler: Callable[[Request], Response]) -> None:
        self._handler = handler
        self._faults: collections.deque[tuple[Fault, int]] = collections.deque()
        self._lock = threading.Lock()
        self.delivered = 0

    def inject(self, fault: Fault, *, retry_after: int = 30, times: int = 1) -> None:
        """
        Make the next requests fail this way.

        Args:
            fault: The fault.
            retry_after: The seconds a 429 answer asks to wait.
            times: How many requests in a row show the fault.
        """
        check_count(retry_after, field="retry_after")
        check_count(times, field="times", minimum=1)
        with self._lock:
            self._faults.extend([(Fault(fault), retry_after)] * times)

    @property
    def pending_faults(self) -> int:
        """How many injected faults are still to come."""
        return len(self._faults)

    def send(self, request: Request) -> Response:
        """
        Carry a request to the target and its answer back, unless a fault intervenes.

        Raises:
            TimeoutError: A timeout fault (the target never saw the request).
            ConnectionResetError: A reset fault (the target processed the request).
        """
        with self._lock:
            fault, retry_after = self._faults.popleft() if self._faults else (None, 0)
        if fault is Fault.TIMEOUT:
            raise TimeoutError("no answer within the deadline")
        if fault is Fault.RATE_LIMITED:
            return Response.of_json(
                429, {"error": "too many requests"}, (("Retry-After", str(retry_after)),)
            )
        if fault is Fault.SERVER_ERROR:
            return Response.of_json(500, {"error": "internal server error"})
        if fault is Fault.REJECTED:
            return Response.of_json(422, {"error": "refused by the target's own checks"})
        response = self._handler(request)
        with self._lock:
            self.delivered += 1
        if fault is Fault.RESET:
            raise ConnectionResetError("connection reset by peer")
        if fault is Fault.MALFORMED_BODY:
            return Response(response.status, response.body[: len(response.body) // 2] + b"\x00")
        return response
