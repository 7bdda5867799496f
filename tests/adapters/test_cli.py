"""
The command line: rules as JSON, --version, --help everywhere, one-line errors.

``--version`` and a usage error run ``alize`` in an interpreter of its own, as installed
(exit status, standard error); the help of each command and the demo run through
``main()`` in this process, which proves the same for a fraction of the time (the demo also
runs as a program of its own in test_cli_report.py).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from alize_adapters.cli import build_parser, main
from alize_adapters.storage.sqlite import DEFAULT_DB, SqliteStore
from alize_core import RULEBOOK, __version__
from alize_core.kernel.money import format_eur
from alize_core.register.storage import load


def alize(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", *args],
        capture_output=True,
        text=True,
        check=False,
    )


def command_names() -> list[str]:
    """Every command the parser knows."""
    parser = build_parser()
    action = next(a for a in parser._actions if a.dest == "==SUPPRESS==" and a.choices)
    assert isinstance(action.choices, dict)
    return sorted(action.choices)


def test_rules_as_json_list_every_rule_with_kind_and_citation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """alize rules --format json lists every registered id, with kind, title and section."""
    assert main(["rules", "--format", "json"]) == 0

    data = json.loads(capsys.readouterr().out)
    assert [item["id"] for item in data] == list(RULEBOOK)
    assert all(item["kind"] and item["title"] and item["citation"]["section"] for item in data)


def test_version_is_printed() -> None:
    """alize --version prints the package version."""
    result = alize("--version")

    assert result.stdout.strip() == f"alize {__version__}"


@pytest.mark.parametrize("command", command_names())
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    """--help works on every command and exits 0."""
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])

    assert exited.value.code == 0
    assert "usage: alize" in capsys.readouterr().out


def test_a_usage_error_is_one_clear_line_and_no_traceback() -> None:
    """An unknown format is refused with a usage message, exit 2, no traceback."""
    result = alize("rules", "--format", "xml")

    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "invalid choice: 'xml'" in result.stderr


def test_the_demo_runs_on_the_sample_territory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """
    alize demo runs every part and says so, and leaves its register where the commands
    look by default; its minutes are those of the session that register recorded.
    """
    status = main(["demo", "--output-dir", str(tmp_path)])

    out, err = capsys.readouterr()
    assert status == 0, err
    assert "demo finished: 10 parts ran." in out
    assert "Traceback" not in err
    if importlib.util.find_spec("litestar") is not None:  # the extra alize[serve]: over HTTP
        for line in (
            "a repayment of 833,33 € on P1: 201, repayment_received (event 75).",
            "The same request again: 200, already_recorded: nothing doubled.",
            "A fee of 450 000,00 € the fund does not hold: 422, refused (FUND-05).",
            "GET /territory without a token: 401.",
            f"GET /advances/P1: 200, outstanding {format_eur(Decimal('31666.70'))}; the register"
            " read in Python gives the same document",
            "alize serve stopped by its pid.",
        ):
            assert line in out
    else:
        assert "The HTTP API needs the extra alize[serve]" in out
    with SqliteStore(tmp_path / DEFAULT_DB, create=False) as store:
        register = load(store)
    minutes = (tmp_path / "minutes-2026-03-12.txt").read_text(encoding="utf-8")
    session = register.session("S1")
    for entry in session.agenda:
        outcome = register.project(entry.project).outcome
        assert outcome is not None
        assert f"Projet {entry.project} : {outcome.french}\n" in minutes
        assert f"avance remboursable de {format_eur(entry.advance)}" in minutes
    assert minutes.count("Projet P") == len(session.agenda)
