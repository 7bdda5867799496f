"""Committee sessions, votes and decisions (GOV-01…11, OP-03, PIL-01)."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from alize_core import InvalidValue, MissingValue, Outcome, Settings
from alize_core.governance.committee import (
    AgendaItem,
    Attendee,
    AttendeeRole,
    Ballot,
    CommitteeSession,
    Means,
    ProjectDecision,
    SessionDecision,
    Tally,
    VotePer,
    check_session,
    company_ballot,
    decide,
    decide_item,
    quorum_needed,
    votes_needed,
)
from alize_core.governance.steering import check_steering_chair
from alize_core.kernel import QUORUM, setting_named, structure, unstructure
from alize_core.parties import (
    CompanyRepresentative,
    LocalOperator,
    PartnerCompany,
    PublicBody,
    PublicBodyKind,
)


ON = date(2026, 3, 12)
TERRITORY = "T1"
PARTNERS = tuple(PartnerCompany(f"C{n}", f"Entreprise {n}") for n in range(1, 6))
OPERATOR = Attendee(id="OP", name="Claire Renard", role="local_operator")


def member(number: int, company: str = "C1", *, in_activity: bool = True) -> Attendee:
    """A company representative ``R<number>`` of a partner company."""
    return Attendee(
        id=f"R{number}",
        name=f"Membre {number}",
        role="company_representative",
        company=company,
        in_activity=in_activity,
    )


def members(count: int, company: str = "C1") -> list[Attendee]:
    """``count`` representatives R1…Rn of one company."""
    return [member(n, company) for n in range(1, count + 1)]


def ballots(*answers: str | None) -> dict[str, str]:
    """Ballots of R1, R2… in order (``None``: that member casts none)."""
    return {f"R{n}": answer for n, answer in enumerate(answers, start=1) if answer is not None}


def counted(
    votes_for: int, against: int = 0, abstain: int = 0, silent: int = 0
) -> list[str | None]:
    """A list of answers: so many for, against, abstain and silent."""
    return ["for"] * votes_for + ["against"] * against + ["abstain"] * abstain + [None] * silent


def make_session(
    attendees: Sequence[Attendee],
    items: Iterable[AgendaItem] = (),
    *,
    president: str = "R1",
    operator: bool = True,
    partners: Sequence[PartnerCompany] = PARTNERS,
) -> CommitteeSession:
    """A session of T1 on 12 March 2026."""
    return CommitteeSession(
        territory=TERRITORY,
        date=ON,
        partner_companies=partners,
        attendees=[*attendees, *([OPERATOR] if operator else [])],
        president=president,
        items=items,
    )


def item(votes: Mapping[str, str], project: str = "P1", **fields: object) -> AgendaItem:
    """A validated agenda item with these ballots."""
    return AgendaItem(project=project, operator_validated=True, ballots=votes, **fields)  # type: ignore[arg-type]


def territory_settings(**values: object) -> Settings:
    """The national defaults plus T1's own values from 1 January 2026."""
    return Settings.national().with_territory_values(
        TERRITORY, ((setting_named(k), v) for k, v in values.items()), start=date(2026, 1, 1)
    )


def vote_step_message(decision: ProjectDecision) -> str:
    """The message of the GOV-01 count step."""
    (step,) = [s for s in decision.decision.steps if s.rule == "GOV-01"]
    return step.message


