"""
Every command shown in the how-to pages and the command-line tutorial runs, in a fresh folder, and exits 0.

The commands of a page run one after the other in the page's own empty folder, through
the command line's ``main()`` in this process, as a reader would type them. A new
interpreter for each command would cost a second of start-up and prove nothing more:
that ``alize`` also works as the installed program, with its exit codes and its one-line
errors on the standard error, is proven by the tests that start it in a process of its
own (tests/adapters/test_cli.py, test_cli_report.py, test_cli_register.py,
test_cli_decide.py, test_cli_schedule.py).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from alize_adapters.cli import build_parser, main


HOWTO = Path(__file__).resolve().parents[1] / "docs" / "howto"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)


def commands(page: Path) -> list[list[str]]:
    """The `$ alize ...` lines of a page's console blocks, in order."""
    found = []
    for block in BLOCK.findall(page.read_text(encoding="utf-8")):
        found += [
            shlex.split(line[2:]) for line in block.splitlines() if line.startswith("$ alize")
        ]
    return found


PAGES = sorted(p for p in HOWTO.glob("*.md") if p.name != "index.md")


def test_there_is_a_page_per_command() -> None:
    """Every top-level alize command has a how-to page that shows it running."""
    parser = build_parser()
    action = next(a for a in parser._actions if a.choices and a.dest == "==SUPPRESS==")
    assert isinstance(action.choices, dict)
    shown = {argv[1] for page in PAGES for argv in commands(page)}

    assert set(action.choices) - shown == set()


TUTORIAL = HOWTO.parent / "tutorials" / "year.md"


def exit_status(argv: list[str]) -> int:
    """What ``alize`` would exit with: main()'s status, or the one argparse exits with (--help)."""
    try:
        return main(argv[1:])
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1


@pytest.mark.parametrize("page", [*PAGES, TUTORIAL], ids=lambda p: p.stem)
def test_every_command_of_the_page_runs(
    page: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Each command of the page, run in order in an empty folder, exits with status 0."""
    monkeypatch.chdir(tmp_path)
    for argv in commands(page):
        status = exit_status(argv)

        err = capsys.readouterr().err
        assert status == 0, f"{shlex.join(argv)}: {err}"
        assert "Traceback" not in err
