"""Reading INSEE's SIRENE open-data files (small synthetic extracts in the official format)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from stdnum import luhn

from alize_adapters.cli import main
from alize_adapters.connectors import (
    ActivityCode,
    AdministrativeState,
    LegalUnit,
    company_records,
    read_establishments,
    read_legal_units,
)
from alize_adapters.testing.strategies import sirens
from alize_core import InvalidValue, MalformedInput


# The first columns of StockUniteLegale, in INSEE's order (the real file has more).
UNIT_HEADER = [
    "siren",
    "statutDiffusionUniteLegale",
    "unitePurgeeUniteLegale",
    "dateCreationUniteLegale",
    "sigleUniteLegale",
    "sexeUniteLegale",
    "prenom1UniteLegale",
    "prenomUsuelUniteLegale",
    "identifiantAssociationUniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "dateDernierTraitementUniteLegale",
    "categorieEntreprise",
    "etatAdministratifUniteLegale",
    "nomUniteLegale",
    "denominationUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "activitePrincipaleNAF25UniteLegale",
    "nicSiegeUniteLegale",
    "economieSocialeSolidaireUniteLegale",
]
ESTABLISHMENT_HEADER = [
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "dateCreationEtablissement",
    "trancheEffectifsEtablissement",
    "etablissementSiege",
    "numeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "codeCommuneEtablissement",
    "etatAdministratifEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
]


def csv_text(header: list[str], rows: list[dict[str, str]]) -> io.StringIO:
    """A SIRENE extract: comma-separated, quoted as INSEE quotes, UTF-8 text."""
    out = io.StringIO()
    writer = csv.DictWriter(out, header, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in header})
    out.seek(0)
    return out


def unit(**values: str) -> dict[str, str]:
    """A legal unit row: an active SME of the Meuse, with overrides."""
    base = {
        "siren": "555012343",
        "statutDiffusionUniteLegale": "O",
        "dateCreationUniteLegale": "2011-03-01",
        "trancheEffectifsUniteLegale": "12",
        "anneeEffectifsUniteLegale": "2023",
        "categorieEntreprise": "PME",
        "etatAdministratifUniteLegale": "A",
        "denominationUniteLegale": "USINAGE MEUSIEN",
        "categorieJuridiqueUniteLegale": "5710",
        "activitePrincipaleUniteLegale": "25.62B",
        "nomenclatureActivitePrincipaleUniteLegale": "NAFRev2",
        "activitePrincipaleNAF25UniteLegale": "25.62B",
        "nicSiegeUniteLegale": "00011",
        "economieSocialeSolidaireUniteLegale": "N",
    }
    return {**base, **values}


def establishment(**values: str) -> dict[str, str]:
    """An establishment row: the head office of the SME above, with overrides."""
    base = {
        "siren": "555012343",
        "nic": "00011",
        "siret": "55501234300011",
        "statutDiffusionEtablissement": "O",
        "etablissementSiege": "true",
        "numeroVoieEtablissement": "12",
        "typeVoieEtablissement": "RUE",
        "libelleVoieEtablissement": "DES FORGES",
        "codePostalEtablissement": "55100",
        "libelleCommuneEtablissement": "VERDUN",
        "codeCommuneEtablissement": "55545",
        "etatAdministratifEtablissement": "A",
        "activitePrincipaleEtablissement": "25.62B",
        "nomenclatureActivitePrincipaleEtablissement": "NAFRev2",
    }
    return {**base, **values}


def one_unit(**values: str) -> LegalUnit:
    """The company read from an extract of one legal unit: the SME above, with overrides."""
    (company,) = read_legal_units(csv_text(UNIT_HEADER, [unit(**values)])).records
    return company


def siret_with_luhn(siren: str, nic_body: str) -> str:
    """A SIRET whose last digit makes the Luhn key right."""
    body = siren + nic_body
    return body + luhn.calc_check_digit(body)


def test_a_company_is_read_from_its_official_columns() -> None:
    """Name, state, creation date, category, headcount band and head office come across."""
    result = read_legal_units(csv_text(UNIT_HEADER, [unit()]))
    (company,) = result.records
    assert result.problems == ()
    assert (company.siren, company.name, company.state) == (
        "555012343",
        "USINAGE MEUSIEN",
        AdministrativeState.ACTIVE,
    )
    assert (company.category, company.headcount_band, company.head_office_nic) == (
        "PME",
        "12",
        "00011",
    )
    assert company.created is not None
    assert company.created.isoformat() == "2011-03-01"


def test_columns_alize_does_not_read_are_listed() -> None:
    """The official file has more columns; those ignored are named, not silently dropped."""
    result = read_legal_units(csv_text(UNIT_HEADER, [unit()]))
    assert result.ignored == (
        "unitePurgeeUniteLegale",
        "sexeUniteLegale",
        "prenomUsuelUniteLegale",
    )


def test_the_activity_code_is_stored_with_its_nomenclature() -> None:
    """APE 25.62B in NAF rév. 2, and the NAF 2025 code beside it."""
    company = one_unit()
    assert company.activity == ActivityCode("25.62B", "NAFRev2")
    assert company.activity_naf2025 == ActivityCode("25.62B", "NAF2025")
    assert company.activity is not None
    assert company.activity.nace_label == "Machining"


def test_a_code_that_is_not_a_class_of_its_nomenclature_is_refused() -> None:
    """62.01 exists in NACE Rev. 2 but not in Rev. 2.1 (it became 62.10)."""
    assert ActivityCode("62.10Z", "NAF2025").nace_label == "Computer programming activities"
    with pytest.raises(InvalidValue, match="is not a class of NAF2025"):
        ActivityCode("62.01Z", "NAF2025")


def test_older_nomenclatures_are_kept_as_written() -> None:
    """A ceased company may carry a NAF 1993 or NAP code: kept, with its nomenclature."""
    company = one_unit(
        activitePrincipaleUniteLegale="28.5D",
        nomenclatureActivitePrincipaleUniteLegale="NAF1993",
        activitePrincipaleNAF25UniteLegale="",
        etatAdministratifUniteLegale="C",
    )
    assert company.activity is not None
    assert str(company.activity) == "28.5D (NAF1993)"
    assert company.activity.nace_label is None


def test_an_unknown_nomenclature_is_refused() -> None:
    """A nomenclature SIRENE does not use is an error, not a guess."""
    with pytest.raises(InvalidValue, match="is not a SIRENE nomenclature"):
        ActivityCode("25.62B", "ISIC4")


def test_a_bad_siren_names_its_line_and_column_and_the_rest_is_read() -> None:
    """Line 3 has a wrong check digit: reported; lines 2 and 4 are read."""
    rows = [unit(), unit(siren="555012344"), unit(siren="555023456")]
    result = read_legal_units(csv_text(UNIT_HEADER, rows))
    assert [c.siren for c in result.records] == ["555012343", "555023456"]
    (problem,) = result.problems
    assert str(problem) == (
        "line 3, column siren: '555012344' is not a valid SIREN number (its check digit is wrong)"
    )


def test_a_sole_traders_name_is_first_name_and_surname() -> None:
    """A sole trader has no dénomination: the name is prénom + nom."""
    company = one_unit(
        denominationUniteLegale="", prenom1UniteLegale="Claire", nomUniteLegale="LEFEVRE"
    )
    assert company.name == "Claire LEFEVRE"


def test_a_partially_non_diffusible_person_stays_hidden() -> None:
    """statutDiffusion P: the personal name is withheld, and no CRM record is made of it."""
    company = one_unit(
        statutDiffusionUniteLegale="P",
        denominationUniteLegale="",
        prenom1UniteLegale="[ND]",
        nomUniteLegale="[ND]",
    )
    assert company.partially_diffusible
    assert company.name is None
    assert company_records([company]) == ()


def test_an_association_number_must_be_an_rna_number() -> None:
    """identifiantAssociation is W followed by nine digits."""
    rows = [
        unit(identifiantAssociationUniteLegale="W551234567"),
        unit(siren="555023456", identifiantAssociationUniteLegale="551234567"),
    ]
    result = read_legal_units(csv_text(UNIT_HEADER, rows))
    assert result.records[0].association == "W551234567"
    assert [(p.line, p.column) for p in result.problems] == [
        (3, "identifiantAssociationUniteLegale")
    ]


def test_a_file_without_the_official_columns_is_refused() -> None:
    """A file that is not a SIRENE extract is refused whole."""
    with pytest.raises(MalformedInput, match="is not a SIRENE file"):
        read_legal_units(io.StringIO("SIREN;NOM\n555012343;X\n"))


def test_an_establishment_is_read_with_its_address_and_commune() -> None:
    """The head office's street, postal code and INSEE commune code come across."""
    (site,) = read_establishments(csv_text(ESTABLISHMENT_HEADER, [establishment()])).records
    assert (site.siret, site.nic, site.head_office) == ("55501234300011", "00011", True)
    assert (site.street, site.postal_code, site.city, site.commune) == (
        "12 RUE DES FORGES",
        "55100",
        "VERDUN",
        "55545",
    )


