"""
``alize decide``: decide a session of the approval committee read from a JSON file.

The file holds the session (territory, date, partner companies, attendees,
president, agenda with ballots and means) and the territory's settings for it
(``quorum``, ``vote_per``, ``conflicts_excluded``), which apply from the
session's date over the national defaults. Its shape is the JSON schema shipped
in the package (``alize decide --schema`` prints it). A file that does not fit
prints one line naming the path of the culprit (e.g. ``attendees[2].role``) and
exits with status 1; a session that is not validly held is a result, printed
like any other, and exits with status 0.

Exit status: 0 decided (whatever the decisions); 1 a session file that does not fit.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alize_adapters.cli.commands._files import read_input
from alize_adapters.connectors.session_file import load_session, session_schema
from alize_core import MissingValue
from alize_core.governance.committee import decide
from alize_core.kernel.jsontext import dump_json, parse_json


__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``decide`` command."""
    parser = subparsers.add_parser(
        "decide",
        help="decide a session of the approval committee read from a JSON file",
        description="Read a session of the approval committee from a JSON file and print"
        " whether it was validly held and each project's decision, with the arithmetic"
        " of the vote and the rules applied.",
    )
    parser.add_argument(
        "session",
        nargs="?",
        type=Path,
        metavar="SESSION.json",
        help="the session file (- for stdin)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--schema", action="store_true", help="print the JSON schema of the session file and stop"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Decide the session and print the result."""
    if args.schema:
        print(session_schema(), end="")
        return 0
    path: Path | None = args.session
    if path is None:
        raise MissingValue("SESSION.json", None)
    session, settings = load_session(parse_json(read_input(path)))
    result = decide(session, settings)
    if args.format == "json":
        print(dump_json(result.to_dict(), ascii=False, indent=2))
    else:
        print(result.explain())
    return 0
