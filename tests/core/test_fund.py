"""The advance fund: its position, the FUND-05 identity after every event, FUND-04."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_core.commands import (
    CommandResult,
    cast_vote,
    close_session,
    convene_session,
    declare_default,
    disburse_advance,
    open_session,
    pay_fee,
    receive_contribution,
    receive_recovery,
    receive_repayment,
    record_statement,
    sign_agreement,
    write_off,
)
from alize_core.governance.committee import Ballot
from alize_core.journal.events import StatementLine
from alize_core.kernel import ZERO, AlizeError, InvalidValue, Settings, Step
from alize_core.programme import FundPosition, balance_steps, commitment_step
from alize_core.register import (
    AdvanceStatus,
    AgendaEntry,
    ProjectStatus,
    Register,
    register_at,
    replay,
)
from tests.core.register_story import OPERATOR, Story


def test_available_is_cash_less_what_is_committed() -> None:
    """FUND-04: what the fund can still commit."""
    position = FundPosition.from_cents(cash=100_00, committed=30_00, contributions_received=100_00)

    assert position.available == Decimal("70.00")


def test_a_balanced_position_passes_every_fund_05_check() -> None:
    """Cash and outstanding follow from the movements."""
    position = FundPosition.from_cents(
        contributions_received=1000_00,
        disbursed=600_00,
        repaid=100_00,
        written_off=50_00,
        recovered=20_00,
        fees=5_00,
        cash=515_00,
        outstanding=450_00,
    )

    assert [s.code for s in balance_steps(position)] == [
        "fund.cash_balances",
        "fund.outstanding_balances",
    ]
    assert position.balances


def test_cash_that_does_not_follow_the_movements_is_a_failed_step_naming_the_gap() -> None:
    """FUND-05: a cash balance 10 € above the movements fails with the gap."""
    position = FundPosition.from_cents(contributions_received=100_00, cash=110_00)

    failed = [s for s in balance_steps(position) if not s.passed]

    assert [(s.code, s.params["gap"]) for s in failed] == [
        ("fund.cash_unbalanced", Decimal("10.00"))
    ]


def _committing(amount: str) -> Step:
    """FUND-04's step for committing an amount on a fund holding 100 € (national settings)."""
    position = FundPosition.from_cents(cash=100_00)
    return commitment_step(
        position, Decimal(amount), on=date(2026, 1, 1), territory="T1", settings=Settings.national()
    )


def test_a_commitment_beyond_the_available_is_refused_by_default() -> None:
    """FUND-04 with the national default: refuse."""
    step = _committing("100.01")

    assert (step.passed, step.warning) == (False, False)
    assert [v.name for v in step.settings_used] == ["fund_overcommitment"]


def test_a_commitment_within_the_available_needs_no_setting() -> None:
    """FUND-04: covered, nothing to look up."""
    step = _committing("100.00")

    assert (step.passed, step.settings_used) == (True, ())


def test_a_position_refuses_fractions_of_a_cent_and_floats() -> None:
    """Amounts are whole cents, Decimal only."""
    with pytest.raises(InvalidValue, match="fraction of a cent"):
        FundPosition(cash=Decimal("1.001"))
    with pytest.raises(InvalidValue, match=r"^cash: 1\.5 is a binary float"):
        FundPosition(cash=1.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match=r"^cash: '1\.50' must be a Decimal amount"):
        FundPosition(cash="1.50")  # type: ignore[arg-type]


# --- FUND-05 after every event, against an independent model. ---

