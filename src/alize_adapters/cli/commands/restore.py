"""
``alize restore SOURCE``: restore a backup into the register with SQLite's online backup.

``--format json`` prints ``{"source", "db", "events", "head"}``. Exit status: 0 when the
backup verified and was restored, 1 otherwise (nothing is written then).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alize_adapters.cli.commands._db import (
    add_db_option,
    db_text,
    path_text,
    verified,
)
from alize_adapters.storage.postgres import PostgresStore
from alize_adapters.storage.sqlite import SqliteStore, restore
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.jsontext import dump_json


def register(subparsers: Any) -> None:
    """Add the ``restore`` command."""
    parser = subparsers.add_parser(
        "restore",
        help="restore a backup into the register (it must verify first)",
        description="Verify a backup's hash chain, then copy it into the register with"
        " SQLite's online backup. A register that already holds events is replaced only"
        " with --force.",
    )
    parser.add_argument("source", type=Path, metavar="SOURCE", help="the backup file")
    parser.add_argument(
        "--force", action="store_true", help="replace a register that already holds events"
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Verify the backup, then restore it."""
    with SqliteStore(args.source, create=False) as backup:
        verification = verified(backup, "the backup", "source")
    if isinstance(args.db, str):
        if args.force:
            msg = "cannot replace a PostgreSQL register; restore into a territory with no events"
            raise InvalidValue("--force", None, msg)
        with PostgresStore(args.db) as store:
            store.restore(args.source)
    else:
        restore(args.source, args.db, replace=args.force)
    if args.format == "json":
        data = {
            "source": path_text(args.source),
            "db": db_text(args.db),
            "events": verification.events,
            "head": verification.head,
        }
        print(dump_json(data, ascii=False, indent=2))
        return 0
    print(
        f"restored {verification.events} events from {path_text(args.source)} into {db_text(args.db)}"
        f" (head {verification.head[:16]}…)"
    )
    return 0
