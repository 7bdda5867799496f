"""
``alize.toml`` and the environment: where each command's values come from.

A value is taken from the command line, else the environment, else the configuration
file, else its default; the file is ``alize --config PATH``, else ``$ALIZE_CONFIG``, else
``./alize.toml``. Each test runs ``alize check`` on empty registers, whose first line
names the register it read.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_adapters.cli import main
from alize_adapters.cli.config import load_config, parse_config
from alize_adapters.storage.sqlite import SqliteStore
from alize_core import AlizeError


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with three empty registers and no configuration in the environment."""
    for name in ("cli.db", "env.db", "file.db"):
        with SqliteStore(tmp_path / name):
            pass
    for variable in ("ALIZE_DB", "ALIZE_CONFIG"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def checked(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The register ``alize ARGV check`` read, from the first line it printed."""
    assert main([*argv]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    return first.removeprefix("alize check: ").split(" — ")[0]


def test_the_file_in_the_current_folder_names_the_register(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """db in ./alize.toml is read when neither --db nor ALIZE_DB is given."""
    (folder / "alize.toml").write_text('db = "file.db"\n', encoding="utf-8")

    assert checked(capsys, "check") == "file.db"


def test_the_environment_wins_over_the_file(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ALIZE_DB is read before the file's db."""
    (folder / "alize.toml").write_text('db = "file.db"\n', encoding="utf-8")
    monkeypatch.setenv("ALIZE_DB", "env.db")

    assert checked(capsys, "check") == "env.db"


def test_the_command_line_wins_over_the_environment(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--db is read before ALIZE_DB."""
    monkeypatch.setenv("ALIZE_DB", "env.db")

    assert checked(capsys, "check", "--db", "cli.db") == "cli.db"


def test_paths_of_a_file_elsewhere_start_from_its_folder(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """ALIZE_CONFIG names a file in another folder; its relative db is read beside it."""
    elsewhere = folder / "etc"
    elsewhere.mkdir()
    with SqliteStore(elsewhere / "meuse.db"):
        pass
    (elsewhere / "alize.toml").write_text('db = "meuse.db"\n', encoding="utf-8")
    monkeypatch.setenv("ALIZE_CONFIG", str(elsewhere / "alize.toml"))

    assert checked(capsys, "check") == str(elsewhere / "meuse.db")


def test_config_given_before_the_command_wins_over_alize_config(
    folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize --config PATH is read instead of $ALIZE_CONFIG and ./alize.toml."""
    (folder / "alize.toml").write_text('db = "file.db"\n', encoding="utf-8")
    (folder / "other.toml").write_text('db = "cli.db"\n', encoding="utf-8")
    monkeypatch.setenv("ALIZE_CONFIG", "alize.toml")

    assert checked(capsys, "--config", "other.toml", "check") == "cli.db"


def test_without_any_configuration_the_register_is_alize_db(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With no file, no variable and no --db, the register is ./alize.db."""
    with SqliteStore(folder / "alize.db"):
        pass

    assert checked(capsys, "check") == "alize.db"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('db = "file.db"\nrelay_every = 3\n', "relay_every: is not a key alize knows here"),
        ("[serve]\nprot = 8080\n", "serve.prot: is not a key alize knows here"),
        ('[serve]\nport = "eighty"\n', "serve.port: 'eighty' must be a whole number"),
        ("[relay]\ninterval = 0\n", "relay.interval: 0 must be a number of seconds above zero"),
        ('[adapters]\nroles = { erp = "x" }\n', "roles.erp: is not a role"),
        ("db = \n", "alize.toml: is not TOML: Invalid value (at line 1"),
        ("db = 3\n", "db: 3 must be a file's path, as text"),
    ],
)
def test_a_wrong_file_is_one_line_naming_the_key(
    folder: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    """An unknown key, a value of the wrong kind or a file that is not TOML: one line, exit 1."""
    (folder / "alize.toml").write_text(text, encoding="utf-8")

    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("alize: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_a_command_without_a_register_ignores_a_broken_file(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """alize rules reads no configuration: a broken alize.toml does not stop it."""
    (folder / "alize.toml").write_text("db = \n", encoding="utf-8")

    assert main(["rules", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)


def test_the_adapters_table_configures_the_adapters(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """[adapters] roles in alize.toml binds a role, as the adapters' JSON file would."""
    (folder / "alize.toml").write_text('[adapters]\nroles = { crm = "acme" }\n', encoding="utf-8")

    assert main(["adapters", "list", "--format", "json"]) == 0
    status = json.loads(capsys.readouterr().out)
    crm = next(b for b in status["bindings"] if b["role"] == "crm")
    assert crm["backend"] == "acme"
    assert "is not offered by any loaded adapter" in crm["problem"]


def test_the_environment_adds_to_the_files_adapters(tmp_path: Path) -> None:
    """ALIZE_ADAPTERS_DENY adds to the file's deny list."""
    path = tmp_path / "alize.toml"
    path.write_text('[adapters]\ndeny = ["acme"]\nstrict = true\n', encoding="utf-8")

    config = load_config(path, {"ALIZE_ADAPTERS_DENY": "old-crm"})

    assert config.adapters.deny == frozenset({"acme", "old-crm"})
    assert config.adapters.strict
    assert config.source == path


def test_the_serve_and_relay_tables_are_read_typed(tmp_path: Path) -> None:
    """[serve] and [relay] give their typed values; the outbox starts from the file's folder."""
    path = tmp_path / "alize.toml"
    path.write_text(
        '[relay]\noutbox = "meuse.outbox"\ninterval = 0.5\n'
        '[serve]\nhost = "0.0.0.0"\nport = 8080\ncors_origins = ["https://crm.example.fr"]\n'
        "max_body_size = 65536\n",
        encoding="utf-8",
    )

    config = load_config(path, {})

    assert config.relay.outbox == tmp_path / "meuse.outbox"
    assert config.relay.interval == Decimal("0.5")
    assert (config.serve.host, config.serve.port) == ("0.0.0.0", 8080)
    assert config.serve.cors_origins == ("https://crm.example.fr",)
    assert config.serve.max_body_size == 65536


@given(
    key=st.text(min_size=1, max_size=12).filter(
        lambda k: k not in {"db", "adapters", "relay", "serve"}
    )
)
def test_any_unknown_key_is_refused_by_name(key: str) -> None:
    """Whatever the unknown key, the configuration refuses it with an AlizeError naming it."""
    with pytest.raises(AlizeError) as refused:
        parse_config({key: 1}, {})

    assert refused.value.field == key


def test_a_postgresql_url_as_db_is_kept_as_text_not_made_a_path_of_the_folder() -> None:
    url = "postgresql://alize@db.example.org/alize?territory=MEUSE"
    from_file = parse_config({"db": url}, {}, folder=Path("/etc/alize"))
    from_env = parse_config({"db": "meuse.db"}, {"ALIZE_DB": url}, folder=Path("/etc/alize"))
    assert from_file.db == from_env.db == url
    assert parse_config({"db": "meuse.db"}, {}, folder=Path("/etc/alize")).db == Path(
        "/etc/alize/meuse.db"
    )
