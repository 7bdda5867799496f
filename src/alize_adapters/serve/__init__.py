"""
The HTTP API (``alize serve``, the extra ``alize[serve]``): commands and reads of a register
over JSON, on Litestar, for applications that are not written in Python.

:func:`~alize_adapters.serve.app.create_app` makes the application; the guide
(``docs/guide/api.md``) describes the endpoints, the tokens and the errors.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from .app import MAX_BODY, create_app
from .auth import SECURITY, SECURITY_SCHEMES, bearer_token, require_token
from .commands import COMMAND_ANSWERS, event_json, record_command, recording_json
from .desk import BATCH, Desk
from .errors import CODES, STATUSES, ApiError, handle_exception, json_response
from .openapi import COMMAND_REQUEST, Answer, OpenApiDocument, complete
from .reads import READ_ANSWERS, READS, REPORT_FORMATS, REPORTS
from .schemas import (
    AMOUNT_PATTERN,
    DATE,
    ID,
    Schema,
    document_schemas,
    request_schemas,
    schema_of,
)


__all__ = [
    "AMOUNT_PATTERN",
    "BATCH",
    "CODES",
    "COMMAND_ANSWERS",
    "COMMAND_REQUEST",
    "DATE",
    "ID",
    "MAX_BODY",
    "READS",
    "READ_ANSWERS",
    "REPORTS",
    "REPORT_FORMATS",
    "SECURITY",
    "SECURITY_SCHEMES",
    "STATUSES",
    "Answer",
    "ApiError",
    "Desk",
    "OpenApiDocument",
    "Schema",
    "bearer_token",
    "complete",
    "create_app",
    "document_schemas",
    "event_json",
    "handle_exception",
    "json_response",
    "record_command",
    "recording_json",
    "request_schemas",
    "require_token",
    "schema_of",
]
