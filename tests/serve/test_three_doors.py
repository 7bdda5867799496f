"""Three doors, one answer: the HTTP API, the command line and the Python API agree."""

from __future__ import annotations

import json
from datetime import date

import pytest

from alize_adapters.cli import main
from alize_adapters.storage.recording import Recorder, RecordStatus
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.commands.catalogue import read_request
from alize_core.kernel.jsontext import dump_json
from alize_core.register.storage import load
from alize_core.reporting.documents import fund_document, project_document, session_document
from tests.serve.live import Server
from tests.serve.territory import OPERATOR, TODAY, YEAR


END = date(YEAR, 12, 31)

DOORS = [
    ("/projects/P1", ["show", "project", "P1"], lambda r: project_document(r, "P1")),
    ("/sessions/S1", ["show", "session", "S1"], lambda r: session_document(r, "S1")),
    (f"/fund?on={END}", ["report", "fund", "--on", str(END)], lambda r: fund_document(r, END)),
]


@pytest.mark.parametrize(("path", "command", "python"), DOORS)
def test_the_api_the_command_line_and_python_give_one_answer(
    server: Server,
    capsys: pytest.CaptureFixture[str],
    path: str,
    command: list[str],
    python: object,
) -> None:
    with server.client(OPERATOR) as client:
        through_http = client.get(path).json()
    capsys.readouterr()
    assert main([*command, "--format", "json", "--db", str(server.db)]) == 0
    through_cli = json.loads(capsys.readouterr().out)
    with SqliteStore(server.db, create=False) as store:
        register = load(store)
    assert callable(python)
    through_python = json.loads(dump_json(python(register)))
    assert through_http == through_cli == through_python


def test_a_command_recorded_by_another_writer_meanwhile_is_seen_and_not_doubled(
    server: Server,
) -> None:
    """A file recorded beside the server (alize record, another process) changes its register."""
    request = {"id": "beside-1", "command": "pay_fee", "on": TODAY, "amount": "3.00"}
    request |= {"label": "frais enregistrés à côté"}
    with SqliteStore(server.db, create=False) as store:
        read, actor = read_request({**request, "actor": OPERATOR})
        assert actor is not None
        assert Recorder(store).record(read, actor).status is RecordStatus.RECORDED
        version = store.version()
    with server.client(OPERATOR) as client:
        replay = client.post("/commands", json=request)
        after = client.post("/commands", json={**request, "id": "beside-2"})
        territory = client.get("/territory").json()
    assert replay.status_code == 200
    assert replay.json()["status"] == "already_recorded"
    assert after.status_code == 201
    assert after.json()["events"][0]["id"] == version + 1
    assert territory["events"] == version + 1
