"""The journal: a territory's story told through its commands, who may act, and the hash chain."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alize_core.commands import (
    CommandResult,
    call_contribution,
    cast_vote,
    close_project,
    close_session,
    convene_session,
    declare_default,
    disburse_advance,
    enrol_person,
    grant_mission,
    log_meeting,
    log_time,
    open_session,
    pay_fee,
    receive_contribution,
    receive_recovery,
    receive_repayment,
    record_statement,
    reschedule_advance,
    sign_convention,
    sign_off_review,
    update_person,
    validate_file,
    validate_territory,
    write_off,
)
from alize_core.governance.committee import Ballot
from alize_core.journal import (
    GENESIS,
    AdvanceDisbursed,
    AdvanceRescheduled,
    ContributionReceived,
    Event,
    EventKind,
    ProblemKind,
    StatementLine,
    decode,
    following,
    seal,
    verify,
)
from alize_core.kernel import (
    FUND_OVERCOMMITMENT,
    MENTOR_DAYS_CAP,
    ROUNDING,
    CommandRefused,
    Decision,
    IntegrityError,
    InvalidValue,
    Outcome,
    Rounding,
)
from alize_core.lending import Frequency
from alize_core.programme import (
    Mission,
    PartnerCommitment,
    SupportKind,
    TriennialConvention,
    value_time,
)
from alize_core.register import (
    AdvanceStatus,
    AgendaEntry,
    PersonRole,
    ProjectStatus,
    Register,
    register_at,
)
from tests.core.register_story import OPERATOR, PREFECT, Story


# --- The story, chapter by chapter. ---


def test_the_national_committee_alone_validates_a_territory() -> None:
    """NAT-01: the operator cannot validate its own territory; the national committee can."""
    story = Story().founded(validated=False, convention=False)

    refusal = story.refused(
        validate_territory(story.register, on=date(2025, 12, 10), actor=OPERATOR)
    )
    story.do(validate_territory(story.register, on=date(2025, 12, 10), actor="CN"))

    assert refusal.failed[0].rule == "NAT-01"
    assert story.register.territory is not None
    assert story.register.territory.validated_on == date(2025, 12, 10)


def test_no_convention_is_signed_before_the_territory_is_validated() -> None:
    """NAT-01: the programme starts only after the national committee's validation."""
    story = Story().founded(validated=False, convention=False)
    convention = TriennialConvention(
        "CT", date(2026, 1, 1), (PartnerCommitment("ACIER", Decimal("1000.00"), 1),)
    )

    refusal = story.refused(
        sign_convention(story.register, convention, on=date(2025, 12, 20), actor=OPERATOR)
    )

    assert [s.code for s in refusal.failed] == ["territory.not_validated"]


def test_a_renewal_may_not_overlap_the_convention_in_force() -> None:
    """CONV-01: renewal is a new convention starting when the current one ends."""
    story = Story().founded()
    overlapping = TriennialConvention(
        "CT-2028", date(2028, 6, 1), (PartnerCommitment("ACIER", Decimal("1000.00"), 1),)
    )
    renewal = attrs.evolve(overlapping, id="CT-2029", start=date(2029, 1, 1))

    refusal = story.refused(
        sign_convention(story.register, overlapping, on=date(2026, 1, 2), actor=OPERATOR)
    )
    story.do(sign_convention(story.register, renewal, on=date(2026, 1, 2), actor=OPERATOR))

    assert refusal.failed[0].code == "convention.overlaps"
    assert [c.id for c in story.register.conventions] == ["CT-2026", "CT-2029"]


def test_activity_outside_every_convention_is_flagged_not_refused() -> None:
    """CONV-01: a contribution received after the convention ended is accepted and flagged."""
    story = Story().founded()

    result = story.do(
        receive_contribution(
            story.register, "ACIER", Decimal("500"), on=date(2029, 2, 1), actor=OPERATOR
        )
    )

    assert [w.code for w in result.decision.warnings] == ["convention.none_in_force"]
    assert [(f.event, f.rule) for f in story.register.flags] == [(result.events[0].id, "CONV-01")]


def test_partners_contributions_build_the_fund() -> None:
    """FUND-01: contributions called then received become the fund's cash."""
    story = Story().founded()
    story.do(
        call_contribution(
            story.register, "ACIER", 2026, Decimal("60000"), on=date(2026, 1, 10), actor=OPERATOR
        )
    )
    story.funded([("ACIER", "45000")])

    fund = story.register.fund
    account = story.register.accounts["ACIER"]

    assert (fund.contributions_called, fund.contributions_received, fund.cash) == (
        Decimal("60000.00"),
        Decimal("45000.00"),
        Decimal("45000.00"),
    )
    assert account.due == Decimal("15000.00")


def test_only_the_operator_validates_a_file() -> None:
    """OP-03: a company representative cannot validate a project's file."""
    story = Story().founded().funded().with_projects(validated=())

    refusal = story.refused(validate_file(story.register, "P1", on=date(2026, 2, 9), actor="R1"))

    assert [(s.rule, s.code) for s in refusal.failed] == [("OP-03", "role.not_operator")]


def test_an_ineligible_project_is_refused_and_says_why_not() -> None:
    """ELIG-02: a two-year-old company without an adaptation project is refused."""
    story = Story().founded().funded().with_projects(validated=())

    refusal = story.refused(
        validate_file(story.register, "P3", on=date(2026, 2, 9), actor=OPERATOR)
    )

    assert [s.rule for s in refusal.failed] == ["ELIG-02"]
    assert story.register.project("P3").status is ProjectStatus.IDENTIFIED


