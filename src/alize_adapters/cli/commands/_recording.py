"""What ``alize init`` and ``alize record`` share: reading a file or standard input, and
showing what the recorder did with each request (as text or JSON)."""

from __future__ import annotations

import sys
from typing import Any

from alize_adapters.storage.recording import Recording, RecordStatus
from alize_core.kernel.errors import InvalidValue


def read_input(name: str) -> bytes:
    """
    The bytes of a file, or of standard input for ``-``.

    Raises:
        InvalidValue: The name is a folder.
        OSError: The file cannot be read (the command line names it).
    """
    if name == "-":
        return sys.stdin.buffer.read()
    from pathlib import Path  # noqa: PLC0415 - only the file's door needs it

    path = Path(name)
    if path.is_dir():
        raise InvalidValue("FILE", name, "is a folder, not a file")
    return path.read_bytes()


def recording_json(recording: Recording, line: int | None = None) -> dict[str, Any]:
    """
    A request's fate as JSON-ready data: its line (for a record file), id, command, date,
    status, the ids of its events, the rules of the refusal (or of the decision) and the
    decision itself (``null`` when there is none: already recorded, or an error).
    """
    request = recording.request
    data: dict[str, Any] = {} if line is None else {"line": line}
    data |= {
        "id": request.id,
        "command": request.command.name,
        "on": request.on.isoformat(),
        "status": recording.status.value,
        "events": [event.id for event in recording.events],
        "rules": list(recording.rules),
        "decision": None if recording.decision is None else recording.decision.to_dict(),
        "error": None if recording.error is None else str(recording.error),
    }
    return data


def _events(recording: Recording) -> str:
    ids = [event.id for event in recording.events]
    if not ids:
        return "no event"
    if len(ids) == 1:
        return f"event {ids[0]}"
    return f"events {ids[0]}–{ids[-1]}"


def recording_text(recording: Recording, where: str) -> str:
    """
    A request's fate in a line of text (a refusal: with its explanation, one line a step,
    and its rule ids).
    """
    request = recording.request
    head = f"{where}{request.id} ({request.command.name}, {request.on.isoformat()})"
    if recording.status is RecordStatus.RECORDED:
        return f"{head}: recorded, {_events(recording)}"
    if recording.status is RecordStatus.ALREADY_RECORDED:
        return f"{head}: already recorded ({_events(recording)}), skipped"
    lines = [f"{head}: refused; nothing of it was written"]
    lines += [f"    {text}" for text in recording.explain().splitlines()]
    if recording.rules:
        lines.append(f"    rules: {', '.join(recording.rules)}")
    return "\n".join(lines)
