"""
``POST /commands`` (*enregistrer une commande*): one command, the envelope of a line of
``alize record`` without its actor, recorded for the token's actor.

The answer (see the API guide):

- **201** ``{"status": "recorded", "id", "command", "events", "decision"}``: the new
  events, each its journal body as stored (``id``, ``kind``, ``on``, ``actor``, ``rules``,
  ``payload``) and its ``digest`` in the chain;
- **200** the same with ``"status": "already_recorded"``: the id was recorded before for
  the same command; its first events are given back and nothing is written again;
- **422** the refusal: the decision with its steps and rule ids, or the register's error
  naming the field and the value; nothing was written;
- **409** the id was used for another command, or other writers kept changing the register;
- **400** the body is not JSON or not a command request (the field is named).

>>> from alize_core.journal.codec import encode_body
>>> body = encode_body(1, "fee_paid", "2026-04-01", "OP1", rules=["X-01"], payload={})
>>> event_json(body, "ab" * 32)[:40]
b'{"id":1,"kind":"fee_paid","on":"2026-04-'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from typing import Any, Final

from litestar import Request, Response, post

from alize_adapters.serve.desk import Desk
from alize_adapters.serve.errors import ApiError
from alize_adapters.serve.openapi import Answer
from alize_adapters.storage.ports import IdempotencyConflict
from alize_adapters.storage.recording import Recording, RecordStatus
from alize_core.commands.catalogue import read_request
from alize_core.kernel.errors import AlizeError, ConcurrencyError
from alize_core.kernel.jsontext import dump_json, parse_json


__all__ = ["COMMAND_ANSWERS", "event_json", "record_command", "recording_json"]

_STATUS: Final = {RecordStatus.RECORDED: 201, RecordStatus.ALREADY_RECORDED: 200}


def event_json(body: bytes, digest: str) -> bytes:
    """An event in the API's JSON: its stored body (the journal's one truth) and its digest."""
    return body[:-1] + b',"digest":"' + digest.encode() + b'"}'


def recording_json(recording: Recording) -> bytes:
    """The answer to a command recorded now or before: its events and its decision."""
    events = b",".join(event_json(event.body(), event.digest) for event in recording.events)
    decision = None if recording.decision is None else recording.decision.to_dict()
    head = dump_json(
        {
            "status": recording.status.value,
            "id": recording.request.id,
            "command": recording.request.command.name,
        },
        ascii=False,
    )
    tail = dump_json(decision, ascii=False)
    return head[:-1].encode() + b',"events":[' + events + b'],"decision":' + tail.encode() + b"}"


@post(
    "/commands",
    status_code=201,
    summary="Record a command",
    operation_id="recordCommand",
    tags=["commands"],
)
async def record_command(request: Request[Any, Any, Any]) -> Response[bytes]:
    """
    Record one command for the token's actor: the envelope of a line of ``alize record``
    (``id``, ``command``, ``on`` and the command's arguments), without ``actor``.
    """
    body = await request.body()
    try:
        command, _ = read_request(parse_json(body, strict=True), with_actor=False)
    except AlizeError as error:
        raise ApiError.of(error, 400) from None
    desk: Desk = request.app.state.desk
    try:
        recording = await desk.record(command, request.state.actor)
    except (IdempotencyConflict, ConcurrencyError) as error:
        raise ApiError.of(error, 409) from None
    if recording.status is RecordStatus.REFUSED:
        if recording.error is not None:
            raise ApiError.of(recording.error, 422)
        assert recording.decision is not None
        raise ApiError(422, recording.explain(), decision=recording.decision)
    return Response(
        recording_json(recording),
        status_code=_STATUS[recording.status],
        media_type="application/json",
    )


COMMAND_ANSWERS: Final = {
    "recordCommand": Answer(
        201,
        {"application/json": {"$ref": "#/components/schemas/Recorded"}},
        (400, 409, 413, 422),
        "Recorded: the new events and the decision.",
    )
}
"""The answers of ``POST /commands``, for the OpenAPI document."""
