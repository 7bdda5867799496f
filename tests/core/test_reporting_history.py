"""
A journal's History: replayed once for many reports, it gives the reports the events give.

Added for the national benchmark (issue 9): ten years of reports for a hundred
territories cannot replay each journal from its first event for every report. A
:class:`~alize_core.reporting.history.History` replays it forward once; these tests hold it to
the registers and reports the events give, and hold the reports' arrears (now read from
the register's portfolio for advances being repaid) to servicing's.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_core import IntegrityError, InvalidValue
from alize_core.commands import loan_account, receive_repayment
from alize_core.kernel import ZERO
from alize_core.lending import ArrearsBucket
from alize_core.register.records import AdvanceStatus
from alize_core.reporting.activity import activity_report, call_for_funds
from alize_core.reporting.history import History, registers_at
from alize_core.reporting.records import ArrearsLine, Orientations
from tests.core.register_story import OPERATOR, Story
from tests.core.reporting_story import story_2026


JOURNAL = story_2026()
"""The small territory's 2026 (see tests/core/reporting_story.py)."""

DAYS = st.dates(min_value=date(2025, 10, 1), max_value=date(2027, 3, 1))


@settings(max_examples=60, deadline=None)
@given(st.lists(DAYS, min_size=1, max_size=8))
def test_a_history_gives_the_registers_the_events_give(days: list[date]) -> None:
    """At any dates, in order, the history's registers are those replayed from the events."""
    days = sorted(days)
    history = History(JOURNAL.events)

    assert history.registers_at(days) == registers_at(JOURNAL.events, days)


def test_a_history_read_from_stored_rows_is_the_history_of_the_events() -> None:
    """Built from a store's rows or from events, the history gives the same registers."""
    days = [date(2026, 3, 31), date(2026, 12, 31)]

    from_rows = History([event.row() for event in JOURNAL.events]).registers_at(days)

    assert from_rows == History(JOURNAL.events).registers_at(days)


def test_the_activity_report_from_a_history_is_the_report_from_the_events() -> None:
    """The 2026 activity report, with its orientations, is the same from a history."""
    orientations = Orientations(2026, commitments_ceiling=Decimal("30000.00"), jobs_target=10)

    report = activity_report(History(JOURNAL.events), 2026, orientations=orientations)

    assert report == activity_report(JOURNAL.events, 2026, orientations=orientations)


def test_calls_for_funds_year_after_year_from_one_history_are_those_from_the_events() -> None:
    """One history serves the calls of 2026 and 2027 and a mid-year report, in any order."""
    history = History(JOURNAL.events)

    for year, on in ((2026, None), (2027, None), (2026, date(2026, 7, 15))):
        assert call_for_funds(history, year, on=on) == call_for_funds(JOURNAL.events, year, on=on)


def test_a_history_out_of_date_order_is_refused_naming_the_event() -> None:
    """A journal whose events are not in date order is refused, as the events' path refuses it."""
    rows = [event.row() for event in JOURNAL.events]
    rows[3], rows[-1] = rows[-1], rows[3]

    with pytest.raises(InvalidValue, match="date order") as caught:
        History(rows)

    assert caught.value.field == "events"


def test_a_row_that_is_not_an_event_is_refused_naming_it() -> None:
    """A stored row alize did not write is refused by its position."""
    rows = [event.row() for event in JOURNAL.events]
    rows[4] = (rows[4][0], b"not an event", rows[4][2])

    with pytest.raises(IntegrityError, match="event 5 is not an event alize writes"):
        History(rows)


def test_a_broken_chain_is_refused_when_the_history_replays_it() -> None:
    """A row whose content no longer matches its digest stops the replay."""
    rows = [event.row() for event in JOURNAL.events]
    position, body, digest = rows[6]
    rows[6] = (position, body.replace(b'"OP1"', b'"OP9"', 1), digest)

    with pytest.raises(IntegrityError, match="does not follow the chain"):
        History(rows).registers_at([date(2026, 12, 31)])


def _servicing_arrears(story: Story, on: date) -> tuple[ArrearsLine, ...]:
    """The report's arrears as servicing alone gives them, advance by advance."""
    found: dict[ArrearsBucket, list[Decimal]] = {bucket: [] for bucket in ArrearsBucket}
    outstanding = dict.fromkeys(ArrearsBucket, ZERO)
    for project, advance in story.register.advances.items():
        if advance.status in (AdvanceStatus.DISBURSED, AdvanceStatus.DEFAULTED):
            arrears = loan_account(story.register, project).arrears(on=on)
            found[arrears.bucket].append(arrears.amount)
            outstanding[arrears.bucket] += advance.outstanding
    return tuple(
        ArrearsLine(bucket.french, len(amounts), sum(amounts, ZERO), outstanding[bucket])
        for bucket, amounts in found.items()
    )


@settings(max_examples=40, deadline=None)
@given(
    amounts=st.lists(st.integers(0, 300_000), max_size=9),
    instalments=st.integers(1, 36),
)
def test_the_reports_arrears_are_servicings(amounts: list[int], instalments: int) -> None:
    """SCH-06: the arrears by bucket in the report are servicing's, to the cent and the day."""
    story = Story().founded().funded().with_projects().approved().disbursed(instalments=instalments)
    for month, cents in enumerate(amounts, start=1):
        paid = min(Decimal(cents) / 100, story.register.advance("P1").outstanding)
        if paid > 0:
            on = date(2026, 3, 20) + timedelta(days=29 * month)
            story.do(receive_repayment(story.register, "P1", paid, on=on, actor=OPERATOR))

    report = activity_report(story.events, 2026)

    assert report.arrears == _servicing_arrears(story, date(2026, 12, 31))


def test_a_registers_whole_views_are_built_once_and_kept() -> None:
    """A register never changes: its projects, SMEs and advances are built once for every report."""
    register = JOURNAL.register

    assert register.projects is register.projects
    assert register.smes is register.smes
    assert register.advances is register.advances
    assert register.advances == registers_at(JOURNAL.events, [date(2026, 12, 31)])[0].advances
