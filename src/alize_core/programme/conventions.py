"""
Conventions (*conventions*): the triennial convention of a territory and the
cooperation agreement signed with each supported SME.

A territory's programme starts only once the national committee has validated it
(NAT-01). It then runs under a *triennial convention* (CONV-01): three years from its
start date, listing each partner's yearly financial commitment in euros and human
commitment in days. A renewal is a new convention; activity dated outside every
convention in force is flagged. Supporting an SME takes only a *cooperation and
development agreement* signed after the approval (CONV-02).

>>> from decimal import Decimal
>>> convention = TriennialConvention(
...     "CT-2026", date(2026, 1, 1),
...     (PartnerCommitment("ACIER", Decimal("30000.00"), 20),
...      PartnerCommitment("ENERG", Decimal("15000.00"), 10)))
>>> convention.end                     # the first day it no longer covers
datetime.date(2029, 1, 1)
>>> convention.yearly_amount, convention.yearly_days
(Decimal('45000.00'), 30)
>>> convention_step((convention,), on=date(2030, 5, 1)).code
'convention.none_in_force'
>>> TriennialConvention("CT-2026", date(2026, 1, 1), ())
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: commitments: () must list at least one partner's commitment

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Final

import attrs
from dateutil.relativedelta import relativedelta

from alize_core.kernel.decisions import Step, make_step
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.validation import (
    SIGNED_AMOUNT,
    check_count,
    check_date,
    check_id,
    checked,
    tuple_of,
)


__all__ = [
    "MESSAGES",
    "CooperationAgreement",
    "PartnerCommitment",
    "TerritoryStatus",
    "TriennialConvention",
    "agreement_step",
    "convention_in_force",
    "convention_step",
    "overlap_step",
    "validation_step",
]

CONVENTION_YEARS: Final = 3
"""How long a triennial convention lasts (CONV-01)."""

MESSAGES: Final[Mapping[str, str]] = {
    "territory.validated": "territoire validé par le comité national le {validated_on}",
    "territory.not_validated": (
        "le territoire n'a pas été validé par le comité national : son programme ne peut pas"
        " démarrer"
    ),
    "convention.in_force": "convention triennale {convention} en vigueur du {start} au {last_day}",
    "convention.none_in_force": (
        "aucune convention triennale n'est en vigueur le {on} : activité signalée"
    ),
    "convention.no_overlap": "la convention {convention} ne chevauche aucune autre convention",
    "convention.overlaps": (
        "la convention {convention} chevauche la convention {other} (en vigueur jusqu'au"
        " {last_day}) : un renouvellement est une nouvelle convention qui commence à la fin de la"
        " précédente"
    ),
    "agreement.signed": (
        "convention de coopération {agreement} signée le {signed_on} pour le projet {project}"
    ),
    "agreement.missing": (
        "aucune convention de coopération n'est signée pour le projet {project} : la PME ne peut"
        " pas encore être accompagnée"
    ),
}
"""The French messages of the conventions' steps, by stable code."""


class TerritoryStatus(enum.StrEnum):
    """Where a territory stands in its lifecycle."""

    PROPOSED = "proposed"
    """Proposed to the national committee (*proposé*)."""
    VALIDATED = "validated"
    """Validated by the national committee (*validé*, NAT-01); active under a convention."""

    @property
    def french(self) -> str:
        """The status in French."""
        return "proposé" if self is TerritoryStatus.PROPOSED else "validé"


def _check_commitments(value: object, *, field: str) -> None:
    if not isinstance(value, tuple) or not value:
        raise InvalidValue(field, value, "must list at least one partner's commitment")
    partners = [c.partner for c in value if isinstance(c, PartnerCommitment)]
    duplicates = sorted({p for p in partners if partners.count(p) > 1})
    if duplicates:
        raise InvalidValue(field, duplicates[0], "appears twice: one commitment per partner")


@attrs.frozen
class PartnerCommitment:
    """
    One partner's yearly commitments under a triennial convention (*engagements*, CONV-01).

    Attributes:
        partner: The partner company's id.
        yearly_amount: Its financial commitment per year, in euros (FUND-01).
        yearly_days: Its human commitment per year, in days of skills contributed.
    """

    partner: str = attrs.field(validator=checked(check_id))
    yearly_amount: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    yearly_days: int = attrs.field(validator=checked(check_count))

    def __attrs_post_init__(self) -> None:
        if self.yearly_amount < 0:
            raise InvalidValue("yearly_amount", self.yearly_amount, "must not be negative")


