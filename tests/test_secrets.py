"""
No secret leaks: the adapters' passwords and API keys never show in logs, reprs or errors.

An adapter holds the credentials of the tools it connects to: Tryton's password and the
session Tryton gives back, the CardDAV server's password (sent as HTTP Basic, so its
base64 form is a secret too), any key a backend's options carry. Here each gets a
distinctive value; the adapters then work and fail (the real server refuses the login,
the server is unreachable, too slow, failing, or echoes back what it received) and the
value is searched for everywhere a secret could surface:

- every log record, at DEBUG, with its arguments and formatted exception;
- the ``repr`` and ``str`` of every object a caller holds (clients, backends, requests,
  configurations, the adapter manager and its status);
- each error's message, arguments and attributes, through its whole chain
  (``__cause__`` and ``__context__``) and its formatted traceback;
- what ``alize adapters list`` prints, as text and JSON.

The paths of stores and the names of environment variables are not secrets. Tests that
need the real Tryton and Radicale start them on 127.0.0.1 (as ``tests/adapters`` does)
and are skipped when they cannot run, unless ``ALIZE_REQUIRE_SERVERS=1``.
"""

from __future__ import annotations

import base64
import contextlib
import http.server
import json
import logging
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Final, TypeVar

import pytest

from alize_adapters.cli import main
from alize_adapters.connectors import (
    CarddavAdapter,
    CardDavClient,
    CardDavCrm,
    HttpRequest,
    HttpResponse,
    VCard,
)
from alize_adapters.connectors.tryton import TrytonClient, TrytonCrm, TrytonLedger
from alize_adapters.connectors.tryton.backends import TrytonAdapter
from alize_adapters.host import (
    AdapterConfig,
    AdapterError,
    AdapterManager,
    BackendSettings,
    CompanyRecord,
)
from alize_core import AlizeError
from tests.adapters import servers


PASSWORD: Final = "Zx9!alize-mot-de-passe-7h3Kq"
"""The password given to every adapter (wrong for the real servers, which refuse it)."""

API_KEY: Final = "tok_alize_cle_api_5e3cr3t_9f8e7d"
"""A key a backend's options carry."""

SESSION: Final = "session-alize-jeton-b4d5e6f7"
"""The session token a fake Tryton hands back after a login."""

USER: Final = "operateur"

T = TypeVar("T")


def forms(secret: str, user: str = USER) -> tuple[str, ...]:
    """A secret as it may be written: itself, JSON-escaped, URL-quoted, and inside HTTP Basic."""
    basic = base64.b64encode(f"{user}:{secret}".encode()).decode()
    return (
        secret,
        json.dumps(secret)[1:-1],
        urllib.parse.quote(secret),
        basic,
        basic.rstrip("="),
    )


def chain(exc: BaseException) -> Iterator[BaseException]:
    """An error and every error chained to it (``__cause__`` and ``__context__``)."""
    seen: set[int] = set()
    todo = [exc]
    while todo:
        error = todo.pop()
        if id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        todo.extend(e for e in (error.__cause__, error.__context__) if e is not None)


def shown_by(exc: BaseException) -> str:
    """Everything an error shows: messages, reprs, arguments, attributes, and its traceback."""
    parts = ["".join(traceback.format_exception(exc))]
    for error in chain(exc):
        parts += [str(error), repr(error), repr(error.args)]
        parts += [repr(value) for value in vars(error).values()]
    return "\n".join(parts)


def hidden(text: str, *secrets: str) -> None:
    """No form of any of the secrets appears in the text."""
    for secret in secrets:
        for form in forms(secret):
            assert form not in text, f"a secret ({form!r}) leaks in:\n{text[:2000]}"


def logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record captured: its message, its arguments and its formatted exception."""
    parts = [caplog.text]
    for record in caplog.records:
        parts += [record.getMessage(), repr(record.args), record.exc_text or ""]
        if record.exc_info and record.exc_info[1] is not None:
            parts.append(shown_by(record.exc_info[1]))
    return "\n".join(parts)


def failure(call: Callable[[], object]) -> AlizeError:
    """The AlizeError a call raises (anything else, or nothing, fails the test)."""
    with pytest.raises(AlizeError) as caught:
        call()
    return caught.value


@pytest.fixture(autouse=True)
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Every logger at DEBUG, captured."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="alize_adapters")
    return caplog


# -- fake servers on 127.0.0.1 -----------------------------------------------------------------

Reply = Callable[[str, dict[str, str], bytes], tuple[int, dict[str, str], bytes]]


@contextlib.contextmanager
def fake_server(reply: Reply) -> Iterator[str]:
    """An HTTP server on 127.0.0.1 answering each request with ``reply``; yields its URL."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, headers, content = reply(self.command, dict(self.headers.items()), body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PROPFIND = do_REPORT = do_MKCOL = _answer  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the fake server logs nothing."""

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def echo(status: int) -> Reply:
    """A server that answers every request with this status and everything it received."""

    def reply(
        method: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        received = json.dumps({"method": method, "headers": headers, "body": body.decode()})
        return status, {"Content-Type": "application/json"}, received.encode()

    return reply


def tryton_echo(login: bool) -> Reply:
    """
    A JSON-RPC server that refuses each call with a Tryton error quoting the whole request
    (its body and its ``Authorization`` header); with ``login``, it first grants a session.
    """

    def reply(
        method: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, dict[str, str], bytes]:
        request = json.loads(body)
        if login and request["method"] == "common.db.login":
            answer: dict[str, object] = {"id": request["id"], "result": [1, SESSION]}
        else:
            quoted = f"{body.decode()} {headers.get('Authorization', '')}"
            answer = {"id": request["id"], "error": ["UserError", [f"Refusé : {quoted}", quoted]]}
        return 200, {"Content-Type": "application/json"}, json.dumps(answer).encode()

    return reply


def slow(method: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
    """A server that answers after the client has given up."""
    time.sleep(1.5)
    return 500, {}, b""


def unreachable() -> str:
    """The URL of a port nothing listens on."""
    return f"http://127.0.0.1:{servers.free_port()}"


Server = Callable[[], contextlib.AbstractContextManager[str]]


def answering(reply: Reply) -> Server:
    """A fake server answering with ``reply``, started when the test enters it."""
    return lambda: fake_server(reply)


FAILING: Final = (
    pytest.param(answering(echo(401)), id="login-refused-401"),
    pytest.param(answering(echo(403)), id="login-refused-403"),
    pytest.param(answering(echo(500)), id="server-error"),
    pytest.param(answering(slow), id="too-slow"),
    pytest.param(lambda: contextlib.nullcontext(unreachable()), id="unreachable"),
)
"""The ways any tool fails: it refuses the credentials, breaks, is too slow, or is not there."""


def tryton_client(url: str, password: str = PASSWORD) -> TrytonClient:
    """A Tryton client with a short timeout."""
    return TrytonClient(url, "alize", "admin", password, timeout=0.5)


def carddav_client(url: str, password: str = PASSWORD) -> CardDavClient:
    """A CardDAV client with a short timeout."""
    return CardDavClient(url, USER, password, "alize", timeout=0.5)


# -- the real servers (integration tests) -------------------------------------------------------


def real_server(
    start: Callable[[Path], contextlib.AbstractContextManager[T]], name: str
) -> Callable[[], Iterator[T]]:
    """
    A fixture (named after the server, one per module) starting a real server of the
    integration tests on 127.0.0.1, skipped when it cannot run (unless required).
    """

    def started() -> Iterator[T]:
        with tempfile.TemporaryDirectory(prefix=f"alize-secrets-{name.lower()}-") as folder:
            try:
                context = start(Path(folder))
                server = context.__enter__()
            except servers.ServerUnavailable as exc:
                if servers.require_servers():
                    pytest.fail(f"{name} required but unavailable: {exc}")
                pytest.skip(f"{name} unavailable: {exc}")
            try:
                yield server
            finally:
                context.__exit__(None, None, None)

    return pytest.fixture(started, scope="module", name=name.lower())


tryton = real_server(servers.tryton_server, "Tryton")
"""The real Tryton of the integration tests (trytond 8.2 over SQLite)."""

radicale = real_server(servers.radicale_server, "Radicale")
"""The real Radicale of the integration tests."""


def tryton_refusing(tryton: servers.TrytonServer) -> tuple[AlizeError, TrytonClient]:
    """The real Tryton given a wrong password: its refusal, and the client it refused."""
    client = TrytonClient(tryton.url, tryton.database, servers.TRYTON_LOGIN, PASSWORD)
    return failure(
        lambda: TrytonCrm(client, company=tryton.company).get_company("555012343")
    ), client


def radicale_refusing(radicale: servers.RadicaleServer) -> tuple[AlizeError, CardDavClient]:
    """The real Radicale given a wrong password: its refusal, and the client it refused."""
    client = CardDavClient(radicale.url, radicale.user, PASSWORD, "alize")
    return failure(client.ensure_book), client


@pytest.mark.integration
@pytest.mark.parametrize(
    ("server", "refused", "says"),
    [
        pytest.param("tryton", tryton_refusing, "refused the login of user 'admin'", id="tryton"),
        pytest.param("radicale", radicale_refusing, "refused the credentials", id="radicale"),
    ],
)
def test_a_real_server_refusing_a_password_never_shows_it(
    server: str,
    refused: Callable[[Any], tuple[AlizeError, object]],
    says: str,
    request: pytest.FixtureRequest,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """Tryton or Radicale refuses a wrong password: the refusal says so, never showing it."""
    error, client = refused(request.getfixturevalue(server))

    assert says in str(error)
    hidden(shown_by(error) + repr(client) + logged(debug_logs), PASSWORD)


# -- Tryton -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "server",
    [
        *FAILING,
        pytest.param(answering(echo(429)), id="slow-down"),
        pytest.param(answering(tryton_echo(login=False)), id="login-error-quoting-it"),
        pytest.param(answering(tryton_echo(login=True)), id="call-error-quoting-it"),
    ],
)
def test_tryton_failures_never_show_the_password_or_the_session(
    server: Server,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """Whatever Tryton answers, or if it does not, the password and the session stay hidden."""
    with server() as url:
        client = tryton_client(url)
        crm = TrytonCrm(client, company=1, namespace="secrets")
        ledger = TrytonLedger(client, company=1, namespace="secrets")
        error = failure(lambda: crm.get_company("555012343"))
        second = failure(lambda: client.call("model.party.party.search", []))
    assert isinstance(error, AdapterError)
    shown = "\n".join(
        [shown_by(error), shown_by(second), repr(client), str(client), repr(crm), repr(ledger)]
    )
    hidden(shown + logged(debug_logs), PASSWORD, SESSION)


def test_a_tryton_request_never_shows_its_credentials() -> None:
    """The request the client sends and the answer it reads show no header and no body."""
    token = base64.b64encode(f"admin:1:{SESSION}".encode()).decode()
    request = HttpRequest(
        "http://127.0.0.1:8000/alize/rpc/",
        json.dumps({"params": ["admin", {"password": PASSWORD}]}).encode(),
        {"Authorization": f"Session {token}"},
        0.5,
    )
    answer = HttpResponse(200, {"set-cookie": SESSION}, json.dumps([1, SESSION]).encode())
    hidden(repr(request) + str(request) + repr(answer) + str(answer), PASSWORD, SESSION, token)


@pytest.mark.integration
def test_the_real_tryton_session_and_password_stay_hidden_while_working(
    tryton: servers.TrytonServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    """Logged in to the real Tryton, working and failing: neither password nor session shows."""
    client = tryton.client()
    crm = TrytonCrm(client, company=tryton.company, namespace="secrets")
    crm.upsert_company(CompanyRecord(siren="555012343", name="Usinage Meusien"))
    assert crm.get_company("555012343") is not None
    error = failure(lambda: client.call("model.no.such.model.search", []))
    session = client._TrytonClient__authorization  # type: ignore[attr-defined]
    assert session.startswith("Session ")
    token = session.removeprefix("Session ")
    raw = base64.b64decode(token).decode().rsplit(":", 1)[-1]
    shown = shown_by(error) + repr(client) + repr(crm) + logged(debug_logs)
    assert "model.party.identifier.search" in debug_logs.text
    hidden(shown, servers.TRYTON_PASSWORD, token, raw)


# -- CardDAV ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "server",
    [
        *FAILING,
        pytest.param(answering(echo(404)), id="not-found"),
        pytest.param(answering(echo(207)), id="answer-that-is-not-a-vcard"),
    ],
)
def test_carddav_failures_never_show_the_password(
    server: Server,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """Whatever the CardDAV server answers, or if it does not, the password stays hidden."""
    with server() as url:
        client = carddav_client(url)
        crm = CardDavCrm(client)
        errors = [
            failure(lambda: crm.upsert_company(CompanyRecord(siren="555012343", name="Usinage"))),
            failure(lambda: client.put(VCard.company("555012343", "Usinage", "55029"))),
            failure(crm.contacts),
        ]
    shown = "\n".join([*(shown_by(e) for e in errors), repr(client), str(client), repr(crm)])
    hidden(shown + logged(debug_logs), PASSWORD)


@pytest.mark.integration
def test_the_real_radicale_password_stays_hidden_while_working(
    radicale: servers.RadicaleServer, debug_logs: pytest.LogCaptureFixture
) -> None:
    """Working with the real Radicale, and failing on a refused request: the password stays hidden."""
    client = CardDavClient(radicale.url, radicale.user, radicale.password, "alize-secrets")
    crm = CardDavCrm(client)
    crm.upsert_company(CompanyRecord(siren="555012343", name="Usinage Meusien"))
    assert crm.get_company("555012343") is not None
    error = failure(lambda: client.request("DELETE", f"{radicale.url}/autre-utilisateur/x/"))
    shown = shown_by(error) + repr(client) + repr(crm) + logged(debug_logs)
    hidden(shown, radicale.password)


# -- configuration: the adapter manager, backend options, alize adapters list --------------------

OPTIONS: Final = {
    "tryton": {
        "url": "http://127.0.0.1:9",
        "database": "alize",
        "login": "admin",
        "password_env": "ALIZE_SECRETS_TRYTON_PASSWORD",
        "api_key": API_KEY,
    },
    "carddav": {
        "url": "http://127.0.0.1:9",
        "user": USER,
        "password_env": "ALIZE_SECRETS_CARDDAV_PASSWORD",
        "token": API_KEY,
    },
}


def configured(role_backend: str, monkeypatch: pytest.MonkeyPatch) -> AdapterManager:
    """A manager with the Tryton and CardDAV adapters, the passwords in the environment."""
    monkeypatch.setenv("ALIZE_SECRETS_TRYTON_PASSWORD", PASSWORD)
    monkeypatch.setenv("ALIZE_SECRETS_CARDDAV_PASSWORD", PASSWORD)
    config = AdapterConfig.from_mapping({"roles": {"crm": role_backend}, "options": OPTIONS})
    manager = AdapterManager(config)
    manager.register(TrytonAdapter(), name="tryton")
    manager.register(CarddavAdapter(), name="carddav")
    return manager


@pytest.mark.parametrize("backend", ["tryton", "carddav"])
def test_the_adapter_manager_never_shows_a_password_or_a_key(
    backend: str, monkeypatch: pytest.MonkeyPatch, debug_logs: pytest.LogCaptureFixture
) -> None:
    """Bound by configuration, the backend fails to reach its tool: no password, no key anywhere."""
    manager = configured(backend, monkeypatch)
    crm = manager.crm()
    error = failure(lambda: crm.get_company("555012343"))
    status = manager.status()
    settings = BackendSettings(backend, tuple(OPTIONS[backend].items()))
    shown = "\n".join(
        [
            shown_by(error),
            repr(crm),
            repr(manager),
            repr(manager.config),
            str(manager.config),
            repr(settings),
            str(settings),
            repr(status),
            json.dumps(status.to_dict()),
        ]
    )
    hidden(shown + logged(debug_logs), PASSWORD, API_KEY)


def test_a_missing_password_variable_is_named_but_no_password_is_shown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without its environment variable, the factory names the variable, and shows no secret."""
    monkeypatch.delenv("ALIZE_SECRETS_TRYTON_PASSWORD", raising=False)
    config = AdapterConfig.from_mapping({"roles": {"crm": "tryton"}, "options": OPTIONS})
    manager = AdapterManager(config)
    manager.register(TrytonAdapter(), name="tryton")
    error = failure(manager.crm)
    assert "ALIZE_SECRETS_TRYTON_PASSWORD" in str(error)
    hidden(shown_by(error) + repr(manager.config), API_KEY)


@pytest.mark.parametrize("output", ["text", "json"])
def test_alize_adapters_list_never_prints_a_password_or_a_key(
    output: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``alize adapters list --config`` with keys in the options and passwords in the environment."""
    monkeypatch.setenv("ALIZE_SECRETS_TRYTON_PASSWORD", PASSWORD)
    config = tmp_path / "adapters.json"
    config.write_text(json.dumps({"roles": {"crm": "tryton"}, "options": OPTIONS}), "utf-8")
    status = main(["adapters", "list", "--config", str(config), "--format", output, "--traceback"])
    out, err = capsys.readouterr()
    assert status == 0
    hidden(out + err, PASSWORD, API_KEY)


def test_the_search_would_find_a_leak() -> None:
    """The search itself finds each form of a secret (so the tests above can fail)."""
    basic = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    for text in (PASSWORD, f"Authorization: Basic {basic}", json.dumps({"p": PASSWORD})):
        with pytest.raises(AssertionError):
            hidden(text, PASSWORD)
    error = ValueError("outer")
    error.__context__ = KeyError(PASSWORD)
    with pytest.raises(AssertionError):
        hidden(shown_by(error), PASSWORD)