def test_la_posts_sirets_follow_their_exception() -> None:
    """La Poste (SIREN 356000000): a digit sum divisible by 5 suffices, without Luhn."""
    rows = [
        establishment(siren="356000000", nic="49837", siret="35600000049837"),
        establishment(siren="356000000", nic="49838", siret="35600000049838"),
    ]
    result = read_establishments(csv_text(ESTABLISHMENT_HEADER, rows))
    assert [site.siret for site in result.records] == ["35600000049837"]
    assert [(p.line, p.column) for p in result.problems] == [(3, "siret")]


def test_an_ordinary_siret_needs_its_luhn_key() -> None:
    """Outside La Poste, the 14 digits pass the Luhn check or the line is refused."""
    good = siret_with_luhn("555012343", "0002")
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    rows = [establishment(nic=good[9:], siret=good), establishment(nic=bad[9:], siret=bad)]
    result = read_establishments(csv_text(ESTABLISHMENT_HEADER, rows))
    assert [site.siret for site in result.records] == [good]
    assert "check digit is wrong" in result.problems[0].reason


def test_a_siret_of_another_company_is_refused() -> None:
    """The SIRET must start with the SIREN of its line."""
    row = establishment(siren="555023456")
    (problem,) = read_establishments(csv_text(ESTABLISHMENT_HEADER, [row])).problems
    assert (problem.line, problem.column) == (2, "siren")


