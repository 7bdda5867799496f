"""
The demo: every capability of alize, run on the embedded sample territory.

The demo tells one story. Its register part runs the sample territory's year through the
commands into one register, stored where ``alize`` finds it by default (``alize.db``
in the demo's folder); every later part reads that register: the committee session and
its minutes, the schedules and servicing of the advances it paid out, the adapters'
deliveries, the exports and the reports. A figure the demo prints is one the commands
or the reports give for that register, through the same functions ``alize`` calls; what
the register cannot hold (a what-if, an arithmetic example) is printed as a preview or
an example, never as the territory's story.

Each part of the demo is a module of this package named ``part_NN_*.py`` with a
``TITLE`` and a ``run(context)`` function; parts run in name order, so a new
capability adds a part. :mod:`alize_adapters.demo.sample` holds the sample
territory they share.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import importlib
import pkgutil
import shlex
import sys
from datetime import date
from pathlib import Path
from typing import TextIO

import attrs

from alize_adapters.demo import sample
from alize_adapters.storage.sqlite import DEFAULT_DB, SqliteStore
from alize_core.register.storage import load
from alize_core.register.views import Register


__all__ = ["DemoContext", "run_demo"]


@attrs.define
class DemoContext:
    """
    What every part of the demo receives.

    Attributes:
        workdir: The directory where parts write their files.
        out: Where parts print their summary.
    """

    workdir: Path
    out: TextIO

    @property
    def db(self) -> Path:
        """
        The demo's register: ``alize.db`` in its folder, where ``alize`` commands run in
        that folder find it without ``--db``.
        """
        return self.workdir / DEFAULT_DB

    def say(self, text: str = "") -> None:
        """Print a line of the summary."""
        print(text, file=self.out)

    def register(self, *, on: date | None = None) -> Register:
        """
        The demo's register, read from its store (the register part writes it): as it
        stands, or as it stood at the end of a day.
        """
        with SqliteStore(self.db, create=False) as store:
            return load(store, on=on)

    def command(self, *argv: str) -> str:
        """The ``alize`` command line that reads the demo's register, as one types it."""
        return shlex.join(["alize", *argv, "--db", str(self.db.resolve())])


def _parts() -> list[str]:
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if info.name.startswith("part_")
    )


def run_demo(workdir: Path, out: TextIO | None = None) -> int:
    """
    Run every part of the demo; return 0 when all of them ran.
    """
    context = DemoContext(workdir, out or sys.stdout)
    territory = sample.territory()
    context.say(f"alize demo: sample territory {territory.name} ({territory.id})")
    context.say(f"files written to {workdir.resolve()}")
    parts = _parts()
    for number, name in enumerate(parts, start=1):
        module = importlib.import_module(f"{__name__}.{name}")
        context.say()
        context.say(f"== {number}. {module.TITLE}")
        module.run(context)
    context.say()
    context.say(f"demo finished: {len(parts)} parts ran.")
    return 0