def test_a_file_not_validated_cannot_go_on_the_agenda() -> None:
    """OP-03: the operator may only put validated files on a session's agenda."""
    story = Story().founded().funded().with_projects(validated=("P1",))

    refusal = story.refused(
        convene_session(
            story.register,
            "S1",
            date(2026, 3, 12),
            [AgendaEntry("P1"), AgendaEntry("P2")],
            on=date(2026, 2, 20),
            actor=OPERATOR,
        )
    )

    assert [(s.rule, s.params["project"]) for s in refusal.failed] == [("OP-03", "P2")]


def test_only_company_representatives_present_vote() -> None:
    """GOV-02: the operator, and a representative absent from the session, are refused a vote."""
    story = Story().founded().funded().with_projects()
    story.do(
        convene_session(
            story.register,
            "S1",
            date(2026, 3, 12),
            [AgendaEntry("P1")],
            on=date(2026, 3, 1),
            actor=OPERATOR,
        )
    )
    story.do(
        open_session(
            story.register, "S1", [OPERATOR, "R1", "R2"], "R1", on=date(2026, 3, 12), actor=OPERATOR
        )
    )

    by_operator = story.refused(
        cast_vote(story.register, "S1", "P1", Ballot.FOR, on=date(2026, 3, 12), actor=OPERATOR)
    )
    by_absent = story.refused(
        cast_vote(story.register, "S1", "P1", Ballot.FOR, on=date(2026, 3, 12), actor="R3")
    )
    story.do(cast_vote(story.register, "S1", "P1", Ballot.FOR, on=date(2026, 3, 12), actor="R1"))

    assert [s.rule for s in (*by_operator.failed, *by_absent.failed)] == ["GOV-02", "GOV-02"]
    assert story.register.session("S1").ballots == (("P1", "R1", "for"),)


def test_a_session_decides_by_its_representatives_votes_and_commits_the_advance() -> None:
    """GOV-01: two of three present for: adopted; the advance is committed on the fund."""
    story = Story().founded().funded().with_projects()

    result = story.session(
        "S1",
        date(2026, 3, 12),
        [AgendaEntry("P1", advance="25000", mentor_days=6), AgendaEntry("P2", advance="15000")],
        [("P1", "R1", "for"), ("P1", "R2", "for"), ("P1", "R3", "against"), ("P2", "R1", "for")],
    )

    assert "2 pour, 1 contre" in result.decision.explain()
    assert story.register.project("P1").status is ProjectStatus.ADOPTED
    assert story.register.project("P2").status is ProjectStatus.REJECTED
    assert story.register.advance("P1").committed == Decimal("25000.00")
    assert story.register.fund.available == Decimal("65000.00")


def test_an_approval_beyond_the_available_balance_is_refused() -> None:
    """FUND-04: by default, the session's decisions are refused when the fund cannot commit."""
    story = Story().founded().funded([("ACIER", "20000")]).with_projects()
    story.do(
        convene_session(
            story.register,
            "S1",
            date(2026, 3, 12),
            [AgendaEntry("P1", advance="25000")],
            on=date(2026, 3, 1),
            actor=OPERATOR,
        )
    )
    story.do(
        open_session(
            story.register, "S1", [OPERATOR, "R1"], "R1", on=date(2026, 3, 12), actor=OPERATOR
        )
    )
    story.do(cast_vote(story.register, "S1", "P1", Ballot.FOR, on=date(2026, 3, 12), actor="R1"))

    refusal = story.refused(
        close_session(story.register, "S1", on=date(2026, 3, 12), actor=OPERATOR)
    )

    assert [(s.rule, s.code) for s in refusal.failed] == [("FUND-04", "fund.commitment_exceeds")]
    assert story.register.fund.committed == Decimal("0.00")


def test_a_territory_may_choose_to_be_warned_instead_of_refused() -> None:
    """FUND-04: with fund_overcommitment = warn, the approval passes with a warning."""
    story = (
        Story({FUND_OVERCOMMITMENT: "warn"}).founded().funded([("ACIER", "20000")]).with_projects()
    )

    result = story.session(
        "S1",
        date(2026, 3, 12),
        [AgendaEntry("P1", advance="25000")],
        [("P1", "R1", "for")],
        attendees=[OPERATOR, "R1"],
    )

    assert [w.code for w in result.decision.warnings] == ["fund.commitment_exceeds_warned"]
    assert story.register.fund.available == Decimal("-5000.00")


def test_a_subsidised_loan_is_the_partners_and_leaves_the_fund_untouched() -> None:
    """FUND-03: only a partner with such means lends at a rate, and the fund does not move."""
    story = Story().founded().funded().with_projects()
    before = story.register.fund

    refusal = story.refused(
        convene_session(
            story.register,
            "S1",
            date(2026, 3, 12),
            [AgendaEntry("P1", subsidised_loan="50000", lender="ENERG")],
            on=date(2026, 3, 1),
            actor=OPERATOR,
        )
    )
    story.session(
        "S2",
        date(2026, 3, 12),
        [AgendaEntry("P1", subsidised_loan="50000", lender="ACIER")],
        [("P1", "R1", "for"), ("P1", "R2", "for")],
    )

    assert refusal.failed[0].rule == "FUND-03"
    assert story.register.project("P1").means is not None
    assert story.register.fund == attrs.evolve(before, on=date(2026, 3, 12))


