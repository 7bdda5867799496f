"""
The register's desk (*guichet du registre*): the one thread of the HTTP API that touches the
register's SQLite file.

A SQLite connection belongs to the thread that opened it, and a register takes one writer
at a time anyway; so the API's requests hand their work to a :class:`Desk`, whose single
thread keeps the store, the :class:`~alize_adapters.storage.recording.Recorder` and its
register in memory (brought up to date with what other writers, such as ``alize record``,
appended meanwhile), and the journal's events decoded once. The event loop awaits the
desk and goes on serving other requests in the meantime.

>>> import asyncio, tempfile, pathlib
>>> from alize_adapters.storage.sqlite import SqliteStore
>>> path = pathlib.Path(tempfile.mkdtemp()) / "alize.db"
>>> SqliteStore(path).close()
>>> async def version() -> int:
...     desk = Desk(path)
...     try:
...         return (await desk.register()).version
...     finally:
...         desk.close()
>>> asyncio.run(version())
0

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from alize_adapters.storage.recording import Recorder, Recording
from alize_adapters.storage.sqlite import SqliteStore
from alize_adapters.storage.tokens import authenticate
from alize_core.commands.catalogue import CommandRequest
from alize_core.journal.chain import Event, decode
from alize_core.journal.codec import GENESIS
from alize_core.register.views import Register


__all__ = ["Desk"]

T = TypeVar("T")


class Desk:
    """
    The register of one SQLite file, served from one thread.

    Args:
        path: The register's file; it must exist (``alize init`` makes it).

    .. versionadded:: 0.16.0
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="alize-desk")
        self._store: SqliteStore | None = None
        self._recorder: Recorder | None = None
        self._events: list[Event] = []

    def _open(self) -> Recorder:
        """The recorder, its store opened in the desk's thread the first time."""
        if self._recorder is None:
            self._store = SqliteStore(self.path, create=False)
            self._recorder = Recorder(self._store)
        return self._recorder

    def _sqlite(self) -> SqliteStore:
        self._open()
        assert self._store is not None
        return self._store

    async def _run(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def start(self) -> None:
        """Open the store and read its register (so that the first request does not wait)."""
        await self._run(lambda: self._open().register())

    async def actor(self, token: str) -> str | None:
        """The actor of a live token, ``None`` for any other."""
        return await self._run(lambda: authenticate(self._sqlite(), token))

    async def record(self, request: CommandRequest, actor: str) -> Recording:
        """
        Record a request for an actor (see :meth:`Recorder.record`).

        Raises:
            IdempotencyConflict: The id was used for another command.
            ConcurrencyError: Other writers kept changing the register.
        """
        return await self._run(lambda: self._open().record(request, actor))

    async def register(self) -> Register:
        """The register as it stands now."""
        return await self._run(lambda: self._open().register())

    async def events(self) -> tuple[Event, ...]:
        """Every event of the journal, in order (decoded once, then only the new ones)."""
        return await self._run(self._read_events)

    def _read_events(self) -> tuple[Event, ...]:
        store = self._sqlite()
        known = self._events
        previous = bytes.fromhex(known[-1].digest) if known else GENESIS
        for row in store.read(after=len(known)):
            known.append(decode(row, previous))
            previous = row[2]
        return tuple(known)

    def close(self) -> None:
        """Close the store (in its own thread) and stop the thread."""

        def close_store() -> None:
            if self._store is not None:
                self._store.close()

        self._executor.submit(close_store).result()
        self._executor.shutdown()
