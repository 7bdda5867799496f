"""The register: the fold of a journal, its snapshots, what it notices, and the portfolio."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alize_core.errors import CommandRefused, IntegrityError, MalformedInput
from alize_core.journal import PAYLOADS, decode, loan_account, receive_repayment, seal_rows
from alize_core.register import (
    GENESIS,
    AdvanceStatus,
    EventKind,
    Register,
    StoredEvent,
    cents,
    encode_body,
    parse_body,
    replay,
)
from alize_core.serialization import structure
from alize_core.servicing import ArrearsBucket
from tests.core.register_story import OPERATOR, Story


def _story() -> Story:
    return Story().founded().funded().with_projects().approved().disbursed()


def _foreign(
    story: Story, *records: tuple[str, str, str, list[str], dict[str, object]]
) -> list[StoredEvent]:
    """The story's rows plus events written by another program, chained properly."""
    rows = [event.row() for event in story.events]
    extra = seal_rows(
        records, version=story.register.version, head=bytes.fromhex(story.register.head)
    )
    return [*rows, *extra]


def test_a_repayment_beyond_what_is_owed_written_by_another_program_is_a_problem() -> None:
    """FUND-02: commands refuse it; a journal holding it folds, and the register names the event."""
    story = _story()
    rows = _foreign(
        story,
        (
            "repayment_received",
            "2026-04-30",
            OPERATOR,
            ["FUND-02"],
            {"project": "P1", "amount": "30000.00"},
        ),
    )

    register = replay(rows)

    assert [(p.event, p.rule) for p in register.problems] == [(len(rows), "FUND-02")]
    assert "beyond what was paid out" in register.problems[0].message


def test_an_event_about_an_unknown_advance_is_a_problem_not_a_crash() -> None:
    """The fold records it and goes on with the rest of the journal."""
    story = _story()
    rows = _foreign(
        story,
        ("repayment_received", "2026-04-30", OPERATOR, [], {"project": "P9", "amount": "1.00"}),
        ("fee_paid", "2026-05-01", OPERATOR, [], {"amount": "1.00", "label": "frais"}),
    )

    register = replay(rows)

    assert [p.message for p in register.problems] == ["refers to an unknown advance 'P9'"]
    assert register.fund.fees == Decimal("1.00")


def test_a_payload_missing_what_its_kind_needs_is_a_problem() -> None:
    """An event without its amount is reported with its id."""
    story = _story()
    rows = _foreign(story, ("fee_paid", "2026-05-01", OPERATOR, [], {"label": "frais"}))

    register = replay(rows)

    assert register.problems[0].event == len(rows)
    assert "cannot read" in register.problems[0].message


def test_a_bank_balance_that_differs_from_the_register_is_a_fund_05_problem() -> None:
    """The statement says one balance, the register computes another."""
    story = _story()
    rows = _foreign(
        story,
        (
            "statement_received",
            "2026-04-30",
            OPERATOR,
            [],
            {"statement": "B", "lines": [], "closing_balance": "1.00"},
        ),
    )

    register = replay(rows)

    assert [p.rule for p in register.problems] == ["FUND-05"]


def test_a_journal_out_of_date_order_is_a_problem() -> None:
    """Commands keep dates in order; a journal that does not is reported."""
    story = _story()
    rows = _foreign(
        story, ("fee_paid", "2020-01-01", OPERATOR, [], {"amount": "1.00", "label": "x"})
    )

    register = replay(rows)

    assert "dated before" in register.problems[0].message


def test_replay_refuses_a_row_that_breaks_the_chain() -> None:
    """An altered body raises IntegrityError naming the event."""
    rows = [event.row() for event in _story().events]
    number, body, digest = rows[4]
    rows[4] = (number, body.replace(b"OP1", b"OP2"), digest)

    with pytest.raises(IntegrityError, match="event 5 does not follow the chain"):
        replay(rows)


def test_a_snapshot_rebuilds_the_same_register() -> None:
    """Snapshot then the later events gives the register of the whole replay."""
    story = _story()
    rows = [event.row() for event in story.events]

    snapshot = Register.from_snapshot(replay(rows[:20]).snapshot())

    assert replay(rows[20:], start=snapshot) == story.register
    assert snapshot.version == 20


