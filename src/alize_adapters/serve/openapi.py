"""
The OpenAPI document (*description de l'API*), ``GET /openapi.json``: Litestar writes the
paths, their parameters and operation ids from the route handlers; :func:`complete` adds
what only alize knows: the request body of ``POST /commands`` (one schema per command,
from :mod:`alize_adapters.serve.schemas`), the answers of each operation with their
schemas, every error answer, and the bearer tokens. The document is OpenAPI 3.1 (its
schemas are JSON Schema 2020-12).

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, Final

from litestar import Request
from litestar.openapi.plugins import JsonRenderPlugin

from alize_adapters.serve.auth import SECURITY, SECURITY_SCHEMES
from alize_adapters.serve.errors import STATUSES
from alize_adapters.serve.schemas import Schema, document_schemas, request_schemas
from alize_core.kernel.jsontext import dump_json


__all__ = ["COMMAND_REQUEST", "Answer", "OpenApiDocument", "complete"]

COMMAND_REQUEST: Final = "CommandRequest"
"""The name of the schema of ``POST /commands``'s body."""

_JSON: Final = "application/json"


class Answer:
    """
    What an operation answers: its success status and content, and its error statuses.

    Args:
        status: The success status.
        content: The success body's schema by media type.
        errors: The error statuses besides 401 and 500 (every operation may answer those).
        description: What the success answer is.
    """

    def __init__(
        self,
        status: int,
        content: Mapping[str, Schema],
        errors: tuple[int, ...] = (),
        description: str = "The answer.",
    ) -> None:
        self.status = status
        self.content = content
        self.errors = errors
        self.description = description


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def _error(status: int) -> dict[str, object]:
    return {"description": STATUSES[status], "content": {_JSON: {"schema": _ref("Error")}}}


def _command_schemas(components: dict[str, Schema]) -> None:
    commands = request_schemas(components)
    for name, schema in commands.items():
        components[f"command.{name}"] = schema
    components[COMMAND_REQUEST] = {
        "description": "A command: its id, its name, its date and its arguments.",
        "oneOf": [_ref(f"command.{name}") for name in commands],
        "discriminator": {
            "propertyName": "command",
            "mapping": {name: f"#/components/schemas/command.{name}" for name in commands},
        },
    }


def complete(schema: dict[str, Any], answers: Mapping[str, Answer]) -> dict[str, Any]:
    """
    Litestar's document with alize's schemas, answers and security.

    Args:
        schema: The document Litestar generated.
        answers: Each operation's answers, by operation id.
    """
    document = copy.deepcopy(schema)
    components: dict[str, Schema] = dict(document_schemas())
    _command_schemas(components)
    document.setdefault("components", {})
    document["components"]["schemas"] = components
    document["components"]["securitySchemes"] = SECURITY_SCHEMES
    document["security"] = SECURITY
    for path in document.get("paths", {}).values():
        for method, operation in path.items():
            if method not in {"get", "post"}:
                continue
            answer = answers[operation["operationId"]]
            for parameter in operation.get("parameters", ()):
                if parameter.get("in") != "query":  # older Litestars add these to any parameter
                    parameter.pop("allowEmptyValue", None)
                    parameter.pop("allowReserved", None)
            responses: dict[str, object] = {
                str(answer.status): {
                    "description": answer.description,
                    "content": {media: {"schema": s} for media, s in answer.content.items()},
                }
            }
            for status in sorted({401, 500, *answer.errors}):
                responses[str(status)] = _error(status)
            operation["responses"] = responses
            if operation["operationId"] == "recordCommand":
                responses["200"] = {
                    "description": "Already recorded under this id: its first events.",
                    "content": {_JSON: {"schema": _ref("Recorded")}},
                }
                operation["requestBody"] = {
                    "required": True,
                    "content": {_JSON: {"schema": _ref(COMMAND_REQUEST)}},
                }
    return document


class OpenApiDocument(JsonRenderPlugin):
    """Litestar's JSON render plugin, serving the completed document at ``/openapi.json``."""

    def __init__(self, answers: Mapping[str, Answer]) -> None:
        super().__init__(path=["/", "/openapi.json"], media_type=_JSON)  # type: ignore[arg-type]
        self.answers = answers
        self._rendered: bytes | None = None

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        """The completed document, written once."""
        if self._rendered is None:
            document = complete(openapi_schema, self.answers)
            self._rendered = dump_json(document, ascii=False).encode()
        return self._rendered
