"""
Commands by name: every command reads back from its own JSON, the digest knows a command
whatever its spelling, and a malformed request is refused naming its field.
"""

from __future__ import annotations

import enum
import types
import typing
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alize_core.commands.catalogue import (
    COMMANDS,
    CommandRequest,
    CommandSpec,
    command_named,
    read_request,
)
from alize_core.governance.session import AgendaEntry
from alize_core.journal.events import Presenter, StatementLine
from alize_core.kernel import AlizeError, MalformedInput, MissingValue, Settings, setting_named
from alize_core.kernel.jsontext import dump_json, parse_json
from alize_core.programme.accompaniment import Mission, SupportKind
from alize_core.programme.conventions import PartnerCommitment, TriennialConvention
from tests.strategies import STRATEGIES, amounts, dates, ids, texts


positive_amounts = amounts.filter(lambda amount: amount > 0)

RECORDS: dict[Any, st.SearchStrategy[Any]] = {
    **STRATEGIES,
    TriennialConvention: st.builds(
        TriennialConvention,
        ids,
        dates,
        st.lists(
            st.builds(PartnerCommitment, ids, positive_amounts, st.integers(0, 50)),
            min_size=1,
            max_size=3,
            unique_by=lambda commitment: commitment.partner,
        ).map(tuple),
    ),
    AgendaEntry: st.builds(
        AgendaEntry,
        ids,
        positive_amounts,
        amounts,
        st.none() | ids,
        st.integers(0, 366),
        st.lists(ids, unique=True, max_size=2).map(tuple),
    ),
    Presenter: st.builds(Presenter, ids, st.lists(ids, min_size=1, unique=True, max_size=2)),
    StatementLine: st.builds(StatementLine, ids, positive_amounts),
    Mission: st.builds(
        Mission, ids, ids, ids, ids, st.integers(1, 366), texts, st.sampled_from(SupportKind)
    ),
}
"""A strategy for every record a command takes."""

national = Settings.national()
settings_values = st.sampled_from(national.versions).map(
    lambda version: {setting_named(version.name): version.value}
)


def values(annotation: Any) -> st.SearchStrategy[Any]:
    """Valid values of an argument's type (not all of them acceptable to the register)."""
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if annotation in RECORDS:
        strategy = RECORDS[annotation]
    elif origin in {typing.Union, types.UnionType}:
        inner = [values(argument) for argument in arguments if argument is not type(None)]
        strategy = st.one_of(st.none(), *inner)
    elif origin is Mapping:
        strategy = settings_values
    elif origin is Sequence:
        strategy = st.lists(values(arguments[0]), unique=True, min_size=1, max_size=3).map(tuple)
    elif isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        strategy = st.sampled_from(annotation)
    else:
        scalars: dict[Any, st.SearchStrategy[Any]] = {
            str: ids,
            int: st.integers(1, 120),
            bool: st.booleans(),
            Decimal: positive_amounts,
            date: dates,
        }
        strategy = scalars[annotation]
    return strategy


@st.composite
def requests(draw: st.DrawFn, spec: CommandSpec) -> CommandRequest:
    """A request of a command: every required argument, and some of the optional ones."""
    arguments = {
        parameter.name: draw(values(parameter.annotation))
        for parameter in spec.parameters
        if parameter.required or draw(st.booleans())
    }
    return CommandRequest(draw(ids), spec, draw(dates), arguments)


def _base() -> dict[str, object]:
    return {
        "id": "rb-1",
        "command": "receive_repayment",
        "on": "2026-03-02",
        "actor": "OP1",
        "project": "P1",
        "amount": "520.83",
    }


def _refused_field(data: object, *, with_actor: bool = True) -> str:
    with pytest.raises(AlizeError) as info:
        read_request(data, with_actor=with_actor)
    return info.value.field


