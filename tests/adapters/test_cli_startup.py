"""
How ``alize`` starts: a command imports its own module only, ``--version`` imports none.

Each check runs ``alize`` in an interpreter of its own and reads ``sys.modules`` after
the command ran; no time is measured here (the guide gives the numbers).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

import pytest

from alize_adapters.cli import build_parser, command_module, command_names, main
from alize_core import __version__


HEAVY = (
    "alize_core",
    "alize_core.reporting",
    "alize_adapters.connectors",
    "alize_adapters.storage",
    "alize_adapters.host",
    "pluggy",
)


def modules_after(*args: str) -> tuple[str, list[str]]:
    """What ``alize ARGS`` printed, and the modules loaded once it returned."""
    code = (
        "import io, json, sys, contextlib\n"
        "from alize_adapters.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n"
        f"        main({list(args)!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(json.dumps([out.getvalue(), sorted(sys.modules)]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    printed, modules = json.loads(result.stdout)
    return printed, modules


def test_version_imports_neither_the_core_nor_any_command() -> None:
    """alize --version prints the version and leaves the core, the adapters and pluggy unloaded."""
    printed, modules = modules_after("--version")

    assert printed.strip() == f"alize {__version__}"
    assert [m for m in HEAVY if m in modules] == []
    assert [m for m in modules if m.startswith("alize_adapters.cli.commands.")] == []


def test_a_command_imports_its_own_module_and_no_other_command() -> None:
    """alize rules imports the rules module; the report, export and adapters modules stay unloaded."""
    printed, modules = modules_after("rules", "--format", "json")

    assert json.loads(printed)
    assert [m for m in modules if m.startswith("alize_adapters.cli.commands.")] == [
        "alize_adapters.cli.commands.rules"
    ]
    assert "alize_core.reporting" not in modules
    assert "alize_adapters.connectors" not in modules


def test_help_lists_every_command_with_its_line(capsys: pytest.CaptureFixture[str]) -> None:
    """alize --help names every command module's command, each with its one-line help."""
    with pytest.raises(SystemExit) as exited:
        main(["--help"])

    out = capsys.readouterr().out
    assert exited.value.code == 0
    for name in command_names():
        assert f"    {name}" in out
    assert "verify a stored register" in out


def test_alize_without_a_command_prints_the_help_and_exits_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A bare alize lists the commands (as --help does) and says it was not enough (status 2)."""
    status = main([])

    assert status == 2
    assert "erase-person" in capsys.readouterr().out


@pytest.mark.parametrize("name", command_names())
def test_each_command_module_registers_the_command_named_after_it(name: str) -> None:
    """Dispatch reads the module from the command's name: each module adds exactly that command."""
    parser = build_parser([name])
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))

    assert list(action.choices) == [name]
    assert command_module(name).rsplit(".", 1)[1].removesuffix("_").replace("_", "-") == name


def test_an_unknown_command_is_refused_naming_every_command() -> None:
    """A misspelt command is a usage error (2) that lists the commands there are."""
    result = subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", "chek"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "invalid choice: 'chek'" in result.stderr
    assert "'check'" in result.stderr
