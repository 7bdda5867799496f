"""
The CRM and accounting backends over Tryton (*connecteurs Tryton*).

How alize's records live in Tryton (modules ``party_siret``, ``sale_opportunity``,
``project``, ``timesheet``, ``account_fr``, ``account_statement``):

===========================  =================================================================
alize                        Tryton
===========================  =================================================================
SME, partner (SIREN)         ``party.party`` with a ``fr_siren`` identifier (Tryton checks it
                             with python-stdnum); the INSEE commune code as a contact
                             mechanism « Code commune INSEE »
contact (e-mail)             an e-mail contact mechanism of the company's party, named after
                             the person, its comment holding the role
project                      ``sale.opportunity`` whose reference is ``<namespace>:<id>``;
                             description = title, amount = advance, comment = status
mentor time (GOV-08)         a ``timesheet.line`` on the project's ``project.work``
posting (FUND-05)            a posted ``account.move`` on the journal and accounts of the
                             chart, its description ending with the idempotency mark
bank movement                ``account.statement.origin`` of the namespace's statement journal
===========================  =================================================================

Every write is idempotent: a company by its SIREN, a contact by its e-mail, a
project by its reference, an entry by the mark ``[alize:<key hash>:<content
hash>]`` stored in the move's description, so an entry posted again with its
key is found, not duplicated, and the same key with another content is an
:class:`~alize_adapters.host.errors.IdempotencyConflict`.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

from collections.abc import Iterable

from alize_adapters.connectors.http_client import BackendOptions
from alize_adapters.connectors.tryton.client import TrytonClient
from alize_adapters.connectors.tryton.crm import CRM_CAPABILITIES, TrytonCrm
from alize_adapters.connectors.tryton.ledger import LEDGER_CAPABILITIES, TrytonLedger
from alize_adapters.host.backends import AccountingBackend, CrmBackend
from alize_adapters.host.hookspecs import RegistrationSpec, hookimpl
from alize_adapters.host.payloads import (
    BackendOffer,
    BackendRole,
    BackendSettings,
    RegistrationRequest,
)
from alize_core import InvalidValue


__all__ = ["TrytonAdapter", "client_from_settings"]


def client_from_settings(settings: BackendSettings) -> tuple[TrytonClient, int, str]:
    """
    A Tryton client, the company id and the namespace, from a backend's options.

    Options: ``url``, ``database``, ``login``, ``company`` (an id), ``namespace``,
    and ``password_env``: the name of the environment variable that holds the
    password (``ALIZE_TRYTON_PASSWORD`` by default), so the password never sits in
    a configuration file.

    Raises:
        InvalidValue: An option is missing or wrong, or the variable is not set.

    .. versionadded:: 0.1.0
    """
    option = BackendOptions(settings, "Tryton")
    password = option.password("ALIZE_TRYTON_PASSWORD")
    company = option("company", "1")
    if not (company.isascii() and company.isdigit()):
        raise InvalidValue("company", company, "must be the id of Tryton's company")
    client = TrytonClient(option("url"), option("database"), option("login", "admin"), password)
    return client, int(company), option("namespace", "alize")


class TrytonAdapter(RegistrationSpec):
    """
    The adapter that offers the ``tryton`` CRM and accounting backends.

    .. versionadded:: 0.1.0
    """

    @staticmethod
    def _crm(settings: BackendSettings) -> CrmBackend:
        client, company, namespace = client_from_settings(settings)
        return TrytonCrm(client, company=company, namespace=namespace)

    @staticmethod
    def _ledger(settings: BackendSettings) -> AccountingBackend:
        client, company, namespace = client_from_settings(settings)
        journal = settings.option("statement_journal")
        return TrytonLedger(
            client,
            company=company,
            namespace=namespace,
            statement_journal=int(journal)
            if journal and journal.isascii() and journal.isdigit()
            else None,
        )

    @hookimpl
    def alize_crm_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[CrmBackend]]:
        """Offer the Tryton CRM."""
        return (
            BackendOffer(
                BackendRole.CRM, "tryton", self._crm, CRM_CAPABILITIES, "Tryton over JSON-RPC"
            ),
        )

    @hookimpl
    def alize_accounting_backends(
        self, request: RegistrationRequest
    ) -> Iterable[BackendOffer[AccountingBackend]]:
        """Offer the Tryton accounting backend."""
        return (
            BackendOffer(
                BackendRole.ACCOUNTING,
                "tryton",
                self._ledger,
                LEDGER_CAPABILITIES,
                "Tryton (account_fr) over JSON-RPC",
            ),
        )
