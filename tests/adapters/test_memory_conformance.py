"""The in-memory reference backends and adapter pass the conformance suite."""

from __future__ import annotations

import pytest

from alize_adapters.fakes import LedgerPostings, MemoryCrm, MemoryLedger, Wire
from alize_adapters.host import Capability
from alize_adapters.testing import (
    AccountingBackendContract,
    CrmBackendContract,
    EventHookContract,
)

from .targets import CrmFixtures, LedgerFixtures, PostingFixtures


class TestMemoryCrm(CrmFixtures, CrmBackendContract):
    """The in-memory CRM, with every capability."""

    @pytest.fixture
    def backend(self, wire: Wire) -> MemoryCrm:
        """The backend under test."""
        return MemoryCrm(wire)


class TestMemoryCrmWithoutProjects(CrmFixtures, CrmBackendContract):
    """The in-memory CRM declaring companies and contacts only."""

    @pytest.fixture
    def capabilities(self) -> frozenset[Capability]:
        """No projects."""
        return frozenset({Capability.COMPANIES, Capability.CONTACTS})

    @pytest.fixture
    def backend(self, wire: Wire, capabilities: frozenset[Capability]) -> MemoryCrm:
        """The backend under test, declaring fewer capabilities."""
        return MemoryCrm(wire, capabilities)


class TestMemoryLedger(LedgerFixtures, AccountingBackendContract):
    """The in-memory accounting tool, with every capability."""

    @pytest.fixture
    def backend(self, wire: Wire) -> MemoryLedger:
        """The backend under test."""
        return MemoryLedger(wire)


class TestMemoryLedgerPostingOnly(LedgerFixtures, AccountingBackendContract):
    """The in-memory accounting tool declaring posting only."""

    @pytest.fixture
    def capabilities(self) -> frozenset[Capability]:
        """Posting only."""
        return frozenset({Capability.POSTING})

    @pytest.fixture
    def backend(self, wire: Wire, capabilities: frozenset[Capability]) -> MemoryLedger:
        """The backend under test, declaring fewer capabilities."""
        return MemoryLedger(wire, capabilities)


class TestLedgerPostings(PostingFixtures, EventHookContract):
    """The adapter posting the fund's postings to the in-memory accounting tool."""

    @pytest.fixture
    def adapter(self, wire: Wire) -> LedgerPostings:
        """The adapter under test."""
        return LedgerPostings(MemoryLedger(wire))