@pytest.mark.parametrize("spec", list(COMMANDS.values()), ids=lambda spec: spec.name)
@given(data=st.data())
def test_every_command_reads_back_from_its_own_json(spec: CommandSpec, data: st.DataObject) -> None:
    """to_json, written and parsed as JSON text, reads back into the same request."""
    request = data.draw(requests(spec))
    actor = data.draw(ids)
    text = dump_json(request.to_json(actor))

    read, read_actor = read_request(parse_json(text))

    assert read_actor == actor
    assert read.to_json(actor) == request.to_json(actor)
    assert read.digest(actor) == request.digest(actor)


@given(data=st.data())
def test_the_digest_ignores_the_order_of_the_keys(data: st.DataObject) -> None:
    """The same request with its keys in another order is the same command."""
    request = data.draw(requests(data.draw(st.sampled_from(list(COMMANDS.values())))))
    fields = list(request.to_json("OP1").items())
    shuffled = dict(data.draw(st.permutations(fields)))

    read, actor = read_request(shuffled)

    assert actor is not None
    assert read.digest(actor) == request.digest("OP1")


@given(amount=positive_amounts, zeros=st.integers(0, 4))
def test_the_digest_ignores_how_an_amount_is_spelled(amount: Decimal, zeros: int) -> None:
    """ "1000", "1000.00" and "1000.0000" are one amount, so one command."""
    spelled = f"{amount:f}" + ("." if "." not in f"{amount:f}" and zeros else "") + "0" * zeros
    plain, _ = read_request({**_base(), "amount": f"{amount:f}"})
    padded, _ = read_request({**_base(), "amount": spelled})

    assert padded.digest("OP1") == plain.digest("OP1")


def test_a_thousand_euros_with_or_without_cents_is_one_command() -> None:
    """The example the rule is written for: "1000" and "1000.00"."""
    bare, _ = read_request({**_base(), "amount": "1000"})
    cents, _ = read_request({**_base(), "amount": "1000.00"})

    assert bare.digest("OP1") == cents.digest("OP1")


@pytest.mark.parametrize(
    ("field", "other"),
    [
        ("amount", "520.84"),
        ("project", "P2"),
        ("on", "2026-03-03"),
        ("command", "receive_recovery"),
    ],
)
def test_another_value_is_another_command(field: str, other: str) -> None:
    """A digest tells apart requests that differ in any field but their id."""
    first, _ = read_request(_base())
    second, _ = read_request({**_base(), field: other})

    assert first.digest("OP1") != second.digest("OP1")


def test_another_actor_is_another_command() -> None:
    """The same request from someone else is a different command."""
    request, _ = read_request(_base())

    assert request.digest("OP1") != request.digest("OP2")


def test_codes_that_look_like_numbers_keep_their_zeros() -> None:
    """Only amounts lose their trailing spelling: the commune 08105 is not the commune 8105."""
    data = {
        "id": "t",
        "command": "propose_territory",
        "on": "2025-10-06",
        "actor": "OP1",
        "territory": {"id": "T", "name": "T", "communes": ["08105"], "departements": ["08"]},
        "operator": {"id": "O", "name": "O"},
        "prefecture": {"id": "P", "name": "P", "kind": "prefecture"},
        "national_committee": "CN",
        "state_chair": "PREFET",
    }
    other = {**data, "territory": {**data["territory"], "communes": ["08150"]}}  # type: ignore[dict-item]
    first, _ = read_request(data)
    second, _ = read_request(other)

    assert first.digest("OP1") != second.digest("OP1")


def test_settings_of_the_python_api_are_written_as_json() -> None:
    """A request built in Python with a read-only settings mapping writes its settings by name."""
    quorum = setting_named("quorum")
    request = CommandRequest(
        "reglement",
        command_named("adopt_settings"),
        date(2025, 10, 6),
        {"values": types.MappingProxyType({quorum: 3})},
    )

    assert request.to_json("OP1")["values"] == {"quorum": 3}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"command": "repay"}, "command"),
        ({"command": 12}, "command"),
        ({"reference": "x"}, "reference"),
        ({"amount": 520.83}, "amount"),
        ({"amount": "NaN"}, "amount"),
        ({"on": "2026-3-2"}, "on"),
        ({"on": "2026-03-02T00:00"}, "on"),
        ({"on": 20260302}, "on"),
        ({"on": "２０２６-03-02"}, "on"),
        ({"on": "2026-03-0٢"}, "on"),
        ({"amount": "٥٢٠.٨٣"}, "amount"),
        ({"amount": "５20.83"}, "amount"),
        ({"id": ""}, "id"),
        ({"actor": " OP1"}, "actor"),
    ],
)
def test_a_malformed_request_is_refused_naming_its_field(
    change: dict[str, object], field: str
) -> None:
    """Unknown commands and arguments, floats, loose dates and foreign digits are refused."""
    assert _refused_field({**_base(), **change}) == field


