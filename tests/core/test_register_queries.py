"""
The register read a period at a time, and replayed forward while it is read.

Added for the national benchmark (issue 9): a year's report reads the projects decided,
the sessions held and the time logged in that year, and the fund at every month's end.
These tests hold each period query to the whole view it narrows, and a
:class:`~alize_core.register.replay.replay.Replay` read on the way to the registers replayed at once.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from alize_core import CommandRefused, InvalidValue, MalformedInput, UnknownRecord
from alize_core.commands import close_project
from alize_core.register.replay import Replay, replay
from alize_core.register.views import Register
from alize_core.reporting.history import History, registers_at
from tests.core.register_story import OPERATOR
from tests.core.reporting_story import story_2026


JOURNAL = story_2026()
"""The small territory's 2026 (see tests/core/reporting_story.py)."""

ROWS = [event.row() for event in JOURNAL.events]
DAYS = st.dates(min_value=date(2025, 10, 1), max_value=date(2027, 3, 1))


@settings(max_examples=50, deadline=None)
@given(DAYS, DAYS)
@example(date(2026, 3, 12), date(2026, 6, 18))  # both bounds are days of decision
def test_the_projects_decided_in_a_period_are_those_of_the_whole_view(
    first: date, second: date
) -> None:
    """Every project decided between the two days, in the order of decision, and no other."""
    start, end = sorted((first, second))
    register = JOURNAL.register

    decided = register.projects_decided(start, end)

    expected = sorted(
        (record.decided_on, key)
        for key, record in register.projects.items()
        if record.decided_on is not None and start <= record.decided_on <= end
    )
    assert [(record.decided_on, record.project.id) for record in decided] == expected
    assert all(record == register.project(record.project.id) for record in decided)


@settings(max_examples=50, deadline=None)
@given(DAYS, DAYS)
@example(date(2026, 3, 12), date(2026, 6, 18))  # both bounds are days of session
def test_the_sessions_held_in_a_period_are_those_of_the_whole_view(
    first: date, second: date
) -> None:
    """Every session dated between the two days, in date order, and no other."""
    start, end = sorted((first, second))
    register = JOURNAL.register

    held = register.sessions_held(start, end)

    expected = sorted(
        (session.on, session.id)
        for session in register.sessions.values()
        if start <= session.on <= end
    )
    assert [(session.on, session.id) for session in held] == expected


@settings(max_examples=50, deadline=None)
@given(DAYS, DAYS)
@example(date(2026, 5, 20), date(2026, 6, 24))  # both bounds are days time was logged
def test_the_time_logged_in_a_period_is_that_of_the_whole_view(first: date, second: date) -> None:
    """The time logged for days between the two, in the order logged (GOV-08)."""
    start, end = sorted((first, second))
    register = JOURNAL.register

    logged = register.time_logged(start, end)

    assert logged == tuple(e for e in register.time_entries if start <= e.on <= end)


@settings(max_examples=50, deadline=None)
@given(DAYS, DAYS)
@example(date(2026, 4, 1), date(2026, 7, 2))  # the period ends on the day one was granted
def test_the_missions_under_way_in_a_period_are_those_of_the_whole_view(
    first: date, second: date
) -> None:
    """Granted by the period's end, their project not closed before its start (ACC-02)."""
    start, end = sorted((first, second))
    register = JOURNAL.register

    under_way = register.missions_under_way(start, end)

    expected = []
    for record in register.missions.values():
        closed_on = register.project(record.mission.project).closed_on
        if record.granted_on <= end and (closed_on is None or closed_on >= start):
            expected.append(record)
    assert under_way == tuple(expected)


def test_a_mission_whose_project_closed_before_the_period_is_not_under_way() -> None:
    """A project closed before the period takes its mission out of it; after, not."""
    register = JOURNAL.register
    mission = next(iter(register.missions.values()))
    closing = close_project(
        register, mission.mission.project, on=date(2026, 12, 31), actor=OPERATOR
    )
    closed = register.apply(closing.events)
    year = (date(2027, 1, 1), date(2027, 12, 31))

    assert mission.mission.id not in [m.mission.id for m in closed.missions_under_way(*year)]
    assert mission in closed.missions_under_way(date(2026, 1, 1), date(2026, 12, 31))
    assert mission in closed.missions_under_way(date(2026, 12, 31), date(2027, 1, 31))


def test_the_story_has_something_in_each_period_query() -> None:
    """The story's 2026 decides projects, holds sessions and logs time (the tests above bite)."""
    register = JOURNAL.register
    year = (date(2026, 1, 1), date(2026, 12, 31))

    assert [r.project.id for r in register.projects_decided(*year)] == ["P1", "P2", "P3"]
    assert [s.id for s in register.sessions_held(*year)] == ["S1", "S2"]
    assert len(register.time_logged(*year)) == 3
    assert len(register.missions_under_way(*year)) == 2


def test_an_sme_is_read_by_its_siren_and_an_unknown_one_is_none() -> None:
    """One SME by SIREN is the whole view's; a SIREN the register never saw gives None."""
    register = JOURNAL.register

    for siren, sme in register.smes.items():
        assert register.sme(siren) == sme
    assert register.get_sme("732829320") is None


