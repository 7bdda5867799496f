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

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import argparse
import json
from importlib import resources
from pathlib import Path
from typing import Any, Final

from alize_core import MalformedInput, MissingValue, Settings
from alize_core.governance.committee import CommitteeSession, decide
from alize_core.kernel.serialization import parse_json, structure


__all__ = ["SESSION_SETTINGS", "load_session", "register", "run", "session_schema"]

SESSION_SETTINGS: Final = ("quorum", "vote_per", "conflicts_excluded")
"""The settings a session file may set for its territory."""

SETTINGS_SECTION: Final = "paramètres du fichier de séance"
"""The section cited by the settings a session file sets."""


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
        "session", nargs="?", type=Path, metavar="SESSION.json", help="the session file"
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--schema", action="store_true", help="print the JSON schema of the session file and stop"
    )
    parser.set_defaults(handler=run)


def session_schema() -> str:
    """
    The JSON schema of the session file, as shipped in the package.

    .. versionadded:: 0.1.0
    """
    schema = resources.files("alize_adapters") / "schemas" / "session.schema.json"
    return schema.read_text(encoding="utf-8")


def _territory_settings(raw: object, session: CommitteeSession) -> Settings:
    if not isinstance(raw, dict):
        raise MalformedInput("settings", "must be an object (quorum, vote_per, conflicts_excluded)")
    settings = Settings.national()
    for name, value in raw.items():
        if name not in SESSION_SETTINGS:
            known = ", ".join(SESSION_SETTINGS)
            raise MalformedInput(f"settings.{name}", f"is not a setting of a session ({known})")
        parsed = Settings.definition(name).parse(value, field=f"settings.{name}")
        settings = settings.set_for_territory(
            session.territory, name, parsed, start=session.date, section=SETTINGS_SECTION
        )
    return settings


def load_session(data: object) -> tuple[CommitteeSession, Settings]:
    """
    The session and its settings from a session file's parsed JSON.

    Raises:
        MalformedInput: The data does not fit the session file's shape; the path of
            the culprit is named.
        InvalidValue: A setting's value does not fit it (``settings.quorum``…).

    .. versionadded:: 0.1.0
    """
    if not isinstance(data, dict):
        raise MalformedInput("$", "must be a JSON object describing one session")
    fields = {key: value for key, value in data.items() if key != "settings"}
    session = structure(fields, CommitteeSession)
    return session, _territory_settings(data.get("settings", {}), session)


def run(args: argparse.Namespace) -> int:
    """Decide the session and print the result."""
    if args.schema:
        print(session_schema(), end="")
        return 0
    path: Path | None = args.session
    if path is None:
        raise MissingValue("SESSION.json")
    session, settings = load_session(parse_json(path.read_bytes()))
    result = decide(session, settings)
    if args.format == "json":
        print(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(result.explain())
    return 0
