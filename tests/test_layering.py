"""The core's shape: it imports no adapter, no pluggy, and never reads the clock, the environment or the disk."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

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


# The layout's own rules: private names stay in their module; each subpackage shows its names.

SRC = CORE.parent
FIRST_PARTY = ("alize_core", "alize_adapters")


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")


MODULES: dict[str, Path] = {_module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _private(name: str) -> bool:
    """``_x`` is private; ``__x__`` (a dunder such as ``__version__``) is not."""
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _imported_from(module: str, node: ast.ImportFrom) -> str:
    """The absolute name of the module an ``import from`` reads (relative ones resolved)."""
    if node.level == 0:
        return node.module or ""
    parts = module.split(".")
    if MODULES[module].name != "__init__.py":
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _imports(module: str, tree: ast.Module) -> tuple[set[str], list[str]]:
    """The local names bound to first-party modules, and the private names imported."""
    bound, found = set(), []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            bound |= {
                alias.asname or alias.name.split(".")[0]
                for alias in node.names
                if alias.name.split(".")[0] in FIRST_PARTY
            }
        elif isinstance(node, ast.ImportFrom):
            target = _imported_from(module, node)
            if target.split(".")[0] not in FIRST_PARTY:
                continue
            for alias in node.names:
                if f"{target}.{alias.name}" in MODULES:
                    bound.add(alias.asname or alias.name)
                elif _private(alias.name) and target != module:
                    found.append(f"{module}:{node.lineno} from {target} import {alias.name}")
    return bound, found


def private_crossings(module: str, source: str) -> list[str]:
    """Where a module reads another module's private name: ``from x import _y`` or ``x._y``."""
    tree = ast.parse(source)
    modules_bound, found = _imports(module, tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            value = node.value
            while isinstance(value, ast.Attribute):
                value = value.value
            if isinstance(value, ast.Name) and value.id in modules_bound:
                found.append(f"{module}:{node.lineno} reads {ast.unparse(node)}")
    return found


def test_the_layout_scan_sees_every_module() -> None:
    """The scans below read both packages' modules, subpackages included."""
    assert {"alize_core.kernel.money", "alize_adapters.host.manager"} <= MODULES.keys()


@pytest.mark.parametrize("module", sorted(MODULES))
def test_private_names_stay_in_their_module(module: str) -> None:
    """No module imports or reads another module's private (``_x``) name."""
    assert private_crossings(module, MODULES[module].read_text(encoding="utf-8")) == []


def test_the_private_scan_catches_both_ways_of_reaching_in() -> None:
    """A ``from x import _y`` and an ``x._y`` are both caught; dunders and own names are not."""
    source = (
        "from alize_core.kernel import money\n"
        "import alize_core.journal.codec as codec\n"
        "from alize_core.kernel.money import _quantum, ZERO\n"
        "from alize_core import __version__\n"
        "x = money._rounding(codec._ENCODER, money.ZERO)\n"
    )

    found = private_crossings("alize_core.lending.schedules", source)

    assert len(found) == 3
    assert any("import _quantum" in line for line in found)
    assert any("money._rounding" in line for line in found)
    assert any("codec._ENCODER" in line for line in found)


# Names a module shows (its __all__) that its subpackage's __init__ deliberately does not.
MODULE_ONLY: Final[dict[str, str]] = {
    # Prefixes: every module below them.
    "alize_adapters.cli.": "the CLI's programs: one module per command, each with the same"
    " register() and run(); the CLI imports them by module, they are no library",
    "alize_adapters.demo.": "the demo's parts: one module per part, each a program run in turn"
    " by run_demo(); sample's data is read as sample.territory(), sample.settings()...",
    "alize_adapters.rulebook": "a program (python -m alize_adapters.rulebook) that writes the"
    " rulebook pages; the package's root shows only its version",
    # Names.
    "MESSAGES": "each rule module's own French message table: the name repeats from module to"
    " module, so it is read from its module (the rulebook checks each against its steps)",
    "alize_adapters.testing.plugin.adapter_manager": "a pytest fixture: it is loaded with"
    ' pytest_plugins = ["alize_adapters.testing.plugin"]; shown again, pytest would see it twice',
    "alize_adapters.testing.strategies": "Hypothesis strategies, read as a namespace"
    " (strategies.amounts()); the kit's root stays importable without building them",
    "alize_adapters.testing.support": "helpers shared by the contract modules (fault fixtures,"
    " capability checks); adapter authors use the contracts and the inspectors, which are shown",
}


def _declared_all(path: Path) -> list[str] | None:
    """A module's ``__all__``, read from its source, or None when it declares none."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            continue
        if isinstance(target, ast.Name) and target.id == "__all__":
            names = ast.literal_eval(value)
            assert isinstance(names, list)
            return [str(name) for name in names]
    return None


def _allowed_by(module: str, name: str) -> str | None:
    """The allow-list's key that lets a module keep a public name to itself, or None."""
    for key in MODULE_ONLY:
        if key.endswith(".") and module.startswith(key):
            return key
        if key in (module, name, f"{module}.{name}"):
            return key
    return None


SUBPACKAGE_MODULES = sorted(
    module
    for module, path in MODULES.items()
    if path.name != "__init__.py" and module.rsplit(".", 1)[0] in MODULES
)


@pytest.mark.parametrize("module", SUBPACKAGE_MODULES)
def test_each_subpackage_shows_the_public_names_of_its_modules(module: str) -> None:
    """A module's ``__all__`` is in its package's ``__init__`` ``__all__``, or is allow-listed."""
    package, leaf = module.rsplit(".", 1)
    if leaf.startswith("_") or _allowed_by(module, "") is not None:
        return  # __main__, _version, a package-private module, or a module kept whole
    names = _declared_all(MODULES[module])
    assert names is not None, f"{module} declares no __all__"
    shown = set(_declared_all(MODULES[package]) or ())
    missing = [n for n in names if n not in shown and _allowed_by(module, n) is None]
    assert missing == [], f"{package}.__init__ does not show {missing}"


def test_every_module_only_entry_is_used() -> None:
    """The allow-list holds no entry that matches nothing (it shrinks as names move)."""
    used = {
        _allowed_by(module, name)
        for module in SUBPACKAGE_MODULES
        for name in ["", *(_declared_all(MODULES[module]) or ())]
    }
    assert set(MODULE_ONLY) <= used


# Module sizes: a module holds one concern; past about 600 lines its opening comment says why.

LONG_MODULE = 650
"""Lines past which a module must say, in a comment before its docstring, why it stays whole."""


def _lines(module: str) -> int:
    return len(MODULES[module].read_text(encoding="utf-8").splitlines())


def _says_why(module: str) -> bool:
    """Whether the module opens with a comment (before its docstring) saying why it is long."""
    first = MODULES[module].read_text(encoding="utf-8").lstrip().splitlines()[0]
    return first.startswith("#")


@pytest.mark.parametrize("module", sorted(MODULES))
def test_a_long_module_says_why_it_stays_whole(module: str) -> None:
    """A module over LONG_MODULE lines opens with a comment that says why it is not split."""
    if _lines(module) <= LONG_MODULE:
        return
    assert _says_why(module), (
        f"{module} has {_lines(module)} lines: split it by concern, or say why it stays whole"
        " in a comment before its docstring"
    )
