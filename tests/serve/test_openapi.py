"""GET /openapi.json: a valid OpenAPI 3.1 document describing every endpoint, body and error."""

from __future__ import annotations

from typing import Any

import pytest

from alize_core.commands.catalogue import COMMANDS
from tests.serve.live import Server


openapi_spec_validator = pytest.importorskip("openapi_spec_validator")
jsonschema = pytest.importorskip("jsonschema")


@pytest.fixture(scope="module")
def document(server: Server) -> dict[str, Any]:
    with server.client() as client:
        answer = client.get("/openapi.json")
    assert answer.status_code == 200
    data: dict[str, Any] = answer.json()
    return data


def test_the_document_validates_as_openapi_3_1(document: dict[str, Any]) -> None:
    assert document["openapi"].startswith("3.1.")
    openapi_spec_validator.validate(document)


def test_every_operation_needs_a_token_and_documents_401_and_500(document: dict[str, Any]) -> None:
    assert document["security"] == [{"bearer": []}]
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    for path in document["paths"].values():
        for operation in path.values():
            assert {"401", "500"} <= set(operation["responses"]), operation["operationId"]


def test_the_commands_body_has_one_schema_per_command(document: dict[str, Any]) -> None:
    body = document["paths"]["/commands"]["post"]["requestBody"]["content"]["application/json"]
    schemas = document["components"]["schemas"]
    request = schemas[body["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert set(request["discriminator"]["mapping"]) == set(COMMANDS)
    for name, spec in COMMANDS.items():
        schema = schemas[f"command.{name}"]
        expected = {"id", "command", "on", *(p.name for p in spec.parameters if p.required)}
        assert set(schema["required"]) == expected
        assert set(schema["properties"]) == {
            "id",
            "command",
            "on",
            *(p.name for p in spec.parameters),
        }


def _validator(document: dict[str, Any], name: str) -> Any:
    schema = {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


def test_the_territorys_requests_match_their_schemas(document: dict[str, Any]) -> None:
    from tests.serve.territory import year_requests

    validator = _validator(document, "CommandRequest")
    for _actor, request in year_requests():
        validator.validate(request)


def test_a_request_with_an_unknown_argument_does_not_match(document: dict[str, Any]) -> None:
    validator = _validator(document, "CommandRequest")
    request = {"id": "x", "command": "pay_fee", "on": "2026-01-01", "amount": "1", "label": "l"}
    assert validator.is_valid(request)
    assert not validator.is_valid({**request, "colour": "red"})
    assert not validator.is_valid({**request, "amount": 1.5})
    assert not validator.is_valid({**request, "on": "2026-13-01"})
