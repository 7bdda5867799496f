"""The FEC writer and validator (article A47 A-1 LPF)."""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from fec_parser.parser import FECParser
from hypothesis import given
from hypothesis import strategies as st

from alize_adapters.cli import main
from alize_adapters.connectors import (
    FEC_COLUMNS,
    FecEncoding,
    FecEntry,
    FecSeparator,
    FecWriter,
    FiscalYear,
    check_fec,
    export_fec,
    parse_fec_filename,
    write_fec,
)
from alize_core import InvalidValue
from alize_core.accounting import Account, Posting, PostingLine
from alize_core.kernel import unstructure

from .sample_postings import CHART, SME, advance, repayment_with_fee


YEAR = FiscalYear(date(2026, 1, 1), date(2026, 12, 31))
NAME = "555012343FEC20261231.txt"


def disbursement(number: int, on: date, amount: str = "25000.00", journal: str = "BQ") -> Posting:
    """An advance paid out of the fund's bank account."""
    return advance(f"AV-{number}", on, f"Avance n°{number}", amount, journal=journal, auxiliary=SME)


def sample_year() -> list[Posting]:
    """Opening entry, two advances, a three-line repayment split."""
    opening = Posting.transfer(
        id="AN-2026",
        on=date(2026, 1, 1),
        journal="AN",
        label="À-nouveaux",
        debit=CHART.account("bank"),
        credit=CHART.account("contributions"),
        amount=Decimal("120000.00"),
    )
    return [
        opening,
        disbursement(1, date(2026, 3, 2)),
        disbursement(2, date(2026, 4, 15), "1234567.89"),
        repayment_with_fee("Remboursement et frais", "Remboursement"),
    ]


def fec_bytes(entries: Sequence[Posting | FecEntry], **options: object) -> bytes:
    out = io.BytesIO()
    write_fec(entries, out, fiscal_year=YEAR, **options)  # type: ignore[arg-type]
    return out.getvalue()


def rows(data: bytes, separator: str = "\t", encoding: str = "utf-8") -> list[list[str]]:
    return [line.split(separator) for line in data.decode(encoding).split("\r\n") if line]


def renumber_from(data: bytes, line: int, shift: int) -> bytes:
    table = rows(data)
    for row in table[line - 1 :]:
        row[2] = str(int(row[2]) + shift)
    return "".join("\t".join(row) + "\r\n" for row in table).encode()


def check(data: bytes, name: str = NAME) -> list[tuple[int, str, str]]:
    report = check_fec(io.BytesIO(data), name=name)
    return [(f.line, f.field, f.code) for f in report.errors]


def replace_field(data: bytes, line: int, column: str, value: str) -> bytes:
    table = rows(data)
    table[line - 1][FEC_COLUMNS.index(column)] = value
    return "".join("\t".join(row) + "\r\n" for row in table).encode()


# -- writer ---------------------------------------------------------------------------------


def test_the_header_names_the_18_fields_in_the_laws_order() -> None:
    """The first line holds the 18 field names of the IS/BIC layout, in order."""
    assert rows(fec_bytes(sample_year()))[0] == list(FEC_COLUMNS)
    assert len(FEC_COLUMNS) == 18


def test_every_line_has_18_fields() -> None:
    """Every entry line has as many fields as the header."""
    assert {len(row) for row in rows(fec_bytes(sample_year()))} == {18}


def test_our_fec_passes_our_validator() -> None:
    """A year of postings written by alize is a compliant FEC."""
    report = check_fec(io.BytesIO(fec_bytes(sample_year())), name=NAME)
    assert report.ok, [str(f) for f in report.findings]
    assert (report.lines, report.entries) == (9, 4)
    assert report.total_debit == report.total_credit == Decimal("1380088.72")


def test_amounts_have_a_decimal_comma_and_no_thousands_separator() -> None:
    """1 234 567,89 € is written 1234567,89; the other column of the line is 0,00."""
    line = rows(fec_bytes(sample_year()))[5]
    assert (line[11], line[12]) == ("1234567,89", "0,00")


