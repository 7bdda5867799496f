"""
``alize init``: a new register, founded from a territory file.

``alize init [--db PATH|URL] [--format text|json] TERRITORY.toml|-`` reads a territory file
written by hand (:mod:`alize_adapters.connectors.territory_file`: TOML, or JSON) — the
territory, its operator, prefecture, national committee and State chair, its settings,
its validation, its partners and people — and records the requests that found it in a
new register at ``--db`` (``./alize.db`` by default), through the same recorder as
``alize record``, each with its idempotency key (``init:admit_partner:ACIER``…).

All or nothing: every request is first checked on the register the ones before it leave
(a dry run); a refusal is printed with its explanation and rule ids and nothing is
written (a register file ``init`` created is removed). A register that already holds
events is refused: ``init`` founds, ``alize record`` carries on.

Exit status: ``0`` the register founded; ``1`` a refusal, a territory file alize cannot
read, or a register that already holds events; ``2`` a usage error.

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alize_adapters.cli.commands._db import add_db_option, db_text, open_register_store
from alize_adapters.cli.commands._recording import read_input, recording_json, recording_text
from alize_adapters.connectors.territory_file import read_territory
from alize_adapters.storage.postgres import PostgresStore, territory_of
from alize_adapters.storage.recording import Recorder, Recording, RecordStatus
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.commands.catalogue import CommandRequest
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.jsontext import dump_json


__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``init`` command."""
    parser = subparsers.add_parser(
        "init",
        help="found a new register from a territory file (TOML or JSON)",
        description="Found a new register from a territory file written by hand: the"
        " territory, its operator, prefecture, national committee, settings, partners and"
        " people. All or nothing: a refusal writes nothing (exit 1).",
    )
    parser.add_argument(
        "file", metavar="TERRITORY.toml", help="the territory file (TOML or JSON), or - for stdin"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _sidecars(path: Path) -> tuple[Path, ...]:
    """The register's file and the files SQLite keeps beside it."""
    return (path, *(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal")))


def _record(
    store: SqliteStore | PostgresStore, requests: tuple[tuple[CommandRequest, str], ...]
) -> list[Recording]:
    """
    Check every request in a dry run, then record them all; at a refusal, the requests
    checked so far, the refused one last, and nothing written.
    """
    dry = Recorder(store, dry_run=True)
    checked = []
    for request, actor in requests:
        recording = dry.record(request, actor)
        checked.append(recording)
        if recording.status is RecordStatus.REFUSED:
            return checked
    recorder = Recorder(store)
    return [recorder.record(request, actor) for request, actor in requests]


def run(args: argparse.Namespace) -> int:
    """Found the register from the territory file; print what was recorded."""
    source = "<stdin>" if args.file == "-" else args.file
    requests = read_territory(read_input(args.file), source=source)
    db: Path | str = args.db
    territory = requests[0][0].arguments["territory"]
    named = None
    if isinstance(db, str) and territory_of(db)[1] is None:
        named = getattr(territory, "id", None)  # a URL without ?territory=: the file's
    existed = isinstance(db, str) or db.exists()
    if isinstance(db, Path) and existed and db.is_dir():
        raise InvalidValue("--db", db_text(db), "is a folder, not a register file")
    recordings: list[Recording] = []
    try:
        with open_register_store(db, territory=named, create=True) as store:
            if store.version():
                msg = (
                    f"already holds {store.version()} events: init founds a new register;"
                    " record what follows with alize record"
                )
                raise InvalidValue("--db", db_text(db), msg)
            recordings = _record(store, requests)
    finally:
        refused = not recordings or recordings[-1].status is RecordStatus.REFUSED
        if refused and not existed and isinstance(db, Path):
            for file in _sidecars(db):
                file.unlink(missing_ok=True)
    ok = recordings[-1].status is not RecordStatus.REFUSED
    if args.format == "json":
        document = {
            "db": db_text(db),
            "territory": getattr(territory, "id", None),
            "founded": ok,
            "requests": [recording_json(recording) for recording in recordings],
        }
        print(dump_json(document, ascii=False, indent=2))
        return 0 if ok else 1
    for recording in recordings:
        print(recording_text(recording, "  "))
    if ok:
        events = sum(len(recording.events) for recording in recordings)
        print(f"Register {db_text(db)} founded: {len(recordings)} commands, {events} events.")
    else:
        print(f"Nothing was written: {db_text(db)} was not founded.")
    return 0 if ok else 1
