"""
Companies from INSEE's SIRENE register (*répertoire SIRENE*), read from its open-data CSV.

INSEE publishes every French company (*unité légale*, by SIREN) and each of its
establishments (*établissement*, by SIRET) as open data: the files
``StockUniteLegale`` and ``StockEtablissement`` (CSV, comma-separated, UTF-8,
one header line with INSEE's official column names, the same names as the
Sirene API). An operator imports the SMEs of its territory from them
(ELIG-01, ELIG-03) instead of typing them.

Every identifier is checked with python-stdnum: a SIREN's Luhn key, a SIRET's
Luhn key over 14 digits, except La Poste's establishments (SIREN ``356000000``),
whose SIRETs only need a digit sum divisible by 5 — stdnum knows the exception.
The main activity code (*code APE*) is stored with its nomenclature, since
SIRENE carries codes of several (``NAFRev2`` today, ``NAF2025`` from 2027,
older ``NAFRev1``, ``NAF1993``, ``NAP``): a NAF rév. 2 code is checked against
the NACE Rev. 2 classes, a NAF 2025 code against NACE Rev. 2.1 (NAF refines
NACE with a letter). A partially non-diffusible unit (``statutDiffusion = P``)
keeps its personal names hidden.

>>> import io
>>> header = "siren,statutDiffusionUniteLegale,etatAdministratifUniteLegale,dateCreationUniteLegale,denominationUniteLegale,activitePrincipaleUniteLegale,nomenclatureActivitePrincipaleUniteLegale,categorieEntreprise,trancheEffectifsUniteLegale,nicSiegeUniteLegale"
>>> data = header + "\\n555012343,O,A,2011-03-01,USINAGE MEUSIEN,25.62B,NAFRev2,PME,12,00018\\n"
>>> result = read_legal_units(io.StringIO(data))
>>> unit = result.records[0]
>>> unit.siren, unit.name, str(unit.activity)
('555012343', 'USINAGE MEUSIEN', '25.62B (NAFRev2)')
>>> unit.activity.nace_label
'Machining'
>>> bad = data.replace("555012343", "555012344")
>>> print(read_legal_units(io.StringIO(bad)).problems[0])
line 2, column siren: '555012344' is not a valid SIREN number (its check digit is wrong)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import csv
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import IO, Final, Generic, TypeVar

import attrs
from stdnum import exceptions as stdnum_errors
from stdnum.eu import nace

from alize_adapters.host.backends import CompanyRecord
from alize_core import InvalidValue, MalformedInput
from alize_core.parties.model import check_siren, check_siret


__all__ = [
    "ESTABLISHMENT_COLUMNS",
    "LEGAL_UNIT_COLUMNS",
    "ActivityCode",
    "AdministrativeState",
    "Establishment",
    "LegalUnit",
    "SireneImport",
    "SireneProblem",
    "company_records",
    "read_establishments",
    "read_legal_units",
]

LEGAL_UNIT_COLUMNS: Final = (
    "siren",
    "statutDiffusionUniteLegale",
    "etatAdministratifUniteLegale",
    "dateCreationUniteLegale",
    "denominationUniteLegale",
    "nomUniteLegale",
    "prenom1UniteLegale",
    "sigleUniteLegale",
    "categorieJuridiqueUniteLegale",
    "activitePrincipaleUniteLegale",
    "nomenclatureActivitePrincipaleUniteLegale",
    "activitePrincipaleNAF25UniteLegale",
    "trancheEffectifsUniteLegale",
    "anneeEffectifsUniteLegale",
    "categorieEntreprise",
    "economieSocialeSolidaireUniteLegale",
    "identifiantAssociationUniteLegale",
    "nicSiegeUniteLegale",
    "dateDernierTraitementUniteLegale",
)
"""The columns of ``StockUniteLegale`` alize reads (INSEE's names); others are ignored."""

ESTABLISHMENT_COLUMNS: Final = (
    "siren",
    "nic",
    "siret",
    "statutDiffusionEtablissement",
    "etablissementSiege",
    "etatAdministratifEtablissement",
    "activitePrincipaleEtablissement",
    "nomenclatureActivitePrincipaleEtablissement",
    "activitePrincipaleNAF25Etablissement",
    "trancheEffectifsEtablissement",
    "numeroVoieEtablissement",
    "typeVoieEtablissement",
    "libelleVoieEtablissement",
    "codePostalEtablissement",
    "libelleCommuneEtablissement",
    "codeCommuneEtablissement",
    "enseigne1Etablissement",
    "denominationUsuelleEtablissement",
)
"""The columns of ``StockEtablissement`` alize reads (INSEE's names); others are ignored."""

_REQUIRED_UNIT: Final = ("siren", "etatAdministratifUniteLegale")
_REQUIRED_ESTABLISHMENT: Final = ("siret", "etatAdministratifEtablissement")
_NAF: Final = re.compile(r"(\d{2})\.(\d{2})([A-Z])")
_OLD_CODE: Final = re.compile(r"[0-9A-Z.]{2,8}")
_RNA: Final = re.compile(r"W\d{9}")
_COMMUNE: Final = re.compile(r"(?:\d{5}|2[AB]\d{3})")
_HIDDEN: Final = "[ND]"
_NACE_REVISION: Final = {"NAFRev2": "2.0", "NAF2025": "2.1"}


class AdministrativeState(enum.StrEnum):
    """Whether a unit or an establishment is active (*actif*) or has ceased (*cessé*)."""

    ACTIVE = "A"
    CEASED = "C"
    CLOSED = "F"
    """An establishment that is closed (*fermé*)."""


@attrs.frozen
class ActivityCode:
    """
    A main activity code (*code APE*) with the nomenclature it belongs to.

    Attributes:
        code: The code as SIRENE writes it (``62.01Z``).
        nomenclature: ``NAFRev2``, ``NAF2025``, ``NAFRev1``, ``NAF1993`` or ``NAP``.

    >>> ActivityCode("62.01Z", "NAFRev2").nace_label
    'Computer programming activities'
    >>> ActivityCode("62.01Z", "NAF2025")
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: activity: '62.01Z' is not a class of NAF2025 (NACE Rev. 2.1)

    .. versionadded:: 0.1.0
    """

    code: str
    nomenclature: str

    def __attrs_post_init__(self) -> None:
        revision = _NACE_REVISION.get(self.nomenclature)
        if revision is not None:
            match = _NAF.fullmatch(self.code)
            if not match:
                msg = (
                    f"is not a {self.nomenclature} code (two digits, a point, two digits, a letter)"
                )
                raise InvalidValue("activity", self.code, msg)
            try:
                nace.validate(match.group(1) + match.group(2), revision=revision)
            except stdnum_errors.ValidationError:
                msg = f"is not a class of {self.nomenclature} (NACE Rev. {revision})"
                raise InvalidValue("activity", self.code, msg) from None
        elif self.nomenclature in {"NAFRev1", "NAF1993", "NAP"}:
            if not _OLD_CODE.fullmatch(self.code):
                raise InvalidValue("activity", self.code, f"is not a {self.nomenclature} code")
        else:
            raise InvalidValue("nomenclature", self.nomenclature, "is not a SIRENE nomenclature")

    @property
    def nace_label(self) -> str | None:
        """The (English) label of the NACE class it refines, for NAF rév. 2 and NAF 2025 codes."""
        revision = _NACE_REVISION.get(self.nomenclature)
        if revision is None:
            return None
        return str(nace.get_label(self.code[:5].replace(".", ""), revision=revision))

    def __str__(self) -> str:
        return f"{self.code} ({self.nomenclature})"


@attrs.frozen
class LegalUnit:
    """
    A company as SIRENE knows it (*unité légale*).

    Attributes:
        siren: Its SIREN.
        name: Its name: the *dénomination*, or first name and surname of a sole
            trader; ``None`` when non-diffusible.
        state: Active or ceased.
        created: Its creation date, when known.
        acronym: Its *sigle*.
        legal_category: Its *catégorie juridique* code.
        activity: Its main activity (*APE*) in the nomenclature SIRENE gives.
        activity_naf2025: Its main activity in NAF 2025, when SIRENE carries it.
        headcount_band: INSEE's *tranche d'effectifs* code (``12`` = 20 to 49 staff).
        headcount_year: The year of that headcount.
        category: ``PME``, ``ETI`` or ``GE`` (INSEE's *catégorie d'entreprise*).
        social_economy: Whether it belongs to the social and solidarity economy.
        association: Its RNA number (``W`` and 9 digits), for an association.
        head_office_nic: The NIC of its head office.
        partially_diffusible: ``statutDiffusion = P``: personal data withheld.
    """

    siren: str
    name: str | None
    state: AdministrativeState
    created: date | None = None
    acronym: str | None = None
    legal_category: str | None = None
    activity: ActivityCode | None = None
    activity_naf2025: ActivityCode | None = None
    headcount_band: str | None = None
    headcount_year: int | None = None
    category: str | None = None
    social_economy: bool | None = None
    association: str | None = None
    head_office_nic: str | None = None
    partially_diffusible: bool = False


@attrs.frozen
class Establishment:
    """
    An establishment of a company (*établissement*), by SIRET.

    Attributes:
        siret: Its SIRET (checked, La Poste's exception included).
        siren: Its company's SIREN (the SIRET's first nine digits).
        nic: Its NIC (the last five).
        head_office: Whether it is the head office (*siège*).
        state: Active or closed.
        activity: Its main activity.
        commune: The INSEE code of its commune.
        postal_code: Its postal code.
        city: Its commune's name.
        street: Number, type and name of its street, as one line.
        name: Its sign (*enseigne*) or usual name, when it has one.
        headcount_band: INSEE's *tranche d'effectifs* code.
        partially_diffusible: ``statutDiffusion = P``: its address is withheld.
    """

    siret: str
    siren: str
    nic: str
    head_office: bool
    state: AdministrativeState
    activity: ActivityCode | None = None
    commune: str | None = None
    postal_code: str | None = None
    city: str | None = None
    street: str | None = None
    name: str | None = None
    headcount_band: str | None = None
    partially_diffusible: bool = False


@attrs.frozen
class SireneProblem:
    """
    A line of a SIRENE file that could not be read.

    Attributes:
        line: The line number (1 is the header).
        column: INSEE's name of the column at fault.
        value: The value found.
        reason: What is wrong.
    """

    line: int
    column: str
    value: object
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.reason}"