@attrs.frozen
class TriennialConvention:
    """
    The convention a territory's programme runs under (*convention triennale*, CONV-01).

    Attributes:
        id: The convention's id.
        start: The first day it covers.
        commitments: Each partner's yearly commitments.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=checked(check_id))
    start: date = attrs.field(validator=checked(check_date))
    commitments: tuple[PartnerCommitment, ...] = attrs.field(
        validator=[tuple_of(PartnerCommitment), checked(_check_commitments)]
    )

    @property
    def end(self) -> date:
        """The first day the convention no longer covers: three years after its start."""
        return self.start + relativedelta(years=CONVENTION_YEARS)

    @property
    def last_day(self) -> date:
        """The last day the convention covers."""
        return date.fromordinal(self.end.toordinal() - 1)

    def covers(self, on: date) -> bool:
        """Whether the convention is in force on this date."""
        return self.start <= on < self.end

    @property
    def yearly_amount(self) -> Decimal:
        """The partners' financial commitments per year, in euros."""
        return sum((c.yearly_amount for c in self.commitments), Decimal("0.00"))

    @property
    def yearly_days(self) -> int:
        """The partners' human commitments per year, in days."""
        return sum(c.yearly_days for c in self.commitments)

    def commitment(self, partner: str) -> PartnerCommitment | None:
        """The commitment of one partner, if it is a party to the convention."""
        for commitment in self.commitments:
            if commitment.partner == partner:
                return commitment
        return None


@attrs.frozen
class CooperationAgreement:
    """
    The agreement signed with a supported SME after approval
    (*convention de coopération et de développement*, CONV-02).

    Attributes:
        id: The agreement's id.
        project: The project it supports.
        signed_on: The date it was signed.

    .. versionadded:: 0.1.0
    """

    id: str = attrs.field(validator=checked(check_id))
    project: str = attrs.field(validator=checked(check_id))
    signed_on: date = attrs.field(validator=checked(check_date))


def convention_in_force(
    conventions: Iterable[TriennialConvention], on: date
) -> TriennialConvention | None:
    """
    The convention in force on a date, if any (CONV-01).

    .. versionadded:: 0.1.0
    """
    for convention in conventions:
        if convention.covers(on):
            return convention
    return None


def validation_step(validated_on: date | None) -> Step:
    """
    NAT-01: whether the national committee has validated the territory.

    .. versionadded:: 0.1.0
    """
    if validated_on is None:
        return make_step(MESSAGES, "NAT-01", False, "territory.not_validated")
    return make_step(MESSAGES, "NAT-01", True, "territory.validated", validated_on=validated_on)


def convention_step(conventions: Iterable[TriennialConvention], *, on: date) -> Step:
    """
    CONV-01: whether a convention is in force on a date; when none is, the step passes
    with a warning, since such activity is flagged rather than refused.

    .. versionadded:: 0.1.0
    """
    convention = convention_in_force(conventions, on)
    if convention is None:
        return make_step(MESSAGES, "CONV-01", True, "convention.none_in_force", warning=True, on=on)
    return make_step(
        MESSAGES,
        "CONV-01",
        True,
        "convention.in_force",
        convention=convention.id,
        start=convention.start,
        last_day=convention.last_day,
    )


def overlap_step(conventions: Iterable[TriennialConvention], new: TriennialConvention) -> Step:
    """
    CONV-01: a new convention (a renewal) may not overlap one already signed.

    .. versionadded:: 0.1.0
    """
    for other in conventions:
        if new.start < other.end and other.start < new.end:
            return make_step(
                MESSAGES,
                "CONV-01",
                False,
                "convention.overlaps",
                convention=new.id,
                other=other.id,
                last_day=other.last_day,
            )
    return make_step(MESSAGES, "CONV-01", True, "convention.no_overlap", convention=new.id)


def agreement_step(project: str, agreement: CooperationAgreement | None) -> Step:
    """
    CONV-02: whether the project's cooperation agreement is signed.

    .. versionadded:: 0.1.0
    """
    if agreement is None:
        return make_step(MESSAGES, "CONV-02", False, "agreement.missing", project=project)
    return make_step(
        MESSAGES,
        "CONV-02",
        True,
        "agreement.signed",
        agreement=agreement.id,
        signed_on=agreement.signed_on,
        project=project,
    )
