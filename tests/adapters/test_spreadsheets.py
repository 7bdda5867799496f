"""CSV files as French Excel opens and saves them: export, formula neutralising, import."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_adapters.cli import main
from alize_adapters.connectors import (
    FORMULA_STARTS,
    TABLES,
    ColumnKind,
    export_rows,
    export_schedule,
    export_table,
    import_table,
    neutralise,
)
from alize_core import CompanyRepresentative, InvalidValue, MalformedInput, PartnerCompany, Sme
from alize_core.accounting import Posting
from alize_core.kernel import unstructure
from alize_core.lending import LoanTerms, build_schedule
from tests.strategies import smes

from .sample_postings import SME, advance, repayment_with_fee


def sme(name: str = "Usinage Meusien", turnover: str = "6200000.50") -> Sme:
    """An SME of the Meuse."""
    return Sme(
        siren="555012343",
        name=name,
        creation_date=date(2011, 3, 1),
        staff=42,
        turnover=Decimal(turnover),
        balance_sheet=Decimal("3100000"),
        commune="55029",
    )


def exported(table: str, records: Sequence[object]) -> bytes:
    out = io.BytesIO()
    export_table(TABLES[table], records, out)
    return out.getvalue()


def cells(data: bytes) -> list[list[str]]:
    """The cells as a spreadsheet's CSV reader sees them (stdlib csv, ';')."""
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_the_file_starts_with_a_bom_and_uses_semicolons_and_crlf() -> None:
    """UTF-8 with a byte-order mark, ';' between fields, CR LF after each row."""
    data = exported("entreprises", [sme()])
    assert data.startswith(b"\xef\xbb\xbfSIREN;Raison sociale;")
    assert data.count(b"\r\n") == 2


def test_amounts_have_a_decimal_comma_and_dates_are_french() -> None:
    """6 200 000,50 € is written 6200000,50; 1 March 2011 is 01/03/2011."""
    row = cells(exported("entreprises", [sme()]))[1]
    assert row[2:6] == ["01/03/2011", "42", "6200000,50", "3100000"]


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_a_text_cell_starting_like_a_formula_is_neutralised(start: str) -> None:
    """=, +, -, @, tab and CR at the start of a text get a leading apostrophe."""
    row = cells(exported("entreprises", [sme(name=f'{start}HYPERLINK("http://x")')]))[1]
    assert row[1] == f'\'{start}HYPERLINK("http://x")'


def test_a_negative_amount_stays_a_number() -> None:
    """An amount written by alize from a Decimal is a number, not text: not neutralised."""
    out = io.BytesIO()
    export_rows(["Solde"], [(Decimal("-1234.50"),)], out)
    assert cells(out.getvalue())[1] == ["-1234,50"]


def test_headings_are_neutralised_too() -> None:
    """A report's heading cannot carry a formula either."""
    out = io.BytesIO()
    export_rows(["=SUM(A1:A9)"], [("x",)], out)
    assert cells(out.getvalue())[0] == ["'=SUM(A1:A9)"]


def test_a_float_is_refused_on_export() -> None:
    """Amounts are Decimal: a binary float in a row is refused, naming it."""
    with pytest.raises(InvalidValue, match="binary float"):
        export_rows(["Montant"], [(0.1,)], io.BytesIO())


def test_a_row_of_the_wrong_width_is_refused() -> None:
    """Every row has one cell per heading."""
    with pytest.raises(InvalidValue, match=r"row 2: .* has 1 cells for 2 headings"):
        export_rows(["A", "B"], [("x", "y"), ("z",)], io.BytesIO())


def test_neutralising_is_undone_on_import() -> None:
    """A company named =1+1 comes back as =1+1, and one named '=x as '=x."""
    records = [sme(name="=1+1"), sme(name="'=x")]
    data = exported("entreprises", records)
    assert import_table(TABLES["entreprises"], io.BytesIO(data)).check() == tuple(records)
    assert neutralise("'=x") == "''=x"


@given(st.lists(smes(), max_size=5))
def test_any_smes_round_trip_through_the_sheet(records: list[Sme]) -> None:
    """Whatever the SMEs (accents, quotes, ; and line breaks in names), import gives them back."""
    data = exported("entreprises", list(records))
    assert import_table(TABLES["entreprises"], io.BytesIO(data)).check() == tuple(records)


