"""
alize_core: the rules of the ALIZÉ programme, pure and exact.

The core has no I/O, reads no clock and no environment: every date is a
parameter, every amount a :class:`~decimal.Decimal`. Its public names are
re-exported here; modules whose name starts with ``_`` are private.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from alize_core._version import __version__
from alize_core.kernel.decisions import DECISION_FORMAT, Decision, Outcome, Step, make_step
from alize_core.kernel.errors import (
    AlizeError,
    CommandRefused,
    ConcurrencyError,
    IntegrityError,
    InvalidValue,
    MalformedInput,
    MissingValue,
    NotInForce,
    SettingsConflict,
    UnknownRecord,
    UnknownRule,
)
from alize_core.kernel.money import CENT, ZERO, Rounding, format_eur, quantize, to_money
from alize_core.kernel.rules import RULEBOOK, Citation, Rule, RuleKind, all_rules, rule
from alize_core.kernel.settings import Settings, SettingVersion
from alize_core.parties.model import (
    CompanyRepresentative,
    LocalOperator,
    OperatorKind,
    PartnerCompany,
    Project,
    PublicBody,
    PublicBodyKind,
    RelayStructure,
    Sme,
    Territory,
)


__all__ = [
    "CENT",
    "DECISION_FORMAT",
    "RULEBOOK",
    "ZERO",
    "AlizeError",
    "Citation",
    "CommandRefused",
    "CompanyRepresentative",
    "ConcurrencyError",
    "Decision",
    "IntegrityError",
    "InvalidValue",
    "LocalOperator",
    "MalformedInput",
    "MissingValue",
    "NotInForce",
    "OperatorKind",
    "Outcome",
    "PartnerCompany",
    "Project",
    "PublicBody",
    "PublicBodyKind",
    "RelayStructure",
    "Rounding",
    "Rule",
    "RuleKind",
    "SettingVersion",
    "Settings",
    "SettingsConflict",
    "Sme",
    "Step",
    "Territory",
    "UnknownRecord",
    "UnknownRule",
    "__version__",
    "all_rules",
    "format_eur",
    "make_step",
    "quantize",
    "rule",
    "to_money",
]
