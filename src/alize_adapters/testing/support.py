"""
What the contract classes ask of an adapter author: fixtures' types, sample data, helpers.

A contract class needs, besides the backend or adapter under test:

- an **inspector**, the *backdoor*: it reads the target system directly (a
  sandbox API client, a database query, a fake server's state), never through
  the adapter, so the suite checks what really happened there
  (:class:`CrmInspector`, :class:`LedgerInspector`, :class:`EffectInspector`);
- a **fault injector** (:class:`FaultInjector`): it makes the next request to
  the target fail in one of the ways of :class:`~alize_adapters.host.errors.Fault`
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
alize_core.kernel.errors.InvalidValue: debit: 25000.0 is a binary float; write amounts as text or Decimal, e.g. "12.50"

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final, Protocol

import attrs
import pytest
from hypothesis import HealthCheck

from alize_adapters.host.config import AdapterConfig
from alize_adapters.host.errors import (
    AdapterError,
    AdapterUnavailable,
    CapabilityNotSupported,
    Fault,
)
from alize_adapters.host.manager import AdapterManager
from alize_adapters.host.payloads import (
    AdvanceDefaultedNotice,
    AdvanceDisbursedNotice,
    AdvanceWrittenOffNotice,
    AgreementSignedNotice,
    CallForFundsIssuedNotice,
    Capability,
    EventNotice,
    PostingBookedNotice,
    ProjectDecidedNotice,
    RepaymentReceivedNotice,
)
from alize_core import Outcome, to_money
from alize_core.accounting.books import Movement, MovementKind, posting
from alize_core.kernel.settings import Settings


__all__ = [
    "ADAPTER_UNDER_TEST",
    "FRENCH_NAMES",
    "SUBCLASSED",
    "CrmInspector",
    "EffectInspector",
    "FaultFixtures",
    "FaultInjector",
    "LedgerInspector",
    "StoreFixture",
    "TargetEntry",
    "TargetLine",
    "check_undeclared",
    "error_after_fault",
    "manager_with",
    "require",
    "require_reset",
    "sample_events",
]

ADAPTER_UNDER_TEST: Final = "adapter-under-test"
"""The name the contracts register the adapter under."""

SUBCLASSED: Final = (HealthCheck.function_scoped_fixture, HealthCheck.differing_executors)
"""
The health checks the contracts' property tests suppress: each subclass runs them with its
own fixtures, which are per test, and the executor differs per subclass by design.
"""

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

    def effects(self, event: EventNotice) -> int:
        """How many effects (entries, messages, records…) this event left in the target."""
        ...


def require(capabilities: frozenset[Capability], capability: Capability) -> None:
    """Skip the current test, saying why, when the backend does not declare a capability."""
    if capability not in capabilities:
        pytest.skip(f"the backend does not declare the {capability.value!r} capability")


class StoreFixture:
    """
    The fixture every store contract asks for: the store under test.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def store(self) -> object:
        """The store under test, empty and fresh for each test."""
        pytest.fail("provide a `store` fixture returning an empty store under test")


class FaultFixtures:
    """
    The fixtures every contract that injects faults asks for: the injector and its faults.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def fault_injector(self) -> FaultInjector:
        """Makes the next request to the target fail."""
        pytest.fail("provide a `fault_injector` fixture")

    @pytest.fixture
    def supported_faults(self) -> frozenset[Fault]:
        """The faults the injector can show (all of them by default)."""
        return frozenset(Fault)


def error_after_fault(
    fault_injector: FaultInjector,
    supported_faults: frozenset[Fault],
    fault: Fault,
    operation: Callable[[], object],
    *,
    retry_after: bool,
) -> AdapterError:
    """
    The error an operation raises when the target shows a fault: the fault's classified error.

    The test is skipped, saying why, when the target cannot show the fault.

    Args:
        fault_injector: Injects the fault.
        supported_faults: The faults it can show.
        fault: The fault.
        operation: What is done after the fault is injected.
        retry_after: Whether the 429's ``Retry-After`` (17 s) must reach the error.
    """
    if fault not in supported_faults:
        pytest.skip(f"the target cannot show the fault {fault.value!r}")
    fault_injector.inject(fault, retry_after=17)

    with pytest.raises(AdapterError) as caught:
        operation()

    assert isinstance(caught.value, fault.expected_error)
    if retry_after and fault is Fault.RATE_LIMITED:
        assert isinstance(caught.value, AdapterUnavailable)
        assert caught.value.retry_after == 17
    return caught.value


def require_reset(supported_faults: frozenset[Fault]) -> None:
    """Skip the current test, saying why, when the target cannot show a reset connection."""
    if Fault.RESET not in supported_faults:
        pytest.skip("the target cannot show a reset connection")


def check_undeclared(
    capabilities: frozenset[Capability],
    calls: Mapping[Capability, Callable[[], object]],
    *,
    what: str,
) -> None:
    """
    Check that the operation of each capability the offer does not declare is refused.

    The test is skipped when the backend declares every capability of its role.

    Args:
        capabilities: What the backend's offer declares.
        calls: One operation for each capability of the backend's role.
        what: The role, for the reason of the skip (``CRM``, ``accounting``).
    """
    undeclared = set(calls) - capabilities
    if not undeclared:
        pytest.skip(f"the backend declares every {what} capability")
    for capability in sorted(undeclared):
        with pytest.raises(CapabilityNotSupported):
            calls[capability]()


def manager_with(adapter: object) -> AdapterManager:
    """A fresh strict manager with only this adapter, registered as ``adapter-under-test``."""
    manager = AdapterManager(AdapterConfig(strict=True))
    manager.register(adapter, name=ADAPTER_UNDER_TEST)
    return manager


def sample_events(territory: str = "MEUSE") -> tuple[EventNotice, ...]:
    """
    One event of each kind, each about its own advance or project (so effects are told apart).

    Args:
        territory: The territory's id.
    """
    on = date(2026, 4, 2)
    sme = "555012343"
    rules = ("FUND-05",)

    def envelope(number: int, *cited: str) -> dict[str, Any]:
        """The fields every event has: event ``EV-<number>``, at that place in the journal."""
        return {
            "event_id": f"EV-{number}",
            "sequence": number,
            "on": on,
            "territory": territory,
            "rules": cited or rules,
        }

    return (
        ProjectDecidedNotice(
            **envelope(101),
            project="P-101",
            sme=sme,
            session="S-2026-03",
            outcome=Outcome.ADOPTED,
            amount=Decimal("25000.00"),
        ),
        AgreementSignedNotice(
            **envelope(102, "CONV-02"), agreement="C-102", project="P-101", sme=sme
        ),
        AdvanceDisbursedNotice(
            **envelope(103), advance="AV-103", sme=sme, amount=Decimal("25000.00")
        ),
        RepaymentReceivedNotice(
            **envelope(104), advance="AV-104", sme=sme, amount=Decimal("520.84")
        ),
        AdvanceDefaultedNotice(
            **envelope(105, "SCH-06"), advance="AV-105", sme=sme, outstanding=Decimal("18750.00")
        ),
        AdvanceWrittenOffNotice(
            **envelope(106), advance="AV-106", sme=sme, amount=Decimal("9375.00")
        ),
        CallForFundsIssuedNotice(
            **envelope(107, "FUND-01", "PIL-04"),
            partner="ACIER",
            year=2027,
            amount=Decimal("60000.00"),
        ),
        PostingBookedNotice(
            **envelope(108),
            posting=posting(
                Movement("108", on, MovementKind.REPAYMENT, "520.84", sme, "Usinage Meusien"),
                territory=territory,
                settings=Settings.national(),
            ),
        ),
    )