R = TypeVar("R")


@attrs.frozen
class SireneImport(Generic[R]):
    """
    What reading a SIRENE file gave.

    Attributes:
        records: The records read without a problem.
        problems: Each line left out, with its column and why.
        ignored: The columns of the file alize does not read.
    """

    records: tuple[R, ...]
    problems: tuple[SireneProblem, ...]
    ignored: tuple[str, ...]


class _LineError(Exception):
    def __init__(self, column: str, value: object, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.value = value
        self.reason = reason


def _text(row: Mapping[str, str], column: str) -> str | None:
    value = (row.get(column) or "").strip()
    return value or None


def _date(row: Mapping[str, str], column: str) -> date | None:
    value = _text(row, column)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _LineError(column, value, f"{value!r} is not a date (AAAA-MM-JJ)") from None


def _state(row: Mapping[str, str], column: str) -> AdministrativeState:
    value = _text(row, column) or ""
    try:
        return AdministrativeState(value)
    except ValueError:
        raise _LineError(column, value, f"{value!r} is not A, C or F") from None


def _activity(row: Mapping[str, str], code: str, nomenclature: str | None) -> ActivityCode | None:
    value = _text(row, code)
    if value is None:
        return None
    scheme = _text(row, nomenclature) if nomenclature else "NAF2025"
    try:
        return ActivityCode(value, scheme or "NAFRev2")
    except InvalidValue as exc:
        raise _LineError(code, value, str(exc).split(": ", 1)[1]) from None


def _checked(function: Callable[..., str], row: Mapping[str, str], column: str) -> str:
    value = _text(row, column) or ""
    try:
        return function(value, field=column)
    except InvalidValue as exc:
        raise _LineError(column, value, str(exc).split(": ", 1)[1]) from None


def _flag(row: Mapping[str, str], column: str) -> bool | None:
    value = _text(row, column)
    if value is None:
        return None
    if value in {"O", "true"}:
        return True
    if value in {"N", "false"}:
        return False
    raise _LineError(column, value, f"{value!r} is not O or N")


def _diffusion(row: Mapping[str, str], column: str) -> bool:
    value = _text(row, column) or "O"
    if value not in {"O", "P", "N"}:
        raise _LineError(column, value, f"{value!r} is not O, P or N")
    return value != "O"


def _shown(value: str | None) -> str | None:
    return None if value is None or value == _HIDDEN else value


def _legal_unit(row: Mapping[str, str]) -> LegalUnit:
    siren = _checked(check_siren, row, "siren")
    hidden = _diffusion(row, "statutDiffusionUniteLegale")
    name = _shown(_text(row, "denominationUniteLegale"))
    if name is None and not hidden:
        first, last = _text(row, "prenom1UniteLegale"), _text(row, "nomUniteLegale")
        name = " ".join(part for part in (first, last) if part and part != _HIDDEN) or None
    association = _text(row, "identifiantAssociationUniteLegale")
    if association is not None and not _RNA.fullmatch(association):
        msg = f"{association!r} is not an RNA number (W and 9 digits)"
        raise _LineError("identifiantAssociationUniteLegale", association, msg)
    year = _text(row, "anneeEffectifsUniteLegale")
    if year is not None and not (len(year) == 4 and year.isascii() and year.isdigit()):
        raise _LineError("anneeEffectifsUniteLegale", year, f"{year!r} is not a year")
    nic = _text(row, "nicSiegeUniteLegale")
    if nic is not None and not (len(nic) == 5 and nic.isascii() and nic.isdigit()):
        raise _LineError("nicSiegeUniteLegale", nic, f"{nic!r} is not a NIC (5 digits)")
    return LegalUnit(
        siren=siren,
        name=name,
        state=_state(row, "etatAdministratifUniteLegale"),
        created=_date(row, "dateCreationUniteLegale"),
        acronym=_shown(_text(row, "sigleUniteLegale")),
        legal_category=_text(row, "categorieJuridiqueUniteLegale"),
        activity=_activity(
            row, "activitePrincipaleUniteLegale", "nomenclatureActivitePrincipaleUniteLegale"
        ),
        activity_naf2025=_activity(row, "activitePrincipaleNAF25UniteLegale", None),
        headcount_band=_text(row, "trancheEffectifsUniteLegale"),
        headcount_year=int(year) if year else None,
        category=_text(row, "categorieEntreprise"),
        social_economy=_flag(row, "economieSocialeSolidaireUniteLegale"),
        association=association,
        head_office_nic=nic,
        partially_diffusible=hidden,
    )


def _establishment(row: Mapping[str, str]) -> Establishment:
    siret = _checked(check_siret, row, "siret")
    siren = _text(row, "siren") or siret[:9]
    if siren != siret[:9]:
        raise _LineError("siren", siren, f"{siren!r} is not the start of the SIRET {siret}")
    nic = _text(row, "nic") or siret[9:]
    if nic != siret[9:]:
        raise _LineError("nic", nic, f"{nic!r} is not the end of the SIRET {siret}")
    commune = _text(row, "codeCommuneEtablissement")
    if commune is not None and not _COMMUNE.fullmatch(commune):
        msg = f"{commune!r} is not an INSEE commune code (5 characters)"
        raise _LineError("codeCommuneEtablissement", commune, msg)
    hidden = _diffusion(row, "statutDiffusionEtablissement")
    street_parts = [
        _shown(_text(row, column))
        for column in (
            "numeroVoieEtablissement",
            "typeVoieEtablissement",
            "libelleVoieEtablissement",
        )
    ]
    street = " ".join(part for part in street_parts if part) or None
    return Establishment(
        siret=siret,
        siren=siren,
        nic=nic,
        head_office=_flag(row, "etablissementSiege") is True,
        state=_state(row, "etatAdministratifEtablissement"),
        activity=_activity(
            row, "activitePrincipaleEtablissement", "nomenclatureActivitePrincipaleEtablissement"
        ),
        commune=commune,
        postal_code=_shown(_text(row, "codePostalEtablissement")),
        city=_shown(_text(row, "libelleCommuneEtablissement")),
        street=None if hidden else street,
        name=_shown(_text(row, "enseigne1Etablissement"))
        or _shown(_text(row, "denominationUsuelleEtablissement")),
        headcount_band=_text(row, "trancheEffectifsEtablissement"),
        partially_diffusible=hidden,
    )


def _read(
    stream: IO[str],
    known: tuple[str, ...],
    required: tuple[str, ...],
    build: Callable[[Mapping[str, str]], R],
) -> SireneImport[R]:
    reader = csv.DictReader(stream)
    try:
        header = tuple(reader.fieldnames or ())
    except csv.Error as exc:
        raise MalformedInput("line 1", None, f"cannot be read as CSV ({exc})") from None
    missing = [column for column in required if column not in header]
    if missing:
        msg = f"is not a SIRENE file: the columns {', '.join(missing)} are missing"
        raise MalformedInput("line 1", header[:5], msg)
    records: list[R] = []
    problems: list[SireneProblem] = []
    line = 1
    try:
        for line, row in enumerate(reader, start=2):
            try:
                records.append(build(row))
            except _LineError as exc:
                problems.append(SireneProblem(line, exc.column, exc.value, exc.reason))
    except csv.Error as exc:
        reason = f"cannot be read as CSV ({exc}); the lines after it were not read"
        problems.append(SireneProblem(line + 1, "(the whole line)", "", reason))
    ignored = tuple(column for column in header if column not in known)
    return SireneImport(tuple(records), tuple(problems), ignored)


def read_legal_units(stream: IO[str]) -> SireneImport[LegalUnit]:
    """
    Read companies from a ``StockUniteLegale`` CSV (or an extract with its header).

    Args:
        stream: The file, opened as text (UTF-8, ``newline=""``).

    Raises:
        MalformedInput: The header lacks ``siren`` or ``etatAdministratifUniteLegale``.

    .. versionadded:: 0.1.0
    """
    return _read(stream, LEGAL_UNIT_COLUMNS, _REQUIRED_UNIT, _legal_unit)


def read_establishments(stream: IO[str]) -> SireneImport[Establishment]:
    """
    Read establishments from a ``StockEtablissement`` CSV (or an extract with its header).

    Raises:
        MalformedInput: The header lacks ``siret`` or ``etatAdministratifEtablissement``.

    .. versionadded:: 0.1.0
    """
    return _read(stream, ESTABLISHMENT_COLUMNS, _REQUIRED_ESTABLISHMENT, _establishment)


def company_records(
    units: Iterable[LegalUnit], establishments: Iterable[Establishment] = ()
) -> tuple[CompanyRecord, ...]:
    """
    The active, named companies as CRM records, with the commune of their head office.

    Units that have ceased, or whose name is withheld, are left out.

    .. versionadded:: 0.1.0
    """
    head_offices = {
        e.siren: e
        for e in establishments
        if e.head_office and e.state is AdministrativeState.ACTIVE
    }
    return tuple(
        CompanyRecord(
            siren=unit.siren,
            name=unit.name,
            commune=head_offices[unit.siren].commune if unit.siren in head_offices else None,
        )
        for unit in units
        if unit.state is AdministrativeState.ACTIVE and unit.name
    )
