"""
Real servers for the integration tests: Tryton (trytond 8.2 over SQLite) and Radicale.

Both run on 127.0.0.1 on a free port, in their own process group, and are
stopped by pid. Tryton's database is built once with ``trytond-admin`` (modules
``account_fr``, ``party_siret``, ``project``, ``sale_opportunity``,
``account_statement``, ``timesheet``), then given a company, the French chart of
accounts, fiscal years and journals over JSON-RPC; the file is cached, keyed by
the trytond version and :data:`SETUP_VERSION`, so later runs start in seconds.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs

from alize_adapters.connectors import HttpRequest, HttpResponse, http_transport
from alize_adapters.connectors.tryton import TrytonClient
from alize_adapters.host import Fault


SETUP_VERSION: Final = "9"
"""Changes whenever the database setup below changes, so the cached file is rebuilt."""

TRYTON_MODULES: Final = (
    "account_fr",
    "party_siret",
    "project",
    "sale_opportunity",
    "account_statement",
    "timesheet",
)
TRYTON_DATABASE: Final = "alize"
TRYTON_LOGIN: Final = "admin"
TRYTON_PASSWORD: Final = "Cle-de-test-7f3Qz!"
"""The test database's admin password (tests check it never leaks)."""

CALL_TIMEOUT: Final = 120.0
"""Seconds the tests' clients wait for Tryton (generous: CI machines can be busy)."""

COMPANIES: Final = (
    ("555045673", "CCI Meuse Haute-Marne — fonds ALIZÉ"),
    ("356000000", "Opérateur témoin — comparaison des FEC"),
)
"""The test companies (SIREN, name): one for the conformance suite, one for the FEC oracle."""

JOURNALS: Final = (
    ("AN", "À-nouveaux"),
    ("AV", "Avances remboursables"),
    ("BQ", "Banque"),
    ("OD", "Opérations diverses"),
)
EXTRA_ACCOUNTS: Final = (
    ("4671", "Autres comptes débiteurs ou créditeurs — fonds ALIZÉ", "467", "467"),
    ("7688", "Autres produits financiers divers", "768", "768"),
    ("1024", "Autres fonds propres sans droit de reprise", "10", "1018"),
)
"""Accounts the test operator adds to Tryton's chart: (code, label, parent, account whose type it takes)."""

FISCAL_YEARS: Final = tuple(range(2020, 2031))
"""The fiscal years opened (the conformance suite posts entries dated 2020 to 2030)."""


class ServerUnavailable(RuntimeError):
    """A server could not be installed, built or started."""


def require_servers() -> bool:
    """Whether missing servers fail the run (the nox ``integration`` session) or skip it."""
    return os.environ.get("ALIZE_REQUIRE_SERVERS") == "1"


def executable(name: str) -> Path | None:
    """A console script of the running environment (or on the PATH)."""
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return beside
    found = shutil.which(name)
    return Path(found) if found else None


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cache_dir() -> Path:
    """Where built databases are kept between runs."""
    base = os.environ.get("ALIZE_TEST_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "alize-tests"
    )
    path = Path(base)
    path.mkdir(parents=True, exist_ok=True)
    return path


@attrs.define
class Process:
    """A server process started in its own process group."""

    name: str
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def pid(self) -> int:
        """The server's pid (also its process group's id)."""
        return self.popen.pid

    def log_tail(self, lines: int = 30) -> str:
        """The end of the server's log."""
        try:
            text = self.log.read_text("utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self, first: signal.Signals = signal.SIGTERM, timeout: float = 10) -> None:
        """Stop the server by its process group: ``first`` (TERM), then KILL after ``timeout`` s."""
        if self.popen.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.pid, first)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)


def start(name: str, argv: list[str], log: Path, env: dict[str, str] | None = None) -> Process:
    """Start a server in a new process group, its output going to ``log``."""
    handle = log.open("wb")
    try:
        popen = subprocess.Popen(
            argv,
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **(env or {})},
            start_new_session=True,
        )
    finally:
        handle.close()
    return Process(name, popen, log)


