"""
An advance's life, asked from every door: the register's portfolio, the activity report,
the loan account and the adapters' feed give the same status, outstanding and arrears.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import event, example, given, settings
from hypothesis import strategies as st

from alize_adapters.delivery import JournalFeed
from alize_core import AlizeError
from alize_core.commands import (
    CommandResult,
    declare_default,
    loan_account,
    receive_recovery,
    receive_repayment,
    reschedule_advance,
    write_off,
)
from alize_core.lending import Frequency
from alize_core.register.records import AdvanceStatus
from alize_core.register.replay import register_at
from alize_core.reporting import activity_report
from tests.core.register_story import OPERATOR, Story


PROJECTS = ("P1", "P2")

_OPERATIONS = st.lists(
    st.tuples(
        st.sampled_from(["pay", "pay", "reschedule", "default", "default", "write_off", "recover"]),
        st.sampled_from(PROJECTS),
        st.integers(0, 300),
        st.integers(1, 1_500_000),
        st.integers(1, 30),
        st.sampled_from(Frequency),
    ),
    max_size=12,
)


def _story(p2_instalments: int) -> Story:
    story = Story().founded().funded().with_projects()
    story.approved("P1", "25000", date(2026, 3, 12)).approved("P2", "12000", date(2026, 3, 19))
    story.disbursed("P1", date(2026, 3, 31))
    return story.disbursed("P2", date(2026, 4, 15), instalments=p2_instalments)


def _command(story: Story, operation: tuple[Any, ...], on: date) -> CommandResult:
    kind, project, _, amount, count, frequency = operation
    register = story.register
    money = Decimal(amount) / 100
    if kind == "pay":
        owed = register.advance(project).outstanding
        return receive_repayment(register, project, min(money, owed), on=on, actor=OPERATOR)
    if kind == "reschedule":
        return reschedule_advance(
            register,
            project,
            instalments=count,
            frequency=frequency,
            on=on,
            actor=OPERATOR,
        )
    if kind == "default":
        return declare_default(register, project, on=on, actor=OPERATOR)
    if kind == "write_off":
        return write_off(register, project, on=on, actor=OPERATOR)
    advance = register.advance(project)
    left = advance.written_off - advance.recovered
    return receive_recovery(register, project, min(money, left), on=on, actor=OPERATOR)


def _play(story: Story, operations: list[tuple[Any, ...]]) -> date:
    on = date(2026, 4, 15)
    for operation in operations:
        on += timedelta(days=operation[2])
        try:
            result = _command(story, operation, on)
        except AlizeError:
            continue  # refused for its status or its input: nothing recorded
        if result.accepted:
            story.do(result)
    return on


def _agree(story: Story, on: date) -> None:
    register = register_at(story.events, on)
    portfolio = register.portfolio(on)
    for valued in portfolio.advances:
        account = loan_account(story.register, valued.project)
        arrears = account.arrears(on=on)
        status = AdvanceStatus.of_account(account.as_of(on).status)
        assert valued.status == status.value, valued.project
        assert (
            valued.outstanding
            == arrears.outstanding
            == register.advance(valued.project).outstanding
        )
        assert valued.arrears == arrears.amount
        assert valued.days_past_due == arrears.days_past_due
        if status is AdvanceStatus.DEFAULTED:
            assert valued.arrears == valued.outstanding
        if status is AdvanceStatus.WRITTEN_OFF:
            assert valued.arrears == 0
    report = activity_report(story.events, on.year, on=on)
    assert report.in_arrears == portfolio.arrears
    owing = [v for v in portfolio.advances if v.status in {"disbursed", "defaulted"}]
    assert sum(line.advances for line in report.arrears) == len(owing)
    assert sum((line.outstanding for line in report.arrears), Decimal(0)) == sum(
        (v.outstanding for v in owing), Decimal(0)
    )


def _feed_agrees(story: Story) -> None:
    """
    Each default the adapters hear of carries the outstanding the portfolio gives just after
    it (the register of the journal up to the default: a repayment recorded later the same
    day is not yet in what the default made due).
    """
    for outbox in JournalFeed(lambda: story.events).events_after(0, 100_000):
        if outbox.kind != "advance_defaulted":
            continue
        on = outbox.effective_date
        project = str(outbox.payload["advance"])
        after = register_at(story.events[: outbox.sequence], on)
        valued = {v.project: v for v in after.portfolio(on).advances}[project]
        event("a default reached the feed")
        assert valued.status == AdvanceStatus.DEFAULTED.value
        assert Decimal(str(outbox.payload["outstanding"])) == valued.outstanding == valued.arrears


@settings(max_examples=40, deadline=None)
@given(
    p2_instalments=st.integers(1, 24),
    operations=_OPERATIONS,
    checks=st.lists(st.integers(0, 900), min_size=1, max_size=3),
)
@example(
    p2_instalments=6,
    operations=[
        ("pay", "P1", 30, 104_167, 1, Frequency.MONTHLY),
        ("default", "P1", 200, 1, 1, Frequency.MONTHLY),
        ("pay", "P1", 5, 100_000, 1, Frequency.MONTHLY),
        ("default", "P2", 0, 1, 1, Frequency.MONTHLY),
        ("write_off", "P1", 30, 1, 1, Frequency.MONTHLY),
        ("recover", "P1", 30, 500_000, 1, Frequency.MONTHLY),
        ("pay", "P2", 30, 300_000, 1, Frequency.MONTHLY),
    ],
    checks=[0, 250, 300, 900],
)
def test_every_door_tells_the_same_life_of_each_advance(
    p2_instalments: int, operations: list[tuple[Any, ...]], checks: list[int]
) -> None:
    """
    SCH-06, FUND-02: at random dates, before and after the last event, the portfolio, the
    activity report's arrears, the loan account and the feed agree on every advance.
    """
    story = _story(p2_instalments)
    last = _play(story, operations)
    for status in {a.status.value for a in story.register.advances.values()}:
        event(f"an advance ends {status}")
    first = date(2026, 4, 15)
    for offset in checks:
        day = first + timedelta(days=offset)
        _agree(story, max(day, first))
    _agree(story, last)
    _feed_agrees(story)
