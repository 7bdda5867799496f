"""CORS is off unless origins are given: a browser on another origin may call only those."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.live import Server, serve
from tests.serve.territory import OPERATOR


CRM = "https://crm.example.org"


@pytest.fixture(scope="module")
def open_to_crm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder: Path = tmp_path_factory.mktemp("cors")
    with serve(folder, "--cors-origin", CRM) as live:
        yield live


def _preflight(live: Server, origin: str) -> dict[str, str]:
    headers = {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type",
    }
    with live.client() as client:
        return dict(client.options("/commands", headers=headers).headers)


def test_without_origins_no_browser_origin_is_allowed(server: Server) -> None:
    with server.client(OPERATOR) as client:
        answer = client.get("/rules", headers={"Origin": CRM})
    assert answer.status_code == 200
    assert "access-control-allow-origin" not in answer.headers
    assert "access-control-allow-origin" not in _preflight(server, CRM)


def test_a_configured_origin_is_allowed_and_no_other(open_to_crm: Server) -> None:
    assert _preflight(open_to_crm, CRM)["access-control-allow-origin"] == CRM
    other = _preflight(open_to_crm, "https://elsewhere.example.net")
    assert other.get("access-control-allow-origin") != "https://elsewhere.example.net"
