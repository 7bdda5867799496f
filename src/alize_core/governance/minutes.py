"""
The minutes of a session of the approval committee (*procès-verbal*, OP-02).

The local operator writes the minutes of every session (OP-02). alize renders
them, in French, from the session's decisions alone
(:class:`~alize_core.governance.committee.SessionDecision`): who attended and in what
role, whether the session was validly held and why, then for each item of the
agenda its count, the majority required, the outcome, the means granted and the
rule ids each step applied. Nothing is computed here that the decisions do not
already say, so the minutes never disagree with the decisions.

:func:`minutes_text` gives plain text (for a letter or an e-mail),
:func:`minutes_html` a standalone HTML page where every name is escaped.

>>> from datetime import date
>>> from alize_core.governance.committee import AgendaItem, Attendee, CommitteeSession, Means, decide
>>> from alize_core.parties.model import PartnerCompany
>>> session = CommitteeSession(
...     territory="T1", date=date(2026, 3, 12),
...     partner_companies=[PartnerCompany("C1", "Aciéries de l'Est")],
...     attendees=[
...         Attendee(id="A1", name="Alice Martin", role="company_representative",
...                  company="C1", in_activity=True),
...         Attendee(id="OP", name="Claire Renard", role="local_operator")],
...     president="A1",
...     items=[AgendaItem(project="P1", operator_validated=True, ballots={"A1": "for"},
...                       means=Means(advance="25000.00"))])
>>> text = minutes_text(decide(session))
>>> print(text.split("Ordre du jour")[0])
Comité d'agrément — territoire T1
Procès-verbal de la séance du 12/03/2026
<BLANKLINE>
Présents
- Représentants d'entreprises partenaires (voix délibérative) : Alice Martin (Aciéries de l'Est), président de séance
- Opérateur local : Claire Renard
<BLANKLINE>
Validité de la séance : valide
  ✓ opérateur local présent : Claire Renard (GOV-04)
  ✓ quorum atteint : 1 représentant d'entreprise présent, il en faut au moins 1 (quorum fixé à 1, valeur nationale par défaut) (GOV-04)
  ✓ présidence : Alice Martin (Aciéries de l'Est), représentant d'entreprise partenaire en activité (GOV-05)
  ✓ séance animée par le président avec l'opérateur local (GOV-06)
<BLANKLINE>
<BLANKLINE>
>>> print(text.split("Ordre du jour et décisions")[1].split("Motifs")[0].strip())
1. Projet P1 : adopté
   Décompte : présents 1, pour 1, contre 0, abstentions 0, sans vote 0 ; majorité requise 1 voix (plus de la moitié des présents, GOV-01)
   Moyens accordés : avance remboursable de 25\xa0000,00\xa0€ (GOV-10)

Minutes are written only from a session's own decisions: decisions that do not
follow its agenda are refused.

>>> from alize_core.governance.committee import SessionDecision
>>> result = decide(session)
>>> SessionDecision(result.session, result.validity, ())
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: decisions: [] do not decide the agenda's items in order (P1)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Final

import attrs

from alize_core.governance.committee import (
    Attendee,
    AttendeeRole,
    CommitteeSession,
    ProjectDecision,
    SessionDecision,
)
from alize_core.kernel.decisions import Step, format_step


__all__ = ["minutes_html", "minutes_text"]

_ROLE_HEADINGS: Final = (
    (
        (AttendeeRole.COMPANY_REPRESENTATIVE,),
        "Représentants d'entreprises partenaires (voix délibérative)",
    ),
    ((AttendeeRole.LOCAL_OPERATOR,), "Opérateur local"),
    (
        (AttendeeRole.RELAY_STRUCTURE, AttendeeRole.OTHER_SCHEME),
        "Structures relais et autres dispositifs",
    ),
    ((AttendeeRole.PUBLIC_BODY,), "Organismes publics"),
)

_COUNT_LABELS: Final = (
    "présents",
    "pour",
    "contre",
    "abstentions",
    "sans vote",
)


@attrs.frozen
class _Item:
    """What the minutes say of one agenda item."""

    number: int
    heading: str
    anchor: str
    count: tuple[tuple[str, int], ...]
    required: int | None
    means: Step | None
    steps: tuple[Step, ...]
    rules: tuple[str, ...]


@attrs.frozen
class _Minutes:
    """The minutes' content, shared by the text and the HTML renderings."""

    title: str
    subtitle: str
    attendance: tuple[tuple[str, tuple[str, ...]], ...]
    validity: str
    validity_steps: tuple[Step, ...]
    items: tuple[_Item, ...]
    closing: str