operations = st.lists(
    st.one_of(
        st.tuples(
            st.just("contribute"),
            st.sampled_from(["ACIER", "ENERG", "TRANS"]),
            st.integers(1, 5_000_000),
        ),
        st.tuples(st.just("fee"), st.integers(1, 50_000)),
        st.tuples(
            st.just("approve"), st.sampled_from(["P1", "P2"]), st.integers(100_000, 4_000_000)
        ),
        st.tuples(st.just("lend"), st.sampled_from(["P1", "P2"]), st.integers(100_000, 4_000_000)),
        st.tuples(st.just("disburse"), st.sampled_from(["P1", "P2"]), st.integers(1, 36)),
        st.tuples(st.just("repay"), st.sampled_from(["P1", "P2"]), st.integers(1, 500_000)),
        st.tuples(st.just("statement"), st.integers(1, 300_000), st.integers(1, 300_000)),
        st.tuples(st.just("default"), st.sampled_from(["P1", "P2"])),
        st.tuples(st.just("lose"), st.sampled_from(["P1", "P2"])),
        st.tuples(
            st.just("cycle"),
            st.sampled_from(["P1", "P2"]),
            st.integers(100_000, 4_000_000),
            st.integers(1, 50_000),
            st.integers(1, 500_000),
        ),
        st.tuples(st.just("write_off"), st.sampled_from(["P1", "P2"])),
        st.tuples(st.just("recover"), st.sampled_from(["P1", "P2"]), st.integers(1, 500_000)),
    ),
    max_size=25,
)


class Model:
    """The test's own bookkeeping of the fund, in cents, from the accepted commands only."""

    def __init__(self) -> None:
        self.received = self.committed = self.disbursed = self.repaid = 0
        self.written_off = self.recovered = self.fees = 0

    def expected(self) -> FundPosition:
        cash = self.received + self.repaid + self.recovered - self.disbursed - self.fees
        outstanding = self.disbursed - self.repaid - self.written_off
        return FundPosition.from_cents(
            contributions_received=self.received,
            committed=self.committed,
            disbursed=self.disbursed,
            repaid=self.repaid,
            written_off=self.written_off,
            recovered=self.recovered,
            fees=self.fees,
            cash=cash,
            outstanding=outstanding,
        )


def _whole(value: object) -> int:
    assert isinstance(value, int)
    return value


def _euros(value: object) -> Decimal:
    return Decimal(_whole(value)) / 100


def _cents(amount: Decimal) -> int:
    return int(amount * 100)


def _run(story: Story, model: Model, operation: tuple[object, ...], on: date) -> date:
    """Run one operation from a date; return the date of its last step."""
    register = story.register
    kind = operation[0]
    result: CommandResult | None = None
    if kind == "cycle":
        project, amount, repaid, recovered = operation[1:]
        _run(story, model, ("lend", project, amount), on)
        _run(story, model, ("repay", project, repaid), on + timedelta(days=31))
        _run(story, model, ("lose", project), on + timedelta(days=160))
        _run(story, model, ("recover", project, recovered), on + timedelta(days=170))
        return on + timedelta(days=170)
    if kind == "lend":
        _run(story, model, ("approve", *operation[1:]), on)
        _run(story, model, ("disburse", operation[1], 12), on)
        return on
    if kind == "lose":
        _run(story, model, ("default", operation[1]), on)
        _run(story, model, ("write_off", operation[1]), on)
        return on
    try:
        if kind == "contribute":
            amount = _euros(operation[2])
            result = receive_contribution(
                register, str(operation[1]), amount, on=on, actor=OPERATOR
            )
            if result.accepted:
                model.received += _cents(amount)
        elif kind == "fee":
            amount = _euros(operation[1])
            result = pay_fee(register, amount, "frais bancaires", on=on, actor=OPERATOR)
            if result.accepted:
                model.fees += _cents(amount)
        elif kind == "approve":
            project = str(operation[1])
            amount = _euros(operation[2])
            if register.project(project).status is not ProjectStatus.VALIDATED:
                return on
            session = f"S{project}{on:%Y%m%d}"
            story.do(
                convene_session(
                    register,
                    session,
                    on,
                    [AgendaEntry(project, advance=amount)],
                    on=on,
                    actor=OPERATOR,
                )
            )
            story.do(
                open_session(story.register, session, [OPERATOR, "R1"], "R1", on=on, actor=OPERATOR)
            )
            story.do(cast_vote(story.register, session, project, Ballot.FOR, on=on, actor="R1"))
            result = close_session(story.register, session, on=on, actor=OPERATOR)
            if result.accepted:
                model.committed += _cents(amount)
        elif kind == "disburse":
            project = str(operation[1])
            advance = register.advance(project)
            if register.project(project).agreement is None:
                story.do(sign_agreement(register, project, f"CC{project}", on=on, actor=OPERATOR))
                register = story.register
            result = disburse_advance(
                register, project, instalments=_whole(operation[2]), on=on, actor=OPERATOR
            )
            if result.accepted:
                model.committed -= _cents(advance.committed)
                model.disbursed += _cents(advance.committed)
        elif kind == "repay":
            amount = _euros(operation[2])
            result = receive_repayment(register, str(operation[1]), amount, on=on, actor=OPERATOR)
            if result.accepted:
                model.repaid += _cents(amount)
        elif kind == "statement":
            lines = [
                StatementLine("P1", _euros(operation[1])),
                StatementLine("P2", _euros(operation[2])),
            ]
            result = record_statement(register, "B", lines, on=on, actor=OPERATOR)
            if result.accepted:
                model.repaid += sum(_cents(line.amount) for line in lines)
        elif kind == "default":
            result = declare_default(register, str(operation[1]), on=on, actor=OPERATOR)
        elif kind == "write_off":
            project = str(operation[1])
            outstanding = register.advance(project).outstanding
            result = write_off(register, project, on=on, actor=OPERATOR)
            if result.accepted:
                model.written_off += _cents(outstanding)
        else:
            amount = _euros(operation[2])
            result = receive_recovery(register, str(operation[1]), amount, on=on, actor=OPERATOR)
            if result.accepted:
                model.recovered += _cents(amount)
    except AlizeError:
        return on
    if result is not None and result.accepted:  # type: ignore[redundant-expr]
        story.do(result)
    return on