class TestMajority:
    """GOV-01: more than half of the company representatives present."""

    def test_nine_present_four_for_three_against_two_abstain_is_rejected(self) -> None:
        """9 present, 4 for, 3 against, 2 abstain: 5 votes needed, rejected."""
        session = make_session(members(9), [item(ballots(*counted(4, 3, 2)))])

        result = decide_item(session, "P1")

        assert result.outcome is Outcome.REJECTED
        assert result.tally == Tally(VotePer.REPRESENTATIVE, 9, 4, 3, 2)
        assert vote_step_message(result) == (
            "9 représentants d'entreprise présents, 4 pour, 3 contre, 2 abstentions ;"
            " il faut plus de la moitié de 9, soit 5 voix : rejeté"
        )
        assert "soit 5 voix : rejeté (GOV-01)" in result.explain()

    def test_eight_present_four_for_four_against_is_a_tie_and_rejected(self) -> None:
        """A tie is no majority: 4 for and 4 against out of 8 is rejected."""
        session = make_session(members(8), [item(ballots(*counted(4, 4)))])

        result = decide_item(session, "P1")

        assert result.outcome is Outcome.REJECTED
        assert result.tally is not None
        assert result.tally.required == 5

    def test_eight_present_five_for_two_against_one_abstain_is_adopted(self) -> None:
        """5 for out of 8 present is more than half: adopted."""
        session = make_session(members(8), [item(ballots(*counted(5, 2, 1)))])

        result = decide_item(session, "P1")

        assert result.outcome is Outcome.ADOPTED
        assert vote_step_message(result).endswith(
            "il faut plus de la moitié de 8, soit 5 voix : adopté"
        )

    def test_eight_present_four_for_three_against_one_abstain_is_rejected(self) -> None:
        """4 is not more than half of 8, even though for outnumber against."""
        session = make_session(members(8), [item(ballots(*counted(4, 3, 1)))])

        assert decide_item(session, "P1").outcome is Outcome.REJECTED

    def test_a_member_present_without_a_ballot_counts_as_not_for(self) -> None:
        """Being present without voting keeps the member in the base of the majority."""
        session = make_session(members(7), [item(ballots(*counted(3, 2, 0, silent=2)))])

        result = decide_item(session, "P1")

        assert result.outcome is Outcome.REJECTED
        assert result.tally is not None
        assert (result.tally.present, result.tally.silent, result.tally.required) == (7, 2, 4)
        assert ", 2 sans vote ;" in vote_step_message(result)

    def test_a_single_member_present_who_votes_for_adopts(self) -> None:
        """One representative present, one vote for: more than half of 1."""
        session = make_session(members(1), [item(ballots("for"))])

        assert decide_item(session, "P1").outcome is Outcome.ADOPTED

    @given(st.integers(min_value=0, max_value=10_000))
    def test_the_votes_needed_are_the_least_number_more_than_half(self, present: int) -> None:
        """votes_needed(n) is more than n/2 and one fewer is not."""
        needed = votes_needed(present)

        assert needed * 2 > present
        assert (needed - 1) * 2 <= present


class TestElectorate:
    """GOV-02: only the company representatives present vote."""

    @pytest.mark.parametrize(
        ("role", "presents"),
        [
            ("relay_structure", ["P1"]),
            ("other_scheme", ["P1"]),
            ("public_body", []),
            ("local_operator", []),
        ],
    )
    def test_a_ballot_from_someone_who_is_not_a_company_representative_is_ignored(
        self, role: str, presents: list[str]
    ) -> None:
        """A guest's, a public body's or the operator's ballot changes nothing and is flagged."""
        guest = Attendee(id="G1", name="Gilles Faure", role=role, presents=presents)
        votes = {**ballots(*counted(1, 1)), "G1": "for"}
        session = make_session([*members(2), guest], [item(votes)])

        result = decide_item(session, "P1")

        assert result.outcome is Outcome.REJECTED
        assert result.tally == Tally(VotePer.REPRESENTATIVE, 2, 1, 1, 0)
        ignored = [s for s in result.decision.warnings if s.code == "ballot.ignored"]
        assert ignored
        assert ignored[0].rule == "GOV-02"
        assert "Gilles Faure" in ignored[0].message

    def test_a_retired_representative_still_votes(self) -> None:
        """Being out of activity bars the presidency, not the vote."""
        session = make_session(
            [*members(1), member(2, in_activity=False)], [item(ballots("for", "for"))]
        )

        result = decide_item(session, "P1")

        assert result.tally == Tally(VotePer.REPRESENTATIVE, 2, 2, 0, 0)
        assert result.outcome is Outcome.ADOPTED