def _describe(attendee: Attendee, session: CommitteeSession) -> str:
    words = [attendee.name]
    if attendee.company is not None:
        words.append(f" ({session.company_name(attendee.company)})")
    if attendee.role.guest:
        words.append(f", {attendee.role.french}")
        if attendee.presents:
            words.append(f", présente {', '.join(sorted(attendee.presents))}")
    if attendee.in_activity is False:
        words.append(", hors activité")
    if attendee.id == session.president:
        words.append(", président de séance")
    return "".join(words)


def _attendance(session: CommitteeSession) -> tuple[tuple[str, tuple[str, ...]], ...]:
    groups = []
    for roles, heading in _ROLE_HEADINGS:
        people = tuple(_describe(a, session) for a in session.attendees if a.role in roles)
        if people:
            groups.append((heading, people))
    return tuple(groups)


def _item(number: int, decided: ProjectDecision) -> _Item:
    decision = decided.decision
    tally = decided.tally
    count: tuple[tuple[str, int], ...] = ()
    required = None
    if tally is not None:
        values = (
            tally.present,
            tally.votes_for,
            tally.votes_against,
            tally.abstentions,
            tally.silent,
        )
        count = tuple(zip(_COUNT_LABELS, values, strict=True))
        required = tally.required
    means = next((s for s in decision.steps if s.code == "means.granted"), None)
    return _Item(
        number,
        f"{number}. {decision.subject} : {decision.outcome.french}",
        f"projet-{decided.project}",
        count,
        required,
        means,
        decision.steps,
        decision.rules,
    )


def _minutes(result: SessionDecision) -> _Minutes:
    session = result.session
    operators = session.with_role(AttendeeRole.LOCAL_OPERATOR)
    writer = f", {', '.join(a.name for a in operators)}" if operators else ""
    return _Minutes(
        f"Comité d'agrément — territoire {session.territory}",
        f"Procès-verbal de la séance du {session.date:%d/%m/%Y}",
        _attendance(session),
        f"Validité de la séance : {result.validity.outcome.french}",
        result.validity.steps,
        tuple(_item(n, d) for n, d in enumerate(result.decisions, start=1)),
        f"Procès-verbal établi par l'opérateur local{writer}, à partir des décisions de la"
        " séance (OP-02).",
    )


def _step_lines(steps: Iterable[Step], indent: str) -> list[str]:
    return [format_step(s, indent) for s in steps]


def _count_text(item: _Item) -> str:
    counts = ", ".join(f"{label} {value}" for label, value in item.count)
    return (
        f"{counts} ; majorité requise {item.required} voix (plus de la moitié des présents, GOV-01)"
    )


