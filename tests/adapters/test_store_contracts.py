"""
alize's own stores pass the store contracts of ``alize_adapters.testing``, and the contracts
catch broken stores: each fails exactly the contract tests aimed at its defect.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from alize_adapters.delivery import MemoryDeliveryStore, SqliteDeliveryStore
from alize_adapters.storage import MemoryStore, SqliteStore, audit
from alize_adapters.testing import (
    CommandStoreContract,
    Connector,
    DeliveryConnector,
    DeliveryStoreContract,
    EventStoreContract,
    PersonalDataContract,
    SampleJournal,
    TokenStoreContract,
)
from alize_core.kernel.errors import InvalidValue
from alize_core.register.storage import snapshot_of

from .runner import failed, outcomes_of


MUTANTS = Path(__file__).with_name("store_mutants.py")


class TestSqliteStore(
    EventStoreContract, CommandStoreContract, PersonalDataContract, TokenStoreContract
):
    """The embedded SQLite store keeps every storage contract."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SqliteStore]:
        """A new store file for each test."""
        with SqliteStore(tmp_path / "alize.db") as store:
            yield store

    @pytest.fixture
    def connect(self, tmp_path: Path) -> Connector:
        """Another connection to the test's file."""
        return lambda: SqliteStore(tmp_path / "alize.db", create=False)

    @pytest.fixture
    def stored_bytes(self, tmp_path: Path) -> Callable[[], bytes]:
        """The store's file and its write-ahead log, read as bytes."""
        return lambda: b"".join(path.read_bytes() for path in sorted(tmp_path.glob("alize.db*")))


class TestMemoryStore(
    EventStoreContract, CommandStoreContract, PersonalDataContract, TokenStoreContract
):
    """The store in memory keeps every storage contract."""

    @pytest.fixture
    def store(self) -> MemoryStore:
        """A new store for each test."""
        return MemoryStore()

    @pytest.fixture
    def connect(self, store: MemoryStore) -> Connector:
        """The same store again: threads share one object."""
        return lambda: contextlib.nullcontext(store)

    @pytest.fixture
    def stored_bytes(self, store: MemoryStore) -> Callable[[], bytes]:
        """Everything the store's object holds, written out."""
        return lambda: repr(vars(store)).encode()


def test_the_memory_store_is_audited_like_any_store() -> None:
    """``audit`` reads the memory store's journal and snapshots: a sound register is clean."""
    store, journal = MemoryStore(), SampleJournal()
    store.append(journal.write(3), expected_version=0)
    store.save_snapshot(snapshot_of(journal.register))
    store.append(journal.write(2), expected_version=3)

    found = audit(store)
    assert found.ok
    assert found.snapshots_checked == 1
    assert found.register == journal.register


def test_the_memory_store_refuses_a_token_id_or_digest_already_kept() -> None:
    """A second token under a kept id, or with a kept digest, is refused; the first still works."""
    store = MemoryStore()
    store.add_token("tok-00000001", "OP1", "a" * 64, "2026-12-07T09:00:00+00:00")

    with pytest.raises(InvalidValue, match="token_id"):
        store.add_token("tok-00000001", "R1", "b" * 64, "2026-12-07T09:00:00+00:00")
    with pytest.raises(InvalidValue, match="digest"):
        store.add_token("tok-00000002", "R1", "a" * 64, "2026-12-07T09:00:00+00:00")
    assert store.token_actor("a" * 64) == "OP1"
    assert [info.id for info in store.tokens()] == ["tok-00000001"]


class TestSqliteDeliveryStore(DeliveryStoreContract):
    """The outbox's SQLite store keeps the delivery contract."""

    @pytest.fixture
    def store(self, tmp_path: Path) -> Iterator[SqliteDeliveryStore]:
        """A new outbox file for each test."""
        with SqliteDeliveryStore(tmp_path / "outbox.sqlite") as store:
            yield store

    @pytest.fixture
    def connect(self, tmp_path: Path) -> DeliveryConnector:
        """Another connection to the test's outbox file."""
        return lambda: SqliteDeliveryStore(tmp_path / "outbox.sqlite")


class TestMemoryDeliveryStore(DeliveryStoreContract):
    """The outbox's store in memory keeps the delivery contract."""

    @pytest.fixture
    def store(self) -> MemoryDeliveryStore:
        """A new store for each test."""
        return MemoryDeliveryStore()

    @pytest.fixture
    def connect(self, store: MemoryDeliveryStore) -> DeliveryConnector:
        """The same store again: relays in one process share one object."""
        return lambda: contextlib.nullcontext(store)


