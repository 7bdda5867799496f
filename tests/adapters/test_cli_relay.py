"""
``alize relay``: the register's events reach the installed adapters, once, from the command line.

The adapters are distributions made on the spot (an entry point of the group
``alize.adapters`` on ``PYTHONPATH``), and ``alize relay`` runs as installed, in an
interpreter of its own, on the register the demo leaves.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.storage.sqlite import DEFAULT_DB, read_events
from alize_core.journal import EventKind

from .distributions import make_distribution


PROBE = '''
"""An adapter that writes down each advance it is told about, one event id a line."""
import os

from alize_adapters.host.hookspecs import hookimpl
from alize_adapters.host.payloads import AdvanceDisbursedNotice


@hookimpl
def alize_on_advance_disbursed(event: AdvanceDisbursedNotice) -> None:
    with open(os.environ["RELAY_PROBE"], "a", encoding="utf-8") as out:
        out.write(event.event_id + "\\n")
'''

REFUSING = '''
"""An adapter whose tool refuses every repayment."""
from alize_adapters.host.errors import AdapterRejected
from alize_adapters.host.hookspecs import hookimpl
from alize_adapters.host.payloads import RepaymentReceivedNotice


@hookimpl
def alize_on_repayment_received(event: RepaymentReceivedNotice) -> None:
    raise AdapterRejected("the tool refuses repayments")
'''


@pytest.fixture(scope="module")
def demo_register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The register ``alize demo`` leaves (made once for the module; each test copies it)."""
    folder = tmp_path_factory.mktemp("demo")
    with contextlib.redirect_stdout(io.StringIO()):
        assert main(["demo", "--output-dir", str(folder)]) == 0
    return folder / DEFAULT_DB


@pytest.fixture
def register(demo_register: Path, tmp_path: Path) -> Path:
    """A copy of the demo's register, in this test's folder."""
    copy = tmp_path / "meuse.db"
    shutil.copyfile(demo_register, copy)
    return copy


def installed(tmp_path: Path, **adapters: str) -> dict[str, str]:
    """An environment in which these adapters (name: source) are installed, and the probe file."""
    root = tmp_path / "site"
    for name, source in adapters.items():
        package = f"relay_{name}"
        make_distribution(
            root,
            f"alize-{name}",
            "1.0",
            entry_points={name: package},
            packages={package: source},
        )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIZE_")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(root), env.get("PYTHONPATH")]))
    env["RELAY_PROBE"] = str(tmp_path / "probe.txt")
    return env


def relay(env: dict[str, str], cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``alize relay ARGS`` as installed, in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", "relay", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=cwd,
        timeout=120,
    )


def disbursements(path: Path) -> int:
    """How many advances the register's journal disbursed."""
    return sum(1 for event in read_events(path) if event.kind is EventKind.ADVANCE_DISBURSED)


def test_relay_once_delivers_each_disbursement_of_the_demo_once(
    register: Path, tmp_path: Path
) -> None:
    """alize relay --once delivers every disbursement; a second run delivers nothing again."""
    env = installed(tmp_path, probe=PROBE)

    first = relay(env, tmp_path, "--once", "--db", str(register))
    second = relay(env, tmp_path, "--once", "--db", str(register))

    assert first.returncode == 0, first.stderr
    lines = (tmp_path / "probe.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == disbursements(register) > 0
    assert f"{len(lines)} delivered" in first.stdout
    assert second.returncode == 0, second.stderr
    assert second.stdout.startswith("relay: 0 new deliveries, 0 delivered")
    assert (tmp_path / "meuse.db.outbox").is_file()


def test_dead_deliveries_exit_3_and_say_where_they_are(register: Path, tmp_path: Path) -> None:
    """An adapter whose tool refuses makes dead deliveries: the run says so and exits 3."""
    env = installed(tmp_path, refusing=REFUSING, probe=PROBE)

    result = relay(env, tmp_path, "--db", str(register), "--format", "json")

    assert result.returncode == 3, result.stderr
    report = json.loads(result.stdout)
    assert report["dead"] == report["dead_letters"] > 0
    assert report["delivered"] >= disbursements(register)
    assert "dead deliveries" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_outbox_and_the_register_can_come_from_alize_toml(
    register: Path, tmp_path: Path
) -> None:
    """[relay] outbox and db of ./alize.toml are where the relay reads and keeps its work."""
    env = installed(tmp_path, probe=PROBE)
    (tmp_path / "alize.toml").write_text(
        'db = "meuse.db"\n[relay]\noutbox = "deliveries.sqlite"\n', encoding="utf-8"
    )

    result = relay(env, tmp_path, "--once")

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "deliveries.sqlite").is_file()
    assert not (tmp_path / "meuse.db.outbox").exists()


def two_runs_then_sigterm(env: dict[str, str], cwd: Path, *args: str) -> tuple[str, str, int, str]:
    """Start ``alize relay ARGS``, read its first two report lines, send SIGTERM: lines, status, stderr."""
    process = subprocess.Popen(
        [sys.executable, "-m", "alize_adapters.cli", "relay", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=cwd,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    try:
        first = process.stdout.readline()
        second = process.stdout.readline()
        process.send_signal(signal.SIGTERM)
        status = process.wait(timeout=60)
        err = process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    return first, second, status, err


def test_relay_every_runs_until_sigterm_and_stops_cleanly(register: Path, tmp_path: Path) -> None:
    """alize relay --every keeps running, reporting each run, and SIGTERM ends it with status 0."""
    env = installed(tmp_path, probe=PROBE)

    first, second, status, err = two_runs_then_sigterm(
        env, tmp_path, "--every", "0.2", "--db", str(register)
    )

    assert first.startswith("relay: ")
    assert second.startswith("relay: 0 new deliveries")
    assert status == 0
    assert "Traceback" not in err


def test_the_interval_of_alize_toml_makes_the_relay_run_until_stopped(
    register: Path, tmp_path: Path
) -> None:
    """Without --once or --every, [relay] interval of alize.toml runs the relay again and again."""
    env = installed(tmp_path, probe=PROBE)
    (tmp_path / "alize.toml").write_text(
        'db = "meuse.db"\n[relay]\ninterval = 0.2\n', encoding="utf-8"
    )

    first, second, status, _ = two_runs_then_sigterm(env, tmp_path, "--format", "json")

    assert json.loads(first)["delivered"] == disbursements(register)
    assert json.loads(second)["enqueued"] == 0
    assert status == 0


def test_once_wins_over_the_interval_of_alize_toml(register: Path, tmp_path: Path) -> None:
    """--once on the command line runs once even when alize.toml sets an interval."""
    env = installed(tmp_path, probe=PROBE)
    (tmp_path / "alize.toml").write_text(
        'db = "meuse.db"\n[relay]\ninterval = 60\n', encoding="utf-8"
    )

    result = relay(env, tmp_path, "--once")

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_a_missing_register_is_one_line_and_status_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize relay on a register that does not exist says so in one line and exits 1."""
    status = main(["relay", "--once", "--db", str(tmp_path / "missing.db")])

    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("alize: error: ")
    assert not (tmp_path / "missing.db.outbox").exists()
