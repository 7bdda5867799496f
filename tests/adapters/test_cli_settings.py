"""`alize settings`: a territory's settings adopted into its register, and shown as in force."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.storage import SqliteStore
from alize_core.kernel import DAILY_RATE_EXECUTIVE, QUORUM
from alize_core.register.storage import load
from tests.core.reporting_story import story_2026


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """The small territory's 2026 in a SQLite store."""
    path = tmp_path / "alize.db"
    with SqliteStore(path) as store:
        store.append([e.row() for e in story_2026().events], expected_version=0)
    return path


def _file(tmp_path: Path, data: object) -> str:
    path = tmp_path / "reglement.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _events(db: Path) -> int:
    with SqliteStore(db, create=False) as store:
        return load(store).version


def test_adopted_settings_are_in_the_register_from_their_day(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file's values are recorded; the register knows them from --on, not before."""
    path = _file(tmp_path, {"quorum": "1/2", "daily_rate_executive": "800"})

    status = main(
        ["settings", "adopt", path, "--on", "2027-01-05", "--actor", "OP1", "--db", str(db)]
    )

    out = capsys.readouterr().out
    assert status == 0
    assert "quorum : 1/2 à partir du 05/01/2027" in out
    with SqliteStore(db, create=False) as store:
        register = load(store)
    from datetime import date

    assert register.settings.value(QUORUM, on=date(2027, 1, 5), territory="MEUSE") == Fraction(1, 2)
    assert register.settings.value(QUORUM, on=date(2027, 1, 4), territory="MEUSE") == 1
    assert (
        str(register.settings.value(DAILY_RATE_EXECUTIVE, on=date(2027, 2, 1), territory="MEUSE"))
        == "800"
    )


def test_a_refused_adoption_exits_1_and_records_nothing(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A setting the charter fixes: the refusal is printed with its rule; no event is added."""
    before = _events(db)
    path = _file(tmp_path, {"sme_max_staff": 500})

    status = main(
        ["settings", "adopt", path, "--on", "2027-01-05", "--actor", "OP1", "--db", str(db)]
    )

    assert status == 1
    assert "fixé par la charte (ELIG-01)" in capsys.readouterr().out
    assert _events(db) == before


def test_a_bad_value_in_the_file_is_named(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A quorum of 0 is refused on one line naming the file's setting."""
    path = _file(tmp_path, {"quorum": 0})

    status = main(
        ["settings", "adopt", path, "--on", "2027-01-05", "--actor", "OP1", "--db", str(db)]
    )

    err = capsys.readouterr().err
    assert status == 1
    assert "quorum" in err
    assert err.count("\n") == 1


def test_show_lists_every_setting_with_its_source(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """JSON: each setting in force on the date, national or the territory's article."""
    path = _file(tmp_path, {"quorum": 2})
    main(
        [
            "settings",
            "adopt",
            path,
            "--on",
            "2027-01-05",
            "--actor",
            "OP1",
            "--section",
            "Art. 3",
            "--db",
            str(db),
        ]
    )
    capsys.readouterr()

    status = main(["settings", "show", "--on", "2027-01-05", "--format", "json", "--db", str(db)])

    shown = json.loads(capsys.readouterr().out)
    assert status == 0
    by_name = {s["name"]: s for s in shown["settings"]}
    assert by_name["quorum"] == {"name": "quorum", "value": 2, "source": "Art. 3, from 2027-01-05"}
    assert by_name["rounding"]["source"] == "national default"
