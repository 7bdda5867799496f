"""
Commands (*commandes*): what an actor may do to a territory's programme, checked against the
register and the rules, and recorded as events of the journal (:mod:`alize_core.journal`).

An :class:`~alize_core.journal.chain.Event` has an id (its place in the journal, from 1),
the date it takes effect, the actor who did it, the rule ids it relied on and a payload
(what happened), plus the digest of the event before it and its own digest:
``sha256(previous digest + body)``. Changing, removing, inserting or reordering any event
breaks the chain, and :func:`~alize_core.journal.chain.verify` names the event concerned.

*Commands* (:func:`validate_file`, :func:`close_session`, :func:`disburse_advance`…)
read the current :class:`~alize_core.register.views.Register`, check who is acting and what the
rules say, and return a :class:`CommandResult`: the new events, or a refusal
:class:`~alize_core.kernel.decisions.Decision` naming the rule; a refused command returns no
event. Every command names its actor: only the operator validates a file (OP-03) and
records a session, only company representatives present vote (GOV-02), only the steering
committee's State chair signs off its review (PIL-01). Events refer to people by id;
their names, e-mails and phones never enter the journal.

Events are kept in date order: a command dated before the register's last event is refused.

>>> from datetime import date
>>> from alize_core.journal.chain import verify
>>> from alize_core.parties import LocalOperator, PublicBody, PublicBodyKind, Territory
>>> from alize_core.register.views import Register
>>> register = Register.empty()
>>> result = propose_territory(
...     register, Territory("MEUSE", "Vallée de la Meuse", departements=["55"]),
...     LocalOperator("CCI55", "CCI Meuse"),
...     PublicBody("PREF55", "Préfecture de la Meuse", PublicBodyKind.PREFECTURE),
...     national_committee="CN", state_chair="PREFET", on=date(2025, 11, 3), actor="OP1")
>>> result.accepted, [e.kind.value for e in result.events]
(True, ['territory_proposed'])
>>> register = register.apply(result.events)
>>> refused = validate_territory(register, on=date(2025, 12, 1), actor="OP1")
>>> print(refused.decision.explain())
Validation du territoire MEUSE : refusé.
  ✗ OP1 n'agit pas au nom du comité national : seul le comité national valide un territoire (NAT-01)
>>> validated = validate_territory(register, on=date(2025, 12, 1), actor="CN")
>>> register = register.apply(validated.events)
>>> register.territory.status.value, register.version
('validated', 2)
>>> events = [*result.events, *validated.events]
>>> verify(events).ok
True
>>> import attrs
>>> events[0] = attrs.evolve(events[0], actor="INTRUS")
>>> print(verify(events).problems[0])
event 1 (territory_proposed, 2025-11-03) was altered: its content no longer matches its digest

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from .accompaniment import close_project, grant_mission, log_meeting, log_time
from .advances import (
    declare_default,
    disburse_advance,
    loan_account,
    receive_recovery,
    receive_repayment,
    record_statement,
    reschedule_advance,
    write_off,
)
from .base import CommandResult
from .catalogue import (
    COMMANDS,
    ENVELOPE,
    CommandRequest,
    CommandSpec,
    Parameter,
    command_named,
    read_request,
)
from .committee import (
    cast_vote,
    close_session,
    committee_session,
    convene_session,
    open_session,
    sign_agreement,
    validate_file,
)
from .fund import call_contribution, pay_fee, receive_contribution
from .settings import RULES_SECTION, adopt_settings
from .steering import sign_off_review
from .store import commit, run
from .territory import (
    admit_partner,
    enrol_person,
    identify_project,
    propose_territory,
    register_sme,
    sign_convention,
    update_person,
    validate_territory,
)


__all__ = [
    "COMMANDS",
    "ENVELOPE",
    "RULES_SECTION",
    "CommandRequest",
    "CommandResult",
    "CommandSpec",
    "Parameter",
    "admit_partner",
    "adopt_settings",
    "call_contribution",
    "cast_vote",
    "close_project",
    "close_session",
    "command_named",
    "commit",
    "committee_session",
    "convene_session",
    "declare_default",
    "disburse_advance",
    "enrol_person",
    "grant_mission",
    "identify_project",
    "loan_account",
    "log_meeting",
    "log_time",
    "open_session",
    "pay_fee",
    "propose_territory",
    "read_request",
    "receive_contribution",
    "receive_recovery",
    "receive_repayment",
    "record_statement",
    "register_sme",
    "reschedule_advance",
    "run",
    "sign_agreement",
    "sign_convention",
    "sign_off_review",
    "update_person",
    "validate_file",
    "validate_territory",
    "write_off",
]
