"""
The JSON Schemas of the HTTP API (*schémas*): what a command request may hold, read from the
commands' own signatures, and the documents the API answers with.

:func:`request_schemas` gives one schema per command of
:data:`~alize_core.commands.catalogue.COMMANDS`, built from its parameters' types the way
:func:`~alize_core.kernel.serialization.structure` reads them: a record class (attrs) as an
object of its fields, ``Decimal`` as text matching :data:`AMOUNT_PATTERN`, a ``date`` as text
of ``format: date``, an enumeration as its values, a sequence as an array, an optional
value as the value or ``null``, the settings of ``adopt_settings`` as an object of the
settings' names. Unknown keys are refused everywhere, as the reader refuses them.

>>> schemas = request_schemas()
>>> cast = schemas["cast_vote"]
>>> cast["required"], cast["properties"]["ballot"]["enum"]
(['id', 'command', 'on', 'session', 'project', 'ballot'], ['for', 'against', 'abstain'])
>>> schema_of(Decimal, {})["pattern"] == AMOUNT_PATTERN
True

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import NoneType, UnionType
from typing import Any, Final

import attrs

from alize_core.commands.catalogue import COMMANDS, CommandSpec
from alize_core.kernel.settings import SETTINGS, Setting, SettingKind, SettingValue


__all__ = [
    "AMOUNT_PATTERN",
    "DATE",
    "ID",
    "Schema",
    "document_schemas",
    "request_schemas",
    "schema_of",
]

Schema = dict[str, Any]
"""A JSON Schema (2020-12, the dialect of OpenAPI 3.1), as JSON-ready data."""

AMOUNT_PATTERN: Final = r"^-?[0-9]+(\.[0-9]+)?$"
"""An amount as text: digits, a point and decimals (``"520.83"``); never a JSON number."""

DATE: Final[Schema] = {
    "type": "string",
    "format": "date",
    "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
}
"""A date written ``YYYY-MM-DD``."""

ID: Final[Schema] = {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^\S(.*\S)?$"}
"""An id: text without surrounding spaces, at most 200 characters."""

_AMOUNT: Final[Schema] = {
    "type": "string",
    "pattern": AMOUNT_PATTERN,
    "description": 'An amount in euros, as text ("520.83").',
}
_FRACTION: Final[Schema] = {"type": "string", "pattern": r"^[0-9]+/[0-9]+$"}
_SEQUENCES: Final = (Sequence, tuple, list, frozenset, set)


def _ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def schema_of(annotation: object, components: dict[str, Schema]) -> Schema:
    """
    The JSON Schema of a parameter's type; record classes are added to ``components``
    (by class name) and referred to.

    >>> components = {}
    >>> from alize_core.parties.model import PartnerCompany
    >>> schema_of(PartnerCompany | None, components)
    {'anyOf': [{'$ref': '#/components/schemas/PartnerCompany'}, {'type': 'null'}]}
    >>> components["PartnerCompany"]["required"]
    ['id', 'name']
    """
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in {typing.Union, UnionType}:
        kept = [schema_of(a, components) for a in arguments if a is not NoneType]
        if NoneType in arguments:
            kept.append({"type": "null"})
        return kept[0] if len(kept) == 1 else {"anyOf": kept}
    if origin in _SEQUENCES:
        return {"type": "array", "items": schema_of(arguments[0], components)}
    if origin is Mapping and typing.get_origin(arguments[0]) is Setting:
        return _settings_schema()
    return _plain(annotation, components)


def _plain(annotation: object, components: dict[str, Schema]) -> Schema:
    if annotation is bool:
        return {"type": "boolean"}
    if annotation is int:
        return {"type": "integer"}
    if annotation is str:
        return {"type": "string"}
    if annotation is Decimal:
        return dict(_AMOUNT)
    if annotation is date:
        return dict(DATE)
    if annotation is Fraction:
        return dict(_FRACTION)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return {"type": "string", "enum": [member.value for member in annotation]}
    if isinstance(annotation, type) and attrs.has(annotation):
        name = annotation.__name__
        if name not in components:
            components[name] = {}  # taken before its fields, should a field refer back to it
            components[name] = _record_schema(annotation, components)
        return _ref(name)
    msg = f"no JSON Schema for {annotation!r}"
    raise TypeError(msg)


def _record_schema(cls: type, components: dict[str, Schema]) -> Schema:
    hints = typing.get_type_hints(cls)
    properties = {}
    required = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        properties[field.alias] = schema_of(hints[field.name], components)
        if field.default is attrs.NOTHING:
            required.append(field.alias)
    doc = (cls.__doc__ or cls.__name__).strip().splitlines()[0]
    return {
        "type": "object",
        "description": doc,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def _setting_value(setting: Setting[SettingValue]) -> Schema:
    if setting.kind is SettingKind.FLAG:
        return {"type": "boolean"}
    if setting.kind is SettingKind.COUNT:
        return {"type": "integer", "minimum": 0}
    if setting.kind is SettingKind.AMOUNT:
        return {**_AMOUNT, "pattern": AMOUNT_PATTERN.replace("-?", "")}
    if setting.kind is SettingKind.QUORUM:
        return {"anyOf": [{"type": "integer", "minimum": 1}, dict(_FRACTION)]}
    return {"type": "string", "enum": [str(choice) for choice in setting.choices]}


def _settings_schema() -> Schema:
    return {
        "type": "object",
        "description": "Settings by name, each with its value (see GET /rules).",
        "properties": {
            setting.name: {**_setting_value(setting), "description": setting.description}
            for setting in SETTINGS
        },
        "minProperties": 1,
        "additionalProperties": False,
    }


def _command_schema(spec: CommandSpec, components: dict[str, Schema]) -> Schema:
    properties: dict[str, Schema] = {
        "id": {**ID, "description": "The idempotency key: a second request with it is not run."},
        "command": {"type": "string", "const": spec.name},
        "on": {**DATE, "description": "The date the command takes effect."},
    }
    required = ["id", "command", "on"]
    for parameter in spec.parameters:
        properties[parameter.name] = schema_of(parameter.annotation, components)
        if parameter.required:
            required.append(parameter.name)
    return {
        "type": "object",
        "title": spec.name,
        "description": spec.summary,
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def request_schemas(components: dict[str, Schema] | None = None) -> dict[str, Schema]:
    """
    One schema per command, by command name; the record classes they use are added to
    ``components``.
    """
    found = {} if components is None else components
    return {name: _command_schema(spec, found) for name, spec in COMMANDS.items()}


_STEP: Final[Schema] = {
    "type": "object",
    "description": "One check of a decision, passed or not, with its rule.",
    "properties": {
        "rule": {"type": "string"},
        "passed": {"type": "boolean"},
        "warning": {"type": "boolean"},
        "code": {"type": "string"},
        "message": {"type": "string", "description": "In French."},
        "params": {"type": "object"},
        "settings": {"type": "array", "items": {"type": "object"}},
    },
    "required": ["rule", "passed", "warning", "code", "message", "params", "settings"],
}

_DECISION: Final[Schema] = {
    "type": "object",
    "description": "A decision and every step that explains it (alize.decision/1).",
    "properties": {
        "format": {"type": "string", "const": "alize.decision/1"},
        "outcome": {"type": "string"},
        "date": DATE,
        "territory": {"type": "string"},
        "subject": {"type": "string"},
        "rules": {"type": "array", "items": {"type": "string"}},
        "steps": {"type": "array", "items": _ref("Step")},
        "explanation": {"type": "string", "description": "The decision in French."},
    },
    "required": ["format", "outcome", "date", "territory", "subject", "rules", "steps"],
}

_EVENT: Final[Schema] = {
    "type": "object",
    "description": "An event of the journal: its stored body, and its digest in the chain.",
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "kind": {"type": "string"},
        "on": DATE,
        "actor": {"type": "string"},
        "rules": {"type": "array", "items": {"type": "string"}},
        "payload": {"type": "object"},
        "digest": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    },
    "required": ["id", "kind", "on", "actor", "rules", "payload", "digest"],
    "additionalProperties": False,
}

_RECORDED: Final[Schema] = {
    "type": "object",
    "description": "What became of a command: recorded now, or recorded before under its id.",
    "properties": {
        "status": {"type": "string", "enum": ["recorded", "already_recorded"]},
        "id": {"type": "string"},
        "command": {"type": "string"},
        "events": {"type": "array", "items": _ref("Event")},
        "decision": {"anyOf": [_ref("Decision"), {"type": "null"}]},
    },
    "required": ["status", "id", "command", "events", "decision"],
    "additionalProperties": False,
}

_ERROR: Final[Schema] = {
    "type": "object",
    "description": "Every answer that is not a success.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string", "description": "A stable machine code."},
                "message": {"type": "string", "description": "In words, naming the culprit."},
                "field": {"type": ["string", "null"]},
                "value": {"type": ["string", "null"], "description": "The value refused."},
                "rules": {"type": "array", "items": {"type": "string"}},
                "decision": {"anyOf": [_ref("Decision"), {"type": "null"}]},
            },
            "required": ["status", "code", "message"],
        }
    },
    "required": ["error"],
    "additionalProperties": False,
}


def document_schemas() -> dict[str, Schema]:
    """The schemas of the answers common to every endpoint: events, decisions, errors."""
    return {
        "Step": _STEP,
        "Decision": _DECISION,
        "Event": _EVENT,
        "Recorded": _RECORDED,
        "Error": _ERROR,
    }
