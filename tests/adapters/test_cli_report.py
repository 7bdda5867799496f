"""alize report: the yearly reports of a stored register, in French text, JSON, HTML and CSV."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from alize_adapters.cli import main
from alize_adapters.storage import SqliteStore
from alize_core.kernel import DAILY_RATE_EXECUTIVE, loads
from alize_core.parties import Territory
from alize_core.reporting import FundForecast
from alize_core.reporting.activity import activity_report
from alize_core.reporting.records import ActivityReport
from tests.core.reporting_story import Journal, story_2026


@pytest.fixture(scope="module")
def journal() -> Journal:
    """The small territory's 2026 (see tests/core/reporting_story.py)."""
    return story_2026()


def stored(journal: Journal, path: Path) -> Path:
    """A register's store holding the journal's events."""
    with SqliteStore(path) as store:
        store.append([event.row() for event in journal.events], expected_version=0)
    return path


@pytest.fixture
def db(journal: Journal, tmp_path: Path) -> Path:
    """The story's register in a SQLite store."""
    return stored(journal, tmp_path / "alize.db")


def report(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    """Run `alize report ...`; return the status, stdout's bytes and stderr's text."""
    status = main(["report", *args])
    out, err = capsysbinary.readouterr()
    return status, out, err.decode()


def test_the_activity_report_as_french_text(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """The 2026 report: 3 projects examined, 32,000 € committed, the ceiling exceeded."""
    status, out, _ = report(
        capsysbinary, "activity", "--year", "2026", "--db", str(db), "--ceiling", "30000"
    )

    text = out.decode()
    assert status == 0
    assert text.startswith("Rapport d'activité 2026 — Vallée de la Meuse\n")
    assert "- Projets examinés : 3 (0)" in text
    assert "- Avances engagées : 32\xa0000,00\xa0€ (0,00\xa0€)" in text
    assert "dépassé de 2\xa0000,00 € (PIL-02)" in text


def test_the_json_report_is_the_reports_own_document(
    db: Path, journal: Journal, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """--format json writes an alize document that reads back equal to the report."""
    status, out, _ = report(
        capsysbinary, "activity", "--year", "2026", "--db", str(db), "--format", "json"
    )

    assert status == 0
    assert loads(out, ActivityReport) == activity_report(journal.events, 2026)


def test_the_csv_is_for_french_excel(db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """UTF-8 with a byte order mark, semicolons, decimal commas: TRANS still owes 10,000 €."""
    status, out, _ = report(
        capsysbinary,
        "call-for-funds",
        *("--year", "2026", "--on", "2026-12-31", "--db", str(db), "--format", "csv"),
    )

    assert status == 0
    assert out.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig")), delimiter=";"))
    assert ["TRANS", "Transports du Barrois", "10000,00", "0,00", "10000,00"] in rows


def test_the_html_report_goes_to_a_file(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """--output writes the self-contained page and says so on stderr."""
    page = tmp_path / "rapport.html"

    status, out, err = report(
        capsysbinary,
        "activity",
        *("--year", "2026", "--db", str(db), "--format", "html", "--output", str(page)),
    )

    html = page.read_text(encoding="utf-8")
    assert status == 0
    assert out == b""
    assert f"{page} written" in err
    assert html.count("<svg") == 3
    assert "<script" not in html


def test_the_network_contribution_from_the_formula_given(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """2,000 € + 2 × 150 € + 0.5 % of 32,000 € = 2,460 €, the convention in force named."""
    status, out, _ = report(
        capsysbinary,
        "network-contribution",
        *("--year", "2026", "--db", str(db)),
        *("--fixed", "2000", "--per-project", "150", "--share", "0.005"),
    )

    text = out.decode()
    assert status == 0
    assert "Formule de la convention CT-2026" in text
    assert "Total dû : 2\xa0460,00\xa0€" in text


def test_the_consolidation_of_two_territories(
    journal: Journal, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Two registers, two territories: 4 projects, 96 jobs created and kept, in all."""
    first = stored(journal, tmp_path / "meuse.db")
    second = stored(story_2026("ARGONNE", "Argonne"), tmp_path / "argonne.db")

    status, out, _ = report(
        capsysbinary,
        "consolidation",
        *("--year", "2026", "--db", str(first), "--db", str(second), "--format", "csv"),
    )

    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig")), delimiter=";"))
    assert status == 0
    assert [row[0] for row in rows[1:]] == ["MEUSE", "ARGONNE", "TOTAL"]
    assert rows[-1][2:5] == ["4", "16", "80"]


def test_a_territory_given_twice_is_refused_in_one_line(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """The same register twice would count its projects twice: exit 1, one line."""
    status, out, err = report(
        capsysbinary, "consolidation", "--year", "2026", "--db", str(db), "--db", str(db)
    )

    assert status == 1
    assert out == b""
    assert err.count("\n") == 1
    assert "MEUSE" in err
    assert "appears twice" in err


def test_the_forecast_as_json(db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """From 31 December 2026 at 10 % lost: 184,657.50 € at the end of 2027 (see test_reporting)."""
    status, out, _ = report(
        capsysbinary,
        "forecast",
        *("--year", "2026", "--db", str(db), "--default-rate", "0.10", "--format", "json"),
    )

    forecast = loads(out, FundForecast)
    assert status == 0
    assert forecast.on == date(2026, 12, 31)
    assert forecast.years[0].closing_cash == Decimal("184657.50")


def test_a_missing_register_is_one_clear_line(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """No such file: exit 1, the path named, nothing created."""
    missing = tmp_path / "nowhere.db"

    status, _, err = report(capsysbinary, "activity", "--year", "2026", "--db", str(missing))

    assert status == 1
    assert err.startswith("alize: error: db: '")
    assert err.endswith("is not an alize register (no such file)\n")
    assert err.count("\n") == 1
    assert not missing.exists()


@pytest.mark.parametrize(
    ("option", "value", "field"),
    [("--ceiling", "-5", "--ceiling"), ("--ceiling", "trente", "--ceiling")],
)
def test_a_bad_orientation_names_the_option(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes], option: str, value: str, field: str
) -> None:
    """A negative or unreadable ceiling is refused, naming the option."""
    status, _, err = report(
        capsysbinary, "activity", "--year", "2026", "--db", str(db), option, value
    )

    assert status == 1
    assert err.startswith(f"alize: error: {field}: ")


def test_a_share_of_100_percent_or_more_is_refused(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Shares are fractions: 5 is 500 %."""
    status, _, err = report(
        capsysbinary, "network-contribution", "--year", "2026", "--db", str(db), "--share", "5"
    )

    assert status == 1
    assert "--share: '5' is 100 % or more" in err


def test_a_year_that_is_not_a_year_is_a_usage_error() -> None:
    """--year 20x6 is refused by the parser, exit 2, no traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", "report", "activity", "--year", "20x6"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 2
    assert "is not a year such as 2026" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_report_command_runs_as_installed(db: Path) -> None:
    """The command line in a fresh interpreter writes the call for funds 2027."""
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "alize_adapters.cli",
            "report",
            "call-for-funds",
            "--year",
            "2027",
            "--db",
            str(db),
        ],
        capture_output=True,
        check=False,
    )

    text = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert text.startswith("Appel de fonds 2027 — Vallée de la Meuse")
    assert "Annexe (PIL-04)\nRapport d'activité 2026" in text


def test_the_demo_reports_on_the_year_and_writes_the_html_report(tmp_path: Path) -> None:
    """The demo's reports part reports on the year and writes the HTML report it names."""
    result = subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", "demo", "--output-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    (last,) = [
        part
        for part in result.stdout.split("\n== ")
        if "Reports: the year's activity report and the call for funds" in part
    ]
    assert "Activity report 2026 (GOV-09, PIL-03)" in last
    assert "Call for funds 2027 (PIL-04), report 2026 annexed" in last
    page = tmp_path / "rapport-activite-2026.html"
    assert f"HTML activity report: {page.resolve()}" in last
    assert page.read_text(encoding="utf-8").count("<svg") == 3


def test_reports_read_the_settings_the_register_adopted(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """
    The executive rate adopted at 800 € in the register: M1's 2.5 days cost 2,000 €, M2's
    2 technician days 900 € as before: 2,900 € in all.
    """
    journal = Journal({DAILY_RATE_EXECUTIVE: "800"}).founded(
        territory=Territory("MEUSE", "Vallée de la Meuse", departements=["55"])
    )
    db = stored(journal.year_2026(), tmp_path / "alize.db")

    status, out, _ = report(
        capsysbinary, "activity", *("--year", "2026", "--db", str(db), "--format", "json")
    )

    figures = loads(out, ActivityReport).figures
    assert status == 0
    assert figures.skills_value == Decimal("2900.00")


def test_reports_take_no_settings_file(
    db: Path, tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """Settings are adopted into the register (alize settings adopt), not given to a report."""
    with pytest.raises(SystemExit):
        main(["report", "activity", "--year", "2026", "--db", str(db), "--settings", "x.json"])
