"""mypy --strict checks an adapter's hook implementations against the specifications."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]
TYPING_TESTS = ROOT / "typing_tests"
WRONG = TYPING_TESTS / "wrong_hook_signatures.py"
RIGHT = TYPING_TESTS / "right_hook_signatures.py"
MARKER = re.compile(r"# expect: (?P<code>[a-z-]+)$")
ERROR = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+): error: .*\[(?P<code>[a-z-]+)\]$")


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, int, str]]:
    """Run mypy --strict on both typing-test files once; its errors as (file, line, code)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--config-file",
            str(ROOT / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path_factory.mktemp("mypy-cache")),
            str(WRONG),
            str(RIGHT),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert done.returncode in {0, 1}, done.stderr
    found = set()
    for line in done.stdout.splitlines():
        match = ERROR.match(line)
        if match:
            found.add((Path(match["file"]).name, int(match["line"]), match["code"]))
    return found


def expected_errors(path: Path) -> set[tuple[str, int, str]]:
    """The lines of a typing test marked ``# expect: <code>``."""
    found = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = MARKER.search(line)
        if match:
            found.add((path.name, number, match["code"]))
    return found


def test_mypy_rejects_each_hook_with_a_wrong_signature(
    mypy_errors: set[tuple[str, int, str]],
) -> None:
    """A wrong payload, a wrong return, a wrong role and an extra parameter are each an error."""
    expected = expected_errors(WRONG)

    assert len(expected) == 4
    assert {error for error in mypy_errors if error[0] == WRONG.name} == expected


def test_mypy_accepts_the_same_hooks_with_the_right_signatures(
    mypy_errors: set[tuple[str, int, str]],
) -> None:
    """The errors come from the signatures alone: the corrected adapters type-check."""
    assert {error for error in mypy_errors if error[0] == RIGHT.name} == set()
