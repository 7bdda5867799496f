"""The core's shape: it imports no adapter, no pluggy, and never reads the clock, the environment or the disk."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


CORE = Path(__file__).resolve().parents[1] / "src" / "alize_core"

FORBIDDEN_MODULES = {
    "alize_adapters",
    "pluggy",
    "os",
    "sys",
    "time",
    "pathlib",
    "io",
    "socket",
    "sqlite3",
    "subprocess",
    "shutil",
    "tempfile",
    "random",
    "secrets",
    "uuid",
}
FORBIDDEN_CALLS = {
    ("date", "today"): "reads the clock",
    ("datetime", "now"): "reads the clock",
    ("datetime", "utcnow"): "reads the clock",
    ("datetime", "today"): "reads the clock",
    ("time", "time"): "reads the clock",
    ("os", "environ"): "reads the environment",
    ("os", "getenv"): "reads the environment",
}
FORBIDDEN_NAMES = {
    "open": "reads the disk",
    "input": "reads the terminal",
    "print": "writes to the terminal",
}


def core_sources() -> Iterator[Path]:
    """Every Python file of the core."""
    yield from sorted(CORE.rglob("*.py"))


def violations(path: Path) -> list[str]:
    """What a core module does that the core must never do."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module.split(".")[0]]
        else:
            names = []
        found += [
            f"{path.name}:{getattr(node, 'lineno', 0)} imports {name}"
            for name in names
            if name in FORBIDDEN_MODULES
        ]
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            reason = FORBIDDEN_CALLS.get((node.value.id, node.attr))
            if reason:
                found.append(f"{path.name}:{node.lineno} {reason} ({node.value.id}.{node.attr})")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            reason = FORBIDDEN_NAMES.get(node.func.id)
            if reason:
                found.append(f"{path.name}:{node.lineno} {reason} ({node.func.id}())")
    return found


def test_the_core_has_modules_to_check() -> None:
    """The scan below really reads the core's modules."""
    assert len(list(core_sources())) >= 8


@pytest.mark.parametrize("path", list(core_sources()), ids=lambda p: str(p.relative_to(CORE)))
def test_core_module_stays_pure(path: Path) -> None:
    """No core module imports an adapter or pluggy, or reads the clock, environment or disk."""
    assert violations(path) == []


def test_the_scan_catches_a_module_that_reads_the_clock(tmp_path: Path) -> None:
    """The purity scan is not blind: a module calling date.today() and importing pluggy is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("import pluggy\nfrom datetime import date\nx = date.today()\nopen('f')\n")

    found = violations(bad)

    assert len(found) == 3


def test_importing_the_core_loads_neither_pluggy_nor_the_adapters() -> None:
    """In a fresh interpreter, importing every core module leaves pluggy and the adapters unloaded."""
    modules = sorted(
        ".".join(("alize_core", *p.relative_to(CORE).with_suffix("").parts)).removesuffix(
            ".__init__"
        )
        for p in core_sources()
    )
    code = (
        "import sys, importlib\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('pluggy', 'alize_adapters')]\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == ""
