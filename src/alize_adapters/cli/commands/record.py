"""
``alize record``: commands recorded from a file, one a line (JSON Lines).

``alize record [--db PATH] [--dry-run] [--format text|json] FILE|-`` reads one command
request a line::

    {"id": "rep-2026-04", "command": "receive_repayment", "on": "2026-04-30", "actor": "OP1", "project": "P1", "amount": "1000.00"}

``id`` is the request's idempotency key, ``command`` a command's name
(:data:`~alize_core.commands.catalogue.COMMANDS`, listed by ``alize record --help``),
``on`` the date it takes effect, ``actor`` who gives it, and the command's arguments by
their parameter names, in the JSON form of alize's own outputs (amounts and rates as
text, dates ``YYYY-MM-DD``). Blank lines are allowed; the file is UTF-8 without a byte
order mark.

The whole file is read and checked before anything is written: a malformed line (not
JSON, a key twice, a number with decimals, an unknown command or argument, a loose
date, an id given twice to different commands) is named by its line number and field,
and nothing is recorded. Then each line is recorded in its own transaction, in file
order (:class:`~alize_adapters.storage.recording.Recorder`):

- a line whose id is already recorded is skipped, and said so: re-running a file never
  doubles anything;
- a refused line stops the run: its refusal is printed with its explanation and rule
  ids, nothing of it is written, and the lines before it stay recorded;
- ``--dry-run`` checks the whole file, each line on the register the lines before it
  would leave, and writes nothing.

Exit status: ``0`` every line recorded or already recorded; ``1`` a line refused, or a
file alize cannot read (malformed, not UTF-8, no register at ``--db``); ``2`` a usage
error (an unknown option, no FILE).

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any, Final

from alize_adapters.cli.commands._db import add_db_option, db_text, open_register_store
from alize_adapters.cli.commands._recording import read_input, recording_json, recording_text
from alize_adapters.cli.progress import Progress
from alize_adapters.storage.ports import IdempotencyConflict
from alize_adapters.storage.postgres import PostgresStore
from alize_adapters.storage.recording import Recorder, Recording, RecordStatus
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.commands.catalogue import COMMANDS, CommandRequest, read_request
from alize_core.kernel.errors import AlizeError, InvalidValue, MalformedInput
from alize_core.kernel.jsontext import DecimalText, dump_json, parse_json


__all__ = ["Line", "commands_help", "read_lines", "register", "run"]

_BOM: Final = b"\xef\xbb\xbf"

Line = tuple[int, CommandRequest, str]
"""A request of a record file: its line number, the request and its actor."""


def commands_help() -> str:
    """
    Every command a line may name, with its arguments (optional ones in brackets).

    >>> print(commands_help().splitlines()[1])
      propose_territory: territory, operator, prefecture, national_committee, state_chair
    """
    lines = [
        "commands and their arguments ([optional]; every line also has id, command, on, actor):"
    ]
    for name, spec in COMMANDS.items():
        arguments = ", ".join(
            parameter.name if parameter.required else f"[{parameter.name}]"
            for parameter in spec.parameters
        )
        lines.append(f"  {name}: {arguments or '(none)'}")
    return "\n".join(lines)


def register(subparsers: Any) -> None:
    """Add the ``record`` command."""
    parser = subparsers.add_parser(
        "record",
        help="record commands from a JSON Lines file, one a line, each once",
        description="Record the commands of a JSON Lines file, one request a line"
        ' ({"id", "command", "on", "actor", ...arguments}), each in its own transaction in'
        " file order. A line whose id is recorded is skipped; a refused line stops the run"
        " (exit 1) and writes nothing of itself. Exit status: 0 all recorded or skipped,"
        " 1 refused or bad input, 2 usage.",
        epilog=commands_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("file", metavar="FILE", help="the JSON Lines file, or - for standard input")
    parser.add_argument(
        "--dry-run", action="store_true", help="check every line on the register; write nothing"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _at_line(number: int, exc: AlizeError) -> AlizeError:
    """The error of a line's field, named by the line's number."""
    return type(exc)(f"line {number}: {exc.field}", exc.value, exc.reason)


def _decimal_path(value: object, path: str) -> tuple[str, str] | None:
    """The path and text of the first number with decimals in parsed JSON."""
    if isinstance(value, DecimalText):
        return path, str(value)
    items = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, item in items:
        where = f"{path}[{key}]" if isinstance(key, int) else (f"{path}.{key}" if path else key)
        found = _decimal_path(item, where)
        if found is not None:
            return found
    return None


def _decimals(text: str, number: int) -> MalformedInput | None:
    """A line refused for a number with decimals, named by its field (``amount``)."""
    try:
        found = _decimal_path(parse_json(text), "")
    except MalformedInput:
        return None
    if found is None:
        return None
    path, decimals = found
    msg = f'is a number with decimals; write amounts as text, e.g. "{decimals}"'
    return MalformedInput(f"line {number}: {path or '$'}", decimals, msg)


def read_lines(data: bytes) -> tuple[Line, ...]:
    """
    The requests of a record file's bytes, each read and checked, with its line number.

    >>> [(n, r.id, a) for n, r, a in read_lines(b'\\n{"id": "v1", "command": "validate_territory",'
    ...     b' "on": "2025-12-01", "actor": "CN"}\\n')]
    [(2, 'v1', 'CN')]
    >>> read_lines(b'{"id": "r1", "command": "receive_repayment", "on": "2026-04-30",'
    ...     b' "actor": "OP1", "project": "P1", "amount": 1000.5}')
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.MalformedInput: line 1: amount: '1000.5' is a number with decimals; write amounts as text, e.g. "1000.5"

    Raises:
        MalformedInput: A byte order mark, a line that is not UTF-8 or not JSON, or of the
            wrong shape (the line and the field are named).
        MissingValue: A line without ``id``, ``command``, ``on``, ``actor`` or a required
            argument.
        InvalidValue: An unknown command, a bad value, an id given to two different commands.
    """
    if data.startswith(_BOM):
        msg = "begins with a byte order mark; save the file as UTF-8 without one"
        raise MalformedInput("line 1", None, msg)
    lines: list[Line] = []
    seen: dict[str, tuple[int, str]] = {}
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            msg = f"is not UTF-8 text (byte {exc.start + 1} of the line cannot be read)"
            raise MalformedInput(f"line {number}", None, msg) from None
        try:
            value = parse_json(text, strict=True, field=f"line {number}")
        except MalformedInput as exc:
            raise _decimals(text, number) or exc from None
        try:
            request, actor = read_request(value, with_actor=True)
        except AlizeError as exc:
            raise _at_line(number, exc) from None
        assert actor is not None
        digest = request.digest(actor)
        earlier = seen.setdefault(request.id, (number, digest))
        if earlier[1] != digest:
            msg = f"is the id of line {earlier[0]}, a different command: give each its own id"
            raise InvalidValue(f"line {number}: id", request.id, msg)
        lines.append((number, request, actor))
    return tuple(lines)


def _record(
    store: SqliteStore | PostgresStore, lines: Sequence[Line], *, dry_run: bool
) -> list[tuple[int, Recording]]:
    """Record the lines in order; stop at the first refused."""
    recorder = Recorder(store, dry_run=dry_run)
    done: list[tuple[int, Recording]] = []
    with Progress("recording (lines)", len(lines)) as progress:
        for number, request, actor in lines:
            try:
                recording = recorder.record(request, actor)
            except IdempotencyConflict as exc:
                raise InvalidValue(f"line {number}: id", request.id, exc.reason) from None
            except AlizeError as exc:
                raise _at_line(number, exc) from None
            done.append((number, recording))
            progress.update(len(done))
            if recording.status is RecordStatus.REFUSED:
                break
    return done


def run(args: argparse.Namespace) -> int:
    """Record the file's lines; print what became of each."""
    lines = read_lines(read_input(args.file))
    with open_register_store(args.db) as store:
        done = _record(store, lines, dry_run=args.dry_run)
    counts = dict.fromkeys(RecordStatus, 0)
    for _, recording in done:
        counts[recording.status] += 1
    refused = next((n for n, r in done if r.status is RecordStatus.REFUSED), None)
    if args.format == "json":
        document = {
            "db": db_text(args.db),
            "dry_run": args.dry_run,
            "lines": [recording_json(recording, number) for number, recording in done],
            "recorded": counts[RecordStatus.RECORDED],
            "already_recorded": counts[RecordStatus.ALREADY_RECORDED],
            "refused": refused,
        }
        print(dump_json(document, ascii=False, indent=2))
        return 0 if refused is None else 1
    for number, recording in done:
        print(recording_text(recording, f"line {number}: "))
    summary = (
        f"{counts[RecordStatus.RECORDED]} recorded,"
        f" {counts[RecordStatus.ALREADY_RECORDED]} already recorded (skipped)"
    )
    if refused is not None:
        summary += (
            f"; stopped at line {refused}, refused: the lines before it are kept,"
            " the lines after it were not read"
        )
    if args.dry_run:
        summary += " (dry run: nothing was written)"
    print(summary)
    return 0 if refused is None else 1