def minutes_text(result: SessionDecision) -> str:
    """
    The minutes of a session as French plain text (OP-02).

    Args:
        result: The session's decisions, from :func:`~alize_core.governance.committee.decide`.

    Returns:
        The minutes: attendance, validity, then each item's count, majority, outcome,
        means and reasons, with the rule ids.

    .. versionadded:: 0.1.0
    """
    minutes = _minutes(result)
    lines = [minutes.title, minutes.subtitle, "", "Présents"]
    lines += [f"- {heading} : {'; '.join(people)}" for heading, people in minutes.attendance]
    lines += ["", minutes.validity, *_step_lines(minutes.validity_steps, "  "), ""]
    lines += ["Ordre du jour et décisions"]
    if not minutes.items:
        lines.append("(aucun projet inscrit)")
    for item in minutes.items:
        lines += ["", item.heading]
        if item.count:
            lines.append(f"   Décompte : {_count_text(item)}")
        if item.means is not None:
            lines.append(f"   Moyens accordés : {item.means.params['means']} (GOV-10)")
        lines += ["   Motifs :", *_step_lines(item.steps, "     ")]
        lines.append(f"   Règles appliquées : {', '.join(item.rules)}")
    lines += ["", minutes.closing]
    return "\n".join(lines) + "\n"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html_steps(steps: Iterable[Step]) -> list[str]:
    rows = ['<ul class="steps">']
    for step in steps:
        status = "warning" if step.warning else ("passed" if step.passed else "failed")
        rows.append(
            f'<li class="{status}">{_e(step.mark)} {_e(step.message)}'
            f' <span class="rule">({_e(step.rule)})</span></li>'
        )
    rows.append("</ul>")
    return rows


def _html_item(item: _Item) -> list[str]:
    rows = [f'<section id="{_e(item.anchor)}">', f"<h3>{_e(item.heading)}</h3>"]
    if item.count:
        head = "".join(f"<th>{_e(label)}</th>" for label, _ in item.count)
        cells = "".join(f"<td>{value}</td>" for _, value in item.count)
        rows += [
            '<table class="count">',
            f"<tr>{head}<th>majorité requise</th></tr>",
            f"<tr>{cells}<td>{item.required}</td></tr>",
            "</table>",
            "<p>Majorité : plus de la moitié des présents (GOV-01).</p>",
        ]
    if item.means is not None:
        means = str(item.means.params["means"])
        rows.append(f"<p>Moyens accordés : {_e(means)} (GOV-10)</p>")
    rows += ["<p>Motifs :</p>", *_html_steps(item.steps)]
    rows += [f"<p>Règles appliquées : {_e(', '.join(item.rules))}</p>", "</section>"]
    return rows


def minutes_html(result: SessionDecision) -> str:
    """
    The minutes of a session as a standalone French HTML page (OP-02).

    Same content as :func:`minutes_text`; every name and message is escaped.

    Args:
        result: The session's decisions, from :func:`~alize_core.governance.committee.decide`.

    >>> from datetime import date
    >>> from alize_core.governance.committee import Attendee, CommitteeSession, decide
    >>> session = CommitteeSession(
    ...     territory="T1", date=date(2026, 3, 12), president="OP",
    ...     attendees=[Attendee(id="OP", name="<Claire & Cie>", role="local_operator")])
    >>> page = minutes_html(decide(session))
    >>> "&lt;Claire &amp; Cie&gt;" in page and "<Claire" not in page
    True
    >>> print(page.split("<h2>")[2].split("</h2>")[0])
    Validité de la séance : invalide

    .. versionadded:: 0.1.0
    """
    minutes = _minutes(result)
    rows = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{_e(minutes.subtitle)} — {_e(minutes.title)}</title>",
        "</head>",
        "<body>",
        f"<h1>{_e(minutes.title)}</h1>",
        f'<p class="subtitle">{_e(minutes.subtitle)}</p>',
        "<h2>Présents</h2>",
        '<dl class="attendance">',
    ]
    for heading, people in minutes.attendance:
        rows.append(f"<dt>{_e(heading)}</dt>")
        rows += [f"<dd>{_e(person)}</dd>" for person in people]
    rows += ["</dl>", f"<h2>{_e(minutes.validity)}</h2>", *_html_steps(minutes.validity_steps)]
    rows.append("<h2>Ordre du jour et décisions</h2>")
    if not minutes.items:
        rows.append("<p>(aucun projet inscrit)</p>")
    for item in minutes.items:
        rows += _html_item(item)
    rows += [f"<footer><p>{_e(minutes.closing)}</p></footer>", "</body>", "</html>"]
    return "\n".join(rows) + "\n"
