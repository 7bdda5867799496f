"""
Running a command against a store (*exécuter une commande*): :func:`run` reads the
register, runs the command and appends its events in one transaction; :func:`commit`
appends the events of a result already computed.
"""

from __future__ import annotations

from collections.abc import Callable

from alize_core.commands.base import CommandResult
from alize_core.kernel.errors import CommandRefused
from alize_core.register.storage import EventStore, load
from alize_core.register.views import Register


__all__ = ["commit", "run"]


def commit(store: EventStore, register: Register, result: CommandResult) -> Register:
    """
    Append an accepted command's events after the register they were made from.

    Returns:
        The register with the new events.

    Raises:
        CommandRefused: The command was refused (nothing to append).
        ConcurrencyError: Another writer changed the store since ``register`` was read.

    .. versionadded:: 0.1.0
    """
    if not result.accepted:
        failed = "; ".join(f"{s.message} ({s.rule})" for s in result.decision.failed)
        raise CommandRefused("command", None, failed or result.decision.explain())
    store.append((event.row() for event in result.events), expected_version=register.version)
    return register.apply(result.events)


def run(store: EventStore, command: Callable[[Register], CommandResult]) -> CommandResult:
    """
    Load the register, run a command on it, and append its events when it is accepted.

    Returns:
        The command's result (a refusal appends nothing).

    Raises:
        ConcurrencyError: Another writer appended in between; nothing was written.

    .. versionadded:: 0.1.0
    """
    register = load(store)
    result = command(register)
    if result.accepted:
        commit(store, register, result)
    return result