class TestOneVotePerCompany:
    """GOV-03: the vote_per setting."""

    def session(self, *answers: str | None) -> CommitteeSession:
        """R1, R2, R3 of C1, R4 of C2, R5 of C3, with these ballots."""
        attendees = [
            member(1, "C1"),
            member(2, "C1"),
            member(3, "C1"),
            member(4, "C2"),
            member(5, "C3"),
        ]
        return make_session(attendees, [item(ballots(*answers))])

    def test_the_same_ballots_adopt_per_representative_and_reject_per_company(self) -> None:
        """Three for from one company adopt with one vote each, but are one vote of three companies."""
        session = self.session("for", "for", "for", "against", "abstain")

        per_representative = decide_item(
            session, "P1", territory_settings(vote_per="representative")
        )
        per_company = decide_item(session, "P1", territory_settings(vote_per="company"))

        assert per_representative.outcome is Outcome.ADOPTED
        assert per_company.outcome is Outcome.REJECTED
        assert per_company.tally == Tally(VotePer.COMPANY, 3, 1, 1, 1)
        assert vote_step_message(per_company).startswith(
            "3 entreprises partenaires présentes, 1 pour, 1 contre, 1 abstention ;"
        )

    def test_representatives_of_one_company_who_disagree_count_as_an_abstention(self) -> None:
        """C1's representatives split for/against: C1 abstains, so 2 of 3 companies for."""
        session = self.session("for", "against", "for", "for", "for")

        result = decide_item(session, "P1", territory_settings(vote_per="company"))

        assert result.tally == Tally(VotePer.COMPANY, 3, 2, 0, 1)
        assert result.outcome is Outcome.ADOPTED
        (divided,) = [s for s in result.decision.steps if s.code == "company.divided"]
        assert divided.message == (
            "Entreprise 1 : représentants en désaccord (pour, contre, pour) : compte comme une abstention"
        )

    def test_a_company_whose_representatives_agree_casts_their_ballot_once(self) -> None:
        """C1's three representatives all for: one vote for."""
        session = self.session("for", "for", "for", "against", "against")

        result = decide_item(session, "P1", territory_settings(vote_per="company"))

        assert result.tally == Tally(VotePer.COMPANY, 3, 1, 2, 0)
        assert any(s.code == "company.agreed" for s in result.decision.steps)

    def test_a_company_with_one_silent_representative_is_not_for(self) -> None:
        """Two for and one silent representative of C1: C1 is not for."""
        session = self.session("for", "for", None, "for", "for")

        result = decide_item(session, "P1", territory_settings(vote_per="company"))

        assert result.tally == Tally(VotePer.COMPANY, 3, 2, 0, 1)

    def test_the_vote_per_setting_used_is_named_in_the_step(self) -> None:
        """The GOV-03 step carries the territory's version of vote_per."""
        session = self.session("for", "for", "for", "for", "for")

        result = decide_item(session, "P1", territory_settings(vote_per="company"))

        (step,) = [s for s in result.decision.steps if s.code == "vote_per.company"]
        assert [(v.name, v.value, v.territory) for v in step.settings_used] == [
            ("vote_per", "company", "T1")
        ]

    @pytest.mark.parametrize(
        ("ballots_of_one_company", "expected"),
        [
            ((Ballot.FOR, Ballot.FOR), Ballot.FOR),
            ((Ballot.AGAINST, Ballot.AGAINST), Ballot.AGAINST),
            ((Ballot.ABSTAIN,), Ballot.ABSTAIN),
            ((Ballot.FOR, Ballot.AGAINST), Ballot.ABSTAIN),
            ((Ballot.FOR, None), Ballot.ABSTAIN),
            ((None, None), None),
            ((), None),
        ],
    )
    def test_a_company_votes_only_what_all_its_representatives_present_agree_on(
        self, ballots_of_one_company: tuple[Ballot | None, ...], expected: Ballot | None
    ) -> None:
        """The documented default for one vote per company."""
        assert company_ballot(ballots_of_one_company) is expected


