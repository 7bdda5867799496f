"""
Commands of a territory's settings (*règlement intérieur*): the values it adopts for the settings the charter leaves open, recorded in the journal so the register knows what was in force on any date.

The local operator adopts them (OP-02: it runs the programme's administration); each
value is in force from the day it is adopted until the territory adopts another value of
that setting. A setting the charter fixes is refused, and so is a second value of one
setting on the same day; a refused adoption records nothing. Commands read the settings
in force on their own date from the register; none takes a settings argument.

>>> from datetime import date
>>> from alize_core.commands import propose_territory
>>> from alize_core.kernel.settings import PRESIDENT_IN_ACTIVITY, QUORUM
>>> from alize_core.parties import LocalOperator, PublicBody, PublicBodyKind, Territory
>>> from alize_core.register.views import Register
>>> proposed = propose_territory(
...     Register.empty(), Territory("MEUSE", "Vallée de la Meuse", departements=["55"]),
...     LocalOperator("CCI55", "CCI Meuse"),
...     PublicBody("PREF55", "Préfecture de la Meuse", PublicBodyKind.PREFECTURE),
...     national_committee="CN", state_chair="PREFET", on=date(2025, 11, 3), actor="OP1")
>>> register = Register.empty().apply(proposed.events)
>>> adopted = adopt_settings(register, {QUORUM: 3}, section="Article 3 - Quorum",
...                          on=date(2026, 1, 1), actor="OP1")
>>> print(adopted.decision.explain())
Paramètres du territoire MEUSE : accepté.
  ✓ OP1 agit en qualité de membre de l'opérateur local (OP-02)
  ✓ quorum : 3 à partir du 01/01/2026 (« Article 3 - Quorum ») (GOV-04)
>>> register = register.apply(adopted.events)
>>> register.settings.value(QUORUM, on=date(2026, 1, 1), territory="MEUSE")
3
>>> register.settings.value(QUORUM, on=date(2025, 12, 31), territory="MEUSE")
1
>>> refused = adopt_settings(register, {PRESIDENT_IN_ACTIVITY: False}, on=date(2026, 2, 1),
...                          actor="OP1")
>>> print(refused.decision.explain())
Paramètres du territoire MEUSE : refusé.
  ✓ OP1 agit en qualité de membre de l'opérateur local (OP-02)
  ✗ president_in_activity est fixé par la charte (GOV-05) : un territoire ne peut pas le changer (GOV-05)
>>> refused.events
()

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Final

from alize_core.commands.base import Command, CommandResult, territory_id
from alize_core.journal.events import SettingsAdopted
from alize_core.kernel.decisions import Step, make_step
from alize_core.kernel.errors import MissingValue
from alize_core.kernel.rules import Citation
from alize_core.kernel.settings import Setting, SettingValue, SettingVersion
from alize_core.kernel.validation import check_text
from alize_core.register.views import Register


__all__ = ["RULES_SECTION", "adopt_settings"]

RULES_SECTION: Final = "règlement intérieur"
"""The section cited when an adoption names no article of the territory's rules."""

MESSAGES: Final[Mapping[str, str]] = {
    "setting.adopted": "{setting} : {value} à partir du {start} ({source})",
    "setting.fixed": (
        "{setting} est fixé par la charte ({rule}) : un territoire ne peut pas le changer"
    ),
    "setting.same_day": (
        "{setting} a déjà une valeur adoptée le {start} : une seule valeur d'un paramètre par jour"
    ),
}
"""The French messages of the settings' steps, by stable code."""


def _step(setting: Setting[SettingValue], version: SettingVersion, register: Register) -> Step:
    """Whether the territory may adopt this value on its start date."""
    if not setting.territorial:
        return make_step(
            MESSAGES, setting.rule, False, "setting.fixed", setting=setting.name, rule=setting.rule
        )
    in_force = register.settings.resolve(
        setting, on=version.start, territory=str(version.territory)
    )
    if in_force.territory is not None and in_force.start == version.start:
        return make_step(
            MESSAGES,
            setting.rule,
            False,
            "setting.same_day",
            setting=setting.name,
            start=version.start,
        )
    source = (
        f"« {version.citation.section} »"
        if version.citation.section != RULES_SECTION
        else "règlement intérieur"
    )
    return make_step(
        MESSAGES,
        setting.rule,
        True,
        "setting.adopted",
        settings_used=(version,),
        setting=setting.name,
        value=version.value,
        start=version.start,
        source=source,
    )


def adopt_settings(
    register: Register,
    values: Mapping[Setting[SettingValue], object],
    *,
    section: str = RULES_SECTION,
    on: date,
    actor: str,
) -> CommandResult:
    """
    The local operator records the territory's own values of settings (its *règlement
    intérieur*), in force from ``on`` until another value of the same setting is adopted.

    Each value is read as its setting says (``"1/2"`` for a quorum, ``"down"`` for the
    rounding). Refused, with nothing recorded: an actor who is not the operator's staff, a
    setting the charter fixes (GOV-05, ELIG-01, ELIG-02), a setting already given a value
    that same day.

    Args:
        register: The territory's register.
        values: The settings and their values, e.g. ``{QUORUM: 3, VOTE_PER: "company"}``.
        section: The article of the territory's rules that sets them.
        on: The day they are adopted, and from which they are in force.
        actor: Who records them (the operator's staff).

    Raises:
        MissingValue: No value to adopt.
        InvalidValue: A value does not fit its setting (the error names it).
        CommandRefused: The register has no territory yet.

    .. versionadded:: 0.1.0
    """
    command = Command.start(register, on, actor)
    territory = territory_id(register)
    check_text(section, field="section")
    pairs = tuple(values.items())
    if not pairs:
        raise MissingValue("values", None)
    citation = Citation(f"reglement-interieur:{territory}", section)
    versions = tuple(
        SettingVersion(setting.name, setting.parse(raw), on, None, territory, citation)
        for setting, raw in pairs
    )
    steps = [
        command.by_operator("OP-02", "adopter les paramètres du territoire"),
        *(
            _step(setting, version, register)
            for (setting, _), version in zip(pairs, versions, strict=True)
        ),
    ]
    payload = SettingsAdopted(versions)
    rules = tuple(dict.fromkeys(("OP-02", *(setting.rule for setting, _ in pairs))))
    return command.conclude(f"Paramètres du territoire {territory}", steps, rules, payload)
