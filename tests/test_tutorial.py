"""
The tutorial "a territory's year without Python" runs as written: every shell command of
the page, in order, in an empty folder, as real ``alize`` (and ``curl``) processes.

The page's ``console`` blocks hold commands (``$ …``) and what they print; a file the
reader is asked to write is a ``code-block`` whose caption is its name, written at that
point of the page. Each command must exit 0 (or the status the page shows with
``$ echo $?`` right after it), and the lines the page shows must be found in its output,
in order; ``…`` stands for what the page leaves out (a date, a token, lines between).
The reader replaces ``alz_…`` with the token ``alize token add`` printed: so does the
test. The API's part starts ``alize serve`` on 127.0.0.1 on a free port (the page's
``8000`` is replaced by it), and stops it by its pid.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from alize_adapters.demo.part_09_without_python import RECORD_FILE, TERRITORY_FILE, shipped


PAGE = Path(__file__).resolve().parents[1] / "docs" / "tutorials" / "without-python.md"
HTTP_PART = "## 7. The same through the HTTP API"
"""The heading from which the page talks to ``alize serve``."""

FENCE = re.compile(r"^```(?P<info>[^\n]*)\n(?P<body>.*?)^```$", re.M | re.S)
CAPTION = re.compile(r"\A:caption: (?P<name>\S+)\n\n", re.S)
TOKEN = re.compile(r"alz_[A-Za-z0-9_-]{20,}")
PAGE_PORT = "8000"
TIMEOUT = 300


@attrs.frozen
class Command:
    """A command of the page and what the page shows it printing."""

    line: str
    shown: tuple[str, ...]


@attrs.frozen
class File:
    """A file the page asks the reader to write."""

    name: str
    text: str


Step = Command | File


def _commands(body: str) -> Iterator[Command]:
    line: str | None = None
    shown: list[str] = []
    for text in body.splitlines():
        if text.startswith("$ "):
            if line is not None:
                yield Command(line, tuple(shown))
            line, shown = text[2:], []
        else:
            shown.append(text)
    if line is not None:
        yield Command(line, tuple(shown))


def steps(text: str) -> list[Step]:
    """The page's commands and files, in order."""
    found: list[Step] = []
    for block in FENCE.finditer(text):
        info, body = block["info"].strip(), block["body"]
        if info == "console":
            found += _commands(body)
        elif info.startswith("{code-block}"):
            caption = CAPTION.match(body)
            assert caption is not None, f"a code-block without a file name: {body[:60]}"
            found.append(File(caption["name"], body[caption.end() :]))
    return found


def parts() -> tuple[list[Step], list[Step]]:
    """The command line's part of the page, and the HTTP API's."""
    text = PAGE.read_text(encoding="utf-8")
    start = text.index(HTTP_PART)
    return steps(text[:start]), steps(text[start:])