def wait_http(process: Process, url: str, body: bytes | None, timeout: float = 300) -> None:
    """Wait until the server answers HTTP at ``url`` (any status), or fail with its log."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            msg = (
                f"{process.name} stopped (status {process.popen.returncode}):\n{process.log_tail()}"
            )
            raise ServerUnavailable(msg)
        request = urllib.request.Request(url, data=body, method="POST" if body else "GET")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    process.stop()
    msg = f"{process.name} did not answer at {url} within {timeout:g} s:\n{process.log_tail()}"
    raise ServerUnavailable(msg)


class FaultyTransport:
    """
    The real HTTP transport, with a fault injected into the next request that writes.

    A server processes reads and writes alike; the injected fault hits the next
    request that changes something (``writes`` tells which), where a lost answer
    matters: a reset or an unreadable answer come after the server did the work,
    the other faults before.
    """

    def __init__(self, writes: Callable[[HttpRequest], bool]) -> None:
        self._writes = writes
        self._pending: list[tuple[Fault, int]] = []
        self._lock = threading.Lock()

    def inject(self, fault: Fault, *, retry_after: int = 30) -> None:
        """Make the next writing request show this fault."""
        with self._lock:
            self._pending.append((fault, retry_after))

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fault = None
        if self._writes(request):
            with self._lock:
                fault = self._pending.pop(0) if self._pending else None
        if fault is None:
            return http_transport(request)
        kind, retry_after = fault
        if kind is Fault.TIMEOUT:
            raise TimeoutError("timed out")
        if kind is Fault.RATE_LIMITED:
            return HttpResponse(429, {"retry-after": str(retry_after)}, b"")
        if kind is Fault.SERVER_ERROR:
            return HttpResponse(500, {}, b"Internal Server Error")
        if kind is Fault.REJECTED:
            return HttpResponse(422, {}, b"Unprocessable Entity")
        http_transport(request)
        if kind is Fault.RESET:
            raise ConnectionResetError(104, "Connection reset by peer")
        return HttpResponse(201, {"content-type": "text/html"}, b'<html><body>{"id": 1, "res')


# -- Tryton ---------------------------------------------------------------------------------


@attrs.frozen
class TrytonServer:
    """
    A running Tryton with the test company set up.

    Attributes:
        url: Its base URL.
        database: The database's name.
        company: The id of the company the conformance suite uses.
        oracle_company: The id of the company the FEC oracle uses (nothing else posts there).
        process: The server process.
        build_seconds: How long building the database took, or ``None`` when it came
            from the cache.
        cached_file: The cached database file it was copied from.
    """

    url: str
    database: str
    company: int
    oracle_company: int
    process: Process
    build_seconds: float | None
    cached_file: Path

    def client(self) -> TrytonClient:
        """A new client logged in as the test administrator."""
        return TrytonClient(
            self.url, self.database, TRYTON_LOGIN, TRYTON_PASSWORD, timeout=CALL_TIMEOUT
        )


def _tryton_config(directory: Path, port: int) -> Path:
    config = directory / "trytond.conf"
    config.write_text(
        "[database]\n"
        "uri = sqlite://\n"
        f"path = {directory}\n"
        "[web]\n"
        f"listen = 127.0.0.1:{port}\n"
        "[session]\n"
        "max_attempt = 1000\n",
        "utf-8",
    )
    return config


def copy_database(source: Path, target: Path) -> None:
    """Copy an SQLite database with SQLite's backup API (its write-ahead log included)."""
    with (
        contextlib.closing(sqlite3.connect(source)) as origin,
        contextlib.closing(sqlite3.connect(target)) as copy,
    ):
        origin.backup(copy)


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    result = subprocess.run(
        argv, env={**os.environ, **env}, capture_output=True, check=False, timeout=900
    )
    if result.returncode:
        tail = (result.stdout + result.stderr).decode("utf-8", "replace")[-3000:]
        msg = f"{what} failed (status {result.returncode}):\n{tail}"
        raise ServerUnavailable(msg)


def _start_tryton(directory: Path) -> tuple[Process, str]:
    trytond = executable("trytond")
    if trytond is None:
        msg = "trytond is not installed (pip install 'alize[integration]')"
        raise ServerUnavailable(msg)
    port = free_port()
    config = _tryton_config(directory, port)
    process = start(
        "trytond",
        [str(trytond), "-c", str(config), "-d", TRYTON_DATABASE],
        directory / "trytond.log",
    )
    url = f"http://127.0.0.1:{port}"
    wait_http(process, f"{url}/rpc/", b'{"id": 0, "method": "common.server.version", "params": []}')
    return process, url