def test_no_advance_is_paid_before_the_cooperation_agreement() -> None:
    """CONV-02: supporting the SME takes the agreement signed after approval."""
    story = Story().founded().funded().with_projects().approved()

    refusal = story.refused(
        disburse_advance(story.register, "P1", instalments=24, on=date(2026, 3, 20), actor=OPERATOR)
    )
    story.disbursed()

    assert [s.rule for s in refusal.failed] == ["CONV-02"]
    assert story.register.project("P1").status is ProjectStatus.ACCOMPANIED
    assert story.register.advance("P1").status is AdvanceStatus.DISBURSED


def test_repayments_rebuild_the_fund_and_never_exceed_what_is_owed() -> None:
    """FUND-02: a repayment returns to cash; more than the outstanding is refused."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    cash = story.register.fund.cash

    story.repaid("P1", date(2026, 4, 30), amount="1041.67")
    refusal = story.refused(
        receive_repayment(
            story.register, "P1", Decimal("30000"), on=date(2026, 5, 31), actor=OPERATOR
        )
    )

    assert story.register.fund.cash == cash + Decimal("1041.67")
    assert story.register.advance("P1").outstanding == Decimal("23958.33")
    assert refusal.failed[0].code == "repayment.beyond_outstanding"


def test_a_bank_statement_records_many_instalments_in_one_event() -> None:
    """OP-01: one statement, several advances repaid, its closing balance reconciled."""
    story = (
        Story()
        .founded()
        .funded()
        .with_projects()
        .approved("P1")
        .approved("P2", "12000", date(2026, 3, 13))
    )
    story.disbursed("P1").disbursed("P2", instalments=12)
    cash = story.register.fund.cash
    lines = [StatementLine("P1", Decimal("1041.67")), StatementLine("P2", Decimal("1000.00"))]

    wrong = story.refused(
        record_statement(
            story.register,
            "B-04",
            lines,
            closing_balance=cash,
            on=date(2026, 4, 30),
            actor=OPERATOR,
        )
    )
    result = story.do(
        record_statement(
            story.register,
            "B-04",
            lines,
            closing_balance=cash + Decimal("2041.67"),
            on=date(2026, 4, 30),
            actor=OPERATOR,
        )
    )

    assert wrong.failed[0].code == "statement.differs"
    assert len(result.events) == 1
    assert story.register.fund.repaid == Decimal("2041.67")
    assert story.register.fund.balances


def _paid_out(rounding: str = "half_up") -> Story:
    """P1's advance paid out on 2026-03-31 in 24 monthly instalments, under this rounding rule."""
    return Story({ROUNDING: rounding}).founded().funded().with_projects().approved().disbursed()


def _disbursement(story: Story) -> Decision:
    """The decision of the story's last disbursement, given again on the register before it."""
    event = story.events[-1]
    before = register_at(story.events[:-1])
    assert isinstance(event.payload, AdvanceDisbursed)
    return disburse_advance(
        before,
        "P1",
        instalments=event.payload.instalments,
        on=event.on,
        actor=event.actor,
    ).decision


def _rescheduling(
    story: Story, *, on: date = date(2026, 9, 15), actor: str = OPERATOR
) -> CommandResult:
    return reschedule_advance(
        story.register,
        "P1",
        instalments=12,
        frequency=Frequency.QUARTERLY,
        deferral=1,
        on=on,
        actor=actor,
    )


def test_a_disbursement_records_the_territorys_rounding_and_cites_the_setting() -> None:
    """SCH-01: the rule in force on the day of payment is in the event and in the decision."""
    story = _paid_out("down")
    event = story.events[-1]

    assert isinstance(event.payload, AdvanceDisbursed)
    assert event.payload.rounding is Rounding.DOWN
    assert b'"rounding":"down"' in event.body()
    assert story.register.advance("P1").rounding is Rounding.DOWN
    (step,) = [step for step in _disbursement(story).steps if step.rule == "SCH-01"]
    assert [(v.name, v.value, v.territory) for v in step.settings_used] == [
        ("rounding", "down", "MEUSE")
    ]


def test_a_half_up_disbursement_is_written_as_before_the_rounding_was_recorded() -> None:
    """SCH-01: half up, the default, is not written, so journals already stored keep their bytes."""
    event = _paid_out().events[-1]

    assert b"rounding" not in event.body()
    assert decode(event.row(), bytes.fromhex(event.previous)) == event


def test_the_operator_reschedules_an_advance_being_repaid() -> None:
    """SCH-05: one advance_rescheduled event; the decision cites SCH-05 and moves no money."""
    story = _paid_out()
    cash = story.register.fund.cash

    result = story.do(_rescheduling(story))

    assert [event.kind for event in result.events] == [EventKind.ADVANCE_RESCHEDULED]
    assert result.events[0].payload == AdvanceRescheduled("P1", 12, Frequency.QUARTERLY, 1)
    assert {step.rule for step in result.decision.steps} >= {"SCH-05"}
    assert story.register.fund.cash == cash
    assert story.register.advance("P1").outstanding == Decimal("25000.00")


def test_only_the_operator_reschedules_an_advance() -> None:
    """SCH-05: a mentor's rescheduling is refused by a step naming SCH-05, and nothing is written."""
    story = _paid_out()

    refused = story.refused(_rescheduling(story, actor="M1"))

    assert [(step.rule, step.code) for step in refused.failed] == [("SCH-05", "role.not_operator")]


