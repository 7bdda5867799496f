"""
Benchmark: commands per second through the HTTP API, against the same commands recorded in
Python and through ``alize record``.

Records the sample year (the shipped territory file and record file) into a register, then
N repayments of one euro on project P1 (default 2,000), each with its own id, three ways on
copies of that register:

- **Python**: :class:`alize_adapters.storage.recording.Recorder` in this process — the
  ceiling, what any door adds its cost to;
- **alize record**: the N commands as a JSON Lines file, ``alize record --db COPY FILE`` in a
  subprocess (its start-up included), when the installed alize has that command;
- **HTTP API**: ``alize serve`` under uvicorn on 127.0.0.1, C clients (default 8 threads,
  one httpx keep-alive connection each) sending ``POST /commands``; every answer must be
  201. Its peer is a trivial Litestar endpoint under the same uvicorn, hit by the same
  clients the same number of times: the HTTP ceiling on this machine.

It prints the machine (CPU model, cores, Python), each rate, and the ratios. Goal: 500
commands/s or more through the API on a 2-core machine.

Run: ``python benchmarks/bench_api.py [N] [CLIENTS]`` (needs the extra ``alize[serve]`` and httpx).
"""

from __future__ import annotations

import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

import httpx

from alize_adapters.demo.part_09_without_python import (
    RECORD_FILE,
    TERRITORY_FILE,
    record,
    shipped,
)
from alize_adapters.storage.recording import Recorder, RecordStatus
from alize_adapters.storage.sqlite import SqliteStore
from alize_adapters.storage.tokens import issue_token
from alize_core.commands.catalogue import read_request
from alize_core.kernel.jsontext import dump_json


GOAL: Final = 500
ON: Final = "2027-02-10"
"""The sample year's last event's date: the benchmark's commands are dated on it."""

TRIVIAL_APP: Final = """
import sys
import uvicorn
from litestar import Litestar, post

@post("/echo", status_code=201)
async def echo(data: dict[str, object]) -> dict[str, object]:
    return {"status": "recorded", "id": data.get("id")}

uvicorn.run(Litestar([echo]), host="127.0.0.1", port=int(sys.argv[1]), access_log=False,
            log_level="warning", lifespan="on")
"""
"""A trivial endpoint under the same uvicorn: it parses the JSON body and answers 201."""


