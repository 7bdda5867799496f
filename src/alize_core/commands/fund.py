"""
Commands of the fund's money (*fonds d'avances*): partners' contributions called and received, bank fees paid (CONV-02, FUND-01, FUND-05).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alize_core.commands.advances import cash_step
from alize_core.commands.base import Command, CommandResult
from alize_core.journal.events import ContributionCalled, ContributionReceived, FeePaid
from alize_core.kernel.errors import CommandRefused
from alize_core.parties.model import PartnerCompany
from alize_core.register.views import Register


__all__ = ["call_contribution", "pay_fee", "receive_contribution"]


def _partner(register: Register, partner: str) -> PartnerCompany:
    company = register.partners.get(partner)
    if company is None:
        raise CommandRefused("partner", partner, "is not a partner company")
    return company


def call_contribution(
    register: Register, partner: str, year: int, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    The operator calls a partner for its yearly contribution (FUND-01, PIL-04).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    company = _partner(register, partner)
    payload = ContributionCalled(partner, year, amount)
    steps = [
        command.by_operator("OP-01", "appeler une contribution"),
        *command.active(),
    ]
    return command.conclude(
        f"Appel de fonds à {company.name} ({year})", steps, ("FUND-01", "PIL-04"), payload
    )


def receive_contribution(
    register: Register, partner: str, amount: Decimal, *, on: date, actor: str
) -> CommandResult:
    """
    A partner's contribution paid into the fund's account (FUND-01, OP-01).

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    company = _partner(register, partner)
    payload = ContributionReceived(partner, amount)
    steps = [
        command.by_operator("OP-01", "encaisser une contribution"),
        *command.active(),
    ]
    return command.conclude(f"Contribution de {company.name}", steps, ("FUND-01", "OP-01"), payload)


def pay_fee(
    register: Register, amount: Decimal, label: str, *, on: date, actor: str
) -> CommandResult:
    """
    A fee paid from the fund's account (FUND-05), within its cash.

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    payload = FeePaid(amount, label)
    steps = [
        command.by_operator("OP-01", "payer des frais sur le fonds"),
        cash_step(register.fund, payload.amount),
    ]
    return command.conclude(f"Frais : {label}", steps, ("FUND-05", "OP-01"), payload)
