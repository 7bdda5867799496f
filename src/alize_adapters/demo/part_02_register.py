"""Demo part: a year of the sample territory through the register's SQLite store."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from functools import partial

from alize_adapters.demo import DemoContext, sample
from alize_adapters.storage.sqlite import SqliteStore
from alize_core import commands as j
from alize_core.commands.base import CommandResult
from alize_core.governance.committee import Ballot
from alize_core.governance.session import AgendaEntry
from alize_core.journal.events import StatementLine
from alize_core.kernel import QUORUM
from alize_core.kernel.money import format_eur
from alize_core.parties.model import PersonRole
from alize_core.programme.accompaniment import MentorCategory, Mission, value_time
from alize_core.programme.conventions import PartnerCommitment, TriennialConvention
from alize_core.register.storage import PersonDetails, load, snapshot_of
from alize_core.register.views import Register


TITLE = "The register: a year of the territory through the SQLite store"

YEAR = sample.PROGRAMME_YEAR
OPERATOR = "OP1"
NATIONAL = "CN-ALIZE"
PREFECT = "PREF-REP"

PEOPLE = (
    PersonDetails(OPERATOR, "Claire Renard", "claire.renard@cci-exemple.fr", "03 29 00 00 01"),
    PersonDetails(PREFECT, "Paul Garnier", "paul.garnier@pref-exemple.gouv.fr"),
    PersonDetails("R1", "Luc Martin", "luc.martin@acier-exemple.fr"),
    PersonDetails("R2", "Anne Morel", "anne.morel@acier-exemple.fr"),
    PersonDetails("R3", "Hugo Petit", "hugo.petit@energ-exemple.fr"),
    PersonDetails("R5", "Inès Caron", "ines.caron@trans-exemple.fr"),
    PersonDetails("R6", "Marc Roy", "marc.roy@banq-exemple.fr", "06 00 00 00 06"),
    PersonDetails("M1", "Sophie Lambert", "sophie.lambert@acier-exemple.fr"),
    PersonDetails("M2", "Karim Benali", "karim.benali@energ-exemple.fr"),
)


class _Year:
    """The demo's programme year, each command run through the store."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self.refusals: list[str] = []

    def do(self, command: Callable[[Register], CommandResult]) -> None:
        result = j.run(self.store, command)
        if not result.accepted:
            raise AssertionError(result.decision.explain())

    def refuse(self, command: Callable[[Register], CommandResult]) -> None:
        result = j.run(self.store, command)
        assert not result.accepted
        failed = result.decision.failed[0]
        self.refusals.append(f"{result.decision.subject}: {failed.message} ({failed.rule})")


def _found(year: _Year) -> None:
    year.do(
        partial(
            j.propose_territory,
            territory=sample.territory(),
            operator=sample.operator(),
            prefecture=sample.prefecture(),
            national_committee=NATIONAL,
            state_chair=PREFECT,
            on=date(YEAR - 1, 10, 6),
            actor=OPERATOR,
        )
    )
    year.do(
        partial(
            j.adopt_settings,
            values=sample.TERRITORY_SETTINGS,
            section=sample.SETTINGS_SECTION,
            on=date(YEAR - 1, 10, 6),
            actor=OPERATOR,
        )
    )
    validation = date(YEAR - 1, 11, 18)
    year.refuse(partial(j.validate_territory, on=validation, actor=OPERATOR))
    year.do(partial(j.validate_territory, on=validation, actor=NATIONAL))
    for partner in sample.partners():
        year.do(partial(j.admit_partner, partner=partner, on=date(YEAR - 1, 12, 1), actor=OPERATOR))
    enrolment = date(YEAR - 1, 12, 2)
    for representative in sample.representatives():
        year.do(
            partial(
                j.enrol_person,
                person=representative.id,
                role=PersonRole.COMPANY_REPRESENTATIVE,
                organisation=representative.company,
                in_activity=representative.in_activity,
                on=enrolment,
                actor=OPERATOR,
            )
        )
    for mentor, employer, category in (
        ("M1", "ACIER", MentorCategory.EXECUTIVE),
        ("M2", "ENERG", MentorCategory.TECHNICIAN),
    ):
        year.do(
            partial(
                j.enrol_person,
                person=mentor,
                role=PersonRole.MENTOR,
                organisation=employer,
                category=category,
                on=enrolment,
                actor=OPERATOR,
            )
        )
    commitments = (
        PartnerCommitment("ACIER", Decimal("60000.00"), 20),
        PartnerCommitment("ENERG", Decimal("40000.00"), 10),
        PartnerCommitment("TRANS", Decimal("15000.00"), 5),
        PartnerCommitment("BANQ", Decimal("35000.00"), 5),
    )
    convention = TriennialConvention(f"CT-{YEAR}", date(YEAR, 1, 1), commitments)
    year.do(
        partial(j.sign_convention, convention=convention, on=date(YEAR - 1, 12, 15), actor=OPERATOR)
    )
    for commitment in commitments:
        year.do(
            partial(
                j.call_contribution,
                partner=commitment.partner,
                year=YEAR,
                amount=commitment.yearly_amount,
                on=date(YEAR, 1, 12),
                actor=OPERATOR,
            )
        )
    for day, commitment in zip((2, 5, 9, 16), commitments, strict=True):
        year.do(
            partial(
                j.receive_contribution,
                partner=commitment.partner,
                amount=commitment.yearly_amount,
                on=date(YEAR, 2, day),
                actor=OPERATOR,
            )
        )