class TestConflictOfInterest:
    """GOV-11: a conflicted member neither votes nor counts as present, when the territory says so."""

    def session(self) -> CommitteeSession:
        """Six present: 3 for, 1 against, R5 and R6 (conflicted) abstain."""
        votes = ballots(*counted(3, 1, 2))
        return make_session(members(6), [item(votes, conflicted=["R5", "R6"])])

    def test_a_conflicted_member_is_removed_from_the_base(self) -> None:
        """Excluding R5 and R6 leaves 4 present: 3 for is a majority."""
        result = decide_item(self.session(), "P1", territory_settings(conflicts_excluded=True))

        assert result.tally == Tally(VotePer.REPRESENTATIVE, 4, 3, 1, 0)
        assert result.outcome is Outcome.ADOPTED
        (step,) = [s for s in result.decision.steps if s.rule == "GOV-11"]
        assert step.message == (
            "conflit d'intérêts : Membre 5, Membre 6 ne vote pas et n'est pas compté parmi les présents"
            " pour ce projet (règlement intérieur de T1)"
        )
        assert [v.name for v in step.settings_used] == ["conflicts_excluded"]

    def test_by_default_a_conflicted_member_votes_and_is_flagged(self) -> None:
        """The national default keeps R5 and R6 in the base: 3 of 6 is no majority."""
        result = decide_item(self.session(), "P1")

        assert result.tally == Tally(VotePer.REPRESENTATIVE, 6, 3, 1, 2)
        assert result.outcome is Outcome.REJECTED
        (step,) = [s for s in result.decision.steps if s.rule == "GOV-11"]
        assert step.warning

    def test_a_conflicted_member_ballot_is_not_counted(self) -> None:
        """A for from an excluded member is not a vote for."""
        session = make_session(
            members(3), [item(ballots("for", "against", "for"), conflicted=["R3"])]
        )

        result = decide_item(session, "P1", territory_settings(conflicts_excluded=True))

        assert result.tally == Tally(VotePer.REPRESENTATIVE, 2, 1, 1, 0)
        assert result.outcome is Outcome.REJECTED

    def test_when_every_voter_is_conflicted_nothing_is_decided(self) -> None:
        """With nobody left to vote, the project is not examined rather than rejected."""
        session = make_session(members(2), [item(ballots("for", "for"), conflicted=["R1", "R2"])])

        result = decide_item(session, "P1", territory_settings(conflicts_excluded=True))

        assert result.outcome is Outcome.NOT_EXAMINED
        assert result.decision.failed[-1].code == "vote.no_voter"


