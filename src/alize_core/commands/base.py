"""
What every command shares (*socle des commandes*): the French messages of refusals, :class:`CommandResult` and the base that checks the actor, the date and the territory before a command decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Final, TypeVar

import attrs

from alize_core.journal.chain import Event, seal
from alize_core.journal.events import EventPayload
from alize_core.kernel.decisions import Decision, Outcome, Step, make_step
from alize_core.kernel.errors import CommandRefused
from alize_core.kernel.settings import Setting, SettingValue, SettingVersion
from alize_core.kernel.validation import check_date, check_id
from alize_core.parties.model import PersonRole
from alize_core.programme.conventions import convention_step, validation_step
from alize_core.register.views import Register


__all__ = ["MESSAGES", "CommandResult"]

V = TypeVar("V", bound=SettingValue)


# --- Commands. ---

MESSAGES: Final[Mapping[str, str]] = {
    "role.acts_as": "{actor} agit en qualité de {role}",
    "role.not_operator": (
        "{actor} n'est pas membre de l'opérateur local : seul l'opérateur peut {action}"
    ),
    "role.not_national": (
        "{actor} n'agit pas au nom du comité national : seul le comité national valide un"
        " territoire"
    ),
    "role.voter": "{actor}, représentant d'entreprise partenaire présent, vote",
    "role.not_voter": (
        "{actor} n'est pas un représentant d'entreprise partenaire présent à la séance : seuls"
        " ceux-là votent"
    ),
    "role.not_state_chair": (
        "{actor} n'est pas le représentant de l'État qui préside le comité local de pilotage :"
        " seul lui valide sa revue"
    ),
    "role.not_member": (
        "{actor} n'est ni représentant ni intervenant d'une entreprise partenaire : seuls les"
        " membres déclarent leur temps"
    ),
    "role.not_mission_member": (
        "{actor} n'est ni l'intervenant de la mission {mission} ni l'opérateur local"
    ),
    "territory.proposed": "territoire {territory} proposé au comité national",
    "person.of_partner": "{person} appartient à l'entreprise partenaire {organisation}",
    "person.not_of_partner": (
        "{organisation} n'est pas une entreprise partenaire du programme : {person} ne peut pas"
        " y être {role}"
    ),
    "person.in_organisation": "{person} appartient à {organisation}",
    "person.wrong_organisation": (
        "{person} ne peut être {role} que de {expected}, pas de {organisation}"
    ),
    "convention.parties_known": "toutes les parties de la convention {convention} sont partenaires",
    "convention.party_unknown": (
        "{partner} n'est pas une entreprise partenaire : elle ne peut pas s'engager dans la"
        " convention {convention}"
    ),
    "file.validated_before_agenda": "dossier {project} validé par l'opérateur le {validated_on}",
    "file.not_validated": (
        "le dossier {project} n'a pas été validé par l'opérateur : il ne peut pas être inscrit à"
        " l'ordre du jour"
    ),
    "loan.lender_can_lend": (
        "prêt bonifié de {amount} € accordé par {lender}, sur ses propres moyens et non sur le"
        " fonds"
    ),
    "loan.lender_cannot_lend": (
        "{lender} n'a pas les moyens d'accorder un prêt bonifié : il n'en existe que là où un"
        " partenaire en a"
    ),
    "session.decided": "séance {session} du {session_date} : {adopted} projet(s) adopté(s) sur {items}",
    "agreement.after_approval": "projet {project} adopté par le comité d'agrément le {decided_on}",
    "agreement.not_adopted": (
        "le projet {project} n'a pas été adopté par le comité d'agrément : aucune convention de"
        " coopération ne peut être signée"
    ),
    "advance.within_commitment": "versement de {amount} € dans la limite de l'engagement ({committed} €)",
    "advance.beyond_commitment": (
        "le versement de {amount} € dépasse l'engagement du comité ({committed} €)"
    ),
    "cash.sufficient": "trésorerie du fonds suffisante : {cash} € pour {amount} €",
    "cash.insufficient": (
        "la trésorerie du fonds ({cash} €) ne couvre pas {amount} € : le fonds ne peut pas payer"
        " ce qu'il ne détient pas"
    ),
    "rounding.in_force": "échéances arrondies au centime selon la règle « {rounding} »",
    "reschedule.disbursed": (
        "avance versée le {disbursed_on}, encours de {outstanding} € réparti sur {instalments}"
        " échéance(s)"
    ),
    "reschedule.not_disbursed": (
        "l'avance est {status} : seule une avance versée en cours de remboursement peut être"
        " réaménagée"
    ),
    "repayment.within_outstanding": "remboursement de {amount} € sur un encours de {outstanding} €",
    "repayment.beyond_outstanding": (
        "remboursement de {amount} € au-delà de l'encours de {outstanding} € : rien n'est perçu"
        " au-delà de ce qui est dû"
    ),
    "statement.balances": "le relevé se termine sur {closing} €, comme le registre",
    "statement.differs": (
        "le relevé se termine sur {closing} € mais le registre calcule {computed} € : écart de"
        " {gap} € à expliquer"
    ),
    "write_off.in_default": "avance en défaut depuis le {defaulted_on}",
    "write_off.not_in_default": (
        "l'avance n'est pas en défaut : elle ne peut pas être passée en perte"
    ),
    "recovery.within_loss": "récupération de {amount} € sur une perte restante de {remaining} €",
    "recovery.beyond_loss": (
        "récupération de {amount} € au-delà de la perte restante de {remaining} €"
    ),
    "mission.committee_granted": "le comité d'agrément a accordé {granted} jour(s) par an au projet {project}",
    "mission.not_granted": (
        "le comité d'agrément n'a accordé aucun apport en compétences au projet {project}"
    ),
    "review.previous_year": "revue de l'année {year}, présentée en {on_year}",
    "review.not_past": "l'année {year} n'est pas achevée : sa revue ne peut pas être validée",
}
"""The French messages of the commands' steps, by stable code."""