def _decide(year: _Year) -> None:
    for sme in sample.smes():
        year.do(partial(j.register_sme, sme=sme, on=date(YEAR, 2, 17), actor=OPERATOR))
    for identified in sample.projects():
        year.do(
            partial(j.identify_project, project=identified, on=date(YEAR, 2, 17), actor=OPERATOR)
        )
    check = partial(j.validate_file, on=date(YEAR, 2, 24), actor=OPERATOR)
    year.do(partial(check, project="P1"))
    year.do(partial(check, project="P2"))
    year.refuse(partial(check, project="P3"))
    session = date(YEAR, 3, 12)
    agenda = [
        AgendaEntry("P1", advance="40000", subsidised_loan="20000", lender="ACIER", mentor_days=6),
        AgendaEntry("P2", advance="15000", mentor_days=3),
    ]
    year.do(
        partial(
            j.convene_session,
            session="S1",
            session_date=session,
            agenda=agenda,
            on=date(YEAR, 2, 26),
            actor=OPERATOR,
        )
    )
    attendees = [OPERATOR, "R1", "R2", "R3", "R5", "R6"]
    year.do(
        partial(
            j.open_session,
            session="S1",
            attendees=attendees,
            president="R1",
            on=session,
            actor=OPERATOR,
        )
    )
    vote = partial(j.cast_vote, session="S1", on=session)
    year.refuse(partial(vote, project="P1", ballot=Ballot.FOR, actor=OPERATOR))
    ballots = {
        "P1": {"R1": "for", "R2": "for", "R3": "for", "R5": "against", "R6": "abstain"},
        "P2": {"R1": "for", "R2": "for", "R3": "abstain", "R5": "for", "R6": "against"},
    }
    for project, votes in ballots.items():
        for voter, ballot in votes.items():
            year.do(partial(vote, project=project, ballot=Ballot(ballot), actor=voter))
    year.do(partial(j.close_session, session="S1", on=session, actor=OPERATOR))


def _month(year: _Year, month: int) -> None:
    day = date(YEAR, month, 28)
    if month in (4, 6, 9):
        year.do(partial(j.log_meeting, mission="MI1", on=day, actor="M1"))
        year.do(partial(j.log_time, project="P1", days=Decimal("1.5"), on=day, actor="M1"))
    if month == 5:
        visit = Mission("V1", "P2", "M2", "ENERG", 2, "Visite du fournil d'un partenaire")
        year.do(partial(j.grant_mission, mission=visit, on=day, actor=OPERATOR))
        year.do(partial(j.log_time, project="P2", days=Decimal(1), on=day, actor="M2"))
    lines = [StatementLine("P1", Decimal("833.33"))]
    if month <= 5:
        lines.append(StatementLine("P2", Decimal("625.00")))
    last = date(YEAR, month, 30)
    year.do(
        partial(
            j.record_statement, statement=f"RB-{last:%Y-%m}", lines=lines, on=last, actor=OPERATOR
        )
    )
    if month % 3 == 0:
        year.do(
            partial(
                j.pay_fee,
                amount=Decimal("45.00"),
                label="frais de tenue de compte",
                on=last,
                actor=OPERATOR,
            )
        )
    if month == 9:
        year.do(partial(j.declare_default, project="P2", on=last, actor=OPERATOR))
    if month == 10:
        year.do(partial(j.write_off, project="P2", on=last, actor=OPERATOR))
    if month == 12:
        year.do(
            partial(
                j.receive_recovery, project="P2", amount=Decimal("2500"), on=last, actor=OPERATOR
            )
        )


