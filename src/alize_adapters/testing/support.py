"""
What the contract classes ask of an adapter author: fixtures' types, sample data, helpers.

A contract class needs, besides the backend or adapter under test:

- an **inspector**, the *backdoor*: it reads the target system directly (a
  sandbox API client, a database query, a fake server's state), never through
  the adapter, so the suite checks what really happened there
  (:class:`CrmInspector`, :class:`LedgerInspector`, :class:`EffectInspector`);
- a **fault injector** (:class:`FaultInjector`): it makes the next request to
  the target fail in one of the ways of :class:`~alize_adapters.backends.Fault`
  (an HTTP adapter does it with a mock transport).

>>> from datetime import date
>>> events = sample_events()
>>> sorted(event.kind.value for event in events)[:2]
['advance_defaulted', 'advance_disbursed']
>>> TargetLine(account="512", debit="25000.00", credit="0.00").exact_debit()
Decimal('25000.00')
>>> TargetLine(account="512", debit=25000.0, credit="0.00").exact_debit()
Traceback (most recent call last):
...
alize_core.errors.InvalidValue: debit: 25000.0 is a binary float; write amounts as text or Decimal, e.g. "12.50"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Final, Protocol

import attrs
import pytest

from alize_adapters.backends import Fault
from alize_adapters.manager import AdapterConfig, AdapterManager
from alize_adapters.payloads import (
    AdvanceDefaulted,
    AdvanceDisbursed,
    AdvanceWrittenOff,
    AgreementSigned,
    CallForFundsIssued,
    Capability,
    EventPayload,
    ProjectDecided,
    RepaymentReceived,
)
from alize_core import Outcome, to_money


__all__ = [
    "ADAPTER_UNDER_TEST",
    "FRENCH_NAMES",
    "CrmInspector",
    "EffectInspector",
    "FaultInjector",
    "LedgerInspector",
    "TargetEntry",
    "TargetLine",
    "manager_with",
    "require",
    "sample_events",
]

ADAPTER_UNDER_TEST: Final = "adapter-under-test"
"""The name the contracts register the adapter under."""

FRENCH_NAMES: Final = (
    "Aciéries de l'Est",
    "Société Coopérative Ouvrière de Production « Les Forges d'Argonne »",
    "Boulangerie Pâtisserie du Barrois — Maison Lefèvre & Fils",
    "L’Œuvre des Ébénistes Réunis",
    "Établissements Ménétrier-Gaëlle SAS",
    "ÇA VA FER : Métallerie Aérienne",
    "Transports Frères Müller & Cie (succursale de Bar-le-Duc, zone d'activités "
    "des Grands Prés, bâtiment n° 3, porte 12)",
)
"""Company names that a CRM must keep exactly: accents, ligatures, typographic apostrophes, length."""


class FaultInjector(Protocol):
    """Makes the next request to the target fail in a given way."""

    def inject(self, fault: Fault, *, retry_after: int = 30) -> None:
        """Make the next request show this fault (``retry_after``: the 429's wait, in seconds)."""
        ...


class CrmInspector(Protocol):
    """Reads the CRM directly, without the backend."""

    def company_names(self, siren: str) -> tuple[str, ...]:
        """The names of the CRM's company records with this SIREN, one per record."""
        ...

    def contact_names(self, email: str) -> tuple[str, ...]:
        """The names of the CRM's contacts with this e-mail (compared without regard to case)."""
        ...

    def project_titles(self, project_id: str) -> tuple[str, ...]:
        """The titles of the CRM's projects for this alize project id."""
        ...


@attrs.frozen
class TargetLine:
    """
    A line of an entry as the accounting tool stored it: amounts exactly as received.

    Attributes:
        account: The account number.
        debit: The debit as stored (text, a number, a Decimal…).
        credit: The credit as stored.
    """

    account: str
    debit: object
    credit: object

    def exact_debit(self) -> Decimal:
        """The debit, refusing a float (the adapter sent an inexact amount)."""
        return to_money(self.debit, field="debit")

    def exact_credit(self) -> Decimal:
        """The credit, refusing a float."""
        return to_money(self.credit, field="credit")


@attrs.frozen
class TargetEntry:
    """
    An entry as the accounting tool stored it.

    Attributes:
        journal: The journal code.
        piece: The supporting document's reference.
        lines: Its lines, as stored.
    """

    journal: str
    piece: str
    lines: tuple[TargetLine, ...]


class LedgerInspector(Protocol):
    """Reads the accounting tool directly, without the backend, and feeds its bank account."""

    def entries_with_piece(self, piece: str) -> tuple[TargetEntry, ...]:
        """The entries stored with this supporting-document reference."""
        ...

    def add_bank_movement(self, transaction_id: str, on: date, amount: Decimal, label: str) -> None:
        """Make the bank feed show a movement (the same transaction may be added twice)."""
        ...


class EffectInspector(Protocol):
    """Counts an event's effects in the target of an event adapter."""

    def effects(self, event: EventPayload) -> int:
        """How many effects (entries, messages, records…) this event left in the target."""
        ...


def require(capabilities: frozenset[Capability], capability: Capability) -> None:
    """Skip the current test, saying why, when the backend does not declare a capability."""
    if capability not in capabilities:
        pytest.skip(f"the backend does not declare the {capability.value!r} capability")


def manager_with(adapter: object) -> AdapterManager:
    """A fresh strict manager with only this adapter, registered as ``adapter-under-test``."""
    manager = AdapterManager(AdapterConfig(strict=True))
    manager.register(adapter, name=ADAPTER_UNDER_TEST)
    return manager


def sample_events(territory: str = "MEUSE") -> tuple[EventPayload, ...]:
    """
    One event of each kind, each about its own advance or project (so effects are told apart).

    Args:
        territory: The territory's id.
    """
    on = date(2026, 4, 2)
    sme = "555012343"
    rules = ("FUND-05",)
    return (
        ProjectDecided(
            event_id="EV-101",
            sequence=101,
            project="P-101",
            sme=sme,
            session="S-2026-03",
            outcome=Outcome.ADOPTED,
            amount=Decimal("25000.00"),
            on=on,
            territory=territory,
            rules=rules,
        ),
        AgreementSigned(
            event_id="EV-102",
            sequence=102,
            agreement="C-102",
            project="P-101",
            sme=sme,
            on=on,
            territory=territory,
            rules=("CONV-02",),
        ),
        AdvanceDisbursed(
            event_id="EV-103",
            sequence=103,
            advance="AV-103",
            sme=sme,
            amount=Decimal("25000.00"),
            on=on,
            territory=territory,
            rules=rules,
        ),
        RepaymentReceived(
            event_id="EV-104",
            sequence=104,
            advance="AV-104",
            sme=sme,
            amount=Decimal("520.84"),
            on=on,
            territory=territory,
            rules=rules,
        ),
        AdvanceDefaulted(
            event_id="EV-105",
            sequence=105,
            advance="AV-105",
            sme=sme,
            outstanding=Decimal("18750.00"),
            on=on,
            territory=territory,
            rules=("SCH-06",),
        ),
        AdvanceWrittenOff(
            event_id="EV-106",
            sequence=106,
            advance="AV-106",
            sme=sme,
            amount=Decimal("9375.00"),
            on=on,
            territory=territory,
            rules=rules,
        ),
        CallForFundsIssued(
            event_id="EV-107",
            sequence=107,
            partner="ACIER",
            year=2027,
            amount=Decimal("60000.00"),
            on=on,
            territory=territory,
            rules=("FUND-01", "PIL-04"),
        ),
    )
