"""The Tryton adapter against a real trytond 8.2 (SQLite) on 127.0.0.1, and the FEC oracle."""

from __future__ import annotations

import datetime as dt
import io
import logging
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import pytest

from alize_adapters.connectors import (
    FEC_COLUMNS,
    FecEntry,
    FiscalYear,
    HttpRequest,
    check_fec,
    http_transport,
    write_fec,
)
from alize_adapters.connectors.tryton import TrytonClient, TrytonCrm, TrytonLedger
from alize_adapters.connectors.tryton.backends import TrytonAdapter
from alize_adapters.host import (
    AdapterConfig,
    AdapterManager,
    AdapterRejected,
    EntryLine,
    JournalEntry,
)
from alize_adapters.testing import (
    AccountingBackendContract,
    CrmBackendContract,
    TargetEntry,
    TargetLine,
)
from alize_core.accounting import Account, ChartOfAccounts, Posting, PostingLine

from .servers import (
    CALL_TIMEOUT,
    COMPANIES,
    TRYTON_DATABASE,
    TRYTON_LOGIN,
    TRYTON_PASSWORD,
    FaultyTransport,
    TrytonServer,
)


pytestmark = pytest.mark.integration

_WRITES = (".create", ".write", ".delete", ".post")


def tryton_writes(request: HttpRequest) -> bool:
    """Whether a JSON-RPC call creates, changes, deletes or posts records."""
    head = request.body[:200].decode("utf-8", "replace")
    return any(word in head for word in _WRITES)


def logged_in(server: TrytonServer, transport: FaultyTransport | None = None) -> TrytonClient:
    """A client that has already logged in (so a fault never hits the login)."""
    client = TrytonClient(
        server.url,
        TRYTON_DATABASE,
        TRYTON_LOGIN,
        TRYTON_PASSWORD,
        transport=transport or http_transport,
        timeout=CALL_TIMEOUT,
    )
    client.call("model.res.user.get_preferences", True)
    return client


# -- CRM: the conformance suite ----------------------------------------------------------------


class TrytonCrmInspector:
    """Reads Tryton's parties, contact mechanisms and opportunities without the backend."""

    def __init__(self, client: TrytonClient, namespace: str) -> None:
        self.client = client
        self.namespace = namespace

    def company_names(self, siren: str) -> tuple[str, ...]:
        """The names of the parties with this SIREN."""
        rows = self.client.search_read(
            "party.identifier", [("type", "=", "fr_siren"), ("code_compact", "=", siren)], ["party"]
        )
        parties = sorted({row["party"] for row in rows})
        return tuple(row["name"] for row in self.client.read("party.party", parties, ["name"]))

    def contact_names(self, email: str) -> tuple[str, ...]:
        """The names on the e-mail contact mechanisms with this address."""
        rows = self.client.search_read(
            "party.contact_mechanism",
            [("type", "=", "email"), ("value", "ilike", email)],
            ["value", "name"],
        )
        return tuple(row["name"] for row in rows if row["value"].lower() == email.lower())

    def project_titles(self, project_id: str) -> tuple[str, ...]:
        """The descriptions of the opportunities with this project's reference."""
        rows = self.client.search_read(
            "sale.opportunity",
            [("reference", "=", f"{self.namespace}:{project_id}")],
            ["description"],
        )
        return tuple(row["description"] for row in rows)


class TestTrytonCrm(CrmBackendContract):
    """Tryton's parties and opportunities pass the CRM contract."""

    @pytest.fixture
    def namespace(self) -> str:
        """A namespace of its own for each test, so projects do not mix."""
        return f"T{uuid.uuid4().hex[:10]}"

    @pytest.fixture
    def fault_injector(self) -> FaultyTransport:
        """Faults on the real HTTP link to Tryton."""
        return FaultyTransport(tryton_writes)

    @pytest.fixture
    def backend(
        self, tryton: TrytonServer, namespace: str, fault_injector: FaultyTransport
    ) -> TrytonCrm:
        """The CRM backend on the test company."""
        client = logged_in(tryton, fault_injector)
        return TrytonCrm(client, company=tryton.company, namespace=namespace)

    @pytest.fixture
    def inspector(self, tryton: TrytonServer, namespace: str) -> TrytonCrmInspector:
        """A plain client reading Tryton directly."""
        return TrytonCrmInspector(logged_in(tryton), namespace)


