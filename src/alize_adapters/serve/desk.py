"""
The register's desk (*guichet du registre*): the one thread of the HTTP API that touches the
register's SQLite file.

A SQLite connection belongs to the thread that opened it, and a register takes one writer
at a time anyway; so the API's requests hand their work to a :class:`Desk`, whose single
thread keeps the store, the :class:`~alize_adapters.storage.recording.Recorder` and its
register in memory (brought up to date with what other writers, such as ``alize record``,
appended meanwhile), and the journal's events decoded once. The event loop awaits the
desk and goes on serving other requests in the meantime.

Commands that arrive while the desk is writing wait, then are recorded together in one
transaction (*validation groupée*, :meth:`~alize_adapters.storage.sqlite.SqliteStore.transaction`):
each runs on the register the ones before it left, each keeps its own idempotency key and
its own refusal, and the group is written to disk once — the disk's flush, not the rules,
is what a command costs most. None is answered before the group is on disk; if the commit
fails, every command of the group is answered with the error and the register is read
again from the store.

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

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from alize_adapters.storage.recording import Recorder, Recording
from alize_adapters.storage.sqlite import SqliteStore
from alize_adapters.storage.tokens import authenticate
from alize_core.commands.catalogue import CommandRequest
from alize_core.journal.chain import Event, decode
from alize_core.journal.codec import GENESIS
from alize_core.register.views import Register


__all__ = ["BATCH", "Desk"]

T = TypeVar("T")

BATCH: Final = 64
"""The most commands recorded in one transaction."""


@attrs.frozen
class _Job:
    work: Callable[[], Any]
    future: asyncio.Future[Any]
    loop: asyncio.AbstractEventLoop
    write: bool

    def settle(self, value: object = None, error: BaseException | None = None) -> None:
        def set_result() -> None:
            if self.future.cancelled():
                return
            if error is not None:
                self.future.set_exception(error)
            else:
                self.future.set_result(value)

        self.loop.call_soon_threadsafe(set_result)


class Desk:
    """
    The register of one SQLite file, served from one thread.

    Args:
        path: The register's file; it must exist (``alize init`` makes it).
        batch: The most commands recorded in one transaction.

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: Path, *, batch: int = BATCH) -> None:
        self.path = path
        self.batch = batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._store: SqliteStore | None = None
        self._recorder: Recorder | None = None
        self._events: list[Event] = []
        self._tokens: SqliteStore | None = None

    # --- In the desk's thread. ---

    def _open(self) -> Recorder:
        """The recorder, its store opened in the desk's thread the first time."""
        if self._recorder is None:
            if self._store is None:
                self._store = SqliteStore(self.path, create=False)
            self._recorder = Recorder(self._store)
        return self._recorder

    def _sqlite(self) -> SqliteStore:
        self._open()
        assert self._store is not None
        return self._store

    def _serve(self) -> None:
        """Take the jobs in order; record the commands waiting together in one transaction."""
        running = True
        while running:
            first = self._jobs.get()
            if first is None:
                break
            jobs = [first]
            while len(jobs) < self.batch:
                try:
                    job = self._jobs.get_nowait()
                except queue.Empty:
                    break
                if job is None:
                    running = False
                    break
                jobs.append(job)
            writes: list[_Job] = []
            for job in jobs:
                if job.write:
                    writes.append(job)
                    continue
                self._write(writes)
                writes = []
                self._run(job)
            self._write(writes)
        if self._store is not None:
            self._store.close()

    @staticmethod
    def _run(job: _Job) -> None:
        try:
            value = job.work()
        except BaseException as error:
            job.settle(error=error)
        else:
            job.settle(value)

    def _write(self, writes: list[_Job]) -> None:
        if len(writes) <= 1:
            for job in writes:
                self._run(job)
            return
        done: list[tuple[_Job, object, BaseException | None]] = []
        try:
            with self._sqlite().transaction():
                for job in writes:
                    try:
                        done.append((job, job.work(), None))
                    except Exception as error:
                        done.append((job, None, error))
        except BaseException as error:
            self._recorder = None  # its register was ahead of the store: read it again
            for job in writes:
                job.settle(error=error)
            return
        for job, value, failure in done:
            job.settle(value, failure)

    # --- From the event loop. ---

    async def _submit(self, work: Callable[[], T], *, write: bool = False) -> T:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="alize-desk")
                self._thread.start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put(_Job(work, future, loop, write))
        return await future

    async def start(self) -> None:
        """
        Open the store and read its register (so that the first request does not wait), and
        open the connection the event loop reads tokens with.
        """
        await self._submit(lambda: self._open().register())
        if self._tokens is None:
            self._tokens = SqliteStore(self.path, create=False)

    async def actor(self, token: str) -> str | None:
        """
        The actor of a live token, ``None`` for any other: read in the event loop's own
        connection (one indexed lookup; a reader never waits for a writer in WAL mode), so
        that a request does not queue at the desk twice.
        """
        if self._tokens is None:
            return await self._submit(lambda: authenticate(self._sqlite(), token))
        return authenticate(self._tokens, token)

    async def record(self, request: CommandRequest, actor: str) -> Recording:
        """
        Record a request for an actor (see :meth:`Recorder.record`), with the others waiting.

        Raises:
            alize_adapters.storage.ports.IdempotencyConflict: The id was used for another
                command.
            ConcurrencyError: Other writers kept changing the register.
        """
        return await self._submit(lambda: self._open().record(request, actor), write=True)

    async def register(self) -> Register:
        """The register as it stands now."""
        return await self._submit(lambda: self._open().register())

    async def events(self) -> tuple[Event, ...]:
        """Every event of the journal, in order (decoded once, then only the new ones)."""
        return await self._submit(self._read_events)

    def _read_events(self) -> tuple[Event, ...]:
        store = self._sqlite()
        known = self._events
        previous = bytes.fromhex(known[-1].digest) if known else GENESIS
        for row in store.read(after=len(known)):
            known.append(decode(row, previous))
            previous = row[2]
        return tuple(known)

    def close(self) -> None:
        """Stop the thread once the jobs before are done, and close the store."""
        if self._tokens is not None:
            self._tokens.close()
            self._tokens = None
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._jobs.put(None)
            thread.join()