@pytest.mark.parametrize(
    ("status", "words"),
    [("defaulted", "en défaut"), ("written_off", "passée en perte"), ("repaid", "remboursée")],
)
def test_an_advance_no_longer_being_repaid_is_not_rescheduled(status: str, words: str) -> None:
    """SCH-05: in default, written off or repaid, the rescheduling is refused and says why."""
    story = _paid_out()
    if status == "repaid":
        story.repaid("P1", date(2026, 4, 30), amount="25000")
    else:
        story.do(declare_default(story.register, "P1", on=date(2026, 9, 1), actor=OPERATOR))
        if status == "written_off":
            story.do(write_off(story.register, "P1", on=date(2026, 9, 2), actor=OPERATOR))

    refused = story.refused(_rescheduling(story))

    assert [(step.rule, step.code) for step in refused.failed] == [
        ("SCH-05", "reschedule.not_disbursed")
    ]
    assert words in refused.failed[0].message


def test_an_advance_not_yet_paid_out_is_not_rescheduled() -> None:
    """SCH-05: a committed advance has no schedule to change."""
    story = Story().founded().funded().with_projects().approved()

    refused = story.refused(_rescheduling(story, on=date(2026, 4, 1)))

    assert "engagée et pas encore versée" in refused.failed[0].message


def test_new_terms_that_cannot_spread_the_outstanding_are_refused() -> None:
    """SCH-05: 0.05 € left cannot be spread over 12 instalments; nothing is written."""
    story = _paid_out()
    story.repaid("P1", date(2026, 4, 30), amount="24999.95")

    with pytest.raises(InvalidValue, match="instalments"):
        _rescheduling(story)


def test_default_is_judged_on_the_rescheduled_terms() -> None:
    """SCH-05, SCH-06: arrears spread again by a rescheduling no longer count towards default."""
    story = _paid_out()
    story.do(_rescheduling(story, on=date(2026, 8, 1)))

    refused = story.refused(
        declare_default(story.register, "P1", on=date(2026, 9, 15), actor=OPERATOR)
    )

    assert refused.failed[-1].code == "default.not_reached"


def test_an_advance_left_unpaid_defaults_is_written_off_and_partly_recovered() -> None:
    """SCH-06, FUND-02: default after 90 days unpaid, write-off is the fund's only loss, recovery capped."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    story.repaid("P1", date(2026, 4, 30), amount="1041.67")

    too_early = story.refused(
        declare_default(story.register, "P1", on=date(2026, 7, 15), actor=OPERATOR)
    )
    story.do(declare_default(story.register, "P1", on=date(2026, 9, 15), actor=OPERATOR))
    story.do(write_off(story.register, "P1", on=date(2026, 10, 1), actor=OPERATOR))
    capped = story.refused(
        receive_recovery(
            story.register, "P1", Decimal("30000"), on=date(2026, 11, 2), actor=OPERATOR
        )
    )
    story.do(
        receive_recovery(
            story.register, "P1", Decimal("4000"), on=date(2026, 11, 2), actor=OPERATOR
        )
    )

    fund = story.register.fund
    assert too_early.failed[-1].code == "default.not_reached"
    assert capped.failed[0].code == "recovery.beyond_loss"
    assert story.register.advance("P1").status is AdvanceStatus.WRITTEN_OFF
    assert (fund.written_off, fund.recovered, fund.outstanding) == (
        Decimal("23958.33"),
        Decimal("4000.00"),
        Decimal("0.00"),
    )
    assert fund.cash == Decimal("90000.00") - Decimal("25000") + Decimal("1041.67") + Decimal(
        "4000"
    )
    assert fund.balances


def test_a_mission_with_meetings_and_time_valued() -> None:
    """ACC-01…06, GOV-08: a mentor's mission, three meetings, time logged and valued."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    mission = Mission("MI1", "P1", "M1", "ACIER", 6, "Organisation de l'atelier")

    story.do(grant_mission(story.register, mission, on=date(2026, 4, 1), actor=OPERATOR))
    for day in (date(2026, 4, 15), date(2026, 5, 20), date(2026, 6, 24)):
        story.do(log_meeting(story.register, "MI1", on=day, actor="M1"))
        story.do(log_time(story.register, "P1", Decimal("1.5"), on=day, actor="M1"))
    valuation = value_time(story.register.time_entries, territory="MEUSE", settings=story.settings)

    assert story.register.mission("MI1").meeting_count == 3
    assert valuation.total_days == Decimal("4.5")
    assert valuation.total_value == Decimal("3150.00")


def test_a_mentor_must_be_employed_by_the_partner_that_lends_them() -> None:
    """ACC-01: a mission naming another partner than the mentor's employer is refused."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    mission = Mission("MI1", "P1", "M1", "ENERG", 3, "Méthodes")

    refusal = story.refused(
        grant_mission(story.register, mission, on=date(2026, 4, 1), actor=OPERATOR)
    )

    assert [s.rule for s in refusal.failed] == ["ACC-01"]


def test_days_beyond_the_committees_grant_are_refused_and_beyond_the_cap_warned() -> None:
    """ACC-02 refuses more days than granted; ACC-03 warns above the yearly cap."""
    story = Story({MENTOR_DAYS_CAP: 4}).founded().funded().with_projects().approved().disbursed()
    too_many = Mission("MI1", "P1", "M1", "ACIER", 7, "Méthodes")

    refusal = story.refused(
        grant_mission(story.register, too_many, on=date(2026, 4, 1), actor=OPERATOR)
    )
    warned = grant_mission(
        story.register,
        attrs.evolve(too_many, days_per_year=5, kind=SupportKind.TRAINING),
        on=date(2026, 4, 1),
        actor=OPERATOR,
    )

    assert [s.code for s in refusal.failed] == ["days.beyond_grant"]
    assert warned.accepted
    assert [w.code for w in warned.decision.warnings] == ["days.above_cap"]


def test_only_members_log_time_and_only_the_mentor_or_operator_logs_meetings() -> None:
    """GOV-08, ACC-04: the State's representative may do neither."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    story.do(
        grant_mission(
            story.register,
            Mission("MI1", "P1", "M1", "ACIER", 6, "Méthodes"),
            on=date(2026, 4, 1),
            actor=OPERATOR,
        )
    )

    time = story.refused(
        log_time(story.register, "P1", Decimal(1), on=date(2026, 4, 2), actor=PREFECT)
    )
    meeting = story.refused(log_meeting(story.register, "MI1", on=date(2026, 4, 2), actor="M2"))

    assert [s.rule for s in (*time.failed, *meeting.failed)] == ["GOV-08", "ACC-04"]


