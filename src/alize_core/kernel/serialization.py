"""
JSON for every public type (*sérialisation*): the one module that knows cattrs.

Dates are ISO text, amounts are text (``"25000.00"``, never a JSON number with
decimals), sets are sorted lists, and every document carries a schema version.
Malformed input raises :class:`~alize_core.kernel.errors.MalformedInput` naming the
path of the culprit.

>>> from alize_core.parties.model import PartnerCompany
>>> text = dumps(PartnerCompany("C1", "Aciéries de l'Est"))
>>> text
'{"alize":1,"type":"PartnerCompany","data":{"id":"C1","name":"Aciéries de l\\'Est","siren":null,"grants_subsidised_loans":false}}'
>>> loads(text, PartnerCompany)
PartnerCompany(id='C1', name="Aciéries de l'Est", siren=None, grants_subsidised_loans=False)
>>> structure({"id": "C1", "name": "X", "colour": "red"}, PartnerCompany)
Traceback (most recent call last):
...
alize_core.kernel.errors.MalformedInput: colour: is not a field alize knows here

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import typing
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any, Final, TypeVar

import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from alize_core.kernel.decisions import Param, Step
from alize_core.kernel.errors import AlizeError, InvalidValue, MalformedInput
from alize_core.kernel.jsontext import DecimalText, dump_json, parse_json
from alize_core.kernel.money import to_money
from alize_core.kernel.rules import Citation, rule
from alize_core.kernel.settings import SettingValue, SettingVersion, setting_named
from alize_core.kernel.validation import digits, read_iso_date


__all__ = [
    "SCHEMA_VERSION",
    "converter",
    "dumps",
    "loads",
    "structure",
    "unstructure",
]

SCHEMA_VERSION: Final = 1
"""The version of the JSON documents alize writes and reads."""

T = TypeVar("T")


def _structure_decimal(value: object, _type: object) -> Decimal:
    if isinstance(value, DecimalText):
        msg = f'is a number with decimals; write amounts as text, e.g. "{value}"'
        raise InvalidValue("amount", value, msg)
    return to_money(value, field="amount")


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidValue("number", value, "must be a whole number")
    return value


def _structure_str(value: object, _type: object) -> str:
    if not isinstance(value, str) or isinstance(value, DecimalText):
        raise InvalidValue("text", value, "must be text")
    return value


def _structure_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue("flag", value, "must be true or false")
    return value


def _structure_date(value: object, _type: object) -> date:
    if isinstance(value, DecimalText):
        raise InvalidValue("date", value, "must be a date written YYYY-MM-DD")
    return read_iso_date(value, field="date")


def _structure_fraction(value: object, _type: object) -> Fraction:
    if isinstance(value, str) and "/" in value and not isinstance(value, DecimalText):
        top, _, bottom = value.partition("/")
        if digits(top) and digits(bottom) and int(bottom):
            return Fraction(int(top), int(bottom))
    raise InvalidValue("fraction", value, 'must be a fraction written like "1/2"')


def _is_frozenset(cls: object) -> bool:
    return cls is frozenset or typing.get_origin(cls) is frozenset


def _is_enum(cls: object) -> bool:
    return isinstance(cls, type) and issubclass(cls, enum.Enum)


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    for member in cls:
        if value == member.value and not isinstance(value, DecimalText | bool):
            return member
    words = ", ".join(str(m.value) for m in cls)
    raise InvalidValue("choice", value, f"must be one of {words}")


def _structure_by_class(value: object, cls: type) -> object:
    """The strict hooks, for the classes cattrs dispatches by class (str, int, bool, enums)."""
    if cls is bool:
        return _structure_bool(value, cls)
    if cls is int:
        return _structure_int(value, cls)
    if cls is str:
        return _structure_str(value, cls)
    if _is_enum(cls):
        return _structure_enum(value, cls)
    return cls(value)


def _unstructure_param(value: Param) -> object:
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, Fraction):
        return {"fraction": f"{value.numerator}/{value.denominator}"}
    return value


def _structure_param(value: object) -> Param:
    if isinstance(value, dict) and len(value) == 1:
        ((tag, text),) = value.items()
        if tag == "decimal":
            return _structure_decimal(text, Decimal)
        if tag == "date":
            return _structure_date(text, date)
        if tag == "fraction":
            return _structure_fraction(text, Fraction)
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, str) and not isinstance(value, DecimalText):
        return value
    raise InvalidValue("parameter", value, "is not a parameter alize writes")


def _unstructure_setting_value(value: SettingValue) -> object:
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal | enum.Enum):
        return str(value)
    return value


def _make_converter() -> cattrs.Converter:
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(date, date.isoformat)
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(datetime, datetime.isoformat)
    conv.register_unstructure_hook(Fraction, lambda value: f"{value.numerator}/{value.denominator}")
    conv.register_structure_hook(Fraction, _structure_fraction)
    # Exact-type predicates, so that enums (subclasses of str) keep their own hook.
    conv.register_structure_hook_func(lambda cls: cls is int, _structure_int)
    conv.register_structure_hook_func(lambda cls: cls is str, _structure_str)
    conv.register_structure_hook_func(lambda cls: cls is bool, _structure_bool)
    conv.register_unstructure_hook_func(_is_frozenset, sorted)
    conv.register_structure_hook_func(_is_enum, _structure_enum)
    # cattrs dispatches str and int by class before any predicate, and so bool and the
    # str and int enums too: hand those back to the strict hooks.
    conv.register_structure_hook(str, _structure_by_class)
    conv.register_structure_hook(int, _structure_by_class)

    def unstructure_version(version: SettingVersion) -> dict[str, object]:
        return {
            "name": version.name,
            "value": _unstructure_setting_value(version.value),
            "start": version.start.isoformat(),
            "end": version.end.isoformat() if version.end else None,
            "territory": version.territory,
            "citation": conv.unstructure(version.citation),
        }

    def structure_version(data: object, _type: object) -> SettingVersion:
        if not isinstance(data, dict):
            raise InvalidValue("setting", data, "must be an object")
        expected = {"name", "value", "start", "end", "territory", "citation"}
        extra = set(data) - expected
        if extra:
            raise InvalidValue(sorted(extra)[0], data, "is not a field alize knows here")
        definition = setting_named(_structure_str(data.get("name"), str))
        end = data.get("end")
        territory = data.get("territory")

        return SettingVersion(
            definition.name,
            definition.parse(data.get("value"), field="value"),
            _structure_date(data.get("start"), date),
            None if end is None else _structure_date(end, date),
            None if territory is None else _structure_str(territory, str),
            conv.structure(data.get("citation"), Citation),
        )

    conv.register_unstructure_hook(SettingVersion, unstructure_version)
    conv.register_structure_hook(SettingVersion, structure_version)

    def unstructure_step(step: Step) -> dict[str, object]:
        return {
            "rule": step.rule,
            "passed": step.passed,
            "code": step.code,
            "template": step.template,
            "parameters": [[k, _unstructure_param(v)] for k, v in step.parameters],
            "settings_used": [unstructure_version(s) for s in step.settings_used],
            "warning": step.warning,
        }

    def structure_parameters(data: object, _type: object) -> tuple[tuple[str, Param], ...]:
        if not isinstance(data, list):
            raise InvalidValue("parameters", data, "must be a list of [name, value] pairs")
        pairs = []
        for pair in data:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise InvalidValue("parameters", pair, "must be a [name, value] pair")
            pairs.append((_structure_str(pair[0], str), _structure_param(pair[1])))
        return tuple(pairs)

    def structure_step(data: object, _type: object) -> Step:
        if not isinstance(data, dict):
            raise InvalidValue("step", data, "must be an object")
        expected = {"rule", "passed", "code", "template", "parameters", "settings_used", "warning"}
        extra = set(data) - expected
        if extra:
            raise InvalidValue(sorted(extra)[0], data, "is not a field alize knows here")
        missing = expected - set(data)
        if missing:
            raise KeyError(sorted(missing)[0])
        settings = data["settings_used"]
        if not isinstance(settings, list):
            raise InvalidValue("settings_used", settings, "must be a list")
        return Step(
            rule(_structure_str(data["rule"], str)).id,
            _structure_bool(data["passed"], bool),
            _structure_str(data["code"], str),
            _structure_str(data["template"], str),
            structure_parameters(data["parameters"], tuple),
            tuple(structure_version(s, SettingVersion) for s in settings),
            _structure_bool(data["warning"], bool),
        )

    conv.register_unstructure_hook(Step, unstructure_step)
    conv.register_structure_hook(Step, structure_step)
    return conv


converter: Final = _make_converter()
"""The cattrs converter alize uses everywhere (strict: no floats, no unknown keys)."""


def unstructure(value: object) -> Any:
    """A public value as JSON-ready data (dicts, lists, text, whole numbers, booleans)."""
    return converter.unstructure(value)


def _paths(exc: BaseException, path: str) -> list[tuple[str, BaseException]]:
    if isinstance(exc, ClassValidationError | IterableValidationError):
        found: list[tuple[str, BaseException]] = []
        if isinstance(exc, ClassValidationError):
            with_notes, without = exc.group_exceptions()
            for inner, note in with_notes:
                found.extend(_paths(inner, f"{path}.{note.name}" if path else note.name))
        else:
            with_index, without = exc.group_exceptions()
            for inner, inote in with_index:
                found.extend(_paths(inner, f"{path}[{inote.index!r}]"))
        found.extend((path, inner) for inner in without)
        return found
    return [(path, exc)]


def _describe(path: str, exc: BaseException) -> MalformedInput:
    if isinstance(exc, ForbiddenExtraKeysError):
        key = sorted(exc.extra_fields)[0]
        where = f"{path}.{key}" if path else key
        return MalformedInput(where, None, "is not a field alize knows here")
    if isinstance(exc, KeyError):
        name = str(exc.args[0]) if exc.args else "?"
        where = (
            path
            if path.rsplit(".", maxsplit=1)[-1] == name
            else (f"{path}.{name}" if path else name)
        )
        return MalformedInput(where, None, "is required and missing")
    if isinstance(exc, InvalidValue):
        generic = exc.field in {
            "amount",
            "number",
            "text",
            "flag",
            "date",
            "fraction",
            "setting",
            "choice",
        }
        where = path if generic or not exc.field else (f"{path}.{exc.field}" if path else exc.field)
        if path.endswith(exc.field):
            where = path
        return MalformedInput(where or exc.field, exc.value, exc.reason)
    if isinstance(exc, AlizeError):
        if path:  # the error's own message, field and value included, under the path
            return MalformedInput(path, None, str(exc))
        return MalformedInput(exc.field, exc.value, exc.reason)
    if isinstance(exc, TypeError | ValueError | AttributeError):
        return MalformedInput(path or "$", None, "does not have the expected shape")
    raise exc


def structure(data: object, cls: type[T]) -> T:
    """
    Build a public value from JSON-ready data, checking every field.

    Raises:
        MalformedInput: A field is missing, unknown or invalid; its path is named
            (e.g. ``attendees[2].role``).
    """
    try:
        return converter.structure(data, cls)
    except (ClassValidationError, IterableValidationError) as exc:
        problems = _paths(exc, "")
        path, inner = problems[0]
        raise _describe(path, inner) from None
    except (AlizeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise _describe("", exc) from None


def dumps(value: object) -> str:
    """A public value as a JSON document with the schema version and its type."""
    envelope = {
        "alize": SCHEMA_VERSION,
        "type": type(value).__name__,
        "data": unstructure(value),
    }
    return dump_json(envelope, ascii=False)


def loads(text: str | bytes, cls: type[T]) -> T:
    """
    A public value from a document written by :func:`dumps`.

    Raises:
        MalformedInput: The text is not such a document, or its data is malformed.
    """
    envelope = parse_json(text)
    if not isinstance(envelope, dict) or set(envelope) != {"alize", "type", "data"}:
        raise MalformedInput("$", None, "is not an alize document (alize, type, data)")
    if envelope["alize"] != SCHEMA_VERSION:
        msg = f"has schema version {envelope['alize']!r}; this alize reads {SCHEMA_VERSION}"
        raise MalformedInput("alize", envelope["alize"], msg)
    if envelope["type"] != cls.__name__:
        msg = f"holds a {envelope['type']!r}, not a {cls.__name__}"
        raise MalformedInput("type", envelope["type"], msg)
    return structure(envelope["data"], cls)
