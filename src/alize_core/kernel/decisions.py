"""
Decisions that explain themselves (*décisions motivées*).

A rule check returns a :class:`Decision`: an outcome and the ordered
:class:`Step` s that led to it, the failed ones included, each citing its rule,
with a stable code, the numbers it used and the settings it consulted. A rule
that fails is a result, never an exception.

>>> from datetime import date
>>> MESSAGES = {"quorum.reached": "{present} représentant(s) présent(s), quorum {quorum} atteint"}
>>> step = make_step(MESSAGES, "GOV-04", True, "quorum.reached", present=3, quorum=1)
>>> decision = Decision(Outcome.VALID, date(2026, 3, 12), "T1", "Séance du 12/03/2026", (step,))
>>> print(decision.explain())
Séance du 12/03/2026 : valide.
  ✓ 3 représentant(s) présent(s), quorum 1 atteint (GOV-04)
>>> decision.to_dict()["steps"][0]["code"]
'quorum.reached'

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import french_digits
from alize_core.kernel.rules import rule
from alize_core.kernel.settings import SettingVersion
from alize_core.kernel.validation import (
    check_date,
    check_flag,
    check_id,
    check_text,
    checked,
    member_of,
    tuple_of,
)


__all__ = [
    "DECISION_FORMAT",
    "Decision",
    "Outcome",
    "Param",
    "Step",
    "format_step",
    "french",
    "make_step",
]

DECISION_FORMAT: Final = "alize.decision/1"
"""The version of the machine form returned by :meth:`Decision.to_dict`."""

Param = str | int | bool | Decimal | date | Fraction | None
"""The types a step's parameters may take."""


class Outcome(enum.StrEnum):
    """What a decision came to."""

    ADOPTED = "adopted"
    REJECTED = "rejected"
    NOT_EXAMINED = "not_examined"
    VALID = "valid"
    INVALID = "invalid"
    ACCEPTED = "accepted"
    REFUSED = "refused"

    @property
    def french(self) -> str:
        """The outcome in French, as minutes write it."""
        return _FRENCH_OUTCOMES[self]


_FRENCH_OUTCOMES: Final = {
    Outcome.ADOPTED: "adopté",
    Outcome.REJECTED: "rejeté",
    Outcome.NOT_EXAMINED: "non examiné",
    Outcome.VALID: "valide",
    Outcome.INVALID: "invalide",
    Outcome.ACCEPTED: "accepté",
    Outcome.REFUSED: "refusé",
}


def french(value: Param) -> str:
    """
    A parameter as French text: decimal comma, dates as DD/MM/YYYY, yes/no as oui/non.

    >>> french(Decimal("25000.50")), french(date(2026, 3, 12)), french(True)
    ('25\\xa0000,50', '12/03/2026', 'oui')
    """
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return french_digits(value)
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if value is None:
        return "—"
    return str(value)


def _json_param(value: Param) -> str | int | bool | None:
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _check_rule(value: object, *, field: str) -> None:
    if not isinstance(value, str):
        raise InvalidValue(field, value, "must be the id of a rule of the rulebook")
    rule(value)


def _check_parameters(value: object, *, field: str) -> None:
    if not isinstance(value, tuple):
        raise InvalidValue(field, value, "must be a tuple of (name, value) pairs")
    for pair in value:
        if not (isinstance(pair, tuple) and len(pair) == 2 and isinstance(pair[0], str)):
            raise InvalidValue(field, pair, "must be a (name, value) pair")
        if pair[1] is not None and not isinstance(pair[1], _PARAM_TYPES):
            raise InvalidValue(pair[0], pair[1], "is not a parameter a step can carry")
        if isinstance(pair[1], Decimal) and not pair[1].is_finite():
            raise InvalidValue(pair[0], pair[1], "is not a finite number")


_PARAM_TYPES: Final = (str, int, bool, Decimal, date, Fraction)


