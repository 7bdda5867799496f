"""
Deliberately broken backends and adapters, run through the conformance suite.

This module is not collected by the normal test run (its name does not start
with ``test_``): ``test_contract_mutants.py`` runs it in a separate pytest and
checks that each broken backend fails exactly the contract tests that should
catch its defect, and passes the others.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from decimal import Decimal

import attrs
import pytest

from alize_adapters.fakes import LedgerPostings, MemoryCrm, MemoryLedger, Request, Wire
from alize_adapters.fakes._http import exchange
from alize_adapters.host import (
    AdapterError,
    CompanyRecord,
    ContactRecord,
    JournalEntry,
    PostingBookedNotice,
    PostingReceipt,
    hookimpl,
)
from alize_adapters.testing import (
    AccountingBackendContract,
    CrmBackendContract,
    EventHookContract,
)

from .targets import CrmFixtures, LedgerFixtures, PostingFixtures


# -- the broken backends ----------------------------------------------------------------


class NonIdempotentLedger(MemoryLedger):
    """Forgets to send the idempotency key: every posting is a new entry."""

    def post_entry(self, entry: JournalEntry, *, idempotency_key: str) -> PostingReceipt:
        """Post without the key."""
        body = _entry_body(entry, str)
        _status, data = exchange(self.wire, Request("POST", "/entries", body=body), self.what)
        return PostingReceipt(
            idempotency_key=idempotency_key, external_ref=str(data["id"]), replayed=False
        )


class FloatLedger(MemoryLedger):
    """Sends amounts as JSON numbers (binary floats) instead of text."""

    def post_entry(self, entry: JournalEntry, *, idempotency_key: str) -> PostingReceipt:
        """Post with float amounts."""
        body = _entry_body(entry, float)
        request = Request(
            "POST", "/entries", headers=(("Idempotency-Key", idempotency_key),), body=body
        )
        _status, data = exchange(self.wire, request, self.what)
        return PostingReceipt(
            idempotency_key=idempotency_key,
            external_ref=str(data["id"]),
            replayed=data.get("_replayed") is True,
        )


def _entry_body(entry: JournalEntry, convert: Callable[[Decimal], object]) -> bytes:
    lines = [
        {
            "account": line.account,
            "label": line.label,
            "debit": convert(line.debit),
            "credit": convert(line.credit),
        }
        for line in entry.lines
    ]
    data = {
        "journal": entry.journal,
        "date": entry.on.isoformat(),
        "piece": entry.piece,
        "label": entry.label,
        "lines": lines,
    }
    return json.dumps(data).encode()


class SwallowingCrm(MemoryCrm):
    """Hides failures of the CRM: an upsert that failed pretends it succeeded."""

    def upsert_company(self, company: CompanyRecord) -> CompanyRecord:
        """Upsert, or pretend to."""
        try:
            return super().upsert_company(company)
        except AdapterError:
            return attrs.evolve(company, external_id="unknown")


class MutatingCrm(MemoryCrm):
    """Tidies the records it is given in place (strips names, lowers e-mails)."""

    def upsert_company(self, company: CompanyRecord) -> CompanyRecord:
        """Upsert after changing the caller's record."""
        object.__setattr__(company, "name", company.name.strip())
        return super().upsert_company(company)

    def upsert_contact(self, contact: ContactRecord) -> ContactRecord:
        """Upsert after changing the caller's record."""
        object.__setattr__(contact, "email", contact.email.lower())
        return super().upsert_contact(contact)


class SwallowingPostings(LedgerPostings):
    """Catches every failure of the accounting tool and returns as if all went well."""

    @hookimpl
    def alize_on_posting_booked(self, event: PostingBookedNotice) -> None:
        """Post, or pretend to."""
        try:
            super().alize_on_posting_booked(event)
        except AdapterError:
            return


class MutatingPostings(LedgerPostings):
    """Adds a rule id to the payload it received, which every later adapter would see."""

    @hookimpl
    def alize_on_posting_booked(self, event: PostingBookedNotice) -> None:
        """Post after changing the payload."""
        object.__setattr__(event, "rules", (*event.rules, "FUND-05"))
        super().alize_on_posting_booked(event)


class RandomKeyLedger(MemoryLedger):
    """Posts every entry with a key of its own, drawn at random: repeats become new entries."""

    def post_entry(self, entry: JournalEntry, *, idempotency_key: str) -> PostingReceipt:
        """Post under a random key."""
        return super().post_entry(entry, idempotency_key=str(uuid.uuid4()))


# -- the contract runs ------------------------------------------------------------------


class TestNonIdempotentLedger(LedgerFixtures, AccountingBackendContract):
    @pytest.fixture
    def backend(self, wire: Wire) -> MemoryLedger:
        return NonIdempotentLedger(wire)


class TestFloatLedger(LedgerFixtures, AccountingBackendContract):
    @pytest.fixture
    def backend(self, wire: Wire) -> MemoryLedger:
        return FloatLedger(wire)


class TestSwallowingCrm(CrmFixtures, CrmBackendContract):
    @pytest.fixture
    def backend(self, wire: Wire) -> MemoryCrm:
        return SwallowingCrm(wire)


class TestMutatingCrm(CrmFixtures, CrmBackendContract):
    @pytest.fixture
    def backend(self, wire: Wire) -> MemoryCrm:
        return MutatingCrm(wire)


class TestSwallowingPostings(PostingFixtures, EventHookContract):
    @pytest.fixture
    def adapter(self, wire: Wire) -> LedgerPostings:
        return SwallowingPostings(MemoryLedger(wire))


class TestMutatingPostings(PostingFixtures, EventHookContract):
    @pytest.fixture
    def adapter(self, wire: Wire) -> LedgerPostings:
        return MutatingPostings(MemoryLedger(wire))


class TestRandomKeyPostings(PostingFixtures, EventHookContract):
    @pytest.fixture
    def adapter(self, wire: Wire) -> LedgerPostings:
        return LedgerPostings(RandomKeyLedger(wire))
