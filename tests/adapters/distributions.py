"""
Installed distributions made on the spot: a package and its ``.dist-info`` directory.

A directory holding both, put on ``sys.path`` (or ``PYTHONPATH``), is an
installation as far as :mod:`importlib.metadata` is concerned: its entry points
are found and its files are listed, exactly as for a distribution pip installed.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Mapping
from pathlib import Path


GOOD_ADAPTER = '''
"""An adapter that records the advances it is told about."""
from __future__ import annotations

from alize_adapters.host.hookspecs import hookimpl
from alize_adapters.host.payloads import AdvanceDisbursedNotice

RECEIVED: list[str] = []


@hookimpl
def alize_on_advance_disbursed(event: AdvanceDisbursedNotice) -> None:
    RECEIVED.append(event.event_id)
'''

BROKEN_ADAPTER = '''
"""An adapter whose vendor SDK is not installed."""
import acme_crm_sdk_that_is_not_installed  # noqa: F401
'''


def make_distribution(
    root: Path,
    name: str,
    version: str,
    *,
    entry_points: Mapping[str, str],
    packages: Mapping[str, str | Path],
    typed: bool = True,
) -> Path:
    """
    Install a distribution into ``root``: one package per entry of ``packages``.

    Each package is given by the source of its ``__init__.py``, or by a folder to copy
    (a package's source tree, ``py.typed`` included or not).

    Returns:
        ``root``, to put on the path.
    """
    files = []
    for package, source in packages.items():
        folder = root / package
        if isinstance(source, Path):
            shutil.copytree(source, folder, ignore=shutil.ignore_patterns("__pycache__"))
            files += [
                f"{package}/{p.relative_to(folder)}" for p in folder.rglob("*") if p.is_file()
            ]
            continue
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
        files.append(f"{package}/__init__.py")
        if typed:
            (folder / "py.typed").write_text("", encoding="utf-8")
            files.append(f"{package}/py.typed")
    info = root / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True, exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    lines = ["[alize.adapters]", *(f"{ep} = {target}" for ep, target in entry_points.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    files += [f"{info.name}/{f}" for f in ("METADATA", "entry_points.txt", "RECORD")]
    (info / "RECORD").write_text("".join(f"{f},,\n" for f in files), encoding="utf-8")
    return root