@attrs.frozen
class CommandResult:
    """
    What a command gives back: the decision that explains it and, when accepted, its events.

    Attributes:
        decision: *accepted* with the checks made (warnings included), or *refused* with
            the failed step naming the rule.
        events: The new events, numbered and chained after the register's last one; none
            when refused.

    .. versionadded:: 0.1.0
    """

    decision: Decision
    events: tuple[Event, ...] = ()

    @property
    def accepted(self) -> bool:
        """Whether the command was accepted."""
        return self.decision.outcome is Outcome.ACCEPTED


def territory_id(register: Register) -> str:
    record = register.territory
    if record is None:
        raise CommandRefused(
            "territory", None, "the register has no territory yet: propose one first"
        )
    return record.territory.id


@attrs.frozen
class Command:
    """A command under way: the register it reads, the date it takes effect, who gives it."""

    register: Register
    on: date
    actor: str

    @classmethod
    def start(cls, register: Register, on: date, actor: str) -> Command:
        """Refuse a date before the register's last event: events are kept in date order."""
        check_date(on, field="on")
        if register.as_of is not None and on < register.as_of:
            msg = (
                f"is before the register's last event ({register.as_of.isoformat()}); events"
                " are recorded in date order"
            )
            raise CommandRefused("on", on, f"{msg}")
        return cls(register, on, actor)

    def by_operator(self, rule_id: str, action: str) -> Step:
        """Whether the actor is the operator's staff, the only one who may do ``action``."""
        actor = self.actor
        check_id(actor, field="actor")
        person = self.register.get_person(actor)
        if person is None or person.role is not PersonRole.OPERATOR_STAFF:
            return make_step(
                MESSAGES, rule_id, False, "role.not_operator", actor=actor, action=action
            )
        role = PersonRole.OPERATOR_STAFF.french
        return make_step(MESSAGES, rule_id, True, "role.acts_as", actor=actor, role=role)

    def setting(self, setting: Setting[V]) -> tuple[V, SettingVersion]:
        """The value of a setting in force for the territory on the command's date, and its version."""
        territory = territory_id(self.register)
        return self.register.settings.lookup(setting, on=self.on, territory=territory)

    def active(self) -> list[Step]:
        """NAT-01 (the territory was validated) and CONV-01 (a convention is in force, or a flag)."""
        record = self.register.territory
        validated = record.validated_on if record is not None else None
        return [validation_step(validated), convention_step(self.register.conventions, on=self.on)]

    def conclude(
        self,
        subject: str,
        steps: Sequence[Step],
        rules: Sequence[str],
        payload: EventPayload,
        *,
        territory: str | None = None,
        accept: bool | None = None,
    ) -> CommandResult:
        """The decision, and the command's one event when every step passed (or ``accept``)."""
        register, on = self.register, self.on
        where = territory or territory_id(register)
        if all(step.passed for step in steps) if accept is None else accept:
            decision = Decision(Outcome.ACCEPTED, on, where, subject, tuple(steps))
            return CommandResult(decision, seal(register, self.actor, on, [(rules, payload)]))
        return CommandResult(Decision(Outcome.REFUSED, on, where, subject, tuple(steps)))


R = TypeVar("R")

_UNKNOWN: Final[Mapping[str, tuple[str, str]]] = {
    "project": ("project", "is not a project of the register"),
    "session": ("session", "is not a session of the register"),
    "advance": ("project", "has no repayable advance in the register"),
    "mission": ("mission", "is not a mission of the register"),
}
"""How a command refuses a record the register does not hold: the field and the reason."""


def known(record: R | None, kind: str, key: str) -> R:
    """
    The record a command names, from the register's ``get_x(key)``: a command naming a
    record the register does not hold is refused (:class:`CommandRefused`), as it always
    was, where the register's own ``x(key)`` raises :class:`UnknownRecord`.
    """
    if record is None:
        field, reason = _UNKNOWN[kind]
        raise CommandRefused(field, key, reason)
    return record


def check_unique(value: object, existing: Mapping[str, object] | Iterable[str], field: str) -> None:
    if value in existing:
        raise CommandRefused(field, value, "is already in the register")