def _setup_company(client: TrytonClient, siren: str, name: str) -> int:
    """An operator's company, the French chart, fiscal years and journals (over JSON-RPC)."""
    euro = client.search("currency.currency", [("code", "=", "EUR")])
    if not euro:
        euro = client.create(
            "currency.currency",
            [
                {
                    "name": "Euro",
                    "code": "EUR",
                    "symbol": "€",
                    "rounding": Decimal("0.01"),
                    "digits": 2,
                }
            ],
        )
    (party,) = client.create(
        "party.party",
        [{"name": name, "identifiers": [["create", [{"type": "fr_siren", "code": siren}]]]}],
    )
    (company,) = client.create("company.company", [{"party": party, "currency": euro[0]}])
    # The record rules of Tryton let a user see the companies of its "company filter":
    # "all" lets the tests work in both test companies.
    client.write(
        "res.user",
        [1],
        {"companies": [["add", [company]]], "company": company, "company_filter": "all"},
    )
    client = client.with_context(company=company)
    template = client.model_data_id("account_fr", "root")

    def properties(previous: dict[str, object]) -> dict[str, object]:
        view = previous.get("view")
        assert isinstance(view, dict)
        defaults = view["defaults"]
        return {
            "properties": {
                "company": company,
                "account_receivable": defaults["account_receivable"],
                "account_payable": defaults["account_payable"],
            }
        }

    client.run_wizard(
        "account.create_chart",
        [
            ("account", {}),
            ("create_account", {"account": {"account_template": template, "company": company}}),
            ("create_properties", properties),
        ],
    )
    (sequence_type,) = client.search("ir.sequence.type", [("name", "=", "Account Move")])
    for year in FISCAL_YEARS:
        (sequence,) = client.create(
            "ir.sequence.strict",
            [{"name": f"Écritures {year}", "sequence_type": sequence_type, "company": company}],
        )
        (fiscal_year,) = client.create(
            "account.fiscalyear",
            [
                {
                    "name": str(year),
                    "start_date": date(year, 1, 1),
                    "end_date": date(year, 12, 31),
                    "company": company,
                    "move_sequence": sequence,
                }
            ],
        )
        client.button("account.fiscalyear", "create_period", [fiscal_year])
        client.create(
            "account.period",
            [
                {
                    "name": f"Clôture {year}",
                    "fiscalyear": fiscal_year,
                    "start_date": date(year, 12, 31),
                    "end_date": date(year, 12, 31),
                    "type": "adjustment",
                }
            ],
        )
    existing = {row["code"] for row in client.search_read("account.journal", [], ["code"])}
    client.create(
        "account.journal",
        [
            {"code": code, "name": name, "type": "general"}
            for code, name in JOURNALS
            if code not in existing
        ],
    )
    # account_fr closes the parent 512 "Banques" for posting; this operator posts on it.
    bank = client.search("account.account", [("code", "=", "512"), ("company", "=", company)])
    client.write("account.account", bank, {"closed": False})
    # Sub-accounts this operator added to its chart (the conformance suite posts on them).
    for code, label, parent_code, like_code in EXTRA_ACCOUNTS:
        if client.search("account.account", [("code", "=", code), ("company", "=", company)]):
            continue
        like = ["type", "debit_type", "credit_type", "reconcile", "party_required"]
        (model,) = client.search_read(
            "account.account", [("code", "=", like_code), ("company", "=", company)], like
        )
        (parent,) = client.search(
            "account.account", [("code", "=", parent_code), ("company", "=", company)]
        )
        values = {name: model[name] for name in like}
        values.update(code=code, name=label, parent=parent, company=company)
        values.update(party_required=False, reconcile=False)
        client.create("account.account", [values])
    return company


def _build_modules(target: Path) -> None:
    """Create the database and activate the modules with ``trytond-admin`` (the long part)."""
    admin = executable("trytond-admin")
    if admin is None:
        msg = "trytond-admin is not installed (pip install 'alize[integration]')"
        raise ServerUnavailable(msg)
    with tempfile.TemporaryDirectory(prefix="alize-tryton-admin-") as work:
        directory = Path(work)
        config = _tryton_config(directory, free_port())
        (directory / f"{TRYTON_DATABASE}.sqlite").touch()
        password = directory / "password"
        password.write_text(TRYTON_PASSWORD, "utf-8")
        env = {"TRYTONPASSFILE": str(password)}
        base = [str(admin), "-c", str(config), "-d", TRYTON_DATABASE]
        _run([*base, "--all", "--email", "admin@example.org"], env, "trytond-admin --all")
        _run(
            [*base, "-u", *TRYTON_MODULES, "--activate-dependencies"],
            env,
            "trytond-admin -u " + " ".join(TRYTON_MODULES),
        )
        partial = target.with_suffix(".partial")
        copy_database(directory / f"{TRYTON_DATABASE}.sqlite", partial)
        os.replace(partial, target)