def test_partners_and_representatives_round_trip() -> None:
    """The flags are written oui/non and read back."""
    partners = [PartnerCompany("ACIER", "Aciéries de l'Est", "555045673", True)]
    people = [CompanyRepresentative("R1", "ACIER"), CompanyRepresentative("R4", "ENERG", False)]
    for table, records in (("partenaires", partners), ("representants", people)):
        data = exported(table, list(records))
        assert import_table(TABLES[table], io.BytesIO(data)).check() == tuple(records)
    assert cells(exported("representants", list(people)))[2] == ["R4", "ENERG", "non"]


def test_a_file_saved_by_excel_in_windows_1252_is_read() -> None:
    """Excel's « CSV (séparateur : point-virgule) » has no BOM and is Windows-1252."""
    text = (
        "Identifiant;Raison sociale;SIREN;Accorde des prêts bonifiés\r\n"
        "ACIER;Aciéries de l'Est;555045673;OUI\r\n"
    )
    (partner,) = import_table(TABLES["partenaires"], io.BytesIO(text.encode("cp1252"))).check()
    assert partner == PartnerCompany("ACIER", "Aciéries de l'Est", "555045673", True)


def test_columns_are_found_by_heading_in_any_order() -> None:
    """Headings in another order, another case and without accents are recognised."""
    text = "EN ACTIVITE;entreprise partenaire;identifiant\r\nnon;ACIER;R2\r\n"
    (person,) = import_table(TABLES["representants"], io.BytesIO(text.encode())).check()
    assert person == CompanyRepresentative("R2", "ACIER", in_activity=False)


def test_every_problem_names_its_line_and_column() -> None:
    """Bad amount, bad date, empty required cell: each with its line and spreadsheet column."""
    data = exported("entreprises", [sme(), sme(), sme()]).decode("utf-8-sig")
    lines = data.split("\r\n")
    lines[1] = lines[1].replace("6200000,50", "six millions")
    lines[2] = lines[2].replace("01/03/2011", "31/02/2011")
    lines[3] = lines[3].replace("Usinage Meusien", "")
    result = import_table(TABLES["entreprises"], io.BytesIO("\r\n".join(lines).encode()))
    assert [p.path for p in result.problems] == [
        "line 2, column E (Chiffre d'affaires)",
        "line 3, column C (Date de création)",
        "line 4, column B (Raison sociale)",
    ]
    assert result.records == ()
    with pytest.raises(MalformedInput, match=r"\(and 2 more problems\)"):
        result.check()


@pytest.mark.parametrize("staff", ["²", "4²", "--4"])
def test_a_headcount_that_is_not_a_whole_number_is_reported_in_its_column(staff: str) -> None:
    """A superscript or a doubled sign is no headcount: reported in its column, not a crash."""
    data = exported("entreprises", [sme()]).decode("utf-8-sig").replace(";42;", f";{staff};")
    (problem,) = import_table(TABLES["entreprises"], io.BytesIO(data.encode())).problems
    assert problem.path == "line 2, column D (Effectif)"
    assert "is not a whole number" in problem.reason


def test_a_value_the_model_refuses_is_reported_in_its_column() -> None:
    """A SIREN with a wrong check digit is refused by the model, in column A."""
    data = exported("entreprises", [sme()]).replace(b"555012343", b"555012344")
    (problem,) = import_table(TABLES["entreprises"], io.BytesIO(data)).problems
    assert str(problem) == (
        "line 2, column A (SIREN): '555012344' is not a valid SIREN number (its check digit is wrong)"
    )


def test_a_missing_column_is_reported_on_the_heading_line() -> None:
    """A sheet without the SIREN column is refused at line 1."""
    text = "Raison sociale;Date de création\r\nX;01/01/2020\r\n"
    (problem,) = import_table(TABLES["entreprises"], io.BytesIO(text.encode())).problems
    assert problem.line == 1
    assert "SIREN" in problem.reason


def test_an_unknown_column_is_reported_with_its_letter() -> None:
    """A column the table does not have is named, with its letter."""
    text = "Identifiant;Entreprise partenaire;En activité;Commentaire\r\nR1;ACIER;oui;x\r\n"
    result = import_table(TABLES["representants"], io.BytesIO(text.encode()))
    assert [(p.line, p.column, p.header) for p in result.problems] == [(1, "D", "Commentaire")]
    assert len(result.records) == 1


def postings() -> list[Posting]:
    """A disbursement and a split repayment."""
    return [
        advance("AV-1", date(2026, 4, 2), "Avance P1", auxiliary=SME),
        repayment_with_fee("Remboursement", "Capital"),
    ]


