# Kept whole, at about 720 lines: one handler per kind of event and the binding that refuses,
# at import, a kind without one; reading them together is how one checks that every kind
# folds. The state they fold into is in register.state.
"""
The fold (*agrégation du journal*): the register's state as plain lists and dicts, and one handler per kind of event that adds an event to it.

While folding, the state flags activity dated outside every convention in force (CONV-01) and records problems: a reference to something unknown, or a fund that stops balancing (FUND-05) — which commands never produce, but a journal written by other means may hold.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Final

import attrs
from dateutil.relativedelta import relativedelta

from alize_core.journal.codec import (
    Payload,
    StoredEvent,
    read_actor,
    read_payload,
    split_body,
)
from alize_core.journal.kinds import EventKind
from alize_core.kernel.decisions import Outcome
from alize_core.kernel.errors import IntegrityError, shown
from alize_core.kernel.money import Rounding, from_cents
from alize_core.kernel.settings import setting_named
from alize_core.lending.life import recovery_excess
from alize_core.parties.model import PersonRole
from alize_core.programme.conventions import CONVENTION_YEARS, TerritoryStatus
from alize_core.register.records import AdvanceStatus, ProjectStatus
from alize_core.register.state import (
    A_COMMITTED,
    A_DEFAULTED_ON,
    A_DISBURSED,
    A_DISBURSED_ON,
    A_PAYMENTS,
    A_RECOVERED,
    A_RECOVERIES,
    A_REPAID,
    A_STATUS,
    A_TERMS,
    A_WRITTEN_OFF,
    A_WRITTEN_OFF_ON,
    F_CALLED,
    F_CASH,
    F_COMMITTED,
    F_DISBURSED,
    F_FEES,
    F_OUTSTANDING,
    F_RECEIVED,
    F_RECOVERED,
    F_REPAID,
    F_WRITTEN_OFF,
    T_CHANGES,
    T_ROUNDING,
    FoldState,
    cents,
)


__all__: list[str] = []

_HALF_UP: Final = Rounding.HALF_UP.value


# --- Handlers: one per kind, (state, event id, ISO date, actor, payload). ---

Handler = Callable[[FoldState, int, str, str, Payload], None]


def _unknown(s: FoldState, n: int, on: str, kind: str, *, what: str, key: object) -> None:
    s.problem(n, on, kind, "", f"refers to an unknown {what} {shown(key)}")


def _find(
    s: FoldState, n: int, on: str, kind: str, *, table: Mapping[str, Any], what: str, key: str
) -> Any:
    """The record of a key, or ``None`` with a problem recorded for the event."""
    found = table.get(key)
    if found is None:
        _unknown(s, n, on, kind, what=what, key=key)
    return found


def _territory_proposed(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    s.territory = {
        "territory": p["territory"],
        "operator": p["operator"],
        "prefecture": p["prefecture"],
        "national_committee": p["national_committee"],
        "state_chair": p["state_chair"],
        "status": TerritoryStatus.PROPOSED.value,
        "proposed_on": on,
        "validated_on": None,
    }
    operator_id = p["operator"]["id"]
    s.people[actor] = [PersonRole.OPERATOR_STAFF.value, operator_id, True, None, on]
    s.people[p["national_committee"]] = [PersonRole.NATIONAL_COMMITTEE.value, "", True, None, on]
    prefecture_id = p["prefecture"]["id"]
    s.people[p["state_chair"]] = [
        PersonRole.STATE_REPRESENTATIVE.value,
        prefecture_id,
        True,
        None,
        on,
    ]


def _territory_validated(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    if s.territory is None:
        _unknown(s, n, on, EventKind.TERRITORY_VALIDATED, what="territory", key=None)
        return
    s.territory["status"] = TerritoryStatus.VALIDATED.value
    s.territory["validated_on"] = on


def _partner_admitted(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    partner = p["partner"]
    s.partners[partner["id"]] = partner
    s.accounts.setdefault(partner["id"], [0, 0])


def _person_enrolled(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    s.people[p["person"]] = [p["role"], p["organisation"], p["in_activity"], p["category"], on]


def _person_updated(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    person = s.people.get(p["person"])
    if person is None:
        _unknown(s, n, on, EventKind.PERSON_UPDATED, what="person", key=p["person"])
        return
    person[2] = p["in_activity"]


def _convention_signed(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    c = p["convention"]
    end = date.fromisoformat(c["start"]) + relativedelta(years=CONVENTION_YEARS)
    s.conventions.append([c["id"], c["start"], end.isoformat(), c["commitments"], on])


def _sme_registered(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    s.smes[p["sme"]["siren"]] = p["sme"]


def _project_identified(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    project = p["project"]
    s.projects[project["id"]] = {
        "project": project,
        "status": ProjectStatus.IDENTIFIED.value,
        "identified_on": on,
        "validated_on": None,
        "session": None,
        "decided_on": None,
        "outcome": None,
        "means": None,
        "agreement": None,
        "closed_on": None,
    }


def _file_validated(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    project = _find(
        s, n, on, EventKind.FILE_VALIDATED, table=s.projects, what="project", key=p["project"]
    )
    if project is not None:
        project["status"] = ProjectStatus.VALIDATED.value
        project["validated_on"] = on


def _session_convened(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    s.sessions[p["session"]] = {
        "date": p["session_date"],
        "agenda": p["agenda"],
        "convened_on": on,
        "attendees": [],
        "president": None,
        "presenters": [],
        "ballots": [],
        "opened": False,
        "closed": False,
        "valid": None,
    }
    for entry in p["agenda"]:
        project = _find(
            s,
            n,
            on,
            EventKind.SESSION_CONVENED,
            table=s.projects,
            what="project",
            key=entry["project"],
        )
        if project is not None:
            project["status"] = ProjectStatus.ON_AGENDA.value
            project["session"] = p["session"]


def _session_opened(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    session = _find(
        s, n, on, EventKind.SESSION_OPENED, table=s.sessions, what="session", key=p["session"]
    )
    if session is not None:
        session["attendees"] = p["attendees"]
        session["president"] = p["president"]
        session["presenters"] = p["presenters"]
        session["opened"] = True


def _vote_cast(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    session = _find(
        s, n, on, EventKind.VOTE_CAST, table=s.sessions, what="session", key=p["session"]
    )
    if session is not None:
        session["ballots"].append([p["project"], actor, p["ballot"]])


def _session_closed(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    session = _find(
        s, n, on, EventKind.SESSION_CLOSED, table=s.sessions, what="session", key=p["session"]
    )
    if session is None:
        return
    session["closed"] = True
    session["valid"] = p["valid"]
    agenda = {entry["project"]: entry for entry in session["agenda"]}
    fund = s.fund
    for item in p["decisions"]:
        key = item["project"]
        project = _find(
            s, n, on, EventKind.SESSION_CLOSED, table=s.projects, what="project", key=key
        )
        if project is None:
            continue
        outcome = item["outcome"]
        project["outcome"] = outcome
        project["decided_on"] = on
        if outcome == Outcome.NOT_EXAMINED.value:
            project["status"] = ProjectStatus.VALIDATED.value
            continue
        if outcome != Outcome.ADOPTED.value:
            project["status"] = ProjectStatus.REJECTED.value
            continue
        project["status"] = ProjectStatus.ADOPTED.value
        entry = agenda.get(key)
        if entry is None:
            _unknown(s, n, on, EventKind.SESSION_CLOSED, what="agenda item", key=key)
            continue
        project["means"] = entry
        amount = cents(entry["advance"])
        if amount:
            s.advances[key] = [
                amount,
                amount,
                0,
                0,
                0,
                0,
                AdvanceStatus.COMMITTED.value,
                on,
                None,
                None,
                [],
                None,
                p["session"],
                None,
                [],
            ]
            fund[F_COMMITTED] += amount


def _agreement_signed(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    project = _find(
        s, n, on, EventKind.AGREEMENT_SIGNED, table=s.projects, what="project", key=p["project"]
    )
    if project is not None:
        project["agreement"] = [p["agreement"], on]
        project["status"] = ProjectStatus.AGREEMENT_SIGNED.value


def _check_fund(s: FoldState, n: int, on: str, kind: str) -> None:
    f = s.fund
    if (
        f[F_CASH] != f[F_RECEIVED] + f[F_REPAID] + f[F_RECOVERED] - f[F_DISBURSED] - f[F_FEES]
        or f[F_OUTSTANDING] != f[F_DISBURSED] - f[F_REPAID] - f[F_WRITTEN_OFF]
        or f[F_CASH] < 0
        or f[F_COMMITTED] < 0
    ):
        _fund_problems(s, n, on, kind)


def _fund_problems(s: FoldState, n: int, on: str, kind: str) -> None:
    f = s.fund
    cash = f[F_RECEIVED] + f[F_REPAID] + f[F_RECOVERED] - f[F_DISBURSED] - f[F_FEES]
    outstanding = f[F_DISBURSED] - f[F_REPAID] - f[F_WRITTEN_OFF]
    if f[F_CASH] != cash or f[F_OUTSTANDING] != outstanding:
        s.problem(n, on, kind, "FUND-05", "the fund no longer balances")
    for index, name in ((F_CASH, "cash"), (F_COMMITTED, "committed")):
        if f[index] < 0:
            amount = from_cents(f[index])
            s.problem(n, on, kind, "FUND-05", f"the fund's {name} is negative ({amount} €)")


def _advance_bounds(s: FoldState, n: int, on: str, kind: str, *, key: str, a: list[Any]) -> None:
    if a[A_REPAID] + a[A_WRITTEN_OFF] <= a[A_DISBURSED] and not recovery_excess(
        a[A_WRITTEN_OFF], a[A_RECOVERED], 0
    ):
        return
    if a[A_REPAID] + a[A_WRITTEN_OFF] > a[A_DISBURSED]:
        over = from_cents(a[A_REPAID] + a[A_WRITTEN_OFF] - a[A_DISBURSED])
        text = f"advance {key} is repaid or written off beyond what was paid out (by {over} €)"
        s.problem(n, on, kind, "FUND-02", text)
    over_cap = recovery_excess(a[A_WRITTEN_OFF], a[A_RECOVERED], 0)
    if over_cap:
        over = from_cents(over_cap)
        s.problem(n, on, kind, "FUND-02", f"advance {key} recovers more than was lost ({over} €)")


def _advance_disbursed(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    key = p["project"]
    kind = EventKind.ADVANCE_DISBURSED
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    amount = cents(p["amount"])
    f = s.fund
    released = a[A_COMMITTED]
    f[F_COMMITTED] -= released
    a[A_COMMITTED] = 0
    a[A_DISBURSED] += amount
    a[A_STATUS] = AdvanceStatus.DISBURSED.value
    a[A_DISBURSED_ON] = on
    rounding = p.get("rounding", _HALF_UP)
    terms = [p["instalments"], p["frequency"], p["deferral"]]
    a[A_TERMS] = terms if rounding == _HALF_UP else [*terms, rounding]
    f[F_DISBURSED] += amount
    f[F_OUTSTANDING] += amount
    f[F_CASH] -= amount
    if amount > released:
        over = from_cents(amount - released)
        s.problem(n, on, kind, "FUND-04", f"advance {key} pays out {over} € beyond its commitment")
    project = s.projects.get(key)
    if project is not None:
        project["status"] = ProjectStatus.ACCOMPANIED.value
    _check_fund(s, n, on, kind)


def _advance_rescheduled(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    """
    A rescheduling (SCH-05): the outstanding is spread over new terms from ``on``; the
    earlier terms stay, with the number of payments made under them. The terms' list is
    replaced, never changed in place (registers share it until it changes).
    """
    key = p["project"]
    kind = EventKind.ADVANCE_RESCHEDULED
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    terms = a[A_TERMS]
    if terms is None or a[A_STATUS] != AdvanceStatus.DISBURSED.value:
        s.problem(n, on, kind, "SCH-05", f"advance {key} is rescheduled while {a[A_STATUS]}")
        return
    outstanding = a[A_DISBURSED] - a[A_REPAID] - a[A_WRITTEN_OFF]
    change = [on, p["instalments"], p["frequency"], p["deferral"], len(a[A_PAYMENTS]), outstanding]
    rounding = terms[T_ROUNDING] if len(terms) > T_ROUNDING else _HALF_UP
    a[A_TERMS] = [*terms[:T_ROUNDING], rounding, *terms[T_CHANGES:], change]


def _repay(s: FoldState, n: int, on: str, kind: str, *, key: str, amount: int) -> None:
    a = s.advances.get(key)
    if a is None:
        _unknown(s, n, on, kind, what="advance", key=key)
        return
    a[A_REPAID] += amount
    a[A_PAYMENTS].append((on, amount))
    f = s.fund
    f[F_REPAID] += amount
    f[F_CASH] += amount
    f[F_OUTSTANDING] -= amount
    if a[A_REPAID] + a[A_WRITTEN_OFF] >= a[A_DISBURSED]:
        if a[A_STATUS] in ACTIVE_STATUSES:
            a[A_STATUS] = AdvanceStatus.REPAID.value
        _advance_bounds(s, n, on, kind, key=key, a=a)


ACTIVE_STATUSES: Final = frozenset({AdvanceStatus.DISBURSED.value, AdvanceStatus.DEFAULTED.value})


def _repayment_received(s: FoldState, n: int, on: str, actor: str, raw: bytes) -> None:
    """
    A repayment, read straight from its payload's bytes when they hold no escape (the
    journal's commonest event). A repayment cannot unbalance the fund's identity (it adds
    the same amount to what is repaid and to the cash): only the advance's bounds are
    checked.
    """
    if b"\\" not in raw:
        parts = raw.split(b'"')
        if len(parts) == 9 and parts[1] == b"project" and parts[5] == b"amount":
            text = parts[7]
            if text[-3:-2] == b"." and text[:-3].isdigit() and text[-2:].isdigit():
                key = parts[3].decode()
                _repay(
                    s,
                    n,
                    on,
                    EventKind.REPAYMENT_RECEIVED,
                    key=key,
                    amount=int(text[:-3] + text[-2:]),
                )
                return
    p = read_payload(raw)
    _repay(s, n, on, EventKind.REPAYMENT_RECEIVED, key=p["project"], amount=cents(p["amount"]))


def _statement_received(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    """
    A bank statement: each line is a repayment (as :func:`_repay` folds one), the fund's
    totals added once for the whole statement, then checked against the bank's balance.
    """
    kind = EventKind.STATEMENT_RECEIVED
    advances = s.advances
    total = 0
    for line in p["lines"]:
        key = line["project"]
        amount = cents(line["amount"])
        a = advances.get(key)
        if a is None:
            _unknown(s, n, on, kind, what="advance", key=key)
            continue
        total += amount
        a[A_REPAID] += amount
        a[A_PAYMENTS].append((on, amount))
        if a[A_REPAID] + a[A_WRITTEN_OFF] >= a[A_DISBURSED]:
            if a[A_STATUS] in ACTIVE_STATUSES:
                a[A_STATUS] = AdvanceStatus.REPAID.value
            _advance_bounds(s, n, on, kind, key=key, a=a)
    f = s.fund
    f[F_REPAID] += total
    f[F_CASH] += total
    f[F_OUTSTANDING] -= total
    _check_fund(s, n, on, kind)
    closing = p["closing_balance"]
    if closing is not None and cents(closing) != s.fund[F_CASH]:
        computed = from_cents(s.fund[F_CASH])
        text = f"the bank states a balance of {closing} €, the register computes {computed} €"
        s.problem(n, on, kind, "FUND-05", text)


def _advance_defaulted(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    a = _find(
        s, n, on, EventKind.ADVANCE_DEFAULTED, table=s.advances, what="advance", key=p["project"]
    )
    if a is not None:
        a[A_STATUS] = AdvanceStatus.DEFAULTED.value
        a[A_DEFAULTED_ON] = on


def _advance_written_off(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    kind = EventKind.ADVANCE_WRITTEN_OFF
    key = p["project"]
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    amount = cents(p["amount"])
    a[A_WRITTEN_OFF] += amount
    a[A_STATUS] = AdvanceStatus.WRITTEN_OFF.value
    if a[A_WRITTEN_OFF_ON] is None:
        a[A_WRITTEN_OFF_ON] = on
    f = s.fund
    f[F_WRITTEN_OFF] += amount
    f[F_OUTSTANDING] -= amount
    _advance_bounds(s, n, on, kind, key=key, a=a)
    _check_fund(s, n, on, kind)


def _recovery_received(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    kind = EventKind.RECOVERY_RECEIVED
    key = p["project"]
    a = _find(s, n, on, kind, table=s.advances, what="advance", key=key)
    if a is None:
        return
    amount = cents(p["amount"])
    a[A_RECOVERED] += amount
    a[A_RECOVERIES].append((on, amount))
    f = s.fund
    f[F_RECOVERED] += amount
    f[F_CASH] += amount
    _advance_bounds(s, n, on, kind, key=key, a=a)
    _check_fund(s, n, on, kind)


def _contribution_called(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    account = _find(
        s, n, on, EventKind.CONTRIBUTION_CALLED, table=s.accounts, what="partner", key=p["partner"]
    )
    if account is not None:
        amount = cents(p["amount"])
        account[0] += amount
        s.fund[F_CALLED] += amount


def _contribution_received(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    kind = EventKind.CONTRIBUTION_RECEIVED
    account = _find(s, n, on, kind, table=s.accounts, what="partner", key=p["partner"])
    if account is not None:
        amount = cents(p["amount"])
        account[1] += amount
        s.fund[F_RECEIVED] += amount
        s.fund[F_CASH] += amount
        _check_fund(s, n, on, kind)


def _fee_paid(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    amount = cents(p["amount"])
    s.fund[F_FEES] += amount
    s.fund[F_CASH] -= amount
    _check_fund(s, n, on, EventKind.FEE_PAID)


def _mission_granted(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    mission = p["mission"]
    s.missions[mission["id"]] = [mission, on, []]
    project = s.projects.get(mission["project"])
    if project is not None and project["status"] == ProjectStatus.AGREEMENT_SIGNED.value:
        project["status"] = ProjectStatus.ACCOMPANIED.value


def _meeting_logged(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    mission = s.missions.get(p["mission"])
    if mission is None:
        _unknown(s, n, on, EventKind.MEETING_LOGGED, what="mission", key=p["mission"])
        return
    mission[2].append(on)


def _time_logged(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    person = s.people.get(actor)
    category = person[3] if person is not None else None
    s.time.append([actor, p["project"], on, p["days"], category])


def _project_closed(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    project = _find(
        s, n, on, EventKind.PROJECT_CLOSED, table=s.projects, what="project", key=p["project"]
    )
    if project is not None:
        project["status"] = ProjectStatus.CLOSED.value
        project["closed_on"] = on


def _review_signed_off(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    s.reviews.append([p["year"], on, actor])


def _settings_adopted(s: FoldState, n: int, on: str, actor: str, p: Payload) -> None:
    """The territory's own settings, kept in its record: each ends the one it replaces."""
    kind = EventKind.SETTINGS_ADOPTED
    if s.territory is None:
        _unknown(s, n, on, kind, what="territory", key=None)
        return
    adopted: list[Payload] = list(s.territory.get("settings", ()))
    for version in p["versions"]:
        name, start = version["name"], version["start"]
        if not setting_named(name).territorial:
            s.problem(n, on, kind, "", f"sets {name}, which the charter fixes")
            return
        for i, earlier in enumerate(adopted):
            if earlier["name"] == name and earlier["end"] is None:
                if earlier["start"] >= start:
                    s.problem(n, on, kind, "", f"sets {name} again from {earlier['start']}")
                    return
                adopted[i] = {**earlier, "end": start}
        adopted.append(version)
    s.territory = {**s.territory, "settings": adopted}


