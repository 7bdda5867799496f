"""
What ``alize`` says on standard error besides errors: the adapters' log (``-v``, ``-vv``,
``-q``) and the progress line of long work.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from alize_adapters.cli import log_to_stderr, main
from alize_adapters.cli.progress import Progress

from .distributions import BROKEN_ADAPTER, make_distribution


FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture
def old_register(tmp_path: Path) -> Path:
    """A copy of a register written in the previous format (upgraded when opened)."""
    copy = tmp_path / "old.db"
    shutil.copyfile(FIXTURES / "register-alize-sqlite-1.db", copy)
    return copy


@pytest.fixture
def broken_adapter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """An installed adapter that fails to load (its vendor SDK is missing)."""
    root = make_distribution(
        tmp_path / "site",
        "acme-crm",
        "2.0",
        entry_points={"acme-crm": "acme_crm_adapter"},
        packages={"acme_crm_adapter": BROKEN_ADAPTER},
    )
    monkeypatch.syspath_prepend(str(root))
    return "acme-crm"


def test_verbose_says_what_the_store_upgrade_does(
    old_register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize -v check on a register of the previous format says it upgrades it, in plain lines."""
    assert main(["-v", "check", "--db", str(old_register)]) == 0

    err = capsys.readouterr().err
    assert f"alize: INFO: upgrading {old_register} from format alize.sqlite/1" in err
    assert "[alize_adapters" not in err


def test_by_default_information_is_not_shown(
    old_register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without -v, the upgrade happens silently: only warnings and errors reach stderr."""
    assert main(["check", "--db", str(old_register)]) == 0

    assert capsys.readouterr().err == ""


def test_a_warning_is_shown_by_default_and_hidden_by_quiet(
    broken_adapter: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An adapter that fails to load is a warning on stderr; -q keeps stderr for errors only."""
    assert main(["adapters", "list"]) == 0
    shown = capsys.readouterr().err
    assert main(["-q", "adapters", "list"]) == 0
    quiet = capsys.readouterr().err

    assert f"alize: WARNING: adapter {broken_adapter} not loaded (import failed)" in shown
    assert quiet == ""


def test_very_verbose_names_the_module_that_logs(
    old_register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-vv shows every detail, each line ending with the logger that wrote it."""
    assert main(["-vv", "check", "--db", str(old_register)]) == 0

    assert "[alize_adapters.storage.sqlite]" in capsys.readouterr().err


def test_the_log_stops_when_the_command_returns(
    old_register: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize leaves the logging as it found it: a second run without -v says nothing."""
    main(["-v", "rules"])
    capsys.readouterr()

    assert main(["check", "--db", str(old_register)]) == 0
    assert capsys.readouterr().err == ""


class Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        """It is one."""
        return True


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        """The present moment, in seconds."""
        return self.now


def test_on_a_terminal_the_line_is_rewritten_in_place() -> None:
    """On a terminal each update rewrites the line (\\r) and the end moves to a new line."""
    out, clock = Terminal(), Clock()
    with Progress("replaying the journal", 200, stream=out, clock=clock) as progress:
        for done in range(1, 201):
            clock.now = done * 0.05
            progress.update(done)

    text = out.getvalue()
    assert text.startswith("\r\x1b[Kalize: replaying the journal: ")
    assert text.endswith("alize: replaying the journal: 200/200 (100 %)\n")
    assert text.count("\n") == 1
    assert 1 < text.count("\r") < 200


def test_work_shorter_than_the_delay_shows_nothing() -> None:
    """Work done within the first two seconds prints no progress at all."""
    out, clock = Terminal(), Clock()
    with Progress("checking", 10, stream=out, clock=clock) as progress:
        for done in range(1, 11):
            clock.now = done * 0.1
            progress.update(done)

    assert out.getvalue() == ""


def test_elsewhere_each_update_shown_is_a_plain_line_at_most_every_ten_seconds() -> None:
    """In a log file the updates are whole lines, spaced out, and the last one is always shown."""
    out, clock = io.StringIO(), Clock()
    with Progress("checking", 100, stream=out, clock=clock) as progress:
        for done in range(1, 101):
            clock.now = done * 0.5
            progress.update(done)

    lines = out.getvalue().splitlines()
    assert "\r" not in out.getvalue()
    assert 2 < len(lines) <= 6
    assert lines[-1] == "alize: checking: 100/100 (100 %)"


def test_quiet_hides_the_progress_line() -> None:
    """Under alize -q (the adapters' log at errors only) a long work shows no progress."""
    out, clock = Terminal(), Clock()
    with log_to_stderr(-1), Progress("checking", 10, stream=out, clock=clock) as progress:
        clock.now = 60
        progress.update(5)

    assert out.getvalue() == ""
