"""
The territory file (*fiche du territoire*): a territory written by hand in TOML (or JSON),
read into the command requests that found its register — what ``alize init`` records.

A territory file says who the territory is, who runs it and who joins it::

    # Who proposes the territory, and when: these keys come before the first [table].
    on = 2025-11-03                   # the day the territory is proposed (a plain date)
    operator_staff = "OP1"            # the operator's staff member who records it
    national_committee = "CN"         # the id the national committee acts under (NAT-01)
    state_chair = "PREFET"            # the State's representative chairing the steering committee

    [territory]
    id = "MEUSE"
    name = "Vallée de la Meuse"
    departements = ["55"]             # optional, as communes = ["55029", …]

    [operator]                        # the local operator (OP-01…03)
    id = "CCI55"
    name = "CCI Meuse Haute-Marne"
    kind = "chamber_of_commerce"      # optional: initiative_platform, development_agency, other

    [prefecture]                      # chairs the steering committee (PIL-01)
    id = "PREF55"
    name = "Préfecture de la Meuse"
    kind = "prefecture"               # or sub_prefecture

    [settings]                        # optional: the territory's own rules
    section = "règlement intérieur, article 4"   # optional: where the rules say so
    on = 2025-11-03                   # optional: from when (default: the proposal's day)
    [settings.values]
    quorum = 3
    rounding = "down"

    [validation]                      # optional: the national committee's validation
    on = 2025-12-01

    [[partners]]                      # one table per partner company (OP-02)
    id = "ACIER"
    name = "Aciéries de l'Est"
    siren = "552100554"               # optional
    grants_subsidised_loans = true    # optional (default false)
    on = 2025-12-02                   # optional (default: the day of the entry before)

    [[people]]                        # optional: one table per person enrolled
    id = "R1"
    role = "company_representative"   # operator_staff, mentor, state_representative…
    organisation = "ACIER"
    category = "executive"            # mentors only: executive or technician
    in_activity = true                # optional (default true; GOV-05)
    on = 2025-12-03                   # optional, as for partners

The file gives, in this order: ``propose_territory`` (by ``operator_staff``, who is
enrolled as the operator's staff), ``adopt_settings`` when there is a ``[settings]``
table (by ``operator_staff``), ``validate_territory`` when there is a ``[validation]``
table (by the national committee), ``admit_partner`` for each partner and
``enrol_person`` for each person (by ``operator_staff``). Each request's idempotency key
comes from the file's content: ``init:propose_territory``, ``init:adopt_settings``,
``init:validate_territory``, ``init:admit_partner:ACIER``, ``init:enrol_person:R1``.

The reading is strict, and every refusal is an
:class:`~alize_core.kernel.errors.AlizeError` naming the file and the key:

- a key the file's shape does not have is refused, with its path (``partners[1].colour``);
- a number with decimals is refused wherever it is (amounts and rates are text);
- a date is a plain date (``2025-11-03``, or the same as text): a TOML date-time or time
  is refused;
- JSON is read with the same shape, strictly (no duplicate key, no number with decimals).

>>> text = '''
... on = 2025-11-03
... operator_staff = "OP1"
... national_committee = "CN"
... state_chair = "PREFET"
... [territory]
... id = "MEUSE"
... name = "Vallée de la Meuse"
... departements = ["55"]
... [operator]
... id = "CCI55"
... name = "CCI Meuse"
... [prefecture]
... id = "PREF55"
... name = "Préfecture de la Meuse"
... kind = "prefecture"
... [validation]
... on = 2025-12-01
... [[partners]]
... id = "ACIER"
... name = "Aciéries de l'Est"
... '''.encode()
>>> [(request.id, actor) for request, actor in read_territory(text, source="meuse.toml")]
[('init:propose_territory', 'OP1'), ('init:validate_territory', 'CN'), ('init:admit_partner:ACIER', 'OP1')]
>>> read_territory(text + b'colour = "red"', source="meuse.toml")
Traceback (most recent call last):
...
alize_core.kernel.errors.MalformedInput: meuse.toml: partners[0].colour: is not a field alize knows here
>>> read_territory(text.replace(b"on = 2025-12-01", b"on = 2025-12-01T09:00:00"), source="meuse.toml")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: meuse.toml: validation.on: datetime.datetime(2025, 12, 1, 9, 0) is a date and time; write a plain date, e.g. 2025-12-01

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable, Mapping
from datetime import date, datetime, time
from typing import Any, Final

from alize_core.commands.catalogue import CommandRequest, read_request
from alize_core.kernel.errors import AlizeError, InvalidValue, MalformedInput, MissingValue
from alize_core.kernel.jsontext import DecimalText, parse_json


__all__ = ["INIT_PREFIX", "TERRITORY_KEYS", "read_territory", "territory_data"]

INIT_PREFIX: Final = "init"
"""How the idempotency keys of a territory file's requests begin."""