def test_dates_are_written_aaaammjj() -> None:
    """Entry, piece and validation dates are eight digits, year first."""
    line = rows(fec_bytes(sample_year()))[3]
    assert (line[3], line[9], line[15]) == ("20260302", "20260302", "20260302")


def test_entries_are_numbered_continuously_in_the_order_given() -> None:
    """EcritureNum runs 1, 2, 3… one number per entry, shared by its lines."""
    numbers = [row[2] for row in rows(fec_bytes(sample_year()))[1:]]
    assert numbers == ["1", "1", "2", "2", "3", "3", "4", "4", "4"]


def test_the_validation_date_and_piece_date_come_from_the_entry() -> None:
    """ValidDate is when the entry was validated, PieceDate the document's date."""
    entry = FecEntry(disbursement(1, date(2026, 3, 2)), date(2026, 3, 5), date(2026, 2, 27))
    line = rows(fec_bytes([entry]))[1]
    assert (line[3], line[9], line[15]) == ("20260302", "20260227", "20260305")


def test_the_auxiliary_account_goes_with_its_label() -> None:
    """CompAuxNum and CompAuxLib carry the SME's SIREN and name, or are both blank."""
    table = rows(fec_bytes(sample_year()))
    assert (table[3][6], table[3][7]) == ("555012343", "Usinage Meusien")
    assert (table[1][6], table[1][7]) == ("", "")


def test_a_separator_inside_a_label_becomes_a_space() -> None:
    """A tab or a line break typed in a label cannot break the file's structure."""
    posting = advance("AV-9", date(2026, 3, 2), "Avance\tligne\nsuivante", "10.00")
    line = rows(fec_bytes([posting]))[1]
    assert line[10] == "Avance ligne suivante"


def test_pipe_separator_and_iso_8859_15_give_a_compliant_file() -> None:
    """The | separator and ISO 8859-15 (with its € and Œ) are the law's other choices."""
    posting = advance("AV-1", date(2026, 3, 2), "Œuvre | 10 €", "10.00")
    data = fec_bytes([posting], separator=FecSeparator.PIPE, encoding=FecEncoding.ISO_8859_15)
    assert rows(data, "|", "iso-8859-15")[1][10] == "Œuvre   10 €"
    report = check_fec(io.BytesIO(data), name=NAME)
    assert report.ok
    assert (report.separator, report.encoding) == (FecSeparator.PIPE, FecEncoding.ISO_8859_15)


def test_text_iso_8859_15_cannot_write_is_refused() -> None:
    """A label in a script ISO 8859-15 lacks is refused, never silently replaced."""
    posting = disbursement(1, date(2026, 3, 2))
    polish = Posting(posting.id, posting.on, posting.journal, "Prêt Łódź", posting.lines)
    fec = io.BytesIO()
    writer = FecWriter(fec, fiscal_year=YEAR, encoding=FecEncoding.ISO_8859_15)
    writer.write(disbursement(0, date(2026, 3, 1)))
    with pytest.raises(
        InvalidValue, match=r"EcritureLib: .Prêt Łódź. cannot be written in ISO 8859-15"
    ):
        writer.write(
            Posting(
                "AV-2",
                posting.on,
                "BQ",
                "Prêt",
                tuple(
                    PostingLine(line.account, "Prêt Łódź", debit=line.debit, credit=line.credit)
                    for line in polish.lines
                ),
            )
        )
    assert writer.close().entries == 1


def test_a_posting_outside_the_fiscal_year_is_refused() -> None:
    """An entry dated after the closing date does not belong in this year's FEC."""
    with pytest.raises(InvalidValue, match="outside the fiscal year"):
        fec_bytes([disbursement(1, date(2027, 1, 4))])


def test_entries_out_of_validation_order_are_refused() -> None:
    """The FEC lists entries in the order they were validated."""
    late = FecEntry(disbursement(1, date(2026, 3, 2)), date(2026, 3, 10))
    early = FecEntry(disbursement(2, date(2026, 3, 3)), date(2026, 3, 4))
    with pytest.raises(InvalidValue, match="order they were validated"):
        fec_bytes([late, early])