class TestSessionValidity:
    """GOV-04…07: an invalid session decides nothing and says why."""

    def test_a_session_with_operator_quorum_and_active_president_is_valid(self) -> None:
        """The ordinary case."""
        decision = check_session(make_session(members(3)))

        assert decision.outcome is Outcome.VALID
        assert decision.rules == ("GOV-04", "GOV-05", "GOV-06")

    def test_a_retired_president_makes_the_session_invalid(self) -> None:
        """GOV-05: the president must be in activity."""
        session = make_session(
            [member(1, in_activity=False), member(2)], [item(ballots("for", "for"))]
        )

        result = decide(session)

        assert not result.valid
        assert [s.code for s in result.validity.failed] == ["president.retired"]
        assert result.decisions[0].outcome is Outcome.NOT_EXAMINED
        assert "president.retired" in [s.code for s in result.decisions[0].decision.failed]

    def test_a_president_who_is_not_a_company_representative_makes_the_session_invalid(
        self,
    ) -> None:
        """GOV-05: operator staff cannot preside."""
        session = make_session(members(2), president="OP")

        decision = check_session(session)

        assert [s.code for s in decision.failed] == ["president.not_representative"]

    def test_a_session_without_the_operator_is_invalid(self) -> None:
        """GOV-04 and GOV-06: the operator must be present."""
        session = make_session(members(3), [item(ballots("for", "for", "for"))], operator=False)

        result = decide(session)

        assert not result.valid
        assert [s.code for s in result.validity.failed] == [
            "operator.absent",
            "president.without_operator",
        ]
        assert result.decisions[0].outcome is Outcome.NOT_EXAMINED
        assert result.decisions[0].tally is None

    def test_a_session_without_company_representatives_decides_nothing(self) -> None:
        """GOV-04: with no company representative present, nothing can be decided."""
        guest = Attendee(id="PB", name="Sous-préfecture", role="public_body")
        session = make_session([guest], [item({"PB": "for"})], president="PB")

        result = decide(session)

        assert not result.valid
        assert "representatives.none" in [s.code for s in result.validity.failed]
        assert [d.outcome for d in result.decisions] == [Outcome.NOT_EXAMINED]
        assert result.decisions[0].means_granted is None

    def test_a_quorum_set_as_a_number_counts_the_representatives_present(self) -> None:
        """Quorum 3 with 2 present is not reached; the setting used is named."""
        decision = check_session(make_session(members(2)), territory_settings(quorum=3))

        (step,) = decision.failed
        assert step.code == "quorum.not_reached"
        assert step.params["needed"] == 3
        assert [(v.name, v.value) for v in step.settings_used] == [("quorum", 3)]

    @pytest.mark.parametrize(("present", "outcome"), [(2, Outcome.INVALID), (3, Outcome.VALID)])
    def test_a_quorum_set_as_a_fraction_of_partner_companies_is_rounded_up(
        self, present: int, outcome: Outcome
    ) -> None:
        """Half of 5 partner companies is 2.5: 3 representatives are needed."""
        decision = check_session(make_session(members(present)), territory_settings(quorum="1/2"))

        assert decision.outcome is outcome
        assert decision.steps[1].params["needed"] == 3
        assert decision.steps[1].params["quorum"] == Fraction(1, 2)

    def test_the_settings_in_force_on_the_session_date_apply(self) -> None:
        """A quorum the territory adopts after the session does not apply to it."""
        settings = Settings.national().set_for_territory(
            TERRITORY, QUORUM, 5, start=date(2026, 6, 1)
        )

        decision = check_session(make_session(members(2)), settings)

        assert decision.outcome is Outcome.VALID
        assert decision.steps[1].settings_used[0].territory is None

    def test_a_guest_presenting_a_file_on_the_agenda_is_welcome(self) -> None:
        """GOV-07: a relay structure attends for the file it presents."""
        guest = Attendee(id="G1", name="Gilles Faure", role="relay_structure", presents=["P1"])
        session = make_session([*members(1), guest], [item(ballots("for"))])

        result = decide(session)

        assert result.valid
        assert not result.validity.warnings
        assert any(s.code == "item.presented_by" for s in result.decisions[0].decision.steps)

    def test_a_guest_without_a_file_on_the_agenda_is_flagged(self) -> None:
        """GOV-07: attending without presenting is flagged; the session stays valid."""
        guest = Attendee(id="G1", name="Gilles Faure", role="other_scheme", presents=["P9"])
        session = make_session([*members(1), guest], [item(ballots("for"))])

        result = decide(session)

        assert result.valid
        assert [s.code for s in result.validity.warnings] == ["guest.without_file"]


class TestAgenda:
    """OP-03 and GOV-10: what is examined, and what an adoption grants."""

    def test_an_item_not_validated_by_the_operator_is_not_examined(self) -> None:
        """OP-03: the file must be validated before it is examined."""
        unvalidated = AgendaItem(project="P2", operator_validated=False, ballots=ballots("for"))
        session = make_session(members(1), [item(ballots("for")), unvalidated])

        result = decide(session)

        assert [d.outcome for d in result.decisions] == [Outcome.ADOPTED, Outcome.NOT_EXAMINED]
        (step,) = result.decision("P2").decision.failed
        assert (step.rule, step.code) == ("OP-03", "agenda.not_validated")

    def test_an_adopted_project_carries_the_means_granted(self) -> None:
        """GOV-10: the advance, the subsidised loan and the mentor days."""
        means = Means(advance="25000", subsidised_loan="10000.50", mentor_days=6)
        session = make_session(members(1), [item(ballots("for"), means=means)])

        result = decide_item(session, "P1")

        assert result.means_granted == means
        assert result.means_granted.advance == Decimal("25000.00")
        (step,) = [s for s in result.decision.steps if s.rule == "GOV-10"]
        assert step.params["advance"] == Decimal("25000.00")
        assert step.params["mentor_days"] == 6

    def test_a_rejected_project_is_granted_nothing(self) -> None:
        """A rejection carries no means."""
        session = make_session(members(1), [item(ballots("against"), means=Means(advance="5000"))])

        assert decide_item(session, "P1").means_granted is None

    def test_deciding_a_project_not_on_the_agenda_is_refused(self) -> None:
        """The project is named in the error."""
        with pytest.raises(InvalidValue, match="P9"):
            decide_item(make_session(members(1)), "P9")

    def test_the_machine_form_has_the_documented_keys(self) -> None:
        """SessionDecision.to_dict() has the shape alize decide prints."""
        session = make_session(members(9), [item(ballots(*counted(4, 3, 2)))])

        data: dict[str, Any] = decide(session).to_dict()

        assert set(data) == {"session", "decisions"}
        assert set(data["session"]) == {"valid", "steps"}
        (first,) = data["decisions"]
        assert first == {
            "project": "P1",
            "outcome": "rejected",
            "present": 9,
            "for": 4,
            "against": 3,
            "abstain": 2,
            "required": 5,
            "rules": ["OP-03", "GOV-02", "GOV-03", "GOV-01"],
            "explanation": first["explanation"],
        }


