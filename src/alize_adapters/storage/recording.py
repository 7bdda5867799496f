"""
Recording commands by name (*enregistrer des commandes*): the one path by which ``alize
record``, ``alize init`` and the HTTP API write to a register.

A :class:`Recorder` keeps a store's register in memory and brings it up to date with the
events other writers appended before each command, runs a
:class:`~alize_core.commands.catalogue.CommandRequest` on it for an actor and appends its
events together with the request's idempotency key, in one transaction:

- a request whose id is already recorded is not run again: its first events are given
  back, marked :attr:`RecordStatus.ALREADY_RECORDED`; the same id with a different command
  or actor is refused with :class:`~alize_adapters.storage.ports.IdempotencyConflict`;
- a refused command writes nothing and gives its decision (the failed step names the rule);
- a stale write (another writer appended in between) is run again on the new state, up to
  a few times, then refused with :class:`~alize_core.kernel.errors.ConcurrencyError`;
- with ``dry_run`` the recorder never writes: each command runs on the register as the
  earlier ones of the same run left it in memory.

>>> import tempfile, pathlib
>>> from alize_adapters.storage.sqlite import SqliteStore
>>> from alize_core.commands.catalogue import read_request
>>> store = SqliteStore(pathlib.Path(tempfile.mkdtemp()) / "alize.db")
>>> request, actor = read_request({
...     "id": "prop-1", "command": "propose_territory", "on": "2025-11-03", "actor": "OP1",
...     "territory": {"id": "MEUSE", "name": "Vallée de la Meuse", "departements": ["55"]},
...     "operator": {"id": "CCI55", "name": "CCI Meuse"},
...     "prefecture": {"id": "PREF55", "name": "Préfecture", "kind": "prefecture"},
...     "national_committee": "CN", "state_chair": "PREFET"})
>>> recorder = Recorder(store)
>>> recorder.record(request, actor).status.value
'recorded'
>>> again = recorder.record(request, actor)
>>> again.status.value, [event.id for event in again.events], store.version()
('already_recorded', [1], 1)
>>> store.close()

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

from alize_adapters.storage.ports import (
    AlreadyRecorded,
    CommandStore,
    IdempotencyConflict,
    RecordedCommand,
)
from alize_core.commands.base import CommandResult
from alize_core.commands.catalogue import CommandRequest
from alize_core.journal.chain import Event, decode
from alize_core.journal.codec import GENESIS
from alize_core.kernel.decisions import Decision, Step
from alize_core.kernel.errors import AlizeError, ConcurrencyError
from alize_core.register.replay import replay
from alize_core.register.storage import load
from alize_core.register.views import Register


__all__ = ["RETRIES", "RecordStatus", "Recorder", "Recording"]

RETRIES: Final = 8
"""How many times a command is run again on a newer register after a stale write."""


class RecordStatus(enum.StrEnum):
    """What became of a command request."""

    RECORDED = "recorded"
    """Accepted and its events appended (or, in a dry run, accepted)."""
    ALREADY_RECORDED = "already_recorded"
    """Its id was recorded before: nothing was written again."""
    REFUSED = "refused"
    """Refused by the rules or the register: nothing was written."""


@attrs.frozen
class Recording:
    """
    What a :class:`Recorder` did with a request.

    Attributes:
        request: The request.
        status: Recorded, already recorded, or refused.
        decision: The command's decision (``None`` for a request already recorded, or refused
            before any rule was checked: see ``error``).
        events: The events it appended (or, already recorded, those it appended first).
        error: For a request the register refused outright (an unknown project, a closed
            advance…), the error naming the field and the value.
    """

    request: CommandRequest
    status: RecordStatus
    decision: Decision | None = None
    events: tuple[Event, ...] = ()
    error: AlizeError | None = None

    @property
    def written(self) -> bool:
        """Whether this request wrote events now."""
        return self.status is RecordStatus.RECORDED

    def explain(self) -> str:
        """The decision or the error in words, one line per step."""
        if self.error is not None:
            return f"{self.request.command.name}: {self.error}"
        if self.decision is not None:
            return self.decision.explain()
        ids = ", ".join(str(event.id) for event in self.events)
        return f"{self.request.id}: already recorded (events {ids}); nothing was written"

    @property
    def rules(self) -> tuple[str, ...]:
        """The rule ids of the failed steps (of every step when accepted)."""
        if self.decision is None:
            return ()
        steps: tuple[Step, ...] = self.decision.failed or self.decision.steps
        return tuple(dict.fromkeys(step.rule for step in steps if step.rule))


def _refusal(request: CommandRequest, error: AlizeError) -> Recording:
    return Recording(request, RecordStatus.REFUSED, error=error)


class Recorder:
    """
    Records command requests in a store, each with its idempotency key.

    Args:
        store: The register's store (it must keep the command log).
        dry_run: Never write: each command runs on the register the earlier ones left in
            memory.
        retries: How many times a stale write is run again on the newer register.

    .. versionadded:: 0.1.0
    """

    def __init__(
        self, store: CommandStore, *, dry_run: bool = False, retries: int = RETRIES
    ) -> None:
        self.store = store
        self.dry_run = dry_run
        self.retries = retries
        self._register: Register | None = None
        self._pending: dict[str, tuple[str, tuple[Event, ...]]] = {}

    def register(self) -> Register:
        """The store's register, brought up to date with the events appended meanwhile."""
        if self._register is None:
            self._register = load(self.store)
        elif not self.dry_run and self.store.version() != self._register.version:
            current = self._register
            self._register = replay(self.store.read(after=current.version), start=current)
        return self._register

    def record(self, request: CommandRequest, actor: str) -> Recording:
        """
        Run a request for an actor and append its events with its id.

        Returns:
            Recorded, already recorded, or refused with its decision or error.

        Raises:
            ~alize_adapters.storage.ports.IdempotencyConflict: The id was recorded for another command or actor.
            ConcurrencyError: Other writers kept changing the register; nothing was written.
            IntegrityError: The stored journal does not verify.
        """
        digest = request.digest(actor)
        for _attempt in range(self.retries + 1):
            replayed = self._replayed(request, digest)
            if replayed is not None:
                return replayed
            register = self.register()
            try:
                result = request.run(register, actor)
            except AlizeError as error:
                return _refusal(request, error)
            if not result.accepted:
                return Recording(request, RecordStatus.REFUSED, result.decision)
            try:
                self._commit(request, digest, actor, register, result)
            except (AlreadyRecorded, ConcurrencyError):
                self._register = None  # read again from the store, then run it again
                continue
            return Recording(request, RecordStatus.RECORDED, result.decision, result.events)
        msg = (
            f"could not be recorded: other writers changed the register {self.retries + 1}"
            " times while it ran; nothing was written, send it again"
        )
        raise ConcurrencyError("id", request.id, msg)

    def _commit(
        self,
        request: CommandRequest,
        digest: str,
        actor: str,
        register: Register,
        result: CommandResult,
    ) -> None:
        if self.dry_run:
            self._pending[request.id] = (digest, result.events)
        elif result.events:
            self.store.append_command(
                (event.row() for event in result.events),
                expected_version=register.version,
                command_id=request.id,
                digest=digest,
                actor=actor,
            )
        self._register = register.apply(result.events)

    def _replayed(self, request: CommandRequest, digest: str) -> Recording | None:
        pending = self._pending.get(request.id)
        if pending is not None:
            if pending[0] != digest:
                first = pending[1][0].id if pending[1] else 1
                last = pending[1][-1].id if pending[1] else 1
                raise IdempotencyConflict(RecordedCommand(request.id, pending[0], "", first, last))
            return Recording(request, RecordStatus.ALREADY_RECORDED, events=pending[1])
        recorded = self.store.recorded_command(request.id)
        if recorded is None:
            return None
        if recorded.digest != digest:
            raise IdempotencyConflict(recorded)
        return Recording(request, RecordStatus.ALREADY_RECORDED, events=self._events(recorded))

    def _events(self, recorded: RecordedCommand) -> tuple[Event, ...]:
        previous = GENESIS
        if recorded.first_event > 1:
            rows = self.store.read(after=recorded.first_event - 2)
            previous = next(iter(rows))[2]
        events = []
        for row in self.store.read(after=recorded.first_event - 1):
            if row[0] > recorded.last_event:
                break
            events.append(decode(row, previous))
            previous = row[2]
        return tuple(events)
