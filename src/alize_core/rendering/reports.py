# Kept whole, at about 900 lines: each report is written three ways (text, HTML, CSV) from
# the same rows and labels (_figure_rows, _fund_rows, _call_rows…); split by format, that
# dozen row builders and labels would become public names shared across modules. The
# charts live in rendering.charts.
"""
The reports in French (*mise en forme*): plain text, a self-contained HTML page, CSV.

Every report of :mod:`alize_core.reporting.activity`, :mod:`alize_core.reporting.network`
and :mod:`alize_core.reporting.forecast` can be written three ways, as strings
(the core never writes a file: the caller does):

- :func:`to_text`: plain French text for a letter or an e-mail;
- :func:`to_html`: a standalone HTML page, its styles inline and its charts
  drawn as inline SVG (:mod:`alize_core.rendering.charts`), so it needs no network, no
  JavaScript and no other file; every name is escaped;
- :func:`to_csv`: a table as French Excel reads it, ``;`` between fields and a
  decimal comma, without thousands separators (write it in UTF-8 with a byte
  order mark so Excel recognises the encoding).

Amounts are written the French way (``1 234,56 €`` with non-breaking spaces),
dates as ``31 décembre 2026`` in headings and ``31/12/2026`` in tables.

>>> from datetime import date
>>> from decimal import Decimal
>>> long_date(date(2026, 12, 31)), short_date(date(2026, 3, 1))
('31 décembre 2026', '01/03/2026')
>>> amount(Decimal("-1234.5")).replace("\\xa0", " ")
'-1 234,50 €'
>>> csv_number(Decimal("1234.50")), csv_number(7)
('1234,50', '7')
>>> to_text("un rapport")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: report: 'un rapport' is not a report alize can write

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Final

from alize_core._version import __version__
from alize_core.kernel.decisions import Step, format_step, french
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import ZERO, format_eur
from alize_core.lending.life import ArrearsBucket
from alize_core.programme.fund import FundPosition
from alize_core.register.records import AdvanceStatus
from alize_core.rendering.charts import (
    arrears_chart,
    commitments_repayments_chart,
    fund_position_chart,
)
from alize_core.reporting.forecast import FundForecast
from alize_core.reporting.network import NationalConsolidation, NetworkContribution
from alize_core.reporting.portfolio import PortfolioReport
from alize_core.reporting.records import ActivityReport, CallForFunds, KeyFigures


__all__ = [
    "MONTHS",
    "Report",
    "amount",
    "csv_number",
    "long_date",
    "short_date",
    "to_csv",
    "to_html",
    "to_text",
]

Report = (
    ActivityReport
    | CallForFunds
    | NetworkContribution
    | NationalConsolidation
    | FundForecast
    | PortfolioReport
)
"""Every report alize can write."""

MONTHS: Final = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
"""The months in French, January first."""

_SHORT_MONTHS: Final = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def long_date(on: date) -> str:
    """A date as a heading writes it: ``1er mars 2026``, ``31 décembre 2026``."""
    day = "1er" if on.day == 1 else str(on.day)
    return f"{day} {MONTHS[on.month - 1]} {on.year}"


def short_date(on: date) -> str:
    """A date as a table writes it: ``31/12/2026``."""
    return french(on)


def amount(value: Decimal) -> str:
    """An amount in euros, French style, to the cent."""
    return format_eur(value)


def csv_number(value: Decimal | int) -> str:
    """A number as French Excel reads it: decimal comma, no thousands separator."""
    if isinstance(value, int):
        return str(value)
    return f"{value:f}".replace(".", ",")


def _percent(value: Decimal) -> str:
    return french(value) + "\xa0%"


def _step_lines(steps: Iterable[Step], indent: str = "  ") -> list[str]:
    return [format_step(s, indent) for s in steps]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


# --- The activity report. -----------------------------------------------------------------


_FIGURES: Final = (
    ("Projets examinés", "projects_examined", False),
    ("Projets adoptés", "projects_adopted", False),
    ("Emplois créés", "jobs_created", False),
    ("Emplois maintenus", "jobs_kept", False),
    ("Avances engagées", "advances_committed", True),
    ("Prêts bonifiés accordés", "subsidised_loans", True),
    ("Avances versées", "disbursed", True),
    ("Remboursements reçus", "repaid", True),
    ("Jours d'apport en compétences", "skills_days", False),
    ("Valeur de l'apport en compétences", "skills_value", True),
    ("Budget engagé", "budget", True),
)
"""The key figures as the reports list them: label, attribute, whether an amount in euros."""


def _figure_rows(figures: KeyFigures, previous: KeyFigures) -> list[tuple[str, str, str]]:
    rows = []
    for label, name, money in _FIGURES:
        write = amount if money else french
        rows.append((label, write(getattr(figures, name)), write(getattr(previous, name))))
    return rows


def _fund_rows(start: FundPosition, end: FundPosition) -> list[tuple[str, Decimal, Decimal]]:
    return [
        (
            "Apports des partenaires reçus (cumul)",
            start.contributions_received,
            end.contributions_received,
        ),
        ("Avances versées (cumul)", start.disbursed, end.disbursed),
        ("Remboursements (cumul)", start.repaid, end.repaid),
        ("Passé en perte (cumul)", start.written_off, end.written_off),
        ("Récupéré après perte (cumul)", start.recovered, end.recovered),
        ("Frais (cumul)", start.fees, end.fees),
        ("Trésorerie", start.cash, end.cash),
        ("Engagé non versé", start.committed, end.committed),
        ("Disponible", start.available, end.available),
        ("Encours des avances", start.outstanding, end.outstanding),
    ]


_VALIDITY: Final = {True: "valide", False: "invalide", None: "non clôturée"}


def _activity_title(report: ActivityReport) -> str:
    return f"Rapport d'activité {report.year} — {report.territory_name}"


def _activity_text(report: ActivityReport, *, heading: bool = True) -> list[str]:
    r = report
    lines = []
    if heading:
        lines += [
            _activity_title(r),
            f"Comité d'agrément du territoire {r.territory}, situation au {long_date(r.on)}",
            "Présenté au comité de pilotage par le président du comité d'agrément et"
            " l'opérateur local (GOV-09, PIL-03).",
            "",
        ]
    lines.append("Chiffres clés (année précédente entre parenthèses)")
    lines += [
        f"- {label} : {now} ({before})"
        for label, now, before in _figure_rows(r.figures, r.previous)
    ]
    lines += [
        "",
        f"Séances du comité d'agrément : {len(r.sessions)} tenue(s), {r.sessions_valid} valide(s)",
    ]
    for s in r.sessions:
        lines.append(
            f"- {short_date(s.on)} ({s.id}) : {_VALIDITY[s.valid]} ; {s.examined} projet(s) examiné(s),"
            f" {s.adopted} adopté(s), {s.rejected} rejeté(s), {s.not_examined} non examiné(s)"
        )
    lines += ["", "Projets décidés"]
    if not r.projects:
        lines.append("- aucun projet décidé dans l'année")
    for p in r.projects:
        means = (f" ; avance {amount(p.advance)}" if p.advance else "") + (
            f" ; prêt bonifié {amount(p.subsidised_loan)}" if p.subsidised_loan else ""
        )
        lines.append(
            f"- {short_date(p.decided_on)} {p.project} « {p.title} » ({p.sme_name}) :"
            f" {p.outcome.french}{means} ; emplois {p.jobs_created} créés, {p.jobs_kept} maintenus"
        )
    lines += [
        "",
        "Avances et fonds",
        f"- Apports reçus dans l'année : {amount(r.contributions_received)}",
        f"- Avances engagées : {amount(r.figures.advances_committed)} ;"
        f" versées : {amount(r.figures.disbursed)} ; remboursées : {amount(r.figures.repaid)}",
        f"- Défauts déclarés : {r.defaults} ; passé en perte : {amount(r.written_off)} ;"
        f" récupéré : {amount(r.recovered)} ; frais : {amount(r.fees)}",
        f"Position du fonds : au {short_date(date(r.year, 1, 1))} / au {short_date(r.on)}",
    ]
    lines += [
        f"- {label} : {amount(start)} / {amount(end)}"
        for label, start, end in _fund_rows(r.fund_start, r.fund_end)
    ]
    lines += ["", f"Impayés au {short_date(r.on)} : {amount(r.in_arrears)}"]
    lines += [
        f"- {a.bucket} : {a.advances} avance(s), {amount(a.amount)} impayés,"
        f" encours {amount(a.outstanding)}"
        for a in r.arrears
    ]
    lines += [
        "",
        f"Accompagnement : {r.missions} mission(s), {r.meetings} rendez-vous,"
        f" {french(r.figures.skills_days)} jour(s) valorisés {amount(r.figures.skills_value)}",
    ]
    lines += [
        f"- {s.partner_name} : {s.missions} mission(s), {s.meetings} rendez-vous,"
        f" {french(s.days)} jour(s), {amount(s.value)}"
        for s in r.skills
    ]
    if r.orientations is not None:
        lines += ["", _orientations_sentence(r)]
        lines += [f"- {p}" for p in r.orientations.priorities]
    lines += ["", "Orientations et contrôles"]
    lines += _step_lines(r.steps)
    return lines


def _orientations_sentence(report: ActivityReport) -> str:
    o = report.orientations
    assert o is not None
    when = f" le {long_date(o.set_on)}" if o.set_on is not None else ""
    ceiling = (
        f", dont un plafond d'engagements de {amount(o.commitments_ceiling)}"
        if o.commitments_ceiling is not None
        else ""
    )
    return (
        f"Orientations fixées pour {report.year} par le comité de pilotage{when}{ceiling}"
        f"{' ; priorités :' if o.priorities else '.'}"
    )


def _month_labels(report: ActivityReport) -> list[str]:
    return [_SHORT_MONTHS[m.month - 1] for m in report.months]


def _charts(report: ActivityReport) -> list[str]:
    if not report.months:
        return []
    cash = [report.fund_start.cash, *(m.cash for m in report.months)]
    outstanding = [report.fund_start.outstanding, *(m.outstanding for m in report.months)]
    short = ["début", *_month_labels(report)]
    return [
        '<figure class="chart">',
        fund_position_chart(short, cash, outstanding),
        "</figure>",
        '<figure class="chart">',
        commitments_repayments_chart(
            _month_labels(report),
            [m.committed for m in report.months],
            [m.repaid for m in report.months],
        ),
        "</figure>",
    ]


def _table(head: Sequence[str], rows: Iterable[Sequence[str]], *, numeric_from: int = 1) -> str:
    cells = "".join(
        f'<th class="num">{_e(h)}</th>' if i >= numeric_from else f"<th>{_e(h)}</th>"
        for i, h in enumerate(head)
    )
    body = []
    for row in rows:
        tds = "".join(
            f'<td class="num">{_e(c)}</td>' if i >= numeric_from else f"<td>{_e(c)}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{tds}</tr>")
    return f"<table><thead><tr>{cells}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _html_steps(steps: Iterable[Step]) -> str:
    items = []
    for step in steps:
        status = "warning" if step.warning else ("passed" if step.passed else "failed")
        items.append(
            f'<li class="{status}"><span class="mark">{_e(step.mark)}</span> {_e(step.message)}'
            f' <span class="rule">({_e(step.rule)})</span></li>'
        )
    return f'<ul class="steps">{"".join(items)}</ul>'


def _cards(report: ActivityReport) -> str:
    f = report.figures
    cards = [
        ("Projets adoptés", str(f.projects_adopted)),
        ("Emplois créés / maintenus", f"{f.jobs_created} / {f.jobs_kept}"),
        ("Avances engagées", amount(f.advances_committed)),
        ("Remboursements", amount(f.repaid)),
        ("Trésorerie du fonds", amount(report.fund_end.cash)),
        ("Apport en compétences", amount(f.skills_value)),
    ]
    items = "".join(
        f'<div class="card"><span class="value">{_e(value)}</span>'
        f'<span class="label">{_e(label)}</span></div>'
        for label, value in cards
    )
    return f'<div class="cards">{items}</div>'


def _activity_html(report: ActivityReport, *, level: int = 2) -> list[str]:
    r = report
    h = f"h{level}"
    parts = [
        _cards(r),
        f"<{h}>Chiffres clés</{h}>",
        _table(
            ("", str(r.year), str(r.year - 1)),
            _figure_rows(r.figures, r.previous),
        ),
        f"<{h}>Séances du comité d'agrément</{h}>",
        f"<p>{len(r.sessions)} séance(s) tenue(s), dont {r.sessions_valid} valide(s)"
        " (GOV-04, GOV-05, GOV-06).</p>",
    ]
    if r.sessions:
        parts.append(
            _table(
                ("Date", "Séance", "Validité", "Examinés", "Adoptés", "Rejetés", "Non examinés"),
                (
                    (
                        short_date(s.on),
                        s.id,
                        _VALIDITY[s.valid],
                        str(s.examined),
                        str(s.adopted),
                        str(s.rejected),
                        str(s.not_examined),
                    )
                    for s in r.sessions
                ),
                numeric_from=3,
            )
        )
    parts.append(f"<{h}>Projets décidés</{h}>")
    if r.projects:
        parts.append(
            _table(
                (
                    "Date",
                    "Projet",
                    "PME",
                    "Décision",
                    "Avance",
                    "Prêt bonifié",
                    "Emplois créés",
                    "Emplois maintenus",
                ),
                (
                    (
                        short_date(p.decided_on),
                        f"{p.project} — {p.title}",
                        p.sme_name,
                        p.outcome.french,
                        amount(p.advance),
                        amount(p.subsidised_loan),
                        str(p.jobs_created),
                        str(p.jobs_kept),
                    )
                    for p in r.projects
                ),
                numeric_from=4,
            )
        )
    else:
        parts.append("<p>Aucun projet décidé dans l'année.</p>")
    parts += [
        f"<{h}>Avances et fonds</{h}>",
        f"<p>Apports reçus dans l'année : {_e(amount(r.contributions_received))}. Défauts déclarés :"
        f" {r.defaults} ; passé en perte : {_e(amount(r.written_off))} ; récupéré :"
        f" {_e(amount(r.recovered))} (FUND-02).</p>",
        _table(
            ("Position du fonds", f"au {short_date(date(r.year, 1, 1))}", f"au {short_date(r.on)}"),
            (
                (label, amount(start), amount(end))
                for label, start, end in _fund_rows(r.fund_start, r.fund_end)
            ),
        ),
        *_charts(r),
        f"<{h}>Impayés au {_e(short_date(r.on))}</{h}>",
        _table(
            ("Ancienneté", "Avances", "Impayé", "Encours"),
            (
                (a.bucket, str(a.advances), amount(a.amount), amount(a.outstanding))
                for a in r.arrears
            ),
        ),
        '<figure class="chart">',
        arrears_chart(
            [a.bucket for a in r.arrears] or ["à jour"], [a.amount for a in r.arrears] or [ZERO]
        ),
        "</figure>",
        f"<{h}>Accompagnement</{h}>",
        f"<p>{r.missions} mission(s), {r.meetings} rendez-vous dans l'année,"
        f" {_e(french(r.figures.skills_days))} jour(s) d'apport en compétences valorisés"
        f" {_e(amount(r.figures.skills_value))} (ACC-04, ACC-06).</p>",
    ]
    if r.skills:
        parts.append(
            _table(
                ("Entreprise partenaire", "Missions", "Rendez-vous", "Jours", "Valeur"),
                (
                    (
                        s.partner_name,
                        str(s.missions),
                        str(s.meetings),
                        french(s.days),
                        amount(s.value),
                    )
                    for s in r.skills
                ),
            )
        )
    parts.append(f"<{h}>Orientations du comité de pilotage et contrôles</{h}>")
    if r.orientations is not None:
        parts.append(f"<p>{_e(_orientations_sentence(r))}</p>")
        if r.orientations.priorities:
            priorities = "".join(f"<li>{_e(p)}</li>" for p in r.orientations.priorities)
            parts.append(f"<ul>{priorities}</ul>")
    parts.append(_html_steps(r.steps))
    return parts


_STYLE: Final = """
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: #222;
  margin: 0; background: #f4f5f7; }
