"""The kinds of event: each declared once, whole, and every table derived from the declaration."""

from __future__ import annotations

import inspect
from datetime import date
from decimal import Decimal

import attrs
import pytest

from alize_core.commands import log_meeting, log_time, sign_off_review
from alize_core.journal import Acting, EventKind, EventPayload, kind_of
from alize_core.journal import events as payloads
from alize_core.parties.model import PersonRole
from alize_core.register.fold import Raw, bind, handled_kinds

from .register_story import OPERATOR, PREFECT, Story


def test_every_kind_is_declared_whole() -> None:
    """Each kind has a payload class of its own, who acts, whether it is set-up, a fold handler."""
    handled = handled_kinds()

    for kind in EventKind:
        assert attrs.has(kind.payload), kind
        assert issubclass(kind.payload, EventPayload), kind
        assert isinstance(kind.by, Acting), kind
        assert isinstance(kind.setup, bool), kind
        assert kind in handled, kind
    assert len({kind.payload for kind in EventKind}) == len(EventKind)


def test_every_payload_class_is_the_payload_of_one_kind() -> None:
    """No payload class is left without a kind, and kind_of inverts the declaration."""
    classes = [
        cls
        for _, cls in inspect.getmembers(payloads, inspect.isclass)
        if issubclass(cls, EventPayload) and cls is not EventPayload
    ]

    assert sorted(c.__name__ for c in classes) == sorted(k.payload.__name__ for k in EventKind)
    assert kind_of(payloads.TerritoryValidated()) is EventKind.TERRITORY_VALIDATED


def test_a_value_of_no_kind_is_refused_by_kind_of() -> None:
    """Something that is the payload of no kind is a TypeError naming its class."""
    with pytest.raises(TypeError, match="StatementLine is the payload of no kind"):
        kind_of(payloads.StatementLine("P1", "1.00"))  # type: ignore[arg-type]


def test_the_fold_refuses_a_registration_that_lacks_a_kind() -> None:
    """Binding the fold's handlers without one kind fails, naming the kind."""

    def handler(*_: object) -> None:
        pass

    complete = dict.fromkeys(EventKind, handler)
    bind(complete)
    del complete[EventKind.FEE_PAID]

    with pytest.raises(TypeError, match="has no handler for fee_paid"):
        bind(complete)


def test_a_raw_handler_is_bound_as_reading_bytes() -> None:
    """A handler wrapped in Raw is called with the payload's bytes, the others with its JSON."""

    def handler(*_: object) -> None:
        pass

    table = bind({k: Raw(handler) if k is EventKind.FEE_PAID else handler for k in EventKind})

    assert table[b"fee_paid"][1] is True
    assert table[b"vote_cast"][1] is False
    assert table[b"vote_cast"][2] is EventKind.VOTE_CAST.by.recorded is True
    assert table[b"partner_admitted"][3] is EventKind.PARTNER_ADMITTED.setup is True


ROLES: dict[Acting, frozenset[PersonRole]] = {
    Acting.PROPOSER: frozenset({PersonRole.OPERATOR_STAFF}),
    Acting.NATIONAL_COMMITTEE: frozenset({PersonRole.NATIONAL_COMMITTEE}),
    Acting.OPERATOR: frozenset({PersonRole.OPERATOR_STAFF}),
    Acting.VOTER: frozenset({PersonRole.COMPANY_REPRESENTATIVE}),
    Acting.MISSION_MEMBER: frozenset({PersonRole.MENTOR, PersonRole.OPERATOR_STAFF}),
    Acting.MEMBER: frozenset({PersonRole.MENTOR, PersonRole.COMPANY_REPRESENTATIVE}),
    Acting.STATE_CHAIR: frozenset({PersonRole.STATE_REPRESENTATIVE}),
}


def test_who_acts_is_who_the_commands_let_act() -> None:
    """In a register's story, each event's actor has a role its kind's declaration allows."""
    story = Story().founded().funded().with_projects().approved().disbursed()
    for mission in story.register.missions:
        story.do(log_meeting(story.register, mission, on=date(2026, 4, 15), actor=OPERATOR))
    story.do(log_time(story.register, "P1", Decimal("1.5"), on=date(2026, 5, 20), actor="M1"))
    story.do(sign_off_review(story.register, 2026, on=date(2027, 2, 1), actor=PREFECT))
    seen = set()

    for event in story.events:
        person = story.register.person(event.actor)
        assert person is not None, event
        assert person.role in ROLES[event.kind.by], (event.kind, event.actor, person.role)
        seen.add(event.kind.by)

    assert seen >= {Acting.PROPOSER, Acting.OPERATOR, Acting.VOTER, Acting.MEMBER}
    assert seen >= {Acting.NATIONAL_COMMITTEE, Acting.STATE_CHAIR}
