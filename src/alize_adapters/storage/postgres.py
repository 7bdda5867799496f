# One module: the journal, the command log, the tokens and the personal data of a territory
# share one connection, and a command's events and its idempotency key are written in the
# same transaction, as in the SQLite store; the outbox's store shares its connection code.
"""
The server store (*registre PostgreSQL*): every territory's register in one PostgreSQL
database, through psycopg 3 (the extra ``alize[postgres]``).

:class:`PostgresStore` keeps exactly what :class:`~alize_adapters.storage.sqlite.SqliteStore`
keeps, with the same behaviour: the core's
:class:`~alize_core.register.storage.EventStore` and
:class:`~alize_core.register.storage.PersonalData`, and the adapters'
:class:`~alize_adapters.storage.ports.CommandStore` and
:class:`~alize_adapters.storage.ports.TokenStore`.

**Many territories, one database: a territory key on every row.** The tables live in one
schema, ``alize``, and every row names its territory (the primary keys are
``(territory, id)``), rather than a schema per territory, because

- the national consolidation and any cross-territory question is one SQL statement
  over one table (``SELECT territory, count(*) FROM alize.events GROUP BY territory``), not
  a union over a hundred schemas whose list changes as territories join;
- there is one set of tables to create, upgrade and grant: a new territory is one row in
  ``alize.registers``, not DDL run by the application at run time;
- each territory's journal is still a contiguous range of the ``(territory, id)`` index,
  so reading, appending and finding its head cost what they would in a table of its own;
  should one operator need to see only its territory, PostgreSQL's row-level security
  (``CREATE POLICY … USING (territory = …)``) gives that on the same tables.

**Appends** take the territory's row of ``alize.registers`` ``FOR UPDATE``: writers of one
territory queue there (those of other territories do not wait), then each checks, in its
transaction, that the journal is still at the version it read
(:class:`~alize_core.kernel.errors.ConcurrencyError` otherwise) and that the rows follow the
stored chain (:func:`alize_core.journal.chain.following`,
:class:`~alize_core.kernel.errors.IntegrityError` otherwise); a command's id is checked and
written in that same transaction (:class:`~alize_adapters.storage.ports.AlreadyRecorded`).
The rows are sent with ``COPY``. A writer killed before its commit leaves nothing:
PostgreSQL rolls the transaction back.

**Bodies: the exact text and a ``jsonb`` copy.** Each event's body is kept twice:
``body`` (``text``), the exact canonical bytes the digest covers, and ``doc`` (``jsonb``),
a column PostgreSQL generates from it, for queries such as
``SELECT doc #>> '{payload,amount}' FROM alize.events WHERE doc->>'kind' = 'advance_disbursed'``.
``jsonb`` alone would not do: it reorders keys and drops the canonical spelling, so the
bytes the chain covers could only be rebuilt by re-encoding (and a journal written by a
later encoder could not be verified); the generated column can never disagree with the
text. A body that is not a JSON document is refused
(:class:`~alize_core.kernel.errors.MalformedInput`) before anything is written.

**Erasure and VACUUM.** PostgreSQL never overwrites a deleted row in place: a plain
``DELETE`` leaves its bytes in the table's file until ``VACUUM`` frees the space and later
rows reuse it. :meth:`PostgresStore.erase_person` therefore deletes the row and then
rewrites the table with ``VACUUM FULL alize.people``: the new file holds only the rows
still there, and the old one is emptied at once (an exclusive lock on the table of
names, for the milliseconds a rewrite of it takes). Only the table's owner may rewrite
it; for any other role PostgreSQL skips the ``VACUUM`` with a warning, and the owner must
run it. The bytes still live, until they expire, in the write-ahead log (until its
segments are recycled, at the next checkpoints), on standbys' copies of it, and in every
base backup, WAL archive and ``pg_dump`` taken before the erasure. The journal is
untouched: it never held personal data.

A URL may name the territory in its query (``postgresql://host/db?territory=MEUSE``); the
parameter is alize's and is not passed to the server. :func:`open_store` opens a store by
URL or by path (a path meaning SQLite).

>>> territory_of("postgresql://alize@db.example.org/alize?territory=MEUSE")
('postgresql://alize@db.example.org/alize', 'MEUSE')
>>> shown_url("postgresql://alize:secret@db.example.org:5432/alize")
'postgresql://alize:***@db.example.org:5432/alize'
>>> is_url("alize.db"), is_url("postgresql://db.example.org/alize")
(False, True)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Final, Self
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from alize_adapters.delivery.sources import OutboxEvent
from alize_adapters.delivery.stores import OPEN_STATES, Delivery, DeliveryState, claimed
from alize_adapters.storage.ports import AlreadyRecorded, RecordedCommand, TokenInfo
from alize_adapters.storage.sqlite import SqliteStore
from alize_core.journal.chain import following
from alize_core.journal.codec import GENESIS, StoredEvent
from alize_core.kernel.errors import (
    AlizeError,
    ConcurrencyError,
    IntegrityError,
    InvalidValue,
    MalformedInput,
    UnknownRecord,
)
from alize_core.kernel.validation import check_id
from alize_core.register.storage import PersonDetails, Snapshot


if TYPE_CHECKING:
    import psycopg


__all__ = [
    "POSTGRES_FORMAT",
    "POSTGRES_SCHEMA",
    "URL_SCHEMES",
    "PostgresDeliveryStore",
    "PostgresStore",
    "StoreUnavailable",
    "is_url",
    "open_store",
    "shown_url",
    "territory_of",
]

POSTGRES_FORMAT: Final = "alize.postgres/1"
"""The version of the store's tables, kept in ``alize.meta`` under ``format``."""

