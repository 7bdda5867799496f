"""``alize schedule``: text, JSON and CSV for French Excel; one-line refusals."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from alize_adapters.cli import main


ISSUE_EXAMPLE = (
    "schedule",
    "--principal",
    "30000",
    "--start",
    "2026-01-31",
    "--frequency",
    "monthly",
    "--instalments",
    "48",
    "--deferral",
    "6",
)


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    """Run the command with --format json and read what it printed."""
    assert main([*args, "--format", "json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    """principal, rate, one object per instalment and the totals, amounts as text."""
    data = run_json(capsys, *ISSUE_EXAMPLE)
    rows = data["instalments"]

    assert list(data) == ["principal", "rate", "instalments", "totals"]
    assert (data["principal"], data["rate"]) == ("30000.00", "0")
    assert isinstance(rows, list)
    assert rows[0] == {
        "number": 1,
        "due_date": "2026-08-31",
        "payment": "625.00",
        "principal": "625.00",
        "interest": "0.00",
        "balance": "29375.00",
    }
    assert len(rows) == 48
    assert data["totals"] == {"payment": "30000.00", "principal": "30000.00", "interest": "0.00"}


def test_a_rated_loan_lists_its_deferral_rows(capsys: pytest.CaptureFixture[str]) -> None:
    """With a rate, deferral periods appear as rows with principal 0.00."""
    data = run_json(capsys, *ISSUE_EXAMPLE, "--rate", "0.02", "--method", "constant_principal")
    rows = data["instalments"]

    assert isinstance(rows, list)
    assert len(rows) == 54
    assert [r["principal"] for r in rows[:6]] == ["0.00"] * 6
    assert rows[6]["principal"] == "625.00"
    assert rows[6]["interest"] == "50.00"


def test_text_prints_the_explanation_and_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    """The text output explains the schedule, citing its rules, then lists every row."""
    assert main(list(ISSUE_EXAMPLE)) == 0
    out = capsys.readouterr().out

    assert "Avance sans intérêt de 30 000,00 € : 48 échéances égales de 625,00 € (SCH-02)" in out
    assert "   1  31/08/2026        625,00" in out
    assert "(règle « half_up ») (SCH-01)" in out


def test_csv_is_what_french_excel_opens(tmp_path: Path) -> None:
    """CSV: a byte-order mark, ';' between fields, decimal commas, dates DD/MM/YYYY."""
    target = tmp_path / "echeancier.csv"

    assert main([*ISSUE_EXAMPLE, "--format", "csv", "--output", str(target)]) == 0
    data = target.read_bytes()
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))

    assert data.startswith(b"\xef\xbb\xbf")
    assert rows[0][:3] == ["N°", "Date d'échéance", "Échéance"]
    assert rows[1][:6] == ["1", "31/08/2026", "625,00", "625,00", "0,00", "29375,00"]
    assert len(rows) == 49


def test_csv_on_the_standard_output_keeps_the_byte_order_mark() -> None:
    """Written to the standard output, the CSV bytes are the same."""
    result = subprocess.run(
        [sys.executable, "-m", "alize_adapters.cli", *ISSUE_EXAMPLE, "--format", "csv"],
        capture_output=True,
        check=False,
    )

    assert result.returncode == 0
    assert result.stdout.startswith(b"\xef\xbb\xbfN\xc2\xb0;")


SMALL_ADVANCE = ("--principal", "100", "--start", "2026-01-31", "--instalments", "4")
"""100 € in four monthly instalments from 31 January 2026: valid until an option is added."""


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--principal", "30000", "--instalments", "48"), "start: is required"),
        (("--start", "2026-01-31", "--instalments", "48"), "principal: is required"),
        (("--principal", "0", "--start", "2026-01-31", "--instalments", "4"), "more than zero"),
        (
            ("--principal", "0.03", "--start", "2026-01-31", "--instalments", "4"),
            "cannot be repaid in 4 instalments",
        ),
        (("--principal", "100", "--start", "2026-01-31", "--instalments", "0"), "at least 1"),
        ((*SMALL_ADVANCE, "--deferral", "-1"), "deferral: -1"),
        ((*SMALL_ADVANCE, "--rate", "-0.01"), "rate: '-0.01' must not be negative"),
        (("--principal", "100", "--start", "31/01/2026", "--instalments", "4"), "start: '31/01"),
        (("--principal", "100", "--start", "2026-01-31", "--instalments", "4.5"), "instalments"),
    ],
)
def test_bad_input_is_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    """A refused value prints one line on stderr naming the field, and exits 1."""
    assert main(["schedule", *args]) == 1
    err = capsys.readouterr().err

    assert err.count("\n") == 1
    assert err.startswith("alize: error: ")
    assert message in err
