"""The register: the fold of a journal, its snapshots, what it notices, and the portfolio."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alize_core.commands import loan_account, receive_repayment, reschedule_advance
from alize_core.journal import EventKind
from alize_core.journal.chain import decode, seal_rows
from alize_core.journal.codec import (
    GENESIS,
    StoredEvent,
    encode_body,
    parse_body,
    read_actor,
    split_body,
)
from alize_core.kernel import (
    ROUNDING,
    CommandRefused,
    IntegrityError,
    MalformedInput,
    Rounding,
    UnknownRecord,
    structure,
)
from alize_core.lending import ArrearsBucket, Frequency
from alize_core.register.records import AdvanceRescheduling, AdvanceStatus
from alize_core.register.replay import replay
from alize_core.register.state import cents
from alize_core.register.views import Register
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
    """Asking for an advance a project does not have raises UnknownRecord; its pair gives None."""
    register = _story().register
    with pytest.raises(UnknownRecord, match=r"^advance: 'P2' is not in the register$"):
        register.advance("P2")
    assert register.get_advance("P2") is None
    with pytest.raises(CommandRefused, match="'P2' has no repayable advance"):
        receive_repayment(register, "P2", Decimal("1.00"), on=date(2026, 12, 31), actor=OPERATOR)


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
    """Quotes, backslashes and control characters in an actor are escaped, never split on."""
    body = encode_body(
        3, "fee_paid", "2026-04-01", actor, rules=["FUND-05"], payload={"a": '\x1f"'}
    )

    fields = split_body(body)

    assert parse_body(body) == (3, "fee_paid", "2026-04-01", actor, ("FUND-05",), {"a": '\x1f"'})
    assert fields is not None
    assert fields[:3] == (3, b"fee_paid", "2026-04-01")
    assert read_actor(fields[3]) == actor
    assert fields[4] == b'{"a":"\\u001f\\""}'


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


@pytest.mark.parametrize("kind", sorted(EventKind), ids=str)
@pytest.mark.parametrize("junk", JUNK, ids=repr)
def test_junk_payloads_are_refused_with_a_path(kind: EventKind, junk: object) -> None:
    """Every payload class refuses unknown keys and junk with MalformedInput."""
    with pytest.raises(MalformedInput):
        structure(junk, kind.payload)


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


# --- The territory's rounding (SCH-01) and reschedulings (SCH-05). ---


def _disbursed_with(
    rounding: Rounding = Rounding.HALF_UP,
    *,
    instalments: int = 24,
    frequency: Frequency = Frequency.MONTHLY,
    deferral: int = 0,
) -> Story:
    """P1's advance paid out on 2026-03-31 in a territory whose rounding rule is ``rounding``."""
    story = Story({ROUNDING: rounding}).founded().funded().with_projects().approved()
    return story.disbursed(instalments=instalments, frequency=frequency, deferral=deferral)


def _reschedule(
    story: Story, on: date, instalments: int, frequency: Frequency, deferral: int
) -> None:
    story.do(
        reschedule_advance(
            story.register,
            "P1",
            instalments=instalments,
            frequency=frequency,
            deferral=deferral,
            on=on,
            actor=OPERATOR,
        )
    )


def _agrees_with_servicing(register: Register, day: date) -> None:
    valued = register.portfolio(day).advances[0]
    oracle = loan_account(register, "P1").arrears(on=day)
    assert (valued.arrears, valued.days_past_due) == (oracle.amount, oracle.days_past_due)
    assert valued.bucket is oracle.bucket
    assert valued.outstanding == oracle.outstanding


_OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("pay"), st.integers(0, 200), st.integers(1, 1_500_000)),
        st.tuples(
            st.just("reschedule"),
            st.integers(0, 200),
            st.integers(1, 36),
            st.sampled_from(Frequency),
            st.integers(0, 3),
        ),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(
    rounding=st.sampled_from(Rounding),
    terms=st.tuples(st.integers(1, 36), st.sampled_from(Frequency), st.integers(0, 3)),
    operations=_OPERATIONS,
    later=st.integers(0, 900),
)
@example(
    Rounding.UP, (7, Frequency.MONTHLY, 0), [("reschedule", 40, 3, Frequency.QUARTERLY, 1)], 200
)
def test_the_portfolio_of_a_rescheduled_advance_is_servicings(
    rounding: Rounding,
    terms: tuple[int, Frequency, int],
    operations: list[tuple[Any, ...]],
    later: int,
) -> None:
    """SCH-01, SCH-05: whatever the rounding, payments and reschedulings, arrears and days late are servicing's."""
    instalments, frequency, deferral = terms
    story = _disbursed_with(
        rounding, instalments=instalments, frequency=frequency, deferral=deferral
    )
    on = date(2026, 3, 31)
    for operation in operations:
        on += timedelta(days=operation[1])
        advance = story.register.advance("P1")
        if advance.status is not AdvanceStatus.DISBURSED:
            break
        _agrees_with_servicing(story.register, on)
        if operation[0] == "pay":
            paid = min(Decimal(operation[2]) / 100, advance.outstanding)
            story.do(receive_repayment(story.register, "P1", paid, on=on, actor=OPERATOR))
        elif advance.outstanding * 100 >= operation[2]:
            _reschedule(story, on, *operation[2:])

    _agrees_with_servicing(story.register, on + timedelta(days=later))


