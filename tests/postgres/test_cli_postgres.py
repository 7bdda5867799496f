"""
The command line on a PostgreSQL register: ``--db postgresql://…`` (or ``ALIZE_DB``) names
a territory's register in PostgreSQL wherever a command takes a register, and a backup to a
SQLite file keeps the same head digest.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from alize_adapters import demo
from tests.adapters.test_cli_relay import PROBE, installed

from .server import PostgresServer


pytestmark = pytest.mark.postgres

TERRITORY_FILE = str(Path(demo.__file__).parent / "territoire-exemple.toml")
YEAR_FILE = str(Path(demo.__file__).parent / "annee-exemple.jsonl")
SECRET = "s3cret-word"
"""A password in the URL (the test cluster trusts local connections, so any will do)."""


def alize(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run the installed command line in a fresh interpreter; the password never shows."""
    done = subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", *args],
        capture_output=True,
        text=True,
        check=False,
        env=None if env is None else {**os.environ, **env},
    )
    assert SECRET not in done.stdout + done.stderr
    return done


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    done = alize(*args, env=env)
    assert done.returncode == 0, done.stderr
    return done.stdout


def with_password(url: str) -> str:
    scheme, rest = url.split("://", 1)
    user, host = rest.split("@", 1)
    return f"{scheme}://{user}:{SECRET}@{host}"


def head_of(db: str) -> dict[str, object]:
    checked: dict[str, object] = json.loads(ok("check", "--format", "json", "--db", db))
    return checked


def founded(postgres: PostgresServer, territory: str) -> str:
    url = f"{with_password(postgres.url)}?territory={territory}"
    ok("init", "--db", url, TERRITORY_FILE)
    ok("record", "--db", url, YEAR_FILE)
    return url


def test_a_register_recorded_in_postgresql_backs_up_to_sqlite_with_the_same_head(
    postgres: PostgresServer, territory: str, tmp_path: Path
) -> None:
    url = founded(postgres, territory)
    live = head_of(url)
    assert live["ok"] is True
    assert live["events"] > 0  # type: ignore[operator]
    copy = tmp_path / "copie.db"
    backed = json.loads(ok("backup", "--db", url, str(copy), "--format", "json"))
    copied = head_of(str(copy))
    assert backed["head"] == copied["head"] == live["head"]
    assert copied["events"] == live["events"]


def test_reports_and_documents_read_the_same_from_postgresql_as_from_its_copy(
    postgres: PostgresServer, territory: str, tmp_path: Path
) -> None:
    url = founded(postgres, territory)
    copy = tmp_path / "copie.db"
    ok("backup", "--db", url, str(copy))
    for command in (
        ("report", "activity", "--year", "2026", "--format", "json"),
        ("report", "portfolio", "--on", "2026-12-31", "--format", "json"),
        ("show", "territory", "--format", "json"),
    ):
        assert ok(*command, "--db", url) == ok(*command, "--db", str(copy))


def test_a_sqlite_backup_restores_into_postgresql_with_the_same_head(
    postgres: PostgresServer, territory: str, tmp_path: Path
) -> None:
    sqlite = tmp_path / "meuse.db"
    ok("init", "--db", str(sqlite), TERRITORY_FILE)
    ok("record", "--db", str(sqlite), YEAR_FILE)
    url = f"{postgres.url}?territory={territory}"
    restored = json.loads(ok("restore", str(sqlite), "--db", url, "--format", "json"))
    assert restored["head"] == head_of(url)["head"] == head_of(str(sqlite))["head"]


def test_the_register_url_is_read_from_the_environment(
    postgres: PostgresServer, territory: str
) -> None:
    url = founded(postgres, territory)
    from_env = json.loads(ok("check", "--format", "json", env={"ALIZE_DB": url}))
    assert from_env["head"] == head_of(url)["head"]


def test_init_without_a_territory_in_the_url_names_the_file_s_territory(
    database: str,
) -> None:
    ok("init", "--db", with_password(database), TERRITORY_FILE)
    assert head_of(f"{database}?territory=MEUSE")["ok"] is True


def test_a_url_with_no_register_is_refused_in_one_line(
    postgres: PostgresServer, territory: str
) -> None:
    done = alize("check", "--db", f"{with_password(postgres.url)}?territory={territory}")
    assert done.returncode == 1
    assert done.stderr.startswith("alize: error: db: 'postgresql://alize:***@")
    assert f"holds no register of territory '{territory}'" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_serve_takes_only_sqlite_and_refuses_a_url_in_one_line(
    postgres: PostgresServer, territory: str
) -> None:
    done = alize("serve", "--db", f"{with_password(postgres.url)}?territory={territory}")
    assert done.returncode == 1
    assert "takes a SQLite file only" in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_relay_keeps_the_outbox_of_a_postgresql_register_in_its_database(
    postgres: PostgresServer, territory: str, tmp_path: Path
) -> None:
    url = founded(postgres, territory)
    env = installed(tmp_path, probe=PROBE)
    first = json.loads(ok("relay", "--once", "--format", "json", "--db", url, env=env))
    second = json.loads(ok("relay", "--once", "--format", "json", "--db", url, env=env))
    delivered = (tmp_path / "probe.txt").read_text(encoding="utf-8").splitlines()
    assert first["delivered"] == len(delivered) == len(set(delivered)) > 0
    assert second["delivered"] == second["enqueued"] == 0
    assert first["outbox"].startswith("postgresql://alize:***@")
