"""
The commands by name (*catalogue des commandes*): what a line of a record file or a request
to the HTTP API asks, read into a call of the command it names.

A **command request** is a JSON object: ``id`` (its idempotency key: a request whose id
is already recorded is not run twice), ``command`` (the name of a command of
:mod:`alize_core.commands`), ``on`` (the date it takes effect, ``YYYY-MM-DD``), ``actor``
where the door takes it from the request (a record file; the HTTP API takes it from the
token), and the command's arguments by their parameter names, in the JSON form alize's
own outputs use (amounts as text, dates as ISO text, records as objects).
:func:`read_request` reads one, checking every field; the same request always gives the
same :meth:`CommandRequest.digest`, whatever the spelling of its amounts or the order of
its keys, so that a replay is recognised and a different command under a used id is not.

>>> from alize_core.register.views import Register
>>> request, actor = read_request({
...     "id": "prop-1", "command": "propose_territory", "on": "2025-11-03", "actor": "OP1",
...     "territory": {"id": "MEUSE", "name": "Vallée de la Meuse", "departements": ["55"]},
...     "operator": {"id": "CCI55", "name": "CCI Meuse"},
...     "prefecture": {"id": "PREF55", "name": "Préfecture", "kind": "prefecture"},
...     "national_committee": "CN", "state_chair": "PREFET"})
>>> result = request.run(Register.empty(), actor)
>>> result.accepted, [event.kind.value for event in result.events]
(True, ['territory_proposed'])
>>> from alize_core.kernel.jsontext import parse_json
>>> read_request(parse_json('''{"id": "r2", "command": "receive_repayment",
...     "on": "2026-03-02", "actor": "OP1", "project": "P1", "amount": 520.83}'''))
Traceback (most recent call last):
...
alize_core.kernel.errors.MalformedInput: amount: '520.83' is a number with decimals; write amounts as text, e.g. "520.83"
>>> read_request({"id": "r3", "command": "repay", "on": "2026-03-02", "actor": "OP1"})
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: command: 'repay' is not a command alize knows (see `alize record --help`)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import hashlib
import inspect
import typing
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from alize_core.commands import accompaniment, advances, committee, fund, steering, territory
from alize_core.commands import settings as settings_commands
from alize_core.commands.base import CommandResult
from alize_core.kernel.errors import InvalidValue, MalformedInput, MissingValue
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.serialization import converter, structure, unstructure
from alize_core.kernel.settings import Setting, SettingValue, setting_named
from alize_core.kernel.validation import check_id
from alize_core.register.views import Register


__all__ = [
    "COMMANDS",
    "ENVELOPE",
    "CommandRequest",
    "CommandSpec",
    "Parameter",
    "command_named",
    "read_request",
]

ENVELOPE: Final = ("id", "command", "on", "actor")
"""The fields of a request that are not the command's arguments."""

_NOT_ARGUMENTS: Final = frozenset({"register", "on", "actor"})


@attrs.frozen
class Parameter:
    """
    One argument of a command.

    Attributes:
        name: Its name, as the request spells it.
        annotation: Its Python type (a record class, ``Decimal``, ``Sequence[str]``…).
        required: Whether a request must give it.
        default: Its value when not given (``None`` when required).
    """

    name: str
    annotation: Any
    required: bool
    default: object = None


def _read_settings(value: object, *, field: str) -> dict[Setting[SettingValue], object]:
    if not isinstance(value, dict) or not value:
        raise MalformedInput(field, None, 'must be an object of settings, e.g. {"quorum": 3}')
    read: dict[Setting[SettingValue], object] = {}
    for name, raw in value.items():
        setting = setting_named(name)
        read[setting] = setting.parse(raw, field=f"{field}.{name}")
    return read


def _write_settings(value: object, write: Callable[[object], object]) -> object:
    assert isinstance(value, Mapping)
    return {setting.name: write(raw) for setting, raw in value.items()}