def _spaces(text: str) -> str:
    """French amounts are printed with no-break spaces (``1 234,56 €``); the page has plain ones."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def shows(output: str, shown: tuple[str, ...]) -> str | None:
    """The first line the page shows that the output lacks (in order), ``None`` if none."""
    lines = _spaces(output).splitlines()
    at = 0
    for expected in shown:
        fragments = [part for part in _spaces(expected).split("…") if part.strip()]
        if not fragments:
            continue
        while at < len(lines) and not _has(lines[at], fragments):
            at += 1
        if at == len(lines):
            return expected
        at += 1
    return None


def _has(line: str, fragments: list[str]) -> bool:
    position = 0
    for fragment in fragments:
        position = line.find(fragment, position)
        if position < 0:
            return False
        position += len(fragment)
    return True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Reader:
    """Someone following the page in a terminal: an empty folder, the page's commands."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.token: str | None = None
        self.status = 0
        self.port = _free_port()
        self.server: subprocess.Popen[bytes] | None = None
        self.server_log = folder / "serve.log"
        self.env = {key: value for key, value in os.environ.items() if key != "ALIZE_DB"}
        self.env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{self.env['PATH']}"
        self.env["NO_COLOR"] = "1"

    def follow(self, page_steps: list[Step]) -> None:
        """Do every step; an AssertionError names the first that did not go as shown."""
        for index, step in enumerate(page_steps):
            if isinstance(step, File):
                (self.folder / step.name).write_text(step.text, encoding="utf-8")
                continue
            following = page_steps[index + 1] if index + 1 < len(page_steps) else None
            self.run(step, following)

    def _line(self, line: str) -> str:
        if "alz_…" in line:
            assert self.token is not None, f"{line}: no token was printed before"
            line = line.replace("alz_…", self.token)
        line = line.replace(f"127.0.0.1:{PAGE_PORT}", f"127.0.0.1:{self.port}")
        return line.replace(f"--port {PAGE_PORT}", f"--port {self.port}")

    def run(self, command: Command, following: Step | None) -> None:
        """Run a command; check its status and that it printed what the page shows."""
        if command.line == "echo $?":
            shown = [line for line in command.shown if line.strip()]
            assert shown == [str(self.status)], f"echo $?: the page shows {shown}"
            return
        line = self._line(command.line)
        if line.startswith("alize serve"):
            self.serve(line)
            return
        expected = 0
        if isinstance(following, Command) and following.line == "echo $?":
            expected = int(following.shown[0])
        done = subprocess.run(
            ["bash", "-c", line],
            cwd=self.folder,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        self.status = done.returncode
        output = done.stdout + done.stderr
        where = f"$ {command.line}\n{output[:4000]}"
        assert "Traceback" not in output, where
        assert done.returncode == expected, f"exit status {done.returncode}: {where}"
        missing = shows(output, command.shown)
        assert missing is None, f"the page shows {missing!r}, not printed by {where}"
        token = TOKEN.search(done.stdout)
        if token is not None and command.line.startswith("alize token add"):
            self.token = token[0]

    def serve(self, line: str) -> None:
        """Start ``alize serve`` in the background and wait until it answers."""
        with self.server_log.open("wb") as log:
            self.server = subprocess.Popen(
                ["bash", "-c", f"exec {line}"],
                cwd=self.folder,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.server.poll() is None, self.server_log.read_text(encoding="utf-8")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise AssertionError(f"alize serve did not answer on port {self.port} within 60 s")

    def stop(self) -> None:
        """Stop the server by its pid, as Ctrl-C would."""
        if self.server is None:
            return
        self.server.terminate()
        try:
            self.server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.server.kill()
            self.server.wait()


def _cannot(reason: str) -> None:
    """Skip, or fail where servers are required (``ALIZE_REQUIRE_SERVERS``, set in CI)."""
    if os.environ.get("ALIZE_REQUIRE_SERVERS"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Reader]:
    """A reader who has followed the command line's part of the page."""
    following = Reader(tmp_path_factory.mktemp("tutorial"))
    following.follow(parts()[0])
    yield following
    following.stop()


def test_the_page_shows_commands_in_both_parts() -> None:
    """The parser finds the page's commands, its files and its HTTP part."""
    command_line, http = parts()

    assert [step.name for step in command_line if isinstance(step, File)] == [
        "mars-2027.jsonl",
        "mars-2027.jsonl",
    ]
    assert any(
        step.line.startswith("alize init") for step in command_line if isinstance(step, Command)
    )
    assert any(step.line.startswith("curl") for step in http if isinstance(step, Command))


def test_the_files_the_page_quotes_are_the_shipped_ones() -> None:
    """The territory file's beginning and the record file's first line, as alize ships them."""
    text = PAGE.read_text(encoding="utf-8")
    quoted = {block["info"].strip(): block["body"] for block in FENCE.finditer(text)}

    assert quoted["toml"] in shipped(TERRITORY_FILE).decode("utf-8")
    assert quoted["json"].strip() in shipped(RECORD_FILE).decode("utf-8").splitlines()


def test_the_command_line_part_runs_as_written(reader: Reader) -> None:
    """init, record (a refusal, then the fix), show, report and token add, as the page shows."""
    assert reader.token is not None
    assert (reader.folder / "alize.db").is_file()


def test_the_http_part_runs_as_written(reader: Reader) -> None:
    """serve, POST /commands (201, a replay, a 422 refusal, 401), and the register seen again."""
    missing = [
        module for module in ("litestar", "uvicorn") if importlib.util.find_spec(module) is None
    ]
    if missing:
        _cannot(
            f"{', '.join(missing)} missing: the HTTP API needs the extra alize[serve]"
            " (pip install -e '.[serve]'; nox -s tests installs it)"
        )
    if shutil.which("curl") is None:
        _cannot("curl is not installed (apt-get install curl)")
    try:
        reader.follow(parts()[1])
    finally:
        reader.stop()