@attrs.frozen
class Step:
    """
    One check made on the way to a decision (*étape*), passed or not.

    Attributes:
        rule: The id of the rule the check applies.
        passed: Whether the check passed.
        code: A stable machine code, e.g. ``"quorum.not_reached"``.
        template: The French message, with ``{name}`` for each parameter.
        parameters: The numbers and names the check used, as (name, value) pairs.
        settings_used: The setting versions the check consulted.
        warning: A passed check that still deserves the reader's attention.
    """

    rule: str = attrs.field(validator=checked(_check_rule))
    passed: bool = attrs.field(validator=checked(check_flag))
    code: str = attrs.field(validator=checked(check_id))
    template: str = attrs.field(validator=checked(check_text))
    parameters: tuple[tuple[str, Param], ...] = attrs.field(
        default=(), validator=checked(_check_parameters)
    )
    settings_used: tuple[SettingVersion, ...] = attrs.field(
        default=(), validator=tuple_of(SettingVersion)
    )
    warning: bool = attrs.field(default=False, validator=checked(check_flag))

    def __attrs_post_init__(self) -> None:
        try:
            self.message  # noqa: B018 - rendering once proves the template fits the parameters
        except (KeyError, IndexError, ValueError, AttributeError):
            raise InvalidValue(
                "template", self.template, "asks for a parameter the step does not have"
            ) from None

    @property
    def params(self) -> dict[str, Param]:
        """The parameters as a dictionary."""
        return dict(self.parameters)

    @property
    def message(self) -> str:
        """The French message with its parameters filled in."""
        return self.template.format_map({k: french(v) for k, v in self.parameters})

    @property
    def mark(self) -> str:
        """``✓`` passed, ``✗`` failed, ``!`` passed with a warning (the mark of :func:`format_step`)."""
        if self.warning:
            return "!"
        return "✓" if self.passed else "✗"

    def to_dict(self) -> dict[str, object]:
        """The step in machine form (part of :meth:`Decision.to_dict`)."""
        return {
            "rule": self.rule,
            "passed": self.passed,
            "warning": self.warning,
            "code": self.code,
            "message": self.message,
            "params": {k: _json_param(v) for k, v in self.parameters},
            "settings": [
                {
                    "name": s.name,
                    "value": _json_param(s.value),
                    "start": s.start.isoformat(),
                    "end": s.end.isoformat() if s.end else None,
                    "territory": s.territory,
                    "source": {"document": s.citation.document, "section": s.citation.section},
                }
                for s in self.settings_used
            ],
        }


def make_step(
    messages: Mapping[str, str],
    rule_id: str,
    passed: bool,
    code: str,
    *,
    settings_used: tuple[SettingVersion, ...] = (),
    warning: bool = False,
    **params: Param,
) -> Step:
    """
    A step whose French message comes from a module's table of messages.

    Raises:
        UnknownRule: The rule id is not in the rulebook.
        KeyError: The code has no message (a defect of the calling module).

    .. versionadded:: 0.1.0
    """
    rule(rule_id)
    return Step(
        rule_id,
        passed,
        code,
        messages[code],
        tuple(params.items()),
        settings_used,
        warning,
    )


def format_step(step: Step, indent: str = "  ") -> str:
    """
    A step as one line of text: its mark, its message and its rule; the one rendering of a step
    used by decisions, minutes, reports, schedules, loan accounts and the CLI.

    >>> step = make_step({"ok": "quorum atteint"}, "GOV-04", True, "ok")
    >>> format_step(step)
    '  ✓ quorum atteint (GOV-04)'
    >>> format_step(make_step({"no": "quorum manqué"}, "GOV-04", False, "no"), indent="")
    '✗ quorum manqué (GOV-04)'

    .. versionadded:: 0.1.0
    """
    return f"{indent}{step.mark} {step.message} ({step.rule})"


@attrs.frozen
class Decision:
    """
    The outcome of a rule check and the steps that explain it (*décision*).

    Attributes:
        outcome: What it came to (:class:`Outcome`).
        on: The date the decision applies to.
        territory: The territory's id.
        subject: What was decided, in French (e.g. ``"Projet P1"``).
        steps: Every check, in order, the failed ones included.
    """

    outcome: Outcome = attrs.field(validator=member_of(Outcome))
    on: date = attrs.field(validator=checked(check_date))
    territory: str = attrs.field(validator=checked(check_id))
    subject: str = attrs.field(validator=checked(check_text))
    steps: tuple[Step, ...] = attrs.field(validator=tuple_of(Step))

    @property
    def rules(self) -> tuple[str, ...]:
        """The ids of the rules the steps applied, in order, each once."""
        return tuple(dict.fromkeys(step.rule for step in self.steps))

    @property
    def failed(self) -> tuple[Step, ...]:
        """The steps that did not pass: the *why not*."""
        return tuple(step for step in self.steps if not step.passed)

    @property
    def warnings(self) -> tuple[Step, ...]:
        """The passed steps flagged for the reader's attention."""
        return tuple(step for step in self.steps if step.warning)

    def explain(self) -> str:
        """The decision in French, one line per step, for minutes and letters."""
        lines = [f"{self.subject} : {self.outcome.french}."]
        lines += [format_step(step) for step in self.steps]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, object]:
        """
        The decision in a versioned machine form (``format`` is :data:`DECISION_FORMAT`).
        """
        return {
            "format": DECISION_FORMAT,
            "outcome": self.outcome.value,
            "date": self.on.isoformat(),
            "territory": self.territory,
            "subject": self.subject,
            "rules": list(self.rules),
            "steps": [step.to_dict() for step in self.steps],
            "explanation": self.explain(),
        }
