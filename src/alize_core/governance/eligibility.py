"""
Eligibility (*éligibilité*) of an SME's project, checked when the operator validates its file.

Four rules, every one of them checked and reported, so a refusal says *why not*:

- ELIG-01: an SME in the European sense: fewer than 250 staff, and a turnover of at most
  50 M€ or a balance sheet of at most 43 M€ (settings fixed nationally);
- ELIG-02: past its creation phase (3 years old), or with an adaptation project;
- ELIG-03: located inside the territory's perimeter;
- ELIG-04: the project states the jobs it supports, created and kept.

The committee's own judgement (market, quality of the project holder, GOV-10) is not an
eligibility rule: no ratio rejects a project here.

>>> from decimal import Decimal
>>> from alize_core.parties.model import Project, Sme, Territory
>>> from alize_core.kernel.settings import Settings
>>> meuse = Territory("T1", "Meuse", departements=["55"])
>>> sme = Sme(siren="555034560", name="Menuiserie Argonne", creation_date=date(2024, 1, 8),
...           staff=6, turnover=Decimal("380000"), balance_sheet=Decimal("150000"),
...           commune="55502")
>>> project = Project("P3", "555034560", "Extension de l'atelier", jobs_created=2, jobs_kept=4)
>>> decision = check_eligibility(sme, project, meuse, on=date(2026, 3, 1),
...                              settings=Settings.national())
>>> decision.outcome.value, [step.rule for step in decision.failed]
('refused', ['ELIG-02'])
>>> print(decision.failed[0].message)
créée le 08/01/2024, l'entreprise a 2 an(s) : encore en phase de création (il faut 3 ans, ou un projet d'adaptation)
>>> import attrs
>>> check_eligibility(sme, attrs.evolve(project, adaptation=True), meuse,
...                   on=date(2026, 3, 1), settings=Settings.national()).outcome.value
'accepted'
>>> check_eligibility(sme, attrs.evolve(project, sme="555045673"), meuse,
...                   on=date(2026, 3, 1), settings=Settings.national())
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: project.sme: '555045673' is not the SME checked (555034560)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from dateutil.relativedelta import relativedelta

from alize_core.kernel.decisions import Decision, Outcome, Step, make_step
from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.settings import (
    SME_MAX_BALANCE_SHEET,
    SME_MAX_STAFF,
    SME_MAX_TURNOVER,
    SME_MIN_AGE_YEARS,
    Settings,
)
from alize_core.kernel.validation import check_date
from alize_core.parties.model import Project, Sme, Territory


__all__ = ["MESSAGES", "check_eligibility"]

MESSAGES: Final[Mapping[str, str]] = {
    "sme.staff_within": "effectif de {staff} personne(s), sous le plafond de {maximum}",
    "sme.staff_above": (
        "effectif de {staff} personne(s), au-delà du plafond de {maximum} : ce n'est pas une PME"
    ),
    "sme.finance_within": (
        "chiffre d'affaires {turnover} € (plafond {max_turnover} €) ou total de bilan"
        " {balance_sheet} € (plafond {max_balance_sheet} €) : dans les seuils"
    ),
    "sme.finance_above": (
        "chiffre d'affaires {turnover} € au-delà de {max_turnover} € et total de bilan"
        " {balance_sheet} € au-delà de {max_balance_sheet} € : ce n'est pas une PME"
    ),
    "sme.developing": ("créée le {created}, l'entreprise a {age} an(s) : phase de développement"),
    "sme.adaptation": (
        "créée le {created}, l'entreprise a {age} an(s) et présente un projet d'adaptation"
    ),
    "sme.too_young": (
        "créée le {created}, l'entreprise a {age} an(s) : encore en phase de création"
        " (il faut {minimum} ans, ou un projet d'adaptation)"
    ),
    "sme.inside": "implantée à {commune}, dans le périmètre du territoire {territory}",
    "sme.outside": "implantée à {commune}, hors du périmètre du territoire {territory}",
    "project.jobs_stated": "le projet soutient {created} emploi(s) créé(s) et {kept} maintenu(s)",
    "project.no_jobs": "le projet n'indique aucun emploi créé ni maintenu",
}
"""The French messages of the eligibility steps, by stable code."""


def _size_steps(sme: Sme, *, on: date, territory: str, settings: Settings) -> list[Step]:
    max_staff, staff = settings.lookup(SME_MAX_STAFF, on=on, territory=territory)
    max_turnover, turnover = settings.lookup(SME_MAX_TURNOVER, on=on, territory=territory)
    max_balance, balance = settings.lookup(SME_MAX_BALANCE_SHEET, on=on, territory=territory)
    staff_ok = sme.staff <= max_staff
    finance_ok = sme.turnover <= max_turnover or sme.balance_sheet <= max_balance
    return [
        make_step(
            MESSAGES,
            "ELIG-01",
            staff_ok,
            "sme.staff_within" if staff_ok else "sme.staff_above",
            settings_used=(staff,),
            staff=sme.staff,
            maximum=max_staff,
        ),
        make_step(
            MESSAGES,
            "ELIG-01",
            finance_ok,
            "sme.finance_within" if finance_ok else "sme.finance_above",
            settings_used=(turnover, balance),
            turnover=sme.turnover,
            max_turnover=max_turnover,
            balance_sheet=sme.balance_sheet,
            max_balance_sheet=max_balance,
        ),
    ]


def _age_step(sme: Sme, project: Project, *, on: date, territory: str, settings: Settings) -> Step:
    minimum, version = settings.lookup(SME_MIN_AGE_YEARS, on=on, territory=territory)
    if sme.creation_date > on:
        msg = f"is after the date of the check ({on.isoformat()})"
        raise InvalidValue("sme.creation_date", sme.creation_date, msg)
    age = relativedelta(on, sme.creation_date).years
    if age >= minimum:
        code = "sme.developing"
    elif project.adaptation:
        code = "sme.adaptation"
    else:
        code = "sme.too_young"
    return make_step(
        MESSAGES,
        "ELIG-02",
        code != "sme.too_young",
        code,
        settings_used=(version,),
        created=sme.creation_date,
        age=age,
        minimum=minimum,
    )


def check_eligibility(
    sme: Sme,
    project: Project,
    territory: Territory,
    *,
    on: date,
    settings: Settings,
) -> Decision:
    """
    Whether a project is eligible (ELIG-01…04): every check, the failed ones included.

    Args:
        sme: The SME bringing the project.
        project: Its project.
        territory: The territory whose perimeter it must be in.
        on: The date of the check (the SME's age is counted to it).
        settings: The settings in force (SME thresholds, minimum age).

    Returns:
        A decision *accepted* when every step passed, *refused* otherwise.

    Raises:
        InvalidValue: The project is not the SME's, or the SME was created after ``on``.

    .. versionadded:: 0.1.0
    """
    check_date(on, field="on")
    if project.sme != sme.siren:
        raise InvalidValue("project.sme", project.sme, f"is not the SME checked ({sme.siren})")
    steps = [
        *_size_steps(sme, on=on, territory=territory.id, settings=settings),
        _age_step(sme, project, on=on, territory=territory.id, settings=settings),
    ]
    inside = territory.contains(sme.commune)
    steps.append(
        make_step(
            MESSAGES,
            "ELIG-03",
            inside,
            "sme.inside" if inside else "sme.outside",
            commune=sme.commune,
            territory=territory.name,
        )
    )
    jobs = project.jobs_created + project.jobs_kept > 0
    steps.append(
        make_step(
            MESSAGES,
            "ELIG-04",
            jobs,
            "project.jobs_stated" if jobs else "project.no_jobs",
            created=project.jobs_created,
            kept=project.jobs_kept,
        )
    )
    outcome = Outcome.ACCEPTED if all(step.passed for step in steps) else Outcome.REFUSED
    subject = f"Éligibilité du projet {project.id} ({sme.name})"
    return Decision(outcome, on, territory.id, subject, tuple(steps))
