"""
``alize check``: verify a stored register (hash chain, fund at every event, conventions).

``--format json`` prints the same findings as one object: ``events``, ``head``,
``chain`` (``ok``, ``problems``), ``register`` (``problems``), ``fund`` (``cash``,
``outstanding``, ``available`` as text with two decimals), ``snapshots`` (``checked``,
``mismatched``), ``flags`` and ``ok``.

Exit status: 0 when the register verifies, 1 when the chain is broken, the fund does not
balance or a snapshot does not match (or on bad input).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from alize_adapters.cli.commands._db import add_db_option, db_text, open_register_store
from alize_adapters.cli.progress import Progress
from alize_adapters.storage.sqlite import Audit, audit
from alize_core.kernel.jsontext import dump_json
from alize_core.kernel.money import format_eur


__all__ = ["check_data", "register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser(
        "check",
        help="verify a stored register: hash chain, fund at every event, conventions",
        description="Verify a register's journal: its hash chain (naming any altered, deleted,"
        " inserted or reordered event), the fund's balance after every event (FUND-05), the"
        " snapshots, and the events dated outside every triennial convention (CONV-01)."
        " Exits with status 1 when the chain is broken or the fund does not balance.",
    )
    add_db_option(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(handler=run)


def check_data(found: Audit, db: Path | str) -> dict[str, object]:
    """
    What ``alize check`` found, as JSON-ready data.

    .. versionadded:: 0.16.0
    """
    verification = found.verification
    fund = found.register.fund
    return {
        "db": db_text(db),
        "events": verification.events,
        "head": verification.head,
        "chain": {"ok": verification.ok, "problems": [str(p) for p in verification.problems]},
        "register": {"problems": [str(finding) for finding in found.problems]},
        "fund": {
            "cash": f"{fund.cash:.2f}",
            "outstanding": f"{fund.outstanding:.2f}",
            "available": f"{fund.available:.2f}",
        },
        "snapshots": {"checked": found.snapshots_checked, "mismatched": list(found.snapshots)},
        "flags": [str(flag) for flag in found.register.flags],
        "ok": found.ok,
    }


def run(args: argparse.Namespace) -> int:
    """Check the register and print each problem with the event it concerns."""
    with (
        open_register_store(args.db) as store,
        Progress("checking the register (events read)") as progress,
    ):
        found = audit(store, progress=progress.update)
    if args.format == "json":
        print(dump_json(check_data(found, args.db), ascii=False, indent=2))
        return 0 if found.ok else 1
    verification = found.verification
    register = found.register
    name = db_text(args.db)
    print(f"alize check: {name} — {verification.events} events, head {verification.head[:16]}…")
    if verification.ok:
        print("chain: intact")
    else:
        print(f"chain: BROKEN ({len(verification.problems)} problem(s))")
        for problem in verification.problems:
            print(f"  {problem}")
    fund = register.fund
    if found.problems:
        print(f"register: {len(found.problems)} problem(s)")
        for finding in found.problems:
            print(f"  {finding}")
    else:
        print(
            f"fund: balances after every event (cash {format_eur(fund.cash)}, outstanding"
            f" {format_eur(fund.outstanding)}, available {format_eur(fund.available)})"
        )
    if found.snapshots:
        versions = ", ".join(str(v) for v in found.snapshots)
        print(f"snapshots: {len(found.snapshots)} do not match the journal (versions {versions})")
    elif found.snapshots_checked:
        print(f"snapshots: {found.snapshots_checked} match the journal")
    flags = register.flags
    if flags:
        print(f"flags (CONV-01): {len(flags)} event(s) dated outside every convention in force")
        for flag in flags:
            print(f"  {flag}")
    print("OK" if found.ok else "FAILED")
    return 0 if found.ok else 1
