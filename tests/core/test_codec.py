"""The journal's bodies: JSON documents in one canonical form, read whole or split by the fold."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core.journal import GENESIS, FeePaid, decode, upgrade_body, upgrade_rows
from alize_core.journal.codec import encode_body, parse_body, read_actor, split_body
from alize_core.kernel import IntegrityError, MalformedInput
from alize_core.register.replay import replay

from .register_story import Story


FEE = (
    b'{"id":1,"kind":"fee_paid","on":"2026-04-01","actor":"OP1","rules":["FUND-05"],'
    b'"payload":{"amount":"1.00","label":"Frais"}}'
)


def _row(body: bytes) -> tuple[int, bytes, bytes]:
    return (1, body, hashlib.sha256(GENESIS + body).digest())


def test_a_body_is_a_json_document_with_its_keys_in_a_fixed_order() -> None:
    """Any JSON reader reads a body; its keys come in the documented order."""
    document = json.loads(FEE)

    assert list(document) == ["id", "kind", "on", "actor", "rules", "payload"]
    assert document["payload"]["amount"] == "1.00"
    assert decode(_row(FEE), GENESIS).payload == FeePaid(Decimal("1.00"), "Frais")


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (FEE.replace(b'"label":"Frais"', b'"amount":"2.00"'), "twice"),
        (FEE.replace(b'"actor":"OP1"', b'"actor":"OP1","actor":"X"'), "twice"),
        (FEE.replace(b'"1.00"', b"1.00"), "number with decimals"),
        (FEE.replace(b'"id":1,', b'"id": 1,'), "canonical form"),
        (FEE.replace(b'"amount":"1.00","label":"Frais"', b'"label":"Frais","amount":"1.00"'), ""),
        (b'{"kind":"fee_paid","id":1}', "a JSON object of id"),
        (FEE.replace(b'"id":1', b'"id":true'), "not of its type"),
        (FEE.replace(b"Frais", "Frais \u00e9".encode()), "ascii"),
    ],
    ids=[
        "payload key twice",
        "key twice",
        "decimals",
        "space",
        "payload order",
        "keys",
        "type",
        "non-ASCII",
    ],
)
def test_a_body_that_is_not_in_the_canonical_form_is_refused(body: bytes, reason: str) -> None:
    """parse_body() says what is wrong with its form, decode() refuses it naming the event."""
    if reason:
        with pytest.raises(ValueError, match=reason):
            parse_body(body)
    with pytest.raises(MalformedInput, match="event 1"):
        decode(_row(body), GENESIS)


def test_a_body_whose_fields_the_fold_cannot_find_stops_a_strict_replay() -> None:
    """A body the fold cannot split is not an event alize writes: strict replay raises."""
    body = FEE.replace(b'"id":1,', b'"id": 1,')

    with pytest.raises(IntegrityError, match="event 1 is not an event alize writes"):
        replay([_row(body)])
    assert replay([_row(body)], strict=False).problems[0].message == "cannot be read"


names = st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and "\x00" not in s)


@given(
    actor=names,
    label=names,
    rules=st.lists(st.from_regex(r"[A-Z]{2,4}-0[1-9]", fullmatch=True), max_size=3),
)
def test_the_fold_splits_a_body_as_a_json_reader_reads_it(
    actor: str, label: str, rules: list[str]
) -> None:
    """For any actor, label and rule ids, the fold's split agrees with the full reading."""
    payload = {"amount": "1.00", "label": label, "note": ',"payload":{"rules":['}
    body = encode_body(12, "fee_paid", "2026-04-01", actor, rules=rules, payload=payload)

    fields = split_body(body)

    assert parse_body(body) == (12, "fee_paid", "2026-04-01", actor, tuple(rules), payload)
    assert fields is not None
    assert read_actor(fields[3]) == actor
    assert json.loads(fields[4]) == payload
    assert encode_body(12, "fee_paid", "2026-04-01", actor, rules=rules, payload=payload) == body


@given(position=st.integers(0, len(FEE) - 1), byte=st.integers(0, 255))
def test_a_body_read_whole_is_split_the_same_by_the_fold(position: int, byte: int) -> None:
    """Whatever byte is changed, a body the full reader accepts is split the same way."""
    body = FEE[:position] + bytes([byte]) + FEE[position + 1 :]
    try:
        event_id, kind, on, actor, _, payload = parse_body(body)
    except (ValueError, RecursionError):
        return

    fields = split_body(body)

    assert fields is not None
    assert fields[:3] == (event_id, kind.encode(), on)
    assert read_actor(fields[3]) == actor
    assert fields[4] == json.dumps(payload, separators=(",", ":")).encode()


def test_a_journal_of_the_first_form_is_upgraded_to_the_same_events() -> None:
    """Each old body becomes the body alize writes today for the same event, chained anew."""
    story = Story().founded().funded().with_projects().approved().disbursed().repaid("P1")
    new_rows = [event.row() for event in story.events]
    old_rows = []
    previous = GENESIS
    for event_id, body, _ in new_rows:
        fields = parse_body(body)
        old = (
            f"{event_id}\x1f{fields[1]}\x1f{fields[2]}\x1f{json.dumps(fields[3])}"
            f"\x1f{','.join(fields[4])}\x1f{json.dumps(fields[5], separators=(',', ':'))}"
        ).encode()
        previous = hashlib.sha256(previous + old).digest()
        old_rows.append((event_id, old, previous))

    upgraded = list(upgrade_rows(old_rows))

    assert [row for row, _ in upgraded] == new_rows
    assert [old for _, old in upgraded] == [digest for _, _, digest in old_rows]
    assert replay(row for row, _ in upgraded) == story.register


def test_an_altered_journal_of_the_first_form_is_not_upgraded() -> None:
    """The old chain is verified first: an altered event is named and nothing is given."""
    old = b'1\x1ffee_paid\x1f2026-04-01\x1f"OP1"\x1fX-01\x1f{"amount":"1.00","label":"x"}'
    rows = [(1, old.replace(b"1.00", b"9.00"), hashlib.sha256(GENESIS + old).digest())]

    with pytest.raises(IntegrityError, match="event 1 does not follow the chain"):
        list(upgrade_rows(rows))
    with pytest.raises(ValueError, match="first form"):
        upgrade_body(b"not a body")