TERRITORY_KEYS: Final[Mapping[str, frozenset[str]]] = {
    "": frozenset(
        {
            "on",
            "operator_staff",
            "national_committee",
            "state_chair",
            "territory",
            "operator",
            "prefecture",
            "settings",
            "validation",
            "partners",
            "people",
        }
    ),
    "settings": frozenset({"on", "section", "values"}),
    "validation": frozenset({"on"}),
    "people": frozenset({"id", "role", "organisation", "category", "in_activity", "on"}),
}
"""The keys of the file's top level and of its tables whose keys alize checks itself (the
records — territory, operator, prefecture, partners — are checked as the requests read them)."""

_REQUIRED: Final = ("on", "operator_staff", "national_committee", "state_chair")

Where = Callable[[str], str]
Request = tuple[CommandRequest, str]


def _parse(text: bytes, source: str) -> object:
    if text.startswith(b"\xef\xbb\xbf"):
        msg = "begins with a byte order mark; save it as UTF-8 without one"
        raise MalformedInput(source, None, msg)
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        msg = f"is not UTF-8 text (byte {exc.start + 1} cannot be read)"
        raise MalformedInput(source, None, msg) from None
    if decoded.lstrip().startswith("{") or source.lower().endswith(".json"):
        return parse_json(decoded, strict=True, field=source)
    try:
        return tomllib.loads(decoded, parse_float=DecimalText)
    except tomllib.TOMLDecodeError as exc:
        raise MalformedInput(source, None, f"is not valid TOML ({exc})") from None