# -- accounting: the conformance suite ---------------------------------------------------------


class TrytonLedgerInspector:
    """Reads Tryton's moves and feeds its bank statements without the backend."""

    def __init__(self, client: TrytonClient, company: int, statement_journal: int) -> None:
        self.client = client.with_context(company=company)
        self.company = company
        self.statement_journal = statement_journal

    def entries_with_piece(self, piece: str) -> tuple[TargetEntry, ...]:
        """The moves whose description starts with this piece, lines as Tryton stores them."""
        moves = self.client.search_read(
            "account.move",
            [("description", "like", f"{piece} · %"), ("company", "=", self.company)],
            ["journal", "lines"],
            order=[("id", "ASC")],
        )
        found = []
        for move in moves:
            (journal,) = self.client.read("account.journal", [move["journal"]], ["code"])
            lines = self.client.read(
                "account.move.line", sorted(move["lines"]), ["account", "debit", "credit"]
            )
            codes = {
                row["id"]: row["code"]
                for row in self.client.read(
                    "account.account", [line["account"] for line in lines], ["code"]
                )
            }
            found.append(
                TargetEntry(
                    journal=journal["code"],
                    piece=piece,
                    lines=tuple(
                        TargetLine(codes[line["account"]], line["debit"], line["credit"])
                        for line in lines
                    ),
                )
            )
        return tuple(found)

    def add_bank_movement(self, transaction_id: str, on: date, amount: Decimal, label: str) -> None:
        """Import a bank line: a statement with one origin, in the fund's statement journal."""
        (statement,) = self.client.create(
            "account.statement",
            [
                {
                    "name": f"Relevé {transaction_id}",
                    "journal": self.statement_journal,
                    "date": on,
                    "company": self.company,
                    "number_of_lines": 1,
                }
            ],
        )
        self.client.create(
            "account.statement.origin",
            [
                {
                    "statement": statement,
                    "number": transaction_id,
                    "date": on,
                    "amount": amount,
                    "description": label,
                }
            ],
        )


def statement_journal(client: TrytonClient, company: int) -> int:
    """A new statement journal on the bank account 5121 (one per test keeps feeds apart)."""
    client = client.with_context(company=company)
    (journal,) = client.search("account.journal", [("code", "=", "STA")])
    (account,) = client.search(
        "account.account", [("code", "=", "5121"), ("company", "=", company)]
    )
    (euro,) = client.search("currency.currency", [("code", "=", "EUR")])
    (created,) = client.create(
        "account.statement.journal",
        [
            {
                "name": f"Banque du fonds {uuid.uuid4().hex[:8]}",
                "journal": journal,
                "account": account,
                "currency": euro,
                "company": company,
                "validation": "number_of_lines",
            }
        ],
    )
    return created


class TestTrytonLedger(AccountingBackendContract):
    """Tryton's moves and statements pass the accounting contract."""

    @pytest.fixture
    def namespace(self) -> str:
        """A namespace of its own for each test, so exports do not mix."""
        return f"T{uuid.uuid4().hex[:10]}"

    @pytest.fixture
    def journal(self, tryton: TrytonServer) -> int:
        """A fresh statement journal for the fund's bank account."""
        return statement_journal(logged_in(tryton), tryton.company)

    @pytest.fixture
    def fault_injector(self) -> FaultyTransport:
        """Faults on the real HTTP link to Tryton."""
        return FaultyTransport(tryton_writes)

    @pytest.fixture
    def backend(
        self,
        tryton: TrytonServer,
        namespace: str,
        journal: int,
        fault_injector: FaultyTransport,
    ) -> TrytonLedger:
        """The accounting backend on the test company."""
        return TrytonLedger(
            logged_in(tryton, fault_injector),
            company=tryton.company,
            namespace=namespace,
            statement_journal=journal,
        )

    @pytest.fixture
    def inspector(self, tryton: TrytonServer, journal: int) -> TrytonLedgerInspector:
        """A plain client reading Tryton directly."""
        return TrytonLedgerInspector(logged_in(tryton), tryton.company, journal)


