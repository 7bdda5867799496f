"""
``alize token``: the API tokens of a register, each for one actor.

- ``alize token add ACTOR [--db PATH] [--format text|json]`` makes a token for a person
  of the register (or its national committee) and prints it **once**: the register keeps
  only its SHA-256 digest (:mod:`alize_adapters.storage.tokens`). A request to the HTTP
  API that shows it acts as that actor, so the who-may-act rules apply to it.
- ``alize token revoke TOKEN_ID | --actor ACTOR`` revokes one token, or every live token
  of an actor.
- ``alize token list`` lists every token: its id, actor, creation date and whether it is
  revoked — never a token itself.

Exit status: ``0`` done; ``1`` an actor the register does not know, a token id that is
not a live token, or no register at ``--db``; ``2`` a usage error.

.. versionadded:: 0.16.0
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from alize_adapters.cli.commands._db import add_db_option, open_register_store
from alize_adapters.storage.tokens import issue_token
from alize_core.kernel.errors import InvalidValue, UnknownRecord
from alize_core.kernel.jsontext import dump_json
from alize_core.register.storage import load


__all__ = ["register", "run_add", "run_list", "run_revoke"]


def register(subparsers: Any) -> None:
    """Add the ``token`` command and its ``add``, ``revoke`` and ``list`` actions."""
    parser = subparsers.add_parser(
        "token",
        help="make, revoke and list the HTTP API's tokens, one per actor",
        description="The tokens the HTTP API authenticates actors by: made for a person of"
        " the register, printed once, kept only as a digest.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="make a token for an actor and print it once",
        description="Make a token for a person of the register (or its national committee)"
        " and print it once: keep it now, alize keeps only its digest.",
    )
    add.add_argument("actor", metavar="ACTOR", help="the person id the token acts as")
    revoke = actions.add_parser(
        "revoke",
        help="revoke a token by its id, or every token of an actor",
        description="Revoke a token by its id (tok-…), or every live token of an actor.",
    )
    which = revoke.add_mutually_exclusive_group(required=True)
    which.add_argument("token_id", nargs="?", metavar="TOKEN_ID", help="the token's id (tok-…)")
    which.add_argument("--actor", help="revoke every live token of this actor")
    listing = actions.add_parser(
        "list",
        help="list the tokens: ids, actors, dates, revoked (never the tokens)",
        description="List every token: its id, actor, creation date and whether it is revoked.",
    )
    for action, handler in ((add, run_add), (revoke, run_revoke), (listing, run_list)):
        action.add_argument("--format", choices=("text", "json"), default="text")
        add_db_option(action)
        action.set_defaults(handler=handler)


def run_add(args: argparse.Namespace) -> int:
    """Make a token for a person of the register; print it once."""
    actor: str = args.actor
    with open_register_store(args.db) as store:
        if load(store).get_person(actor) is None:
            msg = "is not a person of the register (alize show territory lists them)"
            raise UnknownRecord("ACTOR", actor, msg)
        now = datetime.now(UTC)  # noqa: TID251 - an adapter: the token is dated by the clock
        info, secret = issue_token(store, actor, now)
    if args.format == "json":
        document = {"id": info.id, "actor": info.actor, "created_at": info.created_at}
        print(dump_json(document | {"token": secret}, ascii=False, indent=2))
        return 0
    print(f"Token {info.id} for {info.actor}, made {info.created_at}:")
    print(secret)
    print("It is shown only now: alize keeps its digest, not the token.")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    """Revoke a token, or an actor's tokens; refuse when there is none to revoke."""
    with open_register_store(args.db) as store:
        revoked = store.revoke_tokens(token_id=args.token_id, actor=args.actor)
    if not revoked:
        if args.actor is None:
            raise InvalidValue("TOKEN_ID", args.token_id, "is not a live token of this register")
        raise InvalidValue("--actor", args.actor, "has no live token in this register")
    if args.format == "json":
        print(dump_json({"revoked": revoked}, indent=2))
    else:
        print(f"{revoked} token{'s' if revoked > 1 else ''} revoked")
    return 0


def run_list(args: argparse.Namespace) -> int:
    """List the tokens, never the secrets."""
    with open_register_store(args.db) as store:
        tokens = store.tokens()
    if args.format == "json":
        data = [
            {"id": t.id, "actor": t.actor, "created_at": t.created_at, "revoked": t.revoked}
            for t in tokens
        ]
        print(dump_json(data, ascii=False, indent=2))
        return 0
    if not tokens:
        print("No token.")
    for t in tokens:
        print(f"{t.id}  {t.actor}  {t.created_at}  {'revoked' if t.revoked else 'live'}")
    return 0