def test_opening_entries_after_others_are_refused() -> None:
    """The first numbers go to the opening entries (à-nouveaux)."""
    entries = sample_year()
    with pytest.raises(InvalidValue, match="opening entries come first"):
        fec_bytes([FecEntry(entries[1], date(2026, 1, 1)), entries[0]])


def test_a_journal_without_a_label_is_refused() -> None:
    """JournalLib is mandatory: an unknown journal code needs its label."""
    with pytest.raises(InvalidValue, match="journal: 'ZZ'"):
        fec_bytes([disbursement(1, date(2026, 3, 2), journal="ZZ")])


def test_an_operators_own_journal_labels_are_used() -> None:
    """An operator names its journals as its accountant does."""
    data = fec_bytes([disbursement(1, date(2026, 3, 2), journal="ZZ")], journals={"ZZ": "Fonds"})
    assert rows(data)[1][:2] == ["ZZ", "Fonds"]


def test_the_writer_streams_lines_before_the_last_entry_is_produced() -> None:
    """Lines reach the file while entries are still coming: memory does not hold the year."""
    out = io.BytesIO()
    seen: list[int] = []

    def entries() -> Iterator[Posting]:
        start = date(2026, 1, 1)
        for number in range(5000):
            seen.append(len(out.getvalue()))
            yield disbursement(number, start + timedelta(days=number // 20))

    summary = write_fec(entries(), out, fiscal_year=YEAR)
    assert summary.lines == 10_000
    assert seen[-1] > 0


def test_export_names_the_file_siren_fec_closing_date_and_writes_its_description(
    tmp_path: Path,
) -> None:
    """<SIREN>FEC<AAAAMMJJ>.txt, and the description file the law requires."""
    result = export_fec(sample_year(), tmp_path, siren="555012343", fiscal_year=YEAR)
    assert result.path.name == NAME
    assert parse_fec_filename(result.path.name) == ("555012343", date(2026, 12, 31))
    description = result.description_path.read_text("utf-8")
    assert "tabulation" in description
    assert "de 1 à 4" in description
    assert "BQ     Banque" in description
    assert check_fec(result.path).ok


def test_a_refused_export_leaves_no_file_behind(tmp_path: Path) -> None:
    """A failed export changes nothing in the directory."""
    entries = [*sample_year(), disbursement(9, date(2027, 2, 1))]
    with pytest.raises(InvalidValue):
        export_fec(entries, tmp_path, siren="555012343", fiscal_year=YEAR)
    assert list(tmp_path.iterdir()) == []


def test_an_invalid_siren_gives_no_file_name() -> None:
    """The SIREN of the file name must pass its check digit."""
    with pytest.raises(InvalidValue, match="SIREN"):
        export_fec([], Path("/nonexistent"), siren="555012344", fiscal_year=YEAR)


def test_an_independent_reader_gets_our_totals() -> None:
    """fec-parser (PyPI), which knows nothing of alize, reads the same amounts."""
    data = fec_bytes(sample_year())
    lines = list(FECParser.from_bytesio(io.BytesIO(data)).get_ecritures())
    assert len(lines) == 9
    assert sum(line.debit for line in lines) == Decimal("1380088.72")
    assert sum(line.credit for line in lines) == Decimal("1380088.72")


amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999999.99"), places=2)


@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=364), amounts, st.integers(1, 4)),
        min_size=1,
        max_size=30,
    )
)
def test_any_sequence_of_balanced_postings_gives_a_compliant_fec(
    items: list[tuple[int, Decimal, int]],
) -> None:
    """Whatever the postings, the file validates and its totals are theirs."""
    postings = []
    for number, (day, amount, splits) in enumerate(sorted(items)):
        part = (amount / splits).quantize(Decimal("0.01"))
        parts = [part] * (splits - 1) + [amount - part * (splits - 1)]
        lines = [PostingLine(CHART.account("advances"), "Avance", debit=amount)]
        lines += [PostingLine(CHART.account("bank"), "Banque", credit=p) for p in parts if p > 0]
        if any(p <= 0 for p in parts):
            lines = [lines[0], PostingLine(CHART.account("bank"), "Banque", credit=amount)]
        on = YEAR.start + timedelta(days=day)
        postings.append(Posting(f"P{number}", on, "BQ", "Avance", tuple(lines)))
    report = check_fec(io.BytesIO(fec_bytes(postings)), name=NAME)
    assert report.ok, [str(f) for f in report.findings]
    assert report.entries == len(postings)
    assert report.lines == sum(len(p.lines) for p in postings)
    assert report.total_debit == sum((p.total_debit for p in postings), Decimal(0))