def test_only_the_state_chair_signs_off_the_review_of_a_past_year() -> None:
    """PIL-01, PIL-03: the operator is refused; the prefect signs the previous year's review."""
    story = Story().founded()

    by_operator = story.refused(
        sign_off_review(story.register, 2025, on=date(2026, 2, 1), actor=OPERATOR)
    )
    this_year = story.refused(
        sign_off_review(story.register, 2026, on=date(2026, 2, 1), actor=PREFECT)
    )
    story.do(sign_off_review(story.register, 2025, on=date(2026, 2, 1), actor=PREFECT))

    assert by_operator.failed[0].rule == "PIL-01"
    assert this_year.failed[0].rule == "PIL-03"
    assert [(r.year, r.chair) for r in story.register.reviews] == [(2025, PREFECT)]


def test_a_retired_president_makes_the_session_decide_nothing() -> None:
    """GOV-05: the president retired before the session; the project is not examined."""
    story = Story().founded().funded().with_projects()
    story.do(
        update_person(story.register, "R1", in_activity=False, on=date(2026, 3, 1), actor=OPERATOR)
    )

    story.session(
        "S1",
        date(2026, 3, 12),
        [AgendaEntry("P1", advance="1000")],
        [("P1", "R2", "for"), ("P1", "R3", "for")],
    )

    assert story.register.session("S1").valid is False
    assert story.register.project("P1").status is ProjectStatus.VALIDATED
    assert story.register.project("P1").outcome is Outcome.NOT_EXAMINED


def test_a_mentor_of_a_company_that_is_not_a_partner_cannot_be_enrolled() -> None:
    """ACC-01: a mentor is employed by a partner company."""
    story = Story().founded()

    refusal = story.refused(
        enrol_person(
            story.register, "M9", PersonRole.MENTOR, "ACME", on=date(2026, 1, 2), actor=OPERATOR
        )
    )

    assert {s.rule for s in refusal.failed} == {"ACC-01"}


def test_a_closed_project_ends_its_lifecycle() -> None:
    """Identified, validated, on an agenda, adopted, signed, accompanied, closed."""
    story = Story().founded().funded().with_projects().approved().disbursed()

    story.do(close_project(story.register, "P1", on=date(2027, 4, 1), actor=OPERATOR))

    record = story.register.project("P1")
    assert record.status is ProjectStatus.CLOSED
    assert (record.validated_on, record.decided_on, record.closed_on) == (
        date(2026, 2, 9),
        date(2026, 3, 12),
        date(2027, 4, 1),
    )


def test_a_command_dated_before_the_last_event_is_refused() -> None:
    """The journal is kept in date order, so any past date replays exactly."""
    story = Story().founded()

    with pytest.raises(CommandRefused, match="date order"):
        pay_fee(story.register, Decimal("10"), "frais", on=date(2025, 1, 1), actor=OPERATOR)


def test_bad_input_names_the_field_and_changes_nothing() -> None:
    """A float amount is refused with the field named; the register is the same."""
    story = Story().founded()
    before = story.register

    with pytest.raises(InvalidValue, match=r"amount: 12\.5 is a binary float"):
        receive_contribution(story.register, "ACIER", 12.5, on=date(2026, 1, 2), actor=OPERATOR)  # type: ignore[arg-type]

    assert story.register == before


def test_people_are_named_by_id_only_in_the_journal() -> None:
    """Personal data stay out: every event's body names people by their ids."""
    story = Story().founded().funded().with_projects().approved()

    bodies = b"".join(event.body() for event in story.events)

    assert b'"R1"' in bodies
    assert b"name" not in bodies.replace(b'"name":"', b"").replace(b"_name", b"")


# --- Events, their encoding and the chain. ---