def _lend_and_follow(year: _Year) -> None:
    for project in ("P1", "P2"):
        year.do(
            partial(
                j.sign_agreement,
                project=project,
                agreement=f"CC-{project}",
                on=date(YEAR, 3, 20),
                actor=OPERATOR,
            )
        )
    for project, instalments in (("P1", 48), ("P2", 24)):
        year.do(
            partial(
                j.disburse_advance,
                project=project,
                instalments=instalments,
                on=date(YEAR, 3, 31),
                actor=OPERATOR,
            )
        )
    mission = Mission(
        "MI1", "P1", "M1", "ACIER", 6, "Réorganiser l'atelier autour de la ligne 5 axes"
    )
    year.do(
        partial(
            j.grant_mission,
            mission=mission,
            on=date(YEAR, 4, 2),
            actor=OPERATOR,
        )
    )
    for month in range(4, 13):
        _month(year, month)
    review = partial(j.sign_off_review, year=YEAR, on=date(YEAR + 1, 2, 10))
    year.refuse(partial(review, actor=OPERATOR))
    year.do(partial(review, actor=PREFECT))


def run(context: DemoContext) -> None:
    """Run the year through the store and print what the register says."""
    path = context.db
    for stale in (path, *(path.with_name(path.name + end) for end in ("-wal", "-shm"))):
        stale.unlink(missing_ok=True)
    with SqliteStore(path) as store:
        for person in PEOPLE:
            store.put_person(person)
        year = _Year(store)
        _found(year)
        _decide(year)
        _lend_and_follow(year)
        register = load(store)
        store.save_snapshot(snapshot_of(register))
        mid_year = load(store, on=date(YEAR, 6, 30))
        year_end = load(store, on=date(YEAR, 12, 31))
    context.say(
        f"{register.version} events in {path.name}, head {register.head[:12]}…;"
        f" {len(year.refusals)} commands refused, for example:"
    )
    for refusal in year.refusals[:3]:
        context.say(f"  refused — {refusal}")
    for label, when in (("30/06", mid_year), ("31/12", year_end)):
        fund = when.fund
        context.say(
            f"Fund on {label}: received {format_eur(fund.contributions_received)},"
            f" disbursed {format_eur(fund.disbursed)}, repaid {format_eur(fund.repaid)},"
            f" written off {format_eur(fund.written_off)}, recovered"
            f" {format_eur(fund.recovered)}, cash {format_eur(fund.cash)}, available"
            f" {format_eur(fund.available)} (FUND-05 {'holds' if fund.balances else 'BROKEN'})"
        )
    on = date(YEAR, 3, 12)
    quorum = register.settings.resolve(QUORUM, on=on, territory=sample.territory().id)
    context.say(
        f"Quorum in force on {on:%d/%m/%Y}: {quorum.value}, adopted by the command"
        f" adopt_settings (« {quorum.citation.section} » of {quorum.citation.document});"
        f" national default {QUORUM.default}."
    )
    valuation = value_time(register.time_entries, territory="MEUSE", settings=register.settings)
    mission = register.mission("MI1")
    context.say(
        f"Mission MI1: {mission.meeting_count} meetings; time given"
        f" {valuation.total_days} days valued {format_eur(valuation.total_value)} (ACC-06)."
    )
    context.say(
        f"Every later part reads this register. `alize` commands run in {context.workdir}"
        f" find it without --db; from elsewhere pass --db {path.resolve()}."
    )