_Entry = tuple[Callable[..., None], bool, bool, bool, str]
"""A kind's entry in the fold's table: (handler, reads bytes, reads the actor, setup, name)."""


@attrs.frozen
class Raw:
    """A handler that reads its payload's bytes itself (a fast path for a common kind)."""

    handler: Callable[[FoldState, int, str, str, bytes], None]


def bind(handlers: Mapping[EventKind, Handler | Raw]) -> Mapping[bytes, _Entry]:
    """
    The fold's table, by kind as the body writes it: each kind's handler, whether it reads
    its payload's bytes itself, whether it reads the actor and whether the kind sets the
    programme up (the last two from the kind's declaration, :class:`EventKind`).

    Raises:
        TypeError: A kind has no handler (every kind must have one).
    """
    missing = [str(kind) for kind in EventKind if kind not in handlers]
    if missing:
        raise TypeError(f"the register's fold has no handler for {', '.join(missing)}")
    table: dict[bytes, _Entry] = {}
    for kind, bound in handlers.items():
        raw = isinstance(bound, Raw)
        handler = bound.handler if isinstance(bound, Raw) else bound
        table[kind.encode()] = (handler, raw, kind.by.recorded, kind.setup, str(kind))
    return MappingProxyType(table)


_KINDS: Final = bind(
    {
        EventKind.TERRITORY_PROPOSED: _territory_proposed,
        EventKind.TERRITORY_VALIDATED: _territory_validated,
        EventKind.PARTNER_ADMITTED: _partner_admitted,
        EventKind.PERSON_ENROLLED: _person_enrolled,
        EventKind.PERSON_UPDATED: _person_updated,
        EventKind.CONVENTION_SIGNED: _convention_signed,
        EventKind.SME_REGISTERED: _sme_registered,
        EventKind.PROJECT_IDENTIFIED: _project_identified,
        EventKind.FILE_VALIDATED: _file_validated,
        EventKind.SESSION_CONVENED: _session_convened,
        EventKind.SESSION_OPENED: _session_opened,
        EventKind.VOTE_CAST: _vote_cast,
        EventKind.SESSION_CLOSED: _session_closed,
        EventKind.AGREEMENT_SIGNED: _agreement_signed,
        EventKind.ADVANCE_DISBURSED: _advance_disbursed,
        EventKind.ADVANCE_RESCHEDULED: _advance_rescheduled,
        EventKind.REPAYMENT_RECEIVED: Raw(_repayment_received),
        EventKind.STATEMENT_RECEIVED: _statement_received,
        EventKind.ADVANCE_DEFAULTED: _advance_defaulted,
        EventKind.ADVANCE_WRITTEN_OFF: _advance_written_off,
        EventKind.RECOVERY_RECEIVED: _recovery_received,
        EventKind.CONTRIBUTION_CALLED: _contribution_called,
        EventKind.CONTRIBUTION_RECEIVED: _contribution_received,
        EventKind.FEE_PAID: _fee_paid,
        EventKind.MISSION_GRANTED: _mission_granted,
        EventKind.MEETING_LOGGED: _meeting_logged,
        EventKind.TIME_LOGGED: _time_logged,
        EventKind.PROJECT_CLOSED: _project_closed,
        EventKind.REVIEW_SIGNED_OFF: _review_signed_off,
        EventKind.SETTINGS_ADOPTED: _settings_adopted,
    }
)
"""Each kind's handler, bound once: importing the fold fails when a kind has none."""