def test_a_stored_event_decodes_back_to_the_same_event() -> None:
    """decode(row) gives the event that wrote the row, payload classes included."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    previous = GENESIS

    for event in story.events:
        assert decode(event.row(), previous) == event
        previous = bytes.fromhex(event.digest)


STORED: dict[EventKind, bytes] = {
    EventKind.TERRITORY_PROPOSED: (
        b'{"id":1,"kind":"territory_proposed","on":"2025-11-03","actor":"OP1",'
        b'"rules":["NAT-01","PIL-01"],"payload":{"territory":{"id":"MEUSE",'
        b'"name":"Vall\\u00e9e de la Meuse","communes":[],"departements":["55"]},'
        b'"operator":{"id":"CCI55","name":"CCI Meuse Haute-Marne",'
        b'"kind":"chamber_of_commerce"},"prefecture":{"id":"PREF55",'
        b'"name":"Pr\\u00e9fecture de la Meuse","kind":"prefecture"},"national_committee":"CN",'
        b'"state_chair":"PREFET"}}'
    ),
    EventKind.TERRITORY_VALIDATED: (
        b'{"id":1,"kind":"territory_validated","on":"2025-12-01","actor":"CN",'
        b'"rules":["NAT-01"],"payload":{}}'
    ),
    EventKind.PARTNER_ADMITTED: (
        b'{"id":1,"kind":"partner_admitted","on":"2025-12-02","actor":"OP1","rules":["OP-02"],'
        b'"payload":{"partner":{"id":"ACIER","name":"Aci\\u00e9ries de l\'Est","siren":null,'
        b'"grants_subsidised_loans":true}}}'
    ),
    EventKind.PERSON_ENROLLED: (
        b'{"id":1,"kind":"person_enrolled","on":"2025-12-03","actor":"OP1","rules":["OP-02",'
        b'"GOV-02"],"payload":{"person":"R1","role":"company_representative",'
        b'"organisation":"ACIER","in_activity":true,"category":null}}'
    ),
    EventKind.PERSON_UPDATED: (
        b'{"id":1,"kind":"person_updated","on":"2027-01-05","actor":"OP1","rules":["GOV-05"],'
        b'"payload":{"person":"R3","in_activity":false}}'
    ),
    EventKind.CONVENTION_SIGNED: (
        b'{"id":1,"kind":"convention_signed","on":"2025-12-15","actor":"OP1",'
        b'"rules":["CONV-01","NAT-01"],"payload":{"convention":{"id":"CT-2026",'
        b'"start":"2026-01-01","commitments":[{"partner":"ACIER","yearly_amount":"60000.00",'
        b'"yearly_days":20},{"partner":"ENERG","yearly_amount":"30000.00","yearly_days":10},'
        b'{"partner":"TRANS","yearly_amount":"10000.00","yearly_days":5}]}}}'
    ),
    EventKind.SME_REGISTERED: (
        b'{"id":1,"kind":"sme_registered","on":"2026-02-02","actor":"OP1","rules":["OP-02"],'
        b'"payload":{"sme":{"siren":"555012343","name":"Usinage Meusien",'
        b'"creation_date":"2011-03-01","staff":42,"turnover":"6200000",'
        b'"balance_sheet":"3100000","commune":"55029","siret":null}}}'
    ),
    EventKind.PROJECT_IDENTIFIED: (
        b'{"id":1,"kind":"project_identified","on":"2026-02-02","actor":"OP1",'
        b'"rules":["OP-03"],"payload":{"project":{"id":"P1","sme":"555012343",'
        b'"title":"Nouvelle ligne d\'usinage 5 axes","jobs_created":6,"jobs_kept":36,'
        b'"adaptation":false}}}'
    ),
    EventKind.FILE_VALIDATED: (
        b'{"id":1,"kind":"file_validated","on":"2026-02-09","actor":"OP1","rules":["OP-03",'
        b'"ELIG-01","ELIG-02","ELIG-03","ELIG-04"],"payload":{"project":"P1"}}'
    ),
    EventKind.SESSION_CONVENED: (
        b'{"id":1,"kind":"session_convened","on":"2026-03-12","actor":"OP1","rules":["OP-02",'
        b'"OP-03"],"payload":{"session":"S1","session_date":"2026-03-12",'
        b'"agenda":[{"project":"P1","advance":"24000.00","subsidised_loan":"0.00",'
        b'"lender":null,"mentor_days":6,"conflicted":[]},{"project":"P2","advance":"12000.00",'
        b'"subsidised_loan":"0.00","lender":null,"mentor_days":0,"conflicted":[]}]}}'
    ),
    EventKind.SESSION_OPENED: (
        b'{"id":1,"kind":"session_opened","on":"2026-03-12","actor":"OP1","rules":["OP-02",'
        b'"GOV-04"],"payload":{"session":"S1","attendees":["OP1","R1","R2","R3"],'
        b'"president":"R1","presenters":[]}}'
    ),
    EventKind.VOTE_CAST: (
        b'{"id":1,"kind":"vote_cast","on":"2026-03-12","actor":"R1","rules":["GOV-02"],'
        b'"payload":{"session":"S1","project":"P1","ballot":"for"}}'
    ),
    EventKind.SESSION_CLOSED: (
        b'{"id":1,"kind":"session_closed","on":"2026-03-12","actor":"OP1","rules":["GOV-01",'
        b'"GOV-02","GOV-04","GOV-05","GOV-10","FUND-04"],"payload":{"session":"S1",'
        b'"valid":true,"decisions":[{"project":"P1","outcome":"adopted","present":3,'
        b'"votes_for":3,"votes_against":0,"abstentions":0,"required":2},{"project":"P2",'
        b'"outcome":"rejected","present":3,"votes_for":1,"votes_against":2,"abstentions":0,'
        b'"required":2}]}}'
    ),
    EventKind.AGREEMENT_SIGNED: (
        b'{"id":1,"kind":"agreement_signed","on":"2026-03-31","actor":"OP1","rules":["CONV-02",'
        b'"OP-02"],"payload":{"project":"P1","agreement":"CC-P1"}}'
    ),
    EventKind.ADVANCE_DISBURSED: (
        b'{"id":1,"kind":"advance_disbursed","on":"2026-03-31","actor":"OP1","rules":["OP-01",'
        b'"CONV-02","SCH-02"],"payload":{"project":"P1","amount":"24000.00","instalments":24,'
        b'"frequency":"monthly","deferral":0}}'
    ),
    EventKind.ADVANCE_RESCHEDULED: (
        b'{"id":1,"kind":"advance_rescheduled","on":"2026-09-15","actor":"OP1",'
        b'"rules":["SCH-05"],"payload":{"project":"P1","instalments":18,'
        b'"frequency":"quarterly","deferral":1}}'
    ),
    EventKind.REPAYMENT_RECEIVED: (
        b'{"id":1,"kind":"repayment_received","on":"2026-04-30","actor":"OP1","rules":["OP-01",'
        b'"FUND-02"],"payload":{"project":"P1","amount":"1000.00"}}'
    ),
    EventKind.STATEMENT_RECEIVED: (
        b'{"id":1,"kind":"statement_received","on":"2027-02-04","actor":"OP1","rules":["OP-01",'
        b'"FUND-02","FUND-05"],"payload":{"statement":"REL-1","lines":[{"project":"P3",'
        b'"amount":"1000.00"}],"closing_balance":null}}'
    ),
    EventKind.ADVANCE_DEFAULTED: (
        b'{"id":1,"kind":"advance_defaulted","on":"2026-12-31","actor":"OP1",'
        b'"rules":["SCH-06"],"payload":{"project":"P1"}}'
    ),
    EventKind.ADVANCE_WRITTEN_OFF: (
        b'{"id":1,"kind":"advance_written_off","on":"2027-02-02","actor":"OP1",'
        b'"rules":["SCH-06","FUND-02"],"payload":{"project":"P1","amount":"19000.00"}}'
    ),
    EventKind.RECOVERY_RECEIVED: (
        b'{"id":1,"kind":"recovery_received","on":"2027-02-03","actor":"OP1",'
        b'"rules":["FUND-02","SCH-06"],"payload":{"project":"P1","amount":"100.00"}}'
    ),
    EventKind.CONTRIBUTION_CALLED: (
        b'{"id":1,"kind":"contribution_called","on":"2027-02-03","actor":"OP1",'
        b'"rules":["FUND-01","PIL-04"],"payload":{"partner":"ACIER","year":2027,'
        b'"amount":"60000.00"}}'
    ),
    EventKind.CONTRIBUTION_RECEIVED: (
        b'{"id":1,"kind":"contribution_received","on":"2026-01-20","actor":"OP1",'
        b'"rules":["FUND-01","OP-01"],"payload":{"partner":"ACIER","amount":"60000.00"}}'
    ),
    EventKind.FEE_PAID: (
        b'{"id":1,"kind":"fee_paid","on":"2026-12-31","actor":"OP1","rules":["FUND-05",'
        b'"OP-01"],"payload":{"amount":"42.50","label":"Frais de tenue de compte"}}'
    ),
    EventKind.MISSION_GRANTED: (
        b'{"id":1,"kind":"mission_granted","on":"2026-04-01","actor":"OP1","rules":["ACC-01",'
        b'"ACC-02","ACC-03","ACC-05"],"payload":{"mission":{"id":"MI1","project":"P1",'
        b'"mentor":"M1","partner":"ACIER","days_per_year":6,'
        b'"problem":"Organisation de l\'atelier","kind":"mission"}}}'
    ),
    EventKind.MEETING_LOGGED: (
        b'{"id":1,"kind":"meeting_logged","on":"2026-04-15","actor":"M1","rules":["ACC-04"],'
        b'"payload":{"mission":"MI1"}}'
    ),
    EventKind.TIME_LOGGED: (
        b'{"id":1,"kind":"time_logged","on":"2026-05-20","actor":"M1","rules":["GOV-08",'
        b'"ACC-06"],"payload":{"project":"P1","days":"1.5","category":"executive"}}'
    ),
    EventKind.PROJECT_CLOSED: (
        b'{"id":1,"kind":"project_closed","on":"2027-01-06","actor":"OP1","rules":["OP-02"],'
        b'"payload":{"project":"P2"}}'
    ),
    EventKind.REVIEW_SIGNED_OFF: (
        b'{"id":1,"kind":"review_signed_off","on":"2027-02-01","actor":"PREFET",'
        b'"rules":["PIL-01","PIL-03"],"payload":{"year":2026}}'
    ),
    EventKind.SETTINGS_ADOPTED: (
        b'{"id":1,"kind":"settings_adopted","on":"2025-11-03","actor":"OP1","rules":["OP-02",'
        b'"GOV-04","SCH-01"],"payload":{"versions":[{"name":"quorum","value":"1/2",'
        b'"start":"2025-11-03","end":null,"territory":"MEUSE",'
        b'"citation":{"document":"reglement-interieur:MEUSE","section":"Article 3",'
        b'"fingerprint":null}},{"name":"rounding","value":"down","start":"2025-11-03",'
        b'"end":null,"territory":"MEUSE","citation":{"document":"reglement-interieur:MEUSE",'
        b'"section":"Article 3","fingerprint":null}}]}}'
    ),
}
"""One stored body of each kind, as alize writes it (first event, after the genesis)."""


@pytest.mark.parametrize("kind", list(EventKind), ids=str)
def test_an_event_of_each_kind_is_written_again_to_the_same_bytes(kind: EventKind) -> None:
    """A stored body of each kind reads back, and sealing it again gives the same row."""
    body = STORED[kind]
    row = (1, body, hashlib.sha256(GENESIS + body).digest())

    event = decode(row, GENESIS)
    (again,) = seal(Register.empty(), event.actor, event.on, [(event.rules, event.payload)])

    assert type(event.payload) is kind.payload
    assert again.row() == row


def test_events_that_do_not_follow_the_register_are_refused() -> None:
    """Applying an event twice breaks the chain and raises IntegrityError."""
    story = Story().founded()

    with pytest.raises(IntegrityError, match="does not follow the chain"):
        story.register.apply(story.events[-1:])


def _journal(amounts: list[int]) -> list[Event]:
    story = Story().founded()
    day = date(2026, 1, 2)
    for index, amount in enumerate(amounts):
        partner = ("ACIER", "ENERG", "TRANS")[index % 3]
        story.do(
            receive_contribution(story.register, partner, Decimal(amount), on=day, actor=OPERATOR)
        )
    return story.events


journals = st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=12).map(
    _journal
)


@settings(max_examples=40)
@given(events=journals, data=st.data())
def test_any_single_edit_is_found_and_names_the_event(
    events: list[Event], data: st.DataObject
) -> None:
    """Changing the actor, date, rules or payload of any event names that event as altered."""
    index = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
    event = events[index]
    edits = [
        attrs.evolve(event, actor=event.actor + "X"),
        attrs.evolve(event, on=date(2030, 1, 1)),
        attrs.evolve(event, rules=(*event.rules, "GOV-01")),
    ]
    if isinstance(event.payload, ContributionReceived):
        edits.append(
            attrs.evolve(
                event, payload=attrs.evolve(event.payload, amount=event.payload.amount + 1)
            )
        )
    edited = list(events)
    edited[index] = data.draw(st.sampled_from(edits))

    problems = verify(edited).problems

    assert [(p.kind, p.event) for p in problems] == [(ProblemKind.ALTERED, event.id)]


@settings(max_examples=40)
@given(events=journals.filter(lambda e: len(e) > 1), data=st.data())
def test_any_deleted_event_is_found_and_named(events: list[Event], data: st.DataObject) -> None:
    """Removing any event but the last names it as deleted."""
    index = data.draw(st.integers(min_value=0, max_value=len(events) - 2))
    shortened = events[:index] + events[index + 1 :]

    problems = verify(shortened).problems

    assert [(p.kind, p.event) for p in problems] == [(ProblemKind.DELETED, events[index].id)]


@settings(max_examples=40)
@given(events=journals.filter(lambda e: len(e) > 1), data=st.data())
def test_any_swap_of_two_events_is_found_and_names_one_of_them(
    events: list[Event], data: st.DataObject
) -> None:
    """Exchanging two events' places reports one of them out of order, and nothing else."""
    first = data.draw(st.integers(min_value=0, max_value=len(events) - 2))
    second = data.draw(st.integers(min_value=first + 1, max_value=len(events) - 1))
    swapped = list(events)
    swapped[first], swapped[second] = swapped[second], swapped[first]

    problems = verify(swapped).problems

    assert problems
    assert {p.kind for p in problems} == {ProblemKind.REORDERED}
    assert {p.event for p in problems} <= {events[first].id, events[second].id}


