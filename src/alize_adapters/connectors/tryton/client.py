"""
A client for Tryton's JSON-RPC (*client JSON-RPC de Tryton*), on the standard library.

Tryton (an ERP with CRM and accounting, https://www.tryton.org) answers JSON-RPC
at ``/<database>/rpc/``: ``common.db.login`` gives a session, then each call
names a method such as ``model.party.party.search`` and sends the session in an
``Authorization: Session ...`` header. Dates, amounts and bytes travel as
tagged objects (``{"__class__": "Decimal", "decimal": "12.50"}``), which this
client turns into :class:`~datetime.date`, :class:`~decimal.Decimal` and
``bytes`` both ways, so no amount is ever a float.

Failures are classified for the outbox (see :mod:`alize_adapters.host.backends`):
no answer, a reset connection, HTTP 429 and 5xx, an unreadable body, or a
concurrent-update error from Tryton are :class:`AdapterUnavailable` (retried);
a refused login, another 4xx, or a Tryton *UserError* (a validation refused by
the server) are :class:`AdapterRejected`. The password and the session token
never appear in a ``repr``, a log line or an error message.

>>> client = TrytonClient("http://127.0.0.1:8000", "alize", "admin", "s3cret")
>>> client
TrytonClient(url='http://127.0.0.1:8000', database='alize', login='admin')
>>> TrytonClient("ftp://127.0.0.1", "alize", "admin", "x")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: url: 'ftp://127.0.0.1' must start with http:// or https://

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import base64
import datetime as dt
import itertools
import json
import logging
import threading
import urllib.parse
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from alize_adapters.connectors.http_client import (
    HttpRequest,
    HttpResponse,
    Transport,
    check_password,
    check_url,
    classify_status,
    http_transport,
    send,
)
from alize_adapters.host.errors import AdapterRejected, AdapterUnavailable
from alize_core import InvalidValue
from alize_core.kernel.validation import check_id


__all__ = [
    "HttpRequest",
    "HttpResponse",
    "Transport",
    "TrytonClient",
    "WizardData",
    "http_transport",
]

logger = logging.getLogger("alize_adapters.connectors.tryton")

WizardData = Mapping[str, object] | Callable[[dict[str, Any]], Mapping[str, object]]
"""A wizard state's form data, or a function of the previous state's answer giving it."""

_RETRYABLE_TRYTON: Final = frozenset({"ConcurrencyException", "RateLimitException"})
_REJECTED_TRYTON: Final = frozenset(
    {"UserError", "UserWarning", "AccessError", "LoginException", "MissingDependenciesException"}
)


def _encode(value: object) -> object:
    if isinstance(value, float):
        raise InvalidValue("value", value, "is a binary float; Tryton receives amounts as Decimal")
    if isinstance(value, Decimal):
        return {"__class__": "Decimal", "decimal": str(value)}
    if isinstance(value, dt.datetime):
        return {
            "__class__": "datetime",
            "year": value.year,
            "month": value.month,
            "day": value.day,
            "hour": value.hour,
            "minute": value.minute,
            "second": value.second,
            "microsecond": value.microsecond,
        }
    if isinstance(value, dt.date):
        return {"__class__": "date", "year": value.year, "month": value.month, "day": value.day}
    if isinstance(value, dt.timedelta):
        return {"__class__": "timedelta", "seconds": value.total_seconds()}
    if isinstance(value, bytes):
        return {"__class__": "bytes", "base64": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Mapping):
        return {str(key): _encode(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    return value


def _decode(document: dict[str, Any]) -> object:
    kind = document.get("__class__")
    if kind == "Decimal":
        return Decimal(document["decimal"])
    if kind == "date":
        return dt.date(document["year"], document["month"], document["day"])
    if kind == "datetime":
        return dt.datetime(  # noqa: DTZ001 - Tryton sends naive UTC datetimes
            document["year"],
            document["month"],
            document["day"],
            document.get("hour", 0),
            document.get("minute", 0),
            document.get("second", 0),
            document.get("microsecond", 0),
        )
    if kind == "time":
        return dt.time(document["hour"], document["minute"], document["second"])
    if kind == "timedelta":
        return dt.timedelta(seconds=document["seconds"])
    if kind == "bytes":
        return base64.b64decode(document["base64"])
    return document


class TrytonClient:
    """
    A session with one Tryton database over JSON-RPC; safe to share between threads.

    Args:
        url: The server's base URL, e.g. ``http://127.0.0.1:8000``.
        database: The database's name.
        login: The user's login.
        password: The user's password (kept private: never shown, logged or raised).
        timeout: Seconds to wait for each answer.
        transport: How requests are sent (:func:`http_transport` by default; tests
            inject faults through it).
        context: The Tryton context sent with each call (e.g. ``{"company": 1}``).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        url: str,
        database: str,
        login: str,
        password: str,
        *,
        timeout: float = 30.0,
        transport: Transport = http_transport,
        context: Mapping[str, object] | None = None,
    ) -> None:
        self._url = check_url(url)
        self._database = check_id(database, field="database")
        self._login = check_id(login, field="login")
        self.__password = check_password(password)
        self._timeout = timeout
        self._transport = transport
        self._context: dict[str, object] = dict(context or {})
        self.__authorization: str | None = None
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def __repr__(self) -> str:
        return (
            f"TrytonClient(url={self._url!r}, database={self._database!r}, login={self._login!r})"
        )

    @property
    def url(self) -> str:
        """The server's base URL."""
        return self._url

    @property
    def database(self) -> str:
        """The database's name."""
        return self._database

    @property
    def context(self) -> dict[str, object]:
        """A copy of the context sent with each call."""
        return dict(self._context)

    def with_context(self, **values: object) -> TrytonClient:
        """
        A client on the same session whose calls carry more context (e.g. ``company``).
        """
        other = TrytonClient.__new__(TrytonClient)
        other.__dict__.update(self.__dict__)
        other._context = {**self._context, **values}
        other._lock = self._lock
        return other

    def _endpoint(self) -> str:
        return f"{self._url}/{urllib.parse.quote(self._database)}/rpc/"

    def _send(self, method: str, params: Sequence[object], authorization: str | None) -> object:
        payload = {"id": next(self._ids), "method": method, "params": _encode(list(params))}
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if authorization is not None:
            headers["Authorization"] = authorization
        request = HttpRequest(
            self._endpoint(), json.dumps(payload).encode("utf-8"), headers, self._timeout
        )
        logger.debug("tryton %s %s", self._database, method)
        response = send(self._transport, request, what=method, target=f"Tryton at {self._url}")
        return self._read(method, response)

    def _read(self, method: str, response: HttpResponse) -> object:
        if response.status in {401, 403}:
            raise _LoginRefused(response.status)
        classify_status(response, what=method, target="Tryton")
        try:
            document = json.loads(response.body, object_hook=_decode)
        except (ValueError, UnicodeDecodeError):
            raise AdapterUnavailable(
                f"Tryton's answer to {method} is not readable JSON", operation=method
            ) from None
        if not isinstance(document, dict) or not ({"result", "error"} & document.keys()):
            raise AdapterUnavailable(f"Tryton's answer to {method} has no result", operation=method)
        error = document.get("error")
        if error:
            raise _tryton_error(method, error, hide=self._secrets())
        return document.get("result")

    def _secrets(self) -> tuple[str, ...]:
        """What a server's message must not carry into an error: the password and the session."""
        secrets = [self.__password, json.dumps(self.__password)[1:-1]]
        if self.__authorization is not None:
            token = self.__authorization.removeprefix("Session ")
            secrets += [token, base64.b64decode(token).decode(errors="replace").rsplit(":", 1)[-1]]
        return tuple(secret for secret in secrets if secret)

    def _authorization(self) -> str:
        with self._lock:
            if self.__authorization is None:
                try:
                    result = self._send(
                        "common.db.login", [self._login, {"password": self.__password}, "fr"], None
                    )
                except _LoginRefused:
                    msg = f"Tryton refused the login of user {self._login!r} on {self._database!r}"
                    raise AdapterRejected(msg, operation="common.db.login") from None
                if not isinstance(result, list) or len(result) < 2:
                    msg = "Tryton's login answer is not a session"
                    raise AdapterUnavailable(msg, operation="common.db.login")
                user_id, session = result[0], result[1]
                token = f"{self._login}:{user_id}:{session}".encode()
                self.__authorization = "Session " + base64.b64encode(token).decode("ascii")
            return self.__authorization

    def call(self, method: str, *params: object) -> object:
        """
        Call a JSON-RPC method (``model.<name>.<method>``, ``wizard.<name>.<method>``…).

        The context is appended as the last parameter. A session that has expired
        is renewed once.

        Raises:
            AdapterUnavailable: Tryton did not answer, or answered with a retryable failure.
            AdapterRejected: Tryton refused the login or the request.
        """
        arguments = [*params, self._context]
        for attempt in (1, 2):
            authorization = self._authorization()
            try:
                return self._send(method, arguments, authorization)
            except _LoginRefused:
                with self._lock:
                    self.__authorization = None
                if attempt == 2:
                    msg = f"Tryton refused the session of user {self._login!r}"
                    raise AdapterRejected(msg, operation=method) from None
        raise AssertionError("unreachable")  # pragma: no cover

    # -- model helpers --------------------------------------------------------------------

    def search(
        self,
        model: str,
        domain: Sequence[object],
        *,
        offset: int = 0,
        limit: int | None = None,
        order: Sequence[tuple[str, str]] | None = None,
    ) -> list[int]:
        """The ids of the records of ``model`` matching ``domain``."""
        result = self.call(f"model.{model}.search", list(domain), offset, limit, order)
        return _ids(result, model)

    def read(self, model: str, ids: Sequence[int], fields: Sequence[str]) -> list[dict[str, Any]]:
        """The fields of these records, in the order of ``ids``."""
        if not ids:
            return []
        result = self.call(f"model.{model}.read", list(ids), list(fields))
        if not isinstance(result, list):
            raise AdapterUnavailable(f"Tryton's read of {model} is not a list", operation="read")
        by_id = {row["id"]: row for row in result if isinstance(row, dict)}
        return [by_id[i] for i in ids if i in by_id]

    def search_read(
        self,
        model: str,
        domain: Sequence[object],
        fields: Sequence[str],
        *,
        limit: int | None = None,
        order: Sequence[tuple[str, str]] | None = None,
    ) -> list[dict[str, Any]]:
        """The fields of the records matching ``domain``."""
        return self.read(model, self.search(model, domain, limit=limit, order=order), fields)

    def create(self, model: str, values: Sequence[Mapping[str, object]]) -> list[int]:
        """Create records; return their ids."""
        return _ids(self.call(f"model.{model}.create", [dict(v) for v in values]), model)

    def write(self, model: str, ids: Sequence[int], values: Mapping[str, object]) -> None:
        """Change fields of records."""
        self.call(f"model.{model}.write", list(ids), dict(values))

    def delete(self, model: str, ids: Sequence[int]) -> None:
        """Delete records."""
        self.call(f"model.{model}.delete", list(ids))

    def button(self, model: str, name: str, ids: Sequence[int]) -> object:
        """Press a button (``post``, ``create_period``…) on records."""
        return self.call(f"model.{model}.{name}", list(ids))

    def model_data_id(self, module: str, fs_id: str) -> int:
        """The database id of a record defined in a module's XML (``ir.model.data``)."""
        result = self.call("model.ir.model.data.get_id", module, fs_id)
        if not isinstance(result, int):
            raise AdapterUnavailable(f"no id for {module}.{fs_id}", operation="get_id")
        return result

    def run_wizard(
        self, name: str, steps: Sequence[tuple[str, WizardData]], *, ids: Sequence[int] = ()
    ) -> list[dict[str, Any]]:
        """
        Run a wizard through the states given, and return each state's answer.

        Args:
            name: The wizard (``account.fr.fec``).
            steps: ``(button state, form data)`` pairs, e.g.
                ``[("generate", {"start": {...}})]``; the form data may be a
                function of the previous state's answer (to use its defaults).
            ids: The records the wizard acts on, when it acts on some.
        """
        created = self.call(f"wizard.{name}.create")
        if not isinstance(created, list) or not created:
            raise AdapterUnavailable(f"cannot start the wizard {name}", operation="create")
        session = created[0]
        context_ids = {"active_ids": list(ids), "active_id": ids[0] if ids else None}
        answers: list[dict[str, Any]] = []
        try:
            previous: dict[str, Any] = {}
            for state, data in steps:
                form = data(previous) if callable(data) else data
                answer = self.with_context(**context_ids).call(
                    f"wizard.{name}.execute", session, dict(form), state
                )
                previous = answer if isinstance(answer, dict) else {}
                answers.append(answer if isinstance(answer, dict) else {})
        finally:
            self.call(f"wizard.{name}.delete", session)
        return answers