def handled_kinds() -> frozenset[EventKind]:
    """The kinds the fold has a handler for (every kind: checked when the fold is imported)."""
    return frozenset(EventKind.named(kind.decode()) for kind in _KINDS)


def fold(state: FoldState, record: tuple[int, bytes, str, bytes, bytes]) -> None:
    """
    Add one event ``(id, kind, ISO date, actor, payload)`` — kind, actor and payload as
    the body's bytes — to a fold's state (low level, used by :func:`replay`).

    A payload that lacks what its kind needs is recorded as a problem of the event,
    never raised: the rest of the journal still folds.
    """
    event_id, kind, on, actor, raw = record
    entry = _KINDS.get(kind)
    if entry is None:
        name = kind.decode(errors="replace")
        state.problem(event_id, on, name, "", f"is of a kind alize does not know ({name!r})")
        setup = False
    else:
        handler, takes_raw, reads_actor, setup, name = entry
        try:
            handler(
                state,
                event_id,
                on,
                read_actor(actor) if reads_actor else "",
                raw if takes_raw else read_payload(raw),
            )
        except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
            state.problem(event_id, on, name, "", f"has a payload alize cannot read ({exc})")
    if not setup:
        for convention in reversed(state.conventions):
            if convention[1] <= on < convention[2]:
                break
        else:
            state.flags.append([event_id, on, name, "CONV-01"])
    state.version = event_id
    state.last_on = on


