"""
A small territory's year 2026 told through the journal's commands, for the reports' tests.

The figures the tests check by hand:

- partners ACIER (60,000 € a year), ENERG (30,000 €), TRANS (10,000 €) under convention
  CT-2026 (2026-01-01 to 2028-12-31); ACIER and ENERG pay on 20 January, TRANS does not;
- session S1 (12 March): P1 adopted 3–0 with an advance of 24,000 € and 6 mentor days,
  P2 rejected 1–2 (asked 12,000 €); session S2 (18 June): P3 adopted 3–0 with an advance
  of 8,000 €, a 5,000 € subsidised loan from ACIER and 4 mentor days;
- P1 paid out on 31 March, 24 monthly instalments of 1,000 € from 30 April; it pays
  April to August (5,000 €) then stops, and is declared in default on 31 December;
- P3 paid out on 1 July, 8 quarterly instalments of 1,000 € from 1 October; it pays the
  first one;
- mentor M1 (ACIER, executive, 700 € a day) logs 1.5 days on 20 May and 1 day on 24 June,
  with meetings on 15 April, 20 May and 24 June; mentor M2 (ENERG, technician, 450 € a
  day) logs 2 days and a meeting on 10 July;
- a bank fee of 42.50 € on 31 December.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

from alize_adapters.demo import sample
from alize_core.commands import (
    declare_default,
    disburse_advance,
    grant_mission,
    identify_project,
    log_meeting,
    log_time,
    pay_fee,
    receive_contribution,
    register_sme,
    sign_agreement,
    validate_file,
)
from alize_core.governance.session import AgendaEntry
from alize_core.kernel import Settings
from alize_core.lending import Frequency
from alize_core.parties import Territory
from alize_core.programme import Mission
from tests.core.register_story import OPERATOR, Story


SETTINGS = Settings.national()

SMES = (
    *sample.smes()[:2],
    attrs.evolve(sample.smes()[2], creation_date=date(2020, 1, 8)),
)
"""The demo's SMEs, Menuiserie Argonne founded in 2020 so that it is past its creation phase."""

PROJECTS = sample.projects()
"""The demo's projects: P1 (6 jobs created, 36 kept), P2 (4, 14), P3 (2, 4)."""


class Journal(Story):
    """The journal of a territory, advanced command by command, with its year 2026."""

    def met(self, mission: str, mentor: str, on: date, days: str | None = None) -> None:
        """A meeting of a mission, and the mentor's time that day."""
        self.do(log_meeting(self.register, mission, on=on, actor=mentor))
        if days is not None:
            project = self.register.mission(mission).mission.project
            self.do(log_time(self.register, project, Decimal(days), on=on, actor=mentor))

    def year_2026(self) -> Journal:
        """The year told in the module's docstring."""
        for partner, amount in (("ACIER", "60000"), ("ENERG", "30000")):
            self.do(
                receive_contribution(
                    self.register, partner, Decimal(amount), on=date(2026, 1, 20), actor=OPERATOR
                )
            )
        for sme in SMES:
            self.do(register_sme(self.register, sme, on=date(2026, 2, 2), actor=OPERATOR))
        for project in PROJECTS:
            self.do(identify_project(self.register, project, on=date(2026, 2, 2), actor=OPERATOR))
        for project in PROJECTS:
            self.do(validate_file(self.register, project.id, on=date(2026, 2, 9), actor=OPERATOR))
        self.session(
            "S1",
            date(2026, 3, 12),
            [AgendaEntry("P1", advance="24000", mentor_days=6), AgendaEntry("P2", advance="12000")],
            [
                *(("P1", voter, "for") for voter in ("R1", "R2", "R3")),
                ("P2", "R1", "for"),
                ("P2", "R2", "against"),
                ("P2", "R3", "against"),
            ],
        )
        self.do(sign_agreement(self.register, "P1", "CC-P1", on=date(2026, 3, 31), actor=OPERATOR))
        self.do(
            disburse_advance(
                self.register, "P1", instalments=24, on=date(2026, 3, 31), actor=OPERATOR
            )
        )
        mission = Mission("MI1", "P1", "M1", "ACIER", 6, "Organisation de l'atelier")
        self.do(grant_mission(self.register, mission, on=date(2026, 4, 1), actor=OPERATOR))
        self.met("MI1", "M1", date(2026, 4, 15))
        self.repaid("P1", date(2026, 4, 30))
        self.met("MI1", "M1", date(2026, 5, 20), days="1.5")
        self.repaid("P1", date(2026, 5, 31))
        self.session(
            "S2",
            date(2026, 6, 18),
            [
                AgendaEntry(
                    "P3", advance="8000", subsidised_loan="5000", lender="ACIER", mentor_days=4
                )
            ],
            [("P3", voter, "for") for voter in ("R1", "R2", "R3")],
        )
        self.met("MI1", "M1", date(2026, 6, 24), days="1")
        self.repaid("P1", date(2026, 6, 30))
        self.do(sign_agreement(self.register, "P3", "CC-P3", on=date(2026, 7, 1), actor=OPERATOR))
        self.do(
            disburse_advance(
                self.register,
                "P3",
                instalments=8,
                frequency=Frequency.QUARTERLY,
                on=date(2026, 7, 1),
                actor=OPERATOR,
            )
        )
        mission = Mission("MI2", "P3", "M2", "ENERG", 4, "Méthodes de fabrication")
        self.do(grant_mission(self.register, mission, on=date(2026, 7, 2), actor=OPERATOR))
        self.met("MI2", "M2", date(2026, 7, 10), days="2")
        self.repaid("P1", date(2026, 7, 31), date(2026, 8, 31))
        self.repaid("P3", date(2026, 10, 1))
        self.do(declare_default(self.register, "P1", on=date(2026, 12, 31), actor=OPERATOR))
        self.do(
            pay_fee(
                self.register,
                Decimal("42.50"),
                "Frais de tenue de compte",
                on=date(2026, 12, 31),
                actor=OPERATOR,
            )
        )
        return self


def story_2026(territory: str = "MEUSE", name: str = "Vallée de la Meuse") -> Journal:
    """The territory founded (by the register's story, in the Meuse only), then its year 2026."""
    founded = Journal().founded(territory=Territory(territory, name, departements=["55"]))
    return founded.year_2026()