@settings(max_examples=40)
@given(events=journals.filter(lambda e: len(e) > 1), data=st.data())
def test_an_event_inserted_in_the_middle_is_found(events: list[Event], data: st.DataObject) -> None:
    """A copy of an event slipped in elsewhere is reported as inserted."""
    source = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
    place = data.draw(st.integers(min_value=0, max_value=len(events) - 1))
    forged = list(events)
    forged.insert(place, events[source])

    problems = verify(forged).problems

    assert ProblemKind.INSERTED in {p.kind for p in problems}


@settings(max_examples=40)
@given(events=journals.filter(lambda e: len(e) > 1), data=st.data())
def test_rows_that_follow_the_stored_chain_pass_and_any_other_is_refused(
    events: list[Event], data: st.DataObject
) -> None:
    """A store given the next rows takes them all; a row with a wrong place or digest stops it."""
    rows = [event.row() for event in events]
    split = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    version, head = (0, GENESIS) if split == 0 else (split, rows[split - 1][2])
    assert list(following(rows[split:], version, head)) == rows[split:]

    bad = data.draw(st.integers(min_value=split, max_value=len(rows) - 1))
    position, body, digest = rows[bad]
    broken = data.draw(
        st.sampled_from(
            [
                (position + 1, body, digest),
                (position, body + b" ", digest),
                (position, body, hashlib.sha256(digest).digest()),
            ]
        )
    )
    given_rows = [*rows[split:bad], broken, *rows[bad + 1 :]]
    taken: list[int] = []
    with pytest.raises(IntegrityError, match=f"expected event {position}"):
        taken.extend(row[0] for row in following(given_rows, version, head))
    assert taken == [row[0] for row in rows[split:bad]]


def test_an_intact_journal_verifies() -> None:
    """A whole story's journal has no problem and its head is the last digest."""
    story = Story().founded().funded().with_projects().approved().disbursed()

    result = verify(story.events)

    assert result.ok
    assert result.head == story.register.head


def test_replay_stops_at_a_date() -> None:
    """register_at(events, date) is the register as it stood at the end of that day."""
    story = Story().founded().funded().with_projects().approved().disbursed()

    before = register_at(story.events, date(2026, 3, 11))

    assert before.as_of is not None
    assert before.as_of <= date(2026, 3, 11)
    assert before.project("P1").status is ProjectStatus.VALIDATED
    assert before.fund.committed == Decimal("0.00")


def test_every_command_names_an_actor() -> None:
    """An empty actor is bad input, refused with the field named."""
    story = Story().founded()

    with pytest.raises(InvalidValue, match="actor"):
        pay_fee(story.register, Decimal("1"), "frais", on=date(2026, 1, 2), actor="")


def test_an_empty_register_verifies_and_replays_to_itself() -> None:
    """No event: nothing wrong, and the empty register."""
    assert verify([]).ok
    assert register_at([]) == Register.empty()
