"""
The HTTP link the network adapters share (standard library only), with a replaceable transport.

A transport is a function from :class:`HttpRequest` to :class:`HttpResponse`
that raises ``OSError`` (``TimeoutError``, ``ConnectionResetError``…) when the
network fails. Adapters take one as a parameter, so tests can inject faults in
front of the real server; :func:`http_transport` is the real one. Requests and
answers never show their headers or bodies in a ``repr`` (they may hold
credentials).

The network backends also read their configuration the same way
(:class:`BackendOptions`): a missing option is refused by name, and the password
comes from an environment variable the options name, never from a file.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import http.client
import logging
import os
import urllib.parse
from collections.abc import Callable, Mapping

import attrs

from alize_adapters.host.errors import AdapterRejected, AdapterUnavailable
from alize_adapters.host.payloads import BackendSettings
from alize_core import InvalidValue
from alize_core.kernel.validation import check_text


__all__ = [
    "BackendOptions",
    "HttpRequest",
    "HttpResponse",
    "Transport",
    "check_password",
    "check_url",
    "classify_status",
    "http_transport",
]


@attrs.frozen(repr=False)
class HttpRequest:
    """
    One HTTP request.

    Attributes:
        url: The full URL.
        body: The body (empty for none).
        headers: The headers (may hold credentials: never shown).
        timeout: Seconds to wait for the answer.
        method: The HTTP method.
    """

    url: str
    body: bytes
    headers: Mapping[str, str]
    timeout: float
    method: str = "POST"

    def __repr__(self) -> str:
        return f"HttpRequest({self.method} {self.url!r}, {len(self.body)} bytes)"


@attrs.frozen(repr=False)
class HttpResponse:
    """
    An HTTP answer.

    Attributes:
        status: The HTTP status.
        headers: The headers, names in lower case.
        body: The body.
    """

    status: int
    headers: Mapping[str, str]
    body: bytes

    def __repr__(self) -> str:
        return f"HttpResponse(status={self.status}, {len(self.body)} bytes)"


Transport = Callable[[HttpRequest], HttpResponse]
"""Sends a request and returns the answer; raises ``OSError`` when the network fails."""


def http_transport(request: HttpRequest) -> HttpResponse:
    """
    Send a request with :mod:`http.client` (the real transport).

    .. versionadded:: 0.1.0
    """
    parts = urllib.parse.urlsplit(request.url)
    connection_type = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_type(parts.netloc, timeout=request.timeout)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    try:
        connection.request(request.method, path, body=request.body, headers=dict(request.headers))
        answer = connection.getresponse()
        body = answer.read()
        headers = {name.lower(): value for name, value in answer.getheaders()}
        return HttpResponse(answer.status, headers, body)
    finally:
        connection.close()


def check_url(value: object) -> str:
    """
    A base URL: ``http://`` or ``https://``, without its trailing slash.

    >>> check_url("http://127.0.0.1:5232/")
    'http://127.0.0.1:5232'
    >>> check_url("ftp://127.0.0.1")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: url: 'ftp://127.0.0.1' must start with http:// or https://
    """
    text = check_text(value, field="url", max_length=2000)
    if not text.startswith(("http://", "https://")):
        raise InvalidValue("url", value, "must start with http:// or https://")
    return text.rstrip("/")


def check_password(password: str) -> str:
    """
    A password a client may log in with: not empty. It is never shown, even when refused.

    >>> check_password("")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: password: '(hidden)' must be a non-empty text
    """
    if not password:
        raise InvalidValue("password", "(hidden)", "must be a non-empty text")
    return password


@attrs.frozen
class BackendOptions:
    """
    A network backend's options, from its :class:`~alize_adapters.host.payloads.BackendSettings`.

    Calling it gives an option's text, or its default; an option that has neither
    is refused, naming the tool and the option.

    >>> from alize_adapters.host.payloads import BackendSettings
    >>> option = BackendOptions(BackendSettings("crm", {"url": "http://127.0.0.1"}), "CardDAV")
    >>> option("url"), option("book", "alize")
    ('http://127.0.0.1', 'alize')
    >>> option("user")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: user: the CardDAV backend needs the option 'user'

    Attributes:
        settings: The backend's settings.
        tool: The tool's name, for the messages (``Tryton``, ``CardDAV``).
    """

    settings: BackendSettings
    tool: str

    def __call__(self, name: str, default: str | None = None) -> str:
        value = self.settings.option(name, default)
        if value is None:
            raise InvalidValue(name, None, f"the {self.tool} backend needs the option {name!r}")
        return value

    def password(self, default_variable: str) -> str:
        """
        The password, read from the environment variable the option ``password_env`` names.

        Args:
            default_variable: The variable read when ``password_env`` is not set.

        Raises:
            InvalidValue: The variable is not set, or is empty.
        """
        variable = self("password_env", default_variable)
        password = os.environ.get(variable)
        if not password:
            msg = "names an environment variable that is not set"
            raise InvalidValue("password_env", variable, msg)
        return password


logger = logging.getLogger(__name__)


def send(transport: Transport, request: HttpRequest, *, what: str, target: str) -> HttpResponse:
    """
    Send a request, turning a network failure into :class:`AdapterUnavailable`.

    Args:
        transport: How to send it.
        request: The request.
        what: The operation, for the error message.
        target: The tool's name and address, for the error message.
    """
    try:
        response = transport(request)
    except TimeoutError:
        logger.info("%s: %s: %r timed out", target, what, request)
        msg = f"{target} did not answer {what} within {request.timeout:g} s"
        raise AdapterUnavailable(msg, operation=what) from None
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        msg = f"cannot reach {target} ({type(exc).__name__}: {reason})"
        logger.info("%s: %s: %r failed: %s", target, what, request, reason)
        raise AdapterUnavailable(msg, operation=what) from None
    logger.debug("%s: %s: %r -> %r", target, what, request, response)
    return response


def classify_status(response: HttpResponse, *, what: str, target: str) -> None:
    """
    Raise the classified error of a failed HTTP status (429 and 5xx retried, other 4xx not).

    Raises:
        AdapterUnavailable: HTTP 429 (with its ``Retry-After``) or 5xx.
        AdapterRejected: Another 4xx (401 and 403: the credentials were refused).
    """
    status = response.status
    if status == 429:
        value = response.headers.get("retry-after", "").strip()
        retry_after = int(value) if value.isascii() and value.isdigit() else None
        msg = f"{target} asked to slow down (HTTP 429)"
        raise AdapterUnavailable(msg, retry_after=retry_after, operation=what)
    if status >= 500:
        raise AdapterUnavailable(f"{target} failed (HTTP {status})", operation=what)
    if status in {401, 403}:
        raise AdapterRejected(f"{target} refused the credentials (HTTP {status})", operation=what)
    if status >= 400:
        raise AdapterRejected(f"{target} refused {what} (HTTP {status})", operation=what)