# -- validator: corrupted files are rejected line by line -------------------------------------


@pytest.mark.parametrize(
    ("changes", "findings"),
    [
        pytest.param(
            # Σ debit ≠ Σ credit in entry 2 (lines 4–5): at its first line, and the file too.
            [(4, "Debit", "24000,00")],
            [(4, "Debit", "unbalanced_entry"), (0, "Debit", "unbalanced_file")],
            id="an_unbalanced_entry_at_its_first_line",
        ),
        pytest.param(
            [(5, "PieceDate", "20260230")],  # 30 February is not a date.
            [(5, "PieceDate", "date")],
            id="a_date_that_does_not_exist",
        ),
        pytest.param(
            [(2, "JournalLib", ""), (2, "PieceRef", "")],  # They may not be blank.
            [(2, "JournalLib", "mandatory"), (2, "PieceRef", "mandatory")],
            id="empty_mandatory_fields",
        ),
        pytest.param(
            # A lettering code without its date, an auxiliary account without its label.
            [(3, "EcritureLet", "AA"), (4, "CompAuxLib", "")],
            [(3, "DateLet", "pair"), (4, "CompAuxLib", "pair")],
            id="optional_fields_blank_in_pairs",
        ),
        pytest.param(
            [(3, "CompteNum", "51A")],  # The first three characters are digits of the chart.
            [(3, "CompteNum", "account")],
            id="an_account_not_starting_with_three_digits",
        ),
        pytest.param(
            [(2, "Debit", "120 000,00"), (3, "Credit", "120000.00")],
            [(2, "Debit", "amount"), (3, "Credit", "amount")],
            id="an_amount_with_a_thousands_separator_or_a_point",
        ),
        pytest.param(
            # Exactly one of Debit and Credit is non-zero on each line.
            [(2, "Credit", "1,00"), (3, "Debit", "1,00")],
            [(2, "Debit", "debit_credit"), (3, "Debit", "debit_credit")],
            id="a_line_with_both_debit_and_credit",
        ),
        pytest.param(
            [(5, "EcritureDate", "20260416"), (5, "ValidDate", "20260416")],
            [(5, "EcritureDate", "entry_dates"), (5, "ValidDate", "entry_dates")],
            id="lines_of_one_entry_with_other_dates",
        ),
        pytest.param(
            # An entry validated before the one above it breaks the chronological order.
            [(6, "ValidDate", "20260301"), (7, "ValidDate", "20260301")],
            [(6, "ValidDate", "validation_order")],
            id="entries_out_of_validation_order",
        ),
        pytest.param(
            [(8, "EcritureNum", "2"), (9, "EcritureNum", "2"), (10, "EcritureNum", "2")],
            [(8, "EcritureNum", "numbering")],
            id="a_repeated_entry_number",
        ),
    ],
)
def test_a_corrupted_field_is_reported_with_its_line_and_the_rule_it_breaks(
    changes: list[tuple[int, str, str]], findings: list[tuple[int, str, str]]
) -> None:
    """Fields changed in a compliant FEC are reported each at its line, with its field and rule."""
    data = fec_bytes(sample_year())
    for line, column, value in changes:
        data = replace_field(data, line, column, value)
    assert check(data) == findings


def test_a_gap_in_the_numbering_is_reported_on_its_line() -> None:
    """Entries 3 and 4 renumbered 4 and 5 (from line 6): number 3 is missing, at line 6."""
    data = renumber_from(fec_bytes(sample_year()), 6, 1)
    report = check_fec(io.BytesIO(data), name=NAME)
    assert [(f.line, f.code) for f in report.errors] == [(6, "numbering")]
    assert "« 4 » suit « 2 » : 1 numéro(s) manquant(s)" in report.errors[0].message