@attrs.frozen
class CommandSpec:
    """
    A command as requests name it: its function and its arguments.

    Attributes:
        name: The command's name (``disburse_advance``).
        function: The command of :mod:`alize_core.commands` it calls.
        parameters: Its arguments, in the function's order.
        summary: The first line of its documentation.
    """

    name: str
    function: Callable[..., CommandResult]
    parameters: tuple[Parameter, ...]
    summary: str

    @classmethod
    def of(cls, function: Callable[..., CommandResult]) -> CommandSpec:
        """The spec of a command function, read from its signature and type hints."""
        hints = typing.get_type_hints(function)
        parameters = tuple(
            Parameter(
                name,
                hints[name],
                parameter.default is inspect.Parameter.empty,
                None if parameter.default is inspect.Parameter.empty else parameter.default,
            )
            for name, parameter in inspect.signature(function).parameters.items()
            if name not in _NOT_ARGUMENTS
        )
        summary = (inspect.getdoc(function) or function.__name__).splitlines()[0]
        return cls(function.__name__, function, parameters, summary)

    def read_arguments(self, data: Mapping[str, object]) -> dict[str, object]:
        """
        The command's arguments from a request's fields (envelope fields excluded).

        Raises:
            MalformedInput: A field the command does not take, or a value of the wrong
                shape (its path is named).
            MissingValue: A required argument is not given.
        """
        known = {parameter.name: parameter for parameter in self.parameters}
        for name in data:
            if name not in known and name not in ENVELOPE:
                accepted = ", ".join(known) or "no argument"
                msg = f"is not an argument of {self.name} (it takes {accepted})"
                raise MalformedInput(name, None, msg)
        arguments: dict[str, object] = {}
        for parameter in self.parameters:
            if parameter.name not in data:
                if parameter.required:
                    raise MissingValue(parameter.name, None)
                continue
            arguments[parameter.name] = _read(parameter, data[parameter.name])
        return arguments


def _read(parameter: Parameter, value: object) -> object:
    if _is_settings(parameter.annotation):
        return _read_settings(value, field=parameter.name)
    try:
        return structure(value, parameter.annotation)
    except MalformedInput as exc:
        path = exc.field
        if path in {"$", '""', ""}:
            where = parameter.name
        elif path.startswith("["):
            where = f"{parameter.name}{path}"
        elif path == parameter.name or path.startswith(f"{parameter.name}."):
            where = path
        elif _is_record(parameter.annotation):
            where = f"{parameter.name}.{path}"
        else:
            where = parameter.name
        raise MalformedInput(where, exc.value, exc.reason) from None


def _is_settings(annotation: object) -> bool:
    """Whether a parameter takes settings and their values (``Mapping[Setting, object]``)."""
    if typing.get_origin(annotation) is not Mapping:
        return False
    key = typing.get_args(annotation)[0]
    return (typing.get_origin(key) or key) is Setting


def _is_record(annotation: object) -> bool:
    return isinstance(annotation, type) and attrs.has(annotation)


def _write(parameter: Parameter, value: object, write: Callable[[object], object]) -> object:
    if _is_settings(parameter.annotation):
        return _write_settings(value, write)
    return write(value)


def _plain(amount: Decimal) -> str:
    """An amount's one spelling in digests: ``1000``, ``1000.0`` and ``1000.00`` are ``1000``."""
    return format(amount.normalize(), "f")


_CANONICAL: Final = converter.copy()
_CANONICAL.register_unstructure_hook(Decimal, _plain)
"""The converter of digests: alize's own, with every amount in its one spelling."""


def _specs() -> dict[str, CommandSpec]:
    functions: tuple[Callable[..., CommandResult], ...] = (
        territory.propose_territory,
        territory.validate_territory,
        settings_commands.adopt_settings,
        territory.admit_partner,
        territory.enrol_person,
        territory.update_person,
        territory.sign_convention,
        territory.register_sme,
        territory.identify_project,
        committee.validate_file,
        committee.convene_session,
        committee.open_session,
        committee.cast_vote,
        committee.close_session,
        committee.sign_agreement,
        advances.disburse_advance,
        advances.reschedule_advance,
        advances.receive_repayment,
        advances.record_statement,
        advances.declare_default,
        advances.write_off,
        advances.receive_recovery,
        fund.call_contribution,
        fund.receive_contribution,
        fund.pay_fee,
        accompaniment.grant_mission,
        accompaniment.log_meeting,
        accompaniment.log_time,
        accompaniment.close_project,
        steering.sign_off_review,
    )
    return {function.__name__: CommandSpec.of(function) for function in functions}


