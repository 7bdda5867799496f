"""
The fold's state (*état du registre*): plain lists and dicts, JSON-ready, addressed by the
index constants below, and the register's snapshot format (its digest covers the state).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from alize_core.journal.codec import (
    GENESIS,
    Payload,
)
from alize_core.kernel.errors import MalformedInput, shown
from alize_core.kernel.jsontext import parse_json


__all__ = ["SNAPSHOT_FORMAT"]

SNAPSHOT_FORMAT: Final = "alize.register/1"
"""The version of the snapshot form written by :meth:`Register.snapshot`."""

SNAPSHOT_HEAD: Final = b'{"format":"' + SNAPSHOT_FORMAT.encode() + b'","digest":"'
_SNAPSHOT_BODY: Final = len(SNAPSHOT_HEAD) + 64 + len(b'","state":')


# --- The fold's own state: plain lists and dicts, JSON-ready, never shared once frozen. ---

# Fund totals, in cents, by index.
F_CALLED, F_RECEIVED, F_COMMITTED, F_DISBURSED, F_REPAID = 0, 1, 2, 3, 4
F_WRITTEN_OFF, F_RECOVERED, F_FEES, F_CASH, F_OUTSTANDING = 5, 6, 7, 8, 9
FUND_NAMES: Final = (
    "contributions_called",
    "contributions_received",
    "committed",
    "disbursed",
    "repaid",
    "written_off",
    "recovered",
    "fees",
    "cash",
    "outstanding",
)

# An advance, by index.
A_GRANTED, A_COMMITTED, A_DISBURSED, A_REPAID, A_WRITTEN_OFF, A_RECOVERED = 0, 1, 2, 3, 4, 5
A_STATUS, A_COMMITTED_ON, A_DISBURSED_ON, A_TERMS, A_PAYMENTS, A_DEFAULTED_ON = 6, 7, 8, 9, 10, 11
A_SESSION, A_WRITTEN_OFF_ON, A_RECOVERIES = 12, 13, 14
# A snapshot written before the write-off's date and the recoveries were kept holds the
# first 13 fields only: reading it completes them, dated the snapshot's last event.
_ADVANCE_FIELDS: Final = 15

# An advance's terms (A_TERMS): [instalments, frequency, deferral] as agreed at disbursement,
# then, once the rounding is not half up or the advance was rescheduled, its rounding
# (SCH-01) and one [date, instalments, frequency, deferral, payments before, outstanding
# in cents] for each rescheduling (SCH-05).
T_ROUNDING, T_CHANGES = 3, 4


_SHAPES: Final[Mapping[str, type | tuple[type, ...]]] = {
    "version": int,
    "head": str,
    "last_on": str,
    "territory": (dict, type(None)),
    "conventions": list,
    "partners": dict,
    "people": dict,
    "smes": dict,
    "projects": dict,
    "sessions": dict,
    "advances": dict,
    "accounts": dict,
    "fund": list,
    "missions": dict,
    "time": list,
    "reviews": list,
    "flags": list,
    "problems": list,
}
"""The container each part of a register's state is kept in (checked when a snapshot is read)."""