# -- the contracts catch broken stores -------------------------------------------------------


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Run the contracts against every broken store once; outcome of each test, by class."""
    return outcomes_of(MUTANTS, tmp_path_factory.mktemp("store-mutants"))


def test_a_store_ignoring_the_expected_version_fails_the_concurrency_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A stale writer appending over newer events is caught by every stale-writer test and the invariant."""
    assert failed(outcomes, "TestVersionBlindStore") == {
        "test_a_stale_writer_is_refused_and_writes_nothing",
        "test_a_writer_ahead_of_the_store_is_refused",
        "test_an_empty_append_at_a_stale_version_is_refused",
        "test_a_stale_command_keeps_no_id",
        "test_any_run_of_appends_and_stale_appends_keeps_exactly_the_accepted_ones",
    }


def test_a_store_appending_half_a_batch_fails_the_all_or_nothing_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Rows written before the bad one are caught by the chain tests and the failing iterator."""
    assert failed(outcomes, "TestHalfBatchStore") == {
        "test_rows_that_do_not_follow_the_chain_are_refused_whole[digest]",
        "test_rows_that_do_not_follow_the_chain_are_refused_whole[gap]",
        "test_rows_that_do_not_follow_the_chain_are_refused_whole[body]",
        "test_a_batch_whose_rows_fail_while_read_writes_nothing",
    }


def test_a_store_forgetting_command_ids_fails_the_idempotency_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Events kept without their id: no record, and a replay writes the command twice."""
    assert failed(outcomes, "TestForgetfulCommandStore") == {
        "test_a_command_is_recorded_with_its_events",
        "test_a_reused_id_is_already_recorded_and_writes_nothing",
        "test_a_replay_at_the_old_version_is_already_recorded",
        "test_ids_are_kept_apart",
    }


def test_a_store_ignoring_the_snapshot_date_fails_the_dated_snapshot_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A later snapshot given for an earlier date is caught, and so is the register it loads."""
    assert failed(outcomes, "TestFirstSnapshotStore") == {
        "test_a_snapshot_on_or_before_a_date_is_the_latest_by_then",
        "test_load_at_any_date_equals_the_replay_whatever_the_snapshots",
    }


def test_a_store_hiding_erased_people_fails_the_backdoor_test(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Details hidden but kept pass every test through the store; the backdoor finds them."""
    assert failed(outcomes, "TestHidingStore") == {
        "test_an_erased_person_leaves_no_trace_in_the_storage",
    }


def test_a_store_that_cannot_revoke_fails_the_revocation_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Tokens that stay live after a revocation are caught by each test that revokes."""
    assert failed(outcomes, "TestEverlastingTokenStore") == {
        "test_a_revoked_token_authenticates_nobody",
        "test_revoking_an_actor_revokes_every_token_of_theirs",
        "test_tokens_are_listed_oldest_first_revoked_ones_included",
    }


def test_an_outbox_losing_leases_hands_a_delivery_twice_and_fails(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A claim without its lease lets a second relay deliver again; the claim tests catch it."""
    assert failed(outcomes, "TestLeaseLosingStore") == {
        "test_a_saved_delivery_is_read_back_equal",
        "test_a_delivery_in_flight_is_not_handed_to_a_second_relay",
        "test_an_attempt_that_died_is_tried_again_once_its_lease_ends",
    }


def test_an_outbox_resetting_deliveries_fails_the_enqueue_test(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A delivered delivery reset to pending by a second enqueue is caught."""
    assert failed(outcomes, "TestResettingStore") == {
        "test_enqueuing_again_never_resets_a_delivery_under_way",
    }


def test_an_outbox_whose_position_moves_back_fails_the_position_test(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A late relay moving the position back is caught."""
    assert failed(outcomes, "TestRewindingStore") == {"test_the_position_never_moves_back"}


def test_an_outbox_losing_dead_letters_fails_the_dead_letter_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Dead deliveries that are never listed cannot be read or replayed: caught."""
    assert failed(outcomes, "TestDeadForgettingStore") == {
        "test_a_saved_delivery_is_read_back_equal",
        "test_deliveries_are_filtered_by_state_and_adapter",
        "test_a_refusal_is_a_dead_letter_until_replayed",
        "test_too_many_attempts_make_a_dead_letter",
    }
