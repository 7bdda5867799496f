"""
Replay (*relecture du journal*): the register a journal adds up to, at any date, and a replay that goes forward and can be read on the way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from alize_core.journal.chain import Event
from alize_core.journal.codec import StoredEvent
from alize_core.kernel.errors import UnknownRecord
from alize_core.programme.fund import FundPosition
from alize_core.register.building import advance_record, fund_position, guard_readable
from alize_core.register.fold import fold_rows
from alize_core.register.records import AdvanceRecord
from alize_core.register.state import FoldState
from alize_core.register.views import Register


__all__ = ["Replay", "register_at", "replay"]


# --- Replay. ---


def register_at(events: Iterable[Event], on: date | None = None) -> Register:
    """
    The register the events add up to, up to a date (all of them without one).

    The same events always give the same register.

    .. versionadded:: 0.1.0
    """
    return replay((event.row() for event in events), until=on)


def replay(
    rows: Iterable[StoredEvent],
    *,
    start: Register | bytes | None = None,
    until: date | None = None,
    strict: bool = True,
) -> Register:
    """
    The register the stored events add up to, verifying the chain as it reads.

    Only what the fold needs is decoded: each body is split into its fields, and its
    payload's JSON is parsed only when its kind needs it (never into payload classes).

    Args:
        rows: The stored events after ``start`` (all of them without a start), in order.
        start: A register to continue from, or a snapshot's bytes
            (:meth:`Register.snapshot`).
        until: Stop before the first event dated after this day.
        strict: Refuse a broken chain. ``alize check`` folds a broken journal with
            ``strict=False`` to report its fund as well: unreadable events are then
            recorded as problems and skipped.

    Raises:
        IntegrityError: In strict mode, an event does not follow the chain;
            :func:`alize_core.journal.chain.verify_rows` names what is wrong.
        MalformedInput: ``start`` is bytes that are not a snapshot.

    .. versionadded:: 0.1.0
    """
    replaying = Replay(start)
    replaying.fold(rows, until=until, strict=strict)
    return Register(replaying._state)


class Replay:
    """
    A replay that goes forward and can be read on the way (*relecture du journal*).

    :func:`replay` folds a journal into one register. A report over a year reads the
    fund at every month's end and the whole register only at a few dates: a replay
    folds the journal once, gives the fund wherever it stands without copying anything
    (:meth:`fund`), and a register only when asked (:meth:`register`, which copies the
    state so that the replay can go on). :class:`alize_core.reporting.history.History` uses it.

    >>> replaying = Replay()
    >>> replaying.version, replaying.fund().cash
    (0, Decimal('0.00'))
    >>> replaying.register() == Register.empty()
    True

    .. versionadded:: 0.1.0
    """

    __slots__ = ("_state",)

    def __init__(self, start: Register | bytes | None = None) -> None:
        """
        Args:
            start: A register to continue from (copied: it never changes), or a
                snapshot's bytes; the empty register by default.

        Raises:
            MalformedInput: ``start`` is bytes that are not a snapshot.
        """
        if start is None:
            self._state = FoldState()
        elif isinstance(start, bytes):
            self._state = FoldState.from_snapshot(start)
        else:
            self._state = start.thaw()

    @property
    def version(self) -> int:
        """The number of events folded so far (the id of the last one)."""
        return self._state.version

    def fold(
        self, rows: Iterable[StoredEvent], *, until: date | None = None, strict: bool = True
    ) -> None:
        """
        Fold the next stored events, verifying the chain (see :func:`replay`).

        Raises:
            IntegrityError: In strict mode, an event does not follow the chain.
        """
        fold_rows(self._state, rows, until=until, strict=strict)

    @guard_readable
    def fund(self) -> FundPosition:
        """The fund after the events folded so far, as :attr:`Register.fund` gives it."""
        return fund_position(self._state)

    def register(self) -> Register:
        """The register after the events folded so far; the replay can go on."""
        return Register(self._state.copy())

    @guard_readable
    def get_advance(self, project: str) -> AdvanceRecord | None:
        """
        A project's advance after the events folded so far, as :meth:`Register.get_advance`
        gives it (without copying the register); ``None`` when it has none.
        """
        a = self._state.advances.get(project)
        return None if a is None else advance_record(project, a)

    def advance(self, project: str) -> AdvanceRecord:
        """
        A project's advance after the events folded so far, as :meth:`Register.advance`
        gives it.

        Raises:
            UnknownRecord: The project has no advance.
        """
        record = self.get_advance(project)
        if record is None:
            raise UnknownRecord("advance", project)
        return record
