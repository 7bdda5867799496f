"""
The demo: every capability of alize, run on the embedded sample territory.

Each part of the demo is a module of this package named ``part_NN_*.py`` with a
``TITLE`` and a ``run(context)`` function; parts run in name order, so a new
capability adds a part. :mod:`alize_adapters.demo.sample` holds the sample
territory they share.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path
from typing import TextIO

import attrs

from alize_adapters.demo import sample


__all__ = ["DemoContext", "run_demo"]


@attrs.define
class DemoContext:
    """
    What every part of the demo receives.

    Attributes:
        workdir: The directory where parts write their files.
        out: Where parts print their summary.
        shared: What earlier parts leave for later ones (e.g. the register's path).
    """

    workdir: Path
    out: TextIO
    shared: dict[str, object] = attrs.field(factory=dict)

    def say(self, text: str = "") -> None:
        """Print a line of the summary."""
        print(text, file=self.out)


def run_demo(workdir: Path, out: TextIO | None = None) -> int:
    """
    Run every part of the demo; return 0 when all of them ran.
    """
    context = DemoContext(workdir, out or sys.stdout)
    territory = sample.territory()
    context.say(f"alize demo: sample territory {territory.name} ({territory.id})")
    context.say(f"files written to {workdir.resolve()}")
    parts = sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("part_")
    )
    for number, name in enumerate(parts, start=1):
        module = importlib.import_module(f"{__name__}.{name}")
        context.say()
        context.say(f"== {number}. {module.TITLE}")
        module.run(context)
    context.say()
    context.say(f"demo finished: {len(parts)} parts ran.")
    return 0