LOOKUPS = [
    ("person", "people"),
    ("sme", "smes"),
    ("project", "projects"),
    ("session", "sessions"),
    ("advance", "advances"),
    ("mission", "missions"),
]
"""Each lookup pair of the register, and the whole view it reads one record of."""


@pytest.mark.parametrize(("kind", "view"), LOOKUPS)
def test_every_lookup_comes_in_a_pair(kind: str, view: str) -> None:
    """get_x(id) gives the record or None; x(id) gives it or raises UnknownRecord (a LookupError)."""
    register = JOURNAL.register
    get, lookup = getattr(register, f"get_{kind}"), getattr(register, kind)
    records = getattr(register, view)

    assert records, f"the story has no {view}: the test would not bite"
    for key, record in records.items():
        assert get(key) == record
        assert lookup(key) == record
    assert get("UNKNOWN-9") is None
    with pytest.raises(UnknownRecord) as caught:
        lookup("UNKNOWN-9")
    assert isinstance(caught.value, LookupError)
    assert not isinstance(caught.value, CommandRefused)
    assert (caught.value.field, caught.value.value) == (kind, "UNKNOWN-9")
    assert str(caught.value) == f"{kind}: 'UNKNOWN-9' is not in the register"


def test_a_replay_and_a_session_record_have_their_pairs_too() -> None:
    """Replay.get_advance/advance and SessionRecord.get_entry/entry follow the same pattern."""
    replaying = Replay()
    replaying.fold(ROWS)
    session = JOURNAL.register.session("S1")
    project = session.agenda[0].project

    assert replaying.advance("P1") == replaying.get_advance("P1") == JOURNAL.register.advance("P1")
    assert replaying.get_advance("P9") is None
    with pytest.raises(UnknownRecord, match=r"^advance: 'P9' is not in the register$"):
        replaying.advance("P9")
    assert session.entry(project) == session.get_entry(project) == session.agenda[0]
    assert session.get_entry("P9") is None
    with pytest.raises(UnknownRecord, match=r"^agenda entry: 'P9'"):
        session.entry("P9")


def test_a_period_given_as_text_is_refused_naming_it() -> None:
    """The period's bounds are dates: a text is refused, naming the bound."""
    with pytest.raises(InvalidValue) as caught:
        JOURNAL.register.projects_decided("2026-01-01", date(2026, 12, 31))  # type: ignore[arg-type]

    assert caught.value.field == "start"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, len(ROWS)), min_size=1, max_size=6))
def test_a_replay_read_on_the_way_gives_the_registers_replayed_at_once(cuts: list[int]) -> None:
    """Folded in pieces, a replay's registers and funds are those replayed to each point."""
    replaying = Replay()
    taken = []
    for cut in sorted(cuts):
        replaying.fold(ROWS[replaying.version : cut])
        taken.append((cut, replaying.register(), replaying.fund()))

    for cut, register, fund in taken:
        replayed = replay(ROWS[:cut])
        assert register == replayed
        assert fund == replayed.fund


def test_a_register_taken_from_a_replay_does_not_change_as_the_replay_goes_on() -> None:
    """The register a replay gives is a copy: folding further leaves it as it was."""
    replaying = Replay()
    replaying.fold(ROWS[:20])
    early = replaying.register()
    before = early.snapshot()

    replaying.fold(ROWS[20:])

    assert early.snapshot() == before
    assert early.version == 20
    assert replaying.register() == JOURNAL.register


def test_a_replay_continues_from_a_register_or_a_snapshot_without_changing_it() -> None:
    """Started from a register or its snapshot, a replay ends where the whole journal does."""
    start = replay(ROWS[:30])
    kept = start.snapshot()

    for origin in (start, kept):
        replaying = Replay(origin)
        replaying.fold(ROWS[30:])
        assert replaying.register() == JOURNAL.register
    assert start.snapshot() == kept


def test_a_replay_from_bytes_that_are_no_snapshot_is_refused() -> None:
    """Bytes that are not a register's snapshot are refused, as :func:`replay` refuses them."""
    with pytest.raises(MalformedInput):
        Replay(b"not a snapshot")


@settings(max_examples=60, deadline=None)
@given(st.lists(DAYS, min_size=1, max_size=8))
def test_a_historys_funds_are_those_of_the_registers_the_events_give(days: list[date]) -> None:
    """At any dates, in order, the history's funds are the replayed registers' (FUND-05)."""
    days = sorted(days)

    funds = History(JOURNAL.events).funds_at(days)

    assert funds == tuple(register.fund for register in registers_at(JOURNAL.events, days))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.booleans(), DAYS), min_size=1, max_size=10))
def test_one_history_asked_back_and_forth_gives_what_the_events_give(
    asked: list[tuple[bool, date]],
) -> None:
    """Registers and funds asked in any order of dates are those replayed from the events."""
    history = History(JOURNAL.events)

    for whole, on in asked:
        (expected,) = registers_at(JOURNAL.events, [on])
        if whole:
            assert history.registers_at([on]) == (expected,)
        else:
            assert history.funds_at([on]) == (expected.fund,)


def test_a_register_is_read_from_its_views_once() -> None:
    """A project or an SME read twice is the same record: a register never changes."""
    register: Register = JOURNAL.register

    assert register.project("P1") is register.project("P1")
    assert register.projects["P1"] is register.project("P1")
    siren = next(iter(register.smes))
    assert register.sme(siren) is register.smes[siren]
