"""
Demo part: the same register over HTTP, as an application in another language uses it.

When the extra ``alize[serve]`` is installed, this part copies the register that the
record-file part wrote, makes an API token for the operator's staff, starts ``alize
serve`` on 127.0.0.1 as a real process (on a free port), and talks to it with the
standard library's HTTP client, as a CRM written in PHP or Java would: a repayment
recorded (201), the same request sent again (200, nothing doubled), a fee the fund cannot
pay refused with its rule (422), a request without a token refused (401), and the
advance read back — the same document ``alize show advance`` prints from the register.
The server is then stopped by its pid. Without the extra, the part says how to install it
and which commands to run.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import contextlib
import importlib.util
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from alize_adapters.demo import DemoContext
from alize_adapters.storage.sqlite import SqliteStore
from alize_adapters.storage.tokens import issue_token
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.kernel.money import format_eur
from alize_core.register.storage import load
from alize_core.reporting.documents import advance_document


TITLE = "Over HTTP: the register's API, as an application in another language calls it"

ON: Final = date(2027, 2, 10)
"""The sample year's last event's date: the requests of this part are dated on it."""

MADE_AT: Final = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
"""When the demo's token is said to be made: the sample year's last day, like its other dates."""

_START_SECONDS: Final = 30.0


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def _server(db: Path, port: int, log: Path) -> Iterator[str]:
    """``alize serve`` in its own process on 127.0.0.1, stopped by its pid afterwards."""
    argv = [sys.executable, "-m", "alize_adapters.cli", "serve", "--db", str(db)]
    with log.open("wb") as output:
        process = subprocess.Popen(
            [*argv, "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + _START_SECONDS
        while True:
            if process.poll() is not None:
                msg = f"alize serve stopped at start (status {process.returncode}); see {log}"
                raise RuntimeError(msg)
            try:
                with urllib.request.urlopen(f"{url}/openapi.json", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _call(
    url: str, token: str | None, method: str = "GET", body: dict[str, object] | None = None
) -> tuple[int, Any]:
    """One request; the status and the parsed JSON answer (errors included)."""
    data = None if body is None else dump_json(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, parse_json(answer.read())
    except urllib.error.HTTPError as refused:
        with refused:
            return refused.code, parse_json(refused.read())


def run(context: DemoContext) -> None:
    """Record, replay, refuse and read over HTTP; compare with the register's own document."""
    source = context.workdir / "alize-record.db"
    if importlib.util.find_spec("litestar") is None or importlib.util.find_spec("uvicorn") is None:
        context.say("The HTTP API needs the extra alize[serve]: pip install 'alize[serve]', then:")
        context.say(f"    alize token add OP1 --db {source}")
        context.say(f"    alize serve --db {source}")
        return
    db = context.workdir / "alize-http.db"
    for leftover in context.workdir.glob("alize-http.db*"):
        leftover.unlink()
    shutil.copyfile(source, db)
    with SqliteStore(db, create=False) as store:
        _info, token = issue_token(store, "OP1", MADE_AT)
    context.say(f"A copy of the record part's register, {db.name}, and an API token for OP1.")

    log = context.workdir / "alize-serve.log"
    with _server(db, _free_port(), log) as url:
        context.say(f"alize serve on {url} (its own process; log in {log.name}).")
        repayment: dict[str, object] = {
            "id": "http-remboursement-P1",
            "command": "receive_repayment",
            "on": ON.isoformat(),
            "project": "P1",
            "amount": "833.33",
        }
        status, answer = _call(f"{url}/commands", token, "POST", repayment)
        events = ", ".join(f"{e['kind']} (event {e['id']})" for e in answer["events"])
        context.say(f"  POST /commands, a repayment of 833,33 € on P1: {status}, {events}.")
        status, answer = _call(f"{url}/commands", token, "POST", repayment)
        context.say(f"  The same request again: {status}, {answer['status']}: nothing doubled.")
        fee: dict[str, object] = {
            "id": "http-frais",
            "command": "pay_fee",
            "on": ON.isoformat(),
            "amount": "450000.00",
            "label": "Frais de gestion",
        }
        status, answer = _call(f"{url}/commands", token, "POST", fee)
        rules = ", ".join(answer["error"].get("rules", ())) or "no rule"
        context.say(f"  A fee of 450 000,00 € the fund does not hold: {status}, refused ({rules}).")
        status, _answer = _call(f"{url}/territory", None)
        context.say(f"  GET /territory without a token: {status}.")
        status, served = _call(f"{url}/advances/P1?on={ON.isoformat()}", token)

    with SqliteStore(db, create=False) as store:
        register = load(store)
    own = advance_document(register, "P1", ON)
    same = "the same document" if served == own else "a different document"
    outstanding = format_eur(Decimal(own["outstanding"]))
    context.say(
        f"  GET /advances/P1: {status}, outstanding {outstanding}; the register read in Python"
        f" gives {same} (alize show advance P1 prints it)."
    )
    context.say("alize serve stopped by its pid.")
