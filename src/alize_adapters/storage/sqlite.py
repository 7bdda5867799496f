# One module: the journal, the command log and the tokens share one connection, and a command's
# events and its idempotency key are written in the same transaction.
"""
The embedded store (*registre SQLite*): one SQLite file per register, through the standard library.

:class:`SqliteStore` implements the core's storage port
(:class:`alize_core.register.storage.EventStore`) and its personal-data port
(:class:`alize_core.register.storage.PersonalData`):

- the journal is a table of ``(id, body, digest)`` rows, appended only; each body is a
  JSON document stored as text (:mod:`alize_core.journal.codec`), so SQL tools read it,
  e.g. ``SELECT json_extract(body, '$.payload.amount') FROM events``;
- a file written by an earlier version is upgraded when it is opened, in one transaction
  (:data:`FORMAT` says how, :data:`UPGRADES` which formats); a file of a format this
  version does not know is refused with :class:`UnknownFormat`;
- each command's events are appended in **one transaction** (``BEGIN IMMEDIATE``) after
  checking the store is still at the version the register was read at, so a stale writer
  gets a :class:`~alize_core.kernel.errors.ConcurrencyError` and nothing is written; the rows
  must also follow the stored hash chain;
- the file runs in WAL mode with ``synchronous=FULL``: a committed batch survives a crash
  of the writer, and a batch interrupted before its commit leaves no trace;
- snapshots of the register let it be rebuilt from a recent state plus the events after it;
- people's names, e-mails and phones live in a separate table, erased row by row with
  ``secure_delete`` on, and never in the journal;
- :meth:`SqliteStore.backup` and :func:`restore` copy a live store with SQLite's online
  backup API.

>>> import tempfile, pathlib
>>> from datetime import date
>>> from alize_core.register.storage import PersonDetails, load
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> with SqliteStore(folder / "alize.db") as store:
...     store.version(), load(store).version
(0, 0)
>>> SqliteStore(folder / "missing.db", create=False)
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: db: '...missing.db' is not an alize register (no such file)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import Final

import attrs

from alize_adapters.storage.ports import (
    AlreadyRecorded,
    AuditableStore,
    RecordedCommand,
    TokenInfo,
)
from alize_core.journal.chain import Event, Verification, decode, following, verify_rows
from alize_core.journal.codec import GENESIS, StoredEvent
from alize_core.journal.legacy import upgrade_rows
from alize_core.kernel.errors import ConcurrencyError, IntegrityError, InvalidValue, UnknownRecord
from alize_core.register.records import Finding
from alize_core.register.replay import Replay, replay
from alize_core.register.storage import PersonDetails, Snapshot, snapshot_of
from alize_core.register.views import Register


__all__ = [
    "DEFAULT_DB",
    "ERASE_WAIT_MS",
    "FORMAT",
    "UPGRADES",
    "Audit",
    "SqliteStore",
    "UnknownFormat",
    "audit",
    "read_events",
    "restore",
]

logger = logging.getLogger(__name__)

DEFAULT_DB: Final = Path("alize.db")
"""The register ``alize`` commands use when ``--db`` is not given: ``./alize.db``."""

FORMAT: Final = "alize.sqlite/2"
"""
The version of the store's tables, kept in its ``meta`` table under ``format``.

- ``alize.sqlite/1``: event bodies as fields separated by 0x1F.
- ``alize.sqlite/2``: event bodies as JSON documents, stored as text.

