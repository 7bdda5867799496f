"""
The rulebook (*règlement*): every rule of the ALIZÉ programme as a :class:`Rule` record.

Each rule has a stable id (``GOV-01``…), a title in this project's own words, a
kind (what the charter says, a default a territory may change, or common French
practice) and a citation of the charter section it comes from. Ids never change
meaning; a changed rule gets a new id.

>>> rule("GOV-01").kind
<RuleKind.CHARTER: 'charter'>
>>> rule("GOV-01").citation.section
"Le comité d'agrément, structure opérationnelle du programme"
>>> rule("XYZ-01")
Traceback (most recent call last):
...
alize_core.kernel.errors.UnknownRule: rule: 'XYZ-01' is not a rule of the rulebook (see `alize rules`)

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import attrs

from alize_core.kernel.errors import UnknownRule
from alize_core.kernel.validation import (
    check_id,
    check_text,
    checked,
    instance_of,
    member_of,
    optional,
)


__all__ = [
    "RULEBOOK",
    "CharterDrift",
    "Citation",
    "Rule",
    "RuleKind",
    "all_rules",
    "charter_drift",
    "rule",
    "section_fingerprints",
]

CHARTER: Final = "charte-alize"
"""The document id of the programme's charter (the source of every *charter* rule)."""


class RuleKind(enum.StrEnum):
    """Where a rule's force comes from."""

    CHARTER = "charter"
    """The charter says it; a territory cannot change it."""
    CHARTER_WITH_DEFAULT = "charter+default"
    """The charter says it, leaving a value (e.g. the quorum) that a territory may set."""
    DEFAULT = "default"
    """The charter is silent or vague; alize picks a default a territory may change."""
    PRACTICE = "practice"
    """The charter does not speak of it; alize follows common French practice."""

    @property
    def overridable(self) -> bool:
        """Whether a territory's own rules (*règlement intérieur*) may set its values."""
        return self is not RuleKind.CHARTER


@attrs.frozen
class Citation:
    """
    Where a rule comes from (*source*): a document and a section title, never the text.

    Attributes:
        document: The cited document (``"charte-alize"`` for the charter).
        section: The title of the cited section, as the document heads it.
        fingerprint: A digest of the section's text when the rule was written
            (:func:`section_fingerprints`), so that a change of the text is noticed.
    """

    document: str = attrs.field(validator=checked(check_text))
    section: str = attrs.field(validator=checked(check_text))
    fingerprint: str | None = attrs.field(default=None, validator=optional(check_id))


@attrs.frozen
class Rule:
    """
    One rule of the programme (*règle*).

    Attributes:
        id: The stable id, e.g. ``"GOV-01"``.
        title: What the rule says, in this project's words.
        kind: Charter, default or practice (:class:`RuleKind`).
        citation: The charter section it comes from.
    """

    id: str = attrs.field(validator=checked(check_id))
    title: str = attrs.field(validator=checked(check_text))
    kind: RuleKind = attrs.field(validator=member_of(RuleKind))
    citation: Citation = attrs.field(validator=instance_of(Citation))


_COMMITTEE: Final = "Le comité d'agrément, structure opérationnelle du programme"
_OPERATOR: Final = "« L'opérateur local » gère et anime localement le programme"
_STEERING: Final = "Le comité local de pilotage, organe de décision et d'évaluation"
_NATIONAL: Final = "ALIZÉ®, un programme national"
_ATTRACTS: Final = "Pourquoi ALIZÉ® séduit les entreprises ?"
_MEANS: Final = "Les moyens mis en œuvre sont de plusieurs natures :"
_LONG_TERM: Final = "ALIZÉ®, facteur de développement sur le long terme"
_SUPPORT: Final = "Qu'est ce que l'accompagnement Alizé®"
_SKILLS: Final = "L'apport en compétences aux PME dans l'esprit ALIZÉ®"
_TERRITORIAL: Final = "ALIZÉ®, un programme de développement territorial"

_FINGERPRINTS: Final = {
    # The digest of each cited section of the charter, as read when the rules were written.
    # A test recomputes them from the charter and names the rules whose section changed.
    _COMMITTEE: "2fa68ba497d0dfdd",
    _OPERATOR: "6d43d8880984b8c5",
    _STEERING: "25ed7f6a7d420851",
    _NATIONAL: "586f71dd95a24b77",
    _ATTRACTS: "e3b0c44298fc1c14",
    _MEANS: "4555c713dfed16a9",
    _LONG_TERM: "af273d0de133f024",
    _SUPPORT: "3f48a5f69b1e3c5b",
    _SKILLS: "821d6d57e4567691",
    _TERRITORIAL: "7bde064075612a8b",
}

_C: Final = RuleKind.CHARTER
_D: Final = RuleKind.DEFAULT
_P: Final = RuleKind.PRACTICE

