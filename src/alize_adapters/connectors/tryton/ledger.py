"""
The accounting backend over Tryton (*comptabilité Tryton*): postings as posted account
moves, bank movements from statement origins, and the FEC-shaped export of the moves
(:mod:`alize_adapters.connectors.tryton.backends` tabulates the mapping). An entry posted
again with its key is found by the idempotency mark in the move's description.

.. versionadded:: 0.1.0
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Final

from alize_adapters.connectors.tryton.base import TrytonBackend, page_cursor, require_capability
from alize_adapters.connectors.tryton.client import TrytonClient
from alize_adapters.host.backends import (
    BankMovement,
    BankMovementPage,
    JournalEntry,
    LedgerExport,
    PostingReceipt,
)
from alize_adapters.host.errors import AdapterRejected, IdempotencyConflict
from alize_adapters.host.payloads import BackendRole, Capability
from alize_core import InvalidValue, to_money
from alize_core.kernel.validation import check_count, check_id


__all__ = ["LEDGER_CAPABILITIES", "TrytonLedger"]

LEDGER_CAPABILITIES: Final = BackendRole.ACCOUNTING.capabilities
"""What :class:`TrytonLedger` can do."""

_EXPORT_COLUMNS: Final = (
    "JournalCode",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "PieceRef",
    "EcritureLib",
    "Debit",
    "Credit",
)


def _mark(key: str, entry: JournalEntry) -> tuple[str, str]:
    key_hash = hashlib.sha256(key.encode()).hexdigest()[:20]
    content = "|".join(
        [entry.journal, entry.on.isoformat(), entry.piece, entry.label]
        + [
            f"{line.account};{line.label};{line.debit};{line.credit};{line.auxiliary or ''}"
            for line in entry.lines
        ]
    )
    content_hash = hashlib.sha256(content.encode()).hexdigest()[:20]
    return key_hash, content_hash


class TrytonLedger(TrytonBackend):
    """
    The accounting backend over Tryton: posted moves, bank statement origins, exports.

    Args:
        client: A logged-in :class:`~alize_adapters.connectors.tryton.client.TrytonClient`.
        company: The id of Tryton's company whose books these are.
        namespace: Sets this programme's entries and bank movements apart in Tryton.
        statement_journal: The id of the ``account.statement.journal`` of the fund's
            bank account, for :meth:`read_bank_movements`.
        capabilities: What this backend is allowed to do.

    Journals are found by their code and accounts by their number on the company's
    chart (the operator creates journals ``AV``, ``BQ``…; an account that Tryton
    closes for posting, such as a parent account, is refused by Tryton).

    .. versionadded:: 0.1.0
    """

    def __init__(
        self,
        client: TrytonClient,
        *,
        company: int,
        namespace: str = "alize",
        statement_journal: int | None = None,
        capabilities: frozenset[Capability] = LEDGER_CAPABILITIES,
    ) -> None:
        super().__init__(client, company=company, namespace=namespace, capabilities=capabilities)
        self._statement_journal = statement_journal
        self._journals: dict[str, int] = {}
        self._accounts: dict[str, int] = {}

    def _journal(self, code: str) -> int:
        if code not in self._journals:
            ids = self._client.search("account.journal", [("code", "=", code)], limit=1)
            if not ids:
                msg = f"Tryton has no journal with the code {code!r}; create it first"
                raise AdapterRejected(msg, operation="post_entry")
            self._journals[code] = ids[0]
        return self._journals[code]

    def _account(self, number: str) -> int:
        if number not in self._accounts:
            ids = self._client.search(
                "account.account",
                [("code", "=", number), ("company", "=", self._company)],
                limit=1,
            )
            if not ids:
                msg = f"the chart of accounts in Tryton has no account {number}"
                raise AdapterRejected(msg, operation="post_entry")
            self._accounts[number] = ids[0]
        return self._accounts[number]

    def _parties(self, sirens: Iterable[str]) -> dict[str, int]:
        wanted = sorted(set(sirens))
        if not wanted:
            return {}
        rows = self._client.search_read(
            "party.identifier",
            [("type", "=", "fr_siren"), ("code_compact", "in", wanted)],
            ["party", "code_compact"],
        )
        return {row["code_compact"]: row["party"] for row in rows}

    def _move_values(self, entry: JournalEntry, mark: str) -> dict[str, object]:
        periods = self._client.search(
            "account.period",
            [
                ("company", "=", self._company),
                ("start_date", "<=", entry.on),
                ("end_date", ">=", entry.on),
                ("type", "=", "standard"),
            ],
            limit=1,
        )
        if not periods:
            msg = f"Tryton has no open period on {entry.on:%d/%m/%Y}; create the fiscal year"
            raise AdapterRejected(msg, operation="post_entry")
        accounts = {line.account: self._account(line.account) for line in entry.lines}
        required = {
            row["id"]: row["party_required"]
            for row in self._client.read(
                "account.account", list(accounts.values()), ["party_required"]
            )
        }
        parties = self._parties(
            line.auxiliary
            for line in entry.lines
            if line.auxiliary and required.get(accounts[line.account])
        )
        lines = []
        for line in entry.lines:
            values: dict[str, object] = {
                "account": accounts[line.account],
                "debit": line.debit,
                "credit": line.credit,
                "description": line.label,
            }
            if line.auxiliary and required.get(accounts[line.account]):
                party = parties.get(line.auxiliary)
                if party is None:
                    msg = f"Tryton has no party with the SIREN {line.auxiliary}"
                    raise AdapterRejected(msg, operation="post_entry")
                values["party"] = party
            lines.append(values)
        return {
            "company": self._company,
            "journal": self._journal(entry.journal),
            "period": periods[0],
            "date": entry.on,
            "description": f"{entry.piece} · {entry.label} · {mark}",
            "lines": [["create", lines]],
        }

    def post_entry(self, entry: JournalEntry, *, idempotency_key: str) -> PostingReceipt:
        """
        Post a balanced entry once per key, as a posted Tryton move numbered by its sequence.

        The move is created first, then the moves with the key are looked up: when
        an earlier one exists, the new one is deleted and the earlier one returned
        (``replayed=True``), or :class:`~alize_adapters.host.errors.IdempotencyConflict` raised when its content
        differs. A post whose answer was lost therefore leaves one move.
        """
        require_capability(self._capabilities, Capability.POSTING, "post_entry")
        check_id(idempotency_key, field="idempotency_key")
        key_hash, content_hash = _mark(idempotency_key, entry)
        mark = f"[alize:{self._namespace}:{key_hash}:{content_hash}]"
        with self._lock:
            (move,) = self._client.create("account.move", [self._move_values(entry, mark)])
            rows = self._client.search_read(
                "account.move",
                [("description", "like", f"%[alize:{self._namespace}:{key_hash}:%")],
                ["description", "state", "number"],
                order=[("id", "ASC")],
            )
            first: dict[str, Any] = rows[0] if rows else {"id": move, "description": mark}
            kept = int(first["id"])
            if kept != move:
                self._client.delete("account.move", [move])
                if not str(first["description"]).endswith(mark):
                    msg = (
                        f"the key {idempotency_key!r} was already used for another entry"
                        f" (Tryton move {kept})"
                    )
                    raise IdempotencyConflict(msg, operation="post_entry")
            if first.get("state") != "posted":
                self._client.button("account.move", "post", [kept])
            (posted,) = self._client.read("account.move", [kept], ["number"])
        return PostingReceipt(
            idempotency_key=idempotency_key,
            external_ref=f"move:{kept}:{posted['number']}",
            replayed=kept != move,
        )

    def read_bank_movements(self, cursor: str | None, limit: int) -> BankMovementPage:
        """
        The bank lines (statement origins) of the fund's statement journal after ``cursor``.

        A transaction the bank repeats (same number) counts once: a line whose
        number appeared at or before the cursor, or earlier in the page, is skipped.
        """
        require_capability(self._capabilities, Capability.BANK_MOVEMENTS, "read_bank_movements")
        check_count(limit, field="limit", minimum=1)
        if self._statement_journal is None:
            msg = "no statement journal was configured for the fund's bank account"
            raise AdapterRejected(msg, operation="read_bank_movements")
        after = page_cursor(cursor)
        scope = [("statement.journal", "=", self._statement_journal)]
        rows = self._client.search_read(
            "account.statement.origin",
            [*scope, ("id", ">", after)],
            ["number", "date", "amount", "description"],
            limit=limit,
            order=[("id", "ASC")],
        )
        numbers = sorted({row["number"] for row in rows if row["number"]})
        seen = {
            row["number"]
            for row in self._client.search_read(
                "account.statement.origin",
                [*scope, ("id", "<=", after), ("number", "in", numbers)],
                ["number"],
            )
        }
        movements = []
        for row in rows:
            if not row["number"] or row["number"] in seen:
                continue
            seen.add(row["number"])
            movements.append(
                BankMovement(
                    transaction_id=row["number"],
                    on=row["date"],
                    amount=to_money(row["amount"], field="amount", cents=True),
                    label=row["description"] or row["number"],
                )
            )
        last = rows[-1]["id"] if rows else after
        return BankMovementPage(tuple(movements), str(last))

    def export_entries(self, start: date, end: date) -> LedgerExport:
        """This namespace's posted entry lines dated from ``start`` to ``end``, as a table."""
        require_capability(self._capabilities, Capability.EXPORT, "export_entries")
        if end < start:
            raise InvalidValue("end", end, f"is before the start ({start})")
        lines = self._client.search_read(
            "account.move.line",
            [
                ("move.company", "=", self._company),
                ("move.state", "=", "posted"),
                ("move.date", ">=", start),
                ("move.date", "<=", end),
                ("move.description", "like", f"%[alize:{self._namespace}:%"),
            ],
            ["move", "account", "debit", "credit", "description"],
            order=[("move", "ASC"), ("id", "ASC")],
        )
        moves = {
            row["id"]: row
            for row in self._client.read(
                "account.move",
                sorted({line["move"] for line in lines}),
                ["number", "date", "journal", "description"],
            )
        }
        journals = _codes(self._client, "account.journal", {m["journal"] for m in moves.values()})
        accounts = _codes(self._client, "account.account", {line["account"] for line in lines})
        rows: list[tuple[str, ...]] = []
        debit = credit = Decimal("0.00")
        for line in lines:
            move = moves[line["move"]]
            piece = str(move["description"]).split(" · ", 1)[0]
            rows.append(
                (
                    journals[move["journal"]],
                    str(move["number"]),
                    move["date"].isoformat(),
                    accounts[line["account"]],
                    piece,
                    line["description"] or "",
                    f"{line['debit']:.2f}",
                    f"{line['credit']:.2f}",
                )
            )
            debit += line["debit"]
            credit += line["credit"]
        return LedgerExport(
            start=start,
            end=end,
            columns=_EXPORT_COLUMNS,
            rows=tuple(rows),
            total_debit=debit.quantize(Decimal("0.01")),
            total_credit=credit.quantize(Decimal("0.01")),
        )


def _codes(client: TrytonClient, model: str, ids: set[int]) -> dict[int, str]:
    return {row["id"]: row["code"] for row in client.read(model, sorted(ids), ["code"])}