A ``/2`` file also holds, since alize 0.16, the tables ``commands`` (each recorded
command's idempotency key, the digest of its request, its actor and its events' ids) and
``tokens`` (the API tokens' digests); they are created, empty, when a ``/2`` file without
them is opened for writing, and earlier versions, which do not read them, open such a file
as before.

Opening a ``/1`` file upgrades it in one transaction: its chain is verified, every body
rewritten as a JSON document and the digests chained anew, the snapshots rebuilt at the
same versions, and ``meta`` records ``upgraded_from`` (the old format), ``upgraded_head``
(the old chain's head digest, hexadecimal) and ``upgraded_version`` (its number of
events), so that an auditor can tie the new chain to the old one. A failure leaves the
file as it was.
"""

UPGRADES: Final = ("alize.sqlite/1",)
"""The formats a store is upgraded from when it is opened."""

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    digest BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS snapshots (
    version INTEGER PRIMARY KEY,
    on_date TEXT,
    head TEXT NOT NULL,
    data BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS people (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT
);
"""

_DOORS: Final = (
    """CREATE TABLE IF NOT EXISTS commands (
    id TEXT PRIMARY KEY,
    digest TEXT NOT NULL,
    actor TEXT NOT NULL,
    first_event INTEGER NOT NULL,
    last_event INTEGER NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS tokens (
    id TEXT PRIMARY KEY,
    actor TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked INTEGER NOT NULL DEFAULT 0
)""",
)
"""The tables of the command log and the API tokens (see :data:`FORMAT`)."""

_BUSY_MS: Final = 10_000

ERASE_WAIT_MS: Final = 2_000
"""How long an erasure waits for other readers of the file before saying a copy may remain."""

_EVENTS: Final = """
CREATE TABLE {name} (
    id INTEGER PRIMARY KEY,
    body TEXT NOT NULL,
    digest BLOB NOT NULL
)
"""


class UnknownFormat(InvalidValue):
    """
    A store file of a format this version of alize does not read (a newer one, or none).

    Attributes:
        format: The format the file declares (``None`` when it declares none).

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: Path, found: str | None) -> None:
        self.format = found
        shown = "no format" if found is None else f"format {found!r}"
        readable = ", ".join((FORMAT, *UPGRADES))
        super().__init__("db", str(path), f"holds a store of {shown}; this alize reads {readable}")


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    else:
        connection = sqlite3.connect(path)
    try:
        connection.isolation_level = None
        connection.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
    except BaseException:
        connection.close()
        raise
    return connection


class SqliteStore:
    """
    A register's journal, snapshots and personal data in one SQLite file.

    Args:
        path: The file (``./alize.db`` for the command line).
        create: Create the file when it does not exist; otherwise it must.

    Raises:
        InvalidValue: The file does not exist (and ``create`` is false), or is not an
            alize store.

    .. versionadded:: 0.1.0
    """

    def __init__(self, path: Path | str, *, create: bool = True) -> None:
        self.path = Path(path)
        self._in_transaction = False
        if not create and not self.path.is_file():
            raise InvalidValue("db", str(self.path), "is not an alize register (no such file)")
        try:
            self._db = _connect(self.path)
        except sqlite3.DatabaseError as exc:
            raise InvalidValue("db", str(self.path), f"cannot be opened ({exc})") from None
        try:
            self._open(create=create)
        except BaseException:
            self._db.close()
            raise

    def _open(self, *, create: bool) -> None:
        """Check the file is an alize store (or, when creating, empty) before writing to it."""
        try:
            tables = {row[0] for row in self._db.execute("SELECT name FROM sqlite_master")}
            if "meta" in tables:
                found = self._format()
                if found in UPGRADES:
                    self._upgrade()
                elif found != FORMAT:
                    raise UnknownFormat(self.path, found)
            elif tables or not create:
                msg = "is not an alize register (a SQLite file of another application)"
                raise InvalidValue("db", str(self.path), msg)
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA synchronous = FULL")
            self._db.execute("PRAGMA secure_delete = ON")
            if "meta" not in tables:
                self._db.executescript(_SCHEMA)
                self._db.execute("INSERT INTO meta VALUES ('format', ?)", (FORMAT,))
            if "commands" not in tables or "tokens" not in tables:
                for statement in _DOORS:
                    self._db.execute(statement)
        except sqlite3.DatabaseError as exc:
            raise InvalidValue("db", str(self.path), f"is not an alize register ({exc})") from None

    def _format(self) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        return None if row is None else str(row[0])

    def _upgrade(self) -> None:
        """
        Upgrade a ``alize.sqlite/1`` file in one transaction (see :data:`FORMAT`).

        Raises:
            IntegrityError: Its journal's chain is broken: nothing was changed.
        """
        db = self._db
        db.execute("BEGIN IMMEDIATE")
        try:
            found = self._format()
            logger.info("upgrading %s from format %s to %s", self.path, found, FORMAT)
            if found == FORMAT:  # another process upgraded it meanwhile
                db.execute("ROLLBACK")
                return
            old_head = GENESIS
            old_version = 0

            def rows() -> Iterator[tuple[int, str, bytes]]:
                nonlocal old_head, old_version
                cursor = db.execute("SELECT id, body, digest FROM events ORDER BY id")
                stored = ((n, bytes(body), bytes(digest)) for n, body, digest in cursor)
                for (position, body, digest), old_digest in upgrade_rows(stored):
                    old_head, old_version = old_digest, position
                    yield position, body.decode("ascii"), digest

            db.execute(_EVENTS.format(name="events_upgraded"))
            db.executemany("INSERT INTO events_upgraded VALUES (?, ?, ?)", rows())
            db.execute("DROP TABLE events")
            db.execute("ALTER TABLE events_upgraded RENAME TO events")
            self._rebuild_snapshots()
            db.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [
                    ("format", FORMAT),
                    ("upgraded_from", str(found)),
                    ("upgraded_head", old_head.hex()),
                    ("upgraded_version", str(old_version)),
                ],
            )
            db.execute("COMMIT")
            logger.info("upgraded %s: %d events re-sealed", self.path, old_version)
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _rebuild_snapshots(self) -> None:
        """The snapshots again at the same versions, from the upgraded journal."""
        versions = [row[0] for row in self._db.execute("SELECT version FROM snapshots")]
        self._db.execute("DELETE FROM snapshots")
        replaying = Replay()
        for version in sorted(versions):
            rows = self._db.execute(
                "SELECT id, CAST(body AS BLOB), digest FROM events WHERE id > ? AND id <= ?"
                " ORDER BY id",
                (replaying.version, version),
            ).fetchall()
            replaying.fold(rows)
            self.save_snapshot(snapshot_of(replaying.register()))

    def __enter__(self) -> SqliteStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the file."""
        self._db.close()

    # --- The journal. ---

    def version(self) -> int:
        """The number of events stored (the id of the last one)."""
        row = self._db.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()
        return int(row[0])

    def head(self) -> tuple[int, bytes]:
        """The id and digest of the last event (``(0, zeros)`` when empty)."""
        row = self._db.execute("SELECT id, digest FROM events ORDER BY id DESC LIMIT 1").fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), bytes(row[1]))

    def read(self, *, after: int = 0) -> Iterator[StoredEvent]:
        """The stored events after an id, in order."""
        cursor = self._db.execute(
            "SELECT id, CAST(body AS BLOB), digest FROM events WHERE id > ? ORDER BY id", (after,)
        )
        # Not ``yield from``: closing a generator left half-read after the store was closed
        # would close the cursor too, and SQLite would complain on stderr.
        for row in cursor:  # noqa: UP028 - see above
            yield row

    def append(self, rows: Iterable[StoredEvent], *, expected_version: int) -> int:
        """
        Append events in one transaction, after checking the store's version and chain.

        Returns:
            The store's version afterwards.

        Raises:
            ConcurrencyError: Another writer appended since ``expected_version`` was read.
            IntegrityError: The rows do not follow the stored chain.
        """
        return self._append(rows, expected_version, None)

    def append_command(
        self,
        rows: Iterable[StoredEvent],
        *,
        expected_version: int,
        command_id: str,
        digest: str,
        actor: str,
    ) -> int:
        """
        Append a command's events and its idempotency key in one transaction.

        Returns:
            The store's version afterwards.

        Raises:
            AlreadyRecorded: The id is already recorded; nothing was written.
            ConcurrencyError: Another writer appended since ``expected_version`` was read.
            IntegrityError: The rows do not follow the stored chain.
        """
        return self._append(rows, expected_version, (command_id, digest, actor))

    def _append(
        self,
        rows: Iterable[StoredEvent],
        expected_version: int,
        command: tuple[str, str, str] | None,
    ) -> int:
        db = self._db
        nested = self._in_transaction
        db.execute("SAVEPOINT append" if nested else "BEGIN IMMEDIATE")
        try:
            version, head = self.head()
            if command is not None:
                recorded = self.recorded_command(command[0])
                if recorded is not None:
                    raise AlreadyRecorded(recorded)
            if version != expected_version:
                msg = (
                    f"is out of date: the register changed since it was read (it is now at"
                    f" version {version}); nothing was written, read it again and retry"
                )
                raise ConcurrencyError("expected_version", expected_version, msg)
            checked = list(following(rows, version, head))
            db.executemany(
                "INSERT INTO events (id, body, digest) VALUES (?, CAST(? AS TEXT), ?)", checked
            )
            if command is not None and checked:
                db.execute(
                    "INSERT INTO commands VALUES (?, ?, ?, ?, ?)",
                    (*command, checked[0][0], checked[-1][0]),
                )
            db.execute("RELEASE append" if nested else "COMMIT")
        except BaseException:
            if nested:
                db.execute("ROLLBACK TO append")
                db.execute("RELEASE append")
            else:
                db.execute("ROLLBACK")
            raise
        return version + len(checked)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """
        Several appends in one transaction (*validation groupée*): the write lock is taken
        when the block starts, so no other writer appends in between; an append that
        raises undoes only itself; everything is committed — one write to disk — when the
        block ends, and nothing when it raises. The HTTP API records the commands that
        arrive together this way.

        >>> import tempfile, pathlib
        >>> store = SqliteStore(pathlib.Path(tempfile.mkdtemp()) / "alize.db")
        >>> with store.transaction():
        ...     store.version()
        0
        >>> store.close()

        .. versionadded:: 0.1.0
        """
        if self._in_transaction:
            raise InvalidValue("transaction", None, "is already open on this store")
        self._db.execute("BEGIN IMMEDIATE")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._in_transaction = False
            self._db.execute("ROLLBACK")
            raise
        self._in_transaction = False
        try:
            self._db.execute("COMMIT")
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise

    def recorded_command(self, command_id: str) -> RecordedCommand | None:
        """The command recorded under an id, ``None`` when there is none."""
        row = self._db.execute(
            "SELECT id, digest, actor, first_event, last_event FROM commands WHERE id = ?",
            (command_id,),
        ).fetchone()
        return None if row is None else RecordedCommand(*row)

    def commands(self) -> tuple[RecordedCommand, ...]:
        """
        Every recorded command, in the order of their events.

        .. versionadded:: 0.1.0
        """
        rows = self._db.execute(
            "SELECT id, digest, actor, first_event, last_event FROM commands ORDER BY first_event"
        ).fetchall()
        return tuple(RecordedCommand(*row) for row in rows)

    # --- API tokens. ---

    def add_token(self, token_id: str, actor: str, digest: str, created_at: str) -> None:
        """
        Keep a new token's digest for an actor.

        Raises:
            InvalidValue: A token with this id or digest is already kept.
        """
        for column, field, value in (("id", "token_id", token_id), ("digest", "digest", digest)):
            query = f"SELECT 1 FROM tokens WHERE {column} = ?"
            if self._db.execute(query, (value,)).fetchone() is not None:
                raise InvalidValue(field, value, "is already kept")
        self._db.execute(
            "INSERT INTO tokens (id, actor, digest, created_at) VALUES (?, ?, ?, ?)",
            (token_id, actor, digest, created_at),
        )

    def token_actor(self, digest: str) -> str | None:
        """The actor of the token with this digest, ``None`` when unknown or revoked."""
        row = self._db.execute(
            "SELECT actor FROM tokens WHERE digest = ? AND revoked = 0", (digest,)
        ).fetchone()
        return None if row is None else str(row[0])

    def revoke_tokens(self, *, token_id: str | None = None, actor: str | None = None) -> int:
        """Revoke a token by id, or every token of an actor; how many were revoked."""
        if (token_id is None) == (actor is None):
            raise InvalidValue("token", None, "revoke a token by its id, or an actor's tokens")
        column, value = ("id", token_id) if token_id is not None else ("actor", actor)
        cursor = self._db.execute(
            f"UPDATE tokens SET revoked = 1 WHERE {column} = ? AND revoked = 0",
            (value,),
        )
        return cursor.rowcount

    def tokens(self) -> tuple[TokenInfo, ...]:
        """Every token, revoked ones included, oldest first."""
        rows = self._db.execute(
            "SELECT id, actor, created_at, revoked FROM tokens ORDER BY created_at, id"
        ).fetchall()
        return tuple(TokenInfo(i, a, c, bool(r)) for i, a, c, r in rows)

    def token_digests(self) -> dict[str, str]:
        """
        Each token's digest by its id (for copying a store).

        .. versionadded:: 0.1.0
        """
        return dict(self._db.execute("SELECT id, digest FROM tokens").fetchall())

    # --- Snapshots. ---

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep a snapshot (replacing one of the same version)."""
        on = snapshot.on.isoformat() if snapshot.on is not None else None
        self._db.execute(
            "INSERT OR REPLACE INTO snapshots VALUES (?, ?, ?, ?)",
            (snapshot.version, on, snapshot.head, snapshot.data),
        )

    def latest_snapshot(self, *, on_or_before: date | None = None) -> Snapshot | None:
        """The latest snapshot, or the latest whose last event is on or before a date."""
        if on_or_before is None:
            query = "SELECT * FROM snapshots ORDER BY version DESC LIMIT 1"
            row = self._db.execute(query).fetchone()
        else:
            query = (
                "SELECT * FROM snapshots WHERE on_date IS NULL OR on_date <= ?"
                " ORDER BY version DESC LIMIT 1"
            )
            row = self._db.execute(query, (on_or_before.isoformat(),)).fetchone()
        return None if row is None else _snapshot(row)

    def snapshots(self) -> tuple[Snapshot, ...]:
        """Every snapshot, oldest first."""
        rows = self._db.execute("SELECT * FROM snapshots ORDER BY version").fetchall()
        return tuple(_snapshot(row) for row in rows)

    # --- Personal data. ---

    def put_person(self, details: PersonDetails) -> None:
        """Record or replace a person's details."""
        self._db.execute(
            "INSERT OR REPLACE INTO people VALUES (?, ?, ?, ?)",
            (details.id, details.name, details.email, details.phone),
        )

    def get_person(self, person_id: str) -> PersonDetails | None:
        """A person's details, ``None`` when unknown or erased (:meth:`person` raises instead)."""
        row = self._db.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
        return None if row is None else PersonDetails(*row)

    def person(self, person_id: str) -> PersonDetails:
        """
        A person's details.

        Raises:
            UnknownRecord: The store holds no details of that person (unknown or erased).
        """
        details = self.get_person(person_id)
        if details is None:
            raise UnknownRecord("person", person_id)
        return details

    def people(self) -> tuple[PersonDetails, ...]:
        """
        Every person's details, by id (for copying a store).

        .. versionadded:: 0.1.0
        """
        rows = self._db.execute("SELECT * FROM people ORDER BY id").fetchall()
        return tuple(PersonDetails(*row) for row in rows)

    def erase_person(self, person_id: str) -> bool:
        """
        Erase a person's details (the GDPR's right to erasure); ``True`` when there were some.

        The row is deleted with ``secure_delete`` on and the write-ahead log is
        checkpointed and emptied, so the details do not linger in the file. The journal
        is untouched: it never held them.

        Raises:
            ConcurrencyError: Another connection (a server, a relay) kept reading the file
                for :data:`ERASE_WAIT_MS`: the row is deleted, but the write-ahead log could
                not be emptied and may still hold a copy. Erase the person again once that
                reader has stopped.
        """
        cursor = self._db.execute("DELETE FROM people WHERE id = ?", (person_id,))
        self._db.execute(f"PRAGMA busy_timeout = {ERASE_WAIT_MS}")
        try:
            (busy, _, _) = self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            self._db.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        if busy:
            msg = (
                "was erased from the register's table, but another program is reading the"
                " file (a server, a relay), so a copy may remain in its write-ahead log: stop"
                " it, then erase the person again"
            )
            raise ConcurrencyError("person", person_id, msg)
        return cursor.rowcount > 0

    # --- Backups. ---

    def backup(self, destination: Path | str) -> Path:
        """
        Copy the live store to a new file with SQLite's online backup.

        Raises:
            InvalidValue: The destination already exists, or cannot be written (nothing is
                left there).
        """
        target = Path(destination)
        if target.exists():
            raise InvalidValue("destination", str(target), "already exists; choose a new file")
        _online_copy(self._db, target, field="destination", existed=False)
        return target