_TABLE: Final[tuple[tuple[str, RuleKind, str, str], ...]] = (
    (
        "GOV-01",
        _C,
        _COMMITTEE,
        "A project is adopted when more than half of the company representatives present vote for it;"
        " abstentions and silence count as not for, and a tie is no majority.",
    ),
    (
        "GOV-02",
        _C,
        _COMMITTEE,
        "Only representatives of partner companies vote; operator, relays and public bodies attend"
        " without a vote.",
    ),
    (
        "GOV-03",
        _D,
        _COMMITTEE,
        "One vote per company representative present, or (a setting) one vote per partner company.",
    ),
    (
        "GOV-04",
        RuleKind.CHARTER_WITH_DEFAULT,
        _COMMITTEE,
        "A session is valid only with the local operator and a quorum of company representatives"
        " present (default one); without a representative nothing is decided.",
    ),
    (
        "GOV-05",
        _C,
        _COMMITTEE,
        "The committee's president is a partner company's representative in activity.",
    ),
    (
        "GOV-06",
        _C,
        _COMMITTEE,
        "The president leads the sessions together with the local operator.",
    ),
    (
        "GOV-07",
        _C,
        _COMMITTEE,
        "Relay structures and other schemes attend only for the files they present.",
    ),
    (
        "GOV-08",
        _C,
        _COMMITTEE,
        "Members record the time they give: who, which project, when, how long.",
    ),
    (
        "GOV-09",
        _C,
        _COMMITTEE,
        "The approval committee reports on its activity to the steering committee every year.",
    ),
    (
        "GOV-10",
        _C,
        _COMMITTEE,
        "Approval weighs the project's overall relevance, not financial ratios; the decision"
        " records the means granted and the assessment.",
    ),
    (
        "GOV-11",
        _D,
        _COMMITTEE,
        "A member whose company has an interest in the SME neither votes nor counts as present"
        " for that project (off unless the territory turns it on).",
    ),
    (
        "OP-01",
        _C,
        _OPERATOR,
        "The local operator keeps the programme's account that holds the advance fund.",
    ),
    (
        "OP-02",
        _C,
        _OPERATOR,
        "The local operator convenes sessions, writes their minutes and drafts the agreements.",
    ),
    (
        "OP-03",
        _C,
        _OPERATOR,
        "A project goes on an agenda only once the operator has validated its file.",
    ),
    (
        "PIL-01",
        _C,
        _STEERING,
        "The steering committee is chaired by the prefecture or a sub-prefecture.",
    ),
    (
        "PIL-02",
        _C,
        _STEERING,
        "The steering committee sets the territory's orientations within its funding"
        " (a yearly ceiling of commitments, priorities).",
    ),
    (
        "PIL-03",
        _C,
        _STEERING,
        "Each year the president and the operator present the activity report and the review"
        " of the past year.",
    ),
    ("PIL-04", _C, _STEERING, "The activity report is annexed to the call for funds."),
    (
        "NAT-01",
        _C,
        _NATIONAL,
        "The national committee validates a territory before its programme starts.",
    ),
    (
        "NAT-02",
        _C,
        _NATIONAL,
        "Each territory pays the network head a contribution set by its triennial convention.",
    ),
    (
        "NAT-03",
        _C,
        _NATIONAL,
        "The network consolidates the territories' results: projects, jobs, budget and the value"
        " of skills contributed.",
    ),
    (
        "CONV-01",
        _C,
        _NATIONAL,
        "A programme runs under a three-year convention listing each partner's yearly money and"
        " days; activity outside every convention in force is flagged.",
    ),
    (
        "CONV-02",
        _C,
        _ATTRACTS,
        "Supporting an SME takes only a cooperation and development agreement signed after"
        " approval.",
    ),
    (
        "FUND-01",
        _C,
        _MEANS,
        "The advance fund is built from the partners' financial contributions.",
    ),
    (
        "FUND-02",
        _C,
        _LONG_TERM,
        "Advances are loans, not grants: repayments rebuild the fund and only defaults lose money.",
    ),
    ("FUND-03", _C, _MEANS, "A subsidised loan is the lending partner's own loan, not the fund's."),
    (
        "FUND-04",
        _D,
        _MEANS,
        "An approval may not commit more than the fund's uncommitted balance (or, a setting,"
        " only warns).",
    ),
    (
        "FUND-05",
        _P,
        _MEANS,
        "The fund balances at every date: cash and outstanding advances follow from"
        " contributions, disbursements, repayments, write-offs and recoveries.",
    ),
    (
        "ACC-01",
        _C,
        _SKILLS,
        "A mentor is an executive or technician employed by a partner company.",
    ),
    (
        "ACC-02",
        _C,
        _SKILLS,
        "The approval committee sets each skills contribution: partner, days a year, problem.",
    ),
    (
        "ACC-03",
        _D,
        _SKILLS,
        "A mandate is a few days a year: above a yearly cap (default 10 days) alize warns.",
    ),
    ("ACC-04", _C, _SUPPORT, "A mission's meetings are logged and counted."),
    (
        "ACC-05",
        _C,
        _SUPPORT,
        "Other forms of support (training, skills transfer, visits) are recorded like missions.",
    ),
    (
        "ACC-06",
        _C,
        _SKILLS,
        "Time contributed is valued in euros at a daily rate per category and counted in the"
        " programme's budget.",
    ),
    (
        "ELIG-01",
        _C,
        _TERRITORIAL,
        "Any SME of the territory with a job-creating potential; SME in the European sense by"
        " default (under 250 staff, turnover or balance sheet under the ceilings).",
    ),
    (
        "ELIG-02",
        _C,
        _TERRITORIAL,
        "The SME is past its creation phase (three years old), or older with an adaptation"
        " project.",
    ),
    ("ELIG-03", _C, _TERRITORIAL, "The SME is located inside the territory's perimeter."),
    ("ELIG-04", _C, _TERRITORIAL, "Each project states the jobs it supports, created and kept."),
    (
        "SCH-01",
        _P,
        _MEANS,
        "Amounts are exact decimal euros rounded to the cent by a named rule (half up by"
        " default), never floats.",
    ),
    (
        "SCH-02",
        _P,
        _MEANS,
        "An advance is repaid interest-free in equal instalments after an optional deferral;"
        " the rounding cents go to the last instalment and the instalments add up exactly.",
    ),
    (
        "SCH-03",
        _P,
        _MEANS,
        "A subsidised loan bears a rate: constant instalments or constant principal; interest"
        " during a deferral is paid or capitalised.",
    ),
    (
        "SCH-04",
        _P,
        _MEANS,
        "Due dates step by calendar months from the start; a missing day falls on the month's"
        " last day, without drift.",
    ),
    (
        "SCH-05",
        _P,
        _MEANS,
        "Early repayment and rescheduling produce a new schedule from their date; earlier"
        " schedules are kept.",
    ),
    (
        "SCH-06",
        _P,
        _MEANS,
        "Arrears are aged in buckets; after a set number of days unpaid an advance is in default,"
        " may be written off, and recoveries follow.",
    ),
)

