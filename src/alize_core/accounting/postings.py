"""
Accounting postings (*écritures comptables*): balanced double entries on a chart of accounts.

Every financial event of the programme becomes a :class:`Posting`: two or more
:class:`PostingLine` s, each with exactly one of debit or credit, in whole
cents, whose debits equal their credits. The accounts come from a
:class:`ChartOfAccounts` (by default the French *plan comptable général*,
FUND-05 practice), which an operator's accountant may replace.

>>> from datetime import date
>>> from decimal import Decimal
>>> chart = ChartOfAccounts.french_default()
>>> posting = Posting.transfer(
...     id="EV-12", on=date(2026, 4, 2), journal="BQ", label="Avance P1",
...     debit=chart.account("advances"), credit=chart.account("bank"),
...     amount=Decimal("25000.00"), auxiliary=("555012343", "Usinage Meusien"))
>>> [(line.account.number, line.debit, line.credit) for line in posting.lines]
[('2748', Decimal('25000.00'), Decimal('0.00')), ('512', Decimal('0.00'), Decimal('25000.00'))]
>>> Posting(id="EV-13", on=date(2026, 4, 2), journal="BQ", label="Bancale", lines=(
...     PostingLine(chart.account("bank"), "x", debit=Decimal("10.00")),
...     PostingLine(chart.account("advances"), "x", credit=Decimal("9.99"))))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: lines: 'EV-13' is not balanced: debit 10.00, credit 9.99

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final

import attrs

from alize_core.kernel.errors import InvalidValue
from alize_core.kernel.money import CENT, ZERO
from alize_core.kernel.validation import (
    AMOUNT,
    check_date,
    check_id,
    check_text,
    checked,
    instance_of,
    optional,
    tuple_of,
)


__all__ = ["Account", "ChartOfAccounts", "Posting", "PostingLine"]

_ACCOUNT_NUMBER: Final = re.compile(r"[1-8][0-9]{2}[0-9A-Z]{0,17}")


def _check_account_number(value: object, *, field: str) -> None:
    if not isinstance(value, str) or not _ACCOUNT_NUMBER.fullmatch(value):
        msg = "is not an account number (at least three digits, the first from 1 to 8)"
        raise InvalidValue(field, value, msg)


@attrs.frozen
class Account:
    """
    An account of the chart (*compte*).

    Attributes:
        number: The account number (``"512"``, ``"2748"``).
        label: Its name (``"Banque"``).
    """

    number: str = attrs.field(validator=checked(_check_account_number))
    label: str = attrs.field(validator=checked(check_text))


def _cents(value: object) -> object:
    """Write an exact amount with two decimals; leave anything else for the validator to refuse."""
    if isinstance(value, Decimal) and value.is_finite() and abs(value) < 10**12:
        quantized = value.quantize(CENT)
        if quantized == value:
            return quantized
    return value


@attrs.frozen
class PostingLine:
    """
    One line of a posting (*ligne d'écriture*): an account debited or credited.

    Attributes:
        account: The account.
        label: What the line records.
        debit: The amount debited (zero when credited).
        credit: The amount credited (zero when debited).
        auxiliary: The auxiliary account (the SME's SIREN, the partner's id), if any.
        auxiliary_label: The auxiliary account's name.
    """

    account: Account = attrs.field(validator=instance_of(Account))
    label: str = attrs.field(validator=checked(check_text))
    debit: Decimal = attrs.field(
        default=ZERO,
        validator=AMOUNT,
        converter=_cents,
    )
    credit: Decimal = attrs.field(
        default=ZERO,
        validator=AMOUNT,
        converter=_cents,
    )
    auxiliary: str | None = attrs.field(default=None, validator=optional(check_id))
    auxiliary_label: str | None = attrs.field(default=None, validator=optional(check_text))

    def __attrs_post_init__(self) -> None:
        if (self.debit > 0) == (self.credit > 0):
            msg = "must have exactly one of debit or credit above zero"
            raise InvalidValue("debit", (self.debit, self.credit), msg)


def _check_lines(value: object, *, field: str) -> None:
    tuple_of(PostingLine)(None, attrs.fields(Posting).lines, value)
    assert isinstance(value, tuple)
    if len(value) < 2:
        raise InvalidValue(field, len(value), "lines: a posting needs at least two lines")


@attrs.frozen
class Posting:
    """
    A balanced double entry (*écriture*).

    Attributes:
        id: The reference of the event it records (*pièce*).
        on: The date of the operation.
        journal: The journal code (``"BQ"`` bank, ``"OD"`` miscellaneous…).
        label: What the posting records.
        lines: Two or more lines whose debits equal their credits.
    """

    id: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    journal: str = attrs.field(validator=checked(check_id))
    label: str = attrs.field(validator=checked(check_text))
    lines: tuple[PostingLine, ...] = attrs.field(validator=checked(_check_lines))

    def __attrs_post_init__(self) -> None:
        if self.total_debit != self.total_credit:
            msg = f"is not balanced: debit {self.total_debit}, credit {self.total_credit}"
            raise InvalidValue("lines", self.id, msg)

    @property
    def total_debit(self) -> Decimal:
        """The sum of the debits."""
        return sum((line.debit for line in self.lines), ZERO)

    @property
    def total_credit(self) -> Decimal:
        """The sum of the credits."""
        return sum((line.credit for line in self.lines), ZERO)

    @classmethod
    def transfer(
        cls,
        *,
        id: str,
        on: date,
        journal: str,
        label: str,
        debit: Account,
        credit: Account,
        amount: Decimal,
        auxiliary: tuple[str, str] | None = None,
    ) -> Posting:
        """
        A two-line posting: ``amount`` debited to one account and credited to another.

        Args:
            auxiliary: The (number, name) of the auxiliary account put on both lines.
        """
        aux, aux_label = auxiliary if auxiliary else (None, None)
        return cls(
            id,
            on,
            journal,
            label,
            (
                PostingLine(debit, label, debit=amount, auxiliary=aux, auxiliary_label=aux_label),
                PostingLine(credit, label, credit=amount, auxiliary=aux, auxiliary_label=aux_label),
            ),
        )


_FRENCH_DEFAULT: Final = {
    "bank": ("512", "Banque"),
    "advances": ("2748", "Autres prêts"),
    "impairment_expense": ("6866", "Dotations aux dépréciations des éléments financiers"),
    "impairment_allowance": ("2974", "Dépréciation des prêts"),
    "impairment_reversal": ("7866", "Reprises sur dépréciations des éléments financiers"),
    "write_off": ("654", "Pertes sur créances irrécouvrables"),
    "recovery": ("7583", "Produits de gestion courante provenant de créances amorties"),
    "contributions": ("1024", "Autres fonds propres sans droit de reprise"),
    "contributions_with_return": ("1034", "Autres fonds propres avec droit de reprise"),
    "contributions_receivable": ("4687", "Produits à recevoir"),
    "skills_used": ("862", "Prestations"),
    "skills_contributed": ("871", "Prestations en nature"),
    "volunteering_used": ("864", "Personnel bénévole"),
    "volunteering_contributed": ("875", "Bénévolat"),
    "network_contribution": ("6281", "Concours divers (cotisations)"),
    "suppliers": ("401", "Fournisseurs"),
    "bank_fees": ("627", "Services bancaires et assimilés"),
}


def _frozen_accounts(value: Mapping[str, Account]) -> Mapping[str, Account]:
    if not isinstance(value, Mapping):
        raise InvalidValue("accounts", value, "must map each role to an account")
    for role, account in value.items():
        check_id(role, field="role")
        if not isinstance(account, Account):
            raise InvalidValue(role, account, "must be an Account")
    return MappingProxyType(dict(value))


@attrs.frozen
class ChartOfAccounts:
    """
    The accounts each kind of operation goes to (*plan de comptes*), by role.

    :meth:`french_default` follows the *plan comptable général*; an operator's
    accountant replaces any role with :meth:`with_account` (e.g. partner
    contributions to 1034 instead of 1024).

    Attributes:
        accounts: The account of each role (``"bank"``, ``"advances"``, ``"write_off"``…).
    """

    accounts: Mapping[str, Account] = attrs.field(converter=_frozen_accounts)

    @classmethod
    def french_default(cls) -> ChartOfAccounts:
        """The default chart, on the French *plan comptable général*."""
        return cls(
            {role: Account(number, label) for role, (number, label) in _FRENCH_DEFAULT.items()}
        )

    def account(self, role: str) -> Account:
        """
        The account of a role.

        Raises:
            InvalidValue: The chart has no such role.
        """
        try:
            return self.accounts[role]
        except KeyError:
            roles = ", ".join(sorted(self.accounts))
            raise InvalidValue("role", role, f"is not a role of the chart ({roles})") from None

    def with_account(self, role: str, number: str, label: str) -> ChartOfAccounts:
        """This chart with one role sent to another account."""
        return ChartOfAccounts({**self.accounts, role: Account(number, label)})