def test_a_commune_code_must_be_insee_s() -> None:
    """codeCommune has five characters (2A/2B for Corsica)."""
    rows = [
        establishment(codeCommuneEtablissement="2A004"),
        establishment(codeCommuneEtablissement="551"),
    ]
    result = read_establishments(csv_text(ESTABLISHMENT_HEADER, rows))
    assert result.records[0].commune == "2A004"
    assert [(p.line, p.column) for p in result.problems] == [(3, "codeCommuneEtablissement")]


def test_company_records_take_the_commune_of_the_active_head_office() -> None:
    """Active named units become CRM records located at their head office; ceased ones do not."""
    units = read_legal_units(
        csv_text(UNIT_HEADER, [unit(), unit(siren="555023456", etatAdministratifUniteLegale="C")])
    ).records
    sites = read_establishments(
        csv_text(
            ESTABLISHMENT_HEADER,
            [
                establishment(),
                establishment(
                    etablissementSiege="false",
                    siret="55501234300029",
                    nic="00029",
                    codeCommuneEtablissement="55029",
                ),
            ],
        )
    ).records
    (record,) = company_records(units, sites)
    assert (record.siren, record.name, record.commune) == ("555012343", "USINAGE MEUSIEN", "55545")


@given(siren=sirens())
def test_any_valid_siren_is_read_back(siren: str) -> None:
    """Whatever the valid SIREN, the line is read and the SIREN kept."""
    result = read_legal_units(csv_text(UNIT_HEADER, [unit(siren=siren)]))
    assert [c.siren for c in result.records] == [siren]


def test_the_command_imports_companies_and_reports_lines_left_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`alize import sirene` writes the active companies as JSON and names each line left out."""
    units = tmp_path / "StockUniteLegale.csv"
    units.write_text(csv_text(UNIT_HEADER, [unit(), unit(siren="555012344")]).getvalue(), "utf-8")
    sites = tmp_path / "StockEtablissement.csv"
    sites.write_text(csv_text(ESTABLISHMENT_HEADER, [establishment()]).getvalue(), "utf-8")
    output = tmp_path / "companies.json"
    argv = ["import", "sirene", str(units), "--establishments", str(sites), "--output", str(output)]
    assert main(argv) == 1
    assert json.loads(output.read_text("utf-8")) == [
        {"siren": "555012343", "name": "USINAGE MEUSIEN", "commune": "55545", "external_id": None}
    ]
    err = capsys.readouterr().err
    assert f"{units}: line 3, column siren" in err
    assert "1 companies read, 1 active and named, 1 lines left out" in err
