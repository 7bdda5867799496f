"""
The HTTP API's errors (*erreurs*): every answer that is not a success is one JSON document,
``{"error": {"status", "code", "message", "field", "value"…}}``, never a traceback.

:data:`STATUSES` says what each status means and is the table the documentation and the
OpenAPI document show. An :class:`~alize_core.kernel.errors.AlizeError` keeps its field,
value and reason; a refusal by the rules carries its decision, with the rule ids of the
steps that failed; an unexpected exception is logged with its traceback and answered
with a 500 that shows none of it.

>>> from alize_core.kernel.errors import MissingValue
>>> error = ApiError.of(MissingValue("on", None), 400)
>>> error.document()["error"]["message"]
'on: is required and was not given'
>>> error.document()["error"]["code"], error.document()["error"]["field"]
('malformed', 'on')

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException

from alize_core.kernel.decisions import Decision
from alize_core.kernel.errors import AlizeError, shown
from alize_core.kernel.jsontext import dump_json


__all__ = ["CODES", "STATUSES", "ApiError", "handle_exception", "json_response"]

LOGGER: Final = logging.getLogger("alize.serve")

STATUSES: Final[Mapping[int, str]] = {
    400: "Malformed: the body is not JSON, a field is missing or of the wrong shape, a query"
    " parameter is badly written; the field is named.",
    401: "No valid token: `Authorization: Bearer <token>` is missing, unknown or revoked.",
    404: "No such resource: the path, or the record it names, does not exist.",
    405: "The path does not take this method.",
    406: "The `Accept` header asks for a format this resource cannot be given in.",
    409: "Conflict: the id was used for another command, or other writers kept changing the"
    " register (send it again).",
    413: "The body is over the size limit.",
    422: "Refused: by the programme's rules (the decision, its failed steps and rule ids), or"
    " by the register (the field and the value at fault). Nothing was written.",
    500: "An unexpected error, logged by the server; nothing of it is shown.",
}
"""What each error status of the API means."""

CODES: Final[Mapping[int, str]] = {
    400: "malformed",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    422: "refused",
    500: "internal",
}
"""The stable machine code of each status."""


def json_response(
    data: object, status: int = 200, headers: Mapping[str, str] | None = None
) -> Response[bytes]:
    """A JSON answer written by alize's one JSON writer (UTF-8, characters as they are)."""
    body = dump_json(data, ascii=False).encode()
    return Response(body, status_code=status, media_type="application/json", headers=headers)


class ApiError(Exception):
    """
    An error answer.

    Attributes:
        status: Its HTTP status.
        message: What went wrong, in words.
        field: The field (or path) at fault, when there is one.
        value: The value refused, as shown in the message.
        decision: A refusal's decision.
        headers: Headers of the answer (``Allow`` for a 405).
    """

    def __init__(
        self,
        status: int,
        message: str,
        *,
        field: str | None = None,
        value: str | None = None,
        decision: Decision | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field
        self.value = value
        self.decision = decision
        self.headers = dict(headers or {})

    @classmethod
    def of(cls, error: AlizeError, status: int) -> ApiError:
        """The answer to an alize error: its message, field and value."""
        value = None if error.value is None else shown(error.value)
        return cls(status, str(error), field=error.field, value=value)

    def document(self) -> dict[str, object]:
        """The answer's JSON document."""
        error: dict[str, object] = {
            "status": self.status,
            "code": CODES.get(self.status, "error"),
            "message": self.message,
            "field": self.field,
            "value": self.value,
        }
        if self.decision is not None:
            failed = self.decision.failed or self.decision.steps
            error["rules"] = list(dict.fromkeys(step.rule for step in failed))
            error["decision"] = self.decision.to_dict()
        return {"error": error}

    def response(self) -> Response[bytes]:
        """The answer."""
        headers = dict(self.headers)
        if self.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return json_response(self.document(), self.status, headers)


def _from_http(exc: HTTPException) -> ApiError:
    status = exc.status_code
    if status not in CODES:
        status = 500 if status >= 500 else 400
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list) and exc.extra:
        first = exc.extra[0]
        if isinstance(first, dict):
            key = first.get("key")
            message = f"{key}: {first.get('message', exc.detail)}"
            return ApiError(400, message, field=str(key) if key is not None else None)
    message = {
        404: "no such resource",
        405: "this path does not take this method",
        413: "the body is over the size limit",
    }.get(status, str(exc.detail))
    return ApiError(status, message, headers=exc.headers)


def handle_exception(request: Request[Any, Any, Any], exc: Exception) -> Response[bytes]:
    """Every exception as a JSON error answer; an unexpected one logged, and shown as 500."""
    if isinstance(exc, ApiError):
        return exc.response()
    if isinstance(exc, HTTPException) and exc.status_code < 500:
        return _from_http(exc).response()
    if isinstance(exc, AlizeError):
        return ApiError.of(exc, 422).response()
    LOGGER.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return ApiError(500, "an unexpected error happened; it was logged").response()