@pytest.mark.parametrize("missing", ["id", "command", "on", "actor", "project", "amount"])
def test_a_request_without_a_field_it_needs_is_refused_naming_it(missing: str) -> None:
    """id, command, on, actor and the command's required arguments must be given."""
    data = {name: value for name, value in _base().items() if name != missing}

    with pytest.raises(MissingValue) as info:
        read_request(data)

    assert info.value.field == missing


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("instalments", "٤٨"),
        ("instalments", 48.0),
        ("instalments", "48"),
        ("instalments", True),
    ],
)
def test_a_count_is_a_json_whole_number_in_ascii_digits(field: str, value: object) -> None:
    """Instalments written with other digits, as a float or as text are refused."""
    data = {
        "id": "d",
        "command": "disburse_advance",
        "on": "2026-03-31",
        "actor": "OP1",
        "project": "P1",
        field: value,
    }

    assert _refused_field(data) == field


def test_a_json_number_with_decimals_is_refused_before_it_is_a_float() -> None:
    """Parsed by alize's JSON reader, 520.83 is refused as an amount to write as text."""
    text = dump_json(_base()).replace('"520.83"', "520.83")

    with pytest.raises(MalformedInput, match="write amounts as text") as info:
        read_request(parse_json(text))

    assert info.value.field == "amount"


def test_a_date_inside_a_record_is_refused_naming_its_path() -> None:
    """A loose date deep in an argument is named by its path."""
    data = {
        "id": "c",
        "command": "convene_session",
        "on": "2026-02-26",
        "actor": "OP1",
        "session": "S1",
        "session_date": "2026-3-12",
        "agenda": [{"project": "P1", "advance": "40000"}],
    }

    assert _refused_field(data) == "session_date"


def test_a_bad_amount_in_a_list_is_refused_naming_its_place() -> None:
    """The second line of a statement names itself."""
    data = {
        "id": "rb",
        "command": "record_statement",
        "on": "2026-04-30",
        "actor": "OP1",
        "statement": "RB-04",
        "lines": [{"project": "P1", "amount": "833.33"}, {"project": "P2", "amount": 625.5}],
    }

    assert _refused_field(data).startswith("lines[1]")


def test_where_the_token_says_who_acts_an_actor_field_is_refused() -> None:
    """Over the HTTP API the actor is the token's owner, never a field of the request."""
    assert _refused_field(_base(), with_actor=False) == "actor"


def test_where_the_token_says_who_acts_a_request_reads_without_an_actor() -> None:
    """Without an actor field, the request reads and its actor is left to the door."""
    data = {name: value for name, value in _base().items() if name != "actor"}

    request, actor = read_request(data, with_actor=False)

    assert actor is None
    assert request.to_json() == data


@pytest.mark.parametrize("data", [[], "request", None, 3])
def test_a_request_that_is_not_an_object_is_refused(data: object) -> None:
    """A JSON array, text or number is not a request."""
    assert _refused_field(data) == "request"


@pytest.mark.parametrize(
    "written", ["20260301", "2026-W10-1", "2026-03-01T00:00", "２０２６-03-01"]
)
def test_a_date_not_written_exactly_yyyy_mm_dd_is_refused_naming_the_field(written: str) -> None:
    """Forms date.fromisoformat reads (basic, week dates) or other scripts' digits are refused."""
    request = {
        "id": "r1",
        "command": "close_session",
        "on": written,
        "actor": "OP1",
        "session": "S1",
    }

    with pytest.raises(AlizeError, match=r"^on: "):
        read_request(request)
