"""The territory file: a territory written by hand in TOML or JSON, read strictly into the requests that found it."""

from __future__ import annotations

import json
import tomllib
from datetime import date

import pytest

from alize_adapters.connectors.territory_file import read_territory
from alize_core.kernel.errors import AlizeError, InvalidValue, MalformedInput, MissingValue
from alize_core.kernel.settings import QUORUM
from alize_core.register.views import Register
from tests.adapters.territory_files import TERRITORY_TOML


def _json_text() -> bytes:
    data = tomllib.loads(TERRITORY_TOML)
    data["on"] = data["on"].isoformat()
    data["validation"]["on"] = data["validation"]["on"].isoformat()
    for person in data["people"]:
        person["on"] = person["on"].isoformat()
    return json.dumps(data, ensure_ascii=False).encode()


def _founded(text: bytes) -> Register:
    register = Register.empty()
    for request, actor in read_territory(text, source="meuse.toml"):
        result = request.run(register, actor)
        assert result.accepted, result.decision.explain()
        register = register.apply(result.events)
    return register


def _refusal(text: str) -> AlizeError:
    with pytest.raises(AlizeError) as raised:
        read_territory(text.encode(), source="meuse.toml")
    return raised.value


def test_the_file_founds_the_territory_its_partners_and_people() -> None:
    register = _founded(TERRITORY_TOML.encode())
    assert register.territory is not None
    assert register.territory.status.value == "validated"
    assert sorted(register.partners) == ["ACIER", "ENERG", "TRANS"]
    assert register.person("M1").category is not None
    assert register.person("OP1").role.value == "operator_staff"


def test_the_settings_are_adopted_from_the_proposal_day() -> None:
    register = _founded(TERRITORY_TOML.encode())
    assert register.settings.value(QUORUM, on=date(2025, 11, 3), territory="MEUSE") == 3


def test_the_requests_come_in_founding_order_with_ids_from_content() -> None:
    requests = read_territory(TERRITORY_TOML.encode(), source="meuse.toml")
    assert [(request.id, actor) for request, actor in requests[:4]] == [
        ("init:propose_territory", "OP1"),
        ("init:adopt_settings", "OP1"),
        ("init:validate_territory", "CN"),
        ("init:admit_partner:ACIER", "OP1"),
    ]
    assert requests[-1][0].id == "init:enrol_person:M1"


def test_partners_are_admitted_on_the_validation_day_unless_dated() -> None:
    requests = {
        request.id: request for request, _ in read_territory(TERRITORY_TOML.encode(), source="f")
    }
    assert requests["init:admit_partner:ACIER"].on == date(2025, 12, 1)
    assert requests["init:enrol_person:R1"].on == date(2025, 12, 3)


def test_json_gives_the_same_requests_as_toml() -> None:
    from_toml = read_territory(TERRITORY_TOML.encode(), source="meuse.toml")
    from_json = read_territory(_json_text(), source="meuse.json")
    assert [r.to_json(a) for r, a in from_json] == [r.to_json(a) for r, a in from_toml]


def test_an_unknown_top_level_key_is_refused_by_name() -> None:
    error = _refusal('colour = "red"\n' + TERRITORY_TOML)
    assert isinstance(error, MalformedInput)
    assert error.field == "meuse.toml: colour"


def test_an_unknown_key_of_a_person_is_refused_with_its_path() -> None:
    error = _refusal(TERRITORY_TOML + 'email = "r4@example.org"\n')
    assert error.field == "meuse.toml: people[3].email"


def test_an_unknown_key_of_a_partner_is_refused_with_its_path() -> None:
    text = TERRITORY_TOML.replace('name = "Transports Argonne"', 'name = "T"\ncolour = "red"')
    assert _refusal(text).field == "meuse.toml: partners[2].colour"


def test_a_float_is_refused_naming_its_key_and_value() -> None:
    error = _refusal(TERRITORY_TOML.replace("quorum = 3", "quorum = 0.5"))
    assert isinstance(error, InvalidValue)
    assert error.field == "meuse.toml: settings.values.quorum"
    assert "0.5" in str(error)
    assert "write amounts and rates as text" in str(error)