class TestInput:
    """Bad input raises an error naming the field and the value."""

    def test_an_unknown_role_is_refused(self) -> None:
        """The known roles are listed."""
        with pytest.raises(
            InvalidValue,
            match=r"role: 'chair' must be one of company_representative, local_operator",
        ):
            Attendee(id="A", name="X", role="chair")

    def test_a_company_representative_must_say_whether_they_are_in_activity(self) -> None:
        """GOV-05 needs it for the president."""
        with pytest.raises(MissingValue, match="in_activity"):
            Attendee(id="A", name="X", role="company_representative", company="C1")

    @pytest.mark.parametrize(
        ("fields", "culprit"),
        [
            ({"role": "local_operator", "company": "C1"}, "company"),
            ({"role": "public_body", "in_activity": True}, "in_activity"),
            ({"role": "local_operator", "presents": ["P1"]}, "presents"),
            ({"role": "relay_structure", "presents": "P1"}, "presents"),
        ],
    )
    def test_a_field_that_does_not_fit_the_role_is_refused(
        self, fields: dict[str, object], culprit: str
    ) -> None:
        """Company and activity only for representatives; presents only for guests."""
        with pytest.raises(InvalidValue, match=f"^{culprit}:"):
            Attendee(id="A", name="X", **fields)  # type: ignore[arg-type]

    def test_a_ballot_that_is_not_for_against_or_abstain_is_refused(self) -> None:
        """Ballots are for, against or abstain."""
        with pytest.raises(
            InvalidValue, match="ballot: 'pour' must be one of for, against, abstain"
        ):
            AgendaItem(project="P1", operator_validated=True, ballots={"R1": "pour"})

    @pytest.mark.parametrize(
        ("choice", "refusal"),
        [
            (
                AttendeeRole,
                "role: 'x' must be one of company_representative, local_operator,"
                " relay_structure, other_scheme, public_body",
            ),
            (Ballot, "ballot: 'x' must be one of for, against, abstain"),
            (VotePer, "vote_per: 'x' must be one of representative, company"),
        ],
    )
    def test_a_word_that_is_no_choice_is_refused_naming_the_field_and_the_words(
        self, choice: type[enum.Enum], refusal: str
    ) -> None:
        """A role, ballot or voting mode read from text lists the words it accepts."""
        with pytest.raises(InvalidValue) as refused:
            choice("x")

        assert str(refused.value) == refusal

    @pytest.mark.parametrize("amount", [Decimal("-1"), "10.001", 2.5])
    def test_a_negative_fractional_or_float_advance_is_refused(self, amount: object) -> None:
        """Means are whole cents, zero or more, never floats."""
        with pytest.raises(InvalidValue, match=r"^advance:"):
            Means(advance=amount)

    @pytest.mark.parametrize(
        ("change", "field"),
        [
            ({"president": "R9"}, "president"),
            ({"attendees": [member(1), member(1)]}, r"attendees\[1\]"),
            ({"attendees": [member(1, "C9")]}, r"attendees\[0\]\.company"),
            ({"items": [item({"R9": "for"})]}, r"items\[0\]\.ballots"),
            ({"items": [item({}, conflicted=["OP"])]}, r"items\[0\]\.conflicted"),
            ({"items": [item({}), item({})]}, r"items\[1\]"),
        ],
    )
    def test_a_session_that_refers_to_nobody_or_repeats_itself_is_refused(
        self, change: dict[str, object], field: str
    ) -> None:
        """References between the parts of a session must hold."""
        base = {
            "territory": TERRITORY,
            "date": ON,
            "partner_companies": PARTNERS,
            "attendees": [member(1), OPERATOR],
            "president": "R1",
        }
        with pytest.raises(InvalidValue, match=f"^{field}:"):
            CommitteeSession(**{**base, **change})  # type: ignore[arg-type]

    def test_session_decisions_that_skip_an_item_are_refused(self) -> None:
        """Decisions must follow the agenda, so the minutes cannot drop an item."""
        result = decide(make_session(members(1), [item(ballots("for"))]))

        with pytest.raises(InvalidValue, match="decisions"):
            SessionDecision(result.session, result.validity, ())

    def test_a_tally_with_more_ballots_than_voters_is_refused(self) -> None:
        """A count cannot exceed those present."""
        with pytest.raises(InvalidValue, match="present"):
            Tally(VotePer.REPRESENTATIVE, 1, 1, 1, 0)

    @pytest.mark.parametrize(
        ("quorum", "partners", "needed"),
        [(1, 0, 1), (4, 9, 4), (Fraction(1, 3), 7, 3), (Fraction(1, 1), 4, 4)],
    )
    def test_the_quorum_needed_is_a_count_or_a_share_rounded_up(
        self, quorum: int | Fraction, partners: int, needed: int
    ) -> None:
        """GOV-04: a fraction of the partner companies is rounded up."""
        assert quorum_needed(quorum, partners) == needed


