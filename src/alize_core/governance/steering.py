"""
The steering committee's chair (*présidence du comité local de pilotage*, PIL-01): the
prefecture or a sub-prefecture chairs it, nobody else.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from alize_core.governance.session import Attendee
from alize_core.kernel.decisions import Decision, Outcome, make_step
from alize_core.kernel.validation import check_date, check_id
from alize_core.parties.model import (
    CompanyRepresentative,
    LocalOperator,
    PartnerCompany,
    PublicBody,
    PublicBodyKind,
    RelayStructure,
)


__all__ = ["MESSAGES", "SteeringChair", "check_steering_chair"]

MESSAGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "steering.chair": "comité local de pilotage présidé par {chair} ({kind})",
        "steering.wrong_chair": "comité local de pilotage présidé par {chair} ({kind}) :"
        " la présidence revient à la préfecture ou à la sous-préfecture",
        "steering.no_chair": "comité local de pilotage sans présidence : la présidence revient"
        " à la préfecture ou à la sous-préfecture",
    }
)
"""The French messages of the steering committee's steps, by stable code."""

SteeringChair = (
    PublicBody | LocalOperator | PartnerCompany | CompanyRepresentative | RelayStructure | Attendee
)
"""Who may be put forward to chair a steering committee (only a prefecture may, PIL-01)."""

_STATE_CHAIRS: Final = frozenset({PublicBodyKind.PREFECTURE, PublicBodyKind.SUB_PREFECTURE})

_FRENCH_BODY_KINDS: Final = {
    PublicBodyKind.PREFECTURE: "préfecture",
    PublicBodyKind.SUB_PREFECTURE: "sous-préfecture",
    PublicBodyKind.REGION: "région",
    PublicBodyKind.DEPARTEMENT: "département",
    PublicBodyKind.MUNICIPALITY: "commune",
    PublicBodyKind.STATE_AGENCY: "service de l'État",
    PublicBodyKind.OTHER: "organisme public",
}


def _chair_words(chair: SteeringChair) -> tuple[str, str]:
    if isinstance(chair, PublicBody):
        return chair.name, _FRENCH_BODY_KINDS[chair.kind]
    if isinstance(chair, LocalOperator):
        return chair.name, "opérateur local"
    if isinstance(chair, PartnerCompany):
        return chair.name, "entreprise partenaire"
    if isinstance(chair, CompanyRepresentative):
        return chair.id, "représentant d'entreprise"
    if isinstance(chair, RelayStructure):
        return chair.name, "structure relais"
    return chair.name, chair.role.french


def check_steering_chair(chair: SteeringChair | None, *, on: dt.date, territory: str) -> Decision:
    """
    Whether the steering committee is chaired as the charter says: by the prefecture or a sub-prefecture (PIL-01).

    Args:
        chair: Who chairs it (``None``: nobody).
        on: The date of the meeting.
        territory: The territory's id.

    Returns:
        :attr:`~alize_core.kernel.decisions.Outcome.ACCEPTED` for a
        :class:`~alize_core.parties.model.PublicBody` whose kind is a prefecture or a
        sub-prefecture, :attr:`~alize_core.kernel.decisions.Outcome.REFUSED` for anyone else
        (another public body, the operator, a company, a person, nobody).

    >>> from datetime import date
    >>> region = PublicBody("GE", "Région Grand Est", PublicBodyKind.REGION)
    >>> print(check_steering_chair(region, on=date(2026, 6, 1), territory="T1").explain())
    Comité local de pilotage (T1) : refusé.
      ✗ comité local de pilotage présidé par Région Grand Est (région) : la présidence revient à la préfecture ou à la sous-préfecture (PIL-01)

    .. versionadded:: 0.1.0
    """
    check_date(on, field="on")
    check_id(territory, field="territory")
    if chair is None:
        step = make_step(MESSAGES, "PIL-01", False, "steering.no_chair")
    else:
        name, kind = _chair_words(chair)
        passed = isinstance(chair, PublicBody) and chair.kind in _STATE_CHAIRS
        code = "steering.chair" if passed else "steering.wrong_chair"
        step = make_step(MESSAGES, "PIL-01", passed, code, chair=name, kind=kind)
    outcome = Outcome.ACCEPTED if step.passed else Outcome.REFUSED
    return Decision(outcome, on, territory, f"Comité local de pilotage ({territory})", (step,))
