"""The ``--db`` option shared by the commands that use a register's store."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from alize_adapters.storage.postgres import PostgresStore, is_url, open_store, shown_url
from alize_adapters.storage.sqlite import DEFAULT_DB, SqliteStore
from alize_core.journal.chain import Event, Verification, decode, verify_rows
from alize_core.journal.codec import GENESIS
from alize_core.kernel.errors import IntegrityError, InvalidValue
from alize_core.kernel.validation import read_iso_date


def db_value(text: str) -> Path | str:
    """
    A ``--db`` value: a ``postgresql://`` (or ``postgres://``) URL stays text, anything else
    is a SQLite file's path.

    >>> db_value("postgresql://alize@db.example/alize?territory=T-MEUSE")
    'postgresql://alize@db.example/alize?territory=T-MEUSE'
    >>> db_value("registers/meuse.db")
    PosixPath('registers/meuse.db')

    .. versionadded:: 0.1.0
    """
    return text if is_url(text) else Path(text)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """
    Add ``--db PATH|URL``: when it is not given, ``alize`` sets ``args.db`` to ``$ALIZE_DB``,
    else ``db`` of the configuration file, else ``./alize.db``, before the command runs
    (:func:`alize_adapters.cli.config.configured_db`). A ``postgresql://`` URL names a
    register in PostgreSQL (:func:`alize_adapters.storage.postgres.open_store`).

    .. versionchanged:: 0.1.0
       The default is read from the environment and the configuration file; a URL names
       a PostgreSQL register.
    """
    parser.add_argument(
        "--db",
        type=db_value,
        metavar="PATH|URL",
        help=f"the register: a SQLite file, or postgresql://user@host/dbname?territory=ID"
        f" (default: $ALIZE_DB, else db in alize.toml, else ./{DEFAULT_DB})",
    )
    parser.set_defaults(db_from_config=True)


def path_text(path: Path) -> str:
    """
    A path as text any output can show: bytes of the name that are not UTF-8 (held as
    lone surrogates) shown as escapes.

    >>> path_text(Path("alize.db")), path_text(Path("\\udcff.db"))
    ('alize.db', '\\\\udcff.db')
    """
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def db_text(db: Path | str) -> str:
    """
    A ``--db`` value as text any output can show: a URL without its password, a path
    as :func:`path_text` shows it.

    >>> db_text("postgresql://alize:secret@db.example/alize")
    'postgresql://alize:***@db.example/alize'
    >>> db_text(Path("\\udcff.db"))
    '\\\\udcff.db'
    """
    return shown_url(db) if isinstance(db, str) else path_text(db)


def open_register_store(
    db: Path | str, *, territory: str | None = None, create: bool = False
) -> SqliteStore | PostgresStore:
    """
    The store of the register a ``--db`` value names: a SQLite file, or a territory's
    register in PostgreSQL (``territory``, else the URL's ``territory`` parameter).

    Raises:
        InvalidValue: The file or database holds no register (and ``create`` is false).
        StoreUnavailable: The PostgreSQL database cannot be reached.
    """
    return open_store(db, territory=territory, create=create)


def register_events(db: Path | str) -> list[Event]:
    """
    The journal of the register a ``--db`` value names, every event decoded (its chain is
    verified when the reports replay it).
    """
    events = []
    previous = GENESIS
    with open_register_store(db) as store:
        for row in store.read():
            events.append(decode(row, previous))
            previous = row[2]
    return events


def sqlite_only(db: Path | str, what: str) -> Path:
    """
    The path of a SQLite register.

    Raises:
        InvalidValue: ``db`` is a PostgreSQL URL, which this command does not take.
    """
    if isinstance(db, str):
        msg = f"is a PostgreSQL URL; {what} takes a SQLite file only"
        raise InvalidValue("--db", shown_url(db), msg)
    return db


def verified(store: SqliteStore | PostgresStore, what: str, field: str) -> Verification:
    """
    The store's chain, verified.

    Raises:
        IntegrityError: It does not verify; the first problem is named.
    """
    verification = verify_rows(store.read)
    if not verification.ok:
        msg = f"{what} does not verify: {verification.problems[0]}"
        name = store.url if isinstance(store, PostgresStore) else str(store.path)
        raise IntegrityError(field, shown_url(name), msg)
    return verification


def iso_date(text: str) -> date:
    """An option's date, written exactly YYYY-MM-DD (argparse's ``type``)."""
    try:
        return read_iso_date(text, field="date")
    except InvalidValue as exc:
        raise argparse.ArgumentTypeError(f"{text!r} {exc.reason}") from None
