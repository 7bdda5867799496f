"""
A real PostgreSQL for the tests: a cluster made with ``initdb`` in a temporary folder,
started on a free port of 127.0.0.1 and stopped by pid.

The server is Debian's (``apt-get install postgresql``: ``/usr/lib/postgresql/<n>/bin``),
or the one named by ``ALIZE_PG_BIN`` (its ``bin`` folder), or ``initdb`` and ``postgres``
on the ``PATH``. ``initdb`` refuses to run as root: as root (CI runs as root) the cluster's
folder belongs to the ``postgres`` user and the server runs as that user (through
``setpriv``, which executes it in place, so the pid the tests hold is the server's); as any
other user it runs as that user. It accepts connections on 127.0.0.1 only (no Unix socket),
without password (``trust``) for the role ``alize``, owner of the database ``alize``.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import attrs

from tests.adapters.servers import Process, ServerUnavailable, free_port, start


ROLE: Final = "alize"
DATABASE: Final = "alize"
SERVER_USER: Final = "postgres"
"""The user the server runs as when the tests run as root (Debian's package makes it)."""

STARTUP_SECONDS: Final = 60.0


def binaries() -> Path | None:
    """The folder of ``initdb`` and ``postgres``: ``ALIZE_PG_BIN``, Debian's newest, or the PATH."""
    named = os.environ.get("ALIZE_PG_BIN")
    if named:
        return Path(named)
    debian = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if debian:
        return debian[-1].parent
    found = shutil.which("initdb")
    return Path(found).resolve().parent if found else None


@attrs.define
class PostgresServer:
    """
    A running PostgreSQL cluster.

    Attributes:
        url: The connection URL of its database ``alize`` (role ``alize``, no password).
        port: Its port on 127.0.0.1.
        folder: The cluster's data folder.
        version: The server's version, e.g. ``15.18``.
        process: The server process (the postmaster; its pid stops it).
        log: The server's log file.
    """

    url: str
    port: int
    folder: Path
    version: str
    process: Process
    log: Path
    durable: bool = False

    def restart(self) -> None:
        """Stop the server by its pid (a fast shutdown: clients are cut off) and start it again."""
        stop(self.process)
        self.process = launch(self.folder, self.port, self.log, durable=self.durable)

    def admin_url(self) -> str:
        """The URL of the maintenance database ``postgres``, for creating databases."""
        return self.url.rsplit("/", 1)[0] + "/postgres"


def _as_server_user() -> list[str]:
    """The command prefix that runs a program as the server's user (nothing unless root)."""
    if os.geteuid() != 0:
        return []
    try:
        pwd.getpwnam(SERVER_USER)
    except KeyError:
        msg = f"running as root and there is no {SERVER_USER!r} user to run PostgreSQL as"
        raise ServerUnavailable(msg) from None
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        raise ServerUnavailable("running as root and setpriv (util-linux) is missing")
    return [setpriv, f"--reuid={SERVER_USER}", f"--regid={SERVER_USER}", "--init-groups", "--"]


def _owned(path: Path) -> None:
    """Give the folder to the server's user when running as root."""
    if os.geteuid() == 0:
        entry = pwd.getpwnam(SERVER_USER)
        os.chown(path, entry.pw_uid, entry.pw_gid)


def _wait_ready(process: Process, port: int) -> None:
    """Wait until the server takes connections (``pg_isready``-like, through psycopg)."""
    import psycopg

    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            msg = f"postgres stopped (status {process.popen.returncode}):\n{process.log_tail()}"
            raise ServerUnavailable(msg)
        try:
            with psycopg.connect(
                host="127.0.0.1", port=port, user=ROLE, dbname="postgres", connect_timeout=2
            ):
                return
        except psycopg.OperationalError:
            time.sleep(0.1)
    raise ServerUnavailable(
        f"postgres did not take connections within {STARTUP_SECONDS:g} s:\n{process.log_tail()}"
    )


def stop(process: Process) -> None:
    """Stop the server by its pid: a fast shutdown (SIGINT), then SIGKILL after 20 s."""
    process.stop(signal.SIGINT, timeout=20)


def launch(folder: Path, port: int, log: Path, *, durable: bool = False) -> Process:
    """
    Start the postmaster of an existing cluster on 127.0.0.1:``port``; wait until it is ready.

    Unless ``durable`` (for benchmarks), the cluster runs without fsync: it is thrown away
    after the run, and a crash of the machine, not of a process, is all that gives up.
    """
    bin_dir = binaries()
    assert bin_dir is not None
    argv = [
        *_as_server_user(),
        str(bin_dir / "postgres"),
        "-D",
        str(folder / "data"),
        "-p",
        str(port),
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_connections=100",
    ]
    if not durable:
        argv += ["-c", "fsync=off", "-c", "full_page_writes=off"]
    process = start("postgres", argv, log)
    try:
        _wait_ready(process, port)
    except BaseException:
        stop(process)
        raise
    return process


@contextlib.contextmanager
def postgres_server(*, durable: bool = False) -> Iterator[PostgresServer]:
    """
    A new PostgreSQL cluster in a temporary folder, running until the block ends.

    Raises:
        ServerUnavailable: PostgreSQL or psycopg is not installed, or the server did not start.
    """
    try:
        import psycopg
    except ImportError:
        raise ServerUnavailable(
            "psycopg is not installed (pip install 'alize[postgres]')"
        ) from None
    bin_dir = binaries()
    if bin_dir is None or not (bin_dir / "initdb").exists():
        raise ServerUnavailable(
            "PostgreSQL is not installed (apt-get install postgresql, or set ALIZE_PG_BIN)"
        )
    prefix = _as_server_user()
    # Not under pytest's temporary folders: they are private to the user running the tests.
    folder = Path(tempfile.mkdtemp(prefix="alize-postgres-"))
    try:
        _owned(folder)
        initdb = subprocess.run(
            [
                *prefix,
                str(bin_dir / "initdb"),
                "-D",
                str(folder / "data"),
                "-U",
                ROLE,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-sync",
            ],
            capture_output=True,
            text=True,
            check=False,
            stdin=subprocess.DEVNULL,
        )
        if initdb.returncode != 0:
            raise ServerUnavailable(f"initdb failed:\n{initdb.stdout}{initdb.stderr}")
        log = folder / "server.log"
        port = free_port()
        url = f"postgresql://{ROLE}@127.0.0.1:{port}/{DATABASE}"
        process = launch(folder, port, log, durable=durable)
        server = PostgresServer(url, port, folder, "?", process, log, durable)
        try:
            with psycopg.connect(server.admin_url(), autocommit=True) as admin:
                admin.execute(f"CREATE DATABASE {DATABASE}")
                shown = admin.execute("SHOW server_version").fetchone()
            server.version = re.split(r"\s", str(shown[0] if shown else "?"))[0]
            yield server
        finally:
            stop(server.process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