def _check(value: object, path: str) -> None:
    """Refuse what a territory file never holds: numbers with decimals, times, date-times."""
    if isinstance(value, DecimalText):
        msg = f'is a number with decimals; write amounts and rates as text, e.g. "{value}"'
        raise InvalidValue(path, str(value), msg)
    if isinstance(value, datetime):
        msg = f"is a date and time; write a plain date, e.g. {value.date().isoformat()}"
        raise InvalidValue(path, value, msg)
    if isinstance(value, time):
        raise InvalidValue(path, value, "is a time; write a plain date, e.g. 2025-11-03")
    if isinstance(value, dict):
        for key, item in value.items():
            _check(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check(item, f"{path}[{index}]")


def _date_text(value: object) -> object:
    """A TOML date as the ISO text a request reads; anything else as it is."""
    return value.isoformat() if isinstance(value, date) else value


def _table(data: Mapping[str, object], key: str) -> dict[str, Any]:
    value = data.get(key)
    if not isinstance(value, dict):
        raise MalformedInput(key, None, "must be a table of keys and values")
    return value


def _known(table: Mapping[str, object], keys: frozenset[str], path: str) -> None:
    for key in table:
        if key not in keys:
            where = f"{path}.{key}" if path else key
            accepted = ", ".join(sorted(keys))
            raise MalformedInput(where, None, f"is not a key of a territory file here ({accepted})")


def _entries(data: Mapping[str, object], key: str) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise MalformedInput(key, None, f"must be a list of tables ([[{key}]])")
    return value


def _read(data: dict[str, object], where: Where) -> Request:
    try:
        request, actor = read_request(data, with_actor=True)
    except AlizeError as exc:
        raise type(exc)(where(exc.field), exc.value, exc.reason) from None
    assert actor is not None
    return request, actor


def _renamed(names: Mapping[str, str], prefix: str) -> Where:
    """A request's field as the file's key: a name of ``names``, else under ``prefix``."""

    def where(field: str) -> str:
        head = field.split(".", 1)[0].split("[", 1)[0]
        if head in names:
            return names[head] + field[len(head) :]
        return f"{prefix}.{field}" if prefix else field

    return where


def territory_data(data: object) -> tuple[Request, ...]:
    """
    The requests of a territory file already parsed (TOML tables or a JSON object).

    Raises:
        MalformedInput: A key the file's shape does not have, or a value of the wrong shape
            (its key is named).
        MissingValue: A required key is missing.
        InvalidValue: A value a request refuses (a number with decimals, a date-time…).

    .. versionadded:: 0.1.0
    """
    if not isinstance(data, dict):
        raise MalformedInput("$", None, "must be a table of keys and values")
    _check(data, "")
    _known(data, TERRITORY_KEYS[""], "")
    for key in (*_REQUIRED, "territory", "operator", "prefecture"):
        if key not in data:
            raise MissingValue(key, None)
    staff = data["operator_staff"]
    proposed_on = _date_text(data["on"])
    requests = [
        _read(
            {
                "id": f"{INIT_PREFIX}:propose_territory",
                "command": "propose_territory",
                "on": proposed_on,
                "actor": staff,
                **{key: data[key] for key in ("national_committee", "state_chair")},
                **{key: _table(data, key) for key in ("territory", "operator", "prefecture")},
            },
            _renamed({"actor": "operator_staff"}, ""),
        )
    ]
    if "settings" in data:
        settings = _table(data, "settings")
        _known(settings, TERRITORY_KEYS["settings"], "settings")
        if "values" not in settings:
            raise MissingValue("settings.values", None)
        request = {
            "id": f"{INIT_PREFIX}:adopt_settings",
            "command": "adopt_settings",
            "on": _date_text(settings.get("on", data["on"])),
            "actor": staff,
            "values": settings["values"],
        }
        if "section" in settings:
            request["section"] = settings["section"]
        requests.append(_read(request, _renamed({"actor": "operator_staff"}, "settings")))
    joined_on = proposed_on
    if "validation" in data:
        validation = _table(data, "validation")
        _known(validation, TERRITORY_KEYS["validation"], "validation")
        if "on" not in validation:
            raise MissingValue("validation.on", None)
        joined_on = _date_text(validation["on"])
        request = {
            "id": f"{INIT_PREFIX}:validate_territory",
            "command": "validate_territory",
            "on": joined_on,
            "actor": data["national_committee"],
        }
        requests.append(_read(request, _renamed({"actor": "national_committee"}, "validation")))
    for index, partner in enumerate(_entries(data, "partners")):
        path = f"partners[{index}]"
        fields = {key: value for key, value in partner.items() if key != "on"}
        request = {
            "id": f"{INIT_PREFIX}:admit_partner:{fields.get('id')}",
            "command": "admit_partner",
            "on": _date_text(partner.get("on", joined_on)),  # default: the entry before
            "actor": staff,
            "partner": fields,
        }
        where = _renamed({"actor": "operator_staff", "partner": path, "on": f"{path}.on"}, path)
        requests.append(_read(request, where))
        joined_on = request["on"]
    for index, person in enumerate(_entries(data, "people")):
        path = f"people[{index}]"
        _known(person, TERRITORY_KEYS["people"], path)
        if "id" not in person:
            raise MissingValue(f"{path}.id", None)
        request = {
            "id": f"{INIT_PREFIX}:enrol_person:{person['id']}",
            "command": "enrol_person",
            "on": _date_text(person.get("on", joined_on)),  # default: the entry before
            "actor": staff,
            "person": person["id"],
            **{key: value for key, value in person.items() if key not in {"id", "on"}},
        }
        where = _renamed({"actor": "operator_staff", "person": f"{path}.id"}, path)
        requests.append(_read(request, where))
        joined_on = request["on"]
    return tuple(requests)


def read_territory(text: bytes, *, source: str) -> tuple[Request, ...]:
    """
    The requests that found a territory, from a territory file's bytes, with their actors.

    Args:
        text: The file's content: TOML, or JSON (an object; a file named ``*.json``).
        source: The file's name, to name in errors (``-`` for standard input).

    Raises:
        MalformedInput: Not UTF-8, a byte order mark, not TOML or JSON, a key the shape
            does not have.
        MissingValue: A required key is missing.
        InvalidValue: A value the file or a request refuses.

    Every error names the file and the key: ``meuse.toml: partners[1].siren: …``.

    .. versionadded:: 0.1.0
    """
    data = _parse(text, source)
    try:
        return territory_data(data)
    except AlizeError as exc:
        raise type(exc)(f"{source}: {exc.field}", exc.value, exc.reason) from None