class TestSteeringCommittee:
    """PIL-01: the steering committee is chaired by the prefecture or a sub-prefecture."""

    @pytest.mark.parametrize("kind", [PublicBodyKind.PREFECTURE, PublicBodyKind.SUB_PREFECTURE])
    def test_the_prefecture_or_a_sub_prefecture_may_chair(self, kind: PublicBodyKind) -> None:
        """Accepted, citing PIL-01."""
        decision = check_steering_chair(
            PublicBody("PREF", "Préfecture", kind), on=ON, territory=TERRITORY
        )

        assert decision.outcome is Outcome.ACCEPTED
        assert decision.rules == ("PIL-01",)

    @pytest.mark.parametrize(
        "chair",
        [
            PublicBody("GE", "Région Grand Est", PublicBodyKind.REGION),
            LocalOperator("CCI", "CCI Meuse"),
            PartnerCompany("C1", "Aciéries"),
            CompanyRepresentative("R1", "C1"),
            None,
        ],
    )
    def test_anyone_else_is_refused(
        self, chair: PublicBody | LocalOperator | PartnerCompany | None
    ) -> None:
        """A region, the operator, a company or nobody: refused with the reason."""
        decision = check_steering_chair(chair, on=ON, territory=TERRITORY)

        assert decision.outcome is Outcome.REFUSED
        assert "préfecture ou à la sous-préfecture" in decision.explain()


# --- properties -------------------------------------------------------------------------

ANSWERS = st.sampled_from([Ballot.FOR, Ballot.AGAINST, Ballot.ABSTAIN, None])


@st.composite
def valid_sessions(draw: st.DrawFn) -> tuple[CommitteeSession, Settings]:
    """A valid session with one validated item, random members, ballots, conflicts and settings."""
    partners = PARTNERS[: draw(st.integers(1, len(PARTNERS)))]
    size = draw(st.integers(1, 9))
    attendees = [
        member(n, draw(st.sampled_from(partners)).id, in_activity=n == 1 or draw(st.booleans()))
        for n in range(1, size + 1)
    ]
    guest = Attendee(id="G1", name="Gilles Faure", role="relay_structure", presents=["P1"])
    answers = {a.id: draw(ANSWERS) for a in [*attendees, guest]}
    votes = {k: v.value for k, v in answers.items() if v is not None}
    conflicted = draw(st.sets(st.sampled_from([a.id for a in attendees])))
    session = make_session(
        [*attendees, guest], [item(votes, conflicted=conflicted)], partners=partners
    )
    settings = territory_settings(
        vote_per=draw(st.sampled_from(["representative", "company"])),
        conflicts_excluded=draw(st.booleans()),
    )
    return session, settings