def _online_copy(source: sqlite3.Connection, target: Path, *, field: str, existed: bool) -> None:
    """Copy a database into ``target`` with SQLite's online backup; a new file is removed on failure."""
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    except sqlite3.Error as exc:
        if not existed:
            target.unlink(missing_ok=True)
        raise InvalidValue(field, str(target), f"cannot be written ({exc})") from None


def _snapshot(row: tuple[int, str | None, str, bytes | str]) -> Snapshot:
    version, on, head, data = row
    content = data.encode() if isinstance(data, str) else bytes(data)
    return Snapshot(version, None if on is None else date.fromisoformat(on), head, content)


def _backup_events(path: Path) -> int:
    """The number of events of a backup, read without writing to it; refused if it is no alize store."""
    try:
        with contextlib.closing(_connect(path, readonly=True)) as backup:
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
            if "meta" not in tables or "events" not in tables:
                msg = "is not an alize register (a SQLite file of another application)"
                raise InvalidValue("db", str(path), msg)
            row = backup.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
            found = None if row is None else str(row[0])
            if found != FORMAT and found not in UPGRADES:
                raise UnknownFormat(path, found)
            return int(backup.execute("SELECT COALESCE(MAX(id), 0) FROM events").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise InvalidValue("db", str(path), f"is not an alize register ({exc})") from None


def restore(source: Path | str, destination: Path | str, *, replace: bool = False) -> Path:
    """
    Restore a backup into a store file with SQLite's online backup.

    Args:
        source: The backup (an alize store file).
        destination: The store to restore into.
        replace: Overwrite a destination that already holds events.

    Raises:
        InvalidValue: The source is not an alize store, the destination holds events
            and ``replace`` is false, or the destination cannot be written.

    .. versionadded:: 0.1.0
    """
    origin = Path(source)
    target = Path(destination)
    if not origin.is_file():
        raise InvalidValue("db", str(origin), "is not an alize register (no such file)")
    if target.exists() and not replace:
        with SqliteStore(target, create=False) as current:
            if current.version():
                msg = (
                    f"already holds {current.version()} events; restoring would replace"
                    " them (use --force)"
                )
                raise InvalidValue("db", str(target), msg)
    # The backup is only read: a backup of an older format is upgraded in the restored
    # copy, never in place.
    events = _backup_events(origin)
    with contextlib.closing(_connect(origin, readonly=True)) as backup:
        _online_copy(backup, target, field="db", existed=target.exists())
    with SqliteStore(target, create=False) as restored:
        if restored.version() != events:
            raise IntegrityError("db", None, "the restored store does not hold the backup's events")
    return target


@attrs.frozen
class Audit:
    """
    What ``alize check`` finds in a store.

    Attributes:
        verification: The hash chain, each break naming its event.
        register: The register folded from the stored events (even if the chain is broken).
        snapshots: The versions of the snapshots that do not match the journal.
        snapshots_checked: How many snapshots were compared with the journal.
    """

    verification: Verification
    register: Register
    snapshots: tuple[int, ...]
    snapshots_checked: int

    @property
    def problems(self) -> tuple[Finding, ...]:
        """What the fold found wrong (unknown references, a fund that does not balance)."""
        return self.register.problems

    @property
    def ok(self) -> bool:
        """Whether the chain is intact, the fund balances at every event and snapshots match."""
        return self.verification.ok and not self.problems and not self.snapshots


def audit(store: AuditableStore, *, progress: Callable[[int, int], None] | None = None) -> Audit:
    """
    Verify a stored register: the hash chain, the fund at every event (FUND-05), the
    events outside any convention (CONV-01, flags), and each snapshot against the journal.

    Any store with its snapshots will do: the SQLite store, or
    :class:`~alize_adapters.storage.postgres.PostgresStore` (since 0.16.0).

    Args:
        store: The register's store.
        progress: Told ``(events read, events to read)`` as the journal is read (once for
            the chain, once for the fund, and up to each snapshot).

    .. versionadded:: 0.1.0
    .. versionchanged:: 0.16.0
       *progress*.
    """
    snapshots = store.snapshots()
    total = 2 * store.version() + sum(min(s.version, store.version()) for s in snapshots)
    done = 0

    def counted(rows: Iterable[StoredEvent]) -> Iterator[StoredEvent]:
        nonlocal done
        for row in rows:
            done += 1
            if progress is not None:
                progress(min(done, total), total)  # a broken chain is read twice
            yield row

    verification = verify_rows(lambda: counted(store.read()))
    register = replay(counted(store.read()), strict=False)
    mismatched = []
    for snapshot in snapshots:
        rows = counted(row for row in store.read() if row[0] <= snapshot.version)
        try:
            expected = replay(rows, strict=verification.ok)
            matches = Register.from_snapshot(snapshot.data) == expected
        except (IntegrityError, InvalidValue, ValueError):
            matches = False
        if not matches or expected.version != snapshot.version:
            mismatched.append(snapshot.version)
    return Audit(verification, register, tuple(mismatched), len(snapshots))


def read_events(path: Path) -> list[Event]:
    """
    The journal of a stored register, every event decoded (its chain is verified when the
    reports replay it).

    Raises:
        InvalidValue: The file is not an alize register.
        MalformedInput: A stored event is not one alize writes.

    .. versionadded:: 0.1.0
    """
    events = []
    previous = GENESIS
    with SqliteStore(path, create=False) as store:
        for row in store.read():
            events.append(decode(row, previous))
            previous = row[2]
    return events
