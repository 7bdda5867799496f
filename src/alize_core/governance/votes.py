"""
The arithmetic of a vote of the approval committee (*décompte des voix*), private.

The public names (:class:`Ballot`, :class:`VotePer`, :class:`Tally`,
:func:`votes_needed`, :func:`company_ballot`) are re-exported by
:mod:`alize_core.governance.committee`, which decides who may vote; this module only
counts (GOV-01, GOV-03).

>>> tally = Tally.count([Ballot.FOR] * 4 + [Ballot.AGAINST] * 3 + [Ballot.ABSTAIN] * 2)
>>> tally.present, tally.required, tally.adopted
(9, 5, False)
>>> Ballot("yes")
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: ballot: 'yes' must be one of for, against, abstain

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import ClassVar, Final, NoReturn

import attrs

from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.validation import check_count, checked


__all__ = ["Ballot", "Tally", "VotePer", "company_ballot", "votes_needed"]


class Choice(enum.StrEnum):
    """
    A choice read from text whose refusal names its field and lists the words accepted:
    ``class Ballot(Choice, field="ballot")``.
    """

    _field: ClassVar[str]

    def __init_subclass__(cls, *, field: str, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls._field = field

    @classmethod
    def _missing_(cls, value: object) -> NoReturn:
        words = ", ".join(member.value for member in cls)
        raise InvalidValue(cls._field, value, f"must be one of {words}")


class Ballot(Choice, field="ballot"):
    """
    What a member answers on a project (*bulletin*): for, against, or abstain.

    A member present who casts no ballot is not a :class:`Ballot`: the tally counts
    them as present and not for (GOV-01).

    .. versionadded:: 0.1.0
    """

    FOR = "for"
    """*Pour*."""
    AGAINST = "against"
    """*Contre*."""
    ABSTAIN = "abstain"
    """*Abstention*: counts as not for."""

    @classmethod
    def parse(cls, value: object) -> Ballot:
        """
        Read a ballot written as text (``"for"``, ``"against"``, ``"abstain"``).

        Raises:
            InvalidValue: The value is not one of them.
        """
        return cls(value) if isinstance(value, str) else cls._missing_(value)

    @property
    def french(self) -> str:
        """The ballot as the minutes write it."""
        return _FRENCH_BALLOTS[self]


_FRENCH_BALLOTS: Final = {
    Ballot.FOR: "pour",
    Ballot.AGAINST: "contre",
    Ballot.ABSTAIN: "abstention",
}


class VotePer(Choice, field="vote_per"):
    """
    Who holds a vote (the ``vote_per`` setting, GOV-03).

    .. versionadded:: 0.1.0
    """

    REPRESENTATIVE = "representative"
    """One vote per company representative present (the charter's letter, the default)."""
    COMPANY = "company"
    """One vote per partner company present, whatever the number of its representatives."""


def votes_needed(present: int) -> int:
    """
    The votes *for* that make a majority: more than half of those present (GOV-01).

    Half of an even number is not enough (a tie is no majority), so the answer is
    ``present // 2 + 1``. With nobody present nothing can be decided and one vote
    would still be needed.

    >>> votes_needed(9), votes_needed(8), votes_needed(1)
    (5, 5, 1)
    >>> votes_needed(-1)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: present: -1 must be a whole number, zero or more

    .. versionadded:: 0.1.0
    """
    check_count(present, field="present")
    return present // 2 + 1


def company_ballot(ballots: Sequence[Ballot | None]) -> Ballot | None:
    """
    The one vote a partner company casts from its representatives' ballots (GOV-03).

    alize's documented default, for the ``vote_per = company`` setting: the company
    votes *for* (or *against*, or abstains) only when every one of its representatives
    present cast that same ballot; when none of them voted, the company did not vote;
    when they differ (or some are silent) the company is divided and counts as an
    abstention, which is *not for* (GOV-01).

    Args:
        ballots: The ballots of the company's representatives present for the item
            (``None`` for one who cast none).

    Returns:
        The company's ballot, or ``None`` when none of its representatives voted.

    >>> company_ballot([Ballot.FOR, Ballot.FOR])
    <Ballot.FOR: 'for'>
    >>> company_ballot([Ballot.FOR, Ballot.AGAINST])
    <Ballot.ABSTAIN: 'abstain'>
    >>> company_ballot([Ballot.FOR, None])
    <Ballot.ABSTAIN: 'abstain'>
    >>> company_ballot([None, None]) is None
    True

    .. versionadded:: 0.1.0
    """
    distinct = set(ballots)
    if not distinct or distinct == {None}:
        return None
    if len(distinct) == 1:
        (only,) = distinct
        return only
    return Ballot.ABSTAIN


_NON_NEGATIVE: Final = checked(check_count)


@attrs.frozen
class Tally:
    """
    The count of one item's vote (*décompte*): the base, the ballots, the threshold.

    ``present`` is the base of the majority: the company representatives present
    for the item (or, with one vote per company, the partner companies present),
    after any member excluded for a conflict of interest (GOV-11).
    Those present who cast no ballot are :attr:`silent`.

    Attributes:
        vote_per: Whether the voters are representatives or companies (GOV-03).
        present: The voters present for the item: the base of the majority.
        votes_for: Votes *for*.
        votes_against: Votes *against*.
        abstentions: Declared abstentions.

    >>> Tally(VotePer.REPRESENTATIVE, 2, 2, 1, 0)
    Traceback (most recent call last):
    ...
    alize_core.kernel.errors.InvalidValue: present: 2 is fewer than the 3 ballots counted

    .. versionadded:: 0.1.0
    """

    vote_per: VotePer = attrs.field(converter=VotePer)
    present: int = attrs.field(validator=_NON_NEGATIVE)
    votes_for: int = attrs.field(validator=_NON_NEGATIVE)
    votes_against: int = attrs.field(validator=_NON_NEGATIVE)
    abstentions: int = attrs.field(validator=_NON_NEGATIVE)

    def __attrs_post_init__(self) -> None:
        cast = self.votes_for + self.votes_against + self.abstentions
        if cast > self.present:
            reason = f"is fewer than the {cast} ballots counted"
            raise InvalidValue("present", self.present, reason)

    @classmethod
    def count(
        cls, ballots: Iterable[Ballot | None], vote_per: VotePer = VotePer.REPRESENTATIVE
    ) -> Tally:
        """
        Count the ballots of the voters present, one entry per voter (``None``: silent).

        >>> Tally.count([Ballot.FOR, None, Ballot.ABSTAIN]).silent
        1
        """
        listed = tuple(ballots)
        return cls(
            vote_per,
            len(listed),
            listed.count(Ballot.FOR),
            listed.count(Ballot.AGAINST),
            listed.count(Ballot.ABSTAIN),
        )

    @property
    def silent(self) -> int:
        """Voters present who cast no ballot: they count as not for (GOV-01)."""
        return self.present - self.votes_for - self.votes_against - self.abstentions

    @property
    def required(self) -> int:
        """The votes *for* needed: more than half of :attr:`present` (GOV-01)."""
        return votes_needed(self.present)

    @property
    def adopted(self) -> bool:
        """Whether the votes *for* are more than half of those present (GOV-01)."""
        return self.present > 0 and self.votes_for >= self.required
