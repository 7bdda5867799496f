"""
The event-hook contract: what every adapter observing committed events must do.

Subclass :class:`EventHookContract` and provide ``adapter`` (the adapter object,
as its entry point would load it), ``events`` (events it turns into an effect in
its target; :func:`~alize_adapters.testing.sample_events` by default),
``inspector`` (an :class:`~alize_adapters.testing.EffectInspector`
counting each event's effects in the target) and ``fault_injector``.

The outbox delivers an event **at least once** (:mod:`alize_adapters.delivery.outbox`),
so the contract delivers events twice, after faults, and with fields a later
alize release adds, and checks through the backdoor that each event has exactly
one effect, that failures are raised (classified) rather than swallowed, and
that the payload is left as it came.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import attrs
import pytest

from alize_adapters.host.errors import AdapterError, Fault
from alize_adapters.host.manager import AdapterManager
from alize_adapters.host.payloads import EventNotice
from alize_adapters.testing.support import (
    ADAPTER_UNDER_TEST,
    EffectInspector,
    FaultFixtures,
    FaultInjector,
    error_after_fault,
    manager_with,
    require_reset,
    sample_events,
)


__all__ = ["EventHookContract"]


def _deliver(manager: AdapterManager, events: Iterable[EventNotice]) -> None:
    """Deliver each event to the adapter under test, in order."""
    for event in events:
        manager.deliver(ADAPTER_UNDER_TEST, event)


def _effects(inspector: EffectInspector, events: Iterable[EventNotice]) -> list[int]:
    """How many effects each event left in the target."""
    return [inspector.effects(event) for event in events]


class EventHookContract(FaultFixtures):
    """
    Contract tests for an event adapter; subclass it and provide the fixtures.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def adapter(self) -> object:
        """The adapter under test (a module or an instance with ``@hookimpl`` hooks)."""
        pytest.fail("provide an `adapter` fixture returning the adapter object under test")

    @pytest.fixture
    def events(self) -> tuple[EventNotice, ...]:
        """Events the adapter has an effect for (every kind of sample event by default)."""
        return sample_events()

    @pytest.fixture
    def inspector(self) -> EffectInspector:
        """The backdoor: counts an event's effects in the target."""
        pytest.fail("provide an `inspector` fixture that counts effects in the target")

    @pytest.fixture
    def manager(self, adapter: object) -> AdapterManager:
        """A fresh strict manager holding only the adapter."""
        return manager_with(adapter)

    def _observed(
        self, manager: AdapterManager, events: tuple[EventNotice, ...]
    ) -> list[EventNotice]:
        observed = [e for e in events if ADAPTER_UNDER_TEST in manager.subscribers(e.kind)]
        if not observed:
            pytest.fail("the adapter observes none of the `events`; give events it observes")
        return observed

    def test_the_adapter_observes_events(
        self, manager: AdapterManager, events: tuple[EventNotice, ...]
    ) -> None:
        """The adapter registers cleanly and implements at least one event hook."""
        hooks = {event.hook_name for event in self._observed(manager, events)}

        assert manager.failures == ()
        assert hooks

    def test_each_event_has_one_effect(
        self,
        manager: AdapterManager,
        events: tuple[EventNotice, ...],
        inspector: EffectInspector,
    ) -> None:
        """One delivery of an event leaves exactly one effect in the target."""
        observed = self._observed(manager, events)
        _deliver(manager, observed)

        assert _effects(inspector, observed) == [1] * len(observed)

    def test_delivering_an_event_twice_has_one_effect(
        self,
        manager: AdapterManager,
        events: tuple[EventNotice, ...],
        inspector: EffectInspector,
    ) -> None:
        """An event delivered again (at least once) leaves still one effect."""
        observed = self._observed(manager, events)
        _deliver(manager, observed + observed)

        assert _effects(inspector, observed) == [1] * len(observed)

    def test_unknown_extra_fields_are_tolerated(
        self,
        manager: AdapterManager,
        events: tuple[EventNotice, ...],
        inspector: EffectInspector,
    ) -> None:
        """Fields a later alize release adds to an event do not break the adapter."""
        extra = json.dumps({"champ_futur": "valeur", "version_du_schema": 2})
        observed = [attrs.evolve(e, extra_json=extra) for e in self._observed(manager, events)]
        _deliver(manager, observed)

        assert _effects(inspector, observed) == [1] * len(observed)

    def test_payloads_are_never_mutated(
        self, manager: AdapterManager, events: tuple[EventNotice, ...]
    ) -> None:
        """The payload an adapter received is the same after its hook returned."""
        observed = self._observed(manager, events)
        copies = [attrs.evolve(event) for event in observed]
        _deliver(manager, observed)

        assert observed == copies

    @pytest.mark.parametrize("fault", list(Fault))
    def test_each_fault_raises_its_classified_error(
        self,
        manager: AdapterManager,
        events: tuple[EventNotice, ...],
        fault_injector: FaultInjector,
        supported_faults: frozenset[Fault],
        fault: Fault,
    ) -> None:
        """A failure of the target reaches the relay, classified, instead of being swallowed."""
        if fault not in supported_faults:
            pytest.skip(f"the target cannot show the fault {fault.value!r}")
        event = self._observed(manager, events)[0]

        error = error_after_fault(
            fault_injector,
            supported_faults,
            fault,
            lambda: manager.deliver(ADAPTER_UNDER_TEST, event),
            retry_after=False,
        )

        assert error.retryable is (fault is not Fault.REJECTED)

    def test_a_delivery_retried_after_a_reset_has_one_effect(
        self,
        manager: AdapterManager,
        events: tuple[EventNotice, ...],
        inspector: EffectInspector,
        fault_injector: FaultInjector,
        supported_faults: frozenset[Fault],
    ) -> None:
        """An event whose effect happened but whose answer was lost, delivered again, has one effect."""
        require_reset(supported_faults)
        event = self._observed(manager, events)[0]
        fault_injector.inject(Fault.RESET)
        with pytest.raises(AdapterError):
            manager.deliver(ADAPTER_UNDER_TEST, event)
        manager.deliver(ADAPTER_UNDER_TEST, event)

        assert inspector.effects(event) == 1