main { max-width: 760px; margin: 0 auto; padding: 24px 28px 40px; background: #fff; }
header { border-bottom: 3px solid #1f5f8b; margin-bottom: 16px; }
.kicker { color: #1f5f8b; font-weight: bold; letter-spacing: .04em; margin: 0; }
h1 { font-size: 26px; margin: 4px 0 6px; }
h2 { font-size: 19px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 16px; margin-top: 22px; }
.subtitle { color: #555; margin-top: 0; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 12px; font-size: 13px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 6px; text-align: left;
  vertical-align: top; }
th { background: #eef3f7; }
th.num { text-align: right; }
td.num { text-align: right; white-space: nowrap; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 12px 0; }
.card { flex: 1 1 30%; border: 1px solid #d6e2ec; border-radius: 6px; padding: 8px 10px;
  background: #f7fafc; }
.card .value { display: block; font-size: 18px; font-weight: bold; color: #1f5f8b; }
.card .label { font-size: 12px; color: #555; }
figure.chart { margin: 10px 0; }
figure.chart svg { max-width: 100%; height: auto; border: 1px solid #eee; }
ul.steps { list-style: none; padding-left: 0; font-size: 13px; }
ul.steps li { margin: 3px 0; }
li.passed .mark { color: #2e7d32; }
li.failed .mark { color: #c62828; font-weight: bold; }
li.warning .mark { color: #e07b39; font-weight: bold; }
.rule { color: #777; }
.total td { font-weight: bold; }
footer { margin-top: 32px; font-size: 11px; color: #777; border-top: 1px solid #ddd; }
@media print { body { background: #fff; } main { padding: 0; } }
"""


def _page(title: str, kicker: str, subtitle: str, body: Iterable[str], on: date | None) -> str:
    when = f", situation au {long_date(on)}" if on is not None else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="fr">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title>",
        f"<style>{_STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f'<p class="kicker">{_e(kicker)}</p>',
        f"<h1>{_e(title)}</h1>",
        f'<p class="subtitle">{_e(subtitle)}</p>',
        "</header>",
        *body,
        f"<footer><p>Établi par alize {_e(__version__)} à partir du registre du programme"
        f"{_e(when)}. Chaque contrôle cite la règle qu'il applique.</p>"
        "</footer>",
        "</main>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


# --- The call for funds. ------------------------------------------------------------------


def _call_title(call: CallForFunds) -> str:
    return f"Appel de fonds {call.year} — {call.territory_name}"


def _call_rows(call: CallForFunds) -> list[tuple[str, str, str, str]]:
    rows = [
        (line.partner_name, amount(line.committed), amount(line.received), amount(line.due))
        for line in call.lines
    ]
    rows.append(("Total", amount(call.committed), amount(call.received), amount(call.due)))
    return rows


def _call_text(call: CallForFunds) -> list[str]:
    convention = call.convention or "aucune"
    lines = [
        _call_title(call),
        f"Territoire {call.territory}, appel du {long_date(call.on)} ; convention triennale :"
        f" {convention} (CONV-01, FUND-01, PIL-04)",
        "",
        "Partenaire : engagement de l'année / déjà reçu / restant dû",
    ]
    lines += [f"- {name} : {c} / {r} / {d}" for name, c, r, d in _call_rows(call)]
    lines += ["", *_step_lines(call.steps), "", "=" * 72, "Annexe (PIL-04)"]
    lines += _activity_text(call.annex)
    return lines


def _call_html(call: CallForFunds) -> str:
    body = [
        "<h2>Contributions appelées</h2>",
        f"<p>Convention triennale en vigueur : {_e(call.convention or 'aucune')}. Chaque"
        " partenaire est appelé pour son engagement financier de l'année, déduction faite de"
        " ce qu'il a déjà versé (FUND-01, CONV-01).</p>",
        _table(
            ("Partenaire", "Engagement de l'année", "Déjà reçu", "Restant dû"), _call_rows(call)
        ),
        _html_steps(call.steps),
        f'<h2 id="annexe">Annexe : {_e(_activity_title(call.annex))} (PIL-04)</h2>',
        *_activity_html(call.annex, level=3),
    ]
    return _page(
        _call_title(call),
        f"ALIZÉ — {call.territory_name}",
        f"Appel du {long_date(call.on)} aux entreprises partenaires, rapport d'activité annexé",
        body,
        call.on,
    )


# --- Network contribution, consolidation, forecast. ---------------------------------------


def _network_text(n: NetworkContribution) -> list[str]:
    return [
        f"Contribution {n.year} à la tête de réseau — territoire {n.territory}",
        f"Formule de la convention {n.terms.convention} (« {n.terms.section} », NAT-02) :"
        f" forfait {amount(n.terms.fixed)}, {amount(n.terms.per_project)} par projet adopté,"
        f" {french(n.terms.share_of_commitments * 100)} % des avances engagées",
        *_step_lines(n.steps),
        f"Total dû : {amount(n.total)}",
    ]


def _network_rows(n: NetworkContribution) -> list[tuple[str, str]]:
    return [
        ("Somme forfaitaire", amount(n.fixed)),
        (
            f"Projets adoptés ({n.projects_adopted} × {amount(n.terms.per_project)})",
            amount(n.for_projects),
        ),
        (
            f"Part des avances engagées ({french(n.terms.share_of_commitments * 100)} % de"
            f" {amount(n.advances_committed)})",
            amount(n.for_commitments),
        ),
        ("Total dû à la tête de réseau", amount(n.total)),
    ]


def _consolidation_rows(c: NationalConsolidation) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = []
    for t in (*c.territories, None):
        f = c.totals if t is None else t.figures
        name = "Total" if t is None else t.territory_name
        rows.append(
            (
                name,
                str(f.projects_adopted),
                str(f.jobs_created),
                str(f.jobs_kept),
                amount(f.budget),
                amount(f.skills_value),
            )
        )
    return rows


_CONSOLIDATION_HEAD: Final = (
    "Territoire",
    "Projets",
    "Emplois créés",
    "Emplois maintenus",
    "Budget engagé",
    "dont compétences",
)


def _forecast_rows(f: FundForecast) -> list[tuple[str, ...]]:
    return [
        (
            str(y.year),
            amount(y.opening_cash),
            amount(y.contributions),
            amount(y.repayments_due),
            amount(y.expected_losses),
            amount(y.disbursements),
            amount(y.closing_cash),
            amount(y.closing_outstanding),
        )
        for y in f.years
    ]


_FORECAST_HEAD: Final = (
    "Année",
    "Trésorerie d'ouverture",
    "Apports attendus",
    "Échéances attendues",
    "Pertes supposées",
    "Versements d'avances engagées",
    "Trésorerie de clôture",
    "Encours de clôture",
)


def _portfolio_title(p: PortfolioReport) -> str:
    return f"Portefeuille d'avances — territoire {p.territory_name}, au {long_date(p.on)}"


def _portfolio_rows(p: PortfolioReport) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [
        (
            line.project,
            line.sme,
            AdvanceStatus(line.status).french,
            amount(line.outstanding),
            amount(line.arrears),
            str(line.days_past_due),
        )
        for line in p.lines
    ]
    return rows


_PORTFOLIO_HEAD: Final = ("Projet", "PME", "Situation", "Encours", "Impayés", "Jours de retard")


# --- Public entry points. -----------------------------------------------------------------


def _refuse(report: object) -> InvalidValue:
    return InvalidValue("report", report, "is not a report alize can write")


def to_text(report: Report) -> str:
    """
    A report as plain French text.

    Raises:
        InvalidValue: The value is not a report.

    .. versionadded:: 0.1.0
    """
    if isinstance(report, ActivityReport):
        lines = _activity_text(report)
    elif isinstance(report, CallForFunds):
        lines = _call_text(report)
    elif isinstance(report, NetworkContribution):
        lines = _network_text(report)
    elif isinstance(report, NationalConsolidation):
        lines = [f"Consolidation nationale {report.period} (NAT-03)"]
        lines += [
            " ; ".join(f"{h} : {v}" for h, v in zip(_CONSOLIDATION_HEAD, row, strict=True))
            for row in _consolidation_rows(report)
        ]
        lines += _step_lines(report.steps)
    elif isinstance(report, FundForecast):
        lines = [
            f"Prévision du fonds — territoire {report.territory}, à partir du {long_date(report.on)}",
            *(
                " ; ".join(f"{h} : {v}" for h, v in zip(_FORECAST_HEAD, row, strict=True))
                for row in _forecast_rows(report)
            ),
            *_step_lines(report.steps),
        ]
    elif isinstance(report, PortfolioReport):
        lines = [
            _portfolio_title(report),
            *(
                " ; ".join(f"{h} : {v}" for h, v in zip(_PORTFOLIO_HEAD, row, strict=True))
                for row in _portfolio_rows(report)
            ),
            f"Total : {len(report.lines)} avance(s) ; encours {amount(report.outstanding)} ;"
            f" impayés {amount(report.arrears)}",
        ]
    else:
        raise _refuse(report)
    return "\n".join(lines) + "\n"


def to_html(report: Report) -> str:
    """
    A report as a standalone French HTML page, charts included as inline SVG.

    Raises:
        InvalidValue: The value is not a report.

    .. versionadded:: 0.1.0
    """
    if isinstance(report, ActivityReport):
        return _page(
            _activity_title(report),
            f"ALIZÉ — {report.territory_name}",
            f"Comité d'agrément, situation au {long_date(report.on)} — présenté au comité de"
            " pilotage par son président et l'opérateur local (GOV-09, PIL-03)",
            _activity_html(report),
            report.on,
        )
    if isinstance(report, CallForFunds):
        return _call_html(report)
    if isinstance(report, NetworkContribution):
        return _page(
            f"Contribution {report.year} à la tête de réseau",
            f"ALIZÉ — territoire {report.territory}",
            f"Formule de la convention {report.terms.convention}, « {report.terms.section} »"
            " (NAT-02)",
            [_table(("Terme", "Montant"), _network_rows(report)), _html_steps(report.steps)],
            date(report.year, 12, 31),
        )
    if isinstance(report, NationalConsolidation):
        return _page(
            f"Consolidation nationale {report.period}",
            "ALIZÉ — tête de réseau",
            "Résultats des territoires : projets, emplois, budget engagé et apport en"
            " compétences (NAT-03)",
            [_table(_CONSOLIDATION_HEAD, _consolidation_rows(report)), _html_steps(report.steps)],
            None,
        )
    if isinstance(report, FundForecast):
        return _page(
            f"Prévision du fonds d'avances — territoire {report.territory}",
            "ALIZÉ — fonds d'avances remboursables",
            f"À partir de la situation au {long_date(report.on)} (FUND-02)",
            [_table(_FORECAST_HEAD, _forecast_rows(report)), _html_steps(report.steps)],
            report.on,
        )
    if isinstance(report, PortfolioReport):
        return _page(
            _portfolio_title(report),
            "ALIZÉ — fonds d'avances remboursables",
            "Chaque avance, son encours et ses impayés ; une avance en défaut doit tout son"
            " encours (SCH-06)",
            [
                _table(
                    _PORTFOLIO_HEAD,
                    [
                        *_portfolio_rows(report),
                        ("Total", "", "", amount(report.outstanding), amount(report.arrears), ""),
                    ],
                    numeric_from=3,
                )
            ],
            report.on,
        )
    raise _refuse(report)


def _csv_line(fields: Iterable[str]) -> str:
    out = []
    for field in fields:
        text = str(field)
        if any(c in text for c in ';"\n\r'):
            text = '"' + text.replace('"', '""') + '"'
        out.append(text)
    return ";".join(out)


def _csv_rows(report: Report) -> list[tuple[str, ...]]:
    n = csv_number
    if isinstance(report, CallForFunds):
        rows: list[tuple[str, ...]] = [("partenaire", "nom", "engagement", "recu", "restant_du")]
        rows += [
            (line.partner, line.partner_name, n(line.committed), n(line.received), n(line.due))
            for line in report.lines
        ]
        rows.append(("TOTAL", "", n(report.committed), n(report.received), n(report.due)))
        return rows
    if isinstance(report, ActivityReport):
        f, p = report.figures, report.previous
        rows = [("rubrique", "indicateur", str(report.year), str(report.year - 1))]
        rows += [
            ("chiffres clés", label, n(getattr(f, name)), n(getattr(p, name)))
            for label, name, _ in _FIGURES
        ]
        for label, start, end in _fund_rows(report.fund_start, report.fund_end):
            rows.append(("fonds", label, n(end), n(start)))
        for m in report.months:
            rows.append(("mois", f"{m.month:02d} engagé", n(m.committed), ""))
            rows.append(("mois", f"{m.month:02d} remboursé", n(m.repaid), ""))
            rows.append(("mois", f"{m.month:02d} trésorerie", n(m.cash), ""))
        for a in report.arrears:
            rows.append(("impayés", a.bucket, n(a.amount), str(a.advances)))
        return rows
    if isinstance(report, NetworkContribution):
        return [
            ("terme", "montant"),
            ("forfait", n(report.fixed)),
            ("projets", n(report.for_projects)),
            ("part_des_engagements", n(report.for_commitments)),
            ("total", n(report.total)),
        ]
    if isinstance(report, NationalConsolidation):
        rows = [
            (
                "territoire",
                "nom",
                "projets",
                "emplois_crees",
                "emplois_maintenus",
                "budget",
                "competences",
            )
        ]
        for t in report.territories:
            f = t.figures
            rows.append(
                (
                    t.territory,
                    t.territory_name,
                    n(f.projects_adopted),
                    n(f.jobs_created),
                    n(f.jobs_kept),
                    n(f.budget),
                    n(f.skills_value),
                )
            )
        f = report.totals
        rows.append(
            (
                "TOTAL",
                "",
                n(f.projects_adopted),
                n(f.jobs_created),
                n(f.jobs_kept),
                n(f.budget),
                n(f.skills_value),
            )
        )
        return rows
    if isinstance(report, FundForecast):
        rows = [
            (
                "annee",
                "tresorerie_ouverture",
                "apports",
                "echeances",
                "pertes",
                "versements",
                "tresorerie_cloture",
                "encours_cloture",
            )
        ]
        rows += [
            (
                str(y.year),
                n(y.opening_cash),
                n(y.contributions),
                n(y.repayments_due),
                n(y.expected_losses),
                n(y.disbursements),
                n(y.closing_cash),
                n(y.closing_outstanding),
            )
            for y in report.years
        ]
        return rows
    if isinstance(report, PortfolioReport):
        rows = [("projet", "pme", "situation", "encours", "impayes", "jours_de_retard", "tranche")]
        rows += [
            (
                line.project,
                line.sme,
                AdvanceStatus(line.status).french,
                n(line.outstanding),
                n(line.arrears),
                str(line.days_past_due),
                ArrearsBucket(line.bucket).french,
            )
            for line in report.lines
        ]
        rows.append(("TOTAL", "", "", n(report.outstanding), n(report.arrears), "", ""))
        return rows
    raise _refuse(report)


def to_csv(report: Report) -> str:
    """
    A report as a CSV table for French Excel: ``;`` separators, decimal comma, CRLF lines.

    The text has no byte order mark: write it with the ``utf-8-sig`` encoding.

    Raises:
        InvalidValue: The value is not a report.

    .. versionadded:: 0.1.0
    """
    return "".join(_csv_line(row) + "\r\n" for row in _csv_rows(report))