def _funded() -> tuple[Story, Model, date]:
    """The story with its projects and ACIER's first 60,000 €, its model, and that day."""
    story = Story().founded().with_projects()
    model = Model()
    on = date(2026, 2, 10)
    _run(story, model, ("contribute", "ACIER", 6_000_000), on)
    return story, model, on


@settings(max_examples=60, deadline=None)
@given(operations=operations)
def test_the_fund_balances_after_every_event(operations: list[tuple[object, ...]]) -> None:
    """FUND-05 holds after each accepted command, and the position is the model's to the cent."""
    story, model, on = _funded()

    for operation in operations:
        on = _run(story, model, operation, on + timedelta(days=37))
        position = story.register.fund

        assert position.balances, [s.message for s in balance_steps(position) if not s.passed]
        assert _same(position, model.expected()), (position, model.expected())
        assert story.register.problems == ()


def _same(position: FundPosition, expected: FundPosition) -> bool:
    return attrs.evolve(position, on=None, contributions_called=ZERO) == expected


@settings(max_examples=40, deadline=None)
@given(operations=operations, data=st.data())
def test_the_same_events_always_give_the_same_register(
    operations: list[tuple[object, ...]], data: st.DataObject
) -> None:
    """Replay determinism: full replay, snapshot plus the later events, and a replay to a date agree."""
    story, model, on = _funded()
    for operation in operations:
        on = _run(story, model, operation, on + timedelta(days=37))
    split = data.draw(st.integers(min_value=0, max_value=len(story.events)))
    day = data.draw(st.dates(min_value=date(2025, 11, 1), max_value=on))

    halfway = Register.from_snapshot(register_at(story.events[:split]).snapshot())
    resumed = replay((e.row() for e in story.events[split:]), start=halfway)

    assert register_at(story.events) == register_at(story.events) == story.register
    assert resumed == story.register
    assert register_at(story.events, day) == register_at([e for e in story.events if e.on <= day])


def test_a_written_off_advance_is_the_funds_only_loss() -> None:
    """FUND-02: after full repayment of one advance and write-off of the other, cash shows only the loss."""
    story = Story().founded().funded([("ACIER", "50000")]).with_projects()
    story.approved("P1", "10000").approved("P2", "5000", date(2026, 3, 13))
    story.disbursed("P1", instalments=1).disbursed("P2", instalments=1)
    story.repaid("P1", date(2026, 5, 1), amount="10000")
    story.do(declare_default(story.register, "P2", on=date(2026, 8, 1), actor=OPERATOR))
    story.do(write_off(story.register, "P2", on=date(2026, 8, 2), actor=OPERATOR))

    fund = story.register.fund
    assert story.register.advance("P1").status is AdvanceStatus.REPAID
    assert fund.cash == Decimal("45000.00")
    assert fund.written_off == Decimal("5000.00")
    assert fund.outstanding == Decimal("0.00")
