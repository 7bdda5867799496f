"""Every command shown in the how-to pages and the command-line tutorial runs, in a fresh folder, and exits 0."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest


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
    from alize_adapters.cli import build_parser

    parser = build_parser()
    action = next(a for a in parser._actions if a.choices and a.dest == "==SUPPRESS==")
    assert isinstance(action.choices, dict)
    shown = {argv[1] for page in PAGES for argv in commands(page)}

    assert set(action.choices) - shown == set()


TUTORIAL = HOWTO.parent / "tutorials" / "year.md"


DEMO = ["alize", "demo", "--output-dir", "alize-demo"]


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's folder, made once: pages that start with `alize demo` reuse a copy."""
    folder = tmp_path_factory.mktemp("demo")
    subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", *DEMO[1:]],
        cwd=folder,
        check=True,
        capture_output=True,
        timeout=600,
    )
    return folder / "alize-demo"


@pytest.mark.parametrize("page", [*PAGES, TUTORIAL], ids=lambda p: p.stem)
def test_every_command_of_the_page_runs(page: Path, tmp_path: Path, demo_output: Path) -> None:
    """Each command of the page, run in order in an empty folder, exits with status 0."""
    for argv in commands(page):
        if argv == DEMO and page.stem != "demo":
            shutil.copytree(demo_output, tmp_path / "alize-demo")  # the same demo, run once
            continue
        result = subprocess.run(
            [sys.executable, "-m", "alize_adapters.cli", *argv[1:]],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
            timeout=600,
        )
        assert result.returncode == 0, f"{shlex.join(argv)}: {result.stderr}"
        assert "Traceback" not in result.stderr
