"""
Backends (*connecteurs*): the typed operations alize asks of an operator's tools.

An operator already runs a CRM and an accounting tool. An adapter reaches them
through a **backend**, an object whose methods match one of four
:class:`~typing.Protocol` classes: :class:`CrmBackend`, :class:`AccountingBackend`,
:class:`DocumentBackend` and :class:`NotificationBackend`. Operations are
methods, not hooks: exactly one backend fills each role, chosen by configuration
(see :mod:`alize_adapters.host.manager`), and ``mypy --strict`` checks it.

Backends exchange frozen records (:class:`CompanyRecord`, :class:`JournalEntry`…)
whose amounts are :class:`~decimal.Decimal`, never floats (SCH-01), and they
report failures with one error taxonomy (:mod:`alize_adapters.host.errors`), so the outbox
knows what to retry.

An entry must balance before it leaves alize (FUND-05):

>>> from datetime import date
>>> from decimal import Decimal
>>> entry = JournalEntry(journal="AV", on=date(2026, 4, 2), piece="AV-7", label="Avance AV-7",
...     lines=(EntryLine(account="2748", label="Avance AV-7", debit=Decimal("25000.00")),
...            EntryLine(account="512", label="Banque", credit=Decimal("25000.00"))))
>>> entry.total
Decimal('25000.00')
>>> JournalEntry(journal="AV", on=date(2026, 4, 2), piece="AV-7", label="Avance AV-7",
...     lines=(EntryLine(account="2748", label="Avance", debit=Decimal("25000.00")),
...            EntryLine(account="512", label="Banque", credit=Decimal("2500.00"))))
Traceback (most recent call last):
...
alize_core.kernel.errors.InvalidValue: lines: '25000.00 ≠ 2500.00' the entry does not balance: debits and credits differ

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Final, Protocol, runtime_checkable

import attrs

from alize_adapters.host.payloads import RenderedDocument
from alize_core import InvalidValue, to_money
from alize_core.accounting.postings import Posting
from alize_core.kernel.validation import (
    AMOUNT,
    SIGNED_AMOUNT,
    check_date,
    check_id,
    check_text,
    checked,
    optional,
    tuple_of,
)
from alize_core.parties.model import check_siren


__all__ = [
    "AccountingBackend",
    "BankMovement",
    "BankMovementPage",
    "CompanyRecord",
    "ContactRecord",
    "CrmBackend",
    "DocumentBackend",
    "DocumentReceipt",
    "EntryLine",
    "JournalEntry",
    "LedgerExport",
    "Notification",
    "NotificationBackend",
    "NotificationReceipt",
    "PostingReceipt",
    "ProjectPage",
    "ProjectRecord",
]

_EMAIL: Final = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_ACCOUNT: Final = re.compile(r"\d{3}[0-9A-Za-z]{0,17}")


def _email(value: object, *, field: str) -> None:
    text = check_text(value, field=field, max_length=254)
    if not _EMAIL.fullmatch(text):
        raise InvalidValue(field, value, "is not an e-mail address")


def _account(value: object, *, field: str) -> None:
    if not isinstance(value, str) or not _ACCOUNT.fullmatch(value):
        msg = "is not an account number of the chart of accounts (3 digits first, e.g. 512)"
        raise InvalidValue(field, value, msg)


@attrs.frozen(kw_only=True)
class CompanyRecord:
    """
    A company as a CRM knows it (*fiche entreprise*), keyed by its SIREN.

    Attributes:
        siren: The SIREN (checked with python-stdnum).
        name: The company's name, exactly as written (accents and apostrophes kept).
        commune: The INSEE code of its commune, when known.
        external_id: The CRM's own id, set by the backend.
    """

    siren: str = attrs.field(validator=checked(check_siren))
    name: str = attrs.field(validator=checked(check_text))
    commune: str | None = attrs.field(default=None, validator=optional(check_id))
    external_id: str | None = attrs.field(default=None, validator=optional(check_id))


@attrs.frozen(kw_only=True)
class ContactRecord:
    """
    A person in the CRM (*contact*), keyed by e-mail address.

    Attributes:
        email: The e-mail address (the key; compared without regard to case).
        name: The person's name.
        company_siren: The SIREN of the company the person works for.
        role: The person's role (e.g. ``dirigeant``), when known.
        external_id: The CRM's own id, set by the backend.
    """

    email: str = attrs.field(validator=checked(_email))
    name: str = attrs.field(validator=checked(check_text))
    company_siren: str = attrs.field(validator=checked(check_siren))
    role: str | None = attrs.field(default=None, validator=optional(check_text))
    external_id: str | None = attrs.field(default=None, validator=optional(check_id))


@attrs.frozen(kw_only=True)
class ProjectRecord:
    """
    A project as the CRM follows it (*dossier*), keyed by alize's project id.

    Attributes:
        project_id: alize's id of the project.
        sme: The SIREN of the SME that brings it.
        title: What the project is.
        status: Where it stands (e.g. ``submitted``, ``adopted``, ``agreement_signed``).
        amount: The repayable advance granted, when there is one.
        external_id: The CRM's own id, set by the backend.
    """

    project_id: str = attrs.field(validator=checked(check_id))
    sme: str = attrs.field(validator=checked(check_siren))
    title: str = attrs.field(validator=checked(check_text))
    status: str = attrs.field(validator=checked(check_id))
    amount: Decimal | None = attrs.field(
        default=None, validator=optional(to_money, non_negative=True, cents=True, decimal_only=True)
    )
    external_id: str | None = attrs.field(default=None, validator=optional(check_id))


@attrs.frozen
class ProjectPage:
    """
    One page of projects, in a stable order.

    Attributes:
        items: The projects of this page.
        next_cursor: Where the next page starts; ``None`` after the last page.
    """

    items: tuple[ProjectRecord, ...] = attrs.field(validator=tuple_of(ProjectRecord))
    next_cursor: str | None = None


@attrs.frozen(kw_only=True)
class EntryLine:
    """
    One line of an accounting entry (*ligne d'écriture*): an account, a debit or a credit.

    Attributes:
        account: The account number of the chart of accounts (*PCG*), e.g. ``512``.
        label: The line's label.
        debit: The amount debited, or zero.
        credit: The amount credited, or zero.
        auxiliary: A subsidiary account (the SME or partner), when used.
    """

    account: str = attrs.field(validator=checked(_account))
    label: str = attrs.field(validator=checked(check_text))
    debit: Decimal = attrs.field(default=Decimal("0.00"), validator=AMOUNT)
    credit: Decimal = attrs.field(default=Decimal("0.00"), validator=AMOUNT)
    auxiliary: str | None = attrs.field(default=None, validator=optional(check_id))

    def __attrs_post_init__(self) -> None:
        if (self.debit > 0) == (self.credit > 0):
            shown = f"debit {self.debit}, credit {self.credit}"
            raise InvalidValue("debit", shown, "a line has either a debit or a credit, not both")


@attrs.frozen(kw_only=True)
class JournalEntry:
    """
    A balanced accounting entry (*écriture comptable*), as posted to the accounting tool.

    Attributes:
        journal: The journal's code (e.g. ``BQ`` for the bank).
        on: The entry's date.
        piece: The reference of the supporting document (*pièce*).
        label: The entry's label.
        lines: Two lines or more, whose debits equal their credits.
    """

    journal: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    piece: str = attrs.field(validator=checked(check_id))
    label: str = attrs.field(validator=checked(check_text))
    lines: tuple[EntryLine, ...] = attrs.field(validator=tuple_of(EntryLine))

    def __attrs_post_init__(self) -> None:
        if len(self.lines) < 2:
            raise InvalidValue("lines", len(self.lines), "an entry needs two lines or more")
        debit = sum((line.debit for line in self.lines), Decimal("0.00"))
        credit = sum((line.credit for line in self.lines), Decimal("0.00"))
        if debit != credit:
            msg = "the entry does not balance: debits and credits differ"
            raise InvalidValue("lines", f"{debit} ≠ {credit}", msg)

    @property
    def total(self) -> Decimal:
        """The sum of the debits (equal to the sum of the credits)."""
        return sum((line.debit for line in self.lines), Decimal("0.00"))

    @classmethod
    def of(cls, posting: Posting) -> JournalEntry:
        """
        A posting of alize's books (:mod:`alize_core.accounting`) as an entry for the tool:
        the same journal, date, accounts, amounts and auxiliary accounts; the posting's id
        is the *pièce*.

        >>> from alize_core.accounting import ChartOfAccounts, Posting
        >>> chart = ChartOfAccounts.french_default()
        >>> posting = Posting.transfer(id="12", on=date(2026, 4, 2), journal="BQ",
        ...     label="Avance P1", debit=chart.account("advances"),
        ...     credit=chart.account("bank"), amount=Decimal("25000.00"),
        ...     auxiliary=("555012343", "Usinage Meusien"))
        >>> entry = JournalEntry.of(posting)
        >>> entry.journal, entry.piece, [(line.account, str(line.debit)) for line in entry.lines]
        ('BQ', '12', [('2748', '25000.00'), ('512', '0.00')])

        .. versionadded:: 0.1.0
        """
        return cls(
            journal=posting.journal,
            on=posting.on,
            piece=posting.id,
            label=posting.label,
            lines=tuple(
                EntryLine(
                    account=line.account.number,
                    label=line.label,
                    debit=line.debit,
                    credit=line.credit,
                    auxiliary=line.auxiliary,
                )
                for line in posting.lines
            ),
        )


@attrs.frozen(kw_only=True)
class PostingReceipt:
    """
    What posting an entry returns (*accusé de comptabilisation*).

    Attributes:
        idempotency_key: The key the entry was posted with.
        external_ref: The accounting tool's reference of the entry.
        replayed: ``True`` when the key had been posted before: nothing new was written.
    """

    idempotency_key: str = attrs.field(validator=checked(check_id))
    external_ref: str = attrs.field(validator=checked(check_id))
    replayed: bool = attrs.field(validator=attrs.validators.instance_of(bool))


@attrs.frozen(kw_only=True)
class BankMovement:
    """
    A movement on the fund's bank account (*mouvement bancaire*).

    Attributes:
        transaction_id: The bank's id of the transaction (the key: a movement counts once).
        on: Its value date.
        amount: Its amount, positive for money in, negative for money out.
        label: The bank's label.
    """

    transaction_id: str = attrs.field(validator=checked(check_id))
    on: date = attrs.field(validator=checked(check_date))
    amount: Decimal = attrs.field(validator=SIGNED_AMOUNT)
    label: str = attrs.field(validator=checked(check_text))


@attrs.frozen
class BankMovementPage:
    """
    Bank movements read from a cursor.

    Attributes:
        movements: The movements, each transaction once, oldest first.
        cursor: Where to resume next time; reading from it returns only later movements.
    """

    movements: tuple[BankMovement, ...] = attrs.field(validator=tuple_of(BankMovement))
    cursor: str = attrs.field(validator=checked(check_text))


@attrs.frozen(kw_only=True)
class LedgerExport:
    """
    The entries of a period as a table (*export des écritures*).

    Attributes:
        start: The first day of the period.
        end: The last day of the period.
        columns: The column names.
        rows: One tuple of texts per entry line.
        total_debit: The sum of the debits.
        total_credit: The sum of the credits.
    """

    start: date = attrs.field(validator=checked(check_date))
    end: date = attrs.field(validator=checked(check_date))
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    total_debit: Decimal = attrs.field(validator=AMOUNT)
    total_credit: Decimal = attrs.field(validator=AMOUNT)


@attrs.frozen(kw_only=True)
class DocumentReceipt:
    """
    What storing a document returns.

    Attributes:
        key: The key the document was stored under.
        external_id: The document store's id, for :meth:`DocumentBackend.fetch_document`.
        replayed: ``True`` when a document was already stored under this key.
    """

    key: str = attrs.field(validator=checked(check_id))
    external_id: str = attrs.field(validator=checked(check_id))
    replayed: bool = attrs.field(validator=attrs.validators.instance_of(bool))


@attrs.frozen(kw_only=True)
class Notification:
    """
    A message to a person (*notification*).

    Attributes:
        recipient: The e-mail address it goes to.
        subject: Its subject.
        body: Its text.
    """

    recipient: str = attrs.field(validator=checked(_email))
    subject: str = attrs.field(validator=checked(check_text))
    body: str = attrs.field(validator=checked(check_text))


@attrs.frozen(kw_only=True)
class NotificationReceipt:
    """
    What sending a notification returns.

    Attributes:
        idempotency_key: The key it was sent with.
        external_id: The messaging tool's id of the message.
        replayed: ``True`` when a message with this key had been sent before.
    """

    idempotency_key: str = attrs.field(validator=checked(check_id))
    external_id: str = attrs.field(validator=checked(check_id))
    replayed: bool = attrs.field(validator=attrs.validators.instance_of(bool))


# -- protocols ----------------------------------------------------------------------


@runtime_checkable
class CrmBackend(Protocol):
    """
    A CRM (*outil de gestion de la relation*): companies by SIREN, contacts, projects.

    Capabilities: ``companies``, ``contacts``, ``projects``. An operation whose
    capability was not declared raises :class:`CapabilityNotSupported`.
    """

    def get_company(self, siren: str) -> CompanyRecord | None:
        """The company with this SIREN, or ``None`` when the CRM does not know it."""
        ...

    def upsert_company(self, company: CompanyRecord) -> CompanyRecord:
        """Create or update the company with this SIREN; return it with its ``external_id``."""
        ...

    def upsert_contact(self, contact: ContactRecord) -> ContactRecord:
        """Create or update the contact with this e-mail; return it with its ``external_id``."""
        ...

    def upsert_project(self, project: ProjectRecord) -> ProjectRecord:
        """Create or update the project with this id; return it with its ``external_id``."""
        ...

    def list_projects(self, cursor: str | None, limit: int) -> ProjectPage:
        """One page of projects, in a stable order, starting at ``cursor``."""
        ...


@runtime_checkable
class AccountingBackend(Protocol):
    """
    An accounting tool (*outil comptable*): balanced entries, bank movements, exports.

    Capabilities: ``posting``, ``bank_movements``, ``export``.
    """

    def post_entry(self, entry: JournalEntry, *, idempotency_key: str) -> PostingReceipt:
        """
        Post a balanced entry once per key.

        Posting the same key again writes nothing and returns the first receipt
        with ``replayed=True``; the same key with another entry raises
        :class:`IdempotencyConflict`.
        """
        ...

    def read_bank_movements(self, cursor: str | None, limit: int) -> BankMovementPage:
        """The bank movements after ``cursor`` (from the start when ``None``), each once."""
        ...

    def export_entries(self, start: date, end: date) -> LedgerExport:
        """The entries dated from ``start`` to ``end`` (both included) as a table."""
        ...


@runtime_checkable
class DocumentBackend(Protocol):
    """
    A document store (*gestion électronique de documents*). Capability: ``store``.
    """

    def store_document(self, document: RenderedDocument, *, key: str) -> DocumentReceipt:
        """Keep a document under a key; storing the same key again keeps the first one."""
        ...

    def fetch_document(self, external_id: str) -> RenderedDocument | None:
        """The document stored with this id, or ``None``."""
        ...


@runtime_checkable
class NotificationBackend(Protocol):
    """
    A messaging tool (*messagerie*). Capability: ``send``.
    """

    def send(self, notification: Notification, *, idempotency_key: str) -> NotificationReceipt:
        """Send a message once per key; sending the same key again sends nothing."""
        ...