def with_ballots(session: CommitteeSession, ballots: Mapping[str, Ballot]) -> CommitteeSession:
    """The session with other ballots on its single item."""
    (only,) = session.items
    return attrs.evolve(session, items=[attrs.evolve(only, ballots=ballots)])


@given(valid_sessions(), st.data())
def test_turning_a_for_into_an_abstention_never_turns_a_rejection_into_an_adoption(
    drawn: tuple[CommitteeSession, Settings], data: st.DataObject
) -> None:
    """GOV-01: an abstention is not for, so it can only take votes away."""
    session, settings = drawn
    (before_item,) = session.items
    voters_for = sorted(k for k, v in before_item.ballots.items() if v is Ballot.FOR)
    assume(voters_for)
    who = data.draw(st.sampled_from(voters_for))
    after = with_ballots(session, {**before_item.ballots, who: Ballot.ABSTAIN})

    before_outcome = decide_item(session, "P1", settings).outcome
    after_outcome = decide_item(after, "P1", settings).outcome

    assert not (before_outcome is not Outcome.ADOPTED and after_outcome is Outcome.ADOPTED)


@given(valid_sessions(), st.data())
def test_adding_a_present_representative_who_does_not_vote_never_helps_adoption(
    drawn: tuple[CommitteeSession, Settings], data: st.DataObject
) -> None:
    """GOV-01: a silent member is in the base and not for."""
    session, settings = drawn
    assume(check_session(session, settings).outcome is Outcome.VALID)
    company = data.draw(st.sampled_from(session.partner_companies)).id
    newcomer = member(99, company, in_activity=data.draw(st.booleans()))
    after = attrs.evolve(session, attendees=[*session.attendees, newcomer])

    before_outcome = decide_item(session, "P1", settings).outcome
    after_outcome = decide_item(after, "P1", settings).outcome

    assert not (before_outcome is not Outcome.ADOPTED and after_outcome is Outcome.ADOPTED)


@given(valid_sessions())
def test_a_project_is_adopted_exactly_when_its_votes_for_are_more_than_half_of_the_base(
    drawn: tuple[CommitteeSession, Settings],
) -> None:
    """The outcome and the count always agree, whatever the settings."""
    session, settings = drawn

    result = decide_item(session, "P1", settings)

    assert result.tally is not None
    adopted = result.tally.present > 0 and 2 * result.tally.votes_for > result.tally.present
    assert (result.outcome is Outcome.ADOPTED) == adopted


@given(valid_sessions())
def test_a_session_and_its_decisions_survive_a_json_round_trip(
    drawn: tuple[CommitteeSession, Settings],
) -> None:
    """unstructure then structure gives back equal values for every public governance type."""
    session, settings = drawn
    result = decide(session, settings)
    values: list[object] = [
        session,
        *session.attendees,
        *session.items,
        result,
        result.validity,
        *result.decisions,
    ]
    values += [d.tally for d in result.decisions if d.tally is not None]
    values += [d.means_granted for d in result.decisions if d.means_granted is not None]

    for value in values:
        assert structure(unstructure(value), type(value)) == value


@given(
    st.builds(
        Means,
        advance=st.decimals(min_value=0, max_value=10**9, places=2),
        subsidised_loan=st.decimals(min_value=0, max_value=10**9, places=2),
        mentor_days=st.integers(0, 366),
    )
)
def test_means_survive_a_json_round_trip(means: Means) -> None:
    """Amounts stay exact through JSON."""
    assert structure(unstructure(means), Means) == means


def test_roles_and_ballots_have_french_labels() -> None:
    """Every role and ballot reads in French in the minutes."""
    assert {r.french for r in AttendeeRole} >= {"représentant d'entreprise", "opérateur local"}
    assert [b.french for b in Ballot] == ["pour", "contre", "abstention"]
