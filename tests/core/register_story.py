"""A territory's programme told through the journal's commands, for the register's tests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Self

from alize_adapters.demo import sample
from alize_core.commands import (
    CommandResult,
    admit_partner,
    adopt_settings,
    cast_vote,
    close_session,
    convene_session,
    disburse_advance,
    enrol_person,
    identify_project,
    open_session,
    propose_territory,
    receive_contribution,
    receive_repayment,
    register_sme,
    sign_agreement,
    sign_convention,
    validate_file,
    validate_territory,
)
from alize_core.governance.committee import Ballot
from alize_core.governance.session import AgendaEntry
from alize_core.journal.chain import Event
from alize_core.kernel import Decision, Setting, Settings, SettingValue
from alize_core.lending import Frequency
from alize_core.parties import Territory
from alize_core.parties.model import PersonRole
from alize_core.programme import MentorCategory, PartnerCommitment, TriennialConvention
from alize_core.register.views import Register


OPERATOR = "OP1"
"""The operator's staff member who runs the programme."""

NATIONAL = "CN"
"""The national committee."""

PREFECT = "PREFET"
"""The State's representative who chairs the steering committee."""

TERRITORY = sample.territory()
SMES = sample.smes()
PROJECTS = sample.projects()


class Story:
    """A register and its journal, advanced command by command."""

    def __init__(self, settings: Mapping[Setting[SettingValue], object] | None = None) -> None:
        self.adopted: dict[Setting[SettingValue], object] = dict(settings or {})
        self.register = Register.empty()
        self.events: list[Event] = []

    @property
    def settings(self) -> Settings:
        """The settings the register knows (the national ones and those the story adopted)."""
        return self.register.settings

    def do(self, result: CommandResult) -> CommandResult:
        """Apply an accepted command's events; fail loudly when it was refused."""
        assert result.accepted, result.decision.explain()
        self.register = self.register.apply(result.events)
        self.events.extend(result.events)
        return result

    def refused(self, result: CommandResult) -> Decision:
        """The refusal of a command, checking it wrote nothing."""
        assert not result.accepted, result.decision.explain()
        assert result.events == ()
        return result.decision

    def founded(
        self, *, territory: Territory = TERRITORY, validated: bool = True, convention: bool = True
    ) -> Self:
        """Proposed, validated by the national committee, partners, people, a convention."""
        self.do(
            propose_territory(
                self.register,
                territory,
                sample.operator(),
                sample.prefecture(),
                national_committee=NATIONAL,
                state_chair=PREFECT,
                on=date(2025, 11, 3),
                actor=OPERATOR,
            )
        )
        if self.adopted:
            self.do(
                adopt_settings(self.register, self.adopted, on=date(2025, 11, 3), actor=OPERATOR)
            )
        if validated:
            self.do(validate_territory(self.register, on=date(2025, 12, 1), actor=NATIONAL))
        for partner in sample.partners()[:3]:
            self.do(admit_partner(self.register, partner, on=date(2025, 12, 2), actor=OPERATOR))
        people = (
            ("R1", PersonRole.COMPANY_REPRESENTATIVE, "ACIER", None),
            ("R2", PersonRole.COMPANY_REPRESENTATIVE, "ENERG", None),
            ("R3", PersonRole.COMPANY_REPRESENTATIVE, "TRANS", None),
            ("M1", PersonRole.MENTOR, "ACIER", MentorCategory.EXECUTIVE),
            ("M2", PersonRole.MENTOR, "ENERG", MentorCategory.TECHNICIAN),
        )
        for person, role, organisation, category in people:
            self.do(
                enrol_person(
                    self.register,
                    person,
                    role,
                    organisation,
                    category=category,
                    on=date(2025, 12, 3),
                    actor=OPERATOR,
                )
            )
        if convention:
            self.do(
                sign_convention(
                    self.register,
                    TriennialConvention(
                        "CT-2026",
                        date(2026, 1, 1),
                        (
                            PartnerCommitment("ACIER", Decimal("60000.00"), 20),
                            PartnerCommitment("ENERG", Decimal("30000.00"), 10),
                            PartnerCommitment("TRANS", Decimal("10000.00"), 5),
                        ),
                    ),
                    on=date(2025, 12, 15),
                    actor=OPERATOR,
                )
            )
        return self

    def funded(
        self, amounts: Sequence[tuple[str, str]] = (("ACIER", "60000"), ("ENERG", "30000"))
    ) -> Self:
        """Partners' contributions received into the fund."""
        for partner, amount in amounts:
            self.do(
                receive_contribution(
                    self.register, partner, Decimal(amount), on=date(2026, 1, 20), actor=OPERATOR
                )
            )
        return self

    def with_projects(self, *, validated: Sequence[str] = ("P1", "P2")) -> Self:
        """The SMEs and their projects, the listed files validated by the operator."""
        for sme in SMES:
            self.do(register_sme(self.register, sme, on=date(2026, 2, 2), actor=OPERATOR))
        for identified in PROJECTS:
            self.do(
                identify_project(self.register, identified, on=date(2026, 2, 2), actor=OPERATOR)
            )
        for project in validated:
            self.do(
                validate_file(
                    self.register,
                    project,
                    on=date(2026, 2, 9),
                    actor=OPERATOR,
                )
            )
        return self

    def session(
        self,
        session: str,
        on: date,
        agenda: Sequence[AgendaEntry],
        ballots: Sequence[tuple[str, str, str]],
        attendees: Sequence[str] = (OPERATOR, "R1", "R2", "R3"),
    ) -> CommandResult:
        """A session convened, held, voted and closed; returns the closing command."""
        self.do(convene_session(self.register, session, on, agenda, on=on, actor=OPERATOR))
        self.do(open_session(self.register, session, attendees, "R1", on=on, actor=OPERATOR))
        for project, voter, ballot in ballots:
            self.do(cast_vote(self.register, session, project, Ballot(ballot), on=on, actor=voter))
        return self.do(close_session(self.register, session, on=on, actor=OPERATOR))

    def approved(
        self, project: str = "P1", advance: str = "25000", on: date = date(2026, 3, 12)
    ) -> Self:
        """A project adopted unanimously with an advance and six mentor days."""
        self.session(
            f"S-{project}",
            on,
            [AgendaEntry(project, advance=advance, mentor_days=6)],
            [(project, voter, "for") for voter in ("R1", "R2", "R3")],
        )
        return self

    def repaid(self, project: str, *days: date, amount: str = "1000") -> Self:
        """Repayments of an advance on these days."""
        for day in days:
            self.do(
                receive_repayment(self.register, project, Decimal(amount), on=day, actor=OPERATOR)
            )
        return self

    def disbursed(
        self,
        project: str = "P1",
        on: date = date(2026, 3, 31),
        instalments: int = 24,
        frequency: Frequency = Frequency.MONTHLY,
        deferral: int = 0,
    ) -> Self:
        """The cooperation agreement signed and the advance paid out (rounded as the settings say)."""
        self.do(sign_agreement(self.register, project, f"CC-{project}", on=on, actor=OPERATOR))
        self.do(
            disburse_advance(
                self.register,
                project,
                instalments=instalments,
                frequency=frequency,
                deferral=deferral,
                on=on,
                actor=OPERATOR,
            )
        )
        return self