def test_an_advance_is_split_by_the_rounding_recorded_at_disbursement() -> None:
    """SCH-01: 100 € in 3 instalments rounded down is 33.33 € due after one month, up 33.34 €."""
    owed = {}
    for rounding in (Rounding.DOWN, Rounding.UP):
        story = _disbursed_with(rounding, instalments=3)
        story.do(
            receive_repayment(
                story.register, "P1", Decimal("24900"), on=date(2026, 4, 1), actor=OPERATOR
            )
        )
        _reschedule(story, date(2026, 4, 1), 3, Frequency.MONTHLY, 0)
        owed[rounding] = story.register.portfolio(date(2026, 5, 1)).advances[0].arrears

    assert owed == {Rounding.DOWN: Decimal("33.33"), Rounding.UP: Decimal("33.34")}


def test_a_rescheduling_keeps_the_terms_agreed_at_disbursement() -> None:
    """SCH-05: the advance keeps its first terms, and each rescheduling with the outstanding it spread."""
    story = _disbursed_with(Rounding.DOWN)
    story.do(
        receive_repayment(
            story.register, "P1", Decimal("1000"), on=date(2026, 5, 2), actor=OPERATOR
        )
    )
    _reschedule(story, date(2026, 6, 15), 8, Frequency.QUARTERLY, 1)

    advance = story.register.advance("P1")

    assert (advance.instalments, advance.frequency, advance.rounding) == (
        24,
        "monthly",
        Rounding.DOWN,
    )
    assert advance.reschedulings == (
        AdvanceRescheduling(date(2026, 6, 15), 8, "quarterly", 1, 1, Decimal("24000.00")),
    )


def test_payments_before_a_rescheduling_count_against_the_earlier_terms() -> None:
    """SCH-05: arrears at the rescheduling are spread again; the new schedule owes nothing until its first due date."""
    story = _disbursed_with()
    _reschedule(story, date(2026, 9, 15), 10, Frequency.MONTHLY, 2)

    assert story.register.portfolio(date(2026, 9, 15)).advances[0].arrears == Decimal("0.00")
    assert story.register.portfolio(date(2026, 12, 14)).advances[0].arrears == Decimal("0.00")
    assert story.register.portfolio(date(2026, 12, 15)).advances[0].arrears == Decimal("2500.00")


def test_a_register_replayed_before_a_rescheduling_values_the_earlier_terms() -> None:
    """SCH-05: replayed to a day before the rescheduling, five of the first 24 instalments are owed."""
    story = _disbursed_with()
    _reschedule(story, date(2026, 9, 15), 10, Frequency.MONTHLY, 2)

    before = replay((event.row() for event in story.events), until=date(2026, 9, 14))

    assert before.advance("P1").reschedulings == ()
    assert before.portfolio(date(2026, 9, 14)).advances[0].arrears == Decimal("5208.35")


def test_a_rescheduled_register_reads_back_from_its_snapshot() -> None:
    """A snapshot keeps the rounding and the reschedulings, and the register it rebuilds values alike."""
    story = _disbursed_with(Rounding.HALF_EVEN)
    _reschedule(story, date(2026, 9, 15), 10, Frequency.QUARTERLY, 0)

    again = Register.from_snapshot(story.register.snapshot())

    assert again == story.register
    assert again.advance("P1") == story.register.advance("P1")


def test_a_rescheduling_never_changes_the_register_it_follows() -> None:
    """A register is a value: the rescheduled terms are new, the earlier register keeps its own."""
    story = _disbursed_with(Rounding.DOWN)
    before = story.register
    _reschedule(story, date(2026, 9, 15), 10, Frequency.QUARTERLY, 0)
    _reschedule(story, date(2026, 10, 15), 4, Frequency.MONTHLY, 0)

    assert before.advance("P1").reschedulings == ()
    assert len(story.register.advance("P1").reschedulings) == 2


def test_a_journal_that_reschedules_an_advance_not_paid_out_holds_a_problem() -> None:
    """SCH-05: commands never write it; the fold names the event and leaves the advance as it was."""
    story = Story().founded().funded().with_projects().approved()
    rows = _foreign(
        story,
        (
            "advance_rescheduled",
            "2026-04-30",
            OPERATOR,
            ["SCH-05"],
            {"project": "P1", "instalments": 12, "frequency": "monthly", "deferral": 0},
        ),
    )

    register = replay(rows)

    assert [(p.kind, p.rule) for p in register.problems] == [("advance_rescheduled", "SCH-05")]
    assert "is rescheduled while committed" in register.problems[0].message
    assert register.advance("P1").reschedulings == ()
