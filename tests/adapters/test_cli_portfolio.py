"""alize report portfolio: every advance on a date, and the arrears the activity report gives."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta

from alize_adapters.cli import main
from alize_adapters.storage import DEFAULT_DB, read_events
from alize_core.kernel import loads
from alize_core.reporting import PortfolioReport, portfolio_report
from tests.adapters.test_cli_report import journal, report, stored
from tests.core.reporting_story import Journal


__all__ = ["journal"]


@pytest.fixture
def db(journal: Journal, tmp_path: Path) -> Path:
    """The small territory's 2026 in a SQLite store (see tests/core/reporting_story.py)."""
    return stored(journal, tmp_path / "alize.db")


def test_the_portfolio_as_french_text(db: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """
    SCH-06: on 31 December 2026 P1, declared in default that day, owes its whole 19,000 €
    at once; P3 is current, owing 7,000 €.
    """
    status, out, _ = report(capsysbinary, "portfolio", "--on", "2026-12-31", "--db", str(db))

    text = out.decode()
    assert status == 0
    assert text.startswith("Portefeuille d'avances — territoire Vallée de la Meuse, au 31")
    assert "P1 ; PME : 555012343 ; Situation : en défaut ; Encours : 19\xa0000,00\xa0€" in text
    assert "Impayés : 19\xa0000,00\xa0€ ; Jours de retard : 92" in text
    assert "Total : 2 avance(s) ; encours 26\xa0000,00\xa0€ ; impayés 19\xa0000,00\xa0€" in text


def test_the_json_portfolio_is_the_cores_report(
    db: Path, journal: Journal, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """--format json writes an alize document that reads back equal to the core's report."""
    status, out, _ = report(
        capsysbinary, "portfolio", "--on", "2026-12-31", "--db", str(db), "--format", "json"
    )

    assert status == 0
    assert loads(out, PortfolioReport) == portfolio_report(journal.events, date(2026, 12, 31))


def test_the_csv_portfolio_is_for_french_excel(
    db: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """One row per advance in French (its situation and ageing bucket), then the totals, in decimal commas."""
    status, out, _ = report(
        capsysbinary, "portfolio", "--on", "2026-12-31", "--db", str(db), "--format", "csv"
    )

    rows = list(csv.reader(io.StringIO(out.decode("utf-8-sig")), delimiter=";"))
    assert status == 0
    assert rows[0][:5] == ["projet", "pme", "situation", "encours", "impayes"]
    assert ["P1", "555012343", "en défaut", "19000,00", "19000,00", "92", "91–180 jours"] in rows
    assert rows[-1][:5] == ["TOTAL", "", "", "26000,00", "19000,00"]


def test_the_portfolio_needs_a_date(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --on the command is a usage error naming the option."""
    with pytest.raises(SystemExit) as exit_:
        main(["report", "portfolio"])

    assert exit_.value.code == 2
    assert "--on" in capsys.readouterr().err


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The register `alize demo` writes."""
    folder = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--output-dir", str(folder)]) == 0
    return folder / DEFAULT_DB


def _month_ends(db: Path) -> list[date]:
    """Every month end of the years the demo's journal covers, from its first event on."""
    events = read_events(db)
    first, last = events[0].on, events[-1].on
    ends = []
    for year in range(first.year, last.year + 1):
        for month in range(1, 13):
            end = date(year, month, 1) + relativedelta(months=1, days=-1)
            if end >= first:
                ends.append(end)
    return ends


def test_the_activity_reports_arrears_add_up_to_the_portfolios_at_every_month_end(
    demo: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    """
    SCH-06: for every month end of the demo's years, what `alize report activity --on`
    spreads over its ageing buckets is what `alize report portfolio --on` totals.
    """
    checked = 0
    for end in _month_ends(demo):
        on = end.isoformat()
        status, out, _ = report(
            capsysbinary, "activity", "--on", on, "--db", str(demo), "--format", "json"
        )
        assert status == 0, on
        buckets = json.loads(out)["data"]["arrears"]
        status, out, _ = report(
            capsysbinary, "portfolio", "--on", on, "--db", str(demo), "--format", "json"
        )
        assert status == 0, on
        portfolio = json.loads(out)["data"]
        assert sum(Decimal(line["amount"]) for line in buckets) == Decimal(portfolio["arrears"]), on
        owing = [a for a in portfolio["lines"] if a["status"] in {"disbursed", "defaulted"}]
        assert sum(line["advances"] for line in buckets) == len(owing), on
        checked += 1
    assert checked >= 12
