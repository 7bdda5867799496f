"""POST /commands over real HTTP: recorded, replayed, refused, conflicting, malformed."""

from __future__ import annotations

import json

from alize_adapters.storage.sqlite import read_events
from tests.serve.live import Server
from tests.serve.territory import NATIONAL, OPERATOR, TODAY


def _repayment(key: str, amount: str = "10.00") -> dict[str, object]:
    return {
        "id": key,
        "command": "receive_repayment",
        "on": TODAY,
        "project": "P2",
        "amount": amount,
    }


def test_a_recorded_command_answers_its_events_as_the_journal_stores_them(server: Server) -> None:
    with server.client(OPERATOR) as client:
        answer = client.post("/commands", json=_repayment("repay-journal"))
    assert answer.status_code == 201
    document = answer.json()
    assert document["status"] == "recorded"
    assert document["decision"]["outcome"] == "accepted"
    stored = {event.id: event for event in read_events(server.db)}
    for event in document["events"]:
        kept = stored[event["id"]]
        assert event["digest"] == kept.digest
        assert event["actor"] == OPERATOR
        body = {key: value for key, value in event.items() if key != "digest"}
        assert json.loads(kept.body()) == body


def test_the_same_id_sent_twice_is_recorded_once(server: Server) -> None:
    with server.client(OPERATOR) as client:
        first = client.post("/commands", json=_repayment("repay-twice"))
        before = len(read_events(server.db))
        second = client.post("/commands", json=_repayment("repay-twice"))
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["status"] == "already_recorded"
    assert second.json()["events"] == first.json()["events"]
    assert len(read_events(server.db)) == before


def test_an_id_reused_for_another_command_is_a_conflict(server: Server) -> None:
    with server.client(OPERATOR) as client:
        client.post("/commands", json=_repayment("repay-reused"))
        answer = client.post("/commands", json=_repayment("repay-reused", "11.00"))
    assert answer.status_code == 409
    assert answer.json()["error"]["field"] == "id"
    assert "repay-reused" in answer.json()["error"]["message"]


def test_the_same_id_from_another_actor_is_a_conflict(server: Server) -> None:
    request = {"id": "fee-actor", "command": "pay_fee", "on": TODAY}
    request |= {"amount": "45.00", "label": "frais"}
    with server.client(OPERATOR) as client:
        assert client.post("/commands", json=request).status_code == 201
    with server.client(NATIONAL) as client:
        assert client.post("/commands", json=request).status_code == 409


def test_a_vote_by_someone_not_a_representative_is_refused_naming_gov_02(server: Server) -> None:
    request = {"id": "vote-op", "command": "cast_vote", "on": TODAY}
    request |= {"session": "S2", "project": "P4", "ballot": "for"}
    before = len(read_events(server.db))
    with server.client(OPERATOR) as client:
        answer = client.post("/commands", json=request)
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert "GOV-02" in error["rules"]
    assert error["decision"]["outcome"] == "refused"
    failed = [step for step in error["decision"]["steps"] if not step["passed"]]
    assert [step["rule"] for step in failed] == ["GOV-02"]
    assert failed[0]["message"] in error["decision"]["explanation"]
    assert len(read_events(server.db)) == before


def test_a_command_on_an_unknown_project_is_refused_naming_the_field(server: Server) -> None:
    with server.client(OPERATOR) as client:
        answer = client.post("/commands", json={**_repayment("repay-p9"), "project": "P9"})
    assert answer.status_code == 422
    assert answer.json()["error"]["field"] == "project"
    assert answer.json()["error"]["value"] == "'P9'"


def test_an_actor_field_is_refused_the_token_says_who_acts(server: Server) -> None:
    with server.client(OPERATOR) as client:
        answer = client.post("/commands", json={**_repayment("repay-actor"), "actor": NATIONAL})
    assert answer.status_code == 400
    assert answer.json()["error"]["field"] == "actor"


def test_an_amount_written_as_a_json_number_with_decimals_is_malformed(server: Server) -> None:
    body = b'{"id": "r-float", "command": "receive_repayment", "on": "2026-06-15",'
    body += b' "project": "P2", "amount": 520.83}'
    with server.client(OPERATOR) as client:
        answer = client.post("/commands", content=body)
    assert answer.status_code == 400
    assert "520.83" in answer.json()["error"]["message"]


def test_malformed_bodies_are_answered_400_naming_the_field(server: Server) -> None:
    cases = {
        b"": None,
        b"{not json": None,
        b"[]": "request",
        b'{"command": "pay_fee", "on": "2026-01-01"}': "id",
        b'{"id": "x", "command": "repay", "on": "2026-01-01"}': "command",
        b'{"id": "x", "command": "pay_fee", "on": "2026-1-1"}': "on",
        b'{"id": "x", "command": "pay_fee", "on": "2026-01-01", "amount": "1"}': "label",
        b'{"id": "x", "id": "y", "command": "pay_fee"}': None,
    }
    with server.client(OPERATOR) as client:
        for body, field in cases.items():
            answer = client.post("/commands", content=body)
            assert answer.status_code == 400, body
            error = answer.json()["error"]
            assert error["code"] == "malformed"
            if field is not None:
                assert error["field"] == field, body


def test_a_body_over_the_limit_is_refused_413(server: Server) -> None:
    body = json.dumps({**_repayment("repay-big"), "label": "x" * 70_000}).encode()
    with server.client(OPERATOR) as client:
        answer = client.post("/commands", content=body)
    assert answer.status_code == 413
    assert answer.json()["error"]["code"] == "too_large"