POSTGRES_SCHEMA: Final = "alize"
"""The PostgreSQL schema that holds the store's tables."""

URL_SCHEMES: Final = ("postgresql", "postgres")
"""The URL schemes that name a PostgreSQL database (anything else is a SQLite file's path)."""

_TABLES: Final = (
    "CREATE SCHEMA IF NOT EXISTS alize",
    "CREATE TABLE IF NOT EXISTS alize.meta (key text PRIMARY KEY, value text NOT NULL)",
    """CREATE TABLE IF NOT EXISTS alize.registers (
    territory text PRIMARY KEY,
    created_at timestamptz NOT NULL DEFAULT now()
)""",
    """CREATE TABLE IF NOT EXISTS alize.events (
    territory text NOT NULL REFERENCES alize.registers,
    id bigint NOT NULL CHECK (id >= 1),
    body text NOT NULL,
    digest bytea NOT NULL CHECK (length(digest) = 32),
    doc jsonb GENERATED ALWAYS AS (body::jsonb) STORED,
    PRIMARY KEY (territory, id)
)""",
    """CREATE TABLE IF NOT EXISTS alize.snapshots (
    territory text NOT NULL REFERENCES alize.registers,
    version bigint NOT NULL,
    on_date date,
    head text NOT NULL,
    data bytea NOT NULL,
    PRIMARY KEY (territory, version)
)""",
    """CREATE TABLE IF NOT EXISTS alize.people (
    territory text NOT NULL REFERENCES alize.registers,
    id text NOT NULL,
    name text NOT NULL,
    email text,
    phone text,
    PRIMARY KEY (territory, id)
)""",
    """CREATE TABLE IF NOT EXISTS alize.commands (
    territory text NOT NULL REFERENCES alize.registers,
    id text NOT NULL,
    digest text NOT NULL,
    actor text NOT NULL,
    first_event bigint NOT NULL,
    last_event bigint NOT NULL,
    PRIMARY KEY (territory, id)
)""",
    """CREATE TABLE IF NOT EXISTS alize.tokens (
    territory text NOT NULL REFERENCES alize.registers,
    id text NOT NULL,
    actor text NOT NULL,
    digest text NOT NULL UNIQUE,
    created_at text NOT NULL,
    revoked boolean NOT NULL DEFAULT false,
    PRIMARY KEY (territory, id)
)""",
)

_SETUP_LOCK: Final = 0x616C697A65
"""The advisory lock that serialises creating the tables (two stores opening a new database)."""

_PAGE: Final = 10_000
"""How many events :meth:`PostgresStore.read` fetches at a time."""


class StoreUnavailable(AlizeError):
    """
    The database cannot be reached, or the connection was lost during a call.

    A write cut off by a lost connection may or may not have been committed: read the
    register again (a command's idempotency key makes its retry safe). The store connects
    again on its next call.

    .. versionadded:: 0.1.0
    """

    message = "cannot be reached"


def is_url(db: str | Path) -> bool:
    """
    Whether a ``--db`` value names a PostgreSQL database (a URL) rather than a SQLite file.

    .. versionadded:: 0.1.0
    """
    return isinstance(db, str) and urlsplit(db).scheme in URL_SCHEMES


def shown_url(url: str) -> str:
    """
    A URL fit for a message: its password, if any, replaced by ``***``.

    .. versionadded:: 0.1.0
    """
    parts = urlsplit(url)
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