def machine() -> str:
    """The CPU model, the cores and the Python version."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}"


def commands(count: int, prefix: str) -> list[dict[str, object]]:
    """N repayments of one euro on P1, each with its own id."""
    return [
        {
            "id": f"{prefix}-{n}",
            "command": "receive_repayment",
            "on": ON,
            "project": "P1",
            "amount": "1.00",
        }
        for n in range(count)
    ]


def free_port() -> int:
    """A TCP port free on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(argv: list[str], url: str, log: Path) -> Iterator[None]:
    """A server started in its own process group, waited for, and stopped by its pid."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            argv, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start:\n{log.read_text()[-2000:]}")
            try:
                urllib.request.urlopen(url, timeout=1)
                break
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.1)
        yield
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def hammer(
    url: str, path: str, bodies: list[bytes], clients: int, headers: dict[str, str]
) -> float:
    """Send every body once, spread over C client threads; the seconds it took."""
    failures: list[str] = []
    shares = [bodies[n::clients] for n in range(clients)]

    def run(share: list[bytes]) -> None:
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:
            for body in share:
                answer = client.post(path, content=body)
                if answer.status_code != 201:
                    failures.append(answer.text)

    threads = [threading.Thread(target=run, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if failures:
        raise SystemExit(f"{len(failures)} requests failed, e.g. {failures[0]}")
    return elapsed


def timed(work: Callable[[], None]) -> float:
    """The seconds a piece of work took."""
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


ALIZE: Final = [sys.executable, "-m", "alize_adapters.cli"]


def python_rate(db: Path, count: int) -> float:
    """Commands per second through the Recorder, in this process."""
    requests = [read_request({**c, "actor": "OP1"}) for c in commands(count, "py")]

    def run() -> None:
        with SqliteStore(db) as store:
            recorder = Recorder(store)
            recorder.register()
            for request, actor in requests:
                assert actor is not None
                assert recorder.record(request, actor).status is RecordStatus.RECORDED

    return count / timed(run)


def record_rate(db: Path, count: int, folder: Path) -> float | None:
    """Commands per second through ``alize record`` (start-up included); None without it."""
    probe = subprocess.run([*ALIZE, "record", "--help"], capture_output=True, check=False)
    if probe.returncode != 0:
        return None
    lines = "".join(dump_json({**c, "actor": "OP1"}) + "\n" for c in commands(count, "rec"))
    (folder / "year.jsonl").write_text(lines)
    argv = [*ALIZE, "record", "--db", str(db), str(folder / "year.jsonl")]
    return count / timed(lambda: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL))


def api_rate(db: Path, bodies: list[bytes], clients: int, folder: Path) -> float:
    """Commands per second through ``alize serve``, C clients at once."""
    with SqliteStore(db) as store:
        token = issue_token(store, "OP1", datetime(2027, 2, 10, 9, 0, tzinfo=UTC))[1]
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [*ALIZE, "serve", "--db", str(db), "--port", str(port)]
    with server(argv, f"{url}/openapi.json", folder / "serve.log"):
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        warm = [dump_json(c).encode() for c in commands(50, "warm")]
        hammer(url, "/commands", warm, clients, auth)
        return len(bodies) / hammer(url, "/commands", bodies, clients, auth)


def trivial_rate(bodies: list[bytes], clients: int, folder: Path) -> float:
    """Requests per second to a trivial Litestar endpoint under the same uvicorn."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    argv = [sys.executable, "-c", TRIVIAL_APP, str(port)]
    with server(argv, f"{url}/echo", folder / "trivial.log"):
        plain = {"Content-Type": "application/json"}
        hammer(url, "/echo", bodies[:50], clients, plain)
        return len(bodies) / hammer(url, "/echo", bodies, clients, plain)


def main(count: int, clients: int) -> None:
    """Run the benchmark and print the results."""
    folder = Path(tempfile.mkdtemp(prefix="alize-bench-api-"))
    try:
        seeded = folder / "seeded.db"
        record(seeded, shipped(TERRITORY_FILE), shipped(RECORD_FILE))
        copies = {name: folder / f"{name}.db" for name in ("python", "record", "api")}
        for copy in copies.values():
            shutil.copyfile(seeded, copy)
        print(f"machine: {machine()}")
        print(f"{count} commands (receive_repayment), {clients} HTTP clients")
        bodies = [dump_json(c).encode() for c in commands(count, "api")]
        rates = {"Python Recorder (ceiling)": python_rate(copies["python"], count)}
        recorded = record_rate(copies["record"], count, folder)
        if recorded is None:
            print("alize record: not in this version of alize; skipped")
        else:
            rates["alize record"] = recorded
        api = rates["HTTP API (alize serve)"] = api_rate(copies["api"], bodies, clients, folder)
        trivial = rates["trivial Litestar endpoint (HTTP ceiling)"] = trivial_rate(
            bodies, clients, folder
        )
        for name, rate in rates.items():
            print(f"  {name:<42} {rate:>8.0f} commands/s")
        print(f"API / Python Recorder: {api / rates['Python Recorder (ceiling)']:.2f}")
        print(f"API / trivial endpoint: {api / trivial:.2f}")
        if recorded is not None:
            print(f"API / alize record: {api / recorded:.2f}")
        verdict = "met" if api >= GOAL else "NOT met"
        print(f"goal: {GOAL} commands/s through the API: {verdict} ({api:.0f})")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main(
        int(sys.argv[1]) if len(sys.argv) > 1 else 2000,
        int(sys.argv[2]) if len(sys.argv) > 2 else 8,
    )