def test_postings_are_one_row_per_line_and_read_back_whole() -> None:
    """Each line of a posting is a row; rows sharing a piece are read back as one posting."""
    data = exported("ecritures", list(postings()))
    assert len(cells(data)) == 6
    assert import_table(TABLES["ecritures"], io.BytesIO(data)).check() == tuple(postings())


def test_an_unbalanced_posting_in_a_sheet_is_reported_at_its_first_line() -> None:
    """A sheet whose repayment no longer balances: its first line (4) and the Débit column."""
    data = exported("ecritures", list(postings())).replace(b"520,83", b"520,84")
    (problem,) = import_table(TABLES["ecritures"], io.BytesIO(data)).problems
    assert (problem.line, problem.column, problem.header) == (4, "H", "Débit")
    assert "not balanced" in problem.reason


def test_a_schedule_is_exported_with_one_row_per_instalment() -> None:
    """An advance of 1 000 € in 7 monthly instalments (SCH-02): 7 rows, the last one 142,84."""
    schedule = build_schedule(
        LoanTerms(principal=Decimal("1000.00"), start=date(2026, 1, 31), instalments=7)
    )
    out = io.BytesIO()
    assert export_schedule(schedule, out) == 7
    rows = cells(out.getvalue())
    assert rows[0][:3] == ["N°", "Date d'échéance", "Échéance"]
    assert rows[1][:3] == ["1", "28/02/2026", "142,86"]
    assert rows[7][2] == "142,84"


def test_the_command_writes_a_table_from_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize export csv entreprises --input FILE.json --output FILE.csv`."""
    source = tmp_path / "smes.json"
    source.write_text(json.dumps([unstructure(sme(name="@Usinage"))]), "utf-8")
    target = tmp_path / "entreprises.csv"
    argv = ["export", "csv", "entreprises", "--input", str(source), "--output", str(target)]
    assert main(argv) == 0
    assert cells(target.read_bytes())[1][1] == "'@Usinage"
    assert "1 rows written" in capsys.readouterr().err


def test_the_command_names_a_bad_record_in_the_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed record is named by its index and field; no file is written."""
    data = [unstructure(sme())]
    data[0]["staff"] = "beaucoup"
    source = tmp_path / "smes.json"
    source.write_text(json.dumps(data), "utf-8")
    target = tmp_path / "entreprises.csv"
    argv = ["export", "csv", "entreprises", "--input", str(source), "--output", str(target)]
    assert main(argv) == 1
    assert "[0].staff" in capsys.readouterr().err
    assert not target.exists()


def test_format_kinds_are_the_ones_declared() -> None:
    """A column declared as an amount refuses text that is not one."""
    with pytest.raises(InvalidValue):
        export_rows(["Montant"], [("abc",)], io.BytesIO(), kinds=[ColumnKind.AMOUNT])


def test_the_import_command_prints_records_and_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize import csv representants FILE` prints JSON records and each problem's place."""
    sheet = tmp_path / "representants.csv"
    sheet.write_text("Identifiant;Entreprise partenaire;En activité\r\nR1;ACIER;oui\r\nR2;;non\r\n")
    assert main(["import", "csv", "representants", str(sheet)]) == 1
    captured = capsys.readouterr()
    assert json.loads(captured.out) == [{"id": "R1", "company": "ACIER", "in_activity": True}]
    assert "line 3, column B (Entreprise partenaire): is empty" in captured.err


def test_a_date_with_a_number_too_large_for_a_date_is_a_problem_of_its_column() -> None:
    """A creation date such as 01/03/99999999999999999999 is named, not an OverflowError."""
    data = exported("entreprises", [sme()]).decode("utf-8-sig")
    huge = data.replace("01/03/2011", "01/03/99999999999999999999")

    result = import_table(TABLES["entreprises"], io.BytesIO(huge.encode()))

    assert [p.path for p in result.problems] == ["line 2, column C (Date de création)"]


def test_a_headcount_of_five_thousand_digits_is_reported_in_its_column() -> None:
    """Python refuses to read a whole number of over 4,300 digits: a problem of its column, not a crash."""
    data = exported("entreprises", [sme()]).decode("utf-8-sig").replace(";42;", f";{'9' * 5000};")
    (problem,) = import_table(TABLES["entreprises"], io.BytesIO(data.encode())).problems
    assert problem.path == "line 2, column D (Effectif)"
    assert "has more than 18 digits" in problem.reason