def territory_of(url: str) -> tuple[str, str | None]:
    """
    A URL without its ``territory`` parameter, and that parameter (``None`` without one).

    .. versionadded:: 0.1.0
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    named = [value for key, value in query if key == "territory"]
    rest = urlencode([(key, value) for key, value in query if key != "territory"])
    return urlunsplit(parts._replace(query=rest)), (named[-1] if named else None)


def _driver() -> None:
    """Check psycopg is installed; say how to install it otherwise."""
    try:
        import psycopg  # noqa: F401, PLC0415 - the extra is optional
    except ImportError:
        msg = (
            "needs psycopg: install alize with its PostgreSQL extra (pip install 'alize[postgres]')"
        )
        raise InvalidValue("db", "postgresql://", msg) from None


class PostgresStore:
    """
    A territory's journal, snapshots, personal data, command log and tokens in PostgreSQL.

    Args:
        url: The database (``postgresql://user@host:port/dbname``; a ``territory``
            parameter in its query names the territory).
        territory: The territory's id (overrides the URL's parameter).
        create: Create the tables (once per database) and the territory's register when
            missing; otherwise both must exist.

    Raises:
        InvalidValue: No territory is named, psycopg is missing, the database holds tables
            of another format, or (without ``create``) the territory has no register.
        StoreUnavailable: The database cannot be reached.

    .. versionadded:: 0.1.0
    """

    def __init__(self, url: str, *, territory: str | None = None, create: bool = True) -> None:
        _driver()
        self.url, named = territory_of(url)
        chosen = territory if territory is not None else named
        if chosen is None:
            msg = "names no territory: add ?territory=ID to the URL, or give the territory"
            raise InvalidValue("db", shown_url(url), msg)
        self.territory = check_id(chosen, field="territory")
        self._db: psycopg.Connection[tuple[object, ...]] | None = None
        try:
            self._open(create=create)
        except BaseException:
            self.close()
            raise

    # --- The connection. ---

    def _connection(self) -> psycopg.Connection[tuple[object, ...]]:
        import psycopg  # noqa: PLC0415 - the extra is optional: imported when used

        if self._db is None or self._db.closed or self._db.broken:
            if self._db is not None:
                self._db.close()
            self._db = None
            try:
                self._db = psycopg.connect(self.url, autocommit=True)
            except psycopg.Error as exc:
                raise StoreUnavailable("db", shown_url(self.url), _reason(exc)) from None
        return self._db

    @contextlib.contextmanager
    def _guarded(self) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
        """The connection; a lost connection raises :class:`StoreUnavailable`."""
        import psycopg  # noqa: PLC0415 - the extra is optional: imported when used

        db = self._connection()
        try:
            yield db
        except psycopg.OperationalError as exc:
            raise StoreUnavailable("db", shown_url(self.url), _reason(exc)) from None

    def _open(self, *, create: bool) -> None:
        import psycopg  # noqa: PLC0415 - the extra is optional: imported when used

        with self._guarded() as db:
            try:
                found = db.execute("SELECT to_regclass('alize.meta') IS NOT NULL").fetchone()
                if not (found and found[0]):
                    if not create:
                        msg = "holds no alize store (no alize.meta table)"
                        raise InvalidValue("db", shown_url(self.url), msg)
                    with db.transaction():
                        db.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK,))
                        for statement in _TABLES:
                            db.execute(statement)
                        db.execute(
                            "INSERT INTO alize.meta VALUES ('format', %s) ON CONFLICT DO NOTHING",
                            (POSTGRES_FORMAT,),
                        )
                row = db.execute("SELECT value FROM alize.meta WHERE key = 'format'").fetchone()
                if row is None or row[0] != POSTGRES_FORMAT:
                    shown = "no format" if row is None else f"format {row[0]!r}"
                    msg = f"holds a store of {shown}; this alize reads {POSTGRES_FORMAT}"
                    raise InvalidValue("db", shown_url(self.url), msg)
                if create:
                    db.execute(
                        "INSERT INTO alize.registers (territory) VALUES (%s) ON CONFLICT DO NOTHING",
                        (self.territory,),
                    )
                elif not db.execute(
                    "SELECT 1 FROM alize.registers WHERE territory = %s", (self.territory,)
                ).fetchone():
                    msg = f"holds no register of territory {self.territory!r}"
                    raise InvalidValue("db", shown_url(self.url), msg)
            except psycopg.errors.InsufficientPrivilege as exc:
                raise InvalidValue("db", shown_url(self.url), _reason(exc)) from None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()

    def backend_pid(self) -> int:
        """The process id of the server process serving this store's connection."""
        with self._guarded() as db:
            pid: int = db.info.backend_pid
        return pid

    def close(self) -> None:
        """Close the connection."""
        if self._db is not None:
            self._db.close()

    def _one(self, query: str, *params: object) -> tuple[object, ...] | None:
        with self._guarded() as db:
            row: tuple[object, ...] | None = db.execute(query, (self.territory, *params)).fetchone()
        return row

    def _all(self, query: str, *params: object) -> list[tuple[object, ...]]:
        with self._guarded() as db:
            rows: list[tuple[object, ...]] = db.execute(query, (self.territory, *params)).fetchall()
        return rows

    def _run(self, query: str, *params: object) -> int:
        with self._guarded() as db:
            count: int = db.execute(query, (self.territory, *params)).rowcount
        return count

    # --- The journal. ---

    def version(self) -> int:
        """The number of events stored (the id of the last one)."""
        return self.head()[0]

    def head(self) -> tuple[int, bytes]:
        """The id and digest of the last event (``(0, zeros)`` when empty)."""
        row = self._one(
            "SELECT id, digest FROM alize.events WHERE territory = %s ORDER BY id DESC LIMIT 1"
        )
        return (0, GENESIS) if row is None else (_int(row[0]), _bytes(row[1]))

    def read(self, *, after: int = 0) -> Iterator[StoredEvent]:
        """The stored events after an id, in order (fetched a page at a time)."""
        # A range of ids at a time (ids run from 1 without gaps in a sound journal), in the
        # binary protocol, each page its own statement: no transaction stays open while the
        # caller holds the generator, and no page sorts more than its own rows.
        query = (
            "SELECT id, body, digest FROM alize.events WHERE territory = %s AND id > %s"
            " AND id <= %s ORDER BY id"
        )
        after = max(after, 0)
        while True:
            with self._guarded() as db, db.cursor(binary=True) as cursor:
                rows = cursor.execute(query, (self.territory, after, after + _PAGE)).fetchall()
            for position, body, digest in rows:
                yield (_int(position), str(body).encode(), _bytes(digest))
            if (
                len(rows) < _PAGE
                and self._one(
                    "SELECT 1 FROM alize.events WHERE territory = %s AND id > %s LIMIT 1",
                    after + _PAGE,
                )
                is None
            ):
                return
            after += _PAGE

    def append(self, rows: Iterable[StoredEvent], *, expected_version: int) -> int:
        """
        Append events in one transaction, after checking the store's version and chain.

        Returns:
            The store's version afterwards.

        Raises:
            ConcurrencyError: Another writer appended since ``expected_version`` was read.
            IntegrityError: The rows do not follow the stored chain.
            MalformedInput: A body is not a JSON document in UTF-8.
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
        import psycopg  # noqa: PLC0415 - the extra is optional: imported when used

        with self._guarded() as db:
            try:
                with db.transaction():
                    db.execute(
                        "SELECT 1 FROM alize.registers WHERE territory = %s FOR UPDATE",
                        (self.territory,),
                    )
                    version, head = self.head()
                    if command is not None:
                        recorded = self.recorded_command(command[0])
                        if recorded is not None:
                            raise AlreadyRecorded(recorded)
                    if version != expected_version:
                        raise _stale(expected_version, version)
                    checked = list(following(rows, version, head))
                    if checked:
                        self._copy(db, checked)
                    if command is not None and checked:
                        db.execute(
                            "INSERT INTO alize.commands VALUES (%s, %s, %s, %s, %s, %s)",
                            (self.territory, *command, checked[0][0], checked[-1][0]),
                        )
            except psycopg.errors.UniqueViolation:
                # Only a writer that bypassed the lock (another program) gets here.
                raise _stale(expected_version, self.version()) from None
            except psycopg.errors.DataError as exc:
                msg = f"is not a JSON document in UTF-8 ({_reason(exc)}); nothing was written"
                raise MalformedInput("events", None, msg) from None
        return version + len(checked)

    def _copy(self, db: psycopg.Connection[tuple[object, ...]], rows: list[StoredEvent]) -> None:
        territory = self.territory
        with db.cursor() as cursor:
            columns = "territory, id, body, digest"
            with cursor.copy(f"COPY alize.events ({columns}) FROM STDIN") as copy:
                for position, body, digest in rows:
                    try:
                        text = body.decode()
                    except UnicodeDecodeError:
                        msg = "is not text in UTF-8; nothing was written"
                        raise MalformedInput(f"event {position}", None, msg) from None
                    copy.write_row((territory, position, text, digest))

    def recorded_command(self, command_id: str) -> RecordedCommand | None:
        """The command recorded under an id, ``None`` when there is none."""
        row = self._one(
            "SELECT id, digest, actor, first_event, last_event FROM alize.commands"
            " WHERE territory = %s AND id = %s",
            command_id,
        )
        if row is None:
            return None
        found, digest, actor, first, last = row
        return RecordedCommand(str(found), str(digest), str(actor), _int(first), _int(last))

    def commands(self) -> tuple[RecordedCommand, ...]:
        """Every recorded command, in the order of their events."""
        rows = self._all(
            "SELECT id, digest, actor, first_event, last_event FROM alize.commands"
            " WHERE territory = %s ORDER BY first_event"
        )
        return tuple(
            RecordedCommand(str(i), str(d), str(a), _int(f), _int(last))
            for i, d, a, f, last in rows
        )

    # --- API tokens. ---

    def add_token(self, token_id: str, actor: str, digest: str, created_at: str) -> None:
        """
        Keep a new token's digest for an actor.

        Raises:
            InvalidValue: A token with this id or digest is already kept.
        """
        for column, field, value in (("id", "token_id", token_id), ("digest", "digest", digest)):
            query = f"SELECT 1 FROM alize.tokens WHERE territory = %s AND {column} = %s"
            if self._one(query, value) is not None:
                raise InvalidValue(field, value, "is already kept")
        self._run(
            "INSERT INTO alize.tokens (territory, id, actor, digest, created_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            token_id,
            actor,
            digest,
            created_at,
        )

    def token_actor(self, digest: str) -> str | None:
        """The actor of the token with this digest, ``None`` when unknown or revoked."""
        row = self._one(
            "SELECT actor FROM alize.tokens WHERE territory = %s AND digest = %s AND NOT revoked",
            digest,
        )
        return None if row is None else str(row[0])

    def revoke_tokens(self, *, token_id: str | None = None, actor: str | None = None) -> int:
        """Revoke a token by id, or every token of an actor; how many were revoked."""
        if (token_id is None) == (actor is None):
            raise InvalidValue("token", None, "revoke a token by its id, or an actor's tokens")
        column, value = ("id", token_id) if token_id is not None else ("actor", actor)
        return self._run(
            f"UPDATE alize.tokens SET revoked = true WHERE territory = %s AND {column} = %s"
            " AND NOT revoked",
            value,
        )

    def tokens(self) -> tuple[TokenInfo, ...]:
        """Every token, revoked ones included, oldest first."""
        rows = self._all(
            "SELECT id, actor, created_at, revoked FROM alize.tokens WHERE territory = %s"
            " ORDER BY created_at, id"
        )
        return tuple(TokenInfo(str(i), str(a), str(c), bool(r)) for i, a, c, r in rows)

    def token_digests(self) -> dict[str, str]:
        """Each token's digest by its id (for copying a store)."""
        rows = self._all("SELECT id, digest FROM alize.tokens WHERE territory = %s")
        return {str(token_id): str(digest) for token_id, digest in rows}

    # --- Snapshots. ---

    def save_snapshot(self, snapshot: Snapshot) -> None:
        """Keep a snapshot (replacing one of the same version)."""
        self._run(
            "INSERT INTO alize.snapshots VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (territory, version) DO UPDATE SET on_date = EXCLUDED.on_date,"
            " head = EXCLUDED.head, data = EXCLUDED.data",
            snapshot.version,
            snapshot.on,
            snapshot.head,
            snapshot.data,
        )

    def latest_snapshot(self, *, on_or_before: date | None = None) -> Snapshot | None:
        """The latest snapshot, or the latest whose last event is on or before a date."""
        columns = "SELECT version, on_date, head, data FROM alize.snapshots WHERE territory = %s"
        if on_or_before is None:
            row = self._one(f"{columns} ORDER BY version DESC LIMIT 1")
        else:
            row = self._one(
                f"{columns} AND (on_date IS NULL OR on_date <= %s) ORDER BY version DESC LIMIT 1",
                on_or_before,
            )
        return None if row is None else _snapshot(row)

    def snapshots(self) -> tuple[Snapshot, ...]:
        """Every snapshot, oldest first."""
        rows = self._all(
            "SELECT version, on_date, head, data FROM alize.snapshots WHERE territory = %s"
            " ORDER BY version"
        )
        return tuple(_snapshot(row) for row in rows)

    # --- Personal data. ---

    def put_person(self, details: PersonDetails) -> None:
        """Record or replace a person's details."""
        self._run(
            "INSERT INTO alize.people VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (territory, id) DO UPDATE SET name = EXCLUDED.name,"
            " email = EXCLUDED.email, phone = EXCLUDED.phone",
            details.id,
            details.name,
            details.email,
            details.phone,
        )

    def get_person(self, person_id: str) -> PersonDetails | None:
        """A person's details, ``None`` when unknown or erased (:meth:`person` raises instead)."""
        row = self._one(
            "SELECT id, name, email, phone FROM alize.people WHERE territory = %s AND id = %s",
            person_id,
        )
        if row is None:
            return None
        found, name, email, phone = row
        return PersonDetails(str(found), str(name), _text(email), _text(phone))

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
        """Every person's details, by id (for copying a store)."""
        rows = self._all(
            "SELECT id, name, email, phone FROM alize.people WHERE territory = %s ORDER BY id"
        )
        return tuple(PersonDetails(str(i), str(n), _text(e), _text(p)) for i, n, e, p in rows)

    def erase_person(self, person_id: str) -> bool:
        """
        Erase a person's details (the GDPR's right to erasure); ``True`` when there were some.

        The row is deleted, then the table rewritten (``VACUUM FULL``) so that its bytes
        leave the table's file at once (see the module's documentation for the
        write-ahead log and backups). The journal is untouched: it never held them.
        """
        deleted = self._run("DELETE FROM alize.people WHERE territory = %s AND id = %s", person_id)
        if deleted:
            with self._guarded() as db:
                db.execute("VACUUM FULL alize.people")
        return deleted > 0

    # --- Copies. ---

    def backup(self, destination: Path | str) -> Path:
        """
        Copy the territory's register to a new SQLite file, and check both heads agree.

        The journal, snapshots, personal data, command log and tokens are copied in one
        read-only, repeatable-read transaction, so a copy taken while writers append is a
        consistent state.

        Raises:
            InvalidValue: The destination already exists.
            IntegrityError: The copy's head digest differs from the store's.
        """
        target = Path(destination)
        if target.exists():
            raise InvalidValue("destination", str(target), "already exists; choose a new file")
        with self._guarded() as db, db.transaction():
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            try:
                with SqliteStore(target) as copy:
                    _transfer(self, copy)
            except BaseException:
                target.unlink(missing_ok=True)
                raise
        return target

    def restore(self, source: Path | str) -> int:
        """
        Load a SQLite store (a backup) into this territory's empty register; both heads
        must then agree.

        Returns:
            The number of events restored.

        Raises:
            InvalidValue: The source is not an alize store, or this register holds events.
            IntegrityError: The restored head digest differs from the backup's.
        """
        origin = Path(source)
        if self.version():
            msg = (
                f"already holds {self.version()} events of territory {self.territory!r};"
                " restore into an empty register"
            )
            raise InvalidValue("db", shown_url(self.url), msg)
        with (
            SqliteStore(origin, create=False) as backup,
            self._guarded() as db,
            db.transaction(),
        ):
            _transfer(backup, self)
        return self.version()