def test_a_corrupted_fec_is_rejected_line_by_line() -> None:
    """Unbalanced entry, gap in numbering and bad date at once: each on its own line."""
    data = fec_bytes(sample_year())
    data = replace_field(data, 3, "Credit", "120000,01")
    data = renumber_from(data, 6, 1)
    data = replace_field(data, 9, "PieceDate", "20260532")
    assert check(data) == [
        (2, "Debit", "unbalanced_entry"),
        (6, "EcritureNum", "numbering"),
        (9, "PieceDate", "date"),
        (0, "Debit", "unbalanced_file"),
    ]


def test_a_wrong_header_is_reported() -> None:
    """A renamed field in the header is named with its position."""
    data = fec_bytes(sample_year()).replace(b"CompteLib", b"CompteLibelle", 1)
    report = check_fec(io.BytesIO(data), name=NAME)
    assert [(f.line, f.code) for f in report.errors] == [(1, "header")]
    assert "champ 6" in report.errors[0].message


def test_a_line_with_a_missing_field_is_reported() -> None:
    """A line with 17 fields is out of shape."""
    table = rows(fec_bytes(sample_year()))
    table[2] = table[2][:-1]
    data = "".join("\t".join(row) + "\r\n" for row in table).encode()
    assert check(data) == [
        (2, "Debit", "unbalanced_entry"),
        (3, "ligne", "field_count"),
        (0, "Debit", "unbalanced_file"),
    ]


def test_a_line_with_neither_debit_nor_credit_is_refused() -> None:
    """A line with 0,00 on both sides says nothing."""
    table = rows(fec_bytes(sample_year()))
    extra = [*table[9][:11], "0,00", "0,00", *table[9][13:]]
    table.insert(10, extra)
    data = "".join("\t".join(row) + "\r\n" for row in table).encode()
    assert check(data) == [(11, "Debit", "debit_credit")]


def test_an_entry_dated_outside_the_fiscal_year_is_reported() -> None:
    """The closing date in the file name sets the fiscal year checked."""
    data = fec_bytes(sample_year())
    assert check(data, "555012343FEC20251231.txt") == [
        (line, "EcritureDate", "fiscal_year") for line in range(2, 11)
    ]


def test_an_invalid_siren_in_the_file_name_is_reported() -> None:
    """The SIREN of the name must pass its Luhn check."""
    report = check_fec(io.BytesIO(fec_bytes(sample_year())), name="555012344FEC20261231.txt")
    assert [(f.line, f.code) for f in report.errors] == [(0, "filename")]
    assert "SIREN" in report.errors[0].message


def test_a_file_name_without_the_fec_pattern_is_reported() -> None:
    """export.txt is not <SIREN>FEC<AAAAMMJJ>."""
    assert check(fec_bytes(sample_year()), "export.txt") == [(0, "nom du fichier", "filename")]


def test_per_journal_numbering_accepts_one_sequence_per_journal() -> None:
    """Some software numbers each journal on its own: BQ 1, 2 and OD 1 are continuous."""
    posting = disbursement(1, date(2026, 6, 1), journal="OD")
    data = fec_bytes([*sample_year()[1:], posting])
    data = replace_field(replace_field(data, 9, "EcritureNum", "1"), 10, "EcritureNum", "1")
    assert check_fec(io.BytesIO(data), name=NAME, per_journal=True).ok
    assert not check_fec(io.BytesIO(data), name=NAME).ok


def test_mixed_character_sets_are_reported() -> None:
    """A file is in one character set: UTF-8 lines then a Latin-9 line is an error."""
    data = fec_bytes(sample_year()).replace("Avance n°2".encode(), "Avance n°2".encode("latin-1"))
    assert check(data) == [(6, "fichier", "encoding")]


def test_an_empty_file_is_reported() -> None:
    """A FEC has at least its header."""
    assert check(b"") == [(1, "en-tête", "header")]