# -- the adapter's own behaviour ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("piece", "journal", "account", "refusal"),
    [
        # Tryton's own validation error: a parent account is closed for posting.
        pytest.param(
            "R-1", "AV", "274", r"Tryton refused model\.account\.move\.create", id="closed"
        ),
        # A journal Tryton lacks: the refusal says which code to create.
        pytest.param("R-2", "ZZ", "2748", "no journal with the code 'ZZ'", id="unknown_journal"),
    ],
)
def test_an_entry_tryton_cannot_post_is_refused_saying_why(
    tryton: TrytonServer, piece: str, journal: str, account: str, refusal: str
) -> None:
    """An entry on an account closed for posting, or on an unknown journal, is AdapterRejected."""
    ledger = TrytonLedger(logged_in(tryton), company=tryton.company, namespace="refusal")
    entry = JournalEntry(
        journal=journal,
        on=date(2026, 4, 2),
        piece=piece,
        label=f"Refus {piece}",
        lines=(
            EntryLine(account=account, label="Avance", debit=Decimal("10.00")),
            EntryLine(account="512", label="Banque", credit=Decimal("10.00")),
        ),
    )
    with pytest.raises(AdapterRejected, match=refusal):
        ledger.post_entry(entry, idempotency_key=f"refusal-{piece}")


def test_mentor_time_is_logged_as_timesheet_lines(tryton: TrytonServer) -> None:
    """Two meetings of a mentor on a project add up on the project's work (GOV-08)."""
    crm = TrytonCrm(logged_in(tryton), company=tryton.company, namespace=f"M{uuid.uuid4().hex[:8]}")
    for hours in (2, 3):
        crm.record_mentor_time(
            "P-1",
            mentor="Jeanne Ménétrier (Aciéries de l'Est)",
            on=date(2026, 4, 2),
            duration=dt.timedelta(hours=hours),
            description="Réunion de suivi",
        )
    assert crm.mentor_time("P-1") == dt.timedelta(hours=5)


def test_a_wrong_password_is_rejected_without_showing_it(tryton: TrytonServer) -> None:
    """A refused login is AdapterRejected, and its message holds no password."""
    client = TrytonClient(tryton.url, TRYTON_DATABASE, TRYTON_LOGIN, "mauvais-mot-de-passe-42")
    with pytest.raises(AdapterRejected) as caught:
        client.call("model.res.user.get_preferences", True)
    assert "refused the login of user 'admin'" in str(caught.value)
    assert "mauvais-mot-de-passe-42" not in str(caught.value)