def _transfer(source: SqliteStore | PostgresStore, target: SqliteStore | PostgresStore) -> None:
    """
    Copy a register into an empty store: each command's events with its idempotency key
    (so the copy's command log is the source's), the other events in batches, then the
    snapshots, tokens and personal data; the heads must agree afterwards.
    """
    commands = {recorded.first_event: recorded for recorded in source.commands()}
    batch: list[StoredEvent] = []
    version = target.version()
    pending: RecordedCommand | None = None
    for row in source.read():
        started = commands.get(row[0])
        if started is not None or (batch and len(batch) >= 10_000 and pending is None):
            version = _flush(target, batch, version, pending)
            batch, pending = [], started
        batch.append(row)
        if pending is not None and row[0] == pending.last_event:
            version = _flush(target, batch, version, pending)
            batch, pending = [], None
    _flush(target, batch, version, pending)
    for snapshot in source.snapshots():
        target.save_snapshot(snapshot)
    digests = source.token_digests()
    for token in source.tokens():
        target.add_token(token.id, token.actor, digests[token.id], token.created_at)
        if token.revoked:
            target.revoke_tokens(token_id=token.id)
    for details in source.people():
        target.put_person(details)
    if source.head() != target.head():
        msg = "the copy's head digest differs from the register's; nothing can be trusted in it"
        raise IntegrityError("db", None, msg)


