"""
The accounting contract: what every :class:`~alize_adapters.host.backends.AccountingBackend` must do.

Subclass :class:`AccountingBackendContract` and provide ``backend``,
``inspector`` (a :class:`~alize_adapters.testing.LedgerInspector`),
``fault_injector`` and ``capabilities``. The contract checks, through the
backdoor, that an entry posted twice with one key is one entry, that amounts
arrive exactly (never as floats, SCH-01), that journal and account codes are
kept, that bank movements count once and resume from their cursor, and that
failures are classified rather than swallowed.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings

from alize_adapters.host.backends import (
    AccountingBackend,
    BankMovement,
    EntryLine,
    JournalEntry,
    PostingReceipt,
)
from alize_adapters.host.errors import AdapterUnavailable, Fault, IdempotencyConflict
from alize_adapters.host.payloads import BackendRole, Capability
from alize_adapters.testing.strategies import journal_entries
from alize_adapters.testing.support import (
    SUBCLASSED,
    FaultFixtures,
    FaultInjector,
    LedgerInspector,
    check_undeclared,
    error_after_fault,
    require,
    require_reset,
)


__all__ = ["AccountingBackendContract"]


def _piece() -> str:
    return f"T-{uuid.uuid4().hex[:12]}"


def _entry(piece: str, amount: str = "25000.00", on: date = date(2026, 4, 2)) -> JournalEntry:
    return JournalEntry(
        journal="AV",
        on=on,
        piece=piece,
        label=f"Avance {piece}",
        lines=(
            EntryLine(account="2748", label="Avance", debit=Decimal(amount), auxiliary="555012343"),
            EntryLine(account="512", label="Banque", credit=Decimal(amount)),
        ),
    )


def _post(
    backend: AccountingBackend, piece: str, amount: str = "25000.00", on: date = date(2026, 4, 2)
) -> PostingReceipt:
    """Post the entry of a piece with the piece's own key."""
    return backend.post_entry(_entry(piece, amount, on), idempotency_key=f"key-{piece}")


def _drain(backend: AccountingBackend, cursor: str | None) -> tuple[list[BankMovement], str | None]:
    """Every bank movement after a cursor, page by page, and the cursor after them."""
    found: list[BankMovement] = []
    for _page in range(1000):
        page = backend.read_bank_movements(cursor, 100)
        found.extend(page.movements)
        if not page.movements or page.cursor == cursor:
            return found, page.cursor
        cursor = page.cursor
    pytest.fail("reading bank movements did not end after 1000 pages of 100")


@attrs.frozen
class _BankFeed:
    """The bank's feed, given new transactions told apart from earlier ones by a tag."""

    inspector: LedgerInspector
    tag: str = attrs.field(factory=lambda: uuid.uuid4().hex[:8])

    def transaction(self, number: int) -> str:
        """The id of this feed's transaction ``number``."""
        return f"TX-{self.tag}-{number}"

    def add(self, number: int, amount: str, label: str) -> None:
        """Make the feed show transaction ``number`` (again, when it was already shown)."""
        self.inspector.add_bank_movement(
            self.transaction(number), date(2026, 5, 2), Decimal(amount), label
        )