class FoldState:
    """The mutable accumulator of a fold; a :class:`Register` wraps one that no longer changes."""

    __slots__ = (
        "accounts",
        "advances",
        "conventions",
        "flags",
        "fund",
        "head",
        "last_on",
        "missions",
        "partners",
        "people",
        "problems",
        "projects",
        "reviews",
        "sessions",
        "smes",
        "territory",
        "time",
        "version",
    )

    def __init__(self) -> None:
        self.version = 0
        self.head = GENESIS
        self.last_on: str = ""
        self.territory: Payload | None = None
        self.conventions: list[list[Any]] = []
        self.partners: dict[str, Payload] = {}
        self.people: dict[str, list[Any]] = {}
        self.smes: dict[str, Payload] = {}
        self.projects: dict[str, Payload] = {}
        self.sessions: dict[str, Payload] = {}
        self.advances: dict[str, list[Any]] = {}
        self.accounts: dict[str, list[int]] = {}
        self.fund = [0] * 10
        self.missions: dict[str, list[Any]] = {}
        self.time: list[list[Any]] = []
        self.reviews: list[list[Any]] = []
        self.flags: list[list[Any]] = []
        self.problems: list[list[Any]] = []

    def to_data(self) -> dict[str, Any]:
        data = {name: getattr(self, name) for name in self.__slots__}
        data["head"] = self.head.hex()
        return data

    @classmethod
    def from_data(cls, data: object) -> FoldState:
        if not isinstance(data, dict) or set(data) != set(cls.__slots__):
            raise MalformedInput("snapshot", None, "does not hold a register's state")
        state = cls()
        for name in cls.__slots__:
            value = data[name]
            expected = _SHAPES[name]
            if not isinstance(value, expected) or isinstance(value, bool):
                raise MalformedInput(f"snapshot.{name}", None, "does not have the expected shape")
            setattr(state, name, value)
        try:
            state.head = bytes.fromhex(data["head"])
        except (TypeError, ValueError):
            raise MalformedInput("snapshot.head", data["head"], "is not a digest") from None
        if len(state.head) != 32:
            raise MalformedInput("snapshot.head", data["head"], "is not a digest")
        fund: list[Any] = data["fund"]
        if len(fund) != len(FUND_NAMES) or not all(
            isinstance(x, int) and not isinstance(x, bool) for x in fund
        ):
            raise MalformedInput("snapshot.fund", None, "does not hold the fund's totals")
        conventions: list[Any] = data["conventions"]
        if not all(
            isinstance(c, list) and len(c) == 5 and isinstance(c[1], str) and isinstance(c[2], str)
            for c in conventions
        ):
            raise MalformedInput("snapshot.conventions", None, "does not hold conventions")
        return state

    @classmethod
    def from_snapshot(cls, data: bytes) -> FoldState:
        if not isinstance(data, bytes):
            raise MalformedInput("snapshot", None, "is not bytes")
        head, digest, body = (
            data[: len(SNAPSHOT_HEAD)],
            data[len(SNAPSHOT_HEAD) : _SNAPSHOT_BODY],
            data[_SNAPSHOT_BODY:-1],
        )
        if (
            head != SNAPSHOT_HEAD
            or data[_SNAPSHOT_BODY - 10 : _SNAPSHOT_BODY] != b'","state":'
            or data[-1:] != b"}"
        ):
            raise MalformedInput("snapshot.format", None, f"is not {SNAPSHOT_FORMAT}")
        if hashlib.sha256(body).hexdigest().encode() != digest[:64]:
            raise MalformedInput(
                "snapshot.digest", None, "does not match the snapshot's state: it was altered"
            )
        try:
            document = parse_json(body, strict=True, field="snapshot")
        except MalformedInput:
            raise MalformedInput("snapshot", None, "is not JSON") from None
        state = cls.from_data(document)
        try:
            for advance in state.advances.values():
                advance[A_PAYMENTS] = [(on, amount) for on, amount in advance[A_PAYMENTS]]
                if len(advance) < _ADVANCE_FIELDS:
                    recovered = advance[A_RECOVERED]
                    recoveries = [(state.last_on, recovered)] if recovered else []
                    written_off_on = state.last_on if advance[A_WRITTEN_OFF] else None
                    advance[A_WRITTEN_OFF_ON:] = [written_off_on, recoveries]
                advance[A_RECOVERIES] = [(on, amount) for on, amount in advance[A_RECOVERIES]]
        except (TypeError, ValueError, IndexError, KeyError, AttributeError):
            raise MalformedInput("snapshot.advances", None, "does not hold advances") from None
        return state

    def copy(self) -> FoldState:
        """A copy whose containers the fold may change without touching this one."""
        copy = FoldState()
        copy.version = self.version
        copy.head = self.head
        copy.last_on = self.last_on
        copy.territory = None if self.territory is None else dict(self.territory)
        copy.conventions = list(self.conventions)
        copy.partners = dict(self.partners)
        copy.people = {key: list(person) for key, person in self.people.items()}
        copy.smes = dict(self.smes)
        copy.projects = {key: dict(project) for key, project in self.projects.items()}
        copy.sessions = {
            key: {**session, "ballots": list(session["ballots"])}
            for key, session in self.sessions.items()
        }
        advances = {}
        for key, advance in self.advances.items():
            copied = list(advance)
            copied[A_PAYMENTS] = list(advance[A_PAYMENTS])
            copied[A_RECOVERIES] = list(advance[A_RECOVERIES])
            advances[key] = copied
        copy.advances = advances
        copy.accounts = {key: list(account) for key, account in self.accounts.items()}
        copy.fund = list(self.fund)
        copy.missions = {key: [m[0], m[1], list(m[2])] for key, m in self.missions.items()}
        copy.time = list(self.time)
        copy.reviews = list(self.reviews)
        copy.flags = list(self.flags)
        copy.problems = list(self.problems)
        return copy

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FoldState):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in self.__slots__)

    __hash__ = None  # type: ignore[assignment]

    def covered(self, on: str) -> bool:
        return any(c[1] <= on < c[2] for c in self.conventions)

    def problem(self, event: int, on: str, kind: str, rule: str, text: str) -> None:
        self.problems.append([event, on, kind, rule, text])


def cents(text: object) -> int:
    """
    An amount written by the journal (``"1234.50"``) as whole cents.

    >>> cents("1234.50"), cents("7")
    (123450, 700)
    >>> cents("0.005")
    Traceback (most recent call last):
    ...
    ValueError: '0.005' is not an amount in whole cents
    >>> cents("\u0663.50")
    Traceback (most recent call last):
    ...
    ValueError: '٣.50' is not an amount in whole cents

    .. versionadded:: 0.1.0
    """
    if isinstance(text, str) and text.isascii():
        if text[-3:-2] == "." and text[:-3].isdigit() and text[-2:].isdigit():
            return int(text[:-3] + text[-2:])
        try:
            value = Decimal(text).scaleb(2)
        except InvalidOperation:
            value = Decimal("NaN")
        if value.is_finite() and value == value.to_integral_value():
            return int(value)
    msg = f"{shown(text)} is not an amount in whole cents"
    raise ValueError(msg)