def test_a_snapshot_of_another_format_is_refused() -> None:
    """MalformedInput names what is wrong."""
    with pytest.raises(MalformedInput, match="snapshot"):
        Register.from_snapshot(b'{"format": "other"}')
    with pytest.raises(MalformedInput, match="snapshot"):
        Register.from_snapshot(b"not json")


def test_the_register_views_read_the_same_values_that_were_recorded() -> None:
    """Territory, partners, people, SMEs, conventions read back as recorded."""
    register = _story().register

    assert register.territory is not None
    assert register.territory.territory.id == "MEUSE"
    assert set(register.partners) == {"ACIER", "ENERG", "TRANS"}
    assert register.people["M1"].organisation == "ACIER"
    assert register.smes["555012343"].name == "Usinage Meusien"
    assert register.conventions[0].end == date(2029, 1, 1)
    assert register.sessions["S-P1"].closed


def test_an_unknown_advance_is_refused_by_name() -> None:
    """Asking for an advance a project does not have raises CommandRefused."""
    with pytest.raises(CommandRefused, match="'P2' has no repayable advance"):
        _story().register.advance("P2")


def test_amounts_in_the_journal_are_whole_cents() -> None:
    """The journal's amounts read exactly; anything finer is refused."""
    assert cents("1234.56") == 123456
    assert cents("12") == 1200
    with pytest.raises(ValueError, match="whole cents"):
        cents(12.5)


def test_the_empty_register_starts_from_the_genesis_digest() -> None:
    """The first event chains from 32 zero bytes."""
    assert Register.empty().head == GENESIS.hex()


def test_a_revaluation_before_the_register_date_is_refused() -> None:
    """Replay the register to that date instead."""
    with pytest.raises(CommandRefused, match="before the register's last event"):
        _story().register.portfolio(date(2026, 1, 1))


@settings(max_examples=40, deadline=None)
@given(
    payments=st.lists(st.tuples(st.integers(1, 400), st.integers(1, 200_000)), max_size=6),
    instalments=st.integers(1, 36),
    later=st.integers(0, 900),
)
def test_revaluation_agrees_with_servicing_on_arrears(
    payments: list[tuple[int, int]], instalments: int, later: int
) -> None:
    """SCH-06: the portfolio's arrears and days past due are servicing's, to the cent and the day."""
    story = Story().founded().funded().with_projects().approved().disbursed(instalments=instalments)
    on = date(2026, 3, 31)
    for days, amount in sorted(payments):
        left = story.register.advance("P1").outstanding
        paid = min(Decimal(amount) / 100, left)
        on = max(on, date(2026, 3, 31) + timedelta(days=days))
        if paid > 0:
            story.do(receive_repayment(story.register, "P1", paid, on=on, actor=OPERATOR))
    day = on + timedelta(days=later)

    valued = story.register.portfolio(day).advances[0]
    oracle = loan_account(story.register, "P1").arrears(on=day)

    assert (valued.arrears, valued.days_past_due) == (oracle.amount, oracle.days_past_due)
    assert valued.bucket is oracle.bucket
    assert valued.outstanding == oracle.outstanding


def test_the_portfolio_counts_advances_by_ageing_bucket() -> None:
    """A disbursed advance with nothing paid for four months is in the 91–180 day bucket."""
    register = _story().register

    portfolio = register.portfolio(date(2026, 8, 15))

    assert portfolio.by_bucket()[ArrearsBucket.UP_TO_180] == (1, Decimal("25000.00"))
    assert portfolio.advances[0].status == AdvanceStatus.DISBURSED
    assert portfolio.position.on == date(2026, 8, 15)


def test_applying_events_never_changes_the_register_they_follow() -> None:
    """A register is a value: the fold works on a copy, however deep the change."""
    story = _story()
    before = story.register
    frozen = before.snapshot()

    after = before.apply(
        [
            *receive_repayment(
                before, "P1", Decimal("10"), on=date(2026, 4, 30), actor=OPERATOR
            ).events
        ]
    )

    assert before.snapshot() == frozen
    assert after.advance("P1").repaid == Decimal("10.00")
    assert before.advance("P1").repaid == Decimal("0.00")


