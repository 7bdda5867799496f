"""
The steering committee's command (*comité de pilotage*): the State chair signs off a year's review (PIL-01, PIL-03).
"""

from __future__ import annotations

from datetime import date

from alize_core.commands.base import MESSAGES, Command, CommandResult, territory_id
from alize_core.journal.events import ReviewSignedOff
from alize_core.kernel.decisions import make_step
from alize_core.kernel.errors import CommandRefused
from alize_core.register.views import Register


__all__ = ["sign_off_review"]


def sign_off_review(register: Register, year: int, *, on: date, actor: str) -> CommandResult:
    """
    The steering committee's State chair signs off the review of a past year (PIL-01,
    PIL-03); nobody else may.

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    record = register.territory
    territory_id(register)
    assert record is not None
    payload = ReviewSignedOff(year)
    if any(review.year == year for review in register.reviews):
        raise CommandRefused("year", year, f"the review of {year} is already signed off")
    if actor == record.state_chair:
        chair = make_step(
            MESSAGES,
            "PIL-01",
            True,
            "role.acts_as",
            actor=actor,
            role="président du comité local de pilotage",
        )
    else:
        chair = make_step(MESSAGES, "PIL-01", False, "role.not_state_chair", actor=actor)
    past = year < on.year
    steps = [
        chair,
        make_step(
            MESSAGES,
            "PIL-03",
            past,
            "review.previous_year" if past else "review.not_past",
            year=year,
            on_year=on.year,
        ),
    ]
    return command.conclude(f"Revue de l'année {year}", steps, ("PIL-01", "PIL-03"), payload)
