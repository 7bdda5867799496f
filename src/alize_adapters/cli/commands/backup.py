"""
``alize backup DEST``: copy a live register with SQLite's online backup, then verify the copy.

``--format json`` prints ``{"destination", "events", "head", "verified"}``. Exit status: 0
when the copy is made and verifies, 1 otherwise (the message names the problem).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alize_adapters.cli.commands._db import add_db_option, open_register_store, path_text, verified
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.kernel.jsontext import dump_json


def register(subparsers: Any) -> None:
    """Add the ``backup`` command."""
    parser = subparsers.add_parser(
        "backup",
        help="copy the register to a new file (SQLite online backup) and verify the copy",
        description="Copy the register, even while it is in use, to a new file with SQLite's"
        " online backup, then verify the copy's hash chain.",
    )
    parser.add_argument("destination", type=Path, metavar="DEST", help="the new file")
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Back the register up and verify the copy."""
    with open_register_store(args.db) as store:
        store.backup(args.destination)
    with SqliteStore(args.destination, create=False) as copy:
        verification = verified(copy, "the copy", "destination")
    if args.format == "json":
        data = {
            "destination": path_text(args.destination),
            "events": verification.events,
            "head": verification.head,
            "verified": verification.ok,
        }
        print(dump_json(data, ascii=False, indent=2))
        return 0
    print(
        f"backed up {verification.events} events to {path_text(args.destination)}"
        f" (head {verification.head[:16]}…), verified"
    )
    return 0
