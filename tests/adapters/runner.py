"""Run a test file in a separate pytest and read back the outcome of each test."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from pathlib import Path


def outcomes_of(
    test_file: Path, workdir: Path, env: Mapping[str, str] | None = None
) -> dict[str, dict[str, str]]:
    """
    Run ``test_file`` with pytest in ``workdir``; each test's outcome, by test class.

    Outcomes are ``passed``, ``failed``, ``error`` or ``skipped``.
    """
    report = workdir / "report.xml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            str(test_file),
            "-p",
            "no:cacheprovider",
            "-q",
            f"--junitxml={report}",
        ],
        cwd=workdir,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    found: dict[str, dict[str, str]] = {}
    words = {"failure": "failed", "error": "error", "skipped": "skipped"}
    for case in ET.parse(report).getroot().iter("testcase"):
        cls = case.get("classname", "").rpartition(".")[2]
        outcome = "passed"
        for child in case:
            outcome = words.get(child.tag, outcome)
        found.setdefault(cls, {})[case.get("name", "")] = outcome
    return found


def failed(outcomes: dict[str, dict[str, str]], cls: str) -> set[str]:
    """The tests of a class that failed; an error (a broken fixture) fails the check itself."""
    tests = outcomes[cls]
    assert "error" not in tests.values(), tests
    assert "passed" in tests.values(), tests
    return {name for name, outcome in tests.items() if outcome == "failed"}
