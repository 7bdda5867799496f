"""
A progress line on standard error (*avancement*) for work that takes more than a few seconds.

>>> import io
>>> out = io.StringIO()
>>> with Progress("replaying the journal", total=3, stream=out, delay=0, every=0) as progress:
...     for done in (1, 2, 3):
...         progress.update(done)
>>> print(out.getvalue(), end="")
alize: replaying the journal: 1/3 (33 %)
alize: replaying the journal: 2/3 (66 %)
alize: replaying the journal: 3/3 (100 %)

Nothing is shown for work done within ``delay`` seconds (2 by default), nor with
``alize -q``. On a terminal the line is rewritten in place (``\\r``), at most every
``every`` seconds; elsewhere (a log file, a pipe) each update is a line of its own, at most
every 10 seconds by default, so logs stay short.

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import Final, TextIO


__all__ = ["Progress"]

QUIET_LEVEL: Final = logging.ERROR
"""The level of the ``alize_adapters`` logger from which progress is not shown (``alize -q``)."""


class Progress:
    """
    A progress line for long work: ``alize: WHAT: DONE/TOTAL (P %)``.

    Args:
        what: What is being done, in a few words.
        total: How many steps there are, or ``None`` when unknown (the count alone is shown).
        stream: Where to write (default: the standard error).
        delay: Seconds of work before anything is shown.
        every: Seconds between two updates shown (default: 0.2 on a terminal, 10 elsewhere).
        clock: Seconds, increasing (default: :func:`time.monotonic`).
    """

    def __init__(
        self,
        what: str,
        total: int | None = None,
        *,
        stream: TextIO | None = None,
        delay: float = 2.0,
        every: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.what = what
        self.total = total
        self.stream = sys.stderr if stream is None else stream
        self.terminal = self.stream.isatty()
        self.every = every if every is not None else (0.2 if self.terminal else 10.0)
        self.clock = clock
        self.shown = logging.getLogger("alize_adapters").getEffectiveLevel() < QUIET_LEVEL
        self._start = clock()
        self._delay = delay
        self._last: float | None = None
        self._written = False

    def _text(self, done: int) -> str:
        if self.total:
            return f"alize: {self.what}: {done}/{self.total} ({done * 100 // self.total} %)"
        return f"alize: {self.what}: {done}"

    def update(self, done: int, total: int | None = None) -> None:
        """Say that ``done`` steps are done, of ``total`` when it is given (shown if it is time to)."""
        if total is not None:
            self.total = total
        now = self.clock()
        if not self.shown or now - self._start < self._delay:
            return
        if self._last is not None and now - self._last < self.every and done != self.total:
            return
        self._last = now
        if self.terminal:
            self.stream.write("\r\x1b[K" + self._text(done))
        else:
            self.stream.write(self._text(done) + "\n")
        self.stream.flush()
        self._written = True

    def close(self) -> None:
        """End the line on a terminal (the next output starts on a line of its own)."""
        if self.terminal and self._written:
            self.stream.write("\n")
            self.stream.flush()
        self._written = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        self.close()