def _flush(
    target: SqliteStore | PostgresStore,
    batch: list[StoredEvent],
    version: int,
    command: RecordedCommand | None,
) -> int:
    if command is None:
        return target.append(batch, expected_version=version)
    return target.append_command(
        batch,
        expected_version=version,
        command_id=command.id,
        digest=command.digest,
        actor=command.actor,
    )


def open_store(
    db: str | Path, *, territory: str | None = None, create: bool = True
) -> SqliteStore | PostgresStore:
    """
    The store a ``--db`` value (or ``ALIZE_DB``) names: a ``postgresql://`` URL opens a
    :class:`PostgresStore`, anything else is a SQLite file's path.

    Args:
        db: The URL or path.
        territory: The territory, for a PostgreSQL database (else the URL's ``territory``
            parameter); ignored for a SQLite file, which holds one register.
        create: Create the register when missing.

    Raises:
        InvalidValue: See :class:`PostgresStore` and
            :class:`~alize_adapters.storage.sqlite.SqliteStore`.
        StoreUnavailable: The database cannot be reached.

    .. versionadded:: 0.1.0
    """
    if is_url(db):
        return PostgresStore(str(db), territory=territory, create=create)
    return SqliteStore(db, create=create)


def _stale(expected: int, version: int) -> ConcurrencyError:
    msg = (
        f"is out of date: the register changed since it was read (it is now at"
        f" version {version}); nothing was written, read it again and retry"
    )
    return ConcurrencyError("expected_version", expected, msg)