def test_credentials_never_appear_in_reprs_logs_or_errors(
    tryton: TrytonServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The password and the session token stay out of reprs, debug logs and error messages."""
    caplog.set_level(logging.DEBUG)
    client = logged_in(tryton)
    crm = TrytonCrm(client, company=tryton.company, namespace="secrets")
    ledger = TrytonLedger(client, company=tryton.company, namespace="secrets")
    crm.get_company("555012343")
    messages = []
    try:
        client.call("model.no.such.model.search", [])
    except Exception as exc:
        messages.append(str(exc))
    token = client._TrytonClient__authorization  # type: ignore[attr-defined]
    assert isinstance(token, str)
    assert token.startswith("Session ")
    secret_token = token.removeprefix("Session ")
    shown = " ".join([repr(client), repr(crm), repr(ledger), caplog.text, *messages])
    assert messages
    assert TRYTON_PASSWORD not in shown
    assert secret_token not in shown
    assert "model.party.identifier.search" in caplog.text


def test_each_company_keeps_its_own_siren(tryton: TrytonServer) -> None:
    """The test companies carry the SIRENs they were set up with (Tryton checked them)."""
    crm = TrytonCrm(logged_in(tryton), company=tryton.company)
    for siren, name in COMPANIES:
        company = crm.get_company(siren)
        assert company is not None
        assert company.name == name


# -- the FEC oracle: our FEC against Tryton's account_fr ---------------------------------------

CHART = (
    ChartOfAccounts.french_default()
    # The operator's accountant sends these roles to the leaf accounts of account_fr's chart.
    .with_account(
        "impairment_expense", "68662", "Dotations aux dépréciations des immobilisations financières"
    )
    .with_account("impairment_allowance", "29748", "Dépréciation des autres prêts")
    .with_account("write_off", "6541", "Pertes sur créances irrécouvrables de l'exercice")
    .with_account("bank_fees", "6278", "Autres frais et commissions sur prestations de services")
)
ORACLE_YEAR = FiscalYear(date(2026, 1, 1), date(2026, 12, 31))


def oracle_postings() -> list[Posting]:
    """A year of an advance fund: contributions, advances, repayments, an impairment, a write-off."""
    bank, advances = CHART.account("bank"), CHART.account("advances")
    sme = ("555012343", "Usinage Meusien")

    def transfer(number: int, on: date, debit: Account, credit: Account, amount: str) -> Posting:
        return Posting.transfer(
            id=f"OP-{number}",
            on=on,
            journal="BQ" if bank in (debit, credit) else "OD",
            label=f"Opération {number}",
            debit=debit,
            credit=credit,
            amount=Decimal(amount),
            auxiliary=sme,
        )

    postings = [
        transfer(1, date(2026, 1, 15), bank, CHART.account("contributions"), "150000.00"),
        transfer(2, date(2026, 2, 3), advances, bank, "25000.00"),
        transfer(3, date(2026, 3, 3), bank, advances, "520.84"),
        transfer(4, date(2026, 4, 3), bank, advances, "520.83"),
        transfer(5, date(2026, 5, 12), advances, bank, "40000.00"),
        transfer(
            6,
            date(2026, 9, 30),
            CHART.account("impairment_expense"),
            CHART.account("impairment_allowance"),
            "9375.00",
        ),
        transfer(7, date(2026, 11, 30), CHART.account("write_off"), advances, "9375.00"),
    ]
    split = Posting(
        "OP-8",
        date(2026, 12, 15),
        "BQ",
        "Remboursement et frais",
        (
            PostingLine(bank, "Remboursement", debit=Decimal("1041.67")),
            PostingLine(advances, "Remboursement", credit=Decimal("1000.00")),
            PostingLine(CHART.account("bank_fees"), "Frais", credit=Decimal("41.67")),
        ),
    )
    return [*postings, split]


def tryton_fec(client: TrytonClient, company: int, year: int) -> bytes:
    """Tryton's own FEC of a fiscal year (the account_fr wizard)."""
    client = client.with_context(company=company)
    (fiscal_year,) = client.search(
        "account.fiscalyear", [("company", "=", company), ("start_date", "=", date(year, 1, 1))]
    )
    (closing,) = client.search(
        "account.period", [("fiscalyear", "=", fiscal_year), ("type", "=", "adjustment")]
    )
    form = {"fiscalyear": fiscal_year, "type": "is-bic", "deferral_period": closing}
    answers = client.run_wizard("account.fr.fec", [("start", {}), ("generate", {"start": form})])
    data = answers[-1]["view"]["defaults"]["file"]
    assert isinstance(data, bytes)
    return data


@pytest.fixture(scope="module")
def both_fecs(tryton: TrytonServer) -> tuple[bytes, bytes]:
    """Ours and Tryton's FEC of the same operations, posted in Tryton by our backend."""
    postings = oracle_postings()
    ledger = TrytonLedger(logged_in(tryton), company=tryton.oracle_company, namespace="oracle")
    for posting in postings:
        ledger.post_entry(JournalEntry.of(posting), idempotency_key=f"oracle-{posting.id}")
    ours = io.BytesIO()
    write_fec([FecEntry(p, p.on) for p in postings], ours, fiscal_year=ORACLE_YEAR)
    return ours.getvalue(), tryton_fec(logged_in(tryton), tryton.oracle_company, 2026)


def fec_rows(data: bytes) -> list[dict[str, str]]:
    """The lines of a FEC as dictionaries (header names as keys)."""
    text = data.decode("utf-8")
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line]
    header = lines[0].split("\t")
    assert tuple(header) == FEC_COLUMNS
    return [dict(zip(header, line.split("\t"), strict=True)) for line in lines[1:]]


def amount(text: str) -> Decimal:
    """A FEC amount as a Decimal."""
    return Decimal(text.replace(",", "."))


