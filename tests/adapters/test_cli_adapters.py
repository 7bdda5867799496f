"""`alize adapters`: hooks, loaded adapters, the outbox's dead letters and their replay."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.delivery import DeliveryState, MemoryEventSource, Relay, SqliteDeliveryStore
from alize_adapters.fakes import LedgerPostings, LedgerTarget, MemoryLedger, Wire
from alize_adapters.host import AdapterManager, Fault, hook_names

from .targets import booked


@pytest.fixture
def outbox_file(tmp_path: Path) -> Path:
    """An outbox store in which the ledger's delivery of E1 is dead (the tool refused it)."""
    source = MemoryEventSource()
    source.append(booked(1))
    wire = Wire(LedgerTarget().handle)
    wire.inject(Fault.REJECTED)
    manager = AdapterManager()
    manager.register(LedgerPostings(MemoryLedger(wire)), name="ledger")
    path = tmp_path / "outbox.sqlite"
    with SqliteDeliveryStore(path) as store:
        Relay(manager, source, store, clock=lambda: datetime(2026, 4, 2, tzinfo=UTC)).run()
    return path


def test_hooks_lists_every_hook_with_its_signature(capsys: pytest.CaptureFixture[str]) -> None:
    """`alize adapters hooks` prints one signature per hook."""
    assert main(["adapters", "hooks"]) == 0
    lines = capsys.readouterr().out.splitlines()

    assert [line.partition("(")[0] for line in lines] == list(hook_names())
    assert "alize_on_advance_disbursed(event: AdvanceDisbursedNotice) -> None" in lines


def test_list_shows_the_built_in_renderer_and_unbound_roles(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With nothing installed, the default renderer is loaded and no role is bound."""
    assert main(["adapters", "list", "--format", "json", "--deny", "anything"]) == 0
    status = json.loads(capsys.readouterr().out)

    assert "alize-default-renderer" in [p["name"] for p in status["loaded"]]
    assert [b["role"] for b in status["bindings"] if b["problem"]] == [
        "crm",
        "accounting",
        "documents",
        "notifications",
    ]


def test_a_configuration_file_that_is_not_json_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A broken --config file is refused in one line naming where."""
    config = tmp_path / "adapters.json"
    config.write_text('{"roles": {"crm": }', encoding="utf-8")

    assert main(["adapters", "list", "--config", str(config)]) == 1
    assert capsys.readouterr().err.startswith("alize: error: line 1: not valid JSON")


def test_outbox_shows_the_dead_letters(
    outbox_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize adapters outbox` lists the dead deliveries with the error naming the adapter."""
    assert main(["adapters", "outbox", "--store", str(outbox_file)]) == 0
    lines = capsys.readouterr().out.splitlines()

    assert lines[0] == "1 deliveries (dead)"
    assert lines[1].split()[:4] == ["E1", "ledger", "posting_booked", "dead"]
    assert "adapter ledger, alize_on_posting_booked: the accounting tool refused" in lines[1]


def test_replay_puts_the_dead_letters_back_in_the_queue(
    outbox_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize adapters replay` makes the dead deliveries pending again."""
    assert main(["adapters", "replay", "--store", str(outbox_file), "--adapter", "ledger"]) == 0
    with SqliteDeliveryStore(outbox_file) as store:
        states = [d.state for d in store.deliveries()]

    assert capsys.readouterr().out.startswith("1 dead deliveries put back in the queue")
    assert states == [DeliveryState.PENDING]


def test_outbox_on_a_missing_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A store that does not exist is refused, not created."""
    missing = tmp_path / "nope.sqlite"

    assert main(["adapters", "outbox", "--store", str(missing)]) == 1
    assert "is not an outbox store (no such file)" in capsys.readouterr().err
    assert not missing.exists()


def test_a_file_that_is_not_an_outbox_store_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A damaged or foreign file given as --store is refused in one line, not a traceback."""
    junk = tmp_path / "outbox.sqlite"
    junk.write_bytes(b"these bytes are not an SQLite database, just a note" * 100)

    assert main(["adapters", "outbox", "--store", str(junk)]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("alize: error: store: ")
    assert line.endswith("is not an outbox store (file is not a database)")
