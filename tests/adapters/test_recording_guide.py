"""The guide to recording from the command line says what alize does: its examples run, its list of commands is COMMANDS."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.cli.commands.record import read_lines
from alize_adapters.connectors.territory_file import TERRITORY_KEYS, read_territory
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.commands.catalogue import COMMANDS, read_request
from alize_core.kernel.errors import MalformedInput
from alize_core.kernel.jsontext import parse_json


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "recording.md"
TEXT = GUIDE.read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", TEXT, re.S)


def _story() -> str:
    (story,) = [block for block in _blocks("text") if block.startswith('{"id": "proposal"')]
    return story


def _territory() -> str:
    (toml,) = _blocks("toml")
    return toml


def commands_table() -> str:
    """The table of commands and arguments the guide must hold, made from COMMANDS."""
    rows = ["| command | arguments (optional ones in brackets) |", "|---|---|"]
    for name, spec in COMMANDS.items():
        arguments = ", ".join(
            f"`{p.name}`" if p.required else f"[`{p.name}`]" for p in spec.parameters
        )
        rows.append(f"| `{name}` | {arguments or '—'} |")
    return "\n".join(rows)


def test_the_guide_lists_every_command_with_its_arguments() -> None:
    assert commands_table() in TEXT


def test_the_example_has_a_line_of_every_command_each_a_valid_request() -> None:
    named = []
    for line in _story().splitlines():
        request, actor = read_request(parse_json(line, strict=True), with_actor=True)
        assert actor is not None
        named.append(request.command.name)
    assert set(named) == set(COMMANDS)


def test_the_example_records_on_an_empty_register_as_the_guide_says(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "alize.db"
    SqliteStore(db).close()
    story = tmp_path / "story.jsonl"
    story.write_text(_story(), encoding="utf-8")

    assert main(["record", str(story), "--db", str(db)]) == 0

    out = capsys.readouterr().out
    lines = len(_story().splitlines())
    assert f"{lines} recorded, 0 already recorded (skipped)" in out
    quoted = re.search(r"- recorded: `(line \d+: .*?)`;", TEXT)
    assert quoted is not None
    assert quoted.group(1) in out


def test_the_territory_example_founds_a_register(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "meuse.toml"
    path.write_text(_territory(), encoding="utf-8")

    assert main(["init", str(path), "--db", str(tmp_path / "alize.db")]) == 0

    assert "founded" in capsys.readouterr().out


def test_the_territory_example_uses_every_key_and_the_table_names_each() -> None:
    data = tomllib.loads(_territory())
    assert set(data) == TERRITORY_KEYS[""]
    assert set(data["settings"]) == TERRITORY_KEYS["settings"]
    assert set().union(*data["people"]) == TERRITORY_KEYS["people"]
    table = TEXT.split("Every key:", 1)[1].split("\n\n", 2)[1]
    for key in TERRITORY_KEYS[""]:
        assert re.search(rf"^\| `(\[\[?)?{key}(\]\]?)?` \|", table, re.M), key
    for key in TERRITORY_KEYS["people"] | TERRITORY_KEYS["settings"]:
        assert f"`{key}`" in table, key
    read_territory(_territory().encode(), source="guide")


def test_the_malformed_line_quoted_is_the_error_alize_gives() -> None:
    quoted = re.search(r"alize: error: (line 7: amount: .*)\n", TEXT)
    assert quoted is not None
    line = (
        '{"id": "r", "command": "receive_repayment", "on": "2026-04-30", "actor": "OP1",'
        ' "project": "P1", "amount": 1000.5}'
    )
    with pytest.raises(MalformedInput) as raised:
        read_lines(("\n" * 6 + line).encode())
    assert str(raised.value) == quoted.group(1)