RULEBOOK: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        rule_id: Rule(rule_id, title, kind, Citation(CHARTER, section, _FINGERPRINTS[section]))
        for rule_id, kind, section, title in _TABLE
    }
)
"""Every rule by id, in the rulebook's order."""


def rule(rule_id: str) -> Rule:
    """
    The rule with this id.

    Raises:
        UnknownRule: No rule has this id.

    .. versionadded:: 0.1.0
    """
    try:
        return RULEBOOK[rule_id]
    except (KeyError, TypeError):
        raise UnknownRule("rule", str(rule_id)) from None


def all_rules() -> tuple[Rule, ...]:
    """
    Every rule, in the rulebook's order.

    .. versionadded:: 0.1.0
    """
    return tuple(RULEBOOK.values())


def section_fingerprints(charter: str) -> dict[str, str]:
    """
    A digest of each section of the charter's text, by section title.

    A section starts at a line beginning with ``■`` (its title, without the
    markup) and runs to the next one; its text is compared with white space
    folded, so re-wrapping a paragraph changes nothing but a changed word does.

    >>> fingerprints = section_fingerprints("■ **Titre**\\nUn texte.\\n■ Autre\\nSuite.")
    >>> sorted(fingerprints)
    ['Autre', 'Titre']
    >>> fingerprints["Titre"] == section_fingerprints("■ Titre\\nUn   texte.")["Titre"]
    True

    .. versionadded:: 0.1.0
    """
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in charter.splitlines():
        if line.startswith("■"):
            title = line.removeprefix("■").strip().strip("*").strip()
            current = sections.setdefault(title, [])
        elif current is not None:
            current.append(line)
    return {
        title: hashlib.sha256(" ".join(" ".join(lines).split()).encode()).hexdigest()[:16]
        for title, lines in sections.items()
    }


@attrs.frozen
class CharterDrift:
    """
    A cited section whose text is no longer the one the rules were written from.

    Attributes:
        section: The section's title.
        rules: The ids of the rules that cite it.
        reason: ``"changed"`` (its text differs) or ``"missing"`` (no such section now).
    """

    section: str
    rules: tuple[str, ...]
    reason: str


def charter_drift(charter: str) -> tuple[CharterDrift, ...]:
    """
    The cited sections of this charter text that changed or disappeared, with their rules.

    Args:
        charter: The charter's full text (the caller reads it; the core reads no file).

    .. versionadded:: 0.1.0
    """
    now = section_fingerprints(charter)
    by_section: dict[str, list[Rule]] = {}
    for item in RULEBOOK.values():
        by_section.setdefault(item.citation.section, []).append(item)
    drifts = []
    for section, rules in by_section.items():
        fingerprint = rules[0].citation.fingerprint
        if section not in now:
            drifts.append(CharterDrift(section, tuple(r.id for r in rules), "missing"))
        elif now[section] != fingerprint:
            drifts.append(CharterDrift(section, tuple(r.id for r in rules), "changed"))
    return tuple(drifts)