def test_tryton_style_opening_entries_numbered_zero_are_accepted() -> None:
    """Tryton numbers its opening balance 0 (journal OUV), then its moves from 1."""
    table = rows(fec_bytes(sample_year()))
    table[1][:3] = table[2][:3] = ["OUV", "Balance Initiale", "0"]
    for row in table[3:]:
        row[2] = str(int(row[2]) - 1)
    data = "".join("\t".join(row) + "\r\n" for row in table).encode()
    assert check_fec(io.BytesIO(data), name=NAME).ok


# -- command line -----------------------------------------------------------------------------


def test_the_command_checks_a_compliant_fec(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize export fec --check FILE` says conforme and exits 0."""
    result = export_fec(sample_year(), tmp_path, siren="555012343", fiscal_year=YEAR)
    assert main(["export", "fec", "--check", str(result.path)]) == 0
    assert "conforme — 9 lignes, 4 écritures, 0 erreur(s)" in capsys.readouterr().out


def test_the_command_rejects_a_corrupted_fec_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each problem is printed with its line; the exit status is 1."""
    path = tmp_path / NAME
    data = replace_field(fec_bytes(sample_year()), 5, "EcritureDate", "20261301")
    path.write_bytes(replace_field(data, 6, "Debit", "1,00"))
    assert main(["export", "fec", "--check", str(path)]) == 1
    captured = capsys.readouterr()
    assert f"{path}: ligne 5, EcritureDate : « 20261301 » n'est pas une date réelle" in captured.out
    assert "ligne 6, Debit" in captured.out
    assert "NON CONFORME" in captured.err


def test_the_command_writes_a_fec_from_json_postings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize export fec --postings` writes the FEC and its description."""
    import json

    source = tmp_path / "postings.json"
    source.write_text(json.dumps([unstructure(p) for p in sample_year()]), "utf-8")
    argv = ["export", "fec", "--postings", str(source), "--siren", "555012343"]
    argv += ["--end", "2026-12-31", "--output-dir", str(tmp_path / "out"), "--separator", "pipe"]
    assert main(argv) == 0
    assert "9 lines, 4 entries" in capsys.readouterr().out
    report = check_fec(tmp_path / "out" / NAME)
    assert report.ok
    assert report.separator is FecSeparator.PIPE


def test_the_command_names_a_bad_posting_in_the_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A malformed amount is reported with its path, and nothing is written."""
    import json

    data = [unstructure(p) for p in sample_year()]
    data[2]["lines"][0]["debit"] = "douze"
    source = tmp_path / "postings.json"
    source.write_text(json.dumps(data), "utf-8")
    argv = ["export", "fec", "--postings", str(source), "--siren", "555012343"]
    argv += ["--end", "2026-12-31", "--output-dir", str(tmp_path / "out")]
    assert main(argv) == 1
    assert "lines[0].debit: 'douze'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_account_labels_may_hold_the_pipe_separator_in_tab_files() -> None:
    """Only the separator in use is replaced: a | stays in a tab-separated file."""
    account = Account("512", "Banque | fonds")
    posting = Posting(
        "X",
        date(2026, 3, 2),
        "BQ",
        "Virement",
        (
            PostingLine(account, "Virement", debit=Decimal("1.00")),
            PostingLine(CHART.account("advances"), "Virement", credit=Decimal("1.00")),
        ),
    )
    assert rows(fec_bytes([posting]))[1][5] == "Banque | fonds"


def test_a_label_holding_a_lone_surrogate_is_refused_in_utf_8() -> None:
    """A label that is no text (a lone surrogate, as a damaged JSON file may give) is refused."""
    posting = disbursement(1, date(2026, 3, 2))
    writer = FecWriter(io.BytesIO(), fiscal_year=YEAR)
    broken = tuple(
        PostingLine(line.account, "Prêt \udcff", debit=line.debit, credit=line.credit)
        for line in posting.lines
    )

    with pytest.raises(InvalidValue, match=r"EcritureLib: .* no text \(a lone surrogate\)"):
        writer.write(Posting("AV-2", posting.on, "BQ", "Prêt", broken))
