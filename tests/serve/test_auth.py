"""Tokens over real HTTP: no token, a forged one or a revoked one get 401; the document is public."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from alize_adapters.storage.sqlite import SqliteStore
from alize_adapters.storage.tokens import issue_token
from tests.serve.live import Server
from tests.serve.territory import OPERATOR, TODAY


FEE = {"id": "fee-auth", "command": "pay_fee", "on": TODAY, "amount": "1.00", "label": "frais"}


@pytest.mark.parametrize(
    "header",
    [None, "Bearer alz_forged", "Bearer", "Basic T1A6c2VjcmV0", "alz_no_scheme"],
)
def test_a_command_without_a_valid_token_is_answered_401_and_writes_nothing(
    server: Server, header: str | None
) -> None:
    headers = {} if header is None else {"Authorization": header}
    with server.client() as client:
        answer = client.post("/commands", json=FEE, headers=headers)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert answer.json()["error"]["code"] == "unauthorized"
    with SqliteStore(server.db, create=False) as store:
        assert store.recorded_command("fee-auth") is None


def test_a_revoked_token_is_answered_401(server: Server) -> None:
    with SqliteStore(server.db, create=False) as store:
        info, token = issue_token(store, OPERATOR, datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    headers = {"Authorization": f"Bearer {token}"}
    with server.client() as client:
        assert client.get("/openapi.json").status_code == 200
        assert client.post("/commands", json=FEE, headers=headers).status_code != 401
        with SqliteStore(server.db, create=False) as store:
            store.revoke_tokens(token_id=info.id)
        answer = client.post("/commands", json={**FEE, "id": "fee-revoked"}, headers=headers)
    assert answer.status_code == 401


def test_the_openapi_document_needs_no_token(server: Server) -> None:
    with server.client() as client:
        answer = client.get("/openapi.json")
    assert answer.status_code == 200
    assert answer.json()["openapi"].startswith("3.1")


def test_an_unknown_path_is_answered_in_json(server: Server) -> None:
    with server.client(OPERATOR) as client:
        answers = [client.get("/nowhere"), client.get("/openapi.json/nowhere")]
        answers.append(client.delete("/commands"))
    assert [answer.status_code for answer in answers] == [404, 404, 405]
    assert all("error" in answer.json() for answer in answers)
