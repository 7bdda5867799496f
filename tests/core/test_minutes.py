"""The minutes of a session (OP-02), rendered from its decisions as text and HTML."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from hypothesis import given

from alize_core import Settings
from alize_core.governance import minutes_html, minutes_text
from alize_core.governance.committee import (
    AgendaItem,
    Attendee,
    CommitteeSession,
    Means,
    SessionDecision,
    decide,
)

from .test_governance import (
    OPERATOR,
    ballots,
    counted,
    item,
    make_session,
    member,
    members,
    valid_sessions,
)


VOID_ELEMENTS = {"meta", "br", "hr", "img", "link", "input"}


def sample_result() -> SessionDecision:
    """A valid session: 8 present; P1 adopted 5/2/1 with means; P2 not validated; a guest."""
    guest = Attendee(id="G1", name="Gilles Faure", role="relay_structure", presents=["P1"])
    retired = member(8, in_activity=False)
    votes = {**ballots(*counted(5, 2, 1)), "G1": "for"}
    adopted = item(votes, means=Means(advance="25000.00", mentor_days=6))
    not_validated = AgendaItem(project="P2", operator_validated=False)
    return decide(make_session([*members(7), retired, guest], [adopted, not_validated]))


class TagBalance(HTMLParser):
    """Records every tag opened and not closed, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open a tag (void elements close themselves)."""
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost tag, which must be this one."""
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def test_the_minutes_list_the_attendees_by_role_with_the_president() -> None:
    """Attendance: voters first, the president and a retired member marked."""
    text = minutes_text(sample_result())

    assert (
        "- Représentants d'entreprises partenaires (voix délibérative) : Membre 1 (Entreprise 1),"
        " président de séance; Membre 2 (Entreprise 1)"
    ) in text
    assert "Membre 8 (Entreprise 1), hors activité" in text
    assert "- Opérateur local : Claire Renard" in text
    assert (
        "- Structures relais et autres dispositifs : Gilles Faure, structure relais, présente P1"
        in text
    )


def test_the_minutes_state_the_validity_of_the_session_with_its_rules() -> None:
    """Validity heading and every validity step with its rule id."""
    result = sample_result()

    text = minutes_text(result)

    assert "Validité de la séance : valide" in text
    for step in result.validity.steps:
        assert f"✓ {step.message} ({step.rule})" in text


def test_the_minutes_give_each_item_its_count_threshold_outcome_and_means() -> None:
    """P1: 8 present, 5 for, 2 against, 1 abstention, 5 needed, adopted, with the means."""
    text = minutes_text(sample_result())

    assert "1. Projet P1 : adopté" in text
    assert (
        "Décompte : présents 8, pour 5, contre 2, abstentions 1, sans vote 0 ;"
        " majorité requise 5 voix (plus de la moitié des présents, GOV-01)"
    ) in text
    assert (
        "Moyens accordés : avance remboursable de 25\xa0000,00\xa0€, 6 jours par an d'apport en"
        " compétences (GOV-10)"
    ) in text
    assert "Règles appliquées : OP-03, GOV-07, GOV-02, GOV-03, GOV-01, GOV-10" in text


def test_the_minutes_say_why_an_item_was_not_examined() -> None:
    """P2: not validated by the operator (OP-03), no count."""
    text = minutes_text(sample_result())
    second = text.split("2. Projet P2 : non examiné")[1]

    assert (
        "✗ dossier non validé par l'opérateur local : le projet n'est pas examiné (OP-03)" in second
    )
    assert "Décompte" not in second


def test_the_minutes_of_an_invalid_session_say_why_and_decide_nothing() -> None:
    """No operator: the minutes record the invalid session and every item not examined."""
    session = make_session(members(3), [item(ballots("for", "for", "for"))], operator=False)

    text = minutes_text(decide(session))

    assert "Validité de la séance : invalide" in text
    assert "✗ aucun membre de l'opérateur local n'est présent" in text
    assert "1. Projet P1 : non examiné" in text
    assert "Procès-verbal établi par l'opérateur local, à partir" in text


def test_the_minutes_of_a_session_with_no_agenda_say_so() -> None:
    """An empty agenda is written out, not left blank."""
    text = minutes_text(decide(make_session(members(1))))

    assert "(aucun projet inscrit)" in text


def test_the_html_minutes_escape_every_name() -> None:
    """A name with markup is shown, never interpreted."""
    guest = Attendee(id="G1", name="<script>alert(1)</script>", role="public_body")
    session = make_session([*members(1), guest], [item({"R1": "for", "G1": "for"})])

    page = minutes_html(decide(session))

    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_html_minutes_are_a_well_formed_french_page() -> None:
    """Every tag opened is closed in order; the page says it is French."""
    parser = TagBalance()

    parser.feed(minutes_html(sample_result()))

    assert parser.errors == []
    assert parser.open == []


def test_the_html_minutes_carry_the_same_steps_and_counts_as_the_text() -> None:
    """Both renderings come from the same decisions."""
    result = sample_result()

    page = minutes_html(result)

    for decision in (result.validity, *(d.decision for d in result.decisions)):
        for step in decision.steps:
            assert html.escape(step.message) in page
    assert "<tr><td>8</td><td>5</td><td>2</td><td>1</td><td>0</td><td>5</td></tr>" in page
    assert '<html lang="fr">' in page


@given(valid_sessions())
def test_the_minutes_never_disagree_with_the_decisions(
    drawn: tuple[CommitteeSession, Settings],
) -> None:
    """Every step of every decision appears in the text minutes, with its rule id."""
    session, settings = drawn
    result = decide(session, settings)

    text = minutes_text(result)

    for decided in result.decisions:
        assert f"Projet {decided.project} : {decided.outcome.french}" in text
        for step in decided.decision.steps:
            assert f"{step.message} ({step.rule})" in text
        if decided.tally is not None:
            assert f"présents {decided.tally.present}, pour {decided.tally.votes_for}," in text


def test_the_operator_who_writes_the_minutes_is_named() -> None:
    """OP-02: the operator writes the minutes."""
    text = minutes_text(decide(make_session([member(1)])))

    assert text.rstrip().endswith(
        f"Procès-verbal établi par l'opérateur local, {OPERATOR.name}, à partir des décisions de la"
        " séance (OP-02)."
    )
