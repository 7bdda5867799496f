"""The reference pages follow the layout: one page per subpackage, each module documented once."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
REFERENCE = ROOT / "docs" / "reference"
AUTOMODULE = re.compile(r"^\.\. automodule:: ([\w.]+)\s*$", re.M)


def documented_modules() -> Counter[str]:
    """How many times each module has an ``automodule`` in the reference pages."""
    found: Counter[str] = Counter()
    for page in sorted(REFERENCE.rglob("*.md")):
        found.update(AUTOMODULE.findall(page.read_text(encoding="utf-8")))
    return found


def public_modules() -> list[str]:
    """Every module and package of both packages, less private modules and ``__main__``."""
    names = []
    for path in sorted(SRC.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] == "__main__" or (parts[-1].startswith("_") and parts[-1] != "__init__"):
            continue
        if len(parts) == 2 and parts[-1] == "__init__":
            continue  # the packages' roots: their names are shown by the subpackages' pages
        names.append(".".join(parts).removesuffix(".__init__"))
    return names


def page_of(module: str) -> Path:
    """The page that documents a module: its package's folder, its subpackage's name."""
    top, sub = module.split(".")[:2]
    folder = "core" if top == "alize_core" else "adapters"
    return REFERENCE / folder / f"{sub}.md"


def test_the_reference_scan_reads_pages() -> None:
    """The scan below is not blind: the pages name the kernel's money module."""
    assert documented_modules()["alize_core.kernel.money"] == 1


@pytest.mark.parametrize("module", public_modules())
def test_each_module_is_documented_once_on_its_subpackage_page(module: str) -> None:
    """A module has one ``automodule`` in the reference, on the page of its subpackage."""
    page = page_of(module)
    assert documented_modules()[module] == 1, f"add '.. automodule:: {module}' to {page}"
    assert re.search(rf"^\.\. automodule:: {re.escape(module)}\s*$", page.read_text("utf-8"), re.M)


def test_the_reference_documents_no_module_that_is_gone() -> None:
    """Every ``automodule`` names a module that exists."""
    assert set(documented_modules()) <= set(public_modules())
