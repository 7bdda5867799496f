"""The conformance suite catches broken backends: each fails exactly the tests aimed at its defect."""

from __future__ import annotations

from pathlib import Path

import pytest

from .runner import failed, outcomes_of


MUTANTS = Path(__file__).with_name("mutants.py")

FAULTS = ("timeout", "rate_limited", "server_error", "reset", "malformed_body", "rejected")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """Run the suite against every broken backend once; outcome of each test, by class."""
    return outcomes_of(MUTANTS, tmp_path_factory.mktemp("mutants"))


def test_a_ledger_that_ignores_the_key_fails_the_idempotency_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Posting without the idempotency key is caught by the four tests that repeat a posting."""
    assert failed(outcomes, "TestNonIdempotentLedger") == {
        "test_posting_the_same_key_twice_makes_one_entry",
        "test_the_same_key_for_another_entry_is_a_conflict",
        "test_concurrent_posts_with_one_key_make_one_entry",
        "test_a_posting_retried_after_a_reset_makes_one_entry",
    }


def test_a_ledger_sending_floats_fails_the_exact_amount_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Float amounts are caught when stored, and again when the export reads them back."""
    assert failed(outcomes, "TestFloatLedger") == {
        "test_amounts_reach_the_tool_exactly",
        "test_the_export_covers_the_period_with_its_totals",
    }


def test_a_crm_swallowing_errors_fails_the_fault_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A CRM that hides failures fails every injected fault and the retry after a reset."""
    assert failed(outcomes, "TestSwallowingCrm") == {
        *(f"test_each_fault_raises_its_classified_error[{fault}]" for fault in FAULTS),
        "test_an_upsert_retried_after_a_reset_keeps_one_record",
    }


def test_a_crm_mutating_its_input_fails_the_mutation_test(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """A CRM that tidies the caller's records in place fails the no-mutation test only."""
    assert failed(outcomes, "TestMutatingCrm") == {"test_input_records_are_never_mutated"}


def test_an_adapter_swallowing_errors_fails_the_fault_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """An event adapter that hides failures from the relay fails every fault test."""
    assert failed(outcomes, "TestSwallowingPostings") == {
        *(f"test_each_fault_raises_its_classified_error[{fault}]" for fault in FAULTS),
        "test_a_delivery_retried_after_a_reset_has_one_effect",
    }


def test_an_adapter_mutating_payloads_fails_the_mutation_test(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """An event adapter that changes the payload it received fails the no-mutation test only."""
    assert failed(outcomes, "TestMutatingPostings") == {"test_payloads_are_never_mutated"}


def test_an_adapter_posting_with_random_keys_fails_the_redelivery_tests(
    outcomes: dict[str, dict[str, str]],
) -> None:
    """Keys drawn at random instead of from the event id make every redelivery a second effect."""
    assert failed(outcomes, "TestRandomKeyPostings") == {
        "test_delivering_an_event_twice_has_one_effect",
        "test_a_delivery_retried_after_a_reset_has_one_effect",
    }
