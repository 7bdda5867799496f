"""
``alize erase-person ID``: erase a person's details; the journal, which never held them, still verifies.

Exit status: 0 erased (and the register verified); 1 when the register holds no details of
that person, or is not a register, or does not verify.
"""

from __future__ import annotations

import argparse
from typing import Any

from alize_adapters.cli.commands._db import add_db_option, open_register_store, verified
from alize_core.kernel.errors import InvalidValue


def register(subparsers: Any) -> None:
    """Add the ``erase-person`` command."""
    parser = subparsers.add_parser(
        "erase-person",
        help="erase a person's name, e-mail and phone (GDPR right to erasure)",
        description="Erase a person's details from the register's separate personal-data"
        " table. Events name people by id only, so the hash chain and the figures are"
        " untouched; the register is verified afterwards.",
    )
    parser.add_argument("person", metavar="ID", help="the person's id, as events name them")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Erase the person's details and verify the register."""
    with open_register_store(args.db) as store:
        if not store.erase_person(args.person):
            raise InvalidValue("person", args.person, "has no personal details in this register")
        verification = verified(store, "the register", "db")
    print(
        f"erased the personal details of {args.person}; the register still verifies"
        f" ({verification.events} events, head {verification.head[:16]}…)"
    )
    return 0
