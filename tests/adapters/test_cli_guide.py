"""
The command line's guide (docs/guide/cli.md) lists every command as the parser knows it.

The list between the page's ``commands`` markers is made from the parser itself
(:func:`command_list`); when a command is added or its help changes, this test fails and
prints the list to put in its place.
"""

from __future__ import annotations

import argparse
import importlib
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from alize_adapters.cli import build_parser, command_module, command_names


GUIDE: Final = Path(__file__).resolve().parents[2] / "docs" / "guide" / "cli.md"
START: Final = "<!-- commands: made from the parser; tests/adapters/test_cli_guide.py checks it -->"
END: Final = "<!-- end of commands -->"


def _subcommands(
    parser: argparse.ArgumentParser,
) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
    return next((a for a in parser._actions if isinstance(a, argparse._SubParsersAction)), None)


def commands(
    parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, str]]:
    """Every command and subcommand, ``alize report activity``, with its one-line help."""
    action = _subcommands(parser)
    if action is None:
        return
    helps = {choice.dest: choice.help or "" for choice in action._choices_actions}
    for name, child in action.choices.items():
        words = (*path, name)
        if _subcommands(child) is None:
            yield "alize " + " ".join(words), helps.get(name, "")
        yield from commands(child, words)


def command_list() -> str:
    """The page's table of commands, as the parser gives them."""
    rows = ["| command | what it does |", "|---|---|"]
    for command, help_text in commands(build_parser()):
        cell = help_text.replace("|", "\\|")
        rows.append(f"| `{command}` | {cell} |")
    return "\n".join([START, "", *rows, "", END])


def test_the_guide_lists_every_command_as_the_parser_has_it() -> None:
    """The guide's table of commands is the one the parser makes, to the word."""
    text = GUIDE.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    assert start >= 0, f"{GUIDE} has lost its {START!r} marker"
    assert end > start, f"{GUIDE} has lost its {END!r} marker"
    shown = text[start : end + len(END)]

    expected = command_list()
    assert shown == expected, f"put this table in {GUIDE.name}:\n\n{expected}\n"


def test_the_list_names_each_command_of_the_parser() -> None:
    """The table is not empty and has a row for each leaf command (report activity, relay...)."""
    listed = dict(commands(build_parser()))

    assert {"alize relay", "alize check", "alize report activity", "alize adapters outbox"} <= set(
        listed
    )
    assert all(listed.values())


@pytest.mark.parametrize("name", command_names())
def test_each_command_documents_its_exit_status(name: str) -> None:
    """Every command's module says, in its docstring, what each exit status means."""
    module = importlib.import_module(command_module(name))

    assert "Exit status:" in (module.__doc__ or ""), (
        f"{module.__name__}'s docstring has no 'Exit status: 0 …; 1 …' paragraph"
    )
