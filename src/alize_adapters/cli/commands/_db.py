"""The ``--db`` option shared by the commands that use a register's store."""

from __future__ import annotations

import argparse
from pathlib import Path

from alize_adapters.storage.sqlite import DEFAULT_DB, SqliteStore
from alize_core.journal.chain import Verification, verify_rows
from alize_core.kernel.errors import IntegrityError


def add_db_option(parser: argparse.ArgumentParser) -> None:
    """
    Add ``--db PATH``: when it is not given, ``alize`` sets ``args.db`` to ``$ALIZE_DB``,
    else ``db`` of the configuration file, else ``./alize.db``, before the command runs
    (:func:`alize_adapters.cli.config.configured_db`).

    .. versionchanged:: 0.16.0
       The default is read from the environment and the configuration file.
    """
    parser.add_argument(
        "--db",
        type=Path,
        metavar="PATH",
        help=f"the register's SQLite file (default: $ALIZE_DB, else db in alize.toml, else"
        f" ./{DEFAULT_DB})",
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


def verified(store: SqliteStore, what: str, field: str) -> Verification:
    """
    The store's chain, verified.

    Raises:
        IntegrityError: It does not verify; the first problem is named.
    """
    verification = verify_rows(store.read)
    if not verification.ok:
        msg = f"{what} does not verify: {verification.problems[0]}"
        raise IntegrityError(field, str(store.path), msg)
    return verification