def per_account(rows: Sequence[dict[str, str]]) -> dict[str, tuple[Decimal, Decimal]]:
    """Total debit and credit of each account."""
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for row in rows:
        totals[row["CompteNum"]][0] += amount(row["Debit"])
        totals[row["CompteNum"]][1] += amount(row["Credit"])
    return {account: (debit, credit) for account, (debit, credit) in totals.items()}


def per_entry(rows: Sequence[dict[str, str]]) -> list[tuple[str, str, Decimal, Decimal, int]]:
    """Each entry in file order: number, date, total debit, total credit, line count."""
    entries: dict[str, list[object]] = {}
    for row in rows:
        entry = entries.setdefault(
            row["EcritureNum"], [row["EcritureDate"], Decimal(0), Decimal(0), 0]
        )
        entry[1] += amount(row["Debit"])  # type: ignore[operator]
        entry[2] += amount(row["Credit"])  # type: ignore[operator]
        entry[3] += 1  # type: ignore[operator]
    return [(num, *values) for num, values in entries.items()]  # type: ignore[misc]


def test_our_fec_passes_our_validator(both_fecs: tuple[bytes, bytes]) -> None:
    """The FEC we write for the oracle's operations is compliant."""
    ours, _ = both_fecs
    report = check_fec(io.BytesIO(ours), name=f"{COMPANIES[1][0]}FEC20261231.txt")
    assert report.ok, [str(f) for f in report.findings]


def test_trytons_fec_passes_our_validator(both_fecs: tuple[bytes, bytes]) -> None:
    """Tryton's account_fr FEC passes our validator too (an independent writer)."""
    _, theirs = both_fecs
    report = check_fec(io.BytesIO(theirs), name=f"{COMPANIES[1][0]}FEC20261231.csv")
    assert report.ok, [str(f) for f in report.findings]
    assert report.entries == 8


def test_our_fec_and_trytons_have_the_same_lines(both_fecs: tuple[bytes, bytes]) -> None:
    """Same number of lines, same accounts with the same debits and credits."""
    ours, theirs = (fec_rows(data) for data in both_fecs)
    assert len(ours) == len(theirs) == 17
    assert per_account(ours) == per_account(theirs)


def test_our_fec_and_trytons_have_the_same_entries_in_the_same_order(
    both_fecs: tuple[bytes, bytes],
) -> None:
    """Entry by entry: number, date, balanced totals and line count agree."""
    ours, theirs = (per_entry(fec_rows(data)) for data in both_fecs)
    assert ours == theirs
    assert all(debit == credit for _, _, debit, credit, _ in ours)
    assert [num for num, *_ in ours] == [str(n) for n in range(1, 9)]


def test_our_fec_and_trytons_agree_line_by_line_on_account_and_amount(
    both_fecs: tuple[bytes, bytes],
) -> None:
    """Each line's journal, number, date, account and amounts are the same in both files."""
    fields = ("JournalCode", "EcritureNum", "EcritureDate", "CompteNum", "Debit", "Credit")
    ours, theirs = (
        Counter(tuple(row[f] for f in fields) for row in fec_rows(data)) for data in both_fecs
    )
    assert ours == theirs


def test_the_adapter_plugs_into_the_adapter_manager(
    tryton: TrytonServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Configured by name, with the password in an environment variable, the manager builds both."""
    monkeypatch.setenv("ALIZE_TRYTON_PASSWORD", TRYTON_PASSWORD)
    options = {
        "url": tryton.url,
        "database": TRYTON_DATABASE,
        "company": str(tryton.company),
        "namespace": "manager",
    }
    config = AdapterConfig.from_mapping(
        {
            "strict": True,
            "roles": {"crm": "tryton", "accounting": "tryton"},
            "options": {"tryton": options},
        }
    )
    manager = AdapterManager(config)
    manager.register(TrytonAdapter(), name="tryton")
    crm = manager.crm()
    assert isinstance(crm, TrytonCrm)
    assert isinstance(manager.accounting(), TrytonLedger)
    company = crm.get_company(COMPANIES[0][0])
    assert company is not None
    assert company.name == COMPANIES[0][1]
    assert TRYTON_PASSWORD not in repr(crm)