def fold_rows(
    state: FoldState, rows: Iterable[StoredEvent], *, until: date | None = None, strict: bool = True
) -> None:
    """
    Fold stored events into a state, verifying the chain as it reads (see
    :func:`alize_core.register.replay.replay.replay`).

    Raises:
        IntegrityError: In strict mode, an event does not follow the chain.
    """
    previous = state.head
    expected = state.version + 1
    last = until.isoformat() if until is not None else None
    sha256 = hashlib.sha256
    for position, body, digest in rows:
        if strict and (position != expected or sha256(previous + body).digest() != digest):
            msg = (
                f"event {position} does not follow the chain (expected event {expected});"
                " the journal was altered: run `alize check` to see where"
            )
            raise IntegrityError("journal", position, msg)
        record = split_body(body)
        if record is None or (strict and record[0] != position):
            if strict:
                msg = f"event {position} is not an event alize writes"
                raise IntegrityError("journal", position, msg)
            state.problem(position, state.last_on or "0001-01-01", "?", "", "cannot be read")
            continue
        on = record[2]
        if last is not None and on > last:
            break
        if on < state.last_on:
            text = f"is dated before the event before it ({state.last_on})"
            state.problem(record[0], on, record[1].decode(errors="replace"), "", text)
        fold(state, record)
        state.head = previous = digest
        expected += 1
