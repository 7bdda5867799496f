"""
``alize settings``: a territory's own settings, adopted into its register and shown as in force.

``alize settings adopt [FILE] [--set NAME=VALUE…] --on DATE --actor ID [--section TEXT]``
reads a JSON object of settings and values (``{"quorum": 3, "rounding": "down"}``), or
values given one by one (``--set quorum=3``), and records them in the
register by :func:`alize_core.commands.adopt_settings`: in force from ``--on`` until the
territory adopts another value of the same setting. A refusal (an actor who is not the
operator's staff, a setting the charter fixes…) is printed with its reasons and exits 1,
recording nothing. ``alize settings show [--on DATE]`` prints every setting in force on a
date, with where its value comes from. Every command and report then reads the settings
the register knows on its own date.

Exit status: 0 adopted (or shown); 1 a refusal (its reasons printed, nothing recorded), a
settings file that does not fit, or no register.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from alize_adapters.cli.commands._db import add_db_option, iso_date, open_register_store
from alize_adapters.cli.commands._files import read_input
from alize_core.commands import RULES_SECTION, adopt_settings, run
from alize_core.kernel.errors import MalformedInput, MissingValue
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.kernel.settings import SETTINGS, Setting, SettingValue, setting_named
from alize_core.register.storage import load


__all__ = ["register", "run_adopt", "run_show"]


def register(subparsers: Any) -> None:
    """Add the ``settings`` command and its ``adopt`` and ``show`` subcommands."""
    parser = subparsers.add_parser(
        "settings",
        help="adopt a territory's settings into its register, or show those in force",
        description="A territory's own settings (its règlement intérieur): adopted into"
        " the register from a date, then read by every command and report on its date.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    adopt = actions.add_parser(
        "adopt",
        help="record the territory's values of settings, in force from --on",
        description='Read a JSON object of settings and values (e.g. {"quorum": 3}), or'
        " values given with --set, and record them in the register, in force from --on.",
    )
    adopt.add_argument(
        "file",
        type=Path,
        nargs="?",
        metavar="FILE.json",
        help="the settings and values (- for stdin)",
    )
    adopt.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="one setting's value (repeat for each), e.g. --set quorum=3 --set rounding=down",
    )
    adopt.add_argument("--on", type=iso_date, required=True, help="the day they are adopted")
    adopt.add_argument("--actor", required=True, help="who records them (the operator's staff)")
    adopt.add_argument(
        "--section", default=RULES_SECTION, help="the article of the territory's rules"
    )
    add_db_option(adopt)
    adopt.set_defaults(handler=run_adopt)
    show = actions.add_parser(
        "show",
        help="print every setting in force on a date and where its value comes from",
        description="Print every setting in force on a date, with where its value comes"
        " from (the national default, or the territory's rules and from when).",
    )
    show.add_argument("--on", type=iso_date, help="the date (default: the register's last event)")
    show.add_argument("--format", choices=("text", "json"), default="text")
    add_db_option(show)
    show.set_defaults(handler=run_show)


def read_values(data: object, where: str) -> dict[Setting[SettingValue], object]:
    """
    The settings and values of a settings file's parsed JSON, each read as its setting says.

    Raises:
        MalformedInput: Not an object of settings alize knows.
        InvalidValue: A value does not fit its setting (the error names it).
    """
    if not isinstance(data, dict) or not data:
        raise MalformedInput(where, None, 'must be a JSON object of settings, e.g. {"quorum": 3}')
    values: dict[Setting[SettingValue], object] = {}
    for name, raw in data.items():
        setting = setting_named(name)
        values[setting] = setting.parse(raw, field=f"{where}.{name}")
    return values


def _given(pairs: list[str]) -> dict[str, object]:
    """``--set NAME=VALUE`` pairs: the value read as JSON (``3``, ``true``), else as text."""
    given: dict[str, object] = {}
    for pair in pairs:
        name, sep, text = pair.partition("=")
        if not sep or not name:
            raise MalformedInput("--set", None, f"{pair!r} is not written NAME=VALUE")
        try:
            given[name] = parse_json(text.encode())
        except MalformedInput:
            given[name] = text
    return given


def run_adopt(args: argparse.Namespace) -> int:
    """Adopt the file's (and --set's) settings into the register; print the decision."""
    data = {} if args.file is None else parse_json(read_input(args.file))
    if not isinstance(data, dict):
        raise MalformedInput(str(args.file), None, "must be a JSON object of settings")
    where = "--set" if args.file is None else str(args.file)
    values = read_values({**data, **_given(args.set)}, where)
    with open_register_store(args.db) as store:
        result = run(
            store,
            lambda register: adopt_settings(
                register, values, section=args.section, on=args.on, actor=args.actor
            ),
        )
    print(result.decision.explain())
    return 0 if result.accepted else 1


def run_show(args: argparse.Namespace) -> int:
    """Print the settings in force on the date."""
    with open_register_store(args.db) as store:
        register = load(store)
    record = register.territory
    territory = record.territory.id if record is not None else ""
    on: date | None = args.on or register.as_of
    if on is None:
        raise MissingValue("--on", None)  # an empty register has no last event to date it
    rows = []
    for setting in SETTINGS:
        version = register.settings.resolve(setting, on=on, territory=territory)
        source = (
            "national default"
            if version.territory is None
            else f"{version.citation.section}, from {version.start.isoformat()}"
        )
        rows.append((setting.name, version.value, source))
    if args.format == "json":
        data = [
            {"name": n, "value": v if isinstance(v, bool | int) else str(v), "source": s}
            for n, v, s in rows
        ]
        document = {"territory": territory, "on": on.isoformat(), "settings": data}
        print(dump_json(document, ascii=False, indent=2))
        return 0
    print(f"Settings of {territory or 'no territory'} on {on.isoformat()}:")
    width = max(len(name) for name, _, _ in rows)
    for name, value, source in rows:
        print(f"  {name:<{width}}  {value}  ({source})")
    return 0