def _reason(exc: BaseException) -> str:
    """The first line of a driver's message, in brackets-free words."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value


def _bytes(value: object) -> bytes:
    assert isinstance(value, bytes | bytearray | memoryview)
    return bytes(value)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _snapshot(row: tuple[object, ...]) -> Snapshot:
    version, on, head, data = row
    assert on is None or isinstance(on, date)
    return Snapshot(_int(version), on, str(head), _bytes(data))


_OUTBOX_TABLES: Final = (
    "CREATE SCHEMA IF NOT EXISTS alize",
    """CREATE TABLE IF NOT EXISTS alize.outbox_positions (
    territory text PRIMARY KEY,
    sequence bigint NOT NULL
)""",
    """CREATE TABLE IF NOT EXISTS alize.outbox_events (
    territory text NOT NULL,
    event_id text NOT NULL,
    sequence bigint NOT NULL,
    kind text NOT NULL,
    effective_date date NOT NULL,
    event_territory text NOT NULL,
    payload text NOT NULL,
    PRIMARY KEY (territory, event_id)
)""",
    """CREATE TABLE IF NOT EXISTS alize.outbox_queues (
    territory text NOT NULL,
    adapter text NOT NULL,
    PRIMARY KEY (territory, adapter)
)""",
    """CREATE TABLE IF NOT EXISTS alize.outbox_deliveries (
    territory text NOT NULL,
    event_id text NOT NULL,
    adapter text NOT NULL,
    sequence bigint NOT NULL,
    kind text NOT NULL,
    state text NOT NULL,
    attempts integer NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    lease_until timestamptz,
    delivered_at timestamptz,
    last_error text NOT NULL,
    last_error_type text NOT NULL,
    replays integer NOT NULL,
    PRIMARY KEY (territory, event_id, adapter),
    FOREIGN KEY (territory, event_id) REFERENCES alize.outbox_events
)""",
    """CREATE INDEX IF NOT EXISTS outbox_deliveries_open
    ON alize.outbox_deliveries (territory, adapter, sequence) WHERE state <> 'delivered'""",
)

_DELIVERY_COLUMNS: Final = (
    "event_id, adapter, sequence, kind, state, attempts, next_attempt_at, lease_until,"
    " delivered_at, last_error, last_error_type, replays"
)


class PostgresDeliveryStore(PostgresStore):
    """
    The outbox's deliveries of a territory in PostgreSQL
    (a :class:`~alize_adapters.delivery.stores.DeliveryStore`), shared by several relays.

    A relay claims an adapter's next due delivery (:meth:`claim`) in a transaction that
    locks that adapter's row of ``alize.outbox_queues`` with ``FOR UPDATE SKIP LOCKED``:
    a relay finding it locked moves on to another adapter instead of waiting, and the
    delivery leaves the transaction marked in flight with its lease, so that no other
    relay tries it, nor any later delivery of that adapter, until it is done or its
    lease has expired. Each event reaches each adapter once, in journal order, with the
    idempotency key of its event (at least once should a relay die mid-call, as with
    every store).

    Args:
        url: The database (a ``territory`` parameter names the territory).
        territory: The territory (overrides the URL's parameter).

    .. versionadded:: 0.1.0
    """

    def __init__(self, url: str, *, territory: str | None = None) -> None:
        super().__init__(url, territory=territory, create=True)
        with self._guarded() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_SETUP_LOCK,))
            for statement in _OUTBOX_TABLES:
                db.execute(statement)

    def position(self) -> int:
        """The sequence number of the last journal event taken in."""
        row = self._one("SELECT sequence FROM alize.outbox_positions WHERE territory = %s")
        return 0 if row is None else _int(row[0])

    def enqueue(
        self, events: Sequence[OutboxEvent], deliveries: Sequence[Delivery], position: int
    ) -> None:
        """Keep events and deliveries, and move the position, in one transaction."""
        territory = self.territory
        with self._guarded() as db, db.transaction(), db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO alize.outbox_events VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                [
                    (
                        territory,
                        e.event_id,
                        e.sequence,
                        e.kind,
                        e.effective_date,
                        e.territory,
                        e.payload_json,
                    )
                    for e in events
                ],
            )
            cursor.executemany(
                "INSERT INTO alize.outbox_queues VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(territory, adapter) for adapter in sorted({d.adapter for d in deliveries})],
            )
            cursor.executemany(
                f"INSERT INTO alize.outbox_deliveries (territory, {_DELIVERY_COLUMNS})"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                [(territory, *_delivery_row(d)) for d in deliveries],
            )
            cursor.execute(
                "INSERT INTO alize.outbox_positions VALUES (%s, %s) ON CONFLICT (territory)"
                " DO UPDATE SET sequence = GREATEST(alize.outbox_positions.sequence,"
                " EXCLUDED.sequence)",
                (territory, position),
            )

    def event(self, event_id: str) -> OutboxEvent:
        """The outbox's copy of an event."""
        row = self._one(
            "SELECT event_id, sequence, kind, effective_date, event_territory, payload"
            " FROM alize.outbox_events WHERE territory = %s AND event_id = %s",
            event_id,
        )
        if row is None:
            raise InvalidValue("event_id", event_id, "is not in the outbox")
        found, sequence, kind, effective, territory, payload = row
        assert isinstance(effective, date)
        return OutboxEvent(
            event_id=str(found),
            sequence=_int(sequence),
            kind=str(kind),
            effective_date=effective,
            territory=str(territory),
            payload=str(payload),
        )

    def save(self, delivery: Delivery) -> None:
        """Write a delivery's new state."""
        self._run(
            f"INSERT INTO alize.outbox_deliveries (territory, {_DELIVERY_COLUMNS})"
            " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (territory, event_id, adapter) DO UPDATE SET state = EXCLUDED.state,"
            " attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at,"
            " lease_until = EXCLUDED.lease_until, delivered_at = EXCLUDED.delivered_at,"
            " last_error = EXCLUDED.last_error, last_error_type = EXCLUDED.last_error_type,"
            " replays = EXCLUDED.replays",
            *_delivery_row(delivery),
        )

    def deliveries(
        self, *, states: frozenset[DeliveryState] | None = None, adapter: str | None = None
    ) -> tuple[Delivery, ...]:
        """The deliveries in these states, by adapter then sequence."""
        chosen = sorted(states if states is not None else DeliveryState)
        rows = self._all(
            f"SELECT {_DELIVERY_COLUMNS} FROM alize.outbox_deliveries WHERE territory = %s"
            " AND state = ANY(%s) AND (%s::text IS NULL OR adapter = %s)"
            " ORDER BY adapter, sequence, event_id",
            [str(state) for state in chosen],
            adapter,
            adapter,
        )
        return tuple(_delivery(row) for row in rows)

    def claim(self, adapter: str, now: datetime, lease_until: datetime) -> Delivery | None:
        """
        Take the adapter's next delivery if it is due; ``None`` also when another relay
        is claiming for that adapter at this moment (its queue's row is locked).
        """
        with self._guarded() as db, db.transaction():
            locked = db.execute(
                "SELECT 1 FROM alize.outbox_queues WHERE territory = %s AND adapter = %s"
                " FOR UPDATE SKIP LOCKED",
                (self.territory, adapter),
            ).fetchone()
            if locked is None:
                return None
            row = db.execute(
                f"SELECT {_DELIVERY_COLUMNS} FROM alize.outbox_deliveries WHERE territory = %s"
                " AND adapter = %s AND state = ANY(%s) ORDER BY sequence, event_id LIMIT 1",
                (self.territory, adapter, [str(state) for state in OPEN_STATES]),
            ).fetchone()
            taken = claimed([_delivery(row)] if row else [], now, lease_until)
            if taken is not None:
                self.save(taken)
        return taken


def _delivery_row(d: Delivery) -> tuple[object, ...]:
    return (
        d.event_id,
        d.adapter,
        d.sequence,
        d.kind,
        d.state.value,
        d.attempts,
        d.next_attempt_at,
        d.lease_until,
        d.delivered_at,
        d.last_error,
        d.last_error_type,
        d.replays,
    )


def _moment(value: object) -> datetime | None:
    assert value is None or isinstance(value, datetime)
    return value


def _delivery(row: tuple[object, ...]) -> Delivery:
    (event_id, adapter, sequence, kind, state, attempts, next_at, lease, delivered) = row[:9]
    last_error, last_error_type, replays = row[9:]
    next_attempt_at = _moment(next_at)
    assert next_attempt_at is not None
    return Delivery(
        event_id=str(event_id),
        adapter=str(adapter),
        sequence=_int(sequence),
        kind=str(kind),
        state=DeliveryState(str(state)),
        attempts=_int(attempts),
        next_attempt_at=next_attempt_at,
        lease_until=_moment(lease),
        delivered_at=_moment(delivered),
        last_error=str(last_error),
        last_error_type=str(last_error_type),
        replays=_int(replays),
    )