COMMANDS: Final[Mapping[str, CommandSpec]] = _specs()
"""Every command a request may name, by name, in the order of a programme's life."""


def command_named(name: object) -> CommandSpec:
    """
    The command of this name.

    Raises:
        InvalidValue: No command has this name.
    """
    if not isinstance(name, str) or name not in COMMANDS:
        msg = "is not a command alize knows (see `alize record --help`)"
        raise InvalidValue("command", name, msg)
    return COMMANDS[name]


@attrs.frozen
class CommandRequest:
    """
    A command asked by name, read and checked: run it on a register with :meth:`run`.

    Attributes:
        id: The idempotency key: the same id is never recorded twice.
        command: The command's spec.
        on: The date it takes effect.
        arguments: Its arguments, as Python values.
    """

    id: str
    command: CommandSpec
    on: date
    arguments: Mapping[str, object]

    def run(self, register: Register, actor: str) -> CommandResult:
        """
        Run the command on a register for an actor.

        Raises:
            CommandRefused: The register cannot take it (e.g. a payment on a closed advance).
            AlizeError: An argument the command itself refuses.
        """
        return self.command.function(register, **self.arguments, on=self.on, actor=actor)

    def to_json(self, actor: str | None = None) -> dict[str, object]:
        """The request in its canonical JSON form (with the actor, when given)."""
        return self._json(actor, unstructure)

    def _json(self, actor: str | None, write: Callable[[object], object]) -> dict[str, object]:
        data: dict[str, object] = {
            "id": self.id,
            "command": self.command.name,
            "on": self.on.isoformat(),
        }
        if actor is not None:
            data["actor"] = actor
        for parameter in self.command.parameters:
            if parameter.name in self.arguments:
                data[parameter.name] = _write(parameter, self.arguments[parameter.name], write)
        return data

    def digest(self, actor: str) -> str:
        """
        The SHA-256 (hexadecimal) of the request and its actor in canonical form: equal for
        the same command however its JSON was spelled.
        """
        text = dump_json(self._json(actor, _CANONICAL.unstructure), sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _on(value: object) -> date:
    if value is None:
        raise MissingValue("on", None)
    try:
        return structure(value, date)
    except MalformedInput as exc:
        raise InvalidValue("on", value, exc.reason) from None


def read_request(data: object, *, with_actor: bool = True) -> tuple[CommandRequest, str | None]:
    """
    Read a command request.

    Args:
        data: The request, parsed from JSON.
        with_actor: Whether the request names its actor (a record file's line); when
            false (the HTTP API, where the token says who acts), an ``actor`` field is refused.

    Returns:
        The request and its actor (``None`` when ``with_actor`` is false).

    Raises:
        MalformedInput: Not an object, or a field of the wrong shape.
        MissingValue: ``id``, ``command``, ``on``, ``actor`` or a required argument is missing.
        InvalidValue: An unknown command, or a bad value.
    """
    if not isinstance(data, dict):
        raise MalformedInput("request", None, "must be a JSON object")
    if "id" not in data:
        raise MissingValue("id", None)
    key = check_id(data["id"], field="id")
    if "command" not in data:
        raise MissingValue("command", None)
    spec = command_named(data["command"])
    on = _on(data.get("on"))
    actor: str | None = None
    if with_actor:
        if "actor" not in data:
            raise MissingValue("actor", None)
        actor = check_id(data["actor"], field="actor")
    elif "actor" in data:
        msg = "is not a field of a request here: the actor is the owner of the token"
        raise MalformedInput("actor", None, msg)
    return CommandRequest(key, spec, on, spec.read_arguments(data)), actor