def test_a_date_time_is_refused_where_a_date_is_expected() -> None:
    error = _refusal(TERRITORY_TOML.replace("on = 2025-11-03", "on = 2025-11-03T10:00:00", 1))
    assert error.field == "meuse.toml: on"
    assert "write a plain date, e.g. 2025-11-03" in str(error)


def test_a_time_is_refused_where_a_date_is_expected() -> None:
    error = _refusal(TERRITORY_TOML.replace("on = 2025-12-01", "on = 09:30:00"))
    assert error.field == "meuse.toml: validation.on"


def test_a_date_as_text_is_read_as_the_date() -> None:
    text = TERRITORY_TOML.replace("on = 2025-12-01", 'on = "2025-12-01"')
    requests = {r.id: r for r, _ in read_territory(text.encode(), source="f")}
    assert requests["init:validate_territory"].on == date(2025, 12, 1)


def test_a_loose_date_is_refused_naming_its_key() -> None:
    error = _refusal(TERRITORY_TOML.replace("on = 2025-12-01", 'on = "1/12/2025"'))
    assert error.field == "meuse.toml: validation.on"


def test_a_bad_role_names_the_person_entry() -> None:
    error = _refusal(TERRITORY_TOML.replace('role = "mentor"', 'role = "guru"'))
    assert error.field == "meuse.toml: people[3].role"
    assert "'guru'" in str(error)


def test_a_missing_territory_table_is_named() -> None:
    text = TERRITORY_TOML.replace(
        '[territory]\nid = "MEUSE"\nname = "Vallée de la Meuse"\ndepartements = ["55"]\n', ""
    )
    error = _refusal(text)
    assert isinstance(error, MissingValue)
    assert error.field == "meuse.toml: territory"


def test_a_missing_territory_name_is_named_with_its_path() -> None:
    error = _refusal(TERRITORY_TOML.replace('name = "Vallée de la Meuse"\n', ""))
    assert error.field == "meuse.toml: territory.name"


def test_the_operator_staff_must_be_an_id() -> None:
    error = _refusal(TERRITORY_TOML.replace('operator_staff = "OP1"', "operator_staff = 7"))
    assert error.field == "meuse.toml: operator_staff"


def test_duplicate_keys_in_json_are_refused() -> None:
    text = _json_text().replace(b'"state_chair"', b'"state_chair": "X", "state_chair"', 1)
    with pytest.raises(MalformedInput, match="twice"):
        read_territory(text, source="meuse.json")


def test_a_float_in_json_is_refused() -> None:
    text = _json_text().replace(b'"quorum": 3', b'"quorum": 3.0')
    with pytest.raises(MalformedInput, match="number with decimals"):
        read_territory(text, source="meuse.json")


def test_toml_that_does_not_parse_is_refused_naming_the_file() -> None:
    with pytest.raises(MalformedInput, match=r"meuse.toml: is not valid TOML \(.*line 1"):
        read_territory(b"on = = 2025", source="meuse.toml")


def test_a_byte_order_mark_is_refused() -> None:
    with pytest.raises(MalformedInput, match="byte order mark"):
        read_territory(b"\xef\xbb\xbf" + TERRITORY_TOML.encode(), source="meuse.toml")


def test_bytes_that_are_not_utf8_are_refused() -> None:
    with pytest.raises(MalformedInput, match="not UTF-8"):
        read_territory(TERRITORY_TOML.encode("latin-1"), source="meuse.toml")


def test_an_undated_partner_joins_on_the_day_of_the_entry_before_it() -> None:
    text = TERRITORY_TOML.replace(
        'name = "Aciéries de l\'Est"\n', 'name = "Aciéries de l\'Est"\non = 2025-12-05\n'
    )
    requests = {r.id: r for r, _ in read_territory(text.encode(), source="f")}
    assert requests["init:admit_partner:ENERG"].on == date(2025, 12, 5)
    assert requests["init:admit_partner:TRANS"].on == date(2025, 12, 5)
