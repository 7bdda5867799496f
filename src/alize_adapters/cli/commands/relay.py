"""
``alize relay``: deliver the register's committed events to the configured adapters.

``alize relay [--db PATH|URL] [--outbox PATH] [--once | --every SECONDS] [--format text|json]``
reads the register's journal, keeps one delivery per event and adapter in the outbox (an
SQLite file beside the register, ``<db>.outbox``, or ``[relay] outbox`` of ``alize.toml``)
and attempts every due delivery (:class:`~alize_adapters.delivery.outbox.Relay`), then
prints one line saying what the run did. ``--once`` (the default without ``[relay]
interval``) runs once, for cron or a systemd timer; ``--every SECONDS`` runs again and
again until SIGTERM or SIGINT, which end it cleanly (status 0) once the run under way is
done. ``--format json`` prints each run as one JSON object on its line.

Exit status: 0 when every delivery is made or waits its retry; 3 when deliveries are dead
(``alize adapters outbox --store …`` lists them, ``alize adapters replay`` puts them back
once the cause is fixed); 1 on bad input (no register, a malformed configuration).

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any, Final

from alize_adapters.cli.commands._db import add_db_option, db_text, open_register_store, path_text
from alize_adapters.cli.commands._manager import loaded_manager
from alize_adapters.cli.config import config_of, seconds
from alize_adapters.delivery.feed import JournalFeed
from alize_adapters.delivery.outbox import Relay, RelayReport
from alize_adapters.delivery.stores import SqliteDeliveryStore
from alize_adapters.storage.postgres import PostgresDeliveryStore
from alize_core.kernel.errors import AlizeError, InvalidValue
from alize_core.kernel.jsontext import dump_json


__all__ = ["DEAD", "outbox_path", "register", "run"]

DEAD: Final = 3
"""The exit status when deliveries are dead (an operator must look, then replay)."""

_SIDE_FILES: Final = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database."""

logger = logging.getLogger(__name__)


def register(subparsers: Any) -> None:
    """Add the ``relay`` command."""
    parser = subparsers.add_parser(
        "relay",
        help="deliver the register's events to the configured adapters (the outbox)",
        description="Deliver the register's committed events to the configured adapters,"
        " each at least once, keeping the deliveries in the outbox (an SQLite file, or the"
        " register's PostgreSQL database)."
        " Runs once (for cron or a systemd timer) or every SECONDS until SIGTERM or SIGINT."
        f" Exit status: 0 delivered or waiting, {DEAD} when deliveries are dead, 1 on bad"
        " input.",
    )
    add_db_option(parser)
    parser.add_argument(
        "--outbox",
        type=Path,
        metavar="PATH",
        help="the outbox's SQLite file (default: [relay] outbox of alize.toml, else"
        " the register's path + .outbox)",
    )
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--once", action="store_true", help="run once (the default)")
    when.add_argument(
        "--every",
        type=_seconds,
        metavar="SECONDS",
        help="run every SECONDS until SIGTERM or SIGINT (default: [relay] interval)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def _seconds(text: str) -> Decimal:
    try:
        return seconds(text, "--every")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def outbox_path(db: Path | str, configured: Path | None) -> Path:
    """
    The outbox's file: the one configured, else the register's path with ``.outbox`` added
    (a register in PostgreSQL names no file: its outbox is kept in its database).

    >>> outbox_path(Path("meuse.db"), None).name
    'meuse.db.outbox'

    Raises:
        InvalidValue: The register's path names no file (``.``).
    """
    if configured is not None:
        return configured
    path = Path(db)
    if not path.name:
        raise InvalidValue("--db", path_text(path), "names no register file")
    return path.with_name(path.name + ".outbox")


def _line(report: RelayReport, dead_letters: int, outbox: str, form: str) -> str:
    counts = {
        "enqueued": report.enqueued,
        "delivered": report.delivered,
        "retried": report.retried,
        "dead": report.dead,
        "waiting": report.waiting,
        "dead_letters": dead_letters,
    }
    if form == "json":
        return dump_json({**counts, "outbox": outbox}, ascii=False)
    return (
        f"relay: {report.enqueued} new deliveries, {report.delivered} delivered,"
        f" {report.retried} to retry, {report.dead} dead, {report.waiting} waiting;"
        f" {dead_letters} dead in the outbox {outbox}"
    )


@contextmanager
def _stopped_by_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM or SIGINT while the block runs (the handlers restored after)."""
    stop = threading.Event()

    def handle(signum: int, _frame: FrameType | None) -> None:
        logger.info("%s received: stopping after the run under way", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, handle) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def run(args: argparse.Namespace) -> int:
    """Run the relay once, or every SECONDS until a signal; print a line per run."""
    config = config_of(args)
    interval = None if args.once else args.every or config.relay.interval
    configured: Path | None = args.outbox or config.relay.outbox
    db: Path | str = args.db
    # A register in PostgreSQL keeps its outbox there too, unless an outbox file is named.
    outbox = None if isinstance(db, str) and configured is None else outbox_path(db, configured)
    manager = loaded_manager(config.adapters)
    new = outbox is not None and not outbox.exists()
    try:
        with contextlib.ExitStack() as stack:
            register = open_register_store(db)
            stack.callback(register.close)
            store: SqliteDeliveryStore | PostgresDeliveryStore
            if outbox is None:
                store = stack.enter_context(PostgresDeliveryStore(str(db)))
                where = db_text(db)
            else:
                store = stack.enter_context(SqliteDeliveryStore(outbox))
                where = path_text(outbox)
            relay = Relay(manager, JournalFeed.from_rows(register.read), store)
            if interval is None:
                return _once(relay, where, args.format)
            with _stopped_by_signals() as stop:
                while not stop.is_set():
                    _once(relay, where, args.format)
                    stop.wait(float(interval))
    except AlizeError:
        if new and outbox is not None:  # a failed first run leaves no outbox behind
            for path in (outbox, *(outbox.with_name(outbox.name + s) for s in _SIDE_FILES)):
                path.unlink(missing_ok=True)
        raise
    logger.info("relay stopped")
    return 0


def _once(relay: Relay, outbox: str, form: str) -> int:
    report = relay.run()
    dead = len(relay.dead_letters())
    print(_line(report, dead, outbox, form), flush=True)
    if dead:
        logger.warning("%d dead deliveries in %s: see alize adapters outbox", dead, outbox)
    return DEAD if dead else 0
