"""
The programme's actors and things (*acteurs*), as frozen values.

Every class checks its fields on construction and refuses bad input with an
:class:`~alize_core.kernel.errors.AlizeError` that names the field and the value;
a value never changes: :func:`attrs.evolve` makes a new one.

>>> from datetime import date
>>> from decimal import Decimal
>>> sme = Sme(siren="555045673", name="Usinage Meusien", creation_date=date(2015, 6, 1),
...           staff=42, turnover=Decimal("6200000"), balance_sheet=Decimal("3100000"),
...           commune="55029")
>>> sme.siren
'555045673'
>>> Sme(siren="123456789", name="X", creation_date=date(2015, 6, 1), staff=1,
...     turnover=Decimal(0), balance_sheet=Decimal(0), commune="55029")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: siren: '123456789' is not a valid SIREN number (its check digit is wrong)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal
from typing import Final

import attrs
from stdnum import exceptions as stdnum_errors
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import to_money
from alize_core.kernel.validation import (
    check_count,
    check_date,
    check_flag,
    check_id,
    check_text,
    member_of,
)
from alize_core.kernel.validation import checked as _check
from alize_core.kernel.validation import optional as _optional


__all__ = [
    "CompanyRepresentative",
    "LocalOperator",
    "OperatorKind",
    "PartnerCompany",
    "PersonRole",
    "Project",
    "PublicBody",
    "PublicBodyKind",
    "RelayStructure",
    "Sme",
    "Territory",
    "check_siren",
    "check_siret",
]

_COMMUNE: Final = re.compile(r"(?:\d{5}|2[AB]\d{3})")
_DEPARTEMENT: Final = re.compile(r"(?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-8]|98[6-8])")


# Registers rebuild their SMEs and projects each time they are read: the numbers they
# hold are checked once (a failed check raises, and is never kept).
@functools.lru_cache(maxsize=1 << 16)
def _valid_siren(value: str) -> str:
    return str(stdnum_siren.validate(value))


@functools.lru_cache(maxsize=1 << 16)
def _valid_siret(value: str) -> str:
    return str(stdnum_siret.validate(value))


def check_siren(value: object, *, field: str = "siren") -> str:
    """
    A SIREN number (9 digits, Luhn check digit), checked with python-stdnum.

    >>> check_siren("555 045 673")
    '555045673'
    """
    if not isinstance(value, str):
        raise InvalidValue(field, value, "must be a SIREN number written as text")
    try:
        return _valid_siren(value)
    except stdnum_errors.InvalidChecksum:
        msg = "is not a valid SIREN number (its check digit is wrong)"
        raise InvalidValue(field, value, msg) from None
    except stdnum_errors.ValidationError:
        raise InvalidValue(field, value, "is not a valid SIREN number (9 digits)") from None


def check_siret(value: object, *, field: str = "siret") -> str:
    """
    A SIRET number (SIREN + 5 digits), checked with python-stdnum (La Poste's included).

    >>> check_siret("55504567300012")
    '55504567300012'
    """
    if not isinstance(value, str):
        raise InvalidValue(field, value, "must be a SIRET number written as text")
    try:
        return _valid_siret(value)
    except stdnum_errors.InvalidChecksum:
        msg = "is not a valid SIRET number (its check digit is wrong)"
        raise InvalidValue(field, value, msg) from None
    except stdnum_errors.ValidationError:
        raise InvalidValue(field, value, "is not a valid SIRET number (14 digits)") from None


def _codes(pattern: re.Pattern[str], what: str) -> Callable[[object], frozenset[str]]:
    def converter(value: object) -> frozenset[str]:
        if isinstance(value, str) or not isinstance(value, Iterable):
            raise InvalidValue(what, value, "must be a list of codes")
        codes = frozenset(value)
        for code in codes:
            if not isinstance(code, str) or not pattern.fullmatch(code):
                raise InvalidValue(what, code, f"is not a valid {what} code")
        return codes

    return converter


def _communes(value: object) -> frozenset[str]:
    return _codes(_COMMUNE, "commune")(value)


def _departements(value: object) -> frozenset[str]:
    return _codes(_DEPARTEMENT, "département")(value)


def _check_commune(value: object, *, field: str) -> None:
    if not isinstance(value, str) or not _COMMUNE.fullmatch(value):
        raise InvalidValue(field, value, "is not an INSEE commune code (5 characters, e.g. 55029)")


@attrs.frozen
class Territory:
    """
    A local programme's area (*territoire*, *bassin*): communes and whole départements.

    Attributes:
        id: The territory's id.
        name: Its name.
        communes: INSEE codes of the communes it covers.
        departements: Codes of the départements it covers whole.

    >>> meuse = Territory("T1", "Meuse", communes=["52448"], departements=["55"])
    >>> meuse.contains("55029"), meuse.contains("52448"), meuse.contains("54395")
    (True, True, False)
    """

    id: str = attrs.field(validator=_check(check_id))
    name: str = attrs.field(validator=_check(check_text))
    communes: frozenset[str] = attrs.field(default=frozenset(), converter=_communes)
    departements: frozenset[str] = attrs.field(default=frozenset(), converter=_departements)

    def __attrs_post_init__(self) -> None:
        if not self.communes and not self.departements:
            raise InvalidValue(
                "communes", [], "a territory needs at least one commune or département"
            )

    def contains(self, commune: str) -> bool:
        """Whether a commune (INSEE code) lies inside the perimeter (ELIG-03)."""
        if commune in self.communes:
            return True
        prefix = commune[:3] if commune.startswith("97") else commune[:2]
        return prefix in self.departements


@attrs.frozen
class PartnerCompany:
    """
    A large or mid-size company that lends staff and money (*entreprise partenaire*).

    Attributes:
        id: The partner's id.
        name: Its name.
        siren: Its SIREN number, when known.
        grants_subsidised_loans: Whether it has the means to grant subsidised loans (FUND-03).
    """

    id: str = attrs.field(validator=_check(check_id))
    name: str = attrs.field(validator=_check(check_text))
    siren: str | None = attrs.field(default=None, validator=_optional(check_siren))
    grants_subsidised_loans: bool = attrs.field(default=False, validator=_check(check_flag))


@attrs.frozen
class CompanyRepresentative:
    """
    A person who represents a partner company (*représentant d'entreprise*).

    Attributes:
        id: The person's id (their details live outside the register).
        company: The id of the partner company they represent.
        in_activity: Whether they are *en activité* (not retired, GOV-05).
    """

    id: str = attrs.field(validator=_check(check_id))
    company: str = attrs.field(validator=_check(check_id))
    in_activity: bool = attrs.field(default=True, validator=_check(check_flag))


class OperatorKind(enum.StrEnum):
    """What kind of body runs the programme locally."""

    CHAMBER_OF_COMMERCE = "chamber_of_commerce"
    """A chamber of commerce and industry (*CCI*)."""
    INITIATIVE_PLATFORM = "initiative_platform"
    """A local initiative platform (*PFIL*)."""
    DEVELOPMENT_AGENCY = "development_agency"
    """An economic development agency."""
    OTHER = "other"


@attrs.frozen
class LocalOperator:
    """
    The body that runs the programme on the territory (*opérateur local*).

    Attributes:
        id: The operator's id.
        name: Its name.
        kind: What kind of body it is.
    """

    id: str = attrs.field(validator=_check(check_id))
    name: str = attrs.field(validator=_check(check_text))
    kind: OperatorKind = attrs.field(
        default=OperatorKind.CHAMBER_OF_COMMERCE, validator=member_of(OperatorKind)
    )


class PublicBodyKind(enum.StrEnum):
    """What kind of public body attends or funds the programme."""

    PREFECTURE = "prefecture"
    SUB_PREFECTURE = "sub_prefecture"
    REGION = "region"
    DEPARTEMENT = "departement"
    MUNICIPALITY = "municipality"
    STATE_AGENCY = "state_agency"
    OTHER = "other"


@attrs.frozen
class PublicBody:
    """
    A public body (*collectivité, service de l'État*): attends without a vote (GOV-02).

    Attributes:
        id: The body's id.
        name: Its name.
        kind: What kind of body it is.
    """

    id: str = attrs.field(validator=_check(check_id))
    name: str = attrs.field(validator=_check(check_text))
    kind: PublicBodyKind = attrs.field(
        default=PublicBodyKind.OTHER, validator=member_of(PublicBodyKind)
    )


@attrs.frozen
class RelayStructure:
    """
    A relay structure or another support scheme (*structure relais*, *autre dispositif*).

    Attributes:
        id: The structure's id.
        name: Its name.
    """

    id: str = attrs.field(validator=_check(check_id))
    name: str = attrs.field(validator=_check(check_text))


@attrs.frozen
class Sme:
    """
    The supported small or medium company (*PME / PMI*).

    Attributes:
        siren: Its SIREN number (checked with python-stdnum).
        name: Its name.
        creation_date: The date it was created.
        staff: Its headcount.
        turnover: Its yearly turnover, in euros.
        balance_sheet: Its balance-sheet total, in euros.
        commune: The INSEE code of the commune where it is located.
        siret: The SIRET of the establishment concerned, when known (starts with the SIREN).
    """

    siren: str = attrs.field(validator=_check(check_siren))
    name: str = attrs.field(validator=_check(check_text))
    creation_date: date = attrs.field(validator=_check(check_date))
    staff: int = attrs.field(validator=_check(check_count))
    turnover: Decimal = attrs.field(
        validator=_check(to_money, non_negative=True, decimal_only=True)
    )
    balance_sheet: Decimal = attrs.field(
        validator=_check(to_money, non_negative=True, decimal_only=True)
    )
    commune: str = attrs.field(validator=_check(_check_commune))
    siret: str | None = attrs.field(default=None, validator=_optional(check_siret))

    def __attrs_post_init__(self) -> None:
        if self.siret is not None and not self.siret.startswith(self.siren):
            raise InvalidValue("siret", self.siret, f"does not belong to SIREN {self.siren}")


@attrs.frozen
class Project:
    """
    An SME's development project (*projet de développement*), with the jobs it supports.

    Attributes:
        id: The project's id.
        sme: The SME's SIREN.
        title: What the project is.
        jobs_created: Jobs it will create (ELIG-04).
        jobs_kept: Jobs it will keep (ELIG-04).
        adaptation: Whether it is an adaptation project of an established company (ELIG-02).
    """

    id: str = attrs.field(validator=_check(check_id))
    sme: str = attrs.field(validator=_check(check_siren))
    title: str = attrs.field(validator=_check(check_text))
    jobs_created: int = attrs.field(validator=_check(check_count))
    jobs_kept: int = attrs.field(validator=_check(check_count))
    adaptation: bool = attrs.field(default=False, validator=_check(check_flag))


class PersonRole(enum.StrEnum):
    """
    In what capacity a person takes part in the programme (*qualité*).

    .. versionadded:: 0.1.0
    """

    OPERATOR_STAFF = "operator_staff"
    """Staff of the local operator (*opérateur local*, OP-01…03)."""
    COMPANY_REPRESENTATIVE = "company_representative"
    """A partner company's representative (*représentant d'entreprise*): votes (GOV-02)."""
    MENTOR = "mentor"
    """An executive or technician of a partner company lent to SMEs (*intervenant*, ACC-01)."""
    STATE_REPRESENTATIVE = "state_representative"
    """The prefecture's or sub-prefecture's representative, who chairs the steering committee (PIL-01)."""
    NATIONAL_COMMITTEE = "national_committee"
    """The national committee, which validates territories (NAT-01)."""
    RELAY_STRUCTURE = "relay_structure"
    """A relay structure that presents files (*structure relais*, GOV-07)."""
    OTHER_SCHEME = "other_scheme"
    """Another support scheme that presents files (*autre dispositif*, GOV-07)."""
    PUBLIC_BODY = "public_body"
    """A public body attending without a vote (*collectivité*, GOV-02)."""
    SME_CONTACT = "sme_contact"
    """A head or contact of a supported SME (*dirigeant de PME*)."""

    @property
    def french(self) -> str:
        """The role in French."""
        return _ROLE_FRENCH[self]


_ROLE_FRENCH: Final = {
    PersonRole.OPERATOR_STAFF: "membre de l'opérateur local",
    PersonRole.COMPANY_REPRESENTATIVE: "représentant d'entreprise partenaire",
    PersonRole.MENTOR: "intervenant d'entreprise partenaire",
    PersonRole.STATE_REPRESENTATIVE: "représentant de l'État",
    PersonRole.NATIONAL_COMMITTEE: "comité national",
    PersonRole.RELAY_STRUCTURE: "structure relais",
    PersonRole.OTHER_SCHEME: "autre dispositif",
    PersonRole.PUBLIC_BODY: "organisme public",
    PersonRole.SME_CONTACT: "dirigeant de PME",
}