def _build_tryton(target: Path) -> float:
    """
    Build the test database into ``target``; return how long it took.

    The database with its modules activated is cached on its own (keyed by the
    trytond version), so a change to the company setup does not redo it.
    """
    started = time.monotonic()
    modules = cache_dir() / f"tryton-{tryton_version()}-modules.sqlite"
    if not modules.exists():
        _build_modules(modules)
    with tempfile.TemporaryDirectory(prefix="alize-tryton-setup-") as work:
        directory = Path(work)
        copy_database(modules, directory / f"{TRYTON_DATABASE}.sqlite")
        process, url = _start_tryton(directory)
        try:
            # Creating a chart of accounts takes minutes on a busy machine.
            client = TrytonClient(url, TRYTON_DATABASE, TRYTON_LOGIN, TRYTON_PASSWORD, timeout=900)
            for siren, name in COMPANIES:
                _setup_company(client, siren, name)
        finally:
            process.stop()
        partial = target.with_suffix(".partial")
        copy_database(directory / f"{TRYTON_DATABASE}.sqlite", partial)
        os.replace(partial, target)
    return time.monotonic() - started


def tryton_version() -> str:
    """The installed trytond's version."""
    try:
        return importlib.metadata.version("trytond")
    except importlib.metadata.PackageNotFoundError:
        msg = "trytond is not installed (pip install 'alize[integration]')"
        raise ServerUnavailable(msg) from None


@contextlib.contextmanager
def tryton_server(directory: Path) -> Iterator[TrytonServer]:
    """A running Tryton over a copy of the cached test database, stopped on exit."""
    cached = cache_dir() / f"tryton-{tryton_version()}-setup{SETUP_VERSION}.sqlite"
    build_seconds = None if cached.exists() else _build_tryton(cached)
    copy_database(cached, directory / f"{TRYTON_DATABASE}.sqlite")
    process, url = _start_tryton(directory)
    try:
        client = TrytonClient(
            url, TRYTON_DATABASE, TRYTON_LOGIN, TRYTON_PASSWORD, timeout=CALL_TIMEOUT
        )
        companies = client.search("company.company", [], order=[("id", "ASC")])
        yield TrytonServer(
            url, TRYTON_DATABASE, companies[0], companies[1], process, build_seconds, cached
        )
    finally:
        process.stop()


# -- Radicale -------------------------------------------------------------------------------

RADICALE_USER: Final = "operateur"
RADICALE_PASSWORD: Final = "Mot-de-passe-radicale-9xK"


@attrs.frozen
class RadicaleServer:
    """
    A running Radicale with htpasswd authentication.

    Attributes:
        url: Its base URL.
        user: The user allowed in.
        password: That user's password.
        process: The server process.
    """

    url: str
    user: str
    password: str
    process: Process


@contextlib.contextmanager
def radicale_server(directory: Path) -> Iterator[RadicaleServer]:
    """A running Radicale storing in ``directory``, stopped on exit."""
    try:
        importlib.metadata.version("radicale")
    except importlib.metadata.PackageNotFoundError:
        msg = "radicale is not installed (pip install 'alize[integration]')"
        raise ServerUnavailable(msg) from None
    users = directory / "users"
    users.write_text(f"{RADICALE_USER}:{RADICALE_PASSWORD}\n", "utf-8")
    port = free_port()
    argv = [
        sys.executable,
        "-m",
        "radicale",
        "--server-hosts",
        f"127.0.0.1:{port}",
        "--storage-filesystem-folder",
        str(directory / "collections"),
        "--auth-type",
        "htpasswd",
        "--auth-htpasswd-filename",
        str(users),
        "--auth-htpasswd-encryption",
        "plain",
        "--logging-level",
        "warning",
    ]
    process = start("radicale", argv, directory / "radicale.log")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_http(process, f"{url}/.web/", None)
        yield RadicaleServer(url, RADICALE_USER, RADICALE_PASSWORD, process)
    finally:
        process.stop()