@given(actor=st.text(min_size=1, max_size=8).filter(lambda s: s.strip() == s and "\x00" not in s))
def test_a_body_reads_back_whatever_characters_the_actor_holds(actor: str) -> None:
    """Separators, quotes and backslashes in an actor are escaped, never split on."""
    body = encode_body(
        3, "fee_paid", "2026-04-01", actor, rules=["FUND-05"], payload={"a": '\x1f"'}
    )

    assert parse_body(body) == (
        3,
        "fee_paid",
        "2026-04-01",
        actor,
        ("FUND-05",),
        body.rsplit(b"\x1f", 1)[1],
    )


def test_a_repayment_with_an_escaped_project_id_is_read_by_the_json_path() -> None:
    """The hot path steps aside when the payload holds an escape; the result is the same."""
    story = Story().founded().funded().with_projects()
    rows = [event.row() for event in story.events]
    records: list[tuple[str, str, str, list[str], dict[str, object]]] = [
        ("repayment_received", "2026-04-30", OPERATOR, [], {"project": 'P"1', "amount": "1.00"}),
        ("repayment_received", "2026-04-30", OPERATOR, [], {"project": "P1", "amount": "1.5"}),
    ]
    rows += list(
        seal_rows(records, version=story.register.version, head=bytes.fromhex(story.register.head))
    )

    register = replay(rows)

    assert [p.message for p in register.problems] == [
        "refers to an unknown advance 'P\"1'",
        "refers to an unknown advance 'P1'",
    ]


JUNK: tuple[object, ...] = ({"unknown": 1}, [], "x", {"project": 1.5, "amount": 2.5})


@pytest.mark.parametrize("kind", sorted(PAYLOADS), ids=str)
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_payloads_are_refused_with_a_path(kind: EventKind, junk: object) -> None:
    """Every payload class refuses unknown keys and junk with MalformedInput."""
    with pytest.raises(MalformedInput):
        structure(junk, PAYLOADS[kind])


@settings(max_examples=200)
@given(body=st.binary(max_size=80), digest=st.binary(min_size=32, max_size=32))
def test_a_junk_row_is_malformed_input_or_a_recorded_problem_never_a_crash(
    body: bytes, digest: bytes
) -> None:
    """decode() raises MalformedInput; the tolerant fold records a problem and goes on."""
    with pytest.raises(MalformedInput):
        decode((1, body, digest), GENESIS)

    register = replay([(1, body, digest)], strict=False)

    assert register.version <= 1
    assert register.problems or register.flags or register.version == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["P1", "P2", "P9"]), st.integers(1, 3_000_000)),
        min_size=1,
        max_size=6,
    )
)
@example([("P1", 2_000_000), ("P9", 5), ("P1", 1_000_000)])  # beyond the advance, and unknown
def test_a_statement_folds_as_its_lines_would_as_separate_repayments(
    lines: list[tuple[str, int]],
) -> None:
    """OP-01: each line of a bank statement repays as one repayment does, even beyond bounds."""
    story = _story()
    amounts = [(project, f"{cents // 100}.{cents % 100:02d}") for project, cents in lines]
    statement = _foreign(
        story,
        (
            "statement_received",
            "2026-04-30",
            OPERATOR,
            ["OP-01"],
            {
                "statement": "B",
                "lines": [{"project": p, "amount": a} for p, a in amounts],
                "closing_balance": None,
            },
        ),
    )
    repayments: list[tuple[str, str, str, list[str], dict[str, object]]] = [
        ("repayment_received", "2026-04-30", OPERATOR, [], {"project": p, "amount": a})
        for p, a in amounts
    ]
    separate = _foreign(story, *repayments)

    by_statement, one_by_one = replay(statement), replay(separate)

    assert by_statement.advances == one_by_one.advances
    assert by_statement.fund == one_by_one.fund
    assert [p.message for p in by_statement.problems] == [p.message for p in one_by_one.problems]