class AccountingBackendContract(FaultFixtures):
    """
    Contract tests for an accounting backend; subclass it and provide the fixtures.

    .. versionadded:: 0.1.0
    """

    @pytest.fixture
    def backend(self) -> AccountingBackend:
        """The backend under test, fresh for each test."""
        pytest.fail("provide a `backend` fixture returning the accounting backend under test")

    @pytest.fixture
    def inspector(self) -> LedgerInspector:
        """The backdoor: reads the accounting tool without the backend."""
        pytest.fail("provide an `inspector` fixture that reads the tool without the backend")

    @pytest.fixture
    def capabilities(self) -> frozenset[Capability]:
        """The capabilities the backend's offer declares."""
        return BackendRole.ACCOUNTING.capabilities

    # -- posting ------------------------------------------------------------------------

    def test_posting_the_same_key_twice_makes_one_entry(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        capabilities: frozenset[Capability],
    ) -> None:
        """A second posting with the key is replayed: same reference, nothing new written."""
        require(capabilities, Capability.POSTING)
        piece = _piece()
        first = _post(backend, piece)
        second = _post(backend, piece)

        assert len(inspector.entries_with_piece(piece)) == 1
        assert first.replayed is False
        assert second == attrs.evolve(first, replayed=True)

    def test_the_same_key_for_another_entry_is_a_conflict(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        capabilities: frozenset[Capability],
    ) -> None:
        """Reusing a key for a different entry raises IdempotencyConflict and writes nothing."""
        require(capabilities, Capability.POSTING)
        piece = _piece()
        _post(backend, piece)

        with pytest.raises(IdempotencyConflict):
            _post(backend, piece, "1.00")
        assert len(inspector.entries_with_piece(piece)) == 1

    @settings(max_examples=25, suppress_health_check=SUBCLASSED)
    @given(entry=journal_entries())
    def test_amounts_reach_the_tool_exactly(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        capabilities: frozenset[Capability],
        entry: JournalEntry,
    ) -> None:
        """Every debit and credit is stored as an exact amount (never a float) equal to the one posted."""
        require(capabilities, Capability.POSTING)
        piece = _piece()
        entry = attrs.evolve(entry, piece=piece)
        backend.post_entry(entry, idempotency_key=f"key-{piece}")
        (stored,) = inspector.entries_with_piece(piece)

        assert [(line.exact_debit(), line.exact_credit()) for line in stored.lines] == [
            (line.debit, line.credit) for line in entry.lines
        ]

    def test_journal_and_account_codes_are_kept(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        capabilities: frozenset[Capability],
    ) -> None:
        """The tool stores the journal code and each line's account exactly as posted."""
        require(capabilities, Capability.POSTING)
        piece = _piece()
        _post(backend, piece)
        (stored,) = inspector.entries_with_piece(piece)

        assert stored.journal == "AV"
        assert [line.account for line in stored.lines] == ["2748", "512"]

    def test_concurrent_posts_with_one_key_make_one_entry(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        capabilities: frozenset[Capability],
    ) -> None:
        """Eight threads posting one entry with one key leave one entry and one reference."""
        require(capabilities, Capability.POSTING)
        piece = _piece()

        def post(_number: int) -> PostingReceipt:
            return _post(backend, piece)

        with ThreadPoolExecutor(max_workers=8) as pool:
            receipts = list(pool.map(post, range(8)))

        assert len(inspector.entries_with_piece(piece)) == 1
        assert len({receipt.external_ref for receipt in receipts}) == 1
        assert sum(1 for receipt in receipts if not receipt.replayed) == 1

    def test_input_entries_are_never_mutated(
        self, backend: AccountingBackend, capabilities: frozenset[Capability]
    ) -> None:
        """The entry given to the backend is the same after posting."""
        require(capabilities, Capability.POSTING)
        entry = _entry(_piece())
        copy = attrs.evolve(entry, lines=tuple(attrs.evolve(line) for line in entry.lines))
        backend.post_entry(entry, idempotency_key=f"key-{entry.piece}")

        assert entry == copy

    # -- failures -----------------------------------------------------------------------

    @pytest.mark.parametrize("fault", list(Fault))
    def test_each_fault_raises_its_classified_error(
        self,
        backend: AccountingBackend,
        fault_injector: FaultInjector,
        capabilities: frozenset[Capability],
        supported_faults: frozenset[Fault],
        fault: Fault,
    ) -> None:
        """A timeout, 429, 500, reset or unreadable answer is AdapterUnavailable; a 422 is AdapterRejected."""
        require(capabilities, Capability.POSTING)
        piece = _piece()

        error_after_fault(
            fault_injector,
            supported_faults,
            fault,
            lambda: _post(backend, piece),
            retry_after=True,
        )

    def test_a_posting_retried_after_a_reset_makes_one_entry(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        fault_injector: FaultInjector,
        capabilities: frozenset[Capability],
        supported_faults: frozenset[Fault],
    ) -> None:
        """A posting whose answer was lost, retried with its key, is one entry and a replay."""
        require(capabilities, Capability.POSTING)
        require_reset(supported_faults)
        piece = _piece()
        fault_injector.inject(Fault.RESET)
        with pytest.raises(AdapterUnavailable):
            _post(backend, piece)
        retried = _post(backend, piece)

        assert len(inspector.entries_with_piece(piece)) == 1
        assert retried.replayed is True

    # -- bank movements and export --------------------------------------------------------

    def test_bank_movements_count_each_transaction_once(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        capabilities: frozenset[Capability],
    ) -> None:
        """A transaction the bank feed repeats is read once."""
        require(capabilities, Capability.BANK_MOVEMENTS)
        _seen, start = _drain(backend, None)
        feed = _BankFeed(inspector)
        feed.add(1, "520.84", "VIR USINAGE MEUSIEN")
        feed.add(2, "-25000.00", "VIR AVANCE AV-7")
        feed.add(1, "520.84", "VIR USINAGE MEUSIEN")
        read, _cursor = _drain(backend, start)
        mine = [m for m in read if m.transaction_id.startswith(f"TX-{feed.tag}-")]

        assert [m.transaction_id for m in mine] == [feed.transaction(1), feed.transaction(2)]
        assert [m.amount for m in mine] == [Decimal("520.84"), Decimal("-25000.00")]

    def test_reading_bank_movements_resumes_from_the_cursor(
        self,
        backend: AccountingBackend,
        inspector: LedgerInspector,
        capabilities: frozenset[Capability],
    ) -> None:
        """Reading from the last cursor gives only the movements that came since."""
        require(capabilities, Capability.BANK_MOVEMENTS)
        _seen, start = _drain(backend, None)
        feed = _BankFeed(inspector)
        feed.add(1, "520.84", "VIR 1")
        _first, cursor = _drain(backend, start)
        feed.add(2, "520.84", "VIR 2")
        feed.add(1, "520.84", "VIR 1")
        second, _cursor = _drain(backend, cursor)

        assert [m.transaction_id for m in second if feed.tag in m.transaction_id] == [
            feed.transaction(2)
        ]

    def test_the_export_covers_the_period_with_its_totals(
        self, backend: AccountingBackend, capabilities: frozenset[Capability]
    ) -> None:
        """The export lists every line dated in the period, none outside, and its totals balance."""
        require(capabilities, Capability.EXPORT)
        require(capabilities, Capability.POSTING)
        inside, later = _piece(), _piece()
        _post(backend, inside, "1000.10")
        _post(backend, later, "7.00", on=date(2027, 1, 5))
        export = backend.export_entries(date(2026, 1, 1), date(2026, 12, 31))

        assert len(export.columns) >= 3
        assert [row for row in export.rows if any(later in cell for cell in row)] == []
        assert sum(1 for row in export.rows if any(inside in cell for cell in row)) == 2
        assert export.total_debit == export.total_credit >= Decimal("1000.10")

    def test_undeclared_capabilities_raise_capability_not_supported(
        self, backend: AccountingBackend, capabilities: frozenset[Capability]
    ) -> None:
        """An operation the offer does not declare raises CapabilityNotSupported."""
        calls: dict[Capability, Callable[[], object]] = {
            Capability.POSTING: lambda: backend.post_entry(_entry(_piece()), idempotency_key="k"),
            Capability.BANK_MOVEMENTS: lambda: backend.read_bank_movements(None, 10),
            Capability.EXPORT: lambda: backend.export_entries(date(2026, 1, 1), date(2026, 12, 31)),
        }
        check_undeclared(capabilities, calls, what="accounting")