class _LoginRefused(Exception):
    """HTTP 401/403: the session or the password was refused."""

    def __init__(self, status: int) -> None:
        super().__init__(f"HTTP {status}")


def _ids(result: object, model: str) -> list[int]:
    if not isinstance(result, list) or not all(isinstance(i, int) for i in result):
        raise AdapterUnavailable(f"Tryton's answer about {model} is not a list of ids")
    return list(result)


def _tryton_error(method: str, error: object, *, hide: tuple[str, ...] = ()) -> Exception:
    name, message = "", str(error)
    if isinstance(error, list) and error:
        name = str(error[0])
        if len(error) > 1 and isinstance(error[1], list) and error[1]:
            parts = [str(part) for part in error[1][:2] if part]
            message = " — ".join(parts)
        else:
            message = name
    for secret in hide:  # a server may quote the request back, password and session included
        message = message.replace(secret, "***")
    first_line = " ".join(message.split())[:500] or name
    if name in _RETRYABLE_TRYTON:
        return AdapterUnavailable(f"Tryton is busy ({name})", operation=method)
    if name in _REJECTED_TRYTON:
        return AdapterRejected(f"Tryton refused {method}: {first_line}", operation=method)
    return AdapterUnavailable(f"Tryton failed on {method}: {first_line[:200]}", operation=method)
